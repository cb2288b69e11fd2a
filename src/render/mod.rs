//! From a validated handbook to every output file, in memory.
//!
//! Sixth stage. Builds one typed context per output page (never the whole
//! handbook per page) and renders it through the theme, in parallel:
//! the language chooser, each language's home, each role page in each
//! language (a fallback page where a translation is missing), the
//! side-by-side pages, 404.html, sitemap.xml, and the theme's static files.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::sync::{Arc, OnceLock};

use rayon::prelude::*;

use crate::config::Lang;
use crate::diagnostic::{Code, Diagnostic};
use crate::fsutil::FsError;
use crate::handbook::{Handbook, Role};
use crate::id::{LangId, PageId};
use crate::markdown::RenderedPage;
use crate::output::Sink;
use crate::route::Route;
use crate::theme::{template_error, Theme};
use crate::translation::Pair;

pub mod assets;
pub mod budget;
pub mod combine;
mod comparison;
mod context;
mod governance;

pub(crate) use job::is_generated;
mod home;
mod job;
mod nav;
mod not_found;
mod parallel;
mod print;

use context::{LangLink, RoleContext, RolePage, RoleRef, SimplePage, SiteContext};
use job::{job_for, Job};

/// Why rendering stopped.
pub enum Failure {
    /// Templates that failed, as diagnostics.
    Templates(Vec<Diagnostic>),
    Io(FsError),
}

/// Renders the whole site into `sink` (each page is handed over as soon as it
/// is rendered, never collected); `rendered[i]` is the Markdown of
/// `handbook.pages[i]`. Returns the number of HTML pages.
pub fn render_site(
    handbook: &Handbook,
    rendered: &[Arc<RenderedPage>],
    theme: &Theme,
    sink: &dyn Sink,
) -> Result<usize, Failure> {
    let mut clock = crate::timing::Lap::start();
    let mut r = Renderer::new(handbook, rendered, theme);
    r.rename_ids = !sink.discards();
    let (watch, _watchdog) =
        budget::Watch::start(handbook.config.render_timeout, &theme.template_files);
    // The pages about the whole handbook (each a large job) first, so that
    // no core is left with one of them at the end.
    let config = &handbook.config;
    // The print books first of all: each is the longest job (see print.rs).
    let mut jobs: Vec<Job> = r.print_jobs();
    jobs.extend(config.lang_ids().flat_map(|lang| {
        [
            Job::Translations { lang },
            Job::Home { lang },
            Job::Changes { lang },
        ]
    }));
    jobs.extend(Job::redirects(handbook));
    jobs.extend([Job::Chooser, Job::NotFound]);
    for lang in config.lang_ids() {
        jobs.extend((0..handbook.roles.len()).map(|role| Job::Role { role, lang }));
    }
    // Each side-by-side page twice: in the default language's words and
    // in the other language's, for readers coming from either.
    for other in config.lang_ids().skip(1) {
        for reader in [LangId::DEFAULT, other] {
            jobs.extend((0..handbook.roles.len()).map(|role| Job::Parallel {
                role,
                other,
                reader,
            }));
        }
    }
    // The search index first (on every core): its postings are freed before
    // the pages take their memory.
    let mut index_clock = crate::timing::Lap::start();
    let index = match sink.discards() {
        true => Ok(()),
        false => {
            crate::search::write_index(handbook, rendered, &|path, bytes| sink.put(path, bytes))
        }
    };
    index_clock.lap("(search index alone)");
    // The files made from the whole handbook (sitemap, manifest, sidebar
    // scripts) are written beside the pages rather than after them, so that
    // no core waits for them at the end. Pages go to the cores at most
    // `LEAF` at a time: a core that runs out of work can always take over
    // the rest of another's, and none finishes long after the other.
    const LEAF: usize = 32;
    let (results, site_files) = rayon::join(
        || {
            jobs.par_iter()
                .with_max_len(LEAF)
                .map(|job| r.put_job(job, sink, &watch))
                .collect::<Vec<Result<(), Failure>>>()
        },
        || match sink.discards() {
            // `check`: the rest is bytes made from what is checked already.
            true => Ok(()),
            false => r.put_site_files(sink),
        },
    );
    clock.lap("templates + search index");
    let mut problems = Vec::new();
    for result in results {
        match result {
            Ok(()) => {}
            Err(Failure::Templates(d)) => problems.extend(d),
            Err(io) => return Err(io),
        }
    }
    if !problems.is_empty() {
        return Err(Failure::Templates(problems));
    }
    index.map_err(Failure::Io)?;
    site_files.map_err(Failure::Io)?;
    // Freeing what was found of every page takes a while and nothing waits for it.
    let found = (
        std::mem::take(&mut r.scans),
        std::mem::take(&mut r.refs),
        std::mem::take(&mut r.section_ids),
    );
    std::thread::spawn(move || drop(found));
    Ok(jobs.len())
}

