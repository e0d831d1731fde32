//! Labels of facet values, shared by the list pages and the search index's facet names.

use crate::model::ids::{CommitteeCode, CountryCode, TermId};
use crate::model::vocab::VocabKind;

use super::listing::Facet;
use super::views::{Text, View};

/// The label of a facet value in the page language.
pub(crate) fn value_label(view: &View, facet: Facet, key: &str) -> Text {
    let term = |kind| {
        TermId::parse(key)
            .map(|id| view.term(kind, &id))
            .unwrap_or_else(|_| view.raw(key))
    };
    match facet {
        Facet::Committee => CommitteeCode::parse(&key.to_ascii_uppercase())
            .map(|c| {
                let name = view.committee_name(&c);
                Text {
                    text: format!("{} – {}", c, name.text),
                    ..name
                }
            })
            .unwrap_or_else(|_| view.raw(key)),
        Facet::Country => CountryCode::parse(&key.to_ascii_uppercase())
            .map(|c| view.country(&c))
            .unwrap_or_else(|_| view.raw(key)),
        Facet::Region => term(VocabKind::Regions),
        Facet::Year => view.raw(key),
        Facet::Type => term(VocabKind::ReprisalTypes),
        Facet::Status => term(VocabKind::Statuses),
    }
}
