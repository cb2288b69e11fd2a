//! The words of search: a section's text as the reader sees it in a result
//! (the page's own punctuation, headings and table cells apart), and the
//! terms it is indexed under.
//!
//! Matching folds (full-width ASCII to ASCII, case) but snippets do not, so
//! the text is stored as written and folded only when it is cut into terms.
//! The same rules are written once more in `themes/default/static/search.js`
//! (`normalize`, `tokenize`, `stem`), which cuts the query: the two must
//! agree, and the node tests in `tests/browser/search.test.mjs` run both
//! sides on one handbook.

/// Between a heading and what follows it, and between table cells, in a
/// snippet ("Meetings · What was said" rather than "Meetings What was said").
pub const SEPARATOR: &str = " · ";

/// Folds one character as matching does: full-width ASCII (`ＡＢＣ１，`) to
/// ASCII, the ideographic space to a space.
fn fold_char(c: char) -> char {
    match c {
        '\u{ff01}'..='\u{ff5e}' => char::from_u32(c as u32 - 0xfee0).unwrap_or(c),
        '\u{3000}' => ' ',
        c => c,
    }
}

/// Folds full-width ASCII and collapses whitespace: the text search matches
/// in (search.js folds the query the same way).
pub fn fold(text: &str) -> String {
    let folded: String = text.chars().map(fold_char).collect();
    collapse(&folded)
}

/// Collapses runs of whitespace to one space and trims both ends; keeps
/// every other character (full-width punctuation stays full-width).
pub fn collapse(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text.split(|c: char| c.is_whitespace() || c == '\u{3000}') {
        if word.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// Chinese, Japanese and Korean characters: kana, CJK extension A, unified
/// ideographs, Hangul, compatibility ideographs (the ranges of search.js).
pub fn is_cjk(c: char) -> bool {
    matches!(c, '\u{3040}'..='\u{30ff}' | '\u{3400}'..='\u{4dbf}' | '\u{4e00}'..='\u{9fff}'
        | '\u{ac00}'..='\u{d7af}' | '\u{f900}'..='\u{faff}')
}

/// The part of an English word its inflected forms share: duties, duty ->
/// `dut`. Words of three letters or fewer are their own stem.
pub fn stem(word: &str) -> &str {
    const ENDINGS: [&str; 12] = [
        "ings", "ies", "ied", "ing", "ers", "es", "ed", "er", "ly", "s", "y", "e",
    ];
    if word.len() <= 3 {
        return word;
    }
    for ending in ENDINGS {
        if word.len() - ending.len() >= 3 && word.ends_with(ending) {
            return &word[..word.len() - ending.len()];
        }
    }
    word
}

/// What a piece of text is indexed under.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Term<'a> {
    /// A run of ASCII letters and digits, lowercased (`duties`).
    Word(&'a str),
    /// Two CJK characters that stand next to each other (`考勤`), or one
    /// with no CJK character beside it (`考`). A character of a pair is
    /// indexed through the pair ([`super::postings::Postings`]).
    Cjk(char, Option<char>),
}

impl Term<'_> {
    /// The term as text (`duties`, `考勤`).
    pub fn text(&self) -> String {
        match *self {
            Term::Word(w) => w.to_string(),
            Term::Cjk(a, b) => [Some(a), b].into_iter().flatten().collect(),
        }
    }
}

/// The key a term's shard is chosen by, from the term's text: the stem of a
/// word (so that every form of a word lies in one shard), CJK characters
/// themselves.
pub fn group(term: &str) -> &str {
    if term.as_bytes().first().is_some_and(u8::is_ascii) {
        stem(term)
    } else {
        term
    }
}

/// Cuts `text` into terms and calls `each` with every one, in order (a term
/// may come more than once): words, and in each run of CJK characters every
/// pair of neighbours (a run of one character: the character). `buf` is
/// scratch space.
pub fn terms(text: &str, buf: &mut String, each: &mut impl FnMut(Term)) {
    buf.clear();
    // The CJK character before this one, in a run, and whether it is the
    // run's first.
    let mut before: Option<(char, bool)> = None;
    for c in text.chars() {
        let c = fold_char(c);
        if is_cjk(c) {
            word_char(buf, ' ', each);
            if let Some((b, _)) = before {
                each(Term::Cjk(b, Some(c)));
            }
            before = Some((c, before.is_none()));
            continue;
        }
        if let Some((b, true)) = before {
            each(Term::Cjk(b, None));
        }
        before = None;
        if c.is_ascii() {
            word_char(buf, c.to_ascii_lowercase(), each);
        } else {
            // A few letters lowercase to ASCII (the Kelvin sign, dotted I).
            for l in c.to_lowercase() {
                word_char(buf, l, each);
            }
        }
    }
    if let Some((b, true)) = before {
        each(Term::Cjk(b, None));
    }
    word_char(buf, ' ', each);
}

/// Adds `c` to the word in `buf` if it is a letter or digit; else ends the
/// word there (calling `each` with it).
fn word_char(buf: &mut String, c: char, each: &mut impl FnMut(Term)) {
    if c.is_ascii_alphanumeric() {
        buf.push(c);
    } else if !buf.is_empty() {
        each(Term::Word(buf));
        buf.clear();
    }
}

/// Elements that end a line of text: their tags count as a space.
const BREAKS: &[&str] = &[
    "p",
    "br",
    "li",
    "tr",
    "pre",
    "div",
    "blockquote",
    "dt",
    "dd",
    "hr",
    "table",
    "ul",
    "ol",
];

/// Elements that end with a visible [`SEPARATOR`]: headings and cells.
const APART: &[&str] = &["h1", "h2", "h3", "h4", "h5", "h6", "td", "th"];

/// How a tag of element `name` separates the text around it.
fn gap(name: &str) -> Gap {
    let is = |list: &[&str]| {
        list.contains(&name)
            // The Markdown renderer writes lowercase tags; raw HTML may not.
            || (name.bytes().any(|b| b.is_ascii_uppercase())
                && list.iter().any(|b| b.eq_ignore_ascii_case(name)))
    };
    if is(APART) {
        Gap::Separator
    } else if is(BREAKS) {
        Gap::Space
    } else {
        Gap::None
    }
}

#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Gap {
    None,
    Space,
    Separator,
}

