//! Regression tests: links and anchors that broke silently on real books
//! (issue 14, items 1-4 and 8). Each runs the real binary on a fixture under
//! tests/fixtures/regression/content-links-*/.

use serde_json::Value;

use crate::support::{stderr, stdout, Book};

/// `(code, file, line)` of every diagnostic `check --format json` reports,
/// and the messages.
fn check(book: &Book) -> Vec<(String, String, u64, String)> {
    let out = book.run(&["check", "--format", "json"]);
    let report: Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("no JSON ({e}):\n{}\n{}", stdout(&out), stderr(&out)));
    report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap().to_string(),
                d["file"].as_str().unwrap().to_string(),
                d["line"].as_u64().unwrap(),
                d["message"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// `(code, file, line)` of the diagnostics with `code`.
fn places(all: &[(String, String, u64, String)], code: &str) -> Vec<(String, u64)> {
    all.iter()
        .filter(|(c, ..)| c == code)
        .map(|(_, f, l, _)| (f.clone(), *l))
        .collect()
}

fn at(file: &str, line: u64) -> (String, u64) {
    (file.to_string(), line)
}

/// Item 1 as it is meant to work: raw-HTML links rewritten like Markdown
/// links, files copied, the rest of the HTML byte for byte.
#[test]
fn raw_html_links_are_rewritten_and_their_files_copied() {
    let book = Book::fixture("regression/content-links-raw-html");
    let all = check(&book);
    let broken = places(&all, "broken-link");
    assert_eq!(broken, [at("content/en/a.md", 13)], "{all:#?}");
    book.build();
    let html = book.read_out("en/a.html");
    assert!(
        html.contains(r#"<img src="../assets/en/img/f.svg" alt="flow" srcset="../assets/en/img/f.svg 1x, ../assets/en/img/f@2x.png 2x">"#),
        "{html}"
    );
    assert!(
        html.contains(r#"<a href="../en/b.html#duties" class="x">"#),
        "{html}"
    );
    assert!(html.contains(r#"<a href='b.html'>"#), "{html}");
    assert!(book.out().join("assets/en/img/f.svg").is_file());
    assert!(book.out().join("assets/en/img/f@2x.png").is_file());
    assert_eq!(
        crate::support::broken_links(&book.out())
            .iter()
            .filter(|p| !p.contains("missing.png"))
            .count(),
        0
    );
}

/// Item 2: the anchor of a `.md` link was never checked, and heading ids
/// collapsed `--`, so GitHub-style links from mdBook books broke.
#[test]
fn every_anchor_of_every_local_link_is_checked_and_slugs_follow_github() {
    let book = Book::fixture("regression/content-links-anchors");
    let all = check(&book);
    let a = "content/en/a.md";
    assert_eq!(
        places(&all, "unknown-anchor"),
        [at(a, 11), at(a, 13), at(a, 15)],
        "{all:#?}"
    );
    assert!(
        all.iter()
            .any(|(_, _, l, m)| *l == 11 && m.contains("content/en/b.md")),
        "{all:#?}"
    );
    book.build();
    let b = book.read_out("en/b.html");
    assert!(
        b.contains(r#"<h2 id="concatenating-with--or-format">"#),
        "{b}"
    );
    let zh = book.read_out("zh/b.html");
    assert!(zh.contains(r#"<h2 id="职责权限可选">"#), "{zh}");
}

/// Item 3: a page shown as another language's fallback links `role:` pages
/// in the reader's language, whose section ids differ. Paired sections
/// map (no warning; `check::anchors::fallback_html` writes the paired id);
/// an anchor no section pairs with is reported.
#[test]
fn anchors_are_checked_against_the_page_each_language_shows() {
    let book = Book::fixture("regression/content-links-fallback");
    let all = check(&book);
    let anchors: Vec<_> = all.iter().filter(|(c, ..)| c == "unknown-anchor").collect();
    assert_eq!(anchors.len(), 1, "{all:#?}");
    let (_, file, line, message) = anchors[0];
    assert_eq!((file.as_str(), *line), ("content/en/a.md", 8), "{message}");
    assert!(
        message.contains("`zh`") && message.contains("content/zh/b.md"),
        "{message}"
    );

    let loaded = rolebook::load(&book.root()).expect("loads");
    let h = &loaded.handbook;
    let page = h
        .role("a")
        .and_then(|r| r.page_id(rolebook::id::LangId::DEFAULT))
        .unwrap();
    let zh = h.config.lang_ids().nth(1).unwrap();
    assert_eq!(
        rolebook::check::anchors::views(h, page),
        [rolebook::id::LangId::DEFAULT, zh]
    );
    let shown = rolebook::check::anchors::fallback_html(h, &loaded.rendered, page, zh);
    let mut want = String::new();
    let _ = pulldown_cmark_escape::escape_href(&mut want, "b.html#使用私有仓库");
    assert!(shown.contains(&format!("href=\"{want}\"")), "{shown}");
    assert!(shown.contains("href=\"b.html#only-in-english\""), "{shown}");
}

/// Item 4: root-absolute and external URLs in raw HTML, and `<script>`
/// blocks, got no warning.
#[test]
fn raw_html_absolute_external_and_script_are_reported() {
    let book = Book::fixture("regression/content-links-raw-absolute");
    let all = check(&book);
    let a = "content/en/a.md";
    assert_eq!(
        places(&all, "absolute-link"),
        [at(a, 6), at(a, 8)],
        "{all:#?}"
    );
    assert_eq!(places(&all, "external-resource"), [at(a, 10)], "{all:#?}");
    assert_eq!(places(&all, "raw-script"), [at(a, 12)], "{all:#?}");

    // Escaped like all raw HTML when the handbook forbids it: no script runs, nothing to warn.
    book.append("book.toml", "[build]\nallow_html = false\n");
    let all = check(&book);
    assert_eq!(places(&all, "raw-script"), [], "{all:#?}");
    book.build();
    let html = book.read_out("en/a.html");
    assert!(
        html.contains("&lt;script setup&gt;") && !html.contains("<script setup>"),
        "{html}"
    );
}

/// Item 8: `[x](ch04-01-what-is-ownership.html)`, as mdBook books write
/// links, resolves to that role's page in the reader's language.
#[test]
fn links_to_a_page_output_name_resolve_to_the_role() {
    let book = Book::fixture("regression/content-links-output-name");
    let all = check(&book);
    let intro = "content/en/intro.md";
    assert_eq!(
        places(&all, "broken-link"),
        [at(intro, 8), at(intro, 10)],
        "{all:#?}"
    );
    assert_eq!(places(&all, "unknown-anchor"), [], "{all:#?}");
    let hint_of = |line: u64| {
        let out = book.run(&["check", "--format", "json"]);
        let report: Value = serde_json::from_slice(&out.stdout).unwrap();
        report["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["line"] == line && d["code"] == "broken-link")
            .map(|d| d["hint"].as_str().unwrap_or("").to_string())
            .unwrap()
    };
    assert!(hint_of(8).contains("`ch03.md`"), "{}", hint_of(8));
    assert!(
        hint_of(10).contains("ch04-01-what-is-ownership.md"),
        "{}",
        hint_of(10)
    );
    book.build();
    let en = book.read_out("en/intro.html");
    assert!(
        en.contains(r#"href="ch04-01-what-is-ownership.html#the-stack-and-the-heap""#),
        "{en}"
    );
    let zh = book.read_out("zh/intro.html");
    assert!(
        zh.contains(r#"href="ch04-01-what-is-ownership.html""#),
        "{zh}"
    );
    assert_eq!(
        crate::support::broken_links(&book.out())
            .iter()
            .filter(|p| !p.contains("ch03.html") && !p.contains("ownershop"))
            .collect::<Vec<_>>(),
        Vec::<&String>::new()
    );
}

/// Item 3, as the reader meets it: a page shown as another language's
/// fallback links `role:b#anchor`; in that language `b`'s section has
/// another id, so the built link follows the section pairing.
#[test]
fn fallback_pages_link_to_the_paired_section_of_the_shown_language() {
    let book = Book::fixture("basic");
    book.write(
        "content/en/a.md",
        "---\nid: a\ntitle: A\n---\n\nSee [how](role:b#using-a-registry).\n",
    );
    book.write(
        "content/en/b.md",
        "---\nid: b\ntitle: B\n---\n\n## Purpose\n\nText.\n\n## Using a registry\n\nText.\n",
    );
    book.write(
        "content/zh/b.md",
        "---\nid: b\ntitle: 乙\n---\n\n## 目的\n\n正文。\n\n## 使用仓库\n\n正文。\n",
    );
    book.build();
    let en = book.read_out("en/a.html");
    assert!(en.contains("href=\"b.html#using-a-registry\""), "{en}");
    let zh = book.read_out("zh/a.html");
    let encoded = "href=\"b.html#%E4%BD%BF%E7%94%A8%E4%BB%93%E5%BA%93\"";
    assert!(zh.contains(encoded), "zh fallback of a:\n{zh}");
}
