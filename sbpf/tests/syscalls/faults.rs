//! Aborts, panics, VM faults, running out of units, and memory that starts zeroed.

use super::*;

#[test]
fn abort_and_panic_fail_without_depleting() {
    let out = run("syscall abort\nexit", &[], 10_000);
    assert_eq!(out.result, Err(InstructionError::ProgramFailedToComplete));
    assert_eq!(out.compute_units_consumed, 1);
    assert_eq!(
        failed_line(&out),
        format!("Program {PROGRAM} failed: SBF program panicked")
    );
    let src = "
        mov64 r1, r2
        mov64 r2, 6
        mov64 r3, 12
        mov64 r4, 3
        syscall sol_panic_
        exit";
    let out = run(src, b"lib.rs", 10_000);
    assert_eq!(out.result, Err(InstructionError::ProgramFailedToComplete));
    assert_eq!(out.compute_units_consumed, 5 + 6);
    assert_eq!(
        failed_line(&out),
        format!("Program {PROGRAM} failed: SBF program Panicked in lib.rs at 12:3")
    );
}

#[test]
fn vm_faults_deplete_the_meter() {
    for (src, why) in [
        ("ldxdw r0, [r0+0]\nexit", "read from address 0"),
        ("mov64 r1, 0\ndiv64 r0, r1\nexit", "division by zero"),
        ("ja -1\nexit", "an endless loop"),
        (
            "call function_foo\nexit\nfunction_foo:\ncall function_foo\nexit",
            "recursion past the call depth",
        ),
        (
            "lddw r1, 0x400100000\nstxdw [r1+0], r1\nmov64 r0, 0\nexit",
            "a store past the input",
        ),
    ] {
        let out = run(src, &[], 5_000);
        assert_eq!(
            out.result,
            Err(InstructionError::ProgramFailedToComplete),
            "{why}"
        );
        assert_eq!(
            out.compute_units_consumed, 5_000,
            "{why}: every unit is consumed"
        );
    }
    let out = run("ja -1\nexit", &[], 5_000);
    assert_eq!(
        failed_line(&out),
        format!("Program {PROGRAM} failed: exceeded CUs meter at BPF instruction")
    );
    // The `consumed` line shows what the program used before the fault;
    // the meter is depleted after it, as Agave's loader does.
    let out = run(
        "mov64 r1, 0\nmov64 r2, 0\nldxdw r0, [r1+0]\nexit",
        &[],
        5_000,
    );
    assert_eq!(out.compute_units_consumed, 5_000);
    assert_eq!(
        out.logs,
        vec![
            format!("Program {PROGRAM} invoke [1]"),
            format!("Program {PROGRAM} consumed 3 of 5000 compute units"),
            format!(
                "Program {PROGRAM} failed: Access violation reading 8 bytes at address 0x0 (in unallocated region)"
            ),
        ]
    );
}

#[test]
fn a_syscall_out_of_units_fails_with_the_budget_error() {
    let src = "
        mov64 r1, r2
        mov64 r2, 5
        syscall sol_log_
        mov64 r0, 0
        exit";
    let out = run(src, b"12345", 50);
    assert_eq!(
        out.result,
        Err(InstructionError::ComputationalBudgetExceeded)
    );
    assert_eq!(out.compute_units_consumed, 50);
}

#[test]
fn stack_and_heap_start_zeroed_whatever_ran_before() {
    // The writer fills stack frame 0, a deep frame and the heap with 0xff;
    // the reader sums the same places and must see zeros.
    let writer = "
        mov64 r1, r10
        sub64 r1, 4096
        mov64 r2, 255
        mov64 r3, 4096
        syscall sol_memset_
        lddw r1, 0x200030000
        mov64 r2, 255
        mov64 r3, 4096
        syscall sol_memset_
        lddw r1, 0x300000000
        mov64 r2, 255
        mov64 r3, 32768
        syscall sol_memset_
        mov64 r0, 0
        exit";
    let reader = "
        ldxdw r0, [r10-8]
        ldxdw r1, [r10-4096]
        or64 r0, r1
        lddw r2, 0x200030000
        ldxdw r1, [r2+0]
        or64 r0, r1
        lddw r2, 0x300000000
        ldxdw r1, [r2+0]
        or64 r0, r1
        ldxdw r1, [r2+32760]
        or64 r0, r1
        exit";
    for mode in MODES {
        let w = Run::new(writer, mode);
        let r = Run::new(reader, mode);
        for _ in 0..3 {
            assert_eq!(w.run(&[], &[], vec![], 10_000).result, Ok(()));
            assert_eq!(r.run(&[], &[], vec![], 10_000).result, Ok(()), "{mode:?}");
        }
    }
}
