//! The mutation rules of §2, lamport balance of §3, panics, CPI privilege
//! checks, and journal rollback, exercised through a small test program.
#![allow(clippy::unwrap_used)]

use std::sync::Arc;

use baton_executor::{
    process_instruction, process_message, Environment, ExecutionConfig, InvokeContext, Program,
    ProgramRegistry, SysvarCache,
};
use baton_types::{
    ids, Account, AccountMeta, Hash, Instruction, InstructionError, Message, Pubkey,
    TransactionError,
};

const PROG: Pubkey = Pubkey::new_from_array([7; 32]);
const OTHER: Pubkey = Pubkey::new_from_array([8; 32]);

/// One operation per instruction, chosen by the first byte of data.
struct Ops;

fn u64_at(d: &[u8], at: usize) -> u64 {
    u64::from_le_bytes(d[at..at + 8].try_into().unwrap())
}

impl Program for Ops {
    fn process(&self, ctx: &InvokeContext<'_>, d: &[u8]) -> Result<(), InstructionError> {
        ctx.consume_checked(10)?;
        match d[0] {
            // set lamports of account d[1]
            0 => ctx
                .borrow_instruction_account(d[1] as usize)?
                .set_lamports(u64_at(d, 2)),
            // write byte d[2] at offset 0 of account d[1]
            1 => {
                let mut a = ctx.borrow_instruction_account(d[1] as usize)?;
                a.data_mut()?[0] = d[2];
                Ok(())
            }
            // resize account d[1] to u64 at 2
            2 => ctx
                .borrow_instruction_account(d[1] as usize)?
                .set_data_length(u64_at(d, 2) as usize),
            // assign account d[1] to OTHER
            3 => ctx
                .borrow_instruction_account(d[1] as usize)?
                .set_owner(&OTHER),
            // set executable on account d[1]
            4 => ctx
                .borrow_instruction_account(d[1] as usize)?
                .set_executable(true),
            // borrow accounts d[1] and d[2] at once
            5 => {
                let _a = ctx.borrow_instruction_account(d[1] as usize)?;
                let _b = ctx.borrow_instruction_account(d[2] as usize)?;
                Ok(())
            }
            6 => panic!("test program panics"),
            // move u64 at 3 lamports from d[1] to d[2]
            7 => {
                let amount = u64_at(d, 3);
                ctx.borrow_instruction_account(d[1] as usize)?
                    .checked_sub_lamports(amount)?;
                ctx.borrow_instruction_account(d[2] as usize)?
                    .checked_add_lamports(amount)
            }
            // debit account d[1] only: unbalanced
            8 => ctx
                .borrow_instruction_account(d[1] as usize)?
                .checked_sub_lamports(1),
            // fail with a custom code
            9 => Err(InstructionError::Custom(42)),
            // CPI into self with the rest of data, passing accounts with flags d[1..]:
            // d[1] = n, then n (index, signer, writable) triples, then nested op data
            10 => {
                let n = d[1] as usize;
                let mut metas = Vec::new();
                for k in 0..n {
                    let t = &d[2 + 3 * k..5 + 3 * k];
                    let key = *ctx.instruction_account_key(t[0] as usize)?;
                    metas.push(AccountMeta {
                        pubkey: key,
                        is_signer: t[1] == 1,
                        is_writable: t[2] == 1,
                    });
                }
                let ix = Instruction {
                    program_id: PROG,
                    accounts: metas,
                    data: d[2 + 3 * n..].to_vec(),
                };
                ctx.invoke(&ix)
            }
            // set return data to the rest
            11 => ctx.set_return_data(&d[1..]),
            // invoke self with a failing op, ignore the error, succeed
            12 => {
                let me = *ctx.instruction_account_key(0)?;
                let ix = Instruction {
                    program_id: PROG,
                    accounts: vec![AccountMeta::new_readonly(me, false)],
                    data: vec![9],
                };
                let _ignored = ctx.invoke(&ix);
                Ok(())
            }
            _ => Err(InstructionError::InvalidInstructionData),
        }
    }
}

struct Env {
    programs: ProgramRegistry,
    sysvars: SysvarCache,
    config: ExecutionConfig,
}

impl Env {
    fn new() -> Self {
        let mut programs = ProgramRegistry::new();
        programs.add(PROG, Arc::new(Ops));
        Self {
            programs,
            sysvars: SysvarCache::default(),
            config: ExecutionConfig::default(),
        }
    }
    fn env(&self) -> Environment<'_> {
        Environment {
            programs: &self.programs,
            sysvars: &self.sysvars,
            config: &self.config,
        }
    }
}

