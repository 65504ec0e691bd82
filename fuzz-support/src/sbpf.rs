//! Fuzz bodies for real programs (`baton::sbpf`):
//!
//! - [`sbpf_elf`]: loading arbitrary bytes as an ELF never panics; an ELF
//!   that loads runs on an instruction under the JIT and the interpreter
//!   with the same outcome, within its budget;
//! - [`sbpf_syscalls`]: a program assembled from the input, a sequence of
//!   syscalls with arguments drawn from interesting addresses and lengths
//!   (wild pointers, region edges, huge lengths), runs under both modes
//!   with the same outcome, within its budget, and never panics.

use std::sync::Arc;

use baton::executor::{
    process_instruction, Environment, ExecutionConfig, InstructionOutcome, ProgramRegistry,
    SysvarCache,
};
use baton::sbpf::{syscalls, Mode, SbpfProgram};
use baton::{Account, AccountMeta, Instruction, Pubkey};

/// The program id the fuzzed programs run at.
pub const PROGRAM: Pubkey = Pubkey::from_str_const("Fuzz111111111111111111111111111111111111111");
/// Compute units each fuzzed instruction gets.
pub const BUDGET: u64 = 20_000;

/// Run `jit` and `interp` (the same program in the two modes) on one
/// instruction with two accounts, and check that the outcomes agree and
/// stay within the budget.
fn run_both(jit: SbpfProgram, interp: SbpfProgram, data: &[u8]) {
    let outcome = |p: SbpfProgram| -> InstructionOutcome {
        let mut programs = ProgramRegistry::new();
        programs.add(PROGRAM, Arc::new(p));
        let sysvars = SysvarCache::default();
        let config = ExecutionConfig::default();
        let env = Environment {
            programs: &programs,
            sysvars: &sysvars,
            config: &config,
        };
        let (a, b) = (Pubkey::new_from_u64(1), Pubkey::new_from_u64(2));
        let accounts = [
            (a, Account::with_data(1_000_000, vec![7; 40], &PROGRAM)),
            (b, Account::with_data(5, vec![], &Pubkey::new_from_u64(9))),
        ];
        let ix = Instruction::new_with_bytes(
            PROGRAM,
            data,
            vec![
                AccountMeta::new(a, true),
                AccountMeta::new_readonly(b, false),
                AccountMeta::new(a, true),
            ],
        );
        process_instruction(&accounts, &ix, BUDGET, env)
    };
    let j = outcome(jit);
    let i = outcome(interp);
    assert!(j.compute_units_consumed <= BUDGET, "over budget: {j:?}");
    assert_eq!(j, i, "JIT and interpreter disagree");
}

/// Fuzz body: `data` as an ELF.
pub fn sbpf_elf(data: &[u8]) {
    // The deployment checks, then the execution settings (what a stored
    // program is loaded with); neither may panic.
    let _ = SbpfProgram::load_with_mode(data, Mode::Interpreter);
    let Ok(jit) = SbpfProgram::load_deployed(data, Mode::Jit) else {
        return;
    };
    let interp = jit.with_mode(Mode::Interpreter);
    run_both(jit, interp, b"fuzz");
}

/// Argument values the syscall fuzzer draws from: region starts and ends,
/// the stack top, misaligned and wild pointers, and lengths around the limits.
const VALUES: &[u64] = &[
    0,
    1,
    7,
    8,
    16,
    32,
    255,
    1_024,
    1_025,
    10_240,
    20_001,
    0x1_0000_0000,
    0x1_0000_0008,
    0x2_0000_0000,
    0x2_0000_0f00,
    0x2_0000_0fc0,
    0x2_0000_0ff8,
    0x2_0000_0ffc,
    0x2_0000_1000,
    0x2_0003_0000,
    0x2_0007_eff0,
    0x3_0000_0000,
    0x3_0000_7ff0,
    0x3_0000_8000,
    0x4_0000_0000,
    0x4_0000_0008,
    0x4_0000_0010,
    0x4_0000_0058,
    0x4_0000_2860,
    0x4_0000_5000,
    0x5_0000_0000,
    u32::MAX as u64,
    i64::MAX as u64,
    u64::MAX,
    u64::MAX - 7,
];

/// The assembly of the program `data` describes: up to 12 syscalls, each
/// from 6 bytes (the syscall, then an index into `VALUES` per argument),
/// preceded by stores that put `data`'s bytes on the stack and heap so
/// pointers there hold something.
pub fn sbpf_syscalls_program(data: &[u8]) -> String {
    let mut src = String::new();
    // A few words on the stack and heap, and a slice table at the stack top.
    src.push_str("lddw r1, 0x200000fc0\nmov64 r2, 0x3f\nstxdw [r1+0], r2\n");
    src.push_str("lddw r3, 0x400000058\nstxdw [r1+8], r3\nmov64 r2, 5\nstxdw [r1+16], r2\n");
    src.push_str("lddw r1, 0x300007ff0\nstxdw [r1+0], r3\n");
    for chunk in data.chunks_exact(6).take(12) {
        let name = syscalls::NAMES[chunk[0] as usize % syscalls::NAMES.len()];
        for (r, b) in chunk[1..].iter().enumerate() {
            let v = VALUES[*b as usize % VALUES.len()];
            src.push_str(&format!("lddw r{}, {v:#x}\n", r + 1));
        }
        src.push_str(&format!("syscall {name}\n"));
    }
    src.push_str("mov64 r0, 0\nexit\n");
    src
}

/// Fuzz body: a program of syscalls with fuzzed arguments.
pub fn sbpf_syscalls(data: &[u8]) {
    let src = sbpf_syscalls_program(data);
    let jit = match SbpfProgram::from_assembly(&src, Mode::Jit) {
        Ok(p) => p,
        Err(e) => panic!("the generated program must assemble: {e}\n{src}"),
    };
    let interp = jit.with_mode(Mode::Interpreter);
    run_both(jit, interp, data);
}
