//! Scale corpora: N× some real transcripts, reshuffled into new talks, for benchmarks anyone
//! can rebuild byte for byte.
//!
//! The turns of the given transcripts (by default the shipped seed) go into a [`TurnPool`];
//! a turn longer than [`MAX_TURN_BYTES`] is cut at sentence ends first. A [`Generator`] then
//! deals the pool out `scale` times, each time in a new random order, into new talks with new
//! ids, titles and speakers and times that increase at a believable speaking rate, and writes
//! each talk in one of the formats talksearch reads, in turn: WebVTT, SubRip, speaker-labelled
//! Markdown and Whisper JSON. Every byte follows from the pool and the seed of a small
//! hand-written generator ([`SplitMix64`]), so the same inputs and seed give the same files.
//!
//! Each generated turn is meant to index as exactly one turn: consecutive turns always have
//! different speakers, cues within a turn follow each other without a pause, no turn reaches
//! the length at which the parsers cut turns, and no cue starts with what a parser would read
//! as a new speaker (`Name:`, `- `, `>> `). The turn count a run reports is therefore the
//! count `talksearch index` finds, which the tests check.

use crate::formats::cues::MAX_TURN_BYTES as PARSER_MAX_TURN_BYTES;
use crate::ingest::{self, IngestError, IngestOptions, SourceFile};
use crate::model::Talk;
use serde::Serialize;
use std::fmt::Write as _;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Longest generated turn, in bytes: well under the length at which the parsers cut a turn
/// at the next cue, so that a generated turn never becomes two.
pub const MAX_TURN_BYTES: usize = PARSER_MAX_TURN_BYTES * 3 / 4;

/// Errors from generating a corpus.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum GenerateError {
    /// The inputs gave no turn to build talks from.
    #[error("no transcript turns found in the inputs; give transcript files or folders")]
    NoTurns,
    /// The output folder already has files, which would be indexed along with the new ones.
    #[error("{} is not empty; generate into a new or empty folder", path.display())]
    NotEmpty {
        /// The output folder.
        path: PathBuf,
    },
    /// Writing failed.
    #[error("cannot write {}: {source}", path.display())]
    Write {
        /// The file or folder.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
}

/// A `Result` with [`GenerateError`].
pub type Result<T> = std::result::Result<T, GenerateError>;

/// How much to generate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GenerateOptions {
    /// How many times every turn of the pool is dealt out.
    pub scale: usize,
    /// Seed of the random choices.
    pub seed: u64,
    /// Average turns per talk; `None` takes the inputs' average.
    pub turns_per_talk: Option<usize>,
}

impl Default for GenerateOptions {
    fn default() -> GenerateOptions {
        GenerateOptions { scale: 1, seed: 1, turns_per_talk: None }
    }
}

/// The real turns talks are built from.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TurnPool {
    turns: Vec<String>,
    talks: usize,
}

impl TurnPool {
    /// The turns of `talks`, in order, each cleaned to one line and cut to at most
    /// [`MAX_TURN_BYTES`].
    pub fn from_talks<'a>(talks: impl IntoIterator<Item = &'a Talk>) -> TurnPool {
        let mut pool = TurnPool::default();
        for talk in talks {
            let before = pool.turns.len();
            for turn in &talk.turns {
                pool.turns.extend(
                    split_long(&clean(&turn.text)).into_iter().filter(|t| t.chars().any(char::is_alphanumeric)),
                );
            }
            if pool.turns.len() > before {
                pool.talks += 1;
            }
        }
        pool
    }

    /// Reads the transcripts in `paths` (files and folders) as `talksearch index` would; files
    /// that cannot be read are returned beside the pool, not fatal.
    pub fn load(paths: &[PathBuf]) -> (TurnPool, Vec<IngestError>) {
        let discovery = ingest::discover(paths);
        let mut errors = discovery.errors;
        let options = IngestOptions::default();
        let mut talks = Vec::with_capacity(discovery.files.len());
        for path in &discovery.files {
            match SourceFile::read(path, &options).and_then(|file| ingest::parse(file, &options)) {
                Ok(parsed) => talks.push(parsed.talk),
                Err(error) => errors.push(error),
            }
        }
        (TurnPool::from_talks(&talks), errors)
    }

    /// Turns in the pool.
    pub fn len(&self) -> usize {
        self.turns.len()
    }

    /// True when the pool has no turn.
    pub fn is_empty(&self) -> bool {
        self.turns.is_empty()
    }

    /// Talks the turns came from.
    pub fn talks(&self) -> usize {
        self.talks
    }

    /// Bytes of turn text in the pool.
    pub fn text_bytes(&self) -> usize {
        self.turns.iter().map(String::len).sum()
    }
}

