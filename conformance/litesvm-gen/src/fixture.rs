//! The fixture format `baton-litesvm/1`: scenarios of transactions against
//! a starting state, with the outcome of each as LiteSVM (or, for a marked
//! transaction, Agave) gives it. Described in `conformance/README.md`.

use serde::{Deserialize, Serialize};

/// The format this generator writes.
pub const FORMAT: &str = "baton-litesvm/1";

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct FixtureFile {
    pub format: String,
    pub suite: String,
    pub generator: Generator,
    pub target: Target,
    /// sBPF programs the scenarios invoke besides the runtime's builtins.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub programs: Vec<ProgramEntry>,
    pub scenarios: Vec<Scenario>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Generator {
    pub name: String,
    pub seed: u64,
    pub command: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Target {
    pub litesvm: String,
    pub agave: String,
    pub feature_set: String,
    pub lamports_per_signature: u64,
    pub notes: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ProgramEntry {
    pub id: String,
    pub name: String,
    pub loader: String,
    /// The ELF, relative to the repository root, when the replayer must
    /// deploy it at `id` under `loader`; absent: the runtime has it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub elf: Option<String>,
    /// SHA-256 of the ELF LiteSVM ran.
    pub elf_sha256: String,
}

/// A sequence of steps against a starting state.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Scenario {
    pub name: String,
    /// The Clock slot when the scenario starts.
    pub slot: u64,
    /// The only blockhash LiteSVM accepts (Baton's genesis blockhash).
    pub blockhash: String,
    /// Signature checks on (the history check with them, in LiteSVM).
    pub sigverify: bool,
    /// SlotHashes at the start (see [`SlotHashesSpec`]); absent: none set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub slot_hashes: Option<SlotHashesSpec>,
    /// Accounts set before the first step.
    pub accounts: Vec<AccountState>,
    pub steps: Vec<Step>,
}

/// SlotHashes as Agave keeps it at slot `newest + 1` on a chain that
/// produced every slot: the `count` slots `newest`, `newest - 1`, ... with
/// the hash of slot `s` equal to `sha256("baton slot hash" || s as u64
/// little-endian)` (Baton's stand-in for a bank hash).
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
pub struct SlotHashesSpec {
    pub newest: u64,
    pub count: u64,
}

/// One step: a transaction, or a clock move.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Step {
    /// Move the Clock to `slot`, and SlotHashes to `slot_hashes` when given.
    Warp {
        slot: u64,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        slot_hashes: Option<SlotHashesSpec>,
    },
    Tx(Box<TxCase>),
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TxCase {
    pub name: String,
    /// legacy, v0, v0-lookups; cb-limit, cb-price, ...; ok or fail.
    pub tags: Vec<String>,
    /// The transaction as sent: its wire bytes, base64.
    pub wire: String,
    pub expected: Outcome,
    /// Present when `expected` is Agave's rule and LiteSVM gives something
    /// else: why, and what LiteSVM gave.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agave_rule: Option<AgaveRule>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AgaveRule {
    pub reason: String,
    pub litesvm: Outcome,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Outcome {
    /// "Ok" or the TransactionError as Debug prints it.
    pub status: String,
    pub fee: u64,
    pub compute_units: u64,
    pub logs: Vec<String>,
    /// After the transaction: every non-executable, non-sysvar account the
    /// message names (static and looked-up keys), in message order.
    pub accounts: Vec<AccountState>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct AccountState {
    pub pubkey: String,
    /// 0 with everything else default: the account does not exist.
    pub lamports: u64,
    /// Hex, up to the last non-zero byte; zeros follow up to `data_len`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub data: String,
    #[serde(default, skip_serializing_if = "is_zero")]
    pub data_len: u64,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub owner: String,
    #[serde(default, skip_serializing_if = "is_false")]
    pub executable: bool,
    #[serde(default, skip_serializing_if = "is_zero")]
    pub rent_epoch: u64,
}

fn is_false(b: &bool) -> bool {
    !*b
}

fn is_zero(n: &u64) -> bool {
    *n == 0
}

/// The file as JSON: the header pretty-printed, one scenario per line.
pub fn to_json(f: &FixtureFile) -> Result<String, serde_json::Error> {
    let mut header = f.clone();
    header.scenarios.clear();
    conformance_gen_common::cases_per_line(&header, "scenarios", &f.scenarios)
}
