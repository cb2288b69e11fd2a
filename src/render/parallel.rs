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
//!
//! A stale translation shows its drift ([`crate::drift`]) here too: rows
//! whose original changed are highlighted and can show the original's diff
//! (`<details>`, so it opens without scripts; `drift.js` opens them all);
//! its role page lists and marks the changed sections ([`RoleDrift`]); the
//! overview says how many sections changed per stale cell.

use std::collections::{BTreeMap, HashSet};

use serde::Serialize;

use super::combine::{self, Combined, Renamed};
use super::{LangLink, Renderer, SiteContext};
use crate::drift::{self, diff, Drift, Kind, State};
use crate::id::{LangId, PageId};
use crate::markdown::{RenderedPage, Section};
use crate::route::Route;
use crate::translation::{one_sided_sections, status, Pair, Status};

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
    /// The row's original changed since the translation was made.
    drift: Option<RowDrift>,
}

/// How a row's original differs from the version translated.
#[derive(Serialize)]
struct RowDrift {
    /// `changed`, `added` or `removed` (the translation's section has no original any more).
    kind: Kind,
    /// The original's diff as HTML (`<del>`, `<ins>`); none for removed sections.
    diff: Option<String>,
}

/// How much of a stale translation's original changed.
#[derive(Serialize)]
pub(crate) struct DriftCount {
    /// Sections changed, added or removed (0: only formatting changed).
    changed: usize,
    /// Sections compared.
    total: usize,
}

/// What a stale translation's role page says about its drift.
#[derive(Serialize)]
pub(crate) struct RoleDrift {
    /// `None` when the snapshot is missing: the page is stale as a whole.
    count: Option<DriftCount>,
    /// Each section that changed: its heading and where to see it.
    sections: Vec<DriftLink>,
}

