//! Git history: when each page's text last changed in a commit.
//!
//! When the handbook lives in a git repository, a page's "Last updated" date
//! is the time of the last commit (following first parents, as `git log
//! --first-parent` does: the day a change landed on the branch) that changed
//! it, as long as the file on disk is still what that commit holds. A page
//! edited since (or never committed) keeps its file time. All pages are dated
//! by one walk back from `HEAD` that stops as soon as every page has its date
//! and only looks inside commits whose `content/` folder changed; no `git`
//! process is started. No repository, no commits or an unreadable one simply
//! means no git dates.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use gix::bstr::{BString, ByteSlice};
use gix::diff::tree::recorder::Change;
use gix::ObjectId;

/// The committed pages of a handbook: for each page under `content/`
/// (relative to `content/`), the blob `HEAD` holds and when it last changed.
#[derive(Debug, Default)]
pub struct History {
    pages: HashMap<String, (ObjectId, SystemTime)>,
}

impl History {
    /// The history of the repository that holds `root`, if any. Read once
    /// per `HEAD`: later calls (the preview's reloads) reuse it.
    pub fn read(root: &Path) -> Arc<History> {
        static LAST: Mutex<Option<(PathBuf, ObjectId, Arc<History>)>> = Mutex::new(None);
        let Some((repo, content)) = open(root) else {
            return Arc::default();
        };
        let Ok(head) = repo.head_id() else {
            return Arc::default();
        };
        let head = head.detach();
        let mut last = LAST.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((dir, id, history)) = last.as_ref() {
            if *dir == content && *id == head {
                return history.clone();
            }
        }
        let history = Arc::new(walk(&repo, &content, head).unwrap_or_default());
        *last = Some((content, head, history.clone()));
        history
    }

    /// When the page at `content_path` last changed in a commit, if the
    /// bytes on disk are exactly what `HEAD` holds.
    pub fn committed(&self, content_path: &str, bytes: &[u8]) -> Option<SystemTime> {
        let (blob, time) = self.pages.get(content_path)?;
        let on_disk = gix::objs::compute_hash(blob.kind(), gix::objs::Kind::Blob, bytes).ok()?;
        (on_disk == *blob).then_some(*time)
    }

    /// How many committed pages have a date.
    pub fn len(&self) -> usize {
        self.pages.len()
    }

    /// Whether no page has a git date.
    pub fn is_empty(&self) -> bool {
        self.pages.is_empty()
    }
}

/// The repository around `root` and the path of `content/` inside it.
fn open(root: &Path) -> Option<(gix::Repository, PathBuf)> {
    let repo = gix::discover(root).ok()?;
    let workdir = repo.workdir()?.canonicalize().ok()?;
    let content = root.canonicalize().ok()?.join("content");
    let inside = content.strip_prefix(&workdir).ok()?.to_path_buf();
    Some((repo, inside))
}

/// Walks back from `head` until every page `head` holds has its date.
fn walk(repo: &gix::Repository, content: &Path, head: ObjectId) -> Option<History> {
    let head_tree = content_tree(repo, head, content)?;
    // Every page HEAD holds: what is still to be dated.
    let mut pending: HashMap<BString, ObjectId> = changes(repo, None, head_tree)?
        .into_iter()
        .filter_map(|change| match change {
            Change::Addition {
                entry_mode,
                oid,
                path,
                ..
            } if entry_mode.is_blob() && path.ends_with(b".md") => Some((path, oid)),
            _ => None,
        })
        .collect();
    let mut pages = HashMap::with_capacity(pending.len());
    let commits = repo.rev_walk([head]).first_parent_only().all().ok()?;
    for info in commits {
        if pending.is_empty() {
            break;
        }
        let info = info.ok()?;
        let Some(tree) = content_tree(repo, info.id, content) else {
            break; // content/ did not exist before this commit
        };
        let parent = info
            .parent_ids()
            .next()
            .and_then(|p| content_tree(repo, p.detach(), content));
        if parent == Some(tree) {
            continue;
        }
        let when = commit_time(repo, info.id)?;
        for change in changes(repo, parent, tree)? {
            let path = match change {
                Change::Addition { path, .. } | Change::Modification { path, .. } => path,
                Change::Deletion { .. } => continue,
            };
            if let Some(blob) = pending.remove(&path) {
                if let Ok(path) = path.to_str() {
                    pages.insert(path.to_string(), (blob, when));
                }
            }
        }
    }
    Some(History { pages })
}

/// The id of the `content/` tree in `commit`, if it has one.
fn content_tree(repo: &gix::Repository, commit: ObjectId, content: &Path) -> Option<ObjectId> {
    let tree = repo.find_commit(commit).ok()?.tree().ok()?;
    if content.as_os_str().is_empty() {
        return Some(tree.id);
    }
    let entry = tree.lookup_entry_by_path(content).ok()??;
    entry.mode().is_tree().then(|| entry.object_id())
}

/// What changed from `old` (nothing when `None`) to `new`, files only.
fn changes(repo: &gix::Repository, old: Option<ObjectId>, new: ObjectId) -> Option<Vec<Change>> {
    let empty = repo.empty_tree();
    let old = match old {
        Some(id) => repo.find_tree(id).ok()?,
        None => empty,
    };
    let new = repo.find_tree(new).ok()?;
    let mut recorder = gix::diff::tree::Recorder::default();
    gix::diff::tree(
        gix::objs::TreeRefIter::from_bytes(&old.data, repo.object_hash()),
        gix::objs::TreeRefIter::from_bytes(&new.data, repo.object_hash()),
        gix::diff::tree::State::default(),
        &repo.objects,
        &mut recorder,
    )
    .ok()?;
    Some(recorder.records)
}

/// When `commit` was made (its committer time).
fn commit_time(repo: &gix::Repository, commit: ObjectId) -> Option<SystemTime> {
    let seconds = repo.find_commit(commit).ok()?.time().ok()?.seconds;
    let seconds = u64::try_from(seconds).ok()?;
    Some(SystemTime::UNIX_EPOCH + Duration::from_secs(seconds))
}
