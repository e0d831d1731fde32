//! Pages and generated files, rendered in parallel and sent to a sink.

use std::collections::BTreeMap;
use std::time::Instant;

use rayon::prelude::*;

use crate::diagnostics::{Problem, Problems};
use crate::leak_scan::LeakScanner;
use crate::output::Sink;
use crate::render::{CaseRows, Renderer, pages};
use crate::site::RenderSite;
use crate::site::jobs::{self, Job};

use super::globals::renderer;
use super::links::check_links;
use super::{BuildError, NoProgress, Prepared, Progress, ScanningSink, Summary};

/// Every page of the site, after checking that every internal link in the input has a page.
pub fn checked_jobs(prepared: &Prepared, site: &RenderSite) -> Result<Vec<Job>, Problems> {
    let job_list = jobs::plan(site);
    check_links(prepared, site, &job_list)?;
    Ok(job_list)
}

/// Renders `jobs` in parallel and sends each page to `sink`. A template error repeated on many
/// pages is reported once.
pub fn render_jobs(
    site: &RenderSite,
    renderer: &Renderer,
    job_list: &[&Job],
    sink: &dyn Sink,
    progress: &dyn Progress,
) -> Result<(), BuildError> {
    let rows = CaseRows::new(renderer);
    let render_errors: Vec<Problem> = job_list
        .par_iter()
        .filter_map(|job| {
            let result = pages::context(job, site, &rows).and_then(|(template, ctx)| {
                renderer.render(&site.langs[job.lang].code, template, &ctx)
            });
            progress.advance(1);
            match result {
                Ok(html) => sink
                    .write(&job.output_path(site), &html)
                    .err()
                    .map(|e| Problem::error(e.to_string())),
                Err(problem) => Some(problem),
            }
        })
        .collect();
    if render_errors.is_empty() {
        Ok(())
    } else {
        Err(BuildError::Input(dedupe(render_errors)))
    }
}

/// Every file that is not a page (assets, documents, and the generators' outputs), to `sink`.
pub fn emit_generated(
    prepared: &Prepared,
    site: &RenderSite,
    sink: &dyn Sink,
) -> Result<(), BuildError> {
    // In parallel: the sink leak-scans each file as it writes it, and a site has hundreds of
    // index shards and report files besides the large data files.
    let write_all = |outputs: &[crate::output::Output]| {
        outputs.par_iter().try_for_each(|output| {
            sink.write(&output.path, &output.bytes)
                .map_err(|e| BuildError::Io(format!("cannot write {}: {e}", output.path)))
        })
    };
    let mut copied = crate::generate::copied_files(&prepared.theme, &prepared.inputs.root, site)
        .map_err(BuildError::Input)?;
    // Netlify, Cloudflare Pages and similar hosts read their response headers from this file.
    let headers = crate::deploy::SecurityHeaders::from_config(&prepared.inputs.config.value);
    copied.push(crate::output::Output {
        path: "_headers".to_owned(),
        bytes: crate::deploy::headers_file(&headers).into_bytes(),
    });
    write_all(&copied)?;
    let lanes = || {
        crate::generate::GENERATORS.par_iter().try_for_each(|lane| {
            lane.iter()
                .try_for_each(|generate| write_all(&generate(site)))
        })
    };
    let streamed = || {
        crate::generate::streamed(site).iter().try_for_each(|file| {
            sink.write_streamed(&file.path, &mut |out| (file.write)(out))
                .map_err(|e| BuildError::Io(format!("cannot write {}: {e}", file.path)))
        })
    };
    let (lanes, streamed) = rayon::join(lanes, streamed);
    lanes.and(streamed)
}

/// Renders and writes a full site into `sink`, scanning every file before it is written.
pub fn render_all(prepared: &Prepared, sink: &dyn Sink) -> Result<Summary, BuildError> {
    render_all_with(prepared, sink, &NoProgress)
}

