//! Joining timed pieces of speech (subtitle cues, JSON segments, labelled lines) into turns.
//!
//! Every timed format produces [`Cue`]s; [`join_cues`] is the one place that decides where a
//! turn ends, so every format splits turns the same way.

use crate::model::{TimeMark, Timestamp, Turn};

/// A pause longer than this between two cues starts a new turn.
pub const LONG_PAUSE_MS: u64 = 8_000;
/// A turn that has grown past this many bytes ends at the next cue boundary.
pub const MAX_TURN_BYTES: usize = 1_200;

/// One piece of speech as a format gives it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Cue {
    /// Speaker named on this cue; `None` continues the current speaker.
    pub speaker: Option<String>,
    /// True when the source marks a change of speaker without naming one (`- `, `>> `).
    pub speaker_change: bool,
    /// The words, already free of markup.
    pub text: String,
    /// Start in milliseconds, when the source gives it.
    pub start: Option<u64>,
    /// End in milliseconds, when the source gives it.
    pub end: Option<u64>,
    /// Times of words inside `text` (offsets into `text`), when the source gives them.
    pub marks: Vec<TimeMark>,
    /// 1-based source line of the cue.
    pub line: usize,
}

/// Joins consecutive cues of one speaker into turns. A new turn starts when the speaker
/// changes, after a pause longer than [`LONG_PAUSE_MS`], or when the turn has grown past
/// [`MAX_TURN_BYTES`]. Each cue's start becomes a [`TimeMark`] in its turn.
pub fn join_cues(cues: impl IntoIterator<Item = Cue>) -> Vec<Turn> {
    let mut turns: Vec<Turn> = Vec::new();
    let mut last_end: Option<u64> = None;
    for cue in cues {
        let text = cue.text.split_whitespace().collect::<Vec<_>>().join(" ");
        if text.is_empty() {
            continue;
        }
        let starts_turn = match turns.last() {
            None => true,
            Some(turn) => {
                let new_speaker = cue.speaker.is_some() && cue.speaker != turn.speaker;
                let paused = matches!((last_end, cue.start), (Some(end), Some(start)) if start > end.saturating_add(LONG_PAUSE_MS));
                cue.speaker_change || new_speaker || paused || turn.text.len() >= MAX_TURN_BYTES
            }
        };
        if starts_turn {
            let speaker = cue.speaker.clone().or_else(|| {
                // A nameless continuation after a named turn keeps that name; a marked change
                // of speaker without a name does not.
                if cue.speaker_change { None } else { turns.last().and_then(|t| t.speaker.clone()) }
            });
            turns.push(Turn { speaker, start: cue.start.map(Timestamp::exact), line: cue.line, ..Turn::default() });
        }
        let turn = turns.last_mut().expect("a turn was pushed above");
        if !turn.text.is_empty() {
            turn.text.push(' ');
        }
        let base = turn.text.len();
        if let Some(start) = cue.start {
            if turn.start.is_none() {
                turn.start = Some(Timestamp::exact(start));
            }
            push_mark(&mut turn.marks, TimeMark { offset: base, millis: start });
        }
        turn.text.push_str(&text);
        if cue.text == text {
            // Word marks are only meaningful while offsets still line up with the text.
            for mark in &cue.marks {
                push_mark(&mut turn.marks, TimeMark { offset: base + mark.offset, millis: mark.millis });
            }
        }
        if let Some(end) = cue.end.or(cue.start) {
            turn.end = Some(Timestamp::exact(end));
            last_end = Some(end);
        }
    }
    turns
}

/// Keeps marks ascending by offset and never going back in time.
fn push_mark(marks: &mut Vec<TimeMark>, mark: TimeMark) {
    match marks.last() {
        Some(last) if last.offset >= mark.offset || last.millis > mark.millis => {}
        _ => marks.push(mark),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cue(speaker: Option<&str>, text: &str, start: u64, end: u64) -> Cue {
        Cue {
            speaker: speaker.map(str::to_string),
            text: text.to_string(),
            start: Some(start),
            end: Some(end),
            line: 1,
            ..Cue::default()
        }
    }

    #[test]
    fn joins_one_speaker_and_splits_on_change_and_pause() {
        let turns = join_cues([
            cue(Some("Ann"), "Hello there.", 0, 1_000),
            cue(None, "How are you?", 1_000, 2_000),
            cue(Some("Bob"), "Fine.", 2_000, 3_000),
            cue(None, "Much later.", 30_000, 31_000),
        ]);
        let shape: Vec<(Option<&str>, &str)> = turns.iter().map(|t| (t.speaker.as_deref(), t.text.as_str())).collect();
        assert_eq!(
            shape,
            vec![(Some("Ann"), "Hello there. How are you?"), (Some("Bob"), "Fine."), (Some("Bob"), "Much later."),]
        );
        assert_eq!(turns[0].marks, vec![TimeMark { offset: 0, millis: 0 }, TimeMark { offset: 13, millis: 1_000 }]);
        assert_eq!(turns[0].end, Some(Timestamp::exact(2_000)));
    }

    #[test]
    fn marked_change_without_name_starts_an_unnamed_turn() {
        let mut second = cue(None, "Another voice.", 1_000, 2_000);
        second.speaker_change = true;
        let turns = join_cues([cue(Some("Ann"), "One.", 0, 1_000), second]);
        assert_eq!(turns.len(), 2);
        assert_eq!(turns[1].speaker, None);
    }

    #[test]
    fn long_turns_are_cut_at_a_cue_boundary() {
        let long = "word ".repeat(MAX_TURN_BYTES / 5 + 1);
        let turns = join_cues([cue(None, &long, 0, 1_000), cue(None, "next", 1_000, 2_000)]);
        assert_eq!(turns.len(), 2);
    }
}
