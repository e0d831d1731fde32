//! The build, stage by stage: load -> validate -> project -> plan -> render -> scan -> write.
//! `build`, `check` and `serve` all run these same functions.

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use rayon::prelude::*;
use serde::Serialize;
use tera::Context;

use crate::content::{self, GuidancePage};
use crate::diagnostics::{Problem, Problems};
use crate::leak_scan::{Leak, LeakScanner};
use crate::load::{self, Inputs};
use crate::markdown;
use crate::model::date::Date;
use crate::model::ids::LangCode;
use crate::output::{Sink, Staging};
use crate::project::{self, Projection};
use crate::render::jobs::{self, Job};
use crate::render::pages;
use crate::render::views::Text;
use crate::render::{RenderSite, Renderer};
use crate::theme::{self, Theme};
use crate::validate;

/// Why a build did not produce a site.
#[derive(Debug)]
pub enum BuildError {
    /// The input has errors: nothing was rendered.
    Input(Problems),
    /// A withheld value was found in the output: nothing was published.
    Leak(Vec<Leak>),
    /// Reading or writing files failed.
    Io(String),
}

/// Everything read and checked, ready to render. `serve` keeps one of these between edits.
pub struct Prepared {
    pub inputs: Inputs,
    pub build_date: Date,
    pub projection: Projection,
    pub guidance: Vec<GuidancePage>,
    pub theme: Theme,
    /// Warnings found on the way (errors stop before a `Prepared` exists).
    pub warnings: Problems,
}

/// What a finished build reports.
#[derive(Debug, Default)]
pub struct Summary {
    pub build_date: Option<Date>,
    pub pages: usize,
    pub files: usize,
    pub bytes: u64,
    pub cases: usize,
    pub languages: usize,
    pub warnings: Problems,
    pub withheld_checked: usize,
    pub elapsed: Duration,
}

/// Where the build date comes from, in order: the command line, `site.toml`, today in UTC.
pub fn resolve_build_date(flag: Option<Date>, inputs: &Inputs) -> Date {
    flag.or(inputs.config.value.build_date)
        .unwrap_or_else(Date::today_utc)
}

pub fn prepare(root: &Path, build_date: Option<Date>) -> Result<Prepared, Problems> {
    let (inputs, mut problems) = load::load(root);
    let Some(inputs) = inputs else {
        return Err(problems);
    };
    problems.extend(validate::validate(&inputs));
    let languages = inputs.config.value.languages();
    let guidance = content::parse_pages(&inputs.content, &languages, &mut problems);
    let theme = theme::load(root, &inputs.config.value.theme, &languages, &mut problems);
    if problems.has_errors() {
        return Err(problems);
    }
    let build_date = resolve_build_date(build_date, &inputs);
    let projection = project::project(&inputs, build_date);
    problems.extend(crate::lint::personal_data(
        &inputs,
        build_date,
        &inputs.config.value.lint.allow,
    ));
    problems.extend(crate::lint::third_party_assets(&theme, &guidance));
    if problems.has_errors() {
        return Err(problems);
    }
    Ok(Prepared {
        inputs,
        build_date,
        projection,
        guidance,
        theme,
        warnings: problems,
    })
}

/// Renders and writes a full site into `sink`, scanning every file before it is written.
pub fn render_all(prepared: &Prepared, sink: &dyn Sink) -> Result<Summary, BuildError> {
    let started = Instant::now();
    let site = render_site(prepared);
    let renderer =
        Renderer::new(&prepared.theme, globals(prepared, &site)).map_err(BuildError::Input)?;
    let job_list = jobs::plan(&site);
    check_links(prepared, &site, &job_list).map_err(BuildError::Input)?;

    let scanner = LeakScanner::new(&prepared.projection.withheld);
    let bytes = AtomicU64::new(0);
    let files = AtomicUsize::new(0);
    let leaks = std::sync::Mutex::new(Vec::new());
    let emit = |path: &str, data: &[u8]| -> Result<(), BuildError> {
        let found = scanner.scan(path, data);
        if !found.is_empty() {
            leaks.lock().expect("lock").extend(found);
            return Ok(());
        }
        bytes.fetch_add(data.len() as u64, Ordering::Relaxed);
        files.fetch_add(1, Ordering::Relaxed);
        sink.write(path, data)
            .map_err(|e| BuildError::Io(format!("cannot write {path}: {e}")))
    };

    let render_errors: Vec<Problem> = job_list
        .par_iter()
        .filter_map(|job| {
            let result = pages::context(job, &site).and_then(|(template, ctx)| {
                renderer.render(&site.langs[job.lang].code, template, &ctx)
            });
            match result {
                Ok(html) => emit(&job.output_path(&site), &html)
                    .err()
                    .map(|e| Problem::error(format!("{e:?}"))),
                Err(problem) => Some(problem),
            }
        })
        .collect();
    if !render_errors.is_empty() {
        return Err(BuildError::Input(dedupe(render_errors)));
    }
    for output in crate::generate::all(prepared, &site).map_err(BuildError::Input)? {
        emit(&output.path, &output.bytes)?;
    }
    let leaks = leaks.into_inner().expect("lock");
    if !leaks.is_empty() {
        return Err(BuildError::Leak(leaks));
    }
    Ok(Summary {
        build_date: Some(prepared.build_date),
        pages: job_list.len(),
        files: files.load(Ordering::Relaxed),
        bytes: bytes.load(Ordering::Relaxed),
        cases: prepared.projection.site.cases.len(),
        languages: site.langs.len(),
        warnings: prepared.warnings.clone(),
        withheld_checked: scanner.checked,
        elapsed: started.elapsed(),
    })
}

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
        config.safety.exit_url.clone(),
        config.safety.onion_location.clone(),
        base_path,
    )
}

