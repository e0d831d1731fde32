//! The command line. The only place that prints problems and chooses exit codes.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};

use reprisals_site::diagnostics::Problems;
use reprisals_site::model::date::Date;
use reprisals_site::period::DateRange;
use reprisals_site::pipeline::{self, BuildError, Summary};

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
    let color = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let code = match cli.command {
        Command::Build { site, output } => {
            let output = output.unwrap_or_else(|| pipeline::default_output(&site.root));
            match pipeline::build(&site.root, &output, site.build_date) {
                Ok(summary) => {
                    print_warnings(&summary.warnings, color);
                    print_summary(&summary, &output);
                    exit::OK
                }
                Err(err) => report(err, color),
            }
        }
        Command::Check { site } => match pipeline::prepare(&site.root, site.build_date) {
            Ok(prepared) => {
                print_warnings(&prepared.warnings, color);
                let output = reprisals_site::output::Discard;
                match pipeline::render_all(&prepared, &output) {
                    Ok(summary) => {
                        eprintln!(
                            "ok: {} cases published, {} pages would be written (build date {})",
                            summary.cases, summary.pages, prepared.build_date
                        );
                        exit::OK
                    }
                    Err(err) => report(err, color),
                }
            }
            Err(problems) => report(BuildError::Input(problems), color),
        },
        Command::Export {
            site,
            target: ExportTarget::SgReport,
            period,
            output,
        } => match pipeline::prepare(&site.root, site.build_date) {
            Ok(prepared) => {
                print_warnings(&prepared.warnings, color);
                let dir = output.unwrap_or_else(|| site.root.join("exports"));
                match reprisals_site::export::sg_report(&prepared, period, &dir) {
                    Ok(paths) => {
                        for path in paths {
                            eprintln!("wrote {}", path.display());
                        }
                        exit::OK
                    }
                    Err(err) => report(err, color),
                }
            }
            Err(problems) => report(BuildError::Input(problems), color),
        },
    };
    ExitCode::from(code)
}

fn print_warnings(warnings: &Problems, color: bool) {
    for problem in warnings.clone() {
        eprint!("{}", problem.render(color));
    }
}

fn print_summary(summary: &Summary, output: &std::path::Path) {
    let date = summary
        .build_date
        .map(|d| d.to_string())
        .unwrap_or_default();
    eprintln!(
        "built {} pages ({} files, {:.1} MB) for {} cases in {} languages into {} in {:.2} s; build date {date}; leak scan checked {} withheld values",
        summary.pages,
        summary.files,
        summary.bytes as f64 / 1_000_000.0,
        summary.cases,
        summary.languages,
        output.display(),
        summary.elapsed.as_secs_f64(),
        summary.withheld_checked,
    );
}

fn report(err: BuildError, color: bool) -> u8 {
    match err {
        BuildError::Input(problems) => {
            let (errors, warnings) = (problems.error_count(), problems.warning_count());
            for problem in problems {
                eprint!("{}", problem.render(color));
            }
            eprintln!("{errors} error(s), {warnings} warning(s); nothing was written");
            exit::INPUT
        }
        BuildError::Leak(leaks) => {
            for leak in &leaks {
                eprintln!(
                    "LEAK: {} contains withheld text from {}",
                    leak.file, leak.field
                );
            }
            eprintln!(
                "the leak scan found {} withheld value(s) in the output; nothing was published",
                leaks.len()
            );
            exit::LEAK
        }
        BuildError::Io(message) => {
            eprintln!("error: {message}");
            exit::IO
        }
    }
}
