//! Sessions ahead as pages show them: dates, States reviewed or visited, and what civil
//! society should know about reprisals before cooperating with that committee.

use serde::Serialize;

use crate::model::ids::CountryCode;
use crate::public::{PublicCommittee, PublicSession};
use crate::site::routes::Route;

use crate::site::listing::Facet;
use crate::site::views::{ContactView, FocalPointView, Link, Text, View};

#[derive(Serialize)]
pub(super) struct SessionView {
    pub id: String,
    pub committee: String,
    pub committee_name: Text,
    pub committee_href: String,
    pub session: String,
    pub dates: String,
    pub start_iso: String,
    pub under_way: bool,
    pub place: Option<Text>,
    pub reviews: Vec<Link>,
    pub visits: Vec<VisitView>,
    pub before: Option<Before>,
}

/// An instrument and article: the template keeps the instrument's name left to right, as the
/// committee page does, since it often carries a document symbol.
#[derive(Serialize)]
pub(super) struct ProvisionRef {
    pub instrument: String,
    pub article: String,
}

#[derive(Serialize)]
pub(super) struct VisitView {
    pub country: Link,
    pub dates: Option<String>,
}

/// The committee's protection against reprisals, as a reader needs it before cooperating.
#[derive(Serialize)]
pub(super) struct Before {
    pub provisions: Vec<ProvisionRef>,
    pub focal_points: Vec<FocalPointView>,
    pub vacant: bool,
    pub secretariat: Vec<ContactView>,
}

fn committee<'a>(view: &View<'_, 'a>, session: &PublicSession) -> Option<&'a PublicCommittee> {
    view.site
        .public
        .committees
        .iter()
        .find(|c| c.code == session.committee)
}

pub(super) fn range(
    view: &View,
    start: crate::model::date::Date,
    end: crate::model::date::Date,
) -> String {
    if start == end {
        view.date(start)
    } else {
        format!("{} – {}", view.date(start), view.date(end))
    }
}

/// `with_before`: also say what to know before cooperating (committee and country pages).
pub(super) fn session_view(view: &View, session: &PublicSession, with_before: bool) -> SessionView {
    let c = committee(view, session);
    let public = view.site.public;
    let country_link =
        |code: &CountryCode| view.facet_link(Facet::Country, &code.slug(), view.country(code));
    SessionView {
        id: format!(
            "session-{}-{}",
            session.committee.slug(),
            slug(&session.session)
        ),
        committee: session.committee.to_string(),
        committee_name: view.committee_name(&session.committee),
        committee_href: view.href(&Route::committee(&session.committee).path()),
        session: session.session.clone(),
        dates: range(view, session.start, session.end),
        start_iso: session.start.to_string(),
        under_way: session.start <= public.build_date,
        place: session.place.as_ref().map(|p| view.text(p)),
        reviews: session.reviews.iter().map(country_link).collect(),
        visits: session
            .visits
            .iter()
            .map(|v| VisitView {
                country: country_link(&v.country),
                dates: match (v.start, v.end) {
                    (Some(s), Some(e)) => Some(range(view, s, e)),
                    (Some(s), None) => Some(view.date(s)),
                    _ => None,
                },
            })
            .collect(),
        before: c.filter(|_| with_before).map(|c| Before {
            provisions: c
                .reprisal_provisions
                .iter()
                .map(|p| ProvisionRef {
                    instrument: p.instrument.clone(),
                    article: p.article.clone(),
                })
                .collect(),
            focal_points: c
                .current
                .iter()
                .map(|&i| view.focal_point(&public.focal_points[i]))
                .collect(),
            vacant: c.current.is_empty(),
            secretariat: c.contact.iter().map(|x| view.contact(x)).collect(),
        }),
    }
}

/// An id fragment from a session name: letters and digits, dashes between.
fn slug(text: &str) -> String {
    let mut out = String::new();
    for ch in text.chars() {
        if ch.is_ascii_alphanumeric() {
            out.push(ch.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_owned()
}

/// Sessions of one committee, soonest first.
pub(super) fn of_committee<'a>(
    view: &View<'_, 'a>,
    code: &crate::model::ids::CommitteeCode,
) -> Vec<&'a PublicSession> {
    view.site
        .public
        .sessions
        .iter()
        .filter(|s| &s.committee == code)
        .collect()
}

/// Sessions starting within `days` of the build date, or under way on it.
pub(super) fn within_days(
    sessions: &[PublicSession],
    today: crate::model::date::Date,
    days: i32,
) -> Vec<&PublicSession> {
    let last = today.plus_days(days);
    sessions
        .iter()
        .filter(|s| s.end >= today && s.start <= last)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::date::Date;

    fn session(start: &str, end: &str) -> PublicSession {
        PublicSession {
            committee: crate::model::ids::CommitteeCode::parse("CAT").unwrap(),
            session: "82".into(),
            start: Date::parse(start).unwrap(),
            end: Date::parse(end).unwrap(),
            place: None,
            reviews: Vec::new(),
            visits: Vec::new(),
        }
    }

    #[test]
    fn the_next_sixty_days_include_sessions_under_way_and_the_sixtieth_day() {
        let today = Date::parse("2026-03-01").unwrap();
        let all = [
            session("2026-02-20", "2026-03-05"), // under way
            session("2026-04-30", "2026-05-20"), // starts on day 60
            session("2026-05-01", "2026-05-20"), // day 61
            session("2026-02-01", "2026-02-28"), // over
        ];
        let shown: Vec<&str> = within_days(&all, today, 60)
            .iter()
            .map(|s| s.start.to_string())
            .map(|s| {
                if s == "2026-02-20" {
                    "under way"
                } else if s == "2026-04-30" {
                    "day 60"
                } else {
                    "other"
                }
            })
            .collect();
        assert_eq!(shown, ["under way", "day 60"]);
    }

    #[test]
    fn session_names_become_fragment_ids() {
        assert_eq!(slug("82nd session"), "82nd-session");
        assert_eq!(slug(" SPT 56 "), "spt-56");
    }
}
