//! The side-by-side view of a role and the translation overview page.
//!
//! The side-by-side page shows the default language and one other language in
//! rows of paired sections (see [`crate::translation::pair_sections`]), so each
//! section sits level with its translation. With more than two languages,
//! the default language pairs with each other one on its own page.

use serde::Serialize;

use super::{LangLink, Renderer, SiteContext};
use crate::config::Lang;
use crate::translation::{one_sided_sections, pair_sections, status};

/// Output path of the side-by-side page pairing the default language with
/// language number `other`: `parallel/<id>.html` for the first other
/// language, `parallel/<id>.<lang>.html` for further ones (ids have no dots,
/// and every page stays one folder deep, so the pages' relative links work).
pub fn path(langs: &[Lang], id: &str, other: usize) -> String {
    match other {
        0 | 1 => format!("parallel/{id}.html"),
        n => format!(
            "parallel/{id}.{}.html",
            langs.get(n).map_or("x", |l| l.key.as_str())
        ),
    }
}

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
    pub(super) fn parallel(&self, index: usize, other: usize) -> tera::TeraResult<tera::Context> {
        let h = self.handbook;
        let role = &h.roles[index];
        let langs = self.langs();
        let root = "../";
        let column = |lang: usize| {
            let (page_index, missing) = h.shown_page(role, lang);
            Column {
                lang: &langs[lang].key,
                html_lang: &langs[lang].html_lang,
                name: &langs[lang].name,
                title: &h.pages[page_index].title,
                href: format!("{root}{}/{}.html", langs[lang].key, role.id),
                missing,
            }
        };
        let (left_column, right_column) = (column(0), column(other));
        let section_html = |lang: usize, missing: bool| {
            let (page_index, _) = h.shown_page(role, lang);
            let r = &self.rendered[page_index];
            (!missing).then_some(r)
        };
        let left = section_html(0, left_column.missing).map(|r| &**r);
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
        let mut pairings = self
            .site(0, root, |l| {
                let n = langs.iter().position(|x| x.key == l.key).unwrap_or(1);
                format!("{root}{}", path(langs, &role.id, n))
            })
            .languages;
        pairings.remove(0);
        let site = self.site(0, root, |l| format!("{root}{}/{}.html", l.key, role.id));
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

    pub(super) fn translations(&self, lang: usize) -> tera::TeraResult<tera::Context> {
        let h = self.handbook;
        let langs = self.langs();
        // The same for every language's overview: worked out once.
        let states = self.translation_states.get_or_init(|| {
            h.roles
                .iter()
                .map(|role| {
                    let statuses = (0..langs.len())
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
                    href: format!("{}.html", role.id),
                    statuses,
                    one_sided,
                }
            })
            .collect();
        let context = TranslationsPage {
            site: self.site(lang, "../", |l| format!("../{}/translations.html", l.key)),
            languages: langs.iter().map(|l| l.key.as_str()).collect(),
            roles,
        };
        tera::Context::from_serialize(&context)
    }
}
