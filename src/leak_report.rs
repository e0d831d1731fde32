//! How the leak scan's findings are told: each withheld value once, with the output files it
//! was found in and how many, and, when the value is also the published text of another case,
//! that (the usual cause: two cases share a title, and one of them is withheld).

use std::collections::BTreeMap;

use crate::leak_scan::{Cause, Leak};
use crate::load::Inputs;
use crate::model::date::Date;
use crate::project::{Withheld, gates};

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
    let mut by_field: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for leak in leaks.iter().filter(|l| l.cause == Cause::Withheld) {
        by_field
            .entry(leak.field.as_str())
            .or_default()
            .push(leak.file.as_str());
    }
    for (field, mut files) in by_field {
        files.sort_unstable();
        files.dedup();
        let count = match files.len() {
            1 => "1 file".to_owned(),
            n => format!("{n} files"),
        };
        let mut shown = files
            .iter()
            .take(FILES_SHOWN)
            .copied()
            .collect::<Vec<_>>()
            .join(", ");
        if files.len() > FILES_SHOWN {
            shown.push_str(&format!(" and {} more", files.len() - FILES_SHOWN));
        }
        out.push_str(&format!(
            "LEAK: withheld text from {field} found in {count}: {shown}\n"
        ));
    }
    out
}

/// Adds to each leak's field, when the withheld value is word for word the published title or
/// summary of another case, which case and field publish it.
pub(crate) fn note_published_twins(
    leaks: &mut [Leak],
    withheld: &[Withheld],
    inputs: &Inputs,
    build_date: Date,
    quarantine: &gates::Quarantine,
) {
    let mut published: Vec<(String, String, &str)> = Vec::new();
    for record in &inputs.cases {
        if !gates::record_published(record, build_date, quarantine) {
            continue;
        }
        let case = &record.value;
        let id = case.id.get_ref().as_str().to_owned();
        for text in case.title.get_ref().texts() {
            published.push((comparable(text), id.clone(), "title"));
        }
        for text in case.summary.get_ref().texts() {
            published.push((comparable(text), id.clone(), "summary"));
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
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn leak(file: &str, field: &str) -> Leak {
        Leak {
            file: file.into(),
            field: field.into(),
            cause: Cause::Withheld,
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
}
