//! Files the handbook adds to its site as they are: everything under
//! `static/` in the handbook folder, copied to the same place under the
//! output root (a `web.config`, a `robots.txt`, the company's fonts), and
//! the `[branding] logo` (as `static/brand/logo.<ext>`). Only files whose real
//! path is inside the handbook are taken; a file that would take the place
//! of one rolebook writes is a `static-collision` error, so nothing is
//! silently overwritten either way.

use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use crate::config::Config;
use crate::diagnostic::{Code, Diagnostic};
use crate::roots::Roots;

/// The folder under ROOT whose files are copied verbatim.
pub const STATIC_DIR: &str = "static";

/// One file to copy into the site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Extra {
    /// Where it is read from.
    pub source: PathBuf,
    /// Its path in the site (`web.config`, `static/brand/logo.svg`).
    pub output: String,
    /// Its path relative to the handbook folder, for messages.
    pub file: String,
}

/// Where the logo goes in the site.
pub fn logo_path(config: &Config) -> Option<String> {
    let ext = config.branding.logo.as_ref()?.extension()?.to_str()?;
    Some(format!("static/brand/logo.{}", ext.to_ascii_lowercase()))
}

/// Every extra file of the handbook at `root`, and the problems met
/// (a missing logo, a link that leads outside).
pub fn list(root: &Path, roots: &Roots, config: &Config) -> (Vec<Extra>, Vec<Diagnostic>) {
    let mut extras = Vec::new();
    let mut problems = Vec::new();
    let dir = root.join(STATIC_DIR);
    if dir.is_dir() {
        for entry in WalkDir::new(&dir).follow_links(true).sort_by_file_name() {
            let Ok(entry) = entry else { continue };
            if !entry.file_type().is_file() {
                continue;
            }
            let Ok(relative) = entry.path().strip_prefix(&dir) else {
                continue;
            };
            let hidden = relative.components().any(|c| {
                c.as_os_str()
                    .to_str()
                    .is_none_or(crate::source::is_ignored_name)
            });
            let Some(output) = relative.to_str().filter(|_| !hidden) else {
                continue;
            };
            let file = format!("{STATIC_DIR}/{}", output.replace('\\', "/"));
            if !roots.contains(entry.path()) {
                problems.push(
                    Diagnostic::warning(
                        Code::OutsideHandbook,
                        &file,
                        "this file is a link to a file outside the handbook: it is not copied",
                    )
                    .hint("copy the file into static/ instead of linking it"),
                );
                continue;
            }
            extras.push(Extra {
                source: entry.path().to_path_buf(),
                output: output.replace('\\', "/"),
                file,
            });
        }
    }
    if let (Some(logo), Some(output)) = (&config.branding.logo, logo_path(config)) {
        let source = root.join(logo);
        let file = logo.display().to_string();
        if roots.contains(&source) && source.is_file() {
            extras.push(Extra {
                source,
                output,
                file,
            });
        } else {
            problems.push(
                Diagnostic::error(
                    Code::ConfigInvalid,
                    crate::config::CONFIG_FILE,
                    format!("[branding] logo `{file}` is not a file in the handbook folder"),
                )
                .hint("put the logo file in the handbook folder and give its path relative to book.toml"),
            );
        }
    }
    (extras, problems)
}

/// A `static-collision` error for each extra file that would take the
/// place of a file rolebook writes (`generated` says which paths those are).
pub fn collisions(extras: &[Extra], generated: &dyn Fn(&str) -> bool) -> Vec<Diagnostic> {
    extras
        .iter()
        .filter(|e| generated(&e.output) || e.output == crate::output::MARKER)
        .map(|e| {
            Diagnostic::error(
                Code::StaticCollision,
                &e.file,
                format!("`{}` would replace a file rolebook writes to the site", e.output),
            )
            .hint("rename or move the file: static/ is copied to the site's root as it is, next to the generated pages")
        })
        .collect()
}
