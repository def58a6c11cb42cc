//! The talk card format of `seeds/`.
//!
//! ```text
//! Summary paragraph…                       (one or more)
//! Main takeaways from the video:
//! 💡
//! A takeaway.                              (💡 and its text, repeated)
//! Key Vocabularies and Common Phrases:
//! 1. term [ipa] - (pos) - definition - Synonyms: (a, b, c)
//! Example sentence from the talk.          (one paragraph after each entry)
//! Title - Show
//! Transcript paragraph…                    (one turn each; the first is a teaser)
//! Tag, Another Tag, …                      (closing line)
//! ```
//! Paragraphs are separated by blank lines. Speakers are not named, so turns have none.

use super::{ParseError, ParseErrorKind, blocks, join_block as join};
use crate::model::{Paragraph, Talk, Turn, VocabEntry};

const TAKEAWAYS_HEADER: &str = "main takeaways";
const VOCABULARY_HEADER: &str = "key vocabularies";
const BULB: &str = "💡";

/// True when `head` (the start of a file) has a talk card's section headers.
pub fn looks_like(head: &str) -> bool {
    head.lines().any(|line| {
        let line = line.trim().to_lowercase();
        line.starts_with(TAKEAWAYS_HEADER) || line.starts_with(VOCABULARY_HEADER)
    })
}

#[derive(Clone, Copy, PartialEq)]
enum Section {
    Summary,
    Takeaways,
    Vocabulary,
    Body,
}

/// Parses a talk card.
pub fn parse(text: &str) -> Result<Talk, ParseError> {
    if text.trim().is_empty() {
        return Err(ParseError::new(1, ParseErrorKind::Empty));
    }
    let mut talk = Talk::default();
    let mut section = Section::Summary;
    let mut body: Vec<Paragraph> = Vec::new();
    for block in blocks(text) {
        let (first_line, first) = block[0];
        let header = first.to_lowercase();
        let rest = if header.starts_with(TAKEAWAYS_HEADER) {
            section = Section::Takeaways;
            &block[1..]
        } else if header.starts_with(VOCABULARY_HEADER) {
            section = Section::Vocabulary;
            &block[1..]
        } else {
            &block[..]
        };
        if rest.is_empty() {
            continue;
        }
        match section {
            Section::Summary => talk.summary.push(join(rest)),
            Section::Takeaways => {
                if rest[0].1.starts_with(BULB) {
                    talk.takeaways.extend(takeaways(rest));
                } else {
                    // A paragraph after the takeaways that is not one: the title line.
                    set_title(&mut talk, &join(rest).text);
                    section = Section::Body;
                }
            }
            Section::Vocabulary => {
                if let Some(entry) = vocabulary_entry(first_line, first) {
                    talk.vocabulary.push(entry);
                } else {
                    match talk.vocabulary.last_mut() {
                        Some(entry) if entry.example.is_none() => entry.example = Some(join(rest).text),
                        _ => {
                            set_title(&mut talk, &join(rest).text);
                            section = Section::Body;
                        }
                    }
                }
            }
            Section::Body => body.push(join(rest)),
        }
    }
    if let Some(last) = body.last().filter(|p| is_tag_line(&p.text)) {
        talk.tags = last.text.split(',').map(|t| t.trim().to_string()).filter(|t| !t.is_empty()).collect();
        body.pop();
    }
    if section != Section::Body && talk.turns.is_empty() {
        // No title line was found: the summary paragraphs are all the text there is.
        return Err(ParseError::new(
            text.lines().count().max(1),
            ParseErrorKind::Malformed("talk card has no title line and no transcript".into()),
        ));
    }
    talk.turns = body.into_iter().map(|p| Turn { text: p.text, line: p.line, ..Turn::default() }).collect();
    Ok(talk)
}

/// `💡` lines each introduce the takeaway on the next line (or after the bulb on the same line).
/// Other lines in the block (such as a closing "turn on the CC button" note) are not takeaways.
fn takeaways(lines: &[(usize, &str)]) -> Vec<Paragraph> {
    let mut out = Vec::new();
    let mut after_bulb = false;
    for &(line, text) in lines {
        if let Some(rest) = text.strip_prefix(BULB) {
            let rest = rest.trim();
            after_bulb = rest.is_empty();
            if !rest.is_empty() {
                out.push(Paragraph { text: rest.to_string(), line });
            }
        } else if after_bulb {
            out.push(Paragraph { text: text.to_string(), line });
            after_bulb = false;
        }
    }
    out
}

