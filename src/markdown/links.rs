//! Where a page's links and images go: `role:` links to the role's page,
//! `.md` links to the rendered page, local files to `assets/`, script URLs
//! disabled, and every target that does not exist under content/ (climbing
//! out with `../` included) reported.

use std::collections::{HashMap, HashSet};

use pulldown_cmark::CowStr;

use super::{clip, State};
use crate::diagnostic::{Code, Diagnostic};
use crate::route::Route;

/// Hint for a link that leaves content/: the site has nothing outside it.
const STAY_INSIDE: &str = "links must stay inside content/: only pages and files under content/ are published, so a path that climbs out with `../` stays broken";

impl<'p> State<'p, '_> {
    pub(super) fn rewrite_url(
        &mut self,
        url: CowStr<'p>,
        offset: usize,
        image: bool,
    ) -> CowStr<'p> {
        let (line, column) = self.positions.at(offset);
        let trimmed = url.trim();
        if let Some(rest) = trimmed.strip_prefix("role:") {
            return self.role_link(rest, line, column);
        }
        let starts = |prefix: &str| {
            trimmed
                .get(..prefix.len())
                .is_some_and(|head| head.eq_ignore_ascii_case(prefix))
        };
        if ["javascript:", "vbscript:", "data:"]
            .iter()
            .any(|s| starts(s))
        {
            self.problem(
                Diagnostic::warning(Code::UnsafeLink, "", format!("link to `{}` was disabled", clip(trimmed)))
                    .at(line, column)
                    .hint("handbook pages may link to other pages, files and web addresses, not run scripts"),
            );
            return CowStr::from("#");
        }
        if has_scheme(trimmed) || trimmed.starts_with("//") {
            if image && (starts("http:") || starts("https:") || trimmed.starts_with("//")) {
                self.problem(
                    Diagnostic::warning(Code::ExternalResource, "", format!("image `{}` is loaded from outside the handbook", clip(trimmed)))
                        .at(line, column)
                        .hint("put the image under content/ and link it with a relative path, so the handbook works offline"),
                );
            }
            return url;
        }
        if let Some(fragment) = trimmed.strip_prefix('#') {
            self.fragments
                .push((percent_decode(fragment), line, column));
            return url;
        }
        if trimmed.is_empty() || trimmed.starts_with('?') {
            return url;
        }
        if trimmed.starts_with('/') {
            self.problem(
                Diagnostic::warning(Code::AbsoluteLink, "", format!("link `{}` starts with `/`", clip(trimmed)))
                    .at(line, column)
                    .hint("use `role:ID` for roles and relative paths for files: a leading `/` breaks under a sub-path and from file://"),
            );
            return url;
        }
        self.local_link(trimmed, line, column)
            .map_or(url, CowStr::from)
    }

    fn role_link(&mut self, rest: &str, line: usize, column: usize) -> CowStr<'p> {
        let (id, anchor) = match rest.split_once('#') {
            Some((id, anchor)) => (id, Some(anchor)),
            None => (rest, None),
        };
        let known = self.targets.roles.contains(id);
        if !known {
            if self.role_names.is_empty() {
                self.role_names = self.targets.roles.iter().copied().collect();
                self.role_names.sort_unstable();
            }
            let hint = match self
                .suggestions
                .closest(format!("role:{id}"), id, &self.role_names)
            {
                Some(best) => format!("did you mean `role:{best}`?"),
                None => "use the `id` of an existing role, e.g. `[Secretary](role:secretary)`"
                    .to_string(),
            };
            self.problem(
                Diagnostic::error(
                    Code::UnknownRoleLink,
                    "",
                    format!("link to unknown role `{}`", clip(id)),
                )
                .at(line, column)
                .hint(hint),
            );
        }
        self.out.role_links.push(super::RoleLink {
            id: id.to_string(),
            // Compared with heading ids, which are not percent-encoded.
            anchor: anchor.map(percent_decode),
            line,
            column,
        });
        if !known {
            // Not a page of the site (and `role:javascript:...` must not become a script URL).
            return CowStr::from("#");
        }
        // In the page's own language: the same folder.
        let mut href = Route::Role {
            lang: &self.page.lang,
            id,
        }
        .href_from(&self.here());
        if let Some(anchor) = anchor {
            href.push('#');
            href.push_str(anchor);
        }
        CowStr::from(href)
    }

    /// Where the page's HTML is shown: its role page (the same HTML serves
    /// as another language's fallback page, one folder over, so links must
    /// not depend on the folder's name).
    fn here(&self) -> Route<'_> {
        Route::Role {
            lang: &self.page.lang,
            id: &self.page.id,
        }
    }

    /// A relative link to another page's `.md` file or to a file under content/.
    fn local_link(&mut self, url: &str, line: usize, column: usize) -> Option<String> {
        let (path, fragment) = match url.find(['#', '?']) {
            Some(i) => (&url[..i], &url[i..]),
            None => (url, ""),
        };
        let Some(resolved) = join_relative(self.folder(), &percent_decode(path)) else {
            self.problem(
                Diagnostic::warning(
                    Code::BrokenLink,
                    "",
                    format!("link target `{}` is outside content/", clip(url)),
                )
                .at(line, column)
                .hint(STAY_INSIDE),
            );
            return None;
        };
        if let Some((id, lang)) = self.targets.pages.get(resolved.as_str()) {
            let href = Route::Role { lang, id }.href_via_root(&self.here());
            return Some(format!("{href}{fragment}"));
        }
        if self.targets.assets.contains(resolved.as_str()) {
            let encoded = percent_encode_path(&resolved);
            let href = Route::Asset { path: &encoded }.href_via_root(&self.here());
            let href = format!("{href}{fragment}");
            self.out.assets.push(resolved);
            return Some(href);
        }
        self.problem(
            Diagnostic::warning(Code::BrokenLink, "", format!("link target `{}` does not exist under content/", clip(url)))
                .at(line, column)
                .hint("fix the path (it is relative to this page's folder), or use `role:ID` to link a role"),
        );
        None
    }

    /// The page's folder, content-relative (`en` for `en/a.md`).
    fn folder(&self) -> &'p str {
        let page: &'p super::Page = self.page;
        page.content_path
            .rsplit_once('/')
            .map_or("", |(dir, _)| dir)
    }

    /// Raw HTML passes through unchanged, but its local `src`/`href` targets
    /// must exist, or the browser requests a missing file. One pass over the
    /// HTML: many attributes in one tag or block stay linear.
    pub(super) fn check_raw_html(&mut self, html: &str, offset: usize) {
        let mut tag = TagTracker::default();
        let mut from = 0;
        for (equals, _) in html.match_indices("=\"") {
            if equals < from {
                continue; // inside the previous value
            }
            let name = &html[..equals];
            if !(name.ends_with("src") || name.ends_with("href")) {
                continue;
            }
            let start = equals + 2;
            let end = html[start..].find('"').map_or(html.len(), |e| start + e);
            from = end;
            if !tag.loads_or_links(html, start) {
                continue;
            }
            self.check_raw_target(&html[start..end], offset + start);
        }
    }

    fn check_raw_target(&mut self, url: &str, offset: usize) {
        if url.is_empty()
            || url.starts_with(['#', '/', '?'])
            || url.starts_with("role:")
            || has_scheme(url)
        {
            return;
        }
        let path = url.split(['#', '?']).next().unwrap_or(url);
        let (message, hint) = match join_relative(self.folder(), &percent_decode(path)) {
            None => ("is outside content/", STAY_INSIDE),
            Some(p) if self.targets.pages.contains_key(p.as_str()) || self.targets.assets.contains(p.as_str()) => return,
            Some(_) => ("does not exist under content/", "fix the path, or remove the HTML; raw HTML is passed through unchanged, so its links are not rewritten"),
        };
        let (line, column) = self.positions.at(offset);
        self.problem(
            Diagnostic::warning(
                Code::BrokenLink,
                "",
                format!("raw HTML refers to `{}`, which {message}", clip(url)),
            )
            .at(line, column)
            .hint(hint),
        );
    }

    pub(super) fn check_fragments(&mut self, html: &str) {
        if self.fragments.is_empty() {
            return;
        }
        // Every id in the page (headings, footnotes, raw HTML), collected once.
        let present: HashSet<&str> = html
            .split(" id=\"")
            .skip(1)
            .filter_map(|rest| rest.split('"').next())
            .collect();
        let ids: Vec<&str> = self.out.headings.iter().map(|h| h.id.as_str()).collect();
        let mut problems = Vec::new();
        for (fragment, line, column) in std::mem::take(&mut self.fragments) {
            if fragment.is_empty() || present.contains(fragment.as_str()) {
                continue;
            }
            let hint = match self
                .suggestions
                .closest(format!("#{fragment}"), &fragment, &ids)
            {
                Some(best) => format!("did you mean `#{best}`?"),
                None => "link to a heading id of this page (`## Title {#id}` sets one)".to_string(),
            };
            problems.push(
                Diagnostic::warning(
                    Code::UnknownAnchor,
                    "",
                    format!(
                        "`#{0}`: this page has no heading with id `{0}`",
                        clip(&fragment)
                    ),
                )
                .at(line, column)
                .hint(hint),
            );
        }
        for d in problems {
            self.problem(d);
        }
    }
}

