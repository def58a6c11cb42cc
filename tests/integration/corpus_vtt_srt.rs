//! The WebVTT and SubRip parsers against the real transcripts of the shared corpus.
//!
//! The corpus lives next to the crate (`../shared/corpus`, or `$TALKSEARCH_CORPUS`); without it
//! these tests print a note and pass. Quotes below were read out of the corpus files by hand,
//! with the timing line of the cue that holds them.

use crate::util::corpus;
use std::path::{Path, PathBuf};
use talksearch::formats::Format;
use talksearch::formats::clock::parse_clock;
use talksearch::model::{Talk, Turn};

/// Every file under `dir` whose extension is `extension`, sorted.
fn files_with_extension(dir: &Path, extension: &str) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(dir) = pending.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for path in entries.flatten().map(|entry| entry.path()) {
            if path.is_dir() {
                pending.push(path);
            } else if path.extension().is_some_and(|e| e == extension) {
                found.push(path);
            }
        }
    }
    found.sort();
    found
}

/// Parses a corpus file given relative to the corpus, or `None` when the corpus is absent.
fn parse(relative: &str, format: Format) -> Option<Talk> {
    let path = corpus()?.join(relative);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()));
    Some(format.parse(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display())))
}

/// Where a quote was found: its turn and the time of the cue or word it starts in.
struct Found<'a> {
    turn: &'a Turn,
    millis: u64,
}

/// Finds `quote` in the talk's turns and the time of the last mark at or before it.
fn find<'a>(talk: &'a Talk, quote: &str) -> Found<'a> {
    let (turn, offset) = talk
        .turns
        .iter()
        .find_map(|turn| turn.text.find(quote).map(|offset| (turn, offset)))
        .unwrap_or_else(|| panic!("quote not found: {quote:?}"));
    let mark = turn
        .marks
        .iter()
        .rev()
        .find(|mark| mark.offset <= offset)
        .unwrap_or_else(|| panic!("no time mark before {quote:?}"));
    Found { turn, millis: mark.millis }
}

/// Asserts that `quote` is said at `millis` (the start of its cue), by `speaker`.
fn assert_said(talk: &Talk, quote: &str, millis: u64, speaker: Option<&str>) {
    let found = find(talk, quote);
    assert_eq!(found.millis, millis, "time of {quote:?}");
    assert_eq!(found.turn.speaker.as_deref(), speaker, "speaker of {quote:?}");
    let start = found.turn.start.expect("turn has a start");
    assert!(!start.estimated && start.millis <= millis, "turn start {start:?} for {quote:?}");
}

/// Milliseconds of `h:mm:ss.mmm`, to write times as the files do.
fn ms(hours: u64, minutes: u64, seconds: u64, millis: u64) -> u64 {
    ((hours * 60 + minutes) * 60 + seconds) * 1000 + millis
}

#[test]
fn every_vtt_and_srt_file_parses_with_exact_times() {
    let Some(corpus) = corpus() else { return };
    let mut checked = 0;
    for (extension, format) in [("vtt", Format::WebVtt), ("srt", Format::SubRip)] {
        for path in files_with_extension(&corpus, extension) {
            let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()));
            let talk = format.parse(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            assert!(!talk.turns.is_empty(), "{}: no turns", path.display());
            for turn in &talk.turns {
                let start =
                    turn.start.unwrap_or_else(|| panic!("{}:{}: turn without a start", path.display(), turn.line));
                assert!(!start.estimated, "{}:{}", path.display(), turn.line);
                assert!(!turn.text.is_empty() && turn.text.trim() == turn.text);
                assert!(
                    turn.marks
                        .windows(2)
                        .all(|pair| pair[0].offset < pair[1].offset && pair[0].millis <= pair[1].millis),
                    "{}:{}: marks out of order",
                    path.display(),
                    turn.line
                );
                assert!(turn.marks.iter().all(|m| turn.text.is_char_boundary(m.offset) && m.offset < turn.text.len()));
                assert!(
                    !["</", "<v ", "<c>", "&amp;", "&#39;"].iter().any(|markup| turn.text.contains(markup)),
                    "{}:{}: markup left in {:?}",
                    path.display(),
                    turn.line,
                    turn.text
                );
            }
            checked += 1;
        }
    }
    assert!(checked >= 150, "only {checked} files found");
}

