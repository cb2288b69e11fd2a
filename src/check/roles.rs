//! Checks of how roles refer to each other: unknown roles in `reports_to`,
//! `related` and `compare`, `reports_to` circles, reserved ids, roles missing a
//! language, and org charts deeper than the chart shows.

use std::collections::HashSet;

use crate::config::{MissingTranslation, CONFIG_FILE};
use crate::diagnostic::{Code, Diagnostic};
use crate::frontmatter::{Located, Page};
use crate::handbook::{Handbook, Role, MAX_ORG_DEPTH, RESERVED_IDS};

pub fn references(h: &Handbook) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    for page in &h.pages {
        let targets = page.reports_to.iter().map(|r| ("reports_to", r));
        let related = page.related.iter().flatten().map(|r| ("related", r));
        let compared = page.lifecycle.compare.iter().map(|r| ("compare", r));
        for (field, target) in targets.chain(related).chain(compared) {
            if h.role(&target.value).is_some() {
                continue;
            }
            problems.push(unknown_role(&page.file, field, target, ids(h)));
        }
    }
    problems
}

/// Pages that are not roles (`kind: page`) have no place in the org chart
/// and no lifecycle: fields that say otherwise are errors, and so is a
/// `reports_to` that names such a page.
pub fn pages(h: &Handbook) -> Vec<Diagnostic> {
    use crate::frontmatter::Kind;
    let mut problems = Vec::new();
    let kind_of = |id: &str| h.role(id).map(|r| r.kind);
    for page in &h.pages {
        let Some(role) = h.role(&page.id) else {
            continue;
        };
        if let Some(boss) = &page.reports_to {
            if kind_of(&boss.value) == Some(Kind::Page) {
                problems.push(
                    Diagnostic::error(
                        Code::NotForPages,
                        &page.file,
                        format!(
                            "`reports_to` names `{}`, which is a page, not a role",
                            boss.value
                        ),
                    )
                    .at(boss.line, boss.column)
                    .hint("a role reports to another role: use a role's id, or remove the line"),
                );
            }
        }
        if role.kind != Kind::Page {
            continue;
        }
        let l = &page.lifecycle;
        let mut at = |field: &str, line: usize, column: usize| {
            problems.push(
                Diagnostic::error(
                    Code::NotForPages,
                    &page.file,
                    format!("`{field}` is for roles; this is a `kind: page` page"),
                )
                .at(line, column)
                .hint(format!(
                    "remove `{field}`, or remove `kind: page` if this page describes a role"
                )),
            );
        };
        if let Some(r) = &page.reports_to {
            at("reports_to", r.line, r.column);
        }
        if page.department.is_some() {
            at("department", page.id_line, 1);
        }
        for (field, written) in [
            (
                "effective",
                l.effective.as_ref().map(|d| (d.line, d.column)),
            ),
            (
                "review_by",
                l.review_by.as_ref().map(|d| (d.line, d.column)),
            ),
            ("version", l.version.as_ref().map(|d| (d.line, d.column))),
            ("owner", l.owner.as_ref().map(|d| (d.line, d.column))),
        ] {
            if let Some((line, column)) = written {
                at(field, line, column);
            }
        }
        if l.change_note.is_some() {
            at("change_note", page.id_line, 1);
        }
    }
    problems
}

fn ids(h: &Handbook) -> Vec<&str> {
    h.roles.iter().map(|r| r.id.as_str()).collect()
}

/// One error per `reports_to` circle, on the role with the smallest id in
/// it, naming the circle from there.
pub fn cycles(h: &Handbook) -> Vec<Diagnostic> {
    let boss: Vec<Option<usize>> = h
        .roles
        .iter()
        .map(|r| r.reports_to.as_deref().and_then(|id| h.role_index(id)))
        .collect();
    let (circles, _) = find_circles(&boss);
    circles
        .into_iter()
        .map(|circle| {
            let mut path: Vec<&str> = circle.iter().map(|&i| h.roles[i].id.as_str()).collect();
            // Named from its smallest id, whichever role the walk met first.
            let first = (0..path.len()).min_by_key(|&i| path[i]).unwrap_or(0);
            path.rotate_left(first);
            path.push(path[0]);
            let role = &h.roles[circle[first]];
            cycle_problem(h, role, &path)
        })
        .collect()
}

