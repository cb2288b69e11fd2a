//! Themes: Tera templates, static files and interface words.
//!
//! The default theme (`themes/default/` in the repository) is compiled into the
//! binary, so rolebook works in any folder. A handbook's `theme = "name"` adds
//! `ROOT/themes/name/`, whose files override the built-in ones file by file;
//! Tera's fallback prefixes give the order: theme first, then built-in.
//! Templates are compiled once per build.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use include_dir::{include_dir, Dir};
use tera::Tera;

use crate::config::{Config, Lang};
use crate::diagnostic::{Code, Diagnostic};
use crate::fsutil;

static BUILTIN: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/themes/default");

const THEME_PREFIX: &str = "theme/";
const BUILTIN_PREFIX: &str = "builtin/";

/// A loaded theme, ready to render.
pub struct Theme {
    pub tera: Tera,
    /// Output path (`static/style.css`) -> bytes.
    pub static_files: BTreeMap<String, Vec<u8>>,
    /// Interface words per language key.
    pub words: BTreeMap<String, BTreeMap<String, String>>,
    /// Template name -> file it came from, for messages.
    pub template_files: BTreeMap<String, String>,
    /// Warnings found while loading (files skipped).
    pub problems: Vec<Diagnostic>,
}

impl Theme {
    /// Loads the built-in theme and the handbook's theme folder, if any.
    pub fn load(config: &Config) -> Result<Theme, Vec<Diagnostic>> {
        let dir = config.themes_dir().join(&config.theme);
        let theme_dir = if dir.is_dir() {
            Some(dir)
        } else if config.theme == "default" {
            None
        } else {
            return Err(vec![missing_theme(config)]);
        };
        let mut files: Vec<(String, String, String)> = Vec::new(); // (name, file, text)
        let mut static_files = BTreeMap::new();
        let mut words_text = Vec::new();
        let mut problems = Vec::new();
        collect_builtin(&BUILTIN, &mut files, &mut static_files, &mut words_text);
        if let Some(dir) = &theme_dir {
            collect_dir(
                config,
                dir,
                &mut files,
                &mut static_files,
                &mut words_text,
                &mut problems,
            )?;
        }
        let mut tera = Tera::new();
        let prefixes = [THEME_PREFIX, BUILTIN_PREFIX];
        tera.set_fallback_prefixes(prefixes).map_err(|e| {
            vec![Diagnostic::error(
                Code::ThemeInvalid,
                "themes",
                e.to_string(),
            )]
        })?;
        let template_files: BTreeMap<String, String> = files
            .iter()
            .map(|(n, f, _)| (n.clone(), f.clone()))
            .collect();
        tera.add_raw_templates(files.iter().map(|(n, _, t)| (n.as_str(), t.as_str())))
            .map_err(|e| template_errors(&e, &template_files))?;
        let words = parse_words(&words_text)?;
        Ok(Theme {
            tera,
            static_files,
            words,
            template_files,
            problems,
        })
    }

    /// Interface words for `lang`: book.toml's `[languages.x.ui]`, else the
    /// theme's words for the language (or its primary tag), else English.
    pub fn words_for(&self, lang: &Lang) -> BTreeMap<String, String> {
        let primary = lang.key.split('-').next().unwrap_or(&lang.key);
        let mut words = self.words.get("en").cloned().unwrap_or_default();
        for key in [primary, lang.key.as_str()] {
            if let Some(w) = self.words.get(key) {
                words.extend(w.clone());
            }
        }
        words.extend(lang.ui.clone());
        words
    }
}

/// The text of a file of the built-in theme, e.g. `archetypes/role.md`.
pub fn builtin_text(name: &str) -> Option<String> {
    BUILTIN
        .get_file(name)
        .and_then(|f| f.contents_utf8())
        .map(str::to_string)
}

fn collect_builtin(
    dir: &Dir<'_>,
    files: &mut Vec<(String, String, String)>,
    static_files: &mut BTreeMap<String, Vec<u8>>,
    words: &mut Vec<(String, String)>,
) {
    for file in dir.files() {
        let path = file.path().to_string_lossy().replace('\\', "/");
        add_file(
            &path,
            file.contents(),
            BUILTIN_PREFIX,
            "(built-in theme) ",
            files,
            static_files,
            words,
        );
    }
    for sub in dir.dirs() {
        collect_builtin(sub, files, static_files, words);
    }
}

