//! Handbook governance (issue 18): lifecycle fields in front matter, review
//! and effective dates judged against `--today`, "What's new", the manifest,
//! renamed roles' old addresses and generated role comparisons.

use crate::support::{self, stderr, stdout, with_code, Book};

/// The basic fixture with lifecycle fields on both roles.
fn governed() -> Book {
    let book = Book::fixture("basic");
    book.write(
        "content/en/clerk.md",
        "---\nid: clerk\ntitle: Clerk\nreports_to: lead\neffective: 2026-10-01\nversion: 2.1\nowner: HR office\nreview_by: 2026-12-31\nchange_note: Added the filing duties.\naliases: [office-clerk, typist]\n---\n\n## Tasks {#tasks}\n\nFiles the letters.\n\n## Tools {#tools}\n\nA stapler.\n",
    );
    book.write(
        "content/zh/clerk.md",
        "---\nid: clerk\ntitle: 文员\nchange_note: 增加了归档职责。\n---\n\n## 任务 {#tasks}\n\n归档信件。\n\n## 工具 {#tools}\n\n订书机。\n",
    );
    book.write(
        "content/en/lead.md",
        "---\nid: lead\ntitle: Lead\neffective: 2026-11-15\nversion: \"1.0\"\nowner: Board\n---\n\n## Tasks {#tasks}\n\nLeads the clerks.\n\n## Budget {#budget}\n\nSpends wisely.\n",
    );
    book.write(
        "content/zh/lead.md",
        "---\nid: lead\ntitle: 主管\n---\n\n## 任务 {#tasks}\n\n带领文员。\n\n## 预算 {#budget}\n\n精打细算。\n",
    );
    book
}

fn json(out: &std::process::Output) -> serde_json::Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", stdout(out)))
}

