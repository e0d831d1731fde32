//! Guidance pages (`content/<slug>[.<lang>].md`): TOML front matter between `+++` lines, then Markdown.

use std::collections::BTreeMap;
use std::sync::Arc;

use serde::Deserialize;

use crate::diagnostics::{Problem, Problems, SourceFile};
use crate::model::ids::LangCode;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FrontMatter {
    pub title: String,
    /// A short title for the main navigation ("Safety"); the title when absent.
    pub nav_title: Option<String>,
    pub description: Option<String>,
    /// Order in the navigation, lowest first.
    #[serde(default = "default_weight")]
    pub weight: i32,
    /// Leave the page out of the main navigation.
    #[serde(default)]
    pub hidden: bool,
}

fn default_weight() -> i32 {
    100
}

/// One language version of a guidance page.
#[derive(Debug)]
pub struct PageText {
    pub file: Arc<SourceFile>,
    pub front: FrontMatter,
    pub body: String,
}

/// A guidance page with its translations; the default language version is required.
#[derive(Debug)]
pub struct GuidancePage {
    pub slug: String,
    pub versions: BTreeMap<LangCode, PageText>,
}

impl GuidancePage {
    /// The version for `lang`, or the default one (with `true` for "fell back").
    pub fn version(&self, lang: &LangCode, default: &LangCode) -> (&PageText, &LangCode, bool) {
        match self.versions.get_key_value(lang) {
            Some((l, v)) => (v, l, false),
            None => {
                let (l, v) = self
                    .versions
                    .get_key_value(default)
                    .or_else(|| self.versions.iter().next())
                    .expect("a page has at least one version");
                (v, l, true)
            }
        }
    }

    pub fn weight(&self, default: &LangCode) -> i32 {
        self.version(default, default).0.front.weight
    }
}

/// Slugs the site generates itself: a guidance page cannot take their address.
const RESERVED: &[&str] = &[
    "cases",
    "committees",
    "trends",
    "reports",
    "data",
    "search",
    "assets",
    "files",
    "404",
];

pub(crate) fn parse_pages(
    files: &[Arc<SourceFile>],
    languages: &[LangCode],
    problems: &mut Problems,
) -> Vec<GuidancePage> {
    // No language is an error `validate` reports; there is nothing to sort pages into.
    let Some(default) = languages.first() else {
        return Vec::new();
    };
    let mut pages: BTreeMap<String, GuidancePage> = BTreeMap::new();
    for file in files {
        let stem = file
            .name
            .rsplit('/')
            .next()
            .unwrap_or("")
            .trim_end_matches(".md");
        let (slug, lang) = match stem.rsplit_once('.') {
            Some((slug, lang)) => match LangCode::parse(lang) {
                Ok(lang) if languages.contains(&lang) => (slug.to_owned(), lang),
                // A translation into a UN language the site does not show (yet) is kept aside.
                Ok(lang) if crate::model::ids::UN_LANGUAGES.contains(&lang.as_str()) => continue,
                _ => {
                    problems.push(
                        Problem::error(format!("`{lang}` in {stem}.md is not one of the site's languages"))
                            .in_file(file)
                            .help("name translations <slug>.<lang>.md with a language listed in site.toml"),
                    );
                    continue;
                }
            },
            None => (stem.to_owned(), default.clone()),
        };
        if RESERVED.contains(&slug.as_str()) || lang.as_str() == slug {
            problems.push(
                Problem::error(format!(
                    "a guidance page cannot be called `{slug}`: the site uses that address"
                ))
                .in_file(file),
            );
            continue;
        }
        match split_front_matter(file) {
            Ok(text) => {
                pages
                    .entry(slug.clone())
                    .or_insert_with(|| GuidancePage {
                        slug,
                        versions: BTreeMap::new(),
                    })
                    .versions
                    .insert(lang, text);
            }
            Err(problem) => problems.push(problem),
        }
    }
    let mut out = Vec::new();
    for (slug, page) in pages {
        if !page.versions.contains_key(default) {
            let file = &page.versions.values().next().expect("non-empty").file;
            problems.push(
                Problem::error(format!("page `{slug}` has no {default} version"))
                    .in_file(file)
                    .help(format!(
                        "add content/{slug}.md: it is shown where a translation is missing"
                    )),
            );
            continue;
        }
        out.push(page);
    }
    out.sort_by(|a, b| {
        a.weight(default)
            .cmp(&b.weight(default))
            .then_with(|| a.slug.cmp(&b.slug))
    });
    out
}

