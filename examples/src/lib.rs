//! Example programs written with the SDK ([`baton_sdk`]), used by tests,
//! scenario files and as templates, and embedding examples (`examples/` in
//! this crate, built and run by `cargo test --workspace`):
//!
//! - [`vault`]: a PDA vault; deposits of a mint's tokens are kept in a token
//!   account whose authority is the PDA `[b"vault", mint]`, and withdrawals
//!   are signed by that PDA with `invoke_signed`.
//! - [`swap`]: a constant-product (x·y = k) pool of two mints with a fee,
//!   its vaults held by the pool PDA `[b"pool", mint_a, mint_b]`.
//!
//! Both are plain native programs: register them with
//! `Runtime::new().with_program(vault::ID, Arc::new(vault::VaultProgram))`.
//! Neither registers the token program; the runtime must have it at
//! [`baton_programs::token::ID`].
//!
//! Encoding, both programs: a 1-byte tag, then the fields in order,
//! integers little-endian, nothing after (wrong length →
//! `InvalidInstructionData`). Program errors are `Custom` codes from 6000
//! up, Anchor's custom-error base.
//!
//! Depends on `baton-sdk`, `baton-programs` (the token program's ids and
//! state), `baton-executor` and `baton-types`; the embedding examples and
//! the end-to-end tests also use the facade `baton` (a dev-dependency).
//! Depended on by `baton-scenario` (scenario files can name `vault` and
//! `swap`); the facade does not re-export it.

pub mod swap;
pub mod vault;

use baton_types::InstructionError;

/// Split `data` into a u64 (little-endian) and the rest;
/// `InvalidInstructionData` when short.
pub(crate) fn read_u64(data: &[u8]) -> Result<(u64, &[u8]), InstructionError> {
    let (head, rest) = data
        .split_first_chunk::<8>()
        .ok_or(InstructionError::InvalidInstructionData)?;
    Ok((u64::from_le_bytes(*head), rest))
}

/// Split `data` into a u16 (little-endian) and the rest;
/// `InvalidInstructionData` when short.
pub(crate) fn read_u16(data: &[u8]) -> Result<(u16, &[u8]), InstructionError> {
    let (head, rest) = data
        .split_first_chunk::<2>()
        .ok_or(InstructionError::InvalidInstructionData)?;
    Ok((u16::from_le_bytes(*head), rest))
}

/// Split `data` into one byte and the rest; `InvalidInstructionData` when
/// empty.
pub(crate) fn read_u8(data: &[u8]) -> Result<(u8, &[u8]), InstructionError> {
    data.split_first()
        .map(|(b, rest)| (*b, rest))
        .ok_or(InstructionError::InvalidInstructionData)
}

/// `InvalidInstructionData` unless nothing is left.
pub(crate) fn expect_end(rest: &[u8]) -> Result<(), InstructionError> {
    if rest.is_empty() {
        Ok(())
    } else {
        Err(InstructionError::InvalidInstructionData)
    }
}
