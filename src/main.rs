//! The command line. The only place that prints problems and chooses exit codes.

mod terminal;

// Rendering allocates and frees many short strings on two threads; mimalloc does that with
// about a sixth less CPU time than the system allocator (see BENCHMARKS.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use clap::{Args, Parser, Subcommand, ValueEnum};

use reprisals_site::build::{self, BuildError};
use reprisals_site::model::date::Date;
use reprisals_site::period::DateRange;
use reprisals_site::{scaffold, serve};

use terminal::{Terminal, Verbosity};

/// Exit codes, documented in the README.
mod exit {
    pub const OK: u8 = 0;
    /// The input has errors (data, content, theme); nothing was written.
    pub const INPUT: u8 = 1;
    /// Wrong command-line usage (clap's own code).
    #[allow(dead_code)]
    pub const USAGE: u8 = 2;
    /// The leak scan found a withheld value in the output; nothing was published.
    pub const LEAK: u8 = 3;
    /// Files could not be read or written.
    pub const IO: u8 = 4;
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
    /// Render the whole site into the output folder (public/ by default).
    ///
    /// The previous output is replaced only if the build succeeds completely: a data error
    /// or a leak leaves it untouched.
    Build {
        #[command(flatten)]
        site: SiteArgs,
        /// Where to write the site.
        #[arg(long, short, value_name = "DIR")]
        output: Option<PathBuf>,
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
    /// letters in it. Two files are written, sg-report-FIRST--LAST.md and .csv. Only the public
    /// projection is used, and the files pass the same leak scan as the site: if a withheld
    /// value were found, nothing would be written (exit code 3).
    ///
    /// Example: reprisals-site export --for sg-report --period 2024-05-01..2025-04-30
    Export {
        #[command(flatten)]
        site: SiteArgs,
        /// What the export is for.
        #[arg(long = "for", value_enum, value_name = "TARGET")]
        target: ExportTarget,
        /// The days to cover, both included: FIRST..LAST, for example 2024-05-01..2025-04-30
        /// (the SG's reporting year runs from 1 May to 30 April).
        #[arg(long, value_name = "FIRST..LAST", value_parser = DateRange::parse)]
        period: DateRange,
        /// The folder to write into (created if needed). Default: exports/ in the site folder.
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
        Command::Build { site, output } => {
            let output = output.unwrap_or_else(|| build::default_output(&site.root));
            match build::build_with(&site.root, &output, site.build_date, &term) {
                Ok(summary) => {
                    term.warnings(&summary.warnings);
                    term.build_summary(&summary, &output);
                    exit::OK
                }
                Err(err) => fail(&term, err, "nothing was written"),
            }
        }
        Command::Check { site } => check(&term, &site),
        Command::Serve { site, port, open } => {
            term.open_browser = open;
            let options = serve::Options {
                root: site.root,
                build_date: site.build_date,
                port,
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
        Command::Export {
            site,
            target: ExportTarget::SgReport,
            period,
            output,
        } => export(&term, &site, period, output),
    };
    ExitCode::from(code)
}

fn check(term: &Terminal, site: &SiteArgs) -> u8 {
    let prepared = match build::prepare(&site.root, site.build_date) {
        Ok(prepared) => prepared,
        Err(problems) => return fail(term, BuildError::Input(problems), "nothing was written"),
    };
    term.warnings(&prepared.warnings);
    match build::render_all_with(&prepared, &reprisals_site::output::Discard, term) {
        Ok(summary) => {
            if term.verbosity != Verbosity::Quiet {
                eprintln!(
                    "{} ok: {} cases published, {} pages would be written (build date {})",
                    term.ok_mark(),
                    summary.cases,
                    summary.pages,
                    prepared.build_date
                );
            }
            exit::OK
        }
        Err(err) => fail(term, err, "nothing was written"),
    }
}

fn new_record(term: &Terminal, record: NewRecord) -> u8 {
    let today = Date::today_utc();
    let (result, what) = match &record {
        NewRecord::Case {
            committee,
            country,
            root,
        } => (
            scaffold::new_case(root, committee.as_deref(), country.as_deref(), today),
            "case (unpublished: set publish = true and the consent when it is ready)",
        ),
        NewRecord::FocalPoint { committee, root } => (
            scaffold::new_focal_point(root, committee, today),
            "focal point (the build refuses it until its TODOs are filled in)",
        ),
    };
    match result {
        Ok(path) => {
            // The path alone on stdout, for scripts and editors: `$EDITOR $(reprisals-site new case)`.
            println!("{}", path.display());
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

fn export(term: &Terminal, site: &SiteArgs, period: DateRange, output: Option<PathBuf>) -> u8 {
    let prepared = match build::prepare(&site.root, site.build_date) {
        Ok(prepared) => prepared,
        Err(problems) => return fail(term, BuildError::Input(problems), "nothing was written"),
    };
    term.warnings(&prepared.warnings);
    let dir = output.unwrap_or_else(|| site.root.join("exports"));
    match reprisals_site::export::sg_report(&prepared, period, &dir) {
        Ok(paths) => {
            for path in paths {
                // Paths on stdout, like `new`, so scripts can pick them up.
                println!("{}", path.display());
            }
            exit::OK
        }
        Err(err) => fail(term, err, "nothing was written"),
    }
}

/// Prints why the command failed and picks its exit code.
fn fail(term: &Terminal, err: BuildError, consequence: &str) -> u8 {
    let code = match &err {
        BuildError::Input(_) => exit::INPUT,
        BuildError::Leak(_) => exit::LEAK,
        BuildError::Io(_) => exit::IO,
    };
    let consequence = match &err {
        BuildError::Leak(_) => "nothing was published",
        _ => consequence,
    };
    term.failure(&err, consequence);
    code
}
