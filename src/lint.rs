//! Lints that protect people: personal data in public case text, and third-party assets in
//! templates or content (every request must stay on the site).

use std::sync::{Arc, LazyLock};

use regex::Regex;

use crate::content::GuidancePage;
use crate::diagnostics::{Problem, Problems, SourceFile};
use crate::load::Inputs;
use crate::markdown;
use crate::model::localized::Localized;
use crate::project::case_is_public;
use crate::theme::Theme;

struct Pattern {
    what: &'static str,
    regex: Regex,
    /// Extra test on the match (for example "at least nine digits").
    accept: fn(&str) -> bool,
}

fn always(_: &str) -> bool {
    true
}

/// Nine digits or more (eight after a `+`), and not a date or a range of years.
fn phone_like(m: &str) -> bool {
    static DATE_OR_YEARS: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"\d{4}-\d{2}-\d{2}|\b(?:19|20)\d{2}\s*-\s*(?:19|20)\d{2}\b")
            .expect("valid pattern")
    });
    let digits = m.chars().filter(char::is_ascii_digit).count();
    (digits >= 9 || (m.starts_with('+') && digits >= 8)) && !DATE_OR_YEARS.is_match(m)
}

static PATTERNS: LazyLock<Vec<Pattern>> = LazyLock::new(|| {
    let p = |what, re: &str, accept| Pattern {
        what,
        regex: Regex::new(re).expect("valid pattern"),
        accept,
    };
    vec![
        p(
            "an e-mail address",
            r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}",
            always,
        ),
        p(
            "a phone or ID number",
            r"(?:\+\d{1,3}[ .-]?)?(?:\(\d{1,4}\)[ .-]?)?\d{2,}(?:[ .-]\d{2,}){0,5}",
            phone_like,
        ),
        p("a passport or ID number", r"\b[A-Z]{1,2}\d{6,9}\b", always),
        p(
            "a street address",
            r"(?i)\b\d{1,5}[a-z]?,?\s+(?:[\p{L}'-]+\s+){0,3}(?:street|st\.|avenue|ave\.|road|rd\.|boulevard|blvd|lane|drive|rue|calle|avenida|strasse|straße|ulitsa)\b|\b(?:rue|calle|avenida|avenue)\s+(?:[\p{L}'-]+\s+){0,3}\d{1,5}\b",
            always,
        ),
        p(
            "a GPS coordinate",
            r"-?\b\d{1,3}\.\d{3,}\s*,\s*-?\d{1,3}\.\d{3,}\b|\b\d{1,3}°\s*\d{1,2}['′]",
            always,
        ),
    ]
});

/// Every match of a personal-data pattern in `text`, as (what, matched text).
pub fn find_personal_data(text: &str, allow: &[String]) -> Vec<(&'static str, String)> {
    let mut found = Vec::new();
    for pattern in PATTERNS.iter() {
        for m in pattern.regex.find_iter(text) {
            let value = m.as_str().trim();
            if (pattern.accept)(value) && !allow.iter().any(|a| a.trim() == value) {
                found.push((pattern.what, value.to_owned()));
            }
        }
    }
    found
}

/// Public free text of published cases: titles, summaries, public action notes, released letters.
pub fn personal_data(
    inputs: &Inputs,
    build_date: crate::model::date::Date,
    allow: &[String],
) -> Problems {
    let mut problems = Problems::default();
    for record in inputs.cases.iter().filter(|r| case_is_public(&r.value)) {
        let case = &record.value;
        let mut fields: Vec<(String, &toml::Spanned<Localized>)> = vec![
            ("title".into(), &case.title),
            ("summary".into(), &case.summary),
        ];
        for (i, action) in case.actions.iter().enumerate().filter(|(_, a)| a.public) {
            if let Some(note) = &action.note {
                fields.push((format!("actions[{i}].note"), note));
            }
        }
        for (i, letter) in case.correspondence.iter().enumerate() {
            let released = crate::project::letter_release(letter).is_some_and(|d| build_date >= d);
            if let (true, Some(summary)) = (released, &letter.summary) {
                fields.push((format!("correspondence[{i}].summary"), summary));
            }
        }
        for (field, value) in fields {
            for text in value.get_ref().texts() {
                for (what, matched) in find_personal_data(text, allow) {
                    problems.push(personal_data_problem(
                        &record.file,
                        value.span(),
                        &field,
                        what,
                        &matched,
                    ));
                }
            }
        }
    }
    problems
}

