//! The tantivy index: schema, analyzer and writer.
//!
//! Takes [`crate::model`] values in and keeps them on disk; knows nothing of file formats,
//! queries or output. Every talk is one `talk` document (its metadata and content
//! fingerprint) plus one document per turn, vocabulary entry, summary paragraph and takeaway,
//! all keyed by the talk's source path so a re-index replaces them.

pub mod analyzer;
pub mod facts;
pub mod phonetic;
pub mod record;
mod schema;
mod short_words;
pub mod term_fst;
mod writer;

pub use record::Record;
pub use schema::Fields;
pub use writer::{IndexedTalk, TalkWriter};

use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use tantivy::collector::DocSetCollector;
use tantivy::columnar::StrColumn;
use tantivy::directory::MmapDirectory;
use tantivy::query::TermQuery;
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::{DocAddress, DocSet, Index, IndexReader, TantivyDocument, Term};

/// tantivy's doc store keeps each document's record as it is: records are compressed one by
/// one (see [`record`]), which a block compressor cannot shrink further. Reading a record copies
/// its whole block out of the file: 2 KB blocks hold about ten records.
fn index_settings() -> tantivy::IndexSettings {
    tantivy::IndexSettings {
        docstore_compression: tantivy::store::Compressor::None,
        docstore_blocksize: 2_048,
        ..tantivy::IndexSettings::default()
    }
}

/// The column of [`text_hash`]es, one per passage.
pub const TEXT_HASH_COLUMN: &str = "text_hash";

/// The hash of a passage's text kept in the `text_hash` column. Any hash serves, as long as
/// different texts seldom share one: SipHash with fixed keys, 64 bits.
pub fn text_hash(text: &str) -> u64 {
    passage_hash(None, text)
}

/// The hash of what a passage says in every field a query looks in: its text and, for a
/// vocabulary entry, its term (see [`text_hash`]).
pub fn passage_hash(term: Option<&str>, text: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::hash::DefaultHasher::new();
    if let Some(term) = term {
        term.hash(&mut hasher);
    }
    text.hash(&mut hasher);
    hasher.finish()
}

/// The `kind` value of the one document each talk has for its metadata.
pub const TALK_KIND: &str = "talk";

/// Errors from opening, writing or reading the index; each names the index folder.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum IndexError {
    /// The folder has no index yet.
    #[error("no index in {path} (run `talksearch index` first)")]
    Missing {
        /// The index folder.
        path: PathBuf,
    },
    /// Another process is writing to the index.
    #[error("the index {path} is being written by another talksearch process; wait for it to finish")]
    Locked {
        /// The index folder.
        path: PathBuf,
    },
    /// The index was written by a talksearch with another schema.
    #[error("the index {path} was built by another version of talksearch; remove the folder and index again")]
    SchemaMismatch {
        /// The index folder.
        path: PathBuf,
    },
    /// The folder cannot be created or read.
    #[error("cannot use {path} as an index folder: {source}")]
    Folder {
        /// The index folder.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The sound table beside the index cannot be read or written.
    #[error("sound table {0}")]
    SoundTable(#[from] phonetic::SoundTableError),
    /// A stored record, or a dictionary of records, cannot be read or written.
    #[error("stored passages in {0}")]
    Record(#[from] record::RecordError),
    /// tantivy failed.
    #[error("index {path}: {source}")]
    Tantivy {
        /// The index folder.
        path: PathBuf,
        /// tantivy's error.
        source: tantivy::TantivyError,
    },
}

/// A `Result` with [`IndexError`].
pub type Result<T> = std::result::Result<T, IndexError>;

/// What the index keeps about one talk (its `talk` document).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TalkRecord {
    /// Talk id (file stem).
    pub talk: String,
    /// Source file, absolute.
    pub source: String,
    /// Title, when known.
    pub title: Option<String>,
    /// Show or channel.
    pub show: Option<String>,
    /// Date as given.
    pub date: Option<String>,
    /// Everyone who speaks, in order of first turn (or as the metadata lists them).
    pub speakers: Vec<String>,
    /// Where the recording plays.
    pub media_url: Option<String>,
    /// End of the last turn, in milliseconds.
    pub duration_ms: u64,
    /// Whether the duration is estimated.
    pub duration_estimated: bool,
    /// Number of turns.
    pub turns: usize,
    /// Format name.
    pub format: String,
    /// Content fingerprint of the file as indexed.
    pub fingerprint: String,
}

/// What a hit shows of its talk, kept apart from its [`TalkRecord`] so that a search reads no
/// JSON (see [`TalkIndex::talk_of`]).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TalkLabel {
    /// Talk id (file stem).
    pub talk: String,
    /// Title, when known.
    pub title: Option<String>,
    /// Show or channel.
    pub show: Option<String>,
    /// Where the recording plays.
    pub media_url: Option<String>,
}

