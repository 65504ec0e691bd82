//! The VM glue: the context object the syscalls see, the memory map of one
//! frame, and running an executable. This is the crate's only module with
//! `unsafe` code:
//!
//! - `MemoryMapping::new` is `unsafe`: the host buffers behind the regions
//!   must outlive the mapping;
//! - the context holds the running [`InvokeContext`] as a lifetime-erased
//!   pointer, so that `Executable<SbpfCtx>` can be `'static` and cached (the
//!   same erasure Agave makes);
//! - host buffers come back from `MemoryMapping::map` as raw slices.
//!
//! Every other module works on the safe accessors below.
#![allow(unsafe_code)]

use std::ptr::NonNull;

use baton_executor::InvokeContext;
use solana_sbpf::ebpf;
use solana_sbpf::elf::Executable;
use solana_sbpf::error::{EbpfError, ProgramResult, StableResult};
use solana_sbpf::memory_region::{AccessType, MemoryMapping, MemoryRegion};
use solana_sbpf::vm::{CallFrame, ContextObject, EbpfVm, ExecutionMode};

use crate::error::SyscallError;

/// What the syscalls of one frame see: the invoke context, the frame's
/// memory map and the heap's bump pointer.
pub struct SbpfCtx {
    /// The running invoke context, its lifetime erased: valid only while
    /// [`run`] runs, which creates and drops this object.
    ic: NonNull<InvokeContext<'static>>,
    mapping: MemoryMapping,
    /// Next free heap byte, for `sol_alloc_free_`.
    pub(crate) heap_pos: u64,
    /// Heap size in bytes.
    pub(crate) heap_len: u64,
}

impl ContextObject for SbpfCtx {
    fn consume(&mut self, amount: u64) {
        // Saturating: a charge larger than what remains empties the meter,
        // and the VM then stops with `ExceededMaxInstructions`.
        let _ = self.ic().compute_meter().consume(amount);
    }

    fn get_remaining(&self) -> u64 {
        self.ic().compute_meter().remaining()
    }

    fn active_mapping_ptr(&mut self) -> NonNull<MemoryMapping> {
        NonNull::from(&mut self.mapping)
    }
}

fn memory_error(e: EbpfError) -> SyscallError {
    SyscallError::Memory(e)
}

impl SbpfCtx {
    /// The running invoke context.
    pub fn ic(&self) -> &InvokeContext<'_> {
        // SAFETY: `ic` was made from a live `&InvokeContext` in `run`, which
        // owns this object and drops it before returning, so the pointee
        // outlives every use. Only shared references are ever made from it
        // (every `InvokeContext` method used takes `&self`), and the
        // returned reference is bound to `&self`, shorter than the erased
        // lifetime; `InvokeContext` is covariant in it.
        unsafe { self.ic.as_ref() }
    }

    /// `len` bytes of VM memory at `addr`, for reading.
    pub fn read(&self, addr: u64, len: u64) -> Result<&[u8], SyscallError> {
        if len == 0 {
            return Ok(&[]);
        }
        match self.mapping.map(AccessType::Load, addr, len) {
            // SAFETY: `map` returns a subslice of a region's host buffer;
            // the buffers outlive this object (see `run`), and no mutable
            // reference into VM memory exists while `&self` is borrowed,
            // since those are only made from `&mut self`.
            StableResult::Ok(buf) => Ok(unsafe { &*buf.ptr() }),
            StableResult::Err(e) => Err(memory_error(e)),
        }
    }

    /// `len` bytes of VM memory at `addr`, for writing.
    pub fn write(&mut self, addr: u64, len: u64) -> Result<&mut [u8], SyscallError> {
        if len == 0 {
            return Ok(&mut []);
        }
        match self.mapping.map(AccessType::Store, addr, len) {
            // SAFETY: as in `read`; the region is writable (`map` checked
            // the store), and `&mut self` makes this the only reference
            // into VM memory until it is dropped.
            StableResult::Ok(buf) => Ok(unsafe { &mut *buf.ptr_mut() }),
            StableResult::Err(e) => Err(memory_error(e)),
        }
    }

    /// Copy `n` bytes from `src` to `dst` in VM memory; the ranges may overlap.
    pub fn copy(&mut self, dst: u64, src: u64, n: u64) -> Result<(), SyscallError> {
        if n == 0 {
            return Ok(());
        }
        let d = match self.mapping.map(AccessType::Store, dst, n) {
            StableResult::Ok(b) => b.ptr_mut(),
            StableResult::Err(e) => return Err(memory_error(e)),
        };
        let s = match self.mapping.map(AccessType::Load, src, n) {
            StableResult::Ok(b) => b.ptr(),
            StableResult::Err(e) => return Err(memory_error(e)),
        };
        // SAFETY: both ranges are `n` bytes of live host buffers (`map`
        // checked the bounds, the store permission of `d`, and the buffers
        // outlive this object); `ptr::copy` allows overlap, and no reference
        // into VM memory is alive during `&mut self`.
        unsafe { std::ptr::copy(s.cast::<u8>(), d.cast::<u8>(), n as usize) };
        Ok(())
    }
}

