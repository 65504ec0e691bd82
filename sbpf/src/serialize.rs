//! The program input: Agave's aligned ABI (loaders v2 and v3), written into
//! the input region before the program runs and read back after it returns
//! `0`, through the executor's mutation checks (`docs/sbpf.md` §2.1, §2.2).
//!
//! ```text
//! u64  number of instruction accounts
//! per account, a duplicate:  u8 first position, 7 zero bytes
//!            or the first occurrence:
//!   +0 0xFF  +1 is_signer  +2 is_writable  +3 executable  +4 4 zero bytes
//!   +8 key   +40 owner  +72 lamports u64  +80 data_len u64  +88 data
//!   10,240 zero bytes of realloc room, zero padding to 8, rent_epoch u64
//! u64  instruction data length, the data, the program id (32 bytes)
//! ```

use baton_executor::InvokeContext;
use baton_types::{Account, InstructionError, Pubkey, MAX_PERMITTED_DATA_LENGTH};
use smallvec::SmallVec;

/// The marker byte of a first occurrence.
pub const NON_DUP_MARKER: u8 = u8::MAX;
/// Bytes an account may grow by in one instruction, kept free after its data.
pub const MAX_PERMITTED_DATA_INCREASE: usize = 10 * 1024;
/// Most accounts one instruction may pass to a program.
pub const MAX_INSTRUCTION_ACCOUNTS: usize = 255;
/// Offset of the key in a first-occurrence record.
pub const KEY_OFFSET: usize = 8;
/// Offset of the owner.
pub const OWNER_OFFSET: usize = 40;
/// Offset of the lamports.
pub const LAMPORTS_OFFSET: usize = 72;
/// Offset of the data length.
pub const DATA_LEN_OFFSET: usize = 80;
/// Offset of the data.
pub const DATA_OFFSET: usize = 88;
/// Bytes of a duplicate's record.
pub const DUP_RECORD_LEN: usize = 8;
/// The rent epoch written for every account (Agave 4.x masks it).
pub const RENT_EPOCH: u64 = u64::MAX;

/// Where one instruction account sits in the input buffer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SerializedAccount {
    /// Offset of the record in the buffer.
    pub offset: usize,
    /// Whether this is a first occurrence (a duplicate is only a marker).
    pub first: bool,
    /// The data length when serialized (a duplicate: 0).
    pub original_len: usize,
}

impl SerializedAccount {
    /// Offset of the data in the buffer.
    pub fn data_offset(&self) -> usize {
        self.offset + DATA_OFFSET
    }
}

/// Builds the input buffer account by account.
pub struct InputWriter<'b> {
    buf: &'b mut Vec<u8>,
    accounts: &'b mut SmallVec<[SerializedAccount; 8]>,
}

impl<'b> InputWriter<'b> {
    /// Start a buffer for `n` accounts, clearing `buf` and `accounts`.
    pub fn new(
        buf: &'b mut Vec<u8>,
        accounts: &'b mut SmallVec<[SerializedAccount; 8]>,
        n: usize,
    ) -> Result<Self, InstructionError> {
        if n > MAX_INSTRUCTION_ACCOUNTS {
            return Err(InstructionError::MaxAccountsExceeded);
        }
        buf.clear();
        accounts.clear();
        buf.extend_from_slice(&(n as u64).to_le_bytes());
        Ok(Self { buf, accounts })
    }

    /// A duplicate of the account at position `first`.
    pub fn duplicate(&mut self, first: u8) {
        self.accounts.push(SerializedAccount {
            offset: self.buf.len(),
            first: false,
            original_len: 0,
        });
        self.buf.extend_from_slice(&[first, 0, 0, 0, 0, 0, 0, 0]);
    }

    /// A first occurrence.
    pub fn account(&mut self, key: &Pubkey, account: &Account, is_signer: bool, is_writable: bool) {
        let offset = self.buf.len();
        let len = account.data.len();
        self.accounts.push(SerializedAccount {
            offset,
            first: true,
            original_len: len,
        });
        let b = &mut *self.buf;
        b.extend_from_slice(&[
            NON_DUP_MARKER,
            is_signer as u8,
            is_writable as u8,
            account.executable as u8,
            0,
            0,
            0,
            0,
        ]);
        b.extend_from_slice(key.as_array());
        b.extend_from_slice(account.owner.as_array());
        b.extend_from_slice(&account.lamports.to_le_bytes());
        b.extend_from_slice(&(len as u64).to_le_bytes());
        b.extend_from_slice(&account.data);
        let pad = (8 - len % 8) % 8;
        b.resize(b.len() + MAX_PERMITTED_DATA_INCREASE + pad, 0);
        b.extend_from_slice(&RENT_EPOCH.to_le_bytes());
    }

