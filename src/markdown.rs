//! Markdown to HTML for one page, with the handbook's own passes.
//!
//! Fifth stage. One pulldown-cmark parse per page that, on the way:
//! gives every heading a stable id (an explicit `{#id}` wins, else a slug that
//! keeps CJK characters), rewrites `role:ID#anchor` links to the role's page in
//! the same language, turns links to other `.md` pages and to local files into
//! working relative URLs, neutralises `javascript:`/`data:` URLs, escapes raw
//! HTML when the handbook forbids it, and spots `**注意：**正文`-style emphasis
//! that CommonMark silently drops. Problems come back as diagnostics.

use std::collections::{HashMap, HashSet};

use pulldown_cmark::{CowStr, Event, Options, Parser, Tag, TagEnd};

use crate::diagnostic::{Diagnostic, LineIndex};
use crate::frontmatter::Page;

/// A heading of a rendered page.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Heading {
    pub level: u8,
    pub id: String,
    pub text: String,
    /// Whether the id was written by the author (`{#duties}`).
    pub explicit: bool,
}

/// A part of a page: from one level-1/2 heading to the next. Sections pair
/// across languages (by explicit heading id, then by order) for the
/// side-by-side view, and are the unit of search results (their text is
/// taken from the HTML when the index is written, see `search`).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Section {
    /// Heading id; `None` for the text before the first heading.
    pub id: Option<String>,
    /// Whether the id was written by the author (`{#duties}`).
    pub explicit: bool,
    pub heading: String,
    /// Where this section's HTML sits in [`RenderedPage::html`].
    #[serde(skip)]
    pub html_range: std::ops::Range<usize>,
}

/// A `role:` link, kept so anchors can be checked once every page is rendered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoleLink {
    pub id: String,
    pub anchor: Option<String>,
    pub line: usize,
    pub column: usize,
}

/// One page's HTML and what was learnt while rendering it.
#[derive(Debug, Clone, Default)]
pub struct RenderedPage {
    pub html: String,
    pub headings: Vec<Heading>,
    pub sections: Vec<Section>,
    pub role_links: Vec<RoleLink>,
    /// Files under content/ this page uses (content-relative paths).
    pub assets: Vec<String>,
    pub problems: Vec<Diagnostic>,
}

/// What a page's links can point at.
pub struct LinkTargets<'a> {
    /// Known role ids.
    pub roles: &'a HashSet<&'a str>,
    /// Content-relative path of each page -> (id, lang).
    pub pages: &'a HashMap<&'a str, (&'a str, &'a str)>,
    /// Content-relative paths of non-Markdown files.
    pub assets: &'a HashSet<&'a str>,
    pub allow_html: bool,
}

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
}

/// Renders `page`'s body. Output pages all live one folder deep
/// (`<lang>/<id>.html`), so the rewritten URLs are the same for every language.
pub fn render(page: &Page, targets: &LinkTargets) -> RenderedPage {
    let mut state = State {
        page,
        targets,
        out: RenderedPage::default(),
        used_ids: HashSet::new(),
        next_suffix: HashMap::new(),
        fragments: Vec::new(),
        lines: LineIndex::new(&page.body),
    };
    // Roughly one event per 12 bytes of Markdown: one allocation, not a dozen regrowths.
    let mut events: Vec<Event> = Vec::with_capacity(page.body.len() / 12 + 16);
    let mut heading_start: Option<usize> = None;
    for (event, range) in Parser::new_ext(&page.body, options()).into_offset_iter() {
        let event = match event {
            Event::Start(Tag::Heading { .. }) => {
                heading_start = Some(events.len());
                event
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some(start) = heading_start.take() {
                    state.finish_heading(&mut events, start);
                }
                event
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let dest_url = state.rewrite_url(dest_url, range.start, false);
                Event::Start(Tag::Link {
                    link_type,
                    dest_url,
                    title,
                    id,
                })
            }
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let dest_url = state.rewrite_url(dest_url, range.start, true);
                Event::Start(Tag::Image {
                    link_type,
                    dest_url,
                    title,
                    id,
                })
            }
            Event::Html(html) | Event::InlineHtml(html) if !targets.allow_html => Event::Text(html),
            Event::Html(html) | Event::InlineHtml(html) => {
                state.check_raw_html(&html, range.start);
                Event::Html(html)
            }
            Event::Text(text) => {
                state.check_dropped_emphasis(range.clone());
                Event::Text(text)
            }
            other => other,
        };
        events.push(event);
    }
    if page.body.trim().is_empty() {
        state.out.problems.push(
            Diagnostic::warning(
                "empty-body",
                &page.file,
                "the page has no text after the front matter",
            )
            // On the closing `---`: the line after it may not exist.
            .at(page.body_line.saturating_sub(1), 1)
            .hint("write the role's description below the closing `---`"),
        );
    }
    let (html, sections) = render_sections(events, &state.out.headings, page.body.len());
    state.check_fragments(&html);
    state.out.html = html;
    state.out.sections = sections;
    state.out
}

