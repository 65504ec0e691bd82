//! The `token` suite: transactions calling the real token ELF — the p-token
//! build Baton vendors (`sbpf/elf/token.so`), loaded at Tokenkeg under
//! loader v2 in place of LiteSVM's own — through seeded scenarios of
//! transfers, checked transfers, mints, burns, approvals and closes, legacy
//! and v0, with and without compute-budget instructions, succeeding and
//! failing.

use rand::seq::SliceRandom;
use rand::Rng;
use rand_chacha::ChaCha8Rng;
use solana_instruction::{AccountMeta, Instruction};
use solana_keypair::Keypair;
use solana_pubkey::Pubkey;
use solana_signer::Signer;

use crate::build::{cb, keypair, pubkey, system_account, transaction, Version};
use crate::fixture::{ProgramEntry, Scenario};
use crate::harness::Harness;

/// The ELF, relative to the repository root (where the generator runs).
pub const ELF: &str = "sbpf/elf/token.so";

pub fn token_id() -> Pubkey {
    Pubkey::from_str_const("TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA")
}

fn elf() -> Vec<u8> {
    std::fs::read(ELF).unwrap_or_else(|e| panic!("{ELF}: {e} (run from the repository root)"))
}

pub fn programs() -> Vec<ProgramEntry> {
    let sha = solana_sha256_hasher::hashv(&[&elf()]);
    vec![ProgramEntry {
        id: token_id().to_string(),
        name: "p-token (Baton's vendored ELF)".into(),
        loader: solana_sdk_ids::bpf_loader::id().to_string(),
        elf: Some(ELF.into()),
        elf_sha256: hex::encode(sha.to_bytes()),
    }]
}

pub fn scenarios(rng: &mut ChaCha8Rng, count: usize, steps: usize) -> Vec<Scenario> {
    (0..count)
        .map(|i| scenario(&format!("token/{i:02}"), rng.gen(), steps))
        .collect()
}

fn coption(d: &mut [u8], at: usize, key: Option<&Pubkey>) {
    if let Some(k) = key {
        d[at] = 1;
        d[at + 4..at + 36].copy_from_slice(k.as_ref());
    }
}

fn mint_data(authority: &Pubkey, freeze: &Pubkey, supply: u64, decimals: u8) -> Vec<u8> {
    let mut d = vec![0u8; 82];
    coption(&mut d, 0, Some(authority));
    d[36..44].copy_from_slice(&supply.to_le_bytes());
    d[44] = decimals;
    d[45] = 1;
    coption(&mut d, 46, Some(freeze));
    d
}

fn account_data(mint: &Pubkey, owner: &Pubkey, amount: u64, frozen: bool) -> Vec<u8> {
    let mut d = vec![0u8; 165];
    d[0..32].copy_from_slice(mint.as_ref());
    d[32..64].copy_from_slice(owner.as_ref());
    d[64..72].copy_from_slice(&amount.to_le_bytes());
    d[108] = if frozen { 2 } else { 1 };
    d
}

fn ix(data: Vec<u8>, metas: Vec<AccountMeta>) -> Instruction {
    Instruction::new_with_bytes(token_id(), &data, metas)
}

fn with_amount(tag: u8, amount: u64) -> Vec<u8> {
    let mut d = vec![tag];
    d.extend_from_slice(&amount.to_le_bytes());
    d
}

struct Holder {
    owner: Keypair,
    account: Pubkey,
    mint: usize,
}

