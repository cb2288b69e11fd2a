//! Rebuilds into the same output folder: the files whose bytes did not
//! change are hard links to the previous output's (same inode), the result
//! is the same as a build into a fresh folder, and a failed rebuild leaves the
//! previous output as it was.

use std::collections::BTreeMap;
use std::path::Path;

use crate::support::{stderr, tree, Book};

/// Every file under `out` -> its inode.
#[cfg(unix)]
fn inodes(out: &Path) -> BTreeMap<String, u64> {
    use std::os::unix::fs::MetadataExt;
    walkdir::WalkDir::new(out)
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let path = e.path().strip_prefix(out).unwrap().display().to_string();
            (path, e.metadata().unwrap().ino())
        })
        .collect()
}

/// Builds `book` into a fresh folder beside it and returns that folder's tree.
fn fresh_build(book: &Book) -> BTreeMap<String, String> {
    let fresh = book.dir.path().join("fresh");
    let out = book.run(&["build", "--out", fresh.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let files = tree(&fresh);
    std::fs::remove_dir_all(&fresh).unwrap();
    files
}

#[test]
fn a_repeated_build_links_every_file_and_equals_a_fresh_build() {
    let book = Book::sample();
    book.build();
    #[cfg(unix)]
    let first = inodes(&book.out());
    book.build();
    assert_eq!(tree(&book.out()), fresh_build(&book));
    #[cfg(unix)]
    {
        let second = inodes(&book.out());
        assert_eq!(
            first.keys().collect::<Vec<_>>(),
            second.keys().collect::<Vec<_>>()
        );
        for path in ["en/secretary.html", "zh/secretary.html", "static/style.css"] {
            assert!(second.contains_key(path), "{path}");
        }
        let relinked: Vec<_> = second.iter().filter(|(p, i)| first[*p] != **i).collect();
        assert!(
            relinked.is_empty(),
            "written again, not linked: {relinked:?}"
        );
    }
}

#[test]
fn a_rebuild_after_a_page_edit_writes_that_page_and_drops_removed_roles() {
    let book = Book::sample();
    let courier = "---\nid: courier\ntitle: Courier\nsummary: Carries letters.\n\
                   department: Office\nreports_to: procurement-assistant\n---\n\n\
                   ## Duties {#duties}\n\nCarries letters.\n";
    book.write("content/en/courier.md", courier)
        .write("content/zh/courier.md", &courier.replace("Courier", "信使"));
    book.build();
    assert!(book.out().join("en/courier.html").is_file());
    #[cfg(unix)]
    let first = inodes(&book.out());
    book.append(
        "content/en/secretary.md",
        "An added paragraph, unmistakable.\n",
    );
    for lang in ["en", "zh"] {
        std::fs::remove_file(book.root().join(format!("content/{lang}/courier.md"))).unwrap();
    }
    let out = book.run(&["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(book
        .read_out("en/secretary.html")
        .contains("An added paragraph, unmistakable."));
    for gone in [
        "en/courier.html",
        "zh/courier.html",
        "parallel/courier.html",
    ] {
        assert!(!book.out().join(gone).exists(), "{gone} was left behind");
    }
    assert_eq!(tree(&book.out()), fresh_build(&book));
    #[cfg(unix)]
    {
        let second = inodes(&book.out());
        assert_ne!(second["en/secretary.html"], first["en/secretary.html"]);
        for unrelated in [
            "en/general-manager.html",
            "zh/assistant.html",
            "static/style.css",
        ] {
            assert_eq!(
                second[unrelated], first[unrelated],
                "{unrelated} was written again"
            );
        }
        let written = second.iter().filter(|(p, i)| first.get(*p) != Some(i));
        assert!(written.count() < second.len() / 2, "most files are linked");
    }
}

#[cfg(unix)]
#[test]
fn a_failed_rebuild_leaves_the_previous_output_and_its_inodes_untouched() {
    let book = Book::sample();
    // A file of the handbook's own, copied after every page (see extras.rs):
    // the rebuild fails on it after linking the pages.
    book.write("static/notes.txt", &"a".repeat(4000));
    book.build();
    book.write("static/notes.txt", &"b".repeat(4000));
    let before = book.tree();
    let first = inodes(&book.out());
    let out = book.build_with_file_size_limit();
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("notes.txt"), "{}", stderr(&out));
    assert_eq!(
        book.tree(),
        before,
        "the previous output changed, or staging files were left beside it"
    );
    assert_eq!(inodes(&book.out()), first);
    book.build();
    assert_eq!(book.read_out("notes.txt"), "b".repeat(4000));
}
