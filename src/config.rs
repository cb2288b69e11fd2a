//! `book.toml`: the handbook's languages, titles and build settings.
//!
//! First stage of the pipeline. Parsing is strict (unknown keys are errors that
//! list the known ones) and every problem becomes a [`Diagnostic`] with the line
//! and column in book.toml. Languages are data ([`Lang`]), never an enum of two.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use indexmap::IndexMap;
use serde::Deserialize;

use crate::diagnostic::{line_col, Code, Diagnostic};
use crate::fsutil;
use crate::id::LangId;

pub const CONFIG_FILE: &str = "book.toml";

/// book.toml as written by the user.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    book: RawBook,
    /// One table per language, keyed by the language key (`en`, `zh`, ...),
    /// in the order written (the language switch follows it).
    languages: IndexMap<String, RawLang>,
    #[serde(default)]
    build: RawBuild,
    #[serde(default)]
    check: RawCheck,
    #[serde(default)]
    branding: RawBranding,
}

/// The `[branding]` table: the company's logo and colour.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawBranding {
    /// An image under the handbook folder (`logo.svg`), shown in the header.
    logo: Option<PathBuf>,
    /// The colour of links and highlights, `#1f5f8b` (light colour scheme).
    accent: Option<String>,
    /// The same for the dark colour scheme (else the theme's).
    accent_dark: Option<String>,
}

/// The handbook's branding (`[branding]`), validated.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Branding {
    /// The logo's path relative to the handbook folder.
    pub logo: Option<PathBuf>,
    /// `#rgb` or `#rrggbb`, checked: it goes into a `<style>` element.
    pub accent: Option<String>,
    pub accent_dark: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawBook {
    /// The language other languages are translated from; one of `[languages.*]`.
    default_language: String,
    /// The handbook's version, shown on the home page and in print (`2.1`).
    version: Option<String>,
    /// Where editors edit a page: a URL with `{path}` for the page's path
    /// under the handbook folder (`https://git.example/hb/edit/main/{path}`).
    edit_url: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLang {
    /// Shown in the language switch, in its own language ("中文").
    name: String,
    /// The handbook's title in this language.
    title: String,
    /// `<html lang>` value; defaults to the language key.
    html_lang: Option<String>,
    /// Overrides of the theme's interface words for this language.
    #[serde(default)]
    ui: BTreeMap<String, String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawBuild {
    /// Output folder, relative to the handbook root (default `public`).
    output: Option<PathBuf>,
    /// Theme name: `themes/<name>/` under the root, else the built-in one.
    theme: Option<String>,
    /// Whether raw HTML in Markdown passes through (default true, as in CommonMark).
    allow_html: Option<bool>,
    /// Absolute address of the published handbook, used only for sitemap.xml.
    base_url: Option<String>,
    /// Seconds one page may take to render through the templates before the
    /// run stops with a `template-render` error (default 30): a template that
    /// loops would otherwise hang `check`, `build` and `serve`.
    render_timeout: Option<u64>,
}

/// The `[check]` table: how some problems are reported.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCheck {
    /// How roles with no page in some language are reported (default `warn`).
    missing_translation: Option<MissingTranslation>,
}

/// How roles with no page in some language are reported
/// (`[check] missing_translation`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MissingTranslation {
    /// One warning per role and missing language.
    #[default]
    Warn,
    /// One warning per language, with the number of roles missing it.
    Summary,
    /// No warning (`rolebook status` still lists them).
    Off,
}

/// One language of the handbook.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lang {
    /// The key used in folders, file names and `lang:` (`en`, `zh`).
    pub key: String,
    pub name: String,
    pub title: String,
    pub html_lang: String,
    pub ui: BTreeMap<String, String>,
}

/// The validated configuration.
#[derive(Debug, Clone)]
pub struct Config {
    pub root: PathBuf,
    /// Languages, the default one first, then the others in book.toml's order.
    pub languages: Vec<Lang>,
    pub output: PathBuf,
    pub theme: String,
    pub allow_html: bool,
    pub base_url: Option<String>,
    /// The handbook's version, if book.toml gives one.
    pub version: Option<String>,
    /// The edit link's pattern, with `{path}`.
    pub edit_url: Option<String>,
    /// How long one page may take to render through the templates.
    pub render_timeout: std::time::Duration,
    /// How roles with no page in some language are reported.
    pub missing_translation: MissingTranslation,
    /// book.toml's line of `missing_translation` (1 when it is not set):
    /// where the per-language summary points.
    pub missing_translation_line: usize,
    /// The company's logo and colours.
    pub branding: Branding,
}

impl Config {
    pub fn default_lang(&self) -> &Lang {
        &self.languages[0]
    }

    pub fn lang(&self, key: &str) -> Option<&Lang> {
        self.languages.iter().find(|l| l.key == key)
    }

