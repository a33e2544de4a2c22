//! Collecting pages of items: arrival order to page order, then one item per id,
//! without a map of owned ids and without a second copy of the items.

use std::collections::HashSet;

use super::wire::Keyed;

/// Room reserved up front is capped: `total` comes from the server.
const MAX_RESERVE: u64 = 1_000_000;

/// Items in arrival order plus where each page's run starts, so out-of-order pages need
/// neither a buffer per page nor a copy when put in order.
pub(crate) struct PageBuffer<T> {
    items: Vec<T>,
    /// (page number, start, length) per page received.
    spans: Vec<(u32, usize, usize)>,
}

impl<T> Default for PageBuffer<T> {
    fn default() -> Self {
        Self {
            items: Vec::new(),
            spans: Vec::new(),
        }
    }
}

impl<T> PageBuffer<T> {
    /// Reserves room for `expected` items (the server's `total`, capped).
    pub(crate) fn with_capacity(expected: u64) -> Self {
        let room = usize::try_from(expected.min(MAX_RESERVE)).unwrap_or(0);
        Self {
            items: Vec::with_capacity(room),
            spans: Vec::new(),
        }
    }

    pub(crate) fn push(&mut self, page: u32, items: Vec<T>) {
        self.spans.push((page, self.items.len(), items.len()));
        self.items.extend(items);
    }

    /// The items in page order (a page read twice keeps both runs, later one last).
    pub(crate) fn into_page_order(mut self) -> Vec<T> {
        self.spans.sort_by_key(|&(page, start, _)| (page, start));
        if self.spans.windows(2).all(|w| w[0].1 <= w[1].1) {
            return self.items; // arrived in order
        }
        // `from[i]`: where the item that belongs at `i` is now.
        let from: Vec<usize> = self
            .spans
            .iter()
            .flat_map(|&(_, start, len)| start..start + len)
            .collect();
        permute(&mut self.items, &from);
        self.items
    }
}

/// Rearranges `items` in place so that the new `items[i]` is the old `items[from[i]]`.
fn permute<T>(items: &mut [T], from: &[usize]) {
    let mut placed = vec![false; items.len()];
    for start in 0..items.len() {
        let mut at = start;
        // Walk the cycle: each swap puts one item in its final place.
        while !placed[at] {
            placed[at] = true;
            let next = from[at];
            if next == start {
                break;
            }
            items.swap(at, next);
            at = next;
        }
    }
}

/// Appends `more` to `items`, then keeps one item per id: at the position where the id
/// was first seen, in the version seen last (the freshest read).
///
/// Checking costs a set of borrowed ids (16 bytes per item, dropped at once); only when an
/// id repeats are indices sorted (8 bytes per item), never a map of owned ids.
pub(crate) fn unite<T: Keyed>(items: &mut Vec<T>, more: Vec<T>) {
    if items.is_empty() {
        *items = more;
    } else {
        items.reserve_exact(more.len());
        items.extend(more);
    }
    // The common case, no id twice, costs one hash per item instead of a sort through
    // every item's id (random access into large items); only duplicates are sorted out.
    let mut seen: HashSet<&str, foldhash::fast::RandomState> = HashSet::default();
    seen.reserve(items.len());
    if items.iter().all(|item| seen.insert(item.id())) {
        return;
    }
    drop(seen);
    let mut order: Vec<usize> = (0..items.len()).collect();
    // Stable: equal ids stay in arrival order.
    order.sort_by(|&a, &b| items[a].id().cmp(items[b].id()));
    let mut dropped = vec![false; items.len()];
    let mut moves = Vec::new();
    for group in order.chunk_by(|&a, &b| items[a].id() == items[b].id()) {
        if let [first, .., last] = *group {
            moves.push((first, last));
            for &later in &group[1..] {
                dropped[later] = true;
            }
        }
    }
    if moves.is_empty() {
        return;
    }
    for (first, last) in moves {
        items.swap(first, last);
    }
    let mut at = 0;
    items.retain(|_| {
        let keep = !dropped[at];
        at += 1;
        keep
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::model::{Account, AccountStatus};

    fn account(id: &str, status: &str) -> Account {
        Account {
            id: id.into(),
            name: Default::default(),
            company_name: Default::default(),
            status: AccountStatus::from_raw(status),
        }
    }

    #[test]
    fn each_id_once_at_its_first_place_in_its_latest_version() {
        let mut all = Vec::new();
        let mut round1 = PageBuffer::with_capacity(4);
        round1.push(2, vec![account("c", "ACTIVE"), account("d", "ACTIVE")]);
        round1.push(1, vec![account("b", "ACTIVE"), account("a", "ACTIVE")]);
        unite(&mut all, round1.into_page_order());
        let ids: Vec<&str> = all.iter().map(|a| a.id.as_str()).collect();
        assert_eq!(ids, ["b", "a", "c", "d"]);
        // A shifted page repeats `a` and `c`; `c` changed meanwhile; `e` is new.
        let mut round2 = PageBuffer::default();
        round2.push(1, vec![account("e", "IN_TRIAL"), account("a", "ACTIVE")]);
        round2.push(2, vec![account("c", "CHURNED"), account("c", "CHURNED")]);
        unite(&mut all, round2.into_page_order());
        let ids: Vec<&str> = all.iter().map(|a| a.id.as_str()).collect();
        assert_eq!(ids, ["b", "a", "c", "d", "e"]);
        assert_eq!(all[2].status, AccountStatus::Churned);
    }

    #[test]
    fn pages_arriving_in_any_order_come_out_in_page_order() {
        let mut buffer = PageBuffer::with_capacity(u64::MAX);
        buffer.push(3, vec![7, 8]);
        buffer.push(1, vec![1, 2, 3]);
        buffer.push(4, vec![]);
        buffer.push(2, vec![4, 5, 6]);
        buffer.push(5, vec![9]);
        assert_eq!(buffer.into_page_order(), [1, 2, 3, 4, 5, 6, 7, 8, 9]);
    }

    #[test]
    fn permute_follows_every_cycle() {
        let mut items = ['a', 'b', 'c', 'd', 'e', 'f'];
        permute(&mut items, &[3, 0, 5, 1, 4, 2]);
        assert_eq!(items, ['d', 'a', 'f', 'b', 'e', 'c']);
    }
}
