//! Scenario files: transactions and what they must do, written in TOML;
//! the scripted test program they drive ([`scripted`]); and the runner.
//!
//! A scenario declares named accounts and programs, runs transactions on a
//! fresh [`Runtime`](baton::Runtime) one at a time, and compares each result
//! (status, fee, compute units, logs, return data) and the accounts'
//! states with what it expects. Instructions to the
//! [scripted test program](crate::scripted) are written as lists of
//! operations, so that call trees (A→B→A) and rule violations need no
//! program of their own. The format is documented in `docs/scenarios.md`;
//! `baton run FILE...` runs files from the command line.
//!
//! Depends on the facade `baton` (the [`Runtime`](baton::Runtime) a
//! scenario runs on), `baton-programs` (the builtins' ids and builders),
//! `baton-examples` (the `vault` and `swap` kinds) and `baton-executor` /
//! `baton-types`. Depended on by the CLI (`baton run`), the benches (the
//! scripted program's call chains), fuzz-support and the tests; embedders
//! do not need it, and the facade does not re-export it.
//!
//! ```
//! let src = r#"
//! [programs]
//! A = "scripted"
//!
//! [accounts]
//! alice = { lamports = 10_000_000 }
//! vault = { lamports = 2_000_000, owner = "A", data = { zeroes = 4 } }
//!
//! [[transactions]]
//! payer = "alice"
//! instructions = [
//!   { program = "A", accounts = ["vault:w"], script = [
//!       { op = "write", account = "vault", offset = 1, bytes = "hex:ff" },
//!   ] },
//! ]
//! expect = { status = "Ok", fee = 5000, accounts = { vault = { data = "hex:00ff0000" } } }
//! "#;
//! let scenario = baton_scenario::parse(src, "doc.toml").unwrap();
//! let report = scenario.run().unwrap();
//! assert!(report.passed(), "{:?}", report.mismatches);
//! ```

mod build;
mod cpi;
mod diff;
mod resolve;
mod run;
mod script;
pub mod scripted;
mod spec;

use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;
use std::sync::Arc;

use crate::scripted::ScriptedProgram;
use baton_examples::{swap, vault};
use baton_executor::Program;
use baton_types::Pubkey;

pub use build::{key_for_name, keypair_for_name, Scenario};
pub use run::{Mismatch, Report, TxReport};

/// What kind of problem made a scenario file unusable.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ErrorKind {
    /// The file could not be read.
    Io,
    /// The file is not valid TOML or does not fit the format.
    Toml,
    /// A name used in the file is not declared (the name).
    UnknownName(String),
    /// A value is out of range or inconsistent.
    Invalid,
}

/// A malformed scenario: which file, where, and what.
///
/// Displayed as `FILE:LINE:COLUMN: message`: for TOML errors the place of
/// the error, for errors found after parsing (an unknown program, kind or
/// account, a value out of range) the start of the entry at fault (the
/// program, account, transaction, instruction or expectation). A file
/// that cannot be read displays as `cannot read FILE: reason`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScenarioError {
    /// The file (or the origin the caller gave).
    pub origin: String,
    /// 1-based line: of the TOML error, or of the entry at fault.
    pub line: Option<usize>,
    /// 1-based column, with `line`.
    pub column: Option<usize>,
    /// The kind of problem.
    pub kind: ErrorKind,
    /// What is wrong, and where in the scenario.
    pub message: String,
}

impl ScenarioError {
    pub(crate) fn new(origin: &str, kind: ErrorKind, message: impl Into<String>) -> Self {
        Self {
            origin: origin.to_owned(),
            line: None,
            column: None,
            kind,
            message: message.into(),
        }
    }

    /// The same error, at line `line` (no column).
    pub(crate) fn at_line(mut self, line: usize) -> Self {
        self.line = Some(line);
        self.column = None;
        self
    }
}

impl fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.kind == ErrorKind::Io {
            return write!(f, "cannot read {}: {}", self.origin, self.message);
        }
        write!(f, "{}", self.origin)?;
        if let Some(l) = self.line {
            write!(f, ":{l}")?;
            if let Some(c) = self.column {
                write!(f, ":{c}")?;
            }
        }
        write!(f, ": {}", self.message)
    }
}

impl std::error::Error for ScenarioError {}

/// Makes a fresh program instance for a scenario.
pub type ProgramFactory = Arc<dyn Fn() -> Arc<dyn Program> + Send + Sync>;

/// One program kind a scenario may declare.
#[derive(Clone)]
pub struct CatalogEntry {
    /// Makes the program.
    pub factory: ProgramFactory,
    /// The id programs of this kind get when the file gives none; `None`:
    /// an id derived from the program's name, so that one kind can be
    /// declared under several names.
    pub id: Option<Pubkey>,
}

