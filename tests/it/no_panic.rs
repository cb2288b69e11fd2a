//! No input makes rolebook panic: arbitrary bytes as a page, arbitrary front
//! matter and Markdown (biased towards the characters that matter: CJK, `*`,
//! `_`, `[`, `](role:`, `{#`, heading attributes, `---`, CRLF, ...). Every run
//! returns, every page that does not make it into the handbook is named by an
//! error, and no heading carries an attribute other than `id` and `class`.

use foldhash::{HashMap, HashSet};
use std::path::Path;

use proptest::prelude::*;
use rolebook::config::Config;
use rolebook::diagnostic::Diagnostic;
use rolebook::frontmatter::{self, Page};
use rolebook::markdown::{self, LinkTargets};
use rolebook::source::SourceFile;

const BOOK_TOML: &str = include_str!("../fixtures/basic/book.toml");

/// Pieces that steer the parsers into their interesting corners.
const PIECES: &[&str] = &[
    "---",
    "---\n",
    "\n",
    "\r\n",
    "\r",
    "*",
    "**",
    "***",
    "_",
    "__",
    "[",
    "]",
    "](",
    "](role:",
    "role:",
    "role:x",
    "role:x#",
    "#",
    "## ",
    "{#",
    "}",
    "{#x}",
    "(",
    ")",
    "注意",
    "：",
    "。",
    "秘书",
    "，",
    "「",
    "」",
    "\u{3000}",
    "\u{feff}",
    "\t",
    "  ",
    "`",
    "```",
    "~~~",
    "|",
    "|---|",
    "- ",
    "1. ",
    "> ",
    "<",
    ">",
    "<script>",
    "</script>",
    "<a href=\"",
    "\"",
    "'",
    "&#",
    "&#58;",
    ";",
    "javascript:",
    "data:",
    "%",
    "%2",
    "..",
    "/",
    "../",
    ".md",
    "![",
    "[^",
    "]: ",
    "\\",
    "id: ",
    "title: ",
    "lang: ",
    "lang: zh",
    "lang: fr",
    "reports_to: ",
    "related: [",
    "order: ",
    "tags: ",
    "extra: ",
    "x",
    "y",
    ": ",
    "- x",
    "{",
    "[]",
    "null",
    "~",
    "&",
    "*a",
    "!",
    "?",
    "é",
    "😀",
    "\u{0}",
    "\u{7f}",
    "\u{200b}",
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "{{ site }}",
    "{% raw %}",
    "\"><b>",
    // Heading attributes: only `{#id}` and plain `.class` may reach the tag.
    "## H {#id .class key=value onfocus=alert(1)}\n",
    " {#x .y autofocus onfocus=alert(1) tabindex=1}",
    " {.a\"b onmouseover=x}",
    "{onclick=\"alert(1)\"}",
    " {#\"><svg onload=alert(1)>}",
    "\n===\n",
    "- - - - - - - - ",
    "> > > > ",
];

fn piece() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => prop::sample::select(PIECES).prop_map(str::to_string),
        1 => "[a-z0-9 ]{1,8}",
        1 => any::<char>().prop_map(String::from),
    ]
}

/// Markdown- and YAML-ish text.
fn markup(max_pieces: usize) -> impl Strategy<Value = String> {
    prop::collection::vec(piece(), 0..max_pieces).prop_map(|p| p.concat())
}

/// Front matter that usually parses, so the later stages see many pages.
fn front_matter() -> impl Strategy<Value = String> {
    prop_oneof![
        2 => (prop::sample::select(&["x", "y", "../x", "X", ""][..]), markup(6), markup(12))
            .prop_map(|(id, title, rest)| format!("id: {id}\ntitle: {title}\n{rest}")),
        1 => (markup(4), markup(6)).prop_map(|(title, target)| format!("id: x\ntitle: \"{title}\"\nreports_to: {target}\nrelated: [x, {target}]\norder: 1\n")),
        1 => markup(30),
    ]
}

