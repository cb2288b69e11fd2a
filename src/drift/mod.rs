//! Translation drift: which sections of an original changed since a
//! translation was made from it, and how.
//!
//! `mark-translated` keeps a snapshot of the original as translated
//! ([`snapshot`]). When the original's fingerprint no longer matches a
//! translation's `translated_from:` (the translation is *stale*, see
//! [`crate::translation::status`]), the snapshot and the current original are
//! compared section by section, the sections paired as the side-by-side view
//! pairs them ([`crate::translation::pair_sections`]): each row is unchanged,
//! changed, added or removed, judged on the reader's text ([`text`]), so a
//! reflowed paragraph is no change. The title counts as a section of its
//! own, `(title)`. A stale translation whose sections all read the same has
//! an empty drift: only formatting changed. How a changed section changed is
//! a word or character diff ([`diff`]).
//!
//! Used by `rolebook status` and `rolebook diff` ([`report`]), by the role
//! page, the side-by-side view and the translation overview (through
//! [`Cache`], which works a translation's drift out once, when first asked).

pub mod diff;
pub mod report;
pub mod snapshot;
pub mod text;

use std::path::Path;
use std::sync::{Arc, OnceLock};

use serde::Serialize;

use crate::handbook::{Handbook, Role};
use crate::id::LangId;
use crate::markdown::{RenderedPage, Section};
use crate::translation::{pair_sections, status, Status};
use snapshot::{Unreadable, Version};

/// The name of the text before a page's first heading.
pub const INTRODUCTION: &str = "(introduction)";
/// The name of the page's title, which drift compares like a section.
pub const TITLE: &str = "(title)";

/// A section's name in reports: its heading id, or [`INTRODUCTION`].
pub fn name(section: &Section) -> String {
    section
        .id
        .clone()
        .unwrap_or_else(|| INTRODUCTION.to_string())
}

/// How a section of the original differs from the version translated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Changed,
    Added,
    Removed,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Changed => "changed",
            Kind::Added => "added",
            Kind::Removed => "removed",
        }
    }
}

/// One section of the original that is not as it was translated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SectionDrift {
    pub kind: Kind,
    /// The section's name ([`name`]): in the current original, or for a
    /// removed section in the version translated.
    pub id: String,
    /// Its heading's text (the title for [`TITLE`], empty for the introduction).
    pub heading: String,
    /// The reader's text as translated (empty when added).
    pub before: String,
    /// The reader's text now (empty when removed).
    pub after: String,
}

/// The sections of an original that changed since a translation was made.
#[derive(Debug, Clone, Default)]
pub struct Drift {
    /// In the order of the side-by-side rows, the title first.
    pub sections: Vec<SectionDrift>,
    /// How many sections were compared: the rows of the pairing, and the
    /// title when it changed.
    pub compared: usize,
    /// The sections of the version translated (to find a removed section's
    /// translation).
    pub translated: Vec<Section>,
}

impl Drift {
    /// The names of the sections of one kind.
    pub fn ids(&self, kind: Kind) -> Vec<&str> {
        self.sections
            .iter()
            .filter(|s| s.kind == kind)
            .map(|s| s.id.as_str())
            .collect()
    }

    /// The drift of the section called `id`, if it drifted.
    pub fn get(&self, id: &str) -> Option<&SectionDrift> {
        self.sections.iter().find(|s| s.id == id)
    }
}

/// What is known about a stale translation.
#[derive(Debug, Clone)]
pub enum State {
    /// The snapshot it names cannot be used: the translation is stale as a whole.
    NoSnapshot {
        /// What `translated_from:` holds.
        fingerprint: String,
        why: Unreadable,
    },
    /// Its drift (empty when only formatting changed).
    Drift(Drift),
}

/// Compares the version `translated` with the current original (`title`, `current`).
pub fn compare(translated: &Version, title: &str, current: &RenderedPage) -> Drift {
    let mut drift = Drift {
        translated: translated.page.sections.clone(),
        ..Drift::default()
    };
    let (before, after) = (text::normalise(&translated.title), text::normalise(title));
    if before != after {
        drift.compared += 1;
        drift.sections.push(SectionDrift {
            kind: Kind::Changed,
            id: TITLE.to_string(),
            heading: after.clone(),
            before,
            after,
        });
    }
    let old = &translated.page;
    for row in pair_sections(&old.sections, &current.sections) {
        drift.compared += 1;
        let read = |page: &RenderedPage, s: &Section| text::reader_text(&page.html[row.shown(s)]);
        let (kind, section, before, after) = match (row.left, row.right) {
            (Some(l), Some(r)) => {
                let (before, after) = (read(old, l), read(current, r));
                if before == after {
                    continue;
                }
                (Kind::Changed, r, before, after)
            }
            (None, Some(r)) => (Kind::Added, r, String::new(), read(current, r)),
            (Some(l), None) => (Kind::Removed, l, read(old, l), String::new()),
            (None, None) => continue,
        };
        drift.sections.push(SectionDrift {
            kind,
            id: name(section),
            heading: text::normalise(&section.heading),
            before,
            after,
        });
    }
    drift
}

