//! What a document keeps to be shown again: one record per document, compressed on its own
//! against a zstd dictionary trained on the index's own passages.
//!
//! tantivy compresses its doc store in blocks, and reading one passage decompresses its whole
//! block, building that block's entropy tables first: about 94,000 instructions per hit, half
//! of a search with snippets. A record compressed alone against a dictionary, whose tables are
//! built once per process, decompresses in about a microsecond, and since the dictionary holds
//! the words and phrases that passages share, the records take less room than the blocks did.
//! tantivy's doc store then keeps them uncompressed.
//!
//! A stored record is a dictionary number (0: no dictionary, the record as packed), the length
//! of the packed record as a varint, then a zstd frame without magic number, checksum or
//! dictionary id. Dictionaries are files beside the index, never changed once written: an
//! indexing run trains a new one only when it brings at least four times the text the newest
//! was trained on, so a first small run cannot leave a poor dictionary for everything after.

use super::TalkLabel;
use super::facts::{put, take};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};
use tantivy::directory::error::OpenReadError;
use tantivy::directory::{Directory, MmapDirectory, OwnedBytes};
use zstd::zstd_safe::{self, CCtx, CParameter, DCtx, DDict, DParameter, FrameFormat};

/// At most this much of a run's records is sampled to train a dictionary, in about 0.1 s. On
/// the real transcripts, sampling 1 or 4 MB made records less than 2% smaller.
const SAMPLE_BYTES: usize = 512 << 10;
/// Less sample than this trains no dictionary.
const MIN_SAMPLE_BYTES: usize = 16 << 10;
/// Largest dictionary; an eighth of the sample below that.
const MAX_DICTIONARY_BYTES: usize = 64 << 10;
/// A run trains a new dictionary when its sample is this many times the newest one's.
const RETRAIN_FACTOR: u64 = 4;
/// Compression level of the records: level 3 (zstd's default) compresses 100+ MB/s per core
/// record by record; higher levels were no smaller with a dictionary.
const LEVEL: i32 = 3;

/// What one document stores.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Record {
    /// The passage's facts, packed by [`super::facts::encode`]; empty for a talk document.
    pub facts: Vec<u8>,
    /// The source file of the talk: the key to its talk document.
    pub source: String,
    /// Who speaks (turns).
    pub speaker: Option<String>,
    /// A vocabulary entry's term.
    pub term: Option<String>,
    /// The passage's text; empty for a talk document.
    pub text: String,
    /// JSON: a talk's [`super::TalkRecord`], a vocabulary entry's details.
    pub info: Option<String>,
    /// What a hit shows of its talk; on the talk's own document only.
    pub label: Option<TalkLabel>,
}

impl Record {
    /// Packs the record: each part as its length plus one (0 for none) and its bytes.
    pub fn pack(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.facts.len() + self.source.len() + self.text.len() + 32);
        let mut part = |bytes: Option<&[u8]>| match bytes {
            Some(bytes) => {
                put(&mut out, bytes.len() as u64 + 1);
                out.extend_from_slice(bytes);
            }
            None => out.push(0),
        };
        part(Some(&self.facts));
        part(Some(self.source.as_bytes()));
        part(self.speaker.as_deref().map(str::as_bytes));
        part(self.term.as_deref().map(str::as_bytes));
        part(Some(self.text.as_bytes()));
        part(self.info.as_deref().map(str::as_bytes));
        if let Some(label) = &self.label {
            part(Some(label.talk.as_bytes()));
            part(label.title.as_deref().map(str::as_bytes));
            part(label.show.as_deref().map(str::as_bytes));
            part(label.media_url.as_deref().map(str::as_bytes));
        }
        out
    }

    /// Unpacks what [`Record::pack`] packed; `None` for bytes it did not write.
    pub fn unpack(bytes: &[u8]) -> Option<Record> {
        let mut parts = Parts(bytes);
        let facts = parts.next()?.unwrap_or_default().to_vec();
        let source = parts.text()?.unwrap_or_default();
        let speaker = parts.text()?;
        let term = parts.text()?;
        let text = parts.text()?.unwrap_or_default();
        let info = parts.text()?;
        let label = if parts.0.is_empty() {
            None
        } else {
            let talk = parts.text()?.unwrap_or_default();
            Some(TalkLabel { talk, title: parts.text()?, show: parts.text()?, media_url: parts.text()? })
        };
        parts.0.is_empty().then_some(Record { facts, source, speaker, term, text, info, label })
    }
}

/// The parts of a packed record, read in order.
struct Parts<'a>(&'a [u8]);

