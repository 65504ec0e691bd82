//! The embedder's conveniences (issue 21): LiteSVM's sysvar, clock, rent
//! and simulation calls, Mollusk's checks on one instruction, and
//! `process_instruction` refusing an instruction whose accounts were not
//! all given.
#![allow(clippy::unwrap_used)]

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::Arc;

use baton::prelude::*;
use baton::{ids, system, CheckFailure, Clock, InstructionOutcome, Rent, TransactionError};

/// Moves the lamports in its data (u64 LE) from account 0 to account 1 by
/// a call to the system program: a nested transfer.
struct Forward;

impl Program for Forward {
    fn process(&self, ctx: &InvokeContext<'_>, data: &[u8]) -> Result<(), InstructionError> {
        let amount = u64::from_le_bytes(
            data.try_into()
                .map_err(|_| InstructionError::InvalidInstructionData)?,
        );
        let from = *ctx.instruction_account_key(0)?;
        let to = *ctx.instruction_account_key(1)?;
        msg!(ctx, "forwarding {amount}");
        ctx.invoke(&system::instruction::transfer(&from, &to, amount))?;
        ctx.set_return_data(&amount.to_le_bytes())
    }
}

/// Stores the Clock sysvar's slot and timestamp as its return data.
struct ReadClock;

impl Program for ReadClock {
    fn process(&self, ctx: &InvokeContext<'_>, _data: &[u8]) -> Result<(), InstructionError> {
        let clock = ctx.clock();
        let mut out = clock.slot.to_le_bytes().to_vec();
        out.extend_from_slice(&clock.unix_timestamp.to_le_bytes());
        ctx.set_return_data(&out)
    }
}

const FORWARD: Pubkey = Pubkey::new_from_array([21; 32]);
const READ_CLOCK: Pubkey = Pubkey::new_from_array([22; 32]);

fn runtime() -> Runtime {
    Runtime::new()
        .with_threads(1)
        .with_program(FORWARD, Arc::new(Forward))
        .with_program(READ_CLOCK, Arc::new(ReadClock))
}

fn forward(payer: &Pubkey, to: &Pubkey, amount: u64) -> Instruction {
    Instruction::new_with_bytes(
        FORWARD,
        &amount.to_le_bytes(),
        vec![
            AccountMeta::new(*payer, true),
            AccountMeta::new(*to, false),
            AccountMeta::new_readonly(ids::SYSTEM_PROGRAM, false),
        ],
    )
}

fn system_account(lamports: u64) -> Account {
    Account::new(lamports, 0, &ids::SYSTEM_PROGRAM)
}

// ----- item 7: an instruction account missing from the given accounts -----

#[test]
fn a_nested_transfer_to_a_recipient_not_given_is_missing_account_naming_it() {
    let rt = runtime();
    let payer = Pubkey::new_unique();
    let recipient = Pubkey::new_unique();
    let given = [(payer, system_account(1_000_000))];
    let out = rt.process_instruction(&forward(&payer, &recipient, 400_000), &given);
    assert_eq!(out.result, Err(InstructionError::MissingAccount));
    // Nothing ran: the payer is not debited, no units are consumed.
    assert_eq!(out.accounts, given.to_vec());
    assert_eq!(out.compute_units_consumed, 0);
    assert_eq!(out.logs.len(), 1);
    assert!(
        out.logs[0].contains(&recipient.to_string()),
        "log names the key: {:?}",
        out.logs
    );
    assert!(out.logs[0].contains("account 1 "), "{:?}", out.logs);
}

#[test]
fn the_missing_account_log_is_written_with_log_collection_off() {
    let rt = runtime().with_log_collection(false);
    let payer = Pubkey::new_unique();
    let recipient = Pubkey::new_unique();
    let out = rt.process_instruction(&forward(&payer, &recipient, 1), &[]);
    assert_eq!(out.result, Err(InstructionError::MissingAccount));
    assert!(out.logs[0].contains(&payer.to_string()), "{:?}", out.logs);
}

