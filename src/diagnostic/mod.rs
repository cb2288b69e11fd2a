//! Problems found in a handbook, as data.
//!
//! Every stage that looks at user input returns [`Diagnostic`] values instead of
//! failing on the first problem; `check`, `build` and `serve` collect them all,
//! sort them by file and line, and hand them to one reporter ([`render_human`] or
//! [`render_json`]). A diagnostic always names the file (relative to the handbook
//! root), a 1-based line and a 1-based column counted in characters, so columns
//! stay right under Chinese text.
//!
//! Messages are written in English where they are found; [`localized`]
//! gives them in the editor's language ([`MessageLang`], chosen once per
//! run by `--messages`, `ROLEBOOK_MESSAGES` or the locale) from the one
//! catalogue of Chinese texts in [`zh`].

use std::borrow::Cow;

use serde::Serialize;

mod code;
mod print;
pub mod zh;

pub use code::Code;
pub use print::{render_human, render_human_in, SHOWN_PER_FILE_AND_CODE};

/// The language diagnostics are told in (to the editor, not the reader).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum MessageLang {
    #[default]
    En,
    Zh,
}

impl MessageLang {
    /// `--messages` values: `zh` or `en`.
    pub fn parse(text: &str) -> Option<MessageLang> {
        match text.to_ascii_lowercase().as_str() {
            "zh" => Some(MessageLang::Zh),
            "en" => Some(MessageLang::En),
            _ => None,
        }
    }

    /// A language tag or locale (`zh_CN.UTF-8`, `zh-TW`, `C`): Chinese for
    /// `zh...`, else English.
    pub fn of_tag(tag: &str) -> MessageLang {
        match tag.get(..2) {
            Some(prefix) if prefix.eq_ignore_ascii_case("zh") => MessageLang::Zh,
            _ => MessageLang::En,
        }
    }

    /// The flag if given; else the first of `ROLEBOOK_MESSAGES`, `LC_ALL`,
    /// `LC_MESSAGES`, `LANG` that `var` finds set and non-empty (`zh...` is
    /// Chinese, anything else English); else English.
    pub fn resolve(flag: Option<MessageLang>, var: impl Fn(&str) -> Option<String>) -> MessageLang {
        if let Some(lang) = flag {
            return lang;
        }
        ["ROLEBOOK_MESSAGES", "LC_ALL", "LC_MESSAGES", "LANG"]
            .iter()
            .find_map(|name| var(name).filter(|v| !v.is_empty()))
            .map_or(MessageLang::En, |v| MessageLang::of_tag(&v))
    }

    /// [`MessageLang::resolve`] on the process environment.
    pub fn from_env(flag: Option<MessageLang>) -> MessageLang {
        MessageLang::resolve(flag, |name| std::env::var(name).ok())
    }
}

static MESSAGES: std::sync::OnceLock<MessageLang> = std::sync::OnceLock::new();

/// Sets the language of this run's messages (once, from `main`), for the
/// reports printed deep inside commands (`serve`, `diff`, `mark-translated`).
pub fn set_messages(lang: MessageLang) {
    let _ = MESSAGES.set(lang);
}

/// The language given to [`set_messages`]; English until then.
pub fn messages() -> MessageLang {
    MESSAGES.get().copied().unwrap_or_default()
}

/// The message and hint of `d` in `lang`. A text the catalogue has no
/// pattern for stays English (a test keeps every code's texts covered).
pub fn localized(d: &Diagnostic, lang: MessageLang) -> (Cow<'_, str>, Option<Cow<'_, str>>) {
    match lang {
        MessageLang::En => (
            Cow::Borrowed(d.message.as_str()),
            d.hint.as_deref().map(Cow::Borrowed),
        ),
        MessageLang::Zh => (
            zh::message(d.code, &d.message).map_or(Cow::Borrowed(d.message.as_str()), Cow::Owned),
            d.hint
                .as_deref()
                .map(|h| zh::hint(d.code, h).map_or(Cow::Borrowed(h), Cow::Owned)),
        ),
    }
}

/// How bad a problem is: errors stop a build, warnings do not; an info is
/// only said (printed, never counted, never changes the exit code).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    Info,
}

/// One problem in the handbook, with where it is and how to fix it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    pub severity: Severity,
    /// Stable machine-readable name, e.g. `unknown-role`.
    pub code: Code,
    /// Path relative to the handbook root, with `/` separators.
    pub file: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column, counted in characters.
    pub column: usize,
    pub message: String,
    /// What to do about it.
    pub hint: Option<String>,
}

