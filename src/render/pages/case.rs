//! One case: summary, facts with links to browse pages, actions, letters, sources, related.

use serde::Serialize;
use tera::Context;

use crate::markdown::{self, Placement};
use crate::model::case::{LetterKind, LetterMode, VictimKind};
use crate::model::vocab::VocabKind;

use super::PageContent;
use crate::site::listing::Facet;
use crate::site::views::{Link, Text, View};

#[derive(Serialize)]
struct Action {
    date: String,
    date_iso: String,
    kind: Text,
    committee: String,
    reference: Option<String>,
    note: Option<Text>,
}

#[derive(Serialize)]
struct Letter {
    kind: String,
    date: String,
    date_iso: String,
    symbol: Option<String>,
    deadline: Option<String>,
    summary: Option<Text>,
    file: Option<String>,
    no_reply: Option<String>,
}

#[derive(Serialize)]
struct Source {
    symbol: String,
    title: Option<Text>,
    url: Option<String>,
}

#[derive(Serialize)]
struct MechanismRef {
    kind: String,
    reference: String,
    paragraph: Option<String>,
    date: Option<String>,
    url: Option<String>,
}

#[derive(Serialize)]
struct Victim {
    kind: String,
    count: String,
    profile: Vec<Text>,
    name: Option<String>,
    gender: Option<Text>,
    age_group: Option<Text>,
}

#[derive(Serialize)]
struct CasePage {
    /// Only in `serve --drafts`: the page carries a "Draft: not public" banner.
    draft: bool,
    id: String,
    title: Text,
    summary_html: String,
    summary_lang: String,
    summary_dir: &'static str,
    summary_fallback: bool,
    committees: Vec<Link>,
    country: Link,
    region: Link,
    year: Link,
    date_reported: String,
    date_reported_iso: String,
    incident: Option<String>,
    context: Vec<Text>,
    types: Vec<Link>,
    status: Link,
    status_definition: Option<Text>,
    victim: Victim,
    perpetrators: Vec<Text>,
    actions: Vec<Action>,
    undisclosed_actions: Option<String>,
    letters: Vec<Letter>,
    sources: Vec<Source>,
    related: Vec<Link>,
    mechanism_refs: Vec<MechanismRef>,
    updated: String,
}

