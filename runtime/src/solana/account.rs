//! Accounts: `solana_account::Account` and `AccountSharedData`, field for
//! field (`rent_epoch` included, which Baton keeps and passes through).

use solana_account::{AccountSharedData, ReadableAccount as _};

use super::{by_value, FromBaton, FromSolana, IntoBaton, IntoSolana};
use crate::Account;

impl FromSolana<&solana_account::Account> for Account {
    fn from_solana(value: &solana_account::Account) -> Self {
        Account {
            lamports: value.lamports,
            data: value.data.clone(),
            owner: value.owner.into_baton(),
            executable: value.executable,
            rent_epoch: value.rent_epoch,
        }
    }
}

impl FromBaton<&Account> for solana_account::Account {
    fn from_baton(value: &Account) -> Self {
        solana_account::Account {
            lamports: value.lamports,
            data: value.data.clone(),
            owner: value.owner.into_solana(),
            executable: value.executable,
            rent_epoch: value.rent_epoch,
        }
    }
}

impl FromSolana<&AccountSharedData> for Account {
    fn from_solana(value: &AccountSharedData) -> Self {
        Account {
            lamports: value.lamports(),
            data: value.data().to_vec(),
            owner: value.owner().into_baton(),
            executable: value.executable(),
            rent_epoch: value.rent_epoch(),
        }
    }
}

impl FromBaton<&Account> for AccountSharedData {
    fn from_baton(value: &Account) -> Self {
        AccountSharedData::from(solana_account::Account::from_baton(value))
    }
}

impl FromBaton<Account> for solana_account::Account {
    fn from_baton(value: Account) -> Self {
        solana_account::Account {
            lamports: value.lamports,
            data: value.data,
            owner: value.owner.into_solana(),
            executable: value.executable,
            rent_epoch: value.rent_epoch,
        }
    }
}

impl FromSolana<solana_account::Account> for Account {
    fn from_solana(value: solana_account::Account) -> Self {
        Account {
            lamports: value.lamports,
            data: value.data,
            owner: value.owner.into_baton(),
            executable: value.executable,
            rent_epoch: value.rent_epoch,
        }
    }
}

impl FromBaton<Account> for AccountSharedData {
    fn from_baton(value: Account) -> Self {
        AccountSharedData::from(solana_account::Account::from_baton(value))
    }
}

by_value!(FromSolana, from_solana: AccountSharedData => Account);
