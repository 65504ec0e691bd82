//! [`Runtime::simulate_transaction`]: run a transaction through every check
//! and the executor, and keep nothing.

use baton_types::{
    signing, wire, Account, LoadedAddresses, LoadedMessage, Pubkey, Transaction, TransactionError,
};

use crate::{Runtime, TransactionResult};

/// What [`Runtime::simulate_transaction`] found: the result the transaction
/// would get, and its accounts as they would be after it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SimulatedTransaction {
    /// The result [`Runtime::send_transaction`] would give now: status,
    /// logs, compute units, fee, return data. A rejected transaction has
    /// its error, no logs and a zero fee, as in a batch.
    pub result: TransactionResult,
    /// Every account the transaction names, in its message's order, as it
    /// would be after the transaction: written accounts changed, the fee
    /// payer charged (also when the transaction fails, when it is the only
    /// change), the others as they are. An account that does not exist is
    /// the default (empty) account. Empty when the transaction was rejected
    /// before execution.
    pub post_accounts: Vec<(Pubkey, Account)>,
}

impl Runtime {
    /// Run `tx` as [`Runtime::send_transaction`] would — sanitize, verify
    /// its signatures (when on), account locks, blockhash, signature
    /// history, fee payer, execution — and change nothing: no account, no
    /// state hash, no history entry (the same transaction may be sent
    /// afterwards), no fee. LiteSVM's `simulate_transaction`, with the
    /// result in a [`TransactionResult`] (its `status` says whether it
    /// would succeed) rather than a `Result`. Signatures are checked one by
    /// one with the strict rule ([`signing::verify_transaction`]), whose
    /// verdict a batch's shares for every honest signer (see
    /// [`signing`]).
    ///
    /// ```
    /// use baton::{system, Keypair, Pubkey, Runtime, Transaction};
    ///
    /// let mut rt = Runtime::new();
    /// let alice = Keypair::from_seed(&[1; 32]);
    /// let bob = Pubkey::new_unique();
    /// rt.airdrop(&alice.pubkey(), 10_000_000).unwrap();
    /// let ix = system::instruction::transfer(&alice.pubkey(), &bob, 1_000_000);
    /// let tx = Transaction::new_signed_with_payer(&[ix], Some(&alice.pubkey()), &[&alice], rt.latest_blockhash()).unwrap();
    ///
    /// let sim = rt.simulate_transaction(&tx);
    /// assert!(sim.result.status.is_ok());
    /// assert_eq!(sim.post_accounts[1].0, bob);
    /// assert_eq!(sim.post_accounts[1].1.lamports, 1_000_000);
    /// assert_eq!(rt.balance(&bob), 0); // nothing was stored
    /// ```
    pub fn simulate_transaction(&self, tx: &Transaction) -> SimulatedTransaction {
        let rejected = |e: TransactionError| SimulatedTransaction {
            result: TransactionResult::rejected(tx, e),
            post_accounts: Vec::new(),
        };
        let (loaded, nonce) = match self.admit_read_only(tx) {
            Ok((loaded, nonce)) => (loaded.unwrap_or_default(), nonce),
            Err(e) => return rejected(e),
        };
        let message = LoadedMessage::new(&tx.message, &loaded);
        let load = |k: &Pubkey| match self.reserved.get(k) {
            Some(a) => Some(a.clone()),
            None => self.store.load(k),
        };
        let (outcome, fee_details) =
            match crate::batch::execute_with_budget(message, &load, self.env(), nonce.as_ref()) {
                Ok(done) => done,
                Err(e) => return rejected(e),
            };
        let post_accounts = message
            .keys()
            .map(|key| {
                let account = outcome
                    .changes
                    .iter()
                    .find(|(k, _)| k == key)
                    .map(|(_, a)| a.clone())
                    .or_else(|| load(key))
                    .unwrap_or_default();
                (*key, account)
            })
            .collect();
        SimulatedTransaction {
            result: TransactionResult {
                signature: tx.signature().copied().unwrap_or_default(),
                status: outcome.status,
                logs: outcome.logs,
                compute_units_consumed: outcome.compute_units_consumed,
                fee: outcome.fee,
                fee_details,
                return_data: outcome.return_data,
                reverted_by: outcome.reverted_by,
            },
            post_accounts,
        }
    }

    /// The checks a batch makes before execution, in its order, without
    /// recording the signature.
    /// Gives the keys the transaction's lookups load, if it has any, and
    /// its nonce account as advanced, for a durable-nonce transaction.
    #[allow(clippy::type_complexity)]
    fn admit_read_only(
        &self,
        tx: &Transaction,
    ) -> Result<(Option<LoadedAddresses>, Option<(Pubkey, Account)>), TransactionError> {
        wire::sanitize_transaction(tx).map_err(TransactionError::from)?;
        if self.sigverify {
            signing::verify_transaction(tx)?;
        }
        crate::batch::check_compute_budget(&tx.message)?;
        let loaded = crate::batch::resolve_and_lock(
            tx,
            &*self.store,
            &mut crate::lookup::TableReader::new(&*self.store, &[]),
            &self.sysvars,
            self.lock_limit,
        )?;
        let nonce = if self.blockhash_check {
            crate::nonce::check_blockhash(
                &tx.message,
                &self.blockhashes,
                &*self.store,
                &self.sysvars,
            )?
        } else {
            None
        };
        if self.history.as_ref().is_some_and(|h| h.contains(tx)) {
            return Err(TransactionError::AlreadyProcessed);
        }
        Ok((loaded, nonce))
    }
}
