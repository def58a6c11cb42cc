//! Near-miss and sound-alike terms: what a word typed by a person may look like in a machine
//! transcript, found in the index's own dictionaries.
//!
//! A query word that is rare or absent in the index (see [`Lexicon::is_rare`]) also matches
//! index terms within a few edits (scaled to the word's length, [`max_edits`]), terms that sound
//! alike (same key in the index's sound table, see [`crate::index::phonetic`]), the same number
//! written in words or digits, and the word split in two (`lamaguard` ~ `llama guard`);
//! two adjacent query words also match their joined form (`swe bench` ~ `sweebench`) when one
//! of them is rare or the two are rarely said together. A query of a few plain words that are
//! rarely said together also matches the phrases they may have been transcribed as, common
//! words included (`Llama 3` ~ `lava three`). Each alternative is an ordinary `text` term or
//! phrase, so it ranks, counts and highlights like a typed word; [`expand`] weaves them into a
//! parsed query, below the words as typed.

use super::best_of::{BestOf, Boosted};
use super::conjunction::{self, Listing, TextKeys};
use super::edits::WithinEdits;
use super::phrase::SameTextPhrase;
use super::query::WantedTerms;
use super::term_walk;
use crate::index::Fields;
use crate::index::analyzer::{analyzer, fold_word, for_each_token};
use crate::index::phonetic::{LazySoundTable, sound_key};
use crate::index::term_fst;
use rustc_hash::{FxHashMap, FxHashSet};
use std::collections::HashMap;
use tantivy::directory::OwnedBytes;
use tantivy::query::{BooleanQuery, EnableScoring, FuzzyTermQuery, Occur, PhraseQuery, Query, TermQuery, Weight};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{DocSet, Searcher, SegmentReader, TERMINATED, Term};
use tantivy_fst::raw::Fst;

/// What a search learnt, in one segment, of the distinct texts of a word's passages.
#[derive(Debug, Clone)]
enum SegmentListing {
    /// Not walked to the end yet.
    Unknown,
    /// Its texts seldom repeat (or the segment keeps no text hashes): not worth listing.
    Seldom,
    /// Listed (see [`Listing::Complete`]).
    Listed(Vec<(tantivy::DocId, u64)>),
}

/// Fewest passages of a word for a count it leads to walk them all, checking each distinct text
/// once and listing the texts (see [`conjunction::count_listing`]): below two blocks of
/// postings the leapfrog of [`conjunction::count_by_text`] costs as little.
const LIST_TEXTS_FROM: u64 = 256;

/// Alternatives kept per word, best first: enough for the usual misspellings, few enough that
/// a query stays fast and its hits on topic.
const MAX_ALTERNATIVES: usize = 6;

/// Sound-alikes kept per word.
const MAX_SOUND_ALIKES: usize = 6;

/// Phrase variants tried when several of a phrase's words have alternatives.
const MAX_PHRASE_VARIANTS: usize = 8;

/// Alternatives kept per word of a plain-words query when looking for the phrase it may have
/// been transcribed as: more than for a word alone, since only those whose whole phrase is in
/// the index are used.
const MAX_PHRASE_WORD_ALTERNATIVES: usize = 16;

/// Words of a plain-words query that one variant may replace: a phrase with every word
/// different is more likely another phrase than a mishearing.
const MAX_REPLACED_IN_VARIANT: usize = 2;

/// Candidate phrase variants looked up in the index per query, best first: bounds the cost of
/// a query whose words have many close forms.
const MAX_VARIANT_LOOKUPS: usize = 24;

/// Share of a close form's passages that must have it in a phrase variant for the variant to
/// count, as a divisor: a quarter.
const MIN_SHARE_IN_VARIANT: u64 = 4;

/// The most words a query may have for its phrase variants to be looked for: longer queries
/// are pasted quotes, which `quote` serves.
const MAX_VARIANT_QUERY_WORDS: usize = 4;

/// Hits a search asks for unless told: how many passages must say a phrase for its variants
/// to have no room in the top hits.
pub const DEFAULT_HITS_WANTED: usize = 10;

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
            terms => phrase_query(text, terms),
        };
        Box::new(Boosted::new(inner, self.likeness.weight()))
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
    doc_freqs: FxHashMap<String, u64>,
    hits_wanted: u64,
    phrase_freqs: FxHashMap<Vec<String>, u64>,
    /// Terms found within a number of edits of a term: a rare word of a few plain words is
    /// looked up for itself and again as a word of their phrase.
    spellings: FxHashMap<(String, u8), Vec<String>>,
    /// Passages counted with words together (as a phrase or not), and how far each count was
    /// allowed to go: a search that finds nothing tries again with every word's close forms,
    /// and asks for many of the same counts.
    counts: FxHashMap<(Vec<String>, bool), (u64, u64)>,
    /// Per word said often enough to list, what counts it led learnt of its passages' texts,
    /// per segment (see [`Lexicon::count_in_index`]).
    texts: FxHashMap<String, Vec<SegmentListing>>,
    /// Per segment, the `text` terms as a raw FST (see [`term_walk`]), once a walk needs them.
    raw_terms: Option<Vec<Option<Fst<OwnedBytes>>>>,
    /// Per segment, the text keys of `text`, once a count needs them: a search with close forms
    /// makes a few dozen counts.
    text_keys: Option<Vec<Option<TextKeys>>>,
}

