//! From a page file's bytes to a [`Page`]: decoding, front matter, language.
//!
//! Third stage. Decodes UTF-8 (with or without BOM, LF or CRLF), splits the
//! YAML front matter between `---` lines, deserializes it strictly through
//! serde-saphyr (unknown keys, duplicate keys and wrong types are errors with
//! the line and column *in the file*), validates the id and works out the
//! page's language from `lang:`, the file name and the first folder. Simple
//! front matter is read by `fast` instead, with the same result.
//!
//! One run reports every problem of a page: serde stops at the first, so the
//! fields it stops at (every unknown one, then each wrong value) are left
//! out and the rest parsed again. A page that fails is not part of the
//! handbook, but [`failed_body`] hands its body to the Markdown checks.

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_saphyr::Spanned;

use crate::config::{is_lang_key, Config};
use crate::diagnostic::{did_you_mean, line_col, Code, Diagnostic};
use crate::handbook::RESERVED_IDS;
use crate::id::{LangId, RoleId};
use crate::source::SourceFile;

mod fast;
mod fields;
mod ids;
mod lifecycle;
mod mark;
mod slips;

use fields::*;
pub(crate) use ids::suggest_id;
use ids::*;

pub use lifecycle::Lifecycle;
pub use mark::{fingerprint, set_translated_from};

/// Front matter keys, for did-you-mean hints.
pub const FIELDS: &[&str] = &[
    "id",
    "title",
    "kind",
    "lang",
    "summary",
    "department",
    "reports_to",
    "related",
    "order",
    "tags",
    "translated_from",
    "updated",
    "effective",
    "version",
    "owner",
    "review_by",
    "change_note",
    "aliases",
    "compare",
    "extra",
];

/// The front matter as written by the user.
#[derive(Debug, Default, Deserialize)]
#[cfg_attr(test, derive(PartialEq))]
#[serde(deny_unknown_fields)]
struct RawFrontMatter {
    /// The role this page belongs to; pages of all languages share it.
    id: Option<Spanned<String>>,
    /// The role's title in this page's language.
    title: Option<String>,
    /// `role` (the default) or `page`: a page that is not a role (a welcome
    /// page, leave rules), listed apart from the roles.
    kind: Option<Spanned<String>>,
    /// The page's language key; else taken from the file name or folder.
    lang: Option<Spanned<String>>,
    /// One sentence shown on the home page and under the title.
    summary: Option<String>,
    /// Department the role belongs to, in this page's language.
    department: Option<String>,
    /// Id of the role this one reports to (same for all languages).
    reports_to: Option<Spanned<String>>,
    /// Ids of related roles (same for all languages).
    related: Option<Vec<Spanned<String>>>,
    /// Sort key in lists (same for all languages).
    order: Option<i64>,
    /// Free labels (same for all languages).
    tags: Option<Vec<String>>,
    /// Fingerprint of the default-language page this translation was made from.
    translated_from: Option<String>,
    /// When this page's text was last changed (`2026-11-28`); else the file's time.
    updated: Option<Spanned<String>>,
    /// Date the current text applies from (same for all languages).
    effective: Option<Spanned<String>>,
    /// Version of the role's text, free text (same for all languages).
    version: Option<Spanned<String>>,
    /// Who maintains the role's pages (same for all languages).
    owner: Option<Spanned<String>>,
    /// When the text is to be reviewed again (same for all languages).
    review_by: Option<Spanned<String>>,
    /// What changed in this version, in this page's language.
    change_note: Option<String>,
    /// Former ids of the role (same for all languages).
    aliases: Option<Vec<Spanned<String>>>,
    /// Ids of roles this page compares (same for all languages).
    compare: Option<Vec<Spanned<String>>>,
    /// Free data for themes.
    extra: Option<BTreeMap<String, serde_json::Value>>,
}

/// A value together with where it was written in its file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Located<T> {
    pub value: T,
    pub line: usize,
    pub column: usize,
}

/// What a page is: a role (the default), or a page of the handbook that is
/// not one (`kind: page`): no place in the org chart or the departments,
/// no lifecycle fields, listed apart on the home page and in the sidebar.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    #[default]
    Role,
    Page,
}

