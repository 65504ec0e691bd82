//! `baton run` end to end: where errors and failed expectations point, the
//! log diff, the closing summary, and files that cannot be read.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

/// A scenario that passes with `STATUS` `Ok` and no `logs` line.
const SCENARIO: &str = r#"[programs]
A = "scripted"

[accounts]
payer = { lamports = 1_000_000_000 }
x = { lamports = 10_000_000, owner = "A", data = { zeroes = 1 } }

[[transactions]]
name = "write"
payer = "payer"
instructions = [
  { program = "A", accounts = ["x:w"], script = [
      { op = "log", text = "one" },
      { op = "log", text = "two" },
      { op = "write", account = "x", bytes = "hex:07" },
  ] },
]
[transactions.expect]
status = "STATUS"
logs = LOGS
accounts = { x = { data = "hex:07" } }
"#;

/// What the transaction logs, but `two` written `three`.
const LOGS: &str = r#"[
  "Program {A} invoke [1]",
  "Program log: one",
  "Program log: three",
  "Program {A} consumed 130 of 200000 compute units",
  "Program {A} success",
]"#;

/// The scenario expecting `status`, and `logs` when given.
fn scenario(status: &str, logs: Option<&str>) -> String {
    let s = SCENARIO.replace("STATUS", status);
    match logs {
        Some(l) => s.replace("LOGS", l),
        None => s.replace("logs = LOGS\n", ""),
    }
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

fn run(files: &[&Path]) -> (Output, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_baton"))
        .arg("run")
        .args(files)
        .output()
        .expect("the binary runs");
    let err = String::from_utf8(out.stderr.clone()).unwrap();
    (out, err)
}

fn reports(out: &Output) -> Vec<Value> {
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    v.as_array().unwrap().clone()
}

/// The 1-based line of the first line of `text` containing `needle`.
fn line_of(text: &str, needle: &str) -> usize {
    text.lines().position(|l| l.contains(needle)).unwrap() + 1
}

#[test]
fn a_passing_file_ends_with_the_summary() {
    let dir = tempfile::tempdir().unwrap();
    let a = write(dir.path(), "a.toml", &scenario("Ok", None));
    let b = write(dir.path(), "b.toml", &scenario("Ok", None));
    let (out, err) = run(&[&a, &b]);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert_eq!(err, "2 passed, 0 failed\n");
    assert_eq!(reports(&out).len(), 2);
}

#[test]
fn a_failed_expectation_names_the_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let text = scenario("InstructionError(0, Custom(1))", None)
        .replace("data = \"hex:07\" }", "data = \"hex:08\" }");
    let bad = write(dir.path(), "bad.toml", &text);
    let good = write(dir.path(), "good.toml", &scenario("Ok", None));
    let (out, err) = run(&[&bad, &good]);
    assert_eq!(out.status.code(), Some(1), "{err}");
    let b = bad.display();
    let status_line = line_of(&text, "status =");
    let data_line = line_of(&text, "hex:08");
    assert!(
        err.contains(&format!(
            "{b}:{status_line}: transaction 0 (write), status: expected \
             `InstructionError(0, Custom(1))`, got `Ok`\n"
        )),
        "{err}"
    );
    assert!(
        err.contains(&format!(
            "{b}:{data_line}: transaction 0 (write), account 'x', data: expected hex:08, got hex:07\n"
        )),
        "{err}"
    );
    assert_eq!(err.lines().last(), Some("1 passed, 1 failed"), "{err}");
    let r = reports(&out);
    assert_eq!(r[0]["mismatches"][0]["line"], status_line);
    assert_eq!(r[1]["passed"], true);
}

#[test]
fn a_log_mismatch_shows_a_line_diff() {
    let dir = tempfile::tempdir().unwrap();
    let text = scenario("Ok", Some(LOGS));
    let f = write(dir.path(), "logs.toml", &text);
    let (out, err) = run(&[&f]);
    assert_eq!(out.status.code(), Some(1), "{err}");
    let header = format!(
        "{}:{}: transaction 0 (write), logs differ (- expected, + got):",
        f.display(),
        line_of(&text, "logs =")
    );
    let lines: Vec<&str> = err.lines().collect();
    let at = lines.iter().position(|l| *l == header).expect(&err);
    assert_eq!(lines[at + 2], "      Program log: one", "{err}");
    assert_eq!(lines[at + 3], "    - Program log: three", "{err}");
    assert_eq!(lines[at + 4], "    + Program log: two", "{err}");
    assert!(lines[at + 5].contains("consumed"), "{err}");
    // Not the two whole lists (printed with `{:#?}`, quoted).
    assert!(!err.contains("\"Program"), "{err}");
    assert_eq!(lines.last(), Some(&"0 passed, 1 failed"));
    let m = &reports(&out)[0]["mismatches"][0];
    assert_eq!(m["diff"][2], "- Program log: three");
}

#[test]
fn errors_found_after_parsing_name_the_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let cases = [
        // An unknown program kind: the program's entry.
        (
            "[programs]\nA = \"scripted\"\nB = \"nonesuch\"\n",
            "3:5: program 'B': unknown program kind 'nonesuch'",
        ),
        // An unknown account in an instruction: the instruction.
        (
            "[accounts]\npayer = { lamports = 1_000_000 }\n\n[[transactions]]\npayer = \"payer\"\n\
             instructions = [\n  { transfer = { from = \"payer\", to = \"payer\", lamports = 1 } },\n  \
             { transfer = { from = \"payer\", to = \"zz\", lamports = 1 } },\n]\n",
            "8:3: transaction 0, instruction 1: unknown name 'zz'",
        ),
        // An unknown payer: the transaction's table.
        (
            "[accounts]\npayer = { lamports = 1_000_000 }\n\n[[transactions]]\npayer = \"payer\"\n\n\
             [[transactions]]\npayer = \"nobody\"\n",
            "7:1: transaction 1, payer: unknown name 'nobody'",
        ),
        // An unknown owner: the account's entry.
        (
            "[accounts]\npayer = { lamports = 1 }\nx = { lamports = 1, owner = \"Q\" }\n",
            "3:5: account 'x', owner: unknown name 'Q'",
        ),
        // An unknown account in an expectation: the expectation's entry.
        (
            "[accounts]\npayer = { lamports = 1 }\n\n[expect.accounts]\npayer = { lamports = 1 }\nghost = { exists = false }\n",
            "6:9: expect, account 'ghost': unknown name 'ghost'",
        ),
    ];
    for (i, (text, want)) in cases.iter().enumerate() {
        let f = write(dir.path(), &format!("case{i}.toml"), text);
        let (out, err) = run(&[&f]);
        assert_eq!(out.status.code(), Some(2), "{text}: {err}");
        assert!(
            err.starts_with(&format!("{}:{want}", f.display())),
            "{want} in {err}"
        );
        assert_eq!(err.lines().last(), Some("0 passed, 1 failed"));
    }
}

#[test]
fn a_missing_file_cannot_be_read_and_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    let good = write(dir.path(), "good.toml", &scenario("Ok", None));
    let missing = dir.path().join("missing.toml");
    let (out, err) = run(&[&missing, &good]);
    assert_eq!(out.status.code(), Some(2), "{err}");
    let first = err.lines().next().unwrap();
    assert!(
        first.starts_with(&format!("cannot read {}: ", missing.display())) && first.len() > 40,
        "{err}"
    );
    assert_eq!(err.lines().last(), Some("1 passed, 1 failed"));
    // The file that could be read still ran.
    assert_eq!(reports(&out).len(), 1);
}
