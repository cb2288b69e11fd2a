//! Translations: how the sections of two languages pair up, and whether each
//! translation is up to date.
//!
//! A translation records the fingerprint of the default-language page it was
//! made from (`translated_from:`, written by `rolebook mark-translated`). When
//! the default-language page changes, the fingerprint no longer matches and
//! the translation is *stale*. Pairing sections drives the side-by-side view,
//! the place-keeping language switch and the one-sided-section report.

use std::collections::HashMap;
use std::sync::Arc;

use serde::Serialize;

use crate::handbook::{Handbook, Role};
use crate::id::LangId;
use crate::markdown::{RenderedPage, Section};

/// State of one language of one role.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// The default language when present; a translation marked from the current original.
    Ok,
    /// No page in this language.
    Missing,
    /// The original changed since the translation was marked.
    Stale,
    /// A translation never marked with `rolebook mark-translated`.
    Untracked,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Ok => "ok",
            Status::Missing => "missing",
            Status::Stale => "stale",
            Status::Untracked => "untracked",
        }
    }
}

/// Status of `role` in language `lang`.
pub fn status(handbook: &Handbook, role: &Role, lang: LangId) -> Status {
    let Some(page) = handbook.page(role, lang) else {
        return Status::Missing;
    };
    if lang.is_default() {
        return Status::Ok;
    }
    let Some(original) = handbook.page(role, LangId::DEFAULT) else {
        // Nothing to be stale against: the translation is what there is.
        return if page.translated_from.is_some() {
            Status::Ok
        } else {
            Status::Untracked
        };
    };
    match &page.translated_from {
        None => Status::Untracked,
        Some(mark) if Some(mark) == original.fingerprint.as_ref() => Status::Ok,
        Some(_) => Status::Stale,
    }
}

/// One row of the side-by-side view: a section of each language, either may be absent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pair {
    pub left: Option<usize>,
    pub right: Option<usize>,
}

/// Pairs sections: first by explicit heading id (`{#duties}` in both), then
/// the remaining ones by order. Rows follow the left page's order, with
/// right-only sections placed where they occur on the right.
pub fn pair_sections(left: &[Section], right: &[Section]) -> Vec<Pair> {
    let mut partner: Vec<Option<usize>> = vec![None; left.len()];
    let mut taken = vec![false; right.len()];
    // Same id on both sides, where at least one was written by the author
    // (`## When to use` and `## 何时使用 {#when-to-use}` are one section).
    // Pages have a handful of sections: a scan beats building a map, which
    // matters when every page of a large handbook is paired several times.
    let right_ids: Option<HashMap<&str, usize>> = (right.len() > 32).then(|| {
        right
            .iter()
            .enumerate()
            .filter_map(|(i, s)| s.id.as_deref().map(|id| (id, i)))
            .collect()
    });
    let find = |id: &str| match &right_ids {
        Some(map) => map.get(id).copied(),
        None => right.iter().position(|s| s.id.as_deref() == Some(id)),
    };
    for (i, s) in left.iter().enumerate() {
        let Some(j) = s.id.as_deref().and_then(find) else {
            continue;
        };
        if (s.explicit || right[j].explicit) && !taken[j] {
            partner[i] = Some(j);
            taken[j] = true;
        }
    }
    // The rest pair by order: lead-in with lead-in, then heading with heading.
    // Sections with an author-written id pair only by that id.
    let free = |sections: &[Section], used: &dyn Fn(usize) -> bool, lead_in: bool| -> Vec<usize> {
        (0..sections.len())
            .filter(|&i| !used(i) && !sections[i].explicit && sections[i].id.is_none() == lead_in)
            .collect()
    };
    for lead_in in [true, false] {
        let left_free = free(left, &|i| partner[i].is_some(), lead_in);
        let right_free = free(right, &|j| taken[j], lead_in);
        for (i, j) in left_free.into_iter().zip(right_free) {
            partner[i] = Some(j);
            taken[j] = true;
        }
    }
    merge_rows(&partner, &taken)
}

