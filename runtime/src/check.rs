//! Mollusk-style checks on the outcome of [`Runtime::process_instruction`]:
//! [`Check`]s, [`Runtime::validate_outcome`] (a `Result` naming the first
//! check that failed, with the values on both sides) and
//! [`Runtime::process_and_validate_instruction`] (the same as a panic, for
//! tests, as Mollusk does).

use std::fmt::Write as _;

use baton_executor::InstructionOutcome;
use baton_types::{Account, Instruction, InstructionError, Pubkey};

use crate::Runtime;

/// `outcome.account(&key)`: an account of an [`InstructionOutcome`] by key
/// (Mollusk's `InstructionResult::get_account`). In [`crate::prelude`].
pub trait InstructionOutcomeExt {
    /// The account at `key` after the instruction, if it was among the
    /// given accounts.
    fn account(&self, key: &Pubkey) -> Option<&Account>;
}

impl InstructionOutcomeExt for InstructionOutcome {
    fn account(&self, key: &Pubkey) -> Option<&Account> {
        self.accounts.iter().find(|(k, _)| k == key).map(|(_, a)| a)
    }
}

/// One expectation about an [`InstructionOutcome`], for
/// [`Runtime::validate_outcome`] and
/// [`Runtime::process_and_validate_instruction`].
///
/// ```
/// use baton::{Check, Runtime, system, ids, Account, Pubkey};
///
/// let rt = Runtime::new();
/// let (from, to) = (Pubkey::new_unique(), Pubkey::new_unique());
/// let ix = system::instruction::transfer(&from, &to, 400);
/// let accounts = [
///     (from, Account::new(1_000, 0, &ids::SYSTEM_PROGRAM)),
///     (to, Account::default()),
/// ];
/// rt.process_and_validate_instruction(&ix, &accounts, &[
///     Check::success(),
///     Check::account(&from).lamports(600).build(),
///     Check::account(&to).lamports(400).owner(&ids::SYSTEM_PROGRAM).space(0).build(),
/// ]);
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Check(Kind);

#[derive(Debug, Clone, PartialEq)]
enum Kind {
    Result(Result<(), InstructionError>),
    ComputeUnits(u64),
    ReturnData(Vec<u8>),
    Account(AccountCheck),
}

impl Check {
    /// The instruction succeeded.
    pub fn success() -> Self {
        Self(Kind::Result(Ok(())))
    }

    /// The instruction failed with `err`.
    pub fn err(err: InstructionError) -> Self {
        Self(Kind::Result(Err(err)))
    }

    /// The instruction consumed exactly `units` compute units.
    pub fn compute_units(units: u64) -> Self {
        Self(Kind::ComputeUnits(units))
    }

    /// The instruction left `data` as its return data (empty: none).
    pub fn return_data(data: &[u8]) -> Self {
        Self(Kind::ReturnData(data.to_vec()))
    }

    /// Checks on the account at `key` after the instruction: chain what to
    /// check, then [`AccountCheck::build`]. The account must be among the
    /// given accounts.
    pub fn account(key: &Pubkey) -> AccountCheck {
        AccountCheck {
            key: *key,
            lamports: None,
            data: None,
            owner: None,
            executable: None,
            space: None,
            closed: false,
            rent_exempt: false,
        }
    }
}

/// The checks on one account, built from [`Check::account`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountCheck {
    key: Pubkey,
    lamports: Option<u64>,
    data: Option<Vec<u8>>,
    owner: Option<Pubkey>,
    executable: Option<bool>,
    space: Option<usize>,
    closed: bool,
    rent_exempt: bool,
}

impl AccountCheck {
    /// Its balance is `lamports`.
    pub fn lamports(mut self, lamports: u64) -> Self {
        self.lamports = Some(lamports);
        self
    }

    /// Its data is exactly `data`.
    pub fn data(mut self, data: &[u8]) -> Self {
        self.data = Some(data.to_vec());
        self
    }

    /// Its owner is `owner`.
    pub fn owner(mut self, owner: &Pubkey) -> Self {
        self.owner = Some(*owner);
        self
    }

    /// Its executable flag is `executable`.
    pub fn executable(mut self, executable: bool) -> Self {
        self.executable = Some(executable);
        self
    }

    /// Its data is `len` bytes long.
    pub fn space(mut self, len: usize) -> Self {
        self.space = Some(len);
        self
    }

    /// It was closed: no lamports and no data (a committed transaction
    /// would remove it).
    pub fn closed(mut self) -> Self {
        self.closed = true;
        self
    }

