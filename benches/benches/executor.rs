//! The executor alone: one instruction through `Runtime::process_instruction`
//! (no transaction, fee, scheduler or store), as Mollusk runs one:
//!
//! - `executor/transfer`: one system transfer;
//! - `executor/token_cpi`: the `token-cpi` wrapper program moving tokens
//!   by CPI into the token program (two frames, one CPI);
//! - `executor/cpi_chain`: the `cpi-chain` chain A→B→C→D, four frames;
//! - `executor/large_write`: one 10 KiB write.
//!
//! `cargo bench -p baton-benches --bench executor`
#![allow(missing_docs)] // criterion's macros generate undocumented items
#![allow(clippy::unwrap_used)] // a failed setup should just fail

use std::collections::HashMap;
use std::hint::black_box;

use baton::{Account, Instruction, Pubkey, Runtime, Transaction};
use baton_benches::{generate, Params, Workload};
use criterion::{criterion_group, criterion_main, Criterion};

/// The allocator of the `baton` binary, so that these figures and
/// `baton bench`'s measure the same program.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// The first transaction of `name` as an instruction with its accounts
/// (program accounts included), and a runtime with the workload's programs.
fn first_instruction(name: &str) -> (Runtime, Instruction, Vec<(Pubkey, Account)>) {
    let p = Params {
        txs: 1,
        accounts: 8,
        fail_rate: 0.0,
        ..Params::default()
    };
    let w: Workload = generate(name, &p).unwrap();
    let rt = w.runtime(1, false).unwrap();
    let tx: &Transaction = &w.txs[0];
    let m = &tx.message;
    let ix = &m.instructions[0];
    let metas = ix
        .accounts
        .iter()
        .map(|&i| {
            let i = i as usize;
            baton::AccountMeta {
                pubkey: m.account_keys[i],
                is_signer: m.is_signer(i),
                is_writable: m.is_writable(i),
            }
        })
        .collect();
    let instruction = Instruction {
        program_id: m.account_keys[ix.program_id_index as usize],
        accounts: metas,
        data: ix.data.clone(),
    };
    let known: HashMap<Pubkey, Account> = w.accounts.iter().cloned().collect();
    let accounts = m
        .account_keys
        .iter()
        .map(|k| {
            let account = known
                .get(k)
                .cloned()
                .or_else(|| rt.account(k))
                .unwrap_or_default();
            (*k, account)
        })
        .collect();
    (rt, instruction, accounts)
}

fn bench(c: &mut Criterion) {
    let mut g = c.benchmark_group("executor");
    for (label, name) in [
        ("transfer", "uniform-transfers"),
        ("token_cpi", "token-cpi"),
        ("cpi_chain", "cpi-chain"),
        ("large_write", "large-writes"),
    ] {
        let (rt, ix, accounts) = first_instruction(name);
        let outcome = rt.process_instruction(&ix, &accounts);
        assert_eq!(outcome.result, Ok(()), "{label}: {:?}", outcome.logs);
        g.bench_function(label, |b| {
            b.iter(|| black_box(rt.process_instruction(black_box(&ix), &accounts)))
        });
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
