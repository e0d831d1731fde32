//! Counts of the aggregate-only fields (gender, age group, perpetrators) with small cells
//! suppressed, so that no count can single out a person who did not consent.
//!
//! What a reader can know, and so what suppression must hold against:
//! - the cells shown, and that a "<3" cell is between 1 and `min_cell - 1`;
//! - the total of a table whose cells add up to the number of published cases (gender and age
//!   group, with their "not recorded" row: every published case falls in exactly one cell);
//! - for every cell, how many cases show that value on their own page (consent given): a count
//!   shown beside it would reveal how many of the *other* cases have the value.
//!
//! Rules: a cell of 1 to `min_cell - 1` is `Small`; a larger cell whose cases without consent
//! number 1 to `min_cell - 1` is `Withheld`. When the total is known, more cells are withheld
//! (smallest first) until no suppressed cell can be worked out exactly from the total, the
//! cells shown and the limits each suppressed cell is known to lie between.

use std::collections::BTreeMap;

use crate::model::case::{Case, ConsentScope};
use crate::model::date::Date;
use crate::model::ids::TermId;
use crate::model::vocab::VocabKind;
use crate::period::{Period, PeriodStart};
use crate::public::{AggregateCell, Aggregates, Count, PeriodAggregates, PublicVocab};

/// A cell before suppression: how many cases have the value, and how many of them show it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(super) struct RawCell {
    pub(super) count: u32,
    pub(super) consented: u32,
}

/// The counts of every closed reporting period (`start`, the site's `reports.period_start`),
/// each case in the period in which its publication was approved; cases approved in the
/// period still open on `build_date` are not counted anywhere yet.
pub(super) fn compute(
    cases: &[&Case],
    vocab: &PublicVocab,
    min_cell: u32,
    start: PeriodStart,
    build_date: Date,
) -> Aggregates {
    let mut by_period: BTreeMap<i16, Vec<&Case>> = BTreeMap::new();
    for case in cases {
        if let Some(period) = super::gates::aggregate_period(case, start, build_date) {
            by_period.entry(period.year).or_default().push(case);
        }
    }
    Aggregates {
        periods: by_period
            .into_iter()
            .rev()
            .map(|(year, cases)| compute_period(&cases, vocab, min_cell, start.period(year)))
            .collect(),
        open: start.period_of(build_date),
    }
}

/// One period's tables, each suppressed on its own: the period's cases are all they count.
fn compute_period(
    cases: &[&Case],
    vocab: &PublicVocab,
    min_cell: u32,
    period: Period,
) -> PeriodAggregates {
    let gender = single_valued(
        cases,
        vocab,
        VocabKind::Genders,
        ConsentScope::Gender,
        min_cell,
        |c| c.victim.gender.as_ref().map(|g| g.get_ref()),
    );
    let age_group = single_valued(
        cases,
        vocab,
        VocabKind::AgeGroups,
        ConsentScope::AgeGroup,
        min_cell,
        |c| c.victim.age_group.as_ref().map(|g| g.get_ref()),
    );
    // One case may name several categories, so these cells add up to no known total.
    let terms = vocab.terms(VocabKind::Perpetrators);
    let raw: Vec<RawCell> = terms
        .iter()
        .map(|t| {
            let naming: Vec<&&Case> = cases
                .iter()
                .filter(|c| c.perpetrators.iter().any(|p| p.get_ref() == &t.id))
                .collect();
            RawCell {
                count: naming.len() as u32,
                consented: naming
                    .iter()
                    .filter(|c| super::gates::scope_granted(c, ConsentScope::Perpetrators))
                    .count() as u32,
            }
        })
        .collect();
    let counts = suppress(&raw, min_cell, false);
    let perpetrators = terms
        .iter()
        .zip(counts)
        .map(|(t, count)| AggregateCell {
            term: Some(t.id.clone()),
            count,
        })
        .collect();
    PeriodAggregates {
        period,
        gender,
        age_group,
        perpetrators,
    }
}

/// A field with at most one value per case: one cell per term, then "not recorded".
fn single_valued(
    cases: &[&Case],
    vocab: &PublicVocab,
    kind: VocabKind,
    scope: ConsentScope,
    min_cell: u32,
    value: impl Fn(&Case) -> Option<&TermId>,
) -> Vec<AggregateCell> {
    let terms: Vec<Option<TermId>> = vocab
        .terms(kind)
        .iter()
        .map(|t| Some(t.id.clone()))
        .chain(std::iter::once(None))
        .collect();
    let raw: Vec<RawCell> = terms
        .iter()
        .map(|term| {
            let matching: Vec<&&Case> =
                cases.iter().filter(|c| value(c) == term.as_ref()).collect();
            RawCell {
                count: matching.len() as u32,
                // A case without a value looks the same on its page whether or not it consented.
                consented: if term.is_some() {
                    matching
                        .iter()
                        .filter(|c| super::gates::scope_granted(c, scope))
                        .count() as u32
                } else {
                    0
                },
            }
        })
        .collect();
    let counts = suppress(&raw, min_cell, true);
    terms
        .into_iter()
        .zip(counts)
        .map(|(term, count)| AggregateCell { term, count })
        .collect()
}

