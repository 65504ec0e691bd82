//! Programs deployed in accounts run with no registration step: a durable
//! store reopened runs its deployed programs, a program written with
//! `set_account` runs, rewriting its accounts runs the new program, and an
//! ELF that does not verify fails only the transactions that invoke it,
//! with Agave's "Program is not deployed".

#![allow(clippy::unwrap_used, clippy::expect_used)]

use baton::sbpf::deploy::{program_accounts, BPF_LOADER};
use baton::token::state::TokenAccount;
use baton::{
    Account, AccountMeta, Instruction, InstructionError, Keypair, ProgramLoader, Pubkey, Runtime,
    Transaction, TransactionError, TransactionResult,
};

const TOKEN_ELF: &[u8] = include_bytes!("../../sbpf/elf/token.so");
const MEMO_ELF: &[u8] = include_bytes!("../../sbpf/elf/memo.so");

fn token_account(program: &Pubkey, mint: Pubkey, owner: Pubkey, amount: u64) -> Account {
    let d = TokenAccount::initialized(mint, owner, amount).to_bytes();
    Account::with_data(2_039_280, d.to_vec(), program)
}

fn amount(rt: &Runtime, k: &Pubkey) -> u64 {
    u64::from_le_bytes(rt.account(k).unwrap().data[64..72].try_into().unwrap())
}

fn owner(i: u8) -> Keypair {
    Keypair::from_seed(&[i; 32])
}

fn token_key(i: u8) -> Pubkey {
    Pubkey::new_from_u64(2_000 + i as u64)
}

/// Funded owners 1..=n with a token account of `program` each.
fn setup(rt: &mut Runtime, program: &Pubkey, n: u8) {
    let mint = Pubkey::new_from_u64(900);
    for i in 1..=n {
        rt.airdrop(&owner(i).pubkey(), 1_000_000_000).unwrap();
        rt.set_account(
            token_key(i),
            token_account(program, mint, owner(i).pubkey(), 1_000),
        )
        .unwrap();
    }
}

/// A p-token Transfer of `amount` from owner `from`'s account to `to`'s.
fn transfer(rt: &Runtime, program: &Pubkey, from: u8, to: u8, amount: u64) -> Transaction {
    let mut data = vec![3u8];
    data.extend_from_slice(&amount.to_le_bytes());
    let ix = Instruction::new_with_bytes(
        *program,
        &data,
        vec![
            AccountMeta::new(token_key(from), false),
            AccountMeta::new(token_key(to), false),
            AccountMeta::new_readonly(owner(from).pubkey(), true),
        ],
    );
    let payer = owner(from);
    Transaction::new_signed_with_payer(
        &[ix],
        Some(&payer.pubkey()),
        &[&payer],
        rt.latest_blockhash(),
    )
    .unwrap()
}

/// A memo (Memo v2's instruction: the text, no accounts) sent to `program`.
fn memo(rt: &mut Runtime, program: &Pubkey, payer: u8, text: &str) -> TransactionResult {
    let ix = Instruction::new_with_bytes(*program, text.as_bytes(), vec![]);
    let payer = owner(payer);
    let tx = Transaction::new_signed_with_payer(
        &[ix],
        Some(&payer.pubkey()),
        &[&payer],
        rt.latest_blockhash(),
    )
    .unwrap();
    rt.send_transaction(tx)
}

#[test]
fn a_reopened_durable_store_runs_its_programs_with_no_loading_call() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.redb");
    let id = Pubkey::new_from_u64(4245);
    {
        let mut rt = Runtime::new().with_storage(&path).unwrap();
        rt.deploy_program(id, TOKEN_ELF, ProgramLoader::V3 { authority: None })
            .unwrap();
        setup(&mut rt, &id, 4);
    }
    let mut rt = Runtime::new().with_threads(2).with_storage(&path).unwrap();
    assert!(!rt.programs().is_registered(&id));
    assert!(rt.programs().cached_ids().is_empty());
    // Four transfers in one batch on two threads: the program is compiled
    // once, on first use, into the cache the threads share.
    let txs: Vec<Transaction> = (1..=4u8)
        .map(|i| transfer(&rt, &id, i, i % 4 + 1, 10 * i as u64))
        .collect();
    let r = rt.execute_batch(&txs);
    for r in &r {
        assert_eq!(r.status, Ok(()), "{:?}", r.logs);
        assert_eq!(
            r.compute_units_consumed, 76,
            "as with the program deployed in this runtime"
        );
    }
    assert_eq!(rt.programs().cached_ids(), vec![id]);
    assert_eq!(amount(&rt, &token_key(1)), 1_000 - 10 + 40);
    assert_eq!(amount(&rt, &token_key(2)), 1_000 - 20 + 10);
    let logs = &r[0].logs;
    assert_eq!(logs[0], format!("Program {id} invoke [1]"));
    assert_eq!(logs[logs.len() - 1], format!("Program {id} success"));
}

#[test]
fn a_program_written_with_set_account_runs_and_a_rewrite_runs_the_new_one() {
    let mut rt = Runtime::new();
    let id = Pubkey::new_from_u64(4300);
    for (key, account) in program_accounts(ProgramLoader::V2, &id, TOKEN_ELF, &rt.rent(), 0) {
        assert_eq!(account.owner, BPF_LOADER);
        rt.set_account(key, account).unwrap();
    }
    setup(&mut rt, &id, 2);
    let r = rt.send_transaction(transfer(&rt, &id, 1, 2, 7));
    assert_eq!(r.status, Ok(()), "{:?}", r.logs);
    assert_eq!(amount(&rt, &token_key(2)), 1_007);

    // The same id, rewritten with the Memo ELF: the cached p-token is
    // dropped and the memo program runs.
    for (key, account) in program_accounts(ProgramLoader::V2, &id, MEMO_ELF, &rt.rent(), 0) {
        rt.set_account(key, account).unwrap();
    }
    let r = memo(&mut rt, &id, 1, "hello");
    assert_eq!(r.status, Ok(()), "{:?}", r.logs);
    assert!(
        r.logs.iter().any(|l| l.contains("Memo (len 5)")),
        "{:?}",
        r.logs
    );
}

