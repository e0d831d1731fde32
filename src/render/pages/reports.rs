//! Annual report pages: one section per committee and period, and the list of them. What a
//! section says is made in `site::reports`, which `generate::reports_md` also writes as Markdown.

use serde::Serialize;
use tera::Context;

use crate::site::reports::{PeriodLink, data, period_links};
use crate::site::views::{Text, View};

use super::PageContent;

pub(crate) fn page(view: &View, committee: usize, year: i16) -> PageContent {
    let data = data(view, committee, year);
    PageContent {
        template: "report.html",
        title: data.heading.clone(),
        section: "trends".into(),
        fallback: data.committee.fallback,
        data: Context::from_serialize(&data).expect("serialisable"),
    }
}

#[derive(Serialize)]
struct CommitteeReports {
    code: String,
    name: Text,
    periods: Vec<PeriodLink>,
}

#[derive(Serialize)]
struct Index {
    intro: String,
    committees: Vec<CommitteeReports>,
}

pub(crate) fn index(view: &View) -> PageContent {
    let public = view.site.public;
    let committees = public
        .committees
        .iter()
        .enumerate()
        .map(|(i, c)| CommitteeReports {
            code: c.code.to_string(),
            name: view.text(&c.name),
            periods: period_links(view, i, None),
        })
        .collect();
    let data = Index {
        intro: view.t("reports_intro"),
        committees,
    };
    PageContent {
        template: "reports.html",
        title: view.t("reports_title"),
        section: "trends".into(),
        fallback: false,
        data: Context::from_serialize(&data).expect("serialisable"),
    }
}
