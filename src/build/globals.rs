//! What every page of one language shares (strings, site title, navigation, assets), and the
//! Tera instances that hold it.

use std::collections::BTreeMap;

use serde::Serialize;
use tera::Context;

use crate::diagnostics::Problems;
use crate::model::ids::LangCode;
use crate::render::Renderer;
use crate::site::RenderSite;
use crate::site::routes::{self, Route};
use crate::site::views::Text;

use super::Prepared;

/// The Tera instances of a build: one per language, holding that language's globals.
pub fn renderer(prepared: &Prepared, site: &RenderSite) -> Result<Renderer, Problems> {
    Renderer::new(&prepared.theme, globals(prepared, site))
}

/// A main navigation item whose label is an interface string.
#[derive(Serialize)]
struct MainNavItem {
    path: String,
    section: &'static str,
    label: String,
}

#[derive(Serialize)]
struct NavItem {
    path: String,
    section: String,
    title: Text,
}

#[derive(Serialize)]
struct Assets<'a> {
    css: &'a str,
    js: &'a str,
    search_js: &'a str,
    form_js: &'a str,
    favicon: &'a str,
}

/// What every page of one language shares: strings, site title, navigation, assets.
fn globals(prepared: &Prepared, site: &RenderSite) -> BTreeMap<LangCode, Context> {
    let theme = &prepared.theme;
    site.langs
        .iter()
        .enumerate()
        .map(|(i, lang)| {
            let view = crate::site::views::View::new(site, i, "");
            let mut ctx = Context::new();
            ctx.insert("lang", lang.code.as_str());
            ctx.insert("dir", lang.dir);
            ctx.insert("t", &lang.strings.texts());
            ctx.insert("site_title", &view.text(&site.public.title));
            ctx.insert(
                "site_description",
                &site.public.description.as_ref().map(|d| view.text(d)),
            );
            let nav: Vec<NavItem> = site
                .guidance
                .iter()
                .filter(|g| {
                    !g.version(&lang.code, &site.public.default_lang)
                        .0
                        .front
                        .hidden
                })
                .map(|g| {
                    let (version, real_lang, fallback) =
                        g.version(&lang.code, &site.public.default_lang);
                    NavItem {
                        path: Route::Guidance {
                            slug: g.slug.clone(),
                        }
                        .path(),
                        section: g.slug.clone(),
                        title: Text {
                            text: version
                                .front
                                .nav_title
                                .clone()
                                .unwrap_or_else(|| version.front.title.clone()),
                            lang: real_lang.to_string(),
                            dir: site.dir_of(real_lang.as_str()),
                            fallback,
                        },
                    }
                })
                .collect();
            let nav_items = |entries: Vec<routes::NavEntry>| -> Vec<MainNavItem> {
                entries
                    .into_iter()
                    .map(|entry| MainNavItem {
                        path: entry.route.path(),
                        section: entry.section,
                        label: view.t(entry.label),
                    })
                    .collect()
            };
            ctx.insert("main_nav", &nav_items(routes::main_nav()));
            ctx.insert("closing_nav", &nav_items(routes::closing_nav()));
            ctx.insert("paths", &routes::fixed_paths());
            ctx.insert("nav", &nav);
            ctx.insert(
                "assets",
                &Assets {
                    css: theme.asset_path("site.css").unwrap_or(""),
                    js: theme.asset_path("site.js").unwrap_or(""),
                    search_js: theme.asset_path("search.js").unwrap_or(""),
                    form_js: theme.asset_path("form.js").unwrap_or(""),
                    favicon: theme.asset_path("favicon.svg").unwrap_or(""),
                },
            );
            ctx.insert("sample", &site.public.sample);
            ctx.insert("drafts_preview", &site.public.cases.iter().any(|c| c.draft));
            ctx.insert("exit_url", &site.exit_url);
            ctx.insert("onion_location", &site.onion_location);
            ctx.insert("build_date", &view.date(prepared.build_date));
            ctx.insert("build_date_iso", &prepared.build_date.to_string());
            (lang.code.clone(), ctx)
        })
        .collect()
}