fn key(n: u64) -> Pubkey {
    Pubkey::new_from_u64(n)
}

fn owned(lamports: u64, len: usize) -> Account {
    Account::new(lamports, len, &PROG)
}

fn run(
    accounts: Vec<(Pubkey, Account)>,
    metas: Vec<AccountMeta>,
    data: Vec<u8>,
) -> baton_executor::InstructionOutcome {
    let env = Env::new();
    let ix = Instruction {
        program_id: PROG,
        accounts: metas,
        data,
    };
    process_instruction(&accounts, &ix, 200_000, env.env())
}

fn op(code: u8, a: u8, rest: &[u8]) -> Vec<u8> {
    let mut v = vec![code, a];
    v.extend_from_slice(rest);
    v
}

#[test]
fn lamports_debit_of_foreign_account_is_external_spend() {
    let accs = vec![(key(1), Account::new(100, 0, &ids::SYSTEM_PROGRAM))];
    let out = run(
        accs,
        vec![AccountMeta::new(key(1), false)],
        op(0, 0, &50u64.to_le_bytes()),
    );
    assert_eq!(
        out.result,
        Err(InstructionError::ExternalAccountLamportSpend)
    );
    assert_eq!(out.accounts[0].1.lamports, 100);
}

#[test]
fn readonly_lamport_change() {
    let accs = vec![(key(1), owned(100, 0))];
    let out = run(
        accs,
        vec![AccountMeta::new_readonly(key(1), false)],
        op(0, 0, &150u64.to_le_bytes()),
    );
    assert_eq!(out.result, Err(InstructionError::ReadonlyLamportChange));
}

#[test]
fn crediting_a_foreign_writable_account_is_allowed_but_unbalanced_alone() {
    let accs = vec![(key(1), Account::new(100, 0, &ids::SYSTEM_PROGRAM))];
    let out = run(
        accs,
        vec![AccountMeta::new(key(1), false)],
        op(0, 0, &150u64.to_le_bytes()),
    );
    assert_eq!(out.result, Err(InstructionError::UnbalancedInstruction));
}

#[test]
fn overflow_is_arithmetic_overflow() {
    let accs = vec![(key(1), owned(1, 0)), (key(2), owned(u64::MAX, 0))];
    let metas = vec![
        AccountMeta::new(key(1), false),
        AccountMeta::new(key(2), false),
    ];
    let mut d = vec![7, 0, 1];
    d.extend_from_slice(&1u64.to_le_bytes());
    assert_eq!(
        run(accs, metas, d).result,
        Err(InstructionError::ArithmeticOverflow)
    );
}

#[test]
fn data_rules() {
    let accs = vec![
        (key(1), owned(100, 4)),
        (key(2), Account::new(100, 4, &OTHER)),
    ];
    let ro = run(
        accs.clone(),
        vec![AccountMeta::new_readonly(key(1), false)],
        op(1, 0, &[9]),
    );
    assert_eq!(ro.result, Err(InstructionError::ReadonlyDataModified));
    let ext = run(
        accs.clone(),
        vec![AccountMeta::new(key(2), false)],
        op(1, 0, &[9]),
    );
    assert_eq!(
        ext.result,
        Err(InstructionError::ExternalAccountDataModified)
    );
    let ok = run(accs, vec![AccountMeta::new(key(1), false)], op(1, 0, &[9]));
    assert_eq!(ok.result, Ok(()));
    assert_eq!(ok.accounts[0].1.data, vec![9, 0, 0, 0]);
}

#[test]
fn resize_rules() {
    let accs = vec![
        (key(1), owned(100, 4)),
        (key(2), Account::new(100, 4, &OTHER)),
    ];
    let w = |k| vec![AccountMeta::new(k, false)];
    let foreign = run(accs.clone(), w(key(2)), op(2, 0, &8u64.to_le_bytes()));
    assert_eq!(
        foreign.result,
        Err(InstructionError::AccountDataSizeChanged)
    );
    let too_big = run(
        accs.clone(),
        w(key(1)),
        op(2, 0, &(10 * 1024 * 1024 + 1u64).to_le_bytes()),
    );
    assert_eq!(too_big.result, Err(InstructionError::InvalidRealloc));
    // A user program may grow an account by at most 10 KiB per instruction.
    let over = run(
        accs.clone(),
        w(key(1)),
        op(2, 0, &(4 + 10_240 + 1u64).to_le_bytes()),
    );
    assert_eq!(over.result, Err(InstructionError::InvalidRealloc));
    let at = run(accs, w(key(1)), op(2, 0, &(4 + 10_240u64).to_le_bytes()));
    assert_eq!(at.result, Ok(()));
    assert_eq!(at.accounts[0].1.data.len(), 10_244);
}

