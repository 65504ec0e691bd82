//! sBPF calling the native system program: signing with a PDA, privilege
//! escalation and the account info pointer checks.

use super::*;

// ----- sBPF -> native system program, PDA signer -----

fn vault() -> (Pubkey, u8) {
    pda::find_program_address(&[b"vault"], &PROGRAM)
}

fn transfer_case(mode: Mode, extra: &[u8], dest_writable: bool) -> InstructionOutcome {
    transfer_with("system_transfer_pda", mode, extra, dest_writable)
}

pub(super) fn transfer_with(
    program: &str,
    mode: Mode,
    extra: &[u8],
    dest_writable: bool,
) -> InstructionOutcome {
    let setup = Setup::new(mode, &[(PROGRAM, program)]);
    let (pda, bump) = vault();
    let dest = Pubkey::new_from_u64(7);
    let accounts = vec![
        (pda, Account::new(1_000_000, 0, &ids::SYSTEM_PROGRAM)),
        (dest, Account::new(500_000, 0, &ids::SYSTEM_PROGRAM)),
        (ids::SYSTEM_PROGRAM, program_account()),
    ];
    let mut data = b"vault".to_vec();
    data.push(bump);
    data.extend_from_slice(extra);
    let dest_meta = if dest_writable {
        AccountMeta::new(dest, false)
    } else {
        AccountMeta::new_readonly(dest, false)
    };
    let ix = Instruction::new_with_bytes(
        PROGRAM,
        &data,
        vec![
            AccountMeta::new(pda, false),
            dest_meta,
            AccountMeta::new_readonly(ids::SYSTEM_PROGRAM, false),
        ],
    );
    setup.run(&ix, &accounts)
}

#[test]
fn sbpf_transfers_from_its_pda_through_the_native_system_program() {
    let out = both(|m| transfer_case(m, &[], true));
    assert_eq!(out.result, Ok(()), "{:#?}", out.logs);
    assert_eq!(out.accounts[0].1.lamports, 1_000_000 - 1_000);
    assert_eq!(out.accounts[1].1.lamports, 500_000 + 1_000);
    // 77 instructions run, the invoke's 946 (12 data bytes, 2 metas and 2
    // infos are all under 250 bytes: 0), the system program's 150.
    assert_eq!(out.compute_units_consumed, 77 + 946 + 150);
    assert_eq!(
        out.logs,
        vec![
            format!("Program {PROGRAM} invoke [1]"),
            format!("Program {} invoke [2]", ids::SYSTEM_PROGRAM),
            format!("Program {} success", ids::SYSTEM_PROGRAM),
            format!("Program {PROGRAM} consumed 1173 of 200000 compute units"),
            format!("Program {PROGRAM} success"),
        ]
    );
    // The amount from the data: the whole balance.
    let out = both(|m| transfer_case(m, &1_000_000u64.to_le_bytes(), true));
    assert_eq!(out.result, Ok(()), "{:#?}", out.logs);
    assert_eq!(out.accounts[0].1.lamports, 0);
    // More than the balance: the system program's error, uncaught.
    let out = both(|m| transfer_case(m, &1_000_001u64.to_le_bytes(), true));
    assert_eq!(out.result, Err(InstructionError::Custom(1)));
    assert_eq!(out.accounts[0].1.lamports, 1_000_000);
}

#[test]
fn a_readonly_account_passed_writable_is_a_writable_escalation() {
    let out = both(|m| transfer_case(m, &[], false));
    assert_eq!(out.result, Err(InstructionError::PrivilegeEscalation));
    let dest = Pubkey::new_from_u64(7);
    assert!(
        out.logs
            .contains(&format!("{dest}'s writable privilege escalated")),
        "{:#?}",
        out.logs
    );
    assert_eq!(out.accounts[0].1.lamports, 1_000_000);
}

#[test]
fn without_its_seeds_the_pda_cannot_sign() {
    // Meta 0 not signing: the system program refuses the transfer.
    let out = both(|m| transfer_case(m, &[0], true));
    assert_eq!(out.result, Err(InstructionError::MissingRequiredSignature));
    // Signing with the seeds of another address: signer escalation.
    let setup = |mode| {
        let (pda, bump) = vault();
        let other = (0..bump)
            .rev()
            .find(|b| pda::create_program_address(&[b"vault", &[*b]], &PROGRAM).is_ok())
            .unwrap();
        assert_ne!(
            pda::create_program_address(&[b"vault", &[other]], &PROGRAM).unwrap(),
            pda
        );
        let s = Setup::new(mode, &[(PROGRAM, "system_transfer_pda")]);
        let accounts = vec![
            (pda, Account::new(1_000_000, 0, &ids::SYSTEM_PROGRAM)),
            (
                Pubkey::new_from_u64(7),
                Account::new(0, 0, &ids::SYSTEM_PROGRAM),
            ),
            (ids::SYSTEM_PROGRAM, program_account()),
        ];
        let mut data = b"vault".to_vec();
        data.push(other);
        let ix = Instruction::new_with_bytes(
            PROGRAM,
            &data,
            vec![
                AccountMeta::new(pda, false),
                AccountMeta::new(Pubkey::new_from_u64(7), false),
                AccountMeta::new_readonly(ids::SYSTEM_PROGRAM, false),
            ],
        );
        s.run(&ix, &accounts)
    };
    let out = both(setup);
    assert_eq!(out.result, Err(InstructionError::PrivilegeEscalation));
    let (pda, _) = vault();
    assert!(out
        .logs
        .contains(&format!("{pda}'s signer privilege escalated")));
}

#[test]
fn account_info_pointers_must_be_the_serialized_ones() {
    // A key pointer 8 bytes off reads another key: no info matches the
    // PDA, which is then a missing account.
    let out = both(|m| transfer_case(m, &[0, 0], true));
    assert_eq!(out.result, Err(InstructionError::MissingAccount));
    let (pda, _) = vault();
    assert!(out
        .logs
        .contains(&format!("Instruction references an unknown account {pda}")));
    // A key pointer at an equal key elsewhere, lamports, data and owner
    // pointers off, or the infos in the input.
    for k in [6u8, 1, 3, 4, 5] {
        let out = both(|m| transfer_case(m, &[k, 0], true));
        assert_eq!(
            out.result,
            Err(InstructionError::ProgramFailedToComplete),
            "field {k}"
        );
        assert_eq!(
            out.logs.last().unwrap(),
            &format!("Program {PROGRAM} failed: Invalid pointer"),
            "field {k}"
        );
        assert_eq!(out.accounts[0].1.lamports, 1_000_000);
    }
    // A data length 8 bytes longer is within the realloc room, so the
    // caller->callee sync tries to resize the PDA, which the caller does
    // not own: past the length limits, the data-change check refuses it.
    let out = both(|m| transfer_case(m, &[2, 0], true));
    assert_eq!(
        out.result,
        Err(InstructionError::ExternalAccountDataModified)
    );
}
