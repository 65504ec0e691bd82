//! The builders: one valid instruction of each kind (then varied), and
//! undecodable instruction data of every shape.

use super::*;

impl SystemGen {
    // ------------------------------------------------------------- builders

    pub(super) fn build(&mut self, tag: u32) -> Draft {
        let mut d = Draft::new(KINDS[tag as usize]);
        if self.chance(0.1) {
            d.env = ENV_LATER;
        }
        match tag {
            0 => {
                let (from, to) = (self.key(), self.key());
                let b = self.balance();
                let from_acc = self.sys(b);
                d.add(from, from_acc);
                let to_lamports = if self.chance(0.1) {
                    d.tag("to-funded");
                    self.rng.gen_range(1..10_000)
                } else {
                    0
                };
                let to_acc = self.sys(to_lamports);
                d.add(to, to_acc);
                let lamports = self.amount(&mut d, b);
                let space = self.space(&mut d);
                let owner = self.owner(&mut d);
                d.data = Enc::tag(0).u64(lamports).u64(space).key(&owner).0;
                d.meta(from, true, true);
                d.meta(to, true, true);
            }
            1 => {
                let k = self.key();
                let b = self.balance();
                let acc = self.sys(b);
                d.add(k, acc);
                let owner = if self.chance(0.1) {
                    d.tag("same-owner");
                    SYSTEM
                } else {
                    self.owner(&mut d)
                };
                d.data = Enc::tag(1).key(&owner).0;
                d.meta(k, true, true);
            }
            2 => {
                let (from, to) = (self.key(), self.key());
                let b = self.balance();
                let from_acc = self.sys(b);
                d.add(from, from_acc);
                let tb = self.balance();
                let to_acc = self.sys(tb);
                d.add(to, to_acc);
                let lamports = self.amount(&mut d, b);
                d.data = Enc::tag(2).u64(lamports).0;
                d.meta(from, true, true);
                d.meta(to, false, true);
            }
            3 => {
                let from = self.key();
                let b = self.balance();
                let from_acc = self.sys(b);
                d.add(from, from_acc);
                let base = if self.chance(0.4) {
                    d.tag("base-is-from");
                    from
                } else {
                    let k = self.key();
                    let a = self.sys(0);
                    d.add(k, a);
                    k
                };
                let seed = self.seed(&mut d);
                let owner = self.owner(&mut d);
                let to = self.seeded_address(&mut d, &base, &seed, &owner);
                let to_acc = self.sys(0);
                d.add(to, to_acc);
                let lamports = self.amount(&mut d, b);
                let space = self.space(&mut d);
                d.data = Enc::tag(3)
                    .key(&base)
                    .str(&seed)
                    .u64(lamports)
                    .u64(space)
                    .key(&owner)
                    .0;
                d.meta(from, true, true);
                d.meta(to, false, true);
                if base != from {
                    d.meta(base, true, false);
                }
            }
            4 => {
                self.nonce_env(&mut d);
                let nonce = self.key();
                let authority_is_nonce = self.chance(0.3);
                let authority = if authority_is_nonce {
                    nonce
                } else {
                    self.key()
                };
                let init = !self.chance(0.12);
                if !init {
                    d.tag("uninitialized");
                }
                let legacy = self.chance(0.15);
                let data = self.nonce_data(&mut d, init, legacy, authority);
                let acc = self.nonce_account(&mut d, data);
                d.add(nonce, acc);
                d.data = Enc::tag(4).0;
                d.meta(nonce, authority_is_nonce, true);
                self.sysvar_metas(&mut d, true, false);
                if !authority_is_nonce {
                    let a = self.sys(1_000_000);
                    d.add(authority, a);
                    d.meta(authority, true, false);
                }
            }
            5 => {
                self.nonce_env(&mut d);
                let nonce = self.key();
                let init = !self.chance(0.25);
                if !init {
                    d.tag("uninitialized");
                }
                let authority_is_nonce = !init || self.chance(0.3);
                let authority = if authority_is_nonce {
                    nonce
                } else {
                    self.key()
                };
                let legacy = self.chance(0.15);
                let data = self.nonce_data(&mut d, init, legacy, authority);
                let acc = self.nonce_account(&mut d, data);
                let bal = acc.lamports;
                let min = self.harnesses[ENV_MAIN].minimum_balance(acc.data.len());
                d.add(nonce, acc);
                let to = self.key();
                let tb = self.balance();
                let to_acc = self.sys(tb);
                d.add(to, to_acc);
                let lamports = match self.rng.gen_range(0..8) {
                    0 => {
                        d.tag("withdraw-all");
                        bal
                    }
                    1 => {
                        d.tag("leave-minimum");
                        bal.saturating_sub(min)
                    }
                    2 => {
                        d.tag("dip-below-minimum");
                        bal.saturating_sub(min).saturating_add(1)
                    }
                    3 => {
                        d.tag("past-balance");
                        bal.saturating_add(1)
                    }
                    4 => {
                        d.tag("u64-max");
                        u64::MAX
                    }
                    // Within what the rules allow: all of an uninitialized
                    // account, above the minimum of an initialized one.
                    _ => self
                        .rng
                        .gen_range(0..=bal.saturating_sub(if init { min } else { 0 })),
                };
                d.data = Enc::tag(5).u64(lamports).0;
                d.meta(nonce, authority_is_nonce, true);
                d.meta(to, false, true);
                self.sysvar_metas(&mut d, true, true);
                if !authority_is_nonce {
                    let a = self.sys(1_000_000);
                    d.add(authority, a);
                    d.meta(authority, true, false);
                }
            }
            6 => {
                self.nonce_env(&mut d);
                let nonce = self.key();
                let init = self.chance(0.12);
                if init {
                    d.tag("initialized");
                }
                let legacy = self.chance(0.4);
                let auth = self.key();
                let mut data = self.nonce_data(&mut d, init, legacy, auth);
                if !init && self.chance(0.3) {
                    d.tag("zeroed");
                    data = vec![0; data.len()];
                }
                let acc = self.nonce_account(&mut d, data);
                d.add(nonce, acc);
                let authority = self.key();
                d.data = Enc::tag(6).key(&authority).0;
                d.meta(nonce, self.chance(0.3), true);
                self.sysvar_metas(&mut d, true, true);
            }
            7 => {
                let nonce = self.key();
                let authority_is_nonce = self.chance(0.3);
                let authority = if authority_is_nonce {
                    nonce
                } else {
                    self.key()
                };
                let init = !self.chance(0.12);
                if !init {
                    d.tag("uninitialized");
                }
                let legacy = self.chance(0.2);
                let data = self.nonce_data(&mut d, init, legacy, authority);
                let acc = self.nonce_account(&mut d, data);
                d.add(nonce, acc);
                let new_authority = if self.chance(0.1) {
                    authority
                } else {
                    self.key()
                };
                d.data = Enc::tag(7).key(&new_authority).0;
                d.meta(nonce, authority_is_nonce, true);
                if !authority_is_nonce {
                    let a = self.sys(1_000_000);
                    d.add(authority, a);
                    d.meta(authority, true, false);
                }
            }
            8 => {
                let k = self.key();
                let b = self.balance();
                let acc = self.sys(b);
                d.add(k, acc);
                let space = self.space(&mut d);
                d.data = Enc::tag(8).u64(space).0;
                d.meta(k, true, true);
            }
            9 | 10 => {
                let base = self.key();
                let base_acc = self.sys(1_000_000);
                d.add(base, base_acc);
                let seed = self.seed(&mut d);
                let owner = self.owner(&mut d);
                let addr = self.seeded_address(&mut d, &base, &seed, &owner);
                let b = self.balance();
                let acc = self.sys(b);
                d.add(addr, acc);
                d.data = if tag == 9 {
                    let space = self.space(&mut d);
                    Enc::tag(9).key(&base).str(&seed).u64(space).key(&owner).0
                } else {
                    Enc::tag(10).key(&base).str(&seed).key(&owner).0
                };
                d.meta(addr, false, true);
                d.meta(base, true, false);
            }
            11 => {
                let base = self.key();
                let base_acc = self.sys(1_000_000);
                d.add(base, base_acc);
                let seed = self.seed(&mut d);
                let from_owner = match self.rng.gen_range(0..10) {
                    0..=5 => SYSTEM,
                    _ => self.owner(&mut d),
                };
                let from = self.seeded_address(&mut d, &base, &seed, &from_owner);
                let b = self.balance();
                let from_acc = self.sys(b);
                d.add(from, from_acc);
                let to = self.key();
                let tb = self.balance();
                let to_acc = self.sys(tb);
                d.add(to, to_acc);
                let lamports = self.amount(&mut d, b);
                d.data = Enc::tag(11).u64(lamports).str(&seed).key(&from_owner).0;
                d.meta(from, false, true);
                d.meta(base, true, false);
                d.meta(to, false, true);
            }
            12 => {
                let nonce = self.key();
                let init = !self.chance(0.2);
                if !init {
                    d.tag("uninitialized");
                }
                let legacy = !self.chance(0.2);
                let auth = self.key();
                let data = self.nonce_data(&mut d, init, legacy, auth);
                let acc = self.nonce_account(&mut d, data);
                d.add(nonce, acc);
                d.data = Enc::tag(12).0;
                d.meta(nonce, self.chance(0.3), true);
            }
            _ => {
                let to = self.key();
                let prefund = if self.chance(0.5) {
                    d.tag("prefunded");
                    self.rng.gen_range(1..5_000_000)
                } else {
                    0
                };
                let to_acc = self.sys(prefund);
                d.add(to, to_acc);
                let from = self.key();
                let b = self.balance();
                let from_acc = self.sys(b);
                d.add(from, from_acc);
                let lamports = if self.chance(0.3) {
                    d.tag("no-transfer");
                    0
                } else {
                    self.amount(&mut d, b)
                };
                let space = self.space(&mut d);
                let owner = self.owner(&mut d);
                d.data = Enc::tag(13).u64(lamports).u64(space).key(&owner).0;
                d.meta(to, true, true);
                if lamports > 0 || self.chance(0.3) {
                    d.meta(from, true, true);
                }
            }
        }
        d
    }

