//! Account handles: `Copy` views of the running instruction's accounts that
//! borrow per call.
//!
//! # Borrows
//!
//! A handle keeps the account's key, its flags in this instruction and a
//! reference to the [`InvokeContext`]; it never holds the account itself.
//! Each getter takes a shared borrow for the call, each setter a
//! [`BorrowedAccount`] (the executor's checked writer) for the call, and
//! both release it before returning. Handles may therefore be copied freely
//! and kept across a CPI.
//!
//! The guards are different: [`AccountHandle::try_borrow_data`] returns a
//! shared [`Ref`] and [`AccountHandle::try_borrow_mut_data`] a [`DataMut`]
//! (a [`BorrowedAccount`] inside), and they keep the account borrowed until
//! dropped, as Solana's `RefCell`s do. Holding one across a CPI fails the
//! call, with the errors Agave gives:
//!
//! - a [`DataMut`] (mutable borrow) of any account of the caller's
//!   instruction → `AccountBorrowOutstanding`, at the CPI's entry, where the
//!   executor sums the caller's lamports (§3);
//! - a shared [`Ref`] of an account the callee writes → the callee's own
//!   borrow fails with `AccountBorrowFailed`.
//!
//! In both cases the whole instruction fails (§4.10). Drop guards first.

use std::cell::Ref;
use std::fmt;
use std::ops::{Deref, DerefMut};

use baton_executor::{BorrowedAccount, InvokeContext};
use baton_types::{pda, Account, AccountMeta, InstructionError, Pubkey};

/// One account of the running instruction: its key, its privileges here,
/// and the context to reach it through. `Copy`, holds no borrow (see the
/// [module docs](self)).
///
/// Obtained from [`InvokeContextExt`] (`ctx.account(i)?`,
/// `ctx.expect_accounts::<N>()?`) or [`AccountHandle::new`]. A handle is
/// valid only inside the `process` call that made it: after a CPI returns
/// it still names the same account.
#[derive(Clone, Copy)]
pub struct AccountHandle<'a> {
    ctx: &'a InvokeContext<'a>,
    key: &'a Pubkey,
    index: u16,
    index_in_transaction: u16,
    is_signer: bool,
    is_writable: bool,
}

impl fmt::Debug for AccountHandle<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AccountHandle")
            .field("key", self.key)
            .field("index", &self.index)
            .field("is_signer", &self.is_signer)
            .field("is_writable", &self.is_writable)
            .finish()
    }
}

impl<'a> AccountHandle<'a> {
    /// The handle of account `index` of the running instruction;
    /// `NotEnoughAccountKeys` past the end.
    pub fn new(ctx: &'a InvokeContext<'a>, index: usize) -> Result<Self, InstructionError> {
        let ia = ctx.instruction_account(index)?;
        let key = ctx.instruction_account_key(index)?;
        Ok(Self {
            ctx,
            key,
            index: index as u16,
            index_in_transaction: ia.index_in_transaction,
            is_signer: ia.is_signer,
            is_writable: ia.is_writable,
        })
    }

    // ----- identity and flags -----

    /// The invoke context the handle reads through.
    pub fn ctx(&self) -> &'a InvokeContext<'a> {
        self.ctx
    }

