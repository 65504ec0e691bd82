//! Hostile sBPF programs (assembled): an endless loop, out-of-bounds reads
//! and writes, recursion past the call depth, megabytes of logs, wild
//! pointers to syscalls, an abort. Each fails only its own transaction with
//! Agave's error and units while the batch's transfers commit — the same
//! at 1 and 2 threads, under the JIT and the interpreter.
#![allow(clippy::unwrap_used)]

use std::sync::Arc;

use baton::sbpf::{Mode, SbpfProgram};
use baton::{
    system, Instruction, InstructionError, Keypair, Pubkey, Runtime, Transaction, TransactionError,
    TransactionResult,
};

/// (name, assembly, expected error, whether the fault depletes the meter).
const PROGRAMS: &[(&str, &str, InstructionError, bool)] = &[
    (
        "loop",
        "ja -1\nexit",
        InstructionError::ProgramFailedToComplete,
        true,
    ),
    (
        "read-oob",
        "lddw r1, 0x500000000\nldxdw r0, [r1+0]\nexit",
        InstructionError::ProgramFailedToComplete,
        true,
    ),
    (
        "write-ro",
        "lddw r1, 0x100000000\nstxdw [r1+0], r1\nexit",
        InstructionError::ProgramFailedToComplete,
        true,
    ),
    (
        "recurse",
        "call function_f\nexit\nfunction_f:\ncall function_f\nexit",
        InstructionError::ProgramFailedToComplete,
        true,
    ),
    (
        "log-spam",
        "spam:\nmov64 r1, r10\nsub64 r1, 4096\nmov64 r2, 4096\nsyscall sol_log_\nja spam\nexit",
        InstructionError::ComputationalBudgetExceeded,
        false,
    ),
    (
        "wild-pointer",
        "lddw r1, 0xdeadbeef0000\nmov64 r2, 64\nsyscall sol_log_\nexit",
        InstructionError::ProgramFailedToComplete,
        false,
    ),
    (
        "huge-memcpy",
        "mov64 r1, r10\nlddw r2, 0x400000000\nlddw r3, 0xffffffffffff\nsyscall sol_memcpy_\nexit",
        InstructionError::ComputationalBudgetExceeded,
        false,
    ),
    (
        "abort",
        "syscall abort\nexit",
        InstructionError::ProgramFailedToComplete,
        false,
    ),
];

fn program_id(i: usize) -> Pubkey {
    Pubkey::new_from_array([200 + i as u8; 32])
}

fn batch(threads: usize, mode: Mode) -> (Vec<TransactionResult>, Vec<u64>) {
    let mut rt = Runtime::new().with_threads(threads).with_sigverify(false);
    for (i, (_, src, _, _)) in PROGRAMS.iter().enumerate() {
        let p = SbpfProgram::from_assembly(src, mode).unwrap();
        rt.add_program(program_id(i), Arc::new(p));
    }
    let payers: Vec<Keypair> = (1..=16u8).map(|n| Keypair::from_seed(&[n; 32])).collect();
    for p in &payers {
        rt.airdrop(&p.pubkey(), 1_000_000_000).unwrap();
    }
    let bh = rt.latest_blockhash();
    let mut txs = Vec::new();
    for (i, p) in payers.iter().enumerate() {
        let to = Pubkey::new_from_u64(5_000 + i as u64);
        let ix = if i % 2 == 0 {
            system::instruction::transfer(&p.pubkey(), &to, 1_000_000)
        } else {
            Instruction::new_with_bytes(program_id((i / 2) % PROGRAMS.len()), &[], vec![])
        };
        txs.push(Transaction::new_signed_with_payer(&[ix], Some(&p.pubkey()), &[p], bh).unwrap());
    }
    let r = rt.execute_batch(&txs);
    let balances = (0..payers.len())
        .map(|i| rt.balance(&Pubkey::new_from_u64(5_000 + i as u64)))
        .collect();
    (r, balances)
}

#[test]
fn hostile_sbpf_programs_fail_alone_and_identically_at_1_and_2_threads() {
    for mode in [Mode::Jit, Mode::Interpreter] {
        let (one, balances) = batch(1, mode);
        for (i, r) in one.iter().enumerate() {
            if i % 2 == 0 {
                assert_eq!(r.status, Ok(()), "transfer {i}");
                assert_eq!(balances[i], 1_000_000);
            } else {
                let (name, _, err, depletes) = &PROGRAMS[(i / 2) % PROGRAMS.len()];
                assert_eq!(
                    r.status,
                    Err(TransactionError::InstructionError(0, *err)),
                    "{name} ({mode:?})"
                );
                if *name == "log-spam" {
                    // 48 lines of 4 KiB before the budget runs out. As in
                    // Agave's collector, a line that would bring the log to
                    // 10,000 bytes is dropped (the first with `Log
                    // truncated`), and later short lines still fit.
                    let lens: Vec<usize> = r.logs.iter().map(String::len).collect();
                    assert_eq!(lens.len(), 6, "{name}: {lens:?}");
                    assert!(lens[1] > 4096 && lens[2] > 4096);
                    assert_eq!(r.logs[3], "Log truncated");
                    assert!(r.logs[4].contains(" consumed 200000 of 200000 "));
                    assert!(r.logs[5].ends_with("failed: Computational budget exceeded"));
                }
                if *depletes {
                    assert_eq!(r.compute_units_consumed, 200_000, "{name}: meter depleted");
                } else {
                    assert!(r.compute_units_consumed <= 200_000, "{name}");
                }
                assert!(r.fee > 0, "{name}: the fee is still charged");
            }
        }
        let (two, balances2) = batch(2, mode);
        assert_eq!(one, two, "{mode:?}: 1 and 2 threads agree");
        assert_eq!(balances, balances2);
    }
}
