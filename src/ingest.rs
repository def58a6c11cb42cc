//! Finding transcript files, reading them and parsing them into talks.
//!
//! Knows nothing of the index. Every failure is per file and carries the file's path and the
//! line where the problem is, so one broken file never stops a batch.

use crate::formats::{Format, ParseErrorKind};
use crate::model::Talk;
use sha2::{Digest, Sha256};
use std::fmt;
use std::path::{Path, PathBuf};

/// File extensions read when walking a folder.
const TRANSCRIPT_EXTENSIONS: &[&str] = &["txt", "md", "markdown", "vtt", "webvtt", "srt", "json", "tsv"];
/// Files that sit beside transcripts but are not transcripts.
const NOT_TRANSCRIPTS: &[&str] = &["source.md", "manifest.tsv", "readme.md", "license.md", "changelog.md"];
/// No line of a text transcript is longer than this; a longer one is not a transcript.
const MAX_LINE_BYTES: usize = 1 << 20;
/// How much of a file format detection reads: enough to see a second speaker label after a
/// long opening monologue.
pub const DETECTION_HEAD_BYTES: usize = 64 << 10;
/// No JSON transcript is larger than this.
const MAX_JSON_BYTES: usize = 64 << 20;

/// How files are read and parsed.
#[derive(Debug, Clone, Copy)]
pub struct IngestOptions {
    /// Parse every file in this format instead of detecting it.
    pub format: Option<Format>,
    /// Speaking rate for estimated times.
    pub words_per_minute: u32,
}

impl Default for IngestOptions {
    fn default() -> IngestOptions {
        IngestOptions { format: None, words_per_minute: crate::model::DEFAULT_WORDS_PER_MINUTE }
    }
}

/// A file that could not be read as a transcript: `path:line: reason`.
#[derive(Debug, thiserror::Error)]
#[error("{}:{line}: {kind}", path.display())]
pub struct IngestError {
    /// The file (or folder).
    pub path: PathBuf,
    /// 1-based line of the problem (1 when it concerns the whole file).
    pub line: usize,
    /// What is wrong.
    pub kind: IngestErrorKind,
}

/// What is wrong with a file.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum IngestErrorKind {
    /// The file or folder cannot be read.
    #[error("cannot read: {0}")]
    Io(#[from] std::io::Error),
    /// Bytes that are not UTF-8 (nor UTF-16 with a byte order mark).
    #[error("not UTF-8 text (byte {offset}); convert the file to UTF-8")]
    NotUtf8 {
        /// Byte offset of the first invalid byte.
        offset: usize,
    },
    /// A line or file too large to be a transcript.
    #[error("{0}")]
    TooLarge(String),
    /// The format's parser rejected the file.
    #[error("{format}: {kind}")]
    Parse {
        /// The format tried.
        format: Format,
        /// Why.
        kind: ParseErrorKind,
    },
    /// The metadata file beside a transcript cannot be read.
    #[error("{0}")]
    Sidecar(String),
    /// A folder without any transcript file in it.
    #[error("no transcript files found (looked for .{})", TRANSCRIPT_EXTENSIONS.join(", ."))]
    NoTranscripts,
}

/// The transcript files found under some paths.
#[derive(Debug, Default)]
pub struct Discovery {
    /// Transcript files, absolute, sorted, without duplicates.
    pub files: Vec<PathBuf>,
    /// Files passed over: hidden, metadata, other extensions.
    pub skipped: usize,
    /// Paths that could not be walked, and folders without transcripts.
    pub errors: Vec<IngestError>,
}

/// Walks `paths` (files and folders, recursively) for transcript files. Files named
/// explicitly are always taken; in folders, hidden entries and non-transcripts are skipped.
pub fn discover(paths: &[PathBuf]) -> Discovery {
    let mut found = Discovery::default();
    for path in paths {
        let absolute = absolute(path);
        match std::fs::metadata(&absolute) {
            Ok(meta) if meta.is_dir() => {
                let before = found.files.len();
                walk(&absolute, &mut found);
                if found.files.len() == before {
                    found.errors.push(IngestError {
                        path: path.clone(),
                        line: 1,
                        kind: IngestErrorKind::NoTranscripts,
                    });
                }
            }
            Ok(_) => found.files.push(absolute),
            Err(e) => found.errors.push(IngestError { path: path.clone(), line: 1, kind: e.into() }),
        }
    }
    found.files.sort();
    found.files.dedup();
    found
}

fn walk(folder: &Path, found: &mut Discovery) {
    let entries = match std::fs::read_dir(folder) {
        Ok(entries) => entries,
        Err(e) => {
            found.errors.push(IngestError { path: folder.to_path_buf(), line: 1, kind: e.into() });
            return;
        }
    };
    let mut entries: Vec<_> = entries.filter_map(|e| e.ok()).map(|e| e.path()).collect();
    entries.sort();
    for path in entries {
        let name = path.file_name().map(|n| n.to_string_lossy().to_lowercase()).unwrap_or_default();
        if name.starts_with('.') {
            found.skipped += 1;
        } else if path.is_dir() {
            walk(&path, found);
        } else if is_transcript_name(&name) {
            found.files.push(path);
        } else {
            found.skipped += 1;
        }
    }
}

