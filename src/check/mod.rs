//! The check pass: the problems found across pages, once every page is read,
//! paired into roles and its Markdown rendered. Each check is a plain
//! function from the validated handbook to [`Diagnostic`] values; `check`,
//! `build` and `serve` all run this pass. (Problems of one page alone come
//! from the stages that read it: front matter, Markdown, links.)

use std::collections::HashSet;
use std::sync::Arc;

use rayon::prelude::*;

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
    let today = crate::dates::today();
    // Independent of each other: run side by side, reported in this order.
    let checks: [&(dyn Fn() -> Vec<Diagnostic> + Sync); 9] = [
        &|| roles::references(handbook),
        &|| roles::cycles(handbook),
        &|| roles::reserved_ids(handbook),
        &|| roles::missing_languages(handbook, failed),
        &|| roles::org_chart_depth(handbook),
        &|| roles::pages(handbook),
        &|| lifecycle::dates(handbook, today),
        &|| lifecycle::aliases(handbook),
        &|| anchors::check(handbook, rendered),
    ];
    checks.par_iter().flat_map_iter(|check| check()).collect()
}
