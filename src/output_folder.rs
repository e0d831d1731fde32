//! The output folder is the tool's own: a build replaces it whole, so it must never be the
//! site's sources or a folder of someone else's files.

use std::fs;
use std::path::{Component, Path, PathBuf};

/// Written into every build's output, so the next build knows the folder is its own.
pub(crate) const MARKER: &str = ".reprisals-site-output";

/// What the marker file says to whoever finds it.
pub(crate) const MARKER_TEXT: &str =
    "This folder is written by reprisals-site build and replaced whole at every build.\n";

/// Why `output` may not be replaced by a build of the site in `root`, if it may not.
/// `force` allows only a non-empty folder without the marker; sources are never replaced.
pub(crate) fn refuse(root: &Path, output: &Path, force: bool) -> Option<String> {
    let root = absolute(root);
    let target = absolute(output);
    if target == root {
        return Some(format!(
            "--output {} is the site folder itself: a build replaces its output folder whole. Choose a folder of its own, for example {}",
            output.display(),
            root.join("public").display()
        ));
    }
    if root.starts_with(&target) {
        return Some(format!(
            "--output {} contains the site folder {}: a build replaces its output folder whole. Choose a folder of its own, for example {}",
            output.display(),
            root.display(),
            root.join("public").display()
        ));
    }
    for sources in ["public-data", "content", "themes"] {
        if target.starts_with(root.join(sources)) {
            return Some(format!(
                "--output {} is inside {sources}/, which holds the site's sources. Choose a folder of its own, for example {}",
                output.display(),
                root.join("public").display()
            ));
        }
    }
    if !force && is_foreign(&target) {
        return Some(format!(
            "--output {} is a folder that reprisals-site did not write (it has files and no {MARKER}): a build would replace everything in it. Choose an empty or new folder, or pass --force to replace it",
            output.display()
        ));
    }
    None
}

/// A folder with files in it and no marker: not ours to replace.
fn is_foreign(dir: &Path) -> bool {
    if !dir.exists() {
        return false;
    }
    if !dir.is_dir() {
        return true;
    }
    let has_files = fs::read_dir(dir).map_or(true, |mut entries| entries.next().is_some());
    has_files && !dir.join(MARKER).is_file()
}

/// The path made absolute and free of `.` and `..`, following symbolic links where the path
/// exists, so that two spellings of one folder compare equal.
fn absolute(path: &Path) -> PathBuf {
    if let Ok(real) = fs::canonicalize(path) {
        return real;
    }
    // Not there yet: resolve the nearest existing ancestor, then add the rest.
    let joined = std::env::current_dir()
        .map(|cwd| cwd.join(path))
        .unwrap_or_else(|_| path.to_path_buf());
    let mut clean = PathBuf::new();
    for part in joined.components() {
        match part {
            Component::ParentDir => {
                clean.pop();
            }
            Component::CurDir => {}
            other => clean.push(other.as_os_str()),
        }
    }
    let mut existing = clean.clone();
    let mut rest = Vec::new();
    while !existing.exists() {
        match existing.file_name() {
            Some(name) => rest.push(name.to_owned()),
            None => break,
        }
        existing.pop();
    }
    let mut out = fs::canonicalize(&existing).unwrap_or(existing);
    for name in rest.into_iter().rev() {
        out.push(name);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sources_are_refused_even_with_force() {
        let site = tempfile::tempdir().unwrap();
        let root = site.path();
        for dir in ["public-data/cases", "content", "themes/default"] {
            fs::create_dir_all(root.join(dir)).unwrap();
        }
        for (output, why) in [
            (root.to_path_buf(), "is the site folder itself"),
            (root.join(".."), "contains the site folder"),
            (root.join("public-data"), "is inside public-data/"),
            (root.join("content/out"), "is inside content/"),
            (root.join("themes/default"), "is inside themes/"),
        ] {
            let message = refuse(root, &output, true).expect("refused");
            assert!(message.contains(why), "{message}");
        }
        assert_eq!(refuse(root, &root.join("public"), false), None);
    }

    #[test]
    fn a_folder_of_other_files_needs_force_and_one_with_the_marker_does_not() {
        let site = tempfile::tempdir().unwrap();
        let out = site.path().join("www");
        fs::create_dir_all(&out).unwrap();
        assert_eq!(refuse(site.path(), &out, false), None, "empty folder");
        fs::write(out.join("index.html"), "someone else's").unwrap();
        let message = refuse(site.path(), &out, false).expect("refused");
        assert!(message.contains("did not write"), "{message}");
        assert!(message.contains("--force"), "{message}");
        assert_eq!(refuse(site.path(), &out, true), None);
        fs::write(out.join(MARKER), MARKER_TEXT).unwrap();
        assert_eq!(refuse(site.path(), &out, false), None);
    }
}
