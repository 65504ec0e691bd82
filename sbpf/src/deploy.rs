//! The program accounts a deployment writes, byte-compatible with Agave's
//! (`docs/sbpf.md` §6), and the loader ids.
//!
//! | loader | program account | where the ELF is |
//! |---|---|---|
//! | v2 | executable, owner v2, data = the ELF | the program account |
//! | v3 | executable, owner v3, data = `[2,0,0,0] ‖ programdata` (36 B) | programdata at PDA(`[id]`, v3): `[3,0,0,0] ‖ slot ‖ Option<authority>`, padded to 45 B, then the ELF; not executable |
//! | v4 | executable, owner v4, data = `slot ‖ authority ‖ status (Deployed = 1)` (48 B) then the ELF | the program account |
//!
//! Every account holds the rent-exempt minimum for its size.

use baton_executor::Rent;
use baton_types::{pda, Account, Pubkey};

/// The loaders' ids, from `baton_types::ids`: v1 (`BPF_LOADER_DEPRECATED`,
/// ABIv0, not supported), v2, v3 (the upgradeable loader) and v4.
pub use baton_types::ids::{BPF_LOADER, BPF_LOADER_DEPRECATED, BPF_LOADER_UPGRADEABLE, LOADER_V4};

/// Bytes of the v3 program account (`UpgradeableLoaderState::Program`).
pub const V3_PROGRAM_LEN: usize = 36;
/// Bytes of the v3 programdata header before the ELF.
pub const V3_PROGRAMDATA_HEADER_LEN: usize = 45;
/// Bytes of the v4 header before the ELF.
pub const V4_HEADER_LEN: usize = 48;

/// Which loader owns a deployed program, and how.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProgramLoader {
    /// `BPFLoader2…`: the ELF in the program account; immutable.
    V2,
    /// The upgradeable loader: a program account pointing at a programdata
    /// account that holds the upgrade authority (`None`: immutable) and the ELF.
    V3 {
        /// The upgrade authority.
        authority: Option<Pubkey>,
    },
    /// Loader v4: header and ELF in the program account, status Deployed.
    V4 {
        /// The authority.
        authority: Pubkey,
    },
}

impl ProgramLoader {
    /// The loader's program id (the owner of the program account).
    pub fn id(&self) -> Pubkey {
        match self {
            ProgramLoader::V2 => BPF_LOADER,
            ProgramLoader::V3 { .. } => BPF_LOADER_UPGRADEABLE,
            ProgramLoader::V4 { .. } => LOADER_V4,
        }
    }
}

/// The programdata address of a v3 program.
pub fn programdata_address(program_id: &Pubkey) -> Pubkey {
    pda::find_program_address(&[program_id.as_array()], &BPF_LOADER_UPGRADEABLE).0
}

fn account(rent: &Rent, data: Vec<u8>, owner: Pubkey, executable: bool) -> Account {
    Account {
        lamports: rent.minimum_balance(data.len()),
        data,
        owner,
        executable,
        rent_epoch: 0,
    }
}

/// The accounts deploying `elf` at `program_id` with `loader` at `slot`
/// writes: the program account first, then (v3) the programdata account.
pub fn program_accounts(
    loader: ProgramLoader,
    program_id: &Pubkey,
    elf: &[u8],
    rent: &Rent,
    slot: u64,
) -> Vec<(Pubkey, Account)> {
    match loader {
        ProgramLoader::V2 => vec![(*program_id, account(rent, elf.to_vec(), BPF_LOADER, true))],
        ProgramLoader::V3 { authority } => {
            let programdata = programdata_address(program_id);
            let mut program = Vec::with_capacity(V3_PROGRAM_LEN);
            program.extend_from_slice(&2u32.to_le_bytes());
            program.extend_from_slice(programdata.as_array());
            let mut data = Vec::with_capacity(V3_PROGRAMDATA_HEADER_LEN + elf.len());
            data.extend_from_slice(&3u32.to_le_bytes());
            data.extend_from_slice(&slot.to_le_bytes());
            match authority {
                Some(a) => {
                    data.push(1);
                    data.extend_from_slice(a.as_array());
                }
                None => data.push(0),
            }
            data.resize(V3_PROGRAMDATA_HEADER_LEN, 0);
            data.extend_from_slice(elf);
            vec![
                (
                    *program_id,
                    account(rent, program, BPF_LOADER_UPGRADEABLE, true),
                ),
                (
                    programdata,
                    account(rent, data, BPF_LOADER_UPGRADEABLE, false),
                ),
            ]
        }
        ProgramLoader::V4 { authority } => {
            let mut data = Vec::with_capacity(V4_HEADER_LEN + elf.len());
            data.extend_from_slice(&slot.to_le_bytes());
            data.extend_from_slice(authority.as_array());
            data.extend_from_slice(&1u64.to_le_bytes());
            data.extend_from_slice(elf);
            vec![(*program_id, account(rent, data, LOADER_V4, true))]
        }
    }
}

