//! Every address of the site, made in one place. A page, a link, a sitemap entry, a feed link
//! and the navigation all take their paths from a `Route`, so an address changes here or
//! nowhere.
//!
//! Paths are relative to a language's root (`cases/2024-007/`, `""` for home); `View::href`
//! puts the language prefix and the relative root in front, and absolute URLs put `base_url`
//! and the prefix in front.

use std::fmt::Display;

use crate::model::ids::CommitteeCode;

use super::listing::{Facet, SortKey};

/// One address of the site, inside a language.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Route {
    Home,
    /// The site's Atom feed of new and updated cases.
    Feed,
    Committees,
    /// A committee's page; `slug` is its lower-case code (`cat`).
    Committee {
        slug: String,
    },
    /// A committee's large-print factsheet.
    Factsheet {
        slug: String,
    },
    /// A committee's own feed.
    CommitteeFeed {
        slug: String,
    },
    /// A guidance page, by the slug of its Markdown file.
    Guidance {
        slug: String,
    },
    /// The case index in one sort order; `page` is 1-based.
    Cases {
        sort: SortKey,
        page: usize,
    },
    /// Cases with one facet value (`cases/country/mex/`); `page` is 1-based.
    Browse {
        facet: Facet,
        key: String,
        page: usize,
    },
    Case {
        id: String,
    },
    Trends,
    Reports,
    /// One committee's report section for the period starting in `year`.
    Report {
        slug: String,
        year: i16,
    },
    Data,
    /// The submission form, which composes a text in the browser and sends nothing.
    SubmissionForm,
    /// Where else to turn, urgent danger first.
    WhereElse,
    /// One State's page; `slug` is its lower-case ISO 3166-1 alpha-3 code, `page` 1-based.
    Country {
        slug: String,
        page: usize,
    },
}

impl Route {
    /// The first page of a State's page.
    pub fn country(code: &crate::model::ids::CountryCode) -> Route {
        Route::Country {
            slug: code.slug(),
            page: 1,
        }
    }

    /// A committee's page.
    pub fn committee(code: &CommitteeCode) -> Route {
        Route::Committee { slug: code.slug() }
    }

    /// A committee's large-print factsheet.
    pub fn factsheet(code: &CommitteeCode) -> Route {
        Route::Factsheet { slug: code.slug() }
    }

    /// A case's page.
    pub fn case(id: impl Display) -> Route {
        Route::Case { id: id.to_string() }
    }

    /// The first page of the case index, newest first.
    pub fn cases() -> Route {
        Route::Cases {
            sort: SortKey::Date,
            page: 1,
        }
    }

    /// The first page of the cases with one facet value.
    pub fn browse(facet: Facet, key: impl Display) -> Route {
        Route::Browse {
            facet,
            key: key.to_string(),
            page: 1,
        }
    }

    /// Where the cases with one facet value are listed: a State's on its country page, the
    /// others on their browse page.
    pub fn listing(facet: Facet, key: impl Display) -> Route {
        match facet {
            Facet::Country => Route::Country {
                slug: key.to_string(),
                page: 1,
            },
            _ => Route::browse(facet, key),
        }
    }

    /// The same list on another page (unchanged for a route that is not a list).
    pub fn page(self, page: usize) -> Route {
        match self {
            Route::Cases { sort, .. } => Route::Cases { sort, page },
            Route::Browse { facet, key, .. } => Route::Browse { facet, key, page },
            Route::Country { slug, .. } => Route::Country { slug, page },
            other => other,
        }
    }

    /// The path inside a language, for example `cases/2024-007/` (`""` for home).
    pub fn path(&self) -> String {
        match self {
            Route::Home => String::new(),
            Route::Feed => "feed.xml".to_owned(),
            Route::Committees => "committees/".to_owned(),
            Route::Committee { slug } => format!("committees/{slug}/"),
            Route::CommitteeFeed { slug } => format!("committees/{slug}/feed.xml"),
            Route::Factsheet { slug } => format!("committees/{slug}/factsheet/"),
            Route::Guidance { slug } => format!("{slug}/"),
            Route::Cases { sort, page } => {
                let base = match sort {
                    SortKey::Date => "cases/".to_owned(),
                    other => format!("cases/sort/{}/", other.slug()),
                };
                with_page(base, *page)
            }
            Route::Browse { facet, key, page } => {
                with_page(format!("cases/{}/{key}/", facet.slug()), *page)
            }
            Route::Case { id } => format!("cases/{id}/"),
            Route::Trends => "trends/".to_owned(),
            Route::Reports => "reports/".to_owned(),
            Route::Report { slug, year } => format!("reports/{slug}/{year}/"),
            Route::Data => "data/".to_owned(),
            Route::SubmissionForm => "how-to-submit/form/".to_owned(),
            Route::WhereElse => "where-else/".to_owned(),
            Route::Country { slug, page } => with_page(format!("countries/{slug}/"), *page),
        }
    }
}

fn with_page(base: String, page: usize) -> String {
    if page <= 1 {
        base
    } else {
        format!("{base}page/{page}/")
    }
}

/// An item of the main navigation, before the guidance pages.
pub(crate) struct NavEntry {
    pub route: Route,
    /// The page's `section`, which marks the item as current.
    pub section: &'static str,
    /// The interface string of its label.
    pub label: &'static str,
}

/// The main navigation, in order; the guidance pages follow.
pub(crate) fn main_nav() -> Vec<NavEntry> {
    let entry = |route, section, label| NavEntry {
        route,
        section,
        label,
    };
    vec![
        entry(Route::Home, "home", "nav_home"),
        entry(Route::Committees, "committees", "nav_committees"),
        entry(Route::cases(), "cases", "nav_cases"),
        entry(Route::Trends, "trends", "nav_trends"),
        entry(Route::Data, "data", "nav_data"),
    ]
}

/// Items of the main navigation after the guidance pages.
pub(crate) fn closing_nav() -> Vec<NavEntry> {
    vec![NavEntry {
        route: Route::WhereElse,
        section: "where-else",
        label: "nav_where_else",
    }]
}

/// Addresses the templates link to by name (`{{ page.root }}{{ paths.cases }}`), so that no
/// template writes a path by hand.
#[derive(serde::Serialize)]
pub(crate) struct FixedPaths {
    home: String,
    cases: String,
    how_to_submit: String,
    feed: String,
}

/// The addresses templates use by name.
pub(crate) fn fixed_paths() -> FixedPaths {
    FixedPaths {
        home: Route::Home.path(),
        cases: Route::cases().path(),
        how_to_submit: Route::Guidance {
            slug: "how-to-submit".to_owned(),
        }
        .path(),
        feed: Route::Feed.path(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_pages_after_the_first_have_their_number() {
        assert_eq!(Route::cases().path(), "cases/");
        assert_eq!(Route::cases().page(3).path(), "cases/page/3/");
        let sorted = Route::Cases {
            sort: SortKey::Country,
            page: 2,
        };
        assert_eq!(sorted.path(), "cases/sort/country/page/2/");
        assert_eq!(
            Route::browse(Facet::Country, "mex").page(1).path(),
            "cases/country/mex/"
        );
        assert_eq!(
            Route::Country {
                slug: "mex".into(),
                page: 2
            }
            .path(),
            "countries/mex/page/2/"
        );
    }
}
