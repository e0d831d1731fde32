//! Reporting periods: the committee year that annual reports and the SG-report export count in.
//!
//! A period is named by the year it starts in. With the default start `05-01`, period 2024 runs
//! from 1 May 2024 to 30 April 2025, as in the Secretary-General's reports on cooperation with
//! the UN; with `01-01` it is the calendar year.

use std::fmt;

use jiff::civil;
use serde::Serialize;

use crate::model::date::Date;

/// The first day of a reporting year, as written in `site.toml` (`MM-DD`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct PeriodStart {
    month: i8,
    day: i8,
}

impl PeriodStart {
    /// 1 May, the Secretary-General's reporting year.
    pub const DEFAULT: PeriodStart = PeriodStart { month: 5, day: 1 };

    /// Reads `MM-DD`.
    pub fn parse(raw: &str) -> Result<Self, String> {
        let err = || format!("`{raw}` is not a month and day of the form MM-DD");
        let (m, d) = raw.trim().split_once('-').ok_or_else(err)?;
        let month: i8 = m.parse().map_err(|_| err())?;
        let day: i8 = d.parse().map_err(|_| err())?;
        // A leap year, so that 02-29 is accepted (it falls back to 28 February elsewhere).
        civil::Date::new(2000, month, day).map_err(|_| err())?;
        Ok(PeriodStart { month, day })
    }

    /// The period that `date` falls in.
    pub fn period_of(self, date: Date) -> Period {
        let d = date.0;
        let year = if (d.month(), d.day()) >= (self.month, self.day) {
            d.year()
        } else {
            d.year() - 1
        };
        Period { start: self, year }
    }

    /// The start of period `year`.
    pub fn period(self, year: i16) -> Period {
        Period { start: self, year }
    }

    /// The first day of period `year`; `None` past the last year the calendar holds (9999).
    fn date_in(self, year: i16) -> Option<Date> {
        civil::Date::new(year, self.month, self.day)
            .or_else(|_| civil::Date::new(year, self.month, 28))
            .ok()
            .map(Date)
    }
}

impl Default for PeriodStart {
    fn default() -> Self {
        PeriodStart::DEFAULT
    }
}

impl fmt::Display for PeriodStart {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:02}-{:02}", self.month, self.day)
    }
}

impl Serialize for PeriodStart {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// One reporting year of one committee.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Period {
    /// The first month and day of every period.
    pub start: PeriodStart,
    /// The year the period starts in: its name in URLs (`/reports/cat/2024/`).
    pub year: i16,
}

impl Period {
    /// The period's first day.
    pub fn first_day(self) -> Date {
        self.start
            .date_in(self.year)
            .unwrap_or(Date(civil::Date::MIN))
    }

    /// The last day, inclusive. The period that starts in 9999 ends on the calendar's last day.
    pub fn last_day(self) -> Date {
        match self.year.checked_add(1).and_then(|y| self.start.date_in(y)) {
            Some(next) => Date(next.0.yesterday().unwrap_or(next.0)),
            None => Date(civil::Date::MAX),
        }
    }

    /// Whether `date` falls in the period.
    pub fn contains(self, date: Date) -> bool {
        self.first_day() <= date && date <= self.last_day()
    }

    /// `2024` for a calendar year, `2024–2025` otherwise.
    pub fn label(self) -> String {
        if self.start == (PeriodStart { month: 1, day: 1 }) {
            self.year.to_string()
        } else {
            format!("{}–{}", self.year, self.year + 1)
        }
    }
}

/// A span of days given on the command line as `2024-05-01..2025-04-30` (both days included).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DateRange {
    /// First day, included.
    pub first: Date,
    /// Last day, included.
    pub last: Date,
}

impl DateRange {
    /// Reads `YYYY-MM-DD..YYYY-MM-DD`.
    pub fn parse(raw: &str) -> Result<Self, String> {
        let (a, b) = raw
            .split_once("..")
            .ok_or_else(|| format!("`{raw}` is not a period such as 2024-05-01..2025-04-30"))?;
        let first = Date::parse(a)?;
        let last = Date::parse(b)?;
        if last < first {
            return Err(format!("the period `{raw}` ends before it starts"));
        }
        Ok(DateRange { first, last })
    }

