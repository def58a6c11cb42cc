//! JSON Lines: one object per hit per line. The wire shape lives here, apart from [`Hit`].

use crate::search::{ContextTurn, Hit, QuoteMatch, TalkRecord};
use serde::Serialize;
use std::io::{self, Write};

/// A hit as written on the wire. Times are seconds from the start of the talk.
#[derive(Debug, Serialize)]
pub struct HitLine<'a> {
    rank: usize,
    score: f32,
    kind: &'static str,
    talk: &'a str,
    title: Option<&'a str>,
    show: Option<&'a str>,
    turn: u64,
    term: Option<&'a str>,
    speaker: Option<&'a str>,
    start: Option<f64>,
    end: Option<f64>,
    time: Option<f64>,
    estimated: bool,
    text: &'a str,
    snippet: &'a str,
    highlights: Vec<[usize; 2]>,
    source: Source<'a>,
    link: Option<&'a str>,
    context: Vec<ContextLine<'a>>,
    quote: Option<QuoteLine<'a>>,
}

/// A turn around the hit (`-C`).
#[derive(Debug, Serialize)]
struct ContextLine<'a> {
    turn: u64,
    speaker: Option<&'a str>,
    start: Option<f64>,
    end: Option<f64>,
    estimated: bool,
    text: &'a str,
}

impl<'a> From<&'a ContextTurn> for ContextLine<'a> {
    fn from(turn: &'a ContextTurn) -> ContextLine<'a> {
        ContextLine {
            turn: turn.turn,
            speaker: turn.speaker.as_deref(),
            start: turn.start.map(|t| t.seconds()),
            end: turn.end.map(|t| t.seconds()),
            estimated: turn.start.is_some_and(|t| t.estimated),
            text: &turn.text,
        }
    }
}

/// How a quote hit matches the quote.
#[derive(Debug, Serialize)]
struct QuoteLine<'a> {
    closeness: &'static str,
    similarity: f32,
    differences: Vec<Difference<'a>>,
    turns: [u64; 2],
}

#[derive(Debug, Serialize)]
struct Difference<'a> {
    said: &'a str,
    typed: &'a str,
}

impl<'a> From<&'a QuoteMatch> for QuoteLine<'a> {
    fn from(quote: &'a QuoteMatch) -> QuoteLine<'a> {
        QuoteLine {
            closeness: quote.closeness.name(),
            similarity: quote.similarity,
            differences: quote.differences.iter().map(|d| Difference { said: &d.said, typed: &d.typed }).collect(),
            turns: [quote.turns.0, quote.turns.1],
        }
    }
}

#[derive(Debug, Serialize)]
struct Source<'a> {
    path: &'a str,
    line: u64,
}

impl<'a> From<&'a Hit> for HitLine<'a> {
    fn from(hit: &'a Hit) -> HitLine<'a> {
        HitLine {
            rank: hit.rank,
            score: hit.score,
            kind: hit.kind.name(),
            talk: &hit.talk,
            title: hit.title.as_deref(),
            show: hit.show.as_deref(),
            turn: hit.turn,
            term: hit.term.as_deref(),
            speaker: hit.speaker.as_deref(),
            start: hit.start.map(|t| t.seconds()),
            end: hit.end.map(|t| t.seconds()),
            time: hit.time.map(|t| t.seconds()),
            estimated: hit.time.or(hit.start).is_some_and(|t| t.estimated),
            text: &hit.text,
            snippet: &hit.snippet.text,
            highlights: hit.snippet.highlights.iter().map(|r| [r.start, r.end]).collect(),
            source: Source { path: &hit.source.path, line: hit.source.line },
            link: hit.link.as_deref(),
            context: hit.context.iter().map(ContextLine::from).collect(),
            quote: hit.quote.as_ref().map(QuoteLine::from),
        }
    }
}

/// Writes one hit as one line of JSON.
pub fn hit(out: &mut dyn Write, hit: &Hit) -> io::Result<()> {
    serde_json::to_writer(&mut *out, &HitLine::from(hit))?;
    writeln!(out)
}

/// Writes one talk as one line of JSON.
pub fn talk(out: &mut dyn Write, talk: &TalkRecord) -> io::Result<()> {
    serde_json::to_writer(&mut *out, talk)?;
    writeln!(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{PassageKind, Timestamp};
    use crate::search::{Closeness, Difference as SearchDifference, Snippet, SourceRef};

    #[test]
    fn writes_one_object_with_seconds_and_byte_ranges() {
        let hit = Hit {
            rank: 2,
            score: 1.5,
            kind: PassageKind::Turn,
            talk: "t".into(),
            title: None,
            show: None,
            turn: 3,
            term: None,
            speaker: None,
            start: Some(Timestamp::estimated(61_500)),
            end: Some(Timestamp::estimated(70_000)),
            time: Some(Timestamp::estimated(62_000)),
            text: "full text".into(),
            snippet: Snippet { text: "full text".into(), highlights: std::iter::once(5..9).collect() },
            source: SourceRef { path: "/a.txt".into(), line: 9 },
            link: None,
            context: vec![ContextTurn {
                turn: 2,
                speaker: Some("Ann".into()),
                start: Some(Timestamp::estimated(50_000)),
                end: Some(Timestamp::estimated(61_500)),
                text: "before".into(),
            }],
            quote: Some(QuoteMatch {
                closeness: Closeness::Near,
                similarity: 0.75,
                differences: vec![SearchDifference { said: "lava three".into(), typed: "Llama 3".into() }],
                turns: (3, 4),
            }),
        };
        let mut out = Vec::new();
        super::hit(&mut out, &hit).unwrap();
        let line = String::from_utf8(out).unwrap();
        assert_eq!(line.matches('\n').count(), 1);
        let value: serde_json::Value = serde_json::from_str(&line).unwrap();
        assert_eq!(value["start"], 61.5);
        assert_eq!(value["estimated"], true);
        assert_eq!(value["highlights"], serde_json::json!([[5, 9]]));
        assert_eq!(value["source"], serde_json::json!({"path": "/a.txt", "line": 9}));
        assert_eq!(value["speaker"], serde_json::Value::Null);
        assert_eq!(
            value["context"],
            serde_json::json!([{"turn": 2, "speaker": "Ann", "start": 50.0, "end": 61.5, "estimated": true, "text": "before"}])
        );
        assert_eq!(
            value["quote"],
            serde_json::json!({
                "closeness": "near",
                "similarity": 0.75,
                "differences": [{"said": "lava three", "typed": "Llama 3"}],
                "turns": [3, 4]
            })
        );
    }
}
