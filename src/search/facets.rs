//! The facet table: for each facet, which of its values every document has. One file per
//! facet, shared by all languages (values are codes; their labels are in each manifest), and
//! fetched only when a reader opens or ticks that facet: at 100,000 cases all six together
//! would be several hundred kilobytes, one alone is a fraction of that.

use std::collections::HashMap;

use serde::Serialize;

use crate::site::labels::value_label;
use crate::site::listing::{Facet, FacetGroup};
use crate::site::views::View;

use super::encode;

#[derive(Serialize)]
struct Column {
    /// The distinct sets of value indexes documents have, most common first.
    s: Vec<Vec<u32>>,
    /// For each document, the index of its set in `s`, encoded.
    d: String,
}

/// One facet's column file.
pub(super) fn column(group: &FacetGroup, docs: usize) -> Vec<u8> {
    let mut per_doc: Vec<Vec<u32>> = vec![Vec::new(); docs];
    for (value, v) in group.values.iter().enumerate() {
        for &doc in &v.cases {
            per_doc[doc as usize].push(value as u32);
        }
    }
    let mut counts: HashMap<&[u32], usize> = HashMap::new();
    for set in &per_doc {
        *counts.entry(set).or_default() += 1;
    }
    let mut sets: Vec<(&[u32], usize)> = counts.into_iter().collect();
    // Most common first, so that most documents take one character; ties by set for a
    // reproducible file.
    sets.sort_unstable_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let position: HashMap<&[u32], u32> = sets
        .iter()
        .enumerate()
        .map(|(i, (set, _))| (*set, i as u32))
        .collect();
    let column = Column {
        d: encode::numbers(per_doc.iter().map(|set| position[set.as_slice()])),
        s: sets.iter().map(|(set, _)| set.to_vec()).collect(),
    };
    serde_json::to_vec(&column).expect("serialisable")
}

/// A facet as the manifest of one language lists it: values in display order with labels.
#[derive(Serialize)]
pub(super) struct FacetEntry {
    /// The facet's URL segment, also its query parameter: `committee`, `country`, ...
    pub f: &'static str,
    pub label: String,
    /// `[index in the column, key, label, number of cases]`, in the order shown.
    pub v: Vec<(u32, String, String, usize)>,
}

pub(super) fn entry(view: &View, group: &FacetGroup) -> FacetEntry {
    let mut values: Vec<(u32, String, String, usize)> = group
        .values
        .iter()
        .enumerate()
        .map(|(i, v)| {
            let label = value_label(view, group.facet, &v.key).text;
            (i as u32, v.key.clone(), label, v.cases.len())
        })
        .collect();
    // Browse pages list countries by name in the page's language; so does the form.
    if group.facet == Facet::Country {
        values.sort_by_cached_key(|v| v.2.to_lowercase());
    }
    FacetEntry {
        f: group.facet.slug(),
        label: view.t(&format!("facet_{}", group.facet.slug())),
        v: values,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::site::listing::FacetValue;

    #[test]
    fn column_gives_each_document_its_values() {
        let group = FacetGroup {
            facet: Facet::Committee,
            values: vec![
                FacetValue {
                    key: "cat".into(),
                    cases: vec![0, 2, 3, 4],
                },
                FacetValue {
                    key: "cmw".into(),
                    cases: vec![2],
                },
            ],
        };
        let json: serde_json::Value = serde_json::from_slice(&column(&group, 5)).unwrap();
        let sets: Vec<Vec<u32>> = serde_json::from_value(json["s"].clone()).unwrap();
        let docs = encode::decode(json["d"].as_str().unwrap());
        let per_doc: Vec<&Vec<u32>> = docs.iter().map(|&s| &sets[s as usize]).collect();
        assert_eq!(
            per_doc,
            [&vec![0], &vec![], &vec![0, 1], &vec![0], &vec![0]]
        );
        // The commonest set comes first.
        assert_eq!(sets[0], vec![0]);
    }
}
