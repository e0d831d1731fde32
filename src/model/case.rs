//! A case record (`public-data/cases/<year>/<id>.toml`), private fields included.
//!
//! Only `project` may read this type to decide what is published.

use serde::Deserialize;
use toml::Spanned;

use super::date::{Date, Month};
use super::ids::{CaseId, CommitteeCode, CountryCode, TermId, WebUrl};
use super::localized::Localized;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Case {
    pub id: Spanned<CaseId>,
    /// Gate: false means the case appears nowhere, not even in counts.
    #[serde(default = "unpublished")]
    pub publish: Spanned<bool>,
    /// With `publish = false`: count the case, never show it (see `gates::counted_in_statistics`).
    #[serde(default = "unpublished")]
    pub statistics: Spanned<bool>,
    pub consent: Option<Spanned<Consent>>,
    /// Gate: the secretariat's assessment and approval. Never published.
    pub review: Option<Spanned<Review>>,
    pub title: Spanned<Localized>,
    pub summary: Spanned<Localized>,
    pub committees: Spanned<Vec<Spanned<CommitteeCode>>>,
    pub country: Spanned<CountryCode>,
    pub date_reported: Date,
    pub incident: Option<Spanned<Incident>>,
    #[serde(default)]
    pub context: Vec<Spanned<TermId>>,
    pub reprisal_types: Spanned<Vec<Spanned<TermId>>>,
    pub status: Spanned<TermId>,
    pub victim: Victim,
    #[serde(default)]
    pub perpetrators: Vec<Spanned<TermId>>,
    #[serde(default)]
    pub actions: Vec<Action>,
    #[serde(default)]
    pub correspondence: Vec<Correspondence>,
    #[serde(default)]
    pub sources: Vec<Source>,
    #[serde(default)]
    pub related: Vec<Spanned<CaseId>>,
    /// The same case before other UN mechanisms (Special Procedures, SG report, HRC, GA).
    #[serde(default)]
    pub mechanism_refs: Vec<MechanismRef>,
    /// Never published, whatever it holds.
    pub private: Option<toml::Table>,
}

fn unpublished() -> Spanned<bool> {
    Spanned::new(0..0, false)
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Consent {
    pub given: bool,
    pub date: Option<Date>,
    #[serde(default)]
    pub scopes: Vec<Spanned<ConsentScope>>,
    pub withdrawn: Option<Date>,
}

/// The secretariat's review before publication: verified, risk weighed, approved.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Review {
    /// The day the allegation was assessed (verified with the source).
    pub assessed: Option<Date>,
    /// The day publication was approved; `publish = true` needs it.
    pub approved: Option<Spanned<Date>>,
    /// Why publicity is safe despite a special category (child, detainee...). For the file only.
    pub safeguarding: Option<Spanned<Localized>>,
}

/// What the person concerned agreed may be shown beyond the case itself.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConsentScope {
    Name,
    Gender,
    AgeGroup,
    Perpetrators,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Incident {
    pub from: Month,
    pub to: Option<Month>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Victim {
    pub kind: VictimKind,
    #[serde(default = "one")]
    pub count: u32,
    #[serde(default)]
    pub profile: Vec<Spanned<TermId>>,
    pub name: Option<String>,
    pub gender: Option<Spanned<TermId>>,
    pub age_group: Option<Spanned<TermId>>,
}

fn one() -> u32 {
    1
}

#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, serde::Serialize,
)]
#[serde(rename_all = "snake_case")]
pub enum VictimKind {
    Individual,
    Group,
    Organization,
    Relatives,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Action {
    pub date: Date,
    pub kind: Spanned<TermId>,
    pub committee: Spanned<CommitteeCode>,
    #[serde(default)]
    pub public: bool,
    pub reference: Option<String>,
    pub note: Option<Spanned<Localized>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Correspondence {
    pub kind: LetterKind,
    pub date: Date,
    pub symbol: Option<String>,
    pub deadline: Option<Spanned<Date>>,
    pub publish_after: Option<Date>,
    #[serde(default)]
    pub mode: LetterMode,
    pub summary: Option<Spanned<Localized>>,
    pub file: Option<Spanned<String>>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Deserialize, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LetterKind {
    LetterToState,
    StateReply,
    Reminder,
    FollowUp,
}

/// How much of a letter may be shown once its embargo ends.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Deserialize, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LetterMode {
    #[default]
    Summary,
    Full,
    Withheld,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Source {
    pub symbol: String,
    pub title: Option<Localized>,
    pub url: Option<WebUrl>,
}

/// Where the case appears in another UN mechanism's public record.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MechanismRef {
    pub kind: MechanismKind,
    /// The communication reference or document symbol (`AL MEX 3/2024`, `A/HRC/57/60`).
    pub reference: Spanned<String>,
    /// Paragraph or annex entry (`para. 45`, `annex I, para. 12`).
    pub paragraph: Option<String>,
    pub date: Option<Date>,
    pub url: Option<WebUrl>,
}

#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, serde::Serialize,
)]
#[serde(rename_all = "snake_case")]
pub enum MechanismKind {
    /// A Special Procedures communication (urgent appeal, allegation letter).
    SpecialProceduresCommunication,
    /// The Secretary-General's annual report on cooperation with the UN (reprisals).
    SgReport,
    HrcStatement,
    GaStatement,
    /// An opinion of the Working Group on Arbitrary Detention.
    WgadOpinion,
    /// A regional human rights mechanism.
    RegionalMechanism,
    Other,
}

impl MechanismKind {
    /// The machine name used in open data and as the key of its label (`mechanism_<name>`).
    pub fn name(self) -> &'static str {
        match self {
            MechanismKind::SpecialProceduresCommunication => "special_procedures_communication",
            MechanismKind::SgReport => "sg_report",
            MechanismKind::HrcStatement => "hrc_statement",
            MechanismKind::GaStatement => "ga_statement",
            MechanismKind::WgadOpinion => "wgad_opinion",
            MechanismKind::RegionalMechanism => "regional_mechanism",
            MechanismKind::Other => "other",
        }
    }
}

impl Case {
    pub fn scopes(&self) -> impl Iterator<Item = ConsentScope> + '_ {
        self.consent
            .iter()
            .flat_map(|c| c.get_ref().scopes.iter().map(|s| *s.get_ref()))
    }

    pub fn lead_committee(&self) -> Option<&CommitteeCode> {
        self.committees.get_ref().first().map(|c| c.get_ref())
    }
}
