//! The explicit-authorization invoke (semantics.md §8), exit codes,
//! reverts and catchable calls (§9), over the executor's
//! [`InvokeContext::invoke_auth`] family. `docs/invoke-flavours.md` has
//! worked examples.
//!
//! - [`AuthCall`]: the typed form of `invoke_auth` — the callee's program
//!   handle, accounts to authorize and deauthorize as handles, then
//!   [`AuthCall::invoke`] or [`AuthCall::try_invoke`] with the data.
//! - [`invoke_auth`], [`try_invoke_auth`]: the same with raw transaction
//!   indices; [`try_invoke`], [`try_invoke_signed`]: catchable Solana-style
//!   calls (and [`crate::CpiContext::catching`] makes the typed system and
//!   token wrappers catchable).
//! - [`exit_with_code`] ends a program normally with a code its
//!   `invoke_auth` caller receives; [`revert`] fails it and every caller up
//!   to the nearest `try_invoke`.
//! - [`is_authorized`] and [`crate::AccountHandle::is_authorized`] /
//!   [`crate::AccountHandle::expect_authorized`]: the consent check.
//!
//! ```
//! use baton_sdk::prelude::*;
//! use baton_sdk as sdk;
//! use baton_sdk::AuthCall;
//!
//! /// Account 0 of the transaction is the payer, 1 this program's state
//! /// account, 2 the callee program: lend the state to the callee, and
//! /// treat exit code 1 as "nothing to do".
//! struct Lender;
//!
//! impl Program for Lender {
//!     fn process(&self, ctx: &InvokeContext<'_>, data: &[u8]) -> Result<(), InstructionError> {
//!         let [_payer, state, callee] = ctx.expect_accounts()?;
//!         match AuthCall::new(callee).authorize(state).invoke(data)? {
//!             0 => Ok(()),
//!             1 => sdk::exit_with_code(ctx, 1),
//!             code => Err(sdk::revert(ctx, code as u32)),
//!         }
//!     }
//! }
//! ```

use baton_executor::InvokeContext;
use baton_types::{AccountMeta, Instruction, InstructionError, Pubkey};

pub use baton_executor::{
    AuthDescriptor, ExitCode, Flavour, InvokeError, MAX_AUTH_CALL_DEPTH, MAX_AUTH_ENTRIES,
};

use crate::AccountHandle;

/// An `invoke_auth` about to be made: the callee's program account and what
/// the caller authorizes and deauthorizes for it, named by handles (their
/// transaction indices go into the [`AuthDescriptor`]).
#[derive(Debug, Clone)]
pub struct AuthCall<'a> {
    program: AccountHandle<'a>,
    auth: Option<AuthDescriptor>,
}

impl<'a> AuthCall<'a> {
    /// A call to `program` with no descriptor.
    pub fn new(program: AccountHandle<'a>) -> Self {
        Self {
            program,
            auth: None,
        }
    }

    /// Also authorize `account` (owned by the calling program, else the
    /// call fails with [`InvokeError::NotOwner`]).
    pub fn authorize(mut self, account: AccountHandle<'_>) -> Self {
        let d = self.auth.take().unwrap_or_default();
        self.auth = Some(d.authorize(account.index_in_transaction() as u16));
        self
    }

    /// Also deauthorize `account` for the callee and its callees.
    pub fn deauthorize(mut self, account: AccountHandle<'_>) -> Self {
        let d = self.auth.take().unwrap_or_default();
        self.auth = Some(d.deauthorize(account.index_in_transaction() as u16));
        self
    }

    /// The descriptor built so far.
    pub fn descriptor(&self) -> Option<&AuthDescriptor> {
        self.auth.as_ref()
    }

    /// Call with `data`: the callee's exit code, or why there is none. A
    /// failed callee fails the caller's instruction too (§4.10).
    pub fn invoke(&self, data: &[u8]) -> Result<ExitCode, InvokeError> {
        self.program.ctx().invoke_auth(
            self.program.index_in_transaction() as u16,
            data,
            self.auth.as_ref(),
        )
    }

    /// Call with `data`, catchably (§9): a failure is undone and returned.
    pub fn try_invoke(&self, data: &[u8]) -> Result<ExitCode, InvokeError> {
        self.program.ctx().try_invoke_auth(
            self.program.index_in_transaction() as u16,
            data,
            self.auth.as_ref(),
        )
    }
}

/// Call the program at transaction index `program_index` with `data` and
/// the descriptor `auth` (§8).
pub fn invoke_auth(
    ctx: &InvokeContext<'_>,
    program_index: u16,
    data: &[u8],
    auth: Option<&AuthDescriptor>,
) -> Result<ExitCode, InvokeError> {
    ctx.invoke_auth(program_index, data, auth)
}

/// [`invoke_auth`], catchable (§9).
pub fn try_invoke_auth(
    ctx: &InvokeContext<'_>,
    program_index: u16,
    data: &[u8],
    auth: Option<&AuthDescriptor>,
) -> Result<ExitCode, InvokeError> {
    ctx.try_invoke_auth(program_index, data, auth)
}

/// Call `program_id` with hand-made metas, catchably (§9): on failure its
/// changes are undone and the error returned; the caller goes on.
pub fn try_invoke(
    ctx: &InvokeContext<'_>,
    program_id: &Pubkey,
    accounts: &[AccountMeta],
    data: &[u8],
) -> Result<(), InstructionError> {
    try_invoke_signed(ctx, program_id, accounts, data, &[])
}

/// [`try_invoke`] with the running program's PDAs signing (§4.3).
pub fn try_invoke_signed(
    ctx: &InvokeContext<'_>,
    program_id: &Pubkey,
    accounts: &[AccountMeta],
    data: &[u8],
    signer_seeds: &[&[&[u8]]],
) -> Result<(), InstructionError> {
    let ix = Instruction::new_with_bytes(*program_id, data, accounts.to_vec());
    ctx.try_invoke_signed(&ix, signer_seeds)
}

/// End the program normally with `code`: set the exit code its
/// `invoke_auth` caller receives and return `Ok(())`:
/// `return sdk::exit_with_code(ctx, 2);`.
pub fn exit_with_code(ctx: &InvokeContext<'_>, code: ExitCode) -> Result<(), InstructionError> {
    ctx.set_exit_code(code);
    Ok(())
}

/// Revert with `code`: the running frame and every caller up to the nearest
/// `try_invoke` fail with `Custom(code)`, and the transaction result names
/// this program: `return Err(sdk::revert(ctx, 7));`.
pub fn revert(ctx: &InvokeContext<'_>, code: u32) -> InstructionError {
    ctx.revert(code)
}

/// Whether the account at transaction index `index` is authorized in the
/// running frame (§8).
pub fn is_authorized(ctx: &InvokeContext<'_>, index: u16) -> bool {
    ctx.is_authorized(index)
}
