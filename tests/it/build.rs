//! Whole-site tests of `rolebook build` on fixture handbooks, the sample
//! handbook and the real-world antd-docs corpus.

use rolebook::serve::cache::PageCache;

use crate::support::{broken_links, on_ci, repo, rolebook, stderr, stdout, Book};

#[test]
fn builds_every_role_in_every_language_with_working_links() {
    let book = Book::fixture("basic");
    let out = book.build();
    assert!(
        stdout(&out).starts_with("built 3 roles in 2 languages ("),
        "{}",
        stdout(&out)
    );
    for lang in ["en", "zh"] {
        for id in ["lead", "clerk", "helper"] {
            assert!(
                book.out().join(format!("{lang}/{id}.html")).is_file(),
                "{lang}/{id}"
            );
        }
        assert!(book.out().join(format!("{lang}/index.html")).is_file());
    }
    for file in [
        "index.html",
        "404.html",
        "sitemap.xml",
        "static/style.css",
        "parallel/lead.html",
    ] {
        assert!(book.out().join(file).is_file(), "{file}");
    }
    assert_eq!(broken_links(&book.out()), Vec::<String>::new());
}

#[test]
fn a_broken_link_is_caught_by_the_link_checker() {
    // The checker itself must be able to fail.
    let book = Book::fixture("basic");
    book.build();
    let page = book.out().join("en/lead.html");
    let html = std::fs::read_to_string(&page)
        .unwrap()
        .replace("clerk.html#tasks", "clerk.html#nope");
    std::fs::write(
        &page,
        html.replace("href=\"helper.html\"", "href=\"gone.html\""),
    )
    .unwrap();
    let problems = broken_links(&book.out());
    assert!(problems.iter().any(|p| p.contains("#nope")), "{problems:?}");
    assert!(
        problems.iter().any(|p| p.contains("gone.html")),
        "{problems:?}"
    );
}

