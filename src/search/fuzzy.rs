//! Near-miss and sound-alike terms: what a word typed by a person may look like in a machine
//! transcript, found in the index's own dictionaries.
//!
//! A query word that is rare or absent in the index (see [`Lexicon::is_rare`]) also matches
//! index terms within a few edits (scaled to the word's length, [`max_edits`]), terms that sound
//! alike (same key in the `sound` field, see [`crate::index::phonetic`]), the same number
//! written in words or digits, and the word split in two (`lamaguard` ~ `llama guard`);
//! two adjacent query words also match their joined form (`swe bench` ~ `sweebench`). Each
//! alternative is an ordinary `text` term or phrase, so it ranks, counts and highlights like a
//! typed word; [`expand`] weaves them into a parsed query, below the words as typed.

use super::query::WantedTerms;
use crate::index::Fields;
use crate::index::analyzer::{analyzer, fold_word, for_each_token};
use crate::index::phonetic::{LazySoundTable, sound_key};
use std::collections::{HashMap, HashSet};
use tantivy::query::{
    BooleanQuery, BoostQuery, DisjunctionMaxQuery, FuzzyTermQuery, Occur, PhraseQuery, Query, TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{Searcher, Term};

/// Alternatives kept per word, best first: enough for the usual misspellings, few enough that
/// a query stays fast and its hits on topic.
const MAX_ALTERNATIVES: usize = 6;

/// Sound-alikes kept per word.
const MAX_SOUND_ALIKES: usize = 6;

/// Phrase variants tried when several of a phrase's words have alternatives.
const MAX_PHRASE_VARIANTS: usize = 8;

/// How an index term resembles a typed word.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Likeness {
    /// The same number in digits or words (`3` ~ `three`), or a letter read as a digit (`4o` ~ `4.0`).
    Number,
    /// Spelled within this many edits.
    Spelling(u8),
    /// Sounds the same (same phonetic key), spelled this many edits apart.
    Sound(u8),
    /// The typed word split in two (`lamaguard` ~ `llama guard`).
    Split,
    /// Two typed words joined (`swe bench` ~ `sweebench`), within this many edits.
    Joined(u8),
}

impl Likeness {
    /// How much a match through this likeness counts against a match of the word as typed (1).
    pub fn weight(self) -> f32 {
        match self {
            Likeness::Number => 0.9,
            Likeness::Joined(edits) => 0.9 - 0.1 * f32::from(edits),
            Likeness::Split => 0.6,
            Likeness::Spelling(edits) => 0.65 - 0.2 * f32::from(edits.saturating_sub(1)),
            Likeness::Sound(edits) => (0.55 - 0.05 * f32::from(edits)).max(0.3),
        }
    }
}

/// An index term (or, for [`Likeness::Split`], phrase) that may be what a typed word stands for.
#[derive(Debug, Clone, PartialEq)]
pub struct Alternative {
    /// The analyzed `text` terms: one, or two in a row for a split.
    pub terms: Vec<String>,
    /// A readable form: the word as indexed (folded) when known, else the term.
    pub surface: String,
    /// How it resembles the typed word.
    pub likeness: Likeness,
    /// Passages that contain it.
    pub doc_freq: u64,
}

impl Alternative {
    /// The query that matches it, scored below the typed word.
    pub fn query(&self, text: Field) -> Box<dyn Query> {
        let inner: Box<dyn Query> = match self.terms.as_slice() {
            [single] => term_query(text, single),
            terms => Box::new(PhraseQuery::new(terms.iter().map(|t| Term::from_field_text(text, t)).collect())),
        };
        Box::new(BoostQuery::new(inner, self.likeness.weight()))
    }
}

/// Most edits allowed between a typed word and an index term, by the typed word's length in
/// characters: none below 4 (every short word is a few edits from many others), 1 up to 7, 2
/// from 8.
pub fn max_edits(chars: usize) -> u8 {
    match chars {
        0..=3 => 0,
        4..=7 => 1,
        _ => 2,
    }
}

/// Optimal-string-alignment distance between `a` and `b` (an adjacent swap is one edit), in
/// characters; stops early and returns `limit + 1` once the distance must exceed `limit`.
pub fn edit_distance(a: &str, b: &str, limit: usize) -> usize {
    if a.is_ascii() && b.is_ascii() {
        return bounded_osa(a.as_bytes(), b.as_bytes(), limit);
    }
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    bounded_osa(&a, &b, limit)
}

