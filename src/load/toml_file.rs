//! Parses one TOML file into a record type, turning serde's message into a helpful problem.

use std::sync::Arc;

use serde::de::DeserializeOwned;

use crate::diagnostics::{Problem, SourceFile, did_you_mean};

pub(crate) fn parse<T: DeserializeOwned>(file: &Arc<SourceFile>) -> Result<T, Problem> {
    toml::from_str::<T>(&file.text).map_err(|err| problem_from(file, &err))
}

fn problem_from(file: &Arc<SourceFile>, err: &toml::de::Error) -> Problem {
    let message = err.message().trim().to_owned();
    let span = err.span().unwrap_or(0..0);
    let mut problem = Problem::error(first_line(&message)).at(file, span);
    if let Some(help) = help_for(&message) {
        problem = problem.help(help);
    } else if message.contains("a date such as") || message.contains("TOML datetime") {
        problem = problem.help("write dates as YYYY-MM-DD, for example `date = 2024-03-12`");
    }
    problem
}

fn first_line(message: &str) -> String {
    message.lines().next().unwrap_or(message).to_owned()
}

/// For "unknown field `x`, expected one of `a`, `b`" (and variants), suggest the closest name.
fn help_for(message: &str) -> Option<String> {
    let (what, rest) = ["unknown field `", "unknown variant `"]
        .iter()
        .find_map(|prefix| {
            message
                .find(prefix)
                .map(|i| (*prefix, &message[i + prefix.len()..]))
        })?;
    let given = &rest[..rest.find('`')?];
    let expected: Vec<&str> = rest
        .split_once("expected ")
        .map(|(_, list)| list)
        .unwrap_or("")
        .trim_start_matches("one of ")
        .split(", ")
        .map(|s| s.trim().trim_matches('`'))
        .filter(|s| !s.is_empty())
        .collect();
    let noun = if what.contains("field") {
        "field"
    } else {
        "value"
    };
    let suggestion = did_you_mean(given, expected.iter().copied());
    Some(match suggestion {
        Some(best) => format!("did you mean `{best}`?"),
        None if expected.is_empty() => format!("remove the {noun} `{given}`"),
        None => format!("expected one of: {}", expected.join(", ")),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_the_closest_field() {
        let help = help_for(
            "unknown field `reprisal_type`, expected one of `id`, `reprisal_types`, `status`",
        );
        assert_eq!(help.as_deref(), Some("did you mean `reprisal_types`?"));
        let help =
            help_for("unknown variant `letter`, expected one of `summary`, `full`, `withheld`");
        assert_eq!(
            help.as_deref(),
            Some("expected one of: summary, full, withheld")
        );
    }
}
