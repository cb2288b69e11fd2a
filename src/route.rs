//! Routing: every output file a handbook has, its path in the site, the
//! relative link to it from any other output, and the way back from a
//! request path (for `serve`).
//!
//! No other code spells an output path. Every page lies at most one folder
//! deep (`index.html`, `en/secretary.html`, `parallel/secretary.html`), so a
//! relative link is the target's path behind one `../` per folder of the page
//! it is written in: the site works under any sub-path and over `file://`.

/// One output file of a handbook. Language keys and role ids are the
/// validated ones of the handbook (they hold no `/` or `.`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Route<'a> {
    /// `index.html`: the language chooser.
    Chooser,
    /// `<lang>/index.html`: roles by department, org chart.
    Home { lang: &'a str },
    /// `<lang>/<id>.html`.
    Role { lang: &'a str, id: &'a str },
    /// `parallel/<id>.html` pairs the default language with the first other
    /// one (`pairing: None`); `parallel/<id>.<lang>.html` with a further one.
    Parallel {
        id: &'a str,
        pairing: Option<&'a str>,
    },
    /// `<lang>/<id>.parallel.html`: the side-by-side page of the default
    /// language and `lang`, in `lang`'s words, for readers who come from
    /// `lang`'s pages. Role ids hold no `.`, so no role page can take its path.
    ParallelIn { lang: &'a str, id: &'a str },
    /// `<lang>/translations.html`.
    Translations { lang: &'a str },
    /// `<lang>/changes.html`: "What's new", the roles by effective date.
    Changes { lang: &'a str },
    /// `manifest.json`: every role page with its version and fingerprint.
    Manifest,
    /// `<lang>/print.html`: the handbook in one language as one document to
    /// print (or, for a large handbook, the index of its parts);
    /// `<lang>/print.<n>.html`: part `n` (from 1). Role ids hold no `.`, so
    /// no role page can take a part's path.
    Print { lang: &'a str, part: Option<usize> },
    /// `parallel/print.html` (and `parallel/print.<n>.html`): the print
    /// book of the default language and the first other one, side by side.
    ParallelPrint { part: Option<usize> },
    /// `404.html`.
    NotFound,
    /// `sitemap.xml`.
    Sitemap,
    /// `static/search-index.js`: the search index's entry (the whole index
    /// for a small handbook).
    SearchIndex,
    /// `static/search/<name>.js`: a part of a sharded search index, `t<n>`
    /// (terms, shard `n`) or `d<n>` (the sections of role `n`).
    SearchPart { name: &'a str },
    /// `static/nav.<lang>.js`: the sidebar's list of every role of a language.
    Navigation { lang: &'a str },
    /// `static/<file>`: a file of the theme.
    Static { file: &'a str },
    /// `assets/<path>`: a file from content/ that a page links to.
    Asset { path: &'a str },
}

/// The search index's path.
pub const SEARCH_INDEX: &str = "static/search-index.js";

/// The folder of a sharded search index's parts, and the suffix of each.
pub const SEARCH_PARTS: (&str, &str) = ("static/search/", ".js");

/// Whether `name` can name a search index's part: `t` or `d`, then a number.
pub fn is_search_part(name: &str) -> bool {
    let digits = name.strip_prefix(['t', 'd']).unwrap_or("");
    !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())
}

impl<'a> Route<'a> {
    /// The side-by-side page pairing the default language with language
    /// number `other` of `langs` (keys in book.toml order, default first).
    pub fn parallel(langs: &[&'a str], id: &'a str, other: usize) -> Route<'a> {
        let pairing = (other > 1).then(|| langs.get(other).copied()).flatten();
        Route::Parallel { id, pairing }
    }

    /// The side-by-side page of the default language and language number
    /// `other` of `langs`, in the words of language number `reader` (the
    /// default one or `other`).
    pub fn parallel_for(langs: &[&'a str], id: &'a str, other: usize, reader: usize) -> Route<'a> {
        match langs.get(reader) {
            Some(lang) if reader > 0 => Route::ParallelIn { lang, id },
            _ => Route::parallel(langs, id, other),
        }
    }

    /// The file's path in the site, `/`-separated, without a leading `/`.
    pub fn path(&self) -> String {
        let mut path = String::new();
        self.write_path(&mut path);
        path
    }

    /// Appends the file's path to `out`. Built piece by piece rather than
    /// with `write!`: this runs for every link of every page.
    fn write_path(&self, out: &mut String) {
        let mut put = |pieces: &[&str]| {
            out.reserve(pieces.iter().map(|p| p.len()).sum());
            pieces.iter().for_each(|p| out.push_str(p));
        };
        let number;
        match *self {
            Route::Chooser => put(&["index.html"]),
            Route::Home { lang } => put(&[lang, "/index.html"]),
            Route::Role { lang, id } => put(&[lang, "/", id, ".html"]),
            Route::Parallel { id, pairing: None } => put(&["parallel/", id, ".html"]),
            Route::Parallel {
                id,
                pairing: Some(lang),
            } => put(&["parallel/", id, ".", lang, ".html"]),
            Route::ParallelIn { lang, id } => put(&[lang, "/", id, ".parallel.html"]),
            Route::Translations { lang } => put(&[lang, "/translations.html"]),
            Route::Changes { lang } => put(&[lang, "/changes.html"]),
            Route::Manifest => put(&["manifest.json"]),
            Route::Print { lang, part: None } => put(&[lang, "/print.html"]),
            Route::Print {
                lang,
                part: Some(n),
            } => {
                number = n.to_string();
                put(&[lang, "/print.", &number, ".html"])
            }
            Route::ParallelPrint { part: None } => put(&["parallel/print.html"]),
            Route::ParallelPrint { part: Some(n) } => {
                number = n.to_string();
                put(&["parallel/print.", &number, ".html"])
            }
            Route::NotFound => put(&["404.html"]),
            Route::Sitemap => put(&["sitemap.xml"]),
            Route::SearchIndex => put(&[SEARCH_INDEX]),
            Route::SearchPart { name } => put(&[SEARCH_PARTS.0, name, SEARCH_PARTS.1]),
            Route::Navigation { lang } => put(&["static/nav.", lang, ".js"]),
            Route::Static { file } => put(&["static/", file]),
            Route::Asset { path } => put(&["assets/", path]),
        }
    }

    /// How many folders deep the file lies (0 or 1; assets may lie deeper).
    fn depth(&self) -> usize {
        match *self {
            Route::Chooser | Route::NotFound | Route::Sitemap | Route::Manifest => 0,
            Route::SearchPart { .. } => 2,
            Route::Asset { path } => 1 + path.matches('/').count(),
            Route::Static { file } => 1 + file.matches('/').count(),
            _ => 1,
        }
    }

    /// The folder the file lies in (`""` at the top; for a page one folder deep).
    fn folder(&self) -> Option<&'a str> {
        match *self {
            Route::Home { lang }
            | Route::Role { lang, .. }
            | Route::ParallelIn { lang, .. }
            | Route::Translations { lang }
            | Route::Changes { lang }
            | Route::Print { lang, .. } => Some(lang),
            Route::Parallel { .. } | Route::ParallelPrint { .. } => Some("parallel"),
            Route::Chooser | Route::NotFound | Route::Sitemap | Route::Manifest => Some(""),
            _ => None,
        }
    }

    /// The shortest relative link to this file from a page at `from`: the
    /// bare file name within one folder, else through the site's root.
    pub fn href_from(&self, from: &Route) -> String {
        let same_folder = self.folder().is_some() && self.folder() == from.folder();
        if same_folder && self.depth() == 1 {
            let mut path = self.path();
            if let Some(slash) = path.find('/') {
                path.drain(..=slash);
            }
            return path;
        }
        self.href_via_root(from)
    }

    /// The relative link to this file from a page at `from` through the
    /// site's root (`../en/index.html` even from `en/clerk.html`).
    pub fn href_via_root(&self, from: &Route) -> String {
        let mut href = String::with_capacity(64);
        href.push_str(from.root_href());
        self.write_path(&mut href);
        href
    }

    /// The relative link to the site's root folder from this file (`../` or ``).
    pub fn root_href(&self) -> &'static str {
        match self.depth() {
            0 => "",
            _ => "../",
        }
    }

    /// Which output a request path names, by its shape alone (whether the
    /// language or role exists is the caller's question). `None` for a path
    /// no handbook has.
    pub fn parse(path: &'a str) -> Option<Route<'a>> {
        let part = path
            .strip_prefix(SEARCH_PARTS.0)
            .and_then(|p| p.strip_suffix(SEARCH_PARTS.1));
        if let Some(name) = part.filter(|name| is_search_part(name)) {
            return Some(Route::SearchPart { name });
        }
        if let Some(file) = path.strip_prefix("static/") {
            let nav = file
                .strip_prefix("nav.")
                .and_then(|f| f.strip_suffix(".js"));
            return Some(match nav {
                _ if path == SEARCH_INDEX => Route::SearchIndex,
                Some(lang) if !lang.contains(['/', '.']) => Route::Navigation { lang },
                _ => Route::Static { file },
            });
        }
        if let Some(path) = path.strip_prefix("assets/") {
            return Some(Route::Asset { path });
        }
        let parts: Vec<&str> = path.split('/').collect();
        Some(match parts.as_slice() {
            ["index.html"] => Route::Chooser,
            ["404.html"] => Route::NotFound,
            ["sitemap.xml"] => Route::Sitemap,
            ["manifest.json"] => Route::Manifest,
            ["parallel", file] if file.starts_with("print.") => Route::ParallelPrint {
                part: print_part(file)?,
            },
            [lang, file] if file.starts_with("print.") => Route::Print {
                lang,
                part: print_part(file)?,
            },
            ["parallel", file] => match file.strip_suffix(".html")?.split_once('.') {
                Some((id, lang)) => Route::Parallel {
                    id,
                    pairing: Some(lang),
                },
                None => Route::Parallel {
                    id: file.strip_suffix(".html")?,
                    pairing: None,
                },
            },
            [lang, "index.html"] => Route::Home { lang },
            [lang, "translations.html"] => Route::Translations { lang },
            [lang, "changes.html"] => Route::Changes { lang },
            [lang, file] if file.ends_with(".parallel.html") => Route::ParallelIn {
                lang,
                id: file.strip_suffix(".parallel.html")?,
            },
            [lang, file] => Route::Role {
                lang,
                id: file.strip_suffix(".html")?,
            },
            _ => return None,
        })
    }
}

/// The part a print book's file name names: `Some(None)` for `print.html`,
/// `Some(Some(n))` for `print.<n>.html` (n from 1, no leading zero).
fn print_part(file: &str) -> Option<Option<usize>> {
    if file == "print.html" {
        return Some(None);
    }
    let n = file.strip_prefix("print.")?.strip_suffix(".html")?;
    let plain = !n.is_empty() && !n.starts_with('0') && n.bytes().all(|b| b.is_ascii_digit());
    plain.then(|| n.parse().ok().map(Some)).flatten()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_route_parses_back_from_its_path() {
        let routes = [
            Route::Chooser,
            Route::Home { lang: "en" },
            Route::Role {
                lang: "zh",
                id: "secretary",
            },
            Route::Parallel {
                id: "secretary",
                pairing: None,
            },
            Route::Parallel {
                id: "secretary",
                pairing: Some("fr"),
            },
            Route::ParallelIn {
                lang: "zh",
                id: "secretary",
            },
            Route::Translations { lang: "zh" },
            Route::Changes { lang: "zh" },
            Route::Manifest,
            Route::NotFound,
            Route::Sitemap,
            Route::SearchIndex,
            Route::SearchPart { name: "t12" },
            Route::SearchPart { name: "d0" },
            Route::Navigation { lang: "zh" },
            Route::Print {
                lang: "zh",
                part: None,
            },
            Route::Print {
                lang: "en",
                part: Some(12),
            },
            Route::ParallelPrint { part: None },
            Route::ParallelPrint { part: Some(3) },
            Route::Static { file: "style.css" },
            Route::Asset {
                path: "en/img/chart.svg",
            },
        ];
        for route in routes {
            let path = route.path();
            assert_eq!(Route::parse(&path), Some(route), "{path}");
        }
    }

    #[test]
    fn links_are_relative_to_the_page_they_are_written_in() {
        let role = Route::Role {
            lang: "en",
            id: "clerk",
        };
        assert_eq!(role.href_from(&Route::Chooser), "en/clerk.html");
        assert_eq!(
            role.href_from(&Route::Home { lang: "zh" }),
            "../en/clerk.html"
        );
        assert_eq!(role.href_from(&Route::Home { lang: "en" }), "clerk.html");
        assert_eq!(
            role.href_via_root(&Route::Home { lang: "en" }),
            "../en/clerk.html"
        );
        assert_eq!(
            Route::Asset { path: "en/a.png" }.href_from(&role),
            "../assets/en/a.png"
        );
        assert_eq!(Route::NotFound.root_href(), "");
        assert_eq!(role.root_href(), "../");
    }

    #[test]
    fn the_first_other_language_pairs_on_the_short_path() {
        let langs = ["en", "zh", "fr"];
        assert_eq!(Route::parallel(&langs, "x", 1).path(), "parallel/x.html");
        assert_eq!(Route::parallel(&langs, "x", 2).path(), "parallel/x.fr.html");
    }

    #[test]
    fn paths_no_handbook_has_are_refused() {
        for path in [
            "",
            "a/b/c.html",
            "en/",
            "parallel/x.txt",
            "en/x.txt",
            "en/print.0.html",
        ] {
            assert_eq!(Route::parse(path), None, "{path}");
        }
    }

    #[test]
    fn print_books_lie_beside_the_pages_they_print() {
        let book = Route::Print {
            lang: "zh",
            part: None,
        };
        assert_eq!(book.path(), "zh/print.html");
        assert_eq!(
            Route::Print {
                lang: "zh",
                part: Some(2)
            }
            .href_from(&book),
            "print.2.html"
        );
        assert_eq!(book.root_href(), "../");
        let both = Route::ParallelPrint { part: None };
        assert_eq!(both.path(), "parallel/print.html");
        assert_eq!(
            Route::ParallelPrint { part: Some(4) }.path(),
            "parallel/print.4.html"
        );
        // Not a side-by-side page of a role `print` (a reserved id) paired
        // with a language `2`, nor a role page `print.x`.
        assert_eq!(
            Route::parse("parallel/print.2.html"),
            Some(Route::ParallelPrint { part: Some(2) })
        );
        for path in [
            "en/print.x.html",
            "en/print.02.html",
            "parallel/print..html",
        ] {
            assert_eq!(Route::parse(path), None, "{path}");
        }
    }
}
