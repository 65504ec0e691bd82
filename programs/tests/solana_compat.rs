//! Conformance with Solana's crates (dev-dependencies only):
//! `solana-system-interface`'s builders produce byte-identical data and the
//! same metas as Baton's for every instruction, Baton decodes them, Solana
//! decodes Baton's; and a Baton-initialized nonce account decodes with
//! `solana-nonce`'s `Versions`, with the same durable nonce.

#![allow(clippy::unwrap_used)]

mod common;

use baton_programs::system::instruction::{self as sys, SystemInstruction};
use baton_programs::system::nonce::{self, State, Versions};
use baton_programs::system::{
    self, AdvanceNonceAccount, Allocate, AllocateWithSeed, Assign, AssignWithSeed,
    AuthorizeNonceAccount, CreateAccount, CreateAccountWithSeed, InitializeNonceAccount, Transfer,
    TransferWithSeed, UpgradeNonceAccount, WithdrawNonceAccount,
};
use baton_types::{Hash, Instruction, Pubkey};
use common::*;
use solana_system_interface::instruction as sol;

type SolPubkey = solana_pubkey::Pubkey;
type SolInstruction = solana_instruction::Instruction;
type SolIx = solana_system_interface::instruction::SystemInstruction;

fn sp(k: &Pubkey) -> SolPubkey {
    SolPubkey::new_from_array(k.0)
}

fn pk(n: u8) -> Pubkey {
    let mut b = [0u8; 32];
    for (i, x) in b.iter_mut().enumerate() {
        *x = n.wrapping_mul(31).wrapping_add(i as u8);
    }
    Pubkey(b)
}

/// Solana's instruction and Baton's are the same: program id, metas, data.
#[track_caller]
fn assert_same(sol_ix: &SolInstruction, ix: &Instruction) {
    assert_eq!(sol_ix.program_id.to_bytes(), ix.program_id.0, "program id");
    assert_eq!(sol_ix.accounts.len(), ix.accounts.len(), "meta count");
    for (s, b) in sol_ix.accounts.iter().zip(&ix.accounts) {
        assert_eq!(s.pubkey.to_bytes(), b.pubkey.0);
        assert_eq!((s.is_signer, s.is_writable), (b.is_signer, b.is_writable));
    }
    assert_eq!(sol_ix.data, ix.data, "data bytes");
}

/// Both decoders read both encodings to the same instruction.
#[track_caller]
fn assert_decodes(data: &[u8], expected: SystemInstruction) {
    assert_eq!(SystemInstruction::decode(data), Ok(expected.clone()));
    let sol_decoded: SolIx = bincode::deserialize(data).unwrap();
    assert_eq!(bincode::serialize(&sol_decoded).unwrap(), expected.encode());
}

