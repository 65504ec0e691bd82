//! The hash table inside each in-memory shard: open addressing with linear
//! probing over key-hash tags, built so that a lookup can be *prefetched*.
//!
//! Why not `std`'s map: a transfer's time is dominated by two cache misses,
//! the buckets of its payer and its recipient in a store far larger than the
//! caches. Those misses can be hidden by asking for the lines while the
//! previous transaction runs, but that needs the address of the bucket a key
//! hashes to, which `std` and hashbrown do not expose. Here it is
//! `hash & mask`, and [`PrefetchHint::prefetch`] touches that tag and that
//! slot.
//!
//! Layout: `tags[i]` is 0 for an empty slot, else 1 plus the top seven bits
//! of the key's hash; `slots[i]` holds the key and value. A lookup walks the
//! tags from the home index `hash & mask` to the first empty one and compares
//! keys only where the tag matches (a false match once in 128). Removal
//! shifts the rest of the run back (no tombstones), so runs stay short. The
//! table doubles at 7/8 full, like hashbrown's.

use std::marker::PhantomData;
use std::sync::atomic::{AtomicUsize, Ordering};

use baton_types::fast::prefetch_line;
use baton_types::Pubkey;

use crate::PubkeyHasherBuilder;

/// A map from [`Pubkey`] to `V`; every method takes the key's hash from
/// [`PubkeyHasherBuilder::hash_key`] with the table's builder.
pub(crate) struct KeyTable<V> {
    tags: Box<[u8]>,
    slots: Box<[Option<(Pubkey, V)>]>,
    len: usize,
    hasher: PubkeyHasherBuilder,
}

#[inline(always)]
fn tag_of(hash: u64) -> u8 {
    1 + (hash >> 57) as u8
}

/// The number of slots that holds `n` entries at most 7/8 full: a power of
/// two, at least 8; 0 for `n == 0`.
fn slots_for(n: usize) -> usize {
    if n == 0 {
        return 0;
    }
    (n.saturating_mul(8) / 7 + 1).next_power_of_two().max(8)
}

impl<V> KeyTable<V> {
    /// An empty table with room for `capacity` entries before it grows.
    pub(crate) fn with_capacity(capacity: usize, hasher: PubkeyHasherBuilder) -> Self {
        let n = slots_for(capacity);
        Self {
            tags: vec![0; n].into_boxed_slice(),
            slots: (0..n).map(|_| None).collect(),
            len: 0,
            hasher,
        }
    }

    pub(crate) fn len(&self) -> usize {
        self.len
    }

    #[inline(always)]
    fn mask(&self) -> usize {
        self.tags.len().wrapping_sub(1)
    }

    /// The slot index holding `key`, if present.
    #[inline]
    fn find(&self, key: &Pubkey, hash: u64) -> Option<usize> {
        if self.len == 0 {
            return None;
        }
        let mask = self.mask();
        let tag = tag_of(hash);
        let mut i = hash as usize & mask;
        // The table is never full, so the walk meets an empty tag.
        loop {
            let t = *self.tags.get(i)?;
            if t == 0 {
                return None;
            }
            if t == tag {
                if let Some(Some((k, _))) = self.slots.get(i) {
                    if k == key {
                        return Some(i);
                    }
                }
            }
            i = (i + 1) & mask;
        }
    }

    #[cfg(test)]
    pub(crate) fn get(&self, key: &Pubkey) -> Option<&V> {
        self.get_hashed(key, self.hasher.hash_key(key))
    }

    /// [`Self::get`] with the key's hash already computed.
    #[inline]
    pub(crate) fn get_hashed(&self, key: &Pubkey, hash: u64) -> Option<&V> {
        let i = self.find(key, hash)?;
        self.slots.get(i)?.as_ref().map(|(_, v)| v)
    }

    #[inline]
    pub(crate) fn get_mut(&mut self, key: &Pubkey) -> Option<&mut V> {
        let i = self.find(key, self.hasher.hash_key(key))?;
        self.slots.get_mut(i)?.as_mut().map(|(_, v)| v)
    }

    /// Store `value` at `key`; the value it replaces, if any.
    #[cfg(test)]
    pub(crate) fn insert(&mut self, key: Pubkey, value: V) -> Option<V> {
        self.insert_hashed(key, self.hasher.hash_key(&key), value)
    }

    /// [`Self::insert`] with the key's hash already computed.
    pub(crate) fn insert_hashed(&mut self, key: Pubkey, hash: u64, value: V) -> Option<V> {
        if let Some(i) = self.find(&key, hash) {
            if let Some(Some((_, v))) = self.slots.get_mut(i) {
                return Some(std::mem::replace(v, value));
            }
        }
        if (self.len + 1) * 8 > self.tags.len() * 7 {
            self.grow();
        }
        self.place(hash, key, value);
        self.len += 1;
        None
    }

