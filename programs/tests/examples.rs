//! The program SDK through `process_instruction`: account handles, their
//! checks and writes, the typed CPI wrappers of the system and token
//! programs, the generic invoke, return data and logs, borrows held across
//! a CPI; then the example programs' encodings, pool state and curve.
//! End-to-end vault and swap flows are in `runtime/tests/examples.rs`.

#![allow(clippy::unwrap_used)]

use std::sync::Arc;

use baton_executor::{
    process_instruction, Environment, ExecutionConfig, InstructionOutcome, InvokeContext, Program,
    ProgramRegistry, SysvarCache,
};
use baton_programs::examples::swap::{
    self, curve, PoolState, SwapError, SwapInstruction, SwapProgram,
};
use baton_programs::examples::vault::{self, Receipt, VaultInstruction, VaultProgram};
use baton_programs::msg;
use baton_programs::sdk::{self, AccountHandle, CpiContext, InvokeContextExt};
use baton_programs::system::{self, SystemProgram};
use baton_programs::token::state::{AccountState, Mint, TokenAccount};
use baton_programs::token::{self, TokenError, TokenProgram};
use baton_types::{pda, Account, AccountMeta, Instruction, InstructionError, Pubkey};

// ---------------------------------------------------------------- fixture

/// The probe program: one SDK feature per op (first data byte).
const PROBE: Pubkey = Pubkey::new_from_array([0xAB; 32]);
/// A callee that sets its return data to its input and logs.
const ECHO: Pubkey = Pubkey::new_from_array([0xEC; 32]);

const ALICE: Pubkey = Pubkey::new_from_array([10; 32]);
const BOB: Pubkey = Pubkey::new_from_array([11; 32]);
const MINT: Pubkey = Pubkey::new_from_array([1; 32]);
const MINT_AUTH: Pubkey = Pubkey::new_from_array([3; 32]);
const A: Pubkey = Pubkey::new_from_array([20; 32]);
const B: Pubkey = Pubkey::new_from_array([21; 32]);
const OWNED: Pubkey = Pubkey::new_from_array([30; 32]);
const OWNED2: Pubkey = Pubkey::new_from_array([31; 32]);
const DECIMALS: u8 = 6;

struct Env {
    programs: ProgramRegistry,
    sysvars: SysvarCache,
    config: ExecutionConfig,
}

impl Env {
    fn new() -> Self {
        let mut programs = ProgramRegistry::new();
        programs.add(system::ID, Arc::new(SystemProgram));
        programs.add(token::ID, Arc::new(TokenProgram));
        programs.add(vault::ID, Arc::new(VaultProgram));
        programs.add(swap::ID, Arc::new(SwapProgram));
        programs.add(PROBE, Arc::new(Probe));
        programs.add(ECHO, Arc::new(Echo));
        Self {
            programs,
            sysvars: SysvarCache::default(),
            config: ExecutionConfig::default(),
        }
    }

    fn run(&self, accounts: &[(Pubkey, Account)], ix: &Instruction) -> InstructionOutcome {
        process_instruction(
            accounts,
            ix,
            200_000,
            Environment {
                programs: &self.programs,
                sysvars: &self.sysvars,
                config: &self.config,
            },
        )
    }

    fn rent(&self, len: usize) -> u64 {
        self.sysvars.rent.minimum_balance(len)
    }
}

fn acc(out: &InstructionOutcome, k: &Pubkey) -> Account {
    out.accounts
        .iter()
        .find(|(key, _)| key == k)
        .map(|(_, a)| a.clone())
        .unwrap()
}

fn sys(lamports: u64) -> Account {
    Account::new(lamports, 0, &system::ID)
}

fn mint_account(env: &Env) -> Account {
    let mint = Mint {
        mint_authority: Some(MINT_AUTH),
        supply: 1_000,
        decimals: DECIMALS,
        is_initialized: true,
        freeze_authority: None,
    };
    Account::with_data(env.rent(Mint::LEN), mint.to_bytes().to_vec(), &token::ID)
}

fn token_account(env: &Env, owner: &Pubkey, amount: u64) -> Account {
    let ta = TokenAccount {
        mint: MINT,
        owner: *owner,
        amount,
        state: AccountState::Initialized,
        ..TokenAccount::default()
    };
    Account::with_data(
        env.rent(TokenAccount::LEN),
        ta.to_bytes().to_vec(),
        &token::ID,
    )
}

fn balance(out: &InstructionOutcome, k: &Pubkey) -> u64 {
    TokenAccount::unpack(&acc(out, k).data).unwrap().amount
}

fn probe_ix(op: u8, args: &[u8], accounts: Vec<AccountMeta>) -> Instruction {
    let mut data = vec![op];
    data.extend_from_slice(args);
    Instruction::new_with_bytes(PROBE, &data, accounts)
}

fn assert_unchanged(out: &InstructionOutcome, accounts: &[(Pubkey, Account)]) {
    assert_eq!(
        out.accounts, accounts,
        "a failed instruction changes nothing"
    );
}