#[test]
fn a_nested_transfer_with_every_account_given_moves_lamports_and_lists_both() {
    let rt = runtime();
    let payer = Pubkey::new_unique();
    let recipient = Pubkey::new_unique();
    // The system program, named by the instruction, is the runtime's own:
    // it need not be given, and is not listed in the outcome.
    let out = rt.process_instruction(
        &forward(&payer, &recipient, 400_000),
        &[
            (payer, system_account(1_000_000)),
            (recipient, Account::default()),
        ],
    );
    assert_eq!(out.result, Ok(()));
    assert_eq!(out.accounts.len(), 2);
    assert_eq!(out.account(&payer).unwrap().lamports, 600_000);
    assert_eq!(out.account(&recipient).unwrap().lamports, 400_000);
    assert_eq!(out.account(&ids::SYSTEM_PROGRAM), None);
}

#[test]
fn a_sysvar_named_but_not_given_is_read_from_the_runtime() {
    let mut rt = runtime();
    rt.warp_to_slot(77);
    let ix = Instruction::new_with_bytes(
        READ_CLOCK,
        &[],
        vec![AccountMeta::new_readonly(ids::SYSVAR_CLOCK, false)],
    );
    let out = rt.process_instruction(&ix, &[]);
    assert_eq!(out.result, Ok(()));
    assert!(out.accounts.is_empty());
    let (_, data) = out.return_data.unwrap();
    assert_eq!(data[..8], 77u64.to_le_bytes());
}

// ----- item 6: checks -----

fn transfer_case() -> (Instruction, [(Pubkey, Account); 2], Pubkey, Pubkey) {
    let payer = Pubkey::new_unique();
    let recipient = Pubkey::new_unique();
    (
        forward(&payer, &recipient, 400_000),
        [
            (payer, system_account(1_000_000)),
            (recipient, Account::default()),
        ],
        payer,
        recipient,
    )
}

#[test]
fn every_check_passes_on_a_matching_outcome() {
    let rt = runtime();
    let (ix, accounts, payer, recipient) = transfer_case();
    let units = rt
        .process_instruction(&ix, &accounts)
        .compute_units_consumed;
    assert!(units > 0);
    let out = rt.process_and_validate_instruction(
        &ix,
        &accounts,
        &[
            Check::success(),
            Check::compute_units(units),
            Check::return_data(&400_000u64.to_le_bytes()),
            Check::account(&payer).lamports(600_000).build(),
            Check::account(&recipient)
                .lamports(400_000)
                .data(&[])
                .owner(&ids::SYSTEM_PROGRAM)
                .executable(false)
                .space(0)
                .build(),
        ],
    );
    assert_eq!(out.account(&recipient).unwrap().lamports, 400_000);
    // A Result instead of a panic, for the same checks.
    assert_eq!(
        rt.validate_outcome(
            &out,
            &[
                Check::success(),
                Check::account(&payer).lamports(600_000).into()
            ]
        ),
        Ok(())
    );
}

fn failure(rt: &Runtime, out: &InstructionOutcome, check: Check) -> (CheckFailure, String) {
    let f = rt.validate_outcome(out, &[check]).unwrap_err();
    let s = f.to_string();
    (f, s)
}