#[test]
fn lexicap_whisper_vtt_quotes_keep_their_times_across_the_hour() {
    let Some(talk) = parse("lexicap-whisper-vtt/vtt/episode_016_large.vtt", Format::WebVtt) else {
        return;
    };
    assert_said(&talk, "The following is a conversation with Eric Weinstein.", 0, None);
    // `59:58.420 --> 1:00:01.560`: the cue that mixes the two clock shapes.
    assert_said(&talk, "And we're pretty, we were pretty maxed out in one direction.", ms(0, 59, 58, 420), None);
    assert_said(&talk, "the end of the day, does the thing work?", ms(1, 0, 8, 20), None);
    let Some(talk) = parse("lexicap-whisper-vtt/vtt/episode_027_large.vtt", Format::WebVtt) else {
        return;
    };
    assert_said(&talk, "So I actually believe a Cold War mentality", ms(0, 59, 57, 560), None);
}

#[test]
fn talkpython_voice_tags_name_the_speakers() {
    let Some(talk) = parse("talkpython/transcripts/531-talk-python-in-prod.vtt", Format::WebVtt) else {
        return;
    };
    assert_said(
        &talk,
        "Have you ever thought about getting your small product into production,",
        20,
        Some("Christopher Trudeau"),
    );
    assert_said(
        &talk,
        "Look into the future and see bugs before they make it to production.",
        ms(0, 1, 21, 700),
        Some("Michael Kennedy"),
    );
    assert!(talk.turns.iter().all(|t| !t.text.contains("<v")));

    let Some(talk) = parse("talkpython/transcripts/538-python-in-digital-humanities.vtt", Format::WebVtt) else {
        return;
    };
    assert_said(
        &talk,
        "I'm glad to be here. Talk Python has been part of my story up to this point.",
        ms(0, 1, 59, 760),
        Some("David Flood"),
    );
    assert_said(
        &talk,
        "David Flood from Harvard's DARTH team about an unglamorous problem.",
        ms(0, 0, 11, 720),
        Some("Michael Kennedy"),
    );
}

#[test]
fn talkpython_plain_vtt_has_no_speakers() {
    let Some(talk) = parse("talkpython/transcripts/313-pydantic.vtt", Format::WebVtt) else {
        return;
    };
    assert_said(&talk, "Data validation and conversion is one of the truly tricky parts", 1, None);
    assert_said(&talk, "This might come from a REST API or a file on disk or somewhere else.", ms(0, 0, 5, 300), None);
}

#[test]
fn talkpython_youtube_markers_change_and_name_speakers() {
    let Some(talk) = parse("talkpython/youtube_transcripts/313-pydantic.vtt", Format::WebVtt) else {
        return;
    };
    // `- ` opens a turn of an unnamed speaker; the marker is not part of the text.
    let hi = find(&talk, "Hi, Mike. Great to meet you.");
    assert!(hi.turn.text.starts_with("Hi, Mike."), "{:?}", hi.turn.text);
    assert_eq!(hi.turn.start.map(|t| t.millis), Some(9_000));
    assert_eq!(hi.turn.speaker, None);
    let welcome = find(&talk, "Hey, Samuel. Welcome to Talk Python To Me.");
    assert!(!std::ptr::eq(welcome.turn, hi.turn), "a turn each");

    let Some(talk) = parse("talkpython/youtube_transcripts/403-fusion-breakthrough.vtt", Format::WebVtt) else {
        return;
    };
    // `>>Luis: Right, that's the one.`
    assert_said(&talk, "Right, that's the one.", ms(0, 13, 24, 840), Some("Luis"));
    assert_said(&talk, "Yeah, no, you're absolutely right.", ms(0, 1, 31, 120), Some("Tom"));
    // The turn Tom's words continue into keeps his name.
    assert_said(&talk, "There are a couple of big changes here", ms(0, 1, 32, 860), Some("Tom"));
}

