//! Warnings about Markdown that would be published differently from what its author expects:
//! HTML comments (removed), other raw HTML (shown as text), relative links, links to a
//! `#fragment` no heading has, and links to cases that are not published (shown as plain
//! text, so that hiding a case never waits for the guidance that mentions it).
//!
//! Warnings only: none of these stops a build.

use std::collections::{BTreeMap, HashSet};
use std::ops::Range;
use std::sync::Arc;

use rayon::prelude::*;

use crate::content::GuidancePage;
use crate::diagnostics::{Problem, Problems, SourceFile};
use crate::markdown::{self, Surprise, SurpriseKind};
use crate::model::ids::LangCode;
use crate::public::PublicSite;

/// Every guidance page and every published case summary, checked.
pub(crate) fn check(
    guidance: &[GuidancePage],
    cases: &[crate::model::Record<crate::model::case::Case>],
    site: &PublicSite,
) -> Problems {
    let mut problems = Problems::default();
    let public: HashSet<&str> = site.cases.iter().map(|c| c.id.as_str()).collect();
    let headings = guidance_headings(guidance);
    for page in guidance {
        for (lang, version) in &page.versions {
            let offset = version.file.text.len() - version.body.len();
            let context = Context {
                file: &version.file,
                offset,
                lang,
                public: &public,
                headings: &headings,
                default_lang: &site.default_lang,
            };
            context.check(&version.body, &mut problems);
        }
    }
    // Every published summary: in parallel, as `serve` runs this on each edit.
    let per_case: Vec<Problems> = cases
        .par_iter()
        .filter(|record| public.contains(record.value.id.get_ref().as_str()))
        .map(|record| {
            let mut problems = Problems::default();
            let summary = &record.value.summary;
            for (lang, text) in summary.get_ref().entries(&site.default_lang) {
                if !may_surprise(text) {
                    continue;
                }
                let check = |file: &Arc<SourceFile>, problems: &mut Problems| {
                    // The text as written in the file, if it can be found there (a literal
                    // string), else the `summary` field.
                    let offset = file.text.find(text).unwrap_or(summary.span().start);
                    let context = Context {
                        file,
                        offset,
                        lang,
                        public: &public,
                        headings: &headings,
                        default_lang: &site.default_lang,
                    };
                    context.check(text, problems);
                };
                let mut found = Problems::default();
                check(&record.file, &mut found);
                if !found.is_empty() && record.file.is_released() {
                    // Positions are counted in the file's text: read again for the few
                    // summaries with something to tell.
                    found = Problems::default();
                    check(&record.file.reread(), &mut found);
                }
                problems.extend(found);
            }
            problems
        })
        .collect();
    for case_problems in per_case {
        problems.extend(case_problems);
    }
    problems
}

/// Whether `markdown` may hold anything this module warns about: every one is HTML (`<`) or a
/// link (`]`); the many summaries with neither need not be parsed.
fn may_surprise(markdown: &str) -> bool {
    // Bytes, not characters: `serve` asks this of every published summary on each edit.
    memchr::memchr2(b'<', b']', markdown.as_bytes()).is_some()
}

/// The heading ids of every guidance page, by path and language.
type Headings = BTreeMap<(String, LangCode), HashSet<String>>;

fn guidance_headings(guidance: &[GuidancePage]) -> Headings {
    let placement = markdown::Placement {
        root: "/",
        heading_offset: 0,
        anchor_label: "",
    };
    let mut out = Headings::new();
    for page in guidance {
        for (lang, version) in &page.versions {
            let ids = markdown::render(&version.body, &placement)
                .headings
                .into_iter()
                .map(|(_, id, _)| id)
                .collect();
            out.insert((format!("/{}/", page.slug), lang.clone()), ids);
        }
    }
    out
}

struct Context<'a> {
    file: &'a Arc<SourceFile>,
    /// Where the Markdown text starts in the file.
    offset: usize,
    lang: &'a LangCode,
    public: &'a HashSet<&'a str>,
    headings: &'a Headings,
    default_lang: &'a LangCode,
}

