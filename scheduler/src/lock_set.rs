//! Account lock sets: which accounts a transaction reads and which it writes.

use baton_types::{Message, Pubkey, TransactionError};
use smallvec::SmallVec;

/// The number of account locks a transaction may take by default (Agave's
/// `MAX_TX_ACCOUNT_LOCKS` before SIMD-0089: 64).
pub const DEFAULT_ACCOUNT_LOCK_LIMIT: usize = 64;

/// The largest lock limit a runtime may configure (Agave's 128); a larger
/// limit passed to [`validate_account_locks`] is clamped to this.
pub const MAX_ACCOUNT_LOCK_LIMIT: usize = 128;

/// How a transaction locks one account.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum LockMode {
    /// Shared: other readers may hold the account at the same time.
    Read,
    /// Exclusive: nobody else may hold the account.
    Write,
}

impl LockMode {
    /// `Write` if `writable`, else `Read`.
    #[inline]
    pub const fn from_writable(writable: bool) -> Self {
        if writable {
            Self::Write
        } else {
            Self::Read
        }
    }

    /// Whether this is a write lock.
    #[inline]
    pub const fn is_write(self) -> bool {
        matches!(self, Self::Write)
    }
}

/// One account lock: the key and the mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct AccountLock {
    /// The locked account.
    pub key: Pubkey,
    /// Shared or exclusive.
    pub mode: LockMode,
}

/// The account locks of one transaction: each key once, in the stronger of
/// the modes it was declared with (a key declared both read-only and
/// writable is write-locked).
///
/// Two lock sets conflict when some key is in both and at least one of them
/// writes it; the scheduler runs conflicting transactions in batch order and
/// everything else in parallel.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct LockSet {
    /// Sorted by key, keys unique.
    locks: SmallVec<[AccountLock; 4]>,
}

impl LockSet {
    /// Build a lock set from `(key, writable)` pairs. Duplicate keys collapse
    /// into one lock, a write lock if any of the duplicates is writable.
    pub fn new<I>(accounts: I) -> Self
    where
        I: IntoIterator<Item = (Pubkey, bool)>,
    {
        let mut locks: SmallVec<[AccountLock; 4]> = accounts
            .into_iter()
            .map(|(key, writable)| AccountLock {
                key,
                mode: LockMode::from_writable(writable),
            })
            .collect();
        // Sort by key, writes before reads within one key, then keep the first
        // of each run: that is the strongest mode declared for the key.
        locks.sort_unstable_by(|a, b| a.key.cmp(&b.key).then(b.mode.cmp(&a.mode)));
        locks.dedup_by(|later, kept| later.key == kept.key);
        Self { locks }
    }

    /// Build a lock set from separate writable and read-only key lists.
    pub fn from_keys(writable: &[Pubkey], readonly: &[Pubkey]) -> Self {
        Self::new(
            writable
                .iter()
                .map(|k| (*k, true))
                .chain(readonly.iter().map(|k| (*k, false))),
        )
    }

    /// The locks a legacy message takes: every account key, write-locked
    /// where [`Message::is_writable`] says so (§1.1 of the semantics: header position, minus
    /// invoked program ids and reserved ids), read-locked otherwise.
    ///
    /// This does not validate; see [`LockSet::try_from_message`].
    pub fn from_message(message: &Message) -> Self {
        Self::new(
            message
                .account_keys
                .iter()
                .enumerate()
                .map(|(i, k)| (*k, message.is_writable(i))),
        )
    }

    /// Validate the message's keys against `limit` (see
    /// [`validate_account_locks`]) and build its lock set.
    pub fn try_from_message(message: &Message, limit: usize) -> Result<Self, TransactionError> {
        validate_account_locks(&message.account_keys, limit)?;
        Ok(Self::from_message(message))
    }

    /// The locks, sorted by key, each key once.
    #[inline]
    pub fn locks(&self) -> &[AccountLock] {
        &self.locks
    }

