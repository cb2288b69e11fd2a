//! The URLs in a page's raw HTML: one forward scan that finds the
//! attributes of elements that link (`<a href>`) or load (`<img src>`,
//! `srcset` candidates, `<object data>`, `<video poster>`), and `<script>`
//! tags. pulldown-cmark hands an HTML block over one line at a time, so a
//! tag written over several lines is followed from one piece to the next.
//! Comments and the text of `<script>`/`<style>` elements are skipped.

use std::ops::Range;

/// What the scan found in one piece of raw HTML (ranges are byte offsets in it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(in crate::markdown) enum Found {
    /// A URL: where its value is written, and whether the browser loads it
    /// into the page (an image) rather than following it (a link).
    Url { range: Range<usize>, loads: bool },
    /// `<script` starts here.
    Script(usize),
}

/// How an element uses its URL attributes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// Followed when clicked: `a`, `area`.
    Link,
    /// Loaded into the page.
    Load,
    /// No URL attribute that matters.
    Other,
}

/// Where the scan stands between two pieces of one HTML block.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
enum At {
    #[default]
    Text,
    /// Inside a start tag, among its attributes.
    Tag {
        kind: Kind,
        raw_text: Option<&'static str>,
    },
    Comment,
    /// Inside `<script>` or `<style>`, until its end tag.
    RawText(&'static str),
}

/// The scan's state, kept from one piece of an HTML block to the next.
#[derive(Debug, Default)]
pub(in crate::markdown) struct RawScan {
    at: At,
}

impl RawScan {
    /// Forgets an unfinished tag (the next piece is not part of the same block).
    pub fn reset(&mut self) {
        self.at = At::Text;
    }

    /// Every URL attribute and `<script>` tag of `html`, in order.
    pub fn scan(&mut self, html: &str) -> Vec<Found> {
        let mut found = Vec::new();
        let mut i = 0;
        while i < html.len() {
            i = match self.at {
                At::Text => self.text(html, i, &mut found),
                At::Tag { kind, raw_text } => self.tag(html, i, kind, raw_text, &mut found),
                At::Comment => match html[i..].find("-->") {
                    Some(end) => {
                        self.at = At::Text;
                        i + end + 3
                    }
                    None => html.len(),
                },
                At::RawText(name) => match end_tag(html, i, name) {
                    Some(end) => {
                        self.at = At::Text;
                        end
                    }
                    None => html.len(),
                },
            };
        }
        found
    }

    /// From text to the next tag or comment.
    fn text(&mut self, html: &str, from: usize, found: &mut Vec<Found>) -> usize {
        let Some(lt) = memchr::memchr(b'<', &html.as_bytes()[from..]).map(|i| from + i) else {
            return html.len();
        };
        let rest = &html[lt + 1..];
        if rest.starts_with("!--") {
            self.at = At::Comment;
            return lt + 4;
        }
        let len = rest
            .bytes()
            .take_while(|b| b.is_ascii_alphanumeric() || *b == b'-')
            .count();
        if len == 0 || !rest.as_bytes()[0].is_ascii_alphabetic() {
            // `</p>`, `<!DOCTYPE>`, `a < b`: nothing to look at.
            return lt + 1;
        }
        let name = &rest[..len];
        let lower = |n: &str| name.eq_ignore_ascii_case(n);
        let kind = if ["a", "area"].iter().any(|n| lower(n)) {
            Kind::Link
        } else if LOADING.iter().any(|n| lower(n)) {
            Kind::Load
        } else {
            Kind::Other
        };
        if lower("script") {
            found.push(Found::Script(lt));
        }
        let raw_text = ["script", "style"].into_iter().find(|n| lower(n));
        self.at = At::Tag { kind, raw_text };
        lt + 1 + len
    }

