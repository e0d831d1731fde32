//! The sink every output file passes through: searched for withheld values, written only if
//! clean.

use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};

use crate::leak_report::Findings;
use crate::leak_scan::LeakScanner;
use crate::output::Sink;

use super::BuildError;

/// Every output file passes through here: it is searched for withheld values and written only
/// if clean. Counts what was written.
pub struct ScanningSink<'a> {
    scanner: &'a LeakScanner,
    inner: &'a dyn Sink,
    findings: Mutex<Findings>,
    bytes: AtomicU64,
    files: AtomicUsize,
    failed: Mutex<Option<String>>,
}

/// What a `ScanningSink` wrote.
#[derive(Clone, Copy, Debug, Default)]
pub struct Written {
    /// Files written.
    pub files: usize,
    /// Bytes written.
    pub bytes: u64,
}

impl<'a> ScanningSink<'a> {
    /// A sink that scans every file with `scanner` before passing it to `inner`.
    pub fn new(scanner: &'a LeakScanner, inner: &'a dyn Sink) -> Self {
        ScanningSink {
            scanner,
            inner,
            findings: Mutex::new(Findings::default()),
            bytes: AtomicU64::new(0),
            files: AtomicUsize::new(0),
            failed: Mutex::new(None),
        }
    }

    /// The first write error, else every leak found, else what was written.
    pub fn finish(self) -> Result<Written, BuildError> {
        if let Some(message) = self.failed.into_inner().expect("lock") {
            return Err(BuildError::Io(message));
        }
        let findings = self.findings.into_inner().expect("lock");
        if !findings.is_empty() {
            return Err(BuildError::Leak(findings.into_leaks()));
        }
        Ok(Written {
            files: self.files.load(Ordering::Relaxed),
            bytes: self.bytes.load(Ordering::Relaxed),
        })
    }
}

impl Sink for ScanningSink<'_> {
    fn write(&self, path: &str, data: &[u8]) -> std::io::Result<()> {
        let found = self.scanner.scan(path, data);
        if !found.is_empty() {
            self.findings.lock().expect("lock").add(found);
            return Ok(());
        }
        self.bytes.fetch_add(data.len() as u64, Ordering::Relaxed);
        self.files.fetch_add(1, Ordering::Relaxed);
        self.inner.write(path, data).inspect_err(|e| {
            self.failed
                .lock()
                .expect("lock")
                .get_or_insert_with(|| format!("cannot write {path}: {e}"));
        })
    }
}
