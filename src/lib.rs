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
pub mod roots;
pub mod scaffold;
pub mod search;
pub mod serve;
pub mod source;
pub mod theme;
mod timing;
pub mod translation;

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use rayon::prelude::*;

use config::Config;
use diagnostic::{Code, Diagnostic};
use handbook::Handbook;
use markdown::{LinkTargets, RenderedPage};
use output::{Sink, Site};
use timing::Lap;

/// A handbook read and validated, its Markdown rendered; templates not yet applied.
pub struct Checked {
    pub root: PathBuf,
    pub handbook: Option<Handbook>,
    pub rendered: Vec<Arc<RenderedPage>>,
    pub theme: Option<theme::Theme>,
    /// The folders files may be read from (see [`roots`]).
    pub roots: roots::Roots,
    /// Every problem found, sorted by file and line.
    pub diagnostics: Vec<Diagnostic>,
}

impl Checked {
    pub fn errors(&self) -> usize {
        diagnostic::count_errors(&self.diagnostics)
    }

    fn failed(root: &Path, diagnostics: Vec<Diagnostic>) -> Checked {
        Checked {
            root: root.to_path_buf(),
            handbook: None,
            rendered: Vec::new(),
            theme: None,
            roots: roots::Roots::resolve(root, None),
            diagnostics,
        }
    }
}

/// Why rendering stopped.
#[derive(Debug)]
pub enum RenderError {
    /// The handbook has errors, or a template failed.
    Handbook,
    /// An output file could not be written.
    Io(fsutil::FsError),
}

/// Runs every check, including rendering every page through the templates
/// (into nothing): what `rolebook check` reports.
pub fn check(root: &Path) -> Checked {
    let mut checked = load(root);
    if checked.errors() == 0 {
        // Discard cannot fail; template problems land in the diagnostics.
        let _ = render(&mut checked, &output::Discard);
    }
    checked
}

/// Builds the site in memory (for `serve`); `None` when the handbook has errors.
pub fn build_in_memory(root: &Path) -> (Option<Site>, Vec<Diagnostic>) {
    let mut checked = load(root);
    let sink = output::MemorySink::default();
    let ok = checked.errors() == 0 && render(&mut checked, &sink).is_ok();
    let site = sink.0.into_inner().unwrap_or_else(|e| e.into_inner());
    (ok.then_some(site), checked.diagnostics)
}

/// Applies the templates and hands every output file to `sink`; returns the
/// number of HTML pages. Template problems are added to `checked.diagnostics`.
pub fn render(checked: &mut Checked, sink: &dyn Sink) -> Result<usize, RenderError> {
    let (Some(handbook), Some(theme)) = (&checked.handbook, &checked.theme) else {
        return Err(RenderError::Handbook);
    };
    if checked.errors() > 0 {
        return Err(RenderError::Handbook);
    }
    let result = render::render_site(handbook, &checked.rendered, theme, sink);
    let pages = match result {
        Ok(pages) => pages,
        Err(render::Failure::Templates(d)) => {
            checked.diagnostics.extend(d);
            diagnostic::sort(&mut checked.diagnostics);
            return Err(RenderError::Handbook);
        }
        Err(render::Failure::Io(e)) => return Err(RenderError::Io(e)),
    };
    copy_assets(&checked.root, &checked.roots, &checked.rendered, sink).map_err(RenderError::Io)?;
    Ok(pages)
}

/// The bytes of output file `path` of a checked handbook, rendered on demand
/// (for `serve`); `None` when the site has no such file.
pub fn render_one(checked: &Checked, path: &str) -> Option<Result<Vec<u8>, Diagnostic>> {
    let (handbook, theme) = (checked.handbook.as_ref()?, checked.theme.as_ref()?);
    if let Some(asset) = path.strip_prefix("assets/") {
        // Only files that pages link to are part of the site.
        checked
            .rendered
            .iter()
            .any(|r| r.assets.iter().any(|a| a == asset))
            .then_some(())?;
        let file = checked.root.join("content").join(asset);
        return Some(checked.roots.read(&file).map_err(|refusal| {
            let why = match refusal {
                roots::Refusal::Io(e) => e.to_string(),
                roots::Refusal::Outside(_) => "it leads outside the handbook".to_string(),
            };
            Diagnostic::error(Code::ReadFailed, format!("content/{asset}"), why)
        }));
    }
    render::render_path(handbook, &checked.rendered, theme, path)
}

