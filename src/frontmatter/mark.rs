//! The `translated_from:` mark of a translation: the fingerprint of the
//! original page it records, and the one-line edit that writes it into a
//! page's front matter (`rolebook mark-translated`), changing no other byte.

use sha2::{Digest, Sha256};

/// First 12 hex digits of the SHA-256 of a page's title and body, with
/// line endings normalised to LF (so a CRLF save does not make translations
/// stale). Computed once per page, when it is read
/// ([`crate::frontmatter::Page::fingerprint`]).
pub fn fingerprint(title: &str, body: &str) -> String {
    let mut hasher = Sha256::new();
    hasher.update(title.trim().as_bytes());
    hasher.update(b"\n");
    // Most files have no CR: hash them as they are, without a copy.
    if memchr::memchr(b'\r', body.as_bytes()).is_some() {
        hasher.update(body.replace("\r\n", "\n").as_bytes());
    } else {
        hasher.update(body.as_bytes());
    }
    let digest = hasher.finalize();
    digest.iter().take(6).map(|b| format!("{b:02x}")).collect()
}

/// Rewrites `translated_from:` in a page's text, changing only that line (or
/// adding it before the closing `---`). Returns `None` if the text has no front matter.
pub fn set_translated_from(text: &str, mark: &str) -> Option<String> {
    let newline = if text.contains("\r\n") { "\r\n" } else { "\n" };
    let mut offset = 0;
    let mut in_front_matter = false;
    for (n, line) in text.split_inclusive('\n').enumerate() {
        let bare = line.trim_end_matches(['\r', '\n']);
        let bare_no_bom = bare.strip_prefix('\u{feff}').unwrap_or(bare);
        if n == 0 {
            if bare_no_bom.trim_end() != "---" {
                return None;
            }
            in_front_matter = true;
        } else if in_front_matter && bare.trim_end() == "---" {
            let insert = format!("translated_from: {mark}{newline}");
            return Some(format!("{}{insert}{}", &text[..offset], &text[offset..]));
        } else if in_front_matter && bare.starts_with("translated_from:") {
            let ending = &line[bare.len()..];
            // The whole value goes, also when it continues on indented lines
            // (`translated_from: >-` and a folded fingerprint below it):
            // replacing only the first line would leave the old value in force.
            let rest = &text[offset + line.len()..];
            let value_end = continuation_len(rest);
            let ending = if ending.is_empty() { newline } else { ending };
            return Some(format!(
                "{}translated_from: {mark}{ending}{}",
                &text[..offset],
                &rest[value_end..]
            ));
        }
        offset += line.len();
    }
    None
}

/// How many bytes at the start of `rest` continue a YAML value begun on the
/// line before: indented lines, and blank lines followed by indented ones.
fn continuation_len(rest: &str) -> usize {
    let mut len = 0;
    let mut pending_blank = 0;
    for line in rest.split_inclusive('\n') {
        let bare = line.trim_end_matches(['\r', '\n']);
        if bare.trim().is_empty() {
            pending_blank += line.len();
        } else if bare.starts_with([' ', '\t']) {
            len += pending_blank + line.len();
            pending_blank = 0;
        } else {
            break;
        }
    }
    len
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn set_translated_from_replaces_a_block_scalar_whole() {
        let text = "---\nid: x\ntranslated_from: >-\n  abc123\n  abc123\n\ntitle: T\n---\nbody\n";
        let changed = set_translated_from(text, "000000000000").unwrap();
        assert_eq!(
            changed,
            "---\nid: x\ntranslated_from: 000000000000\n\ntitle: T\n---\nbody\n"
        );
    }

    #[test]
    fn fingerprint_ignores_line_endings_but_not_text() {
        let a = fingerprint("T", "a\nb\n");
        assert_eq!(a.len(), 12);
        assert!(a.chars().all(|c| c.is_ascii_hexdigit()));
        assert_eq!(a, fingerprint(" T ", "a\r\nb\r\n"));
        assert_ne!(a, fingerprint("T", "a\nc\n"));
        assert_ne!(a, fingerprint("U", "a\nb\n"));
    }

    #[test]
    fn set_translated_from_changes_only_that_line() {
        let text = "---\r\nid: x\r\ntitle: 标题\r\n---\r\nbody\r\n";
        let added = set_translated_from(text, "abc123abc123").unwrap();
        assert_eq!(
            added,
            "---\r\nid: x\r\ntitle: 标题\r\ntranslated_from: abc123abc123\r\n---\r\nbody\r\n"
        );
        let changed = set_translated_from(&added, "000000000000").unwrap();
        assert_eq!(changed, added.replace("abc123abc123", "000000000000"));
        assert_eq!(set_translated_from("no front matter", "x"), None);
    }
}
