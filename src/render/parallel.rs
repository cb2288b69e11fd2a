//! The side-by-side view of a role and the translation overview page.
//!
//! The side-by-side page shows the default language and one other language in
//! rows of paired sections (see [`crate::translation::pair_sections`]), so each
//! section sits level with its translation. With more than two languages,
//! the default language pairs with each other one on its own page. The two
//! columns are one document: each keeps its ids under its language's prefix
//! (`en--duties`, `zh--duties`; see [`super::combine`]), and the language
//! switch maps those back to the role pages' ids.

use std::collections::BTreeMap;

use serde::Serialize;

use super::combine::{Combined, Renamed};
use super::{LangLink, Renderer, SiteContext};
use crate::id::LangId;
use crate::markdown::{RenderedPage, Section};
use crate::route::Route;
use crate::translation::{one_sided_sections, pair_sections, status, Pair};

#[derive(Serialize)]
struct Column<'a> {
    lang: &'a str,
    html_lang: &'a str,
    name: &'a str,
    title: &'a str,
    href: String,
    /// The role has no page in this language.
    missing: bool,
}

#[derive(Serialize)]
struct Cell<'a> {
    /// The section's HTML; `None` when only the other language has this section.
    html: Option<&'a str>,
}

#[derive(Serialize)]
struct Row<'a> {
    left: Cell<'a>,
    right: Cell<'a>,
}

#[derive(Serialize)]
struct ParallelPage<'a> {
    site: SiteContext<'a>,
    id: &'a str,
    left: Column<'a>,
    right: Column<'a>,
    rows: Vec<Row<'a>>,
    /// Other side-by-side pages of this role (with more than two languages).
    pairings: Vec<LangLink<'a>>,
}

#[derive(Serialize)]
struct TranslationRow<'a> {
    id: &'a str,
    title: &'a str,
    href: String,
    /// One status per language, in book.toml order (default first).
    statuses: &'a [&'static str],
    /// Section ids present in only one language, per other language: `zh: only-en-section`.
    one_sided: &'a [String],
    /// Per language (aligned with `statuses`): the side-by-side page that
    /// pairs it with the original; `None` for the original itself.
    parallel_hrefs: Vec<Option<String>>,
}

#[derive(Serialize)]
struct TranslationsPage<'a> {
    site: SiteContext<'a>,
    languages: Vec<&'a str>,
    roles: Vec<TranslationRow<'a>>,
}

impl<'a> Renderer<'a> {
    pub(super) fn parallel(&self, index: usize, other: LangId) -> tera::TeraResult<tera::Context> {
        let h = self.handbook;
        let role = &h.roles[index];
        let here = Route::parallel(&self.keys(), &role.id, other.index());
        let column = |lang: LangId| {
            let (page_index, missing) = h.shown_page(role, lang);
            let l = self.lang(lang);
            Column {
                lang: &l.key,
                html_lang: &l.html_lang,
                name: &l.name,
                title: &h.pages[page_index].title,
                href: self.role_route(role, lang).href_via_root(&here),
                missing,
            }
        };
        let (left_column, right_column) = (column(LangId::DEFAULT), column(other));
        let shown = |lang: LangId, missing: bool| {
            let (page_index, _) = h.shown_page(role, lang);
            (!missing).then(|| &*self.rendered[page_index])
        };
        let left = shown(LangId::DEFAULT, left_column.missing);
        let right = shown(other, right_column.missing);
        let renamed = self.one_document(
            other,
            &here,
            [(left, left_column.lang), (right, right_column.lang)],
        );
        let sections = |page: Option<&'a RenderedPage>| page.map_or(&[][..], |p| &p.sections[..]);
        let pairs = pair_sections(sections(left), sections(right));
        let rows = pairs
            .iter()
            .map(|p| Row {
                left: cell(p, p.left, renamed[0].as_ref()),
                right: cell(p, p.right, renamed[1].as_ref()),
            })
            .collect();
        let keys = self.keys();
        let mut pairings = self
            .site(LangId::DEFAULT, &here, |l| {
                let n = keys.iter().position(|k| *k == l.key).unwrap_or(1);
                Route::parallel(&keys, &role.id, n)
            })
            .languages;
        pairings.remove(0);
        let mut site = self.site(LangId::DEFAULT, &here, |l| Route::Role {
            lang: &l.key,
            id: &role.id,
        });
        let maps = switch_maps(&pairs, [renamed[0].as_ref(), renamed[1].as_ref()]);
        set_switch_maps(&mut site, maps, [left_column.lang, right_column.lang]);
        let context = ParallelPage {
            site,
            id: &role.id,
            left: left_column,
            right: right_column,
            rows,
            pairings,
        };
        tera::Context::from_serialize(&context)
    }

