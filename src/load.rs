//! Loading: every stage before the templates, as one value.
//!
//! book.toml ─► [`Config`] ─► pages read and parsed (`source`, `frontmatter`)
//! ─► [`Handbook`] (paired) ─► rendered Markdown ─► the check pass. The
//! result, [`Loaded`], holds the validated handbook, each page's rendered
//! Markdown (indexed like `handbook.pages`), the theme, the folders files may
//! be read from, and every problem found. It is built whole and never changed
//! afterwards; rendering reads it.
//!
//! `serve` loads again after every save and hands in its page cache through
//! the small [`Reuse`] hook, so unchanged pages are neither read nor rendered
//! again; `build` and `check` pass [`Fresh`], which keeps nothing.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use crate::config::{self, Config};
use crate::diagnostic::{self, Diagnostic};
use crate::frontmatter::{self, Page};
use crate::handbook::Handbook;
use crate::markdown::{self, LinkTargets, RenderedPage};
use crate::roots::Roots;
use crate::source::{self, Stamp};
use crate::theme::{self, Theme};
use crate::timing::Lap;

/// A handbook read and validated, its Markdown rendered; templates not yet applied.
pub struct Loaded {
    pub root: PathBuf,
    /// The folders files may be read from (see [`crate::roots`]).
    pub roots: Roots,
    pub handbook: Handbook,
    /// The rendered Markdown of `handbook.pages[i]` at index `i`.
    pub rendered: Vec<Arc<RenderedPage>>,
    /// `None` when the theme did not load (its errors are in `diagnostics`).
    pub theme: Option<Theme>,
    /// Every problem found, sorted by file and line.
    pub diagnostics: Vec<Diagnostic>,
    /// Files the handbook adds to the site as they are (see [`crate::extras`]).
    pub extras: Vec<crate::extras::Extra>,
    /// Pages that exist but did not parse: (role id, language, file).
    pub failed_pages: Vec<(String, crate::id::LangId, String)>,
    /// The search index's shared files, made when `serve` is first asked
    /// for one (see [`crate::search::shared_files`]).
    pub search_files: std::sync::OnceLock<std::collections::HashMap<String, Vec<u8>>>,
}

impl Loaded {
    pub fn errors(&self) -> usize {
        diagnostic::count_errors(&self.diagnostics)
    }
}

/// What a load keeps for the next, by root-relative path.
pub type KeptPages = HashMap<String, (Stamp, Kept), foldhash::fast::RandomState>;

/// What a cache kept of one page: what it parsed to (with an empty body), or
/// why it did not parse; and its rendered Markdown with the key of the link
/// targets it was rendered against.
pub struct Kept {
    pub parsed: Result<Page, Vec<Diagnostic>>,
    pub rendered: Option<(u64, Arc<RenderedPage>)>,
}

/// What loading may take from an earlier load (`serve`'s page cache).
pub trait Reuse: Sync {
    /// Whether anything is reused at all: only then are pages stamped and
    /// kept (a `stat` and a copy each).
    fn active(&self) -> bool;
    /// Starts a load of a handbook whose book.toml holds `book`.
    fn start(&mut self, book: &[u8]);
    /// Whether the page at `file` (root-relative) with `stamp` is known, so
    /// that it need not be read.
    fn known(&self, file: &str, stamp: Stamp) -> bool;
    /// Whether the page at `file` is known and, as far as the caller can
    /// tell without a `stat`, unchanged (the preview's watcher saw no change).
    fn trusted(&self, _file: &str) -> bool {
        false
    }
    /// What is kept of a known page.
    fn take(&mut self, file: &str) -> Option<(Stamp, Kept)>;
    /// Replaces what is kept by this load's pages.
    fn keep(&mut self, pages: KeptPages);
    /// The last load's walk of content/ if it still holds for this one
    /// (the preview's watcher reported only edits of files it lists).
    fn walk(&mut self) -> Option<Arc<source::Walk>> {
        None
    }
    /// Keeps this load's walk of content/.
    fn keep_walk(&mut self, _walk: Arc<source::Walk>) {}
}

/// No reuse: every page is read and rendered (`build`, `check`).
pub struct Fresh;

