//! Regression tests: sections and the pages that combine several pages
//! (issue 14, items 5, 7 and 11). The side-by-side view repeated ids and sent
//! links to the other column; an invisible lead-in counted as a section; and
//! `###` sections under one `##` were never paired.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use serde_json::Value;

use crate::support::{broken_links, on_ci, repo, rolebook, stderr, stdout, Book};

/// A fixture under tests/fixtures/regression/, built.
fn built(name: &str) -> Book {
    let book = Book::fixture(&format!("regression/{name}"));
    book.build();
    book
}

fn one_sided(book: &Book, id: &str) -> Value {
    let out = book.run(&["status", "--format", "json"]);
    let json: Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("no JSON ({e}): {}", stderr(&out)));
    json["roles"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == id)
        .unwrap_or_else(|| panic!("no role {id}: {json:#}"))["one_sided_sections"]
        .clone()
}

/// The value of every `name="..."` attribute of the tags of `html` (not of
/// text such as code, where quotes stay unescaped), entities decoded.
fn attributes(html: &str, name: &str) -> Vec<String> {
    let needle = format!(" {name}=\"");
    let mut found = Vec::new();
    for tag in html.split('<').skip(1) {
        let mut rest = &tag[..tag.find('>').unwrap_or(tag.len())];
        while let Some(i) = rest.find(&needle) {
            rest = &rest[i + needle.len()..];
            let end = rest.find('"').unwrap_or(rest.len());
            found.push(rest[..end].replace("&amp;", "&").replace("&quot;", "\""));
        }
    }
    found
}

fn percent_decoded(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let hex = (b[i] == b'%' && i + 2 < b.len() + 1)
            .then(|| s.get(i + 1..i + 3))
            .flatten()
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match hex {
            Some(v) => {
                out.push(v);
                i += 3;
            }
            None => {
                out.push(b[i]);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The page cut into the parts of each column (`left`, `right`): from one
/// `data-side` attribute to the next; what comes before the first is `theme`.
fn columns(html: &str) -> Vec<(&str, &str)> {
    let mut parts = html.split(" data-side=\"");
    let mut found = vec![("theme", parts.next().unwrap_or(""))];
    for part in parts {
        let side = if part.starts_with("left") {
            "left"
        } else {
            "right"
        };
        found.push((side, part));
    }
    found
}

/// Repeated ids of `html`, and the in-page links of a column whose target
/// is in the other column only (or, with `strict`, in no column at all).
fn id_problems(html: &str, strict: bool) -> Vec<String> {
    let mut problems = Vec::new();
    let mut seen: HashMap<String, usize> = HashMap::new();
    for id in attributes(html, "id") {
        *seen.entry(id).or_default() += 1;
    }
    let repeated: BTreeMap<_, _> = seen.iter().filter(|(_, n)| **n > 1).collect();
    if !repeated.is_empty() {
        problems.push(format!("repeated ids: {repeated:?}"));
    }
    let parts = columns(html);
    let ids_of = |side: &str| -> Vec<String> {
        parts
            .iter()
            .filter(|(s, _)| *s == side)
            .flat_map(|(_, part)| attributes(part, "id"))
            .collect()
    };
    for side in ["left", "right"] {
        let own = ids_of(side);
        for (_, part) in parts.iter().filter(|(s, _)| *s == side) {
            for href in attributes(part, "href") {
                let Some(target) = href.strip_prefix('#').map(percent_decoded) else {
                    continue;
                };
                if !own.contains(&target) && (strict || seen.contains_key(&target)) {
                    problems.push(format!(
                        "{side} column: href=\"{href}\" has no target in its column"
                    ));
                }
            }
        }
    }
    problems
}

/// Item 5: `## Hello, World!` and `[^n]` in both languages gave both
/// columns the ids `hello-world` and `n`: the Chinese footnote link jumped
/// to the English footnote. `## Main` took the theme's `id="main"`.
#[test]
fn side_by_side_ids_are_unique_and_in_page_links_stay_in_their_column() {
    let book = built("content-sections-ids");
    let html = book.read_out("parallel/greeter.html");
    assert_eq!(id_problems(&html, true), Vec::<String>::new(), "{html}");
    // The Chinese footnote link leads to the Chinese footnote.
    let right: String = columns(&html)
        .into_iter()
        .filter(|(side, _)| *side == "right")
        .map(|(_, part)| part)
        .collect();
    let reference = "class=\"footnote-reference\"><a href=\"#";
    let at = right.find(reference).expect("a footnote reference") + reference.len();
    let target = &right[at..at + right[at..].find('"').unwrap()];
    let definition = right
        .find(&format!(" id=\"{target}\""))
        .map(|i| &right[i..(i + 200).min(right.len())])
        .unwrap_or_default();
    assert!(definition.contains("中文脚注"), "#{target}: {right}");
    // The theme's ids are not a content slug: `## Main` keeps `main` on the
    // role page, where the skip link goes elsewhere.
    for page in [
        "en/greeter.html",
        "zh/greeter.html",
        "parallel/greeter.html",
    ] {
        let html = book.read_out(page);
        assert_eq!(id_problems(&html, false), Vec::<String>::new(), "{page}");
        let skip = attributes(&html, "href")
            .into_iter()
            .find(|h| html.contains(&format!("class=\"skip-link\" href=\"{h}\"")))
            .unwrap_or_default();
        let main = format!("<main id=\"{}\"", &skip.get(1..).unwrap_or(""));
        assert!(
            html.contains(&main),
            "{page}: skip link {skip:?} does not reach <main>"
        );
        assert!(
            !skip
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '#'),
            "{page}: the theme's id {skip} could be a slug"
        );
    }
    // Links to another role lead to the same column of its side-by-side
    // page, and no link of the handbook breaks.
    assert!(html.contains("href=\"helper.html#en--duties\""), "{html}");
    assert!(html.contains("href=\"helper.html#zh--duties\""), "{html}");
    let helper = book.read_out("parallel/helper.html");
    assert!(
        helper.contains("href=\"greeter.html#zh--hello-world\""),
        "{helper}"
    );
    assert_eq!(broken_links(&book.out()), Vec::<String>::new());
    // Role pages keep their own ids.
    let en = book.read_out("en/greeter.html");
    for id in ["hello-world", "main", "备注", "n"] {
        assert!(
            attributes(&en, "id").contains(&id.to_string()),
            "{id}: {en}"
        );
    }
}

/// The side-by-side pages of a built site: name -> HTML.
fn parallel_pages(out: &Path) -> Vec<(String, String)> {
    let dir = out.join("parallel");
    let mut pages: Vec<(String, String)> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "html"))
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read_to_string(&p).unwrap())
        })
        .collect();
    pages.sort();
    pages
}

