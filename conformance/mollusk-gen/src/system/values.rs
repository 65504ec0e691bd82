//! Random values the builders draw: keys, balances, amounts, spaces, owners,
//! seeds and derived addresses, and nonce accounts with their sysvar metas.

use super::*;

impl SystemGen {
    // -------------------------------------------------------- random values

    pub(super) fn key(&mut self) -> Pubkey {
        Pubkey::new_from_array(self.rng.gen())
    }

    pub(super) fn hash(&mut self) -> Hash {
        Hash::new_from_array(self.rng.gen())
    }

    pub(super) fn chance(&mut self, p: f64) -> bool {
        self.rng.gen_bool(p)
    }

    pub(super) fn rent_epoch(&mut self) -> u64 {
        if self.chance(0.5) {
            0
        } else {
            u64::MAX
        }
    }

    pub(super) fn sys(&mut self, lamports: u64) -> Account {
        Account {
            lamports,
            data: Vec::new(),
            owner: SYSTEM,
            executable: false,
            rent_epoch: self.rent_epoch(),
        }
    }

    /// A balance.
    pub(super) fn balance(&mut self) -> u64 {
        match self.rng.gen_range(0..10) {
            0 => 0,
            1 => self.rng.gen_range(1..1_000),
            2 => self.harnesses[ENV_MAIN].minimum_balance(0),
            3 => u64::MAX / 2,
            _ => self.rng.gen_range(1_000..20_000_000_000),
        }
    }

    /// An amount to move out of `balance`; tags the interesting ones.
    pub(super) fn amount(&mut self, d: &mut Draft, balance: u64) -> u64 {
        match self.rng.gen_range(0..12) {
            0 => {
                d.tag("zero");
                0
            }
            1 => {
                d.tag("at-balance");
                balance
            }
            2 => {
                d.tag("past-balance");
                balance.saturating_add(1)
            }
            3 => {
                d.tag("u64-max");
                u64::MAX
            }
            4 => self.rng.gen_range(0..u64::MAX),
            _ => self.rng.gen_range(0..=balance),
        }
    }

    /// A space request; tags the limits.
    pub(super) fn space(&mut self, d: &mut Draft) -> u64 {
        match self.rng.gen_range(0..20) {
            0 => 0,
            1 => 80,
            2 => 165,
            3 => {
                d.tag("space-10240");
                10_240
            }
            4 => {
                d.tag("space-max");
                MAX_DATA
            }
            5 => {
                d.tag("space-past-max");
                MAX_DATA + 1
            }
            6 => {
                d.tag("space-huge");
                *[1u64 << 32, u64::MAX, u64::MAX / 2]
                    .choose(&mut self.rng)
                    .unwrap_or(&0)
            }
            7..=9 => self.rng.gen_range(200..2_048),
            _ => self.rng.gen_range(1..=128),
        }
    }

    /// An owner for a new account; tags the PDA-marker one.
    pub(super) fn owner(&mut self, d: &mut Draft) -> Pubkey {
        match self.rng.gen_range(0..20) {
            0 | 1 => SYSTEM,
            2 | 3 => {
                d.tag("pda-owner");
                let mut b: [u8; 32] = self.rng.gen();
                b[11..].copy_from_slice(PDA_MARKER);
                Pubkey::new_from_array(b)
            }
            4 => solana_sdk_ids::bpf_loader_upgradeable::ID,
            _ => self.key(),
        }
    }

    /// A seed's bytes; tags the ones that break a rule.
    pub(super) fn seed(&mut self, d: &mut Draft) -> Vec<u8> {
        const ALNUM: &[u8] = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
        let len = match self.rng.gen_range(0..20) {
            0 => 0,
            1 | 2 => 32,
            3 => {
                d.tag("seed-33");
                33
            }
            4 => {
                d.tag("seed-long");
                self.rng.gen_range(34..200)
            }
            5 => {
                d.tag("seed-oversized");
                self.rng.gen_range(1_233..1_400)
            }
            _ => self.rng.gen_range(1..32),
        };
        let mut s: Vec<u8> = (0..len)
            .map(|_| *ALNUM.choose(&mut self.rng).unwrap_or(&b'a'))
            .collect();
        match self.rng.gen_range(0..20) {
            0 if len >= 2 => {
                // A two-byte character: 31 characters, 32 bytes, say.
                d.tag("seed-multibyte");
                let at = self.rng.gen_range(0..len - 1);
                s[at] = 0xc3;
                s[at + 1] = 0xa9;
            }
            1 if len >= 1 => {
                d.tag("seed-invalid-utf8");
                let at = self.rng.gen_range(0..len);
                s[at] = 0xff;
            }
            _ => {}
        }
        s
    }

