//! The dependency graph of a batch, built in one sequential pass.

use std::hash::BuildHasher;

use baton_types::fast::{mix_key, prefetch_line};
use baton_types::Pubkey;

use crate::{AccountLock, LockMode, LockSet, SchedulerError};

/// "No transaction" in the `u32` index space.
const NONE: u32 = u32::MAX;

/// Set in an account's state when it holds the head of a readers list
/// rather than a writer (see [`Edges::lock`]); transaction indices and
/// reader nodes stay below it.
const READERS: u32 = 1 << 31;

/// The largest batch the graph can index: transaction indices are below
/// 2³¹, the bit above them marking an account's readers list.
pub const MAX_BATCH_LEN: usize = (READERS - 1) as usize;

/// A node of a readers list: a reader, the next (earlier) node, and the
/// writer every reader of the list follows (`NONE` if none).
#[derive(Clone, Copy)]
struct ReaderNode {
    tx: u32,
    next: u32,
    writer: u32,
}

/// One slot of an [`AccountMap`]: the high half of an account's tag (0:
/// empty) and its state: `NONE` before any lock, the last writer's index,
/// or `READERS | n`, node `n` heading the list of the transactions that
/// read it since its last writer.
#[derive(Clone, Copy)]
struct MapSlot {
    check: u32,
    state: u32,
}

const EMPTY_SLOT: MapSlot = MapSlot {
    check: 0,
    state: NONE,
};

/// The per-account states of one build: an open-addressing table (linear
/// probing, at most 2/3 full) of 8-byte slots, keyed by a 64-bit keyed hash
/// of the account key, its *tag*: the low half picks the home slot, the
/// high half is kept in the slot to tell accounts apart.
///
/// Half tags and packed states keep the table small: 32 KiB for a wave of
/// 1,024 transfers (64 KiB with whole tags and two words of state, 160 KiB
/// keyed by 32-byte keys), 512 KiB for a batch of 10,000 transactions of
/// three accounts, whose build that made 10–25% faster than with 16-byte
/// slots (`build/uniform_reuse` at 10,000 and 100,000 transactions). They
/// also let a build prefetch the slots of transactions ahead (see
/// [`GraphBuilder::build_from`]): most accounts of a batch are new to it,
/// so without that every lock waited on a cache miss. Two keys whose tags
/// match in a slot would share one state, which only adds edges between
/// transactions that could have run together: the order stays a valid one.
/// With a seed drawn per builder, senders cannot aim for that, and by
/// chance it happens to a lock with probability about 2⁻³¹ per slot it
/// probes.
struct AccountMap {
    slots: Vec<MapSlot>,
    mask: usize,
    /// Accounts with a slot, and how many may have one (3/4 of the slots).
    used: usize,
    limit: usize,
    /// The state of every account the table has no slot for.
    overflow: u32,
    seeds: [u64; 2],
}

impl AccountMap {
    fn new() -> Self {
        let random = std::collections::hash_map::RandomState::new();
        Self {
            slots: Vec::new(),
            mask: 0,
            used: 0,
            limit: 0,
            overflow: NONE,
            seeds: [random.hash_one(1u64), random.hash_one(2u64)],
        }
    }

    /// The tag of `key`, its halves as well mixed as each other.
    #[inline]
    fn tag(&self, key: &Pubkey) -> u64 {
        mix_key(&key.0, self.seeds, 0)
    }

    /// The slot the probe for `tag` starts at, from the low half alone
    /// (blind to [`WRITE_BIT`]).
    #[inline]
    fn home(&self, tag: u64) -> usize {
        tag as u32 as usize & self.mask
    }

    /// What a slot holding `tag` keeps of it: the high half with
    /// [`WRITE_BIT`] set (never 0, and blind to that bit).
    #[inline]
    fn check(tag: u64) -> u32 {
        ((tag | WRITE_BIT) >> 32) as u32
    }

    /// The table size [`reset`](Self::reset) gives for `keys` tags.
    fn slots_for(keys: usize) -> usize {
        (keys + keys / 2).max(16).next_power_of_two()
    }

