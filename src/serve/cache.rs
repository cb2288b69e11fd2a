//! What `serve` keeps between loads, per page file: its stamp, what it
//! parsed to (without the Markdown body) and its rendered Markdown. A page
//! whose size and modification time are unchanged is not read again (unless
//! the watcher saw it change: [`PageCache::forget`]); its rendered Markdown
//! is reused while everything links can point at (role ids, page paths,
//! assets) is unchanged too. Any change to book.toml starts afresh. While
//! the watcher reports only edits of files the last walk of content/
//! found, that walk is used again ([`crate::source::Walk::still_holds`]).

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::load::{Kept, KeptPages, Reuse};
use crate::source::{Stamp, Walk};

/// `serve`'s page cache, handed to [`crate::load::load_with`].
#[derive(Default)]
pub struct PageCache {
    /// book.toml as last read.
    book: Vec<u8>,
    pages: KeptPages,
    /// Whether the watcher has seen every change since the last load: the
    /// pages it did not report are then not stamped again ([`Reuse::trusted`]).
    pub trust_watcher: bool,
    /// The last load's walk of content/, and whether it holds for the next
    /// load (set by [`PageCache::changed`], used once).
    walk: Option<Arc<Walk>>,
    walk_holds: bool,
}

impl PageCache {
    /// Forgets what is kept for the page at `file` (root-relative), so the
    /// next load reads it again even if its size and modification time look
    /// unchanged (`cp -p`, `rsync -t` and coarse clocks keep them).
    pub fn forget(&mut self, file: &str) {
        self.pages.remove(file);
    }

    /// Before a load: the watcher reported `changed` (every path since the
    /// last load) and, with `trusted`, missed nothing. The next load reads
    /// those files again even when their size and modification time look
    /// the same (`cp -p`, `rsync -t`, coarse clocks), and walks content/
    /// again only if the change may have altered what a walk finds.
    pub fn changed(&mut self, root: &Path, changed: &[PathBuf], trusted: bool) {
        for path in changed {
            self.forget(&crate::fsutil::relative(path, root));
        }
        self.trust_watcher = trusted;
        self.walk_holds = trusted
            && self
                .walk
                .as_ref()
                .is_some_and(|walk| walk.still_holds(root, changed));
    }
}

impl Reuse for PageCache {
    fn active(&self) -> bool {
        true
    }

    fn start(&mut self, book: &[u8]) {
        if book != self.book {
            self.book = book.to_vec();
            self.pages.clear();
        }
    }

    fn known(&self, file: &str, stamp: Stamp) -> bool {
        self.pages.get(file).is_some_and(|(s, _)| *s == stamp)
    }

    fn trusted(&self, file: &str) -> bool {
        self.trust_watcher && self.pages.contains_key(file)
    }

    fn take(&mut self, file: &str) -> Option<(Stamp, Kept)> {
        self.pages.remove(file)
    }

    fn keep(&mut self, pages: KeptPages) {
        self.pages = pages;
    }

    fn walk(&mut self) -> Option<Arc<Walk>> {
        std::mem::take(&mut self.walk_holds)
            .then(|| self.walk.clone())
            .flatten()
    }

    fn keep_walk(&mut self, walk: Arc<Walk>) {
        self.walk = Some(walk);
    }
}
