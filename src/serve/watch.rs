//! Which file changes need a rebuild, and the file watcher that reports them.
//!
//! Watches folders, not files (editors replace files on save): ROOT itself
//! (non-recursively, for book.toml and for content/ and themes/ coming and
//! going), content/ and themes/ (recursively). A watch ends with the folder
//! it is on, so when content/ is deleted and made again (a branch switch, a
//! restore) the new folder is watched afresh. notify-debouncer-full merges the
//! events of one save, including the write-temp-then-rename sequence of
//! atomic saves.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{channel, Receiver};
use std::sync::Arc;
use std::time::Duration;

use notify::event::{AccessKind, AccessMode, EventKind, ModifyKind};
use notify::RecursiveMode;
use notify_debouncer_full::{new_debouncer, DebounceEventResult, Debouncer, RecommendedCache};

use crate::source::is_ignored_name;

/// Whether a change at `path` can change the site: book.toml, or a file under
/// content/ or themes/ that is not an editor leftover.
pub fn needs_rebuild(root: &Path, path: &Path) -> bool {
    let Ok(rel) = path.strip_prefix(root) else {
        return false;
    };
    let mut parts = rel.components().map(|c| c.as_os_str().to_string_lossy());
    let Some(first) = parts.next() else {
        return false;
    };
    if first == "book.toml" {
        return rel.components().count() == 1;
    }
    if first != "content" && first != "themes" {
        return false;
    }
    !rel.components()
        .any(|c| is_ignored_name(&c.as_os_str().to_string_lossy()))
}

/// Whether an event kind can mean the file's content changed. Plain reads
/// (open, close after reading) are reported too; rebuilding on them would
/// loop, since every rebuild reads every page.
pub fn is_change(kind: &EventKind) -> bool {
    match kind {
        EventKind::Create(_) | EventKind::Remove(_) | EventKind::Any => true,
        EventKind::Modify(m) => !matches!(
            m,
            ModifyKind::Metadata(notify::event::MetadataKind::AccessTime)
        ),
        EventKind::Access(AccessKind::Close(AccessMode::Write)) => true,
        EventKind::Access(_) | EventKind::Other => false,
    }
}

/// The folders watched recursively, relative to ROOT.
const WATCHED: [&str; 2] = ["content", "themes"];

/// Whether an event of `kind` at `path` may mean a watched folder itself was
/// removed, replaced or made: its watch must then be set up again. Reads of
/// the folder (every rebuild walks it) and edits inside it do not count.
pub fn touches_watched_folder(root: &Path, kind: &EventKind, path: &Path) -> bool {
    let restructures = matches!(
        kind,
        EventKind::Create(_)
            | EventKind::Remove(_)
            | EventKind::Any
            | EventKind::Modify(ModifyKind::Name(_) | ModifyKind::Any)
    );
    restructures && WATCHED.iter().any(|dir| path == root.join(dir))
}

/// What identifies a folder on disk: a folder made again under the same name
/// is another folder, and the old watch does not see into it.
#[cfg(unix)]
fn identity(path: &Path) -> Option<(u64, u64)> {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata(path).ok().map(|m| (m.dev(), m.ino()))
}

#[cfg(not(unix))]
fn identity(path: &Path) -> Option<(u64, u64)> {
    path.is_dir().then_some((0, 0))
}

/// A running watcher; dropping it stops watching.
pub struct Watcher {
    root: PathBuf,
    debouncer: Debouncer<notify::RecommendedWatcher, RecommendedCache>,
    /// Each folder watched recursively, with its identity when it was watched.
    watched: Vec<(PathBuf, Option<(u64, u64)>)>,
    /// Set by events on content/ or themes/ themselves.
    restructured: Arc<AtomicBool>,
    /// Set until the first batch, and whenever a change may have gone
    /// unreported: an error, an overflow (`need_rescan`), a watched folder
    /// removed or replaced. See [`Watcher::take_doubt`].
    doubt: Arc<AtomicBool>,
}

impl Watcher {
    /// Starts watching ROOT; one message arrives on the returned channel per
    /// batch of relevant changes: the paths that changed.
    pub fn start(
        root: &Path,
        delay: Duration,
    ) -> notify::Result<(Watcher, Receiver<Vec<PathBuf>>)> {
        let (tx, rx) = channel();
        let root_for_events: PathBuf = root.to_path_buf();
        let restructured = Arc::new(AtomicBool::new(false));
        let seen = restructured.clone();
        // Changes made before the watch started were not seen either.
        let doubt = Arc::new(AtomicBool::new(true));
        let doubted = doubt.clone();
        let mut debouncer = new_debouncer(delay, None, move |result: DebounceEventResult| {
            let Ok(events) = result else {
                doubted.store(true, Ordering::SeqCst);
                return;
            };
            if events.iter().any(|e| e.need_rescan()) {
                doubted.store(true, Ordering::SeqCst);
            }
            let restructured = events.iter().any(|e| {
                e.paths
                    .iter()
                    .any(|p| touches_watched_folder(&root_for_events, &e.kind, p))
            });
            if restructured {
                seen.store(true, Ordering::SeqCst);
                doubted.store(true, Ordering::SeqCst);
            }
            let relevant: Vec<PathBuf> = events
                .iter()
                .filter(|e| is_change(&e.kind))
                .flat_map(|e| e.paths.iter())
                .filter(|p| needs_rebuild(&root_for_events, p))
                .cloned()
                .collect();
            if !relevant.is_empty() {
                let _ = tx.send(relevant);
            }
        })?;
        debouncer.watch(root, RecursiveMode::NonRecursive)?;
        let mut watcher = Watcher {
            root: root.to_path_buf(),
            debouncer,
            watched: Vec::new(),
            restructured,
            doubt,
        };
        watcher.ensure_watched();
        Ok((watcher, rx))
    }

