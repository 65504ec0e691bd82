//! The compute meter shared by a transaction's top-level instructions and CPIs.

use std::cell::Cell;

use baton_types::InstructionError;

/// A transaction's compute meter. Every frame of the instruction stack draws
/// on the same meter; once it is empty, every further charge fails with
/// `ComputationalBudgetExceeded`. Interior mutability lets a program charge
/// units while it holds account handles.
#[derive(Debug)]
pub struct ComputeMeter {
    limit: u64,
    remaining: Cell<u64>,
}

impl ComputeMeter {
    /// A full meter of `limit` units.
    pub fn new(limit: u64) -> Self {
        Self {
            limit,
            remaining: Cell::new(limit),
        }
    }

    /// Charge `units`. If fewer remain, the meter is emptied and the charge fails.
    pub fn consume(&self, units: u64) -> Result<(), InstructionError> {
        let left = self.remaining.get();
        match left.checked_sub(units) {
            Some(r) => {
                self.remaining.set(r);
                Ok(())
            }
            None => {
                self.remaining.set(0);
                Err(InstructionError::ComputationalBudgetExceeded)
            }
        }
    }

    /// Units left.
    pub fn remaining(&self) -> u64 {
        self.remaining.get()
    }

    /// The meter's limit.
    pub fn limit(&self) -> u64 {
        self.limit
    }

    /// Units used so far.
    pub fn consumed(&self) -> u64 {
        self.limit - self.remaining.get()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exhaustion_empties_the_meter() {
        let m = ComputeMeter::new(100);
        m.consume(60).unwrap();
        assert_eq!(m.remaining(), 40);
        assert_eq!(
            m.consume(41),
            Err(InstructionError::ComputationalBudgetExceeded)
        );
        assert_eq!(m.remaining(), 0);
        assert_eq!(m.consumed(), 100);
    }
}
