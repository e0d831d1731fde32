//! `reprisals-site export`: files for other mechanisms, made from the public projection only
//! and proven leak-free by the same scan as the site before anything is written.

mod docx;
mod sg_report;

use std::path::{Path, PathBuf};

use crate::build::{self, BuildError, Prepared};
use crate::leak_scan::LeakScanner;
use crate::output::Output;
use crate::period::DateRange;

/// Writes the SG-report files for `range` into `dir`; returns the paths written.
pub fn sg_report(
    prepared: &Prepared,
    range: DateRange,
    dir: &Path,
) -> Result<Vec<PathBuf>, BuildError> {
    let site = build::render_site(prepared);
    let files = sg_report::files(&site, range);
    write_scanned(prepared, &files, dir)
}

/// How many cases an export of `range` holds: all of them, and those new in the period
/// (Annex I of the Secretary-General's report).
pub fn sg_report_counts(prepared: &Prepared, range: DateRange) -> (usize, usize) {
    let site = build::render_site(prepared);
    let view = crate::site::views::View::new(&site, 0, "");
    let entries = sg_report::entries(&view, range);
    let new = entries
        .iter()
        .filter(|e| e.annex == sg_report::Annex::New)
        .count();
    (entries.len(), new)
}

/// Scans every file, then writes them all, or none if any holds a withheld value.
fn write_scanned(
    prepared: &Prepared,
    files: &[Output],
    dir: &Path,
) -> Result<Vec<PathBuf>, BuildError> {
    let scanner = LeakScanner::new(
        &prepared.projection.withheld,
        &prepared.projection.site.published_texts(),
    );
    let leaks: Vec<_> = files
        .iter()
        .flat_map(|f| scanner.scan(&f.path, &f.bytes))
        .collect();
    if !leaks.is_empty() {
        return Err(BuildError::Leak(leaks));
    }
    std::fs::create_dir_all(dir)
        .map_err(|e| BuildError::Io(format!("cannot create {}: {e}", dir.display())))?;
    files
        .iter()
        .map(|f| {
            let path = dir.join(&f.path);
            std::fs::write(&path, &f.bytes)
                .map_err(|e| BuildError::Io(format!("cannot write {}: {e}", path.display())))?;
            Ok(path)
        })
        .collect()
}
