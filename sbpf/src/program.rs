//! [`SbpfProgram`]: a loaded, verified, JIT-compiled ELF that runs as a
//! Baton [`Program`].

use std::cell::RefCell;
use std::sync::{Arc, OnceLock};

use baton_executor::{InvokeContext, Program};
use baton_types::InstructionError;
use smallvec::SmallVec;
use solana_sbpf::elf::Executable;
use solana_sbpf::error::{EbpfError, StableResult};
use solana_sbpf::program::{BuiltinProgram, SBPFVersion};
use solana_sbpf::verifier::RequisiteVerifier;
use solana_sbpf::vm::CallFrame;

use crate::error::{instruction_error_from_u64, LoadError, SyscallError};
use crate::profile::COPY_PROFILE;
use crate::serialize::{deserialize, serialize, SerializedAccount};
use crate::syscalls;
use crate::vm::{self, FrameMemory, Mode, SbpfCtx};

type Loader = Arc<BuiltinProgram<SbpfCtx>>;

fn make_loader(deploy: bool) -> Result<Loader, String> {
    let mut loader = BuiltinProgram::new_loader(COPY_PROFILE.vm_config(deploy));
    syscalls::register(&mut loader, deploy).map_err(|e| e.to_string())?;
    Ok(Arc::new(loader))
}

/// The loader (configuration and syscalls) programs run under; with
/// `deploy`, the stricter one ELFs are checked with at deployment.
fn loader(deploy: bool) -> Result<Loader, LoadError> {
    static RUN: OnceLock<Result<Loader, String>> = OnceLock::new();
    static DEPLOY: OnceLock<Result<Loader, String>> = OnceLock::new();
    let cell = if deploy { &DEPLOY } else { &RUN };
    cell.get_or_init(|| make_loader(deploy))
        .clone()
        .map_err(LoadError::Elf)
}

/// The loader of assembled programs: the execution settings, but SBPF v0
/// only, since the assembler emits the highest version its loader enables.
fn assembly_loader() -> Result<Loader, LoadError> {
    static ASM: OnceLock<Result<Loader, String>> = OnceLock::new();
    ASM.get_or_init(|| {
        let mut config = COPY_PROFILE.vm_config(false);
        config.enabled_sbpf_versions = SBPFVersion::V0..=SBPFVersion::V0;
        let mut loader = BuiltinProgram::new_loader(config);
        syscalls::register(&mut loader, false).map_err(|e| e.to_string())?;
        Ok(Arc::new(loader))
    })
    .clone()
    .map_err(LoadError::Elf)
}

/// A real Solana program: an sBPF ELF, loaded and verified once (and
/// JIT-compiled where the JIT exists), run for each instruction addressed
/// to it. Cloning shares the compiled program.
#[derive(Clone)]
pub struct SbpfProgram {
    exe: Arc<Executable<SbpfCtx>>,
    mode: Mode,
}

impl std::fmt::Debug for SbpfProgram {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SbpfProgram")
            .field("sbpf_version", &self.exe.get_sbpf_version())
            .field("mode", &self.mode)
            .finish()
    }
}

fn load_verified(elf: &[u8], deploy: bool) -> Result<Executable<SbpfCtx>, LoadError> {
    let exe = Executable::load(elf, loader(deploy)?).map_err(|e| LoadError::Elf(e.to_string()))?;
    exe.verify::<RequisiteVerifier>()
        .map_err(|e| LoadError::Verify(e.to_string()))?;
    Ok(exe)
}

impl SbpfProgram {
    /// Check `elf` with the deployment settings (broken ELFs refused), then
    /// load it with the execution settings and JIT-compile it.
    pub fn load(elf: &[u8]) -> Result<Self, LoadError> {
        Self::load_with_mode(elf, Mode::Jit)
    }

    /// [`Self::load`], running in `mode`. The interpreter mode skips the JIT
    /// compilation. The executable loaded with the deployment settings is
    /// the one that runs: the settings differ only in what loading accepts.
    pub fn load_with_mode(elf: &[u8], mode: Mode) -> Result<Self, LoadError> {
        Self::compile(load_verified(elf, true)?, mode)
    }

    /// Load an ELF that was deployed before (so checked then) with the
    /// execution settings, as Agave's program cache does: ELFs that loaders
    /// accepted before today's checks still run.
    pub fn load_deployed(elf: &[u8], mode: Mode) -> Result<Self, LoadError> {
        Self::compile(load_verified(elf, false)?, mode)
    }

    fn compile(exe: Executable<SbpfCtx>, mode: Mode) -> Result<Self, LoadError> {
        #[cfg(all(not(target_os = "windows"), target_arch = "x86_64"))]
        if mode == Mode::Jit {
            exe.jit_compile()
                .map_err(|e| LoadError::Jit(e.to_string()))?;
        }
        Ok(Self {
            exe: Arc::new(exe),
            mode,
        })
    }

