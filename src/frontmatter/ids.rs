//! Proposing a role id for a page that has none (or an invalid one): always
//! one that rolebook accepts and that is not reserved.

use super::*;

pub(super) fn file_stem(content_path: &str) -> &str {
    let name = content_path.rsplit('/').next().unwrap_or(content_path);
    name.strip_suffix(".md").unwrap_or(name)
}

/// The id to propose for a page with none: its file name, or its folder's
/// name for a folder's own page (Hugo's `_index.md`, `index.md`, mdBook's
/// `README.md`), made valid by [`suggest_id`].
pub(super) fn id_from_path(content_path: &str, config: &Config) -> String {
    let stem = file_stem(content_path);
    let stem = stem.split('.').next().unwrap_or(stem); // `x.zh` -> `x`
    let folder_page = matches!(
        stem.trim_start_matches('_').to_ascii_lowercase().as_str(),
        "index" | "readme"
    );
    if !folder_page {
        return suggest_id(stem);
    }
    // The folder, unless it is only a language's folder (`en/_index.md`).
    match content_path.rsplit('/').nth(1) {
        Some(folder) if config.lang(folder).is_none() => suggest_id(folder),
        _ => "home".to_string(),
    }
}

/// An id made from `text` (a wrong id, a file or folder name) that
/// [`RoleId::parse`] accepts and that is not reserved: lowercase ASCII
/// letters and digits, anything else one `-`.
pub(crate) fn suggest_id(text: &str) -> String {
    let mut id = String::new();
    for c in text.to_lowercase().chars() {
        let c = if c.is_ascii_alphanumeric() || c == '_' {
            c
        } else {
            '-'
        };
        if !(c == '-' && id.ends_with('-')) {
            id.push(c);
        }
    }
    let id = id.trim_matches(['-', '_']);
    let id = if RESERVED_IDS.contains(&id) {
        format!("{id}-role")
    } else {
        id.to_string()
    };
    match RoleId::parse(&id) {
        Some(_) => id,
        None => "role".to_string(), // nothing usable in `text` (a CJK name)
    }
}
