//! Snippets: the parts of a passage that show why it matched, with every matched word form
//! marked as a byte range. No markup: the renderers decide how a highlight looks.
//!
//! A long turn gets up to [`MAX_FRAGMENTS`] fragments, joined by ` … `, when the words it
//! matched are too far apart for one: the best window first, then one for each matched term
//! not yet shown. Fragments are cut at a sentence when one starts or ends close enough, else
//! between words, never inside one. A phrase is one highlight from its first word to its last.

use crate::index::analyzer::{WordTokenizer, analyzer, for_each_token, words_are_ascii};
use rustc_hash::FxHashMap;
use serde::Serialize;
use std::collections::HashSet;
use std::ops::Range;
use tantivy::tokenizer::{TextAnalyzer, TokenStream, Tokenizer};

/// Words longer than this many bytes are not indexed (the analyzer drops them), so never match.
const MAX_WORD_BYTES: usize = 64;

/// Most fragments one snippet shows.
pub const MAX_FRAGMENTS: usize = 3;

/// What joins two fragments of a snippet.
const FRAGMENT_JOINER: &str = " … ";

/// A fragment of a passage with highlighted byte ranges into `text`.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Snippet {
    /// The fragments, joined by ` … `; `…` also marks where the passage was cut.
    pub text: String,
    /// Byte ranges of `text`, one per matched word or phrase, ascending.
    pub highlights: Vec<Range<usize>>,
}

/// An analyzed term seen by a [`Highlighter`], by number: words are compared as numbers.
type TermId = u32;

/// The [`Match::term`] of the `i`th phrase: numbers from the top, apart from terms'.
fn phrase_id(i: usize) -> TermId {
    TermId::MAX - i as TermId
}

/// Finds matched words in passages and cuts snippets around them.
pub struct Highlighter {
    analyzer: TextAnalyzer,
    /// The term of each folded word seen: stemming is most of the cost of a snippet, and
    /// passages repeat their words.
    stems: FxHashMap<String, TermId>,
    /// Every term seen, by id, and whether it matches on its own (once asked).
    seen: Vec<SeenTerm>,
    /// The id of each term in `seen`.
    ids: FxHashMap<String, TermId>,
    /// A word being lowercased, kept for its buffer.
    lowered: String,
    terms: HashSet<String>,
    phrases: Vec<Vec<String>>,
    prefixes: Vec<String>,
    /// What every word that may match starts with, from the three above.
    heads: Vec<String>,
    max_bytes: usize,
}

struct SeenTerm {
    text: String,
    single: Option<bool>,
}

/// A word or phrase of the passage that matches the query.
#[derive(Debug, Clone)]
struct Match {
    range: Range<usize>,
    /// The term, or for a phrase its [`phrase_id`].
    term: TermId,
}

impl Highlighter {
    /// Highlights words whose analyzed form is one of `terms` or starts with one of `prefixes`,
    /// and each of `phrases` where its words stand together, in snippets of about `max_bytes`.
    pub fn new(
        terms: HashSet<String>,
        phrases: Vec<Vec<String>>,
        prefixes: Vec<String>,
        max_bytes: usize,
    ) -> Highlighter {
        let mut highlighter = Highlighter {
            analyzer: analyzer(),
            stems: FxHashMap::default(),
            seen: Vec::new(),
            ids: FxHashMap::default(),
            lowered: String::new(),
            terms,
            phrases,
            prefixes,
            heads: Vec::new(),
            max_bytes: max_bytes.max(40),
        };
        highlighter.update_heads();
        highlighter
    }

    /// Adds terms and phrases to highlight (close matches found after the query was parsed).
    pub fn extend(&mut self, terms: impl IntoIterator<Item = String>, phrases: impl IntoIterator<Item = Vec<String>>) {
        self.terms.extend(terms);
        self.seen.iter_mut().for_each(|term| term.single = None);
        for phrase in phrases {
            if !phrase.is_empty() && !self.phrases.contains(&phrase) {
                self.phrases.push(phrase);
            }
        }
        self.update_heads();
    }

