//! The vendored ELFs: provenance (sha256 of `elf/SOURCES.md`), loading with
//! the deployment checks, verification and JIT compilation; broken ELFs are
//! refused with an error that says why.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use baton_sbpf::{LoadError, Mode, SbpfCtx, SbpfProgram};
use common::*;
use sha2::Digest;
use solana_sbpf::elf::Executable;

#[test]
fn executables_can_be_shared_between_threads() {
    fn send_sync<T: Send + Sync>() {}
    send_sync::<Executable<SbpfCtx>>();
    send_sync::<SbpfProgram>();
}

#[test]
fn vendored_elfs_match_sources_md() {
    let sources = include_str!("../elf/SOURCES.md");
    for (name, elf) in [
        ("token.so", TOKEN_ELF),
        ("token_2022.so", TOKEN_2022_ELF),
        ("memo.so", MEMO_ELF),
        ("associated_token.so", ATA_ELF),
    ] {
        let hash = hex(&sha2::Sha256::digest(elf));
        let row = sources
            .lines()
            .find(|l| l.starts_with(&format!("| `{name}`")))
            .unwrap_or_else(|| panic!("{name} listed"));
        assert!(row.contains(&hash), "{name}: sha256 {hash} not in {row}");
        assert!(row.contains(&format!("| {} |", elf.len())), "{name}: size");
    }
}

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

#[test]
fn v2_and_v3_elfs_load_verify_and_jit_compile() {
    // p-token, ATA and Memo are loader-v2 programs on mainnet, token-2022 a
    // loader-v3 one; all are SBPF v0 and pass the deployment checks.
    for elf in [TOKEN_ELF, ATA_ELF, MEMO_ELF, TOKEN_2022_ELF] {
        let p = SbpfProgram::load(elf).expect("loads");
        assert_eq!(
            p.executable().get_sbpf_version(),
            solana_sbpf::program::SBPFVersion::V0
        );
        #[cfg(all(not(target_os = "windows"), target_arch = "x86_64"))]
        assert!(p.is_jit_compiled());
        let i = SbpfProgram::load_with_mode(elf, Mode::Interpreter).expect("loads");
        assert!(!i.is_jit_compiled());
    }
}

#[test]
fn truncated_and_garbage_elfs_are_refused() {
    for bad in [
        &TOKEN_ELF[..TOKEN_ELF.len() / 2],
        &TOKEN_ELF[..64],
        b"not an elf" as &[u8],
        &[],
    ] {
        match SbpfProgram::load(bad) {
            Err(LoadError::Elf(msg)) => assert!(!msg.is_empty()),
            other => panic!("expected an ELF error, got {other:?}"),
        }
    }
}

#[test]
fn corrupted_bytecode_fails_verification_or_loading() {
    // Overwrite the first instructions of the text section with an invalid
    // opcode (0xff): the verifier refuses it.
    let mut elf = TOKEN_ELF.to_vec();
    let exe = SbpfProgram::load(TOKEN_ELF).unwrap();
    let text = exe.executable().get_text_bytes().1.to_vec();
    let at = elf
        .windows(64)
        .position(|w| w == &text[..64])
        .expect("text found in the file");
    for b in &mut elf[at..at + 8] {
        *b = 0xff;
    }
    assert!(matches!(
        SbpfProgram::load(&elf),
        Err(LoadError::Verify(_) | LoadError::Elf(_))
    ));
}

#[test]
fn an_elf_importing_sol_alloc_free_is_refused_at_deploy_but_runs_once_deployed() {
    // Memo v1 imports `sol_alloc_free_`, which Agave's deployment
    // environment no longer registers.
    const MEMO_V1: &[u8] = include_bytes!("../elf/memo-v1.so");
    match SbpfProgram::load(MEMO_V1) {
        Err(LoadError::Elf(msg)) => assert!(msg.contains("nresolved"), "{msg}"),
        other => panic!("expected an unresolved symbol, got {other:?}"),
    }
    assert!(SbpfProgram::load_deployed(MEMO_V1, Mode::Jit).is_ok());
}
