//! Relevance, measured: how often a quote's passage comes first, or in the first three.
//!
//! An evaluation set is a TSV file (`eval/quotes.tsv`): one quote a line with the kind of
//! alteration made to it (`exact`, `drop`, `synonym`, `asr`, `reorder`, `name`), the file it
//! comes from (`seeds/…` or `corpus/<folder>/<file>`) and the turn where it was said. Each
//! quote is looked up with [`Searcher::quote`]; the same set also runs through SQLite FTS5
//! (bm25, in memory, over the same turns) and ripgrep (fixed string, when installed), so the
//! numbers have something to be compared with. Nothing here prints.

use crate::search::{SearchError, SearchRequest, Searcher};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use tantivy::collector::DocSetCollector;
use tantivy::query::TermQuery;
use tantivy::schema::IndexRecordOption;

/// Hits looked at per quote: a passage ranked lower counts as not found.
pub const DEPTH: usize = 10;

/// Errors from reading an evaluation set or running it.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum EvalError {
    /// The file cannot be read.
    #[error("cannot read {path}: {source}")]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// A line is not `kind TAB source TAB turn TAB quote [TAB original]`.
    #[error("{path}:{line}: {reason}")]
    Line {
        /// The file.
        path: PathBuf,
        /// 1-based line.
        line: usize,
        /// What is wrong.
        reason: String,
    },
    /// Searching failed.
    #[error(transparent)]
    Search(#[from] SearchError),
    /// SQLite failed.
    #[error("SQLite FTS5: {0}")]
    Sqlite(#[from] rusqlite::Error),
}

/// One quote of the set.
#[derive(Debug, Clone, PartialEq)]
pub struct EvalQuote {
    /// The kind of alteration: `exact`, or what was changed.
    pub kind: String,
    /// The file it comes from: `seeds/…` or `corpus/<folder>/<file>`.
    pub source: String,
    /// The turn (1-based) where it was said.
    pub turn: u64,
    /// The quote, as a person would type it.
    pub quote: String,
    /// The words as said, for altered quotes.
    pub original: Option<String>,
}

impl EvalQuote {
    /// True when `path` (absolute, as indexed) is this quote's file.
    pub fn is_source(&self, path: &str) -> bool {
        let relative = self.source.strip_prefix("corpus/").unwrap_or(&self.source);
        path.strip_suffix(relative).is_some_and(|head| head.is_empty() || head.ends_with('/'))
    }
}

/// Reads an evaluation set; `#` starts a comment line.
pub fn read_quotes(path: &Path) -> Result<Vec<EvalQuote>, EvalError> {
    let text = std::fs::read_to_string(path).map_err(|source| EvalError::Read { path: path.to_path_buf(), source })?;
    let mut quotes = Vec::new();
    for (number, line) in text.lines().enumerate() {
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let bad = |reason: &str| EvalError::Line { path: path.to_path_buf(), line: number + 1, reason: reason.into() };
        let columns: Vec<&str> = line.split('\t').collect();
        let [kind, source, turn, quote, rest @ ..] = columns.as_slice() else {
            return Err(bad("expected kind, source, turn and quote separated by tabs"));
        };
        let turn = turn.parse().map_err(|_| bad("the turn is not a number"))?;
        quotes.push(EvalQuote {
            kind: kind.to_string(),
            source: source.to_string(),
            turn,
            quote: quote.to_string(),
            original: rest.first().map(|s| s.to_string()),
        });
    }
    Ok(quotes)
}

/// Scores of one engine on one kind of quote.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct Scores {
    /// Quotes.
    pub count: usize,
    /// Share found first.
    pub top1: f64,
    /// Share found in the first three.
    pub top3: f64,
    /// Mean reciprocal rank (0 when not in the first [`DEPTH`]).
    pub mrr: f64,
}

/// One engine's scores per kind, plus `altered` (every kind but `exact`) and `all`.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct EngineReport {
    /// The engine and how it was asked.
    pub engine: String,
    /// Why it did not run, when it did not.
    pub missing: Option<String>,
    /// Scores by kind.
    pub kinds: BTreeMap<String, Scores>,
    /// Quotes not found in the first [`DEPTH`], for review: (kind, quote).
    pub misses: Vec<(String, String)>,
}

impl EngineReport {
    fn new(engine: &str) -> EngineReport {
        EngineReport { engine: engine.to_string(), ..EngineReport::default() }
    }

