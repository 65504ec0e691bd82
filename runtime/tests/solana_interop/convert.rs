//! The conversions both ways, and the wire bytes and signatures of
//! Solana-built transactions kept through Baton.

use super::*;

/// Solana's own encoding of a transaction.
fn solana_bytes(tx: &VersionedTransaction) -> Vec<u8> {
    wincode::serialize(tx).unwrap()
}

/// Solana's own encoding of a legacy transaction.
fn solana_legacy_bytes(tx: &solana_transaction::Transaction) -> Vec<u8> {
    wincode::serialize(tx).unwrap()
}

#[test]
fn keys_hashes_and_signatures_keep_their_bytes_both_ways() {
    let key = sol_key(3);
    let baton_key: Pubkey = key.into_baton();
    assert_eq!(baton_key, Pubkey::new_from_array([3; 32]));
    assert_eq!(solana_pubkey::Pubkey::from_baton(baton_key), key);
    assert_eq!(Pubkey::from_solana(&key), baton_key);

    let hash = solana_hash::Hash::new_from_array([4; 32]);
    let baton_hash = Hash::from_solana(&hash);
    assert_eq!(baton_hash, Hash([4; 32]));
    assert_eq!(solana_hash::Hash::from_baton(&baton_hash), hash);

    let sig = solana_signature::Signature::from([5; 64]);
    let baton_sig: Signature = (&sig).into_baton();
    assert_eq!(baton_sig, Signature([5; 64]));
    let back: solana_signature::Signature = baton_sig.into_solana();
    assert_eq!(back, sig);
}

#[test]
fn keypairs_carry_the_same_signer_both_ways() {
    let solana = sol_keypair(6);
    let baton = Keypair::from_solana(&solana);
    assert_eq!(baton.pubkey(), solana.pubkey().into_baton());
    let msg = b"one message";
    assert_eq!(
        baton.sign(msg),
        solana.sign_message(msg).into_baton(),
        "ed25519 signatures are deterministic: the same key signs the same bytes"
    );
    let back = solana_keypair::Keypair::from_baton(&Keypair::from_seed(&[8; 32]));
    assert_eq!(
        back.pubkey(),
        Keypair::from_seed(&[8; 32]).pubkey().into_solana()
    );
}

#[test]
fn instructions_and_account_metas_convert_field_for_field() {
    let (from, to) = (sol_key(1), sol_key(2));
    let solana = solana_system_interface::instruction::transfer(&from, &to, 42);
    let baton: Instruction = (&solana).into_baton();
    // Baton's own builder makes the same instruction.
    assert_eq!(
        baton,
        system::instruction::transfer(&from.into_baton(), &to.into_baton(), 42)
    );
    assert_eq!(solana_instruction::Instruction::from_baton(&baton), solana);
    let back: solana_instruction::Instruction = baton.clone().into_solana();
    assert_eq!(back, solana);
    assert_eq!(Instruction::from_solana(solana.clone()), baton);

    for (signer, writable) in [(false, false), (false, true), (true, false), (true, true)] {
        let meta = solana_instruction::AccountMeta {
            pubkey: sol_key(9),
            is_signer: signer,
            is_writable: writable,
        };
        let b = AccountMeta::from_solana(&meta);
        assert_eq!(
            (b.pubkey, b.is_signer, b.is_writable),
            (Pubkey([9; 32]), signer, writable)
        );
        assert_eq!(solana_instruction::AccountMeta::from_baton(b), meta);
    }
}

#[test]
fn accounts_convert_with_every_field() {
    let solana = solana_account::Account {
        lamports: 1_234,
        data: vec![1, 2, 3],
        owner: sol_key(7),
        executable: true,
        rent_epoch: u64::MAX,
    };
    let baton: Account = (&solana).into_baton();
    assert_eq!(
        (
            baton.lamports,
            &baton.data[..],
            baton.owner,
            baton.executable,
            baton.rent_epoch
        ),
        (1_234, &[1, 2, 3][..], Pubkey([7; 32]), true, u64::MAX)
    );
    assert_eq!(solana_account::Account::from_baton(&baton), solana);
    assert_eq!(Account::from_solana(solana.clone()), baton);

    let shared = AccountSharedData::from(solana.clone());
    assert_eq!(Account::from_solana(&shared), baton);
    let shared_back: AccountSharedData = baton.clone().into_solana();
    assert_eq!(shared_back, shared);
    assert_eq!(AccountSharedData::from_baton(&baton), shared);
}

