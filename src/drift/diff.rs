//! How one section of an original changed, for people: a diff of its
//! reader's text (see [`super::text`]) by words where the language puts
//! spaces between words and by characters where it does not (Chinese,
//! Japanese), computed by `similar`, and written three ways: HTML with
//! `<del>`/`<ins>` (side-by-side view), coloured for a terminal, and plain
//! with `[-removed-]{+added+}` marks when piped.

use std::time::Duration;

use serde::Serialize;
use similar::{ChangeTag, TextDiff};

/// A run of text that both versions share, or that one of them has only.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Segment {
    /// `equal`, `delete` (only in the version translated) or `insert` (only in the current original).
    pub tag: &'static str,
    pub text: String,
}

/// How to cut text into the units a diff compares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Granularity {
    Words,
    Characters,
}

impl Granularity {
    /// Characters for languages written without spaces between words
    /// (by the language's `html_lang`: `zh`, `zh-Hans`, `ja`, `yue`), else words.
    pub fn for_lang(html_lang: &str) -> Granularity {
        let primary = html_lang.split('-').next().unwrap_or("");
        match primary.to_ascii_lowercase().as_str() {
            "zh" | "ja" | "yue" | "wuu" | "lzh" => Granularity::Characters,
            _ => Granularity::Words,
        }
    }
}

/// A diff gives up finding the smallest edit after this long and reports a
/// coarser one (still correct): no input makes it run away.
const TIME_LIMIT: Duration = Duration::from_millis(500);

/// The segments turning `before` into `after`, neighbours of one tag merged.
pub fn segments(before: &str, after: &str, granularity: Granularity) -> Vec<Segment> {
    let mut config = TextDiff::configure();
    config.timeout(TIME_LIMIT);
    let diff = match granularity {
        Granularity::Words => config.diff_words(before, after),
        Granularity::Characters => config.diff_chars(before, after),
    };
    let mut out: Vec<Segment> = Vec::new();
    for change in diff.iter_all_changes() {
        let tag = match change.tag() {
            ChangeTag::Equal => "equal",
            ChangeTag::Delete => "delete",
            ChangeTag::Insert => "insert",
        };
        match out.last_mut() {
            Some(last) if last.tag == tag => last.text.push_str(change.value()),
            _ => out.push(Segment {
                tag,
                text: change.value().to_string(),
            }),
        }
    }
    out
}

/// The segments as HTML: `<del>` and `<ins>` around what changed, line
/// breaks as `<br>`.
pub fn html(segments: &[Segment]) -> String {
    let mut out = String::new();
    for s in segments {
        let text = html_escape::encode_text(&s.text).replace('\n', "<br>");
        match s.tag {
            "delete" => out.push_str(&format!("<del>{text}</del>")),
            "insert" => out.push_str(&format!("<ins>{text}</ins>")),
            _ => out.push_str(&text),
        }
    }
    out
}

/// The segments for a terminal: red struck-through removals and green
/// underlined additions when `colour`, else `[-removed-]` and `{+added+}`
/// (git's word-diff marks).
pub fn terminal(segments: &[Segment], colour: bool) -> String {
    let mut out = String::new();
    for s in segments {
        match (s.tag, colour) {
            ("delete", true) => out.push_str(&format!("\x1b[31;9m{}\x1b[0m", s.text)),
            ("insert", true) => out.push_str(&format!("\x1b[32;4m{}\x1b[0m", s.text)),
            ("delete", false) => out.push_str(&format!("[-{}-]", s.text)),
            ("insert", false) => out.push_str(&format!("{{+{}+}}", s.text)),
            _ => out.push_str(&s.text),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plain(before: &str, after: &str, g: Granularity) -> String {
        terminal(&segments(before, after, g), false)
    }

    #[test]
    fn english_differs_by_words() {
        assert_eq!(
            plain(
                "Keeps the minutes of every meeting.",
                "Keeps the minutes of each board meeting.",
                Granularity::Words
            ),
            "Keeps the minutes of [-every-]{+each board+} meeting."
        );
    }

    #[test]
    fn chinese_differs_by_characters() {
        assert_eq!(
            plain(
                "负责记录每次会议。",
                "负责整理每次会议。",
                Granularity::Characters
            ),
            "负责[-记录-]{+整理+}每次会议。"
        );
        assert_eq!(Granularity::for_lang("zh-Hans"), Granularity::Characters);
        assert_eq!(Granularity::for_lang("en"), Granularity::Words);
    }

    #[test]
    fn html_escapes_and_marks_the_change() {
        let s = segments("a <b>", "a <c>", Granularity::Words);
        assert_eq!(html(&s), "a <del>&lt;b&gt;</del><ins>&lt;c&gt;</ins>");
        assert!(terminal(&s, true).contains("\x1b[31;9m<b>\x1b[0m"));
    }
}