impl Diagnostic {
    pub fn error(code: Code, file: impl Into<String>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            code,
            file: file.into(),
            line: 1,
            column: 1,
            message: message.into(),
            hint: None,
        }
    }

    pub fn warning(code: Code, file: impl Into<String>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(code, file, message)
        }
    }

    pub fn info(code: Code, file: impl Into<String>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Info,
            ..Diagnostic::error(code, file, message)
        }
    }

    pub fn at(mut self, line: usize, column: usize) -> Self {
        self.line = line.max(1);
        self.column = column.max(1);
        self
    }

    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// Sorts diagnostics by file, line and column, and drops exact repeats.
pub fn sort(diagnostics: &mut Vec<Diagnostic>) {
    diagnostics.sort_by(|a, b| {
        (&a.file, a.line, a.column, a.severity, a.code, &a.message)
            .cmp(&(&b.file, b.line, b.column, b.severity, b.code, &b.message))
    });
    diagnostics.dedup();
}

pub fn count_errors(diagnostics: &[Diagnostic]) -> usize {
    diagnostics.iter().filter(|d| d.is_error()).count()
}

/// Warnings only (infos are not counted).
pub fn count_warnings(diagnostics: &[Diagnostic]) -> usize {
    diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Warning)
        .count()
}

/// Line and column (1-based, column in characters) of a byte offset in `text`.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    (line, column)
}

/// Line starts of a text, for many offset -> (line, column) look-ups in
/// O(log n) each (a 10 MB page with thousands of links stays fast).
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    pub fn new(text: &str) -> LineIndex {
        let mut starts = vec![0];
        starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1));
        LineIndex { starts }
    }

    /// Same result as [`line_col`].
    pub fn line_col(&self, text: &str, offset: usize) -> (usize, usize) {
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.starts.partition_point(|&s| s <= offset);
        let start = self.starts[line - 1];
        (line, text[start..offset].chars().count() + 1)
    }
}

/// `2 errors, 1 warning` style closing line.
pub fn summary(diagnostics: &[Diagnostic]) -> String {
    summary_in(diagnostics, MessageLang::En)
}

/// [`summary`] in `lang` (`2 个错误，1 个警告`).
pub fn summary_in(diagnostics: &[Diagnostic], lang: MessageLang) -> String {
    let errors = count_errors(diagnostics);
    let warnings = count_warnings(diagnostics);
    if lang == MessageLang::Zh {
        return format!("{errors} 个错误，{warnings} 个警告");
    }
    format!(
        "{} {}, {} {}",
        errors,
        plural(errors, "error"),
        warnings,
        plural(warnings, "warning")
    )
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        word.to_string()
    } else {
        format!("{word}s")
    }
}

#[derive(Serialize)]
struct JsonReport<'a> {
    diagnostics: Vec<JsonDiagnostic<'a>>,
    errors: usize,
    warnings: usize,
}

/// A diagnostic as JSON: English `message` and `hint`, and their Chinese.
#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    #[serde(flatten)]
    diagnostic: &'a Diagnostic,
    message_zh: Cow<'a, str>,
    hint_zh: Option<Cow<'a, str>>,
}

/// One JSON document for CI annotations.
pub fn render_json(diagnostics: &[Diagnostic]) -> String {
    let errors = count_errors(diagnostics);
    let report = JsonReport {
        diagnostics: diagnostics
            .iter()
            .map(|diagnostic| {
                let (message_zh, hint_zh) = localized(diagnostic, MessageLang::Zh);
                JsonDiagnostic {
                    diagnostic,
                    message_zh,
                    hint_zh,
                }
            })
            .collect(),
        errors,
        warnings: count_warnings(diagnostics),
    };
    serde_json::to_string_pretty(&report).unwrap_or_default()
}

