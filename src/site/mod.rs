//! The site as templates and generators see it: the public projection plus lookups computed
//! once per build (`RenderSite`), the list pages and facets (`listing`), every page of the site
//! (`jobs`), display-ready views and labels, and report data.
//!
//! Below `render`, `generate`, `search` and `export`, which all read it; it reads only the
//! projection and never the raw records.

pub(crate) mod countries;
pub(crate) mod jobs;
pub(crate) mod labels;
pub(crate) mod listing;
pub(crate) mod reports;
pub(crate) mod routes;
pub(crate) mod views;

use std::collections::HashMap;
use std::sync::Arc;

use crate::content::GuidancePage;
use crate::i18n::Strings;
use crate::model::ids::{CaseId, LangCode};
use crate::public::PublicSite;

use listing::Listings;

/// A site language as pages need it.
#[derive(Clone, Debug)]
pub struct LangView {
    pub code: LangCode,
    pub name: String,
    pub dir: &'static str,
    /// `""` for the default language, `"fr/"` for the others.
    pub prefix: String,
    pub strings: Arc<Strings>,
}

pub struct RenderSite<'a> {
    pub public: &'a PublicSite,
    pub guidance: &'a [GuidancePage],
    /// In the order of `site.toml`: the default language first.
    pub langs: Vec<LangView>,
    pub listings: Listings,
    pub case_index: HashMap<CaseId, usize>,
    /// Every committee's report sections, worked out once.
    pub(crate) reports: crate::stats::period_report::Reports,
    pub per_page: usize,
    pub exit_url: String,
    pub onion_location: Option<String>,
    /// The path part of `base_url` (`/` or `/reprisals/`), used only by the 404 page.
    pub base_path: String,
    /// Pieces of the generated files kept from `serve`'s last rebuild (none in `build`).
    pub(crate) memo: Option<&'a crate::memo::CaseMemo>,
}

impl<'a> RenderSite<'a> {
    pub fn new(
        public: &'a PublicSite,
        guidance: &'a [GuidancePage],
        strings: &std::collections::BTreeMap<LangCode, Arc<Strings>>,
        per_page: usize,
        exit_url: String,
        onion_location: Option<String>,
        base_path: String,
    ) -> Self {
        let langs: Vec<LangView> = public
            .languages
            .iter()
            .enumerate()
            .filter_map(|(i, code)| {
                let strings = strings.get(code)?.clone();
                Some(LangView {
                    code: code.clone(),
                    name: strings.info.name.clone(),
                    dir: if strings.is_rtl() { "rtl" } else { "ltr" },
                    prefix: if i == 0 {
                        String::new()
                    } else {
                        format!("{code}/")
                    },
                    strings,
                })
            })
            .collect();
        // Each reads every published case; `serve` makes them again on every edit.
        let ((listings, case_index), reports) = rayon::join(
            || {
                rayon::join(
                    || Listings::new(public, &langs),
                    || {
                        public
                            .cases
                            .iter()
                            .enumerate()
                            .map(|(i, c)| (c.id.clone(), i))
                            .collect()
                    },
                )
            },
            || crate::stats::period_report::Reports::new(public),
        );
        RenderSite {
            public,
            guidance,
            langs,
            listings,
            case_index,
            reports,
            per_page,
            exit_url,
            onion_location,
            base_path,
            memo: None,
        }
    }

    /// The same site, with generators taking the pieces of unchanged cases from `memo`.
    pub(crate) fn with_memo(self, memo: &'a crate::memo::CaseMemo) -> Self {
        RenderSite {
            memo: Some(memo),
            ..self
        }
    }

    /// Piece `slot` of the page at output path `path` (`fr/reports/cat/2024/`), made from what
    /// the page reads: `make()`, or the same piece from `serve`'s last rebuild when the page
    /// is unchanged.
    pub(crate) fn page_piece<T: std::any::Any + Send + Sync>(
        &self,
        slot: &'static str,
        path: &str,
        make: impl FnOnce() -> T,
    ) -> Arc<T> {
        match self.memo {
            Some(memo) => memo.page_piece(slot, path, make),
            None => Arc::new(make()),
        }
    }

    /// What the generator of `slot` carried from `serve`'s last rebuild (see
    /// `CaseMemo::take_carried`); `None` in `build`, which carries nothing.
    pub(crate) fn take_carried<T: std::any::Any + Send>(&self, slot: &'static str) -> Option<T> {
        self.memo?.take_carried(slot)
    }

    /// Whether this build keeps what generators carry (`serve`) or not (`build`).
    pub(crate) fn carries(&self) -> bool {
        self.memo.is_some()
    }

    /// Keeps `value` for the generator of `slot` at `serve`'s next rebuild.
    pub(crate) fn carry<T: std::any::Any + Send>(&self, slot: &'static str, value: T) {
        if let Some(memo) = self.memo {
            memo.carry(slot, value);
        }
    }

    /// Piece `slot` of the `case`-th published case in language `lang`: `make()`, or the same
    /// piece from `serve`'s last rebuild when the case and the site are unchanged.
    pub(crate) fn case_piece<T: std::any::Any + Send + Sync>(
        &self,
        slot: &'static str,
        lang: usize,
        case: usize,
        make: impl FnOnce() -> T,
    ) -> Arc<T> {
        match self.memo {
            Some(memo) => memo.get_or(slot, lang, case, make),
            None => Arc::new(make()),
        }
    }

    /// Languages in language-bar order: the UN order, other languages after.
    pub fn bar_order(&self) -> Vec<usize> {
        let mut order: Vec<usize> = (0..self.langs.len()).collect();
        order.sort_by_key(|&i| {
            crate::model::ids::UN_LANGUAGES
                .iter()
                .position(|l| *l == self.langs[i].code.as_str())
                .unwrap_or(crate::model::ids::UN_LANGUAGES.len() + i)
        });
        order
    }

    pub fn dir_of(&self, lang: &str) -> &'static str {
        self.langs
            .iter()
            .find(|l| l.code.as_str() == lang)
            .map_or("ltr", |l| l.dir)
    }
}
