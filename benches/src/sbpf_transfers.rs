//! `sbpf-token-transfers`: the mainnet p-token ELF (a real sBPF program,
//! `sbpf/elf/token.so`) deployed at Tokenkeg in place of the native token
//! program, moving tokens between random token accounts of one mint; each
//! owner pays and signs. Variants: `jit` and `interpreter`.

use std::sync::Arc;

use baton::sbpf::deploy::{program_accounts, ProgramLoader};
use baton::sbpf::{Mode, SbpfProgram};
use baton::token::state::TokenAccount;
use baton::{ids, AccountMeta, Instruction, Pubkey, Rent};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::{
    build_all, distinct_pair, funded, key, owned, signers, Params, Workload, WorkloadError,
};

/// The p-token ELF.
pub const P_TOKEN_ELF: &[u8] = include_bytes!("../../sbpf/elf/token.so");

/// Tokens every generated token account starts with.
const TOKENS: u64 = 1_000_000_000;

/// An initialized SPL token account of `mint` owned by `owner`.
fn token_account(mint: &Pubkey, owner: &Pubkey, amount: u64) -> Vec<u8> {
    TokenAccount::initialized(*mint, *owner, amount)
        .to_bytes()
        .to_vec()
}

/// An initialized SPL mint with no authorities and 6 decimals.
fn mint_account(supply: u64) -> Vec<u8> {
    let mut d = vec![0u8; 82];
    d[36..44].copy_from_slice(&supply.to_le_bytes());
    d[44] = 6;
    d[45] = 1;
    d
}

/// `sbpf-token-transfers`: p-token Transfers between two distinct token
/// accounts of `accounts` (one per funded owner), run by the JIT or, with
/// `interpreter`, the interpreter.
pub fn sbpf_token_transfers(p: &Params, interpreter: bool) -> Result<Workload, WorkloadError> {
    let n = p.accounts.max(2);
    let mode = if interpreter {
        Mode::Interpreter
    } else {
        Mode::Jit
    };
    let program = SbpfProgram::load_with_mode(P_TOKEN_ELF, mode)
        .map_err(|_| WorkloadError::InvalidParam("the vendored p-token ELF does not load"))?;
    let token = ids::TOKEN_PROGRAM;
    let (owners, kps) = signers(n, p);
    let mint = key(2, 0);
    let tokens: Vec<Pubkey> = (0..n).map(|i| key(1, i)).collect();
    let mut accounts: Vec<_> = funded(&owners).collect();
    accounts.extend(program_accounts(
        ProgramLoader::V2,
        &token,
        P_TOKEN_ELF,
        &Rent::default(),
        0,
    ));
    accounts.push((mint, owned(&token, mint_account(TOKENS * n as u64))));
    accounts.extend(
        tokens
            .iter()
            .zip(&owners)
            .map(|(t, o)| (*t, owned(&token, token_account(&mint, o, TOKENS)))),
    );
    let mut rng = ChaCha8Rng::seed_from_u64(p.seed);
    let plan: Vec<(usize, usize, u64)> = (0..p.txs)
        .map(|_| {
            let (from, to) = distinct_pair(&mut rng, n);
            (from, to, rng.gen_range(1..1_000))
        })
        .collect();
    let txs = build_all(&plan, &owners, &kps, p, |_, &(from, to, amount)| {
        let mut data = vec![3u8];
        data.extend_from_slice(&amount.to_le_bytes());
        let ix = Instruction::new_with_bytes(
            token,
            &data,
            vec![
                AccountMeta::new(tokens[from], false),
                AccountMeta::new(tokens[to], false),
                AccountMeta::new_readonly(owners[from], true),
            ],
        );
        (vec![ix], from)
    });
    let v = if interpreter { "interpreter" } else { "jit" };
    Ok(Workload {
        blockhash_age: p.blockhash_age,
        name: "sbpf-token-transfers",
        label: format!("sbpf-token-transfers {v}"),
        description: format!(
            "p-token (mainnet sBPF ELF, {v}) Transfers between two of {n} token accounts of one mint; the owner pays and signs"
        ),
        accounts,
        programs: vec![(token, Arc::new(program))],
        txs,
    })
}