#[test]
fn message_parts_convert_both_ways() {
    let header = solana_message::MessageHeader {
        num_required_signatures: 2,
        num_readonly_signed_accounts: 1,
        num_readonly_unsigned_accounts: 3,
    };
    let b = MessageHeader::from_solana(&header);
    assert_eq!(
        (
            b.num_required_signatures,
            b.num_readonly_signed_accounts,
            b.num_readonly_unsigned_accounts
        ),
        (2, 1, 3)
    );
    assert_eq!(solana_message::MessageHeader::from_baton(b), header);

    let ix = solana_message::compiled_instruction::CompiledInstruction {
        program_id_index: 4,
        accounts: vec![0, 1, 2],
        data: vec![9, 9],
    };
    let b = CompiledInstruction::from_solana(&ix);
    assert_eq!(
        (b.program_id_index, &b.accounts[..], &b.data[..]),
        (4, &[0, 1, 2][..], &[9, 9][..])
    );
    let back: solana_message::compiled_instruction::CompiledInstruction = b.into_solana();
    assert_eq!(back, ix);

    let lookup = v0::MessageAddressTableLookup {
        account_key: sol_key(11),
        writable_indexes: vec![0, 3],
        readonly_indexes: vec![1],
    };
    let b = MessageAddressTableLookup::from_solana(&lookup);
    assert_eq!(
        b,
        MessageAddressTableLookup {
            account_key: Pubkey([11; 32]),
            writable_indexes: vec![0, 3],
            readonly_indexes: vec![1],
        }
    );
    assert_eq!(v0::MessageAddressTableLookup::from_baton(b), lookup);

    let table = AddressLookupTableAccount {
        key: sol_key(12),
        addresses: vec![sol_key(13), sol_key(14)],
    };
    let b = baton::types::AddressLookupTableAccount::from_solana(&table);
    assert_eq!(b.key, Pubkey([12; 32]));
    assert_eq!(b.addresses, vec![Pubkey([13; 32]), Pubkey([14; 32])]);
    assert_eq!(AddressLookupTableAccount::from_baton(b), table);
}

/// A Solana transaction and its Baton conversion: same signatures, same
/// wire bytes both ways, and back to the same Solana transaction.
fn assert_byte_exact(solana: &VersionedTransaction) -> Transaction {
    let baton = Transaction::try_from_solana(solana).unwrap();
    let bytes = solana_bytes(solana);
    assert_eq!(baton.to_bytes(), bytes, "Baton's encoding is Solana's");
    assert_eq!(Transaction::from_bytes(&bytes).unwrap(), baton);
    let decoded: VersionedTransaction = wincode::deserialize(&baton.to_bytes()).unwrap();
    assert_eq!(&decoded, solana);
    let sigs: Vec<Signature> = solana
        .signatures
        .iter()
        .map(IntoBaton::into_baton)
        .collect();
    assert_eq!(baton.signatures, sigs);
    // The signatures are over the same message bytes, so Baton accepts them.
    assert_eq!(baton.message.serialize(), solana.message.serialize());
    assert_eq!(baton::types::signing::verify_transaction(&baton), Ok(()));
    assert_eq!(
        VersionedTransaction::try_from_baton(&baton).unwrap(),
        *solana
    );
    baton
}

#[test]
fn legacy_transactions_keep_their_bytes_and_signatures() {
    let (ixs, [a, b]) = two_transfers();
    let solana = solana_transaction::Transaction::new_signed_with_payer(
        &ixs,
        Some(&a.pubkey()),
        &[&a, &b],
        blockhash(),
    );
    let baton: Transaction = (&solana).into_baton();
    assert_eq!(baton.message.version, MessageVersion::Legacy);
    assert_eq!(baton.to_bytes(), solana_legacy_bytes(&solana));
    // Baton's compiler orders keys as Solana's: the same message.
    let ours = Message::new_with_blockhash(
        &ixs.iter()
            .map(IntoBaton::into_baton)
            .collect::<Vec<Instruction>>(),
        Some(&a.pubkey().into_baton()),
        &blockhash().into_baton(),
    );
    assert_eq!(baton.message, ours);
    assert_eq!(
        solana_transaction::Transaction::try_from_baton(&baton).unwrap(),
        solana
    );
    assert_eq!(baton.clone().try_into_solana(), Ok(solana.clone()));

    // The same transaction as a VersionedTransaction.
    let versioned = VersionedTransaction::from(solana);
    let again = assert_byte_exact(&versioned);
    assert_eq!(again, baton);
}

#[test]
fn v0_transactions_without_lookups_keep_their_bytes_and_signatures() {
    let (ixs, [a, b]) = two_transfers();
    let m = v0::Message::try_compile(&a.pubkey(), &ixs, &[], blockhash()).unwrap();
    assert!(m.address_table_lookups.is_empty());
    let solana = VersionedTransaction::try_new(VersionedMessage::V0(m.clone()), &[&a, &b]).unwrap();
    let baton = assert_byte_exact(&solana);
    assert_eq!(baton.message.version, MessageVersion::V0);
    assert_eq!(Message::from_solana(&m), baton.message);
    assert_eq!(v0::Message::try_from_baton(&baton.message), Ok(m));
}

