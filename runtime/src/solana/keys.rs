//! Keys, hashes, signatures and keypairs: the same bytes on both sides.

use solana_signer::Signer as _;

use super::{FromBaton, FromSolana};
use crate::{Hash, Keypair, Pubkey, Signature};

impl FromSolana<solana_pubkey::Pubkey> for Pubkey {
    fn from_solana(value: solana_pubkey::Pubkey) -> Self {
        Pubkey(value.to_bytes())
    }
}

impl FromSolana<&solana_pubkey::Pubkey> for Pubkey {
    fn from_solana(value: &solana_pubkey::Pubkey) -> Self {
        Pubkey(value.to_bytes())
    }
}

impl FromBaton<Pubkey> for solana_pubkey::Pubkey {
    fn from_baton(value: Pubkey) -> Self {
        solana_pubkey::Pubkey::new_from_array(value.0)
    }
}

impl FromBaton<&Pubkey> for solana_pubkey::Pubkey {
    fn from_baton(value: &Pubkey) -> Self {
        solana_pubkey::Pubkey::new_from_array(value.0)
    }
}

impl FromSolana<solana_hash::Hash> for Hash {
    fn from_solana(value: solana_hash::Hash) -> Self {
        Hash(value.to_bytes())
    }
}

impl FromSolana<&solana_hash::Hash> for Hash {
    fn from_solana(value: &solana_hash::Hash) -> Self {
        Hash(value.to_bytes())
    }
}

impl FromBaton<Hash> for solana_hash::Hash {
    fn from_baton(value: Hash) -> Self {
        solana_hash::Hash::new_from_array(value.0)
    }
}

impl FromBaton<&Hash> for solana_hash::Hash {
    fn from_baton(value: &Hash) -> Self {
        solana_hash::Hash::new_from_array(value.0)
    }
}

impl FromSolana<solana_signature::Signature> for Signature {
    fn from_solana(value: solana_signature::Signature) -> Self {
        Signature(*value.as_array())
    }
}

impl FromSolana<&solana_signature::Signature> for Signature {
    fn from_solana(value: &solana_signature::Signature) -> Self {
        Signature(*value.as_array())
    }
}

impl FromBaton<Signature> for solana_signature::Signature {
    fn from_baton(value: Signature) -> Self {
        solana_signature::Signature::from(value.0)
    }
}

impl FromBaton<&Signature> for solana_signature::Signature {
    fn from_baton(value: &Signature) -> Self {
        solana_signature::Signature::from(value.0)
    }
}

/// The same signer: the 32-byte secret key carries over (Solana's keypair
/// is not `Clone`, so both directions take a reference).
impl FromSolana<&solana_keypair::Keypair> for Keypair {
    fn from_solana(value: &solana_keypair::Keypair) -> Self {
        let keypair = Keypair::from_seed(value.secret_bytes());
        debug_assert_eq!(keypair.pubkey().0, value.pubkey().to_bytes());
        keypair
    }
}

impl FromBaton<&Keypair> for solana_keypair::Keypair {
    fn from_baton(value: &Keypair) -> Self {
        solana_keypair::Keypair::new_from_array(value.secret_bytes())
    }
}
