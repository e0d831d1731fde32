//! Counts of the aggregate-only fields (gender, age group, perpetrators) with small cells suppressed.

use std::collections::BTreeMap;

use crate::model::case::Case;
use crate::model::ids::TermId;
use crate::model::vocab::VocabKind;
use crate::public::{AggregateCell, Aggregates, Count, PublicVocab};

pub fn compute(cases: &[&Case], vocab: &PublicVocab, min_cell: u32) -> Aggregates {
    let gender = tally(
        cases
            .iter()
            .filter_map(|c| c.victim.gender.as_ref().map(|g| g.get_ref())),
    );
    let age = tally(
        cases
            .iter()
            .filter_map(|c| c.victim.age_group.as_ref().map(|g| g.get_ref())),
    );
    let perpetrators = tally(
        cases
            .iter()
            .flat_map(|c| c.perpetrators.iter().map(|p| p.get_ref())),
    );
    // Cases with no value recorded are not shown, so "total minus shown cells" is never known
    // exactly; `unrecorded` says whether that hidden remainder exists.
    let unrecorded_gender = cases.iter().filter(|c| c.victim.gender.is_none()).count() as u32;
    let unrecorded_age = cases
        .iter()
        .filter(|c| c.victim.age_group.is_none())
        .count() as u32;
    Aggregates {
        gender: suppress(
            vocab,
            VocabKind::Genders,
            &gender,
            min_cell,
            Some(unrecorded_gender),
        ),
        age_group: suppress(
            vocab,
            VocabKind::AgeGroups,
            &age,
            min_cell,
            Some(unrecorded_age),
        ),
        // One case may name several categories: the cells do not add up to a known total.
        perpetrators: suppress(
            vocab,
            VocabKind::Perpetrators,
            &perpetrators,
            min_cell,
            None,
        ),
    }
}

fn tally<'a>(values: impl Iterator<Item = &'a TermId>) -> BTreeMap<&'a TermId, u32> {
    let mut counts = BTreeMap::new();
    for v in values {
        *counts.entry(v).or_insert(0) += 1;
    }
    counts
}

/// Cells of 1 to `min_cell - 1` become `Small`. When the cells add up to a known total, the
/// hidden cells add up to a known sum too, so more cells are withheld (smallest first) until
/// that sum no longer pins down any small cell (see `hidden_cells_are_safe`).
fn suppress(
    vocab: &PublicVocab,
    kind: VocabKind,
    counts: &BTreeMap<&TermId, u32>,
    min_cell: u32,
    unrecorded: Option<u32>,
) -> Vec<AggregateCell> {
    let mut cells: Vec<(TermId, u32, Count)> = vocab
        .terms(kind)
        .iter()
        .map(|t| {
            let n = counts.get(&t.id).copied().unwrap_or(0);
            let count = if n > 0 && n < min_cell {
                Count::Small
            } else {
                Count::Shown(n)
            };
            (t.id.clone(), n, count)
        })
        .collect();
    let total_is_known = unrecorded == Some(0);
    let any_small = cells.iter().any(|c| c.2 == Count::Small);
    while total_is_known && any_small && !hidden_cells_are_safe(&cells, min_cell) {
        let next = cells
            .iter_mut()
            .filter(|c| matches!(c.2, Count::Shown(n) if n > 0))
            .min_by_key(|c| c.1);
        match next {
            Some(cell) => cell.2 = Count::Withheld,
            // Nothing left to hide behind: say nothing at all.
            None => {
                for cell in &mut cells {
                    cell.2 = Count::Withheld;
                }
                break;
            }
        }
    }
    cells
        .into_iter()
        .map(|(term, _, count)| AggregateCell { term, count })
        .collect()
}

