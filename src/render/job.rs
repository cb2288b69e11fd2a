//! The pages of a site as jobs: one per page to render, where it goes (its
//! [`Route`]) and the template that renders it; and the way back from a
//! requested path to its job (for `serve`).

use crate::handbook::Handbook;
use crate::id::LangId;
use crate::route::Route;

/// Which page `path` is, if any (its shape from [`Route::parse`], its
/// language and role looked up here).
pub(super) fn job_for(handbook: &Handbook, path: &str) -> Option<Job> {
    let lang_index = |key: &str| handbook.config.lang_id(key);
    Some(match Route::parse(path)? {
        Route::Chooser => Job::Chooser,
        Route::NotFound => Job::NotFound,
        Route::Home { lang } => Job::Home {
            lang: lang_index(lang)?,
        },
        Route::Translations { lang } => Job::Translations {
            lang: lang_index(lang)?,
        },
        Route::Role { lang, id } => match handbook.role_index(id) {
            Some(role) => Job::Role {
                role,
                lang: lang_index(lang)?,
            },
            None => Job::redirect(handbook, id, Redirected::Role(lang_index(lang)?))?,
        },
        Route::Changes { lang } => Job::Changes {
            lang: lang_index(lang)?,
        },
        Route::Parallel { id, pairing } => {
            let other = match pairing {
                Some(lang) => lang_index(lang).filter(|l| l.index() > 1)?,
                None => handbook.config.lang_ids().nth(1)?,
            };
            let reader = LangId::DEFAULT;
            match handbook.role_index(id) {
                Some(role) => Job::Parallel {
                    role,
                    other,
                    reader,
                },
                None => Job::redirect(handbook, id, Redirected::Parallel { other, reader })?,
            }
        }
        Route::ParallelIn { lang, id } => {
            let other = lang_index(lang).filter(|l| !l.is_default())?;
            match handbook.role_index(id) {
                Some(role) => Job::Parallel {
                    role,
                    other,
                    reader: other,
                },
                None => Job::redirect(
                    handbook,
                    id,
                    Redirected::Parallel {
                        other,
                        reader: other,
                    },
                )?,
            }
        }
        Route::Print { lang, part } => Job::Print {
            lang: lang_index(lang)?,
            part,
        },
        Route::ParallelPrint { part } => Job::ParallelPrint {
            other: handbook.config.lang_ids().nth(1)?,
            part,
        },
        _ => return None,
    })
}

/// Whether rolebook itself writes a file at site path `path` for this
/// handbook (a page, an index, a theme file): the place a file of the
/// handbook's own `static/` must not take.
pub(crate) fn is_generated(
    handbook: &Handbook,
    theme_files: Option<&std::collections::BTreeMap<String, Vec<u8>>>,
    path: &str,
) -> bool {
    if theme_files.is_some_and(|files| files.contains_key(path)) {
        return true;
    }
    match Route::parse(path) {
        None => false,
        // The theme's files are above; other names under static/ are free.
        Some(Route::Static { .. }) => false,
        Some(
            Route::Chooser
            | Route::NotFound
            | Route::Sitemap
            | Route::Manifest
            | Route::Asset { .. },
        ) => true,
        Some(Route::SearchIndex | Route::SearchPart { .. } | Route::Navigation { .. }) => true,
        Some(_) => job_for(handbook, path).is_some(),
    }
}

/// One page of the site to render.
#[derive(Clone, Copy)]
pub(super) enum Job {
    Chooser,
    NotFound,
    Home {
        lang: LangId,
    },
    Role {
        role: usize,
        lang: LangId,
    },
    /// Side-by-side view of a role: the default language and language
    /// number `other`, in the words of `reader` (the default one or `other`).
    Parallel {
        role: usize,
        other: LangId,
        reader: LangId,
    },
    Translations {
        lang: LangId,
    },
    /// "What's new" in one language.
    Changes {
        lang: LangId,
    },
    /// A page at a former id of a role (`aliases`, by position) that
    /// leads to the same page of the role.
    Redirect {
        role: usize,
        alias: usize,
        page: Redirected,
    },
    /// A print book in one language: the whole of it, or (when it is split,
    /// see `print.rs`) the index of its parts (`part: None`), or part `n`.
    Print {
        lang: LangId,
        part: Option<usize>,
    },
    /// The print book of the default language and language number `other`.
    ParallelPrint {
        other: LangId,
        part: Option<usize>,
    },
}

