//! try_invoke's journal behaviour (semantics.md §9) and the invoke_auth
//! flavour (§8) through small closure programs: nested catches, callee-of-
//! callee writes undone, the resize delta restored, the return data kept
//! (as Agave keeps it with a failed CPI), reverts
//! caught or winning, privileges without a message.
#![allow(clippy::unwrap_used)]

use std::sync::Arc;

use baton_executor::{
    process_instruction, Environment, ExecutionConfig, InvokeContext, InvokeError, Program,
    ProgramRegistry, SysvarCache,
};
use baton_types::{ids, Account, AccountMeta, Instruction, InstructionError, Pubkey};

const P: Pubkey = Pubkey::new_from_array([11; 32]);
const Q: Pubkey = Pubkey::new_from_array([12; 32]);
const R: Pubkey = Pubkey::new_from_array([13; 32]);
const A: Pubkey = Pubkey::new_from_array([21; 32]);
const B: Pubkey = Pubkey::new_from_array([22; 32]);

type Body = dyn Fn(&InvokeContext<'_>, &[u8]) -> Result<(), InstructionError> + Send + Sync;

/// A program whose body is a closure.
struct Closure(Box<Body>);

impl Program for Closure {
    fn process(&self, ctx: &InvokeContext<'_>, data: &[u8]) -> Result<(), InstructionError> {
        (self.0)(ctx, data)
    }
}

fn program(
    f: impl Fn(&InvokeContext<'_>, &[u8]) -> Result<(), InstructionError> + Send + Sync + 'static,
) -> Arc<dyn Program> {
    Arc::new(Closure(Box::new(f)))
}

/// `Custom(code)` unless `ok`: a failed check inside a program.
fn check(ok: bool, code: u32) -> Result<(), InstructionError> {
    if ok {
        Ok(())
    } else {
        Err(InstructionError::Custom(code))
    }
}

/// Index of `key` among the running instruction's accounts.
fn pos(ctx: &InvokeContext<'_>, key: &Pubkey) -> usize {
    (0..ctx.instruction_account_count())
        .find(|&i| ctx.instruction_account_key(i).ok() == Some(key))
        .unwrap_or(usize::MAX)
}

fn write(ctx: &InvokeContext<'_>, key: &Pubkey, byte: u8) -> Result<(), InstructionError> {
    let mut a = ctx.borrow_instruction_account(pos(ctx, key))?;
    a.data_mut()?[0] = byte;
    Ok(())
}

fn byte(ctx: &InvokeContext<'_>, key: &Pubkey) -> u8 {
    let i = ctx.transaction_context().find_index(key).unwrap();
    ctx.transaction_context().account(i).unwrap().data[0]
}

fn exe() -> Account {
    Account {
        lamports: 1,
        data: Vec::new(),
        owner: ids::NATIVE_LOADER,
        executable: true,
        rent_epoch: 0,
    }
}

/// Run P over `a` (owned by Q), `b` (owned by R), Q and R.
fn run(programs: Vec<(Pubkey, Arc<dyn Program>)>) -> baton_executor::InstructionOutcome {
    let mut registry = ProgramRegistry::new();
    for (id, p) in programs {
        registry.add(id, p);
    }
    let sysvars = SysvarCache::default();
    let config = ExecutionConfig::default();
    let env = Environment {
        programs: &registry,
        sysvars: &sysvars,
        config: &config,
    };
    let accounts = vec![
        (A, Account::new(1_000_000, 4, &Q)),
        (B, Account::new(1_000_000, 4, &R)),
        (Q, exe()),
        (R, exe()),
    ];
    let ix = Instruction {
        program_id: P,
        accounts: vec![
            AccountMeta::new(A, false),
            AccountMeta::new(B, false),
            AccountMeta::new_readonly(Q, false),
            AccountMeta::new_readonly(R, false),
        ],
        data: Vec::new(),
    };
    process_instruction(&accounts, &ix, 200_000, env)
}

fn q_ix(data: &[u8]) -> Instruction {
    Instruction::new_with_bytes(
        Q,
        data,
        vec![
            AccountMeta::new(A, false),
            AccountMeta::new(B, false),
            AccountMeta::new_readonly(R, false),
        ],
    )
}

fn r_ix() -> Instruction {
    Instruction::new_with_bytes(R, &[], vec![AccountMeta::new(B, false)])
}

/// R writes b and moves lamports within its own accounts; then fails if asked.
fn r_program() -> Arc<dyn Program> {
    program(|ctx, data| {
        write(ctx, &B, 0xbb)?;
        ctx.borrow_instruction_account(0)?.checked_sub_lamports(0)?;
        match data.first() {
            Some(&code) => Err(InstructionError::Custom(code as u32)),
            None => Ok(()),
        }
    })
}

#[test]
fn failed_try_invoke_undoes_callee_and_callee_of_callee() {
    // Q writes a, grows a by 100 bytes, moves 5 lamports from a to b, has
    // R write b, sets return data, then fails with Custom(5). P checks that
    // all of it is undone but the return data (Agave does not roll that
    // back), then writes nothing and succeeds.
    let q = program(|ctx, _| {
        write(ctx, &A, 0xaa)?;
        ctx.borrow_instruction_account(0)?.set_data_length(104)?;
        ctx.borrow_instruction_account(0)?.checked_sub_lamports(5)?;
        ctx.borrow_instruction_account(1)?.checked_add_lamports(5)?;
        ctx.invoke(&r_ix())?;
        check(byte(ctx, &B) == 0xbb, 50)?;
        // Set after the call to R, whose start resets the slot.
        ctx.set_return_data(b"from q")?;
        Err(InstructionError::Custom(5))
    });
    let p = program(|ctx, _| {
        ctx.set_return_data(b"from p")?;
        let tx = ctx.transaction_context();
        let delta = tx.resize_delta();
        let before: Vec<Account> = (0..tx.len())
            .map(|i| tx.account(i).unwrap().clone())
            .collect();
        let units = ctx.compute_meter().remaining();
        let r = ctx.try_invoke(&q_ix(&[]));
        check(r == Err(InstructionError::Custom(5)), 1)?;
        let after: Vec<Account> = (0..tx.len())
            .map(|i| tx.account(i).unwrap().clone())
            .collect();
        check(before == after, 2)?;
        check(tx.resize_delta() == delta, 3)?;
        check(ctx.return_data() == (Q, b"from q".to_vec()), 4)?;
        check(ctx.compute_meter().remaining() < units, 5)?;
        Ok(())
    });
    let out = run(vec![(P, p), (Q, q), (R, r_program())]);
    assert_eq!(out.result, Ok(()), "{:#?}", out.logs);
    assert_eq!(out.accounts[0].1.data, vec![0; 4]);
    assert_eq!(out.accounts[1].1.data, vec![0; 4]);
    assert_eq!(out.accounts[0].1.lamports, 1_000_000);
    assert_eq!(out.return_data, Some((Q, b"from q".to_vec())));
}

#[test]
fn failed_instruction_reports_its_return_data() {
    // P sets return data, then fails: the outcome carries the return data
    // as set (Agave and Mollusk report it).
    let p = program(|ctx, _| {
        ctx.set_return_data(b"last words")?;
        Err(InstructionError::Custom(9))
    });
    let out = run(vec![(P, p)]);
    assert_eq!(out.result, Err(InstructionError::Custom(9)));
    assert_eq!(out.return_data, Some((P, b"last words".to_vec())));
}

#[test]
fn failed_plain_invoke_keeps_callee_return_data_in_failed_outcome() {
    // Q sets return data and fails under P's plain invoke: the failure
    // propagates and the outcome still carries Q's return data.
    let q = program(|ctx, _| {
        write(ctx, &A, 0xaa)?;
        ctx.set_return_data(b"from q")?;
        Err(InstructionError::Custom(7))
    });
    let p = program(|ctx, _| {
        ctx.set_return_data(b"from p")?;
        ctx.invoke(&q_ix(&[]))
    });
    let out = run(vec![(P, p), (Q, q), (R, r_program())]);
    assert_eq!(out.result, Err(InstructionError::Custom(7)));
    assert_eq!(out.accounts[0].1.data, vec![0; 4]);
    assert_eq!(out.return_data, Some((Q, b"from q".to_vec())));
}

#[test]
fn caught_callee_return_data_survives_nested_catches() {
    // P try-invokes Q, which try-invokes R (sets "from r", fails) and then
    // fails itself. Q reads R's data after its catch; P reads it after its
    // own; then P overwrites it and the outcome carries P's.
    let r = program(|ctx, _| {
        ctx.set_return_data(b"from r")?;
        Err(InstructionError::Custom(3))
    });
    let q = program(|ctx, _| {
        let r = ctx.try_invoke(&r_ix());
        check(r == Err(InstructionError::Custom(3)), 60)?;
        check(ctx.return_data() == (R, b"from r".to_vec()), 61)?;
        Err(InstructionError::Custom(4))
    });
    let p = program(|ctx, _| {
        let r = ctx.try_invoke(&q_ix(&[]));
        check(r == Err(InstructionError::Custom(4)), 1)?;
        check(ctx.return_data() == (R, b"from r".to_vec()), 2)?;
        ctx.set_return_data(b"from p")?;
        Ok(())
    });
    let out = run(vec![(P, p), (Q, q), (R, r)]);
    assert_eq!(out.result, Ok(()), "{:#?}", out.logs);
    assert_eq!(out.return_data, Some((P, b"from p".to_vec())));
}

#[test]
fn nested_try_invoke_inner_caught_outer_merges_or_undoes() {
    // Q writes a (0xaa, then 0xa1) and try-invokes R, which writes b and
    // fails; Q checks b is back, then succeeds (data[0] == 0) or fails
    // (data[0] == 1).
    let q = program(|ctx, data| {
        write(ctx, &A, 0xaa)?;
        let r = ctx.try_invoke(&Instruction::new_with_bytes(
            R,
            &[7],
            vec![AccountMeta::new(B, false)],
        ));
        check(r == Err(InstructionError::Custom(7)), 60)?;
        check(byte(ctx, &B) == 0, 61)?;
        write(ctx, &A, 0xa1 + data.first().copied().unwrap_or(0))?;
        match data.first() {
            Some(1) => Err(InstructionError::Custom(8)),
            _ => Ok(()),
        }
    });
    let p = program(|ctx, _| {
        check(ctx.try_invoke(&q_ix(&[0])) == Ok(()), 1)?;
        check(byte(ctx, &A) == 0xa1 && byte(ctx, &B) == 0, 2)?;
        // The second time Q fails after its catch: its whole subtree is
        // undone, back to the state the first call left.
        check(
            ctx.try_invoke(&q_ix(&[1])) == Err(InstructionError::Custom(8)),
            3,
        )?;
        check(byte(ctx, &A) == 0xa1 && byte(ctx, &B) == 0, 4)
    });
    let out = run(vec![(P, p), (Q, q), (R, r_program())]);
    assert_eq!(out.result, Ok(()), "{:#?}", out.logs);
}

#[test]
fn revert_wins_over_ignoring_and_is_caught_by_try_invoke_auth() {
    // Q reverts with 9. A plain invoke_auth: P ignores the error and returns
    // Ok, yet fails with Custom(9), Q named. A try_invoke_auth: caught, the
    // marker cleared, P succeeds.
    let q = program(|ctx, _| Err(ctx.revert(9)));
    let q_index = 2u16;
    let plain = program(move |ctx, _| {
        let r = ctx.invoke_auth(q_index, &[], None);
        check(
            r == Err(InvokeError::Failed(InstructionError::Custom(9))),
            1,
        )?;
        check(ctx.reverted_by() == Some((Q, 9)), 2)?;
        Ok(())
    });
    let out = run(vec![(P, plain), (Q, q.clone())]);
    assert_eq!(out.result, Err(InstructionError::Custom(9)));

    let caught = program(move |ctx, _| {
        let r = ctx.try_invoke_auth(q_index, &[], None);
        check(
            r == Err(InvokeError::Failed(InstructionError::Custom(9))),
            1,
        )?;
        check(ctx.reverted_by().is_none(), 2)
    });
    let out = run(vec![(P, caught), (Q, q)]);
    assert_eq!(out.result, Ok(()), "{:#?}", out.logs);
}

#[test]
fn invoke_auth_exit_code_and_privileges_without_a_message() {
    // Without a message the callee's privileges are the outermost
    // instruction's: a and b writable, Q and R not; Q writes a (its own)
    // and exits with 4.
    let q = program(|ctx, _| {
        let a = ctx.instruction_account(0)?;
        let q = ctx.instruction_account(2)?;
        check(
            a.index_in_transaction == 0 && a.is_writable && !a.is_signer,
            70,
        )?;
        check(!q.is_writable, 71)?;
        check(ctx.flavour() == baton_executor::Flavour::Auth, 72)?;
        write(ctx, &A, 0x44)?;
        ctx.set_exit_code(4);
        Ok(())
    });
    let p = program(|ctx, _| {
        check(ctx.invoke_auth(2, &[], None) == Ok(4), 1)?;
        check(byte(ctx, &A) == 0x44, 2)?;
        // Authorizing a (owned by Q) is refused before the call.
        let d = baton_executor::AuthDescriptor::default().authorize(0);
        check(
            ctx.invoke_auth(2, &[], Some(&d)) == Err(InvokeError::NotOwner { index: 0 }),
            3,
        )
    });
    let out = run(vec![(P, p), (Q, q)]);
    assert_eq!(out.result, Ok(()), "{:#?}", out.logs);
    assert_eq!(out.accounts[0].1.data[0], 0x44);
}
