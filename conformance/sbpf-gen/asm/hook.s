# A transfer hook for Token-2022's TransferChecked: the program a mint's
# TransferHook extension names, invoked with the Execute instruction
# (8-byte discriminator, then the amount) and the accounts source, mint,
# destination, authority (read-only), then any extra ones. It logs, with
# sol_log_64_, the amount, the number of accounts and the source's data
# length, then by the amount's low byte: 13 fails with custom error 13,
# 7 writes the source's first data byte (read-only to it: the runtime
# refuses), anything else succeeds.
    mov64 r6, r1
    ldxdw r8, [r6+0]
    mov64 r1, r6
    add64 r1, 8
    mov64 r2, 0
walk:
    jge r2, r8, walked
    ldxb r4, [r1+0]
    jeq r4, 255, original
    add64 r1, 8
    ja next_record
original:
    ldxdw r4, [r1+80]
    add64 r4, 7
    and64 r4, -8
    add64 r1, r4
    add64 r1, 10336
next_record:
    add64 r2, 1
    ja walk
walked:
    ldxdw r7, [r1+16]
    mov64 r1, r7
    mov64 r2, r8
    ldxdw r3, [r6+88]
    mov64 r4, 0
    mov64 r5, 0
    syscall sol_log_64_
    and64 r7, 255
    jeq r7, 13, fail
    jeq r7, 7, write_source
    mov64 r0, 0
    exit
fail:
    mov64 r0, 13
    exit
write_source:
    mov64 r1, 1
    stxb [r6+96], r1
    mov64 r0, 0
    exit
