//! Shared helpers of the integration tests: a fixture handbook copied into a
//! temporary folder ([`Book`]), the real `rolebook` binary run on it with an
//! environment that neither a developer's shell nor CI can change, the
//! handbook's files as data (to prove a command left them alone), temp paths
//! hidden in snapshot text, and a link checker for the output.
//!
//! ```ignore
//! let book = Book::fixture("basic");
//! book.write("content/en/x.md", "---\nid: x\ntitle: X\n---\n\nText.\n")
//!     .append("book.toml", "[build]\nallow_html = false\n");
//! let out = book.run(&["check"]);
//! insta::assert_snapshot!(book.redact(&stdout(&out)));
//! ```

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::ffi::OsStr;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use sha2::{Digest, Sha256};

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Whether the tests run on CI: `CI` set to anything but the empty string
/// (GitHub says `true`, others `1` or `yes`). Read in the test process: a test
/// that would skip for a missing tool fails instead on CI.
pub fn on_ci() -> bool {
    std::env::var_os("CI").is_some_and(|v| !v.is_empty())
}

/// Whether the variable `key` of the test process must not reach rolebook:
/// its own settings, CI's marker, colour and locale.
fn scrubbed(key: &OsStr) -> bool {
    let key = key.to_string_lossy();
    key.starts_with("ROLEBOOK_")
        || key.starts_with("LC_")
        || matches!(key.as_ref(), "CI" | "NO_COLOR" | "LANG")
}

/// Removes from `command`'s environment every variable that could change
/// what rolebook prints or does (see [`scrubbed`]). Also for a shell that
/// `exec`s rolebook: the shell passes its environment on.
pub fn scrub_env(command: &mut Command) -> &mut Command {
    for (key, _) in std::env::vars_os() {
        if scrubbed(&key) {
            command.env_remove(&key);
        }
    }
    // One "today" for every run, so that review and effective dates in
    // the sample handbook judge the same whenever the tests run.
    command.env("ROLEBOOK_TODAY", TODAY)
}

/// The date the tests run on, as far as rolebook knows (`ROLEBOOK_TODAY`).
pub const TODAY: &str = "2026-11-29";

/// The real `rolebook` binary with a scrubbed environment (see [`scrub_env`]).
pub fn rolebook() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_rolebook"));
    scrub_env(&mut command);
    command
}

/// A handbook in a temporary folder: `<temp>/book`, with room beside it for
/// what must lie outside the handbook.
pub struct Book {
    pub dir: tempfile::TempDir,
}

impl Book {
    /// Copies `tests/fixtures/<name>` (or any folder) into a fresh temp folder.
    pub fn fixture(name: &str) -> Book {
        Book::copy_of(&repo().join("tests/fixtures").join(name))
    }

    /// The repository's sample handbook: book.toml and content/ (not public/ or target/).
    pub fn sample() -> Book {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("book");
        copy_dir(&repo().join("content"), &root.join("content"));
        std::fs::copy(repo().join("book.toml"), root.join("book.toml")).unwrap();
        Book { dir }
    }

    pub fn copy_of(source: &Path) -> Book {
        // The library, called in this process, judges dates as of the same day.
        rolebook::dates::set_today(rolebook::dates::parse(TODAY).expect("a date"));
        let dir = tempfile::tempdir().unwrap();
        copy_dir(source, &dir.path().join("book"));
        Book { dir }
    }

    pub fn root(&self) -> PathBuf {
        self.dir.path().join("book")
    }

    pub fn out(&self) -> PathBuf {
        self.root().join("public")
    }

    /// Writes `text` to `path` (relative to the handbook), creating folders.
    pub fn write(&self, path: &str, text: &str) -> &Self {
        let p = self.root().join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
        self
    }

    /// Adds `text` on lines of its own at the end of `path`, e.g. a
    /// `[build]` table to book.toml.
    pub fn append(&self, path: &str, text: &str) -> &Self {
        let old = std::fs::read_to_string(self.root().join(path)).unwrap_or_default();
        self.write(path, &format!("{old}\n{text}"))
    }

