//! Replacing the output folder so that readers see the old site or the new one, never none and
//! never a mixture, even when `--output` is a symbolic link to a web root.
//!
//! - The output path is resolved first: if it is a link, the folder it points to is what gets
//!   replaced, and the link is left as it is (the web server may be configured with either).
//! - The new site is built in `.NAME.building-PID` beside that folder (same file system, so a
//!   rename can move it), created readable by its owner only, so a web server whose root holds
//!   the output folder cannot serve a half-built or abandoned copy.
//! - The switch is one `renameat2(RENAME_EXCHANGE)` on Linux (`renameatx_np(RENAME_SWAP)` on
//!   macOS): the two folders trade names in one step. Elsewhere, or on a file system that does
//!   not support it, the old folder is renamed aside and the new one renamed in: two steps
//!   with a moment between them with no folder at the address.
//! - One build at a time per output folder, by a lock on `.NAME.lock`; holding it, every other
//!   `.NAME.building-*` left by a killed build is stale and is removed before building.
//!
//! - Write only what changed (issue 19): the site swapped out is not removed but kept, private,
//!   as `.NAME.kept`. The next build compares its files with that generation, writes only the
//!   ones that differ into its staging folder, and once everything passed moves them into the
//!   kept generation (renamed to `.NAME.building-PID.next` while it is updated, so a build
//!   killed then leaves it to be removed like any staging folder), which is then exchanged
//!   with the live folder: see `kept_generation`.

use std::fs::{self, File};
use std::io;
use std::path::{Path, PathBuf};

/// The folder a build will replace, with its lock held while the value lives.
pub(crate) struct Output {
    /// The real folder: `--output` itself, or where its chain of links ends.
    pub folder: PathBuf,
    /// `.NAME.building-PID` beside `folder`.
    pub staging: PathBuf,
    /// `.NAME.kept`: the site the last build swapped out.
    kept: PathBuf,
    /// `.NAME.stamp`: what the last clean build read and wrote (see `build::unchanged`).
    pub stamp: PathBuf,
    /// What is in `kept`, when it is there and can be trusted.
    kept_listing: Option<crate::kept_generation::Listing>,
    /// False only in tests of the two-rename fallback for systems without an exchange.
    try_exchange: bool,
    _lock: File,
}

impl Output {
    /// Resolves `requested`, takes the lock, removes stale staging folders and creates a fresh,
    /// private staging folder.
    pub(crate) fn prepare(requested: &Path) -> io::Result<Output> {
        let folder = resolve_links(requested)?;
        let parent = parent_of(&folder);
        fs::create_dir_all(&parent)?;
        let name = folder
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "public".into());
        let lock = lock(&parent.join(format!(".{name}.lock")))?;
        remove_stale(&parent, &name)?;
        let staging = parent.join(format!(".{name}.building-{}", std::process::id()));
        create_private_dir(&staging)?;
        let kept = parent.join(format!(".{name}.kept"));
        let kept_listing = crate::kept_generation::open(&kept);
        if kept_listing.is_none() {
            remove_any(&kept)?;
        }
        Ok(Output {
            folder,
            staging,
            kept,
            stamp: parent.join(format!(".{name}.stamp")),
            kept_listing,
            try_exchange: true,
            _lock: lock,
        })
    }

    /// Hands the trusted kept generation to an update (once): its path and listing.
    pub(crate) fn take_kept(&mut self) -> Option<(PathBuf, crate::kept_generation::Listing)> {
        self.kept_listing.take().map(|l| (self.kept.clone(), l))
    }

    /// Brings the kept generation up to date with `update` and puts it at `folder`; the
    /// staging folder, which held only the changed files, is removed.
    pub(crate) fn commit_update(
        self,
        update: crate::kept_generation::Update,
    ) -> io::Result<crate::kept_generation::Changes> {
        let next = with_suffix(&self.staging, ".next");
        // Still private; from here on a killed build leaves it under a name the next removes.
        fs::rename(&self.kept, &next)?;
        let changes = update.merge(&next)?;
        fs::remove_dir_all(&self.staging)?;
        fs::rename(&next, &self.staging)?;
        self.commit()?;
        Ok(changes)
    }

    /// Puts the staged site at `folder`. The old site is kept, private, for the next build.
    pub(crate) fn commit(self) -> io::Result<()> {
        match fs::symlink_metadata(&self.folder) {
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                make_readable(&self.staging, None)?;
                fs::rename(&self.staging, &self.folder)
            }
            Err(e) => Err(e),
            Ok(meta) if !meta.is_dir() => Err(io::Error::other(format!(
                "{} is not a folder; the site was not written",
                self.folder.display()
            ))),
            Ok(meta) => {
                make_readable(&self.staging, Some(&meta))?;
                exchange_or_replace(&self.staging, &self.folder, self.try_exchange)?;
                // The old site now sits at the staging name: closed to others first, then kept
                // for the next build (or removed if it cannot be closed).
                if set_private(&self.staging).is_err() {
                    return fs::remove_dir_all(&self.staging);
                }
                remove_any(&self.kept)?;
                fs::rename(&self.staging, &self.kept)
            }
        }
    }

    /// Throws the staged files away; the output folder was never touched.
    pub(crate) fn abandon(self) {
        let _ = fs::remove_dir_all(&self.staging);
    }
}