/// Collapses whitespace to single spaces and drops control characters and `-->`, which every
/// subtitle format reads as a timing line.
fn clean(text: &str) -> String {
    let words: Vec<&str> = text.split_whitespace().collect();
    words.join(" ").replace("-->", "->").chars().filter(|c| !c.is_control()).collect()
}

/// Cuts `text` into pieces of at most [`MAX_TURN_BYTES`], at sentence ends where it can and at
/// spaces where a sentence is longer than that.
fn split_long(text: &str) -> Vec<String> {
    let mut pieces = Vec::new();
    let mut current = String::new();
    for sentence in sentences(text) {
        for part in cut_at_spaces(sentence, MAX_TURN_BYTES) {
            if !current.is_empty() && current.len() + 1 + part.len() > MAX_TURN_BYTES {
                pieces.push(std::mem::take(&mut current));
            }
            if !current.is_empty() {
                current.push(' ');
            }
            current.push_str(part);
        }
    }
    if !current.is_empty() {
        pieces.push(current);
    }
    pieces
}

/// Sentences of a one-line text: each ends after `.`, `?` or `!` followed by a space.
fn sentences(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let bytes = text.as_bytes();
    for (i, window) in bytes.windows(2).enumerate() {
        if matches!(window[0], b'.' | b'?' | b'!') && window[1] == b' ' {
            out.push(&text[start..=i]);
            start = i + 2;
        }
    }
    if start < text.len() {
        out.push(&text[start..]);
    }
    out
}

/// `text` in pieces of at most `max` bytes, cut at spaces (a single word longer than `max` is
/// cut at a character boundary).
fn cut_at_spaces(text: &str, max: usize) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = text;
    while rest.len() > max {
        let mut end = max;
        while !rest.is_char_boundary(end) {
            end -= 1;
        }
        let cut = rest[..end].rfind(' ').filter(|&at| at > 0).unwrap_or(end);
        out.push(rest[..cut].trim_end());
        rest = rest[cut..].trim_start();
    }
    if !rest.is_empty() {
        out.push(rest);
    }
    out
}

/// A small, fast, seedable random number generator (Steele, Lea and Flood's SplitMix64):
/// written out here so that a corpus depends on no crate's choice of algorithm.
#[derive(Debug, Clone)]
pub struct SplitMix64 {
    state: u64,
}

impl SplitMix64 {
    /// A generator started from `seed`.
    pub fn new(seed: u64) -> SplitMix64 {
        SplitMix64 { state: seed }
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n > 0`), by multiplying into the high bits (Lemire's method without
    /// the rejection step: the bias is below 2^-40 for the small ranges used here).
    pub fn below(&mut self, n: usize) -> usize {
        ((u128::from(self.next_u64()) * n as u128) >> 64) as usize
    }

    /// A number in `low..=high`.
    pub fn between(&mut self, low: usize, high: usize) -> usize {
        low + self.below(high - low + 1)
    }

    /// Shuffles `items` (Fisher-Yates).
    pub fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            items.swap(i, self.below(i + 1));
        }
    }
}

/// The formats generated talks are written in, in the order they take turns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum OutputFormat {
    /// WebVTT with a `<v Name>` voice tag on every cue.
    WebVtt,
    /// SubRip with `Name: ` opening each turn's first cue.
    SubRip,
    /// Markdown with `**Name:** \[MM:SS\] text` turns under a `# Title`.
    SpeakerMarkdown,
    /// A Whisper result whose segments carry a `speaker` (as WhisperX writes them).
    WhisperJson,
}

impl OutputFormat {
    /// Every format, in the order talks take them.
    pub const ALL: [OutputFormat; 4] =
        [OutputFormat::WebVtt, OutputFormat::SubRip, OutputFormat::SpeakerMarkdown, OutputFormat::WhisperJson];

