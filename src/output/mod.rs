//! The rendered site in memory, and writing it to the output folder safely.
//!
//! Last stage. Rendering hands every output file to a [`Sink`]: `serve` keeps
//! them in memory ([`Site`]), `check` discards them, and `build` writes them
//! straight into a [`Staging`] folder beside the output (so the whole site is
//! never held in memory), which is swapped in only when all of it was
//! written: a failed build leaves the previous site byte for byte as it was
//! and no stale files remain. [`check_output_dir`] refuses output folders that
//! would overlap the handbook's own files.
//!
//! A rebuild into the same folder writes only what changed ([`staging`]).

mod staging;

use std::collections::BTreeMap;
use std::io::{self, Write};
use std::path::{Component, Path, PathBuf};
use std::sync::Mutex;

use crate::config::Config;
use crate::diagnostic::{Code, Diagnostic};
use crate::fsutil::{self, FsError};

pub use staging::{Staging, StagingStats};

/// Marker file that says a folder was written by rolebook and may be replaced.
pub const MARKER: &str = ".rolebook-output";

/// Every output file: path relative to the output root (`en/secretary.html`) -> bytes.
#[derive(Debug, Default, Clone)]
pub struct Site {
    pub files: BTreeMap<String, Vec<u8>>,
}

impl Site {
    pub fn insert(&mut self, path: String, bytes: Vec<u8>) {
        self.files.insert(path, bytes);
    }

    pub fn get(&self, path: &str) -> Option<&[u8]> {
        self.files.get(path).map(Vec::as_slice)
    }

    pub fn total_bytes(&self) -> usize {
        self.files.values().map(Vec::len).sum()
    }
}

/// Where rendered files go. Called from many threads at once.
pub trait Sink: Sync {
    fn put(&self, path: &str, bytes: &[u8]) -> Result<(), FsError>;

    /// Whether the bytes are thrown away (`check`): work whose only result
    /// is bytes, and that cannot fail (the search index, renaming ids in
    /// combined documents), may then be skipped.
    fn discards(&self) -> bool {
        false
    }

    /// Writes a file that `fill` produces piece by piece (a sink that
    /// writes to disk streams it; others collect it first).
    fn put_stream(
        &self,
        path: &str,
        fill: &mut dyn FnMut(&mut dyn Write) -> io::Result<()>,
    ) -> Result<(), FsError> {
        let mut bytes = Vec::new();
        fill(&mut bytes).map_err(fsutil::wrap("cannot write", Path::new(path)))?;
        self.put(path, &bytes)
    }
}

/// Collects the site in memory (for `serve`).
#[derive(Default)]
pub struct MemorySink(pub Mutex<Site>);

impl Sink for MemorySink {
    fn put(&self, path: &str, bytes: &[u8]) -> Result<(), FsError> {
        let mut site = self.0.lock().unwrap_or_else(|e| e.into_inner());
        site.insert(path.to_string(), bytes.to_vec());
        Ok(())
    }
}

/// Renders everything and keeps nothing (for `check`).
pub struct Discard;

impl Sink for Discard {
    fn put(&self, _: &str, _: &[u8]) -> Result<(), FsError> {
        Ok(())
    }

    fn discards(&self) -> bool {
        true
    }

    fn put_stream(
        &self,
        path: &str,
        fill: &mut dyn FnMut(&mut dyn Write) -> io::Result<()>,
    ) -> Result<(), FsError> {
        fill(&mut io::sink()).map_err(fsutil::wrap("cannot write", Path::new(path)))
    }
}

/// Lexically normalises `path` (no file-system access, so it works before OUT exists).
fn normalise(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other.as_os_str()),
        }
    }
    out
}

/// Line and column of the `output =` value in ROOT's book.toml (1:1 when
/// the file says nothing: the default applies).
fn output_line(root: &Path) -> (usize, usize) {
    let text = std::fs::read_to_string(root.join(crate::config::CONFIG_FILE)).unwrap_or_default();
    text.lines()
        .enumerate()
        .find_map(|(n, line)| {
            let key = line.trim_start();
            let rest = key.strip_prefix("output")?.trim_start().strip_prefix('=')?;
            let value = line.len() - rest.trim_start().len();
            Some((n + 1, line[..value].chars().count() + 1))
        })
        .unwrap_or((1, 1))
}