    /// The pages of the two columns as one document: each column's ids
    /// under its language's prefix (`zh--duties`), and links to other roles
    /// to the same columns of their side-by-side pages.
    fn one_document(
        &self,
        other: LangId,
        here: &Route,
        columns: [(Option<&RenderedPage>, &str); 2],
    ) -> [Option<Renamed>; 2] {
        let h = self.handbook;
        let keys = self.keys();
        let mut document = Combined::default();
        columns.map(|(page, key)| {
            let prefix = format!("{key}--");
            let elsewhere = |path: &str| {
                let id = path.strip_suffix(".html").filter(|id| !id.contains('/'))?;
                let linked = &h.roles[h.role_index(id)?];
                let page = Route::parallel(&keys, &linked.id, other.index()).href_from(here);
                Some((page, prefix.clone()))
            };
            page.map(|p| document.add_linked(&p.html, &prefix, &elsewhere))
        })
    }

    pub(super) fn translations(&self, lang: LangId) -> tera::TeraResult<tera::Context> {
        let h = self.handbook;
        let here = Route::Translations {
            lang: &self.lang(lang).key,
        };
        let langs = self.langs();
        // The same for every language's overview: worked out once.
        let states = self.translation_states.get_or_init(|| {
            h.roles
                .iter()
                .map(|role| {
                    let statuses = h
                        .config
                        .lang_ids()
                        .map(|l| status(h, role, l).as_str())
                        .collect();
                    (statuses, one_sided_sections(h, self.rendered, role))
                })
                .collect()
        });
        let roles = h
            .roles
            .iter()
            .zip(states)
            .map(|(role, (statuses, one_sided))| {
                let (page, _) = h.page_or_fallback(role, lang);
                TranslationRow {
                    id: &role.id,
                    title: &page.title,
                    href: self.role_route(role, lang).href_from(&here),
                    statuses,
                    one_sided,
                    parallel_hrefs: h
                        .config
                        .lang_ids()
                        .map(|l| {
                            (!l.is_default()).then(|| {
                                Route::parallel(&self.keys(), &role.id, l.index()).href_from(&here)
                            })
                        })
                        .collect(),
                }
            })
            .collect();
        let context = TranslationsPage {
            site: self.site(lang, &here, |l| Route::Translations { lang: &l.key }),
            languages: langs.iter().map(|l| l.key.as_str()).collect(),
            roles,
        };
        tera::Context::from_serialize(&context)
    }
}

/// The cell of one side of `pair`: what it shows of `section`, from its page
/// as renamed for the side-by-side document.
fn cell<'r>(pair: &Pair, section: Option<&Section>, page: Option<&'r Renamed>) -> Cell<'r> {
    Cell {
        html: section.zip(page).map(|(s, page)| page.range(pair.shown(s))),
    }
}

/// The language switch's section maps on a side-by-side page, for the left
/// and the right language's link: from each id a column shows (prefixed) to
/// the id of the same section on that language's role page. A section the
/// other language lacks maps to the last section before it that it has.
fn switch_maps(rows: &[Pair], pages: [Option<&Renamed>; 2]) -> [BTreeMap<String, String>; 2] {
    let mut maps = [BTreeMap::new(), BTreeMap::new()];
    let mut last: [Option<&str>; 2] = [None, None];
    for row in rows {
        let sides = [row.left, row.right];
        for (side, section) in sides.iter().enumerate() {
            if let Some(id) = section.and_then(|s| s.id.as_deref()) {
                last[side] = Some(id);
            }
        }
        for (side, (section, page)) in sides.into_iter().zip(pages).enumerate() {
            let (Some(section), Some(page)) = (section, page) else {
                continue;
            };
            let shown: Vec<&Section> = if row.split {
                vec![section]
            } else {
                section.with_subsections().collect()
            };
            for id in shown.into_iter().filter_map(|s| s.id.as_deref()) {
                let Some(new) = page.id(id) else { continue };
                if let Some(partner) = last[1 - side] {
                    maps[1 - side].insert(new.clone(), partner.to_string());
                }
                maps[side].insert(new, id.to_string());
            }
        }
    }
    maps
}

/// Gives the language switch of a side-by-side page its section maps (see
/// [`switch_maps`]); the links to other languages go to the top of their page.
fn set_switch_maps(site: &mut SiteContext, maps: [BTreeMap<String, String>; 2], keys: [&str; 2]) {
    for link in &mut site.languages {
        let map = match keys.iter().position(|k| *k == link.key) {
            Some(side) => maps[side].clone(),
            None => maps
                .iter()
                .flatten()
                .map(|(id, _)| (id.clone(), String::new()))
                .collect(),
        };
        link.sections = Some(serde_json::to_string(&map).unwrap_or_default());
    }
}
