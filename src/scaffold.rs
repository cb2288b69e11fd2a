//! Writing new files for the user: `rolebook init` and `rolebook new`.
//!
//! Never overwrites: every target is checked before anything is written.

use std::path::{Path, PathBuf};

use crate::config::Config;
use crate::frontmatter::is_valid_id;
use crate::fsutil;

/// Problems that stop `init` or `new`; shown as usage errors.
#[derive(Debug, thiserror::Error)]
pub enum ScaffoldError {
    #[error("{0} already exists; rolebook never overwrites files")]
    Exists(PathBuf),
    #[error("id `{0}` is not allowed: use lowercase letters, digits, `-` and `_`, starting with a letter or digit{hint}", hint = suggestion(.1))]
    InvalidId(String, Option<String>),
    #[error("language `{0}` is not declared in book.toml (declared: {1})")]
    UnknownLanguage(String, String),
    #[error("{0}")]
    Config(String),
    #[error(transparent)]
    Fs(#[from] fsutil::FsError),
}

const INIT_BOOK: &str = r#"[book]
default_language = "en"

[languages.en]
name = "English"
title = "Office Handbook"

[languages.zh]
name = "中文"
title = "办公室手册"
html_lang = "zh-CN"

[build]
output = "public"
"#;

const INIT_PAGES: &[(&str, &str)] = &[
    (
        "content/en/office-director.md",
        "---\nid: office-director\ntitle: Office Director\nsummary: Runs the office and keeps the company's daily work moving.\ndepartment: Office\norder: 10\n---\n\n## Duties {#duties}\n\n- Plans the office's work and leads its staff.\n- Coordinates between departments.\n\nThe [secretary](role:secretary) supports this role.\n",
    ),
    (
        "content/zh/office-director.md",
        "---\nid: office-director\ntitle: 办公室主任\nsummary: 负责办公室全面工作，保证公司日常运转。\ndepartment: 办公室\n---\n\n## 职责 {#duties}\n\n- 安排办公室工作，带领办公室人员。\n- 协调各部门之间的工作。\n\n[秘书](role:secretary)协助本岗位工作。\n",
    ),
    (
        "content/en/secretary.md",
        "---\nid: secretary\ntitle: Secretary\nsummary: Handles documents, meetings and visitors for the office.\ndepartment: Office\nreports_to: office-director\norder: 20\n---\n\n## Duties {#duties}\n\n- Keeps files and records in order.\n- Prepares meetings and takes minutes.\n\nSee the [office director's duties](role:office-director#duties).\n",
    ),
    (
        "content/zh/secretary.md",
        "---\nid: secretary\ntitle: 秘书\nsummary: 负责办公室的文件、会议和接待工作。\ndepartment: 办公室\n---\n\n## 职责 {#duties}\n\n- 整理文件和档案。\n- 筹备会议并做好记录。\n\n参见[办公室主任的职责](role:office-director#duties)。\n",
    ),
];

fn suggestion(id: &Option<String>) -> String {
    id.as_ref()
        .map_or(String::new(), |id| format!("; did you mean `{id}`?"))
}

/// Writes a small working bilingual handbook into `dir`. Its translations
/// are marked as made from its originals, so `status` says `ok` throughout.
pub fn init(dir: &Path) -> Result<Vec<PathBuf>, ScaffoldError> {
    let mut files = vec![(dir.join("book.toml"), INIT_BOOK.to_string())];
    for (path, text) in INIT_PAGES {
        let text = match path.strip_prefix("content/zh/") {
            Some(file) => mark_from(text, &original_fingerprint(file)),
            None => text.to_string(),
        };
        files.push((dir.join(path), text));
    }
    write_new(&files)
}

/// What a translation of the English page `file` of the skeleton records.
fn original_fingerprint(file: &str) -> String {
    let original = INIT_PAGES
        .iter()
        .find(|(p, _)| p.strip_prefix("content/en/") == Some(file))
        .map_or("", |(_, t)| t);
    let (front, body) = original
        .strip_prefix("---\n")
        .and_then(|rest| rest.split_once("\n---\n"))
        .unwrap_or(("", original));
    let title = front
        .lines()
        .find_map(|l| l.strip_prefix("title: "))
        .unwrap_or_default();
    crate::frontmatter::fingerprint(title, body)
}

fn mark_from(text: &str, fingerprint: &str) -> String {
    crate::frontmatter::set_translated_from(text, fingerprint).unwrap_or_else(|| text.to_string())
}

/// What to do after `init` (printed by the CLI).
pub fn next_steps(dir: &Path) -> String {
    let dir = dir.display();
    format!(
        "next steps:\n  \
         cd {dir}\n  \
         rolebook serve            # live preview at http://127.0.0.1:3000, reloads on every save\n  \
         rolebook new receptionist # a new role, one page per language\n  \
         rolebook check            # every problem at once, with file, line and how to fix it\n  \
         rolebook build            # the site in public/: copy that folder to the intranet\n"
    )
}

/// What `new` may do.
#[derive(Debug, Default, Clone)]
pub struct NewRole<'a> {
    /// Only this language's page (the role may exist in others).
    pub lang: Option<&'a str>,
    /// The role's title in the default language (else one made from the id).
    pub title: Option<&'a str>,
}