#[test]
fn an_upgrade_or_a_redeploy_runs_the_new_program() {
    let mut rt = Runtime::new();
    let id = Pubkey::new_from_u64(4301);
    let loader = ProgramLoader::V3 {
        authority: Some(Pubkey::new_from_u64(9)),
    };
    rt.deploy_program(id, TOKEN_ELF, loader).unwrap();
    setup(&mut rt, &id, 2);
    assert_eq!(
        rt.send_transaction(transfer(&rt, &id, 1, 2, 1)).status,
        Ok(())
    );

    // Upgrade by writing a new programdata account (the program account
    // is unchanged): the deployed p-token is unregistered, Memo loads.
    let accounts = program_accounts(loader, &id, MEMO_ELF, &rt.rent(), 1);
    let (pd_key, pd) = accounts[1].clone();
    rt.set_account(pd_key, pd).unwrap();
    assert!(!rt.programs().is_registered(&id));
    let r = memo(&mut rt, &id, 1, "upgraded");
    assert_eq!(r.status, Ok(()), "{:?}", r.logs);
    assert!(
        r.logs.iter().any(|l| l.contains("Memo (len 8)")),
        "{:?}",
        r.logs
    );

    // Redeploying p-token there runs p-token again.
    rt.deploy_program(id, TOKEN_ELF, loader).unwrap();
    let r = rt.send_transaction(transfer(&rt, &id, 1, 2, 2));
    assert_eq!(r.status, Ok(()), "{:?}", r.logs);
    assert_eq!(amount(&rt, &token_key(2)), 1_003);
}

#[test]
fn an_elf_that_does_not_verify_fails_only_its_own_transactions() {
    let mut rt = Runtime::new().with_threads(2);
    let bad = Pubkey::new_from_u64(4302);
    let good = Pubkey::new_from_u64(4303);
    // Half an ELF, written as a loader-v2 program.
    let broken = &TOKEN_ELF[..TOKEN_ELF.len() / 2];
    for (key, account) in program_accounts(ProgramLoader::V2, &bad, broken, &rt.rent(), 0) {
        rt.set_account(key, account).unwrap();
    }
    rt.deploy_program(good, TOKEN_ELF, ProgramLoader::V2)
        .unwrap();
    setup(&mut rt, &good, 2);
    let ix = Instruction::new_with_bytes(bad, &[3], vec![]);
    let payer = owner(2);
    let to_bad = Transaction::new_signed_with_payer(
        &[ix],
        Some(&payer.pubkey()),
        &[&payer],
        rt.latest_blockhash(),
    )
    .unwrap();
    let r = rt.execute_batch(&[to_bad, transfer(&rt, &good, 1, 2, 5)]);
    assert_eq!(
        r[0].status,
        Err(TransactionError::InstructionError(
            0,
            InstructionError::UnsupportedProgramId
        ))
    );
    assert_eq!(
        r[0].logs,
        vec![
            format!("Program {bad} invoke [1]"),
            "Program is not deployed".to_string(),
            format!("Program {bad} failed: Unsupported program id"),
        ]
    );
    assert_eq!(r[0].compute_units_consumed, 0);
    assert_eq!(r[1].status, Ok(()), "{:?}", r[1].logs);
    assert_eq!(amount(&rt, &token_key(2)), 1_005);
    let why = rt.programs().load_error(&bad).unwrap();
    assert!(why.contains("ELF"), "{why}");
}

#[test]
fn loader_v4_programs_run_and_retracted_or_orphaned_ones_are_not_deployed() {
    let mut rt = Runtime::new();
    let v4 = Pubkey::new_from_u64(4304);
    let authority = Pubkey::new_from_u64(9);
    for (key, account) in program_accounts(
        ProgramLoader::V4 { authority },
        &v4,
        TOKEN_ELF,
        &rt.rent(),
        0,
    ) {
        rt.set_account(key, account).unwrap();
    }
    setup(&mut rt, &v4, 2);
    let r = rt.send_transaction(transfer(&rt, &v4, 1, 2, 3));
    assert_eq!(r.status, Ok(()), "{:?}", r.logs);
    assert_eq!(amount(&rt, &token_key(2)), 1_003);

    // Status Retracted (0): not deployed any more.
    let mut account = rt.account(&v4).unwrap();
    account.data[40..48].copy_from_slice(&0u64.to_le_bytes());
    rt.set_account(v4, account).unwrap();
    // A v3 program account whose programdata was never written.
    let orphan = Pubkey::new_from_u64(4305);
    let loader = ProgramLoader::V3 { authority: None };
    let (key, account) = program_accounts(loader, &orphan, TOKEN_ELF, &rt.rent(), 0)
        .into_iter()
        .next()
        .unwrap();
    rt.set_account(key, account).unwrap();
    for (id, why) in [(v4, "retracted"), (orphan, "malformed")] {
        let r = rt.send_transaction(transfer(&rt, &id, 1, 2, 4));
        assert_eq!(
            r.status,
            Err(TransactionError::InstructionError(
                0,
                InstructionError::UnsupportedProgramId
            )),
            "{id}"
        );
        assert_eq!(r.logs[1], "Program is not deployed");
        let err = rt.programs().load_error(&id).unwrap();
        assert!(err.contains(why), "{err}");
    }
    assert_eq!(amount(&rt, &token_key(2)), 1_003);
}
