//! Markup that transcripts carry inside their text: HTML/VTT tags and HTML entities.

/// Removes `<…>` tags (`<i>`, `</b>`, `<c.color>`, `<00:00:05.339>`, `<v Name>`) and decodes
/// HTML entities. A `<` that does not start a tag (`a < b`) is kept.
pub fn strip_tags_and_entities(text: &str) -> String {
    decode_entities(&strip_tags(text))
}

/// Removes `<…>` tags; a `<` followed by a space or digit-less comparison is kept as text.
pub fn strip_tags(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find('<') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let looks_like_tag = after.chars().next().is_some_and(|c| c.is_ascii_alphanumeric() || c == '/' || c == '!');
        match after.find('>') {
            Some(close) if looks_like_tag && !after[..close].contains('<') => {
                rest = &after[close + 1..];
            }
            _ => {
                out.push('<');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// Decodes named (`&amp;`, `&quot;`, `&nbsp;` …) and numeric (`&#39;`, `&#x27;`) entities.
/// Unknown or malformed entities are left as they are.
pub fn decode_entities(text: &str) -> String {
    if !text.contains('&') {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let after = &rest[amp + 1..];
        let decoded =
            after.find(';').filter(|&semi| semi <= 10).and_then(|semi| entity(&after[..semi]).map(|c| (c, semi)));
        match decoded {
            Some((c, semi)) => {
                out.push(c);
                rest = &after[semi + 1..];
            }
            None => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

fn entity(name: &str) -> Option<char> {
    if let Some(number) = name.strip_prefix('#') {
        let code = match number.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => number.parse().ok()?,
        };
        return char::from_u32(code);
    }
    Some(match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "nbsp" => ' ',
        "ndash" => '–',
        "mdash" => '—',
        "hellip" => '…',
        "lsquo" => '‘',
        "rsquo" => '’',
        "ldquo" => '“',
        "rdquo" => '”',
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_tags_keeps_comparisons() {
        assert_eq!(strip_tags("<v Bob>hi <i>there</i></v>"), "hi there");
        assert_eq!(strip_tags("so<00:00:05.339><c> we</c>"), "so we");
        assert_eq!(strip_tags("a < b and c > d"), "a < b and c > d");
    }

    #[test]
    fn decodes_entities() {
        assert_eq!(decode_entities("it&#39;s &amp; that&#x27;s &quot;it&quot;"), "it's & that's \"it\"");
        assert_eq!(decode_entities("AT&T &bogus; &"), "AT&T &bogus; &");
    }
}
