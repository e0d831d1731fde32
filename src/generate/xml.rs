//! Escaping text for XML (feeds, sitemaps): element content and attribute values alike.

/// `&`, `<`, `>`, `"` and `'` as entities; characters XML 1.0 forbids are dropped.
pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(ch),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn escapes_markup_and_drops_control_characters() {
        assert_eq!(
            super::escape("<a href=\"x\">O'Brien & co</a>\u{1}"),
            "&lt;a href=&quot;x&quot;&gt;O&apos;Brien &amp; co&lt;/a&gt;"
        );
    }
}
