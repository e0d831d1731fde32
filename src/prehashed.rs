//! Maps keyed by a hash already worked out (XXH3 of a text or a file): hashing such
//! a key again, as `HashMap` does by default, only costs time. `serve` looks up tens of
//! thousands of them on every edit.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// A map whose keys are hashes.
pub(crate) type HashKeyed<K, V> = HashMap<K, V, BuildHasherDefault<KeyIsHash>>;

/// Takes a 64- or 128-bit key as its own hash (folding the 128 bits). Other parts of a key
/// (a name, a number) are mixed in a byte at a time.
#[derive(Default)]
pub(crate) struct KeyIsHash(u64);

impl Hasher for KeyIsHash {
    fn write(&mut self, bytes: &[u8]) {
        for byte in bytes {
            self.0 = (self.0.rotate_left(8) ^ u64::from(*byte)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        }
    }

    fn write_u64(&mut self, n: u64) {
        self.0 ^= n;
    }

    fn write_u128(&mut self, n: u128) {
        self.0 ^= (n as u64) ^ ((n >> 64) as u64);
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashed_keys_are_found_and_told_apart() {
        let keys: Vec<u64> = (0..1000_u64)
            .map(|i| xxhash_rust::xxh3::xxh3_64(&i.to_le_bytes()))
            .collect();
        let map: HashKeyed<u64, usize> = keys.iter().enumerate().map(|(i, k)| (*k, i)).collect();
        assert_eq!(map.len(), 1000);
        for (i, key) in keys.iter().enumerate() {
            assert_eq!(map[key], i);
        }
        let wide: HashKeyed<u128, ()> = (0..1000_u64)
            .map(|i| (xxhash_rust::xxh3::xxh3_128(&i.to_le_bytes()), ()))
            .collect();
        assert_eq!(wide.len(), 1000);
        assert!(!wide.contains_key(&xxhash_rust::xxh3::xxh3_128(b"none of them")));
    }
}