fn is_transcript_name(lower_name: &str) -> bool {
    if NOT_TRANSCRIPTS.contains(&lower_name) || lower_name.contains(".meta.") {
        return false;
    }
    let extension = lower_name.rsplit_once('.').map(|(_, e)| e);
    extension.is_some_and(|e| TRANSCRIPT_EXTENSIONS.contains(&e))
}

fn absolute(path: &Path) -> PathBuf {
    std::fs::canonicalize(path).unwrap_or_else(|_| std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf()))
}

/// A transcript file read into memory.
#[derive(Debug)]
pub struct SourceFile {
    /// Absolute path.
    pub path: PathBuf,
    /// The file's bytes.
    pub bytes: Vec<u8>,
    /// Fingerprint of the bytes and of the options that shape the parse.
    pub fingerprint: String,
}

impl SourceFile {
    /// Reads `path`.
    pub fn read(path: &Path, options: &IngestOptions) -> Result<SourceFile, IngestError> {
        let bytes =
            std::fs::read(path).map_err(|e| IngestError { path: path.to_path_buf(), line: 1, kind: e.into() })?;
        let mut hasher = Sha256::new();
        hasher.update(&bytes);
        // A changed sidecar changes the talk's metadata, so it counts as a change of the file.
        if let Some(sidecar) = sidecar_path(path).and_then(|p| std::fs::read(p).ok()) {
            hasher.update(&sidecar);
        }
        // A change of parser, forced format or speaking rate changes what is indexed.
        hasher.update(format!("|v{}|{:?}|{}", env!("CARGO_PKG_VERSION"), options.format, options.words_per_minute));
        let digest = hasher.finalize();
        let fingerprint = digest.iter().take(16).map(|b| format!("{b:02x}")).collect();
        Ok(SourceFile { path: path.to_path_buf(), bytes, fingerprint })
    }

    /// The talk id: the file's stem.
    pub fn talk_id(&self) -> String {
        self.path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default()
    }
}

/// A file parsed into a talk, with times filled in.
#[derive(Debug)]
pub struct ParsedFile {
    /// Absolute path.
    pub path: PathBuf,
    /// Talk id.
    pub id: String,
    /// Fingerprint of the file as read.
    pub fingerprint: String,
    /// Format it was parsed as.
    pub format: Format,
    /// Size in bytes.
    pub bytes: usize,
    /// The talk.
    pub talk: Talk,
    /// What went wrong without stopping the file from being indexed: a broken sidecar, whose
    /// metadata is then left out.
    pub warnings: Vec<IngestError>,
}

/// Decodes, detects and parses a file, then estimates the times it does not give.
pub fn parse(file: SourceFile, options: &IngestOptions) -> Result<ParsedFile, IngestError> {
    let error = |line: usize, kind: IngestErrorKind| IngestError { path: file.path.clone(), line, kind };
    let text = decode(&file.bytes).map_err(|(line, kind)| error(line, kind))?;
    if text.trim().is_empty() {
        return Err(error(
            1,
            IngestErrorKind::Parse { format: options.format.unwrap_or(Format::PlainText), kind: ParseErrorKind::Empty },
        ));
    }
    let extension = file.path.extension().map(|e| e.to_string_lossy().to_lowercase());
    let head = head_of(&text, DETECTION_HEAD_BYTES);
    let format = options
        .format
        .or_else(|| Format::detect(extension.as_deref(), head))
        .or_else(|| Format::detect(None, head))
        .unwrap_or(Format::PlainText);
    check_size(&text, format).map_err(|(line, kind)| error(line, kind))?;
    let mut talk = format.parse(&text).map_err(|e| error(e.line, IngestErrorKind::Parse { format, kind: e.kind }))?;
    talk.estimate_times(options.words_per_minute);
    // The transcript is indexed without the metadata of a broken sidecar rather than not at all.
    let warnings: Vec<IngestError> = apply_sidecar(&file.path, &mut talk).err().into_iter().collect();
    // A fingerprint no run can match: the file is read again, and its sidecar reported again,
    // until the sidecar is mended.
    let id = file.talk_id();
    let fingerprint = if warnings.is_empty() { file.fingerprint } else { String::new() };
    Ok(ParsedFile { id, path: file.path, fingerprint, format, bytes: file.bytes.len(), talk, warnings })
}

/// `NAME.meta.json` or `NAME.meta.toml` beside `NAME.ext`, whichever exists (JSON first).
fn sidecar_path(path: &Path) -> Option<PathBuf> {
    let stem = path.file_stem()?.to_string_lossy().into_owned();
    ["json", "toml"].into_iter().map(|ext| path.with_file_name(format!("{stem}.meta.{ext}"))).find(|p| p.is_file())
}

