//! Where rendered files go: a staging folder that replaces the output folder only when the
//! whole build succeeded (so a failed build leaves the previous site untouched), or memory
//! (for `serve`).

use std::collections::{BTreeMap, HashMap};
use std::io;
use std::path::Path;
use std::sync::Mutex;

use bytes::Bytes;

/// One output file made by a generator, before it goes to a sink.
pub struct Output {
    /// Path inside the output folder, `/`-separated, for example `data/cases.json`.
    pub path: String,
    /// Contents of the file.
    pub bytes: Vec<u8>,
}

/// Writes a streamed file's bytes into the writer it is given (see `Sink::write_streamed`).
pub type Produce<'a> = &'a mut dyn FnMut(&mut dyn io::Write) -> io::Result<()>;

/// Receives output files; called from many threads at once.
pub trait Sink: Sync {
    /// Writes `bytes` at `path`, relative to the output root.
    fn write(&self, path: &str, bytes: &[u8]) -> io::Result<()>;

    /// Writes at `path` what `produce` writes, for files too large to hold: a sink that can
    /// passes the bytes on as they come. This one holds them, then `write`s them.
    fn write_streamed(&self, path: &str, produce: Produce) -> io::Result<()> {
        let mut bytes = Vec::new();
        produce(&mut bytes)?;
        self.write(path, &bytes)
    }
}

/// Writes into a fresh, private folder beside the target (beside the folder it links to, when
/// it is a symbolic link), then switches it in atomically: see `atomic_dir`. When the site the
/// last build swapped out was kept, only files whose bytes differ from it are written, and that
/// generation is brought up to date and switched in instead: see `kept_generation`.
pub struct Staging {
    output: crate::atomic_dir::Output,
    update: Option<crate::kept_generation::Update>,
    written: Digests,
}

impl Staging {
    /// Writes into `target`, creating it if needed.
    pub fn new(target: &Path) -> io::Result<Self> {
        let mut output = crate::atomic_dir::Output::prepare(target)?;
        let update = output.take_kept().map(|(kept, listing)| {
            crate::kept_generation::Update::new(kept, listing, output.staging.clone())
        });
        Ok(Staging {
            output,
            update,
            written: Digests::default(),
        })
    }

    /// The folder the site goes to (where `--output` leads, through any links).
    pub(crate) fn folder(&self) -> &Path {
        &self.output.folder
    }

    /// Where the stamp of the last clean build into this folder is kept.
    pub(crate) fn stamp_path(&self) -> &Path {
        &self.output.stamp
    }

    /// The digests of every file written so far.
    pub(crate) fn take_written(&mut self) -> Digests {
        std::mem::take(&mut self.written)
    }

    /// Replaces the target folder with the new site in one step; the old site is kept, closed
    /// to others, for the next build. Says what changed, when a kept generation was updated.
    pub fn commit(self) -> io::Result<Option<crate::kept_generation::Changes>> {
        match self.update {
            Some(update) => self.output.commit_update(update).map(Some),
            None => self.output.commit().map(|()| None),
        }
    }

    /// Throws the staged files away; the target and the kept generation were never touched.
    pub fn abandon(self) {
        self.output.abandon();
    }
}

impl Sink for Staging {
    fn write(&self, path: &str, bytes: &[u8]) -> io::Result<()> {
        self.written.note(path, bytes);
        match &self.update {
            Some(update) => update.offer(path, bytes),
            None => crate::kept_generation::write_new(&self.output.staging.join(path), bytes),
        }
    }

    fn write_streamed(&self, path: &str, produce: Produce) -> io::Result<()> {
        let staged = self.output.staging.join(path);
        let digest = crate::kept_generation::write_new_streamed(&staged, produce)?;
        self.written.note_digest(path, digest);
        match &self.update {
            Some(update) => update.offer_staged(path, &staged),
            None => Ok(()),
        }
    }
}

/// The digest of every file a build hands to its output, collected as they pass: what the
/// stamp of a clean build records (see `build::unchanged`).
#[derive(Default)]
pub(crate) struct Digests {
    files: Mutex<Vec<(String, u128)>>,
}

impl Digests {
    /// Notes one file's bytes.
    pub(crate) fn note(&self, path: &str, bytes: &[u8]) {
        self.note_digest(path, xxhash_rust::xxh3::xxh3_128(bytes));
    }

    /// Notes one file's digest (XXH3-128 of its bytes).
    pub(crate) fn note_digest(&self, path: &str, digest: u128) {
        self.files
            .lock()
            .expect("no panics while holding the lock")
            .push((path.to_owned(), digest));
    }

    /// Digest by path.
    pub(crate) fn into_map(self) -> BTreeMap<String, u128> {
        self.files
            .into_inner()
            .expect("no panics while holding the lock")
            .into_iter()
            .collect()
    }
}

/// Keeps files in memory: what `serve` answers from.
#[derive(Default)]
pub struct Memory {
    /// Files by path.
    pub files: Mutex<BTreeMap<String, Bytes>>,
    /// The size each streamed file had last time, by path (see `Memory::expecting`).
    sizes: HashMap<String, usize>,
    /// Buffers to write streamed files into again, by path (see `Memory::expecting`).
    spare: Mutex<HashMap<String, Vec<u8>>>,
    /// The paths of the files written with `write_streamed`.
    pub(crate) streamed: Mutex<Vec<String>>,
}

impl Memory {
    /// A memory that makes room at once for each streamed file's size from `sizes` (what it
    /// had at the last rebuild): a 27 MB `cases.json` grown by doubling is copied about as
    /// many times as it doubles. It writes each streamed file into its buffer in `spare`, if
    /// there is one: memory the process already holds, where a fresh allocation of that size
    /// comes from the kernel, page by zeroed page.
    pub fn expecting(sizes: HashMap<String, usize>, spare: HashMap<String, Vec<u8>>) -> Self {
        Memory {
            files: Mutex::default(),
            sizes,
            spare: Mutex::new(spare),
            streamed: Mutex::default(),
        }
    }
}

impl Sink for Memory {
    fn write(&self, path: &str, bytes: &[u8]) -> io::Result<()> {
        self.files
            .lock()
            .expect("no panics while holding the lock")
            .insert(path.to_owned(), Bytes::copy_from_slice(bytes));
        Ok(())
    }

    fn write_streamed(&self, path: &str, produce: Produce) -> io::Result<()> {
        // A little more than last time: an edit that adds a few bytes must not double it.
        let last = self.sizes.get(path).copied().unwrap_or(0);
        let expected = last + last / 32;
        let spare = self
            .spare
            .lock()
            .expect("no panics while holding the lock")
            .remove(path);
        // A spare buffer a little too small would be moved whole to a larger place: of the
        // same margin, half is enough.
        let mut bytes = match spare {
            Some(mut spare) if spare.capacity() >= last + last / 64 => {
                spare.clear();
                spare
            }
            _ => Vec::with_capacity(expected),
        };
        produce(&mut bytes)?;
        self.streamed
            .lock()
            .expect("no panics while holding the lock")
            .push(path.to_owned());
        // Kept as made, not copied.
        self.files
            .lock()
            .expect("no panics while holding the lock")
            .insert(path.to_owned(), Bytes::from(bytes));
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
