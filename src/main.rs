//! The command line. The only place that prints problems and chooses exit codes.

mod terminal;

// Rendering allocates and frees many short strings on two threads; mimalloc does that with
// about a sixth less CPU time than the system allocator (see BENCHMARKS.md). Built without
// transparent huge pages (`no_thp`): memory it gives back and takes again was zeroed by the
// kernel 2 MiB at a time, 5-9 % of a 10,000-case build's CPU time.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use clap::{Args, Parser, Subcommand, ValueEnum};

use reprisals_site::Date;
use reprisals_site::build::{self, BuildError};
use reprisals_site::period::PeriodArg;
use reprisals_site::{scaffold, serve};

use terminal::{Terminal, Verbosity};

/// Exit codes, documented in the README.
mod exit {
    pub(crate) const OK: u8 = 0;
    /// The input has errors (data, content, theme); nothing was written.
    pub(crate) const INPUT: u8 = 1;
    /// Wrong command-line usage (clap's own code), or an output folder that is refused.
    pub(crate) const USAGE: u8 = 2;
    /// The leak scan found a withheld value in the output; nothing was published.
    pub(crate) const LEAK: u8 = 3;
    /// Files could not be read or written.
    pub(crate) const IO: u8 = 4;
    /// Built and written, but some case or focal-point records were withheld because of
    /// their errors: deploy, and fix them.
    pub(crate) const WITHHELD: u8 = 5;
}

#[derive(Parser)]
#[command(name = "reprisals-site", version, about = "Builds the public website on reprisals against people who cooperate with the UN treaty bodies.", long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
    /// Print only errors.
    #[arg(long, short, global = true, conflicts_with = "verbose")]
    quiet: bool,
    /// Print more: the time each stage of a rebuild took, the leak scan's reach.
    #[arg(long, short, global = true)]
    verbose: bool,
}

