//! Cross-program invocation from sBPF (`sol_invoke_signed_c` and
//! `sol_invoke_signed_rust`), with programs assembled from
//! `tests/asm/*.s`, in both modes: calls into native and sBPF callees,
//! Agave's charges, the pointer checks, privilege escalation, the account
//! syncs both ways, reentrancy, depth and return data.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::sync::Arc;

use baton_executor::{
    process_instruction, Environment, ExecutionConfig, InstructionOutcome, ProgramRegistry,
    SysvarCache,
};
use baton_programs::system::SystemProgram;
use baton_sbpf::{Mode, SbpfProgram};
use baton_types::{ids, pda, Account, AccountMeta, Instruction, InstructionError, Pubkey};

const PROGRAM: Pubkey = Pubkey::from_str_const("Asm1111111111111111111111111111111111111111");

/// The text of `tests/asm/<name>.s` without its `#` comments (the
/// assembler has no comment syntax).
fn asm(name: &str) -> String {
    let path = format!("{}/tests/asm/{name}.s", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).expect("assembly file");
    text.lines()
        .map(|l| l.split('#').next().unwrap_or(""))
        .collect::<Vec<_>>()
        .join("\n")
}

fn sbpf(name: &str, mode: Mode) -> Arc<SbpfProgram> {
    Arc::new(SbpfProgram::from_assembly(&asm(name), mode).expect("assembles"))
}

struct Setup {
    registry: ProgramRegistry,
    sysvars: SysvarCache,
    config: ExecutionConfig,
}

impl Setup {
    fn new(mode: Mode, programs: &[(Pubkey, &str)]) -> Self {
        let mut registry = ProgramRegistry::new();
        registry.add(ids::SYSTEM_PROGRAM, Arc::new(SystemProgram));
        for (id, name) in programs {
            registry.add(*id, sbpf(name, mode));
        }
        Self {
            registry,
            sysvars: SysvarCache::default(),
            config: ExecutionConfig::default(),
        }
    }

    fn run(&self, ix: &Instruction, accounts: &[(Pubkey, Account)]) -> InstructionOutcome {
        let env = Environment {
            programs: &self.registry,
            sysvars: &self.sysvars,
            config: &self.config,
        };
        process_instruction(accounts, ix, 200_000, env)
    }
}

/// Run in both modes; they must agree. Returns the JIT's outcome.
fn both(f: impl Fn(Mode) -> InstructionOutcome) -> InstructionOutcome {
    let jit = f(Mode::Jit);
    let interp = f(Mode::Interpreter);
    assert_eq!(jit, interp, "JIT and interpreter agree");
    jit
}

fn program_account() -> Account {
    Account {
        lamports: 1,
        data: vec![],
        owner: ids::NATIVE_LOADER,
        executable: true,
        rent_epoch: 0,
    }
}

// ----- sBPF -> native system program, PDA signer -----

fn vault() -> (Pubkey, u8) {
    pda::find_program_address(&[b"vault"], &PROGRAM)
}

fn transfer_case(mode: Mode, extra: &[u8], dest_writable: bool) -> InstructionOutcome {
    transfer_with("system_transfer_pda", mode, extra, dest_writable)
}

fn transfer_with(
    program: &str,
    mode: Mode,
    extra: &[u8],
    dest_writable: bool,
) -> InstructionOutcome {
    let setup = Setup::new(mode, &[(PROGRAM, program)]);
    let (pda, bump) = vault();
    let dest = Pubkey::new_from_u64(7);
    let accounts = vec![
        (pda, Account::new(1_000_000, 0, &ids::SYSTEM_PROGRAM)),
        (dest, Account::new(500_000, 0, &ids::SYSTEM_PROGRAM)),
        (ids::SYSTEM_PROGRAM, program_account()),
    ];
    let mut data = b"vault".to_vec();
    data.push(bump);
    data.extend_from_slice(extra);
    let dest_meta = if dest_writable {
        AccountMeta::new(dest, false)
    } else {
        AccountMeta::new_readonly(dest, false)
    };
    let ix = Instruction::new_with_bytes(
        PROGRAM,
        &data,
        vec![
            AccountMeta::new(pda, false),
            dest_meta,
            AccountMeta::new_readonly(ids::SYSTEM_PROGRAM, false),
        ],
    );
    setup.run(&ix, &accounts)
}

