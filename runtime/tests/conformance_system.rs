//! Differential conformance of the system program: replays the committed
//! fixtures `conformance/fixtures/system.json`, which Mollusk 0.15.1 on the
//! Agave 4.2.2 crates computed (`conformance/mollusk-gen`; the format is in
//! `conformance/README.md`), through Baton's `process_instruction` with the
//! same environment, and asserts that every case ends the same: result,
//! compute units, every account (lamports, data, owner, executable, rent
//! epoch), return data and log lines.
//!
//! On a difference the failure message groups the cases that differ by
//! instruction kind and by what differs (expected against got), with a few
//! case names each.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::PathBuf;
use std::str::FromStr;

use baton::executor::{process_instruction, Environment, SysvarCache};
use baton::sysvar::{FeeCalculator, RecentBlockhashEntry, RecentBlockhashes};
use baton::{
    Account, AccountMeta, Clock, ExecutionConfig, Hash, Instruction, InstructionOutcome, Pubkey,
    Rent, Runtime,
};
use serde_json::Value;

/// The format this replayer reads.
const FORMAT: &str = "baton-conformance/1";

fn fixture_path(suite: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../conformance/fixtures")
        .join(format!("{suite}.json"))
}

fn load(suite: &str) -> Value {
    let path = fixture_path(suite);
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("reading {}: {e}", path.display()));
    let v: Value =
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("parsing {}: {e}", path.display()));
    assert_eq!(v["format"], FORMAT, "{}", path.display());
    v
}

// ------------------------------------------------------------ field access

fn s<'a>(v: &'a Value, k: &str) -> &'a str {
    v[k].as_str()
        .unwrap_or_else(|| panic!("field {k} is not a string in {v}"))
}

fn u(v: &Value, k: &str) -> u64 {
    v[k].as_u64()
        .unwrap_or_else(|| panic!("field {k} is not a u64 in {v}"))
}

/// An optional field: absent means the type's default (false, 0, "").
fn flag(v: &Value, k: &str) -> bool {
    v.get(k).and_then(Value::as_bool).unwrap_or(false)
}

fn opt_u(v: &Value, k: &str) -> u64 {
    v.get(k).and_then(Value::as_u64).unwrap_or(0)
}

fn opt_s<'a>(v: &'a Value, k: &str) -> &'a str {
    v.get(k).and_then(Value::as_str).unwrap_or("")
}

fn arr<'a>(v: &'a Value, k: &str) -> &'a [Value] {
    v[k].as_array()
        .map(Vec::as_slice)
        .unwrap_or_else(|| panic!("field {k} is not an array in {v}"))
}

fn key(text: &str) -> Pubkey {
    Pubkey::from_str(text).unwrap_or_else(|e| panic!("pubkey {text}: {e:?}"))
}

fn hash(text: &str) -> Hash {
    Hash::from_str(text).unwrap_or_else(|e| panic!("hash {text}: {e:?}"))
}

fn bytes(text: &str) -> Vec<u8> {
    hex::decode(text).unwrap_or_else(|e| panic!("hex {text}: {e}"))
}

// --------------------------------------------------------------- decoding

/// An account: its data is the hex prefix, zero-filled to `data_len`.
fn account(v: &Value) -> (Pubkey, Account) {
    let mut data = bytes(opt_s(v, "data"));
    let len = opt_u(v, "data_len") as usize;
    assert!(data.len() <= len, "data longer than data_len in {v}");
    data.resize(len, 0);
    (
        key(s(v, "pubkey")),
        Account {
            lamports: u(v, "lamports"),
            data,
            owner: key(s(v, "owner")),
            executable: flag(v, "executable"),
            rent_epoch: opt_u(v, "rent_epoch"),
        },
    )
}

fn instruction(v: &Value) -> Instruction {
    Instruction {
        program_id: key(s(v, "program_id")),
        accounts: arr(v, "accounts")
            .iter()
            .map(|m| AccountMeta {
                pubkey: key(s(m, "pubkey")),
                is_signer: flag(m, "signer"),
                is_writable: flag(m, "writable"),
            })
            .collect(),
        data: bytes(s(v, "data")),
    }
}

/// One fixture environment as Baton's sysvars and compute limit.
struct Env {
    sysvars: SysvarCache,
    compute_unit_limit: u64,
}

