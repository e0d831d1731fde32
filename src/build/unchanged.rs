//! Skipping a build that would change nothing (issue 19: a repeated build in under a second).
//!
//! A build is a function of its inputs (`site.toml`, `public-data/`, `content/`, `themes/`),
//! of the program, of the build date and of `--base-url`. After a clean build (no warnings,
//! nothing quarantined) a private stamp beside the output records a digest of all of these
//! and a digest of every file the build wrote. The next build computes the inputs digest
//! again; when it is the same and every file in the output folder still has the bytes the
//! stamp records (no file more, none fewer), rendering would give the same bytes and the leak
//! scan would search them for the same withheld values: the site stands as proven, and the
//! build ends there.
//!
//! Anything doubtful means a full build: an input that cannot be read or is a symbolic link,
//! a stamp that cannot be read, an output file that differs or cannot be read. The stamp is
//! removed before a build switches a new site in, so a build killed after the switch leaves
//! none.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use xxhash_rust::xxh3::{Xxh3, xxh3_128};

use crate::model::date::Date;

use super::{Options, Summary};
use crate::output::Digests;

const HEADER: &str = "reprisals-site build stamp 1";

/// A digest of every input of a build, or `None` when one cannot be read as a plain file
/// (the full build will say what is wrong). Of the options, `--build-date` and `--base-url`
/// change what a build writes.
pub(crate) fn inputs_digest(root: &Path, options: &Options) -> Option<u128> {
    let mut files = vec![PathBuf::from("site.toml")];
    for dir in ["public-data", "content", "themes"] {
        let base = root.join(dir);
        if !base.exists() {
            continue;
        }
        for entry in walkdir::WalkDir::new(&base).sort_by_file_name() {
            let entry = entry.ok()?;
            let kind = entry.file_type();
            // The loader would follow a link; a copy that changes elsewhere is not worth
            // tracking, so such a site is always built in full.
            if kind.is_symlink() {
                return None;
            }
            if kind.is_file() {
                files.push(entry.path().strip_prefix(root).ok()?.to_path_buf());
            }
        }
    }
    let hashes: Vec<u128> = files
        .par_iter()
        .map(|path| fs::read(root.join(path)).ok().map(|bytes| xxh3_128(&bytes)))
        .collect::<Option<_>>()?;
    let program = program_identity()?;

    let mut digest = Xxh3::new();
    let mut add = |part: &[u8]| {
        digest.update(&(part.len() as u64).to_le_bytes());
        digest.update(part);
    };
    add(&program);
    add(env!("CARGO_PKG_VERSION").as_bytes());
    // Today always counts, even when a date is given: cheap insurance against any rule that
    // reads the clock.
    add(Date::today_utc().to_string().as_bytes());
    add(options
        .build_date
        .map(|d| d.to_string())
        .unwrap_or_default()
        .as_bytes());
    add(options.base_url.unwrap_or_default().as_bytes());
    for (path, hash) in files.iter().zip(&hashes) {
        add(path.to_string_lossy().as_bytes());
        add(&hash.to_le_bytes());
    }
    Some(digest.digest128())
}

/// Which program is running: its file's path, size, modification time and inode. Reading
/// the whole file instead (over 100 MB with debug lines) would cost more than the rest of the
/// check; a rebuilt or reinstalled program is a new file with a new time.
fn program_identity() -> Option<Vec<u8>> {
    let path = std::env::current_exe().ok()?;
    let meta = fs::metadata(&path).ok()?;
    let modified = meta
        .modified()
        .ok()?
        .duration_since(std::time::UNIX_EPOCH)
        .ok()?
        .as_nanos();
    let mut identity = path.to_string_lossy().into_owned().into_bytes();
    identity.extend_from_slice(&meta.len().to_le_bytes());
    identity.extend_from_slice(&modified.to_le_bytes());
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        identity.extend_from_slice(&meta.ino().to_le_bytes());
        identity.extend_from_slice(&meta.dev().to_le_bytes());
    }
    Some(identity)
}

