//! Unit tests of one page's render.

use super::*;

fn page(body: &str) -> Page {
    Page {
        file: "content/en/a.md".into(),
        content_path: "en/a.md".into(),
        id: crate::id::RoleId::parse("a").unwrap(),
        id_line: 2,
        lang: "en".into(),
        lang_id: crate::id::LangId::DEFAULT,
        title: "A".into(),
        summary: None,
        department: None,
        reports_to: None,
        related: None,
        order: None,
        order_line: 2,
        kind: Default::default(),
        kind_line: None,
        tags: None,
        tags_line: 2,
        translated_from: None,
        extra: Default::default(),
        body: body.into(),
        fingerprint: None,
        updated: None,
        lifecycle: Default::default(),
        body_line: 5,
    }
}

fn render_body(body: &str, allow_html: bool) -> RenderedPage {
    let roles: HashSet<&str> = ["a", "secretary"].into_iter().collect();
    let pages: HashMap<&str, (&str, &str)> = [("zh/secretary.md", ("secretary", "zh"))]
        .into_iter()
        .collect();
    let assets: HashSet<&str> = ["en/img/chart one.png"].into_iter().collect();
    let targets = LinkTargets {
        roles: &roles,
        pages: &pages,
        assets: &assets,
        allow_html,
    };
    render(&page(body), &targets)
}

