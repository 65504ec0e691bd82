//! Solana's `VersionedTransaction`s on a [`Runtime`]: converted (keeping
//! their bytes and signatures) and run like Baton's own transactions.

use solana_transaction::versioned::VersionedTransaction;

use super::{IntoBaton, TryFromSolana};
use crate::{
    FeeDetails, Runtime, SimulatedTransaction, Transaction, TransactionError, TransactionResult,
};

/// The result of a transaction Baton cannot represent (a v1 message):
/// refused with `UnsupportedVersion`, charged nothing.
fn unsupported(tx: &VersionedTransaction) -> TransactionResult {
    TransactionResult {
        signature: tx
            .signatures
            .first()
            .map(IntoBaton::into_baton)
            .unwrap_or_default(),
        status: Err(TransactionError::UnsupportedVersion),
        logs: Vec::new(),
        compute_units_consumed: 0,
        fee: 0,
        fee_details: FeeDetails::default(),
        return_data: None,
        reverted_by: None,
    }
}

impl Runtime {
    /// Run one Solana transaction, legacy or v0, as
    /// [`Runtime::send_transaction`] runs Baton's: every check (signatures,
    /// blockhash, history, fee payer), then execution; Baton's result. A
    /// message version Baton does not run (v1) is refused with
    /// `UnsupportedVersion` and charged nothing (feature `solana`).
    pub fn send_versioned(&mut self, tx: VersionedTransaction) -> TransactionResult {
        let mut results = self.execute_batch_versioned(std::slice::from_ref(&tx));
        results.pop().unwrap_or_else(|| unsupported(&tx))
    }

    /// Run a batch of Solana transactions as [`Runtime::execute_batch`]
    /// runs Baton's: as if one at a time in order, in parallel where they
    /// do not conflict. One result per transaction, in order; a transaction
    /// in a version Baton does not run (v1) is refused with
    /// `UnsupportedVersion`, charged nothing, and the others run as if it
    /// were not there (feature `solana`).
    pub fn execute_batch_versioned(
        &mut self,
        txs: &[VersionedTransaction],
    ) -> Vec<TransactionResult> {
        let mut runnable = Vec::with_capacity(txs.len());
        let mut refused = Vec::with_capacity(txs.len());
        for tx in txs {
            match Transaction::try_from_solana(tx) {
                Ok(t) => {
                    runnable.push(t);
                    refused.push(None);
                }
                Err(_) => refused.push(Some(unsupported(tx))),
            }
        }
        let mut executed = self.execute_batch(&runnable).into_iter();
        txs.iter()
            .zip(refused)
            .map(|(tx, refused)| {
                refused
                    .or_else(|| executed.next())
                    .unwrap_or_else(|| unsupported(tx))
            })
            .collect()
    }

    /// [`Runtime::simulate_transaction`] for a Solana transaction: its
    /// result and post-accounts, nothing kept (feature `solana`).
    pub fn simulate_versioned(&self, tx: &VersionedTransaction) -> SimulatedTransaction {
        match Transaction::try_from_solana(tx) {
            Ok(t) => self.simulate_transaction(&t),
            Err(_) => SimulatedTransaction {
                result: unsupported(tx),
                post_accounts: Vec::new(),
            },
        }
    }
}
