//! Messages in the editor's language: every diagnostic of every code has its
//! Chinese (a walk over `Code::ALL` and the fixtures); `--messages`,
//! `ROLEBOOK_MESSAGES` and the locale choose the language of the human
//! report on every command; the JSON report carries both languages; and the
//! preview's overlay, warnings banner and first-start problems page speak
//! the language of the page.

use crate::check::{code_of_fixture, generated, prepare, FAULTS};
use crate::support::{stderr, stdout, Book, Server};
use rolebook::diagnostic::{zh, Code, Diagnostic};
use serde_json::Value;

/// Every diagnostic a handbook is reported with, by `check` and by `build`
/// (which alone refuses an output folder).
fn diagnostics_of(book: &Book) -> Vec<Diagnostic> {
    let mut all = match rolebook::check(&book.root()) {
        Ok(loaded) => loaded.diagnostics,
        Err(problems) => problems,
    };
    match rolebook::build(&book.root(), None) {
        Ok(built) => all.extend(built.diagnostics),
        Err(rolebook::BuildError::Handbook(problems)) => all.extend(problems),
        Err(rolebook::BuildError::Io(_, problems)) => all.extend(problems),
    }
    all
}

fn has_han(text: &str) -> bool {
    text.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
}

/// The texts of `d` the catalogue cannot translate.
fn untranslated(d: &Diagnostic) -> Vec<String> {
    let mut missing = Vec::new();
    match zh::message(d.code, &d.message) {
        Some(text) if has_han(&text) => {}
        _ => missing.push(format!("[{}] message {:?}", d.code, d.message)),
    }
    if let Some(hint) = &d.hint {
        if zh::hint(d.code, hint).is_none() {
            missing.push(format!("[{}] hint {hint:?}", d.code));
        }
    }
    missing
}

/// The shapes of the codes no handbook on disk produces on demand
/// (`check::FAULTS`), as the code builds them.
fn fault_diagnostics(code: &str) -> Vec<Diagnostic> {
    match code {
        "read-failed" => vec![
            Diagnostic::error(
                Code::ReadFailed,
                "content/en/a.md",
                "cannot read /h/content/en/a.md: Permission denied (os error 13)",
            )
            .hint("check the file's permissions"),
            Diagnostic::error(
                Code::ReadFailed,
                "content/en/a.pdf",
                "Permission denied (os error 13)",
            ),
        ],
        "too-many-open-files" => vec![Diagnostic::error(
            Code::TooManyOpenFiles,
            "book.toml",
            "too many open files: cannot read /h/book.toml: Too many open files (os error 24)",
        )
        .hint("rolebook ran out of file descriptors; close preview tabs or raise the limit (`ulimit -n`), then save again or restart serve")],
        _ => Vec::new(),
    }
}

#[test]
fn every_code_has_a_chinese_message_for_everything_its_fixture_reports() {
    let dir = crate::support::repo().join("tests/fixtures/invalid");
    let mut seen: Vec<Code> = Vec::new();
    let mut missing: Vec<String> = Vec::new();
    let mut check = |what: &str, list: Vec<Diagnostic>| {
        for d in list {
            missing.extend(untranslated(&d).into_iter().map(|m| format!("{what}: {m}")));
            seen.push(d.code);
        }
    };
    for entry in std::fs::read_dir(&dir).unwrap().flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let book = Book::fixture(&format!("invalid/{name}"));
        prepare(&name, &book);
        check(&format!("invalid/{name}"), diagnostics_of(&book));
    }
    for code in Code::ALL {
        if let Some(book) = generated(code.as_str()) {
            check(&format!("generated {code}"), diagnostics_of(&book));
        }
        if FAULTS.iter().any(|(c, _)| *c == code.as_str()) {
            check(&format!("fault {code}"), fault_diagnostics(code.as_str()));
        }
    }
    assert!(
        missing.is_empty(),
        "{} texts have no Chinese in src/diagnostic/zh.rs:\n{}",
        missing.len(),
        missing.join("\n")
    );
    for code in Code::ALL {
        assert!(
            seen.contains(code),
            "no fixture, generated handbook or fault gave `{code}` (fixture named {:?})",
            code_of_fixture(code.as_str())
        );
    }
}

/// A handbook with a front matter error, a broken link and a dropped
/// emphasis, all on Chinese pages.
fn troubled() -> Book {
    let book = Book::fixture("basic");
    book.write(
        "content/zh/clerk.md",
        "---\ntitle: 文员\n---\n\n## 任务 {#tasks}\n\n- 为[主管](role:lead#duties)整理文件。\n",
    );
    book.append(
        "content/zh/lead.md",
        "\n**注意：**正文\n\n见[表格](forms/leave.pdf)。\n",
    );
    book
}

const FRONT_MATTER_ZH: &str = "front matter 缺少 `id`";
const FRONT_MATTER_EN: &str = "the front matter has no `id`";
const LINK_ZH: &str = "链接目标 `forms/leave.pdf` 在 content/ 下不存在";
const EMPHASIS_ZH: &str = "`：` 后面的 `**` 无法结束强调";

