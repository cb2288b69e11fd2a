//! The handbook as a controlled document: each role's lifecycle facts
//! (effective date, version, owner) as pages and print books show them,
//! each language's "What's new" (`<lang>/changes.html`), `manifest.json`
//! (every role page that exists, with its version and fingerprint: the
//! record an HR system keeps of who acknowledged which version), and the
//! small pages at a renamed role's former addresses that lead to its new
//! ones (over file:// too).

use serde::Serialize;

use super::job::{Job, Redirected};
use super::{Renderer, SiteContext};
use crate::handbook::Role;
use crate::id::LangId;
use crate::route::Route;

/// A role's lifecycle facts in one language's words.
#[derive(Serialize)]
pub(crate) struct Facts<'a> {
    pub(super) effective: Option<String>,
    /// The same as `YYYY-MM-DD`, for `<time datetime>`.
    pub(super) effective_iso: Option<String>,
    pub(super) version: Option<&'a str>,
    pub(super) owner: Option<&'a str>,
}

#[derive(Serialize)]
struct Change<'a> {
    id: &'a str,
    title: &'a str,
    href: String,
    html_lang: &'a str,
    facts: Facts<'a>,
    /// What changed, in the reader's language where written, else in the
    /// language of the page shown.
    note: Option<&'a str>,
    note_lang: &'a str,
}

#[derive(Serialize)]
struct ChangesPage<'a> {
    site: SiteContext<'a>,
    changes: Vec<Change<'a>>,
}

#[derive(Serialize)]
struct RedirectPage<'a> {
    site: SiteContext<'a>,
    title: &'a str,
    /// The former id.
    alias: &'a str,
    href: String,
}

/// One entry of `manifest.json`.
#[derive(Serialize)]
struct Entry<'a> {
    id: &'a str,
    lang: &'a str,
    title: &'a str,
    version: Option<&'a str>,
    effective: Option<String>,
    owner: Option<&'a str>,
    /// What `translated_from` records of this text: a new one means a
    /// material change.
    fingerprint: &'a str,
    /// Relative to the site's root.
    url: String,
    /// Former ids whose addresses lead to this page.
    aliases: Vec<&'a str>,
}

#[derive(Serialize)]
struct Manifest<'a> {
    /// Which format this file follows (`manifest.schema.json` in rolebook's repository).
    schema: &'static str,
    title: &'a str,
    version: Option<&'a str>,
    built: String,
    pages: Vec<Entry<'a>>,
}

/// The manifest's format version.
const MANIFEST_SCHEMA: &str = "rolebook-manifest/1";

impl<'a> Renderer<'a> {
    /// `role`'s lifecycle facts, dates as language `lang` writes them.
    pub(crate) fn facts(&self, role: &'a Role, lang: LangId) -> Facts<'a> {
        let l = &role.lifecycle;
        let effective = l.effective.as_ref().map(|d| d.value);
        Facts {
            effective: effective.map(|d| crate::dates::format(d, &self.lang(lang).key)),
            effective_iso: effective.map(|d| crate::dates::format(d, "")),
            version: l.version.as_ref().map(|v| v.value.as_str()),
            owner: l.owner.as_ref().map(|o| o.value.as_str()),
        }
    }

    /// The roles that have an effective date, newest first (then in the
    /// order of the home page).
    pub(super) fn changed_roles(&self) -> &[usize] {
        self.changed.get_or_init(|| {
            let mut roles: Vec<usize> = (0..self.handbook.roles.len())
                .filter(|&r| self.handbook.roles[r].lifecycle.effective.is_some())
                .collect();
            roles.sort_by_key(|&r| {
                let date = self.handbook.roles[r].lifecycle.effective.as_ref();
                std::cmp::Reverse(date.map(|d| d.value))
            });
            roles
        })
    }

    pub(super) fn changes(&self, lang: LangId) -> tera::TeraResult<tera::Context> {
        let h = self.handbook;
        let here = Route::Changes {
            lang: &self.lang(lang).key,
        };
        let changes = self
            .changed_roles()
            .iter()
            .map(|&r| {
                let role = &h.roles[r];
                let (page, _) = h.page_or_fallback(role, lang);
                let shown = h.config.lang_of(page.lang_id);
                Change {
                    id: &role.id,
                    title: &page.title,
                    href: self.role_route(role, lang).href_from(&here),
                    html_lang: &shown.html_lang,
                    facts: self.facts(role, lang),
                    note: page.lifecycle.change_note.as_deref(),
                    note_lang: &shown.html_lang,
                }
            })
            .collect();
        tera::Context::from_serialize(&ChangesPage {
            site: self.site(lang, &here, |l| Route::Changes { lang: &l.key }),
            changes,
        })
    }

    pub(super) fn redirect(
        &self,
        index: usize,
        alias: usize,
        page: Redirected,
    ) -> tera::TeraResult<tera::Context> {
        let h = self.handbook;
        let role = &h.roles[index];
        let alias = &role.lifecycle.aliases[alias].value;
        let here = Job::redirect_route(h, alias, page);
        let (target, lang) = match page {
            Redirected::Role(lang) => (self.role_route(role, lang), lang),
            Redirected::Parallel { other, reader } => (
                Route::parallel_for(&self.keys(), &role.id, other.index(), reader.index()),
                reader,
            ),
        };
        let (shown, _) = h.page_or_fallback(role, lang);
        tera::Context::from_serialize(&RedirectPage {
            site: self.site(lang, &here, |l| Route::Home { lang: &l.key }),
            title: &shown.title,
            alias,
            href: target.href_from(&here),
        })
    }

    /// `manifest.json`: every role page written in its own language.
    pub(super) fn manifest(&self) -> String {
        let h = self.handbook;
        let mut aliases: Vec<Vec<&str>> = vec![Vec::new(); h.roles.len()];
        for (alias, role) in h.aliases() {
            aliases[role].push(alias);
        }
        aliases.iter_mut().for_each(|a| a.sort_unstable());
        let mut pages = Vec::new();
        for (r, role) in h.roles.iter().enumerate() {
            let l = &role.lifecycle;
            for lang in h.config.lang_ids() {
                let Some(page) = h.page(role, lang) else {
                    continue; // a fallback page is not the role's text in this language
                };
                pages.push(Entry {
                    id: &role.id,
                    lang: &self.lang(lang).key,
                    title: &page.title,
                    version: l.version.as_ref().map(|v| v.value.as_str()),
                    effective: l
                        .effective
                        .as_ref()
                        .map(|d| crate::dates::format(d.value, "")),
                    owner: l.owner.as_ref().map(|o| o.value.as_str()),
                    fingerprint: page.fingerprint.as_deref().unwrap_or_default(),
                    url: self.role_route(role, lang).path(),
                    aliases: aliases[r].clone(),
                });
            }
        }
        let default = self.lang(LangId::DEFAULT);
        let manifest = Manifest {
            schema: MANIFEST_SCHEMA,
            title: &default.title,
            version: h.config.version.as_deref(),
            built: crate::dates::format(self.built, ""),
            pages,
        };
        let mut json = serde_json::to_string_pretty(&manifest).unwrap_or_default();
        json.push('\n');
        json
    }
}
