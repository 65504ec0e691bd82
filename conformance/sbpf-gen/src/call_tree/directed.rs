//! Directed call trees, after the random ones: fixed operations on a fixed
//! set of accounts, each pinning one rule where engines may differ (named
//! `CallTree/directed/<rule>`, so their names survive regeneration).

use mollusk_svm::program::{create_program_account_loader_v2, keyed_account_for_system_program};
use rand::Rng;
use solana_account::Account;
use solana_instruction::{AccountMeta, Instruction};
use solana_pubkey::Pubkey;

use super::{TreeGen, NODES, SYSTEM};
use crate::fixture::Case;

/// An invoke of the program at index `prog` with `metas` (index, flags:
/// bit 0 writable, bit 1 signer) and no data.
fn invoke(prog: u8, metas: &[(u8, u8)]) -> Vec<u8> {
    let mut ops = vec![4, prog, metas.len() as u8];
    for (i, f) in metas {
        ops.extend_from_slice(&[*i, *f]);
    }
    ops.extend_from_slice(&[0, 0]);
    ops
}

impl TreeGen {
    /// The directed cases, run by NodeA over: 0–2 the nodes, 3 the system
    /// program, 4 a funded signer, 5 an account of NodeA, 6 one of NodeB,
    /// 7 a system account (writable, not signing), 8 a read-only account of
    /// NodeA.
    pub fn directed(&mut self) -> Vec<Case> {
        let users: Vec<Pubkey> = (0..5)
            .map(|_| Pubkey::new_from_array(self.rng.gen()))
            .collect();
        let owned = |owner: &Pubkey| Account::new(5_000_000, 8, owner);
        let mut accounts = vec![
            (users[0], Account::new(10_000_000_000, 0, &SYSTEM)),
            (users[1], owned(&NODES[0])),
            (users[2], owned(&NODES[1])),
            (users[3], Account::new(3_000_000, 0, &SYSTEM)),
            (users[4], owned(&NODES[0])),
        ];
        for id in NODES {
            accounts.push((id, create_program_account_loader_v2(&[])));
        }
        accounts.push(keyed_account_for_system_program());
        let mut metas: Vec<AccountMeta> = NODES
            .iter()
            .chain([&SYSTEM])
            .map(|k| AccountMeta::new_readonly(*k, false))
            .collect();
        metas.push(AccountMeta::new(users[0], true));
        metas.push(AccountMeta::new(users[1], false));
        metas.push(AccountMeta::new(users[2], false));
        metas.push(AccountMeta::new(users[3], false));
        metas.push(AccountMeta::new_readonly(users[4], false));
        let mut resize_past = vec![9, 5];
        resize_past.extend_from_slice(&20_000u16.to_le_bytes());
        let scripts: Vec<(&str, Vec<u8>)> = vec![
            // A lamport error on the first callee account, a translation
            // error (past start length + 10 KiB) on the second.
            ("cpi-realloc-after-lamports", {
                let mut ops = vec![7, 7, 5, 1];
                ops.extend_from_slice(&resize_past);
                ops.extend(invoke(1, &[(7, 1), (5, 1)]));
                ops
            }),
            // The same two errors, the translation error first.
            ("cpi-realloc-before-lamports", {
                let mut ops = vec![7, 7, 5, 1];
                ops.extend_from_slice(&resize_past);
                ops.extend(invoke(1, &[(5, 1), (7, 1)]));
                ops
            }),
            // One pointer of an account info off by 8, each ABI.
            (
                "cpi-c-lamports-pointer",
                [vec![11, 5, 1], invoke(1, &[(5, 1)])].concat(),
            ),
            (
                "cpi-c-data-pointer",
                [vec![11, 5, 3], invoke(1, &[(5, 1)])].concat(),
            ),
            (
                "cpi-c-owner-pointer",
                [vec![11, 5, 4], invoke(1, &[(5, 1)])].concat(),
            ),
            (
                "cpi-rust-lamports-box",
                [vec![11, 5, 1, 10], invoke(1, &[(5, 1)])].concat(),
            ),
            (
                "cpi-rust-data-box",
                [vec![11, 5, 2, 10], invoke(1, &[(5, 1)])].concat(),
            ),
            (
                "cpi-rust-owner-pointer",
                [vec![11, 5, 3, 10], invoke(1, &[(5, 1)])].concat(),
            ),
            // Length changes the program may not make.
            ("resize-read-only", vec![9, 8, 4, 0]),
            ("resize-foreign", vec![9, 6, 4, 0]),
            ("resize-own-past-10k", resize_past.clone()),
            ("resize-own-to-10k", vec![9, 5, 8, 40]),
        ];
        let mut cases = Vec::new();
        for (label, ops) in scripts {
            let ix = Instruction {
                program_id: NODES[0],
                accounts: metas.clone(),
                data: ops,
            };
            match self.make_case(format!("CallTree/directed/{label}"), 0, &ix, &accounts) {
                Some(c) => cases.push(c),
                None => self.dropped += 1,
            }
        }
        cases
    }
}
