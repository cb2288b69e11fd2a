//! Pairing pages into roles and checking how roles refer to each other.
//!
//! Fourth stage: pages with the same `id` become one [`Role`]. Language-neutral
//! fields (`reports_to`, `related`, `order`, `tags`, and the lifecycle fields
//! of [`RoleLifecycle`]) may be written in one page
//! and hold for all; different values in two pages are a warning. Unknown ids,
//! duplicate pages and `reports_to` cycles are errors. The result is a
//! [`Handbook`] whose lookups are hash maps, never scans.

use std::collections::HashMap;

use rayon::prelude::*;

use crate::config::Config;
use crate::diagnostic::{Code, Diagnostic};
use crate::frontmatter::Page;
use crate::id::{LangId, PageId, RoleId};

mod lifecycle;

pub use lifecycle::{reviews, Review, Reviews, RoleLifecycle, Written};

/// Role ids that name a page rolebook generates itself, in each language's
/// folder (`en/index.html`, `en/translations.html`) and under `parallel/`, or
/// will (`print`, `changes`, `manifest`, `search`), or at the top of the site
/// (`404.html`, `sitemap.xml`): a role with one of these ids would overwrite
/// that page in `build` and be hidden by it in `serve`. Routing checks here.
pub const RESERVED_IDS: &[&str] = &[
    "index",
    "translations",
    "print",
    "changes",
    "404",
    "manifest",
    "sitemap",
    "search",
];

/// How many levels the org chart shows: deeper chains would nest lists past
/// what a page can show (and past what recursion should take).
pub const MAX_ORG_DEPTH: usize = 64;

/// How many bosses [`Handbook::chain_above`] lists at most (the nearest
/// ones): a page's breadcrumbs stay bounded however deep the org chart is.
pub const CHAIN_LIMIT: usize = 64;

/// One role: its pages (one per language at most) and its shared fields.
#[derive(Debug, Clone)]
pub struct Role {
    pub id: RoleId,
    /// Its page in each language, indexed by [`LangId`] (see [`Role::page_id`]).
    pub pages: Vec<Option<PageId>>,
    /// The first of its pages that was read (a role has at least one).
    first_page: PageId,
    pub reports_to: Option<String>,
    pub related: Vec<String>,
    pub order: Option<i64>,
    pub tags: Vec<String>,
    /// Effective date, version, owner, review date, aliases, compared roles.
    pub lifecycle: RoleLifecycle,
    /// A role, or a page of the handbook that is not one (`kind: page`).
    pub kind: crate::frontmatter::Kind,
}

impl Role {
    /// Its page in language `lang`, if written.
    pub fn page_id(&self, lang: LangId) -> Option<PageId> {
        self.pages.get(lang.index()).copied().flatten()
    }
}

/// Every page, paired and validated.
#[derive(Debug)]
pub struct Handbook {
    pub config: Config,
    pub pages: Vec<Page>,
    /// Sorted by `order`, then title in the default language, then id.
    pub roles: Vec<Role>,
    by_id: foldhash::HashMap<RoleId, usize>,
    /// Per role: the position of the role its `reports_to` names, if any
    /// (looked up once here, not on every page that shows the chain).
    bosses: Vec<Option<usize>>,
    /// Per role: the positions of the roles its `related` names that exist.
    related: Vec<Vec<usize>>,
    /// Direct reports of each role id, in role order.
    reports: HashMap<String, Vec<usize>>,
    /// The role each usable alias (former id) leads to.
    aliases: HashMap<String, usize>,
    /// Per role: the roles whose pages compare it (`compare`), in role order.
    compared_in: Vec<Vec<usize>>,
}

