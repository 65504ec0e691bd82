//! The transaction-level rules: decoding, duplicates, bad values, SIMD-0170
//! defaults, caps and the prioritization fee.
use super::*;
use crate::compute_budget::instruction::{
    request_heap_frame, set_compute_unit_limit, set_compute_unit_price,
    set_loaded_accounts_data_size_limit,
};
use baton_types::{AccountMeta, Instruction};

fn payer() -> Pubkey {
    Pubkey::new_from_u64(1)
}

fn other_program() -> Instruction {
    Instruction::new_with_bytes(Pubkey::new_from_u64(9), &[], vec![])
}

fn system_ix() -> Instruction {
    Instruction::new_with_bytes(
        ids::SYSTEM_PROGRAM,
        &[2, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0],
        vec![AccountMeta::new(payer(), true)],
    )
}

fn raw(data: &[u8]) -> Instruction {
    Instruction::new_with_bytes(ids::COMPUTE_BUDGET_PROGRAM, data, vec![])
}

fn details(ixs: &[Instruction]) -> Result<ComputeBudgetInstructionDetails, TransactionError> {
    ComputeBudgetInstructionDetails::try_from_message(&Message::new(ixs, Some(&payer())))
}

fn limits(ixs: &[Instruction]) -> Result<ComputeBudgetLimits, TransactionError> {
    details(ixs)?.sanitize_and_convert()
}

#[test]
fn data_decodes_as_borsh_with_trailing_bytes_allowed() {
    assert_eq!(
        set_compute_unit_limit(300_000).data,
        [2, 0xe0, 0x93, 0x04, 0]
    );
    assert_eq!(
        set_compute_unit_price(0x0102_0304_0506_0708).data,
        [3, 8, 7, 6, 5, 4, 3, 2, 1]
    );
    assert_eq!(request_heap_frame(65_536).data, [1, 0, 0, 1, 0]);
    assert_eq!(set_loaded_accounts_data_size_limit(7).data, [4, 7, 0, 0, 0]);
    for ix in [
        set_compute_unit_limit(5),
        set_compute_unit_price(6),
        request_heap_frame(7),
        set_loaded_accounts_data_size_limit(8),
    ] {
        assert_eq!(ix.program_id, ids::COMPUTE_BUDGET_PROGRAM);
        assert!(ix.accounts.is_empty());
        let decoded = ComputeBudgetInstruction::decode(&ix.data).unwrap();
        assert_eq!(decoded.encode(), ix.data);
        let mut longer = ix.data.clone();
        longer.extend_from_slice(&[0xAA; 3]);
        assert_eq!(ComputeBudgetInstruction::decode(&longer), Some(decoded));
        assert_eq!(
            ComputeBudgetInstruction::decode(&ix.data[..ix.data.len() - 1]),
            None
        );
    }
    // The deprecated RequestUnits (tag 0), unknown tags, nothing at all.
    for bad in [&[0u8, 0, 0, 0, 0, 0, 0, 0, 0][..], &[5, 0, 0, 0, 0], &[]] {
        assert_eq!(ComputeBudgetInstruction::decode(bad), None);
    }
}

#[test]
fn malformed_data_is_invalid_instruction_data_at_its_index() {
    assert_eq!(
        details(&[system_ix(), raw(&[2, 1, 0])]),
        Err(TransactionError::InstructionError(
            1,
            InstructionError::InvalidInstructionData
        ))
    );
    assert_eq!(
        details(&[raw(&[0, 1, 0, 0, 0, 0, 0, 0, 0])]),
        Err(TransactionError::InstructionError(
            0,
            InstructionError::InvalidInstructionData
        ))
    );
}

#[test]
fn a_repeated_kind_is_a_duplicate_at_the_second_index() {
    assert_eq!(
        details(&[
            set_compute_unit_limit(1),
            system_ix(),
            set_compute_unit_price(1),
            set_compute_unit_limit(2),
        ]),
        Err(TransactionError::DuplicateInstruction(3))
    );
    for ix in [
        set_compute_unit_price(1),
        request_heap_frame(32 * 1024),
        set_loaded_accounts_data_size_limit(1),
    ] {
        assert_eq!(
            details(&[ix.clone(), ix]),
            Err(TransactionError::DuplicateInstruction(1))
        );
    }
    // The first problem wins: a duplicate before malformed data.
    assert_eq!(
        details(&[
            set_compute_unit_price(1),
            set_compute_unit_price(2),
            raw(&[9])
        ]),
        Err(TransactionError::DuplicateInstruction(1))
    );
    assert_eq!(
        details(&[
            raw(&[9]),
            set_compute_unit_price(1),
            set_compute_unit_price(2)
        ]),
        Err(TransactionError::InstructionError(
            0,
            InstructionError::InvalidInstructionData
        ))
    );
}

