//! The orders and groupings of published cases that list pages show: the index in each sort
//! order, and one browse list per facet value (the no-JavaScript way to filter).

use std::collections::{BTreeMap, HashMap, HashSet};

use rayon::prelude::*;

use crate::model::ids::CountryCode;
use crate::model::vocab::VocabKind;
use crate::public::{PublicCase, PublicSite};

use super::LangView;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Facet {
    Committee,
    Country,
    Region,
    Year,
    Type,
    Status,
}

impl Facet {
    pub const ALL: [Facet; 6] = [
        Facet::Committee,
        Facet::Country,
        Facet::Region,
        Facet::Year,
        Facet::Type,
        Facet::Status,
    ];

    /// The URL segment: `/cases/<slug>/<value>/`.
    pub fn slug(self) -> &'static str {
        match self {
            Facet::Committee => "committee",
            Facet::Country => "country",
            Facet::Region => "region",
            Facet::Year => "year",
            Facet::Type => "type",
            Facet::Status => "status",
        }
    }

    /// Keys of this facet for one case: URL values such as `cat`, `mex`, `2024`.
    pub fn keys(self, case: &PublicCase) -> Vec<String> {
        match self {
            Facet::Committee => case.committees.iter().map(|c| c.slug()).collect(),
            Facet::Country => vec![case.country.slug()],
            Facet::Region => vec![case.region.to_string()],
            Facet::Year => vec![case.year.to_string()],
            Facet::Type => case.reprisal_types.iter().map(|t| t.to_string()).collect(),
            Facet::Status => vec![case.status.to_string()],
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SortKey {
    Date,
    Country,
    Committee,
    Status,
}

impl SortKey {
    pub const ALL: [SortKey; 4] = [
        SortKey::Date,
        SortKey::Country,
        SortKey::Committee,
        SortKey::Status,
    ];

    pub fn slug(self) -> &'static str {
        match self {
            SortKey::Date => "date",
            SortKey::Country => "country",
            SortKey::Committee => "committee",
            SortKey::Status => "status",
        }
    }
}

#[derive(Debug)]
pub struct FacetValue {
    pub key: String,
    /// Indexes into `PublicSite::cases`, newest first.
    pub cases: Vec<u32>,
}

#[derive(Debug)]
pub struct FacetGroup {
    pub facet: Facet,
    pub values: Vec<FacetValue>,
}

#[derive(Debug)]
pub struct Listings {
    /// Per language (country names sort differently in each), per sort key.
    sorted: Vec<BTreeMap<SortKey, Vec<u32>>>,
    pub facets: Vec<FacetGroup>,
}

impl Listings {
    pub fn new(site: &PublicSite, langs: &[LangView]) -> Self {
        let n = site.cases.len() as u32;
        let by_date: Vec<u32> = (0..n).collect();
        let vocab = &site.vocab;
        let sorted = || {
            let committees: Vec<&str> = site
                .cases
                .iter()
                .map(|c| c.committees.first().map_or("", |c| c.as_str()))
                .collect();
            let by_committee = by_key(&committees);
            let statuses: Vec<usize> = site
                .cases
                .iter()
                .map(|c| vocab.position(VocabKind::Statuses, &c.status))
                .collect();
            let by_status = by_key(&statuses);
            langs
                .par_iter()
                .map(|lang| {
                    // Each country's name once, not once per case.
                    let names: HashMap<&CountryCode, String> = site
                        .cases
                        .iter()
                        .map(|c| &c.country)
                        .collect::<HashSet<_>>()
                        .into_iter()
                        .map(|code| {
                            let name = vocab
                                .country(code)
                                .map(|k| {
                                    k.name
                                        .pick(&lang.code, &site.default_lang)
                                        .text
                                        .to_lowercase()
                                })
                                .unwrap_or_default();
                            (code, name)
                        })
                        .collect();
                    let countries: Vec<&str> = site
                        .cases
                        .iter()
                        .map(|c| names[&c.country].as_str())
                        .collect();
                    let by_country = by_key(&countries);
                    BTreeMap::from([
                        (SortKey::Date, by_date.clone()),
                        (SortKey::Country, by_country),
                        (SortKey::Committee, by_committee.clone()),
                        (SortKey::Status, by_status.clone()),
                    ])
                })
                .collect()
        };
        let facets = || {
            Facet::ALL
                .par_iter()
                .map(|&facet| group(site, facet))
                .collect()
        };
        let (sorted, facets) = rayon::join(sorted, facets);
        Listings { sorted, facets }
    }

    pub fn sorted(&self, lang: usize, key: SortKey) -> &[u32] {
        &self.sorted[lang][&key]
    }

    pub fn group(&self, facet: Facet) -> &FacetGroup {
        self.facets
            .iter()
            .find(|g| g.facet == facet)
            .expect("every facet is grouped")
    }
}

/// Case numbers ordered by `keys[case]`, in case order (newest first) among equal keys. Each
/// case's key is the rank of its value among the values cases have, worked out once per value
/// (a country's name, folded to lower case, say); the ranks are few, so cases are counted
/// into place rather than sorted.
fn by_key<K: Ord + Copy>(keys: &[K]) -> Vec<u32> {
    let mut distinct = keys.to_vec();
    distinct.sort_unstable();
    distinct.dedup();
    let ranks: Vec<usize> = keys
        .iter()
        .map(|k| distinct.binary_search(k).unwrap_or_default())
        .collect();
    let mut starts = vec![0usize; distinct.len() + 1];
    for &rank in &ranks {
        starts[rank + 1] += 1;
    }
    for i in 1..starts.len() {
        starts[i] += starts[i - 1];
    }
    let mut order = vec![0u32; ranks.len()];
    for (case, &rank) in ranks.iter().enumerate() {
        order[starts[rank]] = case as u32;
        starts[rank] += 1;
    }
    order
}

fn group(site: &PublicSite, facet: Facet) -> FacetGroup {
    let mut map: BTreeMap<String, Vec<u32>> = BTreeMap::new();
    for (i, case) in site.cases.iter().enumerate() {
        for key in facet.keys(case) {
            let list = map.entry(key).or_default();
            if list.last() != Some(&(i as u32)) {
                list.push(i as u32);
            }
        }
    }
    let mut values: Vec<FacetValue> = map
        .into_iter()
        .map(|(key, cases)| FacetValue { key, cases })
        .collect();
    let vocab = &site.vocab;
    let position = |kind: VocabKind, key: &str| {
        crate::model::ids::TermId::parse(key)
            .map(|id| vocab.position(kind, &id))
            .unwrap_or(usize::MAX)
    };
    match facet {
        Facet::Year => values.reverse(),
        Facet::Region => values.sort_by_key(|v| position(VocabKind::Regions, &v.key)),
        Facet::Type => values.sort_by_key(|v| position(VocabKind::ReprisalTypes, &v.key)),
        Facet::Status => values.sort_by_key(|v| position(VocabKind::Statuses, &v.key)),
        Facet::Committee | Facet::Country => {}
    }
    FacetGroup { facet, values }
}

/// Page `page` (1-based) of a list, and the number of pages (at least one).
pub(crate) fn paginate(items: &[u32], per_page: usize, page: usize) -> (&[u32], usize) {
    let pages = items.len().div_ceil(per_page).max(1);
    let start = (page - 1) * per_page;
    let end = (start + per_page).min(items.len());
    (items.get(start..end).unwrap_or(&[]), pages)
}

#[cfg(test)]
mod tests {
    use super::by_key;

    #[test]
    fn cases_are_ordered_by_key_and_keep_their_order_among_equal_keys() {
        // Cases come newest first: 0 is the newest.
        let countries = ["kenya", "bahrain", "kenya", "austria", "bahrain"];
        assert_eq!(by_key(&countries), [3, 1, 4, 0, 2]);
        let statuses = [2, usize::MAX, 0, 2];
        assert_eq!(by_key(&statuses), [2, 0, 3, 1]);
        assert!(by_key::<&str>(&[]).is_empty());
    }
}
