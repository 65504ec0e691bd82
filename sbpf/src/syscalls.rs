//! The syscalls, at Agave's costs (`docs/sbpf.md` §3), with Agave's log
//! lines and check orders. Each body runs under `catch_unwind`: a panic
//! must never unwind through JIT-compiled frames.

use std::panic::{catch_unwind, AssertUnwindSafe};

use baton_types::{pda, Pubkey};
use sha2::Digest;
use smallvec::SmallVec;
use solana_sbpf::ebpf;
use solana_sbpf::elf::ElfError;
use solana_sbpf::program::{BuiltinFunctionDefinition, BuiltinProgram};

use crate::error::SyscallError;
use crate::profile::{SyscallCosts, COPY_PROFILE};
use crate::sysvars;
use crate::vm::SbpfCtx;

type SyscallResult = Result<u64, SyscallError>;
type Body = fn(&mut SbpfCtx, u64, u64, u64, u64, u64) -> SyscallResult;

/// Most bytes of return data.
pub const MAX_RETURN_DATA: u64 = 1_024;
/// Most seeds of a program address, the bump included.
pub(crate) const MAX_SEEDS: u64 = 16;
/// Agave's text of a seed list too long.
pub(crate) const SEED_TOO_LONG: &str = "Length of the seed is too long for address generation";
/// Most bytes of one seed.
const MAX_SEED_LEN: u64 = 32;
/// Alignment of heap allocations for the aligned loaders (Agave's
/// `BPF_ALIGN_OF_U128`).
const HEAP_ALIGN: u64 = 8;

const COSTS: &SyscallCosts = &COPY_PROFILE.costs;

mod context;

use context::*;

/// Run `body`, turning a panic into [`SyscallError::HostPanic`].
fn guarded(body: Body, ctx: &mut SbpfCtx, a: u64, b: u64, c: u64, d: u64, e: u64) -> SyscallResult {
    // Unwind safety: after a panic the syscall fails, the VM stops and the
    // instruction fails; its account writes are rolled back by the journal.
    catch_unwind(AssertUnwindSafe(|| body(ctx, a, b, c, d, e)))
        .unwrap_or(Err(SyscallError::HostPanic))
}

macro_rules! syscalls {
    ($($ty:ident = $name:literal => $body:path;)*) => {
        $(
            #[doc = concat!("The `", $name, "` syscall.")]
            pub struct $ty;
            impl BuiltinFunctionDefinition<SbpfCtx> for $ty {
                type Error = SyscallError;
                fn rust(
                    ctx: &mut SbpfCtx,
                    a: u64,
                    b: u64,
                    c: u64,
                    d: u64,
                    e: u64,
                ) -> Result<u64, SyscallError> {
                    guarded($body, ctx, a, b, c, d, e)
                }
            }
        )*

        /// Names of the registered syscalls.
        pub const NAMES: &[&str] = &[$($name),*];

        /// Register the syscalls with `loader`. With `deploy`, `sol_alloc_free_`
        /// is left out, as Agave's deployment environment leaves it out
        /// (`disable_deploy_of_alloc_free_syscall`): a new ELF importing it is
        /// refused, one deployed before still runs.
        pub fn register(loader: &mut BuiltinProgram<SbpfCtx>, deploy: bool) -> Result<(), ElfError> {
            $(
                if !(deploy && $name == "sol_alloc_free_") {
                    loader.register_definition::<$ty>($name)?;
                }
            )*
            Ok(())
        }
    };
}