    /// The account's key.
    pub fn key(&self) -> &'a Pubkey {
        self.key
    }

    /// Position in the running instruction's accounts.
    pub fn index(&self) -> usize {
        self.index as usize
    }

    /// Position in the transaction's accounts.
    pub fn index_in_transaction(&self) -> usize {
        self.index_in_transaction as usize
    }

    /// Whether the account signed this instruction (or is a PDA its caller
    /// signed for).
    pub fn is_signer(&self) -> bool {
        self.is_signer
    }

    /// Whether the account is writable in this instruction.
    pub fn is_writable(&self) -> bool {
        self.is_writable
    }

    /// A meta for a CPI with this account's own privileges.
    pub fn to_account_meta(&self) -> AccountMeta {
        AccountMeta {
            pubkey: *self.key,
            is_signer: self.is_signer,
            is_writable: self.is_writable,
        }
    }

    // ----- reads (a shared borrow for the call) -----

    fn read(&self) -> Result<Ref<'a, Account>, InstructionError> {
        self.ctx
            .transaction_context()
            .account(self.index_in_transaction as usize)
            .ok_or(InstructionError::AccountBorrowFailed)
    }

    /// The balance; `AccountBorrowFailed` while a guard holds the account
    /// mutably.
    pub fn lamports(&self) -> Result<u64, InstructionError> {
        Ok(self.read()?.lamports)
    }

    /// The owning program.
    pub fn owner(&self) -> Result<Pubkey, InstructionError> {
        Ok(self.read()?.owner)
    }

    /// Whether the owner is `program`.
    pub fn is_owned_by(&self, program: &Pubkey) -> Result<bool, InstructionError> {
        Ok(self.read()?.owner == *program)
    }

    /// Whether the account is executable.
    pub fn is_executable(&self) -> Result<bool, InstructionError> {
        Ok(self.read()?.executable)
    }

    /// The data length.
    pub fn data_len(&self) -> Result<usize, InstructionError> {
        Ok(self.read()?.data.len())
    }

    /// Whether the account holds no lamports and no data (never created).
    pub fn is_empty(&self) -> Result<bool, InstructionError> {
        let a = self.read()?;
        Ok(a.lamports == 0 && a.data.is_empty())
    }

    /// The data, as a shared guard held until dropped (see the module docs
    /// on guards and CPIs).
    pub fn try_borrow_data(&self) -> Result<Ref<'a, [u8]>, InstructionError> {
        Ok(Ref::map(self.read()?, |a| a.data.as_slice()))
    }

    /// A copy of the data; holds no borrow afterwards.
    pub fn data_to_vec(&self) -> Result<Vec<u8>, InstructionError> {
        Ok(self.read()?.data.clone())
    }

    // ----- writes (a BorrowedAccount for the call) -----

    /// The executor's checked writer for this account, held until dropped:
    /// the escape hatch for what the handle does not wrap.
    /// `AccountBorrowFailed` while anything else borrows the account.
    pub fn try_borrow_mut(&self) -> Result<BorrowedAccount<'a>, InstructionError> {
        self.ctx.borrow_instruction_account(self.index as usize)
    }

    /// The data for writing, as a guard held until dropped. Fails at once
    /// with the data rules §2.2 (`ReadonlyDataModified`, then
    /// `ExternalAccountDataModified`; no executable check, SIMD-0162) when
    /// the running program may not write it.
    pub fn try_borrow_mut_data(&self) -> Result<DataMut<'a>, InstructionError> {
        let mut account = self.try_borrow_mut()?;
        account.data_mut()?;
        Ok(DataMut { account })
    }

    /// Replace the data with `data`, resizing as needed (§2.2, §2.3).
    pub fn set_data(&self, data: &[u8]) -> Result<(), InstructionError> {
        self.try_borrow_mut()?.set_data_from_slice(data)
    }

    /// Resize the data to `new_len`, zero-filling growth (§2.3).
    pub fn realloc(&self, new_len: usize) -> Result<(), InstructionError> {
        self.try_borrow_mut()?.set_data_length(new_len)
    }

    /// Give the account to `owner` (§2.4): the running program must own it,
    /// it must be writable and its data all zeroes (`ModifiedProgramId`).
    pub fn assign(&self, owner: &Pubkey) -> Result<(), InstructionError> {
        self.try_borrow_mut()?.set_owner(owner)
    }

    /// Set the balance (§2.1).
    pub fn set_lamports(&self, lamports: u64) -> Result<(), InstructionError> {
        self.try_borrow_mut()?.set_lamports(lamports)
    }

    /// Credit `lamports` (§2.1); `ArithmeticOverflow` on overflow.
    pub fn add_lamports(&self, lamports: u64) -> Result<(), InstructionError> {
        self.try_borrow_mut()?.checked_add_lamports(lamports)
    }

    /// Debit `lamports` (§2.1); only the owner may; `ArithmeticOverflow`
    /// below zero.
    pub fn sub_lamports(&self, lamports: u64) -> Result<(), InstructionError> {
        self.try_borrow_mut()?.checked_sub_lamports(lamports)
    }

    /// Move `lamports` from this account (owned by the running program) to
    /// `to`, directly, without the system program. `to` may be this account.
    pub fn transfer_lamports(
        &self,
        to: &AccountHandle<'_>,
        lamports: u64,
    ) -> Result<(), InstructionError> {
        self.sub_lamports(lamports)?;
        to.add_lamports(lamports)
    }

    // ----- checks -----

    /// Whether the account is authorized in the running frame
    /// (semantics.md §8; see [`InvokeContext::is_authorized`]).
    pub fn is_authorized(&self) -> bool {
        self.ctx.is_authorized(self.index_in_transaction)
    }

    /// The handle if the account is authorized in the running frame (§8);
    /// else `MissingRequiredSignature`, the error of a missing consent.
    pub fn expect_authorized(self) -> Result<Self, InstructionError> {
        if self.is_authorized() {
            Ok(self)
        } else {
            Err(InstructionError::MissingRequiredSignature)
        }
    }

    /// The handle if the account signed; else `MissingRequiredSignature`.
    pub fn expect_signer(self) -> Result<Self, InstructionError> {
        if self.is_signer {
            Ok(self)
        } else {
            Err(InstructionError::MissingRequiredSignature)
        }
    }

    /// The handle if the account is writable here; else `InvalidArgument`
    /// (a write would fail later with `ReadonlyDataModified` or
    /// `ReadonlyLamportChange`; this rejects the input up front).
    pub fn expect_writable(self) -> Result<Self, InstructionError> {
        if self.is_writable {
            Ok(self)
        } else {
            Err(InstructionError::InvalidArgument)
        }
    }

    /// The handle if `owner` owns the account; else `InvalidAccountOwner`.
    pub fn expect_owner(self, owner: &Pubkey) -> Result<Self, InstructionError> {
        if self.is_owned_by(owner)? {
            Ok(self)
        } else {
            Err(InstructionError::InvalidAccountOwner)
        }
    }

    /// The handle if its key is `program_id` (the program account a CPI
    /// goes to); else `IncorrectProgramId`.
    pub fn expect_program(self, program_id: &Pubkey) -> Result<Self, InstructionError> {
        if self.key == program_id {
            Ok(self)
        } else {
            Err(InstructionError::IncorrectProgramId)
        }
    }

    /// The handle if its key is `key`; else `InvalidArgument`.
    pub fn expect_key(self, key: &Pubkey) -> Result<Self, InstructionError> {
        if self.key == key {
            Ok(self)
        } else {
            Err(InstructionError::InvalidArgument)
        }
    }

    /// The canonical bump if the key is the PDA that `seeds` find for
    /// `program_id` ([`pda::find_program_address`]); else `InvalidSeeds`
    /// (also for seeds over the limits, or no bump at all).
    pub fn expect_pda(self, seeds: &[&[u8]], program_id: &Pubkey) -> Result<u8, InstructionError> {
        match pda::try_find_program_address(seeds, program_id) {
            Ok((key, bump)) if key == *self.key => Ok(bump),
            _ => Err(InstructionError::InvalidSeeds),
        }
    }
}

