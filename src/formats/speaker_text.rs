//! Speaker-labelled text and Markdown, as people publish transcripts.
//!
//! Every line is read on its own; a label or time at its start says who speaks and when, and
//! unlabelled lines continue the current speaker. The shapes read, one example line each:
//!
//! ```text
//! **Jerod Santo:** Welcome! \[04:22\] So where were we?   bold label; escaped inline time marks
//! \[08:23\] So we had worked together a lot with him.      unlabelled paragraph, same speaker
//! **Break:**                                                pseudo-speaker: an unnamed turn
//! Lenny Rachitsky (00:00:00):                               label and time; text on next lines
//! (00:01:59):                                               same speaker, new time
//! [Speaker 1] [00:00] I'm back. How do I sound?             bracketed label and time
//! [0.00 --> 10.66]  I will confess that I had a nightmare.  Whisper console line (seconds)
//! 0:00:12.9 **Adam Garrett-Harris** Hello and welcome.      time first, bold name, no colon
//! 00:00:04 <v Michael Kennedy>Does your code smell?         time first, optional voice tag
//! Aaron van Wirdum: 00:00:19                                label and time; text on next lines
//! Michael Folkson (MF): This is London BitDevs.             plain label; `MF:` later means him
//! Chris Milk: So this was my joy back then.                 plain label on a caption line
//! ```
//!
//! YAML front matter (`---` … `---`) gives the title, date, speakers, show and media URL; a
//! `# Heading` gives the title when front matter does not. Markdown emphasis, links, quote
//! marks, escapes and HTML entities are removed from the text. Times the file gives are exact;
//! turns without one are left for [`Talk::estimate_times`](crate::model::Talk::estimate_times).

use super::cues::{Cue, join_cues};
use super::{ParseError, ParseErrorKind, clock, markup};
use crate::model::Talk;
use std::collections::HashMap;

/// A head with this many labelled or timed lines is speaker text.
const MIN_LABELLED_LINES: usize = 2;
/// Longest speaker label accepted, in characters.
const MAX_LABEL_CHARS: usize = 80;
/// Longest single name in a label, in words (`Andrew ‘Boz’ Bosworth`, `Speaker 12`).
const MAX_NAME_WORDS: usize = 4;
/// Most names in one label (`Jason Staten, Safia Abdalla, & Jen Luker`).
const MAX_NAMES_PER_LABEL: usize = 4;

/// Words that start a `Word:` line which is not a speaker: metadata lines (`Translator: …`,
/// `Location: …`), numbered parts and sentence openers (`So: …`, `The point is: …`).
const NOT_SPEAKER_FIRST_WORDS: &[&str] = &[
    "abstract",
    "agenda",
    "also",
    "and",
    "because",
    "bip",
    "but",
    "chapter",
    "code",
    "date",
    "edit",
    "email",
    "episode",
    "example",
    "figure",
    "github",
    "he",
    "here",
    "how",
    "i",
    "if",
    "it",
    "link",
    "links",
    "location",
    "media",
    "no",
    "nota",
    "note",
    "notes",
    "now",
    "ok",
    "okay",
    "or",
    "paper",
    "papers",
    "part",
    "pastebin",
    "ps",
    "reviewer",
    "rule",
    "run",
    "section",
    "she",
    "slide",
    "slides",
    "so",
    "source",
    "sources",
    "speakers",
    "step",
    "summary",
    "table",
    "tags",
    "that",
    "the",
    "then",
    "there",
    "these",
    "they",
    "this",
    "those",
    "time",
    "title",
    "topic",
    "topics",
    "transcribed",
    "transcriber",
    "transcript",
    "transcription",
    "translator",
    "tweet",
    "twitter",
    "update",
    "url",
    "video_id",
    "warning",
    "we",
    "website",
    "well",
    "what",
    "when",
    "where",
    "which",
    "who",
    "why",
    "yes",
    "you",
];

/// Labels that mark a break in the conversation rather than a person (`**Break:**`,
/// `**Outro**`): what follows belongs to no named speaker.
const INTERLUDE_LABELS: &[&str] = &[
    "ad",
    "ads",
    "break",
    "cold open",
    "commercial",
    "interlude",
    "intro",
    "jingle",
    "music",
    "outro",
    "song",
    "sponsor",
    "sponsors",
    "theme",
];

/// Diarization names that take a number (`Speaker 0`, `Audience 2`); a number after other
/// words in a plain `Word N:` label is more likely a list item (`Rule 1:`).
const NUMBERED_SPEAKER_WORDS: &[&str] = &[
    "audience",
    "caller",
    "guest",
    "host",
    "interviewer",
    "member",
    "panelist",
    "participant",
    "person",
    "speaker",
    "spk",
    "unknown",
    "voice",
];

/// Lower-case name particles that may sit between capitalised names (`Aaron van Wirdum`).
const NAME_PARTICLES: &[&str] = &[
    "al", "bin", "da", "das", "de", "del", "della", "den", "der", "di", "do", "dos", "du", "ibn", "la", "le", "st",
    "ten", "ter", "van", "von", "y",
];

/// Headings that only announce the transcript (`## Transcript`) and carry no words of it.
const STRUCTURAL_HEADINGS: &[&str] = &["transcript", "transcription", "full transcript"];

/// True when `head` (the start of a file) has at least [`MIN_LABELLED_LINES`] lines in one of
/// the labelled or timed shapes this module reads.
pub fn looks_like(head: &str) -> bool {
    let head = head.trim_start_matches('\u{feff}');
    let lines: Vec<&str> = head.lines().collect();
    let body_start = front_matter_end(&lines).map_or(0, |end| end + 1);
    lines
        .get(body_start..)
        .unwrap_or_default()
        .iter()
        .filter(|line| parse_line_head(strip_quote_marks(line)).is_some_and(|head| head.is_labelled()))
        .nth(MIN_LABELLED_LINES - 1)
        .is_some()
}

/// Parses speaker-labelled text or Markdown.
pub fn parse(text: &str) -> Result<Talk, ParseError> {
    let text = text.trim_start_matches('\u{feff}');
    if text.trim().is_empty() {
        return Err(ParseError::new(1, ParseErrorKind::Empty));
    }
    let lines: Vec<&str> = text.lines().collect();
    let mut talk = Talk::default();
    let body_start = match front_matter_end(&lines) {
        Some(end) => {
            read_front_matter(lines.get(1..end).unwrap_or_default(), &mut talk);
            end + 1
        }
        None => 0,
    };
    let body = lines.get(body_start..).unwrap_or_default();
    // A file that marks its labels (bold, brackets, times) does not also use bare `Word:`
    // labels; there, `Aside: one of my first programs…` is a sentence.
    let marked_lines = body
        .iter()
        .filter_map(|line| parse_line_head(strip_quote_marks(line)))
        .filter(|head| head.is_labelled() && head.evidence == Evidence::Marked)
        .count();
    let mut reader = BodyReader::new(&talk.speakers, marked_lines >= MIN_LABELLED_LINES);
    for (index, line) in lines.iter().enumerate().skip(body_start) {
        reader.read_line(index + 1, line, &mut talk);
    }
    let cues = reader.cues;
    if cues.is_empty() {
        return Err(ParseError::new(1, ParseErrorKind::NoTranscript));
    }
    // Only Whisper ranges give end times. Elsewhere `join_cues` would take a turn's end from
    // the start of its last timed cue, which is not when the turn ends and would mislead the
    // interpolation in `Talk::estimate_times`.
    let source_gives_ends = cues.iter().any(|cue| cue.end.is_some());
    let mut turns = join_cues(cues);
    for turn in &mut turns {
        // `join_cues` takes a turn's start from its first timed cue; when untimed words come
        // before that cue, the time belongs to a point inside the turn (kept as its mark).
        if turn.marks.first().is_some_and(|mark| mark.offset > 0) {
            turn.start = None;
        }
        if !source_gives_ends {
            turn.end = None;
        }
    }
    talk.turns = turns;
    Ok(talk)
}

