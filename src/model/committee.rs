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
    /// Whether and when it publishes its letters to States (`[letters]`); absent = not recorded.
    pub letters: Option<Spanned<LetterPractice>>,
    /// How allegations reach it; empty = not recorded.
    #[serde(default)]
    pub intake: Vec<Spanned<IntakeChannel>>,
}

/// A committee's practice with its letters to States, for the comparison on `/committees/`.
#[derive(Clone, Copy, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct LetterPractice {
    /// Whether letters (and replies) are published at all.
    pub published: bool,
    /// Days after the State's reply deadline when they are published (0 = as it passes).
    pub after_deadline_days: Option<u16>,
    /// The time the committee usually gives a State to reply, in days.
    pub reply_deadline_days: Option<u16>,
}

/// A way an allegation can reach a committee.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum IntakeChannel {
    SecureForm,
    Email,
    Post,
    /// In person, during a session or a visit.
    InSession,
    /// Through an OHCHR field presence.
    OhchrField,
}

impl IntakeChannel {
    /// The key of its label in the interface strings.
    pub fn string_key(self) -> &'static str {
        match self {
            IntakeChannel::SecureForm => "intake_secure_form",
            IntakeChannel::Email => "intake_email",
            IntakeChannel::Post => "intake_post",
            IntakeChannel::InSession => "intake_in_session",
            IntakeChannel::OhchrField => "intake_ohchr_field",
        }
    }
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
