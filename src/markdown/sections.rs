//! Where a page's sections start and end: the unit that pairs across
//! languages (side-by-side view, one-sided sections, the language switch)
//! and that search indexes.
//!
//! A section is a heading of level L and everything up to the next heading of
//! level L or higher; deeper headings make its subsections (mdBook's section
//! pages keep their sections as `###` under one `##`). Levels 1 and 2 count
//! as one top level, so the top-level sections still cut a page into the
//! parts search indexes. The text before the first heading, the lead-in, is
//! a section only when it shows something: the comment and empty
//! `<a id="old-name"></a>` that mdBook books keep above their first heading
//! go with that heading.

use std::iter::Peekable;
use std::ops::Range;

/// A part of a page: a heading and what follows it up to the next heading of
/// its level or higher (see the module doc). Sections pair across languages
/// (by explicit heading id, then by order; see
/// [`crate::translation::pair_sections`]).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Section {
    /// Heading id; `None` for the text before the first heading.
    pub id: Option<String>,
    /// Whether the id was written by the author (`{#duties}`).
    pub explicit: bool,
    pub heading: String,
    /// The heading's level (1 to 6); 0 for the lead-in.
    pub level: u8,
    /// Where this section's HTML sits in [`super::RenderedPage::html`],
    /// subsections included.
    #[serde(skip)]
    pub html_range: Range<usize>,
    /// The sections under this one's heading (deeper headings), in order.
    pub subsections: Vec<Section>,
}

impl Section {
    /// A section starting at `at` of the HTML (its heading is filled in
    /// once the heading's text is known).
    pub(super) fn starting(level: u8, at: usize) -> Section {
        Section {
            level,
            html_range: at..at,
            ..Section::default()
        }
    }

    /// The section's own text, before its first subsection.
    pub fn head_range(&self) -> Range<usize> {
        let end = self
            .subsections
            .first()
            .map_or(self.html_range.end, |s| s.html_range.start);
        self.html_range.start..end
    }

    /// This section and every section under it, in page order.
    pub fn with_subsections(&self) -> Box<dyn Iterator<Item = &Section> + '_> {
        Box::new(
            std::iter::once(self).chain(self.subsections.iter().flat_map(|s| s.with_subsections())),
        )
    }
}

/// Levels 1 and 2 (and the lead-in) are all the top level.
fn rank(section: &Section) -> u8 {
    section.level.max(2)
}

/// Nests `flat` (the lead-in, then one section per heading, in page order)
/// and ends each section where the next one of its level or higher starts.
/// An invisible lead-in is no section: its HTML joins the first section's.
pub(super) fn close_sections(flat: Vec<Section>, html: &str) -> Vec<Section> {
    let mut flat = flat.into_iter().peekable();
    let mut top = nest(&mut flat, 1, html.len());
    let invisible_lead_in = top.len() > 1
        && top[0].id.is_none()
        && top[0].subsections.is_empty()
        && !visible(&html[top[0].html_range.clone()]);
    if invisible_lead_in {
        let lead_in = top.remove(0);
        top[0].html_range.start = lead_in.html_range.start;
    }
    top
}

/// The sections of `flat` whose rank is deeper than `above`, from here up to
/// the first that is not, each with its own subsections.
fn nest(flat: &mut Peekable<impl Iterator<Item = Section>>, above: u8, len: usize) -> Vec<Section> {
    let mut siblings = Vec::new();
    while let Some(mut section) = flat.next_if(|s| rank(s) > above) {
        section.subsections = nest(flat, rank(&section), len);
        section.html_range.end = flat.peek().map_or(len, |next| next.html_range.start);
        siblings.push(section);
    }
    siblings
}

/// Elements that show something with no text in them.
const SHOWN_EMPTY: &[&str] = &[
    "audio", "button", "canvas", "embed", "hr", "iframe", "img", "input", "math", "object",
    "picture", "select", "svg", "textarea", "video",
];

