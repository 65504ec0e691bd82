//! Unit tests of the wire format: round trips, every truncation and bad
//! length as a typed error and the sanitize checks; the proptest round
//! trips are in `props`.
use super::*;
use crate::{AccountMeta, Instruction};

mod props;

fn key(n: u64) -> Pubkey {
    Pubkey::new_from_u64(n)
}

fn sample_tx() -> Transaction {
    let payer = key(1);
    let ixs = vec![
        Instruction::new_with_bytes(
            key(100),
            &[1, 2, 3],
            vec![
                AccountMeta::new(payer, true),
                AccountMeta::new(key(2), false),
            ],
        ),
        Instruction::new_with_bytes(
            key(101),
            &[0xff; 200],
            vec![
                AccountMeta::new_readonly(key(3), true),
                AccountMeta::new_readonly(key(4), false),
            ],
        ),
    ];
    let m = Message::new_with_blockhash(&ixs, Some(&payer), &Hash([7; 32]));
    let mut tx = Transaction::new_unsigned(m);
    for (i, s) in tx.signatures.iter_mut().enumerate() {
        s.0 = [i as u8 + 1; 64];
    }
    tx
}

#[test]
fn compact_u16_known_encodings() {
    // The table from solana-short-vec's own tests.
    let cases: &[(u16, &[u8])] = &[
        (0x0, &[0x0]),
        (0x7f, &[0x7f]),
        (0x80, &[0x80, 0x01]),
        (0xff, &[0xff, 0x01]),
        (0x100, &[0x80, 0x02]),
        (0x7fff, &[0xff, 0xff, 0x01]),
        (0xffff, &[0xff, 0xff, 0x03]),
    ];
    for &(v, bytes) in cases {
        let mut out = Vec::new();
        encode_compact_u16(v, &mut out);
        assert_eq!(out, bytes, "encode {v:#x}");
        assert_eq!(
            decode_compact_u16(bytes),
            Ok((v, bytes.len())),
            "decode {v:#x}"
        );
    }
}

#[test]
fn compact_u16_round_trips_every_value() {
    for v in 0..=u16::MAX {
        let mut out = Vec::new();
        encode_compact_u16(v, &mut out);
        out.push(0xAA); // trailing byte is not consumed
        assert_eq!(decode_compact_u16(&out), Ok((v, out.len() - 1)));
    }
}

#[test]
fn compact_u16_rejects_aliases_and_overflow() {
    let bad = WireError::BadShortVec { offset: 0 };
    // Zero continuation bytes: aliases of shorter encodings.
    assert_eq!(decode_compact_u16(&[0x80, 0x00]), Err(bad));
    assert_eq!(decode_compact_u16(&[0xff, 0x80, 0x00]), Err(bad));
    assert_eq!(decode_compact_u16(&[0x80, 0x80, 0x00]), Err(bad));
    // Third byte continues.
    assert_eq!(decode_compact_u16(&[0x80, 0x80, 0x80, 0x01]), Err(bad));
    // Above u16::MAX.
    assert_eq!(decode_compact_u16(&[0x80, 0x80, 0x04]), Err(bad));
    assert_eq!(decode_compact_u16(&[0xff, 0xff, 0x7f]), Err(bad));
    // Input ends while the encoding continues.
    let t = WireError::Truncated {
        what: "compact-u16 length",
        offset: 0,
    };
    assert_eq!(decode_compact_u16(&[]), Err(t));
    assert_eq!(decode_compact_u16(&[0x80]), Err(t));
    assert_eq!(decode_compact_u16(&[0xff, 0xff]), Err(t));
}

#[test]
fn transaction_round_trips() {
    let tx = sample_tx();
    let bytes = tx.to_bytes();
    assert_eq!(Transaction::from_bytes(&bytes), Ok(tx.clone()));
    let mbytes = tx.message.serialize();
    assert_eq!(&bytes[1 + 64 * tx.signatures.len()..], &mbytes[..]);
    assert_eq!(Message::from_bytes(&mbytes), Ok(tx.message.clone()));
    assert_eq!(try_encode_transaction(&tx), Ok(bytes));
}