#[test]
fn owner_rules() {
    let w = |k| vec![AccountMeta::new(k, false)];
    let dirty = run(
        vec![(key(1), Account::with_data(100, vec![1], &PROG))],
        w(key(1)),
        op(3, 0, &[]),
    );
    assert_eq!(dirty.result, Err(InstructionError::ModifiedProgramId));
    let foreign = run(
        vec![(key(1), Account::new(100, 1, &OTHER))],
        w(key(1)),
        op(3, 0, &[]),
    );
    assert_eq!(foreign.result, Err(InstructionError::ModifiedProgramId));
    let ro = run(
        vec![(key(1), owned(100, 1))],
        vec![AccountMeta::new_readonly(key(1), false)],
        op(3, 0, &[]),
    );
    assert_eq!(ro.result, Err(InstructionError::ModifiedProgramId));
    let ok = run(vec![(key(1), owned(100, 1))], w(key(1)), op(3, 0, &[]));
    assert_eq!(ok.result, Ok(()));
    assert_eq!(ok.accounts[0].1.owner, OTHER);
}

/// SIMD-0162 (semantics.md §2.2, §2.4): no executable checks in the data
/// write check or in `set_owner`; the data check is writable first, then
/// owner.
#[test]
fn executable_accounts_follow_the_plain_rules() {
    let exec = |a: Account| Account {
        executable: true,
        ..a
    };
    let w = |k| vec![AccountMeta::new(k, false)];
    // Writing an executable account the program owns, on a writable meta.
    let write = run(
        vec![(key(1), exec(owned(100, 4)))],
        w(key(1)),
        op(1, 0, &[9]),
    );
    assert_eq!(write.result, Ok(()));
    assert_eq!(write.accounts[0].1.data, vec![9, 0, 0, 0]);
    // Assigning an executable, zeroed account the program owns.
    let assign = run(
        vec![(key(1), exec(owned(100, 0)))],
        w(key(1)),
        op(3, 0, &[]),
    );
    assert_eq!(assign.result, Ok(()));
    assert_eq!(assign.accounts[0].1.owner, OTHER);
    // Read-only and foreign at once: the writable check comes first.
    let both = run(
        vec![(key(1), exec(Account::new(100, 4, &OTHER)))],
        vec![AccountMeta::new_readonly(key(1), false)],
        op(1, 0, &[9]),
    );
    assert_eq!(both.result, Err(InstructionError::ReadonlyDataModified));
    let foreign = run(
        vec![(key(1), exec(Account::new(100, 4, &OTHER)))],
        w(key(1)),
        op(1, 0, &[9]),
    );
    assert_eq!(
        foreign.result,
        Err(InstructionError::ExternalAccountDataModified)
    );
}

/// A program id the message invokes is demoted to read-only (semantics.md
/// §1.1, §2.2): even listed as writable, writing it is
/// `ReadonlyDataModified`.
#[test]
fn an_invoked_program_id_is_read_only() {
    let env = Env::new();
    let payer = key(1);
    // The program account, owned by PROG itself so that only the writable
    // check can refuse it; listed as a writable non-signer in the header.
    let prog_account = Account {
        executable: true,
        ..Account::new(1_000_000_000, 4, &PROG)
    };
    let accounts = vec![
        (payer, Account::new(1_000_000_000, 0, &ids::SYSTEM_PROGRAM)),
        (PROG, prog_account),
    ];
    let ix = Instruction {
        program_id: PROG,
        accounts: vec![AccountMeta::new(PROG, false)],
        data: op(1, 0, &[9]),
    };
    // The same through process_instruction (Mollusk's single instruction).
    let single = process_instruction(&accounts, &ix, 200_000, env.env());
    assert_eq!(single.result, Err(InstructionError::ReadonlyDataModified));
    let message = Message::new(&[ix], Some(&payer));
    let at = message
        .account_keys
        .iter()
        .position(|k| *k == PROG)
        .unwrap();
    assert!(!message.is_writable(at));
    let load = |k: &Pubkey| {
        accounts
            .iter()
            .find(|(x, _)| x == k)
            .map(|(_, a)| a.clone())
    };
    let out = process_message(&message, &load, env.env()).unwrap();
    assert_eq!(
        out.status,
        Err(TransactionError::InstructionError(
            0,
            InstructionError::ReadonlyDataModified
        ))
    );
}

