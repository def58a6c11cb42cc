//! Snippets: the part of a passage that shows why it matched, with every matched word form
//! marked as a byte range. No markup: the renderers decide how a highlight looks.

use crate::index::analyzer::{analyzer, for_each_token};
use serde::Serialize;
use std::collections::HashSet;
use std::ops::Range;
use tantivy::tokenizer::TextAnalyzer;

/// A fragment of a passage with highlighted byte ranges into `text`.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Snippet {
    /// The fragment; `…` marks where the passage was cut.
    pub text: String,
    /// Byte ranges of `text`, one per matched word, ascending.
    pub highlights: Vec<Range<usize>>,
}

/// Finds matched words in passages and cuts snippets around them.
pub struct Highlighter {
    analyzer: TextAnalyzer,
    terms: HashSet<String>,
    phrases: Vec<Vec<String>>,
    prefixes: Vec<String>,
    max_bytes: usize,
}

/// A word of the passage that matches the query.
#[derive(Debug, Clone)]
struct Match {
    range: Range<usize>,
    term: String,
}

impl Highlighter {
    /// Highlights words whose analyzed form is one of `terms` or starts with one of `prefixes`,
    /// and the words of each of `phrases` where they stand together, in snippets of about
    /// `max_bytes`.
    pub fn new(
        terms: HashSet<String>,
        phrases: Vec<Vec<String>>,
        prefixes: Vec<String>,
        max_bytes: usize,
    ) -> Highlighter {
        Highlighter { analyzer: analyzer(), terms, phrases, prefixes, max_bytes: max_bytes.max(40) }
    }

    fn matches(&mut self, text: &str) -> Vec<Match> {
        let mut tokens: Vec<Match> = Vec::new();
        for_each_token(&mut self.analyzer, text, |token| {
            tokens.push(Match { range: token.offset_from..token.offset_to, term: token.text.clone() });
        });
        let mut matched = vec![false; tokens.len()];
        for (i, token) in tokens.iter().enumerate() {
            matched[i] =
                self.terms.contains(&token.term) || self.prefixes.iter().any(|p| token.term.starts_with(p.as_str()));
        }
        for phrase in &self.phrases {
            for start in 0..tokens.len().saturating_sub(phrase.len() - 1) {
                let together = phrase.iter().enumerate().all(|(k, term)| &tokens[start + k].term == term);
                if together {
                    matched[start..start + phrase.len()].iter_mut().for_each(|m| *m = true);
                }
            }
        }
        tokens.into_iter().zip(matched).filter_map(|(token, hit)| hit.then_some(token)).collect()
    }

    /// All of `text`, highlighted, and the byte offset of its first highlighted word.
    pub fn whole(&mut self, text: &str) -> (Snippet, Option<usize>) {
        let matches = self.matches(text);
        let highlights = matches.iter().map(|m| m.range.clone()).collect();
        let first = matches.first().map(|m| m.range.start);
        (Snippet { text: text.to_string(), highlights }, first)
    }

    /// The snippet of `text` and the byte offset (into `text`) of its first highlighted word.
    pub fn snippet(&mut self, text: &str) -> (Snippet, Option<usize>) {
        if text.len() <= self.max_bytes {
            return self.whole(text);
        }
        let matches = self.matches(text);
        let window = best_window(&matches, self.max_bytes);
        let (start, end) = match window.clone() {
            Some(w) => {
                let span = matches[w.end - 1].range.end - matches[w.start].range.start;
                let lead = (self.max_bytes.saturating_sub(span)) / 3;
                let start = matches[w.start].range.start.saturating_sub(lead);
                (start, start + self.max_bytes)
            }
            None => (0, self.max_bytes),
        };
        let (start, end) = snap_to_words(text, start, end.min(text.len()));
        let mut fragment = String::with_capacity(end - start + 8);
        if start > 0 {
            fragment.push('…');
        }
        let shift = fragment.len();
        fragment.push_str(&text[start..end]);
        if end < text.len() {
            fragment.push('…');
        }
        let highlights = matches
            .iter()
            .filter(|m| m.range.start >= start && m.range.end <= end)
            .map(|m| m.range.start - start + shift..m.range.end - start + shift)
            .collect();
        let first = window.map(|w| matches[w.start].range.start);
        (Snippet { text: fragment, highlights }, first)
    }
}