    /// Whether `date` falls in the range.
    pub fn contains(self, date: Date) -> bool {
        self.first <= date && date <= self.last
    }
}

/// `--period`: days `FIRST..LAST`, or a reporting year named by the year it starts in (`2024`),
/// whose days come from `reports.period_start` in `site.toml`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PeriodArg {
    /// Explicit first and last days.
    Range(DateRange),
    /// The reporting period that starts in this year.
    Year(i16),
}

impl PeriodArg {
    /// Reads a range or a year.
    pub fn parse(raw: &str) -> Result<Self, String> {
        let raw = raw.trim();
        if raw.len() == 4 && raw.bytes().all(|b| b.is_ascii_digit()) {
            return raw
                .parse()
                .map(PeriodArg::Year)
                .map_err(|_| format!("`{raw}` is not a year"));
        }
        DateRange::parse(raw)
            .map(PeriodArg::Range)
            .map_err(|e| format!("{e}, or a reporting year such as 2024"))
    }

    /// The days covered, both included.
    pub fn range(self, start: PeriodStart) -> DateRange {
        match self {
            PeriodArg::Range(range) => range,
            PeriodArg::Year(year) => {
                let period = start.period(year);
                DateRange {
                    first: period.first_day(),
                    last: period.last_day(),
                }
            }
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
    fn may_to_april_is_named_by_its_first_year() {
        let start = PeriodStart::parse("05-01").unwrap();
        let p = start.period_of(d("2025-04-30"));
        assert_eq!(p.year, 2024);
        assert_eq!(p.first_day(), d("2024-05-01"));
        assert_eq!(p.last_day(), d("2025-04-30"));
        assert_eq!(p.label(), "2024–2025");
        assert_eq!(start.period_of(d("2025-05-01")).year, 2025);
        assert!(p.contains(d("2024-12-31")) && !p.contains(d("2025-05-01")));
    }

    #[test]
    fn calendar_years_and_leap_days() {
        let jan = PeriodStart::parse("01-01").unwrap();
        assert_eq!(jan.period_of(d("2024-12-31")).label(), "2024");
        assert_eq!(jan.period(2024).last_day(), d("2024-12-31"));
        let leap = PeriodStart::parse("02-29").unwrap();
        assert_eq!(leap.period(2025).first_day(), d("2025-02-28"));
        assert!(PeriodStart::parse("13-01").is_err());
        assert!(PeriodStart::parse("May 1").is_err());
    }

    #[test]
    fn a_year_is_the_reporting_year_from_period_start() {
        let may = PeriodStart::parse("05-01").unwrap();
        let range = PeriodArg::parse("2024").unwrap().range(may);
        assert_eq!(
            (range.first, range.last),
            (d("2024-05-01"), d("2025-04-30"))
        );
        let given = PeriodArg::parse("2024-01-01..2024-06-30")
            .unwrap()
            .range(may);
        assert_eq!(
            (given.first, given.last),
            (d("2024-01-01"), d("2024-06-30"))
        );
        assert!(PeriodArg::parse("24").is_err());
    }

    #[test]
    fn the_last_year_of_the_calendar_has_an_end() {
        let start = PeriodStart::parse("05-01").unwrap();
        let p = start.period_of(d("9999-12-31"));
        assert_eq!(p.year, 9999);
        assert_eq!(p.last_day(), d("9999-12-31"));
        assert!(p.contains(d("9999-06-01")));
    }

    #[test]
    fn ranges_include_both_ends() {
        let r = DateRange::parse("2024-05-01..2025-04-30").unwrap();
        assert!(r.contains(d("2024-05-01")) && r.contains(d("2025-04-30")));
        assert!(!r.contains(d("2025-05-01")));
        assert!(DateRange::parse("2025-01-01..2024-01-01").is_err());
        assert!(DateRange::parse("2024").is_err());
    }
}
