//! Regression tests: what a handbook may read and write on disk (symlinks,
//! themes, the output folder, mark-translated), the render budget, the org
//! chart's depth and file names.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::support::*;

#[cfg(unix)]
fn symlink(target: &Path, link: &Path) {
    std::fs::create_dir_all(link.parent().unwrap()).unwrap();
    std::os::unix::fs::symlink(target, link).unwrap();
}

/// A secret file beside (outside) the fixture handbook.
fn secret(book: &Book) -> std::path::PathBuf {
    let path = book.dir.path().join("secret.env");
    std::fs::write(&path, "API_KEY=do-not-publish\n").unwrap();
    path
}

/// Every file under `dir` that holds `needle`.
fn files_containing(dir: &Path, needle: &str) -> Vec<String> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .filter(|e| {
            std::fs::read(e.path())
                .map(|b| String::from_utf8_lossy(&b).contains(needle))
                .unwrap_or(false)
        })
        .map(|e| e.path().display().to_string())
        .collect()
}

#[cfg(unix)]
#[test]
fn symlinked_file_outside_the_handbook_is_not_published() {
    let book = Book::fixture("basic");
    let secret = secret(&book);
    symlink(&secret, &book.root().join("content/en/passwd.txt"));
    book.write(
        "content/en/clerk.md",
        "---\nid: clerk\ntitle: Clerk\n---\n\n## Tasks {#tasks}\n\nSee [the file](passwd.txt).\n",
    );
    let out = book.build();
    let err = stderr(&out);
    assert!(err.contains("outside-handbook"), "{err}");
    assert!(err.contains("content/en/passwd.txt"), "{err}");
    assert_eq!(
        files_containing(&book.out(), "do-not-publish"),
        Vec::<String>::new()
    );
    // Nor is it shown in the warning's snippet (that would print it).
    assert!(!err.contains("do-not-publish"), "{err}");
    let check = book.run(&["check"]);
    assert!(
        !stdout(&check).contains("do-not-publish"),
        "{}",
        stdout(&check)
    );
}

#[cfg(unix)]
#[test]
fn symlinked_folder_outside_the_handbook_is_not_published() {
    let book = Book::fixture("basic");
    let outside = book.dir.path().join("elsewhere");
    std::fs::create_dir_all(&outside).unwrap();
    std::fs::write(outside.join("keys.txt"), "do-not-publish").unwrap();
    std::fs::write(
        outside.join("stolen.md"),
        "---\nid: stolen\ntitle: do-not-publish\n---\n\ndo-not-publish\n",
    )
    .unwrap();
    symlink(&outside, &book.root().join("content/en/linked"));
    book.write(
        "content/en/clerk.md",
        "---\nid: clerk\ntitle: Clerk\n---\n\n## Tasks {#tasks}\n\nSee [keys](linked/keys.txt).\n",
    );
    let out = book.build();
    let err = stderr(&out);
    assert!(err.contains("outside-handbook"), "{err}");
    assert_eq!(
        files_containing(&book.out(), "do-not-publish"),
        Vec::<String>::new()
    );
}

#[cfg(unix)]
#[test]
fn a_content_folder_that_is_a_link_still_builds() {
    // content/ on a shared drive is a root of its own, not "outside".
    let book = Book::fixture("basic");
    let shared = book.dir.path().join("shared-drive");
    std::fs::rename(book.root().join("content"), &shared).unwrap();
    symlink(&shared, &book.root().join("content"));
    let out = book.build();
    assert!(
        !stderr(&out).contains("outside-handbook"),
        "{}",
        stderr(&out)
    );
    assert!(book.out().join("en/lead.html").is_file());
    assert!(book.out().join("assets/en/img/chart.svg").is_file());
}

