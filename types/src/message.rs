use std::collections::BTreeMap;

use crate::{ids, CompiledInstruction, Hash, Instruction, Pubkey};

/// The message header: how many keys sign, and how many are read-only.
///
/// Keys are ordered: signers first (writable ones, then
/// `num_readonly_signed_accounts` read-only ones), then non-signers (writable
/// ones, then the last `num_readonly_unsigned_accounts` read-only ones).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct MessageHeader {
    /// Number of signatures the message needs; the first keys are the signers.
    pub num_required_signatures: u8,
    /// The last this-many signer keys are read-only.
    pub num_readonly_signed_accounts: u8,
    /// The last this-many non-signer keys are read-only.
    pub num_readonly_unsigned_accounts: u8,
}

/// The wire format of a [`Message`]: legacy, or versioned (v0).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum MessageVersion {
    /// The original format, without a version prefix or lookups.
    #[default]
    Legacy,
    /// Version 0: a `0x80` prefix byte, and address table lookups after the
    /// instructions.
    V0,
}

/// One address lookup table a v0 message loads keys from: the table
/// account, and the indexes of the entries loaded writable and read-only.
///
/// Loaded keys follow the static keys, in this order: every table's
/// writable entries (tables in message order), then every table's
/// read-only entries.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct MessageAddressTableLookup {
    /// The address lookup table account.
    pub account_key: Pubkey,
    /// Indexes of the entries loaded as writable keys.
    pub writable_indexes: Vec<u8>,
    /// Indexes of the entries loaded as read-only keys.
    pub readonly_indexes: Vec<u8>,
}

/// A Solana message, legacy or v0: the part of a transaction that is signed.
///
/// A legacy message has no address table lookups. A v0 message may have
/// some; its instructions then refer to loaded keys by indexes past
/// `account_keys` (the static keys). Until lookups are resolved, the
/// runtime refuses a transaction with lookups, and a v0 message without
/// lookups runs exactly like a legacy one.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Message {
    /// Signer and read-only counts.
    pub header: MessageHeader,
    /// Every account the transaction touches, in header order; key 0 pays the fee.
    pub account_keys: Vec<Pubkey>,
    /// A recent blockhash, which bounds the transaction's lifetime.
    pub recent_blockhash: Hash,
    /// The instructions, run in order.
    pub instructions: Vec<CompiledInstruction>,
    /// The wire format: legacy or v0.
    pub version: MessageVersion,
    /// The lookup tables a v0 message loads keys from (empty for legacy).
    pub address_table_lookups: Vec<MessageAddressTableLookup>,
}

/// What a compiled message must let each key do.
#[derive(Default, Clone, Copy)]
pub(crate) struct KeyFlags {
    pub(crate) signer: bool,
    pub(crate) writable: bool,
    /// Some instruction invokes it (only v0 compilation asks).
    pub(crate) invoked: bool,
}

/// The keys of `instructions` and what each must do, the payer a writable
/// signer; in key order.
pub(crate) fn key_flags(
    instructions: &[Instruction],
    payer: Option<&Pubkey>,
) -> BTreeMap<Pubkey, KeyFlags> {
    let mut flags: BTreeMap<Pubkey, KeyFlags> = BTreeMap::new();
    for ix in instructions {
        flags.entry(ix.program_id).or_default().invoked = true;
        for m in &ix.accounts {
            let f = flags.entry(m.pubkey).or_default();
            f.signer |= m.is_signer;
            f.writable |= m.is_writable;
        }
    }
    if let Some(p) = payer {
        let f = flags.entry(*p).or_default();
        f.signer = true;
        f.writable = true;
    }
    flags
}

/// The header and static keys for `flags` as Solana's compiler orders
/// them: the payer first, then writable signers, read-only signers,
/// writable non-signers and read-only non-signers, each group in key order.
pub(crate) fn header_and_keys(
    flags: &BTreeMap<Pubkey, KeyFlags>,
    payer: Option<&Pubkey>,
) -> (MessageHeader, Vec<Pubkey>) {
    let group = |signer: bool, writable: bool| {
        flags
            .iter()
            .filter(move |(k, f)| Some(*k) != payer && f.signer == signer && f.writable == writable)
            .map(|(k, _)| *k)
    };
    let mut keys: Vec<Pubkey> = payer.copied().into_iter().collect();
    keys.extend(group(true, true));
    let ro_signed_start = keys.len();
    keys.extend(group(true, false));
    let num_required_signatures = keys.len();
    let num_readonly_signed = keys.len() - ro_signed_start;
    keys.extend(group(false, true));
    let ro_unsigned_start = keys.len();
    keys.extend(group(false, false));
    let num_readonly_unsigned = keys.len() - ro_unsigned_start;
    let header = MessageHeader {
        num_required_signatures: num_required_signatures as u8,
        num_readonly_signed_accounts: num_readonly_signed as u8,
        num_readonly_unsigned_accounts: num_readonly_unsigned as u8,
    };
    (header, keys)
}

/// `instructions` with their keys as indexes into `keys`.
pub(crate) fn compile_instructions(
    instructions: &[Instruction],
    keys: &[Pubkey],
) -> Vec<CompiledInstruction> {
    let index_of = |k: &Pubkey| keys.iter().position(|x| x == k).unwrap_or(0) as u8;
    instructions
        .iter()
        .map(|ix| CompiledInstruction {
            program_id_index: index_of(&ix.program_id),
            accounts: ix.accounts.iter().map(|m| index_of(&m.pubkey)).collect(),
            data: ix.data.clone(),
        })
        .collect()
}