/// The closest known word, when it is close enough to be a likely typo.
pub fn did_you_mean<'a>(word: &str, known: &[&'a str]) -> Option<&'a str> {
    known
        .iter()
        .map(|k| (strsim::jaro_winkler(word, k), *k))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, k)| k)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_characters_not_bytes() {
        let text = "---\n标题: 秘书 x\n";
        let offset = text.find('x').unwrap();
        assert_eq!(line_col(text, offset), (2, 8));
    }

    #[test]
    fn line_index_agrees_with_line_col() {
        let text = "a\n秘书 b\r\n\nxyz";
        let index = LineIndex::new(text);
        for offset in 0..=text.len() {
            assert_eq!(
                index.line_col(text, offset),
                line_col(text, offset),
                "offset {offset}"
            );
        }
    }

    #[test]
    fn the_flag_then_rolebook_messages_then_the_locale_choose_the_language() {
        use MessageLang::{En, Zh};
        let with = |vars: &[(&str, &str)], flag| {
            MessageLang::resolve(flag, |name| {
                vars.iter()
                    .find(|(k, _)| *k == name)
                    .map(|(_, v)| v.to_string())
            })
        };
        assert_eq!(with(&[], None), En);
        assert_eq!(with(&[("LANG", "zh_CN.UTF-8")], None), Zh);
        assert_eq!(with(&[("LANG", "zh_CN.UTF-8")], Some(En)), En);
        assert_eq!(with(&[("LANG", "en_US.UTF-8")], Some(Zh)), Zh);
        assert_eq!(
            with(&[("ROLEBOOK_MESSAGES", "en"), ("LC_ALL", "zh_CN")], None),
            En
        );
        assert_eq!(
            with(&[("ROLEBOOK_MESSAGES", "zh"), ("LC_ALL", "C")], None),
            Zh
        );
        assert_eq!(with(&[("LC_ALL", "C"), ("LANG", "zh_CN.UTF-8")], None), En);
        assert_eq!(
            with(&[("LC_ALL", "en_GB"), ("LC_MESSAGES", "zh_CN")], None),
            En
        );
        assert_eq!(with(&[("LC_ALL", ""), ("LC_MESSAGES", "zh_TW")], None), Zh);
        assert_eq!(
            with(&[("LC_MESSAGES", "POSIX"), ("LANG", "zh_CN")], None),
            En
        );
        assert_eq!(with(&[("LANG", "ZH-hk")], None), Zh);
        assert_eq!(with(&[("LANG", "z")], None), En);
        assert_eq!(with(&[("LANG", "中文")], None), En);
        assert_eq!(MessageLang::parse("ZH"), Some(Zh));
        assert_eq!(MessageLang::parse("fr"), None);
    }

    #[test]
    fn localized_gives_either_language_and_keeps_english_it_cannot_match() {
        let d = Diagnostic::error(Code::MissingId, "a.md", "the front matter has no `id`")
            .hint("add a line `id: a` (the same id in every language of this role)");
        let (message, hint) = localized(&d, MessageLang::Zh);
        assert_eq!(message, "front matter 缺少 `id`");
        assert_eq!(
            hint.as_deref(),
            Some("请加一行 `id: a`（该岗位各语言的页面用同一个 id）")
        );
        let (message, _) = localized(&d, MessageLang::En);
        assert_eq!(message, d.message);
        let odd = Diagnostic::error(Code::MissingId, "a.md", "something new");
        assert_eq!(localized(&odd, MessageLang::Zh).0, "something new");
        assert_eq!(summary_in(&[d], MessageLang::Zh), "1 个错误，0 个警告");
    }

    #[test]
    fn json_has_english_and_chinese_of_every_diagnostic() {
        let list = [
            Diagnostic::error(Code::MissingId, "a.md", "the front matter has no `id`"),
            Diagnostic::warning(
                Code::EmptyBody,
                "a.md",
                "the page has no text after the front matter",
            )
            .hint("write the role's description below the closing `---`"),
        ];
        let json: serde_json::Value = serde_json::from_str(&render_json(&list)).unwrap();
        let first = &json["diagnostics"][0];
        assert_eq!(first["message"], "the front matter has no `id`");
        assert_eq!(first["message_zh"], "front matter 缺少 `id`");
        assert!(
            first["hint"].is_null() && first["hint_zh"].is_null(),
            "{json:#}"
        );
        assert_eq!(
            json["diagnostics"][1]["hint_zh"],
            "请在结束的 `---` 下面写岗位说明"
        );
        assert_eq!(json["errors"], 1);
    }

    #[test]
    fn sort_orders_by_file_then_line() {
        let mut list = vec![
            Diagnostic::error(Code::BrokenLink, "b.md", "x").at(1, 1),
            Diagnostic::error(Code::BrokenLink, "a.md", "x").at(9, 1),
            Diagnostic::error(Code::BrokenLink, "a.md", "x").at(2, 1),
        ];
        sort(&mut list);
        let order: Vec<_> = list.iter().map(|d| (d.file.as_str(), d.line)).collect();
        assert_eq!(order, [("a.md", 2), ("a.md", 9), ("b.md", 1)]);
    }

    /// Work of printing `n` broken links written on one line of one page.
    #[test]
    fn human_output_shows_the_line_and_hint() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("p.md"), "---\nid: x\nreprots_to: y\n---\n").unwrap();
        let d = Diagnostic::error(Code::UnknownField, "p.md", "unknown field `reprots_to`")
            .at(3, 1)
            .hint("did you mean `reports_to`?");
        let text = render_human(&[d], dir.path(), false);
        assert!(text.contains("p.md:3:1"), "{text}");
        assert!(text.contains("reprots_to: y"), "{text}");
        assert!(text.contains("did you mean `reports_to`?"), "{text}");
        assert!(text.ends_with("1 error, 0 warnings\n"), "{text}");
    }
}
