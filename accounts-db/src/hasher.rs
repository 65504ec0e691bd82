//! A fast, seeded hasher for 32-byte account keys.

use std::hash::{BuildHasher, Hasher};

use baton_types::fast::{folded_multiply, mix_key, PI};
use baton_types::Pubkey;

/// A [`Hasher`] built for [`Pubkey`]: it folds all 32 bytes with three
/// 64×64→128-bit multiplies, so both uniformly random keys and counter keys
/// such as [`Pubkey::new_from_u64`] spread over every output bit.
///
/// It is seeded by its [`PubkeyHasherBuilder`], so that keys cannot be ground
/// offline to collide in a store's tables. Other types hash correctly through
/// the generic path, without the fast path's speed.
#[derive(Clone, Copy, Debug)]
pub struct PubkeyHasher {
    seeds: [u64; 2],
    state: u64,
}

impl Hasher for PubkeyHasher {
    #[inline(always)]
    fn finish(&self) -> u64 {
        self.state
    }

    #[inline(always)]
    fn write(&mut self, bytes: &[u8]) {
        if let Ok(key) = <&[u8; 32]>::try_from(bytes) {
            // The fast path: `Pubkey`'s derived `Hash` writes its 32 bytes in
            // one call. `a` and `b` do not depend on `state`, so the length
            // prefix written before them costs no latency.
            self.state = mix_key(key, self.seeds, self.state);
        } else {
            for chunk in bytes.chunks(16) {
                let mut buf = [0u8; 16];
                buf[..chunk.len()].copy_from_slice(chunk);
                let mut lo = [0u8; 8];
                let mut hi = [0u8; 8];
                lo.copy_from_slice(&buf[..8]);
                hi.copy_from_slice(&buf[8..]);
                let m = folded_multiply(
                    u64::from_le_bytes(lo) ^ self.seeds[0],
                    u64::from_le_bytes(hi) ^ PI[0],
                );
                self.state = folded_multiply(self.state ^ m ^ PI[2], self.seeds[1] ^ PI[3]);
            }
            self.write_u64(bytes.len() as u64);
        }
    }

    #[inline(always)]
    fn write_u64(&mut self, n: u64) {
        self.state = folded_multiply(self.state ^ n ^ self.seeds[0], PI[1]);
    }

    #[inline(always)]
    fn write_u8(&mut self, n: u8) {
        self.write_u64(u64::from(n));
    }

    #[inline(always)]
    fn write_u16(&mut self, n: u16) {
        self.write_u64(u64::from(n));
    }

    #[inline(always)]
    fn write_u32(&mut self, n: u32) {
        self.write_u64(u64::from(n));
    }

    #[inline(always)]
    fn write_usize(&mut self, n: usize) {
        self.write_u64(n as u64);
    }
}

/// Builds [`PubkeyHasher`]s with one pair of seeds.
///
/// [`PubkeyHasherBuilder::new`] (and `Default`) draws the seeds at random
/// from the standard library's per-process keys; nothing the store computes
/// depends on them, only where entries sit in its tables.
#[derive(Clone, Copy, Debug)]
pub struct PubkeyHasherBuilder {
    seeds: [u64; 2],
}

impl PubkeyHasherBuilder {
    /// A builder with random seeds.
    pub fn new() -> Self {
        let rs = std::collections::hash_map::RandomState::new();
        Self::with_seeds(rs.hash_one(0x5eed_u64), rs.hash_one(0xcafe_u64))
    }

    /// A builder with seeds derived from `seed`, for reproducible layouts.
    pub fn with_seed(seed: u64) -> Self {
        Self::with_seeds(seed, folded_multiply(seed ^ PI[2], PI[3]))
    }

    fn with_seeds(s0: u64, s1: u64) -> Self {
        Self { seeds: [s0, s1] }
    }

    /// The hash of one key, as a map built with this builder computes it.
    #[inline(always)]
    pub fn hash_key(&self, key: &Pubkey) -> u64 {
        self.hash_one(key)
    }
}

impl Default for PubkeyHasherBuilder {
    fn default() -> Self {
        Self::new()
    }
}

impl BuildHasher for PubkeyHasherBuilder {
    type Hasher = PubkeyHasher;

    #[inline(always)]
    fn build_hasher(&self) -> PubkeyHasher {
        PubkeyHasher {
            seeds: self.seeds,
            state: 0,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counter_keys_spread_over_all_bits() {
        let b = PubkeyHasherBuilder::with_seed(1);
        let n = 1u64 << 16;
        // Every bit of the hash should be set for about half the keys.
        let mut ones = [0u32; 64];
        let mut top7 = [0u32; 128];
        for i in 0..n {
            let h = b.hash_key(&Pubkey::new_from_u64(i));
            for (bit, c) in ones.iter_mut().enumerate() {
                *c += ((h >> bit) & 1) as u32;
            }
            top7[(h >> 57) as usize] += 1;
        }
        for (bit, &c) in ones.iter().enumerate() {
            let frac = f64::from(c) / n as f64;
            assert!(
                (0.47..0.53).contains(&frac),
                "bit {bit} set in {frac} of hashes"
            );
        }
        let mean = n as f64 / 128.0;
        for &c in &top7 {
            assert!((f64::from(c) - mean).abs() < mean * 0.25);
        }
    }

    #[test]
    fn seeds_change_the_hash_and_builders_agree() {
        let k = Pubkey::new_from_u64(3);
        let a = PubkeyHasherBuilder::with_seed(1);
        let b = PubkeyHasherBuilder::with_seed(2);
        assert_ne!(a.hash_key(&k), b.hash_key(&k));
        assert_eq!(a.hash_key(&k), a.hash_key(&k));
        assert_eq!(a.hash_one([1u8, 2, 3]), a.hash_one([1u8, 2, 3]));
        assert_ne!(a.hash_one([1u8, 2, 3]), a.hash_one([1u8, 2, 4]));
    }
}
