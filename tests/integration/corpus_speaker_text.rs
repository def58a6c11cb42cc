//! The speaker-text parser on the real development corpus (`shared/corpus`, or the directory
//! named by `TALKSEARCH_CORPUS`): which `.md`/`.txt` files `Format::detect` sends to it, that
//! every file parses, that turns carry the speakers and exact times the files give, and that
//! quotes read from the files land on the right speaker and time. Each test returns early with
//! a note when the corpus is absent; corpus files are read in place, never copied.

use crate::util::corpus as corpus_root;
use std::fs;
use std::path::{Path, PathBuf};
use talksearch::formats::Format;
use talksearch::model::{Talk, Turn};

/// How much of a file's start is given to `Format::detect` (as `ingest::parse` gives it).
const HEAD_BYTES: usize = talksearch::ingest::DETECTION_HEAD_BYTES;

/// A sentence read from a corpus file, with who says it and the last time the file gives at or
/// before it (`None` when the file gives none before it).
struct Quote {
    file: &'static str,
    text: &'static str,
    speaker: Option<&'static str>,
    time_ms: Option<u64>,
}

/// One corpus source and what its files promise.
struct Source<'a> {
    dir: &'static str,
    /// Every file labels its speakers or times, so detection must pick speaker text for all.
    all_labelled: bool,
    /// Lines of a file with a speaker label, found with simple string checks independent of
    /// the parser.
    label_lines: fn(&str) -> Vec<usize>,
    /// Times a file gives, counted the same way.
    count_times: fn(&str) -> usize,
    /// Least share of turns with a speaker in a file that has labels, counted against the
    /// turns or the labels, whichever are fewer (a file may label only some of its turns).
    min_named_share: f64,
    quotes: &'a [Quote],
}

/// The `.md` and `.txt` transcripts under `dir`, sorted; `SOURCE.md` is metadata.
fn transcripts(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(dir) = pending.pop() {
        let entries = fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
        for entry in entries {
            let path = entry.expect("directory entry").path();
            let is_transcript =
                matches!(extension(&path), "md" | "txt") && path.file_name().is_some_and(|name| name != "SOURCE.md");
            if path.is_dir() {
                pending.push(path);
            } else if is_transcript {
                found.push(path);
            }
        }
    }
    found.sort();
    found
}

fn extension(path: &Path) -> &str {
    path.extension().and_then(|e| e.to_str()).unwrap_or("")
}

/// The first [`HEAD_BYTES`] of `text`, cut on a character boundary.
fn head(text: &str) -> &str {
    let mut cut = text.len().min(HEAD_BYTES);
    while !text.is_char_boundary(cut) {
        cut -= 1;
    }
    &text[..cut]
}

/// Digits and colons with an optional fraction: `04:22`, `0:35:45:9`, `00:01:02.06`.
fn is_clock(text: &str) -> bool {
    text.contains(':')
        && text.starts_with(|c: char| c.is_ascii_digit() || c == ':')
        && text.chars().all(|c| c.is_ascii_digit() || matches!(c, ':' | '.'))
}

/// `[04:22]` and `\[04:22\]` anywhere in the text.
fn count_bracketed_clocks(text: &str) -> usize {
    text.split('[')
        .skip(1)
        .filter(|after| after.split_once(']').is_some_and(|(inside, _)| is_clock(inside.trim_end_matches('\\'))))
        .count()
}

/// 1-based numbers of the lines that `keep` accepts (trimmed, without a BOM).
fn lines_where(text: &str, keep: impl Fn(&str) -> bool) -> Vec<usize> {
    text.lines()
        .map(|line| line.trim().trim_start_matches('\u{feff}'))
        .enumerate()
        .filter(|(_, line)| keep(line))
        .map(|(i, _)| i + 1)
        .collect()
}

/// A line opening with a time: `00:00:04 text`, `0:14:01.2**Name**`.
fn starts_with_clock(line: &str) -> bool {
    let clock: String = line.chars().take_while(|c| c.is_ascii_digit() || matches!(c, ':' | '.')).collect();
    is_clock(&clock)
}