/// Reads ROOT, validates it and renders its Markdown: every stage before the templates.
pub fn load(root: &Path) -> Checked {
    load_with(root, &mut PageCache::default())
}

/// What `serve` keeps between rebuilds, per page file: its stamp, what it
/// parsed to (without the Markdown body) and its rendered Markdown. A page
/// whose size and modification time are unchanged is not read again; its
/// rendered Markdown is reused while everything links can point at (role
/// ids, page paths, assets) is unchanged too.
#[derive(Default)]
pub struct PageCache {
    /// Whether to keep anything at all.
    keep: bool,
    /// book.toml as last read; any change there starts afresh.
    book: Vec<u8>,
    pages: HashMap<String, CachedPage>,
}

impl PageCache {
    /// A cache that keeps pages between calls of [`load_with`] (for `serve`).
    /// The default one keeps nothing, so `build` and `check` never hold a
    /// page twice.
    pub fn keeping() -> PageCache {
        PageCache {
            keep: true,
            ..PageCache::default()
        }
    }
}

impl PageCache {
    /// Forgets what is kept for the page at `file` (root-relative), so the
    /// next [`load_with`] reads it again even if its size and modification
    /// time look unchanged (`cp -p`, `rsync -t` and coarse clocks keep them).
    pub fn forget(&mut self, file: &str) {
        self.pages.remove(file);
    }
}

struct CachedPage {
    stamp: source::Stamp,
    /// The parsed page with an empty body, or why it did not parse.
    parsed: Result<frontmatter::Page, Vec<Diagnostic>>,
    /// Rendered Markdown and the link-target key it was rendered against.
    rendered: Option<(u64, Arc<RenderedPage>)>,
}

/// [`load`], reusing what `cache` holds for unchanged files and updating it.
pub fn load_with(root: &Path, cache: &mut PageCache) -> Checked {
    let mut diagnostics = Vec::new();
    let config = match Config::load(root) {
        Ok(c) => c,
        Err(d) => return Checked::failed(root, d),
    };
    let book = std::fs::read(root.join(config::CONFIG_FILE)).unwrap_or_default();
    if book != cache.book {
        *cache = PageCache {
            keep: cache.keep,
            book,
            pages: HashMap::new(),
        };
    }
    let roots = roots::Roots::resolve(
        root,
        Some(theme::theme_dir(&config).as_path()).filter(|d| d.is_dir()),
    );
    let theme = theme::Theme::load(&config)
        .map_err(|d| diagnostics.extend(d))
        .ok()
        .map(|mut t| {
            diagnostics.append(&mut t.problems);
            t
        });
    let known = &cache.pages;
    let mut clock = Lap::start();
    // Each page is parsed as soon as it is read, and its bytes dropped.
    let (sources, problems) = source::load_since(
        root,
        cache
            .keep
            .then_some(&|file: &str, stamp| known.get(file).is_some_and(|c| c.stamp == stamp)),
        &|mut source| {
            let page = frontmatter::parse_page(&mut source, &config);
            // The id of a page that failed to parse: it already has its
            // error, so its role is not also "missing a translation".
            let failed_id = page
                .is_err()
                .then(|| frontmatter::guess_id(&source.bytes).map(str::to_string))
                .flatten();
            (source.file, page, failed_id)
        },
    );
    diagnostics.extend(problems);
    clock.lap("read + front matter");
    let mut failed: HashSet<String> = HashSet::new();
    let mut pages = Vec::with_capacity(sources.order.len());
    let mut fresh = HashMap::new();
    // The pages that were read come in walk order; the others are cached.
    let mut read = sources.pages.into_iter().peekable();
    for file in &sources.order {
        let parsed = read.next_if(|(read_file, _, _)| read_file == file);
        let (result, rendered) = match (parsed, cache.pages.remove(file)) {
            (Some((_, result, failed_id)), _) => {
                failed.extend(failed_id);
                (result, None)
            }
            (None, Some(old)) => (old.parsed, old.rendered),
            (None, None) => continue, // could not be read: already reported
        };
        // `serve` keeps what the page parsed to, without its body.
        let kept = match result {
            Ok(mut page) => {
                let kept = cache.keep.then(|| {
                    let body = std::mem::take(&mut page.body);
                    let kept = page.clone();
                    page.body = body;
                    Ok(kept)
                });
                pages.push(page);
                kept
            }
            Err(d) => {
                diagnostics.extend(d.iter().cloned());
                if let Some(id) = sources
                    .unchanged
                    .contains(file)
                    .then(|| file_id_hint(root, file))
                    .flatten()
                {
                    failed.insert(id);
                }
                cache.keep.then_some(Err(d))
            }
        };
        if let Some(parsed) = kept {
            let stamp = sources.stamps.get(file).copied().unwrap_or(source::Stamp {
                modified: None,
                len: 0,
            });
            fresh.insert(
                file.clone(),
                CachedPage {
                    stamp,
                    parsed,
                    rendered,
                },
            );
        }
    }
    cache.pages = fresh;
    let assets = sources.assets;
    let (handbook, problems) = Handbook::assemble(config, pages);
    clock.lap("pairing");
    diagnostics.extend(problems.into_iter().filter(|d| {
        d.code != "missing-translation"
            || !failed
                .iter()
                .any(|id| d.message.starts_with(&format!("role `{id}` ")))
    }));
    let mut handbook = handbook;
    let rendered = render_markdown(&mut handbook, &assets, root, cache);
    clock.lap("markdown");
    for r in &rendered {
        diagnostics.extend(r.problems.iter().cloned());
    }
    diagnostics.extend(check_anchors(&handbook, &rendered));
    diagnostics.extend(render::org_chart_problems(&handbook));
    clock.lap("anchors");
    diagnostic::sort(&mut diagnostics);
    Checked {
        root: root.to_path_buf(),
        handbook: Some(handbook),
        rendered,
        theme,
        roots,
        diagnostics,
    }
}