// ---------------------------------------------------------------- probe program

/// `[b"probe"]` PDA of the probe.
fn probe_pda() -> (Pubkey, u8) {
    pda::find_program_address(&[b"probe"], &PROBE)
}

fn amount(data: &[u8]) -> Result<u64, InstructionError> {
    data.get(..8)
        .and_then(|b| b.try_into().ok())
        .map(u64::from_le_bytes)
        .ok_or(InstructionError::InvalidInstructionData)
}

struct Probe;

impl Program for Probe {
    fn process(&self, ctx: &InvokeContext<'_>, data: &[u8]) -> Result<(), InstructionError> {
        let (&op, args) = data
            .split_first()
            .ok_or(InstructionError::InvalidInstructionData)?;
        match op {
            // Report every handle: signer, writable, lamports, data length, owner[0].
            0 => {
                let mut report = Vec::new();
                for h in ctx.accounts()? {
                    report.push(u8::from(h.is_signer()));
                    report.push(u8::from(h.is_writable()));
                    report.extend_from_slice(&h.lamports()?.to_le_bytes());
                    report.push(h.data_len()? as u8);
                    report.push(h.owner()?.as_ref()[0]);
                    assert_eq!(h.key(), ctx.instruction_account_key(h.index())?);
                }
                sdk::set_return_data(ctx, &report)
            }
            // Write the args into account 0's data through the guard.
            1 => {
                let h = ctx.account(0)?;
                let mut data = h.try_borrow_mut_data()?;
                data[..args.len()].copy_from_slice(args);
                Ok(())
            }
            // Realloc account 0 to args[0] bytes, then assign it to the system program.
            2 => {
                let h = ctx.account(0)?;
                h.realloc(args[0] as usize)?;
                if args.get(1) == Some(&1) {
                    h.assign(&system::ID)?;
                }
                Ok(())
            }
            // Move lamports directly: account 0 → account 1.
            3 => {
                let [from, to] = ctx.expect_accounts()?;
                from.transfer_lamports(&to, amount(args)?)
            }
            // system::transfer from account 0 to 1.
            4 => {
                let [from, to, system_program] = ctx.expect_accounts()?;
                sdk::system::transfer(
                    CpiContext::new(system_program, sdk::system::Transfer { from, to }),
                    amount(args)?,
                )
            }
            // system::create_account of the probe PDA (account 1), then
            // system::assign of nothing else: payer 0, system 2.
            5 => {
                let [payer, pda, system_program] = ctx.expect_accounts()?;
                let bump = pda.expect_pda(&[b"probe"], &ctx.program_id())?;
                sdk::system::create_account(
                    CpiContext::new(
                        system_program,
                        sdk::system::CreateAccount {
                            from: payer,
                            to: pda,
                        },
                    )
                    .with_signer(&[&[b"probe", &[bump]]]),
                    amount(args)?,
                    16,
                    &ctx.program_id(),
                )?;
                // The handle still works after the CPI and sees its result.
                if pda.owner()? != ctx.program_id() || pda.data_len()? != 16 {
                    return Err(InstructionError::GenericError);
                }
                Ok(())
            }
            // system::allocate + system::assign of the probe PDA (account 0).
            6 => {
                let [pda, system_program] = ctx.expect_accounts()?;
                let bump = pda.expect_pda(&[b"probe"], &ctx.program_id())?;
                let seeds: &[&[&[u8]]] = &[&[b"probe", &[bump]]];
                sdk::system::allocate(
                    CpiContext::new(system_program, sdk::system::Allocate { account: pda })
                        .with_signer(seeds),
                    4,
                )?;
                sdk::system::assign(
                    CpiContext::new(system_program, sdk::system::Assign { account: pda })
                        .with_signer(seeds),
                    &ctx.program_id(),
                )
            }
            // token::transfer: from 0, to 1, authority 2, token 3; args[8]
            // = 1 signs as the probe PDA.
            7 => {
                let [from, to, authority, token_program] = ctx.expect_accounts()?;
                let cpi = CpiContext::new(
                    token_program,
                    sdk::token::Transfer {
                        from,
                        to,
                        authority,
                    },
                );
                let (_, bump) = probe_pda();
                let bump = args.get(8).copied().unwrap_or(0).wrapping_add(bump);
                if args.len() > 8 {
                    sdk::token::transfer(cpi.with_signer(&[&[b"probe", &[bump]]]), amount(args)?)
                } else {
                    sdk::token::transfer(cpi, amount(args)?)
                }
            }
            // token::mint_to: mint 0, to 1, authority 2, token 3.
            8 => {
                let [mint, to, authority, token_program] = ctx.expect_accounts()?;
                sdk::token::mint_to(
                    CpiContext::new(
                        token_program,
                        sdk::token::MintTo {
                            mint,
                            to,
                            authority,
                        },
                    ),
                    amount(args)?,
                )
            }
            // token::burn: from 0, mint 1, authority 2, token 3.
            9 => {
                let [from, mint, authority, token_program] = ctx.expect_accounts()?;
                sdk::token::burn(
                    CpiContext::new(
                        token_program,
                        sdk::token::Burn {
                            from,
                            mint,
                            authority,
                        },
                    ),
                    amount(args)?,
                )
            }
            // token::transfer_checked: from 0, mint 1, to 2, authority 3,
            // token 4; decimals in args[8].
            10 => {
                let [from, mint, to, authority, token_program] = ctx.expect_accounts()?;
                sdk::token::transfer_checked(
                    CpiContext::new(
                        token_program,
                        sdk::token::TransferChecked {
                            from,
                            mint,
                            to,
                            authority,
                        },
                    ),
                    amount(args)?,
                    args[8],
                )
            }
            // Hold a mutable data guard on account 0 (probe-owned) across a
            // system transfer 1 → 2.
            11 => {
                let [held, from, to, system_program] = ctx.expect_accounts()?;
                let _guard = held.try_borrow_mut_data()?;
                sdk::system::transfer(
                    CpiContext::new(system_program, sdk::system::Transfer { from, to }),
                    1,
                )
            }
            // Hold a shared data guard on the recipient across the transfer.
            12 => {
                let [from, to, system_program] = ctx.expect_accounts()?;
                let _guard = to.try_borrow_data()?;
                sdk::system::transfer(
                    CpiContext::new(system_program, sdk::system::Transfer { from, to }),
                    1,
                )
            }
            // A handle kept across a CPI reads the callee's write: return
            // the recipient's balance before and after.
            13 => {
                let [from, to, system_program] = ctx.expect_accounts()?;
                let before = to.lamports()?;
                sdk::system::transfer(
                    CpiContext::new(system_program, sdk::system::Transfer { from, to }),
                    amount(args)?,
                )?;
                let after = to.lamports()?;
                let mut out = before.to_le_bytes().to_vec();
                out.extend_from_slice(&after.to_le_bytes());
                sdk::set_return_data(ctx, &out)
            }
            // Generic invoke: the system transfer with hand-made metas.
            14 => {
                let [from, to, _system] = ctx.expect_accounts()?;
                let ix = system::instruction::transfer(from.key(), to.key(), amount(args)?);
                sdk::invoke(
                    ctx,
                    &system::ID,
                    &[from.to_account_meta(), to.to_account_meta()],
                    &ix.data,
                )
            }
            // A check on account 0, selected by args[0].
            15 => {
                let h = ctx.account(0)?;
                match args[0] {
                    0 => h.expect_signer().map(|_| ()),
                    1 => h.expect_writable().map(|_| ()),
                    2 => h.expect_owner(&system::ID).map(|_| ()),
                    3 => h.expect_program(&system::ID).map(|_| ()),
                    4 => h.expect_key(&ALICE).map(|_| ()),
                    _ => h.expect_pda(&[b"probe"], &ctx.program_id()).map(|_| ()),
                }
            }
            // A system wrapper handed the token program's account.
            16 => {
                let [from, to, token_program] = ctx.expect_accounts()?;
                sdk::system::transfer(
                    CpiContext::new(token_program, sdk::system::Transfer { from, to }),
                    1,
                )
            }
            // Call ECHO with args; read its return data, log, return it doubled.
            17 => {
                let [echo] = ctx.expect_accounts()?;
                sdk::invoke(ctx, echo.key(), &[], args)?;
                let (program, data) =
                    sdk::get_return_data(ctx).ok_or(InstructionError::GenericError)?;
                msg!(ctx, "echo {} returned {} bytes", program, data.len());
                let mut twice = data.clone();
                twice.extend_from_slice(&data);
                sdk::set_return_data(ctx, &twice)
            }
            // Iterate with next_account; fewer than three accounts fail.
            18 => {
                let mut iter = ctx.account_iter();
                let first = iter.next_account()?;
                let second = sdk::next_account(&mut iter)?;
                let third = iter.next_account()?;
                msg!(
                    ctx,
                    "{} {} {} left {}",
                    first.key(),
                    second.key(),
                    third.key(),
                    iter.remaining()
                );
                Ok(())
            }
            _ => Err(InstructionError::InvalidInstructionData),
        }
    }
}