/// Text being written, with the widest gap asked for since its last word.
struct Visible {
    out: String,
    gap: Gap,
}

impl Visible {
    fn text(&mut self, chunk: &str) {
        let decoded = html_escape::decode_html_entities(chunk);
        let mut words = decoded.split(|c: char| c.is_whitespace() || c == '\u{3000}');
        let mut first = true;
        for word in words.by_ref() {
            if !first {
                self.gap = self.gap.max(Gap::Space);
            }
            first = false;
            if word.is_empty() {
                continue;
            }
            if !self.out.is_empty() {
                match self.gap {
                    Gap::None => {}
                    Gap::Space => self.out.push(' '),
                    Gap::Separator => self.out.push_str(SEPARATOR),
                }
            }
            self.gap = Gap::None;
            self.out.push_str(word);
        }
    }
}

/// The plain text of a section's HTML as a result shows it: tags dropped
/// (block tags count as a space, headings and cells end with
/// [`SEPARATOR`]), character references decoded, whitespace collapsed, the
/// page's punctuation kept. `skip_heading` leaves out the section's own
/// heading (shown beside the snippet and indexed on its own).
pub fn section_text(html: &str, skip_heading: bool) -> String {
    let mut rest = html;
    if skip_heading && rest.starts_with("<h") {
        if let Some(end) = rest
            .find("</h")
            .and_then(|i| rest[i..].find('>').map(|j| i + j + 1))
        {
            rest = &rest[end..];
        }
    }
    let mut v = Visible {
        out: String::with_capacity(rest.len() / 2),
        gap: Gap::None,
    };
    while let Some(open) = memchr::memchr(b'<', rest.as_bytes()) {
        v.text(&rest[..open]);
        let tag = &rest[open + 1..];
        let close = memchr::memchr(b'>', tag.as_bytes()).map_or(tag.len(), |i| i + 1);
        let name = tag.strip_prefix('/').unwrap_or(tag);
        let name = &name[..name
            .bytes()
            .position(|b| !b.is_ascii_alphanumeric())
            .unwrap_or(name.len())];
        v.gap = v.gap.max(gap(name));
        // An image's text is its alt text (`![alt](src)`).
        if name.eq_ignore_ascii_case("img") {
            let alt = tag[..close]
                .split(" alt=\"")
                .nth(1)
                .and_then(|a| a.split('"').next());
            if let Some(alt) = alt {
                v.gap = v.gap.max(Gap::Space);
                v.text(alt);
                v.gap = v.gap.max(Gap::Space);
            }
        }
        rest = &tag[close..];
        // Raw HTML may hold a script or style: code, not text.
        if !tag.starts_with('/') && ["script", "style"].contains(&name) {
            let end = format!("</{name}");
            rest = rest.find(&end).map_or("", |i| &rest[i..]);
        }
    }
    v.text(rest);
    v.out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn section_text_is_the_visible_text_with_headings_and_cells_apart() {
        assert_eq!(
            section_text(
                "<h2 id=\"duties\">Duties &amp; <em>tasks</em></h2>\n<p>One&lt;two&gt;</p><ul><li>a</li><li>b</li></ul>",
                false
            ),
            "Duties & tasks · One<two> a b"
        );
        assert_eq!(
            section_text(
                "<h2 id=\"m\">Meetings</h2><h3>What was said</h3><p>Notes.</p><h3>Systems and money</h3>",
                true
            ),
            "What was said · Notes. · Systems and money"
        );
        assert_eq!(
            section_text(
                "<table><tr><td>甲</td><td>乙</td></tr></table><p>x<br />y &#x4e2d;&quot;</p>",
                false
            ),
            "甲 · 乙 · x y 中\""
        );
        assert_eq!(
            section_text(
                "<p>a <code>b</code>c</p>\n<pre><code>d\n</code></pre>",
                false
            ),
            "a bc d"
        );
        assert_eq!(
            section_text("<p>x</p><style>p{}</style><script>a<b</script>y", false),
            "x y"
        );
        assert_eq!(
            section_text(
                "<p>see<img src=\"a.png\" alt=\"org &amp; chart\" />now</p>",
                false
            ),
            "see org & chart now"
        );
    }

    #[test]
    fn chinese_punctuation_stays_full_width_in_the_text() {
        assert_eq!(
            section_text("<p>整理文件，筹备会议：按时；完成。</p>", false),
            "整理文件，筹备会议：按时；完成。"
        );
        assert_eq!(collapse("  考勤　报表\n表 "), "考勤 报表 表");
    }

    #[test]
    fn fold_folds_width_and_space_and_keeps_case() {
        assert_eq!(
            fold("  Office\tDIRECTOR\n\n办公室  主任 "),
            "Office DIRECTOR 办公室 主任"
        );
        assert_eq!(fold("ＡＴＴＥＮＤＡＮＣＥ１２，"), "ATTENDANCE12,");
    }

    fn all(text: &str) -> Vec<String> {
        let mut out = Vec::new();
        terms(text, &mut String::new(), &mut |t| {
            out.push(match t {
                Term::Word(w) => format!("w:{w}"),
                Term::Cjk(..) => format!("c:{}", t.text()),
            })
        });
        out
    }

    #[test]
    fn terms_are_words_and_cjk_characters_and_pairs() {
        assert_eq!(
            all("Office ＤＵＴＩＥＳ, 行政助理；x2"),
            ["w:office", "w:duties", "c:行政", "c:政助", "c:助理", "w:x2"]
        );
        // No pair across punctuation, or from CJK into a word.
        assert_eq!(all("文件，筹备hr考"), ["c:文件", "c:筹备", "w:hr", "c:考"]);
        assert_eq!(all(" ,. —"), Vec::<String>::new());
        // A character alone, at either end.
        assert_eq!(all("甲 x乙，"), ["c:甲", "w:x", "c:乙"]);
    }

    #[test]
    fn stems_are_shared_by_inflected_forms() {
        assert_eq!(stem("duty"), stem("duties"));
        assert_eq!(stem("meeting"), stem("meetings"));
        assert_eq!(stem("file"), "fil");
        assert_eq!(stem("hr"), "hr");
    }
}
