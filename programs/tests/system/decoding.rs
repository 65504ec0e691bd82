//! Instruction decoding.

use super::*;

#[test]
fn malformed_data_is_invalid_instruction_data_and_costs_150() {
    let env = Env::new();
    let accounts = vec![(key(1), sys(100)), (key(2), sys(0))];
    let good = sys::transfer(&key(1), &key(2), 1);
    for data in [
        vec![],
        vec![2, 0, 0, 0, 1],
        vec![13, 0, 0, 0],
        vec![99, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
    ] {
        let ix = Instruction {
            data,
            ..good.clone()
        };
        expect_err(
            &env,
            &accounts,
            &ix,
            InstructionError::InvalidInstructionData,
        );
    }
}

#[test]
fn units_are_charged_first() {
    let mut env = Env::new();
    env.budget = DEFAULT_COMPUTE_UNITS - 1;
    let accounts = vec![(key(1), sys(100)), (key(2), sys(0))];
    let out = env.run(&accounts, &sys::transfer(&key(1), &key(2), 1));
    assert_eq!(
        out.result,
        Err(InstructionError::ComputationalBudgetExceeded)
    );
    assert_eq!(out.accounts, accounts);
}

#[test]
fn builtin_logs_no_consumed_line() {
    let env = Env::new();
    let accounts = vec![(key(1), sys(100)), (key(2), sys(0))];
    let out = env.run(&accounts, &sys::transfer(&key(1), &key(2), 1));
    assert_ok(&out);
    let id = system::ID.to_string();
    assert_eq!(
        out.logs,
        vec![
            format!("Program {id} invoke [1]"),
            format!("Program {id} success")
        ]
    );
}

/// The 1,232-byte decoding limit is enforced (semantics.md §0): a seed that
/// would make decoding read past it is `InvalidInstructionData`, even with
/// every byte present; one byte less decodes. Trailing bytes past the limit
/// that decoding never reads are ignored.
#[test]
fn decoding_reads_at_most_1232_bytes() {
    // AssignWithSeed: tag 4 + base 32 + seed length 8 + seed + owner 32.
    let encode = |seed_len: usize| {
        let mut data = 10u32.to_le_bytes().to_vec();
        data.extend_from_slice(key(1).as_ref());
        data.extend_from_slice(&(seed_len as u64).to_le_bytes());
        data.extend(std::iter::repeat_n(b'a', seed_len));
        data.extend_from_slice(key(9).as_ref());
        data
    };
    let fixed = 4 + 32 + 8 + 32;
    let at_limit = encode(1232 - fixed);
    assert_eq!(at_limit.len(), 1232);
    assert!(SystemInstruction::decode(&at_limit).is_ok());
    let over = encode(1232 - fixed + 1);
    assert_eq!(
        SystemInstruction::decode(&over),
        Err(InstructionError::InvalidInstructionData)
    );
    let mut trailing = sys::transfer(&key(1), &key(2), 1).data;
    trailing.resize(4000, 7);
    assert!(SystemInstruction::decode(&trailing).is_ok());
}