/// The id written in an unchanged page that failed to parse (read again only then).
fn file_id_hint(root: &Path, file: &str) -> Option<String> {
    let bytes = std::fs::read(root.join(file)).ok()?;
    frontmatter::guess_id(&bytes).map(str::to_string)
}

/// Renders every page's Markdown (or takes it from `cache` when the page and
/// all link targets are unchanged), freeing each body as soon as it is
/// rendered: nothing later reads it, and a large handbook's bodies and HTML
/// would otherwise be held at the same time.
fn render_markdown(
    handbook: &mut Handbook,
    assets: &[String],
    root: &Path,
    cache: &mut PageCache,
) -> Vec<Arc<RenderedPage>> {
    let role_ids: Vec<String> = handbook.roles.iter().map(|r| r.id.clone()).collect();
    let page_keys: Vec<(String, String, String)> = handbook
        .pages
        .iter()
        .map(|p| (p.content_path.clone(), p.id.clone(), p.lang.clone()))
        .collect();
    let roles: HashSet<&str> = role_ids.iter().map(String::as_str).collect();
    let pages: HashMap<&str, (&str, &str)> = page_keys
        .iter()
        .map(|(path, id, lang)| (path.as_str(), (id.as_str(), lang.as_str())))
        .collect();
    // Only `serve` reuses rendered Markdown, so only it needs the key.
    let key = if cache.keep {
        targets_key(&role_ids, &page_keys, assets, handbook.config.allow_html)
    } else {
        0
    };
    let assets: HashSet<&str> = assets.iter().map(String::as_str).collect();
    let targets = LinkTargets {
        roles: &roles,
        pages: &pages,
        assets: &assets,
        allow_html: handbook.config.allow_html,
    };
    let config = &handbook.config;
    let cached: Vec<Option<Arc<RenderedPage>>> = handbook
        .pages
        .iter()
        .map(|page| {
            match cache
                .pages
                .get(&page.file)
                .and_then(|c| c.rendered.as_ref())
            {
                Some((k, r)) if *k == key => Some(r.clone()),
                _ => None,
            }
        })
        .collect();
    let rendered: Vec<Arc<RenderedPage>> = handbook
        .pages
        .par_iter_mut()
        .zip(cached)
        .map(|(page, cached)| {
            let rendered =
                cached.unwrap_or_else(|| Arc::new(render_page(page, config, root, &targets)));
            page.body = String::new();
            rendered
        })
        .collect();
    if cache.keep {
        for (page, r) in handbook.pages.iter().zip(&rendered) {
            if let Some(entry) = cache.pages.get_mut(&page.file) {
                entry.rendered = Some((key, r.clone()));
            }
        }
    }
    rendered
}

