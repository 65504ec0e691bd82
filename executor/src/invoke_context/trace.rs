//! The instruction trace of a transaction.

use baton_types::Pubkey;

use super::InstructionAccount;

/// Agave's instruction trace, flat: one entry per instruction started, its
/// accounts and data in shared arrays.
#[derive(Default)]
pub(super) struct InstructionTrace {
    pub(super) entries: Vec<TraceEntry>,
    pub(super) accounts: Vec<InstructionAccount>,
    pub(super) data: Vec<u8>,
}

pub(super) struct TraceEntry {
    pub(super) stack_height: usize,
    pub(super) program_id: Pubkey,
    pub(super) accounts: (usize, usize),
    pub(super) data: (usize, usize),
}

impl InstructionTrace {
    pub(super) fn push(
        &mut self,
        stack_height: usize,
        program_id: Pubkey,
        accounts: &[InstructionAccount],
        data: &[u8],
    ) {
        let a = self.accounts.len();
        self.accounts.extend_from_slice(accounts);
        let d = self.data.len();
        self.data.extend_from_slice(data);
        self.entries.push(TraceEntry {
            stack_height,
            program_id,
            accounts: (a, self.accounts.len()),
            data: (d, self.data.len()),
        });
    }
}
