//! `large-writes`: a program, [`LargeWriter`], that rewrites 10 KiB of an
//! account it owns; the `read-shared` variant also reads 32 shared
//! read-only accounts and folds them into what it writes.

use std::sync::Arc;

use baton::sdk::prelude::*;
use baton::{AccountMeta, Instruction};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::{build_all, funded, key, owned, program_id, signers, Params, Workload};

/// The id the workload registers [`LargeWriter`] under.
pub const LARGE_WRITER_ID: Pubkey = program_id("baton-bench-large-writer");

/// Bytes each instruction writes (the whole target account).
pub const WRITE_LEN: usize = 10 * 1024;
/// Shared read-only accounts of the `read-shared` variant.
pub const SHARED_ACCOUNTS: usize = 32;
/// Data length of each shared account.
pub const SHARED_LEN: usize = 1024;

/// A program that fills an account it owns with a pattern derived from a
/// seed. Instruction data: a 1-byte tag then the seed, u64 little-endian.
#[derive(Debug, Clone, Copy, Default)]
pub struct LargeWriter;

/// A decoded [`LargeWriter`] instruction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LargeWriterInstruction {
    /// Tag 0: fill the target's data with the pattern of `seed`.
    ///
    /// Accounts:
    ///   0. `[WRITE]` Target, owned by the program
    Write {
        /// Pattern seed.
        seed: u64,
    },
    /// Tag 1: read every other account of the instruction, fold their data
    /// into a checksum, and fill the target with the pattern of
    /// `seed ^ checksum`.
    ///
    /// Accounts:
    ///   0. `[WRITE]` Target, owned by the program
    ///   1.. `[]` Accounts to read
    WriteFolding {
        /// Pattern seed.
        seed: u64,
    },
}

impl LargeWriterInstruction {
    /// The instruction data.
    pub fn pack(&self) -> Vec<u8> {
        let (tag, seed) = match *self {
            Self::Write { seed } => (0u8, seed),
            Self::WriteFolding { seed } => (1u8, seed),
        };
        [&[tag][..], &seed.to_le_bytes()].concat()
    }

    /// Decode instruction data; `InvalidInstructionData` for anything else.
    pub fn unpack(data: &[u8]) -> Result<Self, InstructionError> {
        let (tag, rest) = data
            .split_first()
            .ok_or(InstructionError::InvalidInstructionData)?;
        let seed = <[u8; 8]>::try_from(rest)
            .map(u64::from_le_bytes)
            .map_err(|_| InstructionError::InvalidInstructionData)?;
        match tag {
            0 => Ok(Self::Write { seed }),
            1 => Ok(Self::WriteFolding { seed }),
            _ => Err(InstructionError::InvalidInstructionData),
        }
    }
}

/// Fill `dst` with an xorshift stream started from `seed`.
fn fill(dst: &mut [u8], seed: u64) {
    let mut x = seed | 1;
    for chunk in dst.chunks_mut(8) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        let bytes = x.to_le_bytes();
        chunk.copy_from_slice(&bytes[..chunk.len()]);
    }
}

impl Program for LargeWriter {
    fn process(&self, ctx: &InvokeContext<'_>, data: &[u8]) -> Result<(), InstructionError> {
        ctx.consume_checked(100)?;
        let (seed, fold) = match LargeWriterInstruction::unpack(data)? {
            LargeWriterInstruction::Write { seed } => (seed, false),
            LargeWriterInstruction::WriteFolding { seed } => (seed, true),
        };
        let mut iter = ctx.account_iter();
        let target = iter.next_account()?.expect_owner(&ctx.program_id())?;
        let mut checksum = 0u64;
        if fold {
            while iter.remaining() > 0 {
                let account = iter.next_account()?;
                let data = account.try_borrow_data()?;
                ctx.consume_checked(data.len() as u64 / 256)?;
                for word in data.chunks(8) {
                    let mut w = [0u8; 8];
                    w[..word.len()].copy_from_slice(word);
                    checksum = checksum.rotate_left(5) ^ u64::from_le_bytes(w);
                }
            }
        }
        let mut out = target.try_borrow_mut_data()?;
        ctx.consume_checked(out.len() as u64 / 256)?;
        fill(&mut out, seed ^ checksum);
        Ok(())
    }
}

