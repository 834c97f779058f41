//! Stable sorting with one copy of std's sort in the component.
//!
//! Every `sort_by_key` with its own closure is a separate instantiation of std's sort (several KB of
//! wasm each); five call sites made `core::slice::sort` 23 KB of the core module (issue 15's size
//! breakdown). Here std's sort is instantiated once, on indices, and each caller only adds a small
//! comparison and an in-place permutation. Time stays O(n log n), so hostile inputs with many items
//! (form parameters, card-number candidates) cost what they cost before.

use std::cmp::Ordering;

/// Sort `items` stably by `cmp` (equal items keep their order), in place.
pub fn sort_by<T>(items: &mut [T], mut cmp: impl FnMut(&T, &T) -> Ordering) {
    let mut order: Vec<usize> = (0..items.len()).collect();
    {
        let items = &*items;
        sort_indices(&mut order, &mut |a, b| match (items.get(a), items.get(b)) {
            (Some(x), Some(y)) => cmp(x, y),
            _ => Ordering::Equal,
        });
    }
    permute(items, &order);
}

/// Sort `items` stably by the key `key` gives.
pub fn sort_by_key<T, K: Ord>(items: &mut [T], mut key: impl FnMut(&T) -> K) {
    sort_by(items, |a, b| key(a).cmp(&key(b)));
}

/// The one instantiation of std's sort: indices, ties broken by position (so the result is stable).
#[inline(never)]
fn sort_indices(order: &mut [usize], cmp: &mut dyn FnMut(usize, usize) -> Ordering) {
    order.sort_unstable_by(|&a, &b| cmp(a, b).then(a.cmp(&b)));
}

/// Rearrange `items` so that position `i` holds what was at `order[i]`, following each cycle of the
/// permutation once (O(n) swaps).
fn permute<T>(items: &mut [T], order: &[usize]) {
    let mut done = vec![false; items.len()];
    for start in 0..items.len() {
        let mut current = start;
        while done.get(current) == Some(&false) {
            if let Some(d) = done.get_mut(current) {
                *d = true;
            }
            let Some(&next) = order.get(current) else { break };
            if next == start || next >= items.len() {
                break;
            }
            items.swap(current, next);
            current = next;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorts_like_std_stable_sort() {
        let mut seed = 0x2545_f491_u64;
        for len in 0..60 {
            let items: Vec<(u8, usize)> = (0..len)
                .map(|i| {
                    seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                    ((seed >> 60) as u8, i)
                })
                .collect();
            let mut ours = items.clone();
            sort_by_key(&mut ours, |x| x.0);
            let mut std_sorted = items;
            std_sorted.sort_by_key(|x| x.0);
            assert_eq!(ours, std_sorted, "stable: equal keys keep their order");
        }
    }

    #[test]
    fn sorts_owned_strings() {
        let mut v: Vec<(String, String)> = [("b", "1"), ("a", "2"), ("b", "0"), ("a", "1")]
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        sort_by(&mut v, |a, b| a.cmp(b));
        let flat: Vec<String> = v.into_iter().map(|(k, v)| k + &v).collect();
        assert_eq!(flat, ["a1", "a2", "b0", "b1"]);
    }
}
