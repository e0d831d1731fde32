//! Reading built files the way a browser or a data user would, independently of the product's
//! own leak scan: HTML through a real HTML5 tokenizer, escapes undone by hand.

use std::cell::RefCell;
use std::io::Read;

use html5ever::tokenizer::states::RawKind;
use html5ever::tokenizer::{
    BufferQueue, Tag, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer,
};

/// A start tag as an HTML5 parser sees it.
#[derive(Debug, Clone)]
pub(super) struct StartTag {
    pub name: String,
    pub attrs: Vec<(String, String)>,
    /// Text between this tag and its end tag, for elements whose text is not markup
    /// (`<script>`, `<style>`, `<title>`...).
    pub raw_text: String,
}

impl StartTag {
    pub(super) fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

#[derive(Default)]
struct Collect {
    tags: RefCell<Vec<StartTag>>,
    /// Inside an element whose text is not markup: that text is collected.
    raw: RefCell<bool>,
}

impl TokenSink for Collect {
    type Handle = ();

    fn process_token(&self, token: Token, _: u64) -> TokenSinkResult<()> {
        match token {
            Token::TagToken(Tag {
                kind: TagKind::StartTag,
                name,
                attrs,
                ..
            }) => {
                let name = name.to_string();
                // What the tree builder would tell the tokenizer: the text of these elements
                // is not markup (`<title><script>` is a title, not a script).
                let kind = match name.as_str() {
                    "title" | "textarea" => Some(RawKind::Rcdata),
                    "style" | "xmp" | "iframe" | "noembed" | "noframes" => Some(RawKind::Rawtext),
                    "script" => Some(RawKind::ScriptData),
                    _ => None,
                };
                *self.raw.borrow_mut() = kind.is_some();
                self.tags.borrow_mut().push(StartTag {
                    name,
                    attrs: attrs
                        .iter()
                        .map(|a| (a.name.local.to_string(), a.value.to_string()))
                        .collect(),
                    raw_text: String::new(),
                });
                if let Some(kind) = kind {
                    return TokenSinkResult::RawData(kind);
                }
            }
            Token::TagToken(Tag {
                kind: TagKind::EndTag,
                ..
            }) => *self.raw.borrow_mut() = false,
            Token::CharacterTokens(text) if *self.raw.borrow() => {
                if let Some(tag) = self.tags.borrow_mut().last_mut() {
                    tag.raw_text.push_str(&text);
                }
            }
            _ => {}
        }
        TokenSinkResult::Continue
    }
}

/// Every start tag of an HTML document.
pub(super) fn start_tags(html: &str) -> Vec<StartTag> {
    let tokenizer = Tokenizer::new(Collect::default(), Default::default());
    let queue = BufferQueue::default();
    queue.push_back(html.into());
    let _ = tokenizer.feed(&queue);
    tokenizer.end();
    tokenizer.sink.tags.take()
}

/// The text of a file: gzip undone, invalid UTF-8 replaced.
pub(super) fn text_of(bytes: &[u8]) -> String {
    if bytes.starts_with(&[0x1f, 0x8b]) {
        let mut inflated = Vec::new();
        if flate2::read::MultiGzDecoder::new(bytes)
            .read_to_end(&mut inflated)
            .is_ok()
        {
            return String::from_utf8_lossy(&inflated).into_owned();
        }
    }
    String::from_utf8_lossy(bytes).into_owned()
}

/// The forms a value may take in an output: as written, with HTML/XML references, JSON and
/// JavaScript escapes and percent-encoding undone (twice, for escapes inside escapes).
pub(super) fn decoded_forms(text: &str) -> Vec<String> {
    let mut forms = vec![text.to_owned()];
    let mut current = text.to_owned();
    for _ in 0..2 {
        current = percent_decode(&unescape_json(&decode_references(&current)));
        forms.push(current.clone());
    }
    forms
}

/// Letters and digits only, lower case: what survives any markup or punctuation.
pub(super) fn letters(text: &str) -> String {
    text.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

fn decode_references(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i + 1..];
        let named = [
            ("amp", '&'),
            ("lt", '<'),
            ("gt", '>'),
            ("quot", '"'),
            ("apos", '\''),
            ("nbsp", ' '),
        ];
        let lower = rest.to_ascii_lowercase();
        if let Some((name, ch)) = named.iter().find(|(n, _)| lower.starts_with(n)) {
            out.push(*ch);
            rest = &rest[name.len()..];
        } else if let Some(num) = rest.strip_prefix('#') {
            let (digits, radix, skip) = match num.strip_prefix(['x', 'X']) {
                Some(hex) => (hex, 16, 2),
                None => (num, 10, 1),
            };
            let len = digits
                .find(|c: char| !c.is_digit(radix))
                .unwrap_or(digits.len());
            match u32::from_str_radix(&digits[..len], radix)
                .ok()
                .and_then(char::from_u32)
            {
                Some(ch) => {
                    out.push(ch);
                    rest = &rest[skip + len..];
                }
                None => out.push('&'),
            }
        } else {
            out.push('&');
            continue;
        }
        rest = rest.strip_prefix(';').unwrap_or(rest);
    }
    out.push_str(rest);
    out
}

fn unescape_json(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('u') => {
                let hex: String = chars.by_ref().take(4).collect();
                if let Some(ch) = u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32) {
                    out.push(ch);
                }
            }
            Some('x') => {
                let hex: String = chars.by_ref().take(2).collect();
                if let Some(ch) = u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32) {
                    out.push(ch);
                }
            }
            Some(other) => out.push(other),
            None => {}
        }
    }
    out
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let byte = bytes
            .get(i + 1..i + 3)
            .filter(|_| bytes[i] == b'%')
            .and_then(|h| u8::from_str_radix(std::str::from_utf8(h).ok()?, 16).ok());
        match byte {
            Some(b) => {
                out.push(b);
                i += 3;
            }
            None => {
                out.push(if bytes[i] == b'+' { b' ' } else { bytes[i] });
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[test]
fn decoding_undoes_every_escape_the_outputs_use() {
    let hidden = letters("SENTINEL-X: o'brien");
    for form in [
        "SENTINEL-X: o&#39;brien",
        "sentinel&#x2D;x: O&apos;Brien",
        r#"{"t":"SENTINEL\u002dX: o\u0027brien"}"#,
        "?q=SENTINEL-X%3A%20o%27brien",
        "&amp;lt;p&amp;gt;SENTINEL-X: o&amp;#39;brien",
        "&#83;ENTINEL-X: o'brien",
    ] {
        assert!(
            decoded_forms(form)
                .iter()
                .any(|f| letters(f).contains(&hidden)),
            "{form}"
        );
    }
}
