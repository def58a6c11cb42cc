//! The top hits of a long conjunction (a pasted quote): a leapfrog intersection that checks
//! one passage per distinct text.
//!
//! For a conjunction of terms tantivy's top-k uses a block-max intersection: it cuts the
//! postings into windows that end where any word's block ends, and in each window seeks every
//! word's block and adds their maxima before it looks at a passage. A quote's dozen words
//! include `and`, `it` and `the`, whose blocks span a few hundred passages, so the windows are
//! that short and each costs a dozen block seeks, while few passages have all the words and
//! there is little to skip. The plain intersection walks the rarest word's passages and stops
//! at the first word a passage lacks. Counted with callgrind for a whole CLI search over the
//! 17 quotes of `benches/queries.tsv`: up to 39% fewer instructions on the real transcripts
//! and up to 16% on 1000× the seed, never more than 7% more; for two or three words the
//! block-max intersection stays far ahead (`open source models`: 4.5M against 6.8M), so only
//! [`LONG_CONJUNCTION_WORDS`] or more go this way, with conjunctions tantivy cannot prune anyway
//! (a clause that is not a single word, or filters). The hits are the same either way, and their
//! scores up to float rounding: the two add the words' scores in different orders.
//!
//! Passages with the same text (the index's `text_hash` column, and the same length norm)
//! have the same words at the same places, so they match and score alike: the intersection
//! seeks the other words for the first such passage only, and gives the others its answer.
//! A quote said in a passage that a corpus holds many times (a talk ingested from two
//! sources, a show's stock intro, or 1000× the seed, made of copies) otherwise costs one block
//! decoded per word per copy: a dozen words over 1000 copies was 1.2 ms.

use crate::index::TEXT_HASH_COLUMN;
use rustc_hash::FxHashMap;
use std::sync::Arc;
use tantivy::columnar::{Cardinality, ColumnValues};
use tantivy::fieldnorm::FieldNormReader;
use tantivy::postings::{BlockSegmentPostings, SegmentPostings};
use tantivy::query::{BooleanQuery, EnableScoring, Explanation, Occur, PhraseQuery, Query, Scorer, TermQuery, Weight};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{DocId, DocSet, Score, SeekDangerResult, SegmentReader, TERMINATED, Term};

/// Fewest words of a conjunction that [`LongConjunction`] serves better.
pub const LONG_CONJUNCTION_WORDS: usize = 5;

/// True for a conjunction that [`LongConjunction`] serves better than tantivy: all its
/// clauses look in one field (only then do passages with the same text there answer alike),
/// and either there are [`LONG_CONJUNCTION_WORDS`] or more (a word, a phrase such as a quote's
/// `it's`, a word or its close forms), or some clause is not a single word, so that tantivy
/// would walk its plain intersection anyway (`llama license` with `llama`'s close forms).
pub fn is_long_conjunction(query: &dyn Query) -> bool {
    let Some(boolean) = query.downcast_ref::<BooleanQuery>() else { return false };
    let clauses = boolean.clauses();
    let long = clauses.len() >= LONG_CONJUNCTION_WORDS;
    let not_words = || clauses.iter().any(|(_, clause)| !clause.is::<TermQuery>());
    (long || not_words()) && is_conjunction(query)
}

/// True for a conjunction of two or more clauses that all look in one field: what
/// [`LongConjunction`] can serve. Where tantivy cannot prune anyway (the query has filters),
/// it serves every such conjunction.
pub fn is_conjunction(query: &dyn Query) -> bool {
    let Some(boolean) = query.downcast_ref::<BooleanQuery>() else { return false };
    let clauses = boolean.clauses();
    clauses.len() >= 2
        && clauses.iter().all(|(occur, _)| *occur == Occur::Must)
        && one_field(clauses.iter().map(|(_, clause)| clause.as_ref())).is_some()
}

/// Whether a clause is a phrase, whose passages cost their word positions to walk.
fn is_phrase(clause: &dyn Query) -> bool {
    clause.is::<PhraseQuery>() || clause.is::<super::phrase::SameTextPhrase>()
}

/// The field every clause looks in, when each has terms and all are in one field.
fn one_field<'q>(clauses: impl Iterator<Item = &'q dyn Query>) -> Option<Field> {
    let mut field = None;
    for clause in clauses {
        let mut terms = 0;
        let mut same = true;
        clause.query_terms(&mut |term: &Term, _| {
            terms += 1;
            same &= *field.get_or_insert(term.field()) == term.field();
        });
        if terms == 0 || !same {
            return None;
        }
    }
    field
}

/// A conjunction whose top hits come from [`SameTextIntersection`] rather than tantivy's
/// pruning walk; any other query is searched as it is.
#[derive(Debug)]
pub struct LongConjunction {
    query: Box<dyn Query>,
}

impl LongConjunction {
    /// The same search as `query`.
    pub fn new(query: Box<dyn Query>) -> LongConjunction {
        LongConjunction { query }
    }

    /// `query` as a [`LongConjunction`] when it is one (see [`is_long_conjunction`]); as it
    /// is otherwise. For a conjunction inside another query, which [`super::with_filters`]
    /// does not see: the words apart beside their near phrases.
    pub fn wrap(query: BooleanQuery) -> Box<dyn Query> {
        if is_long_conjunction(&query) { Box::new(LongConjunction::new(Box::new(query))) } else { Box::new(query) }
    }

    /// The conjunction searched.
    pub fn query(&self) -> &dyn Query {
        self.query.as_ref()
    }

    fn clauses(&self) -> Vec<&dyn Query> {
        match self.query.downcast_ref::<BooleanQuery>() {
            Some(boolean) if is_conjunction(boolean) => boolean.clauses().iter().map(|(_, q)| q.as_ref()).collect(),
            _ => Vec::new(),
        }
    }
}

impl Clone for LongConjunction {
    fn clone(&self) -> LongConjunction {
        LongConjunction { query: self.query.box_clone() }
    }
}

impl Query for LongConjunction {
    fn weight(&self, enable_scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        let clauses = self.clauses();
        let field = one_field(clauses.iter().copied());
        let scoring = enable_scoring.is_scoring_enabled();
        let (Some(field), true) = (field, scoring) else {
            return self.query.weight(enable_scoring);
        };
        let clauses = clauses
            .iter()
            .map(|clause| {
                let word = clause.downcast_ref::<TermQuery>().map(|word| word.term().clone());
                Ok(ConjunctionClause { phrase: is_phrase(*clause), word, weight: clause.weight(enable_scoring)? })
            })
            .collect::<tantivy::Result<_>>()?;
        Ok(Box::new(LongConjunctionWeight { clauses, field }))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        self.query.query_terms(visitor);
    }
}

