//! The program SDK: what writing a native program for Baton looks like.
//!
//! A Baton program is a Rust type implementing [`Program`]. The raw
//! executor API ([`InvokeContext::borrow_instruction_account`],
//! [`InvokeContext::invoke_signed`]) is complete but low level; this crate
//! puts an Anchor- and pinocchio-like layer over it, with no new rules: every
//! write still goes through [`baton_executor::BorrowedAccount`] and its
//! mutation checks (semantics.md §2), and every call through the executor's
//! CPI (§4).
//!
//! - [`AccountHandle`]: a `Copy` handle on one account of the running
//!   instruction (key, flags, index and the context), from
//!   [`InvokeContextExt::account`], [`InvokeContextExt::accounts`],
//!   [`InvokeContextExt::expect_accounts`] or an [`AccountIter`]. A handle
//!   holds **no borrow**: each read or write borrows the account for that
//!   call only and releases it, so handles may be kept across a CPI. Reads
//!   are fallible (`AccountBorrowFailed` while some guard holds the
//!   account mutably). Guards ([`AccountHandle::try_borrow_data`],
//!   [`AccountHandle::try_borrow_mut_data`]) do hold a borrow, as Solana's
//!   `RefCell`s do, and must be dropped before a CPI that uses the account
//!   (see [`account`] for what the executor answers otherwise).
//! - Checks that return the standard errors: [`AccountHandle::expect_signer`]
//!   (`MissingRequiredSignature`), [`AccountHandle::expect_writable`]
//!   (`InvalidArgument`), [`AccountHandle::expect_owner`]
//!   (`InvalidAccountOwner`), [`AccountHandle::expect_program`]
//!   (`IncorrectProgramId`), [`AccountHandle::expect_key`]
//!   (`InvalidArgument`), [`AccountHandle::expect_pda`] (`InvalidSeeds`).
//! - [`CpiContext`]: Anchor's shape for calls — a program handle, a struct
//!   of account handles, optional signer seeds — with typed wrappers in
//!   [`system`] (`transfer`, `create_account`, `allocate`, `assign`) and
//!   [`token`] (`transfer`, `transfer_checked`, `mint_to`, `burn`,
//!   `initialize_account3`) that build the instruction with the builtin's
//!   own builders and call `invoke_signed`. [`invoke`] and [`invoke_signed`]
//!   call any program with hand-made metas.
//! - The explicit-authorization flavour of semantics.md §8 and the
//!   catchable calls of §9 ([`auth`]): [`AuthCall`] (typed `invoke_auth` /
//!   `try_invoke_auth`), [`invoke_auth`], [`try_invoke_auth`],
//!   [`try_invoke`], [`try_invoke_signed`], [`CpiContext::catching`],
//!   [`exit_with_code`], [`revert`], [`is_authorized`] and
//!   [`AccountHandle::expect_authorized`].
//! - [`msg!`](crate::msg), [`log`], [`set_return_data`], [`get_return_data`],
//!   and the PDA functions of [`baton_types::pda`].
//!
//! A section sign (§4, §8.2) cites a section of the rule book,
//! `docs/semantics.md` in the repository (Solana's rules as Agave 4.2.2
//! applies them, and the engine's own invoke flavours).
//!
//! Depends on `baton-types`, `baton-executor` and `baton-programs` (the
//! typed wrappers build the builtins' instructions with their own builders
//! and read their state layouts). Depended on by `baton-examples`, the facade
//! `baton` (which re-exports it as `baton::sdk`) and the benches' programs;
//! nothing below it (types, executor, the builtins) depends on it.
//!
//! A program written against the facade crate `baton` alone (which
//! re-exports this crate as `baton::sdk`, its prelude within
//! `baton::prelude`, and [`msg!`](crate::msg)):
//!
//! ```
//! # mod baton { // what the facade re-exports, for this crate's own test
//! #     pub mod sdk { pub use baton_sdk::*; }
//! #     pub mod prelude { pub use baton_sdk::{msg, prelude::*}; }
//! # }
//! use baton::prelude::*;
//! use baton::sdk::system;
//!
//! /// Pays `lamports` (8 bytes of data) from a PDA of this program,
//! /// seeds `[b"treasury", bump]`, to the recipient.
//! struct Payout;
//!
//! impl Program for Payout {
//!     fn process(&self, ctx: &InvokeContext<'_>, data: &[u8]) -> Result<(), InstructionError> {
//!         let [treasury, recipient, system_program] = ctx.expect_accounts()?;
//!         let lamports = u64::from_le_bytes(
//!             data.try_into().map_err(|_| InstructionError::InvalidInstructionData)?,
//!         );
//!         let bump = treasury.expect_pda(&[b"treasury"], &ctx.program_id())?;
//!         recipient.expect_writable()?;
//!         system::transfer(
//!             CpiContext::new(system_program, system::Transfer { from: treasury, to: recipient })
//!                 .with_signer(&[&[b"treasury", &[bump]]]),
//!             lamports,
//!         )?;
//!         msg!(ctx, "paid {lamports} to {}", recipient.key());
//!         Ok(())
//!     }
//! }
//! ```

pub mod account;
pub mod address_lookup_table;
pub mod auth;
pub mod cpi;
pub mod system;
pub mod token;

mod log;

pub use account::{AccountHandle, AccountIter, DataMut, InvokeContextExt};
pub use auth::{
    exit_with_code, invoke_auth, is_authorized, revert, try_invoke, try_invoke_auth,
    try_invoke_signed, AuthCall, AuthDescriptor, ExitCode, InvokeError,
};
pub use cpi::{invoke, invoke_signed, CpiContext};
pub use log::{get_return_data, log, set_return_data};

pub use baton_executor::{InvokeContext, Program};
pub use baton_types::pda::{
    create_program_address, find_program_address, try_find_program_address,
};
pub use baton_types::{AccountMeta, Instruction, InstructionError, Pubkey};

/// The first account handles of the running instruction, in order (see
/// [`InvokeContextExt::accounts`]).
pub fn accounts<'a>(
    ctx: &'a InvokeContext<'a>,
) -> Result<Vec<AccountHandle<'a>>, InstructionError> {
    ctx.accounts()
}

/// The next account of `iter`; `NotEnoughAccountKeys` when it is exhausted
/// (Solana's `next_account_info`).
pub fn next_account<'a>(
    iter: &mut impl Iterator<Item = AccountHandle<'a>>,
) -> Result<AccountHandle<'a>, InstructionError> {
    iter.next().ok_or(InstructionError::NotEnoughAccountKeys)
}

/// What a program module usually imports: `use baton_sdk::prelude::*;`
/// (a crate depending on the facade writes `use baton::prelude::*;`, which
/// holds all of this and more).
pub mod prelude {
    pub use super::{
        find_program_address, next_account, AccountHandle, CpiContext, InstructionError,
        InvokeContext, InvokeContextExt, Program, Pubkey,
    };
}
