//! JSON transcripts: Whisper results, lists of timed segments and YouTube transcript lists.
//!
//! The shape is recognised from the JSON itself, never from the file name. Every accepted shape
//! comes down to a list of segment objects, and every segment is read the same way: `text`,
//! `start` or `timestamp`, `end` or `duration`, `speaker`, `words`.
//!
//! 1. An OpenAI Whisper result object. Times are float seconds and `text` has a leading space.
//!    WhisperX adds a `speaker` per segment and timed `words`, which become word marks:
//!    ```json
//!    {"text": " Hello there.", "language": "en",
//!     "segments": [{"id": 0, "seek": 0, "start": 0.0, "end": 1.5, "text": " Hello there.",
//!                   "tokens": [50364, 2425], "speaker": "SPEAKER_00",
//!                   "words": [{"word": " Hello", "start": 0.0, "end": 0.4, "probability": 0.9},
//!                             {"word": " there.", "start": 0.5, "end": 1.5}]}]}
//!    ```
//! 2. A list of `{timestamp | start, speaker, text}` objects. A time is a number of seconds or a
//!    clock string; each field may be missing, and a nameless entry continues the speaker before:
//!    ```json
//!    [{"timestamp": "0:04:22.5", "speaker": "Ann Lee", "text": "Welcome back."},
//!     {"start": 270, "text": "Where were we?"}]
//!    ```
//! 3. A YouTube transcript list, seconds as floats:
//!    ```json
//!    [{"text": "so today we&#39;re", "start": 0.32, "duration": 2.64}]
//!    ```
//! 4. An object holding such a list under `segments`, `transcript`, `results` or `captions`,
//!    such as orbit.fm's `{"podcast": "BookBytes", "episode": "35", "transcript": [...]}`. Its
//!    `title`, `podcast` (or `show`) and `date` strings become the talk's.
//!
//! Text loses HTML tags, entities and Markdown link targets. Hand-edited files have typos in
//! their times; these are repaired: `0:35:45:9` (a colon for the decimal point), `:12:34.5`
//! (the hour lost), `0:48:42.2` followed by a stray backtick, and SubRip ranges
//! `00:01:19,880 --> 00:01:53.1` (start and end). A time that still cannot be read (`""`,
//! `"0 = 3x + "`), is negative or lies more than a year in leaves that segment untimed instead
//! of failing the whole file; the caller estimates it later, as for any untimed segment.

use super::clock::parse_clock;
use super::cues::{Cue, join_cues};
use super::markup::strip_tags_and_entities;
use super::{ParseError, ParseErrorKind};
use crate::model::{Talk, TimeMark};
use serde::Deserialize;
use serde_json::Value;

/// Keys under which an object may hold its list of segments, most specific first.
const SEGMENT_LIST_KEYS: &[&str] = &["segments", "transcript", "results", "captions"];

/// A time later than a year into a recording is garbage, not a time. Refusing it also keeps
/// the arithmetic of turn joining and time estimation far from overflowing.
const LATEST_PLAUSIBLE_MILLIS: u64 = 365 * 24 * 60 * 60 * 1000;

/// What the error for valid JSON of another shape says was expected.
const EXPECTED_SHAPE: &str = "expected a Whisper result ({\"segments\": [...]}), a list of \
    {\"start\" or \"timestamp\", \"text\"} objects, or an object holding such a list under \
    \"segments\", \"transcript\", \"results\" or \"captions\"";

/// True when `head` (the start of a file) starts like JSON: with `[` or `{`.
pub fn looks_like(head: &str) -> bool {
    head.trim_start_matches('\u{feff}').trim_start().starts_with(['[', '{'])
}

