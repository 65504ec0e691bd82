//! `baton bench` end to end: every workload in JSON, `--list`, bad
//! arguments, `--plot`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::process::{Command, Output};

use serde_json::Value;

const WORKLOADS: &[&str] = &[
    "uniform-transfers",
    "zipf-transfers",
    "hot-account",
    "token-cpi",
    "cpi-chain",
    "large-writes",
];

fn baton(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_baton"))
        .args(args)
        .output()
        .expect("the binary runs")
}

fn small(workload: &str, extra: &[&str]) -> Vec<String> {
    let mut args: Vec<String> = [
        "bench",
        "--workload",
        workload,
        "--txs",
        "200",
        "--accounts",
        "100",
        "--threads",
        "1,2",
        "--repeat",
        "1",
        "--batch",
        "64",
        "--json",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    args.extend(extra.iter().map(|s| s.to_string()));
    args
}

fn json_of(out: &Output) -> Value {
    let stdout = String::from_utf8(out.stdout.clone()).unwrap();
    assert_eq!(
        stdout.trim().lines().count(),
        1,
        "exactly one JSON line on stdout: {stdout}"
    );
    serde_json::from_str(stdout.trim()).unwrap()
}

fn check_series(v: &Value, workload: &str) {
    assert_eq!(v["workload"], workload);
    assert_eq!(v["txs"], 200);
    assert_eq!(v["accounts"], 100);
    assert_eq!(v["repeat"], 1);
    assert_eq!(v["sigverify"], false);
    // Every transaction of a workload names one blockhash.
    assert_eq!(v["history_capacity"], 200);
    assert_eq!(v["serial_equivalent"], true, "{v}");
    let runs = v["runs"].as_array().unwrap();
    assert_eq!(runs.len(), 2);
    for (run, threads) in runs.iter().zip([1, 2]) {
        assert_eq!(run["threads"], threads);
        for k in [
            "tx_per_sec",
            "median_ms",
            "min_ms",
            "max_ms",
            "batch_tx_per_sec",
            "batch_speedup",
        ] {
            assert!(run[k].as_f64().unwrap() > 0.0, "{k} in {run}");
        }
        assert!(run["min_ms"].as_f64() <= run["median_ms"].as_f64());
        assert!(run["median_ms"].as_f64() <= run["max_ms"].as_f64());
    }
    // The one-thread run is the base of both speedups.
    assert_eq!(runs[0]["speedup"], 1.0);
    assert_eq!(runs[0]["batch_speedup"], 1.0);
    assert!(v["conflicts"]["conflicting"].as_u64().is_some());
    assert!(v["conflicts"]["longest_chain"].as_u64().unwrap() >= 1);
}

#[test]
fn every_workload_runs_and_is_serial_equivalent() {
    for w in WORKLOADS {
        let out = baton(&small(w, &[]).iter().map(String::as_str).collect::<Vec<_>>());
        assert!(
            out.status.success(),
            "{w}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        check_series(&json_of(&out), w);
    }
}

#[test]
fn knobs_reach_the_workloads() {
    let args = small("cpi-chain", &["--fail-rate", "0.5"]);
    let out = baton(&args.iter().map(String::as_str).collect::<Vec<_>>());
    let v = json_of(&out);
    assert_eq!(v["fail_rate"], 0.5);
    let failed = v["failed"].as_u64().unwrap();
    assert!((60..140).contains(&failed), "{failed}");

    let args = small("hot-account", &["--hot", "1"]);
    let v = json_of(&baton(&args.iter().map(String::as_str).collect::<Vec<_>>()));
    assert_eq!(v["hot"], 1);
    assert_eq!(
        v["conflicts"]["conflicting"],
        200 - 4,
        "one chain per batch of 64"
    );

    // Several values: one object with a series each.
    let args = small(
        "token-cpi,zipf-transfers",
        &["--variant", "hot-mint", "--skew", "0.8,1.2"],
    );
    let v = json_of(&baton(&args.iter().map(String::as_str).collect::<Vec<_>>()));
    let series = v["series"].as_array().unwrap();
    let labels: Vec<_> = series
        .iter()
        .map(|s| s["label"].as_str().unwrap())
        .collect();
    assert_eq!(
        labels,
        [
            "token-cpi hot-mint",
            "zipf-transfers skew=0.8",
            "zipf-transfers skew=1.2"
        ]
    );
    assert_eq!(v["serial_equivalent"], true);
    check_series(&series[0], "token-cpi");
}

#[test]
fn list_names_every_workload() {
    let out = baton(&["bench", "--list"]);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    for w in WORKLOADS {
        assert!(text.lines().any(|l| l.starts_with(w)), "{w} in {text}");
    }
}

#[test]
fn bad_arguments_exit_2_with_a_message() {
    for args in [
        &["bench", "--workload", "nope", "--txs", "10"][..],
        &["bench", "--workload", "large-writes", "--variant", "nope"],
        &["bench", "--workload", "hot-account", "--hot", "0"],
        &["bench", "--workload", "cpi-chain", "--fail-rate", "2"],
        &["bench", "--threads", "0"],
        &["bench", "--plot", "out.txt"],
    ] {
        let out = baton(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(!out.stderr.is_empty(), "{args:?}");
        assert!(out.stdout.is_empty(), "{args:?}");
    }
    let out = baton(&["bench", "--workload", "nope"]);
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("unknown workload 'nope'") && err.contains("uniform-transfers"),
        "{err}"
    );
}

#[test]
fn plot_writes_svg_and_png() {
    let dir = tempfile::tempdir().unwrap();
    for file in ["t.svg", "t.png"] {
        let path = dir.path().join(file);
        let mut args = small("zipf-transfers", &["--skew", "0,1.2", "--plot"]);
        args.push(path.to_str().unwrap().to_string());
        let out = baton(&args.iter().map(String::as_str).collect::<Vec<_>>());
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let bytes = std::fs::read(&path).unwrap();
        assert!(bytes.len() > 1000, "{file}: {} bytes", bytes.len());
        if file.ends_with("svg") {
            let svg = String::from_utf8(bytes).unwrap();
            assert!(svg.starts_with("<svg") && svg.contains("skew=1.2"));
        } else {
            assert_eq!(&bytes[1..4], b"PNG");
        }
    }
}

#[test]
fn table_without_json() {
    let out = baton(&[
        "bench",
        "--txs",
        "300",
        "--accounts",
        "50",
        "--threads",
        "1,2",
        "--repeat",
        "1",
    ]);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("uniform-transfers"), "{text}");
    assert!(
        text.contains("tx/s (median)") && text.contains("yes"),
        "{text}"
    );
}
