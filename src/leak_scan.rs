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
        let text = match gunzip(bytes) {
            Some(inflated) => String::from_utf8_lossy(&inflated).into_owned(),
            None => String::from_utf8_lossy(bytes).into_owned(),
        };
        let mut haystacks = vec![normalize_output(&text)];
        if text.contains('%') {
            haystacks.push(normalize_output(&percent_decode(&text)));
        }
        let mut fields: Vec<&String> = haystacks
            .iter()
            .flat_map(|h| automaton.find_overlapping_iter(h))
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

/// The content of a gzip file (a compressed index shard is published as much as a page is).
fn gunzip(bytes: &[u8]) -> Option<Vec<u8>> {
    use std::io::Read;
    if !bytes.starts_with(&[0x1f, 0x8b]) {
        return None;
    }
    let mut inflated = Vec::new();
    flate2::read::MultiGzDecoder::new(bytes)
        .read_to_end(&mut inflated)
        .ok()?;
    Some(inflated)
}

/// A withheld value as it would look in any output: Markdown and markup removed, letters and
/// digits only, lower case.
fn normalize_value(text: &str) -> String {
    letters_and_digits(&strip_markup(
        &decode_entities(&crate::markdown::plain_text(text)),
        false,
    ))
}

fn normalize_output(text: &str) -> String {
    let stripped = strip_markup(&json_unescape(text), true);
    let once = decode_entities(&stripped);
    // Escaped markup (HTML inside Atom or JSON) is stripped on the second pass; most pages
    // have none left, and the pass would change nothing.
    if !once.contains(['<', '&']) {
        return letters_and_digits(&once);
    }
    letters_and_digits(&decode_entities(&strip_markup(&once, true)))
}

/// Keeps letters and digits, lower-cased; `\0` (a boundary between attribute values) survives
/// so that a match cannot span two unrelated places.
fn letters_and_digits(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        // Most of every page is ASCII, which has a much cheaper test and lower case.
        if ch.is_ascii() {
            if ch.is_ascii_alphanumeric() {
                out.push(ch.to_ascii_lowercase());
            } else if ch == '\0' {
                out.push('\0');
            }
        } else if ch.is_alphanumeric() {
            out.extend(ch.to_lowercase());
        } else if ch == '\0' {
            out.push('\0');
        }
    }
    out
}

/// Text between tags is kept as is (tags inside a sentence do not break it), and so is the
/// text of CDATA sections. Tag names, attribute names and values and comments are kept too,
/// each fenced by `\0` boundaries, after the text: a value printed there is still published.
fn strip_markup(text: &str, keep_aside: bool) -> String {
    let mut out = String::with_capacity(text.len());
    let mut aside = String::new();
    let mut rest = text;
    while let Some(i) = rest.find('<') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let next = rest[1..].chars().next();
        if !next.is_some_and(|c| c.is_ascii_alphabetic() || c == '/' || c == '!' || c == '?') {
            out.push('<');
            rest = &rest[1..];
            continue;
        }
        if let Some(body) = rest.strip_prefix("<![CDATA[") {
            let end = body.find("]]>").unwrap_or(body.len());
            out.push_str(&body[..end]);
            rest = body.get(end + 3..).unwrap_or("");
        } else if let Some(body) = rest.strip_prefix("<!--") {
            let end = body.find("-->").unwrap_or(body.len());
            aside.push('\0');
            aside.push_str(&body[..end]);
            aside.push('\0');
            rest = body.get(end + 3..).unwrap_or("");
        } else {
            rest = strip_tag(&rest[1..], &mut aside);
        }
    }
    out.push_str(rest);
    if keep_aside {
        out.push('\0');
        out.push_str(&aside);
    }
    out
}

