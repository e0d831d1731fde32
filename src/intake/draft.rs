//! A submission (the text the form composes) into a draft case record.
//!
//! The draft is never published as written: `publish = false`, no `[review]`, a TODO title and
//! summary. Only answers that map onto the data model's public fields (committees, country,
//! month of the incident, vocabulary ids, consent as answered) become fields; everything the
//! person wrote in their own words goes into `[private]` as one text, whose first line names
//! the case, so the leak scan searches for it as a whole.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use crate::diagnostics::Problem;
use crate::load::Inputs;
use crate::model::date::{Date, Month};
use crate::model::vocab::VocabKind;

use super::parse::{self, Parsed, Unread, choices};
use super::{Answer, FORM, Options, find};

/// What `new case --from` did: the file written and what it could not read.
#[derive(Debug)]
pub struct Drafted {
    /// Where the draft case was written.
    pub path: PathBuf,
    /// The case id it was given.
    pub id: String,
    /// Lines of the form that could not be read, to copy by hand.
    pub unread: Vec<Unread>,
}

/// Reads `submission`, writes `public-data/cases/<year>/<id>.toml` with the next free id.
pub fn new_case_from(root: &Path, submission: &Path, today: Date) -> Result<Drafted, Problem> {
    let text = std::fs::read_to_string(submission)
        .map_err(|e| Problem::error(format!("cannot read {}: {e}", submission.display())))?;
    let parsed = parse::parse(&text);
    if !parsed.has_magic && parsed.answers.is_empty() {
        return Err(Problem::error(format!(
            "{} is not a submission: no line has a `[key]:` field",
            submission.display()
        ))
        .help(
            "the form at /how-to-submit/form/ composes one; its blank template is on the same page",
        ));
    }
    let inputs = crate::scaffold::read(root)?;
    let year = today.year();
    let id = crate::scaffold::next_case_id(root, year);
    let source_name = submission
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let (record, unread) = draft(&parsed, &inputs, &id, &source_name, today);
    let dir = root.join("public-data/cases").join(year.to_string());
    let path = dir.join(format!("{id}.toml"));
    crate::scaffold::write_new(&dir, &path, &record)?;
    Ok(Drafted { path, id, unread })
}

