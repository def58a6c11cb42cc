//! Top-k phrase search that reads a passage's word positions only when the passage could
//! still rank.
//!
//! tantivy scores a phrase by how often it is said in a passage, with the BM25 weight of its
//! words together. For the best hits it checks the positions of every passage that has all
//! the words, and that is most of a phrase query's cost when the words are common (`"open
//! source"`). A phrase is said no more often in a passage than its least said word, so that
//! word's count bounds the phrase's score; [`PrunedPhraseQuery`] walks the passages
//! having all the words with their counts only, and asks tantivy's own phrase scorer about
//! a passage only when that bound beats the weakest hit kept so far. Scores, and so the
//! hits, are tantivy's.

use super::conjunction::{PassageWalk, Passages, TextKeys, TextMemo, seek_forward};
use tantivy::postings::{Postings, SegmentPostings};
use tantivy::query::{Bm25Weight, EmptyScorer, EnableScoring, Explanation, PhraseQuery, Query, Scorer, Weight};
use tantivy::schema::IndexRecordOption;
use tantivy::{DocId, DocSet, Score, SeekDangerResult, SegmentReader, TERMINATED, Term};

/// A phrase query whose top hits are found by bounding each passage's score first.
#[derive(Debug, Clone)]
pub struct PrunedPhraseQuery {
    phrase: PhraseQuery,
}

impl PrunedPhraseQuery {
    /// The same search as `phrase`, when its words stand next to each other in order (no
    /// slop): only then does its least said word bound how often it is said. tantivy does not
    /// tell a phrase's slop, so the phrase is compared with one built without.
    pub fn of(phrase: &PhraseQuery) -> Option<PrunedPhraseQuery> {
        let adjacent = PhraseQuery::new(phrase.phrase_terms());
        (format!("{adjacent:?}") == format!("{phrase:?}")).then_some(PrunedPhraseQuery { phrase: adjacent })
    }
}

impl Query for PrunedPhraseQuery {
    fn weight(&self, enable_scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        let phrase = self.phrase.weight(enable_scoring)?;
        let terms = self.phrase.phrase_terms();
        let bound = match enable_scoring {
            EnableScoring::Enabled { statistics_provider, .. } => {
                Some(Bm25Weight::for_terms(statistics_provider, &terms)?)
            }
            EnableScoring::Disabled { .. } => None,
        };
        Ok(Box::new(PrunedPhraseWeight { phrase, terms, bound }))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        self.phrase.query_terms(visitor);
    }
}

struct PrunedPhraseWeight {
    /// tantivy's phrase weight: every answer but the top-k walk is its own.
    phrase: Box<dyn Weight>,
    terms: Vec<Term>,
    /// The BM25 weight tantivy scores the phrase with, to bound a passage's score by a count.
    bound: Option<Bm25Weight>,
}

