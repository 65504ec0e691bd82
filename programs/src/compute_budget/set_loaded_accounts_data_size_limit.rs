//! `SetLoadedAccountsDataSizeLimit`: the most account data, in bytes, the
//! transaction may load.

use baton_types::TransactionError;

use super::details::MAX_LOADED_ACCOUNTS_DATA_SIZE_BYTES;

/// Set the most bytes of account data the transaction may load.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SetLoadedAccountsDataSizeLimit {
    /// The requested limit, in bytes; zero is invalid.
    pub bytes: u32,
}

impl SetLoadedAccountsDataSizeLimit {
    /// The limit the transaction gets (at most 64 MiB), or
    /// `InvalidLoadedAccountsDataSizeLimit` for zero.
    pub(crate) fn sanitize(&self) -> Result<u32, TransactionError> {
        if self.bytes == 0 {
            Err(TransactionError::InvalidLoadedAccountsDataSizeLimit)
        } else {
            Ok(self.bytes.min(MAX_LOADED_ACCOUNTS_DATA_SIZE_BYTES))
        }
    }
}
