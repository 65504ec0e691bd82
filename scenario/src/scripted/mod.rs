//! The scripted test program: a program whose instruction data is a list of
//! operations ([`Op`]) to run, one after another, against its instruction's
//! accounts, with nested scripts for the programs it invokes.
//!
//! It exists to build call trees and mutation sequences for tests and
//! scenario files without writing a program for each: register the same
//! [`ScriptedProgram`] under several ids (program A, B and C all running
//! this code) and a script of A can invoke B with a script that invokes A,
//! and so on. [`ID`] is a default id for a single instance; the program
//! works under any id, because everything it does is relative to the
//! running frame (`InvokeContext::program_id`, its instruction accounts).
//!
//! # Instruction data
//!
//! `bincode` of `Vec<Op>` with fixed-width little-endian integers (see
//! [`encode`] / [`decode`]): a `u64` count, then each operation as its `u32`
//! variant tag in [`Op`]'s declaration order followed by its fields; byte
//! strings and vectors carry a `u64` length prefix, keys are 32 raw bytes.
//! Data that does not decode fails with `InvalidInstructionData`.
//!
//! # Compute
//!
//! [`BASE_UNITS`] for the instruction (charged before decoding), then
//! [`OP_UNITS`] for each operation as it starts, plus whatever the
//! operation itself costs: [`Op::ConsumeUnits`] its argument, an invoke the
//! CPI charge of §4.8 and everything its callee uses.
//!
//! # Errors
//!
//! An operation's error ends the script and fails the instruction with it;
//! [`Op::Fail`] gives `Custom(code)`; [`Op::ExpectReturnData`] that sees
//! other return data gives `Custom(`[`ERR_RETURN_DATA_MISMATCH`]`)`,
//! [`Op::ExpectData`] `Custom(`[`ERR_DATA_MISMATCH`]`)` and
//! [`Op::ExpectLamports`] `Custom(`[`ERR_LAMPORTS_MISMATCH`]`)`; an
//! account index past the instruction's accounts gives
//! `NotEnoughAccountKeys`; [`Op::Write`] past the data's end gives
//! `AccountDataTooSmall`; [`Op::Panic`] panics with [`PANIC_MESSAGE`];
//! an invoke whose outcome is not the expected one gives
//! `Custom(`[`ERR_OUTCOME_MISMATCH`]`)` and [`Op::ExpectAuthorized`]
//! `Custom(`[`ERR_AUTHORIZED_MISMATCH`]`)`; [`Op::Revert`] reverts with its
//! code; [`Op::ExitWithCode`] ends the script normally with an exit code.
//!
//! # Invoke flavours
//!
//! [`Op::InvokeAuth`] and [`Op::TryInvokeAuth`] call with `invoke_auth`
//! (semantics.md §8): the callee sees the transaction's accounts, so its
//! script's account indices are **transaction** indices.
//! [`Op::TryInvoke`] is a catchable [`Op::Invoke`] (§9).

mod op;

use baton_executor::{AuthDescriptor, BorrowedAccount, InvokeContext, Program};
use baton_types::{AccountMeta, Instruction, InstructionError, Pubkey};

pub use op::{
    decode, encode, AccountRef, AuthArg, Invoke, InvokeAuth, Meta, Op, Payload,
    ERR_AUTHORIZED_MISMATCH, ERR_DATA_MISMATCH, ERR_LAMPORTS_MISMATCH, ERR_OUTCOME_MISMATCH,
    ERR_RETURN_DATA_MISMATCH, MAX_SCRIPT_LEN,
};

/// The default id of the scripted program,
/// `ScriptedTestProgram111111111111111111111111`.
pub const ID: Pubkey = Pubkey::from_str_const("ScriptedTestProgram111111111111111111111111");

/// Compute units charged per instruction, before the script is decoded.
pub const BASE_UNITS: u64 = 100;
/// Compute units charged per operation run.
pub const OP_UNITS: u64 = 10;
/// The message [`Op::Panic`] panics with (an embedder may silence it in a
/// panic hook).
pub const PANIC_MESSAGE: &str = "scripted program panics as its script asks";

/// The scripted test program. See the [module docs](self).
#[derive(Debug, Clone, Copy, Default)]
pub struct ScriptedProgram;

impl Program for ScriptedProgram {
    fn process(&self, ctx: &InvokeContext<'_>, data: &[u8]) -> Result<(), InstructionError> {
        ctx.consume_checked(BASE_UNITS)?;
        let script = decode(data)?;
        run(ctx, &script)
    }
}

/// Run `script` in the running frame of `ctx`: each operation in order,
/// stopping at the first error.
pub fn run(ctx: &InvokeContext<'_>, script: &[Op]) -> Result<(), InstructionError> {
    for op in script {
        ctx.consume_checked(OP_UNITS)?;
        if let Op::ExitWithCode(code) = op {
            ctx.set_exit_code(*code);
            return Ok(());
        }
        run_op(ctx, op)?;
    }
    Ok(())
}