#[test]
fn role_links_stay_in_the_page_language() {
    let book = Book::fixture("basic");
    book.build();
    let zh = book.read_out("zh/lead.html");
    assert!(zh.contains(r#"href="clerk.html#tasks""#), "{zh}");
    assert!(zh.contains(r#"<html lang="zh-CN">"#));
    assert!(
        zh.contains(r#"href="../en/lead.html" hreflang="en""#),
        "language switch: {zh}"
    );
    assert!(
        zh.contains(r#"<link rel="alternate" hreflang="en" href="../en/lead.html">"#),
        "{zh}"
    );
    let en = book.read_out("en/clerk.html");
    assert!(
        en.contains(r#"href="../zh/clerk.html""#),
        "relative .md link: {en}"
    );
}

#[test]
fn cjk_headings_get_readable_ids() {
    let book = Book::fixture("basic");
    book.build();
    let zh = book.read_out("zh/lead.html");
    assert!(zh.contains(r#"<h2 id="团队建设">"#), "{zh}");
    assert!(zh.contains(r##"href="#团队建设""##), "toc: {zh}");
}

#[test]
fn front_matter_is_escaped() {
    let book = Book::fixture("basic");
    book.build();
    let en = book.read_out("en/lead.html");
    assert!(en.contains("R&amp;D &lt;Lead&gt;"), "{en}");
    assert!(!en.contains("<Lead>"));
    assert!(
        en.contains("Leads &quot;research&quot; &amp; &lt;development&gt;."),
        "{en}"
    );
    let home = book.read_out("en/index.html");
    assert!(home.contains("R&amp;D &lt;Dept&gt;"), "{home}");
}

#[test]
fn missing_translation_gets_a_fallback_page_with_a_notice() {
    let book = Book::fixture("basic");
    let out = book.build();
    assert!(
        stderr(&out).contains("role `helper` has no page in `zh`"),
        "{}",
        stderr(&out)
    );
    let zh = book.read_out("zh/helper.html");
    assert!(zh.contains(r#"<html lang="zh-CN">"#));
    assert!(
        zh.contains(r#"<article class="role" lang="en">"#),
        "content marked as English: {zh}"
    );
    assert!(
        zh.contains("本页尚未翻译成中文"),
        "notice in the reader's language: {zh}"
    );
    assert!(zh.contains("Only in English so far"));
}

#[test]
fn referenced_images_are_copied_and_other_files_ignored() {
    let book = Book::fixture("basic");
    book.build();
    assert!(book
        .read_out("en/lead.html")
        .contains(r#"src="../assets/en/img/chart.svg""#));
    assert!(book.out().join("assets/en/img/chart.svg").is_file());
    assert!(!book.out().join("assets/en/notes.txt").exists());
}

#[test]
fn org_chart_nests_by_reports_to() {
    let book = Book::fixture("basic");
    book.build();
    let home = book.read_out("en/index.html");
    let lead = home
        .find(r#"class="org-role" href="lead.html""#)
        .expect("lead in chart");
    let clerk = home
        .find(r#"class="org-role" href="clerk.html""#)
        .expect("clerk in chart");
    let helper = home
        .find(r#"class="org-role" href="helper.html""#)
        .expect("helper in chart");
    assert!(lead < clerk && clerk < helper);
    assert!(
        home[lead..clerk].contains("<ul>"),
        "clerk nested under lead"
    );
}

#[test]
fn out_flag_and_summary_line() {
    let book = Book::fixture("basic");
    let target = book.dir.path().join("site");
    let out = book.run(&["build", ".", "--out", target.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(target.join("en/lead.html").is_file());
    let line = stdout(&out);
    assert!(
        line.contains(" pages) in ") && line.contains(" ms -> "),
        "{line}"
    );
}

#[test]
fn sample_handbook_builds_clean_with_every_role_in_both_languages() {
    let book = Book::sample();
    let out = book.build();
    assert_eq!(
        stderr(&out),
        "",
        "the sample handbook must have no warnings"
    );
    let ids = [
        "general-manager",
        "office-director",
        "personnel-admin-manager",
        "assistant-to-general-manager",
        "secretary",
        "administrative-assistant",
        "procurement-assistant",
        "assistant",
        "office-director-vs-administrative-assistant",
        "assistant-vs-secretary",
    ];
    for id in ids {
        for lang in ["en", "zh"] {
            let html = book.read_out(&format!("{lang}/{id}.html"));
            assert!(
                !html.contains("translation-notice"),
                "{lang}/{id} is a fallback"
            );
        }
    }
    assert_eq!(broken_links(&book.out()), Vec::<String>::new());
}

#[test]
fn real_world_corpus_builds_and_reports_its_broken_anchors() {
    let corpus = repo().join("../shared/corpora/antd-docs");
    if !corpus.exists() {
        assert!(!on_ci(), "../shared/corpora/antd-docs is missing (on CI)");
        eprintln!("skipped: ../shared/corpora/antd-docs not found");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let out_dir = dir.path().join("site");
    let out = rolebook()
        .args([
            "build",
            corpus.to_str().unwrap(),
            "--out",
            out_dir.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    assert!(
        stdout(&out).starts_with("built 103 roles in 2 languages"),
        "{}",
        stdout(&out)
    );
    assert!(
        err.contains("warning[unknown-anchor]") && err.contains("message-demo-hooks"),
        "{err}"
    );
    // Every broken link in the output is one that the build warned about.
    let problems = broken_links(&out_dir);
    assert!(!problems.is_empty(), "the corpus has real broken anchors");
    for problem in problems {
        if let Some(rest) = problem.split("(no id `").nth(1) {
            let anchor = rest.trim_end_matches("` in target)");
            // Side-by-side pages keep each column's ids under `<lang>--`.
            let anchor = match anchor.split_once("--") {
                Some((_, id)) if crate::support::on_side_by_side(&problem) => id,
                _ => anchor,
            };
            let warned = err.contains(&format!("has no heading with id `{anchor}`"));
            assert!(warned, "not warned: {problem}");
        } else if let Some(url) = problem
            .split(": ")
            .nth(1)
            .unwrap()
            .strip_suffix(" (no such file)")
        {
            assert!(
                err.contains(&format!("refers to `{url}`")),
                "not warned: {problem}"
            );
        } else {
            let url = problem
                .split(": ")
                .nth(1)
                .unwrap()
                .split(" (")
                .next()
                .unwrap();
            assert!(
                err.contains(&format!("link `{url}` starts with `/`")),
                "not warned: {problem}"
            );
        }
    }
}

/// What `serve` sees through its page cache must equal a fresh read.
fn same_as_fresh(book: &Book, cache: &mut PageCache) {
    let cached = load_with(book, cache);
    let fresh = rolebook::load(&book.root()).expect("book.toml loads");
    assert_eq!(cached.diagnostics, fresh.diagnostics);
    let html = |c: &rolebook::Loaded| {
        c.rendered
            .iter()
            .map(|r| r.html.clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(html(&cached), html(&fresh));
}

/// `book` loaded through serve's page `cache`.
fn load_with(book: &Book, cache: &mut PageCache) -> rolebook::Loaded {
    rolebook::load_with(&book.root(), cache).expect("book.toml loads")
}

#[test]
fn page_cache_gives_the_same_result_as_a_fresh_read() {
    let book = Book::fixture("basic");
    let mut cache = PageCache::default();
    same_as_fresh(&book, &mut cache);
    // An edit to one page.
    book.write("content/zh/clerk.md", "---\nid: clerk\ntitle: 文员\n---\n\n## 任务 {#tasks}\n\n- 新的内容，见[助手](role:porter)。\n");
    same_as_fresh(&book, &mut cache);
    let errors = load_with(&book, &mut cache).diagnostics;
    assert!(
        errors.iter().any(|d| d.code == "unknown-role-link"),
        "{errors:?}"
    );
    // A new role: the unchanged page's link to it must now resolve, although
    // that page itself did not change.
    book.write(
        "content/en/porter.md",
        "---\nid: porter\ntitle: Porter\n---\n\nCarries things.\n",
    );
    same_as_fresh(&book, &mut cache);
    let errors = load_with(&book, &mut cache).diagnostics;
    assert!(
        !errors.iter().any(|d| d.code == "unknown-role-link"),
        "{errors:?}"
    );
    // book.toml changes start afresh.
    let toml = std::fs::read_to_string(book.root().join("book.toml")).unwrap();
    book.write(
        "book.toml",
        &toml.replace(
            "[languages.zh]",
            "[build]\nallow_html = false\n\n[languages.zh]",
        ),
    );
    same_as_fresh(&book, &mut cache);
}

/// While the watcher has seen every change (`trust_watcher`), the preview
/// stamps only what it did not report as known: a page it reported
/// (`forget`) is read again, one it did not is kept without a `stat`. Once
/// in doubt, every page is stamped and the edit is found.
#[test]
fn a_page_cache_that_trusts_the_watcher_reads_only_what_it_reported() {
    let book = Book::fixture("basic");
    let mut cache = PageCache::default();
    same_as_fresh(&book, &mut cache);
    let title = |loaded: &rolebook::Loaded| {
        loaded
            .handbook
            .pages
            .iter()
            .find(|p| p.file == "content/en/clerk.md")
            .map(|p| p.title.clone())
    };
    let edit = |n: usize| {
        book.write(
            "content/en/clerk.md",
            &format!("---\nid: clerk\ntitle: Clerk {n}\n---\n\nFiles {n} things.\n"),
        );
    };
    let before = title(&load_with(&book, &mut cache));
    cache.trust_watcher = true;
    edit(1);
    assert_eq!(
        title(&load_with(&book, &mut cache)),
        before,
        "not reported: kept"
    );
    cache.forget("content/en/clerk.md");
    assert_eq!(
        title(&load_with(&book, &mut cache)).as_deref(),
        Some("Clerk 1")
    );
    edit(22);
    cache.trust_watcher = false;
    assert_eq!(
        title(&load_with(&book, &mut cache)).as_deref(),
        Some("Clerk 22")
    );
    same_as_fresh(&book, &mut cache);
}

/// The preview walks content/ again only when the watcher reported
/// something that may change what a walk finds: a page it did not list
/// (new), or one it listed that is gone. Reported edits of listed pages
/// reuse the last walk, so a new page nobody reported is not seen.
#[test]
fn a_page_cache_walks_content_again_unless_the_watcher_reported_only_edits() {
    let book = Book::fixture("basic");
    let mut cache = PageCache::default();
    same_as_fresh(&book, &mut cache);
    let files = |loaded: &rolebook::Loaded| -> Vec<String> {
        let mut files: Vec<String> = loaded
            .handbook
            .pages
            .iter()
            .map(|p| p.file.clone())
            .collect();
        files.sort();
        files
    };
    let before = files(&load_with(&book, &mut cache));
    let root = book.root().to_path_buf();
    let new_page = "content/en/courier.md";
    book.write(
        new_page,
        "---\nid: courier\ntitle: Courier\n---\n\nCarries mail.\n",
    );
    book.write(
        "content/en/clerk.md",
        "---\nid: clerk\ntitle: Clerk 2\n---\n\nFiles things.\n",
    );
    cache.changed(&root, &[root.join("content/en/clerk.md")], true);
    assert_eq!(
        files(&load_with(&book, &mut cache)),
        before,
        "only an edit was reported: the walk was reused"
    );
    cache.changed(&root, &[root.join(new_page)], true);
    let with_new = files(&load_with(&book, &mut cache));
    assert!(with_new.iter().any(|f| f == new_page), "{with_new:?}");
    std::fs::remove_file(root.join(new_page)).unwrap();
    cache.changed(&root, &[root.join(new_page)], true);
    assert_eq!(
        files(&load_with(&book, &mut cache)),
        before,
        "a listed page is gone: walked again"
    );
    // In doubt, always walked.
    book.write(
        new_page,
        "---\nid: courier\ntitle: Courier\n---\n\nCarries mail.\n",
    );
    cache.changed(&root, &[root.join("content/en/clerk.md")], false);
    assert!(files(&load_with(&book, &mut cache))
        .iter()
        .any(|f| f == new_page));
    same_as_fresh(&book, &mut cache);
}

#[test]
fn a_theme_may_override_only_role_html() {
    let book = Book::fixture("basic");
    let toml = std::fs::read_to_string(book.root().join("book.toml")).unwrap();
    book.write("book.toml", &format!("{toml}\n[build]\ntheme = \"mine\"\n"));
    book.write(
        "themes/mine/templates/role.html",
        "{% extends \"base.html\" %}{% block main %}<article class=\"mine\"><h1>{{ role.title }}</h1>{{ role.body | safe }}</article>{% endblock main %}",
    );
    book.build();
    let role = book.read_out("en/lead.html");
    assert!(
        role.contains("<article class=\"mine\"><h1>R&amp;D &lt;Lead&gt;</h1>"),
        "{role}"
    );
    assert!(
        role.contains("nav class=\"language-switch\""),
        "base.html still comes from the built-in theme"
    );
    assert!(
        book.read_out("en/index.html").contains("org-chart"),
        "other pages use the built-in templates"
    );
    assert!(book.out().join("static/style.css").is_file());
}

/// Every `<loc>` of a sitemap.
fn locs(xml: &str) -> Vec<&str> {
    xml.split("<loc>")
        .skip(1)
        .filter_map(|rest| rest.split("</loc>").next())
        .collect()
}

// Untested until now: without `base_url` the sitemap's URLs are relative (the
// site may be published anywhere); with it they are absolute, under it.
#[test]
fn sitemap_urls_are_relative_without_base_url_and_absolute_with_it() {
    let book = Book::fixture("basic");
    book.build();
    let xml = book.read_out("sitemap.xml");
    let urls = locs(&xml);
    for page in ["en/index.html", "en/lead.html", "zh/clerk.html"] {
        assert!(urls.contains(&page), "{page}: {xml}");
    }
    assert!(
        urls.iter().all(|u| !u.starts_with('/') && !u.contains(':')),
        "{xml}"
    );
    let toml = std::fs::read_to_string(book.root().join("book.toml")).unwrap();
    for base in [
        "https://example.org/handbook",
        "https://example.org/handbook/",
    ] {
        book.write(
            "book.toml",
            &format!("{toml}\n[build]\nbase_url = \"{base}\"\n"),
        );
        book.build();
        let xml = book.read_out("sitemap.xml");
        let urls = locs(&xml);
        assert!(
            urls.contains(&"https://example.org/handbook/en/lead.html"),
            "{base}: {xml}"
        );
        assert!(
            urls.iter()
                .all(|u| u.starts_with("https://example.org/handbook/") && !u[8..].contains("//")),
            "{base}: {xml}"
        );
    }
}

// Gap: disabling the refusal of an output folder that holds files rolebook
// did not write was caught only by a unit test.
#[test]
fn an_output_folder_holding_foreign_files_is_refused() {
    let book = Book::fixture("basic");
    let site = book.dir.path().join("site");
    std::fs::create_dir_all(&site).unwrap();
    std::fs::write(site.join("notes.txt"), "mine, not rolebook's").unwrap();
    let before = book.tree();
    let out = book.run(&["build", "--out", site.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("error[output-folder]"),
        "{}",
        stderr(&out)
    );
    assert_eq!(book.tree(), before, "files were written or deleted");
    // A folder that rolebook wrote is replaced on the next build.
    let own = book.dir.path().join("own");
    for _ in 0..2 {
        let out = book.run(&["build", "--out", own.to_str().unwrap()]);
        assert!(out.status.success(), "{}", stderr(&out));
    }
}

// Untested until now: an I/O error while writing the site exits 2 and leaves
// the previous output byte for byte as it was (the error comes from a
// file-size limit: see `Book::build_with_file_size_limit`).
#[cfg(target_os = "linux")]
#[test]
fn an_io_error_exits_2_and_leaves_the_previous_output_untouched() {
    let book = Book::fixture("basic");
    book.build();
    assert!(book.out().join("en/lead.html").is_file());
    // A change, so that a build which went through would change the output.
    book.append("content/en/lead.md", "## Added {#added}\n\nNew text.\n");
    let before = book.tree();
    let out = book.build_with_file_size_limit();
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("error"), "{}", stderr(&out));
    assert_eq!(
        book.tree(),
        before,
        "the previous output changed, or staging files were left beside it"
    );
    // An output folder that cannot be created (its parent is a file): exit 2 too.
    let file = book.dir.path().join("a-file");
    std::fs::write(&file, "not a folder").unwrap();
    let before = book.tree();
    let inside = file.join("site");
    let out = book.run(&["build", "--out", inside.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert_eq!(book.tree(), before);
    // Without the limit the same build goes through.
    book.build();
    assert!(book.read_out("en/lead.html").contains("id=\"added\""));
}
