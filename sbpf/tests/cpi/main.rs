//! Cross-program invocation from sBPF (`sol_invoke_signed_c` and
//! `sol_invoke_signed_rust`), with programs assembled from
//! `tests/asm/*.s`, in both modes: calls into native and sBPF callees,
//! Agave's charges, the pointer checks, privilege escalation, the account
//! syncs both ways, reentrancy, depth and return data.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod caught;
mod chains;
#[path = "../common/mod.rs"]
mod common;
mod limits;
mod p_token;
mod pda_signer;
mod rust_layout;
mod wild;

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