/// Bytes of a whole page: anything, or front matter plus Markdown.
fn page_bytes() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        1 => prop::collection::vec(any::<u8>(), 0..400),
        3 => (front_matter(), markup(60)).prop_map(|(fm, body)| format!("---\n{fm}\n---\n{body}").into_bytes()),
        1 => (front_matter(), markup(40)).prop_map(|(fm, body)| format!("\u{feff}---\r\n{}\r\n---\r\n{}", fm.replace('\n', "\r\n"), body.replace('\n', "\r\n")).into_bytes()),
        1 => (markup(60), prop::collection::vec(any::<u8>(), 0..8), markup(20))
            .prop_map(|(a, junk, b)| [a.into_bytes(), junk, b.into_bytes()].concat()),
    ]
}

fn config() -> Config {
    Config::parse(Path::new("/book"), BOOK_TOML).expect("the basic fixture's book.toml parses")
}

/// Every diagnostic points at a real place in `bytes` (1-based, at most one
/// line past the last line break) of `file`. A lone CR counts as a line break
/// here because YAML counts it as one (rolebook's own line numbers do not).
fn assert_well_placed(diagnostics: &[Diagnostic], file: &str, bytes: &[u8]) {
    let lone_cr = bytes
        .windows(2)
        .filter(|w| w[0] == b'\r' && w[1] != b'\n')
        .count()
        + usize::from(bytes.last() == Some(&b'\r'));
    let lines = bytes.iter().filter(|&&b| b == b'\n').count() + lone_cr + 1;
    for d in diagnostics.iter().filter(|d| d.file == file) {
        assert!(d.line >= 1 && d.column >= 1, "{d:?}");
        assert!(
            d.line <= lines,
            "line {} of a {lines}-line file: {d:?}",
            d.line
        );
        assert!(!d.message.is_empty(), "{d:?}");
    }
}

fn source(content_path: &str, bytes: Vec<u8>) -> SourceFile {
    SourceFile {
        file: format!("content/{content_path}"),
        content_path: content_path.to_string(),
        bytes,
        modified: None,
    }
}

fn parse(text: &str) -> Page {
    frontmatter::parse_page(&mut source("en/x.md", text.as_bytes().to_vec()), &config())
        .expect("valid page")
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn parse_page_returns_a_page_or_errors_naming_the_file(bytes in page_bytes(), zh in any::<bool>()) {
        let path = if zh { "zh/x.md" } else { "en/x.md" };
        match frontmatter::parse_page(&mut source(path, bytes.clone()), &config()) {
            Ok(page) => {
                prop_assert!(frontmatter::is_valid_id(&page.id), "{:?}", page.id);
                prop_assert!(page.lang == "en" || page.lang == "zh", "{:?}", page.lang);
            }
            Err(problems) => {
                prop_assert!(!problems.is_empty(), "an Err with no diagnostics");
                prop_assert!(problems.iter().all(|d| d.is_error() && d.file == format!("content/{path}")), "{problems:?}");
                assert_well_placed(&problems, &format!("content/{path}"), &bytes);
            }
        }
    }

    #[test]
    fn markdown_render_returns_with_placed_problems(body in markup(120), allow_html in any::<bool>()) {
        let text = format!("---\nid: x\ntitle: X\n---\n{body}");
        let page = parse(&text);
        let roles: HashSet<&str> = ["x", "secretary"].into_iter().collect();
        let pages: HashMap<&str, (&str, &str)> = [("zh/x.md", ("x", "zh"))].into_iter().collect();
        let assets: HashSet<&str> = ["en/img.png"].into_iter().collect();
        let targets = LinkTargets { roles: &roles, pages: &pages, assets: &assets, allow_html };
        let rendered = markdown::render(&page, &targets);
        assert_well_placed(&rendered.problems, "content/en/x.md", text.as_bytes());
        prop_assert!(rendered.problems.iter().all(|d| d.file == "content/en/x.md"), "{:?}", rendered.problems);
        if !allow_html {
            // Every tag in the HTML then comes from Markdown, never from the author.
            for tag in heading_tags(&rendered.html) {
                let names = attribute_names(tag);
                prop_assert!(names.iter().all(|n| *n == "id" || *n == "class"), "{tag}: {names:?}\n{}", rendered.html);
            }
            let lower = rendered.html.to_ascii_lowercase();
            prop_assert!(!lower.contains("<script"), "{}", rendered.html);
            prop_assert!(!lower.contains("<a href=\"javascript:") && !lower.contains("src=\"javascript:"), "{}", rendered.html);
        }
        let ids: HashSet<&str> = rendered.headings.iter().map(|h| h.id.as_str()).collect();
        prop_assert_eq!(ids.len(), rendered.headings.len(), "heading ids are unique");
    }
}

