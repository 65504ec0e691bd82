//! Instruction decoding: tags, lengths, unsupported instructions.

use super::*;

#[test]
fn malformed_data_is_custom_invalid_instruction() {
    let good = tok::transfer(&A, &B, &ALICE, 1);
    for data in [
        vec![],
        vec![3, 1, 0, 0],
        vec![12, 1, 0, 0, 0, 0, 0, 0, 0],
        vec![0, 6],
        vec![0, 6, 0, 0],
        vec![20, 6].into_iter().chain([7; 32]).chain([2]).collect(),
        vec![6, 4, 0],
        vec![6, 0, 1, 5],
        vec![18, 1, 2, 3],
        vec![99],
        vec![25],
    ] {
        let ix = Instruction {
            data,
            ..good.clone()
        };
        fails(&world(), &ix, TokenError::InvalidInstruction);
    }
}

#[test]
fn unsupported_instructions_are_invalid_instruction_data() {
    let good = tok::transfer(&A, &B, &ALICE, 1);
    for &tag in UNSUPPORTED_TAGS {
        let ix = Instruction {
            data: vec![tag, 1, 1, 1, 1, 1, 1, 1, 1, 1],
            ..good.clone()
        };
        let out = Env::new().run(&world(), &ix);
        assert_eq!(out.result, Err(InstructionError::InvalidInstructionData));
        assert_eq!(out.compute_units_consumed, 0);
    }
}

#[test]
fn instructions_round_trip_and_ignore_trailing_bytes() {
    for ix in every_instruction() {
        let mut data = ix.pack();
        assert_eq!(TokenInstruction::unpack(&data), Ok(ix));
        data.extend_from_slice(&[0xAB; 5]);
        assert_eq!(TokenInstruction::unpack(&data), Ok(ix), "{ix:?}");
    }
}

#[test]
fn units_are_charged_per_instruction_and_before_accounts_are_read() {
    let env = Env::new();
    let out = ok(&env, &world(), &tok::transfer(&A, &B, &ALICE, 1));
    assert_eq!(out.compute_units_consumed, token::Transfer::UNITS);
    assert_eq!(
        out.logs.iter().filter(|l| l.contains("consumed")).count(),
        0
    );
    assert!(out
        .logs
        .contains(&"Program log: Instruction: Transfer".to_string()));

    // A failing instruction is charged too.
    let out = env.run(&world(), &tok::transfer(&A, &B, &ALICE, 5_000));
    assert_eq!(out.result, Err(TokenError::InsufficientFunds.into()));
    assert_eq!(out.compute_units_consumed, token::Transfer::UNITS);

    let mut env = Env::new();
    env.budget = token::Transfer::UNITS - 1;
    let out = env.run(&world(), &tok::transfer(&A, &B, &ALICE, 1));
    assert_eq!(
        out.result,
        Err(InstructionError::ComputationalBudgetExceeded)
    );
    assert_eq!(out.accounts, world());
}

#[test]
fn every_instruction_costs_what_spl_token_costs() {
    // SPL Token's consumption per tag (Solana v2.1, p-token's table).
    let table: [(u8, u64); 18] = [
        (0, 2_967),
        (1, 4_527),
        (3, 4_645),
        (4, 2_904),
        (5, 2_677),
        (6, 3_167),
        (7, 4_538),
        (8, 4_753),
        (9, 2_916),
        (10, 4_265),
        (11, 4_267),
        (12, 6_201),
        (13, 4_459),
        (14, 4_546),
        (15, 4_755),
        (16, 4_388),
        (18, 4_240),
        (20, 2_827),
    ];
    for ix in every_instruction() {
        let tag = ix.pack()[0];
        let units = table.iter().find(|(t, _)| *t == tag).map(|(_, u)| *u);
        assert_eq!(Some(ix.units()), units, "{ix:?}");
    }
}
