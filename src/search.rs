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
use crate::markdown::RenderedPage;
use crate::route::Route;

/// Writes `static/search-index.js` to `out` piece by piece, so the index (the
/// size of all the handbook's text) is never held in memory as a whole.
///
/// Shape: `{"langs": [keys], "page": "{lang}/{id}.html", "roles": [ids], "titles": [[title per language]],
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
    // Where a result leads: the role page's path with `{lang}` and `{id}`
    // to fill in, from the routing module (the script spells no path).
    out.write_all(b",\"page\":")?;
    let page = Route::Role {
        lang: "{lang}",
        id: "{id}",
    }
    .path();
    serde_json::to_writer(&mut *out, &page)?;
    out.write_all(b",\"roles\":")?;
    let ids: Vec<&str> = handbook.roles.iter().map(|r| r.id.as_str()).collect();
    serde_json::to_writer(&mut *out, &ids)?;
    out.write_all(b",\"titles\":")?;
    let titles: Vec<Vec<&str>> = handbook
        .roles
        .iter()
        .map(|role| {
            handbook
                .config
                .lang_ids()
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
                let html = &rendered[page_index].html[section.html_range.clone()];
                let mut text = section_text(html);
                // The summary belongs to the page's first section.
                if let (Some(summary), 0) = (&page.summary, n) {
                    text = format!("{} {text}", fold(summary));
                }
                serde_json::to_writer(&mut *out, &(role_index, lang, id, &section.heading, text))?;
            }
        }
    }
    out.write_all(b"]};\n")
}

/// Folds full-width ASCII (`ＡＢＣ１`) to ASCII and collapses whitespace:
/// the plain text of sections, as search indexes it. The case is kept for
/// snippets; search.js lowercases both the index (once, when it loads) and
/// the query, after the same folding.
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    fold_into(&mut out, text, &mut true);
    out.truncate(out.trim_end().len());
    out
}

/// Bytes that may start a character [`fold`] changes: ASCII whitespace, and
/// the lead bytes of U+0085 and U+00A0 (0xC2), the Unicode spaces U+1680
/// (0xE1), U+2000 to U+205F (0xE2), U+3000 (0xE3) and the full-width forms
/// U+FF01 to U+FF5E (0xEF). Continuation bytes never are, so a match is
/// always at a character boundary.
const MAY_FOLD: [bool; 256] = {
    let mut table = [false; 256];
    let mut i = 0;
    while i < 256 {
        table[i] = matches!(i, 0x09..=0x0d | 0x20 | 0xc2 | 0xe1 | 0xe2 | 0xe3 | 0xef);
        i += 1;
    }
    table
};

/// Appends `text` folded as [`fold`] does, without trimming the end, copying
/// unchanged runs in one go; `space` says whether `out` is empty or ends in
/// a (folded) space.
fn fold_into(out: &mut String, text: &str, space: &mut bool) {
    let bytes = text.as_bytes();
    let (mut run, mut i) = (0, 0);
    while let Some(skip) = bytes[i..].iter().position(|&b| MAY_FOLD[b as usize]) {
        i += skip;
        // A lone space between characters that stay, stays (most spaces).
        let after_kept = i > run || !*space;
        if bytes[i] == b' '
            && after_kept
            && bytes.get(i + 1).is_some_and(|&b| !MAY_FOLD[b as usize])
        {
            i += 1;
            continue;
        }
        let Some(c) = text[i..].chars().next() else {
            break;
        };
        let folded = match c {
            '\u{ff01}'..='\u{ff5e}' => char::from_u32(c as u32 - 0xfee0).unwrap_or(c),
            '\u{3000}' => ' ',
            c if c.is_whitespace() => ' ',
            _ => {
                i += c.len_utf8();
                continue;
            }
        };
        if run < i {
            out.push_str(&text[run..i]);
            *space = false;
        }
        i += c.len_utf8();
        run = i;
        if folded != ' ' {
            out.push(folded);
            *space = false;
        } else if !*space {
            out.push(' ');
            *space = true;
        }
    }
    if run < bytes.len() {
        out.push_str(&text[run..]);
        *space = false;
    }
}

/// Elements that end a line of text: their tags count as a space.
const BREAKS: &[&str] = &[
    "p",
    "br",
    "li",
    "td",
    "th",
    "tr",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "pre",
    "div",
    "blockquote",
    "dt",
    "dd",
    "hr",
    "table",
    "ul",
    "ol",
];

