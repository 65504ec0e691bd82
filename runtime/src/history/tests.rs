use super::*;
use baton_types::{Message, Signature};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// The sets of `blockhash` in every shard: (table address, slots, reserved).
fn tables(h: &SignatureHistory, blockhash: &Hash) -> Vec<(*const u128, usize, usize)> {
    h.shards
        .iter()
        .filter_map(|s| s.by_blockhash.get(blockhash))
        .map(|s| (s.slots.as_ptr(), s.slots.len(), s.reserved))
        .collect()
}

#[test]
fn a_history_with_capacity_prepares_and_recycles_sets() {
    let (a, b, c) = (
        Hash::hashv(&[b"a"]),
        Hash::hashv(&[b"b"]),
        Hash::hashv(&[b"c"]),
    );
    let mut h = SignatureHistory::default();
    h.prepare(a, 8_000);
    let made = tables(&h, &a);
    assert_eq!(made.len(), SHARDS, "one set per shard");
    // Each shard holds its share and more: 500 + 500 / 8 + 64.
    assert!(made
        .iter()
        .all(|&(_, slots, reserved)| reserved == 626 && slots * 7 >= 626 * 16));
    let mut seeds = ChaCha8Rng::seed_from_u64(4);
    let txs: Vec<Transaction> = (0..8_000)
        .map(|_| tx_with(random_sig(&mut seeds), a))
        .collect();
    for tx in &txs {
        assert!(h.insert(tx));
    }
    assert_eq!(tables(&h, &a), made, "no set grew");
    // A second prepare of a blockhash with sets keeps their signatures.
    h.prepare(a, 8_000);
    assert!(!h.insert(&txs[7]));
    // Expired, its tables are cleared and reused for the next blockhash.
    h.expire(&a);
    assert!(tables(&h, &a).is_empty());
    h.prepare(b, 8_000);
    let reused: Vec<_> = tables(&h, &b).iter().map(|t| (t.0, t.1)).collect();
    assert_eq!(reused, made.iter().map(|t| (t.0, t.1)).collect::<Vec<_>>());
    assert!(
        h.insert(&tx_with(txs[7].signatures[0], b)),
        "the reused tables start empty"
    );
    // No spare left: new tables.
    h.prepare(c, 8_000);
    assert!(tables(&h, &c)
        .iter()
        .all(|t| made.iter().all(|m| m.0 != t.0)));
    // Without a capacity nothing is prepared.
    let mut plain = SignatureHistory::default();
    plain.prepare(a, 0);
    assert!(plain.shards.iter().all(|s| s.by_blockhash.is_empty()));
}

#[test]
fn history_dedups_per_blockhash_and_forgets() -> Result<(), Box<dyn std::error::Error>> {
    use baton_types::Keypair;
    let payer = Keypair::from_seed(&[7; 32]);
    let tx = |blockhash: Hash| {
        Transaction::new_signed_with_payer(&[], Some(&payer.pubkey()), &[&payer], blockhash)
    };
    let (a, b) = (Hash::hashv(&[b"a"]), Hash::hashv(&[b"b"]));
    let mut h = SignatureHistory::default();
    assert!(h.insert(&tx(a)?));
    assert!(!h.insert(&tx(a)?), "the same signature again");
    assert!(h.contains(&tx(a)?));
    assert!(h.insert(&tx(b)?), "another blockhash signs another message");
    h.forget(&tx(a)?);
    assert!(!h.contains(&tx(a)?));
    assert!(h.insert(&tx(a)?), "forgotten, so new again");
    h.expire(&a);
    assert!(h.insert(&tx(a)?), "expired with its blockhash");
    assert!(!h.insert(&tx(b)?));
    Ok(())
}

fn random_sig(rng: &mut ChaCha8Rng) -> Signature {
    let mut s = [0u8; 64];
    rng.fill(&mut s[..]);
    Signature(s)
}

fn tx_with(signature: Signature, blockhash: Hash) -> Transaction {
    Transaction {
        signatures: vec![signature],
        message: Message {
            recent_blockhash: blockhash,
            ..Message::default()
        },
    }
}

/// The partitioned insert finds exactly the duplicates that inserting one
/// transaction at a time in batch order does — the earliest occurrence of a
/// signature is recorded, every later one found — and leaves the same
/// history, on pools of 1 to 16 threads: batches drawing signatures from a
/// small pool (many repeats within the batch and across batches), over
/// three blockhashes, with some transactions skipped.
#[test]
fn partitioned_insert_equals_inserting_in_batch_order() {
    let blockhashes: Vec<Hash> = (0..3u8).map(|i| Hash::hashv(&[&[i]])).collect();
    for threads in [1, 2, 3, 4, 8, 16] {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap_or_else(|e| panic!("pool: {e}"));
        let mut rng = ChaCha8Rng::seed_from_u64(threads as u64);
        let sigs: Vec<Signature> = (0..300).map(|_| random_sig(&mut rng)).collect();
        let (mut serial, mut parallel) = (SignatureHistory::default(), SignatureHistory::default());
        if threads % 2 == 0 {
            serial.prepare(blockhashes[0], 200);
            parallel.prepare(blockhashes[0], 200);
        }
        for batch in 0..6 {
            let txs: Vec<Transaction> = (0..400)
                .map(|_| {
                    let sig = sigs[rng.gen_range(0..sigs.len())];
                    tx_with(sig, blockhashes[rng.gen_range(0..blockhashes.len())])
                })
                .collect();
            let skipped: Vec<bool> = txs.iter().map(|_| rng.gen_bool(0.1)).collect();
            let mut expected: Vec<usize> = (0..txs.len())
                .filter(|&i| !skipped[i] && !serial.insert(&txs[i]))
                .collect();
            let (shards, keys): (Vec<u8>, Vec<u128>) = txs
                .iter()
                .zip(&skipped)
                .map(|(tx, &skip)| match parallel.shard_and_key(tx) {
                    _ if skip => (NO_SHARD, 0),
                    tagged => tagged,
                })
                .unzip();
            let mut found = parallel.insert_partitioned(&pool, &txs, &shards, &keys);
            found.sort_unstable();
            expected.sort_unstable();
            assert!(
                !expected.is_empty() || batch == 0,
                "the test makes duplicates"
            );
            assert_eq!(found, expected, "{threads} threads, batch {batch}");
            for tx in &txs {
                assert_eq!(parallel.contains(tx), serial.contains(tx));
            }
        }
    }
}

#[test]
fn signatures_spread_over_every_shard() {
    let h = SignatureHistory::default();
    let mut rng = ChaCha8Rng::seed_from_u64(9);
    let mut counts = [0usize; SHARDS];
    for _ in 0..16_000 {
        counts[usize::from(h.shard_of(&tx_with(random_sig(&mut rng), Hash::default())))] += 1;
    }
    // 1,000 expected per shard; 5 standard deviations is about 155.
    assert!(
        counts.iter().all(|&c| (845..1155).contains(&c)),
        "{counts:?}"
    );
}
