//! Regression tests: the handbook stage and the diagnostics report (issue 20,
//! items 4, 9 and 11). Each runs the real binary on a small handbook. How much
//! work printing and the `reports_to` checks do is counted by unit tests in
//! src/diagnostic.rs and src/handbook.rs; the timings are in benches/linear.py.

use serde_json::Value;

use crate::support::{stderr, stdout, with_code, Book};

/// `rolebook check --format json`: the exit code and the parsed report.
fn check_json(book: &Book) -> (i32, Value) {
    let out = book.run(&["check", "--format", "json"]);
    let report: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!("no JSON ({e}):\n{}\n{}", stdout(&out), stderr(&out));
    });
    for d in report["diagnostics"].as_array().unwrap() {
        assert!(
            d["line"].as_u64() >= Some(1)
                && d["column"].as_u64() >= Some(1)
                && d["hint"].is_string(),
            "every diagnostic has a place and a hint: {d}"
        );
    }
    (out.status.code().expect("killed by a signal"), report)
}

/// A page `x` whose one line of text holds `n` links to missing files.
fn broken_links_on_one_line(n: usize) -> Book {
    let book = Book::fixture("basic");
    let line: Vec<String> = (0..n).map(|i| format!("[f{i}](missing/{i}.pdf)")).collect();
    book.write(
        "content/en/x.md",
        &format!("---\nid: x\ntitle: X\n---\n\n{}\n", line.join(" ")),
    );
    book
}

/// Item 4: every one of 20,000 broken links on one line was printed with the
/// whole line (48 s). The human report stops at 50 per file and code and says
/// how many more there are; JSON, the counts and the exit code keep all.
#[test]
fn many_broken_links_on_one_line_print_50_then_a_count() {
    let book = broken_links_on_one_line(120);
    let out = book.run(&["check"]);
    let text = stdout(&out);
    let shown = text.matches("warning[broken-link]").count();
    assert_eq!(shown, 50, "{text}");
    assert!(
        text.contains("and 70 more `broken-link` in content/en/x.md"),
        "{text}"
    );
    assert!(
        text.contains("--format json"),
        "says how to see all: {text}"
    );
    assert_eq!(out.status.code(), Some(0), "{text}");
    for line in text.lines() {
        assert!(line.chars().count() <= 160, "long line not clipped: {line}");
    }
    let (code, report) = check_json(&book);
    assert_eq!(code, 0);
    assert_eq!(with_code(&report, "broken-link").len(), 120);
    // The count covers the hidden ones (and the fixture's other warnings).
    let warnings = report["warnings"].as_u64().unwrap();
    assert!(warnings >= 120, "{warnings}");
    assert!(
        text.ends_with(&format!("0 errors, {warnings} warnings\n")),
        "{text}"
    );
}

/// Item 4: the cap is per file and code, and errors count in the exit status
/// even when they are not shown.
#[test]
fn hidden_errors_still_fail_the_check() {
    let book = broken_links_on_one_line(0);
    let links = vec!["[boss](role:nobody)"; 60].join(" ");
    book.write(
        "content/en/x.md",
        &format!("---\nid: x\ntitle: X\n---\n\n{links}\n"),
    );
    let out = book.run(&["check"]);
    let text = stdout(&out);
    assert_eq!(
        text.matches("error[unknown-role-link]").count(),
        50,
        "{text}"
    );
    assert!(
        text.contains("and 10 more `unknown-role-link` in content/en/x.md"),
        "{text}"
    );
    assert!(text.contains("60 errors"), "{text}");
    assert_eq!(out.status.code(), Some(1), "{text}");
}

