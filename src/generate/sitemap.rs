//! `sitemap.xml` (every page, each with its other languages as `hreflang` alternates) and
//! `robots.txt`. Addresses are absolute, from `base_url`, as the sitemap protocol requires.

use std::fmt::Write;

use crate::site::RenderSite;
use crate::site::jobs::{self, PageKind};

use super::xml::escape;
use crate::output::Output;

/// The protocol's limit per file; beyond it `sitemap.xml` becomes an index of numbered files.
pub(super) const MAX_URLS: usize = 50_000;

pub(super) fn files(site: &RenderSite) -> Vec<Output> {
    let base = &site.public.base_url;
    let mut kinds: Vec<PageKind> = Vec::new();
    for job in jobs::plan(site) {
        if job.lang == 0 && job.kind != PageKind::NotFound && !job.kind.is_alias() {
            kinds.push(job.kind);
        }
    }
    let urls: Vec<String> = kinds
        .iter()
        .flat_map(|kind| {
            let path = jobs::kind_path(kind, site);
            (0..site.langs.len()).map(move |lang| url_entry(site, base, &path, lang))
        })
        .collect();
    let mut out = Vec::new();
    if urls.len() <= MAX_URLS {
        out.push(Output {
            path: "sitemap.xml".into(),
            bytes: urlset(&urls),
        });
    } else {
        let mut index = String::from(
            "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
        );
        for (n, chunk) in urls.chunks(MAX_URLS).enumerate() {
            let name = format!("sitemap-{}.xml", n + 1);
            let _ = writeln!(
                index,
                "<sitemap><loc>{}</loc></sitemap>",
                escape(&format!("{base}{name}"))
            );
            out.push(Output {
                path: name,
                bytes: urlset(chunk),
            });
        }
        index.push_str("</sitemapindex>\n");
        out.push(Output {
            path: "sitemap.xml".into(),
            bytes: index.into_bytes(),
        });
    }
    out.push(Output {
        path: "robots.txt".into(),
        bytes: format!("User-agent: *\nAllow: /\n\nSitemap: {base}sitemap.xml\n").into_bytes(),
    });
    out
}

fn url_entry(site: &RenderSite, base: &str, path: &str, lang: usize) -> String {
    let mut entry = format!(
        "<url><loc>{}</loc>",
        escape(&format!("{base}{}{path}", site.langs[lang].prefix))
    );
    for other in &site.langs {
        let _ = write!(
            entry,
            "<xhtml:link rel=\"alternate\" hreflang=\"{}\" href=\"{}\"/>",
            other.code,
            escape(&format!("{base}{}{path}", other.prefix))
        );
    }
    let _ = write!(
        entry,
        "<xhtml:link rel=\"alternate\" hreflang=\"x-default\" href=\"{}\"/></url>",
        escape(&format!("{base}{path}"))
    );
    entry
}

fn urlset(urls: &[String]) -> Vec<u8> {
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" xmlns:xhtml=\"http://www.w3.org/1999/xhtml\">\n",
    );
    for url in urls {
        xml.push_str(url);
        xml.push('\n');
    }
    xml.push_str("</urlset>\n");
    xml.into_bytes()
}
