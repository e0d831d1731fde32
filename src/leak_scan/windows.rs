//! Long withheld values as overlapping windows of folded text, found by a rolling hash: one
//! multiply-add and one bit test per byte of output, whatever the number of values (an
//! Aho-Corasick automaton of every window of every value would take hundreds of MB).

use std::collections::HashMap;

use super::{STRIDE, WINDOW};

/// Polynomial rolling hash base (odd, so multiplication is invertible modulo 2^64).
const BASE: u64 = 0x100_0000_01b3;

#[derive(Default)]
pub(super) struct Windows {
    /// Bytes per window and between window starts: `WINDOW` and `STRIDE` times the bytes a
    /// character takes in the values' script, so a window always spans about as many letters.
    window: usize,
    stride: usize,
    /// The folded values and the field each came from.
    values: Vec<(Box<[u8]>, usize)>,
    /// Hash of a window -> (value, offset) of each window with that hash.
    table: HashMap<u64, Vec<(u32, u32)>>,
    /// A bit per hash bucket, tested before the table: most bytes of output stop here.
    filter: Vec<u64>,
    /// BASE^WINDOW, to remove the byte leaving the window.
    out_factor: u64,
}

impl Windows {
    /// Windows for values whose characters take `bytes_per_char` bytes of UTF-8 (1 for Latin,
    /// 2 for Arabic, Cyrillic or Greek, 3 for Chinese).
    pub(super) fn for_script_width(bytes_per_char: usize) -> Self {
        Windows {
            window: WINDOW * bytes_per_char,
            stride: STRIDE * bytes_per_char,
            ..Windows::default()
        }
    }

    /// Values of fewer bytes than this are searched whole rather than by windows.
    pub(super) fn min_value_len(&self) -> usize {
        self.window + self.stride
    }

    pub(super) fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    /// A value of at least one window: a window at every stride, and one ending at the last
    /// byte.
    pub(super) fn add(&mut self, folded: &[u8], field: usize) {
        let (window, stride) = (self.window, self.stride);
        debug_assert!(folded.len() >= window);
        let id = self.values.len() as u32;
        let last = folded.len() - window;
        let mut starts: Vec<usize> = (0..=last).step_by(stride).collect();
        if starts.last() != Some(&last) {
            starts.push(last);
        }
        for start in starts {
            let h = hash(&folded[start..start + window]);
            self.table.entry(h).or_default().push((id, start as u32));
        }
        self.values.push((folded.into(), field));
    }

    pub(super) fn finish(&mut self) {
        let bits = (self.table.len() * 16).next_power_of_two().max(64);
        self.filter = vec![0; bits / 64];
        for &h in self.table.keys() {
            let bit = self.bit(h);
            self.filter[bit / 64] |= 1 << (bit % 64);
        }
        self.out_factor = (0..self.window).fold(1u64, |f, _| f.wrapping_mul(BASE));
    }

    fn bit(&self, h: u64) -> usize {
        // The high bits of a multiplicative hash are the well-mixed ones.
        let bits = self.filter.len() * 64;
        (h.wrapping_mul(0x9e37_79b9_7f4a_7c15) >> (64 - bits.trailing_zeros())) as usize
    }

    /// Adds to `found` the field of every value one of whose windows occurs in `haystack`.
    pub(super) fn find(&self, haystack: &[u8], found: &mut Vec<usize>) {
        let window = self.window;
        if self.values.is_empty() || haystack.len() < window {
            return;
        }
        let mut h = hash(&haystack[..window]);
        let mut start = 0;
        loop {
            let bit = self.bit(h);
            if self.filter[bit / 64] & (1 << (bit % 64)) != 0 {
                self.confirm(h, &haystack[start..start + window], found);
            }
            let Some(&next) = haystack.get(start + window) else {
                break;
            };
            h = h
                .wrapping_mul(BASE)
                .wrapping_add(u64::from(next))
                .wrapping_sub(u64::from(haystack[start]).wrapping_mul(self.out_factor));
            start += 1;
        }
    }

    fn confirm(&self, h: u64, window: &[u8], found: &mut Vec<usize>) {
        for &(id, offset) in self.table.get(&h).into_iter().flatten() {
            let (value, field) = &self.values[id as usize];
            let offset = offset as usize;
            if &value[offset..offset + self.window] == window {
                found.push(*field);
            }
        }
    }
}

fn hash(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0u64, |h, &b| {
        h.wrapping_mul(BASE).wrapping_add(u64::from(b))
    })
}
