//! What a passage document stores about where its passage is: kind, number, line, times and
//! time marks, packed as variable-length integers, one part of the passage's record (see
//! [`super::record`]).
//!
//! As separate stored fields these cost a field header and eight bytes per number, for every
//! passage; packed they take about a tenth of that.

use crate::model::{PassageKind, Timestamp};

/// Where a passage is: what [`encode`] packs and [`decode`] unpacks.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PassageFacts {
    /// What the passage is.
    pub kind: PassageKind,
    /// Turn number (1-based); entry or paragraph number for the other kinds.
    pub number: u64,
    /// 1-based line in the source file.
    pub line: u64,
    /// Start of the passage.
    pub start: Option<Timestamp>,
    /// End of the passage.
    pub end: Option<Timestamp>,
    /// Times inside the text: (byte offset, milliseconds), offsets ascending.
    pub marks: Vec<(usize, u64)>,
}

const HAS_START: u8 = 1 << 4;
const HAS_END: u8 = 1 << 5;
const ESTIMATED: u8 = 1 << 6;
const KIND_MASK: u8 = 0x0f;

fn kind_code(kind: PassageKind) -> u8 {
    match kind {
        PassageKind::Turn => 0,
        PassageKind::Vocab => 1,
        PassageKind::Summary => 2,
        PassageKind::Takeaway => 3,
    }
}

fn kind_of(code: u8) -> Option<PassageKind> {
    PassageKind::ALL.into_iter().find(|&kind| kind_code(kind) == code)
}

/// Packs `facts`: a flag byte, then the numbers as LEB128 varints, each mark as the distance
/// from the previous one (zigzag for time, which a transcript may set back).
pub fn encode(facts: &PassageFacts) -> Vec<u8> {
    let mut flags = kind_code(facts.kind);
    flags |= if facts.start.is_some() { HAS_START } else { 0 };
    flags |= if facts.end.is_some() { HAS_END } else { 0 };
    if facts.start.or(facts.end).is_some_and(|t| t.estimated) {
        flags |= ESTIMATED;
    }
    let mut out = Vec::with_capacity(8 + facts.marks.len() * 3);
    out.push(flags);
    put(&mut out, facts.number);
    put(&mut out, facts.line);
    let start = facts.start.map_or(0, |t| t.millis);
    if facts.start.is_some() {
        put(&mut out, start);
    }
    if let Some(end) = facts.end {
        put(&mut out, zigzag(end.millis as i64 - start as i64));
    }
    put(&mut out, facts.marks.len() as u64);
    let (mut offset, mut millis) = (0usize, start);
    for &(at, time) in &facts.marks {
        put(&mut out, at.saturating_sub(offset) as u64);
        put(&mut out, zigzag(time as i64 - millis as i64));
        (offset, millis) = (at, time);
    }
    out
}

/// Unpacks what [`encode`] packed; `None` for bytes it did not write.
pub fn decode(bytes: &[u8]) -> Option<PassageFacts> {
    let (&flags, mut rest) = bytes.split_first()?;
    let kind = kind_of(flags & KIND_MASK)?;
    let estimated = flags & ESTIMATED != 0;
    let stamp = |millis| Timestamp { millis, estimated };
    let number = take(&mut rest)?;
    let line = take(&mut rest)?;
    let start = if flags & HAS_START != 0 { Some(take(&mut rest)?) } else { None };
    let base = start.unwrap_or(0);
    let end = if flags & HAS_END != 0 { Some(shift(base, unzigzag(take(&mut rest)?))) } else { None };
    let count = take(&mut rest)?;
    let mut marks = Vec::with_capacity(count.min(rest.len() as u64) as usize);
    let (mut offset, mut millis) = (0usize, base);
    for _ in 0..count {
        offset += usize::try_from(take(&mut rest)?).ok()?;
        millis = shift(millis, unzigzag(take(&mut rest)?));
        marks.push((offset, millis));
    }
    Some(PassageFacts { kind, number, line, start: start.map(stamp), end: end.map(stamp), marks })
}

pub(super) fn put(out: &mut Vec<u8>, mut value: u64) {
    while value >= 0x80 {
        out.push((value as u8) | 0x80);
        value >>= 7;
    }
    out.push(value as u8);
}

pub(super) fn take(bytes: &mut &[u8]) -> Option<u64> {
    let mut value = 0u64;
    for (i, &byte) in bytes.iter().enumerate().take(10) {
        value |= u64::from(byte & 0x7f) << (7 * i);
        if byte & 0x80 == 0 {
            *bytes = &bytes[i + 1..];
            return Some(value);
        }
    }
    None
}

fn zigzag(value: i64) -> u64 {
    ((value << 1) ^ (value >> 63)) as u64
}

fn unzigzag(value: u64) -> i64 {
    ((value >> 1) as i64) ^ -((value & 1) as i64)
}

fn shift(base: u64, delta: i64) -> u64 {
    base.saturating_add_signed(delta)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn facts_survive_packing() {
        let cases = [
            PassageFacts::default(),
            PassageFacts {
                kind: PassageKind::Turn,
                number: 130,
                line: 70_000,
                start: Some(Timestamp::exact(3_600_000)),
                end: Some(Timestamp::exact(3_612_500)),
                marks: vec![(0, 3_600_000), (95, 3_604_000), (180, 3_603_000), (400, 3_612_000)],
            },
            PassageFacts {
                kind: PassageKind::Takeaway,
                number: 2,
                line: 9,
                start: Some(Timestamp::estimated(62_000)),
                end: None,
                marks: Vec::new(),
            },
            PassageFacts { kind: PassageKind::Vocab, end: Some(Timestamp::exact(5)), ..PassageFacts::default() },
        ];
        for facts in cases {
            assert_eq!(decode(&encode(&facts)), Some(facts.clone()), "{facts:?}");
        }
    }

    #[test]
    fn a_turn_with_times_packs_small() {
        let facts = PassageFacts {
            kind: PassageKind::Turn,
            number: 57,
            line: 412,
            start: Some(Timestamp::exact(1_234_567)),
            end: Some(Timestamp::exact(1_241_000)),
            marks: vec![(0, 1_234_567), (101, 1_237_000), (199, 1_239_100)],
        };
        assert!(encode(&facts).len() <= 20, "{} bytes", encode(&facts).len());
    }

    #[test]
    fn foreign_bytes_do_not_decode() {
        assert_eq!(decode(&[]), None);
        assert_eq!(decode(&[0x0f]), None, "no such kind");
        assert_eq!(decode(&[0, 0x80]), None, "a varint cut short");
    }
}
