//! Differential conformance against LiteSVM (issue #22): replays the
//! committed scenarios `conformance/fixtures/litesvm-*.json`, which
//! LiteSVM 0.16.0 on the Agave 4.2.2 crates computed
//! (`conformance/litesvm-gen`; the format is in `conformance/README.md`),
//! through Baton's `Runtime` — each scenario on a fresh runtime, its
//! starting accounts set, its transactions sent in order from their wire
//! bytes — and asserts that every transaction ends the same: status, fee,
//! compute units, log lines and every account it names.
//!
//! Where LiteSVM departs from Agave the fixture marks the transaction
//! (`agave_rule`) and expects Agave's outcome; the replay asserts that.
//! On a difference the failure message groups the transactions that
//! differ by what differs, with a few names each.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "conformance_litesvm/replay.rs"]
mod replay;

use replay::{arr, load, replay, s, summary, u};
use serde_json::Value;

fn no_edit(_: &str, _: &mut Value) {}

fn equal(suite: &str, at_least: usize) {
    let file = load(suite);
    let report = replay(&file, &no_edit);
    assert!(
        report.transactions >= at_least,
        "{} transactions",
        report.transactions
    );
    assert!(report.diffs.is_empty(), "{}", summary(&report));
}

/// Legacy and v0 transactions without lookups, with and without
/// compute-budget instructions and priority fees, succeeding and failing,
/// and LiteSVM's departures (fees-only loading failures, a duplicate
/// compute-budget instruction before the blockhash check, a replay with
/// signature checks off) under Agave's rule.
#[test]
fn litesvm_transactions_replay_equal() {
    equal("transactions", 900);
}

/// v0 transactions that load accounts through address lookup tables
/// (the tables among the starting accounts).
#[test]
fn litesvm_lookups_replay_equal() {
    equal("lookups", 50);
}

/// The Address Lookup Table program (Core BPF) through its life cycle:
/// create, extend, freeze, deactivate, close, and their failures; and
/// LiteSVM's frozen SlotHashes and uncounted programdata under Agave's rule.
#[test]
fn litesvm_alt_program_replay_equal() {
    equal("alt", 60);
}

/// The real token ELF (`sbpf/elf/token.so`, deployed at Tokenkeg under
/// loader v2): transfers, checked transfers, mints, burns, approvals and
/// closes, succeeding and failing, with and without compute budgets.
#[test]
fn litesvm_token_replay_equal() {
    equal("token", 200);
}

/// Durable-nonce transactions: advanced, not advanceable, stale, failed
/// (the nonce advances with the fee), priced, and transactions that are
/// not nonce transactions; LiteSVM's nonce value and its failed-nonce rule
/// under Agave's.
#[test]
fn litesvm_nonce_replay_equal() {
    equal("nonce", 16);
}

/// The replayer itself: the files parse, the suites have the shapes the
/// generator promises, and a doctored expectation is reported.
#[test]
fn litesvm_replayer_reports_a_doctored_outcome() {
    let file = load("transactions");
    let scenarios = arr(&file, "scenarios");
    assert!(scenarios.len() > 2);
    let mut tags = std::collections::BTreeSet::new();
    for sc in scenarios {
        for st in arr(sc, "steps") {
            if let Some(t) = st.get("tx") {
                for tag in arr(t, "tags") {
                    tags.insert(tag.as_str().unwrap_or_default().to_string());
                }
            }
        }
    }
    for want in [
        "legacy",
        "v0",
        "cb-limit",
        "cb-price",
        "no-cb",
        "fees-only",
        "replay",
    ] {
        assert!(tags.contains(want), "no transaction tagged {want}");
    }
    // Doctor the fee of the first transaction of the first scenario: the
    // replay of that scenario alone must report it.
    let mut one = file.clone();
    one["scenarios"] = Value::Array(vec![scenarios[0].clone()]);
    let first = s(&scenarios[0]["steps"][0]["tx"], "name").to_string();
    let fee = u(&scenarios[0]["steps"][0]["tx"]["expected"], "fee");
    let report = replay(&one, &|case: &str, want: &mut Value| {
        if case.ends_with(&format!("/ {first}")) {
            want["fee"] = Value::from(fee + 1);
        }
    });
    assert!(
        report
            .diffs
            .iter()
            .any(|d| d.what.contains("fee: expected")),
        "{}",
        summary(&report)
    );
    assert_eq!(replay::base64("AQID"), vec![1, 2, 3]);
    assert_eq!(replay::base64("AQI="), vec![1, 2]);
}
