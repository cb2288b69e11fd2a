//! Printing diagnostics for people: rustc-style snippets through
//! annotate-snippets, in time linear in the input (each file read and
//! indexed once, long lines clipped around the marked character) and at most
//! [`SHOWN_PER_FILE_AND_CODE`] of one code per file, then a count.

use std::collections::HashMap;
use std::path::Path;

use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};

use super::{localized, messages, summary_in, Code, Diagnostic, LineIndex, MessageLang, Severity};

/// How many diagnostics of one code the human report shows per file; the
/// rest are counted in one line (JSON always lists every one).
pub const SHOWN_PER_FILE_AND_CODE: usize = 50;

/// Display columns of a source line shown at most, around the marked
/// character. With the gutter they stay within annotate-snippets' default
/// width (140), so only our `…` marks show where a line is cut.
const SHOWN_COLUMNS: usize = 110;

/// Renders diagnostics like rustc does: a header, the offending line with a
/// marker under the spot, and the hint; then a count. Source lines are read
/// from `root` (files that cannot be read are shown without a snippet).
/// Shows at most [`SHOWN_PER_FILE_AND_CODE`] of each code per file. In the
/// language of this run's messages ([`super::set_messages`]).
pub fn render_human(diagnostics: &[Diagnostic], root: &Path, color: bool) -> String {
    render_human_in(diagnostics, root, color, messages())
}

/// [`render_human`] in `lang`: messages, hints and the closing count; the
/// `error[code]` labels and codes stay as they are.
pub fn render_human_in(
    diagnostics: &[Diagnostic],
    root: &Path,
    color: bool,
    lang: MessageLang,
) -> String {
    render_counted(diagnostics, root, color, lang).0
}

/// Work done while printing, counted so that tests can keep it linear.
#[derive(Debug, Default, Clone, Copy)]
struct Work {
    /// Bytes of source files searched for line starts.
    bytes_indexed: usize,
    /// Characters stepped over to find columns and cut long lines.
    chars_scanned: usize,
    /// Bytes of source lines handed to annotate-snippets.
    snippet_bytes: usize,
}

