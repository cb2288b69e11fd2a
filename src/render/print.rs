//! The print books: the handbook in one language as one document for the
//! browser's "Save as PDF" (`<lang>/print.html`), and the default language
//! beside the first other one (`parallel/print.html`).
//!
//! A book is a title page, a table of contents, the org chart (one-language
//! books) and every role in sidebar order ([`super::nav::Order`]), each
//! starting on a new page, with no navigation around it. The roles' pages
//! become one document through [`Combined`]: each keeps its ids under its own
//! prefix (`secretary--duties`; `en--secretary--duties` in the bilingual
//! book, one prefix per column), and links between roles become links
//! within the document (`secretary.html#duties` -> `#secretary--duties`,
//! `secretary.html` -> `#secretary`, the role's own anchor).
//!
//! A book is written as it is rendered: the template `print.html` renders
//! one piece at a time (`part` is `head`, `role` or `tail`) straight into the
//! output file, so no book is ever held whole, and the render time budget
//! applies to each piece. Above [`PART_SIZE`] roles a book is split by
//! department: `print.html` becomes an index linking its parts
//! `print.<n>.html`, each holding whole departments (one department larger
//! than that is a part alone), so that a browser can still lay a part out
//! for printing.

use std::io::{self, Write};
use std::ops::Range;

use serde::Serialize;

mod context;
mod layout;

use context::*;
use layout::{Book, Layout};

use super::combine::{Combined, Renamed};
use super::job::Job;
use super::{budget, Failure, Renderer};
use crate::diagnostic::{Code, Diagnostic};
use crate::id::LangId;
use crate::markdown::Section;
use crate::output::Sink;
use crate::theme::template_error;
use crate::translation::Pair;

/// Roles a print book holds before it is split into parts by department.
pub(super) const PART_SIZE: usize = 500;

/// The template every piece of a print book is rendered with.
const TEMPLATE: &str = "print.html";

/// Why a book stopped.
enum Stop {
    Template(Diagnostic),
    Io(io::Error),
}

/// The output, remembering its first error (Tera reports it as its own).
struct Tracked<'w> {
    out: &'w mut dyn Write,
    error: Option<io::Error>,
}

impl Write for Tracked<'_> {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        self.out.write(bytes).inspect_err(|e| {
            self.error
                .get_or_insert_with(|| io::Error::new(e.kind(), e.to_string()));
        })
    }

    fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}

impl<'a> Renderer<'a> {
    /// Every print book's jobs: per language (and for the first two
    /// languages side by side) the book or the index of its parts, and its parts.
    pub(super) fn print_jobs(&self) -> Vec<Job> {
        let config = &self.handbook.config;
        let mut books: Vec<Book> = config.lang_ids().map(Book::One).collect();
        books.extend(config.lang_ids().nth(1).map(Book::Both));
        let mut jobs = Vec::new();
        for book in books {
            let parts = Layout::new(self, book, PART_SIZE).parts.len();
            let numbers = (parts > 1).then_some(1..=parts).into_iter().flatten();
            for part in std::iter::once(None).chain(numbers.map(Some)) {
                jobs.push(match book {
                    Book::One(lang) => Job::Print { lang, part },
                    Book::Both(other) => Job::ParallelPrint { other, part },
                });
            }
        }
        jobs
    }

    /// Renders print-book job `job` piece by piece into `sink`.
    pub(super) fn put_print(
        &self,
        job: &Job,
        sink: &dyn Sink,
        watch: &budget::Watch,
    ) -> Result<(), Failure> {
        let (route, _) = job.route(self.handbook);
        let mut problem = None;
        let written = sink.put_stream(&route.path(), &mut |out| match self.write_print(
            job,
            PART_SIZE,
            out,
            Some(watch),
        ) {
            Ok(()) => Ok(()),
            Err(Stop::Io(e)) => Err(e),
            Err(Stop::Template(d)) => {
                problem = Some(d);
                Err(io::Error::other("the template failed"))
            }
        });
        match problem {
            Some(d) => Err(Failure::Templates(vec![d])),
            None => written.map_err(Failure::Io),
        }
    }

    /// Print-book job `job` in memory (for `serve`).
    pub(super) fn print_bytes(
        &self,
        job: &Job,
        watch: Option<&budget::Watch>,
    ) -> Result<Vec<u8>, Diagnostic> {
        let mut html = Vec::new();
        match self.write_print(job, PART_SIZE, &mut html, watch) {
            Ok(()) => Ok(html),
            Err(Stop::Template(d)) => Err(d),
            // Writing into a Vec cannot fail.
            Err(Stop::Io(e)) => Err(self.problem(job, format!("cannot write the page: {e}"))),
        }
    }

