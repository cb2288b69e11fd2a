//! Translation drift (issue 17): snapshots kept by `mark-translated`, the
//! sections `status` and `diff` report, the marker and notice on the
//! translated page, the side-by-side highlight, the overview's count, and
//! marking one section brought up to date.

use crate::support::{stderr, stdout, Book};

/// An English original of four sections (lead-in, duties, skills, hours)
/// with its Chinese translation, marked.
fn marked_book() -> Book {
    let book = Book::fixture("basic");
    book.write(
        "content/en/clerk.md",
        "---\nid: clerk\ntitle: Clerk\n---\n\nKeeps records.\n\n## Duties {#duties}\n\nFiles every letter the\nsame day it arrives.\n\n## Skills {#skills}\n\nTypes fast.\n\n## Hours {#hours}\n\nNine to five.\n",
    );
    book.write(
        "content/zh/clerk.md",
        "---\nid: clerk\ntitle: 文员\n---\n\n负责记录。\n\n## 职责 {#duties}\n\n当天归档每一封来信。\n\n## 技能 {#skills}\n\n打字快。\n\n## 工作时间 {#hours}\n\n朝九晚五。\n",
    );
    ok(&book.run(&["mark-translated", "clerk", "zh"]));
    book
}

fn ok(out: &std::process::Output) -> String {
    assert!(out.status.success(), "{}{}", stdout(out), stderr(out));
    stdout(out)
}

fn edit(book: &Book, path: &str, from: &str, to: &str) {
    let file = book.root().join(path);
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(text.contains(from), "{from} not in {path}");
    std::fs::write(&file, text.replace(from, to)).unwrap();
}

fn status_json(book: &Book) -> serde_json::Value {
    serde_json::from_str(&ok(&book.run(&["status", "--format", "json"]))).unwrap()
}

fn role<'j>(json: &'j serde_json::Value, id: &str) -> &'j serde_json::Value {
    json["roles"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == id)
        .unwrap()
}

/// Lines of `rolebook status` about `id` (its row and the indented ones under it).
fn status_of(book: &Book, id: &str) -> String {
    let text = ok(&book.run(&["status"]));
    let mut lines = text
        .lines()
        .skip_while(|l| !l.starts_with(&format!("{id} ")));
    let first = lines.next().unwrap_or_default().to_string();
    let rest: Vec<&str> = lines.take_while(|l| l.starts_with("  ")).collect();
    format!("{first}\n{}", rest.join("\n"))
}

