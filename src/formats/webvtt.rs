//! WebVTT subtitles, as written by Whisper, podcast hosts and YouTube.
//!
//! ```text
//! WEBVTT Optional header text            (BOM tolerated; `Kind:`/`Language:` lines may follow)
//!
//! NOTE a comment block                   (NOTE, STYLE and REGION blocks are skipped)
//!
//! intro                                  (optional cue identifier)
//! 00:00:04.339 --> 00:00:08.470 align:start position:0%
//! <v Michael Kennedy>Hello &amp; welcome (voice tag: the cue's speaker; `</v>` optional)
//! to the <i>show</i>.                    (several lines make one cue; tags are removed)
//! ```
//!
//! Quirks handled:
//! - Whisper leaves the hour out below one hour and writes a one-digit hour after it, even in
//!   one timing line: `59:58.420 --> 1:00:01.560`.
//! - Cue settings after the end time, several blank lines between cues, whitespace-only lines,
//!   a missing header, and text that runs on past a blank line (kept with the cue before it).
//! - Speakers: `<v Name>`, a `Name: ` prefix at the start of a cue (1-3 capitalised words), and
//!   `- ` or `>> ` at the start of a line marking an unnamed change of speaker (`>> Name: text`
//!   names one).
//! - YouTube auto-captions time every word (`you<00:00:05.339><c> know</c>`); those times become
//!   word [`TimeMark`]s. Their captions roll: each cue repeats the line before it, and a 10 ms
//!   cue repeats the finished line once more. Lines a cue repeats from the cue before it are
//!   dropped, so every spoken line is kept exactly once.
//!
//! The cue machinery (`RawCue`, `parse_timing`, `prepare_line`, `timed_cues`) is shared with the
//! SubRip parser, so both formats read times, speakers and markup the same way.

use super::clock::parse_clock;
use super::cues::{Cue, join_cues};
use super::markup::decode_entities;
use super::{ParseError, ParseErrorKind};
use crate::model::{Talk, TimeMark};

const HEADER: &str = "WEBVTT";
const ARROW: &str = "-->";
/// Longest `Name: ` prefix (in bytes) still read as a speaker.
const MAX_SPEAKER_NAME_BYTES: usize = 40;
/// Capitalised words that start sentences or labels far more often than they name a speaker.
const NOT_SPEAKER_NAMES: &[&str] = &[
    "also",
    "and",
    "answer",
    "because",
    "but",
    "caution",
    "chapter",
    "edit",
    "example",
    "here",
    "hint",
    "important",
    "kind",
    "language",
    "like",
    "no",
    "note",
    "now",
    "oh",
    "ok",
    "okay",
    "part",
    "remember",
    "section",
    "so",
    "step",
    "that",
    "the",
    "then",
    "there",
    "this",
    "tip",
    "update",
    "warning",
    "well",
    "yes",
];

/// True when the first non-empty line of `head` starts with `WEBVTT`.
pub fn looks_like(head: &str) -> bool {
    head.trim_start_matches('\u{feff}')
        .lines()
        .map(str::trim)
        .find(|line| !line.is_empty())
        .is_some_and(|line| line.starts_with(HEADER))
}

/// Parses a WebVTT file.
pub fn parse(text: &str) -> Result<Talk, ParseError> {
    let text = text.trim_start_matches('\u{feff}');
    if is_blank(text) {
        return Err(ParseError::new(1, ParseErrorKind::Empty));
    }
    let raw_cues = read_cues(text)?;
    let prepared: Vec<Vec<PreparedLine>> =
        raw_cues.iter().map(|cue| cue.lines.iter().map(|&(n, l)| prepare_line(n, l)).collect()).collect();
    let rolling = is_rolling(&prepared);
    let mut cues = Vec::new();
    let mut previous: &[PreparedLine] = &[];
    for (raw, lines) in raw_cues.iter().zip(&prepared) {
        let repeated = if rolling { repeated_from_previous(previous, lines) } else { 0 };
        cues.extend(timed_cues(raw.start, raw.end, &lines[repeated..]));
        previous = lines;
    }
    if cues.is_empty() {
        return Err(ParseError::new(1, ParseErrorKind::NoTranscript));
    }
    Ok(Talk { turns: join_cues(cues), ..Talk::default() })
}

