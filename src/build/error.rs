//! Why a build did not produce a site, and how that reads on a terminal or in `serve`.

use crate::diagnostics::Problems;
use crate::leak_scan::Leak;

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
