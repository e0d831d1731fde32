//! Any bytes as a case file of the sample site (or, when the first byte is odd, as its
//! `site.toml`), loaded and validated as `check` does. Every input must be accepted or rejected
//! with problems; a panic or an abort is a bug.

#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use reprisals_site::fuzz::{Corpus, Depth, Outcome};

fn corpus() -> &'static Corpus {
    static CORPUS: OnceLock<Corpus> = OnceLock::new();
    CORPUS.get_or_init(|| {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        Corpus::load(&root).expect("the sample site reads")
    })
}

fuzz_target!(|data: &[u8]| {
    let Some((&first, rest)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    let corpus = corpus();
    let index = if first % 2 == 1 {
        0
    } else {
        1 + usize::from(first / 2) % (corpus.len() - 1)
    };
    if let Outcome::Panicked(message) = corpus.check_with(index, text, Depth::Check) {
        panic!("{message}");
    }
});
