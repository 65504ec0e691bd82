//! The short fuzz run of the sBPF targets: their committed seeds
//! (`fuzz/seeds/sbpf_*`), then seeded random and mutated inputs, through
//! the functions the cargo-fuzz targets call.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::PathBuf;

use baton_fuzz_support::sbpf::{sbpf_elf, sbpf_syscalls, sbpf_syscalls_program};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

fn seed_dir(target: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../fuzz/seeds")
        .join(target)
}

fn seeds(target: &str) -> Vec<Vec<u8>> {
    let dir = seed_dir(target);
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .collect();
    paths.sort();
    assert!(!paths.is_empty(), "no seeds in {}", dir.display());
    paths.iter().map(|p| std::fs::read(p).unwrap()).collect()
}

/// Flip, set, insert, delete and truncate bytes.
fn mutate(rng: &mut ChaCha8Rng, seed: &[u8]) -> Vec<u8> {
    let mut v = seed.to_vec();
    for _ in 0..rng.gen_range(1..6) {
        let n = v.len();
        match rng.gen_range(0..5) {
            0 if n > 0 => {
                let i = rng.gen_range(0..n);
                v[i] ^= 1 << rng.gen_range(0..8);
            }
            1 if n > 0 => {
                let i = rng.gen_range(0..n);
                v[i] = [0u8, 1, 0x7f, 0x80, 0xff][rng.gen_range(0..5)];
            }
            2 => {
                let i = rng.gen_range(0..=n);
                v.insert(i, rng.gen());
            }
            3 if n > 0 => {
                let i = rng.gen_range(0..n);
                let j = rng.gen_range(i..=n.min(i + 8));
                v.drain(i..j);
            }
            _ => {
                let i = rng.gen_range(n / 2..=n);
                v.truncate(i);
            }
        }
    }
    v
}

#[test]
fn sbpf_elf_seeds_and_mutations() {
    let corpus = seeds("sbpf_elf");
    for s in &corpus {
        sbpf_elf(s);
    }
    let mut rng = ChaCha8Rng::seed_from_u64(0x5BF0);
    for _ in 0..40 {
        let s = &corpus[rng.gen_range(0..corpus.len())];
        sbpf_elf(&mutate(&mut rng, s));
    }
    for _ in 0..200 {
        let len = rng.gen_range(0..200);
        let mut v: Vec<u8> = (0..len).map(|_| rng.gen()).collect();
        if v.len() >= 4 {
            v[..4].copy_from_slice(b"\x7fELF");
        }
        sbpf_elf(&v);
    }
}

#[test]
fn sbpf_syscalls_seeds_and_random_programs() {
    for s in &seeds("sbpf_syscalls") {
        sbpf_syscalls(s);
    }
    let mut rng = ChaCha8Rng::seed_from_u64(0x5BF1);
    for _ in 0..300 {
        let len = rng.gen_range(0..72);
        let v: Vec<u8> = (0..len).map(|_| rng.gen()).collect();
        sbpf_syscalls(&v);
    }
}

#[test]
fn syscall_programs_are_built_from_six_byte_records() {
    let src = sbpf_syscalls_program(&[2, 0, 1, 2, 3, 4, 9]);
    assert_eq!(src.matches("syscall ").count(), 1);
    assert!(src.contains("syscall sol_log_\n"), "{src}");
}

/// Regenerate the syscall seeds:
/// `cargo test -p baton-fuzz-support --test sbpf_replay -- --ignored write_sbpf_seeds`.
#[test]
#[ignore]
fn write_sbpf_seeds() {
    let dir = seed_dir("sbpf_syscalls");
    std::fs::create_dir_all(&dir).unwrap();
    let mut rng = ChaCha8Rng::seed_from_u64(18);
    for n in 0..8 {
        let len = 6 * rng.gen_range(1..12);
        let v: Vec<u8> = (0..len).map(|_| rng.gen()).collect();
        std::fs::write(dir.join(format!("calls-{n:02}")), v).unwrap();
    }
}
