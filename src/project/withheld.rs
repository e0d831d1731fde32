//! The list of every free-text value that must never reach the output, for the leak scan.

use std::collections::HashSet;
use std::hash::{BuildHasherDefault, Hash, Hasher};
use std::sync::Arc;

use rayon::prelude::*;

use crate::load::Inputs;
use crate::memo::FileMemo;
use crate::model::Record;
use crate::model::case::Case;
use crate::model::case::ConsentScope;
use crate::model::date::Date;
use crate::model::localized::Localized;

use super::gates::{self, Quarantine};

/// One value kept back from the site, and where it came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Withheld {
    /// `file: field`, for example `public-data/cases/2024/2024-007.toml: private.note`.
    pub field: String,
    pub text: String,
    /// The case whose narrative this is (a title, summary, action note or letter summary
    /// withheld from the site). Such text is written in the house style every case shares:
    /// the leak scan does not look for the parts of it that another case publishes, so that
    /// hiding one case never waits on a sentence its neighbours print. `None` for values
    /// searched whole wherever they appear (private notes, names without consent, ids).
    pub narrative_of: Option<String>,
}

/// A set of texts, each hashed once, whole (see `Text`): the set of published texts holds
/// every title and summary of the site, and is built on each `serve` edit.
type TextSet<'a> = HashSet<Text<'a>, BuildHasherDefault<crate::prehashed::KeyIsHash>>;

/// A text and its XXH3 hash. Hashing a `&str` through `Hash` feeds a streaming hasher that
/// copies the text into its buffer first: two thirds of what gathering the withheld values
/// cost.
#[derive(Clone, Copy)]
struct Text<'a> {
    hash: u64,
    text: &'a str,
}

impl<'a> Text<'a> {
    fn new(text: &'a str) -> Self {
        Text {
            hash: xxhash_rust::xxh3::xxh3_64(text.as_bytes()),
            text,
        }
    }
}

impl PartialEq for Text<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.hash == other.hash && self.text == other.text
    }
}

impl Eq for Text<'_> {}

impl Hash for Text<'_> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        state.write_u64(self.hash);
    }
}

/// What one case record withholds and publishes, worked out from the record, the build date
/// and whether the case is shown, and nothing else: `serve` keeps it from one edit to the next
/// (see `FileMemo`). Whether a value is searched for also depends on what the other cases
/// publish, and that is decided afresh at every rebuild (see `Value::searched`).
pub(crate) struct OfCase {
    values: Vec<Value>,
    /// The hash of each text the case publishes (`shown_texts`, in its order); none when the
    /// case is not shown.
    shown: Vec<u64>,
}

/// What `serve` keeps of the withheld values: each case's, known by its file.
pub(crate) type Kept = FileMemo<Arc<OfCase>>;

/// A withheld value as its record gives it.
struct Value {
    withheld: Withheld,
    unless: Unless,
}

/// When a value is not searched for: when a published case shows the same text, trimmed
/// (here with its hash).
#[derive(Clone, Copy)]
enum Unless {
    /// Searched for always.
    Never,
    /// A title, summary, note or letter summary that a published case shows word for word.
    Shown(u64),
    /// A reference to another mechanism's document that a published case gives too.
    RefShown(u64),
}

impl Value {
    /// Whether the leak scan must search for this value. A text counts as shown only if it
    /// equals, character for character, one the site publishes in this build: the hashes only
    /// find it in the set.
    fn searched(&self, shown_texts: &TextSet, shown_refs: &TextSet) -> bool {
        let text = self.withheld.text.trim();
        match self.unless {
            Unless::Never => true,
            Unless::Shown(hash) => !shown_texts.contains(&Text { hash, text }),
            Unless::RefShown(hash) => !shown_refs.contains(&Text { hash, text }),
        }
    }
}

/// Gathers the withheld values of one case.
struct Collector<'r> {
    file: &'r str,
    out: Vec<Value>,
}

impl Collector<'_> {
    fn value(&mut self, field: String, text: &str, unless: Unless) {
        self.out.push(Value {
            withheld: Withheld {
                field: format!("{}: {field}", self.file),
                text: text.to_owned(),
                narrative_of: None,
            },
            unless,
        });
    }

    /// A text in each of its languages, searched for unless a published case shows it;
    /// `narrative_of` as in `Withheld`.
    fn localized(&mut self, field: &str, text: &Localized, narrative_of: Option<&str>) {
        for t in text.texts() {
            self.out.push(Value {
                withheld: Withheld {
                    field: format!("{}: {field}", self.file),
                    text: t.to_owned(),
                    narrative_of: narrative_of.map(str::to_owned),
                },
                unless: Unless::Shown(Text::new(t.trim()).hash),
            });
        }
    }
}

