//! How long the leak scan takes on its own: builds the scanner for a site's withheld values
//! and scans every file of an already built output folder with it, on all cores.
//!
//!     cargo run --release --example scan_cost -- SITE_ROOT OUTPUT_DIR [BUILD_DATE]

use std::time::Instant;

use rayon::prelude::*;
use reprisals_site::LeakScanner;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [root, output, rest @ ..] = args.as_slice() else {
        eprintln!("usage: scan_cost SITE_ROOT OUTPUT_DIR [BUILD_DATE]");
        std::process::exit(2);
    };
    let date = rest
        .first()
        .map(|d| reprisals_site::Date::parse(d).expect("YYYY-MM-DD"));
    let prepared = match reprisals_site::build::prepare(std::path::Path::new(root), date) {
        Ok(p) => p,
        Err(problems) => {
            for problem in problems {
                eprintln!("{}", problem.render(false));
            }
            std::process::exit(1);
        }
    };
    let files: Vec<(String, Vec<u8>)> = walkdir::WalkDir::new(output)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let path = e.path().display().to_string();
            (path, std::fs::read(e.path()).expect("readable"))
        })
        .collect();
    let bytes: usize = files.iter().map(|(_, b)| b.len()).sum();
    let started = Instant::now();
    let scanner = LeakScanner::new(
        &prepared.projection.withheld,
        &prepared.projection.site.published_texts(),
    );
    let built = started.elapsed();
    let started = Instant::now();
    let leaks: usize = files
        .par_iter()
        .map(|(p, b)| scanner.scan(p, b).len())
        .sum();
    let scanned = started.elapsed();
    println!(
        "{} withheld values; scanner built in {:.3} s; {} files, {:.1} MB scanned in {:.3} s on {} threads; {leaks} finding(s)",
        scanner.checked,
        built.as_secs_f64(),
        files.len(),
        bytes as f64 / 1e6,
        scanned.as_secs_f64(),
        rayon::current_num_threads()
    );
}
