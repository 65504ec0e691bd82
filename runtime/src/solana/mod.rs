//! solana-sdk interop (feature `solana`): Baton's types to and from the
//! Solana component crates', and Solana's transactions run on a [`Runtime`].
//!
//! The Solana side is the component crates of the Agave 4.2 line:
//! `solana-pubkey` 4 (`Pubkey`, alias of `solana_address::Address`),
//! `solana-hash` 4, `solana-signature` 3, `solana-keypair` 3,
//! `solana-instruction` 3, `solana-account` 4, `solana-message` 4 and
//! `solana-transaction` 4. A crate that depends on them and on `baton` with
//! this feature shares their types with Baton (cargo picks one version of
//! each).
//!
//! Both sides' types belong to other crates, so Rust's orphan rule leaves
//! `From`/`TryFrom` between them to those crates; this module has its own
//! pair of traits in each direction, with the same shape:
//!
//! | direction | infallible | fallible |
//! |---|---|---|
//! | Solana → Baton, on Baton's type | [`FromSolana`] | [`TryFromSolana`] |
//! | Baton → Solana, on Solana's type | [`FromBaton`] | [`TryFromBaton`] |
//!
//! with [`IntoBaton`], [`TryIntoBaton`], [`IntoSolana`] and
//! [`TryIntoSolana`] on every type for the method form
//! (`solana_tx.try_into_baton()?`), as `Into` is to `From`.
//!
//! | Baton | Solana | Baton → Solana | Solana → Baton |
//! |---|---|---|---|
//! | [`Pubkey`] | `solana_pubkey::Pubkey` | yes | yes |
//! | [`Hash`](struct@Hash) | `solana_hash::Hash` | yes | yes |
//! | [`Signature`] | `solana_signature::Signature` | yes | yes |
//! | [`Keypair`] | `solana_keypair::Keypair` (by reference) | yes | yes |
//! | [`AccountMeta`], [`Instruction`] | `solana_instruction`'s | yes | yes |
//! | [`Account`] | `solana_account::Account`, `AccountSharedData` | yes | yes |
//! | [`CompiledInstruction`], [`MessageHeader`], [`MessageAddressTableLookup`], [`AddressLookupTableAccount`] | `solana_message`'s | yes | yes |
//! | [`Message`] | `VersionedMessage` | fails on a legacy message with lookups | fails on v1 |
//! | [`Message`] | `legacy::Message` | fails unless legacy | yes |
//! | [`Message`] | `v0::Message` | fails unless v0 | yes |
//! | [`Transaction`] | `VersionedTransaction` | as its message | as its message |
//! | [`Transaction`] | `solana_transaction::Transaction` | fails unless legacy | yes |
//!
//! The fallible conversions fail with a [`ConversionError`] naming what
//! Baton or Solana cannot represent. Messages and transactions keep every
//! field: the same signatures, and the same wire bytes
//! ([`Transaction::to_bytes`] gives what Solana's serializer gives), address
//! table lookups included.
//!
//! [`Runtime::send_versioned`] and [`Runtime::execute_batch_versioned`] run
//! `VersionedTransaction`s and return Baton's [`TransactionResult`]s. A v0
//! transaction with compute-budget instructions, built and signed with the
//! Solana crates (`examples/solana_v0.rs` of this crate, which the README
//! shows):
//!
//! ```
#![doc = include_str!("../../examples/solana_v0.rs")]
//! ```
//!
//! [`TransactionResult`]: crate::TransactionResult
//! [`AddressLookupTableAccount`]: crate::types::AddressLookupTableAccount

mod account;
mod instruction;
mod keys;
mod message;
mod run;
mod transaction;

#[allow(unused_imports)] // the doc links of the tables above
use crate::{
    Account, AccountMeta, CompiledInstruction, Hash, Instruction, Keypair, Message,
    MessageAddressTableLookup, MessageHeader, Pubkey, Runtime, Signature, Transaction,
};

