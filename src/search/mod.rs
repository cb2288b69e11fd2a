//! The search index: every top-level section of every page, written at
//! build time as scripts that register themselves, so that search works
//! from file:// (Chromium refuses fetch() there, but loads `<script>`s).
//!
//! Steps, for each page (one role in one language) in order:
//! 1. its sections' text as a result shows it ([`text::section_text`]);
//! 2. the terms of its titles, headings and texts into [`postings`];
//! 3. with the role's other pages, its *role part* `static/search/d<role>.js`
//!    (the role's id and titles in every language, and for each language
//!    each section's id, heading and text), written at once so that the
//!    handbook's text is never all held. One part per role rather than per
//!    page: half the files to create (the cost of a large build), and a
//!    result's other language comes with it.
//!
//! Then the terms, grouped by stem (a word) or by themselves (CJK
//! characters and pairs), sorted and cut into *term parts*
//! `static/search/t<n>.js` of about [`SHARD_BUDGET`] bytes ([`shard`]), and
//! the entry `static/search-index.js`: the languages, where a result leads,
//! and the first key of every term part. A query loads the entry, the term
//! parts of its terms, and the role parts of the results it shows.
//!
//! A handbook whose whole index is under [`ONE_FILE_LIMIT`] gets the entry
//! alone, with every part inside it. BENCHMARKS.md ("Search index (issue
//! 19)") has the sizes at 10,000 roles.

pub mod postings;
pub mod shard;
pub mod text;

use std::sync::Arc;

use rayon::prelude::*;

pub use text::section_text;

use crate::handbook::Handbook;
use crate::markdown::RenderedPage;
use crate::route::Route;
use postings::{Field, Postings};
use text::group;

/// A term part's size to aim at: three of them (a four-character Chinese
/// query) and the role parts of twenty results stay within 300 kB.
pub const SHARD_BUDGET: usize = 30_000;

/// Below this many bytes the index is one file.
pub const ONE_FILE_LIMIT: usize = 300_000;

/// Rendered Markdown above which the index is surely over [`ONE_FILE_LIMIT`]
/// (its text alone is about half the HTML): role parts are then written as
/// they are made instead of held in case they fit in one file.
const SURELY_SHARDED: usize = 2 * ONE_FILE_LIMIT;

/// Where the index's files go: `put(path, bytes)`, from any thread.
pub type Put<'a, E> = dyn Fn(&str, &[u8]) -> Result<(), E> + Sync + 'a;

/// A section in a role part: (id, heading, text).
type SectionText<'a> = (&'a str, &'a str, String);

/// Writes the search index, calling `put(path, bytes)` for each file. The
/// roles are indexed on every core, in runs whose postings are then joined;
/// the build runs this before it renders the pages, so that the postings
/// (tens of megabytes at 10,000 roles) are freed before the pages' memory
/// is taken.
pub fn write_index<E: Send>(
    handbook: &Handbook,
    rendered: &[Arc<RenderedPage>],
    put: &Put<'_, E>,
) -> Result<(), E> {
    let mut clock = crate::timing::Lap::start();
    let markdown: usize = rendered.iter().map(|r| r.html.len()).sum();
    let stream = markdown > SURELY_SHARDED;
    let roles = handbook.roles.len();
    // One run per core: each run's lists have their own unused tails.
    let per_run = roles.div_ceil(rayon::current_num_threads()).max(64);
    let runs: Vec<_> = (0..roles.div_ceil(per_run))
        .into_par_iter()
        .map(|n| {
            let roles = n * per_run..((n + 1) * per_run).min(roles);
            index_roles(handbook, rendered, roles, stream, put)
        })
        .collect();
    let (mut postings, mut held, mut page_bytes) = (None::<Postings>, Vec::new(), 0);
    for run in runs {
        let run = run?;
        match postings.as_mut() {
            Some(first) => first.append(run.postings),
            None => postings = Some(run.postings),
        }
        held.extend(run.held);
        page_bytes += run.bytes;
    }
    let postings = postings.unwrap_or_default();
    clock.lap("(search: roles)");
    let shards = TermParts::cut(&postings);
    clock.lap("(search: term parts cut)");
    let one_file = !stream && shards.bytes + page_bytes < ONE_FILE_LIMIT;
    if one_file {
        let mut parts: Vec<(String, Vec<u8>)> = (0..shards.starts.len())
            .map(|n| (format!("t{n}"), shards.json(&postings, n)))
            .collect();
        parts.append(&mut held);
        return put(
            &Route::SearchIndex.path(),
            &entry(handbook, &shards.firsts(), Some(&parts)),
        );
    }
    put(
        &Route::SearchIndex.path(),
        &entry(handbook, &shards.firsts(), None),
    )?;
    // A term part in memory per core at a time.
    (0..shards.starts.len()).into_par_iter().try_for_each(|n| {
        let name = format!("t{n}");
        let part = wrap(&name, &shards.json(&postings, n));
        put(&Route::SearchPart { name: &name }.path(), &part)
    })?;
    for (name, part) in &held {
        put(&Route::SearchPart { name }.path(), &wrap(name, part))?;
    }
    Ok(())
}

