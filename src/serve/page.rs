//! Pure parts of the preview server: mapping request paths to site files,
//! content types, and what is added to served HTML (the reload script, the
//! error overlay and the banner of a page's warnings, in the page's
//! language). None of this ever reaches `rolebook build` output.

use crate::diagnostic::{self, Diagnostic, MessageLang, Severity};

/// Where the reload WebSocket and script live; no site path starts with `__rolebook`.
pub const RELOAD_PATH: &str = "/__rolebook/reload";

/// Maps a raw request path to a site file path, or `None` when it is not
/// allowed: `..` segments, encoded slashes or backslashes, NUL bytes.
pub fn site_path(raw: &str) -> Option<String> {
    let raw = raw.split(['?', '#']).next().unwrap_or("");
    let lower = raw.to_ascii_lowercase();
    if lower.contains("%2f") || lower.contains("%5c") || lower.contains("%00") || raw.contains('\\')
    {
        return None;
    }
    let decoded = percent_decode(raw)?;
    let mut parts = Vec::new();
    for part in decoded.split('/') {
        match part {
            "" | "." => {}
            ".." => return None,
            p if p.contains('\0') => return None,
            p => parts.push(p),
        }
    }
    let mut path = parts.join("/");
    if path.is_empty() || decoded.ends_with('/') {
        if !path.is_empty() {
            path.push('/');
        }
        path.push_str("index.html");
    }
    Some(path)
}

fn percent_decode(s: &str) -> Option<String> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            let hex = s.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// Content type by file extension.
pub fn content_type(path: &str) -> &'static str {
    match path.rsplit('.').next().unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" => "application/xml; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "pdf" => "application/pdf",
        "txt" | "md" => "text/plain; charset=utf-8",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        _ => "application/octet-stream",
    }
}

/// The script every served page loads: reconnecting WebSocket; on "reload"
/// it remembers the scroll position and reloads; after a load it restores it.
pub const RELOAD_SCRIPT: &str = r#"(function () {
  var key = "rolebook-scroll:" + location.pathname;
  var saved = sessionStorage.getItem(key);
  if (saved) {
    sessionStorage.removeItem(key);
    var xy = saved.split(",");
    window.addEventListener("load", function () { window.scrollTo(+xy[0], +xy[1]); });
    window.scrollTo(+xy[0], +xy[1]);
  }
  function connect() {
    var ws = new WebSocket((location.protocol === "https:" ? "wss://" : "ws://") + location.host + "/__rolebook/reload");
    ws.onmessage = function (e) {
      if (e.data === "reload") {
        sessionStorage.setItem(key, window.scrollX + "," + window.scrollY);
        location.reload();
      }
    };
    ws.onclose = function () { setTimeout(connect, 500); };
  }
  connect();
})();
"#;

/// Adds the reload script to an HTML page, the overlay when the last rebuild
/// failed (`errors`), and a banner listing `warnings` (those of the page's
/// own source file); both in the language of the page (`<html lang>`).
pub fn inject(html: &str, errors: &[Diagnostic], warnings: &[Diagnostic]) -> String {
    let lang = page_lang(html).unwrap_or_else(diagnostic::messages);
    let mut extra = String::from("<script src=\"/__rolebook/reload.js\"></script>");
    if !warnings.is_empty() {
        extra.push_str(&banner(warnings, lang));
    }
    if !errors.is_empty() {
        extra.push_str(&overlay(errors, lang));
    }
    if !warnings.is_empty() || !errors.is_empty() {
        extra.push_str(CLOSE_SCRIPT);
    }
    match html.rfind("</body>") {
        Some(i) => format!("{}{extra}{}", &html[..i], &html[i..]),
        None => format!("{html}{extra}"),
    }
}

/// The language of an HTML page from its `<html lang="...">`: Chinese for
/// `zh...`, English for any other; `None` when the page does not say.
pub fn page_lang(html: &str) -> Option<MessageLang> {
    // The root element comes first: look no further than the head.
    let mut end = html.len().min(4096);
    while !html.is_char_boundary(end) {
        end -= 1;
    }
    let head = &html[..end];
    let lower = head.to_ascii_lowercase();
    let tag_start = lower.find("<html")?;
    let tag = &lower[tag_start..];
    let tag = &tag[..tag.find('>')?];
    let value = tag.split_once("lang=")?.1;
    let value = value.trim_start_matches(['"', '\'']);
    (!value.is_empty()).then(|| MessageLang::of_tag(value))
}

/// Words of the preview's own panels, in the editor's or page's language.
struct Words {
    overlay_title: &'static str,
    close: &'static str,
    help: &'static str,
    warnings_title: fn(usize) -> String,
    failed_title: &'static str,
    failed_heading: &'static str,
}

