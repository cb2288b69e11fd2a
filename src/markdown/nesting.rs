//! A cap on how deeply one line nests lists and block quotes.
//!
//! pulldown-cmark opens a container per marker, so `- - - …` or `> > > …`
//! thousands deep on one line builds thousands of nested lists, and every
//! later line that lazily continues the paragraph inside pays the whole depth
//! again (100,000 `> ` and 100,000 short lines: 8 s in the parser alone).
//! Before parsing, the marker past [`MAX_DEPTH`] on a line is escaped with a
//! backslash, so the rest of the line is text; the page reports `too-deep`.
//! Nesting built up over several lines needs indentation on every line, so
//! it costs the author bytes and is not capped here.

use std::borrow::Cow;

/// Lists and quotes one line may open; far deeper than any handbook needs.
pub(super) const MAX_DEPTH: usize = 32;

/// The text to parse, and where it differs from the page.
pub(super) struct Capped<'a> {
    pub text: Cow<'a, str>,
    /// Offsets in `text` of the backslashes added (ascending).
    pub inserted: Vec<usize>,
    /// Each line cut: offset in the page of its first marker past the cap,
    /// and how many markers the line has.
    pub cuts: Vec<(usize, usize)>,
}

/// `body` with every line's nesting capped at [`MAX_DEPTH`].
pub(super) fn cap(body: &str) -> Capped<'_> {
    let mut text = String::new();
    let (mut copied, mut line_start) = (0, 0);
    let mut inserted = Vec::new();
    let mut cuts = Vec::new();
    for line in body.split_inclusive('\n') {
        if let Some(cut) = excess_marker(line) {
            if text.is_empty() {
                text.reserve(body.len() + 64);
            }
            text.push_str(&body[copied..line_start + cut.escape_at]);
            inserted.push(text.len());
            text.push('\\');
            copied = line_start + cut.escape_at;
            cuts.push((line_start + cut.marker_at, cut.markers));
        }
        line_start += line.len();
    }
    if cuts.is_empty() {
        return Capped {
            text: Cow::Borrowed(body),
            inserted,
            cuts,
        };
    }
    text.push_str(&body[copied..]);
    Capped {
        text: Cow::Owned(text),
        inserted,
        cuts,
    }
}

/// The first marker past the cap on a line.
struct Cut {
    marker_at: usize,
    /// Where the backslash goes: before `-`, `*`, `+`, `>`, or before the
    /// `.`/`)` of `12.` (a backslash before a digit would show).
    escape_at: usize,
    markers: usize,
}

fn excess_marker(line: &str) -> Option<Cut> {
    let bytes = line.as_bytes();
    let (mut i, mut markers, mut cut) = (0, 0, None);
    loop {
        let space = bytes[i..]
            .iter()
            .take_while(|b| matches!(b, b' ' | b'\t'))
            .count();
        // After a marker, four more spaces start indented code, not a container.
        if markers > 0 && space >= 4 {
            break;
        }
        i += space;
        let Some((len, escape)) = marker(&bytes[i..]) else {
            break;
        };
        markers += 1;
        if markers == MAX_DEPTH + 1 {
            cut = Some((i, i + escape));
        }
        i += len;
    }
    let (marker_at, escape_at) = cut?;
    // Only `- - -` or `* * *` past the cap: a thematic break, not nesting.
    if line[marker_at..]
        .bytes()
        .all(|b| matches!(b, b'-' | b'*' | b'_' | b' ' | b'\t' | b'\r' | b'\n'))
    {
        return None;
    }
    Some(Cut {
        marker_at,
        escape_at,
        markers,
    })
}

/// A container marker at the start of `bytes`: its length and where its
/// escaping backslash goes (relative to its start).
fn marker(bytes: &[u8]) -> Option<(usize, usize)> {
    let spaced = |at: usize| matches!(bytes.get(at), Some(b' ' | b'\t'));
    match bytes.first()? {
        b'>' => Some((1, 0)),
        b'-' | b'*' | b'+' if spaced(1) => Some((2, 0)),
        b'0'..=b'9' => {
            let digits = bytes
                .iter()
                .take(10)
                .take_while(|b| b.is_ascii_digit())
                .count();
            let closed = matches!(bytes.get(digits), Some(b'.' | b')'));
            (digits <= 9 && closed && spaced(digits + 1)).then_some((digits + 2, digits))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_marker_past_the_cap_is_escaped() {
        let line = format!("{}x\n", "- ".repeat(40));
        let capped = cap(&line);
        let at = 2 * MAX_DEPTH;
        assert_eq!(capped.cuts, [(at, 40)]);
        assert_eq!(capped.inserted, [at]);
        assert_eq!(&capped.text[at..at + 3], "\\- ");
        let numbered = format!("ok\n{}x", "12. ".repeat(40));
        let capped = cap(&numbered);
        assert_eq!(capped.cuts, [(3 + 4 * MAX_DEPTH, 40)]);
        assert_eq!(&capped.text[3 + 4 * MAX_DEPTH..][..5], "12\\. ");
        let quoted = format!("{}x", ">".repeat(40));
        assert_eq!(cap(&quoted).cuts, [(MAX_DEPTH, 40)]);
    }

    #[test]
    fn ordinary_text_is_borrowed() {
        for body in [
            "- a\n  - b\n> quote\n1. one\n".to_string(),
            "- ".repeat(MAX_DEPTH) + "x",
            "- ".repeat(100),
            "- ".repeat(10) + "     - ".repeat(40).as_str(),
        ] {
            let capped = cap(&body);
            assert!(matches!(capped.text, Cow::Borrowed(_)), "{body}");
            assert!(capped.cuts.is_empty() && capped.inserted.is_empty());
        }
    }
}
