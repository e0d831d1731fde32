//! Writing only what changed: the site a build swaps out is kept, private, as `.NAME.kept`, and
//! the next build brings it up to date in place and swaps it back in. These tests hold it to
//! what a fresh build gives, to withdrawals reaching the site, to failed builds changing
//! nothing, and to the kept copy (an old site, withdrawn cases included) staying closed.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::common::*;

const DATE: &str = "2024-06-15";

/// A build that renders everything even when nothing changed (`--full`): these tests are
/// about the generations, which a skipped build does not touch.
fn built_ok(site: &Path, target: &Path) {
    let out = build_full(site, target);
    assert!(out.status.success(), "{}", stderr(&out));
}

fn build_full(site: &Path, target: &Path) -> std::process::Output {
    build_and(site, target, DATE, &["--full"])
}

/// A plain build; says whether it was skipped because nothing changed.
fn built_skipped(site: &Path, target: &Path) -> bool {
    let out = build(site, target, DATE);
    assert!(out.status.success(), "{}", stderr(&out));
    stderr(&out).contains("nothing changed since the last build")
}

/// What a build into a folder of its own gives for `site`.
fn fresh(site: &Path) -> Vec<(String, Vec<u8>)> {
    let out = tempfile::tempdir().unwrap();
    let target = out.path().join("fresh");
    built_ok(site, &target);
    snapshot(&target)
}

/// A copy of the minimal fixture, and where to build it: `public` in a folder of its own.
fn minimal_site() -> (tempfile::TempDir, tempfile::TempDir, PathBuf) {
    let site = copy_site(&fixture("minimal"));
    let out = tempfile::tempdir().unwrap();
    let target = out.path().join("public");
    (site, out, target)
}

fn kept(target: &Path) -> PathBuf {
    target.with_file_name(".public.kept")
}

#[cfg(unix)]
fn inode(path: &Path) -> u64 {
    use std::os::unix::fs::MetadataExt;
    fs::metadata(path).unwrap().ino()
}

#[cfg(unix)]
fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    fs::metadata(path).unwrap().permissions().mode() & 0o777
}

/// Names beside the output other than the output itself, its lock and its kept generation.
fn leftovers(target: &Path) -> Vec<String> {
    fs::read_dir(target.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n != "public" && !kept_beside(n, "public"))
        .collect()
}

fn withdraw(site: &Path, id: &str) {
    let case = site.join(format!("public-data/cases/2024/{id}.toml"));
    let text = read(&case).replacen("publish = true", "publish = false", 1);
    fs::write(&case, text).unwrap();
}

#[cfg(unix)]
#[test]
fn a_repeated_build_reuses_the_kept_generation_and_equals_a_fresh_build() {
    let (site, _out, target) = minimal_site();
    built_ok(site.path(), &target);
    let first_home = inode(&target.join("index.html"));
    built_ok(site.path(), &target);
    assert!(kept(&target).is_dir(), "the swapped-out site is kept");
    assert_eq!(
        mode(&kept(&target)),
        0o700,
        "the kept site is closed to others"
    );
    assert_eq!(mode(&target), 0o755, "the served site is readable");
    built_ok(site.path(), &target);
    // The third build brought the first generation up to date: an unchanged file is the
    // same file, not a copy.
    assert_eq!(inode(&target.join("index.html")), first_home);
    assert_eq!(snapshot(&target), fresh(site.path()));
    assert_eq!(mode(&kept(&target)), 0o700);
    assert_eq!(mode(&target), 0o755);
    assert!(leftovers(&target).is_empty(), "{:?}", leftovers(&target));
}

#[cfg(unix)]
#[test]
fn a_withdrawn_case_leaves_both_generations_at_the_next_builds() {
    let (site, _out, target) = minimal_site();
    for _ in 0..2 {
        built_ok(site.path(), &target);
    }
    assert!(kept(&target).join("cases/2024-001/index.html").is_file());
    withdraw(site.path(), "2024-001");
    let expected = fresh(site.path());
    assert!(
        !expected
            .iter()
            .any(|(p, _)| p.starts_with("cases/2024-001/"))
    );
    // Each of the two generations is updated once: both must lose the case.
    for _ in 0..2 {
        built_ok(site.path(), &target);
        assert!(!target.join("cases/2024-001").exists(), "stale page served");
        assert_eq!(snapshot(&target), expected);
        assert_eq!(mode(&kept(&target)), 0o700);
    }
    assert!(
        !kept(&target).join("cases/2024-001").exists(),
        "the kept generation still holds the withdrawn case's folder"
    );
}

