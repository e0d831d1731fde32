//! `/where-else/`: other mechanisms and helplines, urgent danger first; and the "In danger
//! now" block that other pages carry at the top.

use serde::Serialize;
use tera::Context;

use crate::model::vocab::VocabKind;
use crate::public::PublicReferral;
use crate::site::routes::Route;

use super::PageContent;
use crate::site::views::{ContactView, Text, View};

#[derive(Serialize)]
pub(super) struct ReferralView {
    pub id: String,
    pub href: String,
    pub name: Text,
    pub handles: Text,
    pub when: Text,
    pub consent: String,
    pub regions: Vec<Text>,
    pub contact: Vec<ContactView>,
}

pub(super) fn referral(view: &View, r: &PublicReferral) -> ReferralView {
    ReferralView {
        id: format!("ref-{}", r.id),
        href: view.href(&format!("{}#ref-{}", Route::WhereElse.path(), r.id)),
        name: view.text(&r.name),
        handles: view.text(&r.handles),
        when: view.text(&r.when),
        consent: view.t(if r.needs_consent {
            "referral_needs_consent"
        } else {
            "referral_no_consent"
        }),
        regions: r
            .regions
            .iter()
            .map(|g| view.term(VocabKind::Regions, g))
            .collect(),
        contact: r.contact.iter().map(|c| view.contact(c)).collect(),
    }
}

/// The "In danger now" block: every urgent entry, and where the others are.
#[derive(Serialize)]
pub(super) struct InDanger {
    pub referrals: Vec<ReferralView>,
    pub more_href: String,
}

pub(super) fn in_danger(view: &View) -> Option<InDanger> {
    let referrals: Vec<ReferralView> = view
        .site
        .public
        .referrals
        .iter()
        .filter(|r| r.urgent)
        .map(|r| referral(view, r))
        .collect();
    (!referrals.is_empty()).then(|| InDanger {
        referrals,
        more_href: view.href(&Route::WhereElse.path()),
    })
}

#[derive(Serialize)]
struct WhereElse {
    urgent: Vec<ReferralView>,
    other: Vec<ReferralView>,
    submit_href: String,
}

pub(super) fn page(view: &View) -> PageContent {
    let (urgent, other): (Vec<&PublicReferral>, Vec<&PublicReferral>) =
        view.site.public.referrals.iter().partition(|r| r.urgent);
    let data = WhereElse {
        urgent: urgent.into_iter().map(|r| referral(view, r)).collect(),
        other: other.into_iter().map(|r| referral(view, r)).collect(),
        submit_href: view.href(
            &Route::Guidance {
                slug: super::guidance::HOW_TO_SUBMIT.to_owned(),
            }
            .path(),
        ),
    };
    PageContent {
        template: "where-else.html",
        title: view.t("where_else_title"),
        section: "where-else".into(),
        fallback: false,
        data: Context::from_serialize(&data).expect("serialisable"),
    }
}
