//! The build, stage by stage: load -> validate -> project -> plan -> render -> scan -> write.
//! `build`, `check` and `serve` all run these same functions: `prepare` (or `prepare_loaded`
//! for inputs already in memory), then `renderer` and `plan`, then `render_jobs` for the pages
//! and `emit_generated` for every other file, each through a `ScanningSink`.

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
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

impl BuildError {
    /// What went wrong, as people read it: each problem with its file, line, caret and help
    /// (or each leak, or the I/O error), then the headline. `serve` shows this in the browser.
    pub fn render(&self, color: bool) -> String {
        format!("{}{}\n", self.details(color), self.headline())
    }

    /// Every problem or leak, one after the other.
    pub fn details(&self, color: bool) -> String {
        match self {
            BuildError::Input(problems) => problems
                .clone()
                .into_iter()
                .map(|problem| problem.render(color))
                .collect(),
            BuildError::Leak(leaks) => leaks
                .iter()
                .map(|leak| format!("{}\n", leak.describe()))
                .collect(),
            BuildError::Io(message) => format!("error: {message}\n"),
        }
    }

    /// One line: how many problems, or that a leak was found.
    pub fn headline(&self) -> String {
        match self {
            BuildError::Input(problems) => format!(
                "{} error(s), {} warning(s)",
                problems.error_count(),
                problems.warning_count()
            ),
            BuildError::Leak(leaks) => format!(
                "the leak scan found {} withheld value(s) in the output",
                leaks.len()
            ),
            BuildError::Io(_) => "files could not be read or written".to_owned(),
        }
    }
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

/// How long stages report how far they got; `main` draws a progress bar from it.
pub trait Progress: Sync {
    /// `total` units of work are about to start (pages to render).
    fn start(&self, total: usize);
    /// `n` more units are done.
    fn advance(&self, n: usize);
    fn finish(&self);
}

/// For callers that show no progress (`check`, tests, small rebuilds).
pub struct NoProgress;

impl Progress for NoProgress {
    fn start(&self, _: usize) {}
    fn advance(&self, _: usize) {}
    fn finish(&self) {}
}

/// Where the build date comes from, in order: the command line, `site.toml`, today in UTC.
pub fn resolve_build_date(flag: Option<Date>, inputs: &Inputs) -> Date {
    flag.or(inputs.config.value.build_date)
        .unwrap_or_else(Date::today_utc)
}

/// Reads, checks and projects the site in `root`.
pub fn prepare(root: &Path, build_date: Option<Date>) -> Result<Prepared, Problems> {
    let (inputs, mut problems) = load::load(root);
    let Some(inputs) = inputs else {
        return Err(problems);
    };
    let theme = load_theme(&inputs, &mut problems);
    prepare_loaded(inputs, theme, build_date, problems).map_err(|rejected| rejected.problems)
}

/// The theme named in `site.toml`, with strings for its languages.
pub fn load_theme(inputs: &Inputs, problems: &mut Problems) -> Theme {
    let config = &inputs.config.value;
    theme::load(&inputs.root, &config.theme, &config.languages(), problems)
}

/// Inputs that did not pass the checks, handed back with the problems so `serve` can keep
/// them and apply the next edit.
pub struct Rejected {
    pub inputs: Inputs,
    pub theme: Theme,
    pub problems: Problems,
}

/// Checks and projects inputs already read; `problems` holds what reading them found.
pub fn prepare_loaded(
    inputs: Inputs,
    theme: Theme,
    build_date: Option<Date>,
    mut problems: Problems,
) -> Result<Prepared, Box<Rejected>> {
    problems.extend(validate::validate(&inputs));
    let languages = inputs.config.value.languages();
    let guidance = content::parse_pages(&inputs.content, &languages, &mut problems);
    if problems.has_errors() {
        return Err(Box::new(Rejected {
            inputs,
            theme,
            problems,
        }));
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
        return Err(Box::new(Rejected {
            inputs,
            theme,
            problems,
        }));
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

impl Prepared {
    /// Gives back what was read from disk, for the next incremental rebuild.
    pub fn into_sources(self) -> (Inputs, Theme) {
        (self.inputs, self.theme)
    }
}

/// Every output file passes through here: it is searched for withheld values and written only
/// if clean. Counts what was written.
pub struct ScanningSink<'a> {
    scanner: &'a LeakScanner,
    inner: &'a dyn Sink,
    leaks: Mutex<Vec<Leak>>,
    bytes: AtomicU64,
    files: AtomicUsize,
    failed: Mutex<Option<String>>,
}

/// What a `ScanningSink` wrote.
#[derive(Clone, Copy, Debug, Default)]
pub struct Written {
    pub files: usize,
    pub bytes: u64,
}

impl<'a> ScanningSink<'a> {
    pub fn new(scanner: &'a LeakScanner, inner: &'a dyn Sink) -> Self {
        ScanningSink {
            scanner,
            inner,
            leaks: Mutex::new(Vec::new()),
            bytes: AtomicU64::new(0),
            files: AtomicUsize::new(0),
            failed: Mutex::new(None),
        }
    }

    /// The first write error, else every leak found, else what was written.
    pub fn finish(self) -> Result<Written, BuildError> {
        if let Some(message) = self.failed.into_inner().expect("lock") {
            return Err(BuildError::Io(message));
        }
        let leaks = self.leaks.into_inner().expect("lock");
        if !leaks.is_empty() {
            return Err(BuildError::Leak(leaks));
        }
        Ok(Written {
            files: self.files.load(Ordering::Relaxed),
            bytes: self.bytes.load(Ordering::Relaxed),
        })
    }
}

impl Sink for ScanningSink<'_> {
    fn write(&self, path: &str, data: &[u8]) -> std::io::Result<()> {
        let found = self.scanner.scan(path, data);
        if !found.is_empty() {
            self.leaks.lock().expect("lock").extend(found);
            return Ok(());
        }
        self.bytes.fetch_add(data.len() as u64, Ordering::Relaxed);
        self.files.fetch_add(1, Ordering::Relaxed);
        self.inner.write(path, data).inspect_err(|e| {
            self.failed
                .lock()
                .expect("lock")
                .get_or_insert_with(|| format!("cannot write {path}: {e}"));
        })
    }
}

/// The Tera instances of a build: one per language, holding that language's globals.
pub fn renderer(prepared: &Prepared, site: &RenderSite) -> Result<Renderer, Problems> {
    Renderer::new(&prepared.theme, globals(prepared, site))
}

/// Every page of the site, after checking that every internal link in the input has a page.
pub fn plan(prepared: &Prepared, site: &RenderSite) -> Result<Vec<Job>, Problems> {
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
    let render_errors: Vec<Problem> = job_list
        .par_iter()
        .filter_map(|job| {
            let result = pages::context(job, site).and_then(|(template, ctx)| {
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
    crate::generate::all(prepared, site)
        .map_err(BuildError::Input)?
        .par_iter()
        .try_for_each(|output| {
            sink.write(&output.path, &output.bytes)
                .map_err(|e| BuildError::Io(format!("cannot write {}: {e}", output.path)))
        })
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
    let job_list = plan(prepared, &site).map_err(BuildError::Input)?;
    let scanner = LeakScanner::new(&prepared.projection.withheld);
    let scanning = ScanningSink::new(&scanner, sink);
    progress.start(job_list.len());
    let all: Vec<&Job> = job_list.iter().collect();
    let rendered = render_jobs(&site, &renderer, &all, &scanning, progress);
    progress.finish();
    rendered?;
    emit_generated(prepared, &site, &scanning)?;
    let written = scanning.finish()?;
    Ok(Summary {
        build_date: Some(prepared.build_date),
        pages: job_list.len(),
        files: written.files,
        bytes: written.bytes,
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
        config.safety.exit_url.to_string(),
        config.safety.onion_location.as_ref().map(|u| u.to_string()),
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
    build_with(root, output, build_date, &NoProgress)
}

/// `build`, reporting progress page by page.
pub fn build_with(
    root: &Path,
    output: &Path,
    build_date: Option<Date>,
    progress: &dyn Progress,
) -> Result<Summary, BuildError> {
    let started = Instant::now();
    let prepared = prepare(root, build_date).map_err(BuildError::Input)?;
    let staging = Staging::new(output).map_err(|e| {
        BuildError::Io(format!(
            "cannot create a folder beside {}: {e}",
            output.display()
        ))
    })?;
    match render_all_with(&prepared, &staging, progress) {
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
