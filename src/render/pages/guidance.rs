//! Guidance pages from `content/`; the how-to-submit page also lists every committee's contacts.

use serde::Serialize;
use tera::Context;

use crate::diagnostics::Problem;
use crate::markdown::{self, Placement};

use super::PageContent;
use super::committees::{CommitteeSummary, summary};
use crate::site::views::{Text, View};

/// The page that also shows the roster: the one the seed asks to print as a factsheet.
pub(super) const HOW_TO_SUBMIT: &str = "how-to-submit";

#[derive(Serialize)]
struct Heading {
    level: u8,
    id: String,
    text: String,
}

#[derive(Serialize)]
struct Guidance {
    slug: String,
    title: Text,
    description: Option<Text>,
    html: String,
    toc: Vec<Heading>,
    roster: Option<Vec<CommitteeSummary>>,
    /// On how-to-submit: the submission form's address.
    form_href: Option<String>,
    in_danger: Option<super::where_else::InDanger>,
}

pub(super) fn page(view: &View, index: usize) -> Result<PageContent, Problem> {
    let page = &view.site.guidance[index];
    let default = &view.site.public.default_lang;
    let (version, lang, fallback) = page.version(&view.lang.code, default);
    let anchor_label = view.t("link_to_section");
    let rendered = markdown::render_with(
        &version.body,
        &Placement {
            root: &view.root,
            heading_offset: 0,
            anchor_label: &anchor_label,
        },
        &|id| !site_has_case(view, id),
    );
    let wrap = |text: &str| Text {
        text: text.to_owned(),
        lang: lang.to_string(),
        dir: view.site.dir_of(lang.as_str()),
        fallback,
    };
    let data = Guidance {
        slug: page.slug.clone(),
        title: wrap(&version.front.title),
        description: version.front.description.as_deref().map(wrap),
        html: rendered.html,
        toc: rendered
            .headings
            .into_iter()
            .filter(|h| h.0 == 2)
            .map(|(level, id, text)| Heading { level, id, text })
            .collect(),
        form_href: (page.slug == HOW_TO_SUBMIT)
            .then(|| view.href(&crate::site::routes::Route::SubmissionForm.path())),
        in_danger: (page.slug == HOW_TO_SUBMIT)
            .then(|| super::where_else::in_danger(view))
            .flatten(),
        roster: (page.slug == HOW_TO_SUBMIT).then(|| {
            view.site
                .public
                .committees
                .iter()
                .map(|c| summary(view, c))
                .collect()
        }),
    };
    Ok(PageContent {
        template: "page.html",
        title: version.front.title.clone(),
        section: page.slug.clone(),
        fallback,
        data: Context::from_serialize(&data).expect("serialisable"),
    })
}

/// A link to a case that is not on the site is shown as its text only.
fn site_has_case(view: &View, id: &str) -> bool {
    view.site.case_index.contains_key(id)
}
