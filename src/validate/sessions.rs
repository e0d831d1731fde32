//! Checks of `public-data/sessions/*.toml`: the committee and States exist, dates are in order,
//! and no session is described twice.

use std::collections::HashMap;
use std::sync::Arc;

use crate::diagnostics::{Problem, Problems, SourceFile};
use crate::load::Inputs;
use crate::model::ids::CountryCode;

use super::{Known, check_committee_ref, unknown};

pub(super) fn check(inputs: &Inputs, known: &Known, problems: &mut Problems) {
    let mut seen: HashMap<(String, String), &Arc<SourceFile>> = HashMap::new();
    for record in &inputs.sessions {
        let (file, s) = (&record.file, &record.value);
        check_committee_ref(&s.committee, file, known, problems);
        let name = s.session.get_ref().trim();
        if name.is_empty() {
            problems.push(
                Problem::error("`session` is empty")
                    .at(file, s.session.span())
                    .help("name the session as the committee does, for example session = \"82\""),
            );
        }
        let key = (s.committee.get_ref().to_string(), name.to_owned());
        if let Some(first) = seen.insert(key, file) {
            problems.push(
                Problem::error(format!(
                    "session {name} of {} is already described in {}",
                    s.committee.get_ref(),
                    first.name
                ))
                .at(file, s.session.span())
                .help("keep one file per session"),
            );
        }
        if s.end.get_ref() < s.start.get_ref() {
            problems.push(
                Problem::error(format!(
                    "the session ends ({}) before it starts ({})",
                    s.end.get_ref(),
                    s.start.get_ref()
                ))
                .at(file, s.end.span())
                .label("end is earlier than start"),
            );
        }
        let mut reviewed = Vec::new();
        for country in &s.reviews {
            check_country(country, file, known, problems);
            if reviewed.contains(&country.get_ref()) {
                problems.push(
                    Problem::error(format!("{} is listed twice", country.get_ref()))
                        .at(file, country.span()),
                );
            }
            reviewed.push(country.get_ref());
        }
        for visit in &s.visits {
            let v = visit.get_ref();
            check_country(&v.country, file, known, problems);
            if let (Some(start), Some(end)) = (v.start, v.end) {
                if end < start {
                    problems.push(
                        Problem::error(format!(
                            "the visit ends ({end}) before it starts ({start})"
                        ))
                        .at(file, visit.span()),
                    );
                }
            }
        }
    }
}

fn check_country(
    country: &toml::Spanned<CountryCode>,
    file: &Arc<SourceFile>,
    known: &Known,
    problems: &mut Problems,
) {
    let given = country.get_ref().as_str();
    if !known.countries.contains(given) {
        problems.push(unknown(
            "country",
            given,
            known.countries.iter().copied(),
            file,
            country.span(),
            "public-data/vocab/countries.toml",
        ));
    }
}
