//! sBPF -> sBPF calls into p-token, and the account info count limit.

use super::chains::FA;
use super::limits::raw_at;
use super::*;

// ----- sBPF -> sBPF p-token -----

fn to_p_token(mode: Mode) -> InstructionOutcome {
    use common::{owned, token_account_data, TOKEN_ELF, TOKEN_ID};
    let mut setup = Setup::new(mode, &[(FA, "forward")]);
    setup.registry.add(
        TOKEN_ID,
        Arc::new(common::program(TOKEN_ELF).with_mode(mode)),
    );
    let (mint, src, dst, owner) = (
        Pubkey::new_from_u64(1),
        Pubkey::new_from_u64(2),
        Pubkey::new_from_u64(3),
        Pubkey::new_from_u64(4),
    );
    let token = |amount| {
        owned(
            2_039_280,
            token_account_data(mint, owner, amount),
            &TOKEN_ID,
        )
    };
    let accounts = vec![
        (src, token(1 << 40)),
        (dst, token(0)),
        (owner, Account::default()),
        (TOKEN_ID, program_account()),
        (FA, program_account()),
    ];
    // forward.s's data doubles as p-token's Transfer: 3 calls (p-token's
    // discriminator 3), the amount's low 4 bytes as forward's argument,
    // its fifth byte the path (account 3, p-token).
    let data = [3u8, 0xe8, 0x03, 0, 0, 3, 0, 0, 0];
    let ix = Instruction::new_with_bytes(
        FA,
        &data,
        vec![
            AccountMeta::new(src, false),
            AccountMeta::new(dst, false),
            AccountMeta::new_readonly(owner, true),
            AccountMeta::new_readonly(TOKEN_ID, false),
        ],
    );
    setup.run(&ix, &accounts)
}

#[test]
fn sbpf_calls_p_token_three_times() {
    let out = both(to_p_token);
    assert_eq!(out.result, Ok(()), "{:#?}", out.logs);
    let amount = 1_000u64 + (3 << 32);
    assert_eq!(
        common::token_amount(&out.accounts[0].1.data),
        (1 << 40) - 3 * amount
    );
    assert_eq!(common::token_amount(&out.accounts[1].1.data), 3 * amount);
    // Each call: 946 + 80 x 4 infos / 250 = 1, then p-token's own 143
    // (with a fourth account; 76 with the usual three), then forward's
    // sol_get_return_data (100, none set). Forward's own 312: 100 for the
    // stack height and 212 instructions.
    let consumed: Vec<&String> = out
        .logs
        .iter()
        .filter(|l| l.starts_with(&format!("Program {} consumed 143 of", common::TOKEN_ID)))
        .collect();
    assert_eq!(consumed.len(), 3, "{:#?}", out.logs);
    let calls = 3 * (946 + 1 + 143 + 100);
    assert_eq!(
        out.compute_units_consumed - calls,
        312,
        "forward's own units"
    );
}

#[test]
fn at_most_255_account_infos() {
    // One account (the system program, no data): the data starts 10,352
    // bytes into the input. 256 infos in the (zero) heap: refused after
    // the resolution, before the infos' charge.
    let base = 0x4_0000_0000 + 8 + 10_336 + 8;
    let mut data = raw_at(base, ids::SYSTEM_PROGRAM, 0, 0, 0, 0, 0);
    data[8..16].copy_from_slice(&0x3_0000_0000u64.to_le_bytes());
    data[16..24].copy_from_slice(&256u64.to_le_bytes());
    let out = both(|m| {
        let setup = Setup::new(m, &[(PROGRAM, "raw_invoke_c")]);
        let ix = Instruction::new_with_bytes(
            PROGRAM,
            &data,
            vec![AccountMeta::new_readonly(ids::SYSTEM_PROGRAM, false)],
        );
        setup.run(&ix, &[(ids::SYSTEM_PROGRAM, program_account())])
    });
    assert_eq!(out.result, Err(InstructionError::ProgramFailedToComplete));
    assert_eq!(
        out.logs.last().unwrap(),
        &format!(
            "Program {PROGRAM} failed: Invoked an instruction with too many account info's (256 > 255)"
        )
    );
    assert_eq!(out.compute_units_consumed, 7 + 946);
}
