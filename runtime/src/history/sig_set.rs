//! The set of signature keys the history keeps per blockhash and shard.

use baton_types::fast::{folded_multiply, prefetch_line};

/// A set of 128-bit keys: open addressing with linear probing over a flat
/// array, at most half full, with 0 marking an empty slot (the key 0 itself
/// is kept in a flag). A key's first slot is chosen by a seeded mix of its
/// bits, so that keys chosen by senders spread like random ones.
///
/// Unlike a general-purpose hash set it can say where a key's probe starts
/// ([`prefetch`](Self::prefetch)), which is what makes it fast here. And it
/// zeroes the table it will grow into ahead of time, a few slots per insert
/// from 3/8 load on: allocated and zeroed at once, the 8 MiB table for
/// 262,144 signatures faulted in all its pages in one insert, which stalled
/// the batch pipeline for 2 to 20 ms (the last when the kernel compacted
/// memory for huge pages).
#[derive(Debug)]
pub(super) struct SigSet {
    pub(super) slots: Vec<u128>,
    mask: usize,
    /// Non-zero keys held.
    len: usize,
    /// The next table's slots, zeroed so far.
    next: Vec<u128>,
    has_zero: bool,
    seeds: [u64; 2],
    /// Keys the set was sized to hold: it starts preparing its next table
    /// only past them.
    pub(super) reserved: usize,
}

impl SigSet {
    const MIN_SLOTS: usize = 16;
    /// Slots of the next table zeroed per insert from 3/8 load: it is twice
    /// the size, and 1/8 of the table's slots in inserts remain until half
    /// load, so 16 would do; 32 leaves room for removals.
    const ZEROED_PER_INSERT: usize = 32;

    /// A set that holds `keys` keys before it even starts preparing to
    /// grow: at most 7/16 full with them, which leaves the inserts up to
    /// half load to zero the next table (0: the smallest table, which
    /// prepares from 3/8 load on). Every slot is written here, so the
    /// pages are mapped now rather than by the inserts.
    pub(super) fn with_capacity(seeds: [u64; 2], keys: usize) -> Self {
        let size = keys
            .saturating_mul(16)
            .div_ceil(7)
            .max(Self::MIN_SLOTS)
            .next_power_of_two();
        // Written here: a zeroed allocation (`vec![0; size]`) would leave
        // the pages to be mapped by the first batch that touches them. The
        // `black_box` keeps the compiler from merging the allocation and
        // the fill into such an allocation.
        let mut slots = Vec::with_capacity(size);
        std::hint::black_box(slots.as_mut_ptr());
        slots.resize(size, 0);
        Self {
            slots,
            mask: size - 1,
            len: 0,
            next: Vec::new(),
            has_zero: false,
            seeds,
            reserved: keys,
        }
    }

    /// Remove every key, keeping the table.
    pub(super) fn clear(&mut self) {
        self.slots.fill(0);
        self.next.clear();
        self.len = 0;
        self.has_zero = false;
    }

    #[inline]
    fn home(&self, key: u128) -> usize {
        folded_multiply(
            key as u64 ^ self.seeds[0],
            (key >> 64) as u64 ^ self.seeds[1] | 1,
        ) as usize
            & self.mask
    }

    pub(super) fn prefetch(&self, key: u128) {
        if let Some(slot) = self.slots.get(self.home(key)) {
            prefetch_line(std::ptr::from_ref(slot).cast());
        }
    }

    /// Where `key` is, or the empty slot where it would go.
    #[inline]
    fn find(&self, key: u128) -> usize {
        let mut at = self.home(key);
        // At most half full, so an empty slot always ends the probe.
        while self.slots[at] != key && self.slots[at] != 0 {
            at = (at + 1) & self.mask;
        }
        at
    }

    /// Whether `key` is in the set.
    pub(super) fn contains(&self, key: u128) -> bool {
        if key == 0 {
            return self.has_zero;
        }
        self.slots[self.find(key)] == key
    }

    /// Add `key`; false if it was already there.
    pub(super) fn insert(&mut self, key: u128) -> bool {
        if key == 0 {
            return !std::mem::replace(&mut self.has_zero, true);
        }
        let size = self.slots.len();
        if (self.len + 1) * 2 > size {
            self.grow();
        } else if self.len * 8 >= size * 3
            && self.len >= self.reserved
            && self.next.len() < 2 * size
        {
            self.next.reserve_exact(2 * size - self.next.len());
            let n = Self::ZEROED_PER_INSERT.min(2 * size - self.next.len());
            self.next.resize(self.next.len() + n, 0);
        }
        let at = self.find(key);
        if self.slots[at] == key {
            return false;
        }
        self.slots[at] = key;
        self.len += 1;
        true
    }

