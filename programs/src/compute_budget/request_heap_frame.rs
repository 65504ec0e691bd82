//! `RequestHeapFrame`: the heap size, in bytes, that sBPF programs of the
//! transaction get.

use baton_types::{InstructionError, TransactionError};

use super::details::{MAX_HEAP_FRAME_BYTES, MIN_HEAP_FRAME_BYTES};

/// Request a heap of `bytes` for the transaction's sBPF programs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RequestHeapFrame {
    /// The heap size: a multiple of 1,024 from 32 KiB to 256 KiB.
    pub bytes: u32,
}

impl RequestHeapFrame {
    /// Whether the size is one Agave accepts: a multiple of 1,024 in
    /// [`MIN_HEAP_FRAME_BYTES`]..=[`MAX_HEAP_FRAME_BYTES`].
    pub fn is_valid(&self) -> bool {
        (MIN_HEAP_FRAME_BYTES..=MAX_HEAP_FRAME_BYTES).contains(&self.bytes)
            && self.bytes.is_multiple_of(1024)
    }

    /// The heap size, or for a bad one `InstructionError(index,
    /// InvalidInstructionData)` at the instruction's `index`.
    pub(crate) fn sanitize(&self, index: u8) -> Result<u32, TransactionError> {
        if self.is_valid() {
            Ok(self.bytes)
        } else {
            Err(TransactionError::InstructionError(
                index,
                InstructionError::InvalidInstructionData,
            ))
        }
    }
}
