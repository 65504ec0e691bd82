//! The mutation rules of §2, lamport balance of §3, panics, CPI privilege
//! checks, and journal rollback, exercised through a small test program.
#![allow(clippy::unwrap_used)]

mod common;

mod cpi;
mod failure;
mod lamports;
mod mutation;