#[test]
fn lifecycle_facts_show_on_role_pages_in_each_languages_date_format() {
    let book = governed();
    let out = book.build();
    assert!(out.status.success(), "{}", stderr(&out));
    let en = book.read_out("en/clerk.html");
    assert!(
        en.contains(r#"<time class="effective" datetime="2026-10-01">2026-10-01</time>"#),
        "{en}"
    );
    assert!(en.contains(r#"<dd class="role-version">2.1</dd>"#), "{en}");
    assert!(
        en.contains(r#"<dd class="role-owner">HR office</dd>"#),
        "{en}"
    );
    // Written once, in the English page: it holds for the Chinese one too.
    let zh = book.read_out("zh/clerk.html");
    assert!(zh.contains(">2026年10月1日</time>"), "{zh}");
    assert!(zh.contains("<dt>负责人</dt>"), "{zh}");
    // The print books carry them too.
    let print = book.read_out("zh/print.html");
    assert!(print.contains(">2026年10月1日</time>"), "{print}");
}

#[test]
fn wrong_lifecycle_values_are_errors_at_their_place() {
    let book = Book::fixture("basic");
    book.write(
        "content/en/clerk.md",
        "---\nid: clerk\ntitle: Clerk\neffective: 1.10.2026\nreview_by: soon\nversion: [1, 2]\naliases: old-clerk\n---\n\nText.\n",
    );
    let out = book.run(&["check", "--format", "json"]);
    assert_eq!(out.status.code(), Some(1));
    let report = json(&out);
    let at = |line: u64| {
        report["diagnostics"].as_array().unwrap().iter().any(|d| {
            d["file"] == "content/en/clerk.md" && d["line"] == line && d["severity"] == "error"
        })
    };
    for line in [4, 5, 6, 7] {
        assert!(at(line), "no error on line {line}: {report:#}");
    }
    let text = stdout(&book.run(&["check"]));
    assert!(
        text.contains("`effective: 1.10.2026` is not a date"),
        "{text}"
    );
    assert!(text.contains("e.g. `review_by: 2026-11-28`"), "{text}");
}

#[test]
fn review_dates_and_effective_dates_are_judged_against_today() {
    let book = governed();
    // Before the review date: nothing due; the lead's text is not in force yet.
    let early = book.run(&["check", "--today", "2026-11-01", "--format", "json"]);
    let report = json(&early);
    assert!(with_code(&report, "review-due").is_empty(), "{report:#}");
    let future = with_code(&report, "effective-in-future");
    assert_eq!(future.len(), 1, "{report:#}");
    assert_eq!(future[0]["severity"], "info");
    assert_eq!(
        (future[0]["file"].as_str(), future[0]["line"].as_u64()),
        (Some("content/en/lead.md"), Some(4))
    );
    // An info is never counted and never fails the run (the one warning:
    // helper has no Chinese page).
    assert_eq!(report["warnings"], 1, "{report:#}");
    assert_eq!(early.status.code(), Some(0));
    let human = book.run(&["check", "--today", "2026-11-01"]);
    let text = stdout(&human);
    assert!(text.contains("info[effective-in-future]"), "{text}");
    assert!(text.ends_with("0 errors, 1 warning\n"), "{text}");

    // After it: due, at the `review_by` line; a warning, so still exit 0.
    let late = book.run(&["check", "--today", "2027-01-05", "--format", "json"]);
    let report = json(&late);
    let due = with_code(&report, "review-due");
    assert_eq!(due.len(), 1, "{report:#}");
    assert_eq!(
        (due[0]["line"].as_u64(), due[0]["column"].as_u64()),
        (Some(8), Some(12))
    );
    assert!(due[0]["message"]
        .as_str()
        .unwrap()
        .contains("owner: HR office"));
    assert_eq!(late.status.code(), Some(0));
    // ROLEBOOK_TODAY does the same as --today.
    let env = book
        .command(&["check", "--format", "json"])
        .env("ROLEBOOK_TODAY", "2027-01-05")
        .output()
        .unwrap();
    assert_eq!(with_code(&json(&env), "review-due").len(), 1);
    // A --today that is no date is a usage error.
    assert_eq!(
        book.run(&["check", "--today", "2027-13-01"]).status.code(),
        Some(2)
    );
}

#[test]
fn status_reviews_lists_roles_by_review_date_with_owners() {
    let book = governed();
    let out = book.run(&["status", "--reviews", "--today", "2027-01-05"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    let lines: Vec<&str> = text.lines().collect();
    assert!(
        lines[0].starts_with("2026-12-31  clerk")
            && lines[0].contains("HR office")
            && lines[0].ends_with("DUE"),
        "{text}"
    );
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("(no date)") && l.contains("lead")),
        "{text}"
    );
    assert!(
        text.ends_with("3 roles, 1 due for review as of 2027-01-05\n"),
        "{text}"
    );
    let report = json(&book.run(&["status", "--reviews", "--format", "json"]));
    assert_eq!(report["roles"][0]["id"], "clerk");
    assert_eq!(
        report["roles"][0]["due"],
        false,
        "today is {}",
        support::TODAY
    );
}

#[test]
fn whats_new_lists_roles_newest_first_with_their_notes() {
    let book = governed();
    book.build();
    let page = book.read_out("zh/changes.html");
    let lead = page.find(">主管<").expect("lead listed");
    let clerk = page.find(">文员<").expect("clerk listed");
    assert!(lead < clerk, "2026-11-15 before 2026-10-01: {page}");
    assert!(
        page.contains("增加了归档职责。"),
        "the Chinese note: {page}"
    );
    assert!(page.contains("2026年11月15日"), "{page}");
    assert!(page.contains("负责人：HR office"), "{page}");
    // Linked from the home page and the sidebar of every role page.
    assert!(book
        .read_out("zh/index.html")
        .contains(r#"href="changes.html""#));
    assert!(book
        .read_out("en/clerk.html")
        .contains(r#"class="changes-link" href="changes.html""#));
    // No effective date anywhere: the page says so and nothing links to it.
    let plain = Book::fixture("basic");
    plain.build();
    assert!(plain
        .read_out("en/changes.html")
        .contains("No role has an effective date yet."));
    assert!(!plain.read_out("en/index.html").contains("changes.html"));
}

#[test]
fn manifest_lists_every_page_written_in_its_own_language() {
    let book = governed();
    book.build();
    let manifest: serde_json::Value =
        serde_json::from_str(&book.read_out("manifest.json")).unwrap();
    let pages = manifest["pages"].as_array().unwrap();
    let listed: Vec<(&str, &str)> = pages
        .iter()
        .map(|p| (p["id"].as_str().unwrap(), p["lang"].as_str().unwrap()))
        .collect();
    // helper has no Chinese page: its fallback is not listed.
    for expected in [
        ("clerk", "en"),
        ("clerk", "zh"),
        ("lead", "en"),
        ("lead", "zh"),
        ("helper", "en"),
    ] {
        assert!(listed.contains(&expected), "{expected:?} in {listed:?}");
    }
    assert!(!listed.contains(&("helper", "zh")), "{listed:?}");
    let clerk = pages
        .iter()
        .find(|p| p["id"] == "clerk" && p["lang"] == "zh")
        .unwrap();
    assert_eq!(clerk["version"], "2.1");
    assert_eq!(clerk["effective"], "2026-10-01");
    assert_eq!(clerk["owner"], "HR office");
    assert_eq!(clerk["url"], "zh/clerk.html");
    assert_eq!(
        clerk["aliases"],
        serde_json::json!(["office-clerk", "typist"])
    );
    // The fingerprint is the one `mark-translated` records for an original.
    let en = pages
        .iter()
        .find(|p| p["id"] == "clerk" && p["lang"] == "en")
        .unwrap();
    assert!(book
        .run(&["mark-translated", "clerk", "zh"])
        .status
        .success());
    let zh_text = std::fs::read_to_string(book.root().join("content/zh/clerk.md")).unwrap();
    let fingerprint = en["fingerprint"].as_str().unwrap();
    assert_eq!(fingerprint.len(), 12);
    assert!(
        zh_text.contains(&format!("translated_from: {fingerprint}")),
        "{zh_text}"
    );
    // A material change is a new fingerprint.
    book.append("content/en/clerk.md", "Also answers the phone.\n");
    book.build();
    let after: serde_json::Value = serde_json::from_str(&book.read_out("manifest.json")).unwrap();
    let en_after = after["pages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"] == "clerk" && p["lang"] == "en")
        .unwrap()
        .clone();
    assert_ne!(en_after["fingerprint"], en["fingerprint"]);
    conforms_to_schema(&after);
}

/// The manifest has what `manifest.schema.json` requires, with its types.
fn conforms_to_schema(manifest: &serde_json::Value) {
    let schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(support::repo().join("src/render/manifest.schema.json")).unwrap(),
    )
    .unwrap();
    let check = |value: &serde_json::Value, schema: &serde_json::Value, at: &str| {
        for key in schema["required"].as_array().unwrap() {
            let key = key.as_str().unwrap();
            assert!(value.get(key).is_some(), "{at} lacks `{key}`: {value}");
        }
        for (key, spec) in schema["properties"].as_object().unwrap() {
            let Some(v) = value.get(key) else { continue };
            let types: Vec<&str> = match &spec["type"] {
                serde_json::Value::String(t) => vec![t.as_str()],
                serde_json::Value::Array(ts) => ts.iter().filter_map(|t| t.as_str()).collect(),
                _ => vec![],
            };
            let kind = match v {
                serde_json::Value::Null => "null",
                serde_json::Value::String(_) => "string",
                serde_json::Value::Array(_) => "array",
                serde_json::Value::Object(_) => "object",
                serde_json::Value::Number(_) => "number",
                serde_json::Value::Bool(_) => "boolean",
            };
            assert!(
                types.contains(&kind),
                "{at}.{key} is {kind}, the schema says {types:?}"
            );
        }
        if let Some(false) = schema["additionalProperties"].as_bool() {
            for key in value.as_object().unwrap().keys() {
                assert!(
                    schema["properties"].get(key).is_some(),
                    "{at}.{key} is not in the schema"
                );
            }
        }
    };
    check(manifest, &schema, "manifest");
    let page_schema = &schema["properties"]["pages"]["items"];
    for page in manifest["pages"].as_array().unwrap() {
        check(page, page_schema, "page");
    }
}

#[test]
fn renamed_roles_keep_their_old_addresses() {
    let book = governed();
    let out = book.build();
    assert!(out.status.success(), "{}", stderr(&out));
    for (old, new) in [
        ("en/office-clerk.html", "clerk.html"),
        ("zh/typist.html", "clerk.html"),
        ("parallel/office-clerk.html", "clerk.html"),
        ("zh/office-clerk.parallel.html", "clerk.parallel.html"),
    ] {
        let page = book.read_out(old);
        assert!(
            page.contains(&format!(
                r#"<meta http-equiv="refresh" content="0; url={new}">"#
            )) && page.contains(&format!(r#"location.replace("{new}" + location.hash)"#)),
            "{old}: {page}"
        );
    }
    // No broken link anywhere, the redirects included.
    assert_eq!(support::broken_links(&book.out()), Vec::<String>::new());
    // An alias that is a live role's id is an error at its place.
    book.write(
        "content/en/lead.md",
        "---\nid: lead\ntitle: Lead\naliases: [clerk]\n---\n\nLeads.\n",
    );
    let report = json(&book.run(&["check", "--format", "json"]));
    let taken = with_code(&report, "alias-taken");
    assert_eq!(taken.len(), 1, "{report:#}");
    assert_eq!(
        (taken[0]["line"].as_u64(), taken[0]["column"].as_u64()),
        (Some(4), Some(11))
    );
}

#[test]
fn a_comparison_page_lines_up_the_roles_it_compares() {
    let book = governed();
    book.write(
        "content/en/clerk-vs-lead.md",
        "---\nid: clerk-vs-lead\ntitle: Clerk vs Lead\ncompare: [clerk, lead]\n---\n\nHow they differ.\n",
    );
    book.write(
        "content/zh/clerk-vs-lead.md",
        "---\nid: clerk-vs-lead\ntitle: 文员与主管\n---\n\n两者的区别。\n",
    );
    let out = book.build();
    assert!(out.status.success(), "{}", stderr(&out));
    let zh = book.read_out("zh/clerk-vs-lead.html");
    let comparison = zh
        .split(r#"<section class="comparison""#)
        .nth(1)
        .expect("a comparison");
    // Facts in the reader's language.
    assert!(comparison.contains("<th scope=\"row\">生效日期</th><td><span lang=\"zh-CN\">2026年10月1日</span></td><td><span lang=\"zh-CN\">2026年11月15日</span></td>"), "{comparison}");
    // Rows: tasks beside tasks, then the lead's budget (after the lead's
    // tasks), then the clerk's tools, each beside an empty cell; ids kept
    // apart per role.
    let rows: Vec<&str> = comparison
        .split(r#"<div class="comparison-row">"#)
        .skip(1)
        .collect();
    assert_eq!(rows.len(), 3, "{comparison}");
    assert!(
        rows[0].contains(r#"id="clerk--tasks""#) && rows[0].contains(r#"id="lead--tasks""#),
        "{}",
        rows[0]
    );
    assert!(
        rows[1].contains(r#"id="lead--budget""#) && rows[1].contains("无此部分。"),
        "{}",
        rows[1]
    );
    assert!(
        rows[2].contains(r#"id="clerk--tools""#) && rows[2].contains("无此部分。"),
        "{}",
        rows[2]
    );
    assert!(
        rows[0].contains("归档信件。"),
        "the Chinese text of the clerk: {}",
        rows[0]
    );
    // Each compared role's page lists the comparison.
    assert!(book
        .read_out("en/clerk.html")
        .contains(r#"class="compared-in" href="clerk-vs-lead.html""#));
    // Unknown ids get a did-you-mean, like `related`.
    book.write(
        "content/en/clerk-vs-lead.md",
        "---\nid: clerk-vs-lead\ntitle: Clerk vs Lead\ncompare: [clerk, laed]\n---\n\nHow they differ.\n",
    );
    let report = json(&book.run(&["check", "--format", "json"]));
    let unknown = with_code(&report, "unknown-role");
    assert_eq!(unknown.len(), 1, "{report:#}");
    assert_eq!(unknown[0]["line"], 4);
    assert!(unknown[0]["hint"]
        .as_str()
        .unwrap()
        .contains("did you mean `lead`?"));
}

#[test]
fn a_shared_field_that_differs_points_at_its_own_line() {
    let book = governed();
    book.write(
        "content/zh/clerk.md",
        "---\nid: clerk\ntitle: 文员\nchange_note: 增加了归档职责。\nversion: 2.2\n---\n\n## 任务 {#tasks}\n\n归档信件。\n",
    );
    let report = json(&book.run(&["check", "--format", "json"]));
    let differs = with_code(&report, "shared-field-differs");
    assert_eq!(differs.len(), 1, "{report:#}");
    assert_eq!(differs[0]["file"], "content/zh/clerk.md");
    assert_eq!(
        (differs[0]["line"].as_u64(), differs[0]["column"].as_u64()),
        (Some(5), Some(10))
    );
}