    /// Whether a change may have gone unreported since the last call (so
    /// every page must be stamped again); clears the doubt.
    pub fn take_doubt(&self) -> bool {
        self.doubt.swap(false, Ordering::SeqCst)
    }

    /// Watches content/ and themes/ when they exist and are not watched yet
    /// (a theme folder may be made while serving), and watches them afresh
    /// when they were removed or replaced since.
    pub fn ensure_watched(&mut self) {
        let restructured = self.restructured.swap(false, Ordering::SeqCst);
        let debouncer = &mut self.debouncer;
        self.watched.retain(|(path, id)| {
            let same = !restructured && identity(path) == *id;
            if !same {
                // The watch may be gone with its folder already.
                let _ = debouncer.unwatch(path);
            }
            same
        });
        for dir in WATCHED {
            let path = self.root.join(dir);
            let id = identity(&path);
            if path.is_dir()
                && !self.watched.iter().any(|(p, _)| *p == path)
                && debouncer.watch(&path, RecursiveMode::Recursive).is_ok()
            {
                self.watched.push((path, id));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_handbook_sources_trigger_rebuilds() {
        let root = Path::new("/hb");
        assert!(needs_rebuild(root, Path::new("/hb/book.toml")));
        assert!(needs_rebuild(root, Path::new("/hb/content/en/a.md")));
        assert!(needs_rebuild(
            root,
            Path::new("/hb/themes/default/templates/role.html")
        ));
        assert!(!needs_rebuild(root, Path::new("/hb/public/en/a.html")));
        assert!(!needs_rebuild(root, Path::new("/hb/content/en/.a.md.swp")));
        assert!(!needs_rebuild(root, Path::new("/hb/content/en/a.md~")));
        assert!(!needs_rebuild(root, Path::new("/hb/content/en/.#a.md")));
        assert!(!needs_rebuild(root, Path::new("/elsewhere/book.toml")));
    }

    #[test]
    fn only_the_watched_folders_themselves_need_watching_again() {
        use notify::event::{CreateKind, RemoveKind, RenameMode};
        let root = Path::new("/hb");
        let made = EventKind::Create(CreateKind::Folder);
        let gone = EventKind::Remove(RemoveKind::Folder);
        let moved = EventKind::Modify(ModifyKind::Name(RenameMode::Any));
        let read = EventKind::Access(AccessKind::Open(AccessMode::Any));
        assert!(touches_watched_folder(
            root,
            &made,
            Path::new("/hb/content")
        ));
        assert!(touches_watched_folder(root, &gone, Path::new("/hb/themes")));
        assert!(touches_watched_folder(
            root,
            &moved,
            Path::new("/hb/content")
        ));
        assert!(!touches_watched_folder(
            root,
            &read,
            Path::new("/hb/content")
        ));
        assert!(!touches_watched_folder(
            root,
            &made,
            Path::new("/hb/content/en")
        ));
        assert!(!touches_watched_folder(
            root,
            &gone,
            Path::new("/hb/book.toml")
        ));
    }

    #[cfg(unix)]
    #[test]
    fn a_folder_made_again_under_its_name_is_another_folder() {
        let dir = tempfile::tempdir().unwrap();
        let content = dir.path().join("content");
        std::fs::create_dir(&content).unwrap();
        let before = identity(&content);
        // Keep the old inode alive so the new folder cannot reuse its number.
        let kept = dir.path().join("kept");
        std::fs::rename(&content, &kept).unwrap();
        std::fs::create_dir(&content).unwrap();
        assert!(before.is_some());
        assert_ne!(identity(&content), before);
        assert_eq!(identity(&dir.path().join("gone")), None);
    }

    #[test]
    fn reads_are_not_changes() {
        use notify::event::{CreateKind, ModifyKind, RemoveKind};
        assert!(!is_change(&EventKind::Access(AccessKind::Open(
            AccessMode::Any
        ))));
        assert!(!is_change(&EventKind::Access(AccessKind::Close(
            AccessMode::Read
        ))));
        assert!(is_change(&EventKind::Access(AccessKind::Close(
            AccessMode::Write
        ))));
        assert!(is_change(&EventKind::Modify(ModifyKind::Any)));
        assert!(is_change(&EventKind::Create(CreateKind::File)));
        assert!(is_change(&EventKind::Remove(RemoveKind::File)));
    }

    /// Changes made before the watch started were not seen: the first call
    /// doubts, so the first rebuild stamps every page; then the doubt is gone
    /// until something raises it again (a watched folder replaced here).
    #[test]
    fn the_watcher_doubts_until_it_has_seen_everything() {
        let dir = tempfile::tempdir().unwrap();
        let content = dir.path().join("content");
        std::fs::create_dir_all(&content).unwrap();
        let (watcher, changes) = Watcher::start(dir.path(), Duration::from_millis(10)).unwrap();
        assert!(
            watcher.take_doubt(),
            "the first batch must stamp every page"
        );
        assert!(!watcher.take_doubt());
        // content/ removed and made again: changes in between were not seen.
        std::fs::remove_dir_all(&content).unwrap();
        std::fs::create_dir_all(&content).unwrap();
        let deadline = std::time::Instant::now() + Duration::from_secs(5);
        while !watcher.doubt.load(Ordering::SeqCst) && std::time::Instant::now() < deadline {
            let _ = changes.recv_timeout(Duration::from_millis(50));
        }
        assert!(
            watcher.take_doubt(),
            "a replaced content/ must bring the doubt back"
        );
    }
}
