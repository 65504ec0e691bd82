//! Programs deployed in accounts, compiled on first use: the
//! [`ProgramSource`] a runtime installs in its program registry, so that a
//! program written by any means (deployed, set as accounts, reopened from
//! a durable store) runs the first time a transaction invokes it.

use std::sync::Arc;

use baton_executor::{Program, ProgramSource, SourcedProgram};
use baton_types::{Account, Pubkey};

use crate::deploy::{
    deployed_elf, BPF_LOADER, BPF_LOADER_DEPRECATED, BPF_LOADER_UPGRADEABLE, LOADER_V4,
    V3_PROGRAM_LEN, V4_HEADER_LEN,
};
use crate::{Mode, SbpfProgram};

/// Finds the sBPF programs deployed in the accounts `load` reads — the
/// program account at the id, owned by loader v2, v3 (with its
/// programdata) or v4 — and loads them with the execution settings, as
/// Agave's program cache does ([`SbpfProgram::load_deployed`]), compiled
/// in `mode`.
///
/// A loader's account that holds no runnable program gives Agave's
/// "Program is not deployed": an ELF that fails to load or verify, a v3
/// program whose programdata is missing or malformed, a retracted v4
/// program, a program account not marked executable, or a loader-v1
/// program (Agave runs those; Baton does not yet).
pub struct DeployedPrograms<F> {
    load: F,
    mode: Mode,
}

impl<F> DeployedPrograms<F>
where
    F: Fn(&Pubkey) -> Option<Account> + Send + Sync,
{
    /// A source reading accounts with `load`, compiling in `mode`.
    pub fn new(load: F, mode: Mode) -> Self {
        Self { load, mode }
    }
}

impl<F> ProgramSource for DeployedPrograms<F>
where
    F: Fn(&Pubkey) -> Option<Account> + Send + Sync,
{
    fn load(&self, id: &Pubkey) -> Option<SourcedProgram> {
        let account = (self.load)(id)?;
        let owner = account.owner;
        if ![
            BPF_LOADER_DEPRECATED,
            BPF_LOADER,
            BPF_LOADER_UPGRADEABLE,
            LOADER_V4,
        ]
        .contains(&owner)
        {
            return None;
        }
        let mut accounts = vec![*id];
        let program = if owner == BPF_LOADER_DEPRECATED {
            Err("loader-v1 (BPFLoader1111…) programs are not supported".to_string())
        } else if !account.executable {
            Err("the program account is not executable".to_string())
        } else if owner == LOADER_V4 && v4_retracted(&account) {
            Err("the loader-v4 program is retracted".to_string())
        } else {
            if owner == BPF_LOADER_UPGRADEABLE {
                if let Some(pd) = account
                    .data
                    .get(4..V3_PROGRAM_LEN)
                    .and_then(|b| <[u8; 32]>::try_from(b).ok())
                {
                    accounts.push(Pubkey::new_from_array(pd));
                }
            }
            match deployed_elf(&account, &self.load) {
                Some((_, elf)) => SbpfProgram::load_deployed(&elf, self.mode)
                    .map(|p| Arc::new(p) as Arc<dyn Program>)
                    .map_err(|e| e.to_string()),
                None => Err("the program's accounts are malformed".to_string()),
            }
        };
        Some(SourcedProgram { program, accounts })
    }
}

/// Whether a loader-v4 program account's status is Retracted (0).
fn v4_retracted(account: &Account) -> bool {
    account
        .data
        .get(40..V4_HEADER_LEN)
        .is_none_or(|s| s == [0; 8])
}
