//! The Solana-flavour cross-program invocation (semantics.md §4): `invoke`,
//! `invoke_signed`, and the checks and charges before the callee's frame is
//! pushed, in Agave 4.2's order:
//!
//! 1. the invoke units (§4.8), the instruction's limits (§4.5), the units
//!    for its data and metas;
//! 2. the signer seeds (§4.5, §5): more than 16 sets → `ProgramFailedToComplete`
//!    (`Too many signers`), a set of more than 16 seeds →
//!    `MaxSeedLengthExceeded`, a seed over 32 bytes or seeds without a valid
//!    address → `ProgramFailedToComplete` (Agave's `BadSeeds`);
//! 3. the callee program id ([`InvokeContext::check_authorized_program`],
//!    §4.0);
//! 4. the callee's accounts and privileges
//!    ([`InvokeContext::resolve_callee`], §4.1–§4.4), the one resolver the
//!    sBPF CPI syscalls share;
//! 5. after the callee returns, the growth bound seen from the caller
//!    (§4.9).
//!
//! A failure that Agave reports as a CPI syscall error (not an
//! `InstructionError`) fails with `ProgramFailedToComplete` and names the
//! cause in the caller's `Program … failed: …` line, as Agave's loader
//! logs it; the others log Agave's diagnostic line (the account at fault)
//! and fail with the `InstructionError`.

use baton_types::{ids, pda, Instruction, InstructionError, Pubkey};

use super::*;

use ids::{BPF_LOADER, BPF_LOADER_DEPRECATED, BPF_LOADER_UPGRADEABLE};

/// The precompiles of the target's feature set.
const PRECOMPILES: [Pubkey; 3] = [
    Pubkey::from_str_const("Ed25519SigVerify111111111111111111111111111"),
    Pubkey::from_str_const("KeccakSecp256k11111111111111111111111111111"),
    Pubkey::from_str_const("Secp256r1SigVerify1111111111111111111111111"),
];

/// The loader-v3 instructions an inner instruction may still call, by their
/// first data byte: Upgrade (3), SetAuthority (4), Close (5),
/// SetAuthorityChecked (7), ExtendProgramChecked (9).
const LOADER_V3_CPI_INSTRUCTIONS: [u8; 5] = [3, 4, 5, 7, 9];

