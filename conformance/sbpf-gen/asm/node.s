# A call-tree node: interprets its instruction data as a list of operations
# and runs them in order, so one program, deployed at several ids, makes any
# call tree a generator encodes. Operations (byte tag, then operands):
#   1 len bytes[len]            sol_log_ of the bytes
#   2 len bytes[len]            sol_set_return_data of the bytes
#   3 code                      exit with r0 = code (0: stop here, succeeding)
#   4 prog n (idx flags)*n      sol_invoke_signed_c of the program at account
#     dlen(u16) data[dlen]      index prog with n metas (account index; flags
#                               bit 0 writable, bit 1 signer) and that data,
#                               passing account infos for all its accounts
#   5                           sol_get_return_data (64 bytes at most), then
#                               sol_log_data of the data and the program id
#   6 idx value                 store value at data[0] of account idx
#   7 from to amount            move amount lamports from account from to to
#   8 slen seed[slen] bump      as 4 (the invoke follows), signed with the
#     then as 4 from prog on    one seed group (seed, [bump])
#   9 idx len(u16)              set the data length of account idx to len
#  10                           the next op (4 or 8) calls through
#                               sol_invoke_signed_rust instead: a
#                               StableInstruction, 34-byte metas, 48-byte
#                               AccountInfos whose lamports and data sit in
#                               Rc<RefCell<>> boxes on the stack
#  11 idx field                 the next invoke's account info idx gets 8
#                               added to its u64 field number field (C: key,
#                               lamports, data length, data, owner; Rust:
#                               key, lamports box, data box, owner)
# The data is trusted to be well formed (the generator writes it). At most
# 16 accounts; duplicates are followed to their first occurrence.
# Stack (one 4 KiB frame below r10): -4096 the record address of each
# account (8 bytes each), -3968 the metas (16 bytes each), -3584 the account
# infos (56 bytes each), -2688 the SolInstruction, -2600 the returned program
# id, -2560 the returned data, -2480 the log_data slices, -2440 the two
# SolSignerSeed, -2400 the SolSignerSeeds, -24 the ABI of the next invoke
# (0 C, 1 Rust), -16 the number of seed groups, -8 the number of accounts,
# -32 the account info to spoil plus one (0: none), -40 its field.
# The Rust ABI reuses -3584 for its infos and takes -2384 (lamports boxes,
# 32 bytes each), -1872 (data boxes, 40 bytes), -1232 (metas, 34 bytes),
# -688 (the StableInstruction, 80 bytes). After the walk r6 is scratch.
    mov64 r6, r1
    ldxdw r8, [r6+0]
    stxdw [r10-8], r8
    mov64 r1, r6
    add64 r1, 8
    mov64 r2, 0
    mov64 r3, r10
    sub64 r3, 4096
walk:
    jge r2, r8, walked
    ldxb r4, [r1+0]
    jeq r4, 255, original
    lsh64 r4, 3
    mov64 r5, r10
    sub64 r5, 4096
    add64 r5, r4
    ldxdw r5, [r5+0]
    stxdw [r3+0], r5
    add64 r1, 8
    ja next_record
original:
    stxdw [r3+0], r1
    ldxdw r4, [r1+80]
    add64 r4, 7
    and64 r4, -8
    add64 r1, r4
    add64 r1, 10336
next_record:
    add64 r3, 8
    add64 r2, 1
    ja walk
walked:
    ldxdw r8, [r1+0]
    add64 r1, 8
    mov64 r7, r1
    add64 r8, r1
ops:
    jge r7, r8, done
    ldxb r9, [r7+0]
    add64 r7, 1
    jeq r9, 1, op_log
    jeq r9, 2, op_set_return
    jeq r9, 3, op_exit
    jeq r9, 4, op_invoke
    jeq r9, 5, op_log_return
    jeq r9, 6, op_write
    jeq r9, 7, op_move
    jeq r9, 8, op_invoke_signed
    jeq r9, 9, op_resize
    jeq r9, 10, op_rust
    jeq r9, 11, op_spoil
    mov64 r0, 98
    exit
op_log:
    ldxb r9, [r7+0]
    add64 r7, 1
    mov64 r1, r7
    mov64 r2, r9
    syscall sol_log_
    add64 r7, r9
    ja ops
op_set_return:
    ldxb r9, [r7+0]
    add64 r7, 1
    mov64 r1, r7
    mov64 r2, r9
    syscall sol_set_return_data
    add64 r7, r9
    ja ops
op_exit:
    ldxb r0, [r7+0]
    exit
op_log_return:
    mov64 r1, r10
    sub64 r1, 2560
    mov64 r2, 64
    mov64 r3, r10
    sub64 r3, 2600
    syscall sol_get_return_data
    jle r0, 64, short_enough
    mov64 r0, 64