    /// Empty the table, sized for at most `keys` distinct tags (it stays at
    /// most 2/3 full; past 3/4, see [`Self::state`]).
    fn reset(&mut self, keys: usize) {
        self.overflow = NONE;
        let capacity = Self::slots_for(keys);
        self.used = 0;
        self.limit = capacity - capacity / 4;
        if self.slots.len() == capacity {
            self.slots.fill(EMPTY_SLOT);
        } else {
            self.slots = vec![EMPTY_SLOT; capacity];
        }
        self.mask = capacity - 1;
    }

    /// Ask the CPU for the home slot of `tag`.
    #[inline]
    fn prefetch(&self, tag: u64) {
        if let Some(slot) = self.slots.get(self.home(tag)) {
            prefetch_line(std::ptr::from_ref(slot).cast());
        }
    }

    /// The state of `tag`, inserted fresh if absent. A quarter of the
    /// slots always stays empty, so every probe ends.
    #[inline]
    fn state(&mut self, tag: u64) -> &mut u32 {
        let check = Self::check(tag);
        let mut at = self.home(tag);
        loop {
            match self.slots.get(at).map(|s| s.check) {
                Some(c) if c == check => break,
                // A new account past the table's 3/4 (not with `reset`'s
                // sizing for the locks a build counts, but a caller's
                // count may fall short), or no table yet: every account
                // left out shares one state, which only adds edges, and
                // probes stay short.
                Some(0) if self.used >= self.limit => return &mut self.overflow,
                None => return &mut self.overflow,
                Some(0) => {
                    self.used += 1;
                    self.slots[at].check = check;
                    break;
                }
                Some(_) => at = (at + 1) & self.mask,
            }
        }
        &mut self.slots[at].state
    }
}

/// The edges of a build as its transactions come, in order: each
/// transaction's locks ([`Edges::lock`]) between [`Edges::begin`] and
/// [`Edges::end`].
struct Edges<'a> {
    preds: &'a mut Vec<u32>,
    readers: &'a mut Vec<ReaderNode>,
    last_succ: &'a mut Vec<u32>,
    succ_offsets: &'a mut Vec<u32>,
    pred_count: &'a mut Vec<u32>,
    roots: &'a mut Vec<u32>,
    /// Where the current transaction's predecessors start in `preds`.
    first_pred: usize,
}

impl Edges<'_> {
    #[inline(always)]
    fn begin(&mut self) {
        self.first_pred = self.preds.len();
    }

    /// Record the edge `p → i` unless it is a self-edge or already there.
    #[inline(always)]
    fn edge(&mut self, p: u32, i: u32) {
        if p != i && self.last_succ[p as usize] != i {
            self.last_succ[p as usize] = i;
            self.succ_offsets[p as usize + 1] += 1;
            self.preds.push(p);
        }
    }

    /// Transaction `i` locks the account whose build state is `state` (see
    /// [`MapSlot`]).
    #[inline(always)]
    fn lock(&mut self, state: &mut u32, writable: bool, i: u32) {
        let head = *state;
        // When the readers lists cannot take one more node (node `n` is
        // `READERS | n`, below `NONE`), a read is taken as a write: more
        // edges, the same valid order.
        if writable || self.readers.len() >= (READERS - 1) as usize {
            match head {
                NONE => {}
                // Write after reads: wait for every reader since the last
                // writer (each of them waits for that writer, so the
                // writer→writer edge is implied).
                _ if head & READERS != 0 => {
                    let mut node = head & !READERS;
                    while let Some(&r) = self.readers.get(node as usize) {
                        self.edge(r.tx, i);
                        node = r.next;
                    }
                }
                // Write after write.
                writer => self.edge(writer, i),
            }
            *state = i;
        } else {
            // Read after write; reads after reads need no edge.
            // The list's writer is in its head node.
            let (writer, next) = match head {
                NONE => (NONE, NONE),
                _ if head & READERS != 0 => {
                    let node = head & !READERS;
                    let writer = self.readers.get(node as usize).map_or(NONE, |r| r.writer);
                    (writer, node)
                }
                writer => (writer, NONE),
            };
            if writer != NONE {
                self.edge(writer, i);
            }
            self.readers.push(ReaderNode {
                tx: i,
                next,
                writer,
            });
            *state = READERS | (self.readers.len() - 1) as u32;
        }
    }

    /// Transaction `i` has no more locks: count its predecessors.
    #[inline(always)]
    fn end(&mut self, i: u32) {
        let count = (self.preds.len() - self.first_pred) as u32;
        self.pred_count.push(count);
        if count == 0 {
            self.roots.push(i);
        }
    }
}

