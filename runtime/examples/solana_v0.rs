//! A v0 transaction built and signed with the Solana crates, with
//! compute-budget instructions, run on Baton (feature `solana`); the
//! docs/embedding.md shows it, and tests/solana_interop/ runs it.

use baton::solana::{IntoBaton, IntoSolana};
use baton::Runtime;
use solana_compute_budget_interface::ComputeBudgetInstruction;
use solana_keypair::Keypair;
use solana_message::{v0, VersionedMessage};
use solana_pubkey::Pubkey;
use solana_signer::Signer;
use solana_system_interface::instruction::transfer;
use solana_transaction::versioned::VersionedTransaction;

/// `cargo run -p baton --features solana --example solana_v0`
pub fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut rt = Runtime::new(); // signature checks on
    let payer = Keypair::new_from_array([7; 32]);
    let recipient = Pubkey::new_from_array([9; 32]);
    rt.airdrop(&payer.pubkey().into_baton(), 1_000_000_000)?;

    // A v0 message compiled by solana-message: a unit limit, a unit price
    // (in micro-lamports) and a transfer; signed by solana-keypair.
    let instructions = [
        ComputeBudgetInstruction::set_compute_unit_limit(10_000),
        ComputeBudgetInstruction::set_compute_unit_price(250_000),
        transfer(&payer.pubkey(), &recipient, 5_000_000),
    ];
    let blockhash = rt.latest_blockhash().into_solana();
    let message = v0::Message::try_compile(&payer.pubkey(), &instructions, &[], blockhash)?;
    let tx = VersionedTransaction::try_new(VersionedMessage::V0(message), &[&payer])?;

    let result = rt.send_versioned(tx);
    assert_eq!(result.status, Ok(()));
    // 5,000 for the signature + ceil(250,000 × 10,000 / 1,000,000) priority.
    assert_eq!(result.fee, 5_000 + 2_500);
    assert_eq!(rt.balance(&recipient.into_baton()), 5_000_000);
    let (fee, units) = (result.fee, result.compute_units_consumed);
    println!("fee {fee}, {units} units");
    Ok(())
}
