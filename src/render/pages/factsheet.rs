//! The large-print factsheet of one committee (`/committees/<code>/factsheet/`): what reprisals
//! are, how to reach the focal point on the build date, what happens next and how to stay safe,
//! printing on one or two A4 pages at 12 pt (the theme's print styles). Like how-to-submit, it
//! opens with the "In danger now" block, which the sheet prints too.

use serde::Serialize;
use tera::Context;

use super::PageContent;
use super::guidance::HOW_TO_SUBMIT;
use super::where_else::{InDanger, in_danger};
use crate::site::routes::Route;
use crate::site::views::{ContactView, FocalPointView, Text, View};

/// How many numbered points each list of the factsheet has in the interface strings.
const NEXT_STEPS: usize = 4;
const SAFETY_TIPS: usize = 5;

#[derive(Serialize)]
struct Factsheet {
    code: String,
    name: Text,
    committee_href: String,
    roster_as_of: String,
    current: Vec<FocalPointView>,
    vacant: bool,
    secretariat: Vec<ContactView>,
    next_steps: Vec<String>,
    safety_tips: Vec<String>,
    /// The full guidance, as an absolute address: the sheet is read on paper.
    guidance_url: Option<String>,
    /// The urgent referrals, first on the sheet; none when the site has no urgent referral.
    in_danger: Option<InDanger>,
}

pub(super) fn page(view: &View, index: usize) -> PageContent {
    let public = view.site.public;
    let c = &public.committees[index];
    let numbered = |prefix: &str, n: usize| -> Vec<String> {
        (1..=n).map(|i| view.t(&format!("{prefix}{i}"))).collect()
    };
    let has_guidance = view.site.guidance.iter().any(|g| g.slug == HOW_TO_SUBMIT);
    let name = view.text(&c.name);
    let data = Factsheet {
        code: c.code.to_string(),
        name: name.clone(),
        committee_href: view.href(&Route::committee(&c.code).path()),
        roster_as_of: view
            .t("factsheet_roster_as_of")
            .replace("{date}", &view.date(public.build_date)),
        current: c
            .current
            .iter()
            .map(|&i| view.focal_point(&public.focal_points[i]))
            .collect(),
        vacant: c.current.is_empty(),
        secretariat: c.contact.iter().map(|x| view.contact(x)).collect(),
        next_steps: numbered("factsheet_next_", NEXT_STEPS),
        safety_tips: numbered("factsheet_safety_", SAFETY_TIPS),
        guidance_url: has_guidance.then(|| {
            let route = Route::Guidance {
                slug: HOW_TO_SUBMIT.to_owned(),
            };
            format!("{}{}{}", public.base_url, view.lang.prefix, route.path())
        }),
        in_danger: in_danger(view),
    };
    PageContent {
        template: "factsheet.html",
        title: format!(
            "{} ({}) – {}",
            name.text,
            c.code,
            view.t("factsheet_heading")
        ),
        section: "committees".into(),
        fallback: name.fallback,
        data: Context::from_serialize(&data).expect("serialisable"),
    }
}
