//! Building blocks for the engine's own hash tables: a seeded mix of a
//! [`Pubkey`](crate::Pubkey)'s bytes and a cache-line prefetch hint. The store, the
//! scheduler's dependency graph and the runtime's signature history share
//! them.

/// Odd constants from the hex digits of pi, the mix's fixed inputs.
pub const PI: [u64; 4] = [
    0x243f_6a88_85a3_08d3,
    0x1319_8a2e_0370_7344,
    0xa409_3822_299f_31d0,
    0x082e_fa98_ec4e_6c89,
];

/// The 128-bit product of `x` and `y`, its halves xored: the mixing step of
/// foldhash and ahash. Every output bit depends on every input bit.
#[inline(always)]
pub fn folded_multiply(x: u64, y: u64) -> u64 {
    let full = u128::from(x).wrapping_mul(u128::from(y));
    (full as u64) ^ ((full >> 64) as u64)
}

/// The 32 bytes of a key (a [`Pubkey`](crate::Pubkey)'s) folded with `seeds` into `state`
/// by three 64×64→128-bit multiplies (the first two independent of `state`),
/// so that both uniformly random keys and counter keys such as
/// [`Pubkey::new_from_u64`](crate::Pubkey::new_from_u64) spread over every output bit.
#[inline(always)]
pub fn mix_key(key: &[u8; 32], seeds: [u64; 2], state: u64) -> u64 {
    let word = |i: usize| {
        let mut w = [0u8; 8];
        w.copy_from_slice(&key[i * 8..i * 8 + 8]);
        u64::from_le_bytes(w)
    };
    let a = folded_multiply(word(0) ^ seeds[0], word(1) ^ PI[0]);
    let b = folded_multiply(word(2) ^ seeds[1], word(3) ^ PI[1]);
    folded_multiply(a ^ state ^ PI[2], b ^ PI[3])
}

/// A prefetch hint for the line holding `p`. A prefetch never faults and
/// reads nothing into the program, so any address is sound; on targets
/// without the instruction it does nothing.
#[inline(always)]
pub fn prefetch_line(p: *const u8) {
    #[cfg(target_arch = "x86_64")]
    // SAFETY: `_mm_prefetch` is only a hint: it does not dereference `p` in
    // the abstract machine, cannot fault, and SSE is part of x86_64's
    // baseline, so the target feature it requires is always present.
    #[allow(unsafe_code)]
    unsafe {
        use std::arch::x86_64::{_mm_prefetch, _MM_HINT_T0};
        _mm_prefetch::<_MM_HINT_T0>(p.cast::<i8>());
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = p;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Pubkey;

    #[test]
    fn mix_depends_on_key_seeds_and_state() {
        let k = Pubkey::new_from_u64(9).0;
        let m = mix_key(&k, [1, 2], 0);
        assert_eq!(m, mix_key(&k, [1, 2], 0));
        assert_ne!(m, mix_key(&Pubkey::new_from_u64(10).0, [1, 2], 0));
        assert_ne!(m, mix_key(&k, [1, 3], 0));
        assert_ne!(m, mix_key(&k, [1, 2], 1));
        // A hint about any address, even a dangling one, is harmless.
        prefetch_line(std::ptr::null());
        prefetch_line(&m as *const u64 as *const u8);
    }
}
