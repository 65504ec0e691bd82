//! `kind = "sbpf"` programs in scenario files: what a malformed entry says.
#![allow(clippy::unwrap_used)]

use baton_scenario::{self as scenario, ErrorKind};

/// An origin in `scenarios/`, against which `elf` paths resolve.
const ORIGIN: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../scenarios/inline.toml");

fn error(programs: &str) -> scenario::ScenarioError {
    let src = format!("[programs]\n{programs}\n");
    scenario::parse(&src, ORIGIN).unwrap_err()
}

#[test]
fn malformed_sbpf_programs_are_refused_with_a_reason() {
    let e = error(r#"P = { kind = "sbpf" }"#);
    assert_eq!(e.kind, ErrorKind::Invalid);
    assert!(e.to_string().contains("needs elf"), "{e}");

    let e = error(r#"P = { kind = "sbpf", elf = "../sbpf/elf/token.so", loader = "v9" }"#);
    assert!(e.to_string().contains("expected v2, v3 or v4"), "{e}");

    let e = error(r#"P = { kind = "sbpf", elf = "absent.so" }"#);
    assert!(e.to_string().contains("cannot read"), "{e}");

    // A device that never ends is not read.
    let e = error(r#"P = { kind = "sbpf", elf = "/dev/zero" }"#);
    assert!(e.to_string().contains("not a regular file"), "{e}");

    // A file that is not an ELF.
    let e = error(r#"P = { kind = "sbpf", elf = "../Cargo.toml" }"#);
    assert!(e.to_string().contains("invalid ELF"), "{e}");
}

#[test]
fn every_loader_deploys() {
    for loader in ["v2", "v3", "v4"] {
        let src = format!(
            "[programs]\nP = {{ kind = \"sbpf\", elf = \"../sbpf/elf/memo.so\", loader = \"{loader}\" }}\n"
        );
        let s = scenario::parse(&src, ORIGIN).unwrap();
        assert_eq!(s.transaction_count(), 0);
        let report = s.run().unwrap();
        assert!(report.mismatches.is_empty(), "{loader}");
    }
}

#[test]
fn assembled_programs_are_refused_with_a_reason() {
    let e = error(r#"P = { kind = "sbpf", asm = "asm/invoke.s", elf = "../sbpf/elf/memo.so" }"#);
    assert!(e.to_string().contains("elf or asm, not both"), "{e}");
    let e = error(r#"P = { kind = "sbpf", asm = "asm/absent.s" }"#);
    assert!(e.to_string().contains("cannot read"), "{e}");
    // Text that is not sBPF assembly.
    let e = error(r#"P = { kind = "sbpf", asm = "4.2-sbpf-duplicate-metas-merge.toml" }"#);
    assert_eq!(e.kind, ErrorKind::Invalid);
}

/// A call whose structures do not fit in invoke.s's heap image is refused
/// when the file is read, naming the call.
#[test]
fn a_cpi_too_large_for_the_caller_is_refused() {
    let src = r#"
[programs]
S = { kind = "sbpf", asm = "asm/invoke.s" }
T = { kind = "sbpf", asm = "asm/invoke.s" }
[accounts]
payer = { lamports = 1_000_000_000 }
[[transactions]]
payer = "payer"
instructions = [{ program = "S", accounts = ["T"], cpi = [{ program = "T", data = { zeroes = 31_000 } }] }]
"#;
    let e = scenario::parse(src, ORIGIN).unwrap_err();
    assert!(e.to_string().contains("cpi 0"), "{e}");
    assert!(e.to_string().contains("invoke.s has 30720"), "{e}");
}
