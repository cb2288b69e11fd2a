//! Anchors of links to other pages (`role:ID#anchor`, `b.md#anchor`,
//! `ch04.html#anchor`): each must be an id of the page a reader lands on,
//! in every language the linking page is shown in: its own, and the
//! languages its role has no page in (where it is the fallback).
//!
//! A `role:` link follows the reader's language, so in a fallback view it
//! lands on another language's page than the author saw, whose section ids
//! may differ (`#using-a-private-registry` vs `#使用私有仓库`). There the
//! section pairing (`translation::section_map`) maps the anchor, and
//! [`fallback_html`] writes the mapped anchor into the fallback page's HTML;
//! only an anchor that no section pairs with is reported.
//!
//! A `.md` link names a file, so its language is fixed: its
//! [`RoleLink::id`] is `<lang>/<id>` (see `markdown::page_link_id`).

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use rayon::prelude::*;

use crate::diagnostic::{Code, Diagnostic};
use crate::frontmatter::Page;
use crate::handbook::Handbook;
use crate::id::{LangId, PageId};
use crate::markdown::{RenderedPage, RoleLink};

/// Where a link lands.
#[derive(Clone, Copy)]
enum Target {
    /// This page, in every view (a `.md` link).
    Page(PageId),
    /// The role's page in the reader's language, or its fallback.
    Role(usize),
}

fn target(handbook: &Handbook, link: &RoleLink) -> Option<Target> {
    match link.id.split_once('/') {
        Some((lang, id)) => {
            let role = handbook.role(id)?;
            let page = role
                .pages
                .iter()
                .flatten()
                .find(|&&p| handbook.pages[p].lang == lang)?;
            Some(Target::Page(*page))
        }
        None => handbook.role_index(&link.id).map(Target::Role),
    }
}

/// The page a link lands on in the view of language `view`.
fn landing(handbook: &Handbook, target: Target, view: LangId) -> PageId {
    match target {
        Target::Page(page) => page,
        Target::Role(role) => handbook.shown_page(&handbook.roles[role], view).0,
    }
}

/// The languages page `page` is shown in: its own first, then those its
/// role has no page in and shows it as the fallback.
pub fn views(handbook: &Handbook, page: PageId) -> Vec<LangId> {
    let own = handbook.pages[page].lang_id;
    let mut views = vec![own];
    if let Some(role) = handbook.role(&handbook.pages[page].id) {
        views.extend(
            handbook
                .config
                .lang_ids()
                .filter(|&l| l != own && handbook.shown_page(role, l) == (page, true)),
        );
    }
    views
}

/// Whether `id` is an id of page `page` (see [`RenderedPage::ids`]).
fn has(rendered: &[Arc<RenderedPage>], page: PageId, id: &str) -> bool {
    rendered
        .get(page.index())
        .is_some_and(|r| r.ids().contains(id))
}

/// The id of the section of `to` paired with the section `anchor` of `from`.
pub fn map_anchor(from: &RenderedPage, to: &RenderedPage, anchor: &str) -> Option<String> {
    crate::translation::section_map(from, to)
        .into_iter()
        .find(|(a, _)| a == anchor)
        .map(|(_, b)| b)
}

/// Links to other pages whose anchor is not an id of the page readers land on.
pub fn check(handbook: &Handbook, rendered: &[Arc<RenderedPage>]) -> Vec<Diagnostic> {
    let page_problems = |(index, page): (usize, &Page)| {
        let page_id = PageId::new(index);
        // Every page is rendered, except in tests of the pairing alone.
        let Some(links) = rendered.get(index).map(|r| &r.role_links) else {
            return Vec::new();
        };
        if links.iter().all(|l| l.anchor.is_none()) {
            return Vec::new();
        }
        let views = views(handbook, page_id);
        links
            .iter()
            .filter_map(|link| {
                let anchor = link.anchor.as_deref()?;
                let target = target(handbook, link)?;
                let check = Link {
                    page,
                    link,
                    anchor,
                    target,
                };
                check.problem(handbook, rendered, &views)
            })
            .collect()
    };
    handbook
        .pages
        .par_iter()
        .enumerate()
        .flat_map_iter(page_problems)
        .collect()
}

/// One link with an anchor, from `page`.
struct Link<'a> {
    page: &'a Page,
    link: &'a RoleLink,
    anchor: &'a str,
    target: Target,
}

