//! The leak proof: every output file is searched for every value the projection kept back.
//!
//! Text is compared after undoing what outputs do to it: JSON escapes, HTML and XML entities,
//! markup between words, case, spacing and punctuation. A hit names the file and the field.

use std::borrow::Cow;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};

use crate::project::Withheld;

/// Values shorter than this (letters and digits only) are too common to search for reliably.
pub const MIN_NEEDLE: usize = 6;
/// Long values are searched by their beginning, which also catches a truncated excerpt.
const PREFIX: usize = 80;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Leak {
    pub file: String,
    pub field: String,
}

pub struct LeakScanner {
    automaton: Option<AhoCorasick>,
    /// For each pattern, the field it came from.
    fields: Vec<String>,
    /// How many values are checked (for the build summary).
    pub checked: usize,
}

impl LeakScanner {
    pub fn new(withheld: &[Withheld]) -> Self {
        let mut patterns = Vec::new();
        let mut fields = Vec::new();
        for w in withheld {
            let needle = normalize_value(&w.text);
            if needle.chars().count() < MIN_NEEDLE {
                continue;
            }
            // A long value is searched by its beginning only: every copy of the whole value
            // starts with it, so the result is the same, and the automaton stays small (the
            // summaries of unpublished cases alone would otherwise make it hundreds of MB).
            let needle = match needle.char_indices().nth(PREFIX) {
                Some((end, _)) => needle[..end].to_owned(),
                None => needle,
            };
            patterns.push(needle);
            fields.push(w.field.clone());
        }
        let checked = patterns.len();
        let automaton = (!patterns.is_empty()).then(|| {
            AhoCorasickBuilder::new()
                .match_kind(MatchKind::Standard)
                .build(&patterns)
                .expect("patterns are plain strings")
        });
        LeakScanner {
            automaton,
            fields,
            checked,
        }
    }

    /// Every withheld field found in one output file.
    pub fn scan(&self, path: &str, bytes: &[u8]) -> Vec<Leak> {
        let Some(automaton) = &self.automaton else {
            return Vec::new();
        };
        let text = String::from_utf8_lossy(bytes);
        let haystack = normalize_output(&text);
        let mut fields: Vec<&String> = automaton
            .find_overlapping_iter(&haystack)
            .map(|m| &self.fields[m.pattern().as_usize()])
            .collect();
        fields.sort();
        fields.dedup();
        fields
            .into_iter()
            .map(|field| Leak {
                file: path.to_owned(),
                field: field.clone(),
            })
            .collect()
    }
}

/// A withheld value as it would look in any output: Markdown and markup removed, letters and
/// digits only, lower case.
fn normalize_value(text: &str) -> String {
    letters_and_digits(&strip_markup(&decode_entities(
        &crate::markdown::plain_text(text),
    )))
}

fn normalize_output(text: &str) -> String {
    let once = decode_entities(&strip_markup(&json_unescape(text))).into_owned();
    // Escaped markup (HTML inside Atom or JSON) is stripped on the second pass.
    letters_and_digits(&decode_entities(&strip_markup(&once)))
}

/// Keeps letters and digits, lower-cased; `\0` (a boundary between attribute values) survives
/// so that a match cannot span two unrelated places.
fn letters_and_digits(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        // Most output is ASCII: lower-casing it needs no Unicode tables.
        if ch.is_ascii() {
            if ch.is_ascii_alphanumeric() {
                out.push(ch.to_ascii_lowercase());
            } else if ch == '\0' {
                out.push('\0');
            }
        } else if ch.is_alphanumeric() {
            out.extend(ch.to_lowercase());
        }
    }
    out
}

/// Text between tags is kept as is; attribute values are kept, each between `\0` boundaries.
fn strip_markup(text: &str) -> Cow<'_, str> {
    if !text.contains('<') {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find('<') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        let opens_tag = after
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '/' || c == '!' || c == '?');
        if opens_tag {
            rest = skip_tag(after, &mut out);
        } else {
            out.push('<');
            rest = after;
        }
    }
    out.push_str(rest);
    Cow::Owned(out)
}

/// Skips one tag (`tag` starts after its `<`), keeping only its attribute values, each fenced
/// by boundaries; returns the text after the tag's `>`.
fn skip_tag<'a>(tag: &'a str, out: &mut String) -> &'a str {
    let mut pos = 0;
    // Inside a tag only `=` (an attribute value follows) and `>` (the end) matter.
    while let Some(i) = tag[pos..].find(['=', '>']) {
        pos += i + 1;
        if tag.as_bytes()[pos - 1] == b'>' {
            return &tag[pos..];
        }
        out.push('\0');
        let value = tag[pos..].trim_start();
        pos = tag.len() - value.len();
        match value.chars().next() {
            Some(quote @ ('"' | '\'')) => {
                let body = &value[1..];
                let end = body.find(quote);
                out.push_str(&body[..end.unwrap_or(body.len())]);
                pos += 1 + end.map_or(body.len(), |e| e + 1);
            }
            _ => {
                let end = value
                    .find(|v: char| v.is_whitespace() || v == '>')
                    .unwrap_or(value.len());
                out.push_str(&value[..end]);
                pos += end;
            }
        }
        out.push('\0');
    }
    ""
}