/// The parts of a theme folder rolebook reads.
const THEME_PARTS: [&str; 4] = ["templates", "static", "i18n.toml", "archetypes"];

fn is_theme_part(path: &Path) -> bool {
    path.file_name()
        .is_some_and(|n| THEME_PARTS.contains(&n.to_string_lossy().as_ref()))
}

fn collect_dir(
    config: &Config,
    dir: &Path,
    files: &mut Vec<(String, String, String)>,
    static_files: &mut BTreeMap<String, Vec<u8>>,
    words: &mut Vec<(String, String)>,
    problems: &mut Vec<Diagnostic>,
) -> Result<(), Vec<Diagnostic>> {
    let shown = format!("{}/", fsutil::relative(dir, &config.root));
    let roots = crate::roots::Roots::resolve(&config.root, Some(dir));
    let mut walker = walkdir::WalkDir::new(dir)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        // A theme is these and nothing else: no other file below it is read.
        .filter_entry(|e| e.depth() != 1 || is_theme_part(e.path()));
    while let Some(entry) = walker.next() {
        let entry = match entry {
            Ok(entry) => entry,
            // A broken entry beside the theme's parts is none of its business.
            Err(e) if e.depth() == 1 && !e.path().is_some_and(is_theme_part) => continue,
            Err(e) => {
                return Err(vec![Diagnostic::error(
                    Code::ThemeUnreadable,
                    &shown,
                    e.to_string(),
                )])
            }
        };
        if entry.path_is_symlink() && !roots.contains(entry.path()) {
            let file = format!("{shown}{}", fsutil::relative(entry.path(), dir));
            problems.push(
                Diagnostic::warning(
                    Code::OutsideHandbook,
                    file,
                    "symbolic link leads outside the handbook and its theme; never read or published",
                )
                .hint("copy the file into the theme folder instead of linking to it"),
            );
            if entry.file_type().is_dir() {
                walker.skip_current_dir();
            }
            continue;
        }
        if !entry.file_type().is_file() {
            continue;
        }
        let path = fsutil::relative(entry.path(), dir);
        if path
            .rsplit('/')
            .next()
            .is_some_and(crate::source::is_ignored_name)
        {
            continue;
        }
        let bytes = fsutil::read(entry.path()).map_err(|e| {
            vec![Diagnostic::error(
                Code::ThemeUnreadable,
                format!("{shown}{path}"),
                e.to_string(),
            )]
        })?;
        add_file(
            &path,
            &bytes,
            THEME_PREFIX,
            &shown,
            files,
            static_files,
            words,
        );
    }
    Ok(())
}

fn add_file(
    path: &str,
    bytes: &[u8],
    prefix: &str,
    shown: &str,
    files: &mut Vec<(String, String, String)>,
    static_files: &mut BTreeMap<String, Vec<u8>>,
    words: &mut Vec<(String, String)>,
) {
    let text = || String::from_utf8_lossy(bytes).into_owned();
    if let Some(name) = path.strip_prefix("templates/") {
        if name.ends_with(".html") || name.ends_with(".xml") {
            files.push((format!("{prefix}{name}"), format!("{shown}{path}"), text()));
        }
    } else if path.starts_with("static/") {
        static_files.insert(path.to_string(), bytes.to_vec());
    } else if path == "i18n.toml" {
        words.push((format!("{shown}{path}"), text()));
    }
}

type Words = BTreeMap<String, BTreeMap<String, String>>;

fn parse_words(texts: &[(String, String)]) -> Result<Words, Vec<Diagnostic>> {
    let mut words = Words::new();
    for (file, text) in texts {
        let parsed: Words = toml::from_str(text).map_err(|e| {
            let (line, col) = e
                .span()
                .map_or((1, 1), |s| crate::diagnostic::line_col(text, s.start));
            vec![Diagnostic::error(
                Code::ThemeInvalid,
                file,
                format!("i18n.toml: {}", e.message().trim()),
            )
            .at(line, col)
            .hint("i18n.toml holds one table per language key with `word = \"text\"` lines")]
        })?;
        for (lang, table) in parsed {
            words.entry(lang).or_default().extend(table);
        }
    }
    Ok(words)
}

