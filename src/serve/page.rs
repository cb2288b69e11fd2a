//! Pure parts of the preview server: mapping request paths to site files,
//! content types, and what is added to served HTML (the reload script and the
//! error overlay). None of this ever reaches `rolebook build` output.

use crate::diagnostic::{Diagnostic, Severity};

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

/// Adds the reload script, and the overlay when the last rebuild failed, to an HTML page.
pub fn inject(html: &str, errors: &[Diagnostic]) -> String {
    let mut extra = String::from("<script src=\"/__rolebook/reload.js\"></script>");
    if !errors.is_empty() {
        extra.push_str(&overlay(errors));
    }
    match html.rfind("</body>") {
        Some(i) => format!("{}{extra}{}", &html[..i], &html[i..]),
        None => format!("{html}{extra}"),
    }
}

/// A fixed panel listing the problems (file:line:column, message, hint).
pub fn overlay(errors: &[Diagnostic]) -> String {
    let mut html = String::from(
        "<div id=\"rolebook-overlay\" role=\"alert\" style=\"position:fixed;inset:0;z-index:2147483647;overflow:auto;\
background:rgba(20,10,10,.94);color:#fff;font:14px/1.5 ui-monospace,Menlo,Consolas,monospace;padding:2rem\">\
<h2 style=\"margin:0 0 1rem;color:#ff8a80\">rolebook: the handbook has problems, showing the last good version underneath</h2><ol>",
    );
    for d in errors {
        html.push_str("<li style=\"margin-bottom:1rem\"><strong>");
        escape(&mut html, &format!("{}:{}:{}", d.file, d.line, d.column));
        html.push_str("</strong> ");
        let severity = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        };
        escape(&mut html, &format!("{severity}[{}]: {}", d.code, d.message));
        if let Some(hint) = &d.hint {
            html.push_str("<br><span style=\"color:#b9f6ca\">help: ");
            escape(&mut html, hint);
            html.push_str("</span>");
        }
        html.push_str("</li>");
    }
    html.push_str("</ol></div>");
    html
}

/// Served when no build has succeeded yet.
pub fn error_page(errors: &[Diagnostic]) -> String {
    inject("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>rolebook: build failed</title></head><body></body></html>", errors)
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
        let html = inject("<html><body><p>hi</p></body></html>", &[d]);
        let script = html.find("/__rolebook/reload.js").unwrap();
        assert!(script < html.find("</body>").unwrap());
        assert!(html.contains("content/en/a.md:7:3"));
        assert!(html.contains("link to unknown role `x`"));
        assert!(!inject("<body></body>", &[]).contains("rolebook-overlay"));
    }

    #[test]
    fn content_types() {
        assert_eq!(content_type("en/a.html"), "text/html; charset=utf-8");
        assert_eq!(content_type("static/style.css"), "text/css; charset=utf-8");
    }
}
