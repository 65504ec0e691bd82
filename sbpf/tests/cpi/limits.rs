//! Limits and refusals before the accounts, through `raw_invoke_c.s`.

use super::*;

// ----- limits and refusals before the accounts (raw_invoke_c.s) -----

/// Where the instruction data of an instruction without accounts starts.
const RAW_DATA: u64 = 0x4_0000_0000 + 16;

/// Data for raw_invoke_c.s: the SolInstruction at +40 (program id at +80,
/// `metas` and `data_len` as given, both pointing at +112), and
/// `signers` seed sets of `seeds` seeds of `seed_len` bytes.
fn raw(
    program: Pubkey,
    metas: u64,
    data_len: u64,
    signers: u64,
    seeds: u64,
    seed_len: u64,
) -> Vec<u8> {
    raw_at(RAW_DATA, program, metas, data_len, signers, seeds, seed_len)
}

/// [`raw`] for data that starts at VM address `base`.
pub(super) fn raw_at(
    base: u64,
    program: Pubkey,
    metas: u64,
    data_len: u64,
    signers: u64,
    seeds: u64,
    seed_len: u64,
) -> Vec<u8> {
    let mut d = vec![0u8; 112];
    let put = |d: &mut Vec<u8>, at: usize, v: u64| d[at..at + 8].copy_from_slice(&v.to_le_bytes());
    put(&mut d, 0, base + 40);
    put(&mut d, 24, base + 112);
    put(&mut d, 32, signers);
    put(&mut d, 40, base + 80);
    put(&mut d, 48, base + 112);
    put(&mut d, 56, metas);
    put(&mut d, 64, base + 112);
    put(&mut d, 72, data_len);
    d[80..112].copy_from_slice(program.as_array());
    // Seed sets at +112, each pointing at one shared seed table after them.
    let table = 112 + 16 * signers as usize;
    let bytes = table + 16 * seeds as usize;
    d.resize(bytes + seed_len as usize + 600, 0);
    for s in 0..signers as usize {
        put(&mut d, 112 + 16 * s, base + table as u64);
        put(&mut d, 120 + 16 * s, seeds);
    }
    for s in 0..seeds as usize {
        put(&mut d, table + 16 * s, base + bytes as u64);
        put(&mut d, table + 8 + 16 * s, seed_len);
    }
    d
}

fn raw_run(data: Vec<u8>) -> InstructionOutcome {
    both(|m| {
        let setup = Setup::new(m, &[(PROGRAM, "raw_invoke_c")]);
        setup.run(&Instruction::new_with_bytes(PROGRAM, &data, vec![]), &[])
    })
}

#[test]
fn limits_and_refused_programs_fail_the_caller_after_the_invoke_units() {
    let failed = |out: &InstructionOutcome, why: &str, units: u64| {
        assert_eq!(
            out.result,
            Err(InstructionError::ProgramFailedToComplete),
            "{why}"
        );
        assert_eq!(
            out.logs.last().unwrap(),
            &format!("Program {PROGRAM} failed: {why}")
        );
        // 7 instructions before the syscall, then its charges.
        assert_eq!(out.compute_units_consumed, 7 + 946 + units, "{why}");
    };
    let system = ids::SYSTEM_PROGRAM;
    failed(
        &raw_run(raw(ids::NATIVE_LOADER, 0, 0, 0, 0, 0)),
        &format!(
            "Program {} not supported by inner instructions",
            ids::NATIVE_LOADER
        ),
        0,
    );
    let bpf_loader = baton_sbpf::deploy::BPF_LOADER;
    failed(
        &raw_run(raw(bpf_loader, 0, 0, 0, 0, 0)),
        &format!("Program {bpf_loader} not supported by inner instructions"),
        0,
    );
    failed(
        &raw_run(raw(system, 256, 0, 0, 0, 0)),
        "Invoked an instruction with too many accounts (256 > 255)",
        0,
    );
    failed(
        &raw_run(raw(system, 0, 10_241, 0, 0, 0)),
        "Invoked an instruction with data that is too large (10241 > 10240)",
        0,
    );
    // 17 seed sets; the data's 500 bytes were charged (2 units) before.
    failed(
        &raw_run(raw(system, 0, 500, 17, 1, 1)),
        "Too many signers",
        2,
    );
    failed(
        &raw_run(raw(system, 0, 0, 1, 1, 33)),
        "Could not create program address with signer seeds: Length of the seed is too long for address generation",
        0,
    );
    // 17 seeds in a set: an instruction error of its own.
    let out = raw_run(raw(system, 0, 0, 1, 17, 1));
    assert_eq!(out.result, Err(InstructionError::MaxSeedLengthExceeded));
    // Past the checks: the callee must be one of the caller's accounts.
    let out = raw_run(raw(system, 0, 0, 0, 0, 0));
    assert_eq!(out.result, Err(InstructionError::MissingAccount));
    assert!(out.logs.contains(&format!("Unknown program {system}")));
}
