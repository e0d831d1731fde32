//! What one committee did in one reporting period, and what happened to cases in a span of
//! days: the facts behind the annual report sections and the SG-report export.
//!
//! Letters carry no committee of their own: they count for the case's lead committee (the
//! first listed), which is the one that writes to the State.

use std::collections::{BTreeMap, BTreeSet};

use rayon::prelude::*;

use crate::model::date::Date;
use crate::model::ids::CommitteeCode;
use crate::period::{Period, PeriodStart};
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

/// Every committee's reports, one per period in which it received a case, took an action or
/// sent a letter: worked out in one pass over the cases per committee, since a report page,
/// its `report.md`, and every committee page's links would otherwise each read all cases.
#[derive(Debug, Default)]
pub(crate) struct Reports {
    /// By committee (as in `PublicSite::committees`), then by the year the period starts in.
    by_committee: Vec<BTreeMap<i16, PeriodReport>>,
}

impl Reports {
    pub(crate) fn new(site: &PublicSite) -> Self {
        // Each committee goes over every case: side by side.
        let by_committee = site
            .committees
            .par_iter()
            .map(|c| of_committee(site, &c.code, c.period_start))
            .collect();
        Reports { by_committee }
    }

    /// The periods of committee `committee`'s reports, newest first.
    pub(crate) fn periods(&self, site: &PublicSite, committee: usize) -> Vec<Period> {
        let start = site.committees[committee].period_start;
        self.by_committee[committee]
            .keys()
            .rev()
            .map(|&year| start.period(year))
            .collect()
    }

    /// Committee `committee`'s report for the period that starts in `year` (empty if it has
    /// none).
    pub(crate) fn get(&self, committee: usize, year: i16) -> &PeriodReport {
        static EMPTY: PeriodReport = PeriodReport {
            received: Vec::new(),
            actions: Vec::new(),
            undisclosed: 0,
            letters: Vec::new(),
            follow_up: Vec::new(),
        };
        self.by_committee[committee].get(&year).unwrap_or(&EMPTY)
    }
}

fn of_committee(
    site: &PublicSite,
    code: &CommitteeCode,
    start: PeriodStart,
) -> BTreeMap<i16, PeriodReport> {
    let mut reports: BTreeMap<i16, PeriodReport> = BTreeMap::new();
    let mut follow_up: BTreeMap<i16, BTreeSet<usize>> = BTreeMap::new();
    for (i, case) in site.cases.iter().enumerate() {
        if case.committees.contains(code) {
            let year = year_of(start, case.date_reported);
            reports.entry(year).or_default().received.push(i);
        }
        // Events of a period that the case was reported before make it a follow-up there.
        let mut event_in = |year: i16| {
            if case.date_reported < start.period(year).first_day() {
                follow_up.entry(year).or_default().insert(i);
            }
            year
        };
        for (j, action) in case.actions.iter().enumerate() {
            if &action.committee == code {
                let year = event_in(year_of(start, action.date));
                reports.entry(year).or_default().actions.push((i, j));
            }
        }
        for u in case.undisclosed.iter().filter(|u| &u.committee == code) {
            reports.entry(u.period).or_default().undisclosed += 1;
        }
        if leads(case, code) {
            for (j, letter) in case.correspondence.iter().enumerate() {
                let year = event_in(year_of(start, letter.date));
                reports.entry(year).or_default().letters.push((i, j));
            }
        }
    }
    for (year, report) in &mut reports {
        report.follow_up = follow_up
            .remove(year)
            .unwrap_or_default()
            .into_iter()
            .collect();
        // Oldest first, as a report tells events.
        report.received.reverse();
        report
            .actions
            .sort_by_key(|&(i, j)| (site.cases[i].actions[j].date, site.cases[i].id.clone()));
        report.letters.sort_by_key(|&(i, j)| {
            (
                site.cases[i].correspondence[j].date,
                site.cases[i].id.clone(),
            )
        });
        report
            .follow_up
            .sort_by_key(|&i| (site.cases[i].date_reported, site.cases[i].id.clone()));
    }
    reports
}

/// The year of the period that holds `date`, by the period's own first and last days (which
/// move to the 28th in a month too short for the start day). `serve`'s fingerprints use it too,
/// so that a report page is redrawn exactly when a case in it changes.
pub(crate) fn year_of(start: PeriodStart, date: Date) -> i16 {
    let year = start.period_of(date).year;
    [year, year + 1, year - 1]
        .into_iter()
        .find(|&y| start.period(y).contains(date))
        .unwrap_or(year)
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
