//! End-to-end browser tests.
//!
//! Builds the repository's sample handbook with the real `rolebook` binary and
//! walks it in headless Chromium (`tests/browser/walk.mjs`, playwright-core):
//!
//! * `published_under_subpath_with_nginx`: served by nginx under `/handbook/`;
//! * `opened_from_disk_over_file_urls`: opened straight from disk (`file://`);
//! * `walk_reports_a_broken_cross_link`: a copy with one cross-link broken
//!   must make the walk fail and name the link.
//!
//! Focused checks, each a script under `tests/browser/` run by [`run_node`]:
//!
//! * `live_preview_reloads_and_keeps_the_scroll_position` (`preview.mjs`):
//!   `rolebook serve` on a copy of the sample handbook; saving the page's
//!   Markdown reloads the open page by itself, at the same scroll position;
//! * `side_by_side_rows_line_up_stack_and_swap`,
//!   `language_switch_keeps_the_section`,
//!   `missing_translation_falls_back_with_a_notice` (`views.mjs`);
//! * `search_finds_roles_in_both_languages_offline` (`search.mjs`).
//!
//! Regression checks of issue 20 (`regression.mjs`, fixtures under
//! `tests/fixtures/regression/browser-*/`), named after what broke:
//!
//! * `regression_heading_attributes_run_no_script_without_html` and
//!   `..._with_html`: event handlers written in a heading's attribute block
//!   never reach the page or run (focus, hover, click);
//! * `regression_no_results_words_are_text_not_html`: `ui.no_results` is
//!   shown by the search box as text;
//! * `regression_language_switch_keeps_prototype_named_sections`: sections
//!   `#constructor`, `#toString` and `#__proto__` survive the language switch.
//!
//! Needs `/usr/bin/chromium`, `/usr/sbin/nginx` (first test only), `node` and
//! `tests/browser/node_modules/playwright-core`
//! (`npm ci --prefix tests/browser`).  Without them the tests are skipped,
//! except on CI (`CI` set to any non-empty value), where they fail.  Screenshots go to
//! `target/screenshots/` (nginx), `target/screenshots/file/` (file://) and
//! `target/screenshots/regression/`.

use std::ffi::OsStr;
use std::fs;
use std::io::{BufRead, BufReader, Read};
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::{Mutex, MutexGuard};
use std::thread::sleep;
use std::time::{Duration, Instant};

use crate::support::{copy_dir, on_ci, repo, rolebook};

const CHROMIUM: &str = "/usr/bin/chromium";
const NGINX: &str = "/usr/sbin/nginx";
const NGINX_MIME_TYPES: &str = "/etc/nginx/mime.types";
const SUBPATH: &str = "/handbook/";
const WALK_TIMEOUT: Duration = Duration::from_secs(300);
/// For the focused scripts (preview, views, search): each has its own
/// 60 s watchdog and normally takes well under 30 s.
const SCRIPT_TIMEOUT: Duration = Duration::from_secs(120);
const SKIP_MESSAGE: &str = "skipped: install chromium and nginx (see README: browser tests)";

/// One Chromium at a time: the walks are heavy and the CI machine is small.
static BROWSER: Mutex<()> = Mutex::new(());

/// `<target>/screenshots/<sub>`; `CARGO_TARGET_TMPDIR` is `<target>/tmp`.
fn screenshot_dir(sub: &str) -> PathBuf {
    let target = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| repo().join("target"));
    target.join("screenshots").join(sub)
}

/// True if the browser tests can run.  Otherwise: panics on CI, or prints the
/// skip notice and returns false.
fn prerequisites(need_nginx: bool) -> bool {
    let mut missing = Vec::new();
    if !Path::new(CHROMIUM).is_file() {
        missing.push(format!("{CHROMIUM} (apt-get install chromium)"));
    }
    if need_nginx && !Path::new(NGINX).is_file() {
        missing.push(format!("{NGINX} (apt-get install nginx)"));
    }
    let node_ok = Command::new("node")
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .map(|s| s.success())
        .unwrap_or(false);
    if !node_ok {
        missing.push("node on PATH (apt-get install nodejs npm)".to_string());
    }
    let playwright = repo().join("tests/browser/node_modules/playwright-core");
    if !playwright.is_dir() {
        missing.push(format!(
            "{} (npm ci --prefix tests/browser)",
            playwright.display()
        ));
    }
    if missing.is_empty() {
        return true;
    }
    if on_ci() {
        panic!(
            "browser tests cannot run on CI (CI is set), missing:\n  {}\n\
             .ci/run installs them: apt-get install -y chromium nginx fonts-wqy-microhei; \
             npm ci --prefix tests/browser",
            missing.join("\n  ")
        );
    }
    println!("{SKIP_MESSAGE}");
    eprintln!("{SKIP_MESSAGE}; missing:\n  {}", missing.join("\n  "));
    false
}

