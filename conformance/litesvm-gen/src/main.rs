//! `litesvm-gen`: differential fixtures for Baton, computed by LiteSVM
//! 0.16.0 on the Agave 4.2.2 crates, and a LiteSVM throughput figure.
//!
//! ```text
//! litesvm-gen transactions [--seed N] [--scenarios N] [--steps N] [--out PATH] [--check]
//! litesvm-gen lookups      [--seed N] [--out PATH] [--check]
//! litesvm-gen alt          [--seed N] [--out PATH] [--check]
//! litesvm-gen nonce        [--seed N] [--out PATH] [--check]
//! litesvm-gen token        [--seed N] [--scenarios N] [--steps N] [--out PATH] [--check]
//! litesvm-gen bench        [--txs N] [--accounts N] [--runs N] [--seed N]
//! ```
//!
//! `--check` regenerates in memory and fails if the file at `--out` differs.
//! The same arguments write the same file, byte for byte. The format is in
//! `conformance/README.md`; Baton replays it in
//! `runtime/tests/conformance_litesvm.rs`.

/// `println!` that ignores a closed stdout (`| head`) instead of panicking.
macro_rules! say {
    ($($t:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout(), $($t)*);
    }};
}

mod alt;
mod bench;
mod build;
mod fixture;
mod harness;
mod lookups;
mod nonce;
mod token;
mod txs;

use std::collections::BTreeMap;
use std::process::ExitCode;

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

use conformance_gen_common::{write_or_check, Flags};
use fixture::{FixtureFile, Generator, Step, Target, FORMAT};

const USAGE: &str =
    "usage: litesvm-gen transactions|lookups|alt|token|nonce [--seed N] [--scenarios N] \
                     [--steps N] [--out PATH] [--check]\n       \
                     litesvm-gen bench [--txs N] [--accounts N] [--runs N] [--seed N]";

struct Args {
    suite: String,
    seed: u64,
    scenarios: Option<usize>,
    steps: usize,
    out: String,
    check: bool,
    txs: usize,
    accounts: usize,
    runs: usize,
}

fn parse() -> Result<Args, String> {
    let f = Flags::parse(
        USAGE,
        &[
            "--seed",
            "--scenarios",
            "--steps",
            "--txs",
            "--accounts",
            "--runs",
            "--out",
        ],
    )?;
    Ok(Args {
        seed: f.num("--seed", 22)?,
        scenarios: f.num_opt("--scenarios")?.map(|n| n as usize),
        steps: f.num("--steps", 24)? as usize,
        txs: f.num("--txs", 10_000)? as usize,
        accounts: f.num("--accounts", 1_000)? as usize,
        runs: f.num("--runs", 5)? as usize,
        out: f.out("litesvm-"),
        check: f.check,
        suite: f.suite,
    })
}

fn target() -> Target {
    Target {
        litesvm: "0.16.0".into(),
        agave: "4.2.2".into(),
        feature_set: "LiteSVM::new(): the features active on mainnet-beta (LiteSVM's \
                      MAINNET_ACTIVE_FEATURES)"
            .into(),
        lamports_per_signature: 5_000,
        notes: vec![
            "Every transaction is signed with Baton's genesis blockhash, which LiteSVM is \
             given as its latest blockhash (the only one it accepts)."
                .into(),
            "`fee` is the fee charged: 0 for a transaction LiteSVM did not include \
             (refused before execution)."
                .into(),
            "Accounts after a transaction: every key the message names (static, then \
             looked up), except executable accounts, sysvars and the native loader's; \
             lamports 0 means the account does not exist."
                .into(),
            "A transaction with `agave_rule` expects Agave's outcome; LiteSVM's is beside \
             it, and the generator brought LiteSVM's accounts to Agave's before the next step."
                .into(),
            "Warp steps give SlotHashes as Agave has it at that slot on a chain that \
             produced every slot (the 512 slots before it); hash of slot s = \
             sha256(\"baton slot hash\" || s as u64 LE), Baton's stand-in."
                .into(),
        ],
    }
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
    let mut rng = ChaCha8Rng::seed_from_u64(args.seed);
    let (scenarios, programs, command) = match args.suite.as_str() {
        "transactions" => {
            let n = args.scenarios.unwrap_or(40);
            (
                txs::scenarios(&mut rng, n, args.steps),
                Vec::new(),
                format!(
                    "litesvm-gen transactions --seed {} --scenarios {n} --steps {}",
                    args.seed, args.steps
                ),
            )
        }
        "token" => {
            let n = args.scenarios.unwrap_or(10);
            (
                token::scenarios(&mut rng, n, args.steps),
                token::programs(),
                format!(
                    "litesvm-gen token --seed {} --scenarios {n} --steps {}",
                    args.seed, args.steps
                ),
            )
        }
        "lookups" => (
            lookups::scenarios(&mut rng),
            Vec::new(),
            format!("litesvm-gen lookups --seed {}", args.seed),
        ),
        "nonce" => (
            nonce::scenarios(&mut rng),
            Vec::new(),
            format!("litesvm-gen nonce --seed {}", args.seed),
        ),
        "alt" => (
            alt::scenarios(&mut rng),
            alt::programs(),
            format!("litesvm-gen alt --seed {}", args.seed),
        ),
        "bench" => return bench::run(args.txs, args.accounts, args.runs, args.seed),
        other => {
            eprintln!("unknown suite {other}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let file = FixtureFile {
        format: FORMAT.into(),
        suite: args.suite.clone(),
        generator: Generator {
            name: format!("litesvm-gen {}", env!("CARGO_PKG_VERSION")),
            seed: args.seed,
            command,
        },
        target: target(),
        programs,
        scenarios,
    };
    let json = match fixture::to_json(&file) {
        Ok(j) => j,
        Err(e) => {
            eprintln!("serializing: {e}");
            return ExitCode::FAILURE;
        }
    };
    let txs: Vec<&fixture::TxCase> = file
        .scenarios
        .iter()
        .flat_map(|s| s.steps.iter())
        .filter_map(|st| match st {
            Step::Tx(t) => Some(&**t),
            Step::Warp { .. } => None,
        })
        .collect();
    if let Err(code) = write_or_check(std::path::Path::new(&args.out), json.as_bytes(), args.check)
    {
        return code;
    }
    if args.check {
        say!("{}: up to date ({} transactions)", args.out, txs.len());
        return ExitCode::SUCCESS;
    }
    let mut per: BTreeMap<String, usize> = BTreeMap::new();
    for t in &txs {
        let status = t
            .expected
            .status
            .split(['(', ' '])
            .next()
            .unwrap_or("")
            .to_string();
        *per.entry(status).or_default() += 1;
    }
    let marked = txs.iter().filter(|t| t.agave_rule.is_some()).count();
    say!(
        "{}: {} scenarios, {} transactions ({} marked with Agave's rule), {} bytes",
        args.out,
        file.scenarios.len(),
        txs.len(),
        marked,
        json.len()
    );
    for (s, n) in &per {
        say!("  {s:<40} {n:>5}");
    }
    ExitCode::SUCCESS
}