/// Creates the pages of a new role, one per language, from the theme's
/// archetype of each language (`archetypes/role.<lang>.md`, else
/// `archetypes/role.md`), filling in `{{ id }}`, `{{ lang }}` and
/// `{{ title }}`. With `lang`, only that language's page: a missing
/// translation of an existing role.
pub fn new_role(root: &Path, id: &str) -> Result<Vec<PathBuf>, ScaffoldError> {
    new_role_with(root, id, &NewRole::default())
}

/// [`new_role`] with options.
pub fn new_role_with(
    root: &Path,
    id: &str,
    options: &NewRole,
) -> Result<Vec<PathBuf>, ScaffoldError> {
    if !is_valid_id(id) {
        return Err(ScaffoldError::InvalidId(
            id.to_string(),
            suggest(root, id, options.title),
        ));
    }
    let config = Config::load(root).map_err(|d| {
        ScaffoldError::Config(
            d.iter()
                .map(|d| format!("{}:{}:{}: {}", d.file, d.line, d.column, d.message))
                .collect::<Vec<_>>()
                .join("\n"),
        )
    })?;
    if let Some(lang) = options.lang {
        if config.lang_id(lang).is_none() {
            return Err(ScaffoldError::UnknownLanguage(
                lang.to_string(),
                config.lang_keys().join(", "),
            ));
        }
    }
    let made_up = id.replace(['-', '_'], " ");
    let mut files = Vec::new();
    for (n, lang) in config.languages.iter().enumerate() {
        if options.lang.is_some_and(|only| only != lang.key) {
            continue;
        }
        let folder = config.content_dir().join(&lang.key);
        let path = if folder.is_dir() {
            folder.join(format!("{id}.md"))
        } else {
            config.content_dir().join(format!("{id}.{}.md", lang.key))
        };
        let title = match options.title {
            Some(title) if n == 0 => title,
            _ => made_up.as_str(),
        };
        // Plain placeholders, not Tera: `{#duties}` heading ids would read as Tera comments.
        let text = archetype(&config, &lang.key)
            .replace("{{ id }}", id)
            .replace("{{ lang }}", &lang.key)
            .replace("{{ title }}", title);
        files.push((path, text));
    }
    write_new(&files)
}

/// A usable id for `wanted`: the id of a role titled `wanted` (`前台`),
/// else one made from the English `title`, else one made from `wanted`
/// itself when that leaves something (`Receptionist` -> `receptionist`).
fn suggest(root: &Path, wanted: &str, title: Option<&str>) -> Option<String> {
    let titled = crate::load(root).ok().and_then(|loaded| {
        let h = &loaded.handbook;
        h.pages
            .iter()
            .find(|p| p.title.trim() == wanted.trim())
            .map(|p| p.id.to_string())
    });
    let made = |text: &str| {
        let id = crate::frontmatter::suggest_id(text);
        (id != "role" || text.eq_ignore_ascii_case("role")).then_some(id)
    };
    titled
        .or_else(|| title.and_then(made))
        .or_else(|| made(wanted))
}

/// The archetype for pages in language `lang`: the theme's
/// `archetypes/role.<lang>.md`, else its `archetypes/role.md`, else the
/// built-in ones in the same order.
pub fn archetype(config: &Config, lang: &str) -> String {
    let dir = crate::theme::theme_dir(config);
    let roots = crate::roots::Roots::resolve(&config.root, Some(&dir));
    let names = [
        format!("archetypes/role.{lang}.md"),
        "archetypes/role.md".to_string(),
    ];
    // A link to a file outside the handbook and its theme is never read.
    let in_theme = names.iter().find_map(|name| {
        roots
            .read(&dir.join(name))
            .ok()
            .and_then(|bytes| String::from_utf8(bytes).ok())
    });
    in_theme
        .or_else(|| names.iter().find_map(|n| crate::theme::builtin_text(n)))
        .unwrap_or_else(|| "---\nid: {{ id }}\ntitle: {{ title }}\n---\n".to_string())
}

fn write_new(files: &[(PathBuf, String)]) -> Result<Vec<PathBuf>, ScaffoldError> {
    if let Some((path, _)) = files.iter().find(|(p, _)| p.exists()) {
        return Err(ScaffoldError::Exists(path.clone()));
    }
    for (path, text) in files {
        fsutil::write(path, text.as_bytes())?;
    }
    Ok(files.iter().map(|(p, _)| p.clone()).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn init_then_new_makes_a_handbook_that_checks_clean() {
        let dir = tempfile::tempdir().unwrap();
        init(dir.path()).unwrap();
        assert!(matches!(init(dir.path()), Err(ScaffoldError::Exists(_))));
        let made = new_role(dir.path(), "receptionist").unwrap();
        assert_eq!(made.len(), 2);
        assert!(made[1].ends_with("content/zh/receptionist.md"));
        let checked = crate::check(dir.path());
        let checked = checked.unwrap();
        assert_eq!(checked.errors(), 0, "{:?}", checked.diagnostics);
        assert!(matches!(
            new_role(dir.path(), "receptionist"),
            Err(ScaffoldError::Exists(_))
        ));
        assert!(matches!(
            new_role(dir.path(), "../x"),
            Err(ScaffoldError::InvalidId(..))
        ));
    }
}