#[test]
fn sbpf_transfers_from_its_pda_through_the_native_system_program() {
    let out = both(|m| transfer_case(m, &[], true));
    assert_eq!(out.result, Ok(()), "{:#?}", out.logs);
    assert_eq!(out.accounts[0].1.lamports, 1_000_000 - 1_000);
    assert_eq!(out.accounts[1].1.lamports, 500_000 + 1_000);
    // 77 instructions run, the invoke's 946 (12 data bytes, 2 metas and 2
    // infos are all under 250 bytes: 0), the system program's 150.
    assert_eq!(out.compute_units_consumed, 77 + 946 + 150);
    assert_eq!(
        out.logs,
        vec![
            format!("Program {PROGRAM} invoke [1]"),
            format!("Program {} invoke [2]", ids::SYSTEM_PROGRAM),
            format!("Program {} success", ids::SYSTEM_PROGRAM),
            format!("Program {PROGRAM} consumed 1173 of 200000 compute units"),
            format!("Program {PROGRAM} success"),
        ]
    );
    // The amount from the data: the whole balance.
    let out = both(|m| transfer_case(m, &1_000_000u64.to_le_bytes(), true));
    assert_eq!(out.result, Ok(()), "{:#?}", out.logs);
    assert_eq!(out.accounts[0].1.lamports, 0);
    // More than the balance: the system program's error, uncaught.
    let out = both(|m| transfer_case(m, &1_000_001u64.to_le_bytes(), true));
    assert_eq!(out.result, Err(InstructionError::Custom(1)));
    assert_eq!(out.accounts[0].1.lamports, 1_000_000);
}

#[test]
fn a_readonly_account_passed_writable_is_a_writable_escalation() {
    let out = both(|m| transfer_case(m, &[], false));
    assert_eq!(out.result, Err(InstructionError::PrivilegeEscalation));
    let dest = Pubkey::new_from_u64(7);
    assert!(
        out.logs
            .contains(&format!("{dest}'s writable privilege escalated")),
        "{:#?}",
        out.logs
    );
    assert_eq!(out.accounts[0].1.lamports, 1_000_000);
}

#[test]
fn without_its_seeds_the_pda_cannot_sign() {
    // Meta 0 not signing: the system program refuses the transfer.
    let out = both(|m| transfer_case(m, &[0], true));
    assert_eq!(out.result, Err(InstructionError::MissingRequiredSignature));
    // Signing with the seeds of another address: signer escalation.
    let setup = |mode| {
        let (pda, bump) = vault();
        let other = (0..bump)
            .rev()
            .find(|b| pda::create_program_address(&[b"vault", &[*b]], &PROGRAM).is_ok())
            .unwrap();
        assert_ne!(
            pda::create_program_address(&[b"vault", &[other]], &PROGRAM).unwrap(),
            pda
        );
        let s = Setup::new(mode, &[(PROGRAM, "system_transfer_pda")]);
        let accounts = vec![
            (pda, Account::new(1_000_000, 0, &ids::SYSTEM_PROGRAM)),
            (
                Pubkey::new_from_u64(7),
                Account::new(0, 0, &ids::SYSTEM_PROGRAM),
            ),
            (ids::SYSTEM_PROGRAM, program_account()),
        ];
        let mut data = b"vault".to_vec();
        data.push(other);
        let ix = Instruction::new_with_bytes(
            PROGRAM,
            &data,
            vec![
                AccountMeta::new(pda, false),
                AccountMeta::new(Pubkey::new_from_u64(7), false),
                AccountMeta::new_readonly(ids::SYSTEM_PROGRAM, false),
            ],
        );
        s.run(&ix, &accounts)
    };
    let out = both(setup);
    assert_eq!(out.result, Err(InstructionError::PrivilegeEscalation));
    let (pda, _) = vault();
    assert!(out
        .logs
        .contains(&format!("{pda}'s signer privilege escalated")));
}

