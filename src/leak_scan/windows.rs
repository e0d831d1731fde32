//! Long withheld values as overlapping windows of folded text, found by a rolling hash: one
//! multiply-add and one bit test per byte of output, whatever the number of values (an
//! Aho-Corasick automaton of every window of every value would take hundreds of MB).

use std::collections::HashMap;

use super::{STRIDE, WINDOW};

/// Polynomial rolling hash base (odd, so multiplication is invertible modulo 2^64).
const BASE: u64 = 0x100_0000_01b3;

#[derive(Default)]
pub struct Windows {
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
    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    /// A value of at least `WINDOW` bytes: a window at every `STRIDE`th byte, and one ending at
    /// the last byte.
    pub fn add(&mut self, folded: &[u8], field: usize) {
        debug_assert!(folded.len() >= WINDOW);
        let id = self.values.len() as u32;
        let last = folded.len() - WINDOW;
        let mut starts: Vec<usize> = (0..=last).step_by(STRIDE).collect();
        if starts.last() != Some(&last) {
            starts.push(last);
        }
        for start in starts {
            let h = hash(&folded[start..start + WINDOW]);
            self.table.entry(h).or_default().push((id, start as u32));
        }
        self.values.push((folded.into(), field));
    }

    pub fn finish(&mut self) {
        let bits = (self.table.len() * 16).next_power_of_two().max(64);
        self.filter = vec![0; bits / 64];
        for &h in self.table.keys() {
            let bit = self.bit(h);
            self.filter[bit / 64] |= 1 << (bit % 64);
        }
        self.out_factor = (0..WINDOW).fold(1u64, |f, _| f.wrapping_mul(BASE));
    }

    fn bit(&self, h: u64) -> usize {
        // The high bits of a multiplicative hash are the well-mixed ones.
        let bits = self.filter.len() * 64;
        (h.wrapping_mul(0x9e37_79b9_7f4a_7c15) >> (64 - bits.trailing_zeros())) as usize
    }

    /// Adds to `found` the field of every value one of whose windows occurs in `haystack`.
    pub fn find(&self, haystack: &[u8], found: &mut Vec<usize>) {
        if self.values.is_empty() || haystack.len() < WINDOW {
            return;
        }
        let mut h = hash(&haystack[..WINDOW]);
        let mut start = 0;
        loop {
            let bit = self.bit(h);
            if self.filter[bit / 64] & (1 << (bit % 64)) != 0 {
                self.confirm(h, &haystack[start..start + WINDOW], found);
            }
            let Some(&next) = haystack.get(start + WINDOW) else {
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
            if &value[offset..offset + WINDOW] == window {
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
