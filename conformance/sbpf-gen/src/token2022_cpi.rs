//! The `token2022-cpi` suite: the Token-2022 instructions that call the
//! system program (`sbpf/elf/token_2022.so`, loader v3, and the system
//! builtin): `Reallocate` (29), which grows a token account for new
//! extensions and, when its balance falls short of the rent-exempt minimum,
//! transfers the difference from the payer by `invoke`; and
//! `CreateNativeMint` (31), which funds the native mint by `invoke`
//! (transfer) and creates it by `invoke_signed` (allocate, assign) with the
//! mint's seeds; and `TransferChecked` on a mint whose TransferHook
//! extension names an assembled hook (`asm/hook.s`, see
//! `token2022_hook.rs`), which Token-2022 invokes with `Execute`. Valid and
//! varied, seeded.

use mollusk_svm::program::keyed_account_for_system_program;
use mollusk_svm::Mollusk;
use rand::seq::SliceRandom;
use rand::Rng;
use rand_chacha::ChaCha8Rng;
use solana_account::Account;
use solana_instruction::{AccountMeta, Instruction};
use solana_pubkey::Pubkey;

use crate::fixture::{Case, Environment, ProgramRef};
use crate::harness;
use crate::ptoken::{mollusk, run, state, TokenAccount, TOKEN_2022};

const SYSTEM: Pubkey = Pubkey::new_from_array([0; 32]);
/// Token-2022's native mint.
const NATIVE_MINT_2022: Pubkey =
    Pubkey::from_str_const("9pan9bMn5HatX4EJdBwg9VgCa7Uz5HL8N1m5D3NdXejP");

/// Compute limits: the default, then budgets the instructions run out of.
pub const BUDGETS: [u64; 3] = [200_000, 2_000, 6_000];

/// One environment per budget.
pub fn environments() -> Vec<Environment> {
    crate::budget_envs(&BUDGETS)
}

/// The programs: Token-2022 (ELF), the hook (assembled ELF) and the
/// system program.
pub fn programs(hook_elf: &[u8]) -> Vec<ProgramRef> {
    let mut p = crate::ptoken::programs(&TOKEN_2022);
    p.push(crate::token2022_hook::program_ref(hook_elf));
    p.push(ProgramRef {
        id: SYSTEM.to_string(),
        kind: "builtin".into(),
        name: "system".into(),
        loader: None,
        elf: None,
        elf_sha256: None,
    });
    p
}

/// Account extension types (ImmutableOwner, MemoTransfer, CpiGuard,
/// TransferHookAccount, TransferFeeAmount, NonTransferableAccount,
/// PausableAccount), mint ones (TransferFeeConfig, MintCloseAuthority) and
/// values that are no extension.
const ACCOUNT_EXTS: [u16; 7] = [7, 8, 11, 15, 2, 13, 27];
const MINT_EXTS: [u16; 2] = [1, 3];
const BAD_EXTS: [u16; 3] = [0, 200, 65_535];

/// The case generator.
pub struct CpiGen {
    pub(crate) rng: ChaCha8Rng,
    mollusks: Vec<Mollusk>,
    /// Cases regenerated because Mollusk panicked.
    pub dropped: usize,
}

impl CpiGen {
    /// A generator over `envs`, with the transfer hook `hook_elf`.
    pub fn new(rng: ChaCha8Rng, envs: &[Environment], hook_elf: &[u8]) -> Self {
        Self {
            rng,
            mollusks: envs
                .iter()
                .map(|e| {
                    let mut m = mollusk(e, &TOKEN_2022);
                    crate::token2022_hook::add_hook(&mut m, hook_elf);
                    m
                })
                .collect(),
            dropped: 0,
        }
    }

