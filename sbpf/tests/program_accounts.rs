//! Deployment writes the program accounts Mollusk creates
//! (`create_program_account_loader_v2`, `create_program_account_pair_loader_v3`),
//! recorded by `conformance/sbpf-gen program-accounts` in
//! `conformance/fixtures/program-accounts.json`: byte for byte (length,
//! sha256 and first bytes of the data), lamports, owner, flags.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::PathBuf;
use std::str::FromStr;

use baton_executor::Rent;
use baton_sbpf::deploy::{program_accounts, ProgramLoader};
use baton_types::Pubkey;
use serde::Deserialize;
use sha2::Digest;

#[derive(Deserialize)]
struct File {
    accounts: Vec<Row>,
}

#[derive(Deserialize)]
struct Row {
    program: String,
    layout: String,
    pubkey: String,
    lamports: u64,
    data_len: usize,
    data_sha256: String,
    data_prefix: String,
    owner: String,
    executable: bool,
    rent_epoch: u64,
}

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

#[test]
fn deployed_accounts_equal_mollusks() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(root.join("../conformance/fixtures/program-accounts.json"))
        .unwrap();
    let file: File = serde_json::from_str(&text).unwrap();
    assert_eq!(file.accounts.len(), 9);
    for row in &file.accounts {
        let (elf_name, id) = match row.program.as_str() {
            "p-token" => ("token.so", "TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA"),
            "token-2022" => (
                "token_2022.so",
                "TokenzQdBNbLqP5VEhdkAS6EPFLC1PHnBqCXEpPxuEb",
            ),
            "memo" => ("memo.so", "MemoSq4gqABAXKb96qnH8TysNcWxMyWCqXgDLGmfcHr"),
            other => panic!("unknown program {other}"),
        };
        let elf = std::fs::read(root.join("elf").join(elf_name)).unwrap();
        let id = Pubkey::from_str(id).unwrap();
        let (loader, index) = match row.layout.as_str() {
            "v2" => (ProgramLoader::V2, 0),
            "v3-program" => (ProgramLoader::V3 { authority: None }, 0),
            "v3-programdata" => (ProgramLoader::V3 { authority: None }, 1),
            other => panic!("unknown layout {other}"),
        };
        let (key, a) = program_accounts(loader, &id, &elf, &Rent::default(), 0)
            .into_iter()
            .nth(index)
            .unwrap();
        let what = format!("{} {}", row.program, row.layout);
        assert_eq!(key.to_string(), row.pubkey, "{what}: key");
        assert_eq!(a.lamports, row.lamports, "{what}: lamports");
        assert_eq!(a.data.len(), row.data_len, "{what}: length");
        assert_eq!(
            hex(&sha2::Sha256::digest(&a.data)),
            row.data_sha256,
            "{what}: data"
        );
        assert!(
            row.data_prefix
                .starts_with(&hex(&a.data[..a.data.len().min(64)])),
            "{what}: prefix"
        );
        assert_eq!(a.owner.to_string(), row.owner, "{what}: owner");
        assert_eq!(a.executable, row.executable, "{what}: executable");
        assert_eq!(a.rent_epoch, row.rent_epoch, "{what}: rent epoch");
    }
}
