//! How much a batch conflicts: the transactions that must wait for an
//! earlier one of the same `execute_batch` call, and the longest chain of
//! such waits.

use std::collections::HashMap;

use baton::{LockSet, Pubkey, Transaction};

/// Conflict figures of a list of transactions cut into batches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ConflictStats {
    /// Transactions counted.
    pub txs: usize,
    /// Transactions that conflict with an earlier transaction of their
    /// batch: one writes an account the other reads or writes.
    pub conflicting: usize,
    /// The longest chain of conflicting transactions in any batch (1 when
    /// nothing conflicts, the batch length when everything does): a lower
    /// bound on the batch's run time in transaction times.
    pub longest_chain: usize,
}

impl ConflictStats {
    /// `conflicting / txs`, 0 for no transactions.
    pub fn share(&self) -> f64 {
        if self.txs == 0 {
            0.0
        } else {
            self.conflicting as f64 / self.txs as f64
        }
    }
}

/// Per account, the depth (chain length ending there) of its last writer
/// and the deepest reader since.
#[derive(Default, Clone, Copy)]
struct Depths {
    writer: usize,
    readers: usize,
}

/// Count conflicts of `txs` cut into batches of `batch` transactions, the
/// way `baton bench` calls `execute_batch`, from each transaction's lock
/// set (`LockSet::from_message`).
pub fn conflict_stats(txs: &[Transaction], batch: usize) -> ConflictStats {
    let mut stats = ConflictStats {
        txs: txs.len(),
        ..ConflictStats::default()
    };
    let mut accounts: HashMap<Pubkey, Depths> = HashMap::new();
    for chunk in txs.chunks(batch.max(1)) {
        accounts.clear();
        for tx in chunk {
            let locks = LockSet::from_message(&tx.message);
            let mut after = 0;
            for lock in locks.iter() {
                if let Some(d) = accounts.get(&lock.key) {
                    let wait = if lock.mode.is_write() {
                        d.writer.max(d.readers)
                    } else {
                        d.writer
                    };
                    after = after.max(wait);
                }
            }
            let depth = after + 1;
            if after > 0 {
                stats.conflicting += 1;
            }
            stats.longest_chain = stats.longest_chain.max(depth);
            for lock in locks.iter() {
                let d = accounts.entry(lock.key).or_default();
                if lock.mode.is_write() {
                    *d = Depths {
                        writer: depth,
                        readers: 0,
                    };
                } else {
                    d.readers = d.readers.max(depth);
                }
            }
        }
    }
    stats
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::{generate, Params};

    fn stats(name: &str, p: Params, batch: usize) -> ConflictStats {
        conflict_stats(&generate(name, &p).unwrap().txs, batch)
    }

    #[test]
    fn one_hot_account_is_one_chain_per_batch() {
        let p = Params {
            txs: 1_000,
            accounts: 100_000,
            hot: 1,
            ..Params::default()
        };
        let s = stats("hot-account", p, 250);
        assert_eq!(s.txs, 1_000);
        assert_eq!(s.conflicting, 1_000 - 4);
        assert_eq!(s.longest_chain, 250);
    }

    #[test]
    fn sparse_transfers_rarely_conflict_and_shared_reads_never_do() {
        let p = Params {
            txs: 1_000,
            accounts: 100_000,
            ..Params::default()
        };
        let s = stats("uniform-transfers", p, 1_000);
        assert!(s.share() < 0.05, "{s:?}");
        let small = Params {
            txs: 200,
            accounts: 2_000,
            ..Params::default()
        };
        let w = stats(
            "large-writes",
            Params {
                variant: Some("read-shared".into()),
                ..small.clone()
            },
            200,
        );
        let plain = stats("large-writes", small, 200);
        assert_eq!(w, plain, "read-only shared accounts add no conflicts");
        let hot_mint = stats(
            "token-cpi",
            Params {
                txs: 100,
                accounts: 1_000,
                variant: Some("hot-mint".into()),
                ..Params::default()
            },
            100,
        );
        assert_eq!(hot_mint.longest_chain, 100);
    }
}
