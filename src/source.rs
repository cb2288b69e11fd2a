//! Finding the handbook's files under `content/`.
//!
//! Second stage: walks `content/` (any depth, following symlinks but never
//! looping), reads every Markdown page as raw bytes and lists every other file
//! as a possible asset. Hidden files and editor leftovers are skipped.
//! `serve` passes what it already knows, so pages whose size and modification
//! time are unchanged are not read again, and, while its watcher reported
//! only edits of files the last walk found, that walk ([`Walk`]).

use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;
use walkdir::WalkDir;

use crate::diagnostic::{Code, Diagnostic};
use crate::fsutil;

/// A Markdown file as read from disk, not yet decoded.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// Path relative to the handbook root (`content/en/secretary.md`), for messages.
    pub file: String,
    /// Path relative to `content/` (`en/secretary.md`), for language detection and links.
    pub content_path: String,
    pub bytes: Vec<u8>,
    /// When the file was last modified, if the file system says.
    pub modified: Option<std::time::SystemTime>,
}

/// When a file was last changed, as far as the file system says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stamp {
    pub modified: Option<std::time::SystemTime>,
    pub len: u64,
}

/// Everything found under `content/`; `T` is what each page read became
/// (see [`load_since`]).
#[derive(Debug)]
pub struct Sources<T = SourceFile> {
    /// Pages that were read, in walk order.
    pub pages: Vec<T>,
    /// Pages not read because the caller said they are unchanged (root-relative).
    pub unchanged: Vec<String>,
    /// Every page found, root-relative, in walk order.
    pub order: Vec<String>,
    /// Stamp of every page found (only when the caller can skip unchanged pages).
    pub stamps: foldhash::HashMap<String, Stamp>,
    /// Other files, relative to `content/`; copied to the output when a page links them.
    pub assets: Vec<String>,
    /// The walk these sources come from (for a later [`load_since`]).
    pub walk: Arc<Walk>,
}

/// Whether a file name is something editors leave behind or hide.
pub fn is_ignored_name(name: &str) -> bool {
    name.starts_with('.')
        || name.starts_with('#')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
        || name.ends_with(".bak")
}

impl<T> Default for Sources<T> {
    fn default() -> Self {
        Sources {
            pages: Vec::new(),
            unchanged: Vec::new(),
            order: Vec::new(),
            stamps: foldhash::HashMap::default(),
            assets: Vec::new(),
            walk: Arc::default(),
        }
    }
}

/// Says whether the page at a root-relative path with this stamp is known
/// already (and need not be read). Asked first without a stamp: `true` then
/// means known and unchanged without a `stat` (the preview's watcher saw no
/// change to it).
pub type Unchanged<'a> = dyn Fn(&str, Option<Stamp>) -> bool + Sync + 'a;

/// A page known unchanged without a stamp (see [`Unchanged`]).
#[derive(Debug, Clone, Copy)]
struct Trusted;

/// Walks `root/content`. Unreadable entries and symlink loops become warnings.
pub fn load(root: &Path) -> (Sources, Vec<Diagnostic>) {
    load_since(root, None, None, &|source| source)
}

/// What a walk of `content/` found.
#[derive(Debug, Default)]
pub struct Walk {
    /// Every page file: (path, root-relative path), in walk order.
    pub pages: Vec<(PathBuf, String)>,
    /// Other files, relative to `content/`.
    pub assets: Vec<String>,
    /// Links leading outside, loops, unreadable entries, a missing content/.
    pub problems: Vec<Diagnostic>,
}

