//! Measuring how fast an index answers: a query set in, a [`Report`] of latencies out.
//!
//! [`run`] drives an open [`Searcher`] through a warm-up and then timed rounds over a
//! [`QuerySet`], once with everything a user sees (top hits with snippets, as `talksearch search`
//! prints them) and once with the bare ranking (the same query, top hits and count, no stored
//! documents read and no snippets), on one thread and on several. It measures and never judges:
//! no time is asserted anywhere, so a slow machine gives a slow report, not a failure.
//!
//! Time comes from a [`Clock`], so tests can run the whole runner with a fake one. The module
//! drives `search` and `index`; it never prints and knows nothing of the command line.
//! [`generate`] builds the scale corpora the benchmarks run on.

pub mod generate;

use crate::index::{IndexError, TALK_KIND, TalkIndex};
use crate::search::{SearchError, SearchRequest, Searcher};
use serde::Serialize;
use std::path::Path;
use std::time::{Duration, Instant};
use tantivy::Term;
use tantivy::collector::Count;
use tantivy::query::TermQuery;
use tantivy::schema::IndexRecordOption;

/// The query set shipped with talksearch (`benches/queries.tsv`), used when none is given.
pub const DEFAULT_QUERIES: &str = include_str!("../../benches/queries.tsv");

/// Errors from benchmarking.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum BenchError {
    /// A line of a query file that is not `CLASS<TAB>QUERY`.
    #[error("line {line}: {reason}")]
    QueryFile {
        /// 1-based line number.
        line: usize,
        /// What is wrong and how to write it instead.
        reason: String,
    },
    /// A query set without a single query that runs.
    #[error("the query set has no query that runs; write one CLASS<TAB>QUERY line per query")]
    NoQueries,
    /// A query of the set failed.
    #[error("{class} query {query:?}: {source}")]
    Query {
        /// The query's class.
        class: String,
        /// The query.
        query: String,
        /// Why it failed (boxed: it is large, and errors travel through every `Result` here).
        source: Box<SearchError>,
    },
    /// The index cannot be read.
    #[error(transparent)]
    Index(#[from] IndexError),
}

/// A `Result` with [`BenchError`].
pub type Result<T> = std::result::Result<T, BenchError>;

/// One query of a set, with the class it is reported under.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BenchQuery {
    /// The class, e.g. `rare` or `phrase`.
    pub class: String,
    /// The query, in talksearch's syntax.
    pub query: String,
}

/// The queries a benchmark runs, in file order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuerySet {
    /// The queries.
    pub queries: Vec<BenchQuery>,
}

impl QuerySet {
    /// The set shipped with talksearch.
    pub fn default_set() -> QuerySet {
        QuerySet::parse(DEFAULT_QUERIES).expect("the shipped query set parses (tested)")
    }

    /// Reads `CLASS<TAB>QUERY` lines; blank lines and lines starting with `#` are skipped.
    pub fn parse(text: &str) -> Result<QuerySet> {
        let mut queries = Vec::new();
        for (index, line) in text.lines().enumerate() {
            let line = line.trim_end_matches('\r');
            if line.trim().is_empty() || line.trim_start().starts_with('#') {
                continue;
            }
            let error = |reason: &str| BenchError::QueryFile { line: index + 1, reason: reason.to_string() };
            let (class, query) =
                line.split_once('\t').ok_or_else(|| error("expected CLASS<TAB>QUERY (a tab after the class)"))?;
            let (class, query) = (class.trim(), query.trim());
            if class.is_empty() {
                return Err(error("the class before the tab is empty"));
            }
            if query.is_empty() {
                return Err(error("the query after the tab is empty"));
            }
            queries.push(BenchQuery { class: class.to_string(), query: query.to_string() });
        }
        if queries.is_empty() {
            return Err(BenchError::NoQueries);
        }
        Ok(QuerySet { queries })
    }

    /// The classes, in the order they first appear.
    pub fn classes(&self) -> Vec<&str> {
        let mut classes: Vec<&str> = Vec::new();
        for query in &self.queries {
            if !classes.contains(&query.class.as_str()) {
                classes.push(&query.class);
            }
        }
        classes
    }
}

/// What is measured.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    /// [`Searcher::search`]: ranking, stored documents and snippets, as `talksearch search`.
    WithSnippets,
    /// The same query ranked by tantivy alone: top hits and count, nothing read or highlighted.
    WithoutSnippets,
}

