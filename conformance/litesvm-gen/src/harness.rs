//! LiteSVM set up for a scenario, one transaction run and recorded, and
//! the marked transactions where the fixture records Agave's rule instead.

use std::collections::HashSet;

use base64::Engine as _;
use litesvm::LiteSVM;
use solana_account::Account;
use solana_address_lookup_table_interface::state::AddressLookupTable;
use solana_clock::Clock;
use solana_hash::Hash;
use solana_pubkey::Pubkey;
use solana_slot_hashes::SlotHashes;
use solana_transaction::versioned::VersionedTransaction;

use crate::fixture::{AccountState, AgaveRule, Outcome, Scenario, SlotHashesSpec, Step, TxCase};

/// Baton's genesis blockhash (`baton::genesis_blockhash()`): the one
/// blockhash every scenario signs with, so that Baton, which starts from
/// it, accepts what LiteSVM accepted.
pub fn baton_genesis_blockhash() -> Hash {
    Hash::new_from_array(solana_sha256_hasher::hashv(&[b"baton genesis"]).to_bytes())
}

/// The hash the fixtures give slot `slot` in SlotHashes (Baton's stand-in
/// for a bank hash, `SlotHashes::stand_in_hash`).
pub fn slot_hash(slot: u64) -> Hash {
    Hash::new_from_array(
        solana_sha256_hasher::hashv(&[b"baton slot hash", &slot.to_le_bytes()]).to_bytes(),
    )
}

/// SlotHashes as `spec` describes it.
pub fn slot_hashes(spec: SlotHashesSpec) -> SlotHashes {
    let entries: Vec<(u64, Hash)> = (0..spec.count)
        .filter_map(|i| spec.newest.checked_sub(i))
        .map(|s| (s, slot_hash(s)))
        .collect();
    SlotHashes::new(&entries)
}

/// SlotHashes as Agave has it at `slot` on a chain that produced every
/// slot: the 512 slots before it (fewer near slot 0).
pub fn agave_slot_hashes(slot: u64) -> SlotHashesSpec {
    SlotHashesSpec {
        newest: slot.saturating_sub(1),
        count: slot.min(512),
    }
}

pub fn state_of(key: &Pubkey, a: Option<&Account>) -> AccountState {
    match a {
        Some(a) if a.lamports > 0 => AccountState {
            pubkey: key.to_string(),
            lamports: a.lamports,
            data: {
                let end = a.data.iter().rposition(|b| *b != 0).map_or(0, |i| i + 1);
                hex::encode(&a.data[..end])
            },
            data_len: a.data.len() as u64,
            owner: a.owner.to_string(),
            executable: a.executable,
            rent_epoch: a.rent_epoch,
        },
        _ => AccountState {
            pubkey: key.to_string(),
            lamports: 0,
            data: String::new(),
            data_len: 0,
            owner: String::new(),
            executable: false,
            rent_epoch: 0,
        },
    }
}

pub fn account_of(s: &AccountState) -> Account {
    Account {
        lamports: s.lamports,
        data: {
            let mut d = hex::decode(&s.data).unwrap_or_default();
            d.resize(s.data_len as usize, 0);
            d
        },
        owner: s.owner.parse().unwrap_or_default(),
        executable: s.executable,
        rent_epoch: s.rent_epoch,
    }
}

/// A scenario being built: LiteSVM and the steps recorded so far.
pub struct Harness {
    pub svm: LiteSVM,
    pub scenario: Scenario,
    /// Keep SlotHashes as Agave would (on every warp); when false,
    /// LiteSVM's stays as it was (frozen), while the fixture still records
    /// Agave's.
    pub track_slot_hashes: bool,
    /// The fee LiteSVM reported for the last transaction run, charged or not.
    pub last_raw_fee: u64,
}

impl Harness {
    /// LiteSVM as `LiteSVM::new()` builds it (mainnet features, builtins,
    /// default programs, sysvars, signature, blockhash and history checks
    /// on), with `sigverify` and Baton's genesis blockhash.
    pub fn new(name: &str, sigverify: bool) -> Self {
        let mut svm = LiteSVM::new().with_sigverify(sigverify);
        let blockhash = baton_genesis_blockhash();
        svm.set_latest_blockhash(blockhash);
        let slot = svm.get_sysvar::<Clock>().slot;
        Self {
            svm,
            scenario: Scenario {
                name: name.to_string(),
                slot,
                blockhash: blockhash.to_string(),
                sigverify,
                slot_hashes: None,
                accounts: Vec::new(),
                steps: Vec::new(),
            },
            track_slot_hashes: true,
            last_raw_fee: 0,
        }
    }

