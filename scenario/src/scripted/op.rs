//! The operations of a script and their encoding.

use baton_types::InstructionError;
use bincode::Options;
use serde::{Deserialize, Serialize};

/// Most bytes of script data [`decode`] accepts: a bound on what a
/// malformed length prefix could make the decoder allocate.
pub const MAX_SCRIPT_LEN: u64 = 16 * 1024 * 1024;

/// An account named by an operation: its index among the running
/// instruction's accounts, or a raw key (for an invoke's program or metas
/// only, so that scripts can name accounts the caller does not have and
/// provoke `MissingAccount`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum AccountRef {
    /// Index among the running instruction's accounts.
    Index(u16),
    /// A key, used as it is.
    Key([u8; 32]),
}

/// One account meta of an invoke.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Meta {
    /// The account.
    pub account: AccountRef,
    /// Signer in the callee.
    pub is_signer: bool,
    /// Writable in the callee.
    pub is_writable: bool,
}

/// The instruction data an invoke passes to its callee.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Payload {
    /// A script, encoded with [`encode`]: for a scripted callee.
    Script(Vec<Op>),
    /// Bytes passed as they are: for any other callee (a system transfer, say).
    Raw(Vec<u8>),
}

impl Payload {
    /// The callee's instruction data.
    pub fn to_data(&self) -> Vec<u8> {
        match self {
            Self::Script(ops) => encode(ops),
            Self::Raw(bytes) => bytes.clone(),
        }
    }
}

/// A cross-program invocation made by a script.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Invoke {
    /// The callee program: usually an index among the running
    /// instruction's accounts (the callee must be one of them §4.4).
    pub program: AccountRef,
    /// The callee's account metas, in order.
    pub accounts: Vec<Meta>,
    /// Signer seed sets; empty means `invoke`, otherwise `invoke_signed`
    /// with these sets (each a list of seeds).
    pub seeds: Vec<Vec<Vec<u8>>>,
    /// The callee's instruction data.
    pub payload: Payload,
}

/// The authorization descriptor of an [`InvokeAuth`] (§8).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum AuthArg {
    /// No descriptor.
    None,
    /// Transaction indices to authorize and to deauthorize.
    Lists {
        /// Authorized indices.
        authorized: Vec<u16>,
        /// Deauthorized indices.
        deauthorized: Vec<u16>,
    },
    /// A descriptor in its encoded form, passed as it is (to provoke
    /// `MalformedDescriptor`).
    Encoded(Vec<u8>),
}

/// An explicit-authorization invoke made by a script (§8).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvokeAuth {
    /// The callee program's transaction index.
    pub program: u16,
    /// What the caller authorizes and deauthorizes.
    pub auth: AuthArg,
    /// The callee's instruction data; a callee script's account indices
    /// are transaction indices.
    pub payload: Payload,
    /// The outcome expected, as `Exit(<code>)` or the `InvokeError` Debug
    /// form (`CallDepth`, `NotOwner { index: 2 }`, `Failed(Custom(7))`),
    /// compared ignoring whitespace; a different outcome fails the script
    /// with `Custom(`[`ERR_OUTCOME_MISMATCH`]`)`. `None`: an error fails
    /// the script with its Agave mapping (`InvokeAuth`) or is ignored
    /// (`TryInvokeAuth`), and any exit code is accepted.
    pub expect: Option<String>,
}

