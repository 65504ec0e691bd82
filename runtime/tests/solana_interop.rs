//! solana-sdk interop (feature `solana`): every conversion both ways, the
//! wire bytes and signatures of Solana-built transactions kept through
//! Baton (legacy, v0, v0 with address table lookups), and Solana's
//! `VersionedTransaction`s — a v0 one compiled by solana-message with
//! compute-budget instructions — running on Baton with Agave's fee.
#![cfg(feature = "solana")]
#![allow(clippy::unwrap_used)]

use baton::solana::{
    ConversionError, FromBaton, FromSolana, IntoBaton, IntoSolana, TryFromBaton, TryFromSolana,
    TryIntoBaton, TryIntoSolana,
};
use baton::{
    system, Account, AccountMeta, CompiledInstruction, Hash, Instruction, InstructionError,
    Keypair, Message, MessageAddressTableLookup, MessageHeader, MessageVersion, Pubkey, Runtime,
    Signature, Transaction, TransactionError,
};
use solana_account::AccountSharedData;
use solana_compute_budget_interface::ComputeBudgetInstruction;
use solana_message::{legacy, v0, v1, AddressLookupTableAccount, VersionedMessage};
use solana_signer::Signer;
use solana_transaction::versioned::VersionedTransaction;

// The README's solana-sdk example, run as it is (tests/README check below).
#[path = "../examples/solana_v0.rs"]
mod example;

fn sol_keypair(n: u8) -> solana_keypair::Keypair {
    solana_keypair::Keypair::new_from_array([n; 32])
}

fn sol_key(n: u8) -> solana_pubkey::Pubkey {
    solana_pubkey::Pubkey::new_from_array([n; 32])
}

/// Solana's own encoding of a transaction.
fn solana_bytes(tx: &VersionedTransaction) -> Vec<u8> {
    wincode::serialize(tx).unwrap()
}

/// Solana's own encoding of a legacy transaction.
fn solana_legacy_bytes(tx: &solana_transaction::Transaction) -> Vec<u8> {
    wincode::serialize(tx).unwrap()
}

#[test]
fn keys_hashes_and_signatures_keep_their_bytes_both_ways() {
    let key = sol_key(3);
    let baton_key: Pubkey = key.into_baton();
    assert_eq!(baton_key, Pubkey::new_from_array([3; 32]));
    assert_eq!(solana_pubkey::Pubkey::from_baton(baton_key), key);
    assert_eq!(Pubkey::from_solana(&key), baton_key);

    let hash = solana_hash::Hash::new_from_array([4; 32]);
    let baton_hash = Hash::from_solana(&hash);
    assert_eq!(baton_hash, Hash([4; 32]));
    assert_eq!(solana_hash::Hash::from_baton(&baton_hash), hash);

    let sig = solana_signature::Signature::from([5; 64]);
    let baton_sig: Signature = (&sig).into_baton();
    assert_eq!(baton_sig, Signature([5; 64]));
    let back: solana_signature::Signature = baton_sig.into_solana();
    assert_eq!(back, sig);
}

#[test]
fn keypairs_carry_the_same_signer_both_ways() {
    let solana = sol_keypair(6);
    let baton = Keypair::from_solana(&solana);
    assert_eq!(baton.pubkey(), solana.pubkey().into_baton());
    let msg = b"one message";
    assert_eq!(
        baton.sign(msg),
        solana.sign_message(msg).into_baton(),
        "ed25519 signatures are deterministic: the same key signs the same bytes"
    );
    let back = solana_keypair::Keypair::from_baton(&Keypair::from_seed(&[8; 32]));
    assert_eq!(
        back.pubkey(),
        Keypair::from_seed(&[8; 32]).pubkey().into_solana()
    );
}