/// The bit of a tag that marks a write lock in a build's tag list: one
/// that neither the home slot nor the slot's check reads.
const WRITE_BIT: u64 = 1 << 32;

/// How many transactions ahead a build prefetches the account slots.
const PREFETCH_AHEAD: usize = 8;

/// The smallest table (in slots of 8 bytes: 256 KiB) whose slots a build
/// prefetches, tagging every lock in a pass of its own first. `reset` has
/// just written every slot, so a smaller table is still in cache: there
/// the prefetches only cost instructions (a wave of 1,024 transfers: 40
/// per transaction, no time), and so does the separate pass, and the build
/// adds each lock as it comes (a wave's graph 416 → 341 instructions per
/// transfer). In a larger one, which `reset` left partly in memory, they
/// pay (a build of 100,000 transactions took 8–9 ms without them, 5.2 with).
const PREFETCH_FROM_SLOTS: usize = 1 << 15;

/// The happens-before relation a batch needs, as a DAG over transaction
/// indices: an edge `p → s` means `p` comes earlier in the batch and
/// conflicts with `s` (one of them writes an account both lock), so `s` may
/// start only once `p` has finished.
///
/// Only the edges needed for the transitive order are kept: a writer depends
/// on the readers since the previous writer of each of its accounts (or on
/// that writer if there were none), a reader on the previous writer. Two
/// readers of an account get no edge. Duplicate edges (two transactions
/// sharing several accounts) are merged, so a transaction's predecessor
/// count is the number of *distinct* transactions it waits for.
///
/// Successors are stored CSR-style (one offsets array, one flat target
/// array, each target list in increasing index order), so building and
/// walking the graph allocates a handful of flat arrays per batch, none per
/// transaction.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DependencyGraph {
    /// `pred_count[i]`: how many distinct transactions `i` waits for.
    pub(crate) pred_count: Vec<u32>,
    /// Successors of `i` are `succ[succ_offsets[i]..succ_offsets[i + 1]]`.
    pub(crate) succ_offsets: Vec<u32>,
    /// Flat successor lists.
    pub(crate) succ: Vec<u32>,
    /// The transactions with no predecessor, in increasing order.
    pub(crate) roots: Vec<u32>,
    /// Whether every transaction depends on the one right before it, so no
    /// two can ever run at once (e.g. a batch that all writes one account).
    chain: bool,
}

impl DependencyGraph {
    /// Build the graph of `locks[0..n]` (see [`GraphBuilder::build`]) with
    /// fresh buffers. A [`GraphBuilder`] kept across batches avoids
    /// re-allocating them.
    ///
    /// Fails only for a batch longer than [`MAX_BATCH_LEN`].
    pub fn build(locks: &[LockSet]) -> Result<Self, SchedulerError> {
        GraphBuilder::new().build(locks)
    }

    /// The number of transactions.
    #[inline]
    pub fn len(&self) -> usize {
        self.pred_count.len()
    }

    /// Whether the batch is empty.
    #[inline]
    pub fn is_empty(&self) -> bool {
        self.pred_count.is_empty()
    }

    /// The number of (deduplicated) edges.
    #[inline]
    pub fn edge_count(&self) -> usize {
        self.succ.len()
    }

    /// The transactions that wait for nothing, in increasing order.
    #[inline]
    pub fn roots(&self) -> &[u32] {
        &self.roots
    }

    /// The transactions that wait for `tx`, in increasing order (empty for
    /// an index out of range).
    pub fn successors(&self, tx: usize) -> &[u32] {
        match (self.succ_offsets.get(tx), self.succ_offsets.get(tx + 1)) {
            (Some(&a), Some(&b)) => &self.succ[a as usize..b as usize],
            _ => &[],
        }
    }

