//! A borrowed instruction account: the only way a program changes state.
//! Every setter checks the mutation rules of §2 in Agave's order, records
//! the old value in the journal, then writes.

use std::cell::RefMut;

use baton_types::{Account, InstructionError, Pubkey, MAX_PERMITTED_DATA_LENGTH};

use crate::config::MAX_PERMITTED_ACCOUNTS_DATA_ALLOCATIONS_PER_TRANSACTION;
use crate::journal::JournalEntry;
use crate::sysvar::Rent;
use crate::TransactionContext;

/// A mutable borrow of one account of the current instruction.
///
/// Holding it keeps the account borrowed: borrowing the same transaction
/// account again (a duplicate in the instruction) fails with
/// `AccountBorrowFailed` until it is dropped.
pub struct BorrowedAccount<'a> {
    pub(crate) tx: &'a TransactionContext,
    pub(crate) account: RefMut<'a, Account>,
    pub(crate) index_in_transaction: u16,
    pub(crate) index_in_instruction: u16,
    pub(crate) is_signer: bool,
    pub(crate) is_writable: bool,
    pub(crate) program_id: Pubkey,
    /// Largest data length this instruction may resize to (§2.3).
    pub(crate) max_data_len: usize,
    pub(crate) rent: &'a Rent,
}

