//! The `p-token-ix` suite: every SPL Token instruction but Transfer and
//! TransferChecked (the `p-token` suite's), valid and with generic
//! variations, on the p-token ELF. It exercises what transfers do not:
//! `sol_get_sysvar` (Rent), the Rent sysvar account, return data and its
//! `Program return:` line, mints, multisig set-up, closing accounts.

use mollusk_svm::Mollusk;
use rand::seq::SliceRandom;
use rand::Rng;
use rand_chacha::ChaCha8Rng;
use solana_account::Account;
use solana_instruction::{AccountMeta, Instruction};
use solana_pubkey::Pubkey;

use crate::fixture::{Case, Environment};
use crate::ptoken::{coption, mollusk, run, state, TokenAccount, BUDGETS, P_TOKEN};

const SYSTEM: Pubkey = Pubkey::new_from_array([0; 32]);

/// Instruction kinds, by SPL Token tag.
pub const KINDS: &[(u8, &str)] = &[
    (0, "InitializeMint"),
    (1, "InitializeAccount"),
    (2, "InitializeMultisig"),
    (4, "Approve"),
    (5, "Revoke"),
    (6, "SetAuthority"),
    (7, "MintTo"),
    (8, "Burn"),
    (9, "CloseAccount"),
    (10, "FreezeAccount"),
    (11, "ThawAccount"),
    (13, "ApproveChecked"),
    (14, "MintToChecked"),
    (15, "BurnChecked"),
    (16, "InitializeAccount2"),
    (17, "SyncNative"),
    (18, "InitializeAccount3"),
    (19, "InitializeMultisig2"),
    (20, "InitializeMint2"),
    (21, "GetAccountDataSize"),
    (22, "InitializeImmutableOwner"),
    (23, "AmountToUiAmount"),
    (24, "UiAmountToAmount"),
];

const VARIATIONS: &[&str] = &[
    "no-signature",
    "first-readonly",
    "first-foreign-owner",
    "too-few-accounts",
    "data-truncated",
    "data-trailing",
    "budget",
    "wrong-authority",
    "amount-over",
    "frozen",
    "uninitialized",
    "already-initialized",
];

fn mint(
    authority: Option<&Pubkey>,
    supply: u64,
    decimals: u8,
    init: bool,
    freeze: Option<&Pubkey>,
) -> Vec<u8> {
    let mut d = Vec::with_capacity(82);
    d.extend_from_slice(&coption(authority));
    d.extend_from_slice(&supply.to_le_bytes());
    d.push(decimals);
    d.push(init as u8);
    d.extend_from_slice(&coption(freeze));
    d
}

fn opt_key(k: Option<&Pubkey>) -> Vec<u8> {
    match k {
        Some(k) => {
            let mut v = vec![1];
            v.extend_from_slice(k.as_ref());
            v
        }
        None => vec![0],
    }
}

/// The case generator.
pub struct TokenIxGen {
    rng: ChaCha8Rng,
    mollusks: Vec<Mollusk>,
    /// Cases regenerated because Mollusk panicked.
    pub dropped: usize,
}

impl TokenIxGen {
    /// A generator over `envs` (the token suites' environments).
    pub fn new(rng: ChaCha8Rng, envs: &[Environment]) -> Self {
        let mollusks = envs.iter().map(|e| mollusk(e, &P_TOKEN)).collect();
        Self {
            rng,
            mollusks,
            dropped: 0,
        }
    }

    fn key(&mut self) -> Pubkey {
        Pubkey::new_from_array(self.rng.gen())
    }

