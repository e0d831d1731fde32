//! Nothing half-written goes out: placeholders and empty text in what would be published,
//! contact values that do not fit their kind, a full letter without its file, an action by a
//! committee the case does not name, a case file in another year's folder, and focal points
//! whose terms overlap.
//!
//! Errors in a case or focal-point file quarantine that record (see `project::publication`).

use std::sync::Arc;

use crate::diagnostics::{Problem, Problems, SourceFile};
use crate::load::Inputs;
use crate::memo::FileMemo;
use crate::model::Record;
use crate::model::case::{Case, ConsentScope, LetterMode};
use crate::model::committee::{Contact, ContactKind};
use crate::model::localized::Localized;

/// Every check of this module, over every record. With `kept` (`serve`), a case file whose
/// text is what it was at the last run gets the problems found then: a case's checks read
/// nothing else.
pub(crate) fn check(inputs: &Inputs, kept: Option<&mut FileMemo<Problems>>) -> Problems {
    let mut problems = Problems::default();
    for record in &inputs.committees {
        check_contacts(&record.value.contact, &record.file, &mut problems);
    }
    for record in &inputs.focal_points {
        let fp = &record.value;
        text(&record.file, "name", &fp.name, &mut problems);
        check_contacts(&fp.contact, &record.file, &mut problems);
    }
    overlapping_terms(inputs, &mut problems);
    // In parallel, in file order: `serve` runs this on every edit.
    let per_case = FileMemo::check_each(kept, 0, &inputs.cases, |record| {
        let mut problems = Problems::default();
        check_case(record, &mut problems);
        problems
    });
    for case_problems in per_case {
        problems.extend(case_problems);
    }
    first_of_duplicates(inputs, &mut problems);
    problems
}

/// `validate` reports a duplicate id on the second file; the first gets an error too, so that
/// both are withheld: which one is right cannot be known, and publishing either could publish
/// the wrong record.
fn first_of_duplicates(inputs: &Inputs, problems: &mut Problems) {
    let mut first: std::collections::HashMap<&str, &Record<Case>> = Default::default();
    let mut reported = std::collections::HashSet::new();
    for record in &inputs.cases {
        let id = record.value.id.get_ref().as_str();
        match first.get(id) {
            None => {
                first.insert(id, record);
            }
            Some(original) if reported.insert(id) => problems.push(
                Problem::error(format!(
                    "case id `{id}` is also used by {}",
                    record.file.name
                ))
                .at(&original.file, original.value.id.span())
                .label("duplicate id")
                .help("both files are withheld until one of them gets its own id"),
            ),
            Some(_) => {}
        }
    }
}

/// A placeholder left from a template: what `new` writes for the webmaster to replace.
pub(crate) fn placeholder(value: &str) -> Option<&'static str> {
    let trimmed = value.trim();
    if trimmed.contains("TODO") {
        Some("TODO")
    } else if trimmed.contains("YYYY-MM-DD") {
        Some("YYYY-MM-DD")
    } else if trimmed == "..." || trimmed == "…" {
        Some("...")
    } else {
        None
    }
}

/// Where `value` is written in `file` (the first time), for the caret. A released file is read
/// again first (`SourceFile::reread`); the caller points its problem at the returned file.
fn span_of(file: &Arc<SourceFile>, value: &str) -> (Arc<SourceFile>, std::ops::Range<usize>) {
    let file = file.reread();
    let span = find_in(&file, value);
    (file, span)
}

fn find_in(file: &SourceFile, value: &str) -> std::ops::Range<usize> {
    if value.is_empty() {
        return 0..0;
    }
    let first_line = value.lines().next().unwrap_or(value);
    file.text
        .find(first_line)
        .map(|i| i..i + first_line.len())
        .unwrap_or(0..0)
}

/// A published text must be written, and not a template's placeholder.
fn text(file: &Arc<SourceFile>, field: &str, value: &str, problems: &mut Problems) {
    if value.trim().is_empty() {
        problems.push(
            Problem::error(format!("`{field}` is empty"))
                .in_file(file)
                .help(format!("write the {field}: it is published")),
        );
    } else if let Some(marker) = placeholder(value) {
        let (file, span) = span_of(file, value);
        problems.push(
            Problem::error(format!("`{field}` still holds the placeholder {marker}"))
                .at(&file, span)
                .label("placeholder")
                .help(format!(
                    "replace it with the real {field}: everything here but [private] is published"
                )),
        );
    }
}

fn localized(file: &Arc<SourceFile>, field: &str, value: &Localized, problems: &mut Problems) {
    for t in value.texts() {
        text(file, field, t, problems);
    }
}

