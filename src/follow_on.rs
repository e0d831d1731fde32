//! A file that cannot be parsed is the cause; every "unknown committee `CAT`" that follows
//! from it is noise that buries the cause. This drops those follow-on problems and says once
//! how many were set aside.

use crate::diagnostics::{Problem, Problems};

/// Folders whose records other records refer to by code or id.
const REFERENCED: [&str; 2] = ["public-data/committees/", "public-data/vocab/"];

/// The problems of the cross-record checks, minus those caused by an unreadable referenced
/// file among `read` (what loading found), plus one line saying how many were set aside.
pub(crate) fn without_follow_ons(read: &Problems, checks: Problems) -> Problems {
    let unreadable: Vec<&str> = read
        .iter()
        .filter(|p| p.is_error())
        .filter_map(|p| p.file.as_ref())
        .map(|f| f.name.as_str())
        .filter(|name| REFERENCED.iter().any(|dir| name.starts_with(dir)))
        .collect();
    if unreadable.is_empty() {
        return checks;
    }
    let mut kept = Problems::default();
    let mut dropped = 0;
    for problem in checks {
        if is_unknown_reference(&problem) {
            dropped += 1;
        } else {
            kept.push(problem);
        }
    }
    if dropped > 0 {
        kept.push(Problem::warning(format!(
            "{dropped} reference(s) to committees or vocabulary terms were not checked because {} could not be read; fix that first",
            unreadable.join(", ")
        )));
    }
    kept
}

/// "unknown committee `CAT`", "unknown status `x`": what a missing referenced record causes.
fn is_unknown_reference(problem: &Problem) -> bool {
    problem.message.starts_with("unknown ") || problem.message.contains(": unknown committee")
}
