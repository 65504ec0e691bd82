//! The token suites: seeded Transfer and TransferChecked instructions,
//! valid and varied, on the mainnet SPL Token ELF (`p-token`, vendored in
//! `sbpf/elf/token.so`, loader v2) or Token-2022 (`token-2022`,
//! `sbpf/elf/token_2022.so`, loader v3) with accounts without extensions.

use mollusk_svm::program::{
    loader_keys::{LOADER_V2, LOADER_V3},
    ProgramCache,
};
use mollusk_svm::Mollusk;
use rand::seq::SliceRandom;
use rand::Rng;
use rand_chacha::ChaCha8Rng;
use solana_account::Account;
use solana_instruction::{AccountMeta, Instruction};
use solana_pubkey::Pubkey;
use solana_svm_log_collector::LogCollector;
use std::panic::{catch_unwind, AssertUnwindSafe};

use crate::fixture::{encode_data, AccountState, Case, Environment, Expected, ProgramRef};
use crate::harness;

/// An ELF program a suite runs.
#[derive(Clone, Copy)]
pub struct SbpfProgram {
    /// Suite and program name.
    pub name: &'static str,
    /// Program id.
    pub id: Pubkey,
    /// Owning loader.
    pub loader: Pubkey,
    /// The ELF, as vendored in the Baton repository.
    pub elf: &'static [u8],
    /// Its path relative to `conformance/fixtures/`.
    pub elf_path: &'static str,
}

/// p-token at Tokenkeg, loader v2 (as Mollusk's token crate loads it).
pub const P_TOKEN: SbpfProgram = SbpfProgram {
    name: "p-token",
    id: Pubkey::from_str_const("TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA"),
    loader: LOADER_V2,
    elf: include_bytes!("../../../sbpf/elf/token.so"),
    elf_path: "../../sbpf/elf/token.so",
};

/// Token-2022, loader v3 (as Mollusk's token-2022 crate loads it).
pub const TOKEN_2022: SbpfProgram = SbpfProgram {
    name: "token-2022",
    id: Pubkey::from_str_const("TokenzQdBNbLqP5VEhdkAS6EPFLC1PHnBqCXEpPxuEb"),
    loader: LOADER_V3,
    elf: include_bytes!("../../../sbpf/elf/token_2022.so"),
    elf_path: "../../sbpf/elf/token_2022.so",
};
/// The native mint (wrapped SOL).
pub const NATIVE_MINT: Pubkey =
    Pubkey::from_str_const("So11111111111111111111111111111111111111112");
const SYSTEM: Pubkey = Pubkey::new_from_array([0; 32]);

/// Compute limits of the environments: the default, then the small budgets.
pub const BUDGETS: [u64; 7] = [200_000, 50, 100, 150, 200, 300, 500];

/// One environment per budget, Mollusk's sysvars otherwise.
pub fn environments() -> Vec<Environment> {
    crate::budget_envs(&BUDGETS)
}

/// The suite's programs.
pub fn programs(p: &SbpfProgram) -> Vec<ProgramRef> {
    use sha2_digest::sha256_hex;
    vec![ProgramRef {
        id: p.id.to_string(),
        kind: "sbpf".into(),
        name: p.name.into(),
        loader: Some(p.loader.to_string()),
        elf: Some(p.elf_path.into()),
        elf_sha256: Some(sha256_hex(p.elf)),
    }]
}

mod sha2_digest {
    /// SHA-256 of `b`, hex (via solana-sha256-hasher, which Mollusk brings).
    pub fn sha256_hex(b: &[u8]) -> String {
        hex::encode(solana_sha256_hasher::hash(b).to_bytes())
    }
}

/// Mollusk for the target with `p` loaded.
pub fn mollusk(env: &Environment, p: &SbpfProgram) -> Mollusk {
    let mut m = base_mollusk(env);
    m.add_program_with_loader_and_elf(&p.id, &p.loader, p.elf);
    m
}

/// Mollusk for the target (feature set, nesting limit, the environment's
/// compute limit), its program cache rebuilt for that feature set.
pub fn base_mollusk(env: &Environment) -> Mollusk {
    let mut m = Mollusk {
        feature_set: harness::target_feature_set(),
        // Mollusk's default budget has SIMD-0268's nesting limit (8 CPI
        // levels); the target has `raise_cpi_nesting_limit_to_8` off.
        compute_budget: solana_compute_budget::compute_budget::ComputeBudget::new_with_defaults(
            false,
        ),
        ..Mollusk::default()
    };
    m.compute_budget.compute_unit_limit = env.compute_unit_limit;
    m.program_cache = ProgramCache::new(&m.feature_set, &m.compute_budget, false);
    m
}

