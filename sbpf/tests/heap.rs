//! The heap a transaction requests with `RequestHeapFrame`: an sBPF program
//! gets that many bytes (32 KiB by default), and each invocation is charged
//! 8 units per 32 KiB page past the first, as Agave charges it when it
//! creates the VM; a budget too small for that charge fails the
//! instruction with `ProgramEnvironmentSetupFailure`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::sync::Arc;

use baton_executor::{
    process_loaded_message, Environment, ExecutionConfig, ProgramRegistry, SysvarCache,
    TransactionBudget, TransactionOutcome,
};
use baton_sbpf::{heap_cost, Mode, SbpfProgram};
use baton_types::{
    ids, Account, Instruction, InstructionError, LoadedMessage, Message, Pubkey, TransactionError,
};
use common::MODES;

const PROGRAM: Pubkey = Pubkey::from_str_const("Heap111111111111111111111111111111111111111");

/// Writes one byte at heap offset 40,000 (past a 32 KiB heap) and exits 0.
const WRITE_PAST_32K: &str = "
    lddw r1, 0x300000000
    add64 r1, 40000
    stb [r1+0], 7
    mov64 r0, 0
    exit";

fn run(heap_size: u32, units: u64, mode: Mode) -> TransactionOutcome {
    let mut programs = ProgramRegistry::new();
    let program = SbpfProgram::from_assembly(WRITE_PAST_32K, mode).unwrap();
    programs.add(PROGRAM, Arc::new(program));
    let sysvars = SysvarCache::default();
    let config = ExecutionConfig::default();
    let env = Environment {
        programs: &programs,
        sysvars: &sysvars,
        config: &config,
    };
    let payer = Pubkey::new_from_u64(1);
    let message = Message::new(
        &[Instruction::new_with_bytes(PROGRAM, b"", vec![])],
        Some(&payer),
    );
    let load = |k: &Pubkey| -> Option<Account> {
        Some(if *k == PROGRAM {
            Account {
                lamports: 1,
                data: vec![],
                owner: ids::NATIVE_LOADER,
                executable: true,
                rent_epoch: 0,
            }
        } else {
            Account::new(1_000_000_000, 0, &ids::SYSTEM_PROGRAM)
        })
    };
    let budget = TransactionBudget {
        heap_size,
        compute_unit_limit: units,
        ..TransactionBudget::default_for(&config, 1)
    };
    process_loaded_message(LoadedMessage::legacy(&message), &load, env, &budget).unwrap()
}

#[test]
fn the_heap_cost_is_agaves() {
    assert_eq!(heap_cost(31 * 1024), 0);
    assert_eq!(heap_cost(32 * 1024), 0);
    assert_eq!(heap_cost(33 * 1024), 8);
    assert_eq!(heap_cost(64 * 1024), 8);
    assert_eq!(heap_cost(65 * 1024), 16);
    assert_eq!(heap_cost(256 * 1024), 56);
}

#[test]
fn a_requested_heap_is_there_and_charged() {
    for mode in MODES {
        // The default 32 KiB heap: the write faults.
        let out = run(32 * 1024, 200_000, mode);
        assert!(
            matches!(out.status, Err(TransactionError::InstructionError(0, _))),
            "{mode:?}: {out:?}"
        );
        // 64 KiB requested: the write lands, and the VM cost 8 units more
        // than the same program's 5 instructions.
        let out = run(64 * 1024, 200_000, mode);
        assert_eq!(out.status, Ok(()), "{mode:?}: {:#?}", out.logs);
        assert_eq!(out.compute_units_consumed, 5 + 8, "{mode:?}");
        // A 256 KiB heap costs 56 units.
        let out = run(256 * 1024, 200_000, mode);
        assert_eq!(out.compute_units_consumed, 5 + 56, "{mode:?}");
    }
}

#[test]
fn a_heap_the_budget_cannot_pay_for_fails_the_vm_setup() {
    for mode in MODES {
        let out = run(256 * 1024, 50, mode);
        assert_eq!(
            out.status,
            Err(TransactionError::InstructionError(
                0,
                InstructionError::ProgramEnvironmentSetupFailure
            )),
            "{mode:?}"
        );
        assert!(
            out.logs
                .iter()
                .any(|l| l == "Failed to create SBF VM: Computational budget exceeded"),
            "{mode:?}: {:#?}",
            out.logs
        );
    }
}