fn cycle_problem(h: &Handbook, role: &Role, path: &[&str]) -> Diagnostic {
    let (file, line, column) = role
        .pages
        .iter()
        .flatten()
        .map(|&i| &h.pages[i])
        .find_map(|p| {
            p.reports_to
                .as_ref()
                .map(|r| (p.file.clone(), r.line, r.column))
        })
        .unwrap_or_default();
    Diagnostic::error(
        Code::ReportsToCycle,
        file,
        format!("`reports_to` goes round in a circle: {}", path.join(" -> ")),
    )
    .at(line, column)
    .hint("one role in the circle must report to a role outside it, or to nobody")
}

/// Pages whose id is one of [`RESERVED_IDS`], each at its `id:` line.
pub fn reserved_ids(h: &Handbook) -> Vec<Diagnostic> {
    let list = RESERVED_IDS
        .iter()
        .map(|id| format!("`{id}`"))
        .collect::<Vec<_>>()
        .join(", ");
    h.pages
        .iter()
        .filter(|page| RESERVED_IDS.contains(&page.id.as_str()))
        .map(|page| {
            Diagnostic::error(
                Code::ReservedId,
                &page.file,
                format!(
                    "id `{}` is reserved: rolebook writes a page of its own by that name",
                    page.id
                ),
            )
            // Pages record the line of `id:`, not the column of its value.
            .at(page.id_line, 1)
            .hint(format!(
                "use another id, e.g. `{}-role`, in every language of this role and in the links to it; reserved ids: {list}",
                page.id
            ))
        })
        .collect()
}

/// Roles with no page in some language, reported as book.toml's
/// `[check] missing_translation` says: one warning per role and language
/// (`warn`), one per language with the count (`summary`), or none (`off`).
/// Roles in `failed` (a page of theirs did not parse) are left out.
pub fn missing_languages(h: &Handbook, failed: &HashSet<String>) -> Vec<Diagnostic> {
    match h.config.missing_translation {
        MissingTranslation::Warn => missing_per_role(h, failed),
        MissingTranslation::Summary => missing_per_language(h, failed),
        MissingTranslation::Off => Vec::new(),
    }
}

/// Each role not in `failed`, with the first page it has (None: no page).
fn reported_roles<'h>(
    h: &'h Handbook,
    failed: &'h HashSet<String>,
) -> impl Iterator<Item = (&'h Role, &'h Page)> + 'h {
    h.roles
        .iter()
        .filter(|r| !failed.contains(r.id.as_str()))
        .filter_map(|r| Some((r, &h.pages[*r.pages.iter().flatten().next()?])))
}

fn missing_per_role(h: &Handbook, failed: &HashSet<String>) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    for (role, existing) in reported_roles(h, failed) {
        for (lang, slot) in h.config.languages.iter().zip(&role.pages) {
            if slot.is_none() {
                problems.push(
                    Diagnostic::warning(
                        Code::MissingTranslation,
                        &existing.file,
                        format!("role `{}` has no page in `{}` ({})", role.id, lang.key, lang.name),
                    )
                    .hint(format!(
                        "add a page with `id: {}` under content/{}/; until then readers see the `{}` page with a notice",
                        role.id, lang.key, existing.lang
                    )),
                );
            }
        }
    }
    problems
}

