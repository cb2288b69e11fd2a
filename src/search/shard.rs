//! Which shard a term lies in: the terms' group keys (a word's stem, CJK
//! characters themselves) sorted, and cut into runs of at most a budget of
//! bytes. A shard is named by its number; the index's entry file lists the
//! first key of each, and search.js finds a key's shard by binary search
//! (keys are ASCII or CJK characters of the Basic Multilingual Plane, which
//! sort alike by bytes here and by UTF-16 units there).

/// Where each shard starts in `sizes` (the sizes of groups sorted by key):
/// a new shard starts when the next group would take it over `budget`
/// bytes. A group larger than the budget is a shard of its own. The first
/// shard starts at 0; no shard is empty.
pub fn cut(sizes: &[usize], budget: usize) -> Vec<usize> {
    let mut starts = vec![0];
    let mut size = 0;
    for (i, &s) in sizes.iter().enumerate() {
        if size > 0 && size + s > budget {
            starts.push(i);
            size = 0;
        }
        size += s;
    }
    starts
}

/// The shard of `key`, given the first key of every shard (the first
/// being `""`): the last shard whose first key is not after `key`.
pub fn shard_of(firsts: &[&str], key: &str) -> usize {
    firsts
        .partition_point(|first| *first <= key)
        .saturating_sub(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_hold_runs_within_the_budget() {
        assert_eq!(cut(&[10, 10, 10, 25, 5, 40, 1], 30), [0, 3, 5, 6]);
        assert_eq!(cut(&[], 30), [0]);
        assert_eq!(cut(&[99], 30), [0]);
    }

    proptest::proptest! {
        /// Every term lands in exactly one shard, the one its lookup names;
        /// every shard is within the budget unless it is one group.
        #[test]
        fn every_key_lands_in_the_shard_its_lookup_names(
            mut keys in proptest::collection::btree_set("[a-z0-9]{1,6}|[行政助理考勤文件会议]{1,2}", 0..200),
            budget in 1usize..400,
        ) {
            let keys: Vec<String> = std::mem::take(&mut keys).into_iter().collect();
            let sizes: Vec<usize> = keys.iter().map(|k| k.len() * 7).collect();
            let starts = cut(&sizes, budget);
            let mut firsts: Vec<&str> = starts.iter().map(|&i| keys.get(i).map_or("", |k| k.as_str())).collect();
            firsts[0] = "";
            for (i, key) in keys.iter().enumerate() {
                let shard = starts.partition_point(|&s| s <= i) - 1;
                proptest::prop_assert_eq!(shard_of(&firsts, key), shard);
            }
            for (n, &start) in starts.iter().enumerate() {
                let end = starts.get(n + 1).copied().unwrap_or(keys.len());
                let size: usize = sizes[start..end].iter().sum();
                proptest::prop_assert!(size <= budget || end - start == 1, "shard {n}: {size}");
                proptest::prop_assert!(end > start || keys.is_empty());
            }
        }
    }
}