    pub fn slot(&self) -> u64 {
        self.svm.get_sysvar::<Clock>().slot
    }

    /// Set SlotHashes at the start (before any step).
    pub fn start_slot_hashes(&mut self, spec: SlotHashesSpec) {
        self.svm.set_sysvar(&slot_hashes(spec));
        self.scenario.slot_hashes = Some(spec);
    }

    /// Give `key` the account `a` before the first step.
    pub fn set(&mut self, key: Pubkey, a: Account) {
        assert!(
            self.scenario.steps.is_empty(),
            "accounts are set before the steps"
        );
        self.scenario.accounts.push(state_of(&key, Some(&a)));
        self.svm
            .set_account(key, a)
            .unwrap_or_else(|e| panic!("set_account {key}: {e:?}"));
    }

    /// Move the clock to `slot`, and SlotHashes with it.
    pub fn warp(&mut self, slot: u64) {
        self.svm.warp_to_slot(slot);
        let spec = agave_slot_hashes(slot);
        if self.track_slot_hashes {
            self.svm.set_sysvar(&slot_hashes(spec));
        }
        self.scenario.steps.push(Step::Warp {
            slot,
            slot_hashes: Some(spec),
        });
    }

    /// Every key `tx` names (static, then looked up through the tables as
    /// they are now), in message order; unresolvable lookups are skipped.
    pub fn keys_of(&self, tx: &VersionedTransaction) -> Vec<Pubkey> {
        let mut keys: Vec<Pubkey> = tx.message.static_account_keys().to_vec();
        if let Some(lookups) = tx.message.address_table_lookups() {
            let mut tables = Vec::new();
            for l in lookups {
                let Some(acct) = self.svm.get_account(&l.account_key) else {
                    continue;
                };
                let Ok(t) = AddressLookupTable::deserialize(&acct.data) else {
                    continue;
                };
                let addrs = t.addresses.to_vec();
                tables.push((
                    addrs,
                    l.writable_indexes.clone(),
                    l.readonly_indexes.clone(),
                ));
            }
            for pick in [0, 1] {
                for (addrs, w, r) in &tables {
                    let idx = if pick == 0 { w } else { r };
                    keys.extend(idx.iter().filter_map(|&i| addrs.get(i as usize).copied()));
                }
            }
        }
        let mut seen = HashSet::new();
        keys.retain(|k| seen.insert(*k));
        keys
    }

    /// The accounts a fixture records after a transaction naming `keys`:
    /// all but programs, sysvars and the native loader's accounts.
    pub fn record(&self, keys: &[Pubkey]) -> Vec<AccountState> {
        keys.iter()
            .filter_map(|k| {
                let a = self.svm.get_account(k);
                if let Some(a) = &a {
                    if a.executable
                        || a.owner == solana_sdk_ids::sysvar::id()
                        || a.owner == solana_sdk_ids::native_loader::id()
                    {
                        return None;
                    }
                }
                Some(state_of(k, a.as_ref()))
            })
            .collect()
    }

    /// Send `tx` through LiteSVM and return what it gave: the fee is the
    /// one charged (0 when LiteSVM did not include the transaction).
    pub fn run(&mut self, tx: &VersionedTransaction) -> Outcome {
        let keys = self.keys_of(tx);
        let sig = tx.signatures.first().copied().unwrap_or_default();
        let before = self.svm.get_transaction(&sig).is_some();
        let r = self.svm.send_transaction(tx.clone());
        let included = !before && self.svm.get_transaction(&sig).is_some();
        let (status, meta) = match r {
            Ok(meta) => ("Ok".to_string(), meta),
            Err(f) => (format!("{:?}", f.err), f.meta),
        };
        self.last_raw_fee = meta.fee;
        Outcome {
            status,
            fee: if included { meta.fee } else { 0 },
            compute_units: meta.compute_units_consumed,
            logs: meta.logs,
            accounts: self.record(&keys),
        }
    }

    /// Run `tx` and record LiteSVM's outcome as the expected one.
    pub fn tx(&mut self, name: &str, tags: &[&str], tx: &VersionedTransaction) -> Outcome {
        let out = self.run(tx);
        self.push(name, tags, tx, out.clone(), None);
        out
    }

