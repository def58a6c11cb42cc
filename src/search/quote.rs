//! Quote mode: the passages that best contain a remembered quote, and how close each is.
//!
//! Two stages. Retrieval: one query asks for passages with enough of the quote's informative
//! words (a disjunction with a minimum number of words, rare words also through their near
//! misses and sound-alikes). Alignment: each candidate turn, with the ends of its neighbours
//! so that a quote running across turns or cues is found too, is aligned word by word with the
//! quote ([`super::align`]): the alignment gives the span where the quote was said, a
//! similarity in `[0, 1]` that ranks the hits, and the words that differ.

use super::align::{Alignment, Pairings, Step, align};
use super::fuzzy::{Lexicon, edit_distance, max_edits, number_twin, sound_alike};
use super::{Hit, Passage, QueryError, Results, SearchError, SearchRequest, Searcher, snippet, with_filters};
use crate::index::analyzer::{WordTokenizer, analyzer, fold_word, for_each_token};
use crate::index::phonetic::sound_key;
use crate::model::PassageKind;
use rustc_hash::FxHashMap;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::ops::Range;
use tantivy::collector::TopDocs;
use tantivy::query::{
    BooleanQuery, BoostQuery, ConstScoreQuery, DisjunctionMaxQuery, Occur, PhraseQuery, Query, TermQuery,
};
use tantivy::schema::IndexRecordOption;
use tantivy::tokenizer::{TextAnalyzer, TokenStream, Tokenizer};
use tantivy::{DocAddress, Score, Term};

/// Fewest and most words a quote may have.
pub const QUOTE_WORDS: std::ops::RangeInclusive<usize> = 3..=60;

/// Candidates retrieved per quote and aligned.
const CANDIDATES: usize = 40;

/// How much the BM25 score of the quote's words counts in retrieval, next to one point per
/// word pair found together.
const WORDS_BOOST: f32 = 0.1;

/// Word pairs of the quote looked for as phrases during retrieval.
const MAX_PAIRS: usize = 24;

/// Turns looked at on each side of a candidate, for quotes that run across turns or cues.
const NEIGHBOUR_TURNS: u64 = 3;

/// Similarity from which a hit is `near` rather than `loose`.
const NEAR_FROM: f32 = 0.5;

/// Hits below this similarity are not shown: too little of the quote is there.
const SHOWN_FROM: f32 = 0.15;

/// A word in more than this share of passages is not worth retrieving by, and counts half.
const COMMON_SHARE: f64 = 0.05;

/// How close a passage is to the quote.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Closeness {
    /// Every word as typed, in order (case, accents and punctuation aside).
    Exact,
    /// The quote with a few words different, missing, added or swapped.
    Near,
    /// Some of the quote's words, in roughly that order.
    Loose,
}

impl Closeness {
    /// The label shown.
    pub fn name(self) -> &'static str {
        match self {
            Closeness::Exact => "exact",
            Closeness::Near => "near",
            Closeness::Loose => "loose",
        }
    }
}

/// Words said differently from the quote, side by side.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Difference {
    /// What the transcript says (empty when the quote has words not said).
    pub said: String,
    /// What the quote says (empty when the transcript has words the quote lacks).
    pub typed: String,
}

/// How a hit matches a quote.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct QuoteMatch {
    /// Exact, near or loose.
    pub closeness: Closeness,
    /// 1 for the quote as typed, lower the more it differs.
    pub similarity: f32,
    /// The words that differ (for `near` and `loose`).
    pub differences: Vec<Difference>,
    /// The turns the quote runs over, first and last (the same for most quotes).
    pub turns: (u64, u64),
}

/// A word of the quote.
#[derive(Debug, Clone)]
struct QuoteWord {
    folded: String,
    term: String,
    range: Range<usize>,
}

/// A word of a stretch of transcript: the turn (index into the stretch) and where in its text.
#[derive(Debug, Clone)]
struct SpokenWord {
    folded: String,
    turn: usize,
    range: Range<usize>,
}

/// The words of `text`, folded and analyzed, with their byte ranges.
fn words_of(text: &str) -> Vec<(String, String, Range<usize>)> {
    let mut stemmer = analyzer();
    let mut words = Vec::new();
    let mut folded = String::new();
    for_each_token(&mut stemmer, text, |token| {
        fold_word(&text[token.offset_from..token.offset_to], &mut folded);
        words.push((folded.clone(), token.text.clone(), token.offset_from..token.offset_to));
    });
    words
}