    /// Undecodable or unknown instruction data over a few system accounts.
    pub(super) fn invalid(&mut self) -> Draft {
        let mut d = Draft::new("Invalid");
        for _ in 0..self.rng.gen_range(0..4) {
            let k = self.key();
            let b = self.balance();
            let a = self.sys(b);
            d.add(k, a);
            let (s, w) = (self.chance(0.7), self.chance(0.7));
            d.meta(k, s, w);
        }
        d.data = match self.rng.gen_range(0..8) {
            0 => {
                d.tag("empty");
                Vec::new()
            }
            1 => {
                d.tag("short-tag");
                let n = self.rng.gen_range(1..4);
                (0..n).map(|_| self.rng.gen_range(0..14)).collect()
            }
            2 => {
                d.tag("unknown-tag");
                let t = if self.chance(0.2) {
                    u32::MAX
                } else {
                    self.rng.gen_range(14..1_000)
                };
                let n = self.rng.gen_range(0..64);
                let mut v = t.to_le_bytes().to_vec();
                v.extend((0..n).map(|_| self.rng.gen::<u8>()));
                v
            }
            3 => {
                d.tag("huge-string-length");
                let t = *[3u32, 9, 10, 11].choose(&mut self.rng).unwrap_or(&3);
                let mut v = Enc::tag(t).0;
                if t != 11 {
                    v.extend_from_slice(&[7; 32]);
                } else {
                    v.extend_from_slice(&5u64.to_le_bytes());
                }
                let len = *[1u64 << 20, 1 << 40, u64::MAX, 1_233]
                    .choose(&mut self.rng)
                    .unwrap_or(&0);
                v.extend_from_slice(&len.to_le_bytes());
                v.extend((0..self.rng.gen_range(0..40)).map(|_| b'a'));
                v
            }
            4 => {
                d.tag("truncated");
                let t = self.rng.gen_range(0..14u32);
                let full = self.build(t).data;
                let n = self.rng.gen_range(0..full.len().max(1));
                full[..n.min(full.len())].to_vec()
            }
            5 => {
                d.tag("random-bytes");
                let n = self.rng.gen_range(1..120);
                (0..n).map(|_| self.rng.gen()).collect()
            }
            6 => {
                d.tag("oversized-random");
                let n = self.rng.gen_range(1_233..1_600);
                let mut v: Vec<u8> = (0..n).map(|_| self.rng.gen()).collect();
                v[..4].copy_from_slice(&self.rng.gen_range(14u32..u32::MAX).to_le_bytes());
                v
            }
            _ => {
                d.tag("string-past-end");
                // A seed string with a length prefix past the data's end.
                let mut v = Enc::tag(10).key(&[9; 32].into()).0;
                v.extend_from_slice(&40u64.to_le_bytes());
                v.extend_from_slice(b"short");
                v
            }
        };
        d
    }
}
