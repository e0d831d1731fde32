//! The home page (what reprisals are, how to report, latest cases, focal points) and the 404 page.

use serde::Serialize;
use tera::Context;

use super::PageContent;
use crate::site::routes::Route;
use crate::site::views::{CaseRow, Text, View};

#[derive(Serialize)]
struct CommitteeGlance {
    code: String,
    name: Text,
    href: String,
    focal_points: Vec<String>,
    vacant: bool,
}

#[derive(Serialize)]
struct Home {
    latest: Vec<CaseRow>,
    case_count: String,
    committees: Vec<CommitteeGlance>,
    /// Sessions under way or starting within `AHEAD_DAYS`.
    ahead: Vec<super::sessions::SessionView>,
    ahead_heading: String,
}

/// How far ahead the home page looks for sessions.
pub(super) const AHEAD_DAYS: i32 = 60;

/// How many of the newest cases the home page lists.
pub(crate) const LATEST: usize = 5;

pub(super) fn home(view: &View) -> PageContent {
    let public = view.site.public;
    let latest: Vec<CaseRow> = public
        .cases
        .iter()
        .take(LATEST)
        .map(|c| view.case_row(c))
        .collect();
    let committees = public
        .committees
        .iter()
        .map(|c| CommitteeGlance {
            code: c.code.to_string(),
            name: view.text(&c.name),
            href: view.href(&Route::committee(&c.code).path()),
            focal_points: c
                .current
                .iter()
                .map(|&i| public.focal_points[i].name.clone())
                .collect(),
            vacant: c.current.is_empty(),
        })
        .collect();
    let data = Home {
        latest,
        case_count: view.plural("cases_count", public.cases.len()),
        committees,
        ahead: super::sessions::within_days(&public.sessions, public.build_date, AHEAD_DAYS)
            .into_iter()
            .map(|s| super::sessions::session_view(view, s, false))
            .collect(),
        ahead_heading: view.plural("home_ahead_heading", AHEAD_DAYS as usize),
    };
    PageContent {
        template: "index.html",
        title: String::new(),
        section: "home".into(),
        fallback: false,
        data: Context::from_serialize(&data).expect("serialisable"),
    }
}

pub(super) fn not_found(view: &View) -> PageContent {
    PageContent {
        template: "404.html",
        title: view.t("not_found_title"),
        section: String::new(),
        fallback: false,
        data: Context::new(),
    }
}
