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

pub mod check;
pub mod config;
pub mod diagnostic;
pub mod frontmatter;
pub mod fsutil;
pub mod handbook;
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

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use config::Config;
use diagnostic::Diagnostic;
use output::{Sink, Site};

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

/// What a successful build did, for the summary line.
#[derive(Debug)]
pub struct BuildReport {
    pub roles: usize,
    pub languages: usize,
    pub pages: usize,
    pub out: PathBuf,
    pub elapsed: Duration,
    pub diagnostics: Vec<Diagnostic>,
}

impl BuildReport {
    /// `built 10 roles in 2 languages (45 pages) in 41 ms -> public/`
    pub fn summary(&self) -> String {
        format!(
            "built {} roles in {} languages ({} pages) in {} ms -> {}",
            self.roles,
            self.languages,
            self.pages,
            self.elapsed.as_millis(),
            self.out.display()
        )
    }
}

/// Why a build wrote nothing.
#[derive(Debug)]
pub enum BuildError {
    /// Problems in the handbook (exit code 1).
    Handbook(Vec<Diagnostic>),
    /// Could not write the output (exit code 2).
    Io(fsutil::FsError, Vec<Diagnostic>),
}

/// The output folder for ROOT: `--out` if given, else book.toml's `[build] output` under ROOT.
pub fn output_dir(config: &Config, out: Option<&Path>) -> PathBuf {
    match out {
        Some(o) => o.to_path_buf(),
        None => config.root.join(&config.output),
    }
}

/// Checks ROOT and, when it has no errors, writes the site to the output folder.
pub fn build(root: &Path, out: Option<&Path>) -> Result<BuildReport, BuildError> {
    let start = Instant::now();
    let config = Config::load(root).map_err(BuildError::Handbook)?;
    let out = output_dir(&config, out);
    output::check_output_dir(&config, &out).map_err(|d| BuildError::Handbook(vec![d]))?;
    let loaded = load(root).map_err(BuildError::Handbook)?;
    if loaded.errors() > 0 {
        return Err(BuildError::Handbook(loaded.diagnostics));
    }
    let staging = match output::Staging::new(&out) {
        Ok(s) => s,
        Err(e) => return Err(BuildError::Io(e, loaded.diagnostics)),
    };
    // On any failure `staging` is dropped uncommitted: the old output stays.
    let pages = match render(&loaded, &staging) {
        Ok(pages) => pages,
        Err(RenderError::Templates(mut problems)) => {
            problems.extend(loaded.diagnostics);
            diagnostic::sort(&mut problems);
            return Err(BuildError::Handbook(problems));
        }
        Err(RenderError::Io(e)) => return Err(BuildError::Io(e, loaded.diagnostics)),
    };
    let (roles, languages) = (
        loaded.handbook.roles.len(),
        loaded.handbook.config.languages.len(),
    );
    let Loaded {
        handbook,
        rendered,
        diagnostics,
        ..
    } = loaded;
    // Freeing a large handbook takes a while and nothing waits for it.
    std::thread::spawn(move || drop((handbook, rendered)));
    if let Err(e) = staging.commit() {
        return Err(BuildError::Io(e, diagnostics));
    }
    let shown = out.strip_prefix(".").map(Path::to_path_buf).unwrap_or(out);
    Ok(BuildReport {
        roles,
        languages,
        pages,
        out: shown,
        elapsed: start.elapsed(),
        diagnostics,
    })
}
