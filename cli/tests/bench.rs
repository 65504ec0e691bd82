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
    "sbpf-token-transfers",
];

fn baton<S: AsRef<std::ffi::OsStr>>(args: &[S]) -> Output {
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

/// A run's (or the pair's) rates and times: positive, and min ≤ median ≤ max.
fn check_timings(run: &Value) {
    for k in [
        "tx_per_sec",
        "median_ms",
        "min_ms",
        "max_ms",
        "batch_tx_per_sec",
    ] {
        assert!(run[k].as_f64().unwrap() > 0.0, "{k} in {run}");
    }
    assert!(run["min_ms"].as_f64() <= run["median_ms"].as_f64());
    assert!(run["median_ms"].as_f64() <= run["max_ms"].as_f64());
    // The kernel tells the CPU time of the timed batches on Linux; every
    // batch runs on some thread, so it is never zero.
    if cfg!(target_os = "linux") {
        assert!(run["cpu_ns_per_tx"].as_u64().unwrap() > 0, "{run}");
    }
}

fn check_series(v: &Value, workload: &str) {
    assert_eq!(v["workload"], workload);
    assert_eq!(v["txs"], 200);
    assert_eq!(v["accounts"], 100);
    assert_eq!(v["repeat"], 1);
    assert_eq!(v["sigverify"], false);
    assert_eq!(v["serial_fallback"], true);
    // Every transaction of a workload names one blockhash.
    assert_eq!(v["history_capacity"], 200);
    assert_eq!(v["serial_equivalent"], true, "{v}");
    let runs = v["runs"].as_array().unwrap();
    assert_eq!(runs.len(), 2);
    for (run, threads) in runs.iter().zip([1, 2]) {
        assert_eq!(run["threads"], threads);
        check_timings(run);
        assert!(run["batch_speedup"].as_f64().unwrap() > 0.0, "{run}");
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
        let out = baton(&small(w, &[]));
        assert!(
            out.status.success(),
            "{w}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        check_series(&json_of(&out), w);
    }
}

/// token-cpi's sbpf variant: the wrapper calls the p-token ELF; every
/// transaction succeeds and 2 threads end as the serial run does.
#[test]
fn token_cpi_into_p_token_is_serial_equivalent() {
    let args = small("token-cpi", &["--variant", "sbpf"]);
    let out = baton(&args);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v = json_of(&out);
    check_series(&v, "token-cpi");
    assert_eq!(v["variant"], "sbpf", "{v}");
    assert_eq!(v["failed"], 0, "{v}");
}

#[test]
fn knobs_reach_the_workloads() {
    let args = small("cpi-chain", &["--fail-rate", "0.5"]);
    let out = baton(&args);
    let v = json_of(&out);
    assert_eq!(v["fail_rate"], 0.5);
    let failed = v["failed"].as_u64().unwrap();
    assert!((60..140).contains(&failed), "{failed}");

    let args = small("hot-account", &["--hot", "1"]);
    let v = json_of(&baton(&args));
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
    let v = json_of(&baton(&args));
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
        &["bench", "--blockhash-age", "150"],
        &["bench", "--threads", "0"],
        &["bench", "--plot", "out.txt"],
        &["bench", "--pair", "1"],
        &["bench", "--shared-pair", "0"],
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
        let out = baton(&args);
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

/// The table `baton bench` prints without `--json` for a small run of
/// the default workload on 1 and 2 threads, with `extra` flags.
fn table(extra: &[&str]) -> String {
    table_on("1,2", extra)
}

/// [`table`] on the thread counts `threads`.
fn table_on(threads: &str, extra: &[&str]) -> String {
    let mut args = vec![
        "bench",
        "--txs",
        "300",
        "--accounts",
        "50",
        "--threads",
        threads,
        "--repeat",
        "1",
    ];
    args.extend_from_slice(extra);
    let out = baton(&args);
    assert!(out.status.success(), "{}", stderr_of(&out));
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn table_without_json() {
    let text = table(&[]);
    assert!(text.contains("uniform-transfers"), "{text}");
    assert!(
        text.contains("tx/s (median)") && text.contains("yes"),
        "{text}"
    );
    assert!(!text.contains("1+1"), "{text}");
}

/// The CPU line (Linux): every run against the one-thread run's when one
/// ran, and no comparison when none did.
#[test]
fn the_cpu_line_compares_with_one_thread_only_when_it_ran() {
    if !cfg!(target_os = "linux") {
        return;
    }
    let cpu_line = |text: &str| {
        let line = text.lines().find(|l| l.contains("CPU per transaction"));
        line.unwrap_or_default().to_string()
    };
    let text = table(&[]);
    let line = cpu_line(&text);
    assert!(
        line.contains("(against 1 thread): 1: ") && line.contains("(1.00), 2: "),
        "{text}"
    );
    let text = table_on("2", &[]);
    let line = cpu_line(&text);
    assert!(
        line.contains("all threads: 2: ") && !line.contains("against") && !line.contains("(1."),
        "{text}"
    );
}

fn stderr_of(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Exit 2, nothing on stdout, and a message on stderr containing `needles`.
fn refused(args: &[&str], needles: &[&str]) {
    let out = baton(args);
    let err = stderr_of(&out);
    assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
    assert!(out.stdout.is_empty(), "{args:?}");
    for n in needles {
        assert!(err.contains(n), "{args:?}: '{n}' in {err}");
    }
}

#[test]
fn a_knob_of_a_workload_not_asked_for_is_an_error() {
    refused(
        &["bench", "--txs", "10", "--skew", "1.2"],
        &["--skew", "zipf-transfers", "uniform-transfers"],
    );
    refused(
        &[
            "bench",
            "--txs",
            "10",
            "--workload",
            "cpi-chain",
            "--hot",
            "2",
        ],
        &["--hot", "hot-account"],
    );
    refused(
        &[
            "bench",
            "--txs",
            "10",
            "--workload",
            "zipf-transfers",
            "--fail-rate",
            "0.2",
        ],
        &["--fail-rate", "cpi-chain"],
    );
    // Given to a mix, a knob reaches the workload that takes it.
    let args = small("uniform-transfers,hot-account", &["--hot", "2"]);
    let out = baton(&args);
    assert!(out.status.success(), "{}", stderr_of(&out));
    let v = json_of(&out);
    assert_eq!(v["series"][1]["hot"], 2);
    assert!(v["series"][0].get("hot").is_none(), "{v}");
}

#[test]
fn plot_paths_are_checked_before_the_run_and_named() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("a-folder.svg");
    std::fs::create_dir(&folder).unwrap();
    let file = dir.path().join("a-file");
    std::fs::write(&file, b"x").unwrap();
    let under_file = file.join("t.svg");
    for (path, why) in [(&folder, "is a folder"), (&under_file, "no folder")] {
        let p = path.to_str().unwrap();
        // No --json: a run would print its table on stdout.
        refused(
            &["bench", "--txs", "50", "--repeat", "1", "--plot", p],
            &[p, why],
        );
    }
    // A path that can be written is left as it was found: absent.
    let fresh = dir.path().join("fresh.svg");
    let out = baton(&[
        "bench",
        "--txs",
        "10",
        "--workload",
        "nope",
        "--plot",
        fresh.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(!fresh.exists());
}

#[test]
fn list_with_json_prints_one_object() {
    let out = baton(&["bench", "--list", "--json"]);
    assert!(out.status.success());
    let v = json_of(&out);
    let ws = v["workloads"].as_array().unwrap();
    let names: Vec<_> = ws.iter().map(|w| w["name"].as_str().unwrap()).collect();
    assert_eq!(names, WORKLOADS);
    let zipf = &ws[1];
    assert_eq!(
        (zipf["knob"].as_str(), zipf["default"].as_f64()),
        (Some("--skew"), Some(1.0))
    );
    assert_eq!(ws[0]["knob"].as_str(), Some("--variant"));
    assert_eq!(ws[0]["variants"], serde_json::json!(["legacy", "v0-alt"]));
    assert_eq!(ws[0]["min_accounts"], 2);
    assert_eq!(
        ws[3]["variants"],
        serde_json::json!(["uniform", "hot-mint", "sbpf"])
    );
    assert_eq!(ws[5]["default_accounts"], 10_000);
}

#[test]
fn too_few_accounts_is_an_error() {
    refused(
        &["bench", "--txs", "10", "--accounts", "1"],
        &["--accounts 1", "uniform-transfers needs at least 2"],
    );
    refused(
        &[
            "bench",
            "--txs",
            "10",
            "--workload",
            "hot-account",
            "--accounts",
            "0",
        ],
        &["hot-account needs at least 1"],
    );
    let out = baton(&[
        "bench",
        "--workload",
        "hot-account",
        "--txs",
        "20",
        "--accounts",
        "1",
        "--repeat",
        "1",
        "--json",
    ]);
    assert!(out.status.success(), "{}", stderr_of(&out));
    assert_eq!(json_of(&out)["accounts"], 1);
}

#[test]
fn negative_numbers_are_values() {
    // Knobs that may be written negative reach their range check.
    refused(
        &[
            "bench",
            "--txs",
            "10",
            "--workload",
            "zipf-transfers",
            "--skew",
            "-0.5",
        ],
        &["--skew must be a finite number, 0 or more"],
    );
    refused(
        &[
            "bench",
            "--txs",
            "10",
            "--workload",
            "cpi-chain",
            "--fail-rate",
            "0.1,-1",
        ],
        &["--fail-rate must be between 0 and 1"],
    );
    // Counts say that they cannot be negative.
    for (flag, value) in [
        ("--txs", "-5"),
        ("--accounts", "-1"),
        ("--threads", "1,-2"),
        ("--batch", "-64"),
        ("--repeat", "-1"),
        ("--seed", "-7"),
        ("--hot", "-1"),
    ] {
        let mut args = vec!["bench", flag, value];
        if flag == "--hot" {
            args.extend(["--workload", "hot-account"]);
        }
        refused(&args, &[flag, "must not be negative"]);
        assert!(!stderr_of(&baton(&args)).contains("unexpected argument"));
    }
}

#[test]
fn help_shows_list_defaults_as_written() {
    let out = baton(&["bench", "--help"]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("[default: 1,2]"), "{text}");
    assert!(text.contains("[default: 1.0]"), "{text}");
}

#[test]
fn more_threads_than_cores_warns_on_stderr() {
    let cores = std::thread::available_parallelism().unwrap().get();
    let too_many = (cores + 1).to_string();
    let args = [
        "bench",
        "--txs",
        "64",
        "--accounts",
        "16",
        "--repeat",
        "1",
        "--batch",
        "32",
        "--json",
        "--threads",
    ];
    let mut over = args.to_vec();
    over.push(&too_many);
    let out = baton(&over);
    assert!(out.status.success(), "{}", stderr_of(&out));
    let err = stderr_of(&out);
    assert!(
        err.contains(&format!(
            "warning: --threads {too_many} is more than the {cores} cores"
        )),
        "{err}"
    );
    json_of(&out);
    let mut fit = args.to_vec();
    fit.push("1");
    assert!(!stderr_of(&baton(&fit)).contains("warning"));
}

#[test]
fn a_slower_parallel_run_comes_with_a_hint_and_a_faster_one_without() {
    // Timing decides which: check that the hint agrees with the figures.
    let args = small("uniform-transfers", &[]);
    let out = baton(&args);
    assert!(out.status.success());
    let v = json_of(&out);
    let err = stderr_of(&out);
    let cores = std::thread::available_parallelism().unwrap().get();
    let (one, two) = (
        v["runs"][0]["tx_per_sec"].as_f64().unwrap(),
        v["runs"][1]["tx_per_sec"].as_f64().unwrap(),
    );
    let hinted = err.contains("hint: uniform-transfers: 2 threads ran slower than 1");
    if two < one && cores >= 2 && v["conflicts"]["share"].as_f64().unwrap() < 0.5 {
        assert!(hinted, "{one} {two}: {err}");
    } else if two > one {
        assert!(!hinted, "{one} {two}: {err}");
    }
}

#[test]
fn the_serial_fallback_can_be_turned_off_and_is_reported() {
    let args = small("uniform-transfers", &["--serial-fallback", "off"]);
    let out = baton(&args);
    assert!(out.status.success(), "{}", stderr_of(&out));
    let v = json_of(&out);
    assert_eq!(v["serial_fallback"], false, "{v}");
    assert_eq!(v["serial_equivalent"], true, "{v}");
    let table = baton(&[
        "bench",
        "--txs",
        "300",
        "--accounts",
        "50",
        "--repeat",
        "1",
        "--serial-fallback",
        "off",
    ]);
    let text = String::from_utf8(table.stdout).unwrap();
    assert!(text.contains("| serial fallback off"), "{text}");
}

/// `--pair`: two one-thread runs side by side in every round, reported as
/// `pair` (serial-equivalent, rates added up) and each run's share of it;
/// absent without the flag. The table has its `1+1` row.
#[test]
fn the_pair_is_run_and_reported_only_when_asked() {
    let out = baton(&small("uniform-transfers", &["--pair"]));
    assert!(out.status.success(), "{}", stderr_of(&out));
    let v = json_of(&out);
    let pair = &v["pair"];
    assert_eq!(pair["serial_equivalent"], true, "{v}");
    check_timings(pair);
    let trip = &pair["round_trip_ns"];
    let (median, min, max) = (
        trip["median"].as_f64().unwrap(),
        trip["min"].as_f64().unwrap(),
        trip["max"].as_f64().unwrap(),
    );
    assert!(min > 0.0 && min <= median && median <= max, "{trip}");
    for run in v["runs"].as_array().unwrap() {
        assert!(run["of_pair"].as_f64().unwrap() > 0.0, "{run}");
    }

    let out = baton(&small("uniform-transfers", &[]));
    let v = json_of(&out);
    assert!(v.get("pair").is_none(), "{v}");
    assert!(v["runs"][0].get("of_pair").is_none(), "{v}");

    let text = table(&["--pair"]);
    assert!(
        text.contains("of pair") && text.contains("     1+1 ") && text.contains("round trip"),
        "{text}"
    );
    if cfg!(target_os = "linux") {
        assert!(
            text.contains("CPU per transaction") && text.contains("1: ") && text.contains("1+1: "),
            "{text}"
        );
    }
}

/// `--shared-pair`: two one-thread runtimes side by side on one store in
/// every round, reported as `shared_pair` — not checked against the serial
/// run (`serial_equivalent` null; the series stays serial-equivalent, and
/// the exit status 0) — and each run's share of it; with `--pair` too, its
/// own share of the pair. The table has its `shared` row, `-` where a
/// figure does not apply.
#[test]
fn the_shared_pair_is_reported_and_not_checked() {
    let args = |extra: &[&str]| small("uniform-transfers", extra);
    let out = baton(&args(&["--pair", "--shared-pair"]));
    assert!(out.status.success(), "{}", stderr_of(&out));
    let v = json_of(&out);
    assert_eq!(v["serial_equivalent"], true, "{v}");
    let shared = &v["shared_pair"];
    assert!(shared["serial_equivalent"].is_null(), "{shared}");
    check_timings(shared);
    assert!(shared["of_pair"].as_f64().unwrap() > 0.0, "{shared}");
    assert!(shared["round_trip_ns"]["median"].as_f64().unwrap() > 0.0);
    assert_eq!(v["pair"]["serial_equivalent"], true, "{v}");
    assert!(v["pair"].get("of_pair").is_none(), "{v}");
    for run in v["runs"].as_array().unwrap() {
        assert!(run["of_pair"].as_f64().unwrap() > 0.0, "{run}");
        assert!(run["of_shared_pair"].as_f64().unwrap() > 0.0, "{run}");
    }

    // Alone: no pair, so no share of it anywhere.
    let out = baton(&args(&["--shared-pair"]));
    assert!(out.status.success(), "{}", stderr_of(&out));
    let v = json_of(&out);
    assert!(v.get("pair").is_none(), "{v}");
    assert!(v["shared_pair"].get("of_pair").is_none(), "{v}");
    assert!(v["runs"][0].get("of_pair").is_none(), "{v}");
    assert!(v["runs"][0]["of_shared_pair"].as_f64().is_some(), "{v}");
    assert!(v.get("shared_pair").is_some());

    let text = table(&["--pair", "--shared-pair"]);
    let row = text
        .lines()
        .find(|l| l.trim_start().starts_with("shared "))
        .unwrap_or_default();
    // Not checked, and no share of itself: `-` in both places.
    assert!(
        row.contains(" - ") && row.trim_end().ends_with('-'),
        "{text}"
    );
    assert!(text.contains("of pair of shared"), "{text}");
    assert!(text.contains("on one store"), "{text}");
    if cfg!(target_os = "linux") {
        assert!(text.contains("shared: "), "{text}");
    }
    let without = table(&["--pair"]);
    assert!(
        !without.contains("of shared") && !without.contains("shared"),
        "{without}"
    );
}

/// `--pair 3 --shared-pair 3`: three runtimes side by side in each pair,
/// their rates added up (`runtimes` 3), the pair checked, the shared one
/// not; the table names the pair `3×1`. Past the cores, a warning says
/// what the figure then measures.
#[test]
fn a_pair_may_have_more_runtimes() {
    let out = baton(&small(
        "uniform-transfers",
        &["--pair", "3", "--shared-pair", "3"],
    ));
    assert!(out.status.success(), "{}", stderr_of(&out));
    let v = json_of(&out);
    assert_eq!(v["pair"]["runtimes"], 3, "{v}");
    assert_eq!(v["pair"]["serial_equivalent"], true, "{v}");
    assert_eq!(v["shared_pair"]["runtimes"], 3, "{v}");
    assert!(v["shared_pair"]["serial_equivalent"].is_null(), "{v}");
    check_timings(&v["pair"]);
    check_timings(&v["shared_pair"]);
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    assert_eq!(
        stderr_of(&out).contains("a pair of 3 runtimes side by side"),
        cores < 3
    );
    let text = table(&["--pair", "3"]);
    assert!(
        text.contains("     3×1 ") && text.contains("3×1: 3 1-thread runs"),
        "{text}"
    );
    let two = baton(&small("uniform-transfers", &["--pair"]));
    assert_eq!(json_of(&two)["pair"]["runtimes"], 2);
}
