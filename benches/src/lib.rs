//! Seeded workload generators shared by the criterion benches and `baton bench`.
//!
//! A [`Workload`] is a set of funded accounts and a list of transactions;
//! the same name, parameters and seed always give the same workload.

use baton::{system, Account, Hash, Instruction, Keypair, Message, Pubkey, Signature, Transaction};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;

/// Lamports every generated account starts with.
pub const FUNDING: u64 = 1_000_000_000_000;

/// Parameters common to the workloads.
#[derive(Debug, Clone)]
pub struct Params {
    /// Number of transactions.
    pub txs: usize,
    /// Number of funded accounts.
    pub accounts: usize,
    /// Sign transactions for real (needed when signature checks are on);
    /// otherwise each gets a unique pseudo-random signature.
    pub sign: bool,
    /// Seed of the generator.
    pub seed: u64,
    /// Blockhash the transactions name.
    pub blockhash: Hash,
}

impl Default for Params {
    fn default() -> Self {
        Self {
            txs: 100_000,
            accounts: 100_000,
            sign: false,
            seed: 7,
            blockhash: baton::genesis_blockhash(),
        }
    }
}

/// Accounts to load and transactions to run.
#[derive(Debug, Clone)]
pub struct Workload {
    /// Workload name.
    pub name: &'static str,
    /// Accounts to set before running.
    pub accounts: Vec<(Pubkey, Account)>,
    /// The transactions, in batch order.
    pub txs: Vec<Transaction>,
}

/// Names of the workloads [`generate`] knows.
pub const WORKLOADS: &[&str] = &["uniform-transfers"];

/// Generate workload `name`, or `None` if there is no such workload.
pub fn generate(name: &str, p: &Params) -> Option<Workload> {
    match name {
        "uniform-transfers" => Some(uniform_transfers(p)),
        _ => None,
    }
}

/// Keypairs for `n` accounts, derived from the seed (signing) or bare keys.
fn signers(n: usize, p: &Params) -> (Vec<Pubkey>, Vec<Option<Keypair>>) {
    if p.sign {
        let kps: Vec<Keypair> = (0..n)
            .into_par_iter()
            .map(|i| {
                let mut seed = [0u8; 32];
                seed[..8].copy_from_slice(&(i as u64).to_le_bytes());
                seed[8..16].copy_from_slice(&p.seed.to_le_bytes());
                Keypair::from_seed(&seed)
            })
            .collect();
        (
            kps.iter().map(Keypair::pubkey).collect(),
            kps.into_iter().map(Some).collect(),
        )
    } else {
        (
            (0..n as u64).map(Pubkey::new_from_u64).collect(),
            (0..n).map(|_| None).collect(),
        )
    }
}

/// Build one transaction paid by `payer`: signed for real when a keypair is
/// given, otherwise with a unique pseudo-random signature.
fn build_tx(
    ixs: &[Instruction],
    payer: &Pubkey,
    kp: Option<&Keypair>,
    p: &Params,
    rng: &mut ChaCha8Rng,
) -> Transaction {
    let message = Message::new_with_blockhash(ixs, Some(payer), &p.blockhash);
    match kp {
        Some(kp) => {
            let sig = kp.sign(&message.serialize());
            Transaction {
                signatures: vec![sig],
                message,
            }
        }
        None => {
            let mut sig = [0u8; 64];
            rng.fill(&mut sig[..]);
            Transaction {
                signatures: vec![Signature(sig)],
                message,
            }
        }
    }
}

/// `uniform-transfers`: system transfers between two distinct accounts
/// drawn uniformly from `accounts` funded accounts; the sender pays.
pub fn uniform_transfers(p: &Params) -> Workload {
    let n = p.accounts.max(2);
    let (keys, kps) = signers(n, p);
    let accounts = keys
        .iter()
        .map(|k| (*k, Account::new(FUNDING, 0, &baton::ids::SYSTEM_PROGRAM)))
        .collect();
    let mut rng = ChaCha8Rng::seed_from_u64(p.seed);
    let pairs: Vec<(usize, usize, u64)> = (0..p.txs)
        .map(|_| {
            let from = rng.gen_range(0..n);
            let mut to = rng.gen_range(0..n - 1);
            if to >= from {
                to += 1;
            }
            (from, to, rng.gen_range(1..1_000))
        })
        .collect();
    let txs = pairs
        .par_iter()
        .enumerate()
        .map(|(i, &(from, to, lamports))| {
            let mut rng =
                ChaCha8Rng::seed_from_u64(p.seed ^ (i as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15));
            let ix = system::instruction::transfer(&keys[from], &keys[to], lamports);
            build_tx(&[ix], &keys[from], kps[from].as_ref(), p, &mut rng)
        })
        .collect();
    Workload {
        name: "uniform-transfers",
        accounts,
        txs,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generation_is_deterministic() {
        let p = Params {
            txs: 50,
            accounts: 10,
            ..Params::default()
        };
        let a = uniform_transfers(&p);
        let b = uniform_transfers(&p);
        assert_eq!(a.txs, b.txs);
        assert_eq!(a.accounts.len(), 10);
        // Sender and receiver always differ.
        for tx in &a.txs {
            let ix = &tx.message.instructions[0];
            assert_ne!(ix.accounts[0], ix.accounts[1]);
        }
    }
}