    /// The file extension.
    pub fn extension(self) -> &'static str {
        match self {
            OutputFormat::WebVtt => "vtt",
            OutputFormat::SubRip => "srt",
            OutputFormat::SpeakerMarkdown => "md",
            OutputFormat::WhisperJson => "json",
        }
    }
}

/// One turn of a generated talk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeneratedTurn {
    /// Who says it.
    pub speaker: String,
    /// When it starts, milliseconds from the start of the talk.
    pub start_ms: u64,
    /// When it ends.
    pub end_ms: u64,
    /// What is said, one line.
    pub text: String,
    /// The turn in cues, each `(start_ms, end_ms, text)`, as the subtitle and JSON formats
    /// write it; the cues' texts joined with spaces are `text`.
    pub cues: Vec<(u64, u64, String)>,
}

/// A generated talk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeneratedTalk {
    /// Its id: the file's stem.
    pub id: String,
    /// Its title (written by the formats that have one).
    pub title: String,
    /// Its show (written by the formats that have one).
    pub show: String,
    /// The format it is written in.
    pub format: OutputFormat,
    /// Its turns, in order.
    pub turns: Vec<GeneratedTurn>,
}

impl GeneratedTalk {
    /// The file name: id and the format's extension.
    pub fn file_name(&self) -> String {
        format!("{}.{}", self.id, self.format.extension())
    }

    /// The file's text.
    pub fn render(&self) -> String {
        let mut out = String::with_capacity(self.turns.iter().map(|t| t.text.len() * 3 / 2 + 64).sum());
        match self.format {
            OutputFormat::WebVtt => self.render_webvtt(&mut out),
            OutputFormat::SubRip => self.render_subrip(&mut out),
            OutputFormat::SpeakerMarkdown => self.render_markdown(&mut out),
            OutputFormat::WhisperJson => self.render_json(&mut out),
        }
        out
    }

    fn render_webvtt(&self, out: &mut String) {
        out.push_str("WEBVTT\n\n");
        let mut number = 0;
        for turn in &self.turns {
            for (start, end, text) in &turn.cues {
                number += 1;
                let (start, end) = (clock(*start, '.'), clock(*end, '.'));
                let _ = writeln!(out, "{number}\n{start} --> {end}\n<v {}>{}\n", turn.speaker, escape_html(text));
            }
        }
    }

    fn render_subrip(&self, out: &mut String) {
        let mut number = 0;
        for turn in &self.turns {
            for (cue, (start, end, text)) in turn.cues.iter().enumerate() {
                number += 1;
                let (start, end) = (clock(*start, ','), clock(*end, ','));
                let label = if cue == 0 { format!("{}: ", turn.speaker) } else { String::new() };
                let _ = writeln!(out, "{number}\n{start} --> {end}\n{label}{}\n", escape_html(text));
            }
        }
    }

    fn render_markdown(&self, out: &mut String) {
        let _ = writeln!(out, "# {}\n", self.title);
        for turn in &self.turns {
            let _ = writeln!(
                out,
                "**{}:** \\[{}\\] {}\n",
                turn.speaker,
                minutes(turn.start_ms),
                escape_markdown(&turn.text)
            );
        }
    }

    fn render_json(&self, out: &mut String) {
        let json = |text: &str| serde_json::to_string(text).expect("a string serialises");
        let _ = write!(
            out,
            "{{\"title\": {}, \"podcast\": {}, \"language\": \"en\", \"segments\": [",
            json(&self.title),
            json(&self.show)
        );
        let mut id = 0;
        for turn in &self.turns {
            for (start, end, text) in &turn.cues {
                let separator = if id == 0 { "\n" } else { ",\n" };
                let (start, end) = (seconds(*start), seconds(*end));
                let (speaker, text) = (json(&turn.speaker), json(&format!(" {text}")));
                let _ = write!(
                    out,
                    "{separator}  {{\"id\": {id}, \"start\": {start}, \"end\": {end}, \"speaker\": {speaker}, \"text\": {text}}}"
                );
                id += 1;
            }
        }
        out.push_str("\n]}\n");
    }
}

