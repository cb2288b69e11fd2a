//! A section's text as the reader reads it: what drift compares and diffs.
//!
//! Two versions of a section are "the same" when their reader's text is:
//! the rendered HTML with its tags removed and its character references
//! decoded; every run of whitespace inside a block is one space; blocks
//! (paragraphs, list items, headings, table rows, code blocks) end in one
//! line break; whitespace next to a CJK character is dropped, since Chinese
//! text reflowed over several lines reads the same. So re-wrapping a
//! paragraph, changing `*` list markers to `-`, `_em_` to `*em*`, `**x**` to
//! `__x__` or an ATX heading to a Setext one changes nothing here, while any
//! word or character the reader sees does.

/// Tags that end a line of the reader's text.
const BLOCKS: &[&str] = &[
    "p",
    "li",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "pre",
    "blockquote",
    "tr",
    "dt",
    "dd",
    "div",
    "hr",
    "br",
    "table",
    "ul",
    "ol",
    "figure",
    "figcaption",
];

/// Tags that separate words on one line (table cells).
const CELLS: &[&str] = &["td", "th"];

/// The reader's text of a piece of rendered HTML, normalised (see the module doc).
pub fn reader_text(html: &str) -> String {
    let mut raw = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        push_text(&mut raw, &rest[..lt]);
        rest = &rest[lt..];
        if let Some(comment) = rest.strip_prefix("<!--") {
            rest = comment.find("-->").map_or("", |e| &comment[e + 3..]);
            continue;
        }
        let end = rest.find('>').map_or(rest.len(), |e| e + 1);
        let name: String = rest[1..end]
            .trim_start_matches('/')
            .chars()
            .take_while(char::is_ascii_alphanumeric)
            .map(|c| c.to_ascii_lowercase())
            .collect();
        if BLOCKS.contains(&name.as_str()) {
            raw.push('\n');
        } else if CELLS.contains(&name.as_str()) {
            raw.push(' ');
        }
        rest = &rest[end..];
    }
    push_text(&mut raw, rest);
    normalise(&raw)
}

/// Text between tags, its character references decoded and its whitespace
/// (soft line breaks included) made plain spaces.
fn push_text(out: &mut String, text: &str) {
    if text.is_empty() {
        return;
    }
    let decoded = html_escape::decode_html_entities(text);
    out.extend(
        decoded
            .chars()
            .map(|c| if c.is_whitespace() { ' ' } else { c }),
    );
}

/// One space per run of spaces, one line break per run of breaks, none at
/// the ends of a line, and no space next to a CJK character.
pub fn normalise(raw: &str) -> String {
    let mut lines = Vec::new();
    for line in raw.split('\n') {
        let words: Vec<&str> = line.split(' ').filter(|w| !w.is_empty()).collect();
        if words.is_empty() {
            continue;
        }
        let mut joined = String::with_capacity(line.len());
        for (i, word) in words.iter().enumerate() {
            let after_wide = joined.chars().next_back().is_some_and(is_wide);
            let before_wide = word.chars().next().is_some_and(is_wide);
            if i > 0 && !after_wide && !before_wide {
                joined.push(' ');
            }
            joined.push_str(word);
        }
        lines.push(joined);
    }
    lines.join("\n")
}

/// Characters of scripts written without spaces between words (Chinese,
/// Japanese kana) and their punctuation, including full-width forms.
pub fn is_wide(c: char) -> bool {
    matches!(c,
        '\u{2E80}'..='\u{2FDF}'
        | '\u{3000}'..='\u{30FF}'
        | '\u{3100}'..='\u{31FF}'
        | '\u{3400}'..='\u{4DBF}'
        | '\u{4E00}'..='\u{9FFF}'
        | '\u{F900}'..='\u{FAFF}'
        | '\u{FE30}'..='\u{FE4F}'
        | '\u{FF00}'..='\u{FFEF}'
        | '\u{20000}'..='\u{3134F}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_go_blocks_end_lines_and_references_decode() {
        let html = "<h2 id=\"d\">Duties</h2>\n<ul>\n<li>Keeps <em>the</em> minutes</li>\n<li>A &amp; B</li>\n</ul>\n";
        assert_eq!(reader_text(html), "Duties\nKeeps the minutes\nA & B");
    }

    #[test]
    fn a_reflowed_paragraph_reads_the_same() {
        let one = reader_text("<p>Keeps the minutes of\nevery meeting.</p>");
        let two = reader_text("<p>Keeps the\nminutes   of every meeting.</p>");
        assert_eq!(one, two);
        assert_ne!(
            one,
            reader_text("<p>Keeps the minutes of each meeting.</p>")
        );
    }

    #[test]
    fn reflowed_chinese_reads_the_same() {
        let one = reader_text("<p>负责记录\n每次会议。</p>");
        let two = reader_text("<p>负责记录每次会议。</p>");
        assert_eq!(one, two);
        // Between Chinese and Latin, spacing is formatting too.
        assert_eq!(
            reader_text("<p>使用 API 时</p>"),
            reader_text("<p>使用API时</p>")
        );
        // Between Latin words it is not.
        assert_ne!(reader_text("<p>a b</p>"), reader_text("<p>ab</p>"));
    }

    #[test]
    fn comments_are_not_text_and_cells_stay_apart() {
        assert_eq!(
            reader_text("<!-- note --><table><tr><td>a</td><td>b</td></tr></table>"),
            "a b"
        );
    }
}