/// Clauses' scorers, in the order they are asked.
type Scorers = Vec<Box<dyn Scorer>>;

/// A clause of a [`LongConjunction`]'s weight.
struct ConjunctionClause {
    /// Whether it is a phrase, whose passages cost their word positions to walk.
    phrase: bool,
    /// The word, when the clause is one word (no close forms).
    word: Option<Term>,
    weight: Box<dyn Weight>,
}

struct LongConjunctionWeight {
    clauses: Vec<ConjunctionClause>,
    /// The field the words are looked for in.
    field: Field,
}

impl LongConjunctionWeight {
    /// The clauses' scorers, the lead first, and the lead's word when it is one word.
    fn scorers(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<(Scorers, Option<&Term>)> {
        let mut scorers = self
            .clauses
            .iter()
            .map(|clause| Ok((clause, clause.weight.scorer(reader, boost)?)))
            .collect::<tantivy::Result<Vec<_>>>()?;
        // The rarest clause leads and the others are asked in order of rarity, as tantivy
        // does; but phrases come last, whatever their cost: the lead is walked passage by
        // passage, copies included, and a phrase walked so reads the positions of every copy
        // (`GPU's` of a quote on 1000× the seed, a third of it).
        scorers.sort_by_key(|(clause, scorer)| (clause.phrase, scorer.cost()));
        let lead_word = scorers.first().and_then(|(clause, _)| clause.word.as_ref());
        Ok((scorers.into_iter().map(|(_, scorer)| scorer).collect(), lead_word))
    }
}

impl Weight for LongConjunctionWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        let (scorers, _) = self.scorers(reader, boost)?;
        let texts = TextKeys::of(reader, self.field)?;
        Ok(Box::new(SameTextIntersection::walk(scorers, texts)))
    }

    /// The top hits' walk: where the lead is one word whose passages repeat texts, that word's
    /// passages a block at a time (see [`walk_top_hits`]), the other clauses asked once per
    /// text; else the intersection's leapfrog, which skips what the other clauses rule out.
    fn for_each_pruning(
        &self,
        mut threshold: Score,
        reader: &SegmentReader,
        callback: &mut dyn FnMut(DocId, Score) -> Score,
    ) -> tantivy::Result<()> {
        let (scorers, lead_word) = self.scorers(reader, 1.0)?;
        let texts = TextKeys::of(reader, self.field)?;
        let blocks = match (lead_word, &texts) {
            (Some(word), Some(texts)) => repeating_blocks(reader, texts, word)?,
            _ => None,
        };
        let Some(blocks) = blocks else {
            let mut scorer = SameTextIntersection::walk(scorers, texts);
            let mut doc = scorer.doc();
            while doc != TERMINATED {
                let score = scorer.score();
                if score > threshold {
                    threshold = callback(doc, score);
                }
                doc = scorer.advance();
            }
            return Ok(());
        };
        let (intersection, first) = SameTextIntersection::of(scorers, None);
        let mut intersection = PassageWalk::unplaced(intersection, first);
        walk_top_hits(blocks, &mut [], texts, threshold, callback, |doc| intersection.score_at(doc));
        Ok(())
    }

    /// The sum of the clauses' explanations, as the score is their sum. Made from the clauses'
    /// weights: a weight of the whole conjunction besides them would look every word's
    /// statistics up twice, a few percent of a pasted quote's search.
    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        let mut score = 0.0;
        let mut details = Vec::with_capacity(self.clauses.len());
        for clause in &self.clauses {
            let explanation = clause.weight.explain(reader, doc)?;
            score += explanation.value();
            details.push(explanation);
        }
        let mut explanation = Explanation::new("sum of", score);
        for detail in details {
            explanation.add_detail(detail);
        }
        Ok(explanation)
    }
}

/// What a passage's text is known by: its hash and its length norm.
pub(super) type TextKey = (u64, u8);

/// A segment's text hashes and length norms of the field searched. Opening them costs more
/// than a short count: a caller that counts often keeps them.
pub struct TextKeys {
    /// Every document has a hash (a talk's that of no text), so the column is read by position.
    hashes: Arc<dyn ColumnValues<u64>>,
    norms: FieldNormReader,
}

impl TextKeys {
    /// The keys of `segment` for `field`; `None` when it keeps no text hashes.
    pub fn of(segment: &SegmentReader, field: Field) -> tantivy::Result<Option<TextKeys>> {
        let Ok(hashes) = segment.fast_fields().u64(TEXT_HASH_COLUMN) else { return Ok(None) };
        let norms = segment.fieldnorms_readers().get_field(field)?;
        let hashes = match hashes.get_cardinality() {
            Cardinality::Full => hashes.values,
            _ => hashes.first_or_default_col(0),
        };
        Ok(norms.map(|norms| TextKeys { hashes, norms }))
    }

    #[inline]
    pub(super) fn key(&self, doc: DocId) -> TextKey {
        (self.hashes.get_val(doc), self.norms.fieldnorm_id(doc))
    }

    /// The keys of `docs`, in `keys` (cleared first).
    pub(super) fn keys(&self, docs: &[DocId], keys: &mut Vec<TextKey>) {
        let mut hashes = [0u64; POSTINGS_BLOCK];
        keys.clear();
        for chunk in docs.chunks(POSTINGS_BLOCK) {
            let hashes = &mut hashes[..chunk.len()];
            self.hashes.get_vals(chunk, hashes);
            keys.extend(chunk.iter().zip(hashes.iter()).map(|(&doc, &hash)| (hash, self.norms.fieldnorm_id(doc))));
        }
    }
}

/// What is known of each text seen, with the texts seen last in a direct-mapped table by hash
/// in front of the map: in a corpus of copies most passages repeat one of a few texts, and the
/// table answers them in a few instructions where the map took a few dozen.
pub(super) struct TextMemo<V> {
    recent: [Option<(TextKey, V)>; RECENT_TEXTS],
    all: FxHashMap<TextKey, V>,
}

impl<V: Copy> TextMemo<V> {
    pub(super) fn new() -> TextMemo<V> {
        TextMemo { recent: [None; RECENT_TEXTS], all: FxHashMap::default() }
    }

    fn slot(key: TextKey) -> usize {
        // The hash is a hash: its low bits are as good as any.
        (key.0 % RECENT_TEXTS as u64) as usize
    }

    /// What is known of the text `key`.
    #[inline]
    pub(super) fn get(&mut self, key: TextKey) -> Option<V> {
        let slot = &mut self.recent[Self::slot(key)];
        match slot {
            Some((seen, value)) if *seen == key => Some(*value),
            _ => {
                let value = *self.all.get(&key)?;
                *slot = Some((key, value));
                Some(value)
            }
        }
    }

