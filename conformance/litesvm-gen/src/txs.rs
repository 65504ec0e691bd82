//! The `transactions` suite: seeded scenarios of system-program
//! transactions, legacy and v0 without lookups, with and without
//! compute-budget instructions and priority fees, succeeding and failing;
//! and the scenarios where LiteSVM departs from Agave (marked).

use rand::seq::SliceRandom;
use rand::Rng;
use rand_chacha::ChaCha8Rng;
use solana_hash::Hash;
use solana_instruction::{AccountMeta, Instruction};
use solana_keypair::Keypair;
use solana_signer::Signer;
use solana_system_interface::instruction as sys;
use solana_transaction::versioned::VersionedTransaction;

use crate::build::{cb, keypair, pubkey, system_account, transaction, Version};
use crate::fixture::Scenario;
use crate::harness::{fees_only, Harness};

const RENT_MIN_0: u64 = 890_880;

const EARLY_BUDGET_ERRORS: &str = "Agave reads the compute-budget instructions when it builds \
     the transaction (RuntimeTransaction): a repeated one (DuplicateInstruction) or one that \
     does not decode fails it there, before the blockhash check; LiteSVM checks the blockhash \
     first";

struct World {
    rng: ChaCha8Rng,
    payers: Vec<Keypair>,
    others: Vec<Keypair>,
    poor: Keypair,
    blockhash: Hash,
    /// Transactions sent so far (to resend one).
    sent: Vec<VersionedTransaction>,
}

/// The scenarios of the suite: `count` random ones of `steps` transactions
/// each, then the marked ones.
pub fn scenarios(rng: &mut ChaCha8Rng, count: usize, steps: usize) -> Vec<Scenario> {
    let mut out = Vec::new();
    for i in 0..count {
        let seed: u64 = rng.gen();
        out.push(random_scenario(&format!("random/{i:03}"), seed, steps));
    }
    out.push(fees_only_scenario(rng.gen()));
    out.push(sigverify_off_replay(rng.gen()));
    out
}

fn world(h: &mut Harness, seed: u64) -> World {
    use rand::SeedableRng;
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let payers: Vec<Keypair> = (0..3).map(|_| keypair(&mut rng)).collect();
    let others: Vec<Keypair> = (0..5).map(|_| keypair(&mut rng)).collect();
    let poor = keypair(&mut rng);
    for p in &payers {
        let lamports = rng.gen_range(20_000_000..5_000_000_000);
        h.set(p.pubkey(), system_account(lamports, u64::MAX));
    }
    for o in &others {
        if rng.gen_bool(0.6) {
            let lamports = rng.gen_range(RENT_MIN_0..2_000_000_000);
            // Some start with rent epoch 0: a writable rent-exempt account
            // is loaded with u64::MAX.
            let epoch = if rng.gen_bool(0.5) { u64::MAX } else { 0 };
            h.set(o.pubkey(), system_account(lamports, epoch));
        }
    }
    let poor_lamports = *[1u64, 4_999, 5_000, RENT_MIN_0 + 4_999]
        .choose(&mut rng)
        .unwrap_or(&1);
    h.set(poor.pubkey(), system_account(poor_lamports, u64::MAX));
    let blockhash = h.svm.latest_blockhash();
    World {
        rng,
        payers,
        others,
        poor,
        blockhash,
        sent: Vec::new(),
    }
}

