//! Role comparisons: the top-level sections of several roles' pages lined
//! up in rows, so that a reader compares like with like. A section joins the
//! row of a section with the same author-written id (`{#duties}`), else one
//! with the same heading text (case and spacing aside), else the next free
//! row in order (lead-in with lead-in); what is left gets a row of its own,
//! after the row of the section before it. A section only one role has thus
//! sits beside empty cells. Each page is walked once, with maps for the ids
//! and headings: linear in the number of sections.

use std::collections::HashMap;

use crate::markdown::Section;

/// Rows of section indices, one column per compared page (`None`: that
/// page has no section in this row).
pub fn align(pages: &[&[Section]]) -> Vec<Vec<Option<usize>>> {
    let columns = pages.len();
    let mut rows: Vec<Vec<Option<usize>>> = Vec::new();
    // Row of each explicit id and each heading seen so far. Rows are
    // inserted in the middle at times, so these hold row *keys* (stable
    // numbers), and `order` lists the keys in display order.
    let mut by_id: HashMap<&str, usize> = HashMap::new();
    let mut by_heading: HashMap<String, usize> = HashMap::new();
    let mut order: Vec<usize> = Vec::new();
    for (column, sections) in pages.iter().enumerate() {
        let mut placed: Vec<Option<usize>> = vec![None; sections.len()];
        let free = |rows: &Vec<Vec<Option<usize>>>, key: usize| rows[key][column].is_none();
        for (i, s) in sections.iter().enumerate() {
            let key =
                s.id.as_deref()
                    .filter(|_| s.explicit)
                    .and_then(|id| by_id.get(id).copied())
                    .filter(|&k| free(&rows, k))
                    .or_else(|| {
                        by_heading
                            .get(&heading_key(&s.heading))
                            .copied()
                            .filter(|&k| free(&rows, k) && !s.heading.trim().is_empty())
                    });
            if let Some(key) = key {
                rows[key][column] = Some(i);
                placed[i] = Some(key);
            }
        }
        // The rest by order: each into the next free row after the row of
        // the section before it, when that row's sections have no id of
        // their own (lead-ins pair with lead-ins); else into a new row
        // there. New rows join the order once the column is done.
        let position: HashMap<usize, usize> =
            order.iter().enumerate().map(|(p, &k)| (k, p)).collect();
        let mut inserts: Vec<(usize, usize)> = Vec::new(); // (before position, key)
        let mut cursor = 0; // position in `order`
        for (i, s) in sections.iter().enumerate() {
            if let Some(key) = placed[i] {
                cursor = position.get(&key).map_or(cursor, |p| p + 1);
                continue;
            }
            let lead_in = s.id.is_none();
            let fits = |key: usize| {
                rows[key][column].is_none()
                    && rows[key].iter().zip(pages.iter()).all(|(cell, page)| {
                        cell.is_none_or(|j| page[j].id.is_none() == lead_in && !page[j].explicit)
                    })
            };
            let found = (!s.explicit)
                .then(|| (cursor..order.len()).find(|&p| fits(order[p])))
                .flatten();
            let key = match found {
                Some(p) => {
                    cursor = p + 1;
                    order[p]
                }
                None => {
                    rows.push(vec![None; columns]);
                    inserts.push((cursor, rows.len() - 1));
                    rows.len() - 1
                }
            };
            rows[key][column] = Some(i);
            placed[i] = Some(key);
        }
        if !inserts.is_empty() {
            let mut merged = Vec::with_capacity(order.len() + inserts.len());
            let mut pending = inserts.into_iter().peekable();
            for (p, &key) in order.iter().enumerate() {
                while let Some((_, new)) = pending.next_if(|(before, _)| *before <= p) {
                    merged.push(new);
                }
                merged.push(key);
            }
            merged.extend(pending.map(|(_, new)| new));
            order = merged;
        }
        for (s, key) in sections.iter().zip(&placed) {
            let Some(key) = *key else { continue };
            if let Some(id) = s.id.as_deref().filter(|_| s.explicit) {
                by_id.entry(id).or_insert(key);
            }
            if !s.heading.trim().is_empty() {
                by_heading.entry(heading_key(&s.heading)).or_insert(key);
            }
        }
    }
    order
        .into_iter()
        .map(|k| std::mem::take(&mut rows[k]))
        .collect()
}

/// A heading as compared: lowercase, spaces squeezed.
fn heading_key(heading: &str) -> String {
    heading
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn section(id: Option<&str>, explicit: bool, heading: &str) -> Section {
        Section {
            id: id.map(str::to_string),
            explicit,
            heading: heading.to_string(),
            level: if id.is_some() { 2 } else { 0 },
            ..Section::default()
        }
    }

    fn ids(pages: &[&[Section]]) -> Vec<Vec<Option<String>>> {
        align(pages)
            .into_iter()
            .map(|row| {
                row.iter()
                    .zip(pages)
                    .map(|(cell, page)| cell.map(|i| page[i].heading.clone()))
                    .collect()
            })
            .collect()
    }

    #[test]
    fn sections_line_up_by_id_then_heading_then_order() {
        let a = [
            section(None, false, ""),
            section(Some("duties"), true, "Duties"),
            section(Some("skills"), false, "Skills"),
            section(Some("tools"), false, "Tools"),
            section(Some("a-only"), true, "Only A"),
        ];
        let b = [
            section(None, false, ""),
            section(Some("requirements"), false, "Requirements"),
            section(Some("tasks"), true, "Main tasks"),
            section(Some("skills-2"), false, "skills "),
            section(Some("duties"), true, "Responsibilities"),
        ];
        let s = |t: &str| Some(t.to_string());
        assert_eq!(
            ids(&[&a, &b]),
            vec![
                vec![s(""), s("")],
                vec![s("Duties"), s("Responsibilities")],
                // By heading text, whatever the slug.
                vec![s("Skills"), s("skills ")],
                // By order: the next free row without an author's id.
                vec![s("Tools"), s("Requirements")],
                // An author's id that the other page lacks gets its own row.
                vec![None, s("Main tasks")],
                vec![s("Only A"), None],
            ]
        );
    }

    #[test]
    fn three_pages_and_empty_ones() {
        let a = [section(Some("duties"), true, "Duties")];
        let c = [
            section(Some("pay"), true, "Pay"),
            section(Some("duties"), true, "Duties"),
        ];
        let rows = align(&[&a, &[], &c]);
        assert_eq!(
            rows,
            vec![vec![None, None, Some(0)], vec![Some(0), None, Some(1)]]
        );
    }

    #[test]
    fn many_sections_stay_fast() {
        // Linear: 20,000 sections in two pages with distinct headings.
        let page = |tag: &str| -> Vec<Section> {
            (0..20_000)
                .map(|i| section(Some(&format!("{tag}{i}")), false, &format!("{tag} {i}")))
                .collect()
        };
        let (a, b) = (page("a"), page("b"));
        let rows = align(&[&a, &b]);
        assert_eq!(rows.len(), 20_000);
    }
}