fn decode_entities(text: &str) -> Cow<'_, str> {
    if !text.contains('&') {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let end = rest.find(';').filter(|&e| e <= 12);
        let decoded = end.and_then(|e| {
            let entity = &rest[1..e];
            let ch = match entity {
                "amp" | "AMP" => Some('&'),
                "lt" | "LT" => Some('<'),
                "gt" | "GT" => Some('>'),
                "quot" | "QUOT" => Some('"'),
                "apos" => Some('\''),
                "nbsp" => Some(' '),
                _ if entity.starts_with("#x") || entity.starts_with("#X") => {
                    u32::from_str_radix(&entity[2..], 16)
                        .ok()
                        .and_then(char::from_u32)
                }
                _ if entity.starts_with('#') => entity[1..].parse().ok().and_then(char::from_u32),
                _ => None,
            };
            ch.map(|c| (c, e))
        });
        match decoded {
            Some((c, e)) => {
                out.push(c);
                rest = &rest[e + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    Cow::Owned(out)
}

fn json_unescape(text: &str) -> Cow<'_, str> {
    if !text.contains('\\') {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(ch) = chars.next() {
        if ch != '\\' {
            out.push(ch);
            continue;
        }
        match chars.next() {
            Some('u') => {
                let hex: String = chars.by_ref().take(4).collect();
                match u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32) {
                    Some(c) => out.push(c),
                    None => out.push(' '),
                }
            }
            Some('n' | 't' | 'r') => out.push(' '),
            Some(other) => out.push(other),
            None => {}
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scanner(values: &[&str]) -> LeakScanner {
        let withheld: Vec<Withheld> = values
            .iter()
            .enumerate()
            .map(|(i, v)| Withheld {
                field: format!("f{i}"),
                text: v.to_string(),
            })
            .collect();
        LeakScanner::new(&withheld)
    }

    #[test]
    fn finds_values_through_escaping_and_markup() {
        let s = scanner(&["Sentinel Name O'Brien", "The *State* was asked & warned"]);
        assert_eq!(
            s.scan("a.html", b"<p>sentinel name O&#39;brien</p>").len(),
            1
        );
        assert_eq!(
            s.scan("a.html", b"<td title=\"SENTINEL NAME O'BRIEN\">x</td>")
                .len(),
            1
        );
        assert_eq!(s.scan("a.html", b"<a title=Sentinel-Name-OBrien>").len(), 1);
        assert_eq!(
            s.scan("a.json", br#"{"t":"Sentinel Name O\u0027Brien"}"#)
                .len(),
            1
        );
        assert_eq!(
            s.scan(
                "a.html",
                b"<p>The <em>State</em> was asked &amp; warned</p>"
            )
            .len(),
            1
        );
        assert_eq!(
            s.scan(
                "feed.xml",
                b"<content type=\"html\">&lt;p&gt;The &lt;em&gt;State&lt;/em&gt; was asked"
            )
            .len(),
            0
        );
        assert_eq!(s.scan("feed.xml", b"<content type=\"html\">&lt;p&gt;The &lt;em&gt;State&lt;/em&gt; was asked &amp;amp; warned").len(), 1);
    }

    #[test]
    fn does_not_match_across_attributes_or_on_short_values() {
        let s = scanner(&["Secret Value", "Li"]);
        assert!(
            s.scan("a.html", b"<a title=\"secret\" lang=\"value\">")
                .is_empty()
        );
        assert!(s.scan("a.html", b"<p>Li</p>").is_empty());
        assert_eq!(s.checked, 1);
    }

    #[test]
    fn strips_tags_but_keeps_attribute_values() {
        assert_eq!(
            strip_markup("a < b <p class = \"x>y\" id=z>t</p>"),
            "a < b \0x>y\0\0z\0t"
        );
        assert_eq!(strip_markup("<a title='open"), "\0open\0");
        assert_eq!(strip_markup("<br/>x<"), "x<");
        assert!(matches!(strip_markup("no tags here"), Cow::Borrowed(_)));
        assert_eq!(letters_and_digits("Ünïcode ÉTÉ, A1\0b"), "ünïcodeétéa1\0b");
    }

    #[test]
    fn finds_a_truncated_excerpt_of_a_long_value() {
        let long = "This is a long embargoed letter summary that goes on and on about protection measures requested by the Committee";
        let s = scanner(&[long]);
        let excerpt = &long[..95];
        assert_eq!(s.scan("i.json", excerpt.as_bytes()).len(), 1);
    }
}
