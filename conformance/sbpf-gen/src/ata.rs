//! The `ata` suite: the Associated Token Account program
//! (`sbpf/elf/associated_token.so`, loader v2) creating accounts through
//! CPIs to the system program (builtin) and to p-token (sBPF), with
//! GetAccountDataSize's return data across a call: Create and
//! CreateIdempotent over seeded wallets and mints, valid and varied.

use mollusk_svm::program::{
    create_program_account_loader_v2, keyed_account_for_system_program, loader_keys::LOADER_V2,
};
use mollusk_svm::Mollusk;
use rand::Rng;
use rand_chacha::ChaCha8Rng;
use solana_account::Account;
use solana_instruction::{AccountMeta, Instruction};
use solana_pubkey::Pubkey;

use crate::fixture::{Case, Environment, ProgramRef};
use crate::harness;
use crate::ptoken::{mollusk, run, state, SbpfProgram, P_TOKEN};

/// The Associated Token Account program.
pub const ATA: SbpfProgram = SbpfProgram {
    name: "associated-token",
    id: Pubkey::from_str_const("ATokenGPvbdGVxr1b2hvZbsiqW5xWH25efTNsLJA8knL"),
    loader: LOADER_V2,
    elf: include_bytes!("../../../sbpf/elf/associated_token.so"),
    elf_path: "../../sbpf/elf/associated_token.so",
};

/// Compute limits: the default, then budgets a Create runs out of.
pub const BUDGETS: [u64; 3] = [200_000, 5_000, 11_000];

/// One environment per budget.
pub fn environments() -> Vec<Environment> {
    crate::budget_envs(&BUDGETS)
}

/// The programs of the suite: ATA and p-token (ELFs), the system program.
pub fn programs() -> Vec<ProgramRef> {
    let mut p = crate::ptoken::programs(&ATA);
    p.extend(crate::ptoken::programs(&P_TOKEN));
    p.push(ProgramRef {
        id: Pubkey::default().to_string(),
        kind: "builtin".into(),
        name: "system".into(),
        loader: None,
        elf: None,
        elf_sha256: None,
    });
    p
}

/// The case generator.
pub struct AtaGen {
    rng: ChaCha8Rng,
    mollusks: Vec<Mollusk>,
    /// Cases regenerated because Mollusk panicked.
    pub dropped: usize,
}

const MINT_LAMPORTS: u64 = 1_461_600;

fn mint_data(initialized: bool) -> Vec<u8> {
    let mut d = vec![0u8; 82];
    d[44] = 6; // decimals
    d[45] = initialized as u8;
    d
}

fn token_account_data(mint: &Pubkey, owner: &Pubkey) -> Vec<u8> {
    let mut d = vec![0u8; 165];
    d[..32].copy_from_slice(mint.as_ref());
    d[32..64].copy_from_slice(owner.as_ref());
    d[108] = 1; // Initialized
    d
}

impl AtaGen {
    /// A generator over `envs`.
    pub fn new(rng: ChaCha8Rng, envs: &[Environment]) -> Self {
        let mollusks = envs
            .iter()
            .map(|e| {
                let mut m = mollusk(e, &ATA);
                m.add_program_with_loader_and_elf(&P_TOKEN.id, &P_TOKEN.loader, P_TOKEN.elf);
                m
            })
            .collect();
        Self {
            rng,
            mollusks,
            dropped: 0,
        }
    }

    /// `n` cases of each kind.
    pub fn generate(&mut self, n: usize) -> Vec<Case> {
        let mut cases = Vec::new();
        for kind in 0..2u8 {
            let mut i = 0;
            while i < n {
                match self.case(kind, cases.len()) {
                    Some(c) => {
                        cases.push(c);
                        i += 1;
                    }
                    None => self.dropped += 1,
                }
            }
        }
        cases
    }

    fn key(&mut self) -> Pubkey {
        Pubkey::new_from_array(self.rng.gen())
    }

    fn case(&mut self, kind: u8, index: usize) -> Option<Case> {
        let kind_name = if kind == 0 {
            "Create"
        } else {
            "CreateIdempotent"
        };
        let mut tags: Vec<String> = Vec::new();
        let (payer, wallet, mint) = (self.key(), self.key(), self.key());
        let (mut ata, _) = Pubkey::find_program_address(
            &[wallet.as_ref(), P_TOKEN.id.as_ref(), mint.as_ref()],
            &ATA.id,
        );
        let mut payer_lamports = 10_000_000_000u64;
        let mut payer_signs = true;
        let mut ata_account = Account::default();
        let mut mint_account = Account {
            lamports: MINT_LAMPORTS,
            data: mint_data(true),
            owner: P_TOKEN.id,
            executable: false,
            rent_epoch: 0,
        };
        let mut env = 0;
        match self.rng.gen_range(0..12) {
            0 => {
                tags.push("exists".into());
                ata_account = Account {
                    lamports: 2_039_280,
                    data: token_account_data(&mint, &wallet),
                    owner: P_TOKEN.id,
                    executable: false,
                    rent_epoch: 0,
                };
            }
            1 => {
                tags.push("prefunded".into());
                ata_account.lamports = self.rng.gen_range(1..3_000_000);
            }
            2 => {
                tags.push("payer-unsigned".into());
                payer_signs = false;
            }
            3 => {
                tags.push("payer-poor".into());
                payer_lamports = self.rng.gen_range(0..2_000_000);
            }
            4 => {
                tags.push("wrong-address".into());
                ata = self.key();
            }
            5 => {
                tags.push("mint-uninitialized".into());
                mint_account.data = mint_data(false);
            }
            6 => {
                tags.push("mint-foreign-owner".into());
                mint_account.owner = self.key();
            }
            7 => {
                tags.push("budget".into());
                env = self.rng.gen_range(1..BUDGETS.len());
            }
            _ => tags.push("valid".into()),
        }
        let accounts = vec![
            (
                payer,
                Account {
                    lamports: payer_lamports,
                    data: vec![],
                    owner: Pubkey::default(),
                    executable: false,
                    rent_epoch: 0,
                },
            ),
            (ata, ata_account),
            (wallet, Account::default()),
            (mint, mint_account),
            keyed_account_for_system_program(),
            // Mollusk's stub (no ELF bytes): the token program is never
            // among a callee's metas, so its data is never charged, and
            // the fixture stays small.
            (P_TOKEN.id, create_program_account_loader_v2(&[])),
        ];
        let data = match (kind, self.rng.gen_range(0..3)) {
            (0, 0) => vec![],
            (0, _) => vec![0],
            _ => vec![1],
        };
        let ix = Instruction {
            program_id: ATA.id,
            accounts: vec![
                AccountMeta::new(payer, payer_signs),
                AccountMeta::new(ata, false),
                AccountMeta::new_readonly(wallet, false),
                AccountMeta::new_readonly(mint, false),
                AccountMeta::new_readonly(Pubkey::default(), false),
                AccountMeta::new_readonly(P_TOKEN.id, false),
            ],
            data,
        };
        let expected = run(&mut self.mollusks[env], &ix, &accounts)?;
        Some(Case {
            name: format!("{kind_name}/{index:04}/{}", tags.join("+")),
            kind: kind_name.into(),
            env,
            instruction: harness::instruction_ref(&ATA.id, &ix),
            accounts: accounts.iter().map(|(k, a)| state(k, a)).collect(),
            expected,
        })
    }
}
