//! Cross-check against the `spl-token-interface` crate: instruction bytes
//! and metas, state layouts and error codes.

use super::*;
use solana_program_option::COption;
use solana_program_pack::Pack;
use solana_pubkey_v3::Pubkey as SplPubkey;
use spl_token_interface as spl;

fn sp(key: &Pubkey) -> SplPubkey {
    SplPubkey::new_from_array(key.to_bytes())
}

fn co(key: Option<Pubkey>) -> COption<SplPubkey> {
    match key {
        Some(k) => COption::Some(sp(&k)),
        None => COption::None,
    }
}

fn spl_id() -> SplPubkey {
    spl::id()
}

/// Baton's instruction equals spl-token's: program, metas, data.
fn same(baton: Instruction, spl_ix: solana_instruction_v3::Instruction) {
    assert_eq!(baton.program_id.to_bytes(), spl_ix.program_id.to_bytes());
    assert_eq!(baton.data, spl_ix.data, "data of {:?}", baton.data.first());
    let metas: Vec<AccountMeta> = spl_ix
        .accounts
        .iter()
        .map(|m| AccountMeta {
            pubkey: Pubkey::new_from_array(m.pubkey.to_bytes()),
            is_signer: m.is_signer,
            is_writable: m.is_writable,
        })
        .collect();
    assert_eq!(baton.accounts, metas, "metas of {:?}", baton.data.first());
}

#[test]
fn program_ids_agree() {
    assert_eq!(token::ID.to_bytes(), spl_id().to_bytes());
    assert_eq!(NATIVE_MINT.to_bytes(), spl::native_mint::id().to_bytes());
}

#[test]
fn builders_match_spl_token() {
    use spl::instruction as si;
    let id = spl_id();
    let (m, a, b, o, d) = (sp(&MINT), sp(&A), sp(&B), sp(&ALICE), sp(&DELEGATE));
    for freeze in [None, Some(FREEZE_AUTH)] {
        let f = freeze.map(|k| sp(&k));
        same(
            tok::initialize_mint(&MINT, &ALICE, freeze.as_ref(), 9),
            si::initialize_mint(&id, &m, &o, f.as_ref(), 9).unwrap(),
        );
        same(
            tok::initialize_mint2(&MINT, &ALICE, freeze.as_ref(), 0),
            si::initialize_mint2(&id, &m, &o, f.as_ref(), 0).unwrap(),
        );
    }
    same(
        tok::initialize_account(&A, &MINT, &ALICE),
        si::initialize_account(&id, &a, &m, &o).unwrap(),
    );
    same(
        tok::initialize_account2(&A, &MINT, &ALICE),
        si::initialize_account2(&id, &a, &m, &o).unwrap(),
    );
    same(
        tok::initialize_account3(&A, &MINT, &ALICE),
        si::initialize_account3(&id, &a, &m, &o).unwrap(),
    );
    for amount in [0, 1, 0x0102_0304_0506_0708, u64::MAX] {
        same(
            tok::transfer(&A, &B, &ALICE, amount),
            si::transfer(&id, &a, &b, &o, &[], amount).unwrap(),
        );
        same(
            tok::transfer_checked(&A, &MINT, &B, &ALICE, amount, 7),
            si::transfer_checked(&id, &a, &m, &b, &o, &[], amount, 7).unwrap(),
        );
        same(
            tok::approve(&A, &DELEGATE, &ALICE, amount),
            si::approve(&id, &a, &d, &o, &[], amount).unwrap(),
        );
        same(
            tok::approve_checked(&A, &MINT, &DELEGATE, &ALICE, amount, 7),
            si::approve_checked(&id, &a, &m, &d, &o, &[], amount, 7).unwrap(),
        );
        same(
            tok::mint_to(&MINT, &A, &ALICE, amount),
            si::mint_to(&id, &m, &a, &o, &[], amount).unwrap(),
        );
        same(
            tok::mint_to_checked(&MINT, &A, &ALICE, amount, 7),
            si::mint_to_checked(&id, &m, &a, &o, &[], amount, 7).unwrap(),
        );
        same(
            tok::burn(&A, &MINT, &ALICE, amount),
            si::burn(&id, &a, &m, &o, &[], amount).unwrap(),
        );
        same(
            tok::burn_checked(&A, &MINT, &ALICE, amount, 7),
            si::burn_checked(&id, &a, &m, &o, &[], amount, 7).unwrap(),
        );
    }
    same(
        tok::revoke(&A, &ALICE),
        si::revoke(&id, &a, &o, &[]).unwrap(),
    );
    same(
        tok::close_account(&A, &B, &ALICE),
        si::close_account(&id, &a, &b, &o, &[]).unwrap(),
    );
    same(
        tok::freeze_account(&A, &MINT, &ALICE),
        si::freeze_account(&id, &a, &m, &o, &[]).unwrap(),
    );
    same(
        tok::thaw_account(&A, &MINT, &ALICE),
        si::thaw_account(&id, &a, &m, &o, &[]).unwrap(),
    );
    for (ours, theirs) in [
        (AuthorityType::MintTokens, si::AuthorityType::MintTokens),
        (
            AuthorityType::FreezeAccount,
            si::AuthorityType::FreezeAccount,
        ),
        (AuthorityType::AccountOwner, si::AuthorityType::AccountOwner),
        (AuthorityType::CloseAccount, si::AuthorityType::CloseAccount),
    ] {
        for new in [None, Some(BOB)] {
            let n = new.map(|k| sp(&k));
            same(
                tok::set_authority(&A, new.as_ref(), ours, &ALICE),
                si::set_authority(&id, &a, n.as_ref(), theirs.clone(), &o, &[]).unwrap(),
            );
        }
    }
}

