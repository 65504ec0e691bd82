//! The [`Resolver`]: names to keys, numbers and bytes from their written
//! forms, account metas, instructions and expectations made concrete. The
//! scripts of the scripted program are resolved in `script.rs`.

use std::cell::{Cell, RefCell};
use std::collections::{BTreeMap, HashMap};
use std::ops::Range;

use crate::scripted;
use baton_programs::system;
use baton_types::{AccountMeta, Instruction, Pubkey};

use crate::spec::*;
use crate::{ErrorKind, ScenarioError};
use toml::Spanned;

/// Most bytes a scenario may make its builder produce from counts in the
/// file (`zeroes`, `repeat`, `len`): bytes tables, noops and repeated metas
/// and operations, counted at their size in memory. Without a bound a
/// short file could ask for more memory than any machine has.
pub(crate) const MAX_BUILD_BYTES: usize = 64 * 1024 * 1024;

/// Expected state of one account.
#[derive(Debug, Clone, Default)]
pub(crate) struct AccountExpect {
    pub name: String,
    /// The line of its entry in the file.
    pub line: Option<usize>,
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
    /// The line of each field given (`status`, `fee`, ...), for failures.
    pub lines: BTreeMap<&'static str, usize>,
}

/// Names and the keys, bumps and keypairs behind them.
pub(crate) struct Resolver<'a> {
    pub(crate) origin: &'a str,
    /// The file's text, to turn spans into lines.
    pub(crate) src: &'a str,
    /// Line and column of the entry being resolved, given to its errors.
    pub(crate) at: Cell<Option<(usize, usize)>>,
    pub(crate) names: BTreeMap<String, Pubkey>,
    pub(crate) bumps: HashMap<String, u8>,
    /// Declared PDAs: their seeds with the bump appended.
    pub(crate) pda_seed_sets: HashMap<String, Vec<Vec<u8>>>,
    /// The account keys of the transaction being built, in message order,
    /// for `invoke_auth` (whose callee sees the transaction's accounts);
    /// `None` in the first pass, which only collects the accounts.
    pub(crate) tx_keys: RefCell<Option<Vec<Pubkey>>>,
    /// Bytes produced so far from counts in the file (see
    /// [`MAX_BUILD_BYTES`]).
    pub(crate) built: Cell<usize>,
}

impl<'a> Resolver<'a> {
    /// 1-based line and column of the start of `span`.
    pub(crate) fn place(&self, span: Range<usize>) -> (usize, usize) {
        crate::line_col(self.src, span.start)
    }

    /// The line of the start of `span`.
    pub(crate) fn line(&self, span: Range<usize>) -> usize {
        self.place(span).0
    }

    /// Resolve what follows as the entry at `span`: its errors point there.
    pub(crate) fn at(&self, span: Range<usize>) {
        self.at.set(Some(self.place(span)));
    }

    /// An error of `kind` at the entry being resolved.
    pub(crate) fn error(&self, kind: ErrorKind, msg: impl Into<String>) -> ScenarioError {
        let mut e = ScenarioError::new(self.origin, kind, msg);
        if let Some((line, column)) = self.at.get() {
            e.line = Some(line);
            e.column = Some(column);
        }
        e
    }

    pub(crate) fn invalid(&self, msg: impl Into<String>) -> ScenarioError {
        self.error(ErrorKind::Invalid, msg)
    }

    /// Count `count` items of `size` bytes against [`MAX_BUILD_BYTES`]
    /// before building them.
    pub(crate) fn budget(&self, count: usize, size: usize, ctx: &str) -> Result<(), ScenarioError> {
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

    pub(crate) fn unknown(&self, name: &str, ctx: &str) -> ScenarioError {
        self.error(
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
    pub(crate) fn metas(
        &self,
        specs: &[MetaSpec],
        ctx: &str,
    ) -> Result<Vec<AccountMeta>, ScenarioError> {
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
}

impl Resolver<'_> {
    pub(crate) fn instruction(&self, ix: &IxSpec, ctx: &str) -> Result<Instruction, ScenarioError> {
        let forms = [
            ix.script.is_some(),
            ix.data.is_some(),
            ix.transfer.is_some(),
            ix.allocate.is_some(),
            ix.assign.is_some(),
            ix.create_account_with_seed.is_some(),
            ix.cpi.is_some(),
        ]
        .iter()
        .filter(|x| **x)
        .count();
        if forms > 1 {
            return Err(self.invalid(format!(
                "{ctx}: give at most one of script, data, transfer, allocate, assign, create_account_with_seed, cpi"
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
        } else if let Some(calls) = &ix.cpi {
            let frame: Vec<Pubkey> = accounts.iter().map(|m| m.pubkey).collect();
            self.cpi(calls, &frame, ctx)?
        } else {
            Vec::new()
        };
        Ok(Instruction {
            program_id,
            accounts,
            data,
        })
    }

    pub(crate) fn account_expects(
        &self,
        specs: &BTreeMap<String, Spanned<AccountExpectSpec>>,
        ctx: &str,
    ) -> Result<Vec<AccountExpect>, ScenarioError> {
        let mut out = Vec::new();
        for (name, e) in specs {
            self.at(e.span());
            let line = Some(self.line(e.span()));
            let e = e.get_ref();
            let ctx = format!("{ctx}, account '{name}'");
            out.push(AccountExpect {
                name: name.clone(),
                line,
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

    pub(crate) fn tx_expect(
        &self,
        e: &TxExpectSpec,
        label: &str,
    ) -> Result<TxExpect, ScenarioError> {
        let ctx = format!("{label}, expect");
        let mut lines = BTreeMap::new();
        for (field, span) in [
            ("status", e.status.as_ref().map(Spanned::span)),
            ("fee", e.fee.as_ref().map(Spanned::span)),
            ("units", e.units.as_ref().map(Spanned::span)),
            ("logs", e.logs.as_ref().map(Spanned::span)),
            ("logs_contain", e.logs_contain.as_ref().map(Spanned::span)),
            ("return_data", e.return_data.as_ref().map(Spanned::span)),
            ("reverted_by", e.reverted_by.as_ref().map(Spanned::span)),
        ] {
            if let Some(span) = span {
                lines.insert(field, self.line(span));
            }
        }
        if let Some(span) = e.return_data.as_ref().map(Spanned::span) {
            self.at(span);
        }
        let return_data = match e.return_data.as_ref().map(Spanned::get_ref) {
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
        if let Some(span) = e.reverted_by.as_ref().map(Spanned::span) {
            self.at(span);
        }
        let reverted_by = match e.reverted_by.as_ref().map(|r| r.get_ref().as_str()) {
            None => None,
            Some("none") => Some(None),
            Some(name) => Some(Some(self.key(name, &ctx)?)),
        };
        Ok(TxExpect {
            reverted_by,
            status: e.status.as_ref().map(|s| s.get_ref().clone()),
            fee: e.fee.as_ref().map(|f| *f.get_ref()),
            units: e.units.as_ref().map(|u| *u.get_ref()),
            logs: e
                .logs
                .as_ref()
                .map(|l| l.get_ref().iter().map(|s| self.subst(s)).collect()),
            logs_contain: e
                .logs_contain
                .iter()
                .flat_map(|l| l.get_ref())
                .map(|s| self.subst(s))
                .collect(),
            return_data,
            accounts: self.account_expects(&e.accounts, &ctx)?,
            lines,
        })
    }

    /// Replace `{name}` with the name's base58 key, for every declared name.
    pub(crate) fn subst(&self, s: &str) -> String {
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
