//! Anchors of `role:ID#anchor` links: each must be a heading of the page a
//! reader lands on (the role's page in the link's language, or its fallback).

use std::sync::Arc;

use rayon::prelude::*;

use crate::diagnostic::{Code, Diagnostic};
use crate::handbook::Handbook;
use crate::markdown::RenderedPage;

/// `role:ID#anchor` links whose anchor is not a heading of the page readers land on.
pub fn check(handbook: &Handbook, rendered: &[Arc<RenderedPage>]) -> Vec<Diagnostic> {
    let page_problems = |(page, r): (&crate::frontmatter::Page, &Arc<RenderedPage>)| {
        let lang = page.lang_id;
        let mut problems = Vec::new();
        for link in &r.role_links {
            let (Some(anchor), Some(target)) = (&link.anchor, handbook.role(&link.id)) else {
                continue;
            };
            let (shown, _) = handbook.shown_page(target, lang);
            let headings = &rendered[shown].headings;
            // A page has a handful of headings: a scan is quickest.
            if headings.iter().any(|h| h.id == *anchor) {
                continue;
            }
            let ids: Vec<&str> = headings.iter().map(|h| h.id.as_str()).collect();
            let hint = match crate::diagnostic::did_you_mean(anchor, &ids) {
                Some(best) => format!("did you mean `#{best}`?"),
                None if ids.is_empty() => format!(
                    "{} has no headings; link `role:{}` without an anchor",
                    handbook.pages[shown].file, link.id
                ),
                None => format!(
                    "headings of {}: {}",
                    handbook.pages[shown].file,
                    ids.iter()
                        .take(12)
                        .map(|i| format!("#{i}"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            };
            problems.push(
                Diagnostic::warning(
                    Code::UnknownAnchor,
                    &page.file,
                    format!(
                        "`role:{}#{anchor}`: the `{}` page has no heading with id `{anchor}`",
                        link.id, handbook.pages[shown].lang
                    ),
                )
                .at(link.line, link.column)
                .hint(hint),
            );
        }
        problems
    };
    handbook
        .pages
        .par_iter()
        .zip(rendered)
        .flat_map_iter(page_problems)
        .collect()
}
