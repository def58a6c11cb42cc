//! Output: hits and summaries in, bytes out. Knows nothing of tantivy or the command line.

pub mod json;
pub mod progress;
pub mod text;

/// Replaces what must never reach a terminal raw (control characters, bidi overrides,
/// zero-width characters: transcripts are untrusted input) with `�`; tabs and newlines become
/// spaces.
pub fn sanitize(text: &str) -> std::borrow::Cow<'_, str> {
    let unsafe_char = |c: char| {
        c.is_control()
            || matches!(c, '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{feff}')
    };
    if !text.chars().any(unsafe_char) {
        return std::borrow::Cow::Borrowed(text);
    }
    text.chars()
        .map(|c| match c {
            '\t' | '\n' | '\r' => ' ',
            c if unsafe_char(c) => '\u{fffd}',
            c => c,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::sanitize;

    #[test]
    fn neutralises_terminal_escapes_and_bidi() {
        assert_eq!(sanitize("plain"), "plain");
        assert_eq!(sanitize("a\x1b[31mred\x07\tb\u{202e}c"), "a\u{fffd}[31mred\u{fffd} b\u{fffd}c");
    }
}