    /// Put an entry known to be absent into the first empty slot of its run.
    fn place(&mut self, hash: u64, key: Pubkey, value: V) {
        let mask = self.mask();
        let mut i = hash as usize & mask;
        while self.tags.get(i).is_some_and(|&t| t != 0) {
            i = (i + 1) & mask;
        }
        if let (Some(t), Some(s)) = (self.tags.get_mut(i), self.slots.get_mut(i)) {
            *t = tag_of(hash);
            *s = Some((key, value));
        }
    }

    fn grow(&mut self) {
        let n = slots_for(self.len + 1).max(self.tags.len() * 2);
        let old = std::mem::replace(&mut self.slots, (0..n).map(|_| None).collect::<Box<[_]>>());
        self.tags = vec![0; n].into_boxed_slice();
        for (key, value) in old.into_vec().into_iter().flatten() {
            let hash = self.hasher.hash_key(&key);
            self.place(hash, key, value);
        }
    }

    /// Remove `key`; its value, if it was present.
    #[cfg(test)]
    pub(crate) fn remove(&mut self, key: &Pubkey) -> Option<V> {
        self.remove_hashed(key, self.hasher.hash_key(key))
    }

    /// [`Self::remove`] with the key's hash already computed.
    pub(crate) fn remove_hashed(&mut self, key: &Pubkey, hash: u64) -> Option<V> {
        let mut hole = self.find(key, hash)?;
        let removed = self.slots.get_mut(hole)?.take().map(|(_, v)| v);
        if let Some(t) = self.tags.get_mut(hole) {
            *t = 0;
        }
        self.len -= 1;
        // Shift the rest of the run back over the hole: an entry moves if
        // its home lies cyclically outside (hole, j], so that every entry
        // stays reachable from its home without crossing an empty slot.
        let mask = self.mask();
        let mut j = (hole + 1) & mask;
        while let Some(Some((k, _))) = self.slots.get(j) {
            let home = self.hasher.hash_key(k) as usize & mask;
            let stays = if hole <= j {
                hole < home && home <= j
            } else {
                hole < home || home <= j
            };
            if !stays {
                self.slots.swap(hole, j);
                self.tags.swap(hole, j);
                hole = j;
            }
            j = (j + 1) & mask;
        }
        removed
    }

    /// Every entry, in slot order.
    pub(crate) fn iter(&self) -> impl Iterator<Item = (&Pubkey, &V)> {
        self.slots.iter().flatten().map(|(k, v)| (k, v))
    }

    /// The bytes of one slot.
    const SLOT_SIZE: usize = std::mem::size_of::<Option<(Pubkey, V)>>();

    /// Where this table's arrays are, for [`PrefetchHint::publish`].
    fn layout(&self) -> (usize, usize, usize) {
        (
            self.tags.as_ptr() as usize,
            self.slots.as_ptr() as usize,
            self.mask(),
        )
    }
}

/// Where a table's arrays lie, published as plain integers so that a
/// prefetch needs no lock: taking a shard's lock only to prefetch would
/// pull the lock's cache line away from the core that commits there.
///
/// The three fields are updated one by one under the shard's write lock
/// when the table grows, so a reader may see a mix of an old and a new
/// table: the prefetch then touches a useless line, which costs a little
/// and changes nothing (a prefetch reads nothing into the program and
/// cannot fault, even on freed memory).
pub(crate) struct PrefetchHint<V> {
    tags: AtomicUsize,
    slots: AtomicUsize,
    /// The table's mask plus one: 0 while the table has no slots.
    size: AtomicUsize,
    table: PhantomData<fn() -> V>,
}

impl<V> Default for PrefetchHint<V> {
    fn default() -> Self {
        Self {
            tags: AtomicUsize::new(0),
            slots: AtomicUsize::new(0),
            size: AtomicUsize::new(0),
            table: PhantomData,
        }
    }
}

impl<V> PrefetchHint<V> {
    /// Record where `table` lies now, if that changed. Call it under the
    /// lock that guards `table`, after any insertion.
    #[inline]
    pub(crate) fn publish(&self, table: &KeyTable<V>) {
        let (tags, slots, mask) = table.layout();
        if self.slots.load(Ordering::Relaxed) != slots
            || self.size.load(Ordering::Relaxed) != mask.wrapping_add(1)
        {
            self.tags.store(tags, Ordering::Relaxed);
            self.slots.store(slots, Ordering::Relaxed);
            self.size.store(mask.wrapping_add(1), Ordering::Relaxed);
        }
    }

