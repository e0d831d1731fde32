//! A committee session ahead (`public-data/sessions/*.toml`): dates, States reviewed, visits.

use serde::Deserialize;
use toml::Spanned;

use super::date::Date;
use super::ids::{CommitteeCode, CountryCode};
use super::localized::Localized;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Session {
    pub committee: Spanned<CommitteeCode>,
    /// As the committee names it: "82", "82nd session", "SPT 56".
    pub session: Spanned<String>,
    pub start: Spanned<Date>,
    pub end: Spanned<Date>,
    /// Where it meets, if worth saying ("Geneva", "online").
    pub place: Option<Localized>,
    /// States whose reports are reviewed at this session.
    #[serde(default)]
    pub reviews: Vec<Spanned<CountryCode>>,
    #[serde(default)]
    pub visits: Vec<Spanned<Visit>>,
    /// Never published, whatever it holds.
    pub private: Option<toml::Table>,
}

/// A country visit. Gate: shown only when the committee has made it public.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Visit {
    pub country: Spanned<CountryCode>,
    pub start: Option<Date>,
    pub end: Option<Date>,
    /// Default false: an unannounced visit appears nowhere.
    #[serde(default)]
    pub public: bool,
}
