//! Snapshots: the original page as it was when a translation was marked,
//! kept in `ROOT/.rolebook/originals/<fingerprint>.md` (committed with the
//! handbook). A snapshot is named by the fingerprint `translated_from:`
//! records, so translations marked from the same original share one file and
//! a snapshot never changes once written.
//!
//! Reading refuses names that are not fingerprints (`translated_from:` is
//! user input) and files whose real path leaves the handbook; writing goes
//! through a new file and a rename ([`fsutil::write_atomic`]) into a folder
//! whose real path is in the handbook. Marking one section brought up to
//! date ([`splice`]) makes a new snapshot: the old one with that section
//! taken from the current original.

use std::collections::HashMap;
use std::ops::Range;
use std::path::{Path, PathBuf};

use pulldown_cmark::{Event, Options, Parser, Tag};

use crate::config::Config;
use crate::frontmatter::{self, Page};
use crate::fsutil::{self, FsError};
use crate::markdown::{self, LinkTargets, RenderedPage, Section};
use crate::source::SourceFile;
use crate::translation::pair_sections;

use super::{name, TITLE};

/// Where snapshots live, relative to the handbook root.
pub const FOLDER: &str = ".rolebook/originals";

/// A version of an original page (a snapshot, or the current page read
/// again), parsed and rendered like any page.
pub struct Version {
    /// The front matter, `---` lines included: everything before `body`.
    pub front: String,
    pub title: String,
    pub body: String,
    pub page: RenderedPage,
}

/// Why a snapshot could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unreadable {
    /// No such file.
    Missing,
    /// `translated_from:` holds something that names no snapshot.
    NotAFingerprint,
    /// The file's real path is outside the handbook.
    Outside,
    /// The file is there but cannot be read or parsed (why).
    Broken(String),
}

/// The root-relative path of the snapshot named `fingerprint` (`/`-separated).
pub fn relative_path(fingerprint: &str) -> String {
    format!("{FOLDER}/{fingerprint}.md")
}

/// Whether `text` can name a snapshot: hex digits only, as fingerprints are.
fn is_fingerprint(text: &str) -> bool {
    (1..=64).contains(&text.len()) && text.bytes().all(|b| b.is_ascii_hexdigit())
}

/// The text of the snapshot named `fingerprint` in the handbook at `root`.
pub fn read(root: &Path, fingerprint: &str) -> Result<String, Unreadable> {
    if !is_fingerprint(fingerprint) {
        return Err(Unreadable::NotAFingerprint);
    }
    let path = root.join(relative_path(fingerprint));
    let real = match path.canonicalize() {
        Ok(real) => real,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err(Unreadable::Missing),
        Err(e) => return Err(Unreadable::Broken(e.to_string())),
    };
    let inside = root.canonicalize().is_ok_and(|r| real.starts_with(r));
    if !inside {
        return Err(Unreadable::Outside);
    }
    std::fs::read_to_string(&real).map_err(|e| Unreadable::Broken(e.to_string()))
}

/// Writes `text` as the snapshot named `fingerprint` (unless that file
/// holds it already). Returns the path written. Refuses a snapshot folder
/// whose real path leaves the handbook.
pub fn write(root: &Path, fingerprint: &str, text: &str) -> Result<PathBuf, String> {
    if !is_fingerprint(fingerprint) {
        return Err(format!("`{fingerprint}` is not a fingerprint"));
    }
    let folder = root.join(FOLDER);
    fsutil::create_dir_all(&folder).map_err(|e| e.to_string())?;
    let real = folder
        .canonicalize()
        .map_err(|source| FsError {
            action: "cannot resolve",
            path: folder.clone(),
            source,
        })
        .map_err(|e| e.to_string())?;
    let real_root = root.canonicalize().map_err(|e| e.to_string())?;
    if !real.starts_with(&real_root) {
        return Err(format!(
            "{FOLDER} is a link to {}, outside the handbook: refusing to write there",
            real.display()
        ));
    }
    let path = real.join(format!("{fingerprint}.md"));
    // A link in the folder is replaced by the rename, never written through.
    let same = std::fs::symlink_metadata(&path).is_ok_and(|m| m.is_file())
        && std::fs::read_to_string(&path).is_ok_and(|old| old == text);
    if !same {
        fsutil::write_atomic(&path, text.as_bytes()).map_err(|e| e.to_string())?;
    }
    Ok(root.join(relative_path(fingerprint)))
}

