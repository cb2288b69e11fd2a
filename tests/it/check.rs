//! `rolebook check` and bad input: one test per diagnostic (each on its own
//! tiny handbook under tests/fixtures/invalid/), exit codes, all problems in
//! one run, hostile file-system layouts and pages, builds that keep the last
//! good site, and output that cannot run scripts.

use std::path::{Path, PathBuf};
use std::process::{Output, Stdio};
use std::time::{Duration, Instant};

use crate::support::{rolebook, stderr, stdout, tree, urls, Book};
use serde_json::Value;
use sha2::{Digest, Sha256};

// ---------------------------------------------------------------------------
// Helpers

/// `rolebook check --format json` on `book`: the exit code and the parsed report.
fn check_json(book: &Book) -> (i32, Value) {
    let out = book.run(&["check", "--format", "json"]);
    let report: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "check --format json printed no JSON ({e}):\nstdout:\n{}\nstderr:\n{}",
            stdout(&out),
            stderr(&out)
        )
    });
    (out.status.code().expect("killed by a signal"), report)
}

fn diagnostics(report: &Value) -> &Vec<Value> {
    report["diagnostics"]
        .as_array()
        .expect("`diagnostics` is an array")
}

fn text<'a>(d: &'a Value, key: &str) -> &'a str {
    d[key].as_str().unwrap_or("")
}

/// `(severity, code, file, line)` of every diagnostic, in report order.
fn summary(report: &Value) -> Vec<(String, String, String, u64)> {
    diagnostics(report)
        .iter()
        .map(|d| {
            (
                text(d, "severity").to_string(),
                text(d, "code").to_string(),
                text(d, "file").to_string(),
                d["line"].as_u64().unwrap_or(0),
            )
        })
        .collect()
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Severity {
    Error,
    Warning,
}
use Severity::{Error, Warning};

/// One diagnostic that a fixture must produce.
struct Case<'a> {
    /// Folder under tests/fixtures/invalid/.
    fixture: &'a str,
    severity: Severity,
    code: &'a str,
    file: &'a str,
    line: u64,
    /// Words the message must contain.
    words: &'a [&'a str],
}

/// Runs `check --format json` on `book` and asserts `case`: the diagnostic is
/// there with its file, line, severity and words; the JSON counts are right;
/// the exit code matches; and the fixture has no *other* errors (so it tests
/// exactly one thing). Returns the diagnostic for further assertions.
fn expect_in(book: &Book, case: &Case) -> Value {
    let (code, report) = check_json(book);
    let name = case.fixture;
    let all = serde_json::to_string_pretty(&report).unwrap();
    let found = diagnostics(&report)
        .iter()
        .find(|d| text(d, "code") == case.code && text(d, "file") == case.file)
        .unwrap_or_else(|| {
            panic!(
                "[{name}] no `{}` diagnostic on {}; got:\n{all}",
                case.code, case.file
            )
        })
        .clone();
    let severity = match case.severity {
        Error => "error",
        Warning => "warning",
    };
    assert_eq!(
        text(&found, "severity"),
        severity,
        "[{name}] severity of {found:#}"
    );
    assert_eq!(
        found["line"].as_u64(),
        Some(case.line),
        "[{name}] line of {found:#}"
    );
    assert!(
        found["column"].as_u64().is_some_and(|c| c >= 1),
        "[{name}] column of {found:#}"
    );
    let message = text(&found, "message");
    for word in case.words {
        assert!(
            message.contains(word),
            "[{name}] message lacks {word:?}: {message:?}"
        );
    }
    for key in [
        "severity", "code", "file", "line", "column", "message", "hint",
    ] {
        assert!(
            found.get(key).is_some(),
            "[{name}] JSON diagnostic lacks `{key}`: {found:#}"
        );
    }
    let list = diagnostics(&report);
    let errors = list
        .iter()
        .filter(|d| text(d, "severity") == "error")
        .count() as u64;
    assert_eq!(
        report["errors"].as_u64(),
        Some(errors),
        "[{name}] `errors` count:\n{all}"
    );
    assert_eq!(
        report["warnings"].as_u64(),
        Some(list.len() as u64 - errors),
        "[{name}] `warnings` count:\n{all}"
    );
    match case.severity {
        Error => {
            assert_eq!(code, 1, "[{name}] exit code with an error:\n{all}");
            let others: Vec<_> = list
                .iter()
                .filter(|d| text(d, "severity") == "error" && text(d, "code") != case.code)
                .collect();
            assert!(
                others.is_empty(),
                "[{name}] the fixture has other errors too: {others:#?}"
            );
        }
        Warning => {
            assert_eq!(code, 0, "[{name}] exit code with warnings only:\n{all}");
            assert_eq!(
                errors, 0,
                "[{name}] the fixture should have no errors:\n{all}"
            );
        }
    }
    found
}

fn expect(case: Case) -> Value {
    let book = Book::fixture(&format!("invalid/{}", case.fixture));
    expect_in(&book, &case)
}

fn hint(d: &Value) -> &str {
    text(d, "hint")
}

/// One `#[test]` per simple case: fixture, severity, code, file, line, message words.
macro_rules! case {
    ($name:ident: $fixture:literal, $severity:ident $code:literal at $file:literal : $line:literal, [$($word:literal),* $(,)?]) => {
        #[test]
        fn $name() {
            expect(Case {
                fixture: $fixture,
                severity: $severity,
                code: $code,
                file: $file,
                line: $line,
                words: &[$($word),*],
            });
        }
    };
}

// ---------------------------------------------------------------------------
// Errors in pages

