//! `reprisals-site export`: files for other mechanisms, made from the public projection only
//! and proven leak-free by the same scan as the site before anything is written.

pub mod sg_report;

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

/// Scans every file, then writes them all, or none if any holds a withheld value.
fn write_scanned(
    prepared: &Prepared,
    files: &[Output],
    dir: &Path,
) -> Result<Vec<PathBuf>, BuildError> {
    let scanner = LeakScanner::new(&prepared.projection.withheld);
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
