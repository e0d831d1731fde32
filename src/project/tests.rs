//! Each gate of the projection switched on and off, and every class of withheld value listed.

use std::path::PathBuf;

use crate::diagnostics::SourceFile;
use crate::load::Inputs;
use crate::model::Record;
use crate::model::case::Case;
use crate::model::date::Date;
use crate::model::focal_point::FocalPoint;
use crate::model::localized::Localized;
use crate::model::vocab::Vocab;

use super::*;
use crate::model::vocab::VocabKind;
use crate::project::gates::Hidden;

fn d(s: &str) -> Date {
    Date::parse(s).unwrap()
}

/// A case file put together from its parts; `open()` passes every gate.
#[derive(Clone)]
struct CaseToml {
    id: &'static str,
    publish: Option<bool>,
    top: String,
    consent: Option<String>,
    review: Option<String>,
    victim: String,
    tail: String,
}

impl CaseToml {
    fn open() -> Self {
        CaseToml {
            id: "2024-001",
            publish: Some(true),
            top: String::new(),
            consent: Some("given = true\nscopes = []".into()),
            review: Some("approved = 2024-03-20".into()),
            victim: String::new(),
            tail: String::new(),
        }
    }
    fn id(mut self, id: &'static str) -> Self {
        self.id = id;
        self
    }
    fn publish(mut self, publish: Option<bool>) -> Self {
        self.publish = publish;
        self
    }
    /// Top-level keys.
    fn top(mut self, lines: &str) -> Self {
        self.top = format!("{}\n{lines}", self.top);
        self
    }
    fn consent(mut self, table: Option<&str>) -> Self {
        self.consent = table.map(str::to_owned);
        self
    }
    fn review(mut self, table: Option<&str>) -> Self {
        self.review = table.map(str::to_owned);
        self
    }
    fn victim(mut self, lines: &str) -> Self {
        self.victim = format!("{}\n{lines}", self.victim);
        self
    }
    /// Arrays of tables and other tables after `[victim]`.
    fn tail(mut self, text: &str) -> Self {
        self.tail = format!("{}\n{text}", self.tail);
        self
    }
    fn case(&self) -> Case {
        let publish = self
            .publish
            .map(|p| format!("publish = {p}"))
            .unwrap_or_default();
        let consent = self
            .consent
            .as_ref()
            .map(|c| format!("[consent]\n{c}"))
            .unwrap_or_default();
        let review = self
            .review
            .as_ref()
            .map(|r| format!("[review]\n{r}"))
            .unwrap_or_default();
        let text = format!(
            "id = \"{id}\"\n{publish}\ntitle = \"Title of {id}\"\nsummary = \"Summary of {id}.\"\n\
             committees = [\"CAT\"]\ncountry = \"MEX\"\ndate_reported = 2024-03-12\n\
             reprisal_types = [\"threats\"]\nstatus = \"action_taken\"\n{top}\n{consent}\n{review}\n\
             [victim]\nkind = \"individual\"\n{victim}\n{tail}\n",
            id = self.id,
            top = self.top,
            victim = self.victim,
            tail = self.tail,
        );
        toml::from_str(&text).unwrap_or_else(|e| panic!("{e}\n{text}"))
    }
}

fn inputs(cases: Vec<Case>, focal_points: &[&str]) -> Inputs {
    let config = toml::from_str(
        "title = \"T\"\nbase_url = \"https://t.example/\"\nlanguages = [\"en\", \"fr\"]\n",
    )
    .unwrap();
    fn record<T>(name: String, value: T) -> Record<T> {
        Record {
            file: SourceFile::new(name, ""),
            value,
        }
    }
    Inputs {
        root: PathBuf::from("."),
        config: record("site.toml".into(), config),
        committees: Vec::new(),
        focal_points: focal_points
            .iter()
            .enumerate()
            .map(|(i, text)| {
                let fp: FocalPoint = toml::from_str(text).unwrap();
                record(format!("focal-points/fp{i}.toml"), fp)
            })
            .collect(),
        cases: cases
            .into_iter()
            .map(|c| record(format!("cases/{}.toml", c.id.get_ref()), c))
            .collect(),
        referrals: None,
        sessions: Vec::new(),
        vocab: Vocab::default(),
        vocab_files: Vec::new(),
        content: Vec::new(),
        files: Vec::new(),
    }
}

