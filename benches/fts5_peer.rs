//! SQLite FTS5 in process, for `benches/peers.sh`: per-query latency of a query set over an FTS5
//! database (BM25 order, top 10, `snippet()`), as JSON on stdout. Not a criterion bench: it
//! reports percentiles over every query of a set, the figures the peer table compares.
//!
//! ```text
//! cargo bench --bench fts5_peer -- --db turns.db --queries queries.tsv [--rounds N]
//! cargo bench --bench fts5_peer -- --queries queries.tsv --print-fts5
//! ```
//!
//! The database holds a table `turns(talk, turn, text)` made with `fts5` (as peers.sh builds it
//! with the sqlite3 CLI). Without `--db`, an in-memory table of the seed generated 20× is
//! used; without `--queries`, the shipped set. `--print-fts5` prints each query translated to
//! FTS5 syntax, one a line, and stops.

mod common;

use std::time::{Duration, Instant};
use talksearch::bench::{LatencyStats, QuerySet, fts5_query};

struct Args {
    db: Option<String>,
    queries: Option<String>,
    rounds: usize,
    print_fts5: bool,
}

fn parse_args() -> Args {
    let mut args = Args { db: None, queries: None, rounds: 5, print_fts5: false };
    let mut words = std::env::args().skip(1);
    while let Some(word) = words.next() {
        let mut value = || words.next().unwrap_or_else(|| panic!("{word} needs a value"));
        match word.as_str() {
            "--db" => args.db = Some(value()),
            "--queries" => args.queries = Some(value()),
            "--rounds" => args.rounds = value().parse().expect("--rounds takes a number"),
            "--print-fts5" => args.print_fts5 = true,
            // What `cargo bench` passes to every bench.
            "--bench" => {}
            other => panic!("unknown argument {other:?}; see the top of benches/fts5_peer.rs"),
        }
    }
    args
}

fn main() {
    let args = parse_args();
    let set = match &args.queries {
        Some(path) => QuerySet::parse(&std::fs::read_to_string(path).expect("the query file reads"))
            .expect("the query file parses"),
        None => QuerySet::default_set(),
    };
    let translated: Vec<String> = set.queries.iter().map(|q| fts5_query(&q.query)).collect();
    if args.print_fts5 {
        for query in &translated {
            println!("{query}");
        }
        return;
    }
    let connection = match &args.db {
        Some(path) => rusqlite::Connection::open_with_flags(path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .expect("the FTS5 database opens"),
        None => common::fts5(&common::parsed(&common::generated(20))),
    };
    let mut statement = connection.prepare(common::FTS5_SEARCH).expect("the FTS5 query prepares");
    // One untimed round: the page cache and SQLite's own cache warm up, as for talksearch bench.
    for query in &translated {
        common::fts5_search(&mut statement, query);
    }
    let mut per_query: Vec<Vec<Duration>> = vec![Vec::with_capacity(args.rounds); translated.len()];
    for _ in 0..args.rounds {
        for (query, samples) in translated.iter().zip(&mut per_query) {
            let started = Instant::now();
            let rows = common::fts5_search(&mut statement, query);
            samples.push(started.elapsed());
            assert!(rows.len() <= 10);
        }
    }
    let all: Vec<Duration> = per_query.iter().flatten().copied().collect();
    let medians: Vec<Duration> =
        per_query.iter().map(|samples| talksearch::bench::percentile(&sorted(samples), 50.0)).collect();
    let report = serde_json::json!({
        "tool": "sqlite-fts5",
        "sqlite_version": rusqlite::version(),
        "queries": translated.len(),
        "rounds": args.rounds,
        "latency": LatencyStats::from_samples(&all),
        "query_medians": LatencyStats::from_samples(&medians),
    });
    println!("{}", serde_json::to_string_pretty(&report).expect("the report serialises"));
}

fn sorted(samples: &[Duration]) -> Vec<Duration> {
    let mut sorted = samples.to_vec();
    sorted.sort_unstable();
    sorted
}