#[test]
fn role_links_stay_in_the_same_language() {
    let r = render_body(
        "See [s](role:secretary#duties) and [t](role:secretary).",
        true,
    );
    assert!(
        r.html.contains(r#"href="secretary.html#duties""#),
        "{}",
        r.html
    );
    assert!(r.html.contains(r#"href="secretary.html""#));
    assert_eq!(r.role_links[0].anchor.as_deref(), Some("duties"));
    assert!(r.problems.is_empty());
}

#[test]
fn unknown_role_link_names_its_line() {
    let r = render_body("text\n\nSee [x](role:secretray).", true);
    let d = &r.problems[0];
    assert_eq!(
        (d.code.as_str(), d.line, d.column),
        ("unknown-role-link", 7, 5)
    );
    assert!(d.hint.as_ref().unwrap().contains("role:secretary"));
}

#[test]
fn cjk_and_explicit_heading_ids() {
    let r = render_body(
        "## 主要职责\n\n## Duties {#duties}\n\n## Duties\n\n## Duties\n",
        true,
    );
    let ids: Vec<_> = r.headings.iter().map(|h| h.id.as_str()).collect();
    assert_eq!(ids, ["主要职责", "duties", "duties-1", "duties-2"]);
    assert!(r.html.contains(r#"<h2 id="主要职责">"#), "{}", r.html);
}

#[test]
fn sections_split_at_h2_with_text_and_html() {
    let r = render_body(
        "Intro *text*.\n\n## Duties {#duties}\n\n- one\n\n### Sub\n\nx\n\n## 职责\n\n正文\n",
        true,
    );
    let ids: Vec<_> = r
        .sections
        .iter()
        .map(|s| (s.id.as_deref(), s.explicit))
        .collect();
    assert_eq!(
        ids,
        [(None, false), (Some("duties"), true), (Some("职责"), false)]
    );
    let duties = &r.html[r.sections[1].html_range.clone()];
    assert!(
        duties.starts_with("<h2 id=\"duties\">") && duties.contains("<h3"),
        "{duties}"
    );
    let joined: String = r
        .sections
        .iter()
        .map(|s| &r.html[s.html_range.clone()])
        .collect();
    assert_eq!(joined, r.html);
    let r = render_body("## Only\n\ntext\n", true);
    assert_eq!(r.sections.len(), 1);
}

#[test]
fn md_and_asset_links_are_rewritten() {
    let r = render_body(
        "[zh](../zh/secretary.md#x) ![c](img/chart%20one.png) [gone](nope.pdf)",
        true,
    );
    assert!(
        r.html.contains(r#"href="../zh/secretary.html#x""#),
        "{}",
        r.html
    );
    assert!(
        r.html.contains(r#"src="../assets/en/img/chart%20one.png""#),
        "{}",
        r.html
    );
    assert_eq!(r.assets, ["en/img/chart one.png"]);
    assert_eq!(r.problems[0].code, "broken-link");
}

#[test]
fn script_urls_are_neutralised() {
    let r = render_body("[x](javascript:alert(1)) [y](DATA:text/html,hi)", true);
    assert!(!r.html.to_lowercase().contains("javascript:"), "{}", r.html);
    assert!(!r.html.to_lowercase().contains("data:"), "{}", r.html);
    assert_eq!(r.problems.len(), 2);
}

#[test]
fn raw_html_is_escaped_when_not_allowed() {
    let r = render_body("<script>x()</script>\n\nhi <b>there</b>", false);
    assert!(!r.html.contains("<script>"), "{}", r.html);
    assert!(r.html.contains("&lt;b&gt;"), "{}", r.html);
    let r = render_body("hi <b>there</b>", true);
    assert!(r.html.contains("<b>there</b>"));
}

#[test]
fn dropped_cjk_emphasis_is_pointed_at() {
    let r = render_body("**注意：**正文", true);
    let d = &r.problems[0];
    assert_eq!(
        (d.code.as_str(), d.line, d.column),
        ("dropped-emphasis", 5, 6)
    );
    assert!(d.hint.as_ref().unwrap().contains("**注意**："));
    assert!(render_body("**注意**：正文", true).problems.is_empty());
}

/// Issue 16: the opening side (`和**“引号”**`) is caught too, and every
/// suggested line renders as bold.
#[test]
fn dropped_emphasis_on_either_side_gets_a_fix_that_renders_bold() {
    for (text, column, fixed) in [
        ("**注意：**正文", 6, "**注意**：正文"),
        ("和**“引号”** 测试", 2, "和“**引号**” 测试"),
        ("和**“引号**”测试", 2, "和“**引号**”测试"),
        ("他说**（重要）**然后", 3, "他说（**重要**）然后"),
    ] {
        let r = render_body(text, true);
        let d = r
            .problems
            .iter()
            .find(|d| d.code.as_str() == "dropped-emphasis")
            .unwrap_or_else(|| panic!("no warning for {text}: {:?}", r.problems));
        assert_eq!(d.column, column, "{text}");
        let hint = d.hint.as_deref().unwrap();
        assert!(hint.contains(&format!("`{fixed}`")), "{text}: {hint}");
        // The suggestion, rendered, is bold and leaves no marker behind.
        let rendered = render_body(fixed, true);
        assert!(
            rendered.html.contains("<strong>"),
            "{fixed}: {}",
            rendered.html
        );
        assert!(!rendered.html.contains("**"), "{fixed}: {}", rendered.html);
        assert!(rendered
            .problems
            .iter()
            .all(|d| d.code.as_str() != "dropped-emphasis"));
    }
    // Emphasis that works is left alone.
    for fine in [
        "**注意**：正文",
        "和“**引号**”测试",
        "**bold** text",
        "和**引号**测试",
    ] {
        let r = render_body(fine, true);
        assert!(
            r.problems
                .iter()
                .all(|d| d.code.as_str() != "dropped-emphasis"),
            "{fine}"
        );
    }
}

fn render_work(body: &str) -> (RenderedPage, Work) {
    let roles: HashSet<&str> = ["a", "secretary"].into_iter().collect();
    let (pages, assets) = (HashMap::new(), HashSet::new());
    let targets = LinkTargets {
        roles: &roles,
        pages: &pages,
        assets: &assets,
        allow_html: true,
    };
    render_counted(&page(body), &targets)
}

#[test]
fn heading_attributes_other_than_id_and_plain_classes_are_dropped() {
    for allow_html in [false, true] {
        let r = render_body(
            "## Duties {#duties .wide autofocus onfocus=alert(1) tabindex=1}\n",
            allow_html,
        );
        assert!(
            r.html
                .starts_with(r#"<h2 id="duties" class="wide">Duties</h2>"#),
            "{}",
            r.html
        );
        let found: Vec<_> = r
            .problems
            .iter()
            .map(|d| (d.code.as_str(), d.line, d.column))
            .collect();
        assert_eq!(
            found,
            [
                ("heading-attribute", 5, 26),
                ("heading-attribute", 5, 36),
                ("heading-attribute", 5, 53)
            ]
        );
        assert!(r.problems[1].message.contains("`onfocus=alert(1)`"));
        assert!(r.problems[1]
            .hint
            .as_ref()
            .unwrap()
            .contains("remove `onfocus=alert(1)`"));
    }
}

#[test]
fn a_heading_id_is_escaped_in_its_attribute() {
    // `{#"><script>}` is not read as attributes at all (the `<` starts HTML).
    let r = render_body("# A {#\"><script>x}\n\n# B {#x\"onmouseover=\"y}\n", false);
    assert!(!r.html.contains("<script"), "{}", r.html);
    assert!(
        r.html
            .contains("<h1 id=\"x&quot;onmouseover=&quot;y\">B</h1>"),
        "{}",
        r.html
    );
    assert_eq!(r.headings[1].id, "x\"onmouseover=\"y");
}

#[test]
fn links_out_of_content_are_broken_links() {
    let r = render_body(
        "[a](../../book.toml) [b](../../../x.pdf) [c](../zh/secretary.md)",
        true,
    );
    let found: Vec<_> = r
        .problems
        .iter()
        .map(|d| (d.code.as_str(), d.column))
        .collect();
    assert_eq!(found, [("broken-link", 1), ("broken-link", 22)]);
    assert!(r.problems[0]
        .hint
        .as_ref()
        .unwrap()
        .contains("inside content/"));
    let r = render_body("<img src=\"../../x.png\"><a href=\"../../y\">y</a>", true);
    assert_eq!(r.problems.len(), 2, "{:?}", r.problems);
}

#[test]
fn columns_after_a_cut_line_ignore_the_added_backslash() {
    let body = format!("{}[x](role:nope) [y](role:nope)", "- ".repeat(40));
    let (r, work) = render_work(&body);
    let found: Vec<_> = r
        .problems
        .iter()
        .map(|d| (d.code.as_str(), d.line, d.column))
        .collect();
    assert_eq!(
        found,
        [
            ("too-deep", 5, 65),
            ("unknown-role-link", 5, 81),
            ("unknown-role-link", 5, 96)
        ]
    );
    assert_eq!(work.depth, nesting::MAX_DEPTH);
    assert!(r.html.contains("- - <a href=\"#\">x</a>"), "{}", r.html);
}

#[test]
fn footnotes_are_numbered_across_the_whole_page() {
    let r = render_body(
        "Intro[^a].\n\n## Two\n\nMore[^b].\n\n[^a]: A.\n[^b]: B.\n",
        true,
    );
    assert!(r.html.contains(">2</a></sup>"), "{}", r.html);
    let joined: String = r
        .sections
        .iter()
        .map(|s| &r.html[s.html_range.clone()])
        .collect();
    assert_eq!(joined, r.html);
}

/// `scanned` for `n` copies of `unit`, on one line or one per line.
fn scanned(unit: &str, n: usize) -> usize {
    render_work(&unit.repeat(n)).1.scanned
}

#[test]
fn finding_columns_is_linear_in_the_page() {
    for unit in [
        "[x](role:a) ",
        "[x](role:nobody) ",
        "[x](#nowhere) ",
        "<img src=\"gone.png\" src=\"x\"> ",
        "*a* **注意：**正文 ",
        "text [x](role:a)\n",
        "## H {.x\"y k=v}\n",
    ] {
        let small = scanned(unit, 1_000);
        let large = scanned(unit, 10_000);
        assert!(small > 0, "{unit:?}");
        assert!(large <= 15 * small, "{unit:?}: {small} -> {large}");
    }
}

#[test]
fn nesting_per_line_is_capped_and_work_stays_linear() {
    for unit in ["- ", "> ", "1. ", "* "] {
        let line = |n: usize| format!("{}x\nlazy\nlazy\n", unit.repeat(n));
        let (small, small_work) = render_work(&line(300));
        let (large, large_work) = render_work(&line(3_000));
        assert_eq!(small_work.depth, nesting::MAX_DEPTH, "{unit:?}");
        assert_eq!(large_work.depth, nesting::MAX_DEPTH, "{unit:?}");
        assert_eq!(small.problems[0].code, "too-deep");
        // The excess is text: the HTML grows with the input, not with the nesting.
        assert!(
            large.html.len() <= small.html.len() + 3 * 3_000 * unit.len(),
            "{unit:?}"
        );
    }
}

#[test]
fn a_long_link_target_keeps_its_anchor_in_messages() {
    let long = format!("{}/page.md#duties-and-tasks", "folder".repeat(15));
    let r = render_body(&format!("[x]({long})"), true);
    let message = &r.problems[0].message;
    assert!(message.contains("…#duties-and-tasks"), "{message}");
    assert!(message.chars().count() < 120, "{message}");
}
