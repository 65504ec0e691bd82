//! The VM glue: the context object the syscalls see, the memory map of one
//! frame, and running an executable. This is the crate's only module with
//! `unsafe` code:
//!
//! - `MemoryMapping::new` is `unsafe`: the host buffers behind the regions
//!   must outlive the mapping;
//! - the context holds the running [`InvokeContext`] as a lifetime-erased
//!   pointer, so that `Executable<SbpfCtx>` can be `'static` and cached (the
//!   same erasure Agave makes);
//! - host buffers come back from `MemoryMapping::map` as raw slices;
//! - the stack and heap regions grow on demand (`MemoryRegion::redirect`).
//!
//! Every other module works on the safe accessors below.
//!
//! **Deterministic memory without zeroing 288 KiB per call.** A frame's
//! stack (256 KiB) and heap (32 KiB) buffers are all zero when taken from
//! the pool. The VM's mapping starts with the stack region one frame long
//! and the heap region empty; an access past them calls the access-violation
//! handler, which extends the region over more of the (zero) buffer, up to
//! its full size, so every access valid under Agave's full regions is valid
//! here, and every invalid one still faults. Syscalls translate through a
//! second mapping with the full regions (Agave's, so their errors are
//! exactly Agave's) and record how far they wrote. After the run only the
//! used prefix of each buffer is zeroed: a program never sees bytes an
//! earlier one left, at the cost of the memory actually used.
#![allow(unsafe_code)]

use std::ptr::NonNull;

use smallvec::SmallVec;

use baton_executor::InvokeContext;
use solana_sbpf::ebpf;
use solana_sbpf::elf::Executable;
use solana_sbpf::error::{EbpfError, ProgramResult, StableResult};
use solana_sbpf::memory_region::{AccessType, AccessViolationHandler, MemoryMapping, MemoryRegion};
use solana_sbpf::vm::{CallFrame, ContextObject, EbpfVm, ExecutionMode};

use crate::error::SyscallError;
use crate::serialize::SerializedAccount;

/// What the syscalls of one frame see: the invoke context, the frame's
/// memory map and the heap's bump pointer.
pub struct SbpfCtx {
    /// The running invoke context, its lifetime erased: valid only while
    /// [`run`] runs, which creates and drops this object.
    ic: NonNull<InvokeContext<'static>>,
    /// The VM's mapping, whose stack and heap regions grow on demand.
    mapping: MemoryMapping,
    /// The same memory with the full regions, for syscalls.
    full: MemoryMapping,
    /// The buffers behind the stack and heap regions.
    buffers: Buffers,
    /// How far syscalls wrote into the stack and heap buffers.
    stack_written: usize,
    heap_written: usize,
    /// Next free heap byte, for `sol_alloc_free_`.
    pub(crate) heap_pos: u64,
    /// Heap size in bytes.
    pub(crate) heap_len: u64,
    /// Where each account of the instruction sits in the input region
    /// (CPI checks the account infos' pointers against it).
    pub(crate) accounts: SmallVec<[SerializedAccount; 8]>,
}

/// The stack and heap buffers of a frame, as raw parts (captured by the
/// access-violation handler, which must be `'static`).
#[derive(Clone, Copy)]
struct Buffers {
    stack: *mut u8,
    stack_len: usize,
    heap: *mut u8,
    heap_len: usize,
    frame_size: usize,
    gapped: bool,
}

impl Buffers {
    /// The stack region over the first `len` bytes of the stack buffer.
    fn stack_region(&self, len: usize) -> MemoryRegion {
        let gap = if self.gapped {
            self.frame_size as u64
        } else {
            0
        };
        MemoryRegion::new_gapped(
            std::ptr::slice_from_raw_parts_mut(self.stack, len),
            ebpf::MM_STACK_START,
            gap,
        )
    }

    /// The heap region over the first `len` bytes of the heap buffer.
    fn heap_region(&self, len: usize) -> MemoryRegion {
        MemoryRegion::new(
            std::ptr::slice_from_raw_parts_mut(self.heap, len),
            ebpf::MM_HEAP_START,
        )
    }

    /// Buffer offset just past an access of `len` bytes at stack offset
    /// `offset` (VM address minus the region start); `None` in a gap.
    fn stack_end(&self, offset: u64, len: u64) -> Option<u64> {
        let frame = self.frame_size as u64;
        let host = if self.gapped {
            let f = offset / frame;
            if f % 2 == 1 {
                return None;
            }
            (f / 2) * frame + offset % frame
        } else {
            offset
        };
        host.checked_add(len)
    }