impl Mode {
    /// A short name for tables.
    pub fn name(self) -> &'static str {
        match self {
            Mode::WithSnippets => "with snippets",
            Mode::WithoutSnippets => "without snippets",
        }
    }
}

/// How a benchmark runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BenchPlan {
    /// Untimed rounds over the whole set first, so that the timed rounds see warm caches.
    pub warmup_rounds: usize,
    /// Timed rounds over the whole set.
    pub rounds: usize,
    /// Threads for the throughput run (1 skips it: the one-thread figure stands for both).
    pub threads: usize,
    /// Hits asked for per query.
    pub limit: usize,
    /// Words as typed only (`search --exact`): run with and without to see what close forms cost.
    pub exact: bool,
    /// What to measure, in order.
    pub modes: Vec<Mode>,
}

impl Default for BenchPlan {
    fn default() -> BenchPlan {
        BenchPlan {
            warmup_rounds: 2,
            rounds: 20,
            threads: std::thread::available_parallelism().map_or(1, |n| n.get()),
            limit: 10,
            exact: false,
            modes: vec![Mode::WithSnippets, Mode::WithoutSnippets],
        }
    }
}

/// A source of elapsed time, so that the runner can be tested with a fake one.
pub trait Clock: Sync {
    /// Time since some fixed origin; never goes backwards.
    fn now(&self) -> Duration;
}

/// The real, monotonic clock.
pub struct SystemClock {
    origin: Instant,
}

impl SystemClock {
    /// A clock whose origin is now.
    pub fn new() -> SystemClock {
        SystemClock { origin: Instant::now() }
    }
}

impl Default for SystemClock {
    fn default() -> SystemClock {
        SystemClock::new()
    }
}

impl Clock for SystemClock {
    fn now(&self) -> Duration {
        self.origin.elapsed()
    }
}

/// Latency figures of a group of timed queries, in milliseconds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct LatencyStats {
    /// Timed queries.
    pub samples: usize,
    /// Arithmetic mean.
    pub mean_ms: f64,
    /// Median.
    pub p50_ms: f64,
    /// 95th percentile.
    pub p95_ms: f64,
    /// 99th percentile.
    pub p99_ms: f64,
    /// Slowest.
    pub max_ms: f64,
}

impl LatencyStats {
    /// The figures of `samples`, in any order; all zero when there are none.
    pub fn from_samples(samples: &[Duration]) -> LatencyStats {
        if samples.is_empty() {
            return LatencyStats::default();
        }
        let mut sorted = samples.to_vec();
        sorted.sort_unstable();
        let total: Duration = sorted.iter().sum();
        let ms = |d: Duration| d.as_secs_f64() * 1e3;
        LatencyStats {
            samples: sorted.len(),
            mean_ms: ms(total) / sorted.len() as f64,
            p50_ms: ms(percentile(&sorted, 50.0)),
            p95_ms: ms(percentile(&sorted, 95.0)),
            p99_ms: ms(percentile(&sorted, 99.0)),
            max_ms: ms(sorted[sorted.len() - 1]),
        }
    }
}

/// The `percent` percentile of `sorted` (ascending, not empty) by the nearest-rank method: the
/// smallest sample with at least `percent`% of the samples at or below it. It is always a
/// sample that was measured, never an interpolation between two.
pub fn percentile(sorted: &[Duration], percent: f64) -> Duration {
    assert!(!sorted.is_empty(), "percentile of no samples");
    let rank = (percent / 100.0 * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

/// The latency of one class of queries.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ClassLatency {
    /// The class.
    pub class: String,
    /// Queries in the class.
    pub queries: usize,
    /// Their latencies over all timed rounds.
    pub latency: LatencyStats,
}

/// How long one query took over the timed rounds.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct QueryLatency {
    /// The query's class.
    pub class: String,
    /// The query.
    pub query: String,
    /// Its latencies.
    pub latency: LatencyStats,
}

/// Queries listed as the slowest of a mode: the few that make its tail.
pub const SLOWEST_LISTED: usize = 5;