/// [`edit_distance`] over any symbols; rows live on the stack for words of usual length.
fn bounded_osa<T: PartialEq>(a: &[T], b: &[T], limit: usize) -> usize {
    if a.len().abs_diff(b.len()) > limit {
        return limit + 1;
    }
    const STACK: usize = 48;
    let width = b.len() + 1;
    let (mut stack_rows, mut heap_rows);
    let rows: &mut [usize] = if width <= STACK {
        stack_rows = [0usize; STACK * 3];
        &mut stack_rows[..width * 3]
    } else {
        heap_rows = vec![0usize; width * 3];
        &mut heap_rows
    };
    // Three rows in turn: i - 2, i - 1 and i.
    let row = |i: usize| (i % 3) * width;
    for (j, cell) in rows[..width].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        let (this, previous, before) = (row(i), row(i - 1), row(i + 1));
        rows[this] = i;
        let mut row_min = i;
        for j in 1..width {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (rows[previous + j] + 1).min(rows[this + j - 1] + 1).min(rows[previous + j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(rows[before + j - 2] + 1);
            }
            rows[this + j] = best;
            row_min = row_min.min(best);
        }
        if row_min > limit {
            return limit + 1;
        }
    }
    rows[row(a.len()) + b.len()].min(limit + 1)
}

/// True when two words with the same sound key are close enough in spelling or length to be
/// heard one for the other (`query` ~ `courier`, not `car` ~ `caretaker`).
pub fn sound_alike(typed: &str, heard: &str) -> bool {
    let (a, b) = (typed.chars().count(), heard.chars().count());
    let limit = max_edits(a) as usize + 1;
    edit_distance(typed, heard, limit) <= limit || (a.min(b) >= 4 && a.max(b) * 5 <= a.min(b) * 8)
}

/// The number a number word stands for, or the word for a number, both ways (`3` ~ `three`);
/// and a letter that transcripts write as a digit (`4o` ~ `4.0`).
pub fn number_twin(folded: &str) -> Option<&'static str> {
    const PAIRS: [(&str, &str); 33] = [
        ("0", "zero"),
        ("1", "one"),
        ("2", "two"),
        ("3", "three"),
        ("4", "four"),
        ("5", "five"),
        ("6", "six"),
        ("7", "seven"),
        ("8", "eight"),
        ("9", "nine"),
        ("10", "ten"),
        ("11", "eleven"),
        ("12", "twelve"),
        ("13", "thirteen"),
        ("14", "fourteen"),
        ("15", "fifteen"),
        ("16", "sixteen"),
        ("17", "seventeen"),
        ("18", "eighteen"),
        ("19", "nineteen"),
        ("20", "twenty"),
        ("30", "thirty"),
        ("40", "forty"),
        ("50", "fifty"),
        ("60", "sixty"),
        ("70", "seventy"),
        ("80", "eighty"),
        ("90", "ninety"),
        ("100", "hundred"),
        ("1000", "thousand"),
        ("1000000", "million"),
        ("1000000000", "billion"),
        ("0", "o"),
    ];
    PAIRS.iter().find_map(|&(digits, word)| {
        if folded == digits {
            Some(word)
        } else if folded == word {
            Some(digits)
        } else {
            None
        }
    })
}

/// The index's dictionaries, asked about words: how common, and what looks or sounds like them.
pub struct Lexicon<'s> {
    searcher: &'s Searcher,
    text: Field,
    sounds: &'s LazySoundTable,
    analyzer: TextAnalyzer,
    rare_below: u64,
    doc_freqs: HashMap<String, u64>,
}

