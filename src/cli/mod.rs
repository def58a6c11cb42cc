//! The command line: the only module that sees clap. Each subcommand has its own file with
//! `run(args) -> anyhow::Result<Outcome>`.

mod bench;
mod eval;
mod generate;
mod index;
mod quote;
mod search;
mod talks;

use clap::{ArgMatches, Args, FromArgMatches, Parser, Subcommand, ValueEnum};
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
    Index(Deferred<index::IndexArgs>),
    /// Search the index (built from ./seeds on first use)
    Search(Deferred<search::SearchArgs>),
    /// Find where a remembered quote was said, even misheard or misremembered
    Quote(Deferred<quote::QuoteArgs>),
    /// Measure how well quotes are found: top-1, top-3 and MRR per kind of alteration
    Eval(Deferred<eval::EvalArgs>),
    /// List the indexed talks
    Talks(Deferred<talks::TalksArgs>),
    /// Measure how fast the index answers a query set (p50/p95/p99, queries per second)
    Bench(Deferred<bench::BenchArgs>),
    /// Write a scale corpus: N× some transcripts, reshuffled into new talks
    Generate(Deferred<generate::GenerateArgs>),
}

/// A subcommand's arguments, added to clap's command tree only when that subcommand is the
/// one parsed: building the arguments of all seven was 0.11M of the 1.48M instructions of a
/// one-off search.
#[derive(Debug)]
struct Deferred<T>(T);

impl<T: Args> Args for Deferred<T> {
    fn augment_args(command: clap::Command) -> clap::Command {
        command.defer(|command| keeping_about(command, T::augment_args))
    }

    fn augment_args_for_update(command: clap::Command) -> clap::Command {
        command.defer(|command| keeping_about(command, T::augment_args_for_update))
    }

    fn group_id() -> Option<clap::Id> {
        T::group_id()
    }
}

/// Runs `augment` on `command`, keeping the subcommand's own description: the arguments' doc
/// comment would otherwise replace it once they are added after it.
fn keeping_about(command: clap::Command, augment: fn(clap::Command) -> clap::Command) -> clap::Command {
    let (about, long_about) = (command.get_about().cloned(), command.get_long_about().cloned());
    let mut command = augment(command);
    if let Some(about) = about {
        command = command.about(about);
    }
    if let Some(long_about) = long_about {
        command = command.long_about(long_about);
    }
    command
}

impl<T: FromArgMatches> FromArgMatches for Deferred<T> {
    fn from_arg_matches(matches: &ArgMatches) -> Result<Self, clap::Error> {
        T::from_arg_matches(matches).map(Deferred)
    }

    fn from_arg_matches_mut(matches: &mut ArgMatches) -> Result<Self, clap::Error> {
        T::from_arg_matches_mut(matches).map(Deferred)
    }

    fn update_from_arg_matches(&mut self, matches: &ArgMatches) -> Result<(), clap::Error> {
        self.0.update_from_arg_matches(matches)
    }

    fn update_from_arg_matches_mut(&mut self, matches: &mut ArgMatches) -> Result<(), clap::Error> {
        self.0.update_from_arg_matches_mut(matches)
    }
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
        Command::Index(Deferred(args)) => index::run(args),
        Command::Search(Deferred(args)) => search::run(args),
        Command::Quote(Deferred(args)) => quote::run(args),
        Command::Eval(Deferred(args)) => eval::run(args),
        Command::Talks(Deferred(args)) => talks::run(args),
        Command::Bench(Deferred(args)) => bench::run(args),
        Command::Generate(Deferred(args)) => generate::run(args),
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

    #[test]
    fn deferred_arguments_are_built_with_their_subcommand_and_keep_its_description() {
        let mut command = Cli::command();
        command.build();
        let search = command.find_subcommand("search").expect("a search subcommand");
        assert!(search.get_arguments().any(|arg| arg.get_long() == Some("limit")));
        let about = search.get_about().map(ToString::to_string);
        assert_eq!(about.as_deref(), Some("Search the index (built from ./seeds on first use)"));
    }
}
