//! rolebook: a static-site generator for bilingual role handbooks.
//!
//! The pipeline runs one way, one module per stage:
//!
//! ```text
//! book.toml ─► config ─► source (walk content/) ─► frontmatter (Page)
//!           ─► handbook (roles paired by id, validated) ─► markdown (RenderedPage)
//!           ─► render (Site in memory, through the theme) ─► output (atomic write)
//! ```
//!
//! Every stage reports problems as [`diagnostic::Diagnostic`] values, so one run
//! lists them all. [`check`] runs every stage but writing; [`build`] writes.

pub mod config;
pub mod diagnostic;
pub mod frontmatter;
pub mod fsutil;
pub mod handbook;
pub mod markdown;
pub mod output;
pub mod render;
pub mod scaffold;
pub mod search;
pub mod serve;
pub mod source;
pub mod theme;
pub mod translation;

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rayon::prelude::*;

use config::Config;
use diagnostic::Diagnostic;
use handbook::Handbook;
use markdown::{LinkTargets, RenderedPage};
use output::Site;

/// A handbook read, validated and rendered in memory.
pub struct Checked {
    pub handbook: Option<Handbook>,
    pub rendered: Vec<RenderedPage>,
    /// The site, when there were no errors.
    pub site: Option<Site>,
    /// Every problem found, sorted by file and line.
    pub diagnostics: Vec<Diagnostic>,
}

impl Checked {
    pub fn errors(&self) -> usize {
        diagnostic::count_errors(&self.diagnostics)
    }
}

/// Runs every stage but writing: reads ROOT, validates it, renders the site in memory.
pub fn check(root: &Path) -> Checked {
    let mut diagnostics = Vec::new();
    let config = match Config::load(root) {
        Ok(c) => c,
        Err(d) => {
            return Checked {
                handbook: None,
                rendered: Vec::new(),
                site: None,
                diagnostics: d,
            }
        }
    };
    let theme = theme::Theme::load(&config).map_err(|d| diagnostics.extend(d)).ok();
    let (sources, problems) = source::load(root);
    diagnostics.extend(problems);
    let parsed: Vec<_> = sources
        .pages
        .par_iter()
        .map(|s| frontmatter::parse_page(s, &config))
        .collect();
    let mut pages = Vec::with_capacity(parsed.len());
    for p in parsed {
        match p {
            Ok(page) => pages.push(page),
            Err(d) => diagnostics.extend(d),
        }
    }
    let (handbook, problems) = Handbook::assemble(config, pages);
    diagnostics.extend(problems);
    let rendered = render_markdown(&handbook, &sources.assets);
    for r in &rendered {
        diagnostics.extend(r.problems.iter().cloned());
    }
    diagnostics.extend(check_anchors(&handbook, &rendered));
    let mut site = None;
    if diagnostic::count_errors(&diagnostics) == 0 {
        if let Some(theme) = &theme {
            match render::render_site(&handbook, &rendered, theme) {
                Ok(mut s) => {
                    add_assets(&mut s, root, &rendered, &mut diagnostics);
                    site = Some(s);
                }
                Err(d) => diagnostics.extend(d),
            }
        }
    }
    diagnostic::sort(&mut diagnostics);
    Checked {
        handbook: Some(handbook),
        rendered,
        site,
        diagnostics,
    }
}

fn render_markdown(handbook: &Handbook, assets: &[String]) -> Vec<RenderedPage> {
    let roles: HashSet<&str> = handbook.roles.iter().map(|r| r.id.as_str()).collect();
    let pages: HashMap<&str, (&str, &str)> = handbook
        .pages
        .iter()
        .map(|p| (p.content_path.as_str(), (p.id.as_str(), p.lang.as_str())))
        .collect();
    let assets: HashSet<&str> = assets.iter().map(String::as_str).collect();
    let targets = LinkTargets {
        roles: &roles,
        pages: &pages,
        assets: &assets,
        allow_html: handbook.config.allow_html,
    };
    handbook
        .pages
        .par_iter()
        .map(|p| markdown::render(p, &targets))
        .collect()
}

