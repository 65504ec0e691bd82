//! The explicit-authorization flavour's data, shared by the invoke context
//! (which keeps each frame's [`Flavour`] and the descriptor its caller
//! passed) and the calls themselves (`invoke_auth.rs`): the depth and size
//! limits, [`ExitCode`], [`AuthDescriptor`] and its encoding, [`InvokeError`]
//! and its Agave mapping, and the frame walk of `is_authorized` (§8). It
//! imports neither of those modules, so they depend on it and not on each
//! other: `auth ← invoke_context ← invoke_auth`. The rules are in
//! `invoke_auth.rs`'s opening comment and docs/invoke-flavours.md.

use baton_types::{InstructionError, Pubkey};

/// Most frames on the instruction stack (top level included) when the
/// frame pushed is an `invoke_auth` callee (§8).
pub const MAX_AUTH_CALL_DEPTH: usize = 16;
/// Most entries (authorized and deauthorized together) in one descriptor.
pub const MAX_AUTH_ENTRIES: usize = 256;

/// A callee's exit code after a normal exit: 0 unless it set one.
pub type ExitCode = u64;

/// How a frame was called.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flavour {
    /// A top-level instruction, or a callee of `invoke` / `invoke_signed`
    /// (§4): its accounts are its instruction's metas.
    Solana,
    /// A callee of `invoke_auth` (§8): its accounts are the transaction's.
    Auth,
}

/// What a caller of `invoke_auth` authorizes and deauthorizes for its
/// callee and the callee's callees: transaction account indices (§8).
///
/// Either list may be empty, and the descriptor may be absent. An index may
/// be in both lists: deauthorization wins. Authorizing an account needs the
/// caller to own it; deauthorizing needs nothing.
///
/// Encoded form ([`Self::encode`] / [`Self::decode`]): `u16` count of
/// authorized, `u16` count of deauthorized, then the indices, all `u16`
/// little-endian; empty bytes mean no descriptor.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuthDescriptor {
    /// Accounts authorized for the callee (owned by the caller's program).
    pub authorized: Vec<u16>,
    /// Accounts whose authorization is withdrawn for the callee.
    pub deauthorized: Vec<u16>,
}

impl AuthDescriptor {
    /// A descriptor with both lists.
    pub fn new(authorized: Vec<u16>, deauthorized: Vec<u16>) -> Self {
        Self {
            authorized,
            deauthorized,
        }
    }

    /// The same descriptor, also authorizing `index`.
    pub fn authorize(mut self, index: u16) -> Self {
        self.authorized.push(index);
        self
    }

    /// The same descriptor, also deauthorizing `index`.
    pub fn deauthorize(mut self, index: u16) -> Self {
        self.deauthorized.push(index);
        self
    }

    /// Entries in both lists.
    pub fn len(&self) -> usize {
        self.authorized.len() + self.deauthorized.len()
    }

    /// Whether both lists are empty.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// `MalformedDescriptor` past [`MAX_AUTH_ENTRIES`] entries.
    pub fn validate(&self) -> Result<(), InvokeError> {
        if self.len() > MAX_AUTH_ENTRIES {
            return Err(InvokeError::MalformedDescriptor);
        }
        Ok(())
    }

    /// The encoded form (see the type's docs).
    pub fn encode(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(4 + 2 * self.len());
        out.extend_from_slice(&(self.authorized.len() as u16).to_le_bytes());
        out.extend_from_slice(&(self.deauthorized.len() as u16).to_le_bytes());
        for i in self.authorized.iter().chain(&self.deauthorized) {
            out.extend_from_slice(&i.to_le_bytes());
        }
        out
    }

    /// Decode the encoded form: `Ok(None)` for empty bytes;
    /// `MalformedDescriptor` for a short header, counts that do not match
    /// the length, or too many entries.
    pub fn decode(bytes: &[u8]) -> Result<Option<Self>, InvokeError> {
        if bytes.is_empty() {
            return Ok(None);
        }
        let u16_at = |at: usize| -> Result<u16, InvokeError> {
            bytes
                .get(at..at + 2)
                .map(|b| u16::from_le_bytes([b[0], b[1]]))
                .ok_or(InvokeError::MalformedDescriptor)
        };
        let n_auth = u16_at(0)? as usize;
        let n_deauth = u16_at(2)? as usize;
        if n_auth + n_deauth > MAX_AUTH_ENTRIES || bytes.len() != 4 + 2 * (n_auth + n_deauth) {
            return Err(InvokeError::MalformedDescriptor);
        }
        let entries = (0..n_auth + n_deauth)
            .map(|k| u16_at(4 + 2 * k))
            .collect::<Result<Vec<_>, _>>()?;
        let (a, d) = entries.split_at(n_auth);
        Ok(Some(Self::new(a.to_vec(), d.to_vec())))
    }
}

