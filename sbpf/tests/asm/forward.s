# A generic caller: at stack height h it calls the program at account index
# data[4 + h] (none when the data is that short or the byte is 255), passing
# all its accounts as metas with its own flags and account infos for them
# (sol_invoke_signed_c), and its instruction data unchanged; it makes the
# call data[0] times, and after each call sets the return data it got (at
# most 32 bytes) as its own. So one program makes call chains: A->A, depth,
# A->B->A, repeated calls. Data: calls (u8), an argument (4 bytes, for the
# callees), the path (account indexes by height). Duplicate accounts are
# not supported (it returns 99).
    mov64 r6, r1
    mov64 r7, r2
    syscall sol_get_stack_height
    ldxdw r1, [r7-8]
    mov64 r2, r0
    add64 r2, 4
    jge r2, r1, done
    mov64 r3, r7
    add64 r3, r2
    ldxb r9, [r3+0]
    jeq r9, 255, done
    ldxdw r8, [r6+0]
    mov64 r1, r6
    add64 r1, 8
    mov64 r2, 0
    mov64 r3, r10
    sub64 r3, 1024
    mov64 r4, r10
    sub64 r4, 2048
walk:
    jge r2, r8, walked
    ldxb r5, [r1+0]
    jne r5, 255, fail
    # SolAccountMeta: pubkey_addr, is_writable, is_signer; the info's key.
    mov64 r5, r1
    add64 r5, 8
    stxdw [r3+0], r5
    stxdw [r4+0], r5
    ldxb r5, [r1+2]
    stxb [r3+8], r5
    ldxb r5, [r1+1]
    stxb [r3+9], r5
    jne r2, r9, not_target
    mov64 r5, r1
    add64 r5, 8
    stxdw [r10-40], r5
not_target:
    # SolAccountInfo: lamports, data_len, data, owner.
    mov64 r5, r1
    add64 r5, 72
    stxdw [r4+8], r5
    ldxdw r0, [r1+80]
    stxdw [r4+16], r0
    mov64 r5, r1
    add64 r5, 88
    stxdw [r4+24], r5
    mov64 r5, r1
    add64 r5, 40
    stxdw [r4+32], r5
    # The next record: 88 + the data rounded up to 8 + 10,240 + 8 bytes on.
    add64 r0, 7
    and64 r0, -8
    add64 r1, r0
    add64 r1, 10336
    add64 r3, 16
    add64 r4, 56
    add64 r2, 1
    ja walk
walked:
    # SolInstruction at r10-40 (program_id_addr set in the walk).
    mov64 r1, r10
    sub64 r1, 1024
    stxdw [r10-32], r1
    stxdw [r10-24], r8
    stxdw [r10-16], r7
    ldxdw r1, [r7-8]
    stxdw [r10-8], r1
    ldxb r9, [r7+0]
call:
    jeq r9, 0, done
    mov64 r1, r10
    sub64 r1, 40
    mov64 r2, r10
    sub64 r2, 2048
    mov64 r3, r8
    mov64 r4, 0
    mov64 r5, 0
    syscall sol_invoke_signed_c
    mov64 r1, r10
    sub64 r1, 128
    mov64 r2, 32
    mov64 r3, r10
    sub64 r3, 96
    syscall sol_get_return_data
    jeq r0, 0, next_call
    mov64 r2, r0
    jle r2, 32, fits
    mov64 r2, 32
fits:
    mov64 r1, r10
    sub64 r1, 128
    syscall sol_set_return_data
next_call:
    sub64 r9, 1
    ja call
done:
    mov64 r0, 0
    exit
fail:
    mov64 r0, 99
    exit
