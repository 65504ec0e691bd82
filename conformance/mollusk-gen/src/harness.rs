//! Mollusk set up for the conformance target, and one case through it.

#![allow(deprecated)] // RecentBlockhashes is deprecated in the SDK, live in Agave 4.2.

use std::panic::{catch_unwind, AssertUnwindSafe};

use mollusk_svm::Mollusk;
use solana_account::Account;
use solana_hash::Hash;
use solana_instruction::Instruction;
use solana_pubkey::Pubkey;
use solana_svm_feature_set::SVMFeatureSet;
use solana_svm_log_collector::LogCollector;
use solana_sysvar::recent_blockhashes::{IterItem, RecentBlockhashes};

use crate::fixture::{
    encode_data, AccountState, ClockEnv, Environment, Expected, InstructionRef, Meta,
    RecentBlockhash, RentEnv, Target,
};

/// The `SVMFeatureSet` fields the target turns off: the memory features of
/// Mollusk's copy profile (`shared/docs/cpi-semantics.md` §0).
pub const DISABLED_FEATURES: [&str; 4] = [
    "virtual_address_space_adjustments",
    "account_data_direct_mapping",
    "direct_account_pointers_in_program_input",
    "raise_cpi_nesting_limit_to_8",
];

/// Mollusk hard-codes the blockhash of its `EnvironmentConfig`.
pub const ENV_BLOCKHASH: Hash = Hash::new_from_array([0; 32]);
/// And the lamports per signature recorded with it.
pub const ENV_LAMPORTS_PER_SIGNATURE: u64 = 5_000;

/// The target's feature set: everything on but [`DISABLED_FEATURES`].
pub fn target_feature_set() -> SVMFeatureSet {
    let mut fs = SVMFeatureSet::all_enabled();
    fs.virtual_address_space_adjustments = false;
    fs.account_data_direct_mapping = false;
    fs.direct_account_pointers_in_program_input = false;
    fs.raise_cpi_nesting_limit_to_8 = false;
    fs
}

/// The target description written into every fixture file.
pub fn target() -> Target {
    Target {
        agave: "4.2.2".into(),
        mollusk_svm: "0.15.1".into(),
        feature_set: "SVMFeatureSet::all_enabled() minus disabled_features".into(),
        disabled_features: DISABLED_FEATURES.iter().map(|s| s.to_string()).collect(),
        notes: vec![
            "Mollusk::default() otherwise: ComputeBudget::new_with_defaults(true) but for \
             compute_unit_limit (per environment), sysvars as in each environment, a log \
             collector attached (it changes no result)"
                .into(),
            "Mollusk::process_instruction: one legacy message with no fee payer, the \
             instruction's metas merged per key (signer/writable OR-ed), the invoked \
             program id demoted to read-only; no fee, no rent-state check; on failure \
             every account is left as given"
                .into(),
            "the instruction's program account is a stub (executable, loader-owned, no \
             lamports) unless given"
                .into(),
        ],
    }
}

/// The blockhashes a generator may put in RecentBlockhashes.
pub fn hash_b58(h: &Hash) -> String {
    bs58::encode(h.as_ref()).into_string()
}

/// A Mollusk for one environment.
pub struct Harness {
    mollusk: Mollusk,
}

impl Harness {
    /// Mollusk configured as `env` says. The environment's `rent`, `blockhash`
    /// and `lamports_per_signature` must be Mollusk's (see [`default_env`]).
    pub fn new(env: &Environment) -> Self {
        let mut mollusk = Mollusk {
            feature_set: target_feature_set(),
            ..Mollusk::default()
        };
        mollusk.compute_budget.compute_unit_limit = env.compute_unit_limit;
        let c = &env.clock;
        mollusk.sysvars.clock = solana_clock::Clock {
            slot: c.slot,
            epoch_start_timestamp: c.epoch_start_timestamp,
            epoch: c.epoch,
            leader_schedule_epoch: c.leader_schedule_epoch,
            unix_timestamp: c.unix_timestamp,
        };
        let hashes: Vec<Hash> = env
            .recent_blockhashes
            .iter()
            .map(|r| parse_hash(&r.blockhash))
            .collect();
        mollusk.sysvars.recent_blockhashes = env
            .recent_blockhashes
            .iter()
            .zip(&hashes)
            .enumerate()
            .map(|(i, (r, h))| IterItem(i as u64, h, r.lamports_per_signature))
            .collect::<RecentBlockhashes>();
        Self { mollusk }
    }

