//! Markdown to HTML for summaries and guidance, with raw HTML shown as text, unsafe links
//! dropped, outbound links marked `noreferrer`, internal links made relative and collected
//! for checking, and headings given anchors named after their text.

use std::collections::HashSet;

use pulldown_cmark::{CowStr, Event, HeadingLevel, LinkType, Options, Parser, Tag, TagEnd, html};

/// How a piece of Markdown is placed on its page.
pub(crate) struct Placement<'a> {
    /// Relative prefix from the page to its language root, for example `../../`.
    pub root: &'a str,
    /// Levels to add to every heading (a summary under an `h2` uses 1: `#` becomes `h3`... ).
    pub heading_offset: u8,
    /// Accessible name prefix for the "link to this section" anchors ("Link to section").
    pub anchor_label: &'a str,
}

#[derive(Debug, Default)]
pub(crate) struct Rendered {
    pub html: String,
    /// Site paths (`/safety/`) this text links to, for the link check.
    pub internal_links: Vec<String>,
    /// External images or other third-party assets, which are never allowed.
    pub external_assets: Vec<String>,
    /// Headings as (level, id, text), for a table of contents.
    pub headings: Vec<(u8, String, String)>,
}

pub(crate) fn options() -> Options {
    Options::ENABLE_TABLES | Options::ENABLE_FOOTNOTES | Options::ENABLE_STRIKETHROUGH
}

pub(crate) fn render(markdown: &str, placement: &Placement) -> Rendered {
    render_with(markdown, placement, &|_| false)
}

/// `render`, with links to the cases for which `hidden_case(id)` holds shown as their text
/// only: a case that is withdrawn or unpublished must disappear at once, even from guidance
/// written before.
pub(crate) fn render_with(
    markdown: &str,
    placement: &Placement,
    hidden_case: &dyn Fn(&str) -> bool,
) -> Rendered {
    let mut out = Rendered::default();
    let mut in_comment = false;
    let mut events: Vec<Event> = Vec::new();
    let mut used_ids = HashSet::new();
    let mut heading: Option<(u8, Vec<Event>)> = None;
    let mut link_stack: Vec<bool> = Vec::new();
    let mut image_stack: Vec<bool> = Vec::new();

    for event in Parser::new_ext(markdown, options()) {
        let event = match event {
            // An HTML comment is a note to colleagues, never content: it is dropped.
            Event::Html(text) | Event::InlineHtml(text)
                if in_comment || text.trim_start().starts_with("<!--") =>
            {
                in_comment = !text.contains("-->");
                continue;
            }
            // Raw HTML is shown as the text it is, never executed.
            Event::Html(text) | Event::InlineHtml(text) => Event::Text(text),
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                ..
            }) => {
                let hidden = case_link_id(&dest_url).is_some_and(hidden_case);
                let open = if hidden {
                    None
                } else {
                    open_link(link_type, &dest_url, placement, &mut out)
                };
                link_stack.push(open.is_some());
                match open {
                    Some(html) => Event::Html(html.into()),
                    None => continue,
                }
            }
            Event::End(TagEnd::Link) => {
                if link_stack.pop().unwrap_or(false) {
                    Event::Html("</a>".into())
                } else {
                    continue;
                }
            }
            Event::Start(Tag::Image { dest_url, .. }) => {
                // An image from another host is a request that leaves the site, and a
                // `javascript:` or `data:` source is never an image we want: either way
                // only its description is shown (and guidance pages report it as an error).
                let allowed = !is_external(&dest_url) && is_safe_scheme(&dest_url);
                image_stack.push(allowed);
                if !allowed {
                    out.external_assets.push(dest_url.to_string());
                    continue;
                }
                Event::Start(Tag::Image {
                    link_type: LinkType::Inline,
                    dest_url: internal_href(&dest_url, placement.root).into(),
                    title: CowStr::Borrowed(""),
                    id: CowStr::Borrowed(""),
                })
            }
            Event::End(TagEnd::Image) => {
                if image_stack.pop().unwrap_or(false) {
                    Event::End(TagEnd::Image)
                } else {
                    continue;
                }
            }
            Event::Start(Tag::Heading { level, .. }) => {
                heading = Some((shift(level, placement.heading_offset), Vec::new()));
                continue;
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some((level, inner)) = heading.take() {
                    let text = plain_text_of(&inner);
                    let id = unique_id(&slug(&text), &mut used_ids);
                    events.push(Event::Html(
                        format!("<h{level} id=\"{}\">", escape(&id)).into(),
                    ));
                    events.extend(inner);
                    events.push(Event::Html(
                        format!(
                            " <a class=\"anchor\" href=\"#{}\" aria-label=\"{}: {}\">#</a></h{level}>",
                            escape(&id),
                            escape(placement.anchor_label),
                            escape(&text)
                        )
                        .into(),
                    ));
                    out.headings.push((level, id, text));
                }
                continue;
            }
            other => other,
        };
        match &mut heading {
            Some((_, inner)) => inner.push(event),
            None => events.push(event),
        }
    }
    html::push_html(&mut out.html, events.into_iter());
    out.html = fix_tables(&out.html);
    out
}

