//! The transcript model: talks, turns, vocabulary entries and times.
//!
//! Every format parser produces these values and the indexer consumes them. This module knows
//! nothing of files, formats or tantivy, so it can be built and tested from literal values.

mod time;

pub use time::{TimeMark, Timestamp};

use serde::{Deserialize, Serialize};

/// Speaking rate used to estimate times where a transcript has none.
pub const DEFAULT_WORDS_PER_MINUTE: u32 = 150;

/// One transcript: a talk, interview or podcast episode, with everything said in it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Talk {
    /// Title as given by the file (title line, front matter or sidecar); `None` when unknown.
    pub title: Option<String>,
    /// The show, channel or conference the talk belongs to.
    pub show: Option<String>,
    /// Publication date as written in the source (free form).
    pub date: Option<String>,
    /// Speakers named by the source's metadata (front matter, sidecar); turns name their own.
    pub speakers: Vec<String>,
    /// Where the recording can be played; used to link hits to their moment.
    pub media_url: Option<String>,
    /// Summary paragraphs (talk card format).
    pub summary: Vec<Paragraph>,
    /// "Main takeaways" bullets (talk card format).
    pub takeaways: Vec<Paragraph>,
    /// Key vocabulary entries (talk card format).
    pub vocabulary: Vec<VocabEntry>,
    /// Closing tags (talk card format).
    pub tags: Vec<String>,
    /// What was said, one entry per speaker turn, in order.
    pub turns: Vec<Turn>,
}

/// A paragraph of text with the 1-based source line it starts on.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Paragraph {
    /// The paragraph's text, on one line.
    pub text: String,
    /// 1-based line number in the source file.
    pub line: usize,
}

/// One speaker turn: consecutive speech by one speaker.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Turn {
    /// The speaker's name; `None` when the source does not say (never invented).
    pub speaker: Option<String>,
    /// What was said.
    pub text: String,
    /// When the turn starts; `None` until known or estimated.
    pub start: Option<Timestamp>,
    /// When the turn ends; `None` until known or estimated.
    pub end: Option<Timestamp>,
    /// Times of positions inside `text` (a cue, a word), ascending by offset, so that a hit can
    /// report the moment where its match is, not only where the turn starts.
    pub marks: Vec<TimeMark>,
    /// 1-based line number in the source file where the turn starts.
    pub line: usize,
}

/// One entry of a talk card's "Key Vocabularies and Common Phrases" list.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct VocabEntry {
    /// The entry's number in the list (1-based, as printed).
    pub number: u32,
    /// The term or phrase.
    pub term: String,
    /// Pronunciation in IPA, without the brackets.
    pub ipa: Option<String>,
    /// Part of speech, e.g. `verb`.
    pub part_of_speech: Option<String>,
    /// The definition.
    pub definition: String,
    /// Synonyms, in the order given.
    pub synonyms: Vec<String>,
    /// The example sentence quoted from the talk.
    pub example: Option<String>,
    /// Index into [`Talk::turns`] of the turn where the example is said, when found.
    pub example_turn: Option<usize>,
    /// 1-based line number of the entry in the source.
    pub line: usize,
}

impl Talk {
    /// Fills every missing turn time: between two known times by interpolation, elsewhere from
    /// the words spoken before at `words_per_minute`. Filled times are marked estimated; times
    /// the source gave are left untouched.
    pub fn estimate_times(&mut self, words_per_minute: u32) {
        if self.turns.iter().all(|turn| turn.start.is_some() && turn.end.is_some()) {
            return;
        }
        let wpm = f64::from(words_per_minute.max(1));
        let ms_per_word = 60_000.0 / wpm;
        // Words before each turn's start, and after the last turn.
        let mut word_positions = Vec::with_capacity(self.turns.len() + 1);
        let mut words = 0usize;
        for turn in &self.turns {
            word_positions.push(words);
            words += word_count(&turn.text);
        }
        word_positions.push(words);

        // Anchors: (word position, ms) of every exact time the source gave.
        let mut anchors: Vec<(usize, u64)> = Vec::new();
        for (i, turn) in self.turns.iter().enumerate() {
            if let Some(start) = turn.start.filter(|t| !t.estimated) {
                anchors.push((word_positions[i], start.millis));
            }
            if let Some(end) = turn.end.filter(|t| !t.estimated) {
                anchors.push((word_positions[i + 1], end.millis));
            }
        }
        anchors.sort_unstable();
        let estimate = |position: usize| -> Timestamp {
            let after = anchors.partition_point(|&(p, _)| p <= position);
            let millis = match (after.checked_sub(1).map(|i| anchors[i]), anchors.get(after)) {
                (Some((p0, t0)), Some(&(p1, t1))) if p1 > p0 && t1 >= t0 => {
                    let fraction = (position - p0) as f64 / (p1 - p0) as f64;
                    t0 + (fraction * (t1 - t0) as f64) as u64
                }
                (Some((p0, t0)), _) => t0 + ((position - p0) as f64 * ms_per_word) as u64,
                (None, Some(&(p1, t1))) => t1.saturating_sub(((p1 - position) as f64 * ms_per_word) as u64),
                (None, None) => (position as f64 * ms_per_word) as u64,
            };
            Timestamp::estimated(millis)
        };
        for (i, turn) in self.turns.iter_mut().enumerate() {
            if turn.start.is_none() {
                turn.start = Some(estimate(word_positions[i]));
            }
            if turn.end.is_none() {
                turn.end = Some(estimate(word_positions[i + 1]));
            }
        }
    }

