//! The compute-budget program through the runtime, as Agave 4.2 applies it:
//! explicit limits and prices, SIMD-0170's default limits, the fee with its
//! prioritization part (checked against the payer and charged on failure),
//! and the refusals — duplicate kinds, malformed data, a bad heap size, a
//! zero data-size limit — that charge nothing.
#![allow(clippy::unwrap_used)]

use std::sync::Arc;

use baton::compute_budget::instruction::{
    request_heap_frame, set_compute_unit_limit, set_compute_unit_price,
    set_loaded_accounts_data_size_limit,
};
use baton::{
    compute_budget, ids, system, FeeDetails, Instruction, InstructionError, InvokeContext, Keypair,
    Program, Pubkey, Runtime, Transaction, TransactionError,
};

/// Consumes the little-endian u64 in its data, in compute units.
struct Burn;

const BURN: Pubkey = Pubkey::new_from_array([0xB0; 32]);

impl Program for Burn {
    fn process(&self, ctx: &InvokeContext<'_>, data: &[u8]) -> Result<(), InstructionError> {
        let units = u64::from_le_bytes(
            data.try_into()
                .map_err(|_| InstructionError::InvalidInstructionData)?,
        );
        ctx.consume_checked(units)
    }
}

fn burn(units: u64) -> Instruction {
    Instruction::new_with_bytes(BURN, &units.to_le_bytes(), vec![])
}

const START: u64 = 10_000_000;

fn setup() -> (Runtime, Keypair, Pubkey) {
    let mut rt = Runtime::new()
        .with_threads(2)
        .with_program(BURN, Arc::new(Burn));
    let alice = Keypair::from_seed(&[1; 32]);
    rt.airdrop(&alice.pubkey(), START).unwrap();
    (rt, alice, Pubkey::new_from_u64(2))
}

fn send(rt: &mut Runtime, ixs: &[Instruction], payer: &Keypair) -> baton::TransactionResult {
    let tx = Transaction::new_signed_with_payer(
        ixs,
        Some(&payer.pubkey()),
        &[payer],
        rt.latest_blockhash(),
    )
    .unwrap();
    rt.execute_batch(&[tx]).remove(0)
}

#[test]
fn the_program_is_a_reserved_builtin_at_its_id() {
    let (rt, _, _) = setup();
    assert_eq!(
        compute_budget::ID.to_string(),
        "ComputeBudget111111111111111111111111111111"
    );
    assert_eq!(compute_budget::ID, ids::COMPUTE_BUDGET_PROGRAM);
    assert!(ids::is_reserved(&compute_budget::ID));
    let account = rt.account(&compute_budget::ID).unwrap();
    assert!(account.executable);
    assert_eq!(account.owner, ids::NATIVE_LOADER);
}

#[test]
fn limit_and_price_set_the_fee_and_each_instruction_costs_150() {
    let (mut rt, alice, bob) = setup();
    let r = send(
        &mut rt,
        &[
            set_compute_unit_limit(10_000),
            set_compute_unit_price(2_500_001),
            system::instruction::transfer(&alice.pubkey(), &bob, 1_000_000),
        ],
        &alice,
    );
    assert_eq!(r.status, Ok(()));
    assert_eq!(r.compute_units_consumed, 450);
    // ceil(2,500,001 × 10,000 / 1,000,000) = ceil(25,000.01) = 25,001.
    let fees = FeeDetails {
        base_fee: 5_000,
        prioritization_fee: 25_001,
    };
    assert_eq!(r.fee_details, fees);
    assert_eq!(r.fee, 30_001);
    assert_eq!(rt.balance(&alice.pubkey()), START - 1_000_000 - 30_001);
    assert_eq!(rt.balance(&bob), 1_000_000);
    // Without a price, no prioritization fee.
    let r = send(&mut rt, &[set_compute_unit_limit(1_000), burn(10)], &alice);
    assert_eq!(
        (r.status, r.fee, r.fee_details.prioritization_fee),
        (Ok(()), 5_000, 0)
    );
    assert_eq!(r.compute_units_consumed, 160);
}