/// Renders `events` to HTML, cut into sections at level-1 and level-2 headings.
fn render_sections(
    events: Vec<Event>,
    headings: &[Heading],
    size: usize,
) -> (String, Vec<Section>) {
    // First where each section starts (an index into `events`), then the
    // HTML of each section straight from `events`, without copying them.
    let mut sections = vec![Section::default()];
    let mut starts = vec![0];
    let headings_at = events.iter().enumerate().filter_map(|(i, e)| match e {
        Event::Start(Tag::Heading { level, .. }) => Some((i, *level)),
        _ => None,
    });
    for ((i, level), heading) in headings_at.zip(headings) {
        if level <= pulldown_cmark::HeadingLevel::H2 {
            starts.push(i);
            sections.push(Section {
                id: Some(heading.id.clone()),
                explicit: heading.explicit,
                heading: heading.text.clone(),
                ..Section::default()
            });
        }
    }
    starts.push(events.len());
    let mut html = String::with_capacity(size * 3 / 2);
    let mut events = events.into_iter();
    for (section, bounds) in sections.iter_mut().zip(starts.windows(2)) {
        let start = html.len();
        pulldown_cmark::html::push_html(&mut html, events.by_ref().take(bounds[1] - bounds[0]));
        section.html_range = start..html.len();
    }
    html.shrink_to_fit();
    // Drop an empty lead-in (a page that starts with a heading).
    if sections.len() > 1 && sections[0].html_range.is_empty() {
        sections.remove(0);
    }
    (html, sections)
}

struct State<'p, 't> {
    page: &'p Page,
    targets: &'t LinkTargets<'t>,
    out: RenderedPage,
    used_ids: HashSet<String>,
    /// Next `-N` suffix to try per wanted heading id (keeps many equal headings linear).
    next_suffix: HashMap<String, usize>,
    /// In-page `#fragment` links, checked once the whole page is rendered.
    fragments: Vec<(String, usize, usize)>,
    lines: LineIndex,
}

