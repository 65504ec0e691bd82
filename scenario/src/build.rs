//! From a parsed file to a [`Scenario`]: names resolved to keys, bytes
//! decoded, scripts encoded, expectations made concrete.

use std::cell::{Cell, RefCell};
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use crate::scripted::{self, AccountRef, AuthArg, Invoke, InvokeAuth, Meta, Op, Payload};
use baton_executor::{ExecutionConfig, Program};
use baton_programs::system;
use baton_types::{ids, pda, Account, AccountMeta, Hash, Instruction, Keypair, Message, Pubkey};

use crate::spec::*;
use crate::{ErrorKind, ProgramCatalog, ScenarioError};

/// Key of a named account: the public key of the ed25519 keypair seeded by
/// `SHA-256("baton scenario key:" ‖ name)`, so that named accounts can sign
/// for real when a scenario turns signature checks on.
pub fn key_for_name(name: &str) -> Pubkey {
    keypair_for_name(name).pubkey()
}

/// The keypair behind [`key_for_name`].
pub fn keypair_for_name(name: &str) -> Keypair {
    Keypair::from_seed(&Hash::hashv(&[b"baton scenario key:", name.as_bytes()]).0)
}

/// Most bytes a scenario may make its builder produce from counts in the
/// file (`zeroes`, `repeat`, `len`): bytes tables, noops and repeated metas
/// and operations, counted at their size in memory. Without a bound a
/// short file could ask for more memory than any machine has.
pub(crate) const MAX_BUILD_BYTES: usize = 64 * 1024 * 1024;

/// Most worker threads a scenario's `threads` setting may ask for.
pub(crate) const MAX_THREADS: usize = 256;

/// Settings of a scenario's runtime.
#[derive(Debug, Clone)]
pub(crate) struct Settings {
    pub sigverify: bool,
    pub threads: usize,
    pub config: ExecutionConfig,
}

/// Expected state of one account.
#[derive(Debug, Clone, Default)]
pub(crate) struct AccountExpect {
    pub name: String,
    pub key: Pubkey,
    pub exists: Option<bool>,
    pub lamports: Option<u64>,
    pub data: Option<Vec<u8>>,
    pub data_len: Option<usize>,
    pub owner: Option<Pubkey>,
    pub executable: Option<bool>,
}

/// Expected result of one transaction.
#[derive(Debug, Clone, Default)]
pub(crate) struct TxExpect {
    pub status: Option<String>,
    pub fee: Option<u64>,
    pub units: Option<u64>,
    pub logs: Option<Vec<String>>,
    pub logs_contain: Vec<String>,
    /// `Some(None)`: no return data expected.
    pub return_data: Option<Option<(Pubkey, Vec<u8>)>>,
    /// `Some(None)`: no revert expected.
    pub reverted_by: Option<Option<Pubkey>>,
    pub accounts: Vec<AccountExpect>,
}

/// One transaction, ready to compile against the runtime's blockhash.
#[derive(Debug, Clone)]
pub(crate) struct TxPlan {
    pub label: String,
    pub payer: Pubkey,
    pub instructions: Vec<Instruction>,
    pub expect: TxExpect,
}

/// A parsed, resolved scenario, ready to run.
pub struct Scenario {
    pub(crate) origin: String,
    pub(crate) name: String,
    pub(crate) settings: Settings,
    pub(crate) names: BTreeMap<String, Pubkey>,
    pub(crate) keypairs: HashMap<Pubkey, Keypair>,
    pub(crate) programs: Vec<(String, Pubkey, Arc<dyn Program>)>,
    pub(crate) accounts: Vec<(String, Pubkey, Account)>,
    pub(crate) transactions: Vec<TxPlan>,
    pub(crate) final_expect: Vec<AccountExpect>,
}

impl std::fmt::Debug for Scenario {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Scenario")
            .field("origin", &self.origin)
            .field("name", &self.name)
            .field("accounts", &self.accounts.len())
            .field("transactions", &self.transactions.len())
            .finish_non_exhaustive()
    }
}

impl Scenario {
    /// The scenario's name (its `name` field, else the file's stem).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Where it came from (a path, or what the caller said).
    pub fn origin(&self) -> &str {
        &self.origin
    }

    /// The key a name stands for.
    pub fn key(&self, name: &str) -> Option<Pubkey> {
        self.names.get(name).copied()
    }

    /// Number of transactions.
    pub fn transaction_count(&self) -> usize {
        self.transactions.len()
    }
}