proptest! {
    // Each case writes a handbook and runs every stage, templates included.
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn check_returns_and_never_drops_a_page_silently(en in page_bytes(), zh in page_bytes()) {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("content/en")).unwrap();
        std::fs::create_dir_all(root.join("content/zh")).unwrap();
        std::fs::write(root.join("book.toml"), BOOK_TOML).unwrap();
        let files = [("content/en/x.md", en), ("content/zh/x.md", zh)];
        for (file, bytes) in &files {
            std::fs::write(root.join(file), bytes).unwrap();
        }
        let checked = rolebook::check(root).expect("book.toml is fine, so there is a handbook");
        let handbook = &checked.handbook;
        for d in &checked.diagnostics {
            prop_assert!(!d.file.is_empty() && d.line >= 1 && d.column >= 1, "{d:?}");
        }
        for (file, bytes) in &files {
            assert_well_placed(&checked.diagnostics, file, bytes);
            let kept = handbook.pages.iter().any(|p| p.file == *file);
            let named = checked.diagnostics.iter().any(|d| d.is_error() && d.file == *file);
            prop_assert!(kept || named, "{file} vanished without an error: {:?}", checked.diagnostics);
        }
        if checked.errors() == 0 {
            prop_assert_eq!(handbook.pages.len(), 2, "no errors, so both pages are in the handbook");
        }
    }
}

/// Every `<h1 ...>` to `<h6 ...>` start tag in `html`.
fn heading_tags(html: &str) -> Vec<&str> {
    let mut tags = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find("<h") {
        rest = &rest[i..];
        let end = rest.find('>').map_or(rest.len(), |e| e + 1);
        if rest
            .as_bytes()
            .get(2)
            .is_some_and(|b| (b'1'..=b'6').contains(b))
        {
            tags.push(&rest[..end]);
        }
        rest = &rest[2..];
    }
    tags
}

/// Attribute names of a start tag the HTML writer wrote (`name="value"` pairs).
fn attribute_names(tag: &str) -> Vec<&str> {
    let mut names = Vec::new();
    let mut rest = tag.trim_start_matches(|c: char| c != ' ' && c != '>');
    while let Some(after) = rest.strip_prefix(' ') {
        let Some((name, value)) = after.split_once("=\"") else {
            names.push(after.trim_end_matches('>'));
            break;
        };
        names.push(name);
        rest = value.split_once('"').map_or("", |(_, r)| r);
    }
    names
}

/// `text` as a YAML double-quoted scalar: every character outside YAML's
/// printable set (and the BOM) escaped.
fn yaml_quoted(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            ' '..='~'
            | '\u{a0}'..='\u{d7ff}'
            | '\u{e000}'..='\u{fefe}'
            | '\u{ff00}'..='\u{fffd}'
            | '\u{10000}'.. => out.push(c),
            c if (c as u32) <= 0xffff => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push_str(&format!("\\U{:08x}", c as u32)),
        }
    }
    out.push('"');
    out
}

/// Markup without `role:` links (the only Markdown that is an error).
fn markup_without_role_links(max_pieces: usize) -> impl Strategy<Value = String> {
    let pieces: Vec<&str> = PIECES
        .iter()
        .copied()
        .filter(|p| !p.contains("role"))
        .collect();
    let piece = prop_oneof![
        4 => prop::sample::select(pieces).prop_map(str::to_string),
        1 => "[a-z0-9 ]{1,8}",
        1 => any::<char>().prop_map(String::from),
    ];
    prop::collection::vec(piece, 0..max_pieces).prop_map(|p| p.concat())
}