fn check_contacts(contacts: &[Contact], file: &Arc<SourceFile>, problems: &mut Problems) {
    for contact in contacts {
        text(file, "contact.value", &contact.value, problems);
        if let Some(label) = &contact.label {
            localized(file, "contact.label", label, problems);
        }
        if contact.value.trim().is_empty() || placeholder(&contact.value).is_some() {
            continue;
        }
        if let Err(expected) = contact_fits(contact.kind, contact.value.trim()) {
            let (file, span) = span_of(file, &contact.value);
            problems.push(
                Problem::error(format!(
                    "contact `{}` is not {expected}",
                    contact.value.trim()
                ))
                .at(&file, span)
                .label(format!("kind = \"{}\"", kind_name(contact.kind)))
                .help(match contact.kind {
                    ContactKind::Email => "write an e-mail address such as reprisals@ohchr.org",
                    ContactKind::Phone => "write the number with digits, spaces and a leading +, for example +41 22 917 9000",
                    _ => "write a full https:// address (http:// only for a .onion address)",
                }),
            );
        }
    }
}

fn kind_name(kind: ContactKind) -> &'static str {
    match kind {
        ContactKind::Secure => "secure",
        ContactKind::Pgp => "pgp",
        ContactKind::Email => "email",
        ContactKind::Web => "web",
        ContactKind::Phone => "phone",
    }
}

/// Whether a contact value fits its kind; else what was expected.
pub(crate) fn contact_fits(kind: ContactKind, value: &str) -> Result<(), &'static str> {
    let ok = match kind {
        ContactKind::Email => is_email(value),
        ContactKind::Phone => is_phone(value),
        ContactKind::Secure | ContactKind::Pgp | ContactKind::Web => is_web_address(value),
    };
    if ok {
        return Ok(());
    }
    Err(match kind {
        ContactKind::Email => "an e-mail address",
        ContactKind::Phone => "a telephone number",
        _ => "an https:// address",
    })
}

fn is_email(value: &str) -> bool {
    let Some((local, domain)) = value.split_once('@') else {
        return false;
    };
    let bad = |c: char| c.is_whitespace() || c.is_control() || "<>()[]\\,;:\"@".contains(c);
    !local.is_empty()
        && !local.chars().any(bad)
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains("..")
        && !domain
            .chars()
            .any(|c| bad(c) || c == '/' || c == '?' || c == '#')
}

fn is_phone(value: &str) -> bool {
    let digits = value.chars().filter(char::is_ascii_digit).count();
    let rest = value.strip_prefix('+').unwrap_or(value);
    digits >= 3 && rest.chars().all(|c| c.is_ascii_digit() || c == ' ')
}

fn is_web_address(value: &str) -> bool {
    let lower = value.to_ascii_lowercase();
    let host_of = |rest: &str| {
        rest.split(['/', '?', '#'])
            .next()
            .unwrap_or("")
            .rsplit('@')
            .next()
            .unwrap_or("")
            .split(':')
            .next()
            .unwrap_or("")
            .to_owned()
    };
    let clean = !value
        .chars()
        .any(|c| c.is_whitespace() || "<>\"'`".contains(c));
    if let Some(rest) = lower.strip_prefix("https://") {
        let host = host_of(rest);
        clean && host.contains('.') && !host.starts_with('.')
    } else if let Some(rest) = lower.strip_prefix("http://") {
        clean && host_of(rest).ends_with(".onion")
    } else {
        false
    }
}

/// Two focal points of one committee, same role, overlapping scope and term: probably a
/// term that should have ended. A warning, since a committee may appoint two.
fn overlapping_terms(inputs: &Inputs, problems: &mut Problems) {
    let fps = &inputs.focal_points;
    for (i, a) in fps.iter().enumerate() {
        for b in &fps[i + 1..] {
            let (x, y) = (&a.value, &b.value);
            if x.committee.get_ref() != y.committee.get_ref() || x.role != y.role {
                continue;
            }
            let scopes_meet = x.scope.is_empty()
                || y.scope.is_empty()
                || x.scope
                    .iter()
                    .any(|s| y.scope.iter().any(|t| t.get_ref() == s.get_ref()));
            let (tx, ty) = (x.term.get_ref(), y.term.get_ref());
            let terms_meet = tx.end.is_none_or(|end| ty.start <= end)
                && ty.end.is_none_or(|end| tx.start <= end);
            if scopes_meet && terms_meet {
                problems.push(
                    Problem::warning(format!(
                        "{} and {} hold the same role for {} over the same procedures at the same time",
                        x.name,
                        y.name,
                        x.committee.get_ref()
                    ))
                    .at(&b.file, y.term.span())
                    .label("overlaps the other term")
                    .help(format!(
                        "if {} has left, set `end` on its term in {}; if both serve, give each its `scope`",
                        x.name, a.file.name
                    )),
                );
            }
        }
    }
}

