//! Sound-alike keys, so that a misheard or misspelled word (`Nistral`, `Lamaguard`, `Percy
//! Lang`) can be found from what the user meant.
//!
//! Every word indexed is listed once in the index folder's [`SOUNDS_FILE`], as `KEY:word`, where
//! `KEY` is the word's Double Metaphone primary code and `word` its folded, unstemmed form, in an
//! FST. The keys come first so that every word sounding like another is one range scan away,
//! and the words come after so that a search can turn a sound-alike into ordinary `text` terms:
//! those rank, count and highlight like any other word. The table is thus also the index's list
//! of surface words, which "did you mean" suggestions are built from.
//!
//! The table is kept beside the index rather than as a field of every passage: a field would
//! post each word of each passage once more, which cost half the indexing time. It only ever
//! grows: a word whose passages were all removed stays listed, and a search drops it when its
//! `text` term finds nothing.

use rphonetic::DoubleMetaphone;
use rustc_hash::FxHashSet;
use std::cell::RefCell;
use std::collections::{BTreeSet, HashMap};
use std::path::PathBuf;
use std::sync::{Arc, Mutex, OnceLock};
use tantivy_fst::{IntoStreamer, Map, MapBuilder, Streamer};

/// The file in the index folder that holds the sound table.
pub const SOUNDS_FILE: &str = "sounds.fst";

/// Separates the key from the word in a `sound` term.
pub const SEPARATOR: char = ':';

/// Words shorter than this (in characters) get no key: their codes are one or two letters that
/// half the language shares, so they would only add noise.
pub const MIN_WORD_CHARS: usize = 3;

/// Codes are cut to this many letters, enough to tell long words apart.
const MAX_KEY_LEN: usize = 8;

/// Distinct words remembered per thread before the cache starts afresh; bounds memory on huge runs.
const CACHE_WORDS: usize = 200_000;

thread_local! {
    static ENCODER: DoubleMetaphone = DoubleMetaphone::new(Some(MAX_KEY_LEN));
    // Most words of a transcript were seen before: encoding each only once keeps indexing fast.
    static CACHE: RefCell<HashMap<String, Option<String>>> = RefCell::new(HashMap::new());
}

/// The sound key of a folded word (lower case, no diacritics), or `None` for short words and
/// words with digits or non-Latin letters, which have no meaningful English pronunciation code.
pub fn sound_key(folded: &str) -> Option<String> {
    if folded.chars().count() < MIN_WORD_CHARS || !folded.chars().all(|c| c.is_ascii_lowercase()) {
        return None;
    }
    if let Some(cached) = CACHE.with(|cache| cache.borrow().get(folded).cloned()) {
        return cached;
    }
    let key = ENCODER.with(|encoder| encoder.double_metaphone(folded).primary());
    let key = (!key.is_empty()).then_some(key);
    CACHE.with(|cache| {
        let mut cache = cache.borrow_mut();
        if cache.len() >= CACHE_WORDS {
            cache.clear();
        }
        cache.insert(folded.to_string(), key.clone());
    });
    key
}

/// The `sound` term of a folded word: `KEY:word`, or `None` when the word has no key.
pub fn sound_term(folded: &str) -> Option<String> {
    sound_key(folded).map(|key| format!("{key}{SEPARATOR}{folded}"))
}

/// Splits a `sound` term into its key and word.
pub fn split_sound_term(term: &str) -> Option<(&str, &str)> {
    term.split_once(SEPARATOR)
}

/// Adds to `words` each distinct word of `text` that can have a sound key: folded, at least
/// [`MIN_WORD_CHARS`] letters a to z. Keys are made later, once per word of a whole run.
pub fn collect_words(text: &str, words: &mut FxHashSet<String>) {
    let mut folded = String::new();
    for word in text.split(|c: char| !c.is_alphanumeric()) {
        if word.len() < MIN_WORD_CHARS {
            continue;
        }
        if word.bytes().all(|b| b.is_ascii_alphabetic()) {
            folded.clear();
            folded.extend(word.bytes().map(|b| char::from(b.to_ascii_lowercase())));
        } else {
            super::analyzer::fold_word(word, &mut folded);
            if folded.chars().count() < MIN_WORD_CHARS || !folded.bytes().all(|b| b.is_ascii_lowercase()) {
                continue;
            }
        }
        if !words.contains(folded.as_str()) {
            words.insert(folded.clone());
        }
    }
}