struct Echo;

impl Program for Echo {
    fn process(&self, ctx: &InvokeContext<'_>, data: &[u8]) -> Result<(), InstructionError> {
        msg!(ctx, "echo {}", data.len());
        sdk::set_return_data(ctx, data)
    }
}

// ---------------------------------------------------------------- handles

#[test]
fn handles_report_keys_flags_and_state() {
    let env = Env::new();
    let accounts = vec![
        (ALICE, sys(500)),
        (OWNED, Account::new(7, 3, &PROBE)),
        (BOB, sys(0)),
    ];
    let ix = probe_ix(
        0,
        &[],
        vec![
            AccountMeta::new(ALICE, true),
            AccountMeta::new_readonly(OWNED, false),
            AccountMeta::new(BOB, false),
            AccountMeta::new_readonly(ALICE, false),
        ],
    );
    let out = env.run(&accounts, &ix);
    assert_eq!(out.result, Ok(()), "{:#?}", out.logs);
    let (program, report) = out.return_data.unwrap();
    assert_eq!(program, PROBE);
    let mut want = Vec::new();
    for (signer, writable, lamports, len, owner0) in [
        (1u8, 1u8, 500u64, 0u8, 0u8),
        (0, 0, 7, 3, 0xAB),
        (0, 1, 0, 0, 0),
        // The duplicate takes the merged flags of its first occurrence.
        (1, 1, 500, 0, 0),
    ] {
        want.extend_from_slice(&[signer, writable]);
        want.extend_from_slice(&lamports.to_le_bytes());
        want.extend_from_slice(&[len, owner0]);
    }
    assert_eq!(report, want);
}