/// The doc stores of one searcher's segments (see [`TalkIndex::stores`]), and what finds a
/// talk's own document in each.
pub struct Stores {
    readers: Vec<tantivy::store::StoreReader>,
    /// Per segment, once looked at: the `kind` column and the ordinal of `talk` in it.
    talk_kinds: Vec<std::sync::OnceLock<Option<(StrColumn, u64)>>>,
}

impl Stores {
    fn talk_kind(
        &self,
        ordinal: usize,
        segment: &tantivy::SegmentReader,
    ) -> tantivy::Result<Option<&(StrColumn, u64)>> {
        let Some(cell) = self.talk_kinds.get(ordinal) else { return Ok(None) };
        if let Some(found) = cell.get() {
            return Ok(found.as_ref());
        }
        let mut found = None;
        if let Some(kinds) = segment.fast_fields().str("kind")?
            && let Some(talk) = kinds.dictionary().term_ord(TALK_KIND)?
        {
            found = Some((kinds, talk));
        }
        Ok(cell.get_or_init(|| found).as_ref())
    }
}

/// Blocks each doc store keeps after reading them: none. A block holds records as stored, so a
/// cached one saves only a 2 KB copy, while each block kept is a fresh allocation: a CLI search
/// that kept its twenty blocks took 15 more page faults (238 against 253).
const STORE_CACHE_BLOCKS: usize = 0;

/// The bytes of `field` in a stored document that holds that field alone, as tantivy's doc
/// store lays it out: the number of values (a VInt, 1), the field (u32, little-endian), the
/// type code of bytes (4), the length (a VInt), the bytes. tantivy's own reader copies bytes
/// one at a time; this borrows them. `None` for any other layout.
fn stored_bytes(document: &[u8], field: tantivy::schema::Field) -> Option<&[u8]> {
    const BYTES_TYPE: u8 = 4;
    let mut rest = document;
    if tantivy_vint(&mut rest)? != 1 {
        return None;
    }
    let (id, rest) = rest.split_first_chunk::<4>()?;
    let (&type_code, mut rest) = rest.split_first()?;
    if u32::from_le_bytes(*id) != field.field_id() || type_code != BYTES_TYPE {
        return None;
    }
    let length = usize::try_from(tantivy_vint(&mut rest)?).ok()?;
    (rest.len() == length).then_some(rest)
}

/// tantivy's VInt: seven bits a byte, least significant first, the last byte marked by its high bit.
fn tantivy_vint(bytes: &mut &[u8]) -> Option<u64> {
    let mut value = 0u64;
    for (i, &byte) in bytes.iter().enumerate().take(10) {
        value |= u64::from(byte & 0x7f) << (7 * i);
        if byte & 0x80 != 0 {
            *bytes = &bytes[i + 1..];
            return Some(value);
        }
    }
    None
}

/// Writes `bytes` as the file `path`, atomically: completely and synced under the name
/// `path` + `.tmp`, then renamed over `path`, so that a reader sees the old file or the new one,
/// never a part. One temporary name: only the holder of the writer lock writes, and a file left
/// by a killed run is overwritten by the next.
fn write_replacing(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let mut temporary = path.as_os_str().to_os_string();
    temporary.push(".tmp");
    let mut file = std::fs::File::create(&temporary)?;
    file.write_all(bytes)?;
    file.sync_all()?;
    std::fs::rename(&temporary, path)
}