/// `render_all`, reporting progress page by page.
pub fn render_all_with(
    prepared: &Prepared,
    sink: &dyn Sink,
    progress: &dyn Progress,
) -> Result<Summary, BuildError> {
    let started = Instant::now();
    let site = render_site(prepared);
    let renderer = renderer(prepared, &site).map_err(BuildError::Input)?;
    let job_list = checked_jobs(prepared, &site).map_err(BuildError::Input)?;
    let scanner = LeakScanner::new(
        &prepared.projection.withheld,
        &prepared.projection.site.published_texts(),
    );
    let scanning = ScanningSink::new(&scanner, sink);
    progress.start(job_list.len());
    let all: Vec<&Job> = job_list.iter().collect();
    let rendered = render_jobs(&site, &renderer, &all, &scanning, progress);
    progress.finish();
    rendered?;
    emit_generated(prepared, &site, &scanning)?;
    let written = scanning.finish().map_err(|err| match err {
        BuildError::Leak(mut leaks) => {
            crate::leak_report::note_published_twins(
                &mut leaks,
                &prepared.projection.withheld,
                &prepared.projection.site.cases,
            );
            BuildError::Leak(leaks)
        }
        other => other,
    })?;
    Ok(Summary {
        build_date: Some(prepared.build_date),
        pages: job_list.len(),
        files: written.files,
        bytes: written.bytes,
        cases: prepared.projection.site.cases.len(),
        languages: site.langs.len(),
        warnings: prepared.warnings.clone(),
        quarantine: prepared.quarantine.clone(),
        withheld_checked: scanner.checked,
        elapsed: started.elapsed(),
        unchanged: false,
    })
}

/// The site as templates and generators see it, made from a prepared build.
pub fn render_site(prepared: &Prepared) -> RenderSite<'_> {
    let config = &prepared.inputs.config.value;
    let base_path = config
        .base_url()
        .split_once("://")
        .and_then(|(_, rest)| rest.find('/').map(|i| rest[i..].to_owned()))
        .unwrap_or_else(|| "/".to_owned());
    RenderSite::new(
        &prepared.projection.site,
        &prepared.guidance,
        &prepared.theme.strings,
        config.cases.per_page,
        config.safety.exit_url.to_string(),
        config.safety.onion_location.as_ref().map(|u| u.to_string()),
        base_path,
    )
}

/// A template error repeats on every page that uses the template: report it once, with a count.
fn dedupe(errors: Vec<Problem>) -> Problems {
    let mut seen: BTreeMap<String, (Problem, usize)> = BTreeMap::new();
    for problem in errors {
        seen.entry(problem.message.clone())
            .or_insert((problem, 0))
            .1 += 1;
    }
    let mut problems = Problems::default();
    for (_, (mut problem, count)) in seen {
        if count > 1 {
            problem
                .message
                .push_str(&format!("\n(the same error on {} more pages)", count - 1));
        }
        problems.push(problem);
    }
    problems
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use crate::model::date::Date;
    use crate::output::Memory;
    use crate::site::listing::SortKey;
    use crate::site::routes::{self, Route};

    /// Every address a `Route` can name for this site's data, in one language.
    fn every_route(site: &crate::site::RenderSite) -> Vec<Route> {
        let public = site.public;
        let mut all: Vec<Route> = routes::main_nav().into_iter().map(|e| e.route).collect();
        all.extend([Route::Feed, Route::Reports, Route::SubmissionForm]);
        for (i, c) in public.committees.iter().enumerate() {
            all.push(Route::committee(&c.code));
            all.push(Route::CommitteeFeed {
                slug: c.code.slug(),
            });
            for period in site.reports.periods(public, i) {
                all.push(Route::Report {
                    slug: c.code.slug(),
                    year: period.year,
                });
            }
        }
        all.extend(site.guidance.iter().map(|g| Route::Guidance {
            slug: g.slug.clone(),
        }));
        all.extend(public.cases.iter().map(|c| Route::case(&c.id)));
        all.extend(
            SortKey::ALL
                .iter()
                .map(|&sort| Route::Cases { sort, page: 1 }),
        );
        for group in &site.listings.facets {
            all.extend(
                group
                    .values
                    .iter()
                    .map(|v| Route::browse(group.facet, &v.key)),
            );
        }
        all
    }

    #[test]
    fn every_route_renders_to_a_page_that_exists() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/minimal");
        let date = Date::parse("2024-06-15").unwrap();
        let prepared = super::super::prepare(&root, Some(date)).expect("the fixture builds");
        let memory = Memory::default();
        super::render_all(&prepared, &memory).expect("the fixture renders");
        let files = memory.files.into_inner().unwrap();
        let site = super::render_site(&prepared);
        let routes = every_route(&site);
        assert!(routes.iter().any(|r| matches!(r, Route::Case { .. })));
        for lang in &site.langs {
            for route in &routes {
                let path = route.path();
                let file = if path.ends_with(".xml") {
                    format!("{}{path}", lang.prefix)
                } else {
                    format!("{}{path}index.html", lang.prefix)
                };
                assert!(files.contains_key(&file), "{route:?} has no page: {file}");
            }
        }
    }
}