/// What one [`Mode`] measured.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ModeReport {
    /// What was measured.
    pub mode: Mode,
    /// Every timed query.
    pub overall: LatencyStats,
    /// Per class, in the set's order.
    pub classes: Vec<ClassLatency>,
    /// The [`SLOWEST_LISTED`] queries with the highest median, slowest first: what the
    /// high percentiles are made of.
    pub slowest: Vec<QueryLatency>,
    /// Queries per second, one after the other on one thread.
    pub qps_one_thread: f64,
    /// Queries per second with [`BenchPlan::threads`] threads searching at once.
    pub qps_all_threads: f64,
}

/// What the index holds and takes.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct IndexStats {
    /// The index folder.
    pub path: String,
    /// Bytes of its files on disk; `None` for an index in memory.
    pub bytes_on_disk: Option<u64>,
    /// tantivy documents: passages plus one per talk.
    pub documents: u64,
    /// Talks.
    pub talks: u64,
    /// Turns.
    pub turns: u64,
    /// Segments.
    pub segments: usize,
}

impl IndexStats {
    /// Counts what `index` holds.
    pub fn of(index: &TalkIndex) -> Result<IndexStats> {
        let searcher = index.reader()?.searcher();
        let count = |kind: &str| -> Result<u64> {
            let query = TermQuery::new(Term::from_field_text(index.fields().kind, kind), IndexRecordOption::Basic);
            let count = searcher.search(&query, &Count).map_err(|e| index.error(e))?;
            Ok(count as u64)
        };
        Ok(IndexStats {
            path: index.path().display().to_string(),
            bytes_on_disk: folder_bytes(index.path()),
            documents: searcher.num_docs(),
            talks: count(TALK_KIND)?,
            turns: count(crate::model::PassageKind::Turn.name())?,
            segments: searcher.segment_readers().len(),
        })
    }
}

/// Total size of the files in `folder` and below; `None` when it is not a folder.
fn folder_bytes(folder: &Path) -> Option<u64> {
    let entries = std::fs::read_dir(folder).ok()?;
    let mut total = 0;
    for entry in entries.flatten() {
        match entry.metadata() {
            Ok(meta) if meta.is_dir() => total += folder_bytes(&entry.path()).unwrap_or(0),
            Ok(meta) => total += meta.len(),
            Err(_) => {}
        }
    }
    Some(total)
}

/// A query of the set and what it gave when checked before timing.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CheckedQuery {
    /// The query's class.
    pub class: String,
    /// The query.
    pub query: String,
    /// Passages that match.
    pub matches: usize,
    /// Why the query cannot run, when it cannot; such a query is left out of the timing.
    pub error: Option<String>,
}

/// Everything a benchmark run found.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    /// The index searched.
    pub index: IndexStats,
    /// Untimed rounds run first.
    pub warmup_rounds: usize,
    /// Timed rounds.
    pub rounds: usize,
    /// Threads of the throughput run.
    pub threads: usize,
    /// Hits asked for per query.
    pub limit: usize,
    /// Whether close forms were off (`--exact`).
    pub exact: bool,
    /// Queries timed: those of the set that run.
    pub timed_queries: usize,
    /// One report per measured mode.
    pub modes: Vec<ModeReport>,
    /// Every query of the set with its match count or error, so that a report shows what the
    /// times were for.
    pub queries: Vec<CheckedQuery>,
}

/// Runs `queries` against `searcher` as `plan` says, timing with `clock`. Every query is run once
/// first; one that cannot run (a query error) is reported in [`Report::queries`] and left out of
/// the timing, so that one query the current version rejects does not hide the rest. An index
/// error stops the run.
pub fn run(searcher: &Searcher, queries: &QuerySet, plan: &BenchPlan, clock: &dyn Clock) -> Result<Report> {
    let all = Runner { searcher, queries: &queries.queries, classes: Vec::new(), limit: plan.limit, exact: plan.exact };
    let mut checked = Vec::with_capacity(queries.queries.len());
    let mut runnable = Vec::with_capacity(queries.queries.len());
    for (index, query) in queries.queries.iter().enumerate() {
        let outcome = all.run_one(Mode::WithSnippets, index).and_then(|matches| {
            all.run_one(Mode::WithoutSnippets, index)?;
            Ok(matches)
        });
        let (matches, error) = match outcome {
            Ok(matches) => {
                runnable.push(query.clone());
                (matches, None)
            }
            Err(BenchError::Query { source, .. }) if matches!(*source, SearchError::Query(_)) => {
                (0, Some(source.to_string()))
            }
            Err(other) => return Err(other),
        };
        checked.push(CheckedQuery { class: query.class.clone(), query: query.query.clone(), matches, error });
    }
    if runnable.is_empty() {
        return Err(BenchError::NoQueries);
    }
    let runnable = QuerySet { queries: runnable };
    let runner = Runner { queries: &runnable.queries, classes: runnable.classes(), ..all };
    let modes = runner.measure(&plan.modes, plan, clock)?;
    Ok(Report {
        index: IndexStats::of(searcher.index())?,
        warmup_rounds: plan.warmup_rounds,
        rounds: plan.rounds,
        threads: plan.threads.max(1),
        limit: plan.limit,
        exact: plan.exact,
        timed_queries: runnable.queries.len(),
        modes,
        queries: checked,
    })
}