#[test]
fn marking_keeps_a_snapshot_shared_by_the_same_original() {
    let book = marked_book();
    let snapshots: Vec<_> = std::fs::read_dir(book.root().join(".rolebook/originals"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(snapshots.len(), 1);
    let kept = std::fs::read_to_string(&snapshots[0]).unwrap();
    let original = std::fs::read_to_string(book.root().join("content/en/clerk.md")).unwrap();
    assert_eq!(kept, original, "the original, byte for byte");
    // Marking again from the same original writes nothing new.
    ok(&book.run(&["mark-translated", "clerk", "zh"]));
    assert_eq!(
        std::fs::read_dir(book.root().join(".rolebook/originals"))
            .unwrap()
            .count(),
        1
    );
}

#[test]
fn one_changed_section_is_reported_everywhere() {
    let book = marked_book();
    edit(
        &book,
        "content/en/clerk.md",
        "Types fast.",
        "Types fast and accurately.",
    );
    // status, for people ...
    let text = status_of(&book, "clerk");
    assert!(text.contains("zh: stale"), "{text}");
    assert!(text.contains("1 of 4 sections changed"), "{text}");
    assert!(text.contains("changed Skills (#skills)"), "{text}");
    assert!(
        !text.contains("Duties") && !text.contains("Hours"),
        "{text}"
    );
    // ... and for tools.
    let json = status_json(&book);
    assert_eq!(
        role(&json, "clerk")["drift"]["zh"],
        serde_json::json!({"changed": ["skills"], "added": [], "removed": []})
    );
    assert!(role(&json, "lead").get("drift").is_none());
    // diff: plain when piped, by words.
    let diff = ok(&book.run(&["diff", "clerk", "zh"]));
    assert!(
        diff.contains("Types [-fast.-]{+fast and accurately.+}"),
        "{diff}"
    );
    assert!(!diff.contains('\x1b'), "no colour when piped");
    let json: serde_json::Value =
        serde_json::from_str(&ok(&book.run(&["diff", "clerk", "zh", "--format", "json"]))).unwrap();
    let sections = json["sections"].as_array().unwrap();
    assert_eq!(sections.len(), 1);
    assert_eq!(sections[0]["id"], "skills");
    assert!(sections[0]["segments"]
        .as_array()
        .unwrap()
        .contains(&serde_json::json!({"tag": "insert", "text": "fast and accurately."})));
    // The translated page: the notice links the section, which is marked.
    book.build();
    let zh = book.read_out("zh/clerk.html");
    assert!(zh.contains("4 节中有 1 节改动"), "{zh}");
    assert!(zh.contains("<a href=\"#skills\">技能</a>"), "{zh}");
    assert_eq!(zh.matches("class=\"drift-marker\"").count(), 1, "{zh}");
    let marker = zh.find("drift-marker").unwrap();
    let skills = zh.find("id=\"skills\"").unwrap();
    let hours = zh.find("id=\"hours\"").unwrap();
    assert!(
        skills < marker && marker < hours,
        "the marker is in the skills section"
    );
    assert!(!book.read_out("en/clerk.html").contains("drift-marker"));
    // Both versions of the side-by-side view highlight that row, with the diff.
    for page in ["parallel/clerk.html", "zh/clerk.parallel.html"] {
        let html = book.read_out(page);
        assert_eq!(html.matches("drift-row").count(), 1, "{page}");
        let row = &html[html.find("drift-row").unwrap()..];
        let row = &row[..row.find("parallel-row").unwrap_or(row.len())];
        assert!(row.contains("en--skills"), "{page}: {row}");
        assert!(
            row.contains("<ins>fast and accurately.</ins>"),
            "{page}: {row}"
        );
        assert!(html.contains("drift.js"), "{page}");
    }
    // The overview counts the changed sections in the stale cell.
    let overview = book.read_out("en/translations.html");
    assert!(overview.contains("1 of 4 sections changed"), "{overview}");
    assert!(book
        .read_out("zh/translations.html")
        .contains("4 节中有 1 节改动"));
}

#[test]
fn a_reflowed_paragraph_is_only_formatting() {
    let book = marked_book();
    edit(
        &book,
        "content/en/clerk.md",
        "Files every letter the\nsame day it arrives.",
        "Files  every letter\nthe same day it *arrives*.",
    );
    let text = status_of(&book, "clerk");
    assert!(text.contains("zh: stale"), "{text}");
    assert!(text.contains("only formatting changed"), "{text}");
    let json = status_json(&book);
    assert_eq!(
        role(&json, "clerk")["drift"]["zh"],
        serde_json::json!({"changed": [], "added": [], "removed": []})
    );
    book.build();
    let zh = book.read_out("zh/clerk.html");
    assert!(zh.contains("仅排版有改动") && !zh.contains("class=\"drift-marker\""));
    ok(&book.run(&["mark-translated", "clerk", "zh"]));
    assert!(status_of(&book, "clerk").contains("zh: ok"));
}

#[test]
fn added_and_removed_sections() {
    let book = marked_book();
    edit(
        &book,
        "content/en/clerk.md",
        "## Hours {#hours}\n\nNine to five.\n",
        "## Budget {#budget}\n\nSpends little.\n",
    );
    let json = status_json(&book);
    assert_eq!(
        role(&json, "clerk")["drift"]["zh"],
        serde_json::json!({"changed": [], "added": ["budget"], "removed": ["hours"]})
    );
    let text = status_of(&book, "clerk");
    assert!(text.contains("added   Budget (#budget)"), "{text}");
    assert!(text.contains("removed Hours (#hours)"), "{text}");
    book.build();
    // The translation's hours section is marked as gone from the original;
    // the new section, which it lacks, is linked in the side-by-side view.
    let zh = book.read_out("zh/clerk.html");
    assert!(zh.contains("data-kind=\"removed\""), "{zh}");
    assert!(zh.contains("clerk.parallel.html#en--budget"), "{zh}");
    let side = book.read_out("parallel/clerk.html");
    assert!(side.contains("data-drift=\"added\"") && side.contains("data-drift=\"removed\""));
}

#[test]
fn a_chinese_original_differs_by_characters() {
    let book = Book::fixture("basic");
    edit(
        &book,
        "book.toml",
        "default_language = \"en\"",
        "default_language = \"zh\"",
    );
    ok(&book.run(&["mark-translated", "lead", "en"]));
    edit(
        &book,
        "content/zh/lead.md",
        "主管审批工作。",
        "主管审核全部工作。",
    );
    let json = status_json(&book);
    assert_eq!(
        role(&json, "lead")["drift"]["en"]["changed"],
        serde_json::json!(["duties"])
    );
    let diff = ok(&book.run(&["diff", "lead", "en"]));
    assert!(diff.contains("主管审[-批-]{+核全部+}工作。"), "{diff}");
    // Reflowing Chinese over two lines is no change.
    ok(&book.run(&["mark-translated", "lead", "en"]));
    edit(
        &book,
        "content/zh/lead.md",
        "主管审核全部工作。",
        "主管审核\n全部工作。",
    );
    assert!(status_of(&book, "lead").contains("only formatting changed"));
}

#[test]
fn a_missing_snapshot_is_stale_as_a_whole_with_a_hint() {
    let book = marked_book();
    std::fs::remove_dir_all(book.root().join(".rolebook")).unwrap();
    edit(&book, "content/en/clerk.md", "Types fast.", "Types faster.");
    let text = status_of(&book, "clerk");
    assert!(text.contains("zh: stale"), "{text}");
    assert!(text.contains("is missing"), "{text}");
    assert!(text.contains("mark-translated clerk zh"), "{text}");
    assert!(role(&status_json(&book), "clerk").get("drift").is_none());
    let out = book.run(&["diff", "clerk", "zh"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains(".rolebook/originals/"),
        "{}",
        stderr(&out)
    );
    // The page is still built, stale as a whole.
    book.build();
    assert!(book
        .read_out("zh/clerk.html")
        .contains("没有保存翻译时的原文副本"));
    // A section cannot be marked without a snapshot.
    let out = book.run(&["mark-translated", "clerk", "zh", "--section", "skills"]);
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn marking_one_section_leaves_the_rest_reported() {
    let book = marked_book();
    edit(&book, "content/en/clerk.md", "Types fast.", "Types faster.");
    edit(
        &book,
        "content/en/clerk.md",
        "Nine to five.",
        "Eight to four.",
    );
    let before = status_json(&book);
    assert_eq!(
        role(&before, "clerk")["drift"]["zh"]["changed"],
        serde_json::json!(["skills", "hours"])
    );
    ok(&book.run(&["mark-translated", "clerk", "zh", "--section", "skills"]));
    let after = status_json(&book);
    assert_eq!(role(&after, "clerk")["translations"]["zh"], "stale");
    assert_eq!(
        role(&after, "clerk")["drift"]["zh"]["changed"],
        serde_json::json!(["hours"])
    );
    // A section that did not change is refused, naming the ones that did.
    let out = book.run(&["mark-translated", "clerk", "zh", "--section", "duties"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("hours"), "{}", stderr(&out));
    // The last one brings the translation up to date.
    ok(&book.run(&["mark-translated", "clerk", "zh", "--section", "hours"]));
    assert_eq!(
        role(&status_json(&book), "clerk")["translations"]["zh"],
        "ok"
    );
}

#[test]
fn three_languages_keep_their_own_snapshots() {
    let book = marked_book();
    book.append(
        "book.toml",
        "[languages.fr]\nname = \"Français\"\ntitle = \"Manuel\"\n",
    );
    book.write(
        "content/fr/clerk.md",
        "---\nid: clerk\ntitle: Commis\n---\n\nTient les registres.\n\n## Tâches {#duties}\n\nClasse le courrier.\n\n## Compétences {#skills}\n\nTape vite.\n\n## Horaires {#hours}\n\nNeuf à cinq.\n",
    );
    ok(&book.run(&["mark-translated", "clerk", "fr"]));
    edit(&book, "content/en/clerk.md", "Types fast.", "Types faster.");
    edit(
        &book,
        "content/en/clerk.md",
        "Nine to five.",
        "Eight to four.",
    );
    // Bringing fr's skills up to date leaves zh's snapshot and drift alone.
    ok(&book.run(&["mark-translated", "clerk", "fr", "--section", "skills"]));
    let json = status_json(&book);
    let drift = &role(&json, "clerk")["drift"];
    assert_eq!(drift["fr"]["changed"], serde_json::json!(["hours"]));
    assert_eq!(
        drift["zh"]["changed"],
        serde_json::json!(["skills", "hours"])
    );
    assert_eq!(
        std::fs::read_dir(book.root().join(".rolebook/originals"))
            .unwrap()
            .count(),
        2,
        "the shared snapshot and fr's partial one"
    );
    book.build();
    // Each pairing's side-by-side view highlights its own drift.
    let fr = book.read_out("fr/clerk.parallel.html");
    assert_eq!(fr.matches("drift-row").count(), 1);
    let zh = book.read_out("zh/clerk.parallel.html");
    assert_eq!(zh.matches("drift-row").count(), 2);
}

#[cfg(unix)]
#[test]
fn snapshots_are_never_written_through_a_link_out_of_the_handbook() {
    let book = Book::fixture("basic");
    let outside = book.dir.path().join("outside");
    std::fs::create_dir_all(&outside).unwrap();
    std::fs::create_dir_all(book.root().join(".rolebook")).unwrap();
    std::os::unix::fs::symlink(&outside, book.root().join(".rolebook/originals")).unwrap();
    let out = book.run(&["mark-translated", "lead", "zh"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("outside the handbook"),
        "{}",
        stderr(&out)
    );
    assert_eq!(std::fs::read_dir(&outside).unwrap().count(), 0);
    // A translated_from that names no snapshot reads nothing.
    edit(
        &book,
        "content/zh/lead.md",
        "summary:",
        "translated_from: ../../x\nsummary:",
    );
    let text = status_of(&book, "lead");
    assert!(text.contains("not a fingerprint"), "{text}");
}
