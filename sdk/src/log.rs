//! Logging and return data.

use std::fmt;

use baton_executor::InvokeContext;
use baton_types::{InstructionError, Pubkey};

/// Log `Program log: <message>` (semantics.md §6); nothing is formatted
/// when log collection is off. [`msg!`](crate::msg) is the formatting form.
pub fn log(ctx: &InvokeContext<'_>, message: impl fmt::Display) {
    ctx.log(message)
}

/// Log a formatted `Program log: …` line, formatting only when log
/// collection is on: `msg!(ctx, "swapped {} for {}", amount_in, out)`.
#[macro_export]
macro_rules! msg {
    ($ctx:expr, $($arg:tt)+) => {
        $crate::log($ctx, ::core::format_args!($($arg)+))
    };
}

/// Set the transaction's return data to `data` for the running program
/// (§6); over 1,024 bytes → `ProgramFailedToComplete`.
pub fn set_return_data(ctx: &InvokeContext<'_>, data: &[u8]) -> Result<(), InstructionError> {
    ctx.set_return_data(data)
}

/// The return data and the program that set it, or `None` when it is empty
/// (as Solana's `get_return_data`). After a CPI this is what the callee
/// left; every instruction starts with it reset (§6).
pub fn get_return_data(ctx: &InvokeContext<'_>) -> Option<(Pubkey, Vec<u8>)> {
    let (program, data) = ctx.return_data();
    (!data.is_empty()).then_some((program, data))
}
