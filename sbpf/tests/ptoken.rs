//! The acceptance figures of `docs/sbpf.md` §0 (E1, a Mollusk 0.15.1 /
//! Agave 4.2.2 oracle run in the copy profile): result and compute units of
//! the mainnet p-token, token-2022 and Memo v2 ELFs, under the JIT and under
//! the interpreter.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use baton_sbpf::Mode;
use baton_types::{Account, AccountMeta, Instruction, InstructionError, Pubkey};
use common::*;

struct Setup {
    mint: Pubkey,
    source: Pubkey,
    dest: Pubkey,
    owner: Pubkey,
    accounts: Vec<(Pubkey, Account)>,
}

fn setup(program: Pubkey, balance: u64) -> Setup {
    let (mint, source, dest, owner) = (key(1), key(2), key(3), key(4));
    let accounts = vec![
        (
            mint,
            owned(
                MINT_LAMPORTS,
                mint_data(Some(owner), 1_000_000, 6),
                &program,
            ),
        ),
        (
            source,
            owned(
                TOKEN_ACCOUNT_LAMPORTS,
                token_account_data(mint, owner, balance),
                &program,
            ),
        ),
        (
            dest,
            owned(
                TOKEN_ACCOUNT_LAMPORTS,
                token_account_data(mint, owner, 0),
                &program,
            ),
        ),
        (owner, Account::default()),
    ];
    Setup {
        mint,
        source,
        dest,
        owner,
        accounts,
    }
}

fn transfer(
    program: Pubkey,
    s: &Setup,
    amount: u64,
    dest_writable: bool,
    signed: bool,
) -> Instruction {
    let mut data = vec![3u8];
    data.extend_from_slice(&amount.to_le_bytes());
    let dest = if dest_writable {
        AccountMeta::new(s.dest, false)
    } else {
        AccountMeta::new_readonly(s.dest, false)
    };
    Instruction::new_with_bytes(
        program,
        &data,
        vec![
            AccountMeta::new(s.source, false),
            dest,
            AccountMeta::new_readonly(s.owner, signed),
        ],
    )
}

fn transfer_checked(program: Pubkey, s: &Setup, amount: u64) -> Instruction {
    let mut data = vec![12u8];
    data.extend_from_slice(&amount.to_le_bytes());
    data.push(6);
    Instruction::new_with_bytes(
        program,
        &data,
        vec![
            AccountMeta::new(s.source, false),
            AccountMeta::new_readonly(s.mint, false),
            AccountMeta::new(s.dest, false),
            AccountMeta::new_readonly(s.owner, true),
        ],
    )
}

fn amount_of(out: &baton_executor::InstructionOutcome, k: Pubkey) -> u64 {
    let (_, a) = out.accounts.iter().find(|(key, _)| *key == k).unwrap();
    token_amount(&a.data)
}

fn check(
    mode: Mode,
    out: &baton_executor::InstructionOutcome,
    result: Result<(), InstructionError>,
    cu: u64,
) {
    assert_eq!(out.result, result, "{mode:?}: result; logs {:#?}", out.logs);
    assert_eq!(
        out.compute_units_consumed, cu,
        "{mode:?}: compute units; logs {:#?}",
        out.logs
    );
}

#[test]
fn p_token_transfer_costs_76() {
    for mode in MODES {
        let h = Harness::new(&[(TOKEN_ID, TOKEN_ELF)], mode);
        let s = setup(TOKEN_ID, 1_000);
        let out = h.run(
            &transfer(TOKEN_ID, &s, 100, true, true),
            &s.accounts,
            200_000,
        );
        check(mode, &out, Ok(()), 76);
        assert_eq!(amount_of(&out, s.source), 900);
        assert_eq!(amount_of(&out, s.dest), 100);
        assert_eq!(
            out.logs,
            vec![
                format!("Program {TOKEN_ID} invoke [1]"),
                format!("Program {TOKEN_ID} consumed 76 of 200000 compute units"),
                format!("Program {TOKEN_ID} success"),
            ]
        );
    }
}

#[test]
fn p_token_transfer_checked_costs_105() {
    for mode in MODES {
        let h = Harness::new(&[(TOKEN_ID, TOKEN_ELF)], mode);
        let s = setup(TOKEN_ID, 1_000);
        let out = h.run(&transfer_checked(TOKEN_ID, &s, 250), &s.accounts, 200_000);
        check(mode, &out, Ok(()), 105);
        assert_eq!(amount_of(&out, s.source), 750);
        assert_eq!(amount_of(&out, s.dest), 250);
    }
}

#[test]
fn p_token_mint_to_costs_120() {
    for mode in MODES {
        let h = Harness::new(&[(TOKEN_ID, TOKEN_ELF)], mode);
        let s = setup(TOKEN_ID, 0);
        let mut data = vec![7u8];
        data.extend_from_slice(&500u64.to_le_bytes());
        let ix = Instruction::new_with_bytes(
            TOKEN_ID,
            &data,
            vec![
                AccountMeta::new(s.mint, false),
                AccountMeta::new(s.dest, false),
                AccountMeta::new_readonly(s.owner, true),
            ],
        );
        let out = h.run(&ix, &s.accounts, 200_000);
        check(mode, &out, Ok(()), 120);
        assert_eq!(amount_of(&out, s.dest), 500);
        let (_, mint) = out.accounts.iter().find(|(k, _)| *k == s.mint).unwrap();
        assert_eq!(
            u64::from_le_bytes(mint.data[36..44].try_into().unwrap()),
            1_000_500
        );
    }
}