/// Renders the one output file at `path` (for `serve`, which renders pages
/// when they are asked for instead of the whole site after every save).
/// `None` when the site has no such file. Assets under `assets/` are not
/// handled here (they are files from content/, see `rolebook::asset`).
pub fn render_path(
    handbook: &Handbook,
    rendered: &[Arc<RenderedPage>],
    theme: &Theme,
    path: &str,
) -> Option<Result<Vec<u8>, Diagnostic>> {
    if let Some(bytes) = theme.static_files.get(path) {
        return Some(Ok(bytes.clone()));
    }
    let r = Renderer::new(handbook, rendered, theme);
    match Route::parse(path)? {
        Route::Sitemap => return Some(Ok(r.sitemap().into_bytes())),
        Route::Manifest => return Some(Ok(r.manifest().into_bytes())),
        route @ (Route::SearchIndex | Route::SearchPart { .. }) => {
            return crate::search::render_file(handbook, rendered, route).map(Ok);
        }
        Route::Navigation { lang } => {
            let mut out = Vec::new();
            let _ = r.write_nav(handbook.config.lang_id(lang)?, &mut out);
            return Some(Ok(out));
        }
        _ => {}
    }
    let job = job_for(handbook, path)?;
    Some(r.render_job(&job, None).map(|(_, html)| html))
}

pub(crate) struct Renderer<'a> {
    handbook: &'a Handbook,
    rendered: &'a [Arc<RenderedPage>],
    theme: &'a Theme,
    /// Each language's interface words (`site.ui`), converted for Tera once
    /// and shared by every page: Tera values are reference-counted.
    ui: Vec<tera::Value>,
    /// Each role as linked from each language (`refs[lang][role]`, a
    /// [`RoleRef`]), converted for Tera when first needed, then shared.
    refs: Vec<Vec<OnceLock<tera::Value>>>,
    /// Per page: where its HTML names ids, for the documents it is
    /// combined into, found when first needed.
    scans: Vec<OnceLock<combine::Scan>>,
    /// Per page: its headings' ids, each followed by a newline, in one
    /// string (a link into a print book asks whether its target has a
    /// section; one short string is read faster than each heading's).
    section_ids: Vec<OnceLock<Box<str>>>,
    /// Per role: its translation status in each language and its one-sided
    /// sections, for the translation overview of every language.
    translation_states: OnceLock<Vec<(Vec<&'static str>, Vec<String>)>>,
    /// Each language's roles in sidebar order, worked out when first needed.
    orders: Vec<OnceLock<nav::Order>>,
    /// Each language's org chart (its home page and its print book show
    /// it), made when first needed.
    org_charts: Vec<OnceLock<String>>,
    /// Per other language and role (`pairs[other][role]`): the sections of
    /// the role's page in that language paired with the default language's
    /// (two side-by-side pages and the bilingual book show them), made when
    /// first needed.
    pairs: Vec<Vec<OnceLock<Vec<Pair<'a>>>>>,
    /// The roles "What's new" lists, newest first (see `governance.rs`).
    changed: OnceLock<Vec<usize>>,
    /// The date of this build (see [`crate::dates::build_date`]).
    built: crate::dates::Date,
    /// Each stale translation's drift, worked out when first needed.
    drift: crate::drift::Cache,
    /// Whether pages combined into one document (side by side, print
    /// books) get their ids renamed apart ([`combine`]); not when the
    /// output is discarded, as the templates see the same values either way.
    rename_ids: bool,
}