    pub fn read_out(&self, path: &str) -> String {
        std::fs::read_to_string(self.out().join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
    }

    /// `rolebook ARGS...` with the handbook as the working folder, not yet run.
    pub fn command(&self, args: &[&str]) -> Command {
        let mut command = rolebook();
        command.args(args).current_dir(self.root());
        command
    }

    /// Runs `rolebook ARGS...` with the handbook as the working folder.
    pub fn run(&self, args: &[&str]) -> Output {
        self.command(args).output().unwrap()
    }

    pub fn build(&self) -> Output {
        let out = self.run(&["build"]);
        assert!(
            out.status.success(),
            "build failed:\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        out
    }

    /// Every path under the temp folder (the handbook and what lies beside
    /// it) with a hash of its bytes: equal before and after a command that
    /// must not write.
    /// `rolebook build` with a file-size limit of one block, so that the
    /// first larger file written fails with EFBIG. Permissions do not stop
    /// root (CI runs as root), a file-size limit does; SIGXFSZ is ignored
    /// (ignored signals stay ignored across `exec`).
    pub fn build_with_file_size_limit(&self) -> Output {
        scrub_env(&mut Command::new("sh"))
            .arg("-c")
            .arg("trap '' XFSZ; ulimit -f 1 && exec \"$0\" build")
            .arg(env!("CARGO_BIN_EXE_rolebook"))
            .current_dir(self.root())
            .output()
            .unwrap()
    }

    pub fn tree(&self) -> BTreeMap<String, String> {
        tree(self.dir.path())
    }

    /// `text` with the temp folder (as given and as the system resolves it)
    /// replaced by `[TEMP]`, for snapshots that must not depend on where the
    /// test ran.
    pub fn redact(&self, text: &str) -> String {
        let mut text = text.to_string();
        let given = self.dir.path().to_path_buf();
        let real = given.canonicalize().unwrap_or_else(|_| given.clone());
        for path in [real, given] {
            text = text.replace(&*path.to_string_lossy(), "[TEMP]");
        }
        text
    }
}

/// Every path under `dir` with a hash of its bytes (folders as `/`, links as
/// `-> target`), in sorted order.
pub fn tree(dir: &Path) -> BTreeMap<String, String> {
    walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .map(|e| e.unwrap())
        .map(|e| {
            let path = e.path().strip_prefix(dir).unwrap().display().to_string();
            let what = if e.file_type().is_file() {
                format!("{:x}", Sha256::digest(std::fs::read(e.path()).unwrap()))
            } else if e.file_type().is_symlink() {
                format!("-> {}", std::fs::read_link(e.path()).unwrap().display())
            } else {
                "/".to_string()
            };
            (path, what)
        })
        .collect()
}

pub fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let target = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// `html` without the contents of `<pre>` and `<code>` elements (shown text, not markup).
fn without_code(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(i) = rest.find("<code") {
        out.push_str(&rest[..i]);
        rest = match rest[i..].find("</code>") {
            Some(end) => &rest[i + end..],
            None => "",
        };
    }
    out.push_str(rest);
    out
}

/// Every `href="..."` and `src="..."` value in `html` outside code, entities decoded.
pub fn urls(html: &str) -> Vec<String> {
    let stripped = without_code(html);
    let html = stripped.as_str();
    let mut found = Vec::new();
    for attr in [" href=\"", " src=\""] {
        let mut rest = html;
        while let Some(i) = rest.find(attr) {
            rest = &rest[i + attr.len()..];
            let end = rest.find('"').unwrap_or(rest.len());
            found.push(
                rest[..end]
                    .replace("&amp;", "&")
                    .replace("&quot;", "\"")
                    .replace("&#39;", "'"),
            );
        }
    }
    found
}

/// Every `id="..."` value in `html`.
pub fn ids(html: &str) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    let mut rest = html;
    while let Some(i) = rest.find(" id=\"") {
        rest = &rest[i + 5..];
        let end = rest.find('"').unwrap_or(rest.len());
        found.insert(rest[..end].replace("&amp;", "&"));
    }
    found
}

fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            if let Ok(v) = u8::from_str_radix(&s[i + 1..i + 3], 16) {
                out.push(v);
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Checks that every relative href/src in every HTML file under `out` points to
/// an existing file, and every `#fragment` to an existing id. Returns the
/// problems as `page: url (why)` lines; also fails on root-absolute URLs.
/// Whether a problem from [`broken_links`] is on a side-by-side page
/// (`parallel/<id>.html` or `<lang>/<id>.parallel.html`), whose columns keep
/// their ids under a `<lang>--` prefix.
pub fn on_side_by_side(problem: &str) -> bool {
    let page = problem.split(": ").next().unwrap_or("");
    page.starts_with("parallel/") || page.ends_with(".parallel.html")
}

pub fn broken_links(out: &Path) -> Vec<String> {
    let mut pages: HashMap<PathBuf, String> = HashMap::new();
    for e in walkdir::WalkDir::new(out) {
        let e = e.unwrap();
        if e.path().extension().is_some_and(|x| x == "html") {
            pages.insert(
                e.path().to_path_buf(),
                std::fs::read_to_string(e.path()).unwrap(),
            );
        }
    }
    let mut problems = Vec::new();
    for (page, html) in &pages {
        let shown = page.strip_prefix(out).unwrap().display().to_string();
        for url in urls(html) {
            let lower = url.to_ascii_lowercase();
            if lower.starts_with("http:")
                || lower.starts_with("https:")
                || lower.starts_with("mailto:")
                || lower.starts_with("data:")
            {
                continue;
            }
            if url.starts_with('/') {
                problems.push(format!(
                    "{shown}: {url} (root-absolute URL breaks under a sub-path)"
                ));
                continue;
            }
            let (path, fragment) = match url.split_once('#') {
                Some((p, f)) => (p, Some(percent_decode(f))),
                None => (url.as_str(), None),
            };
            let path = path.split('?').next().unwrap();
            let target = if path.is_empty() {
                page.clone()
            } else {
                normalise(&page.parent().unwrap().join(percent_decode(path)))
            };
            if !target.starts_with(out) || !target.is_file() {
                problems.push(format!("{shown}: {url} (no such file)"));
                continue;
            }
            if let (Some(fragment), Some(target_html)) =
                (fragment.filter(|f| !f.is_empty()), pages.get(&target))
            {
                if !ids(target_html).contains(&fragment) {
                    problems.push(format!("{shown}: {url} (no id `{fragment}` in target)"));
                }
            }
        }
    }
    problems.sort();
    problems
}

fn normalise(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            std::path::Component::ParentDir => {
                out.pop();
            }
            std::path::Component::CurDir => {}
            other => out.push(other.as_os_str()),
        }
    }
    out
}

