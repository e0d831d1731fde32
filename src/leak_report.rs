//! How the leak scan's findings are told: each withheld value once, with the output files it
//! was found in and how many, and, when the value is also the published text of another case,
//! that (the usual cause: two cases share a title, and one of them is withheld).

use std::collections::{BTreeMap, BTreeSet};

use crate::leak_scan::{Cause, Leak};
use crate::project::Withheld;
use crate::public::PublicCase;

/// Files named per value before "and N more".
const FILES_SHOWN: usize = 3;

/// One line per withheld value: `LEAK: withheld text from FIELD found in N files: a, b, c and
/// N more`, plus the note on a published twin when there is one.
pub(crate) fn describe(leaks: &[Leak]) -> String {
    let mut out = String::new();
    // A file that cannot be read is told on its own: its "field" is why it cannot be read.
    for leak in leaks.iter().filter(|l| l.cause == Cause::Unreadable) {
        out.push_str(&leak.describe());
        out.push('\n');
    }
    let mut by_field: BTreeMap<&str, (Vec<&str>, usize)> = BTreeMap::new();
    for leak in leaks.iter().filter(|l| l.cause == Cause::Withheld) {
        let (files, unnamed) = by_field.entry(leak.field.as_str()).or_default();
        files.push(leak.file.as_str());
        *unnamed += leak.unnamed_files;
    }
    for (field, (mut files, unnamed)) in by_field {
        files.sort_unstable();
        files.dedup();
        let total = files.len() + unnamed;
        let count = match total {
            1 => "1 file".to_owned(),
            n => format!("{n} files"),
        };
        let mut shown = files
            .iter()
            .take(FILES_SHOWN)
            .copied()
            .collect::<Vec<_>>()
            .join(", ");
        if total > FILES_SHOWN {
            shown.push_str(&format!(" and {} more", total - FILES_SHOWN));
        }
        out.push_str(&format!(
            "LEAK: withheld text from {field} found in {count}: {shown}\n"
        ));
    }
    out
}

/// The findings of a scan, holding for each withheld value only the files a report names (the
/// first in name order) and a count of the others, so that a value repeated on every page of a
/// large site costs a few names, not a finding per page.
#[derive(Default)]
pub(crate) struct Findings {
    unreadable: Vec<Leak>,
    by_field: BTreeMap<String, (BTreeSet<String>, usize)>,
}

impl Findings {
    pub(crate) fn add(&mut self, leaks: Vec<Leak>) {
        for leak in leaks {
            if leak.cause == Cause::Unreadable {
                self.unreadable.push(leak);
                continue;
            }
            let (files, unnamed) = self.by_field.entry(leak.field).or_default();
            *unnamed += leak.unnamed_files;
            if files.insert(leak.file) && files.len() > FILES_SHOWN {
                files.pop_last();
                *unnamed += 1;
            }
        }
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.unreadable.is_empty() && self.by_field.is_empty()
    }

    /// The findings kept, the count of unnamed files carried by each value's first one.
    pub(crate) fn into_leaks(self) -> Vec<Leak> {
        let mut out = self.unreadable;
        for (field, (files, unnamed)) in self.by_field {
            for (i, file) in files.into_iter().enumerate() {
                out.push(Leak {
                    file,
                    field: field.clone(),
                    cause: Cause::Withheld,
                    unnamed_files: if i == 0 { unnamed } else { 0 },
                });
            }
        }
        out
    }
}

/// Adds to each leak's field, when the withheld value is word for word the published title or
/// summary of another case, which case and field publish it.
pub(crate) fn note_published_twins(
    leaks: &mut [Leak],
    withheld: &[Withheld],
    cases: &[std::sync::Arc<PublicCase>],
) {
    let mut published: Vec<(String, String, &str)> = Vec::new();
    for case in cases.iter().filter(|c| !c.draft) {
        let id = case.id.as_str();
        for text in case.title.texts() {
            published.push((comparable(text), id.to_owned(), "title"));
        }
        for text in case.summary.texts() {
            published.push((comparable(text), id.to_owned(), "summary"));
        }
    }
    for leak in leaks {
        let own_file = leak.field.split(": ").next().unwrap_or("").to_owned();
        let twin = withheld
            .iter()
            .filter(|w| w.field == leak.field)
            .find_map(|w| {
                let value = comparable(&w.text);
                published
                    .iter()
                    .find(|(text, id, _)| *text == value && !own_file.contains(id.as_str()))
            });
        if let Some((_, id, what)) = twin {
            leak.field.push_str(&format!(
                " (the same text is the published {what} of case {id})"
            ));
        }
    }
}

fn comparable(text: &str) -> String {
    crate::markdown::single_spaced(text).to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn leak(file: &str, field: &str) -> Leak {
        Leak {
            file: file.into(),
            field: field.into(),
            cause: Cause::Withheld,
            unnamed_files: 0,
        }
    }

    #[test]
    fn each_withheld_value_is_told_once_with_its_files_and_count() {
        let field = "public-data/cases/2024/2024-002.toml: title (case not published)";
        let leaks: Vec<Leak> = ["a.html", "e.html", "b.html", "c.html", "d.html", "a.html"]
            .iter()
            .map(|f| leak(f, field))
            .chain([leak(
                "x.json",
                "public-data/cases/2024/2024-001.toml: private.note",
            )])
            .collect();
        assert_eq!(
            describe(&leaks),
            "LEAK: withheld text from public-data/cases/2024/2024-001.toml: private.note found in 1 file: x.json\n\
             LEAK: withheld text from public-data/cases/2024/2024-002.toml: title (case not published) found in 5 files: a.html, b.html, c.html and 2 more\n"
        );
    }

    #[test]
    fn findings_keep_a_few_names_per_value_and_count_the_rest() {
        let field = "public-data/cases/2024/2024-002.toml: private.note";
        let mut findings = Findings::default();
        for chunk in [
            "f.html", "a.html", "e.html", "b.html", "d.html", "c.html", "a.html",
        ]
        .chunks(2)
        {
            findings.add(chunk.iter().map(|f| leak(f, field)).collect());
        }
        let kept = findings.into_leaks();
        assert_eq!(kept.len(), FILES_SHOWN);
        assert_eq!(
            describe(&kept),
            "LEAK: withheld text from public-data/cases/2024/2024-002.toml: private.note found in 6 files: a.html, b.html, c.html and 3 more\n"
        );
    }
}
