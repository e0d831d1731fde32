//! One normal form for text that must be compared whatever its script, spelling or encoding:
//! the leak scan folds both the withheld values and every output with it, and the
//! personal-data lint reads digits of every script through it.
//!
//! Folding keeps letters and digits only and makes equal what a reader would take as equal:
//! compatibility forms (fullwidth letters, ligatures) and canonical forms (NFC or NFD) by
//! Unicode compatibility decomposition, case (with the Turkish dotted and dotless i, `ß` and
//! final sigma), accents and other combining marks (Arabic harakat included) and the Arabic
//! tatweel removed, look-alike letters of other scripts (Cyrillic `а` for Latin `a`) mapped by
//! the Unicode confusables table (UTS #39 skeletons), and decimal digits of every script
//! (Arabic-Indic, Persian, Devanagari...) read as ASCII digits.

use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::LazyLock;

use unicode_properties::{GeneralCategory, UnicodeGeneralCategory};

/// `\0` marks a boundary that a match must not cross (between two attribute values); it
/// survives folding.
pub(crate) const BOUNDARY: char = '\0';

/// `text` folded: letters and digits only, in the normal form described above.
#[cfg(test)]
pub(crate) fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    fold_into(text, &mut out);
    out
}

/// Appends `text`, folded, to `out`.
pub(crate) fn fold_into(text: &str, out: &mut String) {
    // Pushed as bytes, checked as UTF-8 once at the end: a table lookup per ASCII byte is the
    // whole cost of folding most pages, and a check per character would double it.
    let mut folded = std::mem::take(out).into_bytes();
    folded.reserve(text.len());
    CACHE.with(|cache| {
        let mut cache = cache.borrow_mut();
        let mut rest = text;
        while !rest.is_empty() {
            let ascii_run = rest
                .bytes()
                .position(|b| !b.is_ascii())
                .unwrap_or(rest.len());
            fold_ascii(&rest.as_bytes()[..ascii_run], &mut folded);
            rest = &rest[ascii_run..];
            let Some(ch) = rest.chars().next() else {
                break;
            };
            rest = &rest[ch.len_utf8()..];
            let f = cache
                .entry(ch)
                .or_insert_with(|| fold_char(ch).into_boxed_str());
            folded.extend_from_slice(f.as_bytes());
        }
    });
    *out = String::from_utf8(folded).expect("folded forms are whole characters");
}

/// Appends a run of ASCII bytes, folded. Each byte folds to at most two: room for two is made
/// for every byte, both are written whatever the length, and the end moves on by the length.
/// Without a branch or a capacity check per byte this is several times faster than pushing,
/// and folding was a tenth of a build's time.
fn fold_ascii(run: &[u8], folded: &mut Vec<u8>) {
    let ascii = &*ASCII;
    let start = folded.len();
    folded.resize(start + 2 * run.len(), 0);
    let out = &mut folded[start..];
    let mut end = 0;
    for &b in run {
        let f = &ascii[usize::from(b)];
        out[end..end + 2].copy_from_slice(&f.bytes);
        end += usize::from(f.len);
    }
    folded.truncate(start + end);
}

/// The folded form of an ASCII character: none, one or two ASCII characters (`m` -> `rn`).
struct AsciiFolded {
    len: u8,
    bytes: [u8; 2],
}

/// Most of every page is ASCII: its folded forms are computed once.
static ASCII: LazyLock<Vec<AsciiFolded>> = LazyLock::new(|| {
    (0u8..128)
        .map(|b| {
            let folded = fold_char(char::from(b));
            assert!(folded.len() <= 2 && folded.is_ascii(), "{b}: {folded}");
            let mut bytes = [0; 2];
            bytes[..folded.len()].copy_from_slice(folded.as_bytes());
            AsciiFolded {
                len: folded.len() as u8,
                bytes,
            }
        })
        .collect()
});

thread_local! {
    /// Folded forms of the other characters met so far on this thread (a few thousand at most:
    /// a site's scripts and punctuation).
    static CACHE: RefCell<HashMap<char, Box<str>>> = RefCell::new(HashMap::new());
}

/// One character, folded: usually one character or none, sometimes two (`ß` -> `ss`, and the
/// confusables table maps `m` to `rn` so that `rn` written for `m` is caught).
fn fold_char(ch: char) -> String {
    if ch == BOUNDARY {
        return BOUNDARY.to_string();
    }
    let mut decomposed = String::new();
    unicode_normalization::char::decompose_compatible(ch, |c| decomposed.push(c));
    let mut lowered = String::new();
    for c in decomposed.chars() {
        if let Some(d) = digit_value(c) {
            lowered.push(char::from_digit(d, 10).expect("a digit"));
            continue;
        }
        if !c.is_alphanumeric() || is_mark(c) || c == '\u{640}' {
            continue;
        }
        for l in c.to_lowercase() {
            match l {
                // Case folding beyond lower case: Turkish dotless i, sharp s, final sigma.
                'ı' => lowered.push('i'),
                'ß' => lowered.push_str("ss"),
                'ς' => lowered.push('σ'),
                l if is_mark(l) => {}
                l => lowered.push(l),
            }
        }
    }
    if lowered.is_empty() {
        return lowered;
    }
    // The skeleton maps each character to its prototype (decomposed again), which may be an
    // upper-case letter or carry a mark: lower and strip once more.
    let mut out = String::new();
    for c in unicode_security::skeleton(&lowered) {
        for l in c.to_lowercase() {
            if l.is_alphanumeric() && !is_mark(l) && l != '\u{640}' {
                out.push(l);
            }
        }
    }
    out
}

