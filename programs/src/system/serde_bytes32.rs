//! Serde adapters that encode [`Pubkey`] and [`Hash`] as 32 raw bytes, as
//! Solana's types do under bincode (no length prefix).

/// `#[serde(with = "pubkey")]` for a [`Pubkey`] field.
pub(crate) mod pubkey {
    use baton_types::Pubkey;
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub(crate) fn serialize<S: Serializer>(key: &Pubkey, s: S) -> Result<S::Ok, S::Error> {
        key.0.serialize(s)
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Pubkey, D::Error> {
        <[u8; 32]>::deserialize(d).map(Pubkey)
    }
}

/// `#[serde(with = "hash")]` for a [`Hash`] field.
pub(crate) mod hash {
    use baton_types::Hash;
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub(crate) fn serialize<S: Serializer>(h: &Hash, s: S) -> Result<S::Ok, S::Error> {
        h.0.serialize(s)
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Hash, D::Error> {
        <[u8; 32]>::deserialize(d).map(Hash)
    }
}
