//! File-system helpers whose errors always name the path they were about.

use std::io;
use std::path::{Path, PathBuf};

/// An I/O error together with the path it happened on.
#[derive(Debug, thiserror::Error)]
#[error("{action} {path}: {source}")]
pub struct FsError {
    pub action: &'static str,
    pub path: PathBuf,
    #[source]
    pub source: io::Error,
}

/// Turns an I/O error into an [`FsError`] that says what was done to `path`.
pub fn wrap<'p>(action: &'static str, path: &'p Path) -> impl FnOnce(io::Error) -> FsError + 'p {
    move |source| FsError {
        action,
        path: path.to_path_buf(),
        source,
    }
}

pub fn read(path: &Path) -> Result<Vec<u8>, FsError> {
    std::fs::read(path).map_err(wrap("cannot read", path))
}

/// The file's bytes and when it was last modified, from one open (the time
/// comes from the open file, not from a second look-up by name).
pub fn read_with_time(path: &Path) -> Result<(Vec<u8>, Option<std::time::SystemTime>), FsError> {
    use std::io::Read;
    let file = std::fs::File::open(path).map_err(wrap("cannot read", path))?;
    let meta = file.metadata().ok();
    let mut bytes = Vec::with_capacity(meta.as_ref().map_or(0, |m| m.len() as usize));
    // Through `take`: `File`'s own `read_to_end` asks the size again (a
    // `stat` and a seek per file, 40,000 calls for a large handbook).
    file.take(u64::MAX)
        .read_to_end(&mut bytes)
        .map_err(wrap("cannot read", path))?;
    Ok((bytes, meta.and_then(|m| m.modified().ok())))
}

pub fn read_to_string(path: &Path) -> Result<String, FsError> {
    std::fs::read_to_string(path).map_err(wrap("cannot read", path))
}

pub fn write(path: &Path, bytes: &[u8]) -> Result<(), FsError> {
    if let Some(parent) = path.parent() {
        create_dir_all(parent)?;
    }
    std::fs::write(path, bytes).map_err(wrap("cannot write", path))
}

/// Replaces `path` with `bytes` by writing a new file beside it and renaming
/// it over the old one, so a crash never leaves half a file behind.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), FsError> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let temp = path.with_file_name(format!(".{name}.rolebook-{}", std::process::id()));
    std::fs::write(&temp, bytes).map_err(wrap("cannot write", &temp))?;
    if let Ok(meta) = std::fs::metadata(path) {
        // Keep the page's permissions (a read-only bit stays as it was).
        let _ = std::fs::set_permissions(&temp, meta.permissions());
    }
    std::fs::rename(&temp, path).map_err(|e| {
        let _ = std::fs::remove_file(&temp);
        wrap("cannot replace", path)(e)
    })
}

pub fn create_dir_all(path: &Path) -> Result<(), FsError> {
    std::fs::create_dir_all(path).map_err(wrap("cannot create folder", path))
}

pub fn rename(from: &Path, to: &Path) -> Result<(), FsError> {
    std::fs::rename(from, to).map_err(wrap("cannot move", from))
}

pub fn remove_dir_all(path: &Path) -> Result<(), FsError> {
    std::fs::remove_dir_all(path).map_err(wrap("cannot remove", path))
}

/// `path` relative to `root`, with `/` separators (for messages and URLs).
pub fn relative(path: &Path, root: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}
