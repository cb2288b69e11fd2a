//! The 404 page: served by the web server for any missing address, at any
//! depth and under any sub-path, so it cannot use relative links. It says
//! its message in every language of the handbook, and a small inline script
//! works out the site's root from the address (the deepest segment followed
//! by one of the site's own top-level folders, else the nearest folder that
//! holds the language chooser), then points each link there. Without the
//! script the links are relative to the site root, which is right for a
//! missing page at the top level.

use serde::Serialize;

use super::Renderer;
use crate::id::LangId;
use crate::route::Route;

/// One language's part of the 404 page.
#[derive(Serialize)]
struct NotFoundLang<'a> {
    key: &'a str,
    html_lang: &'a str,
    title: &'a str,
    /// The language's home, relative to the site root.
    home: String,
    ui: tera::Value,
}

#[derive(Serialize)]
struct NotFoundPage<'a> {
    /// The default language, for `<html lang>` and the `<title>`.
    html_lang: &'a str,
    title: &'a str,
    ui: tera::Value,
    languages: Vec<NotFoundLang<'a>>,
    /// The language chooser, relative to the site root.
    chooser: String,
    /// The site's top-level folders, as a JSON list for the script.
    folders: String,
    inline_css: &'a str,
}

impl Renderer<'_> {
    pub(super) fn not_found(&self) -> tera::TeraResult<tera::Context> {
        let css = self
            .theme
            .static_files
            .get(&Route::Static { file: "style.css" }.path())
            .map_or("", |b| std::str::from_utf8(b).unwrap_or(""));
        let config = &self.handbook.config;
        let languages: Vec<NotFoundLang> = config
            .lang_ids()
            .map(|id| {
                let l = self.lang(id);
                NotFoundLang {
                    key: &l.key,
                    html_lang: &l.html_lang,
                    title: &l.title,
                    home: Route::Home { lang: &l.key }.path(),
                    ui: self.ui[id.index()].clone(),
                }
            })
            .collect();
        let mut folders: Vec<String> = config.lang_keys().iter().map(|k| k.to_string()).collect();
        // The first folder of each kind of file the site has besides pages.
        for route in [
            Route::Parallel {
                id: "x",
                pairing: None,
            },
            Route::Static { file: "x" },
            Route::Asset { path: "x" },
        ] {
            folders.extend(route.path().split('/').next().map(str::to_string));
        }
        let default = self.lang(LangId::DEFAULT);
        tera::Context::from_serialize(&NotFoundPage {
            html_lang: &default.html_lang,
            title: &default.title,
            ui: self.ui[LangId::DEFAULT.index()].clone(),
            languages,
            chooser: Route::Chooser.path(),
            folders: serde_json::to_string(&folders).unwrap_or_default(),
            inline_css: css,
        })
    }
}
