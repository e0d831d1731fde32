//! Text to index terms, the same way `search.js` turns a query into terms: whatever a reader
//! types must fold to the terms written here, so every rule has a twin in the script.
//!
//! One tokenizer serves every language, switching by script rather than by page language,
//! because a page in Arabic also indexes English text where a translation is missing:
//! - all text: compatibility decomposition (NFKD), lower case, combining marks removed, so
//!   `État` = `etat`, `Ёлка` = `елка`, full-width `ＣＡＴ` = `cat`;
//! - Arabic: tashkeel and tatweel removed, alef forms (أ إ آ ٱ) to ا, taa marbuta to ha,
//!   alef maqsura to ya, and the article (ال, وال, بال, كال, فال) dropped from a word's start;
//! - words: runs of letters and digits; anything else separates them (`l'État` -> `l`, `etat`);
//! - Chinese and Japanese: runs of ideographs and kana become overlapping character pairs
//!   (`报复行为` -> `报复`, `复行`, `行为`), plus the run's last character alone, so that every
//!   character starts at least one term and a one-character query can match by prefix.

use unicode_normalization::char::{decompose_compatible, is_combining_mark};

/// Ideographs and kana, written without spaces between words. `search.js` has the same ranges.
pub(crate) fn is_cjk(c: char) -> bool {
    matches!(c,
        '\u{3005}'..='\u{3007}'
        | '\u{3040}'..='\u{30FF}'
        | '\u{3400}'..='\u{4DBF}'
        | '\u{4E00}'..='\u{9FFF}'
        | '\u{F900}'..='\u{FAFF}'
        | '\u{20000}'..='\u{3FFFF}')
}

/// Case, accents and the spelling variants readers do not type consistently, folded away.
///
/// Decomposing character by character gives what NFKD gives once marks are dropped: NFKD
/// only adds canonical reordering, and what it reorders are the marks.
pub(crate) fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_ascii() {
            out.push(c.to_ascii_lowercase());
            continue;
        }
        decompose_compatible(c, |d| {
            for lower in d.to_lowercase() {
                if is_combining_mark(lower) || lower == '\u{0640}' {
                    continue;
                }
                out.push(match lower {
                    'ٱ' => 'ا',
                    'ة' => 'ه',
                    'ى' => 'ي',
                    'ς' => 'σ',
                    other => other,
                });
            }
        });
    }
    out
}

/// The Arabic definite article, alone or after a one-letter conjunction or preposition.
const ARTICLES: [&str; 5] = ["وال", "بال", "كال", "فال", "ال"];

/// Drops an Arabic article from the start of a folded word when at least two letters remain.
pub(crate) fn strip_article(word: &str) -> &str {
    for article in ARTICLES {
        if let Some(rest) = word.strip_prefix(article)
            && rest.chars().nth(1).is_some()
        {
            return rest;
        }
    }
    word
}

/// A run of folded text between separators.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Run<'a> {
    Word(&'a str),
    Cjk(&'a str),
}

/// Calls `emit` with each word run and ideograph run of folded text, in order.
pub(crate) fn for_each_run<'f>(folded: &'f str, mut emit: impl FnMut(Run<'f>)) {
    // (start, is_cjk) of the run being read.
    let mut open: Option<(usize, bool)> = None;
    let bytes = folded.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let (class, width) = if bytes[i].is_ascii() {
            (bytes[i].is_ascii_alphanumeric().then_some(false), 1)
        } else {
            let c = folded[i..].chars().next().expect("a char boundary");
            let class = if is_cjk(c) {
                Some(true)
            } else {
                c.is_alphanumeric().then_some(false)
            };
            (class, c.len_utf8())
        };
        match open {
            Some((_, cjk)) if class == Some(cjk) => {}
            Some((start, cjk)) => {
                emit(run(&folded[start..i], cjk));
                open = class.map(|c| (i, c));
            }
            None => open = class.map(|c| (i, c)),
        }
        i += width;
    }
    if let Some((start, cjk)) = open {
        emit(run(&folded[start..], cjk));
    }
}