/// What the start of a line says: who speaks, from when, and the text after it.
#[derive(Debug, Default, PartialEq)]
struct LineHead {
    label: Label,
    /// How sure the label is; `Plain` only for a bare `Name: text` without a time.
    evidence: Evidence,
    start: Option<u64>,
    end: Option<u64>,
    rest: String,
}

impl LineHead {
    fn text(rest: &str) -> LineHead {
        LineHead { rest: rest.to_string(), ..LineHead::default() }
    }

    /// True when the line names a speaker or gives a time (counted by [`looks_like`]).
    fn is_labelled(&self) -> bool {
        self.label != Label::None || self.start.is_some()
    }
}

/// The label at the start of a line.
#[derive(Debug, Default, Clone, PartialEq)]
enum Label {
    /// No label: the line continues the current speaker.
    #[default]
    None,
    /// A speaker label as written (`Speaker 1`, `Michael Folkson (MF)`).
    Speaker(String),
    /// A break, intro or jingle: what follows has no named speaker.
    Interlude,
}

/// How much the surroundings of a label vouch for it being one.
#[derive(Debug, Default, Clone, Copy, PartialEq)]
enum Evidence {
    /// Bold, bracketed, or next to a time: the writer marked it as a label.
    #[default]
    Marked,
    /// Only a colon after a few capitalised words: could be a sentence.
    Plain,
}

/// Reads the shapes of the module doc, most specific first. `None` for a line of plain text.
fn parse_line_head(line: &str) -> Option<LineHead> {
    whisper_range(line)
        .or_else(|| bracketed_label(line))
        .or_else(|| leading_time(line))
        .or_else(|| label_with_time_in_parentheses(line))
        .or_else(|| bold_label(line, false))
        .or_else(|| plain_label(line))
}

/// `[0.00 --> 10.66]  text` (seconds) or `[00:00.000 --> 00:02.900] text`.
fn whisper_range(line: &str) -> Option<LineHead> {
    let inside_and_rest = line.strip_prefix('[')?;
    let (inside, rest) = inside_and_rest.split_once(']')?;
    let (start, end) = inside.split_once("-->")?;
    let seconds_or_clock = |t: &str| parse_seconds(t).or_else(|| parse_time(t));
    Some(LineHead {
        start: Some(seconds_or_clock(start)?),
        end: Some(seconds_or_clock(end)?),
        rest: rest.trim().to_string(),
        ..LineHead::default()
    })
}

/// `[Speaker 1] [00:00] text`, `[Bryan Cantrill] [01:00:23] text`.
fn bracketed_label(line: &str) -> Option<LineHead> {
    let (name, after) = line.strip_prefix('[')?.split_once(']')?;
    let (time, rest) = after.trim_start().strip_prefix('[')?.split_once(']')?;
    let start = parse_time(time)?;
    let label = label_for(name.trim(), Evidence::Marked)?;
    Some(LineHead { label, start: Some(start), rest: rest.trim().to_string(), ..LineHead::default() })
}

/// A time at the very start of the line: `00:00:04 text`, `0:00:12.9 **Name** text`,
/// `0:14:01.2**Name** text`, `[01:04:06.29] text`, `\[08:23\] text`; a label may follow it.
fn leading_time(line: &str) -> Option<LineHead> {
    let (start, after) = if let Some((time, rest)) = bracketed_time_prefix(line) {
        (time, rest)
    } else {
        let clock_len =
            line.find(|c: char| !(c.is_ascii_digit() || matches!(c, ':' | '.' | ','))).unwrap_or(line.len());
        let (clock, rest) = line.split_at(clock_len);
        // The time must stand apart from the words (`10:30am` is text).
        let stands_apart = rest.is_empty() || rest.starts_with([' ', '\t', '*', '_', '<']);
        if !stands_apart || !clock.contains(':') {
            return None;
        }
        (parse_time(clock)?, rest)
    };
    let after = after.trim();
    let head = bold_label(after, true).or_else(|| plain_label(after)).unwrap_or_else(|| LineHead::text(after));
    Some(LineHead { start: Some(start), evidence: Evidence::Marked, ..head })
}

/// `[01:04:06.29] rest` or `\[08:23\] rest` at the start of `line`: the time and the rest.
fn bracketed_time_prefix(line: &str) -> Option<(u64, &str)> {
    let (escaped, inside_and_rest) = match line.strip_prefix("\\[") {
        Some(rest) => (true, rest),
        None => (false, line.strip_prefix('[')?),
    };
    let close = if escaped { "\\]" } else { "]" };
    let (inside, rest) = inside_and_rest.split_once(close)?;
    Some((parse_time(inside)?, rest))
}

/// `Lenny Rachitsky (00:00:00):` and the nameless continuation `(00:01:59):`, text optional.
fn label_with_time_in_parentheses(line: &str) -> Option<LineHead> {
    line.match_indices('(').find_map(|(open, _)| {
        let after_open = &line[open + 1..];
        let (time, after_close) = after_open.split_once(')')?;
        let rest = after_close.strip_prefix(':')?;
        let start = parse_time(time)?;
        let name = line[..open].trim();
        let label = if name.is_empty() { Label::None } else { label_for(name, Evidence::Marked)? };
        Some(LineHead { label, start: Some(start), rest: rest.trim().to_string(), ..LineHead::default() })
    })
}

/// `**Name:** text`, `**Name:**` alone, `**Name:** 00:00:00`, `**Name**:`, `__Name:__`, and
/// `**Name**` without a colon when alone on its line or when `after_time`
/// (`0:00:27.3 **Jason Staten** Yeah.`).
fn bold_label(line: &str, after_time: bool) -> Option<LineHead> {
    let marker = ["**", "__"].into_iter().find(|m| line.starts_with(m))?;
    let (inside, after) = line[marker.len()..].split_once(marker)?;
    let (name, rest) = if let Some((name, spill)) = inside.split_once(':') {
        // `**On Freund: "**Never stop developing"`: what follows the colon inside is text.
        (name, format!("{}{after}", spill.trim_start()))
    } else if let Some(rest) = after.strip_prefix(':') {
        (inside, rest.to_string())
    } else if after_time || after.trim().is_empty() {
        (inside, after.to_string())
    } else {
        // `**We use 1Password** and we think…`: bold words opening a sentence.
        return None;
    };
    let (time, rest) = time_after_label(&rest);
    Some(LineHead {
        label: label_for(name.trim(), Evidence::Marked)?,
        start: time.flatten(),
        rest: rest.to_string(),
        ..LineHead::default()
    })
}

