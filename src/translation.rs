//! Translations: how the sections of two languages pair up, and whether each
//! translation is up to date.
//!
//! A translation records the fingerprint of the default-language page it was
//! made from (`translated_from:`, written by `rolebook mark-translated`). When
//! the default-language page changes, the fingerprint no longer matches and
//! the translation is *stale*; [`crate::drift`] says which of its sections
//! changed. Pairing sections drives the side-by-side view, the
//! place-keeping language switch, drift and the one-sided-section report.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use rayon::prelude::*;
use serde::Serialize;

use crate::drift::report::DriftIds;

use crate::handbook::{Handbook, Role};
use crate::id::LangId;
use crate::markdown::{RenderedPage, Section};

/// State of one language of one role.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// The default language when present; a translation marked from the current original.
    Ok,
    /// No page in this language.
    Missing,
    /// The original changed since the translation was marked.
    Stale,
    /// A translation never marked with `rolebook mark-translated`.
    Untracked,
    /// The page exists but does not parse (only `rolebook status` says so;
    /// its error names the file).
    Error,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Ok => "ok",
            Status::Missing => "missing",
            Status::Stale => "stale",
            Status::Untracked => "untracked",
            Status::Error => "error",
        }
    }
}

/// Status of `role` in language `lang`.
pub fn status(handbook: &Handbook, role: &Role, lang: LangId) -> Status {
    let Some(page) = handbook.page(role, lang) else {
        return Status::Missing;
    };
    if lang.is_default() {
        return Status::Ok;
    }
    let Some(original) = handbook.page(role, LangId::DEFAULT) else {
        // Nothing to be stale against: the translation is what there is.
        return if page.translated_from.is_some() {
            Status::Ok
        } else {
            Status::Untracked
        };
    };
    match &page.translated_from {
        None => Status::Untracked,
        Some(mark) if Some(mark) == original.fingerprint.as_ref() => Status::Ok,
        Some(_) => Status::Stale,
    }
}

/// One row of the side-by-side view: a section of each language, either may be absent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pair<'s> {
    pub left: Option<&'s Section>,
    pub right: Option<&'s Section>,
    /// Both sections have subsections, which pair in the rows that follow:
    /// this row shows only the text before them.
    pub split: bool,
}

impl Pair<'_> {
    /// The part of `section`'s page (`section` is one side of this row) the row shows.
    pub fn shown(&self, section: &Section) -> std::ops::Range<usize> {
        if self.split {
            section.head_range()
        } else {
            section.html_range.clone()
        }
    }
}

/// Pairs the sections of two pages, the one rule for the side-by-side view,
/// the one-sided-section report and the language switch: siblings pair by
/// explicit heading id (`{#duties}`), then the rest by order (the lead-in
/// with the lead-in). Where both paired sections have subsections, the
/// subsections pair the same way, in the rows after their parents': pages
/// pair at the deepest level both languages use. Rows follow the left page's
/// order, with right-only sections placed where they occur on the right.
pub fn pair_sections<'s>(left: &'s [Section], right: &'s [Section]) -> Vec<Pair<'s>> {
    let mut rows = Vec::new();
    pair_into(left, right, &mut rows);
    rows
}

fn pair_into<'s>(left: &'s [Section], right: &'s [Section], rows: &mut Vec<Pair<'s>>) {
    for (i, j) in pair_siblings(left, right) {
        let (l, r) = (i.map(|i| &left[i]), j.map(|j| &right[j]));
        let split = l
            .zip(r)
            .filter(|(l, r)| !l.subsections.is_empty() && !r.subsections.is_empty());
        rows.push(Pair {
            left: l,
            right: r,
            split: split.is_some(),
        });
        if let Some((l, r)) = split {
            pair_into(&l.subsections, &r.subsections, rows);
        }
    }
}

