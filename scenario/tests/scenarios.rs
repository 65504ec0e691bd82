//! The scenario suite: every file in `scenarios/` must pass; a failing
//! expectation and a malformed file are reported as such.
#![allow(clippy::unwrap_used)]

use std::path::PathBuf;

use baton_scenario::{self as scenario, ErrorKind};

fn suite_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../scenarios")
}

#[test]
fn every_scenario_file_passes() {
    let mut files: Vec<PathBuf> = std::fs::read_dir(suite_dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    files.sort();
    assert!(files.len() >= 50, "only {} scenario files", files.len());
    let mut failures = Vec::new();
    for path in &files {
        match scenario::run_file(path) {
            Err(e) => failures.push(format!("malformed: {e}")),
            Ok(report) => {
                for m in &report.mismatches {
                    failures.push(format!("{}: {m}", report.origin));
                }
                assert_eq!(report.transactions.len(), {
                    let s = scenario::load(path).unwrap();
                    s.transaction_count()
                });
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

const PASSING: &str = r#"
[programs]
A = "scripted"

[accounts]
payer = { lamports = 1_000_000_000 }
x = { lamports = 10_000_000, owner = "A", data = { zeroes = 1 } }

[[transactions]]
name = "write"
payer = "payer"
instructions = [{ program = "A", accounts = ["x:w"], script = [{ op = "write", account = "x", bytes = "hex:07" }] }]
[transactions.expect]
status = "STATUS"
accounts = { x = { data = "hex:07" } }
"#;

#[test]
fn a_failing_expectation_is_reported_with_transaction_field_and_values() {
    let ok = scenario::parse(&PASSING.replace("STATUS", "Ok"), "ok.toml").unwrap();
    assert!(ok.run().unwrap().passed());

    let bad = scenario::parse(
        &PASSING.replace("STATUS", "InstructionError(0, Custom(1))"),
        "bad.toml",
    )
    .unwrap();
    let report = bad.run().unwrap();
    assert!(!report.passed());
    assert_eq!(report.mismatches.len(), 1);
    let m = &report.mismatches[0];
    assert_eq!(m.transaction.as_deref(), Some("transaction 0 (write)"));
    assert_eq!(m.field, "status");
    assert_eq!(m.expected, "`InstructionError(0, Custom(1))`");
    assert_eq!(m.actual, "`Ok`");
    let json = report.to_json();
    assert_eq!(json["passed"], false);
    assert_eq!(json["transactions"][0]["status"], "Ok");
    assert_eq!(json["accounts"]["x"]["data_hex"], "07");

    let wrong_data = scenario::parse(
        &PASSING
            .replace("STATUS", "Ok")
            .replace("data = \"hex:07\" }", "data = \"hex:08\" }"),
        "data.toml",
    )
    .unwrap();
    let m = &wrong_data.run().unwrap().mismatches[0];
    assert_eq!(
        (m.account.as_deref(), m.field.as_str()),
        (Some("x"), "data")
    );
    assert_eq!(
        (m.expected.as_str(), m.actual.as_str()),
        ("hex:08", "hex:07")
    );
}

#[test]
fn malformed_files_say_where() {
    let e = scenario::parse("[accounts]\nx = { lamports = 1 \n", "broken.toml").unwrap_err();
    assert_eq!(e.kind, ErrorKind::Toml);
    assert_eq!(e.line, Some(2));
    assert!(e.to_string().starts_with("broken.toml:2:"), "{e}");

    let e = scenario::parse("[accounts]\nx = { lamport = 1 }\n", "typo.toml").unwrap_err();
    assert_eq!(e.kind, ErrorKind::Toml);
    assert!(e.message.contains("lamport"), "{e}");

    let e = scenario::parse(
        &PASSING
            .replace("STATUS", "Ok")
            .replace("\"x:w\"", "\"y:w\""),
        "unknown.toml",
    )
    .unwrap_err();
    assert_eq!(e.kind, ErrorKind::UnknownName("y".into()));
    assert!(
        e.to_string()
            .contains("transaction 0 (write), instruction 0"),
        "{e}"
    );

    let e = scenario::parse("[programs]\nA = \"nonesuch\"\n", "kind.toml").unwrap_err();
    assert_eq!(e.kind, ErrorKind::UnknownName("nonesuch".into()));

    let e = scenario::load(&suite_dir().join("no-such-file.toml")).unwrap_err();
    assert_eq!(e.kind, ErrorKind::Io);
}

#[test]
fn a_catalog_can_add_program_kinds() {
    use std::sync::Arc;
    let mut catalog = scenario::ProgramCatalog::with_defaults();
    catalog.register(
        "also-scripted",
        None,
        Arc::new(|| Arc::new(baton_scenario::scripted::ScriptedProgram)),
    );
    let src = PASSING
        .replace("STATUS", "Ok")
        .replace("A = \"scripted\"", "A = \"also-scripted\"");
    let s = scenario::parse_with(&src, "catalog.toml", &catalog).unwrap();
    assert!(s.run().unwrap().passed());
}