/// The folded words of `text` with their byte ranges, unstemmed: a stretch has many words and
/// few distinct ones, so stems are found once per distinct word, by [`WordLikeness`].
fn folded_words_of(text: &str) -> Vec<(String, Range<usize>)> {
    let mut words = Vec::new();
    let mut tokenizer = WordTokenizer;
    let mut stream = tokenizer.token_stream(text);
    while stream.advance() {
        let token = stream.token();
        words.push((token.text.clone(), token.offset_from..token.offset_to));
    }
    words
}

/// What comparing a word needs, worked out once per word.
#[derive(Debug, Clone)]
struct WordForm {
    folded: String,
    /// The analyzed term; `None` for words made by joining two.
    term: Option<String>,
    key: Option<String>,
    twin: Option<&'static str>,
    alphabetic: bool,
    chars: usize,
}

impl WordForm {
    fn new(folded: &str, term: Option<String>) -> WordForm {
        WordForm {
            folded: folded.to_string(),
            term,
            key: sound_key(folded),
            twin: number_twin(folded),
            alphabetic: folded.chars().all(char::is_alphabetic),
            chars: folded.chars().count(),
        }
    }
}

/// How alike two words are as written or heard: 1 identical, 0.85 another form or the
/// number's twin, 0.7 to 0.6 a near spelling or the same sound, 0.2 a far spelling; -1
/// unrelated. `exact` allows only the first two.
fn words_alike(typed: &WordForm, said: &WordForm, exact: bool) -> f32 {
    if typed.folded == said.folded {
        return 1.0;
    }
    if typed.term.is_some() && typed.term == said.term {
        return 0.85;
    }
    if typed.twin == Some(said.folded.as_str()) {
        return 0.85;
    }
    if exact || !typed.alphabetic || !said.alphabetic {
        return -1.0;
    }
    let allowed = max_edits(typed.chars) as usize;
    let same_sound = typed.chars >= 3 && typed.key.as_ref().is_some_and(|k| k.len() >= 2) && typed.key == said.key;
    // Most pairs are far apart in length: no need to count edits.
    if !same_sound && typed.chars.abs_diff(said.chars) > allowed + 1 {
        return -1.0;
    }
    let distance = edit_distance(&typed.folded, &said.folded, allowed + 1);
    if distance <= allowed {
        return if distance == 1 { 0.7 } else { 0.6 };
    }
    if same_sound && sound_alike(&typed.folded, &said.folded) {
        return 0.6;
    }
    if typed.chars >= 5 && distance <= allowed + 1 {
        return 0.2;
    }
    -1.0
}

/// Scores how alike a quote word and a transcript word are, remembering each transcript word.
struct WordLikeness {
    exact: bool,
    stemmer: TextAnalyzer,
    quote: Vec<WordForm>,
    /// Each pair of neighbouring quote words written as one (none before the first word).
    quote_pairs: Vec<Option<WordForm>>,
    words: FxHashMap<String, Box<[f32]>>,
    joined: FxHashMap<String, Box<[f32]>>,
}

impl WordLikeness {
    fn new(quote: &[QuoteWord], exact: bool) -> WordLikeness {
        let quote_pairs = (0..quote.len())
            .map(|i| (i > 0).then(|| WordForm::new(&format!("{}{}", quote[i - 1].folded, quote[i].folded), None)))
            .collect();
        WordLikeness {
            exact,
            stemmer: analyzer(),
            quote: quote.iter().map(|q| WordForm::new(&q.folded, Some(q.term.clone()))).collect(),
            quote_pairs,
            words: FxHashMap::default(),
            joined: FxHashMap::default(),
        }
    }

    /// Likeness of every quote word, then of every joined pair of quote words, to `said`.
    fn against(&mut self, said: &str) -> &[f32] {
        if !self.words.contains_key(said) {
            let mut said_term = said.to_string();
            for_each_token(&mut self.stemmer, said, |t| said_term = t.text.clone());
            let said_form = WordForm::new(said, Some(said_term));
            let joined_form = WordForm { term: None, ..said_form.clone() };
            let mut scores = Vec::with_capacity(self.quote.len() * 2);
            scores.extend(self.quote.iter().map(|q| words_alike(q, &said_form, self.exact)));
            scores.extend(self.quote_pairs.iter().map(|pair| match pair {
                Some(pair) if said.len() >= 5 && pair.folded.len().abs_diff(said.len()) <= 2 => {
                    words_alike(pair, &joined_form, self.exact)
                }
                _ => 0.0,
            }));
            self.words.insert(said.to_string(), scores.into_boxed_slice());
        }
        &self.words[said]
    }