const BUILD_DATE: &str = "2024-06-15";

/// A projection made without `serve`'s memo has one owner: the site.
fn only_owner(case: std::sync::Arc<PublicCase>) -> PublicCase {
    std::sync::Arc::try_unwrap(case).unwrap_or_else(|_| panic!("the site alone holds a case"))
}

fn published(toml: CaseToml) -> PublicCase {
    let mut p = project(
        &inputs(vec![toml.case()], &[]),
        d(BUILD_DATE),
        &Quarantine::default(),
    );
    assert_eq!(p.site.cases.len(), 1, "the case should be published");
    only_owner(p.site.cases.remove(0))
}

/// Every withheld value, as `file: field = text`.
fn withheld(cases: &[CaseToml], focal_points: &[&str], build_date: &str) -> Vec<String> {
    let cases = cases.iter().map(CaseToml::case).collect();
    withheld::collect_for(
        &inputs(cases, focal_points),
        d(build_date),
        &Quarantine::default(),
        super::gates::Audience::Public,
        None,
    )
    .into_iter()
    .map(|w| format!("{} = {}", w.field, w.text))
    .collect()
}

#[test]
fn publish_consent_and_withdrawal_decide_whether_a_case_exists() {
    let open = CaseToml::open();
    assert!(gates::case_published(&open.case(), d(BUILD_DATE)));
    for closed in [
        open.clone().publish(Some(false)),
        open.clone().publish(None),
        open.clone()
            .consent(Some("given = false\nscopes = [\"name\"]")),
        open.clone().consent(None),
        open.clone()
            .consent(Some("given = true\nscopes = []\nwithdrawn = 2024-05-01")),
        // A withdrawal dated after the build date counts all the same: it is already known.
        open.clone()
            .consent(Some("given = true\nscopes = []\nwithdrawn = 2099-01-01")),
    ] {
        assert!(
            !gates::case_published(&closed.case(), d(BUILD_DATE)),
            "{}",
            closed.tail
        );
    }
}

#[test]
fn a_closed_case_is_nowhere_not_in_counts_nor_as_related() {
    let woman = |id| {
        CaseToml::open()
            .id(id)
            .top("related = [\"2024-004\", \"2024-005\"]")
            .victim("gender = \"woman\"")
    };
    let withdrawn = CaseToml::open()
        .id("2024-004")
        .consent(Some(
            "given = true\nscopes = [\"gender\"]\nwithdrawn = 2024-05-01",
        ))
        .victim("gender = \"man\"");
    let unpublished = CaseToml::open()
        .id("2024-005")
        .publish(Some(false))
        .victim("gender = \"man\"");
    let cases = [
        woman("2024-001"),
        woman("2024-002"),
        woman("2024-003"),
        withdrawn,
        unpublished,
    ];
    let mut all = inputs(cases.iter().map(CaseToml::case).collect(), &[]);
    all.vocab = toml_vocab();
    let p = project(&all, d(BUILD_DATE), &Quarantine::default());
    let ids: Vec<&str> = p.site.cases.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(ids, ["2024-003", "2024-002", "2024-001"]);
    assert!(p.site.cases.iter().all(|c| c.related.is_empty()));
    // Approved on 2024-03-20: in the period 1 May 2023 – 30 April 2024, closed by the build date.
    assert_eq!(p.site.aggregates.periods.len(), 1);
    let counts: Vec<Count> = p.site.aggregates.periods[0]
        .gender
        .iter()
        .map(|c| c.count)
        .collect();
    assert_eq!(
        counts,
        // woman, man, and "not recorded".
        [Count::Shown(3), Count::Shown(0), Count::Shown(0)],
        "closed cases are counted"
    );
}

fn toml_vocab() -> Vocab {
    let list: crate::model::vocab::TermList = toml::from_str(
        "[[term]]\nid = \"woman\"\nlabel = \"woman\"\n[[term]]\nid = \"man\"\nlabel = \"man\"\n",
    )
    .unwrap();
    let mut vocab = Vocab::default();
    vocab
        .lists
        .insert(crate::model::vocab::VocabKind::Genders, list.term);
    vocab
}

