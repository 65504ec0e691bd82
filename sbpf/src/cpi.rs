//! `sol_invoke_signed_rust` and `sol_invoke_signed_c`: a CPI from an sBPF
//! program, in Agave's order (the steps of `docs/sbpf.md` §4.1):
//!
//! 1. charge the invoke units (946);
//! 2. translate the instruction (limits: 255 metas, 10,240 data bytes),
//!    charging `data / 250` and `34 · metas / 250`, each floored;
//! 3. translate the signer seeds (at most 16 sets of at most 16 seeds) into
//!    program addresses of the caller;
//! 4. refuse the programs inner instructions may not call, then (5, 6)
//!    resolve the callee's accounts and privileges, both with the
//!    executor's functions (`check_authorized_program`, `resolve_callee`),
//!    the ones the native `invoke` uses, so the two paths cannot drift;
//! 7. translate the account infos (every pointer checked against where the
//!    caller's accounts were serialized), charging `80 · infos / 250` and
//!    `data_len / 250` per callee account, and
//! 8. sync each account from the caller's VM memory into the transaction,
//!    as the caller (lamports, data by the caller's rules, owner last);
//! 9. run the callee (sBPF or native) under a checkpoint
//!    (`InvokeContext::invoke_resolved`);
//! 10. sync the accounts writable in the callee back into the caller's VM
//!     memory (lamports, owner, length within the caller's start length +
//!     10,240, the freed tail zeroed on shrink, data).
//!
//! Any error fails the syscall, which aborts the caller: a callee's
//! failure cannot be caught from sBPF.

use baton_types::{AccountMeta, Instruction, InstructionError, Pubkey};
use smallvec::SmallVec;
use solana_sbpf::ebpf::MM_INPUT_START;

use crate::error::SyscallError;
use crate::profile::{SyscallCosts, COPY_PROFILE};
use crate::serialize::{
    SerializedAccount, DATA_LEN_OFFSET, KEY_OFFSET, LAMPORTS_OFFSET, MAX_PERMITTED_DATA_INCREASE,
    OWNER_OFFSET,
};
use crate::syscalls::{charge, check_aligned, read_pubkey, slices, MAX_SEEDS, SEED_TOO_LONG};
use crate::vm::SbpfCtx;

const COSTS: &SyscallCosts = &COPY_PROFILE.costs;

/// Most account metas of a CPI.
pub const MAX_CPI_ACCOUNT_METAS: u64 = 255;
/// Most bytes of CPI instruction data.
pub const MAX_CPI_DATA_LEN: u64 = 10 * 1024;
/// Most account infos of a CPI.
pub const MAX_CPI_ACCOUNT_INFOS: u64 = 255;
/// Most signer seed sets of a CPI.
pub const MAX_SIGNERS: u64 = 16;
/// Bytes an account meta counts for in the CPI charge.
pub const ACCOUNT_META_BYTES: u64 = 34;
/// Bytes an account info counts for in the CPI charge.
pub const ACCOUNT_INFO_BYTES: u64 = 80;

/// Which syscall: the Rust or the C layout of the structures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Abi {
    /// `sol_invoke_signed_rust`: `StableInstruction` (80 bytes), 34-byte
    /// `AccountMeta`s, 48-byte `AccountInfo`s with `Rc<RefCell<…>>` fields.
    Rust,
    /// `sol_invoke_signed_c`: `SolInstruction` (40 bytes), 16-byte
    /// `SolAccountMeta`s, 56-byte `SolAccountInfo`s.
    C,
}

impl Abi {
    fn info_size(self) -> u64 {
        match self {
            Abi::Rust => 48,
            Abi::C => 56,
        }
    }
}

fn u64_at(bytes: &[u8], at: usize) -> u64 {
    let mut w = [0u8; 8];
    w.copy_from_slice(&bytes[at..at + 8]);
    u64::from_le_bytes(w)
}

fn read_u64(ctx: &SbpfCtx, addr: u64) -> Result<u64, SyscallError> {
    Ok(u64_at(ctx.read(addr, 8)?, 0))
}

/// `len` items of `size` bytes at `addr`, as one checked byte range.
fn read_array(ctx: &SbpfCtx, addr: u64, len: u64, size: u64) -> Result<&[u8], SyscallError> {
    let bytes = len.checked_mul(size).ok_or(SyscallError::InvalidLength)?;
    if bytes > isize::MAX as u64 {
        return Err(SyscallError::InvalidLength);
    }
    ctx.read(addr, bytes)
}

