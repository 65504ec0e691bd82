//! Running a scenario and comparing what happened with what it expects.

use std::collections::HashMap;
use std::fmt;

use baton_types::{Account, Hash, Keypair, Message, Pubkey, Signature, Transaction};
use serde_json::{json, Value};

use crate::build::{Scenario, TxPlan};
use crate::resolve::AccountExpect;
use crate::{ErrorKind, ScenarioError};
use baton::Runtime;

/// Data longer than this is reported by length and SHA-256, not in hex.
const MAX_REPORTED_DATA: usize = 1024;

/// One expectation that did not hold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mismatch {
    /// The transaction (`transaction 2 (name)`), or `None` for the final state.
    pub transaction: Option<String>,
    /// The account, for an account expectation.
    pub account: Option<String>,
    /// The field: `status`, `fee`, `units`, `logs`, `logs_contain`,
    /// `return_data`, `exists`, `lamports`, `data`, `data_len`, `owner`,
    /// `executable`.
    pub field: String,
    /// What the file expects.
    pub expected: String,
    /// What happened.
    pub actual: String,
    /// The 1-based line in the file of the expectation (the field, or the
    /// account's entry), when the scenario came from text.
    pub line: Option<usize>,
    /// For `logs`: expected against got, line by line, each line marked
    /// `  ` (both), `- ` (expected only) or `+ ` (got only), unchanged runs
    /// far from a change folded; empty otherwise.
    pub diff: Vec<String>,
}

impl Mismatch {
    /// The mismatch as reported by `baton run`: `ORIGIN:LINE: ` (or
    /// `ORIGIN: ` without a line) before its [`Display`](fmt::Display) form.
    pub fn located(&self, origin: &str) -> String {
        match self.line {
            Some(l) => format!("{origin}:{l}: {self}"),
            None => format!("{origin}: {self}"),
        }
    }
}

impl fmt::Display for Mismatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.transaction {
            Some(t) => write!(f, "{t}")?,
            None => write!(f, "final state")?,
        }
        if let Some(a) = &self.account {
            write!(f, ", account '{a}'")?;
        }
        if self.diff.is_empty() {
            return write!(
                f,
                ", {}: expected {}, got {}",
                self.field, self.expected, self.actual
            );
        }
        write!(f, ", {} differ (- expected, + got):", self.field)?;
        for l in &self.diff {
            write!(f, "\n    {l}")?;
        }
        Ok(())
    }
}

/// What one transaction did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TxReport {
    /// `transaction N` or `transaction N (name)`.
    pub label: String,
    /// `Ok` or the error's `Debug` form, e.g. `InstructionError(0, PrivilegeEscalation)`.
    pub status: String,
    /// Lamports charged.
    pub fee: u64,
    /// Compute units consumed.
    pub units: u64,
    /// Log lines.
    pub logs: Vec<String>,
    /// Return data: the program that set it and the bytes.
    pub return_data: Option<(Pubkey, Vec<u8>)>,
    /// The program whose revert failed the transaction (semantics.md §8).
    pub reverted_by: Option<Pubkey>,
}

/// What running a scenario produced: per-transaction results, the final
/// state of its declared accounts, and the expectations that failed.
#[derive(Debug, Clone)]
pub struct Report {
    /// Where the scenario came from.
    pub origin: String,
    /// The scenario's name.
    pub name: String,
    /// One per transaction, in order.
    pub transactions: Vec<TxReport>,
    /// The declared accounts after the last transaction (`None`: absent).
    pub accounts: Vec<(String, Pubkey, Option<Account>)>,
    /// Expectations that did not hold; empty when the scenario passes.
    pub mismatches: Vec<Mismatch>,
    names: HashMap<Pubkey, String>,
}

impl Report {
    /// Whether every expectation held.
    pub fn passed(&self) -> bool {
        self.mismatches.is_empty()
    }

    fn key_name(&self, k: &Pubkey) -> String {
        self.names.get(k).cloned().unwrap_or_else(|| k.to_string())
    }

    /// The report as JSON: `file`, `name`, `passed`, `transactions`
    /// (status, fee, units, logs, return data), `accounts` (final state by
    /// name) and `mismatches`.
    pub fn to_json(&self) -> Value {
        let txs: Vec<Value> = self
            .transactions
            .iter()
            .map(|t| {
                json!({
                    "transaction": t.label,
                    "status": t.status,
                    "fee": t.fee,
                    "units": t.units,
                    "logs": t.logs,
                    "return_data": t.return_data.as_ref().map(|(p, d)| json!({
                        "program": self.key_name(p),
                        "data": data_json(d),
                    })),
                    "reverted_by": t.reverted_by.as_ref().map(|p| self.key_name(p)),
                })
            })
            .collect();
        let mut accounts = serde_json::Map::new();
        for (name, key, acc) in &self.accounts {
            let v = match acc {
                None => json!({ "key": key.to_string(), "exists": false }),
                Some(a) => {
                    let mut m = serde_json::Map::new();
                    m.insert("key".into(), json!(key.to_string()));
                    m.insert("lamports".into(), json!(a.lamports));
                    m.insert("owner".into(), json!(self.key_name(&a.owner)));
                    m.insert("executable".into(), json!(a.executable));
                    m.insert("data_len".into(), json!(a.data.len()));
                    if let Value::Object(d) = data_json(&a.data) {
                        m.extend(d);
                    }
                    Value::Object(m)
                }
            };
            accounts.insert(name.clone(), v);
        }
        json!({
            "file": self.origin,
            "name": self.name,
            "passed": self.passed(),
            "transactions": txs,
            "accounts": accounts,
            "mismatches": self.mismatches.iter().map(|m| {
                let mut v = json!({
                    "transaction": m.transaction,
                    "account": m.account,
                    "field": m.field,
                    "line": m.line,
                    "expected": m.expected,
                    "actual": m.actual,
                });
                if let (false, Some(obj)) = (m.diff.is_empty(), v.as_object_mut()) {
                    obj.insert("diff".into(), json!(m.diff));
                }
                v
            }).collect::<Vec<_>>(),
        })
    }
}

