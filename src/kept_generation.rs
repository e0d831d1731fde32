//! The second generation: the site a build swapped out, kept (private, behind the lock) so the
//! next build can bring it up to date instead of writing every file again.
//!
//! It holds an old site, withdrawn cases included, so it is trusted only when everything about
//! it is as a finished build left it: a folder owned by us, closed to others, with the output
//! marker, holding nothing but folders and plain files. Anything else and it is removed.
//!
//! While the new site is rendered and scanned, each file is compared with the kept one; only
//! files whose bytes differ are written, into the build's own private staging folder. Nothing
//! of the kept generation changes until every check and the leak scan passed; then `merge`
//! moves the changed files in, deletes the stale ones (a withdrawn case's pages) and the
//! folders left empty.

use std::collections::{HashMap, HashSet};
use std::fs;
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::output_folder::{MARKER, MARKER_TEXT};

/// Every file of a trusted kept generation: path inside it (`/`-separated) and size in bytes.
pub(crate) struct Listing {
    files: HashMap<String, u64>,
}

/// The listing of the kept generation at `dir`, or `None` when there is none or it is doubtful.
pub(crate) fn open(dir: &Path) -> Option<Listing> {
    let meta = fs::symlink_metadata(dir).ok()?;
    if !meta.is_dir() || !is_ours_and_private(&meta) {
        return None;
    }
    let marker = dir.join(MARKER);
    let marker_meta = fs::symlink_metadata(&marker).ok()?;
    if !marker_meta.is_file() || fs::read(&marker).ok()? != MARKER_TEXT.as_bytes() {
        return None;
    }
    let files = plain_files(dir)?.into_iter().collect();
    Some(Listing { files })
}

/// Every file below `dir`, by `/`-separated path, with its size; `None` when something there
/// is neither a folder nor a plain file (a link or a device is not something a build wrote:
/// writing or reading through it could reach anywhere) or a name is not UTF-8.
pub(crate) fn plain_files(dir: &Path) -> Option<Vec<(String, u64)>> {
    let mut files = Vec::new();
    for entry in walkdir::WalkDir::new(dir).min_depth(1) {
        let entry = entry.ok()?;
        let kind = entry.file_type();
        if kind.is_dir() {
            continue;
        }
        if !kind.is_file() {
            return None;
        }
        let path = entry
            .path()
            .strip_prefix(dir)
            .ok()?
            .components()
            .map(|c| c.as_os_str().to_str())
            .collect::<Option<Vec<_>>>()?
            .join("/");
        files.push((path, entry.metadata().ok()?.len()));
    }
    Some(files)
}

#[cfg(unix)]
fn is_ours_and_private(meta: &fs::Metadata) -> bool {
    use std::os::unix::fs::MetadataExt;
    meta.uid() == rustix::process::geteuid().as_raw() && meta.mode() & 0o077 == 0
}

#[cfg(not(unix))]
fn is_ours_and_private(_: &fs::Metadata) -> bool {
    true
}

/// Compares each new file with the kept generation and writes only those that differ, into
/// `staging` (a fresh private folder).
pub(crate) struct Update {
    kept: PathBuf,
    listing: Listing,
    staging: PathBuf,
    produced: Mutex<HashSet<String>>,
    changed: Mutex<Vec<String>>,
    unchanged: AtomicUsize,
}

/// What `merge` did.
#[derive(Clone, Copy, Debug, Default)]
pub struct Changes {
    pub written: usize,
    pub removed: usize,
    pub unchanged: usize,
}

impl Update {
    pub(crate) fn new(kept: PathBuf, listing: Listing, staging: PathBuf) -> Self {
        Update {
            kept,
            listing,
            staging,
            produced: Mutex::new(HashSet::new()),
            changed: Mutex::new(Vec::new()),
            unchanged: AtomicUsize::new(0),
        }
    }

    /// Takes one new file: nothing to do if the kept one has the same bytes, else it goes to
    /// the staging folder.
    pub(crate) fn offer(&self, path: &str, bytes: &[u8]) -> io::Result<()> {
        self.produced
            .lock()
            .expect("no panics while holding the lock")
            .insert(path.to_owned());
        if self.listing.files.get(path) == Some(&(bytes.len() as u64))
            && fs::read(self.kept.join(path)).is_ok_and(|old| old == bytes)
        {
            self.unchanged.fetch_add(1, Ordering::Relaxed);
            return Ok(());
        }
        write_new(&self.staging.join(path), bytes)?;
        self.changed
            .lock()
            .expect("no panics while holding the lock")
            .push(path.to_owned());
        Ok(())
    }

