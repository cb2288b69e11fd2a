//! Markdown to HTML for one page, with the handbook's own passes.
//!
//! Fifth stage. One pulldown-cmark parse per page, streamed straight into the
//! HTML writer (no copy of the events is kept: on dense Markdown they took
//! 160 times the page's size), that on the way:
//! gives every heading a stable id (an explicit `{#id}` wins, else a slug that
//! keeps CJK characters) and drops every other heading attribute but plain
//! classes, rewrites `role:ID#anchor` links to the role's page in the same
//! language, turns links to other `.md` pages and to local files into working
//! relative URLs, neutralises `javascript:`/`data:` URLs, escapes raw HTML
//! when the handbook forbids it, caps how deeply one line nests lists and
//! quotes, and spots `**注意：**正文`-style emphasis that CommonMark silently
//! drops. Problems come back as diagnostics.

mod headings;
mod links;
mod nesting;
mod position;
mod sections;

use foldhash::{HashMap, HashMapExt, HashSet, HashSetExt};
use std::cell::RefCell;
use std::ops::Range;
use std::sync::OnceLock;

use pulldown_cmark::{CodeBlockKind, CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

use crate::diagnostic::{Code, Diagnostic};
use crate::frontmatter::Page;
pub use headings::slug;
use position::Positions;
pub use sections::Section;

/// A heading of a rendered page.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Heading {
    pub level: u8,
    pub id: String,
    pub text: String,
    /// Whether the id was written by the author (`{#duties}`).
    pub explicit: bool,
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
    /// The top-level sections, which cut the page into parts (deeper ones
    /// nest inside them).
    pub sections: Vec<Section>,
    pub role_links: Vec<RoleLink>,
    /// Files under content/ this page uses (content-relative paths).
    pub assets: Vec<String>,
    pub problems: Vec<Diagnostic>,
    /// Every id in the page, worked out when first asked for
    /// ([`RenderedPage::ids`]) and kept with the page: the live preview
    /// keeps an unchanged page's rendering, so its anchor checks reuse it.
    pub(crate) ids: OnceLock<HashSet<String>>,
}

impl RenderedPage {
    /// Every id in the page: its headings', footnotes' and raw HTML's
    /// (character references decoded), what a link's `#anchor` can name.
    pub fn ids(&self) -> &HashSet<String> {
        self.ids.get_or_init(|| {
            let mut ids: HashSet<String> = self.headings.iter().map(|h| h.id.clone()).collect();
            ids.extend(
                self.html
                    .split(" id=\"")
                    .skip(1)
                    .filter_map(|rest| rest.split('"').next())
                    .map(|id| html_escape::decode_html_entities(id).into_owned()),
            );
            ids
        })
    }

    /// Takes the set of ids [`RenderedPage::ids`] kept (to free it once the
    /// anchor checks are done); it is worked out again if asked for.
    pub(crate) fn take_ids(&mut self) -> Option<HashSet<String>> {
        self.ids.take()
    }
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

/// Work done by one render, counted so tests can assert it grows linearly.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Work {
    /// Bytes scanned to turn offsets into columns.
    pub scanned: usize,
    /// Deepest nesting of lists and quotes the parser was given.
    pub depth: usize,
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
    render_counted(page, targets).0
}

/// [`render`], and the work it took.
pub(crate) fn render_counted(page: &Page, targets: &LinkTargets) -> (RenderedPage, Work) {
    let capped = nesting::cap(&page.body);
    let html = RefCell::new(String::with_capacity(page.body.len() * 3 / 2));
    let mut state = State {
        page,
        text: &capped.text,
        targets,
        out: RenderedPage::default(),
        used_ids: HashSet::new(),
        next_suffix: HashMap::new(),
        fragments: Vec::new(),
        positions: Positions::new(&page.body, &capped.inserted, page.body_line),
        html: &html,
        heading: None,
        sections: vec![Section::default()],
        role_names: Vec::new(),
        suggestions: links::Suggestions::default(),
        depth: (0, 0),
        code: None,
    };
    state.report_cuts(&capped.cuts);
    let pass = Parser::new_ext(&capped.text, options())
        .into_offset_iter()
        .map(|(event, range)| state.event(event, range));
    // Writing to a String cannot fail.
    let _ = pulldown_cmark::html::write_html_fmt(SharedHtml(&html), pass);
    state.check_empty();
    state.check_fragments(&html.borrow());
    let work = Work {
        scanned: state.positions.scanned,
        depth: state.depth.1,
    };
    let mut out = state.out;
    let flat = state.sections;
    let mut html = html.into_inner();
    html.shrink_to_fit();
    out.sections = sections::close_sections(flat, &html);
    out.html = html;
    (out, work)
}

/// The HTML being written, shared between the writer and the pass over the
/// events: the pass reads where each section starts and adds each heading's
/// id once the heading's text is known.
struct SharedHtml<'h>(&'h RefCell<String>);