    /// Likeness of every quote word to two transcript words written together, or `None` when
    /// no quote word is long enough to have been heard as two.
    fn against_pair(&mut self, first: &str, second: &str) -> Option<&[f32]> {
        let length = first.len() + second.len();
        let fits = |q: &WordForm| q.folded.len() >= 6 && q.folded.len().abs_diff(length) <= 2;
        if !self.quote.iter().any(fits) {
            return None;
        }
        let pair = format!("{first}{second}");
        if !self.joined.contains_key(&pair) {
            let said = WordForm::new(&pair, None);
            let scores: Vec<f32> = self
                .quote
                .iter()
                .map(|q| {
                    let typed = WordForm { term: None, ..q.clone() };
                    if fits(q) { words_alike(&typed, &said, self.exact) } else { 0.0 }
                })
                .collect();
            self.joined.insert(pair.clone(), scores.into_boxed_slice());
        }
        Some(&self.joined[&pair])
    }
}

/// A place where the quote was found, before it becomes a hit.
struct Found {
    similarity: f32,
    bm25: Score,
    /// The turn where the quote starts.
    passage: Passage,
    /// (turn, byte offset) of the span's start and end.
    span: ((u64, usize), (u64, usize)),
    snippet: snippet::Snippet,
    /// Byte offset of the span in the first turn's text.
    offset: usize,
    quote_match: QuoteMatch,
}

/// A stretch of transcript around a candidate: consecutive turns of one talk.
struct Stretch {
    turns: Vec<Passage>,
    words: Vec<SpokenWord>,
}