    /// How many distinct transactions `tx` waits for (0 out of range).
    pub fn predecessor_count(&self, tx: usize) -> u32 {
        self.pred_count.get(tx).copied().unwrap_or(0)
    }

    /// Whether each transaction depends on the one before it, so the batch
    /// can only run serially; the scheduler then runs it as a plain loop.
    #[inline]
    pub fn is_chain(&self) -> bool {
        self.chain
    }

    /// The number of transactions on the longest dependency path: a lower
    /// bound on the batch's run time in units of one transaction, whatever
    /// the thread count. O(n + edges).
    pub fn critical_path_len(&self) -> usize {
        // Indices are a topological order (edges go from lower to higher).
        let mut depth = vec![1u32; self.len()];
        let mut best = 0;
        for i in 0..self.len() {
            let d = depth[i];
            best = best.max(d);
            for &s in self.successors(i) {
                let e = &mut depth[s as usize];
                *e = (*e).max(d + 1);
            }
        }
        best as usize
    }
}

/// Builds [`DependencyGraph`]s, keeping its scratch space (the account map,
/// the reader lists, per-transaction marks) and the buffers of recycled
/// graphs between batches, so that a scheduler running batch after batch
/// neither allocates nor page-faults in steady state.
pub struct GraphBuilder {
    accounts: AccountMap,
    /// Every lock of the batch as its tag, [`WRITE_BIT`] set for a write,
    /// transaction after transaction; `lock_ends[i]` is where transaction `i`'s end.
    locks: Vec<u64>,
    lock_ends: Vec<usize>,
    readers: Vec<ReaderNode>,
    preds: Vec<u32>,
    last_succ: Vec<u32>,
    /// Buffers of a recycled graph, reused for the next one.
    spare: Option<DependencyGraph>,
}

impl std::fmt::Debug for GraphBuilder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GraphBuilder")
            .field("account_capacity", &self.accounts.slots.len())
            .finish_non_exhaustive()
    }
}

impl Default for GraphBuilder {
    fn default() -> Self {
        Self::new()
    }
}

impl GraphBuilder {
    /// A builder with no buffers yet.
    pub fn new() -> Self {
        Self {
            accounts: AccountMap::new(),
            locks: Vec::new(),
            lock_ends: Vec::new(),
            readers: Vec::new(),
            preds: Vec::new(),
            last_succ: Vec::new(),
            spare: None,
        }
    }

    /// Hand a finished graph's buffers back for the next build.
    pub fn recycle(&mut self, graph: DependencyGraph) {
        self.spare = Some(graph);
    }

    /// Whether a recycled graph's buffers wait for the next build.
    pub fn has_spare(&self) -> bool {
        self.spare.is_some()
    }

    /// Build the graph of `locks[0..n]`: for each account, remember its last
    /// writer and the readers since; each lock then yields its edges in O(1)
    /// amortised (a writer consumes the reader list it depends on).
    ///
    /// Fails only for a batch longer than [`MAX_BATCH_LEN`].
    pub fn build(&mut self, locks: &[LockSet]) -> Result<DependencyGraph, SchedulerError> {
        let total_locks: usize = locks.iter().map(LockSet::len).sum();
        self.build_from(locks.len(), total_locks, |i| {
            locks
                .get(i)
                .map(|set| set.locks())
                .unwrap_or(&[])
                .iter()
                .copied()
        })
    }

