//! Where rendered files go: a staging folder that replaces the output folder only when the
//! whole build succeeded (so a failed build leaves the previous site untouched), or memory
//! (for `serve`).

use std::collections::BTreeMap;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

/// One output file made by a generator, before it goes to a sink.
pub struct Output {
    /// Path inside the output folder, `/`-separated, for example `data/cases.json`.
    pub path: String,
    /// Contents of the file.
    pub bytes: Vec<u8>,
}

/// Receives output files; called from many threads at once.
pub trait Sink: Sync {
    /// Writes `bytes` at `path`, relative to the output root.
    fn write(&self, path: &str, bytes: &[u8]) -> io::Result<()>;
}

/// Writes into a fresh, private folder beside the target (beside the folder it links to, when
/// it is a symbolic link), then switches it in atomically: see `atomic_dir`.
pub struct Staging {
    output: crate::atomic_dir::Output,
    staging: PathBuf,
}

impl Staging {
    /// Writes into `target`, creating it if needed.
    pub fn new(target: &Path) -> io::Result<Self> {
        let output = crate::atomic_dir::Output::prepare(target)?;
        Ok(Staging {
            staging: output.staging.clone(),
            output,
        })
    }

    /// Replaces the target folder with the staged files in one step; the old site is removed
    /// only after the new one is in place.
    pub fn commit(self) -> io::Result<()> {
        self.output.commit()
    }

    /// Throws the staged files away; the target was never touched.
    pub fn abandon(self) {
        self.output.abandon();
    }
}

impl Sink for Staging {
    fn write(&self, path: &str, bytes: &[u8]) -> io::Result<()> {
        let full = self.staging.join(path);
        if let Some(dir) = full.parent() {
            fs::create_dir_all(dir)?;
        }
        fs::write(full, bytes)
    }
}

/// Keeps files in memory: what `serve` answers from.
#[derive(Default)]
pub struct Memory {
    /// Files by path.
    pub files: Mutex<BTreeMap<String, Arc<[u8]>>>,
}

impl Sink for Memory {
    fn write(&self, path: &str, bytes: &[u8]) -> io::Result<()> {
        self.files
            .lock()
            .expect("no panics while holding the lock")
            .insert(path.to_owned(), Arc::from(bytes));
        Ok(())
    }
}

/// Discards everything: `check` renders nothing, but the pipeline stays the same.
pub struct Discard;

impl Sink for Discard {
    fn write(&self, _: &str, _: &[u8]) -> io::Result<()> {
        Ok(())
    }
}