fn lock_browser() -> MutexGuard<'static, ()> {
    BROWSER
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// `rolebook build <repo root> --out <dir>/site`; returns the site folder.
fn build_site(dir: &Path) -> PathBuf {
    let site = dir.join("site");
    build_handbook(&repo(), &site);
    site
}

/// `rolebook build <root> --out <site>`; panics unless it succeeds.
fn build_handbook(root: &Path, site: &Path) {
    let out = rolebook()
        .arg("build")
        .arg(root)
        .arg("--out")
        .arg(site)
        .output()
        .expect("run rolebook");
    assert!(
        out.status.success(),
        "rolebook build {} failed ({})\n--- stdout\n{}\n--- stderr\n{}",
        root.display(),
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        site.join("index.html").is_file(),
        "rolebook build wrote no index.html into {}",
        site.display()
    );
}

struct NodeOutput {
    script: String,
    status: ExitStatus,
    stdout: String,
    stderr: String,
}

impl NodeOutput {
    fn report(&self) -> String {
        format!(
            "{script} exited with {}\n--- {script} stdout\n{}\n--- {script} stderr\n{}",
            self.status,
            self.stdout,
            self.stderr,
            script = self.script
        )
    }

    /// Panics with the whole output unless the script exited with 0.
    fn assert_success(&self, what: &str) {
        assert!(self.status.success(), "{what} failed\n{}", self.report());
        println!("{}", self.stdout);
    }
}

/// `node tests/browser/<script> <args>...` from the repo root, one browser
/// at a time, killed after `timeout`.  Output goes through files so that a
/// hung script can be killed.
fn run_node<S: AsRef<OsStr>>(script: &str, args: &[S], timeout: Duration) -> NodeOutput {
    let one_browser = lock_browser();
    run_node_locked(&one_browser, script, args, timeout)
}

/// [`run_node`] for a caller that already holds the browser lock (to start
/// what the script needs only once it is its turn).
fn run_node_locked<S: AsRef<OsStr>>(
    _one_browser: &MutexGuard<'static, ()>,
    script: &str,
    args: &[S],
    timeout: Duration,
) -> NodeOutput {
    let logs = tempfile::tempdir().expect("temp dir");
    let out_path = logs.path().join("stdout");
    let err_path = logs.path().join("stderr");
    let mut child = Command::new("node")
        .arg(format!("tests/browser/{script}"))
        .args(args)
        .current_dir(repo())
        .stdin(Stdio::null())
        .stdout(fs::File::create(&out_path).expect("create stdout log"))
        .stderr(fs::File::create(&err_path).expect("create stderr log"))
        .spawn()
        .unwrap_or_else(|e| panic!("run node tests/browser/{script}: {e}"));
    let deadline = Instant::now() + timeout;
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait for node") {
            break status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let status = child.wait().expect("wait for node");
            panic!(
                "{script} did not finish within {timeout:?} (killed, {status})\n--- {script} stdout\n{}\n--- {script} stderr\n{}",
                read_lossy(&out_path),
                read_lossy(&err_path)
            );
        }
        sleep(Duration::from_millis(100));
    };
    NodeOutput {
        script: script.to_string(),
        status,
        stdout: read_lossy(&out_path),
        stderr: read_lossy(&err_path),
    }
}

/// `node tests/browser/walk.mjs <start> <screenshots>`.
fn walk(start: &str, screenshots: &Path) -> NodeOutput {
    run_node(
        "walk.mjs",
        &[OsStr::new(start), screenshots.as_os_str()],
        WALK_TIMEOUT,
    )
}

fn read_lossy(path: &Path) -> String {
    let mut bytes = Vec::new();
    if let Ok(mut f) = fs::File::open(path) {
        let _ = f.read_to_end(&mut bytes);
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

fn assert_walk_passes(start: &str, screenshots: &Path) {
    let out = walk(start, screenshots);
    out.assert_success(&format!("browser walk of {start}"));
    for name in ["role-en.png", "role-zh.png", "parallel.png"] {
        let png = screenshots.join(name);
        let size = fs::metadata(&png).map(|m| m.len()).unwrap_or(0);
        assert!(size > 0, "walk wrote no screenshot {}", png.display());
    }
}

fn file_url(path: &Path) -> String {
    let path = path.canonicalize().expect("canonicalize site path");
    let mut url = String::from("file://");
    for b in path.to_str().expect("UTF-8 path").bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'/' | b'-' | b'_' | b'.' | b'~' => {
                url.push(b as char)
            }
            _ => url.push_str(&format!("%{b:02X}")),
        }
    }
    url
}

