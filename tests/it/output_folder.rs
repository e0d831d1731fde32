//! Where a build writes: a web root behind a symbolic link is updated (the link kept), staging
//! folders left by killed builds are removed, and nothing half-built is left readable.

use std::fs;

use crate::common::*;

/// `public -> /srv/www`: the site must appear in /srv/www, and `public` must stay a link.
#[cfg(unix)]
#[test]
fn an_output_that_links_to_a_web_root_updates_the_web_root() {
    let site = copy_site(&fixture("minimal"));
    let web = tempfile::tempdir().expect("temp dir");
    let web_root = web.path().join("www");
    fs::create_dir_all(&web_root).expect("mkdir");
    fs::write(web_root.join("index.html"), "old site").expect("write");
    // An earlier build wrote it: the tool replaces only folders that carry its marker.
    fs::write(web_root.join(".reprisals-site-output"), "").expect("write");
    let link = site.path().join("public");
    std::os::unix::fs::symlink(&web_root, &link).expect("symlink");

    let out = build(site.path(), &link, "2024-06-15");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        fs::symlink_metadata(&link)
            .expect("link")
            .file_type()
            .is_symlink(),
        "the link was replaced by a folder"
    );
    let home = fs::read_to_string(web_root.join("index.html")).expect("home");
    assert!(
        home.contains("<html"),
        "the web root holds the new site: {home}"
    );
    assert!(web_root.join("cases/2024-001/index.html").is_file());
    // Nothing of the build is left beside the web root but the lock file, the stamp and the
    // old site, kept closed to others for the next build to update.
    let left: Vec<String> = fs::read_dir(web.path())
        .expect("read")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|n| n != "www" && !kept_beside(n, "www"))
        .collect();
    assert!(left.is_empty(), "{left:?}");
    {
        use std::os::unix::fs::PermissionsExt;
        let kept = fs::metadata(web.path().join(".www.kept")).expect("kept");
        assert_eq!(
            kept.permissions().mode() & 0o077,
            0,
            "the old site is private"
        );
    }

    // A relative link, as `ln -s ../www public` makes, works the same.
    fs::remove_file(&link).expect("unlink");
    let relative = pathdiff(&web_root, site.path());
    std::os::unix::fs::symlink(&relative, &link).expect("symlink");
    fs::write(web_root.join("index.html"), "old again").expect("write");
    let out = build(site.path(), &link, "2024-06-15");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        fs::read_to_string(web_root.join("index.html"))
            .expect("home")
            .contains("<html")
    );
}

/// `target` written relative to `from` with `..` steps.
#[cfg(unix)]
fn pathdiff(target: &std::path::Path, from: &std::path::Path) -> std::path::PathBuf {
    let depth = from.components().count();
    let mut out = std::path::PathBuf::new();
    for _ in 1..depth {
        out.push("..");
    }
    out.join(target.strip_prefix("/").expect("absolute"))
}

/// A build killed mid-way leaves `.public.building-PID` (an old copy of the site, withdrawn
/// cases included). The next build removes it.
#[test]
fn staging_folders_of_killed_builds_are_removed_at_the_next_start() {
    let site = copy_site(&fixture("minimal"));
    let output = site.path().join("public");
    for stale in [".public.building-99999", ".public.building-4242.old"] {
        let dir = site.path().join(stale).join("cases/withdrawn");
        fs::create_dir_all(&dir).expect("mkdir");
        fs::write(dir.join("index.html"), "a withdrawn case").expect("write");
    }
    let out = build(site.path(), &output, "2024-06-15");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let left: Vec<String> = fs::read_dir(site.path())
        .expect("read")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".building-"))
        .collect();
    assert!(left.is_empty(), "stale staging folders remain: {left:?}");
    assert!(output.join("index.html").is_file());
}
