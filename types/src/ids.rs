//! Well-known program and sysvar ids.

use crate::Pubkey;

/// The system program.
pub const SYSTEM_PROGRAM: Pubkey = Pubkey::new_from_array([0; 32]);
/// The native loader, owner of builtin program accounts.
pub const NATIVE_LOADER: Pubkey =
    Pubkey::from_str_const("NativeLoader1111111111111111111111111111111");
/// The owner of sysvar accounts.
pub const SYSVAR_OWNER: Pubkey =
    Pubkey::from_str_const("Sysvar1111111111111111111111111111111111111");
/// The Clock sysvar.
pub const SYSVAR_CLOCK: Pubkey =
    Pubkey::from_str_const("SysvarC1ock11111111111111111111111111111111");
/// The Rent sysvar.
pub const SYSVAR_RENT: Pubkey =
    Pubkey::from_str_const("SysvarRent111111111111111111111111111111111");
/// The RecentBlockhashes sysvar.
pub const SYSVAR_RECENT_BLOCKHASHES: Pubkey =
    Pubkey::from_str_const("SysvarRecentB1ockHashes11111111111111111111");
/// The compute-budget program.
pub const COMPUTE_BUDGET_PROGRAM: Pubkey =
    Pubkey::from_str_const("ComputeBudget111111111111111111111111111111");
/// The SPL Token program.
pub const TOKEN_PROGRAM: Pubkey =
    Pubkey::from_str_const("TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA");

/// The SlotHashes sysvar.
pub const SYSVAR_SLOT_HASHES: Pubkey =
    Pubkey::from_str_const("SysvarS1otHashes111111111111111111111111111");
/// The address lookup table program (a Core BPF program since Agave 4.2).
pub const ADDRESS_LOOKUP_TABLE_PROGRAM: Pubkey =
    Pubkey::from_str_const("AddressLookupTab1e1111111111111111111111111");
/// The original BPF loader (loader v1, deprecated).
pub const BPF_LOADER_DEPRECATED: Pubkey =
    Pubkey::from_str_const("BPFLoader1111111111111111111111111111111111");
/// BPF loader v2.
pub const BPF_LOADER: Pubkey =
    Pubkey::from_str_const("BPFLoader2111111111111111111111111111111111");
/// The upgradeable BPF loader (loader v3).
pub const BPF_LOADER_UPGRADEABLE: Pubkey =
    Pubkey::from_str_const("BPFLoaderUpgradeab1e11111111111111111111111");
/// Loader v4.
pub const LOADER_V4: Pubkey = Pubkey::from_str_const("LoaderV411111111111111111111111111111111111");

/// Builtin program and sysvar ids that are never writable at the top level
/// (a subset of Agave's reserved account keys).
pub const RESERVED: &[Pubkey] = &[
    SYSTEM_PROGRAM,
    NATIVE_LOADER,
    SYSVAR_OWNER,
    SYSVAR_CLOCK,
    SYSVAR_RENT,
    SYSVAR_RECENT_BLOCKHASHES,
    SYSVAR_SLOT_HASHES,
    TOKEN_PROGRAM,
    COMPUTE_BUDGET_PROGRAM,
    ADDRESS_LOOKUP_TABLE_PROGRAM,
    BPF_LOADER_DEPRECATED,
    BPF_LOADER,
    BPF_LOADER_UPGRADEABLE,
    LOADER_V4,
];

/// For each first byte, the reserved ids starting with it, as a bit set of
/// indices into [`RESERVED`] (the sysvars share theirs).
const RESERVED_BY_FIRST_BYTE: [u16; 256] = {
    assert!(RESERVED.len() <= 16);
    let mut table = [0u16; 256];
    let mut i = 0;
    while i < RESERVED.len() {
        table[RESERVED[i].0[0] as usize] |= 1 << i;
        i += 1;
    }
    table
};

/// Whether `key` is a reserved id. Checked for every account of every
/// transaction (and again whenever one's writability is asked), so a key
/// is turned away by its first byte, and otherwise compared with only the
/// ids that start with it.
#[inline]
pub fn is_reserved(key: &Pubkey) -> bool {
    let mut candidates = RESERVED_BY_FIRST_BYTE[key.0[0] as usize];
    while candidates != 0 {
        let i = candidates.trailing_zeros() as usize;
        if RESERVED.get(i).is_some_and(|id| id.0 == key.0) {
            return true;
        }
        candidates &= candidates - 1;
    }
    false
}

/// The programdata key a loader-v3 program account names (its data starts
/// with the `UpgradeableLoaderState::Program` tag, 2, then the key);
/// `None` for any other account.
pub fn v3_programdata_key(account: &crate::Account) -> Option<Pubkey> {
    if account.owner != BPF_LOADER_UPGRADEABLE || account.data.get(..4)? != 2u32.to_le_bytes() {
        return None;
    }
    Some(Pubkey::new_from_array(
        account.data.get(4..36)?.try_into().ok()?,
    ))
}

/// Whether `key` is one of the BPF loaders (v1, v2, v3 upgradeable, v4),
/// which own the programs they run.
pub fn is_loader(key: &Pubkey) -> bool {
    [
        BPF_LOADER_UPGRADEABLE,
        BPF_LOADER,
        BPF_LOADER_DEPRECATED,
        LOADER_V4,
    ]
    .contains(key)
}

/// Whether `key` is a sysvar.
pub fn is_sysvar(key: &Pubkey) -> bool {
    *key == SYSVAR_CLOCK
        || *key == SYSVAR_RENT
        || *key == SYSVAR_RECENT_BLOCKHASHES
        || *key == SYSVAR_SLOT_HASHES
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reserved_ids_are_recognised_and_others_not() {
        for id in RESERVED {
            assert!(is_reserved(id), "{id}");
            let mut other = *id;
            other.0[31] ^= 1;
            assert!(!is_reserved(&other));
        }
        for n in 0..1000u64 {
            let k = Pubkey::new_from_u64(n);
            assert_eq!(is_reserved(&k), RESERVED.contains(&k));
        }
    }
}
