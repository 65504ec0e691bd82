//! The constant-product price.

use baton_types::InstructionError;

use super::SwapError;

/// Basis points in one.
pub const BPS: u64 = 10_000;

/// Tokens out for `amount_in` tokens in, against reserves `reserve_in` and
/// `reserve_out`, with a fee of `fee_bps` basis points of the input
/// (Uniswap v2's `getAmountOut`), rounded down:
///
/// ```text
/// in_after_fee = amount_in · (10_000 − fee_bps)
/// out = in_after_fee · reserve_out / (reserve_in · 10_000 + in_after_fee)
/// ```
///
/// Rounding down keeps `(reserve_in + amount_in) · (reserve_out − out) ≥
/// reserve_in · reserve_out`. Errors: an empty reserve →
/// `Custom(InsufficientLiquidity)`; a fee of 10,000 bps or more →
/// `Custom(InvalidFee)`; a zero result → `Custom(ZeroAmount)`;
/// `amount_in · reserve_out` beyond 2^114 → `ArithmeticOverflow`.
pub fn amount_out(
    reserve_in: u64,
    reserve_out: u64,
    amount_in: u64,
    fee_bps: u16,
) -> Result<u64, InstructionError> {
    if reserve_in == 0 || reserve_out == 0 {
        return Err(SwapError::InsufficientLiquidity.into());
    }
    let fee = u64::from(fee_bps);
    if fee >= BPS {
        return Err(SwapError::InvalidFee.into());
    }
    let in_after_fee = u128::from(amount_in) * u128::from(BPS - fee);
    let numerator = in_after_fee
        .checked_mul(u128::from(reserve_out))
        .ok_or(InstructionError::ArithmeticOverflow)?;
    let denominator = u128::from(reserve_in) * u128::from(BPS) + in_after_fee;
    let out =
        u64::try_from(numerator / denominator).map_err(|_| InstructionError::ArithmeticOverflow)?;
    if out == 0 {
        return Err(SwapError::ZeroAmount.into());
    }
    Ok(out)
}
