//! WebVTT and SubRip parsers against the real transcripts in the shared corpus.

use std::path::{Path, PathBuf};
use talksearch::formats::Format;

fn corpus() -> Option<PathBuf> {
    let dir = std::env::var_os("TALKSEARCH_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/corpus")));
    if dir.is_dir() {
        Some(dir)
    } else {
        eprintln!("note: corpus {} not found; skipping", dir.display());
        None
    }
}

fn files_with_extension(dir: &Path, extension: &str, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            files_with_extension(&path, extension, out);
        } else if path.extension().is_some_and(|e| e == extension) {
            out.push(path);
        }
    }
}

#[test]
fn scratch_stats() {
    let Some(corpus) = corpus() else { return };
    for (ext, format) in [("vtt", Format::WebVtt), ("srt", Format::SubRip)] {
        let mut files = Vec::new();
        files_with_extension(&corpus, ext, &mut files);
        files.sort();
        for file in files {
            let text = std::fs::read_to_string(&file).unwrap();
            match format.parse(&text) {
                Ok(talk) => {
                    let speakers: std::collections::BTreeSet<_> = talk
                        .turns
                        .iter()
                        .filter_map(|t| t.speaker.clone())
                        .collect();
                    let missing = talk.turns.iter().filter(|t| t.start.is_none()).count();
                    eprintln!(
                        "{} turns={} missing_start={} speakers={:?}",
                        file.strip_prefix(&corpus).unwrap().display(),
                        talk.turns.len(),
                        missing,
                        speakers
                    );
                }
                Err(e) => eprintln!("ERR {}: {e}", file.display()),
            }
        }
    }
}
