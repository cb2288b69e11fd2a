//! Code blocks highlighted at build time, for the markdown stage.
//!
//! A fenced block's language is the first word of its info string (`rust,ignore`
//! is Rust, `js title="x"` is js). Known languages become
//! `<pre class="hl"><code class="language-rust">` with `<span class="hl-kw">`
//! spans; everything else (unknown language, no language, plain text, a block
//! too big to be worth it, a grammar that fails) returns `None`, and the
//! block renders plain as before. No script, no request: the colours are
//! classes, so light and dark share one HTML and `highlight.css` picks.
//!
//! Grammars are syntect's Sublime grammars plus bat's extras (TypeScript, TSX,
//! TOML, Vue, Less ... through two-face), with the pure-Rust regex engine: no
//! C library to build. They load once, on the first known fenced block, and
//! the set is shared by every rendering thread. Scopes map to a dozen
//! semantic classes (comment, string, keyword ...), not to one theme's colours
//! and not to syntect's full scope stack, which made pages 17 times their
//! code's size. Results are memoised by language and code: a bilingual book
//! usually shows the same block in both languages, and `serve` re-renders
//! unchanged blocks after every edit.

use std::collections::HashMap;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::{Mutex, OnceLock};

use syntect::parsing::{ParseState, Scope, ScopeStack, SyntaxReference, SyntaxSet};
use syntect::util::LinesWithEndings;

/// Larger blocks render plain: past this, highlighting costs seconds and
/// nobody reads the colours.
const MAX_CODE: usize = 256 * 1024;
/// A longer line (minified code, data) renders its block plain: the grammars'
/// regexes can backtrack for a long time on it.
const MAX_LINE: usize = 4 * 1024;
/// The memo is emptied when its keys and values pass this many bytes.
const MEMO_BYTES: usize = 32 * 1024 * 1024;

/// Highlights a fenced block: the whole `<pre>...</pre>` (no trailing newline),
/// or `None` when the block should render plain.
pub fn highlight(info: &str, code: &str) -> Option<String> {
    let syntax = syntax_for(info)?;
    if code.len() > MAX_CODE || code.split('\n').any(|line| line.len() > MAX_LINE) {
        return None;
    }
    // The memo holds the spans, which depend on the grammar only: blocks
    // of one grammar under two names (`js`, `jsx`) keep their own class.
    let key = (syntax.name.clone(), code.to_owned());
    let hit = memo_lock().blocks.get(&key).cloned();
    let body = match hit {
        Some(body) => body,
        None => {
            // Grammars are third-party data: a panic inside syntect must not
            // take the build down; the block then renders plain.
            let body = catch_unwind(AssertUnwindSafe(|| spans(syntax, code))).ok()??;
            remember(key, &body);
            body
        }
    };
    Some(format!(
        "<pre class=\"hl\"><code class=\"language-{}\">{body}</code></pre>",
        escape_attr(&language(info))
    ))
}

/// A fenced block exactly as pulldown-cmark writes it (without the trailing
/// newline): for a block [`knows`] accepted that [`highlight`] then declined.
pub fn plain(info: &str, code: &str) -> String {
    let mut html = String::with_capacity(code.len() + 40);
    // pulldown-cmark's own rule: the class is everything up to the first space.
    let lang = info.split(' ').next().unwrap_or("");
    if lang.is_empty() {
        html.push_str("<pre><code>");
    } else {
        html.push_str("<pre><code class=\"language-");
        html.push_str(&escape_attr(lang));
        html.push_str("\">");
    }
    // Writing to a String cannot fail.
    let _ = pulldown_cmark_escape::escape_html_body_text(&mut html, code);
    html.push_str("</code></pre>");
    html
}

/// Whether [`highlight`] knows the block's language (it may still decline a
/// block that is too large). Loads the grammars on first call.
pub fn knows(info: &str) -> bool {
    syntax_for(info).is_some()
}

/// The language word of an info string, lowercased and with `{.class}` or
/// `,attr` tails cut: `Rust,ignore` -> `rust`.
pub fn language(info: &str) -> String {
    let word = info.split_whitespace().next().unwrap_or("");
    let word = word.split([',', '{']).next().unwrap_or("");
    word.trim_start_matches('.').to_lowercase()
}

