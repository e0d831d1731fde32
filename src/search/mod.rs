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
mod terms;
pub(crate) mod tokenize;

use std::collections::HashMap;

use rayon::prelude::*;
use serde::Serialize;

use crate::markdown;
use crate::output::Output;
use crate::public::PublicCase;
use crate::site::RenderSite;
use crate::site::listing::Facet;
use crate::site::views::View;

use facets::FacetEntry;
use terms::{DocTexts, KeptIndexes, Shard, TermIndex, TokenizedDoc};

/// Term shards close at about this many bytes (before gzip, roughly a third after): small
/// enough that a word's shard is cheap, large enough that the manifest's list stays short.
pub(crate) const SHARD_BYTES: usize = 16 * 1024;

/// Documents per chunk of result rows. Results of a rare word are spread over the whole
/// list, one chunk per row in the worst case, so chunks stay small.
pub(crate) const CHUNK: usize = 32;

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
pub(crate) fn outputs(site: &RenderSite) -> Vec<Output> {
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
    let doc = |i: usize| {
        site.case_piece("search terms", 0, i, || {
            TokenizedDoc::of(doc_texts(site, &site.public.cases[i]))
        })
    };
    let langs = site.langs.len();
    let language = |lang, shards| language(site, lang, shards, &facet_hash);
    let per_lang: Vec<Vec<Output>> = if site.carries() {
        // `serve` holds every document and patches the last edit's indexes.
        let docs = (0..docs).into_par_iter().map(doc).collect();
        let kept = KeptIndexes::update(site.take_carried(KEPT_INDEXES), docs, langs);
        let per_lang = (kept.indexes.par_iter().enumerate())
            .map(|(lang, index)| language(lang, index.shards(SHARD_BYTES)))
            .collect();
        site.carry(KEPT_INDEXES, kept);
        per_lang
    } else {
        let indexes = TermIndex::build(docs, langs, doc);
        // Each index is let go of once cut into shards, before the result rows are written.
        (indexes.into_par_iter().enumerate())
            .map(|(lang, index)| {
                let shards = index.shards(SHARD_BYTES);
                drop(index);
                language(lang, shards)
            })
            .collect()
    };
    out.extend(per_lang.into_iter().flatten());
    out
}

/// The slot of the indexes `serve` keeps between edits.
const KEPT_INDEXES: &str = "search indexes";

/// A case's texts in every site language, each distinct text once.
fn doc_texts(site: &RenderSite, case: &PublicCase) -> DocTexts {
    let default = &site.public.default_lang;
    let mut texts: Vec<String> = Vec::new();
    // A text is known by its field and the language it is really in: languages that fall
    // back to the default language share its text.
    let mut keys: Vec<(bool, String)> = Vec::new();
    let mut position = |title: bool, lang: &str, make: &dyn Fn() -> String| {
        keys.iter()
            .position(|(t, l)| *t == title && l == lang)
            .unwrap_or_else(|| {
                keys.push((title, lang.to_owned()));
                texts.push(make());
                texts.len() - 1
            })
    };
    let langs = site
        .langs
        .iter()
        .map(|lang| {
            let title = case.title.pick(&lang.code, default);
            let summary = case.summary.pick(&lang.code, default);
            (
                position(true, title.lang, &|| format!("{} {}", title.text, case.id)),
                position(false, summary.lang, &|| markdown::plain_text(summary.text)),
            )
        })
        .collect();
    DocTexts { texts, langs }
}