/// What a fallible conversion between Baton's and Solana's types could not
/// represent on the other side.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ConversionError {
    /// A Solana message in a version Baton does not run (Baton runs legacy
    /// and v0 messages, as Agave 4.2 does).
    #[error(
        "Solana message version v{version} is not supported: Baton runs legacy and v0 messages"
    )]
    UnsupportedVersion {
        /// The message version, e.g. 1 for `VersionedMessage::V1`.
        version: u8,
    },
    /// A Baton message in the legacy format that carries address table
    /// lookups: only a v0 message can carry them.
    #[error("a legacy message cannot carry address table lookups ({count} given): only v0 can")]
    LookupsInLegacyMessage {
        /// How many lookups the message has.
        count: usize,
    },
    /// A Baton message converted to a Solana message of another format
    /// (`legacy::Message` or `v0::Message`); `VersionedMessage` takes both.
    #[error(
        "a {found} message cannot become a Solana {wanted} message (VersionedMessage takes both)"
    )]
    WrongVersion {
        /// The format asked for: "legacy" or "v0".
        wanted: &'static str,
        /// The message's format.
        found: &'static str,
    },
}

/// A Baton value made from a Solana value, always (Solana → Baton).
pub trait FromSolana<S>: Sized {
    /// The Baton value for `value`.
    fn from_solana(value: S) -> Self;
}

/// A Baton value made from a Solana value, when Baton can represent it.
pub trait TryFromSolana<S>: Sized {
    /// Why it cannot.
    type Error;
    /// The Baton value for `value`, or why there is none.
    fn try_from_solana(value: S) -> Result<Self, Self::Error>;
}

/// A Solana value made from a Baton value, always (Baton → Solana).
pub trait FromBaton<B>: Sized {
    /// The Solana value for `value`.
    fn from_baton(value: B) -> Self;
}

/// A Solana value made from a Baton value, when Solana can represent it.
pub trait TryFromBaton<B>: Sized {
    /// Why it cannot.
    type Error;
    /// The Solana value for `value`, or why there is none.
    fn try_from_baton(value: B) -> Result<Self, Self::Error>;
}

/// The method form of [`FromSolana`]: `solana_value.into_baton()`.
pub trait IntoBaton<B> {
    /// The Baton value for `self`.
    fn into_baton(self) -> B;
}

impl<S, B: FromSolana<S>> IntoBaton<B> for S {
    fn into_baton(self) -> B {
        B::from_solana(self)
    }
}

/// The method form of [`TryFromSolana`]: `solana_value.try_into_baton()`.
pub trait TryIntoBaton<B> {
    /// Why it cannot.
    type Error;
    /// The Baton value for `self`, or why there is none.
    fn try_into_baton(self) -> Result<B, Self::Error>;
}

impl<S, B: TryFromSolana<S>> TryIntoBaton<B> for S {
    type Error = B::Error;
    fn try_into_baton(self) -> Result<B, B::Error> {
        B::try_from_solana(self)
    }
}

/// The method form of [`FromBaton`]: `baton_value.into_solana()`.
pub trait IntoSolana<S> {
    /// The Solana value for `self`.
    fn into_solana(self) -> S;
}

impl<B, S: FromBaton<B>> IntoSolana<S> for B {
    fn into_solana(self) -> S {
        S::from_baton(self)
    }
}

/// The method form of [`TryFromBaton`]: `baton_value.try_into_solana()`.
pub trait TryIntoSolana<S> {
    /// Why it cannot.
    type Error;
    /// The Solana value for `self`, or why there is none.
    fn try_into_solana(self) -> Result<S, Self::Error>;
}

impl<B, S: TryFromBaton<B>> TryIntoSolana<S> for B {
    type Error = S::Error;
    fn try_into_solana(self) -> Result<S, S::Error> {
        S::try_from_baton(self)
    }
}

/// The owned forms of conversions written for references: `$to` from `$from`
/// through `&$from`, with the trait pair given (`FromSolana`/`FromBaton`).
macro_rules! by_value {
    ($trait:ident, $method:ident: $($from:ty => $to:ty),+ $(,)?) => {
        $(
            impl $crate::solana::$trait<$from> for $to {
                fn $method(value: $from) -> Self {
                    Self::$method(&value)
                }
            }
        )+
    };
    (try $trait:ident, $method:ident: $($from:ty => $to:ty),+ $(,)?) => {
        $(
            impl $crate::solana::$trait<$from> for $to {
                type Error = $crate::solana::ConversionError;
                fn $method(value: $from) -> Result<Self, Self::Error> {
                    Self::$method(&value)
                }
            }
        )+
    };
}
use by_value;