/// Compute-budget instructions: none, or a random mix; returns them and tags.
fn budget(rng: &mut ChaCha8Rng) -> (Vec<Instruction>, Vec<&'static str>) {
    let mut ixs = Vec::new();
    let mut tags = Vec::new();
    if rng.gen_bool(0.35) {
        return (ixs, vec!["no-cb"]);
    }
    if rng.gen_bool(0.6) {
        let units = *[
            0u32, 150, 300, 449, 450, 1_000, 3_000, 200_000, 1_400_000, 1_500_000,
        ]
        .choose(rng)
        .unwrap_or(&200_000);
        ixs.push(cb::limit(units));
        tags.push("cb-limit");
    }
    if rng.gen_bool(0.6) {
        let price = *[0u64, 1, 999, 1_000_000, 7_777_777, 1_000_000_000]
            .choose(rng)
            .unwrap_or(&1);
        ixs.push(cb::price(price));
        tags.push("cb-price");
    }
    if rng.gen_bool(0.15) {
        let bytes = *[
            32 * 1024u32,
            64 * 1024,
            256 * 1024,
            1_000,
            33 * 1024,
            512 * 1024,
        ]
        .choose(rng)
        .unwrap_or(&(32 * 1024));
        ixs.push(cb::heap(bytes));
        tags.push("cb-heap");
    }
    if rng.gen_bool(0.15) {
        let bytes = *[0u32, 10_000, 64 * 1024 * 1024, 100 * 1024 * 1024]
            .choose(rng)
            .unwrap_or(&10_000);
        ixs.push(cb::data_size(bytes));
        tags.push("cb-data-size");
    }
    if rng.gen_bool(0.05) && !ixs.is_empty() {
        // The same instruction twice: DuplicateInstruction.
        let dup = ixs[0].clone();
        ixs.push(dup);
        tags.push("cb-duplicate");
    }
    ixs.shuffle(rng);
    if ixs.is_empty() {
        tags.push("no-cb");
    }
    (ixs, tags)
}

fn amount(rng: &mut ChaCha8Rng) -> u64 {
    match rng.gen_range(0..5) {
        0 => rng.gen_range(1..10_000),
        1 => RENT_MIN_0 - 1,
        2 => RENT_MIN_0,
        3 => rng.gen_range(1_000_000..100_000_000),
        _ => rng.gen_range(100_000_000..3_000_000_000),
    }
}

