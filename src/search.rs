//! The search index: every section of every page, as a script file.
//!
//! Written at build time to `static/search-index.js` and loaded by the
//! theme's `search.js` only when the reader starts searching, as a `<script>`
//! (Chromium blocks fetch of local files, so this also works from file://).
//!
//! The index holds each section's plain text with full-width ASCII folded and
//! whitespace collapsed, as the query is; search.js lowercases both. The
//! browser matches English words by stem (duty/duties) at word starts and
//! Chinese by substring (so any word of two or more characters is found, with
//! character bigrams for scattered matches). BENCHMARKS.md has the sizes and
//! timings that chose this over a precomputed bigram posting list.

use std::io::{self, Write};
use std::sync::Arc;

use crate::handbook::Handbook;
use crate::markdown::{fold, RenderedPage};

/// Output path of the index.
pub const INDEX_PATH: &str = "static/search-index.js";

/// Writes `static/search-index.js` to `out` piece by piece, so the index (the
/// size of all the handbook's text) is never held in memory as a whole.
///
/// Shape: `{"langs": [keys], "roles": [ids], "titles": [[title per language]],
/// "docs": [[role, language, section id, heading, text]]}`.
pub fn write_index(
    handbook: &Handbook,
    rendered: &[Arc<RenderedPage>],
    out: &mut dyn Write,
) -> io::Result<()> {
    let langs = &handbook.config.languages;
    out.write_all(b"window.ROLEBOOK_SEARCH={\"langs\":")?;
    let keys: Vec<&str> = langs.iter().map(|l| l.key.as_str()).collect();
    serde_json::to_writer(&mut *out, &keys)?;
    out.write_all(b",\"roles\":")?;
    let ids: Vec<&str> = handbook.roles.iter().map(|r| r.id.as_str()).collect();
    serde_json::to_writer(&mut *out, &ids)?;
    out.write_all(b",\"titles\":")?;
    let titles: Vec<Vec<&str>> = handbook
        .roles
        .iter()
        .map(|role| {
            (0..langs.len())
                .map(|l| handbook.page_or_fallback(role, l).0.title.as_str())
                .collect()
        })
        .collect();
    serde_json::to_writer(&mut *out, &titles)?;
    out.write_all(b",\"docs\":[")?;
    let mut first = true;
    for (role_index, role) in handbook.roles.iter().enumerate() {
        for (lang, slot) in role.pages.iter().enumerate() {
            let Some(page_index) = *slot else { continue };
            let page = &handbook.pages[page_index];
            for (n, section) in rendered[page_index].sections.iter().enumerate() {
                if !first {
                    out.write_all(b",")?;
                }
                first = false;
                let id = section.id.as_deref().unwrap_or("");
                // The summary belongs to the page's first section.
                match (&page.summary, n) {
                    (Some(summary), 0) => {
                        let text = format!("{} {}", fold(summary), section.text);
                        serde_json::to_writer(
                            &mut *out,
                            &(role_index, lang, id, &section.heading, text),
                        )?;
                    }
                    _ => serde_json::to_writer(
                        &mut *out,
                        &(role_index, lang, id, &section.heading, &section.text),
                    )?,
                }
            }
        }
    }
    out.write_all(b"]};\n")
}

#[cfg(test)]
mod tests {
    use crate::markdown::fold;

    #[test]
    fn fold_keeps_case_and_folds_width_and_space() {
        assert_eq!(
            fold("  Office\tDIRECTOR\n\n办公室  主任 "),
            "Office DIRECTOR 办公室 主任"
        );
        assert_eq!(fold("ＡＴＴＥＮＤＡＮＣＥ１２"), "ATTENDANCE12");
        assert_eq!(fold("考勤　报表"), "考勤 报表");
    }
}