#[derive(Serialize)]
struct DriftLink {
    heading: String,
    kind: Kind,
    /// The translation's section, else the original's row in the side-by-side view.
    href: String,
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
    /// For a stale translation with its snapshot: how much changed.
    drift: Option<DriftCount>,
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
    /// Per language (aligned with `statuses`): for a stale translation with
    /// its snapshot, how many sections changed.
    drift: Vec<Option<DriftCount>>,
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
            (!missing).then_some(page_index)
        };
        let (left, right) = (
            shown(LangId::DEFAULT, left_column.missing),
            shown(other, right_column.missing),
        );
        let renamed = self.one_document(
            other,
            reader,
            &here,
            [(left, left_column.lang), (right, right_column.lang)],
        );
        let page = |index: Option<PageId>| index.map(|i| &*self.rendered[i]);
        let (left, right) = (page(left), page(right));
        let pairs = self.paired_shown(index, other, [left.is_some(), right.is_some()]);
        let drift = match (left, right) {
            (Some(l), Some(r)) => self.drift(index, other).map(|d| (d, l, r)),
            _ => None,
        };
        let row_drifts = drift.map(|(d, l, r)| self.row_drifts(d, &pairs, l, r));
        let rows = pairs
            .iter()
            .enumerate()
            .map(|(i, p)| Row {
                left: cell(p, p.left, renamed[0].as_ref()),
                right: cell(p, p.right, renamed[1].as_ref()),
                drift: row_drifts
                    .as_ref()
                    .and_then(|r| r.get(&i))
                    .map(|d| RowDrift {
                        kind: d.0,
                        diff: d.1.clone(),
                    }),
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
            drift: drift.map(|(d, _, _)| count(d)),
        };
        tera::Context::from_serialize(&context)
    }

    /// The drift of role number `role`'s `lang` translation, when it is
    /// stale and its snapshot is there.
    fn drift(&self, role: usize, lang: LangId) -> Option<&Drift> {
        match self.drift.get(self.handbook, self.rendered, role, lang)? {
            State::Drift(d) => Some(d),
            State::NoSnapshot { .. } => None,
        }
    }

    /// Per row (by number) whose original drifted: how, and the diff to show.
    fn row_drifts(
        &self,
        drift: &Drift,
        pairs: &[Pair],
        original: &RenderedPage,
        translation: &RenderedPage,
    ) -> BTreeMap<usize, (Kind, Option<String>)> {
        let lang = self.lang(LangId::DEFAULT);
        let granularity = diff::Granularity::for_lang(&lang.html_lang);
        let removed: HashSet<usize> =
            drift::translation_sections(drift, &original.sections, &translation.sections)
                .into_iter()
                .filter(|(_, d)| d.kind == Kind::Removed)
                .map(|(s, _)| s.html_range.start)
                .collect();
        let mut rows = BTreeMap::new();
        for (i, p) in pairs.iter().enumerate() {
            if let Some(l) = p.left {
                let changed = drift
                    .get(&drift::name(l))
                    .filter(|d| d.kind != Kind::Removed);
                if let Some(d) = changed {
                    let segments = diff::segments(&d.before, &d.after, granularity);
                    rows.insert(i, (d.kind, Some(diff::html(&segments))));
                }
            } else if p
                .right
                .is_some_and(|r| removed.contains(&r.html_range.start))
            {
                rows.insert(i, (Kind::Removed, None));
            }
        }
        rows
    }

    /// The drift of role number `index`'s `lang` page, shown on that page:
    /// its HTML with a marker in each section whose original changed, and
    /// the notice's list. `(None, None)` unless the page is a stale translation.
    pub(super) fn role_drift(
        &self,
        index: usize,
        lang: LangId,
        here: &Route,
    ) -> (Option<String>, Option<RoleDrift>) {
        let h = self.handbook;
        let role = &h.roles[index];
        let (page_index, fallback) = h.shown_page(role, lang);
        let state = (!fallback)
            .then(|| self.drift.get(h, self.rendered, index, lang))
            .flatten();
        let Some(state) = state else {
            return (None, None);
        };
        let State::Drift(drift) = state else {
            let notice = RoleDrift {
                count: None,
                sections: Vec::new(),
            };
            return (None, Some(notice));
        };
        let Some(original) = role.page_id(LangId::DEFAULT).map(|i| &*self.rendered[i]) else {
            return (None, None);
        };
        let translation = &*self.rendered[page_index];
        let parallel = Route::parallel_for(&self.keys(), &role.id, lang.index(), lang.index())
            .href_via_root(here);
        let found = drift::translation_sections(drift, &original.sections, &translation.sections);
        let default_key = &self.lang(LangId::DEFAULT).key;
        let sections = drift
            .sections
            .iter()
            .map(|d| {
                let mine = found
                    .iter()
                    .find(|(_, f)| std::ptr::eq(*f, d))
                    .map(|(s, _)| *s);
                let href = match (mine.and_then(|s| s.id.as_deref()), d.kind) {
                    (Some(id), _) => format!("#{id}"),
                    (None, Kind::Removed) => parallel.clone(),
                    (None, _) if d.id.starts_with('(') => parallel.clone(),
                    (None, _) => format!("{parallel}#{default_key}--{}", d.id),
                };
                let heading = mine.map_or_else(|| d.heading.clone(), |s| s.heading.clone());
                DriftLink {
                    heading: if heading.is_empty() {
                        d.id.clone()
                    } else {
                        heading
                    },
                    kind: d.kind,
                    href,
                }
            })
            .collect();
        let words = self.theme.words_for(self.lang(lang));
        let html = mark_sections(&translation.html, &found, &words, &parallel);
        let notice = RoleDrift {
            count: Some(count(drift)),
            sections,
        };
        (Some(html), Some(notice))
    }

    /// The pages of the two columns as one document: each column's ids
    /// under its language's prefix (`zh--duties`), and links to other roles
    /// to the same columns of their side-by-side pages.
    fn one_document(
        &self,
        other: LangId,
        reader: LangId,
        here: &Route,
        columns: [(Option<PageId>, &str); 2],
    ) -> [Option<Renamed>; 2] {
        let h = self.handbook;
        let keys = self.keys();
        let mut document = Combined::default();
        columns.map(|(page, key)| {
            let prefix = format!("{key}--");
            let elsewhere = |role: usize, fragment: Option<&str>| {
                let linked = &h.roles[role];
                let page = Route::parallel_for(&keys, &linked.id, other.index(), reader.index())
                    .href_from(here);
                Some(combine::prefixed(&page, fragment, &prefix))
            };
            page.map(|p| match self.rename_ids {
                true => {
                    let html = &self.rendered[p].html;
                    document.add_scanned(html, self.scan(p), &prefix, &elsewhere)
                }
                false => Renamed::as_is(&self.rendered[p].html),
            })
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
            .enumerate()
            .map(|(index, (role, (statuses, one_sided)))| {
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
                    drift: h
                        .config
                        .lang_ids()
                        .map(|l| self.drift(index, l).map(count))
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

/// How many sections of `drift`'s original changed, of how many.
fn count(drift: &Drift) -> DriftCount {
    DriftCount {
        changed: drift.sections.len(),
        total: drift.compared,
    }
}

/// `html` (a translation's page) with a marker at the top of each section
/// in `found` (after its heading): the original of that section changed
/// (or is gone), with a link to the side-by-side view that shows how.
fn mark_sections(
    html: &str,
    found: &[(&Section, &drift::SectionDrift)],
    words: &BTreeMap<String, String>,
    parallel: &str,
) -> String {
    let word = |key: &str| {
        html_escape::encode_text(words.get(key).map_or("", String::as_str)).into_owned()
    };
    let mut out = String::with_capacity(html.len() + found.len() * 160);
    let mut done = 0;
    for (section, d) in found {
        let start = section.html_range.start;
        // After the heading's closing tag; at the start for the lead-in.
        let at = match section.id {
            Some(_) => html[start..]
                .find("</h")
                .and_then(|close| {
                    html[start + close..]
                        .find('>')
                        .map(|e| start + close + e + 1)
                })
                .unwrap_or(start),
            None => start,
        };
        if at < done {
            continue;
        }
        let key = match d.kind {
            Kind::Removed => "drift_marker_removed",
            _ => "drift_marker_changed",
        };
        out.push_str(&html[done..at]);
        out.push_str(&format!(
            "<p class=\"drift-marker\" data-kind=\"{}\"><span>{}</span> <a href=\"{}\">{}</a></p>",
            d.kind.as_str(),
            word(key),
            html_escape::encode_double_quoted_attribute(parallel),
            word("drift_show_changes"),
        ));
        done = at;
    }
    out.push_str(&html[done..]);
    out
}
