//! `rolebook mark-translated ID LANG [--section NAME]`: records in a
//! translation that it is up to date with the current original (or, with
//! `--section`, with one section of it), editing only its
//! `translated_from:` line, never through a link to a file outside the
//! handbook, and by writing a new file and renaming it. Keeps the original
//! as translated in `.rolebook/originals/` ([`crate::drift::snapshot`]).

use std::path::{Path, PathBuf};

use crate::drift::{self, snapshot};
use crate::frontmatter::Page;
use crate::id::LangId;
use crate::{diagnostic, frontmatter, fsutil, load, roots};

/// Why `mark-translated` could not mark a page.
#[derive(Debug, thiserror::Error)]
pub enum MarkError {
    #[error("{0}")]
    Handbook(String),
    #[error(transparent)]
    Fs(#[from] fsutil::FsError),
}

/// Records in role `id`'s `lang` page that it is a translation of the current
/// default-language page, editing only its `translated_from:` line, and keeps
/// a copy of that page as the snapshot named by its fingerprint.
/// Returns the file changed and the fingerprint written.
pub fn mark_translated(root: &Path, id: &str, lang: &str) -> Result<(PathBuf, String), MarkError> {
    mark(root, id, lang, None)
}

/// Records in role `id`'s stale `lang` page that its section `section` (a
/// heading id, `(introduction)` or `(title)`) was brought up to date: writes
/// the snapshot it was translated from with that section taken from the
/// current original, under its own fingerprint, and points the page's
/// `translated_from:` at it. Other translations' snapshots stay as they are.
pub fn mark_section(
    root: &Path,
    id: &str,
    lang: &str,
    section: &str,
) -> Result<(PathBuf, String), MarkError> {
    mark(root, id, lang, Some(section))
}

fn mark(
    root: &Path,
    id: &str,
    lang: &str,
    section: Option<&str>,
) -> Result<(PathBuf, String), MarkError> {
    let checked = load(root).map_err(|problems| {
        MarkError::Handbook(diagnostic::render_human(&problems, root, false))
    })?;
    let handbook = &checked.handbook;
    let role = handbook
        .role(id)
        .ok_or_else(|| MarkError::Handbook(format!("there is no role with id `{id}`")))?;
    let keys = handbook.config.lang_keys().join(", ");
    let lang_id = handbook.config.lang_id(lang).ok_or_else(|| {
        MarkError::Handbook(format!(
            "language `{lang}` is not declared in book.toml (declared: {keys})"
        ))
    })?;
    if lang_id.is_default() {
        return Err(MarkError::Handbook(format!("`{lang}` is the default language: translations are marked against it, not it against itself")));
    }
    let original = handbook.page(role, LangId::DEFAULT).ok_or_else(|| {
        MarkError::Handbook(format!(
            "role `{id}` has no page in the default language, so there is nothing to mark against"
        ))
    })?;
    let page = handbook
        .page(role, lang_id)
        .ok_or_else(|| MarkError::Handbook(format!("role `{id}` has no `{lang}` page yet")))?;
    let original_text = read_inside(&checked.roots, root, &original.file)?;
    let current = snapshot::parse(&original_text, original, &handbook.config)
        .map_err(|e| MarkError::Handbook(format!("{}: {e}", original.file)))?;
    let snapshot_text = match section {
        None => original_text,
        Some(section) => {
            let old = translated_version(root, handbook, original, page, id, lang)?;
            let drift = drift::compare(&old, &current.title, &current.page);
            if drift.get(section).is_none() {
                return Err(MarkError::Handbook(not_drifting(&drift, section, id, lang)));
            }
            drift::bring_up_to_date(
                &old,
                &current,
                &original_text,
                section,
                original,
                &handbook.config,
            )
            .map_err(|e| {
                MarkError::Handbook(format!(
                    "cannot mark one section of {}: {e}; mark the whole page once it is up to date",
                    original.file
                ))
            })?
        }
    };
    let version = snapshot::parse(&snapshot_text, original, &handbook.config)
        .map_err(|e| MarkError::Handbook(format!("{}: {e}", original.file)))?;
    let mark = snapshot::fingerprint(&version);
    snapshot::write(root, &mark, &snapshot_text).map_err(MarkError::Handbook)?;
    let path = root.join(&page.file);
    let real = real_path_inside(&checked.roots, &path, &page.file)?;
    let text = fsutil::read_to_string(&real)?;
    let updated = frontmatter::set_translated_from(&text, &mark)
        .ok_or_else(|| MarkError::Handbook(format!("{} has no front matter", page.file)))?;
    if updated != text {
        fsutil::write_atomic(&real, updated.as_bytes())?;
    }
    Ok((path, mark))
}

/// The version of the original `page` (a stale translation) was made from.
fn translated_version(
    root: &Path,
    handbook: &crate::handbook::Handbook,
    original: &Page,
    page: &Page,
    id: &str,
    lang: &str,
) -> Result<snapshot::Version, MarkError> {
    let Some(mark) = page.translated_from.as_deref() else {
        return Err(MarkError::Handbook(format!("{} was never marked as translated: mark the whole page with `rolebook mark-translated {id} {lang}`", page.file)));
    };
    if Some(mark) == original.fingerprint.as_deref() {
        return Err(MarkError::Handbook(format!(
            "{} is up to date with the original: no section to mark",
            page.file
        )));
    }
    let text = snapshot::read(root, mark).map_err(|why| {
        MarkError::Handbook(format!(
            "{}; mark the whole page once it is up to date: `rolebook mark-translated {id} {lang}`",
            drift::report::unreadable(mark, &why)
        ))
    })?;
    snapshot::parse(&text, original, &handbook.config)
        .map_err(|e| MarkError::Handbook(format!("{}: {e}", snapshot::relative_path(mark))))
}

/// Why `section` cannot be marked: the sections that can.
fn not_drifting(drift: &drift::Drift, section: &str, id: &str, lang: &str) -> String {
    let names: Vec<&str> = drift.sections.iter().map(|s| s.id.as_str()).collect();
    if names.is_empty() {
        return format!("only formatting changed in the original: mark the whole page with `rolebook mark-translated {id} {lang}`");
    }
    format!(
        "section `{section}` has not changed since the translation; the sections that changed: {}",
        names.join(", ")
    )
}

/// The text of `file` (root-relative), read only when its real path lies in the handbook.
fn read_inside(roots: &roots::Roots, root: &Path, file: &str) -> Result<String, MarkError> {
    let path = root.join(file);
    let real = real_path_inside(roots, &path, file)?;
    Ok(fsutil::read_to_string(&real)?)
}

/// The real path of `path` (`file` in messages), when it lies in the handbook:
/// a page that is a link to a file elsewhere is never read or written through.
fn real_path_inside(roots: &roots::Roots, path: &Path, file: &str) -> Result<PathBuf, MarkError> {
    match roots.open(path) {
        Ok(_) => path.canonicalize().map_err(|e| {
            MarkError::Fs(fsutil::FsError {
                action: "cannot resolve",
                path: path.to_path_buf(),
                source: e,
            })
        }),
        Err(roots::Refusal::Outside(real)) => Err(MarkError::Handbook(format!(
            "{file} is a link to {}, outside the handbook: refusing to write there",
            real.display()
        ))),
        Err(roots::Refusal::Io(e)) => Err(MarkError::Fs(fsutil::FsError {
            action: "cannot read",
            path: path.to_path_buf(),
            source: e,
        })),
    }
}