pub fn run(m: &mut Mollusk, ix: &Instruction, accounts: &[(Pubkey, Account)]) -> Option<Expected> {
    let logger = LogCollector::new_ref();
    m.logger = Some(logger.clone());
    let mm = &*m;
    let r = catch_unwind(AssertUnwindSafe(|| mm.process_instruction(ix, accounts))).ok()?;
    let logs = logger.borrow().get_recorded_content().to_vec();
    let result = match &r.raw_result {
        Ok(()) => "Ok".to_string(),
        Err(e) => format!("{e:?}"),
    };
    let changed_accounts = r
        .resulting_accounts
        .iter()
        .zip(accounts)
        .filter(|(after, before)| after != before)
        .map(|(after, _)| harness::account_state(&after.0, &after.1))
        .collect();
    Some(Expected {
        result,
        compute_units: r.compute_units_consumed,
        changed_accounts,
        return_data: (!r.return_data.is_empty()).then(|| hex::encode(&r.return_data)),
        logs,
    })
}

pub(crate) fn coption(k: Option<&Pubkey>) -> [u8; 36] {
    let mut b = [0u8; 36];
    if let Some(k) = k {
        b[0] = 1;
        b[4..].copy_from_slice(k.as_ref());
    }
    b
}

fn mint_data(authority: Option<&Pubkey>, supply: u64, decimals: u8, initialized: bool) -> Vec<u8> {
    let mut d = Vec::with_capacity(82);
    d.extend_from_slice(&coption(authority));
    d.extend_from_slice(&supply.to_le_bytes());
    d.push(decimals);
    d.push(initialized as u8);
    d.extend_from_slice(&coption(None));
    d
}

#[derive(Clone)]
pub(crate) struct TokenAccount {
    pub(crate) mint: Pubkey,
    pub(crate) owner: Pubkey,
    pub(crate) amount: u64,
    pub(crate) delegate: Option<Pubkey>,
    pub(crate) state: u8,
    pub(crate) is_native: Option<u64>,
    pub(crate) delegated_amount: u64,
}

impl TokenAccount {
    pub(crate) fn data(&self) -> Vec<u8> {
        let mut d = Vec::with_capacity(165);
        d.extend_from_slice(self.mint.as_ref());
        d.extend_from_slice(self.owner.as_ref());
        d.extend_from_slice(&self.amount.to_le_bytes());
        d.extend_from_slice(&coption(self.delegate.as_ref()));
        d.push(self.state);
        match self.is_native {
            Some(r) => {
                d.extend_from_slice(&[1, 0, 0, 0]);
                d.extend_from_slice(&r.to_le_bytes());
            }
            None => d.extend_from_slice(&[0; 12]),
        }
        d.extend_from_slice(&self.delegated_amount.to_le_bytes());
        d.extend_from_slice(&coption(None));
        d
    }
}

fn multisig_data(m: u8, signers: &[Pubkey]) -> Vec<u8> {
    let mut d = vec![m, signers.len() as u8, 1];
    for i in 0..11 {
        match signers.get(i) {
            Some(k) => d.extend_from_slice(k.as_ref()),
            None => d.extend_from_slice(&[0; 32]),
        }
    }
    d
}

/// Variations, each applied with its own probability.
const VARIATIONS: &[&str] = &[
    "amount-zero",
    "amount-balance",
    "amount-over",
    "src-frozen",
    "dst-frozen",
    "src-uninit",
    "dst-uninit",
    "delegate",
    "delegate-short",
    "native",
    "multisig",
    "multisig-short",
    "no-signature",
    "mint-mismatch",
    "wrong-decimals",
    "mint-uninit",
    "src-readonly",
    "dst-readonly",
    "self-transfer",
    "src-foreign-owner",
    "dst-foreign-owner",
    "src-len-short",
    "src-len-long",
    "dst-len-short",
    "too-few-accounts",
    "data-truncated",
    "data-trailing",
    "budget",
];

/// The case generator.
pub struct PtokenGen {
    rng: ChaCha8Rng,
    program: SbpfProgram,
    mollusks: Vec<Mollusk>,
    /// Cases regenerated because Mollusk panicked.
    pub dropped: usize,
}

impl PtokenGen {
    /// A generator over `envs` (see [`environments`]): one Mollusk each.
    pub fn new(rng: ChaCha8Rng, envs: &[Environment], program: SbpfProgram) -> Self {
        let mollusks = envs.iter().map(|e| mollusk(e, &program)).collect();
        Self {
            rng,
            program,
            mollusks,
            dropped: 0,
        }
    }

