# The Rust-layout twin of system_transfer_pda.s: transfers 1,000 lamports
# from a PDA of this program (seeds "vault", the bump) to account 1 through
# the native system program with sol_invoke_signed_rust, building a
# StableInstruction (80 bytes, metas of 34 bytes with their keys inline)
# and AccountInfos (48 bytes) whose lamports and data sit in Rc<RefCell<>>
# boxes on the stack (the value 24 bytes into the box).
# Accounts: [0] the PDA (writable, no data), [1] the destination
# (writable, no data), [2] the system program (no data): keys at input
# + 16, + 10,352, + 20,688. Data: "vault", the bump, and optionally a
# case byte k that breaks one thing in account info 0 or the metas:
# 0 the lamports box in the input region, 1 the data box in the input
# region, 2 the lamports pointer 8 bytes off, 3 the data pointer 8 bytes
# off, 4 the owner pointer 8 bytes off, 5 a signer flag of 2, 6 a data
# length of 10,241.
    mov64 r6, r1
    mov64 r7, r2
    # Transfer's data at r10-100: u32 2, u64 1,000.
    stw [r10-100], 2
    stw [r10-96], 1000
    stw [r10-92], 0
    # StableInstruction at r10-80: metas (ptr, cap, len), data (ptr, cap,
    # len), the program id inline.
    mov64 r1, r10
    sub64 r1, 200
    stxdw [r10-80], r1
    stdw [r10-72], 2
    stdw [r10-64], 2
    mov64 r1, r10
    sub64 r1, 100
    stxdw [r10-56], r1
    stdw [r10-48], 12
    stdw [r10-40], 12
    mov64 r1, r10
    sub64 r1, 32
    mov64 r2, r6
    add64 r2, 20688
    mov64 r3, 32
    syscall sol_memcpy_
    # AccountMeta[2] at r10-200: key inline, is_signer, is_writable.
    mov64 r1, r10
    sub64 r1, 200
    mov64 r2, r6
    add64 r2, 16
    mov64 r3, 32
    syscall sol_memcpy_
    stb [r10-168], 1
    stb [r10-167], 1
    mov64 r1, r10
    sub64 r1, 166
    mov64 r2, r6
    add64 r2, 10352
    mov64 r3, 32
    syscall sol_memcpy_
    stb [r10-134], 0
    stb [r10-133], 1
    # Rc boxes: lamports of info i at r10-600 + 64 i, data at r10-704 + 64 i.
    mov64 r1, r6
    add64 r1, 80
    stxdw [r10-576], r1
    mov64 r1, r6
    add64 r1, 10416
    stxdw [r10-512], r1
    mov64 r1, r6
    add64 r1, 96
    stxdw [r10-680], r1
    stdw [r10-672], 0
    mov64 r1, r6
    add64 r1, 10432
    stxdw [r10-616], r1
    stdw [r10-608], 0
    # AccountInfo[2] at r10-400: key, lamports box, data box, owner.
    mov64 r1, r6
    add64 r1, 16
    stxdw [r10-400], r1
    mov64 r1, r10
    sub64 r1, 600
    stxdw [r10-392], r1
    mov64 r1, r10
    sub64 r1, 704
    stxdw [r10-384], r1
    mov64 r1, r6
    add64 r1, 48
    stxdw [r10-376], r1
    mov64 r1, r6
    add64 r1, 10352
    stxdw [r10-352], r1
    mov64 r1, r10
    sub64 r1, 536
    stxdw [r10-344], r1
    mov64 r1, r10
    sub64 r1, 640
    stxdw [r10-336], r1
    mov64 r1, r6
    add64 r1, 10384
    stxdw [r10-328], r1
    # Seeds at r10-448, the one set at r10-416.
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
    # The case byte.
    ldxdw r8, [r7-8]
    jne r8, 7, call
    ldxb r8, [r7+6]
    jne r8, 0, case1
    stxdw [r10-392], r6
    ja call
case1:
    jne r8, 1, case2
    stxdw [r10-384], r6
    ja call
case2:
    jne r8, 2, case3
    ldxdw r1, [r10-576]
    add64 r1, 8
    stxdw [r10-576], r1
    ja call
case3:
    jne r8, 3, case4
    ldxdw r1, [r10-680]
    add64 r1, 8
    stxdw [r10-680], r1
    ja call
case4:
    jne r8, 4, case5
    ldxdw r1, [r10-376]
    add64 r1, 8
    stxdw [r10-376], r1
    ja call
case5:
    jne r8, 5, case6
    stb [r10-168], 2
    ja call
case6:
    stdw [r10-672], 10241
call:
    mov64 r1, r10
    sub64 r1, 80
    mov64 r2, r10
    sub64 r2, 400
    mov64 r3, 2
    mov64 r4, r10
    sub64 r4, 416
    mov64 r5, 1
    syscall sol_invoke_signed_rust
    exit
