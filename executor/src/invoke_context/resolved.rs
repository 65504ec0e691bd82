//! A hook for callers that run their own CPI front end (the sBPF syscalls
//! of `baton-sbpf`): after resolving a callee's accounts with
//! [`InvokeContext::resolve_callee`] (the one resolver, in `cpi.rs`), run
//! the resolved callee with the same checkpoint and failure bookkeeping as
//! [`InvokeContext::invoke_signed`].
//!
//! The sBPF path charges Agave's syscall formula itself and must sync the
//! caller's VM memory into the accounts between the resolution and the
//! push, so it cannot use `invoke_signed` in one piece.

use baton_types::{InstructionError, Pubkey};

use super::*;

impl InvokeContext<'_> {
    /// Run `program_id` over resolved `accounts` (from [`Self::resolve_callee`])
    /// as a CPI of the running frame: under a journal checkpoint that the
    /// callee's failure reverts (all but the return data, which Agave does
    /// not roll back), the failure recorded so that no frame above can
    /// catch it (§4.10).
    pub fn invoke_resolved(
        &self,
        program_id: Pubkey,
        accounts: &[InstructionAccount],
        data: &[u8],
    ) -> Result<(), InstructionError> {
        let cp = self.tx.checkpoint();
        let r = self.process_instruction(program_id, accounts, data);
        match r {
            Ok(()) => self.tx.checkpoint_commit(cp),
            Err(e) => {
                // Agave does not roll the return data back with a failed
                // callee's accounts: the caller sees what was set last.
                let (id, data) = self.tx.return_data().clone();
                self.tx.checkpoint_revert(cp);
                self.tx.set_return_data(id, data);
                if self.cpi_failure.get().is_none() {
                    self.cpi_failure.set(Some(e));
                }
            }
        }
        r
    }
}