/// A page whose front matter is valid whatever its text says.
fn valid_page(id: &'static str) -> impl Strategy<Value = String> {
    (
        markup(12),
        markup(12),
        markup(8),
        prop::collection::vec(markup(4), 0..3),
        markup_without_role_links(80),
    )
        .prop_map(move |(title, summary, department, tags, body)| {
            let tags: Vec<String> = tags.iter().map(|t| yaml_quoted(t)).collect();
            format!(
                "---\nid: {id}\ntitle: {}\nsummary: {}\ndepartment: {}\ntags: [{}]\n---\n{body}",
                yaml_quoted(&title),
                yaml_quoted(&summary),
                yaml_quoted(&department),
                tags.join(", ")
            )
        })
}

proptest! {
    // Each case renders a whole site in memory.
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn any_text_in_valid_pages_renders_a_whole_safe_site(en in valid_page("x"), zh in valid_page("x"), y in valid_page("y")) {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("content/en")).unwrap();
        std::fs::create_dir_all(root.join("content/zh")).unwrap();
        std::fs::write(root.join("book.toml"), format!("{BOOK_TOML}\n[build]\nallow_html = false\n")).unwrap();
        std::fs::write(root.join("content/en/x.md"), &en).unwrap();
        std::fs::write(root.join("content/zh/x.md"), &zh).unwrap();
        std::fs::write(root.join("content/en/y.md"), &y).unwrap();
        let (site, diagnostics) = rolebook::build_in_memory(root);
        let errors: Vec<_> = diagnostics.iter().filter(|d| d.is_error()).collect();
        prop_assert!(errors.is_empty(), "{errors:#?}");
        let site = site.expect("no errors, so a site");
        for page in ["index.html", "en/index.html", "zh/index.html", "en/x.html", "zh/x.html", "en/y.html", "zh/y.html", "parallel/x.html"] {
            let html = String::from_utf8_lossy(site.get(page).unwrap_or_else(|| panic!("{page} is missing")));
            prop_assert!(!html.contains("<script>alert") && !html.contains("<img src=x") && !html.contains("\"><b>"), "{page}:\n{html}");
        }
    }
}

#[test]
fn a_page_of_garbage_yields_an_error_not_a_missing_page() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::create_dir_all(root.join("content/en")).unwrap();
    std::fs::write(root.join("book.toml"), BOOK_TOML).unwrap();
    std::fs::write(
        root.join("content/en/ok.md"),
        "---\nid: ok\ntitle: OK\n---\n\nFine.\n",
    )
    .unwrap();
    for garbage in [
        &b"\xff\xfe\x00garbage"[..],
        b"\x00\x01\x02",
        b"*[_](role:{#---",
        b"---\n---\n---",
        b"\r\r\r---",
    ] {
        std::fs::write(root.join("content/en/bad.md"), garbage).unwrap();
        let checked = rolebook::check(root).expect("book.toml is fine");
        let errors: Vec<_> = checked
            .diagnostics
            .iter()
            .filter(|d| d.is_error())
            .collect();
        assert!(
            errors.iter().any(|d| d.file == "content/en/bad.md"),
            "{:?}: {:?}",
            String::from_utf8_lossy(garbage),
            checked.diagnostics
        );
    }
}

#[test]
fn a_role_link_to_a_script_url_does_not_become_one() {
    let page = parse("---\nid: x\ntitle: X\n---\n[a](role:javascript:alert(1)//) [b](role:JavaScript:alert(2)#x)\n");
    let roles: HashSet<&str> = ["x"].into_iter().collect();
    let (pages, assets) = (HashMap::default(), HashSet::default());
    let targets = LinkTargets {
        roles: &roles,
        pages: &pages,
        assets: &assets,
        allow_html: true,
    };
    let rendered = markdown::render(&page, &targets);
    assert!(
        !rendered
            .html
            .to_ascii_lowercase()
            .contains("href=\"javascript:"),
        "{}",
        rendered.html
    );
    let codes: Vec<_> = rendered.problems.iter().map(|d| d.code).collect();
    assert_eq!(codes, ["unknown-role-link", "unknown-role-link"]);
}