#[test]
fn messages_zh_prints_every_message_hint_and_the_count_in_chinese() {
    let book = troubled();
    let out = book.run(&["check", "--messages", "zh"]);
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(1), "{text}");
    for words in [
        FRONT_MATTER_ZH,
        "请加一行 `id: clerk`（该岗位各语言的页面用同一个 id）",
        LINK_ZH,
        "请修正路径（相对于本页所在的文件夹），或用 `role:ID` 链接岗位",
        EMPHASIS_ZH,
        "把标记挪到标点内侧，写成 `**注意**：正文`",
        "error[missing-id]",
        "warning[dropped-emphasis]",
    ] {
        assert!(text.contains(words), "no {words:?} in:\n{text}");
    }
    assert!(text.ends_with("1 个错误，5 个警告\n"), "{text}");
    assert!(!text.contains(FRONT_MATTER_EN), "{text}");
}

#[test]
fn english_without_a_choice_and_with_messages_en() {
    let book = troubled();
    for args in [&["check"][..], &["check", "--messages", "en"]] {
        let text = stdout(&book.run(args));
        assert!(text.contains(FRONT_MATTER_EN), "{args:?}: {text}");
        assert!(text.ends_with("1 error, 5 warnings\n"), "{args:?}: {text}");
        assert!(!text.contains(FRONT_MATTER_ZH), "{args:?}: {text}");
    }
}

/// `rolebook ARGS` with `vars` set: whether it spoke Chinese (said `zh`
/// and not `en`, else `en` and not `zh`).
fn chinese_with(book: &Book, args: &[&str], vars: &[(&str, &str)], [zh, en]: [&str; 2]) -> bool {
    let mut command = book.command(args);
    for (key, value) in vars {
        command.env(key, value);
    }
    let out = command.output().unwrap();
    let text = format!("{}{}", stdout(&out), stderr(&out));
    let chinese = text.contains(zh);
    assert!(chinese != text.contains(en), "{args:?} {vars:?}: {text}");
    chinese
}

/// Arguments, environment variables, and whether the output is Chinese.
type Case<'a> = (&'a [&'a str], &'a [(&'a str, &'a str)], bool);

