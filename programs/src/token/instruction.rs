//! The token program's instructions on the wire, and client-side builders.
//!
//! The encoding is SPL Token's `TokenInstruction::pack`: a 1-byte tag, then
//! the arguments — amounts u64 little-endian, keys as 32 bytes, an optional
//! key as a 1-byte tag (0 none, 1 some) plus the key when some. Trailing
//! bytes are ignored on decoding, as in SPL Token. The account lists of the
//! builders are SPL Token's, for a single-signer authority.

use baton_types::{ids, AccountMeta, Instruction, InstructionError, Pubkey};

use super::{
    Approve, ApproveChecked, AuthorityType, Burn, BurnChecked, CloseAccount, FreezeAccount,
    InitializeAccount, InitializeAccount2, InitializeAccount3, InitializeMint, InitializeMint2,
    MintTo, MintToChecked, Revoke, SetAuthority, ThawAccount, TokenError, Transfer,
    TransferChecked,
};

/// Tags of SPL Token instructions that Baton does not implement: multisig
/// setup (2, 19), `SyncNative` (17), `GetAccountDataSize` (21),
/// `InitializeImmutableOwner` (22), the UI-amount conversions (23, 24),
/// `WithdrawExcessLamports` (38), `UnwrapLamports` (45) and `Batch` (255).
/// They fail with `InvalidInstructionData`, whatever follows the tag.
pub const UNSUPPORTED_TAGS: &[u8] = &[2, 17, 19, 21, 22, 23, 24, 38, 45, 255];

/// A decoded token instruction, one variant per implemented instruction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenInstruction {
    /// See [`InitializeMint`].
    InitializeMint(InitializeMint),
    /// See [`InitializeAccount`].
    InitializeAccount(InitializeAccount),
    /// See [`Transfer`].
    Transfer(Transfer),
    /// See [`Approve`].
    Approve(Approve),
    /// See [`Revoke`].
    Revoke(Revoke),
    /// See [`SetAuthority`].
    SetAuthority(SetAuthority),
    /// See [`MintTo`].
    MintTo(MintTo),
    /// See [`Burn`].
    Burn(Burn),
    /// See [`CloseAccount`].
    CloseAccount(CloseAccount),
    /// See [`FreezeAccount`].
    FreezeAccount(FreezeAccount),
    /// See [`ThawAccount`].
    ThawAccount(ThawAccount),
    /// See [`TransferChecked`].
    TransferChecked(TransferChecked),
    /// See [`ApproveChecked`].
    ApproveChecked(ApproveChecked),
    /// See [`MintToChecked`].
    MintToChecked(MintToChecked),
    /// See [`BurnChecked`].
    BurnChecked(BurnChecked),
    /// See [`InitializeAccount2`].
    InitializeAccount2(InitializeAccount2),
    /// See [`InitializeAccount3`].
    InitializeAccount3(InitializeAccount3),
    /// See [`InitializeMint2`].
    InitializeMint2(InitializeMint2),
}

impl TokenInstruction {
    /// Decode instruction data. Empty data, an unknown tag or arguments
    /// that are too short → `Custom(InvalidInstruction)`, as SPL Token; an
    /// SPL tag that Baton does not implement ([`UNSUPPORTED_TAGS`]) →
    /// `InvalidInstructionData`.
    pub fn unpack(data: &[u8]) -> Result<Self, InstructionError> {
        let (&tag, rest) = data.split_first().ok_or(TokenError::InvalidInstruction)?;
        Ok(match tag {
            InitializeMint::DISCRIMINATOR => Self::InitializeMint(InitializeMint::unpack(rest)?),
            InitializeAccount::DISCRIMINATOR => Self::InitializeAccount(InitializeAccount),
            Transfer::DISCRIMINATOR => Self::Transfer(Transfer::unpack(rest)?),
            Approve::DISCRIMINATOR => Self::Approve(Approve::unpack(rest)?),
            Revoke::DISCRIMINATOR => Self::Revoke(Revoke),
            SetAuthority::DISCRIMINATOR => Self::SetAuthority(SetAuthority::unpack(rest)?),
            MintTo::DISCRIMINATOR => Self::MintTo(MintTo::unpack(rest)?),
            Burn::DISCRIMINATOR => Self::Burn(Burn::unpack(rest)?),
            CloseAccount::DISCRIMINATOR => Self::CloseAccount(CloseAccount),
            FreezeAccount::DISCRIMINATOR => Self::FreezeAccount(FreezeAccount),
            ThawAccount::DISCRIMINATOR => Self::ThawAccount(ThawAccount),
            TransferChecked::DISCRIMINATOR => Self::TransferChecked(TransferChecked::unpack(rest)?),
            ApproveChecked::DISCRIMINATOR => Self::ApproveChecked(ApproveChecked::unpack(rest)?),
            MintToChecked::DISCRIMINATOR => Self::MintToChecked(MintToChecked::unpack(rest)?),
            BurnChecked::DISCRIMINATOR => Self::BurnChecked(BurnChecked::unpack(rest)?),
            InitializeAccount2::DISCRIMINATOR => {
                Self::InitializeAccount2(InitializeAccount2::unpack(rest)?)
            }
            InitializeAccount3::DISCRIMINATOR => {
                Self::InitializeAccount3(InitializeAccount3::unpack(rest)?)
            }
            InitializeMint2::DISCRIMINATOR => Self::InitializeMint2(InitializeMint2::unpack(rest)?),
            t if UNSUPPORTED_TAGS.contains(&t) => {
                return Err(InstructionError::InvalidInstructionData)
            }
            _ => return Err(TokenError::InvalidInstruction.into()),
        })
    }

