//! Turning talks into documents and writing them.

use super::facts::{self, PassageFacts};
use super::phonetic::{SoundStore, collect_words};
use super::record::{DictionaryStore, Record, RecordCompressor};
use super::{Fields, IndexError, Result, TALK_KIND, TalkIndex, TalkLabel, TalkRecord};
use crate::model::{PassageKind, Talk};
use rustc_hash::FxHashSet;
use std::path::PathBuf;
use tantivy::{IndexWriter, TantivyDocument, Term};

/// A parsed talk with what the index needs to know about where it came from.
pub struct IndexedTalk<'a> {
    /// The talk, with times filled in (see [`Talk::estimate_times`]).
    pub talk: &'a Talk,
    /// Talk id shown to users (the file's stem).
    pub id: &'a str,
    /// The source file's absolute path: the key that a later run replaces by.
    pub source: &'a str,
    /// Format name.
    pub format: &'a str,
    /// Content fingerprint, to skip the file next time when unchanged.
    pub fingerprint: &'a str,
}

/// The index's single writer; holds tantivy's lock until dropped.
pub struct TalkWriter {
    writer: IndexWriter,
    fields: Fields,
    path: PathBuf,
    sounds: SoundStore,
    /// Words written since the last commit, for the sound table.
    words: FxHashSet<String>,
    dictionaries: DictionaryStore,
    /// Chosen by [`TalkWriter::prepare`], from the first talks of the run.
    compressor: Option<RecordCompressor>,
}

impl TalkWriter {
    pub(super) fn new(index: &TalkIndex, memory_budget_bytes: usize) -> Result<TalkWriter> {
        // Half the cores: parsing keeps the other half busy. On two cores that is one indexing
        // thread, which writes one segment where two threads wrote four, at the same speed; a
        // search then opens a quarter of the files (CLI search 2.8 → 2.4 ms of CPU).
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        // tantivy wants at least 15 MB per indexing thread.
        let threads = (cores / 2).clamp(1, 4).min(memory_budget_bytes / 20_000_000).max(1);
        let writer = index
            .index()
            .writer_with_num_threads(threads, memory_budget_bytes.max(20_000_000 * threads))
            .map_err(|e| index.error(e))?;
        Ok(TalkWriter {
            writer,
            fields: index.fields().clone(),
            path: index.path().to_path_buf(),
            sounds: index.sound_store(),
            words: FxHashSet::default(),
            dictionaries: index.dictionary_store(),
            compressor: None,
        })
    }

    /// Whether [`TalkWriter::prepare`] has chosen already.
    pub fn is_prepared(&self) -> bool {
        self.compressor.is_some()
    }

