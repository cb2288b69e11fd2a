//! Regression tests: serve.
//!
//! Each runs the real `rolebook serve --port 0` on a copied fixture, talks to
//! it over loopback with raw HTTP (and raw WebSocket handshakes), and measures
//! the server from outside through /proc where a defect showed as descriptors,
//! memory or busy threads. Every socket read has a timeout and the server is
//! killed when the test ends, so none of them can hang the suite.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::time::{Duration, Instant};

use crate::support::{on_ci, Book, Server};

/// What only these tests ask of the preview server ([`Server`] itself, shared
/// with the other serve tests, is in `support`).
impl Server {
    /// Opens the reload WebSocket with `headers`; returns the stream and the
    /// status of the handshake's answer.
    fn websocket(&self, headers: &str) -> (TcpStream, u16) {
        let mut stream = self.connect();
        write!(
            stream,
            "GET /__rolebook/reload HTTP/1.1\r\n{headers}Upgrade: websocket\r\nConnection: Upgrade\r\n\
             Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"
        )
        .unwrap();
        let status = read_head(&mut stream)
            .split(' ')
            .nth(1)
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        (stream, status)
    }

    /// The number of descriptors the server holds, when /proc shows it.
    fn descriptors(&self) -> Option<usize> {
        let dir = std::fs::read_dir(format!("/proc/{}/fd", self.pid())).ok()?;
        Some(dir.count())
    }

    /// A line of /proc/PID/status, such as `VmHWM`, in kB.
    fn status_kb(&self, key: &str) -> Option<u64> {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.pid())).ok()?;
        let line = status.lines().find(|l| l.starts_with(key))?;
        line.split_whitespace().nth(1)?.parse().ok()
    }

    /// How many of the server's threads are running or ready to run now.
    fn runnable_threads(&self) -> Option<usize> {
        let tasks = std::fs::read_dir(format!("/proc/{}/task", self.pid())).ok()?;
        let running = tasks
            .flatten()
            .filter_map(|t| std::fs::read_to_string(t.path().join("stat")).ok())
            .filter(|stat| {
                // The state follows the parenthesised thread name.
                let after = stat.rsplit_once(')').map_or("", |(_, rest)| rest);
                after.trim_start().starts_with('R')
            })
            .count();
        Some(running)
    }
}

/// Reads a response head (up to the blank line) byte by byte.
fn read_head(stream: &mut TcpStream) -> String {
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        match stream.read(&mut byte) {
            Ok(1) => head.push(byte[0]),
            _ => break,
        }
    }
    String::from_utf8_lossy(&head).into_owned()
}

/// A masked WebSocket close frame, as a browser sends when it leaves a page.
const CLOSE_FRAME: [u8; 6] = [0x88, 0x80, 1, 2, 3, 4];

fn edit(path: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(path).unwrap();
    assert!(text.contains(from), "{} lacks {from:?}", path.display());
    std::fs::write(path, text.replace(from, to)).unwrap();
}

// Item 3: every preview page opens a WebSocket; closed ones were noticed only
// when the next reload was sent, so descriptors piled up until serve stopped
// answering (243 page views under `ulimit -n 256`).
#[test]
fn serve_keeps_answering_after_many_websocket_page_views() {
    let book = Book::fixture("basic");
    let server = Server::start(&book);
    let view = |i: usize| {
        let (status, _, _) = server.get("/en/lead.html");
        assert_eq!(status, 200, "page view {i}");
        let (mut socket, status) = server.websocket(&format!("Host: {}\r\n", server.addr));
        assert_eq!(status, 101, "WebSocket of page view {i}");
        // Browsers close politely on navigation; a killed tab just goes away.
        if i.is_multiple_of(2) {
            let _ = socket.write_all(&CLOSE_FRAME);
        }
    };
    for i in 0..20 {
        view(i);
    }
    let Some(before) = server.descriptors() else {
        assert!(!on_ci(), "no /proc on CI: the descriptor count is the test");
        eprintln!("skipped: no /proc, descriptor count not measured");
        return;
    };
    let start = Instant::now();
    for i in 0..1_000 {
        view(i);
        assert!(
            start.elapsed() < Duration::from_secs(120),
            "load test too slow"
        );
    }
    // Closing is asynchronous: give the server a moment to notice the last ones.
    let settle = Instant::now();
    let mut after = server.descriptors().unwrap_or(0);
    while after > before + 10 && settle.elapsed() < Duration::from_secs(5) {
        std::thread::sleep(Duration::from_millis(100));
        after = server.descriptors().unwrap_or(0);
    }
    assert!(
        after <= before + 10,
        "descriptors grew from {before} to {after} over 1,000 page views"
    );
    assert_eq!(server.get("/en/clerk.html").0, 200);
}