/// The program kinds scenarios may declare in `[programs]`, besides the
/// builtins `system` and `token`, which every scenario has.
///
/// This is the registry hook for new programs: add a kind here (in
/// [`ProgramCatalog::with_defaults`], or on a catalog passed to
/// [`parse_with`]) and scenario files can use it as `NAME = "kind"`.
#[derive(Clone, Default)]
pub struct ProgramCatalog {
    kinds: BTreeMap<String, CatalogEntry>,
}

impl fmt::Debug for ProgramCatalog {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_set().entries(self.kinds.keys()).finish()
    }
}

impl ProgramCatalog {
    /// A catalog with no kinds.
    pub fn new() -> Self {
        Self::default()
    }

    /// The kinds of this project: `scripted` (the scripted test program,
    /// under an id derived from each name it is declared under), and the
    /// SDK examples `vault` and `swap` (at their declared ids).
    pub fn with_defaults() -> Self {
        let mut c = Self::new();
        c.register("scripted", None, Arc::new(|| Arc::new(ScriptedProgram)));
        // The SDK examples, at their declared ids. New kinds register here.
        c.register(
            "vault",
            Some(vault::ID),
            Arc::new(|| Arc::new(vault::VaultProgram)),
        );
        c.register(
            "swap",
            Some(swap::ID),
            Arc::new(|| Arc::new(swap::SwapProgram)),
        );
        c
    }

    /// Add (or replace) kind `kind`.
    pub fn register(&mut self, kind: &str, id: Option<Pubkey>, factory: ProgramFactory) {
        self.kinds
            .insert(kind.to_owned(), CatalogEntry { factory, id });
    }

    /// The entry of `kind`.
    pub fn get(&self, kind: &str) -> Option<&CatalogEntry> {
        self.kinds.get(kind)
    }

    /// The registered kinds.
    pub fn kinds(&self) -> impl Iterator<Item = &str> {
        self.kinds.keys().map(String::as_str)
    }
}

/// 1-based line and column of byte `offset` in `src`.
fn line_col(src: &str, offset: usize) -> (usize, usize) {
    let before = src.get(..offset.min(src.len())).unwrap_or("");
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, col)
}

/// Parse and resolve scenario text with the default catalog. `origin` names
/// it in errors and reports (a path, usually).
pub fn parse(src: &str, origin: &str) -> Result<Scenario, ScenarioError> {
    parse_with(src, origin, &ProgramCatalog::with_defaults())
}

/// Parse and resolve scenario text with program kinds from `catalog`.
pub fn parse_with(
    src: &str,
    origin: &str,
    catalog: &ProgramCatalog,
) -> Result<Scenario, ScenarioError> {
    let file: spec::FileSpec = toml::from_str(src).map_err(|e| {
        let (line, column) = match e.span() {
            Some(span) => {
                let (l, c) = line_col(src, span.start);
                (Some(l), Some(c))
            }
            None => (None, None),
        };
        ScenarioError {
            origin: origin.to_owned(),
            line,
            column,
            kind: ErrorKind::Toml,
            message: e.message().trim().to_owned(),
        }
    })?;
    let default_name = Path::new(origin)
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or(origin);
    build::compile(file, src, origin, default_name, catalog)
}

/// Read and parse the scenario file at `path`.
pub fn load(path: &Path) -> Result<Scenario, ScenarioError> {
    let origin = path.display().to_string();
    let src = std::fs::read_to_string(path)
        .map_err(|e| ScenarioError::new(&origin, ErrorKind::Io, e.to_string()))?;
    parse(&src, &origin)
}

/// Read, parse and run the scenario file at `path`.
pub fn run_file(path: &Path) -> Result<Report, ScenarioError> {
    load(path)?.run()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_after_parsing_carry_the_line_of_the_entry() {
        let src =
            "[programs]\nA = \"scripted\"\n\n[accounts]\nx = { lamports = 1, owner = \"B\" }\n";
        let Err(e) = parse(src, "f.toml") else {
            panic!("an unknown owner parses");
        };
        assert_eq!(e.kind, ErrorKind::UnknownName("B".into()));
        assert_eq!((e.line, e.column), (Some(5), Some(5)));
        assert_eq!(
            e.to_string(),
            "f.toml:5:5: account 'x', owner: unknown name 'B'"
        );
    }

    #[test]
    fn an_unreadable_file_says_cannot_read() {
        let Err(e) = load(Path::new("/no/such/dir/f.toml")) else {
            panic!("a missing file loads");
        };
        assert_eq!(e.kind, ErrorKind::Io);
        assert!(
            e.to_string()
                .starts_with("cannot read /no/such/dir/f.toml: "),
            "{e}"
        );
    }
}
