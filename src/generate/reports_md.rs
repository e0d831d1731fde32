//! `report.md` beside every annual report section page, in the page's language: the same
//! content as the HTML, as Markdown a secretariat can paste into its report.

use std::fmt::Write;

use rayon::prelude::*;

use crate::site::RenderSite;
use crate::site::jobs::{self, PageKind};
use crate::site::reports::{self, ReportData};
use crate::site::views::View;

use crate::output::Output;

pub(super) fn files(site: &RenderSite) -> Vec<Output> {
    // Each report gathers its own period's figures: in parallel, as the pages are.
    jobs::plan(site)
        .into_par_iter()
        .filter_map(|job| {
            let PageKind::Report { committee, year } = job.kind else {
                return None;
            };
            let path = job.path(site);
            let page = format!("{}{path}", site.langs[job.lang].prefix);
            // The file says what its page says: `serve` keeps it while the page is unchanged.
            let text = site.page_piece("report.md", &job.output_path(site), || {
                let view = View::new(site, job.lang, &path);
                let data = reports::data(&view, committee, year);
                for_pasting(&markdown(&view, &data), &site.public.base_url, &page)
            });
            Some(Output {
                path: format!("{page}report.md"),
                bytes: text.as_bytes().to_vec(),
            })
        })
        .collect()
}

/// A `report.md` is pasted into other documents, where relative links break and invisible
/// direction marks in headings show up as stray characters in outlines and tables of
/// contents: every link becomes absolute (against `base_url`, from the page at `page`) and
/// headings lose their bidi isolates and marks.
fn for_pasting(md: &str, base_url: &str, page: &str) -> String {
    // A `]` escaped as `\]` is text, not the end of a link.
    static LINK: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(r"(^|[^\\])\]\(([^)\s]+)\)").expect("valid pattern")
    });
    let link = &*LINK;
    md.lines()
        .map(|line| {
            let line = if line.starts_with('#') {
                line.chars().filter(|c| !is_bidi_control(*c)).collect()
            } else {
                line.to_owned()
            };
            link.replace_all(&line, |caps: &regex::Captures| {
                format!("{}]({})", &caps[1], absolute(base_url, page, &caps[2]))
            })
            .into_owned()
        })
        .map(|line| line + "\n")
        .collect()
}

/// LRM, RLM, ALM and the embedding, override and isolate controls.
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{200E}' | '\u{200F}' | '\u{061C}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// `../../../cases/2024-007/` seen from `reports/cat/2024/` is `BASE/cases/2024-007/`.
fn absolute(base_url: &str, page: &str, href: &str) -> String {
    if href.contains("://") || href.starts_with("mailto:") || href.starts_with('#') {
        return href.to_owned();
    }
    let mut parts: Vec<&str> = if href.starts_with('/') {
        Vec::new()
    } else {
        page.split('/').filter(|p| !p.is_empty()).collect()
    };
    for part in href.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            other => parts.push(other),
        }
    }
    let mut out = format!("{}/{}", base_url.trim_end_matches('/'), parts.join("/"));
    if href.ends_with('/') && !out.ends_with('/') {
        out.push('/');
    }
    out
}

/// Text that Markdown would otherwise read as markup.
pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        if matches!(
            ch,
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '|' | '!'
        ) {
            out.push('\\');
        }
        out.push(if ch == '\n' { ' ' } else { ch });
    }
    out
}