/// The data of one account, borrowed mutably until dropped; derefs to
/// `[u8]` for reading and writing in place.
///
/// Made by [`AccountHandle::try_borrow_mut_data`], which has already
/// checked the data rules (§2.2) and journaled the old data, so writes
/// through it cannot fail. Growing or shrinking goes through
/// [`DataMut::resize`].
pub struct DataMut<'a> {
    account: BorrowedAccount<'a>,
}

impl DataMut<'_> {
    /// Resize to `new_len`, zero-filling growth (§2.3).
    pub fn resize(&mut self, new_len: usize) -> Result<(), InstructionError> {
        self.account.set_data_length(new_len)
    }

    /// The borrowed account behind the guard.
    pub fn account(&self) -> &BorrowedAccount<'_> {
        &self.account
    }
}

impl Deref for DataMut<'_> {
    type Target = [u8];

    fn deref(&self) -> &[u8] {
        self.account.data()
    }
}

impl DerefMut for DataMut<'_> {
    fn deref_mut(&mut self) -> &mut [u8] {
        // The guard passed `data_mut`'s checks when it was made, and what
        // they read (the writable flag, the owner, the executable flag)
        // cannot change while the guard holds the only borrow: it exposes no
        // owner or executable setter. So this is always `Ok`; the journal
        // records the old data once per checkpoint, so repeating is cheap.
        match self.account.data_mut() {
            Ok(data) => data,
            Err(_) => &mut [],
        }
    }
}

