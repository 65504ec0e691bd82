//! The Associated Token Account program (the vendored mainnet ELF) creating
//! an account: sBPF -> native system program and sBPF -> sBPF p-token
//! through `sol_invoke_signed_rust`, with return data across a call
//! (GetAccountDataSize), in both modes.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::sync::Arc;

use baton_programs::system::SystemProgram;
use baton_sbpf::deploy::BPF_LOADER;
use baton_types::{ids, pda, Account, AccountMeta, Instruction, InstructionError, Pubkey};
use common::*;

const ATA_ID: Pubkey = Pubkey::from_str_const("ATokenGPvbdGVxr1b2hvZbsiqW5xWH25efTNsLJA8knL");

fn elf_account(elf: &[u8]) -> Account {
    Account {
        lamports: 1_000_000_000,
        data: elf.to_vec(),
        owner: BPF_LOADER,
        executable: true,
        rent_epoch: 0,
    }
}

fn create(mode: baton_sbpf::Mode, data: &[u8]) -> baton_executor::InstructionOutcome {
    let mut h = Harness::new(&[(TOKEN_ID, TOKEN_ELF), (ATA_ID, ATA_ELF)], mode);
    h.registry.add(ids::SYSTEM_PROGRAM, Arc::new(SystemProgram));
    let (payer, wallet, mint) = (key(1), key(2), key(3));
    let (ata, _) = pda::find_program_address(
        &[wallet.as_array(), TOKEN_ID.as_array(), mint.as_array()],
        &ATA_ID,
    );
    let accounts = vec![
        (payer, Account::new(10_000_000_000, 0, &ids::SYSTEM_PROGRAM)),
        (ata, Account::default()),
        (wallet, Account::default()),
        (mint, owned(MINT_LAMPORTS, mint_data(None, 0, 6), &TOKEN_ID)),
        (
            ids::SYSTEM_PROGRAM,
            Account {
                lamports: 1,
                data: b"system_program".to_vec(),
                owner: ids::NATIVE_LOADER,
                executable: true,
                rent_epoch: 0,
            },
        ),
        (TOKEN_ID, elf_account(TOKEN_ELF)),
    ];
    let ix = Instruction::new_with_bytes(
        ATA_ID,
        data,
        vec![
            AccountMeta::new(payer, true),
            AccountMeta::new(ata, false),
            AccountMeta::new_readonly(wallet, false),
            AccountMeta::new_readonly(mint, false),
            AccountMeta::new_readonly(ids::SYSTEM_PROGRAM, false),
            AccountMeta::new_readonly(TOKEN_ID, false),
        ],
    );
    h.run(&ix, &accounts, 200_000)
}

#[test]
fn ata_create_calls_system_and_p_token() {
    let jit = create(baton_sbpf::Mode::Jit, &[]);
    let interp = create(baton_sbpf::Mode::Interpreter, &[]);
    assert_eq!(jit, interp);
    assert_eq!(jit.result, Ok(()), "{:#?}", jit.logs);
    let ata = &jit.accounts[1].1;
    assert_eq!(ata.owner, TOKEN_ID);
    assert_eq!(ata.data.len(), 165);
    assert_eq!(&ata.data[..32], key(3).as_array(), "mint");
    assert_eq!(&ata.data[32..64], key(2).as_array(), "owner: the wallet");
    // The bump search of these keys costs 4 x 1,500 more than the
    // 13,510 Mollusk measures for its keys; `differential.rs` replays
    // Mollusk's own figures for 120 seeded cases.
    assert_eq!(jit.compute_units_consumed, 17_980);
    let t = |s: &str| format!("Program {TOKEN_ID} {s}");
    let expected = vec![
        format!("Program {ATA_ID} invoke [1]"),
        "Program log: Create".to_string(),
        t("invoke [2]"),
        t("consumed 179 of 190109 compute units"),
        format!("Program return: {TOKEN_ID} pQAAAAAAAAA="),
        t("success"),
        format!("Program {} invoke [2]", ids::SYSTEM_PROGRAM),
        format!("Program {} success", ids::SYSTEM_PROGRAM),
        "Program log: Initialize the associated token account".to_string(),
        t("invoke [2]"),
        t("consumed 37 of 185020 compute units"),
        t("success"),
        t("invoke [2]"),
        t("consumed 233 of 182557 compute units"),
        t("success"),
        format!("Program {ATA_ID} consumed 17980 of 200000 compute units"),
        format!("Program {ATA_ID} success"),
    ];
    assert_eq!(jit.logs, expected);
}

#[test]
fn create_idempotent_creates_and_an_unknown_instruction_fails() {
    for mode in MODES {
        let first = create(mode, &[1]);
        assert_eq!(first.result, Ok(()), "{:#?}", first.logs);
        let out = create(mode, &[9]);
        assert_eq!(out.result, Err(InstructionError::InvalidInstructionData));
    }
}
