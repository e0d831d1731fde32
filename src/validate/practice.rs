//! Checks of a committee's practice (`[letters]`, `intake`) and of a case's `mechanism_refs`.

use std::sync::Arc;

use crate::diagnostics::{Problem, Problems, SourceFile};
use crate::model::case::Case;
use crate::model::committee::Committee;

pub(super) fn check_committee(
    committee: &Committee,
    file: &Arc<SourceFile>,
    problems: &mut Problems,
) {
    if let Some(letters) = &committee.letters {
        let l = letters.get_ref();
        if !l.published && l.after_deadline_days.is_some() {
            problems.push(
                Problem::error("`after_deadline_days` is set but `published = false`")
                    .at(file, letters.span())
                    .help("remove after_deadline_days, or set published = true"),
            );
        }
        if l.reply_deadline_days == Some(0) {
            problems.push(
                Problem::error("`reply_deadline_days` is 0")
                    .at(file, letters.span())
                    .help("give the usual number of days a State has to reply, for example 30"),
            );
        }
    }
    let mut seen = Vec::new();
    for channel in &committee.intake {
        if seen.contains(channel.get_ref()) {
            problems.push(
                Problem::error("this intake channel is listed twice").at(file, channel.span()),
            );
        }
        seen.push(*channel.get_ref());
    }
}

pub(super) fn check_mechanism_refs(case: &Case, file: &Arc<SourceFile>, problems: &mut Problems) {
    for r in &case.mechanism_refs {
        let reference = r.reference.get_ref().trim();
        if reference.is_empty() {
            problems.push(
                Problem::error("`reference` is empty")
                    .at(file, r.reference.span())
                    .help("give the communication reference or document symbol, for example A/HRC/57/60"),
            );
        }
        if r.paragraph.as_deref().is_some_and(|p| p.trim().is_empty()) {
            problems.push(
                Problem::error("`paragraph` is empty")
                    .at(file, r.reference.span())
                    .help("write the paragraph or annex entry (\"para. 45\"), or leave it out"),
            );
        }
    }
}
