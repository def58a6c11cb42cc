//! SubRip (`.srt`) subtitles.
//!
//! ```text
//! 1                                       (cue number)
//! 00:00:26,700 --> 00:00:31,740           (comma or dot before the milliseconds)
//! <i>Text</i>, <font color="#fff">more</font>   (one or more lines)
//!                                         (blank line)
//! ```
//!
//! Quirks handled: a byte order mark, CRLF line endings, HTML-ish tags and `{\an8}` position
//! overrides, entities, coordinates after the end time, and cues run together without the blank
//! line between them (a number line followed by a timing line starts a new cue regardless).
//! Speakers are read like WebVTT's: a `Name: ` prefix at the start of a cue (1-3 capitalised
//! words), and `- ` or `>> ` at the start of a line for an unnamed change of speaker.

use super::cues::join_cues;
use super::webvtt::{
    RawCue, bad_timing, is_blank, is_cue_number, looks_like_broken_timing, parse_timing, prepare_line, timed_cues,
};
use super::{ParseError, ParseErrorKind};
use crate::model::Talk;

const ARROW: &str = "-->";

/// True when the first non-empty line of `head` is a number and the next is a timing line.
pub fn looks_like(head: &str) -> bool {
    let mut lines = head.trim_start_matches('\u{feff}').lines().map(str::trim).skip_while(|line| line.is_empty());
    let number = lines.next().is_some_and(is_cue_number);
    number && lines.next().is_some_and(|line| parse_timing(line).is_some())
}

/// Parses a SubRip file.
pub fn parse(text: &str) -> Result<Talk, ParseError> {
    let text = text.trim_start_matches('\u{feff}');
    if is_blank(text) {
        return Err(ParseError::new(1, ParseErrorKind::Empty));
    }
    let raw_cues = read_cues(text)?;
    let cues: Vec<_> = raw_cues
        .iter()
        .flat_map(|raw| {
            let lines: Vec<_> = raw.lines.iter().map(|&(number, line)| prepare_line(number, line)).collect();
            timed_cues(raw.start, raw.end, &lines)
        })
        .collect();
    if cues.is_empty() {
        return Err(ParseError::new(1, ParseErrorKind::NoTranscript));
    }
    Ok(Talk { turns: join_cues(cues), ..Talk::default() })
}

/// Reads the cues line by line. A timing line is expected at the start of the file, after a
/// blank line and after a cue number; elsewhere a `-->` line is a timing line only when it
/// starts with a time, so that speech quoting an arrow stays speech.
fn read_cues(text: &str) -> Result<Vec<RawCue<'_>>, ParseError> {
    let lines: Vec<(usize, &str)> = text.lines().enumerate().map(|(i, l)| (i + 1, l)).collect();
    let mut cues: Vec<RawCue> = Vec::new();
    let mut timing_expected = true;
    for (index, &(number, line)) in lines.iter().enumerate() {
        let trimmed = line.trim();
        if trimmed.is_empty() {
            timing_expected = true;
            continue;
        }
        let next = lines.get(index + 1).map(|&(_, l)| l.trim());
        if is_cue_number(trimmed) && next.is_some_and(|l| l.contains(ARROW) || looks_like_broken_timing(l)) {
            timing_expected = true;
            continue;
        }
        let is_timing = if trimmed.contains(ARROW) {
            timing_expected || starts_with_time(trimmed)
        } else {
            timing_expected && looks_like_broken_timing(trimmed)
        };
        timing_expected = false;
        if is_timing {
            let (start, end) = parse_timing(trimmed).ok_or_else(|| bad_timing(number, line))?;
            cues.push(RawCue { start, end, lines: Vec::new() });
        } else if let Some(cue) = cues.last_mut() {
            // Text after a blank line inside a cue still belongs to it.
            cue.lines.push((number, line));
        }
    }
    Ok(cues)
}

