//! The mutations applied to a built instruction: signers dropped, metas made
//! read-only, too few accounts, duplicates, foreign owners, bad data and so on.

use super::*;

impl SystemGen {
    // ------------------------------------------------------------ mutations

    pub(super) fn mutate(&mut self, d: &mut Draft) {
        let n = match self.rng.gen_range(0..100) {
            0..=29 => 0,
            30..=74 => 1,
            75..=94 => 2,
            _ => 3,
        };
        for _ in 0..n {
            self.mutate_once(d);
        }
    }

    pub(super) fn mutate_once(&mut self, d: &mut Draft) {
        let len = d.metas.len();
        match self.rng.gen_range(0..19) {
            0 | 1 => {
                let signers: Vec<usize> = (0..len).filter(|i| d.metas[*i].is_signer).collect();
                if let Some(&i) = signers.choose(&mut self.rng) {
                    d.metas[i].is_signer = false;
                    d.tag(format!("unsigned-{i}"));
                }
            }
            2 => {
                let w: Vec<usize> = (0..len).filter(|i| d.metas[*i].is_writable).collect();
                if let Some(&i) = w.choose(&mut self.rng) {
                    d.metas[i].is_writable = false;
                    d.tag(format!("readonly-{i}"));
                }
            }
            3 | 4 => {
                if len > 0 {
                    let k = self.rng.gen_range(0..len);
                    d.metas.truncate(k);
                    d.tag(format!("too-few-{k}"));
                }
            }
            5 => {
                let k = self.key();
                let b = self.balance();
                let a = self.sys(b);
                d.add(k, a);
                let (s, w) = (self.chance(0.5), self.chance(0.5));
                d.meta(k, s, w);
                d.tag("extra-meta");
            }
            6 | 7 => {
                if len >= 2 {
                    let i = self.rng.gen_range(0..len);
                    let mut j = self.rng.gen_range(0..len - 1);
                    if j >= i {
                        j += 1;
                    }
                    d.metas[j].pubkey = d.metas[i].pubkey;
                    if self.chance(0.5) {
                        d.metas[j].is_signer = !d.metas[j].is_signer;
                    }
                    if self.chance(0.5) {
                        d.metas[j].is_writable = !d.metas[j].is_writable;
                    }
                    d.tag(format!("dup-{j}-of-{i}"));
                }
            }
            8 => {
                if let Some(i) = self.pick_account(d) {
                    d.pool[i].1.owner = self.key();
                    d.tag("foreign-owner");
                }
            }
            9 => {
                if let Some(i) = self.pick_account(d) {
                    d.pool[i].1.executable = true;
                    d.tag("executable");
                }
            }
            10 => {
                if let Some(i) = self.pick_account(d) {
                    let n = self.rng.gen_range(1..64);
                    if self.chance(0.3) {
                        d.pool[i].1.data = vec![0; n];
                        d.tag("zero-data");
                    } else {
                        d.pool[i].1.data = (0..n).map(|_| self.rng.gen()).collect();
                        d.tag("has-data");
                    }
                }
            }
            11 => {
                if !d.data.is_empty() {
                    let n = self.rng.gen_range(0..d.data.len());
                    d.data.truncate(n);
                    d.tag("data-truncated");
                }
            }
            12 => {
                let n = self.rng.gen_range(1..32);
                d.data.extend((0..n).map(|_| self.rng.gen::<u8>()));
                d.tag("data-trailing");
            }
            13 => {
                let target = self.rng.gen_range(1_233..1_500);
                while d.data.len() < target {
                    d.data.push(self.rng.gen());
                }
                d.tag("data-oversized-trailing");
            }
            14 => {
                if !d.data.is_empty() {
                    let i = self.rng.gen_range(0..d.data.len());
                    d.data[i] ^= self.rng.gen_range(1..=255u8);
                    d.tag("data-flipped");
                }
            }
            15 => {
                // The invoked program among its own accounts: Agave demotes
                // it to read-only whatever the meta says. Given as it is on
                // chain, so that no harness stub differs.
                d.add(SYSTEM, system_program_account());
                let w = self.chance(0.5);
                if len > 0 && self.chance(0.5) {
                    let i = self.rng.gen_range(0..len);
                    d.metas[i].pubkey = SYSTEM;
                    d.metas[i].is_writable |= w;
                    d.tag(format!("program-as-account-{i}"));
                } else {
                    d.meta(SYSTEM, false, w);
                    d.tag(if w {
                        "program-meta-writable"
                    } else {
                        "program-meta"
                    });
                }
            }
            16 => {
                if self.chance(0.5) {
                    let e = *ENV_BUDGETS.choose(&mut self.rng).unwrap_or(&ENV_MAIN);
                    d.env = e;
                    d.tag(format!("budget-env-{e}"));
                } else if let Some(i) = self.pick_account(d) {
                    d.pool[i].1.lamports = u64::MAX - self.rng.gen_range(0..10);
                    d.tag("lamports-near-max");
                }
            }
            17 => {
                let sys: Vec<usize> = (0..len)
                    .filter(|i| [RECENT_BLOCKHASHES, RENT].contains(&d.metas[*i].pubkey))
                    .collect();
                if let Some(&i) = sys.choose(&mut self.rng) {
                    if self.chance(0.5) {
                        let (k, a) = self.harnesses[d.env].clock_account();
                        d.add(k, a);
                        d.metas[i].pubkey = k;
                        d.tag(format!("wrong-sysvar-{i}"));
                    } else if self.chance(0.5) {
                        let k = self.key();
                        let a = self.sys(1);
                        d.add(k, a);
                        d.metas[i].pubkey = k;
                        d.tag(format!("not-a-sysvar-{i}"));
                    } else {
                        d.metas[i].is_writable = true;
                        d.tag(format!("writable-sysvar-{i}"));
                    }
                } else if len > 0 {
                    let i = self.rng.gen_range(0..len);
                    d.metas[i].is_signer = true;
                    d.tag(format!("signed-{i}"));
                }
            }
            _ => {
                if let Some(i) = self.pick_account(d) {
                    d.pool[i].1.rent_epoch = self.rng.gen();
                    d.tag("rent-epoch");
                }
            }
        }
    }

    /// A pool account a meta names, not a sysvar.
    pub(super) fn pick_account(&mut self, d: &Draft) -> Option<usize> {
        let idx: Vec<usize> = (0..d.pool.len())
            .filter(|i| {
                let k = d.pool[*i].0;
                k != RECENT_BLOCKHASHES
                    && k != SYSTEM
                    && k != RENT
                    && k != CLOCK
                    && d.metas.iter().any(|m| m.pubkey == k)
            })
            .collect();
        idx.choose(&mut self.rng).copied()
    }
}
