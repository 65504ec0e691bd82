//! The state hash: per-account SHA-256 digests summed modulo 2^256.

use std::fmt;

use baton_types::{Account, Pubkey};
use sha2::{Digest, Sha256};

/// The hash of a whole account store: see the crate documentation for its
/// definition. Two stores holding the same accounts have the same
/// `StateHash`, whatever order the accounts arrived in and however many
/// threads committed them.
#[derive(Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct StateHash(pub [u8; 32]);

impl StateHash {
    /// The raw bytes.
    pub const fn to_bytes(self) -> [u8; 32] {
        self.0
    }
}

impl fmt::Display for StateHash {
    /// Lower-case hex, 64 characters.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for b in &self.0 {
            write!(f, "{b:02x}")?;
        }
        Ok(())
    }
}

impl fmt::Debug for StateHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "StateHash({self})")
    }
}

/// SHA-256 of one account: `pubkey ‖ lamports (u64 LE) ‖ rent_epoch (u64 LE)
/// ‖ owner ‖ executable (one byte, 0 or 1) ‖ data length (u64 LE) ‖ data`.
pub fn account_hash(key: &Pubkey, account: &Account) -> [u8; 32] {
    hash_fields(
        key,
        account.lamports,
        account.rent_epoch,
        &account.owner,
        account.executable,
        &account.data,
    )
}

/// [`account_hash`] over the fields, for stores that do not keep an
/// [`Account`] value.
pub(crate) fn hash_fields(
    key: &Pubkey,
    lamports: u64,
    rent_epoch: u64,
    owner: &Pubkey,
    executable: bool,
    data: &[u8],
) -> [u8; 32] {
    // The fixed-size prefix goes into the hasher in one call: 89 bytes.
    let mut head = [0u8; 89];
    head[..32].copy_from_slice(&key.0);
    head[32..40].copy_from_slice(&lamports.to_le_bytes());
    head[40..48].copy_from_slice(&rent_epoch.to_le_bytes());
    head[48..80].copy_from_slice(&owner.0);
    head[80] = u8::from(executable);
    head[81..89].copy_from_slice(&(data.len() as u64).to_le_bytes());
    let mut h = Sha256::new();
    h.update(head);
    h.update(data);
    h.finalize().into()
}

/// A multiset hash accumulator: the sum modulo 2^256 of 32-byte digests,
/// each read as a little-endian 256-bit integer (four u64 limbs, least
/// significant first).
///
/// Addition is commutative and associative and [`HashSum::sub`] undoes
/// [`HashSum::add`], so the sum of a set of digests does not depend on the
/// order they were added in, partial sums kept per shard or per thread can be
/// merged, and replacing one account costs one subtraction and one addition.
#[derive(Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct HashSum {
    limbs: [u64; 4],
}

impl fmt::Debug for HashSum {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "HashSum(")?;
        for b in self.to_bytes() {
            write!(f, "{b:02x}")?;
        }
        write!(f, ")")
    }
}

impl HashSum {
    /// The empty sum (zero).
    pub const ZERO: Self = Self { limbs: [0; 4] };

    fn limbs_of(digest: &[u8; 32]) -> [u64; 4] {
        let mut limbs = [0u64; 4];
        for (limb, chunk) in limbs.iter_mut().zip(digest.chunks_exact(8)) {
            let mut b = [0u8; 8];
            b.copy_from_slice(chunk);
            *limb = u64::from_le_bytes(b);
        }
        limbs
    }

    fn add_limbs(&mut self, other: &[u64; 4]) {
        let mut carry = false;
        for (a, &b) in self.limbs.iter_mut().zip(other) {
            let (s1, c1) = a.overflowing_add(b);
            let (s2, c2) = s1.overflowing_add(u64::from(carry));
            *a = s2;
            carry = c1 | c2;
        }
    }

    fn sub_limbs(&mut self, other: &[u64; 4]) {
        let mut borrow = false;
        for (a, &b) in self.limbs.iter_mut().zip(other) {
            let (d1, b1) = a.overflowing_sub(b);
            let (d2, b2) = d1.overflowing_sub(u64::from(borrow));
            *a = d2;
            borrow = b1 | b2;
        }
    }

