use crate::Pubkey;

/// The largest data length an account may have: 10 MiB.
pub const MAX_PERMITTED_DATA_LENGTH: usize = 10 * 1024 * 1024;

/// An account: lamports, data, owner program and the executable flag.
#[derive(Clone, Default, PartialEq, Eq, Hash)]
pub struct Account {
    /// Balance in lamports.
    pub lamports: u64,
    /// Account data, owned and interpreted by `owner`.
    pub data: Vec<u8>,
    /// The program that owns this account and alone may change its data or debit it.
    pub owner: Pubkey,
    /// Whether this account holds a program.
    pub executable: bool,
    /// Kept and passed through unchanged.
    pub rent_epoch: u64,
}

impl Account {
    /// An account with `lamports`, `space` zeroed bytes of data and `owner`.
    pub fn new(lamports: u64, space: usize, owner: &Pubkey) -> Self {
        Self {
            lamports,
            data: vec![0; space],
            owner: *owner,
            executable: false,
            rent_epoch: 0,
        }
    }

    /// An account with the given data.
    pub fn with_data(lamports: u64, data: Vec<u8>, owner: &Pubkey) -> Self {
        Self {
            lamports,
            data,
            owner: *owner,
            executable: false,
            rent_epoch: 0,
        }
    }

    /// The account borrowed, as a store lends it.
    #[inline]
    pub fn view(&self) -> AccountRef<'_> {
        AccountRef::new(
            self.lamports,
            &self.data,
            &self.owner,
            self.executable,
            self.rent_epoch,
        )
    }

    /// Whether this is the default (empty) account, which the store treats as absent.
    pub fn is_empty(&self) -> bool {
        self.lamports == 0
            && self.data.is_empty()
            && self.owner == Pubkey::default()
            && !self.executable
    }
}

/// An account borrowed from where it is kept (a store's own copy, say):
/// the fields of an [`Account`] without the copy of its data.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AccountRef<'a> {
    /// Balance in lamports.
    pub lamports: u64,
    /// Account data.
    pub data: &'a [u8],
    /// The owning program.
    pub owner: &'a Pubkey,
    /// Whether this account holds a program.
    pub executable: bool,
    /// The rent epoch.
    pub rent_epoch: u64,
}

impl<'a> AccountRef<'a> {
    /// The account of these fields.
    #[inline]
    pub fn new(
        lamports: u64,
        data: &'a [u8],
        owner: &'a Pubkey,
        executable: bool,
        rent_epoch: u64,
    ) -> Self {
        Self {
            lamports,
            data,
            owner,
            executable,
            rent_epoch,
        }
    }

    /// An owned copy.
    #[inline]
    pub fn to_account(&self) -> Account {
        Account {
            lamports: self.lamports,
            data: self.data.to_vec(),
            owner: *self.owner,
            executable: self.executable,
            rent_epoch: self.rent_epoch,
        }
    }
}

impl std::fmt::Debug for Account {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut d = f.debug_struct("Account");
        d.field("lamports", &self.lamports)
            .field("data_len", &self.data.len())
            .field("owner", &self.owner)
            .field("executable", &self.executable)
            .field("rent_epoch", &self.rent_epoch);
        if self.data.len() <= 64 {
            d.field("data", &self.data);
        }
        d.finish()
    }
}
