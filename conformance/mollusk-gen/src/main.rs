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
    let mut it = std::env::args().skip(1);
    let suite = it.next().ok_or(USAGE)?;
    let mut a = Args {
        suite,
        seed: 17,
        per_kind: 225,
        invalid: 150,
        out: String::new(),
        check: false,
    };
    while let Some(flag) = it.next() {
        if flag == "--check" {
            a.check = true;
            continue;
        }
        let v = it.next().ok_or(format!("{flag} needs a value\n{USAGE}"))?;
        let num = || v.parse::<u64>().map_err(|e| format!("{flag} {v}: {e}"));
        match flag.as_str() {
            "--seed" => a.seed = num()?,
            "--per-kind" => a.per_kind = num()? as usize,
            "--invalid" => a.invalid = num()? as usize,
            "--out" => a.out = v.clone(),
            _ => return Err(format!("unknown flag {flag}\n{USAGE}")),
        }
    }
    if a.out.is_empty() {
        a.out = format!("conformance/fixtures/{}.json", a.suite);
    }
    Ok(a)
}

/// The file as JSON: the header pretty-printed, one case per line.
fn to_json(f: &FixtureFile) -> Result<String, serde_json::Error> {
    let mut header = f.clone();
    header.cases.clear();
    let head = serde_json::to_string_pretty(&header)?;
    // Drop the empty `"cases": []` and the closing brace, then append the cases.
    let head = head
        .trim_end()
        .trim_end_matches('}')
        .trim_end()
        .trim_end_matches("\"cases\": []")
        .trim_end()
        .trim_end_matches(',')
        .to_string();
    let mut out = head;
    out.push_str(",\n  \"cases\": [\n");
    let lines: Result<Vec<String>, _> = f.cases.iter().map(serde_json::to_string).collect();
    out.push_str(&lines?.join(",\n"));
    out.push_str("\n  ]\n}\n");
    Ok(out)
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
    if args.check {
        return match std::fs::read_to_string(&args.out) {
            Ok(committed) if committed == json => {
                println!("{}: up to date ({} cases)", args.out, file.cases.len());
                ExitCode::SUCCESS
            }
            Ok(_) => {
                eprintln!("{}: differs from what this generator writes", args.out);
                ExitCode::FAILURE
            }
            Err(e) => {
                eprintln!("{}: {e}", args.out);
                ExitCode::FAILURE
            }
        };
    }
    if let Some(dir) = std::path::Path::new(&args.out).parent() {
        if let Err(e) = std::fs::create_dir_all(dir) {
            eprintln!("{}: {e}", dir.display());
            return ExitCode::FAILURE;
        }
    }
    if let Err(e) = std::fs::write(&args.out, &json) {
        eprintln!("{}: {e}", args.out);
        return ExitCode::FAILURE;
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
