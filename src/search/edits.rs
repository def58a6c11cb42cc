//! Words within a few edits of an ASCII word, as an automaton over the term dictionary that
//! computes the edit distance while the dictionary is walked.
//!
//! tantivy's `FuzzyTermQuery` compiles a Levenshtein DFA instead. Its builder for two edits
//! costs about 3M instructions (1 ms) once per process, a third of a whole CLI search that
//! needs it, and every word then pays for its own DFA. This automaton needs no building. Its
//! state is, for each number of edits `e` up to the most allowed, the set of the word's
//! prefixes within `e` edits of the bytes read, one bit per prefix length (the bit-parallel
//! simulation of the Levenshtein automaton of Wu and Manber, and Baeza-Yates and Navarro): a
//! step of the walk is a few shifts and masks per allowed edit. Computing the band of the
//! distance table's row cell by cell instead took four times the instructions, and the step
//! runs once per dictionary byte a walk reaches: tens of thousands for a word within two edits.

use tantivy_fst::Automaton;

/// Most edits this automaton takes; more go through tantivy's DFA.
pub const MAX_EDITS: u8 = 3;

/// Longest word this automaton takes, in bytes, so that its prefix lengths, 0 to this, fit the
/// bits of a `u64`; longer ones go through tantivy's DFA.
pub const MAX_WORD_BYTES: usize = 63;

/// Sets of prefix lengths, one per number of edits from 0 to [`MAX_EDITS`].
type PrefixSets = [u64; MAX_EDITS as usize + 1];

/// Index terms within `edits` of an ASCII word, a swap of two neighbours counting as one edit
/// (optimal string alignment distance, the distance of tantivy's `FuzzyTermQuery` with
/// transpositions).
#[derive(Debug, Clone)]
pub struct WithinEdits {
    edits: u8,
    /// The word's length in bytes: the bit of the whole word.
    len: u32,
    /// Bits 0 to `len`: the prefix lengths there are.
    lengths: u64,
    /// For each byte, the prefix lengths that end in it (bit `j` when the word's `j`th byte,
    /// counted from 1, is that byte).
    ends_in: Box<[u64; 256]>,
}

impl WithinEdits {
    /// The automaton for `word`, or `None` when the word is not ASCII, is longer than
    /// [`MAX_WORD_BYTES`] or `edits` is above [`MAX_EDITS`].
    pub fn new(word: &str, edits: u8) -> Option<WithinEdits> {
        if !word.is_ascii() || word.len() > MAX_WORD_BYTES || edits > MAX_EDITS {
            return None;
        }
        let mut ends_in = Box::new([0u64; 256]);
        for (at, &byte) in word.as_bytes().iter().enumerate() {
            ends_in[usize::from(byte)] |= 1 << (at + 1);
        }
        let len = word.len() as u32;
        Some(WithinEdits { edits, len, lengths: u64::MAX >> (63 - len), ends_in })
    }
}

/// Where the walk is: for each number of edits `e`, the set of the word's prefix lengths `j`
/// whose prefix is within `e` edits of the bytes read (bit `j`); the same sets one byte
/// earlier, for swaps; and the prefix lengths ending in the last byte read.
#[derive(Debug, Clone, Copy)]
pub struct Rows {
    within: PrefixSets,
    previous: PrefixSets,
    last_ends: u64,
}

impl Automaton for WithinEdits {
    type State = Rows;

    fn start(&self) -> Rows {
        // Nothing read: the prefix of length j is j edits away.
        let mut within = [0; MAX_EDITS as usize + 1];
        for (e, set) in within.iter_mut().enumerate().take(usize::from(self.edits) + 1) {
            *set = (u64::MAX >> (63 - e)) & self.lengths;
        }
        Rows { within, previous: [0; MAX_EDITS as usize + 1], last_ends: 0 }
    }

    fn is_match(&self, state: &Rows) -> bool {
        state.within[usize::from(self.edits)] >> self.len & 1 == 1
    }

    fn can_match(&self, state: &Rows) -> bool {
        // The sets grow with the edits: the last holds every prefix still within reach.
        state.within[usize::from(self.edits)] != 0
    }

    fn accept(&self, state: &Rows, byte: u8) -> Rows {
        let ends = self.ends_in[usize::from(byte)];
        let old = &state.within;
        let mut within = [0; MAX_EDITS as usize + 1];
        // The word's byte j is the byte read: as far as its prefix j - 1 was.
        within[0] = (old[0] << 1) & ends;
        for e in 1..=usize::from(self.edits) {
            let matched = (old[e] << 1) & ends;
            let substituted = old[e - 1] << 1;
            let byte_added = old[e - 1];
            let byte_missing = within[e - 1] << 1;
            // The last two bytes read are the word's bytes j and j - 1, in that order.
            let swapped = (state.previous[e - 1] << 2) & (ends << 1) & state.last_ends;
            within[e] = (matched | substituted | byte_added | byte_missing | swapped) & self.lengths;
        }
        Rows { within, previous: *old, last_ends: ends }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn distance_within(word: &str, candidate: &str, edits: u8) -> bool {
        crate::search::automaton_accepts(&WithinEdits::new(word, edits).unwrap(), candidate)
    }

    #[test]
    fn matches_words_within_the_edits_allowed() {
        assert!(distance_within("mistral", "mistral", 0));
        assert!(distance_within("mistral", "nistral", 1));
        assert!(!distance_within("mistral", "nistral", 0));
        assert!(distance_within("form", "from", 1), "a swap is one edit");
        assert!(distance_within("llama", "lava", 2));
        assert!(!distance_within("llama", "lava", 1));
        assert!(distance_within("distillation", "distilation", 1), "a deletion");
        assert!(distance_within("infrence", "inference", 1), "an insertion");
        assert!(!distance_within("distillation", "mistral", 2));
        assert!(distance_within("ab", "", 2) && !distance_within("ab", "", 1));
    }

    #[test]
    fn agrees_with_the_edit_distance_on_every_pair_of_some_words() {
        let words = [
            "",
            "a",
            "ab",
            "ba",
            "abc",
            "acb",
            "bca",
            "llama",
            "lama",
            "lava",
            "lamaguard",
            "llamaguard",
            "model",
            "models",
            "modle",
            "medal",
            "form",
            "from",
            "forms",
            "infrence",
            "inference",
            "inferences",
        ];
        for word in words {
            for candidate in words {
                let distance = crate::search::fuzzy::edit_distance(word, candidate, 4);
                for edits in 0..=MAX_EDITS {
                    assert_eq!(
                        distance_within(word, candidate, edits),
                        distance <= usize::from(edits),
                        "{word:?} ~ {candidate:?} within {edits} (distance {distance})"
                    );
                }
            }
        }
    }

    #[test]
    fn refuses_words_it_cannot_take() {
        assert!(WithinEdits::new("émile", 1).is_none());
        assert!(WithinEdits::new(&"a".repeat(MAX_WORD_BYTES + 1), 1).is_none());
        assert!(WithinEdits::new(&"a".repeat(MAX_WORD_BYTES), 1).is_some());
        assert!(WithinEdits::new("model", MAX_EDITS + 1).is_none());
    }
}
