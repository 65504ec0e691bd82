//! Stage 1 of a batch, stateless and parallel: sanitize each transaction,
//! then verify its signatures in batches of [`SIGVERIFY_CHUNK`] on the
//! worker pool. Its verdicts are read wave by wave by admission (stage 2).

use baton_scheduler::Scheduler;
use baton_types::{signing, wire, Transaction, TransactionError};
use rayon::prelude::*;

/// Transactions verified per batch-verification call.
const SIGVERIFY_CHUNK: usize = 64;

/// The stage-1 verdict of every transaction of a batch (`None`: it passed),
/// or nothing when signature checks are off: sanitizing alone is then
/// cheap enough to leave to the in-order admission of each wave
/// (`Admission::prepare`).
pub(crate) struct StageOne(Option<Vec<Option<TransactionError>>>);

impl StageOne {
    /// Sanitize and verify `txs` on the scheduler's pool when it has
    /// several threads, else on this thread.
    pub(crate) fn check(
        scheduler: Option<&Scheduler>,
        sigverify: bool,
        txs: &[Transaction],
    ) -> Self {
        let check_chunk = |chunk: &[Transaction]| -> Vec<Option<TransactionError>> {
            let mut verdicts: Vec<Option<TransactionError>> = chunk
                .iter()
                .map(|tx| wire::sanitize_transaction(tx).err().map(Into::into))
                .collect();
            if sigverify {
                for (v, sig) in verdicts.iter_mut().zip(signing::verify_batch(chunk)) {
                    if v.is_none() {
                        *v = sig.err();
                    }
                }
            }
            verdicts
        };
        Self(match scheduler {
            _ if !sigverify => None,
            Some(s) if s.threads() > 1 => Some(s.pool().install(|| {
                txs.par_chunks(SIGVERIFY_CHUNK)
                    .flat_map_iter(check_chunk)
                    .collect()
            })),
            _ => Some(txs.chunks(SIGVERIFY_CHUNK).flat_map(check_chunk).collect()),
        })
    }

    /// The stage-1 verdicts of the wave `start..end`.
    pub(crate) fn of_wave(&self, start: usize, end: usize) -> Vec<Option<TransactionError>> {
        match &self.0 {
            Some(verdicts) => verdicts[start..end].to_vec(),
            None => vec![None; end - start],
        }
    }
}
