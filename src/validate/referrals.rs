//! Checks of `public-data/referrals.toml`: unique ids, texts in the default language, contacts
//! that fit their kind (the same checks as a focal point's), regions that exist.

use std::collections::HashSet;

use crate::diagnostics::{Problem, Problems};
use crate::load::Inputs;
use crate::model::vocab::VocabKind;

use super::{Known, check_contacts, check_localized, check_term};

pub(super) fn check(inputs: &Inputs, known: &Known, problems: &mut Problems) {
    let Some(record) = &inputs.referrals else {
        return;
    };
    let file = &record.file;
    let mut ids = HashSet::new();
    for referral in &record.value.referral {
        let id = referral.id.get_ref().as_str();
        if !ids.insert(id) {
            problems.push(
                Problem::error(format!("referral `{id}` is defined twice"))
                    .at(file, referral.id.span())
                    .label("second definition")
                    .help("every entry needs its own id: it is the anchor of its entry on /where-else/"),
            );
        }
        for text in [&referral.name, &referral.handles, &referral.when] {
            check_localized(text, file, known, problems);
            if text.get_ref().texts().iter().any(|t| t.trim().is_empty()) {
                problems.push(
                    Problem::error("empty text")
                        .at(file, text.span())
                        .help("say it in a sentence, or remove the language"),
                );
            }
        }
        if referral.contact.get_ref().is_empty() {
            problems.push(
                Problem::error(format!("referral `{id}` has no contact"))
                    .at(file, referral.contact.span())
                    .help("give at least one [[referral.contact]] with kind and value"),
            );
        }
        check_contacts(referral.contact.get_ref(), file, problems);
        for region in &referral.regions {
            check_term(VocabKind::Regions, region, file, known, problems);
        }
    }
}