// ------------------------------------------------------------------ nginx --

/// A private nginx serving `site` under `/handbook/`; stopped on drop, also
/// when the test panics.
struct Nginx {
    child: Child,
    port: u16,
    dir: tempfile::TempDir,
}

impl Nginx {
    fn start(site: &Path) -> Nginx {
        let dir = tempfile::tempdir().expect("temp dir");
        let port = free_port();
        let conf = dir.path().join("nginx.conf");
        fs::write(&conf, nginx_conf(dir.path(), site, port)).expect("write nginx.conf");
        let child = Command::new(NGINX)
            .arg("-e")
            .arg(dir.path().join("error.log"))
            .arg("-c")
            .arg(&conf)
            .arg("-p")
            .arg(dir.path())
            .stdin(Stdio::null())
            .stdout(fs::File::create(dir.path().join("nginx.stdout")).expect("log file"))
            .stderr(fs::File::create(dir.path().join("nginx.stderr")).expect("log file"))
            .spawn()
            .expect("start nginx");
        let mut nginx = Nginx { child, port, dir };
        nginx.wait_until_listening();
        nginx
    }

    fn url(&self) -> String {
        format!("http://127.0.0.1:{}{SUBPATH}", self.port)
    }

    fn wait_until_listening(&mut self) {
        let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, self.port));
        let deadline = Instant::now() + Duration::from_secs(15);
        loop {
            if let Some(status) = self.child.try_wait().expect("wait for nginx") {
                panic!("nginx exited at startup ({status})\n{}", self.logs());
            }
            if TcpStream::connect_timeout(&addr, Duration::from_millis(200)).is_ok() {
                return;
            }
            if Instant::now() > deadline {
                panic!("nginx does not answer on {addr}\n{}", self.logs());
            }
            sleep(Duration::from_millis(50));
        }
    }

    fn logs(&self) -> String {
        ["nginx.conf", "nginx.stderr", "error.log"]
            .iter()
            .map(|name| format!("--- {name}\n{}", read_lossy(&self.dir.path().join(name))))
            .collect::<Vec<_>>()
            .join("\n")
    }
}

impl Drop for Nginx {
    fn drop(&mut self) {
        // Single process (master_process off), so this stops all of it.
        let _ = self.child.kill();
        let _ = self.child.wait();
        if std::thread::panicking() {
            eprintln!("{}", self.logs());
            eprintln!(
                "--- access.log\n{}",
                read_lossy(&self.dir.path().join("access.log"))
            );
        }
    }
}

fn free_port() -> u16 {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).expect("bind 127.0.0.1:0");
    listener.local_addr().expect("local addr").port()
}

fn running_as_root() -> bool {
    fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find(|l| l.starts_with("Uid:"))
                .map(|l| l.split_whitespace().nth(2) == Some("0"))
        })
        .unwrap_or(false)
}

/// nginx.conf serving `site` at `http://127.0.0.1:<port>/handbook/`, the way
/// the README recommends publishing under a sub-path.
fn nginx_conf(dir: &Path, site: &Path, port: u16) -> String {
    let q = |p: PathBuf| format!("\"{}\"", p.display());
    let tmp = |name: &str| q(dir.join(name));
    let site = site.canonicalize().expect("canonicalize site");
    let user = if running_as_root() {
        "user root;\n"
    } else {
        ""
    };
    format!(
        r#"# generated by tests/it/e2e.rs
{user}daemon off;
master_process off;
worker_processes 1;
pid {pid};
error_log {error_log} info;

events {{
    worker_connections 64;
}}

http {{
    include {mime};
    default_type application/octet-stream;
    charset utf-8;
    charset_types text/html text/css text/plain text/xml application/javascript application/json image/svg+xml;
    access_log {access_log};
    client_body_temp_path {body};
    proxy_temp_path {proxy};
    fastcgi_temp_path {fastcgi};
    uwsgi_temp_path {uwsgi};
    scgi_temp_path {scgi};

    server {{
        listen 127.0.0.1:{port};
        server_name localhost;

        location {SUBPATH} {{
            alias "{site}/";
        }}
        error_page 404 {SUBPATH}404.html;
    }}
}}
"#,
        pid = tmp("nginx.pid"),
        error_log = tmp("error.log"),
        mime = NGINX_MIME_TYPES,
        access_log = tmp("access.log"),
        body = tmp("client_body"),
        proxy = tmp("proxy"),
        fastcgi = tmp("fastcgi"),
        uwsgi = tmp("uwsgi"),
        scgi = tmp("scgi"),
        site = site.display(),
    )
}

