//! What the command line prints (part of the binary, declared in `main.rs`): one summary line
//! per build, problems as `Problem::render` draws them, a progress bar for long builds when a
//! person is watching, colours only on a terminal and never with NO_COLOR.

use std::collections::HashSet;
use std::io::IsTerminal;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use reprisals_site::Problems;
use reprisals_site::build::{BuildError, Progress, Summary};
use reprisals_site::incremental::Rebuilt;
use reprisals_site::serve::Report;

/// Builds with fewer pages than this finish before a bar would be worth drawing.
const BAR_FROM: usize = 400;

#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Verbosity {
    Quiet,
    Normal,
    Verbose,
}

pub(crate) struct Terminal {
    pub verbosity: Verbosity,
    pub color: bool,
    /// A person is watching stderr (and this is not CI): progress bars are welcome.
    interactive: bool,
    bar: Mutex<Option<ProgressBar>>,
    /// Warnings already shown by `serve`, so each edit shows only new ones.
    shown_warnings: Mutex<HashSet<String>>,
    /// `serve --open`: open the site in a browser once it is served.
    pub open_browser: bool,
}

impl Terminal {
    pub(crate) fn new(verbosity: Verbosity) -> Self {
        let tty = std::io::stderr().is_terminal();
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        let ci = std::env::var_os("CI").is_some_and(|v| !v.is_empty() && v != "false");
        Terminal {
            verbosity,
            color: tty && !no_color,
            interactive: tty && !ci && verbosity != Verbosity::Quiet,
            bar: Mutex::new(None),
            shown_warnings: Mutex::new(HashSet::new()),
            open_browser: false,
        }
    }

    fn paint(&self, code: &str, text: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_owned()
        }
    }

    pub(crate) fn ok_mark(&self) -> String {
        self.paint("32;1", "✓")
    }

    pub(crate) fn fail_mark(&self) -> String {
        self.paint("31;1", "✗")
    }

    /// Every warning, in full (not in quiet mode).
    pub(crate) fn warnings(&self, warnings: &Problems) {
        if self.verbosity == Verbosity::Quiet {
            return;
        }
        for problem in warnings.clone() {
            eprint!("{}", problem.render(self.color));
        }
    }

    /// Only the warnings not shown before (serve repeats a build on every edit).
    fn new_warnings(&self, warnings: &Problems) {
        if self.verbosity == Verbosity::Quiet {
            return;
        }
        let mut shown = self.shown_warnings.lock().expect("lock");
        let mut now = HashSet::new();
        for problem in warnings.clone() {
            let text = problem.render(self.color);
            if !shown.contains(&text) {
                eprint!("{text}");
            }
            now.insert(text);
        }
        *shown = now;
    }

    /// The one line a successful build leaves.
    pub(crate) fn build_summary(&self, summary: &Summary, output: &Path) {
        if self.verbosity == Verbosity::Quiet {
            return;
        }
        let site = format!(
            "{} pages for {} cases in {} languages, build date {}",
            thousands(summary.pages),
            thousands(summary.cases),
            summary.languages,
            summary
                .build_date
                .map(|d| d.to_string())
                .unwrap_or_default(),
        );
        if summary.unchanged {
            eprintln!(
                "{} nothing changed since the last build: {} holds its {site} (checked in {}; `build --full` renders it again)",
                self.ok_mark(),
                output.display(),
                seconds(summary.elapsed),
            );
            return;
        }
        eprintln!(
            "{} built {site}, into {} in {} · {} · {} files, {:.1} MB",
            self.ok_mark(),
            output.display(),
            seconds(summary.elapsed),
            self.warning_count(&summary.warnings),
            thousands(summary.files),
            summary.bytes as f64 / 1_000_000.0,
        );
        if self.verbosity == Verbosity::Verbose {
            eprintln!(
                "  the leak scan searched every file for {} withheld values",
                summary.withheld_checked
            );
        }
    }

    fn warning_count(&self, warnings: &Problems) -> String {
        match warnings.len() {
            0 => "no warnings".to_owned(),
            1 => self.paint("33", "1 warning"),
            n => self.paint("33", &format!("{n} warnings")),
        }
    }

    /// Why nothing was built, and what that means (`nothing was written`).
    pub(crate) fn failure(&self, err: &BuildError, consequence: &str) {
        eprint!("{}", err.details(self.color));
        eprintln!("{}; {consequence}", err.headline());
    }

    /// The records withheld because of their errors: each error, then one line per record.
    pub(crate) fn quarantine(&self, quarantine: &reprisals_site::Quarantine, done: &str) {
        for problem in quarantine.problems.clone() {
            eprint!("{}", problem.render(self.color));
        }
        for file in quarantine.files() {
            eprintln!("withheld: {file} (fix its errors to publish it)");
        }
        eprintln!(
            "{done}; {} record(s) withheld because of errors",
            quarantine.len()
        );
    }

    /// After a build that stopped: the cases that should be hidden but are still online.
    pub(crate) fn still_online(&self, lines: &[String], output: &Path) {
        for line in lines {
            eprintln!(
                "warning: {line} but still online in {}: fix the errors above and build again",
                output.display()
            );
        }
    }
}