/// `HH:MM:SS.mmm` (or `,mmm`).
fn clock(millis: u64, decimal: char) -> String {
    let (hours, minutes, seconds, millis) =
        (millis / 3_600_000, millis / 60_000 % 60, millis / 1000 % 60, millis % 1000);
    format!("{hours:02}:{minutes:02}:{seconds:02}{decimal}{millis:03}")
}

/// `MM:SS`, or `H:MM:SS` from an hour on.
fn minutes(millis: u64) -> String {
    let (hours, minutes, seconds) = (millis / 3_600_000, millis / 60_000 % 60, millis / 1000 % 60);
    if hours > 0 { format!("{hours}:{minutes:02}:{seconds:02}") } else { format!("{minutes:02}:{seconds:02}") }
}

/// Seconds with two decimals, as Whisper writes them.
fn seconds(millis: u64) -> String {
    format!("{}.{:02}", millis / 1000, millis % 1000 / 10)
}

fn escape_html(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

/// Backslash-escapes what Markdown would read as markup. `]` stays as it is: an escaped `\[…\]`
/// pair around a time is a time mark.
fn escape_markdown(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if matches!(c, '\\' | '*' | '_' | '[' | '`' | '<' | '>' | '#') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// First names and surnames speakers are made of: capitalised single words that no parser
/// reads as anything but a name.
const FIRST_NAMES: &[&str] = &[
    "Ada", "Amara", "Bruno", "Carmen", "Dmitri", "Elena", "Farah", "Gustavo", "Hana", "Ibrahim", "Jonas", "Keiko",
    "Lars", "Maya", "Nikhil", "Olga", "Priya", "Quentin", "Rosa", "Samir", "Tomas", "Ulla", "Viktor", "Wen", "Yusuf",
    "Zara", "Anika", "Bastian", "Chloe", "Diego", "Esther", "Felix",
];
const SURNAMES: &[&str] = &[
    "Abebe",
    "Bergstrom",
    "Castillo",
    "Dubois",
    "Eriksen",
    "Fontaine",
    "Gallagher",
    "Haddad",
    "Ivanova",
    "Jensen",
    "Kowalski",
    "Lindqvist",
    "Moreau",
    "Nakamura",
    "Okafor",
    "Petrov",
    "Quispe",
    "Rahman",
    "Sorensen",
    "Tanaka",
    "Urquhart",
    "Varga",
    "Whitfield",
    "Xu",
    "Yilmaz",
    "Zimmermann",
    "Achebe",
    "Brennan",
    "Costa",
    "Delgado",
];
const SHOWS: &[&str] =
    &["Frontier Models Weekly", "The Open Weights Show", "Inference Time", "Shipping AI", "Data Moats", "Model Talk"];

/// Deals a [`TurnPool`] out into talks; an iterator of [`GeneratedTalk`]s.
pub struct Generator<'a> {
    pool: &'a TurnPool,
    rng: SplitMix64,
    /// The pool's order in the current deal, and how far it has been dealt.
    order: Vec<usize>,
    dealt: usize,
    /// Turns still to deal over all deals.
    remaining: usize,
    turns_per_talk: usize,
    talks_made: usize,
}

impl<'a> Generator<'a> {
    /// A generator of `options.scale` deals of `pool`.
    pub fn new(pool: &'a TurnPool, options: &GenerateOptions) -> Generator<'a> {
        let average = pool.len().div_ceil(pool.talks().max(1));
        let turns_per_talk = options.turns_per_talk.unwrap_or(average).clamp(2, 10_000);
        Generator {
            pool,
            rng: SplitMix64::new(options.seed),
            order: Vec::new(),
            dealt: 0,
            remaining: pool.len() * options.scale,
            turns_per_talk,
            talks_made: 0,
        }
    }

    fn next_turn_text(&mut self) -> &'a str {
        if self.dealt == self.order.len() {
            self.order = (0..self.pool.len()).collect();
            self.rng.shuffle(&mut self.order);
            self.dealt = 0;
        }
        self.dealt += 1;
        &self.pool.turns[self.order[self.dealt - 1]]
    }

    fn speakers(&mut self) -> Vec<String> {
        let count = self.rng.between(2, 4);
        let mut names: Vec<String> = Vec::with_capacity(count);
        while names.len() < count {
            let first = FIRST_NAMES[self.rng.below(FIRST_NAMES.len())];
            let surname = SURNAMES[self.rng.below(SURNAMES.len())];
            let name = format!("{first} {surname}");
            if !names.contains(&name) {
                names.push(name);
            }
        }
        names
    }

    fn talk(&mut self, turn_count: usize) -> GeneratedTalk {
        let number = self.talks_made;
        self.talks_made += 1;
        let id = format!("talk-{number:06}-{:08x}", self.rng.next_u64() as u32);
        let speakers = self.speakers();
        // Each speaker talks at their own rate, 130-190 words a minute.
        let rates: Vec<u64> = speakers.iter().map(|_| self.rng.between(130, 190) as u64).collect();
        let show = SHOWS[self.rng.below(SHOWS.len())].to_string();
        let mut time = self.rng.between(0, 20_000) as u64;
        let mut speaker = 0;
        let mut turns = Vec::with_capacity(turn_count);
        for index in 0..turn_count {
            if index > 0 {
                // Never the same speaker twice in a row: their turns would join into one.
                speaker = (speaker + self.rng.between(1, speakers.len() - 1)) % speakers.len();
                time += self.rng.between(200, 1_500) as u64;
            }
            let text = self.next_turn_text().to_string();
            let cues = self.cues(&text, time, rates[speaker]);
            let end = cues.last().map_or(time, |cue| cue.1);
            turns.push(GeneratedTurn { speaker: speakers[speaker].clone(), start_ms: time, end_ms: end, text, cues });
            time = end;
        }
        let title = title_from(turns.first().map_or("", |t| t.text.as_str()), number);
        GeneratedTalk { id, title, show, format: OutputFormat::ALL[number % OutputFormat::ALL.len()], turns }
    }

    /// Cuts a turn into cues of 10-24 words, timed back to back at `words_per_minute` from
    /// `start`. A cut is skipped where the next cue would open like a speaker label or a change
    /// of speaker, or would be only a number (read as a cue number).
    fn cues(&mut self, text: &str, start: u64, words_per_minute: u64) -> Vec<(u64, u64, String)> {
        let words: Vec<&str> = text.split(' ').collect();
        let mut pieces: Vec<Vec<&str>> = Vec::new();
        let mut at = 0;
        while at < words.len() {
            let length = self.rng.between(10, 24).min(words.len() - at);
            let piece = &words[at..at + length];
            match pieces.last_mut() {
                Some(last) if !safe_cue_start(piece) => last.extend_from_slice(piece),
                _ => pieces.push(piece.to_vec()),
            }
            at += length;
        }
        let mut time = start;
        pieces
            .into_iter()
            .map(|piece| {
                let duration = (piece.len() as u64 * 60_000 / words_per_minute).max(800);
                let cue = (time, time + duration, piece.join(" "));
                time += duration;
                cue
            })
            .collect()
    }
}

impl Iterator for Generator<'_> {
    type Item = GeneratedTalk;

    fn next(&mut self) -> Option<GeneratedTalk> {
        if self.remaining == 0 {
            return None;
        }
        let (low, high) = (self.turns_per_talk.div_ceil(2), self.turns_per_talk * 3 / 2);
        let count = self.rng.between(low.max(1), high.max(1)).min(self.remaining);
        self.remaining -= count;
        Some(self.talk(count))
    }
}

