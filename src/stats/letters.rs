//! Whether the State answered the committees' letters by the deadline they set, as far as the
//! published correspondence shows.

use serde::Serialize;

use crate::model::case::LetterKind;
use crate::model::date::Date;
use crate::public::{PublicCase, PublicLetter};

/// What became of one published letter asking the State to reply by a deadline.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum Outcome {
    /// A published reply is dated on or before the deadline.
    RepliedInTime,
    /// The first published reply after the letter came after the deadline.
    RepliedLate,
    /// A reply was received (the case does not say "no reply by") but is not published, so
    /// its date is not public.
    ReplyNotPublished,
    /// The deadline passed with no reply.
    NoReply,
    /// The deadline has not passed on the build date.
    Pending,
}

impl Outcome {
    pub(crate) const ALL: [Outcome; 5] = [
        Outcome::RepliedInTime,
        Outcome::RepliedLate,
        Outcome::ReplyNotPublished,
        Outcome::NoReply,
        Outcome::Pending,
    ];

    pub(crate) fn id(self) -> &'static str {
        match self {
            Outcome::RepliedInTime => "replied_in_time",
            Outcome::RepliedLate => "replied_late",
            Outcome::ReplyNotPublished => "reply_not_published",
            Outcome::NoReply => "no_reply",
            Outcome::Pending => "pending",
        }
    }
}

/// Letters that ask the State for an answer: the ones a deadline applies to.
pub(crate) fn asks_state(letter: &PublicLetter) -> bool {
    matches!(
        letter.kind,
        LetterKind::LetterToState | LetterKind::Reminder | LetterKind::FollowUp
    ) && letter.deadline.is_some()
}

/// The outcome of `letter` (which must ask the State and have a deadline) in `case`.
pub(crate) fn outcome(
    case: &PublicCase,
    letter: &PublicLetter,
    build_date: Date,
) -> Option<Outcome> {
    let deadline = letter.deadline.filter(|_| asks_state(letter))?;
    if letter.no_reply_by.is_some() {
        return Some(Outcome::NoReply);
    }
    let first_reply = case
        .correspondence
        .iter()
        .filter(|l| l.kind == LetterKind::StateReply && l.date >= letter.date)
        .map(|l| l.date)
        .min();
    Some(match first_reply {
        Some(day) if day <= deadline => Outcome::RepliedInTime,
        Some(_) => Outcome::RepliedLate,
        None if build_date <= deadline => Outcome::Pending,
        None => Outcome::ReplyNotPublished,
    })
}

/// How many published letters ended each way, in `Outcome::ALL` order.
pub(crate) fn outcomes<'a>(
    cases: impl Iterator<Item = &'a PublicCase>,
    build_date: Date,
) -> Vec<(Outcome, usize)> {
    let mut counts = [0usize; 5];
    for case in cases {
        for letter in &case.correspondence {
            if let Some(o) = outcome(case, letter, build_date) {
                counts[Outcome::ALL.iter().position(|x| *x == o).unwrap_or(4)] += 1;
            }
        }
    }
    Outcome::ALL.into_iter().zip(counts).collect()
}

/// Letters answered in time, and letters whose deadline has passed and whose outcome is known.
pub(crate) fn answered_in_time(outcomes: &[(Outcome, usize)]) -> (usize, usize) {
    let count = |o: Outcome| {
        outcomes
            .iter()
            .find(|(x, _)| *x == o)
            .map_or(0, |(_, n)| *n)
    };
    let in_time = count(Outcome::RepliedInTime);
    (
        in_time,
        in_time + count(Outcome::RepliedLate) + count(Outcome::NoReply),
    )
}
