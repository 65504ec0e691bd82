# Changes the data length of account 2 by the signed 32-bit amount at
# data[1..5] (the data as forward.s passes it), then sets those 4 bytes as
# its return data. Accounts 0 and 1 must hold no data, so account 2's
# record starts at input + 20,680 and its length sits at input + 20,760.
    ldxdw r3, [r1+20760]
    ldxw r4, [r2+1]
    lsh64 r4, 32
    arsh64 r4, 32
    add64 r3, r4
    stxdw [r1+20760], r3
    mov64 r1, r2
    add64 r1, 1
    mov64 r2, 4
    syscall sol_set_return_data
    mov64 r0, 0
    exit