case!(no_front_matter: "no-front-matter", Error "no-front-matter" at "content/en/x.md":1, ["no front matter"]);
case!(unterminated_front_matter: "unterminated-front-matter", Error "unterminated-front-matter" at "content/en/x.md":1, ["never closed"]);
case!(empty_page: "empty-page", Error "empty-page" at "content/en/x.md":1, ["empty"]);
case!(malformed_yaml: "invalid-front-matter-yaml", Error "invalid-front-matter" at "content/en/x.md":3, ["`title`", "unclosed quote"]);
case!(undeclared_language: "undeclared-language", Error "undeclared-language" at "content/x.md":4, ["`fr`", "not declared"]);
case!(unknown_language: "unknown-language", Error "unknown-language" at "content/x.md":1, ["which language"]);
case!(unknown_role_in_reports_to: "unknown-role-reports-to", Error "unknown-role" at "content/en/x.md":4, ["`reports_to`", "`nobody`"]);
case!(unknown_role_in_related: "unknown-role-related", Error "unknown-role" at "content/en/x.md":4, ["`related`", "`nobody`"]);
case!(missing_title: "missing-title", Error "missing-title" at "content/en/x.md":2, ["`title`"]);

#[test]
fn wrong_type_names_the_field() {
    let d = expect(Case {
        fixture: "invalid-front-matter-type",
        severity: Error,
        code: "invalid-front-matter",
        file: "content/en/x.md",
        line: 4,
        words: &["`order`"],
    });
    assert_eq!(d["column"], 8, "points at the value `first`: {d:#}");
    assert!(hint(&d).contains("whole number"), "{d:#}");
}

#[test]
fn duplicate_front_matter_key() {
    let book = Book::fixture("invalid/invalid-front-matter-type");
    book.write(
        "content/en/x.md",
        "---\nid: x\ntitle: X\ntitle: Y\n---\n\nSome text.\n",
    );
    expect_in(
        &book,
        &Case {
            fixture: "invalid-front-matter-type (duplicate key)",
            severity: Error,
            code: "invalid-front-matter",
            file: "content/en/x.md",
            line: 4,
            words: &["`title`", "twice"],
        },
    );
}

#[test]
fn unknown_field_suggests_the_known_one() {
    let d = expect(Case {
        fixture: "unknown-field",
        severity: Error,
        code: "unknown-field",
        file: "content/en/x.md",
        line: 4,
        words: &["`reprots_to`"],
    });
    assert!(hint(&d).contains("did you mean `reports_to`?"), "{d:#}");
}

#[test]
fn missing_id_suggests_one_from_the_file_name() {
    let d = expect(Case {
        fixture: "missing-id",
        severity: Error,
        code: "missing-id",
        file: "content/en/x.md",
        line: 2,
        words: &["`id`"],
    });
    assert!(hint(&d).contains("id: x"), "{d:#}");
}

#[test]
fn invalid_id() {
    let d = expect(Case {
        fixture: "invalid-id",
        severity: Error,
        code: "invalid-id",
        file: "content/en/x.md",
        line: 2,
        words: &["`../x`"],
    });
    assert_eq!(d["column"], 5, "points at the value: {d:#}");
}

#[test]
fn duplicate_id_names_both_files() {
    // Reported on the second file, at its `id:` line.
    expect(Case {
        fixture: "duplicate-id",
        severity: Error,
        code: "duplicate-id",
        file: "content/en/b.md",
        line: 2,
        words: &["`a`", "`en`", "content/en/a.md"],
    });
}

#[test]
fn language_conflict_names_both_sources() {
    let d = expect(Case {
        fixture: "language-conflict",
        severity: Error,
        code: "language-conflict",
        file: "content/en/x.md",
        line: 4,
        words: &["`lang:`", "`zh`", "content/en/", "`en`"],
    });
    assert_eq!(d["column"], 7, "{d:#}");
}

#[test]
fn unknown_role_link_names_the_link_line() {
    let d = expect(Case {
        fixture: "unknown-role-link",
        severity: Error,
        code: "unknown-role-link",
        file: "content/en/x.md",
        line: 8,
        words: &["`bos`"],
    });
    assert_eq!(d["column"], 9, "column of `[boss](role:bos)`: {d:#}");
}

#[test]
fn reports_to_cycle_is_printed_once_as_a_path() {
    let book = Book::fixture("invalid/reports-to-cycle");
    expect_in(
        &book,
        &Case {
            fixture: "reports-to-cycle",
            severity: Error,
            code: "reports-to-cycle",
            file: "content/en/a.md",
            line: 4,
            words: &["a -> b -> c -> a"],
        },
    );
    let (_, report) = check_json(&book);
    let cycles = diagnostics(&report)
        .iter()
        .filter(|d| text(d, "code") == "reports-to-cycle")
        .count();
    assert_eq!(cycles, 1, "one circle, one diagnostic");
}

#[test]
fn invalid_utf8_names_the_byte_offset() {
    let book = Book::fixture("invalid/invalid-utf8");
    let bytes = b"---\nid: x\ntitle: X\n---\n\nCaf\xe9 au lait.\n";
    let offset = bytes.iter().position(|&b| b == 0xe9).unwrap();
    std::fs::write(book.root().join("content/en/x.md"), bytes).unwrap();
    let d = expect_in(
        &book,
        &Case {
            fixture: "invalid-utf8",
            severity: Error,
            code: "invalid-utf8",
            file: "content/en/x.md",
            line: 6,
            words: &["UTF-8", &format!("offset {offset}")],
        },
    );
    assert_eq!(d["column"], 4, "{d:#}");
}

