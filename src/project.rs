//! Turns the loaded records into the public projection. This is the only place where privacy
//! is decided: every gate of the data model (each rule defined once, in `gates`) is applied here, and every value it keeps back is
//! listed so the leak scan can prove that none of it reached the output.

mod aggregates;
mod allegations;
pub(crate) mod beyond;
pub(crate) mod gates;
mod withheld;

use std::collections::{BTreeMap, HashSet};
use std::sync::Arc;

use crate::load::Inputs;
use crate::memo::FileMemo;
use crate::model::Record;
use crate::model::case::{Case, ConsentScope, LetterKind, LetterMode};
use crate::model::committee::Contact;
use crate::model::date::Date;
use crate::model::focal_point::TermStatus;
use crate::model::ids::CaseId;
use crate::model::vocab::VocabKind;
use crate::public::*;

pub use gates::Quarantine;
pub(crate) use gates::why_hidden;
pub(crate) use withheld::Withheld;

/// The public site, and what was kept back from it.
pub struct Projection {
    pub site: PublicSite,
    pub withheld: Vec<Withheld>,
}

#[cfg(test)]
pub(crate) fn project(inputs: &Inputs, build_date: Date, quarantine: &Quarantine) -> Projection {
    project_for(
        inputs,
        build_date,
        quarantine,
        gates::Audience::Public,
        None,
    )
}

/// What `serve` keeps of the projection from one rebuild to the next, case by case, known by
/// its file (see `FileMemo`), so that an edit projects again only the cases it changed.
#[derive(Default)]
pub(crate) struct KeptProjection {
    /// Each published case's public projection.
    cases: FileMemo<Arc<PublicCase>>,
    /// What each case withholds, and the hashes of what it publishes.
    withheld: withheld::Kept,
}

/// The projection for `audience`: drafts are shown (and marked) only in a draft preview.
/// With `kept` (`serve`), a case whose file, settings and vocabularies are those of the last
/// rebuild keeps the projection made then.
pub(crate) fn project_for(
    inputs: &Inputs,
    build_date: Date,
    quarantine: &Quarantine,
    audience: gates::Audience,
    kept: Option<&mut KeptProjection>,
) -> Projection {
    let (kept_cases, kept_withheld) = match kept {
        Some(kept) => (Some(&mut kept.cases), Some(&mut kept.withheld)),
        None => (None, None),
    };
    // The withheld values are gathered from the records alone, beside the projection.
    let (withheld, site) = rayon::join(
        || withheld::collect_for(inputs, build_date, quarantine, audience, kept_withheld),
        || public_site(inputs, build_date, quarantine, audience, kept_cases),
    );
    Projection { site, withheld }
}

