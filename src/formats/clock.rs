//! Clock times as transcripts write them: `1:02:03.456`, `02:03,456`, `4:22`, `1:02:03.4`.

/// Parses `[H:]MM:SS[.fff|,fff]` (one or more hour digits, fraction of any length) into
/// milliseconds. Returns `None` for anything else, including minutes or seconds of 60 or more.
pub fn parse_clock(text: &str) -> Option<u64> {
    let text = text.trim();
    let (clock, fraction) = match text.find(['.', ',']) {
        Some(i) => (&text[..i], Some(&text[i + 1..])),
        None => (text, None),
    };
    let parts: Vec<&str> = clock.split(':').collect();
    if !(2..=3).contains(&parts.len()) {
        return None;
    }
    let mut fields = [0u64; 3];
    let offset = 3 - parts.len();
    for (i, part) in parts.iter().enumerate() {
        if part.is_empty() || part.len() > 3 || !part.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        fields[offset + i] = part.parse().ok()?;
    }
    let [hours, minutes, seconds] = fields;
    // The leading field may exceed 59 (`75:10` in a long talk without hours); the others not.
    if seconds >= 60 || (parts.len() == 3 && minutes >= 60) {
        return None;
    }
    let mut millis = ((hours * 60 + minutes) * 60 + seconds) * 1000;
    if let Some(fraction) = fraction {
        if fraction.is_empty() || !fraction.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let digits: String = fraction.chars().chain("000".chars()).take(3).collect();
        millis += digits.parse::<u64>().ok()?;
    }
    Some(millis)
}

#[cfg(test)]
mod tests {
    use super::parse_clock;

    #[test]
    fn parses_the_shapes_transcripts_use() {
        assert_eq!(parse_clock("00:00:05.339"), Some(5_339));
        assert_eq!(parse_clock("59:58.420"), Some(3_598_420));
        assert_eq!(parse_clock("1:00:01.560"), Some(3_601_560));
        assert_eq!(parse_clock("00:01:02,500"), Some(62_500));
        assert_eq!(parse_clock("4:22"), Some(262_000));
        assert_eq!(parse_clock("0:12:03.4"), Some(723_400));
        assert_eq!(parse_clock("75:10"), Some(4_510_000));
    }

    #[test]
    fn rejects_what_only_looks_like_a_time() {
        for bad in ["", "12", "1:2:3:4", "00:61", "1:75:00", "ab:cd", "1:00.", "-1:00", "12:3x"] {
            assert_eq!(parse_clock(bad), None, "{bad:?}");
        }
    }
}
