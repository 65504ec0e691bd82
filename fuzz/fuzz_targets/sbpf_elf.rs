//! cargo-fuzz target `sbpf_elf`: see `baton_fuzz_support::sbpf::sbpf_elf`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    baton_fuzz_support::sbpf::sbpf_elf(data);
});