/// True when `text` has nothing but whitespace and byte order marks.
pub(crate) fn is_blank(text: &str) -> bool {
    text.chars().all(|c| c.is_whitespace() || c == '\u{feff}')
}

/// A cue as the file lays it out: its times and its text lines (1-based number, markup in).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct RawCue<'a> {
    pub start: u64,
    pub end: u64,
    pub lines: Vec<(usize, &'a str)>,
}

/// Splits the file into blocks at blank lines and reads the cues out of them.
fn read_cues(text: &str) -> Result<Vec<RawCue<'_>>, ParseError> {
    let mut cues: Vec<RawCue> = Vec::new();
    let mut block: Vec<(usize, &str)> = Vec::new();
    let mut first_block = true;
    let lines = text.lines().enumerate().map(|(i, line)| (i + 1, line));
    for (number, line) in lines.chain(std::iter::once((0, ""))) {
        if !line.trim().is_empty() {
            block.push((number, line));
            continue;
        }
        if block.is_empty() {
            continue;
        }
        let mut lines = &block[..];
        if first_block && lines[0].1.trim().starts_with(HEADER) {
            // Header lines (`Kind: captions`, `Language: en`) are not speech.
            let cue_at = lines.iter().position(|(_, l)| l.contains(ARROW));
            lines = &lines[cue_at.unwrap_or(lines.len())..];
        }
        first_block = false;
        read_block(lines, &mut cues)?;
        block.clear();
    }
    Ok(cues)
}

/// Reads the cues of one block into `cues`.
fn read_block<'a>(block: &[(usize, &'a str)], cues: &mut Vec<RawCue<'a>>) -> Result<(), ParseError> {
    let Some(&(_, first)) = block.first() else {
        return Ok(());
    };
    let first_word = first.split_whitespace().next().unwrap_or("");
    let block = if matches!(first_word, "NOTE" | "STYLE" | "REGION") {
        // Comment and styling blocks; a cue run into one without a blank line still counts.
        let cue_at = block.iter().position(|(_, l)| l.contains(ARROW));
        &block[cue_at.unwrap_or(block.len())..]
    } else {
        block
    };
    let Some(timing_at) = block.iter().position(|(_, l)| l.contains(ARROW)) else {
        if let Some(&(number, line)) = block.iter().take(2).find(|(_, l)| looks_like_broken_timing(l)) {
            return Err(bad_timing(number, line));
        }
        // Text after a stray blank line: keep it with the cue it follows.
        if let Some(cue) = cues.last_mut() {
            cue.lines.extend_from_slice(block);
        }
        return Ok(());
    };
    // Lines before the timing line are the cue identifier.
    let block_first_cue = cues.len();
    for &(number, line) in &block[timing_at..] {
        if !line.contains(ARROW) {
            if let Some(cue) = cues.last_mut() {
                cue.lines.push((number, line));
            }
            continue;
        }
        let (start, end) = parse_timing(line).ok_or_else(|| bad_timing(number, line))?;
        if cues.len() > block_first_cue {
            // A cue run into the one before it without a blank line: a numeric line just
            // before its timing is its identifier, not speech.
            drop_trailing_identifier(cues.last_mut());
        }
        cues.push(RawCue { start, end, lines: Vec::new() });
    }
    Ok(())
}

/// Removes a trailing all-digit line (a cue number that belongs to the next cue).
fn drop_trailing_identifier(cue: Option<&mut RawCue<'_>>) {
    if let Some(cue) = cue
        && cue.lines.last().is_some_and(|(_, l)| is_cue_number(l))
    {
        cue.lines.pop();
    }
}