/// Parses any of the JSON shapes described in the module documentation.
pub fn parse(text: &str) -> Result<Talk, ParseError> {
    // serde_json rejects a byte order mark; it holds no newline, so line numbers stay right.
    let text = text.trim_start_matches('\u{feff}');
    if text.trim().is_empty() {
        return Err(ParseError::new(1, ParseErrorKind::Empty));
    }
    let document: Value = serde_json::from_str(text)
        .map_err(|err| ParseError::new(err.line().max(1), ParseErrorKind::BadJson(err.to_string())))?;
    let (segments, list_key) = find_segment_list(&document).ok_or_else(|| {
        let found = describe(&document);
        ParseError::new(1, ParseErrorKind::BadJson(format!("{EXPECTED_SHAPE}; found {found}")))
    })?;
    let lines = segment_lines(text, list_key);
    let mut cues = Vec::with_capacity(segments.len());
    for (index, value) in segments.iter().enumerate() {
        let line = lines.get(index).copied().unwrap_or(1);
        let segment = Segment::deserialize(value).map_err(|err| {
            let message = format!("segment {}: {err}", index + 1);
            ParseError::new(line, ParseErrorKind::BadJson(message))
        })?;
        cues.push(segment.into_cue(line));
    }
    let turns = join_cues(cues);
    if turns.is_empty() {
        return Err(ParseError::new(1, ParseErrorKind::NoTranscript));
    }
    Ok(Talk {
        title: metadata(&document, &["title"]),
        show: metadata(&document, &["podcast", "show"]),
        date: metadata(&document, &["date"]),
        turns,
        ..Talk::default()
    })
}

/// One timed piece of speech, whichever shape it came from. Unknown fields (`id`, `tokens`,
/// `avg_logprob` …) are ignored.
#[derive(Deserialize)]
struct Segment {
    text: Option<String>,
    start: Option<Time>,
    timestamp: Option<Time>,
    end: Option<Time>,
    duration: Option<Time>,
    speaker: Option<Speaker>,
    words: Option<Vec<Word>>,
}

/// A word with its time (Whisper with `word_timestamps`, WhisperX).
#[derive(Deserialize)]
struct Word {
    word: Option<String>,
    start: Option<Time>,
}

/// A time as JSON transcripts write it.
#[derive(Deserialize)]
#[serde(untagged)]
enum Time {
    /// Seconds: `262.5`.
    Seconds(f64),
    /// A clock (`"0:04:22.5"`), seconds in a string (`"262.5"`) or a SubRip range.
    Text(String),
}

/// A speaker as JSON transcripts write it: a name, or a diarization number.
#[derive(Deserialize)]
#[serde(untagged)]
enum Speaker {
    Name(String),
    Number(i64),
}

impl Segment {
    fn into_cue(self, line: usize) -> Cue {
        // The first readable of `start` and `timestamp`; a range also gives the end.
        let (start, range_end) = [&self.start, &self.timestamp]
            .into_iter()
            .flatten()
            .map(Time::range)
            .find(|(start, _)| start.is_some())
            .unwrap_or((None, None));
        let duration_end = match (start, self.duration.as_ref().and_then(Time::millis)) {
            (Some(start), Some(duration)) => start.checked_add(duration),
            _ => None,
        };
        let end = self.end.as_ref().and_then(Time::millis).or(range_end).or(duration_end);
        let text = clean_text(self.text.as_deref().unwrap_or_default());
        let marks = word_marks(&text, self.words.as_deref().unwrap_or_default());
        Cue { speaker: self.speaker.and_then(Speaker::into_name), speaker_change: false, text, start, end, marks, line }
    }
}

impl Time {
    /// Start and, for a `a --> b` range, end in milliseconds; `None` where unreadable.
    fn range(&self) -> (Option<u64>, Option<u64>) {
        match self {
            Time::Seconds(seconds) => (seconds_to_millis(*seconds), None),
            Time::Text(text) => match text.split_once("-->") {
                Some((start, end)) => (read_time_text(start), read_time_text(end)),
                None => (read_time_text(text), None),
            },
        }
    }

    fn millis(&self) -> Option<u64> {
        self.range().0
    }
}

impl Speaker {
    fn into_name(self) -> Option<String> {
        match self {
            Speaker::Name(name) => {
                let name = name.split_whitespace().collect::<Vec<_>>().join(" ");
                (!name.is_empty()).then_some(name)
            }
            // A bare number would read as nothing in a hit listing; diarized transcripts
            // (including orbit.fm's) write unknown voices as `Speaker 0`.
            Speaker::Number(number) => Some(format!("Speaker {number}")),
        }
    }
}