syscalls! {
    Abort = "abort" => abort;
    Panic = "sol_panic_" => panic;
    Log = "sol_log_" => log;
    Log64 = "sol_log_64_" => log_64;
    LogPubkey = "sol_log_pubkey" => log_pubkey;
    LogComputeUnits = "sol_log_compute_units_" => log_compute_units;
    LogData = "sol_log_data" => log_data;
    Memcpy = "sol_memcpy_" => memcpy;
    Memmove = "sol_memmove_" => memmove;
    Memset = "sol_memset_" => memset;
    Memcmp = "sol_memcmp_" => memcmp;
    Sha256 = "sol_sha256" => sha256;
    Keccak256 = "sol_keccak256" => keccak256;
    CreateProgramAddress = "sol_create_program_address" => create_program_address;
    TryFindProgramAddress = "sol_try_find_program_address" => try_find_program_address;
    GetSysvar = "sol_get_sysvar" => get_sysvar;
    GetRentSysvar = "sol_get_rent_sysvar" => get_rent_sysvar;
    GetClockSysvar = "sol_get_clock_sysvar" => get_clock_sysvar;
    GetEpochScheduleSysvar = "sol_get_epoch_schedule_sysvar" => get_epoch_schedule_sysvar;
    SetReturnData = "sol_set_return_data" => set_return_data;
    GetReturnData = "sol_get_return_data" => get_return_data;
    GetStackHeight = "sol_get_stack_height" => get_stack_height;
    RemainingComputeUnits = "sol_remaining_compute_units" => remaining_compute_units;
    AllocFree = "sol_alloc_free_" => alloc_free;
    GetProcessedSiblingInstruction = "sol_get_processed_sibling_instruction" => get_processed_sibling_instruction;
    InvokeSignedRust = "sol_invoke_signed_rust" => invoke_signed_rust;
    InvokeSignedC = "sol_invoke_signed_c" => invoke_signed_c;
}

// ----- helpers -----

pub(crate) fn charge(ctx: &SbpfCtx, units: u64) -> Result<(), SyscallError> {
    ctx.ic().consume_checked(units).map_err(SyscallError::from)
}

pub(crate) fn check_aligned(addr: u64, align: u64) -> Result<(), SyscallError> {
    if !addr.is_multiple_of(align) {
        return Err(SyscallError::UnalignedPointer);
    }
    Ok(())
}

/// `len` bytes as UTF-8, or `InvalidString`.
fn string(ctx: &SbpfCtx, addr: u64, len: u64) -> Result<&str, SyscallError> {
    let bytes = ctx.read(addr, len)?;
    std::str::from_utf8(bytes).map_err(|e| SyscallError::InvalidString(e, bytes.to_vec()))
}

/// An array of `n` `(ptr, len)` pairs (16 bytes each, 8-aligned), as
/// `&[&[u8]]` is laid out in the VM.
pub(crate) fn slices(
    ctx: &SbpfCtx,
    addr: u64,
    n: u64,
) -> Result<SmallVec<[(u64, u64); 8]>, SyscallError> {
    if n == 0 {
        return Ok(SmallVec::new());
    }
    check_aligned(addr, 8)?;
    let bytes = n.checked_mul(16).ok_or(SyscallError::InvalidLength)?;
    if bytes > isize::MAX as u64 {
        return Err(SyscallError::InvalidLength);
    }
    let raw = ctx.read(addr, bytes)?;
    Ok(raw
        .chunks_exact(16)
        .map(|c| {
            let mut p = [0u8; 8];
            let mut l = [0u8; 8];
            p.copy_from_slice(&c[..8]);
            l.copy_from_slice(&c[8..]);
            (u64::from_le_bytes(p), u64::from_le_bytes(l))
        })
        .collect())
}

fn write_bytes(ctx: &mut SbpfCtx, addr: u64, bytes: &[u8]) -> Result<(), SyscallError> {
    ctx.write(addr, bytes.len() as u64)?.copy_from_slice(bytes);
    Ok(())
}

pub(crate) fn read_pubkey(ctx: &SbpfCtx, addr: u64) -> Result<Pubkey, SyscallError> {
    let b = ctx.read(addr, 32)?;
    let mut k = [0u8; 32];
    k.copy_from_slice(b);
    Ok(Pubkey::new_from_array(k))
}

// ----- abort, panic, logs -----

fn abort(_: &mut SbpfCtx, _: u64, _: u64, _: u64, _: u64, _: u64) -> SyscallResult {
    Err(SyscallError::Abort)
}

fn panic(ctx: &mut SbpfCtx, file: u64, len: u64, line: u64, column: u64, _: u64) -> SyscallResult {
    charge(ctx, len)?;
    let file = string(ctx, file, len)?.to_string();
    Err(SyscallError::Panic { file, line, column })
}