    pub(super) fn problem(&self, job: &Job, message: String) -> Diagnostic {
        let (route, _) = job.route(self.handbook);
        Diagnostic::error(Code::TemplateRender, route.path(), message)
    }

    /// Writes print-book job `job` to `out`: head, each role, tail.
    fn write_print(
        &self,
        job: &Job,
        limit: usize,
        out: &mut dyn Write,
        watch: Option<&budget::Watch>,
    ) -> Result<(), Stop> {
        let Some((book, part)) = Book::of(job) else {
            return Err(Stop::Template(self.problem(job, "not a print book".into())));
        };
        let layout = Layout::new(self, book, limit);
        let departments = match part {
            None if layout.parts.len() > 1 => 0..0,
            None => layout.parts[0].clone(),
            Some(n) => match layout.parts.get(n.wrapping_sub(1)) {
                Some(range) => range.clone(),
                None => {
                    let message = format!("the book has no part {n}");
                    return Err(Stop::Template(self.problem(job, message)));
                }
            },
        };
        let here = book.route(self, part);
        let path = here.path();
        let order = self.order(book.lang());
        let roles: Vec<usize> = order.departments[departments.clone()]
            .iter()
            .flat_map(|(_, roles)| roles.iter().copied())
            .collect();
        let mut document = Combined::default();
        // Each role's anchor is its id: claimed before any page's ids.
        for &role in &roles {
            document.add(
                &format!("<a id=\"{}\"></a>", self.handbook.roles[role].id),
                "",
            );
        }
        let head = self.print_head(book, &layout, part, departments, &mut document)?;
        let mut out = Tracked { out, error: None };
        self.piece(&head, &path, &mut out, watch)?;
        drop(head);
        for role in roles {
            let piece = self.role_piece(book, &layout, part, role, &mut document);
            self.piece(&piece, &path, &mut out, watch)?;
        }
        self.piece(&Tail { part: "tail" }, &path, &mut out, watch)
    }

    /// Renders one piece of a book into `out`.
    fn piece<T: Serialize>(
        &self,
        piece: &T,
        path: &str,
        out: &mut Tracked,
        watch: Option<&budget::Watch>,
    ) -> Result<(), Stop> {
        let context = tera::Context::from_serialize(piece).map_err(|e| {
            let message = format!("cannot prepare the page: {e}");
            Stop::Template(Diagnostic::error(Code::TemplateRender, path, message))
        })?;
        let _rendering = watch.map(|w| w.rendering(TEMPLATE, path));
        let rendered = self.theme.tera.render_to(TEMPLATE, &context, &mut *out);
        match (rendered, out.error.take()) {
            (_, Some(e)) => Err(Stop::Io(e)),
            (Err(e), None) => Err(Stop::Template(template_error(
                &e,
                &self.theme.template_files,
                Some(path),
            ))),
            (Ok(()), None) => Ok(()),
        }
    }

