//! `serve`'s incremental rebuilds give exactly the site a full build gives, after every kind of
//! edit a webmaster makes, while rendering only the pages an edit touches.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use reprisals_site::Date;
use reprisals_site::Leak;
use reprisals_site::build::{self, NoProgress};
use reprisals_site::incremental::{Incremental, Rebuilt, Snapshot};
use reprisals_site::output::Memory;

use crate::common::*;

/// Every file of a fresh full build of `root`.
fn full_build(root: &Path, date: Date) -> BTreeMap<String, Vec<u8>> {
    let prepared = build::prepare(root, Some(date)).expect("the site is valid");
    let memory = Memory::default();
    build::render_all(&prepared, &memory).expect("the site renders");
    memory
        .files
        .into_inner()
        .unwrap()
        .into_iter()
        .map(|(path, bytes)| (path, bytes.to_vec()))
        .collect()
}

fn files(snapshot: &Snapshot) -> BTreeMap<String, Vec<u8>> {
    snapshot
        .paths()
        .map(|p| (p.to_owned(), snapshot.get(p).unwrap().to_vec()))
        .collect()
}

fn assert_same(incremental: &Snapshot, root: &Path, date: Date, after: &str) {
    let full = full_build(root, date);
    let served = files(incremental);
    let missing: Vec<&String> = full.keys().filter(|p| !served.contains_key(*p)).collect();
    let extra: Vec<&String> = served.keys().filter(|p| !full.contains_key(*p)).collect();
    assert!(missing.is_empty(), "after {after}: serve lacks {missing:?}");
    assert!(extra.is_empty(), "after {after}: serve has stale {extra:?}");
    for (path, bytes) in &full {
        assert!(
            served[path] == *bytes,
            "after {after}: {path} differs from a full build"
        );
    }
}

/// The sample site with fewer languages and shorter pages, so pagination shifts and the test
/// stays quick in a debug build.
fn sample_site() -> tempfile::TempDir {
    let site = copy_site(&repo_root());
    let config = site.path().join("site.toml");
    let text = read(&config)
        .replace(
            "languages = [\"en\", \"fr\", \"es\", \"ar\", \"zh\", \"ru\"]",
            "languages = [\"en\", \"ar\"]",
        )
        .replace("per_page = 40", "per_page = 10");
    assert!(text.contains("per_page = 10"));
    std::fs::write(config, text).unwrap();
    site
}

/// The sample site (see `sample_site`) after `serve`'s first build, with its folder (kept
/// until the test ends), its path and the build date.
fn served_sample() -> (tempfile::TempDir, PathBuf, Date, Incremental) {
    let site = sample_site();
    let root = site.path().to_path_buf();
    let date = Date::parse("2026-11-29").unwrap();
    let mut serve = Incremental::new(&root, Some(date));
    serve.rebuild(&[], &NoProgress).expect("first build");
    (site, root, date, serve)
}

/// The leaks that stopped a rebuild which had to fail on them.
fn leaks_found(rebuilt: Result<Rebuilt, build::BuildError>, why: &str) -> Vec<Leak> {
    let err = rebuilt.err().expect(why);
    let build::BuildError::Leak(leaks) = err else {
        panic!("a leak, not {}", err.render(false));
    };
    leaks
}

struct Editor {
    root: PathBuf,
}

impl Editor {
    fn replace(&self, file: &str, from: &str, to: &str) -> PathBuf {
        let path = self.root.join(file);
        let text = read(&path);
        assert!(text.contains(from), "{file} lacks {from:?}");
        std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
        path
    }
}