fn merge_rows(partner: &[Option<usize>], taken: &[bool]) -> Vec<Pair> {
    let mut rows = Vec::new();
    let mut next_right = 0;
    let flush = |upto: usize, next_right: &mut usize, rows: &mut Vec<Pair>| {
        while *next_right < upto {
            if !taken[*next_right] {
                rows.push(Pair {
                    left: None,
                    right: Some(*next_right),
                });
            }
            *next_right += 1;
        }
    };
    for (i, p) in partner.iter().enumerate() {
        if let Some(j) = *p {
            flush(j, &mut next_right, &mut rows);
            next_right = next_right.max(j + 1);
        }
        rows.push(Pair {
            left: Some(i),
            right: *p,
        });
    }
    flush(taken.len(), &mut next_right, &mut rows);
    rows
}

/// For each section id of `from`, the id of its partner section in `to`
/// (used by the language switch to land on the same section).
pub fn section_map(from: &RenderedPage, to: &RenderedPage) -> Vec<(String, String)> {
    pair_sections(&from.sections, &to.sections)
        .into_iter()
        .filter_map(|p| {
            let a = from.sections[p.left?].id.clone()?;
            let b = to.sections[p.right?].id.clone()?;
            Some((a, b))
        })
        .collect()
}

/// Headings of sections that exist in only one of the two pages.
pub fn one_sided(left: &RenderedPage, right: &RenderedPage) -> (Vec<String>, Vec<String>) {
    let rows = pair_sections(&left.sections, &right.sections);
    let name = |s: &Section| s.id.clone().unwrap_or_else(|| "(introduction)".to_string());
    let only_left = rows
        .iter()
        .filter(|p| p.right.is_none())
        .filter_map(|p| p.left)
        .map(|i| name(&left.sections[i]))
        .collect();
    let only_right = rows
        .iter()
        .filter(|p| p.left.is_none())
        .filter_map(|p| p.right)
        .map(|i| name(&right.sections[i]))
        .collect();
    (only_left, only_right)
}

/// Sections of `role` present in one language only, as `zh: #skills`,
/// comparing each translation with the default-language page.
pub fn one_sided_sections(
    handbook: &Handbook,
    rendered: &[Arc<RenderedPage>],
    role: &Role,
) -> Vec<String> {
    let config = &handbook.config;
    let mut sided = Vec::new();
    let Some(original) = role.page_id(LangId::DEFAULT) else {
        return sided;
    };
    let default_key = &config.lang_of(LangId::DEFAULT).key;
    for other in config.lang_ids().skip(1) {
        let Some(translation) = role.page_id(other) else {
            continue;
        };
        let (only_original, only_translation) =
            one_sided(&rendered[original], &rendered[translation]);
        sided.extend(
            only_original
                .into_iter()
                .map(|id| format!("{default_key}: #{id}")),
        );
        let key = &config.lang_of(other).key;
        sided.extend(
            only_translation
                .into_iter()
                .map(|id| format!("{key}: #{id}")),
        );
    }
    sided
}

/// One role's line in `rolebook status`.
#[derive(Debug, Serialize)]
pub struct RoleStatus {
    pub id: String,
    /// Language key -> status, in book.toml order.
    pub translations: LangStatuses,
    /// Sections present in one language only: `zh: #skills`.
    pub one_sided_sections: Vec<String>,
}

/// `rolebook status` for the whole handbook.
#[derive(Debug, Serialize)]
pub struct Report {
    pub roles: Vec<RoleStatus>,
}

impl Report {
    pub fn all_ok(&self) -> bool {
        self.roles.iter().all(|r| {
            r.translations.0.iter().all(|(_, s)| *s == Status::Ok)
                && r.one_sided_sections.is_empty()
        })
    }