/// The grammar for an info string, after the common aliases.
fn syntax_for(info: &str) -> Option<&'static SyntaxReference> {
    let lang = language(info);
    let token = match lang.as_str() {
        "" | "text" | "txt" | "plain" | "plaintext" | "none" | "nohighlight" => return None,
        "shell" | "console" | "zsh" | "shell-session" | "shellsession" => "bash",
        "javascript" | "jsx" | "mjs" | "cjs" | "node" => "js",
        "typescript" => "ts",
        "vue-html" | "xhtml" => "html",
        "golang" => "go",
        "c++" | "cxx" => "cpp",
        "py" | "python3" => "python",
        "md" => "markdown",
        "yml" => "yaml",
        "patch" => "diff",
        "rs" => "rust",
        other => other,
    };
    let syntax = syntaxes().find_syntax_by_token(token)?;
    (syntax.name != "Plain Text").then_some(syntax)
}

fn syntaxes() -> &'static SyntaxSet {
    static SET: OnceLock<SyntaxSet> = OnceLock::new();
    SET.get_or_init(two_face::syntax::extra_newlines)
}

/// The block's text as escaped HTML with class spans; `None` when the
/// grammar fails on it.
fn spans(syntax: &SyntaxReference, code: &str) -> Option<String> {
    let set = syntaxes();
    let mut state = ParseState::new(syntax);
    let mut stack = ScopeStack::new();
    let mut out = Spans::with_capacity(code.len() * 2);
    for line in LinesWithEndings::from(code) {
        let ops = state.parse_line(line, set).ok()?;
        let mut at = 0;
        for (to, op) in ops {
            if to > at {
                out.push(line.get(at..to)?, class_of(&stack));
                at = to;
            }
            stack.apply(&op).ok()?;
        }
        out.push(line.get(at..)?, class_of(&stack));
    }
    Some(out.finish())
}

/// Escaped text with runs of one class merged into one span; whitespace
/// joins a span only when the same class goes on after it.
struct Spans {
    html: String,
    open: Option<&'static str>,
    /// Whitespace not yet written: inside the open span or after it.
    blank: String,
}

impl Spans {
    fn with_capacity(capacity: usize) -> Self {
        Spans {
            html: String::with_capacity(capacity),
            open: None,
            blank: String::new(),
        }
    }

    fn push(&mut self, text: &str, class: Option<&'static str>) {
        if text.trim().is_empty() {
            self.blank.push_str(text);
            return;
        }
        if class != self.open {
            self.close();
            self.html.push_str(&self.blank);
            if let Some(class) = class {
                self.html.push_str("<span class=\"hl-");
                self.html.push_str(class);
                self.html.push_str("\">");
            }
            self.open = class;
        } else {
            self.html.push_str(&self.blank);
        }
        self.blank.clear();
        // Writing to a String cannot fail.
        let _ = pulldown_cmark_escape::escape_html_body_text(&mut self.html, text);
    }

    fn close(&mut self) {
        if self.open.take().is_some() {
            self.html.push_str("</span>");
        }
    }

    fn finish(mut self) -> String {
        self.close();
        self.html.push_str(&self.blank);
        self.html
    }
}