#[test]
fn a_failed_transaction_is_charged_the_total_fee() {
    let (mut rt, alice, bob) = setup();
    let r = send(
        &mut rt,
        &[
            set_compute_unit_price(1_000_000),
            system::instruction::transfer(&alice.pubkey(), &bob, 100 * START),
        ],
        &alice,
    );
    assert!(matches!(
        r.status,
        Err(TransactionError::InstructionError(1, _))
    ));
    // Default limit: two builtin instructions, 6,000 units: 6,000 lamports.
    assert_eq!(r.fee_details.prioritization_fee, 6_000);
    assert_eq!(r.fee, 11_000);
    assert_eq!(rt.balance(&alice.pubkey()), START - 11_000);
    assert_eq!(rt.balance(&bob), 0);
}

#[test]
fn the_payer_must_afford_the_total() {
    let (mut rt, _, bob) = setup();
    let poor = Keypair::from_seed(&[3; 32]);
    rt.airdrop(&poor.pubkey(), 20_000).unwrap();
    // 5,000 + ceil(1,000,000 × 16,000 / 1,000,000) = 21,000 > 20,000.
    let ixs = |limit| {
        [
            set_compute_unit_limit(limit),
            set_compute_unit_price(1_000_000),
            system::instruction::transfer(&poor.pubkey(), &bob, 0),
        ]
    };
    let r = send(&mut rt, &ixs(16_000), &poor);
    assert_eq!(r.status, Err(TransactionError::InsufficientFundsForFee));
    assert_eq!(r.fee, 0);
    assert_eq!(rt.balance(&poor.pubkey()), 20_000);
    // 5,000 + 15,000 = 20,000: exactly affordable; the payer is emptied.
    let r = send(&mut rt, &ixs(15_000), &poor);
    assert_eq!(r.status, Ok(()));
    assert_eq!(r.fee, 20_000);
    assert_eq!(rt.balance(&poor.pubkey()), 0);
}

#[test]
fn a_payer_left_below_rent_exemption_by_the_total_is_refused() {
    let (mut rt, _, bob) = setup();
    // A data-less payer just above the exemption minimum (890,880) for 0 bytes.
    let payer = Keypair::from_seed(&[4; 32]);
    rt.airdrop(&payer.pubkey(), 900_000).unwrap();
    let r = send(
        &mut rt,
        &[
            set_compute_unit_limit(10_000),
            set_compute_unit_price(1_000_000),
            system::instruction::transfer(&payer.pubkey(), &bob, 0),
        ],
        &payer,
    );
    // 900,000 − 15,000 < 890,880: rent-exempt to rent-paying.
    assert_eq!(
        r.status,
        Err(TransactionError::InsufficientFundsForRent { account_index: 0 })
    );
    assert_eq!(r.fee, 0);
    assert_eq!(rt.balance(&payer.pubkey()), 900_000);
}

#[test]
fn an_explicit_limit_bounds_the_meter() {
    let (mut rt, alice, _) = setup();
    // 150 for the compute-budget instruction, then the burn.
    let r = send(
        &mut rt,
        &[set_compute_unit_limit(1_150), burn(1_000)],
        &alice,
    );
    assert_eq!((r.status, r.compute_units_consumed), (Ok(()), 1_150));
    let r = send(
        &mut rt,
        &[set_compute_unit_limit(1_150), burn(1_001)],
        &alice,
    );
    assert_eq!(
        r.status,
        Err(TransactionError::InstructionError(
            1,
            InstructionError::ComputationalBudgetExceeded
        ))
    );
    assert_eq!((r.compute_units_consumed, r.fee), (1_150, 5_000));
    // A limit above 1,400,000 is capped.
    let r = send(
        &mut rt,
        &[set_compute_unit_limit(5_000_000), burn(1_399_850)],
        &alice,
    );
    assert_eq!((r.status, r.compute_units_consumed), (Ok(()), 1_400_000));
    let r = send(
        &mut rt,
        &[set_compute_unit_limit(5_000_000), burn(1_399_851)],
        &alice,
    );
    assert!(r.status.is_err());
}

