//! A treaty body record (`public-data/committees/<code>.toml`).

use serde::{Deserialize, Serialize};
use toml::Spanned;

use super::date::Date;
use super::ids::{CommitteeCode, WebUrl};
use super::localized::Localized;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Committee {
    pub code: Spanned<CommitteeCode>,
    pub name: Localized,
    pub treaty: Localized,
    #[serde(default)]
    pub reprisal_provisions: Vec<Provision>,
    #[serde(default)]
    pub policy_documents: Vec<PolicyDocument>,
    #[serde(default)]
    pub sjg_endorsed: Endorsement,
    pub web_page: Option<WebUrl>,
    /// The committee's own page on reprisals, where it has one; otherwise the site links to
    /// `web_page` and says it is the committee's web page.
    pub reprisals_page: Option<WebUrl>,
    #[serde(default)]
    pub contact: Vec<Contact>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Provision {
    pub instrument: String,
    pub article: String,
    pub text: Localized,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PolicyDocument {
    pub symbol: String,
    pub title: Localized,
    pub year: Option<u16>,
    pub url: Option<WebUrl>,
}

/// `sjg_endorsed = true`, `false`, or the date the committee endorsed the San José Guidelines.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(untagged)]
pub enum Endorsement {
    #[default]
    #[serde(skip)]
    Unknown,
    Flag(bool),
    On(Date),
}

/// A published contact channel of a committee secretariat or focal point.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Contact {
    pub kind: ContactKind,
    pub value: String,
    pub label: Option<Localized>,
    pub fingerprint: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ContactKind {
    /// Listed first: the channels that protect the sender best.
    Secure,
    Pgp,
    Email,
    Web,
    Phone,
}
