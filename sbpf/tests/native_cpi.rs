//! Native programs calling an sBPF program: the callee's serializer sees
//! what the caller wrote, its read-back goes through the journal, and
//! `try_invoke` reverts a failed sBPF callee's writes while the caller
//! goes on.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::sync::Arc;

use baton_executor::{InvokeContext, Program};
use baton_sbpf::Mode;
use baton_types::{Account, AccountMeta, Instruction, InstructionError, Pubkey};
use common::*;

const CALLER: Pubkey = Pubkey::from_str_const("Ca11er1111111111111111111111111111111111111");

/// Accounts: source, destination, owner (signer), p-token, state (owned
/// by the caller). Data: mode (0 invoke, 1 try_invoke), destination
/// writable in the call (0/1), amount (u64). After a `try_invoke` it
/// writes 1 (the call succeeded) or 2 into the state's first byte.
struct Caller;

impl Program for Caller {
    fn process(&self, ctx: &InvokeContext<'_>, data: &[u8]) -> Result<(), InstructionError> {
        let key = |i| ctx.instruction_account_key(i).copied();
        let amount = u64::from_le_bytes(data[2..10].try_into().unwrap());
        let mut ix_data = vec![3u8];
        ix_data.extend_from_slice(&amount.to_le_bytes());
        let dest = if data[1] == 1 {
            AccountMeta::new(key(1)?, false)
        } else {
            AccountMeta::new_readonly(key(1)?, false)
        };
        let ix = Instruction::new_with_bytes(
            key(3)?,
            &ix_data,
            vec![
                AccountMeta::new(key(0)?, false),
                dest,
                AccountMeta::new_readonly(key(2)?, true),
            ],
        );
        if data[0] == 0 {
            return ctx.invoke(&ix);
        }
        let r = ctx.try_invoke(&ix);
        let mut state = ctx.borrow_instruction_account(4)?;
        state.data_mut()?[0] = if r.is_ok() { 1 } else { 2 };
        Ok(())
    }
}

fn case(
    mode: Mode,
    call: u8,
    dest_writable: u8,
    amount: u64,
) -> baton_executor::InstructionOutcome {
    let mut h = Harness::new(&[(TOKEN_ID, TOKEN_ELF)], mode);
    h.registry.add(CALLER, Arc::new(Caller));
    let (mint, src, dst, owner, state) = (key(1), key(2), key(3), key(4), key(5));
    let accounts = vec![
        (
            src,
            owned(
                TOKEN_ACCOUNT_LAMPORTS,
                token_account_data(mint, owner, 1_000),
                &TOKEN_ID,
            ),
        ),
        (
            dst,
            owned(
                TOKEN_ACCOUNT_LAMPORTS,
                token_account_data(mint, owner, 0),
                &TOKEN_ID,
            ),
        ),
        (owner, Account::default()),
        (
            TOKEN_ID,
            Account {
                lamports: 1,
                data: vec![],
                owner: baton_types::ids::NATIVE_LOADER,
                executable: true,
                rent_epoch: 0,
            },
        ),
        (state, owned(1_000_000, vec![0; 8], &CALLER)),
    ];
    let mut data = vec![call, dest_writable];
    data.extend_from_slice(&amount.to_le_bytes());
    let ix = Instruction::new_with_bytes(
        CALLER,
        &data,
        vec![
            AccountMeta::new(src, false),
            AccountMeta::new(dst, false),
            AccountMeta::new_readonly(owner, true),
            AccountMeta::new_readonly(TOKEN_ID, false),
            AccountMeta::new(state, false),
        ],
    );
    h.run(&ix, &accounts, 200_000)
}