#[test]
fn whisper_srt_and_vtt_of_one_episode_agree() {
    let episode = "whisper-outputs-autonompost/podcasts/LexFridman/transcripts/98-2020-06-13-101-Joscha-Bach-Artificial-Consciousness-and-the-Nature-of-Reality";
    let (Some(srt), Some(vtt)) =
        (parse(&format!("{episode}.srt"), Format::SubRip), parse(&format!("{episode}.vtt"), Format::WebVtt))
    else {
        return;
    };
    for talk in [&srt, &vtt] {
        assert_said(talk, "The following is a conversation with Yosha Bach", 0, None);
        assert_said(talk, "months in the summer in which you cannot be outside.", ms(1, 29, 59, 120), None);
    }
    let words = |talk: &Talk| talk.turns.iter().map(|t| t.text.split_whitespace().count()).sum::<usize>();
    assert_eq!(words(&srt), words(&vtt));

    let Some(german) = parse(
        "whisper-outputs-autonompost/podcasts/CriticalInfinityShorts/transcripts/75-2022-08-02-Critical-Hartz-IV.srt",
        Format::SubRip,
    ) else {
        return;
    };
    assert_said(&german, "aufnahme weil ich jetzt hier gerade alleine sitze", 4_980, None);
    let Some(talk) = parse(
        "whisper-outputs-autonompost/podcasts/37c3/transcripts/37c3-Joscha_Bach-Synthetic_Sentience.srt",
        Format::SubRip,
    ) else {
        return;
    };
    assert_said(&talk, "Good afternoon, fellow conscious beings here and on the devices.", 0, None);
    assert_said(&talk, "And it's also not the same thing as sentience.", ms(0, 12, 42, 260), None);
}

#[test]
fn youtube_autocaptions_count_each_rolled_line_once_with_word_times() {
    let relative = "youtube-autocaption-vtt-scribesalad/transcripts/en/Big_Think/autogen/-3HXw3vu2tc.en.vtt";
    let Some(talk) = parse(relative, Format::WebVtt) else {
        return;
    };
    let joined = talk.turns.iter().map(|t| t.text.as_str()).collect::<Vec<_>>().join(" ");
    // This line is in three cues: typed out word by word, flashed for 10 ms, repeated above
    // the next line.
    for rolled in [
        "bartender in Washington named Steve Daly",
        "with him because I was a sports writer",
        "obsession that makes them as successful",
    ] {
        assert_eq!(joined.matches(rolled).count(), 1, "{rolled:?}");
    }
    assert!(joined.starts_with("you know I knew a guy who was a bartender in Washington"));
    assert!(joined.ends_with("obsession that makes them as successful as they are"));

    // Word times: `bartender<00:00:09.480><c> in</c><00:00:10.110><c> Washington</c>` in the
    // cue starting 00:00:08.480.
    assert_eq!(find(&talk, "bartender in Washington").millis, 8_480);
    assert_eq!(find(&talk, "in Washington named").millis, 9_480);
    assert_eq!(find(&talk, "Washington named").millis, 10_110);
    assert_eq!(find(&talk, "Steve Daly").millis, 10_889);

    // Every word the 10 ms cues show, in order, and nothing else (the last line has no
    // 10 ms cue after it).
    let text = std::fs::read_to_string(corpus().unwrap_or_default().join(relative)).unwrap_or_default();
    let lines: Vec<&str> = text.lines().collect();
    let mut flashed = Vec::new();
    for pair in lines.windows(2) {
        let Some((start, rest)) = pair[0].split_once(" --> ") else {
            continue;
        };
        let end = rest.split_whitespace().next().unwrap_or("");
        if let (Some(start), Some(end)) = (parse_clock(start), parse_clock(end))
            && end == start + 10
        {
            flashed.push(pair[1].trim());
        }
    }
    assert!(flashed.len() > 30);
    let expected = format!("{} as they are", flashed.join(" "));
    assert_eq!(joined, expected);
}
