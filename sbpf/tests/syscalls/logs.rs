//! The logging syscalls: their charges and log lines.

use super::*;

#[test]
fn sol_log_charges_at_least_100_and_logs() {
    let src = "
        mov64 r1, r2
        mov64 r2, 11
        syscall sol_log_
        mov64 r0, 0
        exit";
    let out = run(src, b"hello world", 10_000);
    assert_eq!(out.result, Ok(()));
    assert_eq!(out.compute_units_consumed, 5 + 100);
    assert_eq!(program_lines(&out), vec!["Program log: hello world"]);
    let long = vec![b'x'; 300];
    let src = "
        mov64 r1, r2
        mov64 r2, 300
        syscall sol_log_
        mov64 r0, 0
        exit";
    let out = run(src, &long, 10_000);
    assert_eq!(out.compute_units_consumed, 5 + 300);
}

#[test]
fn sol_log_of_invalid_utf8_fails_without_depleting() {
    let src = "
        mov64 r1, r2
        mov64 r2, 2
        syscall sol_log_
        mov64 r0, 0
        exit";
    let out = run(src, &[0xff, 0xfe], 10_000);
    assert_eq!(out.result, Err(InstructionError::ProgramFailedToComplete));
    assert_eq!(out.compute_units_consumed, 3 + 100);
    assert_eq!(
        failed_line(&out),
        format!(
            "Program {PROGRAM} failed: invalid utf-8 sequence of 1 bytes from index 0: [255, 254]"
        )
    );
}

#[test]
fn sol_log_64_pubkey_and_compute_units() {
    let src = "
        mov64 r6, r2
        mov64 r1, 1
        mov64 r2, 2
        mov64 r3, 255
        mov64 r4, 0
        mov64 r5, 16
        syscall sol_log_64_
        mov64 r1, r6
        syscall sol_log_pubkey
        syscall sol_log_compute_units_
        mov64 r0, 0
        exit";
    let key = Pubkey::new_from_array([5; 32]);
    let out = run(src, key.as_array(), 10_000);
    assert_eq!(out.result, Ok(()));
    assert_eq!(out.compute_units_consumed, 12 + 300);
    // At the third syscall: 10 instructions and 200 units are used.
    assert_eq!(
        program_lines(&out),
        vec![
            "Program log: 0x1, 0x2, 0xff, 0x0, 0x10".to_string(),
            format!("Program log: {key}"),
            format!(
                "Program consumption: {} units remaining",
                10_000 - 10 - 200 - 100
            ),
        ]
    );
}

#[test]
fn sol_log_data_charges_per_field_and_byte() {
    // Two fields on the stack: ("abc", 3) and ("de", 2), from the data "abcde".
    let src = "
        stxdw [r10-32], r2
        stdw [r10-24], 3
        mov64 r3, r2
        add64 r3, 3
        stxdw [r10-16], r3
        stdw [r10-8], 2
        mov64 r1, r10
        sub64 r1, 32
        mov64 r2, 2
        syscall sol_log_data
        mov64 r0, 0
        exit";
    let out = run(src, b"abcde", 10_000);
    assert_eq!(out.result, Ok(()));
    assert_eq!(out.compute_units_consumed, 12 + 100 + 200 + 5);
    assert_eq!(program_lines(&out), vec!["Program data: YWJj ZGU="]);
}