    /// Add one digest.
    pub fn add(&mut self, digest: &[u8; 32]) {
        self.add_limbs(&Self::limbs_of(digest));
    }

    /// Subtract one digest previously added.
    pub fn sub(&mut self, digest: &[u8; 32]) {
        self.sub_limbs(&Self::limbs_of(digest));
    }

    /// Add another sum into this one.
    pub fn merge(&mut self, other: &HashSum) {
        self.add_limbs(&other.limbs);
    }

    /// The sum as 32 little-endian bytes.
    pub fn to_bytes(&self) -> [u8; 32] {
        let mut out = [0u8; 32];
        for (chunk, limb) in out.chunks_exact_mut(8).zip(&self.limbs) {
            chunk.copy_from_slice(&limb.to_le_bytes());
        }
        out
    }

    /// The state hash of a store whose `count` accounts have this digest
    /// sum: `SHA-256(sum as 32 LE bytes ‖ count as u64 LE)`.
    pub fn finalize(&self, count: u64) -> StateHash {
        let mut h = Sha256::new();
        h.update(self.to_bytes());
        h.update(count.to_le_bytes());
        StateHash(h.finalize().into())
    }
}

/// The state hash of a set of accounts computed from scratch, for tests and
/// for checking a store's incremental hash. Zero-lamport accounts are skipped,
/// as a store would not hold them; keys must be distinct.
pub fn state_hash_of<'a>(
    accounts: impl IntoIterator<Item = (&'a Pubkey, &'a Account)>,
) -> StateHash {
    let mut sum = HashSum::ZERO;
    let mut count = 0u64;
    for (key, account) in accounts {
        if account.lamports != 0 {
            sum.add(&account_hash(key, account));
            count += 1;
        }
    }
    sum.finalize(count)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn add_then_sub_is_identity_with_carries() {
        let mut s = HashSum::ZERO;
        let ones = [0xffu8; 32];
        s.add(&ones);
        s.add(&ones); // wraps: carries across every limb
        let mut one = [0u8; 32];
        one[0] = 1;
        s.add(&one);
        s.sub(&ones);
        s.sub(&one);
        s.sub(&ones);
        assert_eq!(s, HashSum::ZERO);
    }

    #[test]
    fn sum_is_order_independent() {
        let ds: Vec<[u8; 32]> = (0u8..20).map(|i| Sha256::digest([i]).into()).collect();
        let mut a = HashSum::ZERO;
        ds.iter().for_each(|d| a.add(d));
        let mut b = HashSum::ZERO;
        ds.iter().rev().for_each(|d| b.add(d));
        assert_eq!(a, b);
        let mut c = HashSum::ZERO;
        let mut c2 = HashSum::ZERO;
        ds[..7].iter().for_each(|d| c.add(d));
        ds[7..].iter().for_each(|d| c2.add(d));
        c.merge(&c2);
        assert_eq!(a, c);
    }

    #[test]
    fn account_hash_matches_the_documented_layout() {
        let key = Pubkey::new_from_u64(7);
        let owner = Pubkey::new_from_u64(9);
        let mut acc = Account::with_data(5, vec![1, 2, 3], &owner);
        acc.rent_epoch = 11;
        acc.executable = true;
        let mut h = Sha256::new();
        h.update(key.0);
        h.update(5u64.to_le_bytes());
        h.update(11u64.to_le_bytes());
        h.update(owner.0);
        h.update([1u8]);
        h.update(3u64.to_le_bytes());
        h.update([1u8, 2, 3]);
        let want: [u8; 32] = h.finalize().into();
        assert_eq!(account_hash(&key, &acc), want);
    }

    #[test]
    fn display_is_hex() {
        let mut b = [0u8; 32];
        b[0] = 0xab;
        b[31] = 0x01;
        let s = StateHash(b).to_string();
        assert_eq!(s.len(), 64);
        assert!(s.starts_with("ab00"));
        assert!(s.ends_with("01"));
    }
}
