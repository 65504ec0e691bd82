//! The `nonce` suite: durable-nonce transactions (their first instruction
//! advances a nonce account; their recent blockhash is the nonce's stored
//! value). Two LiteSVM departures are marked: it advances a nonce to the
//! hash of the transaction's own recent blockhash, where Agave uses the
//! bank's blockhash; and a failed nonce transaction leaves the nonce as it
//! was, where Agave advances it with the fee.

use rand::Rng;
use rand_chacha::ChaCha8Rng;
use solana_account::Account;
use solana_hash::Hash;
use solana_instruction::Instruction;
use solana_keypair::Keypair;
use solana_pubkey::Pubkey;
use solana_signer::Signer;
use solana_system_interface::instruction as sys;

use crate::build::{cb, keypair, pubkey, system_account, transaction, Version};
use crate::fixture::{Outcome, Scenario};
use crate::harness::{baton_genesis_blockhash, state_of, Harness};

const NONCE_LEN: usize = 80;

/// `DurableNonce::from_blockhash`: sha256("DURABLE_NONCE" || blockhash).
fn durable(blockhash: &Hash) -> Hash {
    Hash::new_from_array(
        solana_sha256_hasher::hashv(&[b"DURABLE_NONCE", blockhash.as_ref()]).to_bytes(),
    )
}

/// An initialized nonce account's data (`Versions::Current`, `Initialized`).
fn nonce_data(authority: &Pubkey, nonce: &Hash, lamports_per_signature: u64) -> Vec<u8> {
    let mut d = Vec::with_capacity(NONCE_LEN);
    d.extend_from_slice(&1u32.to_le_bytes());
    d.extend_from_slice(&1u32.to_le_bytes());
    d.extend_from_slice(authority.as_ref());
    d.extend_from_slice(nonce.as_ref());
    d.extend_from_slice(&lamports_per_signature.to_le_bytes());
    d
}

pub fn scenarios(rng: &mut ChaCha8Rng) -> Vec<Scenario> {
    (0..2).map(|i| scenario(i, rng.gen())).collect()
}

struct Nonce {
    key: Pubkey,
    authority: Keypair,
    value: Hash,
}