/// The plain text of a section's HTML, folded (see [`fold`]): tags dropped
/// (block and cell tags count as a space), character references decoded.
/// Taken from the HTML when the index is written, so that it is not held in
/// memory beside the HTML for every page of a large handbook.
pub fn section_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len() / 2);
    let mut space = true;
    // Text between tags: escaped by the Markdown renderer where needed.
    // (Borrowed, not copied, when the chunk has no character reference.)
    let mut text = |out: &mut String, chunk: &str| {
        fold_into(out, &html_escape::decode_html_entities(chunk), &mut space)
    };
    let mut rest = html;
    while let Some(open) = memchr::memchr(b'<', rest.as_bytes()) {
        text(&mut out, &rest[..open]);
        let tag = &rest[open + 1..];
        let close = memchr::memchr(b'>', tag.as_bytes()).map_or(tag.len(), |i| i + 1);
        let name = tag.strip_prefix('/').unwrap_or(tag);
        let name = &name[..name
            .bytes()
            .position(|b| !b.is_ascii_alphanumeric())
            .unwrap_or(name.len())];
        // The Markdown renderer writes lowercase tags; raw HTML may not.
        if BREAKS.contains(&name)
            || (name.bytes().any(|b| b.is_ascii_uppercase())
                && BREAKS.iter().any(|b| b.eq_ignore_ascii_case(name)))
        {
            text(&mut out, " ");
        }
        // An image's text is its alt text (`![alt](src)`).
        if name.eq_ignore_ascii_case("img") {
            let alt = tag[..close]
                .split(" alt=\"")
                .nth(1)
                .and_then(|a| a.split('"').next());
            if let Some(alt) = alt {
                text(&mut out, " ");
                text(&mut out, alt);
                text(&mut out, " ");
            }
        }
        rest = &tag[close..];
        // Raw HTML may hold a script or style: code, not text.
        if !tag.starts_with('/') && ["script", "style"].contains(&name) {
            let end = format!("</{name}");
            rest = rest.find(&end).map_or("", |i| &rest[i..]);
        }
    }
    text(&mut out, rest);
    out.truncate(out.trim_end().len());
    out
}

#[cfg(test)]
mod tests {
    use super::{fold, section_text};

    #[test]
    fn section_text_is_the_visible_text() {
        assert_eq!(
            section_text("<h2 id=\"duties\">Duties &amp; <em>tasks</em></h2>\n<p>One&lt;two&gt;</p><ul><li>a</li><li>b</li></ul>"),
            "Duties & tasks One<two> a b"
        );
        assert_eq!(
            section_text(
                "<table><tr><td>甲</td><td>乙</td></tr></table><p>x<br />y &#x4e2d;&quot;</p>"
            ),
            "甲 乙 x y 中\""
        );
        assert_eq!(
            section_text("<p>a <code>b</code>c</p>\n<pre><code>d\n</code></pre>"),
            "a bc d"
        );
        assert_eq!(
            section_text("<p>x</p><style>p{}</style><script>a<b</script>y"),
            "x y"
        );
        assert_eq!(
            section_text("<p>see<img src=\"a.png\" alt=\"org &amp; chart\" />now</p>"),
            "see org & chart now"
        );
    }

    #[test]
    fn fold_keeps_case_and_folds_width_and_space() {
        assert_eq!(
            fold("  Office\tDIRECTOR\n\n办公室  主任 "),
            "Office DIRECTOR 办公室 主任"
        );
        assert_eq!(fold("ＡＴＴＥＮＤＡＮＣＥ１２"), "ATTENDANCE12");
        assert_eq!(fold("考勤　报表"), "考勤 报表");
    }

    /// The folding rule written the plain way, one character at a time.
    fn fold_by_char(text: &str) -> String {
        let mut out = String::new();
        for c in text.chars() {
            let c = match c {
                '\u{ff01}'..='\u{ff5e}' => char::from_u32(c as u32 - 0xfee0).unwrap_or(c),
                '\u{3000}' => ' ',
                c if c.is_whitespace() => ' ',
                c => c,
            };
            if c != ' ' || !(out.is_empty() || out.ends_with(' ')) {
                out.push(c);
            }
        }
        out.trim_end().to_string()
    }

    proptest::proptest! {
        #[test]
        fn fold_copies_runs_as_folding_each_character_would(
            text in "[a-zA-Z 　\t\n\r\u{b}\u{c}\u{85}\u{a0}\u{1680}\u{2000}-\u{200b}\u{202f}\u{205f}\u{2028}\u{3001}办公室ＡＢ１！～\u{ff5f}é€]{0,40}"
        ) {
            proptest::prop_assert_eq!(fold(&text), fold_by_char(&text));
        }
    }
}