    /// Links each vocabulary entry to the turn where its example sentence starts (compared on
    /// letters and digits only, case-insensitively; an example may run on into the next turn).
    pub fn link_vocabulary_examples(&mut self) {
        if self.vocabulary.iter().all(|entry| entry.example.is_none()) {
            return;
        }
        let mut spoken = String::new();
        let mut turn_starts = Vec::with_capacity(self.turns.len());
        for turn in &self.turns {
            if !spoken.is_empty() {
                spoken.push(' ');
            }
            turn_starts.push(spoken.len());
            spoken.push_str(&match_key(&turn.text));
        }
        for entry in &mut self.vocabulary {
            entry.example_turn = entry.example.as_deref().map(match_key).and_then(|key| {
                let at = spoken.find(&key).filter(|_| !key.is_empty())?;
                Some(turn_starts.partition_point(|&start| start <= at) - 1)
            });
        }
    }
}

/// What a searchable passage is: the unit of indexing and of a hit.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PassageKind {
    /// A speaker turn of the transcript.
    #[default]
    Turn,
    /// A vocabulary entry.
    Vocab,
    /// A summary paragraph.
    Summary,
    /// A takeaway.
    Takeaway,
}

impl PassageKind {
    /// Every kind.
    pub const ALL: [PassageKind; 4] =
        [PassageKind::Turn, PassageKind::Vocab, PassageKind::Summary, PassageKind::Takeaway];

    /// The kind's name, as stored and as typed on the command line.
    pub fn name(self) -> &'static str {
        match self {
            PassageKind::Turn => "turn",
            PassageKind::Vocab => "vocab",
            PassageKind::Summary => "summary",
            PassageKind::Takeaway => "takeaway",
        }
    }

    /// The kind called `name`.
    pub fn from_name(name: &str) -> Option<PassageKind> {
        PassageKind::ALL.into_iter().find(|k| k.name() == name)
    }
}

/// Number of whitespace-separated words in `text`.
pub fn word_count(text: &str) -> usize {
    text.split_whitespace().count()
}

/// Lower-cased letters and digits of `text`, each word separated by one space.
fn match_key(text: &str) -> String {
    let mut key = String::with_capacity(text.len());
    for word in text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()) {
        if !key.is_empty() {
            key.push(' ');
        }
        key.extend(word.chars().flat_map(char::to_lowercase));
    }
    key
}

#[cfg(test)]
mod tests {
    use super::*;

    fn turn(text: &str) -> Turn {
        Turn { text: text.to_string(), ..Turn::default() }
    }

    #[test]
    fn estimates_from_words_spoken_before() {
        let mut talk = Talk {
            turns: vec![turn(&"word ".repeat(150)), turn(&"word ".repeat(75)), turn("last")],
            ..Talk::default()
        };
        talk.estimate_times(150);
        let starts: Vec<u64> = talk.turns.iter().map(|t| t.start.unwrap().millis).collect();
        assert_eq!(starts, vec![0, 60_000, 90_000]);
        assert!(talk.turns.iter().all(|t| t.start.unwrap().estimated && t.end.unwrap().estimated));
        assert_eq!(talk.turns[0].end.unwrap().millis, 60_000);
    }

    #[test]
    fn interpolates_between_exact_times_and_keeps_them() {
        let mut talk = Talk { turns: vec![turn("a b"), turn("c d"), turn("e f"), turn("g h")], ..Talk::default() };
        talk.turns[0].start = Some(Timestamp::exact(10_000));
        talk.turns[2].start = Some(Timestamp::exact(50_000));
        talk.estimate_times(150);
        let t = &talk.turns;
        assert_eq!(t[0].start, Some(Timestamp::exact(10_000)));
        assert_eq!(t[1].start, Some(Timestamp::estimated(30_000)));
        assert_eq!(t[2].start, Some(Timestamp::exact(50_000)));
        // After the last anchor, the speaking rate continues: 2 words at 150 wpm = 800 ms.
        assert_eq!(t[3].start, Some(Timestamp::estimated(50_800)));
    }

    #[test]
    fn links_vocabulary_example_to_its_turn() {
        let mut talk = Talk {
            turns: vec![turn("Nothing here."), turn("We use it for distillation."), turn("Mostly.")],
            vocabulary: vec![
                VocabEntry { example: Some("for Distillation".into()), ..VocabEntry::default() },
                VocabEntry { example: Some("for distillation. Mostly".into()), ..VocabEntry::default() },
                VocabEntry { example: Some("never said".into()), ..VocabEntry::default() },
            ],
            ..Talk::default()
        };
        talk.link_vocabulary_examples();
        assert_eq!(talk.vocabulary[0].example_turn, Some(1));
        assert_eq!(talk.vocabulary[1].example_turn, Some(1), "runs on into the next turn");
        assert_eq!(talk.vocabulary[2].example_turn, None);
    }
}
