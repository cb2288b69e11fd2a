//! Heading ids and the attributes a heading may carry.
//!
//! `## Duties {#duties .wide}` sets an id and classes; pulldown-cmark also
//! accepts any `key=value` there and writes it into the tag, which is how
//! `{onfocus=alert(1) autofocus}` ran script even with raw HTML escaped. Only
//! the id and plain class names are kept.

use std::collections::{HashMap, HashSet};

use pulldown_cmark::CowStr;

/// A readable heading id: lowercase, letters and digits of any script kept,
/// spaces and dashes become `-`, other punctuation dropped.
pub fn slug(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.trim().chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() || c == '_' {
            out.push(c);
        } else if (c.is_whitespace() || c == '-') && !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    let out = out.trim_end_matches('-');
    if out.is_empty() {
        "section".to_string()
    } else {
        out.to_string()
    }
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
