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

use std::path::Path;

/// The first line of every Markdown export of a sample site: a file copied out alone must not
/// pass for real.
pub(crate) const SAMPLE_NOTICE_MD: &str =
    "> **SAMPLE DATA: FICTIONAL.** Every case, person and document symbol below is invented.";

use crate::diagnostics::{Problem, Problems};
use crate::output::Output;
use crate::site::RenderSite;
use crate::theme::Theme;

/// The theme's assets and the published documents, copied as they are.
/// `root` is the site folder, whose `public-data/` holds the published documents.
pub(crate) fn copied_files(
    theme: &Theme,
    root: &Path,
    site: &RenderSite,
) -> Result<Vec<Output>, Problems> {
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
    if problems.has_errors() {
        Err(problems)
    } else {
        Ok(out)
    }
}

/// A generator of files: it reads only the public projection, and none depends on another.
pub(crate) type Generator = fn(&RenderSite) -> Vec<Output>;

/// Every generator of the site, in lanes. Lanes run side by side; the generators of one lane
/// run one after another, and each one's files are written and dropped before the next starts.
pub(crate) const GENERATORS: [&[Generator]; 5] = [
    &[open_data::files, open_data::csv_files],
    &[reports_md::files],
    &[crate::search::outputs],
    &[feeds::files],
    &[sitemap::files],
];

/// A file written as it is made (see `Sink::write_streamed`): `cases.json` and the CSV files of
/// cases (256 and 164 MB at 100,000 cases), which were held whole, with everything else a
/// generator holds, until written.
pub(crate) struct Streamed<'a> {
    /// Path inside the output folder.
    pub path: String,
    /// Writes the file's bytes.
    pub write: Box<WriteFile<'a>>,
}

/// What writes a streamed file's bytes into the writer it is given.
pub(crate) type WriteFile<'a> =
    dyn Fn(&mut dyn std::io::Write) -> std::io::Result<()> + Send + Sync + 'a;

/// The files written as they are made, one after another, beside the lanes of `GENERATORS`.
pub(crate) fn streamed<'a>(site: &'a RenderSite<'a>) -> Vec<Streamed<'a>> {
    open_data::streamed(site)
}