#[test]
fn errors_in_bom_and_crlf_pages_have_exact_positions() {
    let book = Book::fixture("invalid/unknown-role-link");
    let page = "\u{feff}---\r\nid: x\r\ntitle: X\r\n---\r\n\r\nSome text.\r\n\r\nAsk the [boss](role:bos) first.\r\n";
    book.write("content/en/x.md", page);
    let d = expect_in(
        &book,
        &Case {
            fixture: "unknown-role-link (BOM + CRLF)",
            severity: Error,
            code: "unknown-role-link",
            file: "content/en/x.md",
            line: 8,
            words: &["`bos`"],
        },
    );
    assert_eq!(d["column"], 9, "{d:#}");
}

// ---------------------------------------------------------------------------
// Errors in book.toml and the theme

#[test]
fn malformed_book_toml_names_the_line() {
    let d = expect(Case {
        fixture: "config-invalid-syntax",
        severity: Error,
        code: "config-invalid",
        file: "book.toml",
        line: 6,
        words: &["book.toml", "string"],
    });
    assert_eq!(d["column"], 26, "{d:#}");
}

#[test]
fn unknown_book_toml_key_lists_the_known_ones() {
    expect(Case {
        fixture: "config-invalid-key",
        severity: Error,
        code: "config-invalid",
        file: "book.toml",
        line: 14,
        words: &[
            "`outptu`",
            "`output`",
            "`theme`",
            "`allow_html`",
            "`base_url`",
        ],
    });
}

#[test]
fn undeclared_default_language() {
    let d = expect(Case {
        fixture: "config-default-language",
        severity: Error,
        code: "config-default-language",
        file: "book.toml",
        line: 2,
        words: &["`fr`"],
    });
    assert!(
        hint(&d).contains("`en`") && hint(&d).contains("`zh`"),
        "{d:#}"
    );
}

#[test]
fn missing_theme_lists_the_available_ones() {
    let d = expect(Case {
        fixture: "theme-missing",
        severity: Error,
        code: "theme-missing",
        file: "book.toml",
        line: 14,
        words: &["`fancy`"],
    });
    assert!(
        hint(&d).contains("default (built in)") && hint(&d).contains("plain"),
        "{d:#}"
    );
}

case!(template_syntax: "template-syntax", Error "template-syntax" at "themes/broken/templates/role.html":3, ["does not parse"]);