#[test]
fn each_consent_scope_opens_only_its_own_field() {
    let with = |scopes: &str| {
        published(
            CaseToml::open()
                .top("perpetrators = [\"police\"]")
                .consent(Some(&format!("given = true\nscopes = [{scopes}]")))
                .victim("name = \"Victim Name\"\ngender = \"woman\"\nage_group = \"30_49\""),
        )
    };
    let shown = |c: &PublicCase| {
        [
            c.victim.name.is_some(),
            c.victim.gender.is_some(),
            c.victim.age_group.is_some(),
            !c.perpetrators.is_empty(),
        ]
    };
    assert_eq!(shown(&with("")), [false, false, false, false]);
    assert_eq!(shown(&with("\"name\"")), [true, false, false, false]);
    assert_eq!(shown(&with("\"gender\"")), [false, true, false, false]);
    assert_eq!(shown(&with("\"age_group\"")), [false, false, true, false]);
    assert_eq!(
        shown(&with("\"perpetrators\"")),
        [false, false, false, true]
    );
    assert_eq!(
        shown(&with(
            "\"name\", \"gender\", \"age_group\", \"perpetrators\""
        )),
        [true, true, true, true]
    );
}

#[test]
fn non_public_actions_are_counted_not_described() {
    let case = published(CaseToml::open().tail(
        "[[actions]]\ndate = 2024-04-01\nkind = \"letter_to_state\"\ncommittee = \"CAT\"\npublic = true\nnote = \"shown\"\n\
         [[actions]]\ndate = 2024-04-02\nkind = \"contact_with_source\"\ncommittee = \"CAT\"\nnote = \"default is not public\"\n\
         [[actions]]\ndate = 2024-04-03\nkind = \"contact_with_source\"\ncommittee = \"CAT\"\npublic = false\nreference = \"REF-1\"",
    ));
    assert_eq!(case.actions.len(), 1);
    assert_eq!(case.actions[0].note, Some(Localized::Plain("shown".into())));
    assert_eq!(case.undisclosed_actions, 2);
    // Only public events move the "updated" date.
    assert_eq!(case.updated, d("2024-04-01"));
}

/// One letter, and what the site shows of it on each build date.
fn letter(fields: &str, build_date: &str) -> Option<PublicLetter> {
    let toml = CaseToml::open().tail(&format!(
        "[[correspondence]]\nkind = \"letter_to_state\"\ndate = 2024-03-01\nsummary = \"S\"\nfile = \"files/l.txt\"\n{fields}"
    ));
    let mut p = project(
        &inputs(vec![toml.case()], &[]),
        d(build_date),
        &Quarantine::default(),
    );
    only_owner(p.site.cases.remove(0)).correspondence.pop()
}

#[test]
fn embargo_ends_on_publish_after_or_the_deadline_and_never_without_either() {
    let deadline = "deadline = 2024-06-15";
    assert!(letter(deadline, "2024-06-14").is_none(), "the day before");
    assert!(letter(deadline, "2024-06-15").is_some(), "on the day");
    assert!(letter(deadline, "2024-06-16").is_some(), "the day after");

    let both = "deadline = 2024-06-15\npublish_after = 2024-07-01";
    assert!(
        letter(both, "2024-06-30").is_none(),
        "publish_after wins over deadline"
    );
    assert!(letter(both, "2024-07-01").is_some());
    let early = "deadline = 2024-06-15\npublish_after = 2024-04-01";
    assert!(
        letter(early, "2024-04-01").is_some(),
        "even before the deadline"
    );

    assert!(letter("", "2099-01-01").is_none(), "neither date: never");
    let withheld = "deadline = 2024-06-15\nmode = \"withheld\"";
    assert!(
        letter(withheld, "2099-01-01").is_none(),
        "mode withheld: never"
    );
}

