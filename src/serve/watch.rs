//! Which file changes need a rebuild, and the file watcher that reports them.
//!
//! Watches folders, not files (editors replace files on save): ROOT itself
//! (non-recursively, for book.toml), content/ and themes/ (recursively).
//! notify-debouncer-full merges the events of one save, including the
//! write-temp-then-rename sequence of atomic saves.

use std::path::{Path, PathBuf};
use std::sync::mpsc::{channel, Receiver};
use std::time::Duration;

use notify::event::{AccessKind, AccessMode, EventKind};
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
            notify::event::ModifyKind::Metadata(notify::event::MetadataKind::AccessTime)
        ),
        EventKind::Access(AccessKind::Close(AccessMode::Write)) => true,
        EventKind::Access(_) | EventKind::Other => false,
    }
}

/// A running watcher; dropping it stops watching.
pub struct Watcher {
    root: PathBuf,
    debouncer: Debouncer<notify::RecommendedWatcher, RecommendedCache>,
    watched: Vec<PathBuf>,
}

impl Watcher {
    /// Starts watching ROOT; one message arrives on the returned channel per
    /// batch of relevant changes.
    pub fn start(root: &Path, delay: Duration) -> notify::Result<(Watcher, Receiver<()>)> {
        let (tx, rx) = channel();
        let root_for_events: PathBuf = root.to_path_buf();
        let mut debouncer = new_debouncer(delay, None, move |result: DebounceEventResult| {
            if let Ok(events) = result {
                let relevant = events
                    .iter()
                    .filter(|e| is_change(&e.kind))
                    .flat_map(|e| e.paths.iter())
                    .any(|p| needs_rebuild(&root_for_events, p));
                if relevant {
                    let _ = tx.send(());
                }
            }
        })?;
        debouncer.watch(root, RecursiveMode::NonRecursive)?;
        let mut watcher = Watcher {
            root: root.to_path_buf(),
            debouncer,
            watched: Vec::new(),
        };
        watcher.ensure_watched();
        Ok((watcher, rx))
    }

    /// Watches content/ and themes/ if they exist and are not watched yet
    /// (a theme folder may be created while serving).
    pub fn ensure_watched(&mut self) {
        for dir in ["content", "themes"] {
            let path = self.root.join(dir);
            if path.is_dir()
                && !self.watched.contains(&path)
                && self
                    .debouncer
                    .watch(&path, RecursiveMode::Recursive)
                    .is_ok()
            {
                self.watched.push(path);
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
}