#[test]
fn account_info_pointers_must_be_the_serialized_ones() {
    // A key pointer 8 bytes off reads another key: no info matches the
    // PDA, which is then a missing account.
    let out = both(|m| transfer_case(m, &[0, 0], true));
    assert_eq!(out.result, Err(InstructionError::MissingAccount));
    let (pda, _) = vault();
    assert!(out
        .logs
        .contains(&format!("Instruction references an unknown account {pda}")));
    // A key pointer at an equal key elsewhere, lamports, data and owner
    // pointers off, or the infos in the input.
    for k in [6u8, 1, 3, 4, 5] {
        let out = both(|m| transfer_case(m, &[k, 0], true));
        assert_eq!(
            out.result,
            Err(InstructionError::ProgramFailedToComplete),
            "field {k}"
        );
        assert_eq!(
            out.logs.last().unwrap(),
            &format!("Program {PROGRAM} failed: Invalid pointer"),
            "field {k}"
        );
        assert_eq!(out.accounts[0].1.lamports, 1_000_000);
    }
    // A data length 8 bytes longer is within the realloc room, so the
    // caller->callee sync tries to resize the PDA, which the caller does
    // not own: the resize check comes first.
    let out = both(|m| transfer_case(m, &[2, 0], true));
    assert_eq!(out.result, Err(InstructionError::AccountDataSizeChanged));
}

// ----- call chains of forward.s: reentrancy, depth, realloc, return data -----

const FA: Pubkey = Pubkey::from_str_const("FwdA111111111111111111111111111111111111111");
const FB: Pubkey = Pubkey::from_str_const("FwdB111111111111111111111111111111111111111");
const RESIZE: Pubkey = Pubkey::from_str_const("Resize1111111111111111111111111111111111111");

fn chain(mode: Mode, keys: &[Pubkey], data: &[u8], extra: Account) -> InstructionOutcome {
    let setup = Setup::new(
        mode,
        &[(FA, "forward"), (FB, "forward"), (RESIZE, "resize")],
    );
    let x = Pubkey::new_from_u64(9);
    let mut accounts: Vec<(Pubkey, Account)> =
        keys.iter().map(|k| (*k, program_account())).collect();
    accounts.push((x, extra));
    let mut metas: Vec<AccountMeta> = keys
        .iter()
        .map(|k| AccountMeta::new_readonly(*k, false))
        .collect();
    metas.push(AccountMeta::new(x, false));
    let ix = Instruction::new_with_bytes(keys[0], data, metas);
    setup.run(&ix, &accounts)
}

fn plain() -> Account {
    Account::new(1_000_000, 8, &FA)
}

/// forward.s data: calls, the argument, the path.
fn fdata(calls: u8, arg: i32, path: &[u8]) -> Vec<u8> {
    let mut d = vec![calls];
    d.extend_from_slice(&arg.to_le_bytes());
    d.extend_from_slice(path);
    d
}

#[test]
fn a_program_may_call_itself() {
    let out = both(|m| chain(m, &[FA], &fdata(1, 0, &[0, 255]), plain()));
    assert_eq!(out.result, Ok(()), "{:#?}", out.logs);
    assert_eq!(
        out.logs
            .iter()
            .filter(|l| l.ends_with("invoke [2]"))
            .count(),
        1
    );
    assert_eq!(out.logs[1], format!("Program {FA} invoke [2]"));
}

#[test]
fn a_to_b_to_a_is_reentrancy() {
    let out = both(|m| chain(m, &[FA, FB], &fdata(1, 0, &[1, 0]), plain()));
    assert_eq!(out.result, Err(InstructionError::ReentrancyNotAllowed));
    assert!(out.logs.contains(&format!("Program {FB} invoke [2]")));
}

#[test]
fn the_fifth_level_cannot_call_deeper() {
    // Heights 1-4 call themselves; height 5's call is the sixth level.
    let out = both(|m| chain(m, &[FA], &fdata(1, 0, &[0, 0, 0, 0, 255]), plain()));
    assert_eq!(out.result, Ok(()), "{:#?}", out.logs);
    assert!(out.logs.contains(&format!("Program {FA} invoke [5]")));
    let out = both(|m| chain(m, &[FA], &fdata(1, 0, &[0, 0, 0, 0, 0]), plain()));
    assert_eq!(out.result, Err(InstructionError::CallDepth));
}

fn resized(mode: Mode, calls: u8, delta: i32) -> InstructionOutcome {
    let owned_by_resize = Account::with_data(1_000_000_000, vec![7; 16], &RESIZE);
    chain(
        mode,
        &[FA, RESIZE],
        &fdata(calls, delta, &[1]),
        owned_by_resize,
    )
}