#[test]
fn builders_match_solana_system_interface_for_every_variant() {
    let (a, b, c, d) = (pk(1), pk(2), pk(3), pk(4));
    let seed = "a seed of 20 bytes..";
    let cases: Vec<(SolInstruction, Instruction, SystemInstruction)> = vec![
        (
            sol::create_account(&sp(&a), &sp(&b), 42, 165, &sp(&c)),
            sys::create_account(&a, &b, 42, 165, &c),
            CreateAccount {
                lamports: 42,
                space: 165,
                owner: c,
            }
            .into(),
        ),
        (
            sol::assign(&sp(&a), &sp(&c)),
            sys::assign(&a, &c),
            Assign { owner: c }.into(),
        ),
        (
            sol::transfer(&sp(&a), &sp(&b), u64::MAX),
            sys::transfer(&a, &b, u64::MAX),
            Transfer { lamports: u64::MAX }.into(),
        ),
        (
            sol::create_account_with_seed(&sp(&a), &sp(&b), &sp(&d), seed, 7, 8, &sp(&c)),
            sys::create_account_with_seed(&a, &b, &d, seed, 7, 8, &c),
            CreateAccountWithSeed {
                base: d,
                seed: seed.into(),
                lamports: 7,
                space: 8,
                owner: c,
            }
            .into(),
        ),
        (
            // Base is the payer: two metas only.
            sol::create_account_with_seed(&sp(&a), &sp(&b), &sp(&a), "", 7, 8, &sp(&c)),
            sys::create_account_with_seed(&a, &b, &a, "", 7, 8, &c),
            CreateAccountWithSeed {
                base: a,
                seed: String::new(),
                lamports: 7,
                space: 8,
                owner: c,
            }
            .into(),
        ),
        (
            sol::advance_nonce_account(&sp(&a), &sp(&b)),
            sys::advance_nonce_account(&a, &b),
            AdvanceNonceAccount.into(),
        ),
        (
            sol::withdraw_nonce_account(&sp(&a), &sp(&b), &sp(&c), 99),
            sys::withdraw_nonce_account(&a, &b, &c, 99),
            WithdrawNonceAccount { lamports: 99 }.into(),
        ),
        (
            sol::create_nonce_account(&sp(&a), &sp(&b), &sp(&d), 1_000)[1].clone(),
            sys::initialize_nonce_account(&b, &d),
            InitializeNonceAccount { authority: d }.into(),
        ),
        (
            sol::authorize_nonce_account(&sp(&a), &sp(&b), &sp(&c)),
            sys::authorize_nonce_account(&a, &b, &c),
            AuthorizeNonceAccount { authority: c }.into(),
        ),
        (
            sol::allocate(&sp(&a), 10_000),
            sys::allocate(&a, 10_000),
            Allocate { space: 10_000 }.into(),
        ),
        (
            sol::allocate_with_seed(&sp(&a), &sp(&b), seed, 3, &sp(&c)),
            sys::allocate_with_seed(&a, &b, seed, 3, &c),
            AllocateWithSeed {
                base: b,
                seed: seed.into(),
                space: 3,
                owner: c,
            }
            .into(),
        ),
        (
            sol::assign_with_seed(&sp(&a), &sp(&b), seed, &sp(&c)),
            sys::assign_with_seed(&a, &b, seed, &c),
            AssignWithSeed {
                base: b,
                seed: seed.into(),
                owner: c,
            }
            .into(),
        ),
        (
            sol::transfer_with_seed(&sp(&a), &sp(&b), seed.to_string(), &sp(&c), &sp(&d), 5),
            sys::transfer_with_seed(&a, &b, seed, &c, &d, 5),
            TransferWithSeed {
                lamports: 5,
                from_seed: seed.into(),
                from_owner: c,
            }
            .into(),
        ),
        (
            sol::upgrade_nonce_account(sp(&a)),
            sys::upgrade_nonce_account(&a),
            UpgradeNonceAccount.into(),
        ),
    ];
    let mut tags = std::collections::BTreeSet::new();
    for (sol_ix, ix, expected) in &cases {
        assert_same(sol_ix, ix);
        assert_decodes(&sol_ix.data, expected.clone());
        tags.insert(expected.discriminator());
    }
    assert_eq!(tags.len(), 13, "every variant 0..=12 is covered");
}

#[test]
fn multi_instruction_builders_match() {
    let (a, b, c, d) = (pk(5), pk(6), pk(7), pk(8));
    let sol_many = sol::transfer_many(&sp(&a), &[(sp(&b), 1), (sp(&c), 2)]);
    let many = sys::transfer_many(&a, &[(b, 1), (c, 2)]);
    assert_eq!(sol_many.len(), many.len());
    for (s, m) in sol_many.iter().zip(&many) {
        assert_same(s, m);
    }
    let sol_nonce = sol::create_nonce_account(&sp(&a), &sp(&b), &sp(&c), 1_447_680);
    let nonce_ixs = sys::create_nonce_account(&a, &b, &c, 1_447_680);
    assert_eq!(sol_nonce.len(), nonce_ixs.len());
    for (s, m) in sol_nonce.iter().zip(&nonce_ixs) {
        assert_same(s, m);
    }
    let sol_seeded =
        sol::create_nonce_account_with_seed(&sp(&a), &sp(&b), &sp(&d), "n", &sp(&c), 9);
    let seeded = sys::create_nonce_account_with_seed(&a, &b, &d, "n", &c, 9);
    for (s, m) in sol_seeded.iter().zip(&seeded) {
        assert_same(s, m);
    }
}

