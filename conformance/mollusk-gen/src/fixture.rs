//! The fixture format (`baton-conformance/1`), documented in
//! `conformance/README.md`.
//!
//! One file holds one suite: a header (generator, target, programs,
//! environments) and its cases. Every case names the environment it ran in,
//! the instruction, the accounts given, and what Agave did.

use serde::{Deserialize, Serialize};

/// The format tag every fixture file carries.
pub const FORMAT: &str = "baton-conformance/1";

/// A whole fixture file.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct FixtureFile {
    /// Always [`FORMAT`].
    pub format: String,
    /// The suite's name (`system`, later `p-token`, `memo`, ...).
    pub suite: String,
    /// How the file was produced.
    pub generator: Generator,
    /// What the expected outcomes were computed with.
    pub target: Target,
    /// The programs the cases may invoke.
    pub programs: Vec<ProgramRef>,
    /// The environments the cases refer to by index.
    pub environments: Vec<Environment>,
    /// The cases.
    pub cases: Vec<Case>,
}

/// How the file was produced.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Generator {
    /// The generator's package name and version.
    pub name: String,
    /// The seed of the case generator's random stream.
    pub seed: u64,
    /// The command line that reproduces the file byte for byte.
    pub command: String,
}

/// The reference the outcomes come from.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Target {
    /// Agave release of the executing crates.
    pub agave: String,
    /// `mollusk-svm` release.
    pub mollusk_svm: String,
    /// How the feature set was built.
    pub feature_set: String,
    /// The `SVMFeatureSet` fields turned off (every other one is on).
    pub disabled_features: Vec<String>,
    /// Anything else a replayer must know about the harness.
    pub notes: Vec<String>,
}

/// A program the cases invoke.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ProgramRef {
    /// Program id, base58.
    pub id: String,
    /// `builtin` (compiled into the validator) or `sbpf` (an ELF).
    pub kind: String,
    /// Human name.
    pub name: String,
    /// Owning loader, base58 (`sbpf` programs).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub loader: Option<String>,
    /// ELF path relative to the fixture file (`sbpf` programs).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub elf: Option<String>,
    /// SHA-256 of the ELF, hex (`sbpf` programs).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub elf_sha256: Option<String>,
}

/// Everything outside the accounts that execution may read.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Environment {
    /// The slot (also `clock.slot`).
    pub slot: u64,
    /// The Clock sysvar.
    pub clock: ClockEnv,
    /// The Rent sysvar.
    pub rent: RentEnv,
    /// The blockhash the runtime hands to the instruction (Agave's
    /// `EnvironmentConfig::blockhash`): durable nonces are derived from it.
    pub blockhash: String,
    /// The lamports per signature recorded with `blockhash` (stored in a
    /// nonce account's fee calculator).
    pub lamports_per_signature: u64,
    /// The RecentBlockhashes sysvar, newest first.
    pub recent_blockhashes: Vec<RecentBlockhash>,
    /// Compute units the instruction may consume.
    pub compute_unit_limit: u64,
}

/// The Clock sysvar.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ClockEnv {
    /// Current slot.
    pub slot: u64,
    /// Timestamp of the epoch's first slot.
    pub epoch_start_timestamp: i64,
    /// Current epoch.
    pub epoch: u64,
    /// Epoch of the known leader schedule.
    pub leader_schedule_epoch: u64,
    /// Estimated time of the slot.
    pub unix_timestamp: i64,
}

/// The Rent sysvar.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RentEnv {
    /// Lamports per byte (per byte-year in the pre-SIMD-0194 reading).
    pub lamports_per_byte_year: u64,
    /// Exemption threshold (1.0 under SIMD-0194).
    pub exemption_threshold: f64,
    /// Burn percent.
    pub burn_percent: u8,
    /// The sysvar account's 17 bytes, hex.
    pub sysvar_data: String,
}

/// One RecentBlockhashes entry.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RecentBlockhash {
    /// The blockhash, base58.
    pub blockhash: String,
    /// Its fee rate.
    pub lamports_per_signature: u64,
}

/// One case.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Case {
    /// Unique name: `<kind>/<index>` then the variations applied.
    pub name: String,
    /// The instruction kind as decoded from the valid form of the data
    /// (`Invalid` for data built to be undecodable).
    pub kind: String,
    /// Index into the file's `environments`.
    pub env: usize,
    /// The instruction.
    pub instruction: InstructionRef,
    /// The accounts given to the instruction, in order.
    pub accounts: Vec<AccountState>,
    /// What Agave did.
    pub expected: Expected,
}

/// An instruction.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct InstructionRef {
    /// Program id, base58.
    pub program_id: String,
    /// The account metas, in order.
    pub accounts: Vec<Meta>,
    /// Instruction data, hex.
    pub data: String,
}

/// An account meta.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Meta {
    /// Key, base58.
    pub pubkey: String,
    /// Signer flag (absent: false).
    #[serde(default, skip_serializing_if = "is_false")]
    pub signer: bool,
    /// Writable flag (absent: false).
    #[serde(default, skip_serializing_if = "is_false")]
    pub writable: bool,
}

/// An account's state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountState {
    /// Key, base58.
    pub pubkey: String,
    /// Balance.
    pub lamports: u64,
    /// Data up to its last non-zero byte, hex; the bytes from there to
    /// `data_len` are zero (absent: empty).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub data: String,
    /// Data length (absent: 0).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub data_len: usize,
    /// Owner, base58.
    pub owner: String,
    /// Executable flag (absent: false).
    #[serde(default, skip_serializing_if = "is_false")]
    pub executable: bool,
    /// Rent epoch (absent: 0).
    #[serde(default, skip_serializing_if = "is_zero_u64")]
    pub rent_epoch: u64,
}

/// The outcome.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Expected {
    /// `Ok`, or the `InstructionError` as Agave's `Debug` prints it
    /// (`MissingAccount`, `Custom(1)`).
    pub result: String,
    /// Compute units consumed.
    pub compute_units: u64,
    /// The accounts whose state differs from the input, in input order;
    /// every other input account is unchanged.
    pub changed_accounts: Vec<AccountState>,
    /// Return data, hex; absent when none was set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub return_data: Option<String>,
    /// The log lines.
    pub logs: Vec<String>,
}

/// Encode account data as [`AccountState::data`] and `data_len`.
pub fn encode_data(data: &[u8]) -> (String, usize) {
    let end = data.iter().rposition(|b| *b != 0).map_or(0, |i| i + 1);
    (hex::encode(&data[..end]), data.len())
}

fn is_false(b: &bool) -> bool {
    !*b
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

fn is_zero_u64(n: &u64) -> bool {
    *n == 0
}
