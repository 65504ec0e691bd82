//! The system program's instructions on the wire, and client-side builders.
//!
//! The encoding is Solana's (`solana_system_interface::instruction`, bincode
//! 1.x with fixed-width integers): a little-endian `u32` tag (the variant's
//! `DISCRIMINATOR`), then the fields in order — integers little-endian, keys
//! as 32 raw bytes, `String` seeds as a `u64` length and the UTF-8 bytes.
//! Decoding follows Agave's `limited_deserialize` (semantics.md §0): at
//! most [`MAX_INSTRUCTION_DATA_READ`] bytes are read — enforced, by
//! decoding through a reader, since bincode 1.x drops the limit when it
//! decodes from a slice — trailing bytes are ignored, and anything
//! malformed (unknown tag, short data, non-UTF-8 seed, a field that would
//! read past the limit) is `InvalidInstructionData`.
//!
//! Tag 13 (`CreateAccountAllowPrefund`, SIMD-0312) is feature-gated in Agave
//! and active in the target's feature set (semantics.md §0), so it decodes
//! and runs.
//!
//! The builders produce the same data and account metas as Solana's
//! builders of the same name.

use baton_types::{ids, AccountMeta, Instruction, InstructionError, Pubkey};
use bincode::Options;
use serde::{Deserialize, Serialize};

use super::nonce::NONCE_STATE_SIZE;
use super::{
    AdvanceNonceAccount, Allocate, AllocateWithSeed, Assign, AssignWithSeed, AuthorizeNonceAccount,
    CreateAccount, CreateAccountAllowPrefund, CreateAccountWithSeed, InitializeNonceAccount,
    Transfer, TransferWithSeed, UpgradeNonceAccount, WithdrawNonceAccount,
};

/// The most bytes of instruction data decoding reads (Solana's
/// `PACKET_DATA_SIZE`, the limit of Agave's `limited_deserialize`).
pub const MAX_INSTRUCTION_DATA_READ: u64 = 1232;

/// An instruction to the system program. Each variant wraps the struct of
/// its file (pinocchio's layout); the encoding equals that of Solana's enum,
/// whose variants carry the same fields in the same order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum SystemInstruction {
    /// See [`CreateAccount`].
    CreateAccount(CreateAccount),
    /// See [`Assign`].
    Assign(Assign),
    /// See [`Transfer`].
    Transfer(Transfer),
    /// See [`CreateAccountWithSeed`].
    CreateAccountWithSeed(CreateAccountWithSeed),
    /// See [`AdvanceNonceAccount`].
    AdvanceNonceAccount(AdvanceNonceAccount),
    /// See [`WithdrawNonceAccount`].
    WithdrawNonceAccount(WithdrawNonceAccount),
    /// See [`InitializeNonceAccount`].
    InitializeNonceAccount(InitializeNonceAccount),
    /// See [`AuthorizeNonceAccount`].
    AuthorizeNonceAccount(AuthorizeNonceAccount),
    /// See [`Allocate`].
    Allocate(Allocate),
    /// See [`AllocateWithSeed`].
    AllocateWithSeed(AllocateWithSeed),
    /// See [`AssignWithSeed`].
    AssignWithSeed(AssignWithSeed),
    /// See [`TransferWithSeed`].
    TransferWithSeed(TransferWithSeed),
    /// See [`UpgradeNonceAccount`].
    UpgradeNonceAccount(UpgradeNonceAccount),
    /// See [`CreateAccountAllowPrefund`].
    CreateAccountAllowPrefund(CreateAccountAllowPrefund),
}

fn wire_options() -> impl Options {
    bincode::DefaultOptions::new()
        .with_fixint_encoding()
        .with_little_endian()
        .allow_trailing_bytes()
}

impl SystemInstruction {
    /// Decode instruction data as Agave does; `InvalidInstructionData` when
    /// malformed.
    pub fn decode(data: &[u8]) -> Result<Self, InstructionError> {
        // Through a reader: bincode 1.x checks the limit on every read there,
        // but not when it borrows from a slice.
        wire_options()
            .with_limit(MAX_INSTRUCTION_DATA_READ)
            .deserialize_from(data)
            .map_err(|_| InstructionError::InvalidInstructionData)
    }

    /// The wire encoding.
    pub fn encode(&self) -> Vec<u8> {
        // Serializing these plain types into a Vec cannot fail.
        wire_options().serialize(self).unwrap_or_default()
    }