// Item 3: while descriptors were short, a rebuild reported "config-missing"
// for a book.toml that was right there.
#[test]
fn serve_reports_too_many_open_files_not_a_missing_book_toml() {
    if !Path::new("/proc/self/fd").is_dir() {
        assert!(!on_ci(), "no /proc on CI: the descriptor limit is the test");
        eprintln!("skipped: no /proc");
        return;
    }
    let book = Book::fixture("basic");
    let server = Server::start_with(&book, Some(64));
    // Hold WebSockets open until the server cannot accept any more.
    let mut held = Vec::new();
    for _ in 0..64 {
        let mut stream = server.connect();
        stream
            .set_read_timeout(Some(Duration::from_millis(1500)))
            .unwrap();
        let _ = write!(
            stream,
            "GET /__rolebook/reload HTTP/1.1\r\nHost: {}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\
             Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n",
            server.addr
        );
        let upgraded = read_head(&mut stream).contains(" 101 ");
        held.push(stream);
        if !upgraded {
            break;
        }
    }
    edit(
        &book.root().join("content/en/clerk.md"),
        "Files papers",
        "Files many papers",
    );
    let start = Instant::now();
    while !server.terminal().contains("rebuild failed") && start.elapsed() < Duration::from_secs(10)
    {
        std::thread::sleep(Duration::from_millis(50));
    }
    let said = server.terminal();
    assert!(!said.contains("config-missing"), "misreported:\n{said}");
    assert!(said.contains("too many open files"), "{said}");
    drop(held);
    let body = server.wait_for("/en/clerk.html", "the overlay", |s, b| {
        s != 0 && b.contains("rolebook-overlay")
    });
    assert!(body.contains("too many open files"), "{body}");
    assert!(!body.contains("config-missing"), "{body}");
}

// Item 7: after content/ was deleted and recreated (a branch switch, a
// restore), serve never saw another save.
#[test]
fn serve_sees_saves_after_content_is_deleted_and_recreated() {
    let book = Book::fixture("basic");
    let server = Server::start(&book);
    assert!(server.get("/en/clerk.html").2.contains("Files papers"));
    let content = book.root().join("content");
    let saved = book.dir.path().join("content-saved");
    crate::support::copy_dir(&content, &saved);
    std::fs::remove_dir_all(&content).unwrap();
    std::thread::sleep(Duration::from_millis(300));
    crate::support::copy_dir(&saved, &content);
    edit(
        &content.join("en/clerk.md"),
        "Files papers",
        "Files restored papers",
    );
    server.wait_for("/en/clerk.html", "the restored content", |s, b| {
        s == 200 && b.contains("Files restored papers")
    });
    // The save that used to be missed for good.
    std::thread::sleep(Duration::from_millis(300));
    edit(
        &content.join("en/clerk.md"),
        "Files restored papers",
        "Files saved papers",
    );
    server.wait_for("/en/clerk.html", "a save after the restore", |s, b| {
        s == 200 && b.contains("Files saved papers")
    });
}

/// The fixture with a large file linked from the clerk's page.
fn book_with_large_file(size: u64) -> Book {
    let book = Book::fixture("basic");
    let page = book.root().join("content/en/clerk.md");
    let text = std::fs::read_to_string(&page).unwrap();
    std::fs::write(&page, format!("{text}\n[The video](big.bin)\n")).unwrap();
    let file = std::fs::File::create(book.root().join("content/en/big.bin")).unwrap();
    file.set_len(size).unwrap();
    book
}