    /// The language whose key is `key`, if declared.
    pub fn lang_id(&self, key: &str) -> Option<LangId> {
        self.languages
            .iter()
            .position(|l| l.key == key)
            .map(LangId::new)
    }

    /// Language `id` (handed out by this config, so it exists).
    pub fn lang_of(&self, id: LangId) -> &Lang {
        &self.languages[id.index()]
    }

    /// Every language, the default first.
    pub fn lang_ids(&self) -> impl Iterator<Item = LangId> + '_ {
        (0..self.languages.len()).map(LangId::new)
    }

    pub fn lang_keys(&self) -> Vec<&str> {
        self.languages.iter().map(|l| l.key.as_str()).collect()
    }

    pub fn content_dir(&self) -> PathBuf {
        self.root.join("content")
    }

    pub fn themes_dir(&self) -> PathBuf {
        self.root.join("themes")
    }

    /// Reads and validates `ROOT/book.toml`.
    pub fn load(root: &Path) -> Result<Config, Vec<Diagnostic>> {
        let path = root.join(CONFIG_FILE);
        let text = fsutil::read_to_string(&path).map_err(|e| vec![unreadable(&e)])?;
        Config::parse(root, &text)
    }

    /// Validates book.toml text; `root` is where relative paths start.
    pub fn parse(root: &Path, text: &str) -> Result<Config, Vec<Diagnostic>> {
        let raw: RawConfig = toml::from_str(text).map_err(|e| vec![toml_error(text, &e)])?;
        let mut problems = Vec::new();
        let default = raw.book.default_language.clone();
        if !raw.languages.contains_key(&default) {
            let (line, col) = find_key(text, "default_language");
            problems.push(
                Diagnostic::error(
                    Code::ConfigDefaultLanguage,
                    CONFIG_FILE,
                    format!("default_language `{default}` is not declared under [languages]"),
                )
                .at(line, col)
                .hint(format!(
                    "use one of: {}, or add a [languages.{default}] table",
                    known(raw.languages.keys())
                )),
            );
        }
        for key in raw.languages.keys() {
            if !is_lang_key(key) {
                let (line, col) = find_key(text, &format!("languages.{key}"));
                problems.push(
                    Diagnostic::error(
                        Code::ConfigLanguageKey,
                        CONFIG_FILE,
                        format!("language key `{key}` is not a language tag"),
                    )
                    .at(line, col)
                    .hint("use a short tag such as `en`, `zh` or `zh-TW`"),
                );
            }
        }
        problems.extend(build_problems(&raw.build, text));
        problems.extend(branding_problems(&raw.branding, text));
        if !problems.is_empty() {
            return Err(problems);
        }
        let mut languages: Vec<Lang> = raw
            .languages
            .into_iter()
            .map(|(key, l)| Lang {
                html_lang: l.html_lang.unwrap_or_else(|| key.clone()),
                key,
                name: l.name,
                title: l.title,
                ui: l.ui,
            })
            .collect();
        languages.sort_by_key(|l| l.key != default);
        Ok(Config {
            root: root.to_path_buf(),
            languages,
            output: raw.build.output.unwrap_or_else(|| PathBuf::from("public")),
            theme: raw.build.theme.unwrap_or_else(|| "default".to_string()),
            allow_html: raw.build.allow_html.unwrap_or(true),
            version: raw.book.version,
            edit_url: raw.book.edit_url,
            base_url: raw.build.base_url,
            render_timeout: std::time::Duration::from_secs(raw.build.render_timeout.unwrap_or(30)),
            missing_translation: raw.check.missing_translation.unwrap_or_default(),
            missing_translation_line: setting_line(text, "missing_translation"),
            branding: Branding {
                logo: raw.branding.logo,
                accent: raw.branding.accent,
                accent_dark: raw.branding.accent_dark,
            },
        })
    }
}

/// Whether `text` is a colour `[branding]` accepts: `#rgb` or `#rrggbb`.
pub fn is_hex_colour(text: &str) -> bool {
    let hex = text.strip_prefix('#').unwrap_or("");
    matches!(hex.len(), 3 | 6) && hex.bytes().all(|b| b.is_ascii_hexdigit())
}

