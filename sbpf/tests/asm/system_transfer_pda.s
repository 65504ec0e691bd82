# Transfers 1,000 lamports from a PDA of this program to account 1 through
# the native system program, with sol_invoke_signed_c signing for the PDA
# (seeds "vault" and the bump). Options by the data's length:
# - 14 bytes: the amount is data[6..14];
# - 7 bytes: the signer flag of meta 0 is data[6] (0: not signing);
# - 8 bytes: a bad pointer: data[6] = k < 5 adds 8 to field k of account
#   info 0 (0 key, 1 lamports, 2 data length, 3 data, 4 owner); k = 5
#   passes the account infos at the start of the input region; k = 6
#   points info 0's key at a copy of the PDA's key on the stack.
#
# Accounts: [0] the PDA (writable, no data), [1] the destination
# (writable, no data), [2] the system program (no data).
# Instruction data: "vault" (5 bytes), the bump (1 byte), options.
# Records of accounts without data are 10,336 bytes: keys at input + 16,
# + 10,352, + 20,688.
    mov64 r6, r1
    mov64 r7, r2
    # Transfer's data at r10-56: u32 2, u64 amount.
    stw [r10-56], 2
    stw [r10-52], 1000
    stw [r10-48], 0
    ldxdw r8, [r7-8]
    jne r8, 14, no_amount
    ldxw r1, [r7+6]
    stxw [r10-52], r1
    ldxw r1, [r7+10]
    stxw [r10-48], r1
no_amount:
    # SolAccountMeta[2] at r10-200: pubkey_addr, is_writable, is_signer.
    mov64 r1, r6
    add64 r1, 16
    stxdw [r10-200], r1
    stb [r10-192], 1
    stb [r10-191], 1
    jne r8, 7, signer_set
    ldxb r1, [r7+6]
    stxb [r10-191], r1
signer_set:
    mov64 r1, r6
    add64 r1, 10352
    stxdw [r10-184], r1
    stb [r10-176], 1
    stb [r10-175], 0
    # SolInstruction at r10-40.
    mov64 r1, r6
    add64 r1, 20688
    stxdw [r10-40], r1
    mov64 r1, r10
    sub64 r1, 200
    stxdw [r10-32], r1
    stdw [r10-24], 2
    mov64 r1, r10
    sub64 r1, 56
    stxdw [r10-16], r1
    stdw [r10-8], 12
    # SolAccountInfo[2] at r10-400: key, lamports, data_len, data, owner.
    mov64 r1, r6
    add64 r1, 16
    stxdw [r10-400], r1
    mov64 r1, r6
    add64 r1, 80
    stxdw [r10-392], r1
    stdw [r10-384], 0
    mov64 r1, r6
    add64 r1, 96
    stxdw [r10-376], r1
    mov64 r1, r6
    add64 r1, 48
    stxdw [r10-368], r1
    mov64 r1, r6
    add64 r1, 10352
    stxdw [r10-344], r1
    mov64 r1, r6
    add64 r1, 10416
    stxdw [r10-336], r1
    stdw [r10-328], 0
    mov64 r1, r6
    add64 r1, 10432
    stxdw [r10-320], r1
    mov64 r1, r6
    add64 r1, 10384
    stxdw [r10-312], r1
    # One seed set at r10-416 of two seeds at r10-448: "vault", the bump.
    stxdw [r10-448], r7
    stdw [r10-440], 5
    mov64 r1, r7
    add64 r1, 5
    stxdw [r10-432], r1
    stdw [r10-424], 1
    mov64 r1, r10
    sub64 r1, 448
    stxdw [r10-416], r1
    stdw [r10-408], 2
    mov64 r9, r10
    sub64 r9, 400
    jne r8, 8, call
    ldxb r1, [r7+6]
    jeq r1, 5, infos_in_input
    jeq r1, 6, key_copy
    lsh64 r1, 3
    mov64 r2, r9
    add64 r2, r1
    ldxdw r3, [r2+0]
    add64 r3, 8
    stxdw [r2+0], r3
    ja call
infos_in_input:
    mov64 r9, r6
    ja call
key_copy:
    mov64 r1, r10
    sub64 r1, 512
    mov64 r2, r6
    add64 r2, 16
    mov64 r3, 32
    syscall sol_memcpy_
    mov64 r1, r10
    sub64 r1, 512
    stxdw [r10-400], r1
call:
    mov64 r1, r10
    sub64 r1, 40
    mov64 r2, r9
    mov64 r3, 2
    mov64 r4, r10
    sub64 r4, 416
    mov64 r5, 1
    syscall sol_invoke_signed_c
    exit
