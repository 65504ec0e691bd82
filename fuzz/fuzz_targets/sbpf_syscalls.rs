//! cargo-fuzz target `sbpf_syscalls`: see `baton_fuzz_support::sbpf::sbpf_syscalls`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    baton_fuzz_support::sbpf::sbpf_syscalls(data);
});