#[test]
fn instructions_and_account_metas_convert_field_for_field() {
    let (from, to) = (sol_key(1), sol_key(2));
    let solana = solana_system_interface::instruction::transfer(&from, &to, 42);
    let baton: Instruction = (&solana).into_baton();
    // Baton's own builder makes the same instruction.
    assert_eq!(
        baton,
        system::instruction::transfer(&from.into_baton(), &to.into_baton(), 42)
    );
    assert_eq!(solana_instruction::Instruction::from_baton(&baton), solana);
    let back: solana_instruction::Instruction = baton.clone().into_solana();
    assert_eq!(back, solana);
    assert_eq!(Instruction::from_solana(solana.clone()), baton);

    for (signer, writable) in [(false, false), (false, true), (true, false), (true, true)] {
        let meta = solana_instruction::AccountMeta {
            pubkey: sol_key(9),
            is_signer: signer,
            is_writable: writable,
        };
        let b = AccountMeta::from_solana(&meta);
        assert_eq!(
            (b.pubkey, b.is_signer, b.is_writable),
            (Pubkey([9; 32]), signer, writable)
        );
        assert_eq!(solana_instruction::AccountMeta::from_baton(b), meta);
    }
}

#[test]
fn accounts_convert_with_every_field() {
    let solana = solana_account::Account {
        lamports: 1_234,
        data: vec![1, 2, 3],
        owner: sol_key(7),
        executable: true,
        rent_epoch: u64::MAX,
    };
    let baton: Account = (&solana).into_baton();
    assert_eq!(
        (
            baton.lamports,
            &baton.data[..],
            baton.owner,
            baton.executable,
            baton.rent_epoch
        ),
        (1_234, &[1, 2, 3][..], Pubkey([7; 32]), true, u64::MAX)
    );
    assert_eq!(solana_account::Account::from_baton(&baton), solana);
    assert_eq!(Account::from_solana(solana.clone()), baton);

    let shared = AccountSharedData::from(solana.clone());
    assert_eq!(Account::from_solana(&shared), baton);
    let shared_back: AccountSharedData = baton.clone().into_solana();
    assert_eq!(shared_back, shared);
    assert_eq!(AccountSharedData::from_baton(&baton), shared);
}

#[test]
fn message_parts_convert_both_ways() {
    let header = solana_message::MessageHeader {
        num_required_signatures: 2,
        num_readonly_signed_accounts: 1,
        num_readonly_unsigned_accounts: 3,
    };
    let b = MessageHeader::from_solana(&header);
    assert_eq!(
        (
            b.num_required_signatures,
            b.num_readonly_signed_accounts,
            b.num_readonly_unsigned_accounts
        ),
        (2, 1, 3)
    );
    assert_eq!(solana_message::MessageHeader::from_baton(b), header);

    let ix = solana_message::compiled_instruction::CompiledInstruction {
        program_id_index: 4,
        accounts: vec![0, 1, 2],
        data: vec![9, 9],
    };
    let b = CompiledInstruction::from_solana(&ix);
    assert_eq!(
        (b.program_id_index, &b.accounts[..], &b.data[..]),
        (4, &[0, 1, 2][..], &[9, 9][..])
    );
    let back: solana_message::compiled_instruction::CompiledInstruction = b.into_solana();
    assert_eq!(back, ix);

    let lookup = v0::MessageAddressTableLookup {
        account_key: sol_key(11),
        writable_indexes: vec![0, 3],
        readonly_indexes: vec![1],
    };
    let b = MessageAddressTableLookup::from_solana(&lookup);
    assert_eq!(
        b,
        MessageAddressTableLookup {
            account_key: Pubkey([11; 32]),
            writable_indexes: vec![0, 3],
            readonly_indexes: vec![1],
        }
    );
    assert_eq!(v0::MessageAddressTableLookup::from_baton(b), lookup);
}

fn blockhash() -> solana_hash::Hash {
    solana_hash::Hash::new_from_array([0xAB; 32])
}

/// Two signers (a payer and a second one), a transfer each.
fn two_transfers() -> (
    Vec<solana_instruction::Instruction>,
    [solana_keypair::Keypair; 2],
) {
    let (a, b) = (sol_keypair(1), sol_keypair(2));
    let ixs = vec![
        solana_system_interface::instruction::transfer(&a.pubkey(), &sol_key(20), 1_000_000),
        solana_system_interface::instruction::transfer(&b.pubkey(), &sol_key(21), 2_000_000),
    ];
    (ixs, [a, b])
}

