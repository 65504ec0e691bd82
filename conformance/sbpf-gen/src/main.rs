//! `sbpf-gen`: differential fixtures for sBPF programs, computed by Mollusk
//! on the Agave 4.2.2 crates, in `mollusk-gen`'s format (`fixture.rs` and
//! `harness.rs` are that generator's files, included by path).
//!
//! ```text
//! sbpf-gen p-token|p-token-ix|token-2022|memo [--seed N] [--per-kind N] [--out PATH] [--check]
//! sbpf-gen program-accounts [--out PATH] [--check]
//! ```
//!
//! The same arguments write the same file, byte for byte. Baton replays it
//! in `sbpf/tests/differential.rs`, under the JIT and the interpreter.

mod ata;
mod call_tree;
#[path = "../../mollusk-gen/src/fixture.rs"]
mod fixture;
#[allow(dead_code)]
#[path = "../../mollusk-gen/src/harness.rs"]
mod harness;
mod memo;
mod node_elf;
mod ptoken;
mod token2022_cpi;
mod token2022_hook;
mod token_ix;

use std::collections::BTreeMap;
use std::process::ExitCode;

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

use conformance_gen_common::{cases_per_line, write_or_check, Flags};
use fixture::{FixtureFile, Generator, FORMAT};

const USAGE: &str =
    "usage: sbpf-gen p-token|p-token-ix|token-2022|token2022-cpi|memo|ata|call-trees|program-accounts [--seed N] [--per-kind N] [--out PATH] [--check]";

struct Args {
    suite: String,
    seed: u64,
    per_kind: usize,
    out: String,
    check: bool,
}

/// One environment per compute limit in `budgets` (Mollusk's defaults, the
/// suites' blockhash, slot 0).
fn budget_envs(budgets: &[u64]) -> Vec<fixture::Environment> {
    budgets
        .iter()
        .map(|&b| {
            harness::default_env(
                &[(harness::ENV_BLOCKHASH, harness::ENV_LAMPORTS_PER_SIGNATURE)],
                b,
                0,
            )
        })
        .collect()
}

fn parse() -> Result<Args, String> {
    let f = Flags::parse(USAGE, &["--seed", "--per-kind", "--out"])?;
    Ok(Args {
        seed: f.num("--seed", 18)?,
        per_kind: f.num("--per-kind", 600)? as usize,
        out: f.out(""),
        check: f.check,
        suite: f.suite,
    })
}

/// The file as JSON: the header pretty-printed, one case per line.
fn to_json(f: &FixtureFile) -> Result<String, serde_json::Error> {
    let mut header = f.clone();
    header.cases.clear();
    cases_per_line(&header, "cases", &f.cases)
}