impl Reuse for Fresh {
    fn active(&self) -> bool {
        false
    }
    fn start(&mut self, _: &[u8]) {}
    fn known(&self, _: &str, _: Stamp) -> bool {
        false
    }
    fn take(&mut self, _: &str) -> Option<(Stamp, Kept)> {
        None
    }
    fn keep(&mut self, _: KeptPages) {}
}

/// Reads ROOT, validates it and renders its Markdown; `Err` with the
/// problems when book.toml itself is unusable.
pub fn load(root: &Path) -> Result<Loaded, Vec<Diagnostic>> {
    load_with(root, &mut Fresh)
}

/// [`load`], taking what `reuse` holds for unchanged pages and telling it
/// what this load read.
pub fn load_with(root: &Path, reuse: &mut dyn Reuse) -> Result<Loaded, Vec<Diagnostic>> {
    let config = Config::load(root)?;
    reuse.start(&std::fs::read(root.join(config::CONFIG_FILE)).unwrap_or_default());
    let mut diagnostics = Vec::new();
    let theme_dir = theme::theme_dir(&config);
    let roots = Roots::resolve(root, Some(theme_dir.as_path()).filter(|d| d.is_dir()));
    let theme = match Theme::load(&config) {
        Ok(mut theme) => {
            diagnostics.append(&mut theme.problems);
            Some(theme)
        }
        Err(problems) => {
            diagnostics.extend(problems);
            None
        }
    };
    let (extras, extra_problems) = crate::extras::list(root, &roots, &config);
    diagnostics.extend(extra_problems);
    let mut clock = Lap::start();
    let pages = read_pages(root, &config, reuse, &mut diagnostics);
    clock.lap("read + front matter");
    let (mut handbook, problems) = Handbook::assemble(config, pages.pages);
    diagnostics.extend(problems);
    clock.lap("pairing");
    let (rendered, body_problems) = render_markdown(
        &mut handbook,
        &pages.assets,
        root,
        reuse,
        pages.kept,
        &pages.failed_bodies,
    );
    diagnostics.extend(body_problems);
    clock.lap("markdown");
    for r in &rendered {
        diagnostics.extend(r.problems.iter().cloned());
    }
    diagnostics.extend(crate::check::run(&handbook, &rendered, &pages.failed));
    let theme_files = theme.as_ref().map(|t| &t.static_files);
    diagnostics.extend(crate::extras::collisions(&extras, &|path| {
        crate::render::is_generated(&handbook, theme_files, path)
    }));
    clock.lap("checks");
    diagnostic::sort(&mut diagnostics);
    Ok(Loaded {
        root: root.to_path_buf(),
        roots,
        handbook,
        rendered,
        theme,
        diagnostics,
        extras,
        failed_pages: pages.failed_pages,
        search_files: std::sync::OnceLock::new(),
    })
}

/// The pages of a handbook as parsed, before pairing.
struct ReadPages {
    pages: Vec<Page>,
    /// Files under content/ that are not pages (relative to content/).
    assets: Vec<String>,
    /// Ids of pages that failed to parse (they have their error already).
    failed: HashSet<String>,
    /// The bodies of pages that failed to parse: not part of the handbook,
    /// but their own problems (broken links) are reported too.
    failed_bodies: Vec<Page>,
    /// What the reuse hook is to keep, without rendered Markdown yet.
    kept: KeptPages,
    /// Pages that failed to parse: (role id, language, file).
    failed_pages: Vec<(String, crate::id::LangId, String)>,
}

/// What is known of a page that failed to parse. Boxed, so that the many
/// pages that parse are not moved around with room for it.
struct Failed {
    /// The id written in it, if a line says so.
    id: Option<String>,
    /// Its body, whose own problems are reported too.
    body: Option<Page>,
    /// (role id, language, file), when its id and language can be told.
    identity: Option<(String, crate::id::LangId, String)>,
}