    /// The title page, contents and org chart of a book (or part, or index).
    fn print_head<'s>(
        &'s self,
        book: Book,
        layout: &'s Layout,
        part: Option<usize>,
        departments: Range<usize>,
        document: &mut Combined,
    ) -> Result<Head<'s>, Stop> {
        let lang = book.lang();
        let here = book.route(self, part);
        let order = self.order(lang);
        let split = layout.parts.len() > 1;
        let contents = order.departments[departments.clone()]
            .iter()
            .map(|(name, roles)| ContentsDepartment {
                name,
                roles: roles.iter().map(|&i| self.contents_role(book, i)).collect(),
            })
            .collect();
        let parts = match part {
            None if split => self.part_links(book, layout),
            _ => Vec::new(),
        };
        let whole = part.is_none() && !split;
        let org_chart = match book {
            Book::One(lang) if part.is_none() => self.print_org_chart(lang, layout, document)?,
            _ => None,
        };
        Ok(Head {
            part: "head",
            site: self.site(lang, &here, |_| here),
            book: BookInfo {
                titles: book
                    .columns()
                    .into_iter()
                    .map(|l| self.book_title(l))
                    .collect(),
                version: self.handbook.config.version.as_deref(),
                parallel: matches!(book, Book::Both(_)),
                part: part.map(|n| (n, layout.parts.len())),
                departments: if whole {
                    Vec::new()
                } else {
                    department_names(order, departments)
                },
            },
            contents,
            parts,
            org_chart,
        })
    }

    /// The parts of a split book, as its index lists them.
    fn part_links<'s>(&'s self, book: Book, layout: &'s Layout) -> Vec<PartLink<'s>> {
        let order = self.order(book.lang());
        let parts = layout.parts.iter().zip(&layout.files).enumerate();
        parts
            .map(|(n, (range, href))| PartLink {
                number: n + 1,
                href,
                departments: department_names(order, range.clone()),
                roles: order.departments[range.clone()]
                    .iter()
                    .map(|d| d.1.len())
                    .sum(),
            })
            .collect()
    }

    fn book_title(&self, lang: LangId) -> Title<'a> {
        let l = self.lang(lang);
        Title {
            text: &l.title,
            html_lang: &l.html_lang,
        }
    }

    /// Role number `index` in the contents (always in this part or book).
    fn contents_role(&self, book: Book, index: usize) -> ContentsRole<'a> {
        let role = &self.handbook.roles[index];
        let titles = book
            .columns()
            .into_iter()
            .map(|lang| {
                let r = self.role_ref(role, lang);
                Title {
                    text: r.title,
                    html_lang: r.html_lang,
                }
            })
            .collect();
        ContentsRole {
            href: format!("#{}", role.id),
            titles,
        }
    }

    /// The home page's org chart, its links leading into the book.
    fn print_org_chart(
        &self,
        lang: LangId,
        layout: &Layout,
        document: &mut Combined,
    ) -> Result<Option<String>, Stop> {
        let chart = self.org_chart(lang);
        if chart.is_empty() {
            return Ok(None);
        }
        let from = (Book::One(lang), lang);
        let linked = |role, fragment: Option<&str>| self.linked(role, fragment, layout, None, from);
        let resolve = |path: &str| self.linked_role(path);
        Ok(Some(
            document.add_linked(chart, "org--", &resolve, &linked).html,
        ))
    }

    /// Whether role number `role` has a section `id` in the column of
    /// language `lang` of the book (`from`).
    fn has_section(&self, from: (Book, LangId), role: usize, id: &str) -> bool {
        let (book, lang) = from;
        let (page, missing) = self.handbook.shown_page(&self.handbook.roles[role], lang);
        let shown = matches!(book, Book::One(_)) || !missing;
        shown && self.has_heading(page, id)
    }

    /// Where a link to role number `role` (`fragment` after its `#`) from a
    /// page of part `here` of the book leads, for [`Combined::add_linked`]
    /// (see [`Layout::link`]).
    fn linked(
        &self,
        role: usize,
        fragment: Option<&str>,
        layout: &Layout,
        here: Option<usize>,
        from: (Book, LangId),
    ) -> Option<String> {
        let id = &self.handbook.roles[role].id;
        Some(layout.link(self, role, id, fragment, here, from))
    }

    /// Role number `index` of the book, its pages renamed into `document`.
    fn role_piece<'s>(
        &'s self,
        book: Book,
        layout: &Layout,
        part: Option<usize>,
        index: usize,
        document: &mut Combined,
    ) -> RolePiece<'s> {
        let h = self.handbook;
        let role = &h.roles[index];
        let mut columns = Vec::new();
        let mut renamed = Vec::new();
        for lang in book.columns() {
            let column = self.print_column(index, lang, layout, part);
            // The bilingual book leaves a missing translation's column empty.
            let shown = matches!(book, Book::One(_)) || !column.missing;
            let (page, _) = h.shown_page(role, lang);
            let prefix = book.prefix(self, &role.id, lang);
            renamed.push(shown.then(|| {
                let linked = |role, fragment: Option<&str>| {
                    self.linked(role, fragment, layout, part, (book, lang))
                };
                let html = &self.rendered[page].html;
                match self.rename_ids {
                    true => document.add_scanned(html, self.scan(page), &prefix, &linked),
                    false => Renamed::as_is(html),
                }
            }));
            columns.push(column);
        }
        let mut rows = Vec::new();
        match (book, &mut renamed[..]) {
            (Book::One(_), [page]) => columns[0].body = page.take().map(|p| p.html),
            (Book::Both(other), [left, right]) => {
                rows = self.pair_rows(index, other, [left.as_ref(), right.as_ref()]);
            }
            _ => {}
        }
        let lang = book.lang();
        RolePiece {
            part: "role",
            site: PieceSite {
                ui: &self.ui[lang.index()],
                html_lang: &self.lang(lang).html_lang,
            },
            role: PrintedRole {
                id: &role.id,
                columns,
                rows,
            },
        }
    }

    /// The rows of role number `index` in the bilingual book (the default
    /// language and `other`): its sections paired as in the side-by-side
    /// view, from its pages as renamed into the book (`None`: not shown).
    fn pair_rows(&self, index: usize, other: LangId, pages: [Option<&Renamed>; 2]) -> Vec<Row> {
        let cell = |section: Option<&Section>, pair: &Pair, side: usize| {
            let (section, page) = section.zip(pages[side])?;
            Some(page.range(pair.shown(section)).to_string())
        };
        self.paired_shown(index, other, pages.map(|p| p.is_some()))
            .iter()
            .map(|p| Row {
                left: cell(p.left, p, 0),
                right: cell(p.right, p, 1),
            })
            .collect()
    }

    /// Role number `index` in language `lang` of the book, without its body.
    fn print_column(
        &self,
        index: usize,
        lang: LangId,
        layout: &Layout,
        part: Option<usize>,
    ) -> Column<'a> {
        let h = self.handbook;
        let role = &h.roles[index];
        let (page, missing) = h.page_or_fallback(role, lang);
        let content = h.config.lang_of(page.lang_id);
        let reports_to = h.boss(index).map(|boss| {
            let r = self.role_ref(&h.roles[boss], lang);
            Link {
                title: r.title,
                href: layout.href(boss, r.id, part),
                html_lang: r.html_lang,
            }
        });
        Column {
            title: &page.title,
            summary: page.summary.as_deref(),
            html_lang: &content.html_lang,
            lang_name: &content.name,
            department: page.department.as_deref(),
            reports_to,
            facts: self.facts(role, lang),
            missing,
            body: None,
        }
    }
}