/// What a scope prefix means: a class, or "stop looking outward, no class"
/// (code embedded in a string or in another language).
type Rule = (Scope, Option<&'static str>);

/// Scope prefixes to classes, most specific first. Scopes that match none
/// (`meta.*`, `punctuation.*`, `variable.other.*`) are see-through: the
/// class comes from the nearest enclosing scope that matches.
const RULES: &[(&str, Option<&str>)] = &[
    ("comment", Some("com")),
    ("string.regexp", Some("re")),
    ("constant.character.escape", Some("esc")),
    ("constant.other.placeholder", Some("esc")),
    ("meta.interpolation", None),
    ("meta.template.expression", None),
    ("meta.embedded", None),
    ("source", None),
    ("string", Some("str")),
    ("constant.numeric", Some("num")),
    ("constant.language", Some("con")),
    ("variable.language", Some("con")),
    ("support.constant", Some("con")),
    ("constant.character", Some("str")),
    ("constant", Some("con")),
    ("keyword.operator", Some("op")),
    ("keyword", Some("kw")),
    ("storage", Some("kw")),
    ("entity.name.function", Some("fn")),
    ("support.function", Some("fn")),
    ("variable.function", Some("fn")),
    ("entity.name.tag", Some("tag")),
    ("entity.other.attribute-name", Some("attr")),
    ("support.type.property-name", Some("attr")),
    ("entity.name.section", Some("head")),
    ("markup.heading", Some("head")),
    ("entity.name", Some("ty")),
    ("entity.other.inherited-class", Some("ty")),
    ("support.type", Some("ty")),
    ("support.class", Some("ty")),
    ("markup.inserted", Some("add")),
    ("markup.deleted", Some("del")),
    ("markup.changed", Some("chg")),
    ("meta.diff.range", Some("meta")),
    ("meta.diff.header", Some("meta")),
    ("markup.bold", Some("bold")),
    ("markup.italic", Some("em")),
    ("markup.underline.link", Some("link")),
    ("markup.raw", Some("str")),
];

fn rules() -> &'static [Rule] {
    static RULE_SCOPES: OnceLock<Vec<Rule>> = OnceLock::new();
    RULE_SCOPES.get_or_init(|| {
        RULES
            .iter()
            .filter_map(|&(prefix, class)| Scope::new(prefix).ok().map(|s| (s, class)))
            .collect()
    })
}

/// The class of text under `stack`: the innermost scope that some rule names.
fn class_of(stack: &ScopeStack) -> Option<&'static str> {
    let rules = rules();
    for &scope in stack.as_slice().iter().rev() {
        if let Some(&(_, class)) = rules.iter().find(|(prefix, _)| prefix.is_prefix_of(scope)) {
            return class;
        }
    }
    None
}

/// Highlighted blocks' spans by grammar name and code.
#[derive(Default)]
struct Memo {
    blocks: HashMap<(String, String), String>,
    /// Bytes held by keys and values.
    bytes: usize,
}

fn memo_lock() -> std::sync::MutexGuard<'static, Memo> {
    static MEMO: OnceLock<Mutex<Memo>> = OnceLock::new();
    let memo = MEMO.get_or_init(Mutex::default);
    // A panic while holding the lock leaves a usable map: at worst one entry.
    memo.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

fn remember(key: (String, String), html: &str) {
    let mut memo = memo_lock();
    let size = key.0.len() + key.1.len() + html.len();
    if memo.bytes + size > MEMO_BYTES {
        memo.blocks.clear();
        memo.bytes = 0;
    }
    memo.bytes += size;
    memo.blocks.insert(key, html.to_owned());
}