/// The manifest, shards and chunks of one language, with its term `shards` made.
fn language(site: &RenderSite, lang: usize, shards: Vec<Shard>, facet_hash: &str) -> Vec<Output> {
    let view = View::new(site, lang, "");
    let code = &site.langs[lang].code;
    let cases = &site.public.cases;
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

fn rows(view: &View, cases: &[std::sync::Arc<PublicCase>]) -> Vec<Row> {
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

#[cfg(test)]
mod tests {
    use std::collections::HashMap;
    use std::path::Path;

    use serde_json::Value;

    use super::*;
    use crate::model::date::Date;

    /// The minimal fixture's search files, by path.
    fn files() -> HashMap<String, Vec<u8>> {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/minimal");
        let date = Date::parse("2024-06-15").unwrap();
        let prepared = crate::build::prepare(&root, Some(date)).expect("the fixture builds");
        let site = crate::build::render_site(&prepared);
        outputs(&site)
            .into_iter()
            .map(|o| (o.path, o.bytes))
            .collect()
    }

    fn json(files: &HashMap<String, Vec<u8>>, path: &str) -> Value {
        serde_json::from_slice(files.get(path).unwrap_or_else(|| panic!("no {path}"))).unwrap()
    }

    /// A term looked up as `search.js` does it: the manifest names the shard, the shard gives
    /// document numbers, the chunks give the rows. Returns (row, title hit) per document.
    fn lookup(files: &HashMap<String, Vec<u8>>, lang: &str, term: &str) -> Vec<(Value, bool)> {
        let dir = format!("search/{lang}/");
        let manifest = json(files, &format!("{dir}manifest.json"));
        let shard_no = manifest["shards"]
            .as_array()
            .unwrap()
            .iter()
            .rposition(|first| {
                first
                    .as_str()
                    .unwrap()
                    .encode_utf16()
                    .le(term.encode_utf16())
            })
            .unwrap();
        let folder = format!("{dir}{}", manifest["files"].as_str().unwrap());
        let shard = json(files, &format!("{folder}t{shard_no}.json"));
        let Some(i) = shard["t"]
            .as_array()
            .unwrap()
            .iter()
            .position(|t| t == term)
        else {
            return Vec::new();
        };
        let list = |j: usize| encode::decode_ascending(shard["p"][j].as_str().unwrap());
        let chunk = manifest["chunk"].as_u64().unwrap() as u32;
        let row = |doc: u32| {
            json(files, &format!("{folder}d{}.json", doc / chunk))[(doc % chunk) as usize].clone()
        };
        let mut hits: Vec<(Value, bool)> =
            list(2 * i).into_iter().map(|d| (row(d), true)).collect();
        hits.extend(list(2 * i + 1).into_iter().map(|d| (row(d), false)));
        hits
    }

    fn ids(hits: &[(Value, bool)]) -> Vec<(&str, bool)> {
        hits.iter()
            .map(|(row, t)| (row[0].as_str().unwrap(), *t))
            .collect()
    }

    #[test]
    fn a_word_leads_to_its_cases_in_each_language() {
        let files = files();
        assert_eq!(ids(&lookup(&files, "en", "lawyer")), [("2024-001", true)]);
        assert_eq!(
            ids(&lookup(&files, "en", "journalist")),
            [("2024-002", true)]
        );
        assert_eq!(ids(&lookup(&files, "en", "geneva")), [("2024-002", false)]);
        // The case id is part of the title.
        assert_eq!(
            ids(&lookup(&files, "en", "2024")),
            [("2024-002", true), ("2024-001", true)]
        );
        // French readers search the French title, and the English summary where there is no
        // French one; titles shown in English say so.
        let avocate = lookup(&files, "fr", "avocate");
        assert_eq!(ids(&avocate), [("2024-001", true)]);
        assert_eq!(avocate[0].0[6], "", "a translated title is not marked");
        assert_eq!(ids(&lookup(&files, "fr", "menacee")), [("2024-001", true)]);
        assert_eq!(ids(&lookup(&files, "fr", "lawyer")), [("2024-001", false)]);
        let journalist = lookup(&files, "fr", "journalist");
        assert_eq!(ids(&journalist), [("2024-002", true)]);
        assert_eq!(journalist[0].0[6], "en", "an untranslated title is marked");
        // The unpublished case is nowhere.
        assert!(lookup(&files, "en", "unpublished").is_empty());
    }

    #[test]
    fn facet_columns_and_labels_describe_the_published_cases() {
        let files = files();
        let manifest = json(&files, "search/fr/manifest.json");
        assert_eq!(manifest["n"], 2);
        let committee = &manifest["facet"][0];
        assert_eq!(committee["f"], "committee");
        let values: Vec<(&str, u64)> = committee["v"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| (v[1].as_str().unwrap(), v[3].as_u64().unwrap()))
            .collect();
        assert_eq!(values, [("cat", 2), ("cmw", 1)]);
        // The facet folder is given relative to the manifest's folder, search/fr/.
        let facets = manifest["facets"].as_str().unwrap();
        let folder = format!("search/{}", facets.strip_prefix("../").unwrap());
        let column = json(&files, &format!("{folder}committee.json"));
        let sets: Vec<Vec<u32>> = serde_json::from_value(column["s"].clone()).unwrap();
        let per_doc: Vec<&Vec<u32>> = encode::decode(column["d"].as_str().unwrap())
            .into_iter()
            .map(|s| &sets[s as usize])
            .collect();
        // Newest first: 2024-002 (CAT and CMW), then 2024-001 (CAT).
        assert_eq!(per_doc, [&vec![0, 1], &vec![0]]);
    }
}
