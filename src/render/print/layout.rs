//! How a print book is cut into parts by department, and where each role's
//! links lead once it is known which part the role is in.

use std::ops::Range;

use super::super::job::Job;
use super::super::Renderer;
use crate::id::LangId;
use crate::route::Route;

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

    /// Where a link from part `here` of `book` (a page in language `lang`)
    /// to role number `role` (`id`), with `fragment` after its `#`, leads:
    /// the role's section when its page in that column has it, else the
    /// role itself (`check` warns of a lost section).
    pub(super) fn link(
        &self,
        r: &Renderer,
        role: usize,
        id: &str,
        fragment: Option<&str>,
        here: Option<usize>,
        from: (Book, LangId),
    ) -> String {
        let file = self.file(role, here);
        match fragment.filter(|f| !f.is_empty() && r.has_section(from, role, f)) {
            Some(section) => {
                let prefix = from.0.prefix(r, id, from.1);
                [file, "#", &prefix, section].concat()
            }
            None => [file, "#", id].concat(),
        }
    }
}