/// The run of matches, fitting in `max_bytes`, with the most distinct terms (then the most
/// matches, then the earliest).
fn best_window(matches: &[Match], max_bytes: usize) -> Option<Range<usize>> {
    let mut best: Option<(usize, usize, Range<usize>)> = None;
    let mut end = 0;
    for start in 0..matches.len() {
        end = end.max(start + 1);
        while end < matches.len() && matches[end].range.end - matches[start].range.start <= max_bytes {
            end += 1;
        }
        let distinct = matches[start..end].iter().map(|m| m.term.as_str()).collect::<HashSet<_>>().len();
        let count = end - start;
        if best.as_ref().is_none_or(|(d, c, _)| (distinct, count) > (*d, *c)) {
            best = Some((distinct, count, start..end));
        }
    }
    best.map(|(_, _, range)| range)
}

/// Moves `start` forward and `end` back to whitespace so no word is cut; prefers to start at a
/// sentence when one begins shortly after `start`.
fn snap_to_words(text: &str, start: usize, end: usize) -> (usize, usize) {
    let floor = |mut i: usize| {
        while !text.is_char_boundary(i) {
            i -= 1;
        }
        i
    };
    let (start, end) = (floor(start), floor(end));
    let start = if start == 0 {
        0
    } else {
        let window = &text[start..end];
        let sentence = window.find(". ").filter(|&i| i < 60).map(|i| start + i + 2);
        let word = window.find(char::is_whitespace).map(|i| start + i + 1);
        sentence.or(word).unwrap_or(start)
    };
    let end = if end >= text.len() {
        text.len()
    } else {
        text[start..end].rfind(char::is_whitespace).map_or(end, |i| start + i)
    };
    (start, end.max(start))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn highlighter(words: &[&str], max: usize) -> Highlighter {
        let mut analyzer = analyzer();
        let mut terms = HashSet::new();
        for word in words {
            for_each_token(&mut analyzer, word, |t| {
                terms.insert(t.text.clone());
            });
        }
        Highlighter::new(terms, Vec::new(), Vec::new(), max)
    }

    fn marked(snippet: &Snippet) -> Vec<&str> {
        snippet.highlights.iter().map(|r| &snippet.text[r.clone()]).collect()
    }

    #[test]
    fn highlights_every_word_form() {
        let (snippet, first) = highlighter(&["distillation"], 200).snippet("Distilling works; distillation too.");
        assert_eq!(marked(&snippet), ["Distilling", "distillation"]);
        assert_eq!(first, Some(0));
    }

    #[test]
    fn cuts_long_passages_at_word_boundaries_around_the_match() {
        let text =
            format!("{} the distillation step {}", "filler words here. ".repeat(30), "more text after. ".repeat(30));
        let (snippet, first) = highlighter(&["distillation"], 120).snippet(&text);
        assert!(snippet.text.starts_with('…') && snippet.text.ends_with('…'), "{}", snippet.text);
        assert!(snippet.text.len() <= 120 + 6);
        assert_eq!(marked(&snippet), ["distillation"]);
        assert_eq!(&text[first.unwrap()..first.unwrap() + 12], "distillation");
        let inner = snippet.text.trim_matches('…');
        assert!(text.contains(inner));
        let at = text.find(inner).unwrap();
        assert!(text[..at].ends_with(' '), "starts at a word");
        assert!(text[at + inner.len()..].starts_with(' '), "ends at a word");
    }

    #[test]
    fn highlights_phrase_words_only_where_they_stand_together() {
        let phrase = vec![vec!["synthet".to_string(), "data".to_string()]];
        let mut highlighter = Highlighter::new(HashSet::new(), phrase, Vec::new(), 200);
        let (snippet, first) = highlighter.snippet("Data first; then synthetic data; synthetic voices.");
        assert_eq!(marked(&snippet), ["synthetic", "data"]);
        assert_eq!(first, Some(17));
    }

    #[test]
    fn prefers_the_window_with_most_distinct_terms() {
        let text = format!("data {} synthetic data here {}", "x ".repeat(200), "y ".repeat(200));
        let (snippet, _) = highlighter(&["synthetic", "data"], 80).snippet(&text);
        assert_eq!(marked(&snippet), ["synthetic", "data"]);
    }
}