/// Every indexed word under its sound key (see the module's documentation).
#[derive(Default)]
pub struct SoundTable {
    map: Option<Map<Vec<u8>>>,
}

impl std::fmt::Debug for SoundTable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SoundTable").field("words", &self.len()).finish()
    }
}

/// A sound table file that cannot be read.
#[derive(Debug, thiserror::Error)]
#[error("{path}: {reason}")]
pub struct SoundTableError {
    /// The table's file.
    pub path: PathBuf,
    /// What is wrong.
    pub reason: String,
}

impl SoundTable {
    /// Reads a table from the bytes of its file.
    pub fn from_bytes(bytes: Vec<u8>) -> Result<SoundTable, tantivy_fst::Error> {
        if bytes.is_empty() {
            return Ok(SoundTable::default());
        }
        Ok(SoundTable { map: Some(Map::from_bytes(bytes)?) })
    }

    /// Every word (folded, unstemmed) whose sound key is `key`, in order.
    pub fn words_sounding(&self, key: &str) -> Vec<String> {
        let Some(map) = &self.map else { return Vec::new() };
        let low = format!("{key}{SEPARATOR}");
        let high = format!("{key}{}", char::from(SEPARATOR as u8 + 1));
        let mut stream = map.range().ge(&low).lt(&high).into_stream();
        let mut words = Vec::new();
        while let Some((term, _)) = stream.next() {
            if let Some((_, word)) = std::str::from_utf8(term).ok().and_then(split_sound_term) {
                words.push(word.to_string());
            }
        }
        words
    }

    /// How many words the table holds.
    pub fn len(&self) -> usize {
        self.map.as_ref().map_or(0, Map::len)
    }

    /// True when the table holds no word.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The bytes of a table holding this table's words and `words`.
    pub fn with_words(&self, words: &FxHashSet<String>) -> Vec<u8> {
        let mut terms: BTreeSet<Vec<u8>> = words.iter().filter_map(|w| sound_term(w)).map(String::into_bytes).collect();
        if let Some(map) = &self.map {
            let mut stream = map.stream();
            while let Some((term, _)) = stream.next() {
                terms.insert(term.to_vec());
            }
        }
        let mut builder = MapBuilder::memory();
        for term in terms {
            // Keys are sorted and distinct, so inserting cannot fail.
            let _ = builder.insert(term, 0);
        }
        builder.into_inner().unwrap_or_default()
    }
}

/// Where an index keeps its sound table: a file in its folder, or memory for an index in RAM.
#[derive(Clone)]
pub enum SoundStore {
    /// The index folder.
    Folder(PathBuf),
    /// The table's bytes, shared by the index's writer and searchers.
    Memory(Arc<Mutex<Vec<u8>>>),
}

impl SoundStore {
    /// Reads the table; an index without one (none indexed yet) has an empty table.
    pub fn load(&self) -> Result<SoundTable, SoundTableError> {
        let bytes = match self {
            SoundStore::Folder(folder) => match std::fs::read(folder.join(SOUNDS_FILE)) {
                Ok(bytes) => bytes,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => Vec::new(),
                Err(e) => return Err(self.error(e.to_string())),
            },
            SoundStore::Memory(bytes) => bytes.lock().map(|b| b.clone()).unwrap_or_default(),
        };
        SoundTable::from_bytes(bytes).map_err(|e| self.error(e.to_string()))
    }

