//! Heading ids and the attributes a heading may carry.
//!
//! `## Duties {#duties .wide}` sets an id and classes; pulldown-cmark also
//! accepts any `key=value` there and writes it into the tag, which is how
//! `{onfocus=alert(1) autofocus}` ran script even with raw HTML escaped. Only
//! the id and plain class names are kept.

use foldhash::{HashMap, HashSet};

use pulldown_cmark::CowStr;

/// A heading id as GitHub (and mdBook, VitePress) spell it, so links copied
/// from those books keep working: lowercase; every space becomes `-` (never
/// collapsed: `with -- or` gives `with----or`); letters, marks and numbers
/// of any script stay, and so do `-` and connector punctuation like `_`;
/// other punctuation (full-width `，：（）` too), symbols and control or
/// format characters are dropped. Rules of github-slugger, whose fixtures
/// the tests below follow. A heading with nothing left gets `section`.
pub fn slug(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.trim().chars().flat_map(char::to_lowercase) {
        if c == ' ' {
            out.push('-');
        } else if kept_in_slug(c) {
            out.push(c);
        }
    }
    if out.is_empty() {
        "section".to_string()
    } else {
        out
    }
}

/// Whether `c` stays in a slug (spaces aside).
fn kept_in_slug(c: char) -> bool {
    use unicode_general_category::{get_general_category, GeneralCategory as G};
    if c.is_ascii() {
        return c.is_ascii_alphanumeric() || c == '-' || c == '_';
    }
    // Some symbols are letters too (circled letters): GitHub keeps them.
    c.is_alphabetic()
        || matches!(
            get_general_category(c),
            G::UppercaseLetter
                | G::LowercaseLetter
                | G::TitlecaseLetter
                | G::ModifierLetter
                | G::OtherLetter
                | G::NonspacingMark
                | G::SpacingMark
                | G::EnclosingMark
                | G::DecimalNumber
                | G::LetterNumber
                | G::ConnectorPunctuation
        )
}

/// `wanted`, else the first of `wanted-1`, `wanted-2`, ... not used yet.
/// `next` remembers where the search for each `wanted` stopped (those ids stay
/// used), so a page with thousands of equal headings is not quadratic.
pub(super) fn unique(
    wanted: String,
    used: &mut HashSet<String>,
    next: &mut HashMap<String, usize>,
) -> String {
    if used.insert(wanted.clone()) {
        return wanted;
    }
    let n = next.entry(wanted.clone()).or_insert(1);
    loop {
        let id = format!("{wanted}-{n}");
        *n += 1;
        if used.insert(id.clone()) {
            return id;
        }
    }
}

/// A class name that needs no escaping and means nothing to a browser but a class.
fn is_plain_class(class: &str) -> bool {
    !class.is_empty()
        && class
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

/// An attribute of a heading's `{...}` that is not kept, as the author wrote
/// it (`.x"y`, `onfocus=alert(1)`), and the word to look for in the source.
pub(super) struct Dropped {
    pub shown: String,
    pub word: String,
}

/// Splits a heading's classes into those kept and the attributes dropped
/// (every `key=value`, and classes that are not plain names).
pub(super) fn keep_plain<'a>(
    classes: Vec<CowStr<'a>>,
    attrs: Vec<(CowStr<'a>, Option<CowStr<'a>>)>,
) -> (Vec<CowStr<'a>>, Vec<Dropped>) {
    let mut dropped = Vec::new();
    let mut kept = Vec::with_capacity(classes.len());
    for class in classes {
        if is_plain_class(&class) {
            kept.push(class);
        } else {
            let word = format!(".{class}");
            dropped.push(Dropped {
                shown: word.clone(),
                word,
            });
        }
    }
    for (key, value) in attrs {
        let shown = match value {
            Some(value) => format!("{key}={value}"),
            None => key.to_string(),
        };
        dropped.push(Dropped {
            shown,
            word: key.to_string(),
        });
    }
    (kept, dropped)
}

/// Byte offsets in `heading` (a heading's source) of each dropped attribute,
/// `None` where it cannot be found. One forward scan of the `{...}` block.
pub(super) fn find_dropped(heading: &str, dropped: &[Dropped]) -> Vec<Option<usize>> {
    let block = heading.rfind('{').unwrap_or(heading.len());
    // Classes and `key=value` pairs come in two lists, each in source order.
    let (mut class_from, mut attr_from) = (block, block);
    dropped
        .iter()
        .map(|d| {
            let from = if d.word.starts_with('.') {
                &mut class_from
            } else {
                &mut attr_from
            };
            let found = find_word(heading, *from, &d.word);
            // Not found: later words are not looked for (keeps this linear).
            *from = found.map_or(heading.len(), |at| at + d.word.len());
            found
        })
        .collect()
}

