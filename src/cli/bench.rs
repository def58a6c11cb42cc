//! `talksearch bench`: how fast this index answers a query set, as a table or as JSON.

use super::{IndexLocation, Outcome};
use anyhow::Context;
use std::io::Write;
use std::path::PathBuf;
use talksearch::bench::{self, BenchPlan, ClassLatency, LatencyStats, QuerySet, Report, SystemClock};
use talksearch::search::Searcher;

#[derive(Debug, clap::Args)]
pub struct BenchArgs {
    /// Query file: one CLASS<TAB>QUERY per line, `#` comments (default: the shipped set)
    #[arg(long, value_name = "FILE")]
    queries: Option<PathBuf>,
    #[command(flatten)]
    location: IndexLocation,
    /// Timed rounds over the whole query set
    #[arg(long, value_name = "N", default_value_t = 20, value_parser = clap::value_parser!(u32).range(1..))]
    iterations: u32,
    /// Untimed rounds before the timed ones
    #[arg(long, value_name = "N", default_value_t = 2)]
    warmup: u32,
    /// Threads for the throughput figure (default: one per core)
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    threads: Option<u32>,
    /// Hits asked for per query
    #[arg(short = 'n', long, value_name = "N", default_value_t = 10)]
    limit: usize,
    /// Words as typed only, as `search --exact`: compare with a run without to see what near
    /// misses and sound-alikes cost
    #[arg(long)]
    exact: bool,
    /// The report as one JSON object
    #[arg(long)]
    json: bool,
}

pub fn run(args: BenchArgs) -> anyhow::Result<Outcome> {
    let queries = match &args.queries {
        Some(path) => {
            let text = std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
            QuerySet::parse(&text).with_context(|| format!("bad query file {}", path.display()))?
        }
        None => QuerySet::default_set(),
    };
    let defaults = BenchPlan::default();
    let plan = BenchPlan {
        warmup_rounds: args.warmup as usize,
        rounds: args.iterations as usize,
        threads: args.threads.map_or(defaults.threads, |n| n as usize),
        limit: args.limit,
        exact: args.exact,
        ..defaults
    };
    let searcher = Searcher::new(super::search::open_or_build(&args.location.dir)?)?;
    let report = bench::run(&searcher, &queries, &plan, &SystemClock::new())?;
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    if args.json {
        serde_json::to_writer_pretty(&mut out, &report)?;
        writeln!(out)?;
    } else {
        write_table(&mut out, &report)?;
    }
    out.flush()?;
    Ok(Outcome::Success)
}

/// The report for people: what was searched, then a latency table per mode.
fn write_table(out: &mut impl Write, report: &Report) -> std::io::Result<()> {
    let index = &report.index;
    let size = index.bytes_on_disk.map_or("in memory".to_string(), |b| format!("{:.1} MB on disk", b as f64 / 1e6));
    writeln!(
        out,
        "index    {}: {size}, {} talks, {} turns, {} documents, {} segments",
        index.path, index.talks, index.turns, index.documents, index.segments
    )?;
    let classes = report.modes.first().map_or(0, |m| m.classes.len());
    writeln!(
        out,
        "queries  {} timed in {classes} classes, top {}{}; {} warm-up + {} timed rounds; throughput on {} threads",
        report.timed_queries,
        report.limit,
        if report.exact { ", words as typed only (--exact)" } else { "" },
        report.warmup_rounds,
        report.rounds,
        report.threads
    )?;
    for mode in &report.modes {
        writeln!(out)?;
        writeln!(
            out,
            "{:<18} {:>7} {:>9} {:>9} {:>9} {:>9} {:>9}",
            mode.mode.name(),
            "queries",
            "p50 ms",
            "p95 ms",
            "p99 ms",
            "max ms",
            "mean ms"
        )?;
        for class in &mode.classes {
            write_row(out, class)?;
        }
        let overall = ClassLatency { class: "all".to_string(), queries: report.timed_queries, latency: mode.overall };
        write_row(out, &overall)?;
        writeln!(
            out,
            "{:<18} {:.0} queries/s on 1 thread, {:.0} on {} threads",
            "throughput", mode.qps_one_thread, mode.qps_all_threads, report.threads
        )?;
        writeln!(out, "{:<18} {:>9}  query", "slowest", "p50 ms")?;
        for query in &mode.slowest {
            writeln!(out, "  {:<16} {:>9.3}  {}", query.class, query.latency.p50_ms, query.query)?;
        }
    }
    let unmatched: Vec<&str> =
        report.queries.iter().filter(|q| q.matches == 0 && q.error.is_none()).map(|q| q.query.as_str()).collect();
    if !unmatched.is_empty() {
        writeln!(out)?;
        writeln!(out, "{} queries match nothing in this index: {}", unmatched.len(), unmatched.join(" · "))?;
    }
    let failed: Vec<_> = report.queries.iter().filter_map(|q| q.error.as_ref().map(|e| (q, e))).collect();
    if !failed.is_empty() {
        writeln!(out)?;
        writeln!(out, "{} queries cannot run and were not timed:", failed.len())?;
        for (query, error) in failed {
            writeln!(out, "  {:<16} {error}", query.class)?;
        }
    }
    Ok(())
}

fn write_row(out: &mut impl Write, class: &ClassLatency) -> std::io::Result<()> {
    let LatencyStats { p50_ms, p95_ms, p99_ms, max_ms, mean_ms, .. } = class.latency;
    writeln!(
        out,
        "  {:<16} {:>7} {p50_ms:>9.3} {p95_ms:>9.3} {p99_ms:>9.3} {max_ms:>9.3} {mean_ms:>9.3}",
        class.class, class.queries
    )
}
