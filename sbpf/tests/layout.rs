//! Byte offsets of the aligned-ABI input (`docs/sbpf.md` §2.1).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use baton_sbpf::serialize::*;
use baton_types::{Account, Pubkey};
use smallvec::SmallVec;

fn u64_at(b: &[u8], at: usize) -> u64 {
    u64::from_le_bytes(b[at..at + 8].try_into().unwrap())
}

#[test]
fn input_layout_matches_agave_byte_for_byte() {
    let k1 = Pubkey::new_from_array([1; 32]);
    let k2 = Pubkey::new_from_array([2; 32]);
    let owner = Pubkey::new_from_array([9; 32]);
    let program = Pubkey::new_from_array([7; 32]);
    let a1 = Account {
        lamports: 42,
        data: vec![0xAA; 5],
        owner,
        executable: false,
        rent_epoch: 7,
    };
    let a2 = Account {
        lamports: 1,
        data: vec![0xBB; 16],
        owner,
        executable: true,
        rent_epoch: 0,
    };
    let mut buf = Vec::new();
    let mut metas = SmallVec::new();
    let mut w = InputWriter::new(&mut buf, &mut metas, 3).unwrap();
    w.account(&k1, &a1, true, false);
    w.duplicate(0);
    w.account(&k2, &a2, false, true);
    let data_at = w.finish(b"xyz", &program);

    assert_eq!(u64_at(&buf, 0), 3);
    // Account 0 at 8: marker, signer, writable, executable, 4 zero bytes.
    let r0 = 8;
    assert_eq!(&buf[r0..r0 + 8], &[0xFF, 1, 0, 0, 0, 0, 0, 0]);
    assert_eq!(&buf[r0 + KEY_OFFSET..r0 + KEY_OFFSET + 32], k1.as_array());
    assert_eq!(
        &buf[r0 + OWNER_OFFSET..r0 + OWNER_OFFSET + 32],
        owner.as_array()
    );
    assert_eq!(u64_at(&buf, r0 + LAMPORTS_OFFSET), 42);
    assert_eq!(u64_at(&buf, r0 + DATA_LEN_OFFSET), 5);
    assert_eq!(&buf[r0 + 88..r0 + 93], &[0xAA; 5]);
    // 10 KiB of zeroes, then 3 bytes of padding to 8, then rent_epoch.
    let tail = r0 + 88 + 5;
    assert!(buf[tail..tail + 10_240 + 3].iter().all(|b| *b == 0));
    let rent_at = tail + 10_240 + 3;
    assert_eq!(rent_at % 8, 0);
    assert_eq!(u64_at(&buf, rent_at), u64::MAX, "rent epoch is masked");
    assert_eq!(rent_at + 8 - r0, 10_336 + 5 + 3, "record size");
    // Account 1: a duplicate of position 0, eight bytes.
    let r1 = rent_at + 8;
    assert_eq!(&buf[r1..r1 + 8], &[0, 0, 0, 0, 0, 0, 0, 0]);
    // Account 2: executable and writable, 16 bytes of data (no padding).
    let r2 = r1 + 8;
    assert_eq!(&buf[r2..r2 + 8], &[0xFF, 0, 1, 1, 0, 0, 0, 0]);
    assert_eq!(u64_at(&buf, r2 + DATA_LEN_OFFSET), 16);
    let rent2 = r2 + 88 + 16 + 10_240;
    assert_eq!(u64_at(&buf, rent2), u64::MAX);
    // Instruction data and the program id.
    let ix = rent2 + 8;
    assert_eq!(u64_at(&buf, ix), 3);
    assert_eq!(data_at, ix + 8);
    assert_eq!(&buf[ix + 8..ix + 11], b"xyz");
    assert_eq!(&buf[ix + 11..ix + 43], program.as_array());
    assert_eq!(buf.len(), ix + 43);

    assert_eq!(
        metas.as_slice(),
        &[
            SerializedAccount {
                offset: r0,
                first: true,
                original_len: 5
            },
            SerializedAccount {
                offset: r1,
                first: false,
                original_len: 0
            },
            SerializedAccount {
                offset: r2,
                first: true,
                original_len: 16
            },
        ]
    );
    assert_eq!(metas[2].data_offset(), r2 + 88);
}

#[test]
fn a_duplicate_marker_names_the_first_position() {
    let k = Pubkey::new_from_array([3; 32]);
    let a = Account::default();
    let mut buf = Vec::new();
    let mut metas = SmallVec::new();
    let mut w = InputWriter::new(&mut buf, &mut metas, 4).unwrap();
    w.account(&k, &a, false, false);
    w.account(&Pubkey::new_from_array([4; 32]), &a, false, false);
    w.duplicate(1);
    w.duplicate(0);
    w.finish(&[], &k);
    let rec = 10_336; // an empty account's record
    assert_eq!(buf[8 + 2 * rec], 1);
    assert_eq!(buf[8 + 2 * rec + 8], 0);
}

#[test]
fn more_than_255_accounts_are_refused() {
    let mut buf = Vec::new();
    let mut metas = SmallVec::new();
    assert!(InputWriter::new(&mut buf, &mut metas, 255).is_ok());
    assert_eq!(
        InputWriter::new(&mut buf, &mut metas, 256).err(),
        Some(baton_types::InstructionError::MaxAccountsExceeded)
    );
}