#[test]
fn handle_and_cpi_context_are_copy() {
    fn assert_copy<T: Copy>() {}
    assert_copy::<AccountHandle<'_>>();
    assert_copy::<CpiContext<'_, '_, sdk::system::Transfer<'_>>>();
}

#[test]
fn data_guard_writes_through_the_mutation_rules() {
    let env = Env::new();
    let owned = vec![(OWNED, Account::new(10, 4, &PROBE))];
    let out = env.run(
        &owned,
        &probe_ix(1, &[1, 2, 3], vec![AccountMeta::new(OWNED, false)]),
    );
    assert_eq!(out.result, Ok(()));
    assert_eq!(acc(&out, &OWNED).data, vec![1, 2, 3, 0]);

    // Read-only → ReadonlyDataModified; not ours → ExternalAccountDataModified.
    let out = env.run(
        &owned,
        &probe_ix(1, &[1], vec![AccountMeta::new_readonly(OWNED, false)]),
    );
    assert_eq!(out.result, Err(InstructionError::ReadonlyDataModified));
    let foreign = vec![(OWNED, Account::new(10, 4, &system::ID))];
    let out = env.run(
        &foreign,
        &probe_ix(1, &[1], vec![AccountMeta::new(OWNED, false)]),
    );
    assert_eq!(
        out.result,
        Err(InstructionError::ExternalAccountDataModified)
    );
    assert_unchanged(&out, &foreign);
}

#[test]
fn realloc_and_assign_follow_the_rules() {
    let env = Env::new();
    let owned = vec![(OWNED, Account::new(env.rent(0), 4, &PROBE))];
    let out = env.run(
        &owned,
        &probe_ix(2, &[0, 1], vec![AccountMeta::new(OWNED, false)]),
    );
    assert_eq!(out.result, Ok(()));
    let a = acc(&out, &OWNED);
    assert_eq!((a.data.len(), a.owner), (0, system::ID));

    // Data left non-zero → ModifiedProgramId.
    let dirty = vec![(OWNED, Account::with_data(10, vec![0, 0, 0, 9], &PROBE))];
    let out = env.run(
        &dirty,
        &probe_ix(2, &[4, 1], vec![AccountMeta::new(OWNED, false)]),
    );
    assert_eq!(out.result, Err(InstructionError::ModifiedProgramId));
    // Growing past 10 KiB in one instruction → InvalidRealloc is the
    // executor's; here: a foreign account cannot be resized.
    let foreign = vec![(OWNED, Account::new(10, 4, &system::ID))];
    let out = env.run(
        &foreign,
        &probe_ix(2, &[8], vec![AccountMeta::new(OWNED, false)]),
    );
    assert_eq!(out.result, Err(InstructionError::AccountDataSizeChanged));
}

#[test]
fn direct_lamport_moves_need_ownership() {
    let env = Env::new();
    let accounts = vec![
        (OWNED, Account::new(100, 0, &PROBE)),
        (OWNED2, Account::new(5, 0, &PROBE)),
    ];
    let metas = vec![
        AccountMeta::new(OWNED, false),
        AccountMeta::new(OWNED2, false),
    ];
    let out = env.run(&accounts, &probe_ix(3, &40u64.to_le_bytes(), metas.clone()));
    assert_eq!(out.result, Ok(()));
    assert_eq!(acc(&out, &OWNED).lamports, 60);
    assert_eq!(acc(&out, &OWNED2).lamports, 45);

    let out = env.run(&accounts, &probe_ix(3, &101u64.to_le_bytes(), metas));
    assert_eq!(out.result, Err(InstructionError::ArithmeticOverflow));

    let foreign = vec![(ALICE, sys(100)), (OWNED2, Account::new(5, 0, &PROBE))];
    let metas = vec![
        AccountMeta::new(ALICE, false),
        AccountMeta::new(OWNED2, false),
    ];
    let out = env.run(&foreign, &probe_ix(3, &1u64.to_le_bytes(), metas));
    assert_eq!(
        out.result,
        Err(InstructionError::ExternalAccountLamportSpend)
    );
    assert_unchanged(&out, &foreign);
}