/// How to run: the JIT where it exists, or always the interpreter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// JIT-compiled code (x86_64, not Windows); elsewhere the interpreter.
    Jit,
    /// The interpreter.
    Interpreter,
}

/// The memory of one VM frame: reused from call to call on a thread.
pub struct FrameMemory {
    /// The stack.
    pub stack: Vec<u8>,
    /// The heap.
    pub heap: Vec<u8>,
    /// The input region.
    pub input: Vec<u8>,
    /// Call frames of the interpreter.
    pub call_frames: Vec<CallFrame>,
}

/// Run `exe` over `mem` (stack and heap zeroed by the caller, the input
/// serialized) with `r2` pointing at `data_offset` in the input. Returns
/// the VM's result.
pub fn run(
    exe: &Executable<SbpfCtx>,
    mode: Mode,
    ic: &InvokeContext<'_>,
    mem: &mut FrameMemory,
    data_offset: usize,
) -> ProgramResult {
    let config = exe.get_config();
    let version = exe.get_sbpf_version();
    let gap = if config.enable_stack_frame_gaps && version.stack_frame_gaps() {
        config.stack_frame_size as u64
    } else {
        0
    };
    let stack_len = mem.stack.len();
    let heap_len = mem.heap.len() as u64;
    let regions = vec![
        exe.get_ro_region(),
        MemoryRegion::new_gapped(
            mem.stack.as_mut_slice() as *mut [u8],
            ebpf::MM_STACK_START,
            gap,
        ),
        MemoryRegion::new(mem.heap.as_mut_slice() as *mut [u8], ebpf::MM_HEAP_START),
        MemoryRegion::new(mem.input.as_mut_slice() as *mut [u8], ebpf::MM_INPUT_START),
    ];
    // SAFETY: the regions point into `exe`'s read-only section and into
    // `mem`'s three buffers. `exe` and `mem` are borrowed for this whole
    // function, none of the buffers is resized while the mapping exists, and
    // the mapping (inside `ctx`) is dropped before this function returns.
    // The writable buffers are plain bytes, for which any content is valid.
    let mapping = match unsafe { MemoryMapping::new(regions, config, version) } {
        Ok(m) => m,
        Err(e) => return ProgramResult::Err(e),
    };
    let mut ctx = SbpfCtx {
        ic: NonNull::from(ic).cast::<InvokeContext<'static>>(),
        mapping,
        heap_pos: 0,
        heap_len,
    };
    let mut vm = EbpfVm::new(exe.get_loader().clone(), version, &mut ctx, stack_len);
    vm.registers[1] = ebpf::MM_INPUT_START;
    vm.registers[2] = ebpf::MM_INPUT_START + data_offset as u64;
    let mut exec_mode = match mode {
        Mode::Jit => ExecutionMode::PreferJit,
        Mode::Interpreter => ExecutionMode::Interpreted,
    };
    let (_, result) = vm.execute_program(exe, &mut exec_mode, &mut mem.call_frames);
    result
}
