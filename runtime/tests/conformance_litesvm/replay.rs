//! The replayer of the `baton-litesvm/1` fixtures (format in
//! `conformance/README.md`): each scenario on a fresh runtime, each step
//! in order, each transaction compared with what the fixture expects.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::PathBuf;
use std::str::FromStr;

use baton::{Account, Hash, ProgramLoader, Pubkey, Runtime, Transaction};
use serde_json::Value;

/// The format this replayer reads.
pub const FORMAT: &str = "baton-litesvm/1";

pub fn load(suite: &str) -> Value {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../conformance/fixtures")
        .join(format!("litesvm-{suite}.json"));
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("reading {}: {e}", path.display()));
    let v: Value =
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("parsing {}: {e}", path.display()));
    assert_eq!(v["format"], FORMAT, "{}", path.display());
    v
}

// ------------------------------------------------------------ field access

pub fn s<'a>(v: &'a Value, k: &str) -> &'a str {
    v[k].as_str()
        .unwrap_or_else(|| panic!("field {k} is not a string in {v}"))
}

pub fn u(v: &Value, k: &str) -> u64 {
    v[k].as_u64()
        .unwrap_or_else(|| panic!("field {k} is not a u64 in {v}"))
}

pub fn arr<'a>(v: &'a Value, k: &str) -> &'a [Value] {
    v[k].as_array()
        .map(Vec::as_slice)
        .unwrap_or_else(|| panic!("field {k} is not an array in {v}"))
}

fn opt_s<'a>(v: &'a Value, k: &str) -> &'a str {
    v.get(k).and_then(Value::as_str).unwrap_or("")
}

fn opt_u(v: &Value, k: &str) -> u64 {
    v.get(k).and_then(Value::as_u64).unwrap_or(0)
}

fn key(text: &str) -> Pubkey {
    Pubkey::from_str(text).unwrap_or_else(|e| panic!("pubkey {text}: {e:?}"))
}

/// Standard base64 (with padding), as the fixtures write wire bytes.
pub fn base64(text: &str) -> Vec<u8> {
    let val = |c: u8| -> u32 {
        match c {
            b'A'..=b'Z' => (c - b'A') as u32,
            b'a'..=b'z' => (c - b'a' + 26) as u32,
            b'0'..=b'9' => (c - b'0' + 52) as u32,
            b'+' => 62,
            b'/' => 63,
            _ => panic!("not base64: {c:?} in {text}"),
        }
    };
    let body = text.trim_end_matches('=').as_bytes();
    let mut out = Vec::with_capacity(body.len() * 3 / 4);
    for chunk in body.chunks(4) {
        let mut n = 0u32;
        for (i, c) in chunk.iter().enumerate() {
            n |= val(*c) << (18 - 6 * i);
        }
        let bytes = [(n >> 16) as u8, (n >> 8) as u8, n as u8];
        out.extend_from_slice(&bytes[..chunk.len() - 1]);
    }
    out
}

/// A fixture account state; lamports 0 is an absent account.
pub fn account(v: &Value) -> (Pubkey, Option<Account>) {
    let k = key(s(v, "pubkey"));
    let lamports = u(v, "lamports");
    if lamports == 0 {
        return (k, None);
    }
    let mut data = hex::decode(opt_s(v, "data")).unwrap_or_else(|e| panic!("hex in {v}: {e}"));
    let len = opt_u(v, "data_len") as usize;
    assert!(data.len() <= len, "data longer than data_len in {v}");
    data.resize(len, 0);
    let a = Account {
        lamports,
        data,
        owner: key(s(v, "owner")),
        executable: v
            .get("executable")
            .and_then(Value::as_bool)
            .unwrap_or(false),
        rent_epoch: opt_u(v, "rent_epoch"),
    };
    (k, Some(a))
}

// -------------------------------------------------------------- replaying

/// One transaction that did not end as the fixture expects.
#[derive(Debug, Clone)]
pub struct Diff {
    /// `scenario / transaction`.
    pub case: String,
    /// The transaction's tags, joined.
    pub tags: String,
    /// What differs, expected against got, in full.
    pub what: String,
    /// For grouping: each difference's kind (statuses kept, numbers and
    /// keys dropped).
    pub kinds: Vec<String>,
    /// Whether the fixture asserts Agave's rule over LiteSVM's outcome.
    pub marked: bool,
}