fn check_size(metas: u64, data: u64) -> Result<(), SyscallError> {
    if data > MAX_CPI_DATA_LEN {
        return Err(SyscallError::MaxInstructionDataLenExceeded(
            data,
            MAX_CPI_DATA_LEN,
        ));
    }
    if metas > MAX_CPI_ACCOUNT_METAS {
        return Err(SyscallError::MaxInstructionAccountsExceeded(
            metas,
            MAX_CPI_ACCOUNT_METAS,
        ));
    }
    Ok(())
}

/// Charge the data and meta terms, each floored on its own.
fn charge_instruction(ctx: &SbpfCtx, metas: u64, data: u64) -> Result<(), SyscallError> {
    let per = COSTS.cpi_bytes_per_unit;
    charge(ctx, data / per)?;
    charge(ctx, metas.saturating_mul(ACCOUNT_META_BYTES) / per)
}

fn flag(b: u8) -> Result<bool, SyscallError> {
    match b {
        0 => Ok(false),
        1 => Ok(true),
        _ => Err(InstructionError::InvalidArgument.into()),
    }
}

/// Step 2, Rust layout: `StableInstruction { accounts: StableVec<AccountMeta>
/// (ptr, cap, len), data: StableVec<u8>, program_id }`.
fn translate_instruction_rust(ctx: &SbpfCtx, addr: u64) -> Result<Instruction, SyscallError> {
    check_aligned(addr, 8)?;
    let ix = ctx.read(addr, 80)?;
    let (metas_ptr, metas_len) = (u64_at(ix, 0), u64_at(ix, 16));
    let (data_ptr, data_len) = (u64_at(ix, 24), u64_at(ix, 40));
    let mut id = [0u8; 32];
    id.copy_from_slice(&ix[48..80]);
    check_size(metas_len, data_len)?;
    let raw_metas = read_array(ctx, metas_ptr, metas_len, ACCOUNT_META_BYTES)?;
    let data = read_array(ctx, data_ptr, data_len, 1)?.to_vec();
    charge_instruction(ctx, metas_len, data_len)?;
    let mut accounts = Vec::with_capacity(metas_len as usize);
    for m in raw_metas.chunks_exact(ACCOUNT_META_BYTES as usize) {
        let mut key = [0u8; 32];
        key.copy_from_slice(&m[..32]);
        let (is_signer, is_writable) = (flag(m[32])?, flag(m[33])?);
        accounts.push(AccountMeta {
            pubkey: Pubkey::new_from_array(key),
            is_signer,
            is_writable,
        });
    }
    Ok(Instruction {
        program_id: Pubkey::new_from_array(id),
        accounts,
        data,
    })
}

/// Step 2, C layout: `SolInstruction { program_id_addr, accounts_addr,
/// accounts_len, data_addr, data_len }` and `SolAccountMeta { pubkey_addr,
/// is_writable, is_signer }`.
fn translate_instruction_c(ctx: &SbpfCtx, addr: u64) -> Result<Instruction, SyscallError> {
    check_aligned(addr, 8)?;
    let ix = ctx.read(addr, 40)?;
    let (id_ptr, metas_ptr, metas_len) = (u64_at(ix, 0), u64_at(ix, 8), u64_at(ix, 16));
    let (data_ptr, data_len) = (u64_at(ix, 24), u64_at(ix, 32));
    let program_id = read_pubkey(ctx, id_ptr)?;
    check_size(metas_len, data_len)?;
    if metas_len > 0 {
        check_aligned(metas_ptr, 8)?;
    }
    let raw_metas = read_array(ctx, metas_ptr, metas_len, 16)?.to_vec();
    let data = read_array(ctx, data_ptr, data_len, 1)?.to_vec();
    charge_instruction(ctx, metas_len, data_len)?;
    let mut accounts = Vec::with_capacity(metas_len as usize);
    for m in raw_metas.chunks_exact(16) {
        let (is_writable, is_signer) = (flag(m[8])?, flag(m[9])?);
        accounts.push(AccountMeta {
            pubkey: read_pubkey(ctx, u64_at(m, 0))?,
            is_signer,
            is_writable,
        });
    }
    Ok(Instruction {
        program_id,
        accounts,
        data,
    })
}

