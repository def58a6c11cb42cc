//! One indexing run: discover files, skip the unchanged, parse the rest on all cores, replace
//! their documents, optionally prune vanished files, and commit once at the end.
//!
//! This is the only place that connects [`crate::ingest`] to [`crate::index`]. It reports
//! progress and per-file errors through callbacks and never prints.

use crate::index::{IndexError, IndexedTalk, TalkIndex};
use crate::ingest::{self, IngestError, IngestOptions, ParsedFile, SourceFile};
use rayon::prelude::*;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// Files parsed in parallel before their documents are written; bounds memory on huge batches.
const FILES_PER_CHUNK: usize = 64;

/// Memory the index writer may fill before it writes a segment, unless told otherwise: large
/// enough that a corpus of a hundred megabytes becomes one segment, which searches fastest.
pub const DEFAULT_MEMORY_BUDGET_BYTES: usize = 256 << 20;

/// How an indexing run behaves.
#[derive(Debug, Clone, Default)]
pub struct RunOptions {
    /// How files are read and parsed.
    pub ingest: IngestOptions,
    /// Remove talks whose source file no longer exists.
    pub prune: bool,
    /// Memory the index writer may use before it flushes a segment; 0 for
    /// [`DEFAULT_MEMORY_BUDGET_BYTES`].
    pub memory_budget_bytes: usize,
}

/// Told about the run's progress, from several threads.
pub trait Progress: Sync {
    /// The run will look at `files` files totalling `bytes` bytes.
    fn start(&self, files: u64, bytes: u64);
    /// One file is done (indexed, unchanged or failed).
    fn file_done(&self, path: &Path, bytes: u64);
    /// The run is over.
    fn finish(&self);
}

/// Progress that goes nowhere.
pub struct Silent;

impl Progress for Silent {
    fn start(&self, _: u64, _: u64) {}
    fn file_done(&self, _: &Path, _: u64) {}
    fn finish(&self) {}
}

/// What a run did.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RunSummary {
    /// Talks new to the index.
    pub added: usize,
    /// Talks whose file changed and were replaced.
    pub updated: usize,
    /// Talks whose file is unchanged, skipped.
    pub unchanged: usize,
    /// Talks removed because their file is gone (`prune`).
    pub removed: usize,
    /// Files or folders that failed.
    pub failed: usize,
    /// Files passed over while walking folders (hidden, metadata, other extensions).
    pub skipped: usize,
    /// Turns written.
    pub turns: usize,
    /// Bytes of the files parsed.
    pub bytes: u64,
    /// Wall time of the run.
    pub elapsed: Duration,
}

/// Indexes `paths` into `index`. Per-file errors go to `on_error` and are counted; only an
/// index error (lock, disk) stops the run, and then nothing of this run is committed.
pub fn index_paths(
    index: &TalkIndex,
    paths: &[PathBuf],
    options: &RunOptions,
    progress: &dyn Progress,
    on_error: &mut dyn FnMut(&IngestError),
) -> Result<RunSummary, IndexError> {
    let started = Instant::now();
    let budget = match options.memory_budget_bytes {
        0 => DEFAULT_MEMORY_BUDGET_BYTES,
        budget => budget.max(50_000_000),
    };
    let mut writer = index.writer(budget)?;
    let known = index.talks()?;
    let discovery = ingest::discover(paths);
    let mut summary = RunSummary { skipped: discovery.skipped, ..RunSummary::default() };
    for error in &discovery.errors {
        on_error(error);
        summary.failed += 1;
    }
    let sizes: Vec<u64> = discovery.files.iter().map(|p| std::fs::metadata(p).map_or(0, |m| m.len())).collect();
    progress.start(discovery.files.len() as u64, sizes.iter().sum());

    for chunk in discovery.files.chunks(FILES_PER_CHUNK) {
        let outcomes: Vec<Outcome> = chunk
            .par_iter()
            .map(|path| {
                let outcome = read_and_parse(path, &options.ingest, |fingerprint| {
                    known.get(path_key(path).as_str()).is_some_and(|k| k.fingerprint == fingerprint)
                });
                let bytes = match &outcome {
                    Outcome::Parsed(file) => file.bytes as u64,
                    _ => std::fs::metadata(path).map_or(0, |m| m.len()),
                };
                progress.file_done(path, bytes);
                outcome
            })
            .collect();
        // The first talks parsed choose how the run compresses what it stores.
        if !writer.is_prepared() {
            let parsed: Vec<(&ParsedFile, String)> = outcomes
                .iter()
                .filter_map(|outcome| match outcome {
                    Outcome::Parsed(file) => Some((file.as_ref(), path_key(&file.path))),
                    _ => None,
                })
                .collect();
            writer.prepare(&parsed.iter().map(|(file, source)| indexed(file, source)).collect::<Vec<_>>())?;
        }
        for outcome in outcomes {
            match outcome {
                Outcome::Unchanged => summary.unchanged += 1,
                Outcome::Failed(error) => {
                    on_error(&error);
                    summary.failed += 1;
                }
                Outcome::Parsed(file) => {
                    for warning in &file.warnings {
                        on_error(warning);
                        summary.failed += 1;
                    }
                    let source = path_key(&file.path);
                    writer.replace(&indexed(&file, &source))?;
                    if known.contains_key(&source) {
                        summary.updated += 1;
                    } else {
                        summary.added += 1;
                    }
                    summary.turns += file.talk.turns.len();
                    summary.bytes += file.bytes as u64;
                }
            }
        }
    }

    if options.prune {
        for source in known.keys() {
            if !Path::new(source).exists() {
                writer.remove(source);
                summary.removed += 1;
            }
        }
    }
    writer.commit()?;
    writer.finish()?;
    progress.finish();
    summary.elapsed = started.elapsed();
    Ok(summary)
}