#[test]
fn every_truncation_is_a_typed_error() {
    let bytes = sample_tx().to_bytes();
    for cut in 0..bytes.len() {
        match decode_transaction(&bytes[..cut]) {
            Err(WireError::Truncated { offset, .. }) => assert!(offset <= cut, "cut {cut}"),
            other => panic!("cut at {cut}: {other:?}"),
        }
    }
    let mbytes = sample_tx().message.serialize();
    for cut in 0..mbytes.len() {
        assert!(
            matches!(
                decode_message(&mbytes[..cut]),
                Err(WireError::Truncated { .. })
            ),
            "message cut at {cut}"
        );
    }
}

#[test]
fn trailing_bytes_are_rejected() {
    let mut bytes = sample_tx().to_bytes();
    let n = bytes.len();
    bytes.push(0);
    assert_eq!(
        decode_transaction(&bytes),
        Err(WireError::TrailingBytes { offset: n })
    );
    let mut m = sample_tx().message.serialize();
    let n = m.len();
    m.extend_from_slice(&[1, 2]);
    assert_eq!(
        decode_message(&m),
        Err(WireError::TrailingBytes { offset: n })
    );
}

#[test]
fn bad_shortvec_in_a_transaction_reports_its_offset() {
    let mut bytes = sample_tx().to_bytes();
    // Replace the one-byte signature count with an alias encoding.
    let rest = bytes.split_off(1);
    let mut aliased = vec![bytes[0] | 0x80, 0x00];
    aliased.extend_from_slice(&rest);
    assert_eq!(
        decode_transaction(&aliased),
        Err(WireError::BadShortVec { offset: 0 })
    );
    // The key count sits after the signatures and the 3-byte header.
    let tx = sample_tx();
    let mut bytes = tx.to_bytes();
    let at = 1 + 64 * tx.signatures.len() + 3;
    bytes[at] = 0xff;
    bytes.insert(at + 1, 0xff);
    bytes.insert(at + 2, 0xff);
    assert_eq!(
        decode_transaction(&bytes),
        Err(WireError::BadShortVec { offset: at })
    );
}

#[test]
fn huge_claimed_lengths_fail_without_allocating() {
    // 65535 signatures claimed, none present.
    let bytes = [0xff, 0xff, 0x03];
    assert_eq!(
        decode_transaction(&bytes),
        Err(WireError::Truncated {
            what: "signature",
            offset: 3
        })
    );
    // A message claiming 65535 keys.
    let m = [1, 0, 0, 0xff, 0xff, 0x03, 1, 2, 3];
    assert_eq!(
        decode_message(&m),
        Err(WireError::Truncated {
            what: "account key",
            offset: 6
        })
    );
    // A message claiming 65535 instructions.
    let mut m = vec![1, 0, 0, 1];
    m.extend_from_slice(&[9; 32]);
    m.extend_from_slice(&[0; 32]);
    m.extend_from_slice(&[0xff, 0xff, 0x03]);
    assert!(matches!(
        decode_message(&m),
        Err(WireError::Truncated {
            what: "instruction",
            ..
        })
    ));
    // An instruction claiming 65535 data bytes.
    let tx = sample_tx();
    let mut m = tx.message.serialize();
    let data_len_at = m.len() - 200 - 2;
    m[data_len_at] = 0xff;
    m[data_len_at + 1] = 0xff;
    m.insert(data_len_at + 2, 0x03);
    assert!(matches!(
        decode_message(&m),
        Err(WireError::Truncated {
            what: "instruction data",
            ..
        })
    ));
}

#[test]
fn indices_past_the_keys_are_rejected() {
    let mut tx = sample_tx();
    let n = tx.message.account_keys.len();
    tx.message.instructions[1].accounts[1] = n as u8;
    let bytes = encode_transaction(&tx);
    assert_eq!(
        decode_transaction(&bytes),
        Err(WireError::InstructionIndexOutOfRange {
            instruction: 1,
            index: n as u8,
            num_keys: n
        })
    );
    let mut tx = sample_tx();
    tx.message.instructions[0].program_id_index = 200;
    assert_eq!(
        decode_transaction(&encode_transaction(&tx)),
        Err(WireError::InstructionIndexOutOfRange {
            instruction: 0,
            index: 200,
            num_keys: n
        })
    );
    let mut tx = sample_tx();
    tx.message.instructions[1].program_id_index = 0;
    assert_eq!(
        decode_transaction(&encode_transaction(&tx)),
        Err(WireError::FeePayerAsProgram { instruction: 1 })
    );
}

