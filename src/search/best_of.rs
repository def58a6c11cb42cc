//! The best of a few queries (a word or its close forms; a few words apart or the phrases
//! they may have been heard as), walked once, with each distinct text asked once.
//!
//! tantivy's disjunction walks each clause through its own passages and merges them in
//! windows of 4096 passages. On 1000× the seed, `synthetik data` is `synthetic data`'s words
//! apart beside their near phrase, each said in about 4000 passages that are copies of a few
//! texts: every copy was checked by both clauses, then merged, a third of the search. Passages
//! with the same text match the same clauses with the same scores (see
//! [`super::conjunction`]). [`BestOf`] walks the passages of the few words that every match has
//! one of (here `synthetic`'s), looks up each passage's text, and asks the clauses only about a
//! text it has not seen. Scores are tantivy's: the best clause's.

use super::conjunction::{KnownTexts, LongConjunction, PassageWalk, Passages, TextKeys, seek_forward, walk_top_hits};
use super::phrase::SameTextPhrase;
use tantivy::postings::SegmentPostings;
use tantivy::query::{
    BooleanQuery, BoostWeight, DisjunctionMaxCombiner, DisjunctionMaxQuery, EmptyScorer, EnableScoring, Explanation,
    Occur, PhraseQuery, Query, ScoreCombiner, Scorer, TermQuery, Weight,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{DocId, DocSet, Score, SeekDangerResult, SegmentReader, TERMINATED, TantivyError, Term};

/// tantivy's `BoostQuery`, whose query [`BestOf`] can look into.
#[derive(Debug)]
pub struct Boosted {
    query: Box<dyn Query>,
    boost: Score,
}

impl Boosted {
    /// `query` with its scores multiplied by `boost`.
    pub fn new(query: Box<dyn Query>, boost: Score) -> Boosted {
        Boosted { query, boost }
    }
}

impl Clone for Boosted {
    fn clone(&self) -> Boosted {
        Boosted { query: self.query.box_clone(), boost: self.boost }
    }
}

impl Query for Boosted {
    fn weight(&self, enable_scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        let weight = self.query.weight(enable_scoring)?;
        if enable_scoring.is_scoring_enabled() {
            Ok(Box::new(BoostWeight::new(weight, self.boost)))
        } else {
            Ok(weight)
        }
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        self.query.query_terms(visitor);
    }
}

/// Words of which every passage a query matches has at least one, and how many passages have
/// them (counted once per word).
#[derive(Debug, Clone, PartialEq)]
struct Cover {
    terms: Vec<Term>,
    passages: u64,
}

impl Cover {
    fn of_word(term: &Term, doc_freq: &mut dyn FnMut(&Term) -> u64) -> Cover {
        Cover { terms: vec![term.clone()], passages: doc_freq(term) }
    }

    /// A cover of passages that match any of the queries `covers` cover.
    fn union(covers: impl IntoIterator<Item = Cover>) -> Cover {
        let mut union = Cover { terms: Vec::new(), passages: 0 };
        for cover in covers {
            for term in cover.terms {
                if !union.terms.contains(&term) {
                    union.terms.push(term);
                }
            }
            union.passages += cover.passages;
        }
        union
    }

    /// The cheaper of two covers of the same passages, `kept` when they cost the same.
    fn cheaper(kept: Option<Cover>, candidate: Cover) -> Cover {
        match kept {
            Some(kept) if kept.passages <= candidate.passages => kept,
            _ => candidate,
        }
    }
}

/// The cheapest cover of `query`'s matches found by looking into its clauses; `None` unless
/// every part of it looks in `field` alone through a query this module can look into: only then
/// do passages with the same text there answer alike.
fn cover(query: &dyn Query, field: Field, doc_freq: &mut dyn FnMut(&Term) -> u64) -> Option<Cover> {
    if let Some(term_query) = query.downcast_ref::<TermQuery>() {
        let term = term_query.term();
        return (term.field() == field).then(|| Cover::of_word(term, doc_freq));
    }
    let phrase =
        query.downcast_ref::<PhraseQuery>().or_else(|| query.downcast_ref::<SameTextPhrase>().map(|p| p.phrase()));
    if let Some(phrase) = phrase {
        if phrase.field() != field {
            return None;
        }
        // Every word of the phrase is in each passage that says it: the rarest covers it.
        return phrase
            .phrase_terms()
            .iter()
            .map(|term| Cover::of_word(term, doc_freq))
            .reduce(|a, b| Cover::cheaper(Some(a), b));
    }
    if let Some(boosted) = query.downcast_ref::<Boosted>() {
        return cover(boosted.query.as_ref(), field, doc_freq);
    }
    if let Some(conjunction) = query.downcast_ref::<LongConjunction>() {
        return cover(conjunction.query(), field, doc_freq);
    }
    if let Some(best_of) = query.downcast_ref::<BestOf>() {
        return (best_of.lead.terms.iter().all(|t| t.field() == field)).then(|| best_of.lead.clone());
    }
    let boolean = query.downcast_ref::<BooleanQuery>()?;
    let mut required: Option<Cover> = None;
    let mut optional = Vec::new();
    for (occur, clause) in boolean.clauses() {
        // Every clause, excluded or optional too, must answer alike for passages alike.
        let clause_cover = cover(clause.as_ref(), field, doc_freq)?;
        match occur {
            Occur::Must => required = Some(Cover::cheaper(required, clause_cover)),
            Occur::Should => optional.push(clause_cover),
            Occur::MustNot => {}
        }
    }
    // Without a required clause a match has one of the optional ones.
    Some(required.unwrap_or_else(|| Cover::union(optional)))
}

/// The best of its clauses, as tantivy's `DisjunctionMaxQuery` without a tie breaker: a
/// passage scores as the best clause that matches it.
#[derive(Debug)]
pub struct BestOf {
    disjuncts: Vec<Box<dyn Query>>,
    /// The words of `field` walked: each passage any clause matches has one of them.
    lead: Cover,
}

/// Whether a query is one word, boosted or not: asked about a passage, it costs what looking
/// up the passage's text would, and tantivy's disjunction of words walks them faster.
fn is_word(query: &dyn Query) -> bool {
    query.is::<TermQuery>() || query.downcast_ref::<Boosted>().is_some_and(|boosted| is_word(boosted.query.as_ref()))
}

impl BestOf {
    /// The best of `disjuncts`: a [`BestOf`] when they all look in `field` alone and every one
    /// has words to walk (`doc_freq` tells how many passages have a word), tantivy's
    /// disjunction otherwise; the disjunct itself when it is alone.
    pub fn of(
        mut disjuncts: Vec<Box<dyn Query>>,
        field: Field,
        doc_freq: &mut dyn FnMut(&Term) -> u64,
    ) -> Box<dyn Query> {
        if disjuncts.len() == 1 {
            return disjuncts.remove(0);
        }
        let covers: Option<Vec<Cover>> =
            disjuncts.iter().map(|disjunct| cover(disjunct.as_ref(), field, doc_freq)).collect();
        match covers {
            Some(covers) => Box::new(BestOf { disjuncts, lead: Cover::union(covers) }),
            None => Box::new(DisjunctionMaxQuery::new(disjuncts)),
        }
    }
}

impl Clone for BestOf {
    fn clone(&self) -> BestOf {
        BestOf { disjuncts: self.disjuncts.iter().map(|d| d.box_clone()).collect(), lead: self.lead.clone() }
    }
}

impl Query for BestOf {
    fn weight(&self, enable_scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        if self.disjuncts.iter().all(|disjunct| is_word(disjunct.as_ref())) {
            let words = self.disjuncts.iter().map(|disjunct| disjunct.box_clone()).collect();
            return DisjunctionMaxQuery::new(words).weight(enable_scoring);
        }
        let clauses = self.disjuncts.iter().map(|d| d.weight(enable_scoring)).collect::<tantivy::Result<_>>()?;
        Ok(Box::new(BestOfWeight { clauses, lead: self.lead.terms.clone() }))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        for disjunct in &self.disjuncts {
            disjunct.query_terms(visitor);
        }
    }
}

struct BestOfWeight {
    clauses: Vec<Box<dyn Weight>>,
    lead: Vec<Term>,
}

impl BestOfWeight {
    fn clauses(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Vec<Clause>> {
        let clause = |weight: &dyn Weight| {
            let scorer = weight.scorer(reader, boost)?;
            Ok(Clause { next: scorer.doc(), on_next: true, scorer })
        };
        self.clauses.iter().map(|weight| clause(weight.as_ref())).collect()
    }
}

impl Weight for BestOfWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        let Some(field) = self.lead.first().map(Term::field) else { return Ok(Box::new(EmptyScorer)) };
        let inverted = reader.inverted_index(field)?;
        let mut lead = Vec::with_capacity(self.lead.len());
        for term in &self.lead {
            lead.extend(inverted.read_postings(term, IndexRecordOption::Basic)?);
        }
        if lead.is_empty() {
            return Ok(Box::new(EmptyScorer));
        }
        let clauses = self.clauses(reader, boost)?;
        let known = KnownTexts::new(TextKeys::of(reader, field)?);
        Ok(Box::new(PassageWalk::new(BestOfPassages { lead, clauses, known }, 0)))
    }

    /// The top hits' walk (see [`walk_top_hits`]): the lead's most said word a block at a
    /// time, the others merged in.
    fn for_each_pruning(
        &self,
        threshold: Score,
        reader: &SegmentReader,
        callback: &mut dyn FnMut(DocId, Score) -> Score,
    ) -> tantivy::Result<()> {
        let Some(field) = self.lead.first().map(Term::field) else { return Ok(()) };
        let inverted = reader.inverted_index(field)?;
        let mut words = Vec::with_capacity(self.lead.len());
        for term in &self.lead {
            words.extend(inverted.get_term_info(term)?.map(|info| (info, term)));
        }
        let Some(most_said) = (0..words.len()).max_by_key(|&at| words[at].0.doc_freq) else { return Ok(()) };
        let (most_said, _) = words.swap_remove(most_said);
        let blocks = inverted.read_block_postings_from_terminfo(&most_said, IndexRecordOption::Basic)?;
        let mut others = Vec::with_capacity(words.len());
        for (info, _) in &words {
            others.push(inverted.read_postings_from_terminfo(info, IndexRecordOption::Basic)?);
        }
        let mut clauses = self.clauses(reader, 1.0)?;
        let texts = TextKeys::of(reader, field)?;
        walk_top_hits(blocks, &mut others, texts, threshold, callback, |doc| best_score(&mut clauses, doc));
        Ok(())
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        let matched: Vec<Explanation> =
            self.clauses.iter().filter_map(|clause| clause.explain(reader, doc).ok()).collect();
        let best = matched
            .iter()
            .map(Explanation::value)
            .reduce(Score::max)
            .ok_or_else(|| TantivyError::InvalidArgument(format!("document #{doc} does not match")))?;
        let mut explanation = Explanation::new("best of", best);
        for clause in matched {
            explanation.add_detail(clause);
        }
        Ok(explanation)
    }
}

