//! Interface strings per language (`themes/<theme>/i18n/<lang>.toml`), with CLDR plural rules,
//! and the date and number formats of each language.

use std::collections::BTreeMap;
use std::sync::Arc;

use intl_pluralrules::{PluralCategory, PluralRuleType, PluralRules};
use serde::Deserialize;
use unic_langid::LanguageIdentifier;

use crate::diagnostics::{Problem, Problems, SourceFile};
use crate::model::date::{Date, Month};
use crate::model::ids::LangCode;

/// How a language is written and named.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LanguageInfo {
    /// The language's own name, for the language bar ("Français", "عربي").
    pub name: String,
    #[serde(default = "ltr")]
    pub dir: String,
    /// Twelve month names, as used in a full date ("1 июня 2026").
    pub months: Vec<String>,
    /// Twelve month names as used alone with a year ("июнь 2026"), where the language
    /// inflects them differently; defaults to `months`.
    pub months_standalone: Option<Vec<String>>,
    /// With `{day}`, `{month}` and `{year}`.
    pub date_format: String,
    /// With `{month}` and `{year}`.
    pub month_format: String,
    #[serde(default = "comma")]
    pub group_separator: String,
}

fn ltr() -> String {
    "ltr".to_owned()
}

fn comma() -> String {
    ",".to_owned()
}

/// A string, or a plural table `{ one = "{count} case", other = "{count} cases" }`.
#[derive(Clone, Debug, Deserialize)]
#[serde(untagged)]
pub enum Entry {
    Text(String),
    Plural(BTreeMap<String, String>),
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct StringsFile {
    language: LanguageInfo,
    strings: BTreeMap<String, Entry>,
}

/// The strings of one language, ready to use.
pub struct Strings {
    pub lang: LangCode,
    pub info: LanguageInfo,
    pub entries: BTreeMap<String, Entry>,
    rules: PluralRules,
}

impl std::fmt::Debug for Strings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Strings")
            .field("lang", &self.lang)
            .finish_non_exhaustive()
    }
}

fn category_name(c: PluralCategory) -> &'static str {
    match c {
        PluralCategory::ZERO => "zero",
        PluralCategory::ONE => "one",
        PluralCategory::TWO => "two",
        PluralCategory::FEW => "few",
        PluralCategory::MANY => "many",
        PluralCategory::OTHER => "other",
    }
}

impl Strings {
    pub fn is_rtl(&self) -> bool {
        self.info.dir == "rtl"
    }

    /// The plain strings, for templates (`{{ t.key }}`).
    pub fn texts(&self) -> BTreeMap<&str, &str> {
        self.entries
            .iter()
            .filter_map(|(k, v)| match v {
                Entry::Text(t) => Some((k.as_str(), t.as_str())),
                Entry::Plural(_) => None,
            })
            .collect()
    }

    pub fn text(&self, key: &str) -> Option<&str> {
        match self.entries.get(key)? {
            Entry::Text(t) => Some(t),
            Entry::Plural(forms) => forms.get("other").map(String::as_str),
        }
    }

    /// `key` with its plural form for `n`, `{count}` replaced by the formatted number.
    pub fn plural(&self, key: &str, n: u64) -> Option<String> {
        let template = match self.entries.get(key)? {
            Entry::Text(t) => t.as_str(),
            Entry::Plural(forms) => {
                let category = self.rules.select(n).map(category_name).unwrap_or("other");
                forms.get(category).or_else(|| forms.get("other"))?.as_str()
            }
        };
        Some(template.replace("{count}", &self.number(n)))
    }

    pub fn number(&self, n: u64) -> String {
        let digits = n.to_string();
        let mut out = String::new();
        for (i, ch) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i) % 3 == 0 {
                out.push_str(&self.info.group_separator);
            }
            out.push(ch);
        }
        out
    }

    pub fn date(&self, date: Date) -> String {
        let d = date.0;
        self.info
            .date_format
            .replace("{day}", &d.day().to_string())
            .replace("{month}", self.month_name(d.month()))
            .replace("{year}", &d.year().to_string())
    }

    pub fn month(&self, month: Month) -> String {
        let names = self
            .info
            .months_standalone
            .as_ref()
            .unwrap_or(&self.info.months);
        let name = names
            .get((month.month - 1) as usize)
            .map(String::as_str)
            .unwrap_or("");
        self.info
            .month_format
            .replace("{month}", name)
            .replace("{year}", &month.year.to_string())
    }

    fn month_name(&self, month: i8) -> &str {
        self.info
            .months
            .get((month - 1) as usize)
            .map(String::as_str)
            .unwrap_or("")
    }
}