    /// Scores from the rank (1-based) of the right passage per quote, `None` when not found.
    fn from_ranks(engine: &str, quotes: &[EvalQuote], ranks: &[Option<usize>]) -> EngineReport {
        let mut report = EngineReport::new(engine);
        let mut sums: BTreeMap<String, (usize, usize, usize, f64)> = BTreeMap::new();
        for (quote, rank) in quotes.iter().zip(ranks) {
            let groups = [quote.kind.as_str(), if quote.kind == "exact" { "exact" } else { "altered" }, "all"];
            let mut counted: Vec<&str> = Vec::new();
            for group in groups {
                if counted.contains(&group) {
                    continue;
                }
                counted.push(group);
                let sum = sums.entry(group.to_string()).or_default();
                sum.0 += 1;
                sum.1 += usize::from(*rank == Some(1));
                sum.2 += usize::from(rank.is_some_and(|r| r <= 3));
                sum.3 += rank.map_or(0.0, |r| 1.0 / r as f64);
            }
            if rank.is_none() {
                report.misses.push((quote.kind.clone(), quote.quote.clone()));
            }
        }
        for (group, (count, top1, top3, reciprocal)) in sums {
            let share = |n: usize| n as f64 / count.max(1) as f64;
            report.kinds.insert(
                group,
                Scores { count, top1: share(top1), top3: share(top3), mrr: reciprocal / count.max(1) as f64 },
            );
        }
        report
    }
}

/// Runs every quote through [`Searcher::quote`] (turns only, first [`DEPTH`] hits).
pub fn run_talksearch(searcher: &Searcher, quotes: &[EvalQuote], exact: bool) -> Result<EngineReport, EvalError> {
    let mut ranks = Vec::with_capacity(quotes.len());
    for quote in quotes {
        let request = SearchRequest { limit: DEPTH, exact, ..SearchRequest::new(quote.quote.clone()) };
        let results = searcher.quote(&request)?;
        let rank = results.hits.iter().position(|hit| {
            let (first, last) = hit.quote.as_ref().map_or((hit.turn, hit.turn), |q| q.turns);
            quote.is_source(&hit.source.path) && (first..=last).contains(&quote.turn)
        });
        ranks.push(rank.map(|r| r + 1));
    }
    let engine = if exact { "talksearch quote --exact" } else { "talksearch quote" };
    Ok(EngineReport::from_ranks(engine, quotes, &ranks))
}

/// How an FTS5 query combines the quote's words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fts5Mode {
    /// Every word must be there (FTS5's default for words in a row).
    AllWords,
    /// Any word may be there, ranked by bm25.
    AnyWord,
}

/// Runs every quote through SQLite FTS5 (porter stemming, bm25) over the index's turns.
pub fn run_fts5(searcher: &Searcher, quotes: &[EvalQuote], modes: &[Fts5Mode]) -> Result<Vec<EngineReport>, EvalError> {
    let connection = rusqlite::Connection::open_in_memory()?;
    connection.execute_batch(
        "CREATE VIRTUAL TABLE turns USING fts5(text, source UNINDEXED, turn UNINDEXED, \
         tokenize = 'porter unicode61 remove_diacritics 2');",
    )?;
    load_turns(searcher, &connection)?;
    let mut statement =
        connection.prepare("SELECT source, turn FROM turns WHERE turns MATCH ?1 ORDER BY bm25(turns) LIMIT ?2")?;
    let mut reports = Vec::new();
    for &mode in modes {
        let mut ranks = Vec::with_capacity(quotes.len());
        for quote in quotes {
            let words: Vec<String> = quote
                .quote
                .split(|c: char| !c.is_alphanumeric())
                .filter(|w| !w.is_empty())
                .map(|w| format!("\"{w}\""))
                .collect();
            let joiner = if mode == Fts5Mode::AllWords { " " } else { " OR " };
            let rows = statement.query_map(rusqlite::params![words.join(joiner), DEPTH as i64], |row| {
                Ok((row.get::<_, String>(0)?, row.get::<_, i64>(1)?))
            })?;
            let mut rank = None;
            for (position, row) in rows.enumerate() {
                let (source, turn) = row?;
                if rank.is_none() && quote.is_source(&source) && turn as u64 == quote.turn {
                    rank = Some(position + 1);
                }
            }
            ranks.push(rank);
        }
        let engine = match mode {
            Fts5Mode::AllWords => "SQLite FTS5 bm25, all words",
            Fts5Mode::AnyWord => "SQLite FTS5 bm25, any word",
        };
        reports.push(EngineReport::from_ranks(engine, quotes, &ranks));
    }
    Ok(reports)
}