// ------------------------------------------------------------------ tests --

#[test]
fn published_under_subpath_with_nginx() {
    if !prerequisites(true) {
        return;
    }
    let work = tempfile::tempdir().expect("temp dir");
    let site = build_site(work.path());
    let nginx = Nginx::start(&site);
    assert_walk_passes(&nginx.url(), &screenshot_dir(""));
    drop(nginx);
}

#[test]
fn opened_from_disk_over_file_urls() {
    if !prerequisites(false) {
        return;
    }
    let work = tempfile::tempdir().expect("temp dir");
    let site = build_site(work.path());
    assert_walk_passes(
        &format!("{}/index.html", file_url(&site)),
        &screenshot_dir("file"),
    );
}

#[test]
fn walk_reports_a_broken_cross_link() {
    if !prerequisites(false) {
        return;
    }
    let work = tempfile::tempdir().expect("temp dir");
    let site = build_site(work.path());
    let broken = work.path().join("broken");
    copy_dir(&site, &broken);

    // The walk opens en/secretary.html (the role it prefers) and checks every
    // link on it, so break one link from it to another role page.
    let page = broken.join("en/secretary.html");
    let html = fs::read_to_string(&page)
        .unwrap_or_else(|e| panic!("the sample handbook has no {}: {e}", page.display()));
    let (start, end) = first_cross_link(&html).unwrap_or_else(|| {
        panic!("en/secretary.html has no href=\"<role>.html\" link to break:\n{html}")
    });
    let original = html[start..end].to_string();
    let html = format!("{}no-such-role.html{}", &html[..start], &html[end..]);
    fs::write(&page, html).expect("write broken page");

    let shots = work.path().join("screenshots");
    let out = walk(&format!("{}/index.html", file_url(&broken)), &shots);
    assert!(
        !out.status.success(),
        "the walk passed although en/secretary.html links to no-such-role.html \
         (was {original})\n{}",
        out.report()
    );
    assert_eq!(
        out.status.code(),
        Some(1),
        "the walk crashed\n{}",
        out.report()
    );
    assert!(
        out.stdout
            .lines()
            .any(|l| l.starts_with("PROBLEM en/secretary.html") && l.contains("no-such-role.html")),
        "the walk failed but did not name the broken link en/secretary.html -> no-such-role.html\n{}",
        out.report()
    );
    println!("{}", out.stdout);
}

/// Byte range of the page name in the `href="X.html"` or
/// `href="X.html#section"` to break in `html`: the first link to
/// `office-director.html` (the secretary's superior in the sample handbook),
/// else the first to any sibling page (no `/`, `:`, `?`) other than
/// `secretary.html` and `index.html`.
fn first_cross_link(html: &str) -> Option<(usize, usize)> {
    let mut candidates = Vec::new();
    let mut from = 0;
    while let Some(i) = html[from..].find("href=\"") {
        let start = from + i + "href=\"".len();
        let end = start + html[start..].find('"')?;
        let name = html[start..end].split('#').next().unwrap_or("");
        if name.ends_with(".html")
            && !name.contains(['/', ':', '?'])
            && name != "secretary.html"
            && name != "index.html"
        {
            candidates.push((name == "office-director.html", start, start + name.len()));
        }
        from = end;
    }
    let preferred = candidates.iter().find(|c| c.0).or(candidates.first())?;
    Some((preferred.1, preferred.2))
}

// -------------------------------------------------------- rolebook serve --

/// `rolebook serve <root> --port 0` as a child process; killed on drop, also
/// when the test panics (then its stderr is printed).
struct Preview {
    child: Child,
    url: String,
    logs: tempfile::TempDir,
}

