//! The flat list of pages to render, and the address of each. One job = one output file.

use super::listing::{Facet, SortKey, paginate};
use super::site::RenderSite;

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
    /// One committee's large-print factsheet.
    Factsheet(usize),
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

pub fn kind_path(kind: &PageKind, site: &RenderSite) -> String {
    match kind {
        PageKind::Home | PageKind::NotFound => String::new(),
        PageKind::Committees => "committees/".to_owned(),
        PageKind::Committee(i) => format!("committees/{}/", site.public.committees[*i].code.slug()),
        PageKind::Guidance(i) => format!("{}/", site.guidance[*i].slug),
        PageKind::Index { sort, page } => {
            let base = match sort {
                SortKey::Date => "cases/".to_owned(),
                other => format!("cases/sort/{}/", other.slug()),
            };
            with_page(base, *page)
        }
        PageKind::Browse { facet, value, page } => {
            let key = &site.listings.group(*facet).values[*value].key;
            with_page(format!("cases/{}/{key}/", facet.slug()), *page)
        }
        PageKind::Case(i) => format!("cases/{}/", site.public.cases[*i].id),
        PageKind::Trends => "trends/".to_owned(),
        PageKind::Reports => "reports/".to_owned(),
        PageKind::Report { committee, year } => format!(
            "reports/{}/{year}/",
            site.public.committees[*committee].code.slug()
        ),
        PageKind::Data => "data/".to_owned(),
        PageKind::Factsheet(i) => format!(
            "committees/{}/factsheet/",
            site.public.committees[*i].code.slug()
        ),
    }
}

fn with_page(base: String, page: usize) -> String {
    if page <= 1 {
        base
    } else {
        format!("{base}page/{page}/")
    }
}

/// Every page of the site, in every language.
pub fn plan(site: &RenderSite) -> Vec<Job> {
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
    for (i, committee) in site.public.committees.iter().enumerate() {
        let periods = crate::stats::period_report::active_periods(site.public, &committee.code);
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