/// The score of passage `doc` (after any asked before): the best of the clauses that match
/// it, as tantivy's disjunction scores; `None` when none does.
fn best_score(clauses: &mut [Clause], doc: DocId) -> Option<Score> {
    let mut best = DisjunctionMaxCombiner::default();
    let mut matched = false;
    for clause in clauses {
        if clause.matches(doc) {
            best.update(&mut clause.scorer);
            matched = true;
        }
    }
    matched.then(|| best.score())
}

/// A clause's scorer, and how far it is known not to match.
struct Clause {
    scorer: Box<dyn Scorer>,
    /// No passage before this one matches.
    next: DocId,
    /// The scorer stands on `next`, a match (else it was last asked with `seek_danger` and
    /// may stand anywhere).
    on_next: bool,
}

impl Clause {
    /// Whether passage `doc` (after any asked before) matches.
    fn matches(&mut self, doc: DocId) -> bool {
        if self.next > doc {
            return false;
        }
        if self.next == doc && self.on_next {
            return true;
        }
        match self.scorer.seek_danger(doc) {
            SeekDangerResult::Found => {
                (self.next, self.on_next) = (doc, true);
                true
            }
            SeekDangerResult::SeekLowerBound(bound) => {
                (self.next, self.on_next) = (bound, false);
                false
            }
        }
    }
}

