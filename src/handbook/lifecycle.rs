//! A role's lifecycle as the handbook holds it: effective date, version,
//! owner, review date, former ids and compared roles, each taken from the
//! first page (in language order) that writes it, with where it was written
//! (for `review-due` and the other checks). Another page that writes a
//! different value gets a `shared-field-differs` warning at its line.

use crate::dates::Date;
use crate::diagnostic::Diagnostic;
use crate::frontmatter::{Located, Page};

/// A value and the place it was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Written<T> {
    pub value: T,
    /// Path relative to the handbook root.
    pub file: String,
    pub line: usize,
    pub column: usize,
}

/// What a role's pages say about its current text (see the module docs).
#[derive(Debug, Clone, Default)]
pub struct RoleLifecycle {
    pub effective: Option<Written<Date>>,
    pub version: Option<Written<String>>,
    pub owner: Option<Written<String>>,
    pub review_by: Option<Written<Date>>,
    pub aliases: Vec<Written<String>>,
    pub compare: Vec<Written<String>>,
}

impl RoleLifecycle {
    /// The lifecycle of a role written in `pages` (language order).
    pub(super) fn merge(pages: &[&Page], problems: &mut Vec<Diagnostic>) -> RoleLifecycle {
        RoleLifecycle {
            effective: single(pages, "effective", problems, |p| {
                p.lifecycle.effective.as_ref()
            }),
            version: single(pages, "version", problems, |p| p.lifecycle.version.as_ref()),
            owner: single(pages, "owner", problems, |p| p.lifecycle.owner.as_ref()),
            review_by: single(pages, "review_by", problems, |p| {
                p.lifecycle.review_by.as_ref()
            }),
            aliases: list(pages, "aliases", problems, |p| &p.lifecycle.aliases),
            compare: list(pages, "compare", problems, |p| &p.lifecycle.compare),
        }
    }
}

/// `located`, written in `page`.
fn written<T: Clone>(located: &Located<T>, page: &Page) -> Written<T> {
    Written {
        value: located.value.clone(),
        file: page.file.clone(),
        line: located.line,
        column: located.column,
    }
}

/// A one-value field (see [`super::shared_from`]), with where it was written.
fn single<T: Clone + PartialEq + std::fmt::Debug>(
    pages: &[&Page],
    field: &str,
    problems: &mut Vec<Diagnostic>,
    get: impl Fn(&Page) -> Option<&Located<T>>,
) -> Option<Written<T>> {
    let at = |p: &Page| get(p).map(|l| (l.value.clone(), l.line, l.column));
    let (_, page) = super::shared_from(pages, field, problems, at)?;
    get(page).map(|l| written(l, page))
}

/// A list field (empty when not written), each item with where it was written.
fn list(
    pages: &[&Page],
    field: &str,
    problems: &mut Vec<Diagnostic>,
    get: impl Fn(&Page) -> &Vec<Located<String>>,
) -> Vec<Written<String>> {
    let at = |p: &Page| {
        let items = get(p);
        let first = items.first()?;
        let values: Vec<String> = items.iter().map(|l| l.value.clone()).collect();
        Some((values, first.line, first.column))
    };
    match super::shared_from(pages, field, problems, at) {
        Some((_, page)) => get(page).iter().map(|l| written(l, page)).collect(),
        None => Vec::new(),
    }
}

/// `rolebook status --reviews`: every role by review date (the soonest
/// first, roles without one last), with its owner.
#[derive(Debug, serde::Serialize)]
pub struct Reviews {
    pub today: String,
    pub roles: Vec<Review>,
}

#[derive(Debug, serde::Serialize)]
pub struct Review {
    pub id: String,
    pub title: String,
    pub review_by: Option<String>,
    pub owner: Option<String>,
    pub version: Option<String>,
    /// `review_by` is before today.
    pub due: bool,
}

/// The review list of `handbook` as of `today`.
pub fn reviews(handbook: &super::Handbook, today: Date) -> Reviews {
    let mut roles: Vec<(Option<Date>, Review)> = handbook
        .roles
        .iter()
        .map(|role| {
            let l = &role.lifecycle;
            let date = l.review_by.as_ref().map(|d| d.value);
            let (page, _) = handbook.page_or_fallback(role, crate::id::LangId::DEFAULT);
            let review = Review {
                id: role.id.to_string(),
                title: page.title.clone(),
                review_by: date.map(|d| crate::dates::format(d, "")),
                owner: l.owner.as_ref().map(|o| o.value.clone()),
                version: l.version.as_ref().map(|v| v.value.clone()),
                due: date.is_some_and(|d| d < today),
            };
            (date, review)
        })
        .collect();
    // Undated roles last; `sort_by_key` is stable, so ties keep role order.
    roles.sort_by_key(|(date, _)| (date.is_none(), *date));
    Reviews {
        today: crate::dates::format(today, ""),
        roles: roles.into_iter().map(|(_, r)| r).collect(),
    }
}

impl Reviews {
    /// One line per role: date, id, owner, version; overdue ones marked.
    pub fn human(&self) -> String {
        let width = self
            .roles
            .iter()
            .map(|r| r.id.chars().count())
            .max()
            .unwrap_or(0);
        let mut out = String::new();
        for r in &self.roles {
            let date = r.review_by.as_deref().unwrap_or("(no date)");
            let due = if r.due { "  DUE" } else { "" };
            let owner = r.owner.as_deref().unwrap_or("(no owner)");
            let version = r
                .version
                .as_deref()
                .map_or(String::new(), |v| format!("  v{v}"));
            out.push_str(&format!(
                "{date:<10}  {:<width$}  {owner}{version}{due}\n",
                r.id
            ));
        }
        let due = self.roles.iter().filter(|r| r.due).count();
        out.push_str(&format!(
            "{} roles, {due} due for review as of {}\n",
            self.roles.len(),
            self.today
        ));
        out
    }
}