/// What `audience` must not see: in a draft preview, drafts count as published. With `kept`
/// (`serve`), a case whose file is what it was at the last rebuild, and still shown or not
/// as it was then, gives what it gave then.
pub(super) fn collect_for(
    inputs: &Inputs,
    build_date: Date,
    quarantine: &Quarantine,
    audience: gates::Audience,
    kept: Option<&mut Kept>,
) -> Vec<Withheld> {
    let shows = |record: &Record<Case>| audience.shows(record, build_date, quarantine);
    let records: Vec<&Record<Case>> = inputs.cases.iter().collect();
    let mut salt = xxhash_rust::xxh3::Xxh3::new();
    salt.update(build_date.to_string().as_bytes());
    let of_case = FileMemo::check_each_of(
        kept,
        salt.digest(),
        &records,
        |record| u64::from(shows(record)),
        |record| Arc::new(of_case(record, build_date, shows(record))),
    );
    // References other mechanisms give a case are shared (an SG report symbol names many
    // cases); one is withheld only when no published case shows it.
    let shown_refs: TextSet = inputs
        .cases
        .iter()
        .filter(|c| shows(c))
        .flat_map(|c| {
            c.value
                .mechanism_refs
                .iter()
                .map(|r| Text::new(r.reference.get_ref().trim()))
        })
        .collect();
    // A hidden case's text that a published case shows word for word (a house phrase such as
    // "Letter from the rapporteur on reprisals ...") is no secret of the hidden case: searching
    // for it would block the withdrawal, and hiding never waits.
    let shown_texts = published_texts(&inputs.cases, &of_case, build_date);
    // Case by case in parallel, in file order all the same. A build that runs once holds the
    // only copy of each case's values and moves them: copied, they were held twice at once,
    // and the 100,000-case build's peak memory rose by some 35 MiB.
    let searched = |v: &Value| v.searched(&shown_texts, &shown_refs);
    let mut out: Vec<Withheld> = of_case
        .into_par_iter()
        .flat_map_iter(|of| match Arc::try_unwrap(of) {
            Ok(of) => of
                .values
                .into_iter()
                .filter(searched)
                .map(|v| v.withheld)
                .collect::<Vec<_>>(),
            Err(kept) => kept
                .values
                .iter()
                .filter(|v| searched(v))
                .map(|v| v.withheld.clone())
                .collect(),
        })
        .collect();
    let mut add = |file: &str, field: String, text: &str| {
        out.push(Withheld {
            field: format!("{file}: {field}"),
            text: text.to_owned(),
            narrative_of: None,
        })
    };
    for record in &inputs.sessions {
        if let Some(private) = &record.value.private {
            let file = record.file.name.as_str();
            private_strings(private, "private", &mut |field, text| {
                add(file, field, text)
            });
        }
    }
    for record in &inputs.focal_points {
        if let Some(private) = &record.value.private {
            let file = record.file.name.as_str();
            private_strings(private, "private", &mut |field, text| {
                add(file, field, text)
            });
        }
    }
    out
}

/// What one case record withholds, and the hashes of what it publishes if it is `public`.
fn of_case(record: &Record<Case>, build_date: Date, public: bool) -> OfCase {
    let mut c = Collector {
        file: record.file.name.as_str(),
        out: Vec::new(),
    };
    case_values(&mut c, record, build_date, public);
    let shown = match public {
        true => shown_texts(&record.value, build_date)
            .map(|t| Text::new(t).hash)
            .collect(),
        false => Vec::new(),
    };
    OfCase {
        values: c.out,
        shown,
    }
}