fn public_site(
    inputs: &Inputs,
    build_date: Date,
    quarantine: &Quarantine,
    audience: gates::Audience,
    kept: Option<&mut FileMemo<Arc<PublicCase>>>,
) -> PublicSite {
    let config = &inputs.config.value;
    let is_public = |c: &&Record<Case>| audience.shows(c, build_date, quarantine);
    let public_ids: HashSet<&str> = inputs
        .cases
        .iter()
        .filter(is_public)
        .map(|c| c.value.id.get_ref().as_str())
        .collect();
    let vocab = public_vocab(inputs);
    let public_records: Vec<&Record<Case>> = inputs.cases.iter().filter(is_public).collect();
    // A case's projection reads its record, the build date, the settings, the vocabularies
    // and which of the cases it names as related are published: the salt holds those every
    // case reads, the last is told per case.
    let salt = kept
        .as_ref()
        .map_or(0, |_| projection_salt(inputs, build_date));
    let related_shown = |c: &Record<Case>| {
        let mut shown = xxhash_rust::xxh3::Xxh3::new();
        for related in &c.value.related {
            shown.update(&[u8::from(public_ids.contains(related.get_ref().as_str()))]);
        }
        shown.digest()
    };
    // Case by case in parallel: each reads only its own record and the shared lookups. From a
    // slice, so that rayon writes each case in its place in one vector: a filtered parallel
    // iterator gathers vectors of pieces and then copies them into one, at the moment of the
    // build's peak memory, which was about 40 MiB higher for it at 100,000 cases.
    let mut cases: Vec<Arc<PublicCase>> =
        FileMemo::check_each_of(kept, salt, &public_records, related_shown, |c| {
            let mut case = public_case(&c.value, build_date, &public_ids, &vocab, config);
            case.draft = gates::case_draft(&c.value, build_date);
            Arc::new(case)
        });
    cases.sort_by(|a, b| {
        b.date_reported
            .cmp(&a.date_reported)
            .then_with(|| b.id.cmp(&a.id))
    });

    let published: Vec<&Case> = public_records.iter().map(|c| &c.value).collect();
    let site_start =
        crate::period::PeriodStart::parse(&config.reports.period_start).unwrap_or_default();
    let aggregates = aggregates::compute(
        &published,
        &vocab,
        config.stats.min_cell,
        site_start,
        build_date,
    );
    // Statistics-only cases are counted, never shown: in a draft preview too.
    let counted: Vec<&Case> = inputs
        .cases
        .iter()
        .filter(|c| !is_public(c))
        .filter(|c| gates::record_counted_in_statistics(c, site_start, build_date, quarantine))
        .map(|c| &c.value)
        .collect();
    let committee_starts: Vec<_> = inputs
        .committees
        .iter()
        .map(|c| {
            let code = c.value.code.get_ref().clone();
            let start = config.period_start(&code);
            (code, start)
        })
        .collect();
    let allegations = allegations::compute(
        &published,
        &counted,
        &committee_starts,
        &vocab,
        config.stats.min_cell,
    );

    let (committees, focal_points) = public_committees(inputs, build_date, quarantine);
    let mut files: Vec<String> = cases
        .iter()
        .flat_map(|c| c.correspondence.iter().filter_map(|l| l.file.clone()))
        .collect();
    files.sort();
    files.dedup();

    PublicSite {
        build_date,
        languages: config.languages(),
        default_lang: config.default_language(),
        title: config.title.clone(),
        description: config.description.clone(),
        committees,
        focal_points,
        cases,
        vocab,
        aggregates,
        allegations,
        files,
        min_cell: config.stats.min_cell,
        referrals: beyond::referrals(inputs),
        sessions: beyond::sessions(inputs, build_date),
        base_url: config.base_url(),
        licence: DataLicence {
            name: config.data.licence.clone(),
            url: config.data.licence_url.clone(),
            terms: config.data.terms.clone(),
        },
        withdrawn: withdrawn_cases(inputs),
        sample: config.sample,
    }
}

/// A hash of everything besides its own record that a case's projection reads in every case
/// (see `public_site`); the review gate reads part of it (see `gates::review_problems`).
fn projection_salt(inputs: &Inputs, build_date: Date) -> u64 {
    let mut salt = xxhash_rust::xxh3::Xxh3::new();
    salt.update(build_date.to_string().as_bytes());
    salt.update(&inputs.config.file.digest().to_le_bytes());
    for file in &inputs.vocab_files {
        salt.update(&file.digest().to_le_bytes());
    }
    salt.digest()
}

/// Cases that would be published but for a withdrawn consent, oldest withdrawal first. A case
/// never meant to be published (`publish = false`) is not listed: its id was never public.
fn withdrawn_cases(inputs: &Inputs) -> Vec<crate::public::WithdrawnCase> {
    let mut out: Vec<crate::public::WithdrawnCase> = inputs
        .cases
        .iter()
        .map(|r| &r.value)
        .filter(|c| *c.publish.get_ref())
        .filter_map(|c| {
            let date = c.consent.as_ref()?.get_ref().withdrawn?;
            Some(crate::public::WithdrawnCase {
                id: c.id.get_ref().clone(),
                withdrawn: date,
            })
        })
        .collect();
    out.sort_by(|a, b| a.withdrawn.cmp(&b.withdrawn).then_with(|| a.id.cmp(&b.id)));
    out
}

fn public_vocab(inputs: &Inputs) -> PublicVocab {
    let lists: BTreeMap<VocabKind, Vec<PublicTerm>> = inputs
        .vocab
        .lists
        .iter()
        .map(|(kind, terms)| {
            let terms = terms
                .iter()
                .map(|t| PublicTerm {
                    id: t.id.get_ref().clone(),
                    label: t.label.clone(),
                    definition: t.definition.clone(),
                })
                .collect();
            (*kind, terms)
        })
        .collect();
    let countries = inputs
        .vocab
        .countries
        .iter()
        .map(|c| PublicCountry {
            code: c.code.get_ref().clone(),
            name: c.name.clone(),
            region: c.region.get_ref().clone(),
        })
        .collect();
    PublicVocab::new(lists, countries)
}