    /// `per_kind` cases of each kind.
    pub fn generate(&mut self, per_kind: usize) -> Vec<Case> {
        let mut cases = Vec::new();
        for &(tag, kind) in KINDS {
            let mut i = 0;
            while i < per_kind {
                match self.case(tag, kind, i, i < per_kind / 4) {
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

    fn case(&mut self, tag: u8, kind: &str, index: usize, valid: bool) -> Option<Case> {
        let mut picked: Vec<&'static str> = Vec::new();
        if !valid {
            for _ in 0..self.rng.gen_range(1..=2) {
                let v = *VARIATIONS.choose(&mut self.rng)?;
                if !picked.contains(&v) {
                    picked.push(v);
                }
            }
            picked.sort();
        }
        let has = |v: &str| picked.contains(&v);
        let token = P_TOKEN.id;
        let rent = self.mollusks[0].sysvars.rent.clone();
        let (rent_key, rent_account) = self.mollusks[0].sysvars.keyed_account_for_rent_sysvar();
        let token_rent = rent.minimum_balance(165);
        let mint_rent = rent.minimum_balance(82);
        let decimals: u8 = self.rng.gen_range(0..=9);
        let mint_key = self.key();
        let authority = self.key();
        let freeze = self.key();
        let owner = self.key();
        let other = self.key();
        let acct_key = self.key();
        let balance: u64 = self.rng.gen_range(0..1_000_000);
        let mut amount: u64 = if balance == 0 {
            0
        } else {
            self.rng.gen_range(0..=balance)
        };
        if has("amount-over") {
            amount = balance + 1;
        }
        let signer = if has("wrong-authority") {
            other
        } else {
            authority
        };
        let owner_signer = if has("wrong-authority") { other } else { owner };
        let supply = balance + self.rng.gen_range(0..1_000_000);
        let mint_acc = |init: bool| Account {
            lamports: mint_rent,
            data: mint(Some(&authority), supply, decimals, init, Some(&freeze)),
            owner: token,
            executable: false,
            rent_epoch: 0,
        };
        let acc_state = if has("frozen") {
            2
        } else if has("uninitialized") {
            0
        } else {
            1
        };
        let tacc = TokenAccount {
            mint: mint_key,
            owner,
            amount: balance,
            delegate: None,
            state: acc_state,
            is_native: None,
            delegated_amount: 0,
        };
        let token_acc = |t: &TokenAccount| Account {
            lamports: token_rent + t.is_native.map_or(0, |_| t.amount),
            data: t.data(),
            owner: token,
            executable: false,
            rent_epoch: 0,
        };
        let empty = |len: usize| Account {
            lamports: rent.minimum_balance(len),
            data: vec![0; len],
            owner: token,
            executable: false,
            rent_epoch: 0,
        };
        let new_mint = if has("already-initialized") {
            mint_acc(true)
        } else {
            empty(82)
        };
        let new_acct = if has("already-initialized") {
            token_acc(&tacc)
        } else {
            empty(165)
        };
        let mut data = vec![tag];
        let mut metas: Vec<AccountMeta> = Vec::new();
        let mut accounts: Vec<(Pubkey, Account)> = Vec::new();
        let w = |k: Pubkey| AccountMeta::new(k, false);
        let r = |k: Pubkey| AccountMeta::new_readonly(k, false);
        let s = |k: Pubkey| AccountMeta::new_readonly(k, true);
        match tag {
            0 | 20 => {
                data.push(decimals);
                data.extend_from_slice(authority.as_ref());
                data.extend(opt_key(self.rng.gen_bool(0.5).then_some(&freeze)));
                metas.push(w(mint_key));
                accounts.push((mint_key, new_mint));
                if tag == 0 {
                    metas.push(r(rent_key));
                    accounts.push((rent_key, rent_account));
                }
            }
            1 | 16 | 18 => {
                if tag != 1 {
                    data.extend_from_slice(owner.as_ref());
                }
                metas.push(w(acct_key));
                accounts.push((acct_key, new_acct));
                metas.push(r(mint_key));
                accounts.push((mint_key, mint_acc(!has("uninitialized"))));
                if tag == 1 {
                    metas.push(r(owner));
                }
                if tag != 18 {
                    metas.push(r(rent_key));
                    accounts.push((rent_key, rent_account));
                }
            }
            2 | 19 => {
                let n = self.rng.gen_range(1..=11usize);
                let m = self.rng.gen_range(1..=n) as u8;
                data.push(m);
                let ms = self.key();
                metas.push(w(ms));
                // Already initialized or not, a multisig starts empty here.
                accounts.push((ms, empty(355)));
                if tag == 2 {
                    metas.push(r(rent_key));
                    accounts.push((rent_key, rent_account));
                }
                for _ in 0..n {
                    let k = self.key();
                    metas.push(r(k));
                }
            }
            4 | 13 => {
                data.extend_from_slice(&amount.to_le_bytes());
                metas.push(w(acct_key));
                accounts.push((acct_key, token_acc(&tacc)));
                if tag == 13 {
                    data.push(decimals);
                    metas.push(r(mint_key));
                    accounts.push((mint_key, mint_acc(true)));
                }
                metas.push(r(other));
                metas.push(s(owner_signer));
            }
            5 => {
                let mut t = tacc.clone();
                t.delegate = Some(other);
                t.delegated_amount = amount;
                metas.push(w(acct_key));
                accounts.push((acct_key, token_acc(&t)));
                metas.push(s(owner_signer));
            }
            6 => {
                // Change a token account's owner (2) or a mint's mint
                // authority (0) / freeze authority (1).
                let at: u8 = *[0u8, 1, 2, 3].choose(&mut self.rng)?;
                data.push(at);
                data.extend(opt_key(self.rng.gen_bool(0.8).then_some(&other)));
                if at >= 2 {
                    metas.push(w(acct_key));
                    accounts.push((acct_key, token_acc(&tacc)));
                    metas.push(s(owner_signer));
                } else {
                    metas.push(w(mint_key));
                    accounts.push((mint_key, mint_acc(!has("uninitialized"))));
                    metas.push(s(if at == 0 {
                        signer
                    } else {
                        if has("wrong-authority") {
                            other
                        } else {
                            freeze
                        }
                    }));
                }
            }
            7 | 14 => {
                data.extend_from_slice(&amount.to_le_bytes());
                if tag == 14 {
                    data.push(decimals);
                }
                metas.push(w(mint_key));
                accounts.push((mint_key, mint_acc(true)));
                metas.push(w(acct_key));
                accounts.push((acct_key, token_acc(&tacc)));
                metas.push(s(signer));
            }
            8 | 15 => {
                data.extend_from_slice(&amount.to_le_bytes());
                if tag == 15 {
                    data.push(decimals);
                }
                metas.push(w(acct_key));
                accounts.push((acct_key, token_acc(&tacc)));
                metas.push(w(mint_key));
                accounts.push((mint_key, mint_acc(true)));
                metas.push(s(owner_signer));
            }
            9 => {
                let mut t = tacc.clone();
                if self.rng.gen_bool(0.7) {
                    t.amount = 0;
                }
                metas.push(w(acct_key));
                accounts.push((acct_key, token_acc(&t)));
                metas.push(w(other));
                accounts.push((
                    other,
                    Account {
                        lamports: 5_000,
                        data: vec![],
                        owner: SYSTEM,
                        executable: false,
                        rent_epoch: 0,
                    },
                ));
                metas.push(s(owner_signer));
            }
            10 | 11 => {
                let mut t = tacc.clone();
                t.state = if tag == 11 && !has("frozen") && !has("uninitialized") {
                    2
                } else {
                    t.state
                };
                metas.push(w(acct_key));
                accounts.push((acct_key, token_acc(&t)));
                metas.push(r(mint_key));
                accounts.push((mint_key, mint_acc(true)));
                metas.push(s(if has("wrong-authority") {
                    other
                } else {
                    freeze
                }));
            }
            17 => {
                let mut t = tacc.clone();
                t.is_native = Some(token_rent);
                t.mint = crate::ptoken::NATIVE_MINT;
                let mut a = token_acc(&t);
                a.lamports += self.rng.gen_range(0..1_000_000);
                metas.push(w(acct_key));
                accounts.push((acct_key, a));
            }
            21 | 23 | 24 => {
                if tag == 23 {
                    data.extend_from_slice(&amount.to_le_bytes());
                }
                if tag == 24 {
                    let ui = match self.rng.gen_range(0..5) {
                        0 => "1".to_string(),
                        1 => format!(
                            "{}.{}",
                            self.rng.gen_range(0..1000),
                            self.rng.gen_range(0..1000)
                        ),
                        2 => "0.0000000001".to_string(),
                        3 => "abc".to_string(),
                        _ => format!("{}", self.rng.gen_range(0..u32::MAX)),
                    };
                    data.extend_from_slice(ui.as_bytes());
                }
                metas.push(r(mint_key));
                accounts.push((mint_key, mint_acc(!has("uninitialized"))));
            }
            22 => {
                metas.push(w(acct_key));
                accounts.push((acct_key, new_acct));
            }
            _ => return None,
        }
        if has("no-signature") {
            for m in &mut metas {
                m.is_signer = false;
            }
        }
        if has("first-readonly") {
            if let Some(m) = metas.first_mut() {
                m.is_writable = false;
            }
        }
        if has("first-foreign-owner") {
            if let Some(first) = metas.first() {
                let k = first.pubkey;
                if let Some((_, a)) = accounts.iter_mut().find(|(key, _)| *key == k) {
                    a.owner = SYSTEM;
                }
            }
        }
        if has("too-few-accounts") && !metas.is_empty() {
            metas.pop();
        }
        if has("data-truncated") && data.len() > 1 {
            let keep = self.rng.gen_range(0..data.len());
            data.truncate(keep);
        }
        if has("data-trailing") {
            data.push(self.rng.gen());
        }
        // Every meta's key has an account; keep only the named ones.
        for m in &metas {
            if !accounts.iter().any(|(k, _)| *k == m.pubkey) {
                accounts.push((
                    m.pubkey,
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
            program_id: token,
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
            instruction: crate::harness::instruction_ref(&token, &ix),
            accounts: accounts.iter().map(|(k, a)| state(k, a)).collect(),
            expected,
        })
    }
}
