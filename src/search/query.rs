//! The user's query: checked, rewritten where tantivy's syntax falls short, then parsed.
//!
//! Syntax: words are ANDed; `"a phrase"`, `OR`, `-word`, `+word`, `( … )`, `field:word`
//! (`speaker:`, `title:`, `term:`, `kind:`, `talk:`), `prefix*`.

use super::prefix::PrefixQuery;
use crate::index::analyzer::fold_word;
use std::collections::HashSet;
use tantivy::Term;
use tantivy::query::{BooleanQuery, Occur, PhraseQuery, Query, QueryParser, QueryParserError, TermQuery};
use tantivy::schema::{Field, IndexRecordOption};

/// A query that cannot be run: what is wrong and at which character.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", self.describe())]
pub struct QueryError {
    /// The query as typed.
    pub query: String,
    /// 0-based character position of the problem, when known.
    pub position: Option<usize>,
    /// What is wrong.
    pub reason: String,
}

impl QueryError {
    fn at(query: &str, byte: Option<usize>, reason: impl Into<String>) -> QueryError {
        let position = byte.map(|b| query[..b.min(query.len())].chars().count());
        QueryError { query: query.to_string(), position, reason: reason.into() }
    }

    fn describe(&self) -> String {
        match self.position {
            Some(p) => format!("bad query {:?}: {} at character {}", self.query, self.reason, p + 1),
            None => format!("bad query {:?}: {}", self.query, self.reason),
        }
    }
}

/// A parsed query, with what the snippets need to highlight.
pub struct ParsedQuery {
    /// The query to run.
    pub query: Box<dyn Query>,
    /// Prefixes of `prefix*` words, folded, to highlight words that start with them.
    pub prefixes: Vec<String>,
    /// Whole terms a `prefix*` word also matches: its truncations, which may be stems.
    pub prefix_truncations: Vec<String>,
}

/// The words a query looks for, as analyzed terms: single words, and phrases whose words must
/// be highlighted only where they stand together. Excluded (`-word`) clauses are left out.
#[derive(Debug, Default, PartialEq)]
pub struct WantedTerms {
    /// Terms matched on their own.
    pub singles: HashSet<String>,
    /// Phrases, each its terms in order.
    pub phrases: Vec<Vec<String>>,
}

/// Collects the [`WantedTerms`] of a parsed query.
pub fn wanted_terms(query: &dyn Query) -> WantedTerms {
    let mut wanted = WantedTerms::default();
    collect(query, &mut wanted);
    wanted
}

fn collect(query: &dyn Query, wanted: &mut WantedTerms) {
    if let Some(boolean) = query.downcast_ref::<BooleanQuery>() {
        for (occur, clause) in boolean.clauses() {
            if *occur != Occur::MustNot {
                collect(clause.as_ref(), wanted);
            }
        }
    } else if let Some(phrase) = query.downcast_ref::<PhraseQuery>() {
        let terms: Vec<String> =
            phrase.phrase_terms().iter().filter_map(|t| t.value().as_str().map(str::to_string)).collect();
        if !terms.is_empty() && !wanted.phrases.contains(&terms) {
            wanted.phrases.push(terms);
        }
    } else if let Some(term) = query.downcast_ref::<TermQuery>() {
        if let Some(text) = term.term().value().as_str() {
            wanted.singles.insert(text.to_string());
        }
    } else {
        query.query_terms(&mut |term, _| {
            if let Some(text) = term.value().as_str() {
                wanted.singles.insert(text.to_string());
            }
        });
    }
}

/// Fields that only a talk's metadata document is indexed under besides passages: a query
/// naming none of them cannot match such a document, so needs no clause to exclude them.
const TALK_DOCUMENT_FIELDS: [&str; 3] = ["kind:", "talk:", "source:"];

/// True when `query` names a field that talk metadata documents are indexed under, or asks
/// for every document (`*`).
pub fn may_reach_talk_documents(query: &str) -> bool {
    let lower = query.to_lowercase();
    TALK_DOCUMENT_FIELDS.iter().any(|field| lower.contains(field)) || bare_words(query).any(|word| word == "*")
}

/// The whitespace-separated words of `query` without their `+`, `-` and parentheses.
fn bare_words(query: &str) -> impl Iterator<Item = &str> {
    query.split_whitespace().map(|word| word.trim_start_matches(['+', '-', '(']).trim_end_matches(')'))
}

