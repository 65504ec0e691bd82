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

use baton_accounts_db::AccountsRead;
use baton_executor::{SlotHashes, SysvarCache};
use baton_scheduler::validate_account_lock_lists;
use baton_types::{
    ids, Account, AccountRef, LoadedAddresses, Message, MessageAddressTableLookup, Pubkey,
    TransactionError,
};
use rustc_hash::FxHashMap;

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
    account: Option<AccountRef<'_>>,
    slot: u64,
    slot_hashes: &SlotHashes,
    loaded: &mut LoadedAddresses,
) -> Result<(), TransactionError> {
    let account = account
        .filter(|a| a.lamports > 0)
        .ok_or(TransactionError::AddressLookupTableNotFound)?;
    if *account.owner != ids::ADDRESS_LOOKUP_TABLE_PROGRAM {
        return Err(TransactionError::InvalidAddressLookupTableOwner);
    }
    let (meta, addresses) =
        decode(account.data).map_err(|BadData| TransactionError::InvalidAddressLookupTableData)?;
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

/// How resolution reads a table: `read(key, f)` lends the table account
/// at `key` (`None` when absent) to `f` (see [`TableReader::read`]).
pub(crate) type ReadTable<'r> = dyn FnMut(&Pubkey, &mut dyn FnMut(Option<AccountRef<'_>>)) + 'r;

/// The keys `message`'s lookups load, in order: every table's writable
/// entries, then every table's read-only entries. `read` lends each table
/// account as the batch sees it (a table is up to 8 KiB: only the
/// addresses used are copied); the first failing lookup gives the error.
pub(crate) fn resolve(
    message: &Message,
    read: &mut ReadTable<'_>,
    slot: u64,
    slot_hashes: &SlotHashes,
) -> Result<LoadedAddresses, TransactionError> {
    let mut loaded = LoadedAddresses::default();
    for lookup in &message.address_table_lookups {
        let mut outcome = Err(TransactionError::AddressLookupTableNotFound);
        read(&lookup.account_key, &mut |account| {
            outcome = resolve_one(lookup, account, slot, slot_hashes, &mut loaded);
        });
        outcome?;
    }
    Ok(loaded)
}

/// Where a batch reads its lookup tables. From a store that lends its
/// accounts ([`AccountsRead::lends`], the in-memory store), each lookup
/// reads the table in place and copies only the addresses it uses; from
/// one that copies on every read, each table is copied once per batch and
/// kept here. Copying every table of the batch up front (~390 tables of
/// 8 KiB per 10,000 v0 transfers of `uniform-transfers --variant v0-alt`)
/// made the batch's prologue, on the calling thread while the pool waits,
/// 130–150 ns per transaction; reading in place, 50–60 (the walk that
/// finds the tables), the lookups' reads moving to stage 1 on every thread
/// (their store slots prefetched a chunk ahead).
pub(crate) struct TableReader {
    /// The copies, by key (`None`: no such account); `None` from a store
    /// that lends.
    copies: Option<FxHashMap<Pubkey, Option<Account>>>,
}

impl TableReader {
    /// A reader of the tables `looked_up` in `store`, as it is now.
    pub(crate) fn new(store: &dyn AccountsRead, looked_up: &[Pubkey]) -> Self {
        let copies = (!store.lends()).then(|| {
            looked_up
                .iter()
                .map(|key| (*key, store.load(key)))
                .collect()
        });
        Self { copies }
    }

    /// Lend table `key` to `f`: the copy taken when the batch started (or
    /// since [`forget`](Self::forget)), else the store's.
    pub(crate) fn read(
        &self,
        store: &dyn AccountsRead,
        key: &Pubkey,
        f: &mut dyn FnMut(Option<AccountRef<'_>>),
    ) {
        match self.copies.as_ref().and_then(|c| c.get(key)) {
            Some(copy) => f(copy.as_ref().map(Account::view)),
            None => store.read_with(key, f),
        }
    }

    /// [`read`](Self::read), keeping a copy of a table read from a store
    /// that does not lend, for the next lookups.
    pub(crate) fn read_keeping(
        &mut self,
        store: &dyn AccountsRead,
        key: &Pubkey,
        f: &mut dyn FnMut(Option<AccountRef<'_>>),
    ) {
        match &mut self.copies {
            Some(copies) => {
                let copy = copies.entry(*key).or_insert_with(|| store.load(key));
                f(copy.as_ref().map(Account::view));
            }
            None => store.read_with(key, f),
        }
    }

    /// Whether lookups read the store in place (then worth prefetching).
    pub(crate) fn in_place(&self) -> bool {
        self.copies.is_none()
    }

    /// Read `key` from the store again at its next use: a transaction of
    /// the batch may have changed it.
    pub(crate) fn forget(&mut self, key: &Pubkey) {
        if let Some(copies) = &mut self.copies {
            copies.remove(key);
        }
    }
}

#[cfg(test)]
mod tests;

/// `message`'s lookups resolved (tables read through `table`, in the
/// sysvars' slot), then its account locks validated over every key,
/// static and loaded (`AccountLoadedTwice`, `TooManyAccountLocks`).
pub(crate) fn resolve_and_validate_locks(
    message: &Message,
    read: &mut ReadTable<'_>,
    sysvars: &SysvarCache,
    lock_limit: usize,
) -> Result<LoadedAddresses, TransactionError> {
    let loaded = resolve(message, read, sysvars.clock.slot, &sysvars.slot_hashes)?;
    validate_account_lock_lists(
        [&message.account_keys, &loaded.writable, &loaded.readonly],
        lock_limit,
    )?;
    Ok(loaded)
}