/// The text of a Markdown string without markup: for search, excerpts and the leak scan.
pub(crate) fn plain_text(markdown: &str) -> String {
    if has_no_markup(markdown) {
        return single_spaced(markdown);
    }
    plain_text_parsed(markdown)
}

/// The words of `text` with one space between them (at 100,000 cases the search index and the
/// open data make this of every summary: one string, not a list of words joined).
pub(crate) fn single_spaced(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// Whether `markdown` is prose that Markdown leaves as it is, but for line breaks: no
/// character that can start markup anywhere (CommonMark's syntax is all ASCII), and no line
/// that starts like a list item, a heading underline or a rule. Most summaries are, and
/// `serve` would parse every one of them on each edit, three times over (search, open data,
/// feeds).
pub(crate) fn has_no_markup(markdown: &str) -> bool {
    // Byte by byte: CommonMark's syntax is all ASCII, an ASCII character is one byte, and a
    // character beyond ASCII is inert, as is each of its bytes.
    let inert = |b: u8| {
        !b.is_ascii()
            || b.is_ascii_alphanumeric()
            || matches!(
                b,
                b' ' | b'\n' | b'.' | b',' | b';' | b':' | b'?' | b'!' | b'(' | b')' | b'/'
            )
            || matches!(b, b'%' | b'\'' | b'"')
            || (b == b'-')
    };
    markdown.bytes().all(inert)
        && markdown.lines().all(|line| {
            line.trim_start()
                .chars()
                .next()
                .is_none_or(|c| !c.is_ascii_digit() && c != '-')
        })
}

fn plain_text_parsed(markdown: &str) -> String {
    let mut text = String::new();
    let mut in_comment = false;
    for event in Parser::new_ext(markdown, options()) {
        match event {
            Event::Html(t) | Event::InlineHtml(t)
                if in_comment || t.trim_start().starts_with("<!--") =>
            {
                in_comment = !t.contains("-->");
            }
            Event::Text(t) | Event::Code(t) | Event::Html(t) | Event::InlineHtml(t) => {
                text.push_str(&t)
            }
            Event::SoftBreak
            | Event::HardBreak
            | Event::End(TagEnd::Paragraph)
            | Event::End(TagEnd::Item) => text.push(' '),
            _ => {}
        }
    }
    single_spaced(&text)
}

fn plain_text_of(events: &[Event]) -> String {
    let mut text = String::new();
    for event in events {
        if let Event::Text(t) | Event::Code(t) = event {
            text.push_str(t);
        }
    }
    text.trim().to_owned()
}

fn shift(level: HeadingLevel, offset: u8) -> u8 {
    (level as u8 + offset).min(6)
}

fn open_link(
    link_type: LinkType,
    dest: &str,
    placement: &Placement,
    out: &mut Rendered,
) -> Option<String> {
    if matches!(link_type, LinkType::Email) {
        return Some(format!("<a href=\"mailto:{}\">", escape(dest)));
    }
    if !is_safe_scheme(dest) {
        return None;
    }
    if is_external(dest) {
        return Some(format!("<a href=\"{}\" rel=\"noreferrer\">", escape(dest)));
    }
    if dest.starts_with('/') {
        out.internal_links
            .push(dest.split('#').next().unwrap_or(dest).to_owned());
    }
    Some(format!(
        "<a href=\"{}\">",
        escape(&internal_href(dest, placement.root))
    ))
}

/// Whether `markdown` may hold a link to a site path (`[text](/path/)` or a reference
/// definition `[id]: /path/`): text without one need not be parsed for links.
pub(crate) fn may_link_within(markdown: &str) -> bool {
    markdown.contains("](/") || markdown.contains("]: /")
}

/// The case id a site path points at: `/cases/2024-007/`, `/fr/cases/2024-007/#letters`.
pub(crate) fn case_link_id(dest: &str) -> Option<&str> {
    let path = dest.split(['#', '?']).next().unwrap_or(dest);
    let rest = path.strip_prefix('/')?;
    let rest = match rest.split_once('/') {
        Some((lang, after)) if lang.len() == 2 && after.starts_with("cases/") => after,
        _ => rest,
    };
    let id = rest.strip_prefix("cases/")?.trim_end_matches('/');
    crate::model::ids::CaseId::parse(id).ok().map(|_| id)
}

/// Something in a Markdown text that is published differently from what its author may
/// expect, with its byte range in the text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Surprise {
    pub range: std::ops::Range<usize>,
    pub kind: SurpriseKind,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum SurpriseKind {
    /// `<!-- ... -->`: removed from the output.
    Comment,
    /// Any other HTML: shown as text.
    RawHtml(String),
    /// A link such as `safety/` or `../x`: relative to the page, so it breaks across languages.
    RelativeLink(String),
    /// `#part` that no heading of this text has.
    MissingFragment(String),
}

/// A link to `/page/#fragment`: its range, the page path and the fragment.
pub(crate) type FragmentLink = (std::ops::Range<usize>, String, String);

/// Finds the surprises in `markdown`: comments, raw HTML, relative links, and links to
/// `#fragments` of the same text that no heading has. `/page/#fragment` links are returned
/// apart as (range, path, fragment) for the caller, which knows the other pages.
pub(crate) fn surprises(markdown: &str) -> (Vec<Surprise>, Vec<FragmentLink>) {
    let mut found = Vec::new();
    let mut elsewhere = Vec::new();
    let ids: HashSet<String> = render(
        markdown,
        &Placement {
            root: "/",
            heading_offset: 0,
            anchor_label: "",
        },
    )
    .headings
    .into_iter()
    .map(|(_, id, _)| id)
    .collect();
    let mut in_comment = false;
    for (event, range) in Parser::new_ext(markdown, options()).into_offset_iter() {
        match event {
            Event::Html(text) | Event::InlineHtml(text) => {
                if in_comment || text.trim_start().starts_with("<!--") {
                    if !in_comment {
                        found.push(Surprise {
                            range: range.clone(),
                            kind: SurpriseKind::Comment,
                        });
                    }
                    in_comment = !text.contains("-->");
                } else if !text.trim().is_empty() {
                    found.push(Surprise {
                        range,
                        kind: SurpriseKind::RawHtml(text.trim().to_owned()),
                    });
                }
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                ..
            }) if !matches!(link_type, LinkType::Email) => {
                let dest = dest_url.trim();
                let has_scheme = dest.split_once(':').is_some_and(|(scheme, _)| {
                    !scheme.contains(['/', '#', '?']) && !scheme.is_empty()
                });
                if dest.is_empty() || has_scheme || is_external(dest) {
                    continue;
                }
                if let Some(fragment) = dest.strip_prefix('#') {
                    if !ids.contains(fragment) {
                        found.push(Surprise {
                            range,
                            kind: SurpriseKind::MissingFragment(dest.to_owned()),
                        });
                    }
                } else if !dest.starts_with('/') {
                    found.push(Surprise {
                        range,
                        kind: SurpriseKind::RelativeLink(dest.to_owned()),
                    });
                } else if let Some((path, fragment)) = dest.split_once('#') {
                    elsewhere.push((range, path.to_owned(), fragment.to_owned()));
                }
            }
            _ => {}
        }
    }
    (found, elsewhere)
}

