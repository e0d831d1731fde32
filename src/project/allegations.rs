//! "Allegations received": the public cases and the cases counted for statistics only, per
//! committee, year reported, UN regional group and reprisal type (the trends page) and per
//! committee and reporting period (the annual report sections).
//!
//! A reader knows every public case, so each cell is suppressed as if its public cases were
//! "consented" ones (see `aggregates`): a cell whose statistics-only cases number 1 to
//! `min_cell - 1` is withheld, a cell below `min_cell` shows as "<3", and further cells are
//! withheld until no hidden number can be worked out from a table's total (assumed known, even
//! where a case counts in several rows), the numbers shown and the public cases. The report
//! sections form a grid (committee by period) whose rows add up to the trends page's
//! committee figures: rows and columns are completed in turn, and a committee figure that is
//! withheld on the trends page is never left computable from a fully shown row.

use std::collections::{BTreeMap, BTreeSet};

use crate::model::case::Case;
use crate::model::ids::{CommitteeCode, TermId};
use crate::model::vocab::VocabKind;
use crate::period::PeriodStart;
use crate::public::{Allegations, Count, PublicVocab};

use super::aggregates::{RawCell, complete, primary};

/// `published`: the cases on the site; `counted`: the statistics-only cases the gates let be
/// counted. `committees`: every committee with the first day of its reporting year.
pub(super) fn compute<'c>(
    published: &[&'c Case],
    counted: &[&'c Case],
    committees: &[(CommitteeCode, PeriodStart)],
    vocab: &PublicVocab,
    min_cell: u32,
) -> Allegations {
    let all_years: BTreeSet<i16> = published
        .iter()
        .chain(counted)
        .map(|c| c.date_reported.year())
        .collect();
    let years: Vec<i16> = match (all_years.first(), all_years.last()) {
        (Some(&a), Some(&b)) => (a..=b).collect(),
        _ => Vec::new(),
    };
    // The tables are keyed by the vocabularies' own ids, borrowed: `serve` works them out on
    // each edit, and a copy of each case's keys was most of their cost.
    let unknown = TermId::parse("unknown").expect("valid id");
    let region = |c: &Case| region_of(vocab, &unknown, c);
    let mut regions: Vec<&TermId> = vocab
        .terms(VocabKind::Regions)
        .iter()
        .map(|t| &t.id)
        .collect();
    for case in published.iter().chain(counted) {
        let r = region(case);
        if !regions.contains(&r) {
            regions.push(r);
        }
    }
    let types: Vec<&TermId> = vocab
        .terms(VocabKind::ReprisalTypes)
        .iter()
        .map(|t| &t.id)
        .collect();
    let codes: Vec<CommitteeCode> = committees.iter().map(|(c, _)| c.clone()).collect();
    let code_refs: Vec<&CommitteeCode> = codes.iter().collect();

    let by_committee_raw = raw_table(&code_refs, published, counted, |c| {
        c.committees.get_ref().iter().map(|k| k.get_ref()).collect()
    });
    let grid = report_grid(published, counted, committees);
    let (by_committee, by_report) =
        committee_and_reports(&codes, &by_committee_raw, grid, min_cell);
    Allegations {
        by_committee,
        by_year: table(
            &years,
            published,
            counted,
            |c| vec![c.date_reported.year()],
            min_cell,
        ),
        by_region: owned(table(
            &regions,
            published,
            counted,
            |c| vec![region(c)],
            min_cell,
        )),
        by_type: owned(table(
            &types,
            published,
            counted,
            |c| {
                c.reprisal_types
                    .get_ref()
                    .iter()
                    .map(|t| t.get_ref())
                    .collect()
            },
            min_cell,
        )),
        by_report,
    }
}

/// The UN regional group of a case's country (`unknown` for a country not in the vocabulary).
fn region_of<'a>(vocab: &'a PublicVocab, unknown: &'a TermId, case: &Case) -> &'a TermId {
    vocab
        .country(case.country.get_ref())
        .map_or(unknown, |k| &k.region)
}

/// A table keyed by borrowed ids, with ids of its own.
fn owned<K: Ord + Clone>(table: BTreeMap<&K, Count>) -> BTreeMap<K, Count> {
    table.into_iter().map(|(k, v)| (k.clone(), v)).collect()
}

/// The cells of one table before suppression; a case with a key twice counts once.
fn raw_table<'c, K: Ord + Copy>(
    keys: &[K],
    published: &[&'c Case],
    counted: &[&'c Case],
    key_of: impl Fn(&'c Case) -> Vec<K>,
) -> Vec<RawCell> {
    let mut cells: BTreeMap<K, RawCell> = keys.iter().map(|&k| (k, RawCell::default())).collect();
    for (cases, public) in [(published, true), (counted, false)] {
        for &case in cases.iter() {
            let mut ks = key_of(case);
            ks.sort();
            ks.dedup();
            for k in ks {
                if let Some(cell) = cells.get_mut(&k) {
                    cell.count += 1;
                    if public {
                        cell.consented += 1;
                    }
                }
            }
        }
    }
    keys.iter().map(|k| cells[k]).collect()
}

fn table<'c, K: Ord + Copy>(
    keys: &[K],
    published: &[&'c Case],
    counted: &[&'c Case],
    key_of: impl Fn(&'c Case) -> Vec<K>,
    min_cell: u32,
) -> BTreeMap<K, Count> {
    let raw = raw_table(keys, published, counted, key_of);
    let out = raw.iter().map(|c| first_pass(*c, min_cell)).collect();
    keys.iter()
        .copied()
        .zip(complete(&raw, out, min_cell))
        .collect()
}

/// The small-cell rules, except that a cell of public cases only is shown whatever its size:
/// every one of its cases is listed on the site anyway.
fn first_pass(cell: RawCell, min_cell: u32) -> Count {
    if cell.count == cell.consented {
        Count::Shown(cell.count)
    } else {
        primary(cell, min_cell)
    }
}

type Grid = BTreeMap<(CommitteeCode, i16), RawCell>;

/// Per committee and reporting period (the committee's own), the cases reported in it.
fn report_grid(
    published: &[&Case],
    counted: &[&Case],
    committees: &[(CommitteeCode, PeriodStart)],
) -> Grid {
    // Counted by the committee's place in `committees`, and named once per cell at the end.
    let mut cells: BTreeMap<(usize, i16), RawCell> = BTreeMap::new();
    for (cases, public) in [(published, true), (counted, false)] {
        for case in cases {
            for (i, (code, start)) in committees.iter().enumerate() {
                if !case
                    .committees
                    .get_ref()
                    .iter()
                    .any(|c| c.get_ref() == code)
                {
                    continue;
                }
                let year = start.period_of(case.date_reported).year;
                let cell = cells.entry((i, year)).or_default();
                cell.count += 1;
                if public {
                    cell.consented += 1;
                }
            }
        }
    }
    cells
        .into_iter()
        .map(|((i, year), cell)| ((committees[i].0.clone(), year), cell))
        .collect()
}

/// The committee figures and the report grid, suppressed together.
fn committee_and_reports(
    codes: &[CommitteeCode],
    by_committee: &[RawCell],
    grid: Grid,
    min_cell: u32,
) -> (
    BTreeMap<CommitteeCode, Count>,
    BTreeMap<(CommitteeCode, i16), Count>,
) {
    let mut cells: BTreeMap<(CommitteeCode, i16), Count> = grid
        .iter()
        .map(|(k, c)| (k.clone(), first_pass(*c, min_cell)))
        .collect();
    let mut totals: Vec<Count> = by_committee
        .iter()
        .map(|c| first_pass(*c, min_cell))
        .collect();
    let years: BTreeSet<i16> = grid.keys().map(|k| k.1).collect();
    let row = |code: &CommitteeCode| -> Vec<(CommitteeCode, i16)> {
        grid.keys().filter(|k| &k.0 == code).cloned().collect()
    };
    let lines: Vec<Vec<(CommitteeCode, i16)>> = codes
        .iter()
        .map(row)
        .chain(
            years
                .iter()
                .map(|y| grid.keys().filter(|k| k.1 == *y).cloned().collect()),
        )
        .collect();
    loop {
        let before = (cells.clone(), totals.clone());
        for line in &lines {
            let raw: Vec<RawCell> = line.iter().map(|k| grid[k]).collect();
            let out: Vec<Count> = line.iter().map(|k| cells[k]).collect();
            for (k, c) in line.iter().zip(complete(&raw, out, min_cell)) {
                cells.insert(k.clone(), c);
            }
        }
        // A fully shown row gives its committee's figure away: count it as shown.
        let row_shown: Vec<bool> = codes
            .iter()
            .map(|code| {
                row(code)
                    .iter()
                    .all(|k| matches!(cells[k], Count::Shown(_)))
            })
            .collect();
        for i in 0..codes.len() {
            if !row_shown[i] && matches!(totals[i], Count::Shown(n) if n > 0) {
                totals[i] = Count::Withheld;
            }
        }
        totals = complete(by_committee, totals, min_cell);
        // A committee figure withheld on the trends page hides a cell of its row too (the
        // row's own completion then hides a second).
        for (i, code) in codes.iter().enumerate() {
            if totals[i] != Count::Withheld || !row_shown[i] {
                continue;
            }
            let smallest = row(code)
                .into_iter()
                .filter(|k| matches!(cells[k], Count::Shown(n) if n > 0))
                .min_by_key(|k| grid[k].count);
            if let Some(k) = smallest {
                cells.insert(k, Count::Withheld);
            }
        }
        if (cells.clone(), totals.clone()) == before {
            break;
        }
    }
    (codes.iter().cloned().zip(totals).collect(), cells)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(count: u32, consented: u32) -> RawCell {
        RawCell { count, consented }
    }

    fn code(s: &str) -> CommitteeCode {
        CommitteeCode::parse(s).unwrap()
    }

    #[test]
    fn one_unpublished_case_in_a_row_withholds_two_cells_and_the_committee_figure() {
        let codes = [code("CAT"), code("CRC")];
        let mut grid = Grid::new();
        grid.insert((code("CAT"), 2022), c(5, 5));
        grid.insert((code("CAT"), 2023), c(6, 5));
        grid.insert((code("CAT"), 2024), c(4, 4));
        grid.insert((code("CRC"), 2023), c(7, 7));
        let totals = [c(15, 14), c(7, 7)];
        let (figures, cells) = committee_and_reports(&codes, &totals, grid, 3);
        assert_eq!(figures[&code("CAT")], Count::Withheld);
        let hidden = cells
            .iter()
            .filter(|(k, v)| k.0 == code("CAT") && **v == Count::Withheld)
            .count();
        assert!(hidden >= 2, "{cells:?}");
        assert_eq!(cells[&(code("CAT"), 2023)], Count::Withheld);
        // The CRC figure alone would give the CAT one away from the total: it goes too, and
        // so does a cell of its row.
        assert_eq!(figures[&code("CRC")], Count::Withheld);
        assert_eq!(cells[&(code("CRC"), 2023)], Count::Withheld);
    }

    use crate::project::aggregates::tests::XorShift;

    /// What a reader can say of a suppressed count: its limits.
    fn domain(count: Count, public: u32, min_cell: u32, cap: u32) -> Vec<u32> {
        match count {
            Count::Shown(n) => vec![n],
            Count::Small => (public.max(1)..min_cell).collect(),
            Count::Withheld => (public..=cap).collect(),
        }
    }

    /// Grids of two committees (one committee per case), worked out the slow way: every
    /// assignment of the suppressed cells that agrees with what is shown, the public cases,
    /// the committee figures and the total (assumed known). No suppressed count hiding an
    /// unpublished case may have only one possible value while that case is one of fewer than
    /// `min_cell` (a figure with more could be shown anyway).
    #[test]
    fn no_report_cell_or_committee_figure_can_be_worked_out() {
        let mut rng = XorShift(0x2545_F491_4F6C_DD1D);
        let min_cell = 3;
        for round in 0..600 {
            let codes = [code("CAT"), code("CED")];
            let periods = 2;
            let mut grid = Grid::new();
            for c in &codes {
                for y in 0..periods {
                    let public = rng.below(3);
                    let hidden = if rng.below(2) == 0 { 0 } else { rng.below(4) };
                    if public + hidden > 0 {
                        grid.insert(
                            (c.clone(), 2020 + y),
                            RawCell {
                                count: public + hidden,
                                consented: public,
                            },
                        );
                    }
                }
            }
            let totals: Vec<RawCell> = codes
                .iter()
                .map(|c| {
                    grid.iter()
                        .filter(|(k, _)| &k.0 == c)
                        .fold(RawCell::default(), |a, (_, v)| RawCell {
                            count: a.count + v.count,
                            consented: a.consented + v.consented,
                        })
                })
                .collect();
            let total: u32 = totals.iter().map(|t| t.count).sum();
            let (figures, cells) = committee_and_reports(&codes, &totals, grid.clone(), min_cell);
            let context = format!("round {round}: {grid:?} -> {figures:?} {cells:?}");
            // Every committee and period: a report section exists only where the committee
            // did something public, so the reader knows a cell only where it has public cases.
            let keys: Vec<(CommitteeCode, i16)> = codes
                .iter()
                .flat_map(|c| (0..periods).map(move |y| (c.clone(), 2020 + y)))
                .collect();
            for k in &keys {
                grid.entry(k.clone()).or_default();
            }
            let cells: BTreeMap<(CommitteeCode, i16), Count> = keys
                .iter()
                .map(|k| (k.clone(), cells.get(k).copied().unwrap_or(Count::Shown(0))))
                .collect();
            for k in &keys {
                if let (Count::Shown(n), true) = (cells[k], grid[k].consented > 0) {
                    assert_eq!(n, grid[k].count, "{context}");
                    let hidden = n - grid[k].consented;
                    assert!(hidden == 0 || hidden >= min_cell, "{context}");
                }
            }
            let domains: Vec<Vec<u32>> = keys
                .iter()
                .map(|k| {
                    if grid[k].consented == 0 {
                        (0..=total).collect()
                    } else {
                        domain(cells[k], grid[k].consented, min_cell, total)
                    }
                })
                .collect();
            // Enumerate assignments (the domains are small).
            let mut seen: Vec<std::collections::BTreeSet<u32>> =
                vec![Default::default(); keys.len()];
            let mut seen_totals: Vec<std::collections::BTreeSet<u32>> =
                vec![Default::default(); codes.len()];
            let mut idx = vec![0usize; keys.len()];
            'outer: loop {
                let values: Vec<u32> = idx.iter().zip(&domains).map(|(i, d)| d[*i]).collect();
                let sums: Vec<u32> = codes
                    .iter()
                    .map(|c| {
                        keys.iter()
                            .zip(&values)
                            .filter(|(k, _)| &k.0 == c)
                            .map(|(_, v)| v)
                            .sum()
                    })
                    .collect();
                let fits = sums.iter().sum::<u32>() == total
                    && codes.iter().enumerate().all(|(i, c)| {
                        domain(figures[c], totals[i].consented, min_cell, total).contains(&sums[i])
                    });
                if fits {
                    for (s, v) in seen.iter_mut().zip(&values) {
                        s.insert(*v);
                    }
                    for (s, v) in seen_totals.iter_mut().zip(&sums) {
                        s.insert(*v);
                    }
                }
                for j in 0..idx.len() {
                    idx[j] += 1;
                    if idx[j] < domains[j].len() {
                        continue 'outer;
                    }
                    idx[j] = 0;
                }
                break;
            }
            for (i, k) in keys.iter().enumerate() {
                assert!(
                    seen[i].contains(&grid[k].count),
                    "truth impossible: {context}"
                );
                let hidden = grid[k].count - grid[k].consented;
                if hidden > 0 && hidden < min_cell {
                    assert!(
                        seen[i].len() >= 2,
                        "{k:?} worked out as {:?}: {context}",
                        seen[i]
                    );
                }
            }
            for (i, t) in totals.iter().enumerate() {
                if let Count::Shown(n) = figures[&codes[i]] {
                    let hidden = n - t.consented;
                    assert!(hidden == 0 || hidden >= min_cell, "{context}");
                } else if t.count > t.consented && t.count - t.consented < min_cell {
                    assert!(
                        seen_totals[i].len() >= 2,
                        "figure {i} worked out: {context}"
                    );
                }
            }
        }
    }
}