/// A Solana transaction and its Baton conversion: same signatures, same
/// wire bytes both ways, and back to the same Solana transaction.
fn assert_byte_exact(solana: &VersionedTransaction) -> Transaction {
    let baton = Transaction::try_from_solana(solana).unwrap();
    let bytes = solana_bytes(solana);
    assert_eq!(baton.to_bytes(), bytes, "Baton's encoding is Solana's");
    assert_eq!(Transaction::from_bytes(&bytes).unwrap(), baton);
    let decoded: VersionedTransaction = wincode::deserialize(&baton.to_bytes()).unwrap();
    assert_eq!(&decoded, solana);
    let sigs: Vec<Signature> = solana
        .signatures
        .iter()
        .map(IntoBaton::into_baton)
        .collect();
    assert_eq!(baton.signatures, sigs);
    // The signatures are over the same message bytes, so Baton accepts them.
    assert_eq!(baton.message.serialize(), solana.message.serialize());
    assert_eq!(baton::types::signing::verify_transaction(&baton), Ok(()));
    assert_eq!(
        VersionedTransaction::try_from_baton(&baton).unwrap(),
        *solana
    );
    baton
}

#[test]
fn legacy_transactions_keep_their_bytes_and_signatures() {
    let (ixs, [a, b]) = two_transfers();
    let solana = solana_transaction::Transaction::new_signed_with_payer(
        &ixs,
        Some(&a.pubkey()),
        &[&a, &b],
        blockhash(),
    );
    let baton: Transaction = (&solana).into_baton();
    assert_eq!(baton.message.version, MessageVersion::Legacy);
    assert_eq!(baton.to_bytes(), solana_legacy_bytes(&solana));
    // Baton's compiler orders keys as Solana's: the same message.
    let ours = Message::new_with_blockhash(
        &ixs.iter()
            .map(IntoBaton::into_baton)
            .collect::<Vec<Instruction>>(),
        Some(&a.pubkey().into_baton()),
        &blockhash().into_baton(),
    );
    assert_eq!(baton.message, ours);
    assert_eq!(
        solana_transaction::Transaction::try_from_baton(&baton).unwrap(),
        solana
    );
    assert_eq!(baton.clone().try_into_solana(), Ok(solana.clone()));

    // The same transaction as a VersionedTransaction.
    let versioned = VersionedTransaction::from(solana);
    let again = assert_byte_exact(&versioned);
    assert_eq!(again, baton);
}

#[test]
fn v0_transactions_without_lookups_keep_their_bytes_and_signatures() {
    let (ixs, [a, b]) = two_transfers();
    let m = v0::Message::try_compile(&a.pubkey(), &ixs, &[], blockhash()).unwrap();
    assert!(m.address_table_lookups.is_empty());
    let solana = VersionedTransaction::try_new(VersionedMessage::V0(m.clone()), &[&a, &b]).unwrap();
    let baton = assert_byte_exact(&solana);
    assert_eq!(baton.message.version, MessageVersion::V0);
    assert_eq!(Message::from_solana(&m), baton.message);
    assert_eq!(v0::Message::try_from_baton(&baton.message), Ok(m));
}

