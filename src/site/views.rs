//! Display-ready pieces that templates print as they are: text in the page language (or
//! marked as a fallback), formatted dates, labels, links. Templates stay free of logic.

use serde::Serialize;

use crate::model::date::{Date, Month};
use crate::model::ids::{CommitteeCode, CountryCode, TermId, WebUrl};
use crate::model::localized::Localized;
use crate::model::vocab::VocabKind;
use crate::public::{Count, PublicCase, PublicContact, PublicFocalPoint};

use super::listing::Facet;
use super::routes::Route;
use super::{LangView, RenderSite};

/// Text with the language it is really in; `fallback` means "not translated, shown in `lang`".
#[derive(Clone, Debug, Serialize)]
pub(crate) struct Text {
    pub text: String,
    pub lang: String,
    pub dir: &'static str,
    pub fallback: bool,
}

#[derive(Clone, Debug, Serialize)]
pub(crate) struct Link {
    pub href: String,
    pub label: Text,
}

#[derive(Debug, Serialize)]
pub(crate) struct CaseRow {
    pub id: String,
    pub href: String,
    pub title: Text,
    pub date: String,
    pub date_iso: String,
    pub country: Text,
    pub committees: Vec<String>,
    pub status: Text,
    pub types: Vec<Text>,
}

#[derive(Debug, Serialize)]
pub(crate) struct ContactView {
    pub kind: &'static str,
    pub kind_label: String,
    pub value: String,
    pub href: Option<String>,
    pub label: Option<Text>,
    pub fingerprint: Option<String>,
}

#[derive(Debug, Serialize)]
pub(crate) struct FocalPointView {
    pub name: String,
    pub role: String,
    pub committee: String,
    pub scope: Vec<Text>,
    pub start: String,
    pub end: Option<String>,
    pub languages: Vec<String>,
    pub contact: Vec<ContactView>,
}

/// A page's view of the site in one language, relative to one page's location.
pub(crate) struct View<'s, 'a> {
    pub site: &'s RenderSite<'a>,
    pub lang: &'s LangView,
    /// Where `lang` is in `site.langs`.
    pub lang_index: usize,
    /// Relative prefix from the page to its language root (`../../`, or `./`).
    pub root: String,
    /// Relative prefix from the page to the site root, for files shared by all languages.
    pub site_root: String,
}

impl<'s, 'a> View<'s, 'a> {
    pub(crate) fn new(site: &'s RenderSite<'a>, lang_index: usize, page_path: &str) -> Self {
        let lang = &site.langs[lang_index];
        let depth = page_path.split('/').filter(|s| !s.is_empty()).count();
        let root = if depth == 0 {
            "./".to_owned()
        } else {
            "../".repeat(depth)
        };
        let lang_depth = lang.prefix.split('/').filter(|s| !s.is_empty()).count();
        let site_root = match depth + lang_depth {
            0 => "./".to_owned(),
            n => "../".repeat(n),
        };
        View {
            site,
            lang,
            lang_index,
            root,
            site_root,
        }
    }

    pub(crate) fn t(&self, key: &str) -> String {
        self.lang.strings.text(key).unwrap_or(key).to_owned()
    }

    pub(crate) fn plural(&self, key: &str, n: usize) -> String {
        self.lang
            .strings
            .plural(key, n as u64)
            .unwrap_or_else(|| key.to_owned())
    }

    pub(crate) fn text(&self, value: &Localized) -> Text {
        let chosen = value.pick(&self.lang.code, &self.site.public.default_lang);
        Text {
            text: chosen.text.to_owned(),
            lang: chosen.lang.to_owned(),
            dir: self.site.dir_of(chosen.lang),
            fallback: chosen.fallback,
        }
    }

    /// Text that is the same in every language (document symbols, names, codes).
    pub(crate) fn raw(&self, text: &str) -> Text {
        Text {
            text: text.to_owned(),
            lang: self.lang.code.to_string(),
            dir: self.lang.dir,
            fallback: false,
        }
    }

    pub(crate) fn date(&self, date: Date) -> String {
        self.lang.strings.date(date)
    }

    pub(crate) fn month(&self, month: Month) -> String {
        self.lang.strings.month(month)
    }

    pub(crate) fn number(&self, n: usize) -> String {
        self.lang.strings.number(n as u64)
    }

    pub(crate) fn href(&self, path: &str) -> String {
        format!("{}{}", self.root, path)
    }

