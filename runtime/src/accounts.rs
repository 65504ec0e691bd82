//! The accounts API of the [`Runtime`]: accounts and the reserved copies,
//! the store and its faults, blockhashes and the clock, and running one
//! instruction or one transaction.

use std::path::Path;
use std::sync::Arc;

use baton_accounts_db::{AccountsStore, StateHash, StoreError};
use baton_executor::sysvar::{FeeCalculator, RecentBlockhashEntry, MAX_RECENT_BLOCKHASHES};
use baton_executor::{
    process_instruction, Environment, ExecutionConfig, InstructionOutcome, ProgramRegistry,
    SysvarCache,
};
use baton_types::{
    ids, Account, Hash, Instruction, InstructionError, Pubkey, Transaction, TransactionError,
};

use crate::{Runtime, RuntimeError, TransactionResult};

impl Runtime {
    /// Re-read the copy of a reserved account after the runtime wrote it.
    pub(crate) fn refresh_reserved(&mut self, key: &Pubkey) {
        if !ids::is_reserved(key) {
            return;
        }
        match self.store.load(key) {
            Some(a) => self.reserved.insert(*key, a),
            None => self.reserved.remove(key),
        };
    }

    /// Set the account at `key`. An account with zero lamports is removed.
    pub fn set_account(&mut self, key: Pubkey, account: Account) -> Result<(), RuntimeError> {
        self.store.commit(&[(key, account)])?;
        self.store.end_batch()?;
        self.programs.invalidate(&key);
        self.refresh_reserved(&key);
        if ids::is_sysvar(&key) {
            self.sysvars = SysvarCache::from_accounts(|k| self.store.load(k))?;
        }
        Ok(())
    }

    /// The account at `key`, if it exists.
    pub fn account(&self, key: &Pubkey) -> Option<Account> {
        self.store.load(key)
    }

    /// The balance of `key` (0 if absent).
    pub fn balance(&self, key: &Pubkey) -> u64 {
        self.store.load_lamports(key).unwrap_or(0)
    }

    /// Credit `lamports` to `key`, creating a system account if absent.
    pub fn airdrop(&mut self, key: &Pubkey, lamports: u64) -> Result<(), RuntimeError> {
        let mut account = self
            .store
            .load(key)
            .unwrap_or_else(|| Account::new(0, 0, &ids::SYSTEM_PROGRAM));
        account.lamports =
            account
                .lamports
                .checked_add(lamports)
                .ok_or(RuntimeError::LamportsOverflow {
                    key: *key,
                    lamports,
                })?;
        self.store.commit(&[(*key, account)])?;
        self.store.end_batch()?;
        self.refresh_reserved(key);
        Ok(())
    }

    /// The account store.
    pub fn store(&self) -> &Arc<dyn AccountsStore> {
        &self.store
    }

    /// The registered programs.
    pub fn programs(&self) -> &ProgramRegistry {
        &self.programs
    }

    /// The sysvars transactions currently see.
    pub fn sysvars(&self) -> &SysvarCache {
        &self.sysvars
    }

    /// The execution limits.
    pub fn config(&self) -> &ExecutionConfig {
        &self.config
    }

    /// The hash of the whole account state (see `baton_accounts_db`).
    pub fn state_hash(&self) -> StateHash {
        self.store.state_hash()
    }

    /// Save every account to a snapshot file, atomically replacing `path`.
    pub fn save_snapshot(&self, path: &Path) -> Result<(), RuntimeError> {
        baton_accounts_db::save_snapshot(&*self.store, path)?;
        Ok(())
    }

    /// Storage faults met since the last call (commits that failed; their
    /// transactions were reported as `CommitCancelled`).
    pub fn take_store_errors(&mut self) -> Vec<StoreError> {
        std::mem::take(&mut self.store_errors)
    }

    pub(crate) fn record_store_result(&mut self, r: Result<(), StoreError>) {
        if let Err(e) = r {
            self.store_errors.push(e);
        }
    }

    // ----- blockhashes and clock -----

    /// The newest blockhash, for new transactions.
    pub fn latest_blockhash(&self) -> Hash {
        self.blockhashes.latest()
    }