#[test]
fn a_failed_check_names_itself_and_both_values() {
    let rt = runtime();
    let (ix, accounts, payer, recipient) = transfer_case();
    let out = rt.process_instruction(&ix, &accounts);

    let (f, s) = failure(&rt, &out, Check::err(InstructionError::MissingAccount));
    assert_eq!(
        f,
        CheckFailure::Result {
            expected: Err(InstructionError::MissingAccount),
            actual: Ok(())
        }
    );
    assert!(s.contains("result") && s.contains("MissingAccount") && s.contains("Ok(())"));

    let (f, s) = failure(&rt, &out, Check::compute_units(1));
    assert_eq!(
        f,
        CheckFailure::ComputeUnits {
            expected: 1,
            actual: out.compute_units_consumed
        }
    );
    assert!(s.contains("compute units: expected 1, got"), "{s}");

    let (_, s) = failure(&rt, &out, Check::account(&payer).lamports(1).build());
    assert_eq!(
        s,
        format!("check failed: account {payer}: lamports: expected 1, got 600000")
    );

    let (_, s) = failure(&rt, &out, Check::account(&recipient).data(&[1, 2]).build());
    assert_eq!(
        s,
        format!(
            "check failed: account {recipient}: data: differ at byte 0: \
             expected 2 bytes [0102], got 0 bytes []"
        )
    );

    let (_, s) = failure(
        &rt,
        &out,
        Check::account(&recipient).owner(&FORWARD).build(),
    );
    assert!(s.contains(&format!(
        "owner: expected {FORWARD}, got {}",
        ids::SYSTEM_PROGRAM
    )));

    let (_, s) = failure(
        &rt,
        &out,
        Check::account(&recipient).executable(true).build(),
    );
    assert!(s.ends_with("executable: expected true, got false"), "{s}");

    let (_, s) = failure(&rt, &out, Check::account(&recipient).space(8).build());
    assert!(s.ends_with("space: expected 8 bytes, got 0"), "{s}");

    let (_, s) = failure(&rt, &out, Check::account(&payer).closed().build());
    assert!(s.ends_with("got 600000 lamports and 0 bytes"), "{s}");

    let (f, _) = failure(&rt, &out, Check::account(&recipient).rent_exempt().build());
    assert_eq!(
        f,
        CheckFailure::NotRentExempt {
            key: recipient,
            lamports: 400_000,
            data_len: 0,
            minimum: rt.minimum_balance_for_rent_exemption(0),
        }
    );

    let stranger = Pubkey::new_unique();
    let (f, _) = failure(&rt, &out, Check::account(&stranger).lamports(0).build());
    assert_eq!(f, CheckFailure::AccountNotFound { key: stranger });

    let (_, s) = failure(&rt, &out, Check::return_data(b"no"));
    assert!(
        s.starts_with(
            "check failed: return data: differ at byte 0: expected 2 bytes [6e6f], got 8 bytes"
        ),
        "{s}"
    );
}

#[test]
fn checks_run_in_order_and_the_first_failure_is_reported() {
    let rt = runtime();
    let (ix, accounts, payer, _) = transfer_case();
    let out = rt.process_instruction(&ix, &accounts);
    let f = rt
        .validate_outcome(
            &out,
            &[
                Check::success(),
                Check::account(&payer).lamports(5).build(),
                Check::compute_units(0),
            ],
        )
        .unwrap_err();
    assert!(matches!(f, CheckFailure::Lamports { expected: 5, .. }));
}

#[test]
fn data_differences_show_the_offset_and_the_bytes_around_it() {
    let rt = runtime();
    let key = Pubkey::new_unique();
    let mut data = vec![7u8; 100];
    let out = InstructionOutcome {
        result: Ok(()),
        accounts: vec![(key, Account::new(1, 0, &FORWARD))],
        compute_units_consumed: 0,
        return_data: None,
        logs: Vec::new(),
    };
    let mut with_data = out.clone();
    with_data.accounts[0].1.data = data.clone();
    data[50] = 8;
    let s = rt
        .validate_outcome(&with_data, &[Check::account(&key).data(&data).build()])
        .unwrap_err()
        .to_string();
    assert!(
        s.contains("differ at byte 50: expected 100 bytes [..0707070707070707080707"),
        "{s}"
    );
    assert!(s.contains("got 100 bytes [..0707070707070707070707"), "{s}");
}

#[test]
fn process_and_validate_panics_with_the_failure_and_the_logs() {
    let rt = runtime();
    let (ix, accounts, _, recipient) = transfer_case();
    let panic = catch_unwind(AssertUnwindSafe(|| {
        rt.process_and_validate_instruction(
            &ix,
            &accounts,
            &[Check::account(&recipient).lamports(1).build()],
        )
    }))
    .unwrap_err();
    let msg = panic.downcast_ref::<String>().unwrap();
    assert!(
        msg.starts_with(&format!(
            "process_and_validate_instruction: check failed: account {recipient}: \
             lamports: expected 1, got 400000"
        )),
        "{msg}"
    );
    assert!(msg.contains("\n  Program log: forwarding 400000"), "{msg}");

    // The missing-account case: the panic shows the log naming the key.
    let only_payer = &accounts[..1];
    let panic = catch_unwind(AssertUnwindSafe(|| {
        rt.process_and_validate_instruction(&ix, only_payer, &[Check::success()])
    }))
    .unwrap_err();
    let msg = panic.downcast_ref::<String>().unwrap();
    assert!(
        msg.contains("expected Ok(()), got Err(MissingAccount)"),
        "{msg}"
    );
    assert!(msg.contains(&recipient.to_string()), "{msg}");
}

