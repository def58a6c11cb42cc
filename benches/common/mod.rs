//! What the benches share: the shipped seed, corpora generated from it, in-memory indexes of
//! them, and an SQLite FTS5 table of the same turns for side-by-side figures.

// Each bench uses only some of these helpers; the rest are dead code in that bench's crate.
#![allow(dead_code)]

use rusqlite::Connection;
use std::path::PathBuf;
use talksearch::bench::generate::{GenerateOptions, GeneratedTalk, Generator, OutputFormat, TurnPool};
use talksearch::formats::Format;
use talksearch::index::{IndexedTalk, TalkIndex};
use talksearch::ingest::{self, IngestOptions, SourceFile};
use talksearch::model::Talk;

/// The shipped seed folder.
pub fn seeds_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("seeds")
}

/// The seed talks, read as `talksearch index` reads them: (id, file bytes, talk).
pub fn seed_talks() -> Vec<(String, usize, Talk)> {
    let options = IngestOptions::default();
    ingest::discover(&[seeds_dir()])
        .files
        .iter()
        .map(|path| {
            let file = SourceFile::read(path, &options).expect("the seed reads");
            let parsed = ingest::parse(file, &options).expect("the seed parses");
            (parsed.id, parsed.bytes, parsed.talk)
        })
        .collect()
}

/// `scale`× the seed's turns in generated talks (seed 1, as `talksearch generate` by default).
pub fn generated(scale: usize) -> Vec<GeneratedTalk> {
    let (pool, errors) = TurnPool::load(&[seeds_dir()]);
    assert!(errors.is_empty(), "the seed reads: {errors:?}");
    Generator::new(&pool, &GenerateOptions { scale, ..GenerateOptions::default() }).collect()
}

/// The parser that reads a generated format.
pub fn parser_of(format: OutputFormat) -> Format {
    match format {
        OutputFormat::WebVtt => Format::WebVtt,
        OutputFormat::SubRip => Format::SubRip,
        OutputFormat::SpeakerMarkdown => Format::SpeakerText,
        OutputFormat::WhisperJson => Format::Json,
    }
}

/// Generated talks parsed back, as the indexer gets them: (id, file bytes, talk).
pub fn parsed(talks: &[GeneratedTalk]) -> Vec<(String, usize, Talk)> {
    talks
        .iter()
        .map(|generated| {
            let text = generated.render();
            let mut talk = parser_of(generated.format).parse(&text).expect("generated talks parse");
            talk.estimate_times(talksearch::model::DEFAULT_WORDS_PER_MINUTE);
            (generated.id.clone(), text.len(), talk)
        })
        .collect()
}

/// A fresh in-memory index of `talks`, committed.
pub fn ram_index(talks: &[(String, usize, Talk)]) -> TalkIndex {
    let index = TalkIndex::in_ram();
    let mut writer = index.writer(100_000_000).expect("a writer on a fresh index");
    for (id, _, talk) in talks {
        let source = format!("/bench/{id}");
        let indexed = IndexedTalk { talk, id, source: &source, format: "bench", fingerprint: "-" };
        writer.replace(&indexed).expect("indexing in memory");
    }
    writer.commit().expect("commit");
    index
}

/// The FTS5 query the side-by-side runs: BM25 order, top 10, a snippet with the matches marked.
pub const FTS5_SEARCH: &str = "SELECT talk, CAST(turn AS INTEGER), snippet(turns, 2, '[', ']', '…', 24) FROM turns \
     WHERE turns MATCH ?1 ORDER BY rank LIMIT 10";

/// An in-memory FTS5 table of the turns of `talks`, stemmed and folded like talksearch's
/// analyzer (Porter stemmer over unicode61 without diacritics).
pub fn fts5(talks: &[(String, usize, Talk)]) -> Connection {
    let connection = Connection::open_in_memory().expect("SQLite in memory");
    connection
        .execute_batch(
            "CREATE VIRTUAL TABLE turns USING fts5(talk UNINDEXED, turn UNINDEXED, text, \
             tokenize = 'porter unicode61 remove_diacritics 2')",
        )
        .expect("FTS5 is built into the bundled SQLite");
    let transaction = connection.unchecked_transaction().expect("a transaction");
    {
        let mut insert =
            transaction.prepare("INSERT INTO turns (talk, turn, text) VALUES (?1, ?2, ?3)").expect("insert statement");
        for (id, _, talk) in talks {
            for (number, turn) in talk.turns.iter().enumerate() {
                insert.execute((id, number as i64 + 1, &turn.text)).expect("insert a turn");
            }
        }
    }
    transaction.commit().expect("commit");
    connection
}

/// Runs one FTS5 query; returns the rows (talk, turn, snippet).
pub fn fts5_search(statement: &mut rusqlite::Statement<'_>, query: &str) -> Vec<(String, i64, String)> {
    statement
        .query_map([query], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))
        .expect("an FTS5 query")
        .collect::<Result<_, _>>()
        .expect("FTS5 rows")
}