#[derive(Subcommand)]
enum Command {
    /// Start a new site in DIR (default: the current folder, which must be empty).
    ///
    /// Writes site.toml, the ten committees with their public facts, the vocabularies and
    /// countries, the guidance pages and the default theme; no cases and no focal points. The
    /// new site builds at once: each committee shows "Vacant" and its secretariat.
    Init {
        /// The folder to create the site in; it must be empty or not exist yet.
        #[arg(value_name = "DIR", default_value = ".")]
        dir: PathBuf,
    },
    /// Render the whole site into the output folder (public/ by default).
    ///
    /// The previous output is replaced only if the build succeeds completely: a data error
    /// or a leak leaves it untouched.
    Build {
        #[command(flatten)]
        site: SiteArgs,
        /// Where to write the site. It must be a folder of its own: never the site folder,
        /// a folder that contains it, or one inside public-data/, content/ or themes/.
        #[arg(long, short, value_name = "DIR")]
        output: Option<PathBuf>,
        /// Replace the output folder even though it holds files that reprisals-site did not
        /// write (it marks its own output with a .reprisals-site-output file).
        #[arg(long)]
        force: bool,
        /// Publish under this address instead of base_url in site.toml, for a staging copy
        /// (feeds, the sitemap and report links use it).
        #[arg(long, value_name = "URL", value_parser = parse_base_url)]
        base_url: Option<String>,
        /// Render and scan everything even when nothing changed since the last build (by
        /// default such a build only checks that, and that the output is as it left it).
        #[arg(long)]
        full: bool,
    },
    /// Check the data, content and theme without writing anything; list every problem.
    Check {
        #[command(flatten)]
        site: SiteArgs,
    },
    /// Build the site into memory and serve it on 127.0.0.1, rebuilding and reloading open
    /// tabs after every edit.
    ///
    /// Only the pages an edit affects are rendered again. A broken edit keeps the last good
    /// site online and shows the problem in the terminal and over the page in the browser.
    Serve {
        #[command(flatten)]
        site: SiteArgs,
        /// The port to listen on (0: any free port; the address is printed on stdout).
        #[arg(long, short, default_value_t = 1111)]
        port: u16,
        /// Open the site in the default browser.
        #[arg(long)]
        open: bool,
        /// Also show unpublished cases (drafts and cases waiting for consent; never withdrawn
        /// or quarantined ones), each with a "Draft: not public" banner. In memory only:
        /// `build` never writes them.
        #[arg(long)]
        drafts: bool,
    },
    /// Today's agenda: what needs attention, from the same inputs and build date as `build`.
    ///
    /// Lists quarantined records and why, drafts, cases held back for consent, letters under
    /// embargo and the day each becomes public, deadlines passed while a case still awaits the
    /// State's response, focal-point terms about to end and vacant posts, missing or outdated
    /// guidance translations, and for each case the fields withheld and the rule (names only,
    /// never values). Writes nothing.
    Status {
        #[command(flatten)]
        site: SiteArgs,
        /// `text` for people, `json` for scripts.
        #[arg(long, value_enum, default_value = "text")]
        format: StatusFormat,
        /// Warn about focal-point terms that end within this many days.
        #[arg(long, value_name = "DAYS", default_value_t = 60)]
        term_warning_days: i64,
    },
    /// Start a new record from a commented template with the next free id.
    New {
        #[command(subcommand)]
        record: NewRecord,
    },
    /// Export the public cases of a period for another mechanism's report.
    ///
    /// `--for sg-report` writes the cases in the shape of the annexes to the Secretary-General's
    /// annual report on cooperation with the UN, grouped by country: Annex I lists the cases
    /// reported in the period, Annex II the earlier cases with public action or published
    /// letters in it. Three files are written, sg-report-FIRST--LAST.md, .csv and .docx (for
    /// drafting in Word). Each event is listed once, only events dated in the period. Only the public
    /// projection is used, and the files pass the same leak scan as the site: if a withheld
    /// value were found, nothing would be written (exit code 3).
    ///
    /// Example: reprisals-site export --for sg-report --period 2024
    Export {
        #[command(flatten)]
        site: SiteArgs,
        /// What the export is for.
        #[arg(long = "for", value_enum, value_name = "TARGET")]
        target: ExportTarget,
        /// The days to cover, both included: FIRST..LAST, for example 2024-05-01..2025-04-30,
        /// or a reporting year such as 2024, which starts on reports.period_start in site.toml
        /// (1 May by default, as in the SG's reports: 2024 = 1 May 2024 to 30 April 2025).
        #[arg(long, value_name = "FIRST..LAST|YEAR", value_parser = PeriodArg::parse)]
        period: PeriodArg,
        /// The folder to write into (created if needed). Default: exports/ in the site folder.
        #[arg(long, short, value_name = "DIR")]
        output: Option<PathBuf>,
    },
    /// Write the web-server and scheduled-rebuild files into deploy/ (or --output DIR).
    ///
    /// The security headers (Content-Security-Policy, Referrer-Policy, Permissions-Policy,
    /// Strict-Transport-Security, X-Content-Type-Options, Onion-Location) as snippets for
    /// nginx, Apache and Caddy, derived from site.toml like the _headers file every build
    /// writes; and rebuild.sh with a systemd service and timer and a GitHub Actions workflow
    /// for a daily rebuild that deploys on exit code 0 or 5 and alerts on failure.
    DeployConfig {
        /// The site folder.
        #[arg(long, value_name = "DIR", default_value = ".")]
        root: PathBuf,
        /// Where to write the files. Default: deploy/ in the site folder.
        #[arg(long, short, value_name = "DIR")]
        output: Option<PathBuf>,
    },
}

