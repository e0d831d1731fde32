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
    pub bytes: Vec<u8>,
}

/// Receives output files; called from many threads at once.
pub trait Sink: Sync {
    fn write(&self, path: &str, bytes: &[u8]) -> io::Result<()>;
}

/// Writes into a fresh folder beside the target, then swaps it in.
pub struct Staging {
    target: PathBuf,
    staging: PathBuf,
}

impl Staging {
    pub fn new(target: &Path) -> io::Result<Self> {
        let parent = target
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        fs::create_dir_all(parent)?;
        let name = target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "public".into());
        let staging = parent.join(format!(".{name}.building-{}", std::process::id()));
        if staging.exists() {
            fs::remove_dir_all(&staging)?;
        }
        fs::create_dir_all(&staging)?;
        Ok(Staging {
            target: target.to_path_buf(),
            staging,
        })
    }

    /// Replaces the target with the staged files. The old output is moved aside first and
    /// removed only after the new one is in place.
    pub fn commit(self) -> io::Result<()> {
        let old = self.staging.with_file_name(format!(
            "{}.old",
            self.staging
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default()
        ));
        let had_old = self.target.exists();
        if had_old {
            fs::rename(&self.target, &old)?;
        }
        if let Err(err) = fs::rename(&self.staging, &self.target) {
            if had_old {
                let _ = fs::rename(&old, &self.target);
            }
            return Err(err);
        }
        if had_old {
            fs::remove_dir_all(&old)?;
        }
        Ok(())
    }

    /// Throws the staged files away; the target was never touched.
    pub fn abandon(self) {
        let _ = fs::remove_dir_all(&self.staging);
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
