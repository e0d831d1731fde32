//! The full-text part of one language's index: for every term, the documents that have it in
//! their title and those that have it only in their summary, cut into shards by term range
//! so that a query fetches only the shards its words fall in.

use std::cmp::Ordering;
use std::collections::HashMap;

use rayon::prelude::*;
use serde::Serialize;

use super::encode;
use super::tokenize;

/// Documents having one term; ids are positions in the newest-first case list.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Posting {
    pub title: Vec<u32>,
    /// Documents with the term in the summary but not in the title.
    pub body: Vec<u32>,
}

/// What is indexed of one document: its title (with the case id) and its summary as text.
pub struct DocText {
    pub title: String,
    pub body: String,
}

/// Every term of one language, in the order `search.js` compares strings (UTF-16 code units).
pub struct TermIndex {
    pub terms: Vec<(String, Posting)>,
}

/// One file of terms.
pub struct Shard {
    /// The shard's first term: the manifest lists these so the script can find a term's shard.
    pub first: String,
    pub json: Vec<u8>,
}

#[derive(Serialize)]
struct ShardFile<'a> {
    /// Terms, sorted.
    t: Vec<&'a str>,
    /// For each term, its title documents then its summary-only documents, encoded.
    p: Vec<String>,
}

/// Documents are tokenised in parallel batches of this size, then merged in order: the batch
/// bounds the memory held by per-document term lists.
const BATCH: usize = 2048;

fn utf16_order(a: &str, b: &str) -> Ordering {
    a.encode_utf16().cmp(b.encode_utf16())
}

fn unique_terms(text: &str) -> Vec<String> {
    let mut terms = tokenize::terms(text);
    terms.sort_unstable();
    terms.dedup();
    terms
}

impl TermIndex {
    /// Indexes documents `0..count`; `text(i)` gives document `i`'s text (called in
    /// parallel, a batch at a time, so that only a batch of texts is held at once).
    pub fn build(count: usize, text: impl Fn(usize) -> DocText + Sync) -> TermIndex {
        let mut map: HashMap<String, Posting> = HashMap::new();
        for start in (0..count).step_by(BATCH) {
            let tokenized: Vec<(Vec<String>, Vec<String>)> = (start..(start + BATCH).min(count))
                .into_par_iter()
                .map(|i| {
                    let doc = text(i);
                    (unique_terms(&doc.title), unique_terms(&doc.body))
                })
                .collect();
            for (offset, (title, body)) in tokenized.into_iter().enumerate() {
                let id = (start + offset) as u32;
                for term in &title {
                    posting(&mut map, term).title.push(id);
                }
                for term in body {
                    if title.binary_search(&term).is_err() {
                        posting(&mut map, &term).body.push(id);
                    }
                }
            }
        }
        let mut terms: Vec<(String, Posting)> = map.into_iter().collect();
        terms.sort_unstable_by(|a, b| utf16_order(&a.0, &b.0));
        TermIndex { terms }
    }

    pub fn get(&self, term: &str) -> Option<&Posting> {
        self.terms
            .binary_search_by(|(t, _)| utf16_order(t, term))
            .ok()
            .map(|i| &self.terms[i].1)
    }

    /// Consecutive runs of terms, each shard closed once it holds about `target` bytes.
    pub fn shards(&self, target: usize) -> Vec<Shard> {
        let mut shards = Vec::new();
        let mut file = ShardFile {
            t: Vec::new(),
            p: Vec::new(),
        };
        let mut size = 0;
        for (term, posting) in &self.terms {
            let title = encode::ascending(&posting.title);
            let body = encode::ascending(&posting.body);
            size += term.len() + title.len() + body.len() + 10;
            file.t.push(term);
            file.p.push(title);
            file.p.push(body);
            if size >= target {
                shards.push(finish(&mut file));
                size = 0;
            }
        }
        if !file.t.is_empty() || shards.is_empty() {
            shards.push(finish(&mut file));
        }
        shards
    }
}

