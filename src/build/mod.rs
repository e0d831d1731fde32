//! The build, stage by stage: load -> validate -> project -> plan -> render -> scan -> write.
//! `build`, `check` and `serve` all run these same functions: `prepare` (or `prepare_loaded`
//! for inputs already in memory), then `renderer` and `checked_jobs`, then `render_jobs` for
//! the pages and `emit_generated` for every other file, each through a `ScanningSink`.
//!
//! One file per stage: `prepare` (read, check, project), `globals` (what every page of a
//! language shares), `links` (every internal link has a page), `render` (pages and generated
//! files), `scan` (the leak-scanning sink), `run` (the `build` command: staging and swap).

mod error;
mod globals;
mod links;
mod prepare;
mod render;
mod run;
mod scan;
mod unchanged;

use std::time::Duration;

use crate::diagnostics::Problems;
use crate::model::date::Date;

pub use error::BuildError;
pub use globals::renderer;
pub(crate) use prepare::{Keep, KeptChecks, prepare_loaded_for};
pub use prepare::{Prepared, Rejected, load_theme, prepare, prepare_loaded, resolve_build_date};
pub use render::{
    checked_jobs, emit_generated, render_all, render_all_with, render_jobs, render_site,
};
pub use run::{Options, build_at, build_with, default_output, still_online};
pub use scan::{ScanningSink, Written};

/// What a finished build reports.
#[derive(Debug, Default)]
pub struct Summary {
    /// The day the build treated as today.
    pub build_date: Option<Date>,
    /// HTML pages written.
    pub pages: usize,
    /// Files written, pages included.
    pub files: usize,
    /// Bytes written.
    pub bytes: u64,
    /// Published cases.
    pub cases: usize,
    /// Site languages.
    pub languages: usize,
    /// Warnings that did not stop the build.
    pub warnings: Problems,
    /// Records withheld because of their errors: the site was built without them.
    pub quarantine: crate::project::Quarantine,
    /// Withheld values the leak scan searched for.
    pub withheld_checked: usize,
    /// Wall time of the whole build.
    pub elapsed: Duration,
    /// Nothing was rendered: inputs, program and date were those of the last clean build,
    /// and the output folder still held exactly what it wrote (see `unchanged`).
    pub unchanged: bool,
}

/// How long stages report how far they got; `main` draws a progress bar from it.
pub trait Progress: Sync {
    /// `total` units of work are about to start (pages to render).
    fn start(&self, total: usize);
    /// `n` more units are done.
    fn advance(&self, n: usize);
    /// All work is done.
    fn finish(&self);
}

/// For callers that show no progress (`check`, tests, small rebuilds).
pub struct NoProgress;

impl Progress for NoProgress {
    fn start(&self, _: usize) {}
    fn advance(&self, _: usize) {}
    fn finish(&self) {}
}
