//! Every internal link written in the input must have a page in this build.

use std::collections::HashSet;

use crate::diagnostics::{Problem, Problems};
use crate::markdown;
use crate::site::RenderSite;
use crate::site::jobs::Job;

use super::Prepared;

/// Every `/path/` a guidance page or a summary links to must be a page of this build.
pub(super) fn check_links(
    prepared: &Prepared,
    site: &RenderSite,
    job_list: &[Job],
) -> Result<(), Problems> {
    let mut known: HashSet<String> = job_list
        .iter()
        .map(|j| format!("/{}{}", site.langs[j.lang].prefix, j.path(site)))
        .collect();
    known.extend(
        prepared
            .projection
            .site
            .files
            .iter()
            .map(|f| format!("/{f}")),
    );
    let placement = markdown::Placement {
        root: "/",
        heading_offset: 0,
        anchor_label: "",
    };
    let mut problems = Problems::default();
    let mut check = |file: &std::sync::Arc<crate::diagnostics::SourceFile>, body: &str| {
        if !markdown::may_link_within(body) {
            return;
        }
        for link in markdown::render(body, &placement).internal_links {
            // A link to a case that is not published is shown as text, with a warning.
            if markdown::case_link_id(&link).is_some() {
                continue;
            }
            let normalized = if link.ends_with('/') || link.contains('.') {
                link.clone()
            } else {
                format!("{link}/")
            };
            if !known.contains(&normalized) {
                let file = &file.reread();
                let offset = file
                    .text
                    .find(&format!("]({link}"))
                    .map(|i| i + 2)
                    .unwrap_or(0);
                problems.push(
                    Problem::error(format!("broken link to `{link}`"))
                        .at(file, offset..offset + link.len())
                        .label("no page has this address")
                        .help("internal links are site paths such as /how-to-submit/ or /cases/2024-007/ (published cases only)"),
                );
            }
        }
    };
    for page in &prepared.guidance {
        for version in page.versions.values() {
            check(&version.file, &version.body);
        }
    }
    for summary in &prepared.linked_summaries {
        for text in &summary.texts {
            check(&summary.file, text);
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems)
    }
}