impl Searcher {
    /// The passages that best contain the quote `request.query` (3 to 60 words), best first,
    /// each with its [`QuoteMatch`]. Turns only, unless `request.kinds` says otherwise.
    pub fn quote(&self, request: &SearchRequest) -> Result<Results, SearchError> {
        let quote: Vec<QuoteWord> = words_of(&request.query)
            .into_iter()
            .map(|(folded, term, range)| QuoteWord { folded, term, range })
            .collect();
        if !QUOTE_WORDS.contains(&quote.len()) {
            return Err(QueryError {
                query: request.query.clone(),
                position: None,
                reason: format!(
                    "a quote has {} to {} words; this one has {}",
                    QUOTE_WORDS.start(),
                    QUOTE_WORDS.end(),
                    quote.len()
                ),
            }
            .into());
        }
        let fields = self.index.fields();
        let searcher = self.reader.searcher();
        let mut lexicon = Lexicon::new(&searcher, fields, &self.sounds);
        let common_from = ((searcher.num_docs() as f64 * COMMON_SHARE) as u64).max(50);
        let weight: Vec<f32> =
            quote.iter().map(|q| if lexicon.doc_freq(&q.term) > common_from { 0.5 } else { 1.0 }).collect();

        // Retrieval: informative words, each with its close forms when rare.
        let mut seen = HashSet::new();
        let mut informative: Vec<&QuoteWord> =
            quote.iter().filter(|q| lexicon.doc_freq(&q.term) <= common_from && seen.insert(q.term.clone())).collect();
        if informative.len() < 2 {
            seen.clear();
            informative = quote.iter().filter(|q| seen.insert(q.term.clone())).collect();
        }
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for word in &informative {
            let typed: Box<dyn Query> =
                Box::new(TermQuery::new(Term::from_field_text(fields.text, &word.term), IndexRecordOption::WithFreqs));
            let alternatives = if request.exact || !lexicon.is_rare(&word.term) {
                Vec::new()
            } else {
                lexicon.alternatives(&word.folded, &word.term)
            };
            let clause: Box<dyn Query> = if alternatives.is_empty() {
                typed
            } else {
                let mut disjuncts = vec![typed];
                disjuncts.extend(alternatives.iter().map(|a| a.query(fields.text)));
                Box::new(DisjunctionMaxQuery::new(disjuncts))
            };
            clauses.push((Occur::Should, clause));
        }
        let wanted = match informative.len() {
            0..=2 => 1,
            n => (n as f32 * 0.3).ceil() as usize,
        };
        let mut words_query = BooleanQuery::new(clauses);
        words_query.set_minimum_number_should_match(wanted);
        // Words said together weigh more than the same words apart: two words in a row, one of
        // them informative, as phrases that only add to the score, one point each whatever the
        // passage's length (BM25 alone buries a quote in a one-turn talk of thousands of words).
        let words_query: Box<dyn Query> = Box::new(BoostQuery::new(Box::new(words_query), WORDS_BOOST));
        let mut retrieval_clauses: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, words_query)];
        let mut pairs_seen = HashSet::new();
        for pair in quote.windows(2) {
            let informative_pair = pair.iter().any(|w| lexicon.doc_freq(&w.term) <= common_from);
            if informative_pair && pairs_seen.insert((&pair[0].term, &pair[1].term)) && pairs_seen.len() <= MAX_PAIRS {
                let terms = pair.iter().map(|w| Term::from_field_text(fields.text, &w.term)).collect();
                let phrase = Box::new(PhraseQuery::new(terms));
                retrieval_clauses.push((Occur::Should, Box::new(ConstScoreQuery::new(phrase, 1.0))));
            }
        }
        let retrieval = BooleanQuery::new(retrieval_clauses);
        let mut request_kinds = request.clone();
        if request_kinds.kinds.is_empty() {
            request_kinds.kinds = vec![PassageKind::Turn];
        }
        let filters = self.filters(&request_kinds);
        let retrieval = with_filters(Box::new(retrieval), &filters);
        let error = |e| SearchError::Index(self.index.error(e));
        let candidates: Vec<(Score, DocAddress)> =
            searcher.search(&retrieval, &TopDocs::with_limit(CANDIDATES).order_by_score()).map_err(error)?;

        // Alignment of each candidate with its neighbourhood.
        let mut likeness = WordLikeness::new(&quote, request.exact);
        let total_weight: f32 = weight.iter().sum();
        let mut talks: HashMap<String, BTreeMap<u64, Passage>> = HashMap::new();
        let mut found: Vec<Found> = Vec::new();
        for (bm25, address) in candidates {
            let passage = self.passage(&searcher, address)?;
            let stretch = self.stretch(&passage, &mut talks, quote.len())?;
            let Some((alignment, region)) = best_alignment(&stretch, &quote, &weight, &mut likeness) else {
                continue;
            };
            let similarity = (alignment.score / total_weight).clamp(0.0, 1.0);
            if similarity < SHOWN_FROM {
                continue;
            }
            let Some((first, last)) = alignment.text_span() else { continue };
            let (first, last) = (&stretch.words[region.start + first], &stretch.words[region.start + last]);
            let start_turn = &stretch.turns[first.turn];
            let differences = differences(&alignment, &stretch, region.start, &quote, &request.query);
            let closeness = if differences.is_empty() {
                Closeness::Exact
            } else if similarity >= NEAR_FROM {
                Closeness::Near
            } else {
                Closeness::Loose
            };
            let end_turn = &stretch.turns[last.turn];
            let quote_match = QuoteMatch {
                closeness,
                similarity,
                differences: if closeness == Closeness::Exact { Vec::new() } else { differences },
                turns: (start_turn.turn, end_turn.turn),
            };
            let (snippet, offset) =
                span_snippet(&stretch.turns[first.turn..=last.turn], first, last, first.turn, request.snippet_bytes);
            let span = ((start_turn.turn, first.range.start), (end_turn.turn, last.range.end));
            found.push(Found { similarity, bm25, passage: start_turn.clone(), span, snippet, offset, quote_match });
        }
        found.sort_by(|a, b| b.similarity.total_cmp(&a.similarity).then(b.bm25.total_cmp(&a.bm25)));
        // Neighbouring candidates find the same place again, sometimes only part of it.
        let mut kept: Vec<Found> = Vec::with_capacity(found.len());
        for candidate in found {
            let overlaps = kept.iter().any(|k| {
                k.passage.source == candidate.passage.source
                    && k.span.0 <= candidate.span.1
                    && candidate.span.0 <= k.span.1
            });
            if !overlaps {
                kept.push(candidate);
            }
        }
        let found = kept;
        let total = found.len();
        let mut hits: Vec<Hit> = Vec::new();
        for (rank, found) in found.into_iter().take(request.limit.max(1)).enumerate() {
            let mut hit = self.hit(rank + 1, found.similarity, found.passage, found.snippet, Some(found.offset));
            hit.quote = Some(found.quote_match);
            hits.push(self.with_context(hit, request.context)?);
        }
        Ok(Results { hits, total })
    }

    /// The candidate's turn with up to [`NEIGHBOUR_TURNS`] turns on each side, as far as they
    /// are needed to hold twice the quote's words; other kinds of passage stand alone.
    fn stretch(
        &self,
        passage: &Passage,
        talks: &mut HashMap<String, BTreeMap<u64, Passage>>,
        quote_words: usize,
    ) -> Result<Stretch, SearchError> {
        let mut turns = vec![passage.clone()];
        let mut candidate_at = 0;
        if passage.kind == PassageKind::Turn {
            let known = talks.entry(passage.source.clone()).or_default();
            let around = passage.turn.saturating_sub(NEIGHBOUR_TURNS).max(1)..=passage.turn + NEIGHBOUR_TURNS;
            if !around.clone().all(|t| known.contains_key(&t) || t == passage.turn) {
                for turn in self.turns_of(&passage.source, around.clone())? {
                    known.insert(turn.turn, turn);
                }
            }
            let wanted = quote_words * 2;
            let mut words_before = 0;
            for turn in (*around.start()..passage.turn).rev() {
                let Some(before) = known.get(&turn).filter(|_| words_before < wanted) else { break };
                words_before += crate::model::word_count(&before.text);
                turns.insert(0, before.clone());
                candidate_at += 1;
            }
            let mut words_after = 0;
            for turn in passage.turn + 1..=*around.end() {
                let Some(after) = known.get(&turn).filter(|_| words_after < wanted) else { break };
                words_after += crate::model::word_count(&after.text);
                turns.push(after.clone());
            }
        }
        let mut words = Vec::new();
        for (index, turn) in turns.iter().enumerate() {
            let mut turn_words: Vec<SpokenWord> = folded_words_of(&turn.text)
                .into_iter()
                .map(|(folded, range)| SpokenWord { folded, turn: index, range })
                .collect();
            // Only the ends of the neighbours next to the candidate can hold a quote that runs on.
            let keep = quote_words * 2;
            if index < candidate_at && turn_words.len() > keep {
                turn_words.drain(..turn_words.len() - keep);
            } else if index > candidate_at && turn_words.len() > keep {
                turn_words.truncate(keep);
            }
            words.extend(turn_words);
        }
        Ok(Stretch { turns, words })
    }
}

