//! Durable-nonce transactions: a transaction whose blockhash is no longer
//! recent is still valid when its first instruction advances a nonce
//! account that stores that blockhash as its durable nonce (Agave's
//! `check_load_and_advance_message_nonce_account`).
//!
//! Admission checks the nonce (the account named by the first instruction,
//! a system `AdvanceNonceAccount` on a static writable key; owned by the
//! system program; an initialized current-version nonce whose durable nonce
//! is the transaction's blockhash; its authority signing that instruction;
//! not already at the durable nonce of the latest blockhash) and computes
//! the account as advanced. If the transaction fails, that advanced
//! account is committed with the fee payer: the nonce is used either way.

use baton_accounts_db::AccountsStore;
use baton_executor::SysvarCache;
use baton_programs::system::nonce::{self, Data, State, Versions};
use baton_types::{ids, Account, Message, Pubkey, TransactionError};

use crate::blockhashes::RecentBlockhashes;

/// The serialized `SystemInstruction::AdvanceNonceAccount` (its variant
/// index); further bytes are allowed, as Agave's check allows them.
const ADVANCE_NONCE: [u8; 4] = 4u32.to_le_bytes();

/// The nonce account a message's first instruction advances, if it is a
/// durable-nonce message: the system program's `AdvanceNonceAccount` whose
/// first account is a static key the message writes.
pub(crate) fn nonce_account(message: &Message) -> Option<Pubkey> {
    let ix = message.instructions.first()?;
    // The data first: most first instructions are no nonce advance, and
    // that rules them out without reading the account keys.
    if ix.data.get(..4)? != ADVANCE_NONCE {
        return None;
    }
    let program = message.account_keys.get(usize::from(ix.program_id_index))?;
    if *program != ids::SYSTEM_PROGRAM {
        return None;
    }
    let index = usize::from(*ix.accounts.first()?);
    (index < message.account_keys.len() && message.is_writable(index))
        .then(|| message.account_keys[index])
}

/// The nonce account of `message` as it stands once advanced, if
/// `account` (the stored one, at `key`) makes the message a valid
/// durable-nonce transaction in the state `sysvars` describe.
pub(crate) fn advanced(
    message: &Message,
    key: &Pubkey,
    account: Option<Account>,
    sysvars: &SysvarCache,
) -> Option<(Pubkey, Account)> {
    let latest = sysvars.recent_blockhashes.0.first()?;
    let next = nonce::durable_nonce_from_blockhash(&latest.blockhash);
    // A nonce advances once per blockhash.
    if message.recent_blockhash == next {
        return None;
    }
    let mut account = account?;
    if account.owner != ids::SYSTEM_PROGRAM {
        return None;
    }
    let data = match Versions::from_account_data(&account.data).ok()? {
        Versions::Current(State::Initialized(data)) => data,
        _ => return None,
    };
    if data.blockhash() != message.recent_blockhash {
        return None;
    }
    let ix = message.instructions.first()?;
    let signed_by_authority = ix.accounts.iter().any(|&a| {
        let a = usize::from(a);
        message.is_signer(a) && message.account_keys.get(a) == Some(&data.authority)
    });
    if !signed_by_authority {
        return None;
    }
    // Written over the stored state, as Agave's `set_state`: the length
    // stays (a shorter account cannot hold it: no nonce).
    let advanced = Data::new(data.authority, next, data.lamports_per_signature());
    let bytes = Versions::new(State::Initialized(advanced)).to_bytes();
    account.data.get_mut(..bytes.len())?.copy_from_slice(&bytes);
    Some((*key, account))
}

/// The blockhash check of `message` (Agave's `check_age`): `Ok(None)` when
/// its blockhash is among `blockhashes`; else, for a valid durable-nonce
/// message, its nonce account as advanced (read from `store`); else
/// `BlockhashNotFound`.
pub(crate) fn check_blockhash(
    message: &Message,
    blockhashes: &RecentBlockhashes,
    store: &dyn AccountsStore,
    sysvars: &SysvarCache,
) -> Result<Option<(Pubkey, Account)>, TransactionError> {
    if blockhashes.contains(&message.recent_blockhash) {
        return Ok(None);
    }
    let key = nonce_account(message).ok_or(TransactionError::BlockhashNotFound)?;
    advanced(message, &key, store.load(&key), sysvars)
        .map(Some)
        .ok_or(TransactionError::BlockhashNotFound)
}
