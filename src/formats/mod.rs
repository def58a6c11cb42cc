//! Transcript formats: text in, [`Talk`] out.
//!
//! One parser per format, each a pure function of the file's text. Parsers know nothing of
//! files on disk, the index or the terminal; errors carry the 1-based line they happened on and
//! the caller adds the path.

pub mod clock;
pub mod cues;
pub mod json;
pub mod markup;
pub mod plain_text;
pub mod speaker_text;
pub mod srt;
pub mod talk_card;
pub mod tsv;
pub mod webvtt;

use crate::model::Talk;
use std::fmt;
use std::str::FromStr;

/// The transcript formats talksearch reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Format {
    /// Our own talk card: summary, takeaways, vocabulary, title, transcript paragraphs, tags.
    TalkCard,
    /// WebVTT subtitles, including YouTube auto-captions.
    WebVtt,
    /// SubRip subtitles.
    SubRip,
    /// Whisper JSON, JSON lists of timed segments, YouTube transcript lists.
    Json,
    /// Whisper's tab-separated `start\tend\ttext` output (milliseconds).
    Tsv,
    /// Speaker-labelled text and Markdown (`**Name:**`, `Name (HH:MM:SS):`, `[Name] [MM:SS]` …).
    SpeakerText,
    /// Plain text: a turn per paragraph, times estimated.
    PlainText,
}

impl Format {
    /// Every format.
    pub const ALL: &'static [Format] = &[
        Format::TalkCard,
        Format::WebVtt,
        Format::SubRip,
        Format::Json,
        Format::Tsv,
        Format::SpeakerText,
        Format::PlainText,
    ];

    /// The name used on the command line and in `talksearch talks`.
    pub fn name(self) -> &'static str {
        match self {
            Format::TalkCard => "talk-card",
            Format::WebVtt => "vtt",
            Format::SubRip => "srt",
            Format::Json => "json",
            Format::Tsv => "tsv",
            Format::SpeakerText => "speaker-text",
            Format::PlainText => "text",
        }
    }

    /// Guesses the format from the file's extension (lower-case, without the dot) and its
    /// first few kilobytes. Returns `None` for files that are not transcripts.
    pub fn detect(extension: Option<&str>, head: &str) -> Option<Format> {
        let head = head.trim_start_matches('\u{feff}');
        match extension {
            Some("vtt" | "webvtt") => Some(Format::WebVtt),
            Some("srt") => Some(Format::SubRip),
            Some("json") => Some(Format::Json),
            Some("tsv") => Some(Format::Tsv),
            Some("txt" | "md" | "markdown" | "text" | "transcript") | None => Some(if webvtt::looks_like(head) {
                Format::WebVtt
            } else if talk_card::looks_like(head) {
                Format::TalkCard
            } else if srt::looks_like(head) {
                Format::SubRip
            } else if head.trim_start().starts_with(['[', '{'])
                && serde_json::from_str::<serde_json::Value>(head).is_ok()
            {
                Format::Json
            } else if speaker_text::looks_like(head) {
                Format::SpeakerText
            } else {
                Format::PlainText
            }),
            Some(_) => None,
        }
    }

    /// Parses `text` in this format and links vocabulary examples to their turns.
    pub fn parse(self, text: &str) -> Result<Talk, ParseError> {
        let mut talk = match self {
            Format::TalkCard => talk_card::parse(text)?,
            Format::WebVtt => webvtt::parse(text)?,
            Format::SubRip => srt::parse(text)?,
            Format::Json => json::parse(text)?,
            Format::Tsv => tsv::parse(text)?,
            Format::SpeakerText => speaker_text::parse(text)?,
            Format::PlainText => plain_text::parse(text)?,
        };
        if talk.turns.is_empty() && talk.summary.is_empty() && talk.vocabulary.is_empty() {
            return Err(ParseError::new(1, ParseErrorKind::NoTranscript));
        }
        talk.link_vocabulary_examples();
        Ok(talk)
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Format {
    type Err = String;

    fn from_str(name: &str) -> Result<Format, String> {
        Format::ALL.iter().copied().find(|f| f.name() == name).ok_or_else(|| {
            let names: Vec<&str> = Format::ALL.iter().map(|f| f.name()).collect();
            format!("unknown format {name:?}; expected one of: {}", names.join(", "))
        })
    }
}

/// Why a transcript could not be read, and on which line.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{line}: {kind}")]
pub struct ParseError {
    /// 1-based line where the problem is.
    pub line: usize,
    /// What is wrong.
    pub kind: ParseErrorKind,
}

impl ParseError {
    /// An error at `line`.
    pub fn new(line: usize, kind: ParseErrorKind) -> ParseError {
        ParseError { line, kind }
    }
}

/// What is wrong with a transcript.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ParseErrorKind {
    /// The file has no text at all.
    #[error("empty file")]
    Empty,
    /// The file has text, but nothing that reads as a transcript.
    #[error("no transcript text found")]
    NoTranscript,
    /// A cue timing line or timestamp that cannot be read.
    #[error("bad timing {0:?}")]
    BadTiming(String),
    /// JSON that does not parse or does not have the expected shape.
    #[error("bad JSON: {0}")]
    BadJson(String),
    /// A structural problem specific to the format.
    #[error("{0}")]
    Malformed(String),
}

/// A blank-line-separated block of a file: its trimmed lines, each with its 1-based number.
pub(crate) type Block<'a> = Vec<(usize, &'a str)>;

/// Splits `text` into blocks separated by blank lines.
pub(crate) fn blocks(text: &str) -> Vec<Block<'_>> {
    let mut out = Vec::new();
    let mut current = Block::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim().trim_start_matches('\u{feff}');
        if line.is_empty() {
            if !current.is_empty() {
                out.push(std::mem::take(&mut current));
            }
        } else {
            current.push((i + 1, line));
        }
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

/// Joins a block's lines with single spaces into a paragraph that starts on the block's line.
pub(crate) fn join_block(lines: &[(usize, &str)]) -> crate::model::Paragraph {
    let text = lines.iter().map(|(_, l)| *l).collect::<Vec<_>>().join(" ");
    crate::model::Paragraph { text, line: lines.first().map_or(1, |(n, _)| *n) }
}

/// Splits `text` into paragraphs separated by blank lines.
pub(crate) fn paragraphs(text: &str) -> Vec<crate::model::Paragraph> {
    blocks(text).iter().map(|b| join_block(b)).collect()
}
