//! From the public projection to HTML: a flat list of page jobs, each turned into a small
//! context and rendered by Tera from templates trimmed of their layout whitespace (`trim`).
//!
//! Where is a page made? `site::jobs` lists every page, `site::routes` gives its address;
//! `pages/` builds the context of each kind of page; the template of the same name in
//! `themes/default/templates/` draws it.

pub(crate) mod pages;
mod rows;
mod trim;

use std::collections::BTreeMap;

use tera::{Context, Kwargs, State, Tera};

use crate::diagnostics::{Problem, Problems};
use crate::model::ids::LangCode;
use crate::theme::Theme;

pub(crate) use rows::CaseRows;

/// One Tera instance per language: each holds that language's strings in its global context.
pub struct Renderer {
    teras: BTreeMap<LangCode, Tera>,
}

impl Renderer {
    pub fn new(theme: &Theme, globals: BTreeMap<LangCode, Context>) -> Result<Renderer, Problems> {
        let mut problems = Problems::default();
        let mut teras = BTreeMap::new();
        // Trimmed once for every language.
        let sources: Vec<(String, String)> = theme
            .templates
            .iter()
            .map(|(name, (_, text))| (name.clone(), trim::trim(text)))
            .collect();
        for (lang, global) in globals {
            let Some(strings) = theme.strings.get(&lang) else {
                continue;
            };
            let mut tera = Tera::new();
            tera.autoescape_on(vec![".html", ".xml", ".svg"]);
            let lang_for_fn = lang.clone();
            let owned = strings.clone();
            tera.register_function(
                "plural",
                move |kwargs: Kwargs, _: &State| -> tera::TeraResult<String> {
                    let key: String = kwargs.must_get::<&str>("key")?.to_owned();
                    let n: i64 = kwargs.must_get("n")?;
                    owned.plural(&key, n.max(0) as u64).ok_or_else(|| {
                        tera::Error::message(format!(
                            "missing string `{key}` for language `{lang_for_fn}`"
                        ))
                    })
                },
            );
            if let Err(err) = tera.add_raw_templates(sources.clone()) {
                problems.push(Problem::error(format!("template error:\n{err}")));
                return Err(problems);
            }
            *tera.global_context() = global;
            teras.insert(lang, tera);
        }
        Ok(Renderer { teras })
    }

    /// Renders a template.
    pub fn render(
        &self,
        lang: &LangCode,
        template: &str,
        context: &Context,
    ) -> Result<Vec<u8>, Problem> {
        let tera = self
            .teras
            .get(lang)
            .ok_or_else(|| Problem::error(format!("no strings for language `{lang}`")))?;
        let html = tera.render(template, context).map_err(|err| {
            Problem::error(format!(
                "cannot render {template} ({lang}):\n{}",
                without_field_list(&err.to_string())
            ))
        })?;
        Ok(html.into_bytes())
    }
}

/// Tera follows "Field `x` is not defined" with every field it does know (hundreds of
/// interface strings): the cause is the first sentence.
fn without_field_list(message: &str) -> String {
    match message.find(" Available fields:") {
        Some(i) => message[..i].to_owned(),
        None => message.to_owned(),
    }
}
