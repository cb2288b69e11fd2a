//! Checks of the roles' lifecycle fields against today (see
//! [`crate::dates::today`]: `--today` and `ROLEBOOK_TODAY` fix it): a
//! `review_by` date in the past is a `review-due` warning, an `effective`
//! date in the future an `effective-in-future` info; and former ids
//! (`aliases`) that are not usable: an alias that is a live role's id, that
//! two roles claim, that names a generated page or is no id at all.

use std::collections::HashMap;

use crate::dates::{self, Date};
use crate::diagnostic::{Code, Diagnostic};
use crate::handbook::{Handbook, RESERVED_IDS};

/// `review-due` and `effective-in-future`, as of `today`.
pub fn dates(h: &Handbook, today: Date) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    for role in &h.roles {
        let lifecycle = &role.lifecycle;
        if let Some(due) = lifecycle.review_by.as_ref().filter(|d| d.value < today) {
            let owner = lifecycle
                .owner
                .as_ref()
                .map_or(String::new(), |o| format!(" (owner: {})", o.value));
            problems.push(
                Diagnostic::warning(
                    Code::ReviewDue,
                    &due.file,
                    format!(
                        "role `{}` was due for review on {}{owner}",
                        role.id,
                        dates::format(due.value, "")
                    ),
                )
                .at(due.line, due.column)
                .hint("review the role's pages, then set `review_by` to the next review date"),
            );
        }
        if let Some(from) = lifecycle.effective.as_ref().filter(|d| d.value > today) {
            problems.push(
                Diagnostic::info(
                    Code::EffectiveInFuture,
                    &from.file,
                    format!(
                        "role `{}` takes effect on {}: until then its pages already show the new text",
                        role.id,
                        dates::format(from.value, "")
                    ),
                )
                .at(from.line, from.column)
                .hint("nothing to do if that is intended; the date shows on the role's pages and in \"What's new\""),
            );
        }
    }
    problems
}

/// Aliases that cannot lead to their role.
pub fn aliases(h: &Handbook) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    let mut claimed: HashMap<&str, &str> = HashMap::new();
    for role in &h.roles {
        for alias in &role.lifecycle.aliases {
            let name = alias.value.as_str();
            let problem = if !crate::id::is_valid_role_id(name) {
                Some(Diagnostic::error(
                    Code::InvalidId,
                    &alias.file,
                    format!("alias `{name}` is not an id"),
                )
                .hint("an alias is a former id of the role: lowercase letters, digits, `-` and `_`"))
            } else if RESERVED_IDS.contains(&name) {
                Some(
                    Diagnostic::error(
                        Code::ReservedId,
                        &alias.file,
                        format!("alias `{name}` names a page rolebook generates itself"),
                    )
                    .hint("remove this alias: no role can have had this id"),
                )
            } else if h.role(name).is_some() {
                Some(
                    Diagnostic::error(
                        Code::AliasTaken,
                        &alias.file,
                        format!(
                            "alias `{name}` of role `{}` is the id of a role that exists",
                            role.id
                        ),
                    )
                    .hint(format!(
                        "an alias is a former id whose addresses now lead to `{}`: remove it, or rename role `{name}`",
                        role.id
                    )),
                )
            } else if let Some(other) = claimed.insert(name, role.id.as_str()) {
                (other != role.id.as_str()).then(|| {
                    Diagnostic::error(
                        Code::AliasTaken,
                        &alias.file,
                        format!("alias `{name}` is also an alias of role `{other}`"),
                    )
                    .hint("an old address can lead to one role only: remove the alias from one of them")
                })
            } else {
                None
            };
            problems.extend(problem.map(|p| p.at(alias.line, alias.column)));
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn review_and_effective_dates_are_judged_against_today() {
        let (h, _) = crate::handbook::tests::handbook(&[(
            "en/a.md",
            "---\nid: a\ntitle: A\neffective: 2026-12-01\nreview_by: 2026-11-01\nowner: HR\n---\n",
        )]);
        let on = |day: &str| dates(&h, dates::parse(day).unwrap());
        let due = on("2026-11-02");
        assert_eq!(due.len(), 2, "{due:?}");
        assert_eq!(due[0].code, Code::ReviewDue);
        assert_eq!((due[0].line, due[0].column), (5, 12));
        assert!(due[0].message.contains("2026-11-01 (owner: HR)"), "{due:?}");
        assert_eq!(due[1].code, Code::EffectiveInFuture);
        assert_eq!(due[1].severity, crate::diagnostic::Severity::Info);
        assert_eq!(due[1].line, 4);
        // On the review date itself nothing is due; on the effective date it applies.
        assert!(on("2026-11-01").iter().all(|d| d.code != Code::ReviewDue));
        assert!(on("2026-12-01")
            .iter()
            .all(|d| d.code != Code::EffectiveInFuture));
    }

    #[test]
    fn aliases_must_be_free_ids() {
        let (h, _) = crate::handbook::tests::handbook(&[
            (
                "en/a.md",
                "---\nid: a\ntitle: A\naliases: [b, old-a, index]\n---\n",
            ),
            (
                "en/b.md",
                "---\nid: b\ntitle: B\naliases: [old-a, old-b]\n---\n",
            ),
        ]);
        let problems = aliases(&h);
        let codes: Vec<(&str, usize)> = problems
            .iter()
            .map(|p| (p.code.as_str(), p.column))
            .collect();
        assert_eq!(
            codes,
            [
                ("alias-taken", 11),
                ("reserved-id", 21),
                ("alias-taken", 11)
            ],
            "{problems:?}"
        );
        assert!(problems[2].message.contains("also an alias of role `a`"));
    }
}