    /// Remembers `value` for the text `key`.
    #[inline]
    pub(super) fn insert(&mut self, key: TextKey, value: V) {
        self.all.insert(key, value);
        self.recent[Self::slot(key)] = Some((key, value));
    }
}

/// What is known of the texts of passages looked at, while texts repeat: where fewer than one
/// in eight of the first [`TEXTS_SAMPLED`] passages looked at had a text seen before, looking
/// them up only costs, and stops.
pub(super) struct KnownTexts<V> {
    /// A segment's keys; without them (or once texts seldom repeat) every passage is checked.
    keys: Option<TextKeys>,
    known: TextMemo<V>,
    looked: u32,
    reused: u32,
}

impl<V: Copy> KnownTexts<V> {
    pub(super) fn new(keys: Option<TextKeys>) -> KnownTexts<V> {
        KnownTexts { keys, known: TextMemo::new(), looked: 0, reused: 0 }
    }

    /// The key of passage `doc`'s text while texts repeat, and what is known of the text.
    /// Inlined: on copies, the walks do little else per passage.
    #[inline(always)]
    pub(super) fn look_up(&mut self, doc: DocId) -> (Option<TextKey>, Option<V>) {
        let Some(key) = self.key(doc) else { return (None, None) };
        (Some(key), self.known(key))
    }

    /// The key of passage `doc`'s text while texts repeat, for [`KnownTexts::known`].
    #[inline(always)]
    pub(super) fn key(&mut self, doc: DocId) -> Option<TextKey> {
        Some(self.keys()?.key(doc))
    }

    /// The segment's keys while texts repeat: to read a block of passages' keys at once.
    #[inline(always)]
    pub(super) fn keys(&mut self) -> Option<&TextKeys> {
        if texts_seldom_repeat(self.looked, self.reused) {
            self.keys = None;
        }
        self.keys.as_ref()
    }

    /// What is known of the text `key` (read with [`KnownTexts::keys`]).
    #[inline(always)]
    pub(super) fn known(&mut self, key: TextKey) -> Option<V> {
        self.looked += 1;
        let known = self.known.get(key);
        self.reused += u32::from(known.is_some());
        known
    }

    /// Remembers `value` for the text `key` (from [`KnownTexts::look_up`]).
    #[inline]
    pub(super) fn remember(&mut self, key: Option<TextKey>, value: V) {
        if let Some(key) = key {
            self.known.insert(key, value);
        }
    }
}

/// What the same-text scorers (intersection, phrase, best of) share: a lead to step through
/// passages, and a check of the passage the lead stands on. [`PassageWalk`] makes a tantivy
/// scorer of one.
pub(super) trait Passages: Send + 'static {
    /// The first passage from `target` on where the lead stands; the lead never moves back.
    fn lead_from(&mut self, target: DocId) -> DocId;

    /// The score of passage `candidate`, where the lead stands, when it matches; else the first
    /// passage after it that may.
    fn check(&mut self, candidate: DocId) -> Result<Score, DocId>;

    /// How many passages the lead has.
    fn size_hint(&self) -> u32;

    fn cost(&self) -> u64 {
        u64::from(self.size_hint())
    }
}

/// A scorer over [`Passages`]: the first passage from wherever it is asked for on that the
/// check accepts. Asked about one passage ([`DocSet::seek_danger`]), it checks that one
/// alone: a disjunction asks its clauses about the passages of a word they all need, and a
/// clause that sought its next match would walk the copies between.
pub(super) struct PassageWalk<P> {
    passages: P,
    /// Where it stands; for a walk not yet placed (see [`PassageWalk::unplaced`]), the first
    /// passage that may match.
    doc: DocId,
    score: Score,
}

impl<P: Passages> PassageWalk<P> {
    /// The walk standing on its first match from `first` on.
    pub(super) fn new(passages: P, first: DocId) -> PassageWalk<P> {
        let mut walk = PassageWalk::unplaced(passages, first);
        walk.seek_from(first);
        walk
    }

    /// The walk not yet moved, to be asked passage by passage ([`PassageWalk::score_at`]);
    /// nothing before `first` matches.
    pub(super) fn unplaced(passages: P, first: DocId) -> PassageWalk<P> {
        PassageWalk { passages, doc: first, score: 0.0 }
    }

    /// The score of passage `doc` (after any asked before) when it matches. A check that
    /// fails tells where the next match may be: passages before that are not asked, as the
    /// clauses may be sought only forward.
    pub(super) fn score_at(&mut self, doc: DocId) -> Option<Score> {
        if doc < self.doc || self.passages.lead_from(doc) != doc {
            return None;
        }
        match self.passages.check(doc) {
            Ok(score) => Some(score),
            Err(next) => {
                self.doc = next;
                None
            }
        }
    }

    /// Moves to the first passage from `candidate` on that matches.
    fn seek_from(&mut self, mut candidate: DocId) -> DocId {
        while candidate < TERMINATED {
            candidate = self.passages.lead_from(candidate);
            if candidate == TERMINATED {
                break;
            }
            match self.passages.check(candidate) {
                Ok(score) => return self.found(candidate, score),
                Err(next) => candidate = next,
            }
        }
        self.doc = TERMINATED;
        TERMINATED
    }

    fn found(&mut self, doc: DocId, score: Score) -> DocId {
        self.doc = doc;
        self.score = score;
        doc
    }
}

impl<P: Passages> DocSet for PassageWalk<P> {
    fn advance(&mut self) -> DocId {
        if self.doc == TERMINATED {
            return TERMINATED;
        }
        self.seek_from(self.doc + 1)
    }

    fn seek(&mut self, target: DocId) -> DocId {
        if target <= self.doc {
            return self.doc;
        }
        self.seek_from(target)
    }

    fn seek_danger(&mut self, target: DocId) -> SeekDangerResult {
        if target >= TERMINATED {
            return SeekDangerResult::SeekLowerBound(TERMINATED);
        }
        if target == self.doc {
            return SeekDangerResult::Found;
        }
        let at = self.passages.lead_from(target);
        if at != target {
            return SeekDangerResult::SeekLowerBound(at);
        }
        match self.passages.check(target) {
            Ok(score) => {
                self.found(target, score);
                SeekDangerResult::Found
            }
            Err(next) => SeekDangerResult::SeekLowerBound(next),
        }
    }

    fn doc(&self) -> DocId {
        self.doc
    }

    fn size_hint(&self) -> u32 {
        self.passages.size_hint()
    }

    fn cost(&self) -> u64 {
        self.passages.cost()
    }
}

impl<P: Passages> Scorer for PassageWalk<P> {
    fn score(&mut self) -> Score {
        self.score
    }
}