/// Did-you-mean hints, worked out once per distinct word and only for the
/// first [`SUGGESTIONS`] words of a page: each compares the word with every
/// role or heading id, so thousands of distinct broken links would make a
/// page quadratic.
#[derive(Default)]
pub(super) struct Suggestions {
    seen: HashMap<String, Option<String>>,
}

const SUGGESTIONS: usize = 100;

impl Suggestions {
    fn closest(&mut self, key: String, word: &str, known: &[&str]) -> Option<String> {
        if let Some(best) = self.seen.get(&key) {
            return best.clone();
        }
        if self.seen.len() >= SUGGESTIONS {
            return None;
        }
        let best = crate::diagnostic::did_you_mean(word, known).map(str::to_string);
        self.seen.insert(key, best.clone());
        best
    }
}

/// Which element an attribute belongs to, found by looking back only as far
/// as the previous look-up (a tag with thousands of `src=` stays linear).
#[derive(Default)]
struct TagTracker {
    looked_to: usize,
    loads: bool,
}

impl TagTracker {
    /// Whether the attribute at `offset` belongs to an element that the
    /// browser fetches or navigates (`<code src>` in some dialects does neither).
    fn loads_or_links(&mut self, html: &str, offset: usize) -> bool {
        if let Some(open) = html[self.looked_to..offset].rfind('<') {
            let name = &html[self.looked_to + open + 1..];
            let len = name.bytes().take_while(u8::is_ascii_alphanumeric).count();
            self.loads = LOADING_TAGS
                .iter()
                .any(|t| t.eq_ignore_ascii_case(&name[..len]));
        }
        self.looked_to = offset;
        self.loads
    }
}

