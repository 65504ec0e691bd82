//! The instruction trace of a transaction.

use baton_types::Pubkey;
use smallvec::SmallVec;

use super::InstructionAccount;

/// Agave's instruction trace, flat: one entry per instruction started, its
/// accounts and data in shared arrays. A top-level instruction of a
/// message is not copied: its entry names it in the message. Inline room
/// for a short transaction's trace, so that most transactions record
/// theirs without allocating.
#[derive(Default)]
pub(super) struct InstructionTrace {
    pub(super) entries: SmallVec<[TraceEntry; 2]>,
    pub(super) accounts: SmallVec<[InstructionAccount; 8]>,
    pub(super) data: SmallVec<[u8; 32]>,
    /// Top-level instructions of the message recorded so far.
    top_level: u16,
}

pub(super) struct TraceEntry {
    pub(super) stack_height: usize,
    pub(super) program_id: Pubkey,
    /// The instruction's index in the message, for a top-level one whose
    /// accounts and data the message holds.
    pub(super) in_message: Option<u16>,
    pub(super) accounts: (u32, u32),
    pub(super) data: (u32, u32),
}

impl TraceEntry {
    /// The entry's range in the trace's accounts.
    pub(super) fn accounts(&self) -> std::ops::Range<usize> {
        self.accounts.0 as usize..self.accounts.1 as usize
    }

    /// The entry's range in the trace's data.
    pub(super) fn data(&self) -> std::ops::Range<usize> {
        self.data.0 as usize..self.data.1 as usize
    }
}

impl InstructionTrace {
    /// Record the next top-level instruction of the message.
    pub(super) fn push_top_level(&mut self, program_id: Pubkey) {
        let at = (self.accounts.len() as u32, self.data.len() as u32);
        self.entries.push(TraceEntry {
            stack_height: 1,
            program_id,
            in_message: Some(self.top_level),
            accounts: (at.0, at.0),
            data: (at.1, at.1),
        });
        self.top_level = self.top_level.saturating_add(1);
    }

    /// Record an instruction, copying its accounts and data.
    pub(super) fn push(
        &mut self,
        stack_height: usize,
        program_id: Pubkey,
        accounts: &[InstructionAccount],
        data: &[u8],
    ) {
        // At most 64 entries of at most 255 metas and 10 KiB of data each
        // (§4.5): the offsets fit in 32 bits.
        let end = |len: usize| u32::try_from(len).unwrap_or(u32::MAX);
        let a = end(self.accounts.len());
        self.accounts.extend_from_slice(accounts);
        let d = end(self.data.len());
        self.data.extend_from_slice(data);
        self.entries.push(TraceEntry {
            stack_height,
            program_id,
            in_message: None,
            accounts: (a, end(self.accounts.len())),
            data: (d, end(self.data.len())),
        });
    }
}