/// A leapfrog intersection led by its rarest clause that is not a phrase, which remembers,
/// per text, whether it matched and its score.
pub struct SameTextIntersection {
    lead: Box<dyn Scorer>,
    others: Vec<Box<dyn Scorer>>,
    /// Texts checked: their score when they match.
    known: KnownTexts<Option<Score>>,
}

impl SameTextIntersection {
    /// The intersection of `scorers` (the lead first), and the first passage that may match:
    /// each scorer stands on its first passage, none can match before the furthest, and
    /// tantivy's scorers are only ever sought forward (a phrase asserts it).
    fn of(mut scorers: Vec<Box<dyn Scorer>>, texts: Option<TextKeys>) -> (SameTextIntersection, DocId) {
        let first = scorers.iter().map(|scorer| scorer.doc()).max().unwrap_or(TERMINATED);
        let lead = scorers.remove(0);
        (SameTextIntersection { lead, others: scorers, known: KnownTexts::new(texts) }, first)
    }

    /// The intersection as a scorer standing on its first match.
    fn walk(scorers: Vec<Box<dyn Scorer>>, texts: Option<TextKeys>) -> PassageWalk<SameTextIntersection> {
        let (intersection, first) = SameTextIntersection::of(scorers, texts);
        PassageWalk::new(intersection, first)
    }
}

impl Passages for SameTextIntersection {
    fn lead_from(&mut self, target: DocId) -> DocId {
        seek_forward(&mut self.lead, target)
    }

    /// Inlined into the walk: called once per passage, it cost the real transcripts' quotes
    /// up to 4% more instructions as a call.
    #[inline(always)]
    fn check(&mut self, candidate: DocId) -> Result<Score, DocId> {
        let (key, known) = self.known.look_up(candidate);
        if let Some(known) = known {
            return known.ok_or(candidate + 1);
        }
        for other in &mut self.others {
            if let SeekDangerResult::SeekLowerBound(lower_bound) = other.seek_danger(candidate) {
                self.known.remember(key, None);
                return Err(lower_bound);
            }
        }
        // Summed as tantivy's intersection sums: the first two, then the rest.
        let rest: Score = self.others.iter_mut().skip(1).map(|other| other.score()).sum();
        let second = self.others.first_mut().map_or(0.0, |other| other.score());
        let score = self.lead.score() + second + rest;
        self.known.remember(key, Some(score));
        Ok(score)
    }

    fn size_hint(&self) -> u32 {
        self.lead.size_hint()
    }

    fn cost(&self) -> u64 {
        self.lead.cost()
    }
}

/// Hands tantivy's top-hits `callback` every passage of `blocks` (a word's postings, read a
/// block at a time with their texts' keys) and of `others` (a few more words' postings, merged
/// in one by one), in order, that scores above the threshold the callback keeps raising. A
/// passage whose text was seen scores as that text did; `score_new` scores any other (`None`
/// when it does not match). On copies a passage costs its key and a look-up: a third of what
/// a scorer's walk costs, where tantivy calls the scorer for each passage (callgrind).
pub(super) fn walk_top_hits(
    mut blocks: BlockSegmentPostings,
    others: &mut [SegmentPostings],
    texts: Option<TextKeys>,
    threshold: Score,
    callback: &mut dyn FnMut(DocId, Score) -> Score,
    score_new: impl FnMut(DocId) -> Option<Score>,
) {
    let mut next_other = others.iter().map(DocSet::doc).min().unwrap_or(TERMINATED);
    let mut walk = PruningWalk { score_new, known: KnownTexts::new(texts), threshold, callback };
    let mut keys = Vec::with_capacity(blocks.docs().len());
    while !blocks.docs().is_empty() {
        let docs = blocks.docs();
        match walk.known.keys() {
            Some(texts) => texts.keys(docs, &mut keys),
            None => keys.clear(),
        }
        for (at, &doc) in docs.iter().enumerate() {
            if next_other <= doc {
                next_other = walk.others_until(others, next_other, doc);
            }
            walk.visit(doc, keys.get(at).copied());
        }
        blocks.advance();
    }
    walk.others_until(others, next_other, TERMINATED);
}

/// [`walk_top_hits`]'s walk: passages in order, each new text scored by `score_new`.
struct PruningWalk<'c, S> {
    score_new: S,
    /// What each text seen scored.
    known: KnownTexts<Option<Score>>,
    threshold: Score,
    callback: &'c mut dyn FnMut(DocId, Score) -> Score,
}

impl<S: FnMut(DocId) -> Option<Score>> PruningWalk<'_, S> {
    /// Scores passage `doc` (after any visited before), whose text's key is `key` when it was
    /// read, and hands it on when it scores above the threshold. Inlined: on copies, this is
    /// all a passage costs.
    #[inline(always)]
    fn visit(&mut self, doc: DocId, key: Option<TextKey>) {
        let score = match key.and_then(|key| self.known.known(key)) {
            Some(known) => known,
            None => {
                let score = (self.score_new)(doc);
                self.known.remember(key, score);
                score
            }
        };
        if let Some(score) = score.filter(|score| *score > self.threshold) {
            self.threshold = (self.callback)(doc, score);
        }
    }

    /// Visits the passages of `others` from `next` (the first any stands on) up to `doc`,
    /// `doc` itself left to the caller; returns the first passage after `doc` they stand on.
    fn others_until(&mut self, others: &mut [SegmentPostings], mut next: DocId, doc: DocId) -> DocId {
        while next < doc || (next == doc && doc != TERMINATED) {
            if next < doc {
                let key = self.known.key(next);
                self.visit(next, key);
            }
            next = next_past(others, next);
        }
        next
    }
}

/// Steps the postings that stand on `doc` past it; the first passage any of them stands on.
fn next_past(postings: &mut [SegmentPostings], doc: DocId) -> DocId {
    let mut next = TERMINATED;
    for postings in postings {
        let at = if postings.doc() == doc { postings.advance() } else { postings.doc() };
        next = next.min(at);
    }
    next
}

/// Passages per block of tantivy's postings, which a block-wise walk reads at once.
const POSTINGS_BLOCK: usize = 128;

/// Slots of the table of texts seen last in a [`TextMemo`].
const RECENT_TEXTS: usize = 64;

/// Passages looked at before deciding whether texts repeat in a segment.
const TEXTS_SAMPLED: u32 = 32;

/// Passages looked at, at most, where the first [`TEXTS_SAMPLED`] leave it open.
const REPEATS_SAMPLED: usize = POSTINGS_BLOCK;

/// True once enough passages were looked at (`looked`) and fewer than one in eight had a text
/// seen before (`reused`): then looking texts up only costs.
fn texts_seldom_repeat(looked: u32, reused: u32) -> bool {
    looked >= TEXTS_SAMPLED && reused * 8 < looked
}

