//! Drift between two versions of one page, and splicing one section of a
//! snapshot from the current original.

use std::path::Path;

use super::snapshot::{self, Version};
use super::*;
use crate::config::Config;
use crate::frontmatter::{self, Page};
use crate::source::SourceFile;

fn config() -> Config {
    let book = "[book]\ndefault_language = \"en\"\n[languages.en]\nname = \"English\"\ntitle = \"H\"\n[languages.zh]\nname = \"中文\"\ntitle = \"手册\"\n";
    Config::parse(Path::new("/nowhere"), book).unwrap()
}

fn page(config: &Config) -> Page {
    let mut source = SourceFile {
        file: "content/en/clerk.md".into(),
        content_path: "en/clerk.md".into(),
        bytes: b"---\nid: clerk\ntitle: Clerk\n---\n".to_vec(),
        modified: None,
    };
    frontmatter::parse_page(&mut source, config).unwrap()
}

fn version(body: &str) -> Version {
    let config = config();
    let text = format!("---\nid: clerk\ntitle: Clerk\n---\n{body}");
    snapshot::parse(&text, &page(&config), &config).unwrap()
}

const BODY: &str = "Lead-in.\n\n## Duties {#duties}\n\nKeeps the minutes of every meeting.\n\n## Skills {#skills}\n\nWrites fast.\n";

fn drift(old: &str, new: &str) -> Drift {
    let (old, new) = (version(old), version(new));
    compare(&old, &new.title, &new.page)
}

fn summary(d: &Drift) -> Vec<String> {
    d.sections
        .iter()
        .map(|s| format!("{:?} {}", s.kind, s.id))
        .collect()
}

#[test]
fn one_changed_section_is_the_only_drift() {
    let d = drift(BODY, &BODY.replace("every", "each"));
    assert_eq!(summary(&d), ["Changed duties"]);
    assert_eq!(d.compared, 3);
    assert!(d.sections[0].after.contains("each meeting"));
}

#[test]
fn reflowing_and_markdown_punctuation_are_no_change() {
    let reflowed = BODY
        .replace("minutes of every", "minutes\nof   every")
        .replace("Writes fast.", "Writes *fast*.")
        .replace("## Skills {#skills}", "Skills {#skills}\n------");
    assert!(drift(BODY, &reflowed).sections.is_empty());
}

#[test]
fn added_and_removed_sections() {
    let added = format!("{BODY}\n## Budget {{#budget}}\n\nSpends.\n");
    assert_eq!(summary(&drift(BODY, &added)), ["Added budget"]);
    let removed = BODY.replace("## Skills {#skills}\n\nWrites fast.\n", "");
    assert_eq!(summary(&drift(BODY, &removed)), ["Removed skills"]);
}

#[test]
fn a_changed_title_is_a_section_of_its_own() {
    let old = version(BODY);
    let new = version(BODY);
    let d = compare(&old, "Head clerk", &new.page);
    assert_eq!(summary(&d), ["Changed (title)"]);
}

#[test]
fn splicing_every_drifted_section_gives_the_current_original() {
    let new_body = format!(
        "{}\n## Budget {{#budget}}\n\nSpends.\n",
        BODY.replace("every", "each")
            .replace("Lead-in.", "New lead-in.")
    );
    let (old, new) = (version(BODY), version(&new_body));
    let d = compare(&old, &new.title, &new.page);
    assert_eq!(
        summary(&d),
        ["Changed (introduction)", "Changed duties", "Added budget"]
    );
    // One section: only it changes.
    let one = snapshot::splice(&old, &new, "duties").unwrap();
    let one = snapshot::parse(&one, &page(&config()), &config()).unwrap();
    let left = compare(&one, &new.title, &new.page);
    assert_eq!(summary(&left), ["Changed (introduction)", "Added budget"]);
    // All of them: the snapshot is the original, fingerprint and all.
    let new_text = format!("---\nid: clerk\ntitle: Clerk\n---\n{new_body}");
    let mut v = one;
    for id in ["(introduction)", "budget"] {
        let (p, c) = (page(&config()), config());
        let text = bring_up_to_date(&v, &new, &new_text, id, &p, &c).unwrap();
        v = snapshot::parse(&text, &p, &c).unwrap();
    }
    assert_eq!(v.body, new.body);
    assert_eq!(snapshot::fingerprint(&v), snapshot::fingerprint(&new));
}

#[test]
fn a_removed_section_goes_from_the_snapshot_when_marked() {
    let removed = BODY.replace("## Skills {#skills}\n\nWrites fast.\n", "");
    let (old, new) = (version(BODY), version(&removed));
    let text = snapshot::splice(&old, &new, "skills").unwrap();
    let v = snapshot::parse(&text, &page(&config()), &config()).unwrap();
    assert_eq!(v.body, new.body);
}

#[test]
fn translation_sections_find_the_translations_partners() {
    let (old, new) = (version(BODY), version(&BODY.replace("every", "each")));
    let d = compare(&old, &new.title, &new.page);
    let zh =
        version("引言。\n\n## 职责 {#duties}\n\n记录会议。\n\n## 技能 {#skills}\n\n写得快。\n");
    let found = translation_sections(&d, &new.page.sections, &zh.page.sections);
    let ids: Vec<_> = found.iter().map(|(s, _)| s.id.clone()).collect();
    assert_eq!(ids, [Some("duties".to_string())]);
}

#[test]
fn snapshot_names_are_fingerprints_only() {
    let root = Path::new("/nowhere");
    assert_eq!(
        snapshot::read(root, "../../etc/passwd"),
        Err(snapshot::Unreadable::NotAFingerprint)
    );
    assert_eq!(
        snapshot::read(root, "abc123"),
        Err(snapshot::Unreadable::Missing)
    );
}