fn missing_theme(config: &Config) -> Diagnostic {
    let mut available = vec!["default (built in)".to_string()];
    if let Ok(entries) = std::fs::read_dir(config.themes_dir()) {
        let mut names: Vec<String> = entries
            .flatten()
            .filter(|e| e.path().is_dir())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n != "default")
            .collect();
        names.sort();
        available.extend(names);
    }
    let (line, col) = std::fs::read_to_string(config.root.join("book.toml"))
        .ok()
        .and_then(|t| t.lines().position(|l| l.trim_start().starts_with("theme")))
        .map_or((1, 1), |i| (i + 1, 1));
    Diagnostic::error(
        Code::ThemeMissing,
        crate::config::CONFIG_FILE,
        format!(
            "theme `{}` does not exist: there is no folder themes/{}/",
            config.theme, config.theme
        ),
    )
    .at(line, col)
    .hint(format!("available themes: {}", available.join(", ")))
}

/// A Tera error as a diagnostic on the template file; `rendering` names the
/// output page being rendered, if any.
pub fn template_error(
    e: &tera::Error,
    files: &BTreeMap<String, String>,
    rendering: Option<&str>,
) -> Diagnostic {
    let (report, code) = match e.kind() {
        tera::ErrorKind::SyntaxError(r) => (Some(r), Code::TemplateSyntax),
        tera::ErrorKind::RenderingError(r) => (Some(r), Code::TemplateRender),
        _ => (
            None,
            if rendering.is_some() {
                Code::TemplateRender
            } else {
                Code::TemplateSyntax
            },
        ),
    };
    let (file, line, column, reason) = match report {
        Some(r) => (
            files
                .get(r.filename())
                .cloned()
                .unwrap_or_else(|| r.filename().to_string()),
            r.span().start_line,
            r.span().start_col + 1,
            r.message().to_string(),
        ),
        None => ("themes".to_string(), 1, 1, e.to_string()),
    };
    let message = match rendering {
        Some(page) => format!("template failed while rendering {page}: {reason}"),
        None => format!("template does not parse: {reason}"),
    };
    Diagnostic::error(code, file, message)
        .at(line, column)
        .hint("fix the template at this spot (Tera 2 syntax); delete the file to fall back to the built-in one")
}

/// Every problem in a Tera error from compiling templates. Tera reports
/// several at once as one message of `error: ...` / ` --> name:line:col`
/// blocks; each becomes a diagnostic on its template file.
pub fn template_errors(e: &tera::Error, files: &BTreeMap<String, String>) -> Vec<Diagnostic> {
    let tera::ErrorKind::Msg(text) = e.kind() else {
        return vec![template_error(e, files, None)];
    };
    let mut found = Vec::new();
    let mut reason = "";
    for line in text.lines() {
        if let Some(r) = line.strip_prefix("error: ") {
            reason = r;
        } else if let Some(place) = line.trim_start().strip_prefix("--> ") {
            let mut parts = place.rsplitn(3, ':');
            let (column, line_no, name) = (parts.next(), parts.next(), parts.next());
            let (Some(name), Some(line_no), Some(column)) = (name, line_no, column) else {
                continue;
            };
            let file = files.get(name).cloned().unwrap_or_else(|| name.to_string());
            found.push(
                Diagnostic::error(Code::TemplateSyntax, file, format!("template does not parse: {reason}"))
                    .at(line_no.parse().unwrap_or(1), column.parse().unwrap_or(1))
                    .hint("fix the template at this spot (Tera 2 syntax); delete the file to fall back to the built-in one"),
            );
        }
    }
    if found.is_empty() {
        found.push(template_error(e, files, None));
    }
    found
}

/// Where the handbook's theme folder is (for the watcher and messages).
pub fn theme_dir(config: &Config) -> PathBuf {
    config.themes_dir().join(&config.theme)
}

/// The file of template `name` in `files` (a theme's
/// [`Theme::template_files`]): the theme's own, else the built-in one.
pub(crate) fn template_file(files: &BTreeMap<String, String>, name: &str) -> String {
    files
        .get(&format!("theme/{name}"))
        .or_else(|| files.get(&format!("builtin/{name}")))
        .cloned()
        .unwrap_or_else(|| name.to_string())
}
