//! `rolebook mark-translated ID LANG`: records in a translation that it is
//! up to date with the current original, editing only its
//! `translated_from:` line, never through a link to a file outside the
//! handbook, and by writing a new file and renaming it.

use std::path::{Path, PathBuf};

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
/// default-language page, editing only its `translated_from:` line.
/// Returns the file changed and the fingerprint written.
pub fn mark_translated(root: &Path, id: &str, lang: &str) -> Result<(PathBuf, String), MarkError> {
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
    let mark = original.fingerprint.clone().unwrap_or_default();
    let path = root.join(&page.file);
    // Write to the page's real file, and only when that lies in the handbook:
    // a page that is a link to a file elsewhere is never written through.
    let real = match checked.roots.open(&path) {
        Ok(_) => path.canonicalize().map_err(|e| fsutil::FsError {
            action: "cannot resolve",
            path: path.clone(),
            source: e,
        })?,
        Err(roots::Refusal::Outside(real)) => {
            return Err(MarkError::Handbook(format!(
                "{} is a link to {}, outside the handbook: refusing to write there",
                page.file,
                real.display()
            )))
        }
        Err(roots::Refusal::Io(e)) => {
            return Err(MarkError::Fs(fsutil::FsError {
                action: "cannot read",
                path,
                source: e,
            }))
        }
    };
    let text = fsutil::read_to_string(&real)?;
    let updated = frontmatter::set_translated_from(&text, &mark)
        .ok_or_else(|| MarkError::Handbook(format!("{} has no front matter", page.file)))?;
    if updated != text {
        fsutil::write_atomic(&real, updated.as_bytes())?;
    }
    Ok((path, mark))
}