/// The passages of a [`BestOf`], for a [`PassageWalk`].
struct BestOfPassages {
    /// The postings of the words every match has one of.
    lead: Vec<SegmentPostings>,
    clauses: Vec<Clause>,
    /// Texts checked: their score when some clause matches them.
    known: KnownTexts<Option<Score>>,
}

impl Passages for BestOfPassages {
    fn lead_from(&mut self, target: DocId) -> DocId {
        self.lead.iter_mut().map(|postings| seek_forward(postings, target)).min().unwrap_or(TERMINATED)
    }

    fn check(&mut self, candidate: DocId) -> Result<Score, DocId> {
        let (key, known) = self.known.look_up(candidate);
        let score = match known {
            Some(known) => known,
            None => {
                let score = best_score(&mut self.clauses, candidate);
                self.known.remember(key, score);
                score
            }
        };
        score.ok_or(candidate + 1)
    }

    fn size_hint(&self) -> u32 {
        self.lead.iter().map(|postings| postings.size_hint()).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::conjunction::tests::index_of_repeated_passages;
    use tantivy::collector::{Count, TopDocs};
    use tantivy::query::BoostQuery;

    fn word(field: Field, word: &str) -> Box<dyn Query> {
        Box::new(TermQuery::new(Term::from_field_text(field, word), IndexRecordOption::WithFreqs))
    }

    fn phrase(field: Field, words: &[&str]) -> Box<dyn Query> {
        let terms = words.iter().map(|w| Term::from_field_text(field, w)).collect();
        Box::new(SameTextPhrase::new(PhraseQuery::new(terms)))
    }

    fn boosted(query: Box<dyn Query>, boost: Score) -> Box<dyn Query> {
        Box::new(Boosted::new(query, boost))
    }

    fn all_of(clauses: Vec<Box<dyn Query>>) -> Box<dyn Query> {
        LongConjunction::wrap(BooleanQuery::new(clauses.into_iter().map(|clause| (Occur::Must, clause)).collect()))
    }

    fn copies(disjuncts: &[Box<dyn Query>]) -> Vec<Box<dyn Query>> {
        disjuncts.iter().map(|disjunct| disjunct.box_clone()).collect()
    }

    /// Disjunctions as close forms make them: words apart beside the phrases they may have
    /// been heard as, a word beside its close forms, and one inside another.
    fn disjunctions(field: Field, doc_freq: &mut dyn FnMut(&Term) -> u64) -> Vec<Vec<Box<dyn Query>>> {
        let close_forms = vec![word(field, "products"), boosted(word(field, "differ"), 0.5)];
        vec![
            vec![
                all_of(vec![word(field, "makes"), word(field, "sense")]),
                boosted(phrase(field, &["makes", "sense"]), 4.0),
            ],
            vec![
                all_of(vec![word(field, "it"), word(field, "makes")]),
                boosted(phrase(field, &["it", "makes"]), 2.0),
                boosted(word(field, "then"), 0.5),
            ],
            vec![boosted(phrase(field, &["then", "makes"]), 3.0), boosted(phrase(field, &["research", "and"]), 1.5)],
            vec![
                all_of(vec![word(field, "sense"), BestOf::of(close_forms, field, doc_freq)]),
                boosted(phrase(field, &["sense", "because"]), 2.5),
            ],
        ]
    }

    #[test]
    fn finds_the_same_hits_and_scores_as_tantivys_disjunction() {
        for with_hashes in [true, false] {
            let (index, text) = index_of_repeated_passages(with_hashes);
            let searcher = index.reader().unwrap().searcher();
            let mut doc_freq = |term: &Term| searcher.doc_freq(term).unwrap();
            for disjuncts in disjunctions(text, &mut doc_freq) {
                let best_of = BestOf::of(copies(&disjuncts), text, &mut doc_freq);
                assert!(best_of.is::<BestOf>(), "{disjuncts:?}");
                let tantivys = DisjunctionMaxQuery::new(copies(&disjuncts));
                for limit in [1, 10, 3000] {
                    let top = TopDocs::with_limit(limit).order_by_score();
                    let expected = searcher.search(&tantivys, &top).unwrap();
                    assert_eq!(searcher.search(&best_of, &top).unwrap(), expected, "{disjuncts:?}, top {limit}");
                }
                assert_eq!(searcher.search(&best_of, &Count).unwrap(), searcher.search(&tantivys, &Count).unwrap());

                // A clause of a conjunction, asked passage by passage rather than walked: in the
                // same-text intersection, and in tantivy's (as with filters).
                let within = |disjunction: Box<dyn Query>| all_of(vec![word(text, "because"), disjunction]);
                let top = TopDocs::with_limit(50).order_by_score();
                let expected = searcher.search(&within(Box::new(tantivys.clone())), &top).unwrap();
                assert_eq!(searcher.search(&within(best_of.box_clone()), &top).unwrap(), expected);
                let filtered = |disjunction: Box<dyn Query>| {
                    BooleanQuery::new(vec![(Occur::Must, disjunction), (Occur::Must, word(text, "research"))])
                };
                let expected = searcher.search(&filtered(Box::new(tantivys.clone())), &top).unwrap();
                assert_eq!(searcher.search(&filtered(best_of.box_clone()), &top).unwrap(), expected);
            }
        }
    }

    #[test]
    fn walks_the_rarest_word_of_each_clause() {
        let (index, text) = index_of_repeated_passages(true);
        let searcher = index.reader().unwrap().searcher();
        let mut doc_freq = |term: &Term| searcher.doc_freq(term).unwrap();
        let disjuncts = vec![
            all_of(vec![word(text, "it"), word(text, "then")]),
            boosted(phrase(text, &["then", "makes"]), 2.0),
            boosted(phrase(text, &["research", "differ"]), 2.0),
        ];
        let best_of = BestOf::of(disjuncts, text, &mut doc_freq);
        let lead = &best_of.downcast_ref::<BestOf>().unwrap().lead;
        let rarer = |a: &str, b: &str| {
            let (a_term, b_term) = (Term::from_field_text(text, a), Term::from_field_text(text, b));
            if doc_freq(&a_term) <= doc_freq(&b_term) { a_term } else { b_term }
        };
        assert_eq!(lead.terms, vec![Term::from_field_text(text, "then"), rarer("research", "differ")]);
    }

    #[test]
    fn leaves_to_tantivy_what_passages_alike_may_answer_differently() {
        let (text, speaker) = (Field::from_field_id(0), Field::from_field_id(1));
        let mut doc_freq = |_: &Term| 1;
        let of = |disjuncts: Vec<Box<dyn Query>>, doc_freq: &mut dyn FnMut(&Term) -> u64| {
            let query = BestOf::of(disjuncts, text, doc_freq);
            query.is::<BestOf>()
        };
        assert!(of(vec![word(text, "a"), boosted(phrase(text, &["b", "c"]), 2.0)], &mut doc_freq));
        assert!(!of(vec![word(text, "a"), word(speaker, "b")], &mut doc_freq), "a word of another field");
        let opaque: Box<dyn Query> = Box::new(BoostQuery::new(word(text, "b"), 2.0));
        assert!(!of(vec![word(text, "a"), opaque], &mut doc_freq), "a query it cannot look into");
        let filtered = all_of(vec![word(text, "a"), word(speaker, "b")]);
        assert!(!of(vec![word(text, "c"), filtered], &mut doc_freq), "a clause that looks elsewhere too");
        let alone = BestOf::of(vec![word(text, "a")], text, &mut doc_freq);
        assert!(alone.is::<TermQuery>(), "one clause is itself");
    }

    #[test]
    fn explains_a_match_by_its_best_clause() {
        let (index, text) = index_of_repeated_passages(true);
        let searcher = index.reader().unwrap().searcher();
        let mut doc_freq = |term: &Term| searcher.doc_freq(term).unwrap();
        let disjuncts = disjunctions(text, &mut doc_freq).remove(0);
        let best_of = BestOf::of(disjuncts, text, &mut doc_freq);
        let top = searcher.search(&best_of, &TopDocs::with_limit(3).order_by_score()).unwrap();
        for (score, address) in top {
            let explanation = best_of.explain(&searcher, address).unwrap();
            assert!((explanation.value() - score).abs() < 1e-4, "{explanation:?} against {score}");
        }
    }
}