/// What indexing a run of roles made.
struct Run {
    postings: Postings,
    /// Role parts not written yet (the index may be one file).
    held: Vec<(String, Vec<u8>)>,
    /// The role parts' size.
    bytes: usize,
}

/// Indexes `roles`, writing their role parts at once when `stream`.
fn index_roles<E>(
    handbook: &Handbook,
    rendered: &[Arc<RenderedPage>],
    roles: std::ops::Range<usize>,
    stream: bool,
    put: &Put<'_, E>,
) -> Result<Run, E> {
    let mut run = Run {
        postings: Postings::default(),
        held: Vec::new(),
        bytes: 0,
    };
    for role in roles {
        let name = format!("d{role}");
        if stream {
            // Wrapped as it is written: the handbook's text is copied once.
            let mut part = wrap_start(&name);
            index_role(handbook, rendered, &mut run.postings, role, &mut part);
            part.extend_from_slice(WRAP_END);
            run.bytes += part.len();
            put(&Route::SearchPart { name: &name }.path(), &part)?;
        } else {
            let mut part = Vec::new();
            index_role(handbook, rendered, &mut run.postings, role, &mut part);
            run.bytes += part.len();
            run.held.push((name, part));
        }
    }
    Ok(run)
}

/// The files of the index that need every page's terms (the entry and the
/// term parts; not the role parts), by site path: what `serve` keeps for
/// one load, so that a query's parts are not each a whole index build.
pub fn shared_files(
    handbook: &Handbook,
    rendered: &[Arc<RenderedPage>],
) -> std::collections::HashMap<String, Vec<u8>> {
    let files = std::sync::Mutex::new(std::collections::HashMap::new());
    let _ = write_index(handbook, rendered, &|path, bytes| {
        let role_part =
            matches!(Route::parse(path), Some(Route::SearchPart { name }) if name.starts_with('d'));
        if !role_part {
            if let Ok(mut files) = files.lock() {
                files.insert(path.to_string(), bytes.to_vec());
            }
        }
        Ok::<(), ()>(())
    });
    files.into_inner().unwrap_or_default()
}

/// The bytes of one file of the index (for `serve`), `None` if the handbook
/// has no such file. A role part is made alone; the entry and term parts
/// need every page's terms.
pub fn render_file(
    handbook: &Handbook,
    rendered: &[Arc<RenderedPage>],
    route: Route,
) -> Option<Vec<u8>> {
    let role_part = match route {
        Route::SearchPart { name } => name.strip_prefix('d').map(|n| (name, n)),
        _ => None,
    };
    if let Some((name, role)) = role_part {
        let role: usize = role.parse().ok()?;
        handbook.roles.get(role)?;
        let mut part = wrap_start(name);
        index_role(
            handbook,
            rendered,
            &mut Postings::default(),
            role,
            &mut part,
        );
        part.extend_from_slice(WRAP_END);
        return Some(part);
    }
    let found = std::sync::Mutex::new(None);
    let path = route.path();
    let _ = write_index(handbook, rendered, &|p, bytes| {
        if p == path {
            if let Ok(mut found) = found.lock() {
                *found = Some(bytes.to_vec());
            }
        }
        Ok::<(), ()>(())
    });
    found.into_inner().ok().flatten()
}