/// Colours that are not plain hex colours, and a logo that is not a
/// relative path to an image.
fn branding_problems(branding: &RawBranding, text: &str) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    for (key, value) in [
        ("accent", &branding.accent),
        ("accent_dark", &branding.accent_dark),
    ] {
        if let Some(value) = value.as_deref().filter(|v| !is_hex_colour(v)) {
            let (line, column) = find_key(text, key);
            problems.push(
                Diagnostic::error(
                    Code::ConfigInvalid,
                    CONFIG_FILE,
                    format!("[branding] {key} `{value}` is not a colour"),
                )
                .at(line, column)
                .hint("write the colour as `#` and six hex digits, e.g. `accent = \"#0b5cad\"`"),
            );
        }
    }
    if let Some(logo) = &branding.logo {
        let image = logo.extension().and_then(|e| e.to_str()).is_some_and(|e| {
            matches!(
                e.to_ascii_lowercase().as_str(),
                "svg" | "png" | "jpg" | "jpeg" | "webp" | "gif"
            )
        });
        let relative = logo.is_relative()
            && !logo
                .components()
                .any(|c| matches!(c, std::path::Component::ParentDir));
        if !image || !relative {
            let (line, column) = find_key(text, "logo");
            problems.push(
                Diagnostic::error(
                    Code::ConfigInvalid,
                    CONFIG_FILE,
                    format!("[branding] logo `{}` is not an image inside the handbook folder", logo.display()),
                )
                .at(line, column)
                .hint("give the path of an .svg, .png, .jpg or .webp file under the handbook folder, e.g. `logo = \"logo.svg\"`"),
            );
        }
    }
    problems
}

/// Why book.toml could not be read. Only a missing file is "missing": a
/// preview that ran out of file descriptors must not send the user looking
/// for a book.toml that is there.
fn unreadable(e: &fsutil::FsError) -> Diagnostic {
    // EMFILE and ENFILE (their Unix numbers): too many open files, for the
    // process or the system. std has no ErrorKind for them.
    let short_of_descriptors = cfg!(unix) && matches!(e.source.raw_os_error(), Some(23 | 24));
    if e.source.kind() == std::io::ErrorKind::NotFound {
        Diagnostic::error(Code::ConfigMissing, CONFIG_FILE, e.to_string()).hint(
            "run rolebook in a handbook folder (one with book.toml), or create one with `rolebook init DIR`",
        )
    } else if short_of_descriptors {
        Diagnostic::error(
            Code::TooManyOpenFiles,
            CONFIG_FILE,
            format!("too many open files: {e}"),
        )
        .hint("rolebook ran out of file descriptors; close preview tabs or raise the limit (`ulimit -n`), then save again or restart serve")
    } else {
        Diagnostic::error(
            Code::ConfigUnreadable,
            CONFIG_FILE,
            format!("{CONFIG_FILE} is there but cannot be read: {e}"),
        )
        .hint("check the file's permissions, then save again")
    }
}

/// Problems of the `[build]` table that TOML's types do not catch.
fn build_problems(build: &RawBuild, text: &str) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    if let Some(theme) = build.theme.as_deref().filter(|t| !is_theme_name(t)) {
        let (line, col) = find_key(text, "theme");
        problems.push(
            Diagnostic::error(
                Code::ConfigTheme,
                CONFIG_FILE,
                format!("theme `{theme}` is not a folder name under themes/"),
            )
            .at(line, col)
            .hint("a theme is the name of a folder in themes/ (`theme = \"corporate\"` for themes/corporate/), never a path"),
        );
    }
    if build.render_timeout == Some(0) {
        let (line, col) = find_key(text, "render_timeout");
        problems.push(
            Diagnostic::error(
                Code::ConfigRenderTimeout,
                CONFIG_FILE,
                "render_timeout must be at least 1 second",
            )
            .at(line, col)
            .hint("leave it out for the default of 30 seconds"),
        );
    }
    problems
}

/// A theme is named by one folder under `themes/`: no separators, no `..`,
/// nothing absolute, so a theme can never reach outside the handbook.
pub fn is_theme_name(name: &str) -> bool {
    !name.is_empty()
        && name != "."
        && name != ".."
        && !name.starts_with('.')
        && !name.contains(['/', '\\', ':', '\0'])
}

/// `en`, `zh`, `zh-TW`, `pt-br`: letters, then optional `-` parts.
pub fn is_lang_key(key: &str) -> bool {
    let mut parts = key.split('-');
    let first = parts.next().unwrap_or("");
    (2..=3).contains(&first.len())
        && first.chars().all(|c| c.is_ascii_alphabetic())
        && parts
            .all(|p| !p.is_empty() && p.len() <= 8 && p.chars().all(|c| c.is_ascii_alphanumeric()))
}

