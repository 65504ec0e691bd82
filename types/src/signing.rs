//! Ed25519 keypairs, transaction signing and signature verification.
//!
//! # Which verification rule
//!
//! Single verification ([`verify_transaction`]) uses ed25519-dalek's
//! `verify_strict`, the rule Solana's `Signature::verify` and Agave's CPU
//! sigverify use: it rejects a small-order public key or `R`, a
//! non-canonical `R` encoding and a non-canonical `s`.
//!
//! Batch verification ([`verify_batch`]) uses `ed25519_dalek::verify_batch`,
//! whose equation is the cofactorless one of plain `verify`, and which on its
//! own would accept the small-order and non-canonical cases that strict
//! rejects. So before batching, every signature goes through strict's cheap
//! pre-checks (public key decompresses and is not small order; `R`
//! decompresses, is canonically encoded and is not small order; `s` is
//! canonical); a signature failing them fails its transaction without
//! entering the batch. Every signature an honest signer makes therefore gets
//! the same verdict from both paths, and so do all the classic malleability
//! cases. The one remaining difference: a signer who deliberately publishes a
//! public key with a torsion component (mixed order, not small order) can
//! craft signatures that strict rejects but that a batch accepts with
//! probability about 1/8, depending on the batch's transcript (that is, on
//! which other signatures share the chunk). Closing that gap needs a
//! torsion-freeness check per key, which costs about as much as a single
//! verification and would undo the batch's gain; Baton accepts the
//! difference. Callers who need the exact strict verdict call
//! [`verify_transaction`].

use std::fmt;
use std::sync::LazyLock;

use curve25519_dalek::constants::EIGHT_TORSION;
use curve25519_dalek::edwards::CompressedEdwardsY;
use curve25519_dalek::scalar::Scalar;
use ed25519_dalek::{Signer, SigningKey, VerifyingKey};
use rand_core::{CryptoRng, RngCore};

use crate::{Hash, Instruction, Message, Pubkey, Signature, Transaction, TransactionError};

/// An ed25519 keypair that signs messages and transactions.
///
/// `Debug` shows the public key only.
#[derive(Clone)]
pub struct Keypair(SigningKey);

/// Why a transaction could not be signed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, thiserror::Error)]
pub enum SignError {
    /// The message needs the signature of `pubkey`, and no keypair given has it.
    #[error("missing a keypair for required signer {pubkey}")]
    MissingSigner {
        /// The signer without a keypair.
        pubkey: Pubkey,
    },
    /// A keypair was given whose key is not among the message's signers.
    #[error("keypair {pubkey} is not a signer of the message")]
    UnexpectedSigner {
        /// The extra keypair's public key.
        pubkey: Pubkey,
    },
    /// The message's header names more signers than it has keys.
    #[error("message requires more signatures than it has account keys")]
    InvalidMessage,
}

impl Keypair {
    /// A fresh random keypair, its secret drawn from the operating system's
    /// random number generator (`getrandom`), as `solana_keypair::Keypair::new`
    /// does. No RNG crate is needed on the caller's side.
    ///
    /// For reproducible keys (tests, generated workloads) use
    /// [`Keypair::from_seed`], or [`Keypair::generate`] with a seeded RNG.
    ///
    /// # Panics
    ///
    /// If the operating system cannot supply random bytes (as `getrandom`
    /// fails only on a broken or sandboxed system without an entropy source).
    pub fn new() -> Self {
        Self(SigningKey::generate(&mut rand_core::OsRng))
    }

    /// A fresh random keypair from the cryptographic RNG `rng` (a
    /// `rand_core` 0.6 RNG, such as `rand` 0.8's or `rand_chacha` 0.3's):
    /// seeded, it gives the same keypairs on every run.
    pub fn generate<R: CryptoRng + RngCore>(rng: &mut R) -> Self {
        Self(SigningKey::generate(rng))
    }

    /// The keypair whose 32-byte ed25519 secret (seed) is `seed`; equal to
    /// `solana_keypair::Keypair::new_from_array(*seed)`.
    pub fn from_seed(seed: &[u8; 32]) -> Self {
        Self(SigningKey::from_bytes(seed))
    }

    /// The 32-byte secret seed.
    pub fn secret_bytes(&self) -> [u8; 32] {
        self.0.to_bytes()
    }

    /// Solana's 64-byte keypair form: the seed followed by the public key.
    pub fn to_bytes(&self) -> [u8; 64] {
        self.0.to_keypair_bytes()
    }

    /// The public key.
    pub fn pubkey(&self) -> Pubkey {
        Pubkey(self.0.verifying_key().to_bytes())
    }