/// Milliseconds from seconds; `None` unless finite and between zero and a year.
fn seconds_to_millis(seconds: f64) -> Option<u64> {
    let millis = (seconds * 1000.0).round();
    let plausible = millis.is_finite() && (0.0..=LATEST_PLAUSIBLE_MILLIS as f64).contains(&millis);
    plausible.then_some(millis as u64)
}

/// Reads seconds (`"262.5"`) or a clock, repairing the typos hand-edited files have.
fn read_time_text(text: &str) -> Option<u64> {
    let text = text.trim();
    if let Ok(seconds) = text.parse::<f64>() {
        return seconds_to_millis(seconds);
    }
    // Only the first word: what follows is a typo (orbit.fm has `0:48:42.2` and a backtick).
    let clock = text.split_whitespace().next()?;
    if let Some(millis) = parse_clock(clock) {
        return Some(millis);
    }
    let mut repaired = clock.to_string();
    if repaired.starts_with(':') {
        // `:12:34.5`: the hour was lost.
        repaired.insert(0, '0');
    }
    if repaired.matches(':').count() == 3 && !repaired.contains(['.', ',']) {
        // `0:35:45:9`: a colon typed for the decimal point.
        if let Some(last_colon) = repaired.rfind(':') {
            repaired.replace_range(last_colon..=last_colon, ".");
        }
    }
    parse_clock(&repaired)
}