pub(super) fn page(view: &View, index: usize) -> PageContent {
    let site = view.site;
    let case = &site.public.cases[index];
    let title = view.text(&case.title);
    let summary = case
        .summary
        .pick(&view.lang.code, &site.public.default_lang);
    let anchor_label = view.t("link_to_section");
    let summary_html = markdown::render_with(
        summary.text,
        &Placement {
            root: &view.root,
            heading_offset: 2,
            anchor_label: &anchor_label,
        },
        &|id| !site_has_case(view, id),
    )
    .html;
    let incident = case.incident_from.map(|from| match case.incident_to {
        Some(to) if to != from => format!("{} – {}", view.month(from), view.month(to)),
        _ => view.month(from),
    });
    let victim_kind = match case.victim.kind {
        VictimKind::Individual => "victim_individual",
        VictimKind::Group => "victim_group",
        VictimKind::Organization => "victim_organization",
        VictimKind::Relatives => "victim_relatives",
    };
    let letters = case
        .correspondence
        .iter()
        .map(|l| Letter {
            kind: view.t(match l.kind {
                LetterKind::LetterToState => "letter_to_state",
                LetterKind::StateReply => "state_reply",
                LetterKind::Reminder => "reminder",
                LetterKind::FollowUp => "follow_up_letter",
            }),
            date: view.date(l.date),
            date_iso: l.date.to_string(),
            symbol: l.symbol.clone(),
            deadline: l.deadline.map(|d| view.date(d)),
            summary: l.summary.as_ref().map(|s| view.text(s)),
            file: l
                .file
                .as_ref()
                .filter(|_| l.mode == LetterMode::Full)
                .map(|f| format!("{}{f}", view.site_root)),
            no_reply: l
                .no_reply_by
                .map(|d| view.t("no_reply_by").replace("{date}", &view.date(d))),
        })
        .collect();
    let data = CasePage {
        draft: case.draft,
        id: case.id.to_string(),
        title: title.clone(),
        summary_html,
        summary_lang: summary.lang.to_owned(),
        summary_dir: site.dir_of(summary.lang),
        summary_fallback: summary.fallback,
        committees: case
            .committees
            .iter()
            .map(|c| {
                let name = view.committee_name(c);
                view.facet_link(
                    Facet::Committee,
                    &c.slug(),
                    Text {
                        text: format!("{c} – {}", name.text),
                        ..name
                    },
                )
            })
            .collect(),
        country: view.facet_link(
            Facet::Country,
            &case.country.slug(),
            view.country(&case.country),
        ),
        region: view.facet_link(
            Facet::Region,
            case.region.as_str(),
            view.term(VocabKind::Regions, &case.region),
        ),
        year: view.facet_link(
            Facet::Year,
            &case.year.to_string(),
            view.raw(&case.year.to_string()),
        ),
        date_reported: view.date(case.date_reported),
        date_reported_iso: case.date_reported.to_string(),
        incident,
        context: case
            .context
            .iter()
            .map(|c| view.term(VocabKind::Contexts, c))
            .collect(),
        types: case
            .reprisal_types
            .iter()
            .map(|t| {
                view.facet_link(
                    Facet::Type,
                    t.as_str(),
                    view.term(VocabKind::ReprisalTypes, t),
                )
            })
            .collect(),
        status: view.facet_link(
            Facet::Status,
            case.status.as_str(),
            view.term(VocabKind::Statuses, &case.status),
        ),
        status_definition: view.term_definition(VocabKind::Statuses, &case.status),
        victim: Victim {
            kind: view.t(victim_kind),
            count: view.number(case.victim.count as usize),
            profile: case
                .victim
                .profile
                .iter()
                .map(|p| view.term(VocabKind::VictimProfiles, p))
                .collect(),
            name: case.victim.name.clone(),
            gender: case
                .victim
                .gender
                .as_ref()
                .map(|g| view.term(VocabKind::Genders, g)),
            age_group: case
                .victim
                .age_group
                .as_ref()
                .map(|a| view.term(VocabKind::AgeGroups, a)),
        },
        perpetrators: case
            .perpetrators
            .iter()
            .map(|p| view.term(VocabKind::Perpetrators, p))
            .collect(),
        actions: case
            .actions
            .iter()
            .map(|a| Action {
                date: view.date(a.date),
                date_iso: a.date.to_string(),
                kind: view.term(VocabKind::ActionKinds, &a.kind),
                committee: a.committee.to_string(),
                reference: a.reference.clone(),
                note: a.note.as_ref().map(|n| view.text(n)),
            })
            .collect(),
        undisclosed_actions: (case.undisclosed_actions > 0)
            .then(|| view.plural("undisclosed_actions", case.undisclosed_actions)),
        letters,
        sources: case
            .sources
            .iter()
            .map(|s| Source {
                symbol: s.symbol.clone(),
                title: s.title.as_ref().map(|t| view.text(t)),
                url: s.url.clone(),
            })
            .collect(),
        related: case
            .related
            .iter()
            .filter_map(|id| site.case_index.get(id))
            .map(|&i| {
                let other = &site.public.cases[i];
                Link {
                    href: view.case_href(other.id.as_str()),
                    label: view.text(&other.title),
                }
            })
            .collect(),
        mechanism_refs: case
            .mechanism_refs
            .iter()
            .map(|r| MechanismRef {
                kind: super::countries::mechanism_label(view, r.kind),
                reference: r.reference.clone(),
                paragraph: r.paragraph.clone(),
                date: r.date.map(|d| view.date(d)),
                url: r.url.clone(),
            })
            .collect(),
        updated: view.date(case.updated),
    };
    PageContent {
        template: "case.html",
        title: format!("{} ({})", title.text, case.id),
        section: "cases".into(),
        fallback: title.fallback || summary.fallback,
        data: Context::from_serialize(&data).expect("serialisable"),
    }
}

/// A link to a case that is not on the site is shown as its text only.
fn site_has_case(view: &View, id: &str) -> bool {
    view.site.case_index.contains_key(id)
}
