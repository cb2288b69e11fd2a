//! Regression tests: dates, versions and edit links (issue 15). Before,
//! no page said when it was written or which version of the handbook it is.

use std::process::Command;

use crate::support::{scrub_env, stderr, Book};

fn build_at(book: &Book, epoch: &str) {
    let out = scrub_env(&mut Command::new(env!("CARGO_BIN_EXE_rolebook")))
        .arg("build")
        .env("SOURCE_DATE_EPOCH", epoch)
        .current_dir(book.root())
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
}

#[test]
fn role_pages_say_when_they_were_last_updated_in_each_languages_way() {
    let book = Book::fixture("basic");
    let page = book.root().join("content/en/clerk.md");
    let text = std::fs::read_to_string(&page).unwrap();
    std::fs::write(
        &page,
        text.replacen("title: Clerk", "title: Clerk\nupdated: 2026-11-08", 1),
    )
    .unwrap();
    // No `updated:` in the Chinese page: its file's time counts.
    let zh = std::fs::File::options()
        .write(true)
        .open(book.root().join("content/zh/clerk.md"))
        .unwrap();
    let day = std::time::UNIX_EPOCH + std::time::Duration::from_secs(1_764_288_000); // 2025-11-28
    zh.set_modified(day).unwrap();
    drop(zh);
    build_at(&book, "1764288000");
    let en = book.read_out("en/clerk.html");
    assert!(
        en.contains(r#"<time class="updated" datetime="2026-11-08">2026-11-08</time>"#),
        "{en}"
    );
    let zh = book.read_out("zh/clerk.html");
    assert!(
        zh.contains(r#"<time class="updated" datetime="2025-11-28">2025年11月28日</time>"#),
        "{zh}"
    );
}

#[test]
fn an_updated_field_that_is_not_a_date_is_an_error_at_its_place() {
    let book = Book::fixture("basic");
    book.write(
        "content/en/clerk.md",
        "---\nid: clerk\ntitle: Clerk\nupdated: last tuesday\n---\n\nText.\n",
    );
    let out = book.run(&["check", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let found = json["diagnostics"].as_array().unwrap().iter().any(|d| {
        d["code"] == "invalid-front-matter" && d["file"] == "content/en/clerk.md" && d["line"] == 4
    });
    assert!(found, "{json:#}");
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn version_and_build_date_are_on_the_home_page_only_and_reproducible() {
    let book = Book::fixture("basic");
    let toml = std::fs::read_to_string(book.root().join("book.toml")).unwrap();
    book.write(
        "book.toml",
        &toml.replacen(
            "default_language = \"en\"",
            "default_language = \"en\"\nversion = \"2.1\"\nedit_url = \"https://git.example/hb/edit/main/{path}\"",
            1,
        ),
    );
    build_at(&book, "1764288000");
    let home = book.read_out("zh/index.html");
    assert!(home.contains("版本 2.1 · 生成于 2025年11月28日"), "{home}");
    assert!(book
        .read_out("en/index.html")
        .contains("Version 2.1 · Built 2025-11-28"));
    let role = book.read_out("en/clerk.html");
    assert!(
        !role.contains("2025-11-28") || role.contains("datetime=\"2025-11-28\""),
        "build date on a role page"
    );
    assert!(
        role.contains(r#"href="https://git.example/hb/edit/main/content/en/clerk.md""#),
        "{role}"
    );
    let first = book.read_out("en/index.html");
    build_at(&book, "1764288000");
    assert_eq!(
        book.read_out("en/index.html"),
        first,
        "the same SOURCE_DATE_EPOCH, another page"
    );
}

/// Runs git in the book's folder with a fixed author and commit date.
fn git(book: &Book, args: &[&str], date: &str) {
    let out = Command::new("git")
        .args(["-c", "user.name=HR", "-c", "user.email=hr@example.com"])
        .args([
            "-c",
            "commit.gpgsign=false",
            "-c",
            "init.defaultBranch=main",
        ])
        .args(args)
        .env("GIT_AUTHOR_DATE", date)
        .env("GIT_COMMITTER_DATE", date)
        .current_dir(book.root())
        .output()
        .expect("git is installed");
    assert!(out.status.success(), "git {args:?}: {}", stderr(&out));
}

#[test]
fn in_a_git_repository_pages_are_dated_by_the_last_commit_that_changed_them() {
    let book = Book::fixture("basic");
    git(&book, &["init", "-q"], "2024-01-02T10:00:00Z");
    git(&book, &["add", "-A"], "2024-01-02T10:00:00Z");
    git(&book, &["commit", "-qm", "first"], "2024-01-02T10:00:00Z");
    // A later commit changes the Chinese page only.
    book.append("content/zh/clerk.md", "\n更多内容。\n");
    git(&book, &["commit", "-qam", "zh"], "2024-03-04T10:00:00Z");
    // A commit outside content/ changes no page's date.
    book.write("notes.txt", "not a page");
    git(&book, &["add", "notes.txt"], "2024-05-06T10:00:00Z");
    git(&book, &["commit", "-qm", "notes"], "2024-05-06T10:00:00Z");
    // A page edited since its last commit keeps its file's time.
    let edited = "content/en/clerk.md";
    book.append(edited, "\nNot committed yet.\n");
    let file = std::fs::File::options()
        .write(true)
        .open(book.root().join(edited))
        .unwrap();
    let day = std::time::UNIX_EPOCH + std::time::Duration::from_secs(1_764_288_000); // 2025-11-28
    file.set_modified(day).unwrap();
    drop(file);
    build_at(&book, "1764288000");

    let zh = book.read_out("zh/clerk.html");
    assert!(
        zh.contains(r#"datetime="2024-03-04">2024年3月4日</time>"#),
        "{zh}"
    );
    let en = book.read_out("en/clerk.html");
    assert!(
        en.contains(r#"datetime="2025-11-28">2025-11-28</time>"#),
        "{en}"
    );
    // Untouched since the first commit, whatever the file's time says.
    let other = std::fs::read_dir(book.root().join("content/en"))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .find(|name| name != "clerk.md" && name.ends_with(".md"))
        .expect("a second English page");
    let html = book.read_out(&format!("en/{}", other.replace(".md", ".html")));
    assert!(
        html.contains(r#"datetime="2024-01-02">2024-01-02</time>"#),
        "{html}"
    );
}
