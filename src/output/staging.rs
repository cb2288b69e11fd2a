//! The staging folder a build writes into, swapped in for the output when
//! all of it is written ([`Staging`]).
//!
//! A rebuild into the same folder writes only what changed: a staged file
//! whose bytes equal the previous output's copy (same length, then same
//! bytes) is hard-linked from there instead of written. So a repeated build
//! creates almost no inodes (slow on ext4 for a while after the previous
//! build's large delete), and removing the replaced output only unlinks
//! names. A linked file shares its inode with the live output, so a staged
//! path is never opened for writing in place (see `create_new`); on a file
//! system without hard links the first failed link turns linking off for the
//! rest of the build.

use std::fs::{File, Metadata};
use std::io::{self, ErrorKind, Read, Seek, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use super::{absolute, Sink, MARKER};
use crate::fsutil::{self, FsError};

/// A fresh folder beside the output that a build writes into; [`Staging::commit`]
/// swaps it in for the output, dropping it uncommitted removes it. Files
/// that did not change are linked from the previous output, not written.
pub struct Staging {
    dir: PathBuf,
    out: PathBuf,
    /// The output being replaced, when rolebook wrote it (it has the [`MARKER`]).
    previous: Option<PathBuf>,
    /// Set when a hard link failed for another reason than a missing file
    /// (a file system without them, permissions): every later file is written.
    links_off: AtomicBool,
    written: AtomicUsize,
    linked: AtomicUsize,
    committed: bool,
}

/// How many files a build wrote anew, and how many it linked from the
/// previous output because their bytes had not changed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct StagingStats {
    pub written: usize,
    pub linked: usize,
}

