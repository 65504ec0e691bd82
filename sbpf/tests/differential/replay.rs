//! The replayer of the sBPF conformance fixtures (`conformance/fixtures/*.json`,
//! written by `conformance/sbpf-gen` from Mollusk 0.15.1 on Agave 4.2.2),
//! shared by `differential.rs` and `differential_cpi.rs`: each case runs
//! through `baton_executor::process_instruction` and its result, compute
//! units, changed accounts, return data and log lines are compared.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::str::FromStr;
use std::sync::Arc;

use baton_executor::{
    process_instruction, Clock, Environment, ExecutionConfig, ProgramRegistry, Rent, SysvarCache,
};
use baton_programs::system::SystemProgram;
use baton_sbpf::{Mode, SbpfProgram};
use baton_types::{Account, AccountMeta, Instruction, Pubkey};
use serde::Deserialize;
use sha2::Digest;

#[derive(Deserialize)]
struct File {
    format: String,
    programs: Vec<ProgramRef>,
    environments: Vec<Env>,
    cases: Vec<Case>,
}

#[derive(Deserialize)]
struct ProgramRef {
    id: String,
    kind: String,
    name: String,
    elf: Option<String>,
    elf_sha256: Option<String>,
}

#[derive(Deserialize)]
struct Env {
    clock: ClockEnv,
    rent: RentEnv,
    compute_unit_limit: u64,
}

#[derive(Deserialize)]
struct ClockEnv {
    slot: u64,
    epoch_start_timestamp: i64,
    epoch: u64,
    leader_schedule_epoch: u64,
    unix_timestamp: i64,
}

#[derive(Deserialize)]
struct RentEnv {
    lamports_per_byte_year: u64,
    exemption_threshold: f64,
    burn_percent: u8,
}

#[derive(Deserialize)]
struct Case {
    name: String,
    kind: String,
    env: usize,
    instruction: Ix,
    accounts: Vec<State>,
    expected: Expected,
}

#[derive(Deserialize)]
struct Ix {
    program_id: String,
    accounts: Vec<Meta>,
    data: String,
}

#[derive(Deserialize)]
struct Meta {
    pubkey: String,
    #[serde(default)]
    signer: bool,
    #[serde(default)]
    writable: bool,
}

#[derive(Deserialize, Debug, Clone, PartialEq)]
struct State {
    pubkey: String,
    lamports: u64,
    #[serde(default)]
    data: String,
    #[serde(default)]
    data_len: usize,
    owner: String,
    #[serde(default)]
    executable: bool,
    #[serde(default)]
    rent_epoch: u64,
}

#[derive(Deserialize)]
struct Expected {
    result: String,
    compute_units: u64,
    changed_accounts: Vec<State>,
    return_data: Option<String>,
    logs: Vec<String>,
}

fn key(s: &str) -> Pubkey {
    Pubkey::from_str(s).expect("base58 key")
}

fn account(s: &State) -> Account {
    let mut data = hex::decode(&s.data).expect("hex");
    data.resize(s.data_len, 0);
    Account {
        lamports: s.lamports,
        data,
        owner: key(&s.owner),
        executable: s.executable,
        rent_epoch: s.rent_epoch,
    }
}

fn state(k: &Pubkey, a: &Account) -> State {
    let end = a.data.iter().rposition(|b| *b != 0).map_or(0, |i| i + 1);
    State {
        pubkey: k.to_string(),
        lamports: a.lamports,
        data: hex::encode(&a.data[..end]),
        data_len: a.data.len(),
        owner: a.owner.to_string(),
        executable: a.executable,
        rent_epoch: a.rent_epoch,
    }
}

fn fixtures_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../conformance/fixtures")
}

/// Replay `conformance/fixtures/<suite>.json` under `mode`; panics with
/// a report of the cases that differ. (`differential.rs` uses it;
/// `differential_cpi.rs`, with its known departures, does not.)
#[allow(dead_code)]
pub fn replay(suite: &str, mode: Mode) {
    let differ = differences(suite, mode, &[]);
    if !differ.is_empty() {
        panic!("{}", report(suite, mode, &differ));
    }
}