#[test]
fn checks_return_the_standard_errors() {
    let env = Env::new();
    let accounts = vec![(BOB, Account::new(1, 0, &PROBE))];
    let check = |which: u8, meta: AccountMeta| {
        env.run(&accounts, &probe_ix(15, &[which], vec![meta]))
            .result
    };
    let ro = AccountMeta::new_readonly(BOB, false);
    assert_eq!(
        check(0, ro),
        Err(InstructionError::MissingRequiredSignature)
    );
    assert_eq!(check(0, AccountMeta::new_readonly(BOB, true)), Ok(()));
    assert_eq!(check(1, ro), Err(InstructionError::InvalidArgument));
    assert_eq!(check(1, AccountMeta::new(BOB, false)), Ok(()));
    assert_eq!(check(2, ro), Err(InstructionError::InvalidAccountOwner));
    assert_eq!(check(3, ro), Err(InstructionError::IncorrectProgramId));
    assert_eq!(check(4, ro), Err(InstructionError::InvalidArgument));
    assert_eq!(check(5, ro), Err(InstructionError::InvalidSeeds));
    let (pda, _) = probe_pda();
    let out = env.run(
        &[(pda, sys(0))],
        &probe_ix(15, &[5], vec![AccountMeta::new_readonly(pda, false)]),
    );
    assert_eq!(out.result, Ok(()));
    let out = env.run(
        &[(ALICE, sys(0))],
        &probe_ix(15, &[4], vec![AccountMeta::new_readonly(ALICE, false)]),
    );
    assert_eq!(out.result, Ok(()));
    let out = env.run(
        &[(ALICE, sys(0))],
        &probe_ix(15, &[2], vec![AccountMeta::new_readonly(ALICE, false)]),
    );
    assert_eq!(out.result, Ok(()));
}

#[test]
fn expect_accounts_and_iterators_count() {
    let env = Env::new();
    let two = vec![AccountMeta::new(ALICE, false), AccountMeta::new(BOB, false)];
    let accounts = vec![(ALICE, sys(1)), (BOB, sys(1))];
    // expect_accounts::<3> with two accounts.
    let out = env.run(&accounts, &probe_ix(4, &1u64.to_le_bytes(), two.clone()));
    assert_eq!(out.result, Err(InstructionError::NotEnoughAccountKeys));
    let out = env.run(&accounts, &probe_ix(18, &[], two.clone()));
    assert_eq!(out.result, Err(InstructionError::NotEnoughAccountKeys));
    let mut three = two;
    three.push(AccountMeta::new_readonly(system::ID, false));
    let out = env.run(&accounts, &probe_ix(18, &[], three));
    assert_eq!(out.result, Ok(()));
    assert!(
        out.logs.iter().any(|l| l.ends_with("left 0")),
        "{:#?}",
        out.logs
    );
}

// ---------------------------------------------------------------- system CPIs

#[test]
fn system_transfer_wrapper_moves_lamports() {
    let env = Env::new();
    let accounts = vec![(ALICE, sys(1_000)), (BOB, sys(0))];
    let metas = vec![
        AccountMeta::new(ALICE, true),
        AccountMeta::new(BOB, false),
        AccountMeta::new_readonly(system::ID, false),
    ];
    let out = env.run(
        &accounts,
        &probe_ix(4, &300u64.to_le_bytes(), metas.clone()),
    );
    assert_eq!(out.result, Ok(()), "{:#?}", out.logs);
    assert_eq!(acc(&out, &ALICE).lamports, 700);
    assert_eq!(acc(&out, &BOB).lamports, 300);
    assert!(out
        .logs
        .iter()
        .any(|l| l.contains(&format!("Program {} invoke [2]", system::ID))));

    // The funder did not sign the outer instruction → PrivilegeEscalation.
    let mut unsigned = metas.clone();
    unsigned[0].is_signer = false;
    let out = env.run(&accounts, &probe_ix(4, &300u64.to_le_bytes(), unsigned));
    assert_eq!(out.result, Err(InstructionError::PrivilegeEscalation));
    assert_unchanged(&out, &accounts);

    // The callee's own error comes back: too poor → Custom(1).
    let out = env.run(&accounts, &probe_ix(4, &2_000u64.to_le_bytes(), metas));
    assert_eq!(out.result, Err(InstructionError::Custom(1)));
    assert_unchanged(&out, &accounts);
}

#[test]
fn generic_invoke_calls_any_program() {
    let env = Env::new();
    let accounts = vec![(ALICE, sys(1_000)), (BOB, sys(0))];
    let metas = vec![
        AccountMeta::new(ALICE, true),
        AccountMeta::new(BOB, false),
        AccountMeta::new_readonly(system::ID, false),
    ];
    let out = env.run(&accounts, &probe_ix(14, &250u64.to_le_bytes(), metas));
    assert_eq!(out.result, Ok(()), "{:#?}", out.logs);
    assert_eq!(acc(&out, &BOB).lamports, 250);
}

