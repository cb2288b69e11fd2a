//! Pages combined into one HTML document: the side-by-side view today, print
//! books and comparisons later. Each page keeps its own ids under a prefix of
//! its own (`en--duties`, `zh--duties`), so no id repeats in the document and
//! every in-page link (`href="#duties"`, a footnote, a `<label for>`) still
//! leads into the page it was written in.
//!
//! Works on rendered HTML, after the Markdown stage: a page mixes rolebook's
//! ids (headings, footnotes) with the author's raw HTML (`<a id="old-name">`),
//! and all of them must move together. Links to other pages can follow too:
//! the caller says where a linked page now is and which prefix its ids got
//! there ([`Combined::add_linked`]). One scan over the tags, linear in the
//! HTML; only attribute values change, so a position in a page's HTML (where
//! a section starts) maps to the renamed HTML ([`Renamed::range`]).
//!
//! The theme's own ids (`rb:main`) hold a `:`, which no prefixed id does
//! (prefixes are language keys or role ids and `--`), so they never collide.

use foldhash::{HashMap, HashSet};
use std::borrow::Cow;
use std::ops::Range;

/// Where a page's HTML names or points at ids, and which roles its links
/// lead to: found once per page and reused by every document the page is
/// combined into (a role's page is in two side-by-side pages and two print
/// books).
#[derive(Debug)]
pub struct Scan {
    mentions: Vec<Mention>,
    /// Per mention: whether its element claims the id (an `id`, or a
    /// `name` that no element of the page has as its id).
    claims: Vec<bool>,
}

impl Scan {
    /// The scan of `html`, whose links lead to the roles `resolve` says.
    pub fn of(html: &str, resolve: &Resolve) -> Scan {
        let mut mentions = mentions(html);
        for m in mentions.iter_mut().filter(|m| m.kind == Kind::Link) {
            let url = &html[m.range.clone()];
            let path = memchr::memchr(b'#', url.as_bytes()).map_or(url, |hash| &url[..hash]);
            m.role = resolve(path)
                .and_then(|r| u32::try_from(r).ok())
                .unwrap_or(NO_ROLE);
        }
        let ids: HashSet<Cow<str>> = mentions
            .iter()
            .filter(|m| m.kind == Kind::Id)
            .map(|m| m.value(html))
            .collect();
        let claims = mentions
            .iter()
            .map(|m| match m.kind {
                Kind::Id => true,
                Kind::Name => !ids.contains(&m.value(html)),
                Kind::Ref | Kind::Link => false,
            })
            .collect();
        Scan { mentions, claims }
    }
}

/// The ids taken so far in one combined document.
#[derive(Debug, Default)]
pub struct Combined {
    taken: HashSet<String>,
    /// Next `-N` suffix to try per wanted id (keeps many equal ids linear).
    next_suffix: HashMap<String, usize>,
}

/// One page's HTML with its ids renamed for the combined document.
#[derive(Debug)]
pub struct Renamed {
    pub html: String,
    /// (old position of an edit, bytes added by it and every edit before), in order.
    moves: Vec<(usize, isize)>,
}

impl Renamed {
    /// Where position `at` of the page's HTML, outside any attribute value
    /// (such as where a tag starts), is in the renamed HTML.
    pub fn position(&self, at: usize) -> usize {
        let before = self.moves.partition_point(|(p, _)| *p < at);
        let moved = before.checked_sub(1).map_or(0, |i| self.moves[i].1);
        at.saturating_add_signed(moved)
    }

    /// The part of the renamed HTML that was `range` of the page's HTML.
    pub fn range(&self, range: Range<usize>) -> &str {
        &self.html[self.position(range.start)..self.position(range.end)]
    }
}

impl Renamed {
    /// `html` as it is, for a document whose ids are not renamed.
    pub fn as_is(html: &str) -> Renamed {
        Renamed {
            html: html.to_string(),
            moves: Vec::new(),
        }
    }
}

impl Combined {
    /// Adds a page to the document: every id of `html` gets `prefix` (plain
    /// ASCII, such as `en--`) and, if the result is taken already, a `-N`
    /// suffix; every reference to one of the page's ids follows it.
    /// References to ids the page does not have (`#top`, a broken link) are
    /// left as they are.
    pub fn add(&mut self, html: &str, prefix: &str) -> Renamed {
        self.add_linked(html, prefix, &|_| None, &|_, _| None)
    }

