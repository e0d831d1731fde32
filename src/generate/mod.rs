//! Output files that are not pages drawn by a template: theme assets, published documents,
//! and (in their own modules) the search index, open data, feeds and the sitemap.
//!
//! Each generator reads only the public projection (through `RenderSite`) and returns files;
//! the pipeline scans every one of them for leaks before it is written.

mod cases_json;
mod csv_safe;
mod feeds;
pub(crate) mod open_data;
mod reports_md;
mod sitemap;
mod xml;

pub(crate) use csv_safe::CsvFile;
pub(crate) use reports_md::escape as escape_markdown;
pub(crate) use xml::escape as escape_xml;

use rayon::prelude::*;

use std::path::Path;

/// The first line of every Markdown export of a sample site: a file copied out alone must not
/// pass for real.
pub(crate) const SAMPLE_NOTICE_MD: &str =
    "> **SAMPLE DATA: FICTIONAL.** Every case, person and document symbol below is invented.";

use crate::diagnostics::{Problem, Problems};
use crate::output::Output;
use crate::site::RenderSite;
use crate::theme::Theme;

/// Every generated file of the site.
/// `root` is the site folder, whose `public-data/` holds the published documents.
pub(crate) fn all(theme: &Theme, root: &Path, site: &RenderSite) -> Result<Vec<Output>, Problems> {
    let mut out = Vec::new();
    let mut problems = Problems::default();
    for asset in &theme.assets {
        out.push(Output {
            path: asset.path.clone(),
            bytes: asset.bytes.to_vec(),
        });
    }
    let data_dir = root.join("public-data");
    for file in &site.public.files {
        match std::fs::read(data_dir.join(file)) {
            // Only types on the allow-list, checked by content: never markup that runs script.
            Ok(bytes) => match crate::attachments::check(file, &bytes) {
                Ok(_) => out.push(Output {
                    path: file.clone(),
                    bytes,
                }),
                Err(why) => problems.push(
                    Problem::error(format!("public-data/{file} cannot be published: {why}")).help(
                        "convert it to PDF or plain text, or keep the letter's mode at \"summary\"",
                    ),
                ),
            },
            Err(e) => problems.push(Problem::error(format!(
                "cannot read public-data/{file}: {e}"
            ))),
        }
    }
    // Each generator reads the whole projection and none depends on another: run them side
    // by side (the search index and open data are the large ones).
    let generators: [fn(&RenderSite) -> Vec<Output>; 5] = [
        open_data::files,
        feeds::files,
        sitemap::files,
        reports_md::files,
        crate::search::outputs,
    ];
    let generated: Vec<Vec<Output>> = generators.par_iter().map(|files| files(site)).collect();
    out.extend(generated.into_iter().flatten());
    if problems.has_errors() {
        Err(problems)
    } else {
        Ok(out)
    }
}
