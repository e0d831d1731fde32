//! Thousands of seeded mutations of the sample records, each checked as `check` checks it:
//! every one must end in an orderly answer (accepted, or rejected with problems), never a panic
//! or an abort. The seed and count can be changed to explore further:
//! `MUTATION_SEED=7 MUTATIONS=100000 cargo test --release --test mutations -- --nocapture`,
//! or `MUTATION_SECONDS=600` to run for a while (see README, "Fuzzing").

use std::time::{Duration, Instant};

use reprisals_site::fuzz::{Corpus, Depth, Outcome, Rng, mutate};

fn env_number(name: &str) -> Option<u64> {
    std::env::var(name).ok().and_then(|v| v.parse().ok())
}

#[test]
fn seeded_mutations_of_the_sample_records_never_panic() {
    let corpus = Corpus::load(&crate::common::repo_root()).expect("the sample site reads");
    let seed = env_number("MUTATION_SEED").unwrap_or(0x05EE_D14B);
    // An unoptimised test build checks about two inputs a second on a busy 2-core machine; the
    // optimised one (`--release`) many times more.
    let default_count = if cfg!(debug_assertions) { 200 } else { 2000 };
    let count = env_number("MUTATIONS").unwrap_or(default_count);
    let render_every = env_number("RENDER_EVERY").unwrap_or(40).max(1);
    let until = env_number("MUTATION_SECONDS").map(|s| Instant::now() + Duration::from_secs(s));
    let mut rng = Rng::new(seed);
    let (mut accepted, mut rejected, mut panics) = (0u64, 0u64, Vec::new());
    let started = Instant::now();
    let mut n = 0u64;
    loop {
        match until {
            Some(deadline) if Instant::now() >= deadline => break,
            None if n >= count => break,
            _ => {}
        }
        // site.toml one time in ten, otherwise a case.
        let index = if rng.below(10) == 0 {
            0
        } else {
            1 + rng.below(corpus.len() - 1)
        };
        let text = mutate(corpus.text(index), &mut rng);
        // Every input is checked; one in `RENDER_EVERY` is also rendered if it passes.
        let depth = if n % render_every == 0 {
            Depth::Render
        } else {
            Depth::Check
        };
        match corpus.check_with(index, &text, depth) {
            Outcome::Accepted => accepted += 1,
            Outcome::Rejected(_) => rejected += 1,
            Outcome::Panicked(message) => {
                if panics.len() < 5 {
                    let path = std::env::temp_dir().join(format!("mutation-panic-{n}.toml"));
                    let _ = std::fs::write(&path, &text);
                    eprintln!(
                        "input {n} (file {index}) panicked: {message}; saved to {}",
                        path.display()
                    );
                }
                panics.push(n);
            }
        }
        n += 1;
    }
    eprintln!(
        "{n} mutated inputs (seed {seed:#x}) in {:.1} s: {accepted} accepted, {rejected} rejected, {} panicked",
        started.elapsed().as_secs_f64(),
        panics.len()
    );
    assert!(
        panics.is_empty(),
        "{} inputs panicked: {panics:?}",
        panics.len()
    );
    // A mutator that only ever produced broken files would test the error paths alone.
    assert!(
        accepted > 0 && rejected > 0,
        "{accepted} accepted, {rejected} rejected"
    );
}

#[test]
fn the_causes_found_so_far_are_orderly_errors() {
    let corpus = Corpus::load(&crate::common::repo_root()).expect("the sample site reads");
    let case = corpus.text(1).to_owned();
    let replace_line = |prefix: &str, line: &str| -> String {
        case.lines()
            .map(|l| if l.starts_with(prefix) { line } else { l })
            .collect::<Vec<_>>()
            .join("\n")
    };
    let deep = |marker: &str, n: usize| {
        case.replacen(
            "*Fictional sample case.*",
            &format!("{}deep", marker.repeat(n)),
            1,
        )
    };
    for (what, text) in [
        (
            "a date written as {}",
            replace_line("date_reported", "date_reported = {}"),
        ),
        (
            "a date in year 9999",
            replace_line("date_reported", "date_reported = 9999-12-31"),
        ),
        ("2,000 nested block quotes", deep(">", 2000)),
        ("3,000 nested lists", deep("- ", 3000)),
    ] {
        assert!(case.contains("*Fictional sample case.*"), "sample changed");
        let outcome = corpus.check_with(1, &text, Depth::Render);
        assert!(
            !matches!(outcome, Outcome::Panicked(_)),
            "{what}: {outcome:?}"
        );
    }
    let nested = corpus.check_with(1, &deep(">", 2000), Depth::Check);
    assert!(
        matches!(nested, Outcome::Rejected(_)),
        "deep nesting is an error: {nested:?}"
    );
    let site = corpus.text(0).to_owned();
    let no_languages: String = site
        .lines()
        .map(|l| {
            if l.starts_with("languages") {
                "languages = []"
            } else {
                l
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    assert!(matches!(
        corpus.check_with(0, &no_languages, Depth::Render),
        Outcome::Rejected(_)
    ));
}