fn is_mark(c: char) -> bool {
    matches!(
        c.general_category(),
        GeneralCategory::NonspacingMark
            | GeneralCategory::SpacingMark
            | GeneralCategory::EnclosingMark
    )
}

/// The value of a decimal digit of any script (`٣`, `۳`, `३`, `３` are all 3).
pub(crate) fn digit_value(c: char) -> Option<u32> {
    if c.is_ascii_digit() {
        return c.to_digit(10);
    }
    if c.is_ascii() || c.general_category() != GeneralCategory::DecimalNumber {
        return None;
    }
    // Unicode keeps each script's digits as a run from 0 to 9 (runs of runs for the
    // mathematical digits): count back to the run's zero.
    let mut below = 0;
    let mut cp = c as u32;
    while let Some(prev) = cp.checked_sub(1).and_then(char::from_u32) {
        if prev.general_category() != GeneralCategory::DecimalNumber {
            break;
        }
        below += 1;
        cp -= 1;
    }
    Some(below % 10)
}

/// The shortest folded value worth searching for, by script: two characters of a script
/// written in syllables or ideographs (a Chinese name is often two or three characters), four
/// of a script written without vowels (Arabic, Hebrew), six otherwise (shorter runs of Latin,
/// Cyrillic or Greek letters, or of digits, occur by chance in ordinary text).
pub(crate) fn min_len(value: &str) -> usize {
    let mut min = 6;
    for c in value.chars() {
        let cp = c as u32;
        let ideographic = matches!(cp,
            0x1100..=0x11FF // Hangul Jamo
            | 0x2E80..=0x2FDF // CJK radicals
            | 0x3040..=0x30FF // Hiragana, Katakana
            | 0x3130..=0x318F // Hangul compatibility Jamo
            | 0x3400..=0x4DBF // CJK extension A
            | 0x4E00..=0x9FFF // CJK unified ideographs
            | 0xAC00..=0xD7AF // Hangul syllables
            | 0xF900..=0xFAFF // CJK compatibility ideographs
            | 0x20000..=0x3FFFF // CJK extensions B-H
        );
        if ideographic {
            return 2;
        }
        if matches!(cp, 0x0590..=0x08FF | 0xFB1D..=0xFDFF | 0xFE70..=0xFEFF) {
            min = 4;
        }
    }
    min
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_text_folds_to_its_characters_folded_one_by_one() {
        // Runs of ASCII take a faster path than other characters; both must agree with
        // `fold_char`, at every boundary between them.
        let every_ascii: String = (0u8..128).map(char::from).collect();
        for text in [
            every_ascii.as_str(),
            "Immam \u{0} mm",
            "émm",
            "mmé",
            "Zoé m Ахмадов mm 拉希德 m",
            "",
            "m",
        ] {
            let one_by_one: String = text.chars().map(fold_char).collect();
            assert_eq!(fold(text), one_by_one, "{text:?}");
        }
        // Appended after what `out` holds.
        let mut out = String::from("ab");
        fold_into("Cm", &mut out);
        assert_eq!(out, "abcrn");
    }

    #[test]
    fn equal_to_a_reader_means_equal_when_folded() {
        for (a, b) in [
            // NFC and NFD
            ("Zo\u{e9} Martín", "Zoe\u{301} Marti\u{301}n"),
            // accents dropped
            ("Zoé Martín", "Zoe Martin"),
            // Turkish dotted capital I and dotless i
            ("İLKNUR ŞAHİN", "ilknur sahin"),
            ("Ilkn\u{131}r", "ilknir"),
            // fullwidth letters
            ("ＲＡＳＨＩＤ", "rashid"),
            // Cyrillic look-alikes for Latin letters
            ("Rаshid Аhmаdov", "Rashid Ahmadov"),
            // Arabic with and without harakat and tatweel
            ("رَشِيد أَحْمَدُوف", "رشيد احمدوف"),
            ("رشـــيد", "رشيد"),
            // sharp s and final sigma
            ("Straße", "STRASSE"),
            ("Νίκος", "ΝΙΚΟΣ"),
            // digits of other scripts
            ("٤٤٧١٩٠٢٨", "44719028"),
            ("۴۴۷۱۹۰۲۸", "44719028"),
            ("４４７１９０２８", "44719028"),
        ] {
            assert_eq!(fold(a), fold(b), "{a} / {b}");
            assert!(!fold(a).is_empty());
        }
    }

    #[test]
    fn punctuation_and_spaces_go_boundaries_stay() {
        assert_eq!(fold("a-b c.d"), fold("abcd"));
        assert_eq!(fold("ab\0cd"), format!("{}\0{}", fold("ab"), fold("cd")));
        assert_eq!(fold("<>&;!? "), "");
    }

    #[test]
    fn digits_of_every_script() {
        assert_eq!(digit_value('٣'), Some(3));
        assert_eq!(digit_value('۷'), Some(7));
        assert_eq!(digit_value('३'), Some(3));
        assert_eq!(digit_value('9'), Some(9));
        assert_eq!(digit_value('x'), None);
        assert_eq!(digit_value('三'), None);
    }

    #[test]
    fn han_names_are_long_enough_latin_fragments_are_not() {
        assert_eq!(min_len("王芳"), 2);
        assert_eq!(min_len("علي حسن"), 4);
        assert_eq!(min_len("Ali"), 6);
    }
}