    /// Replaces the table; in a folder, atomically (a new file renamed over the old one), so
    /// that a reader sees the old table or the new one, never a part.
    pub fn save(&self, bytes: Vec<u8>) -> Result<(), SoundTableError> {
        match self {
            SoundStore::Folder(folder) => {
                super::write_replacing(&folder.join(SOUNDS_FILE), &bytes).map_err(|e| self.error(e.to_string()))
            }
            SoundStore::Memory(shared) => {
                if let Ok(mut shared) = shared.lock() {
                    *shared = bytes;
                }
                Ok(())
            }
        }
    }

    fn error(&self, reason: String) -> SoundTableError {
        let path = match self {
            SoundStore::Folder(folder) => folder.join(SOUNDS_FILE),
            SoundStore::Memory(_) => PathBuf::from("(memory)"),
        };
        SoundTableError { path, reason }
    }
}

/// A sound table read on first use: most searches have no rare word and never need it.
pub struct LazySoundTable {
    store: SoundStore,
    table: OnceLock<SoundTable>,
}

impl LazySoundTable {
    /// A table to be read from `store` when first asked for.
    pub fn new(store: SoundStore) -> LazySoundTable {
        LazySoundTable { store, table: OnceLock::new() }
    }

    /// The table; empty when it cannot be read, as sound-alikes only ever add to a search.
    pub fn get(&self) -> &SoundTable {
        self.table.get_or_init(|| self.store.load().unwrap_or_default())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn misheard_forms_share_a_key() {
        for (meant, heard) in [
            ("gpt", "gpd"),
            ("sweebench", "swebench"),
            ("llamaguard", "lamaguard"),
            ("liang", "lang"),
            ("query", "courier"),
        ] {
            assert_eq!(sound_key(meant), sound_key(heard), "{meant} ~ {heard}");
        }
        assert_ne!(sound_key("mistral"), sound_key("distillation"));
    }

    #[test]
    fn the_table_finds_words_by_key_and_keeps_old_words() {
        let mut words = FxHashSet::default();
        collect_words("Nistral and Mistral, at 405B; Café x1 me", &mut words);
        let mut expected: Vec<&str> = vec!["and", "cafe", "mistral", "nistral"];
        let mut got: Vec<&str> = words.iter().map(String::as_str).collect();
        got.sort_unstable();
        expected.sort_unstable();
        assert_eq!(got, expected, "words of three letters or more, folded, without digits");

        let store = SoundStore::Memory(Arc::default());
        store.save(SoundTable::default().with_words(&words)).unwrap();
        let mut later = FxHashSet::default();
        collect_words("mistrial", &mut later);
        store.save(store.load().unwrap().with_words(&later)).unwrap();
        let table = store.load().unwrap();
        let key = sound_key("mistral").unwrap();
        assert_eq!(table.words_sounding(&key), ["mistral", "mistrial"]);
        assert_eq!(table.words_sounding(&sound_key("nistral").unwrap()), ["nistral"]);
        assert_eq!(table.len(), 5);
    }

    #[test]
    fn a_folder_without_a_table_has_an_empty_one() {
        let folder = std::env::temp_dir().join(format!("talksearch-sounds-{}", std::process::id()));
        std::fs::create_dir_all(&folder).unwrap();
        let store = SoundStore::Folder(folder.clone());
        assert!(store.load().unwrap().is_empty());
        let mut words = FxHashSet::default();
        collect_words("lamaguard", &mut words);
        store.save(SoundTable::default().with_words(&words)).unwrap();
        assert_eq!(store.load().unwrap().words_sounding(&sound_key("llamaguard").unwrap()), ["lamaguard"]);
        std::fs::write(folder.join(SOUNDS_FILE), b"not an fst").unwrap();
        assert!(store.load().unwrap_err().to_string().contains(SOUNDS_FILE));
        std::fs::remove_dir_all(folder).unwrap();
    }

    #[test]
    fn short_and_numeric_words_have_no_key() {
        assert_eq!(sound_key("ab"), None);
        assert_eq!(sound_key("405"), None);
        assert_eq!(sound_term("llama").as_deref(), Some("LM:llama"));
        assert_eq!(split_sound_term("LM:llama"), Some(("LM", "llama")));
    }
}