fn posting<'m>(map: &'m mut HashMap<String, Posting>, term: &str) -> &'m mut Posting {
    if !map.contains_key(term) {
        map.insert(term.to_owned(), Posting::default());
    }
    map.get_mut(term).expect("just inserted")
}

fn finish(file: &mut ShardFile) -> Shard {
    let shard = Shard {
        first: file.t.first().map(|t| t.to_string()).unwrap_or_default(),
        json: serde_json::to_vec(&*file).expect("serialisable"),
    };
    file.t.clear();
    file.p.clear();
    shard
}

#[cfg(test)]
mod tests {
    use super::*;

    fn index(docs: &[(&str, &str)]) -> TermIndex {
        TermIndex::build(docs.len(), |i| DocText {
            title: docs[i].0.to_owned(),
            body: docs[i].1.to_owned(),
        })
    }

    #[test]
    fn postings_separate_title_hits_from_summary_hits() {
        let idx = index(&[
            (
                "Lawyer detained",
                "The lawyer was detained after a hearing.",
            ),
            (
                "Journalist threatened",
                "A lawyer said the journalist was threatened.",
            ),
            ("Visit cancelled", "Nothing about lawyers here."),
        ]);
        assert_eq!(
            idx.get("lawyer"),
            Some(&Posting {
                title: vec![0],
                body: vec![1]
            })
        );
        assert_eq!(idx.get("lawyers").unwrap().body, vec![2]);
        assert_eq!(idx.get("detained").unwrap().title, vec![0]);
        assert!(idx.get("detained").unwrap().body.is_empty());
        assert!(idx.get("absent").is_none());
    }

    #[test]
    fn terms_follow_the_browser_string_order() {
        // U+FA0E (an ideograph NFKD leaves alone) comes before U+20000 in code point order
        // but after it in UTF-16, the order JavaScript compares strings in.
        let idx = index(&[("\u{FA0E} \u{20000}", "")]);
        let order: Vec<&str> = idx.terms.iter().map(|(t, _)| t.as_str()).collect();
        assert_eq!(order, ["\u{20000}", "\u{FA0E}"]);
        assert!("\u{FA0E}" < "\u{20000}", "Rust's own order differs");
    }

    #[test]
    fn batches_keep_document_ids_in_order() {
        let count = BATCH * 2 + 5;
        let idx = TermIndex::build(count, |i| DocText {
            title: format!("case n{i}"),
            body: String::new(),
        });
        let all = &idx.get("case").unwrap().title;
        assert_eq!(all.len(), count);
        assert!(all.windows(2).all(|w| w[0] + 1 == w[1]));
        assert_eq!(
            idx.get(&format!("n{}", BATCH + 3)).unwrap().title,
            vec![BATCH as u32 + 3]
        );
    }

    #[test]
    fn shards_partition_the_sorted_terms() {
        let body = "alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi";
        let idx = index(&[("one", body), ("two", body), ("three", "omicron pi rho")]);
        let shards = idx.shards(40);
        assert!(
            shards.len() > 3,
            "a small target should give several shards"
        );
        let mut seen = Vec::new();
        for (i, shard) in shards.iter().enumerate() {
            let file: serde_json::Value = serde_json::from_slice(&shard.json).unwrap();
            let terms: Vec<String> = file["t"]
                .as_array()
                .unwrap()
                .iter()
                .map(|t| t.as_str().unwrap().to_owned())
                .collect();
            assert_eq!(terms[0], shard.first);
            if let Some(next) = shards.get(i + 1) {
                assert!(terms.iter().all(|t| t.as_str() < next.first.as_str()));
            }
            assert_eq!(file["p"].as_array().unwrap().len(), terms.len() * 2);
            seen.extend(terms);
        }
        let all: Vec<&str> = idx.terms.iter().map(|(t, _)| t.as_str()).collect();
        assert_eq!(seen, all, "every term in exactly one shard, in order");
    }
}
