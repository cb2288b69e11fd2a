//! The check pass: the problems found across pages, once every page is read,
//! paired into roles and its Markdown rendered. Each check is a plain
//! function from the validated handbook to [`Diagnostic`] values; `check`,
//! `build` and `serve` all run this pass. (Problems of one page alone come
//! from the stages that read it: front matter, Markdown, links.)

use std::collections::HashSet;
use std::sync::Arc;

use crate::diagnostic::Diagnostic;
use crate::handbook::Handbook;
use crate::markdown::RenderedPage;

pub mod anchors;
pub mod lifecycle;
pub mod placeholders;
pub mod roles;

/// Every cross-page problem of `handbook`. Roles in `failed` (an id whose
/// page did not parse, and already has its error) are not also reported as
/// missing that language.
pub fn run(
    handbook: &Handbook,
    rendered: &[Arc<RenderedPage>],
    failed: &HashSet<String>,
) -> Vec<Diagnostic> {
    let mut problems = roles::references(handbook);
    problems.extend(roles::cycles(handbook));
    problems.extend(roles::reserved_ids(handbook));
    problems.extend(roles::missing_languages(handbook, failed));
    problems.extend(roles::org_chart_depth(handbook));
    problems.extend(roles::pages(handbook));
    problems.extend(lifecycle::dates(handbook, crate::dates::today()));
    problems.extend(lifecycle::aliases(handbook));
    problems.extend(anchors::check(handbook, rendered));
    problems
}
