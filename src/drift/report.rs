//! Drift for people and tools: the lines `rolebook status` adds under a
//! stale translation, the `drift` object of its JSON, and `rolebook diff ID
//! LANG` (text, coloured or plain, and JSON).

use std::path::Path;

use serde::Serialize;

use super::diff::{self, Granularity, Segment};
use super::snapshot::{self, Unreadable};
use super::{Kind, State};
use crate::id::LangId;
use crate::{diagnostic, load};

/// The `drift` of one translation in `status --format json`.
#[derive(Debug, Clone, Serialize)]
pub struct DriftIds {
    pub changed: Vec<String>,
    pub added: Vec<String>,
    pub removed: Vec<String>,
}

impl DriftIds {
    pub fn of(state: &State) -> Option<DriftIds> {
        let State::Drift(drift) = state else {
            return None;
        };
        let ids = |kind| drift.ids(kind).into_iter().map(String::from).collect();
        Some(DriftIds {
            changed: ids(Kind::Changed),
            added: ids(Kind::Added),
            removed: ids(Kind::Removed),
        })
    }
}

/// The lines `status` prints under role `id`'s stale `lang` translation.
pub fn status_lines(id: &str, lang: &str, state: &State) -> Vec<String> {
    match state {
        State::NoSnapshot { fingerprint, why } => vec![format!(
            "  {lang}: stale; which sections changed is unknown: {}; compare the whole page with the original, then `rolebook mark-translated {id} {lang}`",
            unreadable(fingerprint, why)
        )],
        State::Drift(drift) if drift.sections.is_empty() => vec![format!(
            "  {lang}: only formatting changed; `rolebook mark-translated {id} {lang}` clears it"
        )],
        State::Drift(drift) => {
            let mut lines = vec![format!(
                "  {lang}: {} of {} changed (`rolebook diff {id} {lang}` shows how):",
                drift.sections.len(),
                sections(drift.compared)
            )];
            for s in &drift.sections {
                let kind = s.kind.as_str();
                lines.push(format!("    {kind:7} {}", heading_and_id(&s.heading, &s.id)));
            }
            lines
        }
    }
}

/// `1 section`, `2 sections`.
fn sections(n: usize) -> String {
    if n == 1 {
        "1 section".to_string()
    } else {
        format!("{n} sections")
    }
}

/// `Duties (#duties)`; the introduction and title by their names.
fn heading_and_id(heading: &str, id: &str) -> String {
    if id.starts_with('(') {
        if heading.is_empty() || id == super::INTRODUCTION {
            id.to_string()
        } else {
            format!("{id} {heading}")
        }
    } else {
        format!("{heading} (#{id})")
    }
}

/// Why a snapshot cannot be used, naming its file.
pub fn unreadable(fingerprint: &str, why: &Unreadable) -> String {
    let path = snapshot::relative_path(fingerprint);
    match why {
        Unreadable::Missing => format!("{path} (the original as translated) is missing"),
        Unreadable::NotAFingerprint => {
            format!("`translated_from: {fingerprint}` is not a fingerprint")
        }
        Unreadable::Outside => format!("{path} leads outside the handbook"),
        Unreadable::Broken(e) => format!("{path} cannot be used: {e}"),
    }
}

/// One section in `rolebook diff`.
#[derive(Debug, Serialize)]
pub struct SectionDiff {
    pub id: String,
    pub heading: String,
    pub kind: Kind,
    pub segments: Vec<Segment>,
}

/// `rolebook diff ID LANG`: the original's changes since the translation.
#[derive(Debug, Serialize)]
pub struct DiffReport {
    pub id: String,
    pub lang: String,
    /// The original's language.
    pub original: String,
    /// `ok`, `stale` (the others are refused).
    pub status: &'static str,
    /// What the translation's `translated_from:` holds.
    pub translated_from: Option<String>,
    /// Only formatting changed: one `mark-translated` clears it.
    pub formatting_only: bool,
    pub sections: Vec<SectionDiff>,
}

