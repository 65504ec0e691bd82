//! `token-cpi`: a wrapper program, [`TokenMover`], moving tokens by CPI
//! into the token program; in the `hot-mint` variant it also burns a fee,
//! which writes the one mint every transaction shares; in the `sbpf`
//! variant the token program it calls is the mainnet p-token ELF (sBPF,
//! JIT) deployed at Tokenkeg in place of the native one.

use baton::sdk::prelude::*;
use baton::sdk::{self};
use baton::token::state::{Mint, TokenAccount};
use baton::{AccountMeta, Instruction};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::sync::Arc;

use baton::sbpf::deploy::{program_accounts, ProgramLoader};
use baton::sbpf::{Mode, SbpfProgram};
use baton::{ids, Rent};

use crate::{
    build_all, distinct_pair, funded, key, owned, program_id, signers, Params, Workload,
    WorkloadError, P_TOKEN_ELF,
};

/// The id the workload registers [`TokenMover`] under.
pub const TOKEN_MOVER_ID: Pubkey = program_id("baton-bench-token-mover");

/// Tokens each generated token account starts with.
const TOKENS: u64 = 1_000_000_000_000;
/// Decimals of the generated mint.
const DECIMALS: u8 = 6;

/// A wrapper program that moves tokens with `sdk::token::transfer`, the
/// way a DeFi program moves a user's tokens. Encoding: a 1-byte tag, then
/// the fields as u64 little-endian.
#[derive(Debug, Clone, Copy, Default)]
pub struct TokenMover;

/// A decoded [`TokenMover`] instruction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenMoverInstruction {
    /// Tag 0: move `amount` tokens.
    ///
    /// Accounts:
    ///   0. `[WRITE]` Source token account
    ///   1. `[WRITE]` Destination token account
    ///   2. `[SIGNER]` The source's owner
    ///   3. `[]` Token program
    Transfer {
        /// Tokens to move.
        amount: u64,
    },
    /// Tag 1: move `amount` tokens, then burn `fee` tokens of the source.
    ///
    /// Accounts:
    ///   0. `[WRITE]` Source token account
    ///   1. `[WRITE]` Destination token account
    ///   2. `[SIGNER]` The source's owner
    ///   3. `[WRITE]` The mint
    ///   4. `[]` Token program
    TransferAndBurn {
        /// Tokens to move.
        amount: u64,
        /// Tokens to burn.
        fee: u64,
    },
}

impl TokenMoverInstruction {
    /// The instruction data.
    pub fn pack(&self) -> Vec<u8> {
        match *self {
            Self::Transfer { amount } => [&[0u8][..], &amount.to_le_bytes()].concat(),
            Self::TransferAndBurn { amount, fee } => {
                [&[1u8][..], &amount.to_le_bytes(), &fee.to_le_bytes()].concat()
            }
        }
    }

    /// Decode instruction data; `InvalidInstructionData` for anything else.
    pub fn unpack(data: &[u8]) -> Result<Self, InstructionError> {
        let word = |i: usize| -> Result<u64, InstructionError> {
            data.get(1 + 8 * i..9 + 8 * i)
                .and_then(|b| b.try_into().ok())
                .map(u64::from_le_bytes)
                .ok_or(InstructionError::InvalidInstructionData)
        };
        match (data.first(), data.len()) {
            (Some(0), 9) => Ok(Self::Transfer { amount: word(0)? }),
            (Some(1), 17) => Ok(Self::TransferAndBurn {
                amount: word(0)?,
                fee: word(1)?,
            }),
            _ => Err(InstructionError::InvalidInstructionData),
        }
    }

    /// The instruction for `program_id` (normally [`TOKEN_MOVER_ID`]).
    pub fn instruction(
        &self,
        program_id: &Pubkey,
        from: &Pubkey,
        to: &Pubkey,
        owner: &Pubkey,
        mint: &Pubkey,
    ) -> Instruction {
        let mut accounts = vec![
            AccountMeta::new(*from, false),
            AccountMeta::new(*to, false),
            AccountMeta::new_readonly(*owner, true),
        ];
        if matches!(self, Self::TransferAndBurn { .. }) {
            accounts.push(AccountMeta::new(*mint, false));
        }
        accounts.push(AccountMeta::new_readonly(baton::token::ID, false));
        Instruction::new_with_bytes(*program_id, &self.pack(), accounts)
    }
}

