//! Cross-checks of Baton's v0 message format against Solana's own crates:
//! v0 messages and transactions with address table lookups, built by
//! `solana-message` and `solana-transaction`, decode in Baton to the same
//! fields and re-encode byte for byte; Baton's encoding deserializes in
//! Solana to the same value; Solana's `sanitize` and Baton's agree on
//! random (often invalid) v0 messages; Solana's signatures verify in Baton.
//!
//! Every input is drawn from a seeded ChaCha RNG: the same cases run every time.

// Test helpers outside `#[test]` functions unwrap too.
#![allow(clippy::unwrap_used)]

use baton_types::signing::verify_transaction;
use baton_types::wire::{decode_message, decode_transaction, encode_transaction, sanitize_message};
use baton_types::{
    CompiledInstruction, Hash, Message, MessageAddressTableLookup, MessageHeader, MessageVersion,
    Pubkey, Signature, Transaction,
};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha20Rng;
use solana_message::compiled_instruction::CompiledInstruction as SolCompiled;
use solana_message::v0::{self, MessageAddressTableLookup as SolLookup};
use solana_message::{MessageHeader as SolHeader, VersionedMessage};
use solana_signer::Signer;
use solana_transaction::versioned::VersionedTransaction;

type SolPubkey = solana_pubkey::Pubkey;

fn bytes_of(n: usize, rng: &mut ChaCha20Rng) -> Vec<u8> {
    (0..n).map(|_| rng.gen()).collect()
}

/// A random v0 message: sane when `valid`, else with fields drawn loosely
/// enough that many break one sanitize rule or another.
fn random_v0(rng: &mut ChaCha20Rng, valid: bool) -> v0::Message {
    let num_keys = rng.gen_range(2..12usize);
    let num_signers = rng.gen_range(1..=num_keys);
    let mut header = SolHeader {
        num_required_signatures: num_signers as u8,
        num_readonly_signed_accounts: rng.gen_range(0..num_signers) as u8,
        num_readonly_unsigned_accounts: rng.gen_range(0..=num_keys - num_signers) as u8,
    };
    let lookups: Vec<SolLookup> = (0..rng.gen_range(0..4))
        .map(|_| {
            let w = rng.gen_range(0..5);
            let r = rng.gen_range(usize::from(w == 0)..5);
            SolLookup {
                account_key: SolPubkey::new_from_array(rng.gen()),
                writable_indexes: bytes_of(w, rng),
                readonly_indexes: bytes_of(r, rng),
            }
        })
        .collect();
    let loaded: usize = lookups
        .iter()
        .map(|l| l.writable_indexes.len() + l.readonly_indexes.len())
        .sum();
    let total = num_keys + loaded;
    let mut instructions: Vec<SolCompiled> = (0..rng.gen_range(0..5))
        .map(|_| SolCompiled {
            program_id_index: rng.gen_range(1..num_keys.max(2)) as u8,
            accounts: (0..rng.gen_range(0..6))
                .map(|_| rng.gen_range(0..total) as u8)
                .collect(),
            data: bytes_of(rng.gen_range(0..40), rng),
        })
        .collect();
    let mut lookups = lookups;
    if !valid {
        match rng.gen_range(0..6) {
            0 => header.num_readonly_signed_accounts = header.num_required_signatures,
            1 => header.num_readonly_unsigned_accounts = rng.gen(),
            2 => lookups.push(SolLookup {
                account_key: SolPubkey::new_from_array(rng.gen()),
                writable_indexes: Vec::new(),
                readonly_indexes: Vec::new(),
            }),
            3 => lookups.push(SolLookup {
                account_key: SolPubkey::new_from_array(rng.gen()),
                writable_indexes: bytes_of(rng.gen_range(200..300), rng),
                readonly_indexes: Vec::new(),
            }),
            4 => instructions.push(SolCompiled {
                program_id_index: rng.gen_range(0..=total.min(255)) as u8,
                accounts: Vec::new(),
                data: Vec::new(),
            }),
            _ => instructions.push(SolCompiled {
                program_id_index: 1,
                accounts: vec![rng.gen_range(total.saturating_sub(2)..=total.min(255)) as u8],
                data: Vec::new(),
            }),
        }
    }
    v0::Message {
        header,
        account_keys: (0..num_keys)
            .map(|_| SolPubkey::new_from_array(rng.gen()))
            .collect(),
        recent_blockhash: solana_hash::Hash::new_from_array(rng.gen()),
        instructions,
        address_table_lookups: lookups,
    }
}

/// The same message, field by field, as Baton's type.
fn baton_message(m: &v0::Message) -> Message {
    Message {
        header: MessageHeader {
            num_required_signatures: m.header.num_required_signatures,
            num_readonly_signed_accounts: m.header.num_readonly_signed_accounts,
            num_readonly_unsigned_accounts: m.header.num_readonly_unsigned_accounts,
        },
        account_keys: m
            .account_keys
            .iter()
            .map(|k| Pubkey(k.to_bytes()))
            .collect(),
        recent_blockhash: Hash(m.recent_blockhash.to_bytes()),
        instructions: m
            .instructions
            .iter()
            .map(|ix| CompiledInstruction {
                program_id_index: ix.program_id_index,
                accounts: ix.accounts.clone(),
                data: ix.data.clone(),
            })
            .collect(),
        version: MessageVersion::V0,
        address_table_lookups: m
            .address_table_lookups
            .iter()
            .map(|l| MessageAddressTableLookup {
                account_key: Pubkey(l.account_key.to_bytes()),
                writable_indexes: l.writable_indexes.clone(),
                readonly_indexes: l.readonly_indexes.clone(),
            })
            .collect(),
    }
}

