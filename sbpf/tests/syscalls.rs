//! The syscalls, through hand-assembled programs, in both modes: results,
//! compute units (each executed instruction costs 1, plus the syscall's
//! charge) and log lines; VM faults; memory determinism; read-back rules.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::sync::Arc;

use baton_executor::{
    process_instruction, Environment, ExecutionConfig, InstructionOutcome, ProgramRegistry,
    SysvarCache,
};
use baton_sbpf::{Mode, SbpfProgram};
use baton_types::{pda, Account, AccountMeta, Instruction, InstructionError, Pubkey};
use common::MODES;
use sha2::Digest;

const PROGRAM: Pubkey = Pubkey::from_str_const("Asm1111111111111111111111111111111111111111");

struct Run {
    registry: ProgramRegistry,
    sysvars: SysvarCache,
    config: ExecutionConfig,
}

impl Run {
    fn new(src: &str, mode: Mode) -> Self {
        let mut registry = ProgramRegistry::new();
        let p = SbpfProgram::from_assembly(src, mode).expect("assembles");
        registry.add(PROGRAM, Arc::new(p));
        Self {
            registry,
            sysvars: SysvarCache::default(),
            config: ExecutionConfig::default(),
        }
    }

    fn run(
        &self,
        data: &[u8],
        accounts: &[(Pubkey, Account)],
        metas: Vec<AccountMeta>,
        budget: u64,
    ) -> InstructionOutcome {
        let env = Environment {
            programs: &self.registry,
            sysvars: &self.sysvars,
            config: &self.config,
        };
        let ix = Instruction::new_with_bytes(PROGRAM, data, metas);
        process_instruction(accounts, &ix, budget, env)
    }
}

/// Run `src` with instruction `data` and no accounts in both modes; check
/// both modes agree and return the JIT's outcome.
fn run(src: &str, data: &[u8], budget: u64) -> InstructionOutcome {
    let mut outs: Vec<InstructionOutcome> = MODES
        .iter()
        .map(|&m| Run::new(src, m).run(data, &[], vec![], budget))
        .collect();
    let interp = outs.pop().unwrap();
    let jit = outs.pop().unwrap();
    assert_eq!(jit, interp, "JIT and interpreter agree");
    jit
}

fn program_lines(out: &InstructionOutcome) -> Vec<String> {
    out.logs
        .iter()
        .filter(|l| !l.starts_with(&format!("Program {PROGRAM}")))
        .cloned()
        .collect()
}

fn failed_line(out: &InstructionOutcome) -> String {
    out.logs.last().unwrap().clone()
}

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

/// A program that moves `data[0]` lamports from account 1 to account 0
/// (both owned by it unless a test says otherwise), grows account 0's data
/// length by the u16 at `data[4..6]`, and sets account 0's owner to the key
/// in `data[8..40]` when `data[2]` is 1. Account 0's record starts at input
/// offset 8 (lamports +80, length +88, owner +48); account 1's follows at
/// 8 + 10,336 + the original length rounded up to 8.
const EDITOR: &str = "
    ldxb r6, [r2+0]
    ldxh r7, [r2+4]
    ldxb r8, [r2+2]
    ldxdw r5, [r1+88]
    mov64 r9, r5
    add64 r9, 7
    and64 r9, -8
    add64 r9, r1
    add64 r9, 10344
    ldxdw r4, [r1+80]
    add64 r4, r6
    stxdw [r1+80], r4
    ldxdw r4, [r9+72]
    sub64 r4, r6
    stxdw [r9+72], r4
    add64 r5, r7
    stxdw [r1+88], r5
    jeq r8, 0, +8
    ldxdw r3, [r2+8]
    stxdw [r1+48], r3
    ldxdw r3, [r2+16]
    stxdw [r1+56], r3
    ldxdw r3, [r2+24]
    stxdw [r1+64], r3
    ldxdw r3, [r2+32]
    stxdw [r1+72], r3
    mov64 r0, 0
    exit";

fn editor_case(mode: Mode, data: &[u8], a0: Account, writable: bool) -> InstructionOutcome {
    let (k0, k1) = (
        Pubkey::new_from_array([1; 32]),
        Pubkey::new_from_array([2; 32]),
    );
    let a1 = Account::with_data(1_000, vec![], &PROGRAM);
    let r = Run::new(EDITOR, mode);
    let meta0 = if writable {
        AccountMeta::new(k0, false)
    } else {
        AccountMeta::new_readonly(k0, false)
    };
    r.run(
        data,
        &[(k0, a0), (k1, a1)],
        vec![meta0, AccountMeta::new(k1, false)],
        10_000,
    )
}