    /// Remove `key`; false if it was not there. Shifts later keys of the
    /// same run back, so probes stay correct without tombstones.
    pub(super) fn remove(&mut self, key: u128) -> bool {
        if key == 0 {
            return std::mem::replace(&mut self.has_zero, false);
        }
        let mut hole = self.find(key);
        if self.slots[hole] != key {
            return false;
        }
        let mut at = hole;
        loop {
            at = (at + 1) & self.mask;
            let moved = self.slots[at];
            if moved == 0 {
                break;
            }
            // `moved` may fill the hole unless its home lies cyclically in
            // (hole, at]: then its probe never passes the hole.
            let home = self.home(moved);
            let stays = if hole <= at {
                hole < home && home <= at
            } else {
                hole < home || home <= at
            };
            if !stays {
                self.slots[hole] = moved;
                hole = at;
            }
        }
        self.slots[hole] = 0;
        self.len -= 1;
        true
    }

    #[cold]
    fn grow(&mut self) {
        let mut doubled = std::mem::take(&mut self.next);
        doubled.resize(self.slots.len() * 2, 0);
        let old = std::mem::replace(&mut self.slots, doubled);
        self.mask = self.slots.len() - 1;
        for key in old.into_iter().filter(|&k| k != 0) {
            let at = self.find(key);
            self.slots[at] = key;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{Rng, SeedableRng};
    use rand_chacha::ChaCha8Rng;
    use std::collections::HashSet;

    /// Random inserts and removals against `std`'s set: few keys (long
    /// probe runs, many back-shifts) and many (growth), with 0 among them.
    #[test]
    fn sig_set_matches_a_std_set() {
        for (keys, ops, seed) in [(24u64, 20_000, 1u64), (3_000, 50_000, 2), (200, 40_000, 3)] {
            let mut rng = ChaCha8Rng::seed_from_u64(seed);
            // Fixed, weak seeds so that runs form and wrap around.
            let mut set = SigSet::with_capacity([seed, 0], 0);
            let mut model = HashSet::new();
            for _ in 0..ops {
                let k = u128::from(rng.gen_range(0..keys)).wrapping_mul(0x9e37_79b9_7f4a_7c15);
                if rng.gen_bool(0.6) {
                    assert_eq!(set.insert(k), model.insert(k), "insert {k}");
                } else {
                    assert_eq!(set.remove(k), model.remove(&k), "remove {k}");
                }
                assert_eq!(set.len + usize::from(set.has_zero), model.len());
            }
            for k in 0..keys {
                let k = u128::from(k).wrapping_mul(0x9e37_79b9_7f4a_7c15);
                assert_eq!(set.contains(k), model.contains(&k), "contains {k}");
            }
        }
    }

    /// The table a set grows into is zeroed before it is needed.
    #[test]
    fn sig_set_zeroes_its_next_table_ahead() {
        let mut set = SigSet::with_capacity([5, 6], 0);
        let mut grew = 0;
        for n in 1..=100_000u128 {
            let (size, prepared) = (set.slots.len(), set.next.len());
            assert!(set.insert(n.wrapping_mul(0x2545_f491_4f6c_dd1d)));
            if set.slots.len() != size {
                grew += 1;
                assert_eq!(prepared, 2 * size, "zeroed ahead at {size} slots");
                assert!(set.next.is_empty());
            }
        }
        assert!(grew >= 10);
        assert_eq!(set.len, 100_000);
    }

    /// A set sized for `n` keys takes them without growing or preparing
    /// its next table, and past them grows as any set does.
    #[test]
    fn sig_set_with_capacity_holds_its_keys_without_growing() {
        for n in [1usize, 7, 1_000, 4_096, 30_000] {
            let mut set = SigSet::with_capacity([11, 12], n);
            let size = set.slots.len();
            assert!(
                size * 7 >= n * 16,
                "{n} keys fit in {size} slots at 7/16 load"
            );
            let key = |k: usize| (k as u128 + 1).wrapping_mul(0x2545_f491_4f6c_dd1d);
            for k in 0..n {
                assert!(set.insert(key(k)));
                assert_eq!(set.slots.len(), size, "grew at key {k} of {n}");
                assert!(set.next.is_empty(), "prepared to grow at key {k} of {n}");
            }
            // Past capacity: the next table is zeroed ahead, then used.
            let mut k = n;
            while set.slots.len() == size {
                assert!(set.insert(key(k)));
                k += 1;
            }
            assert_eq!(set.slots.len(), 2 * size);
            assert!((0..k).all(|j| !set.insert(key(j))), "every key kept");
        }
    }
}
