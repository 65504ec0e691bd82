//! `litesvm-gen bench`: the throughput of LiteSVM on the workload of
//! `baton bench --workload sbpf-token-transfers` — p-token Transfers (the
//! ELF Baton vendors, `sbpf/elf/token.so`, at Tokenkeg under loader v2)
//! between two random token accounts of one mint, each owner paying and
//! signing — sent one at a time with `send_transaction`. Signature checks
//! are off (LiteSVM then skips its history check too); the blockhash check
//! is on. Only the sends are timed, each run on a fresh LiteSVM; the
//! median run is reported.

use std::process::ExitCode;
use std::time::{Duration, Instant};

use litesvm::LiteSVM;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use solana_account::Account;
use solana_instruction::{AccountMeta, Instruction};
use solana_message::{Message, VersionedMessage};
use solana_pubkey::Pubkey;
use solana_signature::Signature;
use solana_transaction::versioned::VersionedTransaction;

use crate::build::{pubkey, system_account};

/// The ELF `baton bench` runs, relative to the repository root.
const ELF: &str = "sbpf/elf/token.so";
/// Tokens every token account starts with.
const TOKENS: u64 = 1_000_000_000;

/// An initialized SPL token account of `mint` owned by `owner`.
fn token_account(mint: &Pubkey, owner: &Pubkey, amount: u64) -> Vec<u8> {
    let mut d = vec![0u8; 165];
    d[0..32].copy_from_slice(mint.as_ref());
    d[32..64].copy_from_slice(owner.as_ref());
    d[64..72].copy_from_slice(&amount.to_le_bytes());
    d[108] = 1; // initialized
    d
}

/// An initialized mint with no authorities and 6 decimals.
fn mint_account(supply: u64) -> Vec<u8> {
    let mut d = vec![0u8; 82];
    d[36..44].copy_from_slice(&supply.to_le_bytes());
    d[44] = 6;
    d[45] = 1;
    d
}

fn owned(owner: &Pubkey, data: Vec<u8>, rent: u64) -> Account {
    Account {
        lamports: rent,
        data,
        owner: *owner,
        executable: false,
        rent_epoch: u64::MAX,
    }
}

struct Setup {
    elf: Vec<u8>,
    owners: Vec<Pubkey>,
    tokens: Vec<Pubkey>,
    mint: Pubkey,
}

fn fresh(s: &Setup) -> Result<LiteSVM, String> {
    let token = solana_sdk_ids::bpf_loader::id();
    let program = Pubkey::from_str_const("TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA");
    let mut svm = LiteSVM::new().with_sigverify(false);
    svm.add_program_with_loader(program, &s.elf, token)
        .map_err(|e| format!("loading {ELF}: {e:?}"))?;
    let rent = svm.minimum_balance_for_rent_exemption(165);
    for (o, t) in s.owners.iter().zip(&s.tokens) {
        svm.set_account(*o, system_account(10_000_000_000, u64::MAX))
            .map_err(|e| format!("{e:?}"))?;
        svm.set_account(*t, owned(&program, token_account(&s.mint, o, TOKENS), rent))
            .map_err(|e| format!("{e:?}"))?;
    }
    let supply = TOKENS * s.owners.len() as u64;
    svm.set_account(s.mint, owned(&program, mint_account(supply), rent))
        .map_err(|e| format!("{e:?}"))?;
    Ok(svm)
}

pub fn run(txs: usize, accounts: usize, runs: usize, seed: u64) -> ExitCode {
    match bench(txs, accounts.max(2), runs.max(1), seed) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("litesvm-gen bench: {e}");
            ExitCode::FAILURE
        }
    }
}

fn bench(txs: usize, n: usize, runs: usize, seed: u64) -> Result<(), String> {
    let elf =
        std::fs::read(ELF).map_err(|e| format!("{ELF}: {e} (run from the repository root)"))?;
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let owners: Vec<Pubkey> = (0..n).map(|_| pubkey(&mut rng)).collect();
    let tokens: Vec<Pubkey> = (0..n).map(|_| pubkey(&mut rng)).collect();
    let mint = pubkey(&mut rng);
    let s = Setup {
        elf,
        owners,
        tokens,
        mint,
    };
    let program = Pubkey::from_str_const("TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA");
    let blockhash = fresh(&s)?.latest_blockhash();
    // Unsigned (checks are off): each gets a unique pseudo-random signature.
    let all: Vec<VersionedTransaction> = (0..txs)
        .map(|_| {
            let from = rng.gen_range(0..n);
            let mut to = rng.gen_range(0..n - 1);
            if to >= from {
                to += 1;
            }
            let amount: u64 = rng.gen_range(1..1_000);
            let mut data = vec![3u8];
            data.extend_from_slice(&amount.to_le_bytes());
            let ix = Instruction::new_with_bytes(
                program,
                &data,
                vec![
                    AccountMeta::new(s.tokens[from], false),
                    AccountMeta::new(s.tokens[to], false),
                    AccountMeta::new_readonly(s.owners[from], true),
                ],
            );
            let msg = Message::new_with_blockhash(&[ix], Some(&s.owners[from]), &blockhash);
            let mut sig = [0u8; 64];
            rng.fill(&mut sig[..]);
            VersionedTransaction {
                signatures: vec![Signature::from(sig)],
                message: VersionedMessage::Legacy(msg),
            }
        })
        .collect();
    // One transfer, untimed: it must succeed, at p-token's cost.
    if let Some(first) = all.first() {
        let meta = fresh(&s)?
            .send_transaction(first.clone())
            .map_err(|f| format!("the first transfer failed: {:?}", f.err))?;
        eprintln!(
            "  a transfer: {} compute units, fee {}",
            meta.compute_units_consumed, meta.fee
        );
    }
    let mut times: Vec<Duration> = Vec::with_capacity(runs);
    for run in 0..runs {
        let mut svm = fresh(&s)?;
        let batch = all.clone();
        let start = Instant::now();
        let mut failed = 0usize;
        for tx in batch {
            if svm.send_transaction(tx).is_err() {
                failed += 1;
            }
        }
        let t = start.elapsed();
        if failed > 0 {
            return Err(format!("run {run}: {failed} of {txs} transactions failed"));
        }
        eprintln!(
            "  run {run}: {:.1} ms, {:.0} tx/s",
            t.as_secs_f64() * 1e3,
            txs as f64 / t.as_secs_f64()
        );
        times.push(t);
    }
    times.sort();
    let median = times[times.len() / 2];
    say!(
        "litesvm 0.16.0 sbpf-token-transfers (p-token, {txs} txs, {n} token accounts, \
         send_transaction one at a time, sigverify off): {:.0} tx/s median of {runs} runs \
         ({:.1} ms; min {:.1}, max {:.1})",
        txs as f64 / median.as_secs_f64(),
        median.as_secs_f64() * 1e3,
        times[0].as_secs_f64() * 1e3,
        times[times.len() - 1].as_secs_f64() * 1e3,
    );
    Ok(())
}
