//! Which part of the site an edited path belongs to, so a rebuild re-reads only that part.

use std::path::{Path, PathBuf};

/// What an edit touched.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Change {
    /// `site.toml`: everything is read again.
    Config,
    /// A file under `themes/`.
    Theme,
    /// One case file (written, created or removed).
    Case(PathBuf),
    /// Something under `public-data/cases/` that is not a case file, such as a renamed folder:
    /// every case is read again.
    Cases,
    /// Committees, focal points, vocabularies, documents or guidance pages.
    Data,
}

/// The change a path stands for, or `None` for paths the site does not read (the output
/// folder, editors' swap and backup files).
pub fn classify(root: &Path, path: &Path) -> Option<Change> {
    let rel = path.strip_prefix(root).ok()?;
    if is_editor_temp(rel) {
        return None;
    }
    let mut parts = rel.components().map(|c| c.as_os_str().to_string_lossy());
    let first = parts.next()?;
    match first.as_ref() {
        "site.toml" if rel.components().count() == 1 => Some(Change::Config),
        "themes" => Some(Change::Theme),
        "content" => Some(Change::Data),
        "public-data" => match parts.next().as_deref() {
            Some("cases") if rel.extension().is_some_and(|e| e == "toml") => {
                Some(Change::Case(path.to_path_buf()))
            }
            Some("cases") if path.is_dir() || rel.extension().is_none() => Some(Change::Cases),
            Some("cases") => None,
            _ => Some(Change::Data),
        },
        _ => None,
    }
}

/// Files editors write beside the real one while saving: swap files, backups, lock files and
/// the probe files some write to test a folder.
pub(super) fn is_editor_temp(path: &Path) -> bool {
    let Some(name) = path.file_name().map(|n| n.to_string_lossy()) else {
        return false;
    };
    let ext = path.extension().map(|e| e.to_string_lossy().to_lowercase());
    name.starts_with('.')
        || name.starts_with('#')
        || name.ends_with('~')
        || name.ends_with("___jb_tmp___")
        || name.ends_with("___jb_old___")
        || name == "4913"
        || matches!(
            ext.as_deref(),
            Some("swp" | "swx" | "swo" | "tmp" | "bak" | "orig" | "crdownload" | "part")
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_map_to_the_part_of_the_site_they_change() {
        let root = Path::new("/site");
        let c = |p: &str| classify(root, &root.join(p));
        assert_eq!(c("site.toml"), Some(Change::Config));
        assert_eq!(c("themes/default/templates/case.html"), Some(Change::Theme));
        assert_eq!(c("content/safety.fr.md"), Some(Change::Data));
        assert_eq!(c("public-data/committees/cat.toml"), Some(Change::Data));
        assert_eq!(
            c("public-data/cases/2024/2024-001.toml"),
            Some(Change::Case(
                root.join("public-data/cases/2024/2024-001.toml")
            ))
        );
        assert_eq!(c("public-data/cases/2024"), Some(Change::Cases));
        assert_eq!(c("public/index.html"), None);
        assert_eq!(c("content/site.toml"), Some(Change::Data));
    }

    #[test]
    fn editors_temporary_files_are_ignored() {
        let root = Path::new("/site");
        for temp in [
            "public-data/cases/2024/.2024-001.toml.swp",
            "public-data/cases/2024/2024-001.toml~",
            "public-data/cases/2024/#2024-001.toml#",
            "public-data/cases/2024/4913",
            "content/safety.md___jb_tmp___",
            "themes/default/templates/.#case.html",
        ] {
            assert_eq!(classify(root, &root.join(temp)), None, "{temp}");
        }
    }
}
