//! Instructions of the Address Lookup Table program (a Core BPF program
//! every Baton runtime has at genesis, at [`ID`]), and the address of a
//! table: what a client needs to create, fill and retire a lookup table
//! for v0 messages.
//!
//! Each instruction's data is the bincode encoding of the program's
//! instruction enum: a little-endian `u32` variant index, then the fields.
//!
//! ```
//! use baton_sdk::address_lookup_table as alt;
//! use baton_sdk::Pubkey;
//!
//! let authority = Pubkey::new_from_u64(1);
//! let payer = Pubkey::new_from_u64(2);
//! let (create, table) = alt::create_lookup_table(authority, payer, 41);
//! assert_eq!(table, alt::lookup_table_address(&authority, 41).0);
//! assert_eq!(create.program_id, alt::ID);
//! let extend = alt::extend_lookup_table(table, authority, Some(payer), &[Pubkey::new_from_u64(7)]);
//! assert_eq!(extend.data.len(), 4 + 8 + 32);
//! ```

use baton_types::ids::SYSTEM_PROGRAM;
use baton_types::pda::find_program_address;
use baton_types::{AccountMeta, Instruction, Pubkey};

/// The program's id.
pub const ID: Pubkey = baton_types::ids::ADDRESS_LOOKUP_TABLE_PROGRAM;

/// Most addresses a table holds.
pub const MAX_ADDRESSES: usize = 256;
/// Bytes of a table's header before its addresses.
pub const META_SIZE: usize = 56;

const CREATE: u32 = 0;
const FREEZE: u32 = 1;
const EXTEND: u32 = 2;
const DEACTIVATE: u32 = 3;
const CLOSE: u32 = 4;

/// The address of the table `authority` creates from `recent_slot`, and its
/// bump: the program address of `[authority, recent_slot as 8
/// little-endian bytes]` under [`ID`].
pub fn lookup_table_address(authority: &Pubkey, recent_slot: u64) -> (Pubkey, u8) {
    find_program_address(&[authority.as_array(), &recent_slot.to_le_bytes()], &ID)
}

fn data(variant: u32, rest: &[u8]) -> Vec<u8> {
    let mut d = Vec::with_capacity(4 + rest.len());
    d.extend_from_slice(&variant.to_le_bytes());
    d.extend_from_slice(rest);
    d
}

/// Create a table for `authority`, funded by `payer` (a signer), at the
/// address derived from `recent_slot`, which must be listed in SlotHashes
/// (a slot before the current one, among the last 512). The authority
/// need not sign. Returns the instruction and the table's address.
pub fn create_lookup_table(
    authority: Pubkey,
    payer: Pubkey,
    recent_slot: u64,
) -> (Instruction, Pubkey) {
    let (table, bump) = lookup_table_address(&authority, recent_slot);
    let mut fields = recent_slot.to_le_bytes().to_vec();
    fields.push(bump);
    let ix = Instruction::new_with_bytes(
        ID,
        &data(CREATE, &fields),
        vec![
            AccountMeta::new(table, false),
            AccountMeta::new_readonly(authority, false),
            AccountMeta::new(payer, true),
            AccountMeta::new_readonly(SYSTEM_PROGRAM, false),
        ],
    );
    (ix, table)
}

/// Make `table` immutable (it must hold an address and not be
/// deactivated); `authority` signs.
pub fn freeze_lookup_table(table: Pubkey, authority: Pubkey) -> Instruction {
    Instruction::new_with_bytes(
        ID,
        &data(FREEZE, &[]),
        vec![
            AccountMeta::new(table, false),
            AccountMeta::new_readonly(authority, true),
        ],
    )
}

/// Append `addresses` to `table`; `authority` signs. `payer` (a signer)
/// tops the table up to rent exemption for its new size; without one the
/// table must already hold enough lamports.
pub fn extend_lookup_table(
    table: Pubkey,
    authority: Pubkey,
    payer: Option<Pubkey>,
    addresses: &[Pubkey],
) -> Instruction {
    let mut fields = Vec::with_capacity(8 + 32 * addresses.len());
    fields.extend_from_slice(&(addresses.len() as u64).to_le_bytes());
    for a in addresses {
        fields.extend_from_slice(a.as_array());
    }
    let mut accounts = vec![
        AccountMeta::new(table, false),
        AccountMeta::new_readonly(authority, true),
    ];
    if let Some(payer) = payer {
        accounts.push(AccountMeta::new(payer, true));
        accounts.push(AccountMeta::new_readonly(SYSTEM_PROGRAM, false));
    }
    Instruction::new_with_bytes(ID, &data(EXTEND, &fields), accounts)
}

/// Start `table`'s cool-down: it can be closed once its deactivation slot
/// has left SlotHashes (513 slots later); `authority` signs.
pub fn deactivate_lookup_table(table: Pubkey, authority: Pubkey) -> Instruction {
    Instruction::new_with_bytes(
        ID,
        &data(DEACTIVATE, &[]),
        vec![
            AccountMeta::new(table, false),
            AccountMeta::new_readonly(authority, true),
        ],
    )
}

/// Close a deactivated, cooled-down `table`, sending its lamports to
/// `recipient`; `authority` signs.
pub fn close_lookup_table(table: Pubkey, authority: Pubkey, recipient: Pubkey) -> Instruction {
    Instruction::new_with_bytes(
        ID,
        &data(CLOSE, &[]),
        vec![
            AccountMeta::new(table, false),
            AccountMeta::new_readonly(authority, true),
            AccountMeta::new(recipient, false),
        ],
    )
}

/// A table's header: what the program keeps beside the addresses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LookupTableMeta {
    /// The slot the table was deactivated in; `u64::MAX` while active.
    pub deactivation_slot: u64,
    /// The slot of its last extension: addresses added in that slot are
    /// usable from the next one.
    pub last_extended_slot: u64,
    /// How many addresses it held before its last extension.
    pub last_extended_slot_start_index: u8,
    /// Who may extend, freeze, deactivate and close it; `None` once frozen.
    pub authority: Option<Pubkey>,
}

impl LookupTableMeta {
    /// An active table of `authority` whose addresses were all added in
    /// `slot` or before (usable from the slot after).
    pub fn active(authority: Option<Pubkey>, slot: u64) -> Self {
        Self {
            deactivation_slot: u64::MAX,
            last_extended_slot: slot,
            last_extended_slot_start_index: 0,
            authority,
        }
    }

    /// The account data of a table with this header and `addresses`, as
    /// the program writes it: the bincode header (`u32` tag 1, the slots,
    /// the start index, the optional authority) padded to [`META_SIZE`]
    /// bytes, then the addresses. For setting a table directly, as a test
    /// harness or a benchmark does.
    pub fn encode(&self, addresses: &[Pubkey]) -> Vec<u8> {
        let mut data = Vec::with_capacity(META_SIZE + 32 * addresses.len());
        data.extend_from_slice(&1u32.to_le_bytes());
        data.extend_from_slice(&self.deactivation_slot.to_le_bytes());
        data.extend_from_slice(&self.last_extended_slot.to_le_bytes());
        data.push(self.last_extended_slot_start_index);
        match &self.authority {
            Some(a) => {
                data.push(1);
                data.extend_from_slice(a.as_array());
            }
            None => data.push(0),
        }
        data.resize(META_SIZE, 0);
        for a in addresses {
            data.extend_from_slice(a.as_array());
        }
        data
    }
}
