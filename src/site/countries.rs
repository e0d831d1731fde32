//! Which States have a page, and what each lists: their public cases and the sessions that
//! review or (publicly) visit them. `jobs` plans the pages from this; `render` draws them.

use crate::model::ids::CountryCode;
use crate::public::PublicSession;

use super::RenderSite;
use super::listing::Facet;

/// Indexes into `PublicVocab::countries` of the States with a page: a public case, or a review
/// or public visit ahead.
pub(crate) fn with_page(site: &RenderSite) -> Vec<usize> {
    let public = site.public;
    public
        .vocab
        .countries
        .iter()
        .enumerate()
        .filter(|(_, c)| {
            !cases_of(site, &c.code).is_empty()
                || !sessions_concerning(&public.sessions, &c.code).is_empty()
        })
        .map(|(i, _)| i)
        .collect()
}

/// The State's public cases, newest first, as indexes into `PublicSite::cases`.
pub(crate) fn cases_of<'a>(site: &'a RenderSite, code: &CountryCode) -> &'a [u32] {
    let key = code.slug();
    site.listings
        .group(Facet::Country)
        .values
        .iter()
        .find(|v| v.key == key)
        .map_or(&[], |v| v.cases.as_slice())
}

/// How many pages the State's case list takes (at least one).
pub(crate) fn page_count(site: &RenderSite, country: usize) -> usize {
    let code = &site.public.vocab.countries[country].code;
    cases_of(site, code).len().div_ceil(site.per_page).max(1)
}

/// Sessions that review or (publicly) visit one State.
pub(crate) fn sessions_concerning<'a>(
    sessions: &'a [PublicSession],
    code: &CountryCode,
) -> Vec<&'a PublicSession> {
    sessions
        .iter()
        .filter(|s| s.reviews.contains(code) || s.visits.iter().any(|v| &v.country == code))
        .collect()
}
