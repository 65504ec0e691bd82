//! The syscalls that read the invocation's context rather than the
//! program's memory alone: sysvars, return data, the stack height, the
//! remaining compute units, the heap and the processed sibling instructions.

use super::*;

// ----- sysvars -----

pub(super) fn get_sysvar(
    ctx: &mut SbpfCtx,
    id_addr: u64,
    var: u64,
    offset: u64,
    len: u64,
    _: u64,
) -> SyscallResult {
    let per = COSTS.cpi_bytes_per_unit;
    let cost = COSTS.sysvar_base_cost + 32 / per + (len / per).max(COSTS.mem_op_base_cost);
    charge(ctx, cost)?;
    if var >= ebpf::MM_INPUT_START {
        return Err(SyscallError::InvalidPointer);
    }
    ctx.write(var, len)?;
    let id = read_pubkey(ctx, id_addr)?;
    let end = offset
        .checked_add(len)
        .ok_or(baton_types::InstructionError::ArithmeticOverflow)?;
    var.checked_add(len)
        .ok_or(baton_types::InstructionError::ArithmeticOverflow)?;
    let Some(bytes) = sysvars::account_bytes(ctx.ic(), &id) else {
        return Ok(2);
    };
    let (Ok(start), Ok(end)) = (usize::try_from(offset), usize::try_from(end)) else {
        return Ok(1);
    };
    let Some(slice) = bytes.get(start..end) else {
        return Ok(1);
    };
    write_bytes(ctx, var, slice)?;
    Ok(0)
}

/// A sysvar getter: charge `100 + size`, check the pointer, write the image.
pub(super) fn sysvar_getter(ctx: &mut SbpfCtx, var: u64, image: &[u8]) -> SyscallResult {
    charge(ctx, COSTS.sysvar_base_cost + image.len() as u64)?;
    if var >= ebpf::MM_INPUT_START {
        return Err(SyscallError::InvalidPointer);
    }
    check_aligned(var, 8)?;
    write_bytes(ctx, var, image)?;
    Ok(0)
}

pub(super) fn get_rent_sysvar(
    ctx: &mut SbpfCtx,
    var: u64,
    _: u64,
    _: u64,
    _: u64,
    _: u64,
) -> SyscallResult {
    let image = sysvars::rent_image(ctx.ic().rent());
    sysvar_getter(ctx, var, &image)
}

pub(super) fn get_clock_sysvar(
    ctx: &mut SbpfCtx,
    var: u64,
    _: u64,
    _: u64,
    _: u64,
    _: u64,
) -> SyscallResult {
    let image = sysvars::clock_image(ctx.ic().clock());
    sysvar_getter(ctx, var, &image)
}

pub(super) fn get_epoch_schedule_sysvar(
    ctx: &mut SbpfCtx,
    var: u64,
    _: u64,
    _: u64,
    _: u64,
    _: u64,
) -> SyscallResult {
    let image = sysvars::EpochSchedule::DEFAULT.image();
    sysvar_getter(ctx, var, &image)
}

// ----- return data, stack height, compute units, heap -----

pub(super) fn set_return_data(
    ctx: &mut SbpfCtx,
    addr: u64,
    len: u64,
    _: u64,
    _: u64,
    _: u64,
) -> SyscallResult {
    charge(
        ctx,
        len / COSTS.cpi_bytes_per_unit + COSTS.syscall_base_cost,
    )?;
    if len > MAX_RETURN_DATA {
        return Err(SyscallError::ReturnDataTooLarge(len, MAX_RETURN_DATA));
    }
    let data = ctx.read(addr, len)?;
    ctx.ic().set_return_data(data)?;
    Ok(0)
}

pub(super) fn get_return_data(
    ctx: &mut SbpfCtx,
    addr: u64,
    len: u64,
    program_id: u64,
    _: u64,
    _: u64,
) -> SyscallResult {
    charge(ctx, COSTS.syscall_base_cost)?;
    let (id, data) = ctx.ic().return_data();
    let n = len.min(data.len() as u64);
    if n != 0 {
        charge(ctx, (n + 32) / COSTS.cpi_bytes_per_unit)?;
        ctx.write(addr, n)?;
        ctx.write(program_id, 32)?;
        let disjoint = if addr > program_id {
            addr - program_id >= 32
        } else {
            program_id - addr >= n
        };
        if !disjoint {
            return Err(SyscallError::CopyOverlapping);
        }
        write_bytes(ctx, addr, &data[..n as usize])?;
        write_bytes(ctx, program_id, id.as_array())?;
    }
    Ok(data.len() as u64)
}

