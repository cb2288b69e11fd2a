//! The slips of typing YAML with a Chinese keyboard: a full-width colon
//! (`title：前台接待`), full-width brackets (`related: ［lead］`), commas
//! inside a list (`[lead，clerk]`) or quotes (`id: “clerk”`). Each gets its
//! own error at the character, saying what was typed and what YAML needs,
//! in place of the parser's puzzling one on that line. One pass over the
//! lines, only when the front matter holds such a character at all.

use super::*;

/// Full-width characters and the ASCII ones YAML needs instead.
const SLIPS: &[(char, &str, &str)] = &[
    ('：', ":", "colon"),
    ('［', "[", "bracket"),
    ('］', "]", "bracket"),
    ('【', "[", "bracket"),
    ('】', "]", "bracket"),
    ('，', ",", "comma"),
    ('“', "\"", "quote"),
    ('”', "\"", "quote"),
    ('‘', "'", "quote"),
    ('’', "'", "quote"),
];

/// Fields whose values are ids or keys: full-width quotes around them are
/// a slip, not part of the value.
const ID_FIELDS: &[&str] = &["id", "lang", "reports_to", "related", "compare", "aliases"];

/// Fields whose values are lists: full-width brackets there are a slip (in
/// a title, `【重要】` is just text).
const LIST_FIELDS: &[&str] = &["related", "tags", "compare", "aliases"];

/// The slips in `yaml` (the front matter's lines), as errors in `file`.
pub(super) fn find(yaml: &str, file: &str, yaml_line: usize) -> Vec<Diagnostic> {
    if !yaml.chars().any(|c| SLIPS.iter().any(|(s, _, _)| *s == c)) {
        return Vec::new();
    }
    let mut found = Vec::new();
    for (n, line) in yaml.lines().enumerate() {
        if let Some((column, typed)) = slip_in(line) {
            let (_, needed, what) = SLIPS
                .iter()
                .find(|(c, _, _)| *c == typed)
                .copied()
                .unwrap_or((typed, "", ""));
            found.push(
                Diagnostic::error(
                    Code::InvalidFrontMatter,
                    file,
                    format!("you typed `{typed}` (a full-width {what}); YAML needs `{needed}`"),
                )
                .at(yaml_line + n, column)
                .hint(format!(
                    "switch the keyboard to half-width (English) punctuation and type `{needed}`{}",
                    example(line, typed, needed)
                )),
            );
        }
    }
    found
}

/// The column (1-based, in characters) and character of the slip on a
/// top-level `key: value` line, if any.
fn slip_in(line: &str) -> Option<(usize, char)> {
    if line.starts_with([' ', '\t', '#', '-']) {
        return None; // nested values, comments and list items are left to YAML
    }
    let key_end = line
        .char_indices()
        .find(|(_, c)| !(c.is_ascii_alphanumeric() || *c == '_'))
        .map_or(line.len(), |(i, _)| i);
    let key = &line[..key_end];
    let rest = &line[key_end..];
    if key.is_empty() {
        return None;
    }
    let column = |byte: usize| line[..byte].chars().count() + 1;
    if rest.starts_with('：') {
        return Some((column(key_end), '：'));
    }
    let value_start =
        key_end + rest.strip_prefix(':')?.len() - rest.strip_prefix(':')?.trim_start().len() + 1;
    let value = line[value_start..].trim_end();
    let first = value.chars().next()?;
    if matches!(first, '［' | '【') && LIST_FIELDS.contains(&key) {
        return Some((column(value_start), first));
    }
    if first == '[' {
        // A list: a full-width comma or closing bracket inside it, outside
        // quoted items (`["，"]` is a comma as text).
        let mut quote: Option<char> = None;
        let mut escaped = false;
        for (i, c) in value.char_indices() {
            if escaped {
                escaped = false;
                continue;
            }
            match (quote, c) {
                // In a double-quoted item, `\"` is a quote character.
                (Some('"'), '\\') => escaped = true,
                (None, '"' | '\'') => quote = Some(c),
                (Some(q), c) if c == q => quote = None,
                (None, '，' | '］' | '】') => return Some((column(value_start + i), c)),
                _ => {}
            }
        }
        return None;
    }
    let quoted = matches!(first, '“' | '‘') && ID_FIELDS.contains(&key);
    quoted.then(|| (column(value_start), first))
}

/// `key: value` as it should have been typed, when that is short.
fn example(line: &str, _typed: char, _needed: &str) -> String {
    let mut fixed: String = line
        .chars()
        .map(|c| match SLIPS.iter().find(|(s, _, _)| *s == c) {
            Some((_, ascii, _)) => ascii.to_string(),
            None => c.to_string(),
        })
        .collect();
    if let Some(colon) = fixed.find(':') {
        if !fixed[colon + 1..].starts_with(' ') {
            fixed.insert(colon + 1, ' ');
        }
    }
    let fixed = fixed.trim_end();
    if fixed.chars().count() <= 60 {
        format!(", as in `{fixed}`")
    } else {
        String::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn slips(yaml: &str) -> Vec<(usize, usize, String)> {
        find(yaml, "x.md", 2)
            .into_iter()
            .map(|d| (d.line, d.column, d.message))
            .collect()
    }

    #[test]
    fn each_full_width_slip_is_named_at_its_character() {
        let found = slips("id: clerk\ntitle：前台接待\nrelated: ［lead］\ntags: [a，b]\nreports_to: “lead”\nsummary: 他说“好”\n");
        // Quotes and brackets in text fields are text.
        assert_eq!(
            found,
            [
                (
                    3,
                    6,
                    "you typed `：` (a full-width colon); YAML needs `:`".to_string()
                ),
                (
                    4,
                    10,
                    "you typed `［` (a full-width bracket); YAML needs `[`".to_string()
                ),
                (
                    5,
                    9,
                    "you typed `，` (a full-width comma); YAML needs `,`".to_string()
                ),
                (
                    6,
                    13,
                    "you typed `“` (a full-width quote); YAML needs `\"`".to_string()
                ),
            ]
        );
        let hint = find("title：前台接待\n", "x.md", 2)[0]
            .hint
            .clone()
            .unwrap();
        assert!(hint.ends_with(", as in `title: 前台接待`"), "{hint}");
    }

    #[test]
    fn ordinary_chinese_text_is_no_slip() {
        assert!(
            slips("title: 前台：接待\nsummary: 负责接待，登记。\ndepartment: 【行政】部\n")
                .is_empty()
        );
        // Quoted list items hold text.
        assert!(slips("tags: [\"，\", '】']\n").is_empty());
        assert!(slips("tags: [\" \\\"x，\"]\n").is_empty());
        assert_eq!(slips("tags: [a，b]\n").len(), 1);
    }
}