/// The record text, and what could not be read (the parser's and the values' problems).
pub fn draft(
    parsed: &Parsed,
    inputs: &Inputs,
    id: &str,
    source_name: &str,
    today: Date,
) -> (String, Vec<Unread>) {
    let mut reader = Reader {
        parsed,
        inputs,
        unread: parsed.unread.clone(),
    };
    let committees = reader.ids("committees");
    let country = reader.one("country");
    let from = reader.month("from");
    let to = reader.month("to");
    let context = reader.ids("context");
    let reprisal_types = reader.ids("reprisal_types");
    let perpetrators = reader.ids("perpetrators");
    let profile = reader.ids("profile");
    let victim_kind = reader.one("victim_kind");
    let gender = reader.one("gender");
    let age_group = reader.one("age_group");
    let count = reader.number("count");
    let publish = reader.one("publish").as_deref() == Some("yes");
    let scopes = if publish {
        reader.ids("scopes")
    } else {
        Vec::new()
    };
    let anonymous = reader.one("anonymous").as_deref() != Some("no");
    // Read for their problems; their answers are kept in the private text below.
    for key in [
        "reporter",
        "danger_now",
        "contact_state",
        "name_to_state",
        "share_asg",
        "share_mechanisms",
        "acknowledge",
    ] {
        reader.one(key);
    }

    let first_committee = || {
        let mut codes: Vec<String> = inputs
            .committees
            .iter()
            .map(|c| c.value.code.get_ref().as_str().to_owned())
            .collect();
        codes.sort();
        codes.into_iter().next().unwrap_or_default()
    };
    let first_term = |kind: VocabKind| {
        inputs
            .vocab
            .terms(kind)
            .first()
            .map(|t| t.id.get_ref().to_string())
            .unwrap_or_default()
    };
    let lang = inputs.config.value.default_language();

    let mut out = String::new();
    let _ = writeln!(
        out,
        "# Case {id}, a draft from the submission `{source_name}` (read {today}).\n\
         # It stays unpublished until a person verifies it, writes the public title and summary\n\
         # (no names or other identifiers), adds [review] and sets `publish = true`.\n\
         # The person's own words are in [private] at the end: never published.\n"
    );
    let _ = writeln!(out, "id = {}", quote(id));
    out.push_str("publish = false\n");
    out.push_str("title = \"TODO: a short, identifier-free title\"\n");
    if committees.is_empty() {
        let _ = writeln!(
            out,
            "# TODO: the submission names no committee; the first one is put in.\ncommittees = [{}]",
            quote(&first_committee())
        );
    } else {
        let _ = writeln!(out, "committees = {}", list(&committees));
    }
    match &country {
        Some(code) => {
            let _ = writeln!(out, "country = {}", quote(code));
        }
        None => {
            let code = inputs
                .vocab
                .countries
                .first()
                .map(|c| c.code.get_ref().as_str().to_owned())
                .unwrap_or_default();
            let _ = writeln!(
                out,
                "country = {}  # TODO: the submission names no State; this is a placeholder",
                quote(&code)
            );
        }
    }
    let _ = writeln!(out, "date_reported = {today}");
    if let Some(from) = from {
        match to.filter(|to| *to >= from) {
            Some(to) => {
                let _ = writeln!(
                    out,
                    "incident = {{ from = {}, to = {} }}",
                    quote(&from.to_string()),
                    quote(&to.to_string())
                );
            }
            None => {
                let _ = writeln!(out, "incident = {{ from = {} }}", quote(&from.to_string()));
            }
        }
    }
    let _ = writeln!(out, "context = {}", list(&context));
    if reprisal_types.is_empty() {
        let _ = writeln!(
            out,
            "# TODO: no kind of reprisal was chosen; the first one is put in.\nreprisal_types = [{}]",
            quote(&first_term(VocabKind::ReprisalTypes))
        );
    } else {
        let _ = writeln!(out, "reprisal_types = {}", list(&reprisal_types));
    }
    let _ = writeln!(out, "status = {}", quote(&first_term(VocabKind::Statuses)));
    let _ = writeln!(out, "perpetrators = {}", list(&perpetrators));
    let _ = writeln!(
        out,
        "\n[summary]\n{lang} = \"\"\"\nTODO: the public account, written by the secretariat: no names or identifiers.\n\"\"\"\n"
    );
    out.push_str("[consent]\n");
    let _ = writeln!(out, "given = {publish}");
    if publish {
        let _ = writeln!(out, "date = {today}  # the day the submission was read");
    }
    let _ = writeln!(out, "scopes = {}", list(&scopes));
    out.push_str("\n[victim]\n");
    let _ = writeln!(
        out,
        "kind = {}",
        quote(victim_kind.as_deref().unwrap_or("individual"))
    );
    let _ = writeln!(out, "count = {}", count.unwrap_or(1).max(1));
    let _ = writeln!(out, "profile = {}", list(&profile));
    if let Some(g) = &gender {
        let _ = writeln!(out, "gender = {}", quote(g));
    }
    if let Some(a) = &age_group {
        let _ = writeln!(out, "age_group = {}", quote(a));
    }
    let name = parsed.get("name").map(|a| a.text.as_str());
    if let Some(name) = name.filter(|_| !anonymous && scopes.iter().any(|s| s == "name")) {
        let _ = writeln!(out, "name = {}", quote(name));
    }

    // One text, so the leak scan searches for its first line (which names this case) rather
    // than for short answers that the site's own pages also contain.
    let mut private = format!("Submission {source_name} read {today} into case {id}.\n");
    for section in FORM {
        for field in section.fields {
            if let Some(answer) = parsed.get(field.key) {
                let _ = writeln!(
                    private,
                    "\n{} (line {}):\n{}",
                    field.key, answer.line, answer.text
                );
            }
        }
    }
    if !reader.unread.is_empty() {
        private.push_str("\nNot read:\n");
        for u in &reader.unread {
            let _ = writeln!(private, "line {}: {} ({})", u.line, u.text, u.message);
        }
    }
    out.push_str("\n# Never published, whatever it holds.\n[private]\n");
    let _ = writeln!(out, "submission = {}", multiline(&private));
    let mut unread = reader.unread;
    unread.sort_by_key(|u| u.line);
    (out, unread)
}

