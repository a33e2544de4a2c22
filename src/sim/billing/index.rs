//! Where item `j` of a list lives: per organization, the running totals of each
//! account's item counts (a `u32` per account and list), searched by bisection.

/// One list's running totals: `ends[i]` is the number of items of accounts `0..=i`.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Totals {
    ends: Vec<u32>,
}

impl Totals {
    pub fn with_capacity(n: usize) -> Self {
        Totals {
            ends: Vec::with_capacity(n),
        }
    }

    /// Appends the next account's item count.
    pub fn push(&mut self, count: usize) {
        let before = self.ends.last().copied().unwrap_or(0);
        let count = u32::try_from(count).unwrap_or(u32::MAX);
        self.ends.push(before.saturating_add(count));
    }

    pub fn total(&self) -> usize {
        self.ends.last().copied().unwrap_or(0) as usize
    }

    /// `(account index, k)` of item `j`, or `None` past the end.
    pub fn locate(&self, j: usize) -> Option<(usize, usize)> {
        let j = u32::try_from(j).ok()?;
        let i = self.ends.partition_point(|end| *end <= j);
        let start = match i {
            0 => 0,
            _ => *self.ends.get(i - 1)?,
        };
        self.ends.get(i)?;
        Some((i, (j - start) as usize))
    }
}

/// A per-account list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Which {
    Subscriptions = 0,
    InvoiceLines = 1,
    Usage = 2,
}

/// The running totals of one organization's lists, each built when first needed.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Index {
    lists: [Option<Totals>; 3],
}

impl Index {
    pub fn get(&self, which: Which) -> Option<&Totals> {
        self.lists[which as usize].as_ref()
    }

    pub fn set(&mut self, which: Which, totals: Totals) {
        self.lists[which as usize] = Some(totals);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn items_are_found_across_empty_accounts() {
        let mut t = Totals::default();
        for count in [2, 0, 0, 3, 1, 0] {
            t.push(count);
        }
        assert_eq!(t.total(), 6);
        let found: Vec<_> = (0..7).map(|j| t.locate(j)).collect();
        assert_eq!(
            found,
            vec![
                Some((0, 0)),
                Some((0, 1)),
                Some((3, 0)),
                Some((3, 1)),
                Some((3, 2)),
                Some((4, 0)),
                None
            ]
        );
        assert_eq!(Totals::default().locate(0), None);
    }
}