/// Absolute, normalised form of `path` (relative paths start at the current folder).
pub fn absolute(path: &Path) -> PathBuf {
    let joined = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(path)
    };
    let normal = normalise(&joined);
    // Resolve symlinks where the path exists, so two spellings compare equal.
    normal.canonicalize().unwrap_or(normal)
}

/// Where the output folder was chosen: on the command line (`--out`) or in
/// book.toml (`[build] output`); a refusal names that place.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutputChoice {
    Option,
    Config,
}

/// Refuses an output folder that is ROOT, lies inside content/ or themes/, or
/// contains them; and a non-empty folder that rolebook did not write.
pub fn check_output_dir(
    config: &Config,
    out: &Path,
    chosen: OutputChoice,
) -> Result<(), Diagnostic> {
    let root = absolute(&config.root);
    let out = absolute(out);
    let shown = out.display().to_string();
    let refuse = |why: String| {
        let problem = match chosen {
            OutputChoice::Option => Diagnostic::error(
                Code::OutputFolder,
                "--out",
                format!("refusing to write the site to {shown} (given with --out): {why}"),
            )
            .hint("give --out a folder of its own, e.g. `--out public`"),
            OutputChoice::Config => {
                let (line, column) = output_line(&config.root);
                Diagnostic::error(
                    Code::OutputFolder,
                    crate::config::CONFIG_FILE,
                    format!("refusing to write the site to {shown} ([build] output): {why}"),
                )
                .at(line, column)
                .hint("set [build] output in book.toml (or --out) to a folder of its own, e.g. `public`")
            }
        };
        Err(problem)
    };
    if out == root {
        return refuse("it is the handbook folder itself".into());
    }
    for protected in ["content", "themes"] {
        // Resolved, so a content/ that is a link (to a shared drive) is
        // protected where it really is.
        let dir = absolute(&root.join(protected));
        if out.starts_with(&dir) {
            return refuse(format!("it is inside {protected}/"));
        }
        if dir.starts_with(&out) {
            return refuse(format!("it contains the handbook's {protected}/ folder"));
        }
    }
    if root.starts_with(&out) {
        return refuse("it contains the handbook folder".into());
    }
    if out.is_file() {
        return refuse("it is a file".into());
    }
    let non_empty = std::fs::read_dir(&out)
        .map(|mut d| d.next().is_some())
        .unwrap_or(false);
    if non_empty && !out.join(MARKER).exists() {
        return refuse(format!(
            "it already holds files that rolebook did not write (no {MARKER} file), and a build replaces the whole folder"
        ));
    }
    Ok(())
}

/// Writes an in-memory `site` to `out` atomically (see [`Staging`]).
pub fn write_site(site: &Site, out: &Path) -> Result<(), FsError> {
    let staging = Staging::new(out)?;
    for (path, bytes) in &site.files {
        staging.put(path, bytes)?;
    }
    staging.commit()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(root: &Path) -> Config {
        Config::parse(
            root,
            "[book]\ndefault_language='en'\n[languages.en]\nname='E'\ntitle='H'\n",
        )
        .unwrap()
    }

    #[test]
    fn refuses_overlapping_output_folders() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("hb");
        std::fs::create_dir_all(root.join("content")).unwrap();
        let c = config(&root);
        for bad in [
            root.clone(),
            root.join("content/out"),
            root.join("themes/x"),
            dir.path().to_path_buf(),
        ] {
            assert!(
                check_output_dir(&c, &bad, OutputChoice::Option).is_err(),
                "{}",
                bad.display()
            );
        }
        assert!(check_output_dir(&c, &root.join("public"), OutputChoice::Config).is_ok());
        std::fs::create_dir_all(root.join("docs")).unwrap();
        std::fs::write(root.join("docs/keep.txt"), "mine").unwrap();
        assert!(check_output_dir(&c, &root.join("docs"), OutputChoice::Config).is_err());
    }

    #[test]
    fn write_replaces_the_folder_and_leaves_no_stale_files() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let mut site = Site::default();
        site.insert("en/a.html".into(), b"a".to_vec());
        write_site(&site, &out).unwrap();
        let mut site = Site::default();
        site.insert("en/b.html".into(), b"b".to_vec());
        write_site(&site, &out).unwrap();
        assert!(!out.join("en/a.html").exists());
        assert_eq!(std::fs::read(out.join("en/b.html")).unwrap(), b"b");
        let leftovers: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .flatten()
            .map(|e| e.file_name())
            .collect();
        assert_eq!(leftovers, ["public"]);
    }
}