/// `Name: 00:00:19` or `**Name:** 00:00:00`, alone on the line.
fn is_label_with_clock(line: &str) -> bool {
    let line = line.trim_start_matches("**");
    line.split_once(':').is_some_and(|(name, after)| {
        let after = after.trim_start_matches("**").trim().trim_end_matches(':');
        !name.is_empty() && name.len() < 40 && is_clock(after)
    })
}

/// A `Name:` label on its own line or opening one: a few capitalised words, then a colon.
fn is_plain_label(line: &str) -> bool {
    line.split_once(": ").or_else(|| line.strip_suffix(':').map(|name| (name, ""))).is_some_and(|(name, after)| {
        let words: Vec<&str> = name.split_whitespace().collect();
        let capitalised = |w: &&str| w.starts_with(|c: char| c.is_uppercase());
        let joins_names = |w: &&str| matches!(*w, "and" | "&" | "van" | "von" | "de");
        let number = |w: &&str| w.chars().all(|c| c.is_ascii_digit());
        words.first().is_some_and(capitalised)
                && words.len() <= 5
                && words
                    .iter()
                    .all(|w| capitalised(w) || joins_names(w) || number(w))
                // Metadata lines, not speech.
                && !matches!(words[0], "Translator" | "Reviewer" | "Location" | "Run" | "Slides")
                && !after.starts_with("http")
                && !after.starts_with("<http")
    })
}

fn bold_label_lines(text: &str) -> Vec<usize> {
    lines_where(text, |line| line.starts_with("**") && line[2..].split_once("**").is_some())
}

/// The last time the talk gives at or before the first occurrence of `quote`, and the turn
/// that holds it.
fn find_quote<'a>(talk: &'a Talk, quote: &str) -> Option<(&'a Turn, Option<u64>)> {
    let (index, at) = talk.turns.iter().enumerate().find_map(|(i, turn)| turn.text.find(quote).map(|at| (i, at)))?;
    let time = talk.turns[..=index]
        .iter()
        .enumerate()
        .flat_map(|(i, turn)| {
            let limit = if i == index { at } else { usize::MAX };
            let start = turn.start.filter(|s| !s.estimated).map(|s| (0, s.millis));
            start
                .into_iter()
                .chain(turn.marks.iter().map(|m| (m.offset, m.millis)))
                .filter(move |&(offset, _)| offset <= limit)
                .map(|(_, millis)| millis)
        })
        .last();
    Some((&talk.turns[index], time))
}