    /// The variant's tag on the wire.
    pub fn discriminator(&self) -> u32 {
        match self {
            Self::CreateAccount(_) => CreateAccount::DISCRIMINATOR,
            Self::Assign(_) => Assign::DISCRIMINATOR,
            Self::Transfer(_) => Transfer::DISCRIMINATOR,
            Self::CreateAccountWithSeed(_) => CreateAccountWithSeed::DISCRIMINATOR,
            Self::AdvanceNonceAccount(_) => AdvanceNonceAccount::DISCRIMINATOR,
            Self::WithdrawNonceAccount(_) => WithdrawNonceAccount::DISCRIMINATOR,
            Self::InitializeNonceAccount(_) => InitializeNonceAccount::DISCRIMINATOR,
            Self::AuthorizeNonceAccount(_) => AuthorizeNonceAccount::DISCRIMINATOR,
            Self::Allocate(_) => Allocate::DISCRIMINATOR,
            Self::AllocateWithSeed(_) => AllocateWithSeed::DISCRIMINATOR,
            Self::AssignWithSeed(_) => AssignWithSeed::DISCRIMINATOR,
            Self::TransferWithSeed(_) => TransferWithSeed::DISCRIMINATOR,
            Self::UpgradeNonceAccount(_) => UpgradeNonceAccount::DISCRIMINATOR,
            Self::CreateAccountAllowPrefund(_) => CreateAccountAllowPrefund::DISCRIMINATOR,
        }
    }

    /// An instruction to the system program with this data and `accounts`.
    pub fn into_instruction(self, accounts: Vec<AccountMeta>) -> Instruction {
        Instruction {
            program_id: ids::SYSTEM_PROGRAM,
            accounts,
            data: self.encode(),
        }
    }
}

macro_rules! impl_from_variant {
    ($($ty:ident),*) => {$(
        impl From<$ty> for SystemInstruction {
            fn from(ix: $ty) -> Self {
                Self::$ty(ix)
            }
        }
    )*};
}

impl_from_variant!(
    CreateAccount,
    Assign,
    Transfer,
    CreateAccountWithSeed,
    AdvanceNonceAccount,
    WithdrawNonceAccount,
    InitializeNonceAccount,
    AuthorizeNonceAccount,
    Allocate,
    AllocateWithSeed,
    AssignWithSeed,
    TransferWithSeed,
    UpgradeNonceAccount,
    CreateAccountAllowPrefund
);

fn build(ix: impl Into<SystemInstruction>, accounts: Vec<AccountMeta>) -> Instruction {
    ix.into().into_instruction(accounts)
}

/// `CreateAccount`: `from` funds `to` with `lamports`, `space` bytes, owned
/// by `owner`. Both sign.
pub fn create_account(
    from: &Pubkey,
    to: &Pubkey,
    lamports: u64,
    space: u64,
    owner: &Pubkey,
) -> Instruction {
    build(
        CreateAccount {
            lamports,
            space,
            owner: *owner,
        },
        vec![AccountMeta::new(*from, true), AccountMeta::new(*to, true)],
    )
}

/// `CreateAccountAllowPrefund`: allocate `space` bytes at `to` and assign
/// it to `owner`, whatever lamports it holds; with `payer_and_lamports`,
/// the payer (a second account) also transfers that many lamports to it.
/// Both sign.
pub fn create_account_allow_prefund(
    to: &Pubkey,
    payer_and_lamports: Option<(&Pubkey, u64)>,
    space: u64,
    owner: &Pubkey,
) -> Instruction {
    let mut accounts = vec![AccountMeta::new(*to, true)];
    let lamports = match payer_and_lamports {
        Some((payer, lamports)) => {
            accounts.push(AccountMeta::new(*payer, true));
            lamports
        }
        None => 0,
    };
    build(
        CreateAccountAllowPrefund {
            lamports,
            space,
            owner: *owner,
        },
        accounts,
    )
}

/// `CreateAccountWithSeed`: `to` must equal `create_with_seed(base, seed,
/// owner)`; `base` signs (as a third account unless it is `from`).
pub fn create_account_with_seed(
    from: &Pubkey,
    to: &Pubkey,
    base: &Pubkey,
    seed: &str,
    lamports: u64,
    space: u64,
    owner: &Pubkey,
) -> Instruction {
    let mut accounts = vec![AccountMeta::new(*from, true), AccountMeta::new(*to, false)];
    if base != from {
        accounts.push(AccountMeta::new_readonly(*base, true));
    }
    build(
        CreateAccountWithSeed {
            base: *base,
            seed: seed.to_owned(),
            lamports,
            space,
            owner: *owner,
        },
        accounts,
    )
}

/// `Assign`: hand `pubkey` to `owner`; `pubkey` signs.
pub fn assign(pubkey: &Pubkey, owner: &Pubkey) -> Instruction {
    build(
        Assign { owner: *owner },
        vec![AccountMeta::new(*pubkey, true)],
    )
}

