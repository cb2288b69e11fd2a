//! rolebook: a static-site generator for bilingual role handbooks.
//!
//! The pipeline runs one way, one module per stage, one type per stage:
//!
//! ```text
//! book.toml ─► config (Config) ─► source (SourceFile) ─► frontmatter (Page)
//!           ─► handbook (Handbook: pages paired into roles)
//!           ─► markdown (RenderedPage per page) ─► check (Diagnostic*)
//!              = load (Loaded: all of the above, built whole)
//!           ─► render (every output file to a Sink, through the theme;
//!              paths from route) ─► output (atomic write) | serve (HTTP)
//! ```
//!
//! Every stage reports problems as [`diagnostic::Diagnostic`] values, so one
//! run lists them all. [`check`] runs every stage but writing; [`build`]
//! writes. This file is the facade: the work is in the modules.

pub mod build;
pub mod check;
pub mod compare;
pub mod config;
pub mod dates;
pub mod diagnostic;
pub mod drift;
pub mod extras;
pub mod frontmatter;
pub mod fsutil;
pub mod handbook;
pub mod highlight;
pub mod history;
pub mod id;
pub mod load;
pub mod mark;
pub mod markdown;
pub mod output;
pub mod render;
pub mod roots;
pub mod route;
pub mod scaffold;
pub mod search;
pub mod serve;
pub mod source;
pub mod theme;
mod timing;
pub mod translation;

use std::path::Path;

use diagnostic::Diagnostic;
use output::{Sink, Site};

pub use build::{build, output_dir, BuildError, BuildReport};
pub use load::{load, load_with, Loaded};
pub use mark::{mark_translated, MarkError};

/// Why rendering stopped.
#[derive(Debug)]
pub enum RenderError {
    /// Templates failed (or the theme did not load: its problems are the
    /// handbook's already); the templates' problems.
    Templates(Vec<Diagnostic>),
    /// An output file could not be written.
    Io(fsutil::FsError),
}

/// Applies the templates and hands every output file to `sink`, the files
/// pages link to included; returns the number of HTML pages.
pub fn render(loaded: &Loaded, sink: &dyn Sink) -> Result<usize, RenderError> {
    let Some(theme) = &loaded.theme else {
        return Err(RenderError::Templates(Vec::new()));
    };
    let pages = render::render_site(&loaded.handbook, &loaded.rendered, theme, sink).map_err(
        |failure| match failure {
            render::Failure::Templates(d) => RenderError::Templates(d),
            render::Failure::Io(e) => RenderError::Io(e),
        },
    )?;
    render::assets::copy(loaded, sink).map_err(RenderError::Io)?;
    render::assets::copy_extras(loaded, sink).map_err(RenderError::Io)?;
    Ok(pages)
}

/// Runs every check, including rendering every page through the templates
/// (into nothing): what `rolebook check` reports. `Err` when book.toml is
/// unusable.
pub fn check(root: &Path) -> Result<Loaded, Vec<Diagnostic>> {
    let mut loaded = load(root)?;
    if loaded.errors() == 0 {
        // Nothing is written, so only templates can fail.
        if let Err(RenderError::Templates(problems)) = render(&loaded, &output::Discard) {
            loaded.diagnostics.extend(problems);
            diagnostic::sort(&mut loaded.diagnostics);
        }
    }
    Ok(loaded)
}

/// Builds the site in memory; `None` when the handbook has errors.
pub fn build_in_memory(root: &Path) -> (Option<Site>, Vec<Diagnostic>) {
    let loaded = match load(root) {
        Ok(loaded) => loaded,
        Err(problems) => return (None, problems),
    };
    let sink = output::MemorySink::default();
    let mut diagnostics = loaded.diagnostics.clone();
    let ok = loaded.errors() == 0
        && match render(&loaded, &sink) {
            Ok(_) => true,
            Err(RenderError::Templates(problems)) => {
                diagnostics.extend(problems);
                diagnostic::sort(&mut diagnostics);
                false
            }
            Err(RenderError::Io(_)) => false,
        };
    let site = sink.0.into_inner().unwrap_or_else(|e| e.into_inner());
    (ok.then_some(site), diagnostics)
}
