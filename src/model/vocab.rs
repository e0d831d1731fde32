//! Controlled vocabularies (`public-data/vocab/*.toml`): ids with labels per language.

use std::collections::BTreeMap;

use serde::Deserialize;
use toml::Spanned;

use super::ids::{CountryCode, TermId};
use super::localized::Localized;

/// One vocabulary file: `[[term]]` entries.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct TermList {
    #[serde(default)]
    pub term: Vec<Term>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Term {
    pub id: Spanned<TermId>,
    pub label: Localized,
    pub definition: Option<Localized>,
    /// Policy (statuses): `false` means a case in this status cannot be published.
    #[serde(default = "yes")]
    pub publishable: bool,
    /// Policy (profiles, age groups, contexts): publishing needs `review.safeguarding`.
    #[serde(default)]
    pub special_category: bool,
}

fn yes() -> bool {
    true
}

/// `vocab/countries.toml`: `[[country]]` entries.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct CountryList {
    #[serde(default)]
    pub country: Vec<Country>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Country {
    pub code: Spanned<CountryCode>,
    pub name: Localized,
    pub region: Spanned<TermId>,
}

/// The vocabularies a case refers to, by the field that uses them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum VocabKind {
    ReprisalTypes,
    Contexts,
    Statuses,
    ActionKinds,
    VictimProfiles,
    Perpetrators,
    Genders,
    AgeGroups,
    Regions,
}

impl VocabKind {
    pub const ALL: [VocabKind; 9] = [
        VocabKind::ReprisalTypes,
        VocabKind::Contexts,
        VocabKind::Statuses,
        VocabKind::ActionKinds,
        VocabKind::VictimProfiles,
        VocabKind::Perpetrators,
        VocabKind::Genders,
        VocabKind::AgeGroups,
        VocabKind::Regions,
    ];

    /// The file under `public-data/vocab/` that holds this vocabulary.
    pub fn file_stem(self) -> &'static str {
        match self {
            VocabKind::ReprisalTypes => "reprisal_types",
            VocabKind::Contexts => "contexts",
            VocabKind::Statuses => "statuses",
            VocabKind::ActionKinds => "action_kinds",
            VocabKind::VictimProfiles => "victim_profiles",
            VocabKind::Perpetrators => "perpetrators",
            VocabKind::Genders => "genders",
            VocabKind::AgeGroups => "age_groups",
            VocabKind::Regions => "regions",
        }
    }

    /// How the vocabulary is named in messages ("unknown reprisal type `x`").
    pub fn noun(self) -> &'static str {
        match self {
            VocabKind::ReprisalTypes => "reprisal type",
            VocabKind::Contexts => "context",
            VocabKind::Statuses => "status",
            VocabKind::ActionKinds => "action kind",
            VocabKind::VictimProfiles => "victim profile",
            VocabKind::Perpetrators => "perpetrator category",
            VocabKind::Genders => "gender",
            VocabKind::AgeGroups => "age group",
            VocabKind::Regions => "region",
        }
    }
}

/// All vocabularies, in file order within each.
#[derive(Debug, Default)]
pub struct Vocab {
    pub lists: BTreeMap<VocabKind, Vec<Term>>,
    pub countries: Vec<Country>,
}

impl Vocab {
    pub fn terms(&self, kind: VocabKind) -> &[Term] {
        self.lists.get(&kind).map(Vec::as_slice).unwrap_or(&[])
    }

    pub fn term(&self, kind: VocabKind, id: &str) -> Option<&Term> {
        self.terms(kind)
            .iter()
            .find(|t| t.id.get_ref().as_str() == id)
    }

    pub fn country(&self, code: &str) -> Option<&Country> {
        self.countries
            .iter()
            .find(|c| c.code.get_ref().as_str() == code)
    }
}