    /// [`Combined::add`], and links to other roles' pages
    /// (`lead.html#duties`) changed by `elsewhere`: `resolve` tells which
    /// role a link's URL before its `#` leads to (if any); given that role
    /// and the fragment after the `#` (as written; `None` without a `#`),
    /// `elsewhere` returns the whole URL to use instead, or `None` to leave
    /// the link alone. [`prefixed`] makes the usual answer.
    pub fn add_linked(
        &mut self,
        html: &str,
        prefix: &str,
        resolve: &Resolve,
        elsewhere: &Elsewhere,
    ) -> Renamed {
        self.add_scanned(html, &Scan::of(html, resolve), prefix, elsewhere)
    }

    /// [`Combined::add_linked`] with `html`'s [`Scan`] made already.
    pub fn add_scanned(
        &mut self,
        html: &str,
        scan: &Scan,
        prefix: &str,
        elsewhere: &Elsewhere,
    ) -> Renamed {
        let found = &scan.mentions;
        let values: Vec<Cow<str>> = found.iter().map(|m| m.value(html)).collect();
        // Every element claims its id first, in order; references follow
        // the first element with their id.
        let mut first: HashMap<&str, String> = HashMap::default();
        let claimed: Vec<Option<String>> = scan
            .claims
            .iter()
            .zip(&values)
            .map(|(&claims, value)| {
                claims.then(|| {
                    let suffix = self.claim([prefix, value].concat());
                    first
                        .entry(value.as_ref())
                        .or_insert_with(|| suffix.clone());
                    suffix
                })
            })
            .collect();
        let mut edits: Vec<(Range<usize>, Cow<str>)> = Vec::new();
        for ((m, value), claimed) in found.iter().zip(&values).zip(claimed) {
            if m.kind == Kind::Link {
                if m.role != NO_ROLE {
                    link_edits(
                        html,
                        m.range.clone(),
                        m.role as usize,
                        elsewhere,
                        &mut edits,
                    );
                }
                continue;
            }
            let Some(suffix) = claimed.or_else(|| first.get(value.as_ref()).cloned()) else {
                continue;
            };
            edits.push((m.range.start..m.range.start, Cow::Borrowed(prefix)));
            if !suffix.is_empty() {
                edits.push((m.range.end..m.range.end, Cow::Owned(suffix)));
            }
        }
        let (html, moves) = edit(html, &edits);
        Renamed { html, moves }
    }

    /// Takes `wanted` or the first free `wanted-N`; returns the suffix used.
    fn claim(&mut self, wanted: String) -> String {
        if !self.taken.contains(&wanted) {
            self.taken.insert(wanted);
            return String::new();
        }
        let next = self.next_suffix.entry(wanted.clone()).or_insert(1);
        loop {
            let suffix = format!("-{next}");
            *next += 1;
            if self.taken.insert(format!("{wanted}{suffix}")) {
                return suffix;
            }
        }
    }
}

/// Which role (by position) a link's URL before its `#` leads to: see
/// [`Combined::add_linked`].
pub type Resolve<'r> = dyn Fn(&str) -> Option<usize> + 'r;

/// Where a link to a role (by position) leads in the combined document:
/// see [`Combined::add_linked`].
pub type Elsewhere<'e> = dyn Fn(usize, Option<&str>) -> Option<String> + 'e;

/// The URL of a link that now leads to `page`, whose ids have `prefix`
/// there: the fragment (if any) gets the prefix.
pub fn prefixed(page: &str, fragment: Option<&str>, prefix: &str) -> String {
    match fragment {
        Some(fragment) if !fragment.is_empty() => [page, "#", prefix, fragment].concat(),
        Some(_) => [page, "#"].concat(),
        None => page.to_string(),
    }
}

/// The edit that makes the link at `range` (`page.html#x`), which leads to
/// role number `role`, follow `elsewhere`.
fn link_edits(
    html: &str,
    range: Range<usize>,
    role: usize,
    elsewhere: &Elsewhere,
    edits: &mut Vec<(Range<usize>, Cow<str>)>,
) {
    let url = &html[range.clone()];
    let fragment = memchr::memchr(b'#', url.as_bytes()).map(|hash| &url[hash + 1..]);
    if let Some(new) = elsewhere(role, fragment).filter(|new| new != url) {
        edits.push((range, Cow::Owned(new)));
    }
}

/// `html` with each `(range, text)` edit made (ranges ascending, apart), and
/// the running total of bytes each edit and those before it added.
fn edit(html: &str, edits: &[(Range<usize>, Cow<str>)]) -> (String, Vec<(usize, isize)>) {
    let mut out =
        String::with_capacity(html.len() + edits.iter().map(|(_, t)| t.len()).sum::<usize>());
    let mut moves = Vec::with_capacity(edits.len());
    let (mut copied, mut total) = (0, 0isize);
    for (range, text) in edits {
        out.push_str(&html[copied..range.start]);
        out.push_str(text);
        copied = range.end;
        total += text.len() as isize - range.len() as isize;
        moves.push((range.start, total));
    }
    out.push_str(&html[copied..]);
    (out, moves)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// `id="x"`: an element's id.
    Id,
    /// `<a name="x">`: an old-style anchor; an id when no element has it as id.
    Name,
    /// `href="#x"`, `for="x"`, `url(#x)`: points at an id.
    Ref,
    /// `href="page.html#x"`: a link to another page (the whole URL).
    Link,
}

