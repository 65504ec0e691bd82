//! The `lookups` suite: v0 transactions that load accounts through address
//! lookup tables, the tables among the starting accounts (active, extended
//! this slot, deactivating, deactivated, frozen, foreign-owned, malformed,
//! missing).

use rand::Rng;
use rand_chacha::ChaCha8Rng;
use solana_clock::Clock;
use solana_instruction::{AccountMeta, Instruction};
use solana_keypair::Keypair;
use solana_message::{AddressLookupTableAccount, VersionedMessage};
use solana_pubkey::Pubkey;
use solana_signer::Signer;
use solana_system_interface::instruction as sys;
use solana_transaction::versioned::VersionedTransaction;

use crate::build::{cb, keypair, pubkey, sign, system_account, transaction, TableState, Version};
use crate::fixture::Scenario;
use crate::harness::{agave_slot_hashes, fees_only, Harness};

const TABLE_LAMPORTS: u64 = 10_000_000;

pub fn scenarios(rng: &mut ChaCha8Rng) -> Vec<Scenario> {
    (0..3).map(|i| scenario(i, rng.gen())).collect()
}

struct Tables {
    /// Key and addresses of each table a transaction may name.
    a: AddressLookupTableAccount,
    extended_now: AddressLookupTableAccount,
    deactivated: AddressLookupTableAccount,
    deactivating: AddressLookupTableAccount,
    deactivated_now: AddressLookupTableAccount,
    frozen: AddressLookupTableAccount,
    foreign: AddressLookupTableAccount,
    malformed: AddressLookupTableAccount,
    missing: AddressLookupTableAccount,
}

fn scenario(i: usize, seed: u64) -> Scenario {
    use rand::SeedableRng;
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut h = Harness::new(&format!("lookups/{i}"), true);
    let slot = h.svm.get_sysvar::<Clock>().slot;
    h.start_slot_hashes(agave_slot_hashes(slot));
    let payer = keypair(&mut rng);
    h.set(
        payer.pubkey(),
        system_account(rng.gen_range(1_000_000_000..9_000_000_000), u64::MAX),
    );
    let others: Vec<Pubkey> = (0..8).map(|_| pubkey(&mut rng)).collect();
    for o in &others[..5] {
        h.set(
            *o,
            system_account(rng.gen_range(1_000_000..900_000_000), u64::MAX),
        );
    }
    let auth = pubkey(&mut rng);
    let table = |h: &mut Harness, rng: &mut ChaCha8Rng, st: TableState, owner: Option<Pubkey>| {
        let key = pubkey(rng);
        let mut acct = st.account(TABLE_LAMPORTS);
        if let Some(o) = owner {
            acct.owner = o;
        }
        h.set(key, acct);
        AddressLookupTableAccount {
            key,
            addresses: st.addresses,
        }
    };
    let active = |addresses: Vec<Pubkey>| TableState {
        deactivation_slot: u64::MAX,
        last_extended_slot: slot - 10,
        last_extended_slot_start_index: 0,
        authority: Some(auth),
        addresses,
    };
    let mut a_addrs = others.clone();
    a_addrs.push(solana_sdk_ids::sysvar::clock::id());
    let a = table(&mut h, &mut rng, active(a_addrs), None);
    let extended_now = table(
        &mut h,
        &mut rng,
        TableState {
            last_extended_slot: slot,
            last_extended_slot_start_index: 2,
            ..active(others[..4].to_vec())
        },
        None,
    );
    let deactivated = table(
        &mut h,
        &mut rng,
        TableState {
            deactivation_slot: slot - 1_000,
            ..active(others[..4].to_vec())
        },
        None,
    );
    let deactivating = table(
        &mut h,
        &mut rng,
        TableState {
            deactivation_slot: slot - 5,
            ..active(others[2..6].to_vec())
        },
        None,
    );
    let deactivated_now = table(
        &mut h,
        &mut rng,
        TableState {
            deactivation_slot: slot,
            ..active(others[..3].to_vec())
        },
        None,
    );
    let frozen = table(
        &mut h,
        &mut rng,
        TableState {
            authority: None,
            ..active(others[4..8].to_vec())
        },
        None,
    );
    let foreign = table(
        &mut h,
        &mut rng,
        active(others[..2].to_vec()),
        Some(solana_sdk_ids::system_program::id()),
    );
    let malformed = {
        let key = pubkey(&mut rng);
        let mut acct = active(Vec::new()).account(TABLE_LAMPORTS);
        acct.data = vec![7; 10];
        h.set(key, acct);
        AddressLookupTableAccount {
            key,
            addresses: others[..2].to_vec(),
        }
    };
    let missing = AddressLookupTableAccount {
        key: pubkey(&mut rng),
        addresses: others[..2].to_vec(),
    };
    let t = Tables {
        a,
        extended_now,
        deactivated,
        deactivating,
        deactivated_now,
        frozen,
        foreign,
        malformed,
        missing,
    };
    steps(&mut h, &mut rng, &payer, &others, &t);
    h.finish()
}