impl Weight for PrunedPhraseWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        self.phrase.scorer(reader, boost)
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        self.phrase.explain(reader, doc)
    }

    fn for_each_pruning(
        &self,
        mut threshold: Score,
        reader: &SegmentReader,
        callback: &mut dyn FnMut(DocId, Score) -> Score,
    ) -> tantivy::Result<()> {
        let (Some(bound), Some(field)) = (&self.bound, self.terms.first().map(Term::field)) else {
            return self.phrase.for_each_pruning(threshold, reader, callback);
        };
        let Some(fieldnorms) = reader.fieldnorms_readers().get_field(field)? else {
            return self.phrase.for_each_pruning(threshold, reader, callback);
        };
        let mut phrase = self.phrase.scorer(reader, 1.0)?;
        // Until the collector has all the hits it keeps, every passage saying the phrase is one
        // of them: tantivy's scorer alone, and a phrase said in few passages costs no more.
        let mut not_before = phrase.doc();
        while not_before != TERMINATED && threshold == Score::MIN {
            let score = phrase.score();
            if score > threshold {
                threshold = callback(not_before, score);
            }
            not_before = phrase.advance();
        }
        if not_before == TERMINATED {
            return Ok(());
        }
        let inverted = reader.inverted_index(field)?;
        // Each distinct word, with how many times the phrase says it.
        let mut words = Vec::with_capacity(self.terms.len());
        for (i, term) in self.terms.iter().enumerate() {
            if self.terms[..i].contains(term) {
                continue;
            }
            let times = self.terms.iter().filter(|t| *t == term).count() as u32;
            match inverted.read_postings(term, IndexRecordOption::WithFreqs)? {
                Some(postings) => words.push((postings, times)),
                None => return Ok(()),
            }
        }
        // The rarest word leads; the others are sought at its passages.
        words.sort_by_key(|(postings, _)| postings.doc_freq());
        let Some((leader, others)) = words.split_first_mut() else { return Ok(()) };
        // The phrase scorer stands on a passage saying the phrase, not yet collected.
        let mut doc = leader.0.seek(not_before);
        'passages: while doc != TERMINATED && not_before != TERMINATED {
            for (other, _) in others.iter_mut() {
                let found = other.seek(doc);
                if found > doc {
                    doc = leader.0.seek(found);
                    continue 'passages;
                }
            }
            // Each time the phrase is said, each of its words is said as often as it has it.
            let said_at_most = std::iter::once(&*leader)
                .chain(others.iter())
                .map(|(postings, times)| postings.term_freq() / times)
                .min()
                .unwrap_or(0);
            if doc >= not_before && bound.score(fieldnorms.fieldnorm_id(doc), said_at_most) > threshold {
                match phrase.seek_danger(doc) {
                    SeekDangerResult::Found => {
                        let score = phrase.score();
                        if score > threshold {
                            threshold = callback(doc, score);
                        }
                        not_before = doc + 1;
                    }
                    SeekDangerResult::SeekLowerBound(lower) => not_before = lower,
                }
            }
            doc = leader.0.advance();
        }
        Ok(())
    }
}

/// A phrase that checks the word positions of one passage per distinct text (see
/// [`super::conjunction`]): passages with the same text say the phrase alike and score alike.
///
/// Inside a disjunction (a near phrase beside the words apart, `synthetik data` ~ `synthetic
/// data`) tantivy walks every passage saying the phrase and reads its positions; on 1000× the
/// seed, 4000 passages that are copies of a few texts, half the search.
#[derive(Debug, Clone)]
pub struct SameTextPhrase {
    phrase: PhraseQuery,
}

impl SameTextPhrase {
    /// The same search as `phrase`.
    pub fn new(phrase: PhraseQuery) -> SameTextPhrase {
        SameTextPhrase { phrase }
    }

    /// The phrase searched.
    pub fn phrase(&self) -> &PhraseQuery {
        &self.phrase
    }
}

impl Query for SameTextPhrase {
    fn weight(&self, enable_scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        let phrase = self.phrase.weight(enable_scoring)?;
        Ok(Box::new(SameTextPhraseWeight { phrase, terms: self.phrase.phrase_terms() }))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        self.phrase.query_terms(visitor);
    }
}

struct SameTextPhraseWeight {
    phrase: Box<dyn Weight>,
    terms: Vec<Term>,
}

impl Weight for SameTextPhraseWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        let Some(field) = self.terms.first().map(Term::field) else { return self.phrase.scorer(reader, boost) };
        let Some(texts) = TextKeys::of(reader, field)? else { return self.phrase.scorer(reader, boost) };
        let inverted = reader.inverted_index(field)?;
        let mut words = Vec::with_capacity(self.terms.len());
        for term in &self.terms {
            match inverted.read_postings(term, IndexRecordOption::Basic)? {
                Some(postings) => words.push(postings),
                None => return Ok(Box::new(EmptyScorer)),
            }
        }
        words.sort_by_key(|postings| postings.size_hint());
        let mut phrase = SameTextPhrasePassages { words, phrase: None, at_first: None, texts, known: TextMemo::new() };
        // tantivy's phrase scorer finds its first match when made: made at the first passage
        // with every word, it starts there rather than walking the words from the start.
        let first = phrase.next_with_every_word(0);
        if first != TERMINATED {
            let (found, scorer) = self.phrase.scorer_danger(reader, first, boost)?;
            (phrase.phrase, phrase.at_first) = (Some(scorer), Some(found));
        }
        Ok(Box::new(PassageWalk::new(phrase, first)))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        self.phrase.explain(reader, doc)
    }
}

