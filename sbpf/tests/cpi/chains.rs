//! Call chains of `forward.s`: reentrancy, depth, realloc across calls, the
//! CPI charge and return data.

use super::*;

// ----- call chains of forward.s: reentrancy, depth, realloc, return data -----

pub(super) const FA: Pubkey = Pubkey::from_str_const("FwdA111111111111111111111111111111111111111");
pub(super) const FB: Pubkey = Pubkey::from_str_const("FwdB111111111111111111111111111111111111111");
pub(super) const RESIZE: Pubkey =
    Pubkey::from_str_const("Resize1111111111111111111111111111111111111");

fn chain(mode: Mode, keys: &[Pubkey], data: &[u8], extra: Account) -> InstructionOutcome {
    let setup = Setup::new(
        mode,
        &[(FA, "forward"), (FB, "forward"), (RESIZE, "resize")],
    );
    let x = Pubkey::new_from_u64(9);
    let mut accounts: Vec<(Pubkey, Account)> =
        keys.iter().map(|k| (*k, program_account())).collect();
    accounts.push((x, extra));
    let mut metas: Vec<AccountMeta> = keys
        .iter()
        .map(|k| AccountMeta::new_readonly(*k, false))
        .collect();
    metas.push(AccountMeta::new(x, false));
    let ix = Instruction::new_with_bytes(keys[0], data, metas);
    setup.run(&ix, &accounts)
}

fn plain() -> Account {
    Account::new(1_000_000, 8, &FA)
}

/// forward.s data: calls, the argument, the path.
pub(super) fn fdata(calls: u8, arg: i32, path: &[u8]) -> Vec<u8> {
    let mut d = vec![calls];
    d.extend_from_slice(&arg.to_le_bytes());
    d.extend_from_slice(path);
    d
}

#[test]
fn a_program_may_call_itself() {
    let out = both(|m| chain(m, &[FA], &fdata(1, 0, &[0, 255]), plain()));
    assert_eq!(out.result, Ok(()), "{:#?}", out.logs);
    assert_eq!(
        out.logs
            .iter()
            .filter(|l| l.ends_with("invoke [2]"))
            .count(),
        1
    );
    assert_eq!(out.logs[1], format!("Program {FA} invoke [2]"));
}

#[test]
fn a_to_b_to_a_is_reentrancy() {
    let out = both(|m| chain(m, &[FA, FB], &fdata(1, 0, &[1, 0]), plain()));
    assert_eq!(out.result, Err(InstructionError::ReentrancyNotAllowed));
    assert!(out.logs.contains(&format!("Program {FB} invoke [2]")));
}

#[test]
fn the_fifth_level_cannot_call_deeper() {
    // Heights 1-4 call themselves; height 5's call is the sixth level.
    let out = both(|m| chain(m, &[FA], &fdata(1, 0, &[0, 0, 0, 0, 255]), plain()));
    assert_eq!(out.result, Ok(()), "{:#?}", out.logs);
    assert!(out.logs.contains(&format!("Program {FA} invoke [5]")));
    let out = both(|m| chain(m, &[FA], &fdata(1, 0, &[0, 0, 0, 0, 0]), plain()));
    assert_eq!(out.result, Err(InstructionError::CallDepth));
}

fn resized(mode: Mode, calls: u8, delta: i32) -> InstructionOutcome {
    let owned_by_resize = Account::with_data(1_000_000_000, vec![7; 16], &RESIZE);
    chain(
        mode,
        &[FA, RESIZE],
        &fdata(calls, delta, &[1]),
        owned_by_resize,
    )
}