/// How long any single read from the server may take.
pub const READ_TIMEOUT: Duration = Duration::from_secs(10);

/// A running `rolebook serve BOOK --port 0`, killed when dropped; its
/// stderr goes to a file ([`Server::terminal`]). Every read has a timeout.
pub struct Server {
    pub child: Child,
    pub addr: String,
    /// Outside the book's folder, which some tests compare before and after.
    stderr: tempfile::NamedTempFile,
}

impl Server {
    pub fn start(book: &Book) -> Server {
        Server::start_with(book, None)
    }

    /// Starts serve, under `ulimit -n LIMIT` when `fd_limit` is given.
    pub fn start_with(book: &Book, fd_limit: Option<u32>) -> Server {
        let stderr = tempfile::NamedTempFile::new().unwrap();
        let bin = env!("CARGO_BIN_EXE_rolebook");
        let mut command = match fd_limit {
            Some(limit) => {
                let mut c = Command::new("sh");
                let script = format!("ulimit -n {limit} && exec \"$0\" serve . --port 0");
                c.args(["-c", &script, bin]);
                c
            }
            None => {
                let mut c = Command::new(bin);
                c.args(["serve", ".", "--port", "0"]);
                c
            }
        };
        let mut child = scrub_env(&mut command)
            .current_dir(book.root())
            .stdout(Stdio::piped())
            .stderr(stderr.as_file().try_clone().unwrap())
            .spawn()
            .unwrap();
        let addr = listening_address(&mut child);
        Server {
            child,
            addr,
            stderr,
        }
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    pub fn port(&self) -> &str {
        self.addr.rsplit(':').next().unwrap()
    }

    pub fn connect(&self) -> TcpStream {
        let stream = TcpStream::connect(&self.addr).unwrap();
        stream.set_read_timeout(Some(READ_TIMEOUT)).unwrap();
        stream.set_write_timeout(Some(READ_TIMEOUT)).unwrap();
        stream
    }

    /// Sends a raw request (head lines without the request line's end) and
    /// returns (status, lower-cased head, body).
    pub fn request(&self, path: &str, headers: &str) -> (u16, String, Vec<u8>) {
        let mut stream = self.connect();
        write!(
            stream,
            "GET {path} HTTP/1.1\r\n{headers}Connection: close\r\n\r\n"
        )
        .unwrap();
        let mut response = Vec::new();
        // A timeout leaves what arrived so far: the status check then fails.
        let _ = stream.read_to_end(&mut response);
        split_response(&response)
    }

    /// GET `path` with the Host header a browser on the preview URL sends.
    pub fn get(&self, path: &str) -> (u16, String, String) {
        let (status, head, body) = self.request(path, &format!("Host: {}\r\n", self.addr));
        (status, head, String::from_utf8_lossy(&body).into_owned())
    }

    /// Polls `path` until `pred` holds for (status, body), or fails after 10 s.
    pub fn wait_for(&self, path: &str, what: &str, pred: impl Fn(u16, &str) -> bool) -> String {
        let start = Instant::now();
        loop {
            let (status, _, body) = self.get(path);
            if pred(status, &body) {
                return body;
            }
            assert!(
                start.elapsed() < Duration::from_secs(10),
                "timed out waiting for {what}; last: {status} {body}\nserve said:\n{}",
                self.terminal()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// What serve printed to the terminal (stderr) so far.
    pub fn terminal(&self) -> String {
        std::fs::read_to_string(self.stderr.path()).unwrap_or_default()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// (status, lower-cased head, body) of a raw HTTP response.
fn split_response(response: &[u8]) -> (u16, String, Vec<u8>) {
    let end = response
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or(response.len());
    let head = String::from_utf8_lossy(&response[..end]).to_ascii_lowercase();
    let body = response.get(end + 4..).unwrap_or_default().to_vec();
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    (status, head, body)
}

/// The address a `rolebook serve --port 0` child prints on its first line of
/// standard output (`serving ... at http://127.0.0.1:PORT/`).
pub fn listening_address(child: &mut std::process::Child) -> String {
    use std::io::BufRead;
    let mut line = String::new();
    std::io::BufReader::new(child.stdout.take().expect("stdout is piped"))
        .read_line(&mut line)
        .expect("read serve's first line");
    line.split("http://")
        .nth(1)
        .and_then(|rest| rest.split('/').next())
        .unwrap_or_else(|| panic!("no URL in {line:?}"))
        .to_string()
}

/// The diagnostics of a `check --format json` report with code `code`.
pub fn with_code<'a>(report: &'a serde_json::Value, code: &str) -> Vec<&'a serde_json::Value> {
    report["diagnostics"]
        .as_array()
        .expect("a report has a diagnostics list")
        .iter()
        .filter(|d| d["code"] == code)
        .collect()
}