/// Builds again the index in `dir`, written by a talksearch with another schema, from the
/// files it was built from (see [`TalkIndex::foreign_sources`]). The new index is built in a
/// folder beside it and takes its place only when complete: until then, and if the run fails,
/// the old folder stays as it was. Files that are gone are reported to `on_error`.
pub fn rebuild(
    dir: &Path,
    options: &RunOptions,
    progress: &dyn Progress,
    on_error: &mut dyn FnMut(&IngestError),
) -> Result<RunSummary, IndexError> {
    let sources = TalkIndex::foreign_sources(dir)?;
    let beside = |suffix: &str| {
        let mut name = dir.file_name().unwrap_or_default().to_os_string();
        name.push(suffix);
        dir.with_file_name(name)
    };
    let (fresh, old) = (beside(".rebuild"), beside(".old"));
    let folder_error = |path: &Path, source| IndexError::Folder { path: path.to_path_buf(), source };
    // Left by a rebuild that was killed: nothing in it is needed.
    for stale in [&fresh, &old] {
        if stale.exists() {
            std::fs::remove_dir_all(stale).map_err(|e| folder_error(stale, e))?;
        }
    }
    let summary = index_paths(&TalkIndex::open_or_create(&fresh)?, &sources, options, progress, on_error)?;
    std::fs::rename(dir, &old).map_err(|e| folder_error(dir, e))?;
    if let Err(e) = std::fs::rename(&fresh, dir) {
        // Put the old index back rather than leave no index at all.
        let _ = std::fs::rename(&old, dir);
        return Err(folder_error(dir, e));
    }
    std::fs::remove_dir_all(&old).map_err(|e| folder_error(&old, e))?;
    Ok(summary)
}

fn indexed<'a>(file: &'a ParsedFile, source: &'a str) -> IndexedTalk<'a> {
    IndexedTalk { talk: &file.talk, id: &file.id, source, format: file.format.name(), fingerprint: &file.fingerprint }
}

enum Outcome {
    Unchanged,
    Parsed(Box<ParsedFile>),
    Failed(IngestError),
}

fn read_and_parse(path: &Path, options: &IngestOptions, unchanged: impl Fn(&str) -> bool) -> Outcome {
    let file = match SourceFile::read(path, options) {
        Ok(file) => file,
        Err(error) => return Outcome::Failed(error),
    };
    if unchanged(&file.fingerprint) {
        return Outcome::Unchanged;
    }
    match ingest::parse(file, options) {
        Ok(parsed) => Outcome::Parsed(Box::new(parsed)),
        Err(error) => Outcome::Failed(error),
    }
}

/// The key a talk is stored under: its absolute path as text.
pub fn path_key(path: &Path) -> String {
    path.to_string_lossy().into_owned()
}