/// `Name: text`, `Name:` alone, `Name: 00:00:19` and `Speaker 0: 00:00:16 text`.
fn plain_label(line: &str) -> Option<LineHead> {
    let (name, after) = line.split_once(':')?;
    // `http://…`, `12:30` and `Note:that` are not labels: a label's colon ends a word.
    if !(after.is_empty() || after.starts_with([' ', '\t'])) || name != name.trim() {
        return None;
    }
    let after = after.trim();
    if ["http://", "https://", "<http", "www."].iter().any(|url| after.starts_with(url)) {
        // `Guix: https://guix.gnu.org/`: a link list, not speech.
        return None;
    }
    let (time, rest) = time_after_label(after);
    let evidence = match time {
        Some(_) => Evidence::Marked,
        None => Evidence::Plain,
    };
    let label = label_for(name, evidence)?;
    // `Break:` names no one and reads as no sentence: as sure as a bold label.
    let evidence = if label == Label::Interlude { Evidence::Marked } else { evidence };
    Some(LineHead { label, evidence, start: time.flatten(), rest: rest.to_string(), ..LineHead::default() })
}

/// A time opening the text after a label (`Name: 00:00:19`, `**Name:** 00:00:00`): `Some`
/// with the time when the first word is clock-like, `Some(None)` when it is clock-like but
/// unreadable (`Calle: 00:27:4`, a typo that is still no speech), and the remaining words.
fn time_after_label(after: &str) -> (Option<Option<u64>>, &str) {
    let after = after.trim();
    let (first_word, words_after) = after.split_once(char::is_whitespace).unwrap_or((after, ""));
    let clock_like =
        first_word.contains(':') && first_word.chars().all(|c| c.is_ascii_digit() || matches!(c, ':' | '.' | ','));
    if clock_like { (Some(parse_time(first_word)), words_after.trim()) } else { (None, after) }
}

/// The label for `name`, or `None` when it cannot be a speaker label.
fn label_for(name: &str, evidence: Evidence) -> Option<Label> {
    let lower = name.to_lowercase();
    if INTERLUDE_LABELS.contains(&lower.as_str()) {
        Some(Label::Interlude)
    } else if is_speaker_name(name, evidence) {
        Some(Label::Speaker(name.to_string()))
    } else {
        None
    }
}

/// Short, capitalised names: 1–[`MAX_NAME_WORDS`] words each, several joined by `&`, `,` or
/// `and`; `Speaker N`; an alias or note in parentheses at the end is not counted.
fn is_speaker_name(label: &str, evidence: Evidence) -> bool {
    if label.is_empty() || label.chars().count() > MAX_LABEL_CHARS {
        return false;
    }
    let (core, _) = split_parenthetical(label);
    if !core.chars().next().is_some_and(char::is_uppercase) {
        return false;
    }
    let first_word = core.split_whitespace().next().unwrap_or_default().trim_end_matches(['.', ',']).to_lowercase();
    if NOT_SPEAKER_FIRST_WORDS.contains(&first_word.as_str()) {
        return false;
    }
    let names: Vec<&str> = core
        .split(['&', ','])
        .flat_map(|part| part.split(" and "))
        .map(str::trim)
        .filter(|part| !part.is_empty())
        .collect();
    !names.is_empty() && names.len() <= MAX_NAMES_PER_LABEL && names.iter().all(|name| is_one_name(name, evidence))
}

/// One person's name: capitalised words, particles, and a number only where diarization puts
/// one (`Speaker 12`) unless the label is marked as one (`[Matt Keeter 2]`).
fn is_one_name(name: &str, evidence: Evidence) -> bool {
    let words: Vec<&str> = name.split_whitespace().collect();
    if words.is_empty() || words.len() > MAX_NAME_WORDS {
        return false;
    }
    words.iter().enumerate().all(|(i, word)| {
        let word = word.trim_matches(['‘', '’', '\'', '"', '“', '”', '.', ',']);
        let letters_ok =
            !word.is_empty() && word.chars().all(|c| c.is_alphanumeric() || matches!(c, '-' | '\'' | '’' | '‘' | '.'));
        let capitalised = word.chars().next().is_some_and(char::is_uppercase);
        let number = i > 0 && word.chars().all(|c| c.is_ascii_digit());
        let number_allowed =
            evidence == Evidence::Marked || NUMBERED_SPEAKER_WORDS.contains(&words[0].to_lowercase().as_str());
        let particle = i > 0 && NAME_PARTICLES.contains(&word);
        letters_ok && (capitalised || particle || (number && number_allowed))
    })
}

/// `Michael Folkson (MF)` → (`Michael Folkson`, `Some("MF")`); without a trailing
/// parenthetical, (`label`, `None`).
fn split_parenthetical(label: &str) -> (&str, Option<&str>) {
    let label = label.trim();
    match label.strip_suffix(')').and_then(|l| l.rsplit_once('(')) {
        Some((core, inside)) if !core.trim().is_empty() => (core.trim(), Some(inside.trim())),
        _ => (label, None),
    }
}

/// Turns labels into speaker names: `Name (AB)` declares `AB` as an alias, and a bare `AB:`
/// means the one name seen so far with those initials (`CS:` after `Cyndi Stivers:`).
#[derive(Debug, Default)]
struct SpeakerNames {
    aliases: HashMap<String, String>,
    known: Vec<String>,
}

impl SpeakerNames {
    fn resolve(&mut self, label: &str) -> String {
        let label = label.trim();
        if let (core, Some(alias)) = split_parenthetical(label)
            && is_initials(alias)
        {
            self.aliases.insert(alias.to_string(), core.to_string());
            self.remember(core);
            return core.to_string();
        }
        if let Some(name) = self.aliases.get(label) {
            return name.clone();
        }
        if is_initials(label) && label.len() >= 2 {
            let mut matching = self.known.iter().filter(|name| initials(name) == label);
            if let (Some(name), None) = (matching.next(), matching.next()) {
                let name = name.clone();
                self.aliases.insert(label.to_string(), name.clone());
                return name;
            }
        }
        self.remember(label);
        label.to_string()
    }

    fn remember(&mut self, name: &str) {
        if !self.known.iter().any(|known| known == name) {
            self.known.push(name.to_string());
        }
    }
}

/// 1–5 upper-case ASCII letters, as transcribers abbreviate names (`MF`, `AJ`, `M`).
fn is_initials(text: &str) -> bool {
    (1..=5).contains(&text.len()) && text.bytes().all(|b| b.is_ascii_uppercase())
}