#[test]
fn incremental_equals_full_build() {
    let site = sample_site();
    let root = site.path().to_path_buf();
    let date = Date::parse("2026-11-29").unwrap();
    let mut serve = Incremental::new(&root, Some(date));
    let first = serve.rebuild(&[], &NoProgress).expect("first build");
    let total = first.summary.pages;
    assert_eq!(first.rendered, total);
    assert_same(&first.snapshot, &root, date, "the first build");

    let edit = Editor { root: root.clone() };
    let case = "public-data/cases/2024/2024-003.toml";
    let mut step = |what: &str, changed: Vec<PathBuf>| {
        let rebuilt = serve
            .rebuild(&changed, &NoProgress)
            .unwrap_or_else(|e| panic!("after {what}: {}", e.render(false)));
        assert_same(&rebuilt.snapshot, &root, date, what);
        rebuilt.rendered
    };

    let title = edit.replace(
        case,
        "Land rights activist held",
        "Land rights defender held",
    );
    let rendered = step("a title edit", vec![title.clone()]);
    assert!(
        rendered > 0 && rendered < total / 10,
        "{rendered} of {total} pages"
    );

    let summary = edit.replace(case, "contributed testimony", "gave testimony");
    let rendered = step("a summary edit", vec![summary]);
    assert!(rendered < total / 10, "{rendered} of {total} pages");

    let private = edit.replace(
        case,
        "SENTINEL-PRIVATE-2024-003:",
        "SENTINEL-PRIVATE-2024-003 (edited):",
    );
    assert_eq!(step("a private note edit", vec![private]), 0);

    step(
        "a status change",
        vec![edit.replace(
            case,
            "status = \"awaiting_state_response\"",
            "status = \"closed_resolved\"",
        )],
    );
    // `serve` keeps each case's projection while its file is unchanged: 2019-001 names
    // 2023-004 as related, and must stop linking to it when it is unpublished.
    let related = "public-data/cases/2023/2023-004.toml";
    for (file, what) in [
        (case, "a case"),
        (related, "a case another names as related"),
    ] {
        let hidden = edit.replace(file, "publish = true", "publish = false");
        step(&format!("unpublishing {what}"), vec![hidden]);
        let shown = edit.replace(file, "publish = false", "publish = true");
        step(&format!("publishing {what} again"), vec![shown]);
    }

    let copy = root.join("public-data/cases/2026/2026-100.toml");
    std::fs::write(
        &copy,
        read(&title)
            .replace("id = \"2024-003\"", "id = \"2026-100\"")
            .replace("date_reported = 2024-04-08", "date_reported = 2026-10-01"),
    )
    .unwrap();
    step("a new case", vec![copy.clone()]);
    std::fs::remove_file(&copy).unwrap();
    step("a deleted case", vec![copy]);

    let template = edit.replace(
        "themes/default/templates/base.html",
        "</head>",
        "<meta name=\"x-test\" content=\"edited\"></head>",
    );
    assert_eq!(step("a template edit", vec![template]), total);
    step(
        "a strings edit",
        vec![edit.replace(
            "themes/default/i18n/fr.toml",
            "Cas rendus publics",
            "Cas publiés",
        )],
    );
    step(
        "a committee edit",
        vec![edit.replace(
            "public-data/committees/cat.toml",
            "Committee against Torture",
            "Committee against Torture (edited)",
        )],
    );
    // Every case's CSV row shows its status label: `serve` keeps rows between edits, and a
    // label edit must reach all of them.
    step(
        "a vocabulary label edit",
        vec![edit.replace(
            "public-data/vocab/statuses.toml",
            "en = \"Closed – resolved\"",
            "en = \"Closed (resolved)\"",
        )],
    );
    // A case's projection names its country's region: 2024-003 is in Viet Nam.
    step(
        "a country moved to another region",
        vec![edit.replace(
            "public-data/vocab/countries.toml",
            "code = \"VNM\"\nname = { en = \"Viet Nam\", fr = \"Viet Nam\", es = \"Viet Nam\", ar = \"فييت نام\", zh = \"越南\", ru = \"Вьетнам\" }\nregion = \"asia_pacific_states\"",
            "code = \"VNM\"\nname = { en = \"Viet Nam\", fr = \"Viet Nam\", es = \"Viet Nam\", ar = \"فييت نام\", zh = \"越南\", ru = \"Вьетнам\" }\nregion = \"eastern_european_states\"",
        )],
    );
    let guidance = edit.replace("content/safety.md", "\n\n", "\n\nAn added paragraph.\n\n");
    let rendered = step("a guidance page edit", vec![guidance]);
    assert!(
        rendered <= 2,
        "{rendered} pages for one guidance page in two languages"
    );
    step(
        "a site.toml edit",
        vec![edit.replace("site.toml", "per_page = 10", "per_page = 7")],
    );
    // A case's projection dates its undisclosed actions by reporting period.
    step(
        "a reporting period edit",
        vec![edit.replace(
            "site.toml",
            "period_start = \"05-01\"",
            "period_start = \"01-01\"",
        )],
    );
}

