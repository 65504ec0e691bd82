use crate::Pubkey;

/// An account an instruction refers to, with the privileges it asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct AccountMeta {
    /// The account's key.
    pub pubkey: Pubkey,
    /// Whether the instruction needs the account's signature.
    pub is_signer: bool,
    /// Whether the instruction may change the account.
    pub is_writable: bool,
}

impl AccountMeta {
    /// A writable meta.
    pub const fn new(pubkey: Pubkey, is_signer: bool) -> Self {
        Self {
            pubkey,
            is_signer,
            is_writable: true,
        }
    }

    /// A read-only meta.
    pub const fn new_readonly(pubkey: Pubkey, is_signer: bool) -> Self {
        Self {
            pubkey,
            is_signer,
            is_writable: false,
        }
    }
}

/// A program call: the program, the accounts it is handed and its input bytes.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Instruction {
    /// The program to run.
    pub program_id: Pubkey,
    /// The accounts, in the order the program expects them.
    pub accounts: Vec<AccountMeta>,
    /// Program input.
    pub data: Vec<u8>,
}

impl Instruction {
    /// An instruction with raw data bytes.
    pub fn new_with_bytes(program_id: Pubkey, data: &[u8], accounts: Vec<AccountMeta>) -> Self {
        Self {
            program_id,
            accounts,
            data: data.to_vec(),
        }
    }
}

/// An instruction in a message: indices into the message's account keys.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct CompiledInstruction {
    /// Index of the program id in the message's account keys.
    pub program_id_index: u8,
    /// Indices of the instruction's accounts in the message's account keys.
    pub accounts: Vec<u8>,
    /// Program input.
    pub data: Vec<u8>,
}
