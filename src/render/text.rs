//! Human output: one block per hit, the matched words in bold colour on a terminal.

use super::sanitize;
use crate::model::{PassageKind, Timestamp};
use crate::search::{ContextTurn, Hit, Suggestion, TalkRecord};
use std::io::{self, Write};

const BOLD_RED: &str = "\x1b[1;31m";
const DIM: &str = "\x1b[2m";
const CYAN: &str = "\x1b[36m";
const RESET: &str = "\x1b[0m";

/// Bytes of a context turn shown before it is cut.
const CONTEXT_BYTES: usize = 200;

/// Differences shown per quote hit.
const DIFFERENCES_SHOWN: usize = 3;

/// Writes hits for people.
pub struct TextRenderer {
    /// Whether to use ANSI colours.
    pub color: bool,
}

impl TextRenderer {
    fn paint(&self, style: &str, text: &str) -> String {
        if self.color { format!("{style}{text}{RESET}") } else { text.to_string() }
    }

    /// Writes one hit:
    ///
    /// ```text
    /// 2. ~0:58 · turn 5 · Metas Joe Spisak on Llama 3.1 405B … — Training Data  (5.43)
    ///    …you can use it for improving small models or just distillation. And that's…
    /// ```
    pub fn hit(&self, out: &mut dyn Write, hit: &Hit) -> io::Result<()> {
        let mut head: Vec<String> = Vec::new();
        if let Some(speaker) = &hit.speaker {
            head.push(sanitize(speaker).into_owned());
        }
        head.push(hit.time.map_or_else(|| "–".to_string(), |t| t.to_string()));
        head.push(match (hit.kind, &hit.term, &hit.quote) {
            (PassageKind::Vocab, Some(term), _) => format!("vocab {} “{}”", hit.turn, sanitize(term)),
            (kind, _, Some(quote)) if quote.turns.1 != quote.turns.0 => {
                format!("{}s {}–{}", kind.name(), quote.turns.0, quote.turns.1)
            }
            (kind, _, _) => format!("{} {}", kind.name(), hit.turn),
        });
        let mut title = hit.title.as_deref().map_or_else(|| hit.talk.clone(), |t| sanitize(t).into_owned());
        if let Some(show) = &hit.show {
            title.push_str(&format!(" — {}", sanitize(show)));
        }
        head.push(title);
        let score = match &hit.quote {
            Some(quote) => format!("({} {:.2})", quote.closeness.name(), quote.similarity),
            None => format!("({:.2})", hit.score),
        };
        writeln!(out, "{}. {}  {}", hit.rank, self.paint(CYAN, &head.join(" · ")), self.paint(DIM, &score))?;
        let (before, after): (Vec<&ContextTurn>, Vec<&ContextTurn>) =
            hit.context.iter().partition(|t| t.turn < hit.turn);
        for turn in before {
            self.context_turn(out, turn)?;
        }
        let snippet = &hit.snippet;
        let mut line = String::from("   ");
        let mut cursor = 0;
        for range in &snippet.highlights {
            line.push_str(&sanitize(&snippet.text[cursor..range.start]));
            line.push_str(&self.paint(BOLD_RED, &sanitize(&snippet.text[range.clone()])));
            cursor = range.end;
        }
        line.push_str(&sanitize(&snippet.text[cursor..]));
        writeln!(out, "{line}")?;
        if let Some(quote) = &hit.quote {
            for difference in quote.differences.iter().take(DIFFERENCES_SHOWN) {
                let said = format!("said: \"{}\"", sanitize(&difference.said));
                writeln!(out, "   {} / you typed: \"{}\"", self.paint(BOLD_RED, &said), sanitize(&difference.typed))?;
            }
        }
        for turn in after {
            self.context_turn(out, turn)?;
        }
        if let Some(link) = &hit.link {
            writeln!(out, "   {}", self.paint(DIM, &sanitize(link)))?;
        }
        Ok(())
    }

    /// One turn around a hit: `   │ turn 4 · Ann · ~0:58  what she said…`, cut at a word.
    fn context_turn(&self, out: &mut dyn Write, turn: &ContextTurn) -> io::Result<()> {
        let mut head = vec![format!("turn {}", turn.turn)];
        if let Some(speaker) = &turn.speaker {
            head.push(sanitize(speaker).into_owned());
        }
        if let Some(start) = turn.start {
            head.push(start.to_string());
        }
        let text = if turn.text.len() > CONTEXT_BYTES {
            let mut cut = CONTEXT_BYTES;
            while !turn.text.is_char_boundary(cut) {
                cut -= 1;
            }
            let cut = turn.text[..cut].rfind(char::is_whitespace).unwrap_or(cut);
            format!("{}…", turn.text[..cut].trim_end())
        } else {
            turn.text.clone()
        };
        writeln!(
            out,
            "   {} {}",
            self.paint(DIM, &format!("│ {}", head.join(" · "))),
            self.paint(DIM, &sanitize(&text))
        )
    }

