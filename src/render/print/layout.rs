//! How a print book is cut into parts by department, and where each role's
//! links lead once it is known which part the role is in.

use std::ops::Range;

use super::super::job::Job;
use super::super::Renderer;
use crate::id::LangId;
use crate::route::Route;

/// Stands, while a page is combined, for the file of a role the page links
/// to: `\u{1}<id>\u{1}`, replaced by [`Layout::resolve`] once it is known
/// which part of the book the role is in. Control characters never come out
/// of the Markdown stage in an attribute.
pub(super) const MARK: char = '\u{1}';

/// Which print book.
#[derive(Debug, Clone, Copy)]
pub(super) enum Book {
    One(LangId),
    /// The default language beside language number `other`.
    Both(LangId),
}

impl Book {
    pub(super) fn of(job: &Job) -> Option<(Book, Option<usize>)> {
        match *job {
            Job::Print { lang, part } => Some((Book::One(lang), part)),
            Job::ParallelPrint { other, part } => Some((Book::Both(other), part)),
            _ => None,
        }
    }

    /// The language whose order and interface words the book follows.
    pub(super) fn lang(self) -> LangId {
        match self {
            Book::One(lang) => lang,
            Book::Both(_) => LangId::DEFAULT,
        }
    }

    /// The languages printed: one, or the left and the right column.
    pub(super) fn columns(self) -> Vec<LangId> {
        match self {
            Book::One(lang) => vec![lang],
            Book::Both(other) => vec![LangId::DEFAULT, other],
        }
    }

    pub(super) fn route<'a>(self, r: &Renderer<'a>, part: Option<usize>) -> Route<'a> {
        match self {
            Book::One(lang) => Route::Print {
                lang: &r.lang(lang).key,
                part,
            },
            Book::Both(_) => Route::ParallelPrint { part },
        }
    }

    /// The prefix of role `id`'s ids from the page in language `lang`.
    pub(super) fn prefix(self, r: &Renderer, id: &str, lang: LangId) -> String {
        match self {
            Book::One(_) => [id, "--"].concat(),
            Book::Both(_) => [&r.lang(lang).key, "--", id, "--"].concat(),
        }
    }
}

/// Consecutive departments (given by their number of roles) packed into
/// parts of at most `limit` roles; one part when all of them fit.
pub(super) fn split(sizes: &[usize], limit: usize) -> Vec<Range<usize>> {
    let mut parts: Vec<Range<usize>> = Vec::new();
    let mut roles = 0;
    for (d, &size) in sizes.iter().enumerate() {
        match parts.last_mut() {
            Some(part) if roles + size <= limit => {
                part.end = d + 1;
                roles += size;
            }
            _ => {
                parts.push(d..d + 1);
                roles = size;
            }
        }
    }
    if parts.is_empty() {
        parts.push(0..0);
    }
    parts
}

/// How a book is cut into parts, and where each role is.
pub(super) struct Layout {
    /// Each part's departments (numbers in the book's [`super::nav::Order`]).
    pub(super) parts: Vec<Range<usize>>,
    /// Each role's part (by role index), from 1 when the book is split.
    pub(super) part_of: Vec<usize>,
    /// Each part's file from any other part (`print.2.html`); empty when whole.
    pub(super) files: Vec<String>,
}

impl Layout {
    pub(super) fn new(r: &Renderer, book: Book, limit: usize) -> Layout {
        let order = r.order(book.lang());
        let sizes: Vec<usize> = order.departments.iter().map(|(_, d)| d.len()).collect();
        let parts = split(&sizes, limit);
        let mut part_of = vec![0; r.handbook.roles.len()];
        let mut files = Vec::new();
        if parts.len() > 1 {
            let index = book.route(r, None);
            for (n, part) in parts.iter().enumerate() {
                for (_, roles) in &order.departments[part.clone()] {
                    roles.iter().for_each(|&role| part_of[role] = n + 1);
                }
                files.push(book.route(r, Some(n + 1)).href_from(&index));
            }
        }
        Layout {
            parts,
            part_of,
            files,
        }
    }

    /// The link to role number `role` (`id`) from part `here` (`None`: the index).
    pub(super) fn href(&self, role: usize, id: &str, here: Option<usize>) -> String {
        let mut href = self.file(role, here).to_string();
        href.push('#');
        href.push_str(id);
        href
    }

    /// The file role number `role` is in, from part `here`: `""` for this one.
    pub(super) fn file(&self, role: usize, here: Option<usize>) -> &str {
        match self.part_of[role] {
            0 => "",
            n if Some(n) == here => "",
            n => &self.files[n - 1],
        }
    }

    /// `html`, from a page in language `lang` of `book`, with each
    /// [`MARK`]ed link to a role turned into its place. A link to a section
    /// the role's page lacks (`check` warns of it) leads to the role.
    pub(super) fn resolve(
        &self,
        r: &Renderer,
        html: &str,
        here: Option<usize>,
        from: (Book, LangId),
    ) -> String {
        let mut out = String::with_capacity(html.len());
        let mut rest = html;
        while let Some(start) = rest.find(MARK) {
            out.push_str(&rest[..start]);
            let marked = &rest[start + 1..];
            let Some(end) = marked.find(MARK) else {
                rest = &rest[start..];
                break;
            };
            let id = &marked[..end];
            rest = &marked[end + 1..];
            let Some(role) = r.handbook.role_index(id) else {
                continue;
            };
            out.push_str(self.file(role, here));
            // A link to a section keeps the section's (prefixed) id after its `#`.
            let fragment = rest.find(['"', '\'', '>']).unwrap_or(rest.len());
            let prefix = from.0.prefix(r, id, from.1);
            let section = rest[..fragment]
                .strip_prefix('#')
                .and_then(|f| f.strip_prefix(prefix.as_str()));
            if !section.is_some_and(|s| r.has_section(from, role, s)) {
                out.push('#');
                out.push_str(id);
                rest = &rest[fragment..];
            }
        }
        out.push_str(rest);
        out
    }
}