    /// The sysvar accounts of this environment, as Mollusk builds them.
    pub fn recent_blockhashes_account(&self) -> (Pubkey, Account) {
        self.mollusk
            .sysvars
            .keyed_account_for_recent_blockhashes_sysvar()
    }

    /// The Rent sysvar account.
    pub fn rent_account(&self) -> (Pubkey, Account) {
        self.mollusk.sysvars.keyed_account_for_rent_sysvar()
    }

    /// The Clock sysvar account.
    pub fn clock_account(&self) -> (Pubkey, Account) {
        self.mollusk.sysvars.keyed_account_for_clock_sysvar()
    }

    /// The rent-exempt minimum of `len` bytes.
    pub fn minimum_balance(&self, len: usize) -> u64 {
        self.mollusk.sysvars.rent.minimum_balance(len)
    }

    /// Run one instruction; `None` if Mollusk panicked (a case the harness
    /// cannot express, dropped by the generator).
    pub fn run(&mut self, ix: &Instruction, accounts: &[(Pubkey, Account)]) -> Option<Expected> {
        let logger = LogCollector::new_ref();
        self.mollusk.logger = Some(logger.clone());
        let mollusk = &self.mollusk;
        let r = catch_unwind(AssertUnwindSafe(|| {
            mollusk.process_instruction(ix, accounts)
        }))
        .ok()?;
        let logs = logger.borrow().get_recorded_content().to_vec();
        let result = match &r.raw_result {
            Ok(()) => "Ok".to_string(),
            Err(e) => format!("{e:?}"),
        };
        let changed_accounts = r
            .resulting_accounts
            .iter()
            .zip(accounts)
            .filter(|(after, before)| after != before)
            .map(|(after, _)| account_state(&after.0, &after.1))
            .collect();
        Some(Expected {
            result,
            compute_units: r.compute_units_consumed,
            changed_accounts,
            return_data: (!r.return_data.is_empty()).then(|| hex::encode(&r.return_data)),
            logs,
        })
    }
}

/// An account as the fixture writes it.
pub fn account_state(key: &Pubkey, a: &Account) -> AccountState {
    let (data, data_len) = encode_data(&a.data);
    AccountState {
        pubkey: key.to_string(),
        lamports: a.lamports,
        data,
        data_len,
        owner: a.owner.to_string(),
        executable: a.executable,
        rent_epoch: a.rent_epoch,
    }
}

fn parse_hash(s: &str) -> Hash {
    let mut b = [0u8; 32];
    let v = bs58::decode(s).into_vec().unwrap_or_default();
    let n = v.len().min(32);
    b[..n].copy_from_slice(&v[..n]);
    Hash::new_from_array(b)
}

/// `ix` as a fixture records it, under `program_id`.
pub fn instruction_ref(program_id: &Pubkey, ix: &Instruction) -> InstructionRef {
    InstructionRef {
        program_id: program_id.to_string(),
        accounts: ix
            .accounts
            .iter()
            .map(|m| Meta {
                pubkey: m.pubkey.to_string(),
                signer: m.is_signer,
                writable: m.is_writable,
            })
            .collect(),
        data: hex::encode(&ix.data),
    }
}

/// An environment with Mollusk's defaults (clock at slot 0, Rent of
/// SIMD-0194) and the given blockhashes and compute limit.
pub fn default_env(recent: &[(Hash, u64)], compute_unit_limit: u64, slot: u64) -> Environment {
    let m = Mollusk::default();
    let rent = &m.sysvars.rent;
    let rent_bytes = bincode::serialize(rent).unwrap_or_default();
    let threshold_bytes: [u8; 8] = rent_bytes
        .get(8..16)
        .and_then(|s| s.try_into().ok())
        .unwrap_or_default();
    Environment {
        slot,
        clock: ClockEnv {
            slot,
            epoch_start_timestamp: 0,
            epoch: 0,
            leader_schedule_epoch: 0,
            unix_timestamp: 0,
        },
        rent: RentEnv {
            lamports_per_byte_year: rent.lamports_per_byte,
            exemption_threshold: f64::from_le_bytes(threshold_bytes),
            burn_percent: rent_bytes.get(16).copied().unwrap_or_default(),
            sysvar_data: hex::encode(&rent_bytes),
        },
        blockhash: hash_b58(&ENV_BLOCKHASH),
        lamports_per_signature: ENV_LAMPORTS_PER_SIGNATURE,
        recent_blockhashes: recent
            .iter()
            .map(|(h, lps)| RecentBlockhash {
                blockhash: hash_b58(h),
                lamports_per_signature: *lps,
            })
            .collect(),
        compute_unit_limit,
    }
}