#[test]
fn header_and_signature_count_checks() {
    let tx = sample_tx();
    let mut t = tx.clone();
    t.signatures.pop();
    assert_eq!(
        decode_transaction(&encode_transaction(&t)),
        Err(WireError::SignatureCountMismatch {
            signatures: 1,
            required: 2
        })
    );
    let mut t = tx.clone();
    t.message.header.num_readonly_signed_accounts = 2;
    assert_eq!(sanitize_message(&t.message), Err(WireError::InvalidHeader));
    let mut t = tx.clone();
    t.message.header.num_readonly_unsigned_accounts = 200;
    assert_eq!(sanitize_message(&t.message), Err(WireError::InvalidHeader));
    let empty = Message::default();
    assert_eq!(sanitize_message(&empty), Err(WireError::InvalidHeader));
    assert_eq!(
        decode_message(&encode_message(&empty)),
        Err(WireError::InvalidHeader)
    );
    let mut t = tx;
    t.message.header.num_required_signatures = 0x85;
    assert_eq!(
        decode_transaction(&encode_transaction(&t)),
        Err(WireError::UnsupportedVersion { version: 5 })
    );
    assert_eq!(
        decode_message(&[0xff, 1, 2]),
        Err(WireError::UnsupportedVersion { version: 0x7f })
    );
    assert_eq!(
        TransactionError::from(WireError::UnsupportedVersion { version: 1 }),
        TransactionError::UnsupportedVersion
    );
    assert_eq!(
        TransactionError::from(WireError::InvalidHeader),
        TransactionError::SanitizeFailure
    );
}

#[test]
fn oversized_lists_are_length_overflow() {
    let mut tx = sample_tx();
    tx.message.instructions[0].data = vec![0; 70_000];
    let e = WireError::LengthOverflow {
        what: "instruction data",
        len: 70_000,
    };
    assert_eq!(sanitize_message(&tx.message), Err(e));
    assert_eq!(try_encode_transaction(&tx), Err(e));
    assert_eq!(try_encode_message(&tx.message), Err(e));
    // The infallible encoder does not panic.
    assert!(!encode_transaction(&tx).is_empty());
}

/// A v0 transaction: the sample's message with two lookups, the second
/// instruction reading a loaded key.
fn sample_v0_tx() -> Transaction {
    let tx = sample_tx();
    let mut m = tx.message.into_v0(vec![
        MessageAddressTableLookup {
            account_key: key(500),
            writable_indexes: vec![0, 3],
            readonly_indexes: vec![7],
        },
        MessageAddressTableLookup {
            account_key: key(501),
            writable_indexes: vec![],
            readonly_indexes: vec![255, 1],
        },
    ]);
    let last = (m.account_keys.len() + m.num_lookup_keys() - 1) as u8;
    m.instructions[1].accounts.push(last);
    Transaction {
        signatures: tx.signatures,
        message: m,
    }
}

#[test]
fn v0_round_trips_with_its_prefix_and_lookups() {
    let tx = sample_v0_tx();
    let bytes = tx.to_bytes();
    let at = 1 + 64 * tx.signatures.len();
    assert_eq!(bytes[at], MESSAGE_VERSION_PREFIX);
    // The legacy bytes follow the prefix, then the lookups.
    let mut legacy = tx.message.clone();
    legacy.version = MessageVersion::Legacy;
    legacy.address_table_lookups.clear();
    let lbytes = encode_message(&legacy);
    assert_eq!(&bytes[at + 1..at + 1 + lbytes.len()], &lbytes[..]);
    let mut tail = vec![2];
    tail.extend_from_slice(key(500).as_array());
    tail.extend_from_slice(&[2, 0, 3, 1, 7]);
    tail.extend_from_slice(key(501).as_array());
    tail.extend_from_slice(&[0, 2, 255, 1]);
    assert_eq!(&bytes[at + 1 + lbytes.len()..], &tail[..]);
    assert_eq!(Transaction::from_bytes(&bytes), Ok(tx.clone()));
    assert_eq!(
        Message::from_bytes(&tx.message.serialize()),
        Ok(tx.message.clone())
    );
    assert_eq!(try_encode_transaction(&tx), Ok(bytes));
    // A v0 message without lookups: the prefix and an empty lookup list.
    let plain = sample_tx().message.into_v0(Vec::new());
    let pbytes = encode_message(&plain);
    assert_eq!(pbytes[0], 0x80);
    assert_eq!(pbytes.last(), Some(&0));
    assert_eq!(pbytes.len(), encode_message(&sample_tx().message).len() + 2);
    assert_eq!(decode_message(&pbytes), Ok(plain));
}