/// An index folder opened for reading and writing.
pub struct TalkIndex {
    index: Index,
    fields: Fields,
    path: PathBuf,
    sounds: phonetic::SoundStore,
    dictionaries: record::DictionaryStore,
    records: record::RecordReader,
}

impl TalkIndex {
    /// True when `path` holds an index.
    pub fn exists(path: &Path) -> bool {
        path.join("meta.json").is_file()
    }

    /// Opens the index in `path`, creating the folder and an empty index when there is none.
    pub fn open_or_create(path: &Path) -> Result<TalkIndex> {
        let folder_error = |source| IndexError::Folder { path: path.to_path_buf(), source };
        std::fs::create_dir_all(path).map_err(folder_error)?;
        let directory = MmapDirectory::open(path).map_err(|e| folder_error(std::io::Error::other(e.to_string())))?;
        let (schema, _) = Fields::build();
        let index = Index::builder()
            .schema(schema.clone())
            .settings(index_settings())
            .open_or_create(directory.clone())
            .map_err(|source| match source {
                tantivy::TantivyError::SchemaError(_) => IndexError::SchemaMismatch { path: path.to_path_buf() },
                source => IndexError::Tantivy { path: path.to_path_buf(), source },
            })?;
        TalkIndex::wrap(index, path, directory)
    }

    /// The source files that the index in `path`, written by a talksearch with another schema,
    /// was built from (the terms of its `source` field), so that this version can build it
    /// again; empty when it has no such field.
    pub fn foreign_sources(path: &Path) -> Result<Vec<PathBuf>> {
        let tantivy_error = |source| IndexError::Tantivy { path: path.to_path_buf(), source };
        let index = Index::open_in_dir(path).map_err(tantivy_error)?;
        let Ok(field) = index.schema().get_field("source") else {
            return Ok(Vec::new());
        };
        let reader = index.reader_builder().reload_policy(tantivy::ReloadPolicy::Manual).try_into();
        let searcher = reader.map_err(tantivy_error)?.searcher();
        let mut sources = std::collections::BTreeSet::new();
        for segment in searcher.segment_readers() {
            let inverted = segment.inverted_index(field).map_err(tantivy_error)?;
            let mut terms = inverted.terms().stream().map_err(|e| tantivy_error(e.into()))?;
            while terms.advance() {
                if let Ok(source) = std::str::from_utf8(terms.key()) {
                    sources.insert(PathBuf::from(source));
                }
            }
        }
        Ok(sources.into_iter().collect())
    }

    /// Opens the existing index in `path`.
    pub fn open(path: &Path) -> Result<TalkIndex> {
        if !TalkIndex::exists(path) {
            return Err(IndexError::Missing { path: path.to_path_buf() });
        }
        let tantivy_error = |source| IndexError::Tantivy { path: path.to_path_buf(), source };
        let directory = MmapDirectory::open(path).map_err(|e| tantivy_error(e.into()))?;
        let index = Index::open(directory.clone()).map_err(tantivy_error)?;
        TalkIndex::wrap(index, path, directory)
    }

    /// An index in memory holding `talk` alone, committed, for tests.
    #[cfg(test)]
    pub(crate) fn in_ram_with(talk: &crate::model::Talk) -> TalkIndex {
        let index = TalkIndex::in_ram();
        let mut writer = index.writer(50_000_000).expect("a writer in memory");
        let indexed = IndexedTalk { talk, id: "demo", source: "/demo.txt", format: "text", fingerprint: "-" };
        writer.replace(&indexed).expect("a talk written in memory");
        writer.commit().expect("a commit in memory");
        index
    }