fn escape_attr(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    // Writing to a String cannot fail.
    let _ = pulldown_cmark_escape::escape_html(&mut out, text);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const RUST: &str = "// 注释 & <tag>\nfn main() {\n    let s = \"中文 <b> & 'q'\";\n    if 1 < 2 && true { println!(\"{s}\"); }\n}\n";

    #[test]
    fn known_language_gets_classes_and_escapes() {
        let html = highlight("rust", RUST).expect("rust is known");
        assert!(html.starts_with("<pre class=\"hl\"><code class=\"language-rust\">"));
        assert!(html.ends_with("</code></pre>"));
        assert!(html.contains("<span class=\"hl-kw\">fn</span>"), "{html}");
        assert!(
            html.contains("<span class=\"hl-com\">// 注释 &amp; &lt;tag&gt;"),
            "{html}"
        );
        assert!(
            html.contains(">&lt;<") && html.contains(">&amp;&amp;<"),
            "{html}"
        );
        assert!(!html.contains("<b>") && !html.contains("<tag>"), "{html}");
    }

    #[test]
    fn text_survives_highlighting() {
        // Dropping the tags and unescaping gives back the code, CJK included.
        for (info, code) in [
            ("rust", RUST),
            ("yaml", "标题: \"编辑 & 审校\"\n# 注释\n"),
            ("js", "const s = `角色 ${x}`; // 注释\n"),
        ] {
            let html = highlight(info, code).expect("known");
            assert_eq!(strip(&html), code, "{html}");
        }
    }

    #[test]
    fn unknown_or_plain_language_returns_none() {
        for info in [
            "",
            "klingon",
            "text",
            "txt",
            "plain",
            "  ",
            "{.x}",
            ",",
            "rust-but-not",
        ] {
            assert_eq!(highlight(info, "x < y\n"), None, "{info:?}");
        }
    }

    #[test]
    fn the_same_code_under_two_names_keeps_each_class() {
        // One grammar, so the second block's spans come from the memo.
        let code = "import dayjs from 'dayjs';\nconst a = 1;\n";
        let js = highlight("js", code).unwrap();
        let jsx = highlight("jsx", code).unwrap();
        assert!(js.contains("language-js\""), "{js}");
        assert!(jsx.contains("language-jsx\""), "{jsx}");
        assert_eq!(js.replace("language-js\"", "language-jsx\""), jsx);
    }

    #[test]
    fn first_word_of_info_string_is_the_language() {
        for info in [
            "rust,ignore",
            "Rust",
            "rust title=\"main.rs\"",
            "rust{.numbered}",
        ] {
            let html = highlight(info, "fn f() {}\n").expect(info);
            assert!(html.contains("language-rust\""), "{info}: {html}");
            assert!(html.contains("hl-kw"), "{info}: {html}");
        }
        // An alias gets the grammar; the class stays the word written.
        let html = highlight("rs", "fn f() {}\n").unwrap();
        assert!(
            html.contains("language-rs\"") && html.contains("hl-kw"),
            "{html}"
        );
        assert!(highlight("js title=\"x\"", "let a = 1;\n").is_some());
        assert_eq!(language("js title=\"x\""), "js");
    }

    #[test]
    fn required_languages_and_aliases_are_known() {
        let infos = [
            "rust",
            "js",
            "javascript",
            "jsx",
            "ts",
            "typescript",
            "tsx",
            "json",
            "yaml",
            "yml",
            "toml",
            "bash",
            "sh",
            "shell",
            "console",
            "zsh",
            "html",
            "vue",
            "vue-html",
            "css",
            "less",
            "scss",
            "python",
            "py",
            "sql",
            "go",
            "golang",
            "java",
            "c",
            "cpp",
            "c++",
            "diff",
            "patch",
            "markdown",
            "md",
            "xml",
            "dockerfile",
        ];
        let missing: Vec<_> = infos.iter().filter(|i| !knows(i)).collect();
        assert!(missing.is_empty(), "unknown: {missing:?}");
    }

    #[test]
    fn classes_mean_what_they_say() {
        let yaml = highlight("yaml", "id: editor # 注释\ncount: 3\n").expect("yaml");
        assert!(yaml.contains("<span class=\"hl-com\"># 注释"), "{yaml}");
        assert!(yaml.contains("<span class=\"hl-num\">3</span>"), "{yaml}");
        let diff = highlight("diff", "--- a\n+++ b\n@@ -1 +1 @@\n-old\n+new\n").expect("diff");
        assert!(diff.contains("hl-del") && diff.contains("hl-add"), "{diff}");
        let bash = highlight("bash", "echo \"$HOME\" # 注释\n").expect("bash");
        assert!(bash.contains("hl-str") && bash.contains("hl-com"), "{bash}");
    }

    #[test]
    fn highlighting_is_deterministic_across_threads() {
        let first = highlight("ts", "const x: number = 1; // 注释\n").expect("ts");
        let others: Vec<String> = std::thread::scope(|s| {
            let handles: Vec<_> = (0..4)
                .map(|_| {
                    s.spawn(|| {
                        spans(
                            syntax_for("ts").expect("ts"),
                            "const x: number = 1; // 注释\n",
                        )
                    })
                })
                .collect();
            handles
                .into_iter()
                .filter_map(|h| h.join().ok().flatten())
                .collect()
        });
        assert_eq!(others.len(), 4);
        for body in others {
            assert!(first.contains(&body));
        }
        assert_eq!(
            highlight("ts", "const x: number = 1; // 注释\n").as_ref(),
            Some(&first)
        );
    }

    #[test]
    fn plain_matches_pulldown_cmark() {
        for info in ["rust,ignore", "js title=\"x\"", "a<b&c", ""] {
            let code = "x < y && z\n中文\n";
            let markdown = format!("```{info}\n{code}```\n");
            let mut expected = String::new();
            pulldown_cmark::html::push_html(&mut expected, pulldown_cmark::Parser::new(&markdown));
            assert_eq!(plain(info, code) + "\n", expected, "{info:?}");
        }
    }

    /// The wiring the markdown stage uses, in miniature: known blocks are
    /// collected and written as one `Html` event; everything else passes.
    fn render_with_highlighting(markdown: &str) -> String {
        use pulldown_cmark::{CodeBlockKind, CowStr, Event, Parser, Tag, TagEnd};
        let html = std::cell::RefCell::new(String::new());
        let mut open: Option<(String, String)> = None;
        let events = Parser::new(markdown).map(|event| match event {
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) if knows(&info) => {
                open = Some((info.to_string(), String::new()));
                Event::Html(CowStr::Borrowed(""))
            }
            Event::Text(text) if open.is_some() => {
                if let Some((_, code)) = &mut open {
                    code.push_str(&text);
                }
                Event::Html(CowStr::Borrowed(""))
            }
            Event::End(TagEnd::CodeBlock) if open.is_some() => {
                let (info, code) = open.take().unwrap_or_default();
                let written = html.borrow();
                let lead = if written.is_empty() || written.ends_with('\n') {
                    ""
                } else {
                    "\n"
                };
                let pre = highlight(&info, &code).unwrap_or_else(|| plain(&info, &code));
                Event::Html(format!("{lead}{pre}\n").into())
            }
            other => other,
        });
        let mut out = String::new();
        for event in events {
            pulldown_cmark::html::push_html(&mut out, std::iter::once(event));
            html.borrow_mut().clone_from(&out);
        }
        out
    }

    #[test]
    fn wiring_sketch_highlights_known_and_keeps_the_rest() {
        let markdown = "text\n\n```rust,ignore\nfn a() {}\n// 中文\n```\n\n- item\n  ```klingon\n  x<y\n  ```\n";
        let html = render_with_highlighting(markdown);
        assert!(
            html.contains("<p>text</p>\n<pre class=\"hl\"><code class=\"language-rust\">"),
            "{html}"
        );
        assert!(html.contains("</code></pre>\n<ul>"), "{html}");
        assert!(
            html.contains("<pre><code class=\"language-klingon\">x&lt;y\n</code></pre>"),
            "{html}"
        );
        let mut plain_html = String::new();
        let unknown = "a\n```klingon\nx\n```\n\n```\nno info\n```\n";
        pulldown_cmark::html::push_html(&mut plain_html, pulldown_cmark::Parser::new(unknown));
        assert_eq!(render_with_highlighting(unknown), plain_html);
    }

    #[test]
    fn oversized_blocks_render_plain() {
        let long_line = format!("let x = \"{}\";\n", "a".repeat(MAX_LINE));
        assert_eq!(highlight("rust", &long_line), None);
        let many_lines = "let x = 1;\n".repeat(MAX_CODE / 10);
        assert_eq!(highlight("rust", &many_lines), None);
    }

    #[test]
    fn odd_input_never_panics() {
        use proptest::prelude::*;
        use proptest::test_runner::{Config, TestRunner};
        let mut runner = TestRunner::new(Config {
            cases: 64,
            failure_persistence: None,
            ..Config::default()
        });
        let langs = prop::sample::select(vec![
            "rust", "js", "ts", "yaml", "bash", "html", "diff", "markdown", "json", "python", "c",
        ]);
        let code = prop::collection::vec(
            prop::sample::select(vec![
                "\"", "'", "`", "/*", "*/", "<!--", "{", "}", "${", "\\", "\n", "\r\n", "\t",
                "中文", "&", "<", ">", "#", "--", "r#\"", "\u{0}", "é", "🦀", " ", "x", "1e9",
            ]),
            0..64,
        )
        .prop_map(|parts| parts.concat());
        let result = runner.run(&(langs, code, any::<String>()), |(lang, code, info)| {
            if let Some(html) = highlight(lang, &code) {
                prop_assert_eq!(strip(&html), code.clone());
            }
            let _ = highlight(&info, &code);
            Ok(())
        });
        assert!(result.is_ok(), "{result:?}");
    }

    /// The code back from highlighted HTML: tags dropped, entities undone.
    fn strip(html: &str) -> String {
        let mut text = String::new();
        let mut in_tag = false;
        for c in html.chars() {
            match c {
                '<' => in_tag = true,
                '>' if in_tag => in_tag = false,
                c if !in_tag => text.push(c),
                _ => {}
            }
        }
        text.replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&amp;", "&")
    }
}
