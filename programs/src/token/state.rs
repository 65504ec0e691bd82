//! Mint and token account state, in SPL Token's byte layout.
//!
//! Both are fixed-size records of little-endian fields. An optional key or
//! amount (`COption` in SPL) is a 4-byte tag — `[0, 0, 0, 0]` for none,
//! `[1, 0, 0, 0]` for some — followed by the value's bytes, which are zero
//! when the tag says none. Any other tag, an `is_initialized` byte other
//! than 0 or 1, or an account state byte over 2 fails to unpack with
//! `InvalidAccountData`, as in SPL Token; so does a buffer of the wrong
//! length.
//!
//! | Mint (82 bytes)       | offset | Token account (165 bytes)   | offset |
//! |-----------------------|--------|-----------------------------|--------|
//! | mint_authority (4+32) | 0      | mint (32)                   | 0      |
//! | supply (u64)          | 36     | owner (32)                  | 32     |
//! | decimals (u8)         | 44     | amount (u64)                | 64     |
//! | is_initialized (u8)   | 45     | delegate (4+32)             | 72     |
//! | freeze_authority      | 46     | state (u8)                  | 108    |
//! |                       |        | is_native (4+8)             | 109    |
//! |                       |        | delegated_amount (u64)      | 121    |
//! |                       |        | close_authority (4+32)      | 129    |

use baton_types::{InstructionError, Pubkey};

/// The native mint: token accounts of this mint wrap SOL (SPL's
/// `native_mint::id()`).
pub const NATIVE_MINT: Pubkey =
    Pubkey::from_str_const("So11111111111111111111111111111111111111112");

/// The incinerator: lamports sent here are burnt. A token account whose
/// owner is the system program or the incinerator may be burnt from by
/// anyone and closed only into the incinerator, as in SPL Token.
pub const INCINERATOR: Pubkey =
    Pubkey::from_str_const("1nc1nerator11111111111111111111111111111111");

/// Cursor over a fixed-size record; every read is bounds checked.
struct Reader<'a> {
    data: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    fn take<const N: usize>(&mut self) -> Result<[u8; N], InstructionError> {
        let end = self
            .pos
            .checked_add(N)
            .ok_or(InstructionError::InvalidAccountData)?;
        let bytes = self
            .data
            .get(self.pos..end)
            .and_then(|s| <[u8; N]>::try_from(s).ok())
            .ok_or(InstructionError::InvalidAccountData)?;
        self.pos = end;
        Ok(bytes)
    }

    fn u8(&mut self) -> Result<u8, InstructionError> {
        Ok(self.take::<1>()?[0])
    }

    fn u64(&mut self) -> Result<u64, InstructionError> {
        Ok(u64::from_le_bytes(self.take()?))
    }

    fn pubkey(&mut self) -> Result<Pubkey, InstructionError> {
        Ok(Pubkey::new_from_array(self.take()?))
    }

    fn bool(&mut self) -> Result<bool, InstructionError> {
        match self.u8()? {
            0 => Ok(false),
            1 => Ok(true),
            _ => Err(InstructionError::InvalidAccountData),
        }
    }

    /// A `COption` tag: `Ok(true)` for some.
    fn tag(&mut self) -> Result<bool, InstructionError> {
        match self.take::<4>()? {
            [0, 0, 0, 0] => Ok(false),
            [1, 0, 0, 0] => Ok(true),
            _ => Err(InstructionError::InvalidAccountData),
        }
    }

    fn option_pubkey(&mut self) -> Result<Option<Pubkey>, InstructionError> {
        let some = self.tag()?;
        let key = self.pubkey()?;
        Ok(some.then_some(key))
    }

    fn option_u64(&mut self) -> Result<Option<u64>, InstructionError> {
        let some = self.tag()?;
        let value = self.u64()?;
        Ok(some.then_some(value))
    }
}

/// Appends fields to a record being packed.
struct Writer<const N: usize> {
    buf: [u8; N],
    pos: usize,
}

impl<const N: usize> Writer<N> {
    fn new() -> Self {
        Self {
            buf: [0; N],
            pos: 0,
        }
    }

