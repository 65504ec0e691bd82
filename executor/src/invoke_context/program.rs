//! Native programs and the registry that finds them by id.

use std::collections::HashMap;
use std::sync::Arc;

use baton_types::{InstructionError, Pubkey};

use super::InvokeContext;

/// A native program: Rust code the engine calls for each instruction
/// addressed to its id.
///
/// `process` reads its accounts and changes them only through
/// [`InvokeContext::borrow_instruction_account`], which enforces the mutation
/// rules, and may call other programs through the invoke context. Account
/// borrows still held when it invokes another program make the callee's
/// borrow of the same account fail with `AccountBorrowFailed`. Returning
/// an error fails the instruction (and so the transaction); a panic is caught
/// and reported as `ProgramFailedToComplete`.
pub trait Program: Send + Sync {
    /// Run one instruction with input `data`.
    fn process(&self, ctx: &InvokeContext<'_>, data: &[u8]) -> Result<(), InstructionError>;

    /// Whether this is a builtin of the runtime (system, token). Builtins log
    /// no `consumed` line and are exempt from the 10 KiB per-instruction
    /// growth limit, as Agave's builtins are; user programs are not.
    fn is_builtin(&self) -> bool {
        false
    }

    /// Whether the frame logs `Program return: <program id> <base64>` after
    /// its `consumed` line when the transaction's return data is not empty,
    /// whatever the result, as Agave does for sBPF programs. Off for native
    /// programs.
    fn logs_return_data(&self) -> bool {
        false
    }
}

type FastMap<K, V> = HashMap<K, V, rustc_hash::FxBuildHasher>;

/// Programs by id.
#[derive(Clone, Default)]
pub struct ProgramRegistry {
    programs: FastMap<Pubkey, Arc<dyn Program>>,
}

impl ProgramRegistry {
    /// An empty registry.
    pub fn new() -> Self {
        Self::default()
    }

    /// Register `program` at `id`, replacing any program there.
    pub fn add(&mut self, id: Pubkey, program: Arc<dyn Program>) {
        self.programs.insert(id, program);
    }

    /// The program at `id`.
    pub fn get(&self, id: &Pubkey) -> Option<&dyn Program> {
        self.programs.get(id).map(|p| p.as_ref())
    }

    /// Whether a program is registered at `id`.
    pub fn contains(&self, id: &Pubkey) -> bool {
        self.programs.contains_key(id)
    }

    /// Registered ids.
    pub fn ids(&self) -> impl Iterator<Item = &Pubkey> {
        self.programs.keys()
    }
}

impl std::fmt::Debug for ProgramRegistry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_set().entries(self.programs.keys()).finish()
    }
}