fn environment(v: &Value) -> Env {
    let rent = &v["rent"];
    let clock = &v["clock"];
    let int = |v: &Value, k: &str| {
        v[k].as_i64()
            .unwrap_or_else(|| panic!("field {k} is not an i64 in {v}"))
    };
    let sysvars = SysvarCache {
        rent: Rent {
            lamports_per_byte_year: u(rent, "lamports_per_byte_year"),
            exemption_threshold: rent["exemption_threshold"]
                .as_f64()
                .expect("exemption_threshold"),
            burn_percent: u(rent, "burn_percent") as u8,
        },
        clock: Clock {
            slot: u(clock, "slot"),
            epoch_start_timestamp: int(clock, "epoch_start_timestamp"),
            epoch: u(clock, "epoch"),
            leader_schedule_epoch: u(clock, "leader_schedule_epoch"),
            unix_timestamp: int(clock, "unix_timestamp"),
        },
        recent_blockhashes: RecentBlockhashes(
            arr(v, "recent_blockhashes")
                .iter()
                .map(|r| RecentBlockhashEntry {
                    blockhash: hash(s(r, "blockhash")),
                    fee_calculator: FeeCalculator {
                        lamports_per_signature: u(r, "lamports_per_signature"),
                    },
                })
                .collect(),
        ),
        ..SysvarCache::default()
    };
    // Baton derives durable nonces from the newest RecentBlockhashes entry;
    // the fixtures' environments keep it equal to the runtime's blockhash.
    if let Some(newest) = sysvars.recent_blockhashes.0.first() {
        assert_eq!(newest.blockhash, hash(s(v, "blockhash")));
        assert_eq!(
            newest.fee_calculator.lamports_per_signature,
            u(v, "lamports_per_signature")
        );
    }
    Env {
        sysvars,
        compute_unit_limit: u(v, "compute_unit_limit"),
    }
}

// ------------------------------------------------------------- comparing

/// How a case's outcome differs from the fixture; `None` when equal.
/// The first difference found, in the order result, units, accounts,
/// return data, logs, labelled compactly for grouping, with a detail line.
fn difference(
    case: &Value,
    given: &[(Pubkey, Account)],
    out: &InstructionOutcome,
) -> Option<(String, String)> {
    let want = &case["expected"];
    let got_result = match &out.result {
        Ok(()) => "Ok".to_string(),
        Err(e) => format!("{e:?}"),
    };
    let want_result = s(want, "result");
    if got_result != want_result {
        return Some((
            format!("result: expected {want_result}, got {got_result}"),
            String::new(),
        ));
    }
    let want_units = u(want, "compute_units");
    if out.compute_units_consumed != want_units {
        return Some((
            format!(
                "units: expected {want_units}, got {} (result {want_result})",
                out.compute_units_consumed
            ),
            String::new(),
        ));
    }
    let mut expected: Vec<(Pubkey, Account)> = given.to_vec();
    for changed in arr(want, "changed_accounts") {
        let (k, a) = account(changed);
        let slot = expected
            .iter_mut()
            .find(|(key, _)| *key == k)
            .unwrap_or_else(|| panic!("changed account {k} not among the inputs"));
        slot.1 = a;
    }
    if out.accounts.len() != expected.len() {
        return Some((
            format!(
                "accounts: expected {} back, got {}",
                expected.len(),
                out.accounts.len()
            ),
            String::new(),
        ));
    }
    for ((wk, wa), (gk, ga)) in expected.iter().zip(&out.accounts) {
        if wk != gk {
            return Some((
                format!("accounts: order differs ({wk} vs {gk})"),
                String::new(),
            ));
        }
        let mut fields = Vec::new();
        if wa.lamports != ga.lamports {
            fields.push("lamports");
        }
        if wa.data != ga.data {
            fields.push("data");
        }
        if wa.owner != ga.owner {
            fields.push("owner");
        }
        if wa.executable != ga.executable {
            fields.push("executable");
        }
        if wa.rent_epoch != ga.rent_epoch {
            fields.push("rent_epoch");
        }
        if !fields.is_empty() {
            return Some((
                format!(
                    "account {} differs (result {want_result})",
                    fields.join("+")
                ),
                format!(
                    "{wk}: expected lamports {} len {} owner {}, got lamports {} len {} owner {}",
                    wa.lamports,
                    wa.data.len(),
                    wa.owner,
                    ga.lamports,
                    ga.data.len(),
                    ga.owner
                ),
            ));
        }
    }
    let want_rd = want.get("return_data").and_then(Value::as_str).map(bytes);
    let got_rd = out.return_data.as_ref().map(|(_, d)| d.clone());
    if want_rd != got_rd {
        return Some(("return data".into(), String::new()));
    }
    let want_logs: Vec<&str> = arr(want, "logs")
        .iter()
        .map(|l| l.as_str().expect("log line"))
        .collect();
    if want_logs != out.logs {
        let i = want_logs
            .iter()
            .zip(&out.logs)
            .position(|(w, g)| w != g)
            .unwrap_or(want_logs.len().min(out.logs.len()));
        let w = want_logs.get(i).copied().unwrap_or("<none>");
        let g = out.logs.get(i).map(String::as_str).unwrap_or("<none>");
        return Some((
            format!("logs (result {want_result})"),
            format!("line {i}: expected {w:?}, got {g:?}"),
        ));
    }
    None
}