#[test]
fn v0_transactions_with_lookups_keep_them_faithfully() {
    let (ixs, [a, b]) = two_transfers();
    // Two tables: the first holds both recipients, the second a read-only
    // account that the transfers name as an extra read-only meta.
    let mut ixs = ixs;
    ixs[1]
        .accounts
        .push(solana_instruction::AccountMeta::new_readonly(
            sol_key(30),
            false,
        ));
    let tables = [
        AddressLookupTableAccount {
            key: sol_key(40),
            addresses: vec![sol_key(50), sol_key(21), sol_key(20)],
        },
        AddressLookupTableAccount {
            key: sol_key(41),
            addresses: vec![sol_key(30)],
        },
    ];
    let m = v0::Message::try_compile(&a.pubkey(), &ixs, &tables, blockhash()).unwrap();
    assert_eq!(m.address_table_lookups.len(), 2, "both tables are used");
    let solana = VersionedTransaction::try_new(VersionedMessage::V0(m.clone()), &[&a, &b]).unwrap();
    let baton = assert_byte_exact(&solana);

    let lookups = &baton.message.address_table_lookups;
    assert_eq!(lookups[0].account_key, Pubkey([40; 32]));
    assert_eq!(lookups[0].writable_indexes, vec![2, 1]);
    assert!(lookups[0].readonly_indexes.is_empty());
    assert_eq!(lookups[1].account_key, Pubkey([41; 32]));
    assert_eq!(lookups[1].readonly_indexes, vec![0]);
    assert_eq!(baton.message.num_lookup_keys(), 3);
    // The instructions index past the static keys, into the loaded ones.
    let statics = baton.message.account_keys.len() as u8;
    assert!(baton
        .message
        .instructions
        .iter()
        .any(|ix| ix.accounts.iter().any(|&i| i >= statics)));
    assert_eq!(v0::Message::try_from_baton(&baton.message), Ok(m));
}

#[test]
fn conversions_solana_cannot_or_baton_does_not_represent_fail_by_name() {
    let (ixs, [a, _]) = two_transfers();
    // A v1 message: Baton runs legacy and v0 only.
    let v1 = v1::Message::try_compile_with_config(
        &a.pubkey(),
        &ixs[..1],
        blockhash(),
        v1::TransactionConfig::empty(),
    )
    .unwrap();
    let v1 = VersionedMessage::V1(v1);
    let err = Message::try_from_solana(&v1).unwrap_err();
    assert_eq!(err, ConversionError::UnsupportedVersion { version: 1 });
    assert!(err.to_string().contains("version v1"), "{err}");
    let tx = VersionedTransaction {
        signatures: vec![solana_signature::Signature::from([1; 64])],
        message: v1,
    };
    let converted: Result<Transaction, _> = tx.try_into_baton();
    assert_eq!(
        converted,
        Err(ConversionError::UnsupportedVersion { version: 1 })
    );

    let legacy_msg = Message::new(
        &[system::instruction::transfer(
            &Pubkey([1; 32]),
            &Pubkey([2; 32]),
            1,
        )],
        Some(&Pubkey([1; 32])),
    );
    // A legacy Baton message with lookups: no Solana message holds that.
    let mut odd = legacy_msg.clone();
    odd.address_table_lookups
        .push(MessageAddressTableLookup::default());
    let err = VersionedMessage::try_from_baton(&odd).unwrap_err();
    assert_eq!(err, ConversionError::LookupsInLegacyMessage { count: 1 });
    assert!(err.to_string().contains("lookups (1 given)"), "{err}");
    // Each Solana format takes only its own.
    let err = v0::Message::try_from_baton(&legacy_msg).unwrap_err();
    assert_eq!(
        err,
        ConversionError::WrongVersion {
            wanted: "v0",
            found: "legacy"
        }
    );
    assert!(err
        .to_string()
        .contains("a legacy message cannot become a Solana v0 message"));
    let v0_msg = legacy_msg.into_v0(Vec::new());
    let err = legacy::Message::try_from_baton(&v0_msg).unwrap_err();
    assert_eq!(
        err,
        ConversionError::WrongVersion {
            wanted: "legacy",
            found: "v0"
        }
    );
    let tx = Transaction::new_unsigned(v0_msg);
    assert!(solana_transaction::Transaction::try_from_baton(tx.clone()).is_err());
    assert!(VersionedTransaction::try_from_baton(tx).is_ok());
}

const START: u64 = 1_000_000_000;

fn funded_runtime(keys: &[&solana_keypair::Keypair]) -> Runtime {
    let mut rt = Runtime::new().with_threads(2);
    for k in keys {
        rt.airdrop(&k.pubkey().into_baton(), START).unwrap();
    }
    rt
}

