//! Address lookup tables: resolving a v0 message's lookups against the
//! table accounts, at admission, as Agave's `load_addresses` does
//! (docs/semantics.md §1.3).
//!
//! A table account is owned by the address lookup table program; its data
//! is a 56-byte header (`ProgramState::LookupTable(LookupTableMeta)` in
//! bincode: a `u32` tag 1, the deactivation slot, the slot of the last
//! extension and the table length before it, an optional authority and
//! two bytes of padding) followed by the addresses, 32 bytes each.
//!
//! A table is active until deactivated, and stays usable while its
//! deactivation slot is the current one or still listed in SlotHashes
//! (512 slots). Addresses appended in the current slot are not usable
//! until the next one.

use baton_executor::{SlotHashes, SysvarCache};
use baton_scheduler::validate_account_locks;
use baton_types::{
    ids, Account, LoadedAddresses, LoadedMessage, Message, MessageAddressTableLookup, Pubkey,
    TransactionError,
};

/// Bytes of a table's header before its addresses.
pub const LOOKUP_TABLE_META_SIZE: usize = 56;

/// The part of a table's header that resolution reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct TableMeta {
    deactivation_slot: u64,
    last_extended_slot: u64,
    last_extended_slot_start_index: u8,
}

/// Why a table's data does not decode: Agave's `InvalidAccountData`,
/// reported as [`TransactionError::InvalidAddressLookupTableData`].
struct BadData;

/// The header and addresses of a table account's data, read as Agave's
/// `AddressLookupTable::deserialize` does: bincode's reading of the header
/// (which stops after the authority's tag when there is none), then the
/// addresses from byte 56 on, a whole number of keys.
fn decode(data: &[u8]) -> Result<(TableMeta, &[u8]), BadData> {
    let u64_at = |at: usize| -> Result<u64, BadData> {
        let bytes = data.get(at..at + 8).ok_or(BadData)?;
        Ok(u64::from_le_bytes(bytes.try_into().map_err(|_| BadData)?))
    };
    let tag = data.get(..4).ok_or(BadData)?;
    // 0 is an uninitialized table, anything past 1 no variant at all.
    if tag != [1, 0, 0, 0] {
        return Err(BadData);
    }
    let meta = TableMeta {
        deactivation_slot: u64_at(4)?,
        last_extended_slot: u64_at(12)?,
        last_extended_slot_start_index: *data.get(20).ok_or(BadData)?,
    };
    match data.get(21) {
        Some(0) => {}
        Some(1) if data.len() >= 54 => {}
        _ => return Err(BadData),
    }
    let addresses = data.get(LOOKUP_TABLE_META_SIZE..).ok_or(BadData)?;
    if addresses.len() % 32 != 0 {
        return Err(BadData);
    }
    Ok((meta, addresses))
}

impl TableMeta {
    /// How many of the table's addresses a lookup in `slot` may use, or
    /// `None` once the table is deactivated.
    fn active_len(&self, slot: u64, slot_hashes: &SlotHashes, len: usize) -> Option<usize> {
        let active = self.deactivation_slot == u64::MAX
            || self.deactivation_slot == slot
            || slot_hashes.position(self.deactivation_slot).is_some();
        if !active {
            return None;
        }
        Some(if slot > self.last_extended_slot {
            len
        } else {
            usize::from(self.last_extended_slot_start_index)
        })
    }
}

/// The keys `lookup` loads from its table, `account` (as the store holds
/// it, if at all), in `slot`.
fn resolve_one(
    lookup: &MessageAddressTableLookup,
    account: Option<&Account>,
    slot: u64,
    slot_hashes: &SlotHashes,
    loaded: &mut LoadedAddresses,
) -> Result<(), TransactionError> {
    let account = account
        .filter(|a| a.lamports > 0)
        .ok_or(TransactionError::AddressLookupTableNotFound)?;
    if account.owner != ids::ADDRESS_LOOKUP_TABLE_PROGRAM {
        return Err(TransactionError::InvalidAddressLookupTableOwner);
    }
    let (meta, addresses) =
        decode(&account.data).map_err(|BadData| TransactionError::InvalidAddressLookupTableData)?;
    let active = meta
        .active_len(slot, slot_hashes, addresses.len() / 32)
        .ok_or(TransactionError::AddressLookupTableNotFound)?;
    let key = |index: &u8| -> Result<Pubkey, TransactionError> {
        let i = usize::from(*index);
        if i >= active {
            return Err(TransactionError::InvalidAddressLookupTableIndex);
        }
        addresses
            .get(i * 32..i * 32 + 32)
            .and_then(|b| b.try_into().ok())
            .map(Pubkey)
            .ok_or(TransactionError::InvalidAddressLookupTableIndex)
    };
    for index in &lookup.writable_indexes {
        loaded.writable.push(key(index)?);
    }
    for index in &lookup.readonly_indexes {
        loaded.readonly.push(key(index)?);
    }
    Ok(())
}

/// The keys `message`'s lookups load, in order: every table's writable
/// entries, then every table's read-only entries. `table` gives each table
/// account as the store holds it (borrowed: a table is up to 8 KiB); the
/// first failing lookup gives the error.
pub(crate) fn resolve<'a>(
    message: &Message,
    table: impl Fn(&Pubkey) -> Option<&'a Account>,
    slot: u64,
    slot_hashes: &SlotHashes,
) -> Result<LoadedAddresses, TransactionError> {
    let mut loaded = LoadedAddresses::default();
    for lookup in &message.address_table_lookups {
        let account = table(&lookup.account_key);
        resolve_one(lookup, account, slot, slot_hashes, &mut loaded)?;
    }
    Ok(loaded)
}

#[cfg(test)]
mod tests;

/// `message`'s lookups resolved (tables read through `table`, in the
/// sysvars' slot), then its account locks validated over every key,
/// static and loaded (`AccountLoadedTwice`, `TooManyAccountLocks`).
pub(crate) fn resolve_and_validate_locks<'a>(
    message: &Message,
    table: impl Fn(&Pubkey) -> Option<&'a Account>,
    sysvars: &SysvarCache,
    lock_limit: usize,
) -> Result<LoadedAddresses, TransactionError> {
    let loaded = resolve(message, table, sysvars.clock.slot, &sysvars.slot_hashes)?;
    let keys: Vec<Pubkey> = LoadedMessage::new(message, &loaded)
        .keys()
        .copied()
        .collect();
    validate_account_locks(&keys, lock_limit)?;
    Ok(loaded)
}