impl Walk {
    /// Walks `root/content` (sorted by name, following links that stay
    /// inside the handbook, skipping hidden files and editor leftovers).
    pub fn of(root: &Path) -> Walk {
        let content = root.join("content");
        let mut walk = Walk::default();
        if !content.is_dir() {
            walk.problems.push(
                Diagnostic::error(
                    Code::ContentMissing,
                    "content",
                    "there is no content/ folder",
                )
                .hint("create content/ and put one Markdown page per role and language in it"),
            );
            return walk;
        }
        let roots = crate::roots::Roots::resolve(root, None);
        let mut walker = WalkDir::new(&content)
            .follow_links(true)
            // By name: entries of one folder share its path up to their
            // names, so comparing whole paths as bytes orders them the same
            // as comparing names, without taking each name out of its path.
            .sort_by(|a, b| a.path().as_os_str().cmp(b.path().as_os_str()))
            .into_iter()
            .filter_entry(|e| e.depth() == 0 || !is_ignored_name(&e.file_name().to_string_lossy()));
        while let Some(entry) = walker.next() {
            match entry {
                // Only a link can lead outside: what lies below a folder that is
                // inside is inside too, unless it is a link itself.
                Ok(e) if e.depth() > 0 && e.path_is_symlink() && !roots.contains(e.path()) => {
                    walk.problems.push(outside_problem(root, e.path()));
                    if e.file_type().is_dir() {
                        walker.skip_current_dir();
                    }
                }
                Ok(e) if e.file_type().is_file() => {
                    let path = e.into_path();
                    if path.extension().is_some_and(|x| x == "md") {
                        let file = fsutil::relative(&path, root);
                        walk.pages.push((path, file));
                    } else {
                        match asset_name(root, &content, &path) {
                            Ok(asset) => walk.assets.push(asset),
                            Err(problem) => walk.problems.push(problem),
                        }
                    }
                }
                Ok(_) => {}
                Err(e) => walk.problems.push(walk_problem(root, &e)),
            }
        }
        walk
    }

    /// Whether this walk still describes `content/` after the files at
    /// `changed` (what the preview's watcher reported, every change since
    /// the walk) changed: when each under `content/` is a file the walk
    /// listed and still is one (an edit), or is gone and was never listed
    /// (an editor's temporary file). A walk that met a problem is never
    /// taken as still holding.
    pub fn still_holds(&self, root: &Path, changed: &[PathBuf]) -> bool {
        if !self.problems.is_empty() {
            return false;
        }
        // A save reports a file or two: a scan of the lists is cheapest. A
        // large batch (a checkout) looks its files up in sets instead, so
        // that the cost stays linear.
        let sets = (changed.len() > 8).then(|| {
            let pages: foldhash::HashSet<&str> = self.pages.iter().map(|(_, f)| &**f).collect();
            let assets: foldhash::HashSet<&str> = self.assets.iter().map(|a| &**a).collect();
            (pages, assets)
        });
        changed.iter().all(|path| {
            let file = fsutil::relative(path, root);
            let Some(inside) = file.strip_prefix("content/") else {
                return true;
            };
            let listed = match &sets {
                Some((pages, assets)) => pages.contains(&*file) || assets.contains(inside),
                None => {
                    self.pages.iter().any(|(_, f)| *f == file)
                        || self.assets.iter().any(|a| a == inside)
                }
            };
            match std::fs::symlink_metadata(path) {
                Ok(meta) => listed && meta.is_file(),
                Err(e) => !listed && e.kind() == std::io::ErrorKind::NotFound,
            }
        })
    }
}

