//! One p-token Transfer (76 CU) through `baton_executor::process_instruction`,
//! under the JIT and under the interpreter: serialization, the VM run and the
//! read-back, plus the executor's per-instruction work.
#![allow(clippy::unwrap_used, clippy::expect_used)]
#![allow(missing_docs)] // criterion's macros generate undocumented items

use std::sync::Arc;

use baton_executor::{
    process_instruction, Environment, ExecutionConfig, ProgramRegistry, SysvarCache,
};
use baton_programs::token::state::TokenAccount;
use baton_sbpf::{Mode, SbpfProgram};
use baton_types::{Account, AccountMeta, Instruction, Pubkey};
use criterion::{criterion_group, criterion_main, Criterion};

const TOKEN_ELF: &[u8] = include_bytes!("../elf/token.so");
const TOKEN_2022_ELF: &[u8] = include_bytes!("../elf/token_2022.so");
const TOKEN_ID: Pubkey = Pubkey::from_str_const("TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA");

fn token_account(mint: Pubkey, owner: Pubkey, amount: u64) -> Account {
    let d = TokenAccount::initialized(mint, owner, amount).to_bytes();
    Account::with_data(2_039_280, d.to_vec(), &TOKEN_ID)
}

/// Deployment: load with the deployment checks, verify, JIT-compile.
fn deploy(c: &mut Criterion) {
    let mut g = c.benchmark_group("deploy");
    g.sample_size(20);
    for (name, elf) in [("p-token", TOKEN_ELF), ("token-2022", TOKEN_2022_ELF)] {
        g.bench_function(name, |b| b.iter(|| SbpfProgram::load(elf).unwrap()));
    }
    g.finish();
}

fn bench(c: &mut Criterion) {
    let jit = SbpfProgram::load(TOKEN_ELF).unwrap();
    let (mint, a, b, owner) = (
        Pubkey::new_from_u64(1),
        Pubkey::new_from_u64(2),
        Pubkey::new_from_u64(3),
        Pubkey::new_from_u64(4),
    );
    let accounts = vec![
        (a, token_account(mint, owner, 1_000_000)),
        (b, token_account(mint, owner, 0)),
        (owner, Account::default()),
    ];
    let mut data = vec![3u8];
    data.extend_from_slice(&1u64.to_le_bytes());
    let ix = Instruction::new_with_bytes(
        TOKEN_ID,
        &data,
        vec![
            AccountMeta::new(a, false),
            AccountMeta::new(b, false),
            AccountMeta::new_readonly(owner, true),
        ],
    );
    let sysvars = SysvarCache::default();
    let config = ExecutionConfig {
        collect_logs: false,
        ..ExecutionConfig::default()
    };
    for mode in [Mode::Jit, Mode::Interpreter] {
        let mut programs = ProgramRegistry::new();
        programs.add(TOKEN_ID, Arc::new(jit.with_mode(mode)));
        let env = Environment {
            programs: &programs,
            sysvars: &sysvars,
            config: &config,
        };
        c.bench_function(&format!("p-token transfer ({mode:?})"), |bch| {
            bch.iter(|| {
                let out = process_instruction(&accounts, &ix, 200_000, env);
                assert_eq!(out.compute_units_consumed, 76);
                out
            })
        });
    }
}

criterion_group!(benches, bench, deploy);
criterion_main!(benches);
