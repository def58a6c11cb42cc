//! Searching: a query in, plain [`Hit`] values out. Never prints.
//!
//! [`Searcher::search`] runs the query language of [`query`], with near-miss and sound-alike
//! alternatives for rare words ([`fuzzy`]); [`Searcher::quote`] finds a remembered quote
//! ([`quote`]); [`Searcher::suggest`] offers corrected queries ([`suggest`]).

pub mod align;
pub mod best_of;
pub mod conjunction;
pub mod edits;
pub mod fuzzy;
pub mod phrase;
pub mod prefix;
pub mod query;
pub mod quote;
pub mod snippet;
pub mod suggest;
pub mod term_walk;

/// What `talksearch talks` lists; re-exported so renderers need nothing from the index.
pub use crate::index::TalkRecord;
pub use query::QueryError;
pub use quote::{Closeness, Difference, QuoteMatch};
pub use snippet::Snippet;
pub use suggest::Suggestion;

use crate::index::phonetic::LazySoundTable;
use crate::index::{IndexError, Stores, TALK_KIND, TalkIndex, TalkLabel, facts};
use crate::model::{PassageKind, Timestamp};
use serde::Serialize;
use std::collections::{HashMap, HashSet};
use std::ops::Bound;
use std::path::Path;
use std::sync::{Arc, PoisonError, RwLock};
use tantivy::collector::{DocSetCollector, TopDocs};
use tantivy::query::{BooleanQuery, Occur, PhraseQuery, Query, QueryParser, RangeQuery, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::{DocAddress, IndexReader, Score, Term};

/// Most distinct words of a query that found nothing for all of them to get close forms: a
/// longer one is a pasted quote, which `quote` aligns far better, and expanding each of its
/// words took 25 ms where the search took 1 (1000× the seed).
const MAX_EAGER_WORDS: usize = 6;

/// Errors from searching.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SearchError {
    /// The query cannot be run.
    #[error(transparent)]
    Query(#[from] QueryError),
    /// The index cannot be read.
    #[error(transparent)]
    Index(#[from] IndexError),
}

/// What to look for.
#[derive(Debug, Clone)]
pub struct SearchRequest {
    /// The query, in the syntax of [`query`].
    pub query: String,
    /// At most this many hits.
    pub limit: usize,
    /// Only these kinds (all when empty).
    pub kinds: Vec<PassageKind>,
    /// Only turns of a speaker whose name contains these words (case-insensitive).
    pub speaker: Option<String>,
    /// About how long a snippet may be, in bytes.
    pub snippet_bytes: usize,
    /// Only the words as typed: no near-miss, sound-alike, split or joined forms.
    pub exact: bool,
    /// Turns shown before and after each hit (`-C`).
    pub context: usize,
}

impl SearchRequest {
    /// A request for `query` with the defaults: 10 hits, every kind, 240-byte snippets, close
    /// forms of rare words, no context.
    pub fn new(query: impl Into<String>) -> SearchRequest {
        SearchRequest {
            query: query.into(),
            limit: 10,
            kinds: Vec::new(),
            speaker: None,
            snippet_bytes: 240,
            exact: false,
            context: 0,
        }
    }
}

/// A turn shown around a hit (`-C`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ContextTurn {
    /// Turn number (1-based).
    pub turn: u64,
    /// Speaker, when named.
    pub speaker: Option<String>,
    /// Start of the turn.
    pub start: Option<Timestamp>,
    /// End of the turn.
    pub end: Option<Timestamp>,
    /// What was said.
    pub text: String,
}

/// Where a passage is in its source file.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SourceRef {
    /// The file, absolute.
    pub path: String,
    /// 1-based line.
    pub line: u64,
}