/// Counts of one replay.
#[derive(Debug, Default)]
pub struct Report {
    pub transactions: usize,
    pub marked: usize,
    pub diffs: Vec<Diff>,
}

/// Replay every scenario of `file`, with `edit` applied to each expected
/// outcome first (the replayer's own test doctors one).
pub fn replay(file: &Value, edit: &dyn Fn(&str, &mut Value)) -> Report {
    let programs = programs(file);
    let mut report = Report::default();
    for sc in arr(file, "scenarios") {
        replay_scenario(sc, &programs, edit, &mut report);
    }
    report
}

/// The ELFs the file asks the replayer to deploy (`programs` entries with
/// an `elf`, relative to the repository root), checked against their
/// SHA-256: id and bytes.
fn programs(file: &Value) -> Vec<(Pubkey, Vec<u8>)> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    let list = file.get("programs").and_then(Value::as_array);
    let mut out = Vec::new();
    for p in list.map(Vec::as_slice).unwrap_or_default() {
        let Some(elf) = p.get("elf").and_then(Value::as_str) else {
            continue;
        };
        assert_eq!(
            s(p, "loader"),
            "BPFLoader2111111111111111111111111111111111",
            "only loader v2 deployments are replayed: {p}"
        );
        let path = root.join(elf);
        let bytes =
            std::fs::read(&path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()));
        assert_eq!(
            hex::encode(Hash::hashv(&[&bytes]).0),
            s(p, "elf_sha256"),
            "{} is not the ELF the fixtures were made with",
            path.display()
        );
        out.push((key(s(p, "id")), bytes));
    }
    out
}

fn runtime(sc: &Value, programs: &[(Pubkey, Vec<u8>)]) -> Runtime {
    let sigverify = sc["sigverify"].as_bool().expect("sigverify");
    let mut rt = Runtime::new().with_threads(1).with_sigverify(sigverify);
    for (id, elf) in programs {
        rt.deploy_program(*id, elf, ProgramLoader::V2)
            .unwrap_or_else(|e| panic!("deploying {id}: {e}"));
    }
    assert_eq!(
        rt.latest_blockhash().to_string(),
        s(sc, "blockhash"),
        "the fixtures sign with Baton's genesis blockhash"
    );
    rt.warp_to_slot(u(sc, "slot"));
    for a in arr(sc, "accounts") {
        let (k, a) = account(a);
        let a = a.unwrap_or_else(|| panic!("starting account {k} without lamports"));
        rt.set_account(k, a)
            .unwrap_or_else(|e| panic!("set_account {k}: {e}"));
    }
    rt
}