impl Link<'_> {
    /// The problem of the link in the first view where it breaks, if any.
    fn problem(
        &self,
        handbook: &Handbook,
        rendered: &[Arc<RenderedPage>],
        views: &[LangId],
    ) -> Option<Diagnostic> {
        let own = landing(handbook, self.target, self.page.lang_id);
        if !has(rendered, own, self.anchor) {
            return Some(self.unknown(handbook, rendered, own));
        }
        for &view in &views[1..] {
            let shown = landing(handbook, self.target, view);
            if shown == own || has(rendered, shown, self.anchor) {
                continue;
            }
            let (Some(from), Some(to)) = (rendered.get(own.index()), rendered.get(shown.index()))
            else {
                continue;
            };
            if map_anchor(from, to, self.anchor).is_none() {
                return Some(self.unpaired(handbook, shown, view));
            }
        }
        None
    }

    /// How the link is written, for messages.
    fn written(&self) -> String {
        match self.target {
            Target::Role(_) => format!("role:{}#{}", self.link.id, self.anchor),
            Target::Page(_) => format!("#{}", self.anchor),
        }
    }

    fn unknown(
        &self,
        handbook: &Handbook,
        rendered: &[Arc<RenderedPage>],
        shown: PageId,
    ) -> Diagnostic {
        let anchor = self.anchor;
        let headings = rendered.get(shown.index()).map_or(&[][..], |r| &r.headings);
        let ids: Vec<&str> = headings.iter().map(|h| h.id.as_str()).collect();
        let file = &handbook.pages[shown].file;
        let hint = match crate::diagnostic::did_you_mean(anchor, &ids) {
            Some(best) => format!("did you mean `#{best}`?"),
            None if ids.is_empty() => match self.target {
                Target::Role(_) => format!(
                    "{file} has no headings; link `role:{}` without an anchor",
                    self.link.id
                ),
                Target::Page(_) => format!("{file} has no headings; link it without an anchor"),
            },
            None => format!(
                "headings of {file}: {}",
                ids.iter()
                    .take(12)
                    .map(|i| format!("#{i}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        };
        let message = match self.target {
            Target::Role(_) => format!(
                "`{}`: the `{}` page has no heading with id `{anchor}`",
                self.written(),
                handbook.pages[shown].lang
            ),
            Target::Page(_) => format!("`#{anchor}`: {file} has no heading with id `{anchor}`"),
        };
        Diagnostic::warning(Code::UnknownAnchor, &self.page.file, message)
            .at(self.link.line, self.link.column)
            .hint(hint)
    }

    fn unpaired(&self, handbook: &Handbook, shown: PageId, view: LangId) -> Diagnostic {
        let anchor = self.anchor;
        let lang = &handbook.config.lang_of(view).key;
        let file = &handbook.pages[shown].file;
        Diagnostic::warning(
            Code::UnknownAnchor,
            &self.page.file,
            format!(
                "`{}`: shown as the `{lang}` page (no `{lang}` translation), this page links to {file}, which has no heading with id `{anchor}` and no section paired with it",
                self.written()
            ),
        )
        .at(self.link.line, self.link.column)
        .hint(format!(
            "give the matching heading in {file} the same id, `{{#{anchor}}}`, so both languages share it"
        ))
    }
}

/// The HTML of page `page` as shown in language `view`: where it is a
/// fallback, each link to another role whose anchor is not an id of the
/// page it lands on in `view` gets the id of the paired section there.
/// (For the renderer: a role page's body in a fallback view.)
pub fn fallback_html<'r>(
    handbook: &Handbook,
    rendered: &'r [Arc<RenderedPage>],
    page: PageId,
    view: LangId,
) -> Cow<'r, str> {
    let md = &rendered[page];
    let own = handbook.pages[page].lang_id;
    if view == own {
        return Cow::Borrowed(&md.html);
    }
    let mut mapped: HashMap<(&str, &str), String> = HashMap::new();
    // Each link and each landing page's ids looked at once.
    let mut seen: HashSet<(&str, &str)> = HashSet::new();
    for link in &md.role_links {
        let (Some(anchor), Some(Target::Role(role))) =
            (link.anchor.as_deref(), target(handbook, link))
        else {
            continue;
        };
        if !seen.insert((link.id.as_str(), anchor)) {
            continue;
        }
        let role = &handbook.roles[role];
        let (from, to) = (
            handbook.shown_page(role, own).0,
            handbook.shown_page(role, view).0,
        );
        if from == to {
            continue;
        }
        if rendered[to].ids().contains(anchor) {
            continue;
        }
        if let Some(id) = map_anchor(&rendered[from], &rendered[to], anchor) {
            mapped.insert((link.id.as_str(), anchor), id);
        }
    }
    if mapped.is_empty() {
        return Cow::Borrowed(&md.html);
    }
    Cow::Owned(map_fragments(&md.html, &mapped))
}

/// `html` with the fragment of each `href="<id>.html#<anchor>"` (a role
/// page in the reader's language) replaced where `mapped` has `(id, anchor)`.
/// One pass; everything else byte for byte. Hrefs are compared as the
/// Markdown writer spells them (`escape_href`: `#%E4%BD%BF...`).
pub fn map_fragments(html: &str, mapped: &HashMap<(&str, &str), String>) -> String {
    let href = |id: &str, anchor: &str| {
        let mut href = String::new();
        let _ = pulldown_cmark_escape::escape_href(&mut href, &format!("{id}.html#{anchor}"));
        href
    };
    let by_href: HashMap<String, String> = mapped
        .iter()
        .map(|((id, anchor), new)| (href(id, anchor), href(id, new)))
        .collect();
    let mut out = String::with_capacity(html.len());
    let mut copied = 0;
    for (at, _) in html.match_indices("href=\"") {
        let start = at + "href=\"".len();
        let Some(len) = html[start..].find('"') else {
            break;
        };
        if let Some(new) = by_href.get(&html[start..start + len]) {
            out.push_str(&html[copied..start]);
            out.push_str(new);
            copied = start + len;
        }
    }
    out.push_str(&html[copied..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_mapped_fragments_of_role_pages_change() {
        let html = r#"<p><a href="b.html#using-a-private-registry">x</a> <a href="c.html#keep">y</a> <a href="../en/b.html#using-a-private-registry">z</a> <a href="b.html">w</a></p>"#;
        let mapped = HashMap::from([(
            ("b", "using-a-private-registry"),
            "使用私有仓库".to_string(),
        )]);
        let out = map_fragments(html, &mapped);
        assert_eq!(
            out,
            html.replacen(
                "b.html#using-a-private-registry",
                "b.html#%E4%BD%BF%E7%94%A8%E7%A7%81%E6%9C%89%E4%BB%93%E5%BA%93",
                1
            )
        );
        assert_eq!(
            map_fragments("<a href=\"b.html#", &mapped),
            "<a href=\"b.html#"
        );
    }
}
