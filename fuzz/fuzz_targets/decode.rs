//! cargo-fuzz target `decode`: see `baton_fuzz_support::decode`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    baton_fuzz_support::install_panic_filter();
    baton_fuzz_support::decode(data);
});