/// Renders one page's Markdown. A page taken from the cache has no body;
/// when its rendering must be redone (a link target changed), it is read again.
fn render_page(
    page: &frontmatter::Page,
    config: &Config,
    root: &Path,
    targets: &LinkTargets,
) -> RenderedPage {
    if !page.body.is_empty() {
        return markdown::render(page, targets);
    }
    let reread = fsutil::read(&root.join(&page.file)).ok().and_then(|bytes| {
        let mut source = source::SourceFile {
            file: page.file.clone(),
            content_path: page.content_path.clone(),
            bytes,
        };
        frontmatter::parse_page(&mut source, config).ok()
    });
    markdown::render(reread.as_ref().unwrap_or(page), targets)
}

/// Identifies everything a page's links can point at: rendered Markdown is
/// reusable only while this is unchanged.
fn targets_key(
    roles: &[String],
    pages: &[(String, String, String)],
    assets: &[String],
    allow_html: bool,
) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    let mut sorted_roles: Vec<&String> = roles.iter().collect();
    sorted_roles.sort();
    let mut sorted_pages: Vec<&(String, String, String)> = pages.iter().collect();
    sorted_pages.sort();
    (sorted_roles, sorted_pages, assets, allow_html).hash(&mut hasher);
    hasher.finish()
}