    fn matches(&mut self, text: &str) -> Vec<Match> {
        // The index's analyzer, split in two: folding per word, and stemming only for words that
        // start like a wanted term (see `head`), as stemming every word of a long turn was most of
        // the cost of a search.
        let heads = std::mem::take(&mut self.heads);
        // Transcripts are mostly ASCII words between curly quotes and dashes.
        let tokens = if words_are_ascii(text) {
            // Without phrases no word needs its neighbours: only candidates are looked at.
            let others = !self.phrases.is_empty();
            self.ascii_words(text, &heads, others)
        } else {
            self.tokens(text, &heads)
        };
        self.heads = heads;
        let mut found: Vec<Match> = Vec::new();
        let mut in_phrase = vec![false; tokens.len()];
        for (i, phrase) in self.phrases.iter().enumerate() {
            // A phrase with a term no word of the passage stems to cannot stand in it.
            let Some(ids) = phrase.iter().map(|term| self.ids.get(term).copied()).collect::<Option<Vec<TermId>>>()
            else {
                continue;
            };
            for start in 0..tokens.len().saturating_sub(ids.len() - 1) {
                let together = ids.iter().enumerate().all(|(k, id)| tokens[start + k].1 == Some(*id));
                if together {
                    let last = start + ids.len() - 1;
                    in_phrase[start..=last].iter_mut().for_each(|m| *m = true);
                    let range = tokens[start].0.start..tokens[last].0.end;
                    found.push(Match { range, term: phrase_id(i) });
                }
            }
        }
        for ((range, term), in_phrase) in tokens.into_iter().zip(in_phrase) {
            let Some(term) = term else { continue };
            if !in_phrase && self.is_single(term) {
                found.push(Match { range, term });
            }
        }
        found.sort_by_key(|m| (m.range.start, std::cmp::Reverse(m.range.end)));
        // Overlapping phrase occurrences ("a a a" for "a a") become one highlight.
        let mut merged: Vec<Match> = Vec::with_capacity(found.len());
        for m in found {
            match merged.last_mut() {
                Some(last) if m.range.start < last.range.end => last.range.end = last.range.end.max(m.range.end),
                _ => merged.push(m),
            }
        }
        merged
    }

    /// The words of `text` with their byte ranges, and the stems of those that start with one of
    /// `heads` (the others cannot match, so are not stemmed).
    fn tokens(&mut self, text: &str, heads: &[String]) -> Vec<(Range<usize>, Option<TermId>)> {
        let mut tokens = Vec::new();
        let mut words = WordTokenizer;
        let mut stream = words.token_stream(text);
        while stream.advance() {
            let token = stream.token();
            if token.text.len() > MAX_WORD_BYTES {
                continue;
            }
            let range = token.offset_from..token.offset_to;
            let term =
                heads.iter().any(|head| token.text.starts_with(head.as_str())).then(|| self.term_id(&token.text));
            tokens.push((range, term));
        }
        tokens
    }

    /// As [`Highlighter::tokens`], for text whose words are ASCII (see [`words_are_ascii`]): the
    /// same words, found byte by byte and folded
    /// only when they start like a wanted term (most words of a long turn are neither). Without
    /// `others` only those words are kept, and the scan jumps from one byte that can start a
    /// head to the next.
    fn ascii_words(&mut self, text: &str, heads: &[String], others: bool) -> Vec<(Range<usize>, Option<TermId>)> {
        let mut starts = [false; 256];
        // An empty head starts every word.
        let every_word = heads.iter().any(String::is_empty);
        if others || every_word {
            starts.iter_mut().enumerate().for_each(|(byte, start)| *start = (byte as u8).is_ascii_alphanumeric());
        }
        // Per lowercase first byte, the heads that start with it: a word is compared with those
        // only (a quote's few dozen heads, compared with every word of ten passages, were a
        // third of its search). Heads are sorted, so those sharing a first byte lie together.
        let mut with_first = [(0, 0); 128];
        for (at, head) in heads.iter().enumerate() {
            let Some(&byte) = head.as_bytes().first() else { continue };
            starts[usize::from(byte.to_ascii_lowercase())] = true;
            starts[usize::from(byte.to_ascii_uppercase())] = true;
            // A word of ASCII text never starts like a head that starts with another byte.
            let Some((start, end)) = with_first.get_mut(usize::from(byte.to_ascii_lowercase())) else { continue };
            (*start, *end) = if start == end { (at, at + 1) } else { (*start, at + 1) };
        }
        let bytes = text.as_bytes();
        let mut tokens = Vec::new();
        let mut i = 0;
        while i < bytes.len() {
            if !starts[usize::from(bytes[i])] {
                i += 1;
                continue;
            }
            let digits = bytes[i].is_ascii_digit();
            // A word starts here unless the byte before is of the same word.
            let inside = i > 0 && bytes[i - 1].is_ascii_alphanumeric() && bytes[i - 1].is_ascii_digit() == digits;
            let start = i;
            while i < bytes.len() && bytes[i].is_ascii_alphanumeric() && bytes[i].is_ascii_digit() == digits {
                i += 1;
            }
            let word = &bytes[start..i];
            if inside || word.len() > MAX_WORD_BYTES {
                continue;
            }
            let starts_like =
                |head: &String| word.len() >= head.len() && word[..head.len()].eq_ignore_ascii_case(head.as_bytes());
            let (first, last) = with_first[usize::from(word.first().map_or(0, u8::to_ascii_lowercase))];
            let candidates = &heads[first..last];
            if every_word || candidates.iter().any(starts_like) {
                let mut lowered = std::mem::take(&mut self.lowered);
                lowered.clear();
                lowered.extend(word.iter().map(|byte| char::from(byte.to_ascii_lowercase())));
                tokens.push((start..i, Some(self.term_id(&lowered))));
                self.lowered = lowered;
            } else if others {
                tokens.push((start..i, None));
            }
        }
        tokens
    }