/// A v0 transaction from solana-message's compiler: a unit limit, a unit
/// price and `ixs`, paid by the first signer.
fn v0_with_budget(
    rt: &Runtime,
    limit: u32,
    price: u64,
    ixs: &[solana_instruction::Instruction],
    signers: &[&solana_keypair::Keypair],
) -> VersionedTransaction {
    let mut all = vec![
        ComputeBudgetInstruction::set_compute_unit_limit(limit),
        ComputeBudgetInstruction::set_compute_unit_price(price),
    ];
    all.extend_from_slice(ixs);
    let bh = rt.latest_blockhash().into_solana();
    let m = v0::Message::try_compile(&signers[0].pubkey(), &all, &[], bh).unwrap();
    VersionedTransaction::try_new(VersionedMessage::V0(m), signers).unwrap()
}

/// Agave's fee: 5,000 per signature plus ceil(price × limit / 1,000,000).
fn agave_fee(signatures: u64, price: u64, limit: u64) -> u64 {
    5_000 * signatures + (price * limit).div_ceil(1_000_000)
}

#[test]
fn a_v0_transaction_with_compute_budget_runs_with_agaves_fee() {
    let (ixs, [a, b]) = two_transfers();
    let mut rt = funded_runtime(&[&a, &b]);
    // 333 micro-lamports × 20,000 units = 6.66 lamports: rounded up to 7.
    let tx = v0_with_budget(&rt, 20_000, 333, &ixs, &[&a, &b]);
    let r = rt.send_versioned(tx.clone());
    assert_eq!(r.status, Ok(()));
    assert_eq!(r.fee, agave_fee(2, 333, 20_000));
    assert_eq!(r.fee, 10_007);
    assert_eq!(
        (r.fee_details.base_fee, r.fee_details.prioritization_fee),
        (10_000, 7)
    );
    // Two compute-budget instructions and two transfers, 150 units each.
    assert_eq!(r.compute_units_consumed, 600);
    assert_eq!(r.signature, tx.signatures[0].into_baton());
    assert_eq!(
        rt.balance(&a.pubkey().into_baton()),
        START - 1_000_000 - 10_007
    );
    assert_eq!(rt.balance(&b.pubkey().into_baton()), START - 2_000_000);
    assert_eq!(rt.balance(&sol_key(20).into_baton()), 1_000_000);
    assert_eq!(rt.balance(&sol_key(21).into_baton()), 2_000_000);

    // Sent again: the signature history refuses it, charging nothing.
    let again = rt.send_versioned(tx);
    assert_eq!(again.status, Err(TransactionError::AlreadyProcessed));
    assert_eq!(again.fee, 0);
}

#[test]
fn a_failing_v0_transaction_is_charged_its_fee_and_changes_nothing_else() {
    let a = sol_keypair(1);
    let mut rt = funded_runtime(&[&a]);
    let too_much =
        solana_system_interface::instruction::transfer(&a.pubkey(), &sol_key(20), START * 2);
    let tx = v0_with_budget(&rt, 1_000, 1_000_000, &[too_much], &[&a]);
    let r = rt.send_versioned(tx);
    assert_eq!(
        r.status,
        Err(TransactionError::InstructionError(
            2,
            InstructionError::Custom(1)
        ))
    );
    assert_eq!(r.fee, agave_fee(1, 1_000_000, 1_000));
    assert_eq!(rt.balance(&a.pubkey().into_baton()), START - 6_000);
    assert_eq!(rt.balance(&sol_key(20).into_baton()), 0);
}

#[test]
fn a_forged_signature_is_refused_by_batons_checks() {
    let a = sol_keypair(1);
    let mut rt = funded_runtime(&[&a]);
    let ix = solana_system_interface::instruction::transfer(&a.pubkey(), &sol_key(20), 1);
    let mut tx = v0_with_budget(&rt, 1_000, 0, &[ix], &[&a]);
    tx.signatures[0] = solana_signature::Signature::from([7; 64]);
    let r = rt.send_versioned(tx);
    assert_eq!(r.status, Err(TransactionError::SignatureFailure));
    assert_eq!((r.fee, rt.balance(&a.pubkey().into_baton())), (0, START));
}

