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

use serde::Serialize;

use crate::handbook::Handbook;
use crate::markdown::RenderedPage;

/// Output path of the index.
pub const INDEX_PATH: &str = "static/search-index.js";

#[derive(Serialize)]
struct Index<'a> {
    /// Language keys, default first.
    langs: Vec<&'a str>,
    /// Role ids.
    roles: Vec<&'a str>,
    /// Role titles per language (the fallback page's title where missing).
    titles: Vec<Vec<&'a str>>,
    /// One entry per section: role, language, section id, heading, folded text.
    docs: Vec<(usize, usize, &'a str, &'a str, String)>,
}

/// Folds full-width ASCII (`ＡＢＣ１`) to ASCII and collapses whitespace. The
/// case is kept for snippets; search.js lowercases both the index (once, when
/// it loads) and the query, with the same folding.
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut space = true;
    for c in text.chars() {
        let c = match c {
            '\u{ff01}'..='\u{ff5e}' => char::from_u32(c as u32 - 0xfee0).unwrap_or(c),
            '\u{3000}' => ' ',
            c => c,
        };
        if c.is_whitespace() {
            if !space {
                out.push(' ');
                space = true;
            }
            continue;
        }
        space = false;
        out.push(c);
    }
    out.truncate(out.trim_end().len());
    out
}

/// Builds `static/search-index.js`.
pub fn index_script(handbook: &Handbook, rendered: &[RenderedPage]) -> String {
    let langs = &handbook.config.languages;
    let mut index = Index {
        langs: langs.iter().map(|l| l.key.as_str()).collect(),
        roles: Vec::with_capacity(handbook.roles.len()),
        titles: Vec::with_capacity(handbook.roles.len()),
        docs: Vec::new(),
    };
    for (role_index, role) in handbook.roles.iter().enumerate() {
        index.roles.push(&role.id);
        index.titles.push(
            (0..langs.len())
                .map(|l| handbook.page_or_fallback(role, l).0.title.as_str())
                .collect(),
        );
        for (lang, slot) in role.pages.iter().enumerate() {
            let Some(page_index) = *slot else { continue };
            let page = &handbook.pages[page_index];
            for (n, section) in rendered[page_index].sections.iter().enumerate() {
                let mut text = section.text.clone();
                if n == 0 {
                    // The summary belongs to the page's first section.
                    if let Some(summary) = &page.summary {
                        text = format!("{summary} {text}");
                    }
                }
                index.docs.push((
                    role_index,
                    lang,
                    section.id.as_deref().unwrap_or(""),
                    &section.heading,
                    fold(&text),
                ));
            }
        }
    }
    let json = serde_json::to_string(&index).unwrap_or_else(|_| "{}".to_string());
    // `</script>` cannot occur: the file is loaded by src, never inlined.
    format!("window.ROLEBOOK_SEARCH={json};\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fold_keeps_case_and_folds_width_and_space() {
        assert_eq!(fold("  Office\tDIRECTOR\n\n办公室  主任 "), "Office DIRECTOR 办公室 主任");
        assert_eq!(fold("ＡＴＴＥＮＤＡＮＣＥ１２"), "ATTENDANCE12");
        assert_eq!(fold("考勤　报表"), "考勤 报表");
    }
}