fn data_json(d: &[u8]) -> Value {
    if d.len() <= MAX_REPORTED_DATA {
        json!({ "data_hex": hex::encode(d) })
    } else {
        json!({ "data_sha256": Hash::hashv(&[d]).to_string() })
    }
}

fn describe_data(d: &[u8]) -> String {
    if d.len() <= 64 {
        format!("hex:{}", hex::encode(d))
    } else {
        format!("{} bytes (sha256 {})", d.len(), Hash::hashv(&[d]))
    }
}

fn normalize_status(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

impl Scenario {
    /// Run the scenario on a fresh runtime and compare. `Err` only when the
    /// runtime could not be set up or a transaction could not be signed.
    pub fn run(&self) -> Result<Report, ScenarioError> {
        let s = &self.settings;
        let mut rt = Runtime::new()
            .with_sigverify(s.sigverify)
            .with_threads(s.threads)
            .with_config(s.config.clone());
        for (_, id, program) in &self.programs {
            rt.add_program(*id, program.clone());
        }
        let setup = |e: baton::RuntimeError| {
            ScenarioError::new(&self.origin, ErrorKind::Invalid, format!("setup: {e}"))
        };
        for (_, key, account) in &self.accounts {
            rt.set_account(*key, account.clone()).map_err(setup)?;
        }
        if let Some(e) = rt.take_store_errors().into_iter().next() {
            return Err(setup(e.into()));
        }
        let names: HashMap<Pubkey, String> =
            self.names.iter().map(|(n, k)| (*k, n.clone())).collect();
        let mut report = Report {
            origin: self.origin.clone(),
            name: self.name.clone(),
            transactions: Vec::new(),
            accounts: Vec::new(),
            mismatches: Vec::new(),
            names,
        };

        for (t, plan) in self.transactions.iter().enumerate() {
            let tx = self.transaction(&rt, t, plan)?;
            let result = rt.send_transaction(tx);
            let tr = TxReport {
                label: plan.label.clone(),
                status: match &result.status {
                    Ok(()) => "Ok".to_owned(),
                    Err(e) => format!("{e:?}"),
                },
                fee: result.fee,
                units: result.compute_units_consumed,
                logs: result.logs,
                return_data: result.return_data,
                reverted_by: result.reverted_by,
            };
            let found = compare_tx(&report, plan, &tr);
            report.mismatches.extend(found);
            for e in &plan.expect.accounts {
                let found = compare_account(&report, Some(&plan.label), e, rt.account(&e.key));
                report.mismatches.extend(found);
            }
            report.transactions.push(tr);
        }
        for e in &self.final_expect {
            let found = compare_account(&report, None, e, rt.account(&e.key));
            report.mismatches.extend(found);
        }
        report.accounts = self
            .accounts
            .iter()
            .map(|(n, k, _)| (n.clone(), *k, rt.account(k)))
            .collect();
        Ok(report)
    }

    /// Compile and sign (or, with signature checks off, stamp a unique
    /// placeholder signature on) transaction `t`.
    fn transaction(
        &self,
        rt: &Runtime,
        t: usize,
        plan: &TxPlan,
    ) -> Result<Transaction, ScenarioError> {
        let blockhash = rt.latest_blockhash();
        let message =
            Message::new_with_blockhash(&plan.instructions, Some(&plan.payer), &blockhash);
        let mut tx = Transaction::new_unsigned(message);
        if self.settings.sigverify {
            let n = usize::from(tx.message.header.num_required_signatures);
            let mut signers: Vec<&Keypair> = Vec::with_capacity(n);
            for key in tx.message.account_keys.iter().take(n) {
                let kp = self.keypairs.get(key).ok_or_else(|| {
                    ScenarioError::new(
                        &self.origin,
                        ErrorKind::Invalid,
                        format!(
                            "{}: {} must sign, but only accounts whose key comes from their name have a keypair",
                            plan.label, key
                        ),
                    )
                    .at_line(plan.line)
                })?;
                signers.push(kp);
            }
            tx.sign(&signers, blockhash).map_err(|e| {
                ScenarioError::new(
                    &self.origin,
                    ErrorKind::Invalid,
                    format!("{}: {e}", plan.label),
                )
                .at_line(plan.line)
            })?;
        } else {
            let h = Hash::hashv(&[
                b"baton scenario tx",
                self.origin.as_bytes(),
                &(t as u64).to_le_bytes(),
            ]);
            for (j, sig) in tx.signatures.iter_mut().enumerate() {
                let mut b = [0u8; 64];
                b[..32].copy_from_slice(&h.0);
                b[32..40].copy_from_slice(&(j as u64).to_le_bytes());
                *sig = Signature(b);
            }
        }
        Ok(tx)
    }
}

fn mismatch(
    tx: Option<&str>,
    account: Option<&str>,
    field: &str,
    expected: String,
    actual: String,
) -> Mismatch {
    Mismatch {
        transaction: tx.map(str::to_owned),
        account: account.map(str::to_owned),
        field: field.to_owned(),
        expected,
        actual,
        line: None,
        diff: Vec::new(),
    }
}

fn compare_tx(report: &Report, plan: &TxPlan, tr: &TxReport) -> Vec<Mismatch> {
    let e = &plan.expect;
    let tx = Some(plan.label.as_str());
    let mut out = Vec::new();
    if let Some(status) = &e.status {
        if normalize_status(status) != normalize_status(&tr.status) {
            out.push(mismatch(
                tx,
                None,
                "status",
                format!("`{status}`"),
                format!("`{}`", tr.status),
            ));
        }
    }
    if let Some(fee) = e.fee {
        if fee != tr.fee {
            out.push(mismatch(
                tx,
                None,
                "fee",
                fee.to_string(),
                tr.fee.to_string(),
            ));
        }
    }
    if let Some(units) = e.units {
        if units != tr.units {
            out.push(mismatch(
                tx,
                None,
                "units",
                units.to_string(),
                tr.units.to_string(),
            ));
        }
    }
    if let Some(logs) = &e.logs {
        if *logs != tr.logs {
            let mut m = mismatch(
                tx,
                None,
                "logs",
                format!("{logs:#?}"),
                format!("{:#?}", tr.logs),
            );
            m.diff = crate::diff::lines(logs, &tr.logs);
            out.push(m);
        }
    }
    for needle in &e.logs_contain {
        if !tr.logs.iter().any(|l| l.contains(needle.as_str())) {
            out.push(mismatch(
                tx,
                None,
                "logs_contain",
                format!("a line containing `{needle}`"),
                format!("{:#?}", tr.logs),
            ));
        }
    }
    if let Some(want) = &e.reverted_by {
        if *want != tr.reverted_by {
            let show = |p: &Option<Pubkey>| p.map_or("none".to_owned(), |p| report.key_name(&p));
            out.push(mismatch(
                tx,
                None,
                "reverted_by",
                show(want),
                show(&tr.reverted_by),
            ));
        }
    }
    if let Some(rd) = &e.return_data {
        let show = |r: &Option<(Pubkey, Vec<u8>)>| match r {
            None => "none".to_owned(),
            Some((p, d)) => format!("{} from {}", describe_data(d), report.key_name(p)),
        };
        if *rd != tr.return_data {
            out.push(mismatch(
                tx,
                None,
                "return_data",
                show(rd),
                show(&tr.return_data),
            ));
        }
    }
    for m in &mut out {
        m.line = Some(e.lines.get(m.field.as_str()).copied().unwrap_or(plan.line));
    }
    out
}

fn compare_account(
    report: &Report,
    tx: Option<&str>,
    e: &AccountExpect,
    actual: Option<Account>,
) -> Vec<Mismatch> {
    let mut out = Vec::new();
    let acc = Some(e.name.as_str());
    let exists = actual.is_some();
    if let Some(want) = e.exists {
        if want != exists {
            out.push(mismatch(
                tx,
                acc,
                "exists",
                want.to_string(),
                exists.to_string(),
            ));
        }
    }
    let a = actual.unwrap_or_default();
    if let Some(l) = e.lamports {
        if l != a.lamports {
            out.push(mismatch(
                tx,
                acc,
                "lamports",
                l.to_string(),
                a.lamports.to_string(),
            ));
        }
    }
    if let Some(d) = &e.data {
        if *d != a.data {
            out.push(mismatch(
                tx,
                acc,
                "data",
                describe_data(d),
                describe_data(&a.data),
            ));
        }
    }
    if let Some(n) = e.data_len {
        if n != a.data.len() {
            out.push(mismatch(
                tx,
                acc,
                "data_len",
                n.to_string(),
                a.data.len().to_string(),
            ));
        }
    }
    if let Some(o) = &e.owner {
        if *o != a.owner {
            out.push(mismatch(
                tx,
                acc,
                "owner",
                report.key_name(o),
                report.key_name(&a.owner),
            ));
        }
    }
    if let Some(x) = e.executable {
        if x != a.executable {
            out.push(mismatch(
                tx,
                acc,
                "executable",
                x.to_string(),
                a.executable.to_string(),
            ));
        }
    }
    for m in &mut out {
        m.line = e.line;
    }
    out
}
