//! `mollusk-gen`: differential fixtures for Baton, computed by Mollusk on the
//! Agave 4.2.2 crates.
//!
//! ```text
//! mollusk-gen system [--seed N] [--per-kind N] [--invalid N] [--out PATH] [--check]
//! ```
//!
//! `--check` regenerates in memory and fails if the file at `--out` differs.
//!
//! The same arguments write the same file, byte for byte. The format is in
//! `conformance/README.md`; the Baton side replays it in
//! `runtime/tests/conformance_system.rs`.

mod fixture;
mod harness;
mod system;

use std::collections::BTreeMap;
use std::process::ExitCode;

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

use conformance_gen_common::{cases_per_line, write_or_check, Flags};
use fixture::{FixtureFile, Generator, FORMAT};

const USAGE: &str =
    "usage: mollusk-gen system [--seed N] [--per-kind N] [--invalid N] [--out PATH]";

struct Args {
    suite: String,
    seed: u64,
    per_kind: usize,
    invalid: usize,
    out: String,
    /// Compare with the file at `out` instead of writing it.
    check: bool,
}

fn parse() -> Result<Args, String> {
    let f = Flags::parse(USAGE, &["--seed", "--per-kind", "--invalid", "--out"])?;
    Ok(Args {
        seed: f.num("--seed", 17)?,
        per_kind: f.num("--per-kind", 225)? as usize,
        invalid: f.num("--invalid", 150)? as usize,
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
    // Mollusk installs a logger at debug level unless RUST_LOG says otherwise.
    std::env::set_var("RUST_LOG", "error");
    let args = match parse() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    if args.suite != "system" {
        eprintln!("unknown suite {}\n{USAGE}", args.suite);
        return ExitCode::from(2);
    }
    let envs = system::environments();
    let mut g = system::SystemGen::new(ChaCha8Rng::seed_from_u64(args.seed), &envs);
    let cases = g.generate(args.per_kind, args.invalid);
    let file = FixtureFile {
        format: FORMAT.into(),
        suite: args.suite.clone(),
        generator: Generator {
            name: format!("mollusk-gen {}", env!("CARGO_PKG_VERSION")),
            seed: args.seed,
            command: format!(
                "mollusk-gen system --seed {} --per-kind {} --invalid {}",
                args.seed, args.per_kind, args.invalid
            ),
        },
        target: harness::target(),
        programs: system::programs(),
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
    // A summary: cases per kind and per result.
    let mut per: BTreeMap<(&str, &str), usize> = BTreeMap::new();
    for c in &file.cases {
        *per.entry((c.kind.as_str(), c.expected.result.as_str()))
            .or_default() += 1;
    }
    let mut kinds: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    for ((k, r), n) in &per {
        let e = kinds.entry(k).or_default();
        e.0 += n;
        if *r == "Ok" {
            e.1 += n;
        }
    }
    println!(
        "{}: {} cases, {} bytes, {} regenerated after a Mollusk panic",
        args.out,
        file.cases.len(),
        json.len(),
        g.dropped
    );
    for (k, (n, ok)) in &kinds {
        println!("  {k:<28} {n:>5} cases, {ok:>4} Ok");
    }
    for ((k, r), n) in &per {
        println!("    {k:<28} {r:<36} {n:>5}");
    }
    ExitCode::SUCCESS
}
