//! The syscalls, through hand-assembled programs, in both modes: results,
//! compute units (each executed instruction costs 1, plus the syscall's
//! charge) and log lines; VM faults; memory determinism; read-back rules.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod addresses;
#[path = "../common/mod.rs"]
mod common;
mod context;
mod faults;
mod logs;
mod memory;
mod read_back;

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