/// Moves `docset` to its first passage from `target` on, never back: tantivy's postings are
/// only sought forward (debug builds assert it).
pub(super) fn seek_forward(docset: &mut impl DocSet, target: DocId) -> DocId {
    if docset.doc() < target { docset.seek(target) } else { docset.doc() }
}

/// The postings of `terms` (all in one field) in `segment`; `None` when one of them is never
/// said there, so that nothing has them all.
fn postings_of(segment: &SegmentReader, terms: &[Term]) -> tantivy::Result<Option<Vec<SegmentPostings>>> {
    let Some(field) = terms.first().map(Term::field) else { return Ok(Some(Vec::new())) };
    let inverted = segment.inverted_index(field)?;
    let mut postings = Vec::with_capacity(terms.len());
    for term in terms {
        match inverted.read_postings(term, IndexRecordOption::Basic)? {
            Some(found) => postings.push(found),
            None => return Ok(None),
        }
    }
    Ok(Some(postings))
}

/// Whether passage `doc` (after any asked before) has every word of `others` and, when there
/// is a `phrase`, says it.
fn says_every_word(
    segment: &SegmentReader,
    others: &mut [SegmentPostings],
    phrase: Option<&mut PhraseCheck<'_>>,
    doc: DocId,
) -> tantivy::Result<bool> {
    if !others.iter_mut().all(|other| seek_forward(other, doc) == doc) {
        return Ok(false);
    }
    match phrase {
        Some(phrase) => phrase.says(segment, doc),
        None => Ok(true),
    }
}

/// Whether passages say a phrase, asked in passage order through tantivy's phrase scorer,
/// made at the first passage asked about: made there, it starts at that passage rather than
/// walking the words' passages from the start to its first match.
struct PhraseCheck<'w> {
    /// The phrase's weight, scoring disabled.
    weight: &'w dyn Weight,
    scorer: Option<Box<dyn Scorer>>,
}

impl<'w> PhraseCheck<'w> {
    fn new(weight: &'w dyn Weight) -> PhraseCheck<'w> {
        PhraseCheck { weight, scorer: None }
    }

    /// Whether passage `doc` (after any asked before) says the phrase.
    fn says(&mut self, segment: &SegmentReader, doc: DocId) -> tantivy::Result<bool> {
        let found = match &mut self.scorer {
            Some(scorer) => scorer.seek_danger(doc),
            None => {
                let (found, scorer) = self.weight.scorer_danger(segment, doc, 1.0)?;
                self.scorer = Some(scorer);
                found
            }
        };
        Ok(found == SeekDangerResult::Found)
    }
}

/// Passages of `segment` that have every one of `terms` (two or more, all in one field) and,
/// when `phrase` (the weight of their phrase, scoring disabled) is given, say them as that
/// phrase; live ones only, counted up to `enough`. A leapfrog over the terms' passages, led by
/// the rarest, that checks one passage per distinct text, as [`SameTextIntersection`] does;
/// the phrase's positions are read only for a passage that has every word. Where texts seldom
/// repeat (fewer than one in eight of the first [`TEXTS_SAMPLED`] passages looked at), it stops
/// looking texts up, which would only cost. `texts` are the segment's keys for the terms' field.
pub fn count_by_text(
    segment: &SegmentReader,
    texts: &TextKeys,
    terms: &[Term],
    phrase: Option<&dyn Weight>,
    enough: u64,
) -> tantivy::Result<u64> {
    let Some(mut postings) = postings_of(segment, terms)? else { return Ok(0) };
    postings.sort_by_key(|p| p.size_hint());
    let Some((lead, others)) = postings.split_first_mut() else { return Ok(0) };
    let alive = segment.alive_bitset();
    let mut known: TextMemo<bool> = TextMemo::new();
    let (mut looked, mut reused, mut by_text) = (0u32, 0u32, true);
    // The phrase's positions are read only at a passage with every word.
    let mut phrase = phrase.map(PhraseCheck::new);
    let mut count = 0;
    let mut candidate = lead.doc();
    'candidates: while candidate != TERMINATED {
        candidate = lead.seek(candidate);
        if candidate == TERMINATED {
            break;
        }
        if by_text && texts_seldom_repeat(looked, reused) {
            by_text = false;
        }
        let key = by_text.then(|| texts.key(candidate));
        looked += 1;
        let matched = match key.and_then(|key| known.get(key)) {
            Some(matched) => {
                reused += 1;
                matched
            }
            None => {
                for other in others.iter_mut() {
                    let doc = seek_forward(other, candidate);
                    if doc > candidate {
                        if let Some(key) = key {
                            known.insert(key, false);
                        }
                        candidate = doc;
                        continue 'candidates;
                    }
                }
                let said = match &mut phrase {
                    Some(phrase) => phrase.says(segment, candidate)?,
                    None => true,
                };
                if let Some(key) = key {
                    known.insert(key, said);
                }
                said
            }
        };
        if matched && alive.is_none_or(|a| a.is_alive(candidate)) {
            count += 1;
            if count >= enough {
                break;
            }
        }
        candidate += 1;
    }
    Ok(count)
}

/// What a walk of a word's passages learnt of their distinct texts.
#[derive(Debug, Clone, PartialEq)]
pub enum Listing {
    /// Every live passage's text, in passage order: the first passage with each, and how many
    /// live passages have it. Later counts led by the word ask only these (see
    /// [`count_among_texts`]).
    Complete(Vec<(DocId, u64)>),
    /// The walk stopped when it had counted enough.
    Stopped,
}

/// `word`'s postings in `segment`, to be read a block at a time, when its passages repeat
/// texts: half or more of the first [`TEXTS_SAMPLED`] repeat one.
fn repeating_blocks(
    segment: &SegmentReader,
    texts: &TextKeys,
    word: &Term,
) -> tantivy::Result<Option<BlockSegmentPostings>> {
    let inverted = segment.inverted_index(word.field())?;
    let Some(blocks) = inverted.read_block_postings(word, IndexRecordOption::Basic)? else { return Ok(None) };
    Ok(texts_repeat(texts, blocks.docs()).then_some(blocks))
}

/// Whether half or more of the first [`TEXTS_SAMPLED`] of `docs` repeat a text, or, when
/// between one in eight and half of those do, half or more of the first [`REPEATS_SAMPLED`]:
/// on 1000× the seed a word said in a few dozen of the seed's turns repeats none of them in its
/// first few dozen passages, while a real corpus shows no repeats at once.
fn texts_repeat(texts: &TextKeys, docs: &[DocId]) -> bool {
    let mut keys = Vec::with_capacity(REPEATS_SAMPLED);
    let mut distinct = |sampled: usize| {
        texts.keys(&docs[..docs.len().min(sampled)], &mut keys);
        keys.sort_unstable();
        keys.dedup();
        keys.len()
    };
    let sampled = docs.len().min(TEXTS_SAMPLED as usize);
    let texts_seen = distinct(sampled);
    let repeats = (sampled - texts_seen) as u32;
    if texts_seen * 2 <= sampled || texts_seldom_repeat(sampled as u32, repeats) || sampled == docs.len() {
        return texts_seen * 2 <= sampled;
    }
    let sampled = docs.len().min(REPEATS_SAMPLED);
    distinct(sampled) * 2 <= sampled
}