/// Copies the names and values of one tag into `out`, fenced; returns the text after the tag.
fn strip_tag<'a>(tag: &'a str, out: &mut String) -> &'a str {
    let mut chars = tag.char_indices().peekable();
    // A quote opens a value only right after `=`: `title=O'Brien` is unquoted.
    let mut after_equals = false;
    out.push('\0');
    while let Some((_, c)) = chars.next() {
        match c {
            '>' => {
                out.push('\0');
                let end = chars.peek().map_or(tag.len(), |(i, _)| *i);
                return &tag[end..];
            }
            '"' | '\'' if after_equals => {
                for (_, v) in chars.by_ref() {
                    if v == c {
                        break;
                    }
                    out.push(v);
                }
                out.push('\0');
            }
            '=' => out.push('\0'),
            c if c.is_whitespace() => {
                out.push('\0');
                continue;
            }
            '/' => out.push('\0'),
            c => out.push(c),
        }
        after_equals = c == '=';
    }
    out.push('\0');
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
        match decode_entity(&rest[1..]) {
            Some((c, len)) => {
                out.push(c);
                rest = &rest[1 + len..];
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

/// One character reference after its `&`: the character and how many bytes it took. As in
/// browsers (and as minifiers write them), the `;` may be missing: `&LT`, `&#60`.
fn decode_entity(after_amp: &str) -> Option<(char, usize)> {
    let semicolon = |len: usize| len + usize::from(after_amp[len..].starts_with(';'));
    if let Some(number) = after_amp.strip_prefix('#') {
        let (digits, radix, skip) = match number.strip_prefix(['x', 'X']) {
            Some(hex) => (hex, 16, 2),
            None => (number, 10, 1),
        };
        let len = digits
            .find(|c: char| !c.is_digit(radix))
            .unwrap_or(digits.len());
        let ch = u32::from_str_radix(&digits[..len.min(8)], radix)
            .ok()
            .and_then(char::from_u32)?;
        return Some((ch, semicolon(skip + len)));
    }
    const NAMED: [(&str, char); 11] = [
        ("amp", '&'),
        ("AMP", '&'),
        ("lt", '<'),
        ("LT", '<'),
        ("gt", '>'),
        ("GT", '>'),
        ("quot", '"'),
        ("QUOT", '"'),
        ("apos", '\''),
        ("nbsp", ' '),
        ("shy", '\u{ad}'),
    ];
    NAMED
        .iter()
        .find(|(name, _)| after_amp.starts_with(name))
        .map(|(name, ch)| (*ch, semicolon(name.len())))
}

/// `%41` -> `A`: a value may reach an output inside a URL.
fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'%', Some(byte)) => {
                out.push(byte);
                i += 3;
            }
            (b, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
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
    fn finds_values_in_comments_cdata_attribute_names_and_urls() {
        let s = scanner(&["Hidden Person Name"]);
        for (file, bytes) in [
            ("a.html", &b"<p>x</p><!-- hidden person name -->"[..]),
            (
                "feed.xml",
                b"<summary><![CDATA[Hidden <b>Person</b> Name]]></summary>",
            ),
            ("a.html", b"<div hidden-person-name>x</div>"),
            (
                "a.html",
                b"<a href=\"../search/?q=Hidden%20Person%20Name\">x</a>",
            ),
            ("a.html", b"<a href=?q=hidden+person+name>x</a>"),
            ("a.html", b"<p>Hidden&shy;Person&nbsp;Name</p>"),
        ] {
            assert_eq!(
                s.scan(file, bytes).len(),
                1,
                "{}",
                String::from_utf8_lossy(bytes)
            );
        }
        let cyrillic = scanner(&["Скрытое имя человека"]);
        let encoded = b"<a href=\"?q=%D0%A1%D0%BA%D1%80%D1%8B%D1%82%D0%BE%D0%B5%20%D0%B8%D0%BC%D1%8F%20%D1%87%D0%B5%D0%BB%D0%BE%D0%B2%D0%B5%D0%BA%D0%B0\">";
        assert_eq!(cyrillic.scan("a.html", encoded).len(), 1);
    }

    #[test]
    fn decodes_references_without_semicolons_as_minifiers_write_them() {
        let s = scanner(&["alpha <beta> & gamma"]);
        assert_eq!(
            s.scan("a.html", b"<p>alpha &LTbeta> &AMP gamma</p>").len(),
            1
        );
        assert_eq!(
            s.scan("a.html", b"<p>alpha &#60beta&#62 &#x26 gamma</p>")
                .len(),
            1
        );
        let t = scanner(&["Smith & Wesson v. State"]);
        assert_eq!(t.scan("a.html", b"Smith &amp Wesson v. State").len(), 1);
    }

    #[test]
    fn scans_gzip_files_decompressed() {
        use std::io::Write;
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        gz.write_all(br#"{"docs":[{"t":"Hidden Person Name"}]}"#)
            .unwrap();
        let bytes = gz.finish().unwrap();
        let s = scanner(&["Hidden Person Name"]);
        assert_eq!(s.scan("search/shard-0.json.gz", &bytes).len(), 1);
        assert!(
            s.scan("search/other.json.gz", b"\x1f\x8bnot gzip")
                .is_empty()
        );
    }

    #[test]
    fn a_hit_names_the_file_and_the_field() {
        let withheld = [Withheld {
            field: "public-data/cases/2024/2024-001.toml: private.note".into(),
            text: "Private note sentinel value".into(),
        }];
        let s = LeakScanner::new(&withheld);
        assert_eq!(
            s.scan(
                "cases/2024-001/index.html",
                b"<p>private NOTE sentinel-value</p>"
            ),
            vec![Leak {
                file: "cases/2024-001/index.html".into(),
                field: "public-data/cases/2024/2024-001.toml: private.note".into(),
            }]
        );
    }

    #[test]
    fn finds_a_truncated_excerpt_of_a_long_value() {
        let long = "This is a long embargoed letter summary that goes on and on about protection measures requested by the Committee";
        let s = scanner(&[long]);
        let excerpt = &long[..95];
        assert_eq!(s.scan("i.json", excerpt.as_bytes()).len(), 1);
    }
}
