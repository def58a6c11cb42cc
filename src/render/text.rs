//! Human output: one block per hit, the matched words in bold colour on a terminal.

use super::sanitize;
use crate::index::TalkRecord;
use crate::model::{PassageKind, Timestamp};
use crate::search::Hit;
use std::io::{self, Write};

const BOLD_RED: &str = "\x1b[1;31m";
const DIM: &str = "\x1b[2m";
const CYAN: &str = "\x1b[36m";
const RESET: &str = "\x1b[0m";

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
        head.push(match (hit.kind, &hit.term) {
            (PassageKind::Vocab, Some(term)) => format!("vocab {} “{}”", hit.turn, sanitize(term)),
            (kind, _) => format!("{} {}", kind.name(), hit.turn),
        });
        let mut title = hit.title.as_deref().map_or_else(|| hit.talk.clone(), |t| sanitize(t).into_owned());
        if let Some(show) = &hit.show {
            title.push_str(&format!(" — {}", sanitize(show)));
        }
        head.push(title);
        writeln!(
            out,
            "{}. {}  {}",
            hit.rank,
            self.paint(CYAN, &head.join(" · ")),
            self.paint(DIM, &format!("({:.2})", hit.score))
        )?;
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
        if let Some(link) = &hit.link {
            writeln!(out, "   {}", self.paint(DIM, &sanitize(link)))?;
        }
        Ok(())
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
    use crate::search::{Snippet, SourceRef};

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
}