    /// A corrected query, for stderr: `did you mean "percy lang"? (liang → lang)`.
    pub fn suggestion(&self, out: &mut dyn Write, suggestion: &Suggestion) -> io::Result<()> {
        let replaced: Vec<String> = suggestion
            .replaced
            .iter()
            .map(|(typed, with)| format!("{} → {}", sanitize(typed), sanitize(with)))
            .collect();
        writeln!(out, "did you mean \"{}\"? ({})", sanitize(&suggestion.query), replaced.join(", "))
    }

    /// Writes one line per talk for `talksearch talks`.
    pub fn talk(&self, out: &mut dyn Write, talk: &TalkRecord) -> io::Result<()> {
        let duration = Timestamp { millis: talk.duration_ms, estimated: talk.duration_estimated };
        let title = talk.title.as_deref().unwrap_or(&talk.talk);
        let mut facts = vec![format!("{} turns", talk.turns), duration.to_string(), talk.format.clone()];
        if let Some(date) = &talk.date {
            facts.insert(0, date.clone());
        }
        if !talk.speakers.is_empty() {
            facts.push(talk.speakers.join(", "));
        }
        writeln!(out, "{}  {}", self.paint(CYAN, &sanitize(title)), sanitize(&facts.join(" · ")))?;
        writeln!(out, "   {}", self.paint(DIM, &sanitize(&talk.source)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::{Closeness, Difference, QuoteMatch, Snippet, SourceRef};

    fn hit() -> Hit {
        Hit {
            rank: 1,
            score: 5.4321,
            kind: PassageKind::Turn,
            talk: "t1".into(),
            title: Some("A Talk".into()),
            show: Some("Show".into()),
            turn: 5,
            term: None,
            speaker: Some("Rob Pike".into()),
            start: Some(Timestamp::exact(250_000)),
            end: None,
            time: Some(Timestamp::exact(262_000)),
            text: "we distil it".into(),
            snippet: Snippet { text: "we distil\x1b it".into(), highlights: std::iter::once(3..9).collect() },
            source: SourceRef { path: "/x/t1.vtt".into(), line: 7 },
            link: None,
            context: Vec::new(),
            quote: None,
        }
    }

    #[test]
    fn plain_output_names_speaker_time_turn_and_title() {
        let mut out = Vec::new();
        TextRenderer { color: false }.hit(&mut out, &hit()).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "1. Rob Pike · 4:22 · turn 5 · A Talk — Show  (5.43)\n   we distil\u{fffd} it\n"
        );
    }

    #[test]
    fn colour_output_marks_the_highlight() {
        let mut out = Vec::new();
        TextRenderer { color: true }.hit(&mut out, &hit()).unwrap();
        let out = String::from_utf8(out).unwrap();
        assert!(out.contains("\x1b[1;31mdistil\x1b[0m"), "{out:?}");
        assert!(!out.contains("\x1b it"), "control characters from the text are not sent raw");
    }

    #[test]
    fn quote_hits_show_closeness_differences_and_context() {
        let mut hit = hit();
        hit.quote = Some(QuoteMatch {
            closeness: Closeness::Near,
            similarity: 0.8,
            differences: vec![Difference { said: "lava three".into(), typed: "Llama 3".into() }],
            turns: (5, 6),
        });
        hit.context = vec![
            ContextTurn {
                turn: 4,
                speaker: Some("Ann".into()),
                start: Some(Timestamp::exact(1000)),
                end: None,
                text: "before".into(),
            },
            ContextTurn { turn: 6, speaker: None, start: None, end: None, text: "after ".repeat(50) },
        ];
        let mut out = Vec::new();
        TextRenderer { color: false }.hit(&mut out, &hit).unwrap();
        let out = String::from_utf8(out).unwrap();
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines[0], "1. Rob Pike · 4:22 · turns 5–6 · A Talk — Show  (near 0.80)");
        assert_eq!(lines[1], "   │ turn 4 · Ann · 0:01 before");
        assert_eq!(lines[3], "   said: \"lava three\" / you typed: \"Llama 3\"");
        assert!(lines[4].starts_with("   │ turn 6 after after") && lines[4].ends_with("after…"), "{}", lines[4]);
    }

    #[test]
    fn suggestions_name_the_replaced_words() {
        let suggestion = Suggestion { query: "percy lang".into(), replaced: vec![("Liang".into(), "lang".into())] };
        let mut out = Vec::new();
        TextRenderer { color: false }.suggestion(&mut out, &suggestion).unwrap();
        assert_eq!(String::from_utf8(out).unwrap(), "did you mean \"percy lang\"? (Liang → lang)\n");
    }
}
