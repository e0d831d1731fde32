//! The case search index that `search.js` reads: written from the public projection only,
//! one per site language, split so that a first query fetches a few small files.
//!
//! ```text
//! search/<lang>/manifest.json      fixed address the page knows; lists everything below
//! search/<lang>/<hash>/t<i>.json   term shards: terms in a range, with their documents
//! search/<lang>/<hash>/d<i>.json   document chunks: what a result row shows, CHUNK at a time
//! search/facets/<hash>/<f>.json    one facet column per facet, shared by every language
//! ```
//!
//! A document is a published case, numbered by its place in the newest-first list, so a
//! smaller number is a more recent case. Folder names are content hashes: any change to the
//! cases gives new names, and the manifest (fetched without caching) points to them.

mod encode;
mod facets;
pub mod terms;
pub mod tokenize;

use std::collections::HashMap;

use rayon::prelude::*;
use serde::Serialize;

use crate::generate::Output;
use crate::markdown;
use crate::public::PublicCase;
use crate::render::RenderSite;
use crate::render::listing::Facet;
use crate::render::views::View;

use facets::FacetEntry;
use terms::{DocText, TermIndex};

/// Term shards close at about this many bytes (before gzip, roughly a third after): small
/// enough that a word's shard is cheap, large enough that the manifest's list stays short.
pub const SHARD_BYTES: usize = 16 * 1024;

/// Documents per chunk of result rows. Results of a rare word are spread over the whole
/// list, one chunk per row in the worst case, so chunks stay small.
pub const CHUNK: usize = 32;

#[derive(Serialize)]
struct Manifest<'a> {
    /// Number of documents.
    n: usize,
    /// Folder of this language's shards and chunks, relative to the manifest.
    files: String,
    /// Folder of the facet columns, relative to the manifest.
    facets: String,
    chunk: usize,
    /// The first term of each shard `t<i>.json`; the first is always `""`.
    shards: Vec<&'a str>,
    /// How numbers and dates are written in this language (as `i18n` does for pages).
    sep: &'a str,
    date: (&'a str, &'a [String]),
    /// Languages written right to left, for result titles shown in another language.
    rtl: Vec<&'a str>,
    facet: Vec<FacetEntry>,
}

/// What a result row shows: `[id, title, date, country, committees, status, title language
/// if the title is not in the page's language (else "")]`; country and status are value
/// indexes of their facets, so their labels come from the manifest.
type Row = (String, String, String, u32, String, u32, String);

/// Every file of the search index.
pub fn outputs(site: &RenderSite) -> Vec<Output> {
    let docs = site.public.cases.len();
    let columns: Vec<(Facet, Vec<u8>)> = site
        .listings
        .facets
        .par_iter()
        .map(|group| (group.facet, facets::column(group, docs)))
        .collect();
    let facet_hash = encode::hash(columns.iter().map(|(_, bytes)| bytes.as_slice()));
    let mut out: Vec<Output> = columns
        .into_iter()
        .map(|(facet, bytes)| Output {
            path: format!("search/facets/{facet_hash}/{}.json", facet.slug()),
            bytes,
        })
        .collect();
    for lang in 0..site.langs.len() {
        out.extend(language(site, lang, &facet_hash));
    }
    out
}

/// The manifest, shards and chunks of one language.
fn language(site: &RenderSite, lang: usize, facet_hash: &str) -> Vec<Output> {
    let view = View::new(site, lang, "");
    let code = &site.langs[lang].code;
    let default = &site.public.default_lang;
    let cases = &site.public.cases;
    let index = TermIndex::build(cases.len(), |i| {
        let case = &cases[i];
        DocText {
            title: format!("{} {}", case.title.pick(code, default).text, case.id),
            body: markdown::plain_text(case.summary.pick(code, default).text),
        }
    });
    let shards = index.shards(SHARD_BYTES);
    drop(index);
    let chunks: Vec<Vec<u8>> = cases
        .par_chunks(CHUNK)
        .map(|chunk| serde_json::to_vec(&rows(&view, chunk)).expect("serialisable"))
        .collect();
    let hash = encode::hash(
        shards
            .iter()
            .map(|s| s.json.as_slice())
            .chain(chunks.iter().map(Vec::as_slice)),
    );
    let dir = format!("search/{code}/");
    let info = &site.langs[lang].strings.info;
    let manifest = Manifest {
        n: cases.len(),
        files: format!("{hash}/"),
        facets: format!("../facets/{facet_hash}/"),
        chunk: CHUNK,
        shards: shards
            .iter()
            .enumerate()
            .map(|(i, s)| if i == 0 { "" } else { s.first.as_str() })
            .collect(),
        sep: &info.group_separator,
        date: (&info.date_format, &info.months),
        rtl: site
            .langs
            .iter()
            .filter(|l| l.dir == "rtl")
            .map(|l| l.code.as_str())
            .collect(),
        facet: site
            .listings
            .facets
            .iter()
            .map(|group| facets::entry(&view, group))
            .collect(),
    };
    let mut out = vec![Output {
        path: format!("{dir}manifest.json"),
        bytes: serde_json::to_vec(&manifest).expect("serialisable"),
    }];
    for (i, shard) in shards.into_iter().enumerate() {
        out.push(Output {
            path: format!("{dir}{hash}/t{i}.json"),
            bytes: shard.json,
        });
    }
    for (i, bytes) in chunks.into_iter().enumerate() {
        out.push(Output {
            path: format!("{dir}{hash}/d{i}.json"),
            bytes,
        });
    }
    out
}

/// Where each value of a facet sits in its column, by key.
fn positions<'s>(site: &'s RenderSite, facet: Facet) -> HashMap<&'s str, u32> {
    site.listings
        .group(facet)
        .values
        .iter()
        .enumerate()
        .map(|(i, v)| (v.key.as_str(), i as u32))
        .collect()
}

fn rows(view: &View, cases: &[PublicCase]) -> Vec<Row> {
    let countries = positions(view.site, Facet::Country);
    let statuses = positions(view.site, Facet::Status);
    cases
        .iter()
        .map(|case| {
            let title = view.text(&case.title);
            (
                case.id.to_string(),
                title.text,
                case.date_reported.to_string(),
                countries[case.country.slug().as_str()],
                case.committees
                    .iter()
                    .map(|c| c.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
                statuses[case.status.as_str()],
                if title.fallback {
                    title.lang
                } else {
                    String::new()
                },
            )
        })
        .collect()
}