#[test]
fn the_flag_then_rolebook_messages_then_the_locale_choose_the_language() {
    let book = troubled();
    let check = ["check"];
    let cases: &[Case] = &[
        (&check, &[("ROLEBOOK_MESSAGES", "zh")], true),
        (&check, &[("LANG", "zh_CN.UTF-8")], true),
        (
            &check,
            &[("LC_MESSAGES", "zh_TW.UTF-8"), ("LANG", "en_US.UTF-8")],
            true,
        ),
        (
            &check,
            &[("LC_ALL", "en_US.UTF-8"), ("LANG", "zh_CN.UTF-8")],
            false,
        ),
        (&check, &[("LC_ALL", ""), ("LANG", "zh_CN.UTF-8")], true),
        (
            &check,
            &[("ROLEBOOK_MESSAGES", "en"), ("LC_ALL", "zh_CN.UTF-8")],
            false,
        ),
        (&check, &[("LANG", "C")], false),
        (
            &["check", "--messages", "en"],
            &[("ROLEBOOK_MESSAGES", "zh")],
            false,
        ),
        (
            &["check", "--messages", "zh"],
            &[("LC_ALL", "en_US.UTF-8")],
            true,
        ),
        (&["--messages", "zh", "check"], &[], true),
    ];
    for (args, vars, zh) in cases {
        let said = chinese_with(&book, args, vars, [FRONT_MATTER_ZH, FRONT_MATTER_EN]);
        assert_eq!(said, *zh, "{args:?} {vars:?}");
    }
    let out = book.run(&["check", "--messages", "fr"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("`fr` is not `zh` or `en`"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn every_command_that_reports_problems_takes_messages() {
    let book = troubled();
    let out = book.run(&["build", "--messages", "zh"]);
    assert!(stderr(&out).contains(FRONT_MATTER_ZH), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("1 个错误，5 个警告"),
        "{}",
        stderr(&out)
    );
    // A book.toml that cannot be used stops every command that reads the handbook.
    let book = Book::fixture("basic");
    book.append("book.toml", "[build]\noutptu = \"site\"\n");
    let words = [
        "book.toml 有误：未知的键 `outptu`，可用的键：",
        "book.toml: unknown field `outptu`, expected one of",
    ];
    for args in [
        &["check", "--messages", "zh"][..],
        &["build", "--messages", "zh"],
        &["status", "--messages", "zh"],
        &["status", "--reviews", "--messages", "zh"],
        &["mark-translated", "clerk", "zh", "--messages", "zh"],
        &[
            "mark-translated",
            "clerk",
            "zh",
            "--section",
            "tasks",
            "--messages",
            "zh",
        ],
        &["diff", "clerk", "zh", "--messages", "zh"],
    ] {
        assert!(chinese_with(&book, args, &[], words), "{args:?}");
        let english = &args[..args.len() - 2];
        assert!(!chinese_with(&book, english, &[], words), "{english:?}");
    }
}

#[test]
fn json_keeps_english_and_adds_chinese() {
    let book = troubled();
    // The language chosen for people does not change the JSON.
    let out = book.run(&["check", "--format", "json", "--messages", "zh"]);
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let list = report["diagnostics"].as_array().unwrap();
    for d in list {
        assert!(d["message_zh"].as_str().is_some_and(has_han), "{d:#}");
        match d["hint"].as_str() {
            Some(_) => assert!(d["hint_zh"].as_str().is_some_and(has_han), "{d:#}"),
            None => assert!(d["hint_zh"].is_null(), "{d:#}"),
        }
    }
    let by_code = |code: &str| list.iter().find(|d| d["code"] == code).unwrap();
    let missing = by_code("missing-id");
    assert_eq!(missing["message"], FRONT_MATTER_EN);
    assert_eq!(missing["message_zh"], FRONT_MATTER_ZH);
    assert!(
        list.iter().any(|d| d["message_zh"] == LINK_ZH),
        "{report:#}"
    );
    assert!(
        by_code("dropped-emphasis")["message_zh"]
            .as_str()
            .unwrap()
            .starts_with(EMPHASIS_ZH),
        "{report:#}"
    );
}

#[test]
fn preview_shows_a_page_its_own_warnings_in_its_language() {
    let book = Book::fixture("basic");
    book.append("content/zh/lead.md", "\n**注意：**正文\n");
    book.append("content/en/lead.md", "\nSee [the form](forms/leave.pdf).\n");
    let server = Server::start(&book);
    let (status, _, zh) = server.get("/zh/lead.html");
    assert_eq!(status, 200, "{zh}");
    assert!(zh.contains("id=\"rolebook-warnings\""), "{zh}");
    assert!(zh.contains("本页有 1 个警告"), "{zh}");
    assert!(zh.contains(&html_escape(EMPHASIS_ZH)), "{zh}");
    assert!(
        zh.contains("data-rolebook-close=\"rolebook-warnings\""),
        "{zh}"
    );
    // Only the page's own warnings: not the English page's broken link.
    assert!(!zh.contains("leave.pdf"), "{zh}");
    let (_, _, en) = server.get("/en/lead.html");
    assert!(en.contains("1 warning on this page"), "{en}");
    assert!(en.contains("forms/leave.pdf"), "{en}");
    assert!(!en.contains("**注意"), "{en}");
    let (_, _, clean) = server.get("/zh/clerk.html");
    assert!(!clean.contains("rolebook-warnings"), "{clean}");
}

fn html_escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[test]
fn preview_overlay_speaks_the_page_language_and_can_be_closed() {
    let book = Book::fixture("basic");
    let server = Server::start(&book);
    server.wait_for("/zh/lead.html", "the page", |s, _| s == 200);
    let lead = std::fs::read_to_string(book.root().join("content/zh/lead.md")).unwrap();
    book.write("content/zh/lead.md", &lead.replacen("id: lead\n", "", 1));
    let zh = server.wait_for("/zh/lead.html", "the overlay", |_, b| {
        b.contains("rolebook-overlay")
    });
    assert!(
        zh.contains("手册有问题，下面显示的是上一个正常的版本"),
        "{zh}"
    );
    assert!(zh.contains(&html_escape(FRONT_MATTER_ZH)), "{zh}");
    assert!(
        zh.contains("data-rolebook-close=\"rolebook-overlay\""),
        "{zh}"
    );
    let (_, _, en) = server.get("/en/lead.html");
    assert!(en.contains(&html_escape(FRONT_MATTER_EN)), "{en}");
    assert!(
        en.contains("showing the last good version underneath"),
        "{en}"
    );
}

#[test]
fn preview_first_start_with_errors_shows_the_problems() {
    let book = Book::fixture("basic");
    let lead = std::fs::read_to_string(book.root().join("content/zh/lead.md")).unwrap();
    book.write("content/zh/lead.md", &lead.replacen("id: lead\n", "", 1));
    let server = Server::start(&book);
    let (status, _, zh) = server.get("/zh/lead.html");
    assert_eq!(status, 500, "{zh}");
    assert!(zh.contains("<html lang=\"zh\">"), "{zh}");
    assert!(zh.contains("手册还无法显示"), "{zh}");
    assert!(zh.contains(&html_escape(FRONT_MATTER_ZH)), "{zh}");
    assert!(zh.contains("/__rolebook/reload.js"), "{zh}");
    let (_, _, en) = server.get("/en/lead.html");
    assert!(en.contains("cannot be shown yet"), "{en}");
    for page in [&zh, &en] {
        assert!(
            !page.contains("last good version") && !page.contains("上一个正常的版本"),
            "{page}"
        );
    }
    // The fix brings the handbook up.
    book.write("content/zh/lead.md", &lead);
    server.wait_for("/zh/lead.html", "the rebuilt page", |s, b| {
        s == 200 && !b.contains("rolebook-overlay")
    });
}
