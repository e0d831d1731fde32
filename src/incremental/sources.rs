//! What was read from disk, with the problems found file by file, so an edit re-reads only
//! what it touched and a fixed file clears its own problem.

use std::collections::BTreeMap;
use std::path::Path;

use rayon::prelude::*;

use crate::build;
use crate::diagnostics::{Problem, Problems, display_path};
use crate::load::{self, Inputs};
use crate::model::Record;
use crate::model::case::Case;
use crate::theme::Theme;

use super::changes::Change;

#[derive(Default)]
pub(super) struct Sources {
    /// `None` until `site.toml` could be read once.
    loaded: Option<(Inputs, Theme)>,
    /// `site.toml` as it is now cannot be read (the inputs keep the last readable one).
    config_problem: Option<Problem>,
    /// Case files that do not parse, by path relative to the root.
    case_problems: BTreeMap<String, Problem>,
    /// Problems reading committees, focal points, vocabularies and content.
    data_problems: Problems,
    theme_problems: Problems,
}

impl Sources {
    /// Re-reads what `changes` touched (everything on the first call or when `site.toml` changed).
    pub(super) fn apply(&mut self, root: &Path, changes: &[Change]) {
        if self.loaded.is_none() || changes.contains(&Change::Config) {
            self.load_all(root);
            return;
        }
        if changes.contains(&Change::Cases) {
            let (cases, problems) = read_cases(root);
            self.case_problems = problems;
            self.inputs_mut().cases = cases;
        } else {
            for change in changes {
                if let Change::Case(path) = change {
                    self.reload_case(root, path);
                }
            }
        }
        if changes.contains(&Change::Data) {
            let (inputs, theme) = self.loaded.take().expect("loaded above");
            let Inputs { config, cases, .. } = inputs;
            self.data_problems = Problems::default();
            let inputs = load::load_around(root, config, cases, &mut self.data_problems);
            self.loaded = Some((inputs, theme));
        }
        if changes.contains(&Change::Theme) {
            let (inputs, _) = self.loaded.take().expect("loaded above");
            self.theme_problems = Problems::default();
            let theme = build::load_theme(&inputs, &mut self.theme_problems);
            self.loaded = Some((inputs, theme));
        }
    }

    fn load_all(&mut self, root: &Path) {
        let config = match load::load_config(root) {
            Ok(config) => config,
            Err(problem) => {
                self.config_problem = Some(problem);
                return;
            }
        };
        self.config_problem = None;
        let (cases, case_problems) = read_cases(root);
        self.case_problems = case_problems;
        self.data_problems = Problems::default();
        let inputs = load::load_around(root, config, cases, &mut self.data_problems);
        self.theme_problems = Problems::default();
        let theme = build::load_theme(&inputs, &mut self.theme_problems);
        self.loaded = Some((inputs, theme));
    }

    fn reload_case(&mut self, root: &Path, path: &Path) {
        let name = display_path(root, path);
        let parsed = path.is_file().then(|| load::load_case(root, path));
        let cases = &mut self.loaded.as_mut().expect("loaded").0.cases;
        // Kept in the order a full load reads them, so messages and output are the same.
        let at = cases.binary_search_by(|r| Path::new(&r.file.name).cmp(Path::new(&name)));
        match parsed {
            Some(Ok(record)) => {
                self.case_problems.remove(&name);
                match at {
                    Ok(i) => cases[i] = record,
                    Err(i) => cases.insert(i, record),
                }
            }
            Some(Err(problem)) => {
                self.case_problems.insert(name, problem);
                if let Ok(i) = at {
                    cases.remove(i);
                }
            }
            None => {
                self.case_problems.remove(&name);
                if let Ok(i) = at {
                    cases.remove(i);
                }
            }
        }
    }

    fn inputs_mut(&mut self) -> &mut Inputs {
        &mut self.loaded.as_mut().expect("loaded").0
    }

    /// Moves the inputs out for a build, with every problem found reading them.
    pub(super) fn take(&mut self) -> Option<(Inputs, Theme, Problems)> {
        let problems = self.problems();
        let (inputs, theme) = self.loaded.take()?;
        Some((inputs, theme, problems))
    }

    /// Gives the inputs back after a build.
    pub(super) fn put_back(&mut self, inputs: Inputs, theme: Theme) {
        self.loaded = Some((inputs, theme));
    }

    /// Every problem found reading the files as they are now.
    pub(super) fn problems(&self) -> Problems {
        let mut problems = Problems::default();
        problems.extend(self.config_problem.clone());
        problems.extend(self.case_problems.values().cloned());
        problems.extend(self.data_problems.clone());
        problems.extend(self.theme_problems.clone());
        problems
    }
}

/// Every case file, parsed in parallel; the ones that do not parse give a problem instead.
fn read_cases(root: &Path) -> (Vec<Record<Case>>, BTreeMap<String, Problem>) {
    let results: Vec<(String, Result<Record<Case>, Problem>)> = load::case_files(root)
        .par_iter()
        .map(|path| (display_path(root, path), load::load_case(root, path)))
        .collect();
    let mut cases = Vec::with_capacity(results.len());
    let mut problems = BTreeMap::new();
    for (name, result) in results {
        match result {
            Ok(record) => cases.push(record),
            Err(problem) => {
                problems.insert(name, problem);
            }
        }
    }
    (cases, problems)
}
