//! A small table of short words, each with a short value, for the lookups indexing makes for
//! every word it reads.
//!
//! Speech repeats a few thousand words: most of a transcript's words are among the most common
//! ones. A map of every word seen grows to megabytes, and each lookup in it misses the CPU's
//! caches two or three times (the bucket, then the key's bytes elsewhere on the heap). This
//! table keeps words and values in place, one slot per word chosen by the word's hash, in 512
//! KB that stay in the CPU's second-level cache: a lookup reads one slot. A word whose slot
//! another word took since is simply not found, and the caller falls back to its map. (Four
//! times fewer slots missed more words, and the lookups of the map behind them cost more than
//! the smaller table saved.)

use rustc_hash::FxBuildHasher;
use std::hash::BuildHasher;

/// Longest word and value a slot holds, in bytes.
pub const SHORT_WORD_BYTES: usize = 15;

const SLOTS: usize = 16384;
const SLOT_BYTES: usize = 2 * (SHORT_WORD_BYTES + 1);

/// Short words and their values, the latest word for each slot.
pub struct ShortWords {
    /// Each slot: the word's bytes, zero-padded, then its length; the same for the value. A
    /// length of 0 marks an empty slot (words are never empty).
    slots: Vec<[u8; SLOT_BYTES]>,
}

impl Default for ShortWords {
    fn default() -> Self {
        // Zeroed memory: the pages of slots never used are never touched.
        ShortWords { slots: vec![[0; SLOT_BYTES]; SLOTS] }
    }
}

impl ShortWords {
    fn slot_of(word: &str) -> usize {
        FxBuildHasher.hash_one(word.as_bytes()) as usize % SLOTS
    }

    /// The value last stored for `word`, if its slot still holds it.
    pub fn get(&self, word: &str) -> Option<&str> {
        let slot = &self.slots[Self::slot_of(word)];
        let (key, value) = slot.split_at(SHORT_WORD_BYTES + 1);
        if word.is_empty() || usize::from(key[SHORT_WORD_BYTES]) != word.len() || &key[..word.len()] != word.as_bytes()
        {
            return None;
        }
        std::str::from_utf8(&value[..usize::from(value[SHORT_WORD_BYTES])]).ok()
    }

    /// Stores `value` for `word` in the word's slot, replacing what was there; words or values
    /// longer than [`SHORT_WORD_BYTES`] are not stored.
    pub fn insert(&mut self, word: &str, value: &str) {
        if word.is_empty() || word.len() > SHORT_WORD_BYTES || value.len() > SHORT_WORD_BYTES {
            return;
        }
        let slot = &mut self.slots[Self::slot_of(word)];
        slot.fill(0);
        let (key, stored) = slot.split_at_mut(SHORT_WORD_BYTES + 1);
        key[..word.len()].copy_from_slice(word.as_bytes());
        key[SHORT_WORD_BYTES] = word.len() as u8;
        stored[..value.len()].copy_from_slice(value.as_bytes());
        stored[SHORT_WORD_BYTES] = value.len() as u8;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_what_was_stored_and_nothing_else() {
        let mut words = ShortWords::default();
        assert_eq!(words.get("running"), None);
        words.insert("running", "run");
        words.insert("models", "model");
        assert_eq!(words.get("running"), Some("run"));
        assert_eq!(words.get("models"), Some("model"));
        assert_eq!(words.get("runnin"), None, "a prefix is another word");
        assert_eq!(words.get("runningg"), None, "a longer word is another word");
        words.insert("running", "ran");
        assert_eq!(words.get("running"), Some("ran"), "the latest value wins");
    }

    #[test]
    fn long_words_and_values_are_not_stored() {
        let mut words = ShortWords::default();
        let long = "x".repeat(SHORT_WORD_BYTES + 1);
        words.insert(&long, "x");
        words.insert("x", &long);
        assert_eq!(words.get(&long), None);
        assert_eq!(words.get("x"), None);
        let longest = "y".repeat(SHORT_WORD_BYTES);
        words.insert(&longest, &longest);
        assert_eq!(words.get(&longest), Some(longest.as_str()));
    }

    #[test]
    fn empty_values_and_non_ascii_words_are_kept() {
        let mut words = ShortWords::default();
        words.insert("naïve", "");
        words.insert("café", "caf");
        assert_eq!(words.get("naïve"), Some(""));
        assert_eq!(words.get("café"), Some("caf"));
        assert_eq!(words.get(""), None);
    }

    #[test]
    fn a_word_whose_slot_was_taken_is_not_found() {
        let mut words = ShortWords::default();
        words.insert("alpha", "a");
        let rival = (0..)
            .map(|n| format!("w{n}"))
            .find(|word| ShortWords::slot_of(word) == ShortWords::slot_of("alpha"))
            .unwrap();
        words.insert(&rival, "r");
        assert_eq!(words.get("alpha"), None);
        assert_eq!(words.get(&rival), Some("r"));
    }
}