/// The passages of a phrase, for a [`PassageWalk`]. A passage whose text is known is answered
/// before the other words are sought in it: on copies, the lead word's walk alone.
struct SameTextPhrasePassages {
    /// The phrase's words at the passage level, rarest first.
    words: Vec<SegmentPostings>,
    /// tantivy's scorer for the phrase, made at the first passage with every word.
    phrase: Option<Box<dyn Scorer>>,
    /// What the phrase scorer found where it was made, until that passage is checked.
    at_first: Option<SeekDangerResult>,
    texts: TextKeys,
    /// Texts checked: their score when they say the phrase.
    known: TextMemo<Option<Score>>,
}

impl SameTextPhrasePassages {
    /// The first passage from `candidate` on with every word of the phrase.
    fn next_with_every_word(&mut self, mut candidate: DocId) -> DocId {
        let Some((lead, others)) = self.words.split_first_mut() else { return TERMINATED };
        'candidates: while candidate != TERMINATED {
            candidate = seek_forward(lead, candidate);
            for other in others.iter_mut() {
                let found = seek_forward(other, candidate);
                if found > candidate {
                    candidate = found;
                    continue 'candidates;
                }
            }
            return candidate;
        }
        TERMINATED
    }
}

impl Passages for SameTextPhrasePassages {
    fn lead_from(&mut self, target: DocId) -> DocId {
        match (&self.phrase, self.words.first_mut()) {
            (Some(_), Some(lead)) => seek_forward(lead, target),
            _ => TERMINATED,
        }
    }

    #[inline]
    fn check(&mut self, candidate: DocId) -> Result<Score, DocId> {
        // The first passage checked is the one the phrase scorer was made at.
        let at_first = self.at_first.take();
        let (Some((_, others)), Some(phrase)) = (self.words.split_first_mut(), self.phrase.as_mut()) else {
            return Err(TERMINATED);
        };
        let key = self.texts.key(candidate);
        if let Some(known) = self.known.get(key) {
            return known.ok_or(candidate + 1);
        }
        for other in others.iter_mut() {
            let at = seek_forward(other, candidate);
            if at > candidate {
                self.known.insert(key, None);
                return Err(at);
            }
        }
        let found = at_first.unwrap_or_else(|| phrase.seek_danger(candidate));
        let said = (found == SeekDangerResult::Found).then(|| phrase.score());
        self.known.insert(key, said);
        said.ok_or(candidate + 1)
    }