fn markdown(view: &View, r: &ReportData) -> String {
    let mut md = String::new();
    if view.site.public.sample {
        let _ = writeln!(md, "{}\n", super::SAMPLE_NOTICE_MD);
    }
    let _ = writeln!(md, "# {}\n", escape(&r.heading));
    let _ = writeln!(
        md,
        "{} · {}\n",
        escape(&r.committee.text),
        escape(&r.period)
    );
    let _ = writeln!(md, "{}\n", escape(&r.convention));
    let _ = writeln!(md, "## {}\n", escape(&view.t("report_summary")));
    for line in &r.summary {
        let _ = writeln!(md, "- {}", escape(line));
    }
    let none = view.t("report_none");
    let _ = writeln!(md, "\n## {}\n", escape(&view.t("report_received_heading")));
    if r.received.is_empty() {
        let _ = writeln!(md, "{}", escape(&none));
    }
    for c in &r.received {
        let types: Vec<String> = c.types.iter().map(|t| escape(&t.text)).collect();
        let _ = writeln!(
            md,
            "- [{}]({}) ({}, {}, {}): {}. {}.",
            escape(&c.title.text),
            c.href,
            c.id,
            escape(&c.country.text),
            escape(&c.date),
            types.join("; "),
            escape(&c.status.text)
        );
    }
    let _ = writeln!(md, "\n## {}\n", escape(&view.t("report_actions_heading")));
    for a in &r.actions {
        let mut line = format!(
            "- {} – [{}]({}): {}",
            escape(&a.date),
            a.case_id,
            a.case_href,
            escape(&a.kind.text)
        );
        if let Some(reference) = &a.reference {
            let _ = write!(line, " ({})", escape(reference));
        }
        if let Some(note) = &a.note {
            let _ = write!(line, ". {}", escape(&note.text));
        }
        let _ = writeln!(md, "{line}");
    }
    if let Some(undisclosed) = &r.undisclosed {
        let _ = writeln!(md, "\n{}", escape(undisclosed));
    }
    if r.actions.is_empty() && r.undisclosed.is_none() {
        let _ = writeln!(md, "{}", escape(&none));
    }
    let _ = writeln!(md, "\n## {}\n", escape(&view.t("report_letters_heading")));
    if r.letters.is_empty() {
        let _ = writeln!(md, "{}", escape(&none));
    }
    for l in &r.letters {
        let mut line = format!(
            "- {} – [{}]({}): {}",
            escape(&l.date),
            l.case_id,
            l.case_href,
            escape(&l.kind)
        );
        if let Some(symbol) = &l.symbol {
            let _ = write!(line, " {}", escape(symbol));
        }
        if let Some(deadline) = &l.deadline {
            let _ = write!(
                line,
                " ({} {})",
                escape(&view.t("deadline")),
                escape(deadline)
            );
        }
        if let Some(outcome) = &l.outcome {
            let _ = write!(line, ". {}", escape(outcome));
        }
        if let Some(summary) = &l.summary {
            let _ = write!(line, " {}", escape(&summary.text));
        }
        let _ = writeln!(md, "{line}");
    }
    let _ = writeln!(md, "\n## {}\n", escape(&view.t("report_follow_up_heading")));
    if r.follow_up.is_empty() {
        let _ = writeln!(md, "{}", escape(&none));
    }
    for c in &r.follow_up {
        let _ = writeln!(
            md,
            "- [{}]({}) ({}, {}; {}: {}): {}",
            escape(&c.title.text),
            c.href,
            c.id,
            escape(&c.country.text),
            escape(&view.t("date_reported")),
            escape(&c.date),
            escape(&c.status.text)
        );
    }
    md
}

#[cfg(test)]
mod tests {
    #[test]
    fn links_become_absolute_and_headings_lose_direction_marks() {
        let md = "# CAT: period \u{2068}2024\u{2013}2025\u{2069}\n\n- [2024-007](../../../cases/2024-007/) and \\[x\\](y)\n";
        assert_eq!(
            super::for_pasting(md, "https://r.example.org/", "fr/reports/cat/2024/"),
            "# CAT: period 2024\u{2013}2025\n\n- [2024-007](https://r.example.org/fr/cases/2024-007/) and \\[x\\](y)\n"
        );
    }

    #[test]
    fn markup_characters_are_escaped() {
        assert_eq!(
            super::escape("*bold* [link](x) <b>"),
            "\\*bold\\* \\[link\\](x) \\<b\\>"
        );
    }
}
