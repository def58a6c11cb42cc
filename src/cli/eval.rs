//! `talksearch eval`.

use super::{IndexLocation, Outcome};
use anyhow::Context;
use std::path::PathBuf;
use talksearch::eval::{self, EngineReport, Fts5Mode};
use talksearch::search::Searcher;

#[derive(Debug, clap::Args)]
pub struct EvalArgs {
    /// Evaluation set: kind, source, turn, quote (and the original words), tab-separated
    #[arg(value_name = "FILE")]
    file: PathBuf,
    #[command(flatten)]
    location: IndexLocation,
    /// Only talksearch: skip SQLite FTS5 and ripgrep
    #[arg(long)]
    no_peers: bool,
    /// One JSON object per engine per line instead of the table
    #[arg(long)]
    json: bool,
    /// Also list the quotes not found in the first 10 hits
    #[arg(long)]
    misses: bool,
}

pub fn run(args: EvalArgs) -> anyhow::Result<Outcome> {
    let quotes = eval::read_quotes(&args.file)?;
    anyhow::ensure!(!quotes.is_empty(), "{} has no quotes", args.file.display());
    let searcher = Searcher::new(super::search::open_or_build(&args.location.dir)?)?;
    let mut reports = vec![eval::run_talksearch(&searcher, &quotes, false)?];
    if !args.no_peers {
        reports.push(eval::run_talksearch(&searcher, &quotes, true)?);
        reports.extend(eval::run_fts5(&searcher, &quotes, &[Fts5Mode::AllWords, Fts5Mode::AnyWord])?);
        let files: Vec<PathBuf> =
            searcher.index().talks().context("listing the indexed files")?.into_keys().map(PathBuf::from).collect();
        reports.push(eval::run_ripgrep(&files, &quotes));
    }
    if args.json {
        for report in &reports {
            println!("{}", serde_json::to_string(report)?);
        }
    } else {
        print!("{}", table(&reports));
        for report in reports.iter().filter(|r| r.missing.is_some()) {
            println!("{}: not run ({})", report.engine, report.missing.as_deref().unwrap_or_default());
        }
        if args.misses {
            for (kind, quote) in &reports[0].misses {
                println!("missed [{kind}] {quote}");
            }
        }
    }
    Ok(Outcome::Success)
}

/// A Markdown table: a row per kind, a column per engine, each cell `top-1 / top-3 / MRR`.
fn table(reports: &[EngineReport]) -> String {
    let ran: Vec<&EngineReport> = reports.iter().filter(|r| r.missing.is_none()).collect();
    let mut out = String::from("| quotes | n |");
    for report in &ran {
        out.push_str(&format!(" {} |", report.engine));
    }
    out.push_str("\n|---|---:|");
    out.push_str(&"---|".repeat(ran.len()));
    out.push('\n');
    let mut kinds: Vec<&String> = ran.first().map(|r| r.kinds.keys().collect()).unwrap_or_default();
    // The kinds, then the two totals.
    kinds.sort_by_key(|k| (matches!(k.as_str(), "altered" | "all"), k.as_str() == "all", k.as_str() != "exact", *k));
    for kind in kinds {
        let count = ran[0].kinds[kind].count;
        out.push_str(&format!("| {kind} | {count} |"));
        for report in &ran {
            let s = &report.kinds[kind];
            out.push_str(&format!(" {:.0}% / {:.0}% / {:.2} |", s.top1 * 100.0, s.top3 * 100.0, s.mrr));
        }
        out.push('\n');
    }
    out
}
