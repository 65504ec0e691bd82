//! Hooks for callers that run their own CPI front end (the sBPF syscalls of
//! `baton-sbpf`): resolve a callee's accounts without charging anything,
//! then run the resolved callee with the same checkpoint and failure
//! bookkeeping as [`InvokeContext::invoke_signed`].
//!
//! The sBPF path charges Agave's syscall formula itself and must sync the
//! caller's VM memory into the accounts between the resolution and the
//! push, so it cannot use `invoke_signed` in one piece.

use baton_types::{Instruction, InstructionError, Pubkey};

use super::*;

impl InvokeContext<'_> {
    /// Resolve the accounts of a CPI from the running frame (§4.1–§4.4),
    /// charging nothing: per unique account in meta order, membership in
    /// the transaction and in the caller's instruction (`MissingAccount`),
    /// then writable, then signer (`PrivilegeEscalation`; a signer must
    /// sign in the caller or be one of `pda_signers`); duplicates merged
    /// with their flags OR-ed; finally the callee program must be one of
    /// the caller's accounts (`MissingAccount`). Each failure logs the line
    /// Agave logs there.
    pub fn resolve_cpi(
        &self,
        ix: &Instruction,
        pda_signers: &[Pubkey],
    ) -> Result<Vec<InstructionAccount>, InstructionError> {
        let caller = self.instruction_accounts();
        let in_caller = |index: usize| {
            caller
                .iter()
                .find(|a| a.index_in_transaction as usize == index)
                .copied()
        };
        let unknown = |key: &Pubkey| {
            self.log_with(|| format!("Instruction references an unknown account {key}"));
            InstructionError::MissingAccount
        };
        // Merge duplicates first (flags OR-ed onto the first occurrence),
        // resolving each key in the transaction.
        let mut out: Vec<InstructionAccount> = Vec::with_capacity(ix.accounts.len());
        let mut keys: Vec<Option<usize>> = Vec::with_capacity(ix.accounts.len());
        for (pos, meta) in ix.accounts.iter().enumerate() {
            let index = self.tx.find_index(&meta.pubkey);
            keys.push(index);
            // The first entry with this index is its first occurrence.
            let first = index.and_then(|idx| {
                out.iter()
                    .position(|a| a.index_in_transaction as usize == idx)
            });
            match (index, first) {
                (Some(_), Some(f)) => {
                    let merged = &mut out[f];
                    merged.is_signer |= meta.is_signer;
                    merged.is_writable |= meta.is_writable;
                    let m = *merged;
                    out.push(InstructionAccount {
                        index_in_callee: f as u16,
                        ..m
                    });
                }
                (Some(idx), None) => out.push(InstructionAccount {
                    index_in_transaction: idx as u16,
                    index_in_callee: pos as u16,
                    is_signer: meta.is_signer,
                    is_writable: meta.is_writable,
                }),
                // Not in the transaction: a placeholder, reported in order below.
                (None, _) => out.push(InstructionAccount {
                    index_in_transaction: u16::MAX,
                    index_in_callee: pos as u16,
                    is_signer: false,
                    is_writable: false,
                }),
            }
        }
        // Then check each unique account once, in meta order.
        for i in 0..out.len() {
            let first = out[i].index_in_callee as usize;
            if first != i {
                let m = out[first];
                out[i].is_signer = m.is_signer;
                out[i].is_writable = m.is_writable;
                continue;
            }
            let meta_key = &ix.accounts[i].pubkey;
            let Some(index) = keys[i] else {
                return Err(unknown(meta_key));
            };
            let Some(c) = in_caller(index) else {
                return Err(unknown(meta_key));
            };
            let a = out[i];
            if a.is_writable && !c.is_writable {
                self.log_with(|| format!("{meta_key}'s writable privilege escalated"));
                return Err(InstructionError::PrivilegeEscalation);
            }
            if a.is_signer && !c.is_signer && !pda_signers.contains(meta_key) {
                self.log_with(|| format!("{meta_key}'s signer privilege escalated"));
                return Err(InstructionError::PrivilegeEscalation);
            }
        }
        // The callee program must be one of the caller's accounts (§4.4).
        let program = self.tx.find_index(&ix.program_id).and_then(in_caller);
        if program.is_none() {
            let id = ix.program_id;
            self.log_with(|| format!("Unknown program {id}"));
            return Err(InstructionError::MissingAccount);
        }
        Ok(out)
    }

    /// Run `program_id` over resolved `accounts` (from [`Self::resolve_cpi`])
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