    /// An index in memory, for tests and benchmarks.
    pub fn in_ram() -> TalkIndex {
        let (schema, fields) = Fields::build();
        let index = Index::builder()
            .schema(schema)
            .settings(index_settings())
            .create_in_ram()
            .expect("an index in memory can always be created");
        analyzer::register(&index);
        let sounds = phonetic::SoundStore::Memory(std::sync::Arc::default());
        let path = PathBuf::from("(memory)");
        let dictionaries = record::DictionaryStore::Memory(std::sync::Arc::default());
        let records = record::RecordReader::new(dictionaries.clone(), &path);
        TalkIndex { index, fields, path, sounds, dictionaries, records }
    }

    fn wrap(index: Index, path: &Path, directory: MmapDirectory) -> Result<TalkIndex> {
        let (expected, _) = Fields::build();
        if index.schema() != expected {
            return Err(IndexError::SchemaMismatch { path: path.to_path_buf() });
        }
        let fields = Fields::from_schema(&index.schema())
            .ok_or_else(|| IndexError::SchemaMismatch { path: path.to_path_buf() })?;
        analyzer::register(&index);
        let sounds = phonetic::SoundStore::Folder(path.to_path_buf());
        let dictionaries = record::DictionaryStore::in_folder(path, directory);
        let records = record::RecordReader::new(dictionaries.clone(), path);
        Ok(TalkIndex { index, fields, path: path.to_path_buf(), sounds, dictionaries, records })
    }

    /// The tantivy index.
    pub fn index(&self) -> &Index {
        &self.index
    }

    /// The field handles.
    pub fn fields(&self) -> &Fields {
        &self.fields
    }

    /// The index folder.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Where the index keeps its sound table (see [`phonetic`]).
    pub fn sound_store(&self) -> phonetic::SoundStore {
        self.sounds.clone()
    }

    /// Where the index keeps the dictionaries of its records (see [`record`]).
    pub fn dictionary_store(&self) -> record::DictionaryStore {
        self.dictionaries.clone()
    }

    /// The doc stores of `searcher`'s segments, to read records from.
    pub fn stores(&self, searcher: &tantivy::Searcher) -> Result<Stores> {
        let open = |segment: &tantivy::SegmentReader| segment.get_store_reader(STORE_CACHE_BLOCKS);
        let readers = searcher.segment_readers().iter().map(open).collect::<std::io::Result<Vec<_>>>();
        let readers = readers.map_err(|e| self.error(e.into()))?;
        let talk_kinds = readers.iter().map(|_| std::sync::OnceLock::new()).collect();
        Ok(Stores { readers, talk_kinds })
    }

    /// What the document at `address` stores.
    pub fn record(&self, stores: &Stores, address: DocAddress) -> Result<Record> {
        let store = stores.readers.get(address.segment_ord as usize).ok_or_else(|| {
            self.error(tantivy::TantivyError::InvalidArgument(format!("no segment {}", address.segment_ord)))
        })?;
        let document = store.get_document_bytes(address.doc_id).map_err(|e| self.error(e))?;
        if let Some(stored) = stored_bytes(&document, self.fields.record) {
            return Ok(self.records.read(stored)?);
        }
        // Not laid out as this version of tantivy writes one field: let tantivy read it.
        let doc: TantivyDocument = store.get(address.doc_id).map_err(|e| self.error(e))?;
        let stored = doc.get_first(self.fields.record).and_then(|v| v.as_bytes()).unwrap_or_default();
        Ok(self.records.read(stored)?)
    }

    /// The talk read from `source`, from its talk document; `None` when no such talk is
    /// indexed. Looks only at the postings of `source`, where the talk document is usually the
    /// first, and at the `kind` column.
    pub fn talk_of(&self, searcher: &tantivy::Searcher, stores: &Stores, source: &str) -> Result<Option<TalkLabel>> {
        let term = Term::from_field_text(self.fields.source, source);
        for (ordinal, segment) in searcher.segment_readers().iter().enumerate() {
            let error = |e| self.error(e);
            let Some((kinds, talk_kind)) = stores.talk_kind(ordinal, segment).map_err(error)? else { continue };
            let inverted = segment.inverted_index(self.fields.source).map_err(error)?;
            let Some(mut postings) =
                inverted.read_postings(&term, IndexRecordOption::Basic).map_err(|e| error(e.into()))?
            else {
                continue;
            };
            let alive = segment.alive_bitset();
            let mut doc = postings.doc();
            while doc != tantivy::TERMINATED {
                let is_alive = alive.is_none_or(|alive| alive.is_alive(doc));
                if is_alive && kinds.term_ords(doc).any(|kind| kind == *talk_kind) {
                    return Ok(self.record(stores, DocAddress::new(ordinal as u32, doc))?.label);
                }
                doc = postings.advance();
            }
        }
        Ok(None)
    }