    /// The id of a folded word's analyzed term, remembered: passages repeat their words.
    fn term_id(&mut self, folded: &str) -> TermId {
        if let Some(&id) = self.stems.get(folded) {
            return id;
        }
        let mut term = folded.to_string();
        for_each_token(&mut self.analyzer, folded, |t| term = t.text.clone());
        let id = match self.ids.get(&term) {
            Some(&id) => id,
            None => {
                let id = self.seen.len() as TermId;
                self.ids.insert(term.clone(), id);
                self.seen.push(SeenTerm { text: term, single: None });
                id
            }
        };
        self.stems.insert(folded.to_string(), id);
        id
    }

    /// Whether a term matches on its own: it is wanted, or starts with a wanted prefix.
    fn is_single(&mut self, id: TermId) -> bool {
        let seen = &mut self.seen[id as usize];
        *seen.single.get_or_insert_with(|| {
            self.terms.contains(&seen.text) || self.prefixes.iter().any(|p| seen.text.starts_with(p.as_str()))
        })
    }

    /// Sets what a word must start with to stem to a wanted term or prefix (see [`head`]).
    fn update_heads(&mut self) {
        let phrase_terms = self.phrases.iter().flatten();
        let terms = self.terms.iter().chain(phrase_terms).chain(&self.prefixes);
        self.heads = terms.map(|t| head(t).to_string()).collect();
        self.heads.sort_unstable();
        self.heads.dedup();
    }

    /// All of `text`, highlighted, and the byte offset of its first highlighted word.
    pub fn whole(&mut self, text: &str) -> (Snippet, Option<usize>) {
        let matches = self.matches(text);
        let highlights = matches.iter().map(|m| m.range.clone()).collect();
        let first = matches.first().map(|m| m.range.start);
        (Snippet { text: text.to_string(), highlights }, first)
    }