    /// Whether the hint shows where `table` lies now.
    #[cfg(test)]
    pub(crate) fn matches(&self, table: &KeyTable<V>) -> bool {
        let (tags, slots, mask) = table.layout();
        self.tags.load(Ordering::Relaxed) == tags
            && self.slots.load(Ordering::Relaxed) == slots
            && self.size.load(Ordering::Relaxed) == mask.wrapping_add(1)
    }

    /// Ask the CPU to bring the lines a lookup of the key with hash `hash`
    /// reads first (its home tag and the two slots from its home on) into
    /// the cache, without waiting.
    #[inline]
    pub(crate) fn prefetch(&self, hash: u64) {
        let slot_size = KeyTable::<V>::SLOT_SIZE;
        let size = self.size.load(Ordering::Relaxed);
        if size == 0 {
            return;
        }
        let i = hash as usize & (size - 1);
        prefetch_line(self.tags.load(Ordering::Relaxed).wrapping_add(i) as *const u8);
        // The key sits in its home slot or, displaced by collisions, in one
        // of the next few (half the time the next one at most at 7/8
        // load). Ask for the home slot and the one after it: a slot (104
        // bytes for the store's entries) spans two or three lines.
        let slot = self
            .slots
            .load(Ordering::Relaxed)
            .wrapping_add(i.wrapping_mul(slot_size));
        let span = 2 * slot_size;
        let mut offset = 0;
        while offset < span {
            prefetch_line(slot.wrapping_add(offset) as *const u8);
            offset += 64;
        }
        prefetch_line(slot.wrapping_add(span.saturating_sub(1)) as *const u8);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn key(i: u64) -> Pubkey {
        Pubkey::new_from_u64(i)
    }

    /// Random inserts, replacements, removals and lookups against `std`'s
    /// map, over few keys (long runs, many shifts) and many (growth).
    #[test]
    fn matches_a_std_map_under_churn() {
        for (keys, ops, seed) in [(40u64, 20_000, 1u64), (5_000, 60_000, 2), (300, 50_000, 3)] {
            // A fixed seed, and a tiny start, so runs collide and grow.
            let mut t = KeyTable::with_capacity(0, PubkeyHasherBuilder::with_seed(seed));
            let mut model = HashMap::new();
            let mut x = seed;
            for op in 0..ops {
                x = x
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                let k = key((x >> 33) % keys);
                match (x >> 20) % 5 {
                    0 | 1 => assert_eq!(t.insert(k, op), model.insert(k, op), "op {op}"),
                    2 => assert_eq!(t.remove(&k), model.remove(&k), "op {op}"),
                    3 => {
                        if let Some(v) = t.get_mut(&k) {
                            *v += 1;
                        }
                        if let Some(v) = model.get_mut(&k) {
                            *v += 1;
                        }
                    }
                    _ => assert_eq!(t.get(&k), model.get(&k), "op {op}"),
                }
                assert_eq!(t.len(), model.len());
            }
            for i in 0..keys {
                assert_eq!(t.get(&key(i)), model.get(&key(i)));
            }
            let mut listed: Vec<(Pubkey, usize)> = t.iter().map(|(k, v)| (*k, *v)).collect();
            let mut expected: Vec<(Pubkey, usize)> = model.into_iter().collect();
            listed.sort();
            expected.sort();
            assert_eq!(listed, expected);
        }
    }

    #[test]
    fn never_more_than_seven_eighths_full() {
        let mut t = KeyTable::with_capacity(0, PubkeyHasherBuilder::with_seed(9));
        for i in 0..10_000 {
            t.insert(key(i), ());
            assert!(t.len() * 8 <= t.tags.len() * 7);
        }
        let sized = KeyTable::<()>::with_capacity(10_000, PubkeyHasherBuilder::with_seed(9));
        assert_eq!(sized.tags.len(), 16_384);
    }

    #[test]
    fn removing_everything_leaves_an_empty_table() {
        let mut t = KeyTable::with_capacity(64, PubkeyHasherBuilder::with_seed(4));
        for i in 0..50 {
            t.insert(key(i), i);
        }
        for i in (0..50).rev() {
            assert_eq!(t.remove(&key(i)), Some(i));
            assert_eq!(t.remove(&key(i)), None);
        }
        assert_eq!(t.len(), 0);
        assert!(t.tags.iter().all(|&g| g == 0));
        assert_eq!(t.iter().count(), 0);
        // Prefetching through a hint of an empty, a missing or a replaced
        // table is harmless.
        let hint = PrefetchHint::<u64>::default();
        hint.prefetch(123);
        hint.publish(&t);
        hint.prefetch(123);
        drop(t);
        hint.prefetch(99);
    }
}
