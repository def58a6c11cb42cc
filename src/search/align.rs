//! Word-level alignment of a remembered quote against a stretch of transcript.
//!
//! A fitting alignment: every quote word is accounted for (matched, changed or missing), while
//! the transcript side is free to start and end anywhere, so the result is the span where the
//! quote was said. Besides matches, changes, missing and extra words it knows two slips people
//! and transcribers make: two words swapped, and a word heard as two (or two as one).

/// Score of an extra transcript word inside the span.
const EXTRA_WORD: f32 = -0.4;
/// Score (times the word's weight) of a quote word not said at all.
const MISSING_WORD: f32 = -0.5;
/// Score (times the word's weight) of a quote word said differently.
const CHANGED_WORD: f32 = -0.5;
/// What a swap of two neighbours costs on top of matching both.
const SWAP_COST: f32 = 0.3;
/// A word pairing scored below this is a change, not a match, for swaps, joins and splits.
const MATCH_FLOOR: f32 = 0.5;

/// How well each quote word matches each transcript word, as scores in `[-1, 1]` (1: the same
/// word; negative: unrelated), plus the word pairs that may be one word on the other side.
#[derive(Debug, Clone)]
pub struct Pairings {
    /// Quote words.
    pub quote_len: usize,
    /// Transcript words.
    pub text_len: usize,
    /// `like[i * text_len + j]`: quote word `i` against transcript word `j`.
    pub like: Vec<f32>,
    /// `joined[i * text_len + j]`: quote words `i - 1` and `i` written together against
    /// transcript word `j` (0 for `i = 0`).
    pub joined: Vec<f32>,
    /// `split[i * text_len + j]`: quote word `i` against transcript words `j - 1` and `j`
    /// written together (0 for `j = 0`).
    pub split: Vec<f32>,
    /// How much each quote word counts: rare words more than `the`.
    pub weight: Vec<f32>,
}

/// One step of an alignment, with quote and transcript word indexes.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Step {
    /// Quote word `quote` is transcript word `text`, scored `like` (1 when identical).
    Paired {
        /// Quote word.
        quote: usize,
        /// Transcript word.
        text: usize,
        /// How alike.
        like: f32,
    },
    /// Quote word missing from the transcript.
    Missing {
        /// Quote word.
        quote: usize,
    },
    /// Transcript word the quote does not have.
    Extra {
        /// Transcript word.
        text: usize,
    },
    /// Quote words `quote - 1, quote` said in the other order as `text - 1, text`.
    Swapped {
        /// The second quote word.
        quote: usize,
        /// The second transcript word.
        text: usize,
    },
    /// Quote words `quote - 1, quote` said as the one word `text`.
    Joined {
        /// The second quote word.
        quote: usize,
        /// Transcript word.
        text: usize,
    },
    /// Quote word `quote` said as the two words `text - 1, text`.
    Split {
        /// Quote word.
        quote: usize,
        /// The second transcript word.
        text: usize,
    },
}

/// The best alignment found.
#[derive(Debug, Clone, PartialEq)]
pub struct Alignment {
    /// Its score; the quote's total weight when every word is said as typed.
    pub score: f32,
    /// The steps, in order.
    pub steps: Vec<Step>,
}

