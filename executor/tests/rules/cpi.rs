//! CPI privilege checks, depth, ignored callee errors and the CPI charge.

use baton_types::{Account, AccountMeta, InstructionError};

use crate::common::*;

#[test]
fn cpi_privilege_escalation_and_depth() {
    let accs = vec![(key(1), owned(100, 0)), (PROG, Account::default())];
    // Caller has key(1) read-only; callee asks for it writable.
    let metas = vec![
        AccountMeta::new_readonly(key(1), false),
        AccountMeta::new_readonly(PROG, false),
    ];
    let mut d = vec![10, 1, 0, 0, 1];
    d.extend_from_slice(&[0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    assert_eq!(
        run(accs.clone(), metas.clone(), d).result,
        Err(InstructionError::PrivilegeEscalation)
    );
    // Signer escalation.
    let mut d = vec![10, 1, 0, 1, 0];
    d.extend_from_slice(&[11]);
    assert_eq!(
        run(accs.clone(), metas.clone(), d).result,
        Err(InstructionError::PrivilegeEscalation)
    );
    // Self-recursion A→A is allowed; nesting past depth 5 is CallDepth.
    let nest = |levels: usize| {
        let mut d = vec![11, 1, 2, 3];
        for _ in 0..levels {
            let mut outer = vec![10, 2, 0, 0, 0, 1, 0, 0];
            outer.extend_from_slice(&d);
            d = outer;
        }
        d
    };
    let ok = run(accs.clone(), metas.clone(), nest(4));
    assert_eq!(ok.result, Ok(()));
    assert_eq!(ok.return_data, Some((PROG, vec![1, 2, 3])));
    assert_eq!(
        run(accs.clone(), metas.clone(), nest(5)).result,
        Err(InstructionError::CallDepth)
    );
    // A frame without the program among its accounts cannot call it (§4.4).
    let d = vec![10, 1, 0, 0, 0, 10, 1, 0, 0, 0, 11];
    assert_eq!(
        run(accs, metas, d).result,
        Err(InstructionError::MissingAccount)
    );
}

#[test]
fn an_ignored_callee_error_still_fails_the_instruction() {
    let out = run(
        vec![(PROG, Account::default())],
        vec![AccountMeta::new_readonly(PROG, false)],
        vec![12],
    );
    assert_eq!(out.result, Err(InstructionError::Custom(42)));
}

/// The CPI charge (semantics.md §4.8): the data and the metas are charged
/// apart, each floored, as Agave 4.2: 249 data bytes and one meta (34
/// bytes) cost no more than 249 data bytes alone.
#[test]
fn cpi_data_and_metas_are_charged_apart() {
    let units = |metas: u8| {
        let mut d = vec![10, metas];
        for _ in 0..metas {
            d.extend_from_slice(&[0, 0, 0]);
        }
        d.push(11);
        d.extend(std::iter::repeat_n(7u8, 248));
        let out = run(
            vec![(key(1), owned(100, 0))],
            vec![
                AccountMeta::new_readonly(key(1), false),
                AccountMeta::new_readonly(PROG, false),
            ],
            d,
        );
        assert_eq!(out.result, Ok(()));
        out.compute_units_consumed
    };
    assert_eq!(units(1), units(0));
    assert_eq!(units(0), 10 + 946 + 10);
}
