//! Program-derived addresses and seeded addresses (docs/semantics.md §5), bit for bit as
//! `solana-pubkey` (`solana-address`) derives them.
//!
//! - [`create_program_address`]: SHA-256 of `seeds ‖ program_id ‖
//!   "ProgramDerivedAddress"`; more than [`MAX_SEEDS`] seeds or a seed longer
//!   than [`MAX_SEED_LEN`] bytes is [`PdaError::MaxSeedLengthExceeded`], and a
//!   hash that decompresses to an ed25519 point is [`PdaError::InvalidSeeds`].
//! - [`find_program_address`]: appends one bump byte, trying 255 down to 1;
//!   the first off-curve address wins. Solana's `try_find_program_address`
//!   iterates over a table of `u8::MAX` (255) bumps, `255, 254, …, 1`, so
//!   bump 0 is never tried; Baton does the same. Because the bump is an extra
//!   seed, at most 15 caller seeds are allowed.
//! - [`create_with_seed`]: SHA-256 of `base ‖ seed ‖ owner`; a seed longer
//!   than 32 bytes is [`PdaError::MaxSeedLengthExceeded`], an owner ending in
//!   "ProgramDerivedAddress" is [`PdaError::IllegalOwner`].

use curve25519_dalek::edwards::CompressedEdwardsY;

use crate::{Hash, InstructionError, Pubkey};

/// The most seeds a program address may have.
pub const MAX_SEEDS: usize = 16;
/// The longest a single seed may be, in bytes.
pub const MAX_SEED_LEN: usize = 32;
/// The marker hashed after the program id, and forbidden at the end of a
/// [`create_with_seed`] owner.
pub const PDA_MARKER: &[u8; 21] = b"ProgramDerivedAddress";

/// Why an address could not be derived.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, thiserror::Error)]
pub enum PdaError {
    /// Too many seeds, or a seed too long.
    #[error("length of the seed is too long for address generation")]
    MaxSeedLengthExceeded,
    /// The seeds give an on-curve address (or no bump gives an off-curve one).
    #[error("provided seeds do not result in a valid address")]
    InvalidSeeds,
    /// The owner ends with the PDA marker.
    #[error("provided owner is not allowed")]
    IllegalOwner,
}

impl From<PdaError> for InstructionError {
    fn from(e: PdaError) -> Self {
        match e {
            PdaError::MaxSeedLengthExceeded => InstructionError::MaxSeedLengthExceeded,
            PdaError::InvalidSeeds => InstructionError::InvalidSeeds,
            PdaError::IllegalOwner => InstructionError::IllegalOwner,
        }
    }
}

/// Whether `key`'s bytes decompress to a point on the ed25519 curve, that is,
/// whether it could be an ed25519 public key with a private key behind it.
pub fn is_on_curve(key: &Pubkey) -> bool {
    CompressedEdwardsY(key.to_bytes()).decompress().is_some()
}

/// SHA-256 of `seeds ‖ [bump] ‖ program_id ‖ PDA_MARKER`, unchecked.
fn derive(seeds: &[&[u8]], bump: Option<u8>, program_id: &Pubkey) -> Pubkey {
    use sha2::Digest;
    let mut h = sha2::Sha256::new();
    for s in seeds {
        h.update(s);
    }
    if let Some(b) = bump {
        h.update([b]);
    }
    h.update(program_id.as_array());
    h.update(PDA_MARKER);
    Pubkey(h.finalize().into())
}

/// The program address for `seeds` and `program_id`, without a bump.
pub fn create_program_address(seeds: &[&[u8]], program_id: &Pubkey) -> Result<Pubkey, PdaError> {
    if seeds.len() > MAX_SEEDS || seeds.iter().any(|s| s.len() > MAX_SEED_LEN) {
        return Err(PdaError::MaxSeedLengthExceeded);
    }
    let key = derive(seeds, None, program_id);
    if is_on_curve(&key) {
        return Err(PdaError::InvalidSeeds);
    }
    Ok(key)
}

/// The first off-curve program address for `seeds ‖ [bump]`, trying bumps
/// 255 down to 1, and its bump.
///
/// 16 or more seeds, or a seed over 32 bytes, is
/// [`PdaError::MaxSeedLengthExceeded`]; no valid bump (odds about 2^-255) is
/// [`PdaError::InvalidSeeds`]. Solana's `try_find_program_address` returns
/// `None` in both cases.
pub fn try_find_program_address(
    seeds: &[&[u8]],
    program_id: &Pubkey,
) -> Result<(Pubkey, u8), PdaError> {
    if seeds.len() >= MAX_SEEDS || seeds.iter().any(|s| s.len() > MAX_SEED_LEN) {
        return Err(PdaError::MaxSeedLengthExceeded);
    }
    for bump in (1..=u8::MAX).rev() {
        let key = derive(seeds, Some(bump), program_id);
        if !is_on_curve(&key) {
            return Ok((key, bump));
        }
    }
    Err(PdaError::InvalidSeeds)
}

/// The first off-curve program address for `seeds ‖ [bump]`, trying bumps
/// 255 down to 1, and its bump; as Solana's `Pubkey::find_program_address`.
///
/// # Panics
///
/// As Solana's does, when [`try_find_program_address`] fails: 16 or more
/// seeds, a seed over 32 bytes, or (practically never) no valid bump. Use
/// [`try_find_program_address`] on untrusted seeds.
pub fn find_program_address(seeds: &[&[u8]], program_id: &Pubkey) -> (Pubkey, u8) {
    match try_find_program_address(seeds, program_id) {
        Ok(found) => found,
        Err(e) => panic!("unable to find a viable program address bump seed: {e}"),
    }
}

