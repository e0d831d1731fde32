//! Every publication rule of the data model, each decided here and nowhere else.
//!
//! The projection, the lint, the link check and the leak scan's withheld set all ask these
//! functions, so a rule changed here changes what every one of them sees. A new rule (review,
//! quarantine, anything that withholds) belongs in this file.

use crate::model::case::{Action, Case, ConsentScope, Correspondence, LetterMode};
use crate::model::date::Date;

/// Whether a case may appear at all: `publish = true`, consent given, consent not withdrawn.
pub fn case_published(case: &Case) -> bool {
    let consent = case.consent.as_ref().map(|c| c.get_ref());
    *case.publish.get_ref() && consent.is_some_and(|c| c.given && c.withdrawn.is_none())
}

/// Whether the person consented to publish this part of a published case (name, gender, age
/// group, perpetrators). Says nothing about whether the case itself is published.
pub fn scope_granted(case: &Case, scope: ConsentScope) -> bool {
    case.scopes().any(|s| s == scope)
}

/// Whether an action taken on a case may be described on the site (`public = true`).
pub fn action_public(action: &Action) -> bool {
    action.public
}

/// The day a letter's embargo ends: `publish_after`, else its deadline; `None` when the letter
/// is withheld or has neither date, and so is never published.
pub fn letter_embargo_ends(letter: &Correspondence) -> Option<Date> {
    if letter.mode == LetterMode::Withheld {
        return None;
    }
    letter
        .publish_after
        .or(letter.deadline.as_ref().map(|d| *d.get_ref()))
}

/// Whether a letter is released on `build_date`: its embargo has ended by that day.
pub fn letter_released(letter: &Correspondence, build_date: Date) -> bool {
    letter_embargo_ends(letter).is_some_and(|day| build_date >= day)
}
