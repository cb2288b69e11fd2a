//! Where a page's links and images go: `role:` links to the role's page,
//! `.md` links to the rendered page, local files to `assets/`, script URLs
//! disabled, and every target that does not exist under content/ (climbing
//! out with `../` included) reported.

use foldhash::{HashMap, HashSet};

use pulldown_cmark::CowStr;

use super::{clip, State};
use crate::diagnostic::{Code, Diagnostic};
use crate::route::Route;
use paths::{has_scheme, join_relative, percent_decode, percent_encode_path};
use raw::{Found, RawScan};

mod paths;
mod raw;

/// Hint for a link that leaves content/: the site has nothing outside it.
const STAY_INSIDE: &str = "links must stay inside content/: only pages and files under content/ are published, so a path that climbs out with `../` stays broken";

/// How a page names a link to another page in a given language (a `.md`
/// link names the file, so the language is fixed): `<lang>/<id>` in
/// [`super::RoleLink::id`]. Role ids never hold a `/`, so `role:` links
/// (and `.html` links), which follow the reader's language, stay apart.
/// (`check::anchors` reads it back.)
pub fn page_link_id(lang: &str, id: &str) -> String {
    format!("{lang}/{id}")
}

/// Where a link is written: a Markdown link or image, or an attribute of raw HTML.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Written {
    Markdown,
    Raw,
}