/// The address SHA-256(`base ‖ seed ‖ owner`), used by the system program's
/// `*WithSeed` instructions.
pub fn create_with_seed(base: &Pubkey, seed: &str, owner: &Pubkey) -> Result<Pubkey, PdaError> {
    if seed.len() > MAX_SEED_LEN {
        return Err(PdaError::MaxSeedLengthExceeded);
    }
    if owner.as_array().ends_with(PDA_MARKER) {
        return Err(PdaError::IllegalOwner);
    }
    Ok(Pubkey(
        Hash::hashv(&[base.as_array(), seed.as_bytes(), owner.as_array()]).0,
    ))
}

impl Pubkey {
    /// See [`create_program_address`].
    pub fn create_program_address(
        seeds: &[&[u8]],
        program_id: &Pubkey,
    ) -> Result<Pubkey, PdaError> {
        create_program_address(seeds, program_id)
    }

    /// See [`try_find_program_address`].
    pub fn try_find_program_address(
        seeds: &[&[u8]],
        program_id: &Pubkey,
    ) -> Result<(Pubkey, u8), PdaError> {
        try_find_program_address(seeds, program_id)
    }

    /// See [`find_program_address`] (panics where Solana's does).
    pub fn find_program_address(seeds: &[&[u8]], program_id: &Pubkey) -> (Pubkey, u8) {
        find_program_address(seeds, program_id)
    }

    /// See [`create_with_seed`].
    pub fn create_with_seed(base: &Pubkey, seed: &str, owner: &Pubkey) -> Result<Pubkey, PdaError> {
        create_with_seed(base, seed, owner)
    }

    /// See [`is_on_curve`].
    pub fn is_on_curve(&self) -> bool {
        is_on_curve(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seed_limits() {
        let p = Pubkey::new_from_u64(1);
        let long = [0u8; 33];
        assert_eq!(
            create_program_address(&[&long], &p),
            Err(PdaError::MaxSeedLengthExceeded)
        );
        let ok = [0u8; 32];
        let seventeen: Vec<&[u8]> = vec![&ok[..1]; 17];
        assert_eq!(
            create_program_address(&seventeen, &p),
            Err(PdaError::MaxSeedLengthExceeded)
        );
        // 16 seeds are fine for create, not for find (the bump is a 17th).
        let sixteen: Vec<&[u8]> = vec![&ok[..1]; 16];
        assert_ne!(
            create_program_address(&sixteen, &p),
            Err(PdaError::MaxSeedLengthExceeded)
        );
        assert_eq!(
            try_find_program_address(&sixteen, &p),
            Err(PdaError::MaxSeedLengthExceeded)
        );
        assert!(try_find_program_address(&sixteen[..15], &p).is_ok());
        assert_eq!(
            try_find_program_address(&[&long], &p),
            Err(PdaError::MaxSeedLengthExceeded)
        );
    }

    #[test]
    fn found_address_is_off_curve_and_recreatable() {
        let p = Pubkey::new_from_u64(77);
        for i in 0u32..50 {
            let s = i.to_le_bytes();
            let (k, bump) = Pubkey::find_program_address(&[b"vault", &s], &p);
            assert!(!k.is_on_curve());
            assert!(bump >= 1);
            assert_eq!(
                Pubkey::create_program_address(&[b"vault", &s, &[bump]], &p),
                Ok(k)
            );
            // Every higher bump is on the curve.
            for higher in bump.saturating_add(1)..=255 {
                if higher > bump {
                    assert_eq!(
                        create_program_address(&[b"vault", &s, &[higher]], &p),
                        Err(PdaError::InvalidSeeds)
                    );
                }
            }
        }
    }

    #[test]
    fn with_seed_rules() {
        let base = Pubkey::new_from_u64(1);
        let owner = Pubkey::new_from_u64(2);
        let k = create_with_seed(&base, "hello", &owner).unwrap();
        assert_eq!(k.0, Hash::hashv(&[&base.0, b"hello", &owner.0]).0);
        assert_eq!(
            create_with_seed(&base, &"x".repeat(33), &owner),
            Err(PdaError::MaxSeedLengthExceeded)
        );
        let mut bad_owner = [9u8; 32];
        bad_owner[11..].copy_from_slice(PDA_MARKER);
        assert_eq!(
            create_with_seed(&base, "", &Pubkey(bad_owner)),
            Err(PdaError::IllegalOwner)
        );
        assert_eq!(
            InstructionError::from(PdaError::IllegalOwner),
            InstructionError::IllegalOwner
        );
        assert_eq!(
            InstructionError::from(PdaError::InvalidSeeds),
            InstructionError::InvalidSeeds
        );
        assert_eq!(
            InstructionError::from(PdaError::MaxSeedLengthExceeded),
            InstructionError::MaxSeedLengthExceeded
        );
    }

    #[test]
    fn curve_check() {
        let kp = crate::signing::Keypair::from_seed(&[5; 32]);
        assert!(kp.pubkey().is_on_curve());
    }
}
