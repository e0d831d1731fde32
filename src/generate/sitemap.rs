//! `sitemap.xml` (every page, each with its other languages as `hreflang` alternates) and
//! `robots.txt`. Addresses are absolute, from `base_url`, as the sitemap protocol requires.

use std::fmt::Write;

use crate::site::RenderSite;
use crate::site::jobs::{self, PageKind};

use super::xml::escape;
use crate::output::Output;

/// The protocol's limit per file; beyond it `sitemap.xml` becomes an index of numbered files.
pub(super) const MAX_URLS: usize = 50_000;

/// What `serve` keeps of the sitemap: the hash of the page addresses it lists, and its files.
const KEPT: &str = "sitemap";
type Kept = (u64, Vec<(String, Vec<u8>)>);

pub(super) fn files(site: &RenderSite) -> Vec<Output> {
    let mut paths: Vec<String> = Vec::new();
    for job in jobs::plan(site) {
        if job.lang == 0 && job.kind != PageKind::NotFound && !job.kind.is_alias() {
            paths.push(jobs::kind_path(&job.kind, site));
        }
    }
    if !site.carries() {
        return made(site, &paths);
    }
    // Everything else the files read (the base address, the languages) is what every page
    // reads: what was carried is dropped when it changes.
    let mut hash = xxhash_rust::xxh3::Xxh3::new();
    for path in &paths {
        hash.update(path.as_bytes());
        hash.update(b"\n");
    }
    let key = hash.digest();
    let files = match site.take_carried::<Kept>(KEPT) {
        Some((kept, files)) if kept == key => files,
        _ => made(site, &paths)
            .into_iter()
            .map(|o| (o.path, o.bytes))
            .collect(),
    };
    let out = files
        .iter()
        .map(|(path, bytes)| Output {
            path: path.clone(),
            bytes: bytes.clone(),
        })
        .collect();
    site.carry(KEPT, (key, files));
    out
}

/// The sitemap of the pages at `paths` (inside a language), and `robots.txt`.
fn made(site: &RenderSite, paths: &[String]) -> Vec<Output> {
    let base = &site.public.base_url;
    let urls: Vec<String> = paths
        .iter()
        .flat_map(|path| (0..site.langs.len()).map(move |lang| url_entry(site, base, path, lang)))
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