impl fmt::Debug for DataMut<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DataMut")
            .field("key", self.account.key())
            .field("len", &self.account.data().len())
            .finish()
    }
}

/// Handles of the running instruction's accounts, in order.
#[derive(Clone)]
pub struct AccountIter<'a> {
    ctx: &'a InvokeContext<'a>,
    next: usize,
    len: usize,
}

impl<'a> AccountIter<'a> {
    /// An iterator from the first account.
    pub fn new(ctx: &'a InvokeContext<'a>) -> Self {
        Self {
            ctx,
            next: 0,
            len: ctx.instruction_account_count(),
        }
    }

    /// The next handle; `NotEnoughAccountKeys` past the end.
    pub fn next_account(&mut self) -> Result<AccountHandle<'a>, InstructionError> {
        if self.next >= self.len {
            return Err(InstructionError::NotEnoughAccountKeys);
        }
        let handle = AccountHandle::new(self.ctx, self.next)?;
        self.next += 1;
        Ok(handle)
    }

    /// How many accounts are left.
    pub fn remaining(&self) -> usize {
        self.len.saturating_sub(self.next)
    }
}

impl<'a> Iterator for AccountIter<'a> {
    type Item = AccountHandle<'a>;

    fn next(&mut self) -> Option<Self::Item> {
        self.next_account().ok()
    }
}

/// Account handles straight from the invoke context:
/// `use baton_sdk::InvokeContextExt;` then `ctx.account(0)?`.
pub trait InvokeContextExt {
    /// The handle of account `i`; `NotEnoughAccountKeys` past the end.
    fn account(&self, i: usize) -> Result<AccountHandle<'_>, InstructionError>;

    /// Handles of every account of the instruction, in order.
    fn accounts(&self) -> Result<Vec<AccountHandle<'_>>, InstructionError>;

    /// Handles of the first `N` accounts, for pinocchio-style destructuring
    /// (`let [payer, vault, system_program] = ctx.expect_accounts()?;`);
    /// `NotEnoughAccountKeys` if there are fewer. Further accounts are
    /// ignored.
    fn expect_accounts<const N: usize>(&self) -> Result<[AccountHandle<'_>; N], InstructionError>;

    /// An iterator over the handles, with [`AccountIter::next_account`].
    fn account_iter(&self) -> AccountIter<'_>;
}

impl InvokeContextExt for InvokeContext<'_> {
    fn account(&self, i: usize) -> Result<AccountHandle<'_>, InstructionError> {
        AccountHandle::new(self, i)
    }

    fn accounts(&self) -> Result<Vec<AccountHandle<'_>>, InstructionError> {
        (0..self.instruction_account_count())
            .map(|i| AccountHandle::new(self, i))
            .collect()
    }

    fn expect_accounts<const N: usize>(&self) -> Result<[AccountHandle<'_>; N], InstructionError> {
        if self.instruction_account_count() < N {
            return Err(InstructionError::NotEnoughAccountKeys);
        }
        let handles = (0..N)
            .map(|i| AccountHandle::new(self, i))
            .collect::<Result<Vec<_>, _>>()?;
        handles
            .try_into()
            .map_err(|_| InstructionError::NotEnoughAccountKeys)
    }

    fn account_iter(&self) -> AccountIter<'_> {
        AccountIter::new(self)
    }
}
