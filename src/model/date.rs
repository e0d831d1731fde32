//! Calendar dates and months as written in records: TOML dates (`2024-03-12`) or strings.

use std::fmt;

use jiff::civil;
use serde::de::{self, MapAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A civil date without time or zone: the build's only notion of time.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date(pub civil::Date);

impl Date {
    /// Reads `YYYY-MM-DD`.
    pub fn parse(raw: &str) -> Result<Self, String> {
        raw.trim()
            .parse::<civil::Date>()
            .map(Date)
            .map_err(|_| format!("`{raw}` is not a date of the form YYYY-MM-DD"))
    }

    /// The year.
    pub fn year(self) -> i16 {
        self.0.year()
    }

    /// Today in UTC: used only when neither `--build-date` nor `site.toml` sets the date.
    pub fn today_utc() -> Self {
        Date(
            jiff::Timestamp::now()
                .to_zoned(jiff::tz::TimeZone::UTC)
                .date(),
        )
    }

    /// `days` later (or earlier when negative); the same day if the calendar ends first.
    pub fn plus_days(self, days: i32) -> Self {
        Date(
            self.0
                .checked_add(jiff::Span::new().days(days))
                .unwrap_or(self.0),
        )
    }

    /// The following day.
    pub fn next_day(self) -> Self {
        Date(self.0.tomorrow().unwrap_or(self.0))
    }

    /// The same day `years` later (28 February for 29 February), saturating at the end of
    /// the calendar.
    pub fn add_years(self, years: i16) -> Self {
        Date(
            self.0
                .checked_add(jiff::Span::new().years(years))
                .unwrap_or(civil::Date::MAX),
        )
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// Accepts a bare TOML date, or a quoted string, so both habits work.
struct DateVisitor;

impl<'de> Visitor<'de> for DateVisitor {
    type Value = Date;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a date such as 2024-03-12")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Date, E> {
        Date::parse(v).map_err(E::custom)
    }

    // The toml crate hands datetimes over as a one-entry map holding their text.
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Date, A::Error> {
        // An inline table written by hand (`{}` or `{ a = 1 }`) is not a datetime: asking an
        // empty map for its value would panic inside the toml crate.
        if map.next_key::<String>()?.is_none() {
            return Err(de::Error::custom(
                "expected a date such as 2024-03-12, found a table",
            ));
        }
        let text: String = map.next_value()?;
        Date::parse(&text).map_err(de::Error::custom)
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(DateVisitor)
    }
}

/// A month (`2024-01`): incidents are public at month precision only.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Month {
    pub year: i16,
    pub month: i8,
}

impl Month {
    pub fn parse(raw: &str) -> Result<Self, String> {
        let err = || format!("`{raw}` is not a month of the form YYYY-MM");
        let (y, m) = raw.split_once('-').ok_or_else(err)?;
        if y.len() != 4 || m.len() != 2 {
            return Err(err());
        }
        let year: i16 = y.parse().map_err(|_| err())?;
        let month: i8 = m.parse().map_err(|_| err())?;
        if !(1..=12).contains(&month) {
            return Err(err());
        }
        Ok(Month { year, month })
    }
}

impl fmt::Display for Month {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

impl Serialize for Month {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Month {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw = String::deserialize(deserializer)?;
        Month::parse(&raw).map_err(de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Deserialize)]
    struct Doc {
        bare: Date,
        quoted: Date,
        month: Month,
    }

    #[test]
    fn reads_bare_and_quoted_dates() {
        let doc: Doc =
            toml::from_str("bare = 2024-03-12\nquoted = \"2024-03-13\"\nmonth = \"2024-01\"")
                .unwrap();
        assert_eq!(doc.bare.to_string(), "2024-03-12");
        assert_eq!(doc.quoted.to_string(), "2024-03-13");
        assert_eq!(doc.month.to_string(), "2024-01");
    }

    #[test]
    fn a_table_where_a_date_belongs_is_an_error_not_a_panic() {
        let empty = "bare = {}\nquoted = \"2024-01-01\"\nmonth = \"2024-01\"";
        let err = toml::from_str::<Doc>(empty).err().expect("rejected");
        assert!(err.to_string().contains("expected a date"), "{err}");
        let other = "bare = { a = 1 }\nquoted = \"2024-01-01\"\nmonth = \"2024-01\"";
        assert!(toml::from_str::<Doc>(other).is_err());
    }

    #[test]
    fn rejects_impossible_values() {
        assert!(Date::parse("2024-02-30").is_err());
        assert!(Month::parse("2024-13").is_err());
        assert!(Month::parse("2024-1").is_err());
    }
}
