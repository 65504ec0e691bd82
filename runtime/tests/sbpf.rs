//! Deploying real programs: the mainnet p-token ELF under loaders v2, v3
//! and v4, transfers through `execute_batch` at 1 and 2 threads, refused
//! ELFs, program files, and a durable store reopened with its programs.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use baton::sbpf::deploy::{programdata_address, BPF_LOADER, BPF_LOADER_UPGRADEABLE, LOADER_V4};
use baton::token::state::TokenAccount;
use baton::{
    ids, Account, AccountMeta, DeployError, Instruction, InstructionError, Keypair, ProgramLoader,
    Pubkey, Runtime, Transaction, TransactionError,
};

const TOKEN_ELF: &[u8] = include_bytes!("../../sbpf/elf/token.so");

fn token_account(program: &Pubkey, mint: Pubkey, owner: Pubkey, amount: u64) -> Account {
    let d = TokenAccount::initialized(mint, owner, amount).to_bytes();
    Account::with_data(2_039_280, d.to_vec(), program)
}

fn amount(rt: &Runtime, k: &Pubkey) -> u64 {
    u64::from_le_bytes(rt.account(k).unwrap().data[64..72].try_into().unwrap())
}

/// Owners (fee payers too) and one token account each, of one mint.
fn setup(rt: &mut Runtime, program: &Pubkey, n: u8) -> Vec<(Keypair, Pubkey)> {
    let mint = Pubkey::new_from_u64(900);
    (1..=n)
        .map(|i| {
            let kp = Keypair::from_seed(&[i; 32]);
            rt.airdrop(&kp.pubkey(), 1_000_000_000).unwrap();
            let ta = Pubkey::new_from_u64(1_000 + i as u64);
            rt.set_account(ta, token_account(program, mint, kp.pubkey(), 1_000))
                .unwrap();
            (kp, ta)
        })
        .collect()
}

fn transfer(
    rt: &Runtime,
    program: &Pubkey,
    from: &(Keypair, Pubkey),
    to: &Pubkey,
    amount: u64,
) -> Transaction {
    let mut data = vec![3u8];
    data.extend_from_slice(&amount.to_le_bytes());
    let ix = Instruction::new_with_bytes(
        *program,
        &data,
        vec![
            AccountMeta::new(from.1, false),
            AccountMeta::new(*to, false),
            AccountMeta::new_readonly(from.0.pubkey(), true),
        ],
    );
    Transaction::new_signed_with_payer(
        &[ix],
        Some(&from.0.pubkey()),
        &[&from.0],
        rt.latest_blockhash(),
    )
    .unwrap()
}

#[test]
fn p_token_deployed_at_tokenkeg_replaces_the_native_token_program() {
    let mut rt = Runtime::new().with_threads(1);
    let token = ids::TOKEN_PROGRAM;
    rt.deploy_program(token, TOKEN_ELF, ProgramLoader::V2)
        .unwrap();
    let acc = rt.account(&token).unwrap();
    assert_eq!(acc.owner, BPF_LOADER);
    assert!(acc.executable);
    assert_eq!(acc.data, TOKEN_ELF);
    assert_eq!(
        acc.lamports,
        rt.sysvars().rent.minimum_balance(TOKEN_ELF.len())
    );

    let users = setup(&mut rt, &token, 2);
    let tx = transfer(&rt, &token, &users[0], &users[1].1, 300);
    let r = rt.execute_batch(&[tx]);
    assert_eq!(r[0].status, Ok(()));
    assert_eq!(r[0].compute_units_consumed, 76);
    assert_eq!(
        r[0].logs,
        vec![
            format!("Program {token} invoke [1]"),
            format!("Program {token} consumed 76 of 200000 compute units"),
            format!("Program {token} success"),
        ]
    );
    assert_eq!(amount(&rt, &users[0].1), 700);
    assert_eq!(amount(&rt, &users[1].1), 1_300);
}

#[test]
fn a_batch_of_p_token_transfers_is_the_same_at_1_and_2_threads() {
    let mut results = Vec::new();
    for threads in [1, 2] {
        let mut rt = Runtime::new().with_threads(threads);
        let token = ids::TOKEN_PROGRAM;
        rt.deploy_program(token, TOKEN_ELF, ProgramLoader::V2)
            .unwrap();
        let users = setup(&mut rt, &token, 8);
        // A ring of transfers, one of them larger than the balance, and a
        // read-only destination.
        let mut txs: Vec<Transaction> = (0..8)
            .map(|i| {
                let amount = if i == 3 { 5_000 } else { 10 * (i as u64 + 1) };
                transfer(&rt, &token, &users[i], &users[(i + 1) % 8].1, amount)
            })
            .collect();
        let mut data = vec![3u8];
        data.extend_from_slice(&1u64.to_le_bytes());
        let ix = Instruction::new_with_bytes(
            token,
            &data,
            vec![
                AccountMeta::new(users[4].1, false),
                AccountMeta::new_readonly(users[5].1, false),
                AccountMeta::new_readonly(users[4].0.pubkey(), true),
            ],
        );
        txs.push(
            Transaction::new_signed_with_payer(
                &[ix],
                Some(&users[4].0.pubkey()),
                &[&users[4].0],
                rt.latest_blockhash(),
            )
            .unwrap(),
        );
        let r = rt.execute_batch(&txs);
        assert_eq!(
            r[3].status,
            Err(TransactionError::InstructionError(
                0,
                InstructionError::Custom(1)
            ))
        );
        assert_eq!(r[3].compute_units_consumed, 181);
        assert_eq!(
            r[8].status,
            Err(TransactionError::InstructionError(
                0,
                InstructionError::ReadonlyDataModified
            ))
        );
        assert_eq!(r[8].compute_units_consumed, 76);
        assert!(r
            .iter()
            .enumerate()
            .all(|(i, x)| i == 3 || i == 8 || x.status.is_ok()));
        let balances: Vec<u64> = users.iter().map(|u| amount(&rt, &u.1)).collect();
        results.push((r, balances, rt.state_hash()));
    }
    assert_eq!(results[0], results[1]);
}