#[test]
fn a_letter_file_is_published_only_in_full_mode() {
    let released = "deadline = 2024-04-01";
    let summary = letter(released, BUILD_DATE).unwrap();
    assert_eq!(summary.file, None);
    assert_eq!(summary.summary, Some(Localized::Plain("S".into())));
    let full = letter(&format!("{released}\nmode = \"full\""), BUILD_DATE).unwrap();
    assert_eq!(full.file.as_deref(), Some("files/l.txt"));
    let p = project(
        &inputs(
            vec![
                CaseToml::open()
                    .tail("[[correspondence]]\nkind = \"letter_to_state\"\ndate = 2024-03-01\ndeadline = 2024-04-01\nmode = \"full\"\nfile = \"files/l.txt\"")
                    .case(),
            ],
            &[],
        ),
        d(BUILD_DATE),
        &Quarantine::default(),
    );
    assert_eq!(p.site.files, vec!["files/l.txt".to_owned()]);
    let embargoed = project(
        &inputs(
            vec![
                CaseToml::open()
                    .tail("[[correspondence]]\nkind = \"letter_to_state\"\ndate = 2024-03-01\ndeadline = 2024-09-01\nmode = \"full\"\nfile = \"files/l.txt\"")
                    .case(),
            ],
            &[],
        ),
        d(BUILD_DATE),
        &Quarantine::default(),
    );
    assert!(
        embargoed.site.files.is_empty(),
        "an embargoed letter's file was copied"
    );
}

#[test]
fn no_reply_is_said_only_after_the_deadline_and_only_without_a_later_reply() {
    let no_reply = |build_date: &str, reply: &str| {
        let toml = CaseToml::open().tail(&format!(
            "[[correspondence]]\nkind = \"letter_to_state\"\ndate = 2024-03-01\ndeadline = 2024-06-15\n{reply}"
        ));
        let mut p = project(
            &inputs(vec![toml.case()], &[]),
            d(build_date),
            &Quarantine::default(),
        );
        let letters = only_owner(p.site.cases.remove(0)).correspondence;
        letters
            .iter()
            .find(|l| l.kind == LetterKind::LetterToState)
            .unwrap()
            .no_reply_by
    };
    assert_eq!(no_reply("2024-06-15", ""), None, "on the deadline: not yet");
    assert_eq!(no_reply("2024-06-16", ""), Some(d("2024-06-15")));
    let reply =
        "[[correspondence]]\nkind = \"state_reply\"\ndate = 2024-06-20\npublish_after = 2024-06-20";
    assert_eq!(no_reply("2024-06-30", reply), None, "a reply came");
    let old_reply = "[[correspondence]]\nkind = \"state_reply\"\ndate = 2024-02-01";
    assert_eq!(
        no_reply("2024-06-30", old_reply),
        Some(d("2024-06-15")),
        "a reply before the letter does not answer it"
    );
}