fn known<'a>(keys: impl Iterator<Item = &'a String>) -> String {
    keys.map(|k| format!("`{k}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Line and column of the first line mentioning `key` (for errors serde cannot place).
fn find_key(text: &str, key: &str) -> (usize, usize) {
    let last = key.rsplit('.').next().unwrap_or(key);
    text.lines()
        .position(|l| l.contains(key) || l.trim_start().starts_with(last))
        .map_or((1, 1), |i| (i + 1, 1))
}

/// Line of the setting `key = ...` (1 when book.toml does not set it).
fn setting_line(text: &str, key: &str) -> usize {
    text.lines()
        .position(|l| {
            l.trim_start()
                .strip_prefix(key)
                .is_some_and(|rest| rest.trim_start().starts_with('='))
        })
        .map_or(1, |i| i + 1)
}

fn toml_error(text: &str, e: &toml::de::Error) -> Diagnostic {
    let (line, col) = e.span().map_or((1, 1), |s| line_col(text, s.start));
    let message = e.message().trim().to_string();
    let hint = if message.contains("unknown field") {
        "remove the key or fix its spelling; the keys rolebook knows are listed above"
    } else if message.contains("unknown variant") {
        "use one of the values listed above; see README's book.toml reference"
    } else if message.contains("missing field") {
        "add the missing key; see README's book.toml reference"
    } else {
        "fix the TOML syntax at this spot; see README's book.toml reference"
    };
    Diagnostic::error(
        Code::ConfigInvalid,
        CONFIG_FILE,
        format!("book.toml: {message}"),
    )
    .at(line, col)
    .hint(hint)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unreadable_book_toml_is_not_called_missing() {
        let fs_error = |source| fsutil::FsError {
            action: "cannot read",
            path: PathBuf::from("/hb/book.toml"),
            source,
        };
        let gone = std::io::Error::from(std::io::ErrorKind::NotFound);
        assert_eq!(unreadable(&fs_error(gone)).code, "config-missing");
        let denied = std::io::Error::from(std::io::ErrorKind::PermissionDenied);
        assert_eq!(unreadable(&fs_error(denied)).code, "config-unreadable");
        if cfg!(unix) {
            let emfile = std::io::Error::from_raw_os_error(24);
            let short = unreadable(&fs_error(emfile));
            assert_eq!(short.code, "too-many-open-files");
            assert!(short.message.contains("too many open files"));
        }
    }

    const GOOD: &str = r#"
[book]
default_language = "zh"
[languages.en]
name = "English"
title = "Handbook"
[languages.zh]
name = "中文"
title = "手册"
html_lang = "zh-CN"
[build]
output = "site"
"#;

    #[test]
    fn parses_languages_default_first() {
        let c = Config::parse(Path::new("/r"), GOOD).unwrap();
        assert_eq!(c.lang_keys(), ["zh", "en"]);
        assert_eq!(c.default_lang().html_lang, "zh-CN");
        assert_eq!(c.lang("en").unwrap().html_lang, "en");
        assert_eq!(c.output, PathBuf::from("site"));
        assert_eq!(c.theme, "default");
        assert!(c.allow_html);
    }

    #[test]
    fn unknown_key_is_an_error_listing_known_keys() {
        let text = GOOD.replace("output = \"site\"", "outptu = \"site\"");
        let err = Config::parse(Path::new("/r"), &text).unwrap_err();
        assert_eq!(err[0].code, "config-invalid");
        assert_eq!(err[0].line, 12);
        assert!(err[0].message.contains("outptu"), "{}", err[0].message);
        assert!(err[0].message.contains("output"), "{}", err[0].message);
    }

    #[test]
    fn undeclared_default_language_is_an_error() {
        let text = GOOD.replace("default_language = \"zh\"", "default_language = \"fr\"");
        let err = Config::parse(Path::new("/r"), &text).unwrap_err();
        assert_eq!(err[0].code, "config-default-language");
        assert_eq!(err[0].line, 3);
        assert!(err[0].hint.as_ref().unwrap().contains("`en`"));
    }

    #[test]
    fn malformed_toml_names_the_line() {
        let text = GOOD.replace("title = \"手册\"", "title = \"手册");
        let err = Config::parse(Path::new("/r"), &text).unwrap_err();
        assert_eq!(err[0].line, 9);
    }

    #[test]
    fn missing_translation_defaults_to_warn_and_knows_its_line() {
        let c = Config::parse(Path::new("/r"), GOOD).unwrap();
        assert_eq!(c.missing_translation, MissingTranslation::Warn);
        assert_eq!(c.missing_translation_line, 1);
        let text = format!("{GOOD}[check]\nmissing_translation = \"summary\"\n");
        let c = Config::parse(Path::new("/r"), &text).unwrap();
        assert_eq!(c.missing_translation, MissingTranslation::Summary);
        assert_eq!(c.missing_translation_line, 14);
        let text = text.replace("summary", "sumary");
        let err = Config::parse(Path::new("/r"), &text).unwrap_err();
        assert_eq!(
            (err[0].code.as_str(), err[0].line, err[0].column),
            ("config-invalid", 14, 23)
        );
        for value in ["`warn`", "`summary`", "`off`"] {
            assert!(err[0].message.contains(value), "{}", err[0].message);
        }
    }
}