/// What a clean build leaves beside its output for the next one.
pub(crate) struct Stamp {
    inputs: u128,
    summary: Recorded,
    files: BTreeMap<String, u128>,
}

/// The figures a skipped build reports again.
struct Recorded {
    build_date: Option<Date>,
    pages: usize,
    files: usize,
    bytes: u64,
    cases: usize,
    languages: usize,
    withheld_checked: usize,
}

impl Stamp {
    /// The stamp of a build that just finished cleanly.
    pub(crate) fn new(inputs: u128, summary: &Summary, written: Digests) -> Stamp {
        let files = written.into_map();
        Stamp {
            inputs,
            summary: Recorded {
                build_date: summary.build_date,
                pages: summary.pages,
                files: summary.files,
                bytes: summary.bytes,
                cases: summary.cases,
                languages: summary.languages,
                withheld_checked: summary.withheld_checked,
            },
            files,
        }
    }

    /// Writes the stamp at `path`, readable by its owner only (it lists the site's files,
    /// nothing more, but there is no reason to show it), by a rename so it is whole or absent.
    pub(crate) fn save(&self, path: &Path) -> io::Result<()> {
        let s = &self.summary;
        let mut text = format!(
            "{HEADER}\ninputs {:032x}\nsummary {} {} {} {} {} {} {}\n",
            self.inputs,
            s.build_date.map(|d| d.to_string()).unwrap_or("-".into()),
            s.pages,
            s.files,
            s.bytes,
            s.cases,
            s.languages,
            s.withheld_checked,
        );
        for (file, hash) in &self.files {
            let _ = writeln!(text, "{hash:032x} {file}");
        }
        let temporary = path.with_extension("stamp-new");
        write_private(&temporary, text.as_bytes())?;
        fs::rename(&temporary, path)
    }

    /// The stamp at `path`, if there is one and it reads as one.
    pub(crate) fn load(path: &Path) -> Option<Stamp> {
        let text = fs::read_to_string(path).ok()?;
        let mut lines = text.lines();
        if lines.next()? != HEADER {
            return None;
        }
        let inputs = u128::from_str_radix(lines.next()?.strip_prefix("inputs ")?, 16).ok()?;
        let figures: Vec<&str> = lines.next()?.strip_prefix("summary ")?.split(' ').collect();
        let [date, pages, files, bytes, cases, languages, withheld] = figures[..] else {
            return None;
        };
        let summary = Recorded {
            build_date: match date {
                "-" => None,
                date => Some(Date::parse(date).ok()?),
            },
            pages: pages.parse().ok()?,
            files: files.parse().ok()?,
            bytes: bytes.parse().ok()?,
            cases: cases.parse().ok()?,
            languages: languages.parse().ok()?,
            withheld_checked: withheld.parse().ok()?,
        };
        let files = lines
            .map(|line| {
                let (hash, file) = line.split_once(' ')?;
                Some((file.to_owned(), u128::from_str_radix(hash, 16).ok()?))
            })
            .collect::<Option<_>>()?;
        Some(Stamp {
            inputs,
            summary,
            files,
        })
    }

    /// The summary to report again when `inputs` are this stamp's and `folder` holds exactly
    /// the files it records, byte for byte.
    pub(crate) fn still_holds(&self, inputs: u128, folder: &Path) -> Option<Summary> {
        if inputs != self.inputs {
            return None;
        }
        let found = crate::kept_generation::plain_files(folder)?;
        if found.len() != self.files.len() {
            return None;
        }
        let same = found.par_iter().all(|(path, _)| {
            self.files.get(path).is_some_and(|expected| {
                fs::read(folder.join(path)).is_ok_and(|bytes| xxh3_128(&bytes) == *expected)
            })
        });
        if !same {
            return None;
        }
        let s = &self.summary;
        Some(Summary {
            build_date: s.build_date,
            pages: s.pages,
            files: s.files,
            bytes: s.bytes,
            cases: s.cases,
            languages: s.languages,
            withheld_checked: s.withheld_checked,
            unchanged: true,
            ..Summary::default()
        })
    }
}