/// The names of departments `range` of `order`.
fn department_names(order: &super::nav::Order, range: Range<usize>) -> Vec<&str> {
    order.departments[range]
        .iter()
        .map(|(name, _)| name.as_str())
        .collect()
}

#[cfg(test)]
mod tests {
    use std::path::Path;
    use std::sync::Mutex;

    use super::layout::split;
    use super::*;
    use crate::fsutil::FsError;

    #[test]
    fn departments_pack_into_parts_of_at_most_the_limit() {
        assert_eq!(split(&[2, 3, 1], 10), vec![(0..3)]);
        assert_eq!(split(&[2, 3, 1, 4], 5), [0..2, 2..4]);
        // A department larger than a part is a part alone, never cut.
        assert_eq!(split(&[1, 7, 1], 5), [0..1, 1..2, 2..3]);
        assert_eq!(split(&[], 5), vec![(0..0)]);
    }

    /// A handbook of `roles` roles in English and Chinese, two per
    /// department, each linking to the next one (to a section of it) and
    /// reporting to the first.
    fn handbook(dir: &Path, roles: usize) -> crate::Loaded {
        let book = "[book]\ndefault_language = \"en\"\n[languages.en]\nname = \"English\"\n\
                    title = \"Book\"\n[languages.zh]\nname = \"中文\"\ntitle = \"手册\"\n";
        std::fs::write(dir.join("book.toml"), book).unwrap();
        for lang in ["en", "zh"] {
            let folder = dir.join("content").join(lang);
            std::fs::create_dir_all(&folder).unwrap();
            for n in 0..roles {
                let boss = if n == 0 {
                    String::new()
                } else {
                    "reports_to: r0\n".into()
                };
                let text = format!(
                    "---\nid: r{n}\ntitle: Role {n} {lang}\ndepartment: D{}\n{boss}---\n\n\
                     ## Duties {{#duties}}\n\nSee [the next](role:r{}#duties), [it](role:r{}) and \
                     [a lost section](role:r{}#lost).\n\n\
                     {}\n",
                    n / 2,
                    (n + 1) % roles,
                    (n + 1) % roles,
                    (n + 1) % roles,
                    "Words of the role. ".repeat(200)
                );
                std::fs::write(folder.join(format!("r{n}.md")), text).unwrap();
            }
        }
        let loaded = crate::load(dir).unwrap_or_else(|d| panic!("{d:?}"));
        assert_eq!(loaded.errors(), 0, "{:?}", loaded.diagnostics);
        loaded
    }

