//! The Solana-flavour cross-program invocation (§4): `invoke`,
//! `invoke_signed`, and the checks and charges before the callee's frame is
//! pushed (limits §4.5, compute §4.8, signer seeds §5, account resolution
//! and de-duplication §4.1, §4.2, privileges §4.3, the program id §4.4).

use baton_types::{pda, Instruction, InstructionError, Pubkey};

use super::*;

impl InvokeContext<'_> {
    // ----- cross-program invocation -----

    /// Call another program with the running program's authority (§4).
    pub fn invoke(&self, instruction: &Instruction) -> Result<(), InstructionError> {
        self.invoke_signed(instruction, &[])
    }

    /// Call another program, also signing for the PDAs of the running program
    /// that `signers_seeds` derive (§4.3, §5).
    pub fn invoke_signed(
        &self,
        instruction: &Instruction,
        signers_seeds: &[&[&[u8]]],
    ) -> Result<(), InstructionError> {
        let result = self.call_signed(instruction, signers_seeds);
        if let Err(e) = result {
            if self.cpi_failure.get().is_none() {
                self.cpi_failure.set(Some(e));
            }
        }
        result
    }

    /// A Solana-flavour CPI without the §4.10 bookkeeping: checks, then the
    /// callee under a checkpoint that its failure reverts.
    pub(crate) fn call_signed(
        &self,
        instruction: &Instruction,
        signers_seeds: &[&[&[u8]]],
    ) -> Result<(), InstructionError> {
        let callee_accounts = self.prepare_cpi(instruction, signers_seeds)?;
        let cp = self.tx.checkpoint();
        let r =
            self.process_instruction(instruction.program_id, &callee_accounts, &instruction.data);
        match r {
            Ok(()) => self.tx.checkpoint_commit(cp),
            Err(_) => self.tx.checkpoint_revert(cp),
        }
        r
    }

    /// The checks and charges of a CPI before the callee's frame is pushed:
    /// limits (§4.5), compute (§4.8), signer seeds (§5), account resolution and
    /// de-duplication (§4.1, §4.2), privileges (§4.3) and the program id (§4.4).
    fn prepare_cpi(
        &self,
        ix: &Instruction,
        signers_seeds: &[&[&[u8]]],
    ) -> Result<Vec<InstructionAccount>, InstructionError> {
        self.consume_checked(INVOKE_UNITS)?;
        if ix.accounts.len() > MAX_CPI_ACCOUNT_METAS
            || ix.data.len() > MAX_CPI_INSTRUCTION_DATA_LEN
            || signers_seeds.len() > MAX_SIGNERS
        {
            return Err(InstructionError::ProgramFailedToComplete);
        }
        let bytes = ix.data.len() as u64 + ACCOUNT_META_SIZE * ix.accounts.len() as u64;
        self.consume_checked(bytes / CPI_BYTES_PER_UNIT)?;

        let caller_id = self.program_id();
        let mut signers: Vec<Pubkey> = Vec::with_capacity(signers_seeds.len());
        for seeds in signers_seeds {
            let key = pda::create_program_address(seeds, &caller_id).map_err(|e| match e {
                pda::PdaError::MaxSeedLengthExceeded => InstructionError::MaxSeedLengthExceeded,
                _ => InstructionError::ProgramFailedToComplete,
            })?;
            signers.push(key);
        }

        let caller = self.instruction_accounts();
        let caller_position = |key: &Pubkey| -> Result<InstructionAccount, InstructionError> {
            let idx = self
                .tx
                .find_index(key)
                .ok_or(InstructionError::MissingAccount)?;
            caller
                .iter()
                .find(|a| a.index_in_transaction as usize == idx)
                .copied()
                .ok_or(InstructionError::MissingAccount)
        };

        // Resolve and merge duplicates: flags OR-ed onto the first occurrence.
        let mut out: Vec<InstructionAccount> = Vec::with_capacity(ix.accounts.len());
        for (pos, meta) in ix.accounts.iter().enumerate() {
            let in_caller = caller_position(&meta.pubkey)?;
            let first = out
                .iter()
                .position(|a| a.index_in_transaction == in_caller.index_in_transaction);
            match first {
                Some(f) => {
                    let merged = &mut out[f];
                    merged.is_signer |= meta.is_signer;
                    merged.is_writable |= meta.is_writable;
                    let m = *merged;
                    out.push(InstructionAccount {
                        index_in_callee: f as u16,
                        ..m
                    });
                }
                None => out.push(InstructionAccount {
                    index_in_transaction: in_caller.index_in_transaction,
                    index_in_callee: pos as u16,
                    is_signer: meta.is_signer,
                    is_writable: meta.is_writable,
                }),
            }
        }
        // Duplicates pushed before a later meta raised the first occurrence's
        // flags take the merged flags; then check each unique account once.
        for i in 0..out.len() {
            let first = out[i].index_in_callee as usize;
            if first != i {
                let m = out[first];
                out[i].is_signer = m.is_signer;
                out[i].is_writable = m.is_writable;
                continue;
            }
            let a = out[i];
            let key = self
                .tx
                .key(a.index_in_transaction as usize)
                .ok_or(InstructionError::MissingAccount)?;
            let in_caller = caller_position(key)?;
            if a.is_writable && !in_caller.is_writable {
                return Err(InstructionError::PrivilegeEscalation);
            }
            if a.is_signer && !in_caller.is_signer && !signers.contains(key) {
                return Err(InstructionError::PrivilegeEscalation);
            }
        }

        // The callee program must be one of the caller's accounts [4.4].
        caller_position(&ix.program_id)?;
        Ok(out)
    }
}