    /// The snippet of `text` and the byte offset (into `text`) of the first highlighted word of
    /// its best fragment.
    pub fn snippet(&mut self, text: &str) -> (Snippet, Option<usize>) {
        if text.len() <= self.max_bytes {
            return self.whole(text);
        }
        let matches = self.matches(text);
        let Some(best) = best_window(&matches, self.max_bytes) else {
            let end = snap_end(text, self.max_bytes.min(text.len()), 0);
            return (assemble(text, std::slice::from_ref(&(0..end)), &[]), None);
        };
        let first = matches[best.start].range.start;
        let mut fragments = vec![fragment_around(text, &matches[best.clone()], self.max_bytes)];
        let mut shown: HashSet<TermId> = matches[best].iter().map(|m| m.term).collect();
        // Further fragments, smaller, for the matched terms the first does not show.
        let outside = |m: &Match, fragments: &[Range<usize>]| {
            !fragments.iter().any(|f| f.start <= m.range.start && m.range.end <= f.end)
        };
        while fragments.len() < MAX_FRAGMENTS {
            let Some(missing) = matches.iter().position(|m| outside(m, &fragments) && !shown.contains(&m.term)) else {
                break;
            };
            let budget = self.max_bytes / 2;
            let reach = matches[missing].range.start + budget;
            let nearby: Vec<Match> = matches[missing..]
                .iter()
                .enumerate()
                .filter(|(k, m)| *k == 0 || (outside(m, &fragments) && m.range.end <= reach))
                .map(|(_, m)| m.clone())
                .collect();
            shown.extend(nearby.iter().map(|m| m.term));
            fragments.push(fragment_around(text, &nearby, budget));
        }
        fragments.sort_by_key(|f| f.start);
        let mut merged: Vec<Range<usize>> = Vec::with_capacity(fragments.len());
        for fragment in fragments {
            match merged.last_mut() {
                Some(last) if fragment.start <= last.end + 1 => last.end = last.end.max(fragment.end),
                _ => merged.push(fragment),
            }
        }
        let ranges: Vec<Range<usize>> = matches.iter().map(|m| m.range.clone()).collect();
        (assemble(text, &merged, &ranges), Some(first))
    }
}

/// The start that every word stemming to `term` shares with it: English stemming rewrites only
/// endings, so a stem of four letters or more begins with the word's first three; a shorter
/// stem may come from a word respelled after its first letter (`dying` → `die`).
fn head(term: &str) -> &str {
    let keep = if term.chars().count() >= 4 { 3 } else { 1 };
    let end = term.char_indices().nth(keep).map_or(term.len(), |(i, _)| i);
    &term[..end]
}

/// A snippet of `text` showing the byte range `span` (a quote found in it) as one highlight,
/// with context on both sides up to about `max_bytes` in all.
pub fn span_snippet(text: &str, span: Range<usize>, max_bytes: usize) -> Snippet {
    let matched = Match { range: span.clone(), term: phrase_id(0) };
    let fragment = fragment_around(text, std::slice::from_ref(&matched), max_bytes.max(span.len() + 40));
    assemble(text, &[fragment], &[span])
}

/// Joins `fragments` of `text` (ascending, apart) with `…`, keeping the highlights inside them.
fn assemble(text: &str, fragments: &[Range<usize>], highlights: &[Range<usize>]) -> Snippet {
    let mut out = String::new();
    let mut shifted = Vec::new();
    for (i, fragment) in fragments.iter().enumerate() {
        if i > 0 {
            out.push_str(FRAGMENT_JOINER);
        } else if fragment.start > 0 {
            out.push('…');
        }
        let shift = out.len();
        out.push_str(&text[fragment.clone()]);
        shifted.extend(
            highlights
                .iter()
                .filter(|h| fragment.start <= h.start && h.end <= fragment.end)
                .map(|h| h.start - fragment.start + shift..h.end - fragment.start + shift),
        );
    }
    if fragments.last().is_some_and(|f| f.end < text.len()) {
        out.push('…');
    }
    Snippet { text: out, highlights: shifted }
}

/// The byte range of `text` around `matches` (non-empty, ascending), about `budget` bytes, cut
/// at sentences or words.
fn fragment_around(text: &str, matches: &[Match], budget: usize) -> Range<usize> {
    let must_start = word_start(text, matches[0].range.start);
    let must_end = word_end(text, matches.iter().map(|m| m.range.end).max().unwrap_or(must_start));
    let span = must_end - must_start;
    let lead = budget.saturating_sub(span) / 3;
    let start = snap_start(text, floor_char(text, must_start.saturating_sub(lead)), must_start);
    let end = snap_end(text, floor_char(text, (start + budget).max(must_end).min(text.len())), must_end);
    start..end
}

/// The run of matches, fitting in `max_bytes`, with the most distinct terms (then the most
/// matches, then the earliest).
fn best_window(matches: &[Match], max_bytes: usize) -> Option<Range<usize>> {
    let mut best: Option<(usize, usize, Range<usize>)> = None;
    // How often each term occurs in matches[start..end], kept as the window slides.
    let mut in_window: FxHashMap<TermId, usize> = FxHashMap::default();
    let mut end = 0;
    for start in 0..matches.len() {
        if end == start {
            *in_window.entry(matches[end].term).or_default() += 1;
            end += 1;
        }
        while end < matches.len() && matches[end].range.end - matches[start].range.start <= max_bytes {
            *in_window.entry(matches[end].term).or_default() += 1;
            end += 1;
        }
        let (distinct, count) = (in_window.len(), end - start);
        if best.as_ref().is_none_or(|(d, c, _)| (distinct, count) > (*d, *c)) {
            best = Some((distinct, count, start..end));
        }
        let term = matches[start].term;
        if let Some(n) = in_window.get_mut(&term) {
            *n -= 1;
            if *n == 0 {
                in_window.remove(&term);
            }
        }
    }
    best.map(|(_, _, range)| range)
}