/// One passage that matches, ranked.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Hit {
    /// 1-based rank.
    pub rank: usize,
    /// BM25 score (vocabulary entries whose term matches come first whatever their score).
    pub score: f32,
    /// What the passage is.
    pub kind: PassageKind,
    /// Talk id.
    pub talk: String,
    /// Talk title.
    pub title: Option<String>,
    /// Show.
    pub show: Option<String>,
    /// Turn number (1-based); entry or paragraph number for the other kinds.
    pub turn: u64,
    /// Vocabulary term, for vocabulary entries.
    pub term: Option<String>,
    /// Speaker, when the source names one.
    pub speaker: Option<String>,
    /// Start of the passage.
    pub start: Option<Timestamp>,
    /// End of the passage.
    pub end: Option<Timestamp>,
    /// When the first highlighted word is said.
    pub time: Option<Timestamp>,
    /// The whole passage.
    pub text: String,
    /// The part that shows the match.
    pub snippet: Snippet,
    /// Where the passage is in its file.
    pub source: SourceRef,
    /// A link that plays the recording at `time`, when the media URL is known.
    pub link: Option<String>,
    /// The turns before and after (`-C`), in order, without this one.
    pub context: Vec<ContextTurn>,
    /// For quote searches: how close the passage is to the quote.
    pub quote: Option<QuoteMatch>,
}

/// Hits, and how many passages matched as far as they were counted.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Results {
    /// The best hits, best first.
    pub hits: Vec<Hit>,
    /// Passages that match, counted up to the request's limit: enough to tell none, few and
    /// many apart without visiting every match (which would defeat top-k pruning).
    pub total: usize,
}

/// The passages that match a request, best first, not yet read (see [`Searcher::rank`]).
pub struct Ranking {
    /// Score and address of the best passages, best first.
    pub top: Vec<(Score, DocAddress)>,
    /// As [`Results::total`].
    pub total: usize,
    wanted: query::WantedTerms,
    close_forms: query::WantedTerms,
    parsed: query::ParsedQuery,
}

impl Ranking {
    /// A highlighter for every word the ranked passages may have matched on.
    fn highlighter(&self, snippet_bytes: usize) -> snippet::Highlighter {
        let parsed = &self.parsed;
        let mut highlighter = snippet::Highlighter::new(
            self.wanted.singles.clone(),
            self.wanted.phrases.clone(),
            parsed.prefixes.clone(),
            snippet_bytes,
        );
        highlighter.extend(self.close_forms.singles.iter().cloned(), self.close_forms.phrases.iter().cloned());
        highlighter.extend(parsed.prefix_truncations.iter().cloned(), Vec::new());
        highlighter
    }
}

/// An open index, ready to answer queries.
pub struct Searcher {
    index: TalkIndex,
    reader: IndexReader,
    parser: QueryParser,
    term_parser: QueryParser,
    /// Whether any vocabulary entry is indexed; without, the vocabulary-first query is skipped,
    /// as it would only open the empty `term` field of every segment.
    has_vocabulary: bool,
    /// Every indexed word under its sound key, read when a rare word first needs it.
    sounds: LazySoundTable,
    /// The label of each talk a hit has shown, by source file: one small entry per talk, so
    /// that a talk's document is read once per process rather than once per hit.
    talks: RwLock<HashMap<String, Option<Arc<TalkLabel>>>>,
    /// The doc stores of the reader's segments.
    stores: Stores,
}

impl Searcher {
    /// Opens the index in `path`.
    pub fn open(path: &Path) -> Result<Searcher, IndexError> {
        Searcher::new(TalkIndex::open(path)?)
    }

    /// Searches `index`.
    pub fn new(index: TalkIndex) -> Result<Searcher, IndexError> {
        let reader = index.reader()?;
        let fields = index.fields();
        // A vocabulary entry's text starts with its term, so `text` alone finds it.
        let mut parser = QueryParser::for_index(index.index(), vec![fields.text]);
        parser.set_conjunction_by_default();
        parser.allow_regexes();
        let mut term_parser = QueryParser::for_index(index.index(), vec![fields.term]);
        term_parser.set_conjunction_by_default();
        term_parser.allow_regexes();
        let vocabulary = Term::from_field_text(fields.kind, PassageKind::Vocab.name());
        let has_vocabulary = reader.searcher().doc_freq(&vocabulary).map_err(|e| index.error(e))? > 0;
        let sounds = LazySoundTable::new(index.sound_store());
        let stores = index.stores(&reader.searcher())?;
        Ok(Searcher { index, reader, parser, term_parser, has_vocabulary, sounds, talks: RwLock::default(), stores })
    }

    /// The index searched.
    pub fn index(&self) -> &TalkIndex {
        &self.index
    }