/// One Markdown page, decoded and validated on its own.
#[derive(Debug, Clone)]
pub struct Page {
    /// Path relative to the handbook root.
    pub file: String,
    /// Path relative to `content/`.
    pub content_path: String,
    pub id: RoleId,
    /// Line of the `id:` field, for messages about the id.
    pub id_line: usize,
    pub lang: String,
    /// The same language, resolved once here.
    pub lang_id: LangId,
    pub title: String,
    /// A role's page, or a page that is not a role.
    pub kind: Kind,
    /// Line of the `kind:` field, when written.
    pub kind_line: Option<usize>,
    pub summary: Option<String>,
    pub department: Option<String>,
    pub reports_to: Option<Located<String>>,
    pub related: Option<Vec<Located<String>>>,
    pub order: Option<i64>,
    /// Line of the `order:` field, for messages about it.
    pub order_line: usize,
    pub tags: Option<Vec<String>>,
    /// Line of the `tags:` field.
    pub tags_line: usize,
    pub translated_from: Option<String>,
    pub extra: BTreeMap<String, serde_json::Value>,
    /// The page's Markdown body (after the front matter); emptied once the
    /// Markdown is rendered (see `rolebook::load`).
    pub body: String,
    /// The fingerprint of the page's title and body (see [`fingerprint`]):
    /// for an original, what its translations record in `translated_from`.
    pub fingerprint: Option<String>,
    /// When the text was last changed: `updated:`, else the file's time.
    pub updated: Option<crate::dates::Date>,
    /// Effective date, version, owner, review date, change note, aliases
    /// and compared roles, as written in this page.
    pub lifecycle: Lifecycle,
    /// 1-based line of the file where `body` starts.
    pub body_line: usize,
}

/// The `id:` written in a page that failed to parse, if a line says so.
pub fn guess_id(bytes: &[u8]) -> Option<&str> {
    let text = std::str::from_utf8(bytes).ok()?;
    text.lines()
        .take(64)
        .find_map(|l| l.strip_prefix("id:"))
        .map(|id| id.trim().trim_matches(['"', '\'']))
        .filter(|id| is_valid_id(id))
}

pub use crate::id::is_valid_role_id as is_valid_id;

/// Decodes and parses one page; all of its problems are returned at once.
/// The page takes the file's bytes for its body (they are not copied); on
/// failure `source` keeps them.
pub fn parse_page(source: &mut SourceFile, config: &Config) -> Result<Page, Vec<Diagnostic>> {
    let text = match String::from_utf8(std::mem::take(&mut source.bytes)) {
        Ok(text) => text,
        Err(e) => {
            let offset = e.utf8_error().valid_up_to();
            source.bytes = e.into_bytes();
            return Err(vec![not_utf8(&source.bytes, offset, &source.file)]);
        }
    };
    match parse_text(&text, source, config) {
        Ok((mut page, body_start)) => {
            let mut body = text;
            body.drain(..body_start);
            page.body = body;
            Ok(page)
        }
        Err(problems) => {
            source.bytes = text.into_bytes();
            Err(problems)
        }
    }
}

/// The YAML starts on the line after the opening `---`.
const YAML_LINE: usize = 2;

/// [`parse_page`] on the decoded file: the page without its body, and where
/// the body starts in `whole`.
fn parse_text(
    whole: &str,
    source: &SourceFile,
    config: &Config,
) -> Result<(Page, usize), Vec<Diagnostic>> {
    let file = source.file.as_str();
    let text = whole.strip_prefix('\u{feff}').unwrap_or(whole);
    let split = split_front_matter(text, file).map_err(|d| vec![d])?;
    // A full-width slip gets its own error, in place of what the parser
    // (or a later check) says on that line.
    let slips = slips::find(split.yaml, file, YAML_LINE);
    let page = parse_split(&split, whole, source, config);
    match page {
        Err(mut problems) if !slips.is_empty() => {
            problems.retain(|p| !slips.iter().any(|s| s.line == p.line));
            problems.extend(slips);
            problems.sort_by_key(|p| (p.line, p.column));
            Err(problems)
        }
        Ok(_) if !slips.is_empty() => Err(slips),
        page => page,
    }
}