/// Pairs sibling sections (indices into `left` and `right`): by explicit id,
/// then by order.
fn pair_siblings(left: &[Section], right: &[Section]) -> Vec<(Option<usize>, Option<usize>)> {
    let mut partner: Vec<Option<usize>> = vec![None; left.len()];
    let mut taken = vec![false; right.len()];
    // Same id on both sides, where at least one was written by the author
    // (`## When to use` and `## 何时使用 {#when-to-use}` are one section).
    // Pages have a handful of sections: a scan beats building a map, which
    // matters when every page of a large handbook is paired several times.
    let right_ids: Option<HashMap<&str, usize>> = (right.len() > 32).then(|| {
        right
            .iter()
            .enumerate()
            .filter_map(|(i, s)| s.id.as_deref().map(|id| (id, i)))
            .collect()
    });
    let find = |id: &str| match &right_ids {
        Some(map) => map.get(id).copied(),
        None => right.iter().position(|s| s.id.as_deref() == Some(id)),
    };
    for (i, s) in left.iter().enumerate() {
        let Some(j) = s.id.as_deref().and_then(find) else {
            continue;
        };
        if (s.explicit || right[j].explicit) && !taken[j] {
            partner[i] = Some(j);
            taken[j] = true;
        }
    }
    // The rest pair by order: lead-in with lead-in, then heading with heading.
    // Sections with an author-written id pair only by that id.
    let free = |sections: &[Section], used: &dyn Fn(usize) -> bool, lead_in: bool| -> Vec<usize> {
        (0..sections.len())
            .filter(|&i| !used(i) && !sections[i].explicit && sections[i].id.is_none() == lead_in)
            .collect()
    };
    for lead_in in [true, false] {
        let left_free = free(left, &|i| partner[i].is_some(), lead_in);
        let right_free = free(right, &|j| taken[j], lead_in);
        for (i, j) in left_free.into_iter().zip(right_free) {
            partner[i] = Some(j);
            taken[j] = true;
        }
    }
    merge_rows(&partner, &taken)
}

fn merge_rows(partner: &[Option<usize>], taken: &[bool]) -> Vec<(Option<usize>, Option<usize>)> {
    let mut rows = Vec::new();
    let mut next_right = 0;
    let flush = |upto: usize, next_right: &mut usize, rows: &mut Vec<_>| {
        while *next_right < upto {
            if !taken[*next_right] {
                rows.push((None, Some(*next_right)));
            }
            *next_right += 1;
        }
    };
    for (i, p) in partner.iter().enumerate() {
        if let Some(j) = *p {
            flush(j, &mut next_right, &mut rows);
            next_right = next_right.max(j + 1);
        }
        rows.push((Some(i), *p));
    }
    flush(taken.len(), &mut next_right, &mut rows);
    rows
}

/// For each section id of `from`, the id of its partner section in `to`
/// (used by the language switch to land on the same section). Subsections
/// the other language does not have go to their parent's partner.
pub fn section_map(from: &RenderedPage, to: &RenderedPage) -> Vec<(String, String)> {
    section_map_of(&pair_sections(&from.sections, &to.sections))
}

/// [`section_map`] of the sections `rows` pair (`from` on the left).
pub fn section_map_of(rows: &[Pair]) -> Vec<(String, String)> {
    let mut map = Vec::new();
    for row in rows {
        let (Some(a), Some(Some(b))) = (row.left, row.right.map(|r| r.id.as_ref())) else {
            continue;
        };
        let mapped: Box<dyn Iterator<Item = &Section>> = if row.split {
            Box::new(std::iter::once(a))
        } else {
            a.with_subsections()
        };
        map.extend(mapped.filter_map(|s| Some((s.id.clone()?, b.clone()))));
    }
    map
}

/// Sections that exist in only one of the two pages, by id (the lead-in
/// as `(introduction)`); a section missing whole is listed without its
/// subsections.
pub fn one_sided(left: &RenderedPage, right: &RenderedPage) -> (Vec<String>, Vec<String>) {
    let rows = pair_sections(&left.sections, &right.sections);
    let name = |s: &Section| s.id.clone().unwrap_or_else(|| "(introduction)".to_string());
    let only_left = rows
        .iter()
        .filter(|p| p.right.is_none())
        .filter_map(|p| p.left.map(name))
        .collect();
    let only_right = rows
        .iter()
        .filter(|p| p.left.is_none())
        .filter_map(|p| p.right.map(name))
        .collect();
    (only_left, only_right)
}