/// Agave's `PubkeyError` text, for the `BadSeeds` failure line.
fn pubkey_error_text(e: pda::PdaError) -> &'static str {
    match e {
        pda::PdaError::MaxSeedLengthExceeded => {
            "Length of the seed is too long for address generation"
        }
        pda::PdaError::InvalidSeeds => "Provided seeds do not result in a valid address",
        pda::PdaError::IllegalOwner => "Provided owner is not allowed",
    }
}

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
    /// callee under a checkpoint that its failure (or a growth past the
    /// caller's bound) reverts, all but the return data (as Agave, which
    /// does not roll it back: the caller reads what was set last).
    pub(crate) fn call_signed(
        &self,
        instruction: &Instruction,
        signers_seeds: &[&[&[u8]]],
    ) -> Result<(), InstructionError> {
        let callee_accounts = self.prepare_cpi(instruction, signers_seeds)?;
        let lens_before: Vec<usize> = callee_accounts
            .iter()
            .map(|a| self.data_len(a.index_in_transaction))
            .collect();
        let cp = self.tx.checkpoint();
        let r = self
            .process_instruction(instruction.program_id, &callee_accounts, &instruction.data)
            .and_then(|()| self.check_caller_growth(&callee_accounts, &lens_before));
        match r {
            Ok(()) => self.tx.checkpoint_commit(cp),
            Err(_) => self.revert_keeping_return_data(cp),
        }
        r
    }

    /// Undo the changes since `cp` except the return data, which a failed
    /// callee does not take back in Agave (the slot is the transaction's,
    /// not journaled with the accounts there).
    pub(crate) fn revert_keeping_return_data(&self, cp: crate::journal::Checkpoint) {
        let (id, data) = self.tx.return_data().clone();
        self.tx.checkpoint_revert(cp);
        self.tx.set_return_data(id, data);
    }

    /// Fail the running frame with `ProgramFailedToComplete`, its
    /// `Program … failed:` line naming `why` (a CPI syscall error in Agave).
    fn cpi_syscall_error(&self, why: String) -> InstructionError {
        self.set_failure_log(why);
        InstructionError::ProgramFailedToComplete
    }

    /// The checks and charges of a CPI before the callee's frame is pushed,
    /// in Agave's order (see the module docs).
    fn prepare_cpi(
        &self,
        ix: &Instruction,
        signers_seeds: &[&[&[u8]]],
    ) -> Result<Vec<InstructionAccount>, InstructionError> {
        self.consume_checked(INVOKE_UNITS)?;
        if ix.accounts.len() > MAX_CPI_ACCOUNT_METAS {
            return Err(self.cpi_syscall_error(format!(
                "Invoked an instruction with too many accounts ({} > {})",
                ix.accounts.len(),
                MAX_CPI_ACCOUNT_METAS
            )));
        }
        if ix.data.len() > MAX_CPI_INSTRUCTION_DATA_LEN {
            return Err(self.cpi_syscall_error(format!(
                "Invoked an instruction with data that is too large ({} > {})",
                ix.data.len(),
                MAX_CPI_INSTRUCTION_DATA_LEN
            )));
        }
        // The data and the metas are charged apart, each floored (§4.8).
        self.consume_checked(ix.data.len() as u64 / CPI_BYTES_PER_UNIT)?;
        self.consume_checked(ACCOUNT_META_SIZE * ix.accounts.len() as u64 / CPI_BYTES_PER_UNIT)?;

        if signers_seeds.len() > MAX_SIGNERS {
            return Err(self.cpi_syscall_error("Too many signers".to_string()));
        }
        let caller_id = self.program_id();
        let mut signers: Vec<Pubkey> = Vec::with_capacity(signers_seeds.len());
        for seeds in signers_seeds {
            if seeds.len() > pda::MAX_SEEDS {
                return Err(InstructionError::MaxSeedLengthExceeded);
            }
            let key = pda::create_program_address(seeds, &caller_id).map_err(|e| {
                self.cpi_syscall_error(format!(
                    "Could not create program address with signer seeds: {}",
                    pubkey_error_text(e)
                ))
            })?;
            signers.push(key);
        }

        self.check_authorized_program(&ix.program_id, &ix.data)
            .map_err(|why| self.cpi_syscall_error(why))?;
        self.resolve_callee(ix, &signers)
    }

    /// Whether inner instructions may call `program_id` with `data`
    /// (semantics.md §4.0, Agave's `check_authorized_program`): not the
    /// native loader, the BPF loaders v1 and v2, loader v3 except its
    /// Upgrade, SetAuthority, Close, SetAuthorityChecked and
    /// ExtendProgramChecked instructions, nor a precompile. The error is
    /// Agave's text (`Program <id> not supported by inner instructions`);
    /// the CPI then fails with `ProgramFailedToComplete`.
    pub fn check_authorized_program(&self, program_id: &Pubkey, data: &[u8]) -> Result<(), String> {
        let loader_v3_allowed = data
            .first()
            .is_some_and(|b| LOADER_V3_CPI_INSTRUCTIONS.contains(b));
        if *program_id == ids::NATIVE_LOADER
            || *program_id == BPF_LOADER
            || *program_id == BPF_LOADER_DEPRECATED
            || (*program_id == BPF_LOADER_UPGRADEABLE && !loader_v3_allowed)
            || PRECOMPILES.contains(program_id)
        {
            return Err(format!(
                "Program {program_id} not supported by inner instructions"
            ));
        }
        Ok(())
    }

    /// Resolve the callee's accounts and privileges from the running frame
    /// (semantics.md §4.1–§4.4, Agave's `prepare_next_instruction`),
    /// charging nothing. The one resolver of both CPI paths (native
    /// `invoke` and the sBPF syscalls):
    ///
    /// 1. every meta's key must be an account of the transaction, else
    ///    `MissingAccount` (logged `Instruction references an unknown
    ///    account <key>`); duplicates merge, their flags OR-ed;
    /// 2. then per unique account, in meta order: it must be an account of
    ///    the caller's instruction (`MissingAccount`), writable in the caller
    ///    if writable in the callee (`<key>'s writable privilege
    ///    escalated`), and a signer in the caller or one of `pda_signers` if
    ///    a signer in the callee (`<key>'s signer privilege escalated`), both
    ///    `PrivilegeEscalation` — so an escalated meta 0 wins over a meta 1
    ///    that the caller lacks;
    /// 3. the callee program must be an account of the caller's instruction
    ///    (`Unknown program <id>`, `MissingAccount`).
    pub fn resolve_callee(
        &self,
        ix: &Instruction,
        pda_signers: &[Pubkey],
    ) -> Result<Vec<InstructionAccount>, InstructionError> {
        let caller = self.instruction_accounts();
        let in_caller = |index: u16| {
            caller
                .iter()
                .find(|a| a.index_in_transaction == index)
                .copied()
        };

        let mut out: Vec<InstructionAccount> = Vec::with_capacity(ix.accounts.len());
        for (pos, meta) in ix.accounts.iter().enumerate() {
            let Some(index) = self.tx.find_index(&meta.pubkey) else {
                let key = meta.pubkey;
                self.log_with(|| format!("Instruction references an unknown account {key}"));
                return Err(InstructionError::MissingAccount);
            };
            let index = index as u16;
            match out.iter().position(|a| a.index_in_transaction == index) {
                Some(first) => {
                    let merged = &mut out[first];
                    merged.is_signer |= meta.is_signer;
                    merged.is_writable |= meta.is_writable;
                    let m = *merged;
                    out.push(InstructionAccount {
                        index_in_callee: first as u16,
                        ..m
                    });
                }
                None => out.push(InstructionAccount {
                    index_in_transaction: index,
                    index_in_callee: pos as u16,
                    is_signer: meta.is_signer,
                    is_writable: meta.is_writable,
                }),
            }
        }

        for i in 0..out.len() {
            let first = out[i].index_in_callee as usize;
            if first != i {
                // A duplicate takes the merged flags; it is not checked again.
                let m = out[first];
                out[i].is_signer = m.is_signer;
                out[i].is_writable = m.is_writable;
                continue;
            }
            let a = out[i];
            let key = &ix.accounts[i].pubkey;
            let c = in_caller(a.index_in_transaction).ok_or(InstructionError::MissingAccount)?;
            if a.is_writable && !c.is_writable {
                self.log_with(|| format!("{key}'s writable privilege escalated"));
                return Err(InstructionError::PrivilegeEscalation);
            }
            if a.is_signer && !c.is_signer && !pda_signers.contains(key) {
                self.log_with(|| format!("{key}'s signer privilege escalated"));
                return Err(InstructionError::PrivilegeEscalation);
            }
        }

        let program = self
            .tx
            .find_index(&ix.program_id)
            .and_then(|i| in_caller(i as u16));
        if program.is_none() {
            let id = ix.program_id;
            self.log_with(|| format!("Unknown program {id}"));
            return Err(InstructionError::MissingAccount);
        }
        Ok(out)
    }

    fn data_len(&self, index_in_transaction: u16) -> usize {
        self.tx
            .account(index_in_transaction as usize)
            .map_or(0, |a| a.data.len())
    }

    /// Growth across calls (semantics.md §4.9, Agave's
    /// `update_caller_account`): after the callee returns, an account
    /// writable in it whose length changed may be at most 10,240 bytes
    /// longer than when the caller's instruction started, else
    /// `InvalidRealloc`. Applies to user programs as callers (builtins call
    /// through Agave's `native_invoke`, which has no such bound).
    fn check_caller_growth(
        &self,
        callee_accounts: &[InstructionAccount],
        lens_before: &[usize],
    ) -> Result<(), InstructionError> {
        let stack = self.stack.borrow();
        let Some(caller) = stack.last() else {
            return Ok(());
        };
        if caller.builtin {
            return Ok(());
        }
        let arena = self.accounts.borrow();
        let caller_accounts = arena
            .get(caller.accounts_start..caller.accounts_end)
            .unwrap_or(&[]);
        for (i, a) in callee_accounts.iter().enumerate() {
            if a.index_in_callee as usize != i || !a.is_writable {
                continue;
            }
            let post = self.data_len(a.index_in_transaction);
            if lens_before.get(i) == Some(&post) {
                continue;
            }
            let start = caller_accounts
                .iter()
                .position(|c| c.index_in_transaction == a.index_in_transaction)
                .and_then(|p| caller.start_lens.get(p));
            if let Some(start) = start {
                if post > start.saturating_add(MAX_PERMITTED_DATA_INCREASE) {
                    self.log_with(|| {
                        format!(
                            "Account data size realloc limited to {MAX_PERMITTED_DATA_INCREASE} in inner instructions"
                        )
                    });
                    return Err(InstructionError::InvalidRealloc);
                }
            }
        }
        Ok(())
    }
}
