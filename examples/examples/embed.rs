//! Embedding Baton as a test harness: fund accounts, add a native program,
//! run a batch, read results and accounts, and try one instruction alone.

use std::sync::Arc;

use baton::{
    system, Account, AccountMeta, Instruction, InstructionError, InvokeContext, Keypair, Program,
    Pubkey, Runtime, Transaction,
};

/// A program that stores its instruction data in its first account.
struct Memo;

impl Program for Memo {
    fn process(&self, ctx: &InvokeContext<'_>, data: &[u8]) -> Result<(), InstructionError> {
        ctx.consume_checked(100)?;
        let mut account = ctx.borrow_instruction_account(0)?;
        account.set_data_from_slice(data)?;
        ctx.log(format_args!("stored {} bytes", data.len()));
        Ok(())
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let memo_id = Pubkey::new_from_array([42; 32]);
    let mut rt = Runtime::new().with_program(memo_id, Arc::new(Memo));

    let alice = Keypair::from_seed(&[1; 32]);
    let bob = Pubkey::new_from_u64(2);
    let note = Pubkey::new_from_u64(3);
    rt.airdrop(&alice.pubkey(), 10_000_000_000)?;
    rt.set_account(note, Account::new(2_000_000, 0, &memo_id))?;

    let pay = system::instruction::transfer(&alice.pubkey(), &bob, 1_000_000);
    let write = Instruction::new_with_bytes(memo_id, b"hello", vec![AccountMeta::new(note, false)]);
    let tx = Transaction::new_signed_with_payer(
        &[pay, write],
        Some(&alice.pubkey()),
        &[&alice],
        rt.latest_blockhash(),
    )?;
    let results = rt.execute_batch(&[tx]);
    let r = &results[0];
    println!(
        "status {:?}, fee {}, units {}",
        r.status, r.fee, r.compute_units_consumed
    );
    for line in &r.logs {
        println!("  {line}");
    }
    assert!(r.status.is_ok());
    assert_eq!(rt.balance(&bob), 1_000_000);
    assert_eq!(rt.account(&note).map(|a| a.data), Some(b"hello".to_vec()));

    // One instruction on its own, Mollusk-style: nothing is stored.
    let out = rt.process_instruction(
        &Instruction::new_with_bytes(memo_id, b"draft", vec![AccountMeta::new(note, false)]),
        &[(note, Account::new(2_000_000, 0, &memo_id))],
    );
    println!(
        "alone: {:?} in {} units",
        out.result, out.compute_units_consumed
    );
    assert_eq!(out.accounts[0].1.data, b"draft");
    println!("state hash {}", rt.state_hash());
    Ok(())
}
