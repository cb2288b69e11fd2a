//! Every diagnostic code rolebook reports, as one enum: a code is spelled
//! once, here, and `Code::ALL` lets a test prove that each has a fixture.

use std::fmt;

use serde::Serialize;

/// A stable, machine-readable name of a kind of problem (`unknown-role`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Code {
    AbsoluteLink,
    AliasTaken,
    AssetName,
    BrokenLink,
    ConfigDefaultLanguage,
    ConfigInvalid,
    ConfigLanguageKey,
    ConfigMissing,
    ConfigRenderTimeout,
    ConfigTheme,
    ConfigUnreadable,
    ContentMissing,
    DroppedEmphasis,
    DuplicateId,
    EffectiveInFuture,
    EmptyBody,
    EmptyPage,
    ExternalResource,
    HeadingAttribute,
    InvalidFrontMatter,
    InvalidId,
    InvalidUtf8,
    LanguageConflict,
    MissingId,
    MissingTitle,
    MissingTranslation,
    NoFrontMatter,
    NotForPages,
    OrgChartDepth,
    OutputFolder,
    OutsideHandbook,
    PlaceholderText,
    RawScript,
    ReadFailed,
    ReportsToCycle,
    ReservedId,
    ReviewDue,
    SharedFieldDiffers,
    StaticCollision,
    SymlinkLoop,
    TemplateRender,
    TemplateSyntax,
    ThemeInvalid,
    ThemeMissing,
    ThemeUnreadable,
    TooDeep,
    TooManyOpenFiles,
    UndeclaredLanguage,
    UnknownAnchor,
    UnknownField,
    UnknownLanguage,
    UnknownRole,
    UnknownRoleLink,
    UnsafeLink,
    UnterminatedFrontMatter,
    WalkFailed,
}

impl Code {
    /// Every code, in the order of their names.
    pub const ALL: &'static [Code] = &[
        Code::AbsoluteLink,
        Code::AliasTaken,
        Code::AssetName,
        Code::BrokenLink,
        Code::ConfigDefaultLanguage,
        Code::ConfigInvalid,
        Code::ConfigLanguageKey,
        Code::ConfigMissing,
        Code::ConfigRenderTimeout,
        Code::ConfigTheme,
        Code::ConfigUnreadable,
        Code::ContentMissing,
        Code::DroppedEmphasis,
        Code::DuplicateId,
        Code::EffectiveInFuture,
        Code::EmptyBody,
        Code::EmptyPage,
        Code::ExternalResource,
        Code::HeadingAttribute,
        Code::InvalidFrontMatter,
        Code::InvalidId,
        Code::InvalidUtf8,
        Code::LanguageConflict,
        Code::MissingId,
        Code::MissingTitle,
        Code::MissingTranslation,
        Code::NoFrontMatter,
        Code::NotForPages,
        Code::OrgChartDepth,
        Code::OutputFolder,
        Code::OutsideHandbook,
        Code::PlaceholderText,
        Code::RawScript,
        Code::ReadFailed,
        Code::ReportsToCycle,
        Code::ReservedId,
        Code::ReviewDue,
        Code::SharedFieldDiffers,
        Code::StaticCollision,
        Code::SymlinkLoop,
        Code::TemplateRender,
        Code::TemplateSyntax,
        Code::ThemeInvalid,
        Code::ThemeMissing,
        Code::ThemeUnreadable,
        Code::TooDeep,
        Code::TooManyOpenFiles,
        Code::UndeclaredLanguage,
        Code::UnknownAnchor,
        Code::UnknownField,
        Code::UnknownLanguage,
        Code::UnknownRole,
        Code::UnknownRoleLink,
        Code::UnsafeLink,
        Code::UnterminatedFrontMatter,
        Code::WalkFailed,
    ];

    /// The code as printed (`unknown-role`).
    pub fn as_str(self) -> &'static str {
        match self {
            Code::AbsoluteLink => "absolute-link",
            Code::AliasTaken => "alias-taken",
            Code::AssetName => "asset-name",
            Code::BrokenLink => "broken-link",
            Code::ConfigDefaultLanguage => "config-default-language",
            Code::ConfigInvalid => "config-invalid",
            Code::ConfigLanguageKey => "config-language-key",
            Code::ConfigMissing => "config-missing",
            Code::ConfigRenderTimeout => "config-render-timeout",
            Code::ConfigTheme => "config-theme",
            Code::ConfigUnreadable => "config-unreadable",
            Code::ContentMissing => "content-missing",
            Code::DroppedEmphasis => "dropped-emphasis",
            Code::DuplicateId => "duplicate-id",
            Code::EffectiveInFuture => "effective-in-future",
            Code::EmptyBody => "empty-body",
            Code::EmptyPage => "empty-page",
            Code::ExternalResource => "external-resource",
            Code::HeadingAttribute => "heading-attribute",
            Code::InvalidFrontMatter => "invalid-front-matter",
            Code::InvalidId => "invalid-id",
            Code::InvalidUtf8 => "invalid-utf8",
            Code::LanguageConflict => "language-conflict",
            Code::MissingId => "missing-id",
            Code::MissingTitle => "missing-title",
            Code::MissingTranslation => "missing-translation",
            Code::NoFrontMatter => "no-front-matter",
            Code::NotForPages => "not-for-pages",
            Code::OrgChartDepth => "org-chart-depth",
            Code::OutputFolder => "output-folder",
            Code::OutsideHandbook => "outside-handbook",
            Code::PlaceholderText => "placeholder-text",
            Code::RawScript => "raw-script",
            Code::ReadFailed => "read-failed",
            Code::ReportsToCycle => "reports-to-cycle",
            Code::ReservedId => "reserved-id",
            Code::ReviewDue => "review-due",
            Code::SharedFieldDiffers => "shared-field-differs",
            Code::StaticCollision => "static-collision",
            Code::SymlinkLoop => "symlink-loop",
            Code::TemplateRender => "template-render",
            Code::TemplateSyntax => "template-syntax",
            Code::ThemeInvalid => "theme-invalid",
            Code::ThemeMissing => "theme-missing",
            Code::ThemeUnreadable => "theme-unreadable",
            Code::TooDeep => "too-deep",
            Code::TooManyOpenFiles => "too-many-open-files",
            Code::UndeclaredLanguage => "undeclared-language",
            Code::UnknownAnchor => "unknown-anchor",
            Code::UnknownField => "unknown-field",
            Code::UnknownLanguage => "unknown-language",
            Code::UnknownRole => "unknown-role",
            Code::UnknownRoleLink => "unknown-role-link",
            Code::UnsafeLink => "unsafe-link",
            Code::UnterminatedFrontMatter => "unterminated-front-matter",
            Code::WalkFailed => "walk-failed",
        }
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

/// `d.code == "unknown-role"` reads as well as comparing with a `Code`.
impl PartialEq<&str> for Code {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialEq<str> for Code {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_sorted_and_kebab_case() {
        let names: Vec<&str> = Code::ALL.iter().map(|c| c.as_str()).collect();
        let mut sorted = names.clone();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(names, sorted);
        for name in names {
            assert!(
                name.chars()
                    .all(|c| c.is_ascii_lowercase() || c == '-' || c.is_ascii_digit()),
                "{name}"
            );
        }
    }
}