/// Sections of `role` present in one language only, as `zh: #skills`,
/// comparing each translation with the default-language page.
pub fn one_sided_sections(
    handbook: &Handbook,
    rendered: &[Arc<RenderedPage>],
    role: &Role,
) -> Vec<String> {
    let config = &handbook.config;
    let mut sided = Vec::new();
    let Some(original) = role.page_id(LangId::DEFAULT) else {
        return sided;
    };
    let default_key = &config.lang_of(LangId::DEFAULT).key;
    for other in config.lang_ids().skip(1) {
        let Some(translation) = role.page_id(other) else {
            continue;
        };
        let (only_original, only_translation) =
            one_sided(&rendered[original], &rendered[translation]);
        sided.extend(
            only_original
                .into_iter()
                .map(|id| format!("{default_key}: #{id}")),
        );
        let key = &config.lang_of(other).key;
        sided.extend(
            only_translation
                .into_iter()
                .map(|id| format!("{key}: #{id}")),
        );
    }
    sided
}

/// One role's line in `rolebook status`.
#[derive(Debug, Serialize)]
pub struct RoleStatus {
    pub id: String,
    /// The role's title in the default language (else the first it has).
    pub title: String,
    /// Language key -> the file of a page that exists but does not parse.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub errors: BTreeMap<String, String>,
    /// Language key -> status, in book.toml order.
    pub translations: LangStatuses,
    /// Sections present in one language only: `zh: #skills`.
    pub one_sided_sections: Vec<String>,
    /// Per stale translation whose snapshot is there: the sections of the
    /// original that changed since it was made (see [`crate::drift`]).
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub drift: BTreeMap<String, DriftIds>,
    /// The lines `status` prints about each stale translation.
    #[serde(skip)]
    pub drift_lines: Vec<String>,
}

/// `rolebook status` for the whole handbook.
#[derive(Debug, Serialize)]
pub struct Report {
    pub roles: Vec<RoleStatus>,
    /// How many roles, and per language how many of each status.
    pub totals: Totals,
}

/// The counts under `rolebook status`'s table.
#[derive(Debug, Default, Serialize)]
pub struct Totals {
    pub roles: usize,
    /// Language key -> status -> count, languages in book.toml order.
    pub languages: indexmap::IndexMap<String, BTreeMap<&'static str, usize>>,
}

impl Report {
    /// Some page exists but does not parse.
    pub fn has_errors(&self) -> bool {
        self.roles.iter().any(|r| !r.errors.is_empty())
    }

    /// Marks the pages that exist but did not parse (role id, language,
    /// file): `error`, not `missing`; a role all of whose pages failed
    /// gets a line of its own.
    pub fn with_failed(
        mut self,
        handbook: &Handbook,
        failed: &[(String, LangId, String)],
    ) -> Report {
        let config = &handbook.config;
        for (id, lang, file) in failed {
            let key = &config.lang_of(*lang).key;
            let at = match self.roles.iter().position(|r| r.id == *id) {
                Some(at) => at,
                None => {
                    self.roles.push(RoleStatus {
                        id: id.clone(),
                        title: String::new(),
                        errors: BTreeMap::new(),
                        translations: LangStatuses(
                            config
                                .languages
                                .iter()
                                .map(|l| (l.key.clone(), Status::Missing))
                                .collect(),
                        ),
                        one_sided_sections: Vec::new(),
                        drift: BTreeMap::new(),
                        drift_lines: Vec::new(),
                    });
                    self.roles.len() - 1
                }
            };
            let role = &mut self.roles[at];
            for (k, status) in role.translations.0.iter_mut() {
                if k == key {
                    *status = Status::Error;
                }
            }
            role.errors.insert(key.clone(), file.clone());
        }
        self.totals = Totals::of(&self.roles, config);
        self
    }

