//! Deploying real programs (sBPF ELFs) into a [`Runtime`]: the checks, the
//! program accounts (byte-compatible with Agave's, see
//! [`baton_sbpf::deploy`]), and the registration of the compiled program.
//!
//! Everything here goes through the runtime's public API (`set_account`,
//! `add_program`), so it stays separate from the batch pipeline.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use baton_sbpf::deploy::{deployed_elf, program_accounts};
use baton_sbpf::{LoadError, Mode, SbpfProgram};
use baton_types::Pubkey;

pub use baton_sbpf::ProgramLoader;

use crate::{Runtime, RuntimeError};

/// Why a program could not be deployed. Nothing was written.
#[derive(Debug, thiserror::Error)]
pub enum DeployError {
    /// The ELF failed to load, verify or compile.
    #[error("program {program_id}: {source}")]
    Elf {
        /// Where it was to be deployed.
        program_id: Pubkey,
        /// What is wrong with it.
        #[source]
        source: LoadError,
    },
    /// The file could not be read.
    #[error("cannot read {path}: {message}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The OS error.
        message: String,
    },
    /// Writing the accounts failed.
    #[error(transparent)]
    Runtime(#[from] RuntimeError),
}

impl Runtime {
    /// Deploy the sBPF program `elf` at `program_id` with `loader`: check it
    /// with Agave's deployment settings, JIT-compile it, write the program
    /// account(s) as that loader lays them out (replacing what was at those
    /// addresses), and register it, replacing any program at `program_id`
    /// (the native token program too, to run p-token at Tokenkeg).
    ///
    /// # Errors
    ///
    /// [`DeployError::Elf`] for a broken, truncated or unverifiable ELF,
    /// saying what is wrong; nothing is written then.
    pub fn deploy_program(
        &mut self,
        program_id: Pubkey,
        elf: &[u8],
        loader: ProgramLoader,
    ) -> Result<(), DeployError> {
        self.deploy_program_with_mode(program_id, elf, loader, Mode::Jit)
    }

    /// [`Runtime::deploy_program`], running the program in `mode` (the
    /// interpreter skips JIT compilation).
    pub fn deploy_program_with_mode(
        &mut self,
        program_id: Pubkey,
        elf: &[u8],
        loader: ProgramLoader,
        mode: Mode,
    ) -> Result<(), DeployError> {
        let program = SbpfProgram::load_with_mode(elf, mode)
            .map_err(|source| DeployError::Elf { program_id, source })?;
        let slot = self.sysvars().clock.slot;
        let accounts = program_accounts(loader, &program_id, elf, &self.sysvars().rent, slot);
        let keys: Vec<Pubkey> = accounts.iter().map(|(k, _)| *k).collect();
        // Writing the accounts drops whatever was compiled from the old
        // ones; the new program is then registered as read from them.
        for (key, account) in accounts {
            self.set_account(key, account)?;
        }
        self.programs.invalidate(&program_id);
        self.programs
            .add_deployed(program_id, Arc::new(program), &keys);
        Ok(())
    }

    /// Deploy the ELF file at `path` (see [`Runtime::deploy_program`]).
    ///
    /// # Errors
    ///
    /// [`DeployError::Io`] when the file cannot be read, else as
    /// [`Runtime::deploy_program`].
    pub fn add_program_file(
        &mut self,
        program_id: Pubkey,
        path: impl AsRef<Path>,
        loader: ProgramLoader,
    ) -> Result<(), DeployError> {
        let path = path.as_ref();
        let elf = std::fs::read(path).map_err(|e| DeployError::Io {
            path: path.to_path_buf(),
            message: e.to_string(),
        })?;
        self.deploy_program(program_id, &elf, loader)
    }

    /// Compile now the sBPF programs deployed in the store and not
    /// registered yet (executable accounts of loaders v2, v3 and v4, as
    /// after reopening a durable store), and register them; returns their
    /// ids. Not needed to run them: a program deployed in the store is
    /// compiled the first time a transaction invokes it. What it is for is
    /// warming: paying the compilation before the first batch rather than
    /// in it, and finding out early that a stored ELF no longer loads.
    /// They are loaded with the execution settings, as Agave's program
    /// cache loads deployed programs. The accounts are not touched.
    ///
    /// # Errors
    ///
    /// [`DeployError::Elf`] for the first stored ELF that does not load
    /// (nothing is registered then; invoking it fails as Agave fails a
    /// program that is not deployed).
    pub fn load_deployed_programs(&mut self) -> Result<Vec<Pubkey>, DeployError> {
        let mut found = Vec::new();
        let store = self.store().clone();
        store
            .for_each_account(&mut |key, account| {
                if account.executable && !self.programs.is_registered(&key) {
                    if let Some((_, elf)) = deployed_elf(&account, |k| store.load(k)) {
                        // The program account, and a v3 program's programdata.
                        let mut keys = vec![key];
                        let v3 = account.owner == baton_sbpf::deploy::BPF_LOADER_UPGRADEABLE;
                        if let Some(pd) = account.data.get(4..36).filter(|_| v3) {
                            if let Ok(pd) = <[u8; 32]>::try_from(pd) {
                                keys.push(Pubkey::new_from_array(pd));
                            }
                        }
                        found.push((key, elf, keys));
                    }
                }
            })
            .map_err(RuntimeError::from)?;
        let mut loaded = Vec::with_capacity(found.len());
        for (program_id, elf, keys) in found {
            let program = SbpfProgram::load_deployed(&elf, Mode::Jit)
                .map_err(|source| DeployError::Elf { program_id, source })?;
            loaded.push((program_id, program, keys));
        }
        let mut ids = Vec::with_capacity(loaded.len());
        for (program_id, program, keys) in loaded {
            self.programs
                .add_deployed(program_id, Arc::new(program), &keys);
            ids.push(program_id);
        }
        Ok(ids)
    }
}