impl<'a> Renderer<'a> {
    /// Renders page job `job` and hands it to `sink` (`check`'s sink
    /// discards it: the page is then rendered into nothing).
    fn put_job(&self, job: &Job, sink: &dyn Sink, watch: &budget::Watch) -> Result<(), Failure> {
        if let Job::Print { .. } | Job::ParallelPrint { .. } = job {
            return self.put_print(job, sink, watch);
        }
        if sink.discards() {
            let rendered = self.render_job_to(job, Some(watch), &mut std::io::sink());
            return rendered.map(drop).map_err(|d| Failure::Templates(vec![d]));
        }
        let (path, html) = self
            .render_job(job, Some(watch))
            .map_err(|d| Failure::Templates(vec![d]))?;
        sink.put(&path, &html).map_err(Failure::Io)
    }

    /// The theme's static files and the files made from the whole handbook:
    /// sitemap.xml, manifest.json and each language's sidebar script.
    fn put_site_files(&self, sink: &dyn Sink) -> Result<(), FsError> {
        for (path, bytes) in &self.theme.static_files {
            sink.put(path, bytes)?;
        }
        sink.put(&Route::Sitemap.path(), self.sitemap().as_bytes())?;
        sink.put(&Route::Manifest.path(), self.manifest().as_bytes())?;
        for lang in self.handbook.config.lang_ids() {
            let route = Route::Navigation {
                lang: &self.handbook.config.lang_of(lang).key,
            };
            sink.put_stream(&route.path(), &mut |out| self.write_nav(lang, out))?;
        }
        Ok(())
    }

    fn new(handbook: &'a Handbook, rendered: &'a [Arc<RenderedPage>], theme: &'a Theme) -> Self {
        let ui = handbook
            .config
            .languages
            .iter()
            .map(|l| tera::Value::from(theme.words_for(l)))
            .collect();
        let refs = (0..handbook.config.languages.len())
            .map(|_| (0..handbook.roles.len()).map(|_| OnceLock::new()).collect())
            .collect();
        Renderer {
            handbook,
            rendered,
            theme,
            ui,
            refs,
            scans: (0..rendered.len()).map(|_| OnceLock::new()).collect(),
            section_ids: (0..rendered.len()).map(|_| OnceLock::new()).collect(),
            translation_states: OnceLock::new(),
            changed: OnceLock::new(),
            built: crate::dates::build_date(),
            drift: crate::drift::Cache::new(handbook),
            orders: handbook
                .config
                .lang_ids()
                .map(|_| OnceLock::new())
                .collect(),
            org_charts: handbook
                .config
                .lang_ids()
                .map(|_| OnceLock::new())
                .collect(),
            pairs: handbook
                .config
                .lang_ids()
                .map(|_| (0..handbook.roles.len()).map(|_| OnceLock::new()).collect())
                .collect(),
            rename_ids: true,
        }
    }

    /// Where page number `page`'s HTML names ids.
    fn scan(&self, page: PageId) -> &combine::Scan {
        self.scans[page.index()].get_or_init(|| {
            combine::Scan::of(&self.rendered[page].html, &|path| self.linked_role(path))
        })
    }

    /// Whether page number `page` has a heading with id `id`.
    fn has_heading(&self, page: PageId, id: &str) -> bool {
        let ids = self.section_ids[page.index()].get_or_init(|| {
            let headings = &self.rendered[page].headings;
            let mut ids = String::with_capacity(headings.iter().map(|h| h.id.len() + 1).sum());
            for h in headings {
                ids.push_str(&h.id);
                ids.push('\n');
            }
            ids.into()
        });
        // Ids hold no newline: a match that starts a line and ends one is
        // a whole id.
        !id.contains('\n')
            && memchr::memmem::find_iter(ids.as_bytes(), id.as_bytes()).any(|at| {
                (at == 0 || ids.as_bytes()[at - 1] == b'\n')
                    && ids.as_bytes().get(at + id.len()) == Some(&b'\n')
            })
    }

    /// The roles of `lang` in sidebar order (the home page's order).
    fn order(&self, lang: LangId) -> &nav::Order {
        self.orders[lang.index()].get_or_init(|| nav::Order::new(self, lang))
    }

