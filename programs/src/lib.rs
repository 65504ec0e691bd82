//! Builtin programs of the Baton engine.
//!
//! Native Rust programs that implement [`baton_executor::Program`] and run
//! under the executor's mutation rules, each instruction in its own file
//! (pinocchio's layout):
//!
//! - [`system`]: Solana's system program — accounts, transfers, seeds and
//!   durable nonces — with Agave's checks, errors and wire encoding.

pub mod scripted;
pub mod system;
pub mod token;