fn steps(h: &mut Harness, rng: &mut ChaCha8Rng, payer: &Keypair, others: &[Pubkey], t: &Tables) {
    let bh = h.svm.latest_blockhash();
    let p = payer.pubkey();
    let v0 = |ixs: &[Instruction], tables: &[AddressLookupTableAccount]| {
        transaction(Version::V0, ixs, &p, &[payer], bh, tables)
    };
    let small = rng.gen_range(1_000..100_000);
    let mut cases: Vec<(&str, VersionedTransaction)> = vec![
        (
            "transfer",
            v0(
                &[sys::transfer(&p, &others[0], small)],
                std::slice::from_ref(&t.a),
            ),
        ),
        (
            "transfers-priced",
            v0(
                &[
                    cb::price(rng.gen_range(1..5_000_000)),
                    sys::transfer(&p, &others[0], small),
                    sys::transfer(&p, &others[1], small + 1),
                ],
                std::slice::from_ref(&t.a),
            ),
        ),
        (
            "create-by-transfer",
            v0(
                &[sys::transfer(&p, &others[6], 1_000_000)],
                std::slice::from_ref(&t.a),
            ),
        ),
        (
            "below-rent-new-account",
            v0(
                &[sys::transfer(&p, &others[7], 10)],
                std::slice::from_ref(&t.a),
            ),
        ),
        (
            "too-much",
            v0(
                &[sys::transfer(&p, &others[2], u64::MAX / 4)],
                std::slice::from_ref(&t.a),
            ),
        ),
        (
            "readonly-lookup",
            v0(
                &[{
                    let mut ix = sys::transfer(&p, &others[0], small);
                    ix.accounts
                        .push(AccountMeta::new_readonly(others[3], false));
                    ix
                }],
                std::slice::from_ref(&t.a),
            ),
        ),
        (
            "writable-sysvar-demoted",
            v0(
                &[{
                    let mut ix = sys::transfer(&p, &others[0], small);
                    ix.accounts
                        .push(AccountMeta::new(solana_sdk_ids::sysvar::clock::id(), false));
                    ix
                }],
                std::slice::from_ref(&t.a),
            ),
        ),
        (
            "extended-this-slot-usable",
            v0(
                &[sys::transfer(&p, &others[1], small)],
                std::slice::from_ref(&t.extended_now),
            ),
        ),
        (
            "extended-this-slot-not-yet",
            v0(
                &[sys::transfer(&p, &others[3], small)],
                std::slice::from_ref(&t.extended_now),
            ),
        ),
        (
            "deactivated",
            v0(
                &[sys::transfer(&p, &others[0], small)],
                std::slice::from_ref(&t.deactivated),
            ),
        ),
        (
            "deactivating",
            v0(
                &[sys::transfer(&p, &others[2], small)],
                std::slice::from_ref(&t.deactivating),
            ),
        ),
        (
            "deactivated-this-slot",
            v0(
                &[sys::transfer(&p, &others[1], small)],
                std::slice::from_ref(&t.deactivated_now),
            ),
        ),
        (
            "frozen",
            v0(
                &[sys::transfer(&p, &others[5], small)],
                std::slice::from_ref(&t.frozen),
            ),
        ),
        (
            "foreign-owner",
            v0(
                &[sys::transfer(&p, &others[0], small)],
                std::slice::from_ref(&t.foreign),
            ),
        ),
        (
            "malformed",
            v0(
                &[sys::transfer(&p, &others[0], small)],
                std::slice::from_ref(&t.malformed),
            ),
        ),
        (
            "missing",
            v0(
                &[sys::transfer(&p, &others[0], small)],
                std::slice::from_ref(&t.missing),
            ),
        ),
        (
            "two-tables",
            v0(
                &[
                    sys::transfer(&p, &others[0], small),
                    sys::transfer(&p, &others[5], small),
                ],
                &[t.a.clone(), t.frozen.clone()],
            ),
        ),
    ];
    // An index past the table's end.
    let past_end = {
        let tx = v0(
            &[sys::transfer(&p, &others[0], small)],
            std::slice::from_ref(&t.a),
        );
        let mut msg = tx.message.clone();
        if let VersionedMessage::V0(m) = &mut msg {
            m.address_table_lookups[0].writable_indexes[0] = 200;
        }
        sign(msg, &[payer])
    };
    cases.push(("index-past-end", past_end));
    for (name, tx) in cases {
        h.tx(name, &["v0-lookups"], &tx);
    }
    // The loaded-data limit at what the accounts and the table take, and
    // one byte below (fees-only in Agave; LiteSVM charges nothing).
    let with_limit = |limit: u32| {
        v0(
            &[cb::data_size(limit), sys::transfer(&p, &others[4], 77)],
            std::slice::from_ref(&t.a),
        )
    };
    let size = loaded_size(h, &with_limit(1));
    h.tx(
        "data-size-exact",
        &["v0-lookups", "cb-data-size"],
        &with_limit(size),
    );
    let tx = with_limit(size - 1);
    let pre = h.pre_state(&tx);
    h.tx_agave(
        "data-size-exact-minus-1",
        &["v0-lookups", "fees-only"],
        &tx,
        "LiteSVM charges nothing when loading fails after the fee payer was validated; \
         Agave charges the fee (fees-only) and changes nothing else",
        |_, _, fee| fees_only(&pre, &p, fee, "MaxLoadedAccountsDataSizeExceeded"),
    );
}

/// The loaded size LiteSVM counts: 8,248 bytes per lookup table, then 64
/// bytes plus the data of every account named that exists.
fn loaded_size(h: &Harness, tx: &VersionedTransaction) -> u32 {
    let tables = tx
        .message
        .address_table_lookups()
        .map_or(0, |l| l.len() as u32);
    let accounts: u32 = h
        .keys_of(tx)
        .iter()
        .map(|k| h.svm.get_account(k).map_or(0, |a| 64 + a.data.len() as u32))
        .sum();
    tables * 8_248 + accounts
}