/// True for a line that is only a cue number, such as SubRip's `12`.
pub(crate) fn is_cue_number(line: &str) -> bool {
    let line = line.trim();
    !line.is_empty() && line.bytes().all(|b| b.is_ascii_digit())
}

/// Reads `start --> end [settings]` into milliseconds; `None` when either time is unreadable.
pub(crate) fn parse_timing(line: &str) -> Option<(u64, u64)> {
    let (start, rest) = line.trim().split_once(ARROW)?;
    let start = parse_clock(start.trim())?;
    let end = parse_clock(rest.split_whitespace().next()?)?;
    Some((start, end))
}

/// A line that starts like a timing line (`00:01.000 -> 00:02.000`, `00:01.000 - 00:02.000`)
/// but has no `-->`: a typo, not speech. Only asked where a timing line belongs.
pub(crate) fn looks_like_broken_timing(line: &str) -> bool {
    let mut words = line.split_whitespace();
    let starts_with_clock = words.next().is_some_and(|w| parse_clock(w).is_some());
    let arrow_like = ["->", "→", "–>", "—>", "=>"].iter().any(|a| line.contains(a));
    let second_clock = words.take(2).any(|w| parse_clock(w).is_some());
    starts_with_clock && (arrow_like || second_clock)
}

/// A timing error at `line`, quoting (the start of) the line.
pub(crate) fn bad_timing(number: usize, line: &str) -> ParseError {
    let quoted: String = line.trim().chars().take(80).collect();
    ParseError::new(number, ParseErrorKind::BadTiming(quoted))
}

/// True when the captions roll: YouTube's word-timed captions, or a file where at least a third
/// of the cues open with the last line of the cue before (Whisper repeats a line now and then,
/// far less often than that).
fn is_rolling(cues: &[Vec<PreparedLine>]) -> bool {
    let word_timed = cues.iter().flatten().any(|line| line.segments.iter().any(|s| !s.text.marks.is_empty()));
    if word_timed {
        return true;
    }
    let spoken: Vec<Vec<&str>> = cues.iter().map(|c| spoken_lines(c)).collect();
    let repeats = spoken
        .windows(2)
        .filter(|pair| matches!((pair[0].last(), pair[1].first()), (Some(a), Some(b)) if a == b))
        .count();
    repeats >= 3 && repeats * 3 >= spoken.len()
}

/// The non-empty plain texts of a cue's lines.
fn spoken_lines(lines: &[PreparedLine]) -> Vec<&str> {
    lines.iter().map(|l| l.plain.as_str()).filter(|l| !l.is_empty()).collect()
}

/// How many of `current`'s lines (counting blank ones before them) repeat the last lines of
/// `previous`: the longest run of its first spoken lines that ends `previous`.
fn repeated_from_previous(previous: &[PreparedLine], current: &[PreparedLine]) -> usize {
    let before = spoken_lines(previous);
    let now = spoken_lines(current);
    let overlap =
        (1..=before.len().min(now.len())).rev().find(|&k| before[before.len() - k..] == now[..k]).unwrap_or(0);
    if overlap == 0 {
        return 0;
    }
    // Index just past the `overlap`-th spoken line of `current`.
    current.iter().enumerate().filter(|(_, l)| !l.plain.is_empty()).nth(overlap - 1).map_or(0, |(i, _)| i + 1)
}

/// Text with the times of positions in it; offsets are byte offsets into `text`.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct MarkedText {
    pub text: String,
    pub marks: Vec<TimeMark>,
}

impl MarkedText {
    /// Drops the first `bytes` bytes (a char boundary) and the marks inside them.
    fn without_prefix(self, bytes: usize) -> MarkedText {
        let text = self.text.get(bytes..).unwrap_or("").trim_start();
        let removed = self.text.len() - text.len();
        MarkedText {
            text: text.to_string(),
            marks: self
                .marks
                .into_iter()
                .filter(|m| m.offset >= removed)
                .map(|m| TimeMark { offset: m.offset - removed, millis: m.millis })
                .collect(),
        }
    }
}