impl<'p> State<'p, '_> {
    pub(super) fn rewrite_url(
        &mut self,
        url: CowStr<'p>,
        offset: usize,
        image: bool,
    ) -> CowStr<'p> {
        let (line, column) = self.positions.at(offset);
        match self.resolve(&url, (line, column), image, Written::Markdown) {
            Some(href) => CowStr::from(href),
            None => url,
        }
    }

    /// The href to write for `url`, or `None` to keep it; reports what is
    /// wrong with it at `place`. `loads`: an image, not a link.
    fn resolve(
        &mut self,
        url: &str,
        place: (usize, usize),
        loads: bool,
        written: Written,
    ) -> Option<String> {
        let (line, column) = place;
        let trimmed = url.trim();
        if let Some(rest) = trimmed.strip_prefix("role:") {
            return Some(self.role_link(rest, line, column));
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
            return Some("#".to_string());
        }
        if has_scheme(trimmed) || trimmed.starts_with("//") {
            if loads && (starts("http:") || starts("https:") || trimmed.starts_with("//")) {
                let what = match written {
                    Written::Markdown => "image",
                    Written::Raw => "raw HTML file",
                };
                self.problem(
                    Diagnostic::warning(Code::ExternalResource, "", format!("{what} `{}` is loaded from outside the handbook", clip(trimmed)))
                        .at(line, column)
                        .hint("put the file under content/ and link it with a relative path, so the handbook works offline"),
                );
            }
            return None;
        }
        if let Some(fragment) = trimmed.strip_prefix('#') {
            self.fragments
                .push((percent_decode(fragment), line, column));
            return None;
        }
        if trimmed.is_empty() || trimmed.starts_with('?') {
            return None;
        }
        if trimmed.starts_with('/') {
            self.problem(
                Diagnostic::warning(Code::AbsoluteLink, "", format!("link `{}` starts with `/`", clip(trimmed)))
                    .at(line, column)
                    .hint("use `role:ID` for roles and relative paths for files: a leading `/` breaks under a sub-path and from file://"),
            );
            return None;
        }
        self.local_link(trimmed, line, column, written)
    }

    fn role_link(&mut self, rest: &str, line: usize, column: usize) -> String {
        let (id, anchor) = match rest.split_once('#') {
            Some((id, anchor)) => (id, Some(anchor)),
            None => (rest, None),
        };
        let known = self.targets.roles.contains(id);
        if !known {
            let hint = match self.closest_role(id) {
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
            // Not a page of the site (and `role:javascript:...` must not become a script URL).
            self.push_link(id.to_string(), anchor, line, column);
            return "#".to_string();
        }
        self.push_link(id.to_string(), anchor, line, column);
        self.role_href(id, anchor.map(|a| format!("#{a}")).as_deref().unwrap_or(""))
    }

    /// The role id closest to `id`, for a did-you-mean hint.
    fn closest_role(&mut self, id: &str) -> Option<String> {
        if self.role_names.is_empty() {
            self.role_names = self.targets.roles.iter().copied().collect();
            self.role_names.sort_unstable();
        }
        self.suggestions
            .closest(format!("role:{id}"), id, &self.role_names)
    }

    /// Keeps a link to another page, so its anchor is checked once every
    /// page is rendered.
    fn push_link(&mut self, id: String, anchor: Option<&str>, line: usize, column: usize) {
        self.out.role_links.push(super::RoleLink {
            id,
            // Compared with heading ids, which are not percent-encoded.
            anchor: anchor.map(percent_decode),
            line,
            column,
        });
    }

    /// Role `id`'s page in the reader's language (the same folder as the
    /// page being read, whichever language's page it is shown as), then `rest`.
    fn role_href(&self, id: &str, rest: &str) -> String {
        let mut href = Route::Role {
            lang: &self.page.lang,
            id,
        }
        .href_from(&self.here());
        href.push_str(rest);
        href
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

    /// A relative link to another page's `.md` file, to a file under
    /// content/, or to a role's output page (`ch04.html`, as mdBook books write).
    fn local_link(
        &mut self,
        url: &str,
        line: usize,
        column: usize,
        written: Written,
    ) -> Option<String> {
        let (path, rest) = match url.find(['#', '?']) {
            Some(i) => (&url[..i], &url[i..]),
            None => (url, ""),
        };
        let anchor = rest
            .split_once('#')
            .map(|(_, a)| a)
            .filter(|a| !a.is_empty());
        let Some(resolved) = join_relative(self.folder(), &percent_decode(path)) else {
            let message = match written {
                Written::Markdown => format!("link target `{}` is outside content/", clip(url)),
                Written::Raw => format!(
                    "raw HTML refers to `{}`, which is outside content/",
                    clip(url)
                ),
            };
            self.problem(
                Diagnostic::warning(Code::BrokenLink, "", message)
                    .at(line, column)
                    .hint(STAY_INSIDE),
            );
            return None;
        };
        if let Some((id, lang)) = self.targets.pages.get(resolved.as_str()) {
            let href = Route::Role { lang, id }.href_via_root(&self.here());
            self.push_link(page_link_id(lang, id), anchor, line, column);
            return Some(format!("{href}{rest}"));
        }
        if self.targets.assets.contains(resolved.as_str()) {
            let encoded = percent_encode_path(&resolved);
            let href = Route::Asset { path: &encoded }.href_via_root(&self.here());
            self.out.assets.push(resolved);
            return Some(format!("{href}{rest}"));
        }
        let output_name = path
            .rsplit('/')
            .next()
            .and_then(|f| f.strip_suffix(".html"));
        if let Some(id) = output_name.filter(|id| self.targets.roles.contains(id)) {
            self.push_link(id.to_string(), anchor, line, column);
            return Some(self.role_href(id, rest));
        }
        self.missing_target(url, output_name, written, (line, column));
        None
    }

    /// A `broken-link` warning for `url`, whose target does not exist.
    fn missing_target(
        &mut self,
        url: &str,
        output_name: Option<&str>,
        written: Written,
        (line, column): (usize, usize),
    ) {
        let message = match written {
            Written::Markdown => {
                format!("link target `{}` does not exist under content/", clip(url))
            }
            Written::Raw => format!(
                "raw HTML refers to `{}`, which does not exist under content/",
                clip(url)
            ),
        };
        let hint = match output_name {
            Some(name) => self.output_name_hint(name),
            None => "fix the path (it is relative to this page's folder), or use `role:ID` to link a role".to_string(),
        };
        self.problem(
            Diagnostic::warning(Code::BrokenLink, "", message)
                .at(line, column)
                .hint(hint),
        );
    }

    /// Hint for a link to `name.html` when no role has the id `name`: the
    /// `.md` file the author probably meant.
    fn output_name_hint(&mut self, name: &str) -> String {
        let file = format!("{name}.md");
        if let Some(path) = join_relative(self.folder(), &file) {
            if let Some((id, _)) = self.targets.pages.get(path.as_str()) {
                return format!(
                    "no role has the id `{name}`: link the page's file, `{file}` (or `role:{id}`)"
                );
            }
        }
        match self.closest_role(name) {
            Some(best) => {
                let (lang, folder, pages) =
                    (self.page.lang.as_str(), self.folder(), self.targets.pages);
                // The file of role `best` in this language: a scan, so
                // worked out once per role and only for a page's first hints.
                let file = self
                    .suggestions
                    .remember(format!("file:{best}"), || {
                        let (path, _) = pages
                            .iter()
                            .find(|(_, (id, l))| *id == best && *l == lang)?;
                        let local = path.strip_prefix(folder).and_then(|p| p.strip_prefix('/'));
                        Some(local.unwrap_or(path).to_string())
                    })
                    .unwrap_or_else(|| format!("role:{best}"));
                format!("no role has the id `{name}`: did you mean `{file}` (`role:{best}`)? Link a page by its `.md` file or by `role:ID`")
            }
            None => format!(
                "no role has the id `{name}`: link a page by its `.md` file, or by `role:ID`"
            ),
        }
    }

    /// The page's folder, content-relative (`en` for `en/a.md`).
    fn folder(&self) -> &'p str {
        let page: &'p super::Page = self.page;
        page.content_path
            .rsplit_once('/')
            .map_or("", |(dir, _)| dir)
    }

    /// Raw HTML with its `src`/`href`/`srcset` rewritten like Markdown links
    /// (files copied to assets/, `.md` and `role:` links to pages), the rest
    /// byte for byte. For `Event::Html` in `State::event`.
    pub(super) fn rewrite_raw_html(&mut self, html: CowStr<'p>, offset: usize) -> CowStr<'p> {
        match self.raw_html(&html, offset) {
            Some(rewritten) => CowStr::from(rewritten),
            None => html,
        }
    }

    /// One pass over a piece of raw HTML: each URL resolved and reported;
    /// the rewritten HTML when some URL changed.
    fn raw_html(&mut self, html: &str, offset: usize) -> Option<String> {
        self.follow_raw_scan(offset, html.len());
        let found = self.suggestions.raw.scan(html);
        let mut out: Option<String> = None;
        let mut copied = 0;
        for found in found {
            let (range, loads) = match found {
                Found::Script(at) => {
                    self.raw_script(offset + at);
                    continue;
                }
                Found::Url { range, loads } => (range, loads),
            };
            let url = html_escape::decode_html_entities(&html[range.clone()]).into_owned();
            let place = self.positions.at(offset + range.start);
            let Some(href) = self.resolve(&url, place, loads, Written::Raw) else {
                continue;
            };
            let out = out.get_or_insert_with(|| String::with_capacity(html.len() + 64));
            out.push_str(&html[copied..range.start]);
            out.push_str(&html_escape::encode_double_quoted_attribute(&href));
            copied = range.end;
        }
        let mut out = out?;
        out.push_str(&html[copied..]);
        Some(out)
    }

    /// Starts the raw-HTML scan afresh unless this piece continues the
    /// previous one (the next line of one HTML block).
    fn follow_raw_scan(&mut self, offset: usize, len: usize) {
        let memory = &mut self.suggestions;
        let between = self.text.get(memory.raw_end..offset);
        let continues =
            between.is_some_and(|gap| gap.chars().all(|c| c.is_whitespace() || c == '>'));
        if !continues {
            memory.raw.reset();
        }
        memory.raw_end = offset + len;
    }

    fn raw_script(&mut self, offset: usize) {
        let (line, column) = self.positions.at(offset);
        self.problem(
            Diagnostic::warning(Code::RawScript, "", "raw `<script>` in the page: it runs in every reader's browser")
                .at(line, column)
                .hint("remove it (a component framework's `<script setup>` only throws errors here), or set `allow_html = false` under [build] to show raw HTML as text"),
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

/// What the link pass keeps from one event to the next: did-you-mean hints,
/// worked out once per distinct word and only for the first [`SUGGESTIONS`]
/// words of a page (each compares the word with every role or heading id,
/// so thousands of distinct broken links would make a page quadratic), and
/// where the scan of raw HTML stands.
#[derive(Default)]
pub(super) struct LinkMemory {
    seen: HashMap<String, Option<String>>,
    raw: RawScan,
    /// Where the last piece of raw HTML ended in the parsed text.
    raw_end: usize,
}

/// The name `State` knows [`LinkMemory`] by.
pub(super) type Suggestions = LinkMemory;

const SUGGESTIONS: usize = 100;

impl LinkMemory {
    fn closest(&mut self, key: String, word: &str, known: &[&str]) -> Option<String> {
        self.remember(key, || {
            crate::diagnostic::did_you_mean(word, known).map(str::to_string)
        })
    }

    /// What `work` gives for `key`, worked out on first need (and not at
    /// all past [`SUGGESTIONS`] keys).
    fn remember(&mut self, key: String, work: impl FnOnce() -> Option<String>) -> Option<String> {
        if let Some(known) = self.seen.get(&key) {
            return known.clone();
        }
        if self.seen.len() >= SUGGESTIONS {
            return None;
        }
        let found = work();
        self.seen.insert(key, found.clone());
        found
    }
}