impl<'p> State<'p, '_> {
    fn position(&self, offset: usize) -> (usize, usize) {
        let (line, column) = self.lines.line_col(&self.page.body, offset);
        (line + self.page.body_line - 1, column)
    }

    fn finish_heading(&mut self, events: &mut [Event<'p>], start: usize) {
        let text: String = events[start + 1..]
            .iter()
            .filter_map(|e| match e {
                Event::Text(t) | Event::Code(t) => Some(t.as_ref()),
                _ => None,
            })
            .collect();
        let Event::Start(Tag::Heading {
            level,
            id,
            classes,
            attrs,
        }) = &events[start]
        else {
            return;
        };
        let id_written = id.is_some();
        let wanted = id.as_ref().map_or_else(|| slug(&text), |id| id.to_string());
        let id = unique(wanted, &mut self.used_ids, &mut self.next_suffix);
        self.out.headings.push(Heading {
            level: *level as u8,
            id: id.clone(),
            text: text.trim().to_string(),
            explicit: id_written,
        });
        events[start] = Event::Start(Tag::Heading {
            level: *level,
            id: Some(CowStr::from(id)),
            classes: classes.clone(),
            attrs: attrs.clone(),
        });
    }

    fn rewrite_url(&mut self, url: CowStr<'p>, offset: usize, image: bool) -> CowStr<'p> {
        let (line, column) = self.position(offset);
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
                Diagnostic::warning("unsafe-link", "", format!("link to `{}` was disabled", clip(trimmed)))
                    .at(line, column)
                    .hint("handbook pages may link to other pages, files and web addresses, not run scripts"),
            );
            return CowStr::from("#");
        }
        if has_scheme(trimmed) || trimmed.starts_with("//") {
            if image && (starts("http:") || starts("https:") || trimmed.starts_with("//")) {
                self.problem(
                    Diagnostic::warning("external-resource", "", format!("image `{}` is loaded from outside the handbook", clip(trimmed)))
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
                Diagnostic::warning("absolute-link", "", format!("link `{}` starts with `/`", clip(trimmed)))
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
        if !self.targets.roles.contains(id) {
            let known: Vec<&str> = self.targets.roles.iter().copied().collect();
            let hint = match crate::frontmatter::did_you_mean(id, &known) {
                Some(best) => format!("did you mean `role:{best}`?"),
                None => "use the `id` of an existing role, e.g. `[Secretary](role:secretary)`"
                    .to_string(),
            };
            self.problem(
                Diagnostic::error(
                    "unknown-role-link",
                    "",
                    format!("link to unknown role `{id}`"),
                )
                .at(line, column)
                .hint(hint),
            );
        }
        self.out.role_links.push(RoleLink {
            id: id.to_string(),
            // Compared with heading ids, which are not percent-encoded.
            anchor: anchor.map(percent_decode),
            line,
            column,
        });
        if !self.targets.roles.contains(id) {
            // Not a page of the site (and `role:javascript:...` must not become a script URL).
            return CowStr::from("#");
        }
        let mut href = format!("{id}.html");
        if let Some(anchor) = anchor {
            href.push('#');
            href.push_str(anchor);
        }
        CowStr::from(href)
    }

    /// A relative link to another page's `.md` file or to a file under content/.
    fn local_link(&mut self, url: &str, line: usize, column: usize) -> Option<String> {
        let (path, fragment) = match url.find(['#', '?']) {
            Some(i) => (&url[..i], &url[i..]),
            None => (url, ""),
        };
        let decoded = percent_decode(path);
        let base = self
            .page
            .content_path
            .rsplit_once('/')
            .map_or("", |(dir, _)| dir);
        let resolved = join_relative(base, &decoded)?;
        if let Some((id, lang)) = self.targets.pages.get(resolved.as_str()) {
            return Some(format!("../{lang}/{id}.html{fragment}"));
        }
        if self.targets.assets.contains(resolved.as_str()) {
            let href = format!("../assets/{}{fragment}", percent_encode_path(&resolved));
            self.out.assets.push(resolved);
            return Some(href);
        }
        self.problem(
            Diagnostic::warning("broken-link", "", format!("link target `{}` does not exist under content/", clip(url)))
                .at(line, column)
                .hint("fix the path (it is relative to this page's folder), or use `role:ID` to link a role"),
        );
        None
    }

    fn check_fragments(&mut self, html: &str) {
        if self.fragments.is_empty() {
            return;
        }
        // Every id in the page (headings, footnotes, raw HTML), collected once.
        let present: HashSet<&str> = html
            .split(" id=\"")
            .skip(1)
            .filter_map(|rest| rest.split('"').next())
            .collect();
        for (fragment, line, column) in std::mem::take(&mut self.fragments) {
            if fragment.is_empty() || present.contains(fragment.as_str()) {
                continue;
            }
            let ids: Vec<&str> = self.out.headings.iter().map(|h| h.id.as_str()).collect();
            let hint = match crate::frontmatter::did_you_mean(&fragment, &ids) {
                Some(best) => format!("did you mean `#{best}`?"),
                None => "link to a heading id of this page (`## Title {#id}` sets one)".to_string(),
            };
            self.problem(
                Diagnostic::warning(
                    "unknown-anchor",
                    "",
                    format!("`#{fragment}`: this page has no heading with id `{fragment}`"),
                )
                .at(line, column)
                .hint(hint),
            );
        }
    }

    /// Raw HTML passes through unchanged, but its local `src`/`href` targets
    /// must exist, or the browser requests a missing file.
    fn check_raw_html(&mut self, html: &str, offset: usize) {
        for attr in ["src=\"", "href=\""] {
            let mut from = 0;
            while let Some(i) = html[from..].find(attr) {
                let start = from + i + attr.len();
                let end = html[start..].find('"').map_or(html.len(), |e| start + e);
                from = end;
                let url = &html[start..end];
                if !loads_or_links(html, start) {
                    continue;
                }
                if url.is_empty()
                    || url.starts_with(['#', '/', '?'])
                    || url.starts_with("role:")
                    || has_scheme(url)
                {
                    continue;
                }
                let path = url.split(['#', '?']).next().unwrap_or(url);
                let base = self
                    .page
                    .content_path
                    .rsplit_once('/')
                    .map_or("", |(dir, _)| dir);
                let exists = join_relative(base, &percent_decode(path)).is_some_and(|p| {
                    self.targets.pages.contains_key(p.as_str())
                        || self.targets.assets.contains(p.as_str())
                });
                if !exists {
                    let (line, column) = self.position(offset + start);
                    self.problem(
                        Diagnostic::warning("broken-link", "", format!("raw HTML refers to `{}`, which does not exist under content/", clip(url)))
                            .at(line, column)
                            .hint("fix the path, or remove the HTML; raw HTML is passed through unchanged, so its links are not rewritten"),
                    );
                }
            }
        }
    }

    fn problem(&mut self, mut d: Diagnostic) {
        d.file = self.page.file.clone();
        self.out.problems.push(d);
    }

    /// Emphasis markers left in the text because the closing `**` follows
    /// full-width punctuation and precedes a letter (CommonMark's flanking rule).
    fn check_dropped_emphasis(&mut self, range: std::ops::Range<usize>) {
        let body = &self.page.body;
        let Some(marker) = body[range.start..]
            .chars()
            .next()
            .filter(|c| *c == '*' || *c == '_')
        else {
            return;
        };
        let run = body[range.start..]
            .chars()
            .take_while(|c| *c == marker)
            .count();
        let before = body[..range.start].chars().next_back();
        let after = body[range.start + run..].chars().next();
        let (Some(before), Some(after)) = (before, after) else {
            return;
        };
        if is_wide_punctuation(before) && after.is_alphanumeric() && !after.is_ascii() {
            let (line, column) = self.position(range.start);
            let marker = &body[range.start..range.start + run];
            self.problem(
                Diagnostic::warning(
                    "dropped-emphasis",
                    "",
                    format!("`{marker}` after `{before}` does not close the emphasis: readers see `{marker}` and no bold text"),
                )
                .at(line, column)
                .hint(format!("move the punctuation after the marker: `{marker}{before}` instead of `{before}{marker}` (e.g. `**注意**：正文`)")),
            );
        }
    }
}

/// Whether the attribute at `offset` belongs to an element that the browser
/// fetches or navigates (`<code src>` in some Markdown dialects does neither).
fn loads_or_links(html: &str, offset: usize) -> bool {
    let Some(open) = html[..offset].rfind('<') else {
        return false;
    };
    let name: String = html[open + 1..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric())
        .collect::<String>()
        .to_ascii_lowercase();
    matches!(
        name.as_str(),
        "a" | "img"
            | "embed"
            | "iframe"
            | "source"
            | "video"
            | "audio"
            | "link"
            | "script"
            | "track"
            | "area"
    )
}

fn is_wide_punctuation(c: char) -> bool {
    matches!(c, '\u{3000}'..='\u{303f}' | '\u{ff01}'..='\u{ff0f}' | '\u{ff1a}'..='\u{ff20}' | '\u{ff3b}'..='\u{ff40}' | '\u{ff5b}'..='\u{ff65}' | '“' | '”' | '‘' | '’' | '…' | '—')
}

fn has_scheme(url: &str) -> bool {
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

fn clip(s: &str) -> String {
    if s.chars().count() > 60 {
        format!("{}…", s.chars().take(60).collect::<String>())
    } else {
        s.to_string()
    }
}

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
fn unique(wanted: String, used: &mut HashSet<String>, next: &mut HashMap<String, usize>) -> String {
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

/// Joins a relative `path` onto folder `base` (both content-relative), or
/// `None` when it climbs out of content/.
fn join_relative(base: &str, path: &str) -> Option<String> {
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

fn percent_decode(s: &str) -> String {
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

    fn page(body: &str) -> Page {
        Page {
            file: "content/en/a.md".into(),
            content_path: "en/a.md".into(),
            id: "a".into(),
            id_line: 2,
            lang: "en".into(),
            title: "A".into(),
            summary: None,
            department: None,
            reports_to: None,
            related: None,
            order: None,
            tags: None,
            translated_from: None,
            extra: Default::default(),
            body: body.into(),
            fingerprint: None,
            body_line: 5,
        }
    }

    fn render_body(body: &str, allow_html: bool) -> RenderedPage {
        let roles: HashSet<&str> = ["a", "secretary"].into_iter().collect();
        let pages: HashMap<&str, (&str, &str)> = [("zh/secretary.md", ("secretary", "zh"))]
            .into_iter()
            .collect();
        let assets: HashSet<&str> = ["en/img/chart one.png"].into_iter().collect();
        let targets = LinkTargets {
            roles: &roles,
            pages: &pages,
            assets: &assets,
            allow_html,
        };
        render(&page(body), &targets)
    }

    #[test]
    fn role_links_stay_in_the_same_language() {
        let r = render_body(
            "See [s](role:secretary#duties) and [t](role:secretary).",
            true,
        );
        assert!(
            r.html.contains(r#"href="secretary.html#duties""#),
            "{}",
            r.html
        );
        assert!(r.html.contains(r#"href="secretary.html""#));
        assert_eq!(r.role_links[0].anchor.as_deref(), Some("duties"));
        assert!(r.problems.is_empty());
    }

    #[test]
    fn unknown_role_link_names_its_line() {
        let r = render_body("text\n\nSee [x](role:secretray).", true);
        let d = &r.problems[0];
        assert_eq!((d.code, d.line, d.column), ("unknown-role-link", 7, 5));
        assert!(d.hint.as_ref().unwrap().contains("role:secretary"));
    }

    #[test]
    fn cjk_and_explicit_heading_ids() {
        let r = render_body(
            "## 主要职责\n\n## Duties {#duties}\n\n## Duties\n\n## Duties\n",
            true,
        );
        let ids: Vec<_> = r.headings.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(ids, ["主要职责", "duties", "duties-1", "duties-2"]);
        assert!(r.html.contains(r#"<h2 id="主要职责">"#), "{}", r.html);
    }

    #[test]
    fn sections_split_at_h2_with_text_and_html() {
        let r = render_body(
            "Intro *text*.\n\n## Duties {#duties}\n\n- one\n\n### Sub\n\nx\n\n## 职责\n\n正文\n",
            true,
        );
        let ids: Vec<_> = r
            .sections
            .iter()
            .map(|s| (s.id.as_deref(), s.explicit))
            .collect();
        assert_eq!(
            ids,
            [(None, false), (Some("duties"), true), (Some("职责"), false)]
        );
        let duties = &r.html[r.sections[1].html_range.clone()];
        assert!(
            duties.starts_with("<h2 id=\"duties\">") && duties.contains("<h3"),
            "{duties}"
        );
        let joined: String = r
            .sections
            .iter()
            .map(|s| &r.html[s.html_range.clone()])
            .collect();
        assert_eq!(joined, r.html);
        let r = render_body("## Only\n\ntext\n", true);
        assert_eq!(r.sections.len(), 1);
    }

    #[test]
    fn slug_keeps_letters_of_any_script() {
        assert_eq!(slug("Office Director's Duties"), "office-directors-duties");
        assert_eq!(slug("职责 与 权限！"), "职责-与-权限");
        assert_eq!(slug("?!"), "section");
    }

    #[test]
    fn md_and_asset_links_are_rewritten() {
        let r = render_body(
            "[zh](../zh/secretary.md#x) ![c](img/chart%20one.png) [gone](nope.pdf)",
            true,
        );
        assert!(
            r.html.contains(r#"href="../zh/secretary.html#x""#),
            "{}",
            r.html
        );
        assert!(
            r.html.contains(r#"src="../assets/en/img/chart%20one.png""#),
            "{}",
            r.html
        );
        assert_eq!(r.assets, ["en/img/chart one.png"]);
        assert_eq!(r.problems[0].code, "broken-link");
    }

    #[test]
    fn script_urls_are_neutralised() {
        let r = render_body("[x](javascript:alert(1)) [y](DATA:text/html,hi)", true);
        assert!(!r.html.to_lowercase().contains("javascript:"), "{}", r.html);
        assert!(!r.html.to_lowercase().contains("data:"), "{}", r.html);
        assert_eq!(r.problems.len(), 2);
    }

    #[test]
    fn raw_html_is_escaped_when_not_allowed() {
        let r = render_body("<script>x()</script>\n\nhi <b>there</b>", false);
        assert!(!r.html.contains("<script>"), "{}", r.html);
        assert!(r.html.contains("&lt;b&gt;"), "{}", r.html);
        let r = render_body("hi <b>there</b>", true);
        assert!(r.html.contains("<b>there</b>"));
    }

    #[test]
    fn dropped_cjk_emphasis_is_pointed_at() {
        let r = render_body("**注意：**正文", true);
        let d = &r.problems[0];
        assert_eq!((d.code, d.line, d.column), ("dropped-emphasis", 5, 6));
        assert!(d.hint.as_ref().unwrap().contains("**注意**："));
        assert!(render_body("**注意**：正文", true).problems.is_empty());
    }
}
