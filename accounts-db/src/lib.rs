//! The account store of the Baton engine.
//!
//! Depends on `baton-types` only (and redb for the durable store). Depended
//! on by the facade `baton`, which loads and commits through these traits;
//! the executor never sees a store (it gets a load function), and the
//! scheduler knows nothing of accounts but their keys.
//!
//! # The traits
//!
//! Storage is split by capability, as revm splits `DatabaseRef` from
//! `DatabaseCommit`. [`AccountsRead`] loads accounts: [`AccountsRead::load`]
//! clones an account out (`None` when absent), with fast paths for the
//! lamports alone ([`AccountsRead::load_lamports`]) and for reusing a caller's
//! buffer ([`AccountsRead::load_into`]). [`AccountsCommit`] stores the writes
//! of a finished transaction. [`AccountsStore`] joins the two and adds what
//! only a whole store can answer: the [`StateHash`], the account count, and a
//! walk over every account for snapshots. All three are object safe and are
//! implemented for `&T`, `Box<T>` and `Arc<T>`, so the runtime may hold an
//! `Arc<dyn AccountsStore>`. [`InMemoryAccounts`] is the default
//! implementation; [`DurableAccounts`] (below) implements the same traits
//! over a redb file.
//!
//! An account committed with **zero lamports is removed**, as in Solana,
//! whatever its data: afterwards `load` returns `None`, it does not count in
//! [`AccountsStore::len`] and it does not enter the state hash.
//!
//! # The concurrency contract
//!
//! Every method takes `&self`. Loads run concurrently with each other and
//! with commits. [`AccountsCommit::commit`] may be called from many threads
//! at once: the parallel scheduler commits each transaction's writes as soon
//! as it finishes, and transactions that run at the same time never share a
//! written key, so their commits touch disjoint key sets and the result is
//! the same in every interleaving. A single commit is not atomic across its
//! keys with respect to a concurrent reader of those same keys; the scheduler
//! never lets such a reader run. [`AccountsStore::state_hash`], `len` and
//! snapshots are meant to be taken between batches, with no commit in flight.
//!
//! [`InMemoryAccounts`] keeps accounts in 192 hash-map shards, each behind a
//! `parking_lot` reader-writer lock and padded to its own cache lines. Keys
//! are hashed with [`PubkeyHasher`], which folds all 32 bytes with three
//! multiplies under a per-store random seed, so both random keys and the
//! counter keys of tests ([`baton_types::Pubkey::new_from_u64`]) spread
//! evenly. A load takes one shared lock and copies the account; a commit
//! takes one exclusive lock per account and hashes nothing.
//!
//! The shards hold our own open-addressing table (`table.rs`), not a
//! concurrent map crate such as `dashmap` nor `std`'s or hashbrown's map
//! behind the locks. A transfer's time in a store far larger than the caches
//! is dominated by two cache misses, the buckets of its payer and its
//! recipient; the runtime hides them by prefetching the next transaction's
//! accounts while the current one runs ([`AccountsRead::prefetch`]). That
//! needs the address of the slot a key hashes to, which none of those maps
//! expose; here it is `hash & mask`, read through a lock-free per-shard
//! layout hint, so prefetching takes no shard lock. (The table, with the
//! prefetch, replaced a `std` map for that reason; the commits that made the
//! change carry the figures.)
//!
//! # The state hash
//!
//! Each account has a digest, [`account_hash`]:
//!
//! ```text
//! SHA-256(pubkey ‖ lamports u64 LE ‖ rent_epoch u64 LE ‖ owner
//!         ‖ executable (1 byte) ‖ data length u64 LE ‖ data)
//! ```
//!
//! The store's digests are summed as 256-bit little-endian integers modulo
//! 2^256 ([`HashSum`]), and the state hash is
//! `SHA-256(sum as 32 LE bytes ‖ account count u64 LE)`. A sum does not
//! depend on the order of its terms, so neither insertion order nor thread
//! count shows in the result; and it can be updated in place: replacing an
//! account subtracts its old digest and adds the new one, and removing it
//! subtracts, returning the hash to what it was before the account existed.
//! (The final SHA-256 hides the linear structure of the sum and binds the
//! count.)
//!
//! The in-memory store does that subtraction and addition lazily. Each shard
//! keeps the sum of the digests it has counted, a list of keys written since
//! its last flush, and the old values those writes replaced. `state_hash`
//! flushes every shard, in parallel: it subtracts the digests of the replaced
//! values and adds those of the new ones. A commit therefore costs no
//! hashing; each account changed since the previous state hash is hashed
//! once (twice if it replaced a counted value), and unchanged accounts are
//! never hashed again.
//!
//! # Snapshots
//!
//! [`save_snapshot`] (or [`InMemoryAccounts::save_snapshot`]) writes every
//! account to one file, all integers little-endian:
//!
//! ```text
//! magic      b"BATONSNP"
//! version    u32            (SNAPSHOT_VERSION = 1)
//! count      u64
//! count × {  pubkey [32], lamports u64, rent_epoch u64, owner [32],
//!            executable u8 (0 or 1), data_len u64, data [data_len] }
//! checksum   SHA-256 of every byte above
//! ```
//!
//! Entries are in increasing key order, so equal stores give identical
//! files. The file is written to a temporary file in the target's directory,
//! synced, and renamed over the target, so a crash or error never leaves a
//! half-written file where a good one was. [`InMemoryAccounts::load_snapshot`]
//! (built on [`SnapshotReader`]) checks everything and refuses a bad file
//! with a [`StoreError`] naming it: wrong magic, unsupported version,
//! truncation, a data length beyond the account limit or the file's end
//! (checked before allocating), a bad executable byte, zero lamports,
//! duplicate or unordered keys, trailing bytes, and checksum mismatch.
//! [`StoreError`] holds engine faults only; a failed transaction is never
//! one. Snapshots are written by streaming
//! [`AccountsStore::for_each_account_sorted`], so the durable store exports
//! without holding its accounts in memory, and
//! [`DurableAccounts::import_snapshot`] fills a new durable store from a
//! snapshot the same way.
//!
//! # The durable store
//!
//! [`DurableAccounts`] keeps the accounts in one redb database file (table
//! `accounts`: key → digest ‖ fields ‖ data; table `meta`: format tag,
//! [`STORE_VERSION`], digest sum, count, batch counter). A batch is the unit
//! of durability: commits go to an in-memory overlay that loads consult
//! first, and [`AccountsStore::end_batch`] — which the runtime calls once at
//! the end of every batch, and which the in-memory store implements as a
//! no-op — writes the overlay, the new digest sum and count in one redb
//! write transaction, committed with fsync. After a crash the file holds
//! the state after some whole prefix of the ended batches, including every
//! batch whose `end_batch` returned; reopening gives the same state hash
//! without rehashing. Opening verifies every page checksum, so truncated
//! and corrupt files, files that are not redb databases or not Baton
//! stores, and other format versions are refused with a [`StoreError`]
//! naming the file and the problem ([`StoreFileProblem`]).

mod durable;
mod error;
mod hash;
mod hasher;
mod memory;
mod snapshot;
mod table;
mod traits;

pub use durable::{DurableAccounts, DurableOptions, STORE_VERSION};
pub use error::{CorruptReason, StoreError, StoreFileProblem};
pub use hash::{account_hash, state_hash_of, HashSum, StateHash};
pub use hasher::{PubkeyHasher, PubkeyHasherBuilder};
pub use memory::InMemoryAccounts;
pub use snapshot::{save_snapshot, SnapshotReader, SNAPSHOT_MAGIC, SNAPSHOT_VERSION};
pub use traits::{AccountsCommit, AccountsRead, AccountsStore};