#[test]
fn simd_0170_default_limits() {
    let (mut rt, alice, bob) = setup();
    // A non-builtin instruction alone: 200,000 units.
    let r = send(&mut rt, &[burn(200_000)], &alice);
    assert_eq!(r.status, Ok(()));
    let r = send(&mut rt, &[burn(200_001)], &alice);
    assert!(r.status.is_err());
    // With a builtin instruction beside it: 200,000 + 3,000.
    let transfer = system::instruction::transfer(&alice.pubkey(), &bob, 1_000_000);
    let r = send(&mut rt, &[transfer.clone(), burn(202_850)], &alice);
    assert_eq!((r.status, r.compute_units_consumed), (Ok(()), 203_000));
    let r = send(&mut rt, &[transfer, burn(202_851)], &alice);
    assert_eq!(
        r.status,
        Err(TransactionError::InstructionError(
            1,
            InstructionError::ComputationalBudgetExceeded
        ))
    );
    // Eight non-builtin instructions: capped at 1,400,000.
    let mut ixs = vec![burn(175_000); 7];
    ixs.push(burn(175_000 + 1));
    let r = send(&mut rt, &ixs, &alice);
    assert_eq!(r.compute_units_consumed, 1_400_000);
    assert!(r.status.is_err());
}

#[test]
fn bad_compute_budget_instructions_are_refused_uncharged() {
    let (mut rt, alice, bob) = setup();
    let transfer = system::instruction::transfer(&alice.pubkey(), &bob, 1_000_000);
    let malformed = Instruction::new_with_bytes(compute_budget::ID, &[2, 1], vec![]);
    let cases: Vec<(Vec<Instruction>, TransactionError)> = vec![
        (
            vec![
                set_compute_unit_limit(1),
                transfer.clone(),
                set_compute_unit_limit(2),
            ],
            TransactionError::DuplicateInstruction(2),
        ),
        (
            vec![set_compute_unit_price(1), set_compute_unit_price(1)],
            TransactionError::DuplicateInstruction(1),
        ),
        (
            vec![transfer.clone(), malformed],
            TransactionError::InstructionError(1, InstructionError::InvalidInstructionData),
        ),
        (
            vec![request_heap_frame(40_000), transfer.clone()],
            TransactionError::InstructionError(0, InstructionError::InvalidInstructionData),
        ),
        (
            vec![transfer.clone(), request_heap_frame(512 * 1024)],
            TransactionError::InstructionError(1, InstructionError::InvalidInstructionData),
        ),
        (
            vec![set_loaded_accounts_data_size_limit(0), transfer.clone()],
            TransactionError::InvalidLoadedAccountsDataSizeLimit,
        ),
    ];
    for (n, (ixs, err)) in cases.into_iter().enumerate() {
        let tx = Transaction::new_signed_with_payer(
            &ixs,
            Some(&alice.pubkey()),
            &[&alice],
            rt.latest_blockhash(),
        )
        .unwrap();
        let sim = rt.simulate_transaction(&tx);
        assert_eq!(sim.result.status, Err(err), "case {n} simulated");
        let r = rt.execute_batch(&[tx]).remove(0);
        assert_eq!(r.status, Err(err), "case {n}");
        assert_eq!((r.fee, r.compute_units_consumed), (0, 0), "case {n}");
        assert!(r.logs.is_empty(), "case {n}");
    }
    assert_eq!(rt.balance(&alice.pubkey()), START);
    assert_eq!(rt.balance(&bob), 0);
    // Valid requests of every kind together run.
    let r = send(
        &mut rt,
        &[
            request_heap_frame(64 * 1024),
            set_loaded_accounts_data_size_limit(1 << 20),
            set_compute_unit_limit(1_000),
            set_compute_unit_price(1_000),
            transfer,
        ],
        &alice,
    );
    assert_eq!(r.status, Ok(()));
    assert_eq!(r.compute_units_consumed, 750);
    assert_eq!(r.fee, 5_001);
}

