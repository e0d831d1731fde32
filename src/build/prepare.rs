//! Read, check and project: everything before the first page is drawn.

use std::collections::HashSet;
use std::path::Path;
use std::sync::Arc;

use rayon::prelude::*;

use crate::content::{self, GuidancePage};
use crate::diagnostics::{Problems, SourceFile};
use crate::load::{self, Inputs};
use crate::memo::FileMemo;
use crate::model::date::Date;
use crate::project::{self, Projection, Quarantine};
use crate::theme::{self, Theme};
use crate::validate;

/// Everything read and checked, ready to render. `serve` keeps one of these between edits.
pub struct Prepared {
    /// Every record as read, with its source file.
    pub inputs: Inputs,
    /// The day treated as today.
    pub build_date: Date,
    /// The public site and what was kept back from it.
    pub projection: Projection,
    /// Guidance pages, parsed.
    pub guidance: Vec<GuidancePage>,
    /// Templates, styles, scripts and interface strings.
    pub theme: Theme,
    /// Warnings found on the way (errors stop before a `Prepared` exists).
    pub warnings: Problems,
    /// Case and focal-point records withheld because of their errors, with those errors.
    pub quarantine: Quarantine,
    /// The summaries of published cases that link within the site, kept for the check that
    /// every such link has a page (`build::links`) once the records themselves are released.
    pub linked_summaries: Vec<LinkedSummary>,
}

/// A published case's summary that holds an internal link, with its file for messages.
pub struct LinkedSummary {
    /// The case file.
    pub file: Arc<SourceFile>,
    /// The summary in each of its languages.
    pub texts: Vec<String>,
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
    /// What could be read, so later runs can reuse it.
    pub inputs: Inputs,
    /// The theme, as far as it loaded.
    pub theme: Theme,
    /// Every problem found, all at once.
    pub problems: Problems,
}

/// Checks and projects inputs already read; `problems` holds what reading them found.
pub fn prepare_loaded(
    inputs: Inputs,
    theme: Theme,
    build_date: Option<Date>,
    problems: Problems,
) -> Result<Prepared, Box<Rejected>> {
    prepare_loaded_for(
        inputs,
        theme,
        build_date,
        problems,
        project::gates::Audience::Public,
        Keep::Everything,
    )
}

/// What `serve` keeps of the checks and the projection from one rebuild to the next, so that
/// an edit checks and projects again only what it changed (see `FileMemo`).
#[derive(Default)]
pub(crate) struct KeptChecks {
    /// What the personal-data lint found in each case file.
    personal_data: FileMemo<Vec<crate::diagnostics::Problem>>,
    /// What `validate` found in each case file.
    references: FileMemo<Problems>,
    /// What `complete` found in each case file.
    completeness: FileMemo<Problems>,
    /// What the review gate and the date rules found in each case file.
    review: FileMemo<Problems>,
    /// The public projection of each published case.
    public_cases: project::KeptProjection,
}

/// What preparing keeps of the files it read.
pub(crate) enum Keep<'a> {
    /// Everything, as read (a build that runs once read its case files with
    /// `load::Texts::Release`, so it holds their records without their texts).
    Everything,
    /// Everything, for `serve`'s next rebuild, with what the checks found at the last one, so
    /// that only records an edit changed are checked again.
    ForNextRun(&'a mut KeptChecks),
}

/// `prepare_loaded` for `audience`: `serve --drafts` previews drafts, nothing else does.
pub(crate) fn prepare_loaded_for(
    inputs: Inputs,
    theme: Theme,
    build_date: Option<Date>,
    mut problems: Problems,
    audience: project::gates::Audience,
    keep: Keep,
) -> Result<Prepared, Box<Rejected>> {
    let (lint_memo, references, completeness, review, public_cases) = match keep {
        Keep::ForNextRun(kept) => (
            Some(&mut kept.personal_data),
            Some(&mut kept.references),
            Some(&mut kept.completeness),
            Some(&mut kept.review),
            Some(&mut kept.public_cases),
        ),
        Keep::Everything => (None, None, None, None, None),
    };
    let build_date = resolve_build_date(build_date, &inputs);
    // No check reads what another found, so they run side by side; their problems are told
    // in the same order whichever finishes first.
    let ((checks, complete), (review, personal_data)) = rayon::join(
        || {
            rayon::join(
                || validate::validate(&inputs, references),
                || crate::complete::check(&inputs, completeness),
            )
        },
        || {
            rayon::join(
                || project::gates::review_problems(&inputs, build_date, review),
                || {
                    let allow = &inputs.config.value.lint.allow;
                    crate::lint::personal_data(&inputs, build_date, allow, lint_memo)
                },
            )
        },
    );
    problems.extend(crate::follow_on::without_follow_ons(&problems, checks));
    problems.extend(complete);
    problems.extend(review);
    problems.extend(personal_data);
    let languages = inputs.config.value.languages();
    let guidance = content::parse_pages(&inputs.content, &languages, &mut problems);
    problems.extend(crate::lint::third_party_assets(&theme, &guidance));
    // Hiding never waits: a case or focal point with errors is withheld and the rest of the
    // site goes on; only errors in what every page needs stop here.
    let (quarantine, mut problems) = Quarantine::split(problems);
    if problems.has_errors() {
        problems.extend(quarantine.problems);
        return Err(Box::new(Rejected {
            inputs,
            theme,
            problems,
        }));
    }
    let projection = project::project_for(&inputs, build_date, &quarantine, audience, public_cases);
    problems.extend(crate::link_lint::check(
        &guidance,
        &inputs.cases,
        &projection.site,
    ));
    let linked_summaries = linked_summaries(&inputs, &projection);
    Ok(Prepared {
        inputs,
        build_date,
        projection,
        guidance,
        theme,
        warnings: problems,
        quarantine,
        linked_summaries,
    })
}

fn linked_summaries(inputs: &Inputs, projection: &project::Projection) -> Vec<LinkedSummary> {
    let public: HashSet<&str> = projection
        .site
        .cases
        .iter()
        .map(|c| c.id.as_str())
        .collect();
    inputs
        .cases
        .par_iter()
        .filter(|record| public.contains(record.value.id.get_ref().as_str()))
        .filter_map(|record| {
            let texts = record.value.summary.get_ref().texts();
            // Only summaries that link are copied: the check runs on every `serve` edit.
            texts
                .iter()
                .any(|t| crate::markdown::may_link_within(t))
                .then(|| LinkedSummary {
                    file: record.file.clone(),
                    texts: texts.into_iter().map(str::to_owned).collect(),
                })
        })
        .collect()
}

impl Prepared {
    /// Drops the case and focal-point records and their source texts, which a build that runs
    /// once needs no more after the projection: about 40 % of its memory. Errors found later
    /// (a leak, a broken link in a summary) are told from the projection and `linked_summaries`.
    pub fn release_records(&mut self) {
        self.inputs.cases = Vec::new();
        self.inputs.focal_points = Vec::new();
    }

    /// Gives back what was read from disk, for the next incremental rebuild. The projection
    /// (at 10,000 cases, hundreds of thousands of strings) is freed on a thread of its own:
    /// freeing it held up each `serve` edit by some 20 ms after the site was ready.
    pub fn into_sources(self) -> (Inputs, Theme) {
        let projection = self.projection;
        // Should no thread start, the closure and the projection in it are freed here.
        let _ = std::thread::Builder::new()
            .name("free projection".to_owned())
            .spawn(move || drop(projection));
        (self.inputs, self.theme)
    }
}