#[test]
fn every_v0_truncation_is_a_typed_error() {
    let bytes = sample_v0_tx().to_bytes();
    for cut in 0..bytes.len() {
        match decode_transaction(&bytes[..cut]) {
            Err(WireError::Truncated { offset, .. }) => assert!(offset <= cut, "cut {cut}"),
            other => panic!("cut at {cut}: {other:?}"),
        }
    }
    let mbytes = sample_v0_tx().message.serialize();
    // The prefix alone, then the header cut, then every later cut.
    assert_eq!(
        decode_message(&mbytes[..1]),
        Err(WireError::Truncated {
            what: "message header",
            offset: 1
        })
    );
    for cut in 1..mbytes.len() {
        assert!(
            matches!(
                decode_message(&mbytes[..cut]),
                Err(WireError::Truncated { .. })
            ),
            "cut {cut}"
        );
    }
    // The lookup count claims more lookups than the bytes can hold.
    let mut m = sample_v0_tx().message;
    m.address_table_lookups.truncate(1);
    let mut b = encode_message(&m);
    let count_at = b.len() - (32 + 5) - 1;
    assert_eq!(b[count_at], 1);
    b[count_at] = 2;
    assert_eq!(
        decode_message(&b),
        Err(WireError::Truncated {
            what: "address table lookup",
            // The second lookup, of at least 34 bytes, would start here.
            offset: count_at + 1 + 34
        })
    );
    // Trailing bytes after the lookups.
    let mut b = encode_message(&sample_v0_tx().message);
    let end = b.len();
    b.push(0);
    assert_eq!(
        decode_message(&b),
        Err(WireError::TrailingBytes { offset: end })
    );
}

#[test]
fn v0_sanitize_checks() {
    let tx = sample_v0_tx();
    assert_eq!(sanitize_transaction(&tx), Ok(()));
    let num_static = tx.message.account_keys.len();
    let total = num_static + tx.message.num_lookup_keys();
    // A lookup that loads nothing.
    let mut m = tx.message.clone();
    m.address_table_lookups[1].readonly_indexes.clear();
    assert_eq!(
        sanitize_message(&m),
        Err(WireError::EmptyLookup { lookup: 1 })
    );
    assert_eq!(
        decode_message(&encode_message(&m)),
        Err(WireError::EmptyLookup { lookup: 1 })
    );
    // An account index past the loaded keys.
    let mut m = tx.message.clone();
    m.instructions[0].accounts.push(total as u8);
    assert_eq!(
        sanitize_message(&m),
        Err(WireError::InstructionIndexOutOfRange {
            instruction: 0,
            index: total as u8,
            num_keys: total
        })
    );
    // A program id among the loaded keys.
    let mut m = tx.message.clone();
    m.instructions[1].program_id_index = num_static as u8;
    assert_eq!(
        decode_message(&encode_message(&m)),
        Err(WireError::InstructionIndexOutOfRange {
            instruction: 1,
            index: num_static as u8,
            num_keys: num_static
        })
    );
    // More than 256 static and loaded keys.
    let mut m = tx.message.clone();
    m.address_table_lookups[0].writable_indexes = vec![0; 257 - total + 2];
    assert_eq!(
        sanitize_message(&m),
        Err(WireError::TooManyAccountKeys { total: 257 })
    );
    m.address_table_lookups[0].writable_indexes.pop();
    assert_eq!(sanitize_message(&m), Ok(()));
    // Lookups on a legacy message cannot be encoded.
    let mut m = tx.message.clone();
    m.version = MessageVersion::Legacy;
    assert_eq!(sanitize_message(&m), Err(WireError::LookupsInLegacyMessage));
    // The header checks apply to the static keys.
    let mut m = tx.message;
    m.header.num_readonly_unsigned_accounts = (num_static + 1) as u8;
    assert_eq!(sanitize_message(&m), Err(WireError::InvalidHeader));
}
