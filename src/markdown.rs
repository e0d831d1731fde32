//! Markdown to HTML for summaries and guidance, with raw HTML shown as text, unsafe links
//! dropped, outbound links marked `noreferrer`, internal links made relative and collected
//! for checking, and headings given anchors named after their text.

use std::collections::HashSet;

use pulldown_cmark::{CowStr, Event, HeadingLevel, LinkType, Options, Parser, Tag, TagEnd, html};

/// How a piece of Markdown is placed on its page.
pub struct Placement<'a> {
    /// Relative prefix from the page to its language root, for example `../../`.
    pub root: &'a str,
    /// Levels to add to every heading (a summary under an `h2` uses 1: `#` becomes `h3`... ).
    pub heading_offset: u8,
    /// Accessible name prefix for the "link to this section" anchors ("Link to section").
    pub anchor_label: &'a str,
}

#[derive(Debug, Default)]
pub struct Rendered {
    pub html: String,
    /// Site paths (`/safety/`) this text links to, for the link check.
    pub internal_links: Vec<String>,
    /// External images or other third-party assets, which are never allowed.
    pub external_assets: Vec<String>,
    /// Headings as (level, id, text), for a table of contents.
    pub headings: Vec<(u8, String, String)>,
}

fn options() -> Options {
    Options::ENABLE_TABLES | Options::ENABLE_FOOTNOTES | Options::ENABLE_STRIKETHROUGH
}

pub fn render(markdown: &str, placement: &Placement) -> Rendered {
    let mut out = Rendered::default();
    let mut events: Vec<Event> = Vec::new();
    let mut used_ids = HashSet::new();
    let mut heading: Option<(u8, Vec<Event>)> = None;
    let mut link_stack: Vec<bool> = Vec::new();

    for event in Parser::new_ext(markdown, options()) {
        let event = match event {
            // Raw HTML is shown as the text it is, never executed.
            Event::Html(text) | Event::InlineHtml(text) => Event::Text(text),
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                ..
            }) => {
                let open = open_link(link_type, &dest_url, placement, &mut out);
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
                if is_external(&dest_url) || !is_safe_scheme(&dest_url) {
                    out.external_assets.push(dest_url.to_string());
                }
                Event::Start(Tag::Image {
                    link_type: LinkType::Inline,
                    dest_url: internal_href(&dest_url, placement.root).into(),
                    title: CowStr::Borrowed(""),
                    id: CowStr::Borrowed(""),
                })
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
pub fn plain_text(markdown: &str) -> String {
    let mut text = String::new();
    for event in Parser::new_ext(markdown, options()) {
        match event {
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
    text.split_whitespace().collect::<Vec<_>>().join(" ")
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
    let lower = dest.trim().to_ascii_lowercase();
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
pub fn slug(text: &str) -> String {
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

pub fn escape(text: &str) -> String {
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
    fn plain_text_drops_markup() {
        assert_eq!(
            plain_text("*Fictional* sample.\n\n- one\n- two"),
            "Fictional sample. one two"
        );
    }
}
