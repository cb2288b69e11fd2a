//! Search: the tokeniser, ranking and snippet tests of search.js and the
//! proof that the index finds what a plain scan of the text finds
//! (tests/browser/search.test.mjs, node's test runner), on the sample
//! handbook (a one-file index) and a generated one large enough to shard
//! (tests/browser/search_corpus.mjs); and the sharded index in a browser
//! from file:// (search_sharded.mjs). The sample handbook's search in a
//! browser is in tests/it/e2e.rs.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

use crate::support::{listening_address, on_ci, repo, rolebook};

/// Roles in the generated handbook: enough for a sharded index (several
/// term parts), built in a few seconds.
const ROLES: &str = "400";

/// Whether node runs; on CI it must.
fn node_ok() -> bool {
    let ok = Command::new("node").arg("--version").output().is_ok();
    assert!(ok || !on_ci(), "node is missing (on CI)");
    if !ok {
        eprintln!("skipped: install node to run the search tests");
    }
    ok
}

fn build(book: &Path, site: &Path) {
    let out = rolebook()
        .arg("build")
        .arg(book)
        .arg("--out")
        .arg(site)
        .output()
        .expect("run rolebook");
    assert!(out.status.success(), "{}", report(&out));
}

fn report(out: &Output) -> String {
    format!(
        "{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// The sample handbook's site and the generated handbook's site, built once
/// for all tests of this file (the folder lives as long as the tests).
fn sites() -> &'static (PathBuf, PathBuf) {
    &generated().1
}

/// The generated handbook's folder, and the sites of [`sites`].
fn generated() -> &'static (PathBuf, (PathBuf, PathBuf)) {
    static SITES: OnceLock<(PathBuf, (PathBuf, PathBuf))> = OnceLock::new();
    SITES.get_or_init(|| {
        let dir = tempfile::tempdir().expect("temp dir").keep();
        let sample = dir.join("sample");
        build(&repo(), &sample);
        let book = dir.join("generated");
        let out = Command::new("node")
            .arg("tests/browser/search_corpus.mjs")
            .arg(&book)
            .arg(ROLES)
            .current_dir(repo())
            .output()
            .expect("run search_corpus.mjs");
        assert!(out.status.success(), "{}", report(&out));
        let generated = dir.join("generated-site");
        build(&book, &generated);
        (book, (sample, generated))
    })
}

#[test]
fn search_tokeniser_ranking_snippets_and_index_against_a_plain_scan() {
    if !node_ok() {
        return;
    }
    let (sample, generated) = sites();
    // The sample's index is one file, the generated one's is sharded.
    assert!(!sample.join("static/search").exists());
    let term_parts = std::fs::read_dir(generated.join("static/search"))
        .expect("static/search/ of the generated handbook")
        .filter(|e| {
            e.as_ref()
                .is_ok_and(|e| e.file_name().to_string_lossy().starts_with('t'))
        })
        .count();
    assert!(term_parts >= 3, "only {term_parts} term parts");
    let sites = std::env::join_paths([sample, generated]).expect("join site paths");
    let out = Command::new("node")
        .args(["--test", "tests/browser/search.test.mjs"])
        .env("ROLEBOOK_SEARCH_SITES", sites)
        .env("ROLEBOOK_SEARCH_REQUIRE_SITES", "1")
        .current_dir(repo())
        .output()
        .expect("run node --test");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{}", report(&out));
    assert!(
        text.contains("# fail 0") && !text.contains("# pass 0") && !text.contains("# skipped 1"),
        "{text}"
    );
}

#[test]
fn search_with_a_sharded_index_in_a_browser() {
    let chromium = Path::new("/usr/bin/chromium");
    let playwright = repo().join("tests/browser/node_modules/playwright-core");
    if !chromium.is_file() || !playwright.is_dir() || !node_ok() {
        assert!(
            !on_ci(),
            "chromium or tests/browser/node_modules is missing (on CI)"
        );
        eprintln!("skipped: needs /usr/bin/chromium and npm ci --prefix tests/browser");
        return;
    }
    let (_, generated) = sites();
    let url = format!("file://{}/", generated.display());
    let out = Command::new("node")
        .arg("tests/browser/search_sharded.mjs")
        .arg(&url)
        .current_dir(repo())
        .output()
        .expect("run search_sharded.mjs");
    let text = report(&out);
    println!("{text}");
    assert!(out.status.success() && text.contains("OK:"), "{text}");
}

/// `serve` renders the parts of a sharded index as the build writes them.
#[test]
fn serve_answers_with_the_parts_of_a_sharded_index() {
    if !node_ok() {
        return;
    }
    let (book, (_, site)) = generated();
    let mut child = rolebook()
        .args(["serve", "--port", "0"])
        .arg(book)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("start rolebook serve");
    let addr = listening_address(&mut child);
    let get = |path: &str| -> (bool, Vec<u8>) {
        use std::io::{Read, Write};
        let mut stream = std::net::TcpStream::connect(&addr).expect("connect");
        write!(
            stream,
            "GET /{path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
        )
        .expect("send");
        let mut response = Vec::new();
        stream.read_to_end(&mut response).expect("read");
        let end = response
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .map_or(0, |i| i + 4);
        (
            response.starts_with(b"HTTP/1.1 200"),
            response[end..].to_vec(),
        )
    };
    for path in [
        "static/search-index.js",
        "static/search/t0.js",
        "static/search/t2.js",
        "static/search/d7.js",
    ] {
        let (ok, body) = get(path);
        let built = std::fs::read(site.join(path)).expect("built part");
        assert!(
            ok && body == built,
            "{path}: served {} bytes, built {}",
            body.len(),
            built.len()
        );
    }
    assert!(
        !get("static/search/d99999.js").0,
        "a role part beyond the roles"
    );
    let _ = child.kill();
    let _ = child.wait();
}
