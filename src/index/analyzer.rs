//! The one analyzer chain used both to index text and to parse queries.
//!
//! Words are runs of letters, digits and combining marks; each is folded (Unicode NFKC, lower
//! case, diacritics removed: `Café` = `cafe`) and stemmed in English (`commoditize`,
//! `commoditization`, `commoditizing` meet). Punctuation and a change between digits and
//! letters split words, so `GPT-4o` is `gpt 4 o`, `405B` is `405 b` and `3.1` is `3 1`: the
//! query parser turns such a query word into a phrase, so `405B` finds both `405B` and the
//! transcribed `405 b`. Offsets point into the original text, which the snippets rely on.

use super::short_words::ShortWords;
use rustc_hash::FxHashMap;
use std::cell::RefCell;
use tantivy::Index;
use tantivy::tokenizer::{Language, RawTokenizer, Stemmer, TextAnalyzer, Token, TokenStream, Tokenizer};
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// The name the analyzer is registered under in the index.
pub const ANALYZER_NAME: &str = "talksearch";

/// Words longer than this many bytes (base64 blobs, URLs without spaces) are not indexed.
const MAX_TOKEN_BYTES: usize = 64;

/// Distinct words whose stems one thread remembers before it starts afresh.
const STEM_CACHE_WORDS: usize = 100_000;

/// Distinct words a thread stems before it puts a [`ShortWords`] table in front of its map. A
/// search stems a few dozen words, and each would touch a page of the table for the first time.
const SHORT_WORDS_AFTER: usize = 2_000;

thread_local! {
    // Stemming is the costliest step of indexing, and a transcript says the same few thousand
    // words again and again: each thread stems a word once.
    static STEMS: RefCell<Stems> = RefCell::new(Stems {
        stemmer: TextAnalyzer::builder(RawTokenizer::default()).filter(Stemmer::new(Language::English)).build(),
        short: None,
        all: FxHashMap::default(),
    });
}

/// One thread's stemmer and the stems it made.
struct Stems {
    stemmer: TextAnalyzer,
    /// The stems of the common words, found without a trip to memory, once the thread has
    /// stemmed [`SHORT_WORDS_AFTER`] words.
    short: Option<ShortWords>,
    /// Every word stemmed, up to [`STEM_CACHE_WORDS`].
    all: FxHashMap<String, String>,
}

/// Builds the analyzer chain: [`WordTokenizer`], words of [`MAX_TOKEN_BYTES`] or more dropped,
/// then English (Porter2) stemming.
pub fn analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(StemmedWordTokenizer).build()
}

/// Replaces a folded word by its stem.
fn stem_in_place(word: &mut String) {
    STEMS.with(|cell| {
        let Stems { stemmer, short, all } = &mut *cell.borrow_mut();
        if let Some(stem) = short.as_ref().and_then(|short| short.get(word)) {
            word.clear();
            word.push_str(stem);
            return;
        }
        let stem = match all.get(word.as_str()) {
            Some(stem) => stem.clone(),
            None => {
                let mut stem = word.clone();
                let mut stream = stemmer.token_stream(word);
                if stream.advance() {
                    stem.clone_from(&stream.token().text);
                }
                drop(stream);
                if all.len() >= STEM_CACHE_WORDS {
                    all.clear();
                }
                all.insert(word.clone(), stem.clone());
                stem
            }
        };
        if short.is_none() && all.len() >= SHORT_WORDS_AFTER {
            *short = Some(ShortWords::default());
        }
        if let Some(short) = short {
            short.insert(word, &stem);
        }
        *word = stem;
    });
}

/// Registers the analyzer with `index`; needed on every open, as tantivy does not persist it.
pub fn register(index: &Index) {
    index.tokenizers().register(ANALYZER_NAME, analyzer());
}

/// Runs the analyzer over `text`, calling `each` with every token (offsets into `text`).
pub fn for_each_token(analyzer: &mut TextAnalyzer, text: &str, mut each: impl FnMut(&Token)) {
    let mut stream = analyzer.token_stream(text);
    while stream.advance() {
        each(stream.token());
    }
}

/// The folded form of one word: NFKC, lower case, without diacritics.
pub fn fold_word(word: &str, out: &mut String) {
    out.clear();
    if word.is_ascii() {
        out.push_str(word);
        out.make_ascii_lowercase();
        return;
    }
    let lowered: String = word.nfkc().flat_map(char::to_lowercase).collect();
    out.extend(lowered.nfd().filter(|&c| !is_combining_mark(c)).filter(|c| c.is_alphanumeric()));
}

/// Whether every word of `text` is ASCII, its other characters being punctuation, symbols or
/// spaces (curly quotes, dashes, ellipses): then a scan of its bytes finds the words
/// [`WordTokenizer`] finds.
pub fn words_are_ascii(text: &str) -> bool {
    text.is_ascii() || text.chars().all(|c| c.is_ascii() || !is_word_char(c))
}

fn is_word_char(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphanumeric();
    }
    c.is_alphanumeric() || is_combining_mark(c)
}

/// A word character that may start a word: not a combining mark.
fn starts_word(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphanumeric();
    }
    c.is_alphanumeric() && !is_combining_mark(c)
}

/// Length of the word at the start of `text`: up to a non-word character or a change between
/// digits and letters.
fn word_end(text: &str) -> usize {
    let mut digits: Option<bool> = None;
    for (i, c) in text.char_indices() {
        if !is_word_char(c) {
            return i;
        }
        if !c.is_ascii() && is_combining_mark(c) {
            continue;
        }
        let is_digit = c.is_numeric();
        if digits.is_some_and(|d| d != is_digit) {
            return i;
        }
        digits = Some(is_digit);
    }
    text.len()
}