    /// A file streamed: its path, every write's size, and its bytes.
    type Streamed = (String, Vec<usize>, Vec<u8>);

    /// Keeps what was streamed, per file.
    #[derive(Default)]
    struct Recording(Mutex<Vec<Streamed>>);

    struct Writes<'w>(&'w mut Vec<usize>, &'w mut Vec<u8>);

    impl Write for Writes<'_> {
        fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
            self.0.push(bytes.len());
            self.1.extend_from_slice(bytes);
            Ok(bytes.len())
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    impl Sink for Recording {
        fn put(&self, _: &str, _: &[u8]) -> Result<(), FsError> {
            panic!("a print book is streamed, not put whole");
        }
        fn put_stream(
            &self,
            path: &str,
            fill: &mut dyn FnMut(&mut dyn Write) -> io::Result<()>,
        ) -> Result<(), FsError> {
            let (mut sizes, mut bytes) = (Vec::new(), Vec::new());
            fill(&mut Writes(&mut sizes, &mut bytes)).unwrap();
            self.0.lock().unwrap().push((path.into(), sizes, bytes));
            Ok(())
        }
    }

    fn renderer(loaded: &crate::Loaded) -> Renderer<'_> {
        Renderer::new(
            &loaded.handbook,
            &loaded.rendered,
            loaded.theme.as_ref().unwrap(),
        )
    }

    #[test]
    fn a_book_is_streamed_a_role_at_a_time() {
        let dir = tempfile::tempdir().unwrap();
        let loaded = handbook(dir.path(), 8);
        let r = renderer(&loaded);
        let (watch, _watchdog) =
            budget::Watch::start(std::time::Duration::from_secs(30), &Default::default());
        let sink = Recording::default();
        for job in r.print_jobs() {
            r.put_print(&job, &sink, &watch)
                .unwrap_or_else(|_| panic!("print"));
        }
        let books = sink.0.into_inner().unwrap();
        let paths: Vec<&str> = books.iter().map(|b| b.0.as_str()).collect();
        assert_eq!(
            paths,
            ["en/print.html", "zh/print.html", "parallel/print.html"]
        );
        for (path, sizes, bytes) in &books {
            let largest = sizes.iter().max().copied().unwrap_or(0);
            // No piece near the whole: each role came in its own writes.
            assert!(
                largest * 6 < bytes.len(),
                "{path}: {largest} of {}",
                bytes.len()
            );
            let html = String::from_utf8_lossy(bytes);
            for n in 0..8 {
                assert!(html.contains(&format!("id=\"r{n}\"")), "{path}: r{n}");
            }
            // `check` warns of the lost section; the book leads to the role.
            assert!(!html.contains("--lost"), "{path}");
        }
        let en = String::from_utf8_lossy(&books[0].2);
        assert!(en.contains("href=\"#r1--duties\"") && en.contains("href=\"#r1\""));
        assert!(en.contains("id=\"r1--duties\""));
    }

    #[test]
    fn a_large_book_splits_by_department_and_links_across_parts() {
        let dir = tempfile::tempdir().unwrap();
        let loaded = handbook(dir.path(), 6);
        let r = renderer(&loaded);
        let book = |part| {
            let mut html = Vec::new();
            let job = Job::Print {
                lang: LangId::DEFAULT,
                part,
            };
            r.write_print(&job, 4, &mut html, None)
                .unwrap_or_else(|_| panic!("{part:?}"));
            String::from_utf8(html).unwrap()
        };
        // Departments of two roles each, parts of at most four roles.
        let index = book(None);
        assert!(index.contains("href=\"print.1.html\"") && index.contains("href=\"print.2.html\""));
        assert!(
            !index.contains("print.3.html"),
            "three departments, two parts"
        );
        assert!(
            index.contains("href=\"print.2.html#r5\""),
            "org chart into the parts"
        );
        let first = book(Some(1));
        assert!(first.contains("id=\"r3\"") && !first.contains("id=\"r4\""));
        // r3 links to r4, which is in the second part.
        assert!(first.contains("href=\"print.2.html#r4--duties\""));
        assert!(first.contains("href=\"#r1--duties\""));
        let second = book(Some(2));
        assert!(second.contains("href=\"print.1.html#r0\""), "reports to r0");
        let mut html = Vec::new();
        let job = Job::Print {
            lang: LangId::DEFAULT,
            part: Some(3),
        };
        assert!(r.write_print(&job, 4, &mut html, None).is_err());
    }
}