#[test]
fn v0_transactions_match_solana_byte_for_byte() {
    let mut rng = ChaCha20Rng::seed_from_u64(0x0a17);
    let mut with_lookups = 0;
    for case in 0..400 {
        let m = random_v0(&mut rng, true);
        let sigs: Vec<solana_transaction::Signature> = (0..m.header.num_required_signatures)
            .map(|_| {
                let mut s = [0u8; 64];
                rng.fill(&mut s[..]);
                solana_transaction::Signature::from(s)
            })
            .collect();
        with_lookups += usize::from(!m.address_table_lookups.is_empty());
        let vtx = VersionedTransaction {
            signatures: sigs.clone(),
            message: VersionedMessage::V0(m.clone()),
        };
        assert_eq!(vtx.sanitize(), Ok(()), "case {case}");
        let sol_bytes = bincode::serialize(&vtx).unwrap();
        // Solana's bytes decode in Baton to the same fields ...
        let ours = decode_transaction(&sol_bytes).unwrap_or_else(|e| panic!("case {case}: {e}"));
        let expected = Transaction {
            signatures: sigs.iter().map(|s| Signature(*s.as_array())).collect(),
            message: baton_message(&m),
        };
        assert_eq!(ours, expected, "case {case}");
        // ... and re-encode byte for byte; the message alone too.
        assert_eq!(encode_transaction(&ours), sol_bytes, "case {case}");
        let sol_msg = VersionedMessage::V0(m.clone()).serialize();
        assert_eq!(ours.message.serialize(), sol_msg, "case {case}");
        assert_eq!(decode_message(&sol_msg).as_ref(), Ok(&ours.message));
        // Baton's bytes deserialize in Solana to the same transaction.
        let back: VersionedTransaction =
            bincode::deserialize(&encode_transaction(&expected)).unwrap();
        assert_eq!(back, vtx, "case {case}");
    }
    assert!(with_lookups > 250, "{with_lookups} cases with lookups");
}

#[test]
fn v0_sanitize_agrees_with_solana() {
    let mut rng = ChaCha20Rng::seed_from_u64(0x5a17);
    let (mut accepted, mut rejected) = (0, 0);
    for case in 0..2_000 {
        let valid = rng.gen_bool(0.3);
        let m = random_v0(&mut rng, valid);
        let sol = m.sanitize();
        let ours = sanitize_message(&baton_message(&m));
        assert_eq!(
            ours.is_ok(),
            sol.is_ok(),
            "case {case}: ours {ours:?}, solana {sol:?}"
        );
        // The decoder applies the same rules to the bytes.
        let bytes = VersionedMessage::V0(m).serialize();
        assert_eq!(decode_message(&bytes).is_ok(), sol.is_ok(), "case {case}");
        if sol.is_ok() {
            accepted += 1;
        } else {
            rejected += 1;
        }
    }
    assert!(
        accepted > 500 && rejected > 500,
        "accepted {accepted}, rejected {rejected}"
    );
}

#[test]
fn solana_signed_v0_transactions_verify_in_baton() {
    let mut rng = ChaCha20Rng::seed_from_u64(0x519);
    for case in 0..20 {
        let kp = solana_keypair::Keypair::new_from_array(rng.gen());
        let to = SolPubkey::new_from_array(rng.gen());
        let ix = solana_system_interface::instruction::transfer(&kp.pubkey(), &to, case + 1);
        let mut m =
            v0::Message::try_compile(&kp.pubkey(), &[ix], &[], solana_hash::Hash::default())
                .unwrap();
        // Add a lookup the instruction does not use: it changes the signed bytes.
        m.address_table_lookups.push(SolLookup {
            account_key: SolPubkey::new_from_array(rng.gen()),
            writable_indexes: vec![rng.gen()],
            readonly_indexes: vec![],
        });
        let vtx = VersionedTransaction::try_new(VersionedMessage::V0(m), &[&kp]).unwrap();
        let bytes = bincode::serialize(&vtx).unwrap();
        let mut tx = decode_transaction(&bytes).unwrap();
        assert_eq!(verify_transaction(&tx), Ok(()), "case {case}");
        // Dropping the lookups changes the signed bytes: the signature fails.
        tx.message.address_table_lookups.clear();
        assert!(verify_transaction(&tx).is_err(), "case {case}");
        // So does turning the message into a legacy one.
        let mut legacy = decode_transaction(&bytes).unwrap();
        legacy.message.version = MessageVersion::Legacy;
        legacy.message.address_table_lookups.clear();
        assert!(verify_transaction(&legacy).is_err(), "case {case}");
    }
}