/// Metadata a user can put beside a transcript; every field optional.
#[derive(Debug, Default, serde::Deserialize)]
struct Sidecar {
    title: Option<String>,
    show: Option<String>,
    date: Option<String>,
    #[serde(default)]
    speakers: Vec<String>,
    #[serde(alias = "media", alias = "url")]
    media_url: Option<String>,
}

/// Fills the talk's metadata from its sidecar file, when there is one; the sidecar wins.
fn apply_sidecar(path: &Path, talk: &mut Talk) -> Result<(), IngestError> {
    let Some(sidecar_path) = sidecar_path(path) else { return Ok(()) };
    let error = |line: usize, reason: String| IngestError {
        path: sidecar_path.clone(),
        line,
        kind: IngestErrorKind::Sidecar(reason),
    };
    let text = std::fs::read_to_string(&sidecar_path).map_err(|e| error(1, format!("cannot read sidecar: {e}")))?;
    let sidecar: Sidecar = if sidecar_path.extension().is_some_and(|e| e == "toml") {
        toml::from_str(&text).map_err(|e| {
            let line = e.span().map_or(1, |span| text[..span.start.min(text.len())].matches('\n').count() + 1);
            error(line, format!("bad TOML sidecar: {}", e.message()))
        })?
    } else {
        serde_json::from_str(&text).map_err(|e| error(e.line(), format!("bad JSON sidecar: {e}")))?
    };
    talk.title = sidecar.title.or(talk.title.take());
    talk.show = sidecar.show.or(talk.show.take());
    talk.date = sidecar.date.or(talk.date.take());
    talk.media_url = sidecar.media_url.or(talk.media_url.take());
    if !sidecar.speakers.is_empty() {
        talk.speakers = sidecar.speakers;
    }
    Ok(())
}

/// UTF-8 (a byte order mark is dropped) or UTF-16 with a byte order mark.
fn decode(bytes: &[u8]) -> Result<std::borrow::Cow<'_, str>, (usize, IngestErrorKind)> {
    if let Some(rest) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        return decode(rest);
    }
    let utf16 = match bytes {
        [0xFF, 0xFE, rest @ ..] => Some((rest, u16::from_le_bytes as fn([u8; 2]) -> u16)),
        [0xFE, 0xFF, rest @ ..] => Some((rest, u16::from_be_bytes as fn([u8; 2]) -> u16)),
        _ => None,
    };
    if let Some((rest, to_unit)) = utf16 {
        let units = rest.chunks_exact(2).map(|pair| to_unit([pair[0], pair[1]]));
        return char::decode_utf16(units)
            .collect::<Result<String, _>>()
            .map(std::borrow::Cow::Owned)
            .map_err(|_| (1, IngestErrorKind::NotUtf8 { offset: 0 }));
    }
    std::str::from_utf8(bytes).map(std::borrow::Cow::Borrowed).map_err(|e| {
        let offset = e.valid_up_to();
        let line = bytes[..offset].iter().filter(|&&b| b == b'\n').count() + 1;
        (line, IngestErrorKind::NotUtf8 { offset })
    })
}

fn head_of(text: &str, max: usize) -> &str {
    let mut end = text.len().min(max);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

fn check_size(text: &str, format: Format) -> Result<(), (usize, IngestErrorKind)> {
    if format == Format::Json {
        if text.len() > MAX_JSON_BYTES {
            return Err((
                1,
                IngestErrorKind::TooLarge(format!(
                    "JSON file of {} MB is over the {} MB limit",
                    text.len() >> 20,
                    MAX_JSON_BYTES >> 20
                )),
            ));
        }
        return Ok(());
    }
    match text.lines().enumerate().find(|(_, line)| line.len() > MAX_LINE_BYTES) {
        Some((i, line)) => Err((
            i + 1,
            IngestErrorKind::TooLarge(format!(
                "line of {} bytes is over the {} KiB limit for a transcript line",
                line.len(),
                MAX_LINE_BYTES >> 10
            )),
        )),
        None => Ok(()),
    }
}

impl fmt::Display for ParsedFile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({}, {} turns)", self.path.display(), self.format, self.talk.turns.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_utf8_bom_and_utf16() {
        assert_eq!(decode(b"\xEF\xBB\xBFhi").unwrap(), "hi");
        assert_eq!(decode(&[0xFF, 0xFE, b'h', 0, b'i', 0]).unwrap(), "hi");
        assert_eq!(decode(&[0xFE, 0xFF, 0, b'h', 0, b'i']).unwrap(), "hi");
    }

    #[test]
    fn reports_the_line_of_invalid_utf8() {
        let (line, kind) = decode(b"one\ntwo\nth\xE9ree").unwrap_err();
        assert_eq!(line, 3);
        assert!(matches!(kind, IngestErrorKind::NotUtf8 { offset: 10 }));
    }

    #[test]
    fn recognises_transcript_names() {
        assert!(is_transcript_name("talk.vtt"));
        assert!(is_transcript_name("episode.md"));
        assert!(!is_transcript_name("source.md"));
        assert!(!is_transcript_name("manifest.tsv"));
        assert!(!is_transcript_name("talk.meta.json"));
        assert!(!is_transcript_name("cover.png"));
    }
}