#[test]
fn wrappers_check_the_program_account() {
    let env = Env::new();
    let accounts = vec![(ALICE, sys(1_000)), (BOB, sys(0))];
    let metas = vec![
        AccountMeta::new(ALICE, true),
        AccountMeta::new(BOB, false),
        AccountMeta::new_readonly(token::ID, false),
    ];
    let out = env.run(&accounts, &probe_ix(16, &[], metas));
    assert_eq!(out.result, Err(InstructionError::IncorrectProgramId));
}

#[test]
fn create_account_and_assign_sign_with_pda_seeds() {
    let env = Env::new();
    let (pda, _) = probe_pda();
    let rent = env.rent(16);
    let accounts = vec![(ALICE, sys(rent + 10)), (pda, sys(0))];
    let metas = vec![
        AccountMeta::new(ALICE, true),
        AccountMeta::new(pda, false),
        AccountMeta::new_readonly(system::ID, false),
    ];
    let out = env.run(&accounts, &probe_ix(5, &rent.to_le_bytes(), metas));
    assert_eq!(out.result, Ok(()), "{:#?}", out.logs);
    let created = acc(&out, &pda);
    assert_eq!(
        (created.lamports, created.data.len(), created.owner),
        (rent, 16, PROBE)
    );
    assert_eq!(acc(&out, &ALICE).lamports, 10);

    // Allocate + assign of a funded system-owned PDA.
    let accounts = vec![(pda, sys(rent))];
    let metas = vec![
        AccountMeta::new(pda, false),
        AccountMeta::new_readonly(system::ID, false),
    ];
    let out = env.run(&accounts, &probe_ix(6, &[], metas));
    assert_eq!(out.result, Ok(()), "{:#?}", out.logs);
    let a = acc(&out, &pda);
    assert_eq!((a.data.len(), a.owner), (4, PROBE));
}

// ---------------------------------------------------------------- token CPIs

fn token_env() -> (Env, Vec<(Pubkey, Account)>) {
    let env = Env::new();
    let accounts = vec![
        (MINT, mint_account(&env)),
        (A, token_account(&env, &ALICE, 100)),
        (B, token_account(&env, &BOB, 0)),
    ];
    (env, accounts)
}

#[test]
fn token_transfer_wrapper_with_user_and_pda_authority() {
    let (env, mut accounts) = token_env();
    let metas = |authority: Pubkey| {
        vec![
            AccountMeta::new(A, false),
            AccountMeta::new(B, false),
            AccountMeta::new_readonly(authority, true),
            AccountMeta::new_readonly(token::ID, false),
        ]
    };
    let out = env.run(&accounts, &probe_ix(7, &30u64.to_le_bytes(), metas(ALICE)));
    assert_eq!(out.result, Ok(()), "{:#?}", out.logs);
    assert_eq!((balance(&out, &A), balance(&out, &B)), (70, 30));

    // A token account held by the probe PDA: the PDA signs through the
    // seeds; not signed by the top level.
    let (pda, _) = probe_pda();
    accounts[1].1 = token_account(&env, &pda, 100);
    let mut pda_metas = metas(pda);
    pda_metas[2].is_signer = false;
    let mut args = 30u64.to_le_bytes().to_vec();
    args.push(0); // the canonical bump
    let out = env.run(&accounts, &probe_ix(7, &args, pda_metas.clone()));
    assert_eq!(out.result, Ok(()), "{:#?}", out.logs);
    assert_eq!((balance(&out, &A), balance(&out, &B)), (70, 30));

    // Without seeds the PDA's signature is missing.
    let out = env.run(
        &accounts,
        &probe_ix(7, &30u64.to_le_bytes(), pda_metas.clone()),
    );
    assert_eq!(out.result, Err(InstructionError::PrivilegeEscalation));
    assert_unchanged(&out, &accounts);

    // With another bump the seeds sign for another address (or none).
    let (_, bump) = probe_pda();
    let other = (1..bump)
        .rev()
        .find(|b| pda::create_program_address(&[b"probe", &[*b]], &PROBE).is_ok())
        .unwrap();
    let mut args = 30u64.to_le_bytes().to_vec();
    args.push(other.wrapping_sub(bump));
    let out = env.run(&accounts, &probe_ix(7, &args, pda_metas));
    assert_eq!(out.result, Err(InstructionError::PrivilegeEscalation));
    assert_unchanged(&out, &accounts);
}

