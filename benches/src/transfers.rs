//! The system-transfer workloads: `uniform-transfers` (and its `v0-alt`
//! variant), `zipf-transfers` and `hot-account`.

use baton::compute_budget::instruction::{set_compute_unit_limit, set_compute_unit_price};
use baton::sdk::address_lookup_table::{self as alt, LookupTableMeta};
use baton::types::AddressLookupTableAccount;
use baton::{system, Account, Message};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;

use crate::{build_all, distinct_pair, funded, key, sign, signers, tx_rng, Params, Workload, Zipf};

/// Units a `v0-alt` transaction asks for: its transfer (150) and its two
/// compute-budget instructions (150 each).
const V0_ALT_UNIT_LIMIT: u32 = 450;
/// Its unit price, micro-lamports: a prioritization fee of 1 lamport.
const V0_ALT_UNIT_PRICE: u64 = 1_000;

/// `uniform-transfers`: system transfers between two distinct accounts
/// drawn uniformly from `accounts` funded accounts; the sender pays. With
/// `v0_alt`, each is a v0 message whose recipient is loaded from an
/// address lookup table (table `t` holds accounts `256t..256t+255`), with
/// a unit limit and a unit price.
pub fn uniform_transfers(p: &Params, v0_alt: bool) -> Workload {
    let n = p.accounts.max(2);
    let mut rng = ChaCha8Rng::seed_from_u64(p.seed);
    let plan: Vec<(usize, usize, u64)> = (0..p.txs)
        .map(|_| {
            let (from, to) = distinct_pair(&mut rng, n);
            (from, to, rng.gen_range(1..1_000))
        })
        .collect();
    if v0_alt {
        return transfers_through_tables(p, n, &plan);
    }
    transfers(
        p,
        n,
        &plan,
        "uniform-transfers",
        "uniform-transfers".into(),
        format!("system transfers between two of {n} funded accounts drawn uniformly"),
    )
}

/// The `v0-alt` variant of `uniform-transfers`: the same plan, each
/// transfer a v0 message that loads its recipient from the lookup table
/// holding it, with [`V0_ALT_UNIT_LIMIT`] and [`V0_ALT_UNIT_PRICE`].
fn transfers_through_tables(p: &Params, n: usize, plan: &[(usize, usize, u64)]) -> Workload {
    let (keys, kps) = signers(n, p);
    let tables: Vec<AddressLookupTableAccount> = keys
        .chunks(alt::MAX_ADDRESSES)
        .enumerate()
        .map(|(t, addresses)| AddressLookupTableAccount {
            key: key(2, t),
            addresses: addresses.to_vec(),
        })
        .collect();
    let table_accounts = tables.iter().map(|t| {
        let data = LookupTableMeta::active(None, 0).encode(&t.addresses);
        let account = Account {
            lamports: baton::Rent::default().minimum_balance(data.len()),
            data,
            owner: alt::ID,
            executable: false,
            rent_epoch: 0,
        };
        (t.key, account)
    });
    let txs = plan
        .par_iter()
        .enumerate()
        .map(|(i, &(from, to, lamports))| {
            let ixs = [
                set_compute_unit_limit(V0_ALT_UNIT_LIMIT),
                set_compute_unit_price(V0_ALT_UNIT_PRICE),
                system::instruction::transfer(&keys[from], &keys[to], lamports),
            ];
            let table = std::slice::from_ref(&tables[to / alt::MAX_ADDRESSES]);
            // The table holds the recipient, which is neither a signer
            // nor a program: compiling cannot fail.
            let message = Message::try_compile_v0(&keys[from], &ixs, table, &p.blockhash)
                .unwrap_or_else(|_| {
                    Message::new_with_blockhash(&ixs, Some(&keys[from]), &p.blockhash)
                });
            sign(message, kps[from].as_ref(), &mut tx_rng(p, i))
        })
        .collect();
    Workload {
        blockhash_age: p.blockhash_age,
        name: "uniform-transfers",
        label: "uniform-transfers v0-alt".into(),
        description: format!(
            "system transfers between two of {n} funded accounts drawn uniformly, each a v0 \
             message loading its recipient from one of {} lookup tables, with a unit limit \
             and price",
            tables.len()
        ),
        accounts: funded(&keys).chain(table_accounts).collect(),
        programs: Vec::new(),
        txs,
    }
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
        blockhash_age: p.blockhash_age,
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
        blockhash_age: p.blockhash_age,
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
        let w = uniform_transfers(&params(10), false);
        assert_eq!(w.accounts.len(), 10);
        assert!(w.programs.is_empty());
        for tx in &w.txs {
            let ix = &tx.message.instructions[0];
            assert_eq!(ix.accounts.len(), 2);
            assert_ne!(ix.accounts[0], ix.accounts[1]);
        }
    }

    #[test]
    fn v0_alt_transfers_load_their_recipient_and_run() {
        let p = Params {
            txs: 300,
            ..params(600)
        };
        let w = uniform_transfers(&p, true);
        // 600 payers and 3 tables.
        assert_eq!(w.accounts.len(), 603);
        for tx in &w.txs {
            let m = &tx.message;
            assert_eq!(m.address_table_lookups.len(), 1);
            assert_eq!(m.address_table_lookups[0].writable_indexes.len(), 1);
            // Payer, system and compute-budget programs are static.
            assert_eq!(m.account_keys.len(), 3);
        }
        let legacy = uniform_transfers(&p, false);
        let mut rt = w.runtime(2, false).unwrap();
        let results = rt.execute_batch(&w.txs);
        assert!(results.iter().all(|r| r.status.is_ok()), "{:?}", results[0]);
        // The same transfers as the legacy variant, each with a
        // prioritization fee of 1 lamport.
        assert!(results.iter().all(|r| r.fee == 5_001));
        let mut legacy_rt = legacy.runtime(2, false).unwrap();
        legacy_rt.execute_batch(&legacy.txs);
        for (k, _) in legacy.accounts.iter().take(600) {
            let paid = |rt: &baton::Runtime| rt.balance(k);
            let fees = w
                .txs
                .iter()
                .filter(|t| t.message.account_keys[0] == *k)
                .count() as u64;
            assert_eq!(paid(&rt) + fees, paid(&legacy_rt), "{k}");
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
