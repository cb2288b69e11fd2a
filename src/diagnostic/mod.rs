//! Problems found in a handbook, as data.
//!
//! Every stage that looks at user input returns [`Diagnostic`] values instead of
//! failing on the first problem; `check`, `build` and `serve` collect them all,
//! sort them by file and line, and hand them to one reporter ([`render_human`] or
//! [`render_json`]). A diagnostic always names the file (relative to the handbook
//! root), a 1-based line and a 1-based column counted in characters, so columns
//! stay right under Chinese text.

use serde::Serialize;

mod code;
mod print;

pub use code::Code;
pub use print::{render_human, SHOWN_PER_FILE_AND_CODE};

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
    let errors = count_errors(diagnostics);
    let warnings = count_warnings(diagnostics);
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
    diagnostics: &'a [Diagnostic],
    errors: usize,
    warnings: usize,
}

/// One JSON document for CI annotations.
pub fn render_json(diagnostics: &[Diagnostic]) -> String {
    let errors = count_errors(diagnostics);
    let report = JsonReport {
        diagnostics,
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