#[test]
fn simulation_reports_the_fee_split() {
    let (rt, alice, bob) = setup();
    let tx = Transaction::new_signed_with_payer(
        &[
            set_compute_unit_price(10_000_000),
            system::instruction::transfer(&alice.pubkey(), &bob, 1_000_000),
        ],
        Some(&alice.pubkey()),
        &[&alice],
        rt.latest_blockhash(),
    )
    .unwrap();
    let sim = rt.simulate_transaction(&tx);
    assert_eq!(sim.result.status, Ok(()));
    // 6,000 units by default at 10 lamports a unit.
    assert_eq!(
        sim.result.fee_details,
        FeeDetails {
            base_fee: 5_000,
            prioritization_fee: 60_000
        }
    );
    assert_eq!(sim.post_accounts[0].1.lamports, START - 1_000_000 - 65_000);
    assert_eq!(rt.balance(&alice.pubkey()), START);
}

/// SIMD-0186's loaded size of `tx`: each existing account's data plus 64
/// bytes, and `extra` (programdata) bytes.
fn loaded_size(rt: &Runtime, tx: &Transaction, extra: u64) -> u64 {
    tx.message
        .account_keys
        .iter()
        .filter_map(|k| rt.account(k))
        .map(|a| a.data.len() as u64 + 64)
        .sum::<u64>()
        + extra
}

#[test]
fn the_loaded_accounts_data_size_limit_charges_the_fee_and_changes_nothing_else() {
    let (mut rt, alice, bob) = setup();
    // A data account the transfer names as an extra (ignored) account.
    let data_key = Pubkey::new_from_u64(500);
    rt.set_account(
        data_key,
        baton::Account {
            lamports: 1_000_000_000,
            data: vec![7; 10_000],
            owner: Pubkey::new_from_u64(501),
            executable: false,
            rent_epoch: 0,
        },
    )
    .unwrap();
    let build = |rt: &Runtime, limit: u32| {
        let mut transfer = system::instruction::transfer(&alice.pubkey(), &bob, 1_000_000);
        transfer
            .accounts
            .push(baton::AccountMeta::new_readonly(data_key, false));
        Transaction::new_signed_with_payer(
            &[set_loaded_accounts_data_size_limit(limit), transfer],
            Some(&alice.pubkey()),
            &[&alice],
            rt.latest_blockhash(),
        )
        .unwrap()
    };
    let size = loaded_size(&rt, &build(&rt, 1), 0);
    // Payer, system and compute-budget programs (their names as data,
    // `solana_system_program` and `compute_budget_program`), the data
    // account; bob does not exist yet and counts nothing.
    assert_eq!(size, 10_000 + 4 * 64 + 21 + 22);
    let size = u32::try_from(size).unwrap();
    // One byte short: loading fails after the fee payer was validated.
    let r = rt.execute_batch(&[build(&rt, size - 1)]).remove(0);
    assert_eq!(
        r.status,
        Err(TransactionError::MaxLoadedAccountsDataSizeExceeded)
    );
    assert_eq!((r.fee, r.compute_units_consumed), (5_000, 0));
    assert!(r.logs.is_empty());
    assert_eq!(rt.balance(&alice.pubkey()), START - 5_000);
    assert_eq!(rt.balance(&bob), 0);
    // Exactly the size: it runs.
    let r = rt.execute_batch(&[build(&rt, size)]).remove(0);
    assert_eq!(r.status, Ok(()));
    assert_eq!(rt.balance(&bob), 1_000_000);
}

