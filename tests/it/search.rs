//! Runs the search tokeniser and ranking tests (tests/browser/search.test.mjs)
//! with node's built-in test runner; the browser side is in tests/it/e2e.rs.

use std::process::Command;

use crate::support::{on_ci, repo};

#[test]
fn search_tokeniser_and_ranking() {
    let Ok(out) = Command::new("node")
        .args(["--test", "tests/browser/search.test.mjs"])
        .current_dir(repo())
        .output()
    else {
        assert!(!on_ci(), "node is missing (on CI)");
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