#[test]
fn executable_rules() {
    let w = |k| vec![AccountMeta::new(k, false)];
    let poor = run(vec![(key(1), owned(100, 0))], w(key(1)), op(4, 0, &[]));
    assert_eq!(
        poor.result,
        Err(InstructionError::ExecutableAccountNotRentExempt)
    );
    let foreign = run(
        vec![(key(1), Account::new(10_000_000, 0, &OTHER))],
        w(key(1)),
        op(4, 0, &[]),
    );
    assert_eq!(foreign.result, Err(InstructionError::ExecutableModified));
    let ok = run(
        vec![(key(1), owned(10_000_000, 0))],
        w(key(1)),
        op(4, 0, &[]),
    );
    assert_eq!(ok.result, Ok(()));
    assert!(ok.accounts[0].1.executable);
}

#[test]
fn duplicate_mutable_borrow_fails() {
    let accs = vec![(key(1), owned(100, 0))];
    let metas = vec![
        AccountMeta::new(key(1), false),
        AccountMeta::new(key(1), false),
    ];
    assert_eq!(
        run(accs, metas, vec![5, 0, 1]).result,
        Err(InstructionError::AccountBorrowFailed)
    );
}

#[test]
fn panic_is_program_failed_to_complete_and_changes_nothing() {
    let out = run(
        vec![(key(1), owned(100, 0))],
        vec![AccountMeta::new(key(1), false)],
        vec![6],
    );
    assert_eq!(out.result, Err(InstructionError::ProgramFailedToComplete));
    assert_eq!(out.accounts[0].1, owned(100, 0));
}

#[test]
fn unbalanced_instruction() {
    let out = run(
        vec![(key(1), owned(100, 0))],
        vec![AccountMeta::new(key(1), false)],
        op(8, 0, &[]),
    );
    assert_eq!(out.result, Err(InstructionError::UnbalancedInstruction));
    assert_eq!(out.accounts[0].1.lamports, 100);
}

