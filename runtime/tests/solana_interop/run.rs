//! Solana's `VersionedTransaction`s on a `Runtime`: fees, failures,
//! signature checks, batches, lookups, simulation, the documented example.

use super::*;

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
    v0_through(rt, limit, price, ixs, signers, &[])
}

/// A unit limit and a unit price, then `ixs`.
fn with_budget(
    limit: u32,
    price: u64,
    ixs: &[solana_instruction::Instruction],
) -> Vec<solana_instruction::Instruction> {
    let mut all = vec![
        ComputeBudgetInstruction::set_compute_unit_limit(limit),
        ComputeBudgetInstruction::set_compute_unit_price(price),
    ];
    all.extend_from_slice(ixs);
    all
}

/// [`v0_with_budget`], compiled through lookup `tables`.
fn v0_through(
    rt: &Runtime,
    limit: u32,
    price: u64,
    ixs: &[solana_instruction::Instruction],
    signers: &[&solana_keypair::Keypair],
    tables: &[AddressLookupTableAccount],
) -> VersionedTransaction {
    let all = with_budget(limit, price, ixs);
    let bh = rt.latest_blockhash().into_solana();
    let m = v0::Message::try_compile(&signers[0].pubkey(), &all, tables, bh).unwrap();
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
    // send_versioned and simulate_versioned refuse the v1 one alone the
    // same way.
    let sim = rt.simulate_versioned(&v1);
    assert_eq!(sim.result.status, Err(TransactionError::UnsupportedVersion));
    assert!(sim.post_accounts.is_empty());
    let r = rt.send_versioned(v1);
    assert_eq!(
        (r.status, r.fee),
        (Err(TransactionError::UnsupportedVersion), 0)
    );
}

/// An active lookup table account holding `addresses` (Solana's layout:
/// a 56-byte header, then the addresses), last extended in slot 0.
fn table_account(addresses: &[solana_pubkey::Pubkey]) -> Account {
    let mut data = vec![1, 0, 0, 0]; // the LookupTable variant
    data.extend_from_slice(&u64::MAX.to_le_bytes()); // not deactivated
    data.extend_from_slice(&0u64.to_le_bytes()); // last extended slot
    data.resize(56, 0); // start index, no authority, padding
    for a in addresses {
        data.extend_from_slice(a.as_array());
    }
    Account::with_data(10_000_000, data, &baton::ids::ADDRESS_LOOKUP_TABLE_PROGRAM)
}

#[test]
fn a_v0_transaction_through_a_lookup_table_runs_with_its_loaded_keys() {
    let (ixs, [a, b]) = two_transfers();
    let mut rt = funded_runtime(&[&a, &b]);
    // Both recipients come from the table, not the message's static keys.
    let table = AddressLookupTableAccount {
        key: sol_key(40),
        addresses: vec![sol_key(50), sol_key(21), sol_key(20)],
    };
    rt.set_account(table.key.into_baton(), table_account(&table.addresses))
        .unwrap();
    rt.warp_to_slot(10); // past the slot the entries were added in
    let tx = v0_through(
        &rt,
        20_000,
        1_000,
        &ixs,
        &[&a, &b],
        std::slice::from_ref(&table),
    );
    let VersionedMessage::V0(m) = &tx.message else {
        unreachable!("compiled as v0")
    };
    assert_eq!(m.address_table_lookups[0].writable_indexes, vec![2, 1]);
    assert!(!m.account_keys.contains(&sol_key(20)));

    // Baton's v0 compiler makes the same message from the same inputs.
    let baton_ixs: Vec<Instruction> = with_budget(20_000, 1_000, &ixs)
        .iter()
        .map(IntoBaton::into_baton)
        .collect();
    let ours = Message::try_compile_v0(
        &a.pubkey().into_baton(),
        &baton_ixs,
        &[(&table).into_baton()],
        &rt.latest_blockhash(),
    )
    .unwrap();
    assert_eq!(ours, Message::from_solana(m));

    let r = rt.send_versioned(tx);
    assert_eq!(r.status, Ok(()));
    assert_eq!(r.fee, agave_fee(2, 1_000, 20_000));
    assert_eq!(r.compute_units_consumed, 600);
    assert_eq!(rt.balance(&sol_key(20).into_baton()), 1_000_000);
    assert_eq!(rt.balance(&sol_key(21).into_baton()), 2_000_000);
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
fn the_documented_example_runs_and_is_the_examples_file() {
    example::main().unwrap();
    let readme = include_str!("../../../docs/embedding.md");
    let file = include_str!("../../examples/solana_v0.rs");
    // The example less its `//!` header is the page's block, verbatim.
    let body: String = file
        .lines()
        .skip_while(|l| l.starts_with("//!") || l.is_empty())
        .map(|l| format!("{l}\n"))
        .collect();
    let start = readme
        .find("use baton::solana::")
        .expect("docs/embedding.md shows the solana example");
    let block = &readme[start..];
    let block = &block[..block.find("```").unwrap()];
    assert_eq!(
        block, body,
        "docs/embedding.md's solana block != runtime/examples/solana_v0.rs"
    );
}