/// Aligns the quote with the part of the stretch where its words are densest; returns the
/// alignment and that part (word indexes into the stretch).
fn best_alignment(
    stretch: &Stretch,
    quote: &[QuoteWord],
    weight: &[f32],
    likeness: &mut WordLikeness,
) -> Option<(Alignment, Range<usize>)> {
    let n = stretch.words.len();
    if n == 0 {
        return None;
    }
    let m = quote.len();
    // How much each transcript word could contribute: its best likeness to a quote word.
    let support: Vec<f32> = stretch
        .words
        .iter()
        .map(|w| likeness.against(&w.folded)[..m].iter().zip(weight).map(|(s, w)| s * w).fold(0f32, f32::max))
        .collect();
    let width = (m + m / 2 + 2).min(n);
    let mut sum: f32 = support[..width].iter().sum();
    let (mut best_sum, mut best_start) = (sum, 0);
    for start in 1..=n - width {
        sum += support[start + width - 1] - support[start - 1];
        if sum > best_sum {
            best_sum = sum;
            best_start = start;
        }
    }
    if best_sum <= 0.0 {
        return None;
    }
    let region = best_start.saturating_sub(m / 2 + 2)..(best_start + width + m / 2 + 2).min(n);
    let words = &stretch.words[region.clone()];
    let len = words.len();
    let mut pairings = Pairings {
        quote_len: m,
        text_len: len,
        like: vec![0.0; m * len],
        joined: vec![0.0; m * len],
        split: vec![0.0; m * len],
        weight: weight.to_vec(),
    };
    for (j, word) in words.iter().enumerate() {
        let scores = likeness.against(&word.folded);
        for i in 0..m {
            pairings.like[i * len + j] = scores[i];
            pairings.joined[i * len + j] = scores[m + i];
        }
        let split = if j > 0 { likeness.against_pair(&words[j - 1].folded, &word.folded) } else { None };
        for (i, &like) in split.into_iter().flatten().enumerate() {
            pairings.split[i * len + j] = like;
        }
    }
    Some((align(&pairings), region))
}

