//! The folders rolebook may read from, resolved once per run.
//!
//! A handbook is its folder, its `content/` and its theme folder; each may be
//! a symbolic link (content on a shared drive, a theme checked out elsewhere),
//! so each is resolved to its real path once. Any file whose real path lies
//! outside those folders (reached through a symlink inside `content/`, or a
//! link that climbs out) is never read, copied or served: anyone who can
//! commit a page and a symlink could otherwise publish any file the build can
//! read (keys, `.env`).

use std::fs::File;
use std::path::{Path, PathBuf};

/// The real paths of the folders a handbook may read from.
#[derive(Debug, Clone, Default)]
pub struct Roots {
    /// The handbook folder (book.toml's folder).
    pub handbook: PathBuf,
    /// `content/`.
    pub content: PathBuf,
    /// `themes/<name>/`, when the handbook has one.
    pub theme: Option<PathBuf>,
}

/// Why a file was not opened.
#[derive(Debug)]
pub enum Refusal {
    /// Its real path is outside every root.
    Outside(PathBuf),
    /// It could not be opened or resolved.
    Io(std::io::Error),
}

impl Roots {
    /// Resolves the roots of the handbook at `root` whose theme folder (if
    /// any) is `theme_dir`. Folders that do not exist resolve to themselves
    /// made absolute, so nothing is ever inside them by accident.
    pub fn resolve(root: &Path, theme_dir: Option<&Path>) -> Roots {
        let real = |p: &Path| {
            p.canonicalize()
                .unwrap_or_else(|_| crate::output::absolute(p))
        };
        Roots {
            handbook: real(root),
            content: real(&root.join("content")),
            theme: theme_dir.map(real),
        }
    }

    /// Whether the real path `real` (already canonical) lies inside a root.
    pub fn holds(&self, real: &Path) -> bool {
        real.starts_with(&self.handbook)
            || real.starts_with(&self.content)
            || self.theme.as_ref().is_some_and(|t| real.starts_with(t))
    }

    /// Whether `path` exists and its real path lies inside a root.
    pub fn contains(&self, path: &Path) -> bool {
        path.canonicalize().is_ok_and(|real| self.holds(&real))
    }

    /// Opens `path` for reading when its real path lies inside a root. The
    /// file is opened by its resolved path, so a link swapped between the
    /// check and the open cannot redirect it.
    pub fn open(&self, path: &Path) -> Result<File, Refusal> {
        let real = path.canonicalize().map_err(Refusal::Io)?;
        if !self.holds(&real) {
            return Err(Refusal::Outside(real));
        }
        File::open(&real).map_err(Refusal::Io)
    }

    /// Reads `path` whole when its real path lies inside a root.
    pub fn read(&self, path: &Path) -> Result<Vec<u8>, Refusal> {
        use std::io::Read;
        let mut file = self.open(path)?;
        let mut bytes = Vec::new();
        file.read_to_end(&mut bytes).map_err(Refusal::Io)?;
        Ok(bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn refuses_files_reached_through_links_that_leave_the_handbook() {
        let dir = tempfile::tempdir().unwrap();
        let book = dir.path().join("book");
        std::fs::create_dir_all(book.join("content/en")).unwrap();
        std::fs::write(dir.path().join("secret.txt"), "key").unwrap();
        std::fs::write(book.join("content/en/a.txt"), "fine").unwrap();
        std::os::unix::fs::symlink(
            dir.path().join("secret.txt"),
            book.join("content/en/secret.txt"),
        )
        .unwrap();
        let roots = Roots::resolve(&book, None);
        assert!(roots.contains(&book.join("content/en/a.txt")));
        assert!(!roots.contains(&book.join("content/en/secret.txt")));
        assert!(matches!(
            roots.read(&book.join("content/en/secret.txt")),
            Err(Refusal::Outside(_))
        ));
        assert_eq!(roots.read(&book.join("content/en/a.txt")).unwrap(), b"fine");
    }

    #[cfg(unix)]
    #[test]
    fn a_linked_content_folder_is_a_root_of_its_own() {
        let dir = tempfile::tempdir().unwrap();
        let book = dir.path().join("book");
        let shared = dir.path().join("shared-drive");
        std::fs::create_dir_all(shared.join("en")).unwrap();
        std::fs::create_dir_all(&book).unwrap();
        std::fs::write(shared.join("en/a.txt"), "fine").unwrap();
        std::fs::write(dir.path().join("other.txt"), "no").unwrap();
        std::os::unix::fs::symlink(&shared, book.join("content")).unwrap();
        let roots = Roots::resolve(&book, None);
        assert!(roots.contains(&book.join("content/en/a.txt")));
        assert!(!roots.contains(&book.join("content/../other.txt")));
    }
}
