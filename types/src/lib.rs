//! Core types of the Baton engine.
//!
//! Everything here is plain data with no threads and no I/O: 32-byte keys
//! ([`Pubkey`]), [`Account`]s, [`Instruction`]s and their compiled form,
//! legacy and v0 [`Message`]s and [`Transaction`]s with Solana's wire format,
//! ed25519 signing, program-derived addresses, and the error enums named
//! after Agave's `InstructionError` and `TransactionError` so that results
//! compare one to one with Agave, LiteSVM and Mollusk.
//!
//! A section sign (§4, §8.2) cites a section of the rule book,
//! `docs/semantics.md` in the repository (Solana's rules as Agave 4.2.2
//! applies them, and the engine's own invoke flavours).
//!
//! Depends on no crate of the workspace (only hashing, ed25519 and bs58).
//! Every other crate depends on it: the store, the scheduler and the
//! executor directly, the rest through them or the facade `baton`.

mod account;
mod compile_v0;
mod error;
pub mod fast;
mod hash;
pub mod ids;
mod instruction;
mod loaded;
mod message;
pub mod pda;
mod pubkey;
pub mod signing;
mod transaction;
pub mod wire;

pub use account::{Account, AccountRef, MAX_PERMITTED_DATA_LENGTH};
pub use compile_v0::{AddressLookupTableAccount, CompileError};
pub use error::{InstructionError, TransactionError};
pub use hash::{Hash, Signature};
pub use instruction::{AccountMeta, CompiledInstruction, Instruction};
pub use loaded::{LoadedAddresses, LoadedMessage};
pub use message::{
    Message, MessageAddressTableLookup, MessageHeader, MessageVersion, WritableByPosition,
};
pub use pda::PdaError;
pub use pubkey::{ParsePubkeyError, Pubkey};
pub use signing::{Keypair, SignError};
pub use transaction::Transaction;
pub use wire::WireError;
