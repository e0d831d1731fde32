//! The public view of what lies beyond one committee's cases: where else to turn, the
//! sessions ahead, and a case's references in other mechanisms.

use crate::load::Inputs;
use crate::model::case::Case;
use crate::model::date::Date;
use crate::public::{PublicMechanismRef, PublicReferral, PublicSession, PublicVisit};

use super::public_contacts;

/// Every referral, urgent ones first, otherwise in the order of the file.
pub(crate) fn referrals(inputs: &Inputs) -> Vec<PublicReferral> {
    let Some(record) = &inputs.referrals else {
        return Vec::new();
    };
    let mut out: Vec<PublicReferral> = record
        .value
        .referral
        .iter()
        .map(|r| PublicReferral {
            id: r.id.get_ref().clone(),
            name: r.name.get_ref().clone(),
            handles: r.handles.get_ref().clone(),
            when: r.when.get_ref().clone(),
            urgent: r.urgent,
            needs_consent: r.needs_consent,
            regions: r.regions.iter().map(|t| t.get_ref().clone()).collect(),
            contact: public_contacts(r.contact.get_ref()),
        })
        .collect();
    out.sort_by_key(|r| !r.urgent);
    out
}

/// Sessions that have not ended by the build date, soonest first.
pub(crate) fn sessions(inputs: &Inputs, build_date: Date) -> Vec<PublicSession> {
    let mut out: Vec<PublicSession> = inputs
        .sessions
        .iter()
        .map(|r| &r.value)
        .filter(|s| *s.end.get_ref() >= build_date)
        .map(|s| PublicSession {
            committee: s.committee.get_ref().clone(),
            session: s.session.get_ref().trim().to_owned(),
            start: *s.start.get_ref(),
            end: *s.end.get_ref(),
            place: s.place.clone(),
            reviews: s.reviews.iter().map(|c| c.get_ref().clone()).collect(),
            visits: s
                .visits
                .iter()
                .map(|v| v.get_ref())
                .filter(|v| super::gates::visit_public(v))
                .map(|v| PublicVisit {
                    country: v.country.get_ref().clone(),
                    start: v.start,
                    end: v.end,
                })
                .collect(),
        })
        .collect();
    out.sort_by(|a, b| {
        (a.start, &a.committee, &a.session).cmp(&(b.start, &b.committee, &b.session))
    });
    out
}

/// A published case's references in other mechanisms, in date order (undated last).
pub(crate) fn mechanism_refs(case: &Case) -> Vec<PublicMechanismRef> {
    let mut out: Vec<PublicMechanismRef> = case
        .mechanism_refs
        .iter()
        .map(|r| PublicMechanismRef {
            kind: r.kind,
            reference: r.reference.get_ref().trim().to_owned(),
            paragraph: r.paragraph.clone(),
            date: r.date,
            url: r.url.as_ref().map(|u| u.to_string()),
        })
        .collect();
    out.sort_by_key(|r| (r.date.is_none(), r.date));
    out
}