fn scenario(i: usize, seed: u64) -> Scenario {
    use rand::SeedableRng;
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut h = Harness::new(&format!("nonce/{i}"), true);
    let payer = keypair(&mut rng);
    h.set(
        payer.pubkey(),
        system_account(rng.gen_range(1_000_000_000..5_000_000_000), u64::MAX),
    );
    let to = pubkey(&mut rng);
    let rent = h.svm.minimum_balance_for_rent_exemption(NONCE_LEN);
    let mut nonces = Vec::new();
    for _ in 0..6 {
        let key = pubkey(&mut rng);
        // The payer is the authority of some.
        let authority = if rng.gen_bool(0.5) {
            payer.insecure_clone()
        } else {
            keypair(&mut rng)
        };
        let mut b = [0u8; 32];
        rng.fill(&mut b);
        let value = durable(&Hash::new_from_array(b));
        h.set(
            key,
            Account {
                lamports: rent + rng.gen_range(0..1_000_000),
                data: nonce_data(&authority.pubkey(), &value, 5_000),
                owner: solana_sdk_ids::system_program::id(),
                executable: false,
                rent_epoch: u64::MAX,
            },
        );
        nonces.push(Nonce {
            key,
            authority,
            value,
        });
    }
    let next = durable(&baton_genesis_blockhash());
    let version = if i.is_multiple_of(2) {
        Version::Legacy
    } else {
        Version::V0
    };
    let tag = version.tag();
    let tx = |ixs: &[Instruction], n: &Nonce, signers: &[&Keypair], bh: Hash| {
        let mut all: Vec<&Keypair> = vec![&payer, &n.authority];
        all.extend_from_slice(signers);
        transaction(version, ixs, &payer.pubkey(), &all, bh, &[])
    };
    let advance = |n: &Nonce| sys::advance_nonce_account(&n.key, &n.authority.pubkey());
    let reason_value = "LiteSVM advances a nonce to the hash of the transaction's recent \
                        blockhash (its environment's blockhash); Agave to that of the bank's \
                        blockhash";
    let reason_failed = "a failed durable-nonce transaction: LiteSVM charges the fee and \
                         leaves the nonce; Agave advances the nonce too";
    // The nonce account as Agave leaves it: advanced to the bank's
    // blockhash's durable nonce.
    let agave_nonce = |out: &Outcome, n: &Nonce, lite: &Account| -> Outcome {
        let mut out = out.clone();
        let mut a = lite.clone();
        a.data = nonce_data(&n.authority.pubkey(), &next, 5_000);
        let state = state_of(&n.key, Some(&a));
        for s in &mut out.accounts {
            if s.pubkey == state.pubkey {
                *s = state.clone();
            }
        }
        out
    };

    // 1. Advance and transfer: succeeds.
    let n = &nonces[0];
    let t = tx(
        &[advance(n), sys::transfer(&payer.pubkey(), &to, 1_000_000)],
        n,
        &[],
        n.value,
    );
    let pre = h.svm.get_account(&n.key).unwrap_or_default();
    h.tx_agave(
        "advance-and-transfer",
        &[tag, "nonce", "ok"],
        &t,
        reason_value,
        |_, lite, _| agave_nonce(lite, n, &pre),
    );
    // 2. The same nonce again: its value is now the bank's next one, so
    //    the transaction is not advanceable (BlockhashNotFound).
    let t = tx(
        &[advance(n), sys::transfer(&payer.pubkey(), &to, 2_000_000)],
        n,
        &[],
        next,
    );
    h.tx("advance-not-advanceable", &[tag, "nonce"], &t);
    // 3. The stale value: BlockhashNotFound.
    let t = tx(
        &[advance(n), sys::transfer(&payer.pubkey(), &to, 3_000_000)],
        n,
        &[],
        n.value,
    );
    h.tx("advance-stale-value", &[tag, "nonce"], &t);
    // 4. A nonce transaction that fails: the fee is charged; Agave advances
    //    the nonce.
    let n = &nonces[1];
    let t = tx(
        &[
            advance(n),
            sys::transfer(&payer.pubkey(), &to, u64::MAX / 2),
        ],
        n,
        &[],
        n.value,
    );
    let pre = h.svm.get_account(&n.key).unwrap_or_default();
    h.tx_agave(
        "advance-then-fail",
        &[tag, "nonce", "fail"],
        &t,
        reason_failed,
        |_, lite, _| agave_nonce(lite, n, &pre),
    );
    // 5. A priced nonce transaction: the fee includes the priority fee.
    let n = &nonces[2];
    let t = tx(
        &[
            advance(n),
            cb::price(1_000_000),
            sys::transfer(&payer.pubkey(), &to, 4_000),
        ],
        n,
        &[],
        n.value,
    );
    let pre = h.svm.get_account(&n.key).unwrap_or_default();
    h.tx_agave(
        "advance-priced",
        &[tag, "nonce", "cb-price"],
        &t,
        reason_value,
        |_, lite, _| agave_nonce(lite, n, &pre),
    );
    // 6. Advance is not the first instruction: not a nonce transaction.
    let n = &nonces[3];
    let t = tx(
        &[sys::transfer(&payer.pubkey(), &to, 5_000), advance(n)],
        n,
        &[],
        n.value,
    );
    h.tx("advance-second", &[tag, "nonce"], &t);
    // 7. The nonce's authority does not sign: not a nonce transaction.
    let n = &nonces[4];
    let mut ix = advance(n);
    ix.accounts[2].is_signer = false;
    let t = transaction(version, &[ix], &payer.pubkey(), &[&payer], n.value, &[]);
    h.tx("advance-unsigned-authority", &[tag, "nonce"], &t);
    // 8. A recent blockhash, with an advance instruction: an ordinary
    //    transaction whose advance succeeds.
    let n = &nonces[5];
    let t = tx(&[advance(n)], n, &[], h.svm.latest_blockhash());
    h.tx("advance-with-recent-blockhash", &[tag, "nonce"], &t);
    h.finish()
}