/// Appends one role's part (JSON) to `out` after recording the terms of
/// its pages (page `role * languages + lang`) in `postings`.
fn index_role(
    handbook: &Handbook,
    rendered: &[Arc<RenderedPage>],
    postings: &mut Postings,
    role_index: usize,
    out: &mut Vec<u8>,
) {
    let role = &handbook.roles[role_index];
    let titles: Vec<&str> = handbook
        .config
        .lang_ids()
        .map(|l| handbook.page_or_fallback(role, l).0.title.as_str())
        .collect();
    let mut buf = String::new();
    let mut sections = Vec::with_capacity(titles.len());
    for (lang, slot) in role.pages.iter().enumerate() {
        let Some(page_index) = *slot else {
            sections.push(None);
            continue;
        };
        postings.start_page((role_index * titles.len() + lang) as u32);
        for title in &titles {
            text::terms(title, &mut buf, &mut |t| postings.add(t, Field::Title, 0));
        }
        let summary = handbook.pages[page_index].summary.as_deref();
        sections.push(Some(index_page(
            &rendered[page_index],
            summary,
            postings,
            &mut buf,
        )));
        postings.end_page();
    }
    let part = RolePart {
        id: role.id.as_str(),
        titles,
        sections,
    };
    // Serialising strings and numbers into memory cannot fail.
    let _ = serde_json::to_writer(out, &part);
}

/// A page's sections as (id, heading, text), their terms recorded.
fn index_page<'a>(
    html: &'a RenderedPage,
    summary: Option<&str>,
    postings: &mut Postings,
    buf: &mut String,
) -> Vec<SectionText<'a>> {
    let mut sections = Vec::with_capacity(html.sections.len());
    for (n, section) in html.sections.iter().enumerate() {
        let part = html.html[section.html_range.clone()].trim_start();
        let mut body = section_text(part, section.level > 0);
        // The summary belongs to the page's first section.
        if let (Some(summary), 0) = (summary, n) {
            body = format!("{} {body}", text::collapse(summary));
        }
        text::terms(&section.heading, buf, &mut |t| {
            postings.add(t, Field::Heading, n)
        });
        text::terms(&body, buf, &mut |t| postings.add(t, Field::Body, n));
        let id = section.id.as_deref().unwrap_or("");
        sections.push((id, section.heading.as_str(), body));
    }
    sections
}

/// What a result shows of a role: `{"id", "titles": [per language],
/// "sections": [per language: [[id, heading, text]] or null]}`.
#[derive(serde::Serialize)]
struct RolePart<'a> {
    id: &'a str,
    titles: Vec<&'a str>,
    sections: Vec<Option<Vec<SectionText<'a>>>>,
}

/// The terms grouped (a word's stem, a CJK key) and sorted, and where
/// each term part starts among the groups.
struct TermParts<'a> {
    /// Runs of terms with one group: (group, term numbers in `order`).
    groups: Vec<(&'a str, std::ops::Range<usize>)>,
    /// Term numbers in [`Postings::terms`], by group, then term.
    order: Vec<usize>,
    starts: Vec<usize>,
    /// Every term part's JSON, in bytes.
    bytes: usize,
}

impl<'a> TermParts<'a> {
    fn cut(postings: &'a Postings) -> TermParts<'a> {
        let terms = &postings.terms;
        let mut keyed: Vec<(&str, &str, usize)> = terms
            .iter()
            .enumerate()
            .map(|(i, (term, _))| (group(term), &**term, i))
            .collect();
        keyed.sort_unstable();
        let order: Vec<usize> = keyed.iter().map(|k| k.2).collect();
        let (mut groups, mut sizes) = (Vec::new(), Vec::new());
        let mut i = 0;
        while i < order.len() {
            let g = keyed[i].0;
            let end = i + keyed[i..].iter().take_while(|k| k.0 == g).count();
            // `"group":{"term":["…","…","…"],…},` (keys need no escaping).
            let size: usize = order[i..end]
                .iter()
                .map(|&t| {
                    terms[t].0.len()
                        + 13
                        + terms[t].1.encoded.iter().map(|d| d.len()).sum::<usize>()
                })
                .sum();
            sizes.push(g.len() + 5 + size);
            groups.push((g, i..end));
            i = end;
        }
        let starts = shard::cut(&sizes, SHARD_BUDGET);
        let bytes = sizes.iter().sum::<usize>() + 2 * starts.len();
        TermParts {
            groups,
            order,
            starts,
            bytes,
        }
    }

    /// The first group key of each part (the first part's is `""`).
    fn firsts(&self) -> Vec<&'a str> {
        let mut firsts: Vec<&str> = self
            .starts
            .iter()
            .map(|&s| self.groups.get(s).map_or("", |g| g.0))
            .collect();
        firsts[0] = "";
        firsts
    }

