use super::*;

fn renamed(html: &str, prefix: &str) -> String {
    Combined::default().add(html, prefix).html
}

#[test]
fn ids_and_in_page_links_get_the_prefix() {
    let html = r##"<h2 id="hello-world">Hi</h2><p><a href="#hello-world">up</a><sup class="footnote-reference"><a href="#n">1</a></sup></p><div class="footnote-definition" id="n"></div>"##;
    assert_eq!(
        renamed(html, "zh--"),
        r##"<h2 id="zh--hello-world">Hi</h2><p><a href="#zh--hello-world">up</a><sup class="footnote-reference"><a href="#zh--n">1</a></sup></p><div class="footnote-definition" id="zh--n"></div>"##
    );
}

#[test]
fn two_pages_with_the_same_ids_share_none() {
    let mut doc = Combined::default();
    let page = r##"<h2 id="main">Main</h2><a href="#main">x</a>"##;
    let en = doc.add(page, "en--");
    let zh = doc.add(page, "zh--");
    assert!(en.html.contains(r#"id="en--main""#) && en.html.contains(r##"href="#en--main""##));
    assert!(zh.html.contains(r#"id="zh--main""#) && zh.html.contains(r##"href="#zh--main""##));
    // The same prefix twice (two pages of one role in a print book): the
    // second page's ids get a suffix, and its links follow them.
    let again = doc.add(page, "en--");
    assert_eq!(
        again.html,
        r##"<h2 id="en--main-1">Main</h2><a href="#en--main-1">x</a>"##
    );
}

#[test]
fn a_repeated_id_within_a_page_is_made_unique_and_links_go_to_the_first() {
    let html = r##"<a href="#x">x</a><p id="x"></p><p id="x"></p>"##;
    assert_eq!(
        renamed(html, "p-"),
        r##"<a href="#p-x">x</a><p id="p-x"></p><p id="p-x-1"></p>"##
    );
}

#[test]
fn links_to_ids_the_page_lacks_are_left_alone() {
    let html = r##"<a href="#top">top</a><a href="#">here</a><a href="other.html#x">o</a><a href="#gone">g</a>"##;
    assert_eq!(renamed(html, "en--"), html);
}

#[test]
fn raw_html_references_follow_their_ids() {
    let html = concat!(
        r#"<a name="old"></a><label for="q">Q</label><input id="q" aria-describedby="q hint">"#,
        r#"<span id='hint'>h</span><svg><linearGradient id=g></linearGradient><rect fill="url(#g)"/></svg>"#,
        r##"<a href="#old">old</a><a href="#%E5%A4%87%E6%B3%A8">n</a><h2 id="备注">备注</h2>"##,
    );
    let out = renamed(html, "en--");
    for want in [
        r#"<a name="en--old">"#,
        r#"for="en--q""#,
        r#"id="en--q""#,
        r#"aria-describedby="en--q en--hint""#,
        r#"id='en--hint'"#,
        "id=en--g>",
        r##"fill="url(#en--g)""##,
        r##"href="#en--old""##,
        r##"href="#en--%E5%A4%87%E6%B3%A8""##,
        r#"id="en--备注""#,
    ] {
        assert!(out.contains(want), "{want} not in {out}");
    }
}

#[test]
fn comments_scripts_and_text_are_not_rewritten() {
    let html = r##"<!-- <a id="c"> --><script>var s = '<a id="s">';</script><p>id="t" href="#t"</p><code>&lt;a id="x"&gt;</code><p id="t"></p>"##;
    let out = renamed(html, "en--");
    assert_eq!(out, html.replace(r#"<p id="t">"#, r#"<p id="en--t">"#));
}

#[test]
fn entities_in_ids_and_links_compare_decoded() {
    let html = r##"<p id="a&amp;b"></p><a href="#a&amp;b">x</a><a href="#a%26b">y</a>"##;
    let out = renamed(html, "x-");
    assert_eq!(
        out,
        r##"<p id="x-a&amp;b"></p><a href="#x-a&amp;b">x</a><a href="#x-a%26b">y</a>"##
    );
}

#[test]
fn positions_map_to_the_renamed_html() {
    let html = r##"<p>lead</p><h2 id="a">A</h2><p><a href="#a">a</a></p><h2 id="b">B</h2>"##;
    let cut = html.find("<h2 id=\"b\"").unwrap();
    let r = Combined::default().add(html, "en--");
    assert_eq!(r.range(0..11), "<p>lead</p>");
    assert_eq!(
        r.range(11..cut),
        r##"<h2 id="en--a">A</h2><p><a href="#en--a">a</a></p>"##
    );
    assert_eq!(r.range(cut..html.len()), r#"<h2 id="en--b">B</h2>"#);
}

#[test]
fn broken_markup_ends_the_scan_without_panicking() {
    for html in [
        "<a id=\"x",
        "<a id=",
        "<",
        "<a href='#",
        "<!--",
        "<script>",
        "<a id=\"é\" href=#é",
    ] {
        let r = Combined::default().add(html, "en--");
        let _ = r.range(0..html.len());
    }
}

#[test]
fn renaming_is_linear_in_the_page() {
    // Many equal ids: each claim starts where the last one stopped.
    let html = "<p id=\"x\"></p>".repeat(20_000);
    let started = std::time::Instant::now();
    let out = renamed(&html, "en--");
    assert!(out.ends_with("<p id=\"en--x-19999\"></p>"));
    assert!(started.elapsed() < std::time::Duration::from_secs(5));
}

#[test]
fn links_to_other_pages_follow_where_the_caller_says_they_are() {
    let html = r##"<h2 id="a">A</h2><a href="lead.html#duties">l</a><a href="lead.html">l</a><a href="../zh/lead.html#x">z</a><img src="lead.html#no">"##;
    // Only `lead.html` is a role's page (role number 7).
    let resolve = |path: &str| (path == "lead.html").then_some(7);
    let elsewhere = |role: usize, fragment: Option<&str>| match role {
        7 => Some(super::prefixed("lead.fr.html", fragment, "fr--")),
        _ => None,
    };
    let r = Combined::default().add_linked(html, "fr--", &resolve, &elsewhere);
    assert_eq!(
        r.html,
        r##"<h2 id="fr--a">A</h2><a href="lead.fr.html#fr--duties">l</a><a href="lead.fr.html">l</a><a href="../zh/lead.html#x">z</a><img src="lead.html#no">"##
    );
    // Positions after a longer (or shorter) link still map.
    let end = html.len();
    assert!(r.range(0..end).ends_with("<img src=\"lead.html#no\">"));
    let shorter = |_: usize, _: Option<&str>| Some("a".to_string());
    let r = Combined::default().add_linked(html, "", &|_| Some(0), &shorter);
    let cut = html.find("<img").unwrap();
    assert_eq!(r.range(cut..end), "<img src=\"lead.html#no\">");
}
