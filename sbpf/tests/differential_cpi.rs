//! Replays the CPI fixtures of `conformance/sbpf-gen` (Mollusk 0.15.1 on
//! Agave 4.2.2) under the JIT and the interpreter, requiring equal result,
//! compute units, changed accounts, return data and log lines:
//!
//! - `token2022-cpi.json`: Token-2022's `Reallocate` (a system transfer by
//!   `invoke` when the grown account needs lamports), `CreateNativeMint`
//!   (transfer by `invoke`, allocate and assign by `invoke_signed`) and
//!   `TransferChecked` through a transfer hook (the assembled
//!   `conformance/sbpf-gen/asm/hook.s`, shipped as
//!   `conformance/fixtures/elf/transfer-hook.so`, invoked with `Execute`);
//! - `call-trees.json`: random call trees of the assembled node program
//!   (`conformance/sbpf-gen/asm/node.s`, shipped as the SBPF v3 ELF
//!   `conformance/fixtures/elf/call-tree-node.so`) at three ids, with the
//!   system program as a leaf: depth to the limit and past it, self-CPI,
//!   reentrancy, duplicate metas, escalations, return data across calls.

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "differential/replay.rs"]
mod replay;

use baton_sbpf::Mode;
use replay::{differences, differences_in, report};

/// The strict replay: every case, in one mode, equal.
fn strict(suite: &str, mode: Mode) {
    let differ = differences(suite, mode, &[]);
    assert!(differ.is_empty(), "{}", report(suite, mode, &differ));
}

#[test]
fn token_2022_cpi_fixtures_match_the_oracle_under_the_jit() {
    strict("token2022-cpi", Mode::Jit);
}

#[test]
fn token_2022_cpi_fixtures_match_the_oracle_under_the_interpreter() {
    strict("token2022-cpi", Mode::Interpreter);
}

#[test]
fn call_tree_fixtures_match_the_oracle_under_the_jit() {
    strict("call-trees", Mode::Jit);
}

#[test]
fn call_tree_fixtures_match_the_oracle_under_the_interpreter() {
    strict("call-trees", Mode::Interpreter);
}

/// The replayer itself: a doctored expectation (one case's units, another's
/// result, a third's log line) is reported, under its case's name and what
/// differs, and a case named as forgiven is left out.
#[test]
fn the_replayer_reports_a_doctored_case() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../conformance/fixtures/call-trees.json"
    );
    let text = std::fs::read_to_string(path).unwrap();
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    let first = lines
        .iter()
        .position(|l| l.contains("\"name\":\"CallTree/0000/"))
        .unwrap();
    let names: Vec<String> = (0..3)
        .map(|i| {
            let l = &lines[first + i];
            let start = l.find("\"name\":\"").unwrap() + 8;
            let end = start + l[start..].find('"').unwrap();
            l[start..end].to_string()
        })
        .collect();
    let units = lines[first].find("\"compute_units\":").unwrap() + 16;
    lines[first].insert(units, '9');
    let result = lines[first + 1].find("\"result\":\"").unwrap() + 10;
    lines[first + 1].insert_str(result, "Doctored");
    let logs = lines[first + 2].find("\"logs\":[\"").unwrap() + 9;
    lines[first + 2].insert_str(logs, "doctored ");
    let doctored = lines.join("\n");
    let differ = differences_in(&doctored, Mode::Interpreter, &[]);
    let found = |what: &str, name: &str| {
        differ
            .get(&("CallTree".to_string(), what))
            .is_some_and(|v| v.iter().any(|l| l.starts_with(&format!("{name}: "))))
    };
    assert!(found("compute units", &names[0]), "{differ:#?}");
    assert!(found("result", &names[1]), "{differ:#?}");
    assert!(found("logs", &names[2]), "{differ:#?}");
    let all: usize = differ.values().map(Vec::len).sum();
    assert_eq!(all, 3, "only the doctored cases: {differ:#?}");
    // A doctored case named as forgiven is not reported.
    let differ = differences_in(&doctored, Mode::Interpreter, &[names[0].as_str()]);
    assert!(!differ
        .values()
        .flatten()
        .any(|l| l.starts_with(&format!("{}: ", names[0]))));
}