#[test]
fn cpi_privilege_escalation_and_depth() {
    let accs = vec![(key(1), owned(100, 0)), (PROG, Account::default())];
    // Caller has key(1) read-only; callee asks for it writable.
    let metas = vec![
        AccountMeta::new_readonly(key(1), false),
        AccountMeta::new_readonly(PROG, false),
    ];
    let mut d = vec![10, 1, 0, 0, 1];
    d.extend_from_slice(&[0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    assert_eq!(
        run(accs.clone(), metas.clone(), d).result,
        Err(InstructionError::PrivilegeEscalation)
    );
    // Signer escalation.
    let mut d = vec![10, 1, 0, 1, 0];
    d.extend_from_slice(&[11]);
    assert_eq!(
        run(accs.clone(), metas.clone(), d).result,
        Err(InstructionError::PrivilegeEscalation)
    );
    // Self-recursion A→A is allowed; nesting past depth 5 is CallDepth.
    let nest = |levels: usize| {
        let mut d = vec![11, 1, 2, 3];
        for _ in 0..levels {
            let mut outer = vec![10, 2, 0, 0, 0, 1, 0, 0];
            outer.extend_from_slice(&d);
            d = outer;
        }
        d
    };
    let ok = run(accs.clone(), metas.clone(), nest(4));
    assert_eq!(ok.result, Ok(()));
    assert_eq!(ok.return_data, Some((PROG, vec![1, 2, 3])));
    assert_eq!(
        run(accs.clone(), metas.clone(), nest(5)).result,
        Err(InstructionError::CallDepth)
    );
    // A frame without the program among its accounts cannot call it (§4.4).
    let d = vec![10, 1, 0, 0, 0, 10, 1, 0, 0, 0, 11];
    assert_eq!(
        run(accs, metas, d).result,
        Err(InstructionError::MissingAccount)
    );
}

#[test]
fn an_ignored_callee_error_still_fails_the_instruction() {
    let out = run(
        vec![(PROG, Account::default())],
        vec![AccountMeta::new_readonly(PROG, false)],
        vec![12],
    );
    assert_eq!(out.result, Err(InstructionError::Custom(42)));
}

#[test]
fn failing_second_instruction_undoes_the_first_and_keeps_the_fee() {
    let env = Env::new();
    let payer = key(1);
    let a = key(2);
    let b = key(3);
    let mut store = std::collections::HashMap::new();
    store.insert(payer, Account::new(10_000_000, 0, &ids::SYSTEM_PROGRAM));
    store.insert(a, owned(5_000_000, 0));
    store.insert(b, owned(5_000_000, 0));
    store.insert(
        PROG,
        Account {
            lamports: 1,
            data: vec![],
            owner: ids::NATIVE_LOADER,
            executable: true,
            rent_epoch: 0,
        },
    );
    let mut mv = vec![7, 0, 1];
    mv.extend_from_slice(&1_000u64.to_le_bytes());
    let metas = vec![AccountMeta::new(a, false), AccountMeta::new(b, false)];
    let ix1 = Instruction {
        program_id: PROG,
        accounts: metas.clone(),
        data: mv,
    };
    let ix2 = Instruction {
        program_id: PROG,
        accounts: metas,
        data: vec![9],
    };
    let msg = Message::new_with_blockhash(&[ix1.clone(), ix2], Some(&payer), &Hash::default());
    let load = |k: &Pubkey| store.get(k).cloned();
    let out = process_message(&msg, &load, env.env()).unwrap();
    assert_eq!(
        out.status,
        Err(TransactionError::InstructionError(
            1,
            InstructionError::Custom(42)
        ))
    );
    assert_eq!(out.fee, 5_000);
    // Only the fee payer changes, by exactly the fee.
    assert_eq!(out.changes.len(), 1);
    assert_eq!(
        out.changes[0],
        (
            payer,
            Account::new(10_000_000 - 5_000, 0, &ids::SYSTEM_PROGRAM)
        )
    );
    assert!(out.compute_units_consumed > 0);
    assert!(out
        .logs
        .iter()
        .any(|l| l.contains("failed: custom program error: 0x2a")));

    // The first instruction alone succeeds and commits both accounts.
    let msg = Message::new_with_blockhash(&[ix1], Some(&payer), &Hash::default());
    let out = process_message(&msg, &load, env.env()).unwrap();
    assert_eq!(out.status, Ok(()));
    let lam = |k: Pubkey| {
        out.changes
            .iter()
            .find(|(x, _)| *x == k)
            .map(|(_, a)| a.lamports)
    };
    assert_eq!(lam(a), Some(4_999_000));
    assert_eq!(lam(b), Some(5_001_000));
}

#[test]
fn fee_payer_rejections() {
    let env = Env::new();
    let payer = key(1);
    let ix = Instruction {
        program_id: PROG,
        accounts: vec![],
        data: vec![11],
    };
    let msg = Message::new_with_blockhash(&[ix], Some(&payer), &Hash::default());
    let prog = Account {
        lamports: 1,
        data: vec![],
        owner: ids::NATIVE_LOADER,
        executable: true,
        rent_epoch: 0,
    };
    let with = |p: Option<Account>| {
        let prog = prog.clone();
        move |k: &Pubkey| {
            if *k == PROG {
                Some(prog.clone())
            } else if *k == payer {
                p.clone()
            } else {
                None
            }
        }
    };
    assert_eq!(
        process_message(&msg, &with(None), env.env()).unwrap_err(),
        TransactionError::AccountNotFound
    );
    assert_eq!(
        process_message(&msg, &with(Some(owned(10_000_000, 0))), env.env()).unwrap_err(),
        TransactionError::InvalidAccountForFee
    );
    assert_eq!(
        process_message(
            &msg,
            &with(Some(Account::new(4_999, 0, &ids::SYSTEM_PROGRAM))),
            env.env()
        )
        .unwrap_err(),
        TransactionError::InsufficientFundsForFee
    );
    // Paying the fee would leave the payer rent-paying.
    assert_eq!(
        process_message(
            &msg,
            &with(Some(Account::new(890_880, 0, &ids::SYSTEM_PROGRAM))),
            env.env()
        )
        .unwrap_err(),
        TransactionError::InsufficientFundsForRent { account_index: 0 }
    );
}

/// The CPI charge (semantics.md §4.8): the data and the metas are charged
/// apart, each floored, as Agave 4.2: 249 data bytes and one meta (34
/// bytes) cost no more than 249 data bytes alone.
#[test]
fn cpi_data_and_metas_are_charged_apart() {
    let units = |metas: u8| {
        let mut d = vec![10, metas];
        for _ in 0..metas {
            d.extend_from_slice(&[0, 0, 0]);
        }
        d.push(11);
        d.extend(std::iter::repeat_n(7u8, 248));
        let out = run(
            vec![(key(1), owned(100, 0))],
            vec![
                AccountMeta::new_readonly(key(1), false),
                AccountMeta::new_readonly(PROG, false),
            ],
            d,
        );
        assert_eq!(out.result, Ok(()));
        out.compute_units_consumed
    };
    assert_eq!(units(1), units(0));
    assert_eq!(units(0), 10 + 946 + 10);
}