/// The upper-case first letters of a name's words: `Aaron van Wirdum` → `AW`.
fn initials(name: &str) -> String {
    name.split_whitespace()
        .filter_map(|word| word.chars().find(|c| c.is_alphabetic()))
        .filter(|c| c.is_uppercase())
        .collect()
}

/// Parses a clock time as transcripts write it, typos included: `04:22`, `1:02:03.45`,
/// `0:35:45:9` (a colon for the decimal point), `:12:34.5` (hour left out), `00:18:26:`.
/// Seconds must have two digits, so `1:1` and `3:5` are not times.
fn parse_time(text: &str) -> Option<u64> {
    let text = text.trim().trim_end_matches(':');
    let is_clock_char = |c: char| c.is_ascii_digit() || matches!(c, ':' | '.' | ',');
    if !text.contains(':') || !text.chars().all(is_clock_char) {
        return None;
    }
    let mut time = if text.starts_with(':') { format!("0{text}") } else { text.to_string() };
    if time.matches(':').count() == 3
        && !time.contains(['.', ','])
        && let Some((clock, fraction)) = time.rsplit_once(':')
    {
        time = format!("{clock}.{fraction}");
    }
    let clock = time.split(['.', ',']).next().unwrap_or_default();
    let seconds = clock.rsplit(':').next().unwrap_or_default();
    if seconds.len() != 2 {
        return None;
    }
    clock::parse_clock(&time)
}

/// Whisper's seconds with a fraction (`5720.58`) in milliseconds.
fn parse_seconds(text: &str) -> Option<u64> {
    let text = text.trim();
    let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
    let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if whole.is_empty() || whole.len() > 9 || !all_digits(whole) || !all_digits(fraction) {
        return None;
    }
    let millis: String = fraction.chars().chain("000".chars()).take(3).collect();
    Some(whole.parse::<u64>().ok()? * 1000 + millis.parse::<u64>().ok()?)
}

/// Builds cues line by line, carrying a label (or time) that stands alone on its line over to
/// the text that follows it.
struct BodyReader {
    cues: Vec<Cue>,
    /// A label, time or break seen with no text yet; the next text belongs to it.
    pending: Option<Cue>,
    names: SpeakerNames,
    in_code_block: bool,
    /// Read bare `Word:` labels as text (the file marks its real labels otherwise).
    plain_labels_are_text: bool,
}

impl BodyReader {
    fn new(front_matter_speakers: &[String], plain_labels_are_text: bool) -> BodyReader {
        let mut names = SpeakerNames::default();
        for speaker in front_matter_speakers {
            names.remember(speaker);
        }
        BodyReader { cues: Vec::new(), pending: None, names, in_code_block: false, plain_labels_are_text }
    }

    fn read_line(&mut self, number: usize, raw: &str, talk: &mut Talk) {
        let line = raw.trim().trim_start_matches('\u{feff}');
        if line.starts_with("```") || line.starts_with("~~~") {
            self.in_code_block = !self.in_code_block;
            return;
        }
        if self.in_code_block {
            self.push(Cue { text: line.to_string(), line: number, ..Cue::default() });
            return;
        }
        if line.is_empty() || is_horizontal_rule(line) {
            return;
        }
        let mut line = strip_quote_marks(line);
        if let Some((level, heading)) = heading(line) {
            // `# **Break:** \[25:59\] to \[27:11\]`: a marked label made big is still a label;
            // `## Question: can we…` is a section title.
            let marked =
                parse_line_head(heading).is_some_and(|head| head.is_labelled() && head.evidence == Evidence::Marked);
            if marked {
                line = heading;
            } else {
                self.read_heading(number, level, &clean_markdown(heading), talk);
                return;
            }
        }
        let head = match list_item(line) {
            // Notes in a list (`- Question: what about…`) are not dialogue.
            Some(item) => LineHead::text(item),
            None => parse_line_head(line)
                .filter(|head| !(self.plain_labels_are_text && head.evidence == Evidence::Plain))
                .unwrap_or_else(|| LineHead::text(line)),
        };
        let (speaker, speaker_change) = match &head.label {
            Label::Speaker(label) => (Some(self.names.resolve(label)), false),
            Label::Interlude => (None, true),
            Label::None => (None, false),
        };
        // The label itself has no words: pushed without text, it waits for the text below.
        self.push(Cue { speaker, speaker_change, start: head.start, end: head.end, line: number, ..Cue::default() });
        for (voice, words) in split_voices(&head.rest) {
            let mut speaker = voice.map(|name| self.names.resolve(name));
            for (mark, piece) in split_time_marks(words) {
                self.push(Cue {
                    speaker: speaker.take(),
                    start: mark,
                    text: clean_markdown(piece),
                    line: number,
                    ..Cue::default()
                });
            }
        }
    }

    /// A top-level heading before any text is the title (front matter's title wins); `##
    /// Transcript` and a repeat of the title are dropped; other headings are text of their
    /// own, said by no one.
    fn read_heading(&mut self, number: usize, level: usize, text: &str, talk: &mut Talk) {
        if text.is_empty() {
            return;
        }
        if level == 1 && self.cues.is_empty() {
            // A title heading above the transcript; front matter, when present, names the talk
            // already (sometimes differently: a copied heading from another episode).
            talk.title.get_or_insert_with(|| text.to_string());
            return;
        }
        let lower = text.to_lowercase();
        let repeats_title = talk.title.as_deref().is_some_and(|title| title.to_lowercase() == lower);
        if repeats_title || STRUCTURAL_HEADINGS.contains(&lower.as_str()) {
            return;
        }
        // A label waiting for its text keeps waiting: the heading is not what it introduces.
        let waiting_label = self.pending.take();
        self.push(Cue { speaker_change: true, text: text.to_string(), line: number, ..Cue::default() });
        self.pending = waiting_label;
    }

    /// Adds a cue, first merging in a pending label; a cue without words becomes pending.
    fn push(&mut self, cue: Cue) {
        let cue = match self.pending.take() {
            Some(pending) => merge_into_later(pending, cue),
            None => cue,
        };
        if cue.text.trim().is_empty() {
            self.pending = Some(cue);
        } else {
            self.cues.push(cue);
        }
    }
}

/// Combines a pending label with the cue that follows it; what the later cue says wins.
fn merge_into_later(earlier: Cue, later: Cue) -> Cue {
    let later_names_speaker = later.speaker.is_some();
    Cue {
        speaker_change: later.speaker_change || (earlier.speaker_change && !later_names_speaker),
        speaker: if later.speaker_change { later.speaker } else { later.speaker.or(earlier.speaker) },
        start: later.start.or(earlier.start),
        end: later.end.or(earlier.end),
        // A turn starts on its label's line, unless a new label replaced it.
        line: if later_names_speaker { later.line } else { earlier.line },
        text: later.text,
        marks: later.marks,
    }
}