impl Preview {
    fn start(root: &Path) -> Preview {
        let logs = tempfile::tempdir().expect("temp dir");
        let mut child = rolebook()
            .arg("serve")
            .arg(root)
            .args(["--port", "0"])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(fs::File::create(logs.path().join("stderr")).expect("log file"))
            .spawn()
            .expect("start rolebook serve");
        // First stdout line: "serving <root> at http://127.0.0.1:PORT/ (Ctrl-C to stop)".
        // Read on a thread (so a silent server cannot hang the test), which
        // then keeps draining stdout.
        let stdout = child.stdout.take().expect("piped stdout");
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            let mut line = String::new();
            let _ = reader.read_line(&mut line);
            let _ = tx.send(line);
            let _ = std::io::copy(&mut reader, &mut std::io::sink());
        });
        let mut preview = Preview {
            child,
            url: String::new(),
            logs,
        };
        let line = match rx.recv_timeout(Duration::from_secs(60)) {
            Ok(line) => line,
            Err(_) => panic!(
                "rolebook serve printed no line within 60 s\n{}",
                preview.stderr()
            ),
        };
        let url = line
            .split_whitespace()
            .find(|w| w.starts_with("http://"))
            .unwrap_or_else(|| {
                panic!(
                    "rolebook serve's first line has no http:// URL: {line:?}\n{}",
                    preview.stderr()
                )
            });
        preview.url = url.trim_end_matches('/').to_string() + "/";
        preview
    }

    /// Its stderr so far (first 40 lines), and how many times it rebuilt.
    fn stderr(&self) -> String {
        let log = read_lossy(&self.logs.path().join("stderr"));
        let rebuilds = log.lines().filter(|l| l.starts_with("rebuilt in")).count();
        let lines = log.lines().count();
        let head: Vec<&str> = log.lines().take(40).collect();
        format!(
            "--- rolebook serve stderr ({rebuilds} \"rebuilt in\" lines; first 40 of {lines} lines)\n{}",
            head.join("\n")
        )
    }
}

impl Drop for Preview {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        if std::thread::panicking() {
            eprintln!("{}", self.stderr());
        }
    }
}

/// A copy of the sample handbook (book.toml + content/) in `dir`.
fn copy_sample_handbook(dir: &Path) -> PathBuf {
    let book = dir.join("handbook");
    fs::create_dir_all(&book).expect("create handbook dir");
    fs::copy(repo().join("book.toml"), book.join("book.toml")).expect("copy book.toml");
    copy_dir(&repo().join("content"), &book.join("content"));
    book
}

/// The site folder as a `file://` URL ending in `/`.
fn site_url(site: &Path) -> String {
    format!("{}/", file_url(site))
}

#[test]
fn live_preview_reloads_and_keeps_the_scroll_position() {
    if !prerequisites(false) {
        return;
    }
    let work = tempfile::tempdir().expect("temp dir");
    let book = copy_sample_handbook(work.path());
    let page = book.join("content/en/secretary.md");
    let original = fs::read_to_string(&page).expect("read content/en/secretary.md");
    // The server starts once it is this test's turn for the browser.
    let one_browser = lock_browser();
    let server = Preview::start(&book);
    let url = format!("{}en/secretary.html", server.url);
    // preview.mjs appends a paragraph with a unique marker to the page's
    // source (twice) and waits for the open page to reload by itself.
    let out = run_node_locked(
        &one_browser,
        "preview.mjs",
        &[OsStr::new(&url), page.as_os_str()],
        SCRIPT_TIMEOUT,
    );
    // On failure, dropping `server` prints its stderr.
    out.assert_success(&format!("live preview of {url}"));
    let edited = fs::read_to_string(&page).expect("read content/en/secretary.md");
    assert!(
        edited.len() > original.len() && edited.contains("rolebook-e2e-live-"),
        "preview.mjs passed but did not edit {}",
        page.display()
    );
    drop(server);
}

#[test]
fn side_by_side_rows_line_up_stack_and_swap() {
    if !prerequisites(false) {
        return;
    }
    let work = tempfile::tempdir().expect("temp dir");
    let site = build_site(work.path());
    run_node(
        "views.mjs",
        &[site_url(&site).as_str(), "parallel"],
        SCRIPT_TIMEOUT,
    )
    .assert_success("side-by-side view (parallel/secretary.html)");
}

#[test]
fn language_switch_keeps_the_section() {
    if !prerequisites(false) {
        return;
    }
    let work = tempfile::tempdir().expect("temp dir");
    let site = build_site(work.path());
    run_node(
        "views.mjs",
        &[site_url(&site).as_str(), "switch"],
        SCRIPT_TIMEOUT,
    )
    .assert_success("language switch from en/secretary.html#duties");
}

#[test]
fn role_pages_have_a_sidebar_pager_and_toc() {
    if !prerequisites(false) {
        return;
    }
    let work = tempfile::tempdir().expect("temp dir");
    let site = build_site(work.path());
    let shots = screenshot_dir("nav");
    fs::create_dir_all(&shots).expect("create target/screenshots/nav");
    run_node(
        "nav.mjs",
        &[
            site_url(&site).as_str(),
            shots.to_str().expect("UTF-8 path"),
        ],
        SCRIPT_TIMEOUT,
    )
    .assert_success("sidebar, drawer, pager and contents on role pages");
}