// ----- item 5: LiteSVM's conveniences -----

#[test]
fn minimum_balance_follows_the_rent_sysvar() {
    let mut rt = runtime();
    assert_eq!(rt.minimum_balance_for_rent_exemption(0), 890_880);
    assert_eq!(rt.minimum_balance_for_rent_exemption(165), 2_039_280);
    rt.set_sysvar(&Rent {
        lamports_per_byte_year: 1,
        exemption_threshold: 2.0,
        burn_percent: 0,
    });
    assert_eq!(rt.minimum_balance_for_rent_exemption(0), 256);
    assert_eq!(rt.rent().lamports_per_byte_year, 1);
    assert_eq!(rt.get_sysvar::<Rent>(), rt.rent());
}

#[test]
fn set_sysvar_and_warp_reach_programs_and_the_sysvar_account() {
    let mut rt = runtime();
    let before = rt.state_hash();
    rt.set_sysvar(&Clock {
        unix_timestamp: 1_700_000_000,
        epoch: 3,
        ..rt.clock()
    });
    rt.warp_to_slot(1_000);
    let clock = rt.get_sysvar::<Clock>();
    assert_eq!(
        (clock.slot, clock.epoch, clock.unix_timestamp),
        (1_000, 3, 1_700_000_000)
    );
    assert_ne!(rt.state_hash(), before);
    // The account holds the value in Solana's 40-byte layout.
    let account = rt.account(&ids::SYSVAR_CLOCK).unwrap();
    assert_eq!(account.data.len(), 40);
    assert_eq!(account.data[..8], 1_000u64.to_le_bytes());
    assert_eq!(account.data[32..40], 1_700_000_000i64.to_le_bytes());

    // A transaction's program sees it.
    let payer = Keypair::from_seed(&[5; 32]);
    rt.airdrop(&payer.pubkey(), 1_000_000_000).unwrap();
    let ix = Instruction::new_with_bytes(READ_CLOCK, &[], vec![]);
    let tx = Transaction::new_signed_with_payer(
        &[ix],
        Some(&payer.pubkey()),
        &[&payer],
        rt.latest_blockhash(),
    )
    .unwrap();
    let r = rt.send_transaction(tx);
    assert_eq!(r.status, Ok(()));
    let (_, data) = r.return_data.unwrap();
    assert_eq!(data[..8], 1_000u64.to_le_bytes());
    assert_eq!(data[8..], 1_700_000_000i64.to_le_bytes());

    // A new blockhash goes on from the warped slot.
    rt.expire_blockhash();
    assert_eq!(rt.clock().slot, 1_001);
}

fn signed_transfer(rt: &Runtime, from: &Keypair, to: &Pubkey, lamports: u64) -> Transaction {
    Transaction::new_signed_with_payer(
        &[system::instruction::transfer(&from.pubkey(), to, lamports)],
        Some(&from.pubkey()),
        &[from],
        rt.latest_blockhash(),
    )
    .unwrap()
}

/// `account` as Agave's loader leaves a rent-exempt writable account.
fn rent_exempt(account: Account) -> Account {
    Account {
        rent_epoch: u64::MAX,
        ..account
    }
}

#[test]
fn simulate_reports_what_sending_gives_and_changes_nothing() {
    let mut rt = runtime();
    let alice = Keypair::from_seed(&[1; 32]);
    let bob = Pubkey::new_unique();
    rt.airdrop(&alice.pubkey(), 10_000_000).unwrap();
    let tx = signed_transfer(&rt, &alice, &bob, 1_000_000);
    let hash = rt.state_hash();

    let sim = rt.simulate_transaction(&tx);
    assert_eq!(rt.state_hash(), hash);
    assert_eq!(rt.balance(&alice.pubkey()), 10_000_000);
    assert_eq!(rt.account(&bob), None);
    assert_eq!(sim.result.status, Ok(()));
    assert_eq!(sim.result.fee, 5_000);
    assert_eq!(
        sim.post_accounts,
        vec![
            // Written rent exempt: rent epoch u64::MAX, as in Agave.
            (
                alice.pubkey(),
                rent_exempt(system_account(10_000_000 - 1_000_000 - 5_000))
            ),
            (bob, rent_exempt(system_account(1_000_000))),
            (
                ids::SYSTEM_PROGRAM,
                rt.account(&ids::SYSTEM_PROGRAM).unwrap()
            ),
        ]
    );
    // Simulating twice gives the same; nothing was recorded.
    assert_eq!(rt.simulate_transaction(&tx), sim);

    // Sending it afterwards is not "already processed", and gives the
    // same result and the accounts the simulation showed.
    let sent = rt.send_transaction(tx.clone());
    assert_eq!(sent, sim.result);
    for (key, account) in &sim.post_accounts {
        assert_eq!(rt.account(key).as_ref(), Some(account));
    }
    // Now the history has it.
    let again = rt.simulate_transaction(&tx);
    assert_eq!(again.result.status, Err(TransactionError::AlreadyProcessed));
    assert!(again.post_accounts.is_empty());
}