impl<'s> Lexicon<'s> {
    /// A lexicon over what `searcher` sees.
    pub fn new(searcher: &'s Searcher, fields: &Fields, sounds: &'s LazySoundTable) -> Lexicon<'s> {
        // Rare: a handful of passages, more in a big index (one passage in fifty thousand).
        let rare_below = (searcher.num_docs() / 50_000).max(2);
        Lexicon { searcher, text: fields.text, sounds, analyzer: analyzer(), rare_below, doc_freqs: HashMap::new() }
    }

    /// The same lexicon taking every word for rare: for a second try when the words as typed
    /// found nothing.
    pub fn eager(mut self) -> Lexicon<'s> {
        self.rare_below = u64::MAX;
        self
    }

    /// The `text` field.
    pub fn text_field(&self) -> Field {
        self.text
    }

    /// Passages whose text contains the analyzed term.
    pub fn doc_freq(&mut self, term: &str) -> u64 {
        if let Some(&known) = self.doc_freqs.get(term) {
            return known;
        }
        let freq = self.searcher.doc_freq(&Term::from_field_text(self.text, term)).unwrap_or(0);
        self.doc_freqs.insert(term.to_string(), freq);
        freq
    }

    /// True when a term is absent or in so few passages that it is more likely a slip than
    /// what was said: only then are alternatives looked for, so common words cost nothing.
    pub fn is_rare(&mut self, term: &str) -> bool {
        self.doc_freq(term) < self.rare_below
    }

    /// The analyzed term of a folded word.
    pub fn stem(&mut self, folded: &str) -> String {
        let mut out = folded.to_string();
        for_each_token(&mut self.analyzer, folded, |t| out = t.text.clone());
        out
    }

    /// Index terms that may stand for the typed word (`folded`, analyzed to `term`), best first.
    pub fn alternatives(&mut self, folded: &str, term: &str) -> Vec<Alternative> {
        let mut found: Vec<Alternative> = Vec::new();
        if let Some(twin) = number_twin(folded) {
            let twin_term = self.stem(twin);
            let doc_freq = self.doc_freq(&twin_term);
            if doc_freq > 0 {
                found.push(Alternative {
                    terms: vec![twin_term],
                    surface: twin.to_string(),
                    likeness: Likeness::Number,
                    doc_freq,
                });
            }
        }
        if folded.chars().all(char::is_alphabetic) {
            found.extend(self.spelled_like(folded, term, Likeness::Spelling));
            found.extend(self.sounding_like(folded, Likeness::Sound));
            found.extend(self.splits(folded));
        }
        self.rank(found, &[term])
    }

    /// Index terms that may stand for two or three typed words written as one (`swe bench` ~
    /// `sweebench`), best first: the joined word as such or sounding alike, and when `spelled`
    /// also within a few edits.
    pub fn joined(&mut self, folded_words: &[&str], spelled: bool) -> Vec<Alternative> {
        if folded_words.len() < 2 || !folded_words.iter().all(|w| w.chars().all(char::is_alphanumeric)) {
            return Vec::new();
        }
        let joined: String = folded_words.concat();
        let term = self.stem(&joined);
        let mut found = Vec::new();
        let doc_freq = self.doc_freq(&term);
        if doc_freq > 0 {
            found.push(Alternative {
                terms: vec![term.clone()],
                surface: joined.clone(),
                likeness: Likeness::Joined(0),
                doc_freq,
            });
        }
        if joined.chars().all(char::is_alphabetic) {
            if spelled {
                found.extend(self.spelled_like(&joined, &term, Likeness::Joined));
            }
            if sound_key(&joined).is_some_and(|key| key.len() >= 3) {
                found.extend(self.sounding_like(&joined, Likeness::Joined));
            }
        }
        let parts: Vec<String> = folded_words.iter().map(|w| self.stem(w)).collect();
        let parts: Vec<&str> = parts.iter().map(String::as_str).collect();
        self.rank(found, &parts)
    }

    /// Keeps the best alternatives: closest first, then most common; none equal to `typed`.
    fn rank(&mut self, mut found: Vec<Alternative>, typed: &[&str]) -> Vec<Alternative> {
        found.retain(|a| a.terms.len() > 1 || !typed.contains(&a.terms[0].as_str()));
        found.sort_by(|a, b| b.likeness.weight().total_cmp(&a.likeness.weight()).then(b.doc_freq.cmp(&a.doc_freq)));
        let mut seen = HashSet::new();
        found.retain(|a| seen.insert(a.terms.clone()));
        found.truncate(MAX_ALTERNATIVES);
        found
    }

    /// Terms within [`max_edits`] of `term`, through a Levenshtein automaton over the dictionary.
    fn spelled_like(&mut self, folded: &str, term: &str, likeness: fn(u8) -> Likeness) -> Vec<Alternative> {
        let edits = max_edits(folded.chars().count());
        if edits == 0 {
            return Vec::new();
        }
        let automaton_query = FuzzyTermQuery::new(Term::from_field_text(self.text, term), edits, true);
        let mut terms: HashSet<String> = HashSet::new();
        for segment in self.searcher.segment_readers() {
            let (Ok(inverted), Ok(automaton)) = (segment.inverted_index(self.text), automaton_query.automaton()) else {
                continue;
            };
            let Ok(mut stream) = inverted.terms().search(automaton).into_stream() else { continue };
            while stream.advance() {
                if let Ok(found) = std::str::from_utf8(stream.key()) {
                    terms.insert(found.to_string());
                }
            }
        }
        let mut found = Vec::new();
        for candidate in terms {
            // Digits are never a misspelling of letters.
            if candidate == term || candidate.chars().any(|c| c.is_numeric()) {
                continue;
            }
            let distance = edit_distance(term, &candidate, edits as usize) as u8;
            let doc_freq = self.doc_freq(&candidate);
            found.push(Alternative {
                surface: candidate.clone(),
                terms: vec![candidate],
                likeness: likeness(distance),
                doc_freq,
            });
        }
        found
    }

    /// Words with the same sound key and of about the same length, as their `text` terms.
    fn sounding_like(&mut self, folded: &str, likeness: fn(u8) -> Likeness) -> Vec<Alternative> {
        let Some(key) = sound_key(folded).filter(|k| k.len() >= 2) else {
            return Vec::new();
        };
        let words = self.words_sounding(&key);
        let mut found = Vec::new();
        for word in words {
            if word == folded || !sound_alike(folded, &word) {
                continue;
            }
            let distance = edit_distance(folded, &word, u8::MAX as usize - 1);
            let term = self.stem(&word);
            let doc_freq = self.doc_freq(&term);
            if doc_freq > 0 {
                found.push((
                    distance,
                    Alternative { terms: vec![term], surface: word, likeness: likeness(distance as u8), doc_freq },
                ));
            }
        }
        // A short key is shared by many words: only the closest in spelling are kept.
        found.sort_by(|a, b| a.0.cmp(&b.0).then(b.1.doc_freq.cmp(&a.1.doc_freq)));
        found.into_iter().take(MAX_SOUND_ALIKES).map(|(_, alternative)| alternative).collect()
    }

    /// Every indexed word (folded, unstemmed) whose sound key is `key`.
    pub fn words_sounding(&self, key: &str) -> Vec<String> {
        self.sounds.get().words_sounding(key)
    }

    /// The word split in two where both halves are indexed words (`lamaguard` → `lama guard`).
    fn splits(&mut self, folded: &str) -> Vec<Alternative> {
        let chars: Vec<char> = folded.chars().collect();
        if chars.len() < 6 {
            return Vec::new();
        }
        let mut found = Vec::new();
        for at in 3..=chars.len() - 3 {
            let head: String = chars[..at].iter().collect();
            let tail: String = chars[at..].iter().collect();
            let (head_term, tail_term) = (self.stem(&head), self.stem(&tail));
            let doc_freq = self.doc_freq(&head_term).min(self.doc_freq(&tail_term));
            if doc_freq > 0 {
                found.push(Alternative {
                    terms: vec![head_term, tail_term],
                    surface: format!("{head} {tail}"),
                    likeness: Likeness::Split,
                    doc_freq,
                });
            }
        }
        found
    }
}

