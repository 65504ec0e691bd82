//! `SetComputeUnitLimit`: the transaction's compute unit limit.

use super::details::MAX_COMPUTE_UNIT_LIMIT;

/// Set the transaction's compute unit limit (capped at
/// [`MAX_COMPUTE_UNIT_LIMIT`]), in place of SIMD-0170's default.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SetComputeUnitLimit {
    /// The requested limit.
    pub units: u32,
}

impl SetComputeUnitLimit {
    /// The limit the transaction gets: the request, at most 1,400,000.
    pub fn limit(&self) -> u32 {
        self.units.min(MAX_COMPUTE_UNIT_LIMIT)
    }
}