fn check_source(source: &Source<'_>) {
    let Some(root) = corpus_root() else { return };
    let files = transcripts(&root.join(source.dir));
    assert!(!files.is_empty(), "{}: no transcripts", source.dir);
    let mut not_detected = Vec::new();
    let (mut total_given, mut total_marks) = (0, 0);
    for path in &files {
        let name = path.strip_prefix(&root).unwrap_or(path).display().to_string();
        let text = fs::read_to_string(path).unwrap_or_else(|e| panic!("{name}: {e}"));
        let detected = Format::detect(Some(extension(path)), head(&text));
        let talk = Format::SpeakerText.parse(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(!talk.turns.is_empty(), "{name}: no turns");

        // Every time the file gives is a mark; `join_cues` keeps marks going forward in time,
        // so a time written out of order (a typo) may be dropped.
        let given = (source.count_times)(&text);
        let marks: usize = talk.turns.iter().map(|t| t.marks.len()).sum();
        assert!(
            marks <= given && given - marks <= (given / 50).max(1),
            "{name}: {marks} marks for {given} times in the file"
        );
        assert!(
            talk.turns.iter().filter_map(|t| t.start).all(|start| !start.estimated),
            "{name}: a start was estimated, not read from the file"
        );
        total_given += given;
        total_marks += marks;

        let label_lines = (source.label_lines)(&text);
        let labels = label_lines.len();
        let named = talk.turns.iter().filter(|t| t.speaker.is_some()).count();
        let detected_here = detected == Some(Format::SpeakerText);
        // A file left to plain text may label only a closing Q&A: its share is not held.
        let holds_share = source.all_labelled || detected_here;
        if let Some(&first_label) = label_lines.first().filter(|_| holds_share) {
            // Turns before the first label (an intro, a preamble) have no one to name.
            let after_first_label: Vec<_> = talk.turns.iter().filter(|t| t.line >= first_label).collect();
            let named_after = after_first_label.iter().filter(|t| t.speaker.is_some()).count();
            let share = named_after as f64 / after_first_label.len().max(1) as f64;
            assert!(
                share >= source.min_named_share,
                "{name}: only {named_after} of {} turns after line {first_label} have a speaker",
                after_first_label.len()
            );
        } else if label_lines.is_empty() {
            assert_eq!(named, 0, "{name}: speakers invented for an unlabelled file");
        }

        if !detected_here {
            let labels_in_head = (source.label_lines)(head(&text)).len();
            let times_in_head = (source.count_times)(head(&text));
            let why = if labels == 0 && given == 0 {
                "no speaker labels or times in the file".to_string()
            } else {
                format!(
                    "{labels} labels and {given} times in the file, \
                     {labels_in_head} and {times_in_head} in the first {HEAD_BYTES} bytes"
                )
            };
            not_detected.push((name, detected, why));
        }
    }
    println!(
        "{}: {} files, {} detected as speaker text; {total_marks} of {total_given} times kept",
        source.dir,
        files.len(),
        files.len() - not_detected.len()
    );
    let unlabelled = not_detected.iter().filter(|(_, _, why)| why.starts_with("no speaker")).count();
    if unlabelled > 0 {
        println!("  {unlabelled} files without labels or times left to plain text");
    }
    for (name, detected, why) in not_detected.iter().filter(|(_, _, why)| !why.starts_with("no speaker")) {
        println!("  not detected: {name}: {detected:?} ({why})");
    }
    if source.all_labelled {
        assert!(not_detected.is_empty(), "{}: {not_detected:#?}", source.dir);
    }
    for (name, _, _) in &not_detected {
        // A file left to plain text must not start with labels: its first labels are further
        // in than the head, or it has fewer than two.
        let text = fs::read_to_string(root.join(name)).unwrap_or_default();
        let head = head(&text);
        assert!(
            (source.label_lines)(head).len() < 2 && (source.count_times)(head) < 2,
            "{name}: labelled head not detected"
        );
    }

    for quote in source.quotes {
        let path = root.join(source.dir).join(quote.file);
        let text = fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", quote.file));
        let talk = Format::SpeakerText.parse(&text).expect(quote.file);
        let (turn, time) =
            find_quote(&talk, quote.text).unwrap_or_else(|| panic!("{}: {:?} not found", quote.file, quote.text));
        assert_eq!((turn.speaker.as_deref(), time), (quote.speaker, quote.time_ms), "{}: {:?}", quote.file, quote.text);
    }
}

/// Milliseconds of `h:mm:ss`.
const fn hms(hours: u64, minutes: u64, seconds: u64) -> u64 {
    ((hours * 60 + minutes) * 60 + seconds) * 1000
}

#[test]
fn changelog_bold_labels_and_escaped_marks() {
    check_source(&Source {
        dir: "changelog-md",
        all_labelled: true,
        label_lines: bold_label_lines,
        count_times: count_bracketed_clocks,
        min_named_share: 0.95,
        quotes: &[
            Quote {
                file: "bigtent/big-tent-s2e2.md",
                text: "Oh, fantastic. Thank you.",
                speaker: Some("Tom Wilkie"),
                time_ms: Some(hms(0, 6, 7)),
            },
            Quote {
                // `\[unintelligible 00:12:25.19\]` is no time: the last one is `\[10:06\]`.
                file: "bigtent/big-tent-s2e2.md",
                text: "[unintelligible 00:12:25.19] You mentioned engineers",
                speaker: Some("Tom Wilkie"),
                time_ms: Some(hms(0, 10, 6)),
            },
            Quote {
                // An unlabelled paragraph opening with a mark continues the last speaker.
                file: "gotime/go-time-118.md",
                text: "And as long as it satisfies the interface I've defined",
                speaker: Some("Johnny Boursiquot"),
                time_ms: Some(hms(0, 8, 16)),
            },
            Quote {
                file: "podcast/the-changelog-327.md",
                text: "Or you're waiting on, say, an API change somewhere else",
                speaker: Some("Andrew Nesbitt"),
                time_ms: Some(hms(1, 4, 6) + 290),
            },
            Quote {
                file: "gotime/go-time-32.md",
                text: "The point of the hellogopher is also to avoid",
                speaker: Some("Filippo Valsorda"),
                time_ms: Some(hms(0, 7, 49) + 70),
            },
        ],
    });
}

#[test]
fn lennys_podcast_names_with_times_and_continuations() {
    check_source(&Source {
        dir: "lennys-podcast-md",
        all_labelled: true,
        label_lines: |text| lines_where(text, |line| line.ends_with("):") && line.len() > 13),
        count_times: |text| {
            lines_where(text, |line| {
                line.strip_suffix("):").and_then(|l| l.rsplit_once('(')).is_some_and(|(_, time)| is_clock(time))
            })
            .len()
        },
        min_named_share: 0.99,
        quotes: &[
            Quote {
                file: "episodes/boz/transcript.md",
                text: "I didn't sleep for more than four hours at a time.",
                speaker: Some("Andrew ‘Boz’ Bosworth"),
                time_ms: Some(hms(0, 0, 7)),
            },
            Quote {
                // A nameless `(00:00:48):` continuation keeps the speaker.
                file: "episodes/boz/transcript.md",
                text: "Today, my guest is Andrew Bosworth",
                speaker: Some("Lenny"),
                time_ms: Some(hms(0, 0, 48)),
            },
            Quote {
                file: "episodes/mike-maples-jr/transcript.md",
                text: "The way inventions happen is people get their hands dirty",
                speaker: Some("Mike Maples, Jr."),
                time_ms: Some(hms(0, 0, 18)),
            },
        ],
    });
}

#[test]
fn oxide_bracketed_speakers_and_whisper_lines() {
    check_source(&Source {
        dir: "oxide-friends-whisper-txt",
        all_labelled: true,
        label_lines: |text| lines_where(text, |line| line.starts_with('[') && !line.contains("-->")),
        count_times: |text| lines_where(text, |line| line.starts_with('[')).len(),
        min_named_share: 0.99,
        quotes: &[
            Quote {
                file: "2024/Books_in_the_Box_IV_transcript.txt",
                text: "Are you certain you're pronouncing G'Rourke correctly?",
                speaker: Some("Bryan Cantrill"),
                time_ms: Some(hms(0, 0, 21)),
            },
            Quote {
                file: "2021/Put_the_OS_back_in_OSDI_transcript.txt",
                text: "having worked on an uploads project where we",
                speaker: Some("Speaker 5"),
                time_ms: Some(hms(1, 0, 23)),
            },
            Quote {
                file: "2023/Tales_from_Manufacturing_Shipping_Rack_1_transcript.txt",
                text: "Okay, well, this is a good segue.",
                speaker: None,
                time_ms: Some(11_640),
            },
        ],
    });
}

#[test]
fn talkpython_time_first_lines_and_voice_tags() {
    check_source(&Source {
        dir: "talkpython",
        all_labelled: true,
        label_lines: |text| {
            lines_where(text, |line| {
                let label_after_time =
                    starts_with_clock(line) && line.split_once(' ').is_some_and(|(_, after)| is_plain_label(after));
                line.contains("<v ") || label_after_time
            })
        },
        count_times: |text| lines_where(text, starts_with_clock).len(),
        min_named_share: 0.99,
        quotes: &[
            Quote {
                file: "transcripts/012_Deep_dive_into_Modules_and_Packages.txt",
                text: "Okay, maybe you should listen to this episode of Talk Python To Me",
                speaker: None,
                time_ms: Some(hms(0, 0, 5)),
            },
            Quote {
                file: "transcripts/525-nicegui.txt",
                text: "Nice GUI, pronounced NiceGUI, sits on FastAPI",
                speaker: Some("Michael Kennedy"),
                time_ms: Some(hms(0, 0, 12)),
            },
            Quote {
                // Two voices merged on one line: each keeps its own name.
                file: "transcripts/525-nicegui.txt",
                text: "and some 2D elements.",
                speaker: Some("Michael Kennedy"),
                time_ms: Some(hms(0, 43, 31)),
            },
            Quote {
                file: "transcripts/525-nicegui.txt",
                text: "Some 3D objects like cubes, spheres, even 3D meshes",
                speaker: Some("Falko Schindler"),
                time_ms: Some(hms(0, 43, 31)),
            },
            Quote {
                file: "transcripts/460-dropbase-build-internal-tools-with-python.txt",
                text: "I think it's fine without.",
                speaker: Some("MARK MANDEL"),
                time_ms: Some(hms(0, 32, 40)),
            },
        ],
    });
}

#[test]
fn orbitfm_time_first_bold_names() {
    check_source(&Source {
        dir: "orbitfm-bookbytes",
        all_labelled: true,
        label_lines: |text| lines_where(text, |line| starts_with_clock(line) && line.contains("**")),
        count_times: |text| lines_where(text, starts_with_clock).len(),
        min_named_share: 0.95,
        quotes: &[
            Quote {
                // CRLF file; a timed paragraph without a name continues the speaker.
                file: "transcripts/BookBytes-035.txt",
                text: "I specifically liked that Io was called out",
                speaker: Some("Jason Staten"),
                time_ms: Some(73_600),
            },
            Quote {
                // `0:14:01.2**Jason Staten**`: no space before the name.
                file: "transcripts/BookBytes-035.txt",
                text: "Because it may not exist as a naming method",
                speaker: Some("Jason Staten"),
                time_ms: Some(841_200),
            },
            Quote {
                // After `0:35:45:9` (a colon typed for the decimal point).
                file: "transcripts/bookbytes-013.txt",
                text: "and you do the same thing with like, milk at the grocery store",
                speaker: Some("Adam Garrett-Harris"),
                time_ms: Some(2_145_900),
            },
            Quote {
                file: "transcripts/bookbytes-004.txt",
                text: "So, welcome to BookBytes, episode who knows?",
                speaker: Some("Adam Garrett-Harris"),
                time_ms: Some(14_300),
            },
        ],
    });
}

#[test]
fn bitcointranscripts_labels_times_and_prose() {
    check_source(&Source {
        dir: "bitcointranscripts-md",
        // Many talks are prose without labels; those are plain text.
        all_labelled: false,
        label_lines: |text| {
            lines_where(text, |line| is_label_with_clock(line) || (!line.starts_with('#') && is_plain_label(line)))
        },
        count_times: |text| lines_where(text, is_label_with_clock).len(),
        // Some talks label only the host's introduction and a closing Q&A; the talk between is
        // one unlabelled speaker (stanford-blockchain-conference/2019/miniscript.md: 8 of 31).
        min_named_share: 0.25,
        quotes: &[
            Quote {
                file: "bitcoin-explained/op_return.md",
                text: "Live from Utrecht, this is Bitcoin Explained.",
                speaker: Some("Aaron van Wirdum"),
                time_ms: Some(hms(0, 0, 19)),
            },
            Quote {
                file: "bitcoin-explained/op_return.md",
                text: "I'm a panelist, probably not a real speaker.",
                speaker: Some("Sjors Provoost"),
                time_ms: Some(hms(0, 0, 33)),
            },
            Quote {
                // `**Audience 1:** 00:23:09` on its own line, text below.
                file: "tabconf/2025/post-quantum-cisa-signature-aggregation-for-bitcoins-future.md",
                text: "This could maybe like be good for maybe exchanges?",
                speaker: Some("Audience 1"),
                time_ms: Some(hms(0, 23, 9)),
            },
            Quote {
                file: "london-bitcoin-devs/2020-06-16-socratic-seminar-bip-schnorr.md",
                text: "I am Adam Gibson or waxwing on the internet.",
                speaker: Some("Adam Gibson"),
                time_ms: None,
            },
            Quote {
                // `MF:` was declared by `Michael Folkson (MF):`.
                file: "london-bitcoin-devs/2020-06-16-socratic-seminar-bip-schnorr.md",
                text: "You may be disappointed.",
                speaker: Some("Michael Folkson"),
                time_ms: None,
            },
            Quote {
                file: "bitcoin-core-dev-tech/2022-10/2022-10-11-frost.md",
                text: "Should these be untrusted?",
                speaker: Some("Q"),
                time_ms: None,
            },
        ],
    });
}

#[test]
fn ted_caption_lines_with_occasional_labels() {
    check_source(&Source {
        dir: "ted-talks-md",
        // Most talks have one speaker and no labels; those are plain text.
        all_labelled: false,
        label_lines: |text| lines_where(text, is_plain_label),
        count_times: |_| 0,
        min_named_share: 0.5,
        quotes: &[
            Quote {
                file: "cleaned_ted_data/Titles_starting_P_to_Z/The_future_of_storytelling_Shonda_Rhimes_and_Cyndi_Stivers.md",
                text: "What's never going to change. Obviously, I think good stories",
                speaker: Some("Shonda Rhimes"),
                time_ms: None,
            },
            Quote {
                // `CS:` is Cyndi Stivers, named in full earlier.
                file: "cleaned_ted_data/Titles_starting_P_to_Z/The_future_of_storytelling_Shonda_Rhimes_and_Cyndi_Stivers.md",
                text: "OK. In preparation for this conversation",
                speaker: Some("Cyndi Stivers"),
                time_ms: None,
            },
            Quote {
                file: "cleaned_ted_data/Titles_starting_A_to_O/Gordon_Brown_on_global_ethic_vs_national_interest.md",
                text: "Well, indeed.",
                speaker: Some("Chris Anderson"),
                time_ms: None,
            },
        ],
    });
    let Some(root) = corpus_root() else { return };
    let ted = root.join("ted-talks-md/cleaned_ted_data");
    for (file, expected) in [
        ("Titles_starting_P_to_Z/The_future_of_storytelling_Shonda_Rhimes_and_Cyndi_Stivers.md", Format::SpeakerText),
        ("Titles_starting_A_to_O/Gordon_Brown_on_global_ethic_vs_national_interest.md", Format::SpeakerText),
        // `Translator:` and `Reviewer:` credits are no speakers.
        ("Titles_starting_A_to_O/Erik_Brynjolfsson_The_key_to_growth_Race_with_the_machines.md", Format::PlainText),
    ] {
        let text = fs::read_to_string(ted.join(file)).unwrap_or_else(|e| panic!("{file}: {e}"));
        assert_eq!(Format::detect(Some("md"), head(&text)), Some(expected), "{file}");
    }
}

#[test]
fn plain_whisper_text_is_left_to_plain_text() {
    let Some(root) = corpus_root() else { return };
    let files = transcripts(&root.join("whisper-outputs-autonompost"));
    for path in files.iter().filter(|p| extension(p) == "txt") {
        let text = fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        assert_eq!(Format::detect(Some("txt"), head(&text)), Some(Format::PlainText), "{}", path.display());
    }
}
