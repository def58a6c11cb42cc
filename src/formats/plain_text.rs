//! Plain text: each paragraph is one turn, speaker unknown, times estimated later.

use super::{ParseError, ParseErrorKind, paragraphs};
use crate::model::{Talk, Turn};

/// Parses plain text, one turn per blank-line-separated paragraph.
pub fn parse(text: &str) -> Result<Talk, ParseError> {
    if text.trim().is_empty() {
        return Err(ParseError::new(1, ParseErrorKind::Empty));
    }
    let turns = paragraphs(text).into_iter().map(|p| Turn { text: p.text, line: p.line, ..Turn::default() }).collect();
    Ok(Talk { turns, ..Talk::default() })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_turn_per_paragraph() {
        let talk = parse("First line\ncontinues.\n\n\nSecond.\n").unwrap();
        let turns: Vec<(&str, usize)> = talk.turns.iter().map(|t| (t.text.as_str(), t.line)).collect();
        assert_eq!(turns, vec![("First line continues.", 1), ("Second.", 5)]);
    }

    #[test]
    fn rejects_blank_text() {
        assert_eq!(parse(" \n\n").unwrap_err().kind, ParseErrorKind::Empty);
    }
}