/// Splits `text` at `<v Name>` voice tags (talkpython's txt): the words before the first tag,
/// then each tag's name and words. Merged lines can hold several tags.
fn split_voices(text: &str) -> Vec<(Option<&str>, &str)> {
    let mut pieces = Vec::new();
    let mut voice = None;
    let mut rest = text;
    loop {
        let tag = rest.match_indices("<v").map(|(open, _)| open).find(|&open| rest[open + 2..].starts_with([' ', '.']));
        let Some(open) = tag else { break };
        let Some(close) = rest[open..].find('>').map(|i| open + i) else {
            break;
        };
        pieces.push((voice, &rest[..open]));
        let inside = &rest[open + 2..close];
        // `<v.loud Esme>`: classes before the space, the name after it.
        let name = inside.split_once(' ').map_or("", |(_, name)| name).trim();
        voice = (!name.is_empty()).then_some(name);
        rest = &rest[close + 1..];
    }
    pieces.push((voice, rest));
    pieces
}

/// Splits `text` at time marks `\[04:22\]` or `[00:04:01.06]`: each piece with the time of the
/// mark before it. `\[unintelligible 00:01:42.15\]` is not a mark and stays in the text.
fn split_time_marks(text: &str) -> Vec<(Option<u64>, &str)> {
    let mut pieces = Vec::new();
    let mut mark = None;
    let mut piece_start = 0;
    let mut search_from = 0;
    while let Some(found) = text[search_from..].find('[') {
        let open = search_from + found;
        let escaped = text[..open].ends_with('\\');
        let mark_start = if escaped { open - 1 } else { open };
        let inside_start = open + 1;
        let close = if escaped { "\\]" } else { "]" };
        let timed = text[inside_start..].find(close).and_then(|length| {
            let time = parse_time(&text[inside_start..inside_start + length])?;
            Some((time, inside_start + length + close.len()))
        });
        match timed {
            Some((time, mark_end)) => {
                pieces.push((mark, &text[piece_start..mark_start]));
                mark = Some(time);
                piece_start = mark_end;
                search_from = mark_end;
            }
            None => search_from = inside_start,
        }
    }
    pieces.push((mark, &text[piece_start..]));
    pieces
}

/// Removes quote marks (`> `, `>> `) from the start of a line.
fn strip_quote_marks(line: &str) -> &str {
    line.trim().trim_start_matches(|c: char| c == '>' || c.is_whitespace())
}

/// The text of a list item (`- `, `* `, `+ `), or `None` for a line that is not one.
fn list_item(line: &str) -> Option<&str> {
    ["- ", "* ", "+ "].iter().find_map(|bullet| line.strip_prefix(bullet))
}

/// `## Heading` → (2, `Heading`); a `#` must be followed by a space (`#hashtag` is text).
fn heading(line: &str) -> Option<(usize, &str)> {
    let level = line.len() - line.trim_start_matches('#').len();
    let text = &line[level..];
    ((1..=6).contains(&level) && (text.is_empty() || text.starts_with(' ')))
        .then(|| (level, text.trim().trim_end_matches('#').trim()))
}

/// `---`, `***`, `___` (three or more, spaces allowed).
fn is_horizontal_rule(line: &str) -> bool {
    let marks: String = line.chars().filter(|c| !c.is_whitespace()).collect();
    marks.len() >= 3 && ['-', '*', '_'].iter().any(|&mark| marks.chars().all(|c| c == mark))
}

/// Text free of Markdown and HTML: links keep their text, images go, `**`/`__`, emphasis
/// stars and code backticks go, backslash escapes are undone and entities decoded.
fn clean_markdown(text: &str) -> String {
    let text = replace_links(text);
    let text = markup::strip_tags(&text);
    let text = strip_emphasis(&text);
    let text = unescape(&text);
    let text = markup::decode_entities(&text);
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `[text](url)` → `text`, `![alt](url)` → nothing, `<https://…>` → the address.
fn replace_links(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find(['[', '<']) {
        let (before, from_open) = rest.split_at(open);
        if let Some(address) = from_open
            .strip_prefix('<')
            .and_then(|r| r.split_once('>'))
            .filter(|(inside, _)| inside.starts_with("http") && !inside.contains(' '))
        {
            out.push_str(before);
            out.push_str(address.0);
            rest = address.1;
            continue;
        }
        let escaped = before.ends_with('\\');
        let image = before.ends_with('!');
        match link_parts(from_open).filter(|_| !escaped) {
            Some((link_text, after)) => {
                out.push_str(if image { &before[..before.len() - 1] } else { before });
                if !image {
                    out.push_str(link_text);
                }
                rest = after;
            }
            None => {
                // Not a link: keep the bracket and look further.
                let (bracket, after) = from_open.split_at(1);
                out.push_str(before);
                out.push_str(bracket);
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// `[text](url)rest` → (`text`, `rest`), allowing balanced parentheses in the address.
fn link_parts(from_open: &str) -> Option<(&str, &str)> {
    let (link_text, after_text) = from_open.strip_prefix('[')?.split_once(']')?;
    let address_and_rest = after_text.strip_prefix('(')?;
    let mut depth = 1usize;
    for (i, c) in address_and_rest.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => {
                depth -= 1;
                if depth == 0 {
                    return Some((link_text, &address_and_rest[i + 1..]));
                }
            }
            ' ' => return None,
            _ => {}
        }
    }
    None
}

/// Removes `**`, `__`, backticks and `*` that open or close emphasis (`*word*`); a star
/// between spaces (`2 * 3`) or inside a word (`a*b`) is kept.
fn strip_emphasis(text: &str) -> String {
    let text = text.replace("**", "").replace("__", "").replace('`', "");
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    for (i, &c) in chars.iter().enumerate() {
        if c == '*' {
            let before = i.checked_sub(1).and_then(|j| chars.get(j)).copied();
            let after = chars.get(i + 1).copied();
            let open_side = |c: Option<char>| c.is_none_or(|c| !c.is_alphanumeric());
            let word_side = |c: Option<char>| c.is_some_and(|c| !c.is_whitespace());
            let opens = open_side(before) && word_side(after);
            let closes = word_side(before) && open_side(after);
            if opens || closes {
                continue;
            }
        }
        out.push(c);
    }
    out
}

/// Undoes Markdown backslash escapes: `\[laughs\]` → `[laughs]`.
fn unescape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\\' && chars.peek().is_some_and(|next| next.is_ascii_punctuation()) {
            continue;
        }
        out.push(c);
    }
    out
}

/// Index of the closing `---` of YAML front matter opening on the first line.
fn front_matter_end(lines: &[&str]) -> Option<usize> {
    let first = lines.first()?.trim_start_matches('\u{feff}').trim_end();
    if first != "---" {
        return None;
    }
    lines.iter().enumerate().skip(1).find(|(_, line)| matches!(line.trim_end(), "---" | "...")).map(|(i, _)| i)
}

