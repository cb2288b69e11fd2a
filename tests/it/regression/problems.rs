//! Regression tests: every problem of a page reported at once, and problems
//! that drowned the others (issue 14, items 6 and 10). Each runs the real
//! binary on a fixture under tests/fixtures/regression/content-problems-*/.

use serde_json::Value;

use crate::support::{stderr, stdout, with_code, Book};

/// `rolebook check --format json`: the exit code and the parsed report.
fn check_json(book: &Book) -> (i32, Value) {
    let out = book.run(&["check", "--format", "json"]);
    let report: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!("no JSON ({e}):\n{}\n{}", stdout(&out), stderr(&out));
    });
    (out.status.code().expect("killed by a signal"), report)
}

/// `(code, file, line, column)` of every diagnostic with `code`.
fn places(report: &Value, code: &str) -> Vec<(String, u64, u64)> {
    report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == code)
        .map(|d| {
            (
                d["file"].as_str().unwrap_or("").to_string(),
                d["line"].as_u64().unwrap_or(0),
                d["column"].as_u64().unwrap_or(0),
            )
        })
        .collect()
}

fn place(file: &str, line: u64, column: u64) -> (String, u64, u64) {
    (file.to_string(), line, column)
}

const X: &str = "content/en/x.md";

/// Item 6: `weight:`, `reviewers:` and `date:` with no `id` reported only
/// `weight`. Every unknown field is reported on its own line, with the
/// known fields, and the missing `id` too.
#[test]
fn every_unknown_field_and_the_missing_id_are_reported() {
    let book = Book::fixture("regression/content-problems-front-matter");
    let (code, report) = check_json(&book);
    assert_eq!(code, 1);
    assert_eq!(
        places(&report, "unknown-field"),
        [place(X, 3, 1), place(X, 4, 1), place(X, 5, 1)],
        "{report:#}"
    );
    let fields: Vec<&str> = with_code(&report, "unknown-field")
        .iter()
        .map(|d| d["message"].as_str().unwrap())
        .collect();
    for (message, field) in fields.iter().zip(["weight", "reviewers", "date"]) {
        assert!(message.contains(&format!("`{field}`")), "{message}");
    }
    for d in with_code(&report, "unknown-field") {
        assert!(d["hint"].as_str().unwrap().contains("reports_to"), "{d}");
    }
    let missing_id: Vec<_> = places(&report, "missing-id")
        .into_iter()
        .filter(|(file, ..)| file == X)
        .collect();
    assert_eq!(missing_id, [place(X, 2, 1)], "{report:#}");
}

/// Item 6: an unknown field hid a broken `role:` link in the body (the body
/// was not rendered when the front matter failed). The page is still left
/// out of the handbook, but its body's problems are reported.
#[test]
fn a_broken_role_link_in_a_page_with_bad_front_matter_is_reported() {
    let book = Book::fixture("regression/content-problems-front-matter");
    let (_, report) = check_json(&book);
    assert_eq!(
        places(&report, "unknown-role-link"),
        [place(X, 8, 39)],
        "{report:#}"
    );
    let out = book.run(&["build"]);
    assert_eq!(out.status.code(), Some(1), "errors: no build");
    let text = format!("{}{}", stdout(&out), stderr(&out));
    assert!(text.contains("error[unknown-role-link]"), "{text}");
}

/// Item 6: `_index.md` with no `id` was told to "add a line `id: _index`",
/// an id rolebook rejects. The proposed id must be valid and not reserved.
#[test]
fn the_id_proposed_for_index_md_is_one_rolebook_accepts() {
    let book = Book::fixture("regression/content-problems-front-matter");
    let (_, report) = check_json(&book);
    let file = "content/en/team/_index.md";
    assert_eq!(
        places(&report, "missing-id")
            .into_iter()
            .filter(|(f, ..)| f == file)
            .collect::<Vec<_>>(),
        [place(file, 2, 1)],
        "{report:#}"
    );
    let d = with_code(&report, "missing-id")
        .into_iter()
        .find(|d| d["file"] == file)
        .unwrap();
    let hint = d["hint"].as_str().unwrap();
    let proposed = hint
        .split("`id: ")
        .nth(1)
        .and_then(|rest| rest.split('`').next())
        .unwrap_or_else(|| panic!("no `id: ...` in {hint:?}"));
    assert_eq!(proposed, "team", "{hint}");
    assert!(rolebook::id::RoleId::parse(proposed).is_some(), "{hint}");
    assert!(
        !rolebook::handbook::RESERVED_IDS.contains(&proposed),
        "{hint}"
    );
}

const SUMMARY: &str = "regression/content-problems-translation-summary";

/// Item 10: "summary" gives one `missing-translation` per language, with the
/// count, on the setting's line of book.toml, pointing at `rolebook status`.
#[test]
fn missing_translation_summary_is_one_warning_per_language() {
    let book = Book::fixture(SUMMARY);
    let (code, report) = check_json(&book);
    assert_eq!(code, 0, "{report:#}");
    assert_eq!(
        places(&report, "missing-translation"),
        [place("book.toml", 17, 1)],
        "{report:#}"
    );
    let d = with_code(&report, "missing-translation")[0];
    assert_eq!(d["severity"], "warning");
    assert_eq!(
        d["message"].as_str().unwrap(),
        "3 roles have no page in `zh` (中文)"
    );
    assert!(
        d["hint"].as_str().unwrap().contains("rolebook status"),
        "{d}"
    );
}

/// Item 10: "warn" (the default) keeps one warning per role; "off" none.
#[test]
fn missing_translation_warn_and_off() {
    let book = Book::fixture(SUMMARY);
    let toml = std::fs::read_to_string(book.root().join("book.toml")).unwrap();
    book.write("book.toml", &toml.replace("\"summary\"", "\"warn\""));
    let (_, report) = check_json(&book);
    let files: Vec<String> = places(&report, "missing-translation")
        .into_iter()
        .map(|(file, ..)| file)
        .collect();
    assert_eq!(
        files,
        ["content/en/b.md", "content/en/c.md", "content/en/d.md"]
    );
    book.write("book.toml", &toml.replace("\"summary\"", "\"off\""));
    let (code, report) = check_json(&book);
    assert_eq!(code, 0);
    assert_eq!(places(&report, "missing-translation"), []);
}

/// Item 10: an unknown value is an error on its line and column, listing the
/// known values.
#[test]
fn missing_translation_unknown_value_is_an_error() {
    let book = Book::fixture(SUMMARY);
    let toml = std::fs::read_to_string(book.root().join("book.toml")).unwrap();
    book.write("book.toml", &toml.replace("\"summary\"", "\"sumary\""));
    let (code, report) = check_json(&book);
    assert_eq!(code, 1, "{report:#}");
    assert_eq!(
        places(&report, "config-invalid"),
        [place("book.toml", 17, 23)],
        "{report:#}"
    );
    let d = with_code(&report, "config-invalid")[0];
    let text = format!("{} {}", d["message"], d["hint"]);
    for value in ["`warn`", "`summary`", "`off`"] {
        assert!(text.contains(value), "{text}");
    }
}
