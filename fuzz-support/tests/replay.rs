//! The short fuzz run of CI: every committed seed of every target
//! (`fuzz/seeds/<target>/`), then seeded random and mutated inputs,
//! through the same functions the cargo-fuzz targets call.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::PathBuf;

use baton_fuzz_support as fz;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

fn seeds(target: &str) -> Vec<Vec<u8>> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../fuzz/seeds")
        .join(target);
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .collect();
    paths.sort();
    assert!(!paths.is_empty(), "no seeds in {}", dir.display());
    paths.iter().map(|p| std::fs::read(p).unwrap()).collect()
}

/// libFuzzer-style mutations: flip, set, insert and delete bytes, splice.
fn mutate(rng: &mut ChaCha8Rng, seed: &[u8], other: &[u8]) -> Vec<u8> {
    let mut v = seed.to_vec();
    for _ in 0..rng.gen_range(1..5) {
        let n = v.len();
        match rng.gen_range(0..6) {
            0 if n > 0 => {
                let i = rng.gen_range(0..n);
                v[i] ^= 1 << rng.gen_range(0..8);
            }
            1 if n > 0 => {
                let i = rng.gen_range(0..n);
                v[i] = *[0u8, 1, 0x7f, 0x80, 0xff].get(rng.gen_range(0..5)).unwrap();
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
            4 if !other.is_empty() => {
                let i = rng.gen_range(0..=n);
                let a = rng.gen_range(0..other.len());
                let b = rng.gen_range(a..=other.len().min(a + 32));
                v.splice(i..i, other[a..b].iter().copied());
            }
            _ => {
                let i = rng.gen_range(0..=n);
                v.truncate(i);
            }
        }
    }
    v
}

fn run(target: &str, f: fn(&[u8]), random: usize, mutated: usize, max_len: usize) {
    fz::install_panic_filter();
    let corpus = seeds(target);
    for s in &corpus {
        f(s);
    }
    let mut rng = ChaCha8Rng::seed_from_u64(0xBA70 ^ target.len() as u64);
    for _ in 0..random {
        let len = rng.gen_range(0..max_len);
        let v: Vec<u8> = (0..len).map(|_| rng.gen()).collect();
        f(&v);
    }
    for _ in 0..mutated {
        let a = &corpus[rng.gen_range(0..corpus.len())];
        let b = &corpus[rng.gen_range(0..corpus.len())];
        f(&mutate(&mut rng, a, b));
    }
}

#[test]
fn decode_seeds_and_mutations() {
    run("decode", fz::decode, 2_000, 3_000, 300);
}

#[test]
fn scenario_seeds_and_mutations() {
    run("scenario", fz::scenario, 200, 600, 200);
}

#[test]
fn call_tree_seeds_and_mutations() {
    run("call_tree", fz::call_tree, 1_500, 1_500, 200);
}

/// Regenerate the generated seeds of `decode` and `call_tree` (the
/// scenario seeds are copies of files in `scenarios/`):
/// `cargo test -p baton-fuzz-support --test replay -- --ignored write_seeds`.
#[test]
#[ignore]
fn write_seeds() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../fuzz/seeds");
    let mut rng = ChaCha8Rng::seed_from_u64(7);
    let ct = root.join("call_tree");
    let dc = root.join("decode");
    std::fs::create_dir_all(&ct).unwrap();
    std::fs::create_dir_all(&dc).unwrap();
    let mut written = 0;
    let mut n = 0;
    while written < 16 {
        n += 1;
        let len = rng.gen_range(24..160);
        let v: Vec<u8> = (0..len).map(|_| rng.gen()).collect();
        let txs = fz::call_tree_batch(&v);
        // Keep batches whose transactions reach execution.
        if txs.iter().all(|t| t.message.instructions.len() < 2) && n % 3 != 0 {
            continue;
        }
        std::fs::write(ct.join(format!("tree-{written:02}")), &v).unwrap();
        let tx = &txs[0];
        std::fs::write(dc.join(format!("tx-{written:02}")), tx.to_bytes()).unwrap();
        if written % 4 == 0 {
            std::fs::write(dc.join(format!("msg-{written:02}")), tx.message.serialize()).unwrap();
        }
        written += 1;
    }
    let payer = baton::Pubkey::new_from_u64(1);
    let ix = baton::system::instruction::transfer(&payer, &baton::Pubkey::new_from_u64(2), 42);
    let m = baton::Message::new_with_blockhash(&[ix], Some(&payer), &baton::genesis_blockhash());
    let tx = baton::Transaction::new_unsigned(m);
    std::fs::write(dc.join("system-transfer"), tx.to_bytes()).unwrap();
    std::fs::write(dc.join("shortvec-max"), [0xff, 0xff, 0x03]).unwrap();
    // v0: without lookups, and loading from two tables (writable and
    // read-only entries); the message alone, and one cut inside its lookups.
    let recipients = [
        baton::Pubkey::new_from_u64(3),
        baton::Pubkey::new_from_u64(4),
    ];
    let ixs = [
        baton::system::instruction::transfer(&payer, &recipients[0], 42),
        baton::Instruction::new_with_bytes(
            baton::Pubkey::new_from_u64(9),
            &[1, 2, 3],
            vec![baton::AccountMeta::new_readonly(recipients[1], false)],
        ),
    ];
    let tables = [
        baton::types::AddressLookupTableAccount {
            key: baton::Pubkey::new_from_u64(77),
            addresses: vec![recipients[0]],
        },
        baton::types::AddressLookupTableAccount {
            key: baton::Pubkey::new_from_u64(78),
            addresses: vec![baton::Pubkey::new_from_u64(5), recipients[1]],
        },
    ];
    let bh = baton::genesis_blockhash();
    let plain = baton::Message::try_compile_v0(&payer, &ixs[..1], &[], &bh).unwrap();
    let looked = baton::Message::try_compile_v0(&payer, &ixs, &tables, &bh).unwrap();
    assert_eq!(looked.address_table_lookups.len(), 2);
    let v0 = baton::Transaction::new_unsigned(plain);
    std::fs::write(dc.join("v0-plain"), v0.to_bytes()).unwrap();
    let v0 = baton::Transaction::new_unsigned(looked);
    std::fs::write(dc.join("v0-lookups"), v0.to_bytes()).unwrap();
    let msg = v0.message.serialize();
    std::fs::write(dc.join("v0-lookups-msg"), &msg).unwrap();
    std::fs::write(dc.join("v0-lookups-cut"), &msg[..msg.len() - 3]).unwrap();
}

/// Scenario files whose counts asked for more memory or threads than any
/// machine has (found while fuzzing `scenario`: the process died of an
/// allocation failure, or hung spawning a million threads) are refused as
/// invalid, quickly, before anything is built.
#[test]
fn oversized_scenario_counts_are_invalid() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../fuzz/seeds/scenario");
    for name in [
        "regress-oom-zeroes.toml",
        "regress-oom-meta-repeat.toml",
        "regress-oom-nested-repeat.toml",
        "regress-hang-threads.toml",
    ] {
        let src = std::fs::read_to_string(dir.join(name)).unwrap();
        let started = std::time::Instant::now();
        let err = baton_scenario::parse(&src, name)
            .err()
            .unwrap_or_else(|| panic!("{name} parsed"));
        assert_eq!(
            err.kind,
            baton_scenario::ErrorKind::Invalid,
            "{name}: {err}"
        );
        assert!(
            started.elapsed().as_secs() < 5,
            "{name}: {:?}",
            started.elapsed()
        );
        fz::scenario(src.as_bytes());
    }
}