    /// The access-violation handler: extend the stack or heap region to
    /// cover the access, in whole frames (stack) or 4 KiB pages (heap), up
    /// to the full buffer.
    fn grow(&self, region: &mut MemoryRegion, vm_addr: u64, len: u64) {
        let start = region.vm_addr_range().start;
        let (end, unit, full) = if start == ebpf::MM_STACK_START {
            match self.stack_end(vm_addr - start, len) {
                Some(end) => (end, self.frame_size as u64, self.stack_len),
                None => return,
            }
        } else if start == ebpf::MM_HEAP_START {
            match (vm_addr - start).checked_add(len) {
                Some(end) => (end, 4096, self.heap_len),
                None => return,
            }
        } else {
            return;
        };
        let want = end.div_ceil(unit).saturating_mul(unit).min(full as u64) as usize;
        if want <= region.len() {
            return;
        }
        let grown = if start == ebpf::MM_STACK_START {
            self.stack_region(want)
        } else {
            self.heap_region(want)
        };
        *region = grown;
    }
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
        match self.full.map(AccessType::Load, addr, len) {
            // SAFETY: `map` returns a subslice of a region's host buffer;
            // the buffers outlive this object (see `run`), and no mutable
            // reference into VM memory exists while `&self` is borrowed,
            // since those are only made from `&mut self`.
            StableResult::Ok(buf) => Ok(unsafe { &*buf.ptr() }),
            StableResult::Err(e) => Err(memory_error(e)),
        }
    }

    /// Record a syscall's write of `len` bytes at host address `at`.
    fn wrote(&mut self, at: *const u8, len: usize) {
        let a = at as usize;
        let b = self.buffers;
        let end = |base: *mut u8, size: usize| {
            let base = base as usize;
            (a >= base && a < base + size).then(|| a - base + len)
        };
        if let Some(e) = end(b.stack, b.stack_len) {
            self.stack_written = self.stack_written.max(e);
        } else if let Some(e) = end(b.heap, b.heap_len) {
            self.heap_written = self.heap_written.max(e);
        }
    }

    /// `len` bytes of VM memory at `addr`, for writing.
    pub fn write(&mut self, addr: u64, len: u64) -> Result<&mut [u8], SyscallError> {
        if len == 0 {
            return Ok(&mut []);
        }
        match self.full.map(AccessType::Store, addr, len) {
            StableResult::Ok(buf) => {
                let p = buf.ptr_mut();
                self.wrote(p.cast::<u8>(), p.len());
                // SAFETY: as in `read`; the region is writable (`map`
                // checked the store), and `&mut self` makes this the only
                // reference into VM memory until it is dropped.
                Ok(unsafe { &mut *p })
            }
            StableResult::Err(e) => Err(memory_error(e)),
        }
    }

    /// Copy `n` bytes from `src` to `dst` in VM memory; the ranges may overlap.
    pub fn copy(&mut self, dst: u64, src: u64, n: u64) -> Result<(), SyscallError> {
        if n == 0 {
            return Ok(());
        }
        let d = match self.full.map(AccessType::Store, dst, n) {
            StableResult::Ok(b) => b.ptr_mut(),
            StableResult::Err(e) => return Err(memory_error(e)),
        };
        let s = match self.full.map(AccessType::Load, src, n) {
            StableResult::Ok(b) => b.ptr(),
            StableResult::Err(e) => return Err(memory_error(e)),
        };
        self.wrote(d.cast::<u8>(), d.len());
        // SAFETY: both ranges are `n` bytes of live host buffers (`map`
        // checked the bounds, the store permission of `d`, and the buffers
        // outlive this object); `ptr::copy` allows overlap, and no reference
        // into VM memory is alive during `&mut self`.
        unsafe { std::ptr::copy(s.cast::<u8>(), d.cast::<u8>(), n as usize) };
        Ok(())
    }

    /// How many leading bytes of the stack and heap buffers the run may
    /// have written: the grown regions and the syscalls' writes.
    fn used(&self) -> (usize, usize) {
        let mut stack = self.stack_written;
        let mut heap = self.heap_written;
        for r in self.mapping.get_regions() {
            match r.vm_addr_range().start {
                ebpf::MM_STACK_START => stack = stack.max(r.len()),
                ebpf::MM_HEAP_START => heap = heap.max(r.len()),
                _ => {}
            }
        }
        (stack, heap)
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

/// The memory of one VM frame, reused from call to call on a thread. The
/// stack and heap are all zero between runs.
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

/// The text of a VM fault as Agave reports it. The lazily grown regions
/// can make a fault name its region "unallocated" where Agave's full region
/// contains the address; this names it as Agave does.
pub fn fault_message(e: &EbpfError, mem: &FrameMemory, gapped: bool) -> String {
    if let EbpfError::AccessViolation(access, addr, len, "unallocated") = e {
        let stack_vm = mem.stack.len() as u64 * if gapped { 2 } else { 1 };
        let name = if (ebpf::MM_STACK_START..ebpf::MM_STACK_START + stack_vm).contains(addr) {
            Some("stack")
        } else if (ebpf::MM_HEAP_START..ebpf::MM_HEAP_START + mem.heap.len() as u64).contains(addr)
        {
            Some("heap")
        } else {
            None
        };
        if let Some(name) = name {
            return EbpfError::AccessViolation(*access, *addr, *len, name).to_string();
        }
    }
    e.to_string()
}

/// Whether `exe`'s stack is gapped (SBPF v0 with gaps enabled).
pub fn stack_gapped(exe: &Executable<SbpfCtx>) -> bool {
    exe.get_config().enable_stack_frame_gaps && exe.get_sbpf_version().stack_frame_gaps()
}

/// Run `exe` over `mem` (stack and heap all zero, the input serialized,
/// its accounts at `accounts`) with `r2` pointing at `data_offset` in the
/// input; returns the VM's result, and leaves the stack and heap all zero
/// again.
pub fn run(
    exe: &Executable<SbpfCtx>,
    mode: Mode,
    ic: &InvokeContext<'_>,
    mem: &mut FrameMemory,
    accounts: &mut SmallVec<[SerializedAccount; 8]>,
    data_offset: usize,
) -> ProgramResult {
    let config = exe.get_config();
    let version = exe.get_sbpf_version();
    let buffers = Buffers {
        stack: mem.stack.as_mut_ptr(),
        stack_len: mem.stack.len(),
        heap: mem.heap.as_mut_ptr(),
        heap_len: mem.heap.len(),
        frame_size: config.stack_frame_size,
        gapped: stack_gapped(exe),
    };
    let input = mem.input.as_mut_slice() as *mut [u8];
    let regions = |stack: usize, heap: usize| {
        vec![
            exe.get_ro_region(),
            buffers.stack_region(stack),
            buffers.heap_region(heap),
            MemoryRegion::new(input, ebpf::MM_INPUT_START),
        ]
    };
    let first_frame = buffers.frame_size.min(buffers.stack_len);
    // The handler runs inside JIT code (on a memory access's slow path), so
    // no panic may unwind out of it; a caught one leaves the region as it
    // was (`grow` replaces it in one move at its end) and the access faults.
    let grow: AccessViolationHandler = Box::new(move |region, _, _, vm_addr, len| {
        let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            buffers.grow(region, vm_addr, len)
        }));
    });
    // SAFETY: the regions point into `exe`'s read-only section and into
    // `mem`'s buffers, never past their lengths (the handler extends a
    // region only up to its buffer's length). `exe` and `mem` are borrowed
    // for this whole function, none of the buffers is resized while the
    // mappings exist, and both mappings (inside `ctx`) are dropped before
    // this function returns. The writable buffers are plain bytes, for
    // which any content is valid.
    let mappings = unsafe {
        MemoryMapping::new_with_access_violation_handler(
            regions(first_frame, 0),
            config,
            version,
            grow,
        )
        .and_then(|lazy| {
            MemoryMapping::new(
                regions(buffers.stack_len, buffers.heap_len),
                config,
                version,
            )
            .map(|full| (lazy, full))
        })
    };
    let (mapping, full) = match mappings {
        Ok(m) => m,
        Err(e) => return ProgramResult::Err(e),
    };
    let mut ctx = SbpfCtx {
        ic: NonNull::from(ic).cast::<InvokeContext<'static>>(),
        mapping,
        full,
        buffers,
        stack_written: 0,
        heap_written: 0,
        heap_pos: 0,
        heap_len: buffers.heap_len as u64,
        accounts: std::mem::take(accounts),
    };
    let result = {
        let mut vm = EbpfVm::new(
            exe.get_loader().clone(),
            version,
            &mut ctx,
            buffers.stack_len,
        );
        vm.registers[1] = ebpf::MM_INPUT_START;
        vm.registers[2] = ebpf::MM_INPUT_START + data_offset as u64;
        let mut exec_mode = match mode {
            Mode::Jit => ExecutionMode::PreferJit,
            Mode::Interpreter => ExecutionMode::Interpreted,
        };
        vm.execute_program(exe, &mut exec_mode, &mut mem.call_frames)
            .1
    };
    let (stack_used, heap_used) = ctx.used();
    *accounts = std::mem::take(&mut ctx.accounts);
    drop(ctx);
    mem.stack[..stack_used.min(buffers.stack_len)].fill(0);
    mem.heap[..heap_used.min(buffers.heap_len)].fill(0);
    result
}
