//! Real programs: the mainnet p-token ELF deployed at Tokenkeg, 10,000
//! Transfers between random token accounts of one mint (owners paying and
//! signing; signature checks and log collection off) through
//! `Runtime::execute_batch`, under the JIT and the interpreter, at 1 and 2
//! threads. Setup (runtime, deployment, 20,000 accounts) is not timed.
//!
//! `cargo bench -p baton-benches --bench sbpf`
#![allow(missing_docs)] // criterion's macros generate undocumented items
#![allow(clippy::unwrap_used)] // a failed setup should just fail

use baton::sbpf::Mode;
use baton::token::state::TokenAccount;
use baton::{
    ids, Account, AccountMeta, Instruction, Message, ProgramLoader, Pubkey, Runtime, Signature,
    Transaction,
};
use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// The allocator of the `baton` binary, so that these figures and
/// `baton bench`'s measure the same program.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

const TOKEN_ELF: &[u8] = include_bytes!("../../sbpf/elf/token.so");
const TXS: usize = 10_000;
const ACCOUNTS: u64 = 10_000;

fn token_account(mint: Pubkey, owner: Pubkey, amount: u64) -> Account {
    let d = TokenAccount::initialized(mint, owner, amount).to_bytes();
    Account::with_data(2_039_280, d.to_vec(), &ids::TOKEN_PROGRAM)
}

fn owner(i: u64) -> Pubkey {
    Pubkey::new_from_u64(1_000_000 + i)
}

fn token(i: u64) -> Pubkey {
    Pubkey::new_from_u64(2_000_000 + i)
}

fn runtime(threads: usize, mode: Mode) -> Runtime {
    let mut rt = Runtime::new()
        .with_threads(threads)
        .with_sigverify(false)
        .with_log_collection(false);
    rt.deploy_program_with_mode(ids::TOKEN_PROGRAM, TOKEN_ELF, ProgramLoader::V2, mode)
        .unwrap();
    let mint = Pubkey::new_from_u64(999);
    for i in 0..ACCOUNTS {
        rt.airdrop(&owner(i), 1_000_000_000).unwrap();
        rt.set_account(token(i), token_account(mint, owner(i), 1_000_000))
            .unwrap();
    }
    rt
}

fn transfers(rt: &Runtime) -> Vec<Transaction> {
    let mut rng = ChaCha8Rng::seed_from_u64(18);
    let blockhash = rt.latest_blockhash();
    (0..TXS)
        .map(|_| {
            let from = rng.gen_range(0..ACCOUNTS);
            let mut to = rng.gen_range(0..ACCOUNTS - 1);
            if to >= from {
                to += 1;
            }
            let mut data = vec![3u8];
            data.extend_from_slice(&1u64.to_le_bytes());
            let ix = Instruction::new_with_bytes(
                ids::TOKEN_PROGRAM,
                &data,
                vec![
                    AccountMeta::new(token(from), false),
                    AccountMeta::new(token(to), false),
                    AccountMeta::new_readonly(owner(from), true),
                ],
            );
            let message = Message::new_with_blockhash(&[ix], Some(&owner(from)), &blockhash);
            let mut sig = [0u8; 64];
            rng.fill(&mut sig[..]);
            Transaction {
                signatures: vec![Signature(sig)],
                message,
            }
        })
        .collect()
}

fn bench(c: &mut Criterion) {
    let txs = transfers(&runtime(1, Mode::Interpreter));
    for mode in [Mode::Jit, Mode::Interpreter] {
        let mut g = c.benchmark_group(format!("sbpf-token-transfers/{mode:?}"));
        g.throughput(Throughput::Elements(txs.len() as u64));
        g.sample_size(10);
        for threads in [1usize, 2] {
            g.bench_function(format!("threads={threads}"), |b| {
                b.iter_batched(
                    || {
                        let mut rt = runtime(threads, mode);
                        rt.execute_batch(&[]);
                        rt
                    },
                    |mut rt| {
                        let r = rt.execute_batch(&txs);
                        assert!(r.iter().all(|r| r.status.is_ok()));
                        rt
                    },
                    BatchSize::PerIteration,
                )
            });
        }
        g.finish();
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
