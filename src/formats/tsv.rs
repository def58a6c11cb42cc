//! Whisper's tab-separated output: a header, then one segment per row, times in integer
//! milliseconds (tabs shown as `\t`):
//!
//! ```text
//! start\tend\ttext
//! 0\t26700\tGood afternoon, fellow conscious beings here and on the devices.
//! 26700\t31740\tI'm very happy and very honored to give this presentation tonight.
//! ```
//! The header may be missing; rows are then `start`, `end`, `text`. A header may also name the
//! columns in another order and add a `speaker` column. Text may carry HTML entities and tags,
//! which are removed. A row whose times are not whole milliseconds is an error on its line.

use super::cues::{Cue, join_cues};
use super::markup::strip_tags_and_entities;
use super::{ParseError, ParseErrorKind};
use crate::model::Talk;

/// A time later than a year into a recording is garbage, not a time. Refusing it also keeps
/// the arithmetic of turn joining and time estimation far from overflowing.
const LATEST_PLAUSIBLE_MILLIS: u64 = 365 * 24 * 60 * 60 * 1000;

/// How much of a bad row the error quotes.
const MAX_QUOTED_CHARS: usize = 80;

/// True when the first line of `head` is a `start\tend\ttext` header or a `<ms>\t<ms>\t…` row.
pub fn looks_like(head: &str) -> bool {
    let Some(first) = head.trim_start_matches('\u{feff}').lines().find(|line| !line.trim().is_empty()) else {
        return false;
    };
    Columns::from_header(first).is_some()
        || (first.matches('\t').count() >= 2 && Columns::WHISPER.times(first).is_some())
}

/// Where each field is in a row.
struct Columns {
    start: usize,
    end: usize,
    text: usize,
    speaker: Option<usize>,
}

impl Columns {
    /// Whisper's own order, also used when there is no header.
    const WHISPER: Columns = Columns { start: 0, end: 1, text: 2, speaker: None };

    /// Columns named by a header line; `None` unless it names `start`, `end` and `text`.
    fn from_header(line: &str) -> Option<Columns> {
        let names: Vec<String> = line.split('\t').map(|name| name.trim().to_ascii_lowercase()).collect();
        let position = |wanted: &str| names.iter().position(|name| name == wanted);
        Some(Columns {
            start: position("start")?,
            end: position("end")?,
            text: position("text")?,
            speaker: position("speaker"),
        })
    }

    /// Start and end of a row, in milliseconds; `None` unless both are whole numbers.
    fn times(&self, row: &str) -> Option<(u64, u64)> {
        let fields: Vec<&str> = row.split('\t').collect();
        let millis = |index: usize| -> Option<u64> {
            let field = fields.get(index)?.trim();
            if field.is_empty() || !field.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            field.parse().ok().filter(|&millis| millis <= LATEST_PLAUSIBLE_MILLIS)
        };
        Some((millis(self.start)?, millis(self.end)?))
    }

    /// A row as a cue, or `BadTiming` quoting it.
    fn cue(&self, row: &str, line: usize) -> Result<Cue, ParseError> {
        let Some((start, end)) = self.times(row) else {
            let quoted: String = row.trim().chars().take(MAX_QUOTED_CHARS).collect();
            return Err(ParseError::new(line, ParseErrorKind::BadTiming(quoted)));
        };
        let fields: Vec<&str> = row.split('\t').collect();
        // Whisper replaces tabs in the text, but other writers do not: when the text is the
        // last column, any further fields are part of it.
        let text_is_last = self.text > self.start.max(self.end).max(self.speaker.unwrap_or(0));
        let raw_text = if text_is_last {
            fields.get(self.text..).map(|rest| rest.join(" "))
        } else {
            fields.get(self.text).map(|text| text.to_string())
        };
        let speaker = self
            .speaker
            .and_then(|index| fields.get(index))
            .map(|name| name.trim())
            .filter(|name| !name.is_empty())
            .map(str::to_string);
        Ok(Cue {
            speaker,
            text: clean_text(raw_text.as_deref().unwrap_or_default()),
            start: Some(start),
            end: Some(end),
            line,
            ..Cue::default()
        })
    }
}

/// Parses Whisper TSV, with or without its header.
pub fn parse(text: &str) -> Result<Talk, ParseError> {
    let text = text.trim_start_matches('\u{feff}');
    if text.trim().is_empty() {
        return Err(ParseError::new(1, ParseErrorKind::Empty));
    }
    let mut rows = text
        .lines()
        .enumerate()
        .map(|(index, row)| (index + 1, row))
        .filter(|(_, row)| !row.trim().is_empty())
        .peekable();
    let columns = match rows.peek().and_then(|(_, first)| Columns::from_header(first)) {
        Some(columns) => {
            rows.next();
            columns
        }
        None => Columns::WHISPER,
    };
    let cues = rows.map(|(line, row)| columns.cue(row, line)).collect::<Result<Vec<Cue>, ParseError>>()?;
    let turns = join_cues(cues);
    if turns.is_empty() {
        return Err(ParseError::new(1, ParseErrorKind::NoTranscript));
    }
    Ok(Talk { turns, ..Talk::default() })
}