#[cfg(unix)]
#[test]
fn output_guard_holds_when_content_is_a_link() {
    let book = Book::fixture("basic");
    let shared = book.dir.path().join("shared-drive");
    std::fs::rename(book.root().join("content"), &shared).unwrap();
    symlink(&shared, &book.root().join("content"));
    // The output folder named by its real path inside the linked content/.
    let inside = shared.join("site");
    let out = book.run(&["build", "--out", inside.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains("output-folder"), "{}", stderr(&out));
    assert!(!inside.exists());
}

#[test]
fn theme_may_not_be_a_path() {
    for theme in ["/usr/lib", "../x", "a/b", ".."] {
        let book = Book::fixture("basic");
        let toml = std::fs::read_to_string(book.root().join("book.toml")).unwrap();
        book.write(
            "book.toml",
            &format!("{toml}\n[build]\ntheme = \"{theme}\"\n"),
        );
        let out = book.run(&["check"]);
        assert_eq!(out.status.code(), Some(1), "{theme}: {}", stdout(&out));
        let text = stdout(&out) + &stderr(&out);
        assert!(text.contains("config-theme"), "{theme}: {text}");
    }
}

#[cfg(unix)]
#[test]
fn theme_reads_only_its_own_parts() {
    let book = Book::fixture("basic");
    let secret = secret(&book);
    let toml = std::fs::read_to_string(book.root().join("book.toml")).unwrap();
    book.write("book.toml", &format!("{toml}\n[build]\ntheme = \"corp\"\n"));
    book.write("themes/corp/static/corp.css", "body { color: teal }");
    // Neither a file outside the theme's parts nor a dangling link there is
    // read (the link made the whole build fail before).
    book.write("themes/corp/notes/private.txt", "do-not-publish");
    symlink(
        Path::new("/nonexistent/dangling"),
        &book.root().join("themes/corp/dangling"),
    );
    // A link inside static/ to a file outside is not published.
    symlink(&secret, &book.root().join("themes/corp/static/leak.txt"));
    let out = book.build();
    assert!(
        stderr(&out).contains("outside-handbook"),
        "{}",
        stderr(&out)
    );
    assert!(book.out().join("static/corp.css").is_file());
    assert_eq!(
        files_containing(&book.out(), "do-not-publish"),
        Vec::<String>::new()
    );
}

#[test]
fn killed_builds_leave_no_staging_folders_behind() {
    let book = Book::fixture("basic");
    // What a build killed with -9 leaves: pid 4194304 is above Linux's pid_max.
    let stale = book.root().join(".public.rolebook-new-4194304");
    std::fs::create_dir_all(stale.join("en")).unwrap();
    std::fs::write(stale.join("en/x.html"), "half a site").unwrap();
    let old = book.root().join(".public.rolebook-old-4194304");
    std::fs::create_dir_all(&old).unwrap();
    book.build();
    assert!(!stale.exists(), "stale staging folder kept");
    assert!(!old.exists(), "stale old-output folder kept");
    assert!(book.out().join("en/lead.html").is_file());
}

#[test]
fn mark_translated_replaces_a_block_scalar_value() {
    let book = Book::fixture("basic");
    let page = book.root().join("content/zh/clerk.md");
    let text = std::fs::read_to_string(&page).unwrap();
    let text = text.replacen("---\n", "---\ntranslated_from: >-\n  000000\n  000000\n", 1);
    std::fs::write(&page, text).unwrap();
    let marked = book.run(&["mark-translated", "clerk", "zh"]);
    assert!(marked.status.success(), "{}", stderr(&marked));
    let after = std::fs::read_to_string(&page).unwrap();
    assert!(!after.contains("000000"), "old value left:\n{after}");
    let report = stdout(&book.run(&["status"]));
    let clerk: Vec<&str> = report.lines().filter(|l| l.contains("clerk")).collect();
    assert!(!clerk.is_empty(), "{report}");
    assert!(clerk.iter().all(|l| !l.contains("stale")), "{report}");
}

#[cfg(unix)]
#[test]
fn mark_translated_never_writes_through_a_link_outside() {
    let book = Book::fixture("basic");
    let outside = book.dir.path().join("outside.md");
    let page = book.root().join("content/zh/clerk.md");
    std::fs::copy(&page, &outside).unwrap();
    std::fs::remove_file(&page).unwrap();
    symlink(&outside, &page);
    let before = std::fs::read(&outside).unwrap();
    let out = book.run(&["mark-translated", "clerk", "zh"]);
    assert!(!out.status.success(), "{}", stdout(&out));
    assert_eq!(std::fs::read(&outside).unwrap(), before);
}

#[test]
fn mark_translated_writes_a_new_file_and_renames_it() {
    let book = Book::fixture("basic");
    let page = book.root().join("content/zh/clerk.md");
    #[cfg(unix)]
    let inode = || std::os::unix::fs::MetadataExt::ino(&std::fs::metadata(&page).unwrap());
    #[cfg(unix)]
    let before = inode();
    let out = book.run(&["mark-translated", "clerk", "zh"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(std::fs::read_to_string(&page)
        .unwrap()
        .contains("translated_from:"));
    #[cfg(unix)]
    assert_ne!(inode(), before, "the page was rewritten in place");
    let leftovers = files_containing(&book.root().join("content/zh"), "translated_from");
    assert_eq!(leftovers.len(), 1, "{leftovers:?}");
}

/// Runs `rolebook ARGS` and kills it after `limit`; the output and how long it ran.
fn run_bounded(book: &Book, args: &[&str], limit: Duration) -> (Option<i32>, String, Duration) {
    let start = Instant::now();
    let mut child = book
        .command(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    while start.elapsed() < limit {
        if child.try_wait().unwrap().is_some() {
            let out = child.wait_with_output().unwrap();
            let text = stdout(&out) + &stderr(&out);
            return (out.status.code(), text, start.elapsed());
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let _ = child.kill();
    let out = child.wait_with_output().unwrap();
    (None, stdout(&out) + &stderr(&out), start.elapsed())
}

#[test]
fn a_template_that_loops_ends_check_and_build_with_an_error() {
    let book = Book::fixture("basic");
    let toml = std::fs::read_to_string(book.root().join("book.toml")).unwrap();
    book.write(
        "book.toml",
        &format!("{toml}\n[build]\ntheme = \"slow\"\nrender_timeout = 1\n"),
    );
    book.write(
        "themes/slow/templates/role.html",
        "{% for i in range(end=100000) %}{% for j in range(end=100000) %}{{ j }}{% endfor %}{% endfor %}",
    );
    for command in ["check", "build"] {
        let (code, text, took) = run_bounded(&book, &[command], Duration::from_secs(60));
        assert_eq!(code, Some(1), "{command} did not end: {text}");
        assert!(text.contains("template-render"), "{command}: {text}");
        assert!(text.contains("role.html"), "{command}: {text}");
        assert!(took < Duration::from_secs(30), "{command} took {took:?}");
    }
    assert!(!book.out().exists(), "a failed build wrote output");
}

#[test]
fn a_very_deep_org_chart_says_where_it_stops() {
    let book = Book::fixture("basic");
    std::fs::remove_dir_all(book.root().join("content")).unwrap();
    for n in 0..70 {
        let boss = if n == 0 {
            String::new()
        } else {
            format!("reports_to: r{}\n", n - 1)
        };
        book.write(
            &format!("content/en/r{n}.md"),
            &format!("---\nid: r{n}\ntitle: Role {n}\n{boss}---\n\nText.\n"),
        );
        book.write(
            &format!("content/zh/r{n}.md"),
            &format!("---\nid: r{n}\ntitle: 岗位 {n}\n---\n\n正文。\n"),
        );
    }
    let out = book.build();
    let err = stderr(&out);
    assert!(err.contains("org-chart-depth"), "{err}");
    assert!(err.contains("content/en/r65.md"), "{err}");
    let home = book.read_out("en/index.html");
    assert!(home.contains("org-cut"), "no note where the chart stops");
    // r0 at the top, then 64 levels below it: r65 and deeper are left out.
    assert_eq!(home.matches("class=\"org-role\"").count(), 65);
    assert!(book.read_out("zh/index.html").contains("更深的层级"));
}

#[cfg(target_os = "linux")]
#[test]
fn an_asset_whose_name_is_not_utf8_gets_a_clear_warning() {
    use std::os::unix::ffi::OsStrExt;
    let book = Book::fixture("basic");
    let name = std::ffi::OsStr::from_bytes(b"caf\xe9.png");
    std::fs::write(book.root().join("content/en").join(name), "png").unwrap();
    book.write(
        "content/en/clerk.md",
        "---\nid: clerk\ntitle: Clerk\n---\n\n## Tasks {#tasks}\n\n![photo](caf%E9.png)\n",
    );
    let out = book.run(&["build"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(err.contains("asset-name"), "{err}");
}

// Item 8: a build read each linked file whole into memory (a 1 GB video
// took 1 GB). Under a 400 MB address-space limit a 512 MB file must copy.
#[cfg(target_os = "linux")]
#[test]
fn build_copies_a_large_linked_file_without_reading_it_whole() {
    let book = Book::fixture("basic");
    let big = book.root().join("content/en/big.bin");
    std::fs::File::create(&big)
        .unwrap()
        .set_len(512 << 20)
        .unwrap();
    let page = book.root().join("content/en/clerk.md");
    let text = std::fs::read_to_string(&page).unwrap();
    std::fs::write(&page, format!("{text}\n[The video](big.bin)\n")).unwrap();
    let out = scrub_env(&mut Command::new("sh"))
        .arg("-c")
        .arg("ulimit -v 400000 && exec \"$0\" build")
        .arg(env!("CARGO_BIN_EXE_rolebook"))
        .current_dir(book.root())
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let copied = std::fs::metadata(book.out().join("assets/en/big.bin")).unwrap();
    assert_eq!(copied.len(), 512 << 20);
}