/// One warning per language some roles have no page in, on book.toml's
/// line of the setting.
fn missing_per_language(h: &Handbook, failed: &HashSet<String>) -> Vec<Diagnostic> {
    let mut missing = vec![0usize; h.config.languages.len()];
    for (role, _) in reported_roles(h, failed) {
        for (count, slot) in missing.iter_mut().zip(&role.pages) {
            *count += usize::from(slot.is_none());
        }
    }
    let line = h.config.missing_translation_line;
    h.config
        .languages
        .iter()
        .zip(missing)
        .filter(|(_, count)| *count > 0)
        .map(|(lang, count)| {
            let roles = if count == 1 { "role has" } else { "roles have" };
            Diagnostic::warning(
                Code::MissingTranslation,
                CONFIG_FILE,
                format!("{count} {roles} no page in `{}` ({})", lang.key, lang.name),
            )
            .at(line, 1)
            .hint("`rolebook status` lists them; until they are translated, readers see another language's page with a notice (`missing_translation = \"warn\"` under [check] gives one warning per role)")
        })
        .collect()
}

/// A warning `org-chart-depth` for each role the org chart stops above
/// (reports below [`MAX_ORG_DEPTH`] levels), once per chain.
pub fn org_chart_depth(handbook: &Handbook) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    // Breadth first, each role once: linear in the number of roles.
    let mut level: Vec<&Role> = handbook.org_roots().collect();
    for _ in 0..MAX_ORG_DEPTH {
        level = level
            .iter()
            .flat_map(|r| handbook.direct_reports(&r.id))
            .collect();
    }
    for cut in level {
        let Some(below) = handbook.direct_reports(&cut.id).next() else {
            continue;
        };
        let page = below
            .pages
            .iter()
            .flatten()
            .next()
            .map(|&p| &handbook.pages[p]);
        let Some(page) = page else { continue };
        let (line, column) = page
            .reports_to
            .as_ref()
            .map_or((1, 1), |r| (r.line, r.column));
        problems.push(
            Diagnostic::warning(
                Code::OrgChartDepth,
                &page.file,
                format!(
                    "the org chart shows {MAX_ORG_DEPTH} levels; the roles reporting to `{}` and below are left out of it",
                    cut.id
                ),
            )
            .at(line, column)
            .hint("a reporting line this long is usually a mistake in reports_to; each role page still links its manager and its direct reports"),
        );
    }
    problems
}

/// The circles of the graph where role `i` reports to `boss[i]`, each once,
/// as role indices in `reports_to` order; and the number of steps taken.
/// Linear: a walk stops at a role an earlier walk reached (any circle behind
/// it is found already), and a role met twice in one walk closes a circle,
/// so each role is stepped on at most twice.
pub(crate) fn find_circles(boss: &[Option<usize>]) -> (Vec<Vec<usize>>, usize) {
    // The walk that first reached each role, and its position in that walk.
    let mut reached: Vec<Option<(usize, usize)>> = vec![None; boss.len()];
    let mut circles = Vec::new();
    let mut steps = 0;
    for start in 0..boss.len() {
        let mut walk: Vec<usize> = Vec::new();
        let mut current = Some(start);
        while let Some(role) = current {
            steps += 1;
            match reached[role] {
                Some((by, at)) if by == start => {
                    circles.push(walk[at..].to_vec());
                    break;
                }
                Some(_) => break,
                None => {}
            }
            reached[role] = Some((start, walk.len()));
            walk.push(role);
            current = boss[role];
        }
    }
    (circles, steps)
}

fn unknown_role(file: &str, field: &str, target: &Located<String>, ids: Vec<&str>) -> Diagnostic {
    let hint = match crate::diagnostic::did_you_mean(&target.value, &ids) {
        Some(best) => format!("did you mean `{best}`?"),
        None => "use the `id` of an existing role (see the front matter of its pages)".to_string(),
    };
    Diagnostic::error(
        Code::UnknownRole,
        file,
        format!(
            "`{field}` names role `{}`, which does not exist",
            target.value
        ),
    )
    .at(target.line, target.column)
    .hint(hint)
}