/// An attribute value, or a word of one, that is or names an id.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Mention {
    kind: Kind,
    /// The id as written (entities, and `%XX` in URLs, not decoded).
    range: Range<usize>,
    /// Part of a URL: `%XX` escapes are decoded before comparing.
    url: bool,
    /// Whether the id as written holds anything to decode (found once per
    /// page: a page's mentions are read again for every document it is in).
    escaped: bool,
    /// A link's role (see [`Scan::of`]), [`NO_ROLE`] for none.
    role: u32,
}

/// [`Mention::role`] of a mention that leads to no role.
const NO_ROLE: u32 = u32::MAX;

impl Mention {
    fn new(html: &str, kind: Kind, range: Range<usize>, url: bool) -> Mention {
        let raw = html[range.clone()].as_bytes();
        let escaped = match url {
            true => memchr::memchr2(b'&', b'%', raw).is_some(),
            false => memchr::memchr(b'&', raw).is_some(),
        };
        Mention {
            kind,
            range,
            url,
            escaped,
            role: NO_ROLE,
        }
    }

    fn value<'h>(&self, html: &'h str) -> Cow<'h, str> {
        let raw = &html[self.range.clone()];
        match self.escaped {
            true => decode(raw, self.url),
            false => Cow::Borrowed(raw),
        }
    }
}

/// Every id and id reference in the attributes of `html`'s tags, in order.
/// Comments are skipped, and so is the text of `script`, `style`,
/// `textarea` and `title` (which may hold a `<` that starts no tag).
fn mentions(html: &str) -> Vec<Mention> {
    let bytes = html.as_bytes();
    let mut found = Vec::new();
    let mut i = 0;
    while let Some(lt) = memchr::memchr(b'<', &bytes[i..]).map(|lt| i + lt) {
        let next = bytes.get(lt + 1).copied().unwrap_or(b' ');
        if bytes[lt..].starts_with(b"<!--") {
            i = memchr::memmem::find(&bytes[lt + 4..], b"-->")
                .map_or(html.len(), |e| lt + 4 + e + 3);
        } else if matches!(next, b'!' | b'?' | b'/') {
            i = memchr::memchr(b'>', &bytes[lt..]).map_or(html.len(), |e| lt + e + 1);
        } else if next.is_ascii_alphabetic() {
            let name_end = skip_while(bytes, lt + 1, |b| {
                b.is_ascii_alphanumeric() || b == b'-' || b == b':'
            });
            let tag = &html[lt + 1..name_end];
            i = attributes(html, name_end, tag, &mut found);
            if RAW_TEXT.iter().any(|raw| tag.eq_ignore_ascii_case(raw)) {
                i = raw_text_end(html, i, tag);
            }
        } else {
            i = lt + 1;
        }
    }
    found
}

/// Elements whose text is raw: a `<` in it starts no tag.
const RAW_TEXT: [&str; 4] = ["script", "style", "textarea", "title"];

/// The first position from `at` whose byte is not `keep` (or the end).
fn skip_while(bytes: &[u8], at: usize, keep: impl Fn(u8) -> bool) -> usize {
    bytes[at.min(bytes.len())..]
        .iter()
        .position(|&b| !keep(b))
        .map_or(bytes.len(), |n| at + n)
}

/// Where the raw text of element `tag` that starts at `from` ends.
fn raw_text_end(html: &str, from: usize, tag: &str) -> usize {
    let bytes = html.as_bytes();
    let mut at = from;
    while let Some(close) = memchr::memmem::find(&bytes[at..], b"</").map(|c| at + c) {
        let name = bytes.get(close + 2..close + 2 + tag.len()).unwrap_or(b"");
        if name.eq_ignore_ascii_case(tag.as_bytes()) {
            return close;
        }
        at = close + 2;
    }
    html.len()
}

