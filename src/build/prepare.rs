//! Read, check and project: everything before the first page is drawn.

use std::path::Path;

use crate::content::{self, GuidancePage};
use crate::diagnostics::Problems;
use crate::load::{self, Inputs};
use crate::model::date::Date;
use crate::project::{self, Projection};
use crate::theme::{self, Theme};
use crate::validate;

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
