//! The context of each kind of page. `context` is the one entry point: a job in, the
//! template name and its (small) context out.

mod case;
mod committees;
pub(crate) mod countries;
mod data;
mod factsheet;
mod form;
mod guidance;
mod home;
mod lists;
mod practice;
pub(crate) mod reports;
mod sessions;
mod trends;
mod trends_stats;

mod where_else;

pub(crate) use home::LATEST as LATEST_ON_HOME;

use serde::Serialize;
use tera::Context;

use crate::diagnostics::Problem;
use crate::render::CaseRows;

use crate::site::RenderSite;
use crate::site::jobs::{Job, PageKind, kind_path};
use crate::site::listing::Facet;
use crate::site::views::View;

/// What the base layout needs on every page.
#[derive(Debug, Serialize)]
pub(crate) struct Frame {
    /// The whole `<title>`: where you are, then the site.
    pub title: String,
    /// Relative prefix to the site root (for assets and other languages).
    pub site_root: String,
    /// Relative prefix to this language's root (for links within the language).
    pub root: String,
    /// Which navigation item is current (`home`, `committees`, `cases`, or a guidance slug).
    pub section: String,
    pub alternates: Vec<Alternate>,
    /// Set when some of the page is shown in the default language for want of a translation.
    pub fallback_notice: Option<String>,
    /// This page's absolute address from `base_url` (none for the 404 page, which has none).
    pub canonical: Option<String>,
    /// Case pages ask search engines and archives not to keep copies, so that a withdrawal is
    /// not undone by a cached page.
    pub noarchive: bool,
}

#[derive(Debug, Serialize)]
pub(crate) struct Alternate {
    pub code: String,
    pub name: String,
    pub dir: &'static str,
    pub href: String,
    /// The same page in that language, absolute from `base_url` (for `hreflang`).
    pub url: String,
    pub current: bool,
}

/// What a page kind returns: its template, its frame title parts and its data.
pub(crate) struct PageContent {
    pub template: &'static str,
    pub title: String,
    pub section: String,
    /// True when some text on the page had to fall back to the default language.
    pub fallback: bool,
    pub data: Context,
}

pub(crate) fn context(
    job: &Job,
    site: &RenderSite,
    rows: &CaseRows,
) -> Result<(&'static str, Context), Problem> {
    let path = job.path(site);
    let full_path = format!("{}{}", site.langs[job.lang].prefix, path);
    let mut view = View::new(site, job.lang, &path);
    if job.kind == PageKind::NotFound {
        view.root = format!("{}{}", site.base_path, site.langs[job.lang].prefix);
    }
    let content = match &job.kind {
        PageKind::Home => home::home(&view),
        PageKind::NotFound => home::not_found(&view),
        PageKind::Committees => committees::list(&view),
        PageKind::Committee(i) => committees::one(&view, rows, *i)?,
        PageKind::Guidance(i) => guidance::page(&view, *i)?,
        PageKind::Index { sort, page } => lists::index(&view, rows, *sort, *page)?,
        PageKind::Browse {
            facet: Facet::Country,
            value,
            page,
        } => countries::alias(&view, rows, *value, *page)?,
        PageKind::Browse { facet, value, page } => {
            lists::browse(&view, rows, *facet, *value, *page)?
        }
        PageKind::Case(i) => case::page(&view, *i),
        PageKind::Trends => trends::page(&view),
        PageKind::Reports => reports::index(&view),
        PageKind::Report { committee, year } => reports::page(&view, *committee, *year),
        PageKind::Data => data::page(&view),
        PageKind::SubmissionForm => form::page(&view),
        PageKind::WhereElse => where_else::page(&view),
        PageKind::Country { country, page } => countries::page(&view, rows, *country, *page)?,
        PageKind::Factsheet(i) => factsheet::page(&view, *i),
    };
    let depth = full_path.split('/').filter(|s| !s.is_empty()).count();
    // A host serves the 404 page at whatever address was asked for, so relative links would
    // break there: it alone links from the site's base path.
    let site_root = if job.kind == PageKind::NotFound {
        site.base_path.clone()
    } else if depth == 0 {
        "./".to_owned()
    } else {
        "../".repeat(depth)
    };
    let site_title = view.text(&site.public.title).text;
    let frame = Frame {
        title: if content.title.is_empty() {
            site_title
        } else {
            format!("{} – {site_title}", content.title)
        },
        site_root: site_root.clone(),
        root: view.root.clone(),
        section: content.section,
        alternates: site
            .bar_order()
            .into_iter()
            .map(|i| {
                let lang = &site.langs[i];
                let alt_path = kind_path(&job.kind, site);
                Alternate {
                    code: lang.code.to_string(),
                    name: lang.name.clone(),
                    dir: lang.dir,
                    href: format!("{site_root}{}{alt_path}", lang.prefix),
                    url: format!("{}{}{alt_path}", site.public.base_url, lang.prefix),
                    current: i == job.lang,
                }
            })
            .collect(),
        fallback_notice: content.fallback.then(|| {
            view.t("translation_missing")
                .replace("{language}", &view.lang.name)
        }),
        // An old browse address names the country page as the one to keep.
        canonical: match &job.kind {
            PageKind::NotFound => None,
            PageKind::Browse {
                facet: Facet::Country,
                value,
                page,
            } => {
                let (_, new_path) = countries::alias_target(site, *value, *page);
                let prefix = &site.langs[job.lang].prefix;
                Some(format!("{}{prefix}{new_path}", site.public.base_url))
            }
            _ => Some(format!("{}{full_path}", site.public.base_url)),
        },
        noarchive: matches!(job.kind, PageKind::Case(_)),
    };
    let mut ctx = content.data;
    ctx.insert("page", &frame);
    Ok((content.template, ctx))
}
