//! The sink every output file passes through: searched for withheld values, written only if
//! clean.

use std::io;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};

use crate::leak_report::Findings;
use crate::leak_scan::{Leak, LeakScanner, STREAM_OVERLAP};
use crate::output::{Produce, Sink};

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

    /// A file too large to hold is searched a part at a time, each part before it is passed
    /// on, so no byte of a part with a withheld value is written (the build then stops and its
    /// staging folder is thrown away). Consecutive parts overlap (`STREAM_OVERLAP`).
    fn write_streamed(&self, path: &str, produce: Produce) -> io::Result<()> {
        let mut leaks = Vec::new();
        let mut written = 0;
        let result = self.inner.write_streamed(path, &mut |out| {
            let mut part = ScannedParts {
                scanner: self.scanner,
                path,
                out,
                pending: Vec::with_capacity(PART + STREAM_OVERLAP),
                searched: 0,
                written: 0,
                leaks: &mut leaks,
            };
            produce(&mut part)?;
            part.pass_on(true)?;
            written = part.written;
            Ok(())
        });
        if !leaks.is_empty() {
            self.findings.lock().expect("lock").add(leaks);
            return Ok(());
        }
        result.inspect_err(|e| {
            self.failed
                .lock()
                .expect("lock")
                .get_or_insert_with(|| format!("cannot write {path}: {e}"));
        })?;
        self.bytes.fetch_add(written, Ordering::Relaxed);
        self.files.fetch_add(1, Ordering::Relaxed);
        Ok(())
    }
}

/// How many new bytes a streamed file's part holds before it is searched and passed on.
const PART: usize = 4 << 20;

/// A streamed file on its way through the scan: bytes gather in `pending` until a part is full;
/// it is searched together with the end of the part before, then passed on to `out`.
struct ScannedParts<'a, 'b> {
    scanner: &'a LeakScanner,
    path: &'a str,
    out: &'b mut dyn io::Write,
    /// The overlap already searched and written (the first `searched` bytes), then new bytes.
    pending: Vec<u8>,
    searched: usize,
    written: u64,
    leaks: &'b mut Vec<Leak>,
}

impl ScannedParts<'_, '_> {
    /// Searches and passes on what is pending: at the end of the file all of it, else the
    /// whole characters of a full part, keeping the overlap for the next.
    fn pass_on(&mut self, at_end: bool) -> io::Result<()> {
        let text = match std::str::from_utf8(&self.pending) {
            Ok(text) => text,
            // A character cut at the end of a part is completed by the next write.
            Err(e) if !at_end && e.error_len().is_none() => {
                std::str::from_utf8(&self.pending[..e.valid_up_to()]).expect("checked")
            }
            Err(_) => return self.unreadable("not UTF-8 text"),
        };
        // As for every other output: text with NUL bytes is refused, never searched.
        if text.contains('\0') {
            return self.unreadable("a NUL byte in text");
        }
        let found = self.scanner.scan_part(self.path, text);
        if !found.is_empty() {
            self.leaks.extend(found);
            return Err(io::Error::other("withheld text found"));
        }
        let end = text.len();
        self.out.write_all(&self.pending[self.searched..end])?;
        self.written += (end - self.searched) as u64;
        // Keep the last `STREAM_OVERLAP` bytes (from a character's start) to search again.
        let mut keep_from = end.saturating_sub(STREAM_OVERLAP);
        while !text.is_char_boundary(keep_from) {
            keep_from -= 1;
        }
        self.pending.drain(..keep_from);
        self.searched = end - keep_from;
        Ok(())
    }

    fn unreadable(&mut self, why: &str) -> io::Result<()> {
        self.leaks.push(Leak::unreadable(self.path, why.to_owned()));
        Err(io::Error::other("the file cannot be searched"))
    }
}