#[test]
fn growth_across_calls_is_bounded_by_the_callers_start_length() {
    // One call growing by 10,240: within both limits.
    let out = both(|m| resized(m, 1, 10_240));
    assert_eq!(out.result, Ok(()), "{:#?}", out.logs);
    assert_eq!(out.accounts[2].1.data.len(), 16 + 10_240);
    assert_eq!(&out.accounts[2].1.data[..16], &[7; 16]);
    assert!(out.accounts[2].1.data[16..].iter().all(|b| *b == 0));
    // Return data across the call: the callee's, set again by the caller.
    assert_eq!(
        out.return_data,
        Some((FA, 10_240i32.to_le_bytes().to_vec()))
    );
    // Two calls of 5,120 each: 10,240 in all, fine.
    let out = both(|m| resized(m, 2, 5_120));
    assert_eq!(out.result, Ok(()), "{:#?}", out.logs);
    assert_eq!(out.accounts[2].1.data.len(), 16 + 10_240);
    // Two calls of 5,121: each within the callee's own limit, together one
    // byte past the caller's, caught when the second call returns.
    let out = both(|m| resized(m, 2, 5_121));
    assert_eq!(out.result, Err(InstructionError::InvalidRealloc));
    assert!(out
        .logs
        .contains(&"Account data size realloc limited to 10240 in inner instructions".to_string()));
    assert_eq!(out.accounts[2].1.data.len(), 16);
    // 10,241 in one call: the callee's own read-back refuses it.
    let out = both(|m| resized(m, 1, 10_241));
    assert_eq!(out.result, Err(InstructionError::InvalidRealloc));
    // Shrinking across a call.
    let out = both(|m| resized(m, 1, -8));
    assert_eq!(out.result, Ok(()), "{:#?}", out.logs);
    assert_eq!(out.accounts[2].1.data, vec![7; 8]);
}

/// forward.s calling resize.s (which grows account 2 by 0) with `pad`
/// extra data bytes and `extra` accounts after the three it needs.
fn charged(mode: Mode, pad: usize, extra: &[Account]) -> InstructionOutcome {
    let setup = Setup::new(mode, &[(FA, "forward"), (RESIZE, "resize")]);
    let mut accounts = vec![
        (FA, program_account()),
        (RESIZE, program_account()),
        (
            Pubkey::new_from_u64(9),
            Account::with_data(1_000_000, vec![1; 16], &RESIZE),
        ),
    ];
    for (i, a) in extra.iter().enumerate() {
        accounts.push((Pubkey::new_from_u64(100 + i as u64), a.clone()));
    }
    let metas = accounts
        .iter()
        .enumerate()
        .map(|(i, (k, _))| {
            if i == 2 {
                AccountMeta::new(*k, false)
            } else {
                AccountMeta::new_readonly(*k, false)
            }
        })
        .collect();
    let mut data = fdata(1, 0, &[1, 255]);
    data.resize(data.len() + pad, 0);
    let ix = Instruction::new_with_bytes(FA, &data, metas);
    let out = setup.run(&ix, &accounts);
    assert_eq!(out.result, Ok(()), "{:#?}", out.logs);
    out
}

#[test]
fn the_cpi_charge_term_by_term() {
    let cu =
        |pad: usize, extra: &[Account]| both(|m| charged(m, pad, extra)).compute_units_consumed;
    let base = cu(0, &[]); // 7 data bytes, 3 metas, 3 infos: 946 only
                           // The data term floors on its own: 200 bytes cost nothing even though
                           // data + 34 x 3 metas pass 250; 250 bytes cost one unit.
    assert_eq!(cu(193, &[]), base);
    assert_eq!(cu(243, &[]), base + 1);
    // Four more accounts without data: 31 instructions each in the
    // caller's walk, metas 34 x 7 = 238 bytes (0 units), infos 80 x 7 =
    // 560 bytes (2 units).
    let empty = Account::new(1, 0, &FA);
    let four = [empty.clone(), empty.clone(), empty.clone(), empty.clone()];
    assert_eq!(cu(0, &four), base + 4 * 31 + 2);
    // Callee account data: 500 bytes cost 2 units, for an executable
    // account (charged by its length alone) as for one with an info.
    let one = cu(0, std::slice::from_ref(&empty));
    let data = Account::with_data(1, vec![0; 500], &FA);
    assert_eq!(cu(0, &[data]), one + 2);
    let program = Account {
        lamports: 1,
        data: vec![0; 500],
        owner: ids::NATIVE_LOADER,
        executable: true,
        rent_epoch: 0,
    };
    assert_eq!(cu(0, &[program]), one + 2);
}

// ----- the Rust layout -----