impl<'s> Lexicon<'s> {
    /// A lexicon over what `searcher` sees.
    pub fn new(searcher: &'s Searcher, fields: &Fields, sounds: &'s LazySoundTable) -> Lexicon<'s> {
        // Rare: a handful of passages, more in a big index (one passage in fifty thousand).
        let rare_below = (searcher.num_docs() / 50_000).max(2);
        Lexicon {
            searcher,
            text: fields.text,
            sounds,
            analyzer: analyzer(),
            rare_below,
            doc_freqs: FxHashMap::default(),
            hits_wanted: DEFAULT_HITS_WANTED as u64,
            phrase_freqs: FxHashMap::default(),
            spellings: FxHashMap::default(),
            counts: FxHashMap::default(),
            texts: FxHashMap::default(),
            raw_terms: None,
            text_keys: None,
        }
    }

    /// The same lexicon for a search that shows `hits` hits: a phrase said in fewer passages
    /// leaves room in them for what it may have been transcribed as.
    pub fn with_hits_wanted(mut self, hits: usize) -> Lexicon<'s> {
        self.hits_wanted = hits.max(1) as u64;
        self
    }

    /// The same lexicon taking every word, and every phrase, for rare: for a second try when
    /// the words as typed found nothing.
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

    /// Passages that have `terms` side by side, counted up to the hits wanted: past that the
    /// count changes nothing, and stopping keeps a common phrase cheap.
    pub fn phrase_freq(&mut self, terms: &[String]) -> u64 {
        if let [single] = terms {
            return self.doc_freq(single);
        }
        if let Some(&known) = self.phrase_freqs.get(terms) {
            return known;
        }
        let freq =
            if terms.iter().any(|t| self.doc_freq(t) == 0) { 0 } else { self.count_phrase(terms, self.hits_wanted) };
        self.phrase_freqs.insert(terms.to_vec(), freq);
        freq
    }

    /// True when the words are said together in fewer passages than the hits wanted: then the
    /// phrases they may have been transcribed as, or their joined form, can still reach the
    /// top hits, below the passages that say the words as typed.
    pub fn is_rare_phrase(&mut self, terms: &[String]) -> bool {
        self.rare_below == u64::MAX || self.phrase_freq(terms) < self.hits_wanted
    }

    /// How many passages have every one of `terms`, when a count already made tells exactly.
    fn known_together(&self, terms: &[String]) -> Option<u64> {
        let &(count, allowed) = self.counts.get(&(terms.to_vec(), false))?;
        (count < allowed).then_some(count)
    }

    /// Passages with every one of `terms`, anywhere, counted up to the hits wanted.
    pub fn count_together(&mut self, terms: &[String]) -> u64 {
        self.count_with_words(terms, false, self.hits_wanted)
    }

    /// Passages where `terms` (two or more) stand together, counted up to `enough`.
    fn count_phrase(&mut self, terms: &[String], enough: u64) -> u64 {
        self.count_with_words(terms, true, enough)
    }

    /// Passages that have every one of `terms`, as a phrase when `phrase`, counted up to
    /// `enough`: a passage's text checked once however often a corpus holds it (see
    /// [`conjunction::count_by_text`]), tantivy's own walk for segments without text hashes.
    fn count_with_words(&mut self, terms: &[String], phrase: bool, enough: u64) -> u64 {
        let key = (terms.to_vec(), phrase);
        // A count that stopped short of what it was allowed is exact; one that reached it is
        // a floor that serves any smaller request.
        if let Some(&(count, allowed)) = self.counts.get(&key)
            && (count < allowed || enough <= allowed)
        {
            return count.min(enough);
        }
        let count = self.count_in_index(terms, phrase, enough);
        self.counts.insert(key, (count, enough));
        count
    }

    fn count_in_index(&mut self, words: &[String], phrase: bool, enough: u64) -> u64 {
        let terms: Vec<Term> = words.iter().map(|t| Term::from_field_text(self.text, t)).collect();
        let query: Box<dyn Query> = if phrase {
            Box::new(PhraseQuery::new(terms.clone()))
        } else {
            let clauses = terms.iter().map(|t| (Occur::Must, term_query_of(t.clone()))).collect();
            Box::new(BooleanQuery::new(clauses))
        };
        let Ok(weight) = query.weight(EnableScoring::disabled_from_searcher(self.searcher)) else { return 0 };
        let phrase_weight = phrase.then_some(weight.as_ref());
        // The word with the fewest passages to walk leads. A word said often enough to be worth
        // it walks all its passages, checking each distinct text once, and lists the texts for
        // the counts it leads after (a corpus of copies).
        let Some(lead) = (0..words.len()).min_by_key(|&i| self.passages_to_walk(&words[i])) else { return 0 };
        let list_lead = self.doc_freq(&words[lead]) >= LIST_TEXTS_FROM;
        let others: Vec<Term> = terms.iter().enumerate().filter(|&(i, _)| i != lead).map(|(_, t)| t.clone()).collect();
        self.open_text_keys();
        let keys = self.text_keys.take().unwrap_or_default();
        let segments = self.searcher.segment_readers();
        let mut listings = if list_lead {
            self.texts.remove(&words[lead]).unwrap_or_else(|| vec![SegmentListing::Unknown; segments.len()])
        } else {
            Vec::new()
        };
        let mut count = 0;
        for (ordinal, segment) in segments.iter().enumerate() {
            let wanted = enough - count;
            // A lead said too seldom to list is counted as where its texts seldom repeat.
            let listing = listings.get(ordinal).unwrap_or(&SegmentListing::Seldom);
            let by_text = match (listing, keys.get(ordinal).and_then(Option::as_ref)) {
                (SegmentListing::Listed(texts), _) => {
                    conjunction::count_among_texts(segment, texts, &others, phrase_weight, wanted).map(Some)
                }
                (SegmentListing::Unknown, Some(keys)) => {
                    match conjunction::count_listing(segment, keys, &terms[lead], &others, phrase_weight, wanted) {
                        Ok(Some((found, listing))) => {
                            if let Listing::Complete(texts) = listing {
                                listings[ordinal] = SegmentListing::Listed(texts);
                            }
                            Ok(Some(found))
                        }
                        Ok(None) => {
                            listings[ordinal] = SegmentListing::Seldom;
                            conjunction::count_by_text(segment, keys, &terms, phrase_weight, wanted).map(Some)
                        }
                        Err(error) => Err(error),
                    }
                }
                (_, Some(keys)) => conjunction::count_by_text(segment, keys, &terms, phrase_weight, wanted).map(Some),
                (_, None) => Ok(None),
            };
            count += match by_text {
                Ok(Some(found)) => found,
                _ => count_matches(weight.as_ref(), segment, wanted),
            };
            if count >= enough {
                break;
            }
        }
        if list_lead {
            self.texts.insert(words[lead].clone(), listings);
        }
        self.text_keys = Some(keys);
        count
    }

    /// How many passages a count led by `term` walks: its distinct texts when they are listed
    /// in every segment, its passages otherwise.
    fn passages_to_walk(&mut self, term: &str) -> u64 {
        let listed = self.texts.get(term).and_then(|segments| {
            segments
                .iter()
                .map(|listing| match listing {
                    SegmentListing::Listed(texts) => Some(texts.len() as u64),
                    _ => None,
                })
                .sum::<Option<u64>>()
        });
        listed.unwrap_or_else(|| self.doc_freq(term))
    }

    /// Opens, per segment, the text keys of `text` (`None` for a segment without text hashes).
    fn open_text_keys(&mut self) {
        if self.text_keys.is_none() {
            let segments = self.searcher.segment_readers();
            self.text_keys =
                Some(segments.iter().map(|segment| TextKeys::of(segment, self.text).ok().flatten()).collect());
        }
    }

    /// BM25's inverse document frequency of a term, as tantivy computes it; an absent term
    /// counts as said once, so that its weight stays that of a rare word, not an infinite one.
    fn idf(&mut self, term: &str) -> f32 {
        let passages = self.searcher.num_docs().max(1);
        let freq = self.doc_freq(term).clamp(1, passages);
        (1.0 + ((passages - freq) as f32 + 0.5) / (freq as f32 + 0.5)).ln()
    }

    /// The query for `near`, a phrase (or joined word) that may be how the typed phrase
    /// `typed` was transcribed, alike by `likeness`: scored as the typed words would be, plus
    /// their being together discounted by the likeness. So it ranks below passages with the
    /// typed words together and above most with them apart: a whole phrase heard slightly
    /// wrong says more than its words scattered over a passage.
    pub fn near_phrase_query(&mut self, typed: &[String], near: &[String], likeness: f32) -> Box<dyn Query> {
        let typed_idf: f32 = typed.iter().map(|t| self.idf(t)).sum();
        let near_idf: f32 = near.iter().map(|t| self.idf(t)).sum();
        let inner = match near {
            [single] => term_query(self.text, single),
            terms => phrase_query(self.text, terms),
        };
        Box::new(Boosted::new(inner, (1.0 + likeness) * typed_idf / near_idf.max(f32::EPSILON)))
    }

    /// The best of `disjuncts` (see [`BestOf::of`]).
    pub fn best_of(&mut self, disjuncts: Vec<Box<dyn Query>>) -> Box<dyn Query> {
        let text = self.text;
        BestOf::of(disjuncts, text, &mut |term| term.value().as_str().map_or(0, |word| self.doc_freq(word)))
    }

    /// The analyzed term of a folded word.
    pub fn stem(&mut self, folded: &str) -> String {
        let mut out = folded.to_string();
        for_each_token(&mut self.analyzer, folded, |t| out = t.text.clone());
        out
    }

    /// The same number in digits or words (`3` ~ `three`), when the index has it.
    fn number_twin(&mut self, folded: &str) -> Option<Alternative> {
        let twin = number_twin(folded)?;
        let terms = vec![self.stem(twin)];
        let doc_freq = self.doc_freq(&terms[0]);
        (doc_freq > 0).then(|| Alternative { terms, surface: twin.to_string(), likeness: Likeness::Number, doc_freq })
    }

    /// Index terms that may stand for the typed word (`folded`, analyzed to `term`), best first.
    pub fn alternatives(&mut self, folded: &str, term: &str) -> Vec<Alternative> {
        let mut found: Vec<Alternative> = self.number_twin(folded).into_iter().collect();
        if folded.chars().all(char::is_alphabetic) {
            let edits = max_edits(folded.chars().count());
            found.extend(self.nearest_spelled_like(term, edits, Likeness::Spelling));
            found.extend(self.sounding_like(folded, Likeness::Sound));
            found.extend(self.splits(folded));
        }
        self.rank(found, &[term], MAX_ALTERNATIVES)
    }

    /// Index terms that a word of a phrase may stand for, best first: as [`Lexicon::alternatives`]
    /// but for common words too, one edit further for words of five to seven letters (`llama`
    /// ~ `lava`), one edit at most for longer words, and without splits. Loose, because only
    /// forms whose whole phrase is in the index are used (see [`Lexicon::phrase_variants`]).
    fn phrase_word_alternatives(&mut self, folded: &str, term: &str) -> Vec<Alternative> {
        let mut found: Vec<Alternative> = self.number_twin(folded).into_iter().collect();
        let chars = folded.chars().count();
        if folded.chars().all(char::is_alphabetic) {
            // Two edits for words of five to seven letters (`llama` ~ `lava`), as quote mode's
            // alignment allows. One for longer words: misheard, they sound alike more than they
            // spell alike, and walking the dictionary for two edits of each of two long words
            // was a third of such a search (`inference weights`: 0.41 → 0.28 ms in process).
            let edits = if (5..8).contains(&chars) { max_edits(chars) + 1 } else { max_edits(chars).min(1) };
            found.extend(self.spelled_like(term, edits, Likeness::Spelling));
            found.extend(self.sounding_like(folded, Likeness::Sound));
        }
        found.retain(|a| a.terms.len() == 1);
        self.rank(found, &[term], MAX_PHRASE_WORD_ALTERNATIVES)
    }

    /// Phrases said in the index that the typed words (`folded`, analyzed to `terms`) may have
    /// been transcribed as, best first, each with the likeness of its least alike word: one or
    /// two words replaced by close forms (`llama 3` ~ `lava three`).
    pub fn phrase_variants(&mut self, folded: &[String], terms: &[String]) -> Vec<(Vec<String>, f32)> {
        if terms.len() > MAX_VARIANT_QUERY_WORDS {
            return Vec::new();
        }
        let options: Vec<Vec<(String, Option<Likeness>)>> = terms
            .iter()
            .zip(folded)
            .map(|(term, word)| {
                let mut options = vec![(term.clone(), None)];
                let alternatives = self.phrase_word_alternatives(word, term);
                options.extend(alternatives.into_iter().map(|a| (a.terms[0].clone(), Some(a.likeness))));
                options
            })
            .collect();
        let mut candidates: Vec<Picks> = Vec::new();
        collect_variants(&options, Picks::NONE, 0, &mut candidates);
        // Among equally alike variants, rarer words heard first: a word heard wrong is seldom
        // said elsewhere, and a rare word's phrase is quick to look up.
        let heard_freq: Vec<Vec<u64>> = options
            .iter()
            .map(|word_options| word_options.iter().map(|(term, _)| self.doc_freq(term)).collect())
            .collect();
        let most_heard = |c: &Picks| {
            let heard =
                c.picks.iter().enumerate().take(options.len()).filter(|&(i, &pick)| is_heard(&options[i][pick]));
            heard.map(|(i, &pick)| heard_freq[i][pick]).max().unwrap_or(0)
        };
        // Likenesses are between 0 and 1, where a float's bits order as the float does.
        candidates.sort_by_cached_key(|c| (std::cmp::Reverse(c.likeness.to_bits()), most_heard(c)));
        let candidates = candidates.iter().map(|picks| PhraseVariant::picked(&options, picks));
        let mut found = Vec::new();
        for candidate in candidates.take(MAX_VARIANT_LOOKUPS) {
            if self.is_heard_as(&candidate) {
                found.push((candidate.terms, candidate.likeness));
                if found.len() == MAX_PHRASE_VARIANTS {
                    break;
                }
            }
        }
        found
    }

    /// True when the variant is said in the index, and each word put in by spelling or sound
    /// stands in it in at least [`MIN_SHARE_IN_VARIANT`] of its passages: a word heard wrong
    /// shows up where the word meant belongs (`lava` in `lava three`), while a real word that
    /// happens to be spelled alike is mostly said elsewhere (`more` in `open source more`).
    fn is_heard_as(&mut self, variant: &PhraseVariant) -> bool {
        let needed = variant.heard.iter().map(|t| self.doc_freq(t).div_ceil(MIN_SHARE_IN_VARIANT)).max().unwrap_or(1);
        let needed = needed.max(1);
        // A phrase is said in no more passages than its rarest word.
        if variant.terms.iter().any(|t| self.doc_freq(t) < needed) {
            return false;
        }
        self.count_phrase(&variant.terms, needed) >= needed
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
                // One edit at most: words written as one lose or gain a letter at the seam
                // (`swe bench` ~ `sweebench`, `llama guard` ~ `lamaguard`), and an automaton
                // for two edits of a word this long cost more than the rest of the search.
                let edits = max_edits(joined.chars().count()).min(1);
                found.extend(self.spelled_like(&term, edits, Likeness::Joined));
            }
            if sound_key(&joined).is_some_and(|key| key.len() >= 3) {
                found.extend(self.sounding_like(&joined, Likeness::Joined));
            }
        }
        let parts: Vec<String> = folded_words.iter().map(|w| self.stem(w)).collect();
        let parts: Vec<&str> = parts.iter().map(String::as_str).collect();
        self.rank(found, &parts, MAX_ALTERNATIVES)
    }

    /// Keeps the `keep` best alternatives: closest first, then most common; none equal to `typed`.
    fn rank(&mut self, mut found: Vec<Alternative>, typed: &[&str], keep: usize) -> Vec<Alternative> {
        found.retain(|a| a.terms.len() > 1 || !typed.contains(&a.terms[0].as_str()));
        found.sort_by(|a, b| b.likeness.weight().total_cmp(&a.likeness.weight()).then(b.doc_freq.cmp(&a.doc_freq)));
        let mut seen = FxHashSet::default();
        found.retain(|a| seen.insert(a.terms.clone()));
        found.truncate(keep);
        found
    }

    /// Terms within `edits` of `term`, the nearest only: two edits only when one finds
    /// nothing. A walk for two edits visits many times the dictionary words of one for one,
    /// while nearer forms rank above farther ones anyway.
    fn nearest_spelled_like(&mut self, term: &str, edits: u8, likeness: fn(u8) -> Likeness) -> Vec<Alternative> {
        for within in 1..edits {
            let nearer = self.spelled_like(term, within, likeness);
            if !nearer.is_empty() {
                return nearer;
            }
        }
        self.spelled_like(term, edits, likeness)
    }

    /// Terms within `edits` of `term` that keep its first letter, through an edit-distance
    /// automaton over that letter's part of the dictionary, and terms one edit away at the first
    /// letter ("Mistral" transcribed "Nistral"), looked up one by one.
    ///
    /// Walking the whole dictionary cost `Guillaume` (one edit, then two) 0.7 ms in an index of
    /// the real transcripts; walking its first letter's part costs 0.08 ms, and the 80 or so
    /// first-letter forms a few microseconds. What is left out, two edits of which one is at
    /// the first letter, is seldom the word meant (Elasticsearch users set `prefix_length: 1`
    /// for the same reason).
    fn spelled_like(&mut self, term: &str, edits: u8, likeness: fn(u8) -> Likeness) -> Vec<Alternative> {
        if edits == 0 {
            return Vec::new();
        }
        let mut found = Vec::new();
        for candidate in self.terms_within(term, edits) {
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

    /// The index terms of [`Lexicon::spelled_like`], `term` included when indexed, remembered.
    fn terms_within(&mut self, term: &str, edits: u8) -> Vec<String> {
        let key = (term.to_string(), edits);
        if let Some(known) = self.spellings.get(&key) {
            return known.clone();
        }
        let walk = WithinEdits::new(term, edits);
        let dfa = FuzzyTermQuery::new(Term::from_field_text(self.text, term), edits, true);
        let first_letter_range = first_letter_range(term);
        let first_letter_edits = first_letter_edits(term);
        let mut terms: FxHashSet<String> = FxHashSet::default();
        let first_letter = first_letter_range.as_ref().map_or(&[][..], |(first, _)| first.as_slice());
        for (ordinal, segment) in self.searcher.segment_readers().iter().enumerate() {
            let Ok(inverted) = segment.inverted_index(self.text) else { continue };
            let range = first_letter_range.as_ref();
            let add = |found: &[u8]| {
                if let Ok(found) = std::str::from_utf8(found) {
                    terms.insert(found.to_string());
                }
            };
            match (&walk, self.raw_terms(ordinal)) {
                (Some(walk), Some(fst)) => term_walk::for_each_accepted(fst, walk, first_letter, add),
                (Some(walk), None) => collect_terms(inverted.terms(), walk.clone(), range, &mut terms),
                (None, raw) => {
                    let Ok(dfa) = dfa.automaton() else { continue };
                    match raw {
                        Some(fst) => term_walk::for_each_accepted(fst, &dfa, first_letter, add),
                        None => collect_terms(inverted.terms(), dfa, range, &mut terms),
                    }
                }
            }
            for candidate in &first_letter_edits {
                if !terms.contains(candidate) && matches!(inverted.terms().term_ord(candidate), Ok(Some(_))) {
                    terms.insert(candidate.clone());
                }
            }
        }
        let mut terms: Vec<String> = terms.into_iter().collect();
        // In dictionary order, so alternatives tie-break the same way in every run.
        terms.sort_unstable();
        self.spellings.insert(key, terms.clone());
        terms
    }

    /// The `text` terms of segment `ordinal` as a raw FST, opened the first time.
    fn raw_terms(&mut self, ordinal: usize) -> Option<&Fst<OwnedBytes>> {
        let segments = self.searcher.segment_readers();
        let opened = self.raw_terms.get_or_insert_with(|| {
            segments.iter().map(|segment| term_fst::raw_terms(self.searcher.index(), segment, self.text)).collect()
        });
        opened.get(ordinal)?.as_ref()
    }

    /// Words with the same sound key and of about the same length, as their `text` terms.
    fn sounding_like(&mut self, folded: &str, likeness: fn(u8) -> Likeness) -> Vec<Alternative> {
        let Some(key) = sound_key(folded).filter(|k| k.len() >= 2) else {
            return Vec::new();
        };
        let mut candidates: Vec<(usize, String)> = self
            .words_sounding(&key)
            .into_iter()
            .filter(|word| word != folded && sound_alike(folded, word))
            .map(|word| (edit_distance(folded, &word, u8::MAX as usize - 1), word))
            .collect();
        // A short key is shared by many words: only the closest in spelling are kept, the most
        // said first among equally close ones. Words are stemmed and looked up in the index
        // only as far as that needs: a whole distance at a time, until enough are found.
        candidates.sort_by_key(|(distance, _)| *distance);
        let mut found: Vec<(usize, Alternative)> = Vec::new();
        let mut candidates = candidates.into_iter().peekable();
        while let Some((distance, word)) = candidates.next() {
            let term = self.stem(&word);
            let doc_freq = self.doc_freq(&term);
            if doc_freq > 0 {
                let likeness = likeness(distance as u8);
                found.push((distance, Alternative { terms: vec![term], surface: word, likeness, doc_freq }));
            }
            let distance_done = candidates.peek().is_none_or(|(next, _)| *next > distance);
            if distance_done && found.len() >= MAX_SOUND_ALIKES {
                break;
            }
        }
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

/// A phrase the typed words may have been transcribed as.
#[derive(Debug, Clone)]
struct PhraseVariant {
    terms: Vec<String>,
    /// The likeness of its least alike word to the word typed.
    likeness: f32,
    /// The words put in by spelling or sound, not as the same number.
    heard: Vec<String>,
}

impl PhraseVariant {
    /// The phrase of the options `picks` chose.
    fn picked(options: &[Vec<(String, Option<Likeness>)>], picks: &Picks) -> PhraseVariant {
        let chosen = || options.iter().zip(picks.picks).map(|(word_options, pick)| &word_options[pick]);
        PhraseVariant {
            terms: chosen().map(|(term, _)| term.clone()).collect(),
            likeness: picks.likeness,
            heard: chosen().filter(|option| is_heard(option)).map(|(term, _)| term.clone()).collect(),
        }
    }
}

/// Whether a word's option was put in by spelling or sound (not the word as typed, nor the
/// same number written another way).
fn is_heard((_, likeness): &(String, Option<Likeness>)) -> bool {
    likeness.is_some_and(|likeness| likeness != Likeness::Number)
}

/// A variant before its words are copied: which option each typed word takes. Hundreds are
/// made and sorted, only [`MAX_VARIANT_LOOKUPS`] are looked up.
#[derive(Debug, Clone, Copy)]
struct Picks {
    picks: [usize; MAX_VARIANT_QUERY_WORDS],
    /// The likeness of its least alike word to the word typed.
    likeness: f32,
    /// How many of the typed words it replaces.
    replaced: usize,
}

impl Picks {
    /// Every word as typed.
    const NONE: Picks = Picks { picks: [0; MAX_VARIANT_QUERY_WORDS], likeness: 1.0, replaced: 0 };
}

/// Every phrase made of one option per word (`options[i][0]` is the word as typed, with no
/// likeness) with one to [`MAX_REPLACED_IN_VARIANT`] words replaced, the words before `at`
/// chosen as in `prefix`.
fn collect_variants(options: &[Vec<(String, Option<Likeness>)>], prefix: Picks, at: usize, out: &mut Vec<Picks>) {
    let Some(here) = options.get(at) else {
        if prefix.replaced > 0 {
            out.push(prefix);
        }
        return;
    };
    for (pick, (_, likeness)) in here.iter().enumerate() {
        let mut next = prefix;
        next.picks[at] = pick;
        if let Some(likeness) = likeness {
            if next.replaced == MAX_REPLACED_IN_VARIANT {
                break;
            }
            next.replaced += 1;
            next.likeness = next.likeness.min(likeness.weight());
        }
        collect_variants(options, next, at + 1, out);
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

/// A clause of a boolean query.
type Clause = (Occur, Box<dyn Query>);

/// How many passages `query` matches, when it is a few plain words (all required) whose
/// passages together the lexicon has already counted exactly, as [`expand`] does for a few
/// plain words: then a search that [`expand`] left as it was need not walk the words again to
/// find out it matches nothing (two words each said in thousands of passages, never together).
pub fn known_matches(query: &dyn Query, lexicon: &Lexicon<'_>) -> Option<u64> {
    let clauses = query.downcast_ref::<BooleanQuery>()?.clauses();
    // Each clause one `text` term, as the count looked for it (no other field, no alternative).
    let word = |clause: &dyn Query| {
        let term = clause.downcast_ref::<TermQuery>()?.term();
        term.value().as_str().filter(|_| term.field() == lexicon.text).map(str::to_string)
    };
    let words: Option<Vec<String>> = clauses
        .iter()
        .map(|(occur, clause)| (*occur == Occur::Must).then(|| word(clause.as_ref())).flatten())
        .collect();
    lexicon.known_together(&words?)
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
        // A word the index lacks matches nothing: left beside its close forms it would only
        // make every passage they match go through a union.
        let typed_query = (lexicon.doc_freq(word) > 0).then(|| query.box_clone());
        return with_alternatives(typed_query, &alternatives, lexicon, wanted);
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
    if (2..=MAX_VARIANT_QUERY_WORDS).contains(&clauses.len()) {
        let plain_words: Option<Vec<String>> = clauses
            .iter()
            .map(|(occur, clause)| (*occur == Occur::Must).then(|| single_word(clause.as_ref(), text)).flatten())
            .collect();
        if let Some(terms) = plain_words {
            return expand_plain_words(clauses, &terms, lexicon, typed, wanted);
        }
    }
    // A long query is a pasted quote: counting each pair's phrase would tax it for little.
    let joins =
        if clauses.len() <= MAX_VARIANT_QUERY_WORDS { PairJoins::RareWordsOrPhrases } else { PairJoins::RareWords };
    let (rebuilt, changed) = expand_clauses(clauses, joins, lexicon, typed, wanted);
    if !changed {
        return None;
    }
    let mut query = BooleanQuery::new(rebuilt);
    query.set_minimum_number_should_match(boolean.get_minimum_number_should_match());
    Some(Box::new(query))
}

/// A query of a few plain words (`Llama 3`, `Llama Guard`): besides each rare word's close
/// forms, when the words are rarely said together, the phrases they may have been transcribed
/// as (`lava three`) and, for two words, the word they may have been heard as (`Lamaguard`).
/// Common words said together often are left as parsed, which tantivy prunes: a plain search
/// pays one bounded phrase count.
fn expand_plain_words(
    clauses: &[Clause],
    terms: &[String],
    lexicon: &mut Lexicon<'_>,
    typed: &HashMap<String, String>,
    wanted: &mut WantedTerms,
) -> Option<Box<dyn Query>> {
    let text = lexicon.text_field();
    let any_rare = terms.iter().any(|t| lexicon.is_rare(t));
    // Common words found apart in as many passages as the hits wanted are what the user sees:
    // looking further for what they may have been heard as cost such a plain search four to
    // five times its price (`inference weights` on 1000× the seed), so only a weak result pays.
    let weak = any_rare || lexicon.count_together(terms) < lexicon.hits_wanted;
    let rare_phrase = weak && lexicon.is_rare_phrase(terms);
    if !any_rare && !rare_phrase {
        return None;
    }
    // Two words are the whole phrase: their joined form is one of its variants, below.
    let joins = if terms.len() > 2 { PairJoins::RareWordsOrPhrases } else { PairJoins::Never };
    let (mut words_anywhere, changed) = expand_clauses(clauses, joins, lexicon, typed, wanted);
    let folded: Vec<String> = terms.iter().map(|t| typed.get(t).unwrap_or(t).clone()).collect();
    let mut variants: Vec<(Vec<String>, f32)> = Vec::new();
    if rare_phrase {
        variants = lexicon.phrase_variants(&folded, terms);
    }
    if joins == PairJoins::Never {
        let parts: Vec<&str> = folded.iter().map(String::as_str).collect();
        variants.extend(lexicon.joined(&parts, true).into_iter().map(|j| (j.terms, j.likeness.weight())));
    }
    if variants.is_empty() {
        return changed.then(|| Box::new(BooleanQuery::new(words_anywhere)) as Box<dyn Query>);
    }
    if lexicon.phrase_freq(terms) > 0 {
        // The words together rank above a near phrase, as the near phrase ranks above the
        // words apart.
        words_anywhere.push((Occur::Should, phrase_query(text, terms)));
    }
    let mut disjuncts: Vec<Box<dyn Query>> =
        vec![conjunction::LongConjunction::wrap(BooleanQuery::new(words_anywhere))];
    for (variant, likeness) in variants {
        disjuncts.push(lexicon.near_phrase_query(terms, &variant, likeness));
        match variant.as_slice() {
            [single] => {
                wanted.singles.insert(single.clone());
            }
            _ => push_phrase(wanted, variant),
        }
    }
    Some(lexicon.best_of(disjuncts))
}

/// Which two words in a row also match the one word they may have been transcribed as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum PairJoins {
    /// None (a two-word query joins them as a variant of its whole phrase).
    Never,
    /// Pairs with a rare word.
    RareWords,
    /// Pairs with a rare word, or said together in fewer passages than the hits wanted.
    RareWordsOrPhrases,
}

/// The clauses of a boolean query with rare words' close forms and, as `joins` says, two
/// words in a row that may be one transcribed word (`swe bench` ~ `sweebench`) with that word;
/// and whether anything changed.
fn expand_clauses(
    clauses: &[Clause],
    joins: PairJoins,
    lexicon: &mut Lexicon<'_>,
    typed: &HashMap<String, String>,
    wanted: &mut WantedTerms,
) -> (Vec<Clause>, bool) {
    let text = lexicon.text_field();
    let mut rebuilt: Vec<Clause> = Vec::with_capacity(clauses.len());
    let mut changed = false;
    let mut i = 0;
    while i < clauses.len() {
        let (occur, clause) = &clauses[i];
        if *occur == Occur::MustNot {
            rebuilt.push((*occur, clause.box_clone()));
            i += 1;
            continue;
        }
        // Two words in a row, one of them rare or the two rarely said together: maybe one
        // word in the transcript (`llama guard` ~ `lamaguard`). Only then: an alternative to a
        // pair of words often said together would turn their fast intersection into a union,
        // a tax on every plain two-word search.
        let rare_pair = clauses
            .get(i + 1)
            .filter(|(o, _)| joins != PairJoins::Never && *o == Occur::Must && *occur == Occur::Must)
            .and_then(|(_, next)| {
                let pair = [single_word(clause.as_ref(), text)?, single_word(next.as_ref(), text)?];
                let rare_word = lexicon.is_rare(&pair[0]) || lexicon.is_rare(&pair[1]);
                let rare_phrase = !rare_word && joins == PairJoins::RareWordsOrPhrases && lexicon.is_rare_phrase(&pair);
                (rare_word || rare_phrase).then_some((next, pair))
            });
        if let Some((next, pair)) = rare_pair {
            let words = pair.clone().map(|term| typed.get(&term).cloned().unwrap_or(term));
            let joined = lexicon.joined(&[&words[0], &words[1]], true);
            if !joined.is_empty() {
                let left = expand(clause.as_ref(), lexicon, typed, wanted).unwrap_or_else(|| clause.box_clone());
                let right = expand(next.as_ref(), lexicon, typed, wanted).unwrap_or_else(|| next.box_clone());
                let mut both: Vec<Clause> = vec![(Occur::Must, left), (Occur::Must, right)];
                if lexicon.phrase_freq(&pair) > 0 {
                    // The words together rank above their joined form, as in a plain-words query.
                    both.push((Occur::Should, phrase_query(text, &pair)));
                }
                let mut disjuncts: Vec<Box<dyn Query>> = vec![Box::new(BooleanQuery::new(both))];
                for alternative in joined {
                    disjuncts.push(lexicon.near_phrase_query(&pair, &alternative.terms, alternative.likeness.weight()));
                    wanted.singles.extend(alternative.terms);
                }
                rebuilt.push((Occur::Must, lexicon.best_of(disjuncts)));
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
    (rebuilt, changed)
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
    let mut alternatives: Vec<Box<dyn Query>> = vec![Box::new(SameTextPhrase::new(phrase.clone()))];
    for (variant, weight) in variants.into_iter().filter(|(v, _)| *v != terms) {
        // Variants are exact phrases: a slop typed with the phrase applies to the words as typed.
        let variant_query = PhraseQuery::new(variant.iter().map(|t| Term::from_field_text(text, t)).collect());
        alternatives.push(Box::new(Boosted::new(Box::new(SameTextPhrase::new(variant_query)), weight)));
        push_phrase(wanted, variant);
    }
    if (2..=3).contains(&words.len()) {
        let parts: Vec<&str> = words.iter().map(String::as_str).collect();
        for joined in lexicon.joined(&parts, true) {
            alternatives.push(joined.query(text));
            wanted.singles.extend(joined.terms);
        }
    }
    (alternatives.len() > 1).then(|| lexicon.best_of(alternatives))
}

/// `query` (when there is one), or one of `alternatives` scored lower; `None` when there are
/// no alternatives.
fn with_alternatives(
    query: Option<Box<dyn Query>>,
    alternatives: &[Alternative],
    lexicon: &mut Lexicon<'_>,
    wanted: &mut WantedTerms,
) -> Option<Box<dyn Query>> {
    let text = lexicon.text_field();
    if alternatives.is_empty() {
        return None;
    }
    let mut disjuncts: Vec<Box<dyn Query>> = query.into_iter().collect();
    for alternative in alternatives {
        disjuncts.push(alternative.query(text));
        match alternative.terms.as_slice() {
            [single] => {
                wanted.singles.insert(single.clone());
            }
            terms => push_phrase(wanted, terms.to_vec()),
        }
    }
    if disjuncts.len() == 1 {
        return disjuncts.pop();
    }
    // The best of the forms counts, not their sum: a passage with two misspellings of a word
    // must not outrank one with the word itself.
    Some(lexicon.best_of(disjuncts))
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

/// The phrase `terms`; inside the disjunctions close forms make, passages with the same text
/// are checked once (see [`SameTextPhrase`]).
fn phrase_query(field: Field, terms: &[String]) -> Box<dyn Query> {
    Box::new(SameTextPhrase::new(PhraseQuery::new(terms.iter().map(|t| Term::from_field_text(field, t)).collect())))
}

/// Live passages of `segment` that `weight` matches, counted up to `enough`.
fn count_matches(weight: &dyn Weight, segment: &SegmentReader, enough: u64) -> u64 {
    let Ok(mut matches) = weight.scorer(segment, 1.0) else { return 0 };
    let alive = segment.alive_bitset();
    let mut count = 0;
    let mut doc = matches.doc();
    while doc != TERMINATED {
        if alive.is_none_or(|a| a.is_alive(doc)) {
            count += 1;
            if count >= enough {
                break;
            }
        }
        doc = matches.advance();
    }
    count
}

fn term_query_of(term: Term) -> Box<dyn Query> {
    Box::new(TermQuery::new(term, IndexRecordOption::WithFreqs))
}

fn term_query(field: Field, text: &str) -> Box<dyn Query> {
    term_query_of(Term::from_field_text(field, text))
}

/// Adds the terms of `dictionary` that `automaton` accepts, within `range` when given, to `terms`.
fn collect_terms<A>(
    dictionary: &tantivy::termdict::TermDictionary,
    automaton: A,
    range: Option<&(Vec<u8>, Vec<u8>)>,
    terms: &mut FxHashSet<String>,
) where
    A: tantivy_fst::Automaton,
    A::State: Clone,
{
    let mut words = dictionary.search(automaton);
    if let Some((first, after)) = range {
        words = words.ge(first).lt(after);
    }
    let Ok(mut stream) = words.into_stream() else { return };
    while stream.advance() {
        if let Ok(found) = std::str::from_utf8(stream.key()) {
            terms.insert(found.to_string());
        }
    }
}

/// The words one edit from `term` at its first letter, over the letters a to z: that letter
/// replaced, removed, swapped with the next, or another put before it.
fn first_letter_edits(term: &str) -> Vec<String> {
    let mut chars = term.chars();
    let Some(first) = chars.next() else { return Vec::new() };
    let rest = chars.as_str();
    let mut edits = Vec::with_capacity(2 * 26 + 2);
    for letter in 'a'..='z' {
        if letter != first {
            edits.push(format!("{letter}{rest}"));
        }
        edits.push(format!("{letter}{term}"));
    }
    if !rest.is_empty() {
        edits.push(rest.to_string());
    }
    let mut after_first = rest.chars();
    if let Some(second) = after_first.next().filter(|&second| second != first) {
        edits.push(format!("{second}{first}{}", after_first.as_str()));
    }
    edits
}

/// The bytes of `term`'s first character, and the smallest bytes past every term that starts
/// with it: the dictionary range of words sharing that first letter.
fn first_letter_range(term: &str) -> Option<(Vec<u8>, Vec<u8>)> {
    let first = term.chars().next()?;
    let start = first.to_string().into_bytes();
    let mut after = start.clone();
    // The last byte of a UTF-8 character is below 0xC0, so it can always be raised by one.
    *after.last_mut()? += 1;
    Some((start, after))
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
    fn first_letter_edits_are_one_edit_at_the_first_letter() {
        let edits = first_letter_edits("mistral");
        for expected in ["nistral", "istral", "imstral", "amistral", "zmistral"] {
            assert!(edits.iter().any(|e| e == expected), "{expected} in {edits:?}");
        }
        assert!(!edits.iter().any(|e| e == "mistral"));
        assert!(edits.iter().all(|e| edit_distance("mistral", e, 2) == 1), "{edits:?}");
        assert_eq!(first_letter_edits("a").len(), 25 + 26);
        assert!(first_letter_edits("").is_empty());
    }

    #[test]
    fn first_letter_range_spans_the_words_sharing_it() {
        assert_eq!(first_letter_range("eval"), Some((b"e".to_vec(), b"f".to_vec())));
        let (start, after) = first_letter_range("émile").unwrap();
        assert_eq!((start.as_slice(), after.as_slice()), ("é".as_bytes(), "ê".as_bytes()));
        assert!(start.as_slice() <= "ézzz".as_bytes() && "ézzz".as_bytes() < after.as_slice());
        assert_eq!(first_letter_range(""), None);
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

    fn indexed(texts: &[&str]) -> crate::index::TalkIndex {
        let talk = crate::model::Talk {
            turns: texts.iter().map(|t| crate::model::Turn { text: t.to_string(), ..Default::default() }).collect(),
            ..Default::default()
        };
        crate::index::TalkIndex::in_ram_with(&talk)
    }

    fn lexicon_test(texts: &[&str], check: impl FnOnce(&mut Lexicon<'_>)) {
        let index = indexed(texts);
        let reader = index.reader().unwrap();
        let searcher = reader.searcher();
        let sounds = LazySoundTable::new(index.sound_store());
        let mut lexicon = Lexicon::new(&searcher, index.fields(), &sounds);
        check(&mut lexicon);
    }

    /// [`expand`] of `query` over an index of `texts`: the new query, if any, and what it wants
    /// highlighted.
    fn expanded(texts: &[&str], query: &str) -> (Option<String>, WantedTerms) {
        let index = indexed(texts);
        let reader = index.reader().unwrap();
        let searcher = reader.searcher();
        let sounds = LazySoundTable::new(index.sound_store());
        let mut lexicon = Lexicon::new(&searcher, index.fields(), &sounds);
        let mut parser = tantivy::query::QueryParser::for_index(index.index(), vec![index.fields().text]);
        parser.set_conjunction_by_default();
        let parsed = parser.parse_query(query).unwrap();
        let mut wanted = WantedTerms::default();
        let expanded = expand(parsed.as_ref(), &mut lexicon, &typed_words(query), &mut wanted);
        (expanded.map(|q| format!("{q:?}")), wanted)
    }

    fn phrase(words: &str) -> Vec<String> {
        words.split(' ').map(str::to_string).collect()
    }

    fn surfaces(alternatives: &[Alternative]) -> Vec<(String, Likeness)> {
        alternatives.iter().map(|a| (a.surface.clone(), a.likeness)).collect()
    }

    #[test]
    fn a_rare_word_takes_two_edits_only_when_one_finds_nothing() {
        let nearest = |lexicon: &mut Lexicon<'_>| -> Vec<String> {
            let found = lexicon.nearest_spelled_like("zorbaxqwil", 2, Likeness::Spelling);
            found.into_iter().map(|a| a.surface).collect()
        };
        lexicon_test(&["zorbaxqwel here", "zorbaxqqel there"], |lexicon| {
            assert_eq!(nearest(lexicon), ["zorbaxqwel"]);
        });
        lexicon_test(&["zorbaxqqel there"], |lexicon| assert_eq!(nearest(lexicon), ["zorbaxqqel"]));
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

    #[test]
    fn a_phrase_said_in_as_many_passages_as_hits_wanted_keeps_its_query() {
        let mut texts = vec!["open source wins again"; DEFAULT_HITS_WANTED];
        texts.extend(["opensource is one word here", "open sourse, misspelled"]);
        let (query, wanted) = expanded(&texts, "open source");
        assert_eq!(query, None, "the query tantivy prunes, untouched");
        assert_eq!(wanted, WantedTerms::default());
        texts.remove(0);
        let (query, wanted) = expanded(&texts, "open source");
        assert!(query.is_some(), "said in fewer passages than hits wanted: its joined form counts");
        assert!(wanted.singles.contains("opensourc"), "{wanted:?}");
    }

    #[test]
    fn phrase_counts_stop_at_the_hits_wanted() {
        let texts = vec!["llama 3 again"; 30];
        lexicon_test(&texts, |lexicon| {
            assert_eq!(lexicon.phrase_freq(&phrase("llama 3")), DEFAULT_HITS_WANTED as u64);
            assert!(!lexicon.is_rare_phrase(&phrase("llama 3")));
            assert_eq!(lexicon.phrase_freq(&phrase("3 llama")), 0);
            assert!(lexicon.is_rare_phrase(&phrase("3 llama")));
        });
    }

    #[test]
    fn common_words_rarely_said_together_match_what_they_were_transcribed_as() {
        let texts = [
            "we finally shipped llama 3 last spring",
            "the llama ate 3 apples",
            "I'll call it in April of lava three",
            "a llama is not an alpaca",
        ];
        let (query, wanted) = expanded(&texts, "Llama 3");
        assert!(query.is_some());
        assert!(wanted.phrases.contains(&phrase("lava three")), "{wanted:?}");
        let (query, _) = expanded(&texts, "Llama 3 -alpaca");
        assert_eq!(query, None, "only plain words look for phrase variants");
    }

    #[test]
    fn two_common_words_rarely_said_together_match_their_joined_form() {
        let texts = ["the swe team", "ask the swe lead", "a cold bench", "bench press", "fifty percent on sweebench"];
        lexicon_test(&texts, |lexicon| assert!(!lexicon.is_rare("swe") && !lexicon.is_rare("bench")));
        let (_, wanted) = expanded(&texts, "swe bench");
        assert!(wanted.singles.contains("sweebench"), "{wanted:?}");
        let (_, wanted) = expanded(&texts, "swe bench -alpaca");
        assert!(wanted.singles.contains("sweebench"), "in any query: {wanted:?}");
    }

    #[test]
    fn a_close_form_said_mostly_elsewhere_is_no_variant() {
        let texts = [
            "open source more or less",
            "more and more",
            "more please",
            "more data",
            "ever more",
            "open source models",
        ];
        lexicon_test(&texts, |lexicon| {
            let variants = lexicon.phrase_variants(&phrase("open source models"), &phrase("open sourc model"));
            assert!(variants.iter().all(|(v, _)| !v.contains(&"more".to_string())), "{variants:?}");
        });
        let texts = ["open source more or less", "open source models"];
        lexicon_test(&texts, |lexicon| {
            let variants = lexicon.phrase_variants(&phrase("open source models"), &phrase("open sourc model"));
            assert!(variants.iter().any(|(v, _)| *v == phrase("open sourc more")), "{variants:?}");
        });
    }

    #[test]
    fn variants_replace_one_or_two_words_and_numbers_are_not_heard() {
        let options: Vec<Vec<(String, Option<Likeness>)>> = ["a", "b", "c", "d"]
            .iter()
            .map(|w| {
                vec![
                    (w.to_string(), None),
                    (format!("{w}1"), Some(Likeness::Number)),
                    (format!("{w}2"), Some(Likeness::Spelling(1))),
                ]
            })
            .collect();
        let mut picks = Vec::new();
        collect_variants(&options, Picks::NONE, 0, &mut picks);
        let variants: Vec<PhraseVariant> = picks.iter().map(|p| PhraseVariant::picked(&options, p)).collect();
        assert_eq!(variants.len(), 4 * 2 + 6 * 4);
        assert!(picks.iter().all(|p| (1..=MAX_REPLACED_IN_VARIANT).contains(&p.replaced)));
        assert!(variants.iter().all(|v| v.terms.iter().zip(["a", "b", "c", "d"]).any(|(t, w)| t == w)));
        let both = variants.iter().find(|v| v.terms == ["a1", "b2", "c", "d"]).unwrap();
        assert_eq!((both.heard.as_slice(), both.likeness), (&["b2".to_string()][..], Likeness::Spelling(1).weight()));
    }

    #[test]
    fn a_count_of_words_together_tells_a_plain_search_it_matches_nothing() {
        let mut texts = vec!["the llama model is open"; 20];
        texts.extend(["the license is open"; 20]);
        texts.extend(["open llama weights"; 3]);
        lexicon_test(&texts, |lexicon| {
            let field = lexicon.text_field();
            let plain = |words: &[&str]| {
                let clauses = words.iter().map(|w| (Occur::Must, term_query(field, w))).collect();
                BooleanQuery::new(clauses)
            };
            let never = ["llama".to_string(), "licens".to_string()];
            assert_eq!(known_matches(&plain(&["llama", "licens"]), lexicon), None, "not counted yet");
            assert_eq!(lexicon.count_together(&never), 0);
            assert_eq!(known_matches(&plain(&["llama", "licens"]), lexicon), Some(0));
            // Counted exactly below the hits wanted; at or past them only a floor is known.
            assert_eq!(lexicon.count_together(&["open".to_string(), "weight".to_string()]), 3);
            assert_eq!(known_matches(&plain(&["open", "weight"]), lexicon), Some(3));
            lexicon.count_together(&["open".to_string(), "llama".to_string()]);
            assert_eq!(known_matches(&plain(&["open", "llama"]), lexicon), None);
            // Only the very words counted: not one of them in another field, nor fewer words.
            let mut other_field =
                plain(&["llama"]).clauses().iter().map(|(o, q)| (*o, q.box_clone())).collect::<Vec<_>>();
            other_field.push((Occur::Must, term_query(Field::from_field_id(0), "licens")));
            assert_eq!(known_matches(&BooleanQuery::new(other_field), lexicon), None);
            assert_eq!(known_matches(&plain(&["llama"]), lexicon), None);
        });
    }
}