/// The cases of `suite` that differ from the oracle under `mode`, by kind
/// and what differs, leaving out the cases named in `known` (departures
/// already reported, to be mended).
pub fn differences(
    suite: &str,
    mode: Mode,
    known: &[&str],
) -> BTreeMap<(String, &'static str), Vec<String>> {
    let path = fixtures_dir().join(format!("{suite}.json"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    differences_in(&text, mode, known)
}

/// [`differences`] for a fixture given as text (its ELF paths relative to
/// `conformance/fixtures/`): what the replayer's own test doctors.
pub fn differences_in(
    text: &str,
    mode: Mode,
    known: &[&str],
) -> BTreeMap<(String, &'static str), Vec<String>> {
    let file: File = serde_json::from_str(text).expect("fixture parses");
    assert_eq!(file.format, "baton-conformance/1");
    let mut registry = ProgramRegistry::new();
    for p in &file.programs {
        if p.kind == "builtin" {
            // The suites that call out (ata) name the system program.
            assert_eq!(p.name, "system");
            registry.add(key(&p.id), Arc::new(SystemProgram));
            continue;
        }
        assert_eq!(p.kind, "sbpf");
        let elf_path = fixtures_dir().join(p.elf.as_ref().unwrap());
        let elf = std::fs::read(&elf_path).unwrap();
        let sha: String = sha2::Sha256::digest(&elf)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        assert_eq!(Some(&sha), p.elf_sha256.as_ref(), "{}", elf_path.display());
        let program = SbpfProgram::load_deployed(&elf, mode).unwrap();
        registry.add(key(&p.id), Arc::new(program));
    }
    let sysvars: Vec<SysvarCache> = file
        .environments
        .iter()
        .map(|e| SysvarCache {
            rent: Rent {
                lamports_per_byte_year: e.rent.lamports_per_byte_year,
                exemption_threshold: e.rent.exemption_threshold,
                burn_percent: e.rent.burn_percent,
            },
            clock: Clock {
                slot: e.clock.slot,
                epoch_start_timestamp: e.clock.epoch_start_timestamp,
                epoch: e.clock.epoch,
                leader_schedule_epoch: e.clock.leader_schedule_epoch,
                unix_timestamp: e.clock.unix_timestamp,
            },
            ..SysvarCache::default()
        })
        .collect();
    let config = ExecutionConfig::default();
    let mut differ: BTreeMap<(String, &'static str), Vec<String>> = BTreeMap::new();
    for case in &file.cases {
        if known.contains(&case.name.as_str()) {
            continue;
        }
        let env = Environment {
            programs: &registry,
            sysvars: &sysvars[case.env],
            config: &config,
        };
        let accounts: Vec<(Pubkey, Account)> = case
            .accounts
            .iter()
            .map(|s| (key(&s.pubkey), account(s)))
            .collect();
        let ix = Instruction::new_with_bytes(
            key(&case.instruction.program_id),
            &hex::decode(&case.instruction.data).unwrap(),
            case.instruction
                .accounts
                .iter()
                .map(|m| AccountMeta {
                    pubkey: key(&m.pubkey),
                    is_signer: m.signer,
                    is_writable: m.writable,
                })
                .collect(),
        );
        let out = process_instruction(
            &accounts,
            &ix,
            file.environments[case.env].compute_unit_limit,
            env,
        );
        let result = match &out.result {
            Ok(()) => "Ok".to_string(),
            Err(e) => format!("{e:?}"),
        };
        let changed: Vec<State> = out
            .accounts
            .iter()
            .zip(&accounts)
            .filter(|(after, before)| after != before)
            .map(|(after, _)| state(&after.0, &after.1))
            .collect();
        let return_data = out.return_data.as_ref().map(|(_, d)| hex::encode(d));
        let mut note = |what: &'static str, detail: String| {
            differ
                .entry((case.kind.clone(), what))
                .or_default()
                .push(format!("{}: {detail}", case.name));
        };
        let e = &case.expected;
        if result != e.result {
            note("result", format!("{result} != {}", e.result));
        }
        if out.compute_units_consumed != e.compute_units {
            note(
                "compute units",
                format!("{} != {}", out.compute_units_consumed, e.compute_units),
            );
        }
        if changed != e.changed_accounts {
            note(
                "accounts",
                format!("{changed:?} != {:?}", e.changed_accounts),
            );
        }
        if return_data != e.return_data {
            note(
                "return data",
                format!("{return_data:?} != {:?}", e.return_data),
            );
        }
        if out.logs != e.logs {
            note("logs", format!("{:#?} != {:#?}", out.logs, e.logs));
        }
    }
    differ
}

/// A report of `differ`, a few case names per kind and field.
pub fn report(
    suite: &str,
    mode: Mode,
    differ: &BTreeMap<(String, &'static str), Vec<String>>,
) -> String {
    let mut report = format!("{suite}, {mode:?}: cases differing from the oracle:\n");
    for ((kind, what), names) in differ {
        report.push_str(&format!("  {kind} / {what}: {} cases, e.g.\n", names.len()));
        // BATON_DIFF_ALL=1 lists every case (to fill a list of departures).
        let shown = if std::env::var_os("BATON_DIFF_ALL").is_some() {
            names.len()
        } else {
            2
        };
        for n in names.iter().take(shown) {
            report.push_str(&format!("    {n}\n"));
        }
    }
    report
}