/// The only clause of a boolean query that has one (not an exclusion), else the query itself:
/// tantivy prunes a bare term query, not one wrapped in a boolean of one clause.
pub fn unwrap_single_clause(query: Box<dyn Query>) -> Box<dyn Query> {
    if let Some(boolean) = query.downcast_ref::<BooleanQuery>()
        && let [(occur, only)] = boolean.clauses()
        && *occur != Occur::MustNot
    {
        return unwrap_single_clause(only.box_clone());
    }
    query
}

/// Checks quotes and parentheses, so the message can point at the one left open.
pub fn validate(query: &str) -> Result<(), QueryError> {
    if query.trim().is_empty() {
        return Err(QueryError::at(query, None, "the query is empty"));
    }
    let mut open_quote: Option<usize> = None;
    let mut open_parens: Vec<usize> = Vec::new();
    let mut escaped = false;
    for (i, c) in query.char_indices() {
        if escaped {
            escaped = false;
            continue;
        }
        match c {
            '\\' => escaped = true,
            '"' => open_quote = if open_quote.is_some() { None } else { Some(i) },
            '(' if open_quote.is_none() => open_parens.push(i),
            ')' if open_quote.is_none() && open_parens.pop().is_none() => {
                return Err(QueryError::at(query, Some(i), "unmatched closing parenthesis"));
            }
            _ => {}
        }
    }
    if let Some(i) = open_quote {
        return Err(QueryError::at(query, Some(i), "unclosed quote"));
    }
    if let Some(&i) = open_parens.last() {
        return Err(QueryError::at(query, Some(i), "unclosed parenthesis"));
    }
    if let Some(word) = bare_words(query).find(|word| word.len() > 2 && word.ends_with(":*")) {
        let at = query.find(word);
        return Err(QueryError::at(
            query,
            at,
            format!("`{word}` (any value) is not supported; give a word or a prefix"),
        ));
    }
    Ok(())
}

/// Parses `query` with `parser` after [`validate`], turning `word*` into a prefix match on the
/// word's folded and stemmed forms (tantivy's own syntax has prefixes only for phrases).
pub fn parse(parser: &QueryParser, query: &str) -> Result<ParsedQuery, QueryError> {
    validate(query)?;
    let (rewritten, words) = rewrite_prefixes(&escape_apostrophes(query));
    let parsed = parser.parse_query(&rewritten).map_err(|e| from_tantivy(query, e))?;
    let parsed = if words.is_empty() { parsed } else { substitute_prefixes(parsed, &words) };
    Ok(ParsedQuery {
        query: parsed,
        prefixes: words.iter().flat_map(|w| w.heads.iter().cloned()).collect(),
        prefix_truncations: words.iter().flat_map(|w| w.wholes.iter().cloned()).collect(),
    })
}

/// As [`parse`], for a parser whose only default field is `field`, analyzed by the index's
/// analyzer. A query of plain words is built here, as tantivy's parser builds it (a word, or
/// the phrase of the terms one word analyzes to, each required): its grammar took a tenth of a
/// pasted quote's search.
pub fn parse_in(parser: &QueryParser, field: Field, query: &str) -> Result<ParsedQuery, QueryError> {
    validate(query)?;
    match plain_words(field, query) {
        Some(plain) => Ok(ParsedQuery { query: plain, prefixes: Vec::new(), prefix_truncations: Vec::new() }),
        None => parse(parser, query),
    }
}

/// The query tantivy's parser makes of `query` for the default field `field` when the query
/// is plain words: no operator, field, quote, prefix or escape, nothing but letters, digits and
/// the punctuation of prose (which the grammar keeps in its words).
fn plain_words(field: Field, query: &str) -> Option<Box<dyn Query>> {
    let prose = |c: char| c.is_alphanumeric() || c.is_whitespace() || matches!(c, ',' | '.' | '?' | ';' | '\'' | '’');
    if !query.chars().all(prose) || query.split_whitespace().any(|word| matches!(word, "AND" | "OR" | "NOT")) {
        return None;
    }
    let mut analyzer = crate::index::analyzer::analyzer();
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    let mut seen: Vec<&str> = Vec::new();
    for word in query.split_whitespace() {
        // The grammar keeps one clause per word as typed: `the` twice is one clause, `The`
        // and `the` two.
        if seen.contains(&word) {
            continue;
        }
        seen.push(word);
        let mut terms: Vec<(usize, Term)> = Vec::new();
        analyzer
            .token_stream(word)
            .process(&mut |token| terms.push((token.position, Term::from_field_text(field, &token.text))));
        let clause: Box<dyn Query> = match terms.len() {
            0 => continue,
            1 => Box::new(TermQuery::new(terms.swap_remove(0).1, IndexRecordOption::WithFreqs)),
            _ => Box::new(PhraseQuery::new_with_offset_and_slop(terms, 0)),
        };
        clauses.push((Occur::Must, clause));
    }
    match clauses.len() {
        // Nothing to look for: the parser's answer (or error) stands.
        0 => None,
        // The grammar reads a lone word as itself, not as a clause of one.
        1 if query.split_whitespace().nth(1).is_none() => clauses.pop().map(|(_, clause)| clause),
        _ => Some(Box::new(BooleanQuery::new(clauses))),
    }
}

