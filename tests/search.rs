//! Runs the search tokeniser and ranking tests (tests/browser/search.test.mjs)
//! with node's built-in test runner; the browser side is in tests/e2e.rs.

use std::process::Command;

#[test]
fn search_tokeniser_and_ranking() {
    let repo = env!("CARGO_MANIFEST_DIR");
    let Ok(out) = Command::new("node")
        .args(["--test", "tests/browser/search.test.mjs"])
        .current_dir(repo)
        .output()
    else {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "node is missing (CI=true)"
        );
        eprintln!("skipped: install node to run the search tests");
        return;
    };
    let report = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{report}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        report.contains("# fail 0") && !report.contains("# pass 0"),
        "{report}"
    );
}
