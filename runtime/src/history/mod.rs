//! The signature history: which transactions were processed, by blockhash,
//! in shards that a batch's threads fill side by side
//! ([`SignatureHistory::insert_partitioned`]).

mod sig_set;

use std::collections::hash_map::RandomState;
use std::hash::BuildHasher;

use baton_types::fast::{folded_multiply, prefetch_line};
use baton_types::{Hash, Transaction};
use rayon::prelude::*;
use rustc_hash::FxHashMap;

use sig_set::SigSet;

/// The history's shards. A signature's shard comes from a seeded mix of its
/// key, so a batch's signatures spread evenly over them however they were
/// chosen, and threads that own distinct shards insert with no lock.
pub(crate) const SHARDS: usize = 16;

/// A transaction's shard when [`SignatureHistory::insert_partitioned`] is
/// to skip it (it was refused before the history is looked at).
pub(crate) const NO_SHARD: u8 = u8::MAX;

/// How many of its own transactions ahead a shard's insert prefetches.
const AHEAD: usize = 8;

/// Signatures of processed transactions, grouped by the blockhash they
/// name so that they expire with it, as Agave's status cache does. Like
/// Agave's cache it keeps a short key per signature (16 of its 64 bytes):
/// a false "already processed" needs two signatures agreeing on 128 bits.
///
/// Given a capacity (see [`prepare`](Self::prepare)) the set of each
/// blockhash made current is allocated and written through before any
/// transaction names it, so that no batch waits on a table growing (a
/// rehash of every signature so far) or on the kernel mapping its pages.
#[derive(Debug)]
pub(crate) struct SignatureHistory {
    shards: Vec<Shard>,
    /// Seeds of the shard and slot choice, drawn per history so that
    /// senders cannot grind signatures that pile up in one shard or run of
    /// slots.
    seeds: [u64; 2],
}

/// One shard: its signatures by blockhash.
#[derive(Debug, Default)]
struct Shard {
    by_blockhash: FxHashMap<Hash, SigSet>,
    /// The table of the last expired set made by `prepare`, kept to be
    /// cleared and reused by the next one instead of fresh memory.
    spare: Option<SigSet>,
}

impl Default for SignatureHistory {
    fn default() -> Self {
        let random = RandomState::new();
        Self {
            shards: (0..SHARDS).map(|_| Shard::default()).collect(),
            seeds: [random.hash_one(1u64), random.hash_one(2u64)],
        }
    }
}

impl Shard {
    fn prepare(&mut self, seeds: [u64; 2], blockhash: Hash, capacity: usize) {
        if self.by_blockhash.contains_key(&blockhash) {
            return;
        }
        let set = match self.spare.take() {
            Some(mut set) if set.reserved == capacity => {
                set.clear();
                set
            }
            _ => SigSet::with_capacity(seeds, capacity),
        };
        self.by_blockhash.insert(blockhash, set);
    }

    /// The set of `blockhash`, made empty if it has none yet.
    fn set(&mut self, seeds: [u64; 2], blockhash: Hash) -> &mut SigSet {
        self.by_blockhash
            .entry(blockhash)
            .or_insert_with(|| SigSet::with_capacity(seeds, 0))
    }

    fn insert(&mut self, seeds: [u64; 2], blockhash: Hash, key: u128) -> bool {
        self.set(seeds, blockhash).insert(key)
    }

    fn prefetch(&self, blockhash: &Hash, key: u128) {
        if let Some(set) = self.by_blockhash.get(blockhash) {
            set.prefetch(key);
        }
    }

    /// Insert, in batch order, the transactions of `txs` at the batch
    /// indices `own`, with their keys from `keys`; the batch indices of
    /// those already recorded.
    fn insert_own(
        &mut self,
        seeds: [u64; 2],
        own: &[u32],
        txs: &[Transaction],
        keys: &[u128],
    ) -> Vec<usize> {
        let own = |n: usize| own.get(n).map(|&i| i as usize);
        let blockhash = |n: usize| {
            own(n).and_then(|i| Some((i, &txs.get(i)?.message.recent_blockhash, *keys.get(i)?)))
        };
        let mut dups = Vec::new();
        let mut n = 0;
        // Runs of transactions naming one blockhash (a batch mostly names
        // one): the set is looked up once per run.
        while let Some((_, &current, _)) = blockhash(n) {
            let set = self.set(seeds, current);
            while let Some((i, bh, key)) = blockhash(n) {
                if *bh != current {
                    break;
                }
                if let Some(ahead) = own(n + AHEAD) {
                    if let Some(&k) = keys.get(ahead) {
                        set.prefetch(k);
                    }
                    if let Some(tx) = txs.get(ahead) {
                        prefetch_line(std::ptr::from_ref(&tx.message.recent_blockhash).cast());
                    }
                }
                if !set.insert(key) {
                    dups.push(i);
                }
                n += 1;
            }
        }
        dups
    }
}

