//! Counting without disclosing (issue 14 item 3, issue 17 item 5), on the minimal fixture with
//! cases added by the tests. Every expected figure is worked out here from the cases the test
//! writes, without the code under test.
//!
//! - Gender, age group and perpetrators are counted per closed reporting period (1 May to
//!   30 April, the default), by the day publication was approved: while a period is open, the
//!   whole site is the same whatever the aggregate-only fields of a case approved in it.
//! - `statistics = true` counts an unpublished case among the "allegations received", never
//!   exactly when its number is small, and never so that subtracting the public cases gives
//!   it away.

use std::collections::BTreeMap;
use std::path::Path;

use crate::common::*;

const MIN_CELL: u64 = 3;

/// A case in the minimal fixture's vocabularies.
struct NewCase<'a> {
    id: &'a str,
    publish: bool,
    statistics: bool,
    committees: &'a [&'a str],
    country: &'a str,
    reported: &'a str,
    approved: &'a str,
    types: &'a [&'a str],
    consent: &'a str,
    victim: &'a str,
    perpetrators: &'a [&'a str],
}

impl NewCase<'_> {
    fn published(
        id: &str,
        reported: &str,
        approved: &str,
        victim: &'static str,
    ) -> NewCase<'static> {
        NewCase {
            id: Box::leak(id.to_owned().into_boxed_str()),
            publish: true,
            statistics: false,
            committees: &["CAT"],
            country: "MEX",
            reported: Box::leak(reported.to_owned().into_boxed_str()),
            approved: Box::leak(approved.to_owned().into_boxed_str()),
            types: &["threats"],
            consent: "given = true\ndate = 2024-05-01\nscopes = []",
            victim,
            perpetrators: &["police"],
        }
    }

    fn write(&self, site: &Path) {
        let list = |v: &[&str]| {
            v.iter()
                .map(|s| format!("\"{s}\""))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let text = format!(
            "id = \"{id}\"\npublish = {publish}\nstatistics = {statistics}\n\
             title = \"Title of {id}\"\nsummary = \"Summary of case {id}.\"\n\
             committees = [{committees}]\ncountry = \"{country}\"\ndate_reported = {reported}\n\
             reprisal_types = [{types}]\nstatus = \"action_taken\"\nperpetrators = [{perps}]\n\n\
             [review]\nassessed = {reported}\napproved = {approved}\n\n[consent]\n{consent}\n\n\
             [victim]\nkind = \"individual\"\n{victim}\n",
            id = self.id,
            publish = self.publish,
            statistics = self.statistics,
            committees = list(self.committees),
            country = self.country,
            reported = self.reported,
            types = list(self.types),
            perps = list(self.perpetrators),
            approved = self.approved,
            consent = self.consent,
            victim = self.victim,
        );
        let dir = site.join("public-data/cases").join(&self.id[..4]);
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join(format!("{}.toml", self.id)), text).unwrap();
    }
}

/// Seven published cases approved in the period 1 May 2024 – 30 April 2025, none with consent
/// to show gender, age group or perpetrators.
fn period_2024_cases() -> Vec<NewCase<'static>> {
    let victims = [
        "gender = \"woman\"\nage_group = \"30_49\"",
        "gender = \"woman\"\nage_group = \"30_49\"",
        "gender = \"woman\"\nage_group = \"18_29\"",
        "gender = \"woman\"\nage_group = \"30_49\"",
        "gender = \"man\"\nage_group = \"18_29\"",
        "gender = \"man\"\nage_group = \"30_49\"",
        "gender = \"man\"\nage_group = \"18_29\"",
    ];
    victims
        .iter()
        .enumerate()
        .map(|(i, v)| {
            let day = format!("2024-{:02}-10", 6 + i);
            NewCase::published(&format!("2024-01{i}"), &day, &day, v)
        })
        .collect()
}

