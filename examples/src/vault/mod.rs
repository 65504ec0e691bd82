//! A PDA vault of one mint's tokens, per-user accounted.
//!
//! Program id [`ID`]: `BatonVau1t111111111111111111111111111111111`.
//!
//! For each mint there is one vault authority, the PDA
//! [`vault_authority`] = `[b"vault", mint]` of this program, and one vault
//! token account: any token account of `mint` whose token owner is that
//! PDA (the client creates it, e.g. with
//! `token::instruction::initialize_account3(&vault, &mint, &vault_authority(&mint).0)`).
//! Each depositor has a receipt, the PDA [`receipt_address`] =
//! `[b"receipt", mint, user]`, owned by this program, holding
//! [`Receipt`]: the tokens they may withdraw.
//!
//! | tag | instruction | data after the tag |
//! | --- | --- | --- |
//! | 0 | [`Deposit`] | `amount: u64` |
//! | 1 | [`Withdraw`] | `amount: u64`, `bump: u8` (the vault authority's) |
//!
//! Why a withdrawal can only take tokens from the vault of its own mint:
//! the program signs the token transfer with the seeds
//! `[b"vault", mint, bump]` of the mint the user's receipt is for, and the
//! executor lends a signature only to the PDA those seeds derive from this
//! program's id (§4.3); the token program then pays only from an account
//! whose owner is that signer. Seeds of another mint, or a wrong bump, sign
//! for another address, and the call fails with `PrivilegeEscalation` (or
//! `ProgramFailedToComplete` when the seeds give no valid PDA); an
//! authority that is not the vault's owner fails in the token program with
//! `Custom(OwnerMismatch)`. The program does not pre-check the vault
//! authority itself: the signature check is the check. Deposits, on the
//! other hand, verify that the vault token account belongs to the mint's
//! vault authority ([`VaultError::InvalidVault`]), or a user could credit a
//! receipt by paying into an account of their own.

mod deposit;
mod error;
pub mod instruction;
mod state;
mod withdraw;

pub use deposit::Deposit;
pub use error::VaultError;
pub use instruction::VaultInstruction;
pub use state::Receipt;
pub use withdraw::Withdraw;

use baton_executor::{InvokeContext, Program};
use baton_types::{pda, InstructionError, Pubkey};

/// The vault program's id.
pub const ID: Pubkey = Pubkey::from_str_const("BatonVau1t111111111111111111111111111111111");

/// First seed of the vault authority PDA `[VAULT_SEED, mint]`.
pub const VAULT_SEED: &[u8] = b"vault";

/// First seed of a receipt PDA `[RECEIPT_SEED, mint, user]`.
pub const RECEIPT_SEED: &[u8] = b"receipt";

/// The vault authority of `mint` and its bump.
pub fn vault_authority(mint: &Pubkey) -> (Pubkey, u8) {
    pda::find_program_address(&[VAULT_SEED, mint.as_ref()], &ID)
}

/// The receipt of `user` for `mint` and its bump.
pub fn receipt_address(mint: &Pubkey, user: &Pubkey) -> (Pubkey, u8) {
    pda::find_program_address(&[RECEIPT_SEED, mint.as_ref(), user.as_ref()], &ID)
}

/// The vault program; register it at [`ID`].
#[derive(Debug, Clone, Copy, Default)]
pub struct VaultProgram;

impl Program for VaultProgram {
    fn process(&self, ctx: &InvokeContext<'_>, data: &[u8]) -> Result<(), InstructionError> {
        match VaultInstruction::unpack(data)? {
            VaultInstruction::Deposit(ix) => ix.process(ctx),
            VaultInstruction::Withdraw(ix) => ix.process(ctx),
        }
    }
}