    /// Sign `message`.
    pub fn sign(&self, message: &[u8]) -> Signature {
        Signature(self.0.sign(message).to_bytes())
    }
}

impl Default for Keypair {
    /// [`Keypair::new`]: a random keypair from the OS RNG.
    fn default() -> Self {
        Self::new()
    }
}

impl fmt::Debug for Keypair {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Keypair").field(&self.pubkey()).finish()
    }
}

impl Transaction {
    /// Set the blockhash and sign the message with `keypairs`, which must
    /// cover every required signer of the message exactly (order does not
    /// matter; a keypair given twice is fine). On error the transaction is
    /// left unchanged.
    pub fn sign(&mut self, keypairs: &[&Keypair], blockhash: Hash) -> Result<(), SignError> {
        let n = usize::from(self.message.header.num_required_signatures);
        let signer_keys = self
            .message
            .account_keys
            .get(..n)
            .ok_or(SignError::InvalidMessage)?;
        let mut by_position: Vec<&Keypair> = Vec::with_capacity(n);
        for key in signer_keys {
            let kp = keypairs
                .iter()
                .find(|kp| kp.pubkey() == *key)
                .ok_or(SignError::MissingSigner { pubkey: *key })?;
            by_position.push(kp);
        }
        if let Some(extra) = keypairs
            .iter()
            .find(|kp| !signer_keys.contains(&kp.pubkey()))
        {
            return Err(SignError::UnexpectedSigner {
                pubkey: extra.pubkey(),
            });
        }
        self.message.recent_blockhash = blockhash;
        let bytes = self.message.serialize();
        self.signatures = by_position.iter().map(|kp| kp.sign(&bytes)).collect();
        Ok(())
    }

    /// Compile `instructions` (see [`Message::new_with_blockhash`]) and sign
    /// the message with `signers`.
    pub fn new_signed_with_payer(
        instructions: &[Instruction],
        payer: Option<&Pubkey>,
        signers: &[&Keypair],
        blockhash: Hash,
    ) -> Result<Self, SignError> {
        let message = Message::new_with_blockhash(instructions, payer, &blockhash);
        let mut tx = Transaction::new_unsigned(message);
        tx.sign(signers, blockhash)?;
        Ok(tx)
    }
}

/// A signature that passed strict's pre-checks, ready for a batch.
struct Prepared {
    key: VerifyingKey,
    sig: ed25519_dalek::Signature,
}

/// Strict's cheap checks on one (key, signature) pair: the key decompresses
/// and is not small order, `R` decompresses, is canonical and not small
/// order, and `s` is canonical.
fn precheck(key: &Pubkey, sig: &Signature) -> Option<Prepared> {
    let vk = VerifyingKey::from_bytes(key.as_array()).ok()?;
    if vk.is_weak() {
        return None;
    }
    let mut r_bytes = [0u8; 32];
    r_bytes.copy_from_slice(&sig.0[..32]);
    // `R` is not decompressed here: batch verification decompresses it
    // again anyway, and an `R` that does not decompress fails the batch,
    // whose transactions are then verified one by one (and this one
    // refused). Small order is decided from the encoding.
    if !is_canonical_point_encoding(&r_bytes) || is_small_order_encoding(&r_bytes) {
        return None;
    }
    let mut s_bytes = [0u8; 32];
    s_bytes.copy_from_slice(&sig.0[32..]);
    if bool::from(Scalar::from_canonical_bytes(s_bytes).is_none()) {
        return None;
    }
    Some(Prepared {
        key: vk,
        sig: ed25519_dalek::Signature::from_bytes(&sig.0),
    })
}

/// Whether `bytes` is the canonical encoding of a point that decompresses:
/// its y coordinate (the low 255 bits) is below p = 2^255 - 19. (The only
/// other non-canonical encodings, x = 0 with the sign bit set, are points of
/// order 1 or 2, which the small-order check refuses.) This is what
/// re-compressing the point and comparing would decide, without the field
/// inversion that costs as much as the decompression.
fn is_canonical_point_encoding(bytes: &[u8; 32]) -> bool {
    let top_is_max = bytes[31] & 0x7f == 0x7f;
    let middle_is_max = bytes[1..31].iter().all(|&b| b == 0xff);
    !(top_is_max && middle_is_max && bytes[0] >= 0xed)
}

