//! Loom models of Baton's concurrent core: the scheduler (`models`) and
//! the program registry's shared compile-on-first-use cache (`registry`).
//!
//! The scheduler's shared state — the dependency counters and the ready
//! queue of `baton_scheduler::Dispatch`, the worker loop that drives
//! them, and the `Crew` a caller working beside the pool waits on — is
//! written against the scheduler's private `sync` module, which
//! re-exports loom's primitives when the crate is built with
//! `RUSTFLAGS="--cfg baton_loom"`. The models below therefore check the
//! real code, not a copy: each one builds a small batch, runs the real
//! operations on 2–3 loom threads, and loom explores their interleavings
//! (bounded by the preemption bound) and fails on a violated assertion, a
//! deadlock (every thread blocked) or a leak. The executor's program cache
//! is written the same way, against its own facade
//! (`executor/src/invoke_context/program/sync.rs`); see `registry`.
//!
//! The models live here as functions so that the normal suite
//! (`tests/models.rs`) and the broken-variant check (`tests/broken.rs`,
//! built with `--cfg baton_loom_broken`, where the scheduler and the
//! program cache are made wrong on purpose) run the very same model.
//! Without `--cfg baton_loom` this crate is empty and its tests compile
//! out. Run everything with `loom-tests/run.sh`.

#[cfg(baton_loom)]
pub mod models;
#[cfg(baton_loom)]
pub mod registry;
#[cfg(baton_loom)]
pub mod waves;