    /// The instruction data.
    pub fn pack(&self) -> Vec<u8> {
        match self {
            Self::InitializeMint(i) => i.pack(),
            Self::InitializeAccount(i) => i.pack(),
            Self::Transfer(i) => i.pack(),
            Self::Approve(i) => i.pack(),
            Self::Revoke(i) => i.pack(),
            Self::SetAuthority(i) => i.pack(),
            Self::MintTo(i) => i.pack(),
            Self::Burn(i) => i.pack(),
            Self::CloseAccount(i) => i.pack(),
            Self::FreezeAccount(i) => i.pack(),
            Self::ThawAccount(i) => i.pack(),
            Self::TransferChecked(i) => i.pack(),
            Self::ApproveChecked(i) => i.pack(),
            Self::MintToChecked(i) => i.pack(),
            Self::BurnChecked(i) => i.pack(),
            Self::InitializeAccount2(i) => i.pack(),
            Self::InitializeAccount3(i) => i.pack(),
            Self::InitializeMint2(i) => i.pack(),
        }
    }

    /// Compute units the instruction is charged (see [`super`]).
    pub fn units(&self) -> u64 {
        match self {
            Self::InitializeMint(_) => InitializeMint::UNITS,
            Self::InitializeAccount(_) => InitializeAccount::UNITS,
            Self::Transfer(_) => Transfer::UNITS,
            Self::Approve(_) => Approve::UNITS,
            Self::Revoke(_) => Revoke::UNITS,
            Self::SetAuthority(_) => SetAuthority::UNITS,
            Self::MintTo(_) => MintTo::UNITS,
            Self::Burn(_) => Burn::UNITS,
            Self::CloseAccount(_) => CloseAccount::UNITS,
            Self::FreezeAccount(_) => FreezeAccount::UNITS,
            Self::ThawAccount(_) => ThawAccount::UNITS,
            Self::TransferChecked(_) => TransferChecked::UNITS,
            Self::ApproveChecked(_) => ApproveChecked::UNITS,
            Self::MintToChecked(_) => MintToChecked::UNITS,
            Self::BurnChecked(_) => BurnChecked::UNITS,
            Self::InitializeAccount2(_) => InitializeAccount2::UNITS,
            Self::InitializeAccount3(_) => InitializeAccount3::UNITS,
            Self::InitializeMint2(_) => InitializeMint2::UNITS,
        }
    }

    /// The instruction's name, as SPL Token logs it (`Instruction: <name>`).
    pub fn name(&self) -> &'static str {
        match self {
            Self::InitializeMint(_) => "InitializeMint",
            Self::InitializeAccount(_) => "InitializeAccount",
            Self::Transfer(_) => "Transfer",
            Self::Approve(_) => "Approve",
            Self::Revoke(_) => "Revoke",
            Self::SetAuthority(_) => "SetAuthority",
            Self::MintTo(_) => "MintTo",
            Self::Burn(_) => "Burn",
            Self::CloseAccount(_) => "CloseAccount",
            Self::FreezeAccount(_) => "FreezeAccount",
            Self::ThawAccount(_) => "ThawAccount",
            Self::TransferChecked(_) => "TransferChecked",
            Self::ApproveChecked(_) => "ApproveChecked",
            Self::MintToChecked(_) => "MintToChecked",
            Self::BurnChecked(_) => "BurnChecked",
            Self::InitializeAccount2(_) => "InitializeAccount2",
            Self::InitializeAccount3(_) => "InitializeAccount3",
            Self::InitializeMint2(_) => "InitializeMint2",
        }
    }
}