/// The text of the snapshot that records `section` of the current original
/// (`current`, whose file holds `current_text`) as translated, the rest as in
/// `old` (see [`snapshot::splice`]). Once nothing drifts any more, that is
/// the current original itself, so the translation's fingerprint matches it
/// again (sections spliced together may differ from it in the blank lines
/// between them only).
pub fn bring_up_to_date(
    old: &Version,
    current: &Version,
    current_text: &str,
    section: &str,
    original: &crate::frontmatter::Page,
    config: &crate::config::Config,
) -> Result<String, String> {
    let spliced = snapshot::splice(old, current, section)?;
    let version = snapshot::parse(&spliced, original, config)?;
    if compare(&version, &current.title, &current.page)
        .sections
        .is_empty()
    {
        return Ok(current_text.to_string());
    }
    Ok(spliced)
}

/// The drift of role `role`'s `lang` page: `None` unless it is stale.
pub fn of(
    root: &Path,
    handbook: &Handbook,
    rendered: &[Arc<RenderedPage>],
    role: &Role,
    lang: LangId,
) -> Option<State> {
    if status(handbook, role, lang) != Status::Stale {
        return None;
    }
    let mark = handbook.page(role, lang)?.translated_from.clone()?;
    let original = handbook.page(role, LangId::DEFAULT)?;
    let current = &rendered[role.page_id(LangId::DEFAULT)?];
    let translated = snapshot::read(root, &mark).and_then(|text| {
        snapshot::parse(&text, original, &handbook.config).map_err(Unreadable::Broken)
    });
    Some(match translated {
        Ok(version) => State::Drift(compare(&version, &original.title, current)),
        Err(why) => State::NoSnapshot {
            fingerprint: mark,
            why,
        },
    })
}

/// The drift of every translation, worked out when first asked for (the
/// pages of a build, or the one page `serve` renders).
pub struct Cache {
    languages: usize,
    cells: Vec<OnceLock<Option<State>>>,
}

impl Cache {
    pub fn new(handbook: &Handbook) -> Cache {
        let languages = handbook.config.languages.len();
        Cache {
            languages,
            cells: (0..handbook.roles.len() * languages)
                .map(|_| OnceLock::new())
                .collect(),
        }
    }

    /// The drift of role number `role` in `lang` (`None` unless stale).
    pub fn get(
        &self,
        handbook: &Handbook,
        rendered: &[Arc<RenderedPage>],
        role: usize,
        lang: LangId,
    ) -> Option<&State> {
        let cell = self.cells.get(role * self.languages + lang.index())?;
        cell.get_or_init(|| {
            of(
                &handbook.config.root,
                handbook,
                rendered,
                &handbook.roles[role],
                lang,
            )
        })
        .as_ref()
    }
}

/// The sections of `translation` that stand for drifted sections of the
/// original, with their drift: changed and added sections by pairing the
/// current original (`current`) with the translation, removed ones by
/// pairing the version translated with it. Sections the translation lacks
/// are left out.
pub fn translation_sections<'a>(
    drift: &'a Drift,
    current: &'a [Section],
    translation: &'a [Section],
) -> Vec<(&'a Section, &'a SectionDrift)> {
    let mut found = Vec::new();
    for (from, kinds) in [
        (current, [Kind::Changed, Kind::Added]),
        (&drift.translated[..], [Kind::Removed, Kind::Removed]),
    ] {
        for row in pair_sections(from, translation) {
            let (Some(l), Some(r)) = (row.left, row.right) else {
                continue;
            };
            if let Some(d) = drift.get(&name(l)).filter(|d| kinds.contains(&d.kind)) {
                found.push((r, d));
            }
        }
    }
    found.sort_by_key(|(s, _)| s.html_range.start);
    found
}

#[cfg(test)]
mod tests;