    /// Finish with the instruction data and the program id; returns the
    /// offset of the instruction data (`r2` points there).
    pub fn finish(self, data: &[u8], program_id: &Pubkey) -> usize {
        self.buf
            .extend_from_slice(&(data.len() as u64).to_le_bytes());
        let at = self.buf.len();
        self.buf.extend_from_slice(data);
        self.buf.extend_from_slice(program_id.as_array());
        at
    }
}

/// Serialize the running instruction of `ctx` with input `data` into `buf`;
/// returns the offset of the instruction data.
pub fn serialize(
    ctx: &InvokeContext<'_>,
    data: &[u8],
    buf: &mut Vec<u8>,
    accounts: &mut SmallVec<[SerializedAccount; 8]>,
) -> Result<usize, InstructionError> {
    let n = ctx.instruction_account_count();
    let tx = ctx.transaction_context();
    let mut w = InputWriter::new(buf, accounts, n)?;
    for i in 0..n {
        let ia = ctx.instruction_account(i)?;
        let first = ia.index_in_callee as usize;
        if first != i {
            w.duplicate(first as u8);
            continue;
        }
        let index = ia.index_in_transaction as usize;
        let key = tx.key(index).ok_or(InstructionError::MissingAccount)?;
        let account = tx
            .account(index)
            .ok_or(InstructionError::AccountBorrowFailed)?;
        w.account(key, &account, ia.is_signer, ia.is_writable);
    }
    Ok(w.finish(data, &ctx.program_id()))
}

fn read_u64(buf: &[u8], at: usize) -> Result<u64, InstructionError> {
    buf.get(at..at + 8)
        .and_then(|b| <[u8; 8]>::try_from(b).ok())
        .map(u64::from_le_bytes)
        .ok_or(InstructionError::InvalidArgument)
}

fn read_key(buf: &[u8], at: usize) -> Result<Pubkey, InstructionError> {
    buf.get(at..at + 32)
        .and_then(|b| <[u8; 32]>::try_from(b).ok())
        .map(Pubkey::new_from_array)
        .ok_or(InstructionError::InvalidArgument)
}

/// Read the accounts back after the program returned `0`, as the running
/// program: lamports, then length and data, then the owner, each through
/// [`baton_executor::BorrowedAccount`]'s checks, so every write is journaled.
pub fn deserialize(
    ctx: &InvokeContext<'_>,
    buf: &[u8],
    accounts: &[SerializedAccount],
) -> Result<(), InstructionError> {
    for (i, sa) in accounts.iter().enumerate() {
        if !sa.first {
            continue;
        }
        let mut acc = ctx.borrow_instruction_account(i)?;
        let lamports = read_u64(buf, sa.offset + LAMPORTS_OFFSET)?;
        if acc.lamports() != lamports {
            acc.set_lamports(lamports)?;
        }
        let post_len = read_u64(buf, sa.offset + DATA_LEN_OFFSET)?;
        let post_len = usize::try_from(post_len).map_err(|_| InstructionError::InvalidRealloc)?;
        if post_len.saturating_sub(sa.original_len) > MAX_PERMITTED_DATA_INCREASE
            || post_len > MAX_PERMITTED_DATA_LENGTH
        {
            return Err(InstructionError::InvalidRealloc);
        }
        let start = sa.data_offset();
        let data = buf
            .get(start..start + post_len)
            .ok_or(InstructionError::InvalidRealloc)?;
        if acc.data() != data {
            acc.can_data_be_resized(post_len)?;
            acc.can_data_be_changed()?;
            acc.set_data_from_slice(data)?;
        }
        let owner = read_key(buf, sa.offset + OWNER_OFFSET)?;
        if *acc.owner() != owner {
            acc.set_owner(&owner)?;
        }
    }
    Ok(())
}
