//! A theme: Tera templates, static assets and interface strings. The default theme is built
//! into the binary; `themes/default/` and `themes/<name>/` in the site root override any file
//! by name, in that order.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use walkdir::WalkDir;

use crate::diagnostics::{Problem, Problems, SourceFile, display_path};
use crate::i18n::{self, Strings};
use crate::model::ids::LangCode;

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/embedded_theme.rs"));
}

/// The built-in theme's files: path inside the theme (`templates/base.html`) and bytes.
pub(crate) fn built_in_files() -> &'static [(&'static str, &'static [u8])] {
    embedded::FILES
}

/// One theme file and where it came from (for messages).
#[derive(Clone, Debug)]
pub(crate) struct ThemeFile {
    pub origin: String,
    pub bytes: Arc<[u8]>,
}

/// A static asset with its content-hashed output path.
#[derive(Clone, Debug)]
pub struct Asset {
    /// Name inside `static/`, for example `site.css`.
    pub name: String,
    /// Output path, for example `assets/site.3f9a2c1d.css`.
    pub path: String,
    pub bytes: Arc<[u8]>,
}

#[derive(Clone, Debug)]
pub struct Theme {
    /// Template name (`case.html`) to text.
    pub templates: BTreeMap<String, (String, String)>,
    pub assets: Vec<Asset>,
    pub strings: BTreeMap<LangCode, Arc<Strings>>,
}

impl Theme {
    pub fn asset_path(&self, name: &str) -> Option<&str> {
        self.assets
            .iter()
            .find(|a| a.name == name)
            .map(|a| a.path.as_str())
    }
}

/// Every file of the theme after overrides, keyed by path inside the theme (`templates/base.html`).
fn theme_files(root: &Path, name: &str) -> BTreeMap<String, ThemeFile> {
    let mut files: BTreeMap<String, ThemeFile> = embedded::FILES
        .iter()
        .map(|(rel, bytes)| {
            let file = ThemeFile {
                origin: format!("(built-in theme)/{rel}"),
                bytes: Arc::from(*bytes),
            };
            (rel.to_string(), file)
        })
        .collect();
    let mut layers = vec![root.join("themes/default")];
    if name != "default" {
        layers.push(root.join("themes").join(name));
    }
    for dir in layers {
        for entry in WalkDir::new(&dir).into_iter().filter_map(Result::ok) {
            let file_name = entry.file_name().to_string_lossy();
            if !entry.file_type().is_file()
                || file_name.starts_with('.')
                || file_name.ends_with('~')
            {
                continue;
            }
            if let Ok(bytes) = std::fs::read(entry.path()) {
                let rel = display_path(&dir, entry.path());
                let origin = display_path(root, entry.path());
                files.insert(
                    rel,
                    ThemeFile {
                        origin,
                        bytes: Arc::from(bytes),
                    },
                );
            }
        }
    }
    files
}

pub(crate) fn load(
    root: &Path,
    name: &str,
    languages: &[LangCode],
    problems: &mut Problems,
) -> Theme {
    if name != "default" && !root.join("themes").join(name).is_dir() {
        problems.push(Problem::error(format!(
            "theme `{name}` not found in themes/{name}/"
        )));
    }
    let files = theme_files(root, name);
    let mut templates = BTreeMap::new();
    let mut assets = Vec::new();
    let mut strings = BTreeMap::new();
    let mut string_files = BTreeMap::new();
    for (rel, file) in &files {
        if let Some(tpl) = rel.strip_prefix("templates/") {
            match std::str::from_utf8(&file.bytes) {
                Ok(text) => {
                    templates.insert(tpl.to_owned(), (file.origin.clone(), text.to_owned()));
                }
                Err(_) => {
                    problems.push(Problem::error(format!("{} is not UTF-8 text", file.origin)))
                }
            }
        } else if let Some(asset) = rel.strip_prefix("static/") {
            assets.push(Asset {
                name: asset.to_owned(),
                path: hashed_path(asset, &file.bytes),
                bytes: file.bytes.clone(),
            });
        }
    }
    for lang in languages {
        let rel = format!("i18n/{lang}.toml");
        let Some(file) = files.get(&rel) else {
            problems.push(
                Problem::error(format!("no interface strings for language `{lang}`")).help(
                    format!("add themes/{name}/i18n/{lang}.toml (copy en.toml and translate it)"),
                ),
            );
            continue;
        };
        let source = SourceFile::new(
            file.origin.clone(),
            crate::diagnostics::normalize_text(String::from_utf8_lossy(&file.bytes).into_owned()),
        );
        if let Some(parsed) = i18n::parse(&source, lang, problems) {
            strings.insert(lang.clone(), Arc::new(parsed));
        }
        string_files.insert(lang.clone(), source);
    }
    if let Some(default) = languages.first() {
        i18n::check_complete(&strings, default, &string_files, problems);
    }
    check_used_strings(
        &templates,
        &strings,
        languages.first(),
        &string_files,
        problems,
    );
    Theme {
        templates,
        assets,
        strings,
    }
}

/// Every interface string a template asks for (`t.key`, `plural(key="key", ...)`) must exist in
/// every language: found here, a missing key is one line naming the file, the key and the
/// language, instead of the template engine's dump of every key it does know.
fn check_used_strings(
    templates: &BTreeMap<String, (String, String)>,
    strings: &BTreeMap<LangCode, Arc<Strings>>,
    default: Option<&LangCode>,
    files: &BTreeMap<LangCode, Arc<SourceFile>>,
    problems: &mut Problems,
) {
    let reference = default.and_then(|d| strings.get(d));
    let pattern =
        regex::Regex::new(r#"\bt\.([A-Za-z_][A-Za-z0-9_]*)|plural\(\s*key\s*=\s*"([^"]+)""#)
            .expect("valid pattern");
    // Key -> the first template that uses it, in template order.
    let mut used: BTreeMap<String, &str> = BTreeMap::new();
    for (name, (_, text)) in templates {
        for caps in pattern.captures_iter(text) {
            if let Some(key) = caps.get(1).or_else(|| caps.get(2)) {
                used.entry(key.as_str().to_owned()).or_insert(name);
            }
        }
    }
    for (lang, lang_strings) in strings {
        let file = files
            .get(lang)
            .map_or_else(|| format!("i18n/{lang}.toml"), |f| f.name.clone());
        for (key, template) in &used {
            // A key the default language has is already reported by `check_complete`.
            let reported = Some(lang) != default
                && reference.is_some_and(|r| r.entries.contains_key(key.as_str()));
            if !reported && !lang_strings.entries.contains_key(key.as_str()) {
                problems.push(Problem::error(missing_string_message(
                    &file, key, lang, template,
                )));
            }
        }
    }
}

/// The whole message on one line: the file to edit, the key to add, its language, and where
/// it is used.
pub(crate) fn missing_string_message(
    file: &str,
    key: &str,
    lang: &LangCode,
    template: &str,
) -> String {
    format!(
        "{file}: missing interface string `{key}` (language {lang}), used by templates/{template}; add `{key} = \"...\"` under [strings]"
    )
}

/// `search.js` becomes `assets/search.<hash>.js`: a changed file gets a new name, so caches
/// never serve a stale one.
fn hashed_path(name: &str, bytes: &[u8]) -> String {
    let hash = xxhash_rust::xxh3::xxh3_64(bytes);
    let short = format!("{:016x}", hash);
    match name.rsplit_once('.') {
        Some((stem, ext)) => format!("assets/{stem}.{}.{ext}", &short[..10]),
        None => format!("assets/{name}.{}", &short[..10]),
    }
}