#[test]
fn heap_requests_are_checked_at_conversion() {
    for ok in [32 * 1024, 33 * 1024, 64 * 1024, 256 * 1024] {
        assert_eq!(
            limits(&[system_ix(), request_heap_frame(ok)]).map(|l| l.updated_heap_bytes),
            Ok(ok)
        );
    }
    for bad in [
        0,
        1024,
        31 * 1024,
        32 * 1024 + 1,
        40_000,
        257 * 1024,
        u32::MAX,
    ] {
        let d = details(&[system_ix(), request_heap_frame(bad)]).unwrap();
        assert_eq!(
            d.sanitize_and_convert(),
            Err(TransactionError::InstructionError(
                1,
                InstructionError::InvalidInstructionData
            )),
            "{bad}"
        );
    }
    assert_eq!(
        limits(&[system_ix()]).map(|l| l.updated_heap_bytes),
        Ok(32 * 1024)
    );
}

#[test]
fn loaded_accounts_data_size_limit() {
    assert_eq!(
        limits(&[set_loaded_accounts_data_size_limit(0)]),
        Err(TransactionError::InvalidLoadedAccountsDataSizeLimit)
    );
    let bytes =
        |n| limits(&[set_loaded_accounts_data_size_limit(n)]).map(|l| l.loaded_accounts_bytes);
    assert_eq!(bytes(1), Ok(1));
    assert_eq!(bytes(u32::MAX), Ok(64 * 1024 * 1024));
    assert_eq!(
        limits(&[system_ix()]).map(|l| l.loaded_accounts_bytes),
        Ok(MAX_LOADED_ACCOUNTS_DATA_SIZE_BYTES)
    );
}

#[test]
fn simd_0170_default_limits_and_the_cap() {
    let unit_limit = |ixs: &[Instruction]| limits(ixs).map(|l| l.compute_unit_limit);
    assert_eq!(unit_limit(&[]), Ok(0));
    assert_eq!(unit_limit(&[system_ix()]), Ok(3_000));
    assert_eq!(
        unit_limit(&[system_ix(), set_compute_unit_price(5)]),
        Ok(6_000)
    );
    assert_eq!(unit_limit(&[system_ix(), other_program()]), Ok(203_000));
    assert_eq!(unit_limit(&vec![other_program(); 8]), Ok(1_400_000));
    // An explicit limit replaces the default, capped at 1,400,000.
    assert_eq!(
        unit_limit(&[other_program(), set_compute_unit_limit(1_000)]),
        Ok(1_000)
    );
    assert_eq!(unit_limit(&[set_compute_unit_limit(0)]), Ok(0));
    assert_eq!(
        unit_limit(&[set_compute_unit_limit(2_000_000)]),
        Ok(1_400_000)
    );
    let d = details(&[system_ix(), other_program(), other_program()]).unwrap();
    assert_eq!(
        (d.num_builtin_instructions, d.num_non_builtin_instructions),
        (1, 2)
    );
    assert_eq!(
        d.sanitize_and_convert_with(100, 1_000_000)
            .map(|l| l.compute_unit_limit),
        Ok(3_200)
    );
}

#[test]
fn prioritization_fee_rounds_up() {
    assert_eq!(prioritization_fee(0, 1_400_000), 0);
    assert_eq!(prioritization_fee(1, 1), 1);
    assert_eq!(prioritization_fee(3, 300_000), 1);
    assert_eq!(prioritization_fee(1_000_000, 200_000), 200_000);
    assert_eq!(prioritization_fee(1_000_001, 200_000), 200_001);
    assert_eq!(prioritization_fee(u64::MAX, 1_400_000), u64::MAX);
    let l = limits(&[
        set_compute_unit_limit(10_000),
        set_compute_unit_price(2_500_000),
    ])
    .unwrap();
    assert_eq!(
        (l.compute_unit_price, l.prioritization_fee()),
        (2_500_000, 25_000)
    );
    assert_eq!(SetComputeUnitPrice { micro_lamports: 7 }.fee(1_000_000), 7);
}
