//! The JSON and TSV parsers against the real transcripts of the shared corpus.
//!
//! Sources (see each `SOURCE.md`):
//! - `orbitfm-bookbytes`: hand-edited `{"podcast", "episode", "transcript": [{timestamp,
//!   speaker, text}]}` files, with optional fields and a few timestamp typos.
//! - `whisper-outputs-autonompost`: raw OpenAI Whisper `.json` result objects and `.tsv`
//!   outputs of the same episodes, English and German, no speakers.
//!
//! The corpus lives next to the crate (`../shared/corpus`) or where `TALKSEARCH_CORPUS` points.
//! When it is absent the tests print a note and pass, so the crate builds and tests anywhere.

use crate::util::corpus;
use serde_json::Value;
use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};
use talksearch::formats::Format;
use talksearch::model::{Talk, Turn};

const ORBITFM: &str = "orbitfm-bookbytes/transcripts";
const WHISPER: &str = "whisper-outputs-autonompost/podcasts";

/// Every file under `dir` with one of `extensions`, sorted. `MANIFEST.tsv` is the corpus's own
/// file list, not a transcript.
fn files_with(dir: &Path, extensions: &[&str]) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(dir) = pending.pop() {
        let entries = fs::read_dir(&dir).unwrap_or_else(|err| panic!("{}: {err}", dir.display()));
        for entry in entries {
            let path = entry.expect("a directory entry").path();
            let extension = path.extension().and_then(|e| e.to_str()).unwrap_or_default();
            let is_manifest = path.file_name().is_some_and(|name| name == "MANIFEST.tsv");
            if path.is_dir() {
                pending.push(path);
            } else if extensions.contains(&extension) && !is_manifest {
                found.push(path);
            }
        }
    }
    found.sort();
    found
}

fn read(path: &Path) -> String {
    fs::read_to_string(path).unwrap_or_else(|err| panic!("{}: {err}", path.display()))
}

/// Parses a corpus file with the format its extension names.
fn parse_file(path: &Path) -> Talk {
    let format = match path.extension().and_then(|e| e.to_str()) {
        Some("json") => Format::Json,
        Some("tsv") => Format::Tsv,
        other => panic!("{}: not json or tsv ({other:?})", path.display()),
    };
    format.parse(&read(path)).unwrap_or_else(|err| panic!("{}: {err}", path.display()))
}

/// The file of `source/…/name` in the corpus, parsed.
fn parse_corpus_file(corpus: &Path, relative: &str) -> Talk {
    parse_file(&corpus.join(relative))
}

/// The first turn containing `quote`, and the time of the segment holding it: the last mark at
/// or before the quote.
fn find_quote<'a>(talk: &'a Talk, quote: &str) -> (&'a Turn, Option<u64>) {
    talk.turns
        .iter()
        .find_map(|turn| {
            let at = turn.text.find(quote)?;
            let time = turn.marks.iter().take_while(|mark| mark.offset <= at).last().map(|mark| mark.millis);
            Some((turn, time))
        })
        .unwrap_or_else(|| panic!("quote not found: {quote:?}"))
}

/// Asserts who says `quote` in `talk` and when the segment holding it starts.
fn assert_quote(talk: &Talk, quote: &str, speaker: Option<&str>, millis: Option<u64>) {
    let (turn, time) = find_quote(talk, quote);
    assert_eq!(turn.speaker.as_deref(), speaker, "speaker of {quote:?}");
    assert_eq!(time, millis, "time of {quote:?}");
    if let Some(start) = turn.start {
        assert!(!start.estimated, "{quote:?}: the parser never estimates");
    }
}

