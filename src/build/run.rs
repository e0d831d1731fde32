//! The `build` command: render into a staging folder and swap it in only if all went well.

use std::path::{Path, PathBuf};
use std::time::Instant;

use crate::model::date::Date;
use crate::output::Staging;

use super::{BuildError, Progress, Summary, load_theme, prepare_loaded, render_all_with};

/// `build`: prepare, render into a staging folder, swap it in only if everything succeeded;
/// reports progress page by page.
pub fn build_with(
    root: &Path,
    output: &Path,
    build_date: Option<Date>,
    progress: &dyn Progress,
) -> Result<Summary, BuildError> {
    build_at(root, output, build_date, None, progress)
}

/// `build`, with `base_url` in place of the one in `site.toml` (`build --base-url`, for a
/// staging copy of the site).
pub fn build_at(
    root: &Path,
    output: &Path,
    build_date: Option<Date>,
    base_url: Option<&str>,
    progress: &dyn Progress,
) -> Result<Summary, BuildError> {
    let started = Instant::now();
    let (inputs, mut problems) = crate::load::load(root);
    let Some(mut inputs) = inputs else {
        return Err(BuildError::Input(problems));
    };
    // Before the projection, which bakes the address into feeds, the sitemap and reports.
    if let Some(url) = base_url {
        let config = &mut inputs.config.value;
        config.base_url = toml::Spanned::new(config.base_url.span(), url.to_owned());
    }
    let theme = load_theme(&inputs, &mut problems);
    let prepared = prepare_loaded(inputs, theme, build_date, problems)
        .map_err(|rejected| BuildError::Input(rejected.problems))?;
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
