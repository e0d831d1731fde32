//! Human-readable text that is either one string (default language) or a table per language.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;

use serde::de::{self, MapAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize};

use super::ids::LangCode;

/// `title = "..."` or `title = { en = "...", fr = "..." }`.
///
/// Texts are shared (`Arc<str>`): the public projection takes a published case's title and
/// summary without copying them, so a large site does not hold every text twice while it is
/// projected.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(untagged)]
pub enum Localized {
    /// Text in the site's default language.
    Plain(Arc<str>),
    /// Text per language code.
    Table(BTreeMap<LangCode, Arc<str>>),
}

/// The text chosen for one page language, and whether it had to fall back.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Chosen<'a> {
    pub text: &'a str,
    /// The language the text is really in (differs from the page's on fallback).
    pub lang: &'a str,
    pub fallback: bool,
}

impl Localized {
    /// Picks `lang`'s text, else the default language's, else any (validation forbids that).
    pub fn pick<'a>(&'a self, lang: &'a LangCode, default: &'a LangCode) -> Chosen<'a> {
        match self {
            Localized::Plain(text) => Chosen {
                text,
                lang: default.as_str(),
                fallback: lang != default,
            },
            Localized::Table(map) => {
                if let Some(text) = map.get(lang) {
                    return Chosen {
                        text,
                        lang: lang.as_str(),
                        fallback: false,
                    };
                }
                let (found_lang, text) = map
                    .get_key_value(default)
                    .or_else(|| map.iter().next())
                    .map(|(l, t)| (l.as_str(), &**t))
                    .unwrap_or((default.as_str(), ""));
                Chosen {
                    text,
                    lang: found_lang,
                    fallback: true,
                }
            }
        }
    }

    /// Every (language, text) pair, the plain form counting as the default language.
    pub fn entries<'a>(&'a self, default: &'a LangCode) -> Vec<(&'a LangCode, &'a str)> {
        match self {
            Localized::Plain(text) => vec![(default, &**text)],
            Localized::Table(map) => map.iter().map(|(l, t)| (l, &**t)).collect(),
        }
    }

    /// All texts, whatever their language: what the leak scan and the lint look at.
    pub fn texts(&self) -> Vec<&str> {
        match self {
            Localized::Plain(text) => vec![&**text],
            Localized::Table(map) => map.values().map(|t| &**t).collect(),
        }
    }

    pub fn languages(&self) -> Vec<&LangCode> {
        match self {
            Localized::Plain(_) => Vec::new(),
            Localized::Table(map) => map.keys().collect(),
        }
    }

    pub fn has_lang(&self, lang: &LangCode, default: &LangCode) -> bool {
        match self {
            Localized::Plain(_) => lang == default,
            Localized::Table(map) => map.contains_key(lang),
        }
    }
}

struct LocalizedVisitor;

impl<'de> Visitor<'de> for LocalizedVisitor {
    type Value = Localized;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(
            "a string, or a table of language code to string like { en = \"...\", fr = \"...\" }",
        )
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Localized, E> {
        Ok(Localized::Plain(v.into()))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Localized, E> {
        Ok(Localized::Plain(v.into()))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<Localized, A::Error> {
        let mut map = BTreeMap::new();
        while let Some(lang) = access.next_key::<LangCode>()? {
            let text: String = access.next_value()?;
            if map.insert(lang.clone(), text.into()).is_some() {
                return Err(de::Error::custom(format!("language `{lang}` given twice")));
            }
        }
        if map.is_empty() {
            return Err(de::Error::custom(
                "empty language table: give at least the default language",
            ));
        }
        Ok(Localized::Table(map))
    }
}

impl<'de> Deserialize<'de> for Localized {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(LocalizedVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lang(s: &str) -> LangCode {
        LangCode::parse(s).unwrap()
    }

    #[derive(Deserialize)]
    struct Doc {
        a: Localized,
        b: Localized,
    }

    #[test]
    fn picks_requested_language_or_marks_fallback() {
        let doc: Doc =
            toml::from_str("a = \"Hello\"\nb = { en = \"Hello\", fr = \"Bonjour\" }").unwrap();
        let (en, fr, ar) = (lang("en"), lang("fr"), lang("ar"));
        assert_eq!(
            doc.b.pick(&fr, &en),
            Chosen {
                text: "Bonjour",
                lang: "fr",
                fallback: false
            }
        );
        assert_eq!(
            doc.b.pick(&ar, &en),
            Chosen {
                text: "Hello",
                lang: "en",
                fallback: true
            }
        );
        assert_eq!(
            doc.a.pick(&en, &en),
            Chosen {
                text: "Hello",
                lang: "en",
                fallback: false
            }
        );
        assert_eq!(
            doc.a.pick(&fr, &en),
            Chosen {
                text: "Hello",
                lang: "en",
                fallback: true
            }
        );
    }

    #[test]
    fn rejects_bad_language_keys() {
        let err = toml::from_str::<Doc>("a = \"x\"\nb = { EN = \"Hello\" }")
            .err()
            .unwrap();
        assert!(err.message().contains("language code"), "{}", err.message());
    }
}
