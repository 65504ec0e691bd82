//! Native and sBPF programs calling each other in one transaction: the
//! mainnet Associated Token Account program (an sBPF ELF) creates Bob's
//! token account by calling the native system program, then a native
//! program pays him tokens by calling the mainnet SPL Token program
//! (p-token, an sBPF ELF) deployed in place of the native one. The README's
//! "Real programs" section shows the same code.

use std::sync::Arc;

use baton::prelude::*;
use baton::sdk::token::{transfer, Transfer};
use baton::token::state::{Mint, TokenAccount};
use baton::{ids, pda, ProgramLoader};

/// A native program that pays tokens by CPI into the token program.
struct Pay;

impl Program for Pay {
    fn process(&self, ctx: &InvokeContext<'_>, data: &[u8]) -> Result<(), InstructionError> {
        let amount = data
            .try_into()
            .map(u64::from_le_bytes)
            .map_err(|_| InstructionError::InvalidInstructionData)?;
        let [from, to, authority, token] = ctx.expect_accounts()?;
        transfer(
            CpiContext::new(
                token,
                Transfer {
                    from,
                    to,
                    authority,
                },
            ),
            amount,
        )
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let elf = |name: &str| format!("{}/../sbpf/elf/{name}", env!("CARGO_MANIFEST_DIR"));
    let ata_id = Pubkey::from_str_const("ATokenGPvbdGVxr1b2hvZbsiqW5xWH25efTNsLJA8knL");
    let pay_id = Pubkey::new_from_u64(7);
    let mut rt = Runtime::new().with_program(pay_id, Arc::new(Pay));
    rt.add_program_file(ids::TOKEN_PROGRAM, elf("token.so"), ProgramLoader::V2)?;
    rt.add_program_file(ata_id, elf("associated_token.so"), ProgramLoader::V2)?;

    // Alice holds 500 tokens of a mint; Bob has no token account yet.
    let alice = Keypair::from_seed(&[1; 32]);
    let (bob, mint, alice_tokens) = (
        Pubkey::new_from_u64(2),
        Pubkey::new_from_u64(3),
        Pubkey::new_from_u64(4),
    );
    rt.airdrop(&alice.pubkey(), 1_000_000_000)?;
    let m = Mint {
        supply: 500,
        decimals: 0,
        is_initialized: true,
        ..Mint::default()
    };
    rt.set_account(
        mint,
        Account::with_data(1_461_600, m.to_bytes().to_vec(), &ids::TOKEN_PROGRAM),
    )?;
    let t = TokenAccount::initialized(mint, alice.pubkey(), 500);
    rt.set_account(
        alice_tokens,
        Account::with_data(2_039_280, t.to_bytes().to_vec(), &ids::TOKEN_PROGRAM),
    )?;

    // sBPF -> native: ATA's Create calls the system program (and p-token).
    let seeds: [&[u8]; 3] = [bob.as_ref(), ids::TOKEN_PROGRAM.as_ref(), mint.as_ref()];
    let (bob_tokens, _) = pda::find_program_address(&seeds, &ata_id);
    let create = Instruction::new_with_bytes(
        ata_id,
        &[],
        vec![
            AccountMeta::new(alice.pubkey(), true),
            AccountMeta::new(bob_tokens, false),
            AccountMeta::new_readonly(bob, false),
            AccountMeta::new_readonly(mint, false),
            AccountMeta::new_readonly(ids::SYSTEM_PROGRAM, false),
            AccountMeta::new_readonly(ids::TOKEN_PROGRAM, false),
        ],
    );
    // native -> sBPF: Pay moves 200 tokens through p-token.
    let pay = Instruction::new_with_bytes(
        pay_id,
        &200u64.to_le_bytes(),
        vec![
            AccountMeta::new(alice_tokens, false),
            AccountMeta::new(bob_tokens, false),
            AccountMeta::new_readonly(alice.pubkey(), true),
            AccountMeta::new_readonly(ids::TOKEN_PROGRAM, false),
        ],
    );
    let tx = Transaction::new_signed_with_payer(
        &[create, pay],
        Some(&alice.pubkey()),
        &[&alice],
        rt.latest_blockhash(),
    )?;

    let r = &rt.execute_batch(&[tx])[0];
    println!("{:?}, {} units", r.status, r.compute_units_consumed);
    for line in &r.logs {
        println!("  {line}");
    }
    assert!(r.status.is_ok());
    let bob_account = rt.account(&bob_tokens).ok_or("no token account for Bob")?;
    assert_eq!(TokenAccount::unpack(&bob_account.data)?.amount, 200);
    Ok(())
}