    /// `create_with_seed(base, seed, owner)` where it exists, else a random key.
    pub(super) fn derive(&mut self, base: &Pubkey, seed: &[u8], owner: &Pubkey) -> Pubkey {
        match std::str::from_utf8(seed)
            .ok()
            .and_then(|s| Pubkey::create_with_seed(base, s, owner).ok())
        {
            Some(k) => k,
            None => self.key(),
        }
    }

    /// The seed-derived address, or (sometimes) one that does not match.
    pub(super) fn seeded_address(
        &mut self,
        d: &mut Draft,
        base: &Pubkey,
        seed: &[u8],
        owner: &Pubkey,
    ) -> Pubkey {
        if self.chance(0.08) {
            d.tag("address-mismatch");
            self.key()
        } else {
            self.derive(base, seed, owner)
        }
    }

    // ------------------------------------------------------------- nonces

    pub(super) fn nonce_data(
        &mut self,
        d: &mut Draft,
        initialized: bool,
        legacy: bool,
        authority: Pubkey,
    ) -> Vec<u8> {
        let state = if initialized {
            let durable = if self.chance(0.2) {
                d.tag("nonce-not-expired");
                DurableNonce::from_blockhash(&ENV_BLOCKHASH)
            } else {
                DurableNonce::from_blockhash(&self.hash())
            };
            let lps = *[0u64, 5_000, 10_000].choose(&mut self.rng).unwrap_or(&0);
            NonceState::Initialized(NonceData::new(authority, durable, lps))
        } else {
            NonceState::Uninitialized
        };
        let versions = if legacy {
            d.tag("legacy");
            Versions::Legacy(Box::new(state))
        } else {
            Versions::Current(Box::new(state))
        };
        let mut data = bincode::serialize(&versions).unwrap_or_default();
        data.resize(NonceState::size(), 0);
        match self.rng.gen_range(0..25) {
            0 => {
                d.tag("nonce-data-short");
                let n = self.rng.gen_range(0..data.len());
                data.truncate(n);
            }
            1 => {
                d.tag("nonce-data-long");
                let n = self.rng.gen_range(1..48);
                data.resize(data.len() + n, 0);
            }
            2 => {
                d.tag("nonce-data-garbage");
                data = (0..NonceState::size()).map(|_| self.rng.gen()).collect();
            }
            3 => {
                d.tag("nonce-bad-tag");
                data[0] = self.rng.gen_range(2..=255);
            }
            _ => {}
        }
        data
    }

    /// A nonce account around the rent-exempt minimum of its data.
    pub(super) fn nonce_account(&mut self, d: &mut Draft, data: Vec<u8>) -> Account {
        let min = self.harnesses[ENV_MAIN].minimum_balance(data.len());
        let lamports = match self.rng.gen_range(0..10) {
            0 => {
                d.tag("below-rent-minimum");
                self.rng.gen_range(0..min)
            }
            1 => min,
            _ => min + self.rng.gen_range(0..10_000_000),
        };
        let owner = if self.chance(0.06) {
            d.tag("nonce-foreign-owner");
            self.key()
        } else {
            SYSTEM
        };
        Account {
            lamports,
            data,
            owner,
            executable: false,
            rent_epoch: self.rent_epoch(),
        }
    }

    pub(super) fn sysvar_metas(&mut self, d: &mut Draft, rbh: bool, rent: bool) {
        let env = d.env;
        if rbh {
            let (k, a) = self.harnesses[env].recent_blockhashes_account();
            d.add(k, a);
            d.meta(k, false, false);
        }
        if rent {
            let (k, a) = self.harnesses[env].rent_account();
            d.add(k, a);
            d.meta(k, false, false);
        }
    }

    pub(super) fn nonce_env(&mut self, d: &mut Draft) {
        match self.rng.gen_range(0..12) {
            0 => {
                d.tag("no-recent-blockhashes");
                d.env = ENV_NO_BLOCKHASHES;
            }
            1 | 2 => d.env = ENV_LATER,
            _ => {}
        }
    }
}