fn assert_no_repeated_ids(out: &Path, what: &str) {
    let pages = parallel_pages(out);
    assert!(!pages.is_empty(), "{what}: no side-by-side pages");
    let problems: Vec<String> = pages
        .iter()
        .flat_map(|(name, html)| {
            id_problems(html, false)
                .into_iter()
                .map(move |p| format!("{what} parallel/{name}: {p}"))
        })
        .collect();
    assert!(
        problems.is_empty(),
        "{} problems:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

/// Item 5, on real books: no side-by-side page of the sample handbook,
/// antd-docs or vue-docs repeats an id or links into the other column.
#[test]
fn side_by_side_pages_of_real_books_repeat_no_id() {
    let sample = Book::sample();
    sample.build();
    assert_no_repeated_ids(&sample.out(), "sample");
    for corpus in ["antd-docs", "vue-docs"] {
        let source = repo().join("../shared/corpora").join(corpus);
        if !source.exists() {
            assert!(!on_ci(), "../shared/corpora/{corpus} is missing (on CI)");
            eprintln!("skipped: ../shared/corpora/{corpus} not found");
            continue;
        }
        let dir = tempfile::tempdir().unwrap();
        let out_dir = dir.path().join("site");
        let out = rolebook()
            .args([
                "build",
                source.to_str().unwrap(),
                "--out",
                out_dir.to_str().unwrap(),
            ])
            .output()
            .unwrap();
        assert!(out.status.success(), "{corpus}: {}", stderr(&out));
        assert_no_repeated_ids(&out_dir, corpus);
    }
}

/// The rows of a side-by-side page, without the column headers.
fn rows(html: &str) -> Vec<&str> {
    html.split("<div class=\"parallel-row\">").skip(1).collect()
}

/// Item 7: a comment and an empty `<a id="storekeeper"></a>` before the first
/// heading were listed as `en: #(introduction)` and got a row of their own
/// with "not in this language" on the Chinese side.
#[test]
fn an_invisible_lead_in_is_not_a_section() {
    let book = built("content-sections-lead-in");
    assert_eq!(one_sided(&book, "keeper"), serde_json::json!([]));
    // A lead-in with text stays a section.
    assert_eq!(
        one_sided(&book, "porter"),
        serde_json::json!(["en: #(introduction)"])
    );
    let human = stdout(&book.run(&["status"]));
    let keeper = human
        .lines()
        .find(|l| l.starts_with("keeper"))
        .unwrap_or("");
    assert!(!keeper.contains("only in one language"), "{human}");
    let overview = book.read_out("en/translations.html");
    assert_eq!(overview.matches("(introduction)").count(), 1, "{overview}");
    let html = book.read_out("parallel/keeper.html");
    let rows = rows(&html);
    assert_eq!(rows.len(), 2, "{html}");
    assert!(!html.contains("section-missing"), "{html}");
    // The old anchor still leads somewhere, in the first row.
    assert!(
        rows[0].contains("storekeeper\"></a>") && rows[0].contains("Keeps the store"),
        "{}",
        rows[0]
    );
    let en = book.read_out("en/keeper.html");
    assert!(en.contains("<a id=\"storekeeper\"></a>"), "{en}");
}

/// Item 11: mdBook's section pages (`###` under one `##`) came out as one
/// row holding the whole page, and a `###` missing in Chinese went unnoticed.
#[test]
fn subsections_under_one_heading_pair_at_their_own_level() {
    let book = built("content-sections-nested");
    assert_eq!(
        one_sided(&book, "ownership"),
        serde_json::json!(["en: #the-string-type"])
    );
    let html = book.read_out("parallel/ownership.html");
    let rows = rows(&html);
    let pairs = [
        ("Ownership is a set of rules", "所有权是一组规则"),
        ("Values live on the stack", "值存放在栈上"),
        ("Each value has an owner", "每个值都有一个所有者"),
        ("A scope is a range", "作用域是一个范围"),
        ("Strings grow", "section-missing"),
    ];
    assert_eq!(rows.len(), pairs.len(), "{html}");
    for (row, (en, zh)) in rows.iter().zip(pairs) {
        assert!(row.contains(en) && row.contains(zh), "{en} / {zh}: {row}");
    }
    // The language switch of the role page lands on the partner subsection.
    let en = book.read_out("en/ownership.html");
    assert!(
        en.contains("&quot;the-stack-and-the-heap&quot;:&quot;栈与堆&quot;"),
        "{en}"
    );
}