/// True when `line` opens with something shaped like a clock (`00:00:01,000`).
fn starts_with_time(line: &str) -> bool {
    line.split(ARROW).next().is_some_and(|before| {
        let before = before.trim();
        before.contains(':') && before.starts_with(|c: char| c.is_ascii_digit())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Timestamp, Turn};

    fn texts(turns: &[Turn]) -> Vec<&str> {
        turns.iter().map(|t| t.text.as_str()).collect()
    }

    fn starts(turn: &Turn) -> Vec<u64> {
        turn.marks.iter().map(|m| m.millis).collect()
    }

    #[test]
    fn reads_bom_crlf_tags_and_both_decimal_marks() {
        let talk = parse(include_str!("../../tests/fixtures/srt/basic.srt")).unwrap();
        assert_eq!(texts(&talk.turns), ["Hello and welcome to the show, it's good to have you. We begin now."]);
        let turn = &talk.turns[0];
        assert_eq!(starts(turn), [1_000, 3_250, 6_100]);
        assert_eq!(turn.start, Some(Timestamp::exact(1_000)));
        assert_eq!(turn.end, Some(Timestamp::exact(8_000)));
        assert_eq!(turn.line, 3);
    }

    #[test]
    fn cues_run_together_without_blank_lines() {
        let talk = parse(include_str!("../../tests/fixtures/srt/no_blank_lines.srt")).unwrap();
        assert_eq!(texts(&talk.turns), ["First cue. Second cue on two lines. 3 little pigs. Third."]);
        assert_eq!(starts(&talk.turns[0]), [1_000, 2_500, 4_000]);
    }

    #[test]
    fn name_prefixes_and_dashes_mark_speakers() {
        let talk = parse(include_str!("../../tests/fixtures/srt/speakers.srt")).unwrap();
        let shape: Vec<(Option<&str>, &str)> =
            talk.turns.iter().map(|t| (t.speaker.as_deref(), t.text.as_str())).collect();
        assert_eq!(
            shape,
            [
                (Some("Lex Fridman"), "Welcome. Let's begin: the first question."),
                (Some("Joscha Bach"), "Thank you."),
                (None, "Are you sure?"),
                (None, "Quite sure."),
            ]
        );
        assert_eq!(talk.turns[3].start, Some(Timestamp::exact(7_000)));
    }

    #[test]
    fn broken_timing_is_an_error_on_its_line() {
        let err = parse(include_str!("../../tests/fixtures/srt/broken_timing.srt")).unwrap_err();
        assert_eq!(err.line, 6);
        assert!(
            matches!(err.kind, ParseErrorKind::BadTiming(ref t) if t == "00:00:02,000 --> 00:00:0x,000"),
            "{err:?}"
        );
        let err = parse("1\n00:00:01,000 - 00:00:02,000\nHi\n").unwrap_err();
        assert_eq!((err.line, matches!(err.kind, ParseErrorKind::BadTiming(_))), (2, true));
    }

    #[test]
    fn arrows_inside_speech_stay_speech() {
        let talk = parse("1\n00:00:01,000 --> 00:00:02,000\nthe map goes a --> b\n").unwrap();
        assert_eq!(texts(&talk.turns), ["the map goes a --> b"]);
    }

    #[test]
    fn empty_and_cueless_files() {
        assert_eq!(parse("\u{feff}\r\n").unwrap_err().kind, ParseErrorKind::Empty);
        assert_eq!(parse("just some words\n").unwrap_err().kind, ParseErrorKind::NoTranscript);
    }

    #[test]
    fn detects_number_then_timing() {
        assert!(looks_like("\u{feff}1\r\n00:00:01,000 --> 00:00:02,000\r\nHi\r\n"));
        assert!(looks_like("\n1\n00:00:01.000 --> 00:00:02.000\n"));
        assert!(!looks_like("WEBVTT\n\n00:01.000 --> 00:02.000\n"));
        assert!(!looks_like("1\nHello\n"));
        assert!(!looks_like(""));
    }

    #[test]
    fn never_panics_on_truncated_input() {
        for fixture in [
            include_str!("../../tests/fixtures/srt/basic.srt"),
            include_str!("../../tests/fixtures/srt/speakers.srt"),
            include_str!("../../tests/fixtures/srt/no_blank_lines.srt"),
        ] {
            for (end, _) in fixture.char_indices() {
                let _ = parse(&fixture[..end]);
                let _ = parse(&fixture[end..]);
            }
        }
    }
}