/// One `word*` of a query: the heads its terms start with and the whole terms it also takes.
#[derive(Debug, PartialEq)]
struct PrefixWord {
    /// The placeholder word the query holds in its place until parsed, as typed and as the
    /// analyzer of a text field turns it.
    marker: String,
    marker_stem: String,
    heads: Vec<String>,
    wholes: Vec<String>,
}

/// A word no one types, distinct per `index`, of letters only so that the parser keeps it one
/// term in every field.
fn marker(index: usize) -> String {
    let mut letters = String::new();
    let mut n = index;
    loop {
        letters.insert(0, char::from(b'a' + (n % 26) as u8));
        n /= 26;
        if n == 0 {
            break;
        }
    }
    format!("zqzprefix{letters}zqz")
}

/// Replaces the term queries of the markers (as typed or stemmed) by prefix queries.
fn substitute_prefixes(query: Box<dyn Query>, words: &[PrefixWord]) -> Box<dyn Query> {
    if let Some(boolean) = query.downcast_ref::<BooleanQuery>() {
        let clauses =
            boolean.clauses().iter().map(|(occur, clause)| (*occur, substitute_prefixes(clause.box_clone(), words)));
        let mut rebuilt = BooleanQuery::new(clauses.collect());
        rebuilt.set_minimum_number_should_match(boolean.get_minimum_number_should_match());
        return Box::new(rebuilt);
    }
    if let Some(term_query) = query.downcast_ref::<TermQuery>() {
        let term = term_query.term();
        let value = term.value();
        let value = value.as_str().unwrap_or_default();
        if let Some(word) = words.iter().find(|w| w.marker == value || w.marker_stem == value) {
            return Box::new(PrefixQuery::new(term.field(), &word.heads, &word.wholes));
        }
    }
    query
}

fn from_tantivy(query: &str, error: QueryParserError) -> QueryError {
    let reason = match error {
        QueryParserError::SyntaxError(detail) => format!("syntax error ({detail})"),
        QueryParserError::FieldDoesNotExist(field) => {
            format!("unknown field {field:?}; fields are speaker, title, term, kind, talk, text")
        }
        QueryParserError::AllButQueryForbidden => "only excluded words; add a word to look for".into(),
        QueryParserError::FieldNotIndexed(field) => format!("field {field:?} cannot be searched"),
        other => other.to_string(),
    };
    QueryError::at(query, None, reason)
}

/// Escapes `'` outside double quotes: tantivy's grammar would open a phrase at the one in
/// `doesn't`, and a transcript quote is full of them.
fn escape_apostrophes(query: &str) -> std::borrow::Cow<'_, str> {
    if !query.contains('\'') {
        return std::borrow::Cow::Borrowed(query);
    }
    let mut out = String::with_capacity(query.len() + 4);
    let (mut in_quote, mut escaped) = (false, false);
    for c in query.chars() {
        match c {
            '\'' if !in_quote && !escaped => out.push_str("\\'"),
            '"' if !escaped => {
                in_quote = !in_quote;
                out.push(c);
            }
            _ => out.push(c),
        }
        escaped = c == '\\' && !escaped;
    }
    std::borrow::Cow::Owned(out)
}