/// [`load`], skipping the pages for which `unchanged(file, stamp)` says so
/// (without `unchanged`, files are not stamped: that saves a `stat` each),
/// and handing each page to `then` as soon as it is read (on all cores), so
/// that its bytes can be dropped at once rather than all held together.
/// `walked` is a walk known to still hold ([`Walk::still_holds`]); without
/// it `content/` is walked. The walk used is returned with the sources.
pub fn load_since<T: Send>(
    root: &Path,
    walked: Option<Arc<Walk>>,
    unchanged: Option<&Unchanged<'_>>,
    then: &(dyn Fn(SourceFile) -> T + Sync),
) -> (Sources<T>, Vec<Diagnostic>) {
    let start = std::time::Instant::now();
    let content = root.join("content");
    let walk = walked.unwrap_or_else(|| Arc::new(Walk::of(root)));
    let mut problems = walk.problems.clone();
    let mut page_paths: Vec<&Path> = Vec::new();
    let mut sources = Sources {
        order: walk.pages.iter().map(|(_, file)| file.clone()).collect(),
        assets: walk.assets.clone(),
        ..Sources::default()
    };
    let found = &walk.pages;
    // Stamped on every core: a `stat` each, 20,000 of them for a large
    // handbook's live preview (unless known unchanged without one).
    let stamps: Vec<Result<Option<Stamp>, Trusted>> = match unchanged {
        Some(unchanged) => found
            .par_iter()
            .map(|(path, file)| {
                if unchanged(file, None) {
                    return Err(Trusted);
                }
                let meta = std::fs::metadata(path).ok();
                Ok(meta.map(|meta| Stamp {
                    modified: meta.modified().ok(),
                    len: meta.len(),
                }))
            })
            .collect(),
        None => vec![Ok(None); found.len()],
    };
    sources.stamps.reserve(found.len());
    for ((path, file), stamp) in found.iter().zip(stamps) {
        let Ok(stamp) = stamp else {
            sources.unchanged.push(file.clone());
            continue;
        };
        if let Some(stamp) = stamp {
            sources.stamps.insert(file.clone(), stamp);
            if unchanged.is_some_and(|unchanged| unchanged(file, Some(stamp))) {
                sources.unchanged.push(file.clone());
                continue;
            }
        }
        page_paths.push(path);
    }
    crate::timing::Lap::start_at(start).lap("walk");
    let (pages, unread) = read_pages(root, &content, &page_paths, then);
    sources.pages = pages;
    problems.extend(unread);
    drop(page_paths);
    sources.walk = walk;
    (sources, problems)
}

/// Reads each page (on all cores) and hands it to `then` at once: what
/// `then` made of each page read, in order, and a problem for each page
/// that could not be read.
fn read_pages<T: Send>(
    root: &Path,
    content: &Path,
    paths: &[&Path],
    then: &(dyn Fn(SourceFile) -> T + Sync),
) -> (Vec<T>, Vec<Diagnostic>) {
    // Each page's `T` is written in its place in one list made at its full
    // length (an indexed collect), not gathered in pieces and moved again.
    let mut read = Vec::with_capacity(paths.len());
    paths
        .par_iter()
        .map(|path| {
            let file = fsutil::relative(path, root);
            match fsutil::read_with_time(path) {
                Ok((bytes, modified)) => Ok(then(SourceFile {
                    content_path: fsutil::relative(path, content),
                    file,
                    bytes,
                    modified,
                })),
                Err(e) => Err(Diagnostic::error(Code::ReadFailed, file, e.to_string())
                    .hint("check the file's permissions")),
            }
        })
        .collect_into_vec(&mut read);
    let mut problems = Vec::new();
    // The standard library collects this in place (an item only shrinks).
    let pages = read
        .into_iter()
        .filter_map(|r| r.map_err(|d| problems.push(d)).ok())
        .collect();
    (pages, problems)
}

/// The name of a file under content/ that is not a page, relative to
/// content/. Links and URLs are text: a name that is not UTF-8 can be
/// neither linked exactly nor published under its name.
fn asset_name(root: &Path, content: &Path, path: &Path) -> Result<String, Diagnostic> {
    if path
        .strip_prefix(content)
        .is_ok_and(|p| p.to_str().is_some())
    {
        return Ok(fsutil::relative(path, content));
    }
    Err(Diagnostic::warning(
        Code::AssetName,
        fsutil::relative(path, root),
        "this file's name is not valid UTF-8, so pages cannot link to it",
    )
    .hint("rename the file (e.g. with only letters, digits and -); links to it are reported as missing until then"))
}