/// `AssignWithSeed`: hand `address` (= `create_with_seed(base, seed,
/// owner)`) to `owner`; `base` signs.
pub fn assign_with_seed(
    address: &Pubkey,
    base: &Pubkey,
    seed: &str,
    owner: &Pubkey,
) -> Instruction {
    build(
        AssignWithSeed {
            base: *base,
            seed: seed.to_owned(),
            owner: *owner,
        },
        vec![
            AccountMeta::new(*address, false),
            AccountMeta::new_readonly(*base, true),
        ],
    )
}

/// `Transfer`: `from` (signing) sends `lamports` to `to`.
pub fn transfer(from: &Pubkey, to: &Pubkey, lamports: u64) -> Instruction {
    build(
        Transfer { lamports },
        vec![AccountMeta::new(*from, true), AccountMeta::new(*to, false)],
    )
}

/// `TransferWithSeed`: `from` (= `create_with_seed(from_base, from_seed,
/// from_owner)`) sends `lamports` to `to`; `from_base` signs.
pub fn transfer_with_seed(
    from: &Pubkey,
    from_base: &Pubkey,
    from_seed: &str,
    from_owner: &Pubkey,
    to: &Pubkey,
    lamports: u64,
) -> Instruction {
    build(
        TransferWithSeed {
            lamports,
            from_seed: from_seed.to_owned(),
            from_owner: *from_owner,
        },
        vec![
            AccountMeta::new(*from, false),
            AccountMeta::new_readonly(*from_base, true),
            AccountMeta::new(*to, false),
        ],
    )
}

/// `Allocate`: give `pubkey` (signing) `space` bytes.
pub fn allocate(pubkey: &Pubkey, space: u64) -> Instruction {
    build(Allocate { space }, vec![AccountMeta::new(*pubkey, true)])
}

/// `AllocateWithSeed`: give `address` (= `create_with_seed(base, seed,
/// owner)`) `space` bytes and assign it to `owner`; `base` signs.
pub fn allocate_with_seed(
    address: &Pubkey,
    base: &Pubkey,
    seed: &str,
    space: u64,
    owner: &Pubkey,
) -> Instruction {
    build(
        AllocateWithSeed {
            base: *base,
            seed: seed.to_owned(),
            space,
            owner: *owner,
        },
        vec![
            AccountMeta::new(*address, false),
            AccountMeta::new_readonly(*base, true),
        ],
    )
}

/// One `Transfer` from `from` per `(to, lamports)`.
pub fn transfer_many(from: &Pubkey, to_lamports: &[(Pubkey, u64)]) -> Vec<Instruction> {
    to_lamports
        .iter()
        .map(|(to, lamports)| transfer(from, to, *lamports))
        .collect()
}

/// `InitializeNonceAccount` for `nonce` with `authority` (no signer needed).
pub fn initialize_nonce_account(nonce: &Pubkey, authority: &Pubkey) -> Instruction {
    build(
        InitializeNonceAccount {
            authority: *authority,
        },
        vec![
            AccountMeta::new(*nonce, false),
            AccountMeta::new_readonly(ids::SYSVAR_RECENT_BLOCKHASHES, false),
            AccountMeta::new_readonly(ids::SYSVAR_RENT, false),
        ],
    )
}

/// Create an 80-byte system-owned nonce account funded with `lamports` and
/// initialize it with `authority`: `CreateAccount` then
/// `InitializeNonceAccount`, as Solana's `create_nonce_account`.
pub fn create_nonce_account(
    from: &Pubkey,
    nonce: &Pubkey,
    authority: &Pubkey,
    lamports: u64,
) -> Vec<Instruction> {
    vec![
        create_account(
            from,
            nonce,
            lamports,
            NONCE_STATE_SIZE as u64,
            &ids::SYSTEM_PROGRAM,
        ),
        initialize_nonce_account(nonce, authority),
    ]
}

/// As [`create_nonce_account`], at the address `create_with_seed(base,
/// seed, system program)`.
pub fn create_nonce_account_with_seed(
    from: &Pubkey,
    nonce: &Pubkey,
    base: &Pubkey,
    seed: &str,
    authority: &Pubkey,
    lamports: u64,
) -> Vec<Instruction> {
    vec![
        create_account_with_seed(
            from,
            nonce,
            base,
            seed,
            lamports,
            NONCE_STATE_SIZE as u64,
            &ids::SYSTEM_PROGRAM,
        ),
        initialize_nonce_account(nonce, authority),
    ]
}

/// `AdvanceNonceAccount` on `nonce`; `authorized` signs.
pub fn advance_nonce_account(nonce: &Pubkey, authorized: &Pubkey) -> Instruction {
    build(
        AdvanceNonceAccount,
        vec![
            AccountMeta::new(*nonce, false),
            AccountMeta::new_readonly(ids::SYSVAR_RECENT_BLOCKHASHES, false),
            AccountMeta::new_readonly(*authorized, true),
        ],
    )
}