/// Rewrites each `word*` outside quotes into a marker word (see [`marker`]) that
/// [`substitute_prefixes`] replaces once parsed.
fn rewrite_prefixes(query: &str) -> (String, Vec<PrefixWord>) {
    let mut out = String::with_capacity(query.len());
    let mut words = Vec::new();
    let mut in_quote = false;
    for piece in split_keeping_spaces(query) {
        if piece.chars().all(char::is_whitespace) {
            out.push_str(piece);
            continue;
        }
        let quotes = piece.matches('"').count();
        let was_in_quote = in_quote;
        if quotes % 2 == 1 {
            in_quote = !in_quote;
        }
        if was_in_quote || quotes > 0 {
            out.push_str(piece);
            continue;
        }
        match prefix_word(piece) {
            Some((sign, field, word)) => {
                let mut folded = String::new();
                fold_word(word, &mut folded);
                let stemmed = stem(&folded);
                // Index terms are stems, which may be shorter than the typed prefix
                // (`evaluat*` must reach `evalu`, the stem of evaluation): besides terms that
                // start with the prefix or its stem, take the prefix's last few truncations
                // as whole terms.
                let length = folded.chars().count();
                let wholes: Vec<String> =
                    (length.saturating_sub(2).max(4)..length).map(|n| folded.chars().take(n).collect()).collect();
                let mut heads = vec![folded.clone()];
                if stemmed != folded {
                    heads.push(stemmed);
                }
                let marker = marker(words.len());
                match field {
                    Some(field) => out.push_str(&format!("{sign}{field}:{marker}")),
                    None => out.push_str(&format!("{sign}{marker}")),
                }
                let marker_stem = stem(&marker);
                words.push(PrefixWord { marker, marker_stem, heads, wholes });
            }
            None => out.push_str(piece),
        }
    }
    (out, words)
}

/// `-field:word*` → (`-`, Some(`field`), `word`) when `word` is letters and digits only.
fn prefix_word(piece: &str) -> Option<(&str, Option<&str>, &str)> {
    let body = piece.strip_suffix('*')?;
    let (sign, body) = match body.chars().next()? {
        '-' | '+' => body.split_at(1),
        _ => ("", body),
    };
    let (field, word) = match body.split_once(':') {
        Some((field, word)) => (Some(field), word),
        None => (None, body),
    };
    let valid = !word.is_empty() && word.chars().all(char::is_alphanumeric);
    valid.then_some((sign, field, word))
}

fn split_keeping_spaces(text: &str) -> Vec<&str> {
    let mut pieces = Vec::new();
    let mut start = 0;
    let mut in_space = None;
    for (i, c) in text.char_indices() {
        let space = c.is_whitespace();
        if in_space.is_some_and(|s| s != space) {
            pieces.push(&text[start..i]);
            start = i;
        }
        in_space = Some(space);
    }
    if start < text.len() {
        pieces.push(&text[start..]);
    }
    pieces
}