#[test]
fn v3_and_v4_programs_run_and_lay_out_their_accounts() {
    let authority = Pubkey::new_from_u64(77);
    for (loader, owner) in [
        (
            ProgramLoader::V3 {
                authority: Some(authority),
            },
            BPF_LOADER_UPGRADEABLE,
        ),
        (ProgramLoader::V4 { authority }, LOADER_V4),
    ] {
        let mut rt = Runtime::new().with_threads(1);
        let id = Pubkey::new_from_u64(4242);
        rt.deploy_program(id, TOKEN_ELF, loader).unwrap();
        let program = rt.account(&id).unwrap();
        assert_eq!(program.owner, owner);
        assert!(program.executable);
        if owner == BPF_LOADER_UPGRADEABLE {
            let pd_key = programdata_address(&id);
            assert_eq!(&program.data[..4], &[2, 0, 0, 0]);
            assert_eq!(&program.data[4..], pd_key.as_array());
            let pd = rt.account(&pd_key).unwrap();
            assert!(!pd.executable);
            assert_eq!(&pd.data[..4], &[3, 0, 0, 0]);
            assert_eq!(pd.data[12], 1);
            assert_eq!(&pd.data[13..45], authority.as_array());
            assert_eq!(&pd.data[45..], TOKEN_ELF);
            assert_eq!(
                pd.lamports,
                rt.sysvars().rent.minimum_balance(45 + TOKEN_ELF.len())
            );
        } else {
            assert_eq!(&program.data[40..48], &1u64.to_le_bytes());
            assert_eq!(&program.data[48..], TOKEN_ELF);
        }
        let users = setup(&mut rt, &id, 2);
        let r = rt.execute_batch(&[transfer(&rt, &id, &users[0], &users[1].1, 5)]);
        assert_eq!(r[0].status, Ok(()), "{:?}", r[0].logs);
        assert_eq!(r[0].compute_units_consumed, 76);
        assert_eq!(amount(&rt, &users[1].1), 1_005);
    }
}

#[test]
fn broken_elfs_are_refused_and_nothing_is_written() {
    let mut rt = Runtime::new();
    let id = Pubkey::new_from_u64(4243);
    let hash = rt.state_hash();
    for (bad, loader) in [
        (&TOKEN_ELF[..TOKEN_ELF.len() / 3], ProgramLoader::V2),
        (
            &b"\x7fELF garbage"[..],
            ProgramLoader::V3 { authority: None },
        ),
        (&[][..], ProgramLoader::V4 { authority: id }),
    ] {
        let err = rt.deploy_program(id, bad, loader).unwrap_err();
        assert!(matches!(err, DeployError::Elf { program_id, .. } if program_id == id));
        assert!(err.to_string().contains("invalid ELF"), "{err}");
    }
    assert_eq!(rt.account(&id), None);
    assert_eq!(rt.account(&programdata_address(&id)), None);
    assert!(!rt.programs().contains(&id));
    assert_eq!(rt.state_hash(), hash);
}

#[test]
fn program_files_deploy_and_a_missing_file_is_an_io_error() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("token.so");
    std::fs::write(&path, TOKEN_ELF).unwrap();
    let mut rt = Runtime::new();
    let id = Pubkey::new_from_u64(4244);
    rt.add_program_file(id, &path, ProgramLoader::V2).unwrap();
    assert!(rt.programs().contains(&id));
    let err = rt
        .add_program_file(id, dir.path().join("absent.so"), ProgramLoader::V2)
        .unwrap_err();
    assert!(matches!(err, DeployError::Io { .. }), "{err}");
}

#[test]
fn a_reopened_durable_store_runs_its_deployed_programs() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.redb");
    let id = Pubkey::new_from_u64(4245);
    {
        let mut rt = Runtime::new().with_storage(&path).unwrap();
        rt.deploy_program(id, TOKEN_ELF, ProgramLoader::V3 { authority: None })
            .unwrap();
        setup(&mut rt, &id, 2);
    }
    let mut rt = Runtime::new().with_storage(&path).unwrap();
    assert!(!rt.programs().is_registered(&id));
    let hash = rt.state_hash();
    // Warming (not needed to run it: tests/durable_programs.rs); the
    // Address Lookup Table program is warmed too.
    let warmed = rt.load_deployed_programs().unwrap();
    assert!(warmed.contains(&id), "{warmed:?}");
    assert_eq!(rt.state_hash(), hash, "the program account is unchanged");
    let users: Vec<(Keypair, Pubkey)> = (1..=2u8)
        .map(|i| {
            (
                Keypair::from_seed(&[i; 32]),
                Pubkey::new_from_u64(1_000 + i as u64),
            )
        })
        .collect();
    let r = rt.execute_batch(&[transfer(&rt, &id, &users[0], &users[1].1, 9)]);
    assert_eq!(r[0].status, Ok(()), "{:?}", r[0].logs);
    assert_eq!(amount(&rt, &users[1].1), 1_009);
}