#[test]
fn a_broken_edit_changes_nothing_until_it_is_fixed() {
    let site = sample_site();
    let root = site.path().to_path_buf();
    let date = Date::parse("2026-11-29").unwrap();
    let mut serve = Incremental::new(&root, Some(date));
    let first = serve.rebuild(&[], &NoProgress).expect("first build");
    let edit = Editor { root: root.clone() };
    // A committee is on every page: an error there stops the rebuild.
    let committee = "public-data/committees/cat.toml";

    let broken = edit.replace(committee, "code = \"CAT\"", "code = \"CATX\"");
    let err = serve
        .rebuild(std::slice::from_ref(&broken), &NoProgress)
        .err()
        .expect("an error");
    let text = err.render(false);
    assert!(text.contains(committee), "{text}");
    assert!(
        std::sync::Arc::ptr_eq(&serve.snapshot(), &first.snapshot),
        "a failed build keeps the last good site"
    );

    // Another edit elsewhere while the first is still broken: still broken, still the old site.
    let other = edit.replace(
        "public-data/cases/2024/2024-001.toml",
        "date_reported",
        "date_reported",
    );
    assert!(serve.rebuild(&[other], &NoProgress).is_err());

    let fixed = edit.replace(committee, "code = \"CATX\"", "code = \"CAT\"");
    let rebuilt = serve.rebuild(&[fixed], &NoProgress).expect("fixed");
    assert_same(&rebuilt.snapshot, &root, date, "the fix");
}

#[test]
fn a_broken_case_is_withheld_at_once_and_back_when_fixed() {
    let site = sample_site();
    let root = site.path().to_path_buf();
    let date = Date::parse("2026-11-29").unwrap();
    let mut serve = Incremental::new(&root, Some(date));
    let first = serve.rebuild(&[], &NoProgress).expect("first build");
    assert!(first.snapshot.get("cases/2024-003/index.html").is_some());
    let edit = Editor { root: root.clone() };
    let case = "public-data/cases/2024/2024-003.toml";

    let broken = edit.replace(case, "country = \"VNM\"", "country = \"VNMX\"");
    let rebuilt = serve
        .rebuild(std::slice::from_ref(&broken), &NoProgress)
        .expect("the rest of the site is built");
    assert_eq!(
        rebuilt.summary.quarantine.files().collect::<Vec<_>>(),
        [case]
    );
    assert!(
        rebuilt.snapshot.paths().all(|p| !p.contains("2024-003")),
        "the broken case is withheld everywhere"
    );
    assert_same(&rebuilt.snapshot, &root, date, "the broken case");

    let fixed = edit.replace(case, "country = \"VNMX\"", "country = \"VNM\"");
    let rebuilt = serve.rebuild(&[fixed], &NoProgress).expect("fixed");
    assert!(rebuilt.summary.quarantine.is_empty());
    assert!(rebuilt.snapshot.get("cases/2024-003/index.html").is_some());
    assert_same(&rebuilt.snapshot, &root, date, "the fix");

    // `serve` keeps what the personal-data lint found in each text: a text edited to hold an
    // address is read again, and a change to the allow-list is heeded for every text.
    let address = edit.replace(
        case,
        "contributed testimony",
        "contributed testimony (write to jane.doe@example.org)",
    );
    let rebuilt = serve.rebuild(&[address], &NoProgress).expect("built");
    assert_eq!(
        rebuilt.summary.quarantine.files().collect::<Vec<_>>(),
        [case],
        "an address added by an edit is caught"
    );
    let allowed = edit.replace(
        "site.toml",
        "allow = []",
        "allow = [\"jane.doe@example.org\"]",
    );
    let rebuilt = serve.rebuild(&[allowed], &NoProgress).expect("built");
    assert!(
        rebuilt.summary.quarantine.is_empty(),
        "the address is allowed now"
    );
    assert_same(&rebuilt.snapshot, &root, date, "allowing the address");
}