fn personal_data_problem(
    file: &Arc<SourceFile>,
    span: std::ops::Range<usize>,
    field: &str,
    what: &str,
    matched: &str,
) -> Problem {
    let inner = file
        .text
        .get(span.clone())
        .and_then(|s| s.find(matched))
        .map(|i| span.start + i..span.start + i + matched.len());
    Problem::error(format!("`{field}` contains what looks like {what}"))
        .at(file, inner.unwrap_or(span))
        .label(format!("looks like {what}"))
        .help(format!(
            "public case text must not identify anyone: remove it, or if it is a public contact, add it to [lint] allow = [\"{matched}\"] in site.toml"
        ))
}

/// `src=`, `<link href=`, CSS `url()` and `@import` pointing at another host.
static REMOTE_ASSET: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?i)(?:\b(?:src|srcset|poster|data|action)\s*=\s*["']?\s*(?:https?:)?//|<link\b[^>]*\bhref\s*=\s*["']?\s*(?:https?:)?//|url\(\s*["']?\s*(?:https?:)?//|@import\s+["']?(?:https?:)?//)"#)
        .expect("valid pattern")
});

pub fn third_party_assets(theme: &Theme, guidance: &[GuidancePage]) -> Problems {
    let mut problems = Problems::default();
    for (name, (origin, text)) in &theme.templates {
        for m in REMOTE_ASSET.find_iter(text) {
            let file = SourceFile::new(origin.clone(), text.clone());
            problems.push(
                Problem::error(format!("template {name} loads an asset from another host"))
                    .at(&file, m.range())
                    .label("third-party request")
                    .help("every request must stay on this site: copy the file into the theme's static/ folder"),
            );
        }
    }
    for asset in &theme.assets {
        if asset.name.ends_with(".css") {
            let text = String::from_utf8_lossy(&asset.bytes);
            if let Some(m) = REMOTE_ASSET.find(&text) {
                let file = SourceFile::new(format!("static/{}", asset.name), text.to_string());
                problems.push(
                    Problem::error("stylesheet loads an asset from another host")
                        .at(&file, m.range()),
                );
            }
        }
    }
    let placement = markdown::Placement {
        root: "/",
        heading_offset: 0,
        anchor_label: "",
    };
    for page in guidance {
        for version in page.versions.values() {
            for url in markdown::render(&version.body, &placement).external_assets {
                let at = version
                    .file
                    .text
                    .find(&url)
                    .map(|i| i..i + url.len())
                    .unwrap_or(0..0);
                problems.push(
                    Problem::error("an image or other asset from another host")
                        .at(&version.file, at)
                        .label("third-party request")
                        .help("put the file in public-data/files/ and link it as /files/<name>"),
                );
            }
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<&'static str> {
        find_personal_data(text, &[])
            .into_iter()
            .map(|(w, _)| w)
            .collect()
    }

    #[test]
    fn finds_personal_data() {
        assert_eq!(
            kinds("write to jane.doe@example.org today"),
            ["an e-mail address"]
        );
        assert_eq!(kinds("call +41 22 917 90 00"), ["a phone or ID number"]);
        assert_eq!(
            kinds("passport AB1234567 was seized"),
            ["a passport or ID number"]
        );
        assert_eq!(kinds("she lives at 12 Mill Street"), ["a street address"]);
        assert_eq!(kinds("vive en Calle Mayor 5"), ["a street address"]);
        assert_eq!(kinds("found at 19.4326, -99.1332"), ["a GPS coordinate"]);
    }

    #[test]
    fn ignores_dates_symbols_and_allowed_values() {
        assert!(
            kinds("reported on 2024-03-12, see A/HRC/57/30 and CAT/C/55/2 (2019-2024)").is_empty()
        );
        assert!(kinds("In 2023, 14 people were detained").is_empty());
        let allow = vec!["+41 22 917 90 00".to_owned()];
        assert!(find_personal_data("call +41 22 917 90 00", &allow).is_empty());
    }

    #[test]
    fn finds_remote_assets_but_not_links() {
        assert!(REMOTE_ASSET.is_match(r#"<script src="https://cdn.example.com/x.js">"#));
        assert!(
            REMOTE_ASSET
                .is_match(r#"<link rel="stylesheet" href="https://fonts.example.com/a.css">"#)
        );
        assert!(REMOTE_ASSET.is_match("body { background: url(//img.example.com/a.png) }"));
        assert!(!REMOTE_ASSET.is_match(r#"<a href="https://undocs.org/A/1">A/1</a>"#));
        assert!(!REMOTE_ASSET.is_match(r#"<img src="{{ page.site_root }}files/a.png">"#));
    }
}