/// Step 3: the program addresses of the caller that the seed sets derive.
fn translate_signers(
    ctx: &SbpfCtx,
    addr: u64,
    n: u64,
    caller: &Pubkey,
) -> Result<SmallVec<[Pubkey; 2]>, SyscallError> {
    let mut out = SmallVec::new();
    if n == 0 {
        return Ok(out);
    }
    let sets = slices(ctx, addr, n)?;
    if n > MAX_SIGNERS {
        return Err(SyscallError::TooManySigners);
    }
    for (p, l) in sets {
        if l > MAX_SEEDS {
            return Err(InstructionError::MaxSeedLengthExceeded.into());
        }
        let seeds = slices(ctx, p, l)?;
        let mut bytes: SmallVec<[&[u8]; 16]> = SmallVec::new();
        for (sp, sl) in seeds {
            bytes.push(ctx.read(sp, sl)?);
        }
        let key = baton_types::pda::create_program_address(&bytes, caller).map_err(|e| {
            SyscallError::BadSeeds(match e {
                baton_types::pda::PdaError::MaxSeedLengthExceeded => SEED_TOO_LONG,
                baton_types::pda::PdaError::InvalidSeeds => {
                    "Provided seeds do not result in a valid address"
                }
                _ => "Provided owner is not allowed",
            })
        })?;
        out.push(key);
    }
    Ok(out)
}

/// A caller account as its account info describes it, every pointer
/// checked against the serialized record.
struct CallerAccount {
    /// Position of the account in the caller's instruction.
    index_in_caller: usize,
    vm_lamports: u64,
    vm_owner: u64,
    vm_data: u64,
    /// VM address of the length the account info holds.
    vm_len_ref: u64,
    /// The account info's data length.
    len: u64,
    /// The data length when the caller's instruction started.
    original_len: usize,
}

/// An account info's `field` pointer must be the serialized account's:
/// else Agave's log line and `InvalidPointer`.
fn check_pointer(
    ctx: &SbpfCtx,
    given: u64,
    expected: u64,
    field: &str,
) -> Result<(), SyscallError> {
    if given == expected {
        return Ok(());
    }
    let ic = ctx.ic();
    if ic.log_enabled() {
        ic.log_line(format!(
            "Invalid account info pointer `{field}': {given:#x} != {expected:#x}"
        ));
    }
    Err(SyscallError::InvalidPointer)
}

/// Step 7 for one account: the account info at `info` for the account
/// serialized at `sa`, with Agave's pointer checks and data charge.
fn caller_account(
    ctx: &SbpfCtx,
    abi: Abi,
    info: u64,
    sa: &SerializedAccount,
    index_in_caller: usize,
) -> Result<CallerAccount, SyscallError> {
    let record = MM_INPUT_START + sa.offset as u64;
    let vm_key = record + KEY_OFFSET as u64;
    let vm_owner = record + OWNER_OFFSET as u64;
    let vm_lamports = record + LAMPORTS_OFFSET as u64;
    let vm_data = record + DATA_LEN_OFFSET as u64 + 8;
    let raw = ctx.read(info, abi.info_size())?;
    let (lamports_ptr, data_ptr, len, vm_len_ref) = match abi {
        Abi::Rust => {
            let (key, lamports_rc, data_rc, owner) = (
                u64_at(raw, 0),
                u64_at(raw, 8),
                u64_at(raw, 16),
                u64_at(raw, 24),
            );
            check_pointer(ctx, key, vm_key, "key")?;
            check_pointer(ctx, owner, vm_owner, "owner")?;
            // `Rc<RefCell<&mut u64>>`: the value sits 24 bytes into the box
            // (strong, weak, borrow flag); the box must lie below the input.
            let lamports_cell = lamports_rc.saturating_add(24);
            if lamports_cell >= MM_INPUT_START {
                return Err(SyscallError::InvalidPointer);
            }
            check_aligned(lamports_cell, 8)?;
            let lamports_ptr = read_u64(ctx, lamports_cell)?;
            check_pointer(ctx, lamports_ptr, vm_lamports, "lamports")?;
            ctx.read(vm_owner, 32)?;
            // `Rc<RefCell<&mut [u8]>>`: pointer and length at +24 and +32.
            let data_cell = data_rc.saturating_add(24);
            if data_cell >= MM_INPUT_START {
                return Err(SyscallError::InvalidPointer);
            }
            check_aligned(data_cell, 8)?;
            let cell = ctx.read(data_cell, 16)?;
            (
                lamports_ptr,
                u64_at(cell, 0),
                u64_at(cell, 8),
                data_cell + 8,
            )
        }
        Abi::C => {
            let (key, lamports, len, data, owner) = (
                u64_at(raw, 0),
                u64_at(raw, 8),
                u64_at(raw, 16),
                u64_at(raw, 24),
                u64_at(raw, 32),
            );
            check_pointer(ctx, key, vm_key, "key")?;
            check_pointer(ctx, owner, vm_owner, "owner")?;
            check_pointer(ctx, lamports, vm_lamports, "lamports")?;
            ctx.read(vm_owner, 32)?;
            (lamports, data, len, info + 16)
        }
    };
    ctx.read(lamports_ptr, 8)?;
    check_pointer(ctx, data_ptr, vm_data, "data")?;
    let reserved = sa.original_len as u64 + MAX_PERMITTED_DATA_INCREASE as u64;
    if len > reserved {
        return Err(InstructionError::InvalidRealloc.into());
    }
    charge(ctx, len / COSTS.cpi_bytes_per_unit)?;
    Ok(CallerAccount {
        index_in_caller,
        vm_lamports,
        vm_owner,
        vm_data,
        vm_len_ref,
        len,
        original_len: sa.original_len,
    })
}

