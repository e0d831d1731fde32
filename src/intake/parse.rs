//! Reads a composed (or hand-filled, or edited) submission back into keyed answers.
//!
//! Tolerant by design: the person may have edited the text in any editor, reordered fields,
//! translated a label, added notes. Labels are ignored; only `[key]:` counts. What cannot be
//! read is reported with its line number and kept aside, never silently dropped.

use std::collections::BTreeMap;

use super::find;

/// One answer as written, with the line its field starts on (1-based).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Answer {
    /// The line its field starts on.
    pub line: usize,
    /// The answer as written.
    pub text: String,
}

/// Something in the file the parser could not place.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unread {
    /// Line number in the returned form.
    pub line: usize,
    /// What was wrong with it.
    pub message: String,
    /// The text itself, so that the draft keeps it in `[private]` instead of losing it.
    pub text: String,
}

/// What a returned form said.
#[derive(Debug, Default)]
pub struct Parsed {
    /// Answers by field key.
    pub answers: BTreeMap<&'static str, Answer>,
    /// Lines that could not be read.
    pub unread: Vec<Unread>,
    /// Whether the first non-comment line named the format.
    pub has_magic: bool,
}

impl Parsed {
    /// The answer to field `key`, if given.
    pub fn get(&self, key: &str) -> Option<&Answer> {
        self.answers.get(key).filter(|a| !a.text.trim().is_empty())
    }
}

/// Reads a returned intake form; never fails, lines it cannot read are listed.
pub fn parse(text: &str) -> Parsed {
    let mut parsed = Parsed {
        has_magic: text.contains(super::MAGIC),
        ..Parsed::default()
    };
    // The field that continuation lines belong to.
    let mut current: Option<&'static str> = None;
    for (index, raw) in text.lines().enumerate() {
        let line = index + 1;
        let raw = raw.trim_end_matches('\r');
        let trimmed = raw.trim();
        if trimmed.starts_with('#') || trimmed.contains(super::MAGIC) {
            continue;
        }
        if trimmed.starts_with("==") {
            current = None;
            if section_key(trimmed).is_none() {
                parsed.unread.push(Unread {
                    line,
                    message: "a heading without a `[section]` key".into(),
                    text: trimmed.to_owned(),
                });
            }
            continue;
        }
        let starts_with_space = raw.starts_with([' ', '\t']);
        if !starts_with_space && let Some((key, value)) = field_line(trimmed) {
            match find(key) {
                Some(field) => {
                    if let Some(before) = parsed.answers.get(field.key) {
                        parsed.unread.push(Unread {
                            line,
                            message: format!(
                                "`[{key}]` again (first on line {}); this one is kept aside",
                                before.line
                            ),
                            text: value.to_owned(),
                        });
                        current = None;
                    } else {
                        parsed.answers.insert(
                            field.key,
                            Answer {
                                line,
                                text: value.trim().to_owned(),
                            },
                        );
                        current = Some(field.key);
                    }
                }
                None => {
                    parsed.unread.push(Unread {
                        line,
                        message: format!("unknown field `[{key}]`"),
                        text: value.to_owned(),
                    });
                    current = None;
                }
            }
            continue;
        }
        if trimmed.is_empty() {
            // A blank line inside free text belongs to it; trailing ones are trimmed below.
            if let Some(key) = current
                && let Some(answer) = parsed.answers.get_mut(key)
                && !answer.text.is_empty()
            {
                answer.text.push('\n');
            }
            continue;
        }
        match current.and_then(|key| parsed.answers.get_mut(key)) {
            Some(answer) => {
                if !answer.text.is_empty() {
                    answer.text.push('\n');
                }
                answer.text.push_str(strip_indent(raw));
            }
            None => parsed.unread.push(Unread {
                line,
                message: "text outside any `Label [key]:` field".into(),
                text: trimmed.to_owned(),
            }),
        }
    }
    for answer in parsed.answers.values_mut() {
        let kept = answer.text.trim_end().len();
        answer.text.truncate(kept);
    }
    parsed
}

/// `== Who was affected [who] ==` -> `who`.
fn section_key(line: &str) -> Option<&str> {
    let inner = line.trim_matches('=').trim();
    let open = inner.rfind('[')?;
    let close = inner[open..].find(']')? + open;
    let key = &inner[open + 1..close];
    is_key(key).then_some(key)
}

/// `Label [key]: value` -> (`key`, `value`). The last `[key]:` before the first colon after
/// it wins, so a label may itself contain brackets.
fn field_line(line: &str) -> Option<(&str, &str)> {
    let marker = line.find("]:")?;
    let open = line[..marker].rfind('[')?;
    let key = &line[open + 1..marker];
    is_key(key).then(|| (key, &line[marker + 2..]))
}

fn is_key(key: &str) -> bool {
    !key.is_empty()
        && key
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
}

/// Continuation lines are indented by two spaces when composed; an editor may change that.
fn strip_indent(line: &str) -> &str {
    line.strip_prefix("  ")
        .or_else(|| line.strip_prefix('\t'))
        .or_else(|| line.strip_prefix(' '))
        .unwrap_or(line)
}

/// The ids of a choice: `Threats (threats); Travel ban (travel_ban)` -> `threats`, `travel_ban`;
/// a bare `threats` or `yes` is read too. Items that are neither come back as `Err(item)`.
pub fn choices(text: &str) -> Vec<Result<String, String>> {
    text.split([';', '\n'])
        .map(str::trim)
        .filter(|item| !item.is_empty())
        .map(|item| {
            if let Some(open) = item.rfind('(')
                && item.ends_with(')')
            {
                let id = item[open + 1..item.len() - 1].trim();
                if is_key(&id.to_ascii_lowercase()) {
                    return Ok(id.to_owned());
                }
            }
            let bare = item.trim_matches(|c: char| c == '"' || c == '\'');
            if bare.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
                Ok(bare.to_owned())
            } else {
                Err(item.to_owned())
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_fields_free_text_and_reports_what_it_cannot_place() {
        let text = "reprisals-site submission 1\n\
            # a comment\n\
            == Qui [who] ==\n\
            Nom [name]: Ana\n\
            Que s'est-il passé [what_happened]:\n  First line.\n\n  Second [x]: not a field.\n\
            stray words\n\
            Mystery [nope]: 1\n\
            Name again [name]: Bo\n\
            == no key ==\n";
        let parsed = parse(text);
        assert!(parsed.has_magic);
        assert_eq!(parsed.get("name").unwrap().text, "Ana");
        assert_eq!(parsed.get("name").unwrap().line, 4);
        assert_eq!(
            parsed.get("what_happened").unwrap().text,
            "First line.\n\nSecond [x]: not a field.\nstray words"
        );
        let lines: Vec<usize> = parsed.unread.iter().map(|u| u.line).collect();
        assert_eq!(lines, vec![10, 11, 12]);
        assert!(parsed.unread[0].message.contains("unknown field `[nope]`"));
        assert!(parsed.unread[1].message.contains("first on line 4"));
    }

    #[test]
    fn choices_take_ids_in_parentheses_or_bare() {
        let got = choices("Threats (threats); travel_ban;  Menaces graves ");
        assert_eq!(
            got,
            vec![
                Ok("threats".to_owned()),
                Ok("travel_ban".to_owned()),
                Err("Menaces graves".to_owned())
            ]
        );
    }
}
