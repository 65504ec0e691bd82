//! Durable nonce accounts: the account layout, bit for bit as Solana's
//! `solana_nonce::versions::Versions` under bincode, and the durable nonce
//! derivation.
//!
//! ```text
//! Versions  u32 tag: 0 Legacy, 1 Current      (4 bytes)
//! State     u32 tag: 0 Uninitialized, 1 Initialized (4 bytes)
//! Data      authority: Pubkey                  (32 bytes)
//!           durable_nonce: Hash                (32 bytes)
//!           fee_calculator.lamports_per_signature: u64 (8 bytes)
//! ```
//!
//! An initialized nonce account holds [`NONCE_STATE_SIZE`] = 80 bytes. An
//! uninitialized one encodes in 8 bytes; writing it into an 80-byte account
//! (a full withdrawal) rewrites the first 8 bytes and leaves the rest, as
//! Agave's `set_state` does.

use baton_executor::sysvar::FeeCalculator;
use baton_executor::BorrowedAccount;
use baton_types::{Hash, InstructionError, Pubkey};
use serde::{Deserialize, Serialize};

use super::serde_bytes32;

/// Bytes of an initialized nonce account's data.
pub const NONCE_STATE_SIZE: usize = 80;

/// The prefix hashed before a blockhash to make a durable nonce.
pub const DURABLE_NONCE_HASH_PREFIX: &[u8] = b"DURABLE_NONCE";

/// The durable nonce for `blockhash`: SHA-256(`"DURABLE_NONCE"` ‖ blockhash),
/// as Solana's `DurableNonce::from_blockhash`. Hashing keeps durable nonces
/// out of the blockhash domain, so a nonce can never equal a real blockhash.
pub fn durable_nonce_from_blockhash(blockhash: &Hash) -> Hash {
    Hash::hashv(&[DURABLE_NONCE_HASH_PREFIX, &blockhash.0])
}

/// The contents of an initialized nonce account.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Data {
    /// The key that may advance, withdraw from and re-authorize the account.
    #[serde(with = "serde_bytes32::pubkey")]
    pub authority: Pubkey,
    /// The stored durable nonce; a durable transaction uses it as its
    /// recent blockhash.
    #[serde(with = "serde_bytes32::hash")]
    pub durable_nonce: Hash,
    /// The fee rate recorded when the nonce was stored.
    pub fee_calculator: FeeCalculator,
}

impl Data {
    /// Data with `authority`, `durable_nonce` and the fee rate `lamports_per_signature`.
    pub fn new(authority: Pubkey, durable_nonce: Hash, lamports_per_signature: u64) -> Self {
        Self {
            authority,
            durable_nonce,
            fee_calculator: FeeCalculator {
                lamports_per_signature,
            },
        }
    }

    /// The stored nonce read as a blockhash (what a durable transaction
    /// puts in its `recent_blockhash`).
    pub fn blockhash(&self) -> Hash {
        self.durable_nonce
    }

    /// The recorded fee rate.
    pub fn lamports_per_signature(&self) -> u64 {
        self.fee_calculator.lamports_per_signature
    }
}

/// The state of a nonce account.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum State {
    /// Not yet initialized (or emptied by a full withdrawal).
    #[default]
    Uninitialized,
    /// Holds a durable nonce.
    Initialized(Data),
}

/// A versioned nonce state: the account data's outer layer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Versions {
    /// Before durable nonces were hashed out of the blockhash domain.
    Legacy(State),
    /// The current version.
    Current(State),
}

impl Default for Versions {
    fn default() -> Self {
        Self::Current(State::Uninitialized)
    }
}

impl Versions {
    /// `state` in the current version.
    pub fn new(state: State) -> Self {
        Self::Current(state)
    }

    /// The state, whatever the version.
    pub fn state(&self) -> &State {
        match self {
            Self::Legacy(s) | Self::Current(s) => s,
        }
    }

    /// The upgrade of a legacy initialized nonce to the current version:
    /// its durable nonce becomes the hash of the old one read as a
    /// blockhash. `None` for a legacy uninitialized state (it upgrades on
    /// initialization) and for a current one, as in Solana.
    pub fn upgrade(self) -> Option<Self> {
        match self {
            Self::Legacy(State::Uninitialized) | Self::Current(_) => None,
            Self::Legacy(State::Initialized(mut data)) => {
                data.durable_nonce = durable_nonce_from_blockhash(&data.blockhash());
                Some(Self::Current(State::Initialized(data)))
            }
        }
    }

    /// Decode account data; anything else than a valid encoding (trailing
    /// bytes allowed) is `InvalidAccountData`, as Agave's `get_state`.
    pub fn from_account_data(data: &[u8]) -> Result<Self, InstructionError> {
        bincode::deserialize(data).map_err(|_| InstructionError::InvalidAccountData)
    }