pub(super) fn primary(cell: RawCell, min_cell: u32) -> Count {
    let hidden = cell.count - cell.consented.min(cell.count);
    if cell.count == 0 {
        Count::Shown(0)
    } else if cell.count < min_cell {
        Count::Small
    } else if hidden > 0 && hidden < min_cell {
        Count::Withheld
    } else {
        Count::Shown(cell.count)
    }
}

/// Suppresses one table. `total_known`: the cells add up to a number the reader knows.
pub(super) fn suppress(cells: &[RawCell], min_cell: u32, total_known: bool) -> Vec<Count> {
    let out: Vec<Count> = cells.iter().map(|c| primary(*c, min_cell)).collect();
    if !total_known {
        return out;
    }
    complete(cells, out, min_cell)
}

/// Withholds further cells of a table whose total the reader knows (starting from `out`, which
/// may already hide more than the primary rule), until no hidden cell can be worked out.
pub(super) fn complete(cells: &[RawCell], mut out: Vec<Count>, min_cell: u32) -> Vec<Count> {
    let total: u64 = cells.iter().map(|c| u64::from(c.count)).sum();
    while !exposed(cells, &out, min_cell, total).is_empty() {
        let next = (0..cells.len())
            .filter(|&i| matches!(out[i], Count::Shown(n) if n > 0))
            .min_by_key(|&i| (cells[i].count, i));
        match next {
            Some(i) => out[i] = Count::Withheld,
            None => {
                // Nothing left to hide behind: withhold the whole table (its total is public).
                return vec![Count::Withheld; cells.len()];
            }
        }
    }
    out
}