/// One operation of a script. Account fields are indices among the running
/// instruction's accounts; every write goes through `BorrowedAccount`, so the
/// mutation rules of §2 apply as they would to any program.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Op {
    /// Write `bytes` at `offset` of the account's data (`AccountDataTooSmall`
    /// past its end).
    Write {
        /// The account.
        account: u16,
        /// Where to write.
        offset: u64,
        /// What to write.
        bytes: Vec<u8>,
    },
    /// Resize the account's data to `len` bytes, zero-filling growth.
    Resize {
        /// The account.
        account: u16,
        /// The new length.
        len: u64,
    },
    /// Debit `from` and credit `to` by `lamports` (a direct lamport move:
    /// `from` must be owned by the running program).
    Transfer {
        /// The debited account.
        from: u16,
        /// The credited account.
        to: u16,
        /// How much.
        lamports: u64,
    },
    /// Credit the account alone (unbalances the instruction unless undone).
    Credit {
        /// The account.
        account: u16,
        /// How much.
        lamports: u64,
    },
    /// Debit the account alone (unbalances the instruction unless undone).
    Debit {
        /// The account.
        account: u16,
        /// How much.
        lamports: u64,
    },
    /// Set the transaction's return data.
    SetReturnData(Vec<u8>),
    /// Check that the return data is `bytes` set by the program at `program`;
    /// fails with `Custom(`[`ERR_RETURN_DATA_MISMATCH`]`)` otherwise.
    ExpectReturnData {
        /// The program expected to have set it.
        program: AccountRef,
        /// The bytes expected.
        bytes: Vec<u8>,
    },
    /// Assign the account to `owner`.
    Assign {
        /// The account.
        account: u16,
        /// The new owner.
        owner: [u8; 32],
    },
    /// Mark the account executable.
    SetExecutable {
        /// The account.
        account: u16,
    },
    /// Fail with `Custom(code)`.
    Fail(u32),
    /// Panic (the executor reports `ProgramFailedToComplete`).
    Panic,
    /// Charge this many compute units.
    ConsumeUnits(u64),
    /// Borrow `a`, then `b` while `a` is still borrowed.
    BorrowTwice {
        /// Borrowed first.
        a: u16,
        /// Borrowed second, while `a` is held.
        b: u16,
    },
    /// Log `Program log: <text>`.
    Log(String),
    /// Do nothing: bytes that make the instruction data longer.
    Noop(Vec<u8>),
    /// Invoke another program; its failure fails this instruction (§4.10).
    Invoke(Invoke),
    /// Invoke another program and ignore the result, going on with the
    /// script. The engine still fails the transaction with the callee's
    /// error (§4.10): a failed CPI cannot be caught.
    InvokeIgnoreError(Invoke),
    /// Check that the account's data holds `bytes` at `offset`; fails with
    /// `Custom(`[`ERR_DATA_MISMATCH`]`)` otherwise.
    ExpectData {
        /// The account.
        account: u16,
        /// Where the bytes should be.
        offset: u64,
        /// The bytes expected.
        bytes: Vec<u8>,
    },
    /// Check the account's balance; fails with
    /// `Custom(`[`ERR_LAMPORTS_MISMATCH`]`)` otherwise.
    ExpectLamports {
        /// The account.
        account: u16,
        /// The balance expected.
        lamports: u64,
    },
    /// `invoke_auth` (§8); logs `invoke_auth -> <outcome>`.
    InvokeAuth(InvokeAuth),
    /// `try_invoke_auth` (§9); logs `try_invoke_auth -> <outcome>`.
    TryInvokeAuth(InvokeAuth),
    /// `try_invoke` / `try_invoke_signed` (§9); logs `try_invoke -> <outcome>`,
    /// the outcome being `Ok` or the `InstructionError` Debug form.
    TryInvoke {
        /// The call.
        invoke: Invoke,
        /// The outcome expected (`Ok`, `Custom(7)`, …); a different one fails
        /// the script with `Custom(`[`ERR_OUTCOME_MISMATCH`]`)`; `None`:
        /// whatever happens, go on.
        expect: Option<String>,
    },
    /// End the script normally with this exit code (§8).
    ExitWithCode(u64),
    /// Revert with this code (§8): `Custom(code)` up to the nearest try_invoke.
    Revert(u32),
    /// Check `is_authorized` of a transaction index (§8); fails with
    /// `Custom(`[`ERR_AUTHORIZED_MISMATCH`]`)` when it is not `expected`.
    ExpectAuthorized {
        /// The account's transaction index.
        index: u16,
        /// The answer expected.
        expected: bool,
    },
}

/// Custom error code of a failed [`Op::ExpectReturnData`].
pub const ERR_RETURN_DATA_MISMATCH: u32 = 0x5C_0001;
/// Custom error code of a failed [`Op::ExpectData`].
pub const ERR_DATA_MISMATCH: u32 = 0x5C_0002;
/// Custom error code of a failed [`Op::ExpectLamports`].
pub const ERR_LAMPORTS_MISMATCH: u32 = 0x5C_0003;
/// Custom error code of an invoke whose outcome is not the one expected.
pub const ERR_OUTCOME_MISMATCH: u32 = 0x5C_0004;
/// Custom error code of a failed [`Op::ExpectAuthorized`].
pub const ERR_AUTHORIZED_MISMATCH: u32 = 0x5C_0005;

fn options() -> impl Options {
    bincode::DefaultOptions::new()
        .with_fixint_encoding()
        .with_little_endian()
        .with_limit(MAX_SCRIPT_LEN)
}

/// Encode a script as instruction data (bincode, fixed-width little-endian
/// integers; enum variants as `u32` tags in declaration order, vectors and
/// strings with `u64` length prefixes).
pub fn encode(script: &[Op]) -> Vec<u8> {
    // Plain data into a Vec: serialization cannot fail below the limit.
    options().serialize(script).unwrap_or_default()
}

/// Decode instruction data into a script; `InvalidInstructionData` when it
/// does not decode or has trailing bytes.
pub fn decode(data: &[u8]) -> Result<Vec<Op>, InstructionError> {
    options()
        .deserialize(data)
        .map_err(|_| InstructionError::InvalidInstructionData)
}