#[test]
fn an_upgradeable_programs_programdata_counts_toward_the_size() {
    let (mut rt, alice, bob) = setup();
    let loader = Pubkey::from_str_const("BPFLoaderUpgradeab1e11111111111111111111111");
    let program = Pubkey::new_from_u64(600);
    let programdata = Pubkey::new_from_u64(601);
    let mut data = vec![2, 0, 0, 0];
    data.extend_from_slice(programdata.as_array());
    let account = |data: Vec<u8>| baton::Account {
        lamports: 1_000_000_000,
        data,
        owner: loader,
        executable: false,
        rent_epoch: 0,
    };
    rt.set_account(program, account(data)).unwrap();
    rt.set_account(programdata, account(vec![0; 5_000]))
        .unwrap();
    let build = |rt: &Runtime, limit: u32, with_programdata: bool| {
        let mut transfer = system::instruction::transfer(&alice.pubkey(), &bob, 1_000_000);
        transfer
            .accounts
            .push(baton::AccountMeta::new_readonly(program, false));
        if with_programdata {
            transfer
                .accounts
                .push(baton::AccountMeta::new_readonly(programdata, false));
        }
        Transaction::new_signed_with_payer(
            &[set_loaded_accounts_data_size_limit(limit), transfer],
            Some(&alice.pubkey()),
            &[&alice],
            rt.latest_blockhash(),
        )
        .unwrap()
    };
    // The programdata counts though the message does not name it ...
    let size = u32::try_from(loaded_size(&rt, &build(&rt, 1, false), 5_064)).unwrap();
    let r = rt.execute_batch(&[build(&rt, size - 1, false)]).remove(0);
    assert_eq!(
        r.status,
        Err(TransactionError::MaxLoadedAccountsDataSizeExceeded)
    );
    let r = rt.execute_batch(&[build(&rt, size, false)]).remove(0);
    assert_eq!(r.status, Ok(()));
    // ... and once when it does (bob, now created, counts too).
    let size = loaded_size(&rt, &build(&rt, 1, false), 5_064);
    assert_eq!(loaded_size(&rt, &build(&rt, 1, true), 0), size);
    let size = u32::try_from(size).unwrap();
    let r = rt.execute_batch(&[build(&rt, size - 1, true)]).remove(0);
    assert_eq!(
        r.status,
        Err(TransactionError::MaxLoadedAccountsDataSizeExceeded)
    );
    let r = rt.execute_batch(&[build(&rt, size, true)]).remove(0);
    assert_eq!(r.status, Ok(()));
}

#[test]
fn the_default_limit_is_64_mib() {
    let (mut rt, alice, bob) = setup();
    let big = |n: u64| Pubkey::new_from_u64(700 + n);
    for n in 0..7 {
        rt.set_account(
            big(n),
            baton::Account {
                lamports: 1_000_000_000,
                data: vec![0; baton::types::MAX_PERMITTED_DATA_LENGTH],
                owner: Pubkey::new_from_u64(799),
                executable: false,
                rent_epoch: 0,
            },
        )
        .unwrap();
    }
    let send_with = |rt: &mut Runtime, n: u64| {
        let mut transfer = system::instruction::transfer(&alice.pubkey(), &bob, 1_000_000);
        for k in 0..n {
            transfer
                .accounts
                .push(baton::AccountMeta::new_readonly(big(k), false));
        }
        send(rt, &[transfer], &alice)
    };
    // Six 10 MiB accounts: 60 MiB and change, under 64 MiB.
    assert_eq!(send_with(&mut rt, 6).status, Ok(()));
    // Seven: 70 MiB.
    let r = send_with(&mut rt, 7);
    assert_eq!(
        r.status,
        Err(TransactionError::MaxLoadedAccountsDataSizeExceeded)
    );
    assert_eq!(r.fee, 5_000);
    assert_eq!(rt.balance(&bob), 1_000_000);
}