impl Handbook {
    /// Pairs `pages` into roles; returns the handbook and its problems.
    pub fn assemble(config: Config, pages: Vec<Page>) -> (Handbook, Vec<Diagnostic>) {
        let mut problems = Vec::new();
        let mut by_id: foldhash::HashMap<&RoleId, usize> = foldhash::HashMap::default();
        let mut roles: Vec<Role> = Vec::new();
        let lang_count = config.languages.len();
        for (index, page) in pages.iter().enumerate() {
            let lang_index = page.lang_id.index();
            let role_index = *by_id.entry(&page.id).or_insert_with(|| {
                roles.push(Role {
                    id: page.id.clone(),
                    pages: vec![None; lang_count],
                    first_page: PageId::new(index),
                    reports_to: None,
                    related: Vec::new(),
                    order: None,
                    tags: Vec::new(),
                    lifecycle: RoleLifecycle::default(),
                    kind: crate::frontmatter::Kind::Role,
                });
                roles.len() - 1
            });
            let slot = &mut roles[role_index].pages[lang_index];
            match slot {
                Some(first) => problems.push(
                    Diagnostic::error(
                        Code::DuplicateId,
                        &page.file,
                        format!(
                            "id `{}` in language `{}` is also used by {}",
                            page.id, page.lang, pages[*first].file
                        ),
                    )
                    .at(page.id_line, 1)
                    .hint("give one of the two pages another id, or another language"),
                ),
                None => *slot = Some(PageId::new(index)),
            }
        }
        // Each role on its own, on every core; the problems in role order.
        let merged: Vec<Vec<Diagnostic>> = roles
            .par_iter_mut()
            .map(|role| {
                let mut found = Vec::new();
                merge_shared_fields(role, &pages, &mut found);
                found
            })
            .collect();
        problems.extend(merged.into_iter().flatten());
        sort_roles(&mut roles, &pages);
        let by_id: foldhash::HashMap<RoleId, usize> = roles
            .iter()
            .enumerate()
            .map(|(i, r)| (r.id.clone(), i))
            .collect();
        let bosses = roles
            .iter()
            .map(|r| r.reports_to.as_deref().and_then(|b| by_id.get(b).copied()))
            .collect();
        let related = roles
            .iter()
            .map(|r| {
                (r.related.iter())
                    .filter_map(|id| by_id.get(id.as_str()).copied())
                    .collect()
            })
            .collect();
        let mut reports: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, role) in roles.iter().enumerate() {
            if let Some(boss) = &role.reports_to {
                match reports.get_mut(boss.as_str()) {
                    Some(list) => list.push(i),
                    None => {
                        reports.insert(boss.clone(), vec![i]);
                    }
                }
            }
        }
        // Former ids that can lead to their role: valid, not a live or
        // reserved id, the first role's when two claim one (see
        // `check::lifecycle::aliases` for the errors).
        let mut aliases: HashMap<String, usize> = HashMap::new();
        for (i, role) in roles.iter().enumerate() {
            for alias in &role.lifecycle.aliases {
                let name = alias.value.as_str();
                let usable = crate::id::is_valid_role_id(name)
                    && !RESERVED_IDS.contains(&name)
                    && RoleId::parse(name).is_some_and(|id| !by_id.contains_key(&id));
                if usable {
                    aliases.entry(name.to_string()).or_insert(i);
                }
            }
        }
        let mut compared_in = vec![Vec::new(); roles.len()];
        for (i, role) in roles.iter().enumerate() {
            for compared in &role.lifecycle.compare {
                if let Some(&c) = by_id.get(compared.value.as_str()) {
                    if compared_in[c].last() != Some(&i) {
                        compared_in[c].push(i);
                    }
                }
            }
        }
        let handbook = Handbook {
            config,
            pages,
            roles,
            by_id,
            bosses,
            related,
            reports,
            aliases,
            compared_in,
        };
        (handbook, problems)
    }

    /// Position of role `id` in `roles`.
    pub fn role_index(&self, id: &str) -> Option<usize> {
        self.by_id.get(id).copied()
    }

    /// The roles whose pages compare role number `index`.
    pub fn comparisons_of(&self, index: usize) -> &[usize] {
        self.compared_in.get(index).map_or(&[], Vec::as_slice)
    }

    /// The role that former id `alias` leads to.
    pub fn alias(&self, alias: &str) -> Option<usize> {
        self.aliases.get(alias).copied()
    }

    /// Every usable alias and its role's position, in no order.
    pub fn aliases(&self) -> impl Iterator<Item = (&str, usize)> {
        self.aliases.iter().map(|(a, &i)| (a.as_str(), i))
    }

    pub fn role(&self, id: &str) -> Option<&Role> {
        self.by_id.get(id).map(|&i| &self.roles[i])
    }

    /// The page of `role` in language `lang`, if written.
    pub fn page(&self, role: &Role, lang: LangId) -> Option<&Page> {
        role.page_id(lang).map(|i| &self.pages[i])
    }

    /// The page to show for `role` in language `lang`: its own, else the
    /// default language's, else any. The flag says whether it is a fallback.
    pub fn page_or_fallback(&self, role: &Role, lang: LangId) -> (&Page, bool) {
        let (index, fallback) = self.shown_page(role, lang);
        (&self.pages[index], fallback)
    }

    /// The page [`Handbook::page_or_fallback`] shows.
    pub fn shown_page(&self, role: &Role, lang: LangId) -> (PageId, bool) {
        match role.page_id(lang) {
            Some(page) => (page, false),
            None => (
                role.pages
                    .iter()
                    .flatten()
                    .next()
                    .copied()
                    .unwrap_or(role.first_page),
                true,
            ),
        }
    }

    pub fn direct_reports(&self, id: &str) -> impl Iterator<Item = &Role> {
        self.direct_report_indexes(id)
            .iter()
            .map(|&i| &self.roles[i])
    }

    /// The positions of the roles that report to role `id`, in role order.
    pub fn direct_report_indexes(&self, id: &str) -> &[usize] {
        self.reports.get(id).map_or(&[], Vec::as_slice)
    }

    /// Roles at the top of the org chart: no `reports_to`, but someone reports to them.
    pub fn org_roots(&self) -> impl Iterator<Item = &Role> {
        self.roles
            .iter()
            .filter(|r| r.reports_to.is_none() && self.reports.contains_key(r.id.as_str()))
    }

    /// The position of the role that role number `index` reports to.
    pub fn boss(&self, index: usize) -> Option<usize> {
        self.bosses.get(index).copied().flatten()
    }

    /// The positions of the roles that role number `index` names as
    /// related (those that exist), in its order.
    pub fn related_indexes(&self, index: usize) -> &[usize] {
        self.related.get(index).map_or(&[], Vec::as_slice)
    }

    /// The `reports_to` chain from the top down to (not including) role
    /// number `index`, as positions: the nearest [`CHAIN_LIMIT`] bosses at
    /// most, so that every page's breadcrumbs stay small however deep the
    /// org chart goes.
    pub fn chain_above(&self, index: usize) -> Vec<usize> {
        self.chain_counted(index).0
    }

    /// [`Handbook::chain_above`] and the number of steps it took.
    fn chain_counted(&self, index: usize) -> (Vec<usize>, usize) {
        let mut chain: Vec<usize> = Vec::new();
        let mut steps = 0;
        let mut current = index;
        while self.roles[current].reports_to.is_some() {
            steps += 1;
            let Some(boss) = self.bosses[current] else {
                break;
            };
            // A circle (reported by `check_cycles`) ends the chain; with the
            // limit, this scan stays within a fixed size.
            if chain.len() == CHAIN_LIMIT || boss == index || chain.contains(&boss) {
                break;
            }
            chain.push(boss);
            current = boss;
        }
        chain.reverse();
        (chain, steps)
    }
}