    /// Runs `request`.
    pub fn search(&self, request: &SearchRequest) -> Result<Results, SearchError> {
        let ranked = self.rank(request)?;
        let searcher = self.reader.searcher();
        let mut highlighter = ranked.highlighter(request.snippet_bytes);
        let mut hits: Vec<Hit> = Vec::with_capacity(ranked.top.len());
        let mut first_matches = Vec::with_capacity(ranked.top.len());
        for (rank, (score, address)) in ranked.top.into_iter().enumerate() {
            let passage = self.passage(&searcher, address)?;
            // A corpus may hold a passage many times over (a talk from two sources, a show's
            // stock intro), and its copies rank side by side: they show the snippet made once.
            let copy = hits.iter().position(|hit: &Hit| hit.kind == passage.kind && hit.text == passage.text);
            let (snippet, first_match) = match copy {
                Some(at) => (hits[at].snippet.clone(), first_matches[at]),
                // A vocabulary entry is short and reads as a whole: term, definition, example.
                None if passage.kind == PassageKind::Vocab => highlighter.whole(&passage.text),
                None => highlighter.snippet(&passage.text),
            };
            first_matches.push(first_match);
            let hit = self.hit(rank + 1, score, passage, snippet, first_match);
            hits.push(self.with_context(hit, request.context)?);
        }
        Ok(Results { hits, total: ranked.total })
    }

    /// Ranks the passages that match `request`, without reading them: what [`Searcher::search`]
    /// does before it makes hits (and what `talksearch bench` times as "without snippets").
    pub fn rank(&self, request: &SearchRequest) -> Result<Ranking, SearchError> {
        let fields = self.index.fields();
        let parsed = query::parse_in(&self.parser, fields.text, &request.query)?;
        let filters = self.filters(request);
        let searcher = self.reader.searcher();
        // Rare words also match their near misses and sound-alikes, scored below them.
        let mut close_forms = query::WantedTerms::default();
        let typed = if request.exact { HashMap::new() } else { fuzzy::typed_words(&request.query) };
        let mut lexicon = (!request.exact)
            .then(|| fuzzy::Lexicon::new(&searcher, fields, &self.sounds).with_hits_wanted(request.limit));
        let expanded = lexicon
            .as_mut()
            .and_then(|lexicon| fuzzy::expand(parsed.query.as_ref(), lexicon, &typed, &mut close_forms));
        let expanded_none = expanded.is_none();
        let mut main = with_filters(expanded.unwrap_or_else(|| parsed.query.box_clone()), &filters);

        // A vocabulary entry whose term matches ranks above every passage.
        let vocab_first =
            self.has_vocabulary && (request.kinds.is_empty() || request.kinds.contains(&PassageKind::Vocab));
        let term_query = if vocab_first {
            query::parse(&self.term_parser, &request.query).ok().map(|term_query| {
                let vocab = term(fields.kind, PassageKind::Vocab.name());
                with_filters(term_query.query, &[(Occur::Must, vocab)])
            })
        } else {
            None
        };

        let error = |e| SearchError::Index(self.index.error(e));
        let limit = request.limit.max(1);
        let mut top: Vec<(Score, DocAddress)> = Vec::new();
        if let Some(term_query) = &term_query {
            top = searcher.search(term_query, &TopDocs::with_limit(limit).order_by_score()).map_err(error)?;
        }
        // Plain words that the close forms' lookup found said together nowhere: nothing to walk.
        let known_none =
            expanded_none && lexicon.as_ref().and_then(|l| fuzzy::known_matches(parsed.query.as_ref(), l)) == Some(0);
        let mut rest = if known_none {
            Vec::new()
        } else {
            searcher.search(&main, &TopDocs::with_limit(limit).order_by_score()).map_err(error)?
        };
        if let Some(lexicon) = lexicon.filter(|_| rest.is_empty() && typed.len() <= MAX_EAGER_WORDS) {
            // Nothing with the words as typed: every word, common or not, may have been
            // misheard (`query` said, `courier` transcribed). Costs only queries that found
            // nothing; what the first try looked up in the index is not looked up again.
            let mut lexicon = lexicon.eager();
            close_forms = query::WantedTerms::default();
            if let Some(eager) = fuzzy::expand(parsed.query.as_ref(), &mut lexicon, &typed, &mut close_forms) {
                main = with_filters(eager, &filters);
                rest = searcher.search(&main, &TopDocs::with_limit(limit).order_by_score()).map_err(error)?;
            }
        }
        let total = rest.len();
        let seen: HashSet<DocAddress> = top.iter().map(|(_, a)| *a).collect();
        top.extend(rest.into_iter().filter(|(_, a)| !seen.contains(a)));
        top.truncate(limit);
        Ok(Ranking { top, total, wanted: query::wanted_terms(parsed.query.as_ref()), close_forms, parsed })
    }