/// A run of a cue line, opened by a voice tag (`<v Name>`) or by the start of the line.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Segment {
    /// The name a voice tag at the start of the segment gives.
    pub voice: Option<String>,
    pub text: MarkedText,
}

/// A cue line, cleaned of markup.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct PreparedLine {
    pub number: usize,
    pub segments: Vec<Segment>,
    /// The line's words without markup or voices, to compare lines.
    pub plain: String,
}

/// Cleans one cue line: splits it at voice tags and removes other tags and entities.
pub(crate) fn prepare_line(number: usize, line: &str) -> PreparedLine {
    let segments: Vec<Segment> =
        split_voices(line).into_iter().map(|(voice, text)| Segment { voice, text: clean_markup(text) }).collect();
    let plain = segments.iter().map(|s| s.text.text.as_str()).filter(|t| !t.is_empty()).collect::<Vec<_>>().join(" ");
    PreparedLine { number, segments, plain }
}

/// Splits `line` before each voice tag; each part carries the name of the tag that opens it.
fn split_voices(line: &str) -> Vec<(Option<String>, &str)> {
    let mut parts = Vec::new();
    let mut voice = None;
    let mut rest = line;
    while let Some((tag_start, tag_end, name)) = find_voice_tag(rest) {
        let before = &rest[..tag_start];
        if voice.is_some() || !before.trim().is_empty() {
            parts.push((voice.take(), before));
        }
        voice = Some(name).filter(|n: &String| !n.is_empty());
        rest = &rest[tag_end..];
    }
    parts.push((voice, rest));
    parts
}

/// The first `<v Name>` or `<v.class Name>` tag in `text`: its byte range and the name.
fn find_voice_tag(text: &str) -> Option<(usize, usize, String)> {
    text.match_indices("<v").find_map(|(at, _)| {
        let after = &text[at + 2..];
        if !after.starts_with([' ', '\t', '.', '>']) {
            return None;
        }
        let close = after.find('>').filter(|&c| !after[..c].contains('<'))?;
        let inside = &after[..close];
        let name = if inside.starts_with('.') {
            inside.split_once(char::is_whitespace).map_or("", |(_, n)| n)
        } else {
            inside
        };
        Some((at, at + 2 + close + 1, decode_entities(name.trim())))
    })
}

/// Removes tags (keeping the times of `<00:00:05.339>` tags as marks), SubRip's `{\an8}`
/// overrides and entities, and collapses whitespace to single spaces.
pub(crate) fn clean_markup(raw: &str) -> MarkedText {
    let mut text = String::with_capacity(raw.len());
    let mut marks = Vec::new();
    let mut rest = raw;
    while let Some(open) = rest.find(['<', '{']) {
        text.push_str(&decode_entities(&rest[..open]));
        let after = &rest[open + 1..];
        if rest[open..].starts_with('{') {
            match after.find('}').filter(|_| after.starts_with('\\')) {
                Some(close) => rest = &after[close + 1..],
                None => {
                    text.push('{');
                    rest = after;
                }
            }
            continue;
        }
        let tag = after
            .find('>')
            .filter(|&close| !after[..close].contains('<'))
            .map(|close| (&after[..close], &after[close + 1..]));
        match tag {
            Some((inside, behind)) if inside.starts_with(|c: char| c.is_ascii_digit()) => {
                match parse_clock(inside) {
                    Some(millis) => {
                        marks.push(TimeMark { offset: text.len(), millis });
                        rest = behind;
                    }
                    None => {
                        // `<3` and the like: a comparison or a heart, not a tag.
                        text.push('<');
                        rest = after;
                    }
                }
            }
            Some((inside, behind)) if inside.starts_with(|c: char| c.is_ascii_alphabetic() || c == '/' || c == '!') => {
                rest = behind;
            }
            _ => {
                text.push('<');
                rest = after;
            }
        }
    }
    text.push_str(&decode_entities(rest));
    collapse_whitespace(&text, &marks)
}

