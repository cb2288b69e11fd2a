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
    if let Some(clean) = clean_rest(path, root) {
        return clean.to_string();
    }
    let rel = path.strip_prefix(root).unwrap_or(path);
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// What follows `root/` in `path`, when it is text that splitting into
/// components and joining them again with `/` would leave as it is (the
/// common case, such as a path the walk of `content/` made): found without
/// taking either path apart.
fn clean_rest<'p>(path: &'p Path, root: &Path) -> Option<&'p str> {
    use std::os::unix::ffi::OsStrExt;
    let root = root.as_os_str().as_bytes();
    let root = root.strip_suffix(b"/").unwrap_or(root);
    let rest = path.as_os_str().as_bytes().strip_prefix(root)?;
    let rest = std::str::from_utf8(rest.strip_prefix(b"/")?).ok()?;
    let plain = !root.is_empty()
        && !rest.is_empty()
        && !rest.starts_with("./")
        && !rest.ends_with('/')
        && !rest.ends_with("/.")
        && rest != "."
        && !rest.contains("//")
        && !rest.contains("/./");
    plain.then_some(rest)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `relative` as it is without the shortcut: components joined by `/`.
    fn by_components(path: &str, root: &str) -> String {
        let rel = Path::new(path)
            .strip_prefix(root)
            .unwrap_or(Path::new(path));
        let parts: Vec<_> = rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect();
        parts.join("/")
    }

    #[test]
    fn a_relative_path_is_the_same_with_or_without_the_shortcut() {
        let cases = [
            ("/hb/content/en/clerk.md", "/hb"),
            ("/hb/content/en/clerk.md", "/hb/"),
            ("./content/en/clerk.md", "."),
            ("/hb/content//en/./clerk.md", "/hb"),
            ("/hb/content/en/", "/hb"),
            ("/hb/./content/x.md", "/hb"),
            ("/hb/.", "/hb"),
            ("/hbx/content/x.md", "/hb"),
            ("/other/x.md", "/hb"),
            ("/hb", "/hb"),
            ("/hb/../x.md", "/hb"),
            ("/x.md", "/"),
        ];
        for (path, root) in cases {
            let expected = by_components(path, root);
            assert_eq!(
                relative(Path::new(path), Path::new(root)),
                expected,
                "{path} in {root}"
            );
        }
        // The shortcut is taken where it can be.
        assert_eq!(
            clean_rest(Path::new("/hb/content/a.md"), Path::new("/hb")),
            Some("content/a.md")
        );
        assert_eq!(
            clean_rest(Path::new("/hb/content//a.md"), Path::new("/hb")),
            None
        );
    }
}