/// Names and the keys, bumps and keypairs behind them.
pub(crate) struct Resolver<'a> {
    origin: &'a str,
    names: BTreeMap<String, Pubkey>,
    bumps: HashMap<String, u8>,
    /// Declared PDAs: their seeds with the bump appended.
    pda_seed_sets: HashMap<String, Vec<Vec<u8>>>,
    /// The account keys of the transaction being built, in message order,
    /// for `invoke_auth` (whose callee sees the transaction's accounts);
    /// `None` in the first pass, which only collects the accounts.
    tx_keys: RefCell<Option<Vec<Pubkey>>>,
    /// Bytes produced so far from counts in the file (see
    /// [`MAX_BUILD_BYTES`]).
    built: Cell<usize>,
}

impl<'a> Resolver<'a> {
    fn invalid(&self, msg: impl Into<String>) -> ScenarioError {
        ScenarioError::new(self.origin, ErrorKind::Invalid, msg)
    }

    /// Count `count` items of `size` bytes against [`MAX_BUILD_BYTES`]
    /// before building them.
    fn budget(&self, count: usize, size: usize, ctx: &str) -> Result<(), ScenarioError> {
        let total = count
            .checked_mul(size)
            .and_then(|n| n.checked_add(self.built.get()))
            .filter(|n| *n <= MAX_BUILD_BYTES)
            .ok_or_else(|| {
                self.invalid(format!(
                    "{ctx}: the scenario would build more than {MAX_BUILD_BYTES} bytes"
                ))
            })?;
        self.built.set(total);
        Ok(())
    }

    fn unknown(&self, name: &str, ctx: &str) -> ScenarioError {
        ScenarioError::new(
            self.origin,
            ErrorKind::UnknownName(name.to_owned()),
            format!("{ctx}: unknown name '{name}'"),
        )
    }

    /// A key expression: a declared name, `hex:` and 64 hex digits, or base58.
    pub fn key(&self, s: &str, ctx: &str) -> Result<Pubkey, ScenarioError> {
        if let Some(k) = self.names.get(s) {
            return Ok(*k);
        }
        if let Some(h) = s.strip_prefix("hex:") {
            let bytes = hex::decode(h).map_err(|e| self.invalid(format!("{ctx}: {e}")))?;
            let arr: [u8; 32] = bytes
                .try_into()
                .map_err(|_| self.invalid(format!("{ctx}: a hex key needs 32 bytes")))?;
            return Ok(Pubkey::new_from_array(arr));
        }
        if s.len() >= 32 {
            if let Ok(k) = s.parse::<Pubkey>() {
                return Ok(k);
            }
        }
        Err(self.unknown(s, ctx))
    }

    pub fn u64(&self, v: &U64Spec, ctx: &str) -> Result<u64, ScenarioError> {
        match v {
            U64Spec::Int(n) => Ok(*n),
            U64Spec::Str(s) => s
                .replace('_', "")
                .parse()
                .map_err(|_| self.invalid(format!("{ctx}: '{s}' is not a u64"))),
        }
    }

    /// Bytes, resolving `@name` and `bump@name`.
    pub fn bytes(&self, b: &BytesSpec, ctx: &str) -> Result<Vec<u8>, ScenarioError> {
        match b {
            BytesSpec::List(v) => Ok(v.clone()),
            BytesSpec::Str(s) => {
                if let Some(h) = s.strip_prefix("hex:") {
                    hex::decode(h).map_err(|e| self.invalid(format!("{ctx}: bad hex: {e}")))
                } else if let Some(u) = s.strip_prefix("utf8:") {
                    Ok(u.as_bytes().to_vec())
                } else if let Some(n) = s.strip_prefix("bump@") {
                    self.bumps
                        .get(n)
                        .map(|b| vec![*b])
                        .ok_or_else(|| self.unknown(n, &format!("{ctx} (a PDA's bump)")))
                } else if let Some(n) = s.strip_prefix('@') {
                    Ok(self.key(n, ctx)?.to_bytes().to_vec())
                } else {
                    Ok(s.as_bytes().to_vec())
                }
            }
            BytesSpec::Table(t) => {
                let forms = [
                    t.zeroes.is_some(),
                    t.repeat.is_some(),
                    t.hex.is_some(),
                    t.utf8.is_some(),
                ]
                .iter()
                .filter(|x| **x)
                .count();
                if forms != 1 || (t.len.is_some() != t.repeat.is_some()) {
                    return Err(self.invalid(format!(
                        "{ctx}: bytes table needs exactly one of zeroes, repeat (with len), hex, utf8"
                    )));
                }
                if let Some(n) = t.zeroes {
                    self.budget(n, 1, ctx)?;
                    return Ok(vec![0; n]);
                }
                if let (Some(b), Some(n)) = (t.repeat, t.len) {
                    self.budget(n, 1, ctx)?;
                    return Ok(vec![b; n]);
                }
                if let Some(h) = &t.hex {
                    return hex::decode(h)
                        .map_err(|e| self.invalid(format!("{ctx}: bad hex: {e}")));
                }
                Ok(t.utf8.clone().unwrap_or_default().into_bytes())
            }
        }
    }