/// `serve` keeps what the checks found in each case file it did not re-read; an edit to what a
/// case refers to must still have the case checked again.
#[test]
fn a_case_is_checked_again_when_what_it_refers_to_changes() {
    let (_site, root, date, mut serve) = served_sample();
    let edit = Editor { root: root.clone() };
    let countries = "public-data/vocab/countries.toml";

    // Only 2024-003 is in Viet Nam: without the code, its own unchanged file is in error.
    let renamed = edit.replace(countries, "code = \"VNM\"", "code = \"VNQ\"");
    let rebuilt = serve
        .rebuild(std::slice::from_ref(&renamed), &NoProgress)
        .expect("the rest of the site is built");
    assert_eq!(
        rebuilt.summary.quarantine.files().collect::<Vec<_>>(),
        ["public-data/cases/2024/2024-003.toml"]
    );
    assert!(rebuilt.snapshot.get("cases/2024-003/index.html").is_none());

    let back = edit.replace(countries, "code = \"VNQ\"", "code = \"VNM\"");
    let rebuilt = serve.rebuild(&[back], &NoProgress).expect("built");
    assert!(rebuilt.summary.quarantine.is_empty());
    assert_same(&rebuilt.snapshot, &root, date, "the code back");
}

/// `serve` re-reads only the files an edit changed; a status made unpublishable in the
/// vocabulary must still withhold every case in it, although their files are unchanged.
#[test]
fn a_case_is_reviewed_again_when_its_status_becomes_unpublishable() {
    let (_site, root, date, mut serve) = served_sample();
    let edit = Editor { root: root.clone() };
    let statuses = "public-data/vocab/statuses.toml";
    let closed = edit.replace(
        statuses,
        "id = \"follow_up\"\n",
        "id = \"follow_up\"\npublishable = false\n",
    );
    let rebuilt = serve
        .rebuild(std::slice::from_ref(&closed), &NoProgress)
        .expect("the rest of the site is built");
    let withheld: Vec<&str> = rebuilt.summary.quarantine.files().collect();
    assert!(
        withheld.contains(&"public-data/cases/2023/2023-004.toml"),
        "{withheld:?}"
    );
    assert!(rebuilt.snapshot.get("cases/2023-004/index.html").is_none());
    assert_same(&rebuilt.snapshot, &root, date, "an unpublishable status");
}

/// Kept pages and unchanged generated files were searched for the values withheld when they
/// were made. An edit that newly withholds a value they show must find it in them, although
/// neither is rendered again: the rebuild fails and names every one.
#[test]
fn a_newly_withheld_value_is_searched_for_in_every_kept_file() {
    let site = sample_site();
    let root = site.path().to_path_buf();
    let date = Date::parse("2026-11-29").unwrap();
    let phrase =
        "Marigold Harbour committee annex seventeen lists the quiet river crossings used at night";
    // Shown by a guidance page (no case feeds it) and by a theme file (copied as it is).
    let safety = root.join("content/safety.md");
    std::fs::write(&safety, format!("{}\n\n{phrase}\n", read(&safety))).unwrap();
    let asset = root.join("themes/default/static/house-notes.txt");
    std::fs::write(&asset, phrase).unwrap();
    let mut serve = Incremental::new(&root, Some(date));
    let first = serve
        .rebuild(&[], &NoProgress)
        .expect("nothing withheld shows yet");
    let kept_page = "safety/index.html";
    assert!(first.snapshot.get(kept_page).is_some());

    let edit = Editor { root: root.clone() };
    let case = edit.replace(
        "public-data/cases/2024/2024-001.toml",
        "note = \"SENTINEL-PRIVATE-2024-001: ",
        &format!("note = \"{phrase} SENTINEL-PRIVATE-2024-001: "),
    );
    let leaks = leaks_found(
        serve.rebuild(&[case], &NoProgress),
        "the kept files now show a withheld value",
    );
    let files: Vec<&str> = leaks.iter().map(|l| l.file.as_str()).collect();
    assert!(files.contains(&kept_page), "{files:?}");
    assert!(
        files.iter().any(|f| f.starts_with("assets/house-notes.")),
        "{files:?}"
    );
    assert!(
        std::sync::Arc::ptr_eq(&serve.snapshot(), &first.snapshot),
        "the last good site stays"
    );
}