#[derive(Serialize)]
struct NavItem {
    path: String,
    section: String,
    title: Text,
}

#[derive(Serialize)]
struct Assets<'a> {
    css: &'a str,
    js: &'a str,
    search_js: &'a str,
}

/// What every page of one language shares: strings, site title, navigation, assets.
fn globals(prepared: &Prepared, site: &RenderSite) -> BTreeMap<LangCode, Context> {
    let theme = &prepared.theme;
    site.langs
        .iter()
        .enumerate()
        .map(|(i, lang)| {
            let view = crate::render::views::View::new(site, i, "");
            let mut ctx = Context::new();
            ctx.insert("lang", lang.code.as_str());
            ctx.insert("dir", lang.dir);
            ctx.insert("t", &lang.strings.texts());
            ctx.insert("site_title", &view.text(&site.public.title));
            ctx.insert(
                "site_description",
                &site.public.description.as_ref().map(|d| view.text(d)),
            );
            let nav: Vec<NavItem> = site
                .guidance
                .iter()
                .filter(|g| {
                    !g.version(&lang.code, &site.public.default_lang)
                        .0
                        .front
                        .hidden
                })
                .map(|g| {
                    let (version, real_lang, fallback) =
                        g.version(&lang.code, &site.public.default_lang);
                    NavItem {
                        path: format!("{}/", g.slug),
                        section: g.slug.clone(),
                        title: Text {
                            text: version
                                .front
                                .nav_title
                                .clone()
                                .unwrap_or_else(|| version.front.title.clone()),
                            lang: real_lang.to_string(),
                            dir: site.dir_of(real_lang.as_str()),
                            fallback,
                        },
                    }
                })
                .collect();
            ctx.insert("nav", &nav);
            ctx.insert(
                "assets",
                &Assets {
                    css: theme.asset_path("site.css").unwrap_or(""),
                    js: theme.asset_path("site.js").unwrap_or(""),
                    search_js: theme.asset_path("search.js").unwrap_or(""),
                },
            );
            ctx.insert("exit_url", &site.exit_url);
            ctx.insert("onion_location", &site.onion_location);
            ctx.insert("build_date", &view.date(prepared.build_date));
            ctx.insert("build_date_iso", &prepared.build_date.to_string());
            (lang.code.clone(), ctx)
        })
        .collect()
}

/// Every `/path/` a guidance page or a summary links to must be a page of this build.
fn check_links(prepared: &Prepared, site: &RenderSite, job_list: &[Job]) -> Result<(), Problems> {
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
        if !body.contains("](/") && !body.contains("]: /") {
            return;
        }
        for link in markdown::render(body, &placement).internal_links {
            let normalized = if link.ends_with('/') || link.contains('.') {
                link.clone()
            } else {
                format!("{link}/")
            };
            if !known.contains(&normalized) {
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
    for record in &prepared.inputs.cases {
        if project::case_is_public(&record.value) {
            for text in record.value.summary.get_ref().texts() {
                check(&record.file, text);
            }
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems)
    }
}

/// `build`: prepare, render into a staging folder, swap it in only if everything succeeded.
pub fn build(root: &Path, output: &Path, build_date: Option<Date>) -> Result<Summary, BuildError> {
    let started = Instant::now();
    let prepared = prepare(root, build_date).map_err(BuildError::Input)?;
    let staging = Staging::new(output).map_err(|e| {
        BuildError::Io(format!(
            "cannot create a folder beside {}: {e}",
            output.display()
        ))
    })?;
    match render_all(&prepared, &staging) {
        Ok(mut summary) => {
            staging
                .commit()
                .map_err(|e| BuildError::Io(format!("cannot replace {}: {e}", output.display())))?;
            summary.elapsed = started.elapsed();
            Ok(summary)
        }
        Err(err) => {
            staging.abandon();
            Err(err)
        }
    }
}

/// The output folder when none is given: `public/` in the site root.
pub fn default_output(root: &Path) -> PathBuf {
    root.join("public")
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