/// `WithdrawNonceAccount`: `lamports` from `nonce` to `to`; `authorized` signs.
pub fn withdraw_nonce_account(
    nonce: &Pubkey,
    authorized: &Pubkey,
    to: &Pubkey,
    lamports: u64,
) -> Instruction {
    build(
        WithdrawNonceAccount { lamports },
        vec![
            AccountMeta::new(*nonce, false),
            AccountMeta::new(*to, false),
            AccountMeta::new_readonly(ids::SYSVAR_RECENT_BLOCKHASHES, false),
            AccountMeta::new_readonly(ids::SYSVAR_RENT, false),
            AccountMeta::new_readonly(*authorized, true),
        ],
    )
}

/// `AuthorizeNonceAccount`: make `new_authority` the authority of `nonce`;
/// the current authority `authorized` signs.
pub fn authorize_nonce_account(
    nonce: &Pubkey,
    authorized: &Pubkey,
    new_authority: &Pubkey,
) -> Instruction {
    build(
        AuthorizeNonceAccount {
            authority: *new_authority,
        },
        vec![
            AccountMeta::new(*nonce, false),
            AccountMeta::new_readonly(*authorized, true),
        ],
    )
}

/// `UpgradeNonceAccount` on `nonce`.
pub fn upgrade_nonce_account(nonce: &Pubkey) -> Instruction {
    build(UpgradeNonceAccount, vec![AccountMeta::new(*nonce, false)])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn discriminators_match_serde_tags() {
        let k = Pubkey([1; 32]);
        let all: Vec<SystemInstruction> = vec![
            CreateAccount {
                lamports: 1,
                space: 2,
                owner: k,
            }
            .into(),
            Assign { owner: k }.into(),
            Transfer { lamports: 3 }.into(),
            CreateAccountWithSeed {
                base: k,
                seed: "s".into(),
                lamports: 1,
                space: 2,
                owner: k,
            }
            .into(),
            AdvanceNonceAccount.into(),
            WithdrawNonceAccount { lamports: 4 }.into(),
            InitializeNonceAccount { authority: k }.into(),
            AuthorizeNonceAccount { authority: k }.into(),
            Allocate { space: 5 }.into(),
            AllocateWithSeed {
                base: k,
                seed: "t".into(),
                space: 6,
                owner: k,
            }
            .into(),
            AssignWithSeed {
                base: k,
                seed: "u".into(),
                owner: k,
            }
            .into(),
            TransferWithSeed {
                lamports: 7,
                from_seed: "v".into(),
                from_owner: k,
            }
            .into(),
            UpgradeNonceAccount.into(),
        ];
        for (i, ix) in all.iter().enumerate() {
            let bytes = ix.encode();
            assert_eq!(ix.discriminator(), i as u32);
            assert_eq!(bytes[..4], (i as u32).to_le_bytes());
            assert_eq!(SystemInstruction::decode(&bytes).as_ref(), Ok(ix));
        }
    }

    #[test]
    fn transfer_layout() {
        let ix = transfer(&Pubkey([1; 32]), &Pubkey([2; 32]), 0x0102_0304_0506_0708);
        assert_eq!(
            ix.data,
            vec![2, 0, 0, 0, 8, 7, 6, 5, 4, 3, 2, 1],
            "u32 tag then u64, little-endian"
        );
    }

    #[test]
    fn malformed_data_is_invalid_instruction_data() {
        let bad: [&[u8]; 5] = [
            &[],
            &[2, 0, 0],
            &[2, 0, 0, 0, 1],
            &[13, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
            &[0xff, 0xff, 0xff, 0xff],
        ];
        for data in bad {
            assert_eq!(
                SystemInstruction::decode(data),
                Err(InstructionError::InvalidInstructionData),
                "{data:?}"
            );
        }
        // A seed that is not UTF-8.
        let mut data = 10u32.to_le_bytes().to_vec();
        data.extend_from_slice(&[0; 32]);
        data.extend_from_slice(&1u64.to_le_bytes());
        data.push(0xff);
        data.extend_from_slice(&[0; 32]);
        assert_eq!(
            SystemInstruction::decode(&data),
            Err(InstructionError::InvalidInstructionData)
        );
        // A seed length beyond the read limit.
        let mut data = 10u32.to_le_bytes().to_vec();
        data.extend_from_slice(&[0; 32]);
        data.extend_from_slice(&u64::MAX.to_le_bytes());
        assert_eq!(
            SystemInstruction::decode(&data),
            Err(InstructionError::InvalidInstructionData)
        );
    }

    #[test]
    fn trailing_bytes_are_ignored() {
        let mut data = transfer(&Pubkey([1; 32]), &Pubkey([2; 32]), 9).data;
        data.extend_from_slice(&[0xAA; 7]);
        assert_eq!(
            SystemInstruction::decode(&data),
            Ok(SystemInstruction::Transfer(Transfer { lamports: 9 }))
        );
    }
}
