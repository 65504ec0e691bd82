//! Compiling instructions into a v0 message that loads keys from address
//! lookup tables, as Solana's `v0::Message::try_compile` does.

use crate::message::{compile_instructions, header_and_keys, key_flags};
use crate::{Hash, Instruction, Message, MessageAddressTableLookup, MessageVersion, Pubkey};

/// An address lookup table as a client knows it: its key and addresses.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AddressLookupTableAccount {
    /// The table account.
    pub key: Pubkey,
    /// The addresses it holds, in order.
    pub addresses: Vec<Pubkey>,
}

/// Why instructions do not compile into a v0 message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CompileError {
    /// More than 256 keys, or more than 256 entries in one table.
    #[error("the message would index more than 256 accounts")]
    TooManyAccounts,
}

impl Message {
    /// Compile `instructions` into a v0 message paid for by `payer`: each
    /// key that is neither a signer nor an invoked program and that a table
    /// holds is loaded from the first such table (its writable keys, then
    /// its read-only ones, each in key order); tables that would load
    /// nothing are left out; every other key is static, ordered as
    /// [`Message::new_with_blockhash`] orders them. The same inputs give the
    /// same message as `solana_message::v0::Message::try_compile`.
    pub fn try_compile_v0(
        payer: &Pubkey,
        instructions: &[Instruction],
        tables: &[AddressLookupTableAccount],
        blockhash: &Hash,
    ) -> Result<Message, CompileError> {
        let mut flags = key_flags(instructions, Some(payer));
        let mut lookups = Vec::new();
        let (mut loaded_writable, mut loaded_readonly) = (Vec::new(), Vec::new());
        for table in tables {
            let mut drain = |writable: bool, loaded: &mut Vec<Pubkey>| {
                let mut indexes = Vec::new();
                let found: Vec<(Pubkey, usize)> = flags
                    .iter()
                    .filter(|(_, f)| !f.signer && !f.invoked && f.writable == writable)
                    .filter_map(|(k, _)| Some((*k, table.addresses.iter().position(|a| a == k)?)))
                    .collect();
                for (key, at) in found {
                    indexes.push(u8::try_from(at).map_err(|_| CompileError::TooManyAccounts)?);
                    flags.remove(&key);
                    loaded.push(key);
                }
                Ok::<_, CompileError>(indexes)
            };
            let writable_indexes = drain(true, &mut loaded_writable)?;
            let readonly_indexes = drain(false, &mut loaded_readonly)?;
            if !writable_indexes.is_empty() || !readonly_indexes.is_empty() {
                lookups.push(MessageAddressTableLookup {
                    account_key: table.key,
                    writable_indexes,
                    readonly_indexes,
                });
            }
        }
        let (header, mut keys) = header_and_keys(&flags, Some(payer));
        let num_static = keys.len();
        keys.extend(loaded_writable);
        keys.extend(loaded_readonly);
        if keys.len() > 256 {
            return Err(CompileError::TooManyAccounts);
        }
        let instructions = compile_instructions(instructions, &keys);
        keys.truncate(num_static);
        Ok(Message {
            header,
            account_keys: keys,
            recent_blockhash: *blockhash,
            instructions,
            version: MessageVersion::V0,
            address_table_lookups: lookups,
        })
    }
}