    /// Adds the `context` turns before and after a turn hit.
    fn with_context(&self, mut hit: Hit, context: usize) -> Result<Hit, SearchError> {
        if context == 0 || hit.kind != PassageKind::Turn {
            return Ok(hit);
        }
        let around = hit.turn.saturating_sub(context as u64).max(1)..=hit.turn + context as u64;
        let turns = self.turns_of(&hit.source.path, around)?;
        hit.context = turns
            .into_iter()
            .filter(|t| t.turn != hit.turn)
            .map(|t| ContextTurn { turn: t.turn, speaker: t.speaker, start: t.start, end: t.end, text: t.text })
            .collect();
        Ok(hit)
    }

    /// The turns numbered `turns` of the talk read from `source`, in order.
    pub(crate) fn turns_of(
        &self,
        source: &str,
        turns: std::ops::RangeInclusive<u64>,
    ) -> Result<Vec<Passage>, SearchError> {
        let fields = self.index.fields();
        let range = RangeQuery::new(
            Bound::Included(Term::from_field_u64(fields.turn, *turns.start())),
            Bound::Included(Term::from_field_u64(fields.turn, *turns.end())),
        );
        let query = BooleanQuery::new(vec![
            (Occur::Must, term(fields.source, source)),
            (Occur::Must, term(fields.kind, PassageKind::Turn.name())),
            (Occur::Must, Box::new(range)),
        ]);
        let searcher = self.reader.searcher();
        let error = |e| SearchError::Index(self.index.error(e));
        let addresses = searcher.search(&query, &DocSetCollector).map_err(error)?;
        let mut found = Vec::with_capacity(addresses.len());
        for address in addresses {
            found.push(self.passage(&searcher, address)?);
        }
        found.sort_by_key(|p| p.turn);
        Ok(found)
    }

    pub(crate) fn filters(&self, request: &SearchRequest) -> Vec<(Occur, Box<dyn Query>)> {
        let fields = self.index.fields();
        let mut filters = Vec::new();
        if query::may_reach_talk_documents(&request.query) {
            filters.push((Occur::MustNot, term(fields.kind, TALK_KIND)));
        }
        if !request.kinds.is_empty() {
            let kinds = request.kinds.iter().map(|k| (Occur::Should, term(fields.kind, k.name()))).collect();
            filters.push((Occur::Must, Box::new(BooleanQuery::new(kinds)) as Box<dyn Query>));
        }
        if let Some(speaker) = &request.speaker {
            let mut analyzer = crate::index::analyzer::analyzer();
            crate::index::analyzer::for_each_token(&mut analyzer, speaker, |token| {
                filters.push((Occur::Must, term(fields.speaker, &token.text)));
            });
        }
        filters
    }

    /// What the document at `address` stores about its passage, with its talk's label.
    pub(crate) fn passage(&self, searcher: &tantivy::Searcher, address: DocAddress) -> Result<Passage, SearchError> {
        let record = self.index.record(&self.stores, address).map_err(SearchError::Index)?;
        let facts = facts::decode(&record.facts).unwrap_or_default();
        let talk = self.talk_label(searcher, &record.source)?;
        let talk = talk.as_deref();
        Ok(Passage {
            kind: facts.kind,
            talk: talk.map(|t| t.talk.clone()).unwrap_or_default(),
            title: talk.and_then(|t| t.title.clone()),
            show: talk.and_then(|t| t.show.clone()),
            turn: facts.number,
            term: record.term,
            speaker: record.speaker,
            start: facts.start,
            end: facts.end,
            text: record.text,
            marks: facts.marks,
            source: record.source,
            line: facts.line,
            media_url: talk.and_then(|t| t.media_url.clone()),
        })
    }

