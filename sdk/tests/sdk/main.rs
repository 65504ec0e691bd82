//! The program SDK through `process_instruction`: account handles, their
//! checks and writes ([`handles`]), the typed CPI wrappers of the system and
//! token programs and the generic invoke ([`cpi`]), borrows held across a
//! CPI, return data and logs ([`borrows`]). This file holds the fixture and
//! the probe program every topic drives. The example programs' own tests
//! are in `examples/tests/`.

#![allow(clippy::unwrap_used)]

mod borrows;
mod cpi;
mod handles;

use std::sync::Arc;

use baton_executor::{
    process_instruction, Environment, ExecutionConfig, InstructionOutcome, InvokeContext, Program,
    ProgramRegistry, SysvarCache,
};
use baton_programs::system::{self, SystemProgram};
use baton_programs::token::state::{Mint, TokenAccount};
use baton_programs::token::{self, TokenError, TokenProgram};
use baton_sdk::msg;
use baton_sdk::{self as sdk, AccountHandle, CpiContext, InvokeContextExt};
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
    let ta = TokenAccount::initialized(MINT, *owner, amount);
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