fn random_scenario(name: &str, seed: u64, steps: usize) -> Scenario {
    let mut h = Harness::new(name, true);
    let mut w = world(&mut h, seed);
    for step in 0..steps {
        let version = if w.rng.gen_bool(0.5) {
            Version::Legacy
        } else {
            Version::V0
        };
        let kind = w.rng.gen_range(0..100);
        let payer = w.payers.choose(&mut w.rng).map(|k| k.insecure_clone());
        let payer = payer.unwrap_or_else(|| keypair(&mut w.rng));
        let other = w.others.choose(&mut w.rng).map(|k| k.insecure_clone());
        let other = other.unwrap_or_else(|| keypair(&mut w.rng));
        let (mut ixs, mut tags) = budget(&mut w.rng);
        tags.insert(0, version.tag());
        let mut signers: Vec<Keypair> = vec![payer.insecure_clone()];
        let mut fee_payer = payer.pubkey();
        let mut blockhash = w.blockhash;
        let mut corrupt = false;
        let label;
        match kind {
            0..=29 => {
                label = "transfer";
                ixs.push(sys::transfer(
                    &payer.pubkey(),
                    &other.pubkey(),
                    amount(&mut w.rng),
                ));
            }
            30..=39 => {
                label = "transfers";
                for _ in 0..w.rng.gen_range(2..4) {
                    let to = w.others.choose(&mut w.rng).map(|k| k.pubkey());
                    let to = to.unwrap_or_default();
                    ixs.push(sys::transfer(&payer.pubkey(), &to, amount(&mut w.rng)));
                }
            }
            40..=44 => {
                label = "transfer-from-other";
                ixs.push(sys::transfer(
                    &other.pubkey(),
                    &payer.pubkey(),
                    amount(&mut w.rng),
                ));
                signers.push(other.insecure_clone());
            }
            45..=54 => {
                label = "create-account";
                let new = keypair(&mut w.rng);
                let space = *[0u64, 1, 165, 10_240].choose(&mut w.rng).unwrap_or(&0);
                let min = 6_960 * (128 + space);
                let lamports = if w.rng.gen_bool(0.8) { min } else { min - 1 };
                let owner = if w.rng.gen_bool(0.5) {
                    pubkey(&mut w.rng)
                } else {
                    solana_sdk_ids::system_program::id()
                };
                let target = if w.rng.gen_bool(0.85) {
                    new.insecure_clone()
                } else {
                    other
                };
                ixs.push(sys::create_account(
                    &payer.pubkey(),
                    &target.pubkey(),
                    lamports,
                    space,
                    &owner,
                ));
                signers.push(target);
            }
            55..=59 => {
                label = "assign-allocate";
                if w.rng.gen_bool(0.5) {
                    ixs.push(sys::assign(&other.pubkey(), &pubkey(&mut w.rng)));
                } else {
                    ixs.push(sys::allocate(&other.pubkey(), w.rng.gen_range(0..300)));
                }
                signers.push(other);
            }
            60..=64 => {
                label = "too-much";
                ixs.push(sys::transfer(
                    &payer.pubkey(),
                    &other.pubkey(),
                    u64::MAX / 2,
                ));
            }
            65..=69 => {
                label = "poor-payer";
                fee_payer = w.poor.pubkey();
                signers = vec![w.poor.insecure_clone()];
                ixs.push(sys::transfer(&w.poor.pubkey(), &other.pubkey(), 1));
            }
            70..=73 => {
                label = "unknown-payer";
                let ghost = keypair(&mut w.rng);
                fee_payer = ghost.pubkey();
                ixs.push(sys::transfer(&ghost.pubkey(), &other.pubkey(), 1));
                signers = vec![ghost];
            }
            74..=77 => {
                label = "unknown-blockhash";
                let mut b = [0u8; 32];
                w.rng.fill(&mut b);
                blockhash = Hash::new_from_array(b);
                ixs.push(sys::transfer(&payer.pubkey(), &other.pubkey(), 1));
            }
            78..=81 => {
                label = "bad-signature";
                corrupt = true;
                ixs.push(sys::transfer(&payer.pubkey(), &other.pubkey(), 1));
            }
            82..=87 if !w.sent.is_empty() => {
                let tx = w.sent.choose(&mut w.rng).cloned();
                if let Some(tx) = tx {
                    h.tx(&format!("{step:02}/resend"), &["resend"], &tx);
                }
                continue;
            }
            88..=93 => {
                label = "memo-like-unknown-account";
                // A transfer naming an extra read-only account that does not exist.
                let mut ix = sys::transfer(&payer.pubkey(), &other.pubkey(), 1_000);
                ix.accounts
                    .push(AccountMeta::new_readonly(pubkey(&mut w.rng), false));
                ixs.push(ix);
            }
            _ => {
                label = "transfer-self";
                ixs.push(sys::transfer(
                    &payer.pubkey(),
                    &payer.pubkey(),
                    amount(&mut w.rng),
                ));
            }
        }
        let refs: Vec<&Keypair> = signers.iter().collect();
        let mut tx = transaction(version, &ixs, &fee_payer, &refs, blockhash, &[]);
        if corrupt {
            let mut sig = tx.signatures[0].as_ref().to_vec();
            sig[7] ^= 0x40;
            let arr: [u8; 64] = sig.try_into().unwrap_or([0u8; 64]);
            tx.signatures[0] = solana_signature::Signature::from(arr);
        }
        tags.push(label);
        let name = format!("{step:02}/{label}");
        let out = if label == "unknown-blockhash" && tags.contains(&"cb-duplicate") {
            // Agave refuses a repeated compute-budget instruction when it
            // builds the transaction, before looking at the blockhash.
            h.tx_agave(&name, &tags, &tx, EARLY_BUDGET_ERRORS, |h, _, _| {
                h.run_on_copy_with(&tx, |svm| {
                    *svm = std::mem::take(svm).with_blockhash_check(false);
                })
                .0
            })
        } else {
            h.tx(&name, &tags, &tx)
        };
        if out.status != "BlockhashNotFound" && out.status != "SignatureFailure" {
            w.sent.push(tx);
        }
    }
    h.finish()
}