const LOADING_TAGS: &[&str] = &[
    "a", "img", "embed", "iframe", "source", "video", "audio", "link", "script", "track", "area",
];

pub(super) fn has_scheme(url: &str) -> bool {
    match url.find(':') {
        Some(i) => {
            let scheme = &url[..i];
            !scheme.is_empty()
                && scheme
                    .chars()
                    .next()
                    .is_some_and(|c| c.is_ascii_alphabetic())
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
        }
        None => false,
    }
}

/// Joins a relative `path` onto folder `base` (both content-relative), or
/// `None` when it climbs out of content/.
pub(super) fn join_relative(base: &str, path: &str) -> Option<String> {
    let mut parts: Vec<&str> = base.split('/').filter(|p| !p.is_empty()).collect();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            p => parts.push(p),
        }
    }
    Some(parts.join("/"))
}

pub(super) fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() && s.is_char_boundary(i + 3) {
            if let Ok(b) = u8::from_str_radix(&s[i + 1..i + 3], 16) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn percent_encode_path(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            ' ' => "%20".to_string(),
            '#' => "%23".to_string(),
            '?' => "%3F".to_string(),
            '%' => "%25".to_string(),
            c => c.to_string(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn climbing_out_of_content_is_none() {
        assert_eq!(
            join_relative("en", "../zh/a.md").as_deref(),
            Some("zh/a.md")
        );
        assert_eq!(join_relative("en", "../../book.toml"), None);
        assert_eq!(join_relative("en", "../en/../../en/a.md"), None);
    }

    #[test]
    fn the_tag_of_each_attribute() {
        let html = "<code src=\"a\"><img src=\"b\" src=\"c\"></code><a href=\"d\">";
        let mut tag = TagTracker::default();
        let found: Vec<bool> = ["\"a", "\"b", "\"c", "\"d"]
            .iter()
            .map(|v| tag.loads_or_links(html, html.find(v).unwrap() + 1))
            .collect();
        assert_eq!(found, [false, true, true, true]);
    }
}
