//! Cross-program invocation, Anchor style: a [`CpiContext`] names the
//! program, the accounts and the signer seeds; typed wrappers in
//! [`crate::system`] and [`crate::token`] build the instruction.

use baton_executor::InvokeContext;
use baton_types::{AccountMeta, Instruction, InstructionError, Pubkey};

use crate::AccountHandle;

/// A call about to be made: the callee's program account, its accounts (a
/// struct of [`AccountHandle`]s, one per wrapper) and the seed sets of the
/// PDAs of the **calling** program that sign it (§4.3).
///
/// ```
/// # use baton_sdk as sdk;
/// # use baton_sdk::prelude::*;
/// # fn pay<'a>(
/// #     [token_program, from, to, authority, mint]: [AccountHandle<'a>; 5],
/// #     bump: u8,
/// #     amount: u64,
/// # ) -> Result<(), InstructionError> {
/// sdk::token::transfer(
///     CpiContext::new(token_program, sdk::token::Transfer { from, to, authority })
///         .with_signer(&[&[b"vault", mint.key().as_ref(), &[bump]]]),
///     amount,
/// )?;
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone, Copy)]
pub struct CpiContext<'a, 's, T> {
    /// The callee's program account; the wrappers check its key
    /// (`IncorrectProgramId`).
    pub program: AccountHandle<'a>,
    /// The callee's accounts.
    pub accounts: T,
    /// Seed sets (without the program id, with the bump) of the PDAs that
    /// sign; empty for none.
    pub signer_seeds: &'s [&'s [&'s [u8]]],
    /// Whether the call is catchable (`try_invoke_signed`, §9): a failure
    /// is undone and returned, and the caller goes on.
    pub catch: bool,
}

impl<'a, 's, T> CpiContext<'a, 's, T> {
    /// A call signed by no PDA.
    pub fn new(program: AccountHandle<'a>, accounts: T) -> Self {
        Self {
            program,
            accounts,
            signer_seeds: &[],
            catch: false,
        }
    }

    /// A call signed by the PDAs that `signer_seeds` derive.
    pub fn new_with_signer(
        program: AccountHandle<'a>,
        accounts: T,
        signer_seeds: &'s [&'s [&'s [u8]]],
    ) -> Self {
        Self {
            program,
            accounts,
            signer_seeds,
            catch: false,
        }
    }

    /// The same call, signed by the PDAs that `signer_seeds` derive.
    pub fn with_signer(mut self, signer_seeds: &'s [&'s [&'s [u8]]]) -> Self {
        self.signer_seeds = signer_seeds;
        self
    }

    /// The same call, catchable (§9): every typed wrapper then calls
    /// `try_invoke_signed`, so a failing callee's changes are undone and its
    /// error comes back without failing the caller.
    pub fn catching(mut self) -> Self {
        self.catch = true;
        self
    }

    /// The invoke context of the calling program.
    pub fn ctx(&self) -> &'a InvokeContext<'a> {
        self.program.ctx()
    }

    /// Invoke `instruction` with this context's signer seeds.
    /// `IncorrectProgramId` unless the instruction goes to [`Self::program`];
    /// then the executor's CPI checks and the callee's result (§4).
    pub fn invoke_instruction(&self, instruction: &Instruction) -> Result<(), InstructionError> {
        if instruction.program_id != *self.program.key() {
            return Err(InstructionError::IncorrectProgramId);
        }
        if self.catch {
            self.ctx().try_invoke_signed(instruction, self.signer_seeds)
        } else {
            self.ctx().invoke_signed(instruction, self.signer_seeds)
        }
    }

    /// [`Self::invoke_instruction`], catchable whatever [`Self::catch`] says (§9).
    pub fn try_invoke_instruction(
        &self,
        instruction: &Instruction,
    ) -> Result<(), InstructionError> {
        if instruction.program_id != *self.program.key() {
            return Err(InstructionError::IncorrectProgramId);
        }
        self.ctx().try_invoke_signed(instruction, self.signer_seeds)
    }
}

/// Call `program_id` with hand-made `accounts` and `data`, with the caller's
/// privileges only (§4).
pub fn invoke(
    ctx: &InvokeContext<'_>,
    program_id: &Pubkey,
    accounts: &[AccountMeta],
    data: &[u8],
) -> Result<(), InstructionError> {
    invoke_signed(ctx, program_id, accounts, data, &[])
}

/// Call `program_id` with hand-made `accounts` and `data`, the PDAs of the
/// running program that `signer_seeds` derive signing (§4.3, §5).
pub fn invoke_signed(
    ctx: &InvokeContext<'_>,
    program_id: &Pubkey,
    accounts: &[AccountMeta],
    data: &[u8],
    signer_seeds: &[&[&[u8]]],
) -> Result<(), InstructionError> {
    let ix = Instruction::new_with_bytes(*program_id, data, accounts.to_vec());
    ctx.invoke_signed(&ix, signer_seeds)
}