#[test]
fn a_native_caller_invokes_p_token() {
    for mode in MODES {
        let out = case(mode, 0, 1, 250);
        assert_eq!(out.result, Ok(()), "{:#?}", out.logs);
        assert_eq!(token_amount(&out.accounts[0].1.data), 750);
        assert_eq!(token_amount(&out.accounts[1].1.data), 250);
        assert_eq!(out.logs[1], format!("Program {TOKEN_ID} invoke [2]"));
        assert_eq!(
            out.logs[2],
            format!(
                "Program {TOKEN_ID} consumed 76 of {} compute units",
                200_000 - 946
            )
        );
        // The caller's CPI charge (946 + (9 + 3 * 34) / 250) and p-token's 76.
        assert_eq!(out.compute_units_consumed, 946 + 76);
    }
}

#[test]
fn try_invoke_reverts_a_failed_sbpf_callee_and_the_caller_goes_on() {
    for mode in MODES {
        // Read-only destination: p-token's read-back writes the source,
        // then fails on the destination; the checkpoint undoes the source.
        let out = case(mode, 1, 0, 250);
        assert_eq!(out.result, Ok(()), "{:#?}", out.logs);
        assert_eq!(token_amount(&out.accounts[0].1.data), 1_000, "reverted");
        assert_eq!(token_amount(&out.accounts[1].1.data), 0);
        assert_eq!(out.accounts[4].1.data[0], 2);
        assert!(out.logs.contains(&format!(
            "Program {TOKEN_ID} failed: instruction modified data of a read-only account"
        )));
        // The same call succeeding.
        let out = case(mode, 1, 1, 250);
        assert_eq!(out.result, Ok(()));
        assert_eq!(token_amount(&out.accounts[1].1.data), 250);
        assert_eq!(out.accounts[4].1.data[0], 1);
        // An uncaught failure fails the caller.
        let out = case(mode, 0, 1, 5_000);
        assert_eq!(out.result, Err(InstructionError::Custom(1)));
        assert_eq!(token_amount(&out.accounts[0].1.data), 1_000);
    }
}

/// A native program that calls p-token (transaction account 3) with
/// `invoke_auth`, no descriptor: p-token sees every transaction account
/// at its transaction index with its top-level privileges, so the
/// Transfer's source, destination and owner are accounts 0, 1 and 2.
struct AuthCaller;

impl Program for AuthCaller {
    fn process(&self, ctx: &InvokeContext<'_>, data: &[u8]) -> Result<(), InstructionError> {
        ctx.invoke_auth(3, data, None)
            .map(|_| ())
            .map_err(|e| match e {
                baton_executor::InvokeError::Failed(e) => e,
                _ => InstructionError::InvalidArgument,
            })
    }
}

#[test]
fn invoke_auth_into_p_token_sees_the_transaction_accounts() {
    for mode in MODES {
        let mut h = Harness::new(&[(TOKEN_ID, TOKEN_ELF)], mode);
        h.registry.add(CALLER, Arc::new(AuthCaller));
        let (mint, src, dst, owner) = (key(1), key(2), key(3), key(4));
        let token = |amount| {
            owned(
                TOKEN_ACCOUNT_LAMPORTS,
                token_account_data(mint, owner, amount),
                &TOKEN_ID,
            )
        };
        let accounts = vec![
            (src, token(1_000)),
            (dst, token(0)),
            (owner, Account::default()),
            (
                TOKEN_ID,
                Account {
                    lamports: 1,
                    data: vec![],
                    owner: baton_types::ids::NATIVE_LOADER,
                    executable: true,
                    rent_epoch: 0,
                },
            ),
        ];
        let mut data = vec![3u8];
        data.extend_from_slice(&300u64.to_le_bytes());
        let ix = Instruction::new_with_bytes(
            CALLER,
            &data,
            vec![
                AccountMeta::new(src, false),
                AccountMeta::new(dst, false),
                AccountMeta::new_readonly(owner, true),
                AccountMeta::new_readonly(TOKEN_ID, false),
            ],
        );
        let out = h.run(&ix, &accounts, 200_000);
        assert_eq!(out.result, Ok(()), "{:#?}", out.logs);
        assert_eq!(token_amount(&out.accounts[0].1.data), 700);
        assert_eq!(token_amount(&out.accounts[1].1.data), 300);
        assert_eq!(out.logs[1], format!("Program {TOKEN_ID} invoke [2]"));
    }
}