#[test]
fn a_batch_of_versioned_transactions_runs_in_order_and_refuses_v1() {
    let (a, b) = (sol_keypair(1), sol_keypair(2));
    let mut rt = funded_runtime(&[&a, &b]);
    // (Solana's Hash is Copy only with some features: no clone, no move.)
    let bh = || -> solana_hash::Hash { rt.latest_blockhash().into_solana() };
    let pay = |from: &solana_keypair::Keypair, to: u8, lamports: u64| {
        solana_system_interface::instruction::transfer(&from.pubkey(), &sol_key(to), lamports)
    };
    // The first transaction funds a third signer, who pays in the third.
    let carol = sol_keypair(3);
    let legacy =
        VersionedTransaction::from(solana_transaction::Transaction::new_signed_with_payer(
            &[solana_system_interface::instruction::transfer(
                &a.pubkey(),
                &carol.pubkey(),
                100_000_000,
            )],
            Some(&a.pubkey()),
            &[&a],
            bh(),
        ));
    let v1 = v1::Message::try_compile_with_config(
        &b.pubkey(),
        &[pay(&b, 21, 1)],
        bh(),
        v1::TransactionConfig::empty(),
    )
    .unwrap();
    let v1 = VersionedTransaction::try_new(VersionedMessage::V1(v1), &[&b]).unwrap();
    let v0 = v0_with_budget(&rt, 5_000, 2_000, &[pay(&carol, 22, 50_000_000)], &[&carol]);

    let results = rt.execute_batch_versioned(&[legacy.clone(), v1.clone(), v0.clone()]);
    assert_eq!(results.len(), 3);
    assert_eq!(results[0].status, Ok(()));
    assert_eq!(results[0].fee, 5_000);
    assert_eq!(results[1].status, Err(TransactionError::UnsupportedVersion));
    assert_eq!(
        (results[1].fee, results[1].signature),
        (0, v1.signatures[0].into_baton())
    );
    assert_eq!(results[2].status, Ok(()));
    assert_eq!(results[2].fee, agave_fee(1, 2_000, 5_000));
    assert_eq!(rt.balance(&b.pubkey().into_baton()), START);
    assert_eq!(rt.balance(&sol_key(22).into_baton()), 50_000_000);
    assert_eq!(
        rt.balance(&carol.pubkey().into_baton()),
        100_000_000 - 50_000_000 - agave_fee(1, 2_000, 5_000)
    );
    // send_versioned refuses the v1 one alone the same way.
    let r = rt.send_versioned(v1);
    assert_eq!(
        (r.status, r.fee),
        (Err(TransactionError::UnsupportedVersion), 0)
    );
}

#[test]
fn a_simulated_versioned_transaction_changes_nothing() {
    let a = sol_keypair(1);
    let mut rt = funded_runtime(&[&a]);
    let ix = solana_system_interface::instruction::transfer(&a.pubkey(), &sol_key(20), 1_000_000);
    let tx = v0_with_budget(&rt, 1_000, 10_000, &[ix], &[&a]);
    let sim = rt.simulate_versioned(&tx);
    assert_eq!(sim.result.status, Ok(()));
    assert_eq!(sim.result.fee, agave_fee(1, 10_000, 1_000));
    assert_eq!(rt.balance(&sol_key(20).into_baton()), 0);
    // Sent for real afterwards, it gives the simulated result.
    assert_eq!(rt.send_versioned(tx), sim.result);
}

#[test]
fn the_readme_example_runs_and_is_the_examples_file() {
    example::main().unwrap();
    let readme = include_str!("../../README.md");
    let file = include_str!("../examples/solana_v0.rs");
    // The example less its `//!` header is the README's block, verbatim.
    let body: String = file
        .lines()
        .skip_while(|l| l.starts_with("//!") || l.is_empty())
        .map(|l| format!("{l}\n"))
        .collect();
    let start = readme
        .find("use baton::solana::")
        .expect("the README shows the solana example");
    let block = &readme[start..];
    let block = &block[..block.find("```").unwrap()];
    assert_eq!(
        block, body,
        "README's solana block != runtime/examples/solana_v0.rs"
    );
}