fn account<'c>(
    ctx: &'c InvokeContext<'_>,
    i: u16,
) -> Result<BorrowedAccount<'c>, InstructionError> {
    ctx.borrow_instruction_account(i as usize)
}

fn resolve(ctx: &InvokeContext<'_>, r: &AccountRef) -> Result<Pubkey, InstructionError> {
    match r {
        AccountRef::Index(i) => ctx.instruction_account_key(*i as usize).copied(),
        AccountRef::Key(k) => Ok(Pubkey::new_from_array(*k)),
    }
}

fn run_op(ctx: &InvokeContext<'_>, op: &Op) -> Result<(), InstructionError> {
    match op {
        Op::Write {
            account: a,
            offset,
            bytes,
        } => {
            let mut acc = account(ctx, *a)?;
            let data = acc.data_mut()?;
            let start =
                usize::try_from(*offset).map_err(|_| InstructionError::AccountDataTooSmall)?;
            let end = start
                .checked_add(bytes.len())
                .ok_or(InstructionError::AccountDataTooSmall)?;
            let dst = data
                .get_mut(start..end)
                .ok_or(InstructionError::AccountDataTooSmall)?;
            dst.copy_from_slice(bytes);
            Ok(())
        }
        Op::Resize { account: a, len } => {
            let len = usize::try_from(*len).map_err(|_| InstructionError::InvalidRealloc)?;
            account(ctx, *a)?.set_data_length(len)
        }
        Op::Transfer { from, to, lamports } => {
            account(ctx, *from)?.checked_sub_lamports(*lamports)?;
            account(ctx, *to)?.checked_add_lamports(*lamports)
        }
        Op::Credit {
            account: a,
            lamports,
        } => account(ctx, *a)?.checked_add_lamports(*lamports),
        Op::Debit {
            account: a,
            lamports,
        } => account(ctx, *a)?.checked_sub_lamports(*lamports),
        Op::SetReturnData(bytes) => ctx.set_return_data(bytes),
        Op::ExpectReturnData { program, bytes } => {
            let program = resolve(ctx, program)?;
            let (setter, data) = ctx.return_data();
            if setter == program && data == *bytes {
                Ok(())
            } else {
                ctx.log(format_args!(
                    "return data mismatch: {setter} set {} bytes",
                    data.len()
                ));
                Err(InstructionError::Custom(ERR_RETURN_DATA_MISMATCH))
            }
        }
        Op::Assign { account: a, owner } => {
            account(ctx, *a)?.set_owner(&Pubkey::new_from_array(*owner))
        }
        Op::SetExecutable { account: a } => account(ctx, *a)?.set_executable(true),
        Op::Fail(code) => Err(InstructionError::Custom(*code)),
        Op::Panic => std::panic::panic_any(PANIC_MESSAGE),
        Op::ConsumeUnits(units) => ctx.consume_checked(*units),
        Op::BorrowTwice { a, b } => {
            let _first = account(ctx, *a)?;
            let _second = account(ctx, *b)?;
            Ok(())
        }
        Op::Log(text) => {
            ctx.log(text);
            Ok(())
        }
        Op::Noop(_) => Ok(()),
        Op::Invoke(invoke) => run_invoke(ctx, invoke, false),
        Op::InvokeIgnoreError(invoke) => {
            // Deliberately ignored: the engine must still fail [4.10].
            let _ignored = run_invoke(ctx, invoke, false);
            Ok(())
        }
        Op::ExpectData {
            account: a,
            offset,
            bytes,
        } => {
            let acc = account(ctx, *a)?;
            let found = usize::try_from(*offset)
                .ok()
                .and_then(|start| acc.data().get(start..start.checked_add(bytes.len())?));
            if found == Some(bytes.as_slice()) {
                Ok(())
            } else {
                Err(InstructionError::Custom(ERR_DATA_MISMATCH))
            }
        }
        Op::ExpectLamports {
            account: a,
            lamports,
        } => {
            if account(ctx, *a)?.lamports() == *lamports {
                Ok(())
            } else {
                Err(InstructionError::Custom(ERR_LAMPORTS_MISMATCH))
            }
        }
        Op::InvokeAuth(call) => run_invoke_auth(ctx, call, false),
        Op::TryInvokeAuth(call) => run_invoke_auth(ctx, call, true),
        Op::TryInvoke { invoke, expect } => {
            let outcome = match run_invoke(ctx, invoke, true) {
                Ok(()) => "Ok".to_owned(),
                Err(e) => format!("{e:?}"),
            };
            check_outcome(ctx, "try_invoke", &outcome, expect.as_deref())
        }
        Op::ExitWithCode(code) => {
            ctx.set_exit_code(*code);
            Ok(())
        }
        Op::Revert(code) => Err(ctx.revert(*code)),
        Op::ExpectAuthorized { index, expected } => {
            if ctx.is_authorized(*index) == *expected {
                Ok(())
            } else {
                Err(InstructionError::Custom(ERR_AUTHORIZED_MISMATCH))
            }
        }
    }
}