fn public_case(
    case: &Case,
    build_date: Date,
    public_ids: &HashSet<&str>,
    vocab: &PublicVocab,
    config: &crate::config::SiteConfig,
) -> PublicCase {
    let has = |scope| gates::scope_granted(case, scope);
    let region = vocab
        .country(case.country.get_ref())
        .map(|c| c.region.clone())
        .unwrap_or_else(|| crate::model::ids::TermId::parse("unknown").expect("valid id"));
    let actions: Vec<PublicAction> = case
        .actions
        .iter()
        .filter(|a| gates::action_public(a, build_date))
        .map(|a| PublicAction {
            date: a.date,
            kind: a.kind.get_ref().clone(),
            committee: a.committee.get_ref().clone(),
            reference: a.reference.clone(),
            note: a.note.as_ref().map(|n| n.get_ref().clone()),
        })
        .collect();
    let correspondence = public_letters(case, build_date);
    // The last day the case page changed: a letter counts from the day its embargo ended.
    let updated = std::iter::once(case.date_reported)
        .chain(actions.iter().map(|a| a.date))
        .chain(
            case.correspondence
                .iter()
                .filter(|l| gates::letter_released(l, build_date))
                .filter_map(gates::letter_embargo_ends),
        )
        .max()
        .unwrap_or(case.date_reported);
    let victim = &case.victim;
    PublicCase {
        draft: false,
        id: case.id.get_ref().clone(),
        title: case.title.get_ref().clone(),
        summary: case.summary.get_ref().clone(),
        committees: case
            .committees
            .get_ref()
            .iter()
            .map(|c| c.get_ref().clone())
            .collect(),
        country: case.country.get_ref().clone(),
        region,
        date_reported: case.date_reported,
        year: case.date_reported.year(),
        incident_from: case.incident.as_ref().map(|i| i.get_ref().from),
        incident_to: case.incident.as_ref().and_then(|i| i.get_ref().to),
        context: case.context.iter().map(|t| t.get_ref().clone()).collect(),
        reprisal_types: case
            .reprisal_types
            .get_ref()
            .iter()
            .map(|t| t.get_ref().clone())
            .collect(),
        status: case.status.get_ref().clone(),
        victim: PublicVictim {
            kind: victim.kind,
            count: victim.count,
            profile: victim.profile.iter().map(|t| t.get_ref().clone()).collect(),
            name: victim.name.clone().filter(|_| has(ConsentScope::Name)),
            gender: victim
                .gender
                .as_ref()
                .map(|g| g.get_ref().clone())
                .filter(|_| has(ConsentScope::Gender)),
            age_group: victim
                .age_group
                .as_ref()
                .map(|g| g.get_ref().clone())
                .filter(|_| has(ConsentScope::AgeGroup)),
        },
        perpetrators: if has(ConsentScope::Perpetrators) {
            case.perpetrators
                .iter()
                .map(|t| t.get_ref().clone())
                .collect()
        } else {
            Vec::new()
        },
        undisclosed_actions: case
            .actions
            .iter()
            .filter(|a| {
                gates::action_happened(a, build_date) && !gates::action_public(a, build_date)
            })
            .count(),
        undisclosed: case
            .actions
            .iter()
            .filter(|a| {
                gates::action_happened(a, build_date) && !gates::action_public(a, build_date)
            })
            .map(|a| {
                let committee = a.committee.get_ref();
                UndisclosedAction {
                    committee: committee.clone(),
                    period: config.period_start(committee).period_of(a.date).year,
                }
            })
            .collect(),
        actions,
        correspondence,
        sources: case
            .sources
            .iter()
            .map(|s| PublicSource {
                symbol: s.symbol.clone(),
                title: s.title.clone(),
                url: s.url.as_ref().map(|u| u.to_string()),
            })
            .collect(),
        related: case
            .related
            .iter()
            .map(|r| r.get_ref())
            .filter(|r| public_ids.contains(r.as_str()))
            .cloned()
            .collect::<Vec<CaseId>>(),
        mechanism_refs: beyond::mechanism_refs(case),
        updated,
    }
}

/// Letters whose embargo has ended, in date order, with "no reply by" where the State was silent.
fn public_letters(case: &Case, build_date: Date) -> Vec<PublicLetter> {
    let replies: Vec<Date> = case
        .correspondence
        .iter()
        .filter(|l| l.kind == LetterKind::StateReply)
        .map(|l| l.date)
        .collect();
    let mut letters: Vec<PublicLetter> = case
        .correspondence
        .iter()
        .filter(|l| gates::letter_released(l, build_date))
        .map(|l| {
            let deadline = l.deadline.as_ref().map(|d| *d.get_ref());
            let asks_state = matches!(
                l.kind,
                LetterKind::LetterToState | LetterKind::Reminder | LetterKind::FollowUp
            );
            let no_reply_by = deadline
                .filter(|d| asks_state && build_date > *d && !replies.iter().any(|r| *r >= l.date));
            PublicLetter {
                kind: l.kind,
                date: l.date,
                symbol: l.symbol.clone(),
                deadline,
                mode: l.mode,
                summary: l.summary.as_ref().map(|s| s.get_ref().clone()),
                file: l
                    .file
                    .as_ref()
                    .filter(|_| l.mode == LetterMode::Full)
                    .map(|f| f.get_ref().clone()),
                no_reply_by,
            }
        })
        .collect();
    letters.sort_by_key(|l| l.date);
    letters
}