/// True when a cue may start with `words`: not with a `- ` or `>>` change marker, not with a
/// colon in its first words (`Name: …`), and not a bare number.
fn safe_cue_start(words: &[&str]) -> bool {
    let first = words.first().copied().unwrap_or("");
    let opens_with_marker = first.starts_with(['-', '>']);
    let colon_early = words.iter().take(4).any(|word| word.contains(':'));
    let only_number = words.len() == 1 && first.bytes().all(|b| b.is_ascii_digit());
    !(opens_with_marker || colon_early || only_number)
}

/// A title from the first words of a talk's opening turn.
fn title_from(text: &str, number: usize) -> String {
    let words: Vec<&str> = text
        .split_whitespace()
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()))
        .filter(|w| !w.is_empty())
        .take(7)
        .collect();
    let mut title = words.join(" ");
    if let Some(first) = title.chars().next() {
        title.replace_range(..first.len_utf8(), &first.to_uppercase().to_string());
    }
    format!("{title} (episode {})", number + 1)
}

/// What a generation run wrote.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct GenerateSummary {
    /// Talks (files) written.
    pub talks: usize,
    /// Turns written: what `talksearch index` will count.
    pub turns: usize,
    /// Bytes of the files.
    pub file_bytes: u64,
    /// Bytes of turn text in them.
    pub text_bytes: u64,
    /// Talks per format, in [`OutputFormat::ALL`] order.
    pub formats: Vec<(OutputFormat, usize)>,
}

