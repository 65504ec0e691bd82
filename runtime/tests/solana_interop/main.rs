//! solana-sdk interop (feature `solana`): every conversion both ways, the
//! wire bytes and signatures of Solana-built transactions kept through
//! Baton (legacy, v0, v0 with address table lookups), and Solana's
//! `VersionedTransaction`s — a v0 one compiled by solana-message with
//! compute-budget instructions — running on Baton with Agave's fee.
//!
//! `convert.rs`: the conversions and the wire bytes; `run.rs`: Solana's
//! transactions on a `Runtime`, and the example docs/embedding.md shows.
#![cfg(feature = "solana")]
#![allow(clippy::unwrap_used)]

mod convert;
mod run;

use baton::solana::{
    ConversionError, FromBaton, FromSolana, IntoBaton, IntoSolana, TryFromBaton, TryFromSolana,
    TryIntoBaton, TryIntoSolana,
};
use baton::{
    system, Account, AccountMeta, CompiledInstruction, Hash, Instruction, InstructionError,
    Keypair, Message, MessageAddressTableLookup, MessageHeader, MessageVersion, Pubkey, Runtime,
    Signature, Transaction, TransactionError,
};
use solana_account::AccountSharedData;
use solana_compute_budget_interface::ComputeBudgetInstruction;
use solana_message::{legacy, v0, v1, AddressLookupTableAccount, VersionedMessage};
use solana_signer::Signer;
use solana_transaction::versioned::VersionedTransaction;

// The solana-sdk example of docs/embedding.md, run as it is (run.rs checks that
// the page shows this file).
#[path = "../../examples/solana_v0.rs"]
mod example;

fn sol_keypair(n: u8) -> solana_keypair::Keypair {
    solana_keypair::Keypair::new_from_array([n; 32])
}

fn sol_key(n: u8) -> solana_pubkey::Pubkey {
    solana_pubkey::Pubkey::new_from_array([n; 32])
}

fn blockhash() -> solana_hash::Hash {
    solana_hash::Hash::new_from_array([0xAB; 32])
}

/// Two signers (a payer and a second one), a transfer each.
fn two_transfers() -> (
    Vec<solana_instruction::Instruction>,
    [solana_keypair::Keypair; 2],
) {
    let (a, b) = (sol_keypair(1), sol_keypair(2));
    let ixs = vec![
        solana_system_interface::instruction::transfer(&a.pubkey(), &sol_key(20), 1_000_000),
        solana_system_interface::instruction::transfer(&b.pubkey(), &sol_key(21), 2_000_000),
    ];
    (ixs, [a, b])
}
