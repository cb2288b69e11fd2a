//! The comparison a page with `compare: [a, b]` shows under its own text, in
//! the reader's language: the compared roles' facts side by side, then
//! their sections in rows ([`crate::compare::align`]), one column per role.
//! The roles' pages become one document with the comparing page (each
//! role's ids under its own prefix, `secretary--duties`; see
//! [`super::combine`]), so no id repeats and in-page links still work.

use serde::Serialize;

use super::combine::Combined;
use super::Renderer;
use crate::id::LangId;

/// A link, or plain text when `href` is `None`.
#[derive(Serialize)]
pub(crate) struct Item {
    text: String,
    href: Option<String>,
    html_lang: String,
}

#[derive(Serialize)]
pub(crate) struct FactRow {
    /// Key of the interface word that names the fact (`department`).
    label: &'static str,
    /// Per compared role: its values (none, one, or several).
    cells: Vec<Vec<Item>>,
}

#[derive(Serialize)]
pub(crate) struct ComparedRole<'a> {
    id: &'a str,
    title: &'a str,
    href: String,
    html_lang: &'a str,
}

#[derive(Serialize)]
pub(crate) struct Comparison<'a> {
    roles: Vec<ComparedRole<'a>>,
    facts: Vec<FactRow>,
    /// Rows of sections, each cell a compared role's section HTML (marked
    /// safe by the template) or `None`.
    rows: Vec<Vec<Option<String>>>,
}

impl<'a> Renderer<'a> {
    /// The comparison on role `index`'s page in language `lang`, if the
    /// role compares others.
    pub(super) fn comparison(&self, index: usize, lang: LangId) -> Option<Comparison<'a>> {
        let h = self.handbook;
        let compared: Vec<usize> = h.roles[index]
            .lifecycle
            .compare
            .iter()
            .filter_map(|c| h.role_index(&c.value))
            .collect();
        if compared.is_empty() {
            return None;
        }
        let here = self.role_route(&h.roles[index], lang);
        let link = |r: usize| {
            let role = &h.roles[r];
            let (page, _) = h.page_or_fallback(role, lang);
            Item {
                text: page.title.clone(),
                href: Some(self.role_route(role, lang).href_from(&here)),
                html_lang: h.config.lang_of(page.lang_id).html_lang.clone(),
            }
        };
        let text = |text: String, lang_id: LangId| Item {
            text,
            href: None,
            html_lang: h.config.lang_of(lang_id).html_lang.clone(),
        };
        let mut facts = vec![
            ("department", Vec::new()),
            ("reports_to", Vec::new()),
            ("direct_reports", Vec::new()),
            ("effective", Vec::new()),
            ("role_version", Vec::new()),
            ("owner", Vec::new()),
        ];
        let mut roles = Vec::new();
        let mut document = Combined::default();
        let mut pages = Vec::new();
        for &r in &compared {
            let role = &h.roles[r];
            let (page_id, _) = h.shown_page(role, lang);
            let page = &h.pages[page_id];
            let shown = h.config.lang_of(page.lang_id);
            roles.push(ComparedRole {
                id: &role.id,
                title: &page.title,
                href: self.role_route(role, lang).href_from(&here),
                html_lang: &shown.html_lang,
            });
            let f = self.facts(role, lang);
            let boss = h.boss(r);
            let cells = [
                page.department
                    .clone()
                    .map(|d| text(d, page.lang_id))
                    .into_iter()
                    .collect(),
                boss.map(link).into_iter().collect(),
                (h.direct_report_indexes(&role.id).iter())
                    .map(|&d| link(d))
                    .collect(),
                f.effective.map(|d| text(d, lang)).into_iter().collect(),
                f.version
                    .map(|v| text(v.to_string(), lang))
                    .into_iter()
                    .collect(),
                f.owner
                    .map(|o| text(o.to_string(), lang))
                    .into_iter()
                    .collect(),
            ];
            for ((_, column), cell) in facts.iter_mut().zip(cells) {
                column.push(cell);
            }
            let md = &self.rendered[page_id];
            pages.push((md, document.add(&md.html, &format!("{}--", role.id))));
        }
        let sections: Vec<&[crate::markdown::Section]> =
            pages.iter().map(|(md, _)| &md.sections[..]).collect();
        let rows = crate::compare::align(&sections)
            .into_iter()
            .map(|row| {
                row.iter()
                    .zip(&pages)
                    .map(|(cell, (md, renamed))| {
                        cell.map(|i| renamed.range(md.sections[i].html_range.clone()).to_string())
                    })
                    .collect()
            })
            .collect();
        Some(Comparison {
            roles,
            facts: facts
                .into_iter()
                .filter(|(_, cells)| cells.iter().any(|c: &Vec<Item>| !c.is_empty()))
                .map(|(label, cells)| FactRow { label, cells })
                .collect(),
            rows,
        })
    }

    /// The pages that compare role `index`, as linked from language `lang`.
    pub(super) fn compared_in(&self, index: usize, lang: LangId) -> Vec<tera::Value> {
        self.handbook
            .comparisons_of(index)
            .iter()
            .map(|&c| self.role_value(c, lang))
            .collect()
    }
}