    pub fn all_ok(&self) -> bool {
        self.roles.iter().all(|r| {
            r.translations.0.iter().all(|(_, s)| *s == Status::Ok)
                && r.one_sided_sections.is_empty()
        })
    }

    /// A table for people: one line per role (id, title, each language's
    /// status), the lines about drift and errors, then the totals.
    pub fn human(&self) -> String {
        let mut out = String::new();
        let width = |text: &str| text.chars().count();
        let id_width = self
            .roles
            .iter()
            .map(|r| width(&r.id))
            .max()
            .unwrap_or(4)
            .clamp(4, MAX_ID);
        let title_width = self
            .roles
            .iter()
            .map(|r| display_width(&r.title))
            .max()
            .unwrap_or(0)
            .min(MAX_TITLE);
        for role in &self.roles {
            let id = narrow(&role.id, MAX_ID);
            out.push_str(&format!("{id:id_width$}"));
            let title = narrow(&role.title, MAX_TITLE);
            let pad = title_width.saturating_sub(display_width(&title));
            out.push_str(&format!("  {title}{}", " ".repeat(pad)));
            for (lang, status) in &role.translations.0 {
                out.push_str(&format!("  {lang}: {:9}", status.as_str()));
            }
            if !role.one_sided_sections.is_empty() {
                out.push_str(&format!(
                    "  only in one language: {}",
                    role.one_sided_sections.join(", ")
                ));
            }
            out.push('\n');
            for (lang, file) in &role.errors {
                out.push_str(&format!(
                    "  {lang}: {file} does not parse (`rolebook check` shows why)\n"
                ));
            }
            for line in &role.drift_lines {
                out.push_str(line);
                out.push('\n');
            }
        }
        for (lang, counts) in &self.totals.languages {
            let counts: Vec<String> = counts.iter().map(|(s, n)| format!("{n} {s}")).collect();
            out.push_str(&format!("{lang}: {}\n", counts.join(", ")));
        }
        let not_ok = self
            .roles
            .iter()
            .filter(|r| r.translations.0.iter().any(|(_, s)| *s != Status::Ok))
            .count();
        out.push_str(&format!(
            "{} roles, {} with translations that are not ok\n",
            self.roles.len(),
            not_ok
        ));
        out
    }
}

/// Ids longer than this are cut in `status`'s table (with `…`).
const MAX_ID: usize = 32;
/// Titles longer than this (in columns) are cut in the table.
const MAX_TITLE: usize = 30;

/// Columns `text` takes in a terminal: CJK characters take two.
fn display_width(text: &str) -> usize {
    unicode_width::UnicodeWidthStr::width(text)
}

