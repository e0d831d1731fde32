//! The `build` command: render into a staging folder and swap it in only if all went well.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::time::Instant;

use crate::load;
use crate::output::Sink;
use crate::project;

use crate::model::date::Date;
use crate::output::Staging;

use super::unchanged;
use super::{
    BuildError, Progress, Summary, load_theme, prepare_loaded, render_all_with, resolve_build_date,
};

/// `build`: prepare, render into a staging folder, swap it in only if everything succeeded;
/// reports progress page by page.
pub fn build_with(
    root: &Path,
    output: &Path,
    build_date: Option<Date>,
    force: bool,
    progress: &dyn Progress,
) -> Result<Summary, BuildError> {
    let options = Options {
        build_date,
        force,
        ..Options::default()
    };
    build_at(root, output, &options, progress)
}

/// How `build` was asked to run.
#[derive(Default)]
pub struct Options<'a> {
    /// `--build-date`.
    pub build_date: Option<Date>,
    /// `--base-url`: publish under this address instead of `base_url` in `site.toml`, for a
    /// staging copy of the site.
    pub base_url: Option<&'a str>,
    /// `--force`: replace an output folder that holds files we did not write.
    pub force: bool,
    /// `--full`: render and scan everything even when nothing changed since the last build.
    pub full: bool,
}

/// `build` with all its options.
pub fn build_at(
    root: &Path,
    output: &Path,
    options: &Options,
    progress: &dyn Progress,
) -> Result<Summary, BuildError> {
    let started = Instant::now();
    if let Some(why) = crate::output_folder::refuse(root, output, options.force) {
        return Err(BuildError::Refused(why));
    }
    let inputs_digest = unchanged::inputs_digest(root, options);
    let mut staging = Staging::new(output).map_err(|e| {
        BuildError::Io(format!(
            "cannot create a folder beside {}: {e}",
            output.display()
        ))
    })?;
    let stamp_path = staging.stamp_path().to_path_buf();
    if let Some(digest) = inputs_digest.filter(|_| !options.full) {
        let same = unchanged::Stamp::load(&stamp_path)
            .and_then(|stamp| stamp.still_holds(digest, staging.folder()));
        if let Some(mut summary) = same {
            staging.abandon();
            summary.elapsed = started.elapsed();
            return Ok(summary);
        }
    }

    // Case files are read again only to show a problem's line: at 100,000 cases their texts
    // are 300 MB the build need not hold.
    let (inputs, mut problems) = crate::load::load_with(root, crate::load::Texts::Release);
    let Some(mut inputs) = inputs else {
        staging.abandon();
        return Err(BuildError::Input(problems));
    };
    // Before the projection, which bakes the address into feeds, the sitemap and reports.
    if let Some(url) = options.base_url {
        let config = &mut inputs.config.value;
        config.base_url = toml::Spanned::new(config.base_url.span(), url.to_owned());
    }
    let theme = load_theme(&inputs, &mut problems);
    let mut prepared = match prepare_loaded(inputs, theme, options.build_date, problems) {
        Ok(prepared) => prepared,
        Err(rejected) => {
            staging.abandon();
            return Err(BuildError::Input(rejected.problems));
        }
    };
    // From here on the projection is the site; the records would only hold memory.
    prepared.release_records();
    let marked = staging
        .write(
            crate::output_folder::MARKER,
            crate::output_folder::MARKER_TEXT.as_bytes(),
        )
        .map_err(|e| BuildError::Io(format!("cannot write the output marker: {e}")));
    match marked.and_then(|()| render_all_with(&prepared, &staging, progress)) {
        Ok(mut summary) => {
            let written = staging.take_written();
            // The stamp describes the site being replaced: gone before the switch, so a build
            // killed after it leaves no stamp that could be taken for the new site's.
            remove_stamp(&stamp_path)?;
            staging
                .commit()
                .map_err(|e| BuildError::Io(format!("cannot replace {}: {e}", output.display())))?;
            summary.elapsed = started.elapsed();
            if let Some(digest) = inputs_digest
                && summary.warnings.is_empty()
                && summary.quarantine.is_empty()
            {
                // Without a stamp the next build is a full one: nothing is lost but time.
                let _ = unchanged::Stamp::new(digest, &summary, written).save(&stamp_path);
            }
            Ok(summary)
        }
        Err(err) => {
            staging.abandon();
            Err(err)
        }
    }
}

fn remove_stamp(path: &Path) -> Result<(), BuildError> {
    match std::fs::remove_file(path) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(BuildError::Io(format!(
            "cannot remove {}: {e}",
            path.display()
        ))),
        _ => Ok(()),
    }
}

/// Cases that the previous output in `output` still shows although the inputs now hide them,
/// each as "2024-007 is withdrawn": what a build that stopped leaves online.
pub fn still_online(root: &Path, output: &Path, build_date: Option<Date>) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(output.join("cases")) else {
        return Vec::new();
    };
    let mut shown: Vec<String> = entries
        .filter_map(Result::ok)
        .filter(|e| e.path().join("index.html").is_file())
        .filter_map(|e| e.file_name().to_str().map(str::to_owned))
        .filter(|name| crate::model::ids::CaseId::parse(name).is_ok())
        .collect();
    shown.sort();
    let (inputs, problems) = load::load(root);
    let Some(inputs) = inputs else {
        return Vec::new();
    };
    let build_date = resolve_build_date(build_date, &inputs);
    // A case file that cannot be read is withheld: it is hidden too.
    let unreadable: HashSet<String> = problems
        .iter()
        .filter(|p| p.is_error())
        .filter_map(|p| p.file.as_ref())
        .filter(|f| f.name.starts_with("public-data/cases/"))
        .filter_map(|f| f.name.rsplit('/').next())
        .map(|name| name.trim_end_matches(".toml").to_owned())
        .collect();
    shown
        .into_iter()
        .filter_map(|id| {
            let record = inputs
                .cases
                .iter()
                .find(|c| c.value.id.get_ref().as_str() == id);
            let why = match record {
                _ if unreadable.contains(&id) => "cannot be read",
                None => "has no record any more",
                Some(record) => project::why_hidden(&record.value, build_date)?.describe(),
            };
            Some(format!("{id} {why}"))
        })
        .collect()
}

/// The output folder when none is given: `public/` in the site root.
pub fn default_output(root: &Path) -> PathBuf {
    root.join("public")
}
