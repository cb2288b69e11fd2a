//! The typed contexts the templates see: one struct per kind of page, built
//! per page from the handbook (never a hand-filled map, never the whole
//! handbook per page).

use serde::Serialize;

use std::collections::BTreeMap;

use crate::markdown::Heading;

/// A link to one language's version of the current page.
#[derive(Serialize)]
pub(crate) struct LangLink<'a> {
    pub(super) key: &'a str,
    pub(super) name: &'a str,
    pub(super) html_lang: &'a str,
    pub(super) title: &'a str,
    pub(super) href: String,
    pub(super) current: bool,
    /// On role pages: JSON map from this page's section ids to the partner
    /// section ids in that language, so the switch lands on the same section.
    pub(super) sections: Option<String>,
}

/// What every page knows about the site it is part of.
#[derive(Serialize)]
pub(crate) struct SiteContext<'a> {
    /// Handbook title in the page's language.
    pub(super) title: &'a str,
    pub(super) lang: &'a str,
    pub(super) html_lang: &'a str,
    /// Relative path from the page to the output root (`""` or `"../"`).
    pub(super) root: &'a str,
    /// The language home for this page's language, through the root.
    pub(super) home: String,
    /// The same, as the shortest link (`index.html` within the language's folder).
    pub(super) home_link: String,
    /// The language chooser at the top of the site.
    pub(super) chooser: String,
    /// This language's translation overview.
    pub(super) translations: String,
    /// This language's "What's new", when some role has an effective date.
    pub(super) changes: Option<String>,
    /// The company's logo (`[branding] logo`), relative to the page.
    pub(super) logo: Option<String>,
    /// `[branding] accent` and `accent_dark`: checked `#rrggbb` colours.
    pub(super) accent: Option<&'a str>,
    pub(super) accent_dark: Option<&'a str>,
    /// The handbook's version (book.toml), if any.
    pub(super) version: Option<&'a str>,
    /// The build date in the page's language: only on the pages about the
    /// whole handbook (home, print), so that a one-page edit changes one page.
    pub(super) built: Option<String>,
    pub(super) languages: Vec<LangLink<'a>>,
    /// The interface words (converted once per language, shared).
    pub(super) ui: tera::Value,
}

/// A role as linked from another page.
#[derive(Serialize)]
pub(crate) struct RoleRef<'a> {
    pub(super) id: &'a str,
    pub(super) title: &'a str,
    pub(super) summary: Option<&'a str>,
    pub(super) href: String,
    /// `lang` of the title, which differs from the page's on fallbacks.
    pub(super) html_lang: &'a str,
}

#[derive(Serialize)]
pub(crate) struct RoleContext<'a> {
    pub(super) id: &'a str,
    /// `role`, or `page` for a page that is not a role.
    pub(super) kind: crate::frontmatter::Kind,
    pub(super) title: &'a str,
    pub(super) summary: Option<&'a str>,
    pub(super) department: Option<&'a str>,
    pub(super) tags: &'a [String],
    pub(super) extra: &'a BTreeMap<String, serde_json::Value>,
    /// The page's HTML, marked safe (rolebook escaped what needed it).
    pub(super) body: tera::Value,
    pub(super) toc: Vec<&'a Heading>,
    // Links to other roles: `RoleRef`s, converted once per role and language.
    pub(super) reports_to: Option<tera::Value>,
    pub(super) chain: Vec<tera::Value>,
    pub(super) reports: Vec<tera::Value>,
    pub(super) related: Vec<tera::Value>,
    /// Language of the content shown (differs from the page's on fallbacks).
    pub(super) content_lang: &'a str,
    pub(super) content_html_lang: &'a str,
    pub(super) content_lang_name: &'a str,
    /// The page shown, in the language it is written in.
    pub(super) content_href: String,
    /// The page shows another language's content because this one is missing.
    pub(super) fallback: bool,
    /// When the shown text was last changed, in the page's language.
    pub(super) updated: Option<String>,
    /// The same as `YYYY-MM-DD`, for `<time datetime>`.
    pub(super) updated_iso: Option<String>,
    /// Effective date, version and owner (see `governance.rs`).
    pub(super) facts: super::governance::Facts<'a>,
    /// The pages that compare this role (`RoleRef`s).
    pub(super) compared_in: Vec<tera::Value>,
    /// The roles this page compares, side by side (see `comparison.rs`).
    pub(super) comparison: Option<super::comparison::Comparison<'a>>,
    /// Where an editor edits the shown page (book.toml's `edit_url`).
    pub(super) edit_href: Option<String>,
    /// `ok`, `stale`, `untracked` or `missing` (see `rolebook status`).
    pub(super) status: &'static str,
    /// The default language's page, which a stale translation lags behind.
    pub(super) original_href: String,
    pub(super) original_lang_name: &'a str,
    pub(super) parallel_href: String,
    /// On a stale translation: which sections of the original changed.
    pub(super) drift: Option<super::parallel::RoleDrift>,
}

#[derive(Serialize)]
pub(crate) struct RolePage<'a> {
    pub(super) site: SiteContext<'a>,
    pub(super) nav: super::nav::RoleNav<'a>,
    pub(super) role: RoleContext<'a>,
}

#[derive(Serialize)]
pub(crate) struct Department {
    pub(super) name: String,
    pub(super) roles: Vec<tera::Value>,
}

#[derive(Serialize)]
pub(crate) struct HomePage<'a> {
    pub(super) site: SiteContext<'a>,
    /// The handbook's pages that are not roles (`kind: page`), listed apart.
    pub(super) pages: Vec<tera::Value>,
    pub(super) departments: Vec<Department>,
    /// The org chart as nested lists (built here because it is recursive).
    pub(super) org_chart: String,
    /// This language's print book.
    pub(super) print: String,
    /// The bilingual print book, when there are two languages or more.
    pub(super) print_bilingual: Option<String>,
}

#[derive(Serialize)]
pub(crate) struct SimplePage<'a> {
    pub(super) site: SiteContext<'a>,
    pub(super) inline_css: &'a str,
}