/// `N. term [ipa] - (pos) - definition - Synonyms: (a, b, c)`; IPA, part of speech and
/// synonyms are each optional.
fn vocabulary_entry(line: usize, text: &str) -> Option<VocabEntry> {
    let (number, rest) = text.split_once(". ")?;
    let number: u32 = number.trim().parse().ok()?;
    let (rest, synonyms) = match rest.rfind(" - Synonyms:") {
        Some(i) => {
            let list = rest[i + " - Synonyms:".len()..].trim();
            let list = list.trim_start_matches('(').trim_end_matches(')');
            (&rest[..i], list.split(',').map(|s| s.trim().to_string()).filter(|s| !s.is_empty()).collect())
        }
        None => (rest, Vec::new()),
    };
    let (head, definition) = rest.split_once(" - ")?;
    let (mut part_of_speech, mut definition) = (None, definition.trim());
    if let Some((pos, def)) = definition.strip_prefix('(').and_then(|after| after.split_once(')')) {
        part_of_speech = Some(pos.trim().to_string());
        definition = def.trim().trim_start_matches('-').trim();
    }
    let (term, ipa) = match head.split_once('[') {
        Some((term, ipa)) => (term.trim(), Some(ipa.trim_end().trim_end_matches(']').trim().to_string())),
        None => (head.trim(), None),
    };
    if term.is_empty() {
        return None;
    }
    Some(VocabEntry {
        number,
        term: term.to_string(),
        ipa,
        part_of_speech,
        definition: definition.to_string(),
        synonyms,
        line,
        ..VocabEntry::default()
    })
}

/// `Title - Show`: the show is what follows the last ` - `.
fn set_title(talk: &mut Talk, line: &str) {
    match line.rsplit_once(" - ") {
        Some((title, show)) if !title.trim().is_empty() && !show.trim().is_empty() => {
            talk.title = Some(title.trim().to_string());
            talk.show = Some(show.trim().to_string());
        }
        _ => talk.title = Some(line.trim().to_string()),
    }
}