    pub(crate) fn term(&self, kind: VocabKind, id: &TermId) -> Text {
        match self.site.public.vocab.term(kind, id) {
            Some(term) => self.text(&term.label),
            None => self.raw(id.as_str()),
        }
    }

    pub(crate) fn term_definition(&self, kind: VocabKind, id: &TermId) -> Option<Text> {
        self.site
            .public
            .vocab
            .term(kind, id)?
            .definition
            .as_ref()
            .map(|d| self.text(d))
    }

    pub(crate) fn country(&self, code: &CountryCode) -> Text {
        match self.site.public.vocab.country(code) {
            Some(country) => self.text(&country.name),
            None => self.raw(code.as_str()),
        }
    }

    pub(crate) fn committee_name(&self, code: &CommitteeCode) -> Text {
        match self.site.public.committees.iter().find(|c| &c.code == code) {
            Some(c) => self.text(&c.name),
            None => self.raw(code.as_str()),
        }
    }

    pub(crate) fn facet_link(&self, facet: Facet, key: &str, label: Text) -> Link {
        Link {
            href: self.facet_href(facet, key),
            label,
        }
    }

    /// Where a facet value's cases are listed: a country's are on its country page.
    pub(crate) fn facet_href(&self, facet: Facet, key: &str) -> String {
        self.href(&Route::listing(facet, key).path())
    }

    pub(crate) fn case_href(&self, id: &str) -> String {
        self.href(&Route::case(id).path())
    }

    pub(crate) fn case_row(&self, case: &PublicCase) -> CaseRow {
        CaseRow {
            id: case.id.to_string(),
            href: self.case_href(case.id.as_str()),
            title: self.text(&case.title),
            date: self.date(case.date_reported),
            date_iso: case.date_reported.to_string(),
            country: self.country(&case.country),
            committees: case.committees.iter().map(|c| c.to_string()).collect(),
            status: self.term(VocabKind::Statuses, &case.status),
            types: case
                .reprisal_types
                .iter()
                .map(|t| self.term(VocabKind::ReprisalTypes, t))
                .collect(),
        }
    }

    pub(crate) fn contact(&self, contact: &PublicContact) -> ContactView {
        use crate::model::committee::ContactKind as K;
        let (kind, href) = match contact.kind {
            K::Email => ("email", Some(format!("mailto:{}", contact.value))),
            // Validation refuses anything else; checked again because this becomes an href.
            K::Web => (
                "web",
                Some(contact.value.clone()).filter(|v| WebUrl::parse(v).is_ok()),
            ),
            K::Secure => (
                "secure",
                Some(contact.value.clone()).filter(|v| v.starts_with("https://")),
            ),
            K::Phone => (
                "phone",
                Some(format!("tel:{}", contact.value.replace(' ', ""))),
            ),
            K::Pgp => (
                "pgp",
                Some(contact.value.clone()).filter(|v| v.starts_with("https://")),
            ),
        };
        ContactView {
            kind,
            kind_label: self.t(&format!("contact_{kind}")),
            value: contact.value.clone(),
            href,
            label: contact.label.as_ref().map(|l| self.text(l)),
            fingerprint: contact.fingerprint.clone(),
        }
    }

    pub(crate) fn focal_point(&self, fp: &PublicFocalPoint) -> FocalPointView {
        let role = match fp.role {
            crate::model::focal_point::Role::Rapporteur => "role_rapporteur",
            crate::model::focal_point::Role::Alternate => "role_alternate",
            crate::model::focal_point::Role::FocalPoint => "role_focal_point",
            crate::model::focal_point::Role::WorkingGroupMember => "role_working_group_member",
        };
        FocalPointView {
            name: fp.name.clone(),
            role: self.t(role),
            committee: fp.committee.to_string(),
            scope: fp
                .scope
                .iter()
                .map(|s| self.term(VocabKind::Contexts, s))
                .collect(),
            start: self.date(fp.start),
            end: fp.end.map(|e| self.date(e)),
            languages: fp.languages.iter().map(|l| l.to_string()).collect(),
            contact: fp.contact.iter().map(|c| self.contact(c)).collect(),
        }
    }
}

/// A suppressed count as displayed ("<3", "withheld") and its number when shown.
pub(crate) fn display_count(view: &View, count: Count, min_cell: u32) -> (String, Option<u64>) {
    match count {
        Count::Shown(n) => (view.number(n as usize), Some(u64::from(n))),
        Count::Small => (
            view.t("count_small")
                .replace("{min}", &view.number(min_cell as usize)),
            None,
        ),
        Count::Withheld => (view.t("count_withheld"), None),
    }
}