/// Reads the keys talksearch uses from the small YAML subset transcripts use: `key: value`,
/// quoted values, values folded over indented lines, `- item` lists and `[a, b]` lists.
fn read_front_matter(lines: &[&str], talk: &mut Talk) {
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        i += 1;
        let top_level = !line.starts_with([' ', '\t', '-', '#']);
        let Some((key, value)) = line.split_once(':').filter(|_| top_level) else {
            continue;
        };
        let mut items = Vec::new();
        let mut folded = Vec::new();
        while let Some(next) = lines.get(i) {
            let trimmed = next.trim();
            if let Some(item) = trimmed.strip_prefix("- ").or((trimmed == "-").then_some("")) {
                items.push(unquote(item));
            } else if next.starts_with([' ', '\t']) || trimmed.is_empty() {
                folded.push(trimmed);
            } else {
                break;
            }
            i += 1;
        }
        let value = value.trim();
        let scalar = if matches!(value, ">" | ">-" | ">+" | "|" | "|-" | "|+") || value.is_empty() {
            folded.join(" ")
        } else {
            std::iter::once(value).chain(folded).collect::<Vec<_>>().join(" ")
        };
        let scalar = scalar.trim();
        let scalar = match scalar.strip_prefix('[').and_then(|s| s.strip_suffix(']')) {
            Some(flow_list) => {
                items.extend(flow_list.split(',').map(unquote));
                String::new()
            }
            None => markup::decode_entities(&unquote(scalar)),
        };
        apply_front_matter_key(&key.trim().to_lowercase(), scalar, items, talk);
    }
}

fn apply_front_matter_key(key: &str, scalar: String, items: Vec<String>, talk: &mut Talk) {
    let scalar = Some(scalar).filter(|s| !s.is_empty());
    match key {
        "title" => talk.title = talk.title.take().or(scalar),
        "date" | "publish_date" | "published" | "recorded" => talk.date = talk.date.take().or(scalar),
        "show" | "podcast" | "channel" | "series" => talk.show = talk.show.take().or(scalar),
        "media" | "media_url" | "video" | "video_url" | "youtube" | "youtube_url" | "url" | "audio" | "audio_url" => {
            talk.media_url = talk.media_url.take().or(scalar)
        }
        "speakers" | "speaker" | "guest" | "guests" => {
            let names = scalar.iter().flat_map(|s| s.split(',')).map(str::to_string).chain(items);
            for name in names {
                let name = name.trim().to_string();
                if !name.is_empty() && !talk.speakers.contains(&name) {
                    talk.speakers.push(name);
                }
            }
        }
        _ => {}
    }
}

