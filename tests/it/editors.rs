//! An editor's first hour (issue 16): `init` and `new`, placeholder text,
//! the slips of typing YAML on a Chinese keyboard, and problems that point
//! at the line the editor has to change.

use crate::support::{rolebook, stderr, stdout, with_code, Book};

/// A handbook made by `rolebook init` in a new temporary folder (kept
/// while the first value lives), and its root.
fn initialised() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("hb");
    let out = rolebook().arg("init").arg(&root).output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    (dir, root)
}

/// `rolebook COMMAND ARGS... ROOT`.
fn run_on(root: &std::path::Path, command: &str, args: &[&str]) -> std::process::Output {
    rolebook()
        .arg(command)
        .args(args)
        .arg(root)
        .output()
        .unwrap()
}

fn json(out: &std::process::Output) -> serde_json::Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", stdout(out)))
}

#[test]
fn init_prints_the_next_steps_and_makes_a_handbook_that_is_ok_throughout() {
    let dir = tempfile::tempdir().unwrap();
    let book = dir.path().join("handbook");
    let out = rolebook().arg("init").arg(&book).output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    for step in [
        "rolebook serve",
        "rolebook new",
        "rolebook check",
        "rolebook build",
    ] {
        assert!(text.contains(step), "{text}");
    }
    let status = rolebook()
        .arg("status")
        .arg(&book)
        .arg("--strict")
        .output()
        .unwrap();
    assert!(status.status.success(), "{}", stdout(&status));
    assert!(
        !stdout(&status).contains("untracked"),
        "{}",
        stdout(&status)
    );
    let check = rolebook().arg("check").arg(&book).output().unwrap();
    assert!(
        stdout(&check).ends_with("0 errors, 0 warnings\n"),
        "{}",
        stdout(&check)
    );
}