    /// The encoding: 80 bytes when initialized, 8 when not.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(NONCE_STATE_SIZE);
        self.write_to(&mut out);
        out
    }

    fn write_to(&self, out: &mut Vec<u8>) {
        let (version, state) = match self {
            Self::Legacy(s) => (0u32, s),
            Self::Current(s) => (1u32, s),
        };
        out.extend_from_slice(&version.to_le_bytes());
        match state {
            State::Uninitialized => out.extend_from_slice(&0u32.to_le_bytes()),
            State::Initialized(d) => {
                out.extend_from_slice(&1u32.to_le_bytes());
                out.extend_from_slice(&d.authority.0);
                out.extend_from_slice(&d.durable_nonce.0);
                out.extend_from_slice(&d.fee_calculator.lamports_per_signature.to_le_bytes());
            }
        }
    }
}

/// Decode the nonce state of a borrowed account (`InvalidAccountData` when
/// malformed).
pub(crate) fn get_state(account: &BorrowedAccount<'_>) -> Result<Versions, InstructionError> {
    Versions::from_account_data(account.data())
}

/// Write `versions` into the front of the account's data, as Agave's
/// `BorrowedAccount::set_state`: the data-change checks first, then
/// `AccountDataTooSmall` if the encoding does not fit; the length never
/// changes.
pub(crate) fn set_state(
    account: &mut BorrowedAccount<'_>,
    versions: &Versions,
) -> Result<(), InstructionError> {
    let bytes = versions.to_bytes();
    let data = account.data_mut()?;
    let Some(front) = data.get_mut(..bytes.len()) else {
        return Err(InstructionError::AccountDataTooSmall);
    };
    front.copy_from_slice(&bytes);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Data {
        Data::new(Pubkey([7; 32]), Hash([9; 32]), 5_000)
    }

    #[test]
    fn hand_encoding_equals_bincode() {
        for v in [
            Versions::Legacy(State::Uninitialized),
            Versions::Current(State::Uninitialized),
            Versions::Legacy(State::Initialized(sample())),
            Versions::Current(State::Initialized(sample())),
        ] {
            let bytes = v.to_bytes();
            assert_eq!(bytes, bincode::serialize(&v).unwrap());
            assert_eq!(Versions::from_account_data(&bytes), Ok(v));
        }
        let init = Versions::new(State::Initialized(sample())).to_bytes();
        assert_eq!(init.len(), NONCE_STATE_SIZE);
        assert_eq!(&init[..8], &[1, 0, 0, 0, 1, 0, 0, 0]);
        assert_eq!(Versions::default().to_bytes(), vec![1, 0, 0, 0, 0, 0, 0, 0]);
    }

    #[test]
    fn zeroed_account_is_legacy_uninitialized() {
        assert_eq!(
            Versions::from_account_data(&[0; NONCE_STATE_SIZE]),
            Ok(Versions::Legacy(State::Uninitialized))
        );
        assert_eq!(
            Versions::from_account_data(&[]),
            Err(InstructionError::InvalidAccountData)
        );
        assert_eq!(
            Versions::from_account_data(&[2, 0, 0, 0, 0, 0, 0, 0]),
            Err(InstructionError::InvalidAccountData)
        );
        // Initialized but truncated.
        let mut short = Versions::new(State::Initialized(sample())).to_bytes();
        short.truncate(79);
        assert_eq!(
            Versions::from_account_data(&short),
            Err(InstructionError::InvalidAccountData)
        );
    }

    #[test]
    fn upgrade_rules() {
        let legacy = Versions::Legacy(State::Initialized(sample()));
        let up = legacy.upgrade().unwrap();
        let State::Initialized(d) = up.state() else {
            panic!("upgrade keeps the state initialized")
        };
        assert!(matches!(up, Versions::Current(_)));
        assert_eq!(
            d.durable_nonce,
            durable_nonce_from_blockhash(&Hash([9; 32]))
        );
        assert_eq!(d.authority, sample().authority);
        assert_eq!(d.lamports_per_signature(), 5_000);
        assert_eq!(up.upgrade(), None);
        assert_eq!(Versions::Legacy(State::Uninitialized).upgrade(), None);
        assert_eq!(Versions::Current(State::Uninitialized).upgrade(), None);
    }

    #[test]
    fn durable_nonce_is_prefixed_sha256() {
        let bh = Hash([3; 32]);
        let mut bytes = b"DURABLE_NONCE".to_vec();
        bytes.extend_from_slice(&bh.0);
        assert_eq!(durable_nonce_from_blockhash(&bh), Hash::hashv(&[&bytes]));
        assert_ne!(durable_nonce_from_blockhash(&bh), bh);
    }
}
