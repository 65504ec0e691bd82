//! Sysvars the programs read: Rent, Clock, RecentBlockhashes and SlotHashes.
//!
//! They live as accounts in the store, owned by the sysvar program, with
//! Solana's bincode layouts, so a snapshot or a program reading the account
//! sees what it would see on Solana. The [`SysvarCache`] holds their decoded
//! values for one batch.

use baton_types::{ids, Account, Hash, Pubkey};
use serde::{Deserialize, Serialize};

/// Bytes every account is charged rent for beyond its data.
pub const ACCOUNT_STORAGE_OVERHEAD: u64 = 128;

/// The Rent sysvar (17 bytes on the wire: the rate as a little-endian
/// `u64`, the threshold as a little-endian `f64`, the burn percentage).
///
/// The default is the target's (semantics.md §0, SIMD-0194): 6,960
/// lamports per byte-year with a threshold of 1.0, the same minimum
/// balances as the former 3,480 × 2.0 but other sysvar bytes.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Rent {
    /// Rental rate in lamports per byte-year.
    pub lamports_per_byte_year: u64,
    /// Years of rent that make an account exempt.
    pub exemption_threshold: f64,
    /// Share of collected rent that is burned.
    pub burn_percent: u8,
}

/// The default rent rate, lamports per byte-year (SIMD-0194).
pub const DEFAULT_LAMPORTS_PER_BYTE_YEAR: u64 = 6_960;
/// The default exemption threshold, in years (SIMD-0194).
pub const DEFAULT_EXEMPTION_THRESHOLD: f64 = 1.0;

impl Default for Rent {
    fn default() -> Self {
        Self {
            lamports_per_byte_year: DEFAULT_LAMPORTS_PER_BYTE_YEAR,
            exemption_threshold: DEFAULT_EXEMPTION_THRESHOLD,
            burn_percent: 50,
        }
    }
}

impl Rent {
    /// The smallest balance that makes an account of `data_len` bytes rent
    /// exempt, with Agave 4.2's arithmetic (semantics.md §0): a threshold of
    /// exactly 1.0 (SIMD-0194) or 2.0 is computed in integers,
    /// `(128 + len) × rate` or twice that; any other threshold as
    /// `((128 + len) × rate) as f64 × threshold`, truncated. The integer
    /// products wrap as Agave's unchecked ones do in a release build (only
    /// an absurd rate can get there).
    pub fn minimum_balance(&self, data_len: usize) -> u64 {
        let bytes = ACCOUNT_STORAGE_OVERHEAD.wrapping_add(data_len as u64);
        let per_year = bytes.wrapping_mul(self.lamports_per_byte_year);
        if self.exemption_threshold.to_bits() == 1.0f64.to_bits() {
            per_year
        } else if self.exemption_threshold.to_bits() == 2.0f64.to_bits() {
            per_year.wrapping_mul(2)
        } else {
            (per_year as f64 * self.exemption_threshold) as u64
        }
    }

    /// Whether `lamports` make an account of `data_len` bytes rent exempt.
    pub fn is_exempt(&self, lamports: u64, data_len: usize) -> bool {
        lamports >= self.minimum_balance(data_len)
    }
}

/// The Clock sysvar (40 bytes on the wire).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Clock {
    /// The current slot.
    pub slot: u64,
    /// Timestamp of the first slot of the epoch.
    pub epoch_start_timestamp: i64,
    /// The current epoch.
    pub epoch: u64,
    /// The epoch whose leader schedule is known.
    pub leader_schedule_epoch: u64,
    /// Estimated wall-clock time of the slot, in seconds since the Unix epoch.
    pub unix_timestamp: i64,
}

/// The fee rate recorded with a recent blockhash.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeeCalculator {
    /// Lamports charged per signature.
    pub lamports_per_signature: u64,
}

/// One entry of the RecentBlockhashes sysvar.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecentBlockhashEntry {
    /// The blockhash.
    #[serde(with = "hash_serde")]
    pub blockhash: Hash,
    /// Its fee rate.
    pub fee_calculator: FeeCalculator,
}

/// Most entries the RecentBlockhashes sysvar holds.
pub const MAX_RECENT_BLOCKHASHES: usize = 150;

/// The RecentBlockhashes sysvar: newest first.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecentBlockhashes(pub Vec<RecentBlockhashEntry>);