#[test]
fn solana_ids_match() {
    assert_eq!(
        solana_system_interface::program::ID.to_bytes(),
        system::ID.0
    );
}

#[test]
fn prefund_variant_decodes() {
    // SIMD-0312's CreateAccountAllowPrefund (tag 13) is active in the
    // target's feature set (docs/semantics.md §0, §5.1).
    let ix = sol::create_account_allow_prefund(&sp(&pk(1)), Some((&sp(&pk(2)), 5)), 8, &sp(&pk(3)));
    assert_eq!(&ix.data[..4], &13u32.to_le_bytes());
    assert_eq!(
        SystemInstruction::decode(&ix.data),
        Ok(SystemInstruction::CreateAccountAllowPrefund(
            system::CreateAccountAllowPrefund {
                lamports: 5,
                space: 8,
                owner: pk(3),
            }
        ))
    );
}

// ---------------------------------------------------------------- nonce layout

fn sol_hash(h: &Hash) -> solana_hash::Hash {
    solana_hash::Hash::new_from_array(h.0)
}

#[test]
fn baton_initialized_nonce_decodes_with_solana_nonce() {
    use solana_nonce::state::{DurableNonce, State as SolState};
    use solana_nonce::versions::Versions as SolVersions;

    assert_eq!(SolState::size(), nonce::NONCE_STATE_SIZE);
    let env = Env::new();
    let min = env.min_balance(nonce::NONCE_STATE_SIZE);
    let accounts = vec![(
        key(1),
        baton_types::Account::new(min, nonce::NONCE_STATE_SIZE, &system::ID),
    )];
    let out = env.run(&accounts, &sys::initialize_nonce_account(&key(1), &key(7)));
    assert_eq!(out.result, Ok(()));
    let data = &out.accounts[0].1.data;

    let decoded: SolVersions = bincode::deserialize(data).unwrap();
    let SolVersions::Current(state) = &decoded else {
        panic!("expected the current version, got {decoded:?}")
    };
    let SolState::Initialized(d) = state.as_ref() else {
        panic!("expected an initialized state")
    };
    assert_eq!(d.authority.to_bytes(), key(7).0);
    assert_eq!(
        d.durable_nonce,
        DurableNonce::from_blockhash(&sol_hash(&BH1))
    );
    assert_eq!(d.fee_calculator.lamports_per_signature, LPS);
    // And Solana's encoding of the same state is Baton's bytes.
    assert_eq!(&bincode::serialize(&decoded).unwrap(), data);
}

#[test]
fn solana_encoded_nonce_states_decode_with_baton() {
    use solana_nonce::state::{Data as SolData, DurableNonce, State as SolState};
    use solana_nonce::versions::Versions as SolVersions;

    let authority = pk(9);
    let bh = Hash([42; 32]);
    let sol_data = SolData::new(
        sp(&authority),
        DurableNonce::from_blockhash(&sol_hash(&bh)),
        1234,
    );
    let ours = nonce::Data::new(authority, nonce::durable_nonce_from_blockhash(&bh), 1234);
    let pairs = [
        (
            SolVersions::new(SolState::Initialized(sol_data.clone())),
            Versions::Current(State::Initialized(ours)),
        ),
        (
            SolVersions::Legacy(Box::new(SolState::Initialized(sol_data))),
            Versions::Legacy(State::Initialized(ours)),
        ),
        (
            SolVersions::new(SolState::Uninitialized),
            Versions::Current(State::Uninitialized),
        ),
        (
            SolVersions::Legacy(Box::new(SolState::Uninitialized)),
            Versions::Legacy(State::Uninitialized),
        ),
    ];
    for (sol_v, ours) in pairs {
        let bytes = bincode::serialize(&sol_v).unwrap();
        assert_eq!(Versions::from_account_data(&bytes), Ok(ours));
        assert_eq!(ours.to_bytes(), bytes);
        // Upgrades agree too.
        let sol_up = sol_v.upgrade().map(|v| bincode::serialize(&v).unwrap());
        assert_eq!(ours.upgrade().map(|v| v.to_bytes()), sol_up);
    }
}