#[test]
fn new_writes_each_language_from_its_own_archetype_and_adds_a_missing_translation() {
    let (_dir, root) = initialised();
    let new = |args: &[&str]| run_on(&root, "new", args);
    let out = new(&["receptionist", "--title", "Receptionist"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let en = std::fs::read_to_string(root.join("content/en/receptionist.md")).unwrap();
    let zh = std::fs::read_to_string(root.join("content/zh/receptionist.md")).unwrap();
    assert!(
        en.contains("title: Receptionist") && en.contains("## Duties {#duties}"),
        "{en}"
    );
    assert!(
        zh.contains("## 主要职责 {#duties}") && zh.contains("一项主要职责"),
        "{zh}"
    );
    // Only the missing translation of an existing role.
    std::fs::remove_file(root.join("content/zh/receptionist.md")).unwrap();
    let out = new(&["receptionist", "--lang", "zh"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(root.join("content/zh/receptionist.md").is_file());
    assert_eq!(
        std::fs::read_to_string(root.join("content/en/receptionist.md")).unwrap(),
        en
    );
    // Never over a page that exists; an undeclared language is refused.
    assert_eq!(
        new(&["receptionist", "--lang", "zh"]).status.code(),
        Some(2)
    );
    let fr = new(&["receptionist", "--lang", "fr"]);
    assert!(
        stderr(&fr).contains("language `fr` is not declared"),
        "{}",
        stderr(&fr)
    );
}

#[test]
fn a_rejected_id_comes_with_a_usable_suggestion() {
    let (_dir, root) = initialised();
    let suggestion = |args: &[&str]| {
        let out = run_on(&root, "new", args);
        assert_eq!(out.status.code(), Some(2));
        stderr(&out)
    };
    assert!(suggestion(&["Receptionist"]).contains("did you mean `receptionist`?"));
    // A Chinese title of an existing role names that role's id.
    assert!(suggestion(&["秘书"]).contains("did you mean `secretary`?"));
    // Else an ASCII id from the English title.
    assert!(suggestion(&["前台", "--title", "Front Desk"]).contains("did you mean `front-desk`?"));
}

#[test]
fn placeholder_text_left_from_new_is_a_warning_at_its_line() {
    let (_dir, root) = initialised();
    assert!(run_on(&root, "new", &["receptionist"]).status.success());
    let out = run_on(&root, "check", &["--format", "json"]);
    let report = json(&out);
    let left = with_code(&report, "placeholder-text");
    let at: Vec<(&str, u64)> = left
        .iter()
        .map(|d| (d["file"].as_str().unwrap(), d["line"].as_u64().unwrap()))
        .collect();
    assert!(at.contains(&("content/en/receptionist.md", 14)), "{at:?}");
    assert!(at.contains(&("content/zh/receptionist.md", 14)), "{at:?}");
    assert_eq!(out.status.code(), Some(0), "a warning, not an error");
}

#[test]
fn full_width_punctuation_in_front_matter_gets_its_own_message() {
    let book = Book::fixture("basic");
    book.write(
        "content/zh/clerk.md",
        "---\nid: clerk\ntitle：前台接待\nrelated: ［lead］\n---\n\n正文。\n",
    );
    let out = book.run(&["check"]);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    assert!(
        text.contains("you typed `：` (a full-width colon); YAML needs `:`"),
        "{text}"
    );
    assert!(text.contains("--> content/zh/clerk.md:3:6"), "{text}");
    assert!(text.contains("as in `title: 前台接待`"), "{text}");
    assert!(
        text.contains("you typed `［` (a full-width bracket); YAML needs `[`"),
        "{text}"
    );
    // Not the parser's own message on that line.
    assert!(!text.contains("simple key expected"), "{text}");
}

#[test]
fn problems_point_at_the_line_to_change() {
    let book = Book::fixture("basic");
    // An empty title: at the `title:` line.
    book.write(
        "content/en/clerk.md",
        "---\nid: clerk\norder: 3\ntitle:\n---\n\nText.\n",
    );
    let report = json(&book.run(&["check", "--format", "json"]));
    let missing = with_code(&report, "missing-title");
    assert_eq!(missing[0]["line"], 4, "{report:#}");
    assert_eq!(missing[0]["message"], "`title` is empty");
    // An order that differs between languages: at the second page's `order:` line.
    book.write(
        "content/en/clerk.md",
        "---\nid: clerk\ntitle: Clerk\norder: 3\n---\n\nText.\n",
    );
    book.write(
        "content/zh/clerk.md",
        "---\nid: clerk\ntitle: 文员\nsummary: 文员。\norder: 4\n---\n\n正文。\n",
    );
    let report = json(&book.run(&["check", "--format", "json"]));
    let differs = with_code(&report, "shared-field-differs");
    assert_eq!(differs.len(), 1, "{report:#}");
    assert_eq!(
        (differs[0]["file"].as_str(), differs[0]["line"].as_u64()),
        (Some("content/zh/clerk.md"), Some(5))
    );
    // --out refusals name the option, not book.toml.
    let out = book.run(&["build", "--out", "content/en"]);
    let err = stderr(&out);
    assert!(
        err.contains("(given with --out)") && err.contains("--> --out"),
        "{err}"
    );
    assert!(!err.contains("book.toml:1:1"), "{err}");
}

#[test]
fn branding_and_static_files_reach_the_site_and_nothing_is_overwritten() {
    let book = Book::fixture("basic");
    book.write("static/web.config", "<configuration/>\n");
    book.write("static/fonts/brand.woff2", "font");
    book.write(
        "logo.svg",
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="8" height="8"/>"#,
    );
    book.append(
        "book.toml",
        "\n[branding]\nlogo = \"logo.svg\"\naccent = \"#b00020\"\naccent_dark = \"#ff8a80\"\n",
    );
    let out = book.build();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(book.read_out("web.config"), "<configuration/>\n");
    assert_eq!(book.read_out("fonts/brand.woff2"), "font");
    assert!(book.read_out("static/brand/logo.svg").starts_with("<svg"));
    let page = book.read_out("zh/clerk.html");
    assert!(
        page.contains(r#"<img class="brand-logo" src="../static/brand/logo.svg" alt="">"#),
        "{page}"
    );
    assert!(
        page.contains("--brand-accent: #b00020;") && page.contains("--brand-accent-dark: #ff8a80;"),
        "{page}"
    );
    assert!(book
        .read_out("static/style.css")
        .contains("var(--brand-accent, "));
    // A file that would replace a generated one is an error, and nothing is written.
    book.write("static/404.html", "<p>ours</p>");
    book.write("static/en/clerk.html", "<p>ours</p>");
    let report = json(&book.run(&["check", "--format", "json"]));
    let collisions = with_code(&report, "static-collision");
    let files: Vec<&str> = collisions
        .iter()
        .map(|d| d["file"].as_str().unwrap())
        .collect();
    assert_eq!(
        files,
        ["static/404.html", "static/en/clerk.html"],
        "{report:#}"
    );
    assert_eq!(book.run(&["build"]).status.code(), Some(1));
    assert_ne!(book.read_out("404.html"), "<p>ours</p>");
    // A colour that is not one is refused: it would go into a <style> element.
    std::fs::remove_file(book.root().join("static/404.html")).unwrap();
    std::fs::remove_file(book.root().join("static/en/clerk.html")).unwrap();
    let toml = std::fs::read_to_string(book.root().join("book.toml")).unwrap();
    book.write(
        "book.toml",
        &toml.replace("#b00020", "red}body{display:none"),
    );
    let out = book.run(&["check"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stdout(&out).contains("[branding] accent `red}body{display:none` is not a colour"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn pages_that_are_not_roles_are_listed_apart_and_have_no_role_fields() {
    let book = Book::fixture("basic");
    book.write(
        "content/en/welcome.md",
        "---\nid: welcome\ntitle: Welcome\nkind: page\nsummary: Start here.\n---\n\nHow this handbook works.\n",
    );
    book.write(
        "content/zh/welcome.md",
        "---\nid: welcome\ntitle: 欢迎\nkind: page\n---\n\n本手册的用法。\n",
    );
    let out = book.build();
    assert!(out.status.success(), "{}", stderr(&out));
    // Same namespace and pairing as roles: one page per language, switchable.
    let zh = book.read_out("zh/welcome.html");
    assert!(
        zh.contains("本手册的用法。") && zh.contains(r#"href="../en/welcome.html""#),
        "{zh}"
    );
    // Listed apart on the home page, before the departments; not in the org chart.
    let home = book.read_out("en/index.html");
    let pages = home
        .find(r#"<section class="pages""#)
        .expect("a pages section");
    let roles = home.find(r#"<section class="departments""#).unwrap();
    assert!(pages < roles, "{home}");
    let departments = &home[roles..];
    assert!(
        !departments.contains("welcome.html"),
        "only in the pages section: {home}"
    );
    assert!(
        home[pages..roles].contains(r#"href="welcome.html""#),
        "{home}"
    );
    // First in the sidebar, as its own group.
    let nav = book.read_out("static/nav.zh.js");
    let group = nav.find("\"页面\"").expect("the pages group");
    assert!(group < nav.find("welcome").unwrap(), "{nav}");
    // Role fields on a page, and a role reporting to a page, are errors.
    book.write(
        "content/en/welcome.md",
        "---\nid: welcome\ntitle: Welcome\nkind: page\nowner: HR\n---\n\nHow this handbook works.\n",
    );
    book.write(
        "content/en/clerk.md",
        "---\nid: clerk\ntitle: Clerk\nreports_to: welcome\n---\n\nText.\n",
    );
    let report = json(&book.run(&["check", "--format", "json"]));
    let found: Vec<(&str, u64)> = with_code(&report, "not-for-pages")
        .iter()
        .map(|d| (d["file"].as_str().unwrap(), d["line"].as_u64().unwrap()))
        .collect();
    assert_eq!(
        found,
        [("content/en/clerk.md", 4), ("content/en/welcome.md", 5)],
        "{report:#}"
    );
    // `kind` takes only `role` or `page`.
    book.write(
        "content/en/welcome.md",
        "---\nid: welcome\ntitle: Welcome\nkind: rule\n---\n\nText.\n",
    );
    let out = book.run(&["check"]);
    assert!(
        stdout(&out).contains("`kind: rule` is neither `role` nor `page`"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn status_says_error_for_a_page_that_does_not_parse_and_shows_titles_and_totals() {
    let book = Book::fixture("basic");
    book.write(
        "content/zh/clerk.md",
        "---\nid: clerk\ntitle：文员\n---\n\n正文。\n",
    );
    let out = book.run(&["status"]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "an unparsable page fails status"
    );
    let text = stdout(&out);
    let clerk = text
        .lines()
        .find(|l| l.starts_with("clerk"))
        .unwrap_or_else(|| panic!("{text}"));
    assert!(
        clerk.contains("Clerk") && clerk.contains("zh: error"),
        "{text}"
    );
    assert!(!clerk.contains("missing"), "{text}");
    assert!(
        text.contains("zh: content/zh/clerk.md does not parse"),
        "{text}"
    );
    assert!(
        text.contains("\nzh: ") && text.contains(" error"),
        "totals per language: {text}"
    );
    let report = json(&book.run(&["status", "--format", "json"]));
    let role = report["roles"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == "clerk")
        .unwrap();
    assert_eq!(role["translations"]["zh"], "error");
    assert_eq!(role["errors"]["zh"], "content/zh/clerk.md");
    assert_eq!(role["title"], "Clerk");
    assert_eq!(report["totals"]["roles"], 3);
    assert_eq!(report["totals"]["languages"]["zh"]["error"], 1);
    // Long ids are narrowed in the table, whole in JSON.
    let long = "a-very-long-role-id-that-goes-on-and-on-and-on";
    book.write(
        &format!("content/en/{long}.md"),
        &format!("---\nid: {long}\ntitle: Long\n---\n\nText.\n"),
    );
    let text = stdout(&book.run(&["status"]));
    assert!(text.contains("a-very-long-role-id-that-goes-o…"), "{text}");
}

#[test]
fn serve_on_a_busy_port_says_so_before_building_and_suggests_port_zero() {
    let book = Book::fixture("basic");
    // A page with an error: were the handbook built first, its problem would be printed.
    book.write("content/en/clerk.md", "---\nid: clerk\n---\n\nText.\n");
    let busy = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = busy.local_addr().unwrap().port().to_string();
    let out = book.run(&["serve", "--port", &port]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.contains(&format!("port {port} is busy")) && err.contains("`--port 0`"),
        "{err}"
    );
    assert!(!err.contains("missing-title"), "nothing was built: {err}");
}