/// Every key front matter takes, in the order the README lists them.
pub(crate) const FRONT_MATTER_KEYS: [&str; 5] =
    ["title", "nav_title", "description", "weight", "hidden"];

/// A did-you-mean for a misspelt key, then every key.
fn front_matter_help(message: &str) -> String {
    let all = format!("front matter takes: {}", FRONT_MATTER_KEYS.join(", "));
    let misspelt = message
        .strip_prefix("unknown field `")
        .and_then(|rest| rest.split('`').next());
    match misspelt.and_then(|word| crate::diagnostics::did_you_mean(word, FRONT_MATTER_KEYS)) {
        Some(best) => format!("did you mean `{best}`? {all}"),
        None => all,
    }
}

fn split_front_matter(file: &Arc<SourceFile>) -> Result<PageText, Problem> {
    let text: &str = &file.text;
    let rest = text.strip_prefix("+++").ok_or_else(|| {
        Problem::error("a guidance page must start with front matter between +++ lines")
            .at(file, 0..text.lines().next().map_or(0, str::len))
            .help("begin the file with:\n+++\ntitle = \"Page title\"\n+++")
    })?;
    let end = rest.find("\n+++").ok_or_else(|| {
        Problem::error("front matter is not closed")
            .at(file, 0..3)
            .help("add a line with +++ after the front matter")
    })?;
    let front_text = &rest[..end];
    let offset = 3;
    let front: FrontMatter = toml::from_str(front_text).map_err(|err| {
        let span = err
            .span()
            .map(|s| s.start + offset..s.end + offset)
            .unwrap_or(0..3);
        let message = err
            .message()
            .lines()
            .next()
            .unwrap_or("invalid front matter")
            .to_owned();
        Problem::error(message.clone())
            .at(file, span)
            .help(front_matter_help(&message))
    })?;
    let body_start = 3 + end + 4;
    let body = text
        .get(body_start..)
        .unwrap_or("")
        .trim_start_matches(['\r', '\n'])
        .to_owned();
    if let Some(depth) = crate::markdown::too_deep(&body) {
        let start = body_start.min(text.len());
        let line_end = text[start..].find('\n').map_or(text.len(), |i| start + i);
        return Err(crate::markdown::nesting_problem(depth).at(file, start..line_end));
    }
    Ok(PageText {
        file: file.clone(),
        front,
        body,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn langs() -> Vec<LangCode> {
        ["en", "fr"]
            .iter()
            .map(|l| LangCode::parse(l).unwrap())
            .collect()
    }

    #[test]
    fn pairs_translations_and_orders_by_weight() {
        let files = vec![
            SourceFile::new(
                "content/safety.md",
                "+++\ntitle = \"Safety\"\nweight = 20\n+++\nBody",
            ),
            SourceFile::new(
                "content/safety.fr.md",
                "+++\ntitle = \"Sécurité\"\n+++\nCorps",
            ),
            SourceFile::new(
                "content/about.md",
                "+++\ntitle = \"About\"\nweight = 5\n+++\n\nAbout body",
            ),
        ];
        let mut problems = Problems::default();
        let pages = parse_pages(&files, &langs(), &mut problems);
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(
            pages.iter().map(|p| p.slug.as_str()).collect::<Vec<_>>(),
            ["about", "safety"]
        );
        assert_eq!(pages[1].versions.len(), 2);
        assert_eq!(
            pages[0].versions.values().next().unwrap().body,
            "About body"
        );
    }

    #[test]
    fn front_matter_errors_point_into_the_file() {
        let files = vec![SourceFile::new(
            "content/x.md",
            "+++\ntitel = \"X\"\n+++\nBody",
        )];
        let mut problems = Problems::default();
        parse_pages(&files, &langs(), &mut problems);
        let problem = problems.into_sorted().remove(0);
        assert!(
            problem.message.contains("unknown field `titel`"),
            "{}",
            problem.message
        );
        assert_eq!(problem.location().unwrap(), "content/x.md:2:1");
    }
}