impl DiffReport {
    /// For people: a heading line per section, then its diff.
    pub fn human(&self, colour: bool) -> String {
        let (id, lang) = (&self.id, &self.lang);
        let mut out = String::new();
        if self.status == "ok" {
            out.push_str(&format!(
                "{id} ({lang}) is up to date with the original ({})\n",
                self.original
            ));
            return out;
        }
        if self.formatting_only {
            out.push_str(&format!("only formatting changed in the original ({}) since {id} ({lang}) was translated; `rolebook mark-translated {id} {lang}` clears it\n", self.original));
            return out;
        }
        out.push_str(&format!(
            "{} of the original ({}) changed since {id} ({lang}) was translated\n",
            sections(self.sections.len()),
            self.original
        ));
        for s in &self.sections {
            let kind = s.kind.as_str();
            let title = heading_and_id(&s.heading, &s.id);
            let line = format!("\n── {title}: {kind} ──\n");
            out.push_str(&if colour {
                format!("\x1b[1m{}\x1b[0m", line.trim_end()) + "\n"
            } else {
                line
            });
            out.push_str(&diff::terminal(&s.segments, colour));
            out.push('\n');
        }
        out
    }
}

/// Works out `rolebook diff ID LANG` for the handbook at `root`; `Err` with
/// a message for people (no such role or language, no snapshot, ...).
pub fn diff_report(root: &Path, id: &str, lang: &str) -> Result<DiffReport, String> {
    let loaded = load(root).map_err(|problems| diagnostic::render_human(&problems, root, false))?;
    let h = &loaded.handbook;
    let index = h
        .role_index(id)
        .ok_or_else(|| format!("there is no role with id `{id}`"))?;
    let role = &h.roles[index];
    let lang_id = h.config.lang_id(lang).ok_or_else(|| {
        format!(
            "language `{lang}` is not declared in book.toml (declared: {})",
            h.config.lang_keys().join(", ")
        )
    })?;
    if lang_id.is_default() {
        return Err(format!(
            "`{lang}` is the default language: translations are compared with it"
        ));
    }
    let page = h
        .page(role, lang_id)
        .ok_or_else(|| format!("role `{id}` has no `{lang}` page yet"))?;
    let original = h.config.lang_of(LangId::DEFAULT);
    let mut report = DiffReport {
        id: id.to_string(),
        lang: lang.to_string(),
        original: original.key.clone(),
        status: "ok",
        translated_from: page.translated_from.clone(),
        formatting_only: false,
        sections: Vec::new(),
    };
    let status = crate::translation::status(h, role, lang_id);
    match status {
        crate::translation::Status::Ok => return Ok(report),
        crate::translation::Status::Stale => report.status = "stale",
        other => {
            return Err(format!(
                "role `{id}` in `{lang}` is {}: there is no translated version to compare with; translate it, then `rolebook mark-translated {id} {lang}`",
                other.as_str()
            ))
        }
    }
    let granularity = Granularity::for_lang(&original.html_lang);
    match super::of(root, h, &loaded.rendered, role, lang_id) {
        Some(State::Drift(drift)) => {
            report.formatting_only = drift.sections.is_empty();
            report.sections = drift
                .sections
                .iter()
                .map(|s| SectionDiff {
                    id: s.id.clone(),
                    heading: s.heading.clone(),
                    kind: s.kind,
                    segments: diff::segments(&s.before, &s.after, granularity),
                })
                .collect();
            Ok(report)
        }
        Some(State::NoSnapshot { fingerprint, why }) => Err(format!(
            "{}; so rolebook cannot say what changed: compare the whole page with the original, then `rolebook mark-translated {id} {lang}` (which keeps a copy for next time)",
            unreadable(&fingerprint, &why)
        )),
        None => Ok(report),
    }
}