/// Suppressed cells whose value follows exactly from the total and the other cells, and tells
/// more than the consented cases already show.
fn exposed(cells: &[RawCell], out: &[Count], min_cell: u32, total: u64) -> Vec<usize> {
    let all_withheld = out.iter().all(|c| *c == Count::Withheld);
    let shown: u64 = out
        .iter()
        .map(|c| match c {
            Count::Shown(n) => u64::from(*n),
            _ => 0,
        })
        .sum();
    let remaining = total - shown;
    // The limits a reader knows for each suppressed cell.
    let bounds: Vec<(usize, u64, u64)> = out
        .iter()
        .enumerate()
        .filter_map(|(i, c)| {
            let consented = u64::from(cells[i].consented);
            match c {
                Count::Shown(_) => None,
                Count::Small => Some((i, consented.max(1), u64::from(min_cell) - 1)),
                Count::Withheld if all_withheld => Some((i, consented, remaining)),
                Count::Withheld => Some((i, consented.max(u64::from(min_cell)), remaining)),
            }
        })
        .collect();
    let sum_lo: u64 = bounds.iter().map(|b| b.1).sum();
    let sum_hi: u64 = bounds.iter().map(|b| b.2).sum();
    bounds
        .iter()
        .filter(|&&(i, lo, hi)| {
            let others_lo = sum_lo - lo;
            let others_hi = sum_hi - hi;
            let least = lo.max(remaining.saturating_sub(others_hi));
            let most = hi.min(remaining.saturating_sub(others_lo));
            least >= most && cells[i].count > cells[i].consented
        })
        .map(|b| b.0)
        .collect()
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;

    fn raw(pairs: &[(u32, u32)]) -> Vec<RawCell> {
        pairs
            .iter()
            .map(|&(count, consented)| RawCell { count, consented })
            .collect()
    }

    #[test]
    fn a_single_small_cell_takes_the_next_smallest_with_it() {
        let cells = raw(&[(7, 0), (5, 0), (1, 0), (0, 0)]);
        assert_eq!(
            suppress(&cells, 3, true),
            vec![
                Count::Shown(7),
                Count::Withheld,
                Count::Small,
                Count::Shown(0)
            ]
        );
        // Without a known total, nothing can be subtracted from.
        assert_eq!(
            suppress(&cells, 3, false),
            vec![
                Count::Shown(7),
                Count::Shown(5),
                Count::Small,
                Count::Shown(0)
            ]
        );
    }

    #[test]
    fn counts_that_differ_from_the_consented_cases_by_a_few_are_withheld() {
        // Nine cases show "woman" on their pages; a count of ten would expose the tenth.
        let cells = raw(&[(10, 9), (6, 0), (4, 4)]);
        let out = suppress(&cells, 3, false);
        assert_eq!(out, vec![Count::Withheld, Count::Shown(6), Count::Shown(4)]);
    }

    #[test]
    fn two_small_cells_that_must_both_be_one_are_protected() {
        // With min_cell 3 and a remainder of 2, two "<3" cells could only be 1 and 1.
        let cells = raw(&[(8, 0), (1, 0), (1, 0)]);
        let out = suppress(&cells, 3, true);
        assert_eq!(out, vec![Count::Withheld, Count::Small, Count::Small]);
    }

    /// A tiny deterministic generator, so the property test needs no dependency.
    pub(crate) struct XorShift(pub(crate) u64);
    impl XorShift {
        pub(crate) fn below(&mut self, n: u32) -> u32 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            (self.0 % u64::from(n)) as u32
        }
    }

    /// Every value each suppressed cell can take, worked out the slow way: for each cell, the
    /// values in its known limits for which the other suppressed cells can make up the rest.
    fn feasible(
        cells: &[RawCell],
        out: &[Count],
        min_cell: u32,
        total: Option<u32>,
    ) -> Vec<(usize, Vec<u32>)> {
        let all_withheld = out.iter().all(|c| *c == Count::Withheld);
        let shown: u32 = out
            .iter()
            .map(|c| if let Count::Shown(n) = c { *n } else { 0 })
            .sum();
        let cap = total.map_or(60, |t| t - shown);
        let domains: Vec<(usize, Vec<u32>)> = out
            .iter()
            .enumerate()
            .filter_map(|(i, c)| {
                let lo = cells[i].consented;
                let range: Vec<u32> = match c {
                    Count::Shown(_) => return None,
                    Count::Small => (lo.max(1)..min_cell).collect(),
                    Count::Withheld if all_withheld => (lo..=cap).collect(),
                    Count::Withheld => (lo.max(min_cell)..=cap).collect(),
                };
                Some((i, range))
            })
            .collect();
        domains
            .iter()
            .map(|(i, domain)| {
                let Some(_) = total else {
                    return (*i, domain.clone());
                };
                // Sums the other suppressed cells can reach.
                let mut reachable = vec![false; cap as usize + 1];
                reachable[0] = true;
                for (j, other) in &domains {
                    if j == i {
                        continue;
                    }
                    let mut next = vec![false; cap as usize + 1];
                    for (s, _) in reachable.iter().enumerate().filter(|(_, r)| **r) {
                        for v in other {
                            if s + (*v as usize) <= cap as usize {
                                next[s + *v as usize] = true;
                            }
                        }
                    }
                    reachable = next;
                }
                let values = domain
                    .iter()
                    .copied()
                    .filter(|v| *v <= cap && reachable[(cap - v) as usize])
                    .collect();
                (*i, values)
            })
            .collect()
    }

    #[test]
    fn no_table_shows_a_small_cell_or_lets_one_be_worked_out() {
        let mut rng = XorShift(0x9E37_79B9_7F4A_7C15);
        for round in 0..3000 {
            let min_cell = 3 + rng.below(3);
            let len = 2 + rng.below(5) as usize;
            let cells: Vec<RawCell> = (0..len)
                .map(|_| {
                    let count = match rng.below(4) {
                        0 => 0,
                        1 => 1 + rng.below(min_cell),
                        _ => rng.below(9),
                    };
                    let consented = if rng.below(3) == 0 {
                        rng.below(count + 1)
                    } else {
                        0
                    };
                    RawCell { count, consented }
                })
                .collect();
            let total_known = rng.below(4) != 0;
            let out = suppress(&cells, min_cell, total_known);
            let context = format!("round {round}: {cells:?} min_cell {min_cell} -> {out:?}");
            for (cell, count) in cells.iter().zip(&out) {
                if let Count::Shown(n) = count {
                    assert_eq!(*n, cell.count, "{context}");
                    assert!(*n == 0 || *n >= min_cell, "small cell shown: {context}");
                    let hidden = n - cell.consented;
                    assert!(
                        hidden == 0 || hidden >= min_cell,
                        "few unconsented cases exposed: {context}"
                    );
                }
                if *count == Count::Small {
                    assert!(cell.count > 0 && cell.count < min_cell, "{context}");
                }
            }
            let total = total_known.then(|| cells.iter().map(|c| c.count).sum());
            for (i, values) in feasible(&cells, &out, min_cell, total) {
                assert!(
                    values.contains(&cells[i].count),
                    "the truth must be possible: {context}"
                );
                assert!(
                    values.len() >= 2 || cells[i].count == cells[i].consented,
                    "cell {i} can be worked out as {values:?}: {context}"
                );
            }
        }
    }
}