/// Collapses whitespace runs to one space and trims, moving each mark to the first non-space
/// character at or after it (marks after the last word are dropped).
fn collapse_whitespace(text: &str, marks: &[TimeMark]) -> MarkedText {
    let mut out = MarkedText { text: String::with_capacity(text.len()), marks: Vec::with_capacity(marks.len()) };
    let mut pending = marks.iter().peekable();
    let mut space_before = false;
    for (at, c) in text.char_indices() {
        if c.is_whitespace() {
            space_before = !out.text.is_empty();
            continue;
        }
        if space_before {
            out.text.push(' ');
            space_before = false;
        }
        while let Some(mark) = pending.next_if(|m| m.offset <= at) {
            out.marks.push(TimeMark { offset: out.text.len(), millis: mark.millis });
        }
        out.text.push(c);
    }
    out
}

/// Turns the lines of one timed cue into cues: one per speaker in it. A voice tag names the
/// speaker; a line opening with `- ` or `>> ` marks a change; a `Name: ` prefix at the start of
/// the cue or after such a marker names one.
pub(crate) fn timed_cues(start: u64, end: u64, lines: &[PreparedLine]) -> Vec<Cue> {
    let mut cues: Vec<Cue> = Vec::new();
    for line in lines {
        for (index, segment) in line.segments.iter().enumerate() {
            let mut text = segment.text.clone();
            let mut change = false;
            if index == 0
                && let Some(marker) = change_marker(&text.text)
            {
                text = text.without_prefix(marker);
                change = true;
            }
            let voice = segment.voice.clone();
            let current_speaker = cues.last().and_then(|c| c.speaker.as_ref());
            let new_voice = voice.is_some() && voice.as_ref() != current_speaker;
            let opens_cue = cues.is_empty() || change || new_voice;
            if !opens_cue {
                if let Some(cue) = cues.last_mut() {
                    append(cue, text);
                }
                continue;
            }
            let mut speaker = voice;
            if speaker.is_none()
                && let Some((name, rest_at)) = speaker_prefix(&text.text)
            {
                speaker = Some(name.to_string());
                text = text.without_prefix(rest_at);
            }
            let mut cue = Cue {
                speaker,
                speaker_change: change,
                start: Some(start),
                end: Some(end),
                line: line.number,
                ..Cue::default()
            };
            append(&mut cue, text);
            cues.push(cue);
        }
    }
    cues
}

/// Appends `text` to the cue's text with one space between, moving its marks along.
fn append(cue: &mut Cue, text: MarkedText) {
    if text.text.is_empty() {
        return;
    }
    if !cue.text.is_empty() {
        cue.text.push(' ');
    }
    let base = cue.text.len();
    cue.text.push_str(&text.text);
    cue.marks.extend(text.marks.into_iter().map(|m| TimeMark { offset: base + m.offset, millis: m.millis }));
}

/// The length of a `- ` or `>> ` change-of-speaker marker opening `text`.
fn change_marker(text: &str) -> Option<usize> {
    if text.starts_with(">>") {
        Some(2)
    } else if text == "-" || text.starts_with("- ") {
        Some(1)
    } else {
        None
    }
}

