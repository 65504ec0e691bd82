//! Message headers, address table lookups and messages: legacy, v0 and
//! `VersionedMessage`. Every field carries over, lookups included, so a
//! message keeps its wire bytes (and its signatures stay valid).

use solana_message::{legacy, v0, VersionedMessage};

use super::{
    by_value, ConversionError, FromBaton, FromSolana, IntoBaton, IntoSolana, TryFromBaton,
    TryFromSolana,
};
use crate::types::AddressLookupTableAccount;
use crate::{Message, MessageAddressTableLookup, MessageHeader, MessageVersion};

impl FromSolana<&solana_message::MessageHeader> for MessageHeader {
    fn from_solana(value: &solana_message::MessageHeader) -> Self {
        MessageHeader {
            num_required_signatures: value.num_required_signatures,
            num_readonly_signed_accounts: value.num_readonly_signed_accounts,
            num_readonly_unsigned_accounts: value.num_readonly_unsigned_accounts,
        }
    }
}

impl FromBaton<&MessageHeader> for solana_message::MessageHeader {
    fn from_baton(value: &MessageHeader) -> Self {
        solana_message::MessageHeader {
            num_required_signatures: value.num_required_signatures,
            num_readonly_signed_accounts: value.num_readonly_signed_accounts,
            num_readonly_unsigned_accounts: value.num_readonly_unsigned_accounts,
        }
    }
}

impl FromSolana<&v0::MessageAddressTableLookup> for MessageAddressTableLookup {
    fn from_solana(value: &v0::MessageAddressTableLookup) -> Self {
        MessageAddressTableLookup {
            account_key: value.account_key.into_baton(),
            writable_indexes: value.writable_indexes.clone(),
            readonly_indexes: value.readonly_indexes.clone(),
        }
    }
}

impl FromBaton<&MessageAddressTableLookup> for v0::MessageAddressTableLookup {
    fn from_baton(value: &MessageAddressTableLookup) -> Self {
        v0::MessageAddressTableLookup {
            account_key: value.account_key.into_solana(),
            writable_indexes: value.writable_indexes.clone(),
            readonly_indexes: value.readonly_indexes.clone(),
        }
    }
}

/// A lookup table's address and contents, as both v0 compilers take them.
impl FromSolana<&solana_message::AddressLookupTableAccount> for AddressLookupTableAccount {
    fn from_solana(value: &solana_message::AddressLookupTableAccount) -> Self {
        AddressLookupTableAccount {
            key: value.key.into_baton(),
            addresses: value.addresses.iter().map(IntoBaton::into_baton).collect(),
        }
    }
}

impl FromBaton<&AddressLookupTableAccount> for solana_message::AddressLookupTableAccount {
    fn from_baton(value: &AddressLookupTableAccount) -> Self {
        solana_message::AddressLookupTableAccount {
            key: value.key.into_solana(),
            addresses: value
                .addresses
                .iter()
                .map(IntoSolana::into_solana)
                .collect(),
        }
    }
}

impl FromSolana<&legacy::Message> for Message {
    fn from_solana(value: &legacy::Message) -> Self {
        Message {
            header: (&value.header).into_baton(),
            account_keys: value
                .account_keys
                .iter()
                .map(IntoBaton::into_baton)
                .collect(),
            recent_blockhash: (&value.recent_blockhash).into_baton(),
            instructions: value
                .instructions
                .iter()
                .map(IntoBaton::into_baton)
                .collect(),
            version: MessageVersion::Legacy,
            address_table_lookups: Vec::new(),
        }
    }
}

impl FromSolana<&v0::Message> for Message {
    fn from_solana(value: &v0::Message) -> Self {
        Message {
            header: (&value.header).into_baton(),
            account_keys: value
                .account_keys
                .iter()
                .map(IntoBaton::into_baton)
                .collect(),
            recent_blockhash: (&value.recent_blockhash).into_baton(),
            instructions: value
                .instructions
                .iter()
                .map(IntoBaton::into_baton)
                .collect(),
            version: MessageVersion::V0,
            address_table_lookups: value
                .address_table_lookups
                .iter()
                .map(IntoBaton::into_baton)
                .collect(),
        }
    }
}

