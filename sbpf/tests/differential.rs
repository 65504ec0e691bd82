//! Replays the sBPF conformance fixtures (`conformance/fixtures/{p-token,token-2022,memo,ata}.json`,
//! written by `conformance/sbpf-gen` from Mollusk 0.15.1 on Agave 4.2.2)
//! through `baton_executor::process_instruction`, under the JIT and under the
//! interpreter, and asserts equal result, compute units, changed accounts,
//! return data and log lines for every case.

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "differential/replay.rs"]
mod replay;

use baton_sbpf::Mode;
use replay::replay;

#[test]
fn p_token_fixtures_match_the_oracle_under_the_jit() {
    replay("p-token", Mode::Jit);
}

#[test]
fn p_token_fixtures_match_the_oracle_under_the_interpreter() {
    replay("p-token", Mode::Interpreter);
}

#[test]
fn token_2022_fixtures_match_the_oracle_under_the_jit() {
    replay("token-2022", Mode::Jit);
}

#[test]
fn token_2022_fixtures_match_the_oracle_under_the_interpreter() {
    replay("token-2022", Mode::Interpreter);
}

#[test]
fn memo_fixtures_match_the_oracle_under_the_jit() {
    replay("memo", Mode::Jit);
}

#[test]
fn memo_fixtures_match_the_oracle_under_the_interpreter() {
    replay("memo", Mode::Interpreter);
}

#[test]
fn p_token_instruction_fixtures_match_the_oracle_under_the_jit() {
    replay("p-token-ix", Mode::Jit);
}

#[test]
fn p_token_instruction_fixtures_match_the_oracle_under_the_interpreter() {
    replay("p-token-ix", Mode::Interpreter);
}

#[test]
fn ata_fixtures_match_the_oracle_under_the_jit() {
    replay("ata", Mode::Jit);
}

#[test]
fn ata_fixtures_match_the_oracle_under_the_interpreter() {
    replay("ata", Mode::Interpreter);
}
