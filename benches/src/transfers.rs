//! The system-transfer workloads: `uniform-transfers`, `zipf-transfers`
//! and `hot-account`.

use baton::system;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::{build_all, distinct_pair, funded, key, signers, Params, Workload, Zipf};

/// `uniform-transfers`: system transfers between two distinct accounts
/// drawn uniformly from `accounts` funded accounts; the sender pays.
pub fn uniform_transfers(p: &Params) -> Workload {
    let n = p.accounts.max(2);
    let mut rng = ChaCha8Rng::seed_from_u64(p.seed);
    let plan: Vec<(usize, usize, u64)> = (0..p.txs)
        .map(|_| {
            let (from, to) = distinct_pair(&mut rng, n);
            (from, to, rng.gen_range(1..1_000))
        })
        .collect();
    transfers(
        p,
        n,
        &plan,
        "uniform-transfers",
        "uniform-transfers".into(),
        format!("system transfers between two of {n} funded accounts drawn uniformly"),
    )
}

/// `zipf-transfers`: system transfers whose sender and receiver (distinct)
/// are drawn from a Zipf law of exponent `skew` over `accounts` funded
/// accounts, account 0 the hottest; the sender pays.
pub fn zipf_transfers(p: &Params) -> Workload {
    let n = p.accounts.max(2);
    let zipf = Zipf::new(n, p.skew);
    let mut rng = ChaCha8Rng::seed_from_u64(p.seed);
    let plan: Vec<(usize, usize, u64)> = (0..p.txs)
        .map(|_| {
            let from = zipf.sample(&mut rng);
            // Redraw the receiver until it differs; past a few tries (a
            // very skewed law) take the next account.
            let mut to = zipf.sample(&mut rng);
            for _ in 0..16 {
                if to != from {
                    break;
                }
                to = zipf.sample(&mut rng);
            }
            if to == from {
                to = (from + 1) % n;
            }
            (from, to, rng.gen_range(1..1_000))
        })
        .collect();
    transfers(
        p,
        n,
        &plan,
        "zipf-transfers",
        format!("zipf-transfers skew={}", p.skew),
        format!(
            "system transfers between two of {n} funded accounts drawn from a Zipf law, exponent {}",
            p.skew
        ),
    )
}

/// `hot-account`: system transfers from a payer drawn uniformly from
/// `accounts` funded accounts to one of `hot` hot accounts (funded system
/// accounts of their own), drawn uniformly: every transaction writes a
/// hot account.
pub fn hot_account(p: &Params) -> Workload {
    let n = p.accounts.max(1);
    let k = p.hot.max(1);
    let (payers, kps) = signers(n, p);
    let hot: Vec<_> = (0..k).map(|i| key(1, i)).collect();
    let mut rng = ChaCha8Rng::seed_from_u64(p.seed);
    let plan: Vec<(usize, usize, u64)> = (0..p.txs)
        .map(|_| {
            (
                rng.gen_range(0..n),
                rng.gen_range(0..k),
                rng.gen_range(1..1_000),
            )
        })
        .collect();
    let txs = build_all(&plan, &payers, &kps, p, |_, &(from, to, lamports)| {
        let ix = system::instruction::transfer(&payers[from], &hot[to], lamports);
        (vec![ix], from)
    });
    Workload {
        name: "hot-account",
        label: format!("hot-account hot={k}"),
        description: format!("system transfers from one of {n} payers to one of {k} hot accounts"),
        accounts: funded(&payers).chain(funded(&hot)).collect(),
        programs: Vec::new(),
        txs,
    }
}

/// Transfers `from → to` of `lamports` among `n` payers, the sender paying.
fn transfers(
    p: &Params,
    n: usize,
    plan: &[(usize, usize, u64)],
    name: &'static str,
    label: String,
    description: String,
) -> Workload {
    let (keys, kps) = signers(n, p);
    let txs = build_all(plan, &keys, &kps, p, |_, &(from, to, lamports)| {
        let ix = system::instruction::transfer(&keys[from], &keys[to], lamports);
        (vec![ix], from)
    });
    Workload {
        name,
        label,
        description,
        accounts: funded(&keys).collect(),
        programs: Vec::new(),
        txs,
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use std::collections::HashMap;

    fn params(accounts: usize) -> Params {
        Params {
            txs: 2_000,
            accounts,
            ..Params::default()
        }
    }

    #[test]
    fn uniform_transfers_move_between_distinct_accounts() {
        let w = uniform_transfers(&params(10));
        assert_eq!(w.accounts.len(), 10);
        assert!(w.programs.is_empty());
        for tx in &w.txs {
            let ix = &tx.message.instructions[0];
            assert_eq!(ix.accounts.len(), 2);
            assert_ne!(ix.accounts[0], ix.accounts[1]);
        }
    }

    /// How often each sender appears.
    fn sender_counts(w: &Workload) -> HashMap<baton::Pubkey, usize> {
        let mut m = HashMap::new();
        for tx in &w.txs {
            *m.entry(tx.message.account_keys[0]).or_default() += 1;
        }
        m
    }

    #[test]
    fn zipf_skew_concentrates_senders() {
        let flat = zipf_transfers(&Params {
            skew: 0.0,
            ..params(1_000)
        });
        let steep = zipf_transfers(&Params {
            skew: 1.2,
            ..params(1_000)
        });
        let top = |w: &Workload| sender_counts(w).values().copied().max().unwrap();
        assert!(top(&steep) > 5 * top(&flat));
        assert_eq!(steep.label, "zipf-transfers skew=1.2");
        for tx in &steep.txs {
            let ix = &tx.message.instructions[0];
            assert_ne!(ix.accounts[0], ix.accounts[1]);
        }
    }

    #[test]
    fn hot_account_writes_one_of_k() {
        for k in [1usize, 4, 16] {
            let w = hot_account(&Params {
                hot: k,
                ..params(100)
            });
            assert_eq!(w.accounts.len(), 100 + k);
            let hot: Vec<_> = (0..k).map(|i| key(1, i)).collect();
            let mut seen = std::collections::HashSet::new();
            for tx in &w.txs {
                let m = &tx.message;
                let to = m.account_keys[m.instructions[0].accounts[1] as usize];
                assert!(hot.contains(&to));
                seen.insert(to);
            }
            assert_eq!(seen.len(), k);
        }
    }
}