    /// Advance to a new blockhash and slot; the oldest of more than 150
    /// recent blockhashes expires.
    pub fn expire_blockhash(&mut self) {
        let next = Hash::hashv(&[b"baton blockhash", &self.latest_blockhash().0]);
        for expired in self.blockhashes.push(next, MAX_RECENT_BLOCKHASHES) {
            // A transaction naming an expired blockhash is refused before
            // its signature is looked at, so its history can go (unless
            // blockhash checks are off, when nothing expires).
            if self.blockhash_check && !self.blockhashes.contains(&expired) {
                if let Some(h) = &mut self.history {
                    h.expire(&expired);
                }
            }
        }
        self.prepare_history();
        self.sysvars.clock.slot += 1;
        self.sync_recent_blockhashes();
    }

    pub(crate) fn sync_recent_blockhashes(&mut self) {
        let fee_calculator = FeeCalculator {
            lamports_per_signature: self.config.lamports_per_signature,
        };
        self.sysvars.recent_blockhashes.0 = self
            .blockhashes
            .iter()
            .map(|h| RecentBlockhashEntry {
                blockhash: *h,
                fee_calculator,
            })
            .collect();
        self.write_sysvar_accounts();
    }

    // ----- execution -----

    /// Run one instruction against `accounts` without a transaction, fee or
    /// store, the way Mollusk tests an instruction; the store is untouched.
    /// The outcome lists the given accounts, in their order, as the
    /// instruction left them (find one with
    /// [`InstructionOutcomeExt::account`](crate::InstructionOutcomeExt::account);
    /// check them with [`Runtime::process_and_validate_instruction`]).
    ///
    /// Every account the instruction names must be given, except the
    /// runtime's own: a builtin or registered program, or a sysvar, named
    /// but not given is read from the runtime (and not listed in the
    /// outcome). Any other account named but not given fails the
    /// instruction with `MissingAccount` before it runs — Agave's error for
    /// an instruction account that is not there — with a log line naming
    /// the key (written even when log collection is off), and the
    /// accounts come back unchanged. The program itself need not be given.
    pub fn process_instruction(
        &self,
        instruction: &Instruction,
        accounts: &[(Pubkey, Account)],
    ) -> InstructionOutcome {
        let mut given = std::borrow::Cow::Borrowed(accounts);
        for (index, meta) in instruction.accounts.iter().enumerate() {
            let key = &meta.pubkey;
            if given.iter().any(|(k, _)| k == key) {
                continue;
            }
            let own = ids::is_reserved(key) || self.programs.contains(key);
            match own.then(|| self.account(key)).flatten() {
                Some(account) => given.to_mut().push((*key, account)),
                None => return missing_account(accounts, key, index),
            }
        }
        let mut outcome = process_instruction(
            &given,
            instruction,
            self.config.units_per_instruction,
            self.env(),
        );
        outcome.accounts.truncate(accounts.len());
        outcome
    }

    /// Execute one transaction.
    pub fn send_transaction(&mut self, tx: Transaction) -> TransactionResult {
        let mut r = self.execute_batch(std::slice::from_ref(&tx));
        r.pop()
            .unwrap_or_else(|| TransactionResult::rejected(&tx, TransactionError::SanitizeFailure))
    }

    pub(crate) fn env(&self) -> Environment<'_> {
        Environment {
            programs: &self.programs,
            sysvars: &self.sysvars,
            config: &self.config,
        }
    }
}

/// The outcome of an instruction naming `key` (its account `index`) that
/// the caller did not give: `MissingAccount`, the accounts unchanged, and
/// a log line naming the key.
fn missing_account(
    accounts: &[(Pubkey, Account)],
    key: &Pubkey,
    index: usize,
) -> InstructionOutcome {
    InstructionOutcome {
        result: Err(InstructionError::MissingAccount),
        accounts: accounts.to_vec(),
        compute_units_consumed: 0,
        return_data: None,
        logs: vec![format!(
            "Instruction account {index} ({key}) is missing from the given accounts: \
             process_instruction needs every account the instruction names"
        )],
    }
}
