//! The assembled test programs — the call-tree node (`asm/node.s`) and the
//! transfer hook (`asm/hook.s`) — assembled with the
//! solana-sbpf of Agave 4.2.2 as SBPF v3 and wrapped in the smallest ELF
//! the strict (SIMD-0189) loader accepts: a file header and one executable
//! program header at the bytecode address, then the bytecode. No sections,
//! no relocations: v3 calls syscalls statically (by the name's hash).

use std::sync::Arc;

use solana_sbpf::{ebpf, elf::Executable, program::BuiltinProgram, verifier::RequisiteVerifier};

use crate::harness;

/// The node's assembly text, `#` comments and all.
pub const NODE_ASM: &str = include_str!("../asm/node.s");
/// The hook's.
pub const HOOK_ASM: &str = include_str!("../asm/hook.s");

/// The text without its `#` comments (the assembler has no comment syntax).
fn strip_comments(text: &str) -> String {
    text.lines()
        .map(|l| l.split('#').next().unwrap_or(""))
        .collect::<Vec<_>>()
        .join("\n")
}

/// `asm/node.s` as an SBPF v3 ELF, verified by Agave's loader.
pub fn node_elf() -> Result<Vec<u8>, String> {
    assemble_v3("asm/node.s", NODE_ASM)
}

/// `asm/hook.s` as an SBPF v3 ELF, verified by Agave's loader.
pub fn hook_elf() -> Result<Vec<u8>, String> {
    assemble_v3("asm/hook.s", HOOK_ASM)
}

/// `text` (named `name` in errors) as an SBPF v3 ELF, verified.
fn assemble_v3(name: &str, text: &str) -> Result<Vec<u8>, String> {
    let budget = mollusk_svm::Mollusk::default().compute_budget.to_budget();
    let env = solana_syscalls::create_program_runtime_environment(
        &harness::target_feature_set(),
        &budget,
        false,
        false,
    )
    .map_err(|e| format!("runtime environment: {e}"))?;
    // A loader of the same config and syscalls, owned (the environment
    // keeps its Arc to itself).
    let mut loader = BuiltinProgram::new_loader(env.get_config().clone());
    for (_, (name, f)) in env.get_function_registry().iter() {
        let name = std::str::from_utf8(name).map_err(|e| format!("syscall name: {e}"))?;
        loader
            .register_function(name, f)
            .map_err(|e| format!("syscall {name}: {e}"))?;
    }
    let loader = Arc::new(loader);
    let exe = solana_sbpf::assembler::assemble(&strip_comments(text), Arc::clone(&loader))
        .map_err(|e| format!("{name}: {e}"))?;
    let (_, text) = exe.get_text_bytes();
    let elf = wrap_v3(text);
    // Load it back as the program cache will, and verify it.
    let back = Executable::load(&elf, loader).map_err(|e| format!("{name} as ELF: {e}"))?;
    back.verify::<RequisiteVerifier>()
        .map_err(|e| format!("{name} as ELF, verification: {e}"))?;
    Ok(elf)
}

/// An SBPF v3 ELF holding `text` as its bytecode, entry at its start.
fn wrap_v3(text: &[u8]) -> Vec<u8> {
    const EHDR: u64 = 64;
    const PHDR: u64 = 56;
    let vaddr = ebpf::MM_BYTECODE_START;
    let mut e = Vec::with_capacity(120 + text.len());
    e.extend_from_slice(&[0x7f, b'E', b'L', b'F', 2, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    e.extend_from_slice(&3u16.to_le_bytes()); // e_type: ET_DYN
    e.extend_from_slice(&247u16.to_le_bytes()); // e_machine: EM_BPF
    e.extend_from_slice(&1u32.to_le_bytes()); // e_version
    e.extend_from_slice(&vaddr.to_le_bytes()); // e_entry
    e.extend_from_slice(&EHDR.to_le_bytes()); // e_phoff
    e.extend_from_slice(&0u64.to_le_bytes()); // e_shoff
    e.extend_from_slice(&3u32.to_le_bytes()); // e_flags: SBPF v3
    e.extend_from_slice(&(EHDR as u16).to_le_bytes()); // e_ehsize
    e.extend_from_slice(&(PHDR as u16).to_le_bytes()); // e_phentsize
    e.extend_from_slice(&1u16.to_le_bytes()); // e_phnum
    e.extend_from_slice(&64u16.to_le_bytes()); // e_shentsize
    e.extend_from_slice(&0u16.to_le_bytes()); // e_shnum
    e.extend_from_slice(&0u16.to_le_bytes()); // e_shstrndx
    e.extend_from_slice(&1u32.to_le_bytes()); // p_type: PT_LOAD
    e.extend_from_slice(&1u32.to_le_bytes()); // p_flags: PF_X
    e.extend_from_slice(&(EHDR + PHDR).to_le_bytes()); // p_offset
    e.extend_from_slice(&vaddr.to_le_bytes()); // p_vaddr
    e.extend_from_slice(&vaddr.to_le_bytes()); // p_paddr
    e.extend_from_slice(&(text.len() as u64).to_le_bytes()); // p_filesz
    e.extend_from_slice(&(text.len() as u64).to_le_bytes()); // p_memsz
    e.extend_from_slice(&8u64.to_le_bytes()); // p_align
    e.extend_from_slice(text);
    e
}