    /// Chooses how this run compresses what its documents store, from `talks`, the first it
    /// writes (see [`RecordCompressor::for_run`]); it may train a dictionary on them. Without
    /// this call, the first talk written chooses.
    pub fn prepare(&mut self, talks: &[IndexedTalk<'_>]) -> Result<()> {
        if self.compressor.is_none() && !talks.is_empty() {
            let records: Vec<Vec<u8>> =
                talks.iter().flat_map(|talk| documents(&self.fields, talk)).map(|(_, record)| record.pack()).collect();
            self.compressor = Some(RecordCompressor::for_run(&self.dictionaries, &records)?);
        }
        Ok(())
    }

    /// Replaces every document of `talk.source` with the documents of `talk`.
    pub fn replace(&mut self, talk: &IndexedTalk<'_>) -> Result<()> {
        self.prepare(std::slice::from_ref(talk))?;
        self.remove(talk.source);
        talk_words(talk.talk, &mut self.words);
        let compressor = self.compressor.as_mut().expect("prepared above");
        for (mut document, record) in documents(&self.fields, talk) {
            document.add_bytes(self.fields.record, &compressor.compress(&record));
            self.writer
                .add_document(document)
                .map_err(|e| IndexError::Tantivy { path: self.path.clone(), source: e })?;
        }
        Ok(())
    }

    /// Removes every document of the talk read from `source`.
    pub fn remove(&mut self, source: &str) {
        self.writer.delete_term(Term::from_field_text(self.fields.source, source));
    }

    /// Makes everything written so far visible, atomically: a process killed before this
    /// leaves the index as the previous commit left it.
    pub fn commit(&mut self) -> Result<()> {
        // The sound table first: should the commit then fail, it only lists words that no
        // passage has, which searches pass over.
        if !self.words.is_empty() {
            let table = self.sounds.load().map_err(IndexError::SoundTable)?;
            self.sounds.save(table.with_words(&self.words)).map_err(IndexError::SoundTable)?;
            self.words.clear();
        }
        self.writer.commit().map_err(|e| self.error(e))?;
        Ok(())
    }

    /// Waits for merges to finish and releases the lock.
    pub fn finish(self) -> Result<()> {
        let path = self.path.clone();
        self.writer.wait_merging_threads().map_err(|source| IndexError::Tantivy { path, source })
    }

    fn error(&self, source: tantivy::TantivyError) -> IndexError {
        IndexError::Tantivy { path: self.path.clone(), source }
    }
}

/// The documents of one talk, each without its record, and their records: a `talk` document,
/// then one per passage.
fn documents(fields: &Fields, indexed: &IndexedTalk<'_>) -> Vec<(TantivyDocument, Record)> {
    let talk = indexed.talk;
    let passage = |facts: PassageFacts| {
        let mut doc = TantivyDocument::default();
        doc.add_text(fields.kind, facts.kind.name());
        doc.add_u64(fields.turn, facts.number);
        doc.add_text(fields.talk, indexed.id);
        doc.add_text(fields.source, indexed.source);
        if let Some(title) = &talk.title {
            doc.add_text(fields.title, title);
        }
        // The rest of the talk's metadata is in its talk document's record, found by source.
        let record = Record { facts: facts::encode(&facts), source: indexed.source.to_string(), ..Record::default() };
        (doc, record)
    };
    let mut docs = Vec::with_capacity(talk.turns.len() + talk.vocabulary.len() + 8);

    // Indexed under no field a passage query looks in (its title is in its record), so that
    // only queries on `kind`, `talk` or `source` need to exclude it (see `search::query`).
    let mut talk_doc = TantivyDocument::default();
    talk_doc.add_text(fields.talk, indexed.id);
    talk_doc.add_text(fields.source, indexed.source);
    talk_doc.add_text(fields.kind, TALK_KIND);
    // Every document has a text hash, so that the column is dense and read by position.
    talk_doc.add_u64(fields.text_hash, super::text_hash(""));
    let talk_info = serde_json::to_string(&talk_record(indexed)).unwrap_or_default();
    let label = TalkLabel {
        talk: indexed.id.to_string(),
        title: talk.title.clone(),
        show: talk.show.clone(),
        media_url: talk.media_url.clone(),
    };
    let talk_record =
        Record { source: indexed.source.to_string(), info: Some(talk_info), label: Some(label), ..Record::default() };
    docs.push((talk_doc, talk_record));

    for (i, turn) in talk.turns.iter().enumerate() {
        let (mut doc, mut record) = passage(PassageFacts {
            kind: PassageKind::Turn,
            number: i as u64 + 1,
            line: turn.line as u64,
            start: turn.start,
            end: turn.end,
            marks: turn.marks.iter().map(|mark| (mark.offset, mark.millis)).collect(),
        });
        if let Some(speaker) = &turn.speaker {
            doc.add_text(fields.speaker, speaker);
            record.speaker = Some(speaker.clone());
        }
        add_text(&mut doc, fields, None, &turn.text);
        record.text = turn.text.clone();
        docs.push((doc, record));
    }

    for entry in &talk.vocabulary {
        let example_turn = entry.example_turn.and_then(|i| talk.turns.get(i));
        let (mut doc, mut record) = passage(PassageFacts {
            kind: PassageKind::Vocab,
            number: u64::from(entry.number),
            line: entry.line as u64,
            start: example_turn.and_then(|turn| turn.start),
            end: example_turn.and_then(|turn| turn.end),
            marks: Vec::new(),
        });
        doc.add_text(fields.term, &entry.term);
        let mut text = match &entry.part_of_speech {
            Some(pos) => format!("{} ({pos}): {}", entry.term, entry.definition),
            None => format!("{}: {}", entry.term, entry.definition),
        };
        if !entry.synonyms.is_empty() {
            text.push_str(&format!(" Synonyms: {}.", entry.synonyms.join(", ")));
        }
        if let Some(example) = &entry.example {
            text.push_str(&format!(" Example: “{example}”"));
        }
        add_text(&mut doc, fields, Some(&entry.term), &text);
        let info = serde_json::json!({
            "term": entry.term,
            "ipa": entry.ipa,
            "part_of_speech": entry.part_of_speech,
            "synonyms": entry.synonyms,
            "example_turn": entry.example_turn.map(|i| i + 1),
        });
        record.term = Some(entry.term.clone());
        record.text = text;
        record.info = Some(info.to_string());
        docs.push((doc, record));
    }

    let paragraphs = [(PassageKind::Summary, &talk.summary), (PassageKind::Takeaway, &talk.takeaways)];
    for (kind, list) in paragraphs {
        for (i, paragraph) in list.iter().enumerate() {
            let (mut doc, mut record) = passage(PassageFacts {
                kind,
                number: i as u64 + 1,
                line: paragraph.line as u64,
                ..PassageFacts::default()
            });
            add_text(&mut doc, fields, None, &paragraph.text);
            record.text = paragraph.text.clone();
            docs.push((doc, record));
        }
    }
    docs
}

/// Adds a passage's searchable text, and the hash of what it says in the fields a query looks
/// in (a vocabulary entry's `term` too): passages with one hash match and score alike.
fn add_text(doc: &mut TantivyDocument, fields: &Fields, term: Option<&str>, text: &str) {
    doc.add_text(fields.text, text);
    doc.add_u64(fields.text_hash, super::passage_hash(term, text));
}

/// Every word of a talk's passages, for the sound table.
fn talk_words(talk: &Talk, words: &mut FxHashSet<String>) {
    for turn in &talk.turns {
        collect_words(&turn.text, words);
    }
    for entry in &talk.vocabulary {
        collect_words(&entry.term, words);
        collect_words(&entry.definition, words);
        entry.synonyms.iter().for_each(|synonym| collect_words(synonym, words));
        entry.example.iter().for_each(|example| collect_words(example, words));
    }
    for paragraph in talk.summary.iter().chain(&talk.takeaways) {
        collect_words(&paragraph.text, words);
    }
}

fn talk_record(indexed: &IndexedTalk<'_>) -> TalkRecord {
    let talk = indexed.talk;
    let mut speakers = talk.speakers.clone();
    for speaker in talk.turns.iter().filter_map(|t| t.speaker.as_ref()) {
        if !speakers.contains(speaker) {
            speakers.push(speaker.clone());
        }
    }
    let last_end = talk.turns.iter().rev().find_map(|t| t.end.or(t.start));
    TalkRecord {
        talk: indexed.id.to_string(),
        source: indexed.source.to_string(),
        title: talk.title.clone(),
        show: talk.show.clone(),
        date: talk.date.clone(),
        speakers,
        media_url: talk.media_url.clone(),
        duration_ms: last_end.map_or(0, |t| t.millis),
        duration_estimated: last_end.is_some_and(|t| t.estimated),
        turns: talk.turns.len(),
        format: indexed.format.to_string(),
        fingerprint: indexed.fingerprint.to_string(),
    }
}
