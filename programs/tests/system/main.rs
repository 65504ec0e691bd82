//! The system program through `process_instruction`: every instruction's
//! success path and each of its errors, with Agave's error values, 150
//! compute units, and no state change on failure.

#![allow(clippy::unwrap_used)]

mod assign_allocate;
mod create;
mod decoding;
mod misc;
mod nonce_accounts;
mod seeded;
mod transfer;

#[path = "../common/mod.rs"]
mod common;

use baton_programs::system::instruction::{self as sys, SystemInstruction};
use baton_programs::system::nonce::{self, State, Versions};
use baton_programs::system::{self, SystemError, Transfer, DEFAULT_COMPUTE_UNITS};
use baton_types::{ids, pda, Account, Instruction, InstructionError, MAX_PERMITTED_DATA_LENGTH};
use common::*;