    fn key(&mut self) -> Pubkey {
        Pubkey::new_from_array(self.rng.gen())
    }

    /// `per_kind` cases of Transfer and of TransferChecked.
    pub fn generate(&mut self, per_kind: usize) -> Vec<Case> {
        let mut cases = Vec::new();
        for checked in [false, true] {
            let kind = if checked {
                "TransferChecked"
            } else {
                "Transfer"
            };
            let mut i = 0;
            while i < per_kind {
                let valid = i < per_kind / 8;
                match self.case(kind, i, checked, valid) {
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

    fn case(&mut self, kind: &str, index: usize, checked: bool, valid: bool) -> Option<Case> {
        let mut picked: Vec<&'static str> = Vec::new();
        if !valid {
            let n = self.rng.gen_range(1..=3);
            for _ in 0..n {
                let v = *VARIATIONS.choose(&mut self.rng)?;
                if !picked.contains(&v) {
                    picked.push(v);
                }
            }
            picked.sort();
        }
        let has = |v: &str| picked.contains(&v);
        let token_id = self.program.id;
        let rent = self.mollusks[0].sysvars.rent.clone();
        let token_rent = rent.minimum_balance(165);
        let mint_rent = rent.minimum_balance(82);
        let decimals: u8 = self.rng.gen_range(0..=9);
        let native = has("native");
        let mint_key = if native { NATIVE_MINT } else { self.key() };
        let owner = self.key();
        let balance: u64 = if self.rng.gen_bool(0.2) {
            self.rng.gen_range(0..10)
        } else {
            self.rng.gen_range(0..1_000_000_000)
        };
        let mut amount = if balance == 0 {
            0
        } else {
            self.rng.gen_range(0..=balance)
        };
        if has("amount-zero") {
            amount = 0;
        }
        if has("amount-balance") {
            amount = balance;
        }
        if has("amount-over") {
            amount = balance.saturating_add(1);
        }
        let src_key = self.key();
        let dst_key = if has("self-transfer") {
            src_key
        } else {
            self.key()
        };
        let dst_owner = self.key();
        let mut src = TokenAccount {
            mint: mint_key,
            owner,
            amount: balance,
            delegate: None,
            state: 1,
            is_native: native.then_some(token_rent),
            delegated_amount: 0,
        };
        let dst_balance = self.rng.gen_range(0..1_000_000u64);
        let mut dst = TokenAccount {
            amount: dst_balance,
            owner: dst_owner,
            ..src.clone()
        };
        let mut authority = owner;
        let mut extra_signers: Vec<Pubkey> = Vec::new();
        let mut accounts: Vec<(Pubkey, Account)> = Vec::new();
        if has("delegate") || has("delegate-short") {
            let d = self.key();
            src.delegate = Some(d);
            src.delegated_amount = if has("delegate-short") {
                amount.saturating_sub(1)
            } else {
                amount + self.rng.gen_range(0..100)
            };
            authority = d;
        }
        if has("multisig") || has("multisig-short") {
            let n: u8 = self.rng.gen_range(1..=5);
            let need: u8 = self.rng.gen_range(1..=n);
            let signers: Vec<Pubkey> = (0..n).map(|_| self.key()).collect();
            let ms = self.key();
            let give = if has("multisig-short") {
                need - 1
            } else {
                need
            };
            extra_signers = signers[..give as usize].to_vec();
            accounts.push((
                ms,
                Account {
                    lamports: rent.minimum_balance(355),
                    data: multisig_data(need, &signers),
                    owner: token_id,
                    executable: false,
                    rent_epoch: 0,
                },
            ));
            if src.delegate.is_some() {
                src.delegate = Some(ms);
            } else {
                src.owner = ms;
            }
            authority = ms;
        }
        if has("src-frozen") {
            src.state = 2;
        }
        if has("dst-frozen") {
            dst.state = 2;
        }
        if has("src-uninit") {
            src.state = 0;
        }
        if has("dst-uninit") {
            dst.state = 0;
        }
        if has("mint-mismatch") {
            dst.mint = self.key();
        }
        let lamports = |t: &TokenAccount| match t.is_native {
            Some(r) => r + t.amount,
            None => token_rent,
        };
        let mut src_acc = Account {
            lamports: lamports(&src),
            data: src.data(),
            owner: token_id,
            executable: false,
            rent_epoch: 0,
        };
        let mut dst_acc = Account {
            lamports: lamports(&dst),
            data: dst.data(),
            owner: token_id,
            executable: false,
            rent_epoch: 0,
        };
        if has("src-foreign-owner") {
            src_acc.owner = SYSTEM;
        }
        if has("dst-foreign-owner") {
            dst_acc.owner = SYSTEM;
        }
        if has("src-len-short") {
            src_acc.data.pop();
        }
        if has("src-len-long") {
            src_acc.data.push(0);
        }
        if has("dst-len-short") {
            dst_acc.data.pop();
        }
        let mint_acc = Account {
            lamports: mint_rent,
            data: mint_data(
                Some(&self.key()),
                10_000_000_000,
                decimals,
                !has("mint-uninit"),
            ),
            owner: token_id,
            executable: false,
            rent_epoch: 0,
        };
        // Metas and data.
        let mut data = if checked { vec![12u8] } else { vec![3u8] };
        data.extend_from_slice(&amount.to_le_bytes());
        if checked {
            data.push(if has("wrong-decimals") {
                decimals.wrapping_add(1)
            } else {
                decimals
            });
        }
        if has("data-truncated") {
            let keep = self.rng.gen_range(0..data.len());
            data.truncate(keep);
        }
        if has("data-trailing") {
            data.push(self.rng.gen());
        }
        let signs = !has("no-signature") && extra_signers.is_empty();
        let src_meta = if has("src-readonly") {
            AccountMeta::new_readonly(src_key, false)
        } else {
            AccountMeta::new(src_key, false)
        };
        let dst_meta = if has("dst-readonly") {
            AccountMeta::new_readonly(dst_key, false)
        } else {
            AccountMeta::new(dst_key, false)
        };
        let mut metas = vec![src_meta];
        if checked {
            metas.push(AccountMeta::new_readonly(mint_key, false));
        }
        metas.push(dst_meta);
        metas.push(AccountMeta::new_readonly(authority, signs));
        for s in &extra_signers {
            metas.push(AccountMeta::new_readonly(*s, !has("no-signature")));
        }
        if has("too-few-accounts") {
            let drop = self.rng.gen_range(1..=metas.len().min(2));
            metas.truncate(metas.len() - drop);
        }
        // Accounts: every key a meta names, once, plus the mint for Checked.
        accounts.push((src_key, src_acc));
        if dst_key != src_key {
            accounts.push((dst_key, dst_acc));
        }
        if checked {
            accounts.push((mint_key, mint_acc));
        }
        for meta in &metas {
            if !accounts.iter().any(|(k, _)| *k == meta.pubkey) {
                accounts.push((
                    meta.pubkey,
                    Account {
                        lamports: 1_000_000_000,
                        data: vec![],
                        owner: SYSTEM,
                        executable: false,
                        rent_epoch: 0,
                    },
                ));
            }
        }
        accounts.retain(|(k, _)| metas.iter().any(|m| m.pubkey == *k));
        let env = if has("budget") {
            self.rng.gen_range(1..BUDGETS.len())
        } else {
            0
        };
        let ix = Instruction {
            program_id: token_id,
            accounts: metas,
            data,
        };
        let expected = run(&mut self.mollusks[env], &ix, &accounts)?;
        let name = if picked.is_empty() {
            format!("{kind}/{index:04}/valid")
        } else {
            format!("{kind}/{index:04}/{}", picked.join("+"))
        };
        Some(Case {
            name,
            kind: kind.into(),
            env,
            instruction: harness::instruction_ref(&token_id, &ix),
            accounts: accounts.iter().map(|(k, a)| state(k, a)).collect(),
            expected,
        })
    }
}

pub fn state(k: &Pubkey, a: &Account) -> AccountState {
    let (data, data_len) = encode_data(&a.data);
    AccountState {
        pubkey: k.to_string(),
        lamports: a.lamports,
        data,
        data_len,
        owner: a.owner.to_string(),
        executable: a.executable,
        rent_epoch: a.rent_epoch,
    }
}

/// Mollusk's program accounts for `p`'s ELF under loaders v2 and v3
/// (`create_program_account_loader_v2`, `create_program_account_pair_loader_v3`),
/// each as (label, key, account): what Baton's deployment must write.
pub fn program_accounts(p: &SbpfProgram) -> Vec<(&'static str, Pubkey, Account)> {
    use mollusk_svm::program::{
        create_program_account_loader_v2, create_program_account_pair_loader_v3,
    };
    let (program, programdata) = create_program_account_pair_loader_v3(&p.id, p.elf);
    let programdata_key = Pubkey::find_program_address(&[p.id.as_ref()], &LOADER_V3).0;
    vec![
        ("v2", p.id, create_program_account_loader_v2(p.elf)),
        ("v3-program", p.id, program),
        ("v3-programdata", programdata_key, programdata),
    ]
}