/// Live passages of `segment` with `lead` that also have every one of `others` (all in the
/// field of `lead`) and, when `phrase` (the weight of the whole phrase, scoring disabled) is
/// given, say the phrase; counted up to `enough`. Every passage of `lead` is walked, a block
/// at a time, and each distinct text checked once (`texts`: the segment's keys for the
/// field); a walk to the end lists the texts. `None` when fewer than half of the first
/// [`TEXTS_SAMPLED`] passages repeat a text: then a list would be about as long as the
/// passages, and [`count_by_text`], which skips passages, serves better.
pub fn count_listing(
    segment: &SegmentReader,
    texts: &TextKeys,
    lead: &Term,
    others: &[Term],
    phrase: Option<&dyn Weight>,
    enough: u64,
) -> tantivy::Result<Option<(u64, Listing)>> {
    let inverted = segment.inverted_index(lead.field())?;
    let Some(mut postings) = inverted.read_block_postings(lead, IndexRecordOption::Basic)? else {
        return Ok(Some((0, Listing::Complete(Vec::new()))));
    };
    if !texts_repeat(texts, postings.docs()) {
        return Ok(None);
    }
    let mut keys = Vec::with_capacity(POSTINGS_BLOCK);
    let Some(mut other_postings) = postings_of(segment, others)? else { return Ok(Some((0, Listing::Stopped))) };
    let mut phrase = phrase.map(PhraseCheck::new);
    let alive = segment.alive_bitset();
    let mut first_of: TextMemo<usize> = TextMemo::new();
    let mut listed: Vec<(DocId, u64)> = Vec::new();
    let mut matched: Vec<bool> = Vec::new();
    let mut count = 0;
    // Read a block at a time: the hash column read for a block of passages at once costs a
    // third of reading it passage by passage.
    while !postings.docs().is_empty() {
        let docs = postings.docs();
        texts.keys(docs, &mut keys);
        for (&doc, &key) in docs.iter().zip(&keys) {
            if alive.is_some_and(|a| !a.is_alive(doc)) {
                continue;
            }
            let at = match first_of.get(key) {
                Some(at) => at,
                None => {
                    let said = says_every_word(segment, &mut other_postings, phrase.as_mut(), doc)?;
                    listed.push((doc, 0));
                    matched.push(said);
                    first_of.insert(key, listed.len() - 1);
                    listed.len() - 1
                }
            };
            listed[at].1 += 1;
            if matched[at] {
                count += 1;
                if count >= enough {
                    return Ok(Some((count, Listing::Stopped)));
                }
            }
        }
        postings.advance();
    }
    Ok(Some((count, Listing::Complete(listed))))
}