// Item 8: linked files were read whole into memory (8 parallel requests for a
// 300 MB video peaked at 2.9 GB).
#[test]
fn serve_streams_large_linked_files_without_reading_them_whole() {
    const SIZE: u64 = 64 << 20;
    let book = book_with_large_file(SIZE);
    let server = Server::start(&book);
    let Some(base_kb) = server.status_kb("VmHWM") else {
        assert!(!on_ci(), "no /proc on CI: the peak memory is the test");
        eprintln!("skipped: no /proc, peak memory not measured");
        return;
    };
    std::thread::scope(|s| {
        let fetches: Vec<_> = (0..4)
            .map(|_| {
                s.spawn(|| {
                    let mut stream = server.connect();
                    write!(
                        stream,
                        "GET /assets/en/big.bin HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
                        server.addr
                    )
                    .unwrap();
                    let head = read_head(&mut stream).to_ascii_lowercase();
                    let mut body = 0u64;
                    let mut buf = vec![0u8; 1 << 16];
                    while let Ok(n @ 1..) = stream.read(&mut buf) {
                        body += n as u64;
                    }
                    (head, body)
                })
            })
            .collect();
        for fetch in fetches {
            let (head, body) = fetch.join().unwrap();
            assert!(head.contains(" 200 "), "{head}");
            assert!(head.contains("application/octet-stream"), "{head}");
            assert!(head.contains("cache-control: no-store"), "{head}");
            assert_eq!(body, SIZE);
        }
    });
    let peak_kb = server.status_kb("VmHWM").unwrap_or(0);
    assert!(
        peak_kb < base_kb + (SIZE >> 10) / 4,
        "peak memory {peak_kb} kB (from {base_kb} kB) for a {} kB file",
        SIZE >> 10
    );
}

// Item 2, serve side: a linked file whose link leads outside the handbook
// must never be served, even while serve still shows the site from before
// the link appeared.
#[cfg(unix)]
#[test]
fn serve_never_serves_a_linked_file_whose_link_leads_outside_the_handbook() {
    let book = Book::fixture("basic");
    let secret = book.dir.path().join("secret.txt");
    std::fs::write(&secret, "top secret key").unwrap();
    let page = book.root().join("content/en/clerk.md");
    let text = std::fs::read_to_string(&page).unwrap();
    std::fs::write(
        &page,
        format!("{text}\n[notes](notes.txt) [keys](keys.txt)\n"),
    )
    .unwrap();
    std::fs::write(book.root().join("content/en/notes.txt"), "plain notes").unwrap();
    std::os::unix::fs::symlink(&secret, book.root().join("content/en/keys.txt")).unwrap();
    let server = Server::start(&book);
    assert_eq!(server.get("/assets/en/notes.txt").2, "plain notes");
    let (status, _, body) = server.get("/assets/en/keys.txt");
    assert_eq!(status, 404);
    assert!(!body.contains("top secret"));
    // Swap a file the site links to for a link to the secret, and ask for it
    // at once: the site checked before the swap still lists it.
    let notes = book.root().join("content/en/notes.txt");
    let swap = book.root().join("content/en/.notes.swap");
    std::os::unix::fs::symlink(&secret, &swap).unwrap();
    std::fs::rename(&swap, &notes).unwrap();
    let start = Instant::now();
    while start.elapsed() < Duration::from_millis(1500) {
        let (status, _, body) = server.get("/assets/en/notes.txt");
        assert!(!body.contains("top secret"), "served the secret ({status})");
        assert!(status == 404 || status == 200, "{status}");
    }
    assert!(
        server.terminal().contains("outside the handbook"),
        "{}",
        server.terminal()
    );
}

