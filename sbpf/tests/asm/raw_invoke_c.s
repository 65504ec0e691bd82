# Calls sol_invoke_signed_c with its five arguments taken as they are from
# data[0..40] (five u64), so a test can point them at structures it lays
# out in the rest of the data: the limits and refusals that come before
# any account is looked at.
    mov64 r6, r2
    ldxdw r1, [r6+0]
    ldxdw r2, [r6+8]
    ldxdw r3, [r6+16]
    ldxdw r4, [r6+24]
    ldxdw r5, [r6+32]
    syscall sol_invoke_signed_c
    exit