fn words(lang: MessageLang) -> Words {
    match lang {
        MessageLang::En => Words {
            overlay_title: "rolebook: the handbook has problems, showing the last good version underneath",
            close: "Close",
            help: "help: ",
            warnings_title: |n| match n {
                1 => "rolebook: 1 warning on this page".to_string(),
                n => format!("rolebook: {n} warnings on this page"),
            },
            failed_title: "rolebook: the handbook has problems",
            failed_heading: "rolebook: the handbook cannot be shown yet. Fix these problems and save; this page reloads by itself.",
        },
        MessageLang::Zh => Words {
            overlay_title: "rolebook：手册有问题，下面显示的是上一个正常的版本",
            close: "关闭",
            help: "提示：",
            warnings_title: |n| format!("rolebook：本页有 {n} 个警告"),
            failed_title: "rolebook：手册有问题",
            failed_heading: "rolebook：手册还无法显示。请修正以下问题并保存，本页会自动刷新。",
        },
    }
}

/// Hides a panel when its button is pressed (until the next reload).
const CLOSE_SCRIPT: &str = "<script>document.querySelectorAll('[data-rolebook-close]').forEach(function(b){\
b.addEventListener('click',function(){var p=document.getElementById(b.getAttribute('data-rolebook-close'));if(p)p.hidden=true;});});</script>";

/// The problems as list items: place, severity and code, message, hint.
fn problem_list(html: &mut String, problems: &[Diagnostic], lang: MessageLang, hint_color: &str) {
    html.push_str("<ol style=\"margin:0;padding-left:1.5rem\">");
    for d in problems {
        let (message, hint) = diagnostic::localized(d, lang);
        html.push_str("<li style=\"margin-bottom:.75rem\"><strong>");
        escape(html, &format!("{}:{}:{}", d.file, d.line, d.column));
        html.push_str("</strong> ");
        let severity = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        };
        escape(html, &format!("{severity}[{}]: {message}", d.code));
        if let Some(hint) = hint {
            html.push_str(&format!("<br><span style=\"color:{hint_color}\">"));
            escape(html, words(lang).help);
            escape(html, &hint);
            html.push_str("</span>");
        }
        html.push_str("</li>");
    }
    html.push_str("</ol>");
}

/// A button that hides the element with id `target`.
fn close_button(target: &str, label: &str, style: &str) -> String {
    let mut html =
        format!("<button type=\"button\" data-rolebook-close=\"{target}\" style=\"{style}\">");
    escape(&mut html, label);
    html.push_str("</button>");
    html
}

/// A fixed panel over the page listing the problems, with a close button.
pub fn overlay(errors: &[Diagnostic], lang: MessageLang) -> String {
    let w = words(lang);
    let mut html = String::from(
        "<div id=\"rolebook-overlay\" role=\"alert\" style=\"position:fixed;inset:0;z-index:2147483647;overflow:auto;\
background:rgba(20,10,10,.94);color:#fff;font:14px/1.5 ui-monospace,Menlo,Consolas,monospace;padding:2rem\">",
    );
    html.push_str(&close_button(
        "rolebook-overlay",
        w.close,
        "float:right;margin:0 0 1rem 1rem;font:inherit;padding:.3rem .9rem;background:#fff;color:#200;border:0;border-radius:4px;cursor:pointer",
    ));
    html.push_str("<h2 style=\"margin:0 0 1rem;font-size:1.15rem;color:#ff8a80\">");
    escape(&mut html, w.overlay_title);
    html.push_str("</h2>");
    problem_list(&mut html, errors, lang, "#b9f6ca");
    html.push_str("</div>");
    html
}

/// A banner at the foot of the window listing a page's warnings, with a
/// dismiss button; in the theme's colours (light or dark).
pub fn banner(warnings: &[Diagnostic], lang: MessageLang) -> String {
    let w = words(lang);
    let mut html = String::from(
        "<aside id=\"rolebook-warnings\" role=\"status\" style=\"position:fixed;left:.75rem;right:.75rem;bottom:.75rem;\
z-index:2147483646;max-height:45vh;overflow:auto;max-width:60rem;margin:0 auto;padding:.75rem 1rem;\
background:var(--notice,#fff4ce);color:var(--text,#1f2328);border:1px solid var(--line,#d0c28a);border-radius:6px;\
box-shadow:0 4px 16px rgba(0,0,0,.25);font:13px/1.5 ui-monospace,Menlo,Consolas,monospace;overflow-wrap:anywhere\">",
    );
    html.push_str(&close_button(
        "rolebook-warnings",
        w.close,
        "float:right;margin:0 0 .5rem .75rem;font:inherit;padding:.2rem .8rem;background:transparent;color:inherit;border:1px solid currentColor;border-radius:4px;cursor:pointer",
    ));
    html.push_str("<strong style=\"display:block;margin-bottom:.5rem\">");
    escape(&mut html, &(w.warnings_title)(warnings.len()));
    html.push_str("</strong>");
    problem_list(&mut html, warnings, lang, "inherit");
    html.push_str("</aside>");
    html
}