/// A hidden case's text that a published case prints word for word is no secret, and is not
/// searched for. `serve` keeps what each unchanged case withholds from one edit to the next,
/// but whether a published case still prints the text is decided again at every rebuild: once
/// none does, the text is searched for, although the hidden case's file has not changed.
#[test]
fn a_hidden_title_is_searched_for_again_once_no_published_case_prints_it() {
    let (_site, root, _, mut serve) = served_sample();
    let edit = Editor { root: root.clone() };
    let hidden_title =
        "SENTINEL-UNPUBLISHED-2019-004 Detention after a submission to the Committee (sample)";
    let published = "public-data/cases/2024/2024-001.toml";
    let own_title = "title = { en = \"Former detainees who testified to the Committee stripped of \
                     documents and barred from returning (sample)\"";
    let printed_title = format!("title = {{ en = \"{hidden_title}\"");
    let printed = edit.replace(published, own_title, &printed_title);
    let safety = root.join("content/safety.md");
    std::fs::write(&safety, format!("{}\n\n{hidden_title}\n", read(&safety))).unwrap();
    serve
        .rebuild(&[printed, safety], &NoProgress)
        .expect("a published case prints the same title: it is no secret");

    let back = edit.replace(published, &printed_title, own_title);
    let leaks = leaks_found(
        serve.rebuild(&[back], &NoProgress),
        "the guidance page alone now prints the hidden title",
    );
    assert!(
        leaks.iter().any(|l| l.file == "safety/index.html"
            && l.field
                .starts_with("public-data/cases/2019/2019-004.toml: title")),
        "{leaks:?}"
    );
}

/// `serve` remembers which pieces of the generated files its scanner found clean and searches
/// only the others after an edit. A withheld value that an edit copies into a file no page
/// shows (a published document, copied as it is) must still be found there.
#[test]
fn a_withheld_value_copied_into_a_published_document_is_found_after_remembered_scans() {
    let (_site, root, _, mut serve) = served_sample();
    let edit = Editor { root: root.clone() };
    let case = "public-data/cases/2024/2024-002.toml";
    // Two clean edits: the data files change, and their pieces are remembered as clean.
    for word in ["Edited", "Again"] {
        let path = edit.replace(case, "title = \"", &format!("title = \"{word} "));
        let rebuilt = serve.rebuild(&[path], &NoProgress).expect("a clean edit");
        let json = rebuilt.snapshot.get("data/cases.json").expect("cases.json");
        assert!(String::from_utf8_lossy(json).contains(word));
    }
    let last_good = serve.snapshot();
    let document = "files/cat-oc-aze-2021-1.txt";
    assert!(
        last_good.get(document).is_some(),
        "the sample publishes {document}"
    );
    let private =
        "list of the seven names and their countries of residence held by the secretariat";
    let path = root.join("public-data").join(document);
    std::fs::write(&path, format!("{}\n{private}\n", read(&path))).unwrap();
    let leaks = leaks_found(
        serve.rebuild(&[path], &NoProgress),
        "a withheld value is published",
    );
    let files: Vec<&str> = leaks.iter().map(|l| l.file.as_str()).collect();
    assert_eq!(files, [document]);
    assert!(std::sync::Arc::ptr_eq(&serve.snapshot(), &last_good));
}

/// `serve` writes each large data file into the memory of the build before the last, which
/// the kernel would otherwise give again page by zeroed page. A build that someone still
/// reads (a request being answered) keeps its bytes: the rebuild takes fresh memory instead.
#[test]
fn a_rebuild_reuses_the_memory_of_data_files_no_one_reads_and_never_changes_those_read() {
    let (_site, root, date, mut serve) = served_sample();
    let edit = Editor { root: root.clone() };
    let case = "public-data/cases/2024/2024-003.toml";
    let names = ["Land rights activist held", "Land rights defender held"];
    let mut build = |n: usize| {
        let title = edit.replace(case, names[n % 2], names[(n + 1) % 2]);
        serve
            .rebuild(&[title], &NoProgress)
            .unwrap_or_else(|e| panic!("build {n}: {}", e.render(false)))
            .snapshot
    };
    let data = ["data/cases.json", "data/cases.csv", "data/cases.ar.csv"];
    let at = |snapshot: &Snapshot| data.map(|path| snapshot.get(path).unwrap().as_ptr());

    let second = at(&build(2));
    let third = build(3);
    let third_bytes = data.map(|path| third.get(path).unwrap().to_vec());
    let fourth = build(4);
    assert_eq!(at(&fourth), second, "the second build's memory, free again");
    drop(fourth);

    let fifth = build(5);
    let third_now = data.map(|path| third.get(path).unwrap().to_vec());
    assert!(
        third_now == third_bytes,
        "a build still read is never written"
    );
    for (new, held) in at(&fifth).iter().zip(at(&third)) {
        assert_ne!(*new, held);
    }
    assert_same(&fifth, &root, date, "five builds");
}