/// Whether `html` shows the reader anything: text outside tags and comments,
/// or an element such as an image that shows something with no text.
pub(super) fn visible(html: &str) -> bool {
    let mut rest = html;
    loop {
        let lt = rest.find('<').unwrap_or(rest.len());
        if !rest[..lt].trim().is_empty() {
            return true;
        }
        rest = &rest[lt..];
        if rest.is_empty() {
            return false;
        }
        if let Some(comment) = rest.strip_prefix("<!--") {
            rest = comment.find("-->").map_or("", |e| &comment[e + 3..]);
            continue;
        }
        let name: String = rest[1..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .map(|c| c.to_ascii_lowercase())
            .collect();
        if SHOWN_EMPTY.contains(&name.as_str()) {
            return true;
        }
        rest = rest.find('>').map_or("", |e| &rest[e + 1..]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The flat sections of `html` as the renderer records them: the
    /// lead-in, then one per `<hN id="...">` tag.
    fn flat(html: &str) -> Vec<Section> {
        let mut sections = vec![Section::starting(0, 0)];
        for (at, _) in html.match_indices("<h") {
            let level = html.as_bytes()[at + 2].wrapping_sub(b'0');
            if !(1..=6).contains(&level) {
                continue;
            }
            let id_start = at + "<h1 id=\"".len();
            let id = &html[id_start..id_start + html[id_start..].find('"').unwrap()];
            let mut section = Section::starting(level, at);
            section.id = Some(id.to_string());
            sections.push(section);
        }
        sections
    }

    /// `id(sub-id sub-id) id` for the sections' ids and nesting.
    fn outline(sections: &[Section]) -> String {
        let words: Vec<String> = sections
            .iter()
            .map(|s| {
                let id = s.id.clone().unwrap_or_else(|| "(lead)".into());
                match outline(&s.subsections) {
                    subs if subs.is_empty() => id,
                    subs => format!("{id}({subs})"),
                }
            })
            .collect();
        words.join(" ")
    }

    #[test]
    fn a_section_runs_to_the_next_heading_of_its_level_or_higher() {
        let html = "<p>lead</p><h2 id=\"a\">A</h2><h3 id=\"a1\">x</h3><h4 id=\"a1x\">x</h4><h3 id=\"a2\">x</h3><h1 id=\"b\">B</h1><h2 id=\"c\">C</h2><h3 id=\"c1\">x</h3>";
        let sections = close_sections(flat(html), html);
        assert_eq!(outline(&sections), "(lead) a(a1(a1x) a2) b c(c1)");
        // The top level cuts the page into parts; each section holds its subsections.
        let joined: String = sections
            .iter()
            .map(|s| &html[s.html_range.clone()])
            .collect();
        assert_eq!(joined, html);
        let a = &sections[1];
        assert!(html[a.html_range.clone()].ends_with("<h3 id=\"a2\">x</h3>"));
        assert_eq!(&html[a.head_range()], "<h2 id=\"a\">A</h2>");
        let ids: Vec<_> = a
            .with_subsections()
            .filter_map(|s| s.id.as_deref())
            .collect();
        assert_eq!(ids, ["a", "a1", "a1x", "a2"]);
    }

    #[test]
    fn deeper_headings_before_the_first_top_level_one_belong_to_the_lead_in() {
        let html = "<h3 id=\"x\">x</h3><h2 id=\"a\">A</h2>";
        let sections = close_sections(flat(html), html);
        assert_eq!(outline(&sections), "(lead)(x) a");
        assert_eq!(sections[0].head_range(), 0..0);
    }

    #[test]
    fn an_invisible_lead_in_joins_the_first_section() {
        let html = "<!-- was \"Storekeeper\" -->\n<p><a id=\"storekeeper\"></a></p>\n<h2 id=\"duties\">Duties</h2><p>x</p>";
        let sections = close_sections(flat(html), html);
        assert_eq!(outline(&sections), "duties");
        assert_eq!(sections[0].html_range, 0..html.len());
        // A page that starts with its heading has no lead-in either.
        let html = "<h2 id=\"a\">A</h2>";
        assert_eq!(outline(&close_sections(flat(html), html)), "a");
        // A page with no heading keeps its only section.
        assert_eq!(outline(&close_sections(flat(""), "")), "(lead)");
    }

    #[test]
    fn a_lead_in_that_shows_something_stays() {
        for lead in [
            "<p>Intro.</p>",
            "<p><img src=\"a.png\" alt=\"\"></p>",
            "<hr />",
            "<p>&amp;</p>",
        ] {
            let html = format!("{lead}<h2 id=\"a\">A</h2>");
            assert_eq!(
                outline(&close_sections(flat(&html), &html)),
                "(lead) a",
                "{lead}"
            );
        }
    }

    #[test]
    fn visible_means_text_or_an_element_that_shows_without_text() {
        for shown in [
            "x",
            "<p>x</p>",
            "<!-- c -->y",
            "<IMG src=a>",
            "<svg></svg>",
            "<video></video>",
        ] {
            assert!(visible(shown), "{shown}");
        }
        for hidden in [
            "",
            " \n",
            "<!-- c -->",
            "<a id=\"x\"></a>",
            "<p>\n</p>",
            "<!-- <p>x</p> -->",
            "<span class=\"a\"></span>",
            "<!--",
        ] {
            assert!(!visible(hidden), "{hidden}");
        }
    }
}