impl io::Write for ScannedParts<'_, '_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.pending.extend_from_slice(buf);
        if self.pending.len() - self.searched >= PART {
            self.pass_on(false)?;
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::Memory;
    use crate::project::Withheld;

    fn scanner(value: &str) -> LeakScanner {
        let withheld = [Withheld {
            field: "cases/2024-001.toml: private.note".to_owned(),
            text: value.to_owned(),
            narrative_of: None,
        }];
        LeakScanner::new(&withheld, &[])
    }

    /// Text in several scripts, written a sentence at a time as a serialiser would, past
    /// `PART` bytes twice over. `value` comes in two writes: its first half ends the first part,
    /// so it is whole only in the second part's search, which starts with the overlap.
    fn produce(value: &str) -> impl FnMut(&mut dyn io::Write) -> io::Result<()> {
        let value = value.to_owned();
        move |out| {
            let sentence = "Publié à Genève, عربي, 中文. ";
            let half = value.len() / 2;
            let mut written = 0;
            while written + sentence.len() < PART - half {
                out.write_all(sentence.as_bytes())?;
                written += sentence.len();
            }
            out.write_all(&vec![b'x'; PART - half - written])?;
            out.write_all(&value.as_bytes()[..half])?;
            out.write_all(&value.as_bytes()[half..])?;
            for _ in 0..(PART / sentence.len() + 10) {
                out.write_all(sentence.as_bytes())?;
            }
            Ok(())
        }
    }

    #[test]
    fn a_streamed_file_is_passed_on_whole_when_clean() {
        let scanner = scanner("Sentinel private address 12 Rue Cachée");
        let memory = Memory::default();
        let sink = ScanningSink::new(&scanner, &memory);
        let mut make = produce("nothing withheld here, just words");
        sink.write_streamed("data/cases.json", &mut make).unwrap();
        let written = sink.finish().expect("clean");
        let mut expected = Vec::new();
        produce("nothing withheld here, just words")(&mut expected).unwrap();
        let files = memory.files.into_inner().unwrap();
        assert_eq!(&*files["data/cases.json"], &expected[..]);
        assert_eq!(written.bytes, expected.len() as u64);
        assert!(expected.len() > 2 * PART, "the file spans several parts");
    }

    #[test]
    fn a_value_across_two_parts_of_a_streamed_file_stops_it_unwritten() {
        let value = "Sentinel private address 12 Rue Cachée";
        let scanner = scanner(value);
        let memory = Memory::default();
        let sink = ScanningSink::new(&scanner, &memory);
        sink.write_streamed("data/cases.json", &mut produce(value))
            .unwrap();
        match sink.finish() {
            Err(BuildError::Leak(leaks)) => {
                assert_eq!(leaks[0].file, "data/cases.json");
                assert!(
                    leaks[0].field.contains("private.note"),
                    "{}",
                    leaks[0].field
                );
            }
            _ => panic!("the value was not found"),
        }
        assert!(memory.files.into_inner().unwrap().is_empty());
    }

    #[test]
    fn a_streamed_file_that_is_not_plain_text_stops_the_build() {
        let scanner = scanner("Sentinel private address 12 Rue Cachée");
        for bytes in [&b"a\0b"[..], &[b'a', 0xff, b'b'][..]] {
            let sink = ScanningSink::new(&scanner, &crate::output::Discard);
            sink.write_streamed("data/cases.csv", &mut |out| out.write_all(bytes))
                .unwrap();
            match sink.finish() {
                Err(BuildError::Leak(leaks)) => assert!(leaks[0].describe().contains("UNREADABLE")),
                _ => panic!("{bytes:?} was not refused"),
            }
        }
    }

    /// Keeps every byte passed on to it, even of a file that was never finished.
    #[derive(Default)]
    struct Recording(Mutex<Vec<u8>>);

    impl Sink for Recording {
        fn write(&self, _: &str, bytes: &[u8]) -> io::Result<()> {
            self.0.lock().unwrap().extend_from_slice(bytes);
            Ok(())
        }

        fn write_streamed(&self, _: &str, produce: Produce) -> io::Result<()> {
            let mut got = Vec::new();
            let result = produce(&mut got);
            self.0.lock().unwrap().extend(got);
            result
        }
    }

    #[test]
    fn no_byte_of_the_part_that_completes_a_withheld_value_is_passed_on() {
        let value = "Sentinel private address 12 Rue Cachée";
        let scanner = scanner(value);
        let recording = Recording::default();
        let sink = ScanningSink::new(&scanner, &recording);
        sink.write_streamed("data/cases.json", &mut produce(value))
            .unwrap();
        assert!(matches!(sink.finish(), Err(BuildError::Leak(_))));
        // The first part went on before the value was whole; nothing after it did.
        let passed = recording.0.into_inner().unwrap();
        assert_eq!(passed.len(), PART);
        assert!(!String::from_utf8(passed).unwrap().contains(value));
    }
}