    /// Iterate over the locks, sorted by key.
    #[inline]
    pub fn iter(&self) -> std::slice::Iter<'_, AccountLock> {
        self.locks.iter()
    }

    /// The number of distinct accounts locked.
    #[inline]
    pub fn len(&self) -> usize {
        self.locks.len()
    }

    /// Whether no account is locked.
    #[inline]
    pub fn is_empty(&self) -> bool {
        self.locks.is_empty()
    }

    /// The write-locked keys, sorted.
    pub fn writes(&self) -> impl Iterator<Item = &Pubkey> + '_ {
        self.locks
            .iter()
            .filter(|l| l.mode.is_write())
            .map(|l| &l.key)
    }

    /// The read-locked keys, sorted.
    pub fn reads(&self) -> impl Iterator<Item = &Pubkey> + '_ {
        self.locks
            .iter()
            .filter(|l| !l.mode.is_write())
            .map(|l| &l.key)
    }

    /// How this set locks `key`, if at all.
    pub fn mode_of(&self, key: &Pubkey) -> Option<LockMode> {
        self.locks
            .binary_search_by(|l| l.key.cmp(key))
            .ok()
            .map(|i| self.locks[i].mode)
    }

    /// Whether the two sets conflict: some key is locked by both and written
    /// by at least one. A linear merge of the two sorted lists.
    pub fn conflicts_with(&self, other: &LockSet) -> bool {
        let (mut a, mut b) = (self.locks.iter().peekable(), other.locks.iter().peekable());
        while let (Some(x), Some(y)) = (a.peek(), b.peek()) {
            match x.key.cmp(&y.key) {
                std::cmp::Ordering::Less => {
                    a.next();
                }
                std::cmp::Ordering::Greater => {
                    b.next();
                }
                std::cmp::Ordering::Equal => {
                    if x.mode.is_write() || y.mode.is_write() {
                        return true;
                    }
                    a.next();
                    b.next();
                }
            }
        }
        false
    }
}

impl FromIterator<(Pubkey, bool)> for LockSet {
    fn from_iter<I: IntoIterator<Item = (Pubkey, bool)>>(iter: I) -> Self {
        Self::new(iter)
    }
}

impl<'a> IntoIterator for &'a LockSet {
    type Item = &'a AccountLock;
    type IntoIter = std::slice::Iter<'a, AccountLock>;

    fn into_iter(self) -> Self::IntoIter {
        self.locks.iter()
    }
}

/// Check a transaction's account keys before locking, as Agave does:
/// more than `limit` keys → [`TransactionError::TooManyAccountLocks`];
/// otherwise a key listed twice → [`TransactionError::AccountLoadedTwice`].
/// The count is checked first, like Agave's `validate_account_locks`.
///
/// `limit` is clamped to [`MAX_ACCOUNT_LOCK_LIMIT`]; pass
/// [`DEFAULT_ACCOUNT_LOCK_LIMIT`] for the default.
pub fn validate_account_locks(keys: &[Pubkey], limit: usize) -> Result<(), TransactionError> {
    if keys.len() > limit.min(MAX_ACCOUNT_LOCK_LIMIT) {
        return Err(TransactionError::TooManyAccountLocks);
    }
    if has_duplicates(keys) {
        return Err(TransactionError::AccountLoadedTwice);
    }
    Ok(())
}

/// [`validate_account_locks`] over the keys of `lists` one after the
/// other (a v0 message's static keys, then those its lookups loaded),
/// without copying them into one list first.
pub fn validate_account_lock_lists(
    lists: [&[Pubkey]; 3],
    limit: usize,
) -> Result<(), TransactionError> {
    let len: usize = lists.iter().map(|l| l.len()).sum();
    if len > limit.min(MAX_ACCOUNT_LOCK_LIMIT) {
        return Err(TransactionError::TooManyAccountLocks);
    }
    let repeated = if len <= PAIRWISE_MAX {
        lists.iter().enumerate().any(|(n, list)| {
            list.iter().enumerate().any(|(i, key)| {
                repeats(key, &list[i + 1..]) || lists[n + 1..].iter().any(|l| repeats(key, l))
            })
        })
    } else {
        sorted_has_duplicates(lists.iter().flat_map(|l| l.iter()).collect())
    };
    if repeated {
        return Err(TransactionError::AccountLoadedTwice);
    }
    Ok(())
}

/// Lists up to this long are checked for a repeated key pair by pair.
const PAIRWISE_MAX: usize = 16;