/// Step 8: the caller's view of one account into the transaction, as the
/// caller: lamports, data (by the caller's rules), owner last.
fn update_callee(ctx: &SbpfCtx, ca: &CallerAccount) -> Result<(), SyscallError> {
    let ic = ctx.ic();
    let mut acc = ic.borrow_instruction_account(ca.index_in_caller)?;
    let lamports = read_u64(ctx, ca.vm_lamports)?;
    if acc.lamports() != lamports {
        acc.set_lamports(lamports)?;
    }
    let data = ctx.read(ca.vm_data, ca.len)?;
    if acc.data() != data {
        acc.can_data_be_resized(data.len())?;
        acc.can_data_be_changed()?;
        acc.set_data_from_slice(data)?;
    }
    let owner = read_pubkey(ctx, ca.vm_owner)?;
    if *acc.owner() != owner {
        acc.set_owner(&owner)?;
    }
    Ok(())
}

/// Step 10: an account writable in the callee back into the caller's VM
/// memory: lamports, owner, the length (within the start length + 10,240,
/// the freed tail zeroed on shrink, written to the account info and the
/// serialized record), the data.
fn update_caller(ctx: &mut SbpfCtx, ca: &CallerAccount) -> Result<(), SyscallError> {
    let (lamports, owner, data) = {
        let acc = ctx.ic().borrow_instruction_account(ca.index_in_caller)?;
        (acc.lamports(), *acc.owner(), acc.data().to_vec())
    };
    ctx.write(ca.vm_lamports, 8)?
        .copy_from_slice(&lamports.to_le_bytes());
    ctx.write(ca.vm_owner, 32)?
        .copy_from_slice(owner.as_array());
    let prev_len = read_u64(ctx, ca.vm_len_ref)?;
    let post_len = data.len() as u64;
    if post_len > ca.original_len as u64 + MAX_PERMITTED_DATA_INCREASE as u64 {
        let ic = ctx.ic();
        if ic.log_enabled() {
            ic.log_line(format!(
                "Account data size realloc limited to {MAX_PERMITTED_DATA_INCREASE} in inner instructions"
            ));
        }
        return Err(InstructionError::InvalidRealloc.into());
    }
    if prev_len != post_len {
        if post_len < prev_len {
            ctx.write(ca.vm_data + post_len, prev_len - post_len)?
                .fill(0);
        }
        ctx.write(ca.vm_len_ref, 8)?
            .copy_from_slice(&post_len.to_le_bytes());
        ctx.write(ca.vm_data - 8, 8)?
            .copy_from_slice(&post_len.to_le_bytes());
    }
    ctx.write(ca.vm_data, post_len)?.copy_from_slice(&data);
    Ok(())
}