impl<'a> Parts<'a> {
    /// The next part: `Some(None)` for an absent one, `None` when the bytes are not a part.
    fn next(&mut self) -> Option<Option<&'a [u8]>> {
        let length = take(&mut self.0)?;
        if length == 0 {
            return Some(None);
        }
        let (part, rest) = self.0.split_at_checked(usize::try_from(length - 1).ok()?)?;
        self.0 = rest;
        Some(Some(part))
    }

    fn text(&mut self) -> Option<Option<String>> {
        match self.next()? {
            Some(part) => String::from_utf8(part.to_vec()).ok().map(Some),
            None => Some(None),
        }
    }
}

/// A dictionary file, or a stored record, that cannot be used.
#[derive(Debug, thiserror::Error)]
#[error("{path}: {reason}")]
pub struct RecordError {
    /// The dictionary file, or the index folder for a record.
    pub path: PathBuf,
    /// What is wrong.
    pub reason: String,
}

/// Where an index keeps its record dictionaries: files in its folder, or memory for an index
/// in RAM. Dictionary `n` (from 1) is the file `records-n.dict`: the sample size it was trained
/// on (8 bytes, little-endian), then the dictionary.
#[derive(Clone)]
pub enum DictionaryStore {
    /// The index folder, and the tantivy directory that maps its files (the index's own, so
    /// that the folder is opened once per process).
    Folder { path: PathBuf, files: MmapDirectory },
    /// The files' bytes, dictionary 1 first, shared by the index's writer and searchers.
    Memory(Arc<Mutex<Vec<Vec<u8>>>>),
}

/// A trained dictionary as stored: its file, whose first eight bytes are the sample size.
struct StoredDictionary {
    number: u8,
    file: OwnedBytes,
}

impl StoredDictionary {
    fn new(number: u8, sample_bytes: u64, dictionary: &[u8]) -> StoredDictionary {
        let mut file = sample_bytes.to_le_bytes().to_vec();
        file.extend_from_slice(dictionary);
        StoredDictionary { number, file: OwnedBytes::new(file) }
    }

    fn sample_bytes(&self) -> u64 {
        u64::from_le_bytes(self.file[..8].try_into().expect("checked when loaded"))
    }

    fn bytes(&self) -> &[u8] {
        &self.file[8..]
    }
}

self_cell::self_cell!(
    /// A dictionary file and the decompression dictionary digested from it, which refers to the
    /// file's bytes rather than copying them. In a folder the file is mapped, not read: zstd
    /// touches only the parts of it that the records read refer to.
    struct LoadedDictionary {
        owner: StoredDictionary,
        #[covariant]
        dependent: DDict,
    }
);

/// The file name of dictionary `number`.
fn file_name(number: u8) -> String {
    format!("records-{number}.dict")
}

impl DictionaryStore {
    /// The dictionaries in the folder that `files` maps.
    pub fn in_folder(path: &Path, files: MmapDirectory) -> DictionaryStore {
        DictionaryStore::Folder { path: path.to_path_buf(), files }
    }

    fn path(&self, number: u8) -> PathBuf {
        match self {
            DictionaryStore::Folder { path, .. } => path.join(file_name(number)),
            DictionaryStore::Memory(_) => Path::new("(memory)").join(file_name(number)),
        }
    }

    fn error(&self, number: u8, reason: impl ToString) -> RecordError {
        RecordError { path: self.path(number), reason: reason.to_string() }
    }

    /// Dictionary `number`; `None` when there is no such dictionary.
    fn load(&self, number: u8) -> Result<Option<StoredDictionary>, RecordError> {
        let file = match self {
            // Mapped, through tantivy's safe interface.
            DictionaryStore::Folder { files, .. } => match files.open_read(Path::new(&file_name(number))) {
                Ok(slice) => slice.read_bytes().map_err(|e| self.error(number, e))?,
                Err(OpenReadError::FileDoesNotExist(_)) => return Ok(None),
                Err(e) => return Err(self.error(number, e)),
            },
            DictionaryStore::Memory(files) => {
                let files = files.lock().unwrap_or_else(PoisonError::into_inner);
                match files.get(usize::from(number).wrapping_sub(1)) {
                    Some(file) => OwnedBytes::new(file.clone()),
                    None => return Ok(None),
                }
            }
        };
        if file.len() < 8 {
            return Err(self.error(number, "cut short"));
        }
        Ok(Some(StoredDictionary { number, file }))
    }