impl SignatureHistory {
    /// Make room for `capacity` signatures of `blockhash` (the one just
    /// made current), unless `capacity` is 0 or its sets already exist.
    /// Each shard is sized for its share with room to spare (the share of
    /// random keys varies by about its square root).
    pub(crate) fn prepare(&mut self, blockhash: Hash, capacity: usize) {
        if capacity == 0 {
            return;
        }
        let share = capacity.div_ceil(SHARDS);
        let per_shard = share + share / 8 + 64;
        let seeds = self.seeds;
        for shard in &mut self.shards {
            shard.prepare(seeds, blockhash, per_shard);
        }
    }

    fn key(tx: &Transaction) -> u128 {
        let sig = tx.signature().copied().unwrap_or_default();
        let mut k = [0u8; 16];
        k.copy_from_slice(&sig.0[..16]);
        u128::from_le_bytes(k)
    }

    /// The shard of `tx`'s signature (below [`SHARDS`]) and its key. The
    /// mix differs from the one choosing a key's slot in its set (the seeds
    /// swap), so the keys of one shard spread over all of its slots.
    pub(crate) fn shard_and_key(&self, tx: &Transaction) -> (u8, u128) {
        let key = Self::key(tx);
        (self.shard_of_key(key), key)
    }

    fn shard_of_key(&self, key: u128) -> u8 {
        let mixed = folded_multiply(
            key as u64 ^ self.seeds[1],
            (key >> 64) as u64 ^ self.seeds[0] | 1,
        );
        // SHARDS is 16: the top four bits.
        (mixed >> 60) as u8
    }

    fn shard_of(&self, tx: &Transaction) -> u8 {
        self.shard_of_key(Self::key(tx))
    }

    fn shard(&mut self, tx: &Transaction) -> &mut Shard {
        let s = usize::from(self.shard_of(tx));
        &mut self.shards[s % SHARDS]
    }

    /// Record `tx`; false if it was already recorded.
    pub(crate) fn insert(&mut self, tx: &Transaction) -> bool {
        let seeds = self.seeds;
        self.shard(tx)
            .insert(seeds, tx.message.recent_blockhash, Self::key(tx))
    }

    /// Record the transactions of a batch (at most `u32::MAX`) whose entry in `shards` (one per
    /// transaction, from [`shard_and_key`](Self::shard_and_key), as its
    /// key in `keys`) is not [`NO_SHARD`], one task per shard on `pool`;
    /// returns the batch indices of those
    /// already recorded, by then or by an earlier transaction of the batch.
    ///
    /// The same outcome as [`insert`](Self::insert) called for each in
    /// batch order: two transactions with the same signature share its
    /// shard, whose task inserts in batch order, so the earlier one is
    /// recorded and the later one found.
    pub(crate) fn insert_partitioned(
        &mut self,
        pool: &rayon::ThreadPool,
        txs: &[Transaction],
        shards: &[u8],
        keys: &[u128],
    ) -> Vec<usize> {
        let seeds = self.seeds;
        // Each shard's transactions, in batch order: one pass here rather
        // than one per shard.
        let mut own: Vec<Vec<u32>> = (0..SHARDS)
            .map(|_| Vec::with_capacity(shards.len() / SHARDS * 5 / 4 + 8))
            .collect();
        for (i, &s) in shards.iter().enumerate() {
            if let Some(list) = own.get_mut(usize::from(s)) {
                list.push(i as u32);
            }
        }
        pool.install(|| {
            self.shards
                .par_iter_mut()
                .zip(&own)
                .flat_map_iter(|(shard, own)| shard.insert_own(seeds, own, txs, keys))
                .collect()
        })
    }

    /// Whether `tx` was recorded, without recording it (for a simulation).
    pub(crate) fn contains(&self, tx: &Transaction) -> bool {
        let s = usize::from(self.shard_of(tx)) % SHARDS;
        self.shards[s]
            .by_blockhash
            .get(&tx.message.recent_blockhash)
            .is_some_and(|set| set.contains(Self::key(tx)))
    }

    /// Forget `tx`, so that it may be processed again.
    pub(crate) fn forget(&mut self, tx: &Transaction) {
        let key = Self::key(tx);
        if let Some(set) = self
            .shard(tx)
            .by_blockhash
            .get_mut(&tx.message.recent_blockhash)
        {
            set.remove(key);
        }
    }

    /// Ask the CPU for the slot [`insert`](Self::insert) will look at
    /// first for `tx`, ahead of time: a history of many signatures is far
    /// larger than the caches, and every insert would otherwise wait on a
    /// miss.
    pub(crate) fn prefetch(&self, tx: &Transaction) {
        let s = usize::from(self.shard_of(tx)) % SHARDS;
        self.shards[s].prefetch(&tx.message.recent_blockhash, Self::key(tx));
    }

    /// Drop the signatures recorded under `blockhash`.
    pub(crate) fn expire(&mut self, blockhash: &Hash) {
        for shard in &mut self.shards {
            if let Some(gone) = shard.by_blockhash.remove(blockhash) {
                if gone.reserved > 0 {
                    shard.spare = Some(gone);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests;