    /// An instruction account: `name`, `name:FLAGS` (`s` signer, `w`
    /// writable) or a table; repeated `repeat` times.
    fn metas(&self, specs: &[MetaSpec], ctx: &str) -> Result<Vec<AccountMeta>, ScenarioError> {
        let mut out = Vec::new();
        for m in specs {
            let (name, signer, writable, repeat) = match m {
                MetaSpec::Short(s) => {
                    let (name, flags) = s.rsplit_once(':').unwrap_or((s.as_str(), ""));
                    if let Some(c) = flags.chars().find(|c| !matches!(c, 's' | 'w')) {
                        return Err(self.invalid(format!(
                            "{ctx}: account '{s}': flag '{c}' is neither s (signer) nor w (writable)"
                        )));
                    }
                    (name, flags.contains('s'), flags.contains('w'), 1)
                }
                MetaSpec::Full(t) => (
                    t.account.as_str(),
                    t.signer,
                    t.writable,
                    t.repeat.unwrap_or(1),
                ),
            };
            let key = self.key(name, ctx)?;
            self.budget(repeat, std::mem::size_of::<AccountMeta>(), ctx)?;
            for _ in 0..repeat {
                out.push(AccountMeta {
                    pubkey: key,
                    is_signer: signer,
                    is_writable: writable,
                });
            }
        }
        Ok(out)
    }

    /// An operation's account: its index in `frame` (first occurrence).
    fn index(&self, r: &AccRefSpec, frame: &[Pubkey], ctx: &str) -> Result<u16, ScenarioError> {
        match r {
            AccRefSpec::Index(i) => Ok(*i),
            AccRefSpec::Name(n) => {
                let key = self.key(n, ctx)?;
                frame
                    .iter()
                    .position(|k| *k == key)
                    .map(|p| p as u16)
                    .ok_or_else(|| {
                        self.invalid(format!(
                            "{ctx}: '{n}' is not an account of this instruction"
                        ))
                    })
            }
        }
    }

    /// An invoke's account: its index in `frame`, or its raw key when the
    /// frame lacks it (to provoke `MissingAccount`).
    fn account_ref(
        &self,
        name: &str,
        frame: &[Pubkey],
        ctx: &str,
    ) -> Result<AccountRef, ScenarioError> {
        let key = self.key(name, ctx)?;
        Ok(match frame.iter().position(|k| *k == key) {
            Some(p) => AccountRef::Index(p as u16),
            None => AccountRef::Key(key.to_bytes()),
        })
    }