/// The withheld values of one case record.
fn case_values(c: &mut Collector, record: &Record<Case>, build_date: Date, public: bool) {
    let case = &record.value;
    let id = case.id.get_ref().as_str();
    if let Some(private) = &case.private {
        private_strings(private, "private", &mut |field, text| {
            c.value(field, text, Unless::Never)
        });
    }
    if let Some(review) = &case.review {
        if let Some(why) = &review.get_ref().safeguarding {
            c.localized("review.safeguarding", why.get_ref(), None);
        }
    }
    if !public {
        c.localized("title (case not published)", case.title.get_ref(), Some(id));
        c.localized(
            "summary (case not published)",
            case.summary.get_ref(),
            Some(id),
        );
    }
    // A case counted for statistics only was never published: its id must not appear
    // either (other unpublished ids may, as withdrawn cases are listed by id). The scan
    // compares letters and digits only, where a bare id such as 2024-031 is also the
    // date 2024-03-1x: it is searched as it is cited ("case 2024-031") and linked
    // ("cases/2024-031/"), never alone, or every date would stop the build.
    if !public && !*case.publish.get_ref() && *case.statistics.get_ref() {
        for form in [format!("case {id}"), format!("cases/{id}")] {
            c.value(
                "id (counted for statistics only)".to_owned(),
                &form,
                Unless::Never,
            );
        }
    }
    if !public {
        for (i, r) in case.mechanism_refs.iter().enumerate() {
            let reference = r.reference.get_ref().trim();
            if !reference.is_empty() {
                c.value(
                    format!("mechanism_refs[{i}].reference (case not published)"),
                    reference,
                    Unless::RefShown(Text::new(reference).hash),
                );
            }
        }
    }
    let name_ok = public && gates::scope_granted(case, ConsentScope::Name);
    if let Some(name) = case.victim.name.as_deref().filter(|_| !name_ok) {
        c.value("victim.name (no consent)".to_owned(), name, Unless::Never);
    }
    let published_symbols: Vec<&str> = if public {
        let letters = case
            .correspondence
            .iter()
            .filter(|l| gates::letter_released(l, build_date))
            .filter_map(|l| l.symbol.as_deref());
        let actions = case
            .actions
            .iter()
            .filter(|a| gates::action_public(a, build_date))
            .filter_map(|a| a.reference.as_deref());
        letters.chain(actions).collect()
    } else {
        Vec::new()
    };
    for (i, action) in case.actions.iter().enumerate() {
        if public && gates::action_public(action, build_date) {
            continue;
        }
        if let Some(note) = &action.note {
            c.localized(
                &format!("actions[{i}].note (not public)"),
                note.get_ref(),
                Some(id),
            );
        }
        // A non-public action is counted, never described: its reference says too much,
        // unless the same symbol is published anyway (a released letter, a public action).
        if let Some(reference) = action
            .reference
            .as_deref()
            .filter(|r| !published_symbols.contains(r))
        {
            c.value(
                format!("actions[{i}].reference (not public)"),
                reference,
                Unless::Never,
            );
        }
    }
    for (i, letter) in case.correspondence.iter().enumerate() {
        let released = public && gates::letter_released(letter, build_date);
        // Only the summary: a letter's symbol is often public already, as the reference
        // of the action that sent it.
        if let Some(summary) = letter.summary.as_ref().filter(|_| !released) {
            c.localized(
                &format!("correspondence[{i}].summary (embargoed or withheld)"),
                summary.get_ref(),
                Some(id),
            );
        }
    }
}

/// The title, summary, public action notes and released letter summaries of a shown case, in
/// each of their languages, trimmed.
fn shown_texts(case: &Case, build_date: Date) -> impl Iterator<Item = &str> {
    let notes = case
        .actions
        .iter()
        .filter(move |a| gates::action_public(a, build_date))
        .filter_map(|a| a.note.as_ref());
    let letters = case
        .correspondence
        .iter()
        .filter(move |l| gates::letter_released(l, build_date))
        .filter_map(|l| l.summary.as_ref());
    [case.title.get_ref(), case.summary.get_ref()]
        .into_iter()
        .chain(notes.map(|n| n.get_ref()))
        .chain(letters.map(|l| l.get_ref()))
        .flat_map(|text| text.texts())
        .map(str::trim)
}

/// The texts the shown cases publish (`shown_texts`), with the hashes `of_case` worked out
/// for each. Each case's hashes were made from the same file under the same build date, so
/// they come in the order of its texts; were one ever wrong, its text would not be found by
/// its true hash, and a value equal to it would be searched for (failing closed).
fn published_texts<'a>(
    records: &'a [Record<Case>],
    of_case: &[Arc<OfCase>],
    build_date: Date,
) -> TextSet<'a> {
    let mut shown = TextSet::default();
    shown.reserve(of_case.iter().map(|of| of.shown.len()).sum());
    for (record, of) in records.iter().zip(of_case) {
        if of.shown.is_empty() {
            continue;
        }
        let texts = shown_texts(&record.value, build_date);
        shown.extend(
            texts
                .zip(&of.shown)
                .map(|(text, &hash)| Text { hash, text }),
        );
    }
    shown
}

/// Every value inside a free-form `private` table, with its dotted path: strings, and numbers,
/// dates and times as TOML writes them (a file number is as private as a note); and every key
/// that is not shaped like a field name (`"Rashid Ahmadov" = "..."` names someone).
fn private_strings(table: &toml::Table, prefix: &str, add: &mut dyn FnMut(String, &str)) {
    for (i, (key, value)) in table.iter().enumerate() {
        // A key that is data is never printed: messages name it by its position.
        let path = if is_field_name(key) {
            format!("{prefix}.{key}")
        } else {
            add(format!("{prefix}.#{} (key)", i + 1), key);
            format!("{prefix}.#{}", i + 1)
        };
        walk_value(value, &path, add);
    }
}

/// `note`, `file_no`, `contact-details`: lower-case ASCII letters, digits, `_` and `-`.
fn is_field_name(key: &str) -> bool {
    key.bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'-')
}

fn walk_value(value: &toml::Value, path: &str, add: &mut dyn FnMut(String, &str)) {
    match value {
        toml::Value::String(s) => add(path.to_owned(), s),
        toml::Value::Integer(i) => add(path.to_owned(), &i.to_string()),
        toml::Value::Float(f) => add(path.to_owned(), &f.to_string()),
        toml::Value::Datetime(d) => add(path.to_owned(), &d.to_string()),
        toml::Value::Boolean(_) => {}
        toml::Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                walk_value(item, &format!("{path}[{i}]"), add);
            }
        }
        toml::Value::Table(t) => private_strings(t, path, add),
    }
}
