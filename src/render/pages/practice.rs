//! One row of the practice comparison on `/committees/`, from the committee records:
//! San José Guidelines, policy documents, letters, reply deadline, intake, focal point.

use serde::Serialize;

use crate::model::committee::Endorsement;
use crate::public::PublicCommittee;
use crate::site::routes::Route;

use crate::site::views::{Text, View};

/// The San José Guidelines themselves are not a committee's own policy.
const SJG_SYMBOL: &str = "HRI/MC/2015/6";

#[derive(Serialize)]
pub(super) struct PracticeRow {
    code: String,
    name: Text,
    href: String,
    sjg: String,
    policies: Vec<Policy>,
    letters: String,
    reply_deadline: String,
    intake: String,
    focal_point: String,
    vacant: bool,
}

#[derive(Serialize)]
struct Policy {
    symbol: String,
    url: Option<String>,
}

pub(super) fn row(view: &View, c: &PublicCommittee) -> PracticeRow {
    let not_recorded = || view.t("practice_not_recorded");
    let sjg = match c.sjg_endorsed {
        Endorsement::On(date) => view
            .t("practice_yes_on")
            .replace("{date}", &view.date(date)),
        Endorsement::Flag(true) => view.t("practice_yes"),
        Endorsement::Flag(false) => view.t("practice_no"),
        Endorsement::Unknown => not_recorded(),
    };
    let letters = match c.letters {
        None => not_recorded(),
        Some(l) if !l.published => view.t("practice_letters_not_published"),
        Some(l) => match l.after_deadline_days {
            None => view.t("practice_letters_published"),
            Some(0) => view.t("practice_letters_at_deadline"),
            Some(days) => view.plural("practice_letters_after_days", days as usize),
        },
    };
    let reply_deadline = match c.letters.and_then(|l| l.reply_deadline_days) {
        Some(days) => view.plural("practice_days", days as usize),
        None => not_recorded(),
    };
    let intake = if c.intake.is_empty() {
        not_recorded()
    } else {
        c.intake
            .iter()
            .map(|i| view.t(i.string_key()))
            .collect::<Vec<_>>()
            .join(&view.t("list_separator"))
    };
    let public = view.site.public;
    PracticeRow {
        code: c.code.to_string(),
        name: view.text(&c.name),
        href: view.href(&Route::committee(&c.code).path()),
        sjg,
        policies: c
            .policy_documents
            .iter()
            .filter(|d| d.symbol != SJG_SYMBOL)
            .map(|d| Policy {
                symbol: d.symbol.clone(),
                url: d.url.clone(),
            })
            .collect(),
        letters,
        reply_deadline,
        intake,
        focal_point: c
            .current
            .iter()
            .map(|&i| public.focal_points[i].name.clone())
            .collect::<Vec<_>>()
            .join(&view.t("list_separator")),
        vacant: c.current.is_empty(),
    }
}
