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
/// The SPL Token program.
pub const TOKEN_PROGRAM: Pubkey =
    Pubkey::from_str_const("TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA");

/// Builtin program and sysvar ids that are never writable at the top level.
pub const RESERVED: &[Pubkey] = &[
    SYSTEM_PROGRAM,
    NATIVE_LOADER,
    SYSVAR_OWNER,
    SYSVAR_CLOCK,
    SYSVAR_RENT,
    SYSVAR_RECENT_BLOCKHASHES,
    TOKEN_PROGRAM,
];

/// Whether `key` is a reserved id.
pub fn is_reserved(key: &Pubkey) -> bool {
    RESERVED.contains(key)
}

/// Whether `key` is a sysvar.
pub fn is_sysvar(key: &Pubkey) -> bool {
    *key == SYSVAR_CLOCK || *key == SYSVAR_RENT || *key == SYSVAR_RECENT_BLOCKHASHES
}