/// The segment's words, free of markup, on one line.
fn clean_text(raw: &str) -> String {
    strip_markdown_links(&strip_tags_and_entities(raw)).split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `[label](target)` becomes `label`: orbit.fm writes Markdown links into what was said.
fn strip_markdown_links(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find('[') {
        let after = &rest[open + 1..];
        let link = after.find("](").and_then(|label_end| {
            let label = &after[..label_end];
            let target = &after[label_end + 2..];
            let target_end = target.find(')')?;
            let plausible =
                !label.contains(['[', ']']) && target_end > 0 && !target[..target_end].contains(char::is_whitespace);
            plausible.then_some((label, label_end + 2 + target_end + 1))
        });
        match link {
            Some((label, consumed)) => {
                out.push_str(&rest[..open]);
                out.push_str(label);
                rest = &after[consumed..];
            }
            None => {
                out.push_str(&rest[..=open]);
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// Marks at each timed word's offset in `text`. Words are looked up in order, each after the
/// one before, so a repeated word gets its own time; a word not found gets no mark.
fn word_marks(text: &str, words: &[Word]) -> Vec<TimeMark> {
    let mut marks = Vec::new();
    let mut searched_to = 0;
    for word in words {
        let spoken = clean_text(word.word.as_deref().unwrap_or_default());
        if spoken.is_empty() {
            continue;
        }
        let Some(offset) = find_word(text, searched_to, &spoken) else {
            continue;
        };
        searched_to = offset + spoken.len();
        if let Some(millis) = word.start.as_ref().and_then(Time::millis) {
            marks.push(TimeMark { offset, millis });
        }
    }
    marks
}

/// Byte offset of `word` in `text` at or after `from`, where it starts a word (so `a` is not
/// found inside `that`).
fn find_word(text: &str, from: usize, word: &str) -> Option<usize> {
    let mut at = from;
    loop {
        let offset = at + text.get(at..)?.find(word)?;
        let starts_word = text[..offset].chars().next_back().is_none_or(|before| !before.is_alphanumeric());
        if starts_word {
            return Some(offset);
        }
        at = offset + word.chars().next()?.len_utf8();
    }
}

/// The list of segments in `document`, with the key that holds it (`None` for a top-level
/// list). An empty list counts: it is the right shape with no transcript in it.
fn find_segment_list(document: &Value) -> Option<(&[Value], Option<&'static str>)> {
    match document {
        Value::Array(items) if is_segment_list(items) => Some((items, None)),
        Value::Object(fields) => SEGMENT_LIST_KEYS.iter().find_map(|&key| match fields.get(key) {
            Some(Value::Array(items)) if is_segment_list(items) => Some((items.as_slice(), Some(key))),
            _ => None,
        }),
        _ => None,
    }
}

/// Objects, at least one of them with `text`.
fn is_segment_list(items: &[Value]) -> bool {
    items.iter().all(Value::is_object) && (items.is_empty() || items.iter().any(|item| item.get("text").is_some()))
}

/// What a JSON value of the wrong shape is, for the error message.
fn describe(value: &Value) -> String {
    match value {
        Value::Object(fields) if fields.is_empty() => "an empty object".to_string(),
        Value::Object(fields) => {
            let keys: Vec<String> = fields.keys().take(8).map(|key| format!("{key:?}")).collect();
            format!("an object with keys {}", keys.join(", "))
        }
        Value::Array(_) => "a list of something other than segment objects with \"text\"".into(),
        Value::String(_) => "a string".to_string(),
        Value::Number(_) => "a number".to_string(),
        Value::Bool(_) => "a boolean".to_string(),
        Value::Null => "null".to_string(),
    }
}

/// The first of `keys` that the top-level object has as a non-empty string.
fn metadata(document: &Value, keys: &[&str]) -> Option<String> {
    keys.iter()
        .filter_map(|key| document.get(key)?.as_str())
        .map(str::trim)
        .find(|value| !value.is_empty())
        .map(str::to_string)
}

/// The 1-based line on which each object of the segment list starts: the top-level list, or
/// the list under `list_key` in the top-level object. serde_json values keep no positions, so
/// this is one pass over the text tracking nesting and strings; the text is known to be valid
/// JSON by the time it runs.
fn segment_lines(text: &str, list_key: Option<&str>) -> Vec<usize> {
    enum Container {
        Object,
        List { holds_segments: bool },
    }
    let bytes = text.as_bytes();
    let mut stack: Vec<Container> = Vec::new();
    let mut lines = Vec::new();
    let mut line = 1;
    // The key most recently read in the top-level object, and whether a key comes next.
    let mut top_level_key: Option<&str> = None;
    let mut expecting_key = false;
    let mut at = 0;
    while at < bytes.len() {
        match bytes[at] {
            b'\n' => line += 1,
            b'"' => {
                let string_start = at + 1;
                at += 1;
                while at < bytes.len() && bytes[at] != b'"' {
                    match bytes[at] {
                        b'\\' => at += 1,
                        b'\n' => line += 1,
                        _ => {}
                    }
                    at += 1;
                }
                if expecting_key && stack.len() == 1 {
                    top_level_key = text.get(string_start..at);
                }
            }
            b':' if stack.len() == 1 => expecting_key = false,
            b',' if stack.len() == 1 => expecting_key = matches!(stack[0], Container::Object),
            b'{' => {
                if let Some(Container::List { holds_segments: true }) = stack.last() {
                    lines.push(line);
                }
                stack.push(Container::Object);
                expecting_key = stack.len() == 1;
            }
            b'[' => {
                let holds_segments = match list_key {
                    None => stack.is_empty(),
                    Some(key) => matches!(stack.as_slice(), [Container::Object]) && top_level_key == Some(key),
                };
                if holds_segments {
                    // A repeated key: serde_json keeps the last list, and so does this.
                    lines.clear();
                }
                stack.push(Container::List { holds_segments });
            }
            b'}' | b']' => {
                stack.pop();
            }
            _ => {}
        }
        at += 1;
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Timestamp;

    fn kind(text: &str) -> ParseErrorKind {
        parse(text).expect_err("should not parse").kind
    }

    #[test]
    fn reads_a_whisper_result() {
        let text = r#"{"text": " Hello there. General Kenobi.", "segments": [
            {"id": 0, "seek": 0, "start": 0.0, "end": 1.5, "text": " Hello there.", "tokens": [1, 2],
             "temperature": 0.0, "avg_logprob": -0.2, "compression_ratio": 1.1, "no_speech_prob": 0.01},
            {"id": 1, "seek": 0, "start": 1.5, "end": 3.25, "text": " General Kenobi.", "tokens": [3]}
        ], "language": "en"}"#;
        let talk = parse(text).unwrap();
        assert_eq!(talk.turns.len(), 1);
        let turn = &talk.turns[0];
        assert_eq!(turn.text, "Hello there. General Kenobi.");
        assert_eq!(turn.speaker, None);
        assert_eq!(turn.start, Some(Timestamp::exact(0)));
        assert_eq!(turn.end, Some(Timestamp::exact(3_250)));
        assert_eq!(turn.marks, [TimeMark { offset: 0, millis: 0 }, TimeMark { offset: 13, millis: 1_500 }]);
        assert_eq!(turn.line, 2, "the line where the segment starts");
    }

    #[test]
    fn whisperx_words_become_marks_and_speakers_split_turns() {
        let text = r#"{"segments": [
            {"start": 0.5, "end": 2.0, "text": " That is a cat.", "speaker": "SPEAKER_00",
             "words": [{"word": " That", "start": 0.5, "end": 0.7, "probability": 0.9},
                       {"word": "is", "start": 0.8, "end": 0.9},
                       {"word": "a", "start": 1.0},
                       {"word": "7"},
                       {"word": "cat.", "start": 1.4, "end": 2.0}]},
            {"start": 2.5, "end": 3.0, "text": " Yes.", "speaker": "SPEAKER_01"}
        ]}"#;
        let talk = parse(text).unwrap();
        let speakers: Vec<_> = talk.turns.iter().map(|t| t.speaker.as_deref()).collect();
        assert_eq!(speakers, [Some("SPEAKER_00"), Some("SPEAKER_01")]);
        let first = &talk.turns[0];
        let marks: Vec<(usize, u64)> = first.marks.iter().map(|m| (m.offset, m.millis)).collect();
        // "That" at 0 is the segment start; "a" is found as a word, not inside "That".
        assert_eq!(marks, [(0, 500), (5, 800), (8, 1_000), (10, 1_400)]);
        assert_eq!(&first.text[10..], "cat.");
    }

    #[test]
    fn reads_a_list_with_clock_strings_and_speakers() {
        let text = r#"[
  {"text": "(Intro music)"},
  {"timestamp": "0:04:22.5", "speaker": "Ann Lee", "text": "Welcome &amp; hello."},
  {"timestamp": "00:04:30", "text": "Still <i>Ann</i>."},
  {"start": 300, "speaker": "Bob", "text": "Hi, see [the site](https://example.com/a)."}
]"#;
        let talk = parse(text).unwrap();
        let turns: Vec<_> =
            talk.turns.iter().map(|t| (t.speaker.as_deref(), t.text.as_str(), t.start, t.line)).collect();
        assert_eq!(
            turns,
            [
                (None, "(Intro music)", None, 2),
                (Some("Ann Lee"), "Welcome & hello. Still Ann.", Some(Timestamp::exact(262_500)), 3),
                (Some("Bob"), "Hi, see the site.", Some(Timestamp::exact(300_000)), 5),
            ]
        );
        assert_eq!(talk.turns[1].marks[1].millis, 270_000);
    }

    #[test]
    fn reads_a_youtube_transcript_list() {
        let text = r#"[{"text": "so today we&#39;re\ntalking", "start": 0.32, "duration": 2.64},
                       {"text": "[Music]", "start": 2.96, "duration": 1.0}]"#;
        let talk = parse(text).unwrap();
        let turn = &talk.turns[0];
        assert_eq!(turn.text, "so today we're talking [Music]");
        assert_eq!(turn.start, Some(Timestamp::exact(320)));
        assert_eq!(turn.end, Some(Timestamp::exact(3_960)));
    }

    #[test]
    fn reads_a_list_wrapped_in_an_object_with_its_metadata() {
        for key in SEGMENT_LIST_KEYS {
            let text = format!(
                r#"{{"podcast": "BookBytes", "episode": "35", "title": "Ruby", "{key}": [{{"start": 1, "text": "Hi."}}]}}"#
            );
            let talk = parse(&text).unwrap();
            assert_eq!(talk.turns[0].text, "Hi.", "{key}");
            assert_eq!(talk.show.as_deref(), Some("BookBytes"));
            assert_eq!(talk.title.as_deref(), Some("Ruby"));
        }
    }

    #[test]
    fn reads_repairable_time_typos_and_skips_unreadable_ones() {
        let cases = [
            ("0:35:45:9", Some(2_145_900)),
            (":12:34.5", Some(754_500)),
            ("0:48:42.2 `", Some(2_922_200)),
            ("0:12:15.10", Some(735_100)),
            ("12.5", Some(12_500)),
            ("00:01:19,880 --> 00:01:53.1", Some(79_880)),
            ("", None),
            ("0 = 3x + ", None),
            ("-4", None),
            ("1e300", None),
        ];
        for (timestamp, expected) in cases {
            let text = format!(r#"[{{"timestamp": "{timestamp}", "text": "Words."}}]"#);
            let talk = parse(&text).unwrap();
            let start = talk.turns[0].start.map(|t| t.millis);
            assert_eq!(start, expected, "{timestamp:?}");
        }
        let range = parse(r#"[{"timestamp": "00:01:19,880 --> 00:01:53.1", "text": "A."}]"#);
        assert_eq!(range.unwrap().turns[0].end, Some(Timestamp::exact(113_100)));
    }

    #[test]
    fn numbered_and_blank_speakers() {
        let talk = parse(r#"[{"speaker": 2, "text": "A."}, {"speaker": " ", "text": "B."}]"#).unwrap();
        assert_eq!(talk.turns.len(), 1, "a blank speaker continues the one before");
        assert_eq!(talk.turns[0].speaker.as_deref(), Some("Speaker 2"));
    }

    #[test]
    fn invalid_json_reports_its_line() {
        let err = parse("{\"segments\": [\n  {\"text\": \"a\"},\n  {\"text\": \n").unwrap_err();
        assert!(matches!(err.kind, ParseErrorKind::BadJson(_)), "{err:?}");
        assert_eq!(err.line, 4);
        let err = parse("[{\"text\": \"a\",, }]").unwrap_err();
        assert_eq!(err.line, 1);
    }

    #[test]
    fn unknown_shapes_say_what_was_expected() {
        for text in [r#"{"foo": 1}"#, "[1, 2]", r#""text""#, "{}", r#"[{"start": 1}]"#, r#"{"segments": "text"}"#] {
            match kind(text) {
                ParseErrorKind::BadJson(message) => {
                    assert!(message.contains("expected a Whisper result"), "{text}: {message}")
                }
                other => panic!("{text}: {other:?}"),
            }
        }
    }

    #[test]
    fn a_segment_of_the_wrong_type_reports_its_line() {
        let err = parse("[\n{\"text\": \"a\"},\n{\"text\": 5}\n]").unwrap_err();
        assert_eq!(err.line, 3);
        assert!(matches!(&err.kind, ParseErrorKind::BadJson(m) if m.starts_with("segment 2")), "{err:?}");
    }

    #[test]
    fn empty_and_segmentless_files() {
        assert_eq!(kind(""), ParseErrorKind::Empty);
        assert_eq!(kind("\u{feff}  "), ParseErrorKind::Empty);
        for text in ["[]", r#"{"text": "", "segments": []}"#, r#"[{"text": " "}]"#] {
            assert_eq!(kind(text), ParseErrorKind::NoTranscript, "{text}");
        }
    }

    #[test]
    fn detects_json_by_its_first_character() {
        assert!(looks_like("\u{feff}  {\"segments\": []}"));
        assert!(looks_like("\n[{"));
        assert!(!looks_like("WEBVTT\n"));
        assert!(!looks_like(""));
    }

    #[test]
    fn lines_of_segments_under_a_key() {
        let text = "{\"note\": \"segments\",\n\"x\": [{}],\n\"transcript\": [\n{\"a\": \"{[\\\"\"},\n\n  {}]}";
        assert_eq!(segment_lines(text, Some("transcript")), [4, 6]);
        assert_eq!(segment_lines("[{},\n{}]", None), [1, 2]);
    }

    const FIXTURES: &[(&str, &str)] = &[
        ("whisper.json", include_str!("../../tests/fixtures/json/whisper.json")),
        ("whisperx.json", include_str!("../../tests/fixtures/json/whisperx.json")),
        ("segment_list.json", include_str!("../../tests/fixtures/json/segment_list.json")),
        ("youtube.json", include_str!("../../tests/fixtures/json/youtube.json")),
        ("wrapped.json", include_str!("../../tests/fixtures/json/wrapped.json")),
    ];

    #[test]
    fn fixtures_parse() {
        for (name, text) in FIXTURES {
            let talk = parse(text).unwrap_or_else(|err| panic!("{name}: {err}"));
            let timed: Vec<_> = talk.turns.iter().filter_map(|t| t.start).collect();
            assert!(!timed.is_empty(), "{name}: has times");
            assert!(timed.iter().all(|s| !s.estimated), "{name}: times are exact");
        }
        let fixture = |name: &str| {
            let (_, text) = FIXTURES.iter().find(|(n, _)| *n == name).expect("a fixture");
            parse(text).expect("fixture parses")
        };

        let whisper = fixture("whisper.json");
        let texts: Vec<_> = whisper.turns.iter().map(|t| t.text.as_str()).collect();
        assert_eq!(
            texts,
            ["Good afternoon, fellow conscious beings. I'm very happy to be here & honored.", "Let's begin."],
            "the 14.88 s pause starts a new turn"
        );

        let whisperx = fixture("whisperx.json");
        let thanks = &whisperx.turns[1];
        assert_eq!(thanks.speaker.as_deref(), Some("SPEAKER_01"));
        let having = thanks.text.find("having").expect("the word is said");
        assert!(thanks.marks.contains(&TimeMark { offset: having, millis: 3_620 }));
        assert_eq!(thanks.marks.len(), 5, "the untimed word 2024 has no mark");

        let list = fixture("segment_list.json");
        assert_eq!(list.turns[0].start, None, "the intro has no time");
        let bob = &list.turns[2];
        assert_eq!((bob.speaker.as_deref(), bob.text.as_str()), (Some("Bob Ray"), "Yeah. I liked the chapter on Io."));
        assert_eq!(bob.marks[1].millis, 24_500);
        assert_eq!(list.turns[3].start, Some(Timestamp::exact(262_000)));

        let youtube = fixture("youtube.json");
        assert_eq!(youtube.turns[0].end, Some(Timestamp::exact(7_560)));
        assert!(youtube.turns[0].text.contains("we're going to talk about search engines and"));

        let wrapped = fixture("wrapped.json");
        assert_eq!(wrapped.show.as_deref(), Some("BookBytes"));
        assert_eq!(wrapped.turns[1].speaker.as_deref(), Some("Jason Staten"));
        assert_eq!(wrapped.turns[1].text, "Yeah. I liked the Io chapter best.");
        assert_eq!(wrapped.turns[1].line, 11);
    }

    #[test]
    fn error_fixtures() {
        let truncated = include_str!("../../tests/fixtures/json/truncated.json");
        let err = parse(truncated).unwrap_err();
        assert!(matches!(err.kind, ParseErrorKind::BadJson(_)), "{err:?}");
        assert_eq!(err.line, truncated.lines().count());
        let unknown = include_str!("../../tests/fixtures/json/unknown_shape.json");
        assert!(matches!(kind(unknown), ParseErrorKind::BadJson(m) if m.contains("expected")));
    }

    #[test]
    fn never_panics_on_a_truncated_fixture() {
        for (name, text) in FIXTURES {
            for (cut, _) in text.char_indices() {
                if let Err(err) = parse(&text[..cut]) {
                    assert!(err.line >= 1, "{name} cut at {cut}");
                }
            }
        }
    }
}
