//! The rent-state rule checked on every written account after a transaction.

use baton_types::Account;

use crate::sysvar::Rent;

/// Where an account stands with respect to rent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RentState {
    /// No lamports: the account does not exist.
    Uninitialized,
    /// Some lamports, below the rent-exempt minimum.
    RentPaying {
        /// Balance.
        lamports: u64,
        /// Data length.
        data_size: usize,
    },
    /// At or above the rent-exempt minimum.
    RentExempt,
}

impl RentState {
    /// The state of `account`.
    pub fn of(account: &Account, rent: &Rent) -> Self {
        if account.lamports == 0 {
            Self::Uninitialized
        } else if rent.is_exempt(account.lamports, account.data.len()) {
            Self::RentExempt
        } else {
            Self::RentPaying {
                lamports: account.lamports,
                data_size: account.data.len(),
            }
        }
    }

    /// Whether moving from `pre` to `self` is allowed: into empty or exempt
    /// always; into rent-paying only from rent-paying with the same data size
    /// and no more lamports than before (Agave's rule).
    pub fn transition_allowed_from(&self, pre: &RentState) -> bool {
        match *self {
            Self::Uninitialized | Self::RentExempt => true,
            Self::RentPaying {
                data_size,
                lamports,
            } => match *pre {
                Self::Uninitialized | Self::RentExempt => false,
                Self::RentPaying {
                    data_size: pre_size,
                    lamports: pre_lamports,
                } => data_size == pre_size && lamports <= pre_lamports,
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use baton_types::Pubkey;

    #[test]
    fn transitions() {
        let rent = Rent::default();
        let min = rent.minimum_balance(0);
        let s = |l| RentState::of(&Account::new(l, 0, &Pubkey::default()), &rent);
        assert_eq!(s(0), RentState::Uninitialized);
        assert_eq!(s(min), RentState::RentExempt);
        assert!(!s(min - 1).transition_allowed_from(&s(min)));
        assert!(!s(5).transition_allowed_from(&s(0)));
        assert!(s(4).transition_allowed_from(&s(5)));
        assert!(!s(6).transition_allowed_from(&s(5)));
        assert!(s(0).transition_allowed_from(&s(5)));
    }
}