#[test]
fn read_back_applies_lamports_growth_and_owner_through_the_rules() {
    let mut data = vec![0u8; 40];
    for mode in MODES {
        let a0 = Account::with_data(500, vec![1, 2, 3], &PROGRAM);
        // 10 lamports moved, 5 bytes of growth.
        data[..3].copy_from_slice(&[10, 0, 0]);
        data[4..6].copy_from_slice(&5u16.to_le_bytes());
        let out = editor_case(mode, &data, a0.clone(), true);
        assert_eq!(out.result, Ok(()), "{:#?}", out.logs);
        assert_eq!(out.accounts[0].1.lamports, 510);
        assert_eq!(out.accounts[0].1.data, vec![1, 2, 3, 0, 0, 0, 0, 0]);
        assert_eq!(out.accounts[1].1.lamports, 990);
        // A read-only account's balance may not change.
        let out = editor_case(mode, &data, a0.clone(), false);
        assert_eq!(out.result, Err(InstructionError::ReadonlyLamportChange));
        assert_eq!(out.accounts[1].1.lamports, 1_000, "rolled back");
        // Growth by 10,240 is allowed; by more, InvalidRealloc.
        data[..3].copy_from_slice(&[0, 0, 0]);
        data[4..6].copy_from_slice(&10_240u16.to_le_bytes());
        let out = editor_case(mode, &data, a0.clone(), true);
        assert_eq!(out.result, Ok(()));
        assert_eq!(out.accounts[0].1.data.len(), 3 + 10_240);
        data[4..6].copy_from_slice(&10_241u16.to_le_bytes());
        let out = editor_case(mode, &data, a0.clone(), true);
        assert_eq!(out.result, Err(InstructionError::InvalidRealloc));
        data[4..6].copy_from_slice(&[0, 0]);
        // Owner change of a zeroed account to a new owner.
        let zeroed = Account::with_data(500, vec![0; 4], &PROGRAM);
        data[..3].copy_from_slice(&[0, 0, 1]);
        data[4..6].copy_from_slice(&[0, 0]);
        data[8..40].copy_from_slice(&[7; 32]);
        let out = editor_case(mode, &data, zeroed, true);
        assert_eq!(out.result, Ok(()));
        assert_eq!(out.accounts[0].1.owner, Pubkey::new_from_array([7; 32]));
        // Owner change of an account with data: ModifiedProgramId.
        let out = editor_case(mode, &data, a0.clone(), true);
        assert_eq!(out.result, Err(InstructionError::ModifiedProgramId));
        // Changing the data of an account it does not own.
        let foreign = Account::with_data(500, vec![1], &Pubkey::new_from_array([8; 32]));
        data[..3].copy_from_slice(&[0, 0, 0]);
        data[4..6].copy_from_slice(&1u16.to_le_bytes());
        let out = editor_case(mode, &data, foreign, true);
        assert_eq!(out.result, Err(InstructionError::AccountDataSizeChanged));
    }
}

#[test]
fn vm_stores_to_deep_frames_and_the_heap_are_cleared_for_the_next_program() {
    // The writer stores with VM instructions (not syscalls) into the last
    // stack frame (frame 63 is at VM offset 126 * 4 KiB, gapped) and the
    // heap's last word; the reader loads the same words.
    let writer = "
        lddw r1, 0x20007eff8
        mov64 r2, -1
        stxdw [r1+0], r2
        lddw r1, 0x300007ff8
        stxdw [r1+0], r2
        stxdw [r10-8], r2
        mov64 r0, 0
        exit";
    let reader = "
        lddw r1, 0x20007eff8
        ldxdw r0, [r1+0]
        lddw r1, 0x300007ff8
        ldxdw r2, [r1+0]
        or64 r0, r2
        ldxdw r2, [r10-8]
        or64 r0, r2
        exit";
    for mode in MODES {
        let w = Run::new(writer, mode);
        let r = Run::new(reader, mode);
        for _ in 0..3 {
            assert_eq!(w.run(&[], &[], vec![], 1_000).result, Ok(()), "{mode:?}");
            assert_eq!(r.run(&[], &[], vec![], 1_000).result, Ok(()), "{mode:?}");
        }
    }
}

#[test]
fn faults_name_their_region_as_agave_does() {
    let cases = [
        // A stack gap (frame 1 of the VM space is a gap in SBPF v0).
        (
            "lddw r1, 0x200001000\nldxdw r0, [r1+0]\nexit",
            "Access violation in stack frame 1 at address 0x200001000 of size 8",
        ),
        // A load crossing the end of the heap, with the heap untouched.
        (
            "lddw r1, 0x300007ffc\nldxdw r0, [r1+0]\nexit",
            "Access violation reading 8 bytes at address 0x300007ffc (in heap region)",
        ),
        // A store into the read-only program region.
        (
            "lddw r1, 0x100000000\nstxdw [r1+0], r1\nexit",
            "Access violation writing 8 bytes at address 0x100000000 (in program region)",
        ),
        // Past the heap.
        (
            "lddw r1, 0x300010000\nldxdw r0, [r1+0]\nexit",
            "Access violation reading 8 bytes at address 0x300010000 (in unallocated region)",
        ),
    ];
    for (src, msg) in cases {
        let out = run(src, &[], 1_000);
        assert_eq!(out.result, Err(InstructionError::ProgramFailedToComplete));
        assert_eq!(out.compute_units_consumed, 1_000);
        assert_eq!(
            failed_line(&out),
            format!("Program {PROGRAM} failed: {msg}")
        );
    }
}
