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

/// A role's id as written in front matter, validated: `[a-z0-9][a-z0-9_-]*`,
/// so that it is safe as a file name and in a URL.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(transparent)]
pub struct RoleId(String);

impl RoleId {
    /// `id` when it is a valid role id.
    pub fn parse(id: &str) -> Option<RoleId> {
        is_valid_role_id(id).then(|| RoleId(id.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Whether `id` matches `[a-z0-9][a-z0-9_-]*`.
pub fn is_valid_role_id(id: &str) -> bool {
    let mut chars = id.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
}

impl std::ops::Deref for RoleId {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl std::borrow::Borrow<str> for RoleId {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for RoleId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl PartialEq<str> for RoleId {
    fn eq(&self, other: &str) -> bool {
        self.0 == other
    }
}

impl PartialEq<&str> for RoleId {
    fn eq(&self, other: &&str) -> bool {
        self.0 == *other
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn role_ids_are_lowercase_ascii_words() {
        for good in ["secretary", "office-director", "a_1", "9to5"] {
            assert_eq!(RoleId::parse(good).as_deref(), Some(good));
        }
        for bad in ["", "Secretary", "-x", "前台", "a b", "a/b", "a.b"] {
            assert_eq!(RoleId::parse(bad), None, "{bad}");
        }
    }
}
