//! Sound-alike keys: what the `sound` field holds, so that a misheard or misspelled word
//! (`Nistral`, `Lamaguard`, `Percy Lang`) can be found from what the user meant.
//!
//! Each word of a passage is indexed once more as `KEY:word`, where `KEY` is the word's
//! Double Metaphone primary code and `word` its folded, unstemmed form. The keys come first so
//! that every word sounding like another is one range scan of the term dictionary away, and the
//! words come after so that a search can turn a sound-alike into ordinary `text` terms: those
//! rank, count and highlight like any other word. The dictionary of this field is thus also
//! the index's list of surface words, which "did you mean" suggestions are built from.

use rphonetic::DoubleMetaphone;
use std::cell::RefCell;
use std::collections::HashMap;

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
    fn short_and_numeric_words_have_no_key() {
        assert_eq!(sound_key("ab"), None);
        assert_eq!(sound_key("405"), None);
        assert_eq!(sound_term("llama").as_deref(), Some("LM:llama"));
        assert_eq!(split_sound_term("LM:llama"), Some(("LM", "llama")));
    }
}