/// The encodings that decompress to a point of small order: the canonical
/// encodings of the eight torsion points, and the two with the sign bit set
/// that decompress to the points whose x is 0 (orders 1 and 2).
static SMALL_ORDER_ENCODINGS: LazyLock<Vec<[u8; 32]>> = LazyLock::new(|| {
    let mut all: Vec<[u8; 32]> = EIGHT_TORSION
        .iter()
        .map(|p| p.compress().to_bytes())
        .collect();
    for p in EIGHT_TORSION.iter() {
        let mut b = p.compress().to_bytes();
        b[31] |= 0x80;
        let small = CompressedEdwardsY(b)
            .decompress()
            .is_some_and(|q| q.is_small_order());
        if small && !all.contains(&b) {
            all.push(b);
        }
    }
    all
});

/// Whether `bytes` decompresses to a point of small order, decided without
/// decompressing it (as libsodium does, from the list of such encodings).
fn is_small_order_encoding(bytes: &[u8; 32]) -> bool {
    SMALL_ORDER_ENCODINGS.contains(bytes)
}

/// Signature count and message shape, checked before any signature.
fn check_shape(tx: &Transaction) -> Result<(), TransactionError> {
    crate::wire::sanitize_transaction(tx).map_err(|_| TransactionError::SanitizeFailure)
}

/// Verify every signature of `tx` against its signer key with ed25519
/// `verify_strict` semantics.
///
/// A transaction whose signature count differs from the header's, or whose
/// message does not sanitize ([`crate::wire::sanitize_message`]), is
/// [`TransactionError::SanitizeFailure`]; a signature that does not verify is
/// [`TransactionError::SignatureFailure`].
pub fn verify_transaction(tx: &Transaction) -> Result<(), TransactionError> {
    check_shape(tx)?;
    let bytes = tx.message.serialize();
    for (sig, key) in tx.signatures.iter().zip(&tx.message.account_keys) {
        let Ok(vk) = VerifyingKey::from_bytes(key.as_array()) else {
            return Err(TransactionError::SignatureFailure);
        };
        let sig = ed25519_dalek::Signature::from_bytes(&sig.0);
        if vk.verify_strict(&bytes, &sig).is_err() {
            return Err(TransactionError::SignatureFailure);
        }
    }
    Ok(())
}

