//! The command line: the only module that sees clap. Each subcommand has its own file with
//! `run(args) -> anyhow::Result<Outcome>`.

mod bench;
mod eval;
mod generate;
mod index;
mod quote;
mod search;
mod talks;

use clap::{Parser, Subcommand, ValueEnum};
use std::io::IsTerminal;
use std::path::PathBuf;

/// How a successful run ended, for the exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Found something / did the work: exit 0.
    Success,
    /// Found nothing: exit 1.
    NothingFound,
    /// Worked, but some inputs failed: exit 2.
    PartialFailure,
}

/// Full-text search for talk transcripts: find the moment a quote was said.
#[derive(Debug, Parser)]
#[command(name = "talksearch", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Index transcript files and folders (default: ./seeds)
    Index(index::IndexArgs),
    /// Search the index (built from ./seeds on first use)
    Search(search::SearchArgs),
    /// Find where a remembered quote was said, even misheard or misremembered
    Quote(quote::QuoteArgs),
    /// Measure how well quotes are found: top-1, top-3 and MRR per kind of alteration
    Eval(eval::EvalArgs),
    /// List the indexed talks
    Talks(talks::TalksArgs),
    /// Measure how fast the index answers a query set (p50/p95/p99, queries per second)
    Bench(bench::BenchArgs),
    /// Write a scale corpus: N× some transcripts, reshuffled into new talks
    Generate(generate::GenerateArgs),
}

/// Where the index is.
#[derive(Debug, clap::Args)]
struct IndexLocation {
    /// Index folder
    #[arg(long = "index", value_name = "DIR", env = "TALKSEARCH_INDEX", default_value = "index")]
    dir: PathBuf,
}

/// When to colour output.
#[derive(Debug, Clone, Copy, Default, ValueEnum)]
enum ColorChoice {
    /// On a terminal, unless NO_COLOR is set
    #[default]
    Auto,
    /// Always
    Always,
    /// Never
    Never,
}

impl ColorChoice {
    fn enabled(self) -> bool {
        match self {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => {
                std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
            }
        }
    }
}

/// Runs the command line.
pub fn run(cli: Cli) -> anyhow::Result<Outcome> {
    match cli.command {
        Command::Index(args) => index::run(args),
        Command::Search(args) => search::run(args),
        Command::Quote(args) => quote::run(args),
        Command::Eval(args) => eval::run(args),
        Command::Talks(args) => talks::run(args),
        Command::Bench(args) => bench::run(args),
        Command::Generate(args) => generate::run(args),
    }
}

#[cfg(test)]
mod tests {
    use super::Cli;
    use clap::CommandFactory;

    #[test]
    fn command_line_definition_is_consistent() {
        Cli::command().debug_assert();
    }
}