impl BorrowedAccount<'_> {
    /// The account's key.
    pub fn key(&self) -> &Pubkey {
        // The index was validated when the account was borrowed.
        self.tx
            .key(self.index_in_transaction as usize)
            .unwrap_or(&self.program_id)
    }

    /// The account's index in the transaction.
    pub fn index_in_transaction(&self) -> usize {
        self.index_in_transaction as usize
    }

    /// The account's index in the current instruction.
    pub fn index_in_instruction(&self) -> usize {
        self.index_in_instruction as usize
    }

    /// Whether the account signed (or is a PDA signed for) in this instruction.
    pub fn is_signer(&self) -> bool {
        self.is_signer
    }

    /// Whether the account is writable in this instruction.
    pub fn is_writable(&self) -> bool {
        self.is_writable
    }

    /// The owning program.
    pub fn owner(&self) -> &Pubkey {
        &self.account.owner
    }

    /// Whether the current program owns the account.
    pub fn is_owned_by_current_program(&self) -> bool {
        self.account.owner == self.program_id
    }

    /// The balance.
    pub fn lamports(&self) -> u64 {
        self.account.lamports
    }

    /// The data.
    pub fn data(&self) -> &[u8] {
        &self.account.data
    }

    /// Whether the account is executable.
    pub fn is_executable(&self) -> bool {
        self.account.executable
    }

    /// A copy of the whole account.
    pub fn to_account(&self) -> Account {
        self.account.clone()
    }

    /// Whether the rent sysvar deems the account rent exempt.
    pub fn is_rent_exempt(&self) -> bool {
        self.rent
            .is_exempt(self.account.lamports, self.account.data.len())
    }

    /// Set the balance (§2.1): only the owner may debit; a read-only account's
    /// balance may not change; an unchanged balance is not written.
    pub fn set_lamports(&mut self, lamports: u64) -> Result<(), InstructionError> {
        if !self.is_owned_by_current_program() && lamports < self.account.lamports {
            return Err(InstructionError::ExternalAccountLamportSpend);
        }
        if !self.is_writable {
            return Err(InstructionError::ReadonlyLamportChange);
        }
        if self.account.lamports == lamports {
            return Ok(());
        }
        let prev = self.account.lamports;
        self.journal(JournalEntry::Lamports {
            index: self.index_in_transaction,
            prev,
        });
        self.account.lamports = lamports;
        Ok(())
    }

    /// Credit `lamports`.
    pub fn checked_add_lamports(&mut self, lamports: u64) -> Result<(), InstructionError> {
        let v = self
            .account
            .lamports
            .checked_add(lamports)
            .ok_or(InstructionError::ArithmeticOverflow)?;
        self.set_lamports(v)
    }

    /// Debit `lamports`.
    pub fn checked_sub_lamports(&mut self, lamports: u64) -> Result<(), InstructionError> {
        let v = self
            .account
            .lamports
            .checked_sub(lamports)
            .ok_or(InstructionError::ArithmeticOverflow)?;
        self.set_lamports(v)
    }

    /// Whether the data may be written (semantics.md §2.2): writable first
    /// (`ReadonlyDataModified`), then owned by the running program
    /// (`ExternalAccountDataModified`). No executable check (SIMD-0162): a
    /// program account is protected by being read-only wherever the message
    /// invokes it.
    pub fn can_data_be_changed(&self) -> Result<(), InstructionError> {
        if !self.is_writable {
            return Err(InstructionError::ReadonlyDataModified);
        }
        if !self.is_owned_by_current_program() {
            return Err(InstructionError::ExternalAccountDataModified);
        }
        Ok(())
    }

    /// Whether the data may be resized to `new_len` (§2.3), in Agave
    /// 4.2.2's order: the length limits, the transaction's growth, then
    /// whether the data may change at all (§2.2: read-only →
    /// `ReadonlyDataModified`, not the owner → `ExternalAccountDataModified`).
    pub fn can_data_be_resized(&self, new_len: usize) -> Result<(), InstructionError> {
        let old_len = self.account.data.len();
        if new_len > MAX_PERMITTED_DATA_LENGTH || new_len > self.max_data_len {
            return Err(InstructionError::InvalidRealloc);
        }
        let delta = self
            .tx
            .resize_delta
            .get()
            .saturating_add(new_len as i64 - old_len as i64);
        if delta > MAX_PERMITTED_ACCOUNTS_DATA_ALLOCATIONS_PER_TRANSACTION {
            return Err(InstructionError::MaxAccountsDataAllocationsExceeded);
        }
        self.can_data_be_changed()
    }

    /// The data for writing in place, after the checks of §2.2.
    pub fn data_mut(&mut self) -> Result<&mut [u8], InstructionError> {
        self.can_data_be_changed()?;
        self.journal_data();
        Ok(&mut self.account.data)
    }

    /// Replace the data with `data`, resizing as needed.
    pub fn set_data_from_slice(&mut self, data: &[u8]) -> Result<(), InstructionError> {
        self.can_data_be_resized(data.len())?;
        self.can_data_be_changed()?;
        self.journal_data();
        self.update_resize_delta(data.len());
        self.account.data.clear();
        self.account.data.extend_from_slice(data);
        Ok(())
    }

    /// Resize the data to `new_len`, zero-filling growth. As in Agave, the
    /// data-change checks (§2.2) apply even when the length stays the same
    /// (Agave's `can_data_be_resized` ends with `can_data_be_changed`).
    pub fn set_data_length(&mut self, new_len: usize) -> Result<(), InstructionError> {
        self.can_data_be_resized(new_len)?;
        self.can_data_be_changed()?;
        if self.account.data.len() == new_len {
            return Ok(());
        }
        self.journal_data();
        self.update_resize_delta(new_len);
        self.account.data.resize(new_len, 0);
        Ok(())
    }

    /// Assign a new owner (semantics.md §2.4): only the owner, on a writable
    /// account whose data is all zeroes, else `ModifiedProgramId`. No
    /// executable check (SIMD-0162).
    pub fn set_owner(&mut self, owner: &Pubkey) -> Result<(), InstructionError> {
        if !self.is_owned_by_current_program()
            || !self.is_writable
            || self.account.data.iter().any(|b| *b != 0)
        {
            return Err(InstructionError::ModifiedProgramId);
        }
        if self.account.owner == *owner {
            return Ok(());
        }
        let prev = self.account.owner;
        self.journal(JournalEntry::Owner {
            index: self.index_in_transaction,
            prev,
        });
        self.account.owner = *owner;
        Ok(())
    }

    /// Set the executable flag (§2.5): only the owner, on a writable,
    /// rent-exempt account; the flag is never cleared.
    pub fn set_executable(&mut self, executable: bool) -> Result<(), InstructionError> {
        if !self
            .rent
            .is_exempt(self.account.lamports, self.account.data.len())
        {
            return Err(InstructionError::ExecutableAccountNotRentExempt);
        }
        if !self.is_owned_by_current_program()
            || !self.is_writable
            || (self.account.executable && !executable)
        {
            return Err(InstructionError::ExecutableModified);
        }
        if self.account.executable == executable {
            return Ok(());
        }
        let prev = self.account.executable;
        self.journal(JournalEntry::Executable {
            index: self.index_in_transaction,
            prev,
        });
        self.account.executable = executable;
        Ok(())
    }

    fn journal(&self, entry: JournalEntry) {
        self.tx.record(self.index_in_transaction, entry);
    }

    fn journal_data(&self) {
        self.tx
            .record_data(self.index_in_transaction, &self.account.data);
    }

    fn update_resize_delta(&self, new_len: usize) {
        let prev = self.tx.resize_delta.get();
        let delta = prev.saturating_add(new_len as i64 - self.account.data.len() as i64);
        if delta != prev {
            self.tx.record_global(JournalEntry::ResizeDelta { prev });
            self.tx.resize_delta.set(delta);
        }
    }
}