impl GenerateSummary {
    fn add(&mut self, talk: &GeneratedTalk, file_bytes: usize) {
        self.talks += 1;
        self.turns += talk.turns.len();
        self.file_bytes += file_bytes as u64;
        self.text_bytes += talk.turns.iter().map(|t| t.text.len() as u64).sum::<u64>();
        match self.formats.iter_mut().find(|(format, _)| *format == talk.format) {
            Some((_, count)) => *count += 1,
            None => {
                self.formats.push((talk.format, 1));
                self.formats.sort_by_key(|(format, _)| OutputFormat::ALL.iter().position(|f| f == format));
            }
        }
    }
}

/// Generates `options.scale` deals of `pool` into the empty or new folder `out_dir`, one file
/// per talk, and when `turns_tsv` is given writes every turn to it as a line of
/// `talk<TAB>turn<TAB>speaker<TAB>start_ms<TAB>text` (turn 1-based; the text has no tabs or
/// newlines), for loading the same turns into other search tools.
pub fn write_corpus(
    pool: &TurnPool,
    options: &GenerateOptions,
    out_dir: &Path,
    mut turns_tsv: Option<&mut dyn Write>,
) -> Result<GenerateSummary> {
    if pool.is_empty() {
        return Err(GenerateError::NoTurns);
    }
    let write_error = |path: &Path| {
        let path = path.to_path_buf();
        move |source| GenerateError::Write { path, source }
    };
    std::fs::create_dir_all(out_dir).map_err(write_error(out_dir))?;
    if std::fs::read_dir(out_dir).map_err(write_error(out_dir))?.next().is_some() {
        return Err(GenerateError::NotEmpty { path: out_dir.to_path_buf() });
    }
    let mut summary = GenerateSummary::default();
    for talk in Generator::new(pool, options) {
        let path = out_dir.join(talk.file_name());
        let text = talk.render();
        std::fs::write(&path, &text).map_err(write_error(&path))?;
        if let Some(tsv) = turns_tsv.as_deref_mut() {
            let mut lines = String::new();
            for (index, turn) in talk.turns.iter().enumerate() {
                let _ =
                    writeln!(lines, "{}\t{}\t{}\t{}\t{}", talk.id, index + 1, turn.speaker, turn.start_ms, turn.text);
            }
            tsv.write_all(lines.as_bytes()).map_err(write_error(Path::new("the turns file")))?;
        }
        summary.add(&talk, text.len());
    }
    Ok(summary)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Turn;

    fn pool_of(texts: &[&str]) -> TurnPool {
        let talk = Talk {
            turns: texts.iter().map(|t| Turn { text: t.to_string(), ..Turn::default() }).collect(),
            ..Talk::default()
        };
        TurnPool::from_talks([&talk])
    }

    #[test]
    fn splitmix_matches_its_reference_values() {
        // The first outputs for seed 1234567 from the reference implementation.
        let mut rng = SplitMix64::new(1234567);
        assert_eq!(rng.next_u64(), 6457827717110365317);
        assert_eq!(rng.next_u64(), 3203168211198807973);
        let mut rng = SplitMix64::new(7);
        assert!((0..1000).all(|_| rng.between(3, 5) >= 3 && rng.between(3, 5) <= 5));
    }

    #[test]
    fn long_turns_are_cut_at_sentence_ends() {
        let sentence = "This sentence has exactly eight words in it. ";
        let long = sentence.repeat(40);
        let pieces = split_long(long.trim());
        assert!(pieces.len() > 1);
        assert!(pieces.iter().all(|p| p.len() <= MAX_TURN_BYTES && p.ends_with('.')), "{pieces:?}");
        assert_eq!(pieces.join(" "), long.trim());
        let one_word = "x".repeat(MAX_TURN_BYTES * 2 + 5);
        assert!(split_long(&one_word).iter().all(|p| p.len() <= MAX_TURN_BYTES));
    }

    #[test]
    fn cleaning_leaves_one_line_without_timing_arrows() {
        assert_eq!(clean("one\ttwo\n\nthree --> four\u{7}"), "one two three -> four");
        let pool = pool_of(&["  ", "!!", "Real words."]);
        assert_eq!(pool.len(), 1, "turns without a letter or digit are left out");
    }

    #[test]
    fn cues_never_open_like_a_speaker_label() {
        assert!(safe_cue_start(&["so", "we", "did"]));
        assert!(!safe_cue_start(&["Question:", "what"]));
        assert!(!safe_cue_start(&["-", "and"]));
        assert!(!safe_cue_start(&[">>", "and"]));
        assert!(!safe_cue_start(&["42"]));
    }

    #[test]
    fn the_same_seed_gives_the_same_talks_and_another_seed_others() {
        let pool = pool_of(&["One two three four.", "Five six seven.", "Eight nine: ten.", "Eleven twelve."]);
        let options = GenerateOptions { scale: 5, seed: 42, turns_per_talk: Some(3) };
        let render =
            |options: &GenerateOptions| -> Vec<String> { Generator::new(&pool, options).map(|t| t.render()).collect() };
        assert_eq!(render(&options), render(&options));
        assert_ne!(render(&options), render(&GenerateOptions { seed: 43, ..options }));
        let turns: usize = Generator::new(&pool, &options).map(|t| t.turns.len()).sum();
        assert_eq!(turns, 20, "every turn of the pool dealt five times");
    }

    #[test]
    fn times_increase_and_speakers_alternate() {
        let pool =
            pool_of(&["a b c d e f g h i j k l m n o p q r s t u v w x y z a b c d e f g", "short one", "and another"]);
        for talk in Generator::new(&pool, &GenerateOptions { scale: 20, seed: 9, turns_per_talk: Some(6) }) {
            for pair in talk.turns.windows(2) {
                assert_ne!(pair[0].speaker, pair[1].speaker);
                assert!(pair[0].end_ms <= pair[1].start_ms);
            }
            for turn in &talk.turns {
                let joined: Vec<&str> = turn.cues.iter().map(|c| c.2.as_str()).collect();
                assert_eq!(joined.join(" "), turn.text);
                assert!(turn.cues.windows(2).all(|c| c[0].1 == c[1].0), "cues follow each other without a pause");
            }
        }
    }

    #[test]
    fn formats_are_written_in_turn() {
        assert_eq!(clock(3_723_045, ','), "01:02:03,045");
        assert_eq!(minutes(125_000), "02:05");
        assert_eq!(minutes(3_725_000), "1:02:05");
        assert_eq!(seconds(12_345), "12.34");
        assert_eq!(escape_markdown("a *b* [c]"), "a \\*b\\* \\[c]");
        let pool = pool_of(&["Hello <there> & welcome.", "Thanks."]);
        let talks: Vec<GeneratedTalk> =
            Generator::new(&pool, &GenerateOptions { scale: 4, seed: 3, turns_per_talk: Some(2) }).collect();
        assert!(talks.len() >= 4, "{} talks", talks.len());
        for (number, talk) in talks.iter().enumerate() {
            assert_eq!(talk.format, OutputFormat::ALL[number % 4]);
        }
        assert!(talks[0].render().starts_with("WEBVTT\n\n1\n00:00:"));
        assert!(talks[0].render().contains("&lt;there&gt; &amp;") || talks[0].render().contains("Thanks."));
        assert!(talks[2].render().starts_with("# "));
        let json: serde_json::Value = serde_json::from_str(&talks[3].render()).unwrap();
        let segments = json["segments"].as_array().unwrap();
        assert_eq!(segments.len(), talks[3].turns.iter().map(|t| t.cues.len()).sum::<usize>());
        assert_eq!(segments[0]["speaker"].as_str(), Some(talks[3].turns[0].speaker.as_str()));
        assert_eq!(json["title"].as_str(), Some(talks[3].title.as_str()));
    }
}