/// Transactions that fail to load after the fee payer was validated:
/// Agave charges the fee (fees-only); LiteSVM charges nothing.
fn fees_only_scenario(seed: u64) -> Scenario {
    let mut h = Harness::new("marked/fees-only", true);
    let mut w = world(&mut h, seed);
    let payer = w.payers[0].insecure_clone();
    let to = w.others[0].pubkey();
    let bh = w.blockhash;
    let reason = "LiteSVM charges nothing when loading fails after the fee payer was \
                  validated; Agave charges the fee (fees-only) and changes nothing else";
    let cases: Vec<(&str, Vec<Instruction>, &str)> = vec![
        (
            "missing-program",
            vec![Instruction::new_with_bytes(
                pubkey(&mut w.rng),
                &[1, 2, 3],
                vec![],
            )],
            "ProgramAccountNotFound",
        ),
        (
            "missing-program-after-transfer",
            vec![
                sys::transfer(&payer.pubkey(), &to, 5),
                Instruction::new_with_bytes(
                    pubkey(&mut w.rng),
                    &[],
                    vec![AccountMeta::new(to, false)],
                ),
            ],
            "ProgramAccountNotFound",
        ),
        (
            "non-executable-program",
            vec![Instruction::new_with_bytes(to, &[], vec![])],
            "InvalidProgramForExecution",
        ),
        (
            "data-size-limit-100",
            vec![cb::data_size(100), sys::transfer(&payer.pubkey(), &to, 5)],
            "MaxLoadedAccountsDataSizeExceeded",
        ),
        (
            "data-size-limit-1",
            vec![
                cb::data_size(1),
                cb::price(5_000),
                sys::transfer(&payer.pubkey(), &to, 5),
            ],
            "MaxLoadedAccountsDataSizeExceeded",
        ),
    ];
    for (i, (name, ixs, status)) in cases.into_iter().enumerate() {
        let version = if i % 2 == 0 {
            Version::Legacy
        } else {
            Version::V0
        };
        let tx = transaction(version, &ixs, &payer.pubkey(), &[&payer], bh, &[]);
        let pre = h.pre_state(&tx);
        let p = payer.pubkey();
        h.tx_agave(
            name,
            &[version.tag(), "fees-only"],
            &tx,
            reason,
            |_, _, fee| fees_only(&pre, &p, fee, status),
        );
    }
    // The loaded-data limit at the size the accounts take, and one below.
    for (i, delta) in [0u32, 1].into_iter().enumerate() {
        let ixs_for = |limit: u32| {
            vec![
                cb::data_size(limit),
                sys::transfer(&payer.pubkey(), &to, 7 + i as u64),
            ]
        };
        let probe = transaction(
            Version::Legacy,
            &ixs_for(1),
            &payer.pubkey(),
            &[&payer],
            bh,
            &[],
        );
        let size = loaded_size(&h, &probe);
        let tx = transaction(
            Version::Legacy,
            &ixs_for(size - delta),
            &payer.pubkey(),
            &[&payer],
            bh,
            &[],
        );
        let name = format!("data-size-limit-exact-minus-{delta}");
        if delta == 0 {
            h.tx(&name, &["legacy", "cb-data-size"], &tx);
        } else {
            let pre = h.pre_state(&tx);
            let p = payer.pubkey();
            h.tx_agave(&name, &["legacy", "fees-only"], &tx, reason, |_, _, fee| {
                fees_only(&pre, &p, fee, "MaxLoadedAccountsDataSizeExceeded")
            });
        }
    }
    h.finish()
}

/// The loaded size LiteSVM counts for `tx`: 64 bytes plus the data of
/// every account that exists (SIMD-0186).
fn loaded_size(h: &Harness, tx: &VersionedTransaction) -> u32 {
    tx.message
        .static_account_keys()
        .iter()
        .map(|k| h.svm.get_account(k).map_or(0, |a| 64 + a.data.len() as u32))
        .sum()
}

/// With signature checks off LiteSVM skips its history check, so the same
/// transaction runs again; Agave refuses it (`AlreadyProcessed`).
fn sigverify_off_replay(seed: u64) -> Scenario {
    let mut h = Harness::new("marked/sigverify-off-replay", false);
    let w = world(&mut h, seed);
    let payer = &w.payers[1];
    let to = w.others[1].pubkey();
    let bh = w.blockhash;
    let reason = "with signature checks off LiteSVM skips its history check and runs the \
                  transaction again; Agave refuses a processed signature (AlreadyProcessed)";
    for (i, version) in [Version::Legacy, Version::V0].into_iter().enumerate() {
        let ixs = vec![
            cb::price(10_000 * (i as u64 + 1)),
            sys::transfer(&payer.pubkey(), &to, 1_000_000),
        ];
        let tx = transaction(version, &ixs, &payer.pubkey(), &[payer], bh, &[]);
        h.tx(
            &format!("first-{}", version.tag()),
            &[version.tag(), "ok"],
            &tx,
        );
        let pre = h.pre_state(&tx);
        h.tx_agave(
            &format!("again-{}", version.tag()),
            &[version.tag(), "replay"],
            &tx,
            reason,
            |_, _, _| crate::fixture::Outcome {
                status: "AlreadyProcessed".into(),
                fee: 0,
                compute_units: 0,
                logs: Vec::new(),
                accounts: pre,
            },
        );
    }
    h.finish()
}