/// Removes matching quotes around a YAML scalar; `''` inside single quotes is one `'`.
fn unquote(value: &str) -> String {
    let value = value.trim();
    if let Some(inner) = value.strip_prefix('\'').and_then(|v| v.strip_suffix('\'')) {
        inner.replace("''", "'")
    } else if let Some(inner) = value.strip_prefix('"').and_then(|v| v.strip_suffix('"')) {
        inner.replace("\\\"", "\"")
    } else {
        value.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{TimeMark, Timestamp, Turn};

    /// (speaker, text) of each turn.
    fn shape(talk: &Talk) -> Vec<(Option<&str>, &str)> {
        talk.turns.iter().map(|t| (t.speaker.as_deref(), t.text.as_str())).collect()
    }

    fn starts(talk: &Talk) -> Vec<Option<u64>> {
        talk.turns.iter().map(|t| t.start.map(|s| s.millis)).collect()
    }

    /// The time said at `quote`: the last mark at or before it, else the turn's start.
    fn time_at(turn: &Turn, quote: &str) -> Option<u64> {
        let at = turn.text.find(quote)?;
        turn.marks.iter().rev().find(|mark| mark.offset <= at).map(|mark| mark.millis).or(turn.start.map(|s| s.millis))
    }

    #[test]
    fn bold_labels_with_follow_on_paragraphs_and_escaped_marks() {
        let text = "**Jerod Santo:** Welcome to the show. \\[00:30\\] Glad you're here.\n\n\
                    **Rob Pike:** \\[04:22\\] 45 minutes.\n\n\
                    \\[08:23\\] So we had worked together a lot.\n\n\
                    **Jerod Santo:** Interesting.\n";
        let talk = parse(text).unwrap();
        assert_eq!(
            shape(&talk),
            vec![
                (Some("Jerod Santo"), "Welcome to the show. Glad you're here."),
                (Some("Rob Pike"), "45 minutes."),
                // A later time more than a pause away starts a new turn (`join_cues`).
                (Some("Rob Pike"), "So we had worked together a lot."),
                (Some("Jerod Santo"), "Interesting."),
            ]
        );
        // The first turn's time is a mark inside it, not its start.
        assert_eq!(starts(&talk), vec![None, Some(262_000), Some(503_000), None]);
        let first = &talk.turns[0];
        assert_eq!(first.marks, vec![TimeMark { offset: 21, millis: 30_000 }]);
        assert_eq!(time_at(first, "Glad"), Some(30_000));
        assert_eq!(time_at(first, "Welcome"), None);
        assert_eq!(talk.turns[1].line, 3);
        assert!(talk.turns.iter().all(|t| t.end.is_none()));
    }

    #[test]
    fn bracketed_text_with_a_time_inside_is_not_a_mark() {
        let text = "**Alex Koehler:** The rest of the \\[unintelligible 00:01:42.15\\] \\[laughs\\]\n\
                    **Tom Wilkie:** Good.\n";
        let talk = parse(text).unwrap();
        assert_eq!(talk.turns[0].text, "The rest of the [unintelligible 00:01:42.15] [laughs]");
        assert!(talk.turns[0].marks.is_empty() && talk.turns[0].start.is_none());
    }

    #[test]
    fn pseudo_speakers_start_unnamed_turns() {
        let text = "**Jerod Santo:**\n\nNews item.\n\n**Break:**\n\nA word from our sponsor.\n\n\
                    **Break:**\n\n**Jerod Santo:**\n\nMore news.\n";
        let talk = parse(text).unwrap();
        assert_eq!(
            shape(&talk),
            vec![
                (Some("Jerod Santo"), "News item."),
                (None, "A word from our sponsor."),
                (Some("Jerod Santo"), "More news."),
            ]
        );
        assert_eq!(talk.turns[2].line, 11, "the turn starts on its label");

        // A plain `Break:` among bold labels is a break too; its end time opens the next turn.
        let text = "**Ann Lee:** Hi.\n\n**Ann Lee:** More.\n\nBreak: \\[21:02\\] to \\[22:31\\]\n\n\
                    **Bob Ray:** Back.\n";
        let talk = parse(text).unwrap();
        assert_eq!(shape(&talk), vec![(Some("Ann Lee"), "Hi. More."), (None, "to"), (Some("Bob Ray"), "Back.")]);
        assert_eq!(starts(&talk), vec![None, Some(1_262_000), Some(1_351_000)]);
    }

    #[test]
    fn bold_words_opening_a_sentence_are_not_a_label() {
        let text = "**Ann Lee:** Hi.\n\n**We use 1Password** and so should you.\n";
        let talk = parse(text).unwrap();
        assert_eq!(shape(&talk), vec![(Some("Ann Lee"), "Hi. We use 1Password and so should you.")]);
    }

    #[test]
    fn name_with_time_in_parentheses_and_nameless_continuations() {
        let text = "# Making Meta\n\n## Transcript\n\nLenny (00:00:00):\nYou were the 10th engineer.\n\n\
                    Mike Maples, Jr. (00:00:07):\nI didn't sleep.\n\n(00:00:48):\nToday, my guest.\n";
        let talk = parse(text).unwrap();
        assert_eq!(talk.title.as_deref(), Some("Making Meta"));
        assert_eq!(
            shape(&talk),
            vec![
                (Some("Lenny"), "You were the 10th engineer."),
                (Some("Mike Maples, Jr."), "I didn't sleep."),
                (Some("Mike Maples, Jr."), "Today, my guest."),
            ]
        );
        assert_eq!(starts(&talk), vec![Some(0), Some(7_000), Some(48_000)]);
    }

    #[test]
    fn bracketed_speaker_and_time_lines() {
        let text = "[Speaker 1] [00:00] I'm back. How do I sound?\n\
                    [Speaker 2] [00:01] Sound good.\n\
                    [Bryan Cantrill] [01:00:23] So\n";
        let talk = parse(text).unwrap();
        assert_eq!(
            shape(&talk),
            vec![
                (Some("Speaker 1"), "I'm back. How do I sound?"),
                (Some("Speaker 2"), "Sound good."),
                (Some("Bryan Cantrill"), "So"),
            ]
        );
        assert_eq!(starts(&talk), vec![Some(0), Some(1_000), Some(3_623_000)]);
    }

    #[test]
    fn whisper_console_lines_give_start_and_end() {
        let text = "[0.00 --> 2.90]  We've got a good crew here.\n\
                    [5.06 --> 13.38]  The origin of this.\n";
        let talk = parse(text).unwrap();
        assert_eq!(talk.turns.len(), 1);
        let turn = &talk.turns[0];
        assert_eq!(turn.speaker, None);
        assert_eq!(turn.text, "We've got a good crew here. The origin of this.");
        assert_eq!(turn.start, Some(Timestamp::exact(0)));
        assert_eq!(turn.end, Some(Timestamp::exact(13_380)));
        assert_eq!(time_at(turn, "The origin"), Some(5_060));
    }

    #[test]
    fn time_first_with_bold_names_bom_and_crlf() {
        let text = "\u{feff}(Intro music: Electro swing)\r\n\r\n\
                    0:00:12.9 **Adam Garrett-Harris** Hello and welcome.\r\n\r\n\
                    0:00:27.3 **Jason Staten** Yeah.\r\n\
                    0:00:28.1 I liked Io.\r\n\
                    0:14:01.2**Jason Staten & Jen Luker** (laughing)\r\n\
                    0:35:45:9 **Adam Garrett-Harris** Typo time.\r\n";
        let talk = parse(text).unwrap();
        assert_eq!(
            shape(&talk),
            vec![
                (None, "(Intro music: Electro swing)"),
                (Some("Adam Garrett-Harris"), "Hello and welcome."),
                (Some("Jason Staten"), "Yeah. I liked Io."),
                (Some("Jason Staten & Jen Luker"), "(laughing)"),
                (Some("Adam Garrett-Harris"), "Typo time."),
            ]
        );
        assert_eq!(starts(&talk), vec![None, Some(12_900), Some(27_300), Some(841_200), Some(2_145_900)]);
    }

    #[test]
    fn time_first_lines_with_voice_tags_or_labels() {
        let text = "00:00:00 Does your code smell?\n\n\
                    00:00:05 <v Michael Kennedy>Here's a card <v Falko Schindler>and a panel.\n\n\
                    00:00:09 MARK MANDEL: Thanks.\n";
        let talk = parse(text).unwrap();
        assert_eq!(
            shape(&talk),
            vec![
                (None, "Does your code smell?"),
                (Some("Michael Kennedy"), "Here's a card"),
                (Some("Falko Schindler"), "and a panel."),
                (Some("MARK MANDEL"), "Thanks."),
            ]
        );
        assert_eq!(starts(&talk), vec![Some(0), Some(5_000), None, Some(9_000)]);
    }

    #[test]
    fn front_matter_and_label_lines_with_times() {
        let text = "---\ntitle: OP_RETURN\ntranscript_by: someone\nmedia: https://youtu.be/x\n\
                    tags:\n  - scripts\nspeakers:\n  - Sjors Provoost\n  - Aaron van Wirdum\n\
                    date: 2022-07-15\n---\n## Intro\n\nAaron van Wirdum: 00:00:19\n\n\
                    Live from Utrecht.\nHey Sjors.\n\nSjors Provoost: 0:00:24\n\nWhat's up?\n\n\
                    Calle: 00:27:4\n\nBroken time.\n";
        let talk = parse(text).unwrap();
        assert_eq!(talk.title.as_deref(), Some("OP_RETURN"));
        assert_eq!(talk.date.as_deref(), Some("2022-07-15"));
        assert_eq!(talk.media_url.as_deref(), Some("https://youtu.be/x"));
        assert_eq!(talk.speakers, ["Sjors Provoost", "Aaron van Wirdum"]);
        assert_eq!(
            shape(&talk),
            vec![
                (None, "Intro"),
                (Some("Aaron van Wirdum"), "Live from Utrecht. Hey Sjors."),
                (Some("Sjors Provoost"), "What's up?"),
                (Some("Calle"), "Broken time."),
            ]
        );
        assert_eq!(starts(&talk), vec![None, Some(19_000), Some(24_000), None]);
        assert_eq!(talk.turns[1].line, 14);
    }

    #[test]
    fn a_heading_between_label_and_text_keeps_the_label() {
        let talk = parse("Ann Lee: 00:00:19\n\n## Welcome\n\nHello.\n").unwrap();
        assert_eq!(shape(&talk), vec![(None, "Welcome"), (Some("Ann Lee"), "Hello.")]);
        assert_eq!(starts(&talk), vec![None, Some(19_000)]);
    }

    #[test]
    fn front_matter_folded_values_comma_speakers_and_flow_lists() {
        let text = "---\ntitle: '[Draft] Making Meta | Andrew ‘Boz’ Bosworth'\ndescription: 'Long text\n\
                    \n  continued over lines.'\nspeakers: Ann Lee, Bob Ray\nyoutube_url: https://y\n\
                    keywords: [a, b]\n---\nQ: Why?\nA: Because.\n";
        let talk = parse(text).unwrap();
        assert_eq!(talk.title.as_deref(), Some("[Draft] Making Meta | Andrew ‘Boz’ Bosworth"));
        assert_eq!(talk.speakers, ["Ann Lee", "Bob Ray"]);
        assert_eq!(talk.media_url.as_deref(), Some("https://y"));
        assert_eq!(shape(&talk), vec![(Some("Q"), "Why?"), (Some("A"), "Because.")]);
    }

    #[test]
    fn plain_labels_on_caption_lines_with_entities_and_initials() {
        let text = "\n\nCyndi Stivers: So, future of storytelling.\nBefore we do the future,\n\n\
                    Shonda Rhimes:\nWhat&#39;s never going to change.\n(Laughter)\n\n\
                    CS: OK. In preparation\n\nSR: Yes.\n";
        let talk = parse(text).unwrap();
        assert_eq!(
            shape(&talk),
            vec![
                (Some("Cyndi Stivers"), "So, future of storytelling. Before we do the future,"),
                (Some("Shonda Rhimes"), "What's never going to change. (Laughter)"),
                (Some("Cyndi Stivers"), "OK. In preparation"),
                (Some("Shonda Rhimes"), "Yes."),
            ]
        );
        assert_eq!(talk.turns[1].line, 6);
    }

    #[test]
    fn declared_aliases_name_their_speaker() {
        let text = "Michael Folkson (MF): This is London BitDevs.\n\n\
                    Pieter Wuille (PW): Hi.\n\nMF: Welcome.\n";
        let talk = parse(text).unwrap();
        let speakers: Vec<_> = talk.turns.iter().map(|t| t.speaker.as_deref()).collect();
        assert_eq!(speakers, [Some("Michael Folkson"), Some("Pieter Wuille"), Some("Michael Folkson")]);
    }

    #[test]
    fn sentences_with_a_colon_are_not_labels() {
        for line in [
            "The point is: nobody knows.",
            "Consider one project: IBM's Watson.",
            "Translator: Joseph Geni",
            "Rule 1: never deploy on Friday.",
            "Guix: https://guix.gnu.org/",
            "So: what now?",
            "my name: lower case",
        ] {
            let head = parse_line_head(line);
            assert!(head.as_ref().is_none_or(|h| !h.is_labelled()), "{line:?}: {head:?}");
        }
        assert!(is_speaker_name("Speaker 12", Evidence::Plain));
        assert!(is_speaker_name("Aaron van Wirdum", Evidence::Plain));
        assert!(is_speaker_name("Andrew ‘Boz’ Bosworth", Evidence::Plain));
        assert!(!is_speaker_name("One Two Three Four Five", Evidence::Plain));
    }

    #[test]
    fn markdown_noise_is_removed() {
        let text = "**Ann Lee:** > Read [the post](https://a.b/c_(d)) and *this* or __that__ \
                    with `code` ![img](x.png) at <https://x.y> for 2 * 3 \\# points &amp; more.\n";
        let talk = parse(text).unwrap();
        assert_eq!(
            talk.turns[0].text,
            "> Read the post and this or that with code at https://x.y for 2 * 3 # points & more."
        );
        let quoted = parse("> **Ann Lee:** Quoted.\n- Listed.\n").unwrap();
        assert_eq!(shape(&quoted), vec![(Some("Ann Lee"), "Quoted. Listed.")]);
    }

    #[test]
    fn times_accept_typos_and_reject_look_alikes() {
        assert_eq!(parse_time("04:22"), Some(262_000));
        assert_eq!(parse_time("1:02:03.45"), Some(3_723_450));
        assert_eq!(parse_time("0:35:45:9"), Some(2_145_900));
        assert_eq!(parse_time(":12:34.5"), Some(754_500));
        assert_eq!(parse_time("00:18:26:"), Some(1_106_000));
        for bad in ["1:1", "00:27:4", "12", "ab:cd", "unintelligible 00:01:42.15", ""] {
            assert_eq!(parse_time(bad), None, "{bad:?}");
        }
        assert_eq!(parse_seconds("5720.58"), Some(5_720_580));
        assert_eq!(parse_seconds("1.2.3"), None);
    }

    #[test]
    fn detects_labelled_heads_only() {
        assert!(looks_like("**Ann Lee:** Hi.\n\n**Bob Ray:** Hello.\n"));
        assert!(looks_like("Lenny (00:00:00):\nHi.\n\n(00:00:05):\nMore.\n"));
        assert!(looks_like("[Speaker 1] [00:00] Hi.\n[Speaker 2] [00:01] Yo.\n"));
        assert!(looks_like("[0.00 --> 2.90]  Hi.\n[2.90 --> 4.00]  Yo.\n"));
        assert!(looks_like("\u{feff}0:00:12.9 **Ann Lee** Hi.\r\n0:00:27.3 **Bob** Yo.\r\n"));
        assert!(looks_like("00:00:00 Hi.\n\n00:00:05 Yo.\n"));
        assert!(looks_like("---\ntitle: T\n---\nAnn Lee: 00:00:19\n\nHi.\n\nBob Ray: 00:00:24\n"));
        assert!(!looks_like("Just a transcript.\nWith lines: many.\n"));
        assert!(!looks_like("Translator: Joseph Geni\nReviewer: Morton Bast\n\nText.\n"));
        assert!(!looks_like("**Ann Lee:** Only one label.\n"));
    }

    #[test]
    fn errors_for_empty_and_textless_input() {
        assert_eq!(parse("").unwrap_err().kind, ParseErrorKind::Empty);
        assert_eq!(parse("\u{feff} \n\n").unwrap_err().kind, ParseErrorKind::Empty);
        for textless in ["---\ntitle: T\n---\n", "**Ann Lee:**\n", "# Title only\n"] {
            assert_eq!(parse(textless).unwrap_err().kind, ParseErrorKind::NoTranscript, "{textless:?}");
        }
    }

    const FIXTURES: &[&str] = &[
        include_str!("../../tests/fixtures/speaker_text/bold_labels.md"),
        include_str!("../../tests/fixtures/speaker_text/name_time_parentheses.md"),
        include_str!("../../tests/fixtures/speaker_text/bracketed_speakers.txt"),
        include_str!("../../tests/fixtures/speaker_text/whisper_ranges.txt"),
        include_str!("../../tests/fixtures/speaker_text/time_bold_name.txt"),
        include_str!("../../tests/fixtures/speaker_text/time_first.txt"),
        include_str!("../../tests/fixtures/speaker_text/label_time_lines.md"),
        include_str!("../../tests/fixtures/speaker_text/caption_labels.md"),
    ];

    #[test]
    fn fixtures_are_detected_and_parsed() {
        for fixture in FIXTURES {
            assert!(looks_like(fixture), "{fixture}");
            let talk = parse(fixture).unwrap();
            assert!(talk.turns.len() >= 2, "{fixture}");
            assert!(talk.turns.iter().any(|t| t.speaker.is_some()) || fixture.contains("-->"));
        }
    }

    #[test]
    fn never_panics_on_truncated_input() {
        for fixture in FIXTURES {
            for (cut, _) in fixture.char_indices() {
                let prefix = &fixture[..cut];
                let _ = looks_like(prefix);
                let _ = parse(prefix);
            }
        }
    }
}
