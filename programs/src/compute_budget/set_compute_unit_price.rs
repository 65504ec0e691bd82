//! `SetComputeUnitPrice`: the price of a compute unit, which makes the
//! prioritization fee.

use super::details::prioritization_fee;

/// Set the price of a compute unit, in micro-lamports (millionths of a
/// lamport).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SetComputeUnitPrice {
    /// Micro-lamports per compute unit.
    pub micro_lamports: u64,
}

impl SetComputeUnitPrice {
    /// The prioritization fee at this price for `unit_limit` units:
    /// `ceil(price × limit / 1,000,000)` lamports.
    pub fn fee(&self, unit_limit: u32) -> u64 {
        prioritization_fee(self.micro_lamports, unit_limit)
    }
}
