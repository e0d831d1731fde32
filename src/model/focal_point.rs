//! A focal point appointment (`public-data/focal-points/*.toml`): one person, one term.

use serde::{Deserialize, Serialize};
use toml::Spanned;

use super::committee::Contact;
use super::date::Date;
use super::ids::{CommitteeCode, LangCode, TermId};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FocalPoint {
    pub committee: Spanned<CommitteeCode>,
    pub name: String,
    pub role: Role,
    #[serde(default)]
    pub scope: Vec<Spanned<TermId>>,
    pub term: Spanned<Term>,
    #[serde(default)]
    pub languages: Vec<Spanned<LangCode>>,
    #[serde(default)]
    pub contact: Vec<Contact>,
    /// Never published, whatever it holds.
    pub private: Option<toml::Table>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Rapporteur,
    Alternate,
    FocalPoint,
    WorkingGroupMember,
}

#[derive(Clone, Copy, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Term {
    pub start: Date,
    pub end: Option<Date>,
}

/// Where a term stands on a given day.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TermStatus {
    Future,
    Current,
    Past,
}

impl Term {
    /// The build date decides: a term is current from its start to its end, both included.
    pub fn status_on(&self, day: Date) -> TermStatus {
        if day < self.start {
            TermStatus::Future
        } else if self.end.is_some_and(|end| day > end) {
            TermStatus::Past
        } else {
            TermStatus::Current
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    #[test]
    fn build_date_decides_current_and_past() {
        let term = Term {
            start: d("2022-01-01"),
            end: Some(d("2025-12-31")),
        };
        assert_eq!(term.status_on(d("2021-12-31")), TermStatus::Future);
        assert_eq!(term.status_on(d("2022-01-01")), TermStatus::Current);
        assert_eq!(term.status_on(d("2025-12-31")), TermStatus::Current);
        assert_eq!(term.status_on(d("2026-01-01")), TermStatus::Past);
        let open = Term {
            start: d("2022-01-01"),
            end: None,
        };
        assert_eq!(open.status_on(d("2099-01-01")), TermStatus::Current);
    }
}