    /// It is rent exempt under the runtime's Rent sysvar.
    pub fn rent_exempt(mut self) -> Self {
        self.rent_exempt = true;
        self
    }

    /// The finished [`Check`].
    pub fn build(self) -> Check {
        Check(Kind::Account(self))
    }
}

impl From<AccountCheck> for Check {
    fn from(c: AccountCheck) -> Self {
        c.build()
    }
}

/// The first [`Check`] an outcome failed, with what was expected and what
/// the outcome had.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CheckFailure {
    /// The instruction's result.
    #[error("check failed: result: expected {expected:?}, got {actual:?}")]
    Result {
        /// What the check wanted.
        expected: Result<(), InstructionError>,
        /// What the instruction returned.
        actual: Result<(), InstructionError>,
    },
    /// The compute units consumed.
    #[error("check failed: compute units: expected {expected}, got {actual}")]
    ComputeUnits {
        /// What the check wanted.
        expected: u64,
        /// What the instruction consumed.
        actual: u64,
    },
    /// The return data.
    #[error("check failed: return data: {}", compare_bytes(.expected, .actual))]
    ReturnData {
        /// What the check wanted.
        expected: Vec<u8>,
        /// What the instruction left (empty: none).
        actual: Vec<u8>,
    },
    /// The checked account is not in the outcome.
    #[error("check failed: account {key}: not among the given accounts")]
    AccountNotFound {
        /// The account.
        key: Pubkey,
    },
    /// An account's balance.
    #[error("check failed: account {key}: lamports: expected {expected}, got {actual}")]
    Lamports {
        /// The account.
        key: Pubkey,
        /// What the check wanted.
        expected: u64,
        /// What the account holds.
        actual: u64,
    },
    /// An account's data.
    #[error("check failed: account {key}: data: {}", compare_bytes(.expected, .actual))]
    Data {
        /// The account.
        key: Pubkey,
        /// What the check wanted.
        expected: Vec<u8>,
        /// What the account holds.
        actual: Vec<u8>,
    },
    /// An account's owner.
    #[error("check failed: account {key}: owner: expected {expected}, got {actual}")]
    Owner {
        /// The account.
        key: Pubkey,
        /// What the check wanted.
        expected: Pubkey,
        /// The account's owner.
        actual: Pubkey,
    },
    /// An account's executable flag.
    #[error("check failed: account {key}: executable: expected {expected}, got {actual}")]
    Executable {
        /// The account.
        key: Pubkey,
        /// What the check wanted.
        expected: bool,
        /// The account's flag.
        actual: bool,
    },
    /// An account's data length.
    #[error("check failed: account {key}: space: expected {expected} bytes, got {actual}")]
    Space {
        /// The account.
        key: Pubkey,
        /// What the check wanted.
        expected: usize,
        /// The account's data length.
        actual: usize,
    },
    /// An account expected closed is not.
    #[error(
        "check failed: account {key}: closed: expected 0 lamports and no data, \
         got {lamports} lamports and {data_len} bytes"
    )]
    NotClosed {
        /// The account.
        key: Pubkey,
        /// Its balance.
        lamports: u64,
        /// Its data length.
        data_len: usize,
    },
    /// An account expected rent exempt is not.
    #[error(
        "check failed: account {key}: rent exempt: expected at least {minimum} lamports \
         for {data_len} bytes, got {lamports}"
    )]
    NotRentExempt {
        /// The account.
        key: Pubkey,
        /// Its balance.
        lamports: u64,
        /// Its data length.
        data_len: usize,
        /// The rent-exempt minimum for that length.
        minimum: u64,
    },
}

/// Two byte strings side by side: their lengths, the first offset where
/// they differ, and (up to 32 bytes from a little before it) both in hex.
fn compare_bytes(expected: &[u8], actual: &[u8]) -> String {
    let at = expected
        .iter()
        .zip(actual)
        .position(|(e, a)| e != a)
        .unwrap_or(expected.len().min(actual.len()));
    let from = at.saturating_sub(8);
    let show = |b: &[u8]| {
        let end = b.len().min(from + 32);
        let mut s = String::new();
        if from > 0 {
            s.push_str("..");
        }
        for byte in b.get(from..end).unwrap_or(&[]) {
            let _ = write!(s, "{byte:02x}");
        }
        if end < b.len() {
            s.push_str("..");
        }
        s
    };
    format!(
        "differ at byte {at}: expected {} bytes [{}], got {} bytes [{}]",
        expected.len(),
        show(expected),
        actual.len(),
        show(actual)
    )
}