#[test]
fn every_class_of_withheld_value_is_listed() {
    let public = CaseToml::open()
        .consent(Some("given = true\nscopes = [\"gender\"]"))
        .victim("name = \"Unconsented Victim Name\"")
        .tail(
            "[[actions]]\ndate = 2024-04-01\nkind = \"k\"\ncommittee = \"CAT\"\npublic = true\nnote = \"Public action note\"\nreference = \"PUBLIC-REF-1\"\n\
             [[actions]]\ndate = 2024-04-02\nkind = \"k\"\ncommittee = \"CAT\"\nnote = { en = \"Hidden action note\", fr = \"Note cachée\" }\nreference = \"HIDDEN-REF-2\"\n\
             [[actions]]\ndate = 2024-04-03\nkind = \"k\"\ncommittee = \"CAT\"\nreference = \"LETTER-SYMBOL-1\"\n\
             [[correspondence]]\nkind = \"letter_to_state\"\ndate = 2024-03-01\ndeadline = 2024-06-15\nsymbol = \"LETTER-SYMBOL-1\"\nsummary = \"Released summary\"\n\
             [[correspondence]]\nkind = \"letter_to_state\"\ndate = 2024-03-01\ndeadline = 2024-06-16\nsummary = \"Embargoed summary\"\n\
             [[correspondence]]\nkind = \"reminder\"\ndate = 2024-03-01\nsummary = \"Undated summary\"\n\
             [[correspondence]]\nkind = \"follow_up\"\ndate = 2024-03-01\ndeadline = 2024-04-01\nmode = \"withheld\"\nsummary = \"Withheld summary\"\n\
             [private]\nnote = \"Private note\"\nnumber = 7\n[private.contact]\nphone = \"Nested phone\"\nhistory = [\"First\", { who = \"Inline table\" }]\n\
             [[private.events]]\ntext = \"Array of tables\"",
        );
    let unpublished = CaseToml::open()
        .id("2024-002")
        .publish(Some(false))
        .consent(Some("given = true\nscopes = [\"name\"]"))
        .victim("name = \"Name on an unpublished case\"")
        .tail(
            "[[actions]]\ndate = 2024-04-01\nkind = \"k\"\ncommittee = \"CAT\"\npublic = true\nnote = \"Public note of an unpublished case\"\n\
             [[correspondence]]\nkind = \"letter_to_state\"\ndate = 2024-03-01\ndeadline = 2024-04-01\nsummary = \"Released letter of an unpublished case\"",
        );
    let withdrawn = CaseToml::open()
        .id("2024-003")
        .consent(Some("given = true\nscopes = []\nwithdrawn = 2024-05-01"));
    let focal_point = "committee = \"CAT\"\nname = \"Public Name\"\nrole = \"rapporteur\"\nterm = { start = 2024-01-01 }\n[private]\nhome = \"Focal point private address\"";
    let list = withheld(
        &[public, unpublished, withdrawn],
        &[focal_point],
        BUILD_DATE,
    );
    let expected = [
        "cases/2024-001.toml: private.note = Private note",
        "cases/2024-001.toml: private.number = 7",
        "cases/2024-001.toml: private.contact.phone = Nested phone",
        "cases/2024-001.toml: private.contact.history[0] = First",
        "cases/2024-001.toml: private.contact.history[1].who = Inline table",
        "cases/2024-001.toml: private.events[0].text = Array of tables",
        "cases/2024-001.toml: victim.name (no consent) = Unconsented Victim Name",
        "cases/2024-001.toml: actions[1].note (not public) = Hidden action note",
        "cases/2024-001.toml: actions[1].note (not public) = Note cachée",
        "cases/2024-001.toml: actions[1].reference (not public) = HIDDEN-REF-2",
        "cases/2024-001.toml: correspondence[1].summary (embargoed or withheld) = Embargoed summary",
        "cases/2024-001.toml: correspondence[2].summary (embargoed or withheld) = Undated summary",
        "cases/2024-001.toml: correspondence[3].summary (embargoed or withheld) = Withheld summary",
        "cases/2024-002.toml: title (case not published) = Title of 2024-002",
        "cases/2024-002.toml: summary (case not published) = Summary of 2024-002.",
        "cases/2024-002.toml: victim.name (no consent) = Name on an unpublished case",
        "cases/2024-002.toml: actions[0].note (not public) = Public note of an unpublished case",
        "cases/2024-002.toml: correspondence[0].summary (embargoed or withheld) = Released letter of an unpublished case",
        "cases/2024-003.toml: title (case not published) = Title of 2024-003",
        "cases/2024-003.toml: summary (case not published) = Summary of 2024-003.",
        "focal-points/fp0.toml: private.home = Focal point private address",
    ];
    let mut missing: Vec<&str> = expected
        .iter()
        .copied()
        .filter(|e| !list.iter().any(|l| l == e))
        .collect();
    missing.sort();
    assert!(
        missing.is_empty(),
        "not listed: {missing:#?}\nlisted: {list:#?}"
    );
    // What the site publishes is not listed, or every build would fail.
    for public in [
        "Public action note",
        "PUBLIC-REF-1",
        "LETTER-SYMBOL-1",
        "Released summary",
        "Title of 2024-001",
    ] {
        assert!(
            !list.iter().any(|l| l.ends_with(&format!("= {public}"))),
            "{public} is published yet listed as withheld"
        );
    }
    assert_eq!(list.len(), expected.len(), "{list:#?}");
}