impl std::fmt::Write for SharedHtml<'_> {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        self.0.borrow_mut().push_str(s);
        Ok(())
    }
}

/// A heading whose text is still being written.
struct OpenHeading {
    level: HeadingLevel,
    /// The author's `{#id}`.
    written_id: Option<String>,
    /// Length of the HTML when the heading started: its tag follows.
    html_at: usize,
    text: String,
}

struct State<'p, 't> {
    page: &'p Page,
    /// The text parsed: the page's body, with over-deep nesting escaped.
    text: &'p str,
    targets: &'t LinkTargets<'t>,
    out: RenderedPage,
    used_ids: HashSet<String>,
    /// Next `-N` suffix to try per wanted heading id (keeps many equal headings linear).
    next_suffix: HashMap<String, usize>,
    /// In-page `#fragment` links, checked once the whole page is rendered.
    fragments: Vec<(String, usize, usize)>,
    positions: Positions<'p>,
    html: &'p RefCell<String>,
    heading: Option<OpenHeading>,
    sections: Vec<Section>,
    /// Role ids, sorted, for did-you-mean hints (collected on first need).
    role_names: Vec<&'t str>,
    suggestions: links::Suggestions,
    /// Lists and quotes open now, and the most ever open.
    depth: (usize, usize),
    /// A fenced code block in a language the highlighter knows, being
    /// collected (its info string and text) until it ends.
    code: Option<(String, String)>,
}