#[test]
fn p_token_insufficient_funds_is_custom_1_at_181() {
    for mode in MODES {
        let h = Harness::new(&[(TOKEN_ID, TOKEN_ELF)], mode);
        let s = setup(TOKEN_ID, 1_000);
        let out = h.run(
            &transfer(TOKEN_ID, &s, 1_001, true, true),
            &s.accounts,
            200_000,
        );
        check(mode, &out, Err(InstructionError::Custom(1)), 181);
        assert_eq!(
            out.accounts, s.accounts,
            "a failed instruction changes nothing"
        );
        assert_eq!(out.logs[1], "Program log: Error: insufficient funds");
    }
}

#[test]
fn p_token_missing_signature_at_199() {
    for mode in MODES {
        let h = Harness::new(&[(TOKEN_ID, TOKEN_ELF)], mode);
        let s = setup(TOKEN_ID, 1_000);
        let out = h.run(
            &transfer(TOKEN_ID, &s, 10, true, false),
            &s.accounts,
            200_000,
        );
        check(
            mode,
            &out,
            Err(InstructionError::MissingRequiredSignature),
            199,
        );
    }
}

#[test]
fn p_token_self_transfer_through_a_duplicate_costs_125() {
    for mode in MODES {
        let h = Harness::new(&[(TOKEN_ID, TOKEN_ELF)], mode);
        let s = setup(TOKEN_ID, 1_000);
        let mut data = vec![3u8];
        data.extend_from_slice(&100u64.to_le_bytes());
        let ix = Instruction::new_with_bytes(
            TOKEN_ID,
            &data,
            vec![
                AccountMeta::new(s.source, false),
                AccountMeta::new(s.source, false),
                AccountMeta::new_readonly(s.owner, true),
            ],
        );
        let out = h.run(&ix, &s.accounts, 200_000);
        check(mode, &out, Ok(()), 125);
        assert_eq!(amount_of(&out, s.source), 1_000);
    }
}

#[test]
fn p_token_read_only_destination_is_caught_at_read_back_at_76() {
    for mode in MODES {
        let h = Harness::new(&[(TOKEN_ID, TOKEN_ELF)], mode);
        let s = setup(TOKEN_ID, 1_000);
        let out = h.run(
            &transfer(TOKEN_ID, &s, 100, false, true),
            &s.accounts,
            200_000,
        );
        check(mode, &out, Err(InstructionError::ReadonlyDataModified), 76);
        assert_eq!(
            out.accounts, s.accounts,
            "the source's debit is rolled back"
        );
    }
}

#[test]
fn token_2022_transfer_costs_1416_and_checked_1720() {
    for mode in MODES {
        let h = Harness::new(&[(TOKEN_2022_ID, TOKEN_2022_ELF)], mode);
        let s = setup(TOKEN_2022_ID, 1_000);
        let out = h.run(
            &transfer(TOKEN_2022_ID, &s, 100, true, true),
            &s.accounts,
            200_000,
        );
        check(mode, &out, Ok(()), 1_416);
        assert_eq!(amount_of(&out, s.dest), 100);
        let out = h.run(
            &transfer_checked(TOKEN_2022_ID, &s, 100),
            &s.accounts,
            200_000,
        );
        check(mode, &out, Ok(()), 1_720);
        assert_eq!(amount_of(&out, s.dest), 100);
    }
}

#[test]
fn token_2022_transfer_with_500_units_fails_to_complete_at_500() {
    for mode in MODES {
        let h = Harness::new(&[(TOKEN_2022_ID, TOKEN_2022_ELF)], mode);
        let s = setup(TOKEN_2022_ID, 1_000);
        let out = h.run(
            &transfer(TOKEN_2022_ID, &s, 100, true, true),
            &s.accounts,
            500,
        );
        check(
            mode,
            &out,
            Err(InstructionError::ProgramFailedToComplete),
            500,
        );
        assert_eq!(out.accounts, s.accounts);
    }
}

#[test]
fn memo_v2_with_one_signer_costs_17131() {
    for mode in MODES {
        let h = Harness::new(&[(MEMO_ID, MEMO_ELF)], mode);
        // The oracle's signer: Solana's first `Pubkey::new_unique()`. The
        // memo program base58-encodes it, so the units depend on the key.
        let signer = Pubkey::from_str_const("11157t3sqMV725NVRLrVQbAu98Jjfk1uCKehJnXXQs");
        let ix = Instruction::new_with_bytes(
            MEMO_ID,
            b"hello baton",
            vec![AccountMeta::new_readonly(signer, true)],
        );
        let out = h.run(&ix, &[(signer, Account::default())], 200_000);
        check(mode, &out, Ok(()), 17_131);
        assert_eq!(
            out.logs,
            vec![
                format!("Program {MEMO_ID} invoke [1]"),
                format!("Program log: Signed by {signer}"),
                "Program log: Memo (len 11): \"hello baton\"".to_string(),
                format!("Program {MEMO_ID} consumed 17131 of 200000 compute units"),
                format!("Program {MEMO_ID} success"),
            ]
        );
    }
}