fn log(ctx: &mut SbpfCtx, addr: u64, len: u64, _: u64, _: u64, _: u64) -> SyscallResult {
    charge(ctx, COSTS.syscall_base_cost.max(len))?;
    let s = string(ctx, addr, len)?;
    ctx.ic().log(s);
    Ok(0)
}

fn log_64(ctx: &mut SbpfCtx, a: u64, b: u64, c: u64, d: u64, e: u64) -> SyscallResult {
    charge(ctx, COSTS.log_64_units)?;
    let ic = ctx.ic();
    if ic.log_enabled() {
        ic.log(format_args!("{a:#x}, {b:#x}, {c:#x}, {d:#x}, {e:#x}"));
    }
    Ok(0)
}

fn log_pubkey(ctx: &mut SbpfCtx, addr: u64, _: u64, _: u64, _: u64, _: u64) -> SyscallResult {
    charge(ctx, COSTS.log_pubkey_units)?;
    let key = read_pubkey(ctx, addr)?;
    ctx.ic().log(key);
    Ok(0)
}

fn log_compute_units(ctx: &mut SbpfCtx, _: u64, _: u64, _: u64, _: u64, _: u64) -> SyscallResult {
    charge(ctx, COSTS.syscall_base_cost)?;
    let ic = ctx.ic();
    if ic.log_enabled() {
        let remaining = ic.compute_meter().remaining();
        ic.log_line(format!("Program consumption: {remaining} units remaining"));
    }
    Ok(0)
}

fn log_data(ctx: &mut SbpfCtx, addr: u64, len: u64, _: u64, _: u64, _: u64) -> SyscallResult {
    use base64::Engine;
    charge(ctx, COSTS.syscall_base_cost)?;
    let fields = slices(ctx, addr, len)?;
    charge(ctx, COSTS.syscall_base_cost.saturating_mul(len))?;
    charge(
        ctx,
        fields.iter().fold(0u64, |t, &(_, l)| t.saturating_add(l)),
    )?;
    let mut line = String::from("Program data:");
    for &(p, l) in &fields {
        let bytes = ctx.read(p, l)?;
        line.push(' ');
        base64::engine::general_purpose::STANDARD.encode_string(bytes, &mut line);
    }
    ctx.ic().log_line(line);
    Ok(0)
}

// ----- memory -----

fn memcpy(ctx: &mut SbpfCtx, dst: u64, src: u64, n: u64, _: u64, _: u64) -> SyscallResult {
    charge(ctx, COSTS.mem_op(n))?;
    let disjoint = if src > dst {
        src - dst >= n
    } else {
        dst - src >= n
    };
    if !disjoint {
        return Err(SyscallError::CopyOverlapping);
    }
    ctx.copy(dst, src, n)?;
    Ok(0)
}

fn memmove(ctx: &mut SbpfCtx, dst: u64, src: u64, n: u64, _: u64, _: u64) -> SyscallResult {
    charge(ctx, COSTS.mem_op(n))?;
    ctx.copy(dst, src, n)?;
    Ok(0)
}

fn memset(ctx: &mut SbpfCtx, dst: u64, c: u64, n: u64, _: u64, _: u64) -> SyscallResult {
    charge(ctx, COSTS.mem_op(n))?;
    ctx.write(dst, n)?.fill(c as u8);
    Ok(0)
}

fn memcmp(ctx: &mut SbpfCtx, s1: u64, s2: u64, n: u64, out: u64, _: u64) -> SyscallResult {
    charge(ctx, COSTS.mem_op(n))?;
    let a = ctx.read(s1, n)?;
    let b = ctx.read(s2, n)?;
    let r = a
        .iter()
        .zip(b)
        .find(|(x, y)| x != y)
        .map_or(0i32, |(x, y)| i32::from(*x) - i32::from(*y));
    check_aligned(out, 4)?;
    write_bytes(ctx, out, &r.to_le_bytes())?;
    Ok(0)
}

// ----- hashes -----

