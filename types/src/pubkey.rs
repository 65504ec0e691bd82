use std::fmt;
use std::str::FromStr;
use std::sync::atomic::{AtomicU64, Ordering};

/// The counter behind [`Pubkey::new_unique`].
static UNIQUE: AtomicU64 = AtomicU64::new(1);

/// A 32-byte account address: an ed25519 public key or a program-derived address.
#[derive(Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Pubkey(pub [u8; 32]);

/// Why a string is not a valid base58 [`Pubkey`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ParsePubkeyError {
    /// The string is longer than any 32-byte value can encode to (44 characters).
    #[error("pubkey string is {0} characters long; at most 44 are allowed")]
    TooLong(usize),
    /// The string is not base58.
    #[error("pubkey string is not valid base58: {0}")]
    Invalid(String),
    /// The string decodes to a byte count other than 32.
    #[error("pubkey string decodes to {0} bytes, not 32")]
    WrongSize(usize),
}

impl Pubkey {
    /// The key with the given bytes.
    pub const fn new_from_array(bytes: [u8; 32]) -> Self {
        Self(bytes)
    }

    /// Parse a base58 string at compile time; panics (a compile error in a
    /// `const`) when the string is not a valid 32-byte base58 key. Use
    /// [`FromStr`] for input that is not a literal.
    pub const fn from_str_const(s: &str) -> Self {
        Self(bs58::decode(s.as_bytes()).into_array_const_unwrap::<32>())
    }

    /// The raw bytes.
    pub const fn to_bytes(self) -> [u8; 32] {
        self.0
    }

    /// The raw bytes, borrowed.
    pub const fn as_array(&self) -> &[u8; 32] {
        &self.0
    }

    /// A key made from a counter, for tests and generated workloads: the
    /// counter's little-endian bytes followed by zeroes, with the last byte
    /// set so it never collides with the all-zero system program id.
    pub fn new_from_u64(n: u64) -> Self {
        let mut b = [0u8; 32];
        b[..8].copy_from_slice(&n.to_le_bytes());
        b[31] = 0xB7;
        Self(b)
    }

    /// A key no other call in this process returns, for tests: a
    /// process-wide atomic counter (from 1), big-endian in the first 8
    /// bytes, the rest zero, as `solana_pubkey::Pubkey::new_unique` makes
    /// them. Later keys compare greater. It never returns the system
    /// program's all-zero id, a builtin or sysvar id, or a key of
    /// [`Pubkey::new_from_u64`] (whose last byte is set). Not a public key
    /// with a secret: use [`Keypair::new`](crate::signing::Keypair::new)
    /// for a signer.
    pub fn new_unique() -> Self {
        let n = UNIQUE.fetch_add(1, Ordering::Relaxed);
        let mut b = [0u8; 32];
        b[..8].copy_from_slice(&n.to_be_bytes());
        Self(b)
    }
}

impl AsRef<[u8]> for Pubkey {
    fn as_ref(&self) -> &[u8] {
        &self.0
    }
}

impl From<[u8; 32]> for Pubkey {
    fn from(b: [u8; 32]) -> Self {
        Self(b)
    }
}

impl fmt::Display for Pubkey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut buf = [0u8; 64];
        // 32 bytes never need more than 44 base58 characters.
        let n = bs58::encode(&self.0)
            .onto(&mut buf[..])
            .map_err(|_| fmt::Error)?;
        f.write_str(std::str::from_utf8(&buf[..n]).map_err(|_| fmt::Error)?)
    }
}

impl fmt::Debug for Pubkey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl FromStr for Pubkey {
    type Err = ParsePubkeyError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        if s.len() > 44 {
            return Err(ParsePubkeyError::TooLong(s.len()));
        }
        let bytes = bs58::decode(s)
            .into_vec()
            .map_err(|e| ParsePubkeyError::Invalid(e.to_string()))?;
        let arr: [u8; 32] = bytes
            .as_slice()
            .try_into()
            .map_err(|_| ParsePubkeyError::WrongSize(bytes.len()))?;
        Ok(Self(arr))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_unique_keys_are_distinct_and_increasing() {
        let keys: Vec<Pubkey> = (0..1_000).map(|_| Pubkey::new_unique()).collect();
        for w in keys.windows(2) {
            assert!(w[0] < w[1], "{} then {}", w[0], w[1]);
        }
        let from_threads: Vec<Pubkey> = std::thread::scope(|s| {
            let hs: Vec<_> = (0..4)
                .map(|_| s.spawn(|| (0..250).map(|_| Pubkey::new_unique()).collect::<Vec<_>>()))
                .collect();
            hs.into_iter().flat_map(|h| h.join().unwrap()).collect()
        });
        let mut all: Vec<Pubkey> = keys.into_iter().chain(from_threads).collect();
        all.sort();
        all.dedup();
        assert_eq!(all.len(), 2_000);
        assert!(!all.contains(&Pubkey::default()));
        assert!(crate::ids::RESERVED.iter().all(|r| !all.contains(r)));
        assert!(all.iter().all(|k| k.0[31] != 0xB7));
    }

    #[test]
    fn base58_round_trip() {
        let k = Pubkey::new_from_u64(42);
        let s = k.to_string();
        assert_eq!(s.parse::<Pubkey>().unwrap(), k);
        assert_eq!(
            Pubkey::default().to_string(),
            "11111111111111111111111111111111"
        );
    }

    #[test]
    fn parse_errors_are_typed() {
        assert!(matches!(
            "0OIl".parse::<Pubkey>(),
            Err(ParsePubkeyError::Invalid(_))
        ));
        assert_eq!("abc".parse::<Pubkey>(), Err(ParsePubkeyError::WrongSize(3)));
        let long = "1".repeat(45);
        assert_eq!(long.parse::<Pubkey>(), Err(ParsePubkeyError::TooLong(45)));
    }

    #[test]
    fn const_parse_matches_runtime_parse() {
        const K: Pubkey = Pubkey::from_str_const("SysvarRent111111111111111111111111111111111");
        assert_eq!(
            K,
            "SysvarRent111111111111111111111111111111111"
                .parse()
                .unwrap()
        );
    }
}