/// A row's words, free of markup, on one line.
fn clean_text(raw: &str) -> String {
    strip_tags_and_entities(raw).split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{TimeMark, Timestamp};

    fn kind(text: &str) -> ParseErrorKind {
        parse(text).expect_err("should not parse").kind
    }

    #[test]
    fn reads_whisper_tsv_with_its_header() {
        let talk = parse("start\tend\ttext\n0\t2000\tHello &amp; welcome.\n2000\t3500\tNext.\n").unwrap();
        assert_eq!(talk.turns.len(), 1);
        let turn = &talk.turns[0];
        assert_eq!(turn.text, "Hello & welcome. Next.");
        assert_eq!(turn.speaker, None);
        assert_eq!(turn.start, Some(Timestamp::exact(0)));
        assert_eq!(turn.end, Some(Timestamp::exact(3_500)));
        assert_eq!(turn.marks[1], TimeMark { offset: 17, millis: 2_000 });
        assert_eq!(turn.line, 2);
    }

    #[test]
    fn reads_rows_without_a_header_and_splits_on_long_pauses() {
        let talk = parse("0\t1000\tOne.\r\n\r\n1000\t2000\tTwo.\r\n60000\t61000\tLater.\r\n").unwrap();
        let turns: Vec<_> = talk.turns.iter().map(|t| (t.text.as_str(), t.line)).collect();
        assert_eq!(turns, [("One. Two.", 1), ("Later.", 4)]);
    }

    #[test]
    fn a_header_may_reorder_columns_and_name_speakers() {
        let talk = parse("speaker\tstart\tend\ttext\nAnn\t0\t900\tHi.\nBob\t900\t1500\tHey.\n").unwrap();
        let speakers: Vec<_> = talk.turns.iter().map(|t| t.speaker.as_deref()).collect();
        assert_eq!(speakers, [Some("Ann"), Some("Bob")]);
    }

    #[test]
    fn tabs_inside_the_last_column_stay_text() {
        let talk = parse("0\t1000\tone\ttwo\n").unwrap();
        assert_eq!(talk.turns[0].text, "one two");
    }

    #[test]
    fn a_bad_row_is_bad_timing_on_its_line() {
        let err = parse("start\tend\ttext\n0\t1000\tFine.\n\n1.5\t2000\tNot whole ms.\n").unwrap_err();
        assert_eq!(err.line, 4);
        assert_eq!(err.kind, ParseErrorKind::BadTiming("1.5\t2000\tNot whole ms.".into()));
        for bad in ["0\t-5\tx", "just words", "0\n", "99999999999999999999999\t1\tx", "0\t18446744073709551615\tx"] {
            assert!(matches!(kind(bad), ParseErrorKind::BadTiming(_)), "{bad:?}");
        }
    }

    #[test]
    fn empty_files_and_files_without_rows() {
        assert_eq!(kind(""), ParseErrorKind::Empty);
        assert_eq!(kind("\u{feff}\n \n"), ParseErrorKind::Empty);
        assert_eq!(kind("start\tend\ttext\n"), ParseErrorKind::NoTranscript);
        assert_eq!(kind("start\tend\ttext\n0\t10\t \n"), ParseErrorKind::NoTranscript);
    }

    #[test]
    fn detects_the_header_or_a_timed_row() {
        assert!(looks_like("start\tend\ttext\n0\t1\tx"));
        assert!(looks_like("\u{feff}0\t26700\tGood afternoon"));
        assert!(!looks_like("0\t26700"));
        assert!(!looks_like("start end text"));
        assert!(!looks_like("WEBVTT\n"));
        assert!(!looks_like(""));
    }

    const WHISPER_FIXTURE: &str = include_str!("../../tests/fixtures/tsv/whisper.tsv");
    const NO_HEADER_FIXTURE: &str = include_str!("../../tests/fixtures/tsv/no_header.tsv");

    #[test]
    fn fixtures_parse() {
        let talk = parse(WHISPER_FIXTURE).unwrap();
        // 31740 to 45000 ms is a pause long enough to start a new turn.
        assert_eq!(talk.turns.len(), 2);
        assert!(talk.turns[0].text.contains("I'm very happy & very honored"));
        assert_eq!(talk.turns[1].start, Some(Timestamp::exact(45_000)));
        let talk = parse(NO_HEADER_FIXTURE).unwrap();
        assert!(talk.turns[0].text.starts_with("Hey, danke für"));
        assert_eq!(talk.turns[0].end, Some(Timestamp::exact(8_600)));
    }

    #[test]
    fn bad_row_fixture() {
        let err = parse(include_str!("../../tests/fixtures/tsv/bad_row.tsv")).unwrap_err();
        assert_eq!(err.line, 3);
        assert!(matches!(err.kind, ParseErrorKind::BadTiming(_)));
    }

    #[test]
    fn never_panics_on_a_truncated_fixture() {
        for text in [WHISPER_FIXTURE, NO_HEADER_FIXTURE] {
            for (cut, _) in text.char_indices() {
                if let Err(err) = parse(&text[..cut]) {
                    assert!(err.line >= 1);
                }
            }
        }
    }
}