impl<'p> State<'p, '_> {
    /// One event on its way to the HTML writer.
    fn event(&mut self, event: Event<'p>, range: Range<usize>) -> Event<'p> {
        let event = match event {
            Event::Start(Tag::Heading {
                level,
                id,
                classes,
                attrs,
            }) => self.open_heading(level, id, classes, attrs, range),
            Event::End(TagEnd::Heading(level)) => {
                self.close_heading();
                Event::End(TagEnd::Heading(level))
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => Event::Start(Tag::Link {
                link_type,
                dest_url: self.rewrite_url(dest_url, range.start, false),
                title,
                id,
            }),
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => Event::Start(Tag::Image {
                link_type,
                dest_url: self.rewrite_url(dest_url, range.start, true),
                title,
                id,
            }),
            // Code in a known language is collected and highlighted whole;
            // the events it came in write nothing (an empty Text would).
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info)))
                if crate::highlight::knows(&info) =>
            {
                self.code = Some((info.to_string(), String::new()));
                Event::Html(CowStr::Borrowed(""))
            }
            Event::Text(text) if self.code.is_some() => {
                if let Some((_, code)) = &mut self.code {
                    code.push_str(&text);
                }
                Event::Html(CowStr::Borrowed(""))
            }
            Event::End(TagEnd::CodeBlock) if self.code.is_some() => self.highlighted_code(),
            Event::Html(html) | Event::InlineHtml(html) if !self.targets.allow_html => {
                Event::Text(html)
            }
            Event::Html(html) | Event::InlineHtml(html) => {
                Event::Html(self.rewrite_raw_html(html, range.start))
            }
            Event::Text(text) => {
                self.check_dropped_emphasis(range);
                Event::Text(text)
            }
            other => other,
        };
        self.follow(&event);
        event
    }

    /// Keeps the heading text and the nesting depth up to date.
    /// The collected code block, highlighted (plain if the highlighter
    /// gives up), as pulldown-cmark would place a block: on its own line.
    fn highlighted_code(&mut self) -> Event<'p> {
        let (info, code) = self.code.take().unwrap_or_default();
        let html = self.html.borrow();
        let lead = if html.is_empty() || html.ends_with('\n') {
            ""
        } else {
            "\n"
        };
        let pre = crate::highlight::highlight(&info, &code)
            .unwrap_or_else(|| crate::highlight::plain(&info, &code));
        Event::Html(format!("{lead}{pre}\n").into())
    }

    fn follow(&mut self, event: &Event<'p>) {
        match event {
            Event::Text(text) | Event::Code(text) => {
                if let Some(heading) = &mut self.heading {
                    heading.text.push_str(text);
                }
            }
            Event::Start(Tag::List(_) | Tag::BlockQuote(_)) => {
                self.depth.0 += 1;
                self.depth.1 = self.depth.1.max(self.depth.0);
            }
            Event::End(TagEnd::List(_) | TagEnd::BlockQuote(_)) => {
                self.depth.0 = self.depth.0.saturating_sub(1);
            }
            _ => {}
        }
    }

    /// Starts a heading without its id (that needs its text, see
    /// [`State::close_heading`]) and with only its plain classes.
    fn open_heading(
        &mut self,
        level: HeadingLevel,
        id: Option<CowStr<'p>>,
        classes: Vec<CowStr<'p>>,
        attrs: Vec<(CowStr<'p>, Option<CowStr<'p>>)>,
        range: Range<usize>,
    ) -> Event<'p> {
        let (classes, dropped) = headings::keep_plain(classes, attrs);
        if !dropped.is_empty() {
            self.report_dropped(&dropped, range);
        }
        let html_at = self.html.borrow().len();
        self.sections.push(Section::starting(level as u8, html_at));
        self.heading = Some(OpenHeading {
            level,
            written_id: id.map(|id| id.to_string()),
            html_at,
            text: String::new(),
        });
        Event::Start(Tag::Heading {
            level,
            id: None,
            classes,
            attrs: Vec::new(),
        })
    }

    /// Gives the heading that just ended its unique id: written into its tag
    /// (after `<hN`), which moves only this heading's own HTML.
    fn close_heading(&mut self) {
        let Some(open) = self.heading.take() else {
            return;
        };
        let explicit = open.written_id.is_some();
        let wanted = open.written_id.unwrap_or_else(|| slug(&open.text));
        let id = headings::unique(wanted, &mut self.used_ids, &mut self.next_suffix);
        let mut html = self.html.borrow_mut();
        // The writer may have put a line break before the tag.
        let tag = html
            .get(open.html_at..)
            .and_then(|written| written.find("<h"))
            .map(|i| open.html_at + i);
        if let Some(tag) = tag {
            let mut attribute = String::from(" id=\"");
            let _ = pulldown_cmark_escape::escape_html(&mut attribute, &id);
            attribute.push('"');
            html.insert_str(tag + "<h1".len(), &attribute);
        }
        let text = open.text.trim().to_string();
        if let Some(section) = self.sections.last_mut() {
            section.html_range = tag.unwrap_or(open.html_at)..0;
            section.id = Some(id.clone());
            section.explicit = explicit;
            section.heading = text.clone();
        }
        self.out.headings.push(Heading {
            level: open.level as u8,
            id,
            text,
            explicit,
        });
    }

    /// One `heading-attribute` warning per attribute dropped, where it is written.
    fn report_dropped(&mut self, dropped: &[headings::Dropped], range: Range<usize>) {
        let source = &self.text[range.clone()];
        for (attribute, at) in dropped.iter().zip(headings::find_dropped(source, dropped)) {
            let (line, column) = self.positions.at(range.start + at.unwrap_or(0));
            let shown = clip(&attribute.shown);
            self.problem(
                Diagnostic::warning(
                    Code::HeadingAttribute,
                    "",
                    format!("heading attribute `{shown}` was dropped"),
                )
                .at(line, column)
                .hint(format!("only {{#id}} and .class (letters, digits, `-`, `_`) are kept; remove `{shown}`")),
            );
        }
    }

    /// One `too-deep` warning per line whose nesting was cut.
    fn report_cuts(&mut self, cuts: &[(usize, usize)]) {
        for &(offset, markers) in cuts {
            let (line, column) = self.positions.at_written(offset);
            self.problem(
                Diagnostic::warning(
                    Code::TooDeep,
                    "",
                    format!(
                        "{markers} list and quote markers on one line: nesting stops at {} levels",
                        nesting::MAX_DEPTH
                    ),
                )
                .at(line, column)
                .hint(format!(
                    "the markers from here on are shown as text; nest at most {} lists or quotes",
                    nesting::MAX_DEPTH
                )),
            );
        }
    }

    fn check_empty(&mut self) {
        if self.page.body.trim().is_empty() {
            self.out.problems.push(
                Diagnostic::warning(
                    Code::EmptyBody,
                    &self.page.file,
                    "the page has no text after the front matter",
                )
                // On the closing `---`: the line after it may not exist.
                .at(self.page.body_line.saturating_sub(1), 1)
                .hint("write the role's description below the closing `---`"),
            );
        }
    }

    fn problem(&mut self, mut d: Diagnostic) {
        d.file = self.page.file.clone();
        self.out.problems.push(d);
    }

    /// Emphasis markers left in the text because of CommonMark's flanking
    /// rule next to full-width punctuation: a closing `**` after punctuation
    /// and before a letter (`**注意：**正文`), or an opening `**` after a
    /// letter and before punctuation (`和**“引号”**`). The hint rewrites the
    /// line and says so only when the rewrite renders as emphasis.
    fn check_dropped_emphasis(&mut self, range: Range<usize>) {
        let text = self.text;
        let Some(marker) = text[range.start..]
            .chars()
            .next()
            .filter(|c| *c == '*' || *c == '_')
        else {
            return;
        };
        let run = text[range.start..]
            .chars()
            .take_while(|c| *c == marker)
            .count();
        let before = text[..range.start].chars().next_back();
        let after = text[range.start + run..].chars().next();
        let (Some(before), Some(after)) = (before, after) else {
            return;
        };
        let letter = |c: char| c.is_alphanumeric() && !c.is_ascii();
        let closing = is_wide_punctuation(before) && letter(after);
        let opening = letter(before) && is_wide_punctuation(after);
        if !closing && !opening {
            return;
        }
        let (line, column) = self.positions.at(range.start);
        let marker = &text[range.start..range.start + run];
        let message = if closing {
            format!("`{marker}` after `{before}` does not close the emphasis: readers see `{marker}` and no bold text")
        } else {
            format!("`{marker}` before `{after}` does not open the emphasis: readers see `{marker}` and no bold text")
        };
        let hint = match emphasis_fix(text, range.start, run, opening) {
            Some(fixed) => format!("put the marker inside the punctuation: `{}`", clip(&fixed)),
            None if closing => format!("move the punctuation after the marker: `{marker}{before}` instead of `{before}{marker}`"),
            None => format!("move the punctuation before the marker: `{after}{marker}` instead of `{marker}{after}`"),
        };
        self.problem(
            Diagnostic::warning(Code::DroppedEmphasis, "", message)
                .at(line, column)
                .hint(hint),
        );
    }
}