impl Runtime {
    /// Check `outcome` against `checks`, in order; the first that fails is
    /// returned, naming what it checked and the values on both sides. For
    /// a panic instead (a test's usual wish), see
    /// [`Runtime::process_and_validate_instruction`].
    ///
    /// # Errors
    ///
    /// The [`CheckFailure`] of the first check that fails.
    pub fn validate_outcome(
        &self,
        outcome: &InstructionOutcome,
        checks: &[Check],
    ) -> Result<(), CheckFailure> {
        checks.iter().try_for_each(|c| self.run_check(outcome, c))
    }

    fn run_check(&self, outcome: &InstructionOutcome, check: &Check) -> Result<(), CheckFailure> {
        match &check.0 {
            Kind::Result(expected) => {
                if *expected != outcome.result {
                    return Err(CheckFailure::Result {
                        expected: *expected,
                        actual: outcome.result,
                    });
                }
            }
            Kind::ComputeUnits(expected) => {
                if *expected != outcome.compute_units_consumed {
                    return Err(CheckFailure::ComputeUnits {
                        expected: *expected,
                        actual: outcome.compute_units_consumed,
                    });
                }
            }
            Kind::ReturnData(expected) => {
                let actual = outcome
                    .return_data
                    .as_ref()
                    .map(|(_, d)| d.as_slice())
                    .unwrap_or(&[]);
                if expected != actual {
                    return Err(CheckFailure::ReturnData {
                        expected: expected.clone(),
                        actual: actual.to_vec(),
                    });
                }
            }
            Kind::Account(c) => self.check_account(outcome, c)?,
        }
        Ok(())
    }

    fn check_account(
        &self,
        outcome: &InstructionOutcome,
        c: &AccountCheck,
    ) -> Result<(), CheckFailure> {
        let key = c.key;
        let a = outcome
            .account(&key)
            .ok_or(CheckFailure::AccountNotFound { key })?;
        if let Some(expected) = c.lamports.filter(|&l| l != a.lamports) {
            return Err(CheckFailure::Lamports {
                key,
                expected,
                actual: a.lamports,
            });
        }
        if let Some(expected) = c.data.as_ref().filter(|d| **d != a.data) {
            return Err(CheckFailure::Data {
                key,
                expected: expected.clone(),
                actual: a.data.clone(),
            });
        }
        if let Some(expected) = c.owner.filter(|o| *o != a.owner) {
            return Err(CheckFailure::Owner {
                key,
                expected,
                actual: a.owner,
            });
        }
        if let Some(expected) = c.executable.filter(|&e| e != a.executable) {
            return Err(CheckFailure::Executable {
                key,
                expected,
                actual: a.executable,
            });
        }
        if let Some(expected) = c.space.filter(|&s| s != a.data.len()) {
            return Err(CheckFailure::Space {
                key,
                expected,
                actual: a.data.len(),
            });
        }
        if c.closed && (a.lamports != 0 || !a.data.is_empty()) {
            return Err(CheckFailure::NotClosed {
                key,
                lamports: a.lamports,
                data_len: a.data.len(),
            });
        }
        let minimum = self.minimum_balance_for_rent_exemption(a.data.len());
        if c.rent_exempt && a.lamports < minimum {
            return Err(CheckFailure::NotRentExempt {
                key,
                lamports: a.lamports,
                data_len: a.data.len(),
                minimum,
            });
        }
        Ok(())
    }

    /// [`Runtime::process_instruction`], then [`Runtime::validate_outcome`]
    /// with `checks`, as Mollusk's `process_and_validate_instruction`: for
    /// tests, it panics when a check fails, with the failure (which check,
    /// expected and actual values) and the instruction's log lines, and
    /// returns the outcome otherwise. Use `validate_outcome` for a `Result`.
    ///
    /// # Panics
    ///
    /// When a check fails.
    pub fn process_and_validate_instruction(
        &self,
        instruction: &Instruction,
        accounts: &[(Pubkey, Account)],
        checks: &[Check],
    ) -> InstructionOutcome {
        let outcome = self.process_instruction(instruction, accounts);
        if let Err(failure) = self.validate_outcome(&outcome, checks) {
            let mut logs = String::new();
            for line in &outcome.logs {
                let _ = write!(logs, "\n  {line}");
            }
            panic!(
                "process_and_validate_instruction: {failure}\ninstruction logs:{}",
                if logs.is_empty() { " (none)" } else { &logs }
            );
        }
        outcome
    }
}
