//! The read-back rules after a program ran, memory cleared between programs,
//! and fault messages naming their region.

use super::*;

/// A program that moves `data[0]` lamports from account 1 to account 0
/// (both owned by it unless a test says otherwise), grows account 0's data
/// length by the u16 at `data[4..6]`, and sets account 0's owner to the key
/// in `data[8..40]` when `data[2]` is 1. Account 0's record starts at input
/// offset 8 (lamports +80, length +88, owner +48); account 1's follows at
/// 8 + 10,336 + the original length rounded up to 8.
const EDITOR: &str = "
    ldxb r6, [r2+0]
    ldxh r7, [r2+4]
    ldxb r8, [r2+2]
    ldxdw r5, [r1+88]
    mov64 r9, r5
    add64 r9, 7
    and64 r9, -8
    add64 r9, r1
    add64 r9, 10344
    ldxdw r4, [r1+80]
    add64 r4, r6
    stxdw [r1+80], r4
    ldxdw r4, [r9+72]
    sub64 r4, r6
    stxdw [r9+72], r4
    add64 r5, r7
    stxdw [r1+88], r5
    jeq r8, 0, +8
    ldxdw r3, [r2+8]
    stxdw [r1+48], r3
    ldxdw r3, [r2+16]
    stxdw [r1+56], r3
    ldxdw r3, [r2+24]
    stxdw [r1+64], r3
    ldxdw r3, [r2+32]
    stxdw [r1+72], r3
    mov64 r0, 0
    exit";

fn editor_case(mode: Mode, data: &[u8], a0: Account, writable: bool) -> InstructionOutcome {
    let (k0, k1) = (
        Pubkey::new_from_array([1; 32]),
        Pubkey::new_from_array([2; 32]),
    );
    let a1 = Account::with_data(1_000, vec![], &PROGRAM);
    let r = Run::new(EDITOR, mode);
    let meta0 = if writable {
        AccountMeta::new(k0, false)
    } else {
        AccountMeta::new_readonly(k0, false)
    };
    r.run(
        data,
        &[(k0, a0), (k1, a1)],
        vec![meta0, AccountMeta::new(k1, false)],
        10_000,
    )
}

#[test]
fn read_back_applies_lamports_growth_and_owner_through_the_rules() {
    let mut data = vec![0u8; 40];
    for mode in MODES {
        let a0 = Account::with_data(500, vec![1, 2, 3], &PROGRAM);
        // 10 lamports moved, 5 bytes of growth.
        data[..3].copy_from_slice(&[10, 0, 0]);
        data[4..6].copy_from_slice(&5u16.to_le_bytes());
        let out = editor_case(mode, &data, a0.clone(), true);
        assert_eq!(out.result, Ok(()), "{:#?}", out.logs);
        assert_eq!(out.accounts[0].1.lamports, 510);
        assert_eq!(out.accounts[0].1.data, vec![1, 2, 3, 0, 0, 0, 0, 0]);
        assert_eq!(out.accounts[1].1.lamports, 990);
        // A read-only account's balance may not change.
        let out = editor_case(mode, &data, a0.clone(), false);
        assert_eq!(out.result, Err(InstructionError::ReadonlyLamportChange));
        assert_eq!(out.accounts[1].1.lamports, 1_000, "rolled back");
        // Growth by 10,240 is allowed; by more, InvalidRealloc.
        data[..3].copy_from_slice(&[0, 0, 0]);
        data[4..6].copy_from_slice(&10_240u16.to_le_bytes());
        let out = editor_case(mode, &data, a0.clone(), true);
        assert_eq!(out.result, Ok(()));
        assert_eq!(out.accounts[0].1.data.len(), 3 + 10_240);
        data[4..6].copy_from_slice(&10_241u16.to_le_bytes());
        let out = editor_case(mode, &data, a0.clone(), true);
        assert_eq!(out.result, Err(InstructionError::InvalidRealloc));
        data[4..6].copy_from_slice(&[0, 0]);
        // Owner change of a zeroed account to a new owner.
        let zeroed = Account::with_data(500, vec![0; 4], &PROGRAM);
        data[..3].copy_from_slice(&[0, 0, 1]);
        data[4..6].copy_from_slice(&[0, 0]);
        data[8..40].copy_from_slice(&[7; 32]);
        let out = editor_case(mode, &data, zeroed, true);
        assert_eq!(out.result, Ok(()));
        assert_eq!(out.accounts[0].1.owner, Pubkey::new_from_array([7; 32]));
        // Owner change of an account with data: ModifiedProgramId.
        let out = editor_case(mode, &data, a0.clone(), true);
        assert_eq!(out.result, Err(InstructionError::ModifiedProgramId));
        // Changing the data of an account it does not own.
        let foreign = Account::with_data(500, vec![1], &Pubkey::new_from_array([8; 32]));
        data[..3].copy_from_slice(&[0, 0, 0]);
        data[4..6].copy_from_slice(&1u16.to_le_bytes());
        let out = editor_case(mode, &data, foreign, true);
        assert_eq!(
            out.result,
            Err(InstructionError::ExternalAccountDataModified)
        );
    }
}