#[test]
fn v0_transactions_with_lookups_keep_them_faithfully() {
    let (ixs, [a, b]) = two_transfers();
    // Two tables: the first holds both recipients, the second a read-only
    // account that the transfers name as an extra read-only meta.
    let mut ixs = ixs;
    ixs[1]
        .accounts
        .push(solana_instruction::AccountMeta::new_readonly(
            sol_key(30),
            false,
        ));
    let tables = [
        AddressLookupTableAccount {
            key: sol_key(40),
            addresses: vec![sol_key(50), sol_key(21), sol_key(20)],
        },
        AddressLookupTableAccount {
            key: sol_key(41),
            addresses: vec![sol_key(30)],
        },
    ];
    let m = v0::Message::try_compile(&a.pubkey(), &ixs, &tables, blockhash()).unwrap();
    assert_eq!(m.address_table_lookups.len(), 2, "both tables are used");
    let solana = VersionedTransaction::try_new(VersionedMessage::V0(m.clone()), &[&a, &b]).unwrap();
    let baton = assert_byte_exact(&solana);

    let lookups = &baton.message.address_table_lookups;
    assert_eq!(lookups[0].account_key, Pubkey([40; 32]));
    assert_eq!(lookups[0].writable_indexes, vec![2, 1]);
    assert!(lookups[0].readonly_indexes.is_empty());
    assert_eq!(lookups[1].account_key, Pubkey([41; 32]));
    assert_eq!(lookups[1].readonly_indexes, vec![0]);
    assert_eq!(baton.message.num_lookup_keys(), 3);
    // The instructions index past the static keys, into the loaded ones.
    let statics = baton.message.account_keys.len() as u8;
    assert!(baton
        .message
        .instructions
        .iter()
        .any(|ix| ix.accounts.iter().any(|&i| i >= statics)));
    assert_eq!(v0::Message::try_from_baton(&baton.message), Ok(m));
}

#[test]
fn conversions_solana_cannot_or_baton_does_not_represent_fail_by_name() {
    let (ixs, [a, _]) = two_transfers();
    // A v1 message: Baton runs legacy and v0 only.
    let v1 = v1::Message::try_compile_with_config(
        &a.pubkey(),
        &ixs[..1],
        blockhash(),
        v1::TransactionConfig::empty(),
    )
    .unwrap();
    let v1 = VersionedMessage::V1(v1);
    let err = Message::try_from_solana(&v1).unwrap_err();
    assert_eq!(err, ConversionError::UnsupportedVersion { version: 1 });
    assert!(err.to_string().contains("version v1"), "{err}");
    let tx = VersionedTransaction {
        signatures: vec![solana_signature::Signature::from([1; 64])],
        message: v1,
    };
    let converted: Result<Transaction, _> = tx.try_into_baton();
    assert_eq!(
        converted,
        Err(ConversionError::UnsupportedVersion { version: 1 })
    );

    let legacy_msg = Message::new(
        &[system::instruction::transfer(
            &Pubkey([1; 32]),
            &Pubkey([2; 32]),
            1,
        )],
        Some(&Pubkey([1; 32])),
    );
    // A legacy Baton message with lookups: no Solana message holds that.
    let mut odd = legacy_msg.clone();
    odd.address_table_lookups
        .push(MessageAddressTableLookup::default());
    let err = VersionedMessage::try_from_baton(&odd).unwrap_err();
    assert_eq!(err, ConversionError::LookupsInLegacyMessage { count: 1 });
    assert!(err.to_string().contains("lookups (1 given)"), "{err}");
    // Each Solana format takes only its own.
    let err = v0::Message::try_from_baton(&legacy_msg).unwrap_err();
    assert_eq!(
        err,
        ConversionError::WrongVersion {
            wanted: "v0",
            found: "legacy"
        }
    );
    assert!(err
        .to_string()
        .contains("a legacy message cannot become a Solana v0 message"));
    let v0_msg = legacy_msg.into_v0(Vec::new());
    let err = legacy::Message::try_from_baton(&v0_msg).unwrap_err();
    assert_eq!(
        err,
        ConversionError::WrongVersion {
            wanted: "legacy",
            found: "v0"
        }
    );
    let tx = Transaction::new_unsigned(v0_msg);
    assert!(solana_transaction::Transaction::try_from_baton(tx.clone()).is_err());
    assert!(VersionedTransaction::try_from_baton(tx).is_ok());
}