fn stem(folded: &str) -> String {
    let mut analyzer = crate::index::analyzer::analyzer();
    let mut out = folded.to_string();
    crate::index::analyzer::for_each_token(&mut analyzer, folded, |t| out = t.text.clone());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn points_at_the_unclosed_quote_or_parenthesis() {
        let err = validate(r#"open "source models"#).unwrap_err();
        assert_eq!((err.position, err.reason.as_str()), (Some(5), "unclosed quote"));
        let err = validate("(llama OR mistral").unwrap_err();
        assert_eq!((err.position, err.reason.as_str()), (Some(0), "unclosed parenthesis"));
        let err = validate("llama)").unwrap_err();
        assert_eq!(err.position, Some(5));
        assert!(err.to_string().contains("at character 6"), "{err}");
        assert!(validate(r#"say \"hi"#).is_ok(), "an escaped quote opens nothing");
    }

    #[test]
    fn rewrites_prefix_words_outside_quotes() {
        let (query, words) = rewrite_prefixes(r#"evaluat* "keep this*" -speaker:jo*"#);
        assert_eq!(query, format!(r#"{} "keep this*" -speaker:{}"#, marker(0), marker(1)));
        assert_eq!(words[0].heads, ["evaluat"]);
        assert_eq!(words[0].wholes, ["evalu", "evalua"], "stems shorter than the typed prefix");
        assert_eq!(words[1].heads, ["jo"]);
        assert_ne!(marker(25), marker(26));
    }

    /// A parser of the `text` field set up as the searcher's, and the fields.
    fn text_parser() -> (QueryParser, crate::index::Fields) {
        let (schema, fields) = crate::index::Fields::build();
        let index = tantivy::Index::create_in_ram(schema);
        crate::index::analyzer::register(&index);
        let mut parser = QueryParser::for_index(&index, vec![fields.text]);
        parser.set_conjunction_by_default();
        parser.allow_regexes();
        (parser, fields)
    }

    #[test]
    fn prefix_words_become_prefix_queries_in_their_field() {
        let (parser, fields) = text_parser();
        let parsed = parse(&parser, "open distill* -speaker:jo*").unwrap();
        let boolean = parsed.query.downcast_ref::<BooleanQuery>().expect("a boolean query");
        let prefixes: Vec<(Occur, tantivy::schema::Field)> = boolean
            .clauses()
            .iter()
            .filter_map(|(occur, clause)| clause.downcast_ref::<PrefixQuery>().map(|p| (*occur, p.field())))
            .collect();
        assert_eq!(prefixes, [(Occur::Must, fields.text), (Occur::MustNot, fields.speaker)]);
        assert_eq!(parsed.prefixes, ["distill", "distil", "jo"], "each word folded, then stemmed");
    }

    #[test]
    fn plain_words_make_the_query_tantivys_parser_makes() {
        let (parser, fields) = text_parser();
        let shipped = include_str!("../../benches/queries.tsv");
        let queries =
            shipped.lines().filter(|l| !l.starts_with('#')).filter_map(|l| l.split_once('\t').map(|(_, q)| q));
        let extra = [
            "We trained on over 16,000 GPU's, which we hadn't done before.",
            "it’s 3.1 or 2.0; right?",
            "Émile Zola   naïve café",
            "a . , ? b",
            "ok ok",
            "data data, data",
            "models .",
            ". models",
            "x",
            "ok\tthen",
            "AI and the OR gate",
            "mixture-of-experts",
            "speaker:jo models",
            "\"your moat\" data",
        ];
        let mut plain = 0;
        for query in queries.chain(extra) {
            let Some(built) = plain_words(fields.text, query) else { continue };
            plain += 1;
            let parsed = parse(&parser, query).unwrap();
            assert_eq!(format!("{built:?}"), format!("{:?}", parsed.query), "{query}");
        }
        assert!(plain >= 50, "most shipped queries are plain words: {plain}");
        for operators in ["AI OR models", "-open source", "mixture-of-experts", "speaker:jo models", "\"your moat\""] {
            assert!(plain_words(fields.text, operators).is_none(), "{operators}");
        }
    }

    #[test]
    fn single_clause_booleans_unwrap_to_their_clause() {
        let term = |text: &str| -> Box<dyn Query> {
            Box::new(TermQuery::new(
                tantivy::Term::from_field_text(tantivy::schema::Field::from_field_id(0), text),
                tantivy::schema::IndexRecordOption::WithFreqs,
            ))
        };
        let nested =
            BooleanQuery::new(vec![(Occur::Must, Box::new(BooleanQuery::new(vec![(Occur::Must, term("a"))])))]);
        assert!(unwrap_single_clause(Box::new(nested)).downcast_ref::<TermQuery>().is_some());
        let excluded = BooleanQuery::new(vec![(Occur::MustNot, term("a"))]);
        assert!(unwrap_single_clause(Box::new(excluded)).downcast_ref::<BooleanQuery>().is_some());
        let two = BooleanQuery::new(vec![(Occur::Must, term("a")), (Occur::Must, term("b"))]);
        assert!(unwrap_single_clause(Box::new(two)).downcast_ref::<BooleanQuery>().is_some());
    }

    #[test]
    fn only_metadata_fields_reach_talk_documents() {
        assert!(!may_reach_talk_documents("open source title:llama speaker:joe"));
        assert!(may_reach_talk_documents("Kind:talk"));
        assert!(may_reach_talk_documents("source:/x/y.vtt"));
        assert!(may_reach_talk_documents("*") && may_reach_talk_documents("(* -llama)"), "every document");
        assert!(!may_reach_talk_documents("distill* 405*"));
    }

    #[test]
    fn any_value_of_a_field_is_refused_with_its_place() {
        let err = validate("open speaker:*").unwrap_err();
        assert_eq!(err.position, Some(5));
        assert!(err.reason.contains("speaker:*"), "{}", err.reason);
    }

    #[test]
    fn apostrophes_outside_quotes_are_escaped() {
        assert_eq!(escape_apostrophes(r#"it's "don't" x\'y"#), r#"it\'s "don't" x\'y"#);
        assert_eq!(escape_apostrophes("plain"), "plain");
    }
}