/// `javascript:`, `data:` and other schemes never become links.
fn is_safe_scheme(dest: &str) -> bool {
    let lower = dest.trim().to_ascii_lowercase();
    match lower.split_once(':') {
        Some((scheme, _))
            if !scheme.contains('/') && !scheme.contains('#') && !scheme.contains('?') =>
        {
            matches!(scheme, "http" | "https" | "mailto")
        }
        _ => true,
    }
}

fn is_external(dest: &str) -> bool {
    // Browsers read `\\host` and `/\host` as `//host`: another site, not a path of this one.
    let lower = dest.trim().to_ascii_lowercase().replace('\\', "/");
    lower.starts_with("http://") || lower.starts_with("https://") || lower.starts_with("//")
}

/// Site paths (`/cases/`) become relative to the page, so the site works from any host.
fn internal_href(dest: &str, root: &str) -> String {
    match dest.strip_prefix('/') {
        Some(rest) if !rest.starts_with('/') => format!("{root}{rest}"),
        _ => dest.to_owned(),
    }
}

/// An anchor id from heading text: letters of any script kept, the rest joined by dashes.
pub(crate) fn slug(text: &str) -> String {
    let mut out = String::new();
    for ch in text.chars().flat_map(char::to_lowercase) {
        if ch.is_alphanumeric() {
            out.push(ch);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    let out = out.trim_end_matches('-').to_owned();
    if out.is_empty() {
        "section".to_owned()
    } else {
        out
    }
}

fn unique_id(base: &str, used: &mut HashSet<String>) -> String {
    let mut id = base.to_owned();
    let mut n = 2;
    while !used.insert(id.clone()) {
        id = format!("{base}-{n}");
        n += 1;
    }
    id
}

/// Column alignment becomes a class (inline styles break the Content-Security-Policy) and
/// header cells get a scope.
fn fix_tables(html: &str) -> String {
    if !html.contains("<table") {
        return html.to_owned();
    }
    html.replace(
        "<th style=\"text-align: left\">",
        "<th scope=\"col\" class=\"align-start\">",
    )
    .replace(
        "<th style=\"text-align: center\">",
        "<th scope=\"col\" class=\"align-center\">",
    )
    .replace(
        "<th style=\"text-align: right\">",
        "<th scope=\"col\" class=\"align-end\">",
    )
    .replace("<th>", "<th scope=\"col\">")
    .replace(
        "<td style=\"text-align: left\">",
        "<td class=\"align-start\">",
    )
    .replace(
        "<td style=\"text-align: center\">",
        "<td class=\"align-center\">",
    )
    .replace(
        "<td style=\"text-align: right\">",
        "<td class=\"align-end\">",
    )
}

pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(ch),
        }
    }
    out
}