impl Progress for Terminal {
    fn start(&self, total: usize) {
        if !self.interactive || total < BAR_FROM {
            return;
        }
        let bar = ProgressBar::with_draw_target(Some(total as u64), ProgressDrawTarget::stderr());
        bar.set_style(
            ProgressStyle::with_template("{spinner} rendering {bar:30} {pos}/{len} pages {eta}")
                .expect("valid template"),
        );
        *self.bar.lock().expect("lock") = Some(bar);
    }

    fn advance(&self, n: usize) {
        let bar = self.bar.lock().expect("lock").clone();
        if let Some(bar) = bar {
            bar.inc(n as u64);
        }
    }

    fn finish(&self) {
        if let Some(bar) = self.bar.lock().expect("lock").take() {
            bar.finish_and_clear();
        }
    }
}

impl Report for Terminal {
    fn listening(&self, address: SocketAddr) {
        let url = format!("http://{address}/");
        // On stdout, alone on its line, so scripts and tests can read the address.
        println!("serving {url}");
        if self.verbosity != Verbosity::Quiet {
            eprintln!(
                "watching site.toml, public-data/, content/ and themes/; open tabs reload after each edit. Ctrl-C stops."
            );
        }
        if self.open_browser {
            open_in_browser(&url);
        }
    }

    fn built(&self, rebuilt: &Rebuilt, changed: &[PathBuf]) {
        let mut problems = rebuilt.summary.warnings.clone();
        problems.extend(rebuilt.summary.quarantine.problems.clone());
        self.new_warnings(&problems);
        for file in rebuilt.summary.quarantine.files() {
            eprintln!("withheld: {file} (fix its errors to publish it)");
        }
        if self.verbosity == Verbosity::Quiet {
            return;
        }
        let s = &rebuilt.summary;
        let what = if changed.is_empty() {
            format!("built {} pages", thousands(s.pages))
        } else {
            format!(
                "{} → rebuilt {} of {} pages",
                describe(changed),
                thousands(rebuilt.rendered),
                thousands(s.pages)
            )
        };
        eprintln!(
            "{} {} {what} for {} cases in {} · {}",
            clock(),
            self.ok_mark(),
            thousands(s.cases),
            seconds(s.elapsed),
            self.warning_count(&s.warnings),
        );
        if self.verbosity == Verbosity::Verbose {
            let stages: Vec<String> = rebuilt
                .stages
                .iter()
                .map(|(name, time)| format!("{name} {}", seconds(*time)))
                .collect();
            eprintln!("  {}", stages.join(", "));
        }
    }

    fn failed(&self, error: &BuildError, changed: &[PathBuf]) {
        eprint!("{}", error.details(self.color));
        let after = if changed.is_empty() {
            String::new()
        } else {
            format!(" after {}", describe(changed))
        };
        eprintln!(
            "{} {} build failed{after}: {}; still serving the last good site, the browser shows the problem until it is fixed",
            clock(),
            self.fail_mark(),
            error.headline()
        );
    }

    fn watch_failed(&self, message: &str) {
        eprintln!("{} watching files: {message}", self.fail_mark());
    }

    fn progress(&self) -> &dyn Progress {
        self
    }
}

/// `public-data/cases/2024/2024-003.toml`, or `3 files`.
fn describe(changed: &[PathBuf]) -> String {
    match changed {
        [one] => one.display().to_string(),
        many => format!("{} files", many.len()),
    }
}

fn clock() -> String {
    jiff::Zoned::now().strftime("%H:%M:%S").to_string()
}

fn seconds(time: Duration) -> String {
    if time < Duration::from_secs(1) {
        format!("{} ms", time.as_millis())
    } else {
        format!("{:.2} s", time.as_secs_f64())
    }
}

/// 76512 → `76,512`.
pub(crate) fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

/// Best effort: the site still serves if no browser can be started.
fn open_in_browser(url: &str) {
    let opener = if cfg!(target_os = "macos") {
        "open"
    } else if cfg!(windows) {
        "explorer"
    } else {
        "xdg-open"
    };
    if let Err(e) = std::process::Command::new(opener)
        .arg(url)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
    {
        eprintln!("cannot open a browser ({opener}: {e}); open {url} yourself");
    }
}