    /// `offer` for a file already written at `staged` (a streamed one): it stays there only
    /// if it differs from the kept generation's.
    pub(crate) fn offer_staged(&self, path: &str, staged: &Path) -> io::Result<()> {
        self.produced
            .lock()
            .expect("no panics while holding the lock")
            .insert(path.to_owned());
        let len = fs::metadata(staged)?.len();
        if self.listing.files.get(path) == Some(&len)
            && same_contents(staged, &self.kept.join(path)).unwrap_or(false)
        {
            fs::remove_file(staged)?;
            self.unchanged.fetch_add(1, Ordering::Relaxed);
            return Ok(());
        }
        self.changed
            .lock()
            .expect("no panics while holding the lock")
            .push(path.to_owned());
        Ok(())
    }

    /// Brings the kept generation, now at `next` (renamed there by the caller so that a build
    /// killed from here on leaves it to be removed), up to date: stale files out, changed
    /// files moved in from the staging folder, folders left empty removed.
    pub(crate) fn merge(self, next: &Path) -> io::Result<Changes> {
        let produced = self.produced.into_inner().expect("lock");
        let changed = self.changed.into_inner().expect("lock");
        let mut emptied: Vec<PathBuf> = Vec::new();
        let mut removed = 0;
        for path in self.listing.files.keys() {
            if !produced.contains(path) {
                fs::remove_file(next.join(path))?;
                removed += 1;
                let mut dir = Path::new(path).parent();
                while let Some(d) = dir.filter(|d| !d.as_os_str().is_empty()) {
                    emptied.push(d.to_path_buf());
                    dir = d.parent();
                }
            }
        }
        // Deepest first, so a folder's emptied subfolders are gone before it is tried.
        emptied.sort_by_key(|d| std::cmp::Reverse(d.components().count()));
        emptied.dedup();
        for dir in emptied {
            // Fails (and stays) when something is left in it.
            let _ = fs::remove_dir(next.join(dir));
        }
        for path in &changed {
            let target = next.join(path);
            if let Some(parent) = target.parent() {
                fs::create_dir_all(parent)?;
            }
            // Where a folder stood at a path that is now a file.
            if fs::symlink_metadata(&target).is_ok_and(|m| m.is_dir()) {
                fs::remove_dir_all(&target)?;
            }
            // A rename gives the file a new inode: a hard link someone made to the old file
            // (a snapshot of the site) keeps its bytes.
            fs::rename(self.staging.join(path), &target)?;
        }
        Ok(Changes {
            written: changed.len(),
            removed,
            unchanged: self.unchanged.into_inner(),
        })
    }
}

/// Writes `bytes` at `path`, creating its folders.
pub(crate) fn write_new(path: &Path, bytes: &[u8]) -> io::Result<()> {
    if let Some(dir) = path.parent() {
        fs::create_dir_all(dir)?;
    }
    fs::write(path, bytes)
}

/// `write_new` for a file written as it is produced; returns the XXH3-128 of its bytes.
pub(crate) fn write_new_streamed(
    path: &Path,
    produce: &mut dyn FnMut(&mut dyn io::Write) -> io::Result<()>,
) -> io::Result<u128> {
    if let Some(dir) = path.parent() {
        fs::create_dir_all(dir)?;
    }
    let mut out = Hashing {
        file: io::BufWriter::with_capacity(1 << 20, fs::File::create(path)?),
        hash: xxhash_rust::xxh3::Xxh3::new(),
    };
    produce(&mut out)?;
    out.file.flush()?;
    Ok(out.hash.digest128())
}

/// Writes to a file and hashes what it writes.
struct Hashing {
    file: io::BufWriter<fs::File>,
    hash: xxhash_rust::xxh3::Xxh3,
}

impl Write for Hashing {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.file.write(buf)?;
        self.hash.update(&buf[..n]);
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.file.flush()
    }
}