/// `role:ID#anchor` links whose anchor is not a heading of the page readers land on.
fn check_anchors(handbook: &Handbook, rendered: &[Arc<RenderedPage>]) -> Vec<Diagnostic> {
    let page_problems = |(page, r): (&frontmatter::Page, &Arc<RenderedPage>)| {
        let lang = handbook
            .config
            .languages
            .iter()
            .position(|l| l.key == page.lang)
            .unwrap_or(0);
        let mut problems = Vec::new();
        for link in &r.role_links {
            let (Some(anchor), Some(target)) = (&link.anchor, handbook.role(&link.id)) else {
                continue;
            };
            let (shown, _) = handbook.shown_page(target, lang);
            let headings = &rendered[shown].headings;
            // A page has a handful of headings: a scan is quickest.
            if headings.iter().any(|h| h.id == *anchor) {
                continue;
            }
            let ids: Vec<&str> = headings.iter().map(|h| h.id.as_str()).collect();
            let hint = match diagnostic::did_you_mean(anchor, &ids) {
                Some(best) => format!("did you mean `#{best}`?"),
                None if ids.is_empty() => format!(
                    "{} has no headings; link `role:{}` without an anchor",
                    handbook.pages[shown].file, link.id
                ),
                None => format!(
                    "headings of {}: {}",
                    handbook.pages[shown].file,
                    ids.iter()
                        .take(12)
                        .map(|i| format!("#{i}"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            };
            problems.push(
                Diagnostic::warning(
                    Code::UnknownAnchor,
                    &page.file,
                    format!(
                        "`role:{}#{anchor}`: the `{}` page has no heading with id `{anchor}`",
                        link.id, handbook.pages[shown].lang
                    ),
                )
                .at(link.line, link.column)
                .hint(hint),
            );
        }
        problems
    };
    handbook
        .pages
        .par_iter()
        .zip(rendered)
        .flat_map_iter(page_problems)
        .collect()
}

/// Copies the files under content/ that pages link to into `assets/`,
/// streaming each one (a linked video is never held in memory whole) and only
/// from inside the handbook.
fn copy_assets(
    root: &Path,
    roots: &roots::Roots,
    rendered: &[Arc<RenderedPage>],
    sink: &dyn Sink,
) -> Result<(), fsutil::FsError> {
    let used: std::collections::BTreeSet<&String> =
        rendered.iter().flat_map(|r| &r.assets).collect();
    for asset in used {
        let path = root.join("content").join(asset);
        let mut file = roots.open(&path).map_err(|refusal| fsutil::FsError {
            action: "cannot read",
            source: match refusal {
                roots::Refusal::Io(e) => e,
                roots::Refusal::Outside(_) => std::io::Error::new(
                    std::io::ErrorKind::PermissionDenied,
                    "it leads outside the handbook",
                ),
            },
            path: path.clone(),
        })?;
        sink.put_stream(&format!("assets/{asset}"), &mut |out| {
            std::io::copy(&mut file, out).map(|_| ())
        })?;
    }
    Ok(())
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
    let mut checked = load(root);
    if checked.errors() > 0 {
        return Err(BuildError::Handbook(checked.diagnostics));
    }
    let staging = match output::Staging::new(&out) {
        Ok(s) => s,
        Err(e) => return Err(BuildError::Io(e, checked.diagnostics)),
    };
    // On any failure `staging` is dropped uncommitted: the old output stays.
    let pages = match render(&mut checked, &staging) {
        Ok(pages) => pages,
        Err(RenderError::Handbook) => return Err(BuildError::Handbook(checked.diagnostics)),
        Err(RenderError::Io(e)) => return Err(BuildError::Io(e, checked.diagnostics)),
    };
    let (roles, languages) = checked
        .handbook
        .as_ref()
        .map_or((0, 0), |h| (h.roles.len(), h.config.languages.len()));
    // Freeing a large handbook takes a while and nothing waits for it.
    let (handbook, rendered) = (
        checked.handbook.take(),
        std::mem::take(&mut checked.rendered),
    );
    std::thread::spawn(move || drop((handbook, rendered)));
    if let Err(e) = staging.commit() {
        return Err(BuildError::Io(e, checked.diagnostics));
    }
    let shown = out.strip_prefix(".").map(Path::to_path_buf).unwrap_or(out);
    Ok(BuildReport {
        roles,
        languages,
        pages,
        out: shown,
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
    let checked = load(root);
    let handbook = checked.handbook.ok_or_else(|| {
        MarkError::Handbook(diagnostic::render_human(&checked.diagnostics, root, false))
    })?;
    let role = handbook
        .role(id)
        .ok_or_else(|| MarkError::Handbook(format!("there is no role with id `{id}`")))?;
    let keys = handbook.config.lang_keys().join(", ");
    let lang_index = handbook
        .config
        .languages
        .iter()
        .position(|l| l.key == lang)
        .ok_or_else(|| {
            MarkError::Handbook(format!(
                "language `{lang}` is not declared in book.toml (declared: {keys})"
            ))
        })?;
    if lang_index == 0 {
        return Err(MarkError::Handbook(format!("`{lang}` is the default language: translations are marked against it, not it against itself")));
    }
    let original = handbook.page(role, 0).ok_or_else(|| {
        MarkError::Handbook(format!(
            "role `{id}` has no page in the default language, so there is nothing to mark against"
        ))
    })?;
    let page = handbook
        .page(role, lang_index)
        .ok_or_else(|| MarkError::Handbook(format!("role `{id}` has no `{lang}` page yet")))?;
    let mark = original.fingerprint.clone().unwrap_or_default();
    let path = root.join(&page.file);
    // Write to the page's real file, and only when that lies in the handbook:
    // a page that is a link to a file elsewhere is never written through.
    let real = match checked.roots.open(&path) {
        Ok(_) => path.canonicalize().map_err(|e| fsutil::FsError {
            action: "cannot resolve",
            path: path.clone(),
            source: e,
        })?,
        Err(roots::Refusal::Outside(real)) => {
            return Err(MarkError::Handbook(format!(
                "{} is a link to {}, outside the handbook: refusing to write there",
                page.file,
                real.display()
            )))
        }
        Err(roots::Refusal::Io(e)) => {
            return Err(MarkError::Fs(fsutil::FsError {
                action: "cannot read",
                path,
                source: e,
            }))
        }
    };
    let text = fsutil::read_to_string(&real)?;
    let updated = frontmatter::set_translated_from(&text, &mark)
        .ok_or_else(|| MarkError::Handbook(format!("{} has no front matter", page.file)))?;
    if updated != text {
        fsutil::write_atomic(&real, updated.as_bytes())?;
    }
    Ok((path, mark))
}
