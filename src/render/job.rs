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
        Route::Role { lang, id } => Job::Role {
            role: handbook.role_index(id)?,
            lang: lang_index(lang)?,
        },
        Route::Parallel { id, pairing } => {
            let other = match pairing {
                Some(lang) => lang_index(lang).filter(|l| l.index() > 1)?,
                None => handbook.config.lang_ids().nth(1)?,
            };
            Job::Parallel {
                role: handbook.role_index(id)?,
                other,
                reader: LangId::DEFAULT,
            }
        }
        Route::ParallelIn { lang, id } => {
            let other = lang_index(lang).filter(|l| !l.is_default())?;
            Job::Parallel {
                role: handbook.role_index(id)?,
                other,
                reader: other,
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

impl Job {
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