    /// A script of frame `frame` into operations.
    pub fn script(
        &self,
        ops: &[OpSpec],
        frame: &[Pubkey],
        ctx: &str,
    ) -> Result<Vec<Op>, ScenarioError> {
        let mut out = Vec::with_capacity(ops.len());
        for (i, op) in ops.iter().enumerate() {
            let ctx = &format!("{ctx}, op {i}");
            let idx = |r: &AccRefSpec| self.index(r, frame, ctx);
            match op {
                OpSpec::Write {
                    account,
                    offset,
                    bytes,
                } => out.push(Op::Write {
                    account: idx(account)?,
                    offset: *offset,
                    bytes: self.bytes(bytes, ctx)?,
                }),
                OpSpec::Resize { account, len } => out.push(Op::Resize {
                    account: idx(account)?,
                    len: *len,
                }),
                OpSpec::Transfer { from, to, lamports } => out.push(Op::Transfer {
                    from: idx(from)?,
                    to: idx(to)?,
                    lamports: self.u64(lamports, ctx)?,
                }),
                OpSpec::Credit { account, lamports } => out.push(Op::Credit {
                    account: idx(account)?,
                    lamports: self.u64(lamports, ctx)?,
                }),
                OpSpec::Debit { account, lamports } => out.push(Op::Debit {
                    account: idx(account)?,
                    lamports: self.u64(lamports, ctx)?,
                }),
                OpSpec::SetReturnData { bytes } => {
                    out.push(Op::SetReturnData(self.bytes(bytes, ctx)?))
                }
                OpSpec::ExpectReturnData { program, bytes } => out.push(Op::ExpectReturnData {
                    program: AccountRef::Key(self.key(program, ctx)?.to_bytes()),
                    bytes: self.bytes(bytes, ctx)?,
                }),
                OpSpec::Assign { account, owner } => out.push(Op::Assign {
                    account: idx(account)?,
                    owner: self.key(owner, ctx)?.to_bytes(),
                }),
                OpSpec::SetExecutable { account } => out.push(Op::SetExecutable {
                    account: idx(account)?,
                }),
                OpSpec::Fail { code } => out.push(Op::Fail(*code)),
                OpSpec::Panic {} => out.push(Op::Panic),
                OpSpec::ConsumeUnits { units } => out.push(Op::ConsumeUnits(*units)),
                OpSpec::BorrowTwice { a, b } => out.push(Op::BorrowTwice {
                    a: idx(a)?,
                    b: idx(b)?,
                }),
                OpSpec::Log { text, repeat } => {
                    let n = repeat.unwrap_or(1);
                    self.budget(n, std::mem::size_of::<Op>() + text.len(), ctx)?;
                    for _ in 0..n {
                        out.push(Op::Log(text.clone()));
                    }
                }
                OpSpec::Noop { len } => {
                    self.budget(*len, 1, ctx)?;
                    out.push(Op::Noop(vec![0; *len]))
                }
                OpSpec::ExpectData {
                    account,
                    offset,
                    bytes,
                } => out.push(Op::ExpectData {
                    account: idx(account)?,
                    offset: *offset,
                    bytes: self.bytes(bytes, ctx)?,
                }),
                OpSpec::ExpectLamports { account, lamports } => out.push(Op::ExpectLamports {
                    account: idx(account)?,
                    lamports: self.u64(lamports, ctx)?,
                }),
                OpSpec::Invoke(spec)
                | OpSpec::InvokeIgnoreError(spec)
                | OpSpec::TryInvoke(spec) => {
                    let invoke = self.invoke(spec, frame, ctx)?;
                    let is_try = matches!(op, OpSpec::TryInvoke(_));
                    if spec.expect.is_some() && !is_try {
                        return Err(self.invalid(format!(
                            "{ctx}: `expect` is for try_invoke, invoke_auth and try_invoke_auth"
                        )));
                    }
                    let n = spec.repeat.unwrap_or(1);
                    let size = scripted::encode(&[Op::Invoke(invoke.clone())]).len();
                    self.budget(n, std::mem::size_of::<Op>() + size, ctx)?;
                    for _ in 0..n {
                        out.push(match op {
                            OpSpec::Invoke(_) => Op::Invoke(invoke.clone()),
                            OpSpec::TryInvoke(_) => Op::TryInvoke {
                                invoke: invoke.clone(),
                                expect: spec.expect.clone(),
                            },
                            _ => Op::InvokeIgnoreError(invoke.clone()),
                        });
                    }
                }
                OpSpec::InvokeAuth(spec) | OpSpec::TryInvokeAuth(spec) => {
                    let call = self.invoke_auth(spec, ctx)?;
                    let n = spec.repeat.unwrap_or(1);
                    let size = scripted::encode(&[Op::InvokeAuth(call.clone())]).len();
                    self.budget(n, std::mem::size_of::<Op>() + size, ctx)?;
                    for _ in 0..n {
                        out.push(match op {
                            OpSpec::InvokeAuth(_) => Op::InvokeAuth(call.clone()),
                            _ => Op::TryInvokeAuth(call.clone()),
                        });
                    }
                }
                OpSpec::ExitWithCode { code } => out.push(Op::ExitWithCode(*code)),
                OpSpec::Revert { code } => out.push(Op::Revert(*code)),
                OpSpec::ExpectAuthorized { account, expected } => out.push(Op::ExpectAuthorized {
                    index: self.tx_index(account, ctx)?,
                    expected: *expected,
                }),
            }
        }
        Ok(out)
    }

