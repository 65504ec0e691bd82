//! Core BPF programs: builtins Agave has migrated to sBPF programs owned
//! by the upgradeable loader, which every Baton runtime has at genesis.
//! Their ELFs are vendored in `elf/` (provenance in `elf/SOURCES.md`).

use baton_executor::Rent;
use baton_types::{Account, Pubkey};

use crate::deploy::{program_accounts, ProgramLoader};

/// The Address Lookup Table program's id.
pub const ADDRESS_LOOKUP_TABLE_PROGRAM: Pubkey =
    Pubkey::from_str_const("AddressLookupTab1e1111111111111111111111111");

/// The Address Lookup Table program's ELF: the Core BPF build Agave 4.2
/// runs (from the `litesvm` 0.16.0 crate, `elf/SOURCES.md`).
pub const ADDRESS_LOOKUP_TABLE_ELF: &[u8] = include_bytes!("../elf/address_lookup_table.so");

/// The accounts of the Core BPF programs as Agave's migration writes them
/// (an upgradeable-loader program account and its programdata, deployed
/// at `slot`, with no upgrade authority), program account first.
pub fn genesis_accounts(rent: &Rent, slot: u64) -> Vec<(Pubkey, Account)> {
    program_accounts(
        ProgramLoader::V3 { authority: None },
        &ADDRESS_LOOKUP_TABLE_PROGRAM,
        ADDRESS_LOOKUP_TABLE_ELF,
        rent,
        slot,
    )
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use crate::deploy::{deployed_elf, programdata_address, BPF_LOADER_UPGRADEABLE};
    use sha2::Digest;

    #[test]
    fn the_vendored_elf_is_the_one_sources_md_names() {
        let sources = include_str!("../elf/SOURCES.md");
        let hash: String = sha2::Sha256::digest(ADDRESS_LOOKUP_TABLE_ELF)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        let row = sources
            .lines()
            .find(|l| l.starts_with("| `address_lookup_table.so`"))
            .expect("listed");
        assert!(row.contains(&hash), "sha256 {hash} not in {row}");
        assert!(row.contains(&format!("| {} |", ADDRESS_LOOKUP_TABLE_ELF.len())));
    }

    #[test]
    fn genesis_accounts_are_an_immutable_v3_program() {
        let rent = Rent::default();
        let accounts = genesis_accounts(&rent, 0);
        let (id, program) = &accounts[0];
        let (pd_key, pd) = &accounts[1];
        assert_eq!(*id, ADDRESS_LOOKUP_TABLE_PROGRAM);
        assert_eq!(*pd_key, programdata_address(id));
        assert!(program.executable && !pd.executable);
        assert_eq!(program.owner, BPF_LOADER_UPGRADEABLE);
        assert_eq!(pd.owner, BPF_LOADER_UPGRADEABLE);
        assert_eq!(program.lamports, rent.minimum_balance(36));
        assert_eq!(pd.lamports, rent.minimum_balance(45 + 170_144));
        // ProgramData { slot: 0, upgrade_authority_address: None }.
        assert_eq!(&pd.data[..13], &[3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
        let load = |k: &Pubkey| (k == pd_key).then(|| pd.clone());
        let (loader, elf) = deployed_elf(program, load).expect("a deployed program");
        assert_eq!(loader, ProgramLoader::V3 { authority: None });
        assert_eq!(elf, ADDRESS_LOOKUP_TABLE_ELF);
    }
}