fn token_instruction(data: Vec<u8>, accounts: Vec<AccountMeta>) -> Instruction {
    Instruction {
        program_id: ids::TOKEN_PROGRAM,
        accounts,
        data,
    }
}

/// `InitializeMint`: the mint (writable) and the Rent sysvar.
pub fn initialize_mint(
    mint: &Pubkey,
    mint_authority: &Pubkey,
    freeze_authority: Option<&Pubkey>,
    decimals: u8,
) -> Instruction {
    let data = InitializeMint {
        decimals,
        mint_authority: *mint_authority,
        freeze_authority: freeze_authority.copied(),
    }
    .pack();
    token_instruction(
        data,
        vec![
            AccountMeta::new(*mint, false),
            AccountMeta::new_readonly(ids::SYSVAR_RENT, false),
        ],
    )
}

/// `InitializeMint2`: the mint (writable).
pub fn initialize_mint2(
    mint: &Pubkey,
    mint_authority: &Pubkey,
    freeze_authority: Option<&Pubkey>,
    decimals: u8,
) -> Instruction {
    let data = InitializeMint2 {
        decimals,
        mint_authority: *mint_authority,
        freeze_authority: freeze_authority.copied(),
    }
    .pack();
    token_instruction(data, vec![AccountMeta::new(*mint, false)])
}

/// `InitializeAccount`: the account (writable), the mint, the owner and the
/// Rent sysvar.
pub fn initialize_account(account: &Pubkey, mint: &Pubkey, owner: &Pubkey) -> Instruction {
    token_instruction(
        InitializeAccount.pack(),
        vec![
            AccountMeta::new(*account, false),
            AccountMeta::new_readonly(*mint, false),
            AccountMeta::new_readonly(*owner, false),
            AccountMeta::new_readonly(ids::SYSVAR_RENT, false),
        ],
    )
}

/// `InitializeAccount2`: the account (writable), the mint and the Rent
/// sysvar; the owner in the data.
pub fn initialize_account2(account: &Pubkey, mint: &Pubkey, owner: &Pubkey) -> Instruction {
    token_instruction(
        InitializeAccount2 { owner: *owner }.pack(),
        vec![
            AccountMeta::new(*account, false),
            AccountMeta::new_readonly(*mint, false),
            AccountMeta::new_readonly(ids::SYSVAR_RENT, false),
        ],
    )
}

/// `InitializeAccount3`: the account (writable) and the mint; the owner in
/// the data.
pub fn initialize_account3(account: &Pubkey, mint: &Pubkey, owner: &Pubkey) -> Instruction {
    token_instruction(
        InitializeAccount3 { owner: *owner }.pack(),
        vec![
            AccountMeta::new(*account, false),
            AccountMeta::new_readonly(*mint, false),
        ],
    )
}

/// `Transfer`: source and destination (writable), the authority (signer).
pub fn transfer(
    source: &Pubkey,
    destination: &Pubkey,
    authority: &Pubkey,
    amount: u64,
) -> Instruction {
    token_instruction(
        Transfer { amount }.pack(),
        vec![
            AccountMeta::new(*source, false),
            AccountMeta::new(*destination, false),
            AccountMeta::new_readonly(*authority, true),
        ],
    )
}

/// `TransferChecked`: source (writable), mint, destination (writable), the
/// authority (signer).
pub fn transfer_checked(
    source: &Pubkey,
    mint: &Pubkey,
    destination: &Pubkey,
    authority: &Pubkey,
    amount: u64,
    decimals: u8,
) -> Instruction {
    token_instruction(
        TransferChecked { amount, decimals }.pack(),
        vec![
            AccountMeta::new(*source, false),
            AccountMeta::new_readonly(*mint, false),
            AccountMeta::new(*destination, false),
            AccountMeta::new_readonly(*authority, true),
        ],
    )
}

/// `Approve`: source (writable), the delegate, the owner (signer).
pub fn approve(source: &Pubkey, delegate: &Pubkey, owner: &Pubkey, amount: u64) -> Instruction {
    token_instruction(
        Approve { amount }.pack(),
        vec![
            AccountMeta::new(*source, false),
            AccountMeta::new_readonly(*delegate, false),
            AccountMeta::new_readonly(*owner, true),
        ],
    )
}