fn main() -> ExitCode {
    std::env::set_var("RUST_LOG", "error");
    let args = match parse() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    if args.suite == "program-accounts" {
        return program_accounts(&args.out, args.check);
    }
    let (envs, programs, cases, dropped) = match args.suite.as_str() {
        "p-token" | "token-2022" => {
            let program = if args.suite == "p-token" {
                ptoken::P_TOKEN
            } else {
                ptoken::TOKEN_2022
            };
            let envs = ptoken::environments();
            let mut g =
                ptoken::PtokenGen::new(ChaCha8Rng::seed_from_u64(args.seed), &envs, program);
            let cases = g.generate(args.per_kind);
            (envs, ptoken::programs(&program), cases, g.dropped)
        }
        "p-token-ix" => {
            let envs = ptoken::environments();
            let mut g = token_ix::TokenIxGen::new(ChaCha8Rng::seed_from_u64(args.seed), &envs);
            let cases = g.generate(args.per_kind);
            (envs, ptoken::programs(&ptoken::P_TOKEN), cases, g.dropped)
        }
        "ata" => {
            let envs = ata::environments();
            let mut g = ata::AtaGen::new(ChaCha8Rng::seed_from_u64(args.seed), &envs);
            let cases = g.generate(args.per_kind);
            (envs, ata::programs(), cases, g.dropped)
        }
        "token2022-cpi" => {
            let elf = match suite_elf(node_elf::hook_elf(), token2022_hook::ELF_PATH, &args) {
                Ok(e) => e,
                Err(code) => return code,
            };
            let envs = token2022_cpi::environments();
            let mut g =
                token2022_cpi::CpiGen::new(ChaCha8Rng::seed_from_u64(args.seed), &envs, &elf);
            let cases = g.generate(args.per_kind);
            (envs, token2022_cpi::programs(&elf), cases, g.dropped)
        }
        "call-trees" => {
            let elf = match suite_elf(node_elf::node_elf(), call_tree::ELF_PATH, &args) {
                Ok(e) => e,
                Err(code) => return code,
            };
            let envs = call_tree::environments();
            let mut g = call_tree::TreeGen::new(ChaCha8Rng::seed_from_u64(args.seed), &envs, &elf);
            let mut cases = g.generate(args.per_kind);
            cases.extend(g.directed());
            (envs, call_tree::programs(&elf), cases, g.dropped)
        }
        "memo" => {
            let envs = memo::environments();
            let mut g = memo::MemoGen::new(ChaCha8Rng::seed_from_u64(args.seed), &envs);
            let cases = g.generate(args.per_kind);
            (envs, ptoken::programs(&memo::MEMO), cases, g.dropped)
        }
        _ => {
            eprintln!("unknown suite {}\n{USAGE}", args.suite);
            return ExitCode::from(2);
        }
    };
    let file = FixtureFile {
        format: FORMAT.into(),
        suite: args.suite.clone(),
        generator: Generator {
            name: format!("sbpf-gen {}", env!("CARGO_PKG_VERSION")),
            seed: args.seed,
            command: format!(
                "sbpf-gen {} --seed {} --per-kind {}",
                args.suite, args.seed, args.per_kind
            ),
        },
        target: harness::target(),
        programs,
        environments: envs,
        cases,
    };
    let json = match to_json(&file) {
        Ok(j) => j,
        Err(e) => {
            eprintln!("serializing: {e}");
            return ExitCode::FAILURE;
        }
    };
    if let Err(code) = write_or_check(std::path::Path::new(&args.out), json.as_bytes(), args.check)
    {
        return code;
    }
    if args.check {
        println!("{}: up to date ({} cases)", args.out, file.cases.len());
        return ExitCode::SUCCESS;
    }
    let mut per: BTreeMap<(&str, &str), usize> = BTreeMap::new();
    for c in &file.cases {
        *per.entry((c.kind.as_str(), c.expected.result.as_str()))
            .or_default() += 1;
    }
    println!(
        "{}: {} cases, {} bytes, {} regenerated after a Mollusk panic",
        args.out,
        file.cases.len(),
        json.len(),
        dropped
    );
    for ((k, r), n) in &per {
        println!("    {k:<20} {r:<40} {n:>5}");
    }
    ExitCode::SUCCESS
}

/// `program-accounts`: the program accounts Mollusk creates for each vendored
/// ELF under loaders v2 and v3, as JSON (data as its length, sha256 and first
/// 64 bytes, to keep the ELF out of the file).
fn program_accounts(out: &str, check: bool) -> ExitCode {
    let mut rows = Vec::new();
    for p in [ptoken::P_TOKEN, ptoken::TOKEN_2022, memo::MEMO] {
        for (label, key, a) in ptoken::program_accounts(&p) {
            rows.push(serde_json::json!({
                "program": p.name,
                "layout": label,
                "pubkey": key.to_string(),
                "lamports": a.lamports,
                "data_len": a.data.len(),
                "data_sha256": hex::encode(solana_sha256_hasher::hash(&a.data).to_bytes()),
                "data_prefix": hex::encode(&a.data[..a.data.len().min(64)]),
                "owner": a.owner.to_string(),
                "executable": a.executable,
                "rent_epoch": a.rent_epoch,
            }));
        }
    }
    let json = match serde_json::to_string_pretty(&serde_json::json!({
        "format": "baton-program-accounts/1",
        "generator": "sbpf-gen program-accounts (mollusk_svm::program::create_program_account_*)",
        "accounts": rows,
    })) {
        Ok(j) => j + "\n",
        Err(e) => {
            eprintln!("serializing: {e}");
            return ExitCode::FAILURE;
        }
    };
    if check {
        return match std::fs::read_to_string(out) {
            Ok(c) if c == json => ExitCode::SUCCESS,
            _ => {
                eprintln!("{out}: differs from what this generator writes");
                ExitCode::FAILURE
            }
        };
    }
    match std::fs::write(out, json) {
        Ok(()) => {
            println!("{out}: {} accounts", rows.len());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("{out}: {e}");
            ExitCode::FAILURE
        }
    }
}

/// A suite's assembled ELF, written (or with `--check`, compared) at
/// `path`, relative to the fixture file's directory.
fn suite_elf(
    assembled: Result<Vec<u8>, String>,
    path: &str,
    args: &Args,
) -> Result<Vec<u8>, ExitCode> {
    let elf = assembled.map_err(|e| {
        eprintln!("{e}");
        ExitCode::FAILURE
    })?;
    let dir = std::path::Path::new(&args.out)
        .parent()
        .unwrap_or(std::path::Path::new("."));
    write_or_check(&dir.join(path), &elf, args.check)?;
    Ok(elf)
}
