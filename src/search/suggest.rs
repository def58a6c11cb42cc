//! "Did you mean": corrected queries built from the index's own words.
//!
//! Each rare or absent word of the query is replaced by its best alternative in the index
//! (closest spelling or sound first, then most common, see [`super::fuzzy`]); two rare words in
//! a row may become the one word they were transcribed as; and a word or phrase that a
//! vocabulary entry lists as a synonym is replaced by the entry's term. Operators, quotes and
//! fields are kept as typed.

use super::fuzzy::{Alternative, Lexicon};
use super::{SearchError, SearchRequest, Searcher, term, with_filters};
use crate::index::analyzer::{analyzer, fold_word, for_each_token};
use crate::model::PassageKind;
use serde::Serialize;
use std::collections::HashMap;
use std::ops::Range;
use tantivy::collector::TopDocs;

/// Most suggestions offered.
pub const MAX_SUGGESTIONS: usize = 3;

/// A corrected query.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Suggestion {
    /// The query with the replacements made.
    pub query: String,
    /// Each replacement: the words as typed, and what replaces them.
    pub replaced: Vec<(String, String)>,
}

/// A word of the query as typed.
struct TypedWord {
    folded: String,
    term: String,
    range: Range<usize>,
}

/// One way to replace a run of typed words.
#[derive(Clone)]
struct Replacement {
    words: Range<usize>,
    with: String,
}

impl Searcher {
    /// Up to [`MAX_SUGGESTIONS`] corrected forms of the request's query, best first, each one
    /// that finds something under the request's filters (`--kind`, `--speaker`); none when
    /// every word is common in the index and no synonym applies.
    pub fn suggest(&self, request: &SearchRequest) -> Result<Vec<Suggestion>, SearchError> {
        let query = request.query.as_str();
        let words = typed_words(query);
        if words.is_empty() {
            return Ok(Vec::new());
        }
        let synonyms = self.synonyms()?;
        let searcher = self.reader.searcher();
        let mut lexicon = Lexicon::new(&searcher, self.index.fields(), &self.sounds);
        // For each word, its replacements, best first.
        let mut options: Vec<Vec<Replacement>> = Vec::new();
        let mut i = 0;
        while i < words.len() {
            if let Some((length, entry)) = synonym_at(&words[i..], &synonyms) {
                options.push(vec![Replacement { words: i..i + length, with: entry }]);
                i += length;
                continue;
            }
            let word = &words[i];
            if !lexicon.is_rare(&word.term) {
                i += 1;
                continue;
            }
            let typed_freq = lexicon.doc_freq(&word.term);
            if let Some(next) = words.get(i + 1).filter(|next| lexicon.is_rare(&next.term)) {
                let joined = lexicon.joined(&[&word.folded, &next.folded], true);
                if let Some(best) = joined.into_iter().find(|a| a.doc_freq > typed_freq) {
                    let with = self.readable(&best)?;
                    options.push(vec![Replacement { words: i..i + 2, with }]);
                    i += 2;
                    continue;
                }
            }
            let mut replacements = Vec::new();
            for alternative in lexicon.alternatives(&word.folded, &word.term) {
                if alternative.doc_freq <= typed_freq {
                    continue;
                }
                let with = self.readable(&alternative)?;
                if with != word.folded && !replacements.iter().any(|r: &Replacement| r.with == with) {
                    replacements.push(Replacement { words: i..i + 1, with });
                }
                if replacements.len() == MAX_SUGGESTIONS {
                    break;
                }
            }
            if !replacements.is_empty() {
                options.push(replacements);
            }
            i += 1;
        }
        if options.is_empty() {
            return Ok(Vec::new());
        }
        // The best of every word first, then each word's runners-up with the others' best.
        let mut suggestions = vec![rewrite(query, &words, options.iter().map(|o| &o[0]))];
        for (k, option) in options.iter().enumerate() {
            for runner_up in option.iter().skip(1) {
                let chosen = options.iter().enumerate().map(|(l, o)| if l == k { runner_up } else { &o[0] });
                suggestions.push(rewrite(query, &words, chosen));
            }
        }
        suggestions.dedup_by(|a, b| a.query == b.query);
        // A correction that finds nothing where the user looks is no help.
        let mut helpful = Vec::with_capacity(MAX_SUGGESTIONS);
        for suggestion in suggestions {
            let Ok(parsed) = super::query::parse(&self.parser, &suggestion.query) else { continue };
            let corrected = SearchRequest { query: suggestion.query.clone(), ..request.clone() };
            let filtered = with_filters(parsed.query, &self.filters(&corrected));
            let found = searcher
                .search(filtered.as_ref(), &TopDocs::with_limit(1).order_by_score())
                .map_err(|e| SearchError::Index(self.index.error(e)))?;
            if !found.is_empty() {
                helpful.push(suggestion);
                if helpful.len() == MAX_SUGGESTIONS {
                    break;
                }
            }
        }
        Ok(helpful)
    }

    /// A readable word for an alternative: the word as indexed when known; for a stem, the
    /// first word in a passage that has it.
    fn readable(&self, alternative: &Alternative) -> Result<String, SearchError> {
        if alternative.terms.len() > 1 || alternative.surface != alternative.terms[0] {
            return Ok(alternative.surface.clone());
        }
        let stem = &alternative.terms[0];
        let searcher = self.reader.searcher();
        let query = term(self.index.fields().text, stem);
        let found = searcher
            .search(query.as_ref(), &TopDocs::with_limit(1).order_by_score())
            .map_err(|e| SearchError::Index(self.index.error(e)))?;
        if let Some((_, address)) = found.first() {
            let text = self.index.record(&self.stores, *address).map_err(SearchError::Index)?.text;
            if let Some(word) = typed_words(&text).into_iter().find(|w| &w.term == stem) {
                return Ok(word.folded);
            }
        }
        Ok(stem.clone())
    }