/// [`parse_text`] once the front matter is split off.
fn parse_split(
    split: &Split<'_>,
    whole: &str,
    source: &SourceFile,
    config: &Config,
) -> Result<(Page, usize), Vec<Diagnostic>> {
    let file = source.file.as_str();
    let parsed = parse_yaml(split.yaml, file, YAML_LINE);
    let mut problems = parsed.problems;
    let Some(mut raw) = parsed.raw else {
        return Err(problems);
    };
    let dropped = |field| parsed.dropped.contains(&field);
    let id = page_id(&raw, source, config, dropped("id"), &mut problems);
    let title = raw.title.clone();
    if title.is_none() && !dropped("title") {
        problems.push(missing_title(file, field_line(split.yaml, "title")));
    }
    // When `lang:` has a wrong value (reported), the path does not decide.
    let lang = if dropped("lang") {
        None
    } else {
        detect_language(&raw, source, config, YAML_LINE)
            .map_err(|d| problems.push(d))
            .ok()
    };
    let updated = updated_date(&raw, source, &mut problems);
    let lifecycle = lifecycle::lifecycle(&mut raw, file, &mut problems);
    let (kind, kind_line) = page_kind(&raw, file, &mut problems);
    if !problems.is_empty() {
        return Err(problems);
    }
    let (Some(id), Some(title), Some((lang, lang_id))) = (id, title, lang) else {
        return Err(problems);
    };
    // What translations record of an original, and what `manifest.json`
    // lists of every page (a new one is a material change).
    let fingerprint = Some(fingerprint(&title, split.body));
    let page = Page {
        id_line: raw
            .id
            .as_ref()
            .map_or(YAML_LINE, |id| loc(&id.referenced, YAML_LINE).0),
        lang,
        lang_id,
        title,
        fingerprint,
        updated,
        lifecycle,
        kind,
        kind_line,
        order_line: field_line(split.yaml, "order").unwrap_or(YAML_LINE),
        tags_line: field_line(split.yaml, "tags").unwrap_or(YAML_LINE),
        ..from_raw(raw, source, id, split.body_line)
    };
    Ok((page, whole.len() - split.body.len()))
}

/// The page's id, or `None` with its problem (none when `dropped`: the
/// field's value was wrong and is reported already).
fn page_id(
    raw: &RawFrontMatter,
    source: &SourceFile,
    config: &Config,
    dropped: bool,
    problems: &mut Vec<Diagnostic>,
) -> Option<RoleId> {
    let file = source.file.as_str();
    match &raw.id {
        Some(id) if is_valid_id(&id.value) => RoleId::parse(&id.value),
        Some(id) => {
            let (line, column) = loc(&id.referenced, YAML_LINE);
            problems.push(
                Diagnostic::error(Code::InvalidId, file, format!("id `{}` is not allowed", id.value))
                    .at(line, column)
                    .hint(format!(
                        "ids use only lowercase letters, digits, `-` and `_`, and start with a letter or digit, e.g. `{}`",
                        suggest_id(&id.value)
                    )),
            );
            None
        }
        None if dropped => None,
        None => {
            problems.push(
                Diagnostic::error(Code::MissingId, file, "the front matter has no `id`")
                    .at(YAML_LINE, 1)
                    .hint(format!(
                        "add a line `id: {}` (the same id in every language of this role)",
                        id_from_path(&source.content_path, config)
                    )),
            );
            None
        }
    }
}

/// A page from its front matter; the fields worked out from several
/// sources (language, title, fingerprint) are filled in by the caller.
fn from_raw(raw: RawFrontMatter, source: &SourceFile, id: RoleId, body_line: usize) -> Page {
    Page {
        file: source.file.clone(),
        content_path: source.content_path.clone(),
        id,
        id_line: YAML_LINE,
        lang: String::new(),
        lang_id: LangId::DEFAULT,
        title: raw.title.unwrap_or_default(),
        kind: Kind::Role,
        kind_line: None,
        summary: raw.summary,
        department: raw.department,
        reports_to: raw.reports_to.map(|s| located(s, YAML_LINE)),
        related: raw
            .related
            .map(|list| list.into_iter().map(|s| located(s, YAML_LINE)).collect()),
        order: raw.order,
        order_line: YAML_LINE,
        tags: raw.tags,
        tags_line: YAML_LINE,
        translated_from: raw.translated_from,
        extra: raw.extra.unwrap_or_default(),
        body: String::new(),
        fingerprint: None,
        updated: None,
        lifecycle: Lifecycle::default(),
        body_line,
    }
}