/// Item 9: each page's breadcrumbs listed its whole `reports_to` chain, so a
/// chain of N roles wrote N^2 links (and the chain walk was cubic). The
/// breadcrumbs now stop at `handbook::CHAIN_LIMIT` bosses.
#[test]
fn breadcrumbs_of_a_deep_reports_to_chain_are_bounded() {
    let book = Book::fixture("invalid/reserved-id");
    // One language, so that the chain is the only thing on the pages.
    book.write(
        "book.toml",
        "[book]\ndefault_language = \"en\"\n\n[languages.en]\nname = \"English\"\ntitle = \"H\"\n",
    );
    book.write(
        "content/en/index.md",
        "---\nid: r0\ntitle: R0\n---\n\nTop.\n",
    );
    let depth = rolebook::handbook::CHAIN_LIMIT + 20;
    for i in 1..=depth {
        book.write(
            &format!("content/en/r{i}.md"),
            &format!(
                "---\nid: r{i}\ntitle: R{i}\nreports_to: r{}\n---\n\nWorks.\n",
                i - 1
            ),
        );
    }
    book.build();
    let page = book.read_out(&format!("en/r{depth}.html"));
    let nav = page
        .split("class=\"breadcrumbs\"")
        .nth(1)
        .and_then(|rest| rest.split("</nav>").next())
        .expect("the role page has breadcrumbs");
    let links = nav.matches("<a ").count();
    // The limit's bosses, plus the link to the home page.
    assert!(
        links <= rolebook::handbook::CHAIN_LIMIT + 1,
        "{links} links in {nav}"
    );
    assert!(
        nav.contains(&format!("r{}.html", depth - 1)),
        "nearest boss shown: {nav}"
    );
}

/// Item 9: a cycle at the end of a long chain is still found, once.
#[test]
fn cycle_below_a_long_reports_to_chain_is_reported_once() {
    let book = Book::fixture("invalid/reports-to-cycle");
    for i in 0..300 {
        let boss = if i == 0 {
            "a".to_string()
        } else {
            format!("r{}", i - 1)
        };
        book.write(
            &format!("content/en/r{i}.md"),
            &format!("---\nid: r{i}\ntitle: R{i}\nreports_to: {boss}\n---\n\nWorks.\n"),
        );
    }
    let (code, report) = check_json(&book);
    assert_eq!(code, 1);
    let cycles = with_code(&report, "reports-to-cycle");
    assert_eq!(cycles.len(), 1, "{cycles:#?}");
    assert!(
        cycles[0]["message"]
            .as_str()
            .unwrap()
            .contains("a -> b -> c -> a"),
        "{}",
        cycles[0]
    );
    assert_eq!(cycles[0]["file"], "content/en/a.md");
}

/// Item 11: a role with id `index` overwrote en/index.html in `build` (and
/// `serve` showed the home page instead). Every reserved id is refused at its
/// `id:` line, with the list of reserved ids and a free id to use instead.
#[test]
fn role_id_equal_to_a_generated_page_is_refused() {
    let book = Book::fixture("invalid/reserved-id");
    let (code, report) = check_json(&book);
    assert_eq!(code, 1, "{report:#}");
    let found = with_code(&report, "reserved-id");
    assert_eq!(found.len(), 1, "{report:#}");
    let d = found[0];
    assert_eq!(d["file"], "content/en/index.md");
    // At the `id:` line (the page does not record the column of the value).
    assert_eq!(d["line"].as_u64(), Some(2));
    let said = format!("{} {}", d["message"], d["hint"]);
    for id in rolebook::handbook::RESERVED_IDS {
        assert!(said.contains(&format!("`{id}`")), "{id} not listed: {said}");
    }
    assert!(said.contains("`index-role`"), "{said}");
    let errors: Vec<_> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["severity"] == "error" && d["code"] != "reserved-id")
        .collect();
    assert!(
        errors.is_empty(),
        "only the reserved id is wrong: {errors:#?}"
    );
    let out = book.run(&["build"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(!book.out().exists(), "nothing was written");
}

#[test]
fn every_reserved_id_is_refused() {
    for id in rolebook::handbook::RESERVED_IDS {
        let book = Book::fixture("invalid/reserved-id");
        book.write(
            "content/en/index.md",
            &format!("---\nid: \"{id}\"\ntitle: T\n---\n\nText.\n"),
        );
        let (code, report) = check_json(&book);
        let found = with_code(&report, "reserved-id");
        assert_eq!((code, found.len()), (1, 1), "{id}: {report:#}");
        assert!(
            found[0]["hint"]
                .as_str()
                .unwrap()
                .contains(&format!("`{id}-role`")),
            "{id}: {}",
            found[0]
        );
    }
}