impl Context<'_> {
    fn at(&self, range: &Range<usize>) -> Range<usize> {
        range.start + self.offset..range.end + self.offset
    }

    fn check(&self, body: &str, problems: &mut Problems) {
        let (surprises, elsewhere) = markdown::surprises(body);
        for Surprise { range, kind } in surprises {
            problems.push(surprise_problem(kind).at(self.file, self.at(&range)));
        }
        for (range, path, fragment) in elsewhere {
            let known = self
                .headings
                .get(&(path.clone(), self.lang.clone()))
                .or_else(|| {
                    self.headings
                        .get(&(path.clone(), self.default_lang.clone()))
                });
            if known.is_some_and(|ids| !ids.contains(&fragment)) {
                problems.push(
                    Problem::warning(format!("`{path}` has no section `#{fragment}`"))
                        .at(self.file, self.at(&range))
                        .label("no heading with this anchor")
                        .help("anchors are made from heading text: check the heading on that page"),
                );
            }
        }
        for (range, id) in case_links(body) {
            if !self.public.contains(id.as_str()) {
                problems.push(
                    Problem::warning(format!(
                        "link to case `{id}`, which is not published: shown as plain text"
                    ))
                    .at(self.file, self.at(&range))
                    .label("case not published")
                    .help("remove the link, or publish the case; the text of the link stays on the page"),
                );
            }
        }
    }
}

fn surprise_problem(kind: SurpriseKind) -> Problem {
    match kind {
        SurpriseKind::Comment => Problem::warning("HTML comment removed from the page")
            .label("not published")
            .help("comments are notes to colleagues and are never published; keep such notes out of content/ to be sure"),
        SurpriseKind::RawHtml(html) => Problem::warning(format!(
            "raw HTML `{}` is shown as text",
            shorten(&html)
        ))
        .label("shown as text, not as HTML")
        .help("write it in Markdown instead: HTML is never executed"),
        SurpriseKind::RelativeLink(dest) => Problem::warning(format!(
            "relative link `{dest}`: internal links start with /"
        ))
        .label("relative to the page, breaks in other languages")
        .help("write the site path, for example /how-to-submit/"),
        SurpriseKind::MissingFragment(dest) => {
            Problem::warning(format!("no section `{dest}` on this page"))
                .label("no heading with this anchor")
                .help("anchors are made from heading text: check the spelling")
        }
    }
}

fn shorten(text: &str) -> String {
    let first = text.lines().next().unwrap_or("");
    if first.chars().count() > 40 {
        format!("{}…", first.chars().take(40).collect::<String>())
    } else {
        first.to_owned()
    }
}

/// Every link to a case page, with its range and the case id.
fn case_links(body: &str) -> Vec<(Range<usize>, String)> {
    use pulldown_cmark::{Event, Parser, Tag};
    Parser::new_ext(body, markdown::options())
        .into_offset_iter()
        .filter_map(|(event, range)| match event {
            Event::Start(Tag::Link { dest_url, .. }) => {
                markdown::case_link_id(&dest_url).map(|id| (range, id.to_owned()))
            }
            _ => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_text_with_something_to_warn_about_is_parsed() {
        let warned = [
            "Before <!-- a note --> after.",
            "A <b>bold</b> claim.",
            "See [the safety page](safety/).",
            "See [below](#nowhere).",
            "See [the case](/cases/2024-001/).",
            "See [the case][c].\n\n[c]: /cases/2024-001/",
        ];
        for text in warned {
            let (surprises, _) = markdown::surprises(text);
            assert!(
                !surprises.is_empty() || !case_links(text).is_empty(),
                "{text}"
            );
            assert!(may_surprise(text), "{text}");
        }
        // Emphasis, lists, headings and plain punctuation hold nothing to warn about.
        let plain = "# Heading\n\n*Fictional* sample: 1. one; 2) two - (three) & four.";
        assert!(!may_surprise(plain));
        assert!(markdown::surprises(plain).0.is_empty());
    }
}