    /// `n` Reallocate cases, `n / 2` CreateNativeMint cases and `n / 2`
    /// TransferChecked cases with a hook.
    pub fn generate(&mut self, n: usize) -> Vec<Case> {
        let mut cases = Vec::new();
        for (kind, count) in [(0u8, n), (1u8, n / 2), (2u8, n / 2)] {
            let mut i = 0;
            while i < count {
                let c = match kind {
                    0 => self.reallocate(cases.len()),
                    1 => self.create_native_mint(cases.len()),
                    _ => self.transfer_hook(cases.len()),
                };
                match c {
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

    pub(crate) fn key(&mut self) -> Pubkey {
        Pubkey::new_from_array(self.rng.gen())
    }

    fn min_balance(&self, len: usize) -> u64 {
        self.mollusks[0].sysvars.rent.minimum_balance(len)
    }

    pub(crate) fn budget(&mut self, tags: &mut Vec<&'static str>) -> usize {
        if self.rng.gen_bool(0.08) {
            tags.push("budget");
            self.rng.gen_range(1..BUDGETS.len())
        } else {
            0
        }
    }

    fn reallocate(&mut self, index: usize) -> Option<Case> {
        let mut tags: Vec<&'static str> = Vec::new();
        let (account, payer, owner, mint) = (self.key(), self.key(), self.key(), self.key());
        let mut base = TokenAccount {
            mint,
            owner,
            amount: self.rng.gen_range(0..1_000_000),
            delegate: None,
            state: 1,
            is_native: None,
            delegated_amount: 0,
        };
        let mut exts: Vec<u16> = Vec::new();
        for _ in 0..self.rng.gen_range(1..4) {
            exts.push(*ACCOUNT_EXTS.choose(&mut self.rng).unwrap_or(&7));
        }
        let mut account_lamports = self.min_balance(165);
        let mut payer_lamports = 1_000_000_000u64;
        let mut payer_signs = true;
        let mut payer_writable = true;
        let mut account_writable = true;
        let mut owner_signs = true;
        let mut token_owner = TOKEN_2022.id;
        let mut authority = owner;
        let mut system_id = SYSTEM;
        let mut preset_immutable = false;
        let mut truncate = false;
        let mut payer_is_account = false;
        let picks = self.rng.gen_range(0..3);
        for _ in 0..picks {
            match self.rng.gen_range(0..17) {
                0 => {
                    tags.push("prefunded");
                    account_lamports = self.min_balance(200) + self.rng.gen_range(0..2);
                }
                1 => {
                    tags.push("payer-unsigned");
                    payer_signs = false;
                }
                2 => {
                    tags.push("payer-poor");
                    payer_lamports = self.rng.gen_range(0..20_000);
                }
                3 => {
                    tags.push("payer-readonly");
                    payer_writable = false;
                }
                4 => {
                    tags.push("owner-unsigned");
                    owner_signs = false;
                }
                5 => {
                    tags.push("wrong-authority");
                    authority = self.key();
                }
                6 => {
                    tags.push("mint-extension");
                    exts.push(*MINT_EXTS.choose(&mut self.rng).unwrap_or(&1));
                }
                7 => {
                    tags.push("bad-extension");
                    exts.push(*BAD_EXTS.choose(&mut self.rng).unwrap_or(&0));
                }
                8 => {
                    tags.push("has-immutable-owner");
                    preset_immutable = true;
                }
                9 => {
                    tags.push("uninitialized");
                    base.state = 0;
                }
                10 => {
                    tags.push("foreign-owner");
                    token_owner = self.key();
                }
                11 => {
                    tags.push("wrong-system-program");
                    system_id = self.key();
                }
                12 => {
                    tags.push("account-readonly");
                    account_writable = false;
                }
                13 => {
                    tags.push("data-truncated");
                    truncate = true;
                }
                14 => {
                    tags.push("no-extensions");
                    exts.clear();
                }
                15 => {
                    tags.push("payer-is-account");
                    payer_is_account = true;
                }
                _ => {
                    tags.push("frozen");
                    base.state = 2;
                }
            }
        }
        let env = self.budget(&mut tags);
        let mut data = base.data();
        if preset_immutable {
            data.push(2); // AccountType::Account
            data.extend_from_slice(&7u16.to_le_bytes());
            data.extend_from_slice(&0u16.to_le_bytes());
            account_lamports = account_lamports.max(self.min_balance(data.len()));
        }
        let mut accounts = vec![(
            account,
            Account {
                lamports: account_lamports,
                data,
                owner: token_owner,
                executable: false,
                rent_epoch: 0,
            },
        )];
        let payer_key = if payer_is_account { account } else { payer };
        if !payer_is_account {
            accounts.push((
                payer,
                Account {
                    lamports: payer_lamports,
                    owner: SYSTEM,
                    ..Account::default()
                },
            ));
        }
        if system_id == SYSTEM {
            accounts.push(keyed_account_for_system_program());
        } else {
            accounts.push((system_id, Account::new(1_000_000, 0, &SYSTEM)));
        }
        accounts.push((authority, Account::new(1_000_000, 0, &SYSTEM)));
        let mut ix_data = vec![29u8];
        for e in &exts {
            ix_data.extend_from_slice(&e.to_le_bytes());
        }
        if truncate {
            ix_data.pop();
        }
        let ix = Instruction {
            program_id: TOKEN_2022.id,
            accounts: vec![
                AccountMeta {
                    pubkey: account,
                    is_signer: false,
                    is_writable: account_writable,
                },
                AccountMeta {
                    pubkey: payer_key,
                    is_signer: payer_signs,
                    is_writable: payer_writable,
                },
                AccountMeta::new_readonly(system_id, false),
                AccountMeta::new_readonly(authority, owner_signs),
            ],
            data: ix_data,
        };
        if tags.is_empty() {
            tags.push("valid");
        }
        self.finish("Reallocate", index, &tags, env, ix, accounts)
    }

    fn create_native_mint(&mut self, index: usize) -> Option<Case> {
        let mut tags: Vec<&'static str> = Vec::new();
        let payer = self.key();
        let mut payer_lamports = 1_000_000_000u64;
        let mut payer_signs = true;
        let mut mint_key = NATIVE_MINT_2022;
        let mut mint = Account::default();
        let mut system_id = SYSTEM;
        let mut mint_writable = true;
        match self.rng.gen_range(0..10) {
            0 => {
                tags.push("payer-unsigned");
                payer_signs = false;
            }
            1 => {
                tags.push("payer-poor");
                payer_lamports = self.rng.gen_range(0..2_000_000);
            }
            2 => {
                tags.push("prefunded");
                mint.lamports = self.rng.gen_range(1..3_000_000);
            }
            3 => {
                tags.push("exists");
                mint = Account::new(self.min_balance(82), 82, &TOKEN_2022.id);
            }
            4 => {
                tags.push("wrong-address");
                mint_key = self.key();
            }
            5 => {
                tags.push("wrong-system-program");
                system_id = self.key();
            }
            6 => {
                tags.push("mint-readonly");
                mint_writable = false;
            }
            7 => {
                tags.push("allocated");
                mint = Account::new(0, 10, &SYSTEM);
            }
            _ => tags.push("valid"),
        }
        let env = self.budget(&mut tags);
        let mut accounts = vec![
            (
                payer,
                Account {
                    lamports: payer_lamports,
                    owner: SYSTEM,
                    ..Account::default()
                },
            ),
            (mint_key, mint),
        ];
        if system_id == SYSTEM {
            accounts.push(keyed_account_for_system_program());
        } else {
            accounts.push((system_id, Account::new(1_000_000, 0, &SYSTEM)));
        }
        let ix = Instruction {
            program_id: TOKEN_2022.id,
            accounts: vec![
                AccountMeta::new(payer, payer_signs),
                AccountMeta {
                    pubkey: mint_key,
                    is_signer: false,
                    is_writable: mint_writable,
                },
                AccountMeta::new_readonly(system_id, false),
            ],
            data: vec![31],
        };
        self.finish("CreateNativeMint", index, &tags, env, ix, accounts)
    }

    pub(crate) fn finish(
        &mut self,
        kind: &str,
        index: usize,
        tags: &[&str],
        env: usize,
        ix: Instruction,
        accounts: Vec<(Pubkey, Account)>,
    ) -> Option<Case> {
        let expected = run(&mut self.mollusks[env], &ix, &accounts)?;
        Some(Case {
            name: format!("{kind}/{index:04}/{}", tags.join("+")),
            kind: kind.into(),
            env,
            instruction: harness::instruction_ref(&ix.program_id, &ix),
            accounts: accounts.iter().map(|(k, a)| state(k, a)).collect(),
            expected,
        })
    }
}
