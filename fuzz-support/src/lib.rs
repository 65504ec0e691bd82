//! The bodies of Baton's fuzz targets, as plain functions over bytes.
//!
//! The cargo-fuzz targets in `fuzz/` call these functions, and so does this
//! crate's test, which replays the committed seed corpora (`fuzz/seeds/`)
//! and a few thousand seeded random and mutated inputs on every
//! `cargo test`. Each function panics when the property it checks fails and
//! returns normally otherwise:
//!
//! - [`decode`]: transaction and message decoding (legacy and v0, address
//!   table lookups included) never panics, and whatever decodes re-encodes
//!   to the same bytes and sanitizes;
//! - [`scenario`]: scenario-file parsing returns a scenario or an error, and
//!   a scenario that parses runs without panicking;
//! - [`call_tree`]: a batch of transactions running call trees of the
//!   scripted program keeps the engine's invariants (see its docs).
//! - [`sbpf::sbpf_elf`] and [`sbpf::sbpf_syscalls`]: real programs (see
//!   the module).
//!
//! Depends on the facade `baton` and on `baton-scenario` (scenario files and
//! the scripted program). Depended on by `fuzz/` (cargo-fuzz, a workspace
//! of its own) and nothing else.

mod call_tree;
pub mod sbpf;

pub use call_tree::{call_tree, call_tree_batch, key_pool, PDA_SEED, PROGRAMS};

use std::cell::RefCell;
use std::sync::Once;

use baton::{wire, Runtime};
use baton_scenario::scripted;

/// Silence the panics that the scripted program raises on purpose
/// ([`Op::Panic`](scripted::Op::Panic)): the executor catches them and fails the transaction
/// with `ProgramFailedToComplete`. Every other panic still reaches the hook
/// that was installed before (libFuzzer's aborts the process). Installing
/// twice is harmless.
pub fn install_panic_filter() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let payload = info.payload();
            let scripted = payload
                .downcast_ref::<&str>()
                .is_some_and(|s| *s == scripted::PANIC_MESSAGE);
            if !scripted {
                previous(info);
            }
        }));
    });
}

// ---------------------------------------------------------------------------
// decode
// ---------------------------------------------------------------------------

/// Fuzz body for the wire format: `data` as a transaction and as a message.
///
/// Decoding must not panic; a transaction or message that decodes must
/// sanitize, re-encode to exactly `data` (also through the fallible
/// encoders), and its message must round-trip on its own. A decoded
/// transaction is also run on an empty runtime (signature checks off),
/// which must reject or execute it without panicking.
pub fn decode(data: &[u8]) {
    if let Ok(tx) = wire::decode_transaction(data) {
        assert_eq!(wire::sanitize_transaction(&tx), Ok(()), "decoded tx");
        assert_eq!(wire::encode_transaction(&tx), data, "tx re-encoding");
        assert_eq!(
            wire::try_encode_transaction(&tx).as_deref(),
            Ok(data),
            "tx fallible re-encoding"
        );
        let m = wire::encode_message(&tx.message);
        assert_eq!(
            wire::decode_message(&m).as_ref(),
            Ok(&tx.message),
            "tx message round trip"
        );
        // The store stays empty (no fee payer exists, so nothing commits):
        // one runtime per thread serves every input.
        thread_local! {
            static EMPTY: RefCell<Runtime> = RefCell::new(
                Runtime::new()
                    .with_sigverify(false)
                    .with_blockhash_check(false)
                    .with_threads(1),
            );
        }
        let results = EMPTY.with(|rt| rt.borrow_mut().execute_batch(std::slice::from_ref(&tx)));
        assert_eq!(results.len(), 1);
    }
    if let Ok(m) = wire::decode_message(data) {
        assert_eq!(wire::sanitize_message(&m), Ok(()), "decoded message");
        assert_eq!(wire::encode_message(&m), data, "message re-encoding");
        assert_eq!(
            wire::try_encode_message(&m).as_deref(),
            Ok(data),
            "message fallible re-encoding"
        );
    }
    if let Ok((v, n)) = wire::decode_compact_u16(data) {
        let mut out = Vec::new();
        wire::encode_compact_u16(v, &mut out);
        assert_eq!(data.get(..n), Some(out.as_slice()), "compact-u16");
    }
}

// ---------------------------------------------------------------------------
// scenario
// ---------------------------------------------------------------------------

/// Most transactions a fuzzed scenario may hold and still be run.
const MAX_SCENARIO_TXS: usize = 64;

/// Fuzz body for scenario files: `data` (lossily as UTF-8) parsed as a
/// scenario must give a scenario or an error, never a panic; a scenario
/// that parses (with at most 64 transactions) must run without panicking.
pub fn scenario(data: &[u8]) {
    let src = String::from_utf8_lossy(data);
    if let Ok(s) = baton_scenario::parse(&src, "fuzz.toml") {
        if s.transaction_count() <= MAX_SCENARIO_TXS {
            if let Ok(report) = s.run() {
                let _ = report.passed();
                let _ = report.to_json();
            }
        }
    }
}