/// The review gate's messages for one case, with statuses and profiles from `vocab` (TOML
/// `[[term]]` lists by kind).
fn review_messages(toml: CaseToml, policy: &[(VocabKind, &str)]) -> Vec<String> {
    let mut all = inputs(vec![toml.case()], &[]);
    for (kind, text) in policy {
        let list: crate::model::vocab::TermList = toml::from_str(text).unwrap();
        all.vocab.lists.insert(*kind, list.term);
    }
    gates::review_problems(&all, d(BUILD_DATE), None)
        .into_iter()
        .map(|p| p.message)
        .collect()
}

#[test]
fn publishing_needs_an_approval_after_consent() {
    let dated = "given = true\ndate = 2024-03-15\nscopes = []";
    let approved = |day: &str| CaseToml::open().consent(Some(dated)).review(Some(day));
    assert!(review_messages(approved("approved = 2024-03-20"), &[]).is_empty());
    assert_eq!(
        review_messages(CaseToml::open().consent(Some(dated)).review(None), &[]),
        ["`publish = true` needs `review.approved`"]
    );
    assert_eq!(
        review_messages(approved("assessed = 2024-03-14"), &[]),
        ["`publish = true` needs `review.approved`"]
    );
    assert_eq!(
        review_messages(approved("approved = 2024-03-10"), &[]),
        ["review.approved 2024-03-10 is before consent.date 2024-03-15"]
    );
    assert_eq!(
        review_messages(CaseToml::open(), &[]),
        ["publication is approved but `consent.date` is missing"]
    );
    // Hiding is never blocked by the gate: an unpublished or withdrawn case needs no review.
    for hidden in [
        CaseToml::open().review(None).publish(Some(false)),
        CaseToml::open()
            .review(None)
            .consent(Some("given = true\nwithdrawn = 2024-05-01")),
        CaseToml::open().review(None).consent(Some("given = false")),
    ] {
        assert!(review_messages(hidden, &[]).is_empty());
    }
    // Approved after the build date: not yet public, not an error.
    let later = approved("approved = 2024-07-01");
    assert!(review_messages(later.clone(), &[]).is_empty());
    assert!(!gates::case_published(&later.case(), d(BUILD_DATE)));
    assert_eq!(
        why_hidden(&later.case(), d(BUILD_DATE)),
        Some(Hidden::NotApproved)
    );
}

#[test]
fn vocabulary_policy_blocks_statuses_and_asks_for_safeguarding() {
    let dated = "given = true\ndate = 2024-03-15\nscopes = []";
    let case = || {
        CaseToml::open()
            .consent(Some(dated))
            .review(Some("approved = 2024-03-20"))
            .victim("profile = [\"child\"]\nage_group = \"under_18\"")
    };
    let statuses = "[[term]]\nid = \"action_taken\"\nlabel = \"A\"\npublishable = false\n";
    let profiles = "[[term]]\nid = \"child\"\nlabel = \"C\"\nspecial_category = true\n";
    let ages = "[[term]]\nid = \"under_18\"\nlabel = \"U\"\nspecial_category = true\n";
    assert_eq!(
        review_messages(
            case(),
            &[
                (VocabKind::Statuses, statuses),
                (VocabKind::VictimProfiles, profiles),
                (VocabKind::AgeGroups, ages),
            ]
        ),
        [
            "a case in status `action_taken` cannot be published",
            "`child`, `under_18` is a special category: publishing needs `review.safeguarding`",
        ]
    );
    let safeguarded = case().review(Some(
        "approved = 2024-03-20\nsafeguarding = \"Consulted the child's guardian.\"",
    ));
    assert!(
        review_messages(
            safeguarded.clone(),
            &[(VocabKind::VictimProfiles, profiles)]
        )
        .is_empty()
    );
    // The safeguarding note is never published: the leak scan looks for it.
    assert!(withheld(&[safeguarded], &[], BUILD_DATE).contains(
        &"cases/2024-001.toml: review.safeguarding = Consulted the child's guardian.".to_owned()
    ));
}

