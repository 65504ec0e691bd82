//! Scripts of the scripted program from their file form: account
//! references within a frame, the nested invokes (both flavours) and their
//! payloads, PDA signer seeds.

use crate::scripted::{self, AccountRef, AuthArg, Invoke, InvokeAuth, Meta, Op, Payload};
use baton_programs::system;
use baton_types::{AccountMeta, Pubkey};

use crate::resolve::Resolver;
use crate::spec::*;
use crate::ScenarioError;

impl Resolver<'_> {
    /// An operation's account: its index in `frame` (first occurrence).
    pub(crate) fn index(
        &self,
        r: &AccRefSpec,
        frame: &[Pubkey],
        ctx: &str,
    ) -> Result<u16, ScenarioError> {
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
    pub(crate) fn account_ref(
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

    pub(crate) fn invoke(
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
    pub(crate) fn tx_index(&self, r: &AccRefSpec, ctx: &str) -> Result<u16, ScenarioError> {
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

    pub(crate) fn invoke_auth(
        &self,
        spec: &InvokeAuthSpec,
        ctx: &str,
    ) -> Result<InvokeAuth, ScenarioError> {
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

    pub(crate) fn pda_seeds(&self, name: &str, ctx: &str) -> Result<Vec<Vec<u8>>, ScenarioError> {
        self.pda_seed_sets
            .get(name)
            .cloned()
            .ok_or_else(|| self.unknown(name, &format!("{ctx} (pda_signers needs a declared pda)")))
    }
}