pub(super) fn get_stack_height(
    ctx: &mut SbpfCtx,
    _: u64,
    _: u64,
    _: u64,
    _: u64,
    _: u64,
) -> SyscallResult {
    charge(ctx, COSTS.syscall_base_cost)?;
    Ok(ctx.ic().stack_height() as u64)
}

pub(super) fn remaining_compute_units(
    ctx: &mut SbpfCtx,
    _: u64,
    _: u64,
    _: u64,
    _: u64,
    _: u64,
) -> SyscallResult {
    charge(ctx, COSTS.syscall_base_cost)?;
    Ok(ctx.ic().compute_meter().remaining())
}

pub(super) fn alloc_free(
    ctx: &mut SbpfCtx,
    size: u64,
    free_addr: u64,
    _: u64,
    _: u64,
    _: u64,
) -> SyscallResult {
    if free_addr != 0 {
        return Ok(0);
    }
    let start = ctx.heap_pos.next_multiple_of(HEAP_ALIGN);
    match start.checked_add(size) {
        Some(end) if end <= ctx.heap_len => {
            ctx.heap_pos = end;
            Ok(ebpf::MM_HEAP_START + start)
        }
        _ => Ok(0),
    }
}

pub(super) fn get_processed_sibling_instruction(
    ctx: &mut SbpfCtx,
    index: u64,
    meta: u64,
    program_id: u64,
    data_addr: u64,
    accounts_addr: u64,
) -> SyscallResult {
    charge(ctx, COSTS.syscall_base_cost)?;
    let index = usize::try_from(index).unwrap_or(usize::MAX);
    let Some(sibling) = ctx.ic().processed_sibling(index) else {
        return Ok(0);
    };
    // `ProcessedSiblingInstruction { data_len: u64, accounts_len: u64 }`.
    check_aligned(meta, 8)?;
    let header = ctx.write(meta, 16)?;
    let mut word = [0u8; 8];
    word.copy_from_slice(&header[..8]);
    let data_len = u64::from_le_bytes(word);
    word.copy_from_slice(&header[8..]);
    let accounts_len = u64::from_le_bytes(word);
    let n_accounts = sibling.accounts.len() as u64;
    if data_len == sibling.data.len() as u64 && accounts_len == n_accounts {
        // `AccountMeta { pubkey, is_signer: bool, is_writable: bool }`: 34 bytes.
        let metas_len = accounts_len
            .checked_mul(ACCOUNT_META_LEN)
            .ok_or(SyscallError::InvalidLength)?;
        let ranges = [
            (program_id, 32),
            (data_addr, data_len),
            (accounts_addr, metas_len),
            (meta, 16),
        ];
        for &(addr, len) in &ranges {
            ctx.write(addr, len)?;
        }
        for (i, a) in ranges.iter().enumerate() {
            for b in &ranges[i + 1..] {
                if !disjoint(*a, *b) {
                    return Err(SyscallError::CopyOverlapping);
                }
            }
        }
        write_bytes(ctx, program_id, sibling.program_id.as_array())?;
        write_bytes(ctx, data_addr, &sibling.data)?;
        let mut metas = Vec::with_capacity(metas_len as usize);
        for (key, signer, writable) in &sibling.accounts {
            metas.extend_from_slice(key.as_array());
            metas.push(*signer as u8);
            metas.push(*writable as u8);
        }
        write_bytes(ctx, accounts_addr, &metas)?;
    } else {
        let mut h = [0u8; 16];
        h[..8].copy_from_slice(&(sibling.data.len() as u64).to_le_bytes());
        h[8..].copy_from_slice(&n_accounts.to_le_bytes());
        write_bytes(ctx, meta, &h)?;
    }
    Ok(1)
}

/// Bytes of an `AccountMeta` in VM memory.
const ACCOUNT_META_LEN: u64 = 34;

/// Whether two `(address, length)` ranges do not overlap.
fn disjoint(a: (u64, u64), b: (u64, u64)) -> bool {
    if a.0 > b.0 {
        a.0 - b.0 >= b.1
    } else {
        b.0 - a.0 >= a.1
    }
}
