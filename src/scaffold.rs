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
    #[error("id `{0}` is not allowed: use lowercase letters, digits, `-` and `_`, starting with a letter or digit")]
    InvalidId(String),
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

/// Writes a small working bilingual handbook into `dir`.
pub fn init(dir: &Path) -> Result<Vec<PathBuf>, ScaffoldError> {
    let mut files = vec![(dir.join("book.toml"), INIT_BOOK.to_string())];
    files.extend(INIT_PAGES.iter().map(|(p, t)| (dir.join(p), t.to_string())));
    write_new(&files)
}

/// Creates the pages of a new role, one per language, from the theme's
/// `archetypes/role.md`, filling in `{{ id }}`, `{{ lang }}` and `{{ title }}`.
pub fn new_role(root: &Path, id: &str) -> Result<Vec<PathBuf>, ScaffoldError> {
    if !is_valid_id(id) {
        return Err(ScaffoldError::InvalidId(id.to_string()));
    }
    let config = Config::load(root).map_err(|d| {
        ScaffoldError::Config(
            d.iter()
                .map(|d| format!("{}:{}:{}: {}", d.file, d.line, d.column, d.message))
                .collect::<Vec<_>>()
                .join("\n"),
        )
    })?;
    let template = archetype(&config);
    let mut files = Vec::new();
    for lang in &config.languages {
        let folder = config.content_dir().join(&lang.key);
        let path = if folder.is_dir() {
            folder.join(format!("{id}.md"))
        } else {
            config.content_dir().join(format!("{id}.{}.md", lang.key))
        };
        // Plain placeholders, not Tera: `{#duties}` heading ids would read as Tera comments.
        let text = template
            .replace("{{ id }}", id)
            .replace("{{ lang }}", &lang.key)
            .replace("{{ title }}", &id.replace(['-', '_'], " "));
        files.push((path, text));
    }
    write_new(&files)
}

fn archetype(config: &Config) -> String {
    let dir = crate::theme::theme_dir(config);
    let roots = crate::roots::Roots::resolve(&config.root, Some(&dir));
    // A link to a file outside the handbook and its theme is never read.
    roots
        .read(&dir.join("archetypes/role.md"))
        .ok()
        .and_then(|bytes| String::from_utf8(bytes).ok())
        .or_else(|| crate::theme::builtin_text("archetypes/role.md"))
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
            Err(ScaffoldError::InvalidId(_))
        ));
    }
}
