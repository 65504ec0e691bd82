//! Native -> sBPF -> sBPF, a failing chain caught by a native `try_invoke`.

use super::chains::{fdata, FA, RESIZE};
use super::*;

// ----- native -> sBPF -> sBPF, caught -----

const CATCHER: Pubkey = Pubkey::from_str_const("Catcher111111111111111111111111111111111111");

/// A native program that `try_invoke`s forward.s (account 1) with its own
/// accounts 1.. and data, then writes 1 (the call succeeded) or 2 into
/// the first byte of its state account (account 0).
struct Catcher;

impl baton_executor::Program for Catcher {
    fn process(
        &self,
        ctx: &baton_executor::InvokeContext<'_>,
        data: &[u8],
    ) -> Result<(), InstructionError> {
        let n = ctx.instruction_account_count();
        let mut metas = Vec::new();
        for i in 1..n {
            let ia = ctx.instruction_account(i)?;
            let key = *ctx.instruction_account_key(i)?;
            metas.push(AccountMeta {
                pubkey: key,
                is_signer: ia.is_signer,
                is_writable: ia.is_writable,
            });
        }
        let ix = Instruction::new_with_bytes(FA, data, metas);
        let r = ctx.try_invoke(&ix);
        let mut state = ctx.borrow_instruction_account(0)?;
        state.data_mut()?[0] = if r.is_ok() { 1 } else { 2 };
        Ok(())
    }
}

fn caught(mode: Mode, delta: i32) -> InstructionOutcome {
    let mut setup = Setup::new(mode, &[(FA, "forward"), (RESIZE, "resize")]);
    setup.registry.add(CATCHER, Arc::new(Catcher));
    let state = Pubkey::new_from_u64(8);
    let x = Pubkey::new_from_u64(9);
    let accounts = vec![
        (state, Account::new(1_000_000, 1, &CATCHER)),
        (FA, program_account()),
        (RESIZE, program_account()),
        (x, Account::with_data(1_000_000_000, vec![7; 16], &RESIZE)),
    ];
    let ix = Instruction::new_with_bytes(
        CATCHER,
        &fdata(1, delta, &[255, 1]),
        vec![
            AccountMeta::new(state, false),
            AccountMeta::new_readonly(FA, false),
            AccountMeta::new_readonly(RESIZE, false),
            AccountMeta::new(x, false),
        ],
    );
    setup.run(&ix, &accounts)
}

#[test]
fn a_native_try_invoke_catches_a_failing_sbpf_chain_and_reverts_it() {
    // Catcher -> forward -> resize: +100 succeeds through both levels.
    let out = both(|m| caught(m, 100));
    assert_eq!(out.result, Ok(()), "{:#?}", out.logs);
    assert_eq!(out.accounts[0].1.data[0], 1);
    assert_eq!(out.accounts[3].1.data.len(), 116);
    // +10,241 fails in resize's read-back, fails forward's syscall, and is
    // caught by the native caller: no growth is left, the caller goes on.
    let out = both(|m| caught(m, 10_241));
    assert_eq!(out.result, Ok(()), "{:#?}", out.logs);
    assert_eq!(out.accounts[0].1.data[0], 2);
    assert_eq!(out.accounts[3].1.data, vec![7; 16]);
    let failed = format!(
        "Program {RESIZE} failed: {}",
        InstructionError::InvalidRealloc
    );
    assert!(out.logs.contains(&failed), "{:#?}", out.logs);
}