/// Whether some key occurs twice. At most 128 keys reach here: a pairwise
/// scan for short lists (no allocation), a sorted copy of references for
/// longer ones.
fn has_duplicates(keys: &[Pubkey]) -> bool {
    if keys.len() <= PAIRWISE_MAX {
        return keys
            .iter()
            .enumerate()
            .any(|(i, key)| repeats(key, &keys[i + 1..]));
    }
    sorted_has_duplicates(keys.iter().collect())
}

/// Whether `key` is among `others`. Compares keys' first eight bytes as
/// one word and whole keys only where those match: distinct keys nearly
/// always differ there, and every transaction's keys pass through here.
#[inline(always)]
fn repeats(key: &Pubkey, others: &[Pubkey]) -> bool {
    let head = |k: &Pubkey| {
        let [b0, b1, b2, b3, b4, b5, b6, b7, ..] = k.0;
        u64::from_ne_bytes([b0, b1, b2, b3, b4, b5, b6, b7])
    };
    let h = head(key);
    others.iter().any(|o| head(o) == h && o == key)
}

/// Whether `keys` holds a key twice, by sorting them.
fn sorted_has_duplicates(mut keys: Vec<&Pubkey>) -> bool {
    keys.sort_unstable();
    keys.windows(2).any(|w| w[0] == w[1])
}

#[cfg(test)]
mod tests {
    use super::*;
    use baton_types::{AccountMeta, Instruction};

    fn k(n: u64) -> Pubkey {
        Pubkey::new_from_u64(n)
    }

    #[test]
    fn duplicates_collapse_to_the_stronger_mode() {
        let set = LockSet::new([(k(2), false), (k(1), false), (k(2), true), (k(1), false)]);
        assert_eq!(
            set.locks(),
            &[
                AccountLock {
                    key: k(1),
                    mode: LockMode::Read
                },
                AccountLock {
                    key: k(2),
                    mode: LockMode::Write
                },
            ]
        );
        // Order of the duplicates does not matter.
        let again = LockSet::new([(k(2), true), (k(2), false), (k(1), false)]);
        assert_eq!(set, again);
        assert_eq!(set.mode_of(&k(2)), Some(LockMode::Write));
        assert_eq!(set.mode_of(&k(3)), None);
        assert_eq!(set.writes().copied().collect::<Vec<_>>(), vec![k(2)]);
        assert_eq!(set.reads().copied().collect::<Vec<_>>(), vec![k(1)]);
        assert_eq!(set.len(), 2);
        assert!(LockSet::default().is_empty());
    }

    #[test]
    fn from_keys_and_from_iter_agree() {
        let a = LockSet::from_keys(&[k(1), k(3)], &[k(2), k(3)]);
        let b: LockSet = [(k(1), true), (k(2), false), (k(3), true)]
            .into_iter()
            .collect();
        assert_eq!(a, b);
    }

    #[test]
    fn conflicts() {
        let w1 = LockSet::from_keys(&[k(1)], &[]);
        let r1 = LockSet::from_keys(&[], &[k(1)]);
        let r1b = LockSet::from_keys(&[k(9)], &[k(1)]);
        let w2 = LockSet::from_keys(&[k(2)], &[k(0)]);
        assert!(w1.conflicts_with(&r1) && r1.conflicts_with(&w1));
        assert!(w1.conflicts_with(&w1));
        assert!(!r1.conflicts_with(&r1b), "two readers do not conflict");
        assert!(!w1.conflicts_with(&w2) && !r1.conflicts_with(&w2));
        assert!(!LockSet::default().conflicts_with(&w1));
    }

