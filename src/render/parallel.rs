//! The side-by-side view of a role and the translation overview page.
//!
//! The side-by-side page shows the default language and one other language in
//! rows of paired sections (see [`crate::translation::pair_sections`]), so each
//! section sits level with its translation. With more than two languages,
//! the default language pairs with each other one on its own page.

use serde::Serialize;

use super::{LangLink, Renderer, SiteContext};
use crate::id::LangId;
use crate::route::Route;
use crate::translation::{one_sided_sections, pair_sections, status};

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
}

#[derive(Serialize)]
struct TranslationsPage<'a> {
    site: SiteContext<'a>,
    languages: Vec<&'a str>,
    roles: Vec<TranslationRow<'a>>,
}

impl Renderer<'_> {
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
        let section_html = |lang: LangId, missing: bool| {
            let (page_index, _) = h.shown_page(role, lang);
            let r = &self.rendered[page_index];
            (!missing).then_some(r)
        };
        let left = section_html(LangId::DEFAULT, left_column.missing).map(|r| &**r);
        let right = section_html(other, right_column.missing).map(|r| &**r);
        let empty = Vec::new();
        let pairs = pair_sections(
            left.map_or(&empty, |r| &r.sections),
            right.map_or(&empty, |r| &r.sections),
        );
        fn cell(r: Option<&crate::markdown::RenderedPage>, i: Option<usize>) -> Cell<'_> {
            Cell {
                html: r
                    .zip(i)
                    .map(|(r, i)| &r.html[r.sections[i].html_range.clone()]),
            }
        }
        let rows = pairs
            .iter()
            .map(|p| Row {
                left: cell(left, p.left),
                right: cell(right, p.right),
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
        let site = self.site(LangId::DEFAULT, &here, |l| Route::Role {
            lang: &l.key,
            id: &role.id,
        });
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