#[cfg(unix)]
fn write_private(path: &Path, bytes: &[u8]) -> io::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut file = fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(path)?;
    file.write_all(bytes)
}

#[cfg(not(unix))]
fn write_private(path: &Path, bytes: &[u8]) -> io::Result<()> {
    fs::write(path, bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site(dir: &Path) {
        fs::write(dir.join("site.toml"), "title = 'x'").unwrap();
        fs::create_dir_all(dir.join("public-data/cases")).unwrap();
        fs::write(dir.join("public-data/cases/a.toml"), "id = 'a'").unwrap();
    }

    fn settings() -> Options<'static> {
        Options::default()
    }

    #[test]
    fn the_inputs_digest_follows_every_input_and_setting() {
        let tmp = tempfile::tempdir().unwrap();
        site(tmp.path());
        let first = inputs_digest(tmp.path(), &settings()).unwrap();
        assert_eq!(inputs_digest(tmp.path(), &settings()), Some(first));
        fs::write(tmp.path().join("public-data/cases/a.toml"), "id = 'b'").unwrap();
        let edited = inputs_digest(tmp.path(), &settings()).unwrap();
        assert_ne!(edited, first, "an edited record");
        fs::rename(
            tmp.path().join("public-data/cases/a.toml"),
            tmp.path().join("public-data/cases/c.toml"),
        )
        .unwrap();
        assert_ne!(
            inputs_digest(tmp.path(), &settings()).unwrap(),
            edited,
            "a renamed record"
        );
        let staging = Options {
            base_url: Some("https://staging.example.org/"),
            ..Options::default()
        };
        assert_ne!(
            inputs_digest(tmp.path(), &staging),
            inputs_digest(tmp.path(), &settings())
        );
        let dated = Options {
            build_date: Some(Date::parse("2024-06-15").unwrap()),
            ..Options::default()
        };
        assert_ne!(
            inputs_digest(tmp.path(), &dated),
            inputs_digest(tmp.path(), &settings())
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_linked_or_unreadable_input_means_a_full_build() {
        let tmp = tempfile::tempdir().unwrap();
        site(tmp.path());
        std::os::unix::fs::symlink("/etc/hostname", tmp.path().join("public-data/cases/l.toml"))
            .unwrap();
        assert_eq!(inputs_digest(tmp.path(), &settings()), None);
    }

    #[test]
    fn a_stamp_reads_back_and_holds_only_for_the_same_bytes() {
        let tmp = tempfile::tempdir().unwrap();
        let folder = tmp.path().join("public");
        fs::create_dir_all(folder.join("cases/a")).unwrap();
        fs::write(folder.join("index.html"), "home").unwrap();
        fs::write(folder.join("cases/a/index.html"), "case").unwrap();
        let written = Digests::default();
        written.note("index.html", b"home");
        written.note("cases/a/index.html", b"case");
        let summary = Summary {
            pages: 2,
            files: 2,
            ..Summary::default()
        };
        let path = tmp.path().join(".public.stamp");
        Stamp::new(7, &summary, written).save(&path).unwrap();
        let stamp = Stamp::load(&path).expect("reads back");
        assert_eq!(stamp.still_holds(7, &folder).map(|s| s.pages), Some(2));
        assert!(stamp.still_holds(8, &folder).is_none(), "other inputs");

        fs::write(folder.join("index.html"), "hoMe").unwrap();
        assert!(
            stamp.still_holds(7, &folder).is_none(),
            "a file edited in place"
        );
        fs::write(folder.join("index.html"), "home").unwrap();
        fs::write(folder.join("extra.html"), "").unwrap();
        assert!(stamp.still_holds(7, &folder).is_none(), "a file more");
        fs::remove_file(folder.join("extra.html")).unwrap();
        fs::remove_file(folder.join("cases/a/index.html")).unwrap();
        assert!(stamp.still_holds(7, &folder).is_none(), "a file fewer");
    }
}
