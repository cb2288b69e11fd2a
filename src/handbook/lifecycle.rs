//! A role's lifecycle as the handbook holds it: effective date, version,
//! owner, review date, former ids and compared roles, each taken from the
//! first page (in language order) that writes it, with where it was written
//! (for `review-due` and the other checks). Another page that writes a
//! different value gets a `shared-field-differs` warning at its line.

use crate::dates::Date;
use crate::diagnostic::{Code, Diagnostic};
use crate::frontmatter::{Located, Page};

/// A value and the place it was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Written<T> {
    pub value: T,
    /// Path relative to the handbook root.
    pub file: String,
    pub line: usize,
    pub column: usize,
}

/// What a role's pages say about its current text (see the module docs).
#[derive(Debug, Clone, Default)]
pub struct RoleLifecycle {
    pub effective: Option<Written<Date>>,
    pub version: Option<Written<String>>,
    pub owner: Option<Written<String>>,
    pub review_by: Option<Written<Date>>,
    pub aliases: Vec<Written<String>>,
    pub compare: Vec<Written<String>>,
}

impl RoleLifecycle {
    /// The lifecycle of a role written in `pages` (language order).
    pub(super) fn merge(pages: &[&Page], problems: &mut Vec<Diagnostic>) -> RoleLifecycle {
        fn single<T>(list: Option<Vec<Written<T>>>) -> Option<Written<T>> {
            list.and_then(|mut v| v.pop())
        }
        let version = first(pages, "version", problems, |p| {
            p.lifecycle.version.as_ref().map(|l| vec![l])
        });
        let owner = first(pages, "owner", problems, |p| {
            p.lifecycle.owner.as_ref().map(|l| vec![l])
        });
        let effective = first(pages, "effective", problems, |p| {
            p.lifecycle.effective.as_ref().map(|l| vec![l])
        });
        let review_by = first(pages, "review_by", problems, |p| {
            p.lifecycle.review_by.as_ref().map(|l| vec![l])
        });
        let aliases = first(pages, "aliases", problems, |p| list(&p.lifecycle.aliases));
        let compare = first(pages, "compare", problems, |p| list(&p.lifecycle.compare));
        RoleLifecycle {
            effective: single(effective),
            version: single(version),
            owner: single(owner),
            review_by: single(review_by),
            aliases: aliases.unwrap_or_default(),
            compare: compare.unwrap_or_default(),
        }
    }
}

/// A list field's entries, `None` when it is empty (not written).
fn list(list: &[Located<String>]) -> Option<Vec<&Located<String>>> {
    (!list.is_empty()).then(|| list.iter().collect())
}

/// The value the first page writes (as `Written`s), with a warning at every
/// other page that writes something else.
fn first<T: Clone + PartialEq + std::fmt::Debug>(
    pages: &[&Page],
    field: &str,
    problems: &mut Vec<Diagnostic>,
    get: impl Fn(&Page) -> Option<Vec<&Located<T>>>,
) -> Option<Vec<Written<T>>> {
    let mut chosen: Option<(Vec<T>, &Page, Vec<Written<T>>)> = None;
    for page in pages {
        let Some(written) = get(page) else { continue };
        let values: Vec<T> = written.iter().map(|l| l.value.clone()).collect();
        match &chosen {
            None => {
                let at = written
                    .iter()
                    .map(|l| Written {
                        value: l.value.clone(),
                        file: page.file.clone(),
                        line: l.line,
                        column: l.column,
                    })
                    .collect();
                chosen = Some((values, page, at));
            }
            Some((first, first_page, _)) if *first != values => {
                let (line, column) = written.first().map_or((1, 1), |l| (l.line, l.column));
                let shown = |v: &[T]| match v {
                    [one] => format!("{one:?}"),
                    many => format!("{many:?}"),
                };
                problems.push(
                    Diagnostic::warning(
                        Code::SharedFieldDiffers,
                        &page.file,
                        format!(
                            "`{field}` is {} here but {} in {}",
                            shown(&values),
                            shown(first),
                            first_page.file
                        ),
                    )
                    .at(line, column)
                    .hint(format!(
                        "`{field}` holds for every language of a role: give the same value in both pages, or write it in one page only"
                    )),
                );
            }
            Some(_) => {}
        }
    }
    chosen.map(|(_, _, at)| at)
}