/// The page's date: front matter's `updated:` (a problem when it is not a
/// date), else the file's modification time.
fn updated_date(
    raw: &RawFrontMatter,
    source: &SourceFile,
    problems: &mut Vec<Diagnostic>,
) -> Option<crate::dates::Date> {
    let Some(written) = &raw.updated else {
        return source.modified.and_then(crate::dates::from_system_time);
    };
    let date = crate::dates::parse(&written.value);
    if date.is_none() {
        let (line, column) = loc(&written.referenced, YAML_LINE);
        problems.push(
            Diagnostic::error(
                Code::InvalidFrontMatter,
                &source.file,
                format!("`updated: {}` is not a date", written.value),
            )
            .at(line, column)
            .hint("write the date as year-month-day, e.g. `updated: 2026-11-28`"),
        );
    }
    date
}

/// The body of a page that failed to parse (`source` as [`parse_page`]
/// left it), as a page to render only for the body's own problems (broken
/// links and the like): it is never part of the handbook, has no front
/// matter, and its id is a stand-in. `None` when there is no body to check:
/// the file is not UTF-8, its front matter is not closed, or the body is
/// blank (an empty body of a page that is left out anyway is not worth a
/// warning).
pub fn failed_body(source: &SourceFile, config: &Config) -> Option<Page> {
    let whole = std::str::from_utf8(&source.bytes).ok()?;
    let text = whole.strip_prefix('\u{feff}').unwrap_or(whole);
    let split = split_front_matter(text, &source.file).ok()?;
    if split.body.trim().is_empty() {
        return None;
    }
    let id = guess_id(&source.bytes)
        .and_then(RoleId::parse)
        .or_else(|| RoleId::parse(&id_from_path(&source.content_path, config)))?;
    // The language as the path tells it: links are resolved from there.
    let (lang, lang_id) = detect_language(&RawFrontMatter::default(), source, config, YAML_LINE)
        .unwrap_or_else(|_| (config.default_lang().key.clone(), LangId::DEFAULT));
    Some(Page {
        lang,
        lang_id,
        body: split.body.to_string(),
        ..from_raw(RawFrontMatter::default(), source, id, split.body_line)
    })
}

/// The role and language a page that failed to parse was meant for: the
/// `id:` line if one is readable, else the file name; the language as the
/// path tells it (for `rolebook status`, which says `error`, not `missing`).
pub fn failed_identity(source: &SourceFile, config: &Config) -> Option<(RoleId, LangId)> {
    let id = guess_id(&source.bytes)
        .and_then(RoleId::parse)
        .or_else(|| RoleId::parse(&id_from_path(&source.content_path, config)))?;
    let (_, lang_id) = detect_language(&RawFrontMatter::default(), source, config, YAML_LINE)
        .unwrap_or_else(|_| (config.default_lang().key.clone(), LangId::DEFAULT));
    Some((id, lang_id))
}

/// `kind:` as written: `role` or `page`; anything else is a problem.
fn page_kind(
    raw: &RawFrontMatter,
    file: &str,
    problems: &mut Vec<Diagnostic>,
) -> (Kind, Option<usize>) {
    let Some(written) = &raw.kind else {
        return (Kind::Role, None);
    };
    let (line, column) = loc(&written.referenced, YAML_LINE);
    let kind = match written.value.trim() {
        "role" => Kind::Role,
        "page" => Kind::Page,
        other => {
            problems.push(
                Diagnostic::error(
                    Code::InvalidFrontMatter,
                    file,
                    format!("`kind: {other}` is neither `role` nor `page`"),
                )
                .at(line, column)
                .hint("write `kind: page` for a page that is not a role (a welcome page, rules), or leave `kind` out for a role"),
            );
            Kind::Role
        }
    };
    (kind, Some(line))
}

/// No title: at the empty `title:` line when there is one.
fn missing_title(file: &str, written: Option<usize>) -> Diagnostic {
    match written {
        Some(line) => Diagnostic::error(Code::MissingTitle, file, "`title` is empty")
            .at(line, 7)
            .hint("write the role's name in this page's language after `title: `"),
        None => Diagnostic::error(Code::MissingTitle, file, "the front matter has no `title`")
            .at(YAML_LINE, 1)
            .hint("add a line `title: ...` with the role's name in this page's language"),
    }
}

/// The file line of top-level field `key` in the front matter `yaml`.
fn field_line(yaml: &str, key: &str) -> Option<usize> {
    yaml.lines()
        .position(|l| {
            l.strip_prefix(key)
                .is_some_and(|rest| rest.starts_with(':'))
        })
        .map(|n| YAML_LINE + n)
}

