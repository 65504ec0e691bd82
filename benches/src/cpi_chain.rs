//! `cpi-chain`: call chains four deep, built with the scripted test
//! program registered under four ids, a share failing at the bottom.

use std::sync::Arc;

use baton::{AccountMeta, Instruction, Program, Pubkey};
use baton_scenario::scripted::{self, AccountRef, Invoke, Meta, Op, Payload, ScriptedProgram};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::{build_all, funded, key, owned, program_id, signers, Params, Workload};

/// The ids of the four levels, outermost first; each runs
/// [`ScriptedProgram`].
pub const CHAIN_PROGRAMS: [Pubkey; 4] = [
    program_id("baton-bench-chain-A"),
    program_id("baton-bench-chain-B"),
    program_id("baton-bench-chain-C"),
    program_id("baton-bench-chain-D"),
];

/// The custom error the innermost call fails with.
pub const CHAIN_FAIL_CODE: u32 = 6100;

/// Data length of each level's state account.
pub const CHAIN_STATE_LEN: usize = 8;

/// A writable (or read-only) meta for the account at `index` of the
/// calling instruction.
fn meta(index: u16, writable: bool) -> Meta {
    Meta {
        account: AccountRef::Index(index),
        is_signer: false,
        is_writable: writable,
    }
}

/// The script of level `level` (0 = A), whose instruction accounts are the
/// state accounts of levels `level..4` then the program accounts of levels
/// `level+1..4`: write `byte` at offset 0 of its own state account, then
/// invoke the next level with the same layout shifted by one; the last
/// level fails with [`CHAIN_FAIL_CODE`] after writing when `fail`.
fn script(level: usize, byte: u8, fail: bool) -> Vec<Op> {
    let mut ops = vec![Op::Write {
        account: 0,
        offset: 0,
        bytes: vec![byte],
    }];
    let below = 3 - level; // levels under this one
    if below == 0 {
        if fail {
            ops.push(Op::Fail(CHAIN_FAIL_CODE));
        }
        return ops;
    }
    // Here: states 0..=below, programs below+1 ..= 2*below.
    let states = (1..=below as u16).map(|i| meta(i, true));
    let programs = (below as u16 + 2..=2 * below as u16).map(|i| meta(i, false));
    ops.push(Op::Invoke(Invoke {
        program: AccountRef::Index(below as u16 + 1),
        accounts: states.chain(programs).collect(),
        seeds: Vec::new(),
        payload: Payload::Script(script(level + 1, byte, fail)),
    }));
    ops
}

/// `cpi-chain`: `accounts` funded payers and `accounts / 4` chains, each
/// four 8-byte state accounts, one owned by each level's program. Each
/// transaction picks a payer and a chain uniformly and calls A, which
/// writes a byte into its account and invokes B, which does the same and
/// invokes C, then D. For a `fail_rate` share of the transactions (seeded)
/// D fails after its write with `Custom(CHAIN_FAIL_CODE)`: the transaction
/// is charged its fee and all four writes are rolled back.
pub fn cpi_chain(p: &Params) -> Workload {
    let n = p.accounts.max(1);
    let chains = (n / 4).max(1);
    let (payers, kps) = signers(n, p);
    let state = |chain: usize, level: usize| key(4 + level as u64, chain);
    let mut accounts: Vec<_> = funded(&payers).collect();
    for chain in 0..chains {
        for (level, id) in CHAIN_PROGRAMS.iter().enumerate() {
            accounts.push((state(chain, level), owned(id, vec![0; CHAIN_STATE_LEN])));
        }
    }
    let fail_rate = p.fail_rate.clamp(0.0, 1.0);
    let mut rng = ChaCha8Rng::seed_from_u64(p.seed);
    let plan: Vec<(usize, usize, u8, bool)> = (0..p.txs)
        .map(|_| {
            (
                rng.gen_range(0..n),
                rng.gen_range(0..chains),
                rng.gen(),
                rng.gen_bool(fail_rate),
            )
        })
        .collect();
    let txs = build_all(&plan, &payers, &kps, p, |_, &(payer, chain, byte, fail)| {
        let states = (0..4).map(|level| AccountMeta::new(state(chain, level), false));
        let programs = CHAIN_PROGRAMS[1..]
            .iter()
            .map(|id| AccountMeta::new_readonly(*id, false));
        let ix = Instruction::new_with_bytes(
            CHAIN_PROGRAMS[0],
            &scripted::encode(&script(0, byte, fail)),
            states.chain(programs).collect(),
        );
        (vec![ix], payer)
    });
    let programs: Vec<(Pubkey, Arc<dyn Program>)> = CHAIN_PROGRAMS
        .iter()
        .map(|id| (*id, Arc::new(ScriptedProgram) as Arc<dyn Program>))
        .collect();
    Workload {
        blockhash_age: p.blockhash_age,
        name: "cpi-chain",
        label: format!("cpi-chain fail-rate={fail_rate}"),
        description: format!(
            "CPI chains A→B→C→D over {chains} chains of four accounts, {:.0}% failing at D",
            fail_rate * 100.0
        ),
        accounts,
        programs,
        txs,
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use baton::{InstructionError, TransactionError};

    #[test]
    fn chains_write_four_levels_and_failures_roll_back() {
        let p = Params {
            txs: 400,
            accounts: 16,
            fail_rate: 0.25,
            ..Params::default()
        };
        let w = cpi_chain(&p);
        assert_eq!(w.programs.len(), 4);
        assert_eq!(w.accounts.len(), 16 + 4 * 4);
        let mut rt = w.runtime(2, false).unwrap();
        let results = rt.execute_batch(&w.txs);
        let failed: Vec<_> = results.iter().filter(|r| r.status.is_err()).collect();
        // About a quarter fail, all at D with the custom code, fee charged.
        assert!((60..140).contains(&failed.len()), "{}", failed.len());
        for r in &failed {
            assert_eq!(
                r.status,
                Err(TransactionError::InstructionError(
                    0,
                    InstructionError::Custom(CHAIN_FAIL_CODE)
                ))
            );
            assert!(r.fee > 0);
        }
        // The last successful transaction of each chain left its byte in
        // all four accounts.
        let mut last_ok = std::collections::HashMap::new();
        for (tx, r) in w.txs.iter().zip(&results) {
            if r.status.is_ok() {
                let byte = match scripted::decode(&tx.message.instructions[0].data).unwrap()[0] {
                    Op::Write { ref bytes, .. } => bytes[0],
                    _ => unreachable!(),
                };
                let m = &tx.message;
                let keys: Vec<_> = m.instructions[0].accounts[..4]
                    .iter()
                    .map(|&i| m.account_keys[i as usize])
                    .collect();
                last_ok.insert(keys[0], (keys, byte));
            }
        }
        assert!(!last_ok.is_empty());
        for (keys, byte) in last_ok.values() {
            for k in keys {
                assert_eq!(rt.account(k).unwrap().data[0], *byte);
            }
        }
    }

    #[test]
    fn no_failures_at_rate_zero() {
        let p = Params {
            txs: 100,
            accounts: 8,
            fail_rate: 0.0,
            ..Params::default()
        };
        let w = cpi_chain(&p);
        let mut rt = w.runtime(1, false).unwrap();
        assert!(rt.execute_batch(&w.txs).iter().all(|r| r.status.is_ok()));
    }
}
