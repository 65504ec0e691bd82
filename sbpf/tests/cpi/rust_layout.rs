//! `sol_invoke_signed_rust`: the Rust account info layout and its checks.

use super::pda_signer::transfer_with;
use super::*;

// ----- the Rust layout -----

#[test]
fn sol_invoke_signed_rust_transfers_from_the_pda() {
    let out = both(|m| transfer_with("rust_transfer_pda", m, &[], true));
    assert_eq!(out.result, Ok(()), "{:#?}", out.logs);
    assert_eq!(out.accounts[0].1.lamports, 1_000_000 - 1_000);
    assert_eq!(out.accounts[1].1.lamports, 500_000 + 1_000);
    // The three 32-byte copies cost 10 each; 946 and the system's 150.
    let instructions = out.compute_units_consumed - 30 - 946 - 150;
    assert_eq!(instructions, 97); // 85 building, 2 for the case byte, 10 calling
}

#[test]
fn rust_account_info_boxes_and_pointers_are_checked() {
    let failed = |out: &InstructionOutcome, why: &str| {
        assert_eq!(out.result, Err(InstructionError::ProgramFailedToComplete));
        assert_eq!(
            out.logs.last().unwrap(),
            &format!("Program {PROGRAM} failed: {why}")
        );
    };
    // Boxes in the input region, pointers off the serialized fields.
    for k in 0..5u8 {
        let out = both(|m| transfer_with("rust_transfer_pda", m, &[k], true));
        failed(&out, "Invalid pointer");
        assert_eq!(out.accounts[0].1.lamports, 1_000_000, "case {k}");
    }
    // A meta's signer flag of 2.
    let out = both(|m| transfer_with("rust_transfer_pda", m, &[5], true));
    assert_eq!(out.result, Err(InstructionError::InvalidArgument));
    // A data length past the realloc room.
    let out = both(|m| transfer_with("rust_transfer_pda", m, &[6], true));
    assert_eq!(out.result, Err(InstructionError::InvalidRealloc));
}