#[test]
fn every_json_and_tsv_file_parses_with_exact_times() {
    let Some(corpus) = corpus() else { return };
    let files = files_with(&corpus, &["json", "tsv"]);
    assert!(files.len() >= 50, "found only {} files", files.len());
    let mut failures = Vec::new();
    for path in &files {
        let format = if path.extension().is_some_and(|e| e == "tsv") { Format::Tsv } else { Format::Json };
        match format.parse(&read(path)) {
            Ok(talk) if talk.turns.is_empty() => failures.push(format!("{}: no turns", path.display())),
            Ok(talk) => {
                let times = talk.turns.iter().flat_map(|t| [t.start, t.end]).flatten();
                assert!(times.clone().all(|t| !t.estimated), "{}", path.display());
                for turn in &talk.turns {
                    let ascending = turn
                        .marks
                        .windows(2)
                        .all(|pair| pair[0].offset < pair[1].offset && pair[0].millis <= pair[1].millis);
                    assert!(ascending, "{}: marks of {:?}", path.display(), turn.text);
                    let last_offset = turn.marks.last().map_or(0, |mark| mark.offset);
                    assert!(last_offset < turn.text.len().max(1), "{}", path.display());
                }
            }
            Err(err) => failures.push(format!("{}: {err}", path.display())),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn whisper_files_have_a_time_for_every_turn_and_no_speakers() {
    let Some(corpus) = corpus() else { return };
    let files = files_with(&corpus.join(WHISPER), &["json", "tsv"]);
    assert_eq!(files.len(), 22, "11 episodes, each as .json and .tsv");
    for path in &files {
        let talk = parse_file(path);
        for turn in &talk.turns {
            assert!(turn.start.is_some() && turn.end.is_some(), "{}: {turn:?}", path.display());
            assert_eq!(turn.speaker, None, "{}: Whisper names no speakers", path.display());
            assert!(!turn.marks.is_empty(), "{}: every segment start is a mark", path.display());
        }
    }
}

/// Whisper's `.tsv` is its `.json` rounded to milliseconds, so both must read the same.
#[test]
fn whisper_json_and_tsv_of_an_episode_agree() {
    let Some(corpus) = corpus() else { return };
    for json_path in files_with(&corpus.join(WHISPER), &["json"]) {
        let from_json = parse_file(&json_path);
        let from_tsv = parse_file(&json_path.with_extension("tsv"));
        assert_eq!(from_json.turns.len(), from_tsv.turns.len(), "{}", json_path.display());
        for (a, b) in from_json.turns.iter().zip(&from_tsv.turns) {
            assert_eq!(a.text, b.text, "{}", json_path.display());
            assert_eq!((a.start, a.end), (b.start, b.end), "{}: {}", json_path.display(), a.text);
            assert_eq!(a.marks, b.marks, "{}: {}", json_path.display(), a.text);
        }
    }
}

#[test]
fn whisper_quotes_are_at_their_segment_times() {
    let Some(corpus) = corpus() else { return };
    let episodes = [
        (
            "37c3/transcripts/37c3-Joscha_Bach-Synthetic_Sentience",
            "I'm very happy and very honored to give this presentation tonight.",
            26_700,
        ),
        (
            "37c3/transcripts/37c3-Joscha_Bach-Synthetic_Sentience",
            "It needs to be self-reinforced otherwise it falls apart.",
            1_936_020,
        ),
        (
            // `\u00fc` escapes in the JSON file.
            "CriticalInfinityShorts/transcripts/23-2022-04-23-Rezo_-Ankerkraut-und-Nestle-_-postmoderner-Streik-der-Influencer",
            "Ich würde das an der Stelle gerne auch so stehen lassen.",
            4_840,
        ),
        (
            "LexFridman/transcripts/393-2023-08-01-392-Joscha-Bach-Life_-Intelligence_-Consciousness_-AI-the-Future-of-Humans",
            "Let's use words that are loaded.",
            5_346_560,
        ),
        (
            // Mid-segment: the segment starts with "conscious." at 3:18:49.86.
            "LexFridman/transcripts/213-2021-08-21-212-Joscha-Bach-Nature-of-Reality_-Dreams_-and-Consciousness",
            "Thank you for listening and hope to see you next time.",
            11_929_860,
        ),
    ];
    for (episode, quote, millis) in episodes {
        for extension in ["json", "tsv"] {
            let talk = parse_corpus_file(&corpus, &format!("{WHISPER}/{episode}.{extension}"));
            assert_quote(&talk, quote, None, Some(millis));
        }
    }
}

#[test]
fn orbitfm_quotes_have_their_speakers_and_times() {
    let Some(corpus) = corpus() else { return };
    let file = |name: &str| parse_corpus_file(&corpus, &format!("{ORBITFM}/{name}"));

    let ruby = file("BookBytes-035.json");
    assert_eq!(ruby.show.as_deref(), Some("BookBytes"));
    assert_quote(
        &ruby,
        "Hello and welcome to BookBytes. This week, it is just Jason and I.",
        Some("Adam Garrett-Harris"),
        Some(12_900),
    );

    // The Markdown link `[K&R C book](https://…)` is read as its label.
    let patterns = file("bookbytes-004.json");
    assert_quote(
        &patterns,
        "My oldest book that I have is the K&R C book, and I started it",
        Some("Jason Staten"),
        Some(2_520_000),
    );
    assert_quote(&patterns, "Yeah, K&R C.", Some("Jason Staten"), Some(2_615_000));
    assert_quote(&patterns, "What did you say the name of the book was?", Some("Adam Garrett-Harris"), Some(2_611_600));

    // `00:02:18,685 --> 00:02:19.6`: a SubRip range in the timestamp field.
    let thinking_in_bets = file("bookbytes-047.json");
    assert_quote(&thinking_in_bets, "Since the last book?", Some("Speaker 0"), Some(138_685));

    // `0:35:45:9`, a colon typed for the decimal point, on Safia's "(laughing)".
    let hooked = file("bookbytes-013.json");
    let (jason, _) = find_quote(&hooked, "So, then old is on top.");
    let after = hooked
        .turns
        .iter()
        .position(|turn| std::ptr::eq(turn, jason))
        .map(|index| &hooked.turns[index + 1])
        .expect("a turn follows");
    assert_eq!(after.speaker.as_deref(), Some("Safia Abdalla"));
    assert_eq!(after.text, "(laughing)");
    assert_eq!(after.start.map(|t| t.millis), Some(2_145_900));

    // Files without timestamps keep their speakers and get no invented times.
    let first_episode = file("bookbytes-001.json");
    assert_quote(&first_episode, "And for programmers who don't love to read books", Some("Jen Luker"), None);
    assert!(first_episode.turns.iter().all(|turn| turn.start.is_none()));
    let web = file("weboftomorrow-039.json");
    assert_quote(&web, "is it doable, but can I do it.", Some("Adam Garrett-Harris"), None);
}

/// Every speaker an orbit.fm file names on an entry with text is a turn's speaker, and turns
/// name no one else.
#[test]
fn orbitfm_turns_name_exactly_the_speakers_of_the_file() {
    let Some(corpus) = corpus() else { return };
    let files = files_with(&corpus.join(ORBITFM), &["json"]);
    assert_eq!(files.len(), 31);
    for path in &files {
        let document: Value = serde_json::from_str(&read(path)).expect("valid JSON");
        let entries = document["transcript"].as_array().expect("a transcript list");
        let named: BTreeSet<&str> = entries
            .iter()
            .filter(|entry| entry["text"].as_str().is_some_and(|text| !text.trim().is_empty()))
            .filter_map(|entry| entry["speaker"].as_str())
            .map(str::trim)
            .filter(|name| !name.is_empty())
            .collect();
        let talk = parse_file(path);
        let speaking: BTreeSet<&str> = talk.turns.iter().filter_map(|t| t.speaker.as_deref()).collect();
        assert_eq!(speaking, named, "{}", path.display());
        let timestamped = entries.iter().filter(|entry| entry.get("timestamp").is_some()).count();
        let timed_turns = talk.turns.iter().filter(|turn| turn.start.is_some()).count();
        assert_eq!(timestamped > 0, timed_turns > 0, "{}: times are kept", path.display());
    }
}

/// Cutting a real file anywhere gives an error on a line of the file, never a panic.
#[test]
fn truncated_corpus_files_fail_cleanly() {
    let Some(corpus) = corpus() else { return };
    let cases = [
        (format!("{ORBITFM}/bookbytes-006.json"), Format::Json),
        (
            format!(
                "{WHISPER}/CriticalInfinityShorts/transcripts/23-2022-04-23-Rezo_-Ankerkraut-und-Nestle-_-postmoderner-Streik-der-Influencer.tsv"
            ),
            Format::Tsv,
        ),
    ];
    for (relative, format) in cases {
        let text = read(&corpus.join(&relative));
        let line_count = text.lines().count();
        let cuts: Vec<usize> = text.char_indices().map(|(at, _)| at).step_by(97).collect();
        for cut in cuts {
            if let Err(err) = format.parse(&text[..cut]) {
                assert!((1..=line_count).contains(&err.line), "{relative} cut at {cut}: {err}");
            }
        }
    }
}
