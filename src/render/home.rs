//! Each language's home page: roles by department and the org chart.

use super::context::{Department, HomePage};
use super::{escape, Renderer};
use crate::handbook::Role;
use crate::id::LangId;
use crate::route::Route;

impl<'a> Renderer<'a> {
    pub(super) fn home(&self, lang: LangId) -> tera::TeraResult<tera::Context> {
        // The sidebar's order: the pages that are not roles, then the
        // departments in order of their first role.
        let order = self.order(lang);
        let mut departments: Vec<Department> = order
            .departments
            .iter()
            .map(|(name, roles)| Department {
                name: name.clone(),
                roles: roles.iter().map(|&i| self.role_value(i, lang)).collect(),
            })
            .collect();
        let pages = if order.pages {
            departments.remove(0).roles
        } else {
            Vec::new()
        };
        let mut site = self.site(lang, &self.home_route(lang), |l| Route::Home {
            lang: &l.key,
        });
        site.built = Some(crate::dates::format(self.built, &self.lang(lang).key));
        let here = self.home_route(lang);
        let print = Route::Print {
            lang: &self.lang(lang).key,
            part: None,
        };
        let bilingual = (self.langs().len() > 1).then_some(Route::ParallelPrint { part: None });
        let context = HomePage {
            print: print.href_from(&here),
            print_bilingual: bilingual.map(|r| r.href_from(&here)),
            site,
            pages,
            departments,
            org_chart: self.org_chart(lang).to_string(),
        };
        tera::Context::from_serialize(&context)
    }

    /// Nested `<ul>` of roles by `reports_to`, each linking to the role in `lang`.
    pub(super) fn org_chart(&self, lang: LangId) -> &str {
        self.org_charts[lang.index()].get_or_init(|| {
            let mut html = String::new();
            let roots: Vec<&Role> = self.handbook.org_roots().collect();
            let words = self.theme.words_for(self.lang(lang));
            let cut = words.get("org_chart_cut").map_or("", String::as_str);
            if !roots.is_empty() {
                self.org_list(&roots, lang, &mut html, (0, cut));
            }
            html
        })
    }

    /// `depth` is how deep this list is and the note shown where the chart
    /// stops at [`crate::handbook::MAX_ORG_DEPTH`].
    fn org_list(&self, roles: &[&'a Role], lang: LangId, html: &mut String, depth: (usize, &str)) {
        let (depth, cut) = depth;
        html.push_str(if depth == 0 {
            "<ul class=\"org-chart\">"
        } else {
            "<ul>"
        });
        for role in roles {
            let r = self.role_ref(role, lang);
            html.push_str("<li><a class=\"org-role\" href=\"");
            escape(html, &r.href);
            html.push_str("\" lang=\"");
            escape(html, r.html_lang);
            html.push_str("\">");
            escape(html, r.title);
            html.push_str("</a>");
            let reports: Vec<&Role> = self.handbook.direct_reports(&role.id).collect();
            if !reports.is_empty() && depth < crate::handbook::MAX_ORG_DEPTH {
                self.org_list(&reports, lang, html, (depth + 1, cut));
            } else if !reports.is_empty() {
                // Said on the page too: `check` warns `org-chart-depth`.
                html.push_str("<ul><li class=\"org-cut\">");
                escape(html, cut);
                html.push_str("</li></ul>");
            }
            html.push_str("</li>");
        }
        html.push_str("</ul>");
    }
}
