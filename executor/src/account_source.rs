//! Where the executor reads a transaction's accounts from.

use baton_types::{Account, Pubkey};

/// The accounts a transaction loads, by key. A closure
/// `Fn(&Pubkey) -> Option<Account>` is one; a store can do better for
/// [`load_without_data`](Self::load_without_data).
pub trait AccountSource {
    /// A copy of the account at `key`, if there is one.
    fn load(&self, key: &Pubkey) -> Option<Account>;

    /// The account at `key` with empty data, and its data's length: asked
    /// for a program the transaction only invokes, whose data no
    /// instruction can read (a loader-v2 program is its whole ELF), so that
    /// it need not be copied. The default copies it and drops the copy.
    fn load_without_data(&self, key: &Pubkey) -> Option<(Account, usize)> {
        self.load(key).map(|mut a| {
            let len = a.data.len();
            a.data = Vec::new();
            (a, len)
        })
    }
}

impl<F: Fn(&Pubkey) -> Option<Account>> AccountSource for F {
    fn load(&self, key: &Pubkey) -> Option<Account> {
        self(key)
    }
}