#[test]
fn token_mint_burn_and_checked_transfer_wrappers() {
    let (env, accounts) = token_env();
    let mint_metas = vec![
        AccountMeta::new(MINT, false),
        AccountMeta::new(B, false),
        AccountMeta::new_readonly(MINT_AUTH, true),
        AccountMeta::new_readonly(token::ID, false),
    ];
    let out = env.run(&accounts, &probe_ix(8, &50u64.to_le_bytes(), mint_metas));
    assert_eq!(out.result, Ok(()), "{:#?}", out.logs);
    assert_eq!(balance(&out, &B), 50);
    assert_eq!(Mint::unpack(&acc(&out, &MINT).data).unwrap().supply, 1_050);

    let burn_metas = vec![
        AccountMeta::new(A, false),
        AccountMeta::new(MINT, false),
        AccountMeta::new_readonly(ALICE, true),
        AccountMeta::new_readonly(token::ID, false),
    ];
    let out = env.run(&accounts, &probe_ix(9, &40u64.to_le_bytes(), burn_metas));
    assert_eq!(out.result, Ok(()), "{:#?}", out.logs);
    assert_eq!(balance(&out, &A), 60);
    assert_eq!(Mint::unpack(&acc(&out, &MINT).data).unwrap().supply, 960);

    let checked = vec![
        AccountMeta::new(A, false),
        AccountMeta::new_readonly(MINT, false),
        AccountMeta::new(B, false),
        AccountMeta::new_readonly(ALICE, true),
        AccountMeta::new_readonly(token::ID, false),
    ];
    let mut args = 25u64.to_le_bytes().to_vec();
    args.push(DECIMALS);
    let out = env.run(&accounts, &probe_ix(10, &args, checked.clone()));
    assert_eq!(out.result, Ok(()), "{:#?}", out.logs);
    assert_eq!((balance(&out, &A), balance(&out, &B)), (75, 25));
    args[8] = DECIMALS + 1;
    let out = env.run(&accounts, &probe_ix(10, &args, checked));
    assert_eq!(out.result, Err(TokenError::MintDecimalsMismatch.into()));
    assert_unchanged(&out, &accounts);
}

// ---------------------------------------------------------------- borrows across a CPI

#[test]
fn handle_read_after_a_cpi_sees_the_callee_write() {
    let env = Env::new();
    let accounts = vec![(ALICE, sys(1_000)), (BOB, sys(5))];
    let metas = vec![
        AccountMeta::new(ALICE, true),
        AccountMeta::new(BOB, false),
        AccountMeta::new_readonly(system::ID, false),
    ];
    let out = env.run(&accounts, &probe_ix(13, &100u64.to_le_bytes(), metas));
    assert_eq!(out.result, Ok(()), "{:#?}", out.logs);
    let (_, data) = out.return_data.unwrap();
    assert_eq!(data[..8], 5u64.to_le_bytes());
    assert_eq!(data[8..], 105u64.to_le_bytes());
}

#[test]
fn mutable_guard_held_across_a_cpi_fails_the_call() {
    let env = Env::new();
    let accounts = vec![
        (OWNED, Account::new(10, 4, &PROBE)),
        (ALICE, sys(1_000)),
        (BOB, sys(0)),
    ];
    let metas = vec![
        AccountMeta::new(OWNED, false),
        AccountMeta::new(ALICE, true),
        AccountMeta::new(BOB, false),
        AccountMeta::new_readonly(system::ID, false),
    ];
    let out = env.run(&accounts, &probe_ix(11, &[], metas));
    // The executor sums the caller's lamports at the CPI's entry [3] and
    // finds the account still borrowed (Agave's error for this).
    assert_eq!(out.result, Err(InstructionError::AccountBorrowOutstanding));
    assert_unchanged(&out, &accounts);
}

#[test]
fn shared_guard_held_across_a_cpi_fails_the_callee_borrow() {
    let env = Env::new();
    let accounts = vec![(ALICE, sys(1_000)), (BOB, sys(0))];
    let metas = vec![
        AccountMeta::new(ALICE, true),
        AccountMeta::new(BOB, false),
        AccountMeta::new_readonly(system::ID, false),
    ];
    let out = env.run(&accounts, &probe_ix(12, &[], metas));
    assert_eq!(out.result, Err(InstructionError::AccountBorrowFailed));
    assert!(out
        .logs
        .iter()
        .any(|l| l.contains(&format!("Program {} failed", system::ID))));
    assert_unchanged(&out, &accounts);
}

// ---------------------------------------------------------------- return data and logs

#[test]
fn return_data_and_logs_round_trip_through_a_cpi() {
    let env = Env::new();
    let out = env.run(
        &[],
        &probe_ix(17, &[7, 8, 9], vec![AccountMeta::new_readonly(ECHO, false)]),
    );
    assert_eq!(out.result, Ok(()), "{:#?}", out.logs);
    assert_eq!(out.return_data, Some((PROBE, vec![7, 8, 9, 7, 8, 9])));
    assert!(
        out.logs.contains(&"Program log: echo 3".to_string()),
        "{:#?}",
        out.logs
    );
    assert!(out
        .logs
        .contains(&format!("Program log: echo {ECHO} returned 3 bytes")));
}

// ---------------------------------------------------------------- example encodings, state, curve