/// Log `<what> -> <outcome>`; with an expectation, compare ignoring
/// whitespace.
fn check_outcome(
    ctx: &InvokeContext<'_>,
    what: &str,
    outcome: &str,
    expect: Option<&str>,
) -> Result<(), InstructionError> {
    ctx.log(format_args!("{what} -> {outcome}"));
    let squash = |s: &str| s.split_whitespace().collect::<String>();
    match expect {
        Some(e) if squash(e) != squash(outcome) => {
            ctx.log(format_args!("{what}: expected {e}"));
            Err(InstructionError::Custom(ERR_OUTCOME_MISMATCH))
        }
        _ => Ok(()),
    }
}

fn run_invoke_auth(
    ctx: &InvokeContext<'_>,
    call: &InvokeAuth,
    catch: bool,
) -> Result<(), InstructionError> {
    let data = call.payload.to_data();
    let result = match &call.auth {
        AuthArg::Encoded(bytes) => AuthDescriptor::decode(bytes).and_then(|d| {
            if catch {
                ctx.try_invoke_auth(call.program, &data, d.as_ref())
            } else {
                ctx.invoke_auth(call.program, &data, d.as_ref())
            }
        }),
        other => {
            let d = match other {
                AuthArg::Lists {
                    authorized,
                    deauthorized,
                } => Some(AuthDescriptor::new(
                    authorized.clone(),
                    deauthorized.clone(),
                )),
                _ => None,
            };
            if catch {
                ctx.try_invoke_auth(call.program, &data, d.as_ref())
            } else {
                ctx.invoke_auth(call.program, &data, d.as_ref())
            }
        }
    };
    let outcome = match &result {
        Ok(code) => format!("Exit({code})"),
        Err(e) => format!("{e:?}"),
    };
    let what = if catch {
        "try_invoke_auth"
    } else {
        "invoke_auth"
    };
    check_outcome(ctx, what, &outcome, call.expect.as_deref())?;
    match result {
        Err(e) if !catch && call.expect.is_none() => Err(InstructionError::from(e)),
        _ => Ok(()),
    }
}

fn run_invoke(
    ctx: &InvokeContext<'_>,
    invoke: &Invoke,
    catch: bool,
) -> Result<(), InstructionError> {
    let program_id = resolve(ctx, &invoke.program)?;
    let accounts = invoke
        .accounts
        .iter()
        .map(|m| {
            Ok(AccountMeta {
                pubkey: resolve(ctx, &m.account)?,
                is_signer: m.is_signer,
                is_writable: m.is_writable,
            })
        })
        .collect::<Result<Vec<_>, InstructionError>>()?;
    let ix = Instruction {
        program_id,
        accounts,
        data: invoke.payload.to_data(),
    };
    if invoke.seeds.is_empty() && catch {
        ctx.try_invoke(&ix)
    } else if invoke.seeds.is_empty() {
        ctx.invoke(&ix)
    } else {
        let sets: Vec<Vec<&[u8]>> = invoke
            .seeds
            .iter()
            .map(|set| set.iter().map(Vec::as_slice).collect())
            .collect();
        let refs: Vec<&[&[u8]]> = sets.iter().map(Vec::as_slice).collect();
        if catch {
            ctx.try_invoke_signed(&ix, &refs)
        } else {
            ctx.invoke_signed(&ix, &refs)
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn scripts_round_trip_and_garbage_is_invalid_data() {
        let script = vec![
            Op::Write {
                account: 1,
                offset: 2,
                bytes: vec![3, 4],
            },
            Op::Invoke(Invoke {
                program: AccountRef::Index(0),
                accounts: vec![Meta {
                    account: AccountRef::Key([9; 32]),
                    is_signer: false,
                    is_writable: true,
                }],
                seeds: vec![vec![b"vault".to_vec()]],
                payload: Payload::Script(vec![Op::Fail(7), Op::Log("hi".into())]),
            }),
        ];
        assert_eq!(decode(&encode(&script)).unwrap(), script);
        assert_eq!(
            decode(&[0xff; 9]),
            Err(InstructionError::InvalidInstructionData)
        );
        let mut trailing = encode(&script);
        trailing.push(0);
        assert_eq!(
            decode(&trailing),
            Err(InstructionError::InvalidInstructionData)
        );
        assert_eq!(
            ID.to_string(),
            "ScriptedTestProgram111111111111111111111111"
        );
    }
}
