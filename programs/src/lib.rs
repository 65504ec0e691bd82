//! Builtin programs of the Baton engine.
//!
//! Native Rust programs that implement [`baton_executor::Program`] and run
//! under the executor's mutation rules, each instruction in its own file
//! (pinocchio's layout):
//!
//! - [`system`]: Solana's system program — accounts, transfers, seeds and
//!   durable nonces — with Agave's checks, errors and wire encoding.
//! - [`sdk`]: the program SDK — account handles, checks, typed CPIs
//!   (`CpiContext`), logs, return data, PDAs — for writing native programs.
//! - [`examples`]: example programs written with the SDK: a PDA vault and a
//!   constant-product swap pool.

pub mod examples;
pub mod scripted;
pub mod sdk;
pub mod system;
pub mod token;