/// Fails on a v1 message, which Baton does not run.
impl TryFromSolana<&VersionedMessage> for Message {
    type Error = ConversionError;
    fn try_from_solana(value: &VersionedMessage) -> Result<Self, ConversionError> {
        match value {
            VersionedMessage::Legacy(m) => Ok(m.into_baton()),
            VersionedMessage::V0(m) => Ok(m.into_baton()),
            VersionedMessage::V1(_) => Err(ConversionError::UnsupportedVersion { version: 1 }),
        }
    }
}

fn version_name(m: &Message) -> &'static str {
    match m.version {
        MessageVersion::Legacy => "legacy",
        MessageVersion::V0 => "v0",
    }
}

/// Fails on a v0 message, and on a legacy one with address table lookups.
impl TryFromBaton<&Message> for legacy::Message {
    type Error = ConversionError;
    fn try_from_baton(value: &Message) -> Result<Self, ConversionError> {
        if value.version != MessageVersion::Legacy {
            return Err(ConversionError::WrongVersion {
                wanted: "legacy",
                found: version_name(value),
            });
        }
        if !value.address_table_lookups.is_empty() {
            return Err(ConversionError::LookupsInLegacyMessage {
                count: value.address_table_lookups.len(),
            });
        }
        Ok(legacy::Message {
            header: (&value.header).into_solana(),
            account_keys: value
                .account_keys
                .iter()
                .map(IntoSolana::into_solana)
                .collect(),
            recent_blockhash: value.recent_blockhash.into_solana(),
            instructions: value
                .instructions
                .iter()
                .map(IntoSolana::into_solana)
                .collect(),
        })
    }
}

/// Fails unless the message is v0.
impl TryFromBaton<&Message> for v0::Message {
    type Error = ConversionError;
    fn try_from_baton(value: &Message) -> Result<Self, ConversionError> {
        if value.version != MessageVersion::V0 {
            return Err(ConversionError::WrongVersion {
                wanted: "v0",
                found: version_name(value),
            });
        }
        Ok(v0::Message {
            header: (&value.header).into_solana(),
            account_keys: value
                .account_keys
                .iter()
                .map(IntoSolana::into_solana)
                .collect(),
            recent_blockhash: value.recent_blockhash.into_solana(),
            instructions: value
                .instructions
                .iter()
                .map(IntoSolana::into_solana)
                .collect(),
            address_table_lookups: value
                .address_table_lookups
                .iter()
                .map(IntoSolana::into_solana)
                .collect(),
        })
    }
}

/// Fails only on a legacy message with address table lookups, which no
/// Solana message can hold.
impl TryFromBaton<&Message> for VersionedMessage {
    type Error = ConversionError;
    fn try_from_baton(value: &Message) -> Result<Self, ConversionError> {
        match value.version {
            MessageVersion::Legacy => legacy::Message::try_from_baton(value).map(Self::Legacy),
            MessageVersion::V0 => v0::Message::try_from_baton(value).map(Self::V0),
        }
    }
}

by_value!(FromSolana, from_solana:
    solana_message::MessageHeader => MessageHeader,
    v0::MessageAddressTableLookup => MessageAddressTableLookup,
    solana_message::AddressLookupTableAccount => AddressLookupTableAccount,
    legacy::Message => Message,
    v0::Message => Message,
);
by_value!(FromBaton, from_baton:
    MessageHeader => solana_message::MessageHeader,
    MessageAddressTableLookup => v0::MessageAddressTableLookup,
    AddressLookupTableAccount => solana_message::AddressLookupTableAccount,
);
by_value!(try TryFromSolana, try_from_solana: VersionedMessage => Message);
by_value!(try TryFromBaton, try_from_baton:
    Message => legacy::Message,
    Message => v0::Message,
    Message => VersionedMessage,
);
