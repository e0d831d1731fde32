//! Lists of numbers as short JSON-safe strings: what keeps postings and facet columns small
//! before gzip and easy for gzip after it. `search.js` decodes them with the same alphabet.
//!
//! Each number is written in 5-bit groups, least significant first, one character per group
//! from a 64-character alphabet: the first 32 characters end a number, the last 32 say "more
//! follows". Numbers below 32 take one character. Sorted document lists store the first id
//! and then each gap minus one, so a run of consecutive documents is a run of `0`s.

const ALPHABET: &[u8; 64] = b"0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-_";

fn push_number(out: &mut String, mut value: u32) {
    while value >= 32 {
        out.push(ALPHABET[32 + (value & 31) as usize] as char);
        value >>= 5;
    }
    out.push(ALPHABET[value as usize] as char);
}

/// Numbers in any order, each on its own.
pub(super) fn numbers(values: impl IntoIterator<Item = u32>) -> String {
    let mut out = String::new();
    for value in values {
        push_number(&mut out, value);
    }
    out
}

/// A strictly increasing list of document ids, written as gaps while it grows: postings are
/// held in this form from the start, a third of the memory of a `Vec<u32>`.
#[derive(Debug, Default, PartialEq, Eq)]
pub(super) struct Ascending {
    text: String,
    /// One past the last id (0 while empty): the next gap counts from here.
    end: u32,
}

impl Ascending {
    pub(super) fn push(&mut self, id: u32) {
        debug_assert!(id >= self.end, "document ids must increase");
        push_number(&mut self.text, id - self.end);
        self.end = id + 1;
    }

    pub(super) fn ends_with(&self, id: u32) -> bool {
        self.end == id + 1
    }

    pub(super) fn as_str(&self) -> &str {
        &self.text
    }

    /// The ids, in order (what `search.js` reads back).
    pub(super) fn ids(&self) -> Vec<u32> {
        let mut ids = Vec::new();
        let (mut gap, mut shift, mut next) = (0u32, 0, 0u32);
        for byte in self.text.bytes() {
            let digit = digit_of(byte);
            gap |= (digit & 31) << shift;
            if digit >= 32 {
                shift += 5;
            } else {
                ids.push(next + gap);
                next += gap + 1;
                (gap, shift) = (0, 0);
            }
        }
        ids
    }

    /// The list of `ids`, which must be strictly increasing.
    pub(super) fn of(ids: &[u32]) -> Self {
        let mut list = Ascending::default();
        for &id in ids {
            list.push(id);
        }
        list
    }
}

/// The value of one character of `ALPHABET`.
fn digit_of(byte: u8) -> u32 {
    match byte {
        b'0'..=b'9' => u32::from(byte - b'0'),
        b'a'..=b'z' => u32::from(byte - b'a') + 10,
        b'A'..=b'Z' => u32::from(byte - b'A') + 36,
        b'-' => 62,
        _ => 63,
    }
}

/// A strictly increasing list of document ids, as gaps.
#[cfg(test)]
pub(crate) fn ascending(ids: &[u32]) -> String {
    Ascending::of(ids).text
}

/// The inverse of `numbers`, for tests (the browser does this in `search.js`).
#[cfg(test)]
pub(crate) fn decode(text: &str) -> Vec<u32> {
    let mut out = Vec::new();
    let (mut value, mut shift) = (0u32, 0);
    for byte in text.bytes() {
        let digit = ALPHABET.iter().position(|&a| a == byte).expect("alphabet") as u32;
        value |= (digit & 31) << shift;
        if digit >= 32 {
            shift += 5;
        } else {
            out.push(value);
            value = 0;
            shift = 0;
        }
    }
    out
}

/// The inverse of `ascending`, for tests.
#[cfg(test)]
pub(crate) fn decode_ascending(text: &str) -> Vec<u32> {
    let mut next = 0;
    decode(text)
        .into_iter()
        .map(|gap| {
            let id = next + gap;
            next = id + 1;
            id
        })
        .collect()
}

/// A short content hash, for file and folder names that change when their content does.
pub(super) fn hash<'a>(parts: impl IntoIterator<Item = &'a [u8]>) -> String {
    let mut hasher = xxhash_rust::xxh3::Xxh3::new();
    for part in parts {
        hasher.update(&(part.len() as u64).to_le_bytes());
        hasher.update(part);
    }
    format!("{:016x}", hasher.digest())[..12].to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_numbers_take_one_character() {
        assert_eq!(numbers([0, 1, 31]), "01v");
        assert_eq!(numbers([32]).len(), 2);
        let values = [0, 5, 31, 32, 1023, 1024, 99_999, u32::MAX >> 1];
        assert_eq!(decode(&numbers(values)), values);
        for (i, &byte) in ALPHABET.iter().enumerate() {
            assert_eq!(digit_of(byte), i as u32);
        }
    }

    #[test]
    fn consecutive_documents_are_zeros() {
        assert_eq!(ascending(&[0, 1, 2, 3]), "0000");
        assert_eq!(ascending(&[7, 8, 40]), "70v");
        let ids = [3, 4, 100, 101, 5000, 70_000];
        assert_eq!(decode_ascending(&ascending(&ids)), ids);
        assert_eq!(Ascending::of(&ids).ids(), ids);
        assert_eq!(Ascending::of(&[]).ids(), Vec::<u32>::new());
    }
}