#[test]
fn vm_stores_to_deep_frames_and_the_heap_are_cleared_for_the_next_program() {
    // The writer stores with VM instructions (not syscalls) into the last
    // stack frame (frame 63 is at VM offset 126 * 4 KiB, gapped) and the
    // heap's last word; the reader loads the same words.
    let writer = "
        lddw r1, 0x20007eff8
        mov64 r2, -1
        stxdw [r1+0], r2
        lddw r1, 0x300007ff8
        stxdw [r1+0], r2
        stxdw [r10-8], r2
        mov64 r0, 0
        exit";
    let reader = "
        lddw r1, 0x20007eff8
        ldxdw r0, [r1+0]
        lddw r1, 0x300007ff8
        ldxdw r2, [r1+0]
        or64 r0, r2
        ldxdw r2, [r10-8]
        or64 r0, r2
        exit";
    for mode in MODES {
        let w = Run::new(writer, mode);
        let r = Run::new(reader, mode);
        for _ in 0..3 {
            assert_eq!(w.run(&[], &[], vec![], 1_000).result, Ok(()), "{mode:?}");
            assert_eq!(r.run(&[], &[], vec![], 1_000).result, Ok(()), "{mode:?}");
        }
    }
}

#[test]
fn faults_name_their_region_as_agave_does() {
    let cases = [
        // A stack gap (frame 1 of the VM space is a gap in SBPF v0).
        (
            "lddw r1, 0x200001000\nldxdw r0, [r1+0]\nexit",
            "Access violation in stack frame 1 at address 0x200001000 of size 8",
        ),
        // A load crossing the end of the heap, with the heap untouched.
        (
            "lddw r1, 0x300007ffc\nldxdw r0, [r1+0]\nexit",
            "Access violation reading 8 bytes at address 0x300007ffc (in heap region)",
        ),
        // A store into the read-only program region.
        (
            "lddw r1, 0x100000000\nstxdw [r1+0], r1\nexit",
            "Access violation writing 8 bytes at address 0x100000000 (in program region)",
        ),
        // Past the heap.
        (
            "lddw r1, 0x300010000\nldxdw r0, [r1+0]\nexit",
            "Access violation reading 8 bytes at address 0x300010000 (in unallocated region)",
        ),
    ];
    for (src, msg) in cases {
        let out = run(src, &[], 1_000);
        assert_eq!(out.result, Err(InstructionError::ProgramFailedToComplete));
        assert_eq!(out.compute_units_consumed, 1_000);
        assert_eq!(
            failed_line(&out),
            format!("Program {PROGRAM} failed: {msg}")
        );
    }
}
