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