/// Whether two files hold the same bytes, read a mebibyte at a time.
fn same_contents(a: &Path, b: &Path) -> io::Result<bool> {
    let (mut a, mut b) = (fs::File::open(a)?, fs::File::open(b)?);
    let (mut x, mut y) = (vec![0; 1 << 20], vec![0; 1 << 20]);
    loop {
        let n = read_full(&mut a, &mut x)?;
        let m = read_full(&mut b, &mut y)?;
        if n != m || x[..n] != y[..m] {
            return Ok(false);
        }
        if n == 0 {
            return Ok(true);
        }
    }
}

/// Fills `buf` unless the file ends first; returns how much was read.
fn read_full(file: &mut fs::File, buf: &mut [u8]) -> io::Result<usize> {
    let mut filled = 0;
    while filled < buf.len() {
        match file.read(&mut buf[filled..])? {
            0 => break,
            n => filled += n,
        }
    }
    Ok(filled)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    fn private_dir(path: &Path) {
        use std::os::unix::fs::PermissionsExt;
        fs::create_dir_all(path).unwrap();
        fs::set_permissions(path, fs::Permissions::from_mode(0o700)).unwrap();
    }

    #[cfg(unix)]
    fn kept_site(dir: &Path) {
        private_dir(dir);
        fs::write(dir.join(MARKER), MARKER_TEXT).unwrap();
        fs::create_dir_all(dir.join("cases/a")).unwrap();
        fs::write(dir.join("cases/a/index.html"), "a").unwrap();
    }

    #[cfg(unix)]
    #[test]
    fn only_a_private_marked_folder_of_plain_files_is_trusted() {
        use std::os::unix::fs::PermissionsExt;
        let tmp = tempfile::tempdir().unwrap();
        let kept = tmp.path().join("kept");
        assert!(open(&kept).is_none(), "no folder");
        kept_site(&kept);
        assert_eq!(open(&kept).expect("trusted").files.len(), 2);

        fs::set_permissions(&kept, fs::Permissions::from_mode(0o755)).unwrap();
        assert!(open(&kept).is_none(), "readable by others");
        fs::set_permissions(&kept, fs::Permissions::from_mode(0o700)).unwrap();

        std::os::unix::fs::symlink("/etc", kept.join("cases/b")).unwrap();
        assert!(open(&kept).is_none(), "a link inside");
        fs::remove_file(kept.join("cases/b")).unwrap();

        fs::write(kept.join(MARKER), "something else").unwrap();
        assert!(open(&kept).is_none(), "another marker");
        fs::remove_file(kept.join(MARKER)).unwrap();
        assert!(open(&kept).is_none(), "no marker");
    }

    #[cfg(unix)]
    #[test]
    fn merge_writes_what_differs_and_removes_what_is_stale() {
        let tmp = tempfile::tempdir().unwrap();
        let kept = tmp.path().join("kept");
        kept_site(&kept);
        fs::create_dir_all(kept.join("cases/gone")).unwrap();
        fs::write(kept.join("cases/gone/index.html"), "withdrawn").unwrap();
        let staging = tmp.path().join("staging");
        private_dir(&staging);
        let update = Update::new(kept.clone(), open(&kept).unwrap(), staging.clone());
        update.offer(MARKER, MARKER_TEXT.as_bytes()).unwrap();
        update.offer("cases/a/index.html", b"a").unwrap();
        update.offer("cases/c/index.html", b"new").unwrap();
        assert!(
            !staging.join("cases/a/index.html").exists(),
            "unchanged bytes are not written"
        );
        assert_eq!(
            fs::read(kept.join("cases/gone/index.html")).unwrap(),
            b"withdrawn",
            "nothing of the kept generation changes before the merge"
        );
        let next = tmp.path().join("next");
        fs::rename(&kept, &next).unwrap();
        let changes = update.merge(&next).unwrap();
        assert_eq!(
            (changes.written, changes.removed, changes.unchanged),
            (1, 1, 2)
        );
        assert!(
            !next.join("cases/gone").exists(),
            "stale file and folder removed"
        );
        assert_eq!(fs::read(next.join("cases/c/index.html")).unwrap(), b"new");
        assert_eq!(fs::read(next.join("cases/a/index.html")).unwrap(), b"a");
    }
}
