//! The full-text part of one language's index: for every term, the documents that have it in
//! their title and those that have it only in their summary, cut into shards by term range
//! so that a query fetches only the shards its words fall in.

use std::cmp::Ordering;
use std::collections::HashMap;
use std::sync::Arc;

use rayon::prelude::*;
use serde::Serialize;
use xxhash_rust::xxh3::Xxh3DefaultBuilder;

use super::encode::Ascending;
use super::tokenize;

/// Documents having one term; ids are positions in the newest-first case list.
#[derive(Debug, Default, PartialEq, Eq)]
pub(super) struct Posting {
    pub title: Ascending,
    /// Documents with the term in the summary but not in the title.
    pub body: Ascending,
}

/// What is indexed of one document in every language: each distinct text once (its title
/// with the case id, its summary as plain text), and for each language which text is its title
/// and which its summary. Languages without a translation share the default language's text,
/// so it is tokenised once.
pub(super) struct DocTexts {
    pub texts: Vec<String>,
    /// Per language: (title, summary), indexes into `texts`.
    pub langs: Vec<(usize, usize)>,
}

/// A document's texts, tokenised, with the same language table as its `DocTexts`.
pub(super) struct TokenizedDoc {
    tokens: Vec<Tokens>,
    langs: Vec<(usize, usize)>,
}

impl TokenizedDoc {
    pub(super) fn of(texts: DocTexts) -> Self {
        TokenizedDoc {
            tokens: texts.texts.iter().map(|t| Tokens::of(t)).collect(),
            langs: texts.langs,
        }
    }
}

/// Every term of one language, in the order `search.js` compares strings (UTF-16 code units).
pub(super) struct TermIndex {
    pub terms: Vec<(String, Posting)>,
}

/// One file of terms.
pub(super) struct Shard {
    /// The shard's first term: the manifest lists these so the script can find a term's shard.
    pub first: String,
    pub json: Vec<u8>,
}

#[derive(Serialize)]
struct ShardFile<'a> {
    /// Terms, sorted.
    t: Vec<&'a str>,
    /// For each term, its title documents then its summary-only documents, encoded.
    p: Vec<&'a str>,
}

/// Documents are tokenised in parallel batches of this size, then merged in order: the batch
/// bounds the memory held by per-document term lists.
const BATCH: usize = 2048;

fn utf16_order(a: &str, b: &str) -> Ordering {
    a.encode_utf16().cmp(b.encode_utf16())
}

/// The terms of one text, kept as byte spans of its folded form: one allocation per text
/// rather than one per word.
struct Tokens {
    folded: String,
    spans: Vec<(u32, u32)>,
}

impl Tokens {
    fn of(text: &str) -> Tokens {
        let folded = tokenize::fold(text);
        let base = folded.as_ptr() as usize;
        let mut spans = Vec::new();
        // Every term is a slice of `folded`, so its offset is where it starts in memory.
        tokenize::for_each_term(&folded, |term| {
            let start = (term.as_ptr() as usize - base) as u32;
            spans.push((start, start + term.len() as u32));
        });
        // Each term once: the merge into the index, which is serial within a language, looks
        // every term up, and a summary repeats many of its words. The order does not matter
        // there (a document's postings are the same whatever order its terms come in).
        let term = |&(s, e): &(u32, u32)| &folded[s as usize..e as usize];
        spans.sort_unstable_by(|a, b| term(a).cmp(term(b)));
        spans.dedup_by(|a, b| term(a) == term(b));
        Tokens { folded, spans }
    }

    fn iter(&self) -> impl Iterator<Item = &str> {
        self.spans
            .iter()
            .map(|&(s, e)| &self.folded[s as usize..e as usize])
    }

    fn contains(&self, term: &str) -> bool {
        // `of` sorted the spans by their terms.
        self.spans
            .binary_search_by(|&(s, e)| self.folded[s as usize..e as usize].cmp(term))
            .is_ok()
    }
}

type TermMap = HashMap<String, Posting, Xxh3DefaultBuilder>;

/// Records one occurrence. A document's title terms come before its summary terms, and ids
/// only grow, so "the list already ends with this document" is the whole duplicate check.
fn add(map: &mut TermMap, term: &str, id: u32, in_title: bool) {
    let posting = match map.get_mut(term) {
        Some(posting) => posting,
        None => map.entry(term.to_owned()).or_default(),
    };
    if posting.title.ends_with(id) {
        return;
    }
    if in_title {
        posting.title.push(id);
    } else if !posting.body.ends_with(id) {
        posting.body.push(id);
    }
}