    fn put(&mut self, bytes: &[u8]) {
        // The layouts below write exactly N bytes of constant-size fields,
        // so the range is always in bounds whatever the field values.
        let end = self.pos + bytes.len();
        self.buf[self.pos..end].copy_from_slice(bytes);
        self.pos = end;
    }

    fn tag(&mut self, some: bool) {
        self.put(&[u8::from(some), 0, 0, 0]);
    }

    fn option_pubkey(&mut self, key: &Option<Pubkey>) {
        self.tag(key.is_some());
        self.put(key.unwrap_or_default().as_ref());
    }

    fn option_u64(&mut self, value: &Option<u64>) {
        self.tag(value.is_some());
        self.put(&value.unwrap_or_default().to_le_bytes());
    }
}

/// Copy a packed record into `dst`, which must have exactly its length.
fn copy_exact(src: &[u8], dst: &mut [u8]) -> Result<(), InstructionError> {
    if dst.len() != src.len() {
        return Err(InstructionError::InvalidAccountData);
    }
    dst.copy_from_slice(src);
    Ok(())
}

/// A token mint: who may mint, how many exist, and how they are displayed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Mint {
    /// The key that may mint new tokens; `None` fixes the supply for good.
    pub mint_authority: Option<Pubkey>,
    /// Tokens in existence.
    pub supply: u64,
    /// Decimal places of the display amount.
    pub decimals: u8,
    /// Whether the mint was initialized.
    pub is_initialized: bool,
    /// The key that may freeze and thaw token accounts of this mint.
    pub freeze_authority: Option<Pubkey>,
}

impl Mint {
    /// Packed length in bytes.
    pub const LEN: usize = 82;

    /// Decode a mint without requiring it to be initialized (SPL's
    /// `unpack_unchecked`): `InvalidAccountData` if `data` is not
    /// [`Mint::LEN`] bytes or holds an invalid tag or flag.
    pub fn unpack_unchecked(data: &[u8]) -> Result<Self, InstructionError> {
        if data.len() != Self::LEN {
            return Err(InstructionError::InvalidAccountData);
        }
        let mut r = Reader { data, pos: 0 };
        Ok(Self {
            mint_authority: r.option_pubkey()?,
            supply: r.u64()?,
            decimals: r.u8()?,
            is_initialized: r.bool()?,
            freeze_authority: r.option_pubkey()?,
        })
    }

    /// Decode an initialized mint (SPL's `unpack`): the errors of
    /// [`Mint::unpack_unchecked`], then `UninitializedAccount`.
    pub fn unpack(data: &[u8]) -> Result<Self, InstructionError> {
        let mint = Self::unpack_unchecked(data)?;
        if !mint.is_initialized {
            return Err(InstructionError::UninitializedAccount);
        }
        Ok(mint)
    }

    /// The packed bytes.
    pub fn to_bytes(&self) -> [u8; Self::LEN] {
        let mut w = Writer::<{ Self::LEN }>::new();
        w.option_pubkey(&self.mint_authority);
        w.put(&self.supply.to_le_bytes());
        w.put(&[self.decimals, u8::from(self.is_initialized)]);
        w.option_pubkey(&self.freeze_authority);
        w.buf
    }

    /// Write the packed bytes into `dst`: `InvalidAccountData` unless it is
    /// [`Mint::LEN`] bytes long.
    pub fn pack(&self, dst: &mut [u8]) -> Result<(), InstructionError> {
        copy_exact(&self.to_bytes(), dst)
    }
}

/// The state of a token account.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
#[repr(u8)]
pub enum AccountState {
    /// Not yet initialized.
    #[default]
    Uninitialized = 0,
    /// Initialized and usable.
    Initialized = 1,
    /// Frozen by the mint's freeze authority: no transfers, approvals,
    /// burns or authority changes until thawed.
    Frozen = 2,
}

impl TryFrom<u8> for AccountState {
    type Error = InstructionError;

    /// The state with byte `b`; `InvalidAccountData` over 2.
    fn try_from(b: u8) -> Result<Self, InstructionError> {
        match b {
            0 => Ok(Self::Uninitialized),
            1 => Ok(Self::Initialized),
            2 => Ok(Self::Frozen),
            _ => Err(InstructionError::InvalidAccountData),
        }
    }
}

