//! The scenario file as written: serde structures that `toml` fills in.
//! Names are resolved and values checked afterwards, in `build`. The
//! entries that later errors and failed expectations point at keep their
//! place in the file ([`Spanned`]: byte offsets, made lines by `build`).

use std::collections::BTreeMap;

use serde::Deserialize;
use toml::Spanned;

/// The whole file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct FileSpec {
    pub name: Option<String>,
    #[allow(dead_code)]
    pub description: Option<String>,
    pub settings: Option<Spanned<SettingsSpec>>,
    #[serde(default)]
    pub programs: BTreeMap<String, Spanned<ProgramSpec>>,
    #[serde(default)]
    pub accounts: BTreeMap<String, Spanned<AccountSpec>>,
    #[serde(default)]
    pub transactions: Vec<Spanned<TxSpec>>,
    pub expect: Option<FinalExpectSpec>,
}

/// `[settings]`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct SettingsSpec {
    pub sigverify: Option<bool>,
    pub collect_logs: Option<bool>,
    pub max_call_depth: Option<usize>,
    pub max_instruction_trace_length: Option<usize>,
    pub units_per_instruction: Option<u64>,
    pub max_compute_units: Option<u64>,
    pub lamports_per_signature: Option<u64>,
    pub threads: Option<usize>,
}

/// A `u64` written as a TOML integer or, past `i64::MAX`, as a decimal string.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub(crate) enum U64Spec {
    Int(u64),
    Str(String),
}

/// Bytes: a string (`hex:…`, `utf8:…`, `@name`, `bump@name`, or plain
/// UTF-8), a list of byte values, or a table.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub(crate) enum BytesSpec {
    Str(String),
    List(Vec<u8>),
    Table(BytesTable),
}

/// The table forms of [`BytesSpec`].
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct BytesTable {
    pub zeroes: Option<usize>,
    pub repeat: Option<u8>,
    pub len: Option<usize>,
    pub hex: Option<String>,
    pub utf8: Option<String>,
}

/// A program: its kind, or its kind and an explicit id.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub(crate) enum ProgramSpec {
    Kind(String),
    Full(ProgramTable),
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ProgramTable {
    pub kind: String,
    pub id: Option<String>,
    /// `kind = "sbpf"`: the ELF file, relative to the scenario file.
    pub elf: Option<String>,
    /// `kind = "sbpf"`: `v2` (default), `v3` or `v4`.
    pub loader: Option<String>,
    /// `kind = "sbpf"`: an sBPF assembly file (in place of `elf`),
    /// relative to the scenario file, assembled at load.
    pub asm: Option<String>,
}

/// `[accounts.NAME]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct AccountSpec {
    pub key: Option<String>,
    pub pda: Option<PdaSpec>,
    pub lamports: Option<U64Spec>,
    pub owner: Option<String>,
    pub data: Option<BytesSpec>,
    #[serde(default)]
    pub executable: bool,
    pub rent_epoch: Option<u64>,
}

/// `pda = { program = "A", seeds = [...] }`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct PdaSpec {
    pub program: String,
    #[serde(default)]
    pub seeds: Vec<BytesSpec>,
}

/// One account of an instruction or an invoke: `"name"`, `"name:w"`,
/// `"name:s"`, `"name:sw"`, or a table.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub(crate) enum MetaSpec {
    Short(String),
    Full(MetaTable),
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct MetaTable {
    pub account: String,
    #[serde(default)]
    pub signer: bool,
    #[serde(default)]
    pub writable: bool,
    pub repeat: Option<usize>,
}

/// An account named by a script operation: an index or a name.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub(crate) enum AccRefSpec {
    Index(u16),
    Name(String),
}

/// System transfer shorthand.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct TransferSpec {
    pub from: String,
    pub to: String,
    pub lamports: U64Spec,
}

/// System allocate shorthand.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct AllocateSpec {
    pub account: String,
    pub space: u64,
}

/// System assign shorthand.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct AssignSpec {
    pub account: String,
    pub owner: String,
}

/// System create-account-with-seed shorthand.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct CreateWithSeedSpec {
    pub from: String,
    pub to: String,
    pub base: String,
    pub seed: String,
    pub lamports: U64Spec,
    pub space: u64,
    pub owner: String,
}

/// `[[transactions.instructions]]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct IxSpec {
    pub program: Option<String>,
    pub accounts: Option<Vec<MetaSpec>>,
    pub script: Option<Vec<OpSpec>>,
    pub data: Option<BytesSpec>,
    pub transfer: Option<TransferSpec>,
    pub allocate: Option<AllocateSpec>,
    pub assign: Option<AssignSpec>,
    pub create_account_with_seed: Option<CreateWithSeedSpec>,
    /// The calls of `scenarios/asm/invoke.s`, encoded as its data.
    pub cpi: Option<Vec<CpiSpec>>,
}

/// One call record of `scenarios/asm/invoke.s` (see `cpi.rs`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct CpiSpec {
    pub program: Option<String>,
    pub accounts: Option<Vec<MetaSpec>>,
    /// The account infos passed; by default one per distinct meta account.
    pub infos: Option<Vec<MetaSpec>>,
    pub data: Option<BytesSpec>,
    pub script: Option<Vec<OpSpec>>,
    /// A callee that is `invoke.s` too: its calls.
    pub cpi: Option<Vec<CpiSpec>>,
    pub transfer: Option<TransferSpec>,
    #[serde(default)]
    pub seeds: Vec<Vec<BytesSpec>>,
    #[serde(default)]
    pub pda_signers: Vec<String>,
    /// How many times to make the call (1).
    pub calls: Option<u8>,
    /// Set the callee's return data as the caller's own after each call.
    #[serde(default)]
    pub return_data: bool,
    /// Writes into the caller's accounts before the call.
    #[serde(default)]
    pub write: Vec<CpiBytesSpec>,
    /// Lamports moved in the caller's accounts before the call.
    #[serde(default)]
    pub credit: Vec<CpiLamportsSpec>,
    #[serde(default)]
    pub debit: Vec<CpiLamportsSpec>,
    /// Bytes the caller's accounts must hold after the calls.
    #[serde(default)]
    pub expect_data: Vec<CpiBytesSpec>,
}