short_enough:
    mov64 r1, r10
    sub64 r1, 2560
    stxdw [r10-2480], r1
    stxdw [r10-2472], r0
    mov64 r1, r10
    sub64 r1, 2600
    stxdw [r10-2464], r1
    mov64 r1, 32
    stxdw [r10-2456], r1
    mov64 r1, r10
    sub64 r1, 2480
    mov64 r2, 2
    syscall sol_log_data
    ja ops
op_write:
    ldxb r1, [r7+0]
    lsh64 r1, 3
    mov64 r2, r10
    sub64 r2, 4096
    add64 r2, r1
    ldxdw r2, [r2+0]
    ldxb r1, [r7+1]
    stxb [r2+88], r1
    add64 r7, 2
    ja ops
op_move:
    ldxb r1, [r7+0]
    lsh64 r1, 3
    mov64 r2, r10
    sub64 r2, 4096
    add64 r2, r1
    ldxdw r2, [r2+0]
    ldxb r1, [r7+1]
    lsh64 r1, 3
    mov64 r3, r10
    sub64 r3, 4096
    add64 r3, r1
    ldxdw r3, [r3+0]
    ldxb r1, [r7+2]
    ldxdw r4, [r2+72]
    sub64 r4, r1
    stxdw [r2+72], r4
    ldxdw r4, [r3+72]
    add64 r4, r1
    stxdw [r3+72], r4
    add64 r7, 3
    ja ops
op_spoil:
    ldxb r1, [r7+0]
    add64 r1, 1
    stxdw [r10-32], r1
    ldxb r1, [r7+1]
    stxdw [r10-40], r1
    add64 r7, 2
    ja ops
op_rust:
    mov64 r1, 1
    stxdw [r10-24], r1
    ja ops
op_resize:
    ldxb r1, [r7+0]
    lsh64 r1, 3
    mov64 r2, r10
    sub64 r2, 4096
    add64 r2, r1
    ldxdw r2, [r2+0]
    ldxh r1, [r7+1]
    stxdw [r2+80], r1
    add64 r7, 3
    ja ops
op_invoke_signed:
    ldxb r1, [r7+0]
    add64 r7, 1
    stxdw [r10-2440], r7
    stxdw [r10-2432], r1
    add64 r7, r1
    stxdw [r10-2424], r7
    mov64 r1, 1
    stxdw [r10-2416], r1
    add64 r7, 1
    mov64 r1, r10
    sub64 r1, 2440
    stxdw [r10-2400], r1
    mov64 r1, 2
    stxdw [r10-2392], r1
    mov64 r1, 1
    stxdw [r10-16], r1
    ja invoke_body
op_invoke:
    mov64 r1, 0
    stxdw [r10-16], r1
invoke_body:
    ldxdw r1, [r10-24]
    jne r1, 0, abi_rust_body
    ldxb r1, [r7+0]
    lsh64 r1, 3
    mov64 r2, r10
    sub64 r2, 4096
    add64 r2, r1
    ldxdw r2, [r2+0]
    add64 r2, 8
    stxdw [r10-2688], r2
    ldxb r9, [r7+1]
    add64 r7, 2
    mov64 r3, r10
    sub64 r3, 3968
    stxdw [r10-2680], r3
    stxdw [r10-2672], r9
metas:
    jeq r9, 0, metas_done
    ldxb r1, [r7+0]
    lsh64 r1, 3
    mov64 r2, r10
    sub64 r2, 4096
    add64 r2, r1
    ldxdw r2, [r2+0]
    add64 r2, 8
    stxdw [r3+0], r2
    ldxb r1, [r7+1]
    mov64 r2, r1
    and64 r2, 1
    stxb [r3+8], r2
    rsh64 r1, 1
    and64 r1, 1
    stxb [r3+9], r1
    add64 r7, 2
    add64 r3, 16
    sub64 r9, 1
    ja metas
metas_done:
    ldxh r1, [r7+0]
    add64 r7, 2
    stxdw [r10-2664], r7
    stxdw [r10-2656], r1
    add64 r7, r1
    ldxdw r9, [r10-8]
    mov64 r2, 0
    mov64 r3, r10
    sub64 r3, 4096
    mov64 r4, r10
    sub64 r4, 3584
infos:
    jge r2, r9, infos_done
    ldxdw r1, [r3+0]
    mov64 r5, r1
    add64 r5, 8
    stxdw [r4+0], r5
    mov64 r5, r1
    add64 r5, 72
    stxdw [r4+8], r5
    ldxdw r5, [r1+80]
    stxdw [r4+16], r5
    mov64 r5, r1
    add64 r5, 88
    stxdw [r4+24], r5
    mov64 r5, r1
    add64 r5, 40
    stxdw [r4+32], r5
    add64 r3, 8
    add64 r4, 56
    add64 r2, 1
    ja infos