/// The closing tag line: short comma-separated items, none of them a sentence.
fn is_tag_line(text: &str) -> bool {
    let items: Vec<&str> = text.split(',').map(str::trim).collect();
    items.len() >= 2
        && items.iter().all(|item| {
            !item.is_empty()
                && item.split_whitespace().count() <= 6
                && !item.ends_with(['.', '?', '!', ':'])
                && item.chars().next().is_some_and(|c| !c.is_lowercase())
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    const CARD: &str = "Summary one.\n\nSummary two.\n\nMain takeaways from the video:\n\n💡\nFirst.\n💡\nSecond.\nPlease remember to turn on the CC button.\n\nKey Vocabularies and Common Phrases:\n\n1. commoditize [kəˈmɒdɪˌtaɪz] - (verb) - To make - or turn - into a commodity. - Synonyms: (standardize, generalize)\n\n1 405 b launch, will models commoditize?\n\n2. iteratively - (adverb) - Repeatedly.\n\nIt doesn’t say the term.\n\nA Title - The Show\n\nTeaser.\n\nWill models commoditize? Yes.\n\nAI, Open Source Models, Meta'S Llama\n";

    #[test]
    fn parses_every_section() {
        let talk = parse(CARD).unwrap();
        let texts = |ps: &[Paragraph]| ps.iter().map(|p| p.text.clone()).collect::<Vec<_>>();
        assert_eq!(texts(&talk.summary), ["Summary one.", "Summary two."]);
        assert_eq!(texts(&talk.takeaways), ["First.", "Second."]);
        assert_eq!(talk.title.as_deref(), Some("A Title"));
        assert_eq!(talk.show.as_deref(), Some("The Show"));
        assert_eq!(talk.tags, ["AI", "Open Source Models", "Meta'S Llama"]);
        let turns: Vec<&str> = talk.turns.iter().map(|t| t.text.as_str()).collect();
        assert_eq!(turns, ["Teaser.", "Will models commoditize? Yes."]);
        assert!(talk.turns.iter().all(|t| t.speaker.is_none()));
    }

    #[test]
    fn parses_vocabulary_entries() {
        let talk = parse(CARD).unwrap();
        let first = &talk.vocabulary[0];
        assert_eq!(first.number, 1);
        assert_eq!(first.term, "commoditize");
        assert_eq!(first.ipa.as_deref(), Some("kəˈmɒdɪˌtaɪz"));
        assert_eq!(first.part_of_speech.as_deref(), Some("verb"));
        assert_eq!(first.definition, "To make - or turn - into a commodity.");
        assert_eq!(first.synonyms, ["standardize", "generalize"]);
        assert_eq!(first.example.as_deref(), Some("1 405 b launch, will models commoditize?"));
        assert_eq!(first.line, 15);
        let second = &talk.vocabulary[1];
        assert_eq!((second.term.as_str(), second.ipa.as_deref()), ("iteratively", None));
        assert_eq!(second.example.as_deref(), Some("It doesn’t say the term."));
    }

    #[test]
    fn detects_by_section_headers() {
        assert!(looks_like(CARD));
        assert!(!looks_like("Just a transcript.\n\nMore."));
    }

    #[test]
    fn rejects_a_card_without_title_or_transcript() {
        let err = parse("Summary.\n\nMain takeaways from the video:\n💡\nOne.\n").unwrap_err();
        assert!(matches!(err.kind, ParseErrorKind::Malformed(_)), "{err:?}");
    }
}

#[cfg(test)]
mod seed_tests {
    use super::*;

    const SEED: &str = include_str!("../../seeds/000_37334302ccbea1e7.txt");

    #[test]
    fn seed_has_the_counts_of_its_sections() {
        let talk = parse(SEED).unwrap();
        assert_eq!(talk.summary.len(), 2);
        assert_eq!(talk.takeaways.len(), 5);
        assert_eq!(talk.vocabulary.len(), 10);
        assert_eq!(talk.tags.len(), 7);
        assert_eq!(talk.turns.len(), 105);
        assert!(talk.turns[0].text.starts_with("If I was a founder right now"), "teaser is the first turn");
        assert_eq!(
            talk.title.as_deref(),
            Some("Metas Joe Spisak on Llama 3.1 405B and the Democratization of Frontier Models")
        );
        assert_eq!(talk.show.as_deref(), Some("Training Data"));
        assert_eq!(talk.tags.last().map(String::as_str), Some("Sequoia Capital"));
    }

    #[test]
    fn seed_vocabulary_entries_have_every_field() {
        let talk = parse(SEED).unwrap();
        let numbers: Vec<u32> = talk.vocabulary.iter().map(|v| v.number).collect();
        assert_eq!(numbers, (1..=10).collect::<Vec<_>>());
        for entry in &talk.vocabulary {
            assert!(entry.ipa.as_deref().is_some_and(|i| !i.is_empty()), "{}: ipa", entry.term);
            assert!(entry.part_of_speech.is_some(), "{}: part of speech", entry.term);
            assert!(!entry.definition.is_empty(), "{}: definition", entry.term);
            assert_eq!(entry.synonyms.len(), 3, "{}: synonyms", entry.term);
            assert!(entry.example.is_some(), "{}: example", entry.term);
        }
        let lingua = &talk.vocabulary[2];
        assert_eq!(lingua.term, "lingua franca");
        assert_eq!(lingua.synonyms, ["bridge language", "common language", "trade language"]);
    }

    #[test]
    fn seed_examples_link_to_their_turns() {
        let mut talk = parse(SEED).unwrap();
        talk.link_vocabulary_examples();
        let distillation = &talk.vocabulary[1];
        let turn = distillation.example_turn.expect("distillation example is said in a turn");
        assert!(talk.turns[turn].text.contains("or just distillation"));
        // The example for "iteratively" is said too, though it does not contain its term.
        assert!(talk.vocabulary[8].example_turn.is_some());
    }
}