    /// Every vocabulary synonym, as its folded words, with the entry's term.
    fn synonyms(&self) -> Result<Vec<(Vec<String>, String)>, SearchError> {
        let fields = self.index.fields();
        let searcher = self.reader.searcher();
        let error = |e| SearchError::Index(self.index.error(e));
        let query = term(fields.kind, PassageKind::Vocab.name());
        let addresses = searcher.search(query.as_ref(), &tantivy::collector::DocSetCollector).map_err(error)?;
        let mut synonyms: HashMap<Vec<String>, String> = HashMap::new();
        for address in addresses {
            let info = self.index.record(&self.stores, address).map_err(SearchError::Index)?.info.unwrap_or_default();
            let Ok(info) = serde_json::from_str::<serde_json::Value>(&info) else { continue };
            let Some(entry) = info["term"].as_str() else { continue };
            for synonym in info["synonyms"].as_array().into_iter().flatten().filter_map(|s| s.as_str()) {
                let folded: Vec<String> = typed_words(synonym).into_iter().map(|w| w.folded).collect();
                if !folded.is_empty() {
                    synonyms.entry(folded).or_insert_with(|| entry.to_string());
                }
            }
        }
        let mut synonyms: Vec<(Vec<String>, String)> = synonyms.into_iter().collect();
        // Longest first, so that "common language" wins over "language".
        synonyms.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then_with(|| a.0.cmp(&b.0)));
        Ok(synonyms)
    }
}

/// The query's words, skipping field names (`speaker:`) and the operators `OR`, `AND`, `NOT`.
fn typed_words(query: &str) -> Vec<TypedWord> {
    let mut stemmer = analyzer();
    let mut words = Vec::new();
    let mut folded = String::new();
    for_each_token(&mut stemmer, query, |token| {
        let surface = &query[token.offset_from..token.offset_to];
        let is_field = query[token.offset_to..].starts_with(':');
        // A piece of a compound (`4o` in `GPT-4o`) cannot be replaced alone.
        let glued = query[..token.offset_from].chars().next_back().is_some_and(char::is_alphanumeric)
            || query[token.offset_to..].chars().next().is_some_and(char::is_alphanumeric);
        if is_field || glued || matches!(surface, "OR" | "AND" | "NOT") {
            return;
        }
        fold_word(surface, &mut folded);
        words.push(TypedWord {
            folded: folded.clone(),
            term: token.text.clone(),
            range: token.offset_from..token.offset_to,
        });
    });
    words
}

/// The vocabulary term for the synonym the words start with, and the synonym's length.
fn synonym_at(words: &[TypedWord], synonyms: &[(Vec<String>, String)]) -> Option<(usize, String)> {
    synonyms.iter().find_map(|(synonym, entry)| {
        let matches = synonym.len() <= words.len() && synonym.iter().zip(words).all(|(s, w)| *s == w.folded);
        let already =
            typed_words(entry).iter().map(|w| &w.folded).eq(words.iter().take(synonym.len()).map(|w| &w.folded));
        (matches && !already).then(|| (synonym.len(), entry.clone()))
    })
}

/// `query` with each replacement made.
fn rewrite<'r>(query: &str, words: &[TypedWord], chosen: impl Iterator<Item = &'r Replacement>) -> Suggestion {
    let mut chosen: Vec<&Replacement> = chosen.collect();
    chosen.sort_by_key(|r| r.words.start);
    let mut out = String::with_capacity(query.len() + 16);
    let mut replaced = Vec::new();
    let mut cursor = 0;
    for replacement in chosen {
        let from = words[replacement.words.start].range.start;
        let to = words[replacement.words.end - 1].range.end;
        out.push_str(&query[cursor..from]);
        out.push_str(&replacement.with);
        replaced.push((query[from..to].to_string(), replacement.with.clone()));
        cursor = to;
    }
    out.push_str(&query[cursor..]);
    Suggestion { query: out, replaced }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_names_and_operators_are_not_words() {
        let words: Vec<String> = typed_words("speaker:Percy Liang OR lang").into_iter().map(|w| w.folded).collect();
        assert_eq!(words, ["percy", "liang", "lang"]);
    }

    #[test]
    fn rewrites_keep_the_rest_of_the_query() {
        let query = "\"Percy Liang\" -mistral";
        let words = typed_words(query);
        let replacement = Replacement { words: 1..2, with: "lang".into() };
        let suggestion = rewrite(query, &words, std::iter::once(&replacement));
        assert_eq!(suggestion.query, "\"Percy lang\" -mistral");
        assert_eq!(suggestion.replaced, [("Liang".to_string(), "lang".to_string())]);
    }

    #[test]
    fn a_synonym_maps_to_its_entry() {
        let synonyms = vec![(vec!["bridge".to_string(), "language".to_string()], "lingua franca".to_string())];
        let words = typed_words("a bridge language here");
        assert_eq!(synonym_at(&words[1..], &synonyms), Some((2, "lingua franca".to_string())));
        assert_eq!(synonym_at(&words[0..], &synonyms), None);
    }
}