    /// The label of the talk read from `source`, from its talk document the first time.
    fn talk_label(&self, searcher: &tantivy::Searcher, source: &str) -> Result<Option<Arc<TalkLabel>>, SearchError> {
        if let Some(label) = self.talks.read().unwrap_or_else(PoisonError::into_inner).get(source) {
            return Ok(label.clone());
        }
        let label = self.index.talk_of(searcher, &self.stores, source).map_err(SearchError::Index)?.map(Arc::new);
        self.talks.write().unwrap_or_else(PoisonError::into_inner).insert(source.to_string(), label.clone());
        Ok(label)
    }

    /// A hit for `passage`, shown as `snippet`, timed at byte `first_match` of its text.
    pub(crate) fn hit(
        &self,
        rank: usize,
        score: Score,
        passage: Passage,
        snippet: Snippet,
        first_match: Option<usize>,
    ) -> Hit {
        let time = match passage.kind {
            PassageKind::Turn => {
                time_at(first_match.unwrap_or(0), &passage.text, passage.start, passage.end, &passage.marks)
            }
            _ => passage.start,
        };
        Hit {
            rank,
            score,
            kind: passage.kind,
            talk: passage.talk,
            title: passage.title,
            show: passage.show,
            turn: passage.turn,
            term: passage.term,
            speaker: passage.speaker,
            start: passage.start,
            end: passage.end,
            time,
            link: passage.media_url.zip(time).map(|(url, t)| media_link(&url, t)),
            text: passage.text,
            snippet,
            source: SourceRef { path: passage.source, line: passage.line },
            context: Vec::new(),
            quote: None,
        }
    }
}

/// What the index stores about one passage.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Passage {
    pub kind: PassageKind,
    pub talk: String,
    pub title: Option<String>,
    pub show: Option<String>,
    pub turn: u64,
    pub term: Option<String>,
    pub speaker: Option<String>,
    pub start: Option<Timestamp>,
    pub end: Option<Timestamp>,
    pub text: String,
    pub marks: Vec<(usize, u64)>,
    pub source: String,
    pub line: u64,
    pub media_url: Option<String>,
}

fn term(field: tantivy::schema::Field, text: &str) -> Box<dyn Query> {
    Box::new(TermQuery::new(Term::from_field_text(field, text), IndexRecordOption::Basic))
}

fn with_filters(query: Box<dyn Query>, filters: &[(Occur, Box<dyn Query>)]) -> Box<dyn Query> {
    // Unwrapped, a term or a conjunction of a few terms keeps tantivy's block-max pruning,
    // which skips most of a common word's passages; any filter clause turns it off. A phrase,
    // and a conjunction that is long (a pasted quote) or has more than words (close forms), have
    // walks of their own, below.
    if filters.is_empty() {
        let query = query::unwrap_single_clause(query);
        // A bare phrase is ranked by tantivy's own scorer, but only where it can still rank.
        if let Some(pruned) = query.downcast_ref::<PhraseQuery>().and_then(phrase::PrunedPhraseQuery::of) {
            return Box::new(pruned);
        }
        if conjunction::is_long_conjunction(query.as_ref()) {
            return Box::new(conjunction::LongConjunction::new(query));
        }
        return query;
    }
    // With a filter tantivy walks its plain intersection anyway, so a conjunction loses
    // nothing to the same-text walk, which skips the copies of a passage already checked.
    let query: Box<dyn Query> = if conjunction::is_conjunction(query.as_ref()) {
        Box::new(conjunction::LongConjunction::new(query))
    } else {
        query
    };
    let mut clauses = vec![(Occur::Must, query)];
    // Filters must not change the score, nor cost the BM25 statistics of their fields.
    clauses.extend(filters.iter().map(|(occur, q)| {
        let constant: Box<dyn Query> = Box::new(tantivy::query::ConstScoreQuery::new(q.box_clone(), 0.0));
        (*occur, constant)
    }));
    Box::new(BooleanQuery::new(clauses))
}

