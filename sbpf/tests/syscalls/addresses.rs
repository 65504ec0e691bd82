//! The hash syscalls and the program-address syscalls.

use super::*;

#[test]
fn sha256_and_keccak256_of_one_slice() {
    let hash = |name: &str| {
        format!(
            "
        stxdw [r10-16], r2
        stdw [r10-8], 3
        mov64 r1, r10
        sub64 r1, 16
        mov64 r2, 1
        mov64 r3, r10
        sub64 r3, 48
        syscall {name}
        mov64 r1, r10
        sub64 r1, 48
        mov64 r2, 32
        syscall sol_set_return_data
        mov64 r0, 0
        exit"
        )
    };
    let out = run(&hash("sol_sha256"), b"abc", 10_000);
    assert_eq!(out.result, Ok(()));
    let expected = sha2::Sha256::digest(b"abc").to_vec();
    assert_eq!(out.return_data, Some((PROGRAM, expected.clone())));
    // 14 instructions, 85 + max(10, 3/2), 100 + 32/250.
    assert_eq!(out.compute_units_consumed, 14 + 95 + 100);
    use base64::Engine;
    let b64 = base64::engine::general_purpose::STANDARD.encode(&expected);
    assert_eq!(
        out.logs[out.logs.len() - 2],
        format!("Program return: {PROGRAM} {b64}"),
        "after the consumed line, before success"
    );
    assert!(out.logs[out.logs.len() - 3].contains(" consumed "));
    let out = run(&hash("sol_keccak256"), b"abc", 10_000);
    let expected = sha3::Keccak256::digest(b"abc").to_vec();
    assert_eq!(out.return_data, Some((PROGRAM, expected)));
}

#[test]
fn program_address_syscalls() {
    // Seeds: one seed, the instruction data "vault"; program id: PROGRAM,
    // read from the end of the input (after the data).
    let find = "
        stxdw [r10-16], r2
        stdw [r10-8], 5
        mov64 r3, r2
        add64 r3, 5
        mov64 r1, r10
        sub64 r1, 16
        mov64 r2, 1
        mov64 r4, r10
        sub64 r4, 64
        mov64 r5, r10
        sub64 r5, 65
        syscall sol_try_find_program_address
        mov64 r1, r10
        sub64 r1, 65
        mov64 r2, 33
        syscall sol_set_return_data
        mov64 r0, 0
        exit";
    let out = run(find, b"vault", 100_000);
    assert_eq!(out.result, Ok(()));
    let (key, bump) = pda::find_program_address(&[b"vault"], &PROGRAM);
    let mut expected = vec![bump];
    expected.extend_from_slice(key.as_array());
    assert_eq!(out.return_data.unwrap().1, expected);
    let tries = 256 - bump as u64;
    assert_eq!(out.compute_units_consumed, 18 + 1_500 * tries + 100);

    let create = "
        stxdw [r10-16], r2
        stdw [r10-8], 5
        mov64 r3, r2
        add64 r3, 5
        mov64 r1, r10
        sub64 r1, 16
        mov64 r2, 1
        mov64 r4, r10
        sub64 r4, 64
        syscall sol_create_program_address
        exit";
    // Without a bump, "vault" for this id may or may not be on the curve;
    // r0 says which, and must agree with baton_types::pda.
    let out = run(create, b"vault", 100_000);
    let on_curve = pda::create_program_address(&[b"vault"], &PROGRAM).is_err();
    let expected = if on_curve {
        Err(InstructionError::Custom(1))
    } else {
        Ok(())
    };
    assert_eq!(out.result, expected);
    assert_eq!(out.compute_units_consumed, 11 + 1_500);
}