#[cfg(unix)]
#[test]
fn a_failed_build_changes_neither_the_served_site_nor_the_kept_one() {
    let (site, _out, target) = minimal_site();
    for _ in 0..3 {
        built_ok(site.path(), &target);
    }
    let served = snapshot(&target);
    let kept_before = snapshot(&kept(&target));
    let home = inode(&target.join("index.html"));
    // The case changes too, so a build that went on would rewrite its page.
    let case = site.path().join("public-data/cases/2024/2024-001.toml");
    let text = read(&case).replace("A lawyer was threatened", "A lawyer was threatened again");
    fs::write(&case, text).unwrap();
    // A leak: a theme file repeats the victim name recorded without consent.
    let assets = site.path().join("themes/default/static");
    fs::create_dir_all(&assets).unwrap();
    fs::write(assets.join("leak.txt"), "Hidden Person Name").unwrap();
    let leaked = build(site.path(), &target, DATE);
    assert_eq!(leaked.status.code(), Some(3), "{}", stderr(&leaked));
    // Something every page needs is broken.
    fs::remove_file(assets.join("leak.txt")).unwrap();
    fs::write(
        site.path().join("public-data/committees/cat.toml"),
        "code = \"CAT\"\nname = tru\n",
    )
    .unwrap();
    let broken = build(site.path(), &target, DATE);
    assert_eq!(broken.status.code(), Some(1), "{}", stderr(&broken));
    assert_eq!(snapshot(&target), served, "the served site changed");
    assert_eq!(inode(&target.join("index.html")), home);
    assert_eq!(
        snapshot(&kept(&target)),
        kept_before,
        "the kept site changed"
    );
    assert_eq!(mode(&kept(&target)), 0o700);
    assert!(leftovers(&target).is_empty(), "{:?}", leftovers(&target));
}

/// Something done to the kept generation behind the tool's back.
type Spoil<'a> = dyn Fn(&Path) + 'a;

#[cfg(unix)]
#[test]
fn a_doubtful_kept_generation_is_removed_not_reused() {
    use std::os::unix::fs::PermissionsExt;
    let (site, _out, target) = minimal_site();
    let elsewhere = tempfile::tempdir().unwrap();
    fs::write(elsewhere.path().join("keep.txt"), "not the site's").unwrap();
    let doubts: [(&str, &Spoil<'_>); 4] = [
        ("no marker", &|k| {
            fs::remove_file(k.join(".reprisals-site-output")).unwrap()
        }),
        ("readable by others", &|k| {
            fs::set_permissions(k, fs::Permissions::from_mode(0o755)).unwrap()
        }),
        ("a link to another folder", &|k| {
            fs::remove_dir_all(k.join("cases")).unwrap();
            std::os::unix::fs::symlink(elsewhere.path(), k.join("cases")).unwrap();
        }),
        ("a link to a file", &|k| {
            fs::remove_file(k.join("index.html")).unwrap();
            std::os::unix::fs::symlink(elsewhere.path().join("keep.txt"), k.join("index.html"))
                .unwrap();
        }),
    ];
    for _ in 0..2 {
        built_ok(site.path(), &target);
    }
    let expected = fresh(site.path());
    for (doubt, spoil) in doubts {
        let kept = kept(&target);
        spoil(&kept);
        let kept_home = fs::symlink_metadata(kept.join("index.html"))
            .ok()
            .map(|_| inode(&kept.join("index.html")));
        // Held open so that the file system cannot give its inode number to a new file once
        // the doubtful generation is removed: only true reuse keeps the number.
        let _held = fs::File::open(kept.join("index.html")).ok();
        built_ok(site.path(), &target);
        assert_ne!(
            Some(inode(&target.join("index.html"))),
            kept_home,
            "{doubt}: reused"
        );
        assert_eq!(snapshot(&target), expected, "{doubt}");
        assert_eq!(mode(&kept), 0o700, "{doubt}");
        assert_eq!(
            fs::read_to_string(elsewhere.path().join("keep.txt")).unwrap(),
            "not the site's",
            "{doubt}"
        );
        assert_eq!(
            fs::read_dir(elsewhere.path()).unwrap().count(),
            1,
            "{doubt}: written through a link"
        );
        assert!(leftovers(&target).is_empty(), "{doubt}");
    }
}

/// A build killed at any moment (rendering, merging into the kept generation, swapping) leaves
/// the old site or the new one served; the next build recovers and gives what a fresh build
/// gives.
#[cfg(unix)]
#[test]
fn a_killed_build_recovers_at_the_next_build() {
    let (site, out, target) = minimal_site();
    for _ in 0..2 {
        built_ok(site.path(), &target);
    }
    withdraw(site.path(), "2024-001");
    let expected = fresh(site.path());
    // A build killed while it merged: the kept generation half-updated under its working name.
    let pid = 4242;
    let half = out.path().join(format!(".public.building-{pid}.next"));
    fs::rename(kept(&target), &half).unwrap();
    fs::write(half.join("index.html"), "half written").unwrap();
    fs::create_dir_all(out.path().join(format!(".public.building-{pid}"))).unwrap();
    built_ok(site.path(), &target);
    assert_eq!(snapshot(&target), expected);
    assert!(leftovers(&target).is_empty(), "{:?}", leftovers(&target));

    // Real kills, at different moments.
    for delay_ms in [5, 20, 40, 80, 160] {
        let mut child = Command::new(BIN)
            .args(["build", "--root", site.path().to_str().unwrap(), "--output"])
            .arg(&target)
            .args(["--build-date", DATE, "--full"])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(delay_ms));
        let _ = child.kill();
        let _ = child.wait();
        assert!(target.join("index.html").is_file(), "no site served");
        if kept(&target).exists() {
            assert_eq!(mode(&kept(&target)), 0o700);
        }
        built_ok(site.path(), &target);
        assert_eq!(snapshot(&target), expected, "after a kill at {delay_ms} ms");
        assert!(leftovers(&target).is_empty(), "{:?}", leftovers(&target));
    }
}