impl Program for TokenMover {
    fn process(&self, ctx: &InvokeContext<'_>, data: &[u8]) -> Result<(), InstructionError> {
        ctx.consume_checked(100)?;
        match TokenMoverInstruction::unpack(data)? {
            TokenMoverInstruction::Transfer { amount } => {
                let [from, to, authority, token_program] = ctx.expect_accounts()?;
                sdk::token::transfer(
                    CpiContext::new(
                        token_program,
                        sdk::token::Transfer {
                            from,
                            to,
                            authority,
                        },
                    ),
                    amount,
                )
            }
            TokenMoverInstruction::TransferAndBurn { amount, fee } => {
                let [from, to, authority, mint, token_program] = ctx.expect_accounts()?;
                sdk::token::transfer(
                    CpiContext::new(
                        token_program,
                        sdk::token::Transfer {
                            from,
                            to,
                            authority,
                        },
                    ),
                    amount,
                )?;
                sdk::token::burn(
                    CpiContext::new(
                        token_program,
                        sdk::token::Burn {
                            from,
                            mint,
                            authority,
                        },
                    ),
                    fee,
                )
            }
        }
    }
}

/// The variants of [`token_cpi`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenCpiVariant {
    /// Transfers into the native token program.
    Uniform,
    /// Transfers and a 1-token burn, writing the one mint.
    HotMint,
    /// Transfers into the p-token ELF (sBPF) at Tokenkeg.
    Sbpf,
}