/// The differing words of an alignment, grouped into runs, each side by side.
fn differences(
    alignment: &Alignment,
    stretch: &Stretch,
    offset: usize,
    quote: &[QuoteWord],
    typed: &str,
) -> Vec<Difference> {
    let mut runs: Vec<(Vec<usize>, Vec<usize>)> = Vec::new();
    let mut in_run = false;
    for step in &alignment.steps {
        let (said, quoted): (Vec<usize>, Vec<usize>) = match *step {
            Step::Paired { quote: q, text, .. } if quote[q].folded == stretch.words[offset + text].folded => {
                in_run = false;
                continue;
            }
            Step::Paired { quote, text, .. } => (vec![text], vec![quote]),
            Step::Missing { quote } => (vec![], vec![quote]),
            Step::Extra { text } => (vec![text], vec![]),
            Step::Swapped { quote, text } => (vec![text - 1, text], vec![quote - 1, quote]),
            Step::Joined { quote, text } => (vec![text], vec![quote - 1, quote]),
            Step::Split { quote, text } => (vec![text - 1, text], vec![quote]),
        };
        if !in_run {
            runs.push((Vec::new(), Vec::new()));
            in_run = true;
        }
        let run = runs.last_mut().expect("a run was just started");
        run.0.extend(said);
        run.1.extend(quoted);
    }
    runs.into_iter()
        .map(|(said, quoted)| Difference {
            said: spoken_text(stretch, said.iter().map(|&j| offset + j)),
            typed: match (quoted.iter().min(), quoted.iter().max()) {
                (Some(&a), Some(&b)) => typed[quote[a].range.start..quote[b].range.end].to_string(),
                _ => String::new(),
            },
        })
        .collect()
}

/// The transcript text from the first to the last of `words` (indexes into the stretch).
fn spoken_text(stretch: &Stretch, words: impl Iterator<Item = usize>) -> String {
    let words: Vec<usize> = words.collect();
    let (Some(&first), Some(&last)) = (words.iter().min(), words.iter().max()) else {
        return String::new();
    };
    let (a, b) = (&stretch.words[first], &stretch.words[last]);
    if a.turn == b.turn {
        return stretch.turns[a.turn].text[a.range.start..b.range.end].to_string();
    }
    let mut text = stretch.turns[a.turn].text[a.range.start..].to_string();
    for turn in &stretch.turns[a.turn + 1..b.turn] {
        text.push(' ');
        text.push_str(&turn.text);
    }
    text.push(' ');
    text.push_str(&stretch.turns[b.turn].text[..b.range.end]);
    text
}

/// The snippet of a quote's span from word `first` to word `last`, over `turns` (the turns the
/// span covers, the first being stretch turn `first_turn`), as one highlight; and the byte
/// offset of the span in the first turn's text.
fn span_snippet(
    turns: &[Passage],
    first: &SpokenWord,
    last: &SpokenWord,
    first_turn: usize,
    max_bytes: usize,
) -> (snippet::Snippet, usize) {
    // Turns the quote runs across are shown as one text, a space apart.
    let mut joined = String::new();
    let mut starts = Vec::with_capacity(turns.len());
    for turn in turns {
        if !joined.is_empty() {
            joined.push(' ');
        }
        starts.push(joined.len());
        joined.push_str(&turn.text);
    }
    let span = first.range.start..starts[last.turn - first_turn] + last.range.end;
    (snippet::span_snippet(&joined, span, max_bytes), first.range.start)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn likeness_ranks_forms_spellings_and_sounds() {
        let word = |w: &str| WordForm::new(w, None);
        let alike = |a: &str, b: &str| words_alike(&word(a), &word(b), false);
        assert_eq!(alike("mistral", "mistral"), 1.0);
        let forms =
            (WordForm::new("distilling", Some("distil".into())), WordForm::new("distillation", Some("distil".into())));
        assert_eq!(words_alike(&forms.0, &forms.1, false), 0.85);
        assert_eq!(alike("3", "three"), 0.85);
        assert_eq!(alike("mistral", "nistral"), 0.7);
        assert_eq!(alike("query", "courier"), 0.6, "sounds alike");
        assert!(alike("mistral", "banana") < 0.0);
        assert!(words_alike(&word("mistral"), &word("nistral"), true) < 0.0, "--exact: no near misses");
    }
}
