//! Property tests of the wire format: random legacy and v0 messages round
//! trip through encode and decode, and random or mutated bytes never panic
//! the decoders.
use super::super::*;
use super::key;
use proptest::prelude::*;

fn arb_message() -> impl Strategy<Value = Message> {
    (1usize..40, any::<[u8; 32]>(), any::<u64>()).prop_flat_map(|(num_keys, hash, seed)| {
        let signers = 1..=num_keys.min(127);
        (Just(num_keys), signers, Just(hash), Just(seed)).prop_flat_map(
            |(num_keys, num_signers, hash, seed)| {
                let ro_signed = 0..num_signers;
                let ro_unsigned = 0..=(num_keys - num_signers);
                let ixs = prop::collection::vec(
                    (
                        1..num_keys.max(2),
                        prop::collection::vec(0..num_keys, 0..10),
                        prop::collection::vec(any::<u8>(), 0..300),
                    ),
                    0..8,
                );
                (ro_signed, ro_unsigned, ixs).prop_map(move |(ros, rou, ixs)| {
                    let account_keys = (0..num_keys as u64).map(|i| key(seed ^ i)).collect();
                    let instructions = ixs
                        .into_iter()
                        .map(|(p, accs, data)| CompiledInstruction {
                            program_id_index: p.min(num_keys - 1) as u8,
                            accounts: accs.into_iter().map(|a| a as u8).collect(),
                            data,
                        })
                        .collect();
                    Message {
                        header: MessageHeader {
                            num_required_signatures: num_signers as u8,
                            num_readonly_signed_accounts: ros as u8,
                            num_readonly_unsigned_accounts: rou as u8,
                        },
                        account_keys,
                        recent_blockhash: Hash(hash),
                        instructions,
                        version: MessageVersion::Legacy,
                        address_table_lookups: Vec::new(),
                    }
                })
            },
        )
    })
}

/// A legacy message, or (half the time) the same message as v0 with a few
/// lookups whose loaded keys some instruction accounts point into.
fn arb_versioned_message() -> impl Strategy<Value = Message> {
    let lookup = (
        any::<[u8; 32]>(),
        prop::collection::vec(any::<u8>(), 0..6),
        prop::collection::vec(any::<u8>(), 0..6),
    )
        .prop_filter("a lookup loads a key", |(_, w, r)| {
            !w.is_empty() || !r.is_empty()
        });
    (
        arb_message(),
        any::<bool>(),
        prop::collection::vec(lookup, 0..4),
        any::<u8>(),
    )
        .prop_map(|(m, v0, lookups, pick)| {
            if !v0 {
                return m;
            }
            let lookups: Vec<MessageAddressTableLookup> = lookups
                .into_iter()
                .map(|(k, w, r)| MessageAddressTableLookup {
                    account_key: Pubkey(k),
                    writable_indexes: w,
                    readonly_indexes: r,
                })
                .collect();
            let mut m = m.into_v0(lookups);
            let total = m.account_keys.len() + m.num_lookup_keys();
            for ix in &mut m.instructions {
                ix.accounts.push((usize::from(pick) % total) as u8);
            }
            m
        })
}

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: 256,
        failure_persistence: None,
        rng_algorithm: proptest::test_runner::RngAlgorithm::ChaCha,
        ..ProptestConfig::default()
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn valid_messages_round_trip(m in arb_versioned_message(), sig in any::<u8>()) {
        // Instructions whose program is key 0 are invalid; skip those.
        prop_assume!(m.instructions.iter().all(|ix| ix.program_id_index != 0));
        prop_assert_eq!(sanitize_message(&m), Ok(()));
        let bytes = encode_message(&m);
        prop_assert_eq!(decode_message(&bytes), Ok(m.clone()));
        let mut tx = Transaction::new_unsigned(m);
        for s in &mut tx.signatures {
            s.0 = [sig; 64];
        }
        let tbytes = encode_transaction(&tx);
        prop_assert_eq!(decode_transaction(&tbytes), Ok(tx));
    }

    #[test]
    fn random_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..600)) {
        let _ = decode_transaction(&bytes);
        let _ = decode_message(&bytes);
        let _ = decode_compact_u16(&bytes);
    }

    #[test]
    fn mutated_transactions_never_panic(
        m in arb_versioned_message(),
        flips in prop::collection::vec((any::<usize>(), any::<u8>()), 1..6),
        cut in any::<usize>(),
    ) {
        let mut bytes = encode_transaction(&Transaction::new_unsigned(m));
        for (at, v) in flips {
            let n = bytes.len();
            bytes[at % n] = v;
        }
        let cut = cut % (bytes.len() + 1);
        let _ = decode_transaction(&bytes[..cut]);
        let _ = decode_transaction(&bytes);
        if let Ok(tx) = decode_transaction(&bytes) {
            // Whatever decodes re-encodes to the same bytes.
            prop_assert_eq!(encode_transaction(&tx), bytes);
        }
    }
}