    /// Whether dictionary `number` exists.
    fn has(&self, number: u8) -> bool {
        match self {
            DictionaryStore::Folder { .. } => self.path(number).is_file(),
            DictionaryStore::Memory(files) => {
                usize::from(number) <= files.lock().unwrap_or_else(PoisonError::into_inner).len()
            }
        }
    }

    /// The dictionary with the highest number (they are numbered from 1 without gaps).
    fn newest(&self) -> Result<Option<StoredDictionary>, RecordError> {
        match (1..=u8::MAX).take_while(|&number| self.has(number)).last() {
            Some(number) => self.load(number),
            None => Ok(None),
        }
    }

    /// Writes a new dictionary; in a folder, completely (synced, then renamed into place)
    /// before any record that needs it is written.
    fn save(&self, dictionary: &StoredDictionary) -> Result<(), RecordError> {
        match self {
            DictionaryStore::Folder { .. } => super::write_replacing(&self.path(dictionary.number), &dictionary.file)
                .map_err(|e| self.error(dictionary.number, e)),
            DictionaryStore::Memory(files) => {
                let mut files = files.lock().unwrap_or_else(PoisonError::into_inner);
                files.truncate(usize::from(dictionary.number) - 1);
                files.push(dictionary.file.as_slice().to_vec());
                Ok(())
            }
        }
    }
}

/// Compresses the records of one indexing run, one by one, all against the same dictionary.
pub struct RecordCompressor {
    number: u8,
    context: Option<CCtx<'static>>,
}

impl RecordCompressor {
    /// Records stored as packed, without compression.
    pub fn plain() -> RecordCompressor {
        RecordCompressor { number: 0, context: None }
    }

    /// The compressor for a run whose records include `records`: against a dictionary trained
    /// from a sample of them when they are at least [`RETRAIN_FACTOR`] times the sample of the
    /// newest dictionary in `store` (which is then saved there), else against the newest.
    pub fn for_run(store: &DictionaryStore, records: &[Vec<u8>]) -> Result<RecordCompressor, RecordError> {
        let newest = store.newest()?;
        let trained_on = newest.as_ref().map_or(0, StoredDictionary::sample_bytes);
        let next = newest.as_ref().map_or(Some(1), |d| d.number.checked_add(1));
        let sample = sample(records);
        let sample_bytes: usize = sample.iter().map(|r| r.len()).sum();
        if let Some(number) = next
            && sample_bytes >= MIN_SAMPLE_BYTES
            && sample_bytes as u64 >= RETRAIN_FACTOR * trained_on
        {
            let capacity = (sample_bytes / 8).min(MAX_DICTIONARY_BYTES);
            // Training fails on samples too alike or too few; the newest dictionary then serves.
            if let Ok(bytes) = zstd::dict::from_samples(&sample, capacity) {
                let dictionary = StoredDictionary::new(number, sample_bytes as u64, &bytes);
                store.save(&dictionary)?;
                return RecordCompressor::with(store, &dictionary);
            }
        }
        match newest {
            Some(dictionary) => RecordCompressor::with(store, &dictionary),
            None => Ok(RecordCompressor::plain()),
        }
    }

    fn with(store: &DictionaryStore, dictionary: &StoredDictionary) -> Result<RecordCompressor, RecordError> {
        let error = |code| store.error(dictionary.number, zstd_safe::get_error_name(code));
        let mut context = CCtx::create();
        context.set_parameter(CParameter::CompressionLevel(LEVEL)).map_err(error)?;
        context.set_parameter(CParameter::Format(FrameFormat::Magicless)).map_err(error)?;
        context.set_parameter(CParameter::ChecksumFlag(false)).map_err(error)?;
        context.set_parameter(CParameter::DictIdFlag(false)).map_err(error)?;
        context.set_parameter(CParameter::ContentSizeFlag(false)).map_err(error)?;
        // Digested once here, then kept by the context for every record of the run.
        context.load_dictionary(dictionary.bytes()).map_err(error)?;
        Ok(RecordCompressor { number: dictionary.number, context: Some(context) })
    }

    /// The bytes to store for `record`.
    pub fn compress(&mut self, record: &Record) -> Vec<u8> {
        let packed = record.pack();
        let mut out = Vec::with_capacity(packed.len() / 2 + 16);
        out.push(self.number);
        put(&mut out, packed.len() as u64);
        match &mut self.context {
            Some(context) => {
                let mut frame = Vec::with_capacity(zstd_safe::compress_bound(packed.len()));
                match context.compress2(&mut frame, &packed) {
                    Ok(_) => out.extend_from_slice(&frame),
                    // zstd fails only when out of memory; the record is then kept as packed.
                    Err(_) => {
                        out[0] = 0;
                        out.extend_from_slice(&packed);
                    }
                }
            }
            None => out.extend_from_slice(&packed),
        }
        out
    }
}