/// Reads and parses every page (each parsed as soon as it is read and its
/// bytes dropped), or takes it from `reuse` when it is unchanged.
fn read_pages(
    root: &Path,
    config: &Config,
    reuse: &mut dyn Reuse,
    diagnostics: &mut Vec<Diagnostic>,
) -> ReadPages {
    let walked = reuse.walk();
    let known = |file: &str, stamp: Option<Stamp>| match stamp {
        Some(stamp) => reuse.known(file, stamp),
        None => reuse.trusted(file),
    };
    let history = crate::history::History::read(root);
    let (sources, problems) = source::load_since(
        root,
        walked,
        reuse.active().then_some(&known as &source::Unchanged),
        &|mut source| {
            // A page whose text is as last committed is dated by that commit.
            if let Some(time) = history.committed(&source.content_path, &source.bytes) {
                source.modified = Some(time);
            }
            let page = frontmatter::parse_page(&mut source, config);
            let failed = page.is_err().then(|| {
                Box::new(Failed {
                    // The id of a page that failed to parse: it already has
                    // its error, so its role is not also "missing a translation".
                    id: frontmatter::guess_id(&source.bytes).map(str::to_string),
                    body: frontmatter::failed_body(&source, config),
                    identity: frontmatter::failed_identity(&source, config)
                        .map(|(id, lang)| (id.to_string(), lang, source.file.clone())),
                })
            });
            (source.file, page, failed)
        },
    );
    diagnostics.extend(problems);
    let keep = reuse.active();
    if keep {
        reuse.keep_walk(sources.walk.clone());
    }
    let mut read = ReadPages {
        pages: Vec::with_capacity(sources.order.len()),
        assets: sources.assets,
        failed: HashSet::new(),
        failed_bodies: Vec::new(),
        kept: KeptPages::with_capacity_and_hasher(
            if keep { sources.order.len() } else { 0 },
            Default::default(),
        ),
        failed_pages: Vec::new(),
    };
    // The pages that were read come in walk order; the others are known.
    let mut fresh = sources.pages.into_iter().peekable();
    for file in &sources.order {
        // A page known without a new stamp keeps the one it had.
        let mut stamp = sources.stamps.get(file).copied();
        let (parsed, rendered) = match fresh.next_if(|(f, _, _)| f == file) {
            Some((_, parsed, failed)) => {
                if let Some(failed) = failed {
                    let Failed { id, body, identity } = *failed;
                    read.failed.extend(id);
                    read.failed_bodies.extend(body);
                    read.failed_pages.extend(identity);
                }
                (parsed, None)
            }
            None => match reuse.take(file) {
                Some((kept_stamp, kept)) => {
                    stamp = stamp.or(Some(kept_stamp));
                    if kept.parsed.is_err() {
                        let (failed_id, failed_body) = reread_failed(root, file, config);
                        read.failed.extend(failed_id);
                        read.failed_bodies.extend(failed_body);
                    }
                    (kept.parsed, kept.rendered)
                }
                None => continue, // could not be read: already reported
            },
        };
        let parsed = match parsed {
            Ok(mut page) => {
                let kept = keep.then(|| Ok(without_body(&mut page)));
                read.pages.push(page);
                kept
            }
            Err(problems) => {
                diagnostics.extend(problems.iter().cloned());
                keep.then_some(Err(problems))
            }
        };
        if let Some(parsed) = parsed {
            let stamp = stamp.unwrap_or(Stamp {
                modified: None,
                len: 0,
            });
            read.kept
                .insert(file.clone(), (stamp, Kept { parsed, rendered }));
        }
    }
    read
}

/// A copy of `page` without its Markdown body (what a cache keeps).
fn without_body(page: &mut Page) -> Page {
    let body = std::mem::take(&mut page.body);
    let copy = page.clone();
    page.body = body;
    copy
}

/// An unchanged page that failed to parse, read again (only then): the id
/// written in it, and its body to check.
fn reread_failed(root: &Path, file: &str, config: &Config) -> (Option<String>, Option<Page>) {
    let Ok(bytes) = std::fs::read(root.join(file)) else {
        return (None, None);
    };
    let source = source::SourceFile {
        file: file.to_string(),
        content_path: file.strip_prefix("content/").unwrap_or(file).to_string(),
        bytes,
        modified: None,
    };
    let id = frontmatter::guess_id(&source.bytes).map(str::to_string);
    (id, frontmatter::failed_body(&source, config))
}

