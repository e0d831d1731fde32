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
    /// The output folder is not the tool's to replace: the message says why and what to do.
    Refused(String),
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
            BuildError::Leak(leaks) => crate::leak_report::describe(leaks),
            BuildError::Io(message) | BuildError::Refused(message) => {
                format!("error: {message}\n")
            }
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
            BuildError::Leak(leaks) => {
                let values: std::collections::HashSet<&str> =
                    leaks.iter().map(|l| l.field.as_str()).collect();
                format!(
                    "the leak scan found {} withheld value(s) in the output",
                    values.len()
                )
            }
            BuildError::Io(_) => "files could not be read or written".to_owned(),
            BuildError::Refused(_) => "the output folder was refused".to_owned(),
        }
    }
}