impl TermIndex {
    /// Indexes documents `0..count` in `langs` languages at once: `doc(i)` gives document
    /// `i`'s texts, tokenised (see `TokenizedDoc::of`). Documents are tokenised in parallel a
    /// batch at a time (so only a batch is held in memory), then each language merges the
    /// batch into its own index, in parallel.
    pub(super) fn build(
        count: usize,
        langs: usize,
        doc: impl Fn(usize) -> Arc<TokenizedDoc> + Sync,
    ) -> Vec<TermIndex> {
        let mut maps: Vec<TermMap> = (0..langs).map(|_| TermMap::default()).collect();
        for start in (0..count).step_by(BATCH) {
            let batch: Vec<Arc<TokenizedDoc>> = (start..(start + BATCH).min(count))
                .into_par_iter()
                .map(&doc)
                .collect();
            maps.par_iter_mut().enumerate().for_each(|(lang, map)| {
                for (offset, doc) in batch.iter().enumerate() {
                    let id = (start + offset) as u32;
                    let (title, body) = doc.langs[lang];
                    for term in doc.tokens[title].iter() {
                        add(map, term, id, true);
                    }
                    for term in doc.tokens[body].iter() {
                        add(map, term, id, false);
                    }
                }
            });
        }
        maps.into_par_iter()
            .map(|map| {
                let mut terms: Vec<(String, Posting)> = map.into_iter().collect();
                terms.sort_unstable_by(|a, b| utf16_order(&a.0, &b.0));
                TermIndex { terms }
            })
            .collect()
    }

    /// Makes this index (of documents `old`, in language `lang`) the index of `new`, which
    /// differs from `old` only at the positions `changed` (sorted): only the terms of those
    /// documents, before and after, are looked at.
    fn patch(
        &mut self,
        lang: usize,
        old: &[Arc<TokenizedDoc>],
        new: &[Arc<TokenizedDoc>],
        changed: &[usize],
    ) {
        let mut affected: Vec<&str> = changed
            .iter()
            .flat_map(|&i| [&old[i], &new[i]])
            .flat_map(|doc| {
                let (title, body) = doc.langs[lang];
                doc.tokens[title].iter().chain(doc.tokens[body].iter())
            })
            .collect();
        affected.sort_unstable_by(|a, b| utf16_order(a, b));
        affected.dedup();
        let is_changed = |id: &u32| changed.binary_search(&(*id as usize)).is_ok();
        let mut gone: Vec<usize> = Vec::new();
        let mut added: Vec<(String, Posting)> = Vec::new();
        for term in affected {
            let at = self.terms.binary_search_by(|(t, _)| utf16_order(t, term));
            let (mut title, mut body) = match at {
                Ok(i) => (self.terms[i].1.title.ids(), self.terms[i].1.body.ids()),
                Err(_) => (Vec::new(), Vec::new()),
            };
            title.retain(|id| !is_changed(id));
            body.retain(|id| !is_changed(id));
            // As `add` does: a title hit, else a summary hit.
            for &i in changed {
                let doc = &new[i];
                let (in_title, in_body) = doc.langs[lang];
                if doc.tokens[in_title].contains(term) {
                    title.push(i as u32);
                } else if doc.tokens[in_body].contains(term) {
                    body.push(i as u32);
                }
            }
            title.sort_unstable();
            body.sort_unstable();
            let posting = Posting {
                title: Ascending::of(&title),
                body: Ascending::of(&body),
            };
            let empty = title.is_empty() && body.is_empty();
            match (at, empty) {
                (Ok(i), false) => self.terms[i].1 = posting,
                (Ok(i), true) => gone.push(i),
                (Err(_), false) => added.push((term.to_owned(), posting)),
                (Err(_), true) => {}
            }
        }
        if gone.is_empty() && added.is_empty() {
            return;
        }
        // One merge of the sorted list with the sorted new terms, skipping the gone ones.
        // `affected` was in order, so `gone` and `added` are too.
        let terms = std::mem::take(&mut self.terms);
        let mut merged = Vec::with_capacity(terms.len() + added.len() - gone.len());
        let mut added = added.into_iter().peekable();
        let mut gone = gone.into_iter().peekable();
        for (i, entry) in terms.into_iter().enumerate() {
            if gone.next_if_eq(&i).is_some() {
                continue;
            }
            while let Some(term) = added.next_if(|(t, _)| utf16_order(t, &entry.0).is_lt()) {
                merged.push(term);
            }
            merged.push(entry);
        }
        merged.extend(added);
        self.terms = merged;
    }