/// Follows `path` through any chain of symbolic links to the path of the real folder (which
/// need not exist yet). Relative links are read relative to the link's own folder.
pub(crate) fn resolve_links(path: &Path) -> io::Result<PathBuf> {
    let mut current = path.to_path_buf();
    for _ in 0..40 {
        match fs::symlink_metadata(&current) {
            Ok(meta) if meta.file_type().is_symlink() => {
                let target = fs::read_link(&current)?;
                current = parent_of(&current).join(target);
            }
            _ => return Ok(current),
        }
    }
    Err(io::Error::other(format!(
        "{} is a loop of symbolic links",
        path.display()
    )))
}

fn parent_of(path: &Path) -> PathBuf {
    path.parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
        .to_path_buf()
}

/// `path` with `suffix` added to its last part: `.public.building-7` -> `.public.building-7.old`,
/// a name the next build removes if this one is killed.
fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

/// Removes whatever is at `path` (nothing if there is nothing), closing a folder first.
fn remove_any(path: &Path) -> io::Result<()> {
    match fs::symlink_metadata(path) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(e),
        Ok(meta) if meta.is_dir() => {
            let _ = set_private(path);
            fs::remove_dir_all(path)
        }
        Ok(_) => fs::remove_file(path),
    }
}

/// Removes `.NAME.building-*` (and the `.old` folders earlier versions left) in `parent`. Only
/// called with the lock held, so none of them belongs to a running build.
fn remove_stale(parent: &Path, name: &str) -> io::Result<()> {
    let prefix = format!(".{name}.building-");
    for entry in fs::read_dir(parent)? {
        let entry = entry?;
        if entry.file_name().to_string_lossy().starts_with(&prefix) {
            let path = entry.path();
            if entry.file_type()?.is_dir() {
                let _ = set_private(&path);
                fs::remove_dir_all(&path)?;
            } else {
                fs::remove_file(&path)?;
            }
        }
    }
    Ok(())
}

#[cfg(unix)]
fn lock(path: &Path) -> io::Result<File> {
    use rustix::fs::{FlockOperation, flock};
    let file = fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(path)?;
    flock(&file, FlockOperation::NonBlockingLockExclusive).map_err(|e| {
        if e == rustix::io::Errno::WOULDBLOCK {
            io::Error::other(format!(
                "another build is writing this output folder (it holds {})",
                path.display()
            ))
        } else {
            io::Error::from(e)
        }
    })?;
    Ok(file)
}

#[cfg(not(unix))]
fn lock(path: &Path) -> io::Result<File> {
    fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(path)
}

#[cfg(unix)]
fn create_private_dir(path: &Path) -> io::Result<()> {
    use std::os::unix::fs::DirBuilderExt;
    fs::DirBuilder::new().mode(0o700).create(path)
}

#[cfg(not(unix))]
fn create_private_dir(path: &Path) -> io::Result<()> {
    fs::create_dir(path)
}

#[cfg(unix)]
fn set_private(path: &Path) -> io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    fs::set_permissions(path, fs::Permissions::from_mode(0o700))
}

#[cfg(not(unix))]
fn set_private(_: &Path) -> io::Result<()> {
    Ok(())
}

/// Gives the staged folder the permissions of the folder it replaces (or the usual 0755 for a
/// first build), just before it goes live.
#[cfg(unix)]
fn make_readable(staging: &Path, old: Option<&fs::Metadata>) -> io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    let mode = old.map_or(0o755, |m| m.permissions().mode() & 0o7777);
    fs::set_permissions(staging, fs::Permissions::from_mode(mode))
}

#[cfg(not(unix))]
fn make_readable(_: &Path, _: Option<&fs::Metadata>) -> io::Result<()> {
    Ok(())
}

/// Swaps the two folders in one step where the system can; otherwise renames `live` aside and
/// `staging` in, then puts the old one where `staging` was (so the caller removes it either way).
fn exchange_or_replace(staging: &Path, live: &Path, try_exchange: bool) -> io::Result<()> {
    let exchanged = if try_exchange {
        exchange(staging, live)
    } else {
        Err(io::Error::from(io::ErrorKind::Unsupported))
    };
    match exchanged {
        Ok(()) => Ok(()),
        Err(e) if !exchange_unsupported(&e) => Err(e),
        Err(_) => {
            let aside = with_suffix(staging, ".old");
            fs::rename(live, &aside)?;
            if let Err(e) = fs::rename(staging, live) {
                let _ = fs::rename(&aside, live);
                return Err(e);
            }
            fs::rename(&aside, staging)
        }
    }
}

/// Swaps two paths atomically.
#[cfg(any(target_os = "linux", target_os = "android", target_vendor = "apple"))]
pub(crate) fn exchange(a: &Path, b: &Path) -> io::Result<()> {
    use rustix::fs::{CWD, RenameFlags, renameat_with};
    renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE).map_err(io::Error::from)
}