/// Reads the attributes of a start tag from `at` (just after its name) to
/// its `>`, noting the ids they mention; returns where the tag ends.
fn attributes(html: &str, mut at: usize, tag: &str, found: &mut Vec<Mention>) -> usize {
    let bytes = html.as_bytes();
    let a = tag.eq_ignore_ascii_case("a");
    // Attribute names are compared in lower case, without allocating: no
    // name that matters is longer than this.
    let mut lower = [0u8; 24];
    loop {
        at = skip_while(bytes, at, |b| b.is_ascii_whitespace() || b == b'/');
        if at >= bytes.len() || bytes[at] == b'>' {
            return (at + 1).min(bytes.len());
        }
        let name_start = at;
        at = skip_while(bytes, at, |b| {
            !(b.is_ascii_whitespace() || matches!(b, b'=' | b'>' | b'/'))
        });
        let raw = &bytes[name_start..at];
        let name = match lower.get_mut(..raw.len()) {
            Some(name) => {
                name.copy_from_slice(raw);
                name.make_ascii_lowercase();
                std::str::from_utf8(name).unwrap_or("")
            }
            None => "",
        };
        at = skip_while(bytes, at, |b| b.is_ascii_whitespace());
        if bytes.get(at) != Some(&b'=') {
            continue;
        }
        at = skip_while(bytes, at + 1, |b| b.is_ascii_whitespace());
        let value = match bytes.get(at) {
            Some(&quote @ (b'"' | b'\'')) => {
                let start = at + 1;
                at = memchr::memchr(quote, &bytes[start..]).map_or(html.len(), |e| start + e);
                let value = start..at;
                at = (at + 1).min(bytes.len());
                value
            }
            _ => {
                let start = at;
                at = skip_while(bytes, at, |b| !(b.is_ascii_whitespace() || b == b'>'));
                start..at
            }
        };
        classify(html, a, name, value, found);
    }
}

/// Attributes whose value is one id, or several separated by spaces.
const ID_LISTS: &[&str] = &[
    "for",
    "form",
    "list",
    "headers",
    "popovertarget",
    "commandfor",
    "aria-activedescendant",
    "aria-controls",
    "aria-describedby",
    "aria-details",
    "aria-errormessage",
    "aria-flowto",
    "aria-labelledby",
    "aria-owns",
];

/// Notes what attribute `name` (of an `a` element when `a`), with its value at `value`, says about ids.
fn classify(html: &str, a: bool, name: &str, value: Range<usize>, found: &mut Vec<Mention>) {
    let text = &html[value.clone()];
    let mention = |kind, range, url| Mention::new(html, kind, range, url);
    match name {
        _ if text.is_empty() => {}
        "id" => found.push(mention(Kind::Id, value, false)),
        "name" if a => found.push(mention(Kind::Name, value, false)),
        "href" | "xlink:href" | "usemap" => {
            if !text.starts_with('#') {
                found.push(mention(Kind::Link, value, true));
            } else if text.len() > 1 {
                found.push(mention(Kind::Ref, value.start + 1..value.end, true));
            }
        }
        _ if ID_LISTS.contains(&name) => {
            let mut at = value.start;
            for word in text.split(|c: char| c.is_ascii_whitespace()) {
                if !word.is_empty() {
                    found.push(mention(Kind::Ref, at..at + word.len(), false));
                }
                at += word.len() + 1;
            }
        }
        // SVG paint and clip references: `fill="url(#gradient)"`, `style`.
        _ => {
            let mut rest = value.start;
            while let Some(u) = html[rest..value.end].find("url(#").map(|u| rest + u + 5) {
                let end = html[u..value.end]
                    .find([')', '\'', '"', '&'])
                    .map_or(value.end, |e| u + e);
                if end > u {
                    found.push(mention(Kind::Ref, u..end, true));
                }
                rest = end;
            }
        }
    }
}

/// An attribute value as the browser reads it: character references
/// decoded, and `%XX` escapes in URLs.
fn decode(raw: &str, url: bool) -> Cow<'_, str> {
    let mut text = Cow::Borrowed(raw);
    if raw.contains('&') {
        text = Cow::Owned(decode_entities(raw));
    }
    if url && text.contains('%') {
        text = Cow::Owned(decode_percent(&text));
    }
    text
}

fn decode_entities(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut rest = raw;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let decoded = rest.find(';').filter(|&e| e <= 10).and_then(|end| {
            let c = match &rest[1..end] {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                n if n.starts_with("#x") || n.starts_with("#X") => u32::from_str_radix(&n[2..], 16)
                    .ok()
                    .and_then(char::from_u32),
                n if n.starts_with('#') => n[1..].parse().ok().and_then(char::from_u32),
                _ => None,
            };
            c.map(|c| (c, end + 1))
        });
        match decoded {
            Some((c, len)) => {
                out.push(c);
                rest = &rest[len..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

fn decode_percent(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = (bytes[i] == b'%')
            .then(|| text.get(i + 1..i + 3))
            .flatten()
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match hex {
            Some(b) => {
                out.push(b);
                i += 3;
            }
            None => {
                out.push(bytes[i]);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests;
