//! The submission form of `/how-to-submit/form/` and the plain-text document it composes.
//!
//! One list of sections and fields (`FORM`) drives three things, so they cannot drift apart:
//! the HTML form and its blank text template (rendered in `render/pages/form.rs`), the text
//! `form.js` composes in the browser from that HTML, and `parse`, which reads the text back for
//! `reprisals-site new case --from FILE` (`draft` turns it into a case record).
//!
//! The text format, in one paragraph: `#` starts a comment line; `== Heading [section] ==`
//! starts a section; `Label [key]: value` is a field (the label is in the form's language and
//! ignored, the key is stable); lines that start with a space continue the field above (free
//! text). A choice is written as `Label (id)`, several separated by `;`.

pub mod draft;
pub mod parse;

use crate::model::vocab::VocabKind;

/// First line of every composed document, so a reader knows what it is and the parser which
/// version of the format it reads.
pub const MAGIC: &str = "reprisals-site submission 1";

/// Where the values of a choice come from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Options {
    /// `yes` or `no`.
    YesNo,
    /// A fixed list of ids; each label is the string `form_<field>_<id>`.
    Fixed(&'static [&'static str]),
    /// The ids of a vocabulary.
    Vocab(VocabKind),
    /// Committee codes.
    Committees,
    /// ISO 3166-1 alpha-3 codes from the countries vocabulary.
    Countries,
}

/// What a form field takes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Answer {
    /// One line of text.
    Line,
    /// Free text over several lines.
    Text,
    /// `YYYY-MM`.
    Month,
    /// A whole number.
    Number,
    /// One of the options (radio buttons or a select).
    One(Options),
    /// Any of the options (checkboxes).
    Many(Options),
}

/// One field of the intake form.
#[derive(Clone, Copy, Debug)]
pub struct Field {
    /// Stable key, also the end of its string keys (`form_<key>`, `form_<key>_hint`).
    pub key: &'static str,
    /// What it takes.
    pub answer: Answer,
    /// The option chosen before the person changes anything: always the one that discloses
    /// least (do not name anyone, do not publish, do not share).
    pub default: Option<&'static str>,
    /// Whether the form shows a hint under the label (`form_<key>_hint`).
    pub hint: bool,
}

/// A titled group of fields.
#[derive(Clone, Copy, Debug)]
pub struct Section {
    /// Stable key; its legend is the string `form_section_<key>`.
    pub key: &'static str,
    /// Its fields, in order.
    pub fields: &'static [Field],
}

const fn field(key: &'static str, answer: Answer) -> Field {
    Field {
        key,
        answer,
        default: None,
        hint: false,
    }
}

const fn hinted(key: &'static str, answer: Answer) -> Field {
    Field {
        key,
        answer,
        default: None,
        hint: true,
    }
}

const fn no(key: &'static str) -> Field {
    Field {
        key,
        answer: Answer::One(Options::YesNo),
        default: Some("no"),
        hint: true,
    }
}

/// Who is writing, relative to the person affected.
pub const REPORTERS: &[&str] = &[
    "self",
    "relative",
    "representative",
    "organization",
    "other",
];
/// `victim.kind` of the data model.
pub const VICTIM_KINDS: &[&str] = &["individual", "group", "organization", "relatives"];
/// Answers to "Are you in danger now?".
pub const DANGER: &[&str] = &["yes", "no", "unsure"];
/// The consent scopes of the data model.
pub const SCOPES: &[&str] = &["name", "gender", "age_group", "perpetrators"];

/// The form, in the order of "what to include" on how-to-submit and of a rapporteur's intake
/// (CAT/C/55/2, CAT/OP/6/Rev.1): who, what, when, the link with the committee, the risk now,
/// consent, and how to reply.
pub const FORM: &[Section] = &[
    Section {
        key: "who",
        fields: &[
            field("reporter", Answer::One(Options::Fixed(REPORTERS))),
            Field {
                key: "anonymous",
                answer: Answer::One(Options::YesNo),
                default: Some("yes"),
                hint: true,
            },
            hinted("name", Answer::Line),
            Field {
                key: "victim_kind",
                answer: Answer::One(Options::Fixed(VICTIM_KINDS)),
                default: Some("individual"),
                hint: false,
            },
            field("count", Answer::Number),
            field(
                "profile",
                Answer::Many(Options::Vocab(VocabKind::VictimProfiles)),
            ),
            field("gender", Answer::One(Options::Vocab(VocabKind::Genders))),
            field(
                "age_group",
                Answer::One(Options::Vocab(VocabKind::AgeGroups)),
            ),
        ],
    },
    Section {
        key: "what",
        fields: &[
            hinted("what_happened", Answer::Text),
            field(
                "reprisal_types",
                Answer::Many(Options::Vocab(VocabKind::ReprisalTypes)),
            ),
            field(
                "perpetrators",
                Answer::Many(Options::Vocab(VocabKind::Perpetrators)),
            ),
            field("country", Answer::One(Options::Countries)),
            hinted("place", Answer::Line),
        ],
    },
    Section {
        key: "when",
        fields: &[hinted("from", Answer::Month), hinted("to", Answer::Month)],
    },
    Section {
        key: "committee",
        fields: &[
            field("committees", Answer::Many(Options::Committees)),
            field("context", Answer::Many(Options::Vocab(VocabKind::Contexts))),
            hinted("cooperation", Answer::Text),
            hinted("steps_taken", Answer::Text),
        ],
    },
    Section {
        key: "risk",
        fields: &[
            field("danger_now", Answer::One(Options::Fixed(DANGER))),
            hinted("risks", Answer::Text),
        ],
    },
    Section {
        key: "consent",
        fields: &[
            no("contact_state"),
            no("name_to_state"),
            no("publish"),
            hinted("scopes", Answer::Many(Options::Fixed(SCOPES))),
            no("share_asg"),
            no("share_mechanisms"),
        ],
    },
    Section {
        key: "contact",
        fields: &[
            hinted("contact_how", Answer::Text),
            field("contact_language", Answer::Line),
            no("acknowledge"),
        ],
    },
];

/// The field with this key.
pub fn find(key: &str) -> Option<&'static Field> {
    FORM.iter()
        .flat_map(|s| s.fields.iter())
        .find(|f| f.key == key)
}

/// Fields the form asks for before it composes (the error summary lists the missing ones).
pub const REQUIRED: &[&str] = &["what_happened", "from"];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_unique_and_defaults_are_options() {
        let mut keys: Vec<&str> = FORM
            .iter()
            .map(|s| s.key)
            .chain(FORM.iter().flat_map(|s| s.fields.iter().map(|f| f.key)))
            .collect();
        let before = keys.len();
        keys.sort();
        keys.dedup();
        assert_eq!(keys.len(), before, "a key is used twice");
        for f in FORM.iter().flat_map(|s| s.fields.iter()) {
            if let (Some(d), Answer::One(Options::Fixed(ids))) = (f.default, f.answer) {
                assert!(ids.contains(&d), "{}", f.key);
            }
        }
        for key in REQUIRED {
            assert!(find(key).is_some(), "{key}");
        }
    }
}