#[cfg(not(any(target_os = "linux", target_os = "android", target_vendor = "apple")))]
pub fn exchange(_: &Path, _: &Path) -> io::Result<()> {
    Err(io::Error::from(io::ErrorKind::Unsupported))
}

/// The system or file system has no atomic exchange (old kernels, some network file systems).
fn exchange_unsupported(e: &io::Error) -> bool {
    #[cfg(unix)]
    {
        use rustix::io::Errno;
        let code = e.raw_os_error();
        if code == Some(Errno::INVAL.raw_os_error()) || code == Some(Errno::NOSYS.raw_os_error()) {
            return true;
        }
    }
    e.kind() == io::ErrorKind::Unsupported
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

    fn site(dir: &Path, marker: &str) {
        fs::create_dir_all(dir).unwrap();
        fs::write(dir.join("index.html"), marker).unwrap();
    }

    #[test]
    fn readers_always_find_a_whole_site_while_it_is_replaced() {
        let tmp = tempfile::tempdir().unwrap();
        let live = tmp.path().join("public");
        site(&live, "0");
        let stop = Arc::new(AtomicBool::new(false));
        let missing = Arc::new(AtomicUsize::new(0));
        let reader = {
            let (live, stop, missing) = (live.clone(), stop.clone(), missing.clone());
            std::thread::spawn(move || {
                while !stop.load(Ordering::Relaxed) {
                    if fs::read(live.join("index.html")).is_err() {
                        missing.fetch_add(1, Ordering::Relaxed);
                    }
                }
            })
        };
        for round in 1..=300 {
            let output = Output::prepare(&live).unwrap();
            site(&output.staging, &round.to_string());
            output.commit().unwrap();
        }
        stop.store(true, Ordering::Relaxed);
        reader.join().unwrap();
        assert_eq!(fs::read_to_string(live.join("index.html")).unwrap(), "300");
        assert_eq!(missing.load(Ordering::Relaxed), 0, "moments with no site");
    }

    #[test]
    fn a_second_build_of_the_same_output_waits_its_turn() {
        let tmp = tempfile::tempdir().unwrap();
        let live = tmp.path().join("public");
        let first = Output::prepare(&live).unwrap();
        let second = Output::prepare(&live)
            .err()
            .expect("refused while the first runs");
        assert!(second.to_string().contains("another build"), "{second}");
        assert!(first.staging.is_dir(), "the running build's folder is kept");
        first.abandon();
        Output::prepare(&live).unwrap().abandon();
    }

    /// Without an atomic exchange the old site still ends up kept, private, and is brought up
    /// to date by the next build.
    #[cfg(unix)]
    #[test]
    fn the_two_rename_fallback_keeps_and_updates_the_old_site() {
        use crate::output_folder::{MARKER, MARKER_TEXT};
        use std::os::unix::fs::PermissionsExt;
        let tmp = tempfile::tempdir().unwrap();
        let live = tmp.path().join("public");
        for round in 1..=4 {
            let mut output = Output::prepare(&live).unwrap();
            output.try_exchange = false;
            let files = [
                (MARKER.to_owned(), MARKER_TEXT.to_owned()),
                ("index.html".to_owned(), round.to_string()),
                (format!("only-in-{round}.html"), String::new()),
            ];
            match output.take_kept() {
                Some((kept, listing)) => {
                    assert!(round >= 3, "kept from the second build on");
                    let staging = output.staging.clone();
                    let update = crate::kept_generation::Update::new(kept, listing, staging);
                    for (path, text) in &files {
                        update.offer(path, text.as_bytes()).unwrap();
                    }
                    let changes = output.commit_update(update).unwrap();
                    assert_eq!((changes.written, changes.removed), (2, 1));
                }
                None => {
                    for (path, text) in &files {
                        fs::write(output.staging.join(path), text).unwrap();
                    }
                    output.commit().unwrap();
                }
            }
            assert_eq!(
                fs::read_to_string(live.join("index.html")).unwrap(),
                round.to_string()
            );
            assert_eq!(fs::read_dir(&live).unwrap().count(), 3, "round {round}");
            let mode = fs::metadata(&live).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o755);
            let names: Vec<String> = fs::read_dir(tmp.path())
                .unwrap()
                .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .collect();
            assert!(
                names
                    .iter()
                    .all(|n| ["public", ".public.lock", ".public.kept"].contains(&n.as_str())),
                "{names:?}"
            );
            if round > 1 {
                let kept = fs::metadata(tmp.path().join(".public.kept")).unwrap();
                assert_eq!(kept.permissions().mode() & 0o777, 0o700);
            }
        }
    }

    #[cfg(unix)]
    #[test]
    fn staging_is_private_until_it_goes_live() {
        use std::os::unix::fs::PermissionsExt;
        let tmp = tempfile::tempdir().unwrap();
        let live = tmp.path().join("public");
        let output = Output::prepare(&live).unwrap();
        let mode = fs::metadata(&output.staging).unwrap().permissions().mode();
        assert_eq!(mode & 0o077, 0, "others cannot read a site being built");
        site(&output.staging, "x");
        output.commit().unwrap();
        let mode = fs::metadata(&live).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o755);
    }
}
