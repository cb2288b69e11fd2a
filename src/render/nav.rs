//! Finding one's way between roles: the sidebar (every role of the reader's
//! language by department, in the home page's order), previous / next links,
//! and the page's own table of contents as nested lists.
//!
//! A role page carries only its neighbours inline (so a handbook of 10,000
//! roles does not put 10,000 links in every page, and readers without
//! scripts still see where they are and a link to the full list); the full
//! list is one small script per language, `static/nav.<lang>.js`, loaded by
//! every page of that language and shared by the browser's cache.

use std::io::Write;

use serde::Serialize;

use super::Renderer;
use crate::handbook::Role;
use crate::id::LangId;
use crate::markdown::Heading;
use crate::route::Route;

/// The roles of one language in sidebar order, grouped by department; the
/// handbook's pages that are not roles (`kind: page`) first, as a group of
/// their own.
pub(super) struct Order {
    /// (department name, role indices), departments in order of first
    /// appearance; the first is the pages' group when `pages` is set.
    pub(super) departments: Vec<(String, Vec<usize>)>,
    /// The first group holds the pages that are not roles.
    pub(super) pages: bool,
    /// Each role's place: (department, position in it, position overall).
    places: Vec<(usize, usize, usize)>,
    /// Role indices in sidebar order.
    sequence: Vec<usize>,
}

/// A neighbouring role, as linked from a role page.
#[derive(Serialize)]
pub(crate) struct Neighbour<'a> {
    title: &'a str,
    href: String,
    html_lang: &'a str,
}

/// What a role page shows to find the way: its department's name, the
/// roles before and after it, and where the full list is.
#[derive(Serialize)]
pub(crate) struct RoleNav<'a> {
    /// This page, as linked from itself.
    here: String,
    department: &'a str,
    prev: Option<Neighbour<'a>>,
    next: Option<Neighbour<'a>>,
    /// The script with the whole sidebar of this language.
    script: String,
    /// The language's home, which lists every role.
    all_roles: String,
    /// The page's headings (levels 2 and 3) as nested lists.
    toc: Vec<TocEntry<'a>>,
}

/// One entry of the table of contents, with the entries below it.
#[derive(Serialize)]
pub(crate) struct TocEntry<'a> {
    id: &'a str,
    text: &'a str,
    children: Vec<TocEntry<'a>>,
}

/// The sidebar's data for one language, as written into its script.
#[derive(Serialize)]
struct NavData<'a> {
    lang: &'a str,
    label: &'a str,
    /// A role's link from any page of the language, `{id}` to fill in.
    href: String,
    departments: Vec<NavDepartment<'a>>,
}

#[derive(Serialize)]
struct NavDepartment<'a> {
    name: &'a str,
    /// (id, title) of each role, in order; hrefs follow the role-page route.
    roles: Vec<(&'a str, &'a str)>,
}

impl Order {
    /// Departments in order of their first role (roles are sorted already).
    pub(super) fn new(r: &Renderer, lang: LangId) -> Order {
        let h = r.handbook;
        let mut departments: Vec<(String, Vec<usize>)> = Vec::new();
        let mut by_name: std::collections::HashMap<String, usize> = Default::default();
        let pages: Vec<usize> = (0..h.roles.len())
            .filter(|&i| h.roles[i].kind == crate::frontmatter::Kind::Page)
            .collect();
        let has_pages = !pages.is_empty();
        if has_pages {
            let words = r.theme.words_for(r.lang(lang));
            let name = words
                .get("pages")
                .cloned()
                .unwrap_or_else(|| "Pages".to_string());
            departments.push((name, pages));
        }
        for (index, role) in h.roles.iter().enumerate() {
            if role.kind == crate::frontmatter::Kind::Page {
                continue;
            }
            let (page, _) = h.page_or_fallback(role, lang);
            let name = page.department.clone().unwrap_or_default();
            let slot = *by_name.entry(name.clone()).or_insert_with(|| {
                departments.push((name, Vec::new()));
                departments.len() - 1
            });
            departments[slot].1.push(index);
        }
        let mut places = vec![(0, 0, 0); h.roles.len()];
        let mut sequence = Vec::with_capacity(h.roles.len());
        for (d, (_, roles)) in departments.iter().enumerate() {
            for (i, &role) in roles.iter().enumerate() {
                places[role] = (d, i, sequence.len());
                sequence.push(role);
            }
        }
        Order {
            departments,
            pages: has_pages,
            places,
            sequence,
        }
    }
}

impl Renderer<'_> {
    /// The way-finding part of role `index`'s page in language `lang`.
    pub(super) fn role_nav<'s>(
        &'s self,
        index: usize,
        lang: LangId,
        headings: &'s [Heading],
    ) -> RoleNav<'s> {
        let order = self.order(lang);
        let (department, _, at) = order.places[index];
        let here = self.role_route(&self.handbook.roles[index], lang);
        let neighbour = |at: Option<usize>| {
            let role = &self.handbook.roles[*order.sequence.get(at?)?];
            let r = self.role_ref(role, lang);
            Some(Neighbour {
                title: r.title,
                href: self.role_route(role, lang).href_from(&here),
                html_lang: r.html_lang,
            })
        };
        let key = &self.lang(lang).key;
        RoleNav {
            here: here.href_from(&here),
            department: &order.departments[department].0,
            prev: neighbour(at.checked_sub(1)),
            next: neighbour(Some(at + 1)),
            script: Route::Navigation { lang: key }.href_via_root(&here),
            all_roles: self.home_route(lang).href_from(&here),
            toc: toc(headings),
        }
    }

    /// Writes `static/nav.<lang>.js`: every role of `lang` in sidebar order.
    pub(super) fn write_nav(&self, lang: LangId, out: &mut dyn Write) -> std::io::Result<()> {
        let order = self.order(lang);
        let departments = order
            .departments
            .iter()
            .map(|(name, roles)| NavDepartment {
                name,
                roles: roles
                    .iter()
                    .map(|&i| {
                        let role: &Role = &self.handbook.roles[i];
                        let (page, _) = self.handbook.page_or_fallback(role, lang);
                        (role.id.as_str(), page.title.as_str())
                    })
                    .collect(),
            })
            .collect();
        let words = self.theme.words_for(self.lang(lang));
        let key = &self.lang(lang).key;
        let href = Route::Role {
            lang: key,
            id: "{id}",
        }
        .href_from(&self.home_route(lang));
        let data = NavData {
            href,
            lang: key,
            label: words.get("roles").map_or("", String::as_str),
            departments,
        };
        out.write_all(b"window.ROLEBOOK_NAV=")?;
        serde_json::to_writer(&mut *out, &data)?;
        out.write_all(b";\n")
    }
}

/// Headings of levels 2 and 3 as nested lists: each level-3 heading under
/// the level-2 heading before it (or on its own before the first one).
fn toc(headings: &[Heading]) -> Vec<TocEntry<'_>> {
    let mut entries: Vec<TocEntry> = Vec::new();
    // Whether the last top-level entry is a level-2 heading.
    let mut under_two = false;
    for h in headings.iter().filter(|h| (2..=3).contains(&h.level)) {
        let entry = TocEntry {
            id: &h.id,
            text: &h.text,
            children: Vec::new(),
        };
        match entries.last_mut() {
            Some(parent) if h.level == 3 && under_two => parent.children.push(entry),
            _ => {
                under_two = h.level == 2;
                entries.push(entry);
            }
        }
    }
    entries
}
