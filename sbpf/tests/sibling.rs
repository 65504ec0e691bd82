//! `sol_get_processed_sibling_instruction` over the executor's instruction
//! trace: a transaction's earlier top-level instruction is the sibling of a
//! later one.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::sync::Arc;

use baton_executor::{
    process_message, Environment, ExecutionConfig, ProgramRegistry, SysvarCache, TransactionOutcome,
};
use baton_sbpf::{Mode, SbpfProgram};
use baton_types::{ids, Account, AccountMeta, Instruction, Message, Pubkey};
use common::MODES;

const FIRST: Pubkey = Pubkey::from_str_const("F1rst11111111111111111111111111111111111111");
const ASKER: Pubkey = Pubkey::from_str_const("Asker111111111111111111111111111111111111111");

/// Asks for sibling `index` with room for 5 bytes of data and 1 account,
/// laid out below r10: accounts at -104 (34 bytes), data at -70 (5),
/// program id at -64 (32), the header at -16 (16). When the syscall
/// returns 1, those 104 bytes become the return data; it returns 0
/// otherwise.
fn asker(index: u64) -> String {
    format!(
        "
        stdw [r10-16], 5
        stdw [r10-8], 1
        mov64 r1, {index}
        mov64 r2, r10
        sub64 r2, 16
        mov64 r3, r10
        sub64 r3, 64
        mov64 r4, r10
        sub64 r4, 70
        mov64 r5, r10
        sub64 r5, 104
        syscall sol_get_processed_sibling_instruction
        jne r0, 1, +4
        mov64 r1, r10
        sub64 r1, 104
        mov64 r2, 104
        syscall sol_set_return_data
        mov64 r0, 0
        exit"
    )
}

fn run(index: u64, first_data: &[u8], mode: Mode) -> TransactionOutcome {
    let mut programs = ProgramRegistry::new();
    let noop = SbpfProgram::from_assembly("mov64 r0, 0\nexit", mode).unwrap();
    programs.add(FIRST, Arc::new(noop));
    let asker = SbpfProgram::from_assembly(&asker(index), mode).unwrap();
    programs.add(ASKER, Arc::new(asker));
    let sysvars = SysvarCache::default();
    let config = ExecutionConfig::default();
    let env = Environment {
        programs: &programs,
        sysvars: &sysvars,
        config: &config,
    };
    let payer = Pubkey::new_from_u64(1);
    let other = Pubkey::new_from_u64(2);
    let ixs = [
        Instruction::new_with_bytes(FIRST, first_data, vec![AccountMeta::new(other, false)]),
        Instruction::new_with_bytes(ASKER, b"", vec![]),
    ];
    let message = Message::new(&ixs, Some(&payer));
    let load = |k: &Pubkey| -> Option<Account> {
        if *k == FIRST || *k == ASKER {
            Some(Account {
                lamports: 1,
                data: vec![],
                owner: ids::NATIVE_LOADER,
                executable: true,
                rent_epoch: 0,
            })
        } else {
            Some(Account::new(1_000_000_000, 0, &ids::SYSTEM_PROGRAM))
        }
    };
    process_message(&message, &load, env).unwrap()
}

#[test]
fn the_previous_top_level_instruction_is_sibling_0() {
    for mode in MODES {
        let out = run(0, b"hello", mode);
        assert_eq!(out.status, Ok(()), "{:#?}", out.logs);
        let (program, data) = out.return_data.unwrap();
        assert_eq!(program, ASKER);
        assert_eq!(&data[..32], Pubkey::new_from_u64(2).as_array());
        assert_eq!(&data[32..34], &[0, 1], "not a signer, writable");
        assert_eq!(&data[34..39], b"hello");
        assert_eq!(&data[40..72], FIRST.as_array());
        assert_eq!(&data[88..96], &5u64.to_le_bytes());
        assert_eq!(&data[96..104], &1u64.to_le_bytes());
    }
}

#[test]
fn a_wrong_size_gets_the_sizes_only_and_a_missing_sibling_is_0() {
    for mode in MODES {
        // The sibling has 7 bytes of data, not 5: only the header is written.
        let out = run(0, b"goodbye", mode);
        assert_eq!(out.status, Ok(()));
        let (_, data) = out.return_data.unwrap();
        assert!(data[..88].iter().all(|b| *b == 0), "nothing but the header");
        assert_eq!(&data[88..96], &7u64.to_le_bytes());
        assert_eq!(&data[96..104], &1u64.to_le_bytes());
        // There is no second sibling: the syscall returns 0.
        let out = run(1, b"hello", mode);
        assert_eq!(out.status, Ok(()));
        assert_eq!(out.return_data, None);
    }
}