/// Why `invoke_auth` returned no exit code: the call could not be made
/// (every variant but [`InvokeError::Failed`]), or the callee failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum InvokeError {
    /// The descriptor does not decode or has too many entries.
    #[error("malformed authorization descriptor")]
    MalformedDescriptor,
    /// The program index or a descriptor entry is past the transaction's accounts.
    #[error("account index {index} out of range")]
    IndexOutOfRange {
        /// The index.
        index: u16,
    },
    /// An authorized account is not owned by the calling program.
    #[error("account {index} is not owned by the calling program")]
    NotOwner {
        /// The account's transaction index.
        index: u16,
    },
    /// The callee is not a registered program.
    #[error("account {index} is not a program")]
    NotAProgram {
        /// The account's transaction index.
        index: u16,
    },
    /// The callee's frame would be over [`MAX_AUTH_CALL_DEPTH`].
    #[error("call depth over {MAX_AUTH_CALL_DEPTH}")]
    CallDepth,
    /// The call was made and the callee failed (or the call's charge
    /// exhausted the meter): the error the caller's instruction fails with,
    /// unless the call was a `try_invoke_auth`.
    #[error("callee failed: {0}")]
    Failed(InstructionError),
}

impl From<InvokeError> for InstructionError {
    /// The Agave error a program fails with when it propagates an invoke
    /// error with `?`: `MalformedDescriptor` → `InvalidArgument`,
    /// `IndexOutOfRange` → `NotEnoughAccountKeys`, `NotOwner` →
    /// `PrivilegeEscalation`, `NotAProgram` → `UnsupportedProgramId`,
    /// `CallDepth` → `CallDepth`, `Failed(e)` → `e`.
    fn from(e: InvokeError) -> Self {
        match e {
            InvokeError::MalformedDescriptor => InstructionError::InvalidArgument,
            InvokeError::IndexOutOfRange { .. } => InstructionError::NotEnoughAccountKeys,
            InvokeError::NotOwner { .. } => InstructionError::PrivilegeEscalation,
            InvokeError::NotAProgram { .. } => InstructionError::UnsupportedProgramId,
            InvokeError::CallDepth => InstructionError::CallDepth,
            InvokeError::Failed(e) => e,
        }
    }
}