/// `token-cpi`: `accounts` wallets (funded fee payers), each holding one
/// token account of a single mint; each transaction moves tokens from the
/// payer's token account to another drawn uniformly, through
/// [`TokenMover`]. With [`TokenCpiVariant::HotMint`], each also burns one
/// token, writing the mint: every transaction then conflicts with the one
/// before. With [`TokenCpiVariant::Sbpf`] the token program is p-token.
pub fn token_cpi(p: &Params, variant: TokenCpiVariant) -> Result<Workload, WorkloadError> {
    let hot_mint = variant == TokenCpiVariant::HotMint;
    let n = p.accounts.max(2);
    let (wallets, kps) = signers(n, p);
    let token_accounts: Vec<_> = (0..n).map(|i| key(2, i)).collect();
    let mint = key(3, 0);
    let mut accounts: Vec<_> = funded(&wallets).collect();
    let mint_state = Mint {
        mint_authority: Some(key(3, 1)),
        supply: TOKENS.saturating_mul(n as u64),
        decimals: DECIMALS,
        is_initialized: true,
        freeze_authority: None,
    };
    accounts.push((
        mint,
        owned(&baton::token::ID, mint_state.to_bytes().to_vec()),
    ));
    for (ta, owner) in token_accounts.iter().zip(&wallets) {
        let state = TokenAccount::initialized(mint, *owner, TOKENS);
        accounts.push((*ta, owned(&baton::token::ID, state.to_bytes().to_vec())));
    }
    let mut rng = ChaCha8Rng::seed_from_u64(p.seed);
    let plan: Vec<(usize, usize, u64)> = (0..p.txs)
        .map(|_| {
            let (from, to) = distinct_pair(&mut rng, n);
            (from, to, rng.gen_range(1..1_000))
        })
        .collect();
    let txs = build_all(&plan, &wallets, &kps, p, |_, &(from, to, amount)| {
        let ix = if hot_mint {
            TokenMoverInstruction::TransferAndBurn { amount, fee: 1 }
        } else {
            TokenMoverInstruction::Transfer { amount }
        };
        let ix = ix.instruction(
            &TOKEN_MOVER_ID,
            &token_accounts[from],
            &token_accounts[to],
            &wallets[from],
            &mint,
        );
        (vec![ix], from)
    });
    let mut programs: Vec<(Pubkey, Arc<dyn Program>)> =
        vec![(TOKEN_MOVER_ID, Arc::new(TokenMover))];
    if variant == TokenCpiVariant::Sbpf {
        let p_token = SbpfProgram::load_with_mode(P_TOKEN_ELF, Mode::Jit)
            .map_err(|_| WorkloadError::InvalidParam("the vendored p-token ELF does not load"))?;
        programs.push((ids::TOKEN_PROGRAM, Arc::new(p_token)));
        accounts.extend(program_accounts(
            ProgramLoader::V2,
            &ids::TOKEN_PROGRAM,
            P_TOKEN_ELF,
            &Rent::default(),
            0,
        ));
    }
    let variant = match variant {
        TokenCpiVariant::Uniform => "uniform",
        TokenCpiVariant::HotMint => "hot-mint",
        TokenCpiVariant::Sbpf => "sbpf",
    };
    Ok(Workload {
        blockhash_age: p.blockhash_age,
        name: "token-cpi",
        label: format!("token-cpi {variant}"),
        description: format!(
            "token transfers by CPI from a wrapper program among {n} token accounts of one mint{}",
            match variant {
                "hot-mint" => ", each burning a 1-token fee (writes the mint)",
                "sbpf" => ", the token program being the p-token ELF (sBPF, JIT)",
                _ => "",
            }
        ),
        accounts,
        programs,
        txs,
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn instructions_round_trip() {
        for ix in [
            TokenMoverInstruction::Transfer { amount: 5 },
            TokenMoverInstruction::TransferAndBurn { amount: 5, fee: 1 },
        ] {
            assert_eq!(TokenMoverInstruction::unpack(&ix.pack()), Ok(ix));
        }
        assert!(TokenMoverInstruction::unpack(&[0, 1]).is_err());
        assert!(TokenMoverInstruction::unpack(&[]).is_err());
    }

    #[test]
    fn transfers_succeed_and_hot_mint_burns() {
        for variant in [
            TokenCpiVariant::Uniform,
            TokenCpiVariant::HotMint,
            TokenCpiVariant::Sbpf,
        ] {
            let hot = variant == TokenCpiVariant::HotMint;
            let p = Params {
                txs: 50,
                accounts: 10,
                ..Params::default()
            };
            let w = token_cpi(&p, variant).unwrap();
            let program_accounts = usize::from(variant == TokenCpiVariant::Sbpf);
            assert_eq!(w.accounts.len(), 21 + program_accounts);
            let mut rt = w.runtime(2, false).unwrap();
            let results = rt.execute_batch(&w.txs);
            assert!(results.iter().all(|r| r.status.is_ok()), "{results:?}");
            if variant == TokenCpiVariant::Sbpf {
                // The token program is the deployed ELF, and its units
                // (p-token's) differ from the native program's.
                let token = rt.account(&ids::TOKEN_PROGRAM).unwrap();
                assert_eq!(token.owner, ids::BPF_LOADER);
                assert!(token.executable);
                let native = token_cpi(&p, TokenCpiVariant::Uniform).unwrap();
                let mut nrt = native.runtime(1, false).unwrap();
                let nres = nrt.execute_batch(&native.txs);
                assert_ne!(
                    results[0].compute_units_consumed,
                    nres[0].compute_units_consumed
                );
            }
            let mint = Mint::unpack(&rt.account(&key(3, 0)).unwrap().data).unwrap();
            let burnt = if hot { 50 } else { 0 };
            assert_eq!(mint.supply, TOKENS * 10 - burnt);
            let total: u64 = (0..10)
                .map(|i| {
                    TokenAccount::unpack(&rt.account(&key(2, i)).unwrap().data)
                        .unwrap()
                        .amount
                })
                .sum();
            assert_eq!(total, TOKENS * 10 - burnt);
        }
    }
}
