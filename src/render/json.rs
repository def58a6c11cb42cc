//! JSON Lines: one object per hit per line. The wire shape lives here, apart from [`Hit`].

use crate::index::TalkRecord;
use crate::search::Hit;
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
    use crate::search::{Snippet, SourceRef};

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
    }
}
