//! Embedding examples for Baton; see `examples/` in this crate. They are
//! built (and the doc examples run) by `cargo test --workspace`.