/// A link under content/ whose target lies outside the handbook.
fn outside_problem(root: &Path, path: &Path) -> Diagnostic {
    let target = std::fs::read_link(path)
        .map(|t| format!(" (-> {})", t.display()))
        .unwrap_or_default();
    Diagnostic::warning(
        Code::OutsideHandbook,
        fsutil::relative(path, root),
        format!(
            "symbolic link{target} leads outside the handbook; its file is never read or published"
        ),
    )
    .hint("copy the file into content/ instead of linking to it, or remove the link")
}

fn walk_problem(root: &Path, e: &walkdir::Error) -> Diagnostic {
    let file = e
        .path()
        .map_or_else(|| "content".to_string(), |p| fsutil::relative(p, root));
    if e.loop_ancestor().is_some() {
        Diagnostic::warning(
            Code::SymlinkLoop,
            file,
            "symbolic link loops back to a parent folder; skipped",
        )
        .hint("remove the link or point it somewhere outside its own parents")
    } else {
        Diagnostic::warning(
            Code::WalkFailed,
            file,
            format!("cannot read this entry: {e}"),
        )
        .hint("check that the file or link exists and is readable")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ignores_editor_files() {
        for name in [".hidden.md", "a.md~", ".a.md.swp", ".#a.md", "#a.md#"] {
            assert!(is_ignored_name(name), "{name}");
        }
        assert!(!is_ignored_name("secretary.zh.md"));
    }

    #[test]
    fn a_walk_holds_while_only_files_it_lists_were_edited() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let c = root.join("content/en");
        std::fs::create_dir_all(&c).unwrap();
        std::fs::write(c.join("a.md"), "x").unwrap();
        std::fs::write(c.join("chart.png"), "x").unwrap();
        let walk = Walk::of(root);
        let holds = |paths: &[&str]| {
            let changed: Vec<PathBuf> = paths.iter().map(|p| root.join(p)).collect();
            walk.still_holds(root, &changed)
        };
        assert!(holds(&["content/en/a.md", "content/en/chart.png"]), "edits");
        // A large batch (a checkout) is looked up in sets: the same answers.
        let mut batch = vec!["content/en/a.md"; 9];
        batch.push("content/en/chart.png");
        assert!(holds(&batch), "a batch of edits");
        assert!(
            holds(&["content/en/.a.md.tmp-1", "book.toml", "themes/x/a.html"]),
            "gone, never listed; outside content/"
        );
        std::fs::write(c.join("b.md"), "x").unwrap();
        assert!(!holds(&["content/en/b.md"]), "a new page");
        batch.push("content/en/b.md");
        assert!(!holds(&batch), "a batch with a new page");
        std::fs::remove_file(c.join("chart.png")).unwrap();
        assert!(!holds(&["content/en/chart.png"]), "a listed file gone");
        std::fs::create_dir(c.join("more")).unwrap();
        assert!(!holds(&["content/en/more"]), "a new folder");
        std::fs::remove_file(c.join("a.md")).unwrap();
        std::fs::create_dir(c.join("a.md")).unwrap();
        assert!(!holds(&["content/en/a.md"]), "a listed file now a folder");
        let troubled = Walk {
            problems: vec![Diagnostic::warning(Code::WalkFailed, "content/x", "x")],
            ..Walk::of(root)
        };
        assert!(!troubled.still_holds(root, &[]), "a walk with problems");
    }

    #[test]
    fn splits_pages_and_assets() {
        let dir = tempfile::tempdir().unwrap();
        let c = dir.path().join("content/en");
        std::fs::create_dir_all(&c).unwrap();
        std::fs::write(c.join("a.md"), "x").unwrap();
        std::fs::write(c.join("a.md~"), "x").unwrap();
        std::fs::write(c.join("chart.png"), "x").unwrap();
        let (s, problems) = load(dir.path());
        assert!(problems.is_empty());
        assert_eq!(s.pages.len(), 1);
        assert_eq!(s.pages[0].file, "content/en/a.md");
        assert_eq!(s.pages[0].content_path, "en/a.md");
        assert_eq!(s.assets, ["en/chart.png"]);
    }
}