/// `role:ID#anchor` links whose anchor is not a heading of the page readers land on.
fn check_anchors(handbook: &Handbook, rendered: &[RenderedPage]) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    for (page, r) in handbook.pages.iter().zip(rendered) {
        let lang = handbook.config.languages.iter().position(|l| l.key == page.lang).unwrap_or(0);
        for link in &r.role_links {
            let (Some(anchor), Some(target)) = (&link.anchor, handbook.role(&link.id)) else {
                continue;
            };
            let (shown, _) = handbook.shown_page(target, lang);
            let headings = &rendered[shown].headings;
            if headings.iter().any(|h| &h.id == anchor) {
                continue;
            }
            let ids: Vec<&str> = headings.iter().map(|h| h.id.as_str()).collect();
            let hint = match frontmatter::did_you_mean(anchor, &ids) {
                Some(best) => format!("did you mean `#{best}`?"),
                None if ids.is_empty() => format!("{} has no headings; link `role:{}` without an anchor", handbook.pages[shown].file, link.id),
                None => format!("headings of {}: {}", handbook.pages[shown].file, ids.iter().take(12).map(|i| format!("#{i}")).collect::<Vec<_>>().join(", ")),
            };
            problems.push(
                Diagnostic::warning("unknown-anchor", &page.file, format!("`role:{}#{anchor}`: the `{}` page has no heading with id `{anchor}`", link.id, handbook.pages[shown].lang))
                    .at(link.line, link.column)
                    .hint(hint),
            );
        }
    }
    problems
}

fn add_assets(site: &mut Site, root: &Path, rendered: &[RenderedPage], problems: &mut Vec<Diagnostic>) {
    let used: std::collections::BTreeSet<&String> = rendered.iter().flat_map(|r| &r.assets).collect();
    for asset in used {
        let path = root.join("content").join(asset);
        match fsutil::read(&path) {
            Ok(bytes) => site.insert(format!("assets/{asset}"), bytes),
            Err(e) => problems.push(Diagnostic::error("read-failed", format!("content/{asset}"), e.to_string())),
        }
    }
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
    let checked = check(root);
    let (Some(site), Some(handbook)) = (&checked.site, &checked.handbook) else {
        return Err(BuildError::Handbook(checked.diagnostics));
    };
    if let Err(e) = output::write_site(site, &out) {
        return Err(BuildError::Io(e, checked.diagnostics));
    }
    let languages = handbook.config.languages.len();
    Ok(BuildReport {
        roles: handbook.roles.len(),
        languages,
        pages: site.files.keys().filter(|p| p.ends_with(".html")).count(),
        out,
        elapsed: start.elapsed(),
        diagnostics: checked.diagnostics,
    })
}

/// Why `mark-translated` could not mark a page.
#[derive(Debug, thiserror::Error)]
pub enum MarkError {
    #[error("{0}")]
    Handbook(String),
    #[error(transparent)]
    Fs(#[from] fsutil::FsError),
}

/// Records in role `id`'s `lang` page that it is a translation of the current
/// default-language page, editing only its `translated_from:` line.
/// Returns the file changed and the fingerprint written.
pub fn mark_translated(root: &Path, id: &str, lang: &str) -> Result<(PathBuf, String), MarkError> {
    let checked = check(root);
    let handbook = checked.handbook.ok_or_else(|| {
        MarkError::Handbook(diagnostic::render_human(&checked.diagnostics, root, false))
    })?;
    let role = handbook.role(id).ok_or_else(|| MarkError::Handbook(format!("there is no role with id `{id}`")))?;
    let keys = handbook.config.lang_keys().join(", ");
    let lang_index = handbook
        .config
        .languages
        .iter()
        .position(|l| l.key == lang)
        .ok_or_else(|| MarkError::Handbook(format!("language `{lang}` is not declared in book.toml (declared: {keys})")))?;
    if lang_index == 0 {
        return Err(MarkError::Handbook(format!("`{lang}` is the default language: translations are marked against it, not it against itself")));
    }
    let original = handbook.page(role, 0).ok_or_else(|| {
        MarkError::Handbook(format!("role `{id}` has no page in the default language, so there is nothing to mark against"))
    })?;
    let page = handbook
        .page(role, lang_index)
        .ok_or_else(|| MarkError::Handbook(format!("role `{id}` has no `{lang}` page yet")))?;
    let mark = translation::fingerprint(original);
    let path = root.join(&page.file);
    let text = fsutil::read_to_string(&path)?;
    let updated = translation::set_translated_from(&text, &mark)
        .ok_or_else(|| MarkError::Handbook(format!("{} has no front matter", page.file)))?;
    if updated != text {
        fsutil::write(&path, updated.as_bytes())?;
    }
    Ok((path, mark))
}