/// The frame walk of `is_authorized` (§8) over the callers of the running
/// frame, nearest first: each caller's program and the descriptor it passed
/// to the frame above it. The first caller that mentions the account
/// decides: its deauthorization denies; its authorization grants if the
/// caller's program owns the account (`owner`), and otherwise does not
/// count; a caller's own program is authorized. No mention: not authorized.
pub(crate) fn authorized_by_callers<'d>(
    callers: impl Iterator<Item = (Pubkey, Option<&'d AuthDescriptor>)>,
    index: u16,
    key: &Pubkey,
    owner: Option<Pubkey>,
) -> bool {
    for (program, passed) in callers {
        if let Some(d) = passed {
            if d.deauthorized.contains(&index) {
                return false;
            }
            if d.authorized.contains(&index) && owner == Some(program) {
                return true;
            }
        }
        if *key == program {
            return true;
        }
    }
    false
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    const P: Pubkey = Pubkey::new_from_array([1; 32]);
    const Q: Pubkey = Pubkey::new_from_array([2; 32]);
    const X: Pubkey = Pubkey::new_from_array([9; 32]);

    fn d(auth: &[u16], deauth: &[u16]) -> AuthDescriptor {
        AuthDescriptor::new(auth.to_vec(), deauth.to_vec())
    }

    /// The frame walk, table-driven: callers nearest first, each with the
    /// descriptor it passed; the account is index 5 (key X unless the row
    /// says otherwise) owned by `owner`.
    #[test]
    fn is_authorized_frame_walk() {
        type Row<'a> = (
            &'a str,
            Vec<(Pubkey, Option<AuthDescriptor>)>,
            Pubkey,
            Option<Pubkey>,
            bool,
        );
        let rows: Vec<Row<'_>> = vec![
            ("no callers (depth 1)", vec![], X, Some(P), false),
            (
                "caller authorizes its own account",
                vec![(P, Some(d(&[5], &[])))],
                X,
                Some(P),
                true,
            ),
            (
                "auth entry for an account the caller does not own",
                vec![(P, Some(d(&[5], &[])))],
                X,
                Some(Q),
                false,
            ),
            (
                "non-owned entry does not count: walk goes on",
                vec![(P, Some(d(&[5], &[]))), (Q, Some(d(&[5], &[])))],
                X,
                Some(Q),
                true,
            ),
            (
                "deauth before auth in one frame",
                vec![(P, Some(d(&[5], &[5])))],
                X,
                Some(P),
                false,
            ),
            (
                "grandparent grants, parent deauthorizes",
                vec![(Q, Some(d(&[], &[5]))), (P, Some(d(&[5], &[])))],
                X,
                Some(P),
                false,
            ),
            (
                "grandparent grants, parent silent",
                vec![(Q, None), (P, Some(d(&[5], &[])))],
                X,
                Some(P),
                true,
            ),
            (
                "parent grants, grandparent deauthorized: nearest decides",
                vec![(P, Some(d(&[5], &[]))), (Q, Some(d(&[], &[5])))],
                X,
                Some(P),
                true,
            ),
            (
                "a caller's own program",
                vec![(Q, None), (P, None)],
                P,
                None,
                true,
            ),
            (
                "a caller's own program, deauthorized nearer",
                vec![(Q, Some(d(&[], &[5]))), (P, None)],
                P,
                None,
                false,
            ),
            (
                "a caller's own program, deauthorized by itself",
                vec![(P, Some(d(&[], &[5])))],
                P,
                None,
                false,
            ),
            (
                "unmentioned",
                vec![(P, Some(d(&[4], &[6]))), (Q, None)],
                X,
                Some(P),
                false,
            ),
            (
                "no owner readable",
                vec![(P, Some(d(&[5], &[])))],
                X,
                None,
                false,
            ),
        ];
        for (name, callers, key, owner, want) in rows {
            let got = authorized_by_callers(
                callers.iter().map(|(p, a)| (*p, a.as_ref())),
                5,
                &key,
                owner,
            );
            assert_eq!(got, want, "{name}");
        }
    }

    #[test]
    fn descriptor_encoding_round_trips_and_rejects_malformed() {
        let desc = d(&[1, 2], &[3]);
        assert_eq!(AuthDescriptor::decode(&desc.encode()), Ok(Some(desc)));
        assert_eq!(AuthDescriptor::decode(&[]), Ok(None));
        assert_eq!(
            AuthDescriptor::decode(&d(&[], &[]).encode()),
            Ok(Some(AuthDescriptor::default()))
        );
        for bad in [
            &[1u8][..],
            &[1, 0, 0, 0],
            &[0, 0, 0, 0, 7],
            &[1, 0, 0, 0, 1],
        ] {
            assert_eq!(
                AuthDescriptor::decode(bad),
                Err(InvokeError::MalformedDescriptor),
                "{bad:?}"
            );
        }
        let big = AuthDescriptor::new(vec![0; MAX_AUTH_ENTRIES + 1], vec![]);
        assert_eq!(big.validate(), Err(InvokeError::MalformedDescriptor));
        assert_eq!(
            AuthDescriptor::decode(&big.encode()),
            Err(InvokeError::MalformedDescriptor)
        );
    }

    #[test]
    fn invoke_errors_map_to_agave_errors() {
        use InstructionError as I;
        let cases = [
            (InvokeError::MalformedDescriptor, I::InvalidArgument),
            (
                InvokeError::IndexOutOfRange { index: 9 },
                I::NotEnoughAccountKeys,
            ),
            (InvokeError::NotOwner { index: 1 }, I::PrivilegeEscalation),
            (
                InvokeError::NotAProgram { index: 1 },
                I::UnsupportedProgramId,
            ),
            (InvokeError::CallDepth, I::CallDepth),
            (InvokeError::Failed(I::Custom(3)), I::Custom(3)),
        ];
        for (e, want) in cases {
            assert_eq!(I::from(e), want);
        }
    }
}
