//! cargo-fuzz target `scenario`: see `baton_fuzz_support::scenario`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    baton_fuzz_support::install_panic_filter();
    baton_fuzz_support::scenario(data);
});