mod hash_serde {
    use baton_types::Hash;
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub fn serialize<S: Serializer>(h: &Hash, s: S) -> Result<S::Ok, S::Error> {
        h.0.serialize(s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Hash, D::Error> {
        <[u8; 32]>::deserialize(d).map(Hash)
    }
}

/// The decoded sysvars of one batch.
#[derive(Debug, Clone, Default)]
pub struct SysvarCache {
    /// Rent parameters.
    pub rent: Rent,
    /// The clock.
    pub clock: Clock,
    /// Recent blockhashes, newest first.
    pub recent_blockhashes: RecentBlockhashes,
    /// The slots before the clock's and their hashes, newest first; brought
    /// up to the clock's slot by [`SysvarCache::to_accounts`].
    pub slot_hashes: SlotHashes,
}

/// Why a sysvar account could not be decoded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("sysvar account {key} holds malformed data")]
pub struct SysvarError {
    /// The sysvar's key.
    pub key: Pubkey,
}

fn to_account<T: Serialize>(value: &T, rent: &Rent) -> Account {
    // Serializing these plain structs into a Vec cannot fail.
    let data = bincode::serialize(value).unwrap_or_default();
    let lamports = rent.minimum_balance(data.len()).max(1);
    Account {
        lamports,
        data,
        owner: ids::SYSVAR_OWNER,
        executable: false,
        rent_epoch: 0,
    }
}

impl SysvarCache {
    /// The sysvar accounts as they are kept in the store, after bringing
    /// SlotHashes up to the clock's slot ([`SlotHashes::advance_to`]):
    /// the runtime calls it whenever it moves the clock, so SlotHashes
    /// follows the slot whichever way it moved.
    pub fn to_accounts(&mut self) -> [(Pubkey, Account); 4] {
        self.slot_hashes.advance_to(self.clock.slot);
        let slot_hashes = self.slot_hashes.account_data();
        [
            (ids::SYSVAR_RENT, to_account(&self.rent, &self.rent)),
            (ids::SYSVAR_CLOCK, to_account(&self.clock, &self.rent)),
            (
                ids::SYSVAR_RECENT_BLOCKHASHES,
                to_account(&self.recent_blockhashes, &self.rent),
            ),
            (
                SYSVAR_SLOT_HASHES,
                Account {
                    lamports: self.rent.minimum_balance(slot_hashes.len()).max(1),
                    data: slot_hashes,
                    owner: ids::SYSVAR_OWNER,
                    executable: false,
                    rent_epoch: 0,
                },
            ),
        ]
    }

    /// Decode the sysvars from their accounts; an absent account keeps its default.
    pub fn from_accounts(load: impl Fn(&Pubkey) -> Option<Account>) -> Result<Self, SysvarError> {
        fn decode<T: serde::de::DeserializeOwned + Default>(
            key: Pubkey,
            acc: Option<Account>,
        ) -> Result<T, SysvarError> {
            match acc {
                None => Ok(T::default()),
                Some(a) => bincode::deserialize(&a.data).map_err(|_| SysvarError { key }),
            }
        }
        Ok(Self {
            rent: decode(ids::SYSVAR_RENT, load(&ids::SYSVAR_RENT))?,
            clock: decode(ids::SYSVAR_CLOCK, load(&ids::SYSVAR_CLOCK))?,
            recent_blockhashes: decode(
                ids::SYSVAR_RECENT_BLOCKHASHES,
                load(&ids::SYSVAR_RECENT_BLOCKHASHES),
            )?,
            slot_hashes: decode(SYSVAR_SLOT_HASHES, load(&SYSVAR_SLOT_HASHES))?,
        })
    }
}

/// The SlotHashes sysvar's id.
pub use baton_types::ids::SYSVAR_SLOT_HASHES;
/// Most entries SlotHashes holds (Agave's `MAX_ENTRIES`).
pub const MAX_SLOT_HASHES: usize = 512;
/// Bytes of the SlotHashes account, whatever its count of entries: the
/// length prefix and room for [`MAX_SLOT_HASHES`] entries of 40 bytes, as
/// Agave sizes it (the unused tail is zeros).
pub const SLOT_HASHES_ACCOUNT_LEN: usize = 8 + MAX_SLOT_HASHES * 40;

/// One entry of SlotHashes: a slot and its bank hash.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SlotHash {
    /// The slot.
    pub slot: u64,
    /// Its bank hash (Baton's stand-in: [`SlotHashes::stand_in_hash`]).
    #[serde(with = "hash_serde")]
    pub hash: Hash,
}

/// The SlotHashes sysvar: the slots before the current one with their
/// hashes, newest first, at most [`MAX_SLOT_HASHES`] (Agave records each
/// parent slot and its bank hash as a bank is made from it).
///
/// Baton has no bank hashes: the slots it fills in carry a deterministic
/// stand-in, [`SlotHashes::stand_in_hash`]. Every slot the runtime's clock
/// moved past counts as a parent, so warping from slot 10 to 1,000 lists
/// slots 999 down to 488 (Agave's own warp adds only the parent it warped
/// from); a program that only compares slots (the Address Lookup Table
/// program: recent slots, the deactivation cool-down) sees what a
/// validator that produced every slot would show it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SlotHashes(pub Vec<SlotHash>);

impl SlotHashes {
    /// Where `slot` is in the list (0: the newest), if it is there: a
    /// binary search over the descending slots, as Agave's
    /// `SlotHashes::position`. A table deactivated at a slot still listed
    /// at position `p` has `512 - p` slots of cool-down left.
    pub fn position(&self, slot: u64) -> Option<usize> {
        self.0.binary_search_by(|e| slot.cmp(&e.slot)).ok()
    }