/// A token account: a balance of one mint's tokens held for an owner
/// (SPL's `state::Account`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TokenAccount {
    /// The mint of the tokens held.
    pub mint: Pubkey,
    /// The owner, who may transfer, approve, burn and close.
    pub owner: Pubkey,
    /// Tokens held.
    pub amount: u64,
    /// The key that may spend up to `delegated_amount` on the owner's behalf.
    pub delegate: Option<Pubkey>,
    /// Uninitialized, initialized or frozen.
    pub state: AccountState,
    /// For a native (wrapped SOL) account, the rent-exempt reserve its
    /// lamports keep beyond `amount`; `None` for other accounts.
    pub is_native: Option<u64>,
    /// Tokens the delegate may still spend.
    pub delegated_amount: u64,
    /// The key that may close the account; `None` means the owner.
    pub close_authority: Option<Pubkey>,
}

impl TokenAccount {
    /// Packed length in bytes.
    pub const LEN: usize = 165;

    /// An initialized account of `mint` held for `owner`: no delegate, not
    /// native, closed by its owner.
    pub fn initialized(mint: Pubkey, owner: Pubkey, amount: u64) -> Self {
        Self {
            mint,
            owner,
            amount,
            state: AccountState::Initialized,
            ..Self::default()
        }
    }

    /// Decode an account without requiring it to be initialized (SPL's
    /// `unpack_unchecked`): `InvalidAccountData` if `data` is not
    /// [`TokenAccount::LEN`] bytes or holds an invalid tag or state.
    pub fn unpack_unchecked(data: &[u8]) -> Result<Self, InstructionError> {
        if data.len() != Self::LEN {
            return Err(InstructionError::InvalidAccountData);
        }
        let mut r = Reader { data, pos: 0 };
        Ok(Self {
            mint: r.pubkey()?,
            owner: r.pubkey()?,
            amount: r.u64()?,
            delegate: r.option_pubkey()?,
            state: AccountState::try_from(r.u8()?)?,
            is_native: r.option_u64()?,
            delegated_amount: r.u64()?,
            close_authority: r.option_pubkey()?,
        })
    }

    /// Decode an initialized account (SPL's `unpack`): the errors of
    /// [`TokenAccount::unpack_unchecked`], then `UninitializedAccount`.
    pub fn unpack(data: &[u8]) -> Result<Self, InstructionError> {
        let account = Self::unpack_unchecked(data)?;
        if !account.is_initialized() {
            return Err(InstructionError::UninitializedAccount);
        }
        Ok(account)
    }

    /// The packed bytes.
    pub fn to_bytes(&self) -> [u8; Self::LEN] {
        let mut w = Writer::<{ Self::LEN }>::new();
        w.put(self.mint.as_ref());
        w.put(self.owner.as_ref());
        w.put(&self.amount.to_le_bytes());
        w.option_pubkey(&self.delegate);
        w.put(&[self.state as u8]);
        w.option_u64(&self.is_native);
        w.put(&self.delegated_amount.to_le_bytes());
        w.option_pubkey(&self.close_authority);
        w.buf
    }

    /// Write the packed bytes into `dst`: `InvalidAccountData` unless it is
    /// [`TokenAccount::LEN`] bytes long.
    pub fn pack(&self, dst: &mut [u8]) -> Result<(), InstructionError> {
        copy_exact(&self.to_bytes(), dst)
    }

    /// Whether the account is initialized (initialized or frozen).
    pub fn is_initialized(&self) -> bool {
        self.state != AccountState::Uninitialized
    }

    /// Whether the account is frozen.
    pub fn is_frozen(&self) -> bool {
        self.state == AccountState::Frozen
    }

    /// Whether the account wraps SOL.
    pub fn is_native(&self) -> bool {
        self.is_native.is_some()
    }

    /// Whether the owner is the system program or the incinerator, whose
    /// tokens anyone may burn (SPL's `is_owned_by_system_program_or_incinerator`).
    pub fn is_owned_by_system_program_or_incinerator(&self) -> bool {
        self.owner == baton_types::ids::SYSTEM_PROGRAM || self.owner == INCINERATOR
    }
}