/// Copies every turn of the index into the FTS5 table.
fn load_turns(searcher: &Searcher, connection: &rusqlite::Connection) -> Result<(), EvalError> {
    let index = searcher.index();
    let fields = index.fields();
    let reader = index.reader().map_err(SearchError::Index)?;
    let tantivy_searcher = reader.searcher();
    let turn_kind = tantivy::Term::from_field_text(fields.kind, crate::model::PassageKind::Turn.name());
    let query = TermQuery::new(turn_kind, IndexRecordOption::Basic);
    let error = |e| EvalError::Search(SearchError::Index(index.error(e)));
    let addresses = tantivy_searcher.search(&query, &DocSetCollector).map_err(error)?;
    let stores = index.stores(&tantivy_searcher).map_err(SearchError::Index)?;
    connection.execute_batch("BEGIN")?;
    {
        let mut insert = connection.prepare("INSERT INTO turns (text, source, turn) VALUES (?1, ?2, ?3)")?;
        for address in addresses {
            let record = index.record(&stores, address).map_err(SearchError::Index)?;
            let turn = crate::index::facts::decode(&record.facts).map_or(0, |facts| facts.number);
            insert.execute(rusqlite::params![record.text, record.source, turn as i64])?;
        }
    }
    connection.execute_batch("COMMIT")?;
    Ok(())
}

/// Runs every quote through ripgrep as a fixed string, case-insensitive, over the indexed
/// files. ripgrep knows lines, not turns: a quote counts as found when its file is listed, at
/// the file's place in the list (sorted by path).
pub fn run_ripgrep(files: &[PathBuf], quotes: &[EvalQuote]) -> EngineReport {
    let engine = "ripgrep -F -i (file level)";
    if Command::new("rg").arg("--version").output().is_err() {
        let mut report = EngineReport::new(engine);
        report.missing = Some("rg is not installed".into());
        return report;
    }
    let mut ranks = Vec::with_capacity(quotes.len());
    for quote in quotes {
        let output = Command::new("rg")
            .args(["-F", "-i", "-l", "--sort", "path", "--no-messages", "-e", &quote.quote, "--"])
            .args(files)
            .output();
        let rank = output.ok().and_then(|output| {
            String::from_utf8_lossy(&output.stdout)
                .lines()
                .take(DEPTH)
                .position(|line| quote.is_source(line))
                .map(|p| p + 1)
        });
        ranks.push(rank);
    }
    EngineReport::from_ranks(engine, quotes, &ranks)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn quote(kind: &str, source: &str) -> EvalQuote {
        EvalQuote { kind: kind.into(), source: source.into(), turn: 3, quote: "q".into(), original: None }
    }

    #[test]
    fn sources_match_on_whole_path_components() {
        let q = quote("exact", "corpus/ted-talks-md/talk.md");
        assert!(q.is_source("/work/shared/corpus/ted-talks-md/talk.md"));
        assert!(!q.is_source("/work/shared/corpus/ted-talks-md/my-talk.md"));
        assert!(quote("exact", "seeds/a.txt").is_source("/repo/seeds/a.txt"));
    }

    #[test]
    fn scores_per_kind_with_altered_and_all() {
        let quotes = [quote("exact", "a"), quote("exact", "a"), quote("drop", "a"), quote("asr", "a")];
        let report = EngineReport::from_ranks("x", &quotes, &[Some(1), Some(2), Some(3), None]);
        assert_eq!(report.kinds["exact"], Scores { count: 2, top1: 0.5, top3: 1.0, mrr: 0.75 });
        assert_eq!(report.kinds["altered"].count, 2);
        assert!((report.kinds["altered"].mrr - 1.0 / 6.0).abs() < 1e-9);
        assert_eq!(report.kinds["all"].count, 4);
        assert_eq!(report.misses, [("asr".to_string(), "q".to_string())]);
    }

    #[test]
    fn reads_tab_separated_quotes_and_names_bad_lines() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("q.tsv");
        std::fs::write(&path, "# kind\tsource\tturn\tquote\nexact\tseeds/a.txt\t4\tthe moat\ndrop\tx\t2\tb\ta b\n")
            .unwrap();
        let quotes = read_quotes(&path).unwrap();
        assert_eq!(quotes.len(), 2);
        assert_eq!(quotes[1].original.as_deref(), Some("a b"));
        std::fs::write(&path, "exact\tseeds/a.txt\tfour\tthe moat\n").unwrap();
        let error = read_quotes(&path).unwrap_err().to_string();
        assert!(error.ends_with("q.tsv:1: the turn is not a number"), "{error}");
    }
}
