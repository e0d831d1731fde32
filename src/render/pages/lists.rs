//! The case index (sortable, paginated table) and the browse pages per facet value.

use std::collections::BTreeMap;
use std::sync::Arc;

use serde::Serialize;
use tera::Context;

use crate::diagnostics::Problem;
use crate::i18n::Entry;
use crate::render::CaseRows;

use super::PageContent;
use crate::site::labels::value_label;
use crate::site::listing::{Facet, SortKey, paginate};
use crate::site::routes::Route;
use crate::site::views::{Text, View};

#[derive(Serialize)]
struct PageLink {
    number: String,
    href: String,
    current: bool,
}

#[derive(Serialize)]
struct Pagination {
    page: usize,
    pages: usize,
    prev: Option<String>,
    next: Option<String>,
    links: Vec<PageLink>,
    label: String,
}

#[derive(Serialize)]
struct SortLink {
    key: &'static str,
    href: String,
    current: bool,
}

#[derive(Serialize)]
struct FacetValueLink {
    label: Text,
    href: String,
    count: String,
}

#[derive(Serialize)]
struct FacetNav {
    facet: &'static str,
    label: String,
    values: Vec<FacetValueLink>,
}

#[derive(Serialize)]
struct Filter {
    facet: &'static str,
    facet_label: String,
    value: Text,
    clear_href: String,
}

#[derive(Serialize)]
struct CaseList {
    heading: String,
    caption: String,
    total: String,
    rows: Vec<Arc<str>>,
    pagination: Pagination,
    sort: Vec<SortLink>,
    sort_key: &'static str,
    filter: Option<Filter>,
    facets: Vec<FacetNav>,
    /// Only on the first page of the index: what `search.js` needs from the page.
    search: Option<SearchUi>,
}

/// The search form itself is in `cases.html`, drawn with the page's strings and hidden until the
/// script reveals it; these are the pieces the script needs besides it.
#[derive(Serialize)]
struct SearchUi {
    /// Relative address of this language's search manifest.
    manifest: String,
    /// The plural forms of "{count} cases found" as JSON (`{"one": ..., "other": ...}`): the
    /// script picks one with `Intl.PluralRules`, so each language keeps its own categories.
    found: String,
}

fn search_ui(view: &View) -> SearchUi {
    let forms: BTreeMap<&str, &str> = match view.lang.strings.entries.get("search_found") {
        Some(Entry::Plural(forms)) => forms
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect(),
        Some(Entry::Text(text)) => BTreeMap::from([("other", text.as_str())]),
        None => BTreeMap::from([("other", "{count}")]),
    };
    SearchUi {
        manifest: format!("{}search/{}/manifest.json", view.site_root, view.lang.code),
        found: serde_json::to_string(&forms).expect("serialisable"),
    }
}

fn pagination(view: &View, list: &Route, page: usize, pages: usize) -> Pagination {
    let href = |n: usize| view.href(&list.clone().page(n).path());
    // A window around the current page plus the first and last: short lists stay short.
    let mut numbers: Vec<usize> = (1..=pages)
        .filter(|&n| n == 1 || n == pages || n.abs_diff(page) <= 2)
        .collect();
    numbers.dedup();
    Pagination {
        page,
        pages,
        prev: (page > 1).then(|| href(page - 1)),
        next: (page < pages).then(|| href(page + 1)),
        links: numbers
            .into_iter()
            .map(|n| PageLink {
                number: view.number(n),
                href: href(n),
                current: n == page,
            })
            .collect(),
        label: view
            .t("page_of")
            .replace("{page}", &view.number(page))
            .replace("{pages}", &view.number(pages)),
    }
}

fn facet_label(view: &View, facet: Facet) -> String {
    view.t(&format!("facet_{}", facet.slug()))
}

fn facet_nav(view: &View) -> Vec<FacetNav> {
    view.site
        .listings
        .facets
        .iter()
        .map(|group| {
            let mut values: Vec<FacetValueLink> = group
                .values
                .iter()
                .map(|v| FacetValueLink {
                    label: value_label(view, group.facet, &v.key),
                    href: view.facet_href(group.facet, &v.key),
                    count: view.number(v.cases.len()),
                })
                .collect();
            if group.facet == Facet::Country {
                values.sort_by_cached_key(|v| v.label.text.to_lowercase());
            }
            FacetNav {
                facet: group.facet.slug(),
                label: facet_label(view, group.facet),
                values,
            }
        })
        .collect()
}

pub(super) fn index(
    view: &View,
    rows: &CaseRows,
    sort: SortKey,
    page: usize,
) -> Result<PageContent, Problem> {
    let site = view.site;
    let order = site.listings.sorted(view.lang_index, sort);
    let (slice, pages) = paginate(order, site.per_page, page);
    let list = Route::Cases { sort, page: 1 };
    let sort_name = view.t(&format!("sort_{}", sort.slug()));
    let mut title = view.t("cases_title");
    if sort != SortKey::Date {
        title = format!(
            "{title} – {}",
            view.t("sorted_by").replace("{column}", &sort_name)
        );
    }
    let pag = pagination(view, &list, page, pages);
    if pages > 1 {
        title = format!("{title} – {}", pag.label);
    }
    let data = CaseList {
        heading: view.t("cases_title"),
        caption: view.t("cases_caption").replace("{sort}", &sort_name),
        total: view.plural("cases_count", order.len()),
        rows: rows.html(view, slice)?,
        pagination: pag,
        sort: SortKey::ALL
            .iter()
            .map(|&k| SortLink {
                key: k.slug(),
                href: view.href(&Route::Cases { sort: k, page: 1 }.path()),
                current: k == sort,
            })
            .collect(),
        sort_key: sort.slug(),
        filter: None,
        // The browse lists are long: they live on the first page only, the others link there.
        facets: if sort == SortKey::Date && page == 1 {
            facet_nav(view)
        } else {
            Vec::new()
        },
        search: (sort == SortKey::Date && page == 1).then(|| search_ui(view)),
    };
    Ok(PageContent {
        template: "cases.html",
        title,
        section: "cases".into(),
        fallback: false,
        data: Context::from_serialize(&data).expect("serialisable"),
    })
}

pub(super) fn browse(
    view: &View,
    rows: &CaseRows,
    facet: Facet,
    value: usize,
    page: usize,
) -> Result<PageContent, Problem> {
    let site = view.site;
    let v = &site.listings.group(facet).values[value];
    let (slice, pages) = paginate(&v.cases, site.per_page, page);
    let list = Route::browse(facet, &v.key);
    let label = value_label(view, facet, &v.key);
    let facet_name = facet_label(view, facet);
    let pag = pagination(view, &list, page, pages);
    let heading = format!("{}: {}", facet_name, label.text);
    let mut title = format!("{} – {heading}", view.t("cases_title"));
    if pages > 1 {
        title = format!("{title} – {}", pag.label);
    }
    let data = CaseList {
        heading: heading.clone(),
        caption: view.t("browse_caption").replace("{filter}", &heading),
        total: view.plural("cases_count", v.cases.len()),
        rows: rows.html(view, slice)?,
        pagination: pag,
        sort: Vec::new(),
        sort_key: "date",
        filter: Some(Filter {
            facet: facet.slug(),
            facet_label: facet_name,
            value: label,
            clear_href: view.href("cases/"),
        }),
        facets: Vec::new(),
        search: None,
    };
    Ok(PageContent {
        template: "cases.html",
        title,
        section: "cases".into(),
        fallback: false,
        data: Context::from_serialize(&data).expect("serialisable"),
    })
}
