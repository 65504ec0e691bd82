//! The test program [`Ops`], its environment and the helpers every topic
//! module shares.

use std::sync::Arc;

use baton_executor::{
    process_instruction, Environment, ExecutionConfig, InvokeContext, Program, ProgramRegistry,
    SysvarCache,
};
use baton_types::{Account, AccountMeta, Instruction, InstructionError, Pubkey};

pub(crate) const PROG: Pubkey = Pubkey::new_from_array([7; 32]);
pub(crate) const OTHER: Pubkey = Pubkey::new_from_array([8; 32]);

/// One operation per instruction, chosen by the first byte of data.
pub(crate) struct Ops;

pub(crate) fn u64_at(d: &[u8], at: usize) -> u64 {
    u64::from_le_bytes(d[at..at + 8].try_into().unwrap())
}

impl Program for Ops {
    fn process(&self, ctx: &InvokeContext<'_>, d: &[u8]) -> Result<(), InstructionError> {
        ctx.consume_checked(10)?;
        match d[0] {
            // set lamports of account d[1]
            0 => ctx
                .borrow_instruction_account(d[1] as usize)?
                .set_lamports(u64_at(d, 2)),
            // write byte d[2] at offset 0 of account d[1]
            1 => {
                let mut a = ctx.borrow_instruction_account(d[1] as usize)?;
                a.data_mut()?[0] = d[2];
                Ok(())
            }
            // resize account d[1] to u64 at 2
            2 => ctx
                .borrow_instruction_account(d[1] as usize)?
                .set_data_length(u64_at(d, 2) as usize),
            // assign account d[1] to OTHER
            3 => ctx
                .borrow_instruction_account(d[1] as usize)?
                .set_owner(&OTHER),
            // set executable on account d[1]
            4 => ctx
                .borrow_instruction_account(d[1] as usize)?
                .set_executable(true),
            // borrow accounts d[1] and d[2] at once
            5 => {
                let _a = ctx.borrow_instruction_account(d[1] as usize)?;
                let _b = ctx.borrow_instruction_account(d[2] as usize)?;
                Ok(())
            }
            6 => panic!("test program panics"),
            // move u64 at 3 lamports from d[1] to d[2]
            7 => {
                let amount = u64_at(d, 3);
                ctx.borrow_instruction_account(d[1] as usize)?
                    .checked_sub_lamports(amount)?;
                ctx.borrow_instruction_account(d[2] as usize)?
                    .checked_add_lamports(amount)
            }
            // debit account d[1] only: unbalanced
            8 => ctx
                .borrow_instruction_account(d[1] as usize)?
                .checked_sub_lamports(1),
            // fail with a custom code
            9 => Err(InstructionError::Custom(42)),
            // CPI into self with the rest of data, passing accounts with flags d[1..]:
            // d[1] = n, then n (index, signer, writable) triples, then nested op data
            10 => {
                let n = d[1] as usize;
                let mut metas = Vec::new();
                for k in 0..n {
                    let t = &d[2 + 3 * k..5 + 3 * k];
                    let key = *ctx.instruction_account_key(t[0] as usize)?;
                    metas.push(AccountMeta {
                        pubkey: key,
                        is_signer: t[1] == 1,
                        is_writable: t[2] == 1,
                    });
                }
                let ix = Instruction {
                    program_id: PROG,
                    accounts: metas,
                    data: d[2 + 3 * n..].to_vec(),
                };
                ctx.invoke(&ix)
            }
            // set return data to the rest
            11 => ctx.set_return_data(&d[1..]),
            // invoke self with a failing op, ignore the error, succeed
            12 => {
                let me = *ctx.instruction_account_key(0)?;
                let ix = Instruction {
                    program_id: PROG,
                    accounts: vec![AccountMeta::new_readonly(me, false)],
                    data: vec![9],
                };
                let _ignored = ctx.invoke(&ix);
                Ok(())
            }
            _ => Err(InstructionError::InvalidInstructionData),
        }
    }
}

pub(crate) struct Env {
    pub(crate) programs: ProgramRegistry,
    pub(crate) sysvars: SysvarCache,
    pub(crate) config: ExecutionConfig,
}

impl Env {
    pub(crate) fn new() -> Self {
        let mut programs = ProgramRegistry::new();
        programs.add(PROG, Arc::new(Ops));
        Self {
            programs,
            sysvars: SysvarCache::default(),
            config: ExecutionConfig::default(),
        }
    }
    pub(crate) fn env(&self) -> Environment<'_> {
        Environment {
            programs: &self.programs,
            sysvars: &self.sysvars,
            config: &self.config,
        }
    }
}

pub(crate) fn key(n: u64) -> Pubkey {
    Pubkey::new_from_u64(n)
}

pub(crate) fn owned(lamports: u64, len: usize) -> Account {
    Account::new(lamports, len, &PROG)
}

pub(crate) fn run(
    accounts: Vec<(Pubkey, Account)>,
    metas: Vec<AccountMeta>,
    data: Vec<u8>,
) -> baton_executor::InstructionOutcome {
    let env = Env::new();
    let ix = Instruction {
        program_id: PROG,
        accounts: metas,
        data,
    };
    process_instruction(&accounts, &ix, 200_000, env.env())
}

pub(crate) fn op(code: u8, a: u8, rest: &[u8]) -> Vec<u8> {
    let mut v = vec![code, a];
    v.extend_from_slice(rest);
    v
}
