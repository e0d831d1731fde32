//! Human-readable text that is either one string (default language) or a table per language.

use std::fmt;
use std::sync::Arc;

use serde::de::{self, MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::ids::LangCode;

/// `title = "..."` or `title = { en = "...", fr = "..." }`.
///
/// Texts are shared (`Arc<str>`), and so is a table of them: the public projection takes a
/// published case's title and summary without copying them, so a large site does not hold
/// every text twice while it is projected. A table is a short sorted list, not a map: a
/// `BTreeMap` node takes room for eleven entries (512 bytes for one summary in one language),
/// and each copy of the map made new nodes.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Localized {
    /// Text in the site's default language.
    Plain(Arc<str>),
    /// Text per language code, each code once, sorted by code (the order it is written in).
    Table(Arc<[(LangCode, Arc<str>)]>),
}

impl Serialize for Localized {
    /// A string, or a map of language code to text in the codes' order.
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Localized::Plain(text) => serializer.serialize_str(text),
            Localized::Table(entries) => {
                let mut map = serializer.serialize_map(Some(entries.len()))?;
                for (lang, text) in entries.iter() {
                    map.serialize_entry(lang, &**text)?;
                }
                map.end()
            }
        }
    }
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
            Localized::Table(entries) => {
                if let Some(text) = self.text_in(lang) {
                    return Chosen {
                        text,
                        lang: lang.as_str(),
                        fallback: false,
                    };
                }
                let (found_lang, text) = entries
                    .iter()
                    .find(|(l, _)| l == default)
                    .or_else(|| entries.first())
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

    /// The text given for `lang` in a table (never a plain text's). A table has a handful of
    /// entries at most (the site's languages), so it is read in order, not searched by halves:
    /// as fast, and right even for a table that is not sorted.
    fn text_in(&self, lang: &LangCode) -> Option<&str> {
        match self {
            Localized::Plain(_) => None,
            Localized::Table(entries) => entries
                .iter()
                .find(|(l, _)| l == lang)
                .map(|(_, text)| &**text),
        }
    }

    /// Every (language, text) pair, the plain form counting as the default language.
    pub fn entries<'a>(&'a self, default: &'a LangCode) -> Vec<(&'a LangCode, &'a str)> {
        match self {
            Localized::Plain(text) => vec![(default, &**text)],
            Localized::Table(entries) => entries.iter().map(|(l, t)| (l, &**t)).collect(),
        }
    }

    /// All texts, whatever their language: what the leak scan and the lint look at.
    pub fn texts(&self) -> Vec<&str> {
        match self {
            Localized::Plain(text) => vec![&**text],
            Localized::Table(entries) => entries.iter().map(|(_, t)| &**t).collect(),
        }
    }

    pub fn languages(&self) -> Vec<&LangCode> {
        match self {
            Localized::Plain(_) => Vec::new(),
            Localized::Table(entries) => entries.iter().map(|(l, _)| l).collect(),
        }
    }

    pub fn has_lang(&self, lang: &LangCode, default: &LangCode) -> bool {
        match self {
            Localized::Plain(_) => lang == default,
            Localized::Table(_) => self.text_in(lang).is_some(),
        }
    }

    /// Whether this is a table without a text for `lang` (a plain text is in the default
    /// language).
    pub fn table_lacks(&self, lang: &LangCode) -> bool {
        matches!(self, Localized::Table(_)) && self.text_in(lang).is_none()
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
        let mut entries: Vec<(LangCode, Arc<str>)> = Vec::new();
        while let Some(lang) = access.next_key::<LangCode>()? {
            let text: String = access.next_value()?;
            if entries.iter().any(|(l, _)| *l == lang) {
                return Err(de::Error::custom(format!("language `{lang}` given twice")));
            }
            entries.push((lang, text.into()));
        }
        if entries.is_empty() {
            return Err(de::Error::custom(
                "empty language table: give at least the default language",
            ));
        }
        entries.sort_by(|a, b| a.0.cmp(&b.0));
        Ok(Localized::Table(entries.into()))
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
    fn a_table_is_written_as_a_map_in_code_order_and_a_repeated_code_is_refused() {
        let doc: Doc =
            toml::from_str("a = \"Hi\"\nb = { fr = \"Salut\", ar = \"أهلا\", en = \"Hi\" }")
                .unwrap();
        assert_eq!(serde_json::to_string(&doc.a).unwrap(), r#""Hi""#);
        assert_eq!(
            serde_json::to_string(&doc.b).unwrap(),
            r#"{"ar":"أهلا","en":"Hi","fr":"Salut"}"#
        );
        let (en, fr, zh) = (lang("en"), lang("fr"), lang("zh"));
        assert!(doc.b.has_lang(&fr, &en) && !doc.b.has_lang(&zh, &en));
        assert!(doc.b.table_lacks(&zh) && !doc.b.table_lacks(&en) && !doc.a.table_lacks(&zh));
        assert_eq!(doc.b.texts(), ["أهلا", "Hi", "Salut"]);
        let err = toml::from_str::<Doc>("a = \"x\"\nb = { en = \"Hi\", fr = \"a\", en = \"b\" }")
            .err()
            .unwrap();
        assert!(
            err.message().contains("given twice") || err.message().contains("duplicate"),
            "{}",
            err.message()
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