    #[test]
    fn validation_matches_agave() {
        let keys: Vec<Pubkey> = (0..64).map(k).collect();
        assert_eq!(
            validate_account_locks(&keys, DEFAULT_ACCOUNT_LOCK_LIMIT),
            Ok(())
        );
        let keys65: Vec<Pubkey> = (0..65).map(k).collect();
        assert_eq!(
            validate_account_locks(&keys65, DEFAULT_ACCOUNT_LOCK_LIMIT),
            Err(TransactionError::TooManyAccountLocks)
        );
        assert_eq!(
            validate_account_locks(&keys65, MAX_ACCOUNT_LOCK_LIMIT),
            Ok(())
        );
        // The limit is clamped to 128.
        let keys129: Vec<Pubkey> = (0..129).map(k).collect();
        assert_eq!(
            validate_account_locks(&keys129, 1_000),
            Err(TransactionError::TooManyAccountLocks)
        );
        // Duplicates, short (pairwise scan) and long (sorted) lists.
        assert_eq!(
            validate_account_locks(&[k(1), k(2), k(1)], 64),
            Err(TransactionError::AccountLoadedTwice)
        );
        let mut long: Vec<Pubkey> = (0..40).map(k).collect();
        long.push(k(17));
        assert_eq!(
            validate_account_locks(&long, 64),
            Err(TransactionError::AccountLoadedTwice)
        );
        // Too many is reported before duplicates, as Agave does.
        let mut both: Vec<Pubkey> = (0..70).map(k).collect();
        both.push(k(0));
        assert_eq!(
            validate_account_locks(&both, 64),
            Err(TransactionError::TooManyAccountLocks)
        );
        assert_eq!(validate_account_locks(&[], 64), Ok(()));
        // Keys alike in their first eight bytes are told apart by the rest.
        let a = k(5);
        let mut b = a;
        b.0[31] ^= 1;
        assert_eq!(validate_account_locks(&[a, b], 64), Ok(()));
        assert_eq!(
            validate_account_locks(&[b, a, k(6), b], 64),
            Err(TransactionError::AccountLoadedTwice)
        );
    }

    /// The three-list form gives what the one list would, for every way
    /// of cutting seeded key lists (with and without a repeated key, short
    /// and past the pairwise scan, under and over the limit) in three.
    #[test]
    fn lock_lists_validate_as_their_concatenation() {
        let mut state = 0x9E37_79B9_7F4A_7C15u64;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let mut seen = [0usize; 3];
        for len in [0, 1, 2, 5, 15, 16, 17, 30, 64, 65, 70] {
            for _ in 0..20 {
                // Keys from a small range repeat now and then.
                let range = if next() % 2 == 0 {
                    1 << 40
                } else {
                    3 * len as u64 + 1
                };
                let keys: Vec<Pubkey> = (0..len).map(|_| k(next() % range)).collect();
                let expected = validate_account_locks(&keys, 64);
                seen[match expected {
                    Ok(()) => 0,
                    Err(TransactionError::AccountLoadedTwice) => 1,
                    Err(_) => 2,
                }] += 1;
                for i in 0..=len {
                    for j in i..=len {
                        let lists = [&keys[..i], &keys[i..j], &keys[j..]];
                        assert_eq!(
                            validate_account_lock_lists(lists, 64),
                            expected,
                            "{len} keys cut at {i} and {j}"
                        );
                    }
                }
            }
        }
        assert!(seen.iter().all(|&n| n > 10), "{seen:?}");
    }

    #[test]
    fn from_message_follows_header_and_invoked_programs() {
        let payer = k(100);
        let program = k(200);
        let ix = Instruction {
            program_id: program,
            accounts: vec![
                AccountMeta {
                    pubkey: k(1),
                    is_signer: false,
                    is_writable: true,
                },
                AccountMeta {
                    pubkey: k(2),
                    is_signer: false,
                    is_writable: false,
                },
            ],
            data: vec![],
        };
        let msg = Message::new(&[ix], Some(&payer));
        let set = LockSet::from_message(&msg);
        assert_eq!(set.len(), 4);
        assert_eq!(set.mode_of(&payer), Some(LockMode::Write));
        assert_eq!(set.mode_of(&k(1)), Some(LockMode::Write));
        assert_eq!(set.mode_of(&k(2)), Some(LockMode::Read));
        assert_eq!(set.mode_of(&program), Some(LockMode::Read));
        assert_eq!(LockSet::try_from_message(&msg, 64), Ok(set));

        let mut dup = msg.clone();
        dup.account_keys.push(k(1));
        assert_eq!(
            LockSet::try_from_message(&dup, 64),
            Err(TransactionError::AccountLoadedTwice)
        );
        assert_eq!(
            LockSet::try_from_message(&msg, 3),
            Err(TransactionError::TooManyAccountLocks)
        );
    }
}
