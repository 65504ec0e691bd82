//! The builtin programs of the Baton engine: [`system`], [`token`] and
//! [`compute_budget`].
//!
//! Native Rust programs that implement [`baton_executor::Program`] and run
//! under the executor's mutation rules, each instruction in its own file
//! (pinocchio's layout):
//!
//! - [`system`]: Solana's system program — accounts, transfers, seeds and
//!   durable nonces — with Agave's checks, errors and wire encoding.
//! - [`token`]: SPL Token's instructions, state layouts and errors.
//! - [`compute_budget`]: the compute-budget program, with the
//!   transaction-level processing of its instructions (limits, price,
//!   heap, loaded-data size) that the runtime applies before execution.
//!
//! Depends on `baton-types` and `baton-executor` only. Depended on by
//! `baton-sdk` (its typed CPI wrappers build these programs' instructions),
//! the facade `baton` (which registers both builtins), `baton-examples`,
//! `baton-scenario` and the benches. The program SDK, the example programs
//! and the scripted test program live in their own crates (`sdk/`,
//! `examples/`, `scenario/`).

/// The code plumbing of a program's custom error enum (`#[repr(u32)]`, codes
/// 0, 1, … in the order listed): `ALL`, `code`, `from_code`,
/// `from_instruction_error`, and the conversions to and from
/// `InstructionError::Custom` and `u32`.
macro_rules! custom_error_codes {
    ($ty:ident { $($variant:ident),+ $(,)? }) => {
        impl $ty {
            /// Every variant, in code order.
            pub const ALL: &'static [$ty] = &[$(Self::$variant),+];

            /// The custom error code.
            pub const fn code(self) -> u32 {
                self as u32
            }

            /// The error with custom code `code`, if there is one.
            pub fn from_code(code: u32) -> Option<Self> {
                Self::ALL.get(code as usize).copied()
            }

            /// The error an instruction error carries, if it is one of these.
            pub fn from_instruction_error(
                err: &baton_types::InstructionError,
            ) -> Option<Self> {
                match err {
                    baton_types::InstructionError::Custom(code) => Self::from_code(*code),
                    _ => None,
                }
            }
        }

        impl From<$ty> for baton_types::InstructionError {
            fn from(e: $ty) -> Self {
                baton_types::InstructionError::Custom(e.code())
            }
        }

        impl TryFrom<u32> for $ty {
            type Error = u32;

            /// The error with this code, or the code back when there is none.
            fn try_from(code: u32) -> Result<Self, u32> {
                Self::from_code(code).ok_or(code)
            }
        }
    };
}
pub(crate) use custom_error_codes;

pub mod compute_budget;
pub mod system;
pub mod token;
