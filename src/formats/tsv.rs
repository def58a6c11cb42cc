//! (being written)

use super::{ParseError, ParseErrorKind};
use crate::model::Talk;

/// Parses the format.
pub fn parse(text: &str) -> Result<Talk, ParseError> {
    let _ = text;
    Err(ParseError::new(1, ParseErrorKind::NoTranscript))
}

/// True when the start of a file looks like this format.
pub fn looks_like(head: &str) -> bool {
    let _ = head;
    false
}