    fn size_hint(&self) -> u32 {
        self.words.first().map_or(0, |lead| lead.size_hint())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::collector::TopDocs;
    use tantivy::schema::{Schema, TEXT};
    use tantivy::{Index, IndexWriter, TantivyDocument};

    /// An index where a phrase is said once, twice, or its words stand apart, in passages of
    /// different lengths, and many passages tie.
    fn index_of(texts: &[String]) -> (Index, tantivy::schema::Field) {
        index_with(texts, false)
    }

    /// The same, with the column of text hashes when `hashed`.
    fn index_with(texts: &[String], hashed: bool) -> (Index, tantivy::schema::Field) {
        let mut schema = Schema::builder();
        let text = schema.add_text_field("text", TEXT);
        let hash = hashed.then(|| schema.add_u64_field(crate::index::TEXT_HASH_COLUMN, tantivy::schema::FAST));
        let index = Index::create_in_ram(schema.build());
        let mut writer: IndexWriter = index.writer_with_num_threads(1, 15_000_000).unwrap();
        for t in texts {
            let mut doc = TantivyDocument::default();
            doc.add_text(text, t);
            if let Some(hash) = hash {
                doc.add_u64(hash, crate::index::text_hash(t));
            }
            writer.add_document(doc).unwrap();
        }
        writer.commit().unwrap();
        (index, text)
    }

    fn texts() -> Vec<String> {
        let shapes = [
            "open source models are here",
            "open source open source again and open source",
            "source code is open to all",
            "we open the source of the river",
            "open source",
            "an open mind and an open door to source material",
            "many words before we finally say open source at the end of this passage",
        ];
        (0..600).map(|i| format!("{} {}", shapes[i * 7 % shapes.len()], "filler ".repeat(i % 5))).collect()
    }

    #[test]
    fn finds_the_same_top_hits_and_scores_as_tantivy() {
        let (index, text) = index_of(&texts());
        let searcher = index.reader().unwrap().searcher();
        let phrases = [
            &["open", "source"][..],
            &["source", "open"],
            &["open", "source", "again"],
            &["open", "open"],
            &["open", "source", "open"],
        ];
        for words in phrases {
            let terms: Vec<Term> = words.iter().map(|w| Term::from_field_text(text, w)).collect();
            let plain = PhraseQuery::new(terms.clone());
            let pruned = PrunedPhraseQuery::of(&PhraseQuery::new(terms)).unwrap();
            for limit in [1, 3, 10, 50, 1000] {
                let top = TopDocs::with_limit(limit).order_by_score();
                let expected = searcher.search(&plain, &top).unwrap();
                let found = searcher.search(&pruned, &top).unwrap();
                assert_eq!(found, expected, "{words:?}, top {limit}");
            }
            let count = tantivy::collector::Count;
            assert_eq!(searcher.search(&pruned, &count).unwrap(), searcher.search(&plain, &count).unwrap());
        }
    }

    #[test]
    fn a_phrase_with_slop_or_gaps_is_left_to_tantivy() {
        let terms = |words: &[&str]| -> Vec<Term> {
            words.iter().map(|w| Term::from_field_text(tantivy::schema::Field::from_field_id(0), w)).collect()
        };
        let mut sloppy = PhraseQuery::new(terms(&["open", "source"]));
        sloppy.set_slop(2);
        assert!(PrunedPhraseQuery::of(&sloppy).is_none());
        let gapped = PhraseQuery::new_with_offset(
            terms(&["open", "source"]).into_iter().zip([0, 2]).map(|(t, o)| (o, t)).collect(),
        );
        assert!(PrunedPhraseQuery::of(&gapped).is_none());
        assert!(PrunedPhraseQuery::of(&PhraseQuery::new(terms(&["open", "source"]))).is_some());
    }

    #[test]
    fn a_phrase_of_an_absent_word_finds_nothing() {
        let (index, text) = index_of(&texts());
        let searcher = index.reader().unwrap().searcher();
        let terms = vec![Term::from_field_text(text, "open"), Term::from_field_text(text, "sesame")];
        let pruned = PrunedPhraseQuery::of(&PhraseQuery::new(terms)).unwrap();
        assert!(searcher.search(&pruned, &TopDocs::with_limit(10).order_by_score()).unwrap().is_empty());
    }

    #[test]
    fn same_text_phrases_find_and_count_what_tantivy_does() {
        for hashed in [true, false] {
            let (index, text) = index_with(&texts(), hashed);
            let searcher = index.reader().unwrap().searcher();
            for words in [
                &["open", "source"][..],
                &["source", "open"],
                &["open", "open"],
                &["open", "sesame"],
                &["source", "of"],
            ] {
                let terms: Vec<Term> = words.iter().map(|w| Term::from_field_text(text, w)).collect();
                let plain = PhraseQuery::new(terms.clone());
                let same_text = SameTextPhrase::new(PhraseQuery::new(terms));
                for limit in [1, 10, 1000] {
                    let top = TopDocs::with_limit(limit).order_by_score();
                    let expected = searcher.search(&plain, &top).unwrap();
                    assert_eq!(searcher.search(&same_text, &top).unwrap(), expected, "{words:?}, top {limit}");
                }
                let count = tantivy::collector::Count;
                assert_eq!(searcher.search(&same_text, &count).unwrap(), searcher.search(&plain, &count).unwrap());
                // Inside a disjunction, beside a word, as a near phrase is searched.
                let word = tantivy::query::TermQuery::new(
                    Term::from_field_text(text, "material"),
                    IndexRecordOption::WithFreqs,
                );
                let either = |phrase: Box<dyn Query>| {
                    let boosted = Box::new(tantivy::query::BoostQuery::new(phrase, 2.5));
                    tantivy::query::DisjunctionMaxQuery::new(vec![Box::new(word.clone()), boosted])
                };
                let top = TopDocs::with_limit(20).order_by_score();
                let expected = searcher.search(&either(Box::new(plain.clone())), &top).unwrap();
                assert_eq!(searcher.search(&either(Box::new(same_text.clone())), &top).unwrap(), expected);
            }
        }
    }
}