/// At most [`SAMPLE_BYTES`] of `records`, spread evenly over them.
fn sample(records: &[Vec<u8>]) -> Vec<&[u8]> {
    let total: usize = records.iter().map(Vec::len).sum();
    let step = total.div_ceil(SAMPLE_BYTES).max(1);
    let mut sample = Vec::new();
    let mut taken = 0;
    for record in records.iter().step_by(step) {
        if taken + record.len() > SAMPLE_BYTES {
            break;
        }
        taken += record.len();
        sample.push(record.as_slice());
    }
    sample
}

thread_local! {
    /// One decompression context per thread, reused: creating one allocates and clears about
    /// 100 KB, more than decompressing a record costs.
    static DECOMPRESSION: std::cell::RefCell<DCtx<'static>> = std::cell::RefCell::new({
        let mut context = DCtx::create();
        // Only fails for an unknown format, and this one is known.
        let _ = context.set_parameter(DParameter::Format(FrameFormat::Magicless));
        context
    });
}

/// Reads stored records, loading each dictionary the first time a record needs it.
pub struct RecordReader {
    store: DictionaryStore,
    dictionaries: Mutex<HashMap<u8, Arc<LoadedDictionary>>>,
    index_path: PathBuf,
}

impl RecordReader {
    /// A reader of the records of the index in `index_path`, whose dictionaries are in `store`.
    pub fn new(store: DictionaryStore, index_path: &Path) -> RecordReader {
        RecordReader { store, dictionaries: Mutex::default(), index_path: index_path.to_path_buf() }
    }

    /// The record stored as `stored`.
    pub fn read(&self, stored: &[u8]) -> Result<Record, RecordError> {
        let corrupt = |reason: &str| RecordError { path: self.index_path.clone(), reason: reason.to_string() };
        let (&number, mut rest) = stored.split_first().ok_or_else(|| corrupt("an empty stored record"))?;
        let length = take(&mut rest).ok_or_else(|| corrupt("a stored record without its length"))?;
        let length = usize::try_from(length).map_err(|_| corrupt("a stored record too long"))?;
        let packed = if number == 0 {
            rest.to_vec()
        } else {
            let dictionary = self.dictionary(number)?;
            let mut packed = Vec::with_capacity(length);
            DECOMPRESSION
                .with_borrow_mut(|context| {
                    context.decompress_using_ddict(&mut packed, rest, dictionary.borrow_dependent())
                })
                .map_err(|_| corrupt("a stored record does not decompress"))?;
            packed
        };
        if packed.len() != length {
            return Err(corrupt("a stored record of the wrong length"));
        }
        Record::unpack(&packed).ok_or_else(|| corrupt("a stored record that does not unpack"))
    }

