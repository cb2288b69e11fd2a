//! The typed contexts of the pieces a print book is rendered in.

use serde::Serialize;

use super::super::SiteContext;

#[derive(Serialize)]
pub(super) struct Title<'a> {
    pub(super) text: &'a str,
    pub(super) html_lang: &'a str,
}

#[derive(Serialize)]
pub(super) struct BookInfo<'a> {
    /// The handbook's title in each language printed.
    pub(super) titles: Vec<Title<'a>>,
    pub(super) version: Option<&'a str>,
    pub(super) parallel: bool,
    /// This part's number and how many there are, in a split book.
    pub(super) part: Option<(usize, usize)>,
    /// The departments of this part, in a split book.
    pub(super) departments: Vec<&'a str>,
}

#[derive(Serialize)]
pub(super) struct ContentsRole<'a> {
    pub(super) href: String,
    pub(super) titles: Vec<Title<'a>>,
}

#[derive(Serialize)]
pub(super) struct ContentsDepartment<'a> {
    pub(super) name: &'a str,
    pub(super) roles: Vec<ContentsRole<'a>>,
}

/// A part of a split book, as the index lists it.
#[derive(Serialize)]
pub(super) struct PartLink<'a> {
    pub(super) number: usize,
    pub(super) href: &'a str,
    pub(super) departments: Vec<&'a str>,
    pub(super) roles: usize,
}

/// The start of a book: title page, contents, org chart.
#[derive(Serialize)]
pub(super) struct Head<'a> {
    pub(super) part: &'static str,
    pub(super) site: SiteContext<'a>,
    pub(super) book: BookInfo<'a>,
    pub(super) contents: Vec<ContentsDepartment<'a>>,
    /// On the index of a split book: its parts.
    pub(super) parts: Vec<PartLink<'a>>,
    pub(super) org_chart: Option<String>,
}

/// What a role's piece knows of the site: its interface words.
#[derive(Serialize)]
pub(super) struct PieceSite<'a> {
    pub(super) ui: &'a tera::Value,
    pub(super) html_lang: &'a str,
}

#[derive(Serialize)]
pub(super) struct Link<'a> {
    pub(super) title: &'a str,
    pub(super) href: String,
    pub(super) html_lang: &'a str,
}

/// A role's page in one language of the book.
#[derive(Serialize)]
pub(super) struct Column<'a> {
    pub(super) title: &'a str,
    pub(super) summary: Option<&'a str>,
    pub(super) html_lang: &'a str,
    pub(super) lang_name: &'a str,
    pub(super) department: Option<&'a str>,
    pub(super) reports_to: Option<Link<'a>>,
    /// Effective date, version and owner, in the book's language.
    pub(super) facts: super::super::governance::Facts<'a>,
    /// The role has no page in this language: another one's is shown (in a
    /// one-language book) or nothing (in the bilingual one).
    pub(super) missing: bool,
    /// The page's HTML, in a one-language book.
    pub(super) body: Option<String>,
}

/// One row of the bilingual book: a section of each language, either may be absent.
#[derive(Serialize)]
pub(super) struct Row {
    pub(super) left: Option<String>,
    pub(super) right: Option<String>,
}

#[derive(Serialize)]
pub(super) struct PrintedRole<'a> {
    pub(super) id: &'a str,
    pub(super) columns: Vec<Column<'a>>,
    /// The bilingual book's rows (empty in a one-language book).
    pub(super) rows: Vec<Row>,
}

#[derive(Serialize)]
pub(super) struct RolePiece<'a> {
    pub(super) part: &'static str,
    pub(super) site: PieceSite<'a>,
    pub(super) role: PrintedRole<'a>,
}

#[derive(Serialize)]
pub(super) struct Tail {
    pub(super) part: &'static str,
}
