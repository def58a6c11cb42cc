//! Words within a few edits of an ASCII word, as an automaton over the term dictionary that
//! computes the edit distance row by row while the dictionary is walked.
//!
//! tantivy's `FuzzyTermQuery` compiles a Levenshtein DFA instead. Its builder for two edits
//! costs about 3M instructions (1 ms) once per process, a third of a whole CLI search that
//! needs it, and every word then pays for its own DFA. This automaton needs no building: each
//! step of the walk costs one row of the distance table, and the walk stops where no row
//! entry is within reach.

use tantivy_fst::Automaton;

/// Longest word this automaton takes, in bytes; longer ones go through tantivy's DFA.
pub const MAX_WORD_BYTES: usize = 32;

/// Index terms within `edits` of an ASCII word, a swap of two neighbours counting as one edit
/// (optimal string alignment distance, the distance of tantivy's `FuzzyTermQuery` with
/// transpositions).
#[derive(Debug, Clone)]
pub struct WithinEdits {
    word: Vec<u8>,
    edits: u8,
}

impl WithinEdits {
    /// The automaton for `word`, or `None` when the word is not ASCII or is longer than
    /// [`MAX_WORD_BYTES`].
    pub fn new(word: &str, edits: u8) -> Option<WithinEdits> {
        (word.is_ascii() && word.len() <= MAX_WORD_BYTES).then(|| WithinEdits { word: word.as_bytes().to_vec(), edits })
    }
}

/// Where the walk is: the last two rows of the distance table (the distance from each prefix of
/// the word to the bytes read so far, and to those bytes but the last) and the last byte read.
#[derive(Debug, Clone, Copy)]
pub struct Rows {
    row: [u8; MAX_WORD_BYTES + 1],
    previous: [u8; MAX_WORD_BYTES + 1],
    last_byte: Option<u8>,
}

impl Automaton for WithinEdits {
    type State = Rows;

    fn start(&self) -> Rows {
        let mut row = [0; MAX_WORD_BYTES + 1];
        for (j, cell) in row.iter_mut().enumerate().take(self.word.len() + 1) {
            *cell = j as u8;
        }
        Rows { row, previous: [0; MAX_WORD_BYTES + 1], last_byte: None }
    }

    fn is_match(&self, state: &Rows) -> bool {
        state.row[self.word.len()] <= self.edits
    }

    fn can_match(&self, state: &Rows) -> bool {
        // A swap reaches back two rows, but only to cells a substitution already bounds in the
        // current one, so a row beyond reach ends every path through it.
        state.row[..=self.word.len()].iter().any(|&d| d <= self.edits)
    }

    fn accept(&self, state: &Rows, byte: u8) -> Rows {
        let n = self.word.len();
        let mut row = [0; MAX_WORD_BYTES + 1];
        // Distances above `edits + 1` only need to stay above it; saturating keeps them in u8.
        row[0] = state.row[0].saturating_add(1);
        for j in 1..=n {
            let expected = self.word[j - 1];
            let substitution = state.row[j - 1].saturating_add(u8::from(expected != byte));
            let deletion = state.row[j].saturating_add(1);
            let insertion = row[j - 1].saturating_add(1);
            let mut best = substitution.min(deletion).min(insertion);
            if j >= 2 && state.last_byte == Some(expected) && self.word[j - 2] == byte {
                best = best.min(state.previous[j - 2].saturating_add(1));
            }
            row[j] = best;
        }
        Rows { row, previous: state.row, last_byte: Some(byte) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn distance_within(word: &str, candidate: &str, edits: u8) -> bool {
        let automaton = WithinEdits::new(word, edits).unwrap();
        let mut state = automaton.start();
        for &byte in candidate.as_bytes() {
            if !automaton.can_match(&state) {
                return false;
            }
            state = automaton.accept(&state, byte);
        }
        automaton.is_match(&state)
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
                let distance = crate::search::fuzzy::edit_distance(word, candidate, 3);
                for edits in 0..=2u8 {
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
    }
}