/// Maps each analyzed term of `text` to the folded word it came from (`grouped` for `group`):
/// sound keys and joins work on words as typed, not on their stems.
pub fn typed_words(text: &str) -> HashMap<String, String> {
    let mut stemmer = analyzer();
    let mut words = HashMap::new();
    let mut folded = String::new();
    for_each_token(&mut stemmer, text, |token| {
        fold_word(&text[token.offset_from..token.offset_to], &mut folded);
        words.entry(token.text.clone()).or_insert_with(|| folded.clone());
    });
    words
}

/// Adds alternatives to the rare words of a parsed query; `None` when nothing changed.
/// `typed` maps terms to the words typed (see [`typed_words`]); every alternative added is
/// recorded in `wanted`, for highlighting.
pub fn expand(
    query: &dyn Query,
    lexicon: &mut Lexicon<'_>,
    typed: &HashMap<String, String>,
    wanted: &mut WantedTerms,
) -> Option<Box<dyn Query>> {
    let text = lexicon.text_field();
    if let Some(boolean) = query.downcast_ref::<BooleanQuery>() {
        return expand_boolean(boolean, lexicon, typed, wanted);
    }
    if let Some(term_query) = query.downcast_ref::<TermQuery>() {
        let term = term_query.term();
        let value = term.value();
        let word = value.as_str().filter(|_| term.field() == text)?;
        if !lexicon.is_rare(word) {
            return None;
        }
        let folded = typed.get(word).map_or(word, String::as_str).to_string();
        let alternatives = lexicon.alternatives(&folded, word);
        return with_alternatives(query.box_clone(), &alternatives, text, wanted);
    }
    if let Some(phrase) = query.downcast_ref::<PhraseQuery>() {
        return expand_phrase(phrase, lexicon, typed, wanted);
    }
    None
}