/// Verify a chunk of transactions, one verdict each, in order.
///
/// Shape errors and signatures failing strict's pre-checks are decided per
/// transaction; all remaining signatures of the chunk are checked in one
/// `ed25519_dalek::verify_batch` call. Only when that batch fails does each
/// transaction in it get verified on its own ([`verify_transaction`]), so a
/// bad signature fails its own transaction and no other. Single-threaded: the
/// runtime parallelises over chunks. See the module documentation for how the
/// batch verdict relates to `verify_strict`.
pub fn verify_batch(txs: &[Transaction]) -> Vec<Result<(), TransactionError>> {
    let mut verdicts: Vec<Result<(), TransactionError>> = Vec::with_capacity(txs.len());
    let mut messages: Vec<Vec<u8>> = Vec::with_capacity(txs.len());
    // For each transaction: where its signatures start in the batch arrays.
    let mut keys: Vec<VerifyingKey> = Vec::new();
    let mut sigs: Vec<ed25519_dalek::Signature> = Vec::new();
    let mut msg_of_sig: Vec<usize> = Vec::new();
    let mut batched: Vec<usize> = Vec::new();

    for (i, tx) in txs.iter().enumerate() {
        if let Err(e) = check_shape(tx) {
            verdicts.push(Err(e));
            messages.push(Vec::new());
            continue;
        }
        let prepared: Option<Vec<Prepared>> = tx
            .signatures
            .iter()
            .zip(&tx.message.account_keys)
            .map(|(s, k)| precheck(k, s))
            .collect();
        let Some(prepared) = prepared else {
            verdicts.push(Err(TransactionError::SignatureFailure));
            messages.push(Vec::new());
            continue;
        };
        let msg_index = messages.len();
        messages.push(tx.message.serialize());
        for p in prepared {
            keys.push(p.key);
            sigs.push(p.sig);
            msg_of_sig.push(msg_index);
        }
        verdicts.push(Ok(()));
        batched.push(i);
    }

    if !sigs.is_empty() {
        let msg_refs: Vec<&[u8]> = msg_of_sig.iter().map(|&m| messages[m].as_slice()).collect();
        if ed25519_dalek::verify_batch(&msg_refs, &sigs, &keys).is_err() {
            for &i in &batched {
                verdicts[i] = verify_transaction(&txs[i]);
            }
        }
    }
    verdicts
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::AccountMeta;
    use rand::SeedableRng;
    use rand_chacha::ChaCha20Rng;

    fn transfer(from: &Keypair, to: Pubkey, extra: Option<&Keypair>) -> Transaction {
        let mut accounts = vec![
            AccountMeta::new(from.pubkey(), true),
            AccountMeta::new(to, false),
        ];
        let mut signers = vec![from];
        if let Some(e) = extra {
            accounts.push(AccountMeta::new_readonly(e.pubkey(), true));
            signers.push(e);
        }
        let ix = Instruction::new_with_bytes(Pubkey::new_from_u64(9), &[2, 0, 0, 0], accounts);
        Transaction::new_signed_with_payer(&[ix], Some(&from.pubkey()), &signers, Hash([3; 32]))
            .unwrap()
    }

    #[test]
    fn sign_and_verify() {
        let mut rng = ChaCha20Rng::seed_from_u64(1);
        let a = Keypair::generate(&mut rng);
        let b = Keypair::generate(&mut rng);
        let tx = transfer(&a, Pubkey::new_from_u64(5), Some(&b));
        assert_eq!(tx.signatures.len(), 2);
        assert_eq!(tx.message.recent_blockhash, Hash([3; 32]));
        assert_eq!(verify_transaction(&tx), Ok(()));
        let mut bad = tx.clone();
        bad.signatures[1].0[5] ^= 1;
        assert_eq!(
            verify_transaction(&bad),
            Err(TransactionError::SignatureFailure)
        );
        let mut short = tx.clone();
        short.signatures.pop();
        assert_eq!(
            verify_transaction(&short),
            Err(TransactionError::SanitizeFailure)
        );
        let mut changed = tx;
        changed.message.instructions[0].data[0] = 3;
        assert_eq!(
            verify_transaction(&changed),
            Err(TransactionError::SignatureFailure)
        );
    }

    #[test]
    fn from_seed_is_deterministic() {
        let k = Keypair::from_seed(&[7; 32]);
        assert_eq!(k.pubkey(), Keypair::from_seed(&[7; 32]).pubkey());
        assert_eq!(k.secret_bytes(), [7; 32]);
        assert_eq!(&k.to_bytes()[32..], k.pubkey().as_array());
        assert!(format!("{k:?}").contains(&k.pubkey().to_string()));
    }

    #[test]
    fn missing_and_extra_signers_are_typed_errors() {
        let a = Keypair::from_seed(&[1; 32]);
        let b = Keypair::from_seed(&[2; 32]);
        let c = Keypair::from_seed(&[3; 32]);
        let ix = Instruction::new_with_bytes(
            Pubkey::new_from_u64(9),
            &[],
            vec![AccountMeta::new(b.pubkey(), true)],
        );
        let r = Transaction::new_signed_with_payer(
            std::slice::from_ref(&ix),
            Some(&a.pubkey()),
            &[&a],
            Hash::default(),
        );
        assert_eq!(r, Err(SignError::MissingSigner { pubkey: b.pubkey() }));
        let r = Transaction::new_signed_with_payer(
            std::slice::from_ref(&ix),
            Some(&a.pubkey()),
            &[&b, &a, &c],
            Hash::default(),
        );
        assert_eq!(r, Err(SignError::UnexpectedSigner { pubkey: c.pubkey() }));
        // Order of keypairs does not matter.
        let tx = Transaction::new_signed_with_payer(
            &[ix],
            Some(&a.pubkey()),
            &[&b, &a],
            Hash::default(),
        )
        .unwrap();
        assert_eq!(verify_transaction(&tx), Ok(()));
        let mut broken = tx;
        broken.message.header.num_required_signatures = 9;
        assert_eq!(
            broken.sign(&[&a], Hash::default()),
            Err(SignError::InvalidMessage)
        );
    }

    #[test]
    fn batch_gives_each_transaction_its_own_verdict() {
        let mut rng = ChaCha20Rng::seed_from_u64(2);
        let kps: Vec<Keypair> = (0..12).map(|_| Keypair::generate(&mut rng)).collect();
        let mut txs: Vec<Transaction> = kps
            .chunks(2)
            .flat_map(|p| {
                [
                    transfer(&p[0], p[1].pubkey(), None),
                    transfer(&p[0], Pubkey::new_from_u64(1), Some(&p[1])),
                ]
            })
            .collect();
        assert!(verify_batch(&txs).iter().all(|r| r.is_ok()));
        assert!(verify_batch(&[]).is_empty());

        // Break some: a flipped signature bit, a wrong count, a small-order R,
        // a non-canonical s.
        txs[1].signatures[1].0[40] ^= 0x10;
        txs[4].signatures.push(Signature::default());
        txs[6].signatures[0].0[..32].copy_from_slice(&[0; 32]); // R = small-order point? (y=0)
        txs[6].signatures[0].0[0] = 1; // y = 1: the identity, small order
        txs[9].signatures[0].0[63] |= 0xf0; // s far above the group order
        let v = verify_batch(&txs);
        for (i, r) in v.iter().enumerate() {
            let expected = match i {
                1 | 6 | 9 => Err(TransactionError::SignatureFailure),
                4 => Err(TransactionError::SanitizeFailure),
                _ => Ok(()),
            };
            assert_eq!(*r, expected, "tx {i}");
            assert_eq!(*r, verify_transaction(&txs[i]), "strict agrees on tx {i}");
        }
    }

    #[test]
    fn canonical_encoding_check_agrees_with_recompression() {
        use rand::{Rng, SeedableRng};
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(11);
        let mut cases: Vec<[u8; 32]> = (0..2000).map(|_| rng.gen()).collect();
        // Every y at or above p, with both sign bits, and the values just below.
        for low in 0xe0u8..=0xff {
            for sign in [0u8, 0x80] {
                let mut b = [0xffu8; 32];
                b[0] = low;
                b[31] = 0x7f | sign;
                cases.push(b);
            }
        }
        let mut one = [0u8; 32];
        one[0] = 1;
        cases.push(one);
        one[31] = 0x80;
        cases.push(one);
        for b in cases {
            if let Some(p) = CompressedEdwardsY(b).decompress() {
                if p.is_small_order() {
                    continue;
                }
                assert_eq!(
                    is_canonical_point_encoding(&b),
                    p.compress().to_bytes() == b,
                    "{b:?}"
                );
            }
        }
    }

    #[test]
    fn small_order_encoding_check_agrees_with_decompression() {
        use rand::{Rng, SeedableRng};
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(12);
        let mut cases: Vec<[u8; 32]> = (0..3000).map(|_| rng.gen()).collect();
        for p in EIGHT_TORSION.iter() {
            let b = p.compress().to_bytes();
            cases.push(b);
            let mut flipped = b;
            flipped[31] ^= 0x80;
            cases.push(flipped);
        }
        // A point of large order plus each torsion point: mixed order.
        let base = curve25519_dalek::constants::ED25519_BASEPOINT_POINT;
        for t in EIGHT_TORSION.iter() {
            cases.push((base + t).compress().to_bytes());
        }
        let mut small = 0;
        for b in cases {
            if let Some(p) = CompressedEdwardsY(b).decompress() {
                assert_eq!(is_small_order_encoding(&b), p.is_small_order(), "{b:?}");
                small += usize::from(p.is_small_order());
            } else {
                assert!(!is_small_order_encoding(&b), "{b:?}");
            }
        }
        // 8 torsion points, 2 of them also with the sign bit set.
        assert_eq!(SMALL_ORDER_ENCODINGS.len(), 10);
        assert!(small >= 10);
    }

    #[test]
    fn weak_public_key_is_rejected_by_both_paths() {
        // The identity point as a public key, with any signature.
        let mut key = [0u8; 32];
        key[0] = 1;
        let weak = Pubkey(key);
        let m = Message::new_with_blockhash(
            &[Instruction::new_with_bytes(
                Pubkey::new_from_u64(9),
                &[],
                vec![],
            )],
            Some(&weak),
            &Hash::default(),
        );
        let mut tx = Transaction::new_unsigned(m);
        // R = identity, s = 0 satisfies the cofactorless equation for A = identity.
        tx.signatures[0].0[0] = 1;
        assert_eq!(
            verify_transaction(&tx),
            Err(TransactionError::SignatureFailure)
        );
        assert_eq!(
            verify_batch(&[tx]),
            vec![Err(TransactionError::SignatureFailure)]
        );
    }

    #[test]
    fn os_rng_keypairs_differ_and_sign() {
        let a = Keypair::new();
        let b = Keypair::default();
        assert_ne!(a.pubkey(), b.pubkey());
        assert_ne!(a.secret_bytes(), [0; 32]);
        // The secret round-trips through the seeded constructor.
        assert_eq!(Keypair::from_seed(&a.secret_bytes()).pubkey(), a.pubkey());
        let tx = transfer(&a, Pubkey::new_unique(), Some(&b));
        assert_eq!(verify_transaction(&tx), Ok(()));
    }

    #[test]
    fn seeded_generate_is_reproducible() {
        let one = Keypair::generate(&mut ChaCha20Rng::seed_from_u64(7));
        let two = Keypair::generate(&mut ChaCha20Rng::seed_from_u64(7));
        assert_eq!(one.to_bytes(), two.to_bytes());
    }
}