/// `{ account, offset, bytes }` of a `cpi` write or check.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct CpiBytesSpec {
    pub account: String,
    #[serde(default)]
    pub offset: u32,
    pub bytes: BytesSpec,
}

/// `{ account, lamports }` of a `cpi` credit or debit.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct CpiLamportsSpec {
    pub account: String,
    pub lamports: u32,
}

/// A nested invoke of a script.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct InvokeSpec {
    pub program: Option<String>,
    #[serde(default)]
    pub accounts: Option<Vec<MetaSpec>>,
    #[serde(default)]
    pub seeds: Vec<Vec<BytesSpec>>,
    #[serde(default)]
    pub pda_signers: Vec<String>,
    pub script: Option<Vec<OpSpec>>,
    pub data: Option<BytesSpec>,
    pub transfer: Option<TransferSpec>,
    pub pad: Option<usize>,
    pub repeat: Option<usize>,
    /// For `try_invoke` only: the outcome expected.
    pub expect: Option<String>,
}

/// `authorized` / `deauthorized` of an `invoke_auth`: transaction accounts.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct AuthSpec {
    #[serde(default)]
    pub authorized: Vec<AccRefSpec>,
    #[serde(default)]
    pub deauthorized: Vec<AccRefSpec>,
}

/// An `invoke_auth` / `try_invoke_auth` of a script.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct InvokeAuthSpec {
    pub program: AccRefSpec,
    pub auth: Option<AuthSpec>,
    pub auth_raw: Option<BytesSpec>,
    pub script: Option<Vec<OpSpec>>,
    pub data: Option<BytesSpec>,
    pub expect: Option<String>,
    pub repeat: Option<usize>,
}

/// One operation of a script, tagged by `op`.
#[derive(Debug, Clone, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case", deny_unknown_fields)]
pub(crate) enum OpSpec {
    Write {
        account: AccRefSpec,
        #[serde(default)]
        offset: u64,
        bytes: BytesSpec,
    },
    Resize {
        account: AccRefSpec,
        len: u64,
    },
    Transfer {
        from: AccRefSpec,
        to: AccRefSpec,
        lamports: U64Spec,
    },
    Credit {
        account: AccRefSpec,
        lamports: U64Spec,
    },
    Debit {
        account: AccRefSpec,
        lamports: U64Spec,
    },
    SetReturnData {
        bytes: BytesSpec,
    },
    ExpectReturnData {
        program: String,
        bytes: BytesSpec,
    },
    Assign {
        account: AccRefSpec,
        owner: String,
    },
    SetExecutable {
        account: AccRefSpec,
    },
    Fail {
        code: u32,
    },
    Panic {},
    ConsumeUnits {
        units: u64,
    },
    BorrowTwice {
        a: AccRefSpec,
        b: AccRefSpec,
    },
    Log {
        text: String,
        repeat: Option<usize>,
    },
    Noop {
        len: usize,
    },
    Invoke(InvokeSpec),
    InvokeIgnoreError(InvokeSpec),
    ExpectData {
        account: AccRefSpec,
        #[serde(default)]
        offset: u64,
        bytes: BytesSpec,
    },
    ExpectLamports {
        account: AccRefSpec,
        lamports: U64Spec,
    },
    InvokeAuth(InvokeAuthSpec),
    TryInvokeAuth(InvokeAuthSpec),
    TryInvoke(InvokeSpec),
    ExitWithCode {
        code: u64,
    },
    Revert {
        code: u32,
    },
    ExpectAuthorized {
        account: AccRefSpec,
        expected: bool,
    },
}

/// `[[transactions]]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct TxSpec {
    pub name: Option<String>,
    pub payer: String,
    #[serde(default)]
    pub instructions: Vec<Spanned<IxSpec>>,
    pub expect: Option<Spanned<TxExpectSpec>>,
}

/// `[transactions.expect]`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct TxExpectSpec {
    pub status: Option<Spanned<String>>,
    pub fee: Option<Spanned<u64>>,
    pub units: Option<Spanned<u64>>,
    pub logs: Option<Spanned<Vec<String>>>,
    pub logs_contain: Option<Spanned<Vec<String>>>,
    pub return_data: Option<Spanned<ReturnDataSpec>>,
    /// `"none"` or the name of the program whose revert failed it.
    pub reverted_by: Option<Spanned<String>>,
    #[serde(default)]
    pub accounts: BTreeMap<String, Spanned<AccountExpectSpec>>,
}

/// `return_data = "none"` or `{ program = "A", data = … }`.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub(crate) enum ReturnDataSpec {
    None(String),
    Some(ReturnDataTable),
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ReturnDataTable {
    pub program: String,
    pub data: BytesSpec,
}

/// Expected state of one account.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct AccountExpectSpec {
    pub exists: Option<bool>,
    pub lamports: Option<U64Spec>,
    pub data: Option<BytesSpec>,
    pub data_len: Option<usize>,
    pub owner: Option<String>,
    pub executable: Option<bool>,
}

/// `[expect]`: the state after the last transaction.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct FinalExpectSpec {
    #[serde(default)]
    pub accounts: BTreeMap<String, Spanned<AccountExpectSpec>>,
}
