//! `rolebook build`: checks the handbook and, when it has no errors,
//! renders it into a fresh folder beside the output and swaps that in
//! (see [`crate::output::Staging`]): a failed build leaves the previous
//! output untouched.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::config::Config;
use crate::diagnostic::{self, Diagnostic};
use crate::markdown::RenderedPage;
use crate::{fsutil, load, output, render, Loaded, RenderError};

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
    let chosen = match out {
        Some(_) => output::OutputChoice::Option,
        None => output::OutputChoice::Config,
    };
    let out = output_dir(&config, out);
    output::check_output_dir(&config, &out, chosen).map_err(|d| BuildError::Handbook(vec![d]))?;
    let mut loaded = load(root).map_err(BuildError::Handbook)?;
    if loaded.errors() > 0 {
        return Err(BuildError::Handbook(loaded.diagnostics));
    }
    // The anchor checks are done: writing the site needs no page's set of
    // ids (a fallback page works out the few it needs again). Freed on a
    // thread, they no longer add to the build's peak memory.
    let ids: Vec<_> = loaded
        .rendered
        .iter_mut()
        .filter_map(Arc::get_mut)
        .filter_map(RenderedPage::take_ids)
        .collect();
    std::thread::spawn(move || drop(ids));
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
    let stats = staging.stats();
    let mut clock = crate::timing::Lap::start();
    if let Err(e) = staging.commit() {
        return Err(BuildError::Io(e, diagnostics));
    }
    clock.lap("swap + remove old output");
    if std::env::var_os("ROLEBOOK_TIMINGS").is_some() {
        eprintln!(
            "{:>24}: {} written, {} linked from the previous output",
            "output files", stats.written, stats.linked
        );
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