/// `text` cut to about `max` columns, with `…`.
fn narrow(text: &str, max: usize) -> String {
    if display_width(text) <= max {
        return text.to_string();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in text.chars() {
        let w = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if used + w > max.saturating_sub(1) {
            break;
        }
        out.push(c);
        used += w;
    }
    out.push('…');
    out
}

impl Totals {
    fn of(roles: &[RoleStatus], config: &crate::config::Config) -> Totals {
        let mut languages = indexmap::IndexMap::new();
        for lang in &config.languages {
            let mut counts: BTreeMap<&'static str, usize> = BTreeMap::new();
            for role in roles {
                if let Some((_, s)) = role.translations.0.iter().find(|(k, _)| *k == lang.key) {
                    *counts.entry(s.as_str()).or_default() += 1;
                }
            }
            languages.insert(lang.key.clone(), counts);
        }
        Totals {
            roles: roles.len(),
            languages,
        }
    }
}

/// Status of every role and language, plus one-sided sections and, for
/// stale translations, which sections changed.
pub fn report(handbook: &Handbook, rendered: &[Arc<RenderedPage>]) -> Report {
    let config = &handbook.config;
    let roles = handbook
        .roles
        .par_iter()
        .map(|role| {
            let (title_page, _) = handbook.page_or_fallback(role, LangId::DEFAULT);
            let mut line = RoleStatus {
                id: role.id.to_string(),
                title: title_page.title.clone(),
                errors: BTreeMap::new(),
                translations: LangStatuses(Vec::new()),
                one_sided_sections: one_sided_sections(handbook, rendered, role),
                drift: BTreeMap::new(),
                drift_lines: Vec::new(),
            };
            for lang in config.lang_ids() {
                let key = &config.lang_of(lang).key;
                let state = self::status(handbook, role, lang);
                line.translations.0.push((key.clone(), state));
                if state != Status::Stale {
                    continue;
                }
                let root = &config.root;
                if let Some(drift) = crate::drift::of(root, handbook, rendered, role, lang) {
                    let lines = crate::drift::report::status_lines(&role.id, key, &drift);
                    line.drift_lines.extend(lines);
                    if let Some(ids) = DriftIds::of(&drift) {
                        line.drift.insert(key.clone(), ids);
                    }
                }
            }
            line
        })
        .collect::<Vec<_>>();
    let totals = Totals::of(&roles, config);
    Report { roles, totals }
}

/// Language key -> status, serialised as a JSON object in book.toml's order.
#[derive(Debug)]
pub struct LangStatuses(pub Vec<(String, Status)>);

impl Serialize for LangStatuses {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (lang, status) in &self.0 {
            map.serialize_entry(lang, status)?;
        }
        map.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn section(id: Option<&str>, explicit: bool) -> Section {
        Section {
            id: id.map(String::from),
            explicit,
            level: if id.is_some() { 2 } else { 0 },
            ..Section::default()
        }
    }

    /// `###` subsections (`{#id}` marks an explicit id) under `parent`.
    fn with(mut parent: Section, subsections: &[&str]) -> Section {
        parent.subsections = subsections
            .iter()
            .map(|s| {
                let explicit = s.starts_with('{');
                let mut sub = section(Some(s.trim_matches(['{', '}'])), explicit);
                sub.level = 3;
                sub
            })
            .collect();
        parent
    }

    /// Rows as `left-id/right-id`, `-` for a missing side, `(lead)` for a
    /// lead-in, and a trailing `+` when the row is split.
    fn rows(left: &[Section], right: &[Section]) -> Vec<String> {
        let name = |s: Option<&Section>| match s {
            None => "-".to_string(),
            Some(s) => s.id.clone().unwrap_or_else(|| "(lead)".into()),
        };
        pair_sections(left, right)
            .into_iter()
            .map(|p| {
                let split = if p.split { "+" } else { "" };
                format!("{}/{}{split}", name(p.left), name(p.right))
            })
            .collect()
    }

    #[test]
    fn pairs_by_explicit_id_even_when_reordered() {
        let en = [section(Some("duties"), true), section(Some("skills"), true)];
        let zh = [section(Some("skills"), true), section(Some("duties"), true)];
        assert_eq!(rows(&en, &zh), ["duties/duties", "skills/skills"]);
    }

    #[test]
    fn an_explicit_id_pairs_with_the_same_slug() {
        let en = [
            section(Some("when-to-use"), false),
            section(Some("api"), false),
        ];
        let zh = [
            section(Some("when-to-use"), true),
            section(Some("何时使用"), false),
        ];
        assert_eq!(rows(&en, &zh), ["when-to-use/when-to-use", "api/何时使用"]);
    }

    #[test]
    fn pairs_the_rest_by_order() {
        let en = [
            section(None, false),
            section(Some("purpose"), false),
            section(Some("duties"), true),
        ];
        let zh = [
            section(None, false),
            section(Some("目的"), false),
            section(Some("duties"), true),
        ];
        assert_eq!(
            rows(&en, &zh),
            ["(lead)/(lead)", "purpose/目的", "duties/duties"]
        );
        // A lead-in pairs only with a lead-in.
        let zh = [section(Some("目的"), false), section(Some("duties"), true)];
        assert_eq!(
            rows(&en, &zh),
            ["(lead)/-", "purpose/目的", "duties/duties"]
        );
    }

    #[test]
    fn one_sided_sections_get_their_own_rows_in_place() {
        let en = [
            section(Some("a"), true),
            section(Some("only-en"), true),
            section(Some("c"), true),
        ];
        let zh = [
            section(Some("a"), true),
            section(Some("only-zh"), true),
            section(Some("c"), true),
        ];
        assert_eq!(rows(&en, &zh), ["a/a", "only-en/-", "-/only-zh", "c/c"]);
    }

    #[test]
    fn subsections_pair_when_both_languages_have_them() {
        // mdBook's section pages: `###` under one `##`.
        let en = [with(
            section(Some("what-is-ownership"), false),
            &["the-stack", "{rules}", "scope", "strings"],
        )];
        let zh = [with(
            section(Some("什么是所有权"), false),
            &["{rules}", "栈", "作用域"],
        )];
        assert_eq!(
            rows(&en, &zh),
            [
                "what-is-ownership/什么是所有权+",
                "the-stack/栈",
                "rules/rules",
                "scope/作用域",
                "strings/-"
            ]
        );
    }

    #[test]
    fn a_section_pairs_whole_when_one_language_has_no_subsections() {
        let en = [
            with(section(Some("api"), true), &["button", "group"]),
            section(Some("faq"), true),
        ];
        let zh = [section(Some("api"), true), section(Some("faq"), true)];
        assert_eq!(rows(&en, &zh), ["api/api", "faq/faq"]);
        assert_eq!(rows(&zh, &en), ["api/api", "faq/faq"]);
    }

    #[test]
    fn subsections_pair_only_within_their_parents() {
        // `b` is under different parents: one-sided in each.
        let en = [
            with(section(Some("x"), true), &["a", "{b}"]),
            with(section(Some("y"), true), &["c"]),
        ];
        let zh = [
            with(section(Some("x"), true), &["a"]),
            with(section(Some("y"), true), &["c", "{b}"]),
        ];
        assert_eq!(rows(&en, &zh), ["x/x+", "a/a", "b/-", "y/y+", "c/c", "-/b"]);
    }

    #[test]
    fn a_split_row_shows_the_text_before_the_subsections() {
        let mut en = with(section(Some("x"), true), &["a"]);
        en.html_range = 0..100;
        en.subsections[0].html_range = 40..100;
        let zh = en.clone();
        let (left, right) = ([en], [zh]);
        let rows = pair_sections(&left, &right);
        assert_eq!(rows[0].shown(&left[0]), 0..40);
        assert_eq!(rows[1].shown(&left[0].subsections[0]), 40..100);
        let whole = [section(Some("x"), true)];
        let rows = pair_sections(&left, &whole);
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].shown(&left[0]), 0..100);
    }

    #[test]
    fn the_section_map_sends_missing_subsections_to_their_parents_partner() {
        let page = |sections: Vec<Section>| RenderedPage {
            sections,
            ..RenderedPage::default()
        };
        let en = page(vec![
            with(section(Some("api"), false), &["button", "group"]),
            with(section(Some("own"), false), &["rules", "scope"]),
        ]);
        let zh = page(vec![
            section(Some("接口"), false),
            with(section(Some("所有权"), false), &["规则", "作用域"]),
        ]);
        let map = section_map(&en, &zh);
        let pairs: Vec<(&str, &str)> = map.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
        assert_eq!(
            pairs,
            [
                ("api", "接口"),
                ("button", "接口"),
                ("group", "接口"),
                ("own", "所有权"),
                ("rules", "规则"),
                ("scope", "作用域")
            ]
        );
        assert_eq!(
            one_sided(&en, &zh),
            (Vec::<String>::new(), Vec::<String>::new())
        );
    }
}