fn public_contacts(contacts: &[Contact]) -> Vec<PublicContact> {
    let mut out: Vec<PublicContact> = contacts
        .iter()
        .map(|c| PublicContact {
            kind: c.kind,
            value: c.value.clone(),
            label: c.label.clone(),
            fingerprint: c.fingerprint.clone(),
        })
        .collect();
    // Secure channels first: the safest way to write is the one people see first.
    out.sort_by_key(|c| c.kind);
    out
}

fn public_committees(
    inputs: &Inputs,
    build_date: Date,
    quarantine: &Quarantine,
) -> (Vec<PublicCommittee>, Vec<PublicFocalPoint>) {
    let mut focal: Vec<&Record<crate::model::focal_point::FocalPoint>> = inputs
        .focal_points
        .iter()
        .filter(|r| !quarantine.holds(&r.file.name))
        .collect();
    // Most recent terms first; ties by name so the order never depends on file names.
    focal.sort_by(|a, b| {
        let (ta, tb) = (a.value.term.get_ref(), b.value.term.get_ref());
        tb.start
            .cmp(&ta.start)
            .then_with(|| a.value.role.cmp(&b.value.role))
            .then_with(|| a.value.name.cmp(&b.value.name))
    });
    let focal_points: Vec<PublicFocalPoint> = focal
        .iter()
        .map(|r| {
            let fp = &r.value;
            let term = fp.term.get_ref();
            PublicFocalPoint {
                committee: fp.committee.get_ref().clone(),
                name: fp.name.clone(),
                role: fp.role,
                scope: fp.scope.iter().map(|s| s.get_ref().clone()).collect(),
                start: term.start,
                end: term.end,
                languages: fp.languages.iter().map(|l| l.get_ref().clone()).collect(),
                contact: public_contacts(&fp.contact),
            }
        })
        .collect();
    let mut committees: Vec<PublicCommittee> = inputs
        .committees
        .iter()
        .map(|r| {
            let c = &r.value;
            let code = c.code.get_ref();
            let mut current = Vec::new();
            let mut past = Vec::new();
            let mut upcoming = Vec::new();
            for (i, (fp, record)) in focal_points.iter().zip(&focal).enumerate() {
                if &fp.committee != code {
                    continue;
                }
                match record.value.term.get_ref().status_on(build_date) {
                    TermStatus::Current => current.push(i),
                    TermStatus::Past => past.push(i),
                    TermStatus::Future => upcoming.push(i),
                }
            }
            PublicCommittee {
                code: code.clone(),
                name: c.name.clone(),
                treaty: c.treaty.clone(),
                reprisal_provisions: c
                    .reprisal_provisions
                    .iter()
                    .map(|p| PublicProvision {
                        instrument: p.instrument.clone(),
                        article: p.article.clone(),
                        text: p.text.clone(),
                    })
                    .collect(),
                policy_documents: c
                    .policy_documents
                    .iter()
                    .map(|d| PublicDocument {
                        symbol: d.symbol.clone(),
                        title: d.title.clone(),
                        year: d.year,
                        url: d.url.as_ref().map(|u| u.to_string()),
                    })
                    .collect(),
                sjg_endorsed: c.sjg_endorsed,
                web_page: c.web_page.as_ref().map(|u| u.to_string()),
                reprisals_page: c.reprisals_page.as_ref().map(|u| u.to_string()),
                contact: public_contacts(&c.contact),
                letters: c.letters.as_ref().map(|l| *l.get_ref()),
                intake: {
                    let mut channels: Vec<_> = c.intake.iter().map(|i| *i.get_ref()).collect();
                    channels.sort();
                    channels
                },
                period_start: inputs.config.value.period_start(code),
                current,
                past,
                upcoming,
            }
        })
        .collect();
    committees.sort_by(|a, b| a.code.cmp(&b.code));
    (committees, focal_points)
}

#[cfg(test)]
mod tests;