    /// A program from sBPF assembly text (SBPF v0, as every mainnet ELF),
    /// verified and, in JIT mode, compiled: for tests and fuzzing of the
    /// syscalls with hand-written programs. Syscalls are called as
    /// `syscall sol_log_`.
    pub fn from_assembly(src: &str, mode: Mode) -> Result<Self, LoadError> {
        let exe =
            solana_sbpf::assembler::assemble(src, assembly_loader()?).map_err(LoadError::Elf)?;
        exe.verify::<RequisiteVerifier>()
            .map_err(|e| LoadError::Verify(e.to_string()))?;
        #[cfg(all(not(target_os = "windows"), target_arch = "x86_64"))]
        if mode == Mode::Jit {
            exe.jit_compile()
                .map_err(|e| LoadError::Jit(e.to_string()))?;
        }
        Ok(Self {
            exe: Arc::new(exe),
            mode,
        })
    }

    /// The same program run in `mode`, sharing the loaded executable (the
    /// JIT mode needs a program loaded in that mode, or it interprets).
    pub fn with_mode(&self, mode: Mode) -> Self {
        Self {
            exe: self.exe.clone(),
            mode,
        }
    }

    /// The mode it runs in.
    pub fn mode(&self) -> Mode {
        self.mode
    }

    /// Whether JIT-compiled code exists for it.
    pub fn is_jit_compiled(&self) -> bool {
        self.exe.get_compiled_program().is_some()
    }

    /// The loaded executable.
    pub fn executable(&self) -> &Executable<SbpfCtx> {
        &self.exe
    }
}

/// One frame's reusable memory and its serialized-account table.
struct Frame {
    mem: FrameMemory,
    accounts: SmallVec<[SerializedAccount; 8]>,
}

impl Frame {
    fn new() -> Self {
        let p = &COPY_PROFILE;
        Self {
            mem: FrameMemory {
                stack: vec![0; p.stack_size()],
                heap: vec![0; p.heap_size],
                input: Vec::new(),
                call_frames: vec![CallFrame::default(); p.max_call_depth],
            },
            accounts: SmallVec::new(),
        }
    }
}

thread_local! {
    /// Frames free for reuse on this thread. A nested sBPF frame (a CPI)
    /// takes another, so no frame's memory is shared while in use.
    static FRAMES: RefCell<Vec<Frame>> = const { RefCell::new(Vec::new()) };
}

fn take_frame() -> Frame {
    FRAMES
        .with(|f| f.borrow_mut().pop())
        .unwrap_or_else(Frame::new)
}

fn return_frame(frame: Frame) {
    FRAMES.with(|f| f.borrow_mut().push(frame));
}

impl Program for SbpfProgram {
    fn process(&self, ctx: &InvokeContext<'_>, data: &[u8]) -> Result<(), InstructionError> {
        let mut frame = take_frame();
        let result = self.run_frame(&mut frame, ctx, data);
        return_frame(frame);
        result
    }

    fn logs_return_data(&self) -> bool {
        true
    }
}

/// Units charged for a heap of `heap_size` bytes: 8 per 32 KiB page past
/// the first, rounding up (Agave's `calculate_heap_cost`).
pub fn heap_cost(heap_size: u32) -> u64 {
    const PAGE: u64 = 32 * 1024;
    const HEAP_COST: u64 = 8;
    u64::from(heap_size)
        .saturating_add(PAGE - 1)
        .div_euclid(PAGE)
        .saturating_sub(1)
        .saturating_mul(HEAP_COST)
}

impl SbpfProgram {
    fn run_frame(
        &self,
        frame: &mut Frame,
        ctx: &InvokeContext<'_>,
        data: &[u8],
    ) -> Result<(), InstructionError> {
        let mem = &mut frame.mem;
        let data_offset = serialize(ctx, data, &mut mem.input, &mut frame.accounts)?;
        // The heap the transaction requested (32 KiB unless it asked for
        // more), charged as Agave charges it when it creates the VM. The
        // buffer is all zero beyond what earlier runs left, so resizing it
        // keeps the memory deterministic.
        let heap_size = ctx.heap_size();
        if let Err(e) = ctx.consume_checked(heap_cost(heap_size)) {
            if ctx.log_enabled() {
                ctx.log_line(format!("Failed to create SBF VM: {e}"));
            }
            return Err(InstructionError::ProgramEnvironmentSetupFailure);
        }
        mem.heap.resize(heap_size as usize, 0);
        let result = vm::run(
            &self.exe,
            self.mode,
            ctx,
            mem,
            &mut frame.accounts,
            data_offset,
        );
        match result {
            StableResult::Ok(0) => deserialize(ctx, &mem.input, &frame.accounts),
            StableResult::Ok(code) => Err(instruction_error_from_u64(code)),
            StableResult::Err(EbpfError::SyscallError(e)) => {
                match e.downcast_ref::<SyscallError>() {
                    Some(SyscallError::Instruction(ie)) => Err(*ie),
                    _ => {
                        if ctx.log_enabled() {
                            ctx.set_failure_log(e.to_string());
                        }
                        Err(InstructionError::ProgramFailedToComplete)
                    }
                }
            }
            StableResult::Err(e) => {
                // A VM fault depletes the meter (`deplete_cu_meter_on_vm_failure`),
                // after the `consumed` line shows what the program used.
                ctx.deplete_meter_after_log();
                if ctx.log_enabled() {
                    ctx.set_failure_log(vm::fault_message(&e, mem, vm::stack_gapped(&self.exe)));
                }
                Err(InstructionError::ProgramFailedToComplete)
            }
        }
    }
}
