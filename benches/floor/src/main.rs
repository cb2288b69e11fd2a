//! The "floor" for rolebook's build benchmark: a single-threaded program that
//! only walks `ROOT/content/`, splits off each page's `---` front matter (the
//! title is the only field it looks at, with a plain line scan, no YAML parser),
//! renders the Markdown body with pulldown-cmark (same options as rolebook) and
//! writes one HTML file per page to `OUT/<same relative path>.html`.
//!
//!     rolebook-floor ROOT OUT [FILES BYTES]
//!
//! With FILES and BYTES (what another tool's output holds: `run.py` passes
//! rolebook's), it then writes filler files under `OUT/pad/` until OUT holds
//! that many files and bytes: the floor of writing the same output.
//!
//! Prints `floor: N pages in T ms -> OUT`. No cross-page work at all: no
//! pairing, no link checking, no templates, no index pages, no assets.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::time::Instant;

use pulldown_cmark::{html, Options, Parser};

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> io::Result<()> {
    let mut entries: Vec<_> = fs::read_dir(dir)?.collect::<Result<_, _>>()?;
    entries.sort_by_key(|e| e.file_name());
    for e in entries {
        let path = e.path();
        if e.file_type()?.is_dir() {
            walk(&path, out)?;
        } else if path.extension().is_some_and(|x| x == "md") {
            out.push(path);
        }
    }
    Ok(())
}

/// (title, body) of a page; the whole text is the body when there is no front matter.
fn split(text: &str) -> (&str, &str) {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let Some(rest) = text.strip_prefix("---\n") else { return ("", text) };
    let Some(end) = rest.find("\n---\n") else { return ("", text) };
    let front = &rest[..end];
    let title = front
        .lines()
        .find_map(|l| l.strip_prefix("title:"))
        .map(|t| t.trim().trim_matches('"'))
        .unwrap_or("");
    (title, &rest[end + 5..])
}

fn main() -> io::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    if args.len() != 3 && args.len() != 5 {
        eprintln!("usage: rolebook-floor ROOT OUT [FILES BYTES]");
        std::process::exit(2);
    }
    let target: Option<(usize, usize)> = (args.len() == 5).then(|| {
        let n = |s: &str| s.parse::<usize>().unwrap_or_else(|_| {
            eprintln!("FILES and BYTES are numbers");
            std::process::exit(2)
        });
        (n(&args[3]), n(&args[4]))
    });
    let mut written = (0usize, 0usize);
    let start = Instant::now();
    let content = Path::new(&args[1]).join("content");
    let out = PathBuf::from(&args[2]);
    let mut files = Vec::new();
    walk(&content, &mut files)?;
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES;
    let mut page = String::new();
    for file in &files {
        let text = fs::read_to_string(file)?;
        let (title, body) = split(&text);
        page.clear();
        page.push_str("<!doctype html>\n<meta charset=\"utf-8\">\n<title>");
        escape(title, &mut page);
        page.push_str("</title>\n<h1>");
        escape(title, &mut page);
        page.push_str("</h1>\n");
        html::push_html(&mut page, Parser::new_ext(body, options));
        let rel = file.strip_prefix(&content).expect("under content/");
        let target = out.join(rel).with_extension("html");
        if let Some(dir) = target.parent() {
            fs::create_dir_all(dir)?;
        }
        fs::write(&target, page.as_bytes())?;
        written.0 += 1;
        written.1 += page.len();
    }
    if let Some((files, bytes)) = target {
        pad(&out, &page, files.saturating_sub(written.0), bytes.saturating_sub(written.1))?;
    }
    println!("floor: {} pages in {} ms -> {}", files.len(), start.elapsed().as_millis(), out.display());
    Ok(())
}

/// Writes `files` files of `bytes` bytes in all under `out/pad/`, made of
/// `sample` repeated (100 to a folder, as sites spread their files).
fn pad(out: &Path, sample: &str, files: usize, bytes: usize) -> io::Result<()> {
    if files == 0 {
        return Ok(());
    }
    let each = bytes / files;
    // The last file takes the remainder too (fewer than `files` bytes).
    let longest = bytes - each * (files - 1);
    let mut buf = Vec::with_capacity(longest + sample.len() + 1);
    while buf.len() < longest {
        buf.extend_from_slice(sample.as_bytes());
        buf.push(b'\n');
    }
    for n in 0..files {
        let dir = out.join("pad").join((n / 100).to_string());
        if n % 100 == 0 {
            fs::create_dir_all(&dir)?;
        }
        let len = if n + 1 == files { longest } else { each };
        fs::write(dir.join(format!("{n}.html")), &buf[..len])?;
    }
    Ok(())
}

/// Minimal HTML escaping of the title (keeps the floor free of extra crates).
fn escape(s: &str, out: &mut String) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            _ => out.push(c),
        }
    }
}
