# invoke.s: the scenario suite's generic sBPF caller. It makes the calls
# its instruction data describes with sol_invoke_signed_c, so a scenario
# file can try every CPI rule from an sBPF program. Scenario files do not
# write its data by hand: an instruction's `cpi = [...]` is encoded into it
# by the scenario crate (scenario/src/cpi.rs, docs/scenarios.md).
#
# Data: a sequence of call records, each
#   0  u8  calls: how many times to make the call (0: none)
#   1  u8  flags: bit 0 = after each call, set the callee's return data
#          (at most 1,024 bytes) as this program's own
#   4  u32 image length L     8 u32 relocation count R
#   12 u32 offset of the SolInstruction in the image
#   16 u32 offset of the SolAccountInfo array    20 u32 its length
#   24 u32 offset of the SolSignerSeeds array    28 u32 its length
#   32 the image (L bytes), then R relocations of 8 bytes:
#      u8 kind, u8 account index, u16 arg, u32 off.
# For each record the image is copied to the start of the heap; then,
# before the calls, the relocations patch it (rec = the serialized record
# of the caller's account `index`, duplicates resolved to the original):
#   kind 0: heap[off] = u64 (heap + arg)          (a pointer in the image)
#   kind 1: heap[off] = u64 (rec + arg)           (a pointer to a field)
#   kind 2: heap[off] = u64 at (rec + arg)        (a field's value)
#   kind 3: the byte at rec + off = arg           (a write before the call)
#   kind 4: the lamports at rec + 72 += off       (a credit before the call)
#   kind 5: the lamports at rec + 72 -= off       (a debit before the call)
# and after the calls
#   kind 6: fail with Custom(0x5c0002) unless the byte at rec + off = arg
# A failing call aborts the program (CPI errors cannot be caught).
#
# Registers: r6 the input region, r7 the current record, r8 the end of the
# data, r9 the heap. The table of record addresses (one u64 per account)
# sits at heap + 30,720, so images are at most 30,720 bytes.
    mov64 r6, r1
    mov64 r7, r2
    ldxdw r8, [r2-8]
    add64 r8, r2
    lddw r9, 12884901888
    # Walk the serialized accounts (aligned layout): a record is 88 bytes,
    # the data rounded up to 8, 10,240 bytes of room and the rent epoch; a
    # duplicate is 8 bytes naming the original's index.
    ldxdw r1, [r6+0]
    mov64 r2, r6
    add64 r2, 8
    mov64 r3, 0
walk:
    jge r3, r1, call_record
    mov64 r0, r3
    lsh64 r0, 3
    add64 r0, r9
    ldxb r5, [r2+0]
    jeq r5, 255, unique
    lsh64 r5, 3
    add64 r5, r9
    ldxdw r5, [r5+30720]
    stxdw [r0+30720], r5
    add64 r2, 8
    add64 r3, 1
    ja walk
unique:
    stxdw [r0+30720], r2
    ldxdw r5, [r2+80]
    add64 r5, 7
    and64 r5, -8
    add64 r2, r5
    add64 r2, 10336
    add64 r3, 1
    ja walk
call_record:
    jge r7, r8, done
    # The image to the heap.
    mov64 r1, r9
    mov64 r2, r7
    add64 r2, 32
    ldxw r3, [r7+4]
    syscall sol_memcpy_
    ldxw r4, [r7+4]
    mov64 r2, r7
    add64 r2, 32
    add64 r2, r4
    ldxw r3, [r7+8]
patch:
    jeq r3, 0, patched
    ldxb r0, [r2+0]
    ldxb r1, [r2+1]
    lsh64 r1, 3
    add64 r1, r9
    ldxdw r1, [r1+30720]
    ldxh r4, [r2+2]
    ldxw r5, [r2+4]
    jne r0, 0, kind1
    mov64 r1, r9
    add64 r1, r4
    add64 r5, r9
    stxdw [r5+0], r1
    ja next
kind1:
    jne r0, 1, kind2
    add64 r1, r4
    add64 r5, r9
    stxdw [r5+0], r1
    ja next
kind2:
    jne r0, 2, kind3
    add64 r1, r4
    ldxdw r1, [r1+0]
    add64 r5, r9
    stxdw [r5+0], r1
    ja next
kind3:
    jne r0, 3, kind4
    add64 r1, r5
    stxb [r1+0], r4
    ja next
kind4:
    jne r0, 4, kind5
    ldxdw r0, [r1+72]
    add64 r0, r5
    stxdw [r1+72], r0
    ja next
kind5:
    jne r0, 5, next
    ldxdw r0, [r1+72]
    sub64 r0, r5
    stxdw [r1+72], r0
next:
    add64 r2, 8
    sub64 r3, 1
    ja patch
patched:
    ldxb r0, [r7+0]
    stxdw [r10-8], r0
call:
    ldxdw r0, [r10-8]
    jeq r0, 0, called
    sub64 r0, 1
    stxdw [r10-8], r0
    ldxw r1, [r7+12]
    add64 r1, r9
    ldxw r2, [r7+16]
    add64 r2, r9
    ldxw r3, [r7+20]
    ldxw r4, [r7+24]
    add64 r4, r9
    ldxw r5, [r7+28]
    syscall sol_invoke_signed_c
    ldxb r0, [r7+1]
    and64 r0, 1
    jeq r0, 0, call
    mov64 r1, r10
    sub64 r1, 1088
    mov64 r2, 1024
    mov64 r3, r10
    sub64 r3, 48
    syscall sol_get_return_data
    jeq r0, 0, call
    mov64 r2, r0
    jle r2, 1024, fits
    mov64 r2, 1024
fits:
    mov64 r1, r10
    sub64 r1, 1088
    syscall sol_set_return_data
    ja call
called:
    # The checks after the calls; r2 ends past the relocations.
    ldxw r4, [r7+4]
    mov64 r2, r7
    add64 r2, 32
    add64 r2, r4
    ldxw r3, [r7+8]
check:
    jeq r3, 0, checked
    ldxb r0, [r2+0]
    jne r0, 6, check_next
    ldxb r1, [r2+1]
    lsh64 r1, 3
    add64 r1, r9
    ldxdw r1, [r1+30720]
    ldxw r5, [r2+4]
    add64 r1, r5
    ldxb r1, [r1+0]
    ldxh r4, [r2+2]
    jne r1, r4, mismatch
check_next:
    add64 r2, 8
    sub64 r3, 1
    ja check
checked:
    mov64 r7, r2
    ja call_record
mismatch:
    mov64 r0, 6029314
    exit
done:
    mov64 r0, 0
    exit