    /// Build the graph of `n` transactions whose locks `locks_of(i)` yields,
    /// without materialising [`LockSet`]s. `total_locks` is how many locks
    /// there are at most, or 0 if unknown: it sizes buffers, and a small
    /// known count lets the build take one pass over the locks instead of
    /// two when the table that count needs stays in cache; the graph is
    /// the same.
    /// A transaction's locks need not be sorted. When each transaction lists
    /// a key once (as a validated message does) the graph is the one its
    /// [`LockSet`]s would give; a key listed twice, once in each mode, may
    /// add an edge that an existing path already implies, so the order of
    /// execution is the same.
    pub fn build_from<F, I>(
        &mut self,
        n: usize,
        total_locks: usize,
        mut locks_of: F,
    ) -> Result<DependencyGraph, SchedulerError>
    where
        F: FnMut(usize) -> I,
        I: Iterator<Item = AccountLock>,
    {
        if n > MAX_BATCH_LEN {
            return Err(SchedulerError::BatchTooLarge { len: n });
        }

        // Predecessor lists, CSR by successor: the preds of `i` are the next
        // `pred_count[i]` entries. Edges are discovered in increasing
        // successor order, so this CSR fills by appending.
        self.preds.clear();
        self.readers.clear();
        // `last_succ[p] == i` once the edge `p → i` is recorded: merges the
        // duplicate edges a pair sharing several accounts would produce.
        self.last_succ.clear();
        self.last_succ.resize(n, NONE);
        let DependencyGraph {
            mut pred_count,
            mut succ_offsets,
            mut succ,
            mut roots,
            ..
        } = self.spare.take().unwrap_or_default();
        pred_count.clear();
        roots.clear();
        // Out-degrees, counted in what becomes the successor offsets.
        succ_offsets.clear();
        succ_offsets.resize(n + 1, 0);
        let mut edges = Edges {
            preds: &mut self.preds,
            readers: &mut self.readers,
            last_succ: &mut self.last_succ,
            succ_offsets: &mut succ_offsets,
            pred_count: &mut pred_count,
            roots: &mut roots,
            first_pred: 0,
        };
        let accounts = &mut self.accounts;
        let locks = &mut self.locks;
        let lock_ends = &mut self.lock_ends;
        // A table small enough to stay in cache once `reset` has written it
        // needs no prefetching, and then the locks need no pass of their
        // own: each is tagged and added as it comes.
        if total_locks > 0 && AccountMap::slots_for(total_locks) < PREFETCH_FROM_SLOTS {
            accounts.reset(total_locks);
            for i in 0..n {
                let i32 = i as u32; // n <= MAX_BATCH_LEN
                edges.begin();
                for lock in locks_of(i) {
                    let tag = accounts.tag(&lock.key);
                    edges.lock(accounts.state(tag), lock.mode == LockMode::Write, i32);
                }
                edges.end(i32);
            }
        } else {
            // Pass 1: every lock's tag, in order. No table access yet, so
            // that pass 2 can prefetch the slots of the transactions ahead.
            locks.clear();
            locks.reserve(total_locks);
            lock_ends.clear();
            lock_ends.reserve(n);
            for i in 0..n {
                locks.extend(locks_of(i).map(|lock| {
                    let tag = accounts.tag(&lock.key) & !WRITE_BIT;
                    if lock.mode == LockMode::Write {
                        tag | WRITE_BIT
                    } else {
                        tag
                    }
                }));
                lock_ends.push(locks.len());
            }
            accounts.reset(locks.len());
            // Pass 2: the edges, transaction by transaction.
            let mut lock_start = 0;
            let prefetch = accounts.slots.len() >= PREFETCH_FROM_SLOTS;
            for (i, &lock_end) in lock_ends.iter().enumerate() {
                if let Some(&ahead_end) = lock_ends.get(i + PREFETCH_AHEAD).filter(|_| prefetch) {
                    let ahead_start = lock_ends[i + PREFETCH_AHEAD - 1];
                    for &tag in locks.get(ahead_start..ahead_end).unwrap_or(&[]) {
                        accounts.prefetch(tag);
                    }
                }
                let set = locks.get(lock_start..lock_end).unwrap_or(&[]);
                lock_start = lock_end;
                let i = i as u32; // n <= MAX_BATCH_LEN
                edges.begin();
                for &tag in set {
                    edges.lock(accounts.state(tag), tag & WRITE_BIT != 0, i);
                }
                edges.end(i);
            }
        }
        let preds = &self.preds;
        let last_succ = &mut self.last_succ;

        // A chain: every transaction waits for the one right before it,
        // which takes at least n - 1 edges (checked only then, in the walk
        // below: a batch with few conflicts pays nothing for it), and no
        // further than the first transaction that does not (scanning every
        // transaction's predecessors whatever the answer cost a batch with
        // many conflicts but no chain a fifth more to schedule:
        // `schedule/mixed/2t/10000` 275–302 → 330–368 µs).
        let mut chain = n > 0 && preds.len() >= n - 1;

        // Transpose the predecessor lists into successor lists. Prefix sums
        // of the out-degrees give each list's start; `last_succ` (no longer
        // needed) becomes the per-list write cursor; walking successors in
        // increasing order keeps each list sorted.
        for p in 0..n {
            succ_offsets[p + 1] += succ_offsets[p];
        }
        let cursor = last_succ;
        cursor.copy_from_slice(&succ_offsets[..n]);
        succ.clear();
        succ.resize(preds.len(), 0);
        let mut start = 0usize;
        for (s, &count) in pred_count.iter().enumerate() {
            let end = start + count as usize;
            let of_s = &preds[start..end];
            if chain {
                chain = s == 0 || of_s.contains(&(s as u32 - 1));
            }
            for &p in of_s {
                let at = &mut cursor[p as usize];
                succ[*at as usize] = s as u32;
                *at += 1;
            }
            start = end;
        }

        Ok(DependencyGraph {
            pred_count,
            succ_offsets,
            succ,
            roots,
            chain,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn k(n: u64) -> Pubkey {
        Pubkey::new_from_u64(n)
    }

    fn set(w: &[u64], r: &[u64]) -> LockSet {
        let w: Vec<Pubkey> = w.iter().map(|&n| k(n)).collect();
        let r: Vec<Pubkey> = r.iter().map(|&n| k(n)).collect();
        LockSet::from_keys(&w, &r)
    }

    fn edges(g: &DependencyGraph) -> Vec<(usize, u32)> {
        (0..g.len())
            .flat_map(|i| g.successors(i).iter().map(move |&s| (i, s)))
            .collect()
    }

    #[test]
    fn independent_batch_has_no_edges() {
        let g =
            DependencyGraph::build(&[set(&[1], &[9]), set(&[2], &[9]), set(&[3], &[9])]).unwrap();
        assert_eq!(g.edge_count(), 0);
        assert_eq!(g.roots(), &[0, 1, 2]);
        assert!(!g.is_chain());
        assert_eq!(g.critical_path_len(), 1);
    }

    #[test]
    fn readers_then_writer() {
        // w0, r1, r2, w3, r4 on one account.
        let g = DependencyGraph::build(&[
            set(&[1], &[]),
            set(&[], &[1]),
            set(&[], &[1]),
            set(&[1], &[]),
            set(&[], &[1]),
        ])
        .unwrap();
        assert_eq!(edges(&g), vec![(0, 1), (0, 2), (1, 3), (2, 3), (3, 4)]);
        assert_eq!(g.roots(), &[0]);
        assert_eq!(g.predecessor_count(3), 2);
        assert!(!g.is_chain(), "1 and 2 may overlap");
        assert_eq!(g.critical_path_len(), 4);
    }

    #[test]
    fn shared_accounts_give_one_edge() {
        let g = DependencyGraph::build(&[set(&[1, 2, 3], &[]), set(&[1, 2], &[3])]).unwrap();
        assert_eq!(edges(&g), vec![(0, 1)]);
        assert_eq!(g.predecessor_count(1), 1);
        assert!(g.is_chain());
    }

    #[test]
    fn hot_account_is_a_chain() {
        let locks: Vec<LockSet> = (0..100).map(|i| set(&[0, 1000 + i], &[5000 + i])).collect();
        let g = DependencyGraph::build(&locks).unwrap();
        assert!(g.is_chain());
        assert_eq!(g.edge_count(), 99);
        assert_eq!(g.critical_path_len(), 100);
    }

    /// `is_chain` is exactly "every transaction waits for the one right
    /// before it", on seeded batches from dense to sparse conflicts, also
    /// where the edges are many but one pair may overlap.
    #[test]
    fn chain_is_exactly_each_waiting_for_the_one_before() {
        let mut chains = 0;
        for round in 0..400u64 {
            let keys = 1 + round % 6;
            let n = 1 + (round * 7 + round / 6) as usize % 12;
            let locks = seeded_batch(n, keys, 0x2545_F491_4F6C_DD1D ^ round << 20);
            let g = DependencyGraph::build(&locks).unwrap();
            let waits_on = |i: usize, p: usize| g.successors(p).contains(&(i as u32));
            let expected = (1..n).all(|i| waits_on(i, i - 1));
            assert_eq!(g.is_chain(), expected, "{:?}", edges(&g));
            chains += usize::from(expected);
        }
        assert!(chains > 20 && chains < 380, "{chains} chains of 400");
    }

    /// `reach[i][j]`: a path of edges leads from `i` to `j` (checking on the
    /// way that every edge goes forward).
    fn reachability(g: &DependencyGraph) -> Vec<Vec<bool>> {
        let n = g.len();
        let mut reach = vec![vec![false; n]; n];
        for i in (0..n).rev() {
            for &s in g.successors(i) {
                let s = s as usize;
                assert!(s > i, "edges go forward");
                reach[i][s] = true;
                let via = reach[s].clone();
                for (r, v) in reach[i].iter_mut().zip(via) {
                    *r |= v;
                }
            }
        }
        reach
    }

    #[test]
    fn edges_respect_every_conflict_transitively() {
        // Brute force on a small random-ish batch: i < j conflicting ⇒ path i → j.
        let locks: Vec<LockSet> = (0..40u64)
            .map(|i| set(&[(i * 7) % 5], &[(i * 3) % 5 + 5, (i * 11) % 6]))
            .collect();
        let g = DependencyGraph::build(&locks).unwrap();
        let n = locks.len();
        let reach = reachability(&g);
        for i in 0..n {
            for j in i + 1..n {
                if locks[i].conflicts_with(&locks[j]) {
                    assert!(reach[i][j], "{i} must precede {j}");
                }
            }
        }
    }

    /// The edges the graph must have, from a plain map over whole keys:
    /// a writer after the readers since the last writer (or after that
    /// writer), a reader after the last writer; duplicates merged.
    fn reference_edges(locks: &[LockSet]) -> Vec<(usize, u32)> {
        let mut accounts: std::collections::HashMap<Pubkey, (Option<u32>, Vec<u32>)> =
            std::collections::HashMap::new();
        let mut out = std::collections::BTreeSet::new();
        for (i, set) in locks.iter().enumerate() {
            let i = i as u32;
            for lock in set.locks() {
                let (writer, readers) = accounts.entry(lock.key).or_default();
                let preds: Vec<u32> = match lock.mode {
                    LockMode::Write if !readers.is_empty() => std::mem::take(readers),
                    LockMode::Write => writer.iter().copied().collect(),
                    LockMode::Read => {
                        readers.push(i);
                        writer.iter().copied().collect()
                    }
                };
                if lock.mode == LockMode::Write {
                    *writer = Some(i);
                }
                out.extend(
                    preds
                        .into_iter()
                        .filter(|&p| p != i)
                        .map(|p| (p as usize, i)),
                );
            }
        }
        out.into_iter().collect()
    }

    /// Seeded transactions over `keys` accounts: one or two writes and up
    /// to two reads each.
    fn seeded_batch(n: usize, keys: u64, mut x: u64) -> Vec<LockSet> {
        let mut next = |m: u64| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x % m
        };
        (0..n)
            .map(|_| {
                let w: Vec<u64> = (0..next(2) + 1).map(|_| next(keys)).collect();
                let r: Vec<u64> = (0..next(3)).map(|_| next(keys)).collect();
                set(&w, &r)
            })
            .collect()
    }

    /// A builder with fixed seeds, so that a test's tags are the same on
    /// every run.
    fn seeded_builder() -> GraphBuilder {
        let mut b = GraphBuilder::new();
        b.accounts.seeds = [0x0123_4567_89ab_cdef, 0xfedc_ba98_7654_3210];
        b
    }

    #[test]
    fn readers_before_any_writer() {
        // r0, r1, w2, r3 on one account.
        let g = DependencyGraph::build(&[
            set(&[], &[1]),
            set(&[], &[1]),
            set(&[1], &[]),
            set(&[], &[1]),
        ])
        .unwrap();
        assert_eq!(edges(&g), vec![(0, 2), (1, 2), (2, 3)]);
        assert_eq!(g.roots(), &[0, 1]);
    }

    /// Small batches (one pass, the table in cache) and large ones (the
    /// tags first, the table's slots prefetched) give the edges a plain
    /// map over whole keys gives.
    #[test]
    fn both_build_paths_give_the_reference_edges() {
        let mut builder = seeded_builder();
        for (n, keys, seed) in [
            (200, 50, 1u64),
            (2_000, 5_000, 2),
            (12_000, 4_000, 3),
            (12_000, 60_000, 4),
        ] {
            let locks = seeded_batch(n, keys, 0x9E37_79B9_7F4A_7C15 ^ seed);
            let g = builder.build(&locks).unwrap();
            let total: usize = locks.iter().map(LockSet::len).sum();
            let prefetched = AccountMap::slots_for(total) >= PREFETCH_FROM_SLOTS;
            assert_eq!(prefetched, n == 12_000, "{n} transactions");
            assert_eq!(
                edges(&g),
                reference_edges(&locks),
                "{n} transactions over {keys} keys"
            );
            builder.recycle(g);
        }
    }

    /// A caller's lock count that falls short fills the table: the accounts
    /// left out share one state, and every conflict is still ordered.
    #[test]
    fn an_understated_lock_count_still_orders_every_conflict() {
        let locks = seeded_batch(80, 60, 0x2545_F491_4F6C_DD1D);
        let g = seeded_builder()
            .build_from(locks.len(), 1, |i| locks[i].locks().iter().copied())
            .unwrap();
        let reach = reachability(&g);
        for (p, s) in reference_edges(&locks) {
            assert!(reach[p][s as usize], "{p} must precede {s}");
        }
        let exact = DependencyGraph::build(&locks).unwrap();
        assert!(
            g.critical_path_len() > exact.critical_path_len(),
            "the shared state orders transactions the exact graph lets overlap"
        );
    }

    #[test]
    fn accounts_past_three_quarters_of_the_table_share_one_state() {
        let mut map = AccountMap::new();
        map.reset(1);
        assert_eq!(map.slots.len(), 16);
        let tags: Vec<u64> = (0..40u64).map(|n| map.tag(&k(n))).collect();
        let checks: std::collections::HashSet<u32> =
            tags.iter().map(|&t| AccountMap::check(t)).collect();
        assert_eq!(checks.len(), tags.len(), "distinct keys, distinct checks");
        for (n, &t) in tags.iter().enumerate() {
            *map.state(t) = n as u32;
        }
        assert_eq!(map.used, 12);
        // The first 12 (3/4 of the slots) have slots; the rest share the
        // last value written.
        for (n, &t) in tags.iter().enumerate() {
            let expected = if n < 12 { n as u32 } else { 39 };
            assert_eq!(*map.state(t), expected, "key {n}");
        }
        // A fresh reset forgets everything, the shared state too.
        map.reset(4);
        assert_eq!(*map.state(tags[0]), NONE);
        map.reset(1);
        for &t in &tags[..12] {
            *map.state(t) = 1;
        }
        assert_eq!(*map.state(tags[30]), NONE);
        // A map never reset has no slots: every account shares the one state.
        let mut empty = AccountMap::new();
        *empty.state(tags[1]) = 9;
        assert_eq!(*empty.state(tags[2]), 9);
    }

    #[test]
    fn builders_draw_their_own_seeds() {
        let (a, b) = (AccountMap::new(), AccountMap::new());
        assert_ne!(a.tag(&k(7)), b.tag(&k(7)));
        assert_eq!(a.tag(&k(7)), a.tag(&k(7)));
    }

    #[test]
    fn empty_and_out_of_range() {
        let g = DependencyGraph::build(&[]).unwrap();
        assert!(g.is_empty() && !g.is_chain());
        assert_eq!(g.successors(5), &[] as &[u32]);
        assert_eq!(g.predecessor_count(5), 0);
        assert_eq!(g.critical_path_len(), 0);
    }
}