// Item 10: a template that loops (nearly) forever kept serve's render threads
// busy, one more per request for the page.
#[test]
fn serve_answers_a_looping_template_with_template_render_and_renders_it_once() {
    let book = Book::fixture("basic");
    let toml = book.root().join("book.toml");
    let text = std::fs::read_to_string(&toml).unwrap();
    std::fs::write(&toml, format!("{text}\n[build]\nrender_timeout = 1\n")).unwrap();
    book.write(
        "themes/default/templates/role.html",
        "{% extends \"base.html\" %}{% block main %}{% for i in range(end=100000) %}\
         {% for j in range(end=100000) %}{% endfor %}{% endfor %}{% endblock main %}",
    );
    let server = Server::start(&book);
    let answers: Vec<(u16, String)> = std::thread::scope(|s| {
        let requests: Vec<_> = (0..2)
            .map(|_| s.spawn(|| server.get("/en/lead.html")))
            .collect();
        requests
            .into_iter()
            .map(|r| r.join().unwrap())
            .map(|(status, _, body)| (status, body))
            .collect()
    });
    let (status, _, body) = server.get("/en/lead.html");
    for (status, body) in answers.iter().chain([&(status, body)]) {
        assert_eq!(*status, 500, "{body}");
        assert!(body.contains("template-render"), "{body}");
    }
    // Sampled from outside: the one stuck render, never one per request.
    let runnable = (0..20)
        .filter_map(|_| {
            std::thread::sleep(Duration::from_millis(50));
            server.runnable_threads()
        })
        .min();
    if let Some(runnable) = runnable {
        assert!(runnable <= 1, "{runnable} server threads busy");
    }
    assert!(
        server.terminal().contains("restart"),
        "{}",
        server.terminal()
    );
}

// Item 17: serve answered any Host header and cross-origin WebSocket
// upgrades, so a DNS-rebinding page could read an unpublished preview.
#[test]
fn serve_refuses_foreign_host_headers_and_cross_origin_websockets() {
    let book = Book::fixture("basic");
    let server = Server::start(&book);
    let port = server.port().to_string();
    for host in [
        format!("127.0.0.1:{port}"),
        format!("localhost:{port}"),
        "localhost".to_string(),
        format!("127.1.2.3:{port}"),
    ] {
        let (status, _, _) = server.request("/en/lead.html", &format!("Host: {host}\r\n"));
        assert_eq!(status, 200, "Host: {host}");
    }
    for host in [
        "evil.example".to_string(),
        format!("evil.example:{port}"),
        "127.0.0.1.evil.example".to_string(),
    ] {
        let (status, _, body) = server.request("/en/lead.html", &format!("Host: {host}\r\n"));
        assert!(status == 403 || status == 421, "Host: {host}: {status}");
        assert!(!String::from_utf8_lossy(&body).contains("R&amp;D"));
    }
    let (status, _, _) = server.request("/en/lead.html", "");
    assert!(
        status == 403 || status == 421 || status == 400,
        "no Host: {status}"
    );
    let host = format!("Host: 127.0.0.1:{port}\r\n");
    let (_, status) = server.websocket(&format!("{host}Origin: http://evil.example\r\n"));
    assert!(
        status == 403 || status == 421,
        "cross-origin WebSocket: {status}"
    );
    let (_, status) = server.websocket(&format!("{host}Origin: http://127.0.0.1:{port}\r\n"));
    assert_eq!(status, 101, "same-origin WebSocket");
    let (_, status) = server.websocket(&host);
    assert_eq!(status, 101, "WebSocket without Origin");
}

// Item 18: a save that keeps the file's size and modification time (`cp -p`,
// `rsync -t`, coarse clocks) was missed by serve's page cache for good.
#[test]
fn serve_sees_a_save_that_keeps_size_and_modification_time() {
    let book = Book::fixture("basic");
    let page = book.root().join("content/en/clerk.md");
    let stamp = std::fs::metadata(&page).unwrap().modified().unwrap();
    let server = Server::start(&book);
    assert!(server.get("/en/clerk.html").2.contains("Files papers"));
    // Same length, same mtime: only the content differs.
    edit(&page, "Files papers", "Files PAPERS");
    let file = std::fs::File::options().write(true).open(&page).unwrap();
    file.set_modified(stamp).unwrap();
    drop(file);
    server.wait_for("/en/clerk.html", "the same-stamp save", |s, b| {
        s == 200 && b.contains("Files PAPERS")
    });
}