/// Served while no version of the handbook could be built (a first start
/// with errors, or a page that failed to render): the problems as the page.
pub fn error_page(errors: &[Diagnostic], lang: MessageLang) -> String {
    let w = words(lang);
    let html_lang = match lang {
        MessageLang::En => "en",
        MessageLang::Zh => "zh",
    };
    let mut html = format!(
        "<!DOCTYPE html><html lang=\"{html_lang}\"><head><meta charset=\"utf-8\">\
<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>"
    );
    escape(&mut html, w.failed_title);
    html.push_str(
        "</title></head><body id=\"rolebook-problems\" style=\"margin:0;padding:2rem;background:#1e1414;color:#fff;\
font:14px/1.6 ui-monospace,Menlo,Consolas,monospace;overflow-wrap:anywhere\"><h1 style=\"font-size:1.25rem;margin:0 0 1rem;color:#ff8a80\">",
    );
    escape(&mut html, w.failed_heading);
    html.push_str("</h1>");
    problem_list(&mut html, errors, lang, "#b9f6ca");
    html.push_str("<script src=\"/__rolebook/reload.js\"></script></body></html>");
    html
}

fn escape(out: &mut String, text: &str) {
    let _ = pulldown_cmark_escape::escape_html(out, text);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Code;

    #[test]
    fn maps_paths_and_refuses_traversal() {
        assert_eq!(site_path("/").as_deref(), Some("index.html"));
        assert_eq!(site_path("/en/").as_deref(), Some("en/index.html"));
        assert_eq!(
            site_path("/en/secretary.html?x=1").as_deref(),
            Some("en/secretary.html")
        );
        assert_eq!(
            site_path("/assets/%E5%9B%BE.png").as_deref(),
            Some("assets/图.png")
        );
        for bad in [
            "/../etc/passwd",
            "/en/../../x",
            "/%2e%2e/x",
            "/en%2f..%2fx",
            "/a\\..\\b",
            "/%00",
            "/%zz",
        ] {
            assert_eq!(site_path(bad), None, "{bad}");
        }
    }

    #[test]
    fn injects_script_and_overlay_before_body_end() {
        let d = Diagnostic::error(
            Code::UnknownRoleLink,
            "content/en/a.md",
            "link to unknown role `x`",
        )
        .at(7, 3);
        let html = inject("<html><body><p>hi</p></body></html>", &[d], &[]);
        let script = html.find("/__rolebook/reload.js").unwrap();
        assert!(script < html.find("</body>").unwrap());
        assert!(html.contains("content/en/a.md:7:3"));
        assert!(html.contains("link to unknown role `x`"));
        assert!(html.contains("data-rolebook-close=\"rolebook-overlay\""));
        let clean = inject("<body></body>", &[], &[]);
        assert!(!clean.contains("rolebook-overlay") && !clean.contains("rolebook-warnings"));
    }

    #[test]
    fn panels_speak_the_page_language() {
        let error = Diagnostic::error(
            Code::MissingId,
            "content/zh/a.md",
            "the front matter has no `id`",
        )
        .hint("add a line `id: a` (the same id in every language of this role)");
        let warning = Diagnostic::warning(
            Code::DroppedEmphasis,
            "content/zh/a.md",
            "`**` after `：` does not close the emphasis: readers see `**` and no bold text",
        );
        let zh = inject(
            "<!DOCTYPE html>\n<html lang=\"zh-CN\"><body></body></html>",
            std::slice::from_ref(&error),
            std::slice::from_ref(&warning),
        );
        assert!(zh.contains("front matter 缺少 `id`"), "{zh}");
        assert!(zh.contains("提示：请加一行 `id: a`"), "{zh}");
        assert!(zh.contains("本页有 1 个警告"), "{zh}");
        assert!(zh.contains("`：` 后面的 `**` 无法结束强调"), "{zh}");
        assert!(zh.contains(">关闭</button>"), "{zh}");
        let en = inject("<html lang='en'><body></body></html>", &[error], &[warning]);
        assert!(en.contains("the front matter has no `id`"), "{en}");
        assert!(en.contains("1 warning on this page"), "{en}");
        assert!(en.contains(">Close</button>"), "{en}");
        assert_eq!(page_lang("<html>"), None);
        assert_eq!(page_lang("<HTML LANG=\"zh-Hans\">"), Some(MessageLang::Zh));
        assert_eq!(page_lang("<p>lang=zh</p>"), None);
    }

    #[test]
    fn error_page_lists_the_problems_without_a_version_underneath() {
        let d = Diagnostic::error(
            Code::MissingId,
            "content/zh/a.md",
            "the front matter has no `id`",
        );
        let page = error_page(std::slice::from_ref(&d), MessageLang::Zh);
        assert!(page.contains("<html lang=\"zh\">"), "{page}");
        assert!(page.contains("front matter 缺少 `id`"), "{page}");
        assert!(page.contains("/__rolebook/reload.js"), "{page}");
        assert!(
            !page.contains("上一个正常的版本") && !page.contains("rolebook-overlay"),
            "{page}"
        );
        let page = error_page(&[d], MessageLang::En);
        assert!(!page.contains("last good version"), "{page}");
    }

    #[test]
    fn content_types() {
        assert_eq!(content_type("en/a.html"), "text/html; charset=utf-8");
        assert_eq!(content_type("static/style.css"), "text/css; charset=utf-8");
    }
}