fn check_case(record: &Record<Case>, problems: &mut Problems) {
    let Record { file, value: case } = record;
    let id = case.id.get_ref().as_str();
    // The folder is the year of the id: cases/2024/2024-007.toml.
    let folder = file.name.rsplit('/').nth(1).unwrap_or("");
    let year = id.split('-').next().unwrap_or("");
    if folder != year {
        problems.push(
            Problem::error(format!("case `{id}` is in the folder cases/{folder}/"))
                .at(file, case.id.span())
                .label(format!("the id's year is {year}"))
                .help(format!(
                    "move the file to public-data/cases/{year}/{id}.toml"
                )),
        );
    }
    let committees: Vec<&str> = case
        .committees
        .get_ref()
        .iter()
        .map(|c| c.get_ref().as_str())
        .collect();
    for action in &case.actions {
        let code = action.committee.get_ref().as_str();
        if !committees.contains(&code) {
            problems.push(
                Problem::error(format!(
                    "action by `{code}`, which is not among the case's committees"
                ))
                .at(file, action.committee.span())
                .label("not in `committees`")
                .help(format!(
                    "add \"{code}\" to committees = [...], or correct the action's committee"
                )),
            );
        }
    }
    for letter in &case.correspondence {
        if letter.mode == LetterMode::Full && letter.file.is_none() {
            let (file, span) = span_of(file, "\"full\"");
            problems.push(
                Problem::error("mode = \"full\" needs the letter's `file`")
                    .at(&file, span)
                    .label("no file to publish")
                    .help("add file = \"files/...\" (the redacted letter in public-data/files/), or use mode = \"summary\""),
            );
        }
    }
    // Placeholders matter only in what would be published.
    let consent = case.consent.as_ref().map(|c| c.get_ref());
    let wanted =
        *case.publish.get_ref() && consent.is_some_and(|c| c.given && c.withdrawn.is_none());
    if !wanted {
        return;
    }
    localized(file, "title", case.title.get_ref(), problems);
    localized(file, "summary", case.summary.get_ref(), problems);
    if case.scopes().any(|s| s == ConsentScope::Name) {
        if let Some(name) = &case.victim.name {
            text(file, "victim.name", name, problems);
        }
    }
    for action in case.actions.iter().filter(|a| a.public) {
        if let Some(note) = &action.note {
            localized(file, "actions.note", note.get_ref(), problems);
        }
    }
    for letter in &case.correspondence {
        if let Some(summary) = &letter.summary {
            localized(file, "correspondence.summary", summary.get_ref(), problems);
        }
    }
    for source in &case.sources {
        text(file, "sources.symbol", &source.symbol, problems);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contact_values_must_fit_their_kind() {
        use ContactKind::*;
        for (kind, value) in [
            (Email, "reprisals@ohchr.org"),
            (Phone, "+41 22 917 9000"),
            (Secure, "https://secure.example.org/cat"),
            (Pgp, "https://keys.example.org/cat.asc"),
            (Web, "http://abcdefghijklmnop.onion/"),
        ] {
            assert_eq!(contact_fits(kind, value), Ok(()), "{value}");
        }
        for (kind, value, expected) in [
            (Email, "reprisals.ohchr.org", "an e-mail address"),
            (Email, "a b@ohchr.org", "an e-mail address"),
            (Email, "x@localhost", "an e-mail address"),
            (Phone, "+41 22 <img>", "a telephone number"),
            (Phone, "call us", "a telephone number"),
            (Secure, "javascript:alert(1)", "an https:// address"),
            (Pgp, "http://keys.example.org/k.asc", "an https:// address"),
            (Web, "www.ohchr.org", "an https:// address"),
        ] {
            assert_eq!(contact_fits(kind, value), Err(expected), "{value}");
        }
    }

    #[test]
    fn placeholders_are_found() {
        assert_eq!(placeholder("TODO: full name as published"), Some("TODO"));
        assert_eq!(placeholder("TODO@example.org"), Some("TODO"));
        assert_eq!(placeholder("YYYY-MM-DD"), Some("YYYY-MM-DD"));
        assert_eq!(placeholder(" ... "), Some("..."));
        assert_eq!(placeholder("Ms. Todorova"), None);
        assert_eq!(placeholder("A real summary."), None);
    }
}