/// Replay every case of `suite`; the report of the differences, if any.
fn replay(suite: &str) -> Result<usize, String> {
    let fixture = load(suite);
    let envs: Vec<Env> = arr(&fixture, "environments")
        .iter()
        .map(environment)
        .collect();
    let rt = Runtime::new();
    let config = ExecutionConfig {
        collect_logs: true,
        ..rt.config().clone()
    };
    let cases = arr(&fixture, "cases");
    // (kind, difference) -> (count, example names, one detail line)
    let mut groups: BTreeMap<(String, String), (usize, Vec<String>, String)> = BTreeMap::new();
    let mut per_kind: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    for case in cases {
        let env = &envs[u(case, "env") as usize];
        let ix = instruction(&case["instruction"]);
        let given: Vec<(Pubkey, Account)> = arr(case, "accounts").iter().map(account).collect();
        let out = process_instruction(
            &given,
            &ix,
            env.compute_unit_limit,
            Environment {
                programs: rt.programs(),
                sysvars: &env.sysvars,
                config: &config,
            },
        );
        let kind = s(case, "kind").to_string();
        let tally = per_kind.entry(kind.clone()).or_default();
        tally.0 += 1;
        if let Some((what, detail)) = difference(case, &given, &out) {
            tally.1 += 1;
            let g = groups.entry((kind, what)).or_default();
            g.0 += 1;
            if g.1.len() < 3 {
                g.1.push(s(case, "name").to_string());
            }
            if g.2.is_empty() {
                g.2 = detail;
            }
        }
    }
    let differ: usize = per_kind.values().map(|t| t.1).sum();
    if differ == 0 {
        return Ok(cases.len());
    }
    let mut r = String::new();
    let _ = writeln!(
        r,
        "{suite}: {differ} of {} cases differ from Agave 4.2.2 ({:.1}% equal)",
        cases.len(),
        100.0 * (cases.len() - differ) as f64 / cases.len() as f64
    );
    let _ = writeln!(r, "by kind (differ/cases):");
    for (k, (n, d)) in &per_kind {
        if *d > 0 {
            let _ = writeln!(r, "  {k:<28} {d:>4}/{n}");
        }
    }
    let mut by_what: BTreeMap<&str, usize> = BTreeMap::new();
    for ((_, what), (n, _, _)) in &groups {
        *by_what.entry(what.as_str()).or_default() += n;
    }
    let mut by_what: Vec<(&str, usize)> = by_what.into_iter().collect();
    by_what.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let _ = writeln!(r, "by difference (all kinds):");
    for (what, n) in by_what {
        let _ = writeln!(r, "  {n:>4}  {what}");
    }
    let _ = writeln!(r, "by kind and difference:");
    for ((k, what), (n, names, detail)) in &groups {
        let _ = writeln!(r, "  {n:>4}  {k:<26} {what}");
        if !detail.is_empty() {
            let _ = writeln!(r, "        {detail}");
        }
        let _ = writeln!(r, "        e.g. {}", names.join(", "));
    }
    Err(r)
}

#[test]
fn system_program_matches_agave() {
    match replay("system") {
        Ok(n) => assert!(n >= 3_000, "only {n} cases"),
        Err(report) => panic!("\n{report}"),
    }
}

/// The replayer itself: the fixture parses, covers every instruction kind,
/// and a case the replayer is given a wrong expectation for is reported.
#[test]
fn fixture_is_well_formed_and_differences_are_caught() {
    let fixture = load("system");
    let cases = arr(&fixture, "cases");
    assert!(cases.len() >= 3_000, "{} cases", cases.len());
    let mut kinds: Vec<&str> = cases.iter().map(|c| s(c, "kind")).collect();
    kinds.sort_unstable();
    kinds.dedup();
    assert_eq!(kinds.len(), 15, "kinds: {kinds:?}"); // 14 instructions + Invalid
    let envs: Vec<Env> = arr(&fixture, "environments")
        .iter()
        .map(environment)
        .collect();
    assert!(!envs.is_empty());
    // Every case decodes.
    for c in cases {
        let _ = instruction(&c["instruction"]);
        for a in arr(c, "accounts") {
            let _ = account(a);
        }
        assert!((u(c, "env") as usize) < envs.len());
    }
    // A doctored expectation is reported as a difference.
    let case = cases
        .iter()
        .find(|c| {
            s(c, "kind") == "Transfer"
                && s(&c["expected"], "result") == "Ok"
                && !arr(&c["expected"], "changed_accounts").is_empty()
        })
        .expect("an Ok transfer");
    let given: Vec<(Pubkey, Account)> = arr(case, "accounts").iter().map(account).collect();
    let fake = InstructionOutcome {
        result: Ok(()),
        accounts: given.clone(),
        compute_units_consumed: u(&case["expected"], "compute_units"),
        return_data: None,
        logs: Vec::new(),
    };
    let diff = difference(case, &given, &fake).expect("a transfer that moved nothing differs");
    assert!(diff.0.starts_with("account lamports"), "{diff:?}");
}
