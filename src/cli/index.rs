//! `talksearch index`.

use super::{IndexLocation, Outcome};
use anyhow::Context;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use talksearch::formats::Format;
use talksearch::index::{IndexError, TalkIndex};
use talksearch::ingest::IngestOptions;
use talksearch::pipeline::{self, Progress, RunOptions, RunSummary};
use talksearch::render::progress::Bar;

/// Folder of transcripts indexed when no path is given.
pub const SEEDS: &str = "seeds";

#[derive(Debug, clap::Args)]
pub struct IndexArgs {
    /// Transcript files and folders (folders are read recursively)
    #[arg(value_name = "PATH", default_value = SEEDS)]
    paths: Vec<PathBuf>,
    #[command(flatten)]
    location: IndexLocation,
    /// Speaking rate for estimated times, in words per minute
    #[arg(long, value_name = "N", default_value_t = talksearch::model::DEFAULT_WORDS_PER_MINUTE,
          value_parser = clap::value_parser!(u32).range(40..=400))]
    wpm: u32,
    /// Read every file in this format instead of detecting it
    #[arg(long, value_name = "FORMAT", value_parser = parse_format)]
    format: Option<Format>,
    /// Remove talks whose files no longer exist
    #[arg(long)]
    prune: bool,
    /// No progress bar and no summary line
    #[arg(short, long)]
    quiet: bool,
}

fn parse_format(name: &str) -> Result<Format, String> {
    name.parse()
}

pub fn run(args: IndexArgs) -> anyhow::Result<Outcome> {
    let options = RunOptions {
        ingest: IngestOptions { format: args.format, words_per_minute: args.wpm },
        prune: args.prune,
        ..RunOptions::default()
    };
    let summary = index_into(&args.location.dir, &args.paths, &options, args.quiet)?;
    Ok(if summary.failed > 0 { Outcome::PartialFailure } else { Outcome::Success })
}

/// Indexes `paths` into the index at `dir`, printing per-file errors and the summary line on
/// stderr.
pub fn index_into(dir: &Path, paths: &[PathBuf], options: &RunOptions, quiet: bool) -> anyhow::Result<RunSummary> {
    let index = open_current(dir, TalkIndex::open_or_create, options, quiet)?;
    let bar = Bar::new(!quiet && std::io::stderr().is_terminal());
    let progress: &dyn Progress = &bar;
    let summary = pipeline::index_paths(&index, paths, options, progress, &mut |error| {
        bar.println(&format!("talksearch: {error}"));
    })
    .with_context(|| format!("indexing into {} failed; the previous index is unchanged", dir.display()))?;
    if !quiet {
        eprintln!("{}", summary_line(&summary));
    }
    Ok(summary)
}

/// Opens the index in `dir` with `open`; an index written by a talksearch with another schema
/// is first built again from the files it was built from.
pub fn open_current(
    dir: &Path,
    open: fn(&Path) -> Result<TalkIndex, IndexError>,
    options: &RunOptions,
    quiet: bool,
) -> anyhow::Result<TalkIndex> {
    match open(dir) {
        Err(IndexError::SchemaMismatch { .. }) => {
            rebuild(dir, options, quiet)?;
            Ok(open(dir)?)
        }
        opened => Ok(opened?),
    }
}

/// Builds again an index written by a talksearch with another schema, from the files it was
/// built from (see [`pipeline::rebuild`]), saying so on stderr.
fn rebuild(dir: &Path, options: &RunOptions, quiet: bool) -> anyhow::Result<RunSummary> {
    eprintln!(
        "talksearch: {} was built by another version of talksearch; building it again from the files it holds",
        dir.display()
    );
    let bar = Bar::new(!quiet && std::io::stderr().is_terminal());
    let progress: &dyn Progress = &bar;
    let summary = pipeline::rebuild(dir, options, progress, &mut |error| {
        bar.println(&format!("talksearch: {error}"));
    })
    .with_context(|| format!("rebuilding {} failed; the old index is unchanged", dir.display()))?;
    if !quiet {
        eprintln!("{}", summary_line(&summary));
    }
    Ok(summary)
}

fn summary_line(s: &RunSummary) -> String {
    format!(
        "talksearch: {} added, {} updated, {} unchanged, {} removed, {} failed, {} skipped (not transcripts); {} turns, {:.2} MB in {:.2} s",
        s.added,
        s.updated,
        s.unchanged,
        s.removed,
        s.failed,
        s.skipped,
        s.turns,
        s.bytes as f64 / 1e6,
        s.elapsed.as_secs_f64()
    )
}