    /// Run `tx`; record `agave` (Agave's outcome, computed by the caller
    /// from LiteSVM's and the state before) as the expected one, LiteSVM's
    /// beside it with `reason`, and bring LiteSVM's accounts to Agave's
    /// result so that the next steps start from the state Agave has.
    pub fn tx_agave(
        &mut self,
        name: &str,
        tags: &[&str],
        tx: &VersionedTransaction,
        reason: &str,
        agave: impl FnOnce(&Self, &Outcome, u64) -> Outcome,
    ) -> Outcome {
        let (lite, raw_fee) = self.run_on_copy(tx);
        let expected = agave(self, &lite, raw_fee);
        assert_ne!(
            lite, expected,
            "{name}: marked, yet LiteSVM agrees with Agave"
        );
        // Apply Agave's result to LiteSVM's state.
        let _ = self.run(tx);
        for s in &expected.accounts {
            let key: Pubkey = s.pubkey.parse().unwrap_or_default();
            self.svm
                .set_account(key, account_of(s))
                .unwrap_or_else(|e| panic!("set_account {key}: {e:?}"));
        }
        let rule = AgaveRule {
            reason: reason.to_string(),
            litesvm: lite,
        };
        self.push(name, tags, tx, expected.clone(), Some(rule));
        expected
    }

    /// What `tx` gives on a copy of LiteSVM (this one unchanged), and the
    /// fee LiteSVM computed for it.
    pub fn run_on_copy(&self, tx: &VersionedTransaction) -> (Outcome, u64) {
        self.run_on_copy_with(tx, |_| {})
    }

    /// [`Harness::run_on_copy`] after `prepare` changed the copy.
    pub fn run_on_copy_with(
        &self,
        tx: &VersionedTransaction,
        prepare: impl FnOnce(&mut LiteSVM),
    ) -> (Outcome, u64) {
        // A cloned history has the capacity of its length (none when
        // empty, which turns it off): give the copy room, so that a
        // transaction it includes is recorded as in the original.
        let mut copy = Harness {
            svm: self.svm.clone().with_transaction_history(1_024),
            scenario: Scenario {
                steps: Vec::new(),
                ..self.scenario.clone()
            },
            track_slot_hashes: self.track_slot_hashes,
            last_raw_fee: 0,
        };
        prepare(&mut copy.svm);
        let out = copy.run(tx);
        (out, copy.last_raw_fee)
    }

    /// The state before a transaction, as recorded after one.
    pub fn pre_state(&self, tx: &VersionedTransaction) -> Vec<AccountState> {
        self.record(&self.keys_of(tx))
    }

    fn push(
        &mut self,
        name: &str,
        tags: &[&str],
        tx: &VersionedTransaction,
        expected: Outcome,
        agave_rule: Option<AgaveRule>,
    ) {
        let wire = wire_bytes(tx);
        self.scenario.steps.push(Step::Tx(Box::new(TxCase {
            name: name.to_string(),
            tags: tags.iter().map(|t| t.to_string()).collect(),
            wire: base64::engine::general_purpose::STANDARD.encode(wire),
            expected,
            agave_rule,
        })));
    }

    pub fn finish(self) -> Scenario {
        self.scenario
    }
}

/// Agave's outcome for a transaction that fails to load after its fee
/// payer was validated (SIMD-0082 fees-only): `status`, the fee charged to
/// the payer (its first key), nothing run, no logs, no units, nothing else
/// changed.
pub fn fees_only(pre: &[AccountState], payer: &Pubkey, fee: u64, status: &str) -> Outcome {
    let accounts = pre
        .iter()
        .map(|s| {
            let mut s = s.clone();
            if s.pubkey == payer.to_string() {
                s.lamports -= fee;
            }
            s
        })
        .collect();
    Outcome {
        status: status.to_string(),
        fee,
        compute_units: 0,
        logs: Vec::new(),
        accounts,
    }
}

/// `tx` in the wire format: a compact-u16 count of signatures, the
/// signatures, the message.
pub fn wire_bytes(tx: &VersionedTransaction) -> Vec<u8> {
    let mut out = Vec::new();
    let mut n = tx.signatures.len();
    loop {
        let byte = (n & 0x7f) as u8;
        n >>= 7;
        if n == 0 {
            out.push(byte);
            break;
        }
        out.push(byte | 0x80);
    }
    for s in &tx.signatures {
        out.extend_from_slice(s.as_ref());
    }
    out.extend_from_slice(&tx.message.serialize());
    out
}
