//! The sysvar getters, return data, stack height, remaining units and the heap.

use super::*;

#[test]
fn sysvar_getters_and_sol_get_sysvar() {
    let clock = "
        mov64 r1, r10
        sub64 r1, 40
        syscall sol_get_clock_sysvar
        mov64 r1, r10
        sub64 r1, 40
        mov64 r2, 40
        syscall sol_set_return_data
        mov64 r0, 0
        exit";
    let out = run(clock, &[], 10_000);
    assert_eq!(out.result, Ok(()));
    assert_eq!(
        out.return_data.unwrap().1,
        vec![0u8; 40],
        "the default clock"
    );
    assert_eq!(out.compute_units_consumed, 9 + 140 + 100);

    let rent = "
        mov64 r1, r10
        sub64 r1, 24
        syscall sol_get_rent_sysvar
        mov64 r1, r10
        sub64 r1, 24
        mov64 r2, 17
        syscall sol_set_return_data
        mov64 r0, 0
        exit";
    let out = run(rent, &[], 10_000);
    let rd = out.return_data.unwrap().1;
    assert_eq!(&rd[..8], &6_960u64.to_le_bytes());
    assert_eq!(&rd[8..16], &1.0f64.to_le_bytes());
    assert_eq!(rd[16], 50);
    assert_eq!(out.compute_units_consumed, 9 + 124 + 100);

    // A misaligned pointer fails.
    let misaligned = "
        mov64 r1, r10
        sub64 r1, 41
        syscall sol_get_clock_sysvar
        mov64 r0, 0
        exit";
    let out = run(misaligned, &[], 10_000);
    assert_eq!(out.result, Err(InstructionError::ProgramFailedToComplete));

    // sol_get_sysvar(id = data[0..32], var, offset 8, len 9): Rent's bincode
    // bytes 8..17; 2 for an unknown id; 1 past the end.
    let get = "
        mov64 r1, r2
        mov64 r2, r10
        sub64 r2, 16
        mov64 r3, 8
        mov64 r4, 9
        syscall sol_get_sysvar
        jne r0, 0, +5
        mov64 r1, r10
        sub64 r1, 16
        mov64 r2, 9
        syscall sol_set_return_data
        mov64 r0, 0
        exit";
    let rent_id = Pubkey::from_str_const("SysvarRent111111111111111111111111111111111");
    let out = run(get, rent_id.as_array(), 10_000);
    assert_eq!(out.result, Ok(()));
    let mut expected = 1.0f64.to_le_bytes().to_vec();
    expected.push(50);
    assert_eq!(out.return_data.unwrap().1, expected);
    assert_eq!(out.compute_units_consumed, 13 + 110 + 100);
    let out = run(get, &[9; 32], 10_000);
    assert_eq!(out.result, Err(InstructionError::Custom(2)));
    let past_end = get.replace("mov64 r4, 9", "mov64 r4, 10");
    let out = run(&past_end, rent_id.as_array(), 10_000);
    assert_eq!(out.result, Err(InstructionError::Custom(1)));
}

#[test]
fn return_data_round_trip_and_limits() {
    let src = "
        mov64 r6, r2
        mov64 r1, r2
        mov64 r2, 4
        syscall sol_set_return_data
        mov64 r1, r10
        sub64 r1, 8
        mov64 r2, 8
        mov64 r3, r10
        sub64 r3, 40
        syscall sol_get_return_data
        exit";
    let out = run(src, b"wxyz", 10_000);
    // get_return_data returns the full length: 4.
    assert_eq!(out.result, Err(InstructionError::Custom(4)));
    // 11 instructions; set 100; get 100 + (4 + 32) / 250.
    assert_eq!(out.compute_units_consumed, 11 + 200);

    let too_large = "
        mov64 r1, r10
        sub64 r1, 2000
        mov64 r2, 1025
        syscall sol_set_return_data
        mov64 r0, 0
        exit";
    let out = run(too_large, &[], 10_000);
    assert_eq!(out.result, Err(InstructionError::ProgramFailedToComplete));
    assert_eq!(
        failed_line(&out),
        format!("Program {PROGRAM} failed: Return data too large (1025 > 1024)")
    );
}

#[test]
fn stack_height_remaining_units_and_heap() {
    let out = run("syscall sol_get_stack_height\nexit", &[], 10_000);
    assert_eq!(out.result, Err(InstructionError::Custom(1)));
    assert_eq!(out.compute_units_consumed, 2 + 100);
    let out = run("syscall sol_remaining_compute_units\nexit", &[], 10_000);
    assert_eq!(out.result, Err(InstructionError::Custom(10_000 - 1 - 100)));
    // Two allocations: 10 bytes, then 8 more at the next 8-aligned offset.
    let src = "
        mov64 r1, 10
        mov64 r2, 0
        syscall sol_alloc_free_
        mov64 r1, 8
        mov64 r2, 0
        syscall sol_alloc_free_
        lddw r1, 0x300000000
        sub64 r0, r1
        exit";
    let out = run(src, &[], 10_000);
    assert_eq!(out.result, Err(InstructionError::Custom(16)));
    // Past the 32 KiB heap: null.
    let src = "
        mov64 r1, 32769
        mov64 r2, 0
        syscall sol_alloc_free_
        exit";
    assert_eq!(run(src, &[], 10_000).result, Ok(()));
}