/// Renders every page's Markdown (or takes what `kept` holds when the page
/// and all link targets are unchanged), freeing each body as soon as it is
/// rendered: nothing later reads it, and a large handbook's bodies and HTML
/// would otherwise be held at the same time. Hands `kept`, with the rendered
/// Markdown, to `reuse`. Also renders `failed_bodies` (pages that failed to
/// parse) against the same link targets, keeping only their problems.
fn render_markdown(
    handbook: &mut Handbook,
    assets: &[String],
    root: &Path,
    reuse: &mut dyn Reuse,
    mut kept: KeptPages,
    failed_bodies: &[Page],
) -> (Vec<Arc<RenderedPage>>, Vec<Diagnostic>) {
    // Owned: the pages are rendered (and their bodies dropped) in place below.
    let role_ids: Vec<String> = handbook.roles.iter().map(|r| r.id.to_string()).collect();
    let page_keys: Vec<(String, String, String)> = handbook
        .pages
        .iter()
        .map(|p| (p.content_path.clone(), p.id.to_string(), p.lang.clone()))
        .collect();
    let roles: foldhash::HashSet<&str> = role_ids.iter().map(String::as_str).collect();
    let pages: foldhash::HashMap<&str, (&str, &str)> = page_keys
        .iter()
        .map(|(path, id, lang)| (path.as_str(), (id.as_str(), lang.as_str())))
        .collect();
    // Only a reusing load needs the key.
    let key = if reuse.active() {
        targets_key(&role_ids, &page_keys, assets, handbook.config.allow_html)
    } else {
        0
    };
    let asset_set: foldhash::HashSet<&str> = assets.iter().map(String::as_str).collect();
    let targets = LinkTargets {
        roles: &roles,
        pages: &pages,
        assets: &asset_set,
        allow_html: handbook.config.allow_html,
    };
    let earlier: Vec<Option<Arc<RenderedPage>>> = handbook
        .pages
        .iter()
        .map(
            |page| match kept.get(&page.file).and_then(|k| k.1.rendered.as_ref()) {
                Some((k, r)) if *k == key => Some(r.clone()),
                _ => None,
            },
        )
        .collect();
    let body_problems: Vec<Diagnostic> = failed_bodies
        .par_iter()
        .flat_map_iter(|page| markdown::render(page, &targets).problems)
        .collect();
    let config = &handbook.config;
    let placeholders = crate::check::placeholders::Placeholders::new(config);
    let rendered: Vec<Arc<RenderedPage>> = handbook
        .pages
        .par_iter_mut()
        .zip(earlier)
        .map(|(page, earlier)| {
            let rendered = earlier.unwrap_or_else(|| {
                Arc::new(render_page(page, config, root, &targets, &placeholders))
            });
            page.body = String::new();
            rendered
        })
        .collect();
    if reuse.active() {
        for (page, r) in handbook.pages.iter().zip(&rendered) {
            if let Some(entry) = kept.get_mut(&page.file) {
                entry.1.rendered = Some((key, r.clone()));
            }
        }
        reuse.keep(kept);
    }
    (rendered, body_problems)
}

/// Renders one page's Markdown. A page taken from a cache has no body;
/// when its rendering must be redone (a link target changed), it is read again.
/// The page's own problems include placeholder text left from an archetype.
fn render_page(
    page: &Page,
    config: &Config,
    root: &Path,
    targets: &LinkTargets,
    placeholders: &crate::check::placeholders::Placeholders,
) -> RenderedPage {
    let render = |page: &Page| {
        let mut rendered = markdown::render(page, targets);
        rendered.problems.extend(placeholders.find(page));
        rendered
    };
    if !page.body.is_empty() {
        return render(page);
    }
    let reread = crate::fsutil::read(&root.join(&page.file))
        .ok()
        .and_then(|bytes| {
            let mut source = source::SourceFile {
                file: page.file.clone(),
                content_path: page.content_path.clone(),
                bytes,
                modified: None,
            };
            frontmatter::parse_page(&mut source, config).ok()
        });
    render(reread.as_ref().unwrap_or(page))
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
    sorted_roles.sort_unstable();
    let mut sorted_pages: Vec<&(String, String, String)> = pages.iter().collect();
    sorted_pages.sort_unstable();
    (sorted_roles, sorted_pages, assets, allow_html).hash(&mut hasher);
    hasher.finish()
}