/// Takes each shared field from the first page (in language order) that sets
/// it; warns where another page sets it differently.
fn merge_shared_fields(role: &mut Role, pages: &[Page], problems: &mut Vec<Diagnostic>) {
    let written: Vec<&Page> = role.pages.iter().flatten().map(|&i| &pages[i]).collect();
    let reports_to = shared(&written, "reports_to", problems, |p| {
        p.reports_to.as_ref().map(|r| (r.value.clone(), r.line))
    });
    let related = shared(&written, "related", problems, |p| {
        let list = p.related.as_ref()?;
        let line = list.first().map_or(1, |r| r.line);
        Some((
            list.iter().map(|r| r.value.clone()).collect::<Vec<_>>(),
            line,
        ))
    });
    let order = shared(&written, "order", problems, |p| {
        p.order.map(|o| (o, p.order_line))
    });
    let tags = shared(&written, "tags", problems, |p| {
        p.tags.clone().map(|t| (t, p.tags_line))
    });
    role.reports_to = reports_to;
    role.related = related.unwrap_or_default();
    role.order = order;
    role.tags = tags.unwrap_or_default();
    role.lifecycle = RoleLifecycle::merge(&written, problems);
    role.kind = shared(&written, "kind", problems, |p| {
        p.kind_line.map(|l| (p.kind, l))
    })
    .unwrap_or_default();
}