fn render_counted(
    diagnostics: &[Diagnostic],
    root: &Path,
    color: bool,
    lang: MessageLang,
) -> (String, Work) {
    let renderer = if color {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    let mut work = Work::default();
    let roots = crate::roots::Roots::resolve(root, None);
    // Each file is read and indexed once, however many problems it has.
    let mut sources: HashMap<&str, Option<Source>> = HashMap::new();
    let mut counts: HashMap<(&str, Code), usize> = HashMap::new();
    let mut order: Vec<(&str, Code)> = Vec::new();
    let mut out = String::new();
    for d in diagnostics {
        let key = (d.file.as_str(), d.code);
        let count = counts.entry(key).or_insert_with(|| {
            order.push(key);
            0
        });
        *count += 1;
        if *count > SHOWN_PER_FILE_AND_CODE {
            continue;
        }
        let source = sources
            .entry(d.file.as_str())
            .or_insert_with(|| Source::read(&root.join(&d.file), &roots, &mut work));
        let shown = source
            .as_mut()
            .and_then(|s| s.shown_line(d.line, d.column, &mut work));
        work.snippet_bytes += shown.as_ref().map_or(0, |s| s.text.len());
        out.push_str(&render_one(&renderer, d, shown.as_ref(), lang));
        out.push_str("\n\n");
    }
    for (file, code) in order {
        let hidden = counts[&(file, code)].saturating_sub(SHOWN_PER_FILE_AND_CODE);
        if hidden == 0 {
            continue;
        }
        out.push_str(&match lang {
            MessageLang::En => format!(
                "... and {hidden} more `{code}` in {file} (not shown; `rolebook check --format json` lists every one)\n\n"
            ),
            MessageLang::Zh => format!(
                "…… {file} 中还有 {hidden} 个 `{code}` 没有显示（`rolebook check --format json` 会列出全部）\n\n"
            ),
        });
    }
    out.push_str(&summary_in(diagnostics, lang));
    out.push('\n');
    (out, work)
}

/// A source file read once for printing: its text, its line starts, and
/// where the last column was found (problems come sorted by line and column,
/// so the next one on the same line continues from there).
struct Source {
    text: String,
    lines: LineIndex,
    /// Line, column and byte offset of the last character found.
    cursor: (usize, usize, usize),
}

/// A source line as shown: cut to the surroundings of the marked character
/// when long, and the byte span of that character in the shown text.
struct ShownLine {
    text: String,
    span: std::ops::Range<usize>,
}

impl Source {
    fn read(path: &Path, roots: &crate::roots::Roots, work: &mut Work) -> Option<Source> {
        let text = read_lossy(path, roots)?;
        work.bytes_indexed += text.len();
        let lines = LineIndex::new(&text);
        Some(Source {
            text,
            lines,
            cursor: (0, 0, 0),
        })
    }

    /// The text of `line` (1-based) without its line end or a BOM.
    fn line(&self, line: usize) -> Option<(usize, &str)> {
        let start = *self.lines.starts.get(line.checked_sub(1)?)?;
        if start >= self.text.len() {
            return None;
        }
        let end = self
            .lines
            .starts
            .get(line)
            .map_or(self.text.len(), |next| next - 1);
        let text = &self.text[start..end];
        let text = text.strip_suffix('\r').unwrap_or(text);
        let bom = if text.starts_with('\u{feff}') { 3 } else { 0 };
        Some((start + bom, &text[bom..]))
    }

    /// `line` as shown for the character at `column` (past the end of the
    /// line: the end); `None` for a line the file does not have.
    fn shown_line(&mut self, line: usize, column: usize, work: &mut Work) -> Option<ShownLine> {
        let (line_start, text) = self.line(line)?;
        let (from_column, from_byte) = match self.cursor {
            (l, c, b) if l == line && c <= column && b >= line_start => (c, b - line_start),
            _ => (1, 0),
        };
        let mut at = from_byte;
        let mut chars = text[from_byte..].chars();
        for _ in from_column..column {
            work.chars_scanned += 1;
            match chars.next() {
                Some(c) => at += c.len_utf8(),
                None => break,
            }
        }
        let shown = clip(text, at, work);
        self.cursor = (line, column, line_start + at);
        Some(shown)
    }
}

/// `text` cut to at most [`SHOWN_COLUMNS`] around the character at byte
/// `at` (half on each side, more on one side when the other ends early), with
/// `…` where something was cut. Steps over at most that many characters.
fn clip(text: &str, at: usize, work: &mut Work) -> ShownLine {
    let end = text[at..].chars().next().map_or(at, |c| at + c.len_utf8());
    let marked = text[at..end].chars().map(width).sum::<usize>();
    let (mut left, used_left) = walk_left(text, at, SHOWN_COLUMNS / 2, work);
    let budget = SHOWN_COLUMNS.saturating_sub(marked + used_left);
    let (right, used_right) = walk_right(text, end, budget, work);
    if right == text.len() {
        left = walk_left(text, left, budget - used_right, work).0;
    }
    let before = if left > 0 { "…" } else { "" };
    let after = if right < text.len() { "…" } else { "" };
    let shown = format!("{before}{}{after}", &text[left..right]);
    let start = before.len() + at - left;
    ShownLine {
        text: shown,
        span: start..start + (end - at),
    }
}

/// The byte where `budget` columns to the left of byte `from` begin, and the
/// columns taken.
fn walk_left(text: &str, from: usize, budget: usize, work: &mut Work) -> (usize, usize) {
    let (mut at, mut used) = (from, 0);
    for c in text[..from].chars().rev() {
        work.chars_scanned += 1;
        if used + width(c) > budget {
            break;
        }
        used += width(c);
        at -= c.len_utf8();
    }
    (at, used)
}

/// The byte where `budget` columns to the right of byte `from` end, and the
/// columns taken.
fn walk_right(text: &str, from: usize, budget: usize, work: &mut Work) -> (usize, usize) {
    let (mut at, mut used) = (from, 0);
    for c in text[from..].chars() {
        work.chars_scanned += 1;
        if used + width(c) > budget {
            break;
        }
        used += width(c);
        at += c.len_utf8();
    }
    (at, used)
}

/// Display columns of `c`, never less than a terminal uses: every
/// non-ASCII character counts as wide (Han, kana and Hangul are), a tab as 4
/// (annotate-snippets expands it so). Too much only shows a little less.
fn width(c: char) -> usize {
    match c {
        '\t' => 4,
        c if c.is_ascii() => 1,
        _ => 2,
    }
}

/// The text of a file named by a diagnostic, for its snippet; never a file
/// whose real path lies outside the handbook (an `outside-handbook` warning
/// names a link to one, and printing its lines would publish it).
fn read_lossy(path: &Path, roots: &crate::roots::Roots) -> Option<String> {
    let bytes = roots.read(path).ok()?;
    Some(String::from_utf8_lossy(&bytes).into_owned())
}

fn render_one(
    renderer: &Renderer,
    d: &Diagnostic,
    shown: Option<&ShownLine>,
    lang: MessageLang,
) -> String {
    let (message, hint) = localized(d, lang);
    let level = match d.severity {
        Severity::Error => Level::ERROR,
        Severity::Warning => Level::WARNING,
        Severity::Info => Level::INFO,
    };
    let title = level.primary_title(message.as_ref()).id(d.code.as_str());
    let mut group = match shown {
        Some(shown) => title.element(
            Snippet::source(shown.text.as_str())
                .line_start(d.line)
                .path(d.file.as_str())
                .annotation(AnnotationKind::Primary.span(shown.span.clone())),
        ),
        None => title.element(
            annotate_snippets::Origin::path(d.file.as_str())
                .line(d.line)
                .char_column(d.column),
        ),
    };
    if let Some(hint) = &hint {
        group = group.element(Level::HELP.message(hint.as_ref()));
    }
    let report: &[Group<'_>] = &[group];
    let text = renderer.render(report).to_string();
    match shown {
        // annotate-snippets counts the column in the shown text, which may
        // be cut on the left: put the real one in the ` --> ` line.
        Some(shown) => {
            let counted = shown.text[..shown.span.start].chars().count() + 1;
            let place = |column| format!("{}:{}:{column}", d.file, d.line);
            text.replacen(&place(counted), &place(d.column), 1)
        }
        None => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::roots::Roots;

    fn work_for_links_on_one_line(n: usize) -> usize {
        let dir = tempfile::tempdir().unwrap();
        let link = "[f](missing.pdf) ";
        let text = format!("---\nid: x\ntitle: X\n---\n\n{}\n", link.repeat(n));
        std::fs::write(dir.path().join("x.md"), text).unwrap();
        let list: Vec<Diagnostic> = (0..n)
            .map(|i| {
                Diagnostic::warning(Code::BrokenLink, "x.md", "link target does not exist")
                    .at(6, 1 + i * link.len())
                    .hint("fix it")
            })
            .collect();
        let (_, work) = render_counted(&list, dir.path(), false, MessageLang::En);
        work.bytes_indexed + work.chars_scanned + work.snippet_bytes
    }

    /// Work of finding and cutting the shown line of `n` places, without
    /// the cap on how many are shown: on one line, or one per line.
    fn work_for_places(n: usize, one_line: bool) -> usize {
        let dir = tempfile::tempdir().unwrap();
        let link = "[秘书](missing.pdf) ";
        let separator = if one_line { "" } else { "\n" };
        let text = vec![link; n].join(separator);
        std::fs::write(dir.path().join("x.md"), text).unwrap();
        let mut work = Work::default();
        let mut source = Source::read(
            &dir.path().join("x.md"),
            &Roots::resolve(dir.path(), None),
            &mut work,
        )
        .unwrap();
        for i in 0..n {
            let (line, column) = match one_line {
                true => (1, 1 + i * link.chars().count()),
                false => (i + 1, 1),
            };
            let shown = source.shown_line(line, column, &mut work).unwrap();
            assert_eq!(&shown.text[shown.span], "[");
        }
        work.bytes_indexed + work.chars_scanned
    }

    fn assert_linear(name: &str, small: usize, large: usize) {
        assert!(
            large <= small.max(1) * 15,
            "{name}: 10x the input cost {}x the work ({small} -> {large})",
            large / small.max(1)
        );
    }

    #[test]
    fn printing_many_diagnostics_on_one_long_line_is_linear() {
        let work = work_for_links_on_one_line;
        assert_linear("printing", work(200), work(2_000));
        let work = |n| work_for_places(n, true);
        assert_linear("places on one line", work(2_000), work(20_000));
        let work = |n| work_for_places(n, false);
        assert_linear("places on many lines", work(2_000), work(20_000));
    }

    /// Columns a terminal gives the text (Han characters are wide).
    fn columns(text: &str) -> usize {
        text.chars()
            .map(|c| if c.is_ascii() || c == '…' { 1 } else { 2 })
            .sum()
    }

    #[test]
    fn long_cjk_line_is_cut_and_the_marker_stays_on_its_character() {
        let dir = tempfile::tempdir().unwrap();
        let line = format!("{}秘x{}", "书".repeat(300), "y".repeat(300));
        std::fs::write(
            dir.path().join("p.md"),
            format!("---\nid: x\n---\n{line}\n"),
        )
        .unwrap();
        let d = Diagnostic::error(Code::BrokenLink, "p.md", "m")
            .at(4, 302)
            .hint("h");
        let text = render_human(&[d], dir.path(), false);
        assert!(text.contains(" --> p.md:4:302\n"), "{text}");
        let source = text.lines().find(|l| l.starts_with("4 | ")).unwrap();
        let source = &source[4..];
        assert!(source.starts_with('…') && source.ends_with('…'), "{text}");
        assert!(columns(source) <= SHOWN_COLUMNS + 4, "{text}");
        let marker = text.lines().find(|l| l.ends_with('^')).unwrap();
        let marker_column = marker.len() - 1 - "  | ".len();
        let mut seen = 0;
        let under = source.chars().find(|&c| {
            seen += columns(&c.to_string());
            seen > marker_column
        });
        assert_eq!(under, Some('x'), "{text}");
    }

    #[test]
    fn lines_that_fit_are_shown_whole_and_cut_ones_use_the_width() {
        let mut work = Work::default();
        let line = "x".repeat(SHOWN_COLUMNS);
        assert_eq!(clip(&line, 3, &mut work).text, line);
        let long = "y".repeat(1_000);
        let near_start = clip(&long, 2, &mut work).text;
        assert_eq!(near_start, format!("{}…", &long[..SHOWN_COLUMNS]));
        let near_end = clip(&long, 998, &mut work).text;
        assert_eq!(near_end, format!("…{}", &long[..SHOWN_COLUMNS]));
    }

    #[test]
    fn shown_character_agrees_with_a_plain_scan() {
        let text = "\u{feff}---\r\nid: 秘书\r\n\n标题 x y\nlast";
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("p.md"), text).unwrap();
        let mut work = Work::default();
        let mut source = Source::read(
            &dir.path().join("p.md"),
            &Roots::resolve(dir.path(), None),
            &mut work,
        )
        .unwrap();
        let plain: Vec<&str> = text.trim_start_matches('\u{feff}').lines().collect();
        // Forwards, then backwards: the cursor must not lead astray.
        let places: Vec<(usize, usize)> = (1..=6)
            .flat_map(|line| (1..=9).map(move |column| (line, column)))
            .collect();
        for &(line, column) in places.iter().chain(places.iter().rev()) {
            let shown = source.shown_line(line, column, &mut work);
            let expected = plain.get(line - 1).map(|l| l.chars().nth(column - 1));
            let got = shown.map(|s| s.text[s.span].chars().next());
            assert_eq!(got, expected, "line {line}, column {column}");
        }
    }

    #[test]
    fn only_50_of_a_code_per_file_are_shown_then_a_count() {
        let dir = tempfile::tempdir().unwrap();
        let mut list: Vec<Diagnostic> = (1..=120)
            .map(|i| {
                Diagnostic::warning(Code::BrokenLink, "x.md", "m")
                    .at(i, 1)
                    .hint("h")
            })
            .collect();
        list.push(
            Diagnostic::error(Code::UnknownRole, "x.md", "m")
                .at(200, 1)
                .hint("h"),
        );
        let text = render_human(&list, dir.path(), false);
        assert_eq!(text.matches("warning[broken-link]").count(), 50, "{text}");
        assert_eq!(text.matches("error[unknown-role]").count(), 1, "{text}");
        assert!(text.contains("and 70 more `broken-link` in x.md"), "{text}");
        assert!(!text.contains("more `unknown-role`"), "{text}");
        assert!(text.ends_with("1 error, 120 warnings\n"), "{text}");
    }
}