/// Reads and checks one strings file. `reference` (the default language's keys) must all be present.
pub(crate) fn parse(
    file: &Arc<SourceFile>,
    lang: &LangCode,
    problems: &mut Problems,
) -> Option<Strings> {
    let parsed: StringsFile = match crate::load::parse(file) {
        Ok(p) => p,
        Err(problem) => {
            problems.push(problem);
            return None;
        }
    };
    let base = lang.as_str().split('-').next().unwrap_or("en");
    let langid: LanguageIdentifier = base.parse().unwrap_or_default();
    let rules = match PluralRules::create(langid, PluralRuleType::CARDINAL) {
        Ok(rules) => rules,
        Err(_) => {
            problems.push(
                Problem::error(format!("no plural rules are known for language `{lang}`"))
                    .in_file(file),
            );
            return None;
        }
    };
    if parsed.language.months.len() != 12
        || parsed
            .language
            .months_standalone
            .as_ref()
            .is_some_and(|m| m.len() != 12)
    {
        problems.push(Problem::error("language.months must list twelve month names").in_file(file));
        return None;
    }
    let strings = Strings {
        lang: lang.clone(),
        info: parsed.language,
        entries: parsed.strings,
        rules,
    };
    // Every plural category this language uses for counts up to 1000 must have a form.
    for (key, entry) in &strings.entries {
        if let Entry::Plural(forms) = entry {
            let mut missing: Vec<&str> = (0..=1000u64)
                .filter_map(|n| strings.rules.select(n).ok().map(category_name))
                .filter(|c| !forms.contains_key(*c))
                .collect();
            missing.sort_unstable();
            missing.dedup();
            if !missing.is_empty() {
                problems.push(
                    Problem::error(format!(
                        "string `{key}` in {lang} lacks the plural form(s): {}",
                        missing.join(", ")
                    ))
                    .in_file(file)
                    .help(format!(
                        "{lang} uses these CLDR plural categories; give each its own text"
                    )),
                );
            }
        }
    }
    Some(strings)
}

/// Every key of the default language must exist in every other language.
pub(crate) fn check_complete(
    all: &BTreeMap<LangCode, Arc<Strings>>,
    default: &LangCode,
    files: &BTreeMap<LangCode, Arc<SourceFile>>,
    problems: &mut Problems,
) {
    let Some(reference) = all.get(default) else {
        return;
    };
    for (lang, strings) in all {
        for key in reference.entries.keys() {
            if !strings.entries.contains_key(key) {
                let file = files
                    .get(lang)
                    .map_or_else(|| format!("i18n/{lang}.toml"), |f| f.name.clone());
                problems.push(Problem::error(format!(
                    "{file}: missing interface string `{key}` (language {lang}); {default} has it: add `{key} = \"...\"` under [strings]"
                )));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(lang: &str, body: &str) -> (Option<Strings>, Problems) {
        let text = format!(
            "[language]\nname = \"x\"\nmonths = [\"1\",\"2\",\"3\",\"4\",\"5\",\"6\",\"7\",\"8\",\"9\",\"10\",\"11\",\"12\"]\ndate_format = \"{{day}} {{month}} {{year}}\"\nmonth_format = \"{{month}} {{year}}\"\n[strings]\n{body}"
        );
        let file = SourceFile::new(format!("i18n/{lang}.toml"), text);
        let mut problems = Problems::default();
        let s = parse(&file, &LangCode::parse(lang).unwrap(), &mut problems);
        (s, problems)
    }

    #[test]
    fn english_plurals() {
        let (s, problems) = strings(
            "en",
            "cases = { one = \"{count} case\", other = \"{count} cases\" }",
        );
        assert!(problems.is_empty());
        let s = s.unwrap();
        assert_eq!(s.plural("cases", 1).unwrap(), "1 case");
        assert_eq!(s.plural("cases", 1234).unwrap(), "1,234 cases");
    }

    #[test]
    fn arabic_needs_all_six_forms() {
        let (_, problems) = strings("ar", "cases = { one = \"a\", other = \"b\" }");
        let message = &problems.iter().next().unwrap().message;
        assert_eq!(
            message,
            "string `cases` in ar lacks the plural form(s): few, many, two, zero"
        );
        let (s, problems) = strings(
            "ar",
            "cases = { zero = \"z{count}\", one = \"o\", two = \"t\", few = \"f{count}\", many = \"m{count}\", other = \"x{count}\" }",
        );
        assert!(problems.is_empty());
        let s = s.unwrap();
        assert_eq!(s.plural("cases", 0).unwrap(), "z0");
        assert_eq!(s.plural("cases", 2).unwrap(), "t");
        assert_eq!(s.plural("cases", 5).unwrap(), "f5");
        assert_eq!(s.plural("cases", 11).unwrap(), "m11");
        assert_eq!(s.plural("cases", 100).unwrap(), "x100");
    }
}
