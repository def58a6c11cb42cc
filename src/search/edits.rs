//! Words within a few edits of an ASCII word, as an automaton over the term dictionary that
//! computes the edit distance row by row while the dictionary is walked.
//!
//! tantivy's `FuzzyTermQuery` compiles a Levenshtein DFA instead. Its builder for two edits
//! costs about 3M instructions (1 ms) once per process, a third of a whole CLI search that
//! needs it, and every word then pays for its own DFA. This automaton needs no building: each
//! step of the walk costs one row of the distance table, and the walk stops where no row
//! entry is within reach. Only the band of a row within `edits` of its diagonal can be within
//! reach, so a row is `2 × edits + 1` numbers whatever the word's length.

use tantivy_fst::Automaton;

/// Most edits this automaton takes; more go through tantivy's DFA.
pub const MAX_EDITS: u8 = 3;

/// Cells of a row's band.
const BAND: usize = 2 * MAX_EDITS as usize + 1;

/// Longest word this automaton takes, in bytes; longer ones go through tantivy's DFA.
pub const MAX_WORD_BYTES: usize = 64;

/// Index terms within `edits` of an ASCII word, a swap of two neighbours counting as one edit
/// (optimal string alignment distance, the distance of tantivy's `FuzzyTermQuery` with
/// transpositions).
#[derive(Debug, Clone)]
pub struct WithinEdits {
    word: Vec<u8>,
    edits: u8,
}

impl WithinEdits {
    /// The automaton for `word`, or `None` when the word is not ASCII, is longer than
    /// [`MAX_WORD_BYTES`] or `edits` is above [`MAX_EDITS`].
    pub fn new(word: &str, edits: u8) -> Option<WithinEdits> {
        let fits = word.is_ascii() && word.len() <= MAX_WORD_BYTES && edits <= MAX_EDITS;
        fits.then(|| WithinEdits { word: word.as_bytes().to_vec(), edits })
    }

    /// The distance from the first `j` bytes of the word to nothing: `j` deletions.
    fn out_of_reach(&self) -> u8 {
        self.edits + 1
    }
}

/// Where the walk is after `read` bytes: the band of the distance table's last row (cell `d`
/// holds the distance from those bytes to the word's first `read + d - edits` bytes, or
/// `edits + 1` when that is out of reach or out of the word), the band of the row before, for
/// swaps, and the last byte read.
#[derive(Debug, Clone, Copy)]
pub struct Rows {
    band: [u8; BAND],
    previous: [u8; BAND],
    read: u16,
    last_byte: Option<u8>,
}

impl Automaton for WithinEdits {
    type State = Rows;

    fn start(&self) -> Rows {
        let k = usize::from(self.edits);
        let mut band = [self.out_of_reach(); BAND];
        // Row 0: the distance to the word's first j bytes is j.
        for j in 0..=k.min(self.word.len()) {
            band[k + j] = j as u8;
        }
        Rows { band, previous: [self.out_of_reach(); BAND], read: 0, last_byte: None }
    }

    fn is_match(&self, state: &Rows) -> bool {
        let k = i64::from(self.edits);
        let d = self.word.len() as i64 - i64::from(state.read) + k;
        (0..=2 * k).contains(&d) && state.band[d as usize] <= self.edits
    }

    fn can_match(&self, state: &Rows) -> bool {
        // A swap reaches back two rows, but only to cells a substitution already bounds in the
        // current one, so a row beyond reach ends every path through it.
        state.band[..=2 * usize::from(self.edits)].iter().any(|&d| d <= self.edits)
    }

    fn accept(&self, state: &Rows, byte: u8) -> Rows {
        let k = usize::from(self.edits);
        let far = self.out_of_reach();
        let read = usize::from(state.read) + 1;
        let mut band = [far; BAND];
        for d in 0..=2 * k {
            // Cell d of the new row is the distance to the word's first `j` bytes.
            let Some(j) = (read + d).checked_sub(k).filter(|&j| j <= self.word.len()) else { continue };
            if j == 0 {
                band[d] = far.min(read as u8);
                continue;
            }
            let expected = self.word[j - 1];
            let substitution = state.band[d].saturating_add(u8::from(expected != byte));
            let deletion = state.band.get(d + 1).filter(|_| d < 2 * k).map_or(far, |&c| c.saturating_add(1));
            let insertion = if d > 0 { band[d - 1].saturating_add(1) } else { far };
            let mut best = substitution.min(deletion).min(insertion);
            if j >= 2 && state.last_byte == Some(expected) && self.word[j - 2] == byte {
                best = best.min(state.previous[d].saturating_add(1));
            }
            band[d] = best.min(far);
        }
        Rows { band, previous: state.band, read: read as u16, last_byte: Some(byte) }
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