    /// Attributes from `from` to the end of the tag (or of the piece).
    fn tag(
        &mut self,
        html: &str,
        from: usize,
        kind: Kind,
        raw_text: Option<&'static str>,
        found: &mut Vec<Found>,
    ) -> usize {
        let bytes = html.as_bytes();
        let mut i = from;
        loop {
            while i < bytes.len() && (bytes[i].is_ascii_whitespace() || bytes[i] == b'/') {
                i += 1;
            }
            if i >= bytes.len() {
                return i;
            }
            if bytes[i] == b'>' {
                self.at = raw_text.map_or(At::Text, At::RawText);
                return i + 1;
            }
            let name_start = i;
            while i < bytes.len()
                && !matches!(bytes[i], b'=' | b'>' | b'/')
                && !bytes[i].is_ascii_whitespace()
            {
                i += 1;
            }
            let name = &html[name_start..i];
            let mut j = i;
            while j < bytes.len() && bytes[j].is_ascii_whitespace() {
                j += 1;
            }
            if j >= bytes.len() || bytes[j] != b'=' {
                continue; // an attribute without a value
            }
            let value = attribute_value(html, j + 1);
            i = value.end
                + usize::from(value.end < bytes.len() && matches!(bytes[value.end], b'"' | b'\''));
            url_attribute(html, kind, name, value, found);
        }
    }
}

/// The URLs that attribute `name` of an element of `kind` holds.
fn url_attribute(html: &str, kind: Kind, name: &str, value: Range<usize>, found: &mut Vec<Found>) {
    let is = |n: &str| name.eq_ignore_ascii_case(n);
    let loads = kind == Kind::Load;
    match kind {
        Kind::Other => {}
        _ if is("srcset") => found.extend(srcset(&html[value.clone()]).map(|r| Found::Url {
            range: value.start + r.start..value.start + r.end,
            loads,
        })),
        _ if is("href") || is("src") || is("poster") || (loads && is("data")) => {
            let trimmed = trim(html, value);
            if !trimmed.is_empty() {
                found.push(Found::Url {
                    range: trimmed,
                    loads,
                });
            }
        }
        _ => {}
    }
}

/// Elements whose `src`/`href`/`srcset`/`poster`/`data` the browser loads.
const LOADING: &[&str] = &[
    "img", "source", "video", "audio", "object", "iframe", "embed", "track", "link", "script",
    "input",
    // Not fetched by browsers, but VitePress's `<style src>` is a file the page needs.
    "style",
];

/// The value that starts after `=` at `from`: quoted (without the quotes)
/// or up to the next space or `>`.
fn attribute_value(html: &str, from: usize) -> Range<usize> {
    let bytes = html.as_bytes();
    let mut start = from;
    while start < bytes.len() && bytes[start].is_ascii_whitespace() {
        start += 1;
    }
    match bytes.get(start) {
        Some(&quote @ (b'"' | b'\'')) => {
            let end =
                memchr::memchr(quote, &bytes[start + 1..]).map_or(bytes.len(), |e| start + 1 + e);
            start + 1..end
        }
        _ => {
            let len = bytes[start..]
                .iter()
                .take_while(|b| !b.is_ascii_whitespace() && **b != b'>')
                .count();
            start..start + len
        }
    }
}

/// `range` of `html` without surrounding whitespace.
fn trim(html: &str, range: Range<usize>) -> Range<usize> {
    let value = &html[range.clone()];
    let start = range.start + (value.len() - value.trim_start().len());
    start..start + value.trim().len()
}

/// The URL of each candidate of a `srcset` (`a.png 1x, b.png 2x`), as
/// ranges in the value.
fn srcset(value: &str) -> impl Iterator<Item = Range<usize>> + '_ {
    let mut from = 0;
    value.split(',').filter_map(move |candidate| {
        let start = from;
        from += candidate.len() + 1;
        let url = candidate.split_whitespace().next()?;
        let at = start + candidate.find(url)?;
        Some(at..at + url.len())
    })
}

/// The offset after `</name>` at or after `from`, if it is in `html`.
fn end_tag(html: &str, from: usize, name: &str) -> Option<usize> {
    let mut at = from;
    while let Some(i) = html[at..].find("</") {
        let start = at + i + 2;
        let rest = &html.as_bytes()[start..];
        if rest.len() >= name.len() && rest[..name.len()].eq_ignore_ascii_case(name.as_bytes()) {
            let close = html[start..]
                .find('>')
                .map_or(html.len(), |e| start + e + 1);
            return Some(close);
        }
        at = start;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn urls(pieces: &[&str]) -> Vec<(String, bool)> {
        let mut scan = RawScan::default();
        pieces
            .iter()
            .flat_map(|piece| {
                scan.scan(piece).into_iter().filter_map(move |f| match f {
                    Found::Url { range, loads } => Some((piece[range].to_string(), loads)),
                    Found::Script(_) => None,
                })
            })
            .collect()
    }

    #[test]
    fn url_attributes_of_linking_and_loading_elements() {
        let html = r#"<p class="x"><img src="a.png" alt="x" srcset="b.png 2x, c.png 480w"><a href='d.md#x'>d</a> <code src="no"> <A HREF=e.html>"#;
        assert_eq!(
            urls(&[html]),
            [
                ("a.png".to_string(), true),
                ("b.png".to_string(), true),
                ("c.png".to_string(), true),
                ("d.md#x".to_string(), false),
                ("e.html".to_string(), false),
            ]
        );
        let media = r#"<video poster="p.jpg"><source src="v.mp4"></video><object data="f.svg"></object><iframe src="/x"></iframe>"#;
        let found: Vec<String> = urls(&[media]).into_iter().map(|(u, _)| u).collect();
        assert_eq!(found, ["p.jpg", "v.mp4", "f.svg", "/x"]);
    }

    #[test]
    fn a_tag_over_several_lines() {
        let pieces = [
            "<img\n",
            "  src=\"./images/x.png\"\n",
            "  alt=\"a > b\"\n",
            "/>\n",
            "<a href=\"y.md\">\n",
        ];
        let found: Vec<String> = urls(&pieces).into_iter().map(|(u, _)| u).collect();
        assert_eq!(found, ["./images/x.png", "y.md"]);
    }

    #[test]
    fn comments_and_script_text_are_skipped() {
        let html = "<!-- <img src=\"a.png\"> --><script setup>\nimport X from './x.vue'\nconst s = '<img src=\"b.png\">'\n</script><style src=\"@theme/c.css\"></style><img src=\"d.png\">";
        let mut scan = RawScan::default();
        let found = scan.scan(html);
        assert_eq!(found[0], Found::Script(html.find("<script").unwrap()));
        let found: Vec<String> = urls(&[html]).into_iter().map(|(u, _)| u).collect();
        assert_eq!(found, ["@theme/c.css", "d.png"]);
    }

    #[test]
    fn broken_markup_never_panics() {
        for html in [
            "<",
            "<img",
            "<img src",
            "<img src=",
            "<img src=\"",
            "<a href='x",
            "<!--",
            "<script>",
            "</",
            "<img src=\"职责.png\" 职=\"",
            "srcset",
            "<img srcset=\" , ,x 2x,\">",
        ] {
            let _ = RawScan::default().scan(html);
        }
    }
}