struct Reader<'p> {
    parsed: &'p Parsed,
    inputs: &'p Inputs,
    unread: Vec<Unread>,
}

impl Reader<'_> {
    /// Every id of a multiple choice that the site knows; the others are reported.
    fn ids(&mut self, key: &str) -> Vec<String> {
        let Some(answer) = self.parsed.get(key) else {
            return Vec::new();
        };
        let options = match find(key).map(|f| f.answer) {
            Some(Answer::Many(o) | Answer::One(o)) => o,
            _ => return Vec::new(),
        };
        let mut ids = Vec::new();
        for item in choices(&answer.text) {
            if let Ok(Some(id)) = item.map(|id| self.known(options, &id))
                && !ids.contains(&id)
            {
                ids.push(id);
            }
        }
        for item in choices(&answer.text) {
            let raw = match &item {
                Ok(id) if self.known(options, id).is_some() => continue,
                Ok(id) | Err(id) => id.clone(),
            };
            self.unread.push(Unread {
                line: answer.line,
                message: format!("`{raw}` is not one of the choices for `[{key}]`"),
                text: raw,
            });
        }
        ids
    }

    /// A single choice; more than one, or an unknown one, is reported.
    fn one(&mut self, key: &str) -> Option<String> {
        let line = self.parsed.get(key)?.line;
        let mut ids = self.ids(key);
        if ids.len() > 1 {
            self.unread.push(Unread {
                line,
                message: format!("`[{key}]` takes one choice; the first is kept"),
                text: ids.join("; "),
            });
        }
        (!ids.is_empty()).then(|| ids.swap_remove(0))
    }

    fn month(&mut self, key: &str) -> Option<Month> {
        let answer = self.parsed.get(key)?;
        let text = answer.text.trim();
        match Month::parse(text) {
            Ok(month) => Some(month),
            Err(_) => {
                self.unread.push(Unread {
                    line: answer.line,
                    message: format!("`[{key}]` is not a month written YYYY-MM"),
                    text: text.to_owned(),
                });
                None
            }
        }
    }

    fn number(&mut self, key: &str) -> Option<u32> {
        let answer = self.parsed.get(key)?;
        match answer.text.trim().parse::<u32>() {
            Ok(n) => Some(n),
            Err(_) => {
                self.unread.push(Unread {
                    line: answer.line,
                    message: format!("`[{key}]` is not a whole number"),
                    text: answer.text.clone(),
                });
                None
            }
        }
    }

    /// The id as the data model spells it, if the site knows it.
    fn known(&self, options: Options, id: &str) -> Option<String> {
        let inputs = self.inputs;
        match options {
            Options::YesNo => ["yes", "no"]
                .into_iter()
                .find(|o| o.eq_ignore_ascii_case(id))
                .map(str::to_owned),
            Options::Fixed(ids) => ids.iter().find(|o| **o == id).map(|o| (*o).to_owned()),
            Options::Vocab(kind) => inputs.vocab.term(kind, id).map(|_| id.to_owned()),
            Options::Committees => inputs
                .committees
                .iter()
                .map(|c| c.value.code.get_ref().as_str())
                .find(|c| c.eq_ignore_ascii_case(id))
                .map(str::to_owned),
            Options::Countries => {
                let upper = id.to_ascii_uppercase();
                inputs.vocab.country(&upper).map(|_| upper)
            }
        }
    }
}

fn quote(text: &str) -> String {
    toml::Value::String(text.to_owned()).to_string()
}

fn list(items: &[String]) -> String {
    let quoted: Vec<String> = items.iter().map(|i| quote(i)).collect();
    format!("[{}]", quoted.join(", "))
}

/// A TOML multi-line literal when the text allows it (readable in an editor), else a quoted
/// string with escapes.
fn multiline(text: &str) -> String {
    if !text.contains("'''") && !text.contains('\r') {
        format!("'''\n{text}'''")
    } else {
        quote(text)
    }
}