#[test]
fn the_build_date_decides_what_has_happened() {
    // Reported after the build date: not yet public.
    // (The case is reported on 2024-03-12.)
    assert_eq!(
        why_hidden(&CaseToml::open().case(), d("2024-03-11")),
        Some(Hidden::NotYetReported)
    );
    // An action after the build date is neither shown nor counted; a letter sent after it is
    // not shown even if its release date has passed.
    let case = published(CaseToml::open().tail(
        "[[actions]]\ndate = 2024-04-01\nkind = \"k\"\ncommittee = \"CAT\"\npublic = true\n\
         [[actions]]\ndate = 2024-07-01\nkind = \"k\"\ncommittee = \"CAT\"\npublic = true\n\
         [[actions]]\ndate = 2024-07-02\nkind = \"k\"\ncommittee = \"CAT\"\n\
         [[correspondence]]\nkind = \"letter_to_state\"\ndate = 2024-07-01\npublish_after = 2024-05-01",
    ));
    assert_eq!(case.actions.len(), 1);
    assert_eq!(case.undisclosed_actions, 0);
    assert!(case.correspondence.is_empty());
    // More than a year ahead is an error, with the field named.
    let typo =
        CaseToml::open().tail("[[actions]]\ndate = 2025-06-16\nkind = \"k\"\ncommittee = \"CAT\"");
    assert_eq!(
        review_messages(typo, &[]),
        [
            "actions.date 2025-06-16 is more than a year after the build date 2024-06-15",
            "publication is approved but `consent.date` is missing",
        ]
    );
}

#[test]
fn updated_follows_the_latest_public_event_including_a_released_letter() {
    let case = published(CaseToml::open().tail(
        "[[actions]]\ndate = 2024-04-01\nkind = \"k\"\ncommittee = \"CAT\"\npublic = true\n\
         [[correspondence]]\nkind = \"letter_to_state\"\ndate = 2024-03-20\ndeadline = 2024-05-20",
    ));
    assert_eq!(case.updated, d("2024-05-20"), "the day the letter came out");
    let embargoed = published(CaseToml::open().tail(
        "[[actions]]\ndate = 2024-04-01\nkind = \"k\"\ncommittee = \"CAT\"\npublic = true\n\
         [[correspondence]]\nkind = \"letter_to_state\"\ndate = 2024-03-20\ndeadline = 2024-07-20",
    ));
    assert_eq!(
        embargoed.updated,
        d("2024-04-01"),
        "an embargoed letter is no event"
    );
}

#[test]
fn a_quarantined_case_or_focal_point_is_withheld_everywhere() {
    let file = crate::diagnostics::SourceFile::new("cases/2024-001.toml", "");
    let mut problems = crate::diagnostics::Problems::default();
    problems.push(crate::diagnostics::Problem::error("broken").in_file(&file));
    // Names outside public-data/cases and focal-points are never quarantined.
    let (quarantine, rest) = Quarantine::split(problems.clone());
    assert!(quarantine.is_empty());
    assert_eq!(rest.error_count(), 1);
    let record = crate::diagnostics::SourceFile::new("public-data/cases/2024/2024-001.toml", "");
    let mut problems = crate::diagnostics::Problems::default();
    problems.push(crate::diagnostics::Problem::error("broken").in_file(&record));
    problems.push(crate::diagnostics::Problem::warning("note").in_file(&record));
    let (quarantine, rest) = Quarantine::split(problems);
    assert!(rest.is_empty());
    assert_eq!(quarantine.problems.len(), 2);
    assert!(quarantine.holds("public-data/cases/2024/2024-001.toml"));

    let mut all = inputs(vec![CaseToml::open().case()], &[]);
    all.cases[0].file = record.clone();
    let p = project(&all, d(BUILD_DATE), &quarantine);
    assert!(p.site.cases.is_empty());
    let withheld: Vec<String> = withheld::collect_for(
        &all,
        d(BUILD_DATE),
        &quarantine,
        super::gates::Audience::Public,
        None,
    )
    .into_iter()
    .map(|w| w.field)
    .collect();
    assert!(
        withheld.contains(
            &"public-data/cases/2024/2024-001.toml: title (case not published)".to_owned()
        ),
        "{withheld:?}"
    );
}