/// Live passages of `segment` among `texts` (a [`Listing::Complete`]) that also have every
/// one of `others` (all in the field of `texts`'s term) and, when `phrase` (the weight of
/// the whole phrase, scoring disabled) is given, say the phrase; counted up to `enough`.
pub fn count_among_texts(
    segment: &SegmentReader,
    texts: &[(DocId, u64)],
    others: &[Term],
    phrase: Option<&dyn Weight>,
    enough: u64,
) -> tantivy::Result<u64> {
    let Some(mut postings) = postings_of(segment, others)? else { return Ok(0) };
    let mut phrase = phrase.map(PhraseCheck::new);
    let mut count = 0;
    for &(doc, copies) in texts {
        if says_every_word(segment, &mut postings, phrase.as_mut(), doc)? {
            count += copies;
            if count >= enough {
                return Ok(enough);
            }
        }
    }
    Ok(count)
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use tantivy::collector::TopDocs;
    use tantivy::query::{AllQuery, BoostQuery, DisjunctionMaxQuery};
    use tantivy::schema::{FAST, IndexRecordOption, Schema, TEXT};
    use tantivy::{Index, IndexWriter, TantivyDocument};

    fn conjunction(field: Field, words: &[&str]) -> BooleanQuery {
        let clauses = words
            .iter()
            .map(|w| {
                let terms: Vec<Term> = w.split(' ').map(|part| Term::from_field_text(field, part)).collect();
                let clause: Box<dyn Query> = match terms.len() {
                    1 => Box::new(TermQuery::new(terms[0].clone(), IndexRecordOption::WithFreqs)),
                    _ => Box::new(PhraseQuery::new(terms)),
                };
                (Occur::Must, clause)
            })
            .collect();
        BooleanQuery::new(clauses)
    }

    #[test]
    fn texts_repeat_when_half_the_first_passages_or_the_first_block_repeat_one() {
        // A block of passages per pattern, passage `i` of it with the text `text_of(i)`.
        let patterns: [fn(usize) -> usize; 5] =
            [|i| i % 8, |i| i % 20, |i| i % 40, |i| if i < 32 { i % 20 } else { i }, |i| i];
        let mut schema = Schema::builder();
        let text = schema.add_text_field("text", TEXT);
        let hash = schema.add_u64_field(TEXT_HASH_COLUMN, FAST);
        let index = Index::create_in_ram(schema.build());
        let mut writer: IndexWriter = index.writer_with_num_threads(1, 15_000_000).unwrap();
        for (pattern, text_of) in patterns.iter().enumerate() {
            for i in 0..POSTINGS_BLOCK {
                let mut doc = TantivyDocument::default();
                doc.add_text(text, format!("passage {i}"));
                doc.add_u64(hash, (pattern * 1000 + text_of(i)) as u64);
                writer.add_document(doc).unwrap();
            }
        }
        writer.commit().unwrap();
        let searcher = index.reader().unwrap().searcher();
        let texts = TextKeys::of(searcher.segment_reader(0), text).unwrap().unwrap();
        let repeat = |pattern: usize| {
            let docs: Vec<DocId> =
                (pattern * POSTINGS_BLOCK..(pattern + 1) * POSTINGS_BLOCK).map(|d| d as DocId).collect();
            texts_repeat(&texts, &docs)
        };
        assert!(repeat(0), "half of the first 32 repeat a text");
        assert!(repeat(1), "a third of the first 32 do, most of the block");
        assert!(!repeat(2), "none of the first 32 do");
        assert!(!repeat(3), "a third of the first 32 do, few of the block");
        assert!(!repeat(4), "none do");
    }

    #[test]
    fn a_text_memo_answers_for_each_text_even_where_slots_collide() {
        let mut memo: TextMemo<u32> = TextMemo::new();
        let (a, b) = ((7, 3), (7 + RECENT_TEXTS as u64, 3));
        assert_eq!(memo.get(a), None);
        memo.insert(a, 1);
        memo.insert(b, 2);
        assert_eq!((memo.get(a), memo.get(b), memo.get(a)), (Some(1), Some(2), Some(1)), "one slot, two texts");
        assert_eq!(memo.get((7, 4)), None, "another length is another text");
    }

    #[test]
    fn only_long_conjunctions_within_one_field_qualify() {
        let field = Field::from_field_id(0);
        assert!(is_long_conjunction(&conjunction(field, &["so", "it", "makes", "sense", "because"])));
        assert!(is_long_conjunction(&conjunction(field, &["so", "it s", "makes", "sense", "because"])));
        assert!(!is_long_conjunction(&conjunction(field, &["open", "source", "models"])), "a few words: block-max");
        assert!(is_long_conjunction(&conjunction(field, &["open", "source models"])), "a word and a phrase");
        let mut mixed: Vec<(Occur, Box<dyn Query>)> = conjunction(field, &["so", "it", "makes", "sense", "because"])
            .clauses()
            .iter()
            .map(|(o, q)| (*o, q.box_clone()))
            .collect();
        mixed[0].0 = Occur::Should;
        assert!(!is_long_conjunction(&BooleanQuery::new(mixed)));
        let term = TermQuery::new(Term::from_field_text(field, "model"), IndexRecordOption::WithFreqs);
        assert!(!is_long_conjunction(&term));

        let words = ["so", "it", "makes", "sense", "because"];
        let with = |clause: Box<dyn Query>| {
            let mut clauses: Vec<(Occur, Box<dyn Query>)> =
                conjunction(field, &words).clauses().iter().map(|(o, q)| (*o, q.box_clone())).collect();
            clauses[2] = (Occur::Must, clause);
            BooleanQuery::new(clauses)
        };
        let close_forms = DisjunctionMaxQuery::new(vec![
            Box::new(term.clone()),
            Box::new(BoostQuery::new(
                Box::new(TermQuery::new(Term::from_field_text(field, "models"), IndexRecordOption::WithFreqs)),
                0.5,
            )),
        ]);
        assert!(is_long_conjunction(&with(Box::new(close_forms))), "a word or its close forms");
        let elsewhere = TermQuery::new(Term::from_field_text(Field::from_field_id(1), "x"), IndexRecordOption::Basic);
        assert!(!is_long_conjunction(&with(Box::new(elsewhere))), "a word of another field");
        assert!(!is_long_conjunction(&with(Box::new(AllQuery))), "a clause without words");
    }

    /// Passages of some of `WORDS` each, many said word for word several times over, some
    /// nearly (one word left out or moved), with or without the column of text hashes.
    pub(in crate::search) fn index_of_repeated_passages(with_hashes: bool) -> (Index, Field) {
        let mut schema = Schema::builder();
        let text = schema.add_text_field("text", TEXT);
        let hash = with_hashes.then(|| schema.add_u64_field(TEXT_HASH_COLUMN, FAST));
        let index = Index::create_in_ram(schema.build());
        let mut writer: IndexWriter = index.writer_with_num_threads(1, 15_000_000).unwrap();
        for i in 0..3000usize {
            // A few hundred distinct texts, each said up to a dozen times: three times in a
            // row, in scattered places.
            let variant = ((i / 3) * 7919) % 331;
            let said: Vec<&str> =
                WORDS.iter().enumerate().filter(|(k, _)| (variant * 5 + k * 3) % 7 != 0).map(|(_, w)| *w).collect();
            let mut passage = format!("{} {}", said.join(" "), "and it ".repeat(variant % 4));
            if variant % 11 == 0 {
                // Nearly the same as a passage that matches: the words moved apart.
                passage = passage.replacen("it makes", "it then makes", 1);
            }
            let mut doc = TantivyDocument::default();
            doc.add_text(text, &passage);
            if let Some(hash) = hash {
                doc.add_u64(hash, crate::index::text_hash(&passage));
            }
            writer.add_document(doc).unwrap();
        }
        writer.commit().unwrap();
        (index, text)
    }

    const WORDS: [&str; 9] = ["so", "it", "makes", "sense", "because", "research", "and", "products", "differ"];

    #[test]
    fn finds_the_same_top_hits_and_scores_as_tantivy() {
        for with_hashes in [true, false] {
            let (index, text) = index_of_repeated_passages(with_hashes);
            let searcher = index.reader().unwrap().searcher();
            let queries: [&[&str]; 7] = [
                &WORDS[..5],
                &WORDS[..7],
                &WORDS[2..],
                &["so", "it makes", "sense", "because", "research"],
                &["so", "sense", "because", "research", "products"],
                &["sense", "products"],
                // Two words: served so only when the query has filters.
                &["makes", "sense"],
            ];
            for (n, query_words) in queries.into_iter().enumerate() {
                let mut plain = conjunction(text, query_words);
                if (4..6).contains(&n) {
                    // A word or its close form, as a misspelled word of a quote is searched.
                    let mut clauses: Vec<(Occur, Box<dyn Query>)> =
                        plain.clauses().iter().map(|(o, q)| (*o, q.box_clone())).collect();
                    let word = |w: &str| TermQuery::new(Term::from_field_text(text, w), IndexRecordOption::WithFreqs);
                    let close = BoostQuery::new(Box::new(word("differ")), 0.5);
                    let last = clauses.len() - 1;
                    clauses[last] = (
                        Occur::Must,
                        Box::new(DisjunctionMaxQuery::new(vec![Box::new(word("products")), Box::new(close)])),
                    );
                    plain = BooleanQuery::new(clauses);
                }
                assert!(is_conjunction(&plain) && (n == 6) != is_long_conjunction(&plain));
                let long = LongConjunction::new(Box::new(plain.clone()));
                for limit in [1, 10, 100, 3000] {
                    let top = TopDocs::with_limit(limit).order_by_score();
                    let expected = searcher.search(&plain, &top).unwrap();
                    assert!(!expected.is_empty());
                    let found = searcher.search(&long, &top).unwrap();
                    // The same hits; scores up to the order the words' scores are added in.
                    let docs = |hits: &[(Score, tantivy::DocAddress)]| hits.iter().map(|(_, d)| *d).collect::<Vec<_>>();
                    assert_eq!(docs(&found), docs(&expected), "{query_words:?}, top {limit}, hashes {with_hashes}");
                    for ((a, _), (b, _)) in found.iter().zip(&expected) {
                        assert!((a - b).abs() <= 1e-5 * b.abs(), "{a} vs {b}");
                    }
                }
                let counted = searcher.search(&long, &tantivy::collector::Count).unwrap();
                assert_eq!(counted, searcher.search(&plain, &tantivy::collector::Count).unwrap());
                // Explained as tantivy explains the conjunction: the same score.
                let (score, address) = searcher.search(&long, &TopDocs::with_limit(1).order_by_score()).unwrap()[0];
                let explained = long.explain(&searcher, address).unwrap().value();
                assert!((explained - score).abs() <= 1e-5 * score.abs(), "{explained} vs {score}");
                let tantivys = plain.explain(&searcher, address).unwrap().value();
                assert!((explained - tantivys).abs() <= 1e-5 * tantivys.abs(), "{explained} vs {tantivys}");
            }
        }
    }

    #[test]
    fn counts_what_tantivy_counts() {
        for with_hashes in [true, false] {
            let (index, text) = index_of_repeated_passages(with_hashes);
            let searcher = index.reader().unwrap().searcher();
            let segment = &searcher.segment_readers()[0];
            let disabled = EnableScoring::disabled_from_searcher(&searcher);
            let keys = TextKeys::of(segment, text).unwrap();
            assert_eq!(keys.is_some(), with_hashes);
            let Some(keys) = keys else { continue };
            for words in [
                &["it", "makes"][..],
                &["makes", "it"],
                &["so", "sense", "because"],
                &["then", "makes"],
                &["so", "nowhere"],
            ] {
                let terms: Vec<Term> = words.iter().map(|w| Term::from_field_text(text, w)).collect();
                let phrase = PhraseQuery::new(terms.clone());
                let clauses = terms.iter().map(|t| {
                    (Occur::Must, Box::new(TermQuery::new(t.clone(), IndexRecordOption::Basic)) as Box<dyn Query>)
                });
                let together = BooleanQuery::new(clauses.collect());
                for (query, as_phrase) in [(&phrase as &dyn Query, true), (&together, false)] {
                    let all = searcher.search(query, &tantivy::collector::Count).unwrap() as u64;
                    let weight = query.weight(disabled).unwrap();
                    let counted =
                        count_by_text(segment, &keys, &terms, as_phrase.then_some(weight.as_ref()), u64::MAX).unwrap();
                    assert_eq!(counted, all, "{words:?}, phrase {as_phrase}");
                    // Led by any of the words: counted while listing its distinct texts, then
                    // among them.
                    for lead in 0..terms.len() {
                        let others: Vec<Term> =
                            terms.iter().enumerate().filter(|&(i, _)| i != lead).map(|(_, t)| t.clone()).collect();
                        let phrase = as_phrase.then_some(weight.as_ref());
                        let listing = |enough| count_listing(segment, &keys, &terms[lead], &others, phrase, enough);
                        let texts = match listing(u64::MAX).unwrap() {
                            Some((listed_count, Listing::Complete(texts))) => {
                                assert_eq!(listed_count, all, "{words:?} listed by {lead}, phrase {as_phrase}");
                                texts
                            }
                            // Another word said nowhere: nothing to count, nor to list.
                            Some((0, Listing::Stopped)) if all == 0 => continue,
                            found => panic!("{words:?} led by {lead}: {found:?}"),
                        };
                        if all >= 5 {
                            assert_eq!(listing(5).unwrap(), Some((5, Listing::Stopped)));
                        }
                        let among = |enough| count_among_texts(segment, &texts, &others, phrase, enough).unwrap();
                        assert_eq!(among(u64::MAX), all, "{words:?} led by {lead}, phrase {as_phrase}");
                        assert_eq!(among(5), all.min(5));
                    }
                    for enough in [1, 10, 100] {
                        let capped =
                            count_by_text(segment, &keys, &terms, as_phrase.then_some(weight.as_ref()), enough)
                                .unwrap();
                        assert_eq!(capped, all.min(enough), "{words:?} up to {enough}");
                    }
                }
            }
        }
    }

    #[test]
    fn lists_distinct_texts_only_where_they_repeat_and_counts_alike_either_way() {
        let mut schema = Schema::builder();
        let text = schema.add_text_field("text", TEXT);
        let hash = schema.add_u64_field(TEXT_HASH_COLUMN, FAST);
        let index = Index::create_in_ram(schema.build());
        let mut writer: IndexWriter = index.writer_with_num_threads(1, 15_000_000).unwrap();
        for i in 0..400 {
            // Every text different, half of them saying "it makes".
            let passage = if i % 2 == 0 { format!("so it makes sense {i}") } else { format!("it then makes {i}") };
            let mut doc = TantivyDocument::default();
            doc.add_text(text, &passage);
            doc.add_u64(hash, crate::index::text_hash(&passage));
            writer.add_document(doc).unwrap();
        }
        writer.commit().unwrap();
        let searcher = index.reader().unwrap().searcher();
        let terms = vec![Term::from_field_text(text, "it"), Term::from_field_text(text, "makes")];
        let phrase = PhraseQuery::new(terms.clone());
        let weight = phrase.weight(EnableScoring::disabled_from_searcher(&searcher)).unwrap();
        let segment = &searcher.segment_readers()[0];
        let keys = TextKeys::of(segment, text).unwrap().unwrap();
        assert_eq!(count_by_text(segment, &keys, &terms, Some(weight.as_ref()), u64::MAX).unwrap(), 200);
        let others = &terms[1..];
        assert_eq!(
            count_listing(segment, &keys, &terms[0], others, None, u64::MAX).unwrap(),
            None,
            "every text differs"
        );

        let (index, text) = index_of_repeated_passages(true);
        let searcher = index.reader().unwrap().searcher();
        let it = Term::from_field_text(text, "it");
        let segment = &searcher.segment_readers()[0];
        let keys = TextKeys::of(segment, text).unwrap().unwrap();
        let (_, listing) = count_listing(segment, &keys, &it, &[], None, u64::MAX).unwrap().expect("texts repeat");
        let Listing::Complete(listed) = listing else { panic!("walked to the end: {listing:?}") };
        let passages = searcher.doc_freq(&it).unwrap();
        assert!((listed.len() as u64) * 3 <= passages, "{} texts of {passages} passages", listed.len());
        assert_eq!(listed.iter().map(|&(_, copies)| copies).sum::<u64>(), passages);
        assert!(listed.windows(2).all(|pair| pair[0].0 < pair[1].0), "in passage order");
        let mut seen = std::collections::HashSet::new();
        assert!(listed.iter().all(|&(doc, _)| seen.insert(keys.key(doc))), "one passage per text");
    }
}
