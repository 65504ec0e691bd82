//! The memory syscalls: memcpy, memmove, memset, memcmp and their overlap rule.

use super::*;

#[test]
fn memcpy_memmove_memset_memcmp() {
    // memset 16 bytes of the stack to 7, memcpy 8 of them further, compare.
    let src = "
        mov64 r1, r10
        sub64 r1, 32
        mov64 r2, 7
        mov64 r3, 16
        syscall sol_memset_
        mov64 r1, r10
        sub64 r1, 8
        mov64 r2, r10
        sub64 r2, 32
        mov64 r3, 8
        syscall sol_memcpy_
        mov64 r1, r10
        sub64 r1, 8
        mov64 r2, r10
        sub64 r2, 24
        mov64 r3, 8
        mov64 r4, r10
        sub64 r4, 40
        syscall sol_memcmp_
        ldxw r0, [r10-40]
        exit";
    let out = run(src, &[], 10_000);
    assert_eq!(out.result, Ok(()), "equal bytes compare as 0");
    assert_eq!(out.compute_units_consumed, 21 + 30);

    // memcmp returns the difference of the first differing bytes (as i32).
    let src = "
        mov64 r1, r2
        add64 r2, 1
        mov64 r3, 2
        mov64 r4, r10
        sub64 r4, 8
        syscall sol_memcmp_
        ldxw r0, [r10-8]
        exit";
    let out = run(src, &[5, 9, 3], 10_000);
    // ldxw zero-extends: -4 comes back as 0xffff_fffc.
    assert_eq!(out.result, Err(InstructionError::Custom((-4i32) as u32)));
    let out = run(src, &[9, 5, 3], 10_000);
    assert_eq!(out.result, Err(InstructionError::Custom(4)));
}

#[test]
fn memcpy_of_overlapping_ranges_fails_and_memmove_does_not() {
    let copy = |name: &str| {
        format!(
            "
        mov64 r1, r10
        sub64 r1, 16
        mov64 r2, r10
        sub64 r2, 12
        mov64 r3, 8
        syscall {name}
        mov64 r0, 0
        exit"
        )
    };
    let out = run(&copy("sol_memcpy_"), &[], 10_000);
    assert_eq!(out.result, Err(InstructionError::ProgramFailedToComplete));
    assert_eq!(out.compute_units_consumed, 6 + 10, "not depleted");
    assert_eq!(
        failed_line(&out),
        format!("Program {PROGRAM} failed: Overlapping copy")
    );
    let out = run(&copy("sol_memmove_"), &[], 10_000);
    assert_eq!(out.result, Ok(()));
    // Large copies cost n / 250.
    let src = "
        mov64 r1, r10
        sub64 r1, 4000
        mov64 r2, 0
        mov64 r3, 3000
        syscall sol_memset_
        mov64 r0, 0
        exit";
    assert_eq!(run(src, &[], 10_000).compute_units_consumed, 7 + 12);
}
