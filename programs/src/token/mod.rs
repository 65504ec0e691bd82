//! The token program: SPL Token, as a native builtin.
//!
//! Same program id ([`ID`], `TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA`),
//! same instruction encoding ([`TokenInstruction`], SPL's
//! `TokenInstruction::pack`), same account layouts ([`state::Mint`], 82
//! bytes; [`state::TokenAccount`], 165 bytes) and the same checks in the
//! same order with the same errors as SPL Token's `processor.rs`; program
//! errors are [`TokenError`] codes in `InstructionError::Custom`. One file
//! and one struct per instruction:
//!
//! | tag | instruction | compute units |
//! | --- | --- | --- |
//! | 0 | [`InitializeMint`] | 2,967 |
//! | 1 | [`InitializeAccount`] | 4,527 |
//! | 3 | [`Transfer`] | 4,645 |
//! | 4 | [`Approve`] | 2,904 |
//! | 5 | [`Revoke`] | 2,677 |
//! | 6 | [`SetAuthority`] | 3,167 |
//! | 7 | [`MintTo`] | 4,538 |
//! | 8 | [`Burn`] | 4,753 |
//! | 9 | [`CloseAccount`] | 2,916 |
//! | 10 | [`FreezeAccount`] | 4,265 |
//! | 11 | [`ThawAccount`] | 4,267 |
//! | 12 | [`TransferChecked`] | 6,201 |
//! | 13 | [`ApproveChecked`] | 4,459 |
//! | 14 | [`MintToChecked`] | 4,546 |
//! | 15 | [`BurnChecked`] | 4,755 |
//! | 16 | [`InitializeAccount2`] | 4,388 |
//! | 18 | [`InitializeAccount3`] | 4,240 |
//! | 20 | [`InitializeMint2`] | 2,827 |
//!
//! Compute: each instruction is charged its fixed number of units (each
//! struct's `UNITS`) once its data has decoded and before any account is
//! read, whether it then succeeds or fails. The numbers are what the
//! SPL Token BPF program consumes for the instruction's common path
//! (Solana v2.1), as published in the comparison table of p-token, SPL
//! Token's pinocchio rewrite, so that workloads cost about what they cost
//! on Solana. Data that does not decode is charged nothing.
//!
//! Differences from SPL Token, by design:
//!
//! - Multisig is not supported. `InitializeMultisig` (2) and
//!   `InitializeMultisig2` (19) fail with `InvalidInstructionData`, and an
//!   authority is always a plain key that must sign itself: an authority
//!   account that happens to be a 355-byte multisig owned by the token
//!   program is not consulted, and extra signer accounts are ignored.
//! - The other SPL instructions not listed above ([`instruction::UNSUPPORTED_TAGS`]:
//!   `SyncNative`, `GetAccountDataSize`, `InitializeImmutableOwner`, the
//!   UI-amount conversions, `WithdrawExcessLamports`, `UnwrapLamports`,
//!   `Batch`) fail with `InvalidInstructionData`; an unknown tag or short
//!   arguments fail with `Custom(InvalidInstruction)` as in SPL.
//! - Native (wrapped SOL) accounts work as in SPL (initialization against
//!   [`state::NATIVE_MINT`] records the rent-exempt reserve, transfers move
//!   lamports with tokens, mint/burn/freeze return
//!   `Custom(NativeNotSupported)`, close pays out every lamport), but with
//!   no `SyncNative` a native balance cannot be topped up.
//! - The Rent sysvar account of `InitializeMint` / `InitializeAccount(2)`
//!   is checked by key only (`InvalidArgument` otherwise); the values come
//!   from the runtime's sysvar cache.
//! - Closing an account leaves it with no lamports, no data and the system
//!   program as owner, as SPL does on chain.
//!
//! Each instruction logs `Program log: Instruction: <name>` as SPL does.
//! Clients build instructions with [`instruction`]'s builders
//! (`token::instruction::transfer(&source, &destination, &owner, amount)`),
//! which produce the same bytes and metas as `spl-token`'s for a
//! single-signer authority; other programs read balances with
//! [`state::TokenAccount::unpack`].

mod shared;

pub mod error;
pub mod instruction;
pub mod state;

mod approve;
mod approve_checked;
mod burn;
mod burn_checked;
mod close_account;
mod freeze_account;
mod initialize_account;
mod initialize_account2;
mod initialize_account3;
mod initialize_mint;
mod initialize_mint2;
mod mint_to;
mod mint_to_checked;
mod revoke;
mod set_authority;
mod thaw_account;
mod transfer;
mod transfer_checked;

pub use approve::Approve;
pub use approve_checked::ApproveChecked;
pub use burn::Burn;
pub use burn_checked::BurnChecked;
pub use close_account::CloseAccount;
pub use error::TokenError;
pub use freeze_account::FreezeAccount;
pub use initialize_account::InitializeAccount;
pub use initialize_account2::InitializeAccount2;
pub use initialize_account3::InitializeAccount3;
pub use initialize_mint::InitializeMint;
pub use initialize_mint2::InitializeMint2;
pub use instruction::TokenInstruction;
pub use mint_to::MintTo;
pub use mint_to_checked::MintToChecked;
pub use revoke::Revoke;
pub use set_authority::{AuthorityType, SetAuthority};
pub use thaw_account::ThawAccount;
pub use transfer::Transfer;
pub use transfer_checked::TransferChecked;

use baton_executor::{InvokeContext, Program};
use baton_types::{ids, InstructionError, Pubkey};

/// The token program's id (`TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA`).
pub const ID: Pubkey = ids::TOKEN_PROGRAM;

/// The token program as a builtin [`Program`]; register it at [`ID`].
#[derive(Debug, Clone, Copy, Default)]
pub struct TokenProgram;

impl Program for TokenProgram {
    fn process(&self, ctx: &InvokeContext<'_>, data: &[u8]) -> Result<(), InstructionError> {
        let ix = TokenInstruction::unpack(data)?;
        ctx.consume_checked(ix.units())?;
        let ctx: &InvokeContext<'_> = ctx;
        if ctx.log_enabled() {
            ctx.log(format_args!("Instruction: {}", ix.name()));
        }
        match ix {
            TokenInstruction::InitializeMint(ix) => ix.process(ctx),
            TokenInstruction::InitializeAccount(ix) => ix.process(ctx),
            TokenInstruction::Transfer(ix) => ix.process(ctx),
            TokenInstruction::Approve(ix) => ix.process(ctx),
            TokenInstruction::Revoke(ix) => ix.process(ctx),
            TokenInstruction::SetAuthority(ix) => ix.process(ctx),
            TokenInstruction::MintTo(ix) => ix.process(ctx),
            TokenInstruction::Burn(ix) => ix.process(ctx),
            TokenInstruction::CloseAccount(ix) => ix.process(ctx),
            TokenInstruction::FreezeAccount(ix) => ix.process(ctx),
            TokenInstruction::ThawAccount(ix) => ix.process(ctx),
            TokenInstruction::TransferChecked(ix) => ix.process(ctx),
            TokenInstruction::ApproveChecked(ix) => ix.process(ctx),
            TokenInstruction::MintToChecked(ix) => ix.process(ctx),
            TokenInstruction::BurnChecked(ix) => ix.process(ctx),
            TokenInstruction::InitializeAccount2(ix) => ix.process(ctx),
            TokenInstruction::InitializeAccount3(ix) => ix.process(ctx),
            TokenInstruction::InitializeMint2(ix) => ix.process(ctx),
        }
    }

    fn is_builtin(&self) -> bool {
        true
    }
}
