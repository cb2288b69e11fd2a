//! The lifecycle fields of a page's front matter: `effective`, `version`,
//! `owner`, `review_by` and `aliases` hold for every language of a role (like
//! `reports_to`), `change_note` is this page's own, and `compare` makes the
//! page a comparison of roles. Dates are checked here, each wrong one a
//! problem at its place.

use super::*;

/// What a page says about the version of its role's text.
#[derive(Debug, Clone, Default)]
pub struct Lifecycle {
    /// The date the current text applies from.
    pub effective: Option<Located<crate::dates::Date>>,
    /// Free text, e.g. `2.1`.
    pub version: Option<Located<String>>,
    /// Who maintains the role's pages: a team or a person.
    pub owner: Option<Located<String>>,
    /// When the text is to be reviewed again.
    pub review_by: Option<Located<crate::dates::Date>>,
    /// What changed in this version, in this page's language.
    pub change_note: Option<String>,
    /// Former ids of the role: their addresses lead here.
    pub aliases: Vec<Located<String>>,
    /// Roles this page compares, side by side.
    pub compare: Vec<Located<String>>,
}

/// The lifecycle fields of `raw` (taken out of it); wrong dates are problems.
pub(super) fn lifecycle(
    raw: &mut RawFrontMatter,
    file: &str,
    problems: &mut Vec<Diagnostic>,
) -> Lifecycle {
    let mut date = |field: &str, written: Option<Spanned<String>>| {
        let written = located(written?, YAML_LINE);
        match crate::dates::parse(&written.value) {
            Some(value) => Some(Located {
                value,
                line: written.line,
                column: written.column,
            }),
            None => {
                problems.push(
                    Diagnostic::error(
                        Code::InvalidFrontMatter,
                        file,
                        format!("`{field}: {}` is not a date", written.value),
                    )
                    .at(written.line, written.column)
                    .hint(format!(
                        "write the date as year-month-day, e.g. `{field}: 2026-11-28`"
                    )),
                );
                None
            }
        }
    };
    let effective = date("effective", raw.effective.take());
    let review_by = date("review_by", raw.review_by.take());
    let list = |list: Option<Vec<Spanned<String>>>| {
        list.into_iter()
            .flatten()
            .map(|s| located(s, YAML_LINE))
            .collect()
    };
    let text = |s: Option<Spanned<String>>| {
        s.map(|s| located(s, YAML_LINE))
            .filter(|s| !s.value.trim().is_empty())
    };
    Lifecycle {
        effective,
        version: text(raw.version.take()),
        owner: text(raw.owner.take()),
        review_by,
        change_note: raw.change_note.take().filter(|n| !n.trim().is_empty()),
        aliases: list(raw.aliases.take()),
        compare: list(raw.compare.take()),
    }
}