    fn invoke(
        &self,
        spec: &InvokeSpec,
        frame: &[Pubkey],
        ctx: &str,
    ) -> Result<Invoke, ScenarioError> {
        let program_name = match (&spec.program, &spec.transfer) {
            (Some(p), _) => p.as_str(),
            (None, Some(_)) => "system",
            (None, None) => return Err(self.invalid(format!("{ctx}: invoke needs a program"))),
        };
        let program = self.account_ref(program_name, frame, ctx)?;
        let mut metas: Vec<AccountMeta> = match &spec.accounts {
            Some(a) => self.metas(a, ctx)?,
            None => Vec::new(),
        };
        let forms = [
            spec.script.is_some(),
            spec.data.is_some(),
            spec.transfer.is_some(),
        ]
        .iter()
        .filter(|x| **x)
        .count();
        if forms > 1 {
            return Err(self.invalid(format!("{ctx}: give at most one of script, data, transfer")));
        }
        let callee_frame: Vec<Pubkey> = metas.iter().map(|m| m.pubkey).collect();
        let payload = if let Some(t) = &spec.transfer {
            let from = self.key(&t.from, ctx)?;
            let to = self.key(&t.to, ctx)?;
            let ix = system::instruction::transfer(&from, &to, self.u64(&t.lamports, ctx)?);
            if spec.accounts.is_none() {
                metas = ix.accounts.clone();
            }
            Payload::Raw(ix.data)
        } else if let Some(d) = &spec.data {
            Payload::Raw(self.bytes(d, ctx)?)
        } else {
            let mut ops = match &spec.script {
                Some(s) => self.script(s, &callee_frame, &format!("{ctx}, invoke"))?,
                None => Vec::new(),
            };
            if let Some(pad) = spec.pad {
                ops.push(Op::Noop(vec![0; pad]));
            }
            Payload::Script(ops)
        };
        let accounts = metas
            .iter()
            .map(|m| {
                let account = match frame.iter().position(|k| *k == m.pubkey) {
                    Some(p) => AccountRef::Index(p as u16),
                    None => AccountRef::Key(m.pubkey.to_bytes()),
                };
                Meta {
                    account,
                    is_signer: m.is_signer,
                    is_writable: m.is_writable,
                }
            })
            .collect();
        let mut seeds = Vec::new();
        for set in &spec.seeds {
            seeds.push(
                set.iter()
                    .map(|s| self.bytes(s, ctx))
                    .collect::<Result<Vec<_>, _>>()?,
            );
        }
        for name in &spec.pda_signers {
            seeds.push(self.pda_seeds(name, ctx)?);
        }
        Ok(Invoke {
            program,
            accounts,
            seeds,
            payload,
        })
    }

    /// A transaction index: an integer as it is, or a name's position among
    /// the transaction's keys (0 in the first pass, which only collects
    /// accounts).
    fn tx_index(&self, r: &AccRefSpec, ctx: &str) -> Result<u16, ScenarioError> {
        let name = match r {
            AccRefSpec::Index(i) => return Ok(*i),
            AccRefSpec::Name(n) => n,
        };
        let key = self.key(name, ctx)?;
        match self.tx_keys.borrow().as_ref() {
            None => Ok(0),
            Some(keys) => keys
                .iter()
                .position(|k| *k == key)
                .map(|p| p as u16)
                .ok_or_else(|| {
                    self.invalid(format!(
                        "{ctx}: '{name}' is not an account of this transaction"
                    ))
                }),
        }
    }

    fn invoke_auth(&self, spec: &InvokeAuthSpec, ctx: &str) -> Result<InvokeAuth, ScenarioError> {
        let forms = [spec.script.is_some(), spec.data.is_some()]
            .iter()
            .filter(|x| **x)
            .count();
        if forms > 1 || (spec.auth.is_some() && spec.auth_raw.is_some()) {
            return Err(self.invalid(format!(
                "{ctx}: give at most one of script and data, and of auth and auth_raw"
            )));
        }
        let program = self.tx_index(&spec.program, ctx)?;
        let auth = match (&spec.auth, &spec.auth_raw) {
            (Some(a), _) => AuthArg::Lists {
                authorized: a
                    .authorized
                    .iter()
                    .map(|r| self.tx_index(r, ctx))
                    .collect::<Result<_, _>>()?,
                deauthorized: a
                    .deauthorized
                    .iter()
                    .map(|r| self.tx_index(r, ctx))
                    .collect::<Result<_, _>>()?,
            },
            (None, Some(raw)) => AuthArg::Encoded(self.bytes(raw, ctx)?),
            (None, None) => AuthArg::None,
        };
        let tx_keys = self.tx_keys.borrow().clone();
        let payload = if let Some(d) = &spec.data {
            Payload::Raw(self.bytes(d, ctx)?)
        } else {
            match (&spec.script, tx_keys) {
                // The callee's frame is the transaction's accounts.
                (Some(s), Some(keys)) => {
                    Payload::Script(self.script(s, &keys, &format!("{ctx}, invoke_auth"))?)
                }
                _ => Payload::Script(Vec::new()),
            }
        };
        Ok(InvokeAuth {
            program,
            auth,
            payload,
            expect: spec.expect.clone(),
        })
    }

    fn pda_seeds(&self, name: &str, ctx: &str) -> Result<Vec<Vec<u8>>, ScenarioError> {
        self.pda_seed_sets
            .get(name)
            .cloned()
            .ok_or_else(|| self.unknown(name, &format!("{ctx} (pda_signers needs a declared pda)")))
    }
}

/// Names every scenario knows without declaring them.
const BUILTIN_NAMES: &[(&str, Pubkey)] = &[
    ("system", ids::SYSTEM_PROGRAM),
    ("token", ids::TOKEN_PROGRAM),
    ("native_loader", ids::NATIVE_LOADER),
    ("sysvar_clock", ids::SYSVAR_CLOCK),
    ("sysvar_rent", ids::SYSVAR_RENT),
];