fn expand_boolean(
    boolean: &BooleanQuery,
    lexicon: &mut Lexicon<'_>,
    typed: &HashMap<String, String>,
    wanted: &mut WantedTerms,
) -> Option<Box<dyn Query>> {
    let text = lexicon.text_field();
    let clauses = boolean.clauses();
    let mut rebuilt: Vec<(Occur, Box<dyn Query>)> = Vec::with_capacity(clauses.len());
    let mut changed = false;
    let mut i = 0;
    while i < clauses.len() {
        let (occur, clause) = &clauses[i];
        if *occur == Occur::MustNot {
            rebuilt.push((*occur, clause.box_clone()));
            i += 1;
            continue;
        }
        // Two words in a row, one of them rare: maybe one word in the transcript (`llama guard`
        // ~ `lamaguard`). Only then: an alternative to a pair of common words would turn their
        // fast intersection into a union, a tax on every plain two-word search.
        let rare_pair =
            clauses.get(i + 1).filter(|(o, _)| *o == Occur::Must && *occur == Occur::Must).and_then(|(_, next)| {
                let first = single_word(clause.as_ref(), text)?;
                let second = single_word(next.as_ref(), text)?;
                (lexicon.is_rare(&first) || lexicon.is_rare(&second)).then_some((next, first, second))
            });
        if let Some((next, first, second)) = rare_pair {
            let words = [typed.get(&first).unwrap_or(&first).clone(), typed.get(&second).unwrap_or(&second).clone()];
            let joined = lexicon.joined(&[&words[0], &words[1]], true);
            if !joined.is_empty() {
                let left = expand(clause.as_ref(), lexicon, typed, wanted).unwrap_or_else(|| clause.box_clone());
                let right = expand(next.as_ref(), lexicon, typed, wanted).unwrap_or_else(|| next.box_clone());
                let both: Box<dyn Query> = Box::new(BooleanQuery::new(vec![(Occur::Must, left), (Occur::Must, right)]));
                let pair = with_alternatives(both, &joined, text, wanted);
                rebuilt.push((Occur::Must, pair.expect("alternatives are not empty")));
                changed = true;
                i += 2;
                continue;
            }
        }
        match expand(clause.as_ref(), lexicon, typed, wanted) {
            Some(expanded) => {
                rebuilt.push((*occur, expanded));
                changed = true;
            }
            None => rebuilt.push((*occur, clause.box_clone())),
        }
        i += 1;
    }
    if !changed {
        return None;
    }
    let mut query = BooleanQuery::new(rebuilt);
    query.set_minimum_number_should_match(boolean.get_minimum_number_should_match());
    Some(Box::new(query))
}

