//! `init [DIR]`: a new site that builds at once. It holds the ten committees with their public
//! facts (names, treaties, reprisal provisions, policy documents), the vocabularies and
//! countries, the guidance pages and the default theme, and no cases and no focal points: each
//! committee page then shows "Vacant" and its secretariat until the first appointment is added.

use std::path::{Path, PathBuf};

use crate::diagnostics::Problem;
use crate::theme;

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/embedded_starter.rs"));
}

/// What `init` wrote, for its summary line.
#[derive(Debug, Default)]
pub struct Created {
    /// Committee records written.
    pub committees: usize,
    /// Vocabulary files written.
    pub vocabularies: usize,
    /// Guidance files written.
    pub guidance_files: usize,
    /// Theme files written.
    pub theme_files: usize,
}

/// Writes a new site into `dir` (created if missing). Refuses a folder that has anything in it,
/// so an existing site can never be overwritten.
pub fn init(dir: &Path) -> Result<Created, Problem> {
    if let Ok(mut entries) = std::fs::read_dir(dir) {
        if entries.next().is_some() {
            return Err(Problem::error(format!(
                "{} is not empty; init writes a new site only into an empty or new folder",
                dir.display()
            ))
            .help("choose a new folder name, for example: reprisals-site init my-site"));
        }
    } else if dir.exists() {
        return Err(Problem::error(format!(
            "{} exists and is not a folder",
            dir.display()
        )));
    }
    let mut created = Created::default();
    write(dir, "site.toml", SITE_TOML.as_bytes())?;
    write(dir, ".gitignore", b"/public/\n/exports/\n/deploy/\n")?;
    for folder in [
        "public-data/cases",
        "public-data/focal-points",
        "public-data/files",
    ] {
        mkdir(&dir.join(folder))?;
    }
    for (rel, text) in embedded::FILES {
        let Some(text) = starter_text(rel, text) else {
            continue;
        };
        write(dir, rel, text.as_bytes())?;
        if rel.starts_with("public-data/committees/") {
            created.committees += 1;
        } else if rel.starts_with("public-data/vocab/") {
            created.vocabularies += 1;
        } else {
            created.guidance_files += 1;
        }
    }
    for (rel, bytes) in theme::built_in_files() {
        write(dir, &format!("themes/default/{rel}"), bytes)?;
        created.theme_files += 1;
    }
    Ok(created)
}

/// The sample's file as a new site needs it: without what only describes the demonstration
/// (its "Sample data" section, "sample address" labels), or `None` to leave the file out.
fn starter_text(rel: &str, text: &str) -> Option<String> {
    if rel.starts_with("public-data/committees/") {
        let text = text
            .replace(
                "# Secretariat contact values below are SAMPLE values for the demonstration site.",
                "# Secretariat contacts: check them against the committee's web page before you publish.",
            )
            .replace(", sample address", "")
            .replace(", adresse d'exemple", "")
            .replace(", dirección de ejemplo", "")
            .replace(
                "# Year of the revised version as recorded for the sample; check before production use.",
                "# Year of the revised version: check it before you publish.",
            );
        return Some(text);
    }
    if rel.starts_with("content/about") {
        return Some(without_section(text, "## Sample data"));
    }
    Some(text.to_owned())
}

/// `text` without the Markdown section that starts with `heading` (up to the next `## `).
fn without_section(text: &str, heading: &str) -> String {
    let Some(start) = text.find(&format!("\n{heading}\n")) else {
        return text.to_owned();
    };
    let after = start + heading.len() + 2;
    let end = text[after..]
        .find("\n## ")
        .map_or(text.len(), |i| after + i);
    format!("{}{}", &text[..start], &text[end..])
}

fn mkdir(path: &Path) -> Result<(), Problem> {
    std::fs::create_dir_all(path)
        .map_err(|e| Problem::error(format!("cannot create {}: {e}", path.display())))
}

fn write(dir: &Path, rel: &str, bytes: &[u8]) -> Result<PathBuf, Problem> {
    let path = dir.join(rel);
    if let Some(parent) = path.parent() {
        mkdir(parent)?;
    }
    std::fs::write(&path, bytes)
        .map_err(|e| Problem::error(format!("cannot write {}: {e}", path.display())))?;
    Ok(path)
}

const SITE_TOML: &str = r#"# Site settings. Every key is documented in the README ("site.toml").

title = { en = "Reprisals against people who cooperate with the UN treaty bodies", fr = "Représailles contre les personnes qui coopèrent avec les organes conventionnels de l'ONU", es = "Represalias contra quienes cooperan con los órganos de tratados de la ONU", ar = "الأعمال الانتقامية ضد المتعاونين مع هيئات معاهدات الأمم المتحدة", zh = "针对与联合国条约机构合作者的报复行为", ru = "Репрессии против лиц, сотрудничающих с договорными органами ООН" }
description = "How to report intimidation and reprisals safely, who to contact in each treaty body, and the cases made public."
# Where the site is published: feeds, the sitemap and report links use it. Change it before you
# publish; `build --base-url URL` overrides it for a staging copy.
base_url = "https://reprisals.example.org/"
# The first language is the default: it lives at the site root, the others under /<code>/.
languages = ["en", "fr", "es", "ar", "zh", "ru"]
theme = "default"
# build_date = 2026-06-01   # fix the date for reproducible builds; --build-date overrides it

[safety]
# Where "Exit this page" leads: a busy, harmless site.
exit_url = "https://www.wikipedia.org/"
# The address of a Tor onion mirror, if there is one (also sent as the Onion-Location header).
# onion_location = "http://example.onion/"

[stats]
# Counts of gender, age group and perpetrator below this are shown as "fewer than N".
min_cell = 3

[cases]
per_page = 50

[lint]
# Exact values the personal-data check accepts in public text (for example a public hotline).
allow = []

[reports]
# First day (MM-DD) of the reporting year, as in the Secretary-General's reports:
# period "2024" = 1 May 2024 to 30 April 2025.
period_start = "05-01"

[data]
# The licence stated in every open data file and on the Data page.
licence = "CC BY 4.0"
licence_url = "https://creativecommons.org/licenses/by/4.0/"

[deploy]
# Strict-Transport-Security max-age in the _headers file and `reprisals-site deploy-config`
# (sent only when base_url is https://; 0 sends none).
hsts_max_age = 31536000
"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sample_data_section_is_left_out() {
        let text = "+++\ntitle = \"About\"\n+++\nIntro.\n\n## Sample data\n\nFictional.\n\n## Who publishes it\n\nUs.\n";
        assert_eq!(
            without_section(text, "## Sample data"),
            "+++\ntitle = \"About\"\n+++\nIntro.\n\n## Who publishes it\n\nUs.\n"
        );
    }

    #[test]
    fn a_folder_with_anything_in_it_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("notes.txt"), "keep me").unwrap();
        let err = init(dir.path()).unwrap_err();
        assert!(
            err.message
                .ends_with("is not empty; init writes a new site only into an empty or new folder")
        );
        assert_eq!(
            std::fs::read_to_string(dir.path().join("notes.txt")).unwrap(),
            "keep me"
        );
        assert!(!dir.path().join("site.toml").exists());
    }
}
