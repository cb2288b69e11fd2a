//! Problems found in a handbook, as data.
//!
//! Every stage that looks at user input returns [`Diagnostic`] values instead of
//! failing on the first problem; `check`, `build` and `serve` collect them all,
//! sort them by file and line, and hand them to one reporter ([`render_human`] or
//! [`render_json`]). A diagnostic always names the file (relative to the handbook
//! root), a 1-based line and a 1-based column counted in characters, so columns
//! stay right under Chinese text.

use std::collections::HashMap;
use std::path::Path;

use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};
use serde::Serialize;

/// How bad a problem is: errors stop a build, warnings do not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// One problem in the handbook, with where it is and how to fix it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    pub severity: Severity,
    /// Stable machine-readable name, e.g. `unknown-role`.
    pub code: &'static str,
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
    pub fn error(code: &'static str, file: impl Into<String>, message: impl Into<String>) -> Self {
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

    pub fn warning(
        code: &'static str,
        file: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            severity: Severity::Warning,
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

/// Renders diagnostics like rustc does: a header, the offending line with a
/// marker under the spot, and the hint; then a count. Source lines are read
/// from `root` (files that cannot be read are shown without a snippet).
pub fn render_human(diagnostics: &[Diagnostic], root: &Path, color: bool) -> String {
    let mut sources: HashMap<&str, Option<String>> = HashMap::new();
    let renderer = if color {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    let mut out = String::new();
    for d in diagnostics {
        let source = sources
            .entry(d.file.as_str())
            .or_insert_with(|| read_lossy(&root.join(&d.file)));
        out.push_str(&render_one(&renderer, d, source.as_deref()));
        out.push_str("\n\n");
    }
    out.push_str(&summary(diagnostics));
    out.push('\n');
    out
}

fn read_lossy(path: &Path) -> Option<String> {
    let bytes = std::fs::read(path).ok()?;
    Some(String::from_utf8_lossy(&bytes).into_owned())
}

fn render_one(renderer: &Renderer, d: &Diagnostic, source: Option<&str>) -> String {
    let level = match d.severity {
        Severity::Error => Level::ERROR,
        Severity::Warning => Level::WARNING,
    };
    let title = level.primary_title(d.message.as_str()).id(d.code);
    let mut group = match source.and_then(|s| line_span(s, d.line, d.column)) {
        Some((line_text, span)) => title.element(
            Snippet::source(line_text)
                .line_start(d.line)
                .path(d.file.as_str())
                .annotation(AnnotationKind::Primary.span(span)),
        ),
        None => title.element(
            annotate_snippets::Origin::path(d.file.as_str())
                .line(d.line)
                .char_column(d.column),
        ),
    };
    if let Some(hint) = &d.hint {
        group = group.element(Level::HELP.message(hint.as_str()));
    }
    let report: &[Group<'_>] = &[group];
    renderer.render(report).to_string()
}

/// The text of `line` and the byte span of the character at `column` in it.
fn line_span(source: &str, line: usize, column: usize) -> Option<(&str, std::ops::Range<usize>)> {
    let text = source.lines().nth(line.checked_sub(1)?)?;
    let text = text.strip_suffix('\r').unwrap_or(text);
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let start = text
        .char_indices()
        .nth(column.saturating_sub(1))
        .map_or(text.len(), |(i, _)| i);
    let end = text[start..]
        .chars()
        .next()
        .map_or(start, |c| start + c.len_utf8());
    Some((text, start..end))
}

/// `2 errors, 1 warning` style closing line.
pub fn summary(diagnostics: &[Diagnostic]) -> String {
    let errors = count_errors(diagnostics);
    let warnings = diagnostics.len() - errors;
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
        warnings: diagnostics.len() - errors,
    };
    serde_json::to_string_pretty(&report).unwrap_or_default()
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
            Diagnostic::error("b", "b.md", "x").at(1, 1),
            Diagnostic::error("a", "a.md", "x").at(9, 1),
            Diagnostic::error("a", "a.md", "x").at(2, 1),
        ];
        sort(&mut list);
        let order: Vec<_> = list.iter().map(|d| (d.file.as_str(), d.line)).collect();
        assert_eq!(order, [("a.md", 2), ("a.md", 9), ("b.md", 1)]);
    }

    #[test]
    fn human_output_shows_the_line_and_hint() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("p.md"), "---\nid: x\nreprots_to: y\n---\n").unwrap();
        let d = Diagnostic::error("unknown-field", "p.md", "unknown field `reprots_to`")
            .at(3, 1)
            .hint("did you mean `reports_to`?");
        let text = render_human(&[d], dir.path(), false);
        assert!(text.contains("p.md:3:1"), "{text}");
        assert!(text.contains("reprots_to: y"), "{text}");
        assert!(text.contains("did you mean `reports_to`?"), "{text}");
        assert!(text.ends_with("1 error, 0 warnings\n"), "{text}");
    }
}