/// Whether a reader who knows the sum of the hidden cells still cannot tell any small cell's
/// value. Small cells are known to hold 1 to `min_cell - 1`, withheld cells at least
/// `min_cell`. With a withheld cell (no upper bound), only a sum at its lowest possible value
/// pins every cell down; without one, so does the highest, and a lone small cell always is.
fn hidden_cells_are_safe(cells: &[(TermId, u32, Count)], min_cell: u32) -> bool {
    let small = cells.iter().filter(|c| c.2 == Count::Small).count() as u32;
    let withheld = cells.iter().filter(|c| c.2 == Count::Withheld).count() as u32;
    let sum: u32 = cells
        .iter()
        .filter(|c| c.2 != Count::Shown(c.1))
        .map(|c| c.1)
        .sum();
    let lowest = small + withheld * min_cell;
    if withheld > 0 {
        sum > lowest
    } else {
        small >= 2 && sum > lowest && sum < small * (min_cell - 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::localized_for_tests as l;
    use crate::public::PublicTerm;

    fn vocab() -> PublicVocab {
        let terms = ["woman", "man", "non_binary"]
            .iter()
            .map(|id| PublicTerm {
                id: TermId::parse(id).unwrap(),
                label: l(id),
                definition: None,
            })
            .collect();
        PublicVocab::new(
            [(VocabKind::Genders, terms)].into_iter().collect(),
            Vec::new(),
        )
    }

    fn counts(pairs: &[(&'static str, u32)]) -> (Vec<TermId>, Vec<u32>) {
        pairs
            .iter()
            .map(|(id, n)| (TermId::parse(id).unwrap(), *n))
            .unzip()
    }

    #[test]
    fn small_cells_are_suppressed_and_cannot_be_recovered_by_subtraction() {
        let (ids, ns) = counts(&[("woman", 7), ("man", 5), ("non_binary", 1)]);
        let map: BTreeMap<&TermId, u32> = ids.iter().zip(ns).collect();
        let cells = suppress(&vocab(), VocabKind::Genders, &map, 3, Some(0));
        let shown: Vec<Count> = cells.iter().map(|c| c.count).collect();
        assert_eq!(shown, vec![Count::Shown(7), Count::Withheld, Count::Small]);

        // With unrecorded cases the total is unknown, so no secondary suppression is needed.
        let cells = suppress(&vocab(), VocabKind::Genders, &map, 3, Some(4));
        let shown: Vec<Count> = cells.iter().map(|c| c.count).collect();
        assert_eq!(shown, vec![Count::Shown(7), Count::Shown(5), Count::Small]);
    }

    fn suppressed(pairs: &[(&'static str, u32)], unrecorded: u32) -> Vec<Count> {
        let (ids, ns) = counts(pairs);
        let map: BTreeMap<&TermId, u32> = ids.iter().zip(ns).collect();
        suppress(&vocab(), VocabKind::Genders, &map, 3, Some(unrecorded))
            .iter()
            .map(|c| c.count)
            .collect()
    }

    #[test]
    fn two_small_cells_whose_sum_gives_them_away_are_protected() {
        // 1 + 1 = 2 is the only way two small cells can add up to 2.
        assert_eq!(
            suppressed(&[("woman", 6), ("man", 1), ("non_binary", 1)], 0),
            vec![Count::Withheld, Count::Small, Count::Small]
        );
        // 2 + 2 = 4 likewise.
        assert_eq!(
            suppressed(&[("woman", 6), ("man", 2), ("non_binary", 2)], 0),
            vec![Count::Withheld, Count::Small, Count::Small]
        );
        // 1 + 2 = 3 could be either way round: nothing more to hide.
        assert_eq!(
            suppressed(&[("woman", 6), ("man", 1), ("non_binary", 2)], 0),
            vec![Count::Shown(6), Count::Small, Count::Small]
        );
    }

    #[test]
    fn a_withheld_cell_at_its_minimum_would_give_the_small_cell_away() {
        // Hidden: 1 (small) + 3 (withheld) = 4, the lowest possible sum: both would be known.
        assert_eq!(
            suppressed(&[("woman", 3), ("man", 9), ("non_binary", 1)], 0),
            vec![Count::Withheld, Count::Withheld, Count::Small]
        );
    }

    #[test]
    fn a_table_of_only_small_cells_says_nothing() {
        assert_eq!(
            suppressed(&[("woman", 1)], 0),
            vec![Count::Withheld, Count::Withheld, Count::Withheld]
        );
        assert_eq!(
            suppressed(&[("woman", 0), ("man", 0)], 0),
            vec![Count::Shown(0), Count::Shown(0), Count::Shown(0)]
        );
    }
}