/// The case added between two builds: reported and approved in January 2025 (period 2024).
fn newcomer(victim: &'static str, perpetrators: &'static [&'static str]) -> NewCase<'static> {
    NewCase {
        perpetrators,
        ..NewCase::published("2025-001", "2025-01-05", "2025-01-12", victim)
    }
}

fn built(site: &Path, date: &str) -> (tempfile::TempDir, Vec<(String, Vec<u8>)>) {
    let out = tempfile::tempdir().unwrap();
    let target = out.path().join("public");
    let result = build(site, &target, date);
    assert!(result.status.success(), "{}", stderr(&result));
    let files = snapshot(&target);
    (out, files)
}

/// The rows of table `id` of a trends page: key to (public or single column, received column),
/// `None` where suppressed.
type Rows = BTreeMap<String, (Option<u64>, Option<Option<u64>>)>;

fn table(html: &str, id: &str) -> Option<Rows> {
    let start = html
        .find(&format!("id={id}-table"))
        .or_else(|| html.find(&format!("id=\"{id}-table\"")))?;
    let table = &html[start..start + html[start..].find("</table>").unwrap()];
    let row = regex::Regex::new(r#"(?s)data-key="?([a-z0-9_]+)"?>(.*?)</tr>"#).unwrap();
    let value = regex::Regex::new(r#"data-value="?([0-9]+)"?|data-suppressed"#).unwrap();
    let received =
        regex::Regex::new(r#"data-received="?([0-9]+)"?|data-received-suppressed"#).unwrap();
    Some(
        row.captures_iter(table)
            .map(|c| {
                let cells = &c[2];
                let v = value
                    .captures(cells)
                    .and_then(|m| m.get(1).map(|x| x.as_str().parse().unwrap()));
                let r = received
                    .captures(cells)
                    .map(|m| m.get(1).map(|x| x.as_str().parse().unwrap()));
                (c[1].to_owned(), (v, r))
            })
            .collect(),
    )
}

fn trends(files: &[(String, Vec<u8>)], path: &str) -> String {
    let bytes = &files.iter().find(|(p, _)| p == path).expect(path).1;
    String::from_utf8(bytes.clone()).unwrap()
}

#[test]
fn while_its_period_is_open_nothing_differs_with_a_new_cases_gender_age_or_perpetrators() {
    let base = copy_site(&fixture("minimal"));
    for case in period_2024_cases() {
        case.write(base.path());
    }
    // Build dates inside the open period 1 May 2024 – 30 April 2025.
    let (_a, before) = built(base.path(), "2025-01-20");
    let man = copy_site(base.path());
    newcomer("gender = \"man\"\nage_group = \"18_29\"", &["police"]).write(man.path());
    let woman = copy_site(base.path());
    newcomer("gender = \"woman\"\nage_group = \"30_49\"", &["unknown"]).write(woman.path());
    let (_b, with_man) = built(man.path(), "2025-01-20");
    let (_c, with_woman) = built(woman.path(), "2025-01-20");
    // Every output byte, HTML, JSON, CSV, feeds and search index alike, is the same whichever
    // aggregate-only values the new case has: comparing the build before it was added with
    // the build after tells its public fields and nothing else.
    assert_eq!(with_man.len(), with_woman.len());
    for ((p, a), (q, b)) in with_man.iter().zip(&with_woman) {
        assert_eq!(p, q);
        assert!(
            a == b,
            "{p} differs with the new case's gender, age group or perpetrators"
        );
    }
    // And no aggregate-only count changed between the build before the case was added and
    // the build after.
    for id in ["gender-2023", "age-group-2023", "perpetrator-2023"] {
        let a = table(&trends(&before, "trends/index.html"), id);
        let b = table(&trends(&with_man, "trends/index.html"), id);
        assert!(
            a.is_some() && a == b,
            "{id} changed when one case was added"
        );
    }
    for files in [&before, &with_man] {
        for lang in ["", "fr/"] {
            let html = trends(files, &format!("{lang}trends/index.html"));
            assert!(
                table(&html, "gender-2024").is_none(),
                "the open period is counted"
            );
            assert!(table(&html, "perpetrator-2024").is_none());
        }
        let en = trends(files, "trends/index.html");
        assert!(
            en.contains("(1 May 2024 – 30 April 2025) is not over"),
            "the page says why the period is not shown"
        );
        // The period before (2024-001, approved 2024-03-15) is closed and shown.
        assert!(table(&en, "gender-2023").is_some());
    }
}

#[test]
fn once_the_period_closes_its_counts_appear_suppressed_so_that_no_case_stands_out() {
    let site = copy_site(&fixture("minimal"));
    let mut cases = period_2024_cases();
    cases.push(newcomer(
        "gender = \"man\"\nage_group = \"18_29\"",
        &["police"],
    ));
    for case in &cases {
        case.write(site.path());
    }
    let (_out, files) = built(site.path(), "2025-05-02");
    // 2024-002 (approved 2024-06-01, no victim details) is in the period too.
    let mut truth: BTreeMap<&str, BTreeMap<String, u64>> = BTreeMap::new();
    let victims: Vec<(Option<&str>, Option<&str>)> = cases
        .iter()
        .map(|c| {
            let field = |key: &str| {
                c.victim
                    .lines()
                    .find_map(|l| l.strip_prefix(&format!("{key} = \"")))
                    .map(|v| v.trim_end_matches('"'))
            };
            (field("gender"), field("age_group"))
        })
        .chain(std::iter::once((None, None)))
        .collect();
    for (gender, age) in &victims {
        *truth
            .entry("gender")
            .or_default()
            .entry(gender.unwrap_or("not_recorded").to_owned())
            .or_default() += 1;
        *truth
            .entry("age-group")
            .or_default()
            .entry(age.unwrap_or("not_recorded").to_owned())
            .or_default() += 1;
    }
    let total = victims.len() as u64;
    assert_eq!(total, 9);
    for lang in ["", "fr/"] {
        let html = trends(&files, &format!("{lang}trends/index.html"));
        for field in ["gender", "age-group"] {
            let rows = table(&html, &format!("{field}-2024")).expect("the closed period is shown");
            let real = &truth[field];
            let mut hidden = Vec::new();
            let mut shown_sum = 0;
            for (key, (value, _)) in &rows {
                let n = real.get(key).copied().unwrap_or(0);
                match value {
                    Some(v) => {
                        assert_eq!(*v, n, "{field} {key}");
                        assert!(*v == 0 || *v >= MIN_CELL, "{field} {key}: small cell shown");
                        shown_sum += v;
                    }
                    None => hidden.push(n),
                }
            }
            // The total (the period's nine cases) is assumed known: what is hidden must be
            // spread over two cells or more, none of them pinned by its "<3" limits.
            assert!(
                hidden.len() != 1,
                "{field}: a lone hidden cell is the remainder"
            );
            assert_eq!(shown_sum + hidden.iter().sum::<u64>(), total);
            let small: Vec<&u64> = hidden.iter().filter(|n| **n < MIN_CELL).collect();
            assert!(!small.is_empty() || hidden.is_empty());
        }
        // A small cell reads "<3", never its number.
        assert!(
            html.contains("&lt;3") || html.contains("<3"),
            "no small cell shown as <3"
        );
    }
}

/// The cases counted for statistics only: counted (consent given, reported in a closed
/// period), and three that must not be counted.
fn statistics_cases() -> Vec<NewCase<'static>> {
    let stats =
        |id: &'static str, committees: &'static [&'static str], country, reported, types| NewCase {
            id,
            publish: false,
            statistics: true,
            committees,
            country,
            reported,
            approved: reported,
            types,
            consent: "given = true\ndate = 2024-05-01\nscopes = []",
            victim: "gender = \"woman\"",
            perpetrators: &["police"],
        };
    vec![
        stats("2024-030", &["CAT"], "MEX", "2024-08-01", &["threats"]),
        stats("2024-031", &["CAT"], "MEX", "2024-09-01", &["threats"]),
        stats("2024-032", &["CAT"], "MEX", "2024-10-01", &["threats"]),
        stats("2024-033", &["CMW"], "KEN", "2024-11-01", &["travel_ban"]),
        NewCase {
            consent: "given = false",
            ..stats("2024-034", &["CMW"], "KEN", "2024-11-02", &["threats"])
        },
        NewCase {
            consent: "given = true\ndate = 2024-05-01\nwithdrawn = 2025-01-01",
            ..stats("2024-035", &["CMW"], "KEN", "2024-11-03", &["threats"])
        },
        // Reported in the period still open on the build date.
        stats("2025-030", &["CAT"], "KEN", "2025-05-10", &["threats"]),
    ]
}

/// Every value each suppressed cell can take, given the shown cells, the known total, the
/// public cases (a lower limit everyone knows) and what "<3" and "withheld" mean.
fn feasible(cells: &[(u64, Option<u64>, bool)], total: u64) -> Vec<Vec<u64>> {
    // (public, shown value, small)
    let shown: u64 = cells.iter().filter_map(|c| c.1).sum();
    let rest = total - shown;
    let all_hidden = cells.iter().all(|c| c.1.is_none());
    let domains: Vec<Vec<u64>> = cells
        .iter()
        .filter(|c| c.1.is_none())
        .map(|&(public, _, small)| {
            if small {
                (public.max(1)..MIN_CELL).collect()
            } else if all_hidden {
                (public..=rest).collect()
            } else {
                (public.max(MIN_CELL)..=rest).collect()
            }
        })
        .collect();
    (0..domains.len())
        .map(|i| {
            domains[i]
                .iter()
                .copied()
                .filter(|v| {
                    // Can the other hidden cells make up rest - v?
                    let mut reach = vec![false; rest as usize + 1];
                    reach[0] = true;
                    for (j, d) in domains.iter().enumerate() {
                        if j == i {
                            continue;
                        }
                        let mut next = vec![false; rest as usize + 1];
                        for (s, r) in reach.iter().enumerate() {
                            if !*r {
                                continue;
                            }
                            for x in d {
                                if s + (*x as usize) <= rest as usize {
                                    next[s + *x as usize] = true;
                                }
                            }
                        }
                        reach = next;
                    }
                    *v <= rest && reach[(rest - v) as usize]
                })
                .collect()
        })
        .collect()
}

#[test]
fn statistics_only_cases_are_counted_as_allegations_received_and_never_recoverable() {
    let site = copy_site(&fixture("minimal"));
    let published = period_2024_cases();
    let stats = statistics_cases();
    for case in published.iter().chain(&stats) {
        case.write(site.path());
    }
    let (_out, files) = built(site.path(), "2025-06-01");
    // The public cases: the fixture's 2024-001 (CAT, MEX, threats) and 2024-002 (CAT and CMW,
    // KEN, travel_ban), and the seven added (CAT, MEX, threats). Counted statistics-only
    // cases: 2024-030..032 (CAT, MEX, threats) and 2024-033 (CMW, KEN, travel_ban).
    let counted: Vec<&NewCase> = stats
        .iter()
        .filter(|c| c.consent.ends_with("scopes = []") && c.reported < "2025-05-01")
        .collect();
    assert_eq!(counted.len(), 4);
    type Key = (&'static str, String);
    let mut public: BTreeMap<Key, u64> = BTreeMap::new();
    let mut hidden: BTreeMap<Key, u64> = BTreeMap::new();
    let fixture_cases: [(&[&str], &str, &str, &[&str]); 2] = [
        (&["CAT"], "MEX", "2024-03-12", &["threats"]),
        (&["CAT", "CMW"], "KEN", "2024-06-01", &["travel_ban"]),
    ];
    let region = |c: &str| {
        if c == "MEX" {
            "latin_american_caribbean_states"
        } else {
            "african_states"
        }
    };
    let add = |map: &mut BTreeMap<Key, u64>,
               committees: &[&str],
               country: &str,
               date: &str,
               types: &[&str]| {
        for c in committees {
            *map.entry(("committee", c.to_lowercase())).or_default() += 1;
        }
        *map.entry(("year", date[..4].to_owned())).or_default() += 1;
        *map.entry(("region", region(country).to_owned()))
            .or_default() += 1;
        for t in types {
            *map.entry(("type", (*t).to_owned())).or_default() += 1;
        }
    };
    for (committees, country, date, types) in fixture_cases {
        add(&mut public, committees, country, date, types);
    }
    for c in &published {
        add(&mut public, c.committees, c.country, c.reported, c.types);
    }
    for c in &counted {
        add(&mut hidden, c.committees, c.country, c.reported, c.types);
    }
    let mut shown_any = false;
    for lang in ["", "fr/"] {
        let html = trends(&files, &format!("{lang}trends/index.html"));
        for dimension in ["committee", "year", "region", "type"] {
            let rows = table(&html, dimension).unwrap();
            let mut cells = Vec::new();
            let mut truth = Vec::new();
            for (key, (value, received)) in &rows {
                let k = (dimension, key.clone());
                let p = public.get(&k).copied().unwrap_or(0);
                let h = hidden.get(&k).copied().unwrap_or(0);
                assert_eq!(
                    value.unwrap_or(0),
                    p,
                    "{lang}{dimension} {key}: public cases"
                );
                let received = received.expect("an allegations column");
                if let Some(r) = received {
                    assert_eq!(r, p + h, "{lang}{dimension} {key}");
                    assert!(
                        h == 0 || h >= MIN_CELL,
                        "{lang}{dimension} {key}: {h} unpublished case(s) by subtraction"
                    );
                    shown_any |= h > 0;
                }
                let small = received.is_none() && row_says_small(&html, dimension, key);
                cells.push((p, received, small));
                truth.push((p, h));
            }
            // Suppression holds even against a reader who knows the table's total.
            let total: u64 = truth.iter().map(|(p, h)| p + h).sum();
            let hidden_truth: Vec<(u64, u64)> = cells
                .iter()
                .zip(&truth)
                .filter(|(c, _)| c.1.is_none())
                .map(|(_, t)| *t)
                .collect();
            for (values, (p, h)) in feasible(&cells, total).iter().zip(hidden_truth) {
                assert!(
                    values.contains(&(p + h)),
                    "{dimension}: the truth must be possible"
                );
                assert!(
                    values.len() >= 2 || h == 0,
                    "{lang}{dimension}: a hidden cell is worked out as {values:?}"
                );
            }
        }
    }
    assert!(
        shown_any,
        "three unpublished CAT cases are enough to be shown"
    );
    // The report sections (periods from 1 May): where a number is shown it is exact and no
    // unpublished case can be subtracted out of it.
    let period = |date: &str| {
        let y: u64 = date[..4].parse().unwrap();
        if &date[5..] >= "05-01" { y } else { y - 1 }
    };
    let mut grid: BTreeMap<(String, u64), (u64, u64)> = BTreeMap::new();
    for (committees, _, date, _) in fixture_cases {
        for c in committees {
            grid.entry((c.to_lowercase(), period(date))).or_default().0 += 1;
        }
    }
    for c in &published {
        for k in c.committees {
            grid.entry((k.to_lowercase(), period(c.reported)))
                .or_default()
                .0 += 1;
        }
    }
    for c in &counted {
        for k in c.committees {
            grid.entry((k.to_lowercase(), period(c.reported)))
                .or_default()
                .1 += 1;
        }
    }
    for ((committee, year), (p, h)) in &grid {
        if *p == 0 {
            // No section without public activity: its absence must not say "none received".
            continue;
        }
        let md = trends(&files, &format!("reports/{committee}/{year}/report.md"));
        let line = md.lines().find(|l| l.contains("statistics only:")).unwrap();
        let value = line.rsplit(": ").next().unwrap();
        if let Ok(n) = value.parse::<u64>() {
            assert_eq!(n, p + h, "{committee} {year}");
            assert!(*h == 0 || *h >= MIN_CELL, "{committee} {year}: {line}");
        }
    }
    // CMW, period 2024: one public case and one counted: never the exact number.
    let md = trends(&files, "reports/cmw/2024/report.md");
    let line = md.lines().find(|l| l.contains("statistics only:")).unwrap();
    assert!(!line.ends_with(": 2") && !line.ends_with(": 1"), "{line}");
    // Nothing of a statistics-only case is published: not its id, title or summary.
    for (path, bytes) in &files {
        let text = String::from_utf8_lossy(bytes);
        for c in &stats {
            assert!(!text.contains(c.id), "{path} names {}", c.id);
            assert!(!text.contains(&format!("Title of {}", c.id)), "{path}");
        }
    }
}

/// Whether the received cell of row `key` in table `dimension` reads "<3".
fn row_says_small(html: &str, dimension: &str, key: &str) -> bool {
    let start = html
        .find(&format!("id={dimension}-table"))
        .or_else(|| html.find(&format!("id=\"{dimension}-table\"")))
        .unwrap();
    let table = &html[start..start + html[start..].find("</table>").unwrap()];
    let row_start = table
        .find(&format!("data-key={key}>"))
        .or_else(|| table.find(&format!("data-key=\"{key}\">")))
        .unwrap();
    let row = &table[row_start..row_start + table[row_start..].find("</tr>").unwrap()];
    let cell = row.rsplit("<td").next().unwrap();
    cell.contains("&lt;3") || cell.contains(">&lt;")
}

#[test]
fn statistics_is_a_known_key_and_means_nothing_on_a_published_case() {
    let site = copy_site(&fixture("minimal"));
    let mut case = NewCase::published("2024-040", "2024-06-10", "2024-06-10", "gender = \"woman\"");
    case.statistics = true;
    case.write(site.path());
    let out = tempfile::tempdir().unwrap();
    let result = build(site.path(), &out.path().join("public"), "2025-01-20");
    let message = stderr(&result);
    assert!(result.status.success(), "{message}");
    assert!(
        message.contains("`statistics = true` has no effect on a case with `publish = true`"),
        "{message}"
    );
}

// The adversarial fixture's statistics-only case (2024-090): every text of it carries a
// sentinel, which `safety::no_sentinel_reaches_any_output_byte_in_any_form` looks for in every
// output byte; here, that it is counted and that its id is in the leak scan's withheld set.

#[test]
fn the_adversarial_statistics_only_case_is_counted_and_its_id_is_never_published() {
    let site = fixture("adversarial");
    let (_out, files) = built(&site, "2025-06-15");
    let md = trends(&files, "reports/cat/2023/report.md");
    assert!(md.contains("statistics only:"), "{md}");
    for (path, bytes) in &files {
        let text = String::from_utf8_lossy(bytes);
        assert!(
            !text.contains("2024-090"),
            "{path} names the statistics-only case"
        );
    }
    // Cited in a public summary, the id stops the build.
    let copy = copy_site(&site);
    let case = copy.path().join("public-data/cases/2025/2025-002.toml");
    let text = read(&case);
    std::fs::write(
        &case,
        text.replacen(
            "A journalist was prevented from travelling.",
            "A journalist was prevented from travelling, as in case 2024-090.",
            1,
        ),
    )
    .unwrap();
    let out = tempfile::tempdir().unwrap();
    let result = build(copy.path(), &out.path().join("public"), "2025-06-15");
    let message = stderr(&result);
    assert_eq!(result.status.code(), Some(3), "{message}");
    assert!(
        message.contains("2024-090.toml: id (counted for statistics only)"),
        "{message}"
    );
}