fn hash<H: Digest>(ctx: &mut SbpfCtx, vals: u64, n: u64, out: u64) -> SyscallResult {
    if n > COSTS.sha256_max_slices {
        return Err(SyscallError::TooManySlices);
    }
    charge(ctx, COSTS.sha256_base_cost)?;
    ctx.write(out, 32)?;
    let mut h = H::new();
    for (p, l) in slices(ctx, vals, n)? {
        let bytes = ctx.read(p, l)?;
        let cost = COSTS
            .mem_op_base_cost
            .max(COSTS.sha256_byte_cost.saturating_mul(l / 2));
        charge(ctx, cost)?;
        h.update(bytes);
    }
    write_bytes(ctx, out, &h.finalize())?;
    Ok(0)
}

fn sha256(ctx: &mut SbpfCtx, vals: u64, n: u64, out: u64, _: u64, _: u64) -> SyscallResult {
    hash::<sha2::Sha256>(ctx, vals, n, out)
}

fn keccak256(ctx: &mut SbpfCtx, vals: u64, n: u64, out: u64, _: u64, _: u64) -> SyscallResult {
    hash::<sha3::Keccak256>(ctx, vals, n, out)
}

// ----- program addresses -----

/// The seeds and program id of a PDA syscall, checked as Agave checks them.
fn pda_inputs(
    ctx: &SbpfCtx,
    seeds: u64,
    n: u64,
    program_id: u64,
) -> Result<(Vec<Vec<u8>>, Pubkey), SyscallError> {
    let table = slices(ctx, seeds, n)?;
    if n > MAX_SEEDS {
        return Err(SyscallError::BadSeeds(SEED_TOO_LONG));
    }
    let mut out = Vec::with_capacity(n as usize + 1);
    for (p, l) in table {
        if l > MAX_SEED_LEN {
            return Err(SyscallError::BadSeeds(SEED_TOO_LONG));
        }
        out.push(ctx.read(p, l)?.to_vec());
    }
    Ok((out, read_pubkey(ctx, program_id)?))
}

fn create_program_address(
    ctx: &mut SbpfCtx,
    seeds: u64,
    n: u64,
    program_id: u64,
    address: u64,
    _: u64,
) -> SyscallResult {
    charge(ctx, COSTS.create_program_address_units)?;
    let (seeds, id) = pda_inputs(ctx, seeds, n, program_id)?;
    let refs: SmallVec<[&[u8]; 16]> = seeds.iter().map(Vec::as_slice).collect();
    let Ok(key) = pda::create_program_address(&refs, &id) else {
        return Ok(1);
    };
    write_bytes(ctx, address, key.as_array())?;
    Ok(0)
}

fn try_find_program_address(
    ctx: &mut SbpfCtx,
    seeds: u64,
    n: u64,
    program_id: u64,
    address: u64,
    bump_addr: u64,
) -> SyscallResult {
    charge(ctx, COSTS.create_program_address_units)?;
    let (seeds, id) = pda_inputs(ctx, seeds, n, program_id)?;
    let mut bump = [u8::MAX];
    for _ in 0..u8::MAX {
        let found = {
            let mut refs: SmallVec<[&[u8]; 17]> = seeds.iter().map(Vec::as_slice).collect();
            refs.push(&bump);
            pda::create_program_address(&refs, &id)
        };
        if let Ok(key) = found {
            ctx.write(bump_addr, 1)?;
            ctx.write(address, 32)?;
            let disjoint = if address > bump_addr {
                address - bump_addr >= 1
            } else {
                bump_addr - address >= 32
            };
            if !disjoint {
                return Err(SyscallError::CopyOverlapping);
            }
            write_bytes(ctx, bump_addr, &bump)?;
            write_bytes(ctx, address, key.as_array())?;
            return Ok(0);
        }
        bump[0] = bump[0].saturating_sub(1);
        charge(ctx, COSTS.create_program_address_units)?;
    }
    Ok(1)
}

fn invoke_signed_rust(ctx: &mut SbpfCtx, a: u64, b: u64, c: u64, d: u64, e: u64) -> SyscallResult {
    crate::cpi::invoke_signed(ctx, crate::cpi::Abi::Rust, a, b, c, d, e)
}

fn invoke_signed_c(ctx: &mut SbpfCtx, a: u64, b: u64, c: u64, d: u64, e: u64) -> SyscallResult {
    crate::cpi::invoke_signed(ctx, crate::cpi::Abi::C, a, b, c, d, e)
}