/// Where a symbolic link under content/ may point.
#[cfg(unix)]
#[derive(Debug, Clone, Copy)]
enum LinkTarget {
    SecretFile,
    SecretFolder,
    PageInside,
    FolderInside,
    Parent,
    Dangling,
    Itself,
}

#[cfg(unix)]
fn link_target() -> impl Strategy<Value = LinkTarget> {
    prop_oneof![
        Just(LinkTarget::SecretFile),
        Just(LinkTarget::SecretFolder),
        Just(LinkTarget::PageInside),
        Just(LinkTarget::FolderInside),
        Just(LinkTarget::Parent),
        Just(LinkTarget::Dangling),
        Just(LinkTarget::Itself),
    ]
}

#[cfg(unix)]
proptest! {
    // Each case writes a handbook with links and builds it.
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// Any mix of symbolic links under content/ (to secrets outside, inside,
    /// dangling, looping) and pages linking to them: every run returns, and
    /// no byte of a file outside the handbook reaches the site or the report.
    #[test]
    fn symlinks_never_panic_nor_publish_outside_files(
        links in proptest::collection::vec((0usize..3, link_target(), "[a-z]{1,6}(\\.md|\\.txt)?"), 0..8),
        body in markup_without_role_links(20),
    ) {
        let dir = tempfile::tempdir().unwrap();
        let (root, outside) = (dir.path().join("book"), dir.path().join("outside"));
        std::fs::create_dir_all(outside.join("folder")).unwrap();
        std::fs::write(outside.join("secret.md"), "---\nid: leak\ntitle: SECRET-BYTES\n---\nSECRET-BYTES\n").unwrap();
        std::fs::write(outside.join("folder/keys.txt"), "SECRET-BYTES").unwrap();
        std::fs::create_dir_all(root.join("content/en/sub")).unwrap();
        std::fs::create_dir_all(root.join("content/zh")).unwrap();
        std::fs::write(root.join("book.toml"), BOOK_TOML).unwrap();
        let folders = ["content/en", "content/zh", "content/en/sub"];
        let mut text = format!("---\nid: x\ntitle: X\n---\n{body}\n");
        for (folder, target, name) in &links {
            if name == "x.md" {
                continue; // the pages themselves
            }
            let link = root.join(folders[*folder]).join(name);
            let to = match target {
                LinkTarget::SecretFile => outside.join("secret.md"),
                LinkTarget::SecretFolder => outside.join("folder"),
                LinkTarget::PageInside => root.join("content/zh/x.md"),
                LinkTarget::FolderInside => root.join("content/en/sub"),
                LinkTarget::Parent => root.join("content"),
                LinkTarget::Dangling => root.join("nowhere"),
                LinkTarget::Itself => link.clone(),
            };
            let _ = std::os::unix::fs::symlink(&to, &link);
            text.push_str(&format!("[l]({name}) [k]({name}/keys.txt) <img src=\"{name}\">\n"));
        }
        std::fs::write(root.join("content/en/x.md"), &text).unwrap();
        std::fs::write(root.join("content/zh/x.md"), "---\nid: x\ntitle: 十\n---\n正文\n").unwrap();
        let diagnostics = match rolebook::check(&root) {
            Ok(checked) => checked.diagnostics,
            Err(problems) => problems,
        };
        let report = rolebook::diagnostic::render_human(&diagnostics, &root, false);
        prop_assert!(!report.contains("SECRET-BYTES"), "{report}");
        let out = dir.path().join("public");
        if rolebook::build(&root, Some(&out)).is_ok() {
            for entry in walkdir::WalkDir::new(&out).into_iter().flatten() {
                if entry.file_type().is_file() {
                    let bytes = std::fs::read(entry.path()).unwrap();
                    prop_assert!(
                        !String::from_utf8_lossy(&bytes).contains("SECRET-BYTES"),
                        "{} holds an outside file", entry.path().display()
                    );
                }
            }
        }
    }
}