impl Message {
    /// Compile `instructions` into a message paid for by `payer`, with a zero blockhash.
    pub fn new(instructions: &[Instruction], payer: Option<&Pubkey>) -> Self {
        Self::new_with_blockhash(instructions, payer, &Hash::default())
    }

    /// Compile `instructions` into a message, ordering keys the way Solana's
    /// own compiler does: the payer first, then writable signers, read-only
    /// signers, writable non-signers and read-only non-signers, each group in
    /// key order. The same instructions give the same bytes as
    /// `solana_message::Message::new_with_blockhash`.
    pub fn new_with_blockhash(
        instructions: &[Instruction],
        payer: Option<&Pubkey>,
        blockhash: &Hash,
    ) -> Self {
        let (header, keys) = header_and_keys(&key_flags(instructions, payer), payer);
        Self {
            header,
            instructions: compile_instructions(instructions, &keys),
            account_keys: keys,
            recent_blockhash: *blockhash,
            version: MessageVersion::Legacy,
            address_table_lookups: Vec::new(),
        }
    }

    /// The same message in the v0 format, with `lookups` (a message
    /// compiled by [`Message::new`] uses none of the keys they load; the
    /// caller adds instructions or accounts that do).
    pub fn into_v0(self, lookups: Vec<MessageAddressTableLookup>) -> Self {
        Self {
            version: MessageVersion::V0,
            address_table_lookups: lookups,
            ..self
        }
    }

    /// Whether the message is in a versioned format (v0).
    pub fn is_versioned(&self) -> bool {
        self.version != MessageVersion::Legacy
    }

    /// How many keys the address table lookups load (writable and
    /// read-only, over every table).
    pub fn num_lookup_keys(&self) -> usize {
        self.address_table_lookups
            .iter()
            .map(|l| l.writable_indexes.len() + l.readonly_indexes.len())
            .sum()
    }

    /// Whether key `i` must sign.
    pub fn is_signer(&self, i: usize) -> bool {
        i < self.header.num_required_signatures as usize
    }

    /// Whether the header places key `i` among the writable keys.
    pub fn is_writable_index(&self, i: usize) -> bool {
        i < self.account_keys.len() && WritableByPosition::of(self).contains(i)
    }

    /// Whether key `i` is the program id of some instruction.
    #[inline]
    pub fn is_invoked(&self, i: usize) -> bool {
        self.instructions
            .iter()
            .any(|ix| ix.program_id_index as usize == i)
    }

    /// Top-level writability (§1.1): writable by header position, but never a
    /// program id that an instruction invokes nor a reserved id.
    pub fn is_writable(&self, i: usize) -> bool {
        self.is_writable_index(i)
            && !self.is_invoked(i)
            && self
                .account_keys
                .get(i)
                .is_some_and(|k| !ids::is_reserved(k))
    }

    /// The fee payer, key 0.
    pub fn fee_payer(&self) -> Option<&Pubkey> {
        self.account_keys.first()
    }

    /// The bytes that signers sign: the message's wire encoding.
    pub fn serialize(&self) -> Vec<u8> {
        crate::wire::encode_message(self)
    }
}

/// Which static keys a message's header makes writable by position,
/// read from the header once (for callers that walk every key): a signer
/// `i` is writable below `writable_signed`, a non-signer below
/// `writable_unsigned`. Before demotion (§1.1): invoked program ids and
/// reserved ids are left to the caller.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct WritableByPosition {
    signed: usize,
    writable_signed: usize,
    writable_unsigned: usize,
}

impl WritableByPosition {
    /// The bounds of `m`'s header.
    #[inline]
    pub fn of(m: &Message) -> Self {
        let signed = usize::from(m.header.num_required_signatures);
        Self {
            signed,
            writable_signed: signed
                .saturating_sub(usize::from(m.header.num_readonly_signed_accounts)),
            writable_unsigned: m
                .account_keys
                .len()
                .saturating_sub(usize::from(m.header.num_readonly_unsigned_accounts)),
        }
    }

    /// Whether static key `i` (one of the message's `account_keys`) is
    /// writable by its position.
    #[inline]
    pub fn contains(&self, i: usize) -> bool {
        if i < self.signed {
            i < self.writable_signed
        } else {
            i < self.writable_unsigned
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Pubkey;

    fn message(keys: u64, signed: u8, ro_signed: u8, ro_unsigned: u8) -> Message {
        Message {
            header: MessageHeader {
                num_required_signatures: signed,
                num_readonly_signed_accounts: ro_signed,
                num_readonly_unsigned_accounts: ro_unsigned,
            },
            account_keys: (0..keys).map(Pubkey::new_from_u64).collect(),
            ..Message::default()
        }
    }

    fn writable(m: &Message) -> Vec<bool> {
        (0..m.account_keys.len() + 1)
            .map(|i| m.is_writable_index(i))
            .collect()
    }

    /// Writable signers, read-only signers, writable non-signers, read-only
    /// non-signers, in that order; headers that overrun the keys leave
    /// nothing writable past them, and no index past the keys is.
    #[test]
    fn the_header_places_the_writable_keys() {
        assert_eq!(
            writable(&message(6, 3, 1, 2)),
            [true, true, false, true, false, false, false]
        );
        assert_eq!(writable(&message(3, 1, 0, 0)), [true, true, true, false]);
        assert_eq!(writable(&message(3, 2, 2, 1)), [false, false, false, false]);
        // More read-only non-signers than non-signers: none writable.
        assert_eq!(writable(&message(3, 1, 0, 9)), [true, false, false, false]);
        // More signers than keys.
        assert_eq!(writable(&message(2, 5, 4, 0)), [true, false, false]);
        assert_eq!(
            WritableByPosition::default(),
            WritableByPosition::of(&message(0, 0, 0, 0))
        );
    }
}
