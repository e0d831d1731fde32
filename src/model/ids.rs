//! Typed identifiers, checked once when a record is read so later stages can trust them.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize};

macro_rules! string_id {
    ($(#[$doc:meta])* $name:ident, $check:expr, $expected:literal) => {
        $(#[$doc])*
        #[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
        #[serde(transparent)]
        pub struct $name(String);

        impl $name {
            /// Accepts `raw` when it has the documented shape.
            pub fn parse(raw: &str) -> Result<Self, String> {
                let check: fn(&str) -> bool = $check;
                if check(raw) {
                    Ok(Self(raw.to_owned()))
                } else {
                    Err(format!("`{raw}` is not {}", $expected))
                }
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let raw = String::deserialize(deserializer)?;
                Self::parse(&raw).map_err(serde::de::Error::custom)
            }
        }

        impl std::borrow::Borrow<str> for $name {
            fn borrow(&self) -> &str {
                &self.0
            }
        }
    };
}

string_id!(
    /// A case id such as `2024-007`: the year it was reported, a dash, a sequence number.
    CaseId,
    |s| {
        let (year, seq) = s.split_once('-').unwrap_or(("", ""));
        year.len() == 4
            && seq.len() >= 3
            && year.bytes().all(|b| b.is_ascii_digit())
            && seq.bytes().all(|b| b.is_ascii_digit())
    },
    "a case id of the form YYYY-NNN (for example 2024-007)"
);

string_id!(
    /// A treaty body code in upper case, such as `CAT`.
    CommitteeCode,
    |s| (2..=8).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_uppercase()),
    "a committee code in capitals (for example CAT)"
);

string_id!(
    /// An ISO 3166-1 alpha-3 country code, such as `MEX`.
    CountryCode,
    |s| s.len() == 3 && s.bytes().all(|b| b.is_ascii_uppercase()),
    "an ISO 3166-1 alpha-3 country code in capitals (for example MEX)"
);

string_id!(
    /// A language code such as `en` or `zh`, as used in URLs and `lang` attributes.
    LangCode,
    |s| {
        (2..=3).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_lowercase())
            || s.len() > 3 && s.split('-').all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_alphanumeric()))
    },
    "a language code (for example en, fr, ar, zh)"
);

string_id!(
    /// An id from a controlled vocabulary, such as `arbitrary_detention`.
    TermId,
    |s| {
        !s.is_empty()
            && s.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
    },
    "a vocabulary id in snake_case (for example arbitrary_detention)"
);

string_id!(
    /// A web address that may become a link: `https://` or `http://` and a host, nothing a
    /// browser could run (`javascript:`, `data:`) and no characters that would break out of it.
    WebUrl,
    |s| {
        let lower = s.to_ascii_lowercase();
        let rest = lower
            .strip_prefix("https://")
            .or_else(|| lower.strip_prefix("http://"));
        let has_host = rest.is_some_and(|r| !r.split(['/', '?', '#']).next().unwrap_or("").is_empty());
        has_host
            && !s.chars().any(|c| {
                c.is_whitespace() || c.is_control() || matches!(c, '"' | '\'' | '<' | '>' | '\\' | '`')
            })
    },
    "a web address starting with https:// (or http://)"
);

/// The six official UN languages, in the order the UN lists them (by their English names).
pub(crate) const UN_LANGUAGES: [&str; 6] = ["ar", "zh", "en", "fr", "ru", "es"];

impl CommitteeCode {
    /// The form used in URLs and file names.
    pub fn slug(&self) -> String {
        self.0.to_ascii_lowercase()
    }
}

impl CountryCode {
    pub fn slug(&self) -> String {
        self.0.to_ascii_lowercase()
    }
}

impl CaseId {
    /// The year the case was reported, as written in its id.
    pub fn year(&self) -> i16 {
        self.0[..4].parse().unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn case_ids_have_year_and_sequence() {
        assert!(CaseId::parse("2024-007").is_ok());
        assert_eq!(CaseId::parse("2024-007").unwrap().year(), 2024);
        for bad in ["2024-7", "24-007", "2024_007", "2024-00a", "", "../etc"] {
            assert!(CaseId::parse(bad).is_err(), "{bad} accepted");
        }
    }

    #[test]
    fn committee_codes_are_capitals() {
        assert!(CommitteeCode::parse("CEDAW").is_ok());
        assert!(CommitteeCode::parse("cat").is_err());
    }
}