    pub(crate) fn langs(&self) -> &'a [Lang] {
        &self.handbook.config.languages
    }

    /// Language `lang` of the handbook.
    pub(crate) fn lang(&self, lang: LangId) -> &'a Lang {
        self.handbook.config.lang_of(lang)
    }

    /// The language keys, default first (for [`Route::parallel`]).
    pub(crate) fn keys(&self) -> Vec<&'a str> {
        self.langs().iter().map(|l| l.key.as_str()).collect()
    }

    /// The page of `role` in language number `lang`.
    pub(crate) fn role_route(&self, role: &'a Role, lang: LangId) -> Route<'a> {
        Route::Role {
            lang: &self.lang(lang).key,
            id: &role.id,
        }
    }

    /// The home page of language number `lang`.
    pub(crate) fn home_route(&self, lang: LangId) -> Route<'a> {
        Route::Home {
            lang: &self.lang(lang).key,
        }
    }

    /// The output path and bytes of one page; `watch`, when given, is told
    /// which page this thread renders (see [`budget`]).
    fn render_job(
        &self,
        job: &Job,
        watch: Option<&budget::Watch>,
    ) -> Result<(String, Vec<u8>), Diagnostic> {
        if let Job::Print { .. } | Job::ParallelPrint { .. } = job {
            let path = job.route(self.handbook).0.path();
            return self.print_bytes(job, watch).map(|html| (path, html));
        }
        let body = match *job {
            Job::Role { role, lang }
            | Job::Parallel {
                role, other: lang, ..
            } => {
                let (page, _) = self.handbook.shown_page(&self.handbook.roles[role], lang);
                self.rendered[page].html.len()
            }
            _ => 0,
        };
        let mut html = Vec::with_capacity(2 * body + 16 * 1024);
        let path = self.render_job_to(job, watch, &mut html)?;
        Ok((path, html))
    }

    /// Renders one page (not a print book) into `out`; returns its output
    /// path. `check` renders into nothing: only the problems count.
    fn render_job_to(
        &self,
        job: &Job,
        watch: Option<&budget::Watch>,
        out: &mut impl std::io::Write,
    ) -> Result<String, Diagnostic> {
        let (route, template) = job.route(self.handbook);
        let path = route.path();
        let context = match *job {
            Job::Chooser => self.chooser(),
            Job::NotFound => self.not_found(),
            Job::Home { lang } => self.home(lang),
            Job::Role { role, lang } => self.role_page(role, lang),
            Job::Parallel {
                role,
                other,
                reader,
            } => self.parallel(role, other, reader),
            Job::Translations { lang } => self.translations(lang),
            Job::Changes { lang } => self.changes(lang),
            Job::Redirect { role, alias, page } => self.redirect(role, alias, page),
            Job::Print { .. } | Job::ParallelPrint { .. } => {
                return Err(self.problem(job, "a print book is not one page".into()));
            }
        };
        let context = context.map_err(|e| {
            Diagnostic::error(
                Code::TemplateRender,
                path.clone(),
                format!("cannot prepare the page: {e}"),
            )
        })?;
        // Rendered straight to bytes: what goes to disk, without checking
        // the UTF-8 again (Tera's own `render` does).
        let _rendering = watch.map(|w| w.rendering(template, &path));
        self.theme
            .tera
            .render_to(template, &context, out)
            .map_err(|e| template_error(&e, &self.theme.template_files, Some(&path)))?;
        Ok(path)
    }

    /// The sections of role number `role`'s pages in the default language
    /// and in `other`, paired (both pages must be there, not fallbacks).
    fn paired(&self, role: usize, other: LangId) -> &[Pair<'a>] {
        self.pairs[other.index()][role].get_or_init(|| {
            let role = &self.handbook.roles[role];
            let sections = |lang| &self.rendered[self.handbook.shown_page(role, lang).0].sections;
            crate::translation::pair_sections(sections(LangId::DEFAULT), sections(other))
        })
    }

    /// [`Renderer::paired`] for a view that shows the default language's
    /// page and `other`'s only where `shown` says so (a missing translation
    /// leaves its side empty): the kept pairing when both are shown.
    fn paired_shown(&self, role: usize, other: LangId, shown: [bool; 2]) -> Cow<'_, [Pair<'a>]> {
        if shown == [true, true] {
            return Cow::Borrowed(self.paired(role, other));
        }
        let role = &self.handbook.roles[role];
        let sections = |side: usize, lang| match shown[side] {
            true => &self.rendered[self.handbook.shown_page(role, lang).0].sections[..],
            false => &[][..],
        };
        let (left, right) = (sections(0, LangId::DEFAULT), sections(1, other));
        Cow::Owned(crate::translation::pair_sections(left, right))
    }

    /// The role whose page a link's path (before its `#`) names, when that
    /// page lies beside the linking one (`lead.html`): what a combined
    /// document turns into a link within itself or to its own view.
    fn linked_role(&self, path: &str) -> Option<usize> {
        let id = path
            .strip_suffix(".html")
            .filter(|id| !id.as_bytes().contains(&b'/'))?;
        self.handbook.role_index(id)
    }

    /// Role number `index` as linked from a page in language `lang`.
    fn role_value(&self, index: usize, lang: LangId) -> tera::Value {
        let cell = &self.refs[lang.index()][index];
        cell.get_or_init(|| {
            let role_ref = self.role_ref(&self.handbook.roles[index], lang);
            tera::Value::try_from_serializable(&role_ref).unwrap_or_else(|_| tera::Value::none())
        })
        .clone()
    }

    /// The site-wide context of a page at `from` in language `lang`;
    /// `link` is where the language switch leads for each language.
    pub(crate) fn site(
        &self,
        lang: LangId,
        from: &Route,
        link: impl Fn(&'a Lang) -> Route<'a>,
    ) -> SiteContext<'a> {
        let l = self.lang(lang);
        SiteContext {
            title: &l.title,
            lang: &l.key,
            html_lang: &l.html_lang,
            root: from.root_href(),
            home: Route::Home { lang: &l.key }.href_via_root(from),
            home_link: Route::Home { lang: &l.key }.href_from(from),
            chooser: Route::Chooser.href_from(from),
            translations: Route::Translations { lang: &l.key }.href_from(from),
            changes: (!self.changed_roles().is_empty())
                .then(|| Route::Changes { lang: &l.key }.href_from(from)),
            logo: crate::extras::logo_path(&self.handbook.config)
                .map(|path| format!("{}{path}", from.root_href())),
            accent: self.handbook.config.branding.accent.as_deref(),
            accent_dark: self.handbook.config.branding.accent_dark.as_deref(),
            version: self.handbook.config.version.as_deref(),
            built: None,
            languages: self
                .langs()
                .iter()
                .map(|other| LangLink {
                    key: &other.key,
                    name: &other.name,
                    html_lang: &other.html_lang,
                    title: &other.title,
                    href: link(other).href_via_root(from),
                    current: other.key == l.key,
                    sections: None,
                })
                .collect(),
            ui: self.ui[lang.index()].clone(),
        }
    }

    /// Role `role` as linked from the pages of language `lang` (in that
    /// language's folder).
    pub(crate) fn role_ref(&self, role: &'a Role, lang: LangId) -> RoleRef<'a> {
        let (page, _) = self.handbook.page_or_fallback(role, lang);
        let page_lang = &self.handbook.config.lang_of(page.lang_id).html_lang;
        RoleRef {
            id: &role.id,
            title: &page.title,
            summary: page.summary.as_deref(),
            href: self
                .role_route(role, lang)
                .href_from(&self.home_route(lang)),
            html_lang: page_lang,
        }
    }

    fn role_page(&self, index: usize, lang: LangId) -> tera::TeraResult<tera::Context> {
        let h = self.handbook;
        let role = &h.roles[index];
        let (page_index, fallback) = h.shown_page(role, lang);
        let page = &h.pages[page_index];
        let md = &self.rendered[page_index];
        let content_lang = h.config.lang_of(page.lang_id);
        let here = self.role_route(role, lang);
        let mut site = self.site(lang, &here, |l| Route::Role {
            lang: &l.key,
            id: &role.id,
        });
        for (other, link) in h.config.lang_ids().zip(site.languages.iter_mut()) {
            let (other_index, other_fallback) = h.shown_page(role, other);
            if other != lang && other_index != page_index {
                let map = match lang.is_default() && !fallback && !other_fallback {
                    // The pairing the side-by-side page shows.
                    true => crate::translation::section_map_of(self.paired(index, other)),
                    false => crate::translation::section_map(md, &self.rendered[other_index]),
                };
                let map: BTreeMap<String, String> =
                    map.into_iter().filter(|(a, b)| a != b).collect();
                link.sections = Some(serde_json::to_string(&map).unwrap_or_default());
            }
        }
        let default_lang = h.config.lang_of(LangId::DEFAULT);
        let (drift_html, drift) = self.role_drift(index, lang, &here);
        let context = RolePage {
            site,
            nav: self.role_nav(index, lang, &md.headings),
            role: RoleContext {
                id: &role.id,
                kind: role.kind,
                title: &page.title,
                summary: page.summary.as_deref(),
                department: page.department.as_deref(),
                tags: &role.tags,
                extra: &page.extra,
                // A fallback page's links to other roles land on this
                // language's pages: their anchors follow the section pairing.
                body: if fallback {
                    tera::Value::safe_string(&crate::check::anchors::fallback_html(
                        h,
                        self.rendered,
                        page_index,
                        lang,
                    ))
                } else {
                    tera::Value::safe_string(drift_html.as_deref().unwrap_or(&md.html))
                },
                toc: md
                    .headings
                    .iter()
                    .filter(|h| (2..=3).contains(&h.level))
                    .collect(),
                reports_to: h.boss(index).map(|r| self.role_value(r, lang)),
                chain: (h.chain_above(index).into_iter())
                    .map(|r| self.role_value(r, lang))
                    .collect(),
                reports: (h.direct_report_indexes(&role.id).iter())
                    .map(|&r| self.role_value(r, lang))
                    .collect(),
                related: (h.related_indexes(index).iter())
                    .map(|&r| self.role_value(r, lang))
                    .collect(),
                content_lang: &content_lang.key,
                content_href: Route::Role {
                    lang: &content_lang.key,
                    id: &role.id,
                }
                .href_via_root(&here),
                content_html_lang: &content_lang.html_lang,
                content_lang_name: &content_lang.name,
                fallback,
                status: crate::translation::status(h, role, lang).as_str(),
                updated: page
                    .updated
                    .map(|d| crate::dates::format(d, &self.lang(lang).key)),
                updated_iso: page.updated.map(|d| crate::dates::format(d, "")),
                facts: self.facts(role, lang),
                compared_in: self.compared_in(index, lang),
                comparison: self.comparison(index, lang),
                edit_href: h
                    .config
                    .edit_url
                    .as_ref()
                    .map(|url| url.replace("{path}", &page.file)),
                original_href: self.role_route(role, LangId::DEFAULT).href_via_root(&here),
                original_lang_name: &default_lang.name,
                parallel_href: Route::parallel_for(
                    &self.keys(),
                    &role.id,
                    lang.index().max(1),
                    lang.index(),
                )
                .href_via_root(&here),
                drift,
            },
        };
        tera::Context::from_serialize(&context)
    }

    fn chooser(&self) -> tera::TeraResult<tera::Context> {
        let site = self.site(LangId::DEFAULT, &Route::Chooser, |l| Route::Home {
            lang: &l.key,
        });
        tera::Context::from_serialize(&SimplePage {
            site,
            inline_css: "",
        })
    }

    fn sitemap(&self) -> String {
        let base = self
            .handbook
            .config
            .base_url
            .as_deref()
            .map(|b| b.trim_end_matches('/').to_string() + "/")
            .unwrap_or_default();
        let mut xml = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
        for lang in self.langs() {
            let home = Route::Home { lang: &lang.key };
            let roles = self.handbook.roles.iter().map(|r| Route::Role {
                lang: &lang.key,
                id: &r.id,
            });
            for route in std::iter::once(home).chain(roles) {
                xml.push_str("  <url><loc>");
                escape(&mut xml, &base);
                escape(&mut xml, &route.path());
                xml.push_str("</loc></url>\n");
            }
        }
        xml.push_str("</urlset>\n");
        xml
    }
}

fn escape(out: &mut String, text: &str) {
    // Writing to a String cannot fail.
    let _ = pulldown_cmark_escape::escape_html(out, text);
}