fn check_name(origin: &str, name: &str) -> Result<(), ScenarioError> {
    let ok = !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'));
    if ok {
        Ok(())
    } else {
        Err(ScenarioError::new(
            origin,
            ErrorKind::Invalid,
            format!("'{name}': names use letters, digits, '_', '-' and '.' only"),
        ))
    }
}

/// Resolve a parsed file into a runnable scenario.
pub(crate) fn compile(
    file: FileSpec,
    origin: &str,
    default_name: &str,
    catalog: &ProgramCatalog,
) -> Result<Scenario, ScenarioError> {
    let mut r = Resolver {
        origin,
        names: BUILTIN_NAMES
            .iter()
            .map(|(n, k)| ((*n).to_owned(), *k))
            .collect(),
        bumps: HashMap::new(),
        pda_seed_sets: HashMap::new(),
        tx_keys: RefCell::new(None),
        built: Cell::new(0),
    };
    let mut keypairs: HashMap<Pubkey, Keypair> = HashMap::new();
    let declare = |r: &mut Resolver<'_>, name: &str, key: Pubkey| -> Result<(), ScenarioError> {
        check_name(origin, name)?;
        if r.names.insert(name.to_owned(), key).is_some() {
            return Err(r.invalid(format!("'{name}' is declared twice (or is a builtin name)")));
        }
        Ok(())
    };

    // Settings.
    let s = &file.settings;
    let mut config = ExecutionConfig::default();
    if let Some(v) = s.collect_logs {
        config.collect_logs = v;
    }
    if let Some(v) = s.max_call_depth {
        config.max_call_depth = v;
    }
    if let Some(v) = s.max_instruction_trace_length {
        config.max_instruction_trace_length = v;
    }
    if let Some(v) = s.units_per_instruction {
        config.units_per_instruction = v;
    }
    if let Some(v) = s.max_compute_units {
        config.max_compute_units = v;
    }
    if let Some(v) = s.lamports_per_signature {
        config.lamports_per_signature = v;
    }
    if s.threads.is_some_and(|t| t > MAX_THREADS) {
        return Err(r.invalid(format!("settings: threads: at most {MAX_THREADS}")));
    }
    let settings = Settings {
        sigverify: s.sigverify.unwrap_or(false),
        threads: s.threads.unwrap_or(1),
        config,
    };

    // Programs: builtin aliases, or a kind of the catalog.
    let mut programs = Vec::new();
    for (name, spec) in &file.programs {
        let (kind, id) = match spec {
            ProgramSpec::Kind(k) => (k.as_str(), None),
            ProgramSpec::Full(t) => (t.kind.as_str(), t.id.as_deref()),
        };
        let ctx = format!("program '{name}'");
        let builtin = match kind {
            "system" => Some(ids::SYSTEM_PROGRAM),
            "token" => Some(ids::TOKEN_PROGRAM),
            _ => None,
        };
        if let Some(key) = builtin {
            if name != kind {
                declare(&mut r, name, key)?;
            }
            continue;
        }
        let entry = catalog.get(kind).ok_or_else(|| {
            ScenarioError::new(
                origin,
                ErrorKind::UnknownName(kind.to_owned()),
                format!(
                    "{ctx}: unknown program kind '{kind}'; known: system, token, {}",
                    catalog.kinds().collect::<Vec<_>>().join(", ")
                ),
            )
        })?;
        let key = match id {
            Some(id) => r.key(id, &ctx)?,
            None => entry.id.unwrap_or_else(|| key_for_name(name)),
        };
        declare(&mut r, name, key)?;
        programs.push((name.clone(), key, (entry.factory)()));
    }

    // Accounts: plain keys first, then PDAs, whose seeds may name others.
    let mut pending: Vec<&String> = Vec::new();
    for (name, spec) in &file.accounts {
        let ctx = format!("account '{name}'");
        match (&spec.key, &spec.pda) {
            (Some(_), Some(_)) => {
                return Err(r.invalid(format!("{ctx}: give key or pda, not both")))
            }
            (Some(k), None) => {
                let key = r.key(k, &ctx)?;
                declare(&mut r, name, key)?;
            }
            (None, None) => {
                let kp = keypair_for_name(name);
                declare(&mut r, name, kp.pubkey())?;
                keypairs.insert(kp.pubkey(), kp);
            }
            (None, Some(_)) => pending.push(name),
        }
    }
    while !pending.is_empty() {
        let mut progress = false;
        let mut still = Vec::new();
        for name in pending {
            let Some(pda_spec) = file.accounts.get(name).and_then(|a| a.pda.as_ref()) else {
                continue;
            };
            let ctx = format!("account '{name}' (pda)");
            let waits = pda_spec.seeds.iter().any(|s| match s {
                BytesSpec::Str(s) => s
                    .strip_prefix("bump@")
                    .or_else(|| s.strip_prefix('@'))
                    .is_some_and(|n| !r.names.contains_key(n) && file.accounts.contains_key(n)),
                _ => false,
            }) || (!r.names.contains_key(&pda_spec.program)
                && file.accounts.contains_key(&pda_spec.program));
            if waits {
                still.push(name);
                continue;
            }
            let program = r.key(&pda_spec.program, &ctx)?;
            let seeds = pda_spec
                .seeds
                .iter()
                .map(|s| r.bytes(s, &ctx))
                .collect::<Result<Vec<_>, _>>()?;
            let refs: Vec<&[u8]> = seeds.iter().map(Vec::as_slice).collect();
            let (key, bump) = pda::try_find_program_address(&refs, &program)
                .map_err(|e| r.invalid(format!("{ctx}: no PDA for these seeds: {e}")))?;
            let mut set = seeds.clone();
            set.push(vec![bump]);
            declare(&mut r, name, key)?;
            r.bumps.insert(name.clone(), bump);
            r.pda_seed_sets.insert(name.clone(), set);
            progress = true;
        }
        if !progress && !still.is_empty() {
            return Err(r.invalid(format!(
                "account '{}' (pda): its seeds refer to each other in a cycle",
                still[0]
            )));
        }
        pending = still;
    }

    // Account states.
    let mut accounts = Vec::new();
    for (name, spec) in &file.accounts {
        let ctx = format!("account '{name}'");
        let key = r.key(name, &ctx)?;
        let owner = match &spec.owner {
            Some(o) => r.key(o, &format!("{ctx}, owner"))?,
            None => ids::SYSTEM_PROGRAM,
        };
        let lamports = match &spec.lamports {
            Some(l) => r.u64(l, &ctx)?,
            None => 0,
        };
        let data = match &spec.data {
            Some(d) => r.bytes(d, &format!("{ctx}, data"))?,
            None => Vec::new(),
        };
        accounts.push((
            name.clone(),
            key,
            Account {
                lamports,
                data,
                owner,
                executable: spec.executable,
                rent_epoch: spec.rent_epoch.unwrap_or(0),
            },
        ));
    }

    // Transactions.
    let mut transactions = Vec::new();
    for (t, tx) in file.transactions.iter().enumerate() {
        let label = match &tx.name {
            Some(n) => format!("transaction {t} ({n})"),
            None => format!("transaction {t}"),
        };
        let payer = r.key(&tx.payer, &format!("{label}, payer"))?;
        // Two passes: the first compiles the instructions' accounts into the
        // message's key order, which `invoke_auth` scripts index into.
        let mut instructions = Vec::new();
        for pass in 0..2 {
            instructions.clear();
            for (i, ix) in tx.instructions.iter().enumerate() {
                let ctx = format!("{label}, instruction {i}");
                instructions.push(r.instruction(ix, &ctx)?);
            }
            if pass == 0 {
                let keys = Message::new(&instructions, Some(&payer)).account_keys;
                *r.tx_keys.borrow_mut() = Some(keys);
            }
        }
        *r.tx_keys.borrow_mut() = None;
        let expect = match &tx.expect {
            Some(e) => r.tx_expect(e, &label)?,
            None => TxExpect::default(),
        };
        transactions.push(TxPlan {
            label,
            payer,
            instructions,
            expect,
        });
    }
    let final_expect = match &file.expect {
        Some(e) => r.account_expects(&e.accounts, "expect")?,
        None => Vec::new(),
    };

    Ok(Scenario {
        origin: origin.to_owned(),
        name: file.name.unwrap_or_else(|| default_name.to_owned()),
        settings,
        names: r.names,
        keypairs,
        programs,
        accounts,
        transactions,
        final_expect,
    })
}