/// The error for a file whose first `offset` bytes are valid UTF-8, but not the next.
fn not_utf8(bytes: &[u8], offset: usize, file: &str) -> Diagnostic {
    let valid = std::str::from_utf8(&bytes[..offset]).unwrap_or_default();
    let (line, column) = line_col(valid, offset);
    Diagnostic::error(
        Code::InvalidUtf8,
        file,
        format!("the file is not valid UTF-8 (first bad byte at offset {offset})"),
    )
    .at(line, column)
    .hint("save the file as UTF-8 in your editor (\"Save with encoding\" → UTF-8)")
}

struct Split<'a> {
    yaml: &'a str,
    body: &'a str,
    body_line: usize,
}

fn split_front_matter<'a>(text: &'a str, file: &str) -> Result<Split<'a>, Diagnostic> {
    if text.trim().is_empty() {
        return Err(Diagnostic::error(Code::EmptyPage, file, "the page is empty").hint(
            "start the file with front matter: a `---` line, `id: ...`, `title: ...`, and a closing `---` line",
        ));
    }
    let first_end = text.find('\n').map_or(text.len(), |i| i + 1);
    if text[..first_end].trim_end() != "---" {
        return Err(Diagnostic::error(Code::NoFrontMatter, file, "the page has no front matter").hint(
            "start the file with a `---` line, then `id: ...` and `title: ...`, then a closing `---` line",
        ));
    }
    let mut offset = first_end;
    let mut line = 2;
    while offset < text.len() {
        let end = memchr::memchr(b'\n', &text.as_bytes()[offset..])
            .map_or(text.len(), |i| offset + i + 1);
        if text[offset..end].trim_end() == "---" {
            return Ok(Split {
                yaml: &text[first_end..offset],
                body: &text[end..],
                body_line: line + 1,
            });
        }
        offset = end;
        line += 1;
    }
    Err(Diagnostic::error(
        Code::UnterminatedFrontMatter,
        file,
        "the front matter is never closed",
    )
    .hint("add a line with only `---` after the last front matter field"))
}

fn loc(l: &serde_saphyr::Location, yaml_line: usize) -> (usize, usize) {
    (
        l.line() as usize + yaml_line - 1,
        l.column().max(1) as usize,
    )
}

fn located(s: Spanned<String>, yaml_line: usize) -> Located<String> {
    let (line, column) = loc(&s.referenced, yaml_line);
    Located {
        value: s.value,
        line,
        column,
    }
}

