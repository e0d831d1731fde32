//! What one committee did in one reporting period, and what happened to cases in a span of
//! days: the facts behind the annual report sections and the SG-report export.
//!
//! Letters carry no committee of their own: they count for the case's lead committee (the
//! first listed), which is the one that writes to the State.

use std::collections::BTreeSet;

use crate::model::date::Date;
use crate::model::ids::CommitteeCode;
use crate::period::Period;
use crate::public::{PublicCase, PublicSite};

/// Indexes into `PublicSite::cases` and into each case's lists.
#[derive(Debug, Default)]
pub(crate) struct PeriodReport {
    /// Cases before this committee reported in the period.
    pub received: Vec<usize>,
    /// (case, action): public actions this committee took in the period.
    pub actions: Vec<(usize, usize)>,
    /// Actions this committee took in the period that are not described.
    pub undisclosed: usize,
    /// (case, letter): published letters dated in the period, in cases this committee leads.
    pub letters: Vec<(usize, usize)>,
    /// Cases reported before the period with public events of this committee in it.
    pub follow_up: Vec<usize>,
}

fn leads(case: &PublicCase, code: &CommitteeCode) -> bool {
    case.committees.first() == Some(code)
}

pub(crate) fn report(site: &PublicSite, code: &CommitteeCode, period: Period) -> PeriodReport {
    let mut out = PeriodReport::default();
    let mut follow_up = BTreeSet::new();
    for (i, case) in site.cases.iter().enumerate() {
        let involved = case.committees.contains(code);
        let received = involved && period.contains(case.date_reported);
        if received {
            out.received.push(i);
        }
        let before = case.date_reported < period.first_day();
        for (j, action) in case.actions.iter().enumerate() {
            if &action.committee == code && period.contains(action.date) {
                out.actions.push((i, j));
                if before {
                    follow_up.insert(i);
                }
            }
        }
        out.undisclosed += case
            .undisclosed
            .iter()
            .filter(|u| &u.committee == code && u.period == period.year)
            .count();
        if leads(case, code) {
            for (j, letter) in case.correspondence.iter().enumerate() {
                if period.contains(letter.date) {
                    out.letters.push((i, j));
                    if before {
                        follow_up.insert(i);
                    }
                }
            }
        }
    }
    out.follow_up = follow_up.into_iter().collect();
    // Oldest first, as a report tells events.
    out.received.reverse();
    out.actions
        .sort_by_key(|&(i, j)| (site.cases[i].actions[j].date, site.cases[i].id.clone()));
    out.letters.sort_by_key(|&(i, j)| {
        (
            site.cases[i].correspondence[j].date,
            site.cases[i].id.clone(),
        )
    });
    out.follow_up
        .sort_by_key(|&i| (site.cases[i].date_reported, site.cases[i].id.clone()));
    out
}

/// Periods in which `code` received a case, took an action or sent a letter, newest first.
pub(crate) fn active_periods(site: &PublicSite, code: &CommitteeCode) -> Vec<Period> {
    let Some(committee) = site.committees.iter().find(|c| &c.code == code) else {
        return Vec::new();
    };
    let start = committee.period_start;
    let mut years = BTreeSet::new();
    for case in &site.cases {
        if case.committees.contains(code) {
            years.insert(start.period_of(case.date_reported).year);
        }
        for action in case.actions.iter().filter(|a| &a.committee == code) {
            years.insert(start.period_of(action.date).year);
        }
        years.extend(
            case.undisclosed
                .iter()
                .filter(|u| &u.committee == code)
                .map(|u| u.period),
        );
        if leads(case, code) {
            for letter in &case.correspondence {
                years.insert(start.period_of(letter.date).year);
            }
        }
    }
    years.into_iter().rev().map(|y| start.period(y)).collect()
}

/// The public events of a case in a span of days: dates of public actions and published letters.
pub(crate) fn events_between(case: &PublicCase, first: Date, last: Date) -> Vec<Date> {
    let inside = |d: &Date| first <= *d && *d <= last;
    let mut days: Vec<Date> = case
        .actions
        .iter()
        .map(|a| a.date)
        .chain(case.correspondence.iter().map(|l| l.date))
        .filter(inside)
        .collect();
    days.sort();
    days
}