#[test]
fn sol_invoke_signed_rust_transfers_from_the_pda() {
    let out = both(|m| transfer_with("rust_transfer_pda", m, &[], true));
    assert_eq!(out.result, Ok(()), "{:#?}", out.logs);
    assert_eq!(out.accounts[0].1.lamports, 1_000_000 - 1_000);
    assert_eq!(out.accounts[1].1.lamports, 500_000 + 1_000);
    // The three 32-byte copies cost 10 each; 946 and the system's 150.
    let instructions = out.compute_units_consumed - 30 - 946 - 150;
    assert_eq!(instructions, 97); // 85 building, 2 for the case byte, 10 calling
}

#[test]
fn rust_account_info_boxes_and_pointers_are_checked() {
    let failed = |out: &InstructionOutcome, why: &str| {
        assert_eq!(out.result, Err(InstructionError::ProgramFailedToComplete));
        assert_eq!(
            out.logs.last().unwrap(),
            &format!("Program {PROGRAM} failed: {why}")
        );
    };
    // Boxes in the input region, pointers off the serialized fields.
    for k in 0..5u8 {
        let out = both(|m| transfer_with("rust_transfer_pda", m, &[k], true));
        failed(&out, "Invalid pointer");
        assert_eq!(out.accounts[0].1.lamports, 1_000_000, "case {k}");
    }
    // A meta's signer flag of 2.
    let out = both(|m| transfer_with("rust_transfer_pda", m, &[5], true));
    assert_eq!(out.result, Err(InstructionError::InvalidArgument));
    // A data length past the realloc room.
    let out = both(|m| transfer_with("rust_transfer_pda", m, &[6], true));
    assert_eq!(out.result, Err(InstructionError::InvalidRealloc));
}

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
fn raw_at(
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

// ----- native -> sBPF -> sBPF, caught -----

const CATCHER: Pubkey = Pubkey::from_str_const("Catcher111111111111111111111111111111111111");

/// A native program that `try_invoke`s forward.s (account 1) with its own
/// accounts 1.. and data, then writes 1 (the call succeeded) or 2 into
/// the first byte of its state account (account 0).
struct Catcher;

impl baton_executor::Program for Catcher {
    fn process(
        &self,
        ctx: &baton_executor::InvokeContext<'_>,
        data: &[u8],
    ) -> Result<(), InstructionError> {
        let n = ctx.instruction_account_count();
        let mut metas = Vec::new();
        for i in 1..n {
            let ia = ctx.instruction_account(i)?;
            let key = *ctx.instruction_account_key(i)?;
            metas.push(AccountMeta {
                pubkey: key,
                is_signer: ia.is_signer,
                is_writable: ia.is_writable,
            });
        }
        let ix = Instruction::new_with_bytes(FA, data, metas);
        let r = ctx.try_invoke(&ix);
        let mut state = ctx.borrow_instruction_account(0)?;
        state.data_mut()?[0] = if r.is_ok() { 1 } else { 2 };
        Ok(())
    }
}

fn caught(mode: Mode, delta: i32) -> InstructionOutcome {
    let mut setup = Setup::new(mode, &[(FA, "forward"), (RESIZE, "resize")]);
    setup.registry.add(CATCHER, Arc::new(Catcher));
    let state = Pubkey::new_from_u64(8);
    let x = Pubkey::new_from_u64(9);
    let accounts = vec![
        (state, Account::new(1_000_000, 1, &CATCHER)),
        (FA, program_account()),
        (RESIZE, program_account()),
        (x, Account::with_data(1_000_000_000, vec![7; 16], &RESIZE)),
    ];
    let ix = Instruction::new_with_bytes(
        CATCHER,
        &fdata(1, delta, &[255, 1]),
        vec![
            AccountMeta::new(state, false),
            AccountMeta::new_readonly(FA, false),
            AccountMeta::new_readonly(RESIZE, false),
            AccountMeta::new(x, false),
        ],
    );
    setup.run(&ix, &accounts)
}

#[test]
fn a_native_try_invoke_catches_a_failing_sbpf_chain_and_reverts_it() {
    // Catcher -> forward -> resize: +100 succeeds through both levels.
    let out = both(|m| caught(m, 100));
    assert_eq!(out.result, Ok(()), "{:#?}", out.logs);
    assert_eq!(out.accounts[0].1.data[0], 1);
    assert_eq!(out.accounts[3].1.data.len(), 116);
    // +10,241 fails in resize's read-back, fails forward's syscall, and is
    // caught by the native caller: no growth is left, the caller goes on.
    let out = both(|m| caught(m, 10_241));
    assert_eq!(out.result, Ok(()), "{:#?}", out.logs);
    assert_eq!(out.accounts[0].1.data[0], 2);
    assert_eq!(out.accounts[3].1.data, vec![7; 16]);
    let failed = format!(
        "Program {RESIZE} failed: {}",
        InstructionError::InvalidRealloc
    );
    assert!(out.logs.contains(&failed), "{:#?}", out.logs);
}

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

// ----- sBPF -> sBPF p-token -----

fn to_p_token(mode: Mode) -> InstructionOutcome {
    use common::{owned, token_account_data, TOKEN_ELF, TOKEN_ID};
    let mut setup = Setup::new(mode, &[(FA, "forward")]);
    setup.registry.add(
        TOKEN_ID,
        Arc::new(common::program(TOKEN_ELF).with_mode(mode)),
    );
    let (mint, src, dst, owner) = (
        Pubkey::new_from_u64(1),
        Pubkey::new_from_u64(2),
        Pubkey::new_from_u64(3),
        Pubkey::new_from_u64(4),
    );
    let token = |amount| {
        owned(
            2_039_280,
            token_account_data(mint, owner, amount),
            &TOKEN_ID,
        )
    };
    let accounts = vec![
        (src, token(1 << 40)),
        (dst, token(0)),
        (owner, Account::default()),
        (TOKEN_ID, program_account()),
        (FA, program_account()),
    ];
    // forward.s's data doubles as p-token's Transfer: 3 calls (p-token's
    // discriminator 3), the amount's low 4 bytes as forward's argument,
    // its fifth byte the path (account 3, p-token).
    let data = [3u8, 0xe8, 0x03, 0, 0, 3, 0, 0, 0];
    let ix = Instruction::new_with_bytes(
        FA,
        &data,
        vec![
            AccountMeta::new(src, false),
            AccountMeta::new(dst, false),
            AccountMeta::new_readonly(owner, true),
            AccountMeta::new_readonly(TOKEN_ID, false),
        ],
    );
    setup.run(&ix, &accounts)
}

#[test]
fn sbpf_calls_p_token_three_times() {
    let out = both(to_p_token);
    assert_eq!(out.result, Ok(()), "{:#?}", out.logs);
    let amount = 1_000u64 + (3 << 32);
    assert_eq!(
        common::token_amount(&out.accounts[0].1.data),
        (1 << 40) - 3 * amount
    );
    assert_eq!(common::token_amount(&out.accounts[1].1.data), 3 * amount);
    // Each call: 946 + 80 x 4 infos / 250 = 1, then p-token's own 143
    // (with a fourth account; 76 with the usual three), then forward's
    // sol_get_return_data (100, none set). Forward's own 312: 100 for the
    // stack height and 212 instructions.
    let consumed: Vec<&String> = out
        .logs
        .iter()
        .filter(|l| l.starts_with(&format!("Program {} consumed 143 of", common::TOKEN_ID)))
        .collect();
    assert_eq!(consumed.len(), 3, "{:#?}", out.logs);
    let calls = 3 * (946 + 1 + 143 + 100);
    assert_eq!(
        out.compute_units_consumed - calls,
        312,
        "forward's own units"
    );
}

#[test]
fn at_most_255_account_infos() {
    // One account (the system program, no data): the data starts 10,352
    // bytes into the input. 256 infos in the (zero) heap: refused after
    // the resolution, before the infos' charge.
    let base = 0x4_0000_0000 + 8 + 10_336 + 8;
    let mut data = raw_at(base, ids::SYSTEM_PROGRAM, 0, 0, 0, 0, 0);
    data[8..16].copy_from_slice(&0x3_0000_0000u64.to_le_bytes());
    data[16..24].copy_from_slice(&256u64.to_le_bytes());
    let out = both(|m| {
        let setup = Setup::new(m, &[(PROGRAM, "raw_invoke_c")]);
        let ix = Instruction::new_with_bytes(
            PROGRAM,
            &data,
            vec![AccountMeta::new_readonly(ids::SYSTEM_PROGRAM, false)],
        );
        setup.run(&ix, &[(ids::SYSTEM_PROGRAM, program_account())])
    });
    assert_eq!(out.result, Err(InstructionError::ProgramFailedToComplete));
    assert_eq!(
        out.logs.last().unwrap(),
        &format!(
            "Program {PROGRAM} failed: Invoked an instruction with too many account info's (256 > 255)"
        )
    );
    assert_eq!(out.compute_units_consumed, 7 + 946);
}