/// Where the ELF of a deployed program is, given its program account and a
/// way to load other accounts: `None` when the account is not a program
/// of loader v2, v3 or v4 (or its programdata is missing or malformed).
pub fn deployed_elf(
    program: &Account,
    load: impl Fn(&Pubkey) -> Option<Account>,
) -> Option<(ProgramLoader, Vec<u8>)> {
    if !program.executable {
        return None;
    }
    if program.owner == BPF_LOADER {
        return Some((ProgramLoader::V2, program.data.clone()));
    }
    if program.owner == LOADER_V4 {
        let header = program.data.get(..V4_HEADER_LEN)?;
        let authority = Pubkey::new_from_array(header[8..40].try_into().ok()?);
        let elf = program.data[V4_HEADER_LEN..].to_vec();
        return Some((ProgramLoader::V4 { authority }, elf));
    }
    if program.owner == BPF_LOADER_UPGRADEABLE {
        if program.data.len() != V3_PROGRAM_LEN {
            return None;
        }
        let pd_key = baton_types::ids::v3_programdata_key(program)?;
        let pd = load(&pd_key)?;
        if pd.owner != BPF_LOADER_UPGRADEABLE || pd.data.get(..4)? != 3u32.to_le_bytes() {
            return None;
        }
        let authority = match *pd.data.get(12)? {
            0 => None,
            1 => Some(Pubkey::new_from_array(
                pd.data.get(13..45)?.try_into().ok()?,
            )),
            _ => return None,
        };
        let elf = pd.data.get(V3_PROGRAMDATA_HEADER_LEN..)?.to_vec();
        return Some((ProgramLoader::V3 { authority }, elf));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layouts() {
        let rent = Rent::default();
        let id = Pubkey::new_from_array([4; 32]);
        let elf = [0x7f, b'E', b'L', b'F', 1, 2, 3];
        let v2 = program_accounts(ProgramLoader::V2, &id, &elf, &rent, 9);
        assert_eq!(v2.len(), 1);
        assert_eq!(v2[0].1.data, elf);
        assert_eq!(v2[0].1.lamports, rent.minimum_balance(elf.len()));
        assert!(v2[0].1.executable);

        let auth = Pubkey::new_from_array([6; 32]);
        let v3 = program_accounts(
            ProgramLoader::V3 {
                authority: Some(auth),
            },
            &id,
            &elf,
            &rent,
            9,
        );
        let (pd_key, pd) = &v3[1];
        assert_eq!(*pd_key, programdata_address(&id));
        assert_eq!(&v3[0].1.data[..4], &[2, 0, 0, 0]);
        assert_eq!(&v3[0].1.data[4..], pd_key.as_array());
        assert_eq!(v3[0].1.data.len(), 36);
        assert!(!pd.executable);
        assert_eq!(&pd.data[..4], &[3, 0, 0, 0]);
        assert_eq!(&pd.data[4..12], &9u64.to_le_bytes());
        assert_eq!(pd.data[12], 1);
        assert_eq!(&pd.data[13..45], auth.as_array());
        assert_eq!(&pd.data[45..], &elf);
        let load = |k: &Pubkey| (k == pd_key).then(|| pd.clone());
        assert_eq!(
            deployed_elf(&v3[0].1, load),
            Some((
                ProgramLoader::V3 {
                    authority: Some(auth)
                },
                elf.to_vec()
            ))
        );

        let v4 = program_accounts(ProgramLoader::V4 { authority: auth }, &id, &elf, &rent, 9);
        let d = &v4[0].1.data;
        assert_eq!(&d[..8], &9u64.to_le_bytes());
        assert_eq!(&d[8..40], auth.as_array());
        assert_eq!(&d[40..48], &1u64.to_le_bytes());
        assert_eq!(&d[48..], &elf);
        assert_eq!(
            deployed_elf(&v4[0].1, |_| None),
            Some((ProgramLoader::V4 { authority: auth }, elf.to_vec()))
        );
        assert_eq!(
            deployed_elf(&v2[0].1, |_| None),
            Some((ProgramLoader::V2, elf.to_vec()))
        );
    }
}