#[test]
fn simulate_a_failing_program_shows_logs_units_and_the_fee_charged() {
    let mut rt = runtime();
    let alice = Keypair::from_seed(&[2; 32]);
    let recipient = Pubkey::new_unique();
    rt.airdrop(&alice.pubkey(), 1_000_000).unwrap();
    // Forward more than alice has: the nested transfer fails.
    let tx = Transaction::new_signed_with_payer(
        &[forward(&alice.pubkey(), &recipient, 5_000_000)],
        Some(&alice.pubkey()),
        &[&alice],
        rt.latest_blockhash(),
    )
    .unwrap();
    let hash = rt.state_hash();
    let sim = rt.simulate_transaction(&tx);
    assert_eq!(rt.state_hash(), hash);
    assert!(matches!(
        sim.result.status,
        Err(TransactionError::InstructionError(0, _))
    ));
    assert!(sim
        .result
        .logs
        .iter()
        .any(|l| l.contains("forwarding 5000000")));
    assert!(sim.result.compute_units_consumed > 0);
    assert_eq!(sim.post_accounts[0].1.lamports, 1_000_000 - 5_000);
    assert_eq!(sim.post_accounts[1], (recipient, Account::default()));
    assert_eq!(rt.send_transaction(tx), sim.result);
    assert_eq!(rt.balance(&alice.pubkey()), 1_000_000 - 5_000);
}

#[test]
fn simulate_rejects_as_a_batch_would_and_charges_nothing() {
    let mut rt = runtime();
    let alice = Keypair::from_seed(&[3; 32]);
    rt.airdrop(&alice.pubkey(), 10_000_000).unwrap();
    let mut bad_sig = signed_transfer(&rt, &alice, &Pubkey::new_unique(), 1);
    bad_sig.signatures[0].0[0] ^= 1;
    assert_eq!(
        rt.simulate_transaction(&bad_sig).result.status,
        Err(TransactionError::SignatureFailure)
    );
    let mut stale = signed_transfer(&rt, &alice, &Pubkey::new_unique(), 1);
    stale.message.recent_blockhash = baton::Hash([9; 32]);
    stale.sign(&[&alice], baton::Hash([9; 32])).unwrap();
    assert_eq!(
        rt.simulate_transaction(&stale).result.status,
        Err(TransactionError::BlockhashNotFound)
    );
    let poor = Keypair::from_seed(&[4; 32]);
    let sim = rt.simulate_transaction(&signed_transfer(&rt, &poor, &Pubkey::new_unique(), 1));
    assert_eq!(sim.result.status, Err(TransactionError::AccountNotFound));
    assert_eq!(sim.result.fee, 0);
    assert_eq!(rt.balance(&alice.pubkey()), 10_000_000);
}

// ----- item 4: keys without an RNG crate -----

#[test]
fn os_rng_keypairs_sign_transactions_the_runtime_accepts() {
    let mut rt = runtime();
    let alice = Keypair::new();
    let bob = Pubkey::new_unique();
    assert_ne!(alice.pubkey(), Keypair::new().pubkey());
    rt.airdrop(&alice.pubkey(), 10_000_000).unwrap();
    let r = rt.send_transaction(signed_transfer(&rt, &alice, &bob, 1_000_000));
    assert_eq!(r.status, Ok(()));
    assert_eq!(rt.balance(&bob), 1_000_000);
}
