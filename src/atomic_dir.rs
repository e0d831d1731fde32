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
//! Issue 19 ("write only what changed") can keep this switch: instead of removing the old site
//! after the exchange, keep it as the second generation, bring it up to date in place on the
//! next build (write a file only where its bytes differ, remove what is stale) and exchange
//! again. The lock makes that generation safe to reuse; a killed update leaves it behind the
//! lock, not in the web root.

use std::fs::{self, File};
use std::io;
use std::path::{Path, PathBuf};

/// The folder a build will replace, with its lock held while the value lives.
pub(crate) struct Output {
    /// The real folder: `--output` itself, or where its chain of links ends.
    pub folder: PathBuf,
    /// `.NAME.building-PID` beside `folder`.
    pub staging: PathBuf,
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
        Ok(Output {
            folder,
            staging,
            _lock: lock,
        })
    }

    /// Puts the staged site at `folder`. The old site is removed afterwards.
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
                exchange_or_replace(&self.staging, &self.folder)?;
                // The old site now sits at the staging name: closed to others first, then removed.
                let _ = set_private(&self.staging);
                fs::remove_dir_all(&self.staging)
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
fn exchange_or_replace(staging: &Path, live: &Path) -> io::Result<()> {
    match exchange(staging, live) {
        Ok(()) => Ok(()),
        Err(e) if !exchange_unsupported(&e) => Err(e),
        Err(_) => {
            let aside = staging.with_extension("old");
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