#[test]
fn missing_translation_falls_back_with_a_notice() {
    if !prerequisites(false) {
        return;
    }
    let work = tempfile::tempdir().expect("temp dir");
    let book = copy_sample_handbook(work.path());
    fs::remove_file(book.join("content/zh/assistant.md")).expect("delete content/zh/assistant.md");
    let site = work.path().join("site");
    build_handbook(&book, &site);
    run_node(
        "views.mjs",
        &[site_url(&site).as_str(), "fallback"],
        SCRIPT_TIMEOUT,
    )
    .assert_success("fallback page zh/assistant.html without content/zh/assistant.md");
}

#[test]
fn search_finds_roles_in_both_languages_offline() {
    if !prerequisites(false) {
        return;
    }
    let work = tempfile::tempdir().expect("temp dir");
    let site = build_site(work.path());
    run_node("search.mjs", &[site_url(&site).as_str()], SCRIPT_TIMEOUT)
        .assert_success("search over file://");
}

// ------------------------------------------------- regression (issue 20) --
//
// Browser checks of defects that once shipped, each named after what broke,
// on a fixture under `tests/fixtures/regression/browser-*/` built with the
// real binary and opened from disk (`regression.mjs`). Each was seen failing
// before its fix.

/// Copies `tests/fixtures/regression/<fixture>` into `dir`, lets `edit`
/// change its book.toml text, builds it and runs `regression.mjs <part>` on
/// the site; one screenshot, `target/screenshots/regression/<shot>.png`.
fn run_regression(
    dir: &Path,
    fixture: &str,
    edit: impl FnOnce(String) -> String,
    part: &str,
    shot: &str,
) {
    let book = dir.join(fixture);
    copy_dir(
        &repo().join("tests/fixtures/regression").join(fixture),
        &book,
    );
    let toml = book.join("book.toml");
    let text = fs::read_to_string(&toml).expect("read the fixture's book.toml");
    fs::write(&toml, edit(text)).expect("write the copy's book.toml");
    let site = dir.join("site");
    build_handbook(&book, &site);
    let shots = screenshot_dir("regression");
    fs::create_dir_all(&shots).expect("create target/screenshots/regression");
    let png = shots.join(format!("{shot}.png"));
    let _ = fs::remove_file(&png);
    run_node(
        "regression.mjs",
        &[
            OsStr::new(part),
            OsStr::new(&site_url(&site)),
            png.as_os_str(),
        ],
        SCRIPT_TIMEOUT,
    )
    .assert_success(&format!("regression.mjs {part} on {fixture}"));
    let size = fs::metadata(&png).map(|m| m.len()).unwrap_or(0);
    assert!(
        size > 0,
        "regression.mjs {part} wrote no screenshot {}",
        png.display()
    );
}

/// Issue 20, item 1, with `allow_html` set to `allow_html` in the copy.
fn heading_attributes_run_no_script(allow_html: bool) {
    if !prerequisites(false) {
        return;
    }
    let work = tempfile::tempdir().expect("temp dir");
    let edit = |toml: String| {
        assert!(
            toml.contains("allow_html = false"),
            "the fixture's book.toml no longer says allow_html = false"
        );
        toml.replace("allow_html = false", &format!("allow_html = {allow_html}"))
    };
    run_regression(
        work.path(),
        "browser-heading-attributes",
        edit,
        "heading-attributes",
        &format!("heading-attributes-allow-html-{allow_html}"),
    );
}

/// `## Duties {#duties autofocus onfocus=... tabindex=1}` wrote the handler
/// into the page and Chromium ran it on load, with `allow_html = false`.
#[test]
fn regression_heading_attributes_run_no_script_without_html() {
    heading_attributes_run_no_script(false);
}

/// Heading attributes are not raw HTML: with `allow_html = true` they are
/// dropped all the same.
#[test]
fn regression_heading_attributes_run_no_script_with_html() {
    heading_attributes_run_no_script(true);
}

/// `ui.no_results` from book.toml was inserted with `innerHTML` by search.js.
#[test]
fn regression_no_results_words_are_text_not_html() {
    if !prerequisites(false) {
        return;
    }
    let work = tempfile::tempdir().expect("temp dir");
    run_regression(
        work.path(),
        "browser-no-results-text",
        |toml| toml,
        "no-results-text",
        "no-results-text",
    );
}