#[test]
fn spl_encoded_instructions_decode_in_baton() {
    use spl::instruction::TokenInstruction as S;
    // Every implemented instruction, packed by spl-token, decodes to
    // the same instruction and packs back to the same bytes.
    for ix in every_instruction() {
        let data = ix.pack();
        let theirs = S::unpack(&data).unwrap();
        assert_eq!(theirs.pack(), data, "{ix:?}");
    }
    // Instructions Baton does not implement decode in spl-token and are
    // refused here with InvalidInstructionData.
    for spl_ix in [
        S::InitializeMultisig { m: 1 },
        S::SyncNative,
        S::InitializeMultisig2 { m: 2 },
        S::GetAccountDataSize,
        S::InitializeImmutableOwner,
        S::AmountToUiAmount { amount: 5 },
        S::UiAmountToAmount { ui_amount: "1.5" },
    ] {
        let data = spl_ix.pack();
        assert!(UNSUPPORTED_TAGS.contains(&data[0]));
        assert_eq!(
            TokenInstruction::unpack(&data),
            Err(InstructionError::InvalidInstructionData)
        );
    }
    // Malformed data fails in both with InvalidInstruction (12).
    for data in [vec![], vec![3, 1], vec![6, 9, 0], vec![0, 1, 2], vec![200]] {
        assert_eq!(
            S::unpack(&data).unwrap_err(),
            solana_program_error::ProgramError::Custom(12)
        );
        assert_eq!(
            TokenInstruction::unpack(&data),
            Err(TokenError::InvalidInstruction.into())
        );
    }
}

#[test]
fn baton_state_unpacks_in_spl_token_and_back() {
    for mint in [
        mint_state(0, None),
        Mint {
            mint_authority: None,
            supply: u64::MAX,
            decimals: 255,
            is_initialized: true,
            freeze_authority: Some(FREEZE_AUTH),
        },
    ] {
        let bytes = mint.to_bytes();
        assert_eq!(bytes.len(), spl::state::Mint::LEN);
        let theirs = spl::state::Mint::unpack(&bytes).unwrap();
        assert_eq!(theirs.mint_authority, co(mint.mint_authority));
        assert_eq!(theirs.supply, mint.supply);
        assert_eq!(theirs.decimals, mint.decimals);
        assert!(theirs.is_initialized);
        assert_eq!(theirs.freeze_authority, co(mint.freeze_authority));
        let mut back = [0u8; Mint::LEN];
        theirs.pack_into_slice(&mut back);
        assert_eq!(back, bytes);
        assert_eq!(Mint::unpack(&back), Ok(mint));
    }
    for (state, spl_state) in [
        (
            AccountState::Initialized,
            spl::state::AccountState::Initialized,
        ),
        (AccountState::Frozen, spl::state::AccountState::Frozen),
    ] {
        for (delegate, is_native, close) in [
            (None, None, None),
            (Some(DELEGATE), Some(2_039_280), Some(C)),
        ] {
            let acc = TokenAccount {
                mint: MINT,
                owner: ALICE,
                amount: 0xDEAD_BEEF,
                delegate,
                state,
                is_native,
                delegated_amount: 17,
                close_authority: close,
            };
            let bytes = acc.to_bytes();
            assert_eq!(bytes.len(), spl::state::Account::LEN);
            let theirs = spl::state::Account::unpack(&bytes).unwrap();
            assert_eq!(theirs.mint, sp(&MINT));
            assert_eq!(theirs.owner, sp(&ALICE));
            assert_eq!(theirs.amount, acc.amount);
            assert_eq!(theirs.delegate, co(delegate));
            assert_eq!(theirs.state, spl_state);
            assert_eq!(
                theirs.is_native,
                is_native.map_or(COption::None, COption::Some)
            );
            assert_eq!(theirs.delegated_amount, 17);
            assert_eq!(theirs.close_authority, co(close));
            let mut back = [0u8; TokenAccount::LEN];
            theirs.pack_into_slice(&mut back);
            assert_eq!(back, bytes);
        }
    }
    // Both refuse the same malformed bytes.
    let mut bad = TokenAccount::initialized(MINT, ALICE, 1).to_bytes();
    bad[108] = 7;
    assert!(spl::state::Account::unpack(&bad).is_err());
    assert!(TokenAccount::unpack(&bad).is_err());
}

#[test]
fn error_codes_and_messages_match_spl_token() {
    for e in TokenError::ALL {
        let theirs = spl::error::TokenError::try_from(e.code()).unwrap();
        assert_eq!(theirs.clone() as u32, e.code());
        assert_eq!(theirs.to_string(), e.to_string());
    }
}