/// `large-writes`: `accounts` funded payers and `accounts` target accounts
/// of [`WRITE_LEN`] bytes owned by [`LargeWriter`]; each transaction picks a
/// payer and a target uniformly and rewrites the whole target. With
/// `read_shared`, each also reads the same [`SHARED_ACCOUNTS`] accounts of
/// [`SHARED_LEN`] bytes (read-only: they add locks, not conflicts).
pub fn large_writes(p: &Params, read_shared: bool) -> Workload {
    let n = p.accounts.max(1);
    let (payers, kps) = signers(n, p);
    let targets: Vec<_> = (0..n).map(|i| key(8, i)).collect();
    let shared: Vec<_> = (0..SHARED_ACCOUNTS).map(|i| key(9, i)).collect();
    let mut rng = ChaCha8Rng::seed_from_u64(p.seed);
    let mut accounts: Vec<_> = funded(&payers).collect();
    accounts.extend(
        targets
            .iter()
            .map(|k| (*k, owned(&LARGE_WRITER_ID, vec![0; WRITE_LEN]))),
    );
    if read_shared {
        // Their own generator: both variants draw the same transactions.
        let mut data_rng = ChaCha8Rng::seed_from_u64(p.seed ^ 0x5EED_DA7A);
        for k in &shared {
            let mut data = vec![0; SHARED_LEN];
            data_rng.fill(&mut data[..]);
            accounts.push((*k, owned(&LARGE_WRITER_ID, data)));
        }
    }
    let plan: Vec<(usize, usize, u64)> = (0..p.txs)
        .map(|_| (rng.gen_range(0..n), rng.gen_range(0..n), rng.gen()))
        .collect();
    let txs = build_all(&plan, &payers, &kps, p, |_, &(payer, target, seed)| {
        let mut metas = vec![AccountMeta::new(targets[target], false)];
        let ix = if read_shared {
            metas.extend(shared.iter().map(|k| AccountMeta::new_readonly(*k, false)));
            LargeWriterInstruction::WriteFolding { seed }
        } else {
            LargeWriterInstruction::Write { seed }
        };
        let ix = Instruction::new_with_bytes(LARGE_WRITER_ID, &ix.pack(), metas);
        (vec![ix], payer)
    });
    let variant = if read_shared { "read-shared" } else { "write" };
    Workload {
        blockhash_age: p.blockhash_age,
        name: "large-writes",
        label: format!("large-writes {variant}"),
        description: format!(
            "10 KiB writes into one of {n} program-owned accounts{}",
            if read_shared {
                ", each reading 32 shared 1-KiB accounts"
            } else {
                ""
            }
        ),
        accounts,
        programs: vec![(LARGE_WRITER_ID, Arc::new(LargeWriter))],
        txs,
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn instructions_round_trip() {
        for ix in [
            LargeWriterInstruction::Write { seed: 9 },
            LargeWriterInstruction::WriteFolding { seed: 9 },
        ] {
            assert_eq!(LargeWriterInstruction::unpack(&ix.pack()), Ok(ix));
        }
        assert!(LargeWriterInstruction::unpack(&[2; 9]).is_err());
        assert!(LargeWriterInstruction::unpack(&[0; 3]).is_err());
    }

    #[test]
    fn writes_fill_the_target_and_shared_reads_change_the_pattern() {
        for read_shared in [false, true] {
            let p = Params {
                txs: 30,
                accounts: 5,
                ..Params::default()
            };
            let w = large_writes(&p, read_shared);
            let extra = if read_shared { SHARED_ACCOUNTS } else { 0 };
            assert_eq!(w.accounts.len(), 10 + extra);
            let keys = w.txs[0].message.account_keys.len();
            assert_eq!(keys, 3 + extra, "payer, target, program (+ shared)");
            let mut rt = w.runtime(2, false).unwrap();
            let results = rt.execute_batch(&w.txs);
            assert!(results.iter().all(|r| r.status.is_ok()), "{results:?}");
            // The last write to the first transaction's target wins.
            let m = &w.txs.last().unwrap().message;
            let target = m.account_keys[m.instructions[0].accounts[0] as usize];
            let data = rt.account(&target).unwrap().data;
            assert_eq!(data.len(), WRITE_LEN);
            let seed = match LargeWriterInstruction::unpack(&m.instructions[0].data).unwrap() {
                LargeWriterInstruction::Write { seed }
                | LargeWriterInstruction::WriteFolding { seed } => seed,
            };
            let mut plain = vec![0; WRITE_LEN];
            fill(&mut plain, seed);
            assert_eq!(data == plain, !read_shared);
        }
    }
}
