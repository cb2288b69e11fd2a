//! The side-by-side view of a role and the translation overview page.
//!
//! The side-by-side page shows the default language and one other language in
//! rows of paired sections (see [`crate::translation::pair_sections`]), so each
//! section sits level with its translation. With more than two languages,
//! the default language pairs with each other one on its own page. Each such
//! page exists in the words of both its languages (`parallel/<id>.html` and
//! `zh/<id>.parallel.html`), for readers coming from either; the language
//! switch moves between them. The two columns are one document: each keeps
//! its ids under its language's prefix (`en--duties`, `zh--duties`; see
//! [`super::combine`]), the same in every version of the page, so the switch
//! keeps the reader's row.

use serde::Serialize;

use super::combine::{Combined, Renamed};
use super::{LangLink, Renderer, SiteContext};
use crate::id::LangId;
use crate::markdown::{RenderedPage, Section};
use crate::route::Route;
use crate::translation::{one_sided_sections, pair_sections, status, Pair, Status};

#[derive(Serialize)]
struct Column<'a> {
    lang: &'a str,
    html_lang: &'a str,
    name: &'a str,
    title: &'a str,
    href: String,
    /// The role has no page in this language.
    missing: bool,
    /// The page is a translation the original changed after.
    stale: bool,
}

#[derive(Serialize)]
struct Cell<'a> {
    /// The section's HTML; `None` when only the other language has this
    /// section (or the column's language has no page at all).
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
    pub(super) fn parallel(
        &self,
        index: usize,
        other: LangId,
        reader: LangId,
    ) -> tera::TeraResult<tera::Context> {
        let h = self.handbook;
        let role = &h.roles[index];
        let keys = self.keys();
        let version = |other: LangId, reader: LangId| {
            Route::parallel_for(&keys, &role.id, other.index(), reader.index())
        };
        let here = version(other, reader);
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
                stale: !missing && status(h, role, lang) == Status::Stale,
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
            reader,
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
        let lang_id = |l: &crate::config::Lang| h.config.lang_id(&l.key).unwrap_or(other);
        // With more than two languages, the default language's readers
        // choose which other language sits beside it.
        let mut pairings = Vec::new();
        if reader.is_default() {
            pairings = self
                .site(reader, &here, |l| version(lang_id(l), reader))
                .languages;
            pairings.remove(0);
        }
        // The language switch: this view in the other column's words, or a
        // third language's own view.
        let site = self.site(reader, &here, |l| match lang_id(l) {
            l if l.is_default() => version(other, l),
            l if l == other => version(other, other),
            l => version(l, l),
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

    /// The pages of the two columns as one document: each column's ids
    /// under its language's prefix (`zh--duties`), and links to other roles
    /// to the same columns of their side-by-side pages.
    fn one_document(
        &self,
        other: LangId,
        reader: LangId,
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
                let page = Route::parallel_for(&keys, &linked.id, other.index(), reader.index())
                    .href_from(here);
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
        let keys = self.keys();
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
                            // In the overview's own words where it can be.
                            let reader = if l == lang { l } else { LangId::DEFAULT };
                            (!l.is_default()).then(|| {
                                Route::parallel_for(&keys, &role.id, l.index(), reader.index())
                                    .href_from(&here)
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