/// Which page of a role a [`Job::Redirect`] stands in for.
#[derive(Clone, Copy)]
pub(super) enum Redirected {
    Role(LangId),
    Parallel { other: LangId, reader: LangId },
}

impl Job {
    /// The redirect at former id `alias` for `page`, if some role has it.
    fn redirect(handbook: &Handbook, alias: &str, page: Redirected) -> Option<Job> {
        let role = handbook.alias(alias)?;
        let at = handbook.roles[role]
            .lifecycle
            .aliases
            .iter()
            .position(|a| a.value == alias)?;
        Some(Job::Redirect {
            role,
            alias: at,
            page,
        })
    }

    /// Every redirect page of `handbook`: each usable alias of each role,
    /// at the addresses of the role's pages and side-by-side views.
    pub(super) fn redirects(handbook: &Handbook) -> Vec<Job> {
        let mut pages = Vec::new();
        for lang in handbook.config.lang_ids() {
            pages.push(Redirected::Role(lang));
        }
        for other in handbook.config.lang_ids().skip(1) {
            for reader in [LangId::DEFAULT, other] {
                pages.push(Redirected::Parallel { other, reader });
            }
        }
        let mut jobs = Vec::new();
        for (index, role) in handbook.roles.iter().enumerate() {
            for (alias, written) in role.lifecycle.aliases.iter().enumerate() {
                if handbook.alias(&written.value) != Some(index) {
                    continue; // not usable: reported by the checks
                }
                jobs.extend(pages.iter().map(|&page| Job::Redirect {
                    role: index,
                    alias,
                    page,
                }));
            }
        }
        jobs
    }

    /// The address `page` of the role has under id `id`.
    pub(super) fn redirect_route<'h>(
        handbook: &'h Handbook,
        id: &'h str,
        page: Redirected,
    ) -> Route<'h> {
        let keys: Vec<&str> = handbook
            .config
            .languages
            .iter()
            .map(|l| l.key.as_str())
            .collect();
        match page {
            Redirected::Role(lang) => Route::Role {
                lang: handbook.config.lang_of(lang).key.as_str(),
                id,
            },
            Redirected::Parallel { other, reader } => {
                Route::parallel_for(&keys, id, other.index(), reader.index())
            }
        }
    }

    /// Where the page goes, and the template that renders it.
    pub(super) fn route<'h>(&self, handbook: &'h Handbook) -> (Route<'h>, &'static str) {
        let langs = &handbook.config.languages;
        let key = |lang: LangId| handbook.config.lang_of(lang).key.as_str();
        match *self {
            Job::Chooser => (Route::Chooser, "index.html"),
            Job::NotFound => (Route::NotFound, "404.html"),
            Job::Home { lang } => (Route::Home { lang: key(lang) }, "home.html"),
            Job::Role { role, lang } => (
                Route::Role {
                    lang: key(lang),
                    id: &handbook.roles[role].id,
                },
                "role.html",
            ),
            Job::Parallel {
                role,
                other,
                reader,
            } => {
                let keys: Vec<&str> = langs.iter().map(|l| l.key.as_str()).collect();
                let id = &handbook.roles[role].id;
                let route = Route::parallel_for(&keys, id, other.index(), reader.index());
                (route, "parallel.html")
            }
            Job::Translations { lang } => {
                (Route::Translations { lang: key(lang) }, "translations.html")
            }
            Job::Changes { lang } => (Route::Changes { lang: key(lang) }, "changes.html"),
            Job::Redirect { role, alias, page } => {
                let alias = &handbook.roles[role].lifecycle.aliases[alias].value;
                (Job::redirect_route(handbook, alias, page), "redirect.html")
            }
            Job::Print { lang, part } => (
                Route::Print {
                    lang: key(lang),
                    part,
                },
                "print.html",
            ),
            Job::ParallelPrint { part, .. } => (Route::ParallelPrint { part }, "print.html"),
        }
    }
}
