//! Where a TOML file holds tables that are never published (`[private]`, and `[review]`, the
//! review gate's notes): a problem there is shown by position and message only, never with
//! its source line, because terminals, CI logs and `serve`'s overlay are read by others.

/// Top-level tables whose content never leaves the input.
const NEVER_PUBLISHED: [&str; 2] = ["private", "review"];

/// Whether byte `offset` of a `.toml` file lies in a never-published table (or on a line that
/// cannot be told apart from one: when in doubt, the line is hidden).
pub(super) fn contains(name: &str, text: &str, offset: usize) -> bool {
    if !name.ends_with(".toml") {
        return false;
    }
    let mut inside = false;
    // The delimiter of a multi-line string being read: its lines are values, not headers.
    let mut open_string: Option<&str> = None;
    // Whether that string is the value of a top-level never-published key (`private.note = """`).
    let mut string_is_private = false;
    let mut start = 0;
    for line in text.split_inclusive('\n') {
        let end = start + line.len();
        let trimmed = line.trim_start();
        let was_open = open_string.is_some();
        if let Some(delim) = open_string {
            if line.matches(delim).count() % 2 == 1 {
                open_string = None;
            }
        } else if trimmed.starts_with('[') {
            inside = is_never_published(first_key(trimmed.trim_start_matches('[')));
        } else if !inside && is_never_published(first_key(trimmed)) {
            // `private = { ... }` or `private.note = "..."` at the top level (or inside
            // another table, where it is not the private table; hiding it anyway is safe).
            if offset >= start && offset < end {
                return true;
            }
        }
        if !was_open {
            for delim in ["\"\"\"", "'''"] {
                if !trimmed.starts_with('[') && line.matches(delim).count() % 2 == 1 {
                    open_string = Some(delim);
                    // The string's lines belong to the key that opened it.
                    string_is_private = is_never_published(first_key(trimmed));
                    break;
                }
            }
        }
        if offset < end || (offset == end && end == text.len()) {
            return inside || (was_open || open_string.is_some()) && string_is_private;
        }
        start = end;
    }
    inside
}

/// The first key of a header or key line: `private` in `private.note = 1`, `"private" =`,
/// `[ private . x ]`.
fn first_key(line: &str) -> &str {
    let line = line.trim_start();
    let end = line.find(['.', '=', ']', ' ', '\t']).unwrap_or(line.len());
    line[..end].trim_matches(['"', '\''])
}

fn is_never_published(key: &str) -> bool {
    NEVER_PUBLISHED.contains(&key)
}

/// `message` with every double-quoted part replaced by `"…"`.
pub(super) fn redact_quotes(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    let mut parts = message.split('"');
    out.push_str(parts.next().unwrap_or_default());
    let mut quoted = true;
    for part in parts {
        out.push('"');
        out.push_str(if quoted { "…" } else { part });
        quoted = !quoted;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::contains;

    const CASE: &str = "id = \"2024-001\"\nsummary = \"\"\"\n[private]\nnot a header\n\"\"\"\n\n[victim]\nkind = \"individual\"\n\n[private]\nnote = \"secret\"\nfile_no = 44719028\n\n[[actions]]\nkind = \"x\"\n\n[review]\nnote = \"\"\"\n[victim]\nstill review\n\"\"\"\nafter = 1\n\n[private.contacts]\nx = 1\n";

    fn at(needle: &str) -> bool {
        contains("a.toml", CASE, CASE.find(needle).unwrap())
    }

    #[test]
    fn finds_private_and_review_tables_and_nothing_else() {
        assert!(at("secret"));
        assert!(at("44719028"));
        assert!(at("still review"));
        assert!(at("after = 1"));
        assert!(at("x = 1"));
        assert!(!at("\"individual\""));
        assert!(!at("kind = \"x\""));
        assert!(!at("id = "));
        // A multi-line string of a public field is public, whatever its lines look like.
        assert!(!at("not a header"));
    }

    #[test]
    fn quoted_values_are_redacted() {
        assert_eq!(
            super::redact_quotes("invalid type: string \"Rashid\", expected a date"),
            "invalid type: string \"…\", expected a date"
        );
    }

    #[test]
    fn finds_inline_and_dotted_private_keys() {
        let text = "id = 1\nprivate = { note = \"secret\" }\nprivate.file = 3\ntitle = \"t\"\nprivate.long = \"\"\"\nhidden line\n\"\"\"\nend = 1\n";
        assert!(contains("a.toml", text, text.find("hidden line").unwrap()));
        assert!(!contains("a.toml", text, text.find("end = 1").unwrap()));
        assert!(contains("a.toml", text, text.find("secret").unwrap()));
        assert!(contains("a.toml", text, text.find("file").unwrap()));
        assert!(!contains("a.toml", text, text.find("title").unwrap()));
        assert!(!contains("a.md", text, text.find("secret").unwrap()));
    }
}