    /// Term part `n`: `{group: {term: [title, heading, body]}}`.
    fn json(&self, postings: &Postings, n: usize) -> Vec<u8> {
        let end = self.starts.get(n + 1).copied().unwrap_or(self.groups.len());
        let mut out = b"{".to_vec();
        for (i, (g, terms)) in self.groups[self.starts[n]..end].iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            out.extend_from_slice(&group_json(postings, g, &self.order[terms.clone()]));
        }
        out.push(b'}');
        out
    }
}

/// `"group":{"term":["title","heading","body"],…}`.
fn group_json(postings: &Postings, group: &str, terms: &[usize]) -> Vec<u8> {
    let mut out = Vec::new();
    push_json_str(&mut out, group);
    out.extend_from_slice(b":{");
    for (i, &t) in terms.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        let (term, lists) = &postings.terms[t];
        push_json_str(&mut out, term);
        out.extend_from_slice(b":[");
        for (f, list) in lists.encoded.iter().enumerate() {
            if f > 0 {
                out.push(b',');
            }
            // The digits need no escaping.
            out.push(b'"');
            list.write_to(&mut out);
            out.push(b'"');
        }
        out.push(b']');
    }
    out.push(b'}');
    out
}

fn push_json_str(out: &mut Vec<u8>, s: &str) {
    // Writing a string into memory cannot fail.
    let _ = serde_json::to_writer(&mut *out, s);
}

/// A part as a script that registers itself with search.js:
/// `RolebookSearch.add("name",` JSON `);`.
fn wrap(name: &str, json: &[u8]) -> Vec<u8> {
    let mut out = wrap_start(name);
    out.extend_from_slice(json);
    out.extend_from_slice(WRAP_END);
    out
}

fn wrap_start(name: &str) -> Vec<u8> {
    format!("RolebookSearch.add(\"{name}\",").into_bytes()
}

const WRAP_END: &[u8] = b");\n";

/// The entry file: `window.ROLEBOOK_SEARCH={"langs", "page" (a role page's
/// path with {lang} and {id}), "part" (a part's path with {name}), "shards"
/// (the first key of each term part), "parts" (for a one-file index: every
/// part by name)}`.
fn entry(handbook: &Handbook, firsts: &[&str], parts: Option<&[(String, Vec<u8>)]>) -> Vec<u8> {
    let keys: Vec<&str> = handbook
        .config
        .languages
        .iter()
        .map(|l| l.key.as_str())
        .collect();
    let page = Route::Role {
        lang: "{lang}",
        id: "{id}",
    }
    .path();
    let part = Route::SearchPart { name: "{name}" }.path();
    let mut out = b"window.ROLEBOOK_SEARCH={\"langs\":".to_vec();
    let _ = serde_json::to_writer(&mut out, &keys);
    out.extend_from_slice(b",\"page\":");
    push_json_str(&mut out, &page);
    out.extend_from_slice(b",\"part\":");
    push_json_str(&mut out, &part);
    out.extend_from_slice(b",\"shards\":");
    let _ = serde_json::to_writer(&mut out, firsts);
    if let Some(parts) = parts {
        out.extend_from_slice(b",\"parts\":{");
        for (i, (name, json)) in parts.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            push_json_str(&mut out, name);
            out.push(b':');
            out.extend_from_slice(json);
        }
        out.push(b'}');
    }
    out.extend_from_slice(b"};\n");
    out
}