/// The CPI syscall: arguments are the instruction, the account infos and
/// their count, the signer seed sets and their count.
pub fn invoke_signed(
    ctx: &mut SbpfCtx,
    abi: Abi,
    ix_addr: u64,
    infos_addr: u64,
    infos_len: u64,
    seeds_addr: u64,
    seeds_len: u64,
) -> Result<u64, SyscallError> {
    charge(ctx, COSTS.invoke_units)?;
    let ix = match abi {
        Abi::Rust => translate_instruction_rust(ctx, ix_addr)?,
        Abi::C => translate_instruction_c(ctx, ix_addr)?,
    };
    let caller_id = ctx.ic().program_id();
    let signers = translate_signers(ctx, seeds_addr, seeds_len, &caller_id)?;
    // Steps 4-6 are the executor's, shared with the native `invoke`.
    ctx.ic()
        .check_authorized_program(&ix.program_id, &ix.data)
        .map_err(|_| SyscallError::ProgramNotSupported(ix.program_id))?;
    let callee_accounts = ctx.ic().resolve_callee(&ix, &signers)?;

    // The account infos: below the input region, at most 255, charged.
    let info_size = abi.info_size();
    let infos_end = infos_len
        .checked_mul(info_size)
        .and_then(|b| infos_addr.checked_add(b))
        .ok_or(SyscallError::InvalidPointer)?;
    if infos_end >= MM_INPUT_START {
        return Err(SyscallError::InvalidPointer);
    }
    if infos_len > 0 {
        check_aligned(infos_addr, 8)?;
    }
    read_array(ctx, infos_addr, infos_len, info_size)?;
    if infos_len > MAX_CPI_ACCOUNT_INFOS {
        return Err(SyscallError::MaxInstructionAccountInfosExceeded(
            infos_len,
            MAX_CPI_ACCOUNT_INFOS,
        ));
    }
    charge(
        ctx,
        infos_len.saturating_mul(ACCOUNT_INFO_BYTES) / COSTS.cpi_bytes_per_unit,
    )?;
    let mut info_keys: Vec<Pubkey> = Vec::with_capacity(infos_len as usize);
    for i in 0..infos_len {
        let info = infos_addr + i * info_size;
        info_keys.push(read_pubkey(ctx, read_u64(ctx, info)?)?);
    }

    // Per unique callee account: translate its info and sync it in.
    let caller = ctx.ic().instruction_accounts();
    let tx = ctx.ic().transaction_context();
    let mut writable: SmallVec<[CallerAccount; 8]> = SmallVec::new();
    let mut translated: SmallVec<[(CallerAccount, bool); 8]> = SmallVec::new();
    for (i, a) in callee_accounts.iter().enumerate() {
        if a.index_in_callee as usize != i {
            continue;
        }
        let index_in_caller = caller
            .iter()
            .position(|c| c.index_in_transaction == a.index_in_transaction)
            .ok_or(InstructionError::MissingAccount)?;
        let index = a.index_in_transaction as usize;
        let key = *tx.key(index).ok_or(InstructionError::MissingAccount)?;
        let (executable, data_len) = {
            let acc = tx
                .account(index)
                .ok_or(InstructionError::AccountBorrowFailed)?;
            (acc.executable, acc.data.len() as u64)
        };
        if executable {
            charge(ctx, data_len / COSTS.cpi_bytes_per_unit)?;
            continue;
        }
        let Some(pos) = info_keys.iter().position(|k| *k == key) else {
            let ic = ctx.ic();
            if ic.log_enabled() {
                ic.log_line(format!("Instruction references an unknown account {key}"));
            }
            return Err(InstructionError::MissingAccount.into());
        };
        let sa = *ctx
            .accounts
            .get(index_in_caller)
            .ok_or(InstructionError::MissingAccount)?;
        let info = infos_addr + pos as u64 * info_size;
        translated.push((
            caller_account(ctx, abi, info, &sa, index_in_caller)?,
            a.is_writable,
        ));
    }
    // Step 8, once every account is translated (as Agave's `cpi_common`):
    // the caller's view of each into the transaction.
    for (ca, is_writable) in translated {
        update_callee(ctx, &ca)?;
        if is_writable {
            writable.push(ca);
        }
    }

    ctx.ic()
        .invoke_resolved(ix.program_id, &callee_accounts, &ix.data)?;

    for ca in &writable {
        update_caller(ctx, ca)?;
    }
    Ok(0)
}