    #[cfg(test)]
    pub(crate) fn get(&self, term: &str) -> Option<&Posting> {
        self.terms
            .binary_search_by(|(t, _)| utf16_order(t, term))
            .ok()
            .map(|i| &self.terms[i].1)
    }

    /// Consecutive runs of terms, each shard closed once it holds about `target` bytes.
    pub(super) fn shards(&self, target: usize) -> Vec<Shard> {
        let mut shards = Vec::new();
        let mut file = ShardFile {
            t: Vec::new(),
            p: Vec::new(),
        };
        let mut size = 0;
        for (term, posting) in &self.terms {
            let (title, body) = (posting.title.as_str(), posting.body.as_str());
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

/// The indexes of every language with the documents they were made from, kept by `serve`
/// from one edit to the next so that an edit re-indexes only the documents it changed.
pub(super) struct KeptIndexes {
    docs: Vec<Arc<TokenizedDoc>>,
    pub indexes: Vec<TermIndex>,
}

/// Above this many changed documents, building afresh is about as quick as patching.
const MOST_PATCHED: usize = 64;

impl KeptIndexes {
    /// The indexes of `docs` in `langs` languages: `last`'s, patched, when it was made for as
    /// many documents and languages and at most `MOST_PATCHED` documents differ; else built
    /// afresh. A document is taken as unchanged when it is the very one `last` indexed:
    /// `serve`'s memo hands back the same one for a case that did not change.
    pub(super) fn update(
        last: Option<KeptIndexes>,
        docs: Vec<Arc<TokenizedDoc>>,
        langs: usize,
    ) -> KeptIndexes {
        let patchable =
            last.filter(|last| last.docs.len() == docs.len() && last.indexes.len() == langs);
        let changed: Option<(KeptIndexes, Vec<usize>)> = patchable.and_then(|last| {
            let changed: Vec<usize> = (0..docs.len())
                .filter(|&i| !Arc::ptr_eq(&last.docs[i], &docs[i]))
                .collect();
            (changed.len() <= MOST_PATCHED).then_some((last, changed))
        });
        match changed {
            Some((mut last, changed)) => {
                let old = &last.docs;
                last.indexes
                    .par_iter_mut()
                    .enumerate()
                    .for_each(|(lang, index)| index.patch(lang, old, &docs, &changed));
                KeptIndexes {
                    docs,
                    indexes: last.indexes,
                }
            }
            None => {
                let indexes = TermIndex::build(docs.len(), langs, |i| docs[i].clone());
                KeptIndexes { docs, indexes }
            }
        }
    }
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
    use crate::search::encode::decode_ascending;

    /// A term's (title documents, summary-only documents).
    fn docs(idx: &TermIndex, term: &str) -> Option<(Vec<u32>, Vec<u32>)> {
        let p = idx.get(term)?;
        Some((
            decode_ascending(p.title.as_str()),
            decode_ascending(p.body.as_str()),
        ))
    }

    fn tokenized(texts: DocTexts) -> Arc<TokenizedDoc> {
        Arc::new(TokenizedDoc::of(texts))
    }

    fn index(docs: &[(&str, &str)]) -> TermIndex {
        let mut built = TermIndex::build(docs.len(), 1, |i| {
            tokenized(DocTexts {
                texts: vec![docs[i].0.to_owned(), docs[i].1.to_owned()],
                langs: vec![(0, 1)],
            })
        });
        built.remove(0)
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
        assert_eq!(docs(&idx, "lawyer"), Some((vec![0], vec![1])));
        assert_eq!(docs(&idx, "lawyers"), Some((vec![], vec![2])));
        // In the title and the summary of one document: a title hit only.
        assert_eq!(docs(&idx, "detained"), Some((vec![0], vec![])));
        assert_eq!(docs(&idx, "absent"), None);
    }

    #[test]
    fn languages_share_untranslated_texts_and_keep_their_own() {
        // Document 0 is translated into French; document 1 is English only, so French
        // readers search its English text.
        let built = TermIndex::build(2, 2, |i| {
            tokenized(match i {
                0 => DocTexts {
                    texts: vec![
                        "Lawyer threatened".into(),
                        "Avocate menacée".into(),
                        String::new(),
                    ],
                    langs: vec![(0, 2), (1, 2)],
                },
                _ => DocTexts {
                    texts: vec!["Journalist threatened".into(), "Threats again".into()],
                    langs: vec![(0, 1), (0, 1)],
                },
            })
        });
        let (en, fr) = (&built[0], &built[1]);
        assert_eq!(docs(en, "threatened"), Some((vec![0, 1], vec![])));
        assert_eq!(docs(fr, "threatened"), Some((vec![1], vec![])));
        assert_eq!(docs(fr, "menacee"), Some((vec![0], vec![])));
        assert_eq!(docs(en, "menacee"), None);
        assert_eq!(docs(fr, "threats"), Some((vec![], vec![1])));
    }

    fn doc(title: &str, summary: &str) -> Arc<TokenizedDoc> {
        tokenized(DocTexts {
            texts: vec![title.to_owned(), summary.to_owned()],
            langs: vec![(0, 1)],
        })
    }

    fn fresh(docs: &[Arc<TokenizedDoc>]) -> TermIndex {
        TermIndex::build(docs.len(), 1, |i| docs[i].clone()).remove(0)
    }

    #[test]
    fn a_patched_index_equals_one_built_afresh() {
        let before = vec![
            doc(
                "Lawyer detained",
                "The lawyer was detained after a hearing.",
            ),
            doc(
                "Journalist threatened",
                "A lawyer said the journalist was threatened.",
            ),
            doc("Visit cancelled", "Nothing about lawyers here."),
            doc("Unique zebra", "only here"),
        ];
        let mut after = before.clone();
        // "lawyer" moves from document 1's summary to its title, "journalist" goes, a term
        // that sorts before all others comes; document 3's own terms go and one that sorts
        // after all others comes, while "here" stays with document 2.
        after[1] = doc(
            "Lawyer threatened",
            "A lawyer said the aardvark was threatened.",
        );
        after[3] = doc("Quiet", "zzz");
        let mut patched = fresh(&before);
        patched.patch(0, &before, &after, &[1, 3]);
        assert_eq!(patched.terms, fresh(&after).terms);
        assert_eq!(docs(&patched, "lawyer"), Some((vec![0, 1], vec![])));
        assert_eq!(docs(&patched, "journalist"), None);
        assert_eq!(docs(&patched, "here"), Some((vec![], vec![2])));
        // Patching back gives the first index again.
        patched.patch(0, &after, &before, &[1, 3]);
        assert_eq!(patched.terms, fresh(&before).terms);
    }

    #[test]
    fn kept_indexes_patch_only_the_documents_that_are_not_the_same() {
        let before = vec![doc("Lawyer detained", ""), doc("Visit cancelled", "")];
        let kept = KeptIndexes::update(None, before.clone(), 1);
        let mut after = before.clone();
        after[1] = doc("Visit postponed", "");
        let kept = KeptIndexes::update(Some(kept), after.clone(), 1);
        assert_eq!(kept.indexes[0].terms, fresh(&after).terms);
        // A new document shifts the numbers of those after it: built afresh.
        let longer = vec![
            doc("Witness summoned", ""),
            after[0].clone(),
            after[1].clone(),
        ];
        let kept = KeptIndexes::update(Some(kept), longer.clone(), 1);
        assert_eq!(kept.indexes[0].terms, fresh(&longer).terms);
        assert_eq!(docs(&kept.indexes[0], "lawyer"), Some((vec![1], vec![])));
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
        let idx = TermIndex::build(count, 1, |i| {
            tokenized(DocTexts {
                texts: vec![format!("case n{i}"), String::new()],
                langs: vec![(0, 1)],
            })
        })
        .remove(0);
        let all = docs(&idx, "case").unwrap().0;
        assert_eq!(all, (0..count as u32).collect::<Vec<_>>());
        let one = docs(&idx, &format!("n{}", BATCH + 3)).unwrap();
        assert_eq!(one, (vec![BATCH as u32 + 3], vec![]));
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