#[test]
fn template_render_error_names_the_page() {
    let book = Book::fixture("invalid/template-render");
    let case = Case {
        fixture: "template-render",
        severity: Error,
        code: "template-render",
        file: "themes/broken/templates/role.html",
        line: 4,
        words: &["no_such_field"],
    };
    expect_in(&book, &case);
    let (_, report) = check_json(&book);
    let pages: Vec<&str> = diagnostics(&report)
        .iter()
        .filter(|d| text(d, "code") == "template-render")
        .map(|d| text(d, "message"))
        .collect();
    assert!(pages.iter().any(|m| m.contains("en/x.html")), "{pages:?}");
    assert!(pages.iter().any(|m| m.contains("zh/x.html")), "{pages:?}");
    // build stops too, and writes nothing.
    let out = book.run(&["build"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("error[template-render]"),
        "{}",
        stderr(&out)
    );
    assert!(
        !book.out().exists(),
        "a failed build created the output folder"
    );
}

/// `check` skips what only makes bytes (renaming ids in combined pages, the
/// search index), but still renders every row of the side-by-side pages and
/// print books: a template that fails on a row is reported by `check` on the
/// same pages as by `build`.
#[test]
fn check_renders_every_row_of_side_by_side_pages_and_print_books() {
    let book = Book::fixture("basic");
    let toml = std::fs::read_to_string(book.root().join("book.toml")).unwrap();
    book.write("book.toml", &format!("{toml}\n[build]\ntheme = \"rows\"\n"));
    let templates = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/templates");
    for (name, row_loop) in [
        ("print.html", "{% for row in role.rows %}"),
        ("parallel.html", "{% for row in rows %}"),
    ] {
        let default = std::fs::read_to_string(templates.join(name)).unwrap();
        assert!(default.contains(row_loop), "{name} has no `{row_loop}`");
        let broken = default.replace(row_loop, &format!("{row_loop}{{{{ row.no_such_cell }}}}"));
        book.write(&format!("themes/rows/templates/{name}"), &broken);
    }
    let pages_in = |messages: &str| -> Vec<String> {
        [
            "parallel/print.html",
            "parallel/clerk.html",
            "zh/clerk.parallel.html",
        ]
        .into_iter()
        .filter(|page| messages.contains(page))
        .map(String::from)
        .collect()
    };
    let (code, report) = check_json(&book);
    assert_eq!(code, 1, "{report:#}");
    let checked: String = diagnostics(&report)
        .iter()
        .filter(|d| text(d, "code") == "template-render")
        .map(|d| format!("{}\n", text(d, "message")))
        .collect();
    assert!(checked.contains("no_such_cell"), "{checked}");
    let out = book.run(&["build"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let built = stderr(&out);
    assert_eq!(pages_in(&checked).len(), 3, "check:\n{checked}");
    assert_eq!(pages_in(&checked), pages_in(&built), "build:\n{built}");
}

// ---------------------------------------------------------------------------
// Warnings

#[test]
fn dropped_cjk_emphasis() {
    let d = expect(Case {
        fixture: "dropped-emphasis",
        severity: Warning,
        code: "dropped-emphasis",
        file: "content/zh/x.md",
        line: 8,
        words: &["`**`", "`：`"],
    });
    assert_eq!(d["column"], 6, "the closing `**`: {d:#}");
    assert!(hint(&d).contains("`**注意**：正文`"), "{d:#}");
}

case!(missing_translation: "missing-translation", Warning "missing-translation" at "content/en/x.md":1, ["`x`", "`zh`"]);
case!(empty_body: "empty-body", Warning "empty-body" at "content/en/x.md":4, ["no text"]);
case!(unsafe_link: "unsafe-link", Warning "unsafe-link" at "content/en/x.md":6, ["javascript:alert(1)"]);
case!(broken_link: "broken-link", Warning "broken-link" at "content/en/x.md":6, ["forms/leave.pdf"]);

#[test]
fn unknown_anchor_in_role_link() {
    let d = expect(Case {
        fixture: "unknown-anchor",
        severity: Warning,
        code: "unknown-anchor",
        file: "content/en/a.md",
        line: 6,
        words: &["role:b#dutis", "`dutis`"],
    });
    assert!(hint(&d).contains("did you mean `#duties`?"), "{d:#}");
}

#[test]
fn shared_field_differs_names_both_files() {
    expect(Case {
        fixture: "shared-field-differs",
        severity: Warning,
        code: "shared-field-differs",
        file: "content/zh/a.md",
        line: 4,
        words: &["`reports_to`", "\"c\"", "\"b\"", "content/en/a.md"],
    });
}

// ---------------------------------------------------------------------------
// Output folders that would overlap the handbook

#[test]
fn output_folder_overlapping_the_handbook_is_refused() {
    let cases = [
        (".", "it is the handbook folder itself"),
        ("content/site", "it is inside content/"),
        ("content", "it is inside content/"),
        ("themes/site", "it is inside themes/"),
        ("..", "it contains the handbook"),
    ];
    for (out_arg, why) in cases {
        let book = Book::fixture("invalid/output-folder");
        let before = tree(book.dir.path());
        let out = book.run(&["build", "--out", out_arg]);
        let err = stderr(&out);
        assert_eq!(
            out.status.code(),
            Some(1),
            "[--out {out_arg}] exit code:\n{err}"
        );
        assert!(
            err.contains("error[output-folder]"),
            "[--out {out_arg}] {err}"
        );
        assert!(
            err.contains(why),
            "[--out {out_arg}] wanted {why:?}:\n{err}"
        );
        assert_eq!(
            tree(book.dir.path()),
            before,
            "[--out {out_arg}] files were created or deleted"
        );
    }
}

#[test]
fn output_folder_from_book_toml_is_refused_too() {
    let book = Book::fixture("invalid/output-folder");
    let toml = std::fs::read_to_string(book.root().join("book.toml")).unwrap();
    book.write(
        "book.toml",
        &format!("{toml}\n[build]\noutput = \"content/en\"\n"),
    );
    let before = tree(book.dir.path());
    let out = book.run(&["build"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("it is inside content/"),
        "{}",
        stderr(&out)
    );
    assert_eq!(tree(book.dir.path()), before);
}

// Untested until now: `check` renders every page (to find template errors)
// but writes nothing, neither the output folder nor anything beside it.
#[test]
fn check_writes_nothing() {
    let book = Book::fixture("basic");
    let before = book.tree();
    for format in ["human", "json"] {
        let out = book.run(&["check", "--format", format]);
        assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    }
    assert!(!book.out().exists(), "check wrote public/");
    assert_eq!(book.tree(), before, "check changed the handbook's folder");
}

// ---------------------------------------------------------------------------
// Exit codes

#[test]
fn clean_handbook_exits_0_with_an_empty_report() {
    let book = Book::sample();
    let (code, report) = check_json(&book);
    assert_eq!(code, 0, "{report:#}");
    assert_eq!(report["errors"], 0);
    assert_eq!(report["warnings"], 0);
    assert_eq!(diagnostics(&report).len(), 0, "{report:#}");
    let human = book.run(&["check"]);
    assert_eq!(human.status.code(), Some(0));
    assert_eq!(stdout(&human), "0 errors, 0 warnings\n");
}

#[test]
fn warnings_only_exit_0() {
    let book = Book::fixture("basic");
    let (code, report) = check_json(&book);
    assert_eq!(code, 0, "{report:#}");
    assert_eq!(report["errors"], 0, "{report:#}");
    assert!(
        report["warnings"].as_u64().unwrap() > 0,
        "the basic fixture has a missing translation"
    );
}

#[test]
fn errors_exit_1() {
    let book = Book::fixture("invalid/no-front-matter");
    assert_eq!(check_json(&book).0, 1);
    assert_eq!(book.run(&["check"]).status.code(), Some(1));
    let out = book.run(&["build"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("nothing was written"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn unknown_flags_exit_2() {
    let book = Book::fixture("basic");
    for args in [
        &["check", "--bogus"][..],
        &["check", "--format", "xml"],
        &["check", ".", "extra-argument"],
        &["build", "--bogus"],
        &["no-such-command"],
    ] {
        let out = book.run(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
        assert!(
            stdout(&out).is_empty(),
            "{args:?} printed to stdout: {}",
            stdout(&out)
        );
    }
}

#[test]
fn check_on_a_missing_folder_exits_2() {
    let book = Book::fixture("basic");
    let out = book.run(&["check", "/no/such/dir"]);
    assert_eq!(
        out.status.code(),
        Some(2),
        "a missing ROOT is a usage error:\n{}{}",
        stdout(&out),
        stderr(&out)
    );
}

#[test]
fn build_on_a_missing_folder_exits_2() {
    let book = Book::fixture("basic");
    let out = book.run(&["build", "/no/such/dir"]);
    assert_eq!(
        out.status.code(),
        Some(2),
        "a missing ROOT is a usage error:\n{}",
        stderr(&out)
    );
}

#[test]
fn check_on_a_folder_without_book_toml_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    let out = rolebook()
        .args(["check"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(2),
        "no book.toml is a usage error:\n{}{}",
        stdout(&out),
        stderr(&out)
    );
    assert!(format!("{}{}", stdout(&out), stderr(&out)).contains("book.toml"));
}

#[test]
fn missing_content_folder_is_an_error() {
    let book = Book::fixture("basic");
    std::fs::remove_dir_all(book.root().join("content")).unwrap();
    let (code, report) = check_json(&book);
    assert_eq!(code, 1, "{report:#}");
    assert!(
        summary(&report)
            .iter()
            .any(|(_, c, f, _)| c == "content-missing" && f == "content"),
        "{report:#}"
    );
}

// ---------------------------------------------------------------------------
// All problems at once

#[test]
fn every_problem_is_reported_in_one_run_sorted_by_file_and_line() {
    let book = Book::fixture("several-problems");
    let (code, report) = check_json(&book);
    assert_eq!(code, 1);
    let expected = [
        ("error", "unknown-role", "content/en/manager.md", 4),
        ("warning", "unknown-anchor", "content/en/manager.md", 9),
        ("error", "unknown-role-link", "content/en/manager.md", 9),
        ("error", "unknown-field", "content/en/secretary.md", 4),
        ("warning", "empty-body", "content/zh/manager.md", 4),
        // No `missing-translation` for the secretary: its English page is
        // there but broken, and that error is already reported.
        ("warning", "dropped-emphasis", "content/zh/secretary.md", 7),
    ];
    let expected: Vec<(String, String, String, u64)> = expected
        .iter()
        .map(|(s, c, f, l)| (s.to_string(), c.to_string(), f.to_string(), *l))
        .collect();
    assert_eq!(summary(&report), expected, "{report:#}");
    assert_eq!(report["errors"], 3);
    assert_eq!(report["warnings"], 3);
    let order: Vec<(String, u64, u64)> = diagnostics(&report)
        .iter()
        .map(|d| {
            (
                text(d, "file").to_string(),
                d["line"].as_u64().unwrap(),
                d["column"].as_u64().unwrap(),
            )
        })
        .collect();
    let mut sorted = order.clone();
    sorted.sort();
    assert_eq!(order, sorted, "sorted by file, then line, then column");
}

#[test]
fn human_output_of_several_problems() {
    let book = Book::fixture("several-problems");
    let out = book.run(&["check"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(stderr(&out), "", "check reports on stdout");
    let text = stdout(&out);
    // Only paths relative to ROOT: nothing of the temporary folder.
    let temp = book.dir.path().to_string_lossy().into_owned();
    assert!(
        !text.contains(&temp),
        "the output shows the temporary folder {temp}:\n{text}"
    );
    assert!(
        !text.contains("/tmp") && !text.contains(&*std::env::temp_dir().to_string_lossy()),
        "{text}"
    );
    assert!(
        !text.contains('\u{1b}'),
        "no colour when stdout is not a terminal"
    );
    assert!(text.ends_with("3 errors, 3 warnings\n"), "{text}");
    insta::assert_snapshot!(book.redact(&text));
}

// ---------------------------------------------------------------------------
// Hostile layouts and pages

/// Runs `rolebook ARGS` in `dir`, killing it (and failing) after `limit`.
fn run_with_limit(dir: &Path, args: &[&str], limit: Duration) -> Output {
    let mut child = rolebook()
        .args(args)
        .current_dir(dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let start = Instant::now();
    loop {
        if child.try_wait().unwrap().is_some() {
            return child.wait_with_output().unwrap();
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            panic!(
                "`rolebook {}` did not finish within {limit:?}",
                args.join(" ")
            );
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn symlink_loop_under_content_is_a_warning_not_a_hang() {
    let book = Book::fixture("basic");
    let content = book.root().join("content");
    std::os::unix::fs::symlink(&content, content.join("en/loop")).unwrap();
    std::os::unix::fs::symlink("..", content.join("zh/up")).unwrap();
    let out = run_with_limit(
        &book.root(),
        &["check", "--format", "json"],
        Duration::from_secs(60),
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let loops: Vec<_> = summary(&report)
        .into_iter()
        .filter(|(_, c, _, _)| c == "symlink-loop")
        .collect();
    let files: Vec<&str> = loops.iter().map(|(_, _, f, _)| f.as_str()).collect();
    assert_eq!(files, ["content/en/loop", "content/zh/up"], "{report:#}");
    assert!(loops.iter().all(|(s, ..)| s == "warning"), "{report:#}");
    // Pages are not read twice through the loop.
    assert!(
        !summary(&report)
            .iter()
            .any(|(_, c, _, _)| c == "duplicate-id"),
        "{report:#}"
    );
    let out = run_with_limit(&book.root(), &["build"], Duration::from_secs(60));
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(book.out().join("en/lead.html").is_file());
}

#[test]
fn ten_megabyte_page_builds() {
    let book = Book::fixture("basic");
    let mut body = String::from("---\nid: big\ntitle: Big\nreports_to: lead\n---\n\n");
    let mut n = 0;
    while body.len() < 10 * 1024 * 1024 {
        // Repeated heading texts, CJK, emphasis, lists, tables and links of every kind.
        body.push_str(&format!(
            "## Duties\n\n### 职责 {n} {{#duty-{n}}}\n\n**注意**：第 {n} 段，*重要* 内容。Ask the [clerk](role:clerk) or see [above](#duty-{n}).\n\n\
             - item one with `code`\n- item 二 [lead](role:lead)\n\n| a | b |\n|---|---|\n| 1 | 二 |\n\n"
        ));
        n += 1;
    }
    body.push_str("## The end {#the-end}\n\nSee [the clerk's tasks](role:clerk#tasks).\n");
    book.write("content/en/big.md", &body);
    book.write(
        "content/zh/big.md",
        "---\nid: big\ntitle: 大\n---\n\n很长的页面。\n",
    );
    let out = run_with_limit(&book.root(), &["build"], Duration::from_secs(300));
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        !stderr(&out).contains("content/en/big.md"),
        "no problems in the big page:\n{}",
        stderr(&out)
    );
    let html = book.read_out("en/big.html");
    assert!(html.len() > 10 * 1024 * 1024, "{}", html.len());
    assert!(html.contains(r#"<h2 id="the-end">"#));
    assert!(html.contains(&format!(r#"<h3 id="duty-{}">"#, n - 1)));
    assert!(
        html.contains(&format!(r#"<h2 id="duties-{}">"#, n - 1)),
        "repeated headings get numbered ids"
    );
}

#[test]
fn bom_and_crlf_pages_read_like_any_other() {
    // tests/fixtures/basic/content/en/clerk.md starts with a BOM and uses CRLF.
    let book = Book::fixture("basic");
    let raw = std::fs::read(book.root().join("content/en/clerk.md")).unwrap();
    assert!(
        raw.starts_with("\u{feff}---\r\n".as_bytes()),
        "the fixture lost its BOM or CRLF"
    );
    let (code, report) = check_json(&book);
    assert_eq!(code, 0);
    let on_clerk: Vec<_> = summary(&report)
        .into_iter()
        .filter(|(_, _, f, _)| f == "content/en/clerk.md")
        .collect();
    assert!(on_clerk.is_empty(), "{on_clerk:?}");
    book.build();
    let html = book.read_out("en/clerk.html");
    assert!(html.contains(r#"<h2 id="tasks">"#), "{html}");
    assert!(
        !html.contains('\u{feff}') && !html.contains('\r'),
        "BOM or CR leaked into the page"
    );
}

// ---------------------------------------------------------------------------
// Never lose the last good site

/// SHA-256 over every path and file's bytes under `dir`, in sorted order.
fn hash_tree(dir: &Path) -> String {
    let mut hasher = Sha256::new();
    for (path, what) in tree(dir) {
        hasher.update(path.as_bytes());
        hasher.update([0]);
        hasher.update(what.as_bytes());
        hasher.update([0]);
    }
    format!("{:x}", hasher.finalize())
}

/// Files and folders next to the output folder that a build left behind.
fn leftovers(root: &Path) -> Vec<PathBuf> {
    std::fs::read_dir(root)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            let name = p.file_name().unwrap().to_string_lossy();
            name.contains("rolebook") || (name.starts_with('.') && name.contains("public"))
        })
        .collect()
}

#[test]
fn failed_builds_keep_the_last_good_site_and_good_builds_leave_no_stale_files() {
    let book = Book::fixture("basic");
    book.write(
        "content/en/temp.md",
        "---\nid: temp\ntitle: Temp\n---\n\nFor a while.\n",
    );
    book.write(
        "content/zh/temp.md",
        "---\nid: temp\ntitle: 临时\n---\n\n暂时的。\n",
    );
    book.build();
    assert!(book.out().join("en/temp.html").is_file());
    let good = hash_tree(&book.out());

    // A broken page: exit 1, the site untouched.
    let lead = std::fs::read_to_string(book.root().join("content/en/lead.md")).unwrap();
    book.write(
        "content/en/lead.md",
        &lead.replace("(role:helper)", "(role:nobody)"),
    );
    let out = book.run(&["build"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("error[unknown-role-link]"),
        "{}",
        stderr(&out)
    );
    assert_eq!(
        hash_tree(&book.out()),
        good,
        "a failed build changed the output"
    );
    assert_eq!(leftovers(&book.root()), Vec::<PathBuf>::new());
    book.write("content/en/lead.md", &lead);

    // A template that fails while the pages are being written: same.
    let toml = std::fs::read_to_string(book.root().join("book.toml")).unwrap();
    book.write(
        "book.toml",
        &format!("{toml}\n[build]\ntheme = \"broken\"\n"),
    );
    book.write(
        "themes/broken/templates/role.html",
        "{% extends \"base.html\" %}\n{% block main %}{{ role.no_such_field }}{% endblock main %}\n",
    );
    let out = book.run(&["build"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("error[template-render]"),
        "{}",
        stderr(&out)
    );
    assert_eq!(
        hash_tree(&book.out()),
        good,
        "a failed build changed the output"
    );
    assert_eq!(leftovers(&book.root()), Vec::<PathBuf>::new());
    book.write("book.toml", &toml);

    // Fixed, and a role deleted: its pages are gone, nothing else is left over.
    std::fs::remove_file(book.root().join("content/en/temp.md")).unwrap();
    std::fs::remove_file(book.root().join("content/zh/temp.md")).unwrap();
    book.build();
    for gone in ["en/temp.html", "zh/temp.html", "parallel/temp.html"] {
        assert!(!book.out().join(gone).exists(), "stale {gone}");
    }
    assert!(book.out().join("en/lead.html").is_file());
    assert!(
        !book.read_out("en/index.html").contains("temp.html"),
        "home still links the deleted role"
    );
    assert_eq!(
        leftovers(&book.root()),
        Vec::<PathBuf>::new(),
        "temporary folders beside the output"
    );
    assert_ne!(hash_tree(&book.out()), good);
}

// ---------------------------------------------------------------------------
// Safe output

/// A URL as a browser reads it: tabs and newlines removed, leading and
/// trailing control characters and spaces trimmed, lowercase.
fn as_browser_reads(url: &str) -> String {
    url.chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect::<String>()
        .trim_matches(|c: char| c <= ' ')
        .to_ascii_lowercase()
}

#[test]
fn script_urls_never_become_links() {
    let book = Book::fixture("basic");
    book.write(
        "content/en/x.md",
        "---\nid: x\ntitle: X\n---\n\n\
         [a](javascript:alert(1)) [b](JavaScript:alert(2)) [c](javascript&#58;alert(3))\n\n\
         [d](java&#9;script:alert(4)) [e](&#1;javascript:alert(5)) [f][r] <javascript:alert(6)>\n\n\
         [g](vbscript:msgbox(7)) [h](data:text/html,<b>8</b>) ![i](javascript:alert(9))\n\n\
         [r]: javascript:alert(10)\n",
    );
    let out = book.build();
    assert!(
        stderr(&out).contains("warning[unsafe-link]"),
        "{}",
        stderr(&out)
    );
    let html = book.read_out("en/x.html");
    for url in urls(&html) {
        let seen = as_browser_reads(&url);
        for scheme in ["javascript:", "vbscript:", "data:"] {
            assert!(!seen.starts_with(scheme), "{url:?} in the output:\n{html}");
        }
    }
}

#[test]
fn raw_html_is_escaped_when_not_allowed() {
    let book = Book::fixture("basic");
    let toml = std::fs::read_to_string(book.root().join("book.toml")).unwrap();
    book.write(
        "book.toml",
        &format!("{toml}\n[build]\nallow_html = false\n"),
    );
    book.write(
        "content/en/x.md",
        "---\nid: x\ntitle: X\n---\n\n<script>alert(1)</script>\n\nInline <img src=x onerror=alert(2)> and <b onclick=\"alert(3)\">bold</b>.\n",
    );
    book.build();
    let html = book.read_out("en/x.html");
    assert!(
        html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "{html}"
    );
    assert!(!html.contains("<script>alert"), "{html}");
    assert!(!html.contains("<img src=x"), "{html}");
    assert!(!html.contains("<b onclick"), "{html}");
}

// ------------------------------------------------ every code, a fixture --

/// Codes that no handbook on disk produces on demand, and where they are
/// covered instead.
pub(crate) const FAULTS: &[(&str, &str)] = &[
    (
        "read-failed",
        "a page the walk found but that cannot be read (a race, an I/O error); root reads any file",
    ),
    (
        "too-many-open-files",
        "regression::serve::serve_reports_too_many_open_files_not_a_missing_book_toml",
    ),
];

/// A handbook made here for a code whose fixture git cannot hold (a
/// symbolic link, a file name that is not UTF-8, a missing book.toml) or
/// that would be large (a 66-level org chart).
pub(crate) fn generated(code: &str) -> Option<Book> {
    let book = Book::fixture("basic");
    let root = book.root();
    let link = |target: &Path, at: &str| {
        #[cfg(unix)]
        std::os::unix::fs::symlink(target, root.join(at)).unwrap();
        #[cfg(not(unix))]
        let _ = (target, at);
    };
    match code {
        "symlink-loop" => link(&root.join("content"), "content/en/loop"),
        "walk-failed" => link(&root.join("nowhere"), "content/en/dangling.md"),
        "outside-handbook" => {
            std::fs::write(book.dir.path().join("secret.txt"), "key").unwrap();
            link(&book.dir.path().join("secret.txt"), "content/en/secret.txt");
        }
        "theme-unreadable" => {
            book.append("book.toml", "\n[build]\ntheme = \"corp\"\n");
            std::fs::create_dir_all(root.join("themes/corp/templates")).unwrap();
            link(&root.join("nowhere"), "themes/corp/templates/role.html");
        }
        "config-missing" => std::fs::remove_file(root.join("book.toml")).unwrap(),
        "config-unreadable" => {
            std::fs::remove_file(root.join("book.toml")).unwrap();
            std::fs::create_dir(root.join("book.toml")).unwrap();
        }
        #[cfg(target_os = "linux")]
        "asset-name" => {
            use std::os::unix::ffi::OsStrExt;
            let name = std::ffi::OsStr::from_bytes(b"caf\xe9.png");
            std::fs::write(root.join("content/en").join(name), "png").unwrap();
        }
        "org-chart-depth" => {
            for n in 1..=66 {
                let boss = format!(
                    "reports_to: {}\n",
                    if n == 1 {
                        "lead".into()
                    } else {
                        format!("r{}", n - 1)
                    }
                );
                book.write(
                    &format!("content/en/r{n}.md"),
                    &format!("---\nid: r{n}\ntitle: R{n}\n{boss}---\n\nText.\n"),
                );
                book.write(
                    &format!("content/zh/r{n}.md"),
                    &format!("---\nid: r{n}\ntitle: 岗{n}\n---\n\n正文。\n"),
                );
            }
        }
        _ => return None,
    }
    Some(book)
}

/// Every code the handbook in `book` is reported with: by `check` (through
/// the library, which also reports an unusable book.toml) and by `build`.
fn codes_of(book: &Book) -> Vec<String> {
    let diagnostics = match rolebook::check(&book.root()) {
        Ok(loaded) => loaded.diagnostics,
        Err(problems) => problems,
    };
    let mut codes: Vec<String> = diagnostics.iter().map(|d| d.code.to_string()).collect();
    let build = stderr(&book.run(&["build"]));
    codes.extend(
        rolebook::diagnostic::Code::ALL
            .iter()
            .filter(|c| build.contains(&format!("[{c}]")))
            .map(|c| c.to_string()),
    );
    codes
}

/// The code a fixture folder is for: the longest code its name starts with
/// (`unknown-role-related` is a case of `unknown-role`).
pub(crate) fn code_of_fixture(name: &str) -> Option<&'static str> {
    rolebook::diagnostic::Code::ALL
        .iter()
        .map(|c| c.as_str())
        .filter(|c| name == *c || name.starts_with(&format!("{c}-")))
        .max_by_key(|c| c.len())
}

/// What a fixture's own test adds to it before checking (bytes git would
/// normalise).
pub(crate) fn prepare(name: &str, book: &Book) {
    match name {
        "invalid-utf8" => {
            let bytes = b"---\nid: x\ntitle: X\n---\n\nCaf\xe9 au lait.\n";
            std::fs::write(book.root().join("content/en/x.md"), bytes).unwrap();
        }
        "output-folder" => {
            book.append("book.toml", "\n[build]\noutput = \"content/en\"\n");
        }
        _ => {}
    }
}

#[test]
fn every_code_has_a_fixture_and_every_fixture_a_code() {
    let dir = crate::support::repo().join("tests/fixtures/invalid");
    let mut covered: Vec<&str> = Vec::new();
    for entry in std::fs::read_dir(&dir).unwrap().flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let code = code_of_fixture(&name)
            .unwrap_or_else(|| panic!("fixture invalid/{name} is named after no diagnostic code"));
        let book = Book::fixture(&format!("invalid/{name}"));
        prepare(&name, &book);
        let codes = codes_of(&book);
        assert!(
            codes.iter().any(|c| c == code),
            "fixture invalid/{name} does not produce `{code}`: {codes:?}"
        );
        covered.push(code);
    }
    for code in rolebook::diagnostic::Code::ALL.iter().map(|c| c.as_str()) {
        if covered.contains(&code) {
            continue;
        }
        if let Some((_, why)) = FAULTS.iter().find(|(c, _)| *c == code) {
            assert!(!why.is_empty());
            continue;
        }
        let book = generated(code).unwrap_or_else(|| {
            panic!("code `{code}` has no fixture under tests/fixtures/invalid/{code}/, no generated one and is not a listed fault")
        });
        let codes = codes_of(&book);
        assert!(
            codes.iter().any(|c| c == code),
            "the generated handbook for `{code}` gives {codes:?}"
        );
    }
}

// ------------------------------------------- whole sites: real corpora --

/// `id="..."` values that `html` has more than once, outside code (where
/// `id="` is text that a reader sees, not an attribute).
fn repeated_ids(html: &str) -> Vec<String> {
    let mut outside_code = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(i) = rest.find("<code") {
        outside_code.push_str(&rest[..i]);
        rest = rest[i..].find("</code>").map_or("", |end| &rest[i + end..]);
    }
    outside_code.push_str(rest);
    let mut seen = std::collections::HashSet::new();
    let mut repeated: Vec<String> = outside_code
        .split(" id=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .filter(|id| !seen.insert(*id))
        .map(str::to_string)
        .collect();
    repeated.dedup();
    repeated
}

/// Builds ../shared/corpora/`name` and checks the site as a reader meets
/// it: every broken link or anchor in the output is one that `check`
/// reported (its URL, or for an anchor its id, is named by a warning), and
/// no page repeats an id. `None` when the corpus is not there.
fn whole_site(name: &str) -> Option<()> {
    let corpus = crate::support::repo().join("../shared/corpora").join(name);
    if !corpus.exists() {
        assert!(
            !crate::support::on_ci(),
            "{} is missing (on CI)",
            corpus.display()
        );
        eprintln!("skipped: {} not found", corpus.display());
        return None;
    }
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    let book = Book::copy_of(&corpus);
    let (_, report) = check_json(&book);
    let messages: Vec<&str> = diagnostics(&report)
        .iter()
        .map(|d| text(d, "message"))
        .collect();
    let out = book.run(&["build", "--out", site.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let clipped = |s: &str| s.chars().take(60).collect::<String>();
    let unreported: Vec<String> = crate::support::broken_links(&site)
        .into_iter()
        .filter(|problem| {
            let url = problem.split(": ").nth(1).unwrap_or("");
            let url = url.split(" (").next().unwrap_or(url);
            let named = match problem.split("(no id `").nth(1) {
                Some(rest) => {
                    let id = rest.trim_end_matches("` in target)");
                    // Side-by-side pages give each column's ids a prefix
                    // (`zh--`, item 5): the link is the column's own.
                    let id = match id.split_once("--") {
                        Some((_, unprefixed)) if crate::support::on_side_by_side(problem) => {
                            unprefixed
                        }
                        _ => id,
                    };
                    format!("id `{}", clipped(id))
                }
                None => format!("`{}", clipped(url)),
            };
            !messages.iter().any(|m| m.contains(&named))
        })
        .collect();
    assert_eq!(
        unreported,
        Vec::<String>::new(),
        "[{name}] broken in the site, not reported by check"
    );
    let mut repeats = Vec::new();
    for (path, _) in tree(&site) {
        // Side-by-side pages included: each column's ids carry a prefix (item 5).
        if !path.ends_with(".html") {
            continue;
        }
        let html = std::fs::read_to_string(site.join(&path)).unwrap();
        let mut repeated = repeated_ids(&html);
        // The author's own raw HTML repeats this one (`<audio id="antd-audio">`
        // and a React `<Audio id="antd-audio">` tag): it is in the source twice.
        repeated.retain(|id| {
            !(name == "antd-docs" && path.ends_with("/introduce.html") && id == "antd-audio")
        });
        if !repeated.is_empty() {
            repeats.push(format!("{path}: {repeated:?}"));
        }
    }
    assert_eq!(
        repeats,
        Vec::<String>::new(),
        "[{name}] pages that repeat an id"
    );
    Some(())
}

/// vue-docs (the Vue guide and API, en + zh): VitePress `{#id}` headings,
/// raw HTML images and links, `<script setup>` blocks.
#[test]
fn vue_docs_every_broken_link_is_reported_and_no_page_repeats_an_id() {
    whole_site("vue-docs");
}

/// antd-docs, with the same assertions (its build test in build.rs checks
/// the build's own warnings).
#[test]
fn antd_docs_every_broken_link_is_reported_and_no_page_repeats_an_id() {
    whole_site("antd-docs");
}