impl Resolver<'_> {
    fn instruction(&self, ix: &IxSpec, ctx: &str) -> Result<Instruction, ScenarioError> {
        let forms = [
            ix.script.is_some(),
            ix.data.is_some(),
            ix.transfer.is_some(),
            ix.allocate.is_some(),
            ix.assign.is_some(),
            ix.create_account_with_seed.is_some(),
        ]
        .iter()
        .filter(|x| **x)
        .count();
        if forms > 1 {
            return Err(self.invalid(format!(
                "{ctx}: give at most one of script, data, transfer, allocate, assign, create_account_with_seed"
            )));
        }
        let shorthand = if let Some(t) = &ix.transfer {
            Some(system::instruction::transfer(
                &self.key(&t.from, ctx)?,
                &self.key(&t.to, ctx)?,
                self.u64(&t.lamports, ctx)?,
            ))
        } else if let Some(a) = &ix.allocate {
            Some(system::instruction::allocate(
                &self.key(&a.account, ctx)?,
                a.space,
            ))
        } else if let Some(a) = &ix.assign {
            Some(system::instruction::assign(
                &self.key(&a.account, ctx)?,
                &self.key(&a.owner, ctx)?,
            ))
        } else if let Some(c) = &ix.create_account_with_seed {
            Some(system::instruction::create_account_with_seed(
                &self.key(&c.from, ctx)?,
                &self.key(&c.to, ctx)?,
                &self.key(&c.base, ctx)?,
                &c.seed,
                self.u64(&c.lamports, ctx)?,
                c.space,
                &self.key(&c.owner, ctx)?,
            ))
        } else {
            None
        };
        let program_id = match (&ix.program, &shorthand) {
            (Some(p), _) => self.key(p, &format!("{ctx}, program"))?,
            (None, Some(s)) => s.program_id,
            (None, None) => return Err(self.invalid(format!("{ctx}: needs a program"))),
        };
        let accounts = match (&ix.accounts, &shorthand) {
            (Some(a), _) => self.metas(a, ctx)?,
            (None, Some(s)) => s.accounts.clone(),
            (None, None) => Vec::new(),
        };
        let data = if let Some(s) = shorthand {
            s.data
        } else if let Some(d) = &ix.data {
            self.bytes(d, &format!("{ctx}, data"))?
        } else if let Some(script) = &ix.script {
            let frame: Vec<Pubkey> = accounts.iter().map(|m| m.pubkey).collect();
            scripted::encode(&self.script(script, &frame, ctx)?)
        } else {
            Vec::new()
        };
        Ok(Instruction {
            program_id,
            accounts,
            data,
        })
    }

    fn account_expects(
        &self,
        specs: &BTreeMap<String, AccountExpectSpec>,
        ctx: &str,
    ) -> Result<Vec<AccountExpect>, ScenarioError> {
        let mut out = Vec::new();
        for (name, e) in specs {
            let ctx = format!("{ctx}, account '{name}'");
            out.push(AccountExpect {
                name: name.clone(),
                key: self.key(name, &ctx)?,
                exists: e.exists,
                lamports: e.lamports.as_ref().map(|l| self.u64(l, &ctx)).transpose()?,
                data: e.data.as_ref().map(|d| self.bytes(d, &ctx)).transpose()?,
                data_len: e.data_len,
                owner: e.owner.as_ref().map(|o| self.key(o, &ctx)).transpose()?,
                executable: e.executable,
            });
        }
        Ok(out)
    }

    fn tx_expect(&self, e: &TxExpectSpec, label: &str) -> Result<TxExpect, ScenarioError> {
        let ctx = format!("{label}, expect");
        let return_data = match &e.return_data {
            None => None,
            Some(ReturnDataSpec::None(s)) if s == "none" => Some(None),
            Some(ReturnDataSpec::None(s)) => {
                return Err(self.invalid(format!(
                    "{ctx}: return_data is \"none\" or {{ program, data }}, not '{s}'"
                )))
            }
            Some(ReturnDataSpec::Some(t)) => Some(Some((
                self.key(&t.program, &ctx)?,
                self.bytes(&t.data, &ctx)?,
            ))),
        };
        let reverted_by = match e.reverted_by.as_deref() {
            None => None,
            Some("none") => Some(None),
            Some(name) => Some(Some(self.key(name, &ctx)?)),
        };
        Ok(TxExpect {
            reverted_by,
            status: e.status.clone(),
            fee: e.fee,
            units: e.units,
            logs: e
                .logs
                .as_ref()
                .map(|l| l.iter().map(|s| self.subst(s)).collect()),
            logs_contain: e
                .logs_contain
                .iter()
                .flatten()
                .map(|s| self.subst(s))
                .collect(),
            return_data,
            accounts: self.account_expects(&e.accounts, &ctx)?,
        })
    }

    /// Replace `{name}` with the name's base58 key, for every declared name.
    fn subst(&self, s: &str) -> String {
        let mut out = String::with_capacity(s.len());
        let mut rest = s;
        while let Some(open) = rest.find('{') {
            out.push_str(&rest[..open]);
            let after = &rest[open + 1..];
            match after.find('}') {
                Some(close) if self.names.contains_key(&after[..close]) => {
                    if let Some(k) = self.names.get(&after[..close]) {
                        out.push_str(&k.to_string());
                    }
                    rest = &after[close + 1..];
                }
                _ => {
                    out.push('{');
                    rest = after;
                }
            }
        }
        out.push_str(rest);
        out
    }
}