/// Parses and renders `text`, a version of `original` (whose paths decide
/// its language), as any page is rendered; links are not resolved (only the
/// reader's text of a version matters). `Err` says why it does not parse.
pub fn parse(text: &str, original: &Page, config: &Config) -> Result<Version, String> {
    let mut source = SourceFile {
        file: original.file.clone(),
        content_path: original.content_path.clone(),
        bytes: text.as_bytes().to_vec(),
        modified: None,
    };
    let page = frontmatter::parse_page(&mut source, config).map_err(|problems| {
        problems
            .first()
            .map_or_else(|| "it does not parse".to_string(), |p| p.message.clone())
    })?;
    let front = text[..text.len() - page.body.len()].to_string();
    let none = foldhash::HashSet::default();
    let targets = LinkTargets {
        roles: &none,
        pages: &foldhash::HashMap::default(),
        assets: &none,
        allow_html: config.allow_html,
    };
    let rendered = markdown::render(&page, &targets);
    Ok(Version {
        front,
        title: page.title,
        body: page.body,
        page: rendered,
    })
}

/// The fingerprint of a version's title and body, as `translated_from:` records it.
pub fn fingerprint(version: &Version) -> String {
    frontmatter::fingerprint(&version.title, &version.body)
}

/// The text of `old` with the section called `section` (an id,
/// `(introduction)` or `(title)`) taken from `current`: added when only
/// `current` has it, dropped when only `old` does. Sections pair as drift
/// pairs them. `Err` when the pages' sections cannot be traced back to
/// their Markdown.
pub fn splice(old: &Version, current: &Version, section: &str) -> Result<String, String> {
    let front = if section == TITLE {
        &current.front
    } else {
        &old.front
    };
    let old_map = source_offsets(old)?;
    let current_map = source_offsets(current)?;
    let mut body = String::with_capacity(old.body.len().max(current.body.len()));
    for row in pair_sections(&old.page.sections, &current.page.sections) {
        let here = row.right.or(row.left).map(name);
        let (version, map, side) = if here.as_deref() == Some(section) {
            (current, &current_map, row.right)
        } else {
            (old, &old_map, row.left)
        };
        if let Some(s) = side {
            let range = source_range(&row.shown(s), map)?;
            body.push_str(&version.body[range]);
        }
    }
    Ok(format!("{front}{body}"))
}

/// Where each section of `version` starts in its HTML -> where it starts
/// in its Markdown body: headings are found again in the Markdown, in order.
fn source_offsets(version: &Version) -> Result<HashMap<usize, usize>, String> {
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES;
    let headings: Vec<usize> = Parser::new_ext(&version.body, options)
        .into_offset_iter()
        .filter(|(e, _)| matches!(e, Event::Start(Tag::Heading { .. })))
        .map(|(_, r)| r.start)
        .collect();
    let sections: Vec<&Section> = version
        .page
        .sections
        .iter()
        .flat_map(Section::with_subsections)
        .filter(|s| s.id.is_some())
        .collect();
    if sections.len() != headings.len() {
        return Err("its headings could not be matched with its sections".to_string());
    }
    let mut map = HashMap::from([(0, 0), (version.page.html.len(), version.body.len())]);
    for (s, at) in sections.into_iter().zip(headings) {
        map.entry(s.html_range.start).or_insert(at);
    }
    Ok(map)
}

fn source_range(html: &Range<usize>, map: &HashMap<usize, usize>) -> Result<Range<usize>, String> {
    match (map.get(&html.start), map.get(&html.end)) {
        (Some(&start), Some(&end)) if start <= end => Ok(start..end),
        _ => Err("a section's place in the Markdown could not be found".to_string()),
    }
}
