//! Reading and setting the sysvars the [`Runtime`] keeps (Clock and Rent,
//! typed), moving the clock, and the rent-exempt minimum: LiteSVM's
//! `get_sysvar`, `set_sysvar`, `warp_to_slot` and
//! `minimum_balance_for_rent_exemption`.

use baton_executor::{Clock, Rent};

use crate::Runtime;

mod sealed {
    pub trait Sealed {}
    impl Sealed for baton_executor::Clock {}
    impl Sealed for baton_executor::Rent {}
}

/// A sysvar the runtime keeps and lets an embedder set:
/// [`Clock`] and [`Rent`]. See [`Runtime::get_sysvar`] and
/// [`Runtime::set_sysvar`].
///
/// The third sysvar, RecentBlockhashes, follows the runtime's blockhash
/// queue ([`Runtime::expire_blockhash`]) and is read with
/// [`Runtime::sysvars`]; it is not set directly, so that it always lists
/// the blockhashes transactions are checked against. Sealed: the runtime
/// keeps no other sysvar.
pub trait Sysvar: sealed::Sealed + Clone {
    /// The value the runtime holds.
    fn get(rt: &Runtime) -> Self;
    /// Make `self` the value transactions see.
    fn put(self, rt: &mut Runtime);
}

impl Sysvar for Clock {
    fn get(rt: &Runtime) -> Self {
        rt.sysvars.clock
    }

    fn put(self, rt: &mut Runtime) {
        rt.sysvars.clock = self;
    }
}

impl Sysvar for Rent {
    fn get(rt: &Runtime) -> Self {
        rt.sysvars.rent
    }

    fn put(self, rt: &mut Runtime) {
        rt.sysvars.rent = self;
    }
}

impl Runtime {
    /// The current value of a sysvar: `rt.get_sysvar::<Clock>()` (see
    /// [`Runtime::clock`] and [`Runtime::rent`] for the short forms).
    pub fn get_sysvar<T: Sysvar>(&self) -> T {
        T::get(self)
    }

    /// Set a sysvar: from the next transaction or instruction on, programs
    /// read `value`, and its account in the store holds it in Solana's
    /// layout (so the state hash changes). A store fault while writing the
    /// account is kept for [`Runtime::take_store_errors`], as for
    /// [`Runtime::expire_blockhash`].
    ///
    /// ```
    /// use baton::{Clock, Runtime};
    ///
    /// let mut rt = Runtime::new();
    /// rt.set_sysvar(&Clock { unix_timestamp: 1_700_000_000, ..rt.clock() });
    /// assert_eq!(rt.clock().unix_timestamp, 1_700_000_000);
    /// ```
    pub fn set_sysvar<T: Sysvar>(&mut self, value: &T) {
        value.clone().put(self);
        self.write_sysvar_accounts();
    }

    /// The Clock sysvar transactions see now.
    pub fn clock(&self) -> Clock {
        self.sysvars.clock
    }

    /// The Rent sysvar transactions see now.
    pub fn rent(&self) -> Rent {
        self.sysvars.rent
    }

    /// Move the clock to `slot` (the other Clock fields and the
    /// blockhashes stay as they are; [`Runtime::expire_blockhash`] goes on
    /// from there, one slot per new blockhash). As LiteSVM's
    /// `warp_to_slot`, it may move the slot backwards too.
    pub fn warp_to_slot(&mut self, slot: u64) {
        self.sysvars.clock.slot = slot;
        self.write_sysvar_accounts();
    }

    /// The smallest balance that keeps an account of `data_len` bytes
    /// rent exempt under the current Rent sysvar (128 bytes of overhead
    /// included): what a new account must be funded with.
    pub fn minimum_balance_for_rent_exemption(&self, data_len: usize) -> u64 {
        self.sysvars.rent.minimum_balance(data_len)
    }

    /// Write every sysvar account from the decoded values and refresh the
    /// reserved copies transactions read.
    pub(crate) fn write_sysvar_accounts(&mut self) {
        let accounts = self.sysvars.to_accounts();
        self.record_store_result(self.store.commit(&accounts));
        self.record_store_result(self.store.end_batch());
        for (key, _) in &accounts {
            self.refresh_reserved(key);
        }
    }
}