    /// The hash recorded for `slot`, if it is listed.
    pub fn get(&self, slot: u64) -> Option<&Hash> {
        self.position(slot).map(|i| &self.0[i].hash)
    }

    /// Baton's stand-in for the bank hash of `slot`:
    /// `sha256("baton slot hash" ‖ slot as 8 little-endian bytes)`.
    pub fn stand_in_hash(slot: u64) -> Hash {
        Hash::hashv(&[b"baton slot hash", &slot.to_le_bytes()])
    }

    /// Make the list the one of a chain now at `slot`: every slot from
    /// just after the newest entry up to `slot - 1` is added with its
    /// stand-in hash, keeping the newest [`MAX_SLOT_HASHES`]. If the list
    /// holds `slot` or a later one (the clock moved back), it is rebuilt
    /// from scratch. At slot 0 the list is empty (slot 0 has no parent);
    /// entries set from outside are kept while they stay below the slot
    /// and among the newest 512.
    pub fn advance_to(&mut self, slot: u64) {
        if self.0.first().is_some_and(|e| e.slot >= slot) {
            self.0.clear();
        }
        let floor = slot.saturating_sub(MAX_SLOT_HASHES as u64);
        let from = self.0.first().map_or(floor, |e| e.slot + 1).max(floor);
        if from >= slot {
            return;
        }
        let mut next: Vec<SlotHash> = (from..slot)
            .rev()
            .map(|s| SlotHash {
                slot: s,
                hash: Self::stand_in_hash(s),
            })
            .collect();
        next.append(&mut self.0);
        next.truncate(MAX_SLOT_HASHES);
        self.0 = next;
    }

    /// The account's bytes: the bincode list (`u64` count, then slot and
    /// hash per entry) zero-padded to [`SLOT_HASHES_ACCOUNT_LEN`] (longer
    /// only if more entries were set from outside).
    pub fn account_data(&self) -> Vec<u8> {
        let mut data = Vec::with_capacity(SLOT_HASHES_ACCOUNT_LEN);
        data.extend_from_slice(&(self.0.len() as u64).to_le_bytes());
        for e in &self.0 {
            data.extend_from_slice(&e.slot.to_le_bytes());
            data.extend_from_slice(&e.hash.0);
        }
        if data.len() < SLOT_HASHES_ACCOUNT_LEN {
            data.resize(SLOT_HASHES_ACCOUNT_LEN, 0);
        }
        data
    }
}

impl<'a> crate::InvokeContext<'a> {
    /// The SlotHashes sysvar of this batch.
    pub fn slot_hashes(&self) -> &'a SlotHashes {
        &self.env.sysvars.slot_hashes
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minimum_balance_uses_integers_for_thresholds_one_and_two() {
        let float = |r: &Rent, len: usize| {
            let bytes = ACCOUNT_STORAGE_OVERHEAD + len as u64;
            ((bytes * r.lamports_per_byte_year) as f64 * r.exemption_threshold) as u64
        };
        let mut r = Rent::default();
        for len in [0, 1, 17, 165, 10 * 1024, 10 * 1024 * 1024] {
            assert_eq!(r.minimum_balance(len), float(&r, len), "len {len}");
        }
        // Past 2^53 the float formula rounds, Agave's integer paths do not.
        let rate = (1 << 53) / 128 + 12_345;
        for threshold in [1.0, 2.0] {
            r.lamports_per_byte_year = rate;
            r.exemption_threshold = threshold;
            let exact = 129 * rate * threshold as u64;
            assert_eq!(r.minimum_balance(1), exact);
            assert_ne!(r.minimum_balance(1), float(&r, 1));
        }
        r.lamports_per_byte_year = 3_480;
        r.exemption_threshold = 1.5;
        assert_eq!(r.minimum_balance(100), float(&r, 100));
    }

