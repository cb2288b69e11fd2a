//! Placeholder text left from an archetype: the sentences `rolebook new`
//! writes into a new page (`One sentence on what this role is for.`,
//! `- A main duty.`) are a `placeholder-text` warning wherever a page still
//! has them word for word, so that a stub is not published by accident.
//! Each page is looked at once, line by line, against a set: linear.

use std::collections::HashSet;

use crate::config::Config;
use crate::diagnostic::{Code, Diagnostic};
use crate::frontmatter::Page;

/// The sentences of the handbook's archetypes (every language's).
#[derive(Debug, Default)]
pub struct Placeholders {
    sentences: HashSet<String>,
}

impl Placeholders {
    /// The placeholder sentences of the archetypes `rolebook new` uses.
    pub fn new(config: &Config) -> Placeholders {
        let mut sentences = HashSet::new();
        for lang in &config.languages {
            let text = crate::scaffold::archetype(config, &lang.key);
            let (front, body) = split(&text);
            for line in front.lines() {
                if let Some(summary) = line.strip_prefix("summary:") {
                    sentences.extend(sentence(summary).map(str::to_string));
                }
            }
            for line in body.lines().filter(|l| !l.trim_start().starts_with('#')) {
                sentences.extend(sentence(line).map(str::to_string));
            }
        }
        Placeholders { sentences }
    }

    /// A warning at every line of `page` (its summary and body) that is
    /// still an archetype's sentence.
    pub fn find(&self, page: &Page) -> Vec<Diagnostic> {
        if self.sentences.is_empty() {
            return Vec::new();
        }
        let mut found = Vec::new();
        let warn = |line: usize, text: &str| {
            Diagnostic::warning(
                Code::PlaceholderText,
                &page.file,
                format!("`{text}` is the placeholder text of a new page"),
            )
            .at(line, 1)
            .hint("write what this role really does here, or delete the line")
        };
        if let Some(summary) = page.summary.as_deref().and_then(sentence) {
            if self.sentences.contains(summary) {
                // The summary's line is not kept; the front matter starts at line 2.
                found.push(warn(2, summary));
            }
        }
        let mut fenced = false;
        for (n, line) in page.body.lines().enumerate() {
            let trimmed = line.trim_start();
            if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
                fenced = !fenced;
                continue;
            }
            if fenced {
                continue;
            }
            // No allocation per line: most lines are looked up and left.
            if let Some(text) = sentence(line).filter(|s| self.sentences.contains(*s)) {
                found.push(warn(page.body_line + n, text));
            }
        }
        found
    }
}

/// The front matter and the body of an archetype.
fn split(text: &str) -> (&str, &str) {
    text.strip_prefix("---\n")
        .and_then(|rest| rest.split_once("\n---\n"))
        .unwrap_or(("", text))
}

/// A line as compared: without a list marker and outer spaces; `None` for
/// a line with nothing to say (blank, a placeholder such as `{{ id }}`).
fn sentence(line: &str) -> Option<&str> {
    let text = line.trim();
    let text = text
        .strip_prefix("- ")
        .or_else(|| text.strip_prefix("* "))
        .unwrap_or(text)
        .trim();
    (text.len() > 3 && !text.contains("{{")).then_some(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn archetype_sentences_are_found_where_left_and_nowhere_else() {
        let dir = tempfile::tempdir().unwrap();
        crate::scaffold::init(dir.path()).unwrap();
        crate::scaffold::new_role(dir.path(), "receptionist").unwrap();
        let zh = dir.path().join("content/zh/receptionist.md");
        let text = std::fs::read_to_string(&zh).unwrap();
        // The Chinese stub gets a real duty; its other sentences stay.
        std::fs::write(&zh, text.replace("- 一项主要职责。", "- 接待来访客人。")).unwrap();
        let loaded = crate::load(dir.path()).unwrap();
        let found: Vec<(&str, usize)> = loaded
            .diagnostics
            .iter()
            .filter(|d| d.code == Code::PlaceholderText)
            .map(|d| (d.file.as_str(), d.line))
            .collect();
        assert_eq!(
            found,
            [
                ("content/en/receptionist.md", 2),
                ("content/en/receptionist.md", 10),
                ("content/en/receptionist.md", 14),
                ("content/en/receptionist.md", 18),
                ("content/zh/receptionist.md", 2),
                ("content/zh/receptionist.md", 10),
                ("content/zh/receptionist.md", 18),
            ]
        );
        // The skeleton's own pages have none.
        assert!(loaded
            .diagnostics
            .iter()
            .all(|d| d.code != Code::PlaceholderText || d.file.contains("receptionist")));
    }
}
