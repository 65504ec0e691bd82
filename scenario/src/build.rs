//! From a parsed file to a [`Scenario`]: names resolved to keys, bytes
//! decoded, scripts encoded, expectations made concrete. [`compile`] is
//! the pass over the file; the [`Resolver`] it drives is in `resolve.rs`
//! (names, values, instructions, expectations) and `script.rs` (scripts).

use std::cell::{Cell, RefCell};
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use baton_executor::{ExecutionConfig, Program};
use baton_types::{ids, pda, Account, Hash, Instruction, Keypair, Message, Pubkey};

use crate::resolve::{AccountExpect, Resolver, TxExpect};
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

/// Most worker threads a scenario's `threads` setting may ask for.
pub(crate) const MAX_THREADS: usize = 256;

/// Settings of a scenario's runtime.
#[derive(Debug, Clone)]
pub(crate) struct Settings {
    pub sigverify: bool,
    pub threads: usize,
    pub config: ExecutionConfig,
}

/// One transaction, ready to compile against the runtime's blockhash.
#[derive(Debug, Clone)]
pub(crate) struct TxPlan {
    pub label: String,
    /// The line of the transaction's entry in the file.
    pub line: usize,
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

/// Names every scenario knows without declaring them.
const BUILTIN_NAMES: &[(&str, Pubkey)] = &[
    ("system", ids::SYSTEM_PROGRAM),
    ("token", ids::TOKEN_PROGRAM),
    ("native_loader", ids::NATIVE_LOADER),
    ("sysvar_clock", ids::SYSVAR_CLOCK),
    ("sysvar_rent", ids::SYSVAR_RENT),
];

fn check_name(r: &Resolver<'_>, name: &str) -> Result<(), ScenarioError> {
    let ok = !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'));
    if ok {
        Ok(())
    } else {
        Err(r.invalid(format!(
            "'{name}': names use letters, digits, '_', '-' and '.' only"
        )))
    }
}

/// Resolve a parsed file into a runnable scenario. `src` is the file's
/// text: errors found here name the line of the entry at fault.
pub(crate) fn compile(
    file: FileSpec,
    src: &str,
    origin: &str,
    default_name: &str,
    catalog: &ProgramCatalog,
) -> Result<Scenario, ScenarioError> {
    let mut r = Resolver {
        origin,
        src,
        at: Cell::new(None),
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
        check_name(r, name)?;
        if r.names.insert(name.to_owned(), key).is_some() {
            return Err(r.invalid(format!("'{name}' is declared twice (or is a builtin name)")));
        }
        Ok(())
    };

    // Settings.
    let default_settings = SettingsSpec::default();
    let s = match &file.settings {
        Some(s) => {
            r.at(s.span());
            s.get_ref()
        }
        None => &default_settings,
    };
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

    // Programs: builtin aliases, sBPF ELFs, or a kind of the catalog.
    let mut programs = Vec::new();
    let mut program_accounts = Vec::new();
    for (name, spec) in &file.programs {
        r.at(spec.span());
        let (kind, id) = match spec.get_ref() {
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
        if kind == "sbpf" {
            let (elf, asm, loader) = match spec.get_ref() {
                ProgramSpec::Full(t) => (t.elf.as_deref(), t.asm.as_deref(), t.loader.as_deref()),
                ProgramSpec::Kind(_) => (None, None, None),
            };
            let source = match (elf, asm) {
                (Some(_), Some(_)) => {
                    return Err(r.invalid(format!("{ctx}: give elf or asm, not both")))
                }
                (None, Some(a)) => Source::Asm(a),
                (e, None) => Source::Elf(e),
            };
            let key = match id {
                Some(id) => r.key(id, &ctx)?,
                None => key_for_name(name),
            };
            let (program, accounts) = load_elf(&r, origin, &ctx, key, source, loader)?;
            declare(&mut r, name, key)?;
            programs.push((name.clone(), key, program));
            for (i, (k, a)) in accounts.into_iter().enumerate() {
                let label = if i == 0 {
                    name.clone()
                } else {
                    format!("{name}.programdata")
                };
                program_accounts.push((label, k, a));
            }
            continue;
        }
        let entry = catalog.get(kind).ok_or_else(|| {
            r.error(
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
        r.at(spec.span());
        let spec = spec.get_ref();
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
            let Some(entry) = file.accounts.get(name) else {
                continue;
            };
            r.at(entry.span());
            let Some(pda_spec) = entry.get_ref().pda.as_ref() else {
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
        if let Some(entry) = still.first().and_then(|n| file.accounts.get(*n)) {
            r.at(entry.span());
        }
        if !progress && !still.is_empty() {
            return Err(r.invalid(format!(
                "account '{}' (pda): its seeds refer to each other in a cycle",
                still[0]
            )));
        }
        pending = still;
    }

    // Account states: the deployed programs' accounts, then the file's.
    let mut accounts = program_accounts;
    for (name, spec) in &file.accounts {
        r.at(spec.span());
        let spec = spec.get_ref();
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
        r.at(tx.span());
        let line = r.line(tx.span());
        let tx = tx.get_ref();
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
                r.at(ix.span());
                let ctx = format!("{label}, instruction {i}");
                instructions.push(r.instruction(ix.get_ref(), &ctx)?);
            }
            if pass == 0 {
                let keys = Message::new(&instructions, Some(&payer)).account_keys;
                *r.tx_keys.borrow_mut() = Some(keys);
            }
        }
        *r.tx_keys.borrow_mut() = None;
        let expect = match &tx.expect {
            Some(e) => {
                r.at(e.span());
                r.tx_expect(e.get_ref(), &label)?
            }
            None => TxExpect::default(),
        };
        transactions.push(TxPlan {
            label,
            line,
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

/// A compiled sBPF program and the accounts its deployment writes.
type LoadedElf = (Arc<dyn Program>, Vec<(Pubkey, Account)>);

/// Where a `kind = "sbpf"` program comes from.
enum Source<'a> {
    Elf(Option<&'a str>),
    Asm(&'a str),
}

/// A `kind = "sbpf"` program: the ELF at `elf` (relative to the scenario
/// file), checked and compiled as `Runtime::deploy_program` does, or the
/// assembly file at `asm`, assembled (SBPF v0; `#` starts a comment); and
/// the program accounts its `loader` lays out at `key` (an assembled
/// program's hold its bytecode where a deployed one's hold the ELF).
fn load_elf(
    r: &Resolver<'_>,
    origin: &str,
    ctx: &str,
    key: Pubkey,
    source: Source<'_>,
    loader: Option<&str>,
) -> Result<LoadedElf, ScenarioError> {
    use baton::sbpf::deploy::{program_accounts, ProgramLoader};
    let file = match source {
        Source::Elf(e) => e.ok_or_else(|| {
            r.invalid(format!(
                "{ctx}: kind \"sbpf\" needs elf = \"FILE.so\" or asm = \"FILE.s\""
            ))
        })?,
        Source::Asm(a) => a,
    };
    let loader = match loader.unwrap_or("v2") {
        "v2" => ProgramLoader::V2,
        "v3" => ProgramLoader::V3 { authority: None },
        "v4" => ProgramLoader::V4 { authority: key },
        other => return Err(r.invalid(format!("{ctx}: loader '{other}': expected v2, v3 or v4"))),
    };
    let path = std::path::Path::new(origin)
        .parent()
        .unwrap_or_else(|| std::path::Path::new(""))
        .join(file);
    // Only a regular file of at most 64 MiB (the file-size bound of the
    // scenario limits): not a device that never ends.
    const MAX_ELF: u64 = 64 << 20;
    match std::fs::metadata(&path) {
        Ok(m) if m.is_file() && m.len() <= MAX_ELF => {}
        Ok(_) => {
            return Err(r.invalid(format!(
                "{ctx}: {}: not a regular file of at most 64 MiB",
                path.display()
            )))
        }
        Err(e) => return Err(r.invalid(format!("{ctx}: cannot read {}: {e}", path.display()))),
    }
    let bytes = std::fs::read(&path)
        .map_err(|e| r.invalid(format!("{ctx}: cannot read {}: {e}", path.display())))?;
    let (program, bytes) = match source {
        Source::Elf(_) => {
            let program = baton::sbpf::SbpfProgram::load(&bytes)
                .map_err(|e| r.invalid(format!("{ctx}: {}: {e}", path.display())))?;
            (program, bytes)
        }
        Source::Asm(_) => {
            let text = String::from_utf8(bytes)
                .map_err(|_| r.invalid(format!("{ctx}: {}: not UTF-8 text", path.display())))?;
            let text: Vec<&str> = text
                .lines()
                .map(|l| l.split('#').next().unwrap_or(""))
                .collect();
            let program =
                baton::sbpf::SbpfProgram::from_assembly(&text.join("\n"), baton::sbpf::Mode::Jit)
                    .map_err(|e| r.invalid(format!("{ctx}: {}: {e}", path.display())))?;
            let code = program.executable().get_text_bytes().1.to_vec();
            (program, code)
        }
    };
    let accounts = program_accounts(loader, &key, &bytes, &baton::Rent::default(), 0);
    Ok((Arc::new(program), accounts))
}