/// The language switch sent `#constructor` to
/// `#function Object() { [native code] }` (and `#toString`, `#__proto__`
/// likewise): rolebook.js looked ids up through Object.prototype.
#[test]
fn regression_language_switch_keeps_prototype_named_sections() {
    if !prerequisites(false) {
        return;
    }
    let work = tempfile::tempdir().expect("temp dir");
    run_regression(
        work.path(),
        "browser-prototype-section-ids",
        |toml| toml,
        "prototype-section-ids",
        "prototype-section-ids",
    );
}

/// Issue 15's reader-facing polish of the default theme (`ui.mjs`): the
/// colour-scheme switch (remembered, applied before the first paint), the
/// skip link above the sticky header, a one-row phone header, copy buttons on
/// code blocks, heading anchor links, the language switch after jumping to the
/// last section of a short page, dark-mode contrast, the translation overview
/// and printing in dark mode. The copy of the sample handbook gets a code
/// block in both assistant pages (so the Chinese one is stale), loses
/// zh/procurement-assistant.md (a fallback page) and zh/office-director.md's
/// `translated_from` (untracked), so that every notice and status shows.
/// Screenshots go to `target/screenshots/ui/`.
#[test]
fn reader_ui_theme_switch_skip_link_copy_and_anchors() {
    if !prerequisites(false) {
        return;
    }
    let work = tempfile::tempdir().expect("temp dir");
    let book = copy_sample_handbook(work.path());
    for (lang, heading) in [("en", "Templates"), ("zh", "模板")] {
        let page = book.join(format!("content/{lang}/assistant.md"));
        let mut text = fs::read_to_string(&page).expect("read assistant.md");
        text.push_str(&format!(
            "\n## {heading} {{#templates}}\n\n```text\nTo: office@example.com\nSubject: Minutes 2026-11-28 / 会议纪要\n```\n"
        ));
        fs::write(&page, text).expect("write assistant.md");
    }
    fs::remove_file(book.join("content/zh/procurement-assistant.md"))
        .expect("delete content/zh/procurement-assistant.md");
    let director = book.join("content/zh/office-director.md");
    let text = fs::read_to_string(&director).expect("read zh/office-director.md");
    let untracked: String = text
        .lines()
        .filter(|l| !l.starts_with("translated_from:"))
        .map(|l| format!("{l}\n"))
        .collect();
    fs::write(&director, untracked).expect("write zh/office-director.md");
    let site = work.path().join("site");
    build_handbook(&book, &site);
    let shots = screenshot_dir("ui");
    fs::create_dir_all(&shots).expect("create target/screenshots/ui");
    run_node(
        "ui.mjs",
        &[
            site_url(&site).as_str(),
            shots.to_str().expect("UTF-8 path"),
        ],
        SCRIPT_TIMEOUT,
    )
    .assert_success("theme switch, skip link, phone header, copy buttons and anchors");
}

/// The print books (`print.mjs`): en/print.html, zh/print.html and
/// parallel/print.html hold every role of the home pages with working
/// in-document links and print dark on white; Chromium's PDFs go to
/// `target/screenshots/print/`, the Chinese one with a CJK font embedded and
/// every PDF with its page numbers in the footer.
#[test]
fn print_books_render_to_pdf_with_every_role() {
    if !prerequisites(false) {
        return;
    }
    let poppler = Command::new("pdffonts").arg("-v").output().is_ok();
    if !poppler {
        assert!(!on_ci(), "pdffonts missing: apt-get install poppler-utils");
        eprintln!("skipped: install poppler-utils (pdffonts, pdftotext)");
        return;
    }
    let work = tempfile::tempdir().expect("temp dir");
    let site = build_site(work.path());
    let shots = screenshot_dir("print");
    fs::create_dir_all(&shots).expect("create target/screenshots/print");
    let shots_arg = shots.to_str().expect("UTF-8 path");
    run_node(
        "print.mjs",
        &[site_url(&site).as_str(), shots_arg],
        SCRIPT_TIMEOUT,
    )
    .assert_success("print books over file://");
    let fonts = Command::new("pdffonts")
        .arg(shots.join("zh.pdf"))
        .output()
        .expect("run pdffonts");
    let fonts = String::from_utf8_lossy(&fonts.stdout);
    assert!(
        ["WenQuanYi", "NotoSansCJK", "NotoSerifCJK", "Noto Sans CJK"]
            .iter()
            .any(|f| fonts.contains(f)),
        "zh.pdf embeds no CJK font:\n{fonts}"
    );
    for book in ["en", "zh", "parallel"] {
        let pdf = shots.join(format!("{book}.pdf"));
        let text = Command::new("pdftotext")
            .args(["-f", "3", "-l", "3", "-layout"])
            .arg(&pdf)
            .arg("-")
            .output()
            .expect("run pdftotext");
        let text = String::from_utf8_lossy(&text.stdout);
        let last = text.lines().rev().find(|l| !l.trim().is_empty());
        assert_eq!(
            last.map(str::trim),
            Some("3"),
            "{book}.pdf: page 3 does not end with its number:\n{text}"
        );
    }
}