#[test]
fn a_build_with_nothing_changed_ends_at_the_check_and_leaves_the_site_whole() {
    let (site, _out, target) = minimal_site();
    assert!(!built_skipped(site.path(), &target), "first build");
    let expected = fresh(site.path());
    assert!(
        built_skipped(site.path(), &target),
        "same inputs, same site"
    );
    assert_eq!(snapshot(&target), expected);
    assert!(leftovers(&target).is_empty(), "{:?}", leftovers(&target));

    // Hiding never waits: a withdrawal is an input change like any other.
    withdraw(site.path(), "2024-001");
    assert!(!built_skipped(site.path(), &target), "a withdrawal");
    assert!(!target.join("cases/2024-001").exists());
    assert_eq!(snapshot(&target), fresh(site.path()));
    assert!(built_skipped(site.path(), &target));

    // Another build date is another site (letters leave embargo, terms end).
    let dated = build(site.path(), &target, "2024-06-16");
    assert!(!stderr(&dated).contains("nothing changed"), "another date");
    let full = build_full(site.path(), &target);
    assert!(!stderr(&full).contains("nothing changed"), "--full renders");
}

#[test]
fn an_output_changed_behind_the_tools_back_is_built_again() {
    let (site, _out, target) = minimal_site();
    built_skipped(site.path(), &target);
    let expected = fresh(site.path());
    let home = target.join("index.html");
    let edits: [(&str, &dyn Fn()); 3] = [
        ("a file edited in place, same size", &|| {
            let mut bytes = fs::read(&home).unwrap();
            let last = bytes.len() - 2;
            bytes[last] ^= 0x20;
            fs::write(&home, bytes).unwrap();
        }),
        ("a file added", &|| {
            fs::write(target.join("cases/notes.html"), "not ours").unwrap()
        }),
        ("a file removed", &|| fs::remove_file(&home).unwrap()),
    ];
    for (what, edit) in edits {
        edit();
        assert!(!built_skipped(site.path(), &target), "{what}: skipped");
        assert_eq!(snapshot(&target), expected, "{what}");
    }
    // A stamp that is not one.
    fs::write(target.with_file_name(".public.stamp"), "garbage").unwrap();
    assert!(!built_skipped(site.path(), &target), "an unreadable stamp");
    assert!(built_skipped(site.path(), &target));
}

#[test]
fn a_build_that_fails_after_a_clean_one_is_not_taken_for_unchanged() {
    let (site, _out, target) = minimal_site();
    built_skipped(site.path(), &target);
    let served = snapshot(&target);
    let committee = site.path().join("public-data/committees/cat.toml");
    let good = fs::read(&committee).unwrap();
    fs::write(&committee, "code = \"CAT\"\nname = tru\n").unwrap();
    let broken = build(site.path(), &target, DATE);
    assert_eq!(broken.status.code(), Some(1), "{}", stderr(&broken));
    assert_eq!(snapshot(&target), served);
    // Put back as it was: the inputs are again those of the served site.
    fs::write(&committee, good).unwrap();
    assert!(built_skipped(site.path(), &target));
    assert_eq!(snapshot(&target), served);
}
