//! The sanitize rules of the wire format: the checks of Solana's
//! `Message::sanitize` and `VersionedTransaction::sanitize`, run on every
//! decoded message and transaction and on demand for ones built in memory.

use super::WireError;
use crate::{Message, MessageVersion, Transaction};

pub(super) fn check_lengths(m: &Message) -> Result<(), WireError> {
    let max = usize::from(u16::MAX);
    if m.account_keys.len() > max {
        return Err(WireError::LengthOverflow {
            what: "account keys",
            len: m.account_keys.len(),
        });
    }
    if m.instructions.len() > max {
        return Err(WireError::LengthOverflow {
            what: "instructions",
            len: m.instructions.len(),
        });
    }
    if m.address_table_lookups.len() > max {
        return Err(WireError::LengthOverflow {
            what: "address table lookups",
            len: m.address_table_lookups.len(),
        });
    }
    for l in &m.address_table_lookups {
        for (what, list) in [
            ("writable indexes", &l.writable_indexes),
            ("readonly indexes", &l.readonly_indexes),
        ] {
            if list.len() > max {
                return Err(WireError::LengthOverflow {
                    what,
                    len: list.len(),
                });
            }
        }
    }
    for ix in &m.instructions {
        if ix.accounts.len() > max {
            return Err(WireError::LengthOverflow {
                what: "instruction accounts",
                len: ix.accounts.len(),
            });
        }
        if ix.data.len() > max {
            return Err(WireError::LengthOverflow {
                what: "instruction data",
                len: ix.data.len(),
            });
        }
    }
    Ok(())
}

/// Check a message the way Solana's `legacy::Message::sanitize` and
/// `v0::Message::sanitize` do, for messages decoded or built in memory:
///
/// - the signers and the read-only non-signers fit in the static keys
///   without overlapping, and at least one signer (the fee payer) is
///   writable ([`WireError::InvalidHeader`]; this also rejects a message
///   without keys);
/// - a legacy message has no lookups ([`WireError::LookupsInLegacyMessage`]);
///   every lookup of a v0 message loads at least one key
///   ([`WireError::EmptyLookup`]), and static plus loaded keys are at most
///   256 ([`WireError::TooManyAccountKeys`]);
/// - every program id is a static key, and every account index a static or
///   loaded key ([`WireError::InstructionIndexOutOfRange`], whose `num_keys`
///   is the static keys for a program id, static plus loaded for an account);
/// - no instruction invokes key 0, the fee payer
///   ([`WireError::FeePayerAsProgram`]);
/// - every list can be encoded ([`WireError::LengthOverflow`]; decoded
///   messages always can).
pub fn sanitize_message(m: &Message) -> Result<(), WireError> {
    let h = &m.header;
    let num_static = m.account_keys.len();
    if usize::from(h.num_required_signatures) + usize::from(h.num_readonly_unsigned_accounts)
        > num_static
    {
        return Err(WireError::InvalidHeader);
    }
    if h.num_readonly_signed_accounts >= h.num_required_signatures {
        return Err(WireError::InvalidHeader);
    }
    let num_keys = match m.version {
        MessageVersion::Legacy if !m.address_table_lookups.is_empty() => {
            return Err(WireError::LookupsInLegacyMessage);
        }
        MessageVersion::Legacy => num_static,
        MessageVersion::V0 => {
            if let Some(lookup) = m
                .address_table_lookups
                .iter()
                .position(|l| l.writable_indexes.is_empty() && l.readonly_indexes.is_empty())
            {
                return Err(WireError::EmptyLookup { lookup });
            }
            let total = num_static + m.num_lookup_keys();
            if total > 256 {
                return Err(WireError::TooManyAccountKeys { total });
            }
            total
        }
    };
    for (i, ix) in m.instructions.iter().enumerate() {
        if usize::from(ix.program_id_index) >= num_static {
            return Err(WireError::InstructionIndexOutOfRange {
                instruction: i,
                index: ix.program_id_index,
                num_keys: num_static,
            });
        }
        if ix.program_id_index == 0 {
            return Err(WireError::FeePayerAsProgram { instruction: i });
        }
        if let Some(&index) = ix.accounts.iter().find(|&&a| usize::from(a) >= num_keys) {
            return Err(WireError::InstructionIndexOutOfRange {
                instruction: i,
                index,
                num_keys,
            });
        }
    }
    check_lengths(m)
}

/// Check a transaction: exactly one signature per required signer
/// ([`WireError::SignatureCountMismatch`]), then [`sanitize_message`].
pub fn sanitize_transaction(tx: &Transaction) -> Result<(), WireError> {
    let required = usize::from(tx.message.header.num_required_signatures);
    if tx.signatures.len() != required {
        return Err(WireError::SignatureCountMismatch {
            signatures: tx.signatures.len(),
            required,
        });
    }
    sanitize_message(&tx.message)
}
