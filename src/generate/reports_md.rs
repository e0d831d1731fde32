//! `report.md` beside every annual report section page, in the page's language: the same
//! content as the HTML, as Markdown a secretariat can paste into its report.

use std::fmt::Write;

use crate::site::RenderSite;
use crate::site::jobs::{self, PageKind};
use crate::site::reports::{self, ReportData};
use crate::site::views::View;

use crate::output::Output;

pub fn files(site: &RenderSite) -> Vec<Output> {
    jobs::plan(site)
        .into_iter()
        .filter_map(|job| {
            let PageKind::Report { committee, year } = job.kind else {
                return None;
            };
            let path = job.path(site);
            let view = View::new(site, job.lang, &path);
            let data = reports::data(&view, committee, year);
            Some(Output {
                path: format!("{}{path}report.md", site.langs[job.lang].prefix),
                bytes: markdown(&view, &data).into_bytes(),
            })
        })
        .collect()
}

/// Text that Markdown would otherwise read as markup.
pub fn escape(text: &str) -> String {
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
    fn markup_characters_are_escaped() {
        assert_eq!(
            super::escape("*bold* [link](x) <b>"),
            "\\*bold\\* \\[link\\](x) \\<b\\>"
        );
    }
}