    #[test]
    fn default_rent_is_simd_0194() {
        let r = Rent::default();
        assert_eq!(
            (r.lamports_per_byte_year, r.exemption_threshold),
            (6_960, 1.0)
        );
        // The sysvar's bytes: rate, threshold, burn percentage.
        let [(_, rent), _, _, _] = SysvarCache::default().to_accounts();
        let mut bytes = 6_960u64.to_le_bytes().to_vec();
        bytes.extend_from_slice(&1.0f64.to_le_bytes());
        bytes.push(50);
        assert_eq!(rent.data, bytes);
        // The same minimum balances as 3,480 x 2.0.
        let old = Rent {
            lamports_per_byte_year: 3_480,
            exemption_threshold: 2.0,
            burn_percent: 50,
        };
        for len in [0, 165, 10 * 1024 * 1024] {
            assert_eq!(r.minimum_balance(len), old.minimum_balance(len));
        }
    }

    #[test]
    fn layouts_match_solana_sizes() {
        let mut c = SysvarCache::default();
        let [rent, clock, rbh, sh] = c.to_accounts();
        assert_eq!(rent.1.data.len(), 17);
        assert_eq!(clock.1.data.len(), 40);
        assert_eq!(rbh.1.data.len(), 8);
        assert_eq!(sh.1.data.len(), 20_488);
        let back = SysvarCache::from_accounts(|k| {
            [&rent, &clock, &rbh, &sh]
                .iter()
                .find(|(key, _)| key == k)
                .map(|(_, a)| a.clone())
        })
        .unwrap();
        assert_eq!(back.rent, c.rent);
    }

    #[test]
    fn rent_minimum_balance_matches_solana() {
        // Solana's well-known figure for a zero-data account.
        assert_eq!(Rent::default().minimum_balance(0), 890_880);
        assert_eq!(Rent::default().minimum_balance(165), 2_039_280);
    }

    #[test]
    fn slot_hashes_follow_the_slot() {
        let mut sh = SlotHashes::default();
        sh.advance_to(0);
        assert!(sh.0.is_empty());
        sh.advance_to(1);
        assert_eq!(
            sh.0,
            vec![SlotHash {
                slot: 0,
                hash: SlotHashes::stand_in_hash(0)
            }]
        );
        sh.advance_to(3);
        let slots: Vec<u64> = sh.0.iter().map(|e| e.slot).collect();
        assert_eq!(slots, [2, 1, 0]);
        sh.advance_to(600);
        assert_eq!(sh.0.len(), MAX_SLOT_HASHES);
        assert_eq!((sh.0[0].slot, sh.0[511].slot), (599, 88));
        assert_eq!(sh.position(599), Some(0));
        assert_eq!(sh.position(300), Some(299));
        assert_eq!(sh.position(88), Some(511));
        assert_eq!(sh.position(87), None);
        assert_eq!(sh.position(600), None);
        assert_eq!(sh.get(300), Some(&SlotHashes::stand_in_hash(300)));
        assert_ne!(
            SlotHashes::stand_in_hash(300),
            SlotHashes::stand_in_hash(301)
        );
        // Back in time: rebuilt as the chain up to the new slot.
        sh.advance_to(5);
        let slots: Vec<u64> = sh.0.iter().map(|e| e.slot).collect();
        assert_eq!(slots, [4, 3, 2, 1, 0]);
        // The same slot again changes nothing.
        let before = sh.clone();
        sh.advance_to(5);
        assert_eq!(sh, before);
    }

    #[test]
    fn slot_hashes_account_is_agave_sized_and_round_trips() {
        let mut c = SysvarCache::default();
        c.clock.slot = 3;
        let [_, _, _, (key, account)] = c.to_accounts();
        assert_eq!(
            key.to_string(),
            "SysvarS1otHashes111111111111111111111111111"
        );
        assert_eq!(account.data.len(), SLOT_HASHES_ACCOUNT_LEN);
        assert_eq!(&account.data[..8], &3u64.to_le_bytes());
        assert_eq!(&account.data[8..16], &2u64.to_le_bytes());
        assert_eq!(&account.data[16..48], &SlotHashes::stand_in_hash(2).0);
        assert!(account.data[8 + 3 * 40..].iter().all(|b| *b == 0));
        assert_eq!(account.lamports, Rent::default().minimum_balance(20_488));
        let back = SysvarCache::from_accounts(|k| (*k == key).then(|| account.clone())).unwrap();
        assert_eq!(back.slot_hashes, c.slot_hashes);
    }

    #[test]
    fn malformed_sysvar_is_an_error() {
        let bad = Account::with_data(1, vec![1, 2], &ids::SYSVAR_OWNER);
        let r = SysvarCache::from_accounts(|k| (*k == ids::SYSVAR_CLOCK).then(|| bad.clone()));
        assert_eq!(r.unwrap_err().key, ids::SYSVAR_CLOCK);
    }
}
