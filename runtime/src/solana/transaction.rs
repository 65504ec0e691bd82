//! Transactions: `solana_transaction::Transaction` (legacy) and
//! `VersionedTransaction`. The signatures and the message carry over as
//! they are, so the converted transaction encodes to the same wire bytes.

use solana_transaction::versioned::VersionedTransaction;

use super::{
    by_value, ConversionError, FromSolana, IntoBaton, IntoSolana, TryFromBaton, TryFromSolana,
    TryIntoBaton, TryIntoSolana,
};
use crate::Transaction;

impl FromSolana<&solana_transaction::Transaction> for Transaction {
    fn from_solana(value: &solana_transaction::Transaction) -> Self {
        Transaction {
            signatures: value.signatures.iter().map(IntoBaton::into_baton).collect(),
            message: (&value.message).into_baton(),
        }
    }
}

/// Fails on a v1 message, which Baton does not run.
impl TryFromSolana<&VersionedTransaction> for Transaction {
    type Error = ConversionError;
    fn try_from_solana(value: &VersionedTransaction) -> Result<Self, ConversionError> {
        Ok(Transaction {
            signatures: value.signatures.iter().map(IntoBaton::into_baton).collect(),
            message: (&value.message).try_into_baton()?,
        })
    }
}

/// Fails unless the message is legacy (without address table lookups).
impl TryFromBaton<&Transaction> for solana_transaction::Transaction {
    type Error = ConversionError;
    fn try_from_baton(value: &Transaction) -> Result<Self, ConversionError> {
        Ok(solana_transaction::Transaction {
            signatures: value
                .signatures
                .iter()
                .map(IntoSolana::into_solana)
                .collect(),
            message: (&value.message).try_into_solana()?,
        })
    }
}

/// Fails only on a legacy message with address table lookups.
impl TryFromBaton<&Transaction> for VersionedTransaction {
    type Error = ConversionError;
    fn try_from_baton(value: &Transaction) -> Result<Self, ConversionError> {
        Ok(VersionedTransaction {
            signatures: value
                .signatures
                .iter()
                .map(IntoSolana::into_solana)
                .collect(),
            message: (&value.message).try_into_solana()?,
        })
    }
}

by_value!(FromSolana, from_solana: solana_transaction::Transaction => Transaction);
by_value!(try TryFromSolana, try_from_solana: VersionedTransaction => Transaction);
by_value!(try TryFromBaton, try_from_baton:
    Transaction => solana_transaction::Transaction,
    Transaction => VersionedTransaction,
);
