//! Atom 1.0 feeds of new and updated cases: one per language for the whole site
//! (`/feed.xml`, `/fr/feed.xml`) and one per committee (`/committees/cat/feed.xml`).
//!
//! Every date comes from the cases (`updated` is the latest public event of a case), never
//! from the clock, so the same data gives the same feed byte for byte.

use std::fmt::Write;

use crate::model::date::Date;
use crate::public::PublicCase;
use crate::site::RenderSite;
use crate::site::routes::Route;
use crate::site::views::View;

use super::xml::escape;
use crate::output::Output;

/// The newest entries a feed carries: readers poll often, the full list is in `cases.json`.
pub(super) const ENTRIES: usize = 50;

pub(super) fn files(site: &RenderSite) -> Vec<Output> {
    // Newest first, sorted once for every feed: each takes the first entries it carries.
    let mut newest: Vec<&PublicCase> = site.public.cases.iter().map(|c| &**c).collect();
    newest.sort_by(|a, b| b.updated.cmp(&a.updated).then_with(|| b.id.cmp(&a.id)));
    let mut out = Vec::new();
    for (i, lang) in site.langs.iter().enumerate() {
        let view = View::new(site, i, "");
        let tombstones = tombstones(&view);
        let all: Vec<&PublicCase> = newest.iter().copied().take(ENTRIES).collect();
        out.push(Output {
            path: format!("{}{}", lang.prefix, Route::Feed.path()),
            bytes: feed(
                &view,
                i,
                &Route::Feed.path(),
                &Route::cases().path(),
                &view.t("feed_title"),
                &all,
                &tombstones,
            ),
        });
        for committee in &site.public.committees {
            let cases: Vec<&PublicCase> = newest
                .iter()
                .copied()
                .filter(|c| c.committees.contains(&committee.code))
                .take(ENTRIES)
                .collect();
            let feed_path = Route::CommitteeFeed {
                slug: committee.code.slug(),
            }
            .path();
            let title = view
                .t("feed_title_committee")
                .replace("{committee}", committee.code.as_str());
            out.push(Output {
                path: format!("{}{feed_path}", lang.prefix),
                bytes: feed(
                    &view,
                    i,
                    &feed_path,
                    &Route::committee(&committee.code).path(),
                    &title,
                    &cases,
                    &tombstones,
                ),
            });
        }
    }
    out
}

/// RFC 6721 (Atom tombstones): how a feed says that an entry it carried is gone.
pub(super) const TOMBSTONES_NS: &str = "http://purl.org/atompub/tombstones/1.0";

/// One `at:deleted-entry` per withdrawn case, in every feed of the language: a subscriber of
/// any feed learns to delete its copy. The reference and the date are all it says: no title,
/// no committee, nothing else of the case.
fn tombstones(view: &View) -> String {
    let public = view.site.public;
    let base = format!("{}{}", public.base_url, view.lang.prefix);
    let mut xml = String::new();
    for w in &public.withdrawn {
        let _ = writeln!(
            xml,
            "<at:deleted-entry ref=\"{}\" when=\"{}\"/>",
            escape(&format!("{base}{}", Route::case(&w.id).path())),
            timestamp(w.withdrawn)
        );
    }
    xml
}

/// The marker a sample site puts on its feeds and on every entry.
fn sample_category(view: &View) -> String {
    format!(
        "<category term=\"sample\" label=\"{}\"/>\n",
        escape(view.t("sample_banner_title").trim_end_matches('.'))
    )
}

fn timestamp(date: Date) -> String {
    format!("{date}T00:00:00Z")
}

/// One feed of `entries` (newest first, at most `ENTRIES`), ending with the language's
/// `tombstones`. `path` and `page` are inside the language (`feed.xml`, `cases/`); `lang`
/// is the view's language.
fn feed(
    view: &View,
    lang: usize,
    path: &str,
    page: &str,
    title: &str,
    entries: &[&PublicCase],
    tombstones: &str,
) -> Vec<u8> {
    let public = view.site.public;
    let base = format!("{}{}", public.base_url, view.lang.prefix);
    // A withdrawal is news to subscribers too: it moves the feed's date (never past the build).
    let updated = entries
        .iter()
        .map(|c| c.updated)
        .chain(
            public
                .withdrawn
                .iter()
                .map(|w| w.withdrawn.min(public.build_date)),
        )
        .max()
        .unwrap_or(public.build_date);
    let site_title = view.text(&public.title).text;
    let mut xml = String::new();
    let _ = write!(
        xml,
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xmlns:at=\"{TOMBSTONES_NS}\" xml:lang=\"{lang}\">\n<id>{base}{path}</id>\n<title>{title}</title>\n<link rel=\"self\" type=\"application/atom+xml\" href=\"{base}{path}\"/>\n<link rel=\"alternate\" type=\"text/html\" href=\"{base}{page}\"/>\n<updated>{updated}</updated>\n<author><name>{author}</name></author>\n<rights>{rights}</rights>\n<generator>reprisals-site</generator>\n",
        lang = view.lang.code,
        base = escape(&base),
        path = escape(path),
        page = escape(page),
        title = escape(&format!("{title} – {site_title}")),
        updated = timestamp(updated),
        author = escape(&site_title),
        rights = escape(&format!(
            "{} {}. {}",
            public.licence.name, public.licence.url, public.licence.terms
        )),
    );
    let sample = public.sample.then(|| sample_category(view));
    if let Some(category) = &sample {
        xml.push_str(category);
    }
    for case in entries {
        // `serve` makes an entry once per edit of its case, not once per feed and edit.
        match view.site.case_index.get(&case.id) {
            Some(&n) => xml.push_str(&view.site.case_piece("feed entry", lang, n, || {
                entry(view, &base, case, sample.as_deref())
            })),
            None => xml.push_str(&entry(view, &base, case, sample.as_deref())),
        }
    }
    xml.push_str(tombstones);
    xml.push_str("</feed>\n");
    xml.into_bytes()
}

/// One case's `<entry>`, with the sample marker if the site has one.
fn entry(view: &View, base: &str, case: &PublicCase, sample: Option<&str>) -> String {
    let public = view.site.public;
    let title = view.text(&case.title);
    let summary = case.summary.pick(&view.lang.code, &public.default_lang);
    let url = format!("{base}{}", Route::case(&case.id).path());
    let mut xml = String::new();
    let _ = write!(
        xml,
        "<entry>\n<id>{url}</id>\n<title xml:lang=\"{tl}\">{title}</title>\n<link rel=\"alternate\" type=\"text/html\" href=\"{url}\"/>\n<published>{published}</published>\n<updated>{updated}</updated>\n",
        url = escape(&url),
        tl = title.lang,
        title = escape(&title.text),
        published = timestamp(case.date_reported),
        updated = timestamp(case.updated),
    );
    for code in &case.committees {
        let _ = writeln!(
            xml,
            "<category term=\"{}\" label=\"{}\"/>",
            escape(code.as_str()),
            escape(&view.committee_name(code).text)
        );
    }
    let _ = write!(
        xml,
        "<category term=\"{}\" label=\"{}\"/>\n<summary type=\"text\" xml:lang=\"{}\">{}</summary>\n",
        escape(case.status.as_str()),
        escape(
            &view
                .term(crate::model::vocab::VocabKind::Statuses, &case.status)
                .text
        ),
        summary.lang,
        escape(&crate::markdown::plain_text(summary.text)),
    );
    if let Some(category) = sample {
        xml.push_str(category);
    }
    xml.push_str("</entry>\n");
    xml
}