fn scenario(name: &str, seed: u64, steps: usize) -> Scenario {
    use rand::SeedableRng;
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut h = Harness::new(name, true);
    h.svm
        .add_program_with_loader(token_id(), &elf(), solana_sdk_ids::bpf_loader::id())
        .unwrap_or_else(|e| panic!("loading {ELF}: {e:?}"));
    let rent_mint = h.svm.minimum_balance_for_rent_exemption(82);
    let rent_acct = h.svm.minimum_balance_for_rent_exemption(165);
    let authority = keypair(&mut rng);
    let freezer = pubkey(&mut rng);
    h.set(authority.pubkey(), system_account(5_000_000_000, u64::MAX));
    let mints: Vec<(Pubkey, u8)> = (0..2)
        .map(|i| (pubkey(&mut rng), 6 + 3 * i as u8))
        .collect();
    let mut holders: Vec<Holder> = Vec::new();
    let mut supply = [0u64; 2];
    for i in 0..7 {
        let owner = keypair(&mut rng);
        let account = pubkey(&mut rng);
        let mint = usize::from(i == 6);
        let amount = rng.gen_range(0..1_000_000u64);
        supply[mint] += amount;
        let frozen = i == 5;
        h.set(
            owner.pubkey(),
            system_account(rng.gen_range(10_000_000..2_000_000_000), u64::MAX),
        );
        let mut a = system_account(rent_acct, u64::MAX);
        a.owner = token_id();
        a.data = account_data(&mints[mint].0, &owner.pubkey(), amount, frozen);
        h.set(account, a);
        holders.push(Holder {
            owner,
            account,
            mint,
        });
    }
    for (i, (m, decimals)) in mints.iter().enumerate() {
        let mut a = system_account(rent_mint, u64::MAX);
        a.owner = token_id();
        a.data = mint_data(&authority.pubkey(), &freezer, supply[i], *decimals);
        h.set(*m, a);
    }
    let bh = h.svm.latest_blockhash();
    for step in 0..steps {
        let version = if rng.gen_bool(0.5) {
            Version::Legacy
        } else {
            Version::V0
        };
        let mut tags = vec![version.tag()];
        let mut ixs = Vec::new();
        if rng.gen_bool(0.3) {
            let units = *[200u32, 226, 300, 1_000, 10_000]
                .choose(&mut rng)
                .unwrap_or(&300);
            ixs.push(cb::limit(units));
            tags.push("cb-limit");
        }
        if rng.gen_bool(0.3) {
            ixs.push(cb::price(rng.gen_range(1..10_000_000)));
            tags.push("cb-price");
        }
        let a = rng.gen_range(0..holders.len());
        let mut b = rng.gen_range(0..holders.len());
        if rng.gen_bool(0.9) && b == a {
            b = (a + 1) % holders.len();
        }
        let (src, dst) = (&holders[a], &holders[b]);
        let balance = h.svm.get_account(&src.account).map_or(0, |x| {
            u64::from_le_bytes(x.data[64..72].try_into().unwrap_or([0; 8]))
        });
        let amount = match rng.gen_range(0..6) {
            0 => 0,
            1 => balance,
            2 => balance + 1,
            _ => rng.gen_range(0..=balance.max(1)),
        };
        let mut signer = &src.owner;
        let (mint, decimals) = mints[src.mint];
        let label = match rng.gen_range(0..100) {
            0..=44 => {
                // Sometimes signed by the wrong owner.
                let owner = if rng.gen_bool(0.1) {
                    &dst.owner
                } else {
                    &src.owner
                };
                signer = owner;
                ixs.push(ix(
                    with_amount(3, amount),
                    vec![
                        AccountMeta::new(src.account, false),
                        AccountMeta::new(dst.account, false),
                        AccountMeta::new_readonly(owner.pubkey(), true),
                    ],
                ));
                "transfer"
            }
            45..=59 => {
                let mut d = with_amount(12, amount);
                d.push(if rng.gen_bool(0.85) {
                    decimals
                } else {
                    decimals + 1
                });
                ixs.push(ix(
                    d,
                    vec![
                        AccountMeta::new(src.account, false),
                        AccountMeta::new_readonly(mint, false),
                        AccountMeta::new(dst.account, false),
                        AccountMeta::new_readonly(src.owner.pubkey(), true),
                    ],
                ));
                "transfer-checked"
            }
            60..=69 => {
                signer = if rng.gen_bool(0.85) {
                    &authority
                } else {
                    &src.owner
                };
                ixs.push(ix(
                    with_amount(7, rng.gen_range(1..1_000_000)),
                    vec![
                        AccountMeta::new(mint, false),
                        AccountMeta::new(src.account, false),
                        AccountMeta::new_readonly(signer.pubkey(), true),
                    ],
                ));
                "mint-to"
            }
            70..=79 => {
                ixs.push(ix(
                    with_amount(8, amount),
                    vec![
                        AccountMeta::new(src.account, false),
                        AccountMeta::new(mint, false),
                        AccountMeta::new_readonly(src.owner.pubkey(), true),
                    ],
                ));
                "burn"
            }
            80..=89 => {
                ixs.push(ix(
                    with_amount(4, amount),
                    vec![
                        AccountMeta::new(src.account, false),
                        AccountMeta::new_readonly(dst.owner.pubkey(), false),
                        AccountMeta::new_readonly(src.owner.pubkey(), true),
                    ],
                ));
                "approve"
            }
            _ => {
                ixs.push(ix(
                    vec![9],
                    vec![
                        AccountMeta::new(src.account, false),
                        AccountMeta::new(src.owner.pubkey(), false),
                        AccountMeta::new_readonly(src.owner.pubkey(), true),
                    ],
                ));
                "close"
            }
        };
        tags.push(label);
        let payer = signer.pubkey();
        let tx = transaction(version, &ixs, &payer, &[signer], bh, &[]);
        h.tx(&format!("{step:02}/{label}"), &tags, &tx);
    }
    h.finish()
}
