//! The recent blockhashes: the ones a transaction may name.

use std::collections::VecDeque;

use baton_types::Hash;
use rustc_hash::FxHashMap;

/// The recent blockhashes, newest first, with a count per hash so that
/// the blockhash check of a transaction is one hash lookup whatever
/// blockhash it names. A scan of the list, with transfers naming a
/// blockhash 149 slots old (`baton bench --blockhash-age 149`), ran at
/// 1.19–1.22M transactions per second on one thread and 1.92–1.99M on two,
/// against 1.62–1.65M and 2.80–2.81M with the lookup (dev VM).
///
/// The counts make a blockhash that appears twice in the list (never
/// the case with [`crate::Runtime::expire_blockhash`]'s chain, but kept
/// correct anyway) recent until its last copy expires.
#[derive(Debug, Clone)]
pub(crate) struct RecentBlockhashes {
    newest_first: VecDeque<Hash>,
    counts: FxHashMap<Hash, u32>,
}

impl RecentBlockhashes {
    /// The list holding `genesis` alone.
    pub(crate) fn new(genesis: Hash) -> Self {
        let mut counts = FxHashMap::default();
        counts.insert(genesis, 1);
        Self {
            newest_first: VecDeque::from([genesis]),
            counts,
        }
    }

    /// The newest blockhash.
    pub(crate) fn latest(&self) -> Hash {
        self.newest_first.front().copied().unwrap_or_default()
    }

    /// Whether a transaction naming `hash` is recent.
    #[inline]
    pub(crate) fn contains(&self, hash: &Hash) -> bool {
        self.newest_first.front() == Some(hash) || self.older_contains(hash)
    }

    /// [`contains`](Self::contains) past the newest blockhash, out of line:
    /// inlined into admission's loop, the lookup slowed one-thread batches
    /// naming the newest blockhash by 5–9% (`baton bench --threads 1`,
    /// dev VM), though the loop never took it; marked cold only for where
    /// it is placed, as transactions naming older blockhashes are common.
    #[cold]
    #[inline(never)]
    fn older_contains(&self, hash: &Hash) -> bool {
        self.counts.contains_key(hash)
    }

    /// The blockhashes, newest first.
    pub(crate) fn iter(&self) -> impl Iterator<Item = &Hash> {
        self.newest_first.iter()
    }

    /// Make `hash` the newest, keeping `max` at most; returns the ones that
    /// expired, oldest last.
    pub(crate) fn push(&mut self, hash: Hash, max: usize) -> Vec<Hash> {
        self.newest_first.push_front(hash);
        *self.counts.entry(hash).or_insert(0) += 1;
        let expired: Vec<Hash> = if self.newest_first.len() > max {
            self.newest_first.drain(max..).collect()
        } else {
            Vec::new()
        };
        for old in &expired {
            if let Some(count) = self.counts.get_mut(old) {
                *count -= 1;
                if *count == 0 {
                    self.counts.remove(old);
                }
            }
        }
        expired
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hash(i: u64) -> Hash {
        Hash::hashv(&[&i.to_le_bytes()])
    }

    /// Membership follows the list as it moves: the last `max` pushed are
    /// recent, the older ones expire in order, and a hash pushed twice
    /// stays recent until its second copy expires.
    #[test]
    fn membership_follows_the_list() {
        let mut list = RecentBlockhashes::new(hash(0));
        assert!(list.contains(&hash(0)));
        assert!(!list.contains(&hash(1)));
        for i in 1..=5 {
            assert!(list.push(hash(i), 4).len() <= 1);
        }
        // 5, 4, 3, 2 remain; 1 and 0 expired.
        assert_eq!(list.latest(), hash(5));
        let held: Vec<Hash> = list.iter().copied().collect();
        assert_eq!(held, [hash(5), hash(4), hash(3), hash(2)]);
        for i in 0..=5 {
            assert_eq!(list.contains(&hash(i)), i >= 2, "{i}");
        }
        assert_eq!(list.push(hash(3), 4), [hash(2)]);
        assert!(list.contains(&hash(3)));
        // 3, 5, 4, 3: pushing two more expires the older 3 and 4, while
        // the newer 3 is still held.
        assert_eq!(list.push(hash(6), 4), [hash(3)]);
        assert!(list.contains(&hash(3)));
        assert_eq!(list.push(hash(7), 4), [hash(4)]);
        assert!(list.contains(&hash(3)));
        assert!(!list.contains(&hash(4)));
        assert_eq!(list.push(hash(8), 4), [hash(5)]);
        assert_eq!(list.push(hash(9), 4), [hash(3)]);
        assert!(!list.contains(&hash(3)));
        assert_eq!(list.counts.len(), 4);
    }
}
