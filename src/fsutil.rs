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

fn wrap<'p>(action: &'static str, path: &'p Path) -> impl FnOnce(io::Error) -> FsError + 'p {
    move |source| FsError {
        action,
        path: path.to_path_buf(),
        source,
    }
}

pub fn read(path: &Path) -> Result<Vec<u8>, FsError> {
    std::fs::read(path).map_err(wrap("cannot read", path))
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