/// The time at byte `offset` of a turn: the last mark at or before it when the source gave
/// marks; otherwise interpolated by words between the turn's start and end.
fn time_at(
    offset: usize,
    text: &str,
    start: Option<Timestamp>,
    end: Option<Timestamp>,
    marks: &[(usize, u64)],
) -> Option<Timestamp> {
    let start = start?;
    if let Some(&(_, millis)) = marks.iter().take_while(|(at, _)| *at <= offset).last() {
        return Some(Timestamp { millis, estimated: start.estimated });
    }
    let end = end.filter(|e| e.millis > start.millis)?;
    let words_before = text.get(..offset).map_or(0, crate::model::word_count);
    let words = crate::model::word_count(text).max(1);
    let millis = start.millis + (end.millis - start.millis) * words_before as u64 / words as u64;
    // The very start of a turn is as exact as the turn's start; anything inside is a guess.
    Some(if millis == start.millis { start } else { Timestamp::estimated(millis) })
}

/// A link that plays `url` at `time`: YouTube's `t=` parameter, otherwise a media fragment.
pub fn media_link(url: &str, time: Timestamp) -> String {
    let seconds = time.millis / 1000;
    if url.contains("youtube.com/") || url.contains("youtu.be/") {
        let separator = if url.contains('?') { '&' } else { '?' };
        format!("{url}{separator}t={seconds}")
    } else {
        let base = url.split('#').next().unwrap_or(url);
        format!("{base}#t={seconds}")
    }
}

/// Whether `automaton` takes `term`, fed byte by byte as a walk of the term dictionary feeds
/// it, stopping where nothing can match any more.
#[cfg(test)]
pub(crate) fn automaton_accepts<A: tantivy_fst::Automaton>(automaton: &A, term: &str) -> bool {
    let mut state = automaton.start();
    for &byte in term.as_bytes() {
        if !automaton.can_match(&state) {
            return false;
        }
        state = automaton.accept(&state, byte);
    }
    automaton.is_match(&state)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn time_at_uses_marks_or_interpolates() {
        let text = "one two three four";
        let start = Some(Timestamp::exact(10_000));
        let end = Some(Timestamp::exact(18_000));
        assert_eq!(time_at(8, text, start, end, &[(0, 10_000), (8, 14_000)]), Some(Timestamp::exact(14_000)));
        assert_eq!(time_at(14, text, start, end, &[]), Some(Timestamp::estimated(16_000)));
        assert_eq!(time_at(0, text, start, end, &[]), start);
    }

    #[test]
    fn copies_of_a_passage_show_its_snippet_at_their_own_time() {
        let said =
            format!("{}and then distillation helped {}", "we tried many things. ".repeat(12), "a lot.".repeat(12));
        let other = format!("distillation first, {}", "then other words.".repeat(20));
        let mut talk = crate::formats::Format::PlainText.parse(&format!("{said}\n\n{other}\n\n{said}")).unwrap();
        talk.estimate_times(150);
        let searcher = Searcher::new(TalkIndex::in_ram_with(&talk)).unwrap();
        let hits = searcher.search(&SearchRequest::new("distillation")).unwrap().hits;
        assert_eq!(hits.len(), 3);
        let copies: Vec<&Hit> = hits.iter().filter(|hit| hit.text == said).collect();
        assert_eq!(copies.len(), 2);
        assert_eq!(copies[0].snippet, copies[1].snippet);
        assert!(copies[0].snippet.text.contains("distillation"));
        let into = |hit: &Hit| hit.time.unwrap().millis - hit.start.unwrap().millis;
        assert_ne!(copies[0].time, copies[1].time, "each at its own place in the talk");
        assert_eq!(into(copies[0]), into(copies[1]));
        let elsewhere = hits.iter().find(|hit| hit.text == other).unwrap();
        assert_ne!(into(elsewhere), into(copies[0]), "the other passage says it at its start");
    }

    #[test]
    fn media_links_point_at_the_time() {
        let t = Timestamp::exact(262_500);
        assert_eq!(media_link("https://www.youtube.com/watch?v=abc", t), "https://www.youtube.com/watch?v=abc&t=262");
        assert_eq!(media_link("https://youtu.be/abc", t), "https://youtu.be/abc?t=262");
        assert_eq!(media_link("https://example.org/ep.mp3", t), "https://example.org/ep.mp3#t=262");
    }
}
