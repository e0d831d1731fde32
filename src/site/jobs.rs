//! The flat list of pages to render, and the address of each. One job = one output file.

use super::RenderSite;
use super::listing::{Facet, SortKey, paginate};
use super::routes::Route;

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum PageKind {
    Home,
    Committees,
    Committee(usize),
    Guidance(usize),
    /// The case index in one sort order; page is 1-based.
    Index {
        sort: SortKey,
        page: usize,
    },
    /// Cases with one facet value, newest first.
    Browse {
        facet: Facet,
        value: usize,
        page: usize,
    },
    Case(usize),
    NotFound,
    /// Figures over all published cases.
    Trends,
    /// Every committee's annual report sections.
    Reports,
    /// What one committee did in one reporting period (named by the year it starts in).
    Report {
        committee: usize,
        year: i16,
    },
    /// What the open data files hold, field by field.
    Data,
    /// The submission form under how-to-submit (composes in the browser, sends nothing).
    SubmissionForm,
    /// Where else to turn, urgent danger first.
    WhereElse,
    /// One State: its public cases (paginated), letters, committees, references, sessions.
    /// `country` indexes `PublicVocab::countries`.
    Country {
        country: usize,
        page: usize,
    },
    /// One committee's large-print factsheet.
    Factsheet(usize),
}

impl PageKind {
    /// A page kept at an old address that shows what now lives at another (its canonical
    /// address): not listed in the sitemap.
    pub fn is_alias(&self) -> bool {
        matches!(
            self,
            PageKind::Browse {
                facet: Facet::Country,
                ..
            }
        )
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Job {
    /// Index into `RenderSite::langs`.
    pub lang: usize,
    pub kind: PageKind,
}

impl Job {
    /// The page's folder inside its language, for example `cases/2024-007/` (`""` for home).
    pub fn path(&self, site: &RenderSite) -> String {
        kind_path(&self.kind, site)
    }

    /// The file written, for example `fr/cases/2024-007/index.html`.
    pub fn output_path(&self, site: &RenderSite) -> String {
        let prefix = &site.langs[self.lang].prefix;
        match self.kind {
            PageKind::NotFound => format!("{prefix}404.html"),
            _ => format!("{prefix}{}index.html", self.path(site)),
        }
    }
}

/// The page's folder inside its language (`""` for home and the not-found page).
pub(crate) fn kind_path(kind: &PageKind, site: &RenderSite) -> String {
    kind.route(site).map(|r| r.path()).unwrap_or_default()
}

impl PageKind {
    /// The address of this page; the not-found page has none (it is `404.html` at the root).
    pub fn route(&self, site: &RenderSite) -> Option<Route> {
        Some(match self {
            PageKind::NotFound => return None,
            PageKind::Home => Route::Home,
            PageKind::Committees => Route::Committees,
            PageKind::Committee(i) => Route::committee(&site.public.committees[*i].code),
            PageKind::Guidance(i) => Route::Guidance {
                slug: site.guidance[*i].slug.clone(),
            },
            PageKind::Index { sort, page } => Route::Cases {
                sort: *sort,
                page: *page,
            },
            PageKind::Browse { facet, value, page } => Route::Browse {
                facet: *facet,
                key: site.listings.group(*facet).values[*value].key.clone(),
                page: *page,
            },
            PageKind::Case(i) => Route::case(&site.public.cases[*i].id),
            PageKind::Trends => Route::Trends,
            PageKind::Reports => Route::Reports,
            PageKind::Report { committee, year } => Route::Report {
                slug: site.public.committees[*committee].code.slug(),
                year: *year,
            },
            PageKind::Data => Route::Data,
            PageKind::SubmissionForm => Route::SubmissionForm,
            PageKind::WhereElse => Route::WhereElse,
            PageKind::Country { country, page } => Route::Country {
                slug: site.public.vocab.countries[*country].code.slug(),
                page: *page,
            },
            PageKind::Factsheet(i) => Route::factsheet(&site.public.committees[*i].code),
        })
    }
}

/// Every page of the site, in every language.
pub(crate) fn plan(site: &RenderSite) -> Vec<Job> {
    let mut kinds = vec![PageKind::Home, PageKind::Committees, PageKind::NotFound];
    kinds.extend((0..site.public.committees.len()).map(PageKind::Committee));
    kinds.extend((0..site.public.committees.len()).map(PageKind::Factsheet));
    kinds.extend((0..site.guidance.len()).map(PageKind::Guidance));
    let total = site.public.cases.len();
    let index_pages = total.div_ceil(site.per_page).max(1);
    for sort in SortKey::ALL {
        kinds.extend((1..=index_pages).map(|page| PageKind::Index { sort, page }));
    }
    for group in &site.listings.facets {
        for (value, v) in group.values.iter().enumerate() {
            let (_, pages) = paginate(&v.cases, site.per_page, 1);
            kinds.extend((1..=pages).map(|page| PageKind::Browse {
                facet: group.facet,
                value,
                page,
            }));
        }
    }
    kinds.extend((0..total).map(PageKind::Case));
    kinds.extend([PageKind::Trends, PageKind::Reports, PageKind::Data]);
    kinds.push(PageKind::SubmissionForm);
    kinds.push(PageKind::WhereElse);
    for country in super::countries::with_page(site) {
        let pages = super::countries::page_count(site, country);
        kinds.extend((1..=pages).map(|page| PageKind::Country { country, page }));
    }
    for i in 0..site.public.committees.len() {
        let periods = site.reports.periods(site.public, i);
        kinds.extend(periods.into_iter().map(|p| PageKind::Report {
            committee: i,
            year: p.year,
        }));
    }
    (0..site.langs.len())
        .flat_map(|lang| {
            kinds.iter().map(move |kind| Job {
                lang,
                kind: kind.clone(),
            })
        })
        .collect()
}
