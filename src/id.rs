//! Typed identity: a language as its position in book.toml ([`LangId`],
//! resolved once, where a page's language is detected) and a page as its
//! position in the handbook ([`PageId`]), so that neither can be mistaken for
//! the other or for a role's position.

use std::fmt;

/// A language of the handbook: its position in `Config::languages`, where
/// the default language comes first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct LangId(usize);

impl LangId {
    /// The default language (the one translations are made from).
    pub const DEFAULT: LangId = LangId(0);

    /// The language at `index` of `Config::languages`; only the config
    /// hands these out for indices it has.
    pub(crate) fn new(index: usize) -> LangId {
        LangId(index)
    }

    pub fn index(self) -> usize {
        self.0
    }

    pub fn is_default(self) -> bool {
        self.0 == 0
    }
}

impl fmt::Display for LangId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "language #{}", self.0)
    }
}

/// A page of the handbook: its position in `Handbook::pages`, which is also
/// the position of its rendered Markdown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PageId(usize);

impl PageId {
    pub(crate) fn new(index: usize) -> PageId {
        PageId(index)
    }

    pub fn index(self) -> usize {
        self.0
    }
}

impl<T> std::ops::Index<PageId> for [T] {
    type Output = T;
    fn index(&self, page: PageId) -> &T {
        &self[page.0]
    }
}

impl<T> std::ops::Index<PageId> for Vec<T> {
    type Output = T;
    fn index(&self, page: PageId) -> &T {
        &self[page.0]
    }
}