    fn dictionary(&self, number: u8) -> Result<Arc<LoadedDictionary>, RecordError> {
        let mut dictionaries = self.dictionaries.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(dictionary) = dictionaries.get(&number) {
            return Ok(dictionary.clone());
        }
        let stored = self.store.load(number)?.ok_or_else(|| self.store.error(number, "missing"))?;
        let dictionary = LoadedDictionary::try_new(stored, |stored| {
            DDict::try_create_by_reference(stored.bytes()).ok_or_else(|| self.store.error(number, "not a dictionary"))
        })?;
        let dictionary = Arc::new(dictionary);
        dictionaries.insert(number, dictionary.clone());
        Ok(dictionary)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn turn(i: usize) -> Record {
        let words = ["models", "distillation", "open", "weights", "the", "data", "moat", "inference"];
        let text: Vec<&str> = (0..60).map(|j| words[(i * 7 + j * 3 + j / 5) % words.len()]).collect();
        Record {
            facts: vec![0, i as u8, 3],
            source: format!("/talks/talk-{}.vtt", i / 50),
            speaker: (!i.is_multiple_of(3)).then(|| format!("Speaker {}", i % 4)),
            term: None,
            text: text.join(" "),
            info: None,
            label: None,
        }
    }

    fn memory() -> DictionaryStore {
        DictionaryStore::Memory(Arc::default())
    }

    #[test]
    fn records_survive_packing() {
        let cases = [
            Record::default(),
            turn(7),
            Record {
                facts: Vec::new(),
                source: "/t.md".into(),
                speaker: None,
                term: Some("moat".into()),
                text: "moat: what keeps rivals out “é”".into(),
                info: Some("{}".into()),
                label: None,
            },
            Record {
                source: "/t.md".into(),
                info: Some("{}".into()),
                label: Some(TalkLabel { talk: "t".into(), title: None, show: Some("s".into()), media_url: None }),
                ..Record::default()
            },
        ];
        for record in cases {
            assert_eq!(Record::unpack(&record.pack()), Some(record.clone()), "{record:?}");
        }
        assert_eq!(Record::unpack(&[]), None);
        assert_eq!(Record::unpack(&[5, b'a']), None, "a part cut short");
        let mut trailing = turn(1).pack();
        trailing.push(0);
        assert_eq!(Record::unpack(&trailing), None, "bytes after the last part");
    }

    #[test]
    fn a_run_with_enough_text_trains_a_dictionary_that_makes_records_smaller() {
        let store = memory();
        let records: Vec<Vec<u8>> = (0..400).map(|i| turn(i).pack()).collect();
        let mut compressor = RecordCompressor::for_run(&store, &records).expect("a dictionary trained");
        assert_eq!(compressor.number, 1);
        let reader = RecordReader::new(store, Path::new("(memory)"));
        let (mut packed, mut stored) = (0, 0);
        for i in 0..400 {
            let bytes = compressor.compress(&turn(i));
            assert_eq!(reader.read(&bytes).expect("a record read back"), turn(i));
            packed += turn(i).pack().len();
            stored += bytes.len();
        }
        assert!(stored * 3 < packed, "{stored} bytes stored for {packed} packed");
    }

    #[test]
    fn only_a_much_larger_run_trains_again_and_older_records_still_read() {
        let store = memory();
        let records = |n: usize| -> Vec<Vec<u8>> { (0..n).map(|i| turn(i).pack()).collect() };
        let mut first = RecordCompressor::for_run(&store, &records(200)).expect("first");
        let old = first.compress(&turn(3));
        let same = RecordCompressor::for_run(&store, &records(400)).expect("second");
        assert_eq!((first.number, same.number), (1, 1), "twice the text keeps the dictionary");
        let larger = RecordCompressor::for_run(&store, &records(1000)).expect("third");
        assert_eq!(larger.number, 2, "five times the text trains a new one");
        let mut small = RecordCompressor::for_run(&store, &records(2)).expect("fourth");
        assert_eq!(small.number, 2, "a small run uses the newest");
        let reader = RecordReader::new(store, Path::new("(memory)"));
        assert_eq!(reader.read(&old).expect("a record of the first dictionary"), turn(3));
        let new = small.compress(&turn(4));
        assert_eq!(reader.read(&new).expect("a record of the second dictionary"), turn(4));
    }

    #[test]
    fn a_tiny_first_run_stores_records_plain() {
        let store = memory();
        let mut compressor = RecordCompressor::for_run(&store, &[turn(1).pack()]).expect("no dictionary needed");
        assert_eq!(compressor.number, 0);
        let stored = compressor.compress(&turn(1));
        assert_eq!(RecordReader::new(store, Path::new("(memory)")).read(&stored).expect("read"), turn(1));
    }

    #[test]
    fn broken_records_are_errors_not_panics() {
        let store = memory();
        let records: Vec<Vec<u8>> = (0..400).map(|i| turn(i).pack()).collect();
        let mut compressor = RecordCompressor::for_run(&store, &records).expect("a dictionary trained");
        let good = compressor.compress(&turn(9));
        let reader = RecordReader::new(store, Path::new("(memory)"));
        let mut flipped = good.clone();
        let last = flipped.len() - 1;
        flipped[last] ^= 0xff;
        let mut unknown = good.clone();
        unknown[0] = 9;
        for broken in [&[][..], &good[..1], &good[..good.len() - 3], &flipped, &unknown] {
            assert!(reader.read(broken).is_err(), "{broken:?}");
        }
    }

    #[test]
    fn dictionaries_in_a_folder_are_found_again() {
        let folder = tempfile::tempdir().expect("a temporary folder");
        let in_folder =
            || DictionaryStore::in_folder(folder.path(), MmapDirectory::open(folder.path()).expect("mapped"));
        let store = in_folder();
        let records: Vec<Vec<u8>> = (0..400).map(|i| turn(i).pack()).collect();
        let stored = RecordCompressor::for_run(&store, &records).expect("trained").compress(&turn(5));
        assert!(folder.path().join("records-1.dict").is_file());
        let reader = RecordReader::new(in_folder(), folder.path());
        assert_eq!(reader.read(&stored).expect("read with the saved dictionary"), turn(5));
    }
}
