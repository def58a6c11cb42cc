//! Times in a talk, exact (given by the source) or estimated (computed by us).

use serde::{Deserialize, Serialize};
use std::fmt;

/// A moment in a talk, in milliseconds from its start.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Timestamp {
    /// Milliseconds from the start of the talk.
    pub millis: u64,
    /// True when computed from the speaking rate or interpolated, not given by the source.
    pub estimated: bool,
}

impl Timestamp {
    /// A time the source gave.
    pub fn exact(millis: u64) -> Timestamp {
        Timestamp { millis, estimated: false }
    }

    /// A time we computed.
    pub fn estimated(millis: u64) -> Timestamp {
        Timestamp { millis, estimated: true }
    }

    /// Whole seconds from the start.
    pub fn seconds(self) -> f64 {
        self.millis as f64 / 1000.0
    }
}

/// `12:34`, `1:02:03`; estimated times get a leading `~`.
impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let total = self.millis / 1000;
        let (hours, minutes, seconds) = (total / 3600, total / 60 % 60, total % 60);
        let tilde = if self.estimated { "~" } else { "" };
        if hours > 0 {
            write!(f, "{tilde}{hours}:{minutes:02}:{seconds:02}")
        } else {
            write!(f, "{tilde}{minutes}:{seconds:02}")
        }
    }
}

/// The time at a byte offset of a turn's text (the start of a cue or a word inside the turn).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimeMark {
    /// Byte offset into the turn's text.
    pub offset: usize,
    /// Milliseconds from the start of the talk.
    pub millis: u64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn displays_minutes_hours_and_estimates() {
        assert_eq!(Timestamp::exact(0).to_string(), "0:00");
        assert_eq!(Timestamp::exact(754_000).to_string(), "12:34");
        assert_eq!(Timestamp::estimated(754_999).to_string(), "~12:34");
        assert_eq!(Timestamp::exact(3_723_000).to_string(), "1:02:03");
    }
}
