//! The invokes of a call tree's nodes (`TreeGen::invoke`): a system
//! transfer or a node, with metas drawn from the caller's accounts, now and
//! then signed with the caller's PDA seeds.

use rand::seq::SliceRandom;
use rand::Rng;
use solana_pubkey::Pubkey;

use super::{is_program, merged, priv_of, Slot, TreeGen, NODES, SYSTEM};

impl TreeGen {
    /// An invoke from node `program`: of the system program (a transfer) or
    /// of a node, with metas drawn from the caller's accounts.
    pub(super) fn invoke(
        &mut self,
        ops: &mut Vec<u8>,
        height: u32,
        program: usize,
        view: &[Slot],
        metas: &[Slot],
        stack: &[usize],
    ) {
        let index_of = |k: &Pubkey| metas.iter().position(|s| s.key == *k);
        // Now and then signed with the caller's PDA seeds (op 8), which
        // makes its PDA a signer (with a wrong bump, one the callee refuses).
        let mut header = vec![4u8];
        let mut signed_view = view.to_vec();
        if self.rng.gen_bool(0.3) {
            let (pda, mut bump) = self.pdas[program];
            if self.fault(0.25) {
                bump = bump.wrapping_sub(1);
                self.tag("bad-seeds");
            }
            header = vec![8, 3, b'p', b'd', b'a', bump];
            if let Some(s) = signed_view.iter_mut().find(|s| s.key == pda) {
                s.signer = true;
            }
            self.tag("signed");
        }
        // Now and then through the Rust ABI (op 10 before the invoke).
        let rust = self.rng.gen_bool(0.35);
        if rust {
            header.insert(0, 10);
            self.tag("rust-abi");
        }
        // In faulty cases, now and then one pointer of one account info off
        // by 8 (op 11 before the invoke).
        if !metas.is_empty() && self.fault(0.12) {
            let idx = self.rng.gen_range(0..metas.len()) as u8;
            let field = self.rng.gen_range(0..if rust { 4 } else { 5 });
            header.splice(0..0, [11, idx, field]);
            self.tag("bad-pointer");
        }
        let view = &signed_view[..];
        // (Deep chains call nodes only, so they reach the depth target.)
        if !self.deep && self.rng.gen_bool(0.15) {
            // system transfer from a signer it may debit to a writable account
            let Some(sys) = index_of(&SYSTEM) else { return };
            let users: Vec<usize> = (0..metas.len())
                .filter(|&i| !is_program(&metas[i].key))
                .collect();
            let payers: Vec<usize> = users
                .iter()
                .copied()
                .filter(|&i| {
                    let p = priv_of(view, &metas[i].key);
                    p.signer && p.writable && self.owner(&metas[i].key) == SYSTEM
                })
                .collect();
            let from = if payers.is_empty() || self.fault(0.3) {
                users.choose(&mut self.rng)
            } else {
                payers.choose(&mut self.rng)
            };
            let sinks: Vec<usize> = users
                .iter()
                .copied()
                .filter(|&i| priv_of(view, &metas[i].key).writable)
                .collect();
            let to = if sinks.is_empty() || self.fault(0.2) {
                users.choose(&mut self.rng)
            } else {
                sinks.choose(&mut self.rng)
            };
            let (Some(&from), Some(&to)) = (from, to) else {
                return;
            };
            let mut f = 3u8;
            let mut t = 1u8;
            let fp = priv_of(view, &metas[from].key);
            if !fp.signer || !fp.writable {
                self.tag("escalate");
            }
            if self.fault(0.1) {
                f = 1;
                self.tag("unsigned-transfer");
            }
            if self.fault(0.05) {
                t = 0;
            }
            // Or an Allocate or Assign of that account (a PDA, signed by
            // seeds, included), which the caller sees synced back.
            if self.rng.gen_bool(0.35) {
                let mut data;
                if self.rng.gen_bool(0.5) {
                    data = vec![8, 0, 0, 0];
                    data.extend_from_slice(&self.rng.gen_range(0u64..64).to_le_bytes());
                    self.tag("system-allocate");
                } else {
                    data = vec![1, 0, 0, 0];
                    let owner = NODES[self.rng.gen_range(0..NODES.len())];
                    data.extend_from_slice(owner.as_ref());
                    self.tag("system-assign");
                }
                ops.extend_from_slice(&header);
                ops.extend_from_slice(&[sys as u8, 1, from as u8, f]);
                ops.extend_from_slice(&(data.len() as u16).to_le_bytes());
                ops.extend_from_slice(&data);
                return;
            }
            let mut data = vec![2, 0, 0, 0];
            let amount: u64 = if self.fault(0.1) {
                u64::MAX
            } else {
                self.rng.gen_range(0..5_000_000)
            };
            data.extend_from_slice(&amount.to_le_bytes());
            if self.pdas.iter().any(|(k, _)| *k == metas[from].key) {
                self.tag("pda-transfer");
            }
            ops.extend_from_slice(&header);
            ops.extend_from_slice(&[sys as u8, 2, from as u8, f, to as u8, t]);
            ops.extend_from_slice(&(data.len() as u16).to_le_bytes());
            ops.extend_from_slice(&data);
            self.tag("system");
            return;
        }
        // Which node: mostly one not on the stack, else itself or one
        // below it (reentrancy).
        let free: Vec<usize> = (0..NODES.len()).filter(|p| !stack.contains(p)).collect();
        let callee = match self.rng.gen_range(0..10) {
            0..=1 => {
                self.tag("self-cpi");
                program
            }
            2..=3 if stack.len() > 1 && self.fault(0.7) => {
                self.tag("reentrancy");
                stack[self.rng.gen_range(0..stack.len() - 1)]
            }
            _ => match free.choose(&mut self.rng) {
                Some(&p) => p,
                None => program,
            },
        };
        let Some(prog_idx) = index_of(&NODES[callee]) else {
            self.tag("missing-program");
            return;
        };
        // The callee's metas: the programs (so it can call on), then users
        // with at most the caller's privileges, now and then more.
        let mut child: Vec<(usize, Slot)> = Vec::new();
        for (i, s) in metas.iter().enumerate() {
            let include = if is_program(&s.key) {
                self.deep || self.rng.gen_bool(0.9)
            } else {
                self.rng.gen_bool(0.7)
            };
            if !include {
                continue;
            }
            let p = priv_of(view, &s.key);
            let mut slot = Slot {
                key: s.key,
                writable: p.writable && self.rng.gen_bool(0.8),
                signer: p.signer && self.rng.gen_bool(0.8),
            };
            if is_program(&s.key) {
                slot.writable = false;
                slot.signer = false;
            } else if self.fault(0.015) {
                slot.writable = true;
                if !p.writable {
                    self.tag("escalate-writable");
                }
            } else if self.fault(0.015) {
                slot.signer = true;
                if !p.signer {
                    self.tag("escalate-signer");
                }
            }
            child.push((i, slot));
        }
        if !child.is_empty() && self.rng.gen_bool(0.1) {
            let d = child[self.rng.gen_range(0..child.len())];
            child.push(d);
            self.tag("cpi-dup-meta");
        }
        child.shuffle(&mut self.rng);
        child.truncate(16);
        let child_metas: Vec<Slot> = child.iter().map(|(_, s)| *s).collect();
        let mut child_view = merged(&child_metas);
        // The callee's own program account is never writable there.
        for s in child_view.iter_mut() {
            if s.key == NODES[callee] {
                s.writable = false;
            }
        }
        let mut next_stack = stack.to_vec();
        next_stack.push(callee);
        let data = if child_metas.is_empty() {
            Vec::new()
        } else {
            self.node(height + 1, callee, &child_view, &child_metas, &next_stack)
        };
        if height + 1 > 5 {
            self.tag("depth-exceeded");
        }
        ops.extend_from_slice(&header);
        ops.extend_from_slice(&[prog_idx as u8, child.len() as u8]);
        for (i, s) in &child {
            ops.push(*i as u8);
            ops.push(s.writable as u8 | (s.signer as u8) << 1);
        }
        ops.extend_from_slice(&(data.len() as u16).to_le_bytes());
        ops.extend_from_slice(&data);
    }
}