#[test]
fn growth_across_calls_is_bounded_by_the_callers_start_length() {
    // One call growing by 10,240: within both limits.
    let out = both(|m| resized(m, 1, 10_240));
    assert_eq!(out.result, Ok(()), "{:#?}", out.logs);
    assert_eq!(out.accounts[2].1.data.len(), 16 + 10_240);
    assert_eq!(&out.accounts[2].1.data[..16], &[7; 16]);
    assert!(out.accounts[2].1.data[16..].iter().all(|b| *b == 0));
    // Return data across the call: the callee's, set again by the caller.
    assert_eq!(
        out.return_data,
        Some((FA, 10_240i32.to_le_bytes().to_vec()))
    );
    // Two calls of 5,120 each: 10,240 in all, fine.
    let out = both(|m| resized(m, 2, 5_120));
    assert_eq!(out.result, Ok(()), "{:#?}", out.logs);
    assert_eq!(out.accounts[2].1.data.len(), 16 + 10_240);
    // Two calls of 5,121: each within the callee's own limit, together one
    // byte past the caller's, caught when the second call returns.
    let out = both(|m| resized(m, 2, 5_121));
    assert_eq!(out.result, Err(InstructionError::InvalidRealloc));
    assert!(out
        .logs
        .contains(&"Account data size realloc limited to 10240 in inner instructions".to_string()));
    assert_eq!(out.accounts[2].1.data.len(), 16);
    // 10,241 in one call: the callee's own read-back refuses it.
    let out = both(|m| resized(m, 1, 10_241));
    assert_eq!(out.result, Err(InstructionError::InvalidRealloc));
    // Shrinking across a call.
    let out = both(|m| resized(m, 1, -8));
    assert_eq!(out.result, Ok(()), "{:#?}", out.logs);
    assert_eq!(out.accounts[2].1.data, vec![7; 8]);
}

/// forward.s calling resize.s (which grows account 2 by 0) with `pad`
/// extra data bytes and `extra` accounts after the three it needs.
fn charged(mode: Mode, pad: usize, extra: &[Account]) -> InstructionOutcome {
    let setup = Setup::new(mode, &[(FA, "forward"), (RESIZE, "resize")]);
    let mut accounts = vec![
        (FA, program_account()),
        (RESIZE, program_account()),
        (
            Pubkey::new_from_u64(9),
            Account::with_data(1_000_000, vec![1; 16], &RESIZE),
        ),
    ];
    for (i, a) in extra.iter().enumerate() {
        accounts.push((Pubkey::new_from_u64(100 + i as u64), a.clone()));
    }
    let metas = accounts
        .iter()
        .enumerate()
        .map(|(i, (k, _))| {
            if i == 2 {
                AccountMeta::new(*k, false)
            } else {
                AccountMeta::new_readonly(*k, false)
            }
        })
        .collect();
    let mut data = fdata(1, 0, &[1, 255]);
    data.resize(data.len() + pad, 0);
    let ix = Instruction::new_with_bytes(FA, &data, metas);
    let out = setup.run(&ix, &accounts);
    assert_eq!(out.result, Ok(()), "{:#?}", out.logs);
    out
}

#[test]
fn the_cpi_charge_term_by_term() {
    let cu =
        |pad: usize, extra: &[Account]| both(|m| charged(m, pad, extra)).compute_units_consumed;
    let base = cu(0, &[]); // 7 data bytes, 3 metas, 3 infos: 946 only
                           // The data term floors on its own: 200 bytes cost nothing even though
                           // data + 34 x 3 metas pass 250; 250 bytes cost one unit.
    assert_eq!(cu(193, &[]), base);
    assert_eq!(cu(243, &[]), base + 1);
    // Four more accounts without data: 31 instructions each in the
    // caller's walk, metas 34 x 7 = 238 bytes (0 units), infos 80 x 7 =
    // 560 bytes (2 units).
    let empty = Account::new(1, 0, &FA);
    let four = [empty.clone(), empty.clone(), empty.clone(), empty.clone()];
    assert_eq!(cu(0, &four), base + 4 * 31 + 2);
    // Callee account data: 500 bytes cost 2 units, for an executable
    // account (charged by its length alone) as for one with an info.
    let one = cu(0, std::slice::from_ref(&empty));
    let data = Account::with_data(1, vec![0; 500], &FA);
    assert_eq!(cu(0, &[data]), one + 2);
    let program = Account {
        lamports: 1,
        data: vec![0; 500],
        owner: ids::NATIVE_LOADER,
        executable: true,
        rent_epoch: 0,
    };
    assert_eq!(cu(0, &[program]), one + 2);
}