#[derive(Subcommand)]
enum NewRecord {
    /// A case in public-data/cases/<year>/, unpublished until you set `publish = true`.
    Case {
        /// The lead committee (default: the first one).
        #[arg(long, value_name = "CODE")]
        committee: Option<String>,
        /// The State concerned, as an ISO 3166-1 alpha-3 code.
        #[arg(long, value_name = "XXX")]
        country: Option<String>,
        /// A submission composed with the form at /how-to-submit/form/ (a text file): the draft
        /// takes its committees, dates, choices and consent; the person's own words go to
        /// [private]. What cannot be read is listed with its line number.
        #[arg(long, value_name = "FILE", conflicts_with_all = ["committee", "country"])]
        from: Option<PathBuf>,
        /// The site folder.
        #[arg(long, value_name = "DIR", default_value = ".")]
        root: PathBuf,
    },
    /// A rapporteur or focal point appointment in public-data/focal-points/.
    FocalPoint {
        /// The committee the person serves.
        #[arg(long, value_name = "CODE")]
        committee: String,
        /// The site folder.
        #[arg(long, value_name = "DIR", default_value = ".")]
        root: PathBuf,
    },
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum StatusFormat {
    Text,
    Json,
}

#[derive(Clone, Copy, ValueEnum)]
enum ExportTarget {
    /// The Secretary-General's annual report on cooperation with the UN (its country annexes).
    SgReport,
}

#[derive(Args)]
struct SiteArgs {
    /// The site folder: the one holding site.toml, public-data/, content/ and themes/.
    #[arg(long, value_name = "DIR", default_value = ".")]
    root: PathBuf,
    /// The day the build treats as today (YYYY-MM-DD): decides current focal points and which
    /// letters are out of embargo. Default: build_date in site.toml, else today in UTC.
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
    build_date: Option<Date>,
}

/// Writes to standard output; a reader that went away (`| head`) is not an error worth a panic,
/// which `println!` would raise.
fn stdout_text(text: &str) {
    use std::io::Write;
    let _ = std::io::stdout().lock().write_all(text.as_bytes());
}

fn stdout_line(line: &str) {
    stdout_text(&format!("{line}\n"));
}

fn parse_base_url(raw: &str) -> Result<String, String> {
    if raw.starts_with("https://") || raw.starts_with("http://") {
        Ok(raw.to_owned())
    } else {
        Err("give a full address, for example https://staging.example.org/".to_owned())
    }
}

fn parse_date(raw: &str) -> Result<Date, String> {
    Date::parse(raw)
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let verbosity = match (cli.quiet, cli.verbose) {
        (true, _) => Verbosity::Quiet,
        (_, true) => Verbosity::Verbose,
        _ => Verbosity::Normal,
    };
    let mut term = Terminal::new(verbosity);
    let code = match cli.command {
        Command::Init { dir } => init(&term, &dir),
        Command::DeployConfig { root, output } => deploy_config(&term, &root, output),
        Command::Build {
            site,
            output,
            force,
            base_url,
            full,
        } => {
            let output = output.unwrap_or_else(|| build::default_output(&site.root));
            let options = build::Options {
                build_date: site.build_date,
                base_url: base_url.as_deref(),
                force,
                full,
            };
            match build::build_at(&site.root, &output, &options, &term) {
                Ok(summary) => {
                    term.warnings(&summary.warnings);
                    let code = withheld(&term, &summary.quarantine, "built");
                    term.build_summary(&summary, &output);
                    code
                }
                Err(err) => {
                    let refused = matches!(err, BuildError::Refused(_));
                    let code = fail(&term, err, "nothing was written");
                    if !refused {
                        let online = build::still_online(&site.root, &output, site.build_date);
                        term.still_online(&online, &output);
                    }
                    code
                }
            }
        }
        Command::Check { site } => check(&term, &site),
        Command::Serve {
            site,
            port,
            open,
            drafts,
        } => {
            keep_freed_memory();
            term.open_browser = open;
            let options = serve::Options {
                root: site.root,
                build_date: site.build_date,
                port,
                drafts,
            };
            match serve::run(options, Arc::new(term)) {
                Ok(()) => exit::OK,
                Err(err) => {
                    eprintln!("error: {err}");
                    exit::IO
                }
            }
        }
        Command::New { record } => new_record(&term, record),
        Command::Status {
            site,
            format,
            term_warning_days,
        } => status(&term, &site, format, term_warning_days),
        Command::Export {
            site,
            target: ExportTarget::SgReport,
            period,
            output,
        } => export(&term, &site, period, output),
    };
    ExitCode::from(code)
}

fn init(term: &Terminal, dir: &std::path::Path) -> u8 {
    match reprisals_site::init::init(dir) {
        Ok(created) => {
            if term.verbosity != Verbosity::Quiet {
                eprintln!(
                    "{} new site in {}: {} committees, {} vocabularies, {} guidance files, {} theme files; no cases, no focal points. Next: cd {} && reprisals-site serve",
                    term.ok_mark(),
                    dir.display(),
                    terminal::thousands(created.committees),
                    terminal::thousands(created.vocabularies),
                    terminal::thousands(created.guidance_files),
                    terminal::thousands(created.theme_files),
                    dir.display()
                );
            }
            exit::OK
        }
        Err(problem) => {
            eprint!("{}", problem.render(term.color));
            exit::INPUT
        }
    }
}

fn deploy_config(term: &Terminal, root: &std::path::Path, output: Option<PathBuf>) -> u8 {
    let config = match reprisals_site::load_config(root) {
        Ok(config) => config,
        Err(problem) => {
            eprint!("{}", problem.render(term.color));
            return exit::INPUT;
        }
    };
    let dir = output.unwrap_or_else(|| root.join("deploy"));
    match reprisals_site::deploy::write_config(&config.value, &dir) {
        Ok(paths) => {
            for path in &paths {
                stdout_line(&path.display().to_string());
            }
            if term.verbosity != Verbosity::Quiet {
                eprintln!(
                    "{} wrote {} deploy files into {}: header snippets for nginx, Apache and Caddy, rebuild.sh, a systemd service and timer, a GitHub Actions workflow",
                    term.ok_mark(),
                    terminal::thousands(paths.len()),
                    dir.display()
                );
            }
            exit::OK
        }
        Err(problem) => {
            eprint!("{}", problem.render(term.color));
            exit::IO
        }
    }
}

fn check(term: &Terminal, site: &SiteArgs) -> u8 {
    let prepared = match build::prepare(&site.root, site.build_date) {
        Ok(prepared) => prepared,
        Err(problems) => return fail(term, BuildError::Input(problems), "nothing was written"),
    };
    term.warnings(&prepared.warnings);
    match build::render_all_with(&prepared, &reprisals_site::output::Discard, term) {
        Ok(summary) => {
            let code = withheld(term, &summary.quarantine, "would build");
            if term.verbosity != Verbosity::Quiet {
                eprintln!(
                    "{} ok: {} cases published, {} pages would be written (build date {})",
                    term.ok_mark(),
                    terminal::thousands(summary.cases),
                    terminal::thousands(summary.pages),
                    prepared.build_date
                );
            }
            code
        }
        Err(err) => fail(term, err, "nothing was written"),
    }
}

fn status(term: &Terminal, site: &SiteArgs, format: StatusFormat, days: i64) -> u8 {
    let report = match reprisals_site::status::status(&site.root, site.build_date, days) {
        Ok(report) => report,
        Err(problems) => return fail(term, BuildError::Input(problems), "no report"),
    };
    match format {
        StatusFormat::Json => match serde_json::to_string_pretty(&report) {
            Ok(json) => stdout_line(&json),
            Err(e) => {
                eprintln!("error: cannot write the report as JSON: {e}");
                return exit::IO;
            }
        },
        StatusFormat::Text => stdout_text(&report.to_text()),
    }
    if term.verbosity != Verbosity::Quiet {
        let counts: Vec<String> = report
            .counts()
            .into_iter()
            .map(|(what, n)| format!("{} {what}", terminal::thousands(n)))
            .collect();
        eprintln!(
            "{} status on {}: {}",
            term.ok_mark(),
            report.build_date,
            counts.join(", ")
        );
    }
    exit::OK
}

fn new_record(term: &Terminal, record: NewRecord) -> u8 {
    let today = Date::today_utc();
    let (result, what) = match &record {
        NewRecord::Case {
            from: Some(file),
            root,
            ..
        } => return new_case_from(term, root, file, today),
        NewRecord::Case {
            committee,
            country,
            root,
            from: None,
        } => (
            scaffold::new_case(root, committee.as_deref(), country.as_deref(), today),
            "case (unpublished: set publish = true and the consent when it is ready)",
        ),
        NewRecord::FocalPoint { committee, root } => (
            scaffold::new_focal_point(root, committee, today),
            "focal point (withheld from the site until its TODOs are filled in)",
        ),
    };
    match result {
        Ok(path) => {
            // The path alone on stdout, for scripts and editors: `$EDITOR $(reprisals-site new case)`.
            stdout_line(&path.display().to_string());
            if term.verbosity != Verbosity::Quiet {
                eprintln!("{} new {what}", term.ok_mark());
            }
            exit::OK
        }
        Err(problem) => {
            eprint!("{}", problem.render(term.color));
            exit::INPUT
        }
    }
}

/// `new case --from FILE`: the path on stdout, what could not be read on stderr (exit 0: the
/// draft is written and keeps the unread text in [private]).
fn new_case_from(
    term: &Terminal,
    root: &std::path::Path,
    file: &std::path::Path,
    today: Date,
) -> u8 {
    match reprisals_site::intake::draft::new_case_from(root, file, today) {
        Ok(drafted) => {
            stdout_line(&drafted.path.display().to_string());
            for u in &drafted.unread {
                eprintln!(
                    "{}:{}: could not read: {}",
                    file.display(),
                    u.line,
                    u.message
                );
            }
            if term.verbosity != Verbosity::Quiet {
                eprintln!(
                    "{} new case {} from {} (unpublished draft, no review; {} line(s) not read, kept in [private])",
                    term.ok_mark(),
                    drafted.id,
                    file.display(),
                    drafted.unread.len()
                );
            }
            exit::OK
        }
        Err(problem) => {
            eprint!("{}", problem.render(term.color));
            exit::INPUT
        }
    }
}

fn export(term: &Terminal, site: &SiteArgs, period: PeriodArg, output: Option<PathBuf>) -> u8 {
    let prepared = match build::prepare(&site.root, site.build_date) {
        Ok(prepared) => prepared,
        Err(problems) => return fail(term, BuildError::Input(problems), "nothing was written"),
    };
    term.warnings(&prepared.warnings);
    let config = &prepared.inputs.config.value;
    let start = reprisals_site::period::PeriodStart::parse(&config.reports.period_start)
        .unwrap_or_default();
    let range = period.range(start);
    let dir = output.unwrap_or_else(|| site.root.join("exports"));
    match reprisals_site::export::sg_report(&prepared, range, &dir) {
        Ok(paths) => {
            for path in &paths {
                // Paths on stdout, like `new`, so scripts can pick them up.
                stdout_line(&path.display().to_string());
            }
            if term.verbosity != Verbosity::Quiet {
                let (total, new) = reprisals_site::export::sg_report_counts(&prepared, range);
                eprintln!(
                    "{} exported {} cases ({} in Annex I, {} in Annex II) for {} to {} into {}: Markdown, CSV and Word",
                    term.ok_mark(),
                    terminal::thousands(total),
                    terminal::thousands(new),
                    terminal::thousands(total - new),
                    range.first,
                    range.last,
                    dir.display()
                );
            }
            exit::OK
        }
        Err(err) => fail(term, err, "nothing was written"),
    }
}

/// Lists the records withheld because of their errors, with the errors; exit code 5 if any.
fn withheld(term: &Terminal, quarantine: &reprisals_site::Quarantine, done: &str) -> u8 {
    if quarantine.is_empty() {
        return exit::OK;
    }
    term.quarantine(quarantine, done);
    exit::WITHHELD
}

/// Prints why the command failed and picks its exit code.
fn fail(term: &Terminal, err: BuildError, consequence: &str) -> u8 {
    let code = match &err {
        BuildError::Input(_) => exit::INPUT,
        BuildError::Leak(_) => exit::LEAK,
        BuildError::Io(_) => exit::IO,
        BuildError::Refused(_) => exit::USAGE,
    };
    let consequence = match &err {
        BuildError::Leak(_) => "nothing was published",
        _ => consequence,
    };
    term.failure(&err, consequence);
    code
}

/// `serve` keeps the memory a rebuild frees for the next rebuild. By default mimalloc gives it
/// back to the kernel a second after it is freed, and each page taken again comes back through
/// a page fault that zeroes it: at 10,000 cases, about an eighth of the CPU time of each edit
/// made a few seconds after the last. The price is some 55 MiB more held while `serve` runs.
#[allow(unsafe_code)]
fn keep_freed_memory() {
    // `mi_option_purge_delay`, which the bindings do not name: 15 in mimalloc 2 and 3.
    const PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;
    // SAFETY: reading and setting an option are plain calls on mimalloc's table of options,
    // made before `serve` starts its threads. The option is set only when it holds one of its
    // defaults (1000 ms in mimalloc 3, 10 ms in 2): should a later mimalloc number its options
    // otherwise, another option would be changed only if it held one of those values too.
    unsafe {
        let delay = libmimalloc_sys::mi_option_get(PURGE_DELAY);
        if delay == 1000 || delay == 10 {
            libmimalloc_sys::mi_option_set(PURGE_DELAY, -1);
        }
    }
}