fn run(text: &str, cjk: bool) -> Run<'_> {
    if cjk { Run::Cjk(text) } else { Run::Word(text) }
}

/// Calls `emit` with every index term of folded text, each a slice of `folded` (terms may
/// repeat).
pub(crate) fn for_each_term<'f>(folded: &'f str, mut emit: impl FnMut(&'f str)) {
    for_each_run(folded, |run| match run {
        Run::Word(word) => emit(strip_article(word)),
        Run::Cjk(chars) => {
            let bounds: Vec<usize> = chars
                .char_indices()
                .map(|(i, _)| i)
                .chain([chars.len()])
                .collect();
            for pair in bounds.windows(3) {
                emit(&chars[pair[0]..pair[2]]);
            }
            let last = bounds[bounds.len() - 2];
            emit(&chars[last..]);
        }
    });
}

/// Every index term of a text, in order, repeats kept.
#[cfg(test)]
pub(crate) fn terms(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for_each_term(&fold(text), |t| out.push(t.to_owned()));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn french_accents_case_and_elision_fold_away() {
        assert_eq!(
            terms("L'État a répondu à l'ÉCOLE"),
            ["l", "etat", "a", "repondu", "a", "l", "ecole"]
        );
        assert_eq!(terms("Représailles"), terms("represailles"));
        assert_eq!(terms("Œuvre naïve, façade"), ["œuvre", "naive", "facade"]);
    }

    #[test]
    fn russian_case_and_yo_fold() {
        assert_eq!(terms("Ещё ЗАДЕРЖАН"), ["еще", "задержан"]);
        assert_eq!(terms("Ёлка"), terms("елка"));
        assert_eq!(terms("Правозащитница"), ["правозащитница"]);
    }

    #[test]
    fn arabic_normalisation() {
        // Tashkeel removed, alef forms unified, taa marbuta and alef maqsura mapped.
        assert_eq!(fold("مُحَامِيَة"), "محاميه");
        assert_eq!(fold("أحمد إلى آخر ٱلقرى"), "احمد الي اخر القري");
        // Tatweel dropped.
        assert_eq!(fold("لجـــنة"), "لجنه");
        // The article goes, alone or after a clinging letter; short words keep it.
        assert_eq!(
            terms("اللجنة والمدافعين بالاحتجاز الى"),
            ["لجنه", "مدافعين", "احتجاز", "الي"]
        );
        // The same word however it is written matches.
        assert_eq!(terms("الإحتجاز"), terms("احتجاز"));
    }

    #[test]
    fn chinese_becomes_character_pairs_and_a_final_single() {
        assert_eq!(terms("报复行为"), ["报复", "复行", "行为", "为"]);
        assert_eq!(terms("律师。"), ["律师", "师"]);
        assert_eq!(terms("国"), ["国"]);
        // Digits and Latin words inside Chinese text stay words.
        assert_eq!(
            terms("2024年CAT委员会"),
            ["2024", "年", "cat", "委员", "员会", "会"]
        );
        // Full-width forms fold to their plain equivalents, Hangul to its letters.
        assert_eq!(
            fold("한국"),
            "\u{1112}\u{1161}\u{11AB}\u{1100}\u{116E}\u{11A8}"
        );
        assert_eq!(terms("ＣＡＴ，２０２４"), ["cat", "2024"]);
    }

    #[test]
    fn every_ideograph_starts_a_term() {
        let text = "人权理事会设立的专家组";
        let starts: Vec<char> = terms(text)
            .iter()
            .map(|t| t.chars().next().unwrap())
            .collect();
        assert_eq!(starts, text.chars().collect::<Vec<_>>());
    }

    #[test]
    fn punctuation_and_symbols_only_separate() {
        assert_eq!(
            terms("Secretary-General (2024-007)"),
            ["secretary", "general", "2024", "007"]
        );
        assert!(terms(" — «» ... ").is_empty());
    }
}
