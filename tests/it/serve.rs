//! `rolebook serve` as a child process on port 0: pages are served from
//! memory, edits and new files appear, deleted pages 404, a broken edit shows
//! the overlay while the server survives, path traversal is refused, and the
//! handbook's folder is left as it was.

use std::process::{Command, ExitStatus};
use std::time::{Duration, Instant};

use crate::support::{Book, Server};

impl Server {
    /// Stops the server as Ctrl-C does and waits (at most 10 s) for it to end.
    fn stop(mut self) -> ExitStatus {
        let pid = self.child.id().to_string();
        let sent = Command::new("kill").args(["-INT", &pid]).status().unwrap();
        assert!(sent.success());
        let start = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            assert!(
                start.elapsed() < Duration::from_secs(10),
                "serve did not stop on Ctrl-C"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

#[test]
fn serves_pages_from_memory_with_reload_script_and_headers() {
    let book = Book::fixture("basic");
    let server = Server::start(&book);
    let (status, head, body) = server.get("/en/lead.html");
    assert_eq!(status, 200);
    assert!(
        head.contains("content-type: text/html; charset=utf-8"),
        "{head}"
    );
    assert!(head.contains("cache-control: no-store"), "{head}");
    assert!(body.contains("/__rolebook/reload.js"));
    let (status, head, _) = server.get("/static/style.css");
    assert_eq!(status, 200);
    assert!(head.contains("text/css"));
    assert_eq!(server.get("/").0, 200);
    // Every kind of file of the site is rendered on demand.
    for path in [
        "/index.html",
        "/en/",
        "/zh/translations.html",
        "/parallel/lead.html",
        "/sitemap.xml",
        "/404.html",
    ] {
        assert_eq!(server.get(path).0, 200, "{path}");
    }
    let (status, head, body) = server.get("/static/search-index.js");
    assert_eq!(status, 200);
    assert!(
        head.contains("text/javascript") && body.starts_with("window.ROLEBOOK_SEARCH="),
        "{head}"
    );
    let (status, head, _) = server.get("/assets/en/img/chart.svg");
    assert_eq!(status, 200);
    assert!(head.contains("image/svg+xml"), "{head}");
    // Files no page links to are not part of the site.
    assert_eq!(server.get("/assets/en/notes.txt").0, 404);
    assert_eq!(server.get("/parallel/lead.xx.html").0, 404);
    let (status, _, body) = server.get("/en/no-such-role.html");
    assert_eq!(status, 404);
    assert!(body.contains("not-found"), "theme 404 page: {body}");
    assert!(
        !book.out().exists(),
        "serve must not write the output folder"
    );
}

#[test]
fn refuses_path_traversal() {
    let book = Book::fixture("basic");
    book.write("secret.txt", "top secret");
    let server = Server::start(&book);
    for path in [
        "/../secret.txt",
        "/en/../../secret.txt",
        "/%2e%2e/secret.txt",
        "/en%2f..%2f..%2fsecret.txt",
        "/..%5csecret.txt",
    ] {
        let (status, _, body) = server.get(path);
        assert!(!body.contains("top secret"), "{path} leaked");
        assert!(status == 400 || status == 404, "{path}: {status}");
    }
}

#[test]
fn edits_atomic_saves_new_and_deleted_pages_appear() {
    let book = Book::fixture("basic");
    let server = Server::start(&book);
    // A plain edit.
    let page = book.root().join("content/zh/clerk.md");
    let text = std::fs::read_to_string(&page).unwrap();
    std::fs::write(&page, text.replace("整理文件", "整理档案和文件")).unwrap();
    server.wait_for("/zh/clerk.html", "the edit", |_, b| {
        b.contains("整理档案和文件")
    });
    // An editor's atomic save: write a temp file, rename it over the page.
    let tmp = book.root().join("content/zh/.clerk.md.tmp");
    std::fs::write(&tmp, text.replace("整理文件", "原子保存")).unwrap();
    std::fs::rename(&tmp, &page).unwrap();
    server.wait_for("/zh/clerk.html", "the atomic save", |_, b| {
        b.contains("原子保存")
    });
    // A new role.
    book.write(
        "content/en/porter.md",
        "---\nid: porter\ntitle: Porter\n---\n\nCarries things.\n",
    );
    server.wait_for("/en/porter.html", "the new page", |s, b| {
        s == 200 && b.contains("Carries things.")
    });
    // Deleting it.
    std::fs::remove_file(book.root().join("content/en/porter.md")).unwrap();
    server.wait_for("/en/porter.html", "the 404", |s, _| s == 404);
}

#[test]
fn broken_edit_shows_the_overlay_and_the_fix_clears_it() {
    let book = Book::fixture("basic");
    let server = Server::start(&book);
    let page = book.root().join("content/en/lead.md");
    let good = std::fs::read_to_string(&page).unwrap();
    std::fs::write(&page, good.replace("role:helper", "role:nobody")).unwrap();
    let body = server.wait_for("/en/clerk.html", "the overlay", |_, b| {
        b.contains("rolebook-overlay")
    });
    assert!(
        body.contains("content/en/lead.md:"),
        "overlay names the file: {body}"
    );
    assert!(body.contains("link to unknown role `nobody`"), "{body}");
    assert!(
        body.contains("Files papers"),
        "last good page still shown underneath"
    );
    std::fs::write(&page, good).unwrap();
    server.wait_for("/en/clerk.html", "the overlay to go", |s, b| {
        s == 200 && !b.contains("rolebook-overlay")
    });
}

#[test]
fn template_that_fails_to_render_shows_the_overlay_and_the_server_survives() {
    let book = Book::fixture("basic");
    let server = Server::start(&book);
    book.write("themes/default/templates/role.html", "{% extends \"base.html\" %}{% block main %}{{ role.title | no_such_filter }}{% endblock main %}");
    let body = server.wait_for("/en/lead.html", "the overlay", |_, b| {
        b.contains("rolebook-overlay")
    });
    assert!(
        body.contains("themes/default/templates/role.html"),
        "{body}"
    );
    std::fs::remove_file(book.root().join("themes/default/templates/role.html")).unwrap();
    server.wait_for("/en/lead.html", "recovery", |s, b| {
        s == 200 && b.contains("R&amp;D &lt;Lead&gt;")
    });
}

#[test]
fn ctrl_c_stops_the_server_cleanly() {
    let book = Book::fixture("basic");
    let server = Server::start(&book);
    assert_eq!(server.get("/en/lead.html").0, 200);
    let status = server.stop();
    assert!(status.success(), "{status}");
}

// Gap: `..` handling that pops a segment instead of refusing the request
// left every test green, because the secret of `refuses_path_traversal` lies
// outside the site, where no pop can reach. Here every path below would, once
// resolved, name a file the site serves.
#[test]
fn dot_dot_is_refused_even_where_it_would_resolve_inside_the_site() {
    let book = Book::fixture("basic");
    book.write("content/en/secret.txt", "inside the site");
    book.append("content/en/clerk.md", "[The notes](secret.txt)\n");
    let server = Server::start(&book);
    let (status, _, body) = server.get("/assets/en/secret.txt");
    assert_eq!((status, body.as_str()), (200, "inside the site"));
    let (status, _, zh) = server.get("/zh/lead.html");
    assert_eq!(status, 200);
    for path in [
        "/en/../assets/en/secret.txt",
        "/en/../../assets/en/secret.txt",
        "/assets/en/img/../secret.txt",
        "/assets/zh/../en/secret.txt",
        "/en/%2e%2e/assets/en/secret.txt",
        "/assets/en/img/%2E%2E/secret.txt",
    ] {
        let (status, _, body) = server.get(path);
        assert!(status == 400 || status == 404, "{path}: {status}");
        assert!(
            !body.contains("inside the site"),
            "{path} resolved the `..`"
        );
    }
    for path in ["/en/../zh/lead.html", "/en/%2e%2e/zh/lead.html"] {
        let (status, _, body) = server.get(path);
        assert!(status == 400 || status == 404, "{path}: {status}");
        assert_ne!(body, zh, "{path} resolved the `..`");
    }
}

// Untested until now: serve renders into memory and writes nothing into the
// handbook's folder (no public/, no cache, no temporary files), also when
// every kind of page has been asked for and the server stopped.
#[test]
fn serve_leaves_the_handbook_tree_unchanged() {
    let book = Book::fixture("basic");
    let before = book.tree();
    let server = Server::start(&book);
    for path in [
        "/",
        "/en/",
        "/en/lead.html",
        "/zh/helper.html",
        "/zh/translations.html",
        "/parallel/lead.html",
        "/sitemap.xml",
        "/static/style.css",
        "/static/search-index.js",
        "/assets/en/img/chart.svg",
    ] {
        assert_eq!(server.get(path).0, 200, "{path}");
    }
    assert_eq!(server.get("/en/no-such-role.html").0, 404);
    let status = server.stop();
    assert!(status.success(), "{status}");
    assert_eq!(book.tree(), before, "serve changed the handbook's folder");
}