/// The value of a language-neutral field: the first page's (in language
/// order) that writes it, with a `shared-field-differs` warning at every
/// other page that writes something else (at the line `get` gives, column 1).
fn shared<T: PartialEq + std::fmt::Debug>(
    pages: &[&Page],
    field: &str,
    problems: &mut Vec<Diagnostic>,
    get: impl Fn(&Page) -> Option<(T, usize)>,
) -> Option<T> {
    shared_from(pages, field, problems, |p| {
        get(p).map(|(v, line)| (v, line, 1))
    })
    .map(|(v, _)| v)
}

/// [`shared`] with the column of each value, returning also the page the
/// value was taken from (the one mechanism for every shared field; see
/// also `lifecycle.rs`).
pub(crate) fn shared_from<'p, T: PartialEq + std::fmt::Debug>(
    pages: &[&'p Page],
    field: &str,
    problems: &mut Vec<Diagnostic>,
    get: impl Fn(&Page) -> Option<(T, usize, usize)>,
) -> Option<(T, &'p Page)> {
    let mut chosen: Option<(T, &'p Page)> = None;
    for &page in pages {
        let Some((value, line, column)) = get(page) else {
            continue;
        };
        match &chosen {
            None => chosen = Some((value, page)),
            Some((first, first_page)) if *first != value => problems.push(
                Diagnostic::warning(
                    Code::SharedFieldDiffers,
                    &page.file,
                    format!(
                        "`{field}` is {value:?} here but {first:?} in {}",
                        first_page.file
                    ),
                )
                .at(line, column)
                .hint(format!(
                    "`{field}` holds for every language of a role: give the same value in both pages, or write it in one page only"
                )),
            ),
            Some(_) => {}
        }
    }
    chosen
}

fn sort_roles(roles: &mut [Role], pages: &[Page]) {
    let title = |r: &Role| {
        r.pages
            .iter()
            .flatten()
            .next()
            .map(|&i| pages[i].title.to_lowercase())
            .unwrap_or_default()
    };
    roles.par_sort_by_cached_key(|r| (r.order.unwrap_or(i64::MAX), title(r), r.id.clone()));
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::check::roles::find_circles;
    use crate::frontmatter::parse_page;
    use crate::source::SourceFile;
    use std::path::Path;

    pub(crate) fn handbook(files: &[(&str, &str)]) -> (Handbook, Vec<Diagnostic>) {
        let config = Config::parse(
            Path::new("/r"),
            "[book]\ndefault_language='en'\n[languages.en]\nname='English'\ntitle='H'\n[languages.zh]\nname='中文'\ntitle='手册'\n",
        )
        .unwrap();
        let pages = files
            .iter()
            .map(|(path, text)| {
                let mut source = SourceFile {
                    file: format!("content/{path}"),
                    content_path: path.to_string(),
                    bytes: text.as_bytes().to_vec(),
                    modified: None,
                };
                parse_page(&mut source, &config).unwrap()
            })
            .collect();
        let (h, mut problems) = Handbook::assemble(config, pages);
        problems.extend(crate::check::run(&h, &[], &Default::default()));
        (h, problems)
    }

    #[test]
    fn pairs_pages_by_id_and_shares_fields() {
        let (h, problems) = handbook(&[
            ("en/boss.md", "---\nid: boss\ntitle: Boss\n---\n"),
            (
                "en/sec.md",
                "---\nid: sec\ntitle: Secretary\nreports_to: boss\n---\n",
            ),
            ("zh/sec.md", "---\nid: sec\ntitle: 秘书\n---\n"),
            ("zh/boss.md", "---\nid: boss\ntitle: 老板\n---\n"),
        ]);
        assert!(problems.is_empty(), "{problems:?}");
        let sec = h.role("sec").unwrap();
        assert_eq!(
            h.page(sec, h.config.lang_id("zh").unwrap()).unwrap().title,
            "秘书"
        );
        assert_eq!(sec.reports_to.as_deref(), Some("boss"));
        assert_eq!(
            h.direct_reports("boss")
                .map(|r| r.id.as_str())
                .collect::<Vec<_>>(),
            ["sec"]
        );
        assert_eq!(
            h.org_roots().map(|r| r.id.as_str()).collect::<Vec<_>>(),
            ["boss"]
        );
    }

    #[test]
    fn positions_found_once_agree_with_the_ids() {
        let (h, _) = handbook(&[
            ("en/gm.md", "---\nid: gm\ntitle: GM\n---\n"),
            (
                "en/dir.md",
                "---\nid: dir\ntitle: Director\nreports_to: gm\nrelated: [sec, nobody, gm]\n---\n",
            ),
            (
                "en/sec.md",
                "---\nid: sec\ntitle: Secretary\nreports_to: dir\n---\n",
            ),
            (
                "en/lost.md",
                "---\nid: lost\ntitle: Lost\nreports_to: nobody\n---\n",
            ),
            (
                "en/loop.md",
                "---\nid: loop\ntitle: Loop\nreports_to: loop\n---\n",
            ),
        ]);
        let at = |id: &str| h.role_index(id).unwrap();
        let ids = |list: &[usize]| {
            list.iter()
                .map(|&i| h.roles[i].id.to_string())
                .collect::<Vec<_>>()
        };
        assert_eq!(ids(&h.chain_above(at("sec"))), ["gm", "dir"]);
        assert_eq!(h.boss(at("sec")), Some(at("dir")));
        assert_eq!(h.boss(at("lost")), None);
        assert_eq!(h.boss(at("gm")), None);
        assert!(h.chain_above(at("loop")).is_empty());
        // Names that lead nowhere are left out; the order is the page's.
        assert_eq!(ids(h.related_indexes(at("dir"))), ["sec", "gm"]);
        assert_eq!(ids(h.direct_report_indexes("dir")), ["sec"]);
        assert!(h.direct_report_indexes("sec").is_empty());
    }

    #[test]
    fn differing_shared_field_is_a_warning_naming_both_files() {
        let (_, problems) = handbook(&[
            ("en/a.md", "---\nid: a\ntitle: A\nreports_to: b\n---\n"),
            ("zh/a.md", "---\nid: a\ntitle: A\nreports_to: c\n---\n"),
            ("en/b.md", "---\nid: b\ntitle: B\n---\n"),
            ("en/c.md", "---\nid: c\ntitle: C\n---\n"),
        ]);
        let d = problems
            .iter()
            .find(|d| d.code == "shared-field-differs")
            .unwrap();
        assert_eq!(d.file, "content/zh/a.md");
        assert!(d.message.contains("content/en/a.md"));
    }

    #[test]
    fn duplicate_id_names_both_files() {
        let (_, problems) = handbook(&[
            ("en/a.md", "---\nid: a\ntitle: A\n---\n"),
            ("en/b.md", "---\nid: a\ntitle: B\n---\n"),
        ]);
        let d = problems.iter().find(|d| d.code == "duplicate-id").unwrap();
        assert_eq!((d.file.as_str(), d.line), ("content/en/b.md", 2));
        assert!(d.message.contains("content/en/a.md"));
    }

    #[test]
    fn unknown_reports_to_points_at_the_field() {
        let (_, problems) =
            handbook(&[("en/a.md", "---\nid: a\ntitle: A\nreports_to: bos\n---\n")]);
        let d = problems.iter().find(|d| d.code == "unknown-role").unwrap();
        assert_eq!((d.line, d.column), (4, 13));
    }

    #[test]
    fn cycle_is_printed_once() {
        let (_, problems) = handbook(&[
            ("en/a.md", "---\nid: a\ntitle: A\nreports_to: b\n---\n"),
            ("en/b.md", "---\nid: b\ntitle: B\nreports_to: c\n---\n"),
            ("en/c.md", "---\nid: c\ntitle: C\nreports_to: a\n---\n"),
        ]);
        let cycles: Vec<_> = problems
            .iter()
            .filter(|d| d.code == "reports-to-cycle")
            .collect();
        assert_eq!(cycles.len(), 1);
        assert!(
            cycles[0].message.contains("a -> b -> c -> a"),
            "{}",
            cycles[0].message
        );
    }

    /// Roles `r0` <- `r1` <- ... (each reports to the one before), in English.
    fn chain(n: usize) -> Handbook {
        let texts: Vec<(String, String)> = (0..n)
            .map(|i| {
                let boss = match i {
                    0 => String::new(),
                    _ => format!("reports_to: r{}\n", i - 1),
                };
                (
                    format!("en/r{i}.md"),
                    format!("---\nid: r{i}\ntitle: R{i}\n{boss}---\n"),
                )
            })
            .collect();
        let files: Vec<(&str, &str)> = texts
            .iter()
            .map(|(p, t)| (p.as_str(), t.as_str()))
            .collect();
        handbook(&files).0
    }

    fn assert_linear(name: &str, small: usize, large: usize) {
        assert!(
            large <= small.max(1) * 15,
            "{name}: 10x the roles cost {}x the steps ({small} -> {large})",
            large / small.max(1)
        );
    }

    #[test]
    fn cycle_check_of_a_long_reports_to_chain_is_linear() {
        let steps = |n| {
            let boss: Vec<Option<usize>> = (0..n).map(|i: usize| i.checked_sub(1)).collect();
            find_circles(&boss).1
        };
        assert_linear("cycle check", steps(200), steps(2_000));
    }

    #[test]
    fn breadcrumbs_of_a_long_reports_to_chain_are_linear() {
        let steps = |n| {
            let h = chain(n);
            (0..h.roles.len())
                .map(|r| h.chain_counted(r).1)
                .sum::<usize>()
        };
        assert_linear("chain_above", steps(200), steps(2_000));
        let h = chain(CHAIN_LIMIT + 10);
        let above = h.chain_above(h.role_index(&format!("r{}", CHAIN_LIMIT + 9)).unwrap());
        let ids: Vec<&str> = above.iter().map(|&r| h.roles[r].id.as_str()).collect();
        assert_eq!(ids.len(), CHAIN_LIMIT);
        assert_eq!(
            (ids[0], ids[CHAIN_LIMIT - 1]),
            ("r9", format!("r{}", CHAIN_LIMIT + 8).as_str())
        );
    }

    #[test]
    fn circles_are_found_once_each_in_linear_steps() {
        // 0 -> 1 -> 2 -> 0, 3 -> 1 (a tail into it), 4 -> 4, 5 -> 6 (no circle).
        let boss = [Some(1), Some(2), Some(0), Some(1), Some(4), Some(6), None];
        let (circles, steps) = find_circles(&boss);
        assert_eq!(circles, [vec![0, 1, 2], vec![4]]);
        assert!(steps <= 2 * boss.len(), "{steps}");
        let ring = |n: usize| (0..n).map(|i| Some((i + 1) % n)).collect::<Vec<_>>();
        assert_linear(
            "one big circle",
            find_circles(&ring(400)).1,
            find_circles(&ring(4_000)).1,
        );
    }

    #[test]
    fn cycle_is_named_from_its_smallest_id_and_self_loops_count() {
        let (_, problems) = handbook(&[
            (
                "en/c.md",
                "---\nid: c\ntitle: A\norder: 1\nreports_to: a\n---\n",
            ),
            (
                "en/a.md",
                "---\nid: a\ntitle: Z\norder: 9\nreports_to: b\n---\n",
            ),
            ("en/b.md", "---\nid: b\ntitle: B\nreports_to: c\n---\n"),
            ("en/s.md", "---\nid: s\ntitle: S\nreports_to: s\n---\n"),
        ]);
        let cycles: Vec<_> = problems
            .iter()
            .filter(|d| d.code == "reports-to-cycle")
            .map(|d| (d.file.as_str(), d.message.split(": ").nth(1).unwrap_or("")))
            .collect();
        assert_eq!(
            cycles,
            [
                ("content/en/a.md", "a -> b -> c -> a"),
                ("content/en/s.md", "s -> s")
            ]
        );
    }

    #[test]
    fn reserved_id_is_an_error_at_the_id_line() {
        let (_, problems) = handbook(&[
            ("en/i.md", "---\ntitle: I\nid: index\n---\n"),
            ("zh/i.md", "---\ntitle: I\nid: index\n---\n"),
            ("en/ok.md", "---\ntitle: I\nid: index-role\n---\n"),
        ]);
        let found: Vec<_> = problems
            .iter()
            .filter(|d| d.code == "reserved-id")
            .collect();
        assert_eq!(found.len(), 2, "{problems:?}");
        assert_eq!(
            (found[0].file.as_str(), found[0].line),
            ("content/en/i.md", 3)
        );
        let hint = found[0].hint.as_deref().unwrap_or("");
        assert!(
            hint.contains("`index-role`") && hint.contains("`sitemap`"),
            "{hint}"
        );
    }

    #[test]
    fn missing_language_is_a_warning() {
        let (h, problems) = handbook(&[("en/a.md", "---\nid: a\ntitle: A\n---\n")]);
        assert_eq!(problems[0].code, "missing-translation");
        let (page, fallback) =
            h.page_or_fallback(h.role("a").unwrap(), h.config.lang_id("zh").unwrap());
        assert!(fallback);
        assert_eq!(page.lang, "en");
    }
}