/// A `Name: ` prefix naming the speaker: 1-3 capitalised words (a number may follow the first,
/// as in `Speaker 1`) before a colon and a space. Returns the name and where the words start.
pub(crate) fn speaker_prefix(text: &str) -> Option<(&str, usize)> {
    let colon = text.find(':')?;
    let (name, after) = (&text[..colon], &text[colon + 1..]);
    if !(after.is_empty() || after.starts_with(char::is_whitespace))
        || name.len() > MAX_SPEAKER_NAME_BYTES
        || name.trim() != name
    {
        return None;
    }
    let words: Vec<&str> = name.split(' ').collect();
    if !(1..=3).contains(&words.len()) {
        return None;
    }
    let is_name_word = |word: &str| {
        word.starts_with(char::is_uppercase)
            && word.chars().all(|c| c.is_alphabetic() || matches!(c, '.' | '\'' | '’' | '-'))
    };
    let is_number = |word: &str| !word.is_empty() && word.bytes().all(|b| b.is_ascii_digit());
    let first = words[0].to_lowercase();
    let words_ok = is_name_word(words[0])
        && words[1..].iter().all(|w| is_name_word(w) || is_number(w))
        && !NOT_SPEAKER_NAMES.contains(&first.as_str());
    words_ok.then(|| (name, colon + 1 + (after.len() - after.trim_start().len())))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Timestamp, Turn};

    fn texts(turns: &[Turn]) -> Vec<&str> {
        turns.iter().map(|t| t.text.as_str()).collect()
    }

    fn speakers(turns: &[Turn]) -> Vec<Option<&str>> {
        turns.iter().map(|t| t.speaker.as_deref()).collect()
    }

    #[test]
    fn reads_header_identifiers_settings_and_multi_line_cues() {
        let talk = parse(include_str!("../../tests/fixtures/vtt/basic.vtt")).unwrap();
        assert_eq!(talk.turns.len(), 1);
        let turn = &talk.turns[0];
        assert_eq!(turn.text, "Welcome to the show. Today we talk about search engines and indexes.");
        assert_eq!(turn.start, Some(Timestamp::exact(1_000)));
        assert_eq!(turn.end, Some(Timestamp::exact(7_500)));
        assert_eq!(turn.line, 5, "the cue's first text line");
        let mark_times: Vec<u64> = turn.marks.iter().map(|m| m.millis).collect();
        assert_eq!(mark_times, [1_000, 4_000]);
        assert_eq!(&turn.text[turn.marks[1].offset..], "Today we talk about search engines and indexes.");
    }

    #[test]
    fn accepts_bom_and_hourless_and_one_digit_hour_times() {
        let talk = parse(include_str!("../../tests/fixtures/vtt/hourless.vtt")).unwrap();
        let starts: Vec<u64> = talk.turns[0].marks.iter().map(|m| m.millis).collect();
        assert_eq!(starts, [3_598_420, 3_601_560]);
        assert_eq!(talk.turns[0].end, Some(Timestamp::exact(3_605_000)));
        assert_eq!(texts(&talk.turns), ["As part of the course, I got the chance to sit down."]);
    }

    #[test]
    fn skips_note_style_and_region_blocks() {
        let talk = parse(include_str!("../../tests/fixtures/vtt/note_style_region.vtt")).unwrap();
        assert_eq!(texts(&talk.turns), ["First words. Second words."]);
    }

    #[test]
    fn voice_tags_name_speakers_closed_or_not() {
        let talk = parse(include_str!("../../tests/fixtures/vtt/voices.vtt")).unwrap();
        assert_eq!(speakers(&talk.turns), [Some("Michael Kennedy"), Some("Ann Lee"), Some("Michael Kennedy")]);
        assert_eq!(texts(&talk.turns), ["Welcome back. It's great & fine.", "Thanks for having me.", "Sure."]);
        assert_eq!(talk.turns[1].start, Some(Timestamp::exact(6_000)));
        assert_eq!(talk.turns[2].start, Some(Timestamp::exact(6_000)), "second voice of one cue");
    }

    #[test]
    fn removes_inline_tags_and_decodes_entities() {
        let talk =
            parse("WEBVTT\n\n00:01.000 --> 00:02.000\n<c.yellow>It&#39;s</c> <i>very</i> <b>bold</b> &amp; a < b\n")
                .unwrap();
        assert_eq!(texts(&talk.turns), ["It's very bold & a < b"]);
    }

    #[test]
    fn dash_and_chevrons_mark_speaker_changes() {
        let talk = parse(include_str!("../../tests/fixtures/vtt/speaker_markers.vtt")).unwrap();
        assert_eq!(
            texts(&talk.turns),
            [
                "Hey, everyone out there on the live stream.",
                "Hello out there.",
                "It's good to be here.",
                "Thanks for coming. And I'm glad.",
            ]
        );
        assert_eq!(speakers(&talk.turns), [None, None, None, Some("Sarah Jones")]);
        assert_eq!(talk.turns[1].start, Some(Timestamp::exact(4_000)));
        assert_eq!(talk.turns[2].start, Some(Timestamp::exact(8_000)), "`- ` line inside a cue");
    }

    #[test]
    fn name_prefix_is_a_speaker_only_when_short_and_capitalised() {
        let talk = parse(include_str!("../../tests/fixtures/vtt/name_prefix.vtt")).unwrap();
        assert_eq!(speakers(&talk.turns), [Some("Ann Lee"), Some("Bob"), Some("Ann Lee")]);
        assert_eq!(
            texts(&talk.turns),
            [
                "Let me start.",
                "Right. Note: this one is not a speaker. the thing is: neither is this. \
                 So what I mean to say: not this.",
                "Good.",
            ]
        );
    }

    #[test]
    fn blocks_separated_by_many_or_whitespace_only_lines() {
        let text = "WEBVTT\n\n\n\n00:01.000 --> 00:02.000\nOne\n \n\n\n00:02.000 --> 00:03.000\nTwo\n\n\n";
        let talk = parse(text).unwrap();
        assert_eq!(texts(&talk.turns), ["One Two"]);
        assert_eq!(talk.turns[0].line, 6);
    }

    #[test]
    fn reads_crlf_line_endings() {
        let text = "WEBVTT\r\n\r\n00:01.000 --> 00:02.000\r\nOne\r\ntwo\r\n\r\n00:02.000 --> 00:03.000\r\nThree\r\n";
        let talk = parse(text).unwrap();
        assert_eq!(texts(&talk.turns), ["One two Three"]);
        assert_eq!(talk.turns[0].end, Some(Timestamp::exact(3_000)));
    }

    #[test]
    fn youtube_word_times_become_marks_and_rolling_lines_count_once() {
        let talk = parse(include_str!("../../tests/fixtures/vtt/youtube_rolling.vtt")).unwrap();
        assert_eq!(texts(&talk.turns), ["so the index has three parts the terms the postings and the positions"]);
        let turn = &talk.turns[0];
        let mark_at = |words: &str| {
            let offset = turn.text.find(words).unwrap();
            turn.marks.iter().find(|m| m.offset == offset).map(|m| m.millis)
        };
        assert_eq!(mark_at("so the"), Some(4_339), "cue start");
        assert_eq!(mark_at("index"), Some(5_490));
        assert_eq!(mark_at("the terms"), Some(8_480), "cue start of the second line");
        assert_eq!(mark_at("terms"), Some(9_480));
        assert_eq!(mark_at("positions"), Some(13_500));
        assert_eq!(turn.start, Some(Timestamp::exact(4_339)));
        assert_eq!(turn.end, Some(Timestamp::exact(16_490)));
        assert_eq!(turn.line, 7, "the first spoken line, not the blank one before it");
    }

    #[test]
    fn rolling_captions_without_word_times_are_deduplicated_too() {
        let text = "WEBVTT\n\n00:01.000 --> 00:02.000\nline one\n\n00:02.000 --> 00:03.000\nline one\nline two\n\n00:03.000 --> 00:04.000\nline two\nline three\n\n00:04.000 --> 00:05.000\nline three\nline four\n";
        let talk = parse(text).unwrap();
        assert_eq!(texts(&talk.turns), ["line one line two line three line four"]);
        let starts: Vec<u64> = talk.turns[0].marks.iter().map(|m| m.millis).collect();
        assert_eq!(starts, [1_000, 2_000, 3_000, 4_000]);
    }

    #[test]
    fn occasional_repeats_are_kept_when_captions_do_not_roll() {
        let text = "WEBVTT\n\n00:01.000 --> 00:02.000\nThank you.\n\n00:02.000 --> 00:03.000\nThank you.\n\n00:03.000 --> 00:04.000\nBye.\n";
        let talk = parse(text).unwrap();
        assert_eq!(texts(&talk.turns), ["Thank you. Thank you. Bye."]);
    }

    #[test]
    fn broken_timing_is_an_error_on_its_line() {
        let err = parse(include_str!("../../tests/fixtures/vtt/broken_timing.vtt")).unwrap_err();
        assert_eq!(err.line, 7);
        assert!(matches!(err.kind, ParseErrorKind::BadTiming(ref t) if t == "00:01.000 --> garbage"), "{err:?}");
        let err = parse("WEBVTT\n\n00:01.000 -> 00:02.000\nHi\n").unwrap_err();
        assert_eq!((err.line, matches!(err.kind, ParseErrorKind::BadTiming(_))), (3, true));
        let err = parse("WEBVTT\n\n00:01.000 --> 00:72.000\nHi\n").unwrap_err();
        assert_eq!(err.line, 3);
    }

    #[test]
    fn tolerates_a_missing_header_but_not_a_missing_transcript() {
        let talk = parse("00:01.000 --> 00:02.000\nNo header here.\n").unwrap();
        assert_eq!(texts(&talk.turns), ["No header here."]);
        let err = parse("WEBVTT\n\nNOTE nothing else\n").unwrap_err();
        assert_eq!(err.kind, ParseErrorKind::NoTranscript);
        let err = parse(" \n\u{feff}").unwrap_err();
        assert_eq!(err.kind, ParseErrorKind::Empty);
        assert_eq!(parse("").unwrap_err().kind, ParseErrorKind::Empty);
    }

    #[test]
    fn cues_run_together_without_blank_lines() {
        let text = "WEBVTT\n\n1\n00:01.000 --> 00:02.000\nOne\n2\n00:02.000 --> 00:03.000\nTwo\n";
        let talk = parse(text).unwrap();
        assert_eq!(texts(&talk.turns), ["One Two"]);
        assert_eq!(talk.turns[0].marks.len(), 2);
    }

    #[test]
    fn detects_the_header() {
        assert!(looks_like("\u{feff}WEBVTT\n\n00:01.000 --> 00:02.000\n"));
        assert!(looks_like("\n\nWEBVTT - A title\n"));
        assert!(!looks_like("1\n00:00:01,000 --> 00:00:02,000\nHi\n"));
        assert!(!looks_like(""));
    }

    #[test]
    fn speaker_prefix_rule() {
        assert_eq!(speaker_prefix("Ann Lee: hi"), Some(("Ann Lee", 9)));
        assert_eq!(speaker_prefix("Speaker 1: hi"), Some(("Speaker 1", 11)));
        assert_eq!(speaker_prefix("JOHN O'NEIL: hi"), Some(("JOHN O'NEIL", 13)));
        for not_a_name in [
            "the answer: hi",
            "Note: hi",
            "One Two Three Four: hi",
            "Time 10:30",
            "Ann:hi",
            "https://example.com",
            ": hi",
        ] {
            assert_eq!(speaker_prefix(not_a_name), None, "{not_a_name}");
        }
    }

    #[test]
    fn never_panics_on_truncated_or_odd_input() {
        let fixtures = [
            include_str!("../../tests/fixtures/vtt/youtube_rolling.vtt"),
            include_str!("../../tests/fixtures/vtt/voices.vtt"),
            include_str!("../../tests/fixtures/vtt/speaker_markers.vtt"),
            "WEBVTT\n\n00:01.000 --> 00:02.000\n<v\n<v.a>x<v >é<00:00:01.5>ü<1:>{\\a}{&#1114112;&#x110000;<",
        ];
        for fixture in fixtures {
            for (end, _) in fixture.char_indices() {
                let _ = parse(&fixture[..end]);
                let _ = parse(&fixture[end..]);
            }
        }
    }
}