    /// Wraps a tantivy error with this index's path.
    pub fn error(&self, source: tantivy::TantivyError) -> IndexError {
        match source {
            tantivy::TantivyError::LockFailure(..) => IndexError::Locked { path: self.path.clone() },
            source => IndexError::Tantivy { path: self.path.clone(), source },
        }
    }

    /// A reader that sees the last commit. It does not watch for later commits: a search
    /// process is short-lived, and the watcher thread costs more than a query.
    pub fn reader(&self) -> Result<IndexReader> {
        // Records are read through [`TalkIndex::stores`], never through tantivy's own doc store
        // readers, whose block caches would stay empty.
        let builder = self.index.reader_builder().reload_policy(tantivy::ReloadPolicy::Manual);
        builder.doc_store_cache_num_blocks(0).try_into().map_err(|e| self.error(e))
    }

    /// Takes the index's writer lock; fails with [`IndexError::Locked`] while another holds it.
    pub fn writer(&self, memory_budget_bytes: usize) -> Result<TalkWriter> {
        TalkWriter::new(self, memory_budget_bytes)
    }

    /// Every talk in the index, by source path.
    pub fn talks(&self) -> Result<HashMap<String, TalkRecord>> {
        let reader = self.reader()?;
        let searcher = reader.searcher();
        let query = TermQuery::new(Term::from_field_text(self.fields.kind, TALK_KIND), IndexRecordOption::Basic);
        let addresses = searcher.search(&query, &DocSetCollector).map_err(|e| self.error(e))?;
        let stores = self.stores(&searcher)?;
        let mut talks = HashMap::with_capacity(addresses.len());
        for address in addresses {
            let info = self.record(&stores, address)?.info.unwrap_or_default();
            if let Ok(record) = serde_json::from_str::<TalkRecord>(&info) {
                talks.insert(record.source.clone(), record);
            }
        }
        Ok(talks)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Talk, Turn};

    #[test]
    fn records_read_from_the_raw_store_are_what_tantivy_reads() {
        let turns = ["Distillation services will come.", "", "Your moat is your data. “Quoted” é"];
        let talk = Talk {
            title: Some("A talk".into()),
            turns: turns.iter().map(|t| Turn { text: t.to_string(), ..Default::default() }).collect(),
            ..Default::default()
        };
        let index = TalkIndex::in_ram_with(&talk);
        let searcher = index.reader().expect("a reader").searcher();
        let stores = index.stores(&searcher).expect("the stores");
        let mut texts = Vec::new();
        for (ordinal, segment) in searcher.segment_readers().iter().enumerate() {
            for doc in 0..segment.max_doc() {
                let address = DocAddress::new(ordinal as u32, doc);
                let raw = stores.readers[ordinal].get_document_bytes(doc).expect("the document's bytes");
                let tantivy_doc: TantivyDocument = searcher.doc(address).expect("the document");
                let expected = tantivy_doc.get_first(index.fields.record).and_then(|v| v.as_bytes());
                assert_eq!(stored_bytes(&raw, index.fields.record), expected, "document {doc}");
                texts.push(index.record(&stores, address).expect("its record").text);
            }
        }
        for turn in turns {
            assert!(texts.contains(&turn.to_string()), "{turn:?} in {texts:?}");
        }
        assert_eq!(
            stored_bytes(&[0x81, 0, 0, 0, 0, 4, 0x80], tantivy::schema::Field::from_field_id(1)),
            None,
            "another field"
        );
        assert_eq!(stored_bytes(&[0x82], index.fields.record), None, "two values");
    }
}
