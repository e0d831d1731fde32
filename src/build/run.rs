//! The `build` command: render into a staging folder and swap it in only if all went well.

use std::path::{Path, PathBuf};
use std::time::Instant;

use crate::model::date::Date;
use crate::output::Staging;

use super::{BuildError, Progress, Summary, prepare, render_all_with};

/// `build`: prepare, render into a staging folder, swap it in only if everything succeeded;
/// reports progress page by page.
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