    /// A table for people: one line per role.
    pub fn human(&self) -> String {
        let mut out = String::new();
        let width = self
            .roles
            .iter()
            .map(|r| r.id.len())
            .max()
            .unwrap_or(4)
            .max(4);
        for role in &self.roles {
            out.push_str(&format!("{:width$}", role.id));
            for (lang, status) in &role.translations.0 {
                out.push_str(&format!("  {lang}: {:9}", status.as_str()));
            }
            if !role.one_sided_sections.is_empty() {
                out.push_str(&format!(
                    "  only in one language: {}",
                    role.one_sided_sections.join(", ")
                ));
            }
            out.push('\n');
        }
        let not_ok = self
            .roles
            .iter()
            .filter(|r| r.translations.0.iter().any(|(_, s)| *s != Status::Ok))
            .count();
        out.push_str(&format!(
            "{} roles, {} with translations that are not ok\n",
            self.roles.len(),
            not_ok
        ));
        out
    }
}

/// Status of every role and language, plus one-sided sections.
pub fn report(handbook: &Handbook, rendered: &[Arc<RenderedPage>]) -> Report {
    let config = &handbook.config;
    let roles = handbook
        .roles
        .iter()
        .map(|role| {
            let translations = LangStatuses(
                config
                    .lang_ids()
                    .map(|l| (config.lang_of(l).key.clone(), status(handbook, role, l)))
                    .collect(),
            );
            let sided = one_sided_sections(handbook, rendered, role);
            RoleStatus {
                id: role.id.to_string(),
                translations,
                one_sided_sections: sided,
            }
        })
        .collect();
    Report { roles }
}

/// Language key -> status, serialised as a JSON object in book.toml's order.
#[derive(Debug)]
pub struct LangStatuses(pub Vec<(String, Status)>);

impl Serialize for LangStatuses {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (lang, status) in &self.0 {
            map.serialize_entry(lang, status)?;
        }
        map.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn section(id: Option<&str>, explicit: bool) -> Section {
        Section {
            id: id.map(String::from),
            explicit,
            ..Section::default()
        }
    }

    fn rows(left: &[Section], right: &[Section]) -> Vec<(Option<usize>, Option<usize>)> {
        pair_sections(left, right)
            .into_iter()
            .map(|p| (p.left, p.right))
            .collect()
    }

    #[test]
    fn pairs_by_explicit_id_even_when_reordered() {
        let en = [section(Some("duties"), true), section(Some("skills"), true)];
        let zh = [section(Some("skills"), true), section(Some("duties"), true)];
        let r = rows(&en, &zh);
        assert!(
            r.contains(&(Some(0), Some(1))) && r.contains(&(Some(1), Some(0))),
            "{r:?}"
        );
    }

    #[test]
    fn an_explicit_id_pairs_with_the_same_slug() {
        let en = [
            section(Some("when-to-use"), false),
            section(Some("api"), false),
        ];
        let zh = [
            section(Some("when-to-use"), true),
            section(Some("api"), false),
        ];
        assert_eq!(rows(&en, &zh), [(Some(0), Some(0)), (Some(1), Some(1))]);
    }

    #[test]
    fn pairs_the_rest_by_order() {
        let en = [
            section(None, false),
            section(Some("purpose"), false),
            section(Some("duties"), true),
        ];
        let zh = [
            section(None, false),
            section(Some("目的"), false),
            section(Some("duties"), true),
        ];
        assert_eq!(
            rows(&en, &zh),
            [(Some(0), Some(0)), (Some(1), Some(1)), (Some(2), Some(2))]
        );
    }

    #[test]
    fn one_sided_sections_get_their_own_rows_in_place() {
        let en = [
            section(Some("a"), true),
            section(Some("only-en"), true),
            section(Some("c"), true),
        ];
        let zh = [
            section(Some("a"), true),
            section(Some("only-zh"), true),
            section(Some("c"), true),
        ];
        assert_eq!(
            rows(&en, &zh),
            [
                (Some(0), Some(0)),
                (Some(1), None),
                (None, Some(1)),
                (Some(2), Some(2))
            ]
        );
    }
}