/// A handbook whose `clerk` translation is stale in one section (#skills),
/// built; its side-by-side diff toggles from file:// (tests/browser/drift.mjs).
#[test]
fn side_by_side_drift_toggles_from_file_urls() {
    if !prerequisites(false) {
        return;
    }
    let work = tempfile::tempdir().expect("temp dir");
    let book = work.path().join("handbook");
    copy_dir(&repo().join("tests/fixtures/basic"), &book);
    let en = "---\nid: clerk\ntitle: Clerk\n---\n\nKeeps the records of the office.\n\n## Duties {#duties}\n\nFiles every letter the same day it arrives, and answers the ones that need it.\n\n## Skills {#skills}\n\nTypes fast and keeps a tidy desk.\n\n## Hours {#hours}\n\nNine to five.\n";
    let zh = "---\nid: clerk\ntitle: 文员\n---\n\n负责办公室的记录。\n\n## 职责 {#duties}\n\n来信当天归档，需要回复的及时回复。\n\n## 技能 {#skills}\n\n打字快，桌面整洁。\n\n## 工作时间 {#hours}\n\n朝九晚五。\n";
    fs::write(book.join("content/en/clerk.md"), en).expect("write en");
    fs::write(book.join("content/zh/clerk.md"), zh).expect("write zh");
    let marked = rolebook()
        .args(["mark-translated", "clerk", "zh"])
        .arg(&book)
        .output()
        .expect("run rolebook");
    assert!(marked.status.success(), "mark-translated failed");
    let changed = en.replace(
        "Types fast and keeps a tidy desk.",
        "Types fast and accurately, and keeps a tidy desk and calendar.",
    );
    fs::write(book.join("content/en/clerk.md"), changed).expect("edit en");
    let site = work.path().join("site");
    build_handbook(&book, &site);
    let shots = screenshot_dir("drift");
    run_node(
        "drift.mjs",
        &[site_url(&site), shots.to_string_lossy().into_owned()],
        SCRIPT_TIMEOUT,
    )
    .assert_success("side-by-side drift (parallel/clerk.html, zh/clerk.parallel.html)");
}

/// Issue 18: the sample's comparison pages line their roles' sections up in
/// rows that sit level on a desktop and stack on a phone (`compare.mjs`),
/// and "What's new" lists roles newest first. Screenshots go to
/// `target/screenshots/compare/`.
#[test]
fn role_comparisons_line_up_and_stack() {
    if !prerequisites(false) {
        return;
    }
    let work = tempfile::tempdir().expect("temp dir");
    let site = build_site(work.path());
    let shots = screenshot_dir("compare");
    fs::create_dir_all(&shots).expect("create target/screenshots/compare");
    run_node(
        "compare.mjs",
        &[
            site_url(&site).as_str(),
            shots.to_str().expect("UTF-8 path"),
        ],
        SCRIPT_TIMEOUT,
    )
    .assert_success("role comparisons and what's new");
}

/// `preview_messages.mjs`: during `rolebook serve`, a save that adds
/// `**注意：**正文` to a Chinese page shows the warnings banner in Chinese
/// (dismissible); a save that breaks its front matter shows the overlay in
/// Chinese, whose close button hides it. Screenshots go to
/// `target/screenshots/preview/`.
#[test]
fn preview_shows_warnings_and_errors_in_the_page_language() {
    if !prerequisites(false) {
        return;
    }
    let work = tempfile::tempdir().expect("temp dir");
    let book = copy_sample_handbook(work.path());
    let page = book.join("content/zh/secretary.md");
    let original = fs::read_to_string(&page).expect("read content/zh/secretary.md");
    let shots = screenshot_dir("preview");
    fs::create_dir_all(&shots).expect("create target/screenshots/preview");
    let one_browser = lock_browser();
    let server = Preview::start(&book);
    let url = format!("{}zh/secretary.html", server.url);
    let out = run_node_locked(
        &one_browser,
        "preview_messages.mjs",
        &[OsStr::new(&url), page.as_os_str(), shots.as_os_str()],
        SCRIPT_TIMEOUT,
    );
    out.assert_success(&format!("preview problems on {url}"));
    let after = fs::read_to_string(&page).expect("read content/zh/secretary.md");
    assert_eq!(
        after, original,
        "preview_messages.mjs did not put the page back"
    );
    drop(server);
}