impl Staging {
    pub fn new(out: &Path) -> Result<Staging, FsError> {
        let out = absolute(out);
        let parent = out
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_else(|| PathBuf::from("."));
        fsutil::create_dir_all(&parent)?;
        let name = out
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "public".into());
        remove_stale(&parent, &name);
        let dir = parent.join(format!(".{name}.rolebook-new-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        fsutil::create_dir_all(&dir)?;
        let previous = out.join(MARKER).is_file().then(|| out.clone());
        Ok(Staging {
            dir,
            out,
            previous,
            links_off: AtomicBool::new(false),
            written: AtomicUsize::new(0),
            linked: AtomicUsize::new(0),
            committed: false,
        })
    }

    /// Files written and linked so far.
    pub fn stats(&self) -> StagingStats {
        StagingStats {
            written: self.written.load(Ordering::Relaxed),
            linked: self.linked.load(Ordering::Relaxed),
        }
    }

    /// Replaces the output folder with the staged one.
    pub fn commit(mut self) -> Result<(), FsError> {
        self.put(
            MARKER,
            b"This folder is written by rolebook build and replaced whole on every build.\n",
        )?;
        let old = self.dir.with_file_name(
            self.dir
                .file_name()
                .map(|n| n.to_string_lossy().replace("-new-", "-old-"))
                .unwrap_or_default(),
        );
        if self.out.exists() {
            fsutil::rename(&self.out, &old)?;
        }
        if let Err(e) = fsutil::rename(&self.dir, &self.out) {
            // Put the previous site back.
            let _ = std::fs::rename(&old, &self.out);
            return Err(e);
        }
        self.committed = true;
        if old.exists() {
            fsutil::remove_dir_all(&old)?;
        }
        Ok(())
    }
}

/// Removes the staging folders (`.public.rolebook-new-<pid>`, `-old-<pid>`)
/// that builds killed midway left beside the output: those whose process is
/// gone. A build still running elsewhere keeps its own.
fn remove_stale(parent: &Path, name: &str) {
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    let prefix = format!(".{name}.rolebook-");
    for entry in entries.flatten() {
        let file_name = entry.file_name();
        let Some(rest) = file_name.to_str().and_then(|n| n.strip_prefix(&prefix)) else {
            continue;
        };
        let pid = rest
            .strip_prefix("new-")
            .or_else(|| rest.strip_prefix("old-"))
            .and_then(|p| p.parse::<u32>().ok());
        if pid.is_some_and(|pid| !process_alive(pid, &entry.path())) {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

/// Whether the build that made `folder` may still be running. Where there is
/// no /proc, a folder untouched for a day is taken as abandoned.
fn process_alive(pid: u32, folder: &Path) -> bool {
    if pid == std::process::id() {
        return false;
    }
    let proc = Path::new("/proc");
    if proc.join("self").exists() {
        return proc.join(pid.to_string()).exists();
    }
    let age = std::fs::metadata(folder)
        .and_then(|m| m.modified())
        .ok()
        .and_then(|t| t.elapsed().ok());
    age.is_none_or(|a| a < std::time::Duration::from_secs(24 * 3600))
}

impl Sink for Staging {
    fn put(&self, path: &str, bytes: &[u8]) -> Result<(), FsError> {
        let mut file = self.start(path, Some(bytes.len() as u64))?;
        file.write_all(bytes)
            .map_err(fsutil::wrap("cannot write", &file.target))?;
        file.finish()
    }

    fn put_stream(
        &self,
        path: &str,
        fill: &mut dyn FnMut(&mut dyn Write) -> io::Result<()>,
    ) -> Result<(), FsError> {
        let file = self.start(path, None)?;
        let target = file.target.clone();
        // Writes (or comparisons) in large pieces, however small fill's are.
        let mut writer = io::BufWriter::with_capacity(1 << 16, file);
        fill(&mut writer).map_err(fsutil::wrap("cannot write", &target))?;
        writer
            .into_inner()
            .map_err(|e| fsutil::wrap("cannot write", &target)(e.into_error()))?
            .finish()
    }
}

/// Creates `target` as a new file (and its folder): never opens one that is
/// there already, which may be a link to the live output's copy (a path put
/// twice: the first copy is removed, not written over).
fn create_new(target: &Path) -> Result<File, FsError> {
    let open = || File::options().write(true).create_new(true).open(target);
    let mut file = open();
    for _ in 0..2 {
        match &file {
            Err(e) if e.kind() == ErrorKind::NotFound => {
                if let Some(parent) = target.parent() {
                    fsutil::create_dir_all(parent)?;
                }
            }
            Err(e) if e.kind() == ErrorKind::AlreadyExists => {
                std::fs::remove_file(target).map_err(fsutil::wrap("cannot replace", target))?;
            }
            _ => break,
        }
        file = open();
    }
    file.map_err(fsutil::wrap("cannot write", target))
}

/// The previous output's copy of a staged file, open: compared through this
/// handle and linked only if the link turns out to be this very file.
struct OldCopy {
    path: PathBuf,
    file: File,
    meta: Metadata,
}

/// One file going into staging. While its bytes equal the start of the
/// previous copy nothing is written; at the first difference the new file is
/// created with the equal part copied from the old one, and at the end a
/// file that equals the old one whole is linked.
struct Staged<'s> {
    staging: &'s Staging,
    target: PathBuf,
    state: State,
}

enum State {
    /// The first `matched` bytes equal the old copy's.
    Same {
        old: Box<OldCopy>,
        matched: u64,
    },
    New(File),
}

impl Staging {
    /// Starts the staged file `path`; `len`, when known, rules out an old
    /// copy of another length without reading it.
    fn start(&self, path: &str, len: Option<u64>) -> Result<Staged<'_>, FsError> {
        let target = self.dir.join(path);
        let state = match self.old_copy(path) {
            Some(old) if len.is_none_or(|len| len == old.meta.len()) => {
                State::Same { old, matched: 0 }
            }
            _ => State::New(create_new(&target)?),
        };
        Ok(Staged {
            staging: self,
            target,
            state,
        })
    }

    fn old_copy(&self, path: &str) -> Option<Box<OldCopy>> {
        if self.links_off.load(Ordering::Relaxed) {
            return None;
        }
        let path = self.previous.as_ref()?.join(path);
        let file = File::open(&path).ok()?;
        let meta = file.metadata().ok()?;
        meta.is_file()
            .then(|| Box::new(OldCopy { path, file, meta }))
    }

    /// Hard-links `old` at `target`; false when it could not, `target` then absent.
    fn link(&self, old: &OldCopy, target: &Path) -> bool {
        for _ in 0..3 {
            match std::fs::hard_link(&old.path, target) {
                // Another build may have swapped the output since `old` was opened.
                Ok(()) if same_file(&old.meta, target) => return true,
                Ok(()) => {
                    let _ = std::fs::remove_file(target);
                    return false;
                }
                // Put twice: the first copy goes (never written over).
                Err(e) if e.kind() == ErrorKind::AlreadyExists => {
                    let _ = std::fs::remove_file(target);
                }
                // The staged folder is not there yet (or the old copy is gone).
                Err(e) if e.kind() == ErrorKind::NotFound => {
                    let Some(parent) = target.parent() else {
                        return false;
                    };
                    if std::fs::create_dir_all(parent).is_err() {
                        return false;
                    }
                }
                Err(_) => {
                    self.links_off.store(true, Ordering::Relaxed);
                    return false;
                }
            }
        }
        false
    }
}

/// Whether `target` is the file `old` describes.
#[cfg(unix)]
fn same_file(old: &Metadata, target: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    std::fs::symlink_metadata(target).is_ok_and(|m| m.ino() == old.ino() && m.dev() == old.dev())
}

#[cfg(not(unix))]
fn same_file(old: &Metadata, target: &Path) -> bool {
    std::fs::symlink_metadata(target).is_ok_and(|m| m.is_file() && m.len() == old.len())
}

impl Staged<'_> {
    /// Leaves the comparison: creates the new file with the bytes that
    /// matched so far, read back from the old copy.
    fn diverge(&mut self) -> io::Result<&mut File> {
        if let State::Same { old, matched } = &mut self.state {
            let mut file = create_new(&self.target).map_err(|e| e.source)?;
            let mut reader = &old.file;
            reader.rewind()?;
            let copied = io::copy(&mut reader.take(*matched), &mut file)?;
            if copied != *matched {
                return Err(io::Error::new(
                    ErrorKind::UnexpectedEof,
                    "the previous output's copy shrank while it was read",
                ));
            }
            self.state = State::New(file);
        }
        match &mut self.state {
            State::New(file) => Ok(file),
            State::Same { .. } => Err(io::Error::other("staged file not created")),
        }
    }

    /// Links the file when it equals the old copy whole, else completes it.
    fn finish(mut self) -> Result<(), FsError> {
        let staging = self.staging;
        if let State::Same { old, matched } = &self.state {
            if *matched == old.meta.len() && staging.link(old, &self.target) {
                staging.linked.fetch_add(1, Ordering::Relaxed);
                return Ok(());
            }
        }
        self.diverge()
            .map(drop)
            .map_err(fsutil::wrap("cannot write", &self.target))?;
        staging.written.fetch_add(1, Ordering::Relaxed);
        Ok(())
    }
}

impl Write for Staged<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if let State::Same { old, matched } = &mut self.state {
            let n = buf.len().min(1 << 16);
            if *matched + n as u64 <= old.meta.len() {
                let mut theirs = vec![0; n];
                if (&old.file).read_exact(&mut theirs).is_ok() && theirs == buf[..n] {
                    *matched += n as u64;
                    return Ok(n);
                }
            }
        }
        self.diverge()?.write(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        match &mut self.state {
            State::New(file) => file.flush(),
            State::Same { .. } => Ok(()),
        }
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An output folder from an earlier build holding `files`.
    fn previous_output(files: &[(&str, &[u8])]) -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        std::fs::create_dir_all(&out).unwrap();
        std::fs::write(out.join(MARKER), "").unwrap();
        for (path, bytes) in files {
            fsutil::write(&out.join(path), bytes).unwrap();
        }
        (dir, out)
    }