/// Runs queries of a set by their position in it.
struct Runner<'a> {
    searcher: &'a Searcher,
    queries: &'a [BenchQuery],
    classes: Vec<&'a str>,
    limit: usize,
    exact: bool,
}

impl Runner<'_> {
    /// Runs query `index` once; returns how many passages matched.
    fn run_one(&self, mode: Mode, index: usize) -> Result<usize> {
        let query = &self.queries[index];
        let failed = |source| BenchError::Query {
            class: query.class.clone(),
            query: query.query.clone(),
            source: Box::new(source),
        };
        let request =
            SearchRequest { limit: self.limit, exact: self.exact, ..SearchRequest::new(query.query.as_str()) };
        match mode {
            Mode::WithSnippets => self.searcher.search(&request).map(|results| results.total).map_err(failed),
            Mode::WithoutSnippets => self.searcher.rank(&request).map(|ranking| ranking.total).map_err(failed),
        }
    }

    /// Times every query in each of `modes`. The modes take turns round by round, so that a
    /// machine that slows down or speeds up during the run shows in all of them alike, not as
    /// a difference between them.
    fn measure(&self, modes: &[Mode], plan: &BenchPlan, clock: &dyn Clock) -> Result<Vec<ModeReport>> {
        for _ in 0..plan.warmup_rounds {
            for &mode in modes {
                for index in 0..self.queries.len() {
                    self.run_one(mode, index)?;
                }
            }
        }
        // One thread: every query timed on its own; samples[mode][query].
        let mut samples = vec![vec![Vec::with_capacity(plan.rounds); self.queries.len()]; modes.len()];
        for _ in 0..plan.rounds {
            for (&mode, mode_samples) in modes.iter().zip(&mut samples) {
                for (index, query_samples) in mode_samples.iter_mut().enumerate() {
                    let before = clock.now();
                    self.run_one(mode, index)?;
                    query_samples.push(clock.now().saturating_sub(before));
                }
            }
        }
        let mut reports = Vec::with_capacity(modes.len());
        for (&mode, samples) in modes.iter().zip(&samples) {
            let all: Vec<Duration> = samples.iter().flatten().copied().collect();
            let qps_one_thread = per_second(all.len(), all.iter().sum());
            let qps_all_threads = if plan.threads > 1 {
                per_second(all.len() * plan.threads, self.all_threads(mode, plan, clock)?)
            } else {
                qps_one_thread
            };
            let mut classes: Vec<ClassLatency> = Vec::new();
            for &class in &self.classes {
                let members: Vec<usize> = (0..self.queries.len()).filter(|&i| self.queries[i].class == class).collect();
                let class_samples: Vec<Duration> = members.iter().flat_map(|&i| samples[i].iter().copied()).collect();
                classes.push(ClassLatency {
                    class: class.to_string(),
                    queries: members.len(),
                    latency: LatencyStats::from_samples(&class_samples),
                });
            }
            let mut slowest: Vec<QueryLatency> = (self.queries.iter().zip(samples))
                .map(|(query, samples)| QueryLatency {
                    class: query.class.clone(),
                    query: query.query.clone(),
                    latency: LatencyStats::from_samples(samples),
                })
                .collect();
            slowest.sort_by(|a, b| b.latency.p50_ms.total_cmp(&a.latency.p50_ms));
            slowest.truncate(SLOWEST_LISTED);
            reports.push(ModeReport {
                mode,
                overall: LatencyStats::from_samples(&all),
                classes,
                slowest,
                qps_one_thread,
                qps_all_threads,
            });
        }
        Ok(reports)
    }

    /// Wall time for `plan.threads` threads each running every timed round; each thread starts
    /// at another place in the set so that they do not all run the same query at once.
    fn all_threads(&self, mode: Mode, plan: &BenchPlan, clock: &dyn Clock) -> Result<Duration> {
        let count = self.queries.len();
        let started = clock.now();
        std::thread::scope(|scope| {
            let workers: Vec<_> = (0..plan.threads)
                .map(|thread| {
                    scope.spawn(move || -> Result<()> {
                        let offset = thread * count / plan.threads;
                        for _ in 0..plan.rounds {
                            for step in 0..count {
                                self.run_one(mode, (offset + step) % count)?;
                            }
                        }
                        Ok(())
                    })
                })
                .collect();
            workers.into_iter().try_for_each(|worker| worker.join().expect("a benchmark thread panicked"))
        })?;
        Ok(clock.now().saturating_sub(started))
    }
}

