//! `talksearch generate`: a scale corpus of N× some transcripts, for benchmarks.

use super::Outcome;
use anyhow::Context;
use std::path::PathBuf;
use std::time::Instant;
use talksearch::bench::generate::{self, GenerateOptions, GenerateSummary, TurnPool};

#[derive(Debug, clap::Args)]
pub struct GenerateArgs {
    /// How many times every input turn is used
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    scale: u32,
    /// Seed of the random choices: the same inputs and seed give the same files
    #[arg(long, value_name = "S", default_value_t = 1)]
    seed: u64,
    /// Transcript file or folder to take turns from (repeatable; default: ./seeds)
    #[arg(long = "from", value_name = "PATH")]
    from: Vec<PathBuf>,
    /// Average turns per generated talk (default: the inputs' average)
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(2..))]
    turns_per_talk: Option<u32>,
    /// Also write every turn to FILE as TALK<TAB>TURN<TAB>SPEAKER<TAB>START_MS<TAB>TEXT lines
    #[arg(long, value_name = "FILE")]
    turns: Option<PathBuf>,
    /// No summary line
    #[arg(short, long)]
    quiet: bool,
    /// Folder to write the talks to; must be new or empty
    #[arg(value_name = "OUT_DIR")]
    out_dir: PathBuf,
}

pub fn run(args: GenerateArgs) -> anyhow::Result<Outcome> {
    let started = Instant::now();
    let from = if args.from.is_empty() { vec![PathBuf::from(super::index::SEEDS)] } else { args.from };
    let (pool, errors) = TurnPool::load(&from);
    for error in &errors {
        eprintln!("talksearch: {error}");
    }
    let options = GenerateOptions {
        scale: args.scale as usize,
        seed: args.seed,
        turns_per_talk: args.turns_per_talk.map(|n| n as usize),
    };
    let mut turns_file = match &args.turns {
        Some(path) => Some(std::io::BufWriter::new(
            std::fs::File::create(path).with_context(|| format!("cannot create {}", path.display()))?,
        )),
        None => None,
    };
    let summary = generate::write_corpus(
        &pool,
        &options,
        &args.out_dir,
        turns_file.as_mut().map(|f| f as &mut dyn std::io::Write),
    )?;
    if let (Some(file), Some(path)) = (turns_file, &args.turns) {
        file.into_inner().map_err(|e| e.into_error()).with_context(|| format!("cannot write {}", path.display()))?;
    }
    if !args.quiet {
        eprintln!("{}", summary_line(&summary, &pool, &args.out_dir, started.elapsed().as_secs_f64()));
    }
    Ok(if errors.is_empty() { Outcome::Success } else { Outcome::PartialFailure })
}

fn summary_line(summary: &GenerateSummary, pool: &TurnPool, out_dir: &std::path::Path, seconds: f64) -> String {
    let formats: Vec<String> =
        summary.formats.iter().map(|(format, talks)| format!("{} {talks}", format.extension())).collect();
    format!(
        "talksearch: {} talks, {} turns ({} turns from {} talks, reshuffled), {:.2} MB ({:.2} MB of turn text) \
         in {} in {seconds:.2} s; {}",
        summary.talks,
        summary.turns,
        pool.len(),
        pool.talks(),
        summary.file_bytes as f64 / 1e6,
        summary.text_bytes as f64 / 1e6,
        out_dir.display(),
        formats.join(", ")
    )
}