fn expand_phrase(
    phrase: &PhraseQuery,
    lexicon: &mut Lexicon<'_>,
    typed: &HashMap<String, String>,
    wanted: &mut WantedTerms,
) -> Option<Box<dyn Query>> {
    let text = lexicon.text_field();
    if phrase.field() != text {
        return None;
    }
    let terms: Vec<String> =
        phrase.phrase_terms().iter().filter_map(|t| t.value().as_str().map(str::to_string)).collect();
    let words: Vec<String> = terms.iter().map(|t| typed.get(t).unwrap_or(t).clone()).collect();
    let mut any_rare = false;
    // Each position: the term as typed, then its single-word alternatives when it is rare.
    let mut choices: Vec<Vec<(String, f32)>> = Vec::with_capacity(terms.len());
    for (term, word) in terms.iter().zip(&words) {
        let mut options = vec![(term.clone(), 1.0)];
        if lexicon.is_rare(term) {
            any_rare = true;
            let alternatives = lexicon.alternatives(word, term);
            options.extend(
                alternatives.iter().filter(|a| a.terms.len() == 1).map(|a| (a.terms[0].clone(), a.likeness.weight())),
            );
        }
        choices.push(options);
    }

    let mut variants: Vec<(Vec<String>, f32)> = vec![(Vec::new(), 1.0)];
    for options in &choices {
        let mut next = Vec::new();
        for (prefix, weight) in &variants {
            for (option, option_weight) in options {
                let mut terms = prefix.clone();
                terms.push(option.clone());
                next.push((terms, weight.min(*option_weight)));
            }
        }
        next.sort_by(|a, b| b.1.total_cmp(&a.1));
        next.truncate(MAX_PHRASE_VARIANTS + 1);
        variants = next;
    }
    if !any_rare {
        return None;
    }
    let mut alternatives: Vec<Box<dyn Query>> = vec![Box::new(phrase.clone())];
    for (variant, weight) in variants.into_iter().filter(|(v, _)| *v != terms) {
        // Variants are exact phrases: a slop typed with the phrase applies to the words as typed.
        let variant_query = PhraseQuery::new(variant.iter().map(|t| Term::from_field_text(text, t)).collect());
        alternatives.push(Box::new(BoostQuery::new(Box::new(variant_query), weight)));
        push_phrase(wanted, variant);
    }
    if (2..=3).contains(&words.len()) {
        let parts: Vec<&str> = words.iter().map(String::as_str).collect();
        for joined in lexicon.joined(&parts, true) {
            alternatives.push(joined.query(text));
            wanted.singles.extend(joined.terms);
        }
    }
    (alternatives.len() > 1).then(|| Box::new(DisjunctionMaxQuery::new(alternatives)) as Box<dyn Query>)
}

/// `query`, or one of `alternatives` scored lower; `None` when there are none.
fn with_alternatives(
    query: Box<dyn Query>,
    alternatives: &[Alternative],
    text: Field,
    wanted: &mut WantedTerms,
) -> Option<Box<dyn Query>> {
    if alternatives.is_empty() {
        return None;
    }
    let mut disjuncts = vec![query];
    for alternative in alternatives {
        disjuncts.push(alternative.query(text));
        match alternative.terms.as_slice() {
            [single] => {
                wanted.singles.insert(single.clone());
            }
            terms => push_phrase(wanted, terms.to_vec()),
        }
    }
    // The best of the forms counts, not their sum: a passage with two misspellings of a word
    // must not outrank one with the word itself.
    Some(Box::new(DisjunctionMaxQuery::new(disjuncts)))
}

fn push_phrase(wanted: &mut WantedTerms, phrase: Vec<String>) {
    if !wanted.phrases.contains(&phrase) {
        wanted.phrases.push(phrase);
    }
}

/// The `text` term of a clause that stands for one typed word: a term query on `text`, or
/// the query parser's "the word in any default field" disjunction.
fn single_word(query: &dyn Query, text: Field) -> Option<String> {
    if let Some(term_query) = query.downcast_ref::<TermQuery>() {
        let term = term_query.term();
        return term.value().as_str().filter(|_| term.field() == text).map(str::to_string);
    }
    let boolean = query.downcast_ref::<BooleanQuery>()?;
    let mut found: Option<String> = None;
    for (occur, clause) in boolean.clauses() {
        let term = clause.downcast_ref::<TermQuery>().filter(|_| *occur == Occur::Should)?.term();
        let value = term.value();
        let value = value.as_str()?;
        if found.as_deref().is_some_and(|f| f != value) {
            return None;
        }
        if term.field() == text || found.is_none() {
            found = Some(value.to_string());
        }
    }
    found
}