/// `ApproveChecked`: source (writable), the mint, the delegate, the owner
/// (signer).
pub fn approve_checked(
    source: &Pubkey,
    mint: &Pubkey,
    delegate: &Pubkey,
    owner: &Pubkey,
    amount: u64,
    decimals: u8,
) -> Instruction {
    token_instruction(
        ApproveChecked { amount, decimals }.pack(),
        vec![
            AccountMeta::new(*source, false),
            AccountMeta::new_readonly(*mint, false),
            AccountMeta::new_readonly(*delegate, false),
            AccountMeta::new_readonly(*owner, true),
        ],
    )
}

/// `Revoke`: source (writable), the owner (signer).
pub fn revoke(source: &Pubkey, owner: &Pubkey) -> Instruction {
    token_instruction(
        Revoke.pack(),
        vec![
            AccountMeta::new(*source, false),
            AccountMeta::new_readonly(*owner, true),
        ],
    )
}

/// `SetAuthority`: the mint or account (writable), its current authority
/// (signer); `new_authority` `None` removes the authority.
pub fn set_authority(
    owned: &Pubkey,
    new_authority: Option<&Pubkey>,
    authority_type: AuthorityType,
    current_authority: &Pubkey,
) -> Instruction {
    token_instruction(
        SetAuthority {
            authority_type,
            new_authority: new_authority.copied(),
        }
        .pack(),
        vec![
            AccountMeta::new(*owned, false),
            AccountMeta::new_readonly(*current_authority, true),
        ],
    )
}

/// `MintTo`: the mint and the destination (writable), the mint authority
/// (signer).
pub fn mint_to(
    mint: &Pubkey,
    destination: &Pubkey,
    authority: &Pubkey,
    amount: u64,
) -> Instruction {
    token_instruction(
        MintTo { amount }.pack(),
        vec![
            AccountMeta::new(*mint, false),
            AccountMeta::new(*destination, false),
            AccountMeta::new_readonly(*authority, true),
        ],
    )
}

/// `MintToChecked`: as [`mint_to`], with the mint's decimals.
pub fn mint_to_checked(
    mint: &Pubkey,
    destination: &Pubkey,
    authority: &Pubkey,
    amount: u64,
    decimals: u8,
) -> Instruction {
    token_instruction(
        MintToChecked { amount, decimals }.pack(),
        vec![
            AccountMeta::new(*mint, false),
            AccountMeta::new(*destination, false),
            AccountMeta::new_readonly(*authority, true),
        ],
    )
}

/// `Burn`: the source and the mint (writable), the owner or delegate
/// (signer).
pub fn burn(source: &Pubkey, mint: &Pubkey, authority: &Pubkey, amount: u64) -> Instruction {
    token_instruction(
        Burn { amount }.pack(),
        vec![
            AccountMeta::new(*source, false),
            AccountMeta::new(*mint, false),
            AccountMeta::new_readonly(*authority, true),
        ],
    )
}

/// `BurnChecked`: as [`burn`], with the mint's decimals.
pub fn burn_checked(
    source: &Pubkey,
    mint: &Pubkey,
    authority: &Pubkey,
    amount: u64,
    decimals: u8,
) -> Instruction {
    token_instruction(
        BurnChecked { amount, decimals }.pack(),
        vec![
            AccountMeta::new(*source, false),
            AccountMeta::new(*mint, false),
            AccountMeta::new_readonly(*authority, true),
        ],
    )
}

/// `CloseAccount`: the account and the destination (writable), the close
/// authority or owner (signer).
pub fn close_account(account: &Pubkey, destination: &Pubkey, authority: &Pubkey) -> Instruction {
    token_instruction(
        CloseAccount.pack(),
        vec![
            AccountMeta::new(*account, false),
            AccountMeta::new(*destination, false),
            AccountMeta::new_readonly(*authority, true),
        ],
    )
}

/// `FreezeAccount`: the account (writable), the mint, the freeze authority
/// (signer).
pub fn freeze_account(account: &Pubkey, mint: &Pubkey, authority: &Pubkey) -> Instruction {
    token_instruction(
        FreezeAccount.pack(),
        vec![
            AccountMeta::new(*account, false),
            AccountMeta::new_readonly(*mint, false),
            AccountMeta::new_readonly(*authority, true),
        ],
    )
}

/// `ThawAccount`: the account (writable), the mint, the freeze authority
/// (signer).
pub fn thaw_account(account: &Pubkey, mint: &Pubkey, authority: &Pubkey) -> Instruction {
    token_instruction(
        ThawAccount.pack(),
        vec![
            AccountMeta::new(*account, false),
            AccountMeta::new_readonly(*mint, false),
            AccountMeta::new_readonly(*authority, true),
        ],
    )
}
