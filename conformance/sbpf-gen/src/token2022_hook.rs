//! `TransferChecked` through a transfer hook, for the `token2022-cpi`
//! suite: a mint with the TransferHook extension naming `asm/hook.s`
//! (assembled, loader v2), token accounts with TransferHookAccount. Token-2022
//! marks both accounts `transferring`, invokes the hook's `Execute` with
//! source, mint, destination and authority read-only (and the validation
//! account when one is given), then clears the marks. The hook logs and, by
//! the amount's low byte, succeeds, fails (13) or writes the read-only
//! source (7).

use mollusk_svm::program::{create_program_account_loader_v2, loader_keys::LOADER_V2};
use mollusk_svm::Mollusk;
use rand::Rng;
use solana_account::Account;
use solana_instruction::{AccountMeta, Instruction};
use solana_pubkey::Pubkey;

use crate::fixture::{Case, ProgramRef};
use crate::ptoken::{TokenAccount, TOKEN_2022};
use crate::token2022_cpi::CpiGen;

/// The hook's id.
pub const HOOK: Pubkey = Pubkey::from_str_const("HookA11111111111111111111111111111111111111");

/// The hook ELF's path relative to `conformance/fixtures/`.
pub const ELF_PATH: &str = "elf/transfer-hook.so";

/// The hook in the suite's `programs`.
pub fn program_ref(elf: &[u8]) -> ProgramRef {
    ProgramRef {
        id: HOOK.to_string(),
        kind: "sbpf".into(),
        name: "transfer-hook".into(),
        loader: Some(LOADER_V2.to_string()),
        elf: Some(ELF_PATH.into()),
        elf_sha256: Some(hex::encode(solana_sha256_hasher::hash(elf).to_bytes())),
    }
}

/// Load the hook into `m`.
pub fn add_hook(m: &mut Mollusk, elf: &[u8]) {
    m.add_program_with_loader_and_elf(&HOOK, &LOADER_V2, elf);
}

/// Extension data after a 165-byte base: the account type, then one TLV
/// entry.
fn with_extension(mut base: Vec<u8>, account_type: u8, ext: u16, value: &[u8]) -> Vec<u8> {
    base.resize(165, 0);
    base.push(account_type);
    base.extend_from_slice(&ext.to_le_bytes());
    base.extend_from_slice(&(value.len() as u16).to_le_bytes());
    base.extend_from_slice(value);
    base
}

/// A mint (6 decimals, initialized) whose TransferHook extension names
/// `program`.
fn hook_mint(supply: u64, program: &Pubkey) -> Vec<u8> {
    let mut base = vec![0u8; 82];
    base[36..44].copy_from_slice(&supply.to_le_bytes());
    base[44] = 6;
    base[45] = 1;
    let mut value = [0u8; 64];
    value[32..].copy_from_slice(program.as_ref());
    with_extension(base, 1, 14, &value)
}

impl CpiGen {
    pub(crate) fn transfer_hook(&mut self, index: usize) -> Option<Case> {
        let mut tags: Vec<&'static str> = Vec::new();
        let (source, destination, owner, mint) = (self.key(), self.key(), self.key(), self.key());
        let balance: u64 = self.rng.gen_range(1_000..1_000_000_000);
        let mut amount: u64 = self.rng.gen_range(0..=balance);
        // Keep the hook's switches (low byte 7 and 13) to their variations.
        if matches!(amount & 0xff, 7 | 13) {
            amount ^= 1;
        }
        let mut hook_program = HOOK;
        let mut hook_listed = true;
        let mut owner_signs = true;
        let mut source_ext = true;
        let mut validation: Option<Vec<u8>> = None;
        let mut decimals = 6u8;
        match self.rng.gen_range(0..14) {
            0 => {
                tags.push("hook-fails");
                amount = (amount & !0xff) | 13;
            }
            1 => {
                tags.push("hook-writes-source");
                amount = (amount & !0xff) | 7;
            }
            2 => {
                tags.push("hook-not-listed");
                hook_listed = false;
            }
            3 => {
                tags.push("hook-not-executable");
                hook_program = self.key();
            }
            4 => {
                tags.push("source-without-hook-account");
                source_ext = false;
            }
            5 => {
                tags.push("validation-garbage");
                let len = self.rng.gen_range(0..40);
                validation = Some((0..len).map(|_| self.rng.gen()).collect());
            }
            6 => {
                tags.push("owner-unsigned");
                owner_signs = false;
            }
            7 => {
                tags.push("amount-over");
                amount = balance + 1;
                if matches!(amount & 0xff, 7 | 13) {
                    amount += 2;
                }
            }
            8 => {
                tags.push("wrong-decimals");
                decimals = 9;
            }
            _ => tags.push("valid"),
        }
        let env = self.budget(&mut tags);
        let account = |mint: Pubkey, owner: Pubkey, amount: u64| TokenAccount {
            mint,
            owner,
            amount,
            delegate: None,
            state: 1,
            is_native: None,
            delegated_amount: 0,
        };
        let source_base = account(mint, owner, balance).data();
        let source_data = if source_ext {
            with_extension(source_base, 2, 15, &[0])
        } else {
            source_base
        };
        let dest_data = with_extension(account(mint, self.key(), 0).data(), 2, 15, &[0]);
        let token = |data: Vec<u8>| Account {
            lamports: 3_000_000,
            data,
            owner: TOKEN_2022.id,
            executable: false,
            rent_epoch: 0,
        };
        let mut accounts = vec![
            (source, token(source_data)),
            (mint, token(hook_mint(balance, &hook_program))),
            (destination, token(dest_data)),
            (owner, Account::new(1_000_000, 0, &Pubkey::default())),
        ];
        let mut metas = vec![
            AccountMeta::new(source, false),
            AccountMeta::new_readonly(mint, false),
            AccountMeta::new(destination, false),
            AccountMeta::new_readonly(owner, owner_signs),
        ];
        if hook_listed {
            let program_account = if hook_program == HOOK {
                create_program_account_loader_v2(&[])
            } else {
                Account::new(1_000_000, 0, &Pubkey::default())
            };
            accounts.push((hook_program, program_account));
            metas.push(AccountMeta::new_readonly(hook_program, false));
        }
        if let Some(data) = validation {
            let (key, _) = Pubkey::find_program_address(
                &[b"extra-account-metas", mint.as_ref()],
                &hook_program,
            );
            accounts.push((key, Account::new(1_000_000, data.len(), &hook_program)));
            if let Some((_, a)) = accounts.last_mut() {
                a.data = data;
            }
            metas.push(AccountMeta::new_readonly(key, false));
        }
        let mut data = vec![12u8];
        data.extend_from_slice(&amount.to_le_bytes());
        data.push(decimals);
        let ix = Instruction {
            program_id: TOKEN_2022.id,
            accounts: metas,
            data,
        };
        self.finish("TransferCheckedWithHook", index, &tags, env, ix, accounts)
    }
}