#[test]
fn vault_instructions_round_trip() {
    for ix in [
        VaultInstruction::Deposit(vault::Deposit { amount: 42 }),
        VaultInstruction::Withdraw(vault::Withdraw {
            amount: u64::MAX,
            bump: 254,
        }),
    ] {
        assert_eq!(VaultInstruction::unpack(&ix.pack()), Ok(ix));
    }
    assert_eq!(
        VaultInstruction::Deposit(vault::Deposit { amount: 1 }).pack(),
        vec![0, 1, 0, 0, 0, 0, 0, 0, 0]
    );
    for bad in [&[][..], &[2], &[0, 1], &[0; 10], &[1; 9], &[1; 11]] {
        assert_eq!(
            VaultInstruction::unpack(bad),
            Err(InstructionError::InvalidInstructionData)
        );
    }
    assert_eq!(
        Receipt::unpack(&Receipt { amount: 9 }.to_bytes()),
        Ok(Receipt { amount: 9 })
    );
    assert_eq!(
        Receipt::unpack(&[0; 7]),
        Err(InstructionError::InvalidAccountData)
    );
    assert_eq!(
        vault::ID.to_string(),
        "BatonVau1t111111111111111111111111111111111"
    );
}

#[test]
fn swap_instructions_and_pool_state_round_trip() {
    for ix in [
        SwapInstruction::Initialize(swap::Initialize { fee_bps: 30 }),
        SwapInstruction::Swap(swap::Swap {
            amount_in: 5,
            min_out: 7,
        }),
    ] {
        assert_eq!(SwapInstruction::unpack(&ix.pack()), Ok(ix));
    }
    assert_eq!(
        SwapInstruction::Initialize(swap::Initialize { fee_bps: 30 }).pack(),
        vec![0, 30, 0]
    );
    for bad in [&[][..], &[9], &[0, 1], &[0, 1, 2, 3], &[1; 16], &[1; 18]] {
        assert_eq!(
            SwapInstruction::unpack(bad),
            Err(InstructionError::InvalidInstructionData)
        );
    }
    let state = PoolState {
        mint_a: Pubkey::new_from_array([1; 32]),
        mint_b: Pubkey::new_from_array([2; 32]),
        vault_a: Pubkey::new_from_array([3; 32]),
        vault_b: Pubkey::new_from_array([4; 32]),
        fee_bps: 30,
        bump: 255,
        vault_a_bump: 254,
        vault_b_bump: 253,
    };
    assert_eq!(PoolState::unpack(&state.to_bytes()), Ok(state));
    assert_eq!(
        PoolState::unpack(&[0; PoolState::LEN]),
        Err(InstructionError::InvalidAccountData)
    );
    assert_eq!(
        swap::ID.to_string(),
        "BatonSwap1111111111111111111111111111111111"
    );
}

#[test]
fn curve_prices_exactly_and_never_shrinks_k() {
    // 10,000 in against 1,000,000 / 2,000,000 at 30 bps:
    // 99,700,000 · 2,000,000 / (10,000,000,000 + 99,700,000) = 19,743.16…
    assert_eq!(
        curve::amount_out(1_000_000, 2_000_000, 10_000, 30),
        Ok(19_743)
    );
    // No fee: 2,000,000 · 10,000 / 1,010,000 = 19,801.98…
    assert_eq!(
        curve::amount_out(1_000_000, 2_000_000, 10_000, 0),
        Ok(19_801)
    );
    assert_eq!(
        curve::amount_out(0, 2_000_000, 10, 30),
        Err(SwapError::InsufficientLiquidity.into())
    );
    assert_eq!(
        curve::amount_out(1_000_000, 10, 1, 30),
        Err(SwapError::ZeroAmount.into())
    );
    assert_eq!(
        curve::amount_out(1, 1, 1, 10_000),
        Err(SwapError::InvalidFee.into())
    );
    assert_eq!(
        curve::amount_out(1, u64::MAX, u64::MAX, 0),
        Err(InstructionError::ArithmeticOverflow)
    );
    // The output never reaches the reserve, and k never decreases.
    let mut seed = 0x9E37_79B9_7F4A_7C15u64;
    let mut next = || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    for _ in 0..2_000 {
        let r_in = next() % 1_000_000_000_000 + 1;
        let r_out = next() % 1_000_000_000_000 + 1;
        let amount_in = next() % 1_000_000_000_000 + 1;
        let fee = (next() % 100) as u16;
        if let Ok(out) = curve::amount_out(r_in, r_out, amount_in, fee) {
            assert!(out < r_out);
            let k0 = u128::from(r_in) * u128::from(r_out);
            let k1 = u128::from(r_in + amount_in) * u128::from(r_out - out);
            assert!(k1 >= k0, "k shrank: {r_in} {r_out} {amount_in} {fee}");
        }
    }
}

#[test]
fn vault_rejects_a_fake_vault_token_account_on_deposit() {
    // A deposit into a token account of the user's own (not held by the
    // vault PDA) would credit a receipt for nothing: InvalidVault.
    let env = Env::new();
    let accounts = vec![
        (ALICE, sys(10_000_000)),
        (MINT, mint_account(&env)),
        (A, token_account(&env, &ALICE, 100)),
        (B, token_account(&env, &ALICE, 0)),
    ];
    let ix = vault::instruction::deposit(&ALICE, &MINT, &B, &A, 10);
    let out = env.run(&accounts, &ix);
    assert_eq!(out.result, Err(vault::VaultError::InvalidVault.into()));
    assert_unchanged(&out, &accounts);
}