/// How deep Markdown may nest (block quotes, lists, emphasis, links inside one another). Far
/// beyond any real text; much deeper nesting once overflowed the stack of the HTML minifier
/// the build used, and any reader that walks elements recursively is at the same risk.
pub(crate) const MAX_NESTING: usize = 32;

/// The deepest nesting in `markdown` when it exceeds `MAX_NESTING`, else `None`.
///
/// Every level of nesting costs at least one character: a block level a column of a line's
/// leading markers (`>`, `-`, `1.`, indentation), an inline level a delimiter (`*`, `_`, `~`,
/// `[`). Texts with fewer of both than the limit are passed without parsing.
pub(crate) fn too_deep(markdown: &str) -> Option<usize> {
    let widest_prefix = markdown
        .lines()
        .map(|line| {
            line.chars()
                .take_while(|c| {
                    matches!(
                        c,
                        ' ' | '\t' | '>' | '-' | '+' | '*' | '.' | ')' | '0'..='9'
                    )
                })
                .map(|c| if c == '\t' { 4 } else { 1 })
                .sum::<usize>()
        })
        .max()
        .unwrap_or(0);
    // Counted in runs of at most 255 bytes into a `u8`, which the compiler turns into vector
    // instructions: this runs over every text of every case on each `serve` edit.
    let delimiters: usize = markdown
        .as_bytes()
        .chunks(255)
        .map(|run| {
            run.iter().fold(0u8, |n, &b| {
                n + u8::from(b == b'*' || b == b'_' || b == b'~' || b == b'[')
            }) as usize
        })
        .sum();
    if widest_prefix + delimiters <= MAX_NESTING {
        return None;
    }
    let mut depth = 0usize;
    let mut deepest = 0usize;
    for event in Parser::new_ext(markdown, options()) {
        match event {
            Event::Start(_) => {
                depth += 1;
                deepest = deepest.max(depth);
            }
            Event::End(_) => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    (deepest > MAX_NESTING).then_some(deepest)
}

/// Markdown nested deeper than any text needs (and than the renderer can take).
pub(crate) fn nesting_problem(depth: usize) -> crate::diagnostics::Problem {
    crate::diagnostics::Problem::error(format!(
        "Markdown nested {depth} levels deep: at most {MAX_NESTING} levels are allowed"
    ))
    .label("nested too deeply")
    .help("block quotes, lists and emphasis inside one another: flatten this text")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn place() -> Placement<'static> {
        Placement {
            root: "../",
            heading_offset: 0,
            anchor_label: "Link to section",
        }
    }

    #[test]
    fn raw_html_is_text() {
        let out = render(
            "Hi <script>alert(1)</script> <img src=x onerror=alert(1)>",
            &place(),
        );
        assert!(!out.html.contains("<script"), "{}", out.html);
        assert!(out.html.contains("&lt;script&gt;"), "{}", out.html);
        assert!(!out.html.contains("<img"), "{}", out.html);
    }

    #[test]
    fn unsafe_links_are_dropped_and_outbound_links_have_noreferrer() {
        let out = render(
            "[a](javascript:alert(1)) [b](data:text/html,x) [c](https://undocs.org/A/1) [d](/safety/)",
            &place(),
        );
        assert!(!out.html.contains("javascript:"), "{}", out.html);
        assert!(!out.html.contains("data:"), "{}", out.html);
        assert!(
            out.html
                .contains("<a href=\"https://undocs.org/A/1\" rel=\"noreferrer\">c</a>"),
            "{}",
            out.html
        );
        assert!(
            out.html.contains("<a href=\"../safety/\">d</a>"),
            "{}",
            out.html
        );
        assert_eq!(out.internal_links, vec!["/safety/"]);
    }

    /// A start tag: its name and its attributes.
    type StartTag = (String, Vec<(String, String)>);

    /// Tags and attributes as an HTML5 parser sees them.
    fn tags(html: &str) -> Vec<StartTag> {
        use html5ever::tokenizer::{
            BufferQueue, Tag, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer,
        };
        use std::cell::RefCell;
        #[derive(Default)]
        struct Sink(RefCell<Vec<StartTag>>);
        impl TokenSink for Sink {
            type Handle = ();
            fn process_token(&self, token: Token, _: u64) -> TokenSinkResult<()> {
                if let Token::TagToken(Tag {
                    kind: TagKind::StartTag,
                    name,
                    attrs,
                    ..
                }) = token
                {
                    let attrs = attrs
                        .iter()
                        .map(|a| (a.name.local.to_string(), a.value.to_string()))
                        .collect();
                    self.0.borrow_mut().push((name.to_string(), attrs));
                }
                TokenSinkResult::Continue
            }
        }
        let tokenizer = Tokenizer::new(Sink::default(), Default::default());
        let queue = BufferQueue::default();
        queue.push_back(html.into());
        let _ = tokenizer.feed(&queue);
        tokenizer.end();
        tokenizer.sink.0.take()
    }

    /// Why `html` is not inert, if it is not.
    fn active_markup(html: &str) -> Option<String> {
        const ALLOWED: &[&str] = &[
            "p",
            "a",
            "img",
            "em",
            "strong",
            "code",
            "pre",
            "ul",
            "ol",
            "li",
            "h1",
            "h2",
            "h3",
            "h4",
            "h5",
            "h6",
            "blockquote",
            "table",
            "thead",
            "tbody",
            "tr",
            "th",
            "td",
            "hr",
            "br",
            "del",
            "sup",
            "div",
            "section",
        ];
        for (tag, attrs) in tags(html) {
            if !ALLOWED.contains(&tag.as_str()) {
                return Some(format!("element <{tag}>"));
            }
            for (name, value) in attrs {
                let value = value.trim().to_ascii_lowercase();
                if name.starts_with("on") || name == "style" {
                    return Some(format!("attribute {name}"));
                }
                if (name == "href" || name == "src")
                    && !(value.starts_with("https://")
                        || value.starts_with("http://")
                        || value.starts_with("mailto:")
                        || value.starts_with("../")
                        || value.starts_with('#'))
                {
                    return Some(format!("{name}={value}"));
                }
                if name == "src" && !value.starts_with("../") {
                    return Some(format!("remote image {value}"));
                }
            }
        }
        None
    }

    #[test]
    fn xss_vectors_render_inert() {
        let vectors = [
            r#"<img src=x onerror=alert(1)>"#,
            r#"<svg/onload=alert(1)>"#,
            r#"<a href="javascript:alert(1)">x</a>"#,
            r#"<iframe src=//evil.example></iframe>"#,
            r#"<style>body{display:none}</style>"#,
            r#"[x](JaVaScRiPt:alert(1))"#,
            r#"[x](  javascript:alert(1))"#,
            r#"[x](<javascript:alert(1)>)"#,
            r#"[x](&#106;avascript:alert(1))"#,
            r#"[x](&#x6A;avascript&colon;alert(1))"#,
            r#"[x](java&#x09;script:alert(1))"#,
            r#"[x](vbscript:msgbox(1))"#,
            r#"[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)"#,
            r#"<javascript:alert(1)>"#,
            "[x][ref]\n\n[ref]: javascript:alert(1)",
            "[x][ref]\n\n[ref]: /safety/ \"<script>alert(1)</script>\"",
            r#"[x](/safety/ "<img src=x onerror=alert(1)>")"#,
            r#"[x](https://example.org/ "\" onmouseover=\"alert(1)")"#,
            r#"[x](https://example.org/"onmouseover="alert(1))"#,
            r#"![<img src=x onerror=alert(1)>](/files/a.png)"#,
            r#"![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)"#,
            r#"![x](javascript:alert(1))"#,
            r#"![tracker](https://tracker.example/pixel.gif)"#,
            r#"![x](//tracker.example/pixel.gif)"#,
            r#"![x](\\\\tracker.example/pixel.gif)"#,
            r#"`<script>alert(1)</script>`"#,
            "    <script>alert(1)</script>",
            "```html\n<script>alert(1)</script>\n```",
            "| a |\n|---|\n| <script>alert(1)</script> |",
            "# <img src=x onerror=alert(1)>",
            "x[^1]\n\n[^1]: <script>alert(1)</script>",
            "<!-- <script>alert(1)</script> -->",
            "<![CDATA[<script>alert(1)</script>]]>",
        ];
        for v in vectors {
            let html = render(v, &place()).html;
            assert_eq!(active_markup(&html), None, "{v:?} gave {html:?}");
        }
    }

    #[test]
    fn outbound_links_of_every_form_get_noreferrer() {
        for v in [
            r#"[a](https://undocs.org/A/1)"#,
            r#"<https://undocs.org/A/1>"#,
            "[a][r]\n\n[r]: https://undocs.org/A/1",
            r#"[a](HTTP://UNDOCS.ORG/A/1)"#,
            r#"[a](//undocs.org/A/1)"#,
            r#"[a](\\\\undocs.org/A/1)"#,
            r#"[a](/\\undocs.org/A/1)"#,
        ] {
            let html = render(v, &place()).html;
            let anchors: Vec<_> = tags(&html).into_iter().filter(|t| t.0 == "a").collect();
            assert_eq!(anchors.len(), 1, "{v:?} gave {html:?}");
            assert!(
                anchors[0].1.contains(&("rel".into(), "noreferrer".into())),
                "{v:?} gave {html:?}"
            );
        }
    }

    #[test]
    fn local_images_stay_and_remote_images_become_their_description() {
        let out = render(
            "![chart](/files/chart.png) ![pixel](https://t.example/p.gif)",
            &place(),
        );
        assert!(
            out.html
                .contains(r#"<img src="../files/chart.png" alt="chart""#),
            "{}",
            out.html
        );
        assert!(out.html.contains("pixel"), "{}", out.html);
        assert!(!out.html.contains("t.example"), "{}", out.html);
        assert_eq!(out.external_assets, vec!["https://t.example/p.gif"]);
    }

    #[test]
    fn headings_get_anchors_from_their_text() {
        let out = render(
            "## What to include\n\n## What to include\n\n## ما يجب تضمينه",
            &place(),
        );
        assert!(
            out.html.contains("<h2 id=\"what-to-include\">"),
            "{}",
            out.html
        );
        assert!(
            out.html.contains("<h2 id=\"what-to-include-2\">"),
            "{}",
            out.html
        );
        assert!(
            out.html
                .contains("aria-label=\"Link to section: What to include\""),
            "{}",
            out.html
        );
        assert_eq!(out.headings[2].1, "ما-يجب-تضمينه");
    }

    #[test]
    fn tables_get_scoped_headers_and_no_inline_style() {
        let out = render("| a | b |\n|:--|--:|\n| 1 | 2 |", &place());
        assert!(
            out.html
                .contains("<th scope=\"col\" class=\"align-start\">a</th>"),
            "{}",
            out.html
        );
        assert!(!out.html.contains("style="), "{}", out.html);
    }

    #[test]
    fn external_images_are_reported() {
        let out = render("![x](https://cdn.example.com/x.png)", &place());
        assert_eq!(out.external_assets, vec!["https://cdn.example.com/x.png"]);
    }

    #[test]
    fn prose_without_markup_is_read_as_the_parser_reads_it() {
        let parts = [
            "word",
            "Ünïcode",
            "人权",
            "حقوق",
            " ",
            "\n",
            "\n\n",
            "  \n",
            ".",
            ",",
            "(x)",
            "100%",
            "'q'",
            "\"q\"",
            "a-b",
            "    indented",
            "!",
            "?",
            ":",
            ";",
            "/",
            "\u{a0}",
            "1990",
            "\n2024. ",
            "\n- ",
            "\n---\n",
            "— dash",
            "« guillemets »",
        ];
        // A fixed pseudo-random walk over the parts: thousands of texts, the same each run.
        let mut state: u64 = 7;
        let mut checked = 0;
        for _ in 0..4000 {
            let mut text = String::new();
            for _ in 0..12 {
                state = state
                    .wrapping_mul(6_364_136_223_846_793_005)
                    .wrapping_add(1);
                text.push_str(parts[(state >> 33) as usize % parts.len()]);
            }
            if has_no_markup(&text) {
                checked += 1;
                assert_eq!(plain_text(&text), plain_text_parsed(&text), "{text:?}");
            }
        }
        assert!(checked > 500, "only {checked} texts took the short way");
        // Lines that start a list or a rule are parsed.
        assert!(!has_no_markup("Done.\n2024. Next year"));
        assert!(!has_no_markup("Heading\n---"));
        assert!(!has_no_markup("A *word*"));
    }

    #[test]
    fn plain_text_keeps_one_space_between_words_and_none_at_the_ends() {
        // Prose without markup, read without the parser.
        assert!(has_no_markup("  A case\nfrom   2024. "));
        assert_eq!(plain_text("  A case\nfrom   2024. "), "A case from 2024.");
        assert_eq!(plain_text("  \n  "), "");
        // Any Unicode space separates words, as in the parsed text.
        assert_eq!(plain_text("Deux\u{a0}mots\u{3000}ici"), "Deux mots ici");
        // Through the parser (a tab and emphasis are not plain prose), the same spacing.
        assert_eq!(plain_text("  A case\n\tfrom   2024. "), "A case from 2024.");
        assert_eq!(plain_text(" \n\t "), "");
        assert_eq!(plain_text("*One* \n\n two"), "One two");
    }

    #[test]
    fn plain_text_drops_markup() {
        assert_eq!(
            plain_text("*Fictional* sample.\n\n- one\n- two"),
            "Fictional sample. one two"
        );
    }

    #[test]
    fn comments_are_removed_and_links_to_hidden_cases_become_text() {
        let text = "Before <!-- internal: do not publish --> after.\n\n<!--\nblock note\n-->\n\nSee [the case](/cases/2024-007/) and [this](/fr/cases/2024-008/#letters).";
        let hidden = |id: &str| id == "2024-007";
        let out = render_with(text, &place(), &hidden);
        assert!(!out.html.contains("internal"), "{}", out.html);
        assert!(!out.html.contains("block note"), "{}", out.html);
        assert!(!out.html.contains("2024-007"), "{}", out.html);
        assert!(out.html.contains("See the case and"), "{}", out.html);
        assert!(
            out.html.contains("href=\"../fr/cases/2024-008/#letters\""),
            "{}",
            out.html
        );
        assert!(!plain_text(text).contains("internal"));
        assert_eq!(case_link_id("/cases/2024-007/"), Some("2024-007"));
        assert_eq!(case_link_id("/zh/cases/2024-007/#x"), Some("2024-007"));
        assert_eq!(case_link_id("/cases/year/2024/"), None);
        assert_eq!(case_link_id("/cases/"), None);
    }

    #[test]
    fn surprises_are_found_with_their_place() {
        let text = "Hi <!-- note -->\n\n<b>bold</b> [a](safety/) [b](#missing) [c](#plan) [d](/x/#y) [e](https://undocs.org/) [f](mailto:a@b.org)\n\n## Plan\n";
        let (found, elsewhere) = surprises(text);
        let kinds: Vec<SurpriseKind> = found.iter().map(|s| s.kind.clone()).collect();
        assert_eq!(
            kinds,
            [
                SurpriseKind::Comment,
                SurpriseKind::RawHtml("<b>".into()),
                SurpriseKind::RawHtml("</b>".into()),
                SurpriseKind::RelativeLink("safety/".into()),
                SurpriseKind::MissingFragment("#missing".into()),
            ]
        );
        assert_eq!(&text[found[0].range.clone()], "<!-- note -->");
        assert_eq!(elsewhere.len(), 1);
        assert_eq!(
            (elsewhere[0].1.as_str(), elsewhere[0].2.as_str()),
            ("/x/", "y")
        );
    }

    #[test]
    fn nesting_beyond_the_limit_is_measured_and_ordinary_text_is_not() {
        assert_eq!(too_deep("> quote\n\n- a\n  - b\n    - *c* [d](/e/)"), None);
        let quotes = format!("{} deep", ">".repeat(2000));
        assert!(too_deep(&quotes).is_some_and(|d| d > MAX_NESTING));
        let lists = format!("{}x", "- ".repeat(100));
        assert!(too_deep(&lists).is_some_and(|d| d > MAX_NESTING));
        let at_limit = format!("{}x", ">".repeat(MAX_NESTING - 1));
        assert_eq!(too_deep(&at_limit), None);
        // Many emphasis marks side by side are not nesting.
        assert_eq!(too_deep(&"*a* ".repeat(100)), None);
    }
}
