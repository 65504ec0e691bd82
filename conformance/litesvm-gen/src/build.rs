//! Building the transactions: keys from the seeded RNG, legacy and v0
//! messages, compute-budget instructions, lookup-table accounts.

use rand::Rng;
use rand_chacha::ChaCha8Rng;
use solana_account::Account;
use solana_address_lookup_table_interface::state::LOOKUP_TABLE_META_SIZE;
use solana_hash::Hash;
use solana_instruction::Instruction;
use solana_keypair::Keypair;
use solana_message::{v0, AddressLookupTableAccount, Message, VersionedMessage};
use solana_pubkey::Pubkey;
use solana_signer::Signer;
use solana_transaction::versioned::VersionedTransaction;

/// A keypair from the seeded RNG.
pub fn keypair(rng: &mut ChaCha8Rng) -> Keypair {
    let mut seed = [0u8; 32];
    rng.fill(&mut seed);
    Keypair::new_from_array(seed)
}

/// A pubkey from the seeded RNG (no keypair behind it).
pub fn pubkey(rng: &mut ChaCha8Rng) -> Pubkey {
    let mut b = [0u8; 32];
    rng.fill(&mut b);
    Pubkey::new_from_array(b)
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Version {
    Legacy,
    V0,
}

impl Version {
    pub fn tag(self) -> &'static str {
        match self {
            Version::Legacy => "legacy",
            Version::V0 => "v0",
        }
    }
}

/// `ixs` paid by `payer`, signed by `signers` (the payer among them;
/// duplicates dropped), in `version` with the lookup `tables` (v0 only).
pub fn transaction(
    version: Version,
    ixs: &[Instruction],
    payer: &Pubkey,
    signers: &[&Keypair],
    blockhash: Hash,
    tables: &[AddressLookupTableAccount],
) -> VersionedTransaction {
    let msg = match version {
        Version::Legacy => {
            VersionedMessage::Legacy(Message::new_with_blockhash(ixs, Some(payer), &blockhash))
        }
        Version::V0 => VersionedMessage::V0(
            v0::Message::try_compile(payer, ixs, tables, blockhash)
                .unwrap_or_else(|e| panic!("compiling a v0 message: {e}")),
        ),
    };
    sign(msg, signers)
}

/// Sign `msg` with the keypairs among `signers` it requires.
pub fn sign(msg: VersionedMessage, signers: &[&Keypair]) -> VersionedTransaction {
    let n = msg.header().num_required_signatures as usize;
    let required: Vec<Pubkey> = msg.static_account_keys()[..n].to_vec();
    let mut chosen: Vec<&Keypair> = Vec::new();
    for k in &required {
        let kp = signers
            .iter()
            .find(|s| s.pubkey() == *k)
            .unwrap_or_else(|| panic!("no keypair for signer {k}"));
        chosen.push(kp);
    }
    VersionedTransaction::try_new(msg, &chosen).unwrap_or_else(|e| panic!("signing: {e}"))
}

/// A system account holding `lamports`.
pub fn system_account(lamports: u64, rent_epoch: u64) -> Account {
    Account {
        lamports,
        data: Vec::new(),
        owner: solana_sdk_ids::system_program::id(),
        executable: false,
        rent_epoch,
    }
}

/// The state of an address lookup table, for a starting account.
pub struct TableState {
    pub deactivation_slot: u64,
    pub last_extended_slot: u64,
    pub last_extended_slot_start_index: u8,
    pub authority: Option<Pubkey>,
    pub addresses: Vec<Pubkey>,
}

impl TableState {
    /// The table's account data, in the ALT program's layout (the
    /// `ProgramState::LookupTable` tag, the 56-byte meta, the addresses).
    pub fn data(&self) -> Vec<u8> {
        let mut d = vec![0u8; LOOKUP_TABLE_META_SIZE];
        d[0..4].copy_from_slice(&1u32.to_le_bytes());
        d[4..12].copy_from_slice(&self.deactivation_slot.to_le_bytes());
        d[12..20].copy_from_slice(&self.last_extended_slot.to_le_bytes());
        d[20] = self.last_extended_slot_start_index;
        if let Some(a) = &self.authority {
            d[21] = 1;
            d[22..54].copy_from_slice(a.as_ref());
        }
        for a in &self.addresses {
            d.extend_from_slice(a.as_ref());
        }
        d
    }

    pub fn account(&self, lamports: u64) -> Account {
        Account {
            lamports,
            data: self.data(),
            owner: solana_sdk_ids::address_lookup_table::id(),
            executable: false,
            rent_epoch: u64::MAX,
        }
    }
}

/// The compute-budget instructions a transaction may carry.
pub mod cb {
    use solana_compute_budget_interface::ComputeBudgetInstruction as C;
    use solana_instruction::Instruction;

    pub fn limit(units: u32) -> Instruction {
        C::set_compute_unit_limit(units)
    }
    pub fn price(micro_lamports: u64) -> Instruction {
        C::set_compute_unit_price(micro_lamports)
    }
    pub fn heap(bytes: u32) -> Instruction {
        C::request_heap_frame(bytes)
    }
    pub fn data_size(bytes: u32) -> Instruction {
        C::set_loaded_accounts_data_size_limit(bytes)
    }
}