fn term_query(field: Field, text: &str) -> Box<dyn Query> {
    Box::new(TermQuery::new(Term::from_field_text(field, text), IndexRecordOption::WithFreqs))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edit_distance_counts_a_swap_as_one_edit() {
        assert_eq!(edit_distance("mistral", "nistral", 2), 1);
        assert_eq!(edit_distance("liang", "lang", 2), 1);
        assert_eq!(edit_distance("form", "from", 2), 1);
        assert_eq!(edit_distance("llama", "lava", 2), 2);
        assert_eq!(edit_distance("distillation", "mistral", 2), 3, "stops past the limit");
        assert_eq!(edit_distance("", "abc", 5), 3);
    }

    #[test]
    fn allowed_edits_grow_with_the_word() {
        assert_eq!((max_edits(3), max_edits(4), max_edits(7), max_edits(8)), (0, 1, 1, 2));
    }

    #[test]
    fn numbers_have_word_twins() {
        assert_eq!(number_twin("3"), Some("three"));
        assert_eq!(number_twin("three"), Some("3"));
        assert_eq!(number_twin("o"), Some("0"));
        assert_eq!(number_twin("llama"), None);
    }

    #[test]
    fn close_matches_rank_below_the_typed_word_and_by_closeness() {
        assert!(Likeness::Number.weight() < 1.0);
        assert!(Likeness::Spelling(1).weight() > Likeness::Spelling(2).weight());
        assert!(Likeness::Joined(0).weight() > Likeness::Joined(1).weight());
        assert!(Likeness::Sound(0).weight() > 0.0 && Likeness::Spelling(2).weight() > 0.0);
    }

    #[test]
    fn typed_words_remember_the_unstemmed_form() {
        let words = typed_words("Grouped Query-attention");
        assert_eq!(words.get("group").map(String::as_str), Some("grouped"));
        assert_eq!(words.get("attent").map(String::as_str), Some("attention"));
    }

    fn lexicon_test(texts: &[&str], check: impl FnOnce(&mut Lexicon<'_>)) {
        let talk = crate::model::Talk {
            turns: texts.iter().map(|t| crate::model::Turn { text: t.to_string(), ..Default::default() }).collect(),
            ..Default::default()
        };
        let index = crate::index::TalkIndex::in_ram();
        let mut writer = index.writer(50_000_000).unwrap();
        let indexed =
            crate::index::IndexedTalk { talk: &talk, id: "t", source: "/t", format: "text", fingerprint: "-" };
        writer.replace(&indexed).unwrap();
        writer.commit().unwrap();
        let reader = index.reader().unwrap();
        let searcher = reader.searcher();
        let sounds = LazySoundTable::new(index.sound_store());
        let mut lexicon = Lexicon::new(&searcher, index.fields(), &sounds);
        check(&mut lexicon);
    }

    fn surfaces(alternatives: &[Alternative]) -> Vec<(String, Likeness)> {
        alternatives.iter().map(|a| (a.surface.clone(), a.likeness)).collect()
    }

    #[test]
    fn finds_misspellings_sound_alikes_splits_and_joins_in_the_index() {
        let texts =
            ["So I'm Nistral.", "Percy Lang texts me.", "The sweebench score.", "A llama guard model.", "lava three"];
        lexicon_test(&texts, |lexicon| {
            assert!(lexicon.is_rare("mistral") && lexicon.doc_freq("nistral") == 1);
            let found = surfaces(&lexicon.alternatives("mistral", "mistral"));
            assert!(found.contains(&("nistral".into(), Likeness::Spelling(1))), "{found:?}");
            let found = surfaces(&lexicon.alternatives("liang", "liang"));
            assert!(found.iter().any(|(s, _)| s == "lang"), "{found:?}");
            let found = surfaces(&lexicon.joined(&["swe", "bench"], true));
            assert!(found.contains(&("sweebench".into(), Likeness::Joined(1))), "{found:?}");
            let found = surfaces(&lexicon.alternatives("llamaguard", "llamaguard"));
            assert!(found.contains(&("llama guard".into(), Likeness::Split)), "{found:?}");
            let found = surfaces(&lexicon.alternatives("3", "3"));
            assert_eq!(found, [("three".to_string(), Likeness::Number)]);
        });
    }
}