fn floor_char(text: &str, mut i: usize) -> usize {
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Start of the whitespace-separated word around byte `i`.
fn word_start(text: &str, i: usize) -> usize {
    text[..i].rfind(char::is_whitespace).map_or(0, |w| w + text[w..].chars().next().map_or(1, char::len_utf8))
}

/// End of the whitespace-separated word around byte `i`.
fn word_end(text: &str, i: usize) -> usize {
    text[i..].find(char::is_whitespace).map_or(text.len(), |w| i + w)
}

fn ends_sentence(c: char) -> bool {
    matches!(c, '.' | '?' | '!' | '…')
}

/// Where a fragment that should start near `from` starts: at the first sentence that begins
/// between `from` and `must` (the word that must be shown), else at the first word.
fn snap_start(text: &str, from: usize, must: usize) -> usize {
    if from == 0 {
        return 0;
    }
    let window = &text[from..must];
    let mut word = None;
    let mut previous: Option<char> = text[..from].chars().next_back();
    let mut before_previous: Option<char> = text[..from].chars().rev().nth(1);
    for (i, c) in window.char_indices() {
        let after_space = previous.is_some_and(char::is_whitespace) && !c.is_whitespace();
        if after_space && before_previous.is_some_and(ends_sentence) {
            return from + i;
        }
        if after_space && word.is_none() {
            word = Some(from + i);
        }
        before_previous = previous;
        previous = Some(c);
    }
    word.unwrap_or(must)
}

/// Where a fragment that should end near `to` ends: after the last sentence that ends between
/// `must` (the end of the last word that must be shown) and `to`, else after the last word.
fn snap_end(text: &str, to: usize, must: usize) -> usize {
    if to >= text.len() {
        return text.len();
    }
    let window = &text[must..to];
    let next_is_space = |i: usize| text[must + i..].chars().nth(1).is_none_or(char::is_whitespace);
    if let Some((i, c)) = window.char_indices().rev().find(|&(i, c)| ends_sentence(c) && next_is_space(i)) {
        let end = must + i + c.len_utf8();
        // Only when it does not leave most of the room unused.
        if end - must >= (to - must) / 2 {
            return end;
        }
    }
    window.rfind(char::is_whitespace).map_or(must, |i| {
        let trimmed = text[..must + i].trim_end();
        trimmed.len().max(must)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ascii_text_gives_the_same_words_as_the_tokenizer() {
        let seeds = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds");
        let mut texts = vec!["GPT-4o mini, 405B and 3.1: it's x".to_string(), "a".repeat(70) + " b"];
        for entry in std::fs::read_dir(seeds).unwrap() {
            let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
            texts.extend(text.lines().filter(|line| line.is_ascii()).map(str::to_string));
        }
        let heads: Vec<String> = ["mod", "d", "405", "gpt", "s"].map(String::from).to_vec();
        let mut highlighter = highlighter(&["model"], 240);
        let every_word: Vec<String> = vec![String::new()];
        for heads in [&heads, &every_word] {
            for text in &texts {
                let generic = highlighter.tokens(text, heads);
                assert_eq!(highlighter.ascii_words(text, heads, true), generic, "{text}");
                let candidates: Vec<_> = generic.into_iter().filter(|(_, term)| term.is_some()).collect();
                assert_eq!(highlighter.ascii_words(text, heads, false), candidates, "{text}");
            }
        }
        assert!(texts.len() > 100);
    }

    #[test]
    fn every_word_starts_with_the_head_of_its_stem() {
        let seeds = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds");
        let mut analyzer = analyzer();
        let mut checked = 0;
        for entry in std::fs::read_dir(seeds).unwrap() {
            let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
            let mut words = WordTokenizer;
            let mut stream = words.token_stream(&text);
            while stream.advance() {
                let word = stream.token().text.clone();
                for_each_token(&mut analyzer, &word, |stem| {
                    assert!(word.starts_with(head(&stem.text)), "{word} → {}", stem.text);
                    checked += 1;
                });
            }
        }
        for (word, stem) in [("dying", "die"), ("lying", "lie"), ("skies", "sky"), ("news", "news")] {
            for_each_token(&mut analyzer, word, |t| assert_eq!(t.text, stem));
            assert!(word.starts_with(head(stem)), "{word} → {stem}");
        }
        assert!(checked > 5_000, "{checked} words");
    }

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
        assert_eq!(marked(&snippet), ["synthetic data"], "one highlight for the phrase");
        assert_eq!(first, Some(17));
    }

    #[test]
    fn prefers_the_window_with_most_distinct_terms() {
        let text = format!("data {} synthetic data here {}", "x ".repeat(200), "y ".repeat(200));
        let (snippet, _) = highlighter(&["synthetic", "data"], 80).snippet(&text);
        assert_eq!(marked(&snippet), ["synthetic", "data"]);
    }

    #[test]
    fn matches_far_apart_get_a_fragment_each_cut_between_words() {
        let filler = "and then some more words were said about other things. ".repeat(12);
        let text = format!("Alpha opens the talk. {filler}Later the beta idea came up. {filler}The end.");
        let (snippet, first) = highlighter(&["alpha", "beta"], 120).snippet(&text);
        assert_eq!(marked(&snippet), ["Alpha", "beta"]);
        assert_eq!(first, Some(0));
        let fragments: Vec<&str> = snippet.text.split(" … ").map(|f| f.trim_matches('…')).collect();
        assert_eq!(fragments.len(), 2, "{}", snippet.text);
        for fragment in fragments {
            let at = text.find(fragment).expect("a fragment is a piece of the text");
            assert!(at == 0 || text[..at].ends_with(' '), "starts at a word: {fragment:?}");
            let end = at + fragment.len();
            assert!(end == text.len() || text[end..].starts_with(' '), "ends at a word: {fragment:?}");
        }
        assert!(snippet.text.contains("Later the beta idea came up."), "cut at sentences: {}", snippet.text);
    }

    #[test]
    fn a_quote_span_is_one_highlight_with_context() {
        let text =
            format!("{}the moat is your data, he said. {}", "words before. ".repeat(30), "words after. ".repeat(30));
        let start = text.find("the moat").unwrap();
        let snippet = span_snippet(&text, start..start + "the moat is your data".len(), 120);
        assert_eq!(marked(&snippet), ["the moat is your data"]);
        assert!(snippet.text.starts_with('…') && snippet.text.ends_with('…'));
    }

    #[test]
    fn words_between_curly_quotes_and_dashes_are_found_as_by_the_tokenizer() {
        let texts = [
            "I don’t think it’s “gimmicky” — it’s distillation… really, 2024’s models",
            "Gimmicky—distilled—DISTILLATION”s end; ‘quote’ 3D 16,000 GPU’s",
        ];
        for text in texts {
            assert!(words_are_ascii(text), "{text}");
            let mut by_bytes = highlighter(&["gimmicky", "distillation", "models", "gpu"], 120);
            by_bytes.update_heads();
            let heads = by_bytes.heads.clone();
            let scanned = by_bytes.ascii_words(text, &heads, true);
            let mut by_tokens = highlighter(&["gimmicky", "distillation", "models", "gpu"], 120);
            let tokenized = by_tokens.tokens(text, &heads);
            let words = |found: &[(Range<usize>, Option<TermId>)], h: &Highlighter| -> Vec<(String, Option<String>)> {
                found
                    .iter()
                    .map(|(range, id)| (text[range.clone()].to_string(), id.map(|id| h.seen[id as usize].text.clone())))
                    .collect()
            };
            assert_eq!(words(&scanned, &by_bytes), words(&tokenized, &by_tokens), "{text}");
            assert!(scanned.iter().filter(|(_, id)| id.is_some()).count() >= 3);
        }
        assert!(!words_are_ascii("a café — “naïve”"), "accented letters are word characters");
        assert!(!words_are_ascii("e\u{301}cole"), "so are combining marks");
    }
}