/// Language from `lang:`, the file name (`x.zh.md`) and the first folder under
/// content (`zh/...`, only when it names a declared language). All that are
/// given must agree, and the result must be declared in book.toml.
fn detect_language(
    raw: &RawFrontMatter,
    source: &SourceFile,
    config: &Config,
    yaml_line: usize,
) -> Result<(String, LangId), Diagnostic> {
    let file = source.file.as_str();
    let mut hints: Vec<(String, String)> = Vec::new();
    let (mut line, mut column) = (1, 1);
    if let Some(lang) = &raw.lang {
        (line, column) = loc(&lang.referenced, yaml_line);
        hints.push((
            lang.value.clone(),
            "`lang:` in the front matter".to_string(),
        ));
    }
    let stem = file_stem(&source.content_path);
    if let Some((_, suffix)) = stem.rsplit_once('.') {
        if is_lang_key(suffix) {
            hints.push((
                suffix.to_string(),
                format!("the file name (`.{suffix}.md`)"),
            ));
        }
    }
    if let Some((folder, _)) = source.content_path.split_once('/') {
        if config.lang(folder).is_some() {
            hints.push((
                folder.to_string(),
                format!("the folder `content/{folder}/`"),
            ));
        }
    }
    let Some((lang, how)) = hints.first().cloned() else {
        return Err(Diagnostic::error(Code::UnknownLanguage, file, "cannot tell which language this page is in")
            .hint(format!(
                "add `lang: {}` to the front matter, name the file `{stem}.{}.md`, or put it under content/{}/",
                config.default_lang().key,
                config.default_lang().key,
                config.default_lang().key
            )));
    };
    if let Some((other, other_how)) = hints.iter().find(|(l, _)| *l != lang) {
        return Err(Diagnostic::error(
            Code::LanguageConflict,
            file,
            format!("{how} says `{lang}` but {other_how} says `{other}`"),
        )
        .at(line, column)
        .hint("make them agree, or remove `lang:` and let the file name or folder decide"));
    }
    let Some(lang_id) = config.lang_id(&lang) else {
        return Err(Diagnostic::error(
            Code::UndeclaredLanguage,
            file,
            format!("language `{lang}` (from {how}) is not declared in book.toml"),
        )
        .at(line, column)
        .hint(format!(
            "use one of: {}, or add a [languages.{lang}] table to book.toml",
            config.lang_keys().join(", ")
        )));
    };
    Ok((lang, lang_id))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn config() -> Config {
        Config::parse(
            Path::new("/r"),
            "[book]\ndefault_language='en'\n[languages.en]\nname='English'\ntitle='H'\n[languages.zh]\nname='中文'\ntitle='手册'\n",
        )
        .unwrap()
    }

    fn page(path: &str, text: &str) -> Result<Page, Vec<Diagnostic>> {
        let mut source = SourceFile {
            file: format!("content/{path}"),
            content_path: path.to_string(),
            bytes: text.as_bytes().to_vec(),
            modified: None,
        };
        parse_page(&mut source, &config())
    }

    fn error(path: &str, text: &str) -> Diagnostic {
        page(path, text).unwrap_err().remove(0)
    }

    #[test]
    fn language_from_front_matter_file_name_and_folder() {
        let fm = "---\nid: secretary\ntitle: Secretary\nlang: zh\n---\n";
        assert_eq!(page("secretary.md", fm).unwrap().lang, "zh");
        let fm = "---\nid: secretary\ntitle: Secretary\n---\n";
        assert_eq!(page("roles/secretary.zh.md", fm).unwrap().lang, "zh");
        assert_eq!(page("en/secretary.md", fm).unwrap().lang, "en");
    }

    #[test]
    fn language_conflict_is_an_error() {
        let d = error("zh/secretary.en.md", "---\nid: secretary\ntitle: S\n---\n");
        assert_eq!(d.code.as_str(), "language-conflict");
        assert!(
            d.message.contains("`en`") && d.message.contains("`zh`"),
            "{}",
            d.message
        );
    }

    #[test]
    fn undeclared_language_is_an_error() {
        let d = error("x.md", "---\nid: x\ntitle: X\nlang: fr\n---\n");
        assert_eq!(
            (d.code.as_str(), d.line, d.column),
            ("undeclared-language", 4, 7)
        );
    }

    #[test]
    fn bom_and_crlf_work() {
        let p = page(
            "en/x.md",
            "\u{feff}---\r\nid: x\r\ntitle: X\r\n---\r\nBody\r\n",
        )
        .unwrap();
        assert_eq!(
            (p.id.as_str(), p.title.as_str(), p.body.as_str()),
            ("x", "X", "Body\r\n")
        );
        assert_eq!(p.body_line, 5);
    }

    #[test]
    fn unknown_field_suggests_the_right_one() {
        let d = error("en/x.md", "---\nid: x\ntitle: X\nreprots_to: y\n---\n");
        assert_eq!((d.code.as_str(), d.line), ("unknown-field", 4));
        assert!(d.hint.unwrap().contains("did you mean `reports_to`?"));
    }

    #[test]
    fn wrong_type_names_the_line() {
        let d = error("en/x.md", "---\nid: x\ntitle: X\norder: first\n---\n");
        assert_eq!((d.code.as_str(), d.line), ("invalid-front-matter", 4));
    }

    #[test]
    fn missing_id_and_title_are_both_reported() {
        let errs = page("en/x.md", "---\nsummary: s\n---\n").unwrap_err();
        let codes: Vec<_> = errs.iter().map(|d| d.code).collect();
        assert_eq!(codes, ["missing-id", "missing-title"]);
    }

    #[test]
    fn path_like_id_is_refused() {
        let d = error("en/x.md", "---\nid: ../x\ntitle: X\n---\n");
        assert_eq!((d.code.as_str(), d.line, d.column), ("invalid-id", 2, 5));
    }

    #[test]
    fn front_matter_shape_errors() {
        assert_eq!(error("en/x.md", "").code, "empty-page");
        assert_eq!(error("en/x.md", "# Title\n").code, "no-front-matter");
        assert_eq!(
            error("en/x.md", "---\nid: x\n").code,
            "unterminated-front-matter"
        );
    }

    #[test]
    fn invalid_utf8_names_the_offset() {
        let mut source = SourceFile {
            file: "content/en/x.md".into(),
            content_path: "en/x.md".into(),
            bytes: b"---\nid: x\xff\n".to_vec(),
            modified: None,
        };
        let d = parse_page(&mut source, &config()).unwrap_err().remove(0);
        assert_eq!((d.code.as_str(), d.line, d.column), ("invalid-utf8", 2, 6));
        assert!(d.message.contains("offset 9"));
    }

    #[test]
    fn duplicate_key_is_an_error_on_its_line() {
        let d = error("en/x.md", "---\nid: x\ntitle: X\ntitle: Y\n---\n");
        assert_eq!(d.line, 4, "{d:?}");
    }

    /// `(code, line)` of every problem of a page.
    fn problems(path: &str, text: &str) -> Vec<(&'static str, usize)> {
        page(path, text)
            .unwrap_err()
            .iter()
            .map(|d| (d.code.as_str(), d.line))
            .collect()
    }

    #[test]
    fn every_unknown_field_and_missing_field_is_reported() {
        let fm = "---\ntitle: X\nweight: 3\nreviewers:\n  - ann\n  - bob\ndate: 2024-01-01\n---\n";
        assert_eq!(
            problems("en/x.md", fm),
            [
                ("unknown-field", 3),
                ("unknown-field", 4),
                ("unknown-field", 7),
                ("missing-id", 2)
            ]
        );
    }

    #[test]
    fn a_wrong_value_does_not_hide_the_fields_after_it() {
        let fm = "---\nid: x\norder: first\nweigth: 3\n---\n";
        assert_eq!(
            problems("en/x.md", fm),
            [
                ("unknown-field", 4),
                ("invalid-front-matter", 3),
                ("missing-title", 2)
            ]
        );
        // A wrong `id` is reported once, not also as missing.
        let fm = "---\nid: {a: b}\ntitle: X\ndate: 1\n---\n";
        assert_eq!(
            problems("en/x.md", fm),
            [("unknown-field", 4), ("invalid-front-matter", 2)]
        );
    }

    #[test]
    fn unknown_fields_on_one_line_are_reported_without_more() {
        let fm = "---\n{id: x, weight: 3, date: 1}\n---\n";
        let found = problems("en/x.md", fm);
        assert_eq!(found[0], ("unknown-field", 2), "{found:?}");
        let fm = "---\n{\n  id: x,\n  weight: 3\n}\n---\n";
        let found = problems("en/x.md", fm);
        assert_eq!(found[0], ("unknown-field", 4), "{found:?}");
    }

    #[test]
    fn proposed_ids_are_valid_and_not_reserved() {
        let c = config();
        assert_eq!(id_from_path("en/team/_index.md", &c), "team");
        assert_eq!(id_from_path("en/_index.md", &c), "home");
        assert_eq!(id_from_path("README.md", &c), "home");
        assert_eq!(id_from_path("en/Chief Clerk.zh.md", &c), "chief-clerk");
        assert_eq!(id_from_path("en/search.md", &c), "search-role");
        assert_eq!(suggest_id("../x"), "x");
        assert_eq!(suggest_id("秘书"), "role");
        for text in [
            "_index",
            "__",
            "-a-",
            "İstanbul",
            "Ａｂ",
            "index",
            "a..b",
            "",
            "K",
        ] {
            let id = suggest_id(text);
            assert!(RoleId::parse(&id).is_some(), "{text:?} -> {id:?}");
            assert!(!RESERVED_IDS.contains(&id.as_str()), "{text:?} -> {id:?}");
        }
    }

    #[test]
    fn a_failed_page_still_has_its_body_for_checking() {
        let text = "---\ntitle: X\nweight: 3\n---\n\n[b](role:nobody)\n";
        let mut source = SourceFile {
            file: "content/zh/team/_index.md".into(),
            content_path: "zh/team/_index.md".into(),
            bytes: text.as_bytes().to_vec(),
            modified: None,
        };
        assert!(parse_page(&mut source, &config()).is_err());
        let body = failed_body(&source, &config()).unwrap();
        assert_eq!(
            (
                body.body.as_str(),
                body.body_line,
                body.lang.as_str(),
                body.id.as_str()
            ),
            ("\n[b](role:nobody)\n", 5, "zh", "team")
        );
        source.bytes = b"---\ntitle: X\nweight: 3\n---\n \n".to_vec();
        assert!(failed_body(&source, &config()).is_none(), "blank body");
        source.bytes = b"---\ntitle: X\n".to_vec();
        assert!(failed_body(&source, &config()).is_none(), "not closed");
    }
}
