//! Counts over the published cases for the trends page, the annual report sections and the
//! SG-report export. Everything here reads the public projection only.
//!
//! Fields published case by case (year, committee, country, type...) are counted exactly:
//! every case counted is listed, with that value, in the case index. The aggregate-only fields
//! (gender, age group, perpetrators) are counted and suppressed in `project/aggregates.rs`,
//! which alone may see them.

pub(crate) mod letters;
pub(crate) mod period_report;

use std::collections::BTreeMap;

use crate::model::ids::{CommitteeCode, CountryCode, TermId};
use crate::model::vocab::VocabKind;
use crate::public::{PublicCase, PublicSite};

/// Cases per year reported, every year from the first to the last (gaps count as zero).
pub(crate) fn by_year(site: &PublicSite) -> Vec<(i16, usize)> {
    let mut counts: BTreeMap<i16, usize> = BTreeMap::new();
    for case in &site.cases {
        *counts.entry(case.year).or_default() += 1;
    }
    let (Some(&first), Some(&last)) = (counts.keys().next(), counts.keys().last()) else {
        return Vec::new();
    };
    (first..=last)
        .map(|y| (y, counts.get(&y).copied().unwrap_or(0)))
        .collect()
}

/// Cases per committee (a case before two committees counts for each), in committee order.
pub(crate) fn by_committee(site: &PublicSite) -> Vec<(CommitteeCode, usize)> {
    site.committees
        .iter()
        .map(|c| {
            let n = site
                .cases
                .iter()
                .filter(|case| case.committees.contains(&c.code))
                .count();
            (c.code.clone(), n)
        })
        .collect()
}

/// Cases per country that has any, most cases first, then by code.
pub(crate) fn by_country(site: &PublicSite) -> Vec<(CountryCode, usize)> {
    let mut counts: BTreeMap<&CountryCode, usize> = BTreeMap::new();
    for case in &site.cases {
        *counts.entry(&case.country).or_default() += 1;
    }
    let mut rows: Vec<(CountryCode, usize)> =
        counts.into_iter().map(|(c, n)| (c.clone(), n)).collect();
    rows.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    rows
}

/// Cases per term of a vocabulary, in the vocabulary's order, zeros included. A case with a
/// term listed twice counts once.
pub(crate) fn by_term<'a>(
    site: &'a PublicSite,
    kind: VocabKind,
    values: impl Fn(&'a PublicCase) -> Vec<&'a TermId>,
) -> Vec<(TermId, usize)> {
    let mut counts: BTreeMap<&TermId, usize> = BTreeMap::new();
    for case in &site.cases {
        let mut terms = values(case);
        terms.sort();
        terms.dedup();
        for term in terms {
            *counts.entry(term).or_default() += 1;
        }
    }
    site.vocab
        .terms(kind)
        .iter()
        .map(|t| (t.id.clone(), counts.get(&t.id).copied().unwrap_or(0)))
        .collect()
}

pub(crate) fn by_region(site: &PublicSite) -> Vec<(TermId, usize)> {
    by_term(site, VocabKind::Regions, |c| vec![&c.region])
}

pub(crate) fn by_status(site: &PublicSite) -> Vec<(TermId, usize)> {
    by_term(site, VocabKind::Statuses, |c| vec![&c.status])
}

pub(crate) fn by_reprisal_type(site: &PublicSite) -> Vec<(TermId, usize)> {
    by_term(site, VocabKind::ReprisalTypes, |c| {
        c.reprisal_types.iter().collect()
    })
}

pub(crate) fn by_context(site: &PublicSite) -> Vec<(TermId, usize)> {
    by_term(site, VocabKind::Contexts, |c| c.context.iter().collect())
}

pub(crate) fn by_victim_profile(site: &PublicSite) -> Vec<(TermId, usize)> {
    by_term(site, VocabKind::VictimProfiles, |c| {
        c.victim.profile.iter().collect()
    })
}
