//! Wild CPI arguments fail cleanly and alike in both modes.

use super::*;

// ----- wild arguments -----

#[test]
fn wild_cpi_arguments_fail_cleanly_and_alike_in_both_modes() {
    // Arguments from region starts and ends, the stack with structures
    // zeroed or filled, and extremes; 300 seeded programs of both layouts.
    const VALUES: [u64; 12] = [
        0,
        1,
        8,
        u64::MAX,
        0x1_0000_0000,
        0x2_0000_0000,
        0x2_0000_0fc0,
        0x2_0000_1000,
        0x3_0000_0000,
        0x4_0000_0000,
        0x4_0000_0010,
        0x4_0000_0000 + 16 + 64,
    ];
    let mut state = 0x9e37_79b9_7f4a_7c15u64;
    let mut next = || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    for case in 0..300 {
        let syscall = if case % 2 == 0 {
            "sol_invoke_signed_c"
        } else {
            "sol_invoke_signed_rust"
        };
        let mut src = String::new();
        // Fill some of the stack with a byte so lengths and pointers there
        // are nonzero.
        let fill = next() % 3;
        if fill > 0 {
            src.push_str(&format!(
                "mov64 r1, r10\nsub64 r1, 512\nmov64 r2, {}\nmov64 r3, 512\nsyscall sol_memset_\n",
                if fill == 1 { 1 } else { 255 }
            ));
        }
        for r in 1..=5 {
            let v = VALUES[(next() % VALUES.len() as u64) as usize];
            src.push_str(&format!("lddw r{r}, {v:#x}\n"));
        }
        src.push_str(&format!("syscall {syscall}\nexit\n"));
        let data = vec![7u8; 64];
        let out = |m: Mode| {
            let program = Arc::new(SbpfProgram::from_assembly(&src, m).expect("assembles"));
            let mut registry = ProgramRegistry::new();
            registry.add(PROGRAM, program);
            let sysvars = SysvarCache::default();
            let config = ExecutionConfig::default();
            let env = Environment {
                programs: &registry,
                sysvars: &sysvars,
                config: &config,
            };
            process_instruction(
                &[],
                &Instruction::new_with_bytes(PROGRAM, &data, vec![]),
                200_000,
                env,
            )
        };
        let jit = out(Mode::Jit);
        assert_eq!(jit, out(Mode::Interpreter), "{src}");
        assert!(jit.result.is_err(), "{src}");
        assert!(
            !jit.logs.iter().any(|l| l.contains("syscall panicked")),
            "{src}"
        );
    }
}