/// The line holding the stray marker run at `at` (`run` characters long),
/// rewritten so the emphasis works: the marker moves inside the full-width
/// punctuation beside it (and, for an opening marker, its closing partner
/// on the same line too). `None` unless the rewrite renders as emphasis.
fn emphasis_fix(text: &str, at: usize, run: usize, opening: bool) -> Option<String> {
    // The line around the marker, at most WINDOW bytes each side: the work
    // per warning stays bounded on a page that is one long line.
    const WINDOW: usize = 120;
    let floor = |mut i: usize| {
        while !text.is_char_boundary(i) {
            i -= 1;
        }
        i
    };
    let ceil = |mut i: usize| {
        while !text.is_char_boundary(i) {
            i += 1;
        }
        i
    };
    let lower = floor(at.saturating_sub(WINDOW));
    let upper = ceil((at + run + WINDOW).min(text.len()));
    let start = text[lower..at].rfind('\n').map_or(lower, |i| lower + i + 1);
    let end = text[at..upper].find('\n').map_or(upper, |i| at + i);
    let line = &text[start..end];
    let pos = at - start;
    let marker = &line[pos..pos + run];
    let mut fixed = if opening {
        let p = line[pos + run..].chars().next()?;
        let after_p = pos + run + p.len_utf8();
        let mut fixed = format!("{}{p}{marker}", &line[..pos]);
        let rest = &line[after_p..];
        // The partner: the next run of the same marker, moved inside the
        // closing punctuation that precedes it.
        match rest.find(marker) {
            Some(q)
                if rest[..q]
                    .chars()
                    .next_back()
                    .is_some_and(is_wide_punctuation) =>
            {
                let close = rest[..q].chars().next_back()?;
                let before_close = q - close.len_utf8();
                fixed.push_str(&rest[..before_close]);
                fixed.push_str(marker);
                fixed.push(close);
                fixed.push_str(&rest[q + run..]);
            }
            _ => fixed.push_str(rest),
        }
        fixed
    } else {
        let p = line[..pos].chars().next_back()?;
        format!(
            "{}{marker}{p}{}",
            &line[..pos - p.len_utf8()],
            &line[pos + run..]
        )
    };
    fixed = fixed.trim().to_string();
    let tag = if run >= 2 { "<strong>" } else { "<em>" };
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, pulldown_cmark::Parser::new(&fixed));
    (html.contains(tag) && !html.contains(marker)).then_some(fixed)
}

fn is_wide_punctuation(c: char) -> bool {
    matches!(c, '\u{3000}'..='\u{303f}' | '\u{ff01}'..='\u{ff0f}' | '\u{ff1a}'..='\u{ff20}' | '\u{ff3b}'..='\u{ff40}' | '\u{ff5b}'..='\u{ff65}' | '“' | '”' | '‘' | '’' | '…' | '—')
}

/// `s` cut to about 60 characters for a message; a link keeps its anchor
/// (`very/long/path…#duties`), which is often what is wrong with it.
fn clip(s: &str) -> String {
    if s.chars().count() <= 60 {
        return s.to_string();
    }
    let cut = |t: &str, n: usize| t.chars().take(n).collect::<String>();
    match s.rsplit_once('#') {
        Some((path, anchor)) => {
            let anchor = if anchor.chars().count() > 30 {
                format!("{}…", cut(anchor, 30))
            } else {
                anchor.to_string()
            };
            let room = 60usize.saturating_sub(anchor.chars().count()).max(10);
            format!("{}…#{anchor}", cut(path, room))
        }
        None => format!("{}…", cut(s, 60)),
    }
}

#[cfg(test)]
mod tests;