impl Alignment {
    /// Transcript words covered, first to last, or `None` when no word of the quote was found.
    pub fn text_span(&self) -> Option<(usize, usize)> {
        let mut indexes = self.steps.iter().flat_map(|step| match *step {
            Step::Paired { text, .. } | Step::Extra { text } | Step::Joined { text, .. } => [Some(text), None],
            Step::Swapped { text, .. } | Step::Split { text, .. } => [Some(text - 1), Some(text)],
            Step::Missing { .. } => [None, None],
        });
        let first = indexes.by_ref().flatten().next()?;
        let last = self.steps.iter().rev().find_map(|step| match *step {
            Step::Paired { text, .. }
            | Step::Extra { text }
            | Step::Joined { text, .. }
            | Step::Swapped { text, .. }
            | Step::Split { text, .. } => Some(text),
            Step::Missing { .. } => None,
        })?;
        Some((first, last))
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Move {
    Start,
    Pair,
    Missing,
    Extra,
    Swap,
    Join,
    Split,
}

/// Aligns the quote against the transcript words; see the module documentation.
pub fn align(p: &Pairings) -> Alignment {
    let (m, n) = (p.quote_len, p.text_len);
    let width = n + 1;
    let mut score = vec![0f32; (m + 1) * width];
    // Row 0 stays 0: transcript words before the span cost nothing.
    let mut moves = vec![Move::Start; (m + 1) * width];
    let at = |i: usize, j: usize| i * width + j;
    let like = |i: usize, j: usize| p.like[i * n + j];
    for i in 1..=m {
        score[at(i, 0)] = score[at(i - 1, 0)] + MISSING_WORD * p.weight[i - 1];
        moves[at(i, 0)] = Move::Missing;
        for j in 1..=n {
            let w = p.weight[i - 1];
            let pair_like = like(i - 1, j - 1);
            let pair_score = if pair_like > 0.0 { pair_like * w } else { CHANGED_WORD * w };
            let mut best = (score[at(i - 1, j - 1)] + pair_score, Move::Pair);
            let mut consider = |value: f32, mv: Move| {
                if value > best.0 {
                    best = (value, mv);
                }
            };
            consider(score[at(i - 1, j)] + MISSING_WORD * w, Move::Missing);
            consider(score[at(i, j - 1)] + EXTRA_WORD, Move::Extra);
            if i >= 2 && j >= 2 {
                let (a, b) = (like(i - 1, j - 2), like(i - 2, j - 1));
                if a >= MATCH_FLOOR && b >= MATCH_FLOOR {
                    let value = score[at(i - 2, j - 2)] + a * w + b * p.weight[i - 2] - SWAP_COST;
                    consider(value, Move::Swap);
                }
            }
            if i >= 2 {
                let joined = p.joined[(i - 1) * n + (j - 1)];
                if joined >= MATCH_FLOOR {
                    consider(score[at(i - 2, j - 1)] + joined * (w + p.weight[i - 2]), Move::Join);
                }
            }
            if j >= 2 {
                let split = p.split[(i - 1) * n + (j - 1)];
                if split >= MATCH_FLOOR {
                    consider(score[at(i - 1, j - 2)] + split * w, Move::Split);
                }
            }
            score[at(i, j)] = best.0;
            moves[at(i, j)] = best.1;
        }
    }
    // The span ends wherever the quote's last word is best placed.
    let (mut j, best) = (0..=n).map(|j| (j, score[at(m, j)])).fold((0, f32::MIN), |a, b| if b.1 > a.1 { b } else { a });
    let mut i = m;
    let mut steps = Vec::with_capacity(m + 8);
    while i > 0 {
        match moves[at(i, j)] {
            Move::Pair => {
                steps.push(Step::Paired { quote: i - 1, text: j - 1, like: like(i - 1, j - 1) });
                i -= 1;
                j -= 1;
            }
            Move::Missing | Move::Start => {
                steps.push(Step::Missing { quote: i - 1 });
                i -= 1;
            }
            Move::Extra => {
                steps.push(Step::Extra { text: j - 1 });
                j -= 1;
            }
            Move::Swap => {
                steps.push(Step::Swapped { quote: i - 1, text: j - 1 });
                i -= 2;
                j -= 2;
            }
            Move::Join => {
                steps.push(Step::Joined { quote: i - 1, text: j - 1 });
                i -= 2;
                j -= 1;
            }
            Move::Split => {
                steps.push(Step::Split { quote: i - 1, text: j - 1 });
                i -= 1;
                j -= 2;
            }
        }
    }
    steps.reverse();
    Alignment { score: best, steps }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Pairings where words are alike when equal (1), with given weights of 1.
    fn pairings(quote: &[&str], text: &[&str]) -> Pairings {
        let (m, n) = (quote.len(), text.len());
        let mut like = vec![-1.0; m * n];
        let mut joined = vec![0.0; m * n];
        let mut split = vec![0.0; m * n];
        for i in 0..m {
            for j in 0..n {
                if quote[i] == text[j] {
                    like[i * n + j] = 1.0;
                }
                if i > 0 && format!("{}{}", quote[i - 1], quote[i]) == text[j] {
                    joined[i * n + j] = 1.0;
                }
                if j > 0 && format!("{}{}", text[j - 1], text[j]) == quote[i] {
                    split[i * n + j] = 1.0;
                }
            }
        }
        Pairings { quote_len: m, text_len: n, like, joined, split, weight: vec![1.0; m] }
    }

    fn words(text: &str) -> Vec<&str> {
        text.split(' ').collect()
    }

    #[test]
    fn finds_the_span_of_an_exact_quote() {
        let text = words("so we said the moat is the data and then we left");
        let found = align(&pairings(&words("the moat is the data"), &text));
        assert_eq!(found.score, 5.0);
        assert_eq!(found.text_span(), Some((3, 7)));
        assert!(found.steps.iter().all(|s| matches!(s, Step::Paired { like, .. } if *like == 1.0)));
    }

    #[test]
    fn tolerates_a_dropped_word_a_swap_and_a_join() {
        let text = words("well your moat is really your data swe bench right");
        let dropped = align(&pairings(&words("your moat is your data"), &text));
        assert_eq!(dropped.text_span(), Some((1, 6)));
        assert!(dropped.steps.contains(&Step::Extra { text: 4 }));

        let swapped = align(&pairings(&words("moat your is"), &words("a your moat is b")));
        assert!(swapped.steps.contains(&Step::Swapped { quote: 1, text: 2 }), "{:?}", swapped.steps);

        let split = align(&pairings(&words("data swebench right"), &text));
        assert!(split.steps.contains(&Step::Split { quote: 1, text: 8 }), "{:?}", split.steps);
        let joined = align(&pairings(&words("the swe bench score"), &words("a the swebench score")));
        assert!(joined.steps.contains(&Step::Joined { quote: 2, text: 2 }), "{:?}", joined.steps);
    }

    #[test]
    fn a_quote_never_said_scores_low() {
        let found = align(&pairings(&words("nothing like this"), &words("a b c d")));
        assert!(found.score < 0.0);
        assert_eq!(found.text_span(), None);
    }
}