infos_done:
    ldxdw r1, [r10-32]
    jeq r1, 0, spoiled_c
    sub64 r1, 1
    mul64 r1, 56
    mov64 r2, r10
    sub64 r2, 3584
    add64 r2, r1
    ldxdw r1, [r10-40]
    lsh64 r1, 3
    add64 r2, r1
    ldxdw r1, [r2+0]
    add64 r1, 8
    stxdw [r2+0], r1
    mov64 r1, 0
    stxdw [r10-32], r1
spoiled_c:
    mov64 r1, r10
    sub64 r1, 2688
    mov64 r2, r10
    sub64 r2, 3584
    mov64 r3, r9
    mov64 r4, r10
    sub64 r4, 2400
    ldxdw r5, [r10-16]
    syscall sol_invoke_signed_c
    ja ops
abi_rust_body:
    mov64 r1, 0
    stxdw [r10-24], r1
    ldxb r1, [r7+0]
    lsh64 r1, 3
    mov64 r2, r10
    sub64 r2, 4096
    add64 r2, r1
    ldxdw r2, [r2+0]
    ldxdw r1, [r2+8]
    stxdw [r10-640], r1
    ldxdw r1, [r2+16]
    stxdw [r10-632], r1
    ldxdw r1, [r2+24]
    stxdw [r10-624], r1
    ldxdw r1, [r2+32]
    stxdw [r10-616], r1
    ldxb r9, [r7+1]
    add64 r7, 2
    mov64 r3, r10
    sub64 r3, 1232
    stxdw [r10-688], r3
    stxdw [r10-680], r9
    stxdw [r10-672], r9
abi_rust_metas:
    jeq r9, 0, abi_rust_metas_done
    ldxb r1, [r7+0]
    lsh64 r1, 3
    mov64 r2, r10
    sub64 r2, 4096
    add64 r2, r1
    ldxdw r2, [r2+0]
    ldxdw r1, [r2+8]
    stxdw [r3+0], r1
    ldxdw r1, [r2+16]
    stxdw [r3+8], r1
    ldxdw r1, [r2+24]
    stxdw [r3+16], r1
    ldxdw r1, [r2+32]
    stxdw [r3+24], r1
    ldxb r1, [r7+1]
    mov64 r2, r1
    rsh64 r2, 1
    and64 r2, 1
    stxb [r3+32], r2
    and64 r1, 1
    stxb [r3+33], r1
    add64 r7, 2
    add64 r3, 34
    sub64 r9, 1
    ja abi_rust_metas
abi_rust_metas_done:
    ldxh r1, [r7+0]
    add64 r7, 2
    stxdw [r10-664], r7
    stxdw [r10-656], r1
    stxdw [r10-648], r1
    add64 r7, r1
    ldxdw r9, [r10-8]
    mov64 r2, 0
    mov64 r3, r10
    sub64 r3, 4096
    mov64 r4, r10
    sub64 r4, 3584
    mov64 r0, r10
    sub64 r0, 2384
    mov64 r6, r10
    sub64 r6, 1872
abi_rust_infos:
    jge r2, r9, abi_rust_infos_done
    ldxdw r1, [r3+0]
    mov64 r5, r1
    add64 r5, 8
    stxdw [r4+0], r5
    stxdw [r4+8], r0
    stxdw [r4+16], r6
    mov64 r5, r1
    add64 r5, 40
    stxdw [r4+24], r5
    ldxb r5, [r1+1]
    stxb [r4+40], r5
    ldxb r5, [r1+2]
    stxb [r4+41], r5
    ldxb r5, [r1+3]
    stxb [r4+42], r5
    mov64 r5, r1
    add64 r5, 72
    stxdw [r0+24], r5
    mov64 r5, r1
    add64 r5, 88
    stxdw [r6+24], r5
    ldxdw r5, [r1+80]
    stxdw [r6+32], r5
    add64 r3, 8
    add64 r4, 48
    add64 r0, 32
    add64 r6, 40
    add64 r2, 1
    ja abi_rust_infos
abi_rust_infos_done:
    ldxdw r1, [r10-32]
    jeq r1, 0, spoiled_abi_rust
    sub64 r1, 1
    mul64 r1, 48
    mov64 r2, r10
    sub64 r2, 3584
    add64 r2, r1
    ldxdw r1, [r10-40]
    lsh64 r1, 3
    add64 r2, r1
    ldxdw r1, [r2+0]
    add64 r1, 8
    stxdw [r2+0], r1
    mov64 r1, 0
    stxdw [r10-32], r1
spoiled_abi_rust:
    mov64 r1, r10
    sub64 r1, 688
    mov64 r2, r10
    sub64 r2, 3584
    mov64 r3, r9
    mov64 r4, r10
    sub64 r4, 2400
    ldxdw r5, [r10-16]
    syscall sol_invoke_signed_rust
    ja ops
done:
    mov64 r0, 0
    exit