/// Splits text into words of letters, digits and combining marks, each folded.
#[derive(Clone, Default)]
pub struct WordTokenizer;

/// The token stream of [`WordTokenizer`].
pub struct WordTokenStream<'a> {
    text: &'a str,
    cursor: usize,
    token: Token,
}

impl Tokenizer for WordTokenizer {
    type TokenStream<'a> = WordTokenStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> WordTokenStream<'a> {
        // Position wraps to 0 on the first token.
        let token = Token { position: usize::MAX, ..Token::default() };
        WordTokenStream { text, cursor: 0, token }
    }
}

impl TokenStream for WordTokenStream<'_> {
    fn advance(&mut self) -> bool {
        loop {
            let rest = &self.text[self.cursor..];
            let Some(start) = rest.find(starts_word) else {
                self.cursor = self.text.len();
                return false;
            };
            let start = self.cursor + start;
            let end = start + word_end(&self.text[start..]);
            self.cursor = end;
            fold_word(&self.text[start..end], &mut self.token.text);
            if self.token.text.is_empty() {
                continue;
            }
            self.token.offset_from = start;
            self.token.offset_to = end;
            self.token.position = self.token.position.wrapping_add(1);
            return true;
        }
    }

    fn token(&self) -> &Token {
        &self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.token
    }
}

/// [`WordTokenizer`] with long words dropped and the rest stemmed: the whole analyzer.
#[derive(Clone, Default)]
pub struct StemmedWordTokenizer;

/// The token stream of [`StemmedWordTokenizer`].
pub struct StemmedWordTokenStream<'a> {
    words: WordTokenStream<'a>,
}

impl Tokenizer for StemmedWordTokenizer {
    type TokenStream<'a> = StemmedWordTokenStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> StemmedWordTokenStream<'a> {
        let token = Token { position: usize::MAX, ..Token::default() };
        StemmedWordTokenStream { words: WordTokenStream { text, cursor: 0, token } }
    }
}

impl TokenStream for StemmedWordTokenStream<'_> {
    fn advance(&mut self) -> bool {
        while self.words.advance() {
            // A dropped word still takes its position, so phrases do not close over it.
            if self.words.token.text.len() < MAX_TOKEN_BYTES {
                stem_in_place(&mut self.words.token.text);
                return true;
            }
        }
        false
    }

    fn token(&self) -> &Token {
        &self.words.token
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.words.token
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn terms(text: &str) -> Vec<String> {
        let mut analyzer = analyzer();
        let mut out = Vec::new();
        for_each_token(&mut analyzer, text, |t| out.push(t.text.clone()));
        out
    }

    #[test]
    fn stems_word_forms_together() {
        let forms = terms("commoditize commoditization commoditizing");
        assert!(forms.iter().all(|t| t == &forms[0]), "{forms:?}");
        assert_eq!(terms("distillation"), terms("distilling"));
    }

    #[test]
    fn stems_stay_the_same_once_the_short_word_table_is_in_front() {
        // Letters only, so that each is one word: "ba", "ca", … then "bba", …
        let word = |mut n: usize| {
            let mut word = String::from("ing");
            loop {
                word.insert(0, char::from(b'a' + (n % 26) as u8));
                n /= 26;
                if n == 0 {
                    return word;
                }
            }
        };
        let words: Vec<String> = (0..SHORT_WORDS_AFTER + 100).map(word).chain(["running".to_string()]).collect();
        let first: Vec<Vec<String>> = words.iter().map(|w| terms(w)).collect();
        let again: Vec<Vec<String>> = words.iter().map(|w| terms(w)).collect();
        assert_eq!(first, again);
        assert_eq!(again.last().unwrap(), &["run"]);
        STEMS.with(|stems| assert!(stems.borrow().short.is_some(), "the table is in front by now"));
    }

    #[test]
    fn folds_case_diacritics_and_compatibility_forms() {
        assert_eq!(terms("Café"), terms("cafe"));
        assert_eq!(terms("cafe\u{301}"), terms("café"), "NFD input folds like NFC");
        assert_eq!(terms("ＬＬＡＭＡ"), terms("llama"), "full-width letters fold");
        assert_eq!(terms("ﬁne"), terms("fine"), "ligatures fold");
    }

    #[test]
    fn keeps_model_names_and_numbers() {
        assert_eq!(terms("Llama 3.1 405B GPT-4o"), ["llama", "3", "1", "405", "b", "gpt", "4", "o"]);
        assert_eq!(terms("405B"), terms("405 b"), "a transcribed split matches");
    }

    #[test]
    fn long_words_are_dropped_and_keep_their_position() {
        let long = "x".repeat(MAX_TOKEN_BYTES);
        let text = format!("models {long} running");
        let mut analyzer = analyzer();
        let mut tokens = Vec::new();
        for_each_token(&mut analyzer, &text, |t| tokens.push((t.text.clone(), t.position)));
        assert_eq!(tokens, [("model".to_string(), 0), ("run".to_string(), 2)]);
    }

    #[test]
    fn offsets_point_into_the_original_text() {
        let text = "Meta’s café, “distillation”";
        let mut analyzer = analyzer();
        let mut words = Vec::new();
        for_each_token(&mut analyzer, text, |t| words.push(&text[t.offset_from..t.offset_to]));
        assert_eq!(words, ["Meta", "s", "café", "distillation"]);
    }
}