    fn stats(written: usize, linked: usize) -> StagingStats {
        StagingStats { written, linked }
    }

    #[test]
    fn a_path_put_again_after_it_was_linked_leaves_the_previous_output_alone() {
        let (_dir, out) = previous_output(&[("en/a.html", b"old page")]);
        let staging = Staging::new(&out).unwrap();
        staging.put("en/a.html", b"old page").unwrap();
        assert_eq!(staging.stats(), stats(0, 1), "equal bytes are linked");
        staging.put("en/a.html", b"new page").unwrap();
        staging.put("en/a.html", b"old page").unwrap();
        staging
            .put_stream("en/a.html", &mut |w| w.write_all(b"old page, longer"))
            .unwrap();
        assert_eq!(staging.stats(), stats(2, 2));
        let staged = staging.dir.join("en/a.html");
        assert_eq!(std::fs::read(staged).unwrap(), b"old page, longer");
        drop(staging);
        assert_eq!(std::fs::read(out.join("en/a.html")).unwrap(), b"old page");
    }

    #[test]
    fn streamed_files_are_compared_piece_by_piece_and_written_whole_when_they_differ() {
        let old: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
        let (_dir, out) = previous_output(&[("print.html", &old)]);
        let staging = Staging::new(&out).unwrap();
        // In small pieces, as templates write: equal, so linked.
        let stream = |bytes: &[u8]| {
            staging
                .put_stream("print.html", &mut |w| {
                    bytes.chunks(1000).try_for_each(|piece| w.write_all(piece))
                })
                .unwrap();
            std::fs::read(staging.dir.join("print.html")).unwrap()
        };
        assert_eq!(stream(&old), old);
        assert_eq!(staging.stats(), stats(0, 1));
        // Differing late, shorter, longer: the equal start comes from the old copy.
        let mut late = old.clone();
        late[150_000] ^= 1;
        let longer = [&old[..], b"more"].concat();
        for new in [&late[..], &old[..120_000], &longer] {
            assert_eq!(stream(new), new);
        }
        assert_eq!(staging.stats(), stats(3, 1));
        drop(staging);
        assert_eq!(std::fs::read(out.join("print.html")).unwrap(), old);
    }
}