fn per_second(count: usize, elapsed: Duration) -> f64 {
    if elapsed.is_zero() { 0.0 } else { count as f64 / elapsed.as_secs_f64() }
}

/// Translates a talksearch query into SQLite FTS5 syntax, for running the same query set
/// through FTS5 side by side: every word becomes a quoted FTS5 string (so `we're` or `3.1` are
/// no syntax errors), `word*` stays a prefix, `"a phrase"` stays a phrase and `OR` stays `OR`.
/// Words are ANDed in both. Other syntax (`-word`, `field:word`, parentheses) has no
/// counterpart in the query set and is passed on as words.
pub fn fts5_query(query: &str) -> String {
    let mut parts: Vec<String> = Vec::new();
    let quoted = |word: &str| format!("\"{}\"", word.replace('"', "\"\""));
    for (index, piece) in query.split('"').enumerate() {
        if index % 2 == 1 {
            // Inside quotes: a phrase.
            let words: Vec<&str> = piece.split_whitespace().collect();
            if !words.is_empty() {
                parts.push(quoted(&words.join(" ")));
            }
            continue;
        }
        for word in piece.split_whitespace() {
            if word == "OR" {
                parts.push("OR".to_string());
                continue;
            }
            let prefix = word.ends_with('*');
            let core = word.trim_matches(|c: char| !c.is_alphanumeric());
            if core.is_empty() {
                continue;
            }
            parts.push(if prefix { format!("{}*", quoted(core)) } else { quoted(core) });
        }
    }
    // A dangling OR is a syntax error in FTS5.
    while parts.first().is_some_and(|p| p == "OR") {
        parts.remove(0);
    }
    while parts.last().is_some_and(|p| p == "OR") {
        parts.pop();
    }
    parts.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicU64, Ordering};

    fn ms(values: &[u64]) -> Vec<Duration> {
        values.iter().map(|&v| Duration::from_millis(v)).collect()
    }

    #[test]
    fn percentiles_use_the_nearest_rank() {
        let hundred: Vec<Duration> = ms(&(1..=100).collect::<Vec<_>>());
        assert_eq!(percentile(&hundred, 50.0), Duration::from_millis(50));
        assert_eq!(percentile(&hundred, 95.0), Duration::from_millis(95));
        assert_eq!(percentile(&hundred, 99.0), Duration::from_millis(99));
        assert_eq!(percentile(&hundred, 100.0), Duration::from_millis(100));
        assert_eq!(percentile(&hundred, 0.0), Duration::from_millis(1), "rank 0 is the smallest sample");

        let ten = ms(&[1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
        assert_eq!(percentile(&ten, 50.0), Duration::from_millis(5));
        assert_eq!(percentile(&ten, 95.0), Duration::from_millis(10), "ceil(9.5) = rank 10");
        assert_eq!(percentile(&ten, 91.0), Duration::from_millis(10));
        assert_eq!(percentile(&ten, 90.0), Duration::from_millis(9));

        let one = ms(&[7]);
        assert_eq!(percentile(&one, 1.0), Duration::from_millis(7));
        assert_eq!(percentile(&one, 99.0), Duration::from_millis(7));
    }

    #[test]
    fn stats_sort_their_samples_and_report_milliseconds() {
        let stats = LatencyStats::from_samples(&ms(&[40, 10, 30, 20, 100]));
        assert_eq!(stats.samples, 5);
        assert_eq!(stats.p50_ms, 30.0);
        assert_eq!(stats.p95_ms, 100.0);
        assert_eq!(stats.p99_ms, 100.0);
        assert_eq!(stats.max_ms, 100.0);
        assert_eq!(stats.mean_ms, 40.0);

        let micros = LatencyStats::from_samples(&[Duration::from_micros(250), Duration::from_micros(50)]);
        assert_eq!(micros.p50_ms, 0.05);
        assert_eq!(micros.max_ms, 0.25);

        assert_eq!(LatencyStats::from_samples(&[]), LatencyStats::default());
    }

    #[test]
    fn query_files_are_class_tab_query_lines() {
        let set =
            QuerySet::parse("# comment\n\nrare\tdistillation\r\nphrase\t\"synthetic data\"\nrare\tzoos\n").unwrap();
        assert_eq!(set.queries.len(), 3);
        assert_eq!(set.queries[1], BenchQuery { class: "phrase".into(), query: "\"synthetic data\"".into() });
        assert_eq!(set.classes(), ["rare", "phrase"]);

        let missing_tab = QuerySet::parse("rare\tok\nrare distillation\n").unwrap_err();
        assert!(matches!(missing_tab, BenchError::QueryFile { line: 2, .. }), "{missing_tab}");
        let empty_query = QuerySet::parse("rare\t  \n").unwrap_err();
        assert!(matches!(empty_query, BenchError::QueryFile { line: 1, .. }), "{empty_query}");
        assert!(matches!(QuerySet::parse("# only a comment\n"), Err(BenchError::NoQueries)));
    }

    #[test]
    fn the_shipped_query_set_has_every_class() {
        let set = QuerySet::default_set();
        assert!(set.queries.len() >= 60, "{} queries", set.queries.len());
        assert_eq!(set.classes(), ["rare", "common", "and", "phrase", "prefix", "misspelling", "quote"]);
        for quote in set.queries.iter().filter(|q| q.class == "quote") {
            let words = quote.query.split_whitespace().count();
            assert!((8..=20).contains(&words), "{:?} has {words} words", quote.query);
        }
    }

    #[test]
    fn queries_translate_to_fts5() {
        assert_eq!(fts5_query("distillation"), "\"distillation\"");
        assert_eq!(fts5_query("open source models"), "\"open\" \"source\" \"models\"");
        assert_eq!(fts5_query("\"synthetic data\" llama"), "\"synthetic data\" \"llama\"");
        assert_eq!(fts5_query("distill*"), "\"distill\"*");
        assert_eq!(fts5_query("we're at 3.1, right?"), "\"we're\" \"at\" \"3.1\" \"right\"");
        assert_eq!(fts5_query("llama OR mistral"), "\"llama\" OR \"mistral\"");
        assert_eq!(fts5_query("OR , OR"), "");
    }

    /// A clock that moves one millisecond every time it is read.
    struct TickingClock(AtomicU64);

    impl Clock for TickingClock {
        fn now(&self) -> Duration {
            Duration::from_millis(self.0.fetch_add(1, Ordering::SeqCst))
        }
    }

    /// A searcher over one plain-text talk, with estimated times.
    fn searcher_of(text: &str) -> Searcher {
        let mut talk = crate::formats::Format::PlainText.parse(text).unwrap();
        talk.estimate_times(150);
        Searcher::new(TalkIndex::in_ram_with(&talk)).unwrap()
    }

    #[test]
    fn runs_every_class_in_both_modes_with_a_fake_clock() {
        let searcher =
            searcher_of("We use distillation a lot.\n\nSynthetic data helps small models.\n\nOpen source wins.");

        let queries =
            QuerySet::parse("rare\tdistillation\nphrase\t\"synthetic data\"\nprefix\tdistill*\nrare\tnowhere\n")
                .unwrap();
        let plan = BenchPlan { warmup_rounds: 1, rounds: 3, threads: 2, ..BenchPlan::default() };
        let report = run(&searcher, &queries, &plan, &TickingClock(AtomicU64::new(0))).unwrap();

        assert_eq!(report.index.talks, 1);
        assert_eq!(report.index.turns, 3);
        assert_eq!(report.index.documents, 4, "three turns and the talk");
        assert_eq!(report.index.bytes_on_disk, None);
        let matches: Vec<usize> = report.queries.iter().map(|q| q.matches).collect();
        assert_eq!(matches, [1, 1, 1, 0]);
        assert_eq!(report.modes.len(), 2);
        for mode in &report.modes {
            // The ticking clock is read twice per timed query: every query takes exactly 1 ms.
            assert_eq!(mode.overall.samples, 12);
            assert_eq!((mode.overall.p50_ms, mode.overall.max_ms), (1.0, 1.0));
            let classes: Vec<(&str, usize, usize)> =
                mode.classes.iter().map(|c| (c.class.as_str(), c.queries, c.latency.samples)).collect();
            assert_eq!(classes, [("rare", 2, 6), ("phrase", 1, 3), ("prefix", 1, 3)]);
            assert!(mode.qps_one_thread > 0.0 && mode.qps_all_threads > 0.0);
        }
        let json = serde_json::to_value(&report).unwrap();
        assert_eq!(json["modes"][1]["mode"], "without_snippets");
    }

    /// A clock on a machine that slows down: the n-th reading is n² milliseconds.
    struct SlowingClock(AtomicU64);

    impl Clock for SlowingClock {
        fn now(&self) -> Duration {
            let reading = self.0.fetch_add(1, Ordering::SeqCst);
            Duration::from_millis(reading * reading)
        }
    }

    #[test]
    fn modes_take_turns_so_that_drift_shows_in_both() {
        let searcher = searcher_of("We use distillation a lot.\n\nOpen source wins.");
        let queries = QuerySet::parse("rare\tdistillation\nrare\topen\n").unwrap();
        let plan = BenchPlan { warmup_rounds: 0, rounds: 6, threads: 1, ..BenchPlan::default() };
        let report = run(&searcher, &queries, &plan, &SlowingClock(AtomicU64::new(0))).unwrap();
        let (first, second) = (&report.modes[0].overall, &report.modes[1].overall);
        // Run one mode after the other, every sample of the second would be slower than every
        // sample of the first.
        assert!(first.max_ms > second.p50_ms && second.max_ms > first.p50_ms, "{first:?} {second:?}");
        // Within a round the second query is timed later, so on this clock it is the slower.
        for mode in &report.modes {
            let slowest: Vec<&str> = mode.slowest.iter().map(|q| q.query.as_str()).collect();
            assert_eq!(slowest, ["open", "distillation"]);
            assert!(mode.slowest[0].latency.p50_ms > mode.slowest[1].latency.p50_ms);
            assert_eq!(mode.slowest[0].latency.samples, 6);
        }
    }

    #[test]
    fn exact_runs_without_close_forms() {
        let searcher = searcher_of("We use distillation a lot.");
        let queries = QuerySet::parse("misspelling\tdestillation\n").unwrap();
        let matches = |exact| {
            let plan = BenchPlan { warmup_rounds: 0, rounds: 1, threads: 1, exact, ..BenchPlan::default() };
            let report = run(&searcher, &queries, &plan, &SystemClock::new()).unwrap();
            assert_eq!(report.exact, exact);
            report.queries[0].matches
        };
        assert_eq!((matches(false), matches(true)), (1, 0), "the near spelling is found only with close forms");
    }

    #[test]
    fn queries_that_cannot_run_are_reported_and_not_timed() {
        let searcher = Searcher::new(TalkIndex::in_ram()).unwrap();
        let plan = BenchPlan { warmup_rounds: 0, rounds: 1, threads: 1, ..BenchPlan::default() };
        let queries = QuerySet::parse("broken\t\"unclosed\nrare\tword\n").unwrap();
        let report = run(&searcher, &queries, &plan, &SystemClock::new()).unwrap();
        assert_eq!(report.timed_queries, 1);
        assert!(report.queries[0].error.as_deref().is_some_and(|e| e.contains("unclosed")), "{:?}", report.queries);
        assert_eq!(report.queries[1].error, None);
        let classes: Vec<&str> = report.modes[0].classes.iter().map(|c| c.class.as_str()).collect();
        assert_eq!(classes, ["rare"]);

        let only_broken = QuerySet::parse("broken\t\"unclosed\n").unwrap();
        let error = run(&searcher, &only_broken, &plan, &SystemClock::new()).unwrap_err();
        assert!(matches!(error, BenchError::NoQueries), "{error}");
    }
}
