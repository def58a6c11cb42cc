//! The top hits of a long conjunction (a pasted quote) through tantivy's plain intersection.
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
//! [`LONG_CONJUNCTION_WORDS`] or more go this way. The hits are the same either way, and their
//! scores up to float rounding: the two add the words' scores in different orders.

use tantivy::query::{BooleanQuery, EnableScoring, Explanation, Occur, Query, Scorer, TermQuery, Weight};
use tantivy::{DocId, Score, SegmentReader, Term};

/// Fewest words of a conjunction that [`IntersectionTopK`] serves better.
pub const LONG_CONJUNCTION_WORDS: usize = 5;

/// True for a conjunction of [`LONG_CONJUNCTION_WORDS`] or more terms, and nothing else.
pub fn is_long_conjunction(query: &dyn Query) -> bool {
    query.downcast_ref::<BooleanQuery>().is_some_and(|boolean| {
        let clauses = boolean.clauses();
        clauses.len() >= LONG_CONJUNCTION_WORDS
            && clauses.iter().all(|(occur, clause)| *occur == Occur::Must && clause.is::<TermQuery>())
    })
}

/// A query whose top hits come from its plain scorer rather than tantivy's pruning walk.
#[derive(Debug)]
pub struct IntersectionTopK {
    query: Box<dyn Query>,
}

impl IntersectionTopK {
    /// The same search as `query`.
    pub fn new(query: Box<dyn Query>) -> IntersectionTopK {
        IntersectionTopK { query }
    }
}

impl Clone for IntersectionTopK {
    fn clone(&self) -> IntersectionTopK {
        IntersectionTopK { query: self.query.box_clone() }
    }
}

impl Query for IntersectionTopK {
    fn weight(&self, enable_scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        Ok(Box::new(IntersectionWeight { weight: self.query.weight(enable_scoring)? }))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        self.query.query_terms(visitor);
    }
}

/// The query's own weight, without its `for_each_pruning`: tantivy's default then walks the
/// plain scorer, a leapfrog intersection led by the rarest word.
struct IntersectionWeight {
    weight: Box<dyn Weight>,
}

impl Weight for IntersectionWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        self.weight.scorer(reader, boost)
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        self.weight.explain(reader, doc)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::collector::TopDocs;
    use tantivy::schema::{IndexRecordOption, Schema, TEXT};
    use tantivy::{Index, IndexWriter, TantivyDocument};

    fn conjunction(field: tantivy::schema::Field, words: &[&str]) -> BooleanQuery {
        let clauses = words
            .iter()
            .map(|w| {
                let term = TermQuery::new(Term::from_field_text(field, w), IndexRecordOption::WithFreqs);
                (Occur::Must, Box::new(term) as Box<dyn Query>)
            })
            .collect();
        BooleanQuery::new(clauses)
    }

    #[test]
    fn only_long_conjunctions_of_terms_qualify() {
        let field = tantivy::schema::Field::from_field_id(0);
        assert!(is_long_conjunction(&conjunction(field, &["so", "it", "makes", "sense", "because"])));
        assert!(!is_long_conjunction(&conjunction(field, &["open", "source", "models"])));
        let mut mixed: Vec<(Occur, Box<dyn Query>)> = conjunction(field, &["so", "it", "makes", "sense", "because"])
            .clauses()
            .iter()
            .map(|(o, q)| (*o, q.box_clone()))
            .collect();
        mixed[0].0 = Occur::Should;
        assert!(!is_long_conjunction(&BooleanQuery::new(mixed)));
        let term = TermQuery::new(Term::from_field_text(field, "model"), IndexRecordOption::WithFreqs);
        assert!(!is_long_conjunction(&term));
    }

    #[test]
    fn finds_the_same_top_hits_and_scores_as_tantivy() {
        let mut schema = Schema::builder();
        let text = schema.add_text_field("text", TEXT);
        let index = Index::create_in_ram(schema.build());
        let mut writer: IndexWriter = index.writer_with_num_threads(1, 15_000_000).unwrap();
        let words = ["so", "it", "makes", "sense", "because", "research", "and", "products", "differ"];
        for i in 0..3000usize {
            // Every passage has some of the words, some several times, at different lengths.
            let said: Vec<&str> =
                words.iter().enumerate().filter(|(k, _)| (i * 7 + k * 3) % 5 != 0).map(|(_, w)| *w).collect();
            let mut doc = TantivyDocument::default();
            doc.add_text(text, format!("{} {}", said.join(" "), "and it ".repeat(i % 4)));
            writer.add_document(doc).unwrap();
        }
        writer.commit().unwrap();
        let searcher = index.reader().unwrap().searcher();
        for query_words in [&words[..5], &words[..7], &words[2..]] {
            let plain = conjunction(text, query_words);
            let long = IntersectionTopK::new(Box::new(plain.clone()));
            for limit in [1, 10, 100] {
                let top = TopDocs::with_limit(limit).order_by_score();
                let expected = searcher.search(&plain, &top).unwrap();
                assert!(!expected.is_empty());
                let found = searcher.search(&long, &top).unwrap();
                // The same hits; scores up to the order the words' scores are added in.
                let docs = |hits: &[(Score, tantivy::DocAddress)]| hits.iter().map(|(_, d)| *d).collect::<Vec<_>>();
                assert_eq!(docs(&found), docs(&expected), "{query_words:?}, top {limit}");
                for ((a, _), (b, _)) in found.iter().zip(&expected) {
                    assert!((a - b).abs() <= 1e-5 * b.abs(), "{a} vs {b}");
                }
            }
        }
    }
}