fn replay_scenario(
    sc: &Value,
    programs: &[(Pubkey, Vec<u8>)],
    edit: &dyn Fn(&str, &mut Value),
    report: &mut Report,
) {
    let name = s(sc, "name");
    let mut rt = runtime(sc, programs);
    for step in arr(sc, "steps") {
        if let Some(w) = step.get("warp") {
            // Baton's SlotHashes follows the clock: the 512 slots before it,
            // with the stand-in hashes the fixture's spec names.
            rt.warp_to_slot(u(w, "slot"));
            continue;
        }
        let t = &step["tx"];
        let case = format!("{name} / {}", s(t, "name"));
        let mut want = t["expected"].clone();
        edit(&case, &mut want);
        let bytes = base64(s(t, "wire"));
        let tags = arr(t, "tags")
            .iter()
            .filter_map(Value::as_str)
            .collect::<Vec<_>>()
            .join(",");
        let marked = t.get("agave_rule").is_some();
        report.transactions += 1;
        report.marked += usize::from(marked);
        let tx = match Transaction::from_bytes(&bytes) {
            Ok(tx) => tx,
            Err(e) => {
                report.diffs.push(Diff {
                    case,
                    tags,
                    what: format!("wire bytes refused: {e}"),
                    kinds: vec!["wire bytes refused".into()],
                    marked,
                });
                continue;
            }
        };
        let r = rt.send_transaction(tx);
        let status = match &r.status {
            Ok(()) => "Ok".to_string(),
            Err(e) => format!("{e:?}"),
        };
        let mut what = Vec::new();
        let mut kinds = Vec::new();
        let want_status = s(&want, "status");
        if status != want_status {
            what.push(format!("status: expected {want_status}, got {status}"));
            kinds.push(format!("status: expected {want_status}, got {status}"));
        }
        if r.fee != u(&want, "fee") {
            what.push(format!("fee: expected {}, got {}", u(&want, "fee"), r.fee));
            kinds.push("fee".into());
        }
        if r.compute_units_consumed != u(&want, "compute_units") {
            kinds.push("units".into());
            what.push(format!(
                "units: expected {}, got {}",
                u(&want, "compute_units"),
                r.compute_units_consumed
            ));
        }
        let want_logs: Vec<&str> = arr(&want, "logs")
            .iter()
            .filter_map(Value::as_str)
            .collect();
        if r.logs != want_logs {
            let at = r
                .logs
                .iter()
                .zip(&want_logs)
                .position(|(g, w)| g != w)
                .unwrap_or(r.logs.len().min(want_logs.len()));
            kinds.push("logs".into());
            what.push(format!(
                "logs: first difference at line {at}: expected {:?}, got {:?}",
                want_logs.get(at),
                r.logs.get(at)
            ));
        }
        for a in arr(&want, "accounts") {
            let (k, expected) = account(a);
            let got = rt.account(&k).filter(|a| a.lamports > 0);
            if got != expected {
                let (detail, kind) = account_difference(&k, expected.as_ref(), got.as_ref());
                what.push(detail);
                if !kinds.contains(&kind) {
                    kinds.push(kind);
                }
            }
        }
        if !what.is_empty() {
            report.diffs.push(Diff {
                case,
                tags,
                what: what.join("; "),
                kinds,
                marked,
            });
        }
    }
}

fn account_difference(
    k: &Pubkey,
    want: Option<&Account>,
    got: Option<&Account>,
) -> (String, String) {
    let short = &k.to_string()[..8];
    match (want, got) {
        (Some(w), Some(g)) => {
            let mut parts = Vec::new();
            let mut fields = Vec::new();
            if w.lamports != g.lamports {
                parts.push(format!("lamports {} vs {}", w.lamports, g.lamports));
                fields.push("lamports");
            }
            if w.data != g.data {
                parts.push(format!("data ({} vs {} bytes)", w.data.len(), g.data.len()));
                fields.push("data");
            }
            if w.owner != g.owner {
                parts.push(format!("owner {} vs {}", w.owner, g.owner));
                fields.push("owner");
            }
            if w.executable != g.executable {
                parts.push("executable".into());
                fields.push("executable");
            }
            if w.rent_epoch != g.rent_epoch {
                parts.push(format!("rent_epoch {} vs {}", w.rent_epoch, g.rent_epoch));
                fields.push("rent_epoch");
            }
            (
                format!("account {short}: {}", parts.join(", ")),
                format!("account {}", fields.join("+")),
            )
        }
        (Some(_), None) => (
            format!("account {short}: expected, absent"),
            "account absent".into(),
        ),
        (None, Some(g)) => (
            format!(
                "account {short}: expected absent, has {} lamports",
                g.lamports
            ),
            "account should be absent".into(),
        ),
        (None, None) => (String::new(), String::new()),
    }
}

/// The differences grouped by their kinds (numbers blurred), with the
/// count and a few cases each.
pub fn summary(report: &Report) -> String {
    let mut groups: BTreeMap<String, Vec<&Diff>> = BTreeMap::new();
    for d in &report.diffs {
        let blurred: String = d
            .kinds
            .join(" + ")
            .chars()
            .map(|c| if c.is_ascii_digit() { '#' } else { c })
            .collect();
        groups.entry(blurred).or_default().push(d);
    }
    let mut out = format!(
        "{} of {} transactions differ ({} marked with Agave's rule):\n",
        report.diffs.len(),
        report.transactions,
        report.marked
    );
    for (label, ds) in &groups {
        let _ = writeln!(out, "  {:>4} x {label}", ds.len());
        for d in ds.iter().take(3) {
            let m = if d.marked { " [agave rule]" } else { "" };
            let _ = writeln!(out, "         {} [{}]{m}: {}", d.case, d.tags, d.what);
        }
    }
    out
}