/// First `word` at or after `from` that starts an attribute (after a space or `{`).
fn find_word(heading: &str, from: usize, word: &str) -> Option<usize> {
    if word.is_empty() {
        return None;
    }
    let rest = heading.get(from..)?;
    rest.match_indices(word).map(|(i, _)| from + i).find(|&at| {
        heading[..at]
            .chars()
            .next_back()
            .is_some_and(|c| c == '{' || c.is_whitespace())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slug_keeps_letters_of_any_script() {
        assert_eq!(slug("Office Director's Duties"), "office-directors-duties");
        assert_eq!(slug("职责 与 权限！"), "职责-与-权限");
        assert_eq!(slug("?!"), "section");
    }

    /// Cases from github-slugger's fixtures (test/fixtures.json).
    #[test]
    fn slug_follows_github() {
        let cases = [
            ("bravoCharlieDelta", "bravocharliedelta"),
            ("__proto__", "__proto__"),
            ("heading with a - dash", "heading-with-a---dash"),
            (
                "heading with an _ underscore",
                "heading-with-an-_-underscore",
            ),
            ("heading with a period.txt", "heading-with-a-periodtxt"),
            (
                "exchange.bind_headers(exchange, routing [, bindCallback])",
                "exchangebind_headersexchange-routing--bindcallback",
            ),
            ("-a-", "-a-"),
            (
                "apostrophe’s should be trimmed",
                "apostrophes-should-be-trimmed",
            ),
            ("I ♥ unicode", "i--unicode"),
            ("en–dash", "endash"),
            ("😄 unicode emoji", "-unicode-emoji"),
            ("😄-😄 unicode emoji", "--unicode-emoji"),
            ("😄_😄 unicode emoji", "_-unicode-emoji"),
            (":smile: - a gemoji", "smile---a-gemoji"),
            ("Привет non-latin 你好", "привет-non-latin-你好"),
            (
                ":ok_hand::hatched_chick: Two in a row with no spaces",
                "ok_handhatched_chick-two-in-a-row-with-no-spaces",
            ),
            ("a) ] } ༻ 〉 》 」 】 ） ］ ｝b", "a----------b"),
            ("a_ ‿ ⁀ ＿b", "a_-‿-⁀-＿b"),
            ("a$ ¢ € ￥b", "a---b"),
            ("a- ֊ ‐ – — 〜 －b", "a-------b"),
            ("a0 ١ ० ০ ０b", "a0-١-०-০-０b"),
            ("aᛮ Ⅻ ⅻ 〇 〡b", "aᛮ-ⅻ-ⅻ-〇-〡b"),
            ("a² ½ ①b", "a--b"),
            ("à ̅ ҈b", "à-̅-҈b"),
            ("a» ’ ”b", "a--b"),
            ("a\u{2028}b", "ab"),
            ("Ⓐ ⓑb", "ⓐ-ⓑb"),
        ];
        for (text, want) in cases {
            assert_eq!(slug(text), want, "{text:?}");
        }
    }

    #[test]
    fn slug_of_rust_book_and_cjk_headings() {
        // mdBook's Rust book links `#concatenating-with--or-format`.
        assert_eq!(
            slug("Concatenation with the + Operator or the format! Macro"),
            "concatenation-with-the--operator-or-the-format-macro"
        );
        assert_eq!(
            slug("Concatenating with + or format!"),
            "concatenating-with--or-format"
        );
        assert_eq!(slug("使用私有仓库（可选）：步骤"), "使用私有仓库可选步骤");
        assert_eq!(slug("第 1 步，安装"), "第-1-步安装");
    }

    /// github-slugger's repetition cases: `-1`, `-2` per wanted id, never an
    /// id already taken.
    #[test]
    fn duplicates_are_numbered_as_github_does() {
        let (mut used, mut next) = (HashSet::default(), HashMap::default());
        let mut id = |text: &str| unique(slug(text), &mut used, &mut next);
        let got: Vec<String> = [
            "echo",
            "echo",
            "echo 1",
            "echo-1",
            "echo",
            "foxtrot-1",
            "foxtrot",
            "foxtrot",
        ]
        .iter()
        .map(|t| id(t))
        .collect();
        assert_eq!(
            got,
            [
                "echo",
                "echo-1",
                "echo-1-1",
                "echo-1-2",
                "echo-2",
                "foxtrot-1",
                "foxtrot",
                "foxtrot-2"
            ]
        );
    }

    #[test]
    fn only_plain_classes_are_kept() {
        let (kept, dropped) = keep_plain(
            vec!["wide".into(), "x\"y".into(), "a_b-9".into()],
            vec![
                ("onfocus".into(), Some("alert(1)".into())),
                ("autofocus".into(), None),
            ],
        );
        assert_eq!(kept, [CowStr::from("wide"), CowStr::from("a_b-9")]);
        let shown: Vec<&str> = dropped.iter().map(|d| d.shown.as_str()).collect();
        assert_eq!(shown, [".x\"y", "onfocus=alert(1)", "autofocus"]);
        let source = "## Data {#data .x\"y onfocus=alert(1) autofocus}";
        let at = find_dropped(source, &dropped);
        assert_eq!(at, [Some(15), Some(20), Some(37)]);
    }
}
